/*
 * page.h - struct page, the page flags and the index-linked page lists.
 *
 * One struct page describes one simulated page frame, as in the kernel's
 * include/linux/mm_types.h.  It is kept to 48 host bytes because a simulated
 * machine may be far larger than the host: a 256 GiB machine has 64 Mi
 * frames.  Two choices buy that size:
 *
 *  - list linkage is a pair of 32-bit page-frame indices into the machine's
 *    mem_map instead of two pointers.  List heads are sentinel entries placed
 *    after the last real frame (see machine.h, mem_map layout), so a list
 *    behaves like the kernel's circular list_head: adding and deleting never
 *    need to know which list a page is on.  32 bits bound a machine to
 *    2^32 frames (16 TiB), far beyond the configured limits.
 *  - the zone is a 16-bit machine-wide zone id instead of bits packed into
 *    page->flags; page_zone() is one table lookup.
 *
 * A zeroed struct page is a valid "nothing" page (no flags, no references),
 * which lets boot leave most of mem_map untouched until a page is first used.
 * Only frames that are heads of free buddy blocks, or that have been handed
 * out, are ever written.
 */
#ifndef MMSIM_MM_PAGE_H
#define MMSIM_MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Page flags.  The names are the kernel's (include/linux/page-flags.h);
 * the bit numbers are mmsim's own.  PG_buddy replaces the kernel's
 * "_mapcount == -2" encoding of PageBuddy, which is clearer to read in a
 * debugger and costs nothing here.
 */
enum pageflags {
	PG_locked,       /* page is locked for I/O */
	PG_referenced,   /* recently accessed (second chance on the LRU) */
	PG_uptodate,     /* contents are valid */
	PG_dirty,        /* contents differ from backing store */
	PG_lru,          /* on one of the zone's LRU lists */
	PG_active,       /* on an active LRU list */
	PG_slab,         /* owned by the slab allocator */
	PG_reserved,     /* never handed to the buddy allocator (holes, memmap, boot) */
	PG_private,      /* page->private is in use by the owner */
	PG_writeback,    /* under writeback */
	PG_head,         /* first page of a compound page */
	PG_tail,         /* later page of a compound page */
	PG_swapcache,    /* page is in the swap cache; private holds the entry */
	PG_mappedtodisk, /* has blocks allocated on disk */
	PG_reclaim,      /* to be reclaimed as soon as writeback ends */
	PG_swapbacked,   /* backed by swap (anonymous or shmem) */
	PG_unevictable,  /* on the unevictable LRU list */
	PG_mlocked,      /* mapped by an mlocked vma */
	PG_buddy,        /* head of a free block in a zone's free_area */
	NR_PAGEFLAGS
};

/*
 * Flags that must be clear on a page being freed or handed out; finding one
 * set means the page is in use elsewhere (free_pages_check/check_new_page).
 */
#define PAGE_FLAGS_CHECK_AT_FREE                                                                   \
	((1u << PG_lru) | (1u << PG_locked) | (1u << PG_private) | (1u << PG_writeback) |          \
	 (1u << PG_reserved) | (1u << PG_slab) | (1u << PG_swapcache) | (1u << PG_active) |        \
	 (1u << PG_unevictable) | (1u << PG_mlocked) | (1u << PG_buddy) | (1u << PG_head) |        \
	 (1u << PG_tail))
/* Flags a freed page may keep that are cleared when it is handed out again. */
#define PAGE_FLAGS_CHECK_AT_PREP ((1u << NR_PAGEFLAGS) - 1)

/* A page-frame index in a machine's mem_map: pfn for real frames. */
typedef uint32_t pgidx_t;

struct page {
	uint32_t flags;    /* PG_* bits */
	uint16_t zone_id;  /* machine-wide zone id; valid once the page was ever free */
	uint8_t order;     /* buddy order while PG_buddy; allocation order while in use */
	uint8_t pcp_mt;    /* migrate type while on a per-CPU list (kernel: page_private) */
	int32_t _count;    /* references; 0 when free */
	int32_t _mapcount; /* page-table mappings, 0 = unmapped (kernel's value + 1) */
	pgidx_t lru_next;  /* next entry on whatever list the page is on */
	pgidx_t lru_prev;  /* previous entry on that list */
	uint64_t private;  /* owner's data: swap entry, compound head, ... */
	void *mapping;     /* address_space or anon_vma of a mapped page, or slab cache */
	uint64_t index;    /* offset within the mapping, in pages */
};

_Static_assert(sizeof(struct page) == 48, "struct page must stay at 48 host bytes");

static inline bool page_test(const struct page *p, enum pageflags f)
{
	return p->flags & (1u << f);
}

static inline void page_set(struct page *p, enum pageflags f)
{
	p->flags |= 1u << f;
}

static inline void page_clear(struct page *p, enum pageflags f)
{
	p->flags &= ~(1u << f);
}

#define PageBuddy(p)    page_test((p), PG_buddy)
#define PageReserved(p) page_test((p), PG_reserved)
#define PageSlab(p)     page_test((p), PG_slab)
#define PageHead(p)     page_test((p), PG_head)
#define PageTail(p)     page_test((p), PG_tail)
#define PageCompound(p) ((p)->flags & ((1u << PG_head) | (1u << PG_tail)))

static inline int page_count(const struct page *p)
{
	return p->_count;
}

static inline int page_mapcount(const struct page *p)
{
	return p->_mapcount;
}

/*
 * Index-linked circular lists.  `map` is the machine's mem_map; `head` is a
 * sentinel entry.  These mirror list_add/list_add_tail/list_del/list_move.
 */
static inline void pl_init(struct page *map, pgidx_t head)
{
	map[head].lru_next = head;
	map[head].lru_prev = head;
}

static inline bool pl_empty(const struct page *map, pgidx_t head)
{
	return map[head].lru_next == head;
}

static inline void pl_insert(struct page *map, pgidx_t item, pgidx_t prev, pgidx_t next)
{
	map[next].lru_prev = item;
	map[item].lru_next = next;
	map[item].lru_prev = prev;
	map[prev].lru_next = item;
}

/* Add `item` right after `head` (LIFO end). */
static inline void pl_add(struct page *map, pgidx_t item, pgidx_t head)
{
	pl_insert(map, item, head, map[head].lru_next);
}

/* Add `item` right before `head` (FIFO end, the tail). */
static inline void pl_add_tail(struct page *map, pgidx_t item, pgidx_t head)
{
	pl_insert(map, item, map[head].lru_prev, head);
}

static inline void pl_del(struct page *map, pgidx_t item)
{
	pgidx_t next = map[item].lru_next, prev = map[item].lru_prev;

	map[next].lru_prev = prev;
	map[prev].lru_next = next;
}

static inline void pl_move(struct page *map, pgidx_t item, pgidx_t head)
{
	pl_del(map, item);
	pl_add(map, item, head);
}

static inline void pl_move_tail(struct page *map, pgidx_t item, pgidx_t head)
{
	pl_del(map, item);
	pl_add_tail(map, item, head);
}

#endif /* MMSIM_MM_PAGE_H */
