/*
 * page_alloc_init.c - the numbers a zone is tuned by, computed as 3.2
 * computes them at boot and again when a vm sysctl is written:
 *
 *   min_free_kbytes   int_sqrt(lowmem_kbytes * 16), clamped to [128, 65536]
 *   watermarks        min = pages_min * present / lowmem_present (HighMem:
 *                     present/1024 clamped to [32, 128]); low = min + tmp/4;
 *                     high = min + tmp/2
 *   lowmem_reserve    lower zone keeps (pages of the zones above) / ratio
 *   Reserve blocks    roundup(min, pageblock) / pageblock, at most 2
 *   pcp batch/high    zone_batchsize: present/1024 capped at 512 KiB, /4,
 *                     then 2^n - 1; high = 6 * batch
 *   stat threshold    2 * fls(cpus) * (1 + fls(present >> 15)), at most 125
 *   inactive_ratio    int_sqrt(10 * GB), 1 under a gigabyte
 */
#include "mm/internal.h"

unsigned long int_sqrt(unsigned long x)
{
	unsigned long op = x, res = 0, one = 1ul << (sizeof(long) * 8 - 2);

	while (one > op)
		one >>= 2;
	while (one) {
		if (op >= res + one) {
			op -= res + one;
			res += 2 * one;
		}
		res >>= 1;
		one >>= 2;
	}
	return res;
}

static int fls_ul(unsigned long x)
{
	return x ? (int)(sizeof(long) * 8) - __builtin_clzl(x) : 0;
}

static unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1ul << (fls_ul(n) - 1);
}

int zone_batchsize(const struct zone *zone)
{
	long batch = (long)(zone->present_pages / 1024);

	if (batch * (long)PAGE_SIZE > 512 * 1024)
		batch = (512 * 1024) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	/* 2^n - 1 spreads page colours better than a power of two */
	return (int)rounddown_pow_of_two((unsigned long)(batch + batch / 2)) - 1;
}

void setup_pageset(struct per_cpu_pageset *p, unsigned long batch)
{
	struct per_cpu_pages *pcp = &p->pcp;

	pcp->high = (int)(6 * batch);
	pcp->batch = (int)(batch > 1 ? batch : 1);
}

void setup_pagelist_highmark(struct per_cpu_pageset *p, unsigned long high)
{
	struct per_cpu_pages *pcp = &p->pcp;

	pcp->high = (int)high;
	pcp->batch = (int)(high / 4 > 1 ? high / 4 : 1);
	if (high / 4 > PAGE_SHIFT * 8)
		pcp->batch = PAGE_SHIFT * 8;
}

void setup_zone_pagesets(struct machine *m)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *zone = m->zones[id];

		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			setup_pageset(&zone->pageset[cpu], (unsigned long)zone_batchsize(zone));
			if (m->sysctl.percpu_pagelist_fraction)
				setup_pagelist_highmark(
				    &zone->pageset[cpu],
				    zone->present_pages /
				        (unsigned long)m->sysctl.percpu_pagelist_fraction);
		}
	}
}

/* Sum of present - high over the zones a mask reaches from the boot CPU's node. */
static unsigned long nr_free_zone_pages(const struct machine *m, int offset)
{
	const pg_data_t *pgdat = &m->node_data[m->cpu_to_node[0]];
	unsigned long sum = 0;

	for (const struct zoneref *z = pgdat->node_zonelists[0]._zonerefs; z->zone; z++) {
		unsigned long size = z->zone->present_pages, high = high_wmark_pages(z->zone);

		if (z->zone_idx <= offset && size > high)
			sum += size - high;
	}
	return sum;
}

unsigned long nr_free_buffer_pages(const struct machine *m)
{
	return nr_free_zone_pages(m, gfp_zone(m, GFP_USER));
}

unsigned long nr_free_pagecache_pages(const struct machine *m)
{
	return nr_free_zone_pages(m, gfp_zone(m, GFP_HIGHUSER_MOVABLE));
}

/* A pageblock holding a reserved frame never frees entirely: no Reserve. */
static bool pageblock_is_reserved(const struct zone *z, unsigned long s, unsigned long e)
{
	for (unsigned long pfn = s; pfn < e; pfn++)
		if (PageReserved(&z->mem_map[pfn]))
			return true;
	return false;
}

