/*
 * slab.h - object caches (include/linux/slab.h and slub_def.h of 3.2).
 *
 * This first part holds the cache flags and the SLUB layout of a cache:
 * how big an object slot is, where the free pointer lives, and the slab
 * order and objects per slab that SLUB's calculate_sizes/calculate_order
 * choose.  The allocator itself (per-CPU slabs, partial lists, kmalloc)
 * builds on it.
 */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/gfp.h"

/* Cache flags, by the kernel's names and values. */
#define SLAB_DEBUG_FREE      0x00000100ul /* check every free */
#define SLAB_RED_ZONE        0x00000400ul /* guard bytes around objects */
#define SLAB_POISON          0x00000800ul /* fill free objects with a pattern */
#define SLAB_HWCACHE_ALIGN   0x00002000ul /* align objects on cache lines */
#define SLAB_CACHE_DMA       0x00004000ul /* slabs from ZONE_DMA */
#define SLAB_STORE_USER      0x00010000ul /* remember who allocated and freed */
#define SLAB_RECLAIM_ACCOUNT 0x00020000ul /* objects are reclaimable */
#define SLAB_PANIC           0x00040000ul /* panic if creation fails (refused here) */
#define SLAB_DESTROY_BY_RCU  0x00080000ul /* defer freeing slabs to RCU */

#define SLUB_MAX_ORDER  3 /* slub_max_order: PAGE_ALLOC_COSTLY_ORDER */
#define SLUB_CACHE_LINE 64

struct machine;

/* Where a slab's objects are and how many fit (kmem_cache_order_objects). */
struct slab_oo {
	int order;   /* pages per slab = 1 << order */
	int objects; /* object slots per slab */
};

struct kmem_cache_layout {
	unsigned long flags;      /* SLAB_* as given, plus the internal poison flag */
	unsigned int objsize;     /* the size asked for */
	unsigned int size;        /* one object slot, metadata and alignment included */
	unsigned int align;       /* alignment of each slot */
	unsigned int inuse;       /* bytes of the slot in use before the free pointer */
	unsigned int offset;      /* free pointer offset: 0 = in the object's first word */
	struct slab_oo oo;        /* the preferred slab */
	struct slab_oo min;       /* the smallest slab that holds one object */
	gfp_t allocflags;         /* __GFP_COMP, __GFP_DMA, __GFP_RECLAIMABLE for slab pages */
	unsigned int min_partial; /* node partial slabs kept before freeing empties */
	unsigned int cpu_partial; /* objects kept on per-CPU partial slabs */
};

/*
 * kmem_cache_layout - SLUB's layout for an object of `size` bytes aligned
 * to `align` with `flags`, on machine m (its CPU count sets the minimum
 * objects per slab, its arch the word size).  A constructor, when the
 * cache has one, moves the free pointer out of the object as SLAB_POISON
 * does.  0, or -EINVAL for a size SLUB cannot place (larger than an
 * order-10 slab, or 0).
 */
int kmem_cache_layout(const struct machine *m, unsigned int size, unsigned int align,
                      unsigned long flags, int has_ctor, struct kmem_cache_layout *out);

/*
 * kmem_cache_merge_shape - the slot size and alignment find_mergeable
 * compares a new cache by: the size rounded to a word, then to the
 * alignment SLUB would give it (no debug metadata: debug caches never merge).
 */
void kmem_cache_merge_shape(const struct machine *m, unsigned int size, unsigned int align,
                            unsigned long flags, unsigned int *msize, unsigned int *malign);

#define KMEM_CACHE_NAME_MAX 31
#define KMALLOC_MIN_SHIFT   3  /* kmalloc-8 */
#define KMALLOC_MAX_SHIFT   13 /* kmalloc-8192: SLUB_MAX_SIZE is 2 pages */

#define SLAB_NONE 0xffffu /* no object: an empty freelist */
#define SLAB_LIVE 0xfffeu /* next_free[] of an allocated object */

/*
 * One slab's bookkeeping, on the host (SLUB keeps it in struct page and in
 * the free objects themselves; simulated pages have no bytes to spare).
 * Hung off the head page's private field; the head page is PG_slab and its
 * mapping is the cache.
 */
struct slab {
	struct kmem_cache *cache;
	unsigned long pfn; /* head frame */
	int node;
	uint16_t objects;                 /* slots */
	uint16_t inuse;                   /* allocated objects */
	uint16_t freelist;                /* first free slot, SLAB_NONE when full */
	bool frozen;                      /* a CPU's slab or on a CPU's partial list */
	int pobjects;                     /* CPU partial: free objects of the chain when pushed */
	struct slab *next, *prev;         /* node partial list, or CPU partial chain (next only) */
	struct slab *all_next, *all_prev; /* every slab of the cache (host bookkeeping) */
	uint16_t next_free[];             /* per slot: the next free slot, or SLAB_LIVE */
};

/* A CPU's view of a cache (struct kmem_cache_cpu). */
struct kmem_cache_cpu {
	struct slab *slab;    /* allocations come from here */
	struct slab *partial; /* frozen partial slabs kept for this CPU; its head's
	                         pobjects estimates their free objects, as in SLUB */
};

/* A node's partial slabs (struct kmem_cache_node). */
struct kmem_cache_node {
	struct slab *partial; /* slabs with free objects, oldest first */
	unsigned long nr_partial;
};

