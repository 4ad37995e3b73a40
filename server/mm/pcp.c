/*
 * pcp.c - per-CPU pagesets: each CPU keeps, per zone, a small cache of
 * order-0 pages on one list per migrate type (struct per_cpu_pages), so the
 * common single-page allocation and free never touch the buddy lists.
 *
 * Refill takes `batch` pages from the buddy allocator at once
 * (rmqueue_bulk); a free that brings the cache to `high` gives `batch` back
 * (free_pcppages_bulk), round-robin over the lists so fuller lists give
 * more.  Hot pages go to the head and are reused first; cold ones
 * (__GFP_COLD allocations, cold frees) use the tail.  Pages on these lists
 * are not counted in NR_FREE_PAGES, as in the kernel.
 */
#include "mm/internal.h"

int rmqueue_bulk(struct zone *zone, unsigned int order, int count, pgidx_t list, int migratetype,
                 int cold)
{
	struct page *map = zone->mem_map;
	pgidx_t at = list;
	int i;

	for (i = 0; i < count; i++) {
		unsigned long pfn = __rmqueue(zone, order, migratetype);

		if (pfn == NO_PFN)
			break;
		/*
		 * Each page goes after the previous one, so the list reads in
		 * the order expand() split the block: ascending frames, which
		 * the kernel keeps for the benefit of I/O merging.
		 */
		if (cold)
			pl_add_tail(map, (pgidx_t)pfn, at);
		else
			pl_add(map, (pgidx_t)pfn, at);
		map[pfn].pcp_mt = (uint8_t)migratetype;
		at = (pgidx_t)pfn;
	}
	__mod_zone_page_state(zone, NR_FREE_PAGES, -(long)(i << order));
	return i;
}

void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp)
{
	struct page *map = zone->mem_map;
	int migratetype = 0, batch_free = 0, to_free = count;

	zone->all_unreclaimable = 0;
	zone->pages_scanned = 0;
	while (to_free) {
		pgidx_t list;

		do {
			batch_free++;
			if (++migratetype == MIGRATE_PCPTYPES)
				migratetype = 0;
			list = pcp->lists[migratetype];
		} while (pl_empty(map, list));

		/* only one list has pages: take them all from it */
		if (batch_free == MIGRATE_PCPTYPES)
			batch_free = to_free;
		do {
			pgidx_t pfn = map[list].lru_prev;

			pl_del(map, pfn);
			/* the Movable list also holds Reserve pages: pcp_mt says which */
			__free_one_page(zone, pfn, 0, map[pfn].pcp_mt);
		} while (--to_free && --batch_free && !pl_empty(map, list));
	}
	__mod_zone_page_state(zone, NR_FREE_PAGES, count);
}

void free_hot_cold_page_zone(struct machine *m, struct zone *zone, unsigned long pfn, int cold)
{
	struct per_cpu_pages *pcp = &zone->pageset[m->cpu].pcp;
	struct page *map = zone->mem_map;
	int migratetype = get_pageblock_migratetype(zone, pfn);

	map[pfn].pcp_mt = (uint8_t)migratetype;
	m->vm_events[PGFREE]++;
	/*
	 * Only the three pcp types are cached.  Isolated pages go straight
	 * back (they are being taken offline); Reserve pages are cached as
	 * Movable so the reserve is not flooded with frees.
	 */
	if (migratetype >= MIGRATE_PCPTYPES) {
		if (migratetype == MIGRATE_ISOLATE) {
			free_one_page(zone, pfn, 0, migratetype);
			return;
		}
		migratetype = MIGRATE_MOVABLE;
	}
	if (cold)
		pl_add_tail(map, (pgidx_t)pfn, pcp->lists[migratetype]);
	else
		pl_add(map, (pgidx_t)pfn, pcp->lists[migratetype]);
	pcp->count++;
	if (pcp->count >= pcp->high) {
		free_pcppages_bulk(zone, pcp->batch, pcp);
		pcp->count -= pcp->batch;
	}
}

static void drain_pages(struct machine *m, int cpu)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *zone = m->zones[id];
		struct per_cpu_pages *pcp;

		if (!populated_zone(zone))
			continue;
		pcp = &zone->pageset[cpu].pcp;
		if (pcp->count) {
			free_pcppages_bulk(zone, pcp->count, pcp);
			pcp->count = 0;
		}
	}
}

void drain_local_pages(struct machine *m)
{
	drain_pages(m, m->cpu);
}

void drain_all_pages(struct machine *m)
{
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		drain_pages(m, cpu);
}