void setup_zone_migrate_reserve(struct zone *zone)
{
	const struct machine *m = zone->zone_pgdat->machine;
	unsigned long nr = 1ul << zone->pageblock_order;
	unsigned long start = (zone->zone_start_pfn + nr - 1) & ~(nr - 1);
	unsigned long end = zone->zone_start_pfn + zone->spanned_pages;
	long reserve =
	    (long)(((min_wmark_pages(zone) + nr - 1) & ~(nr - 1)) >> zone->pageblock_order);

	/* more than two would be for huge pages, not for atomic allocations */
	if (reserve > 2)
		reserve = 2;
	for (unsigned long pfn = start; pfn < end; pfn += nr) {
		unsigned long bend = pfn + nr < end ? pfn + nr : end;
		int mt;

		mt = get_pageblock_migratetype(zone, pfn);
		/* nothing to do for this block: skip before scanning its frames */
		if (reserve <= 0 && mt != MIGRATE_RESERVE)
			continue;
		if (!pfn_valid(m, pfn) || pageblock_is_reserved(zone, pfn, bend))
			continue;
		if (reserve > 0 && mt == MIGRATE_RESERVE) {
			reserve--;
		} else if (reserve > 0 && mt == MIGRATE_MOVABLE) {
			set_pageblock_migratetype(zone, pfn, MIGRATE_RESERVE);
			move_freepages_block(zone, pfn, MIGRATE_RESERVE);
			reserve--;
		} else if (mt == MIGRATE_RESERVE) {
			/* the reserve shrank: give the block back */
			set_pageblock_migratetype(zone, pfn, MIGRATE_MOVABLE);
			move_freepages_block(zone, pfn, MIGRATE_MOVABLE);
		}
	}
}

void calculate_totalreserve_pages(struct machine *m)
{
	unsigned long total = 0;

	for (int id = 0; id < m->nr_zone_ids; id++) {
		const struct zone *zone = m->zones[id];
		unsigned long max = 0;

		for (int j = zone->idx; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		/* the high watermark counts as reserved too */
		max += high_wmark_pages(zone);
		total += max < zone->present_pages ? max : zone->present_pages;
	}
	m->totalreserve_pages = total;
}

void setup_per_zone_lowmem_reserve(struct machine *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->node_data[nid];

		for (int j = 0; j < MAX_NR_ZONES; j++) {
			unsigned long present = pgdat->node_zones[j].present_pages;

			pgdat->node_zones[j].lowmem_reserve[j] = 0;
			for (int idx = j - 1; idx >= 0; idx--) {
				struct zone *lower = &pgdat->node_zones[idx];

				if (m->sysctl.lowmem_reserve_ratio[idx] < 1)
					m->sysctl.lowmem_reserve_ratio[idx] = 1;
				lower->lowmem_reserve[j] =
				    present / (unsigned long)m->sysctl.lowmem_reserve_ratio[idx];
				present += lower->present_pages;
			}
		}
	}
	calculate_totalreserve_pages(m);
}

static void set_zone_wmarks(struct zone *zone, unsigned long pages_min, unsigned long lowmem)
{
	unsigned long tmp = (unsigned long)((uint64_t)pages_min * zone->present_pages / lowmem);

	if (is_highmem(zone)) {
		/* atomic and PF_MEMALLOC allocations rarely need HighMem */
		unsigned long min_pages = zone->present_pages / 1024;

		if (min_pages < SWAP_CLUSTER_MAX)
			min_pages = SWAP_CLUSTER_MAX;
		if (min_pages > 128)
			min_pages = 128;
		zone->watermark[WMARK_MIN] = min_pages;
	} else {
		zone->watermark[WMARK_MIN] = tmp;
	}
	/* the low/high gaps pace kswapd, so they follow tmp even for HighMem */
	zone->watermark[WMARK_LOW] = min_wmark_pages(zone) + (tmp >> 2);
	zone->watermark[WMARK_HIGH] = min_wmark_pages(zone) + (tmp >> 1);
	setup_zone_migrate_reserve(zone);
}

void setup_per_zone_wmarks(struct machine *m)
{
	unsigned long pages_min = (unsigned long)m->sysctl.min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem = 0;

	for (int id = 0; id < m->nr_zone_ids; id++)
		if (!is_highmem(m->zones[id]))
			lowmem += m->zones[id]->present_pages;
	for (int id = 0; id < m->nr_zone_ids; id++)
		set_zone_wmarks(m->zones[id], pages_min, lowmem ? lowmem : 1);
	calculate_totalreserve_pages(m);
}

void refresh_zone_stat_thresholds(struct machine *m)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *zone = m->zones[id];
		unsigned long mem = zone->present_pages >> (27 - PAGE_SHIFT);
		int threshold = 2 * fls_ul((unsigned long)m->nr_cpus) * (1 + fls_ul(mem));

		if (threshold > 125)
			threshold = 125;
		for (int cpu = 0; cpu < m->nr_cpus; cpu++)
			zone->pageset[cpu].stat_threshold = (int8_t)threshold;
	}
}

void setup_per_zone_inactive_ratio(struct machine *m)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *zone = m->zones[id];
		unsigned long gb = zone->present_pages >> (30 - PAGE_SHIFT);

		zone->inactive_ratio = gb ? (unsigned int)int_sqrt(10 * gb) : 1;
	}
}

void init_per_zone_wmark_min(struct machine *m)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages(m) * (PAGE_SIZE >> 10);
	unsigned long kb = int_sqrt(lowmem_kbytes * 16);

	if (kb < 128)
		kb = 128;
	if (kb > 65536)
		kb = 65536;
	m->sysctl.min_free_kbytes = (int)kb;
	setup_per_zone_wmarks(m);
	refresh_zone_stat_thresholds(m);
	setup_per_zone_lowmem_reserve(m);
	setup_per_zone_inactive_ratio(m);
}