/*
 * A cache.  The machine keeps them on one list, newest first, as 3.2's
 * slab_caches (which is the order /proc/slabinfo prints).
 */
struct kmem_cache {
	char name[KMEM_CACHE_NAME_MAX + 1];
	struct kmem_cache_layout l;
	unsigned long nr_slabs;       /* slabs on all nodes */
	unsigned long total_objects;  /* object slots in them */
	unsigned long live;           /* objects allocated */
	struct kmem_cache_cpu *cpu;   /* owned, one per machine CPU */
	struct kmem_cache_node *node; /* owned, one per node */
	struct slab *all;             /* every slab, for release and checks */
	int refcount;                 /* names it serves; -1 for the two bootstrap caches,
	                                 which never merge (kmem_cache_bootstrap_fixup) */
	struct kmem_cache *next;      /* the machine's list */
};

/*
 * A name a cache answers to.  SLUB merges a new cache into a compatible
 * existing one and only aliases the name (sysfs_slab_alias), so names and
 * caches are many to one: the machine keeps its names apart, each with the
 * tenant that created it.  Boot caches' names belong to SLAB_OWNER_KERNEL.
 */
#define SLAB_OWNER_KERNEL 0u
#define SLAB_NAMES_MAX    4096 /* names per machine, boot caches included */

struct kmem_cache_name {
	char name[KMEM_CACHE_NAME_MAX + 1];
	struct kmem_cache *s;
	uint32_t owner;
	struct kmem_cache_name *next;
};

/*
 * kmem_cache_init - the caches a booting 3.2 SLUB kernel creates:
 * kmem_cache_node and kmem_cache, then kmalloc-96, kmalloc-192,
 * kmalloc-8 .. kmalloc-8192, then their dma-kmalloc twins.  0 or -ENOMEM.
 */
int kmem_cache_init(struct machine *m);
void kmem_cache_exit(struct machine *m);
/* kmem_cache_find - the cache called name, or NULL. */
struct kmem_cache *kmem_cache_find(const struct machine *m, const char *name);
/* kmem_cache_lookup - the name entry called name, or NULL. */
struct kmem_cache_name *kmem_cache_lookup(const struct machine *m, const char *name);

/*
 * slub_create.c.  kmem_cache_create: a cache for objects of size bytes,
 * merged into an existing cache when SLUB's find_mergeable would, else a
 * new one; *out is the cache that serves the name.  0, -EINVAL (bad name,
 * size, align or flags; SLAB_PANIC is refused: a simulation does not
 * panic), -EEXIST (the name is taken), -ENOSPC (SLAB_NAMES_MAX) or -ENOMEM.
 * kmem_cache_destroy: drop a name; the cache goes when its last name does.
 * 0, -ENOENT, -EPERM (a boot cache, or another owner's name), or -EBUSY
 * when the cache would go while objects are live (the kernel complains and
 * leaks them; mmsim refuses and changes nothing).
 */
int kmem_cache_create(struct machine *m, const char *name, unsigned int size, unsigned int align,
                      unsigned long flags, uint32_t owner, struct kmem_cache **out);
int kmem_cache_destroy(struct machine *m, const char *name, uint32_t owner);
/* kmem_cache_open - a new cache with layout l on the machine's list (slub.c); NULL: no memory. */
struct kmem_cache *kmem_cache_open(struct machine *m, const char *name,
                                   const struct kmem_cache_layout *l);
/* kmem_cache_add_name - register a name for s; 0 or -ENOMEM. */
int kmem_cache_add_name(struct machine *m, const char *name, struct kmem_cache *s, uint32_t owner);
/*
 * Allocation (slub_alloc.c).  Objects are simulated kernel addresses in the
 * direct map.  kmem_cache_alloc returns 0 when no memory is left;
 * kmem_cache_free returns -EINVAL for an address that is not a live object
 * of that cache (never allocated, freed already, inside an object, or
 * another cache's), changing nothing.
 */
uint64_t kmem_cache_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp);
int kmem_cache_free(struct machine *m, struct kmem_cache *s, uint64_t addr);
/* kmem_cache_shrink - give empty slabs back to the page allocator; slabs freed. */
unsigned long kmem_cache_shrink(struct machine *m, struct kmem_cache *s);
/* kmem_cache_release - free a cache and its host bookkeeping (not its pages). */
void kmem_cache_release(struct machine *m, struct kmem_cache *s);
/* slab_objects_free - free objects on node partial slabs (slabinfo's "not active"). */
unsigned long slab_objects_free(const struct kmem_cache *s, int nr_nodes);

/* kmalloc_cache - the cache kmalloc(size, gfp) uses, or NULL above 8192 bytes. */
struct kmem_cache *kmalloc_cache(const struct machine *m, size_t size, gfp_t gfp);

/*
 * kmalloc.c.  kmalloc: 0 with *addr, -ENOMEM, or -EINVAL for a mask slab
 * memory may not use or a size over KMALLOC_MAX_SIZE (4 MiB).  kfree:
 * 0, or -EINVAL for anything kmalloc did not return (nothing changes).
 * ksize: the usable bytes of an object, or -EINVAL.
 */
int kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr);
int kfree(struct machine *m, uint64_t addr);
long ksize(const struct machine *m, uint64_t addr);

#endif
