/*
 * buddy.c - the binary buddy allocator of one zone: free_area[0..MAX_ORDER-1]
 * with one free list per migrate type, as 3.2's mm/page_alloc.c keeps it.
 *
 * A free block of 2^order frames is represented by its first frame, marked
 * PG_buddy with the order in page->order, on free_area[order].free_list[mt].
 * The buddy of the block at pfn is the block at pfn ^ (1 << order); freeing
 * merges with the buddy while it is free and of the same order, so every
 * free block is naturally aligned and no two free buddies coexist.
 *
 * Anti-fragmentation: frames are grouped by migrate type in pageblocks
 * (2^pageblock_order frames).  An allocation first takes the smallest block
 * of its own type (__rmqueue_smallest), then steals the largest block of
 * another type (__rmqueue_fallback, with the fallback table below), claiming
 * the whole pageblock when the stolen block is big or the request is
 * reclaimable, and finally dips into the Reserve blocks.
 *
 * Callers hold no lock: a machine is single-threaded.  Counters
 * (NR_FREE_PAGES) are the callers' business, as in the kernel.
 */
#include "mm/internal.h"

static inline void set_page_order(struct page *page, unsigned int order, uint16_t zone_id)
{
	page->order = (uint8_t)order;
	page->zone_id = zone_id;
	page_set(page, PG_buddy);
}

static inline void rmv_page_order(struct page *page)
{
	page_clear(page, PG_buddy);
	page->order = 0;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn - z->zone_start_pfn < z->spanned_pages;
}

/*
 * page_is_buddy - the block at `pfn` is a free block of exactly `order` in
 * zone z.  Holes and reserved frames are never PG_buddy, and the span check
 * keeps merges inside the zone (the kernel compares zone ids).
 */
static inline bool page_is_buddy(const struct zone *z, unsigned long pfn, unsigned int order)
{
	const struct page *buddy = &z->mem_map[pfn];

	return zone_spans_pfn(z, pfn) && PageBuddy(buddy) && buddy->order == order;
}

void __free_one_page(struct zone *zone, unsigned long pfn, unsigned int order, int migratetype)
{
	struct page *map = zone->mem_map;
	unsigned long buddy = 0;

	while (order < MAX_ORDER - 1) {
		buddy = pfn ^ (1ul << order);
		if (!page_is_buddy(zone, buddy, order))
			break;
		pl_del(map, (pgidx_t)buddy);
		zone->free_area[order].nr_free--;
		rmv_page_order(&map[buddy]);
		pfn &= buddy;
		order++;
	}
	set_page_order(&map[pfn], order, zone->id);

	/*
	 * If the next-larger block is about to be completable (its other half
	 * is free), queue this one at the tail so it stays free longer and the
	 * merge happens: the kernel's bet on coalescing.
	 */
	if (order < MAX_ORDER - 2) {
		unsigned long combined = pfn & (pfn ^ (1ul << order));
		unsigned long higher_buddy = combined ^ (1ul << (order + 1));

		if (page_is_buddy(zone, higher_buddy, order + 1)) {
			pl_add_tail(map, (pgidx_t)pfn,
			            zone->free_area[order].free_list[migratetype]);
			zone->free_area[order].nr_free++;
			return;
		}
	}
	pl_add(map, (pgidx_t)pfn, zone->free_area[order].free_list[migratetype]);
	zone->free_area[order].nr_free++;
}

void free_one_page(struct zone *zone, unsigned long pfn, unsigned int order, int migratetype)
{
	zone->all_unreclaimable = 0;
	zone->pages_scanned = 0;
	__free_one_page(zone, pfn, order, migratetype);
	__mod_zone_page_state(zone, NR_FREE_PAGES, 1l << order);
}

/*
 * expand - a block of order `high` at pfn was taken to satisfy an order
 * `low` request: give back the upper halves, largest first, so the caller
 * keeps the lowest 2^low frames.
 */
static void expand(struct zone *zone, unsigned long pfn, unsigned int low, unsigned int high,
                   int migratetype)
{
	struct page *map = zone->mem_map;
	unsigned long size = 1ul << high;

	while (high > low) {
		high--;
		size >>= 1;
		pl_add(map, (pgidx_t)(pfn + size), zone->free_area[high].free_list[migratetype]);
		zone->free_area[high].nr_free++;
		set_page_order(&map[pfn + size], high, zone->id);
	}
}

/* Take the first block off a free list and split it down to `order`. */
static unsigned long take_block(struct zone *zone, unsigned int current_order, unsigned int order,
                                int list_mt, int expand_mt)
{
	struct free_area *area = &zone->free_area[current_order];
	pgidx_t pfn = zone->mem_map[area->free_list[list_mt]].lru_next;

	pl_del(zone->mem_map, pfn);
	rmv_page_order(&zone->mem_map[pfn]);
	area->nr_free--;
	expand(zone, pfn, order, current_order, expand_mt);
	return pfn;
}

static unsigned long __rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	for (unsigned int o = order; o < MAX_ORDER; o++)
		if (!pl_empty(zone->mem_map, zone->free_area[o].free_list[migratetype]))
			return take_block(zone, o, order, migratetype, migratetype);
	return NO_PFN;
}

/* Where each type looks when its own lists are empty, in order. */
static const int fallbacks[MIGRATE_TYPES][MIGRATE_TYPES - 1] = {
    [MIGRATE_UNMOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE, MIGRATE_RESERVE},
    [MIGRATE_RECLAIMABLE] = {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RESERVE},
    [MIGRATE_MOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_RESERVE},
    [MIGRATE_RESERVE] = {MIGRATE_RESERVE, MIGRATE_RESERVE, MIGRATE_RESERVE},
};

/*
 * move_freepages - move every free block that starts in [start, end] to the
 * `migratetype` lists; returns the frames moved.
 */
static int move_freepages(struct zone *zone, unsigned long start, unsigned long end,
                          int migratetype)
{
	struct page *map = zone->mem_map;
	int moved = 0;

	for (unsigned long pfn = start; pfn <= end;) {
		unsigned int order;

		if (!PageBuddy(&map[pfn])) {
			pfn++;
			continue;
		}
		order = map[pfn].order;
		pl_move(map, (pgidx_t)pfn, zone->free_area[order].free_list[migratetype]);
		pfn += 1ul << order;
		moved += 1 << order;
	}
	return moved;
}

int move_freepages_block(struct zone *zone, unsigned long pfn, int migratetype)
{
	unsigned long nr = 1ul << zone->pageblock_order;
	unsigned long start = pfn & ~(nr - 1), end = start + nr - 1;

	/* a block cut by the zone start begins at pfn; one cut by the end is left */
	if (start < zone->zone_start_pfn)
		start = pfn;
	if (end >= zone->zone_start_pfn + zone->spanned_pages)
		return 0;
	return move_freepages(zone, start, end, migratetype);
}

static void change_pageblock_range(struct zone *zone, unsigned long pfn, unsigned int order,
                                   int migratetype)
{
	unsigned long nr = 1ul << zone->pageblock_order;

	for (unsigned long n = 1ul << (order - zone->pageblock_order); n; n--, pfn += nr)
		set_pageblock_migratetype(zone, pfn, migratetype);
}

/* Steal the largest free block of another type, perhaps its whole pageblock. */
static unsigned long steal_block(struct zone *zone, unsigned int current_order, unsigned int order,
                                 int start_mt, int mt)
{
	struct free_area *area = &zone->free_area[current_order];
	pgidx_t pfn = zone->mem_map[area->free_list[mt]].lru_next;
	unsigned int pb_order = zone->pageblock_order;
	bool disabled = zone->zone_pgdat->machine->page_group_by_mobility_disabled;

	if (current_order >= pb_order / 2 || start_mt == MIGRATE_RECLAIMABLE || disabled) {
		int pages = move_freepages_block(zone, pfn, start_mt);

		/* claim the block when at least half of it was free */
		if (pages >= (1 << (pb_order - 1)) || disabled)
			set_pageblock_migratetype(zone, pfn, start_mt);
		mt = start_mt;
	}
	pl_del(zone->mem_map, pfn);
	rmv_page_order(&zone->mem_map[pfn]);
	area->nr_free--;
	if (current_order >= pb_order)
		change_pageblock_range(zone, pfn, current_order, start_mt);
	expand(zone, pfn, order, current_order, mt);
	return pfn;
}

static unsigned long __rmqueue_fallback(struct zone *zone, unsigned int order, int start_mt)
{
	for (int o = MAX_ORDER - 1; o >= (int)order; o--) {
		for (int i = 0; i < MIGRATE_TYPES - 1; i++) {
			int mt = fallbacks[start_mt][i];

			if (mt == MIGRATE_RESERVE)
				continue; /* only once every fallback failed */
			if (!pl_empty(zone->mem_map, zone->free_area[o].free_list[mt]))
				return steal_block(zone, (unsigned int)o, order, start_mt, mt);
		}
	}
	return NO_PFN;
}

unsigned long __rmqueue(struct zone *zone, unsigned int order, int migratetype)
{
	unsigned long pfn = __rmqueue_smallest(zone, order, migratetype);

	if (pfn == NO_PFN && migratetype != MIGRATE_RESERVE) {
		pfn = __rmqueue_fallback(zone, order, migratetype);
		if (pfn == NO_PFN)
			pfn = __rmqueue_smallest(zone, order, MIGRATE_RESERVE);
	}
	return pfn;
}
