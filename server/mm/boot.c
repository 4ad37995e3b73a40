/*
 * boot.c - machine_create: from a config to a running machine, in the order
 * a 3.2 kernel boots its memory.
 *
 *   e820_setup            the physical map and each node's active ranges
 *   size_zones            free_area_init_nodes/free_area_init_core: spanned,
 *                         absent, memmap and dma_reserve pages, hence present
 *   memmap_boot           mem_map, pageblock types (memmap_init_zone), the
 *                         list sentinels, and the release of every usable,
 *                         unreserved frame to the buddy allocator
 *                         (free_all_bootmem)
 *   build_all_zonelists   fallback orders
 *   setup_zone_pagesets   per-CPU pagesets (setup_per_cpu_pageset)
 *   init_per_zone_wmark_min  min_free_kbytes, watermarks, reserves
 *
 * What the kernel reserves and mmsim does too: the hole below 1 MiB, the
 * first 64 KiB, the boot trampoline (dma_reserve) and, per zone, as many
 * frames as the kernel accounts for its memmap (64 bytes of struct page per
 * spanned frame on x86_64), taken from the top of the zone.  So a zone's
 * free pages at boot equal its present pages.  Left out: the kernel image,
 * initrd and boot-time allocations (a later memblock model adds them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"

/* Zone pfn ranges of the arch (arch_zone_lowest/highest_possible_pfn). */
struct zone_bounds {
	unsigned long lo[MAX_NR_ZONES];
	unsigned long hi[MAX_NR_ZONES];
	unsigned long movable_pfn[MAX_NUMNODES]; /* where ZONE_MOVABLE starts, 0 = none */
	int movable_zone;                        /* the zone ZONE_MOVABLE is carved from */
};

static unsigned long min_active_pfn(const struct machine *m)
{
	unsigned long min = ~0ul;

	for (int i = 0; i < m->nr_ranges; i++)
		if (m->ranges[i].start_pfn < min)
			min = m->ranges[i].start_pfn;
	return min;
}

/* The end of each zone kind's range: DMA and DMA32 fixed, Normal to lowmem's end. */
static unsigned long max_zone_pfn(const struct machine *m, int i)
{
	unsigned long lim = m->arch->zone_limit_pfn[i];

	if (!lim)
		return m->max_pfn;
	if (i == m->arch->zone_normal && lim > m->max_pfn)
		return m->max_pfn; /* i386: max_low_pfn = min(max_pfn, MAXMEM) */
	return lim;
}

static void zone_bounds(const struct machine *m, struct zone_bounds *b)
{
	memset(b, 0, sizeof(*b));
	b->lo[0] = min_active_pfn(m);
	b->hi[0] = max_zone_pfn(m, 0);
	for (int i = 1; i < MAX_NR_ZONES; i++) {
		if (i == m->arch->zone_movable)
			continue; /* ZONE_MOVABLE is placed per node (movablecore=) */
		b->lo[i] = b->hi[i - 1];
		b->hi[i] = max_zone_pfn(m, i) > b->lo[i] ? max_zone_pfn(m, i) : b->lo[i];
	}
}

/*
 * find_usable_zone_for_movable: ZONE_MOVABLE is carved out of the highest
 * zone with a range.  Only called when movablecore= asks for the zone: 3.2
 * leaves movable_zone at 0 otherwise, so an empty Movable zone is not
 * HighMem and gets no watermarks.
 */
static void find_usable_zone_for_movable(const struct machine *m, struct zone_bounds *b)
{
	for (b->movable_zone = MAX_NR_ZONES - 1; b->movable_zone > 0; b->movable_zone--)
		if (b->movable_zone != m->arch->zone_movable &&
		    b->hi[b->movable_zone] > b->lo[b->movable_zone])
			break;
}

static void node_pfn_range(const struct machine *m, int nid, unsigned long *s, unsigned long *e)
{
	*s = ~0ul;
	*e = 0;
	for (int i = 0; i < m->nr_ranges; i++) {
		if (m->ranges[i].nid != nid)
			continue;
		if (m->ranges[i].start_pfn < *s)
			*s = m->ranges[i].start_pfn;
		if (m->ranges[i].end_pfn > *e)
			*e = m->ranges[i].end_pfn;
	}
}

/* Pages of node nid present (not in a hole) within [s, e). */
static unsigned long node_present_in(const struct machine *m, int nid, unsigned long s,
                                     unsigned long e)
{
	unsigned long n = 0;

	for (int i = 0; i < m->nr_ranges; i++) {
		unsigned long rs = m->ranges[i].start_pfn, re = m->ranges[i].end_pfn;

		if (m->ranges[i].nid != nid)
			continue;
		rs = rs > s ? rs : s;
		re = re < e ? re : e;
		if (rs < re)
			n += re - rs;
	}
	return n;
}

/*
 * One pass of find_zone_movable_pfns_for_nodes: give each node up to
 * kc_node pages of kernel core from its lowest memory; ZONE_MOVABLE starts
 * where that ends.  Returns the kernel core still unplaced.
 */
static unsigned long place_kernelcore(const struct machine *m, struct zone_bounds *b,
                                      unsigned long required, int usable_nodes)
{
	unsigned long usable_start = b->lo[b->movable_zone], kc_node = required / usable_nodes;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		unsigned long remaining;

		if (required < kc_node)
			kc_node = required / usable_nodes;
		remaining = kc_node;
		for (int i = 0; i < m->nr_ranges && remaining; i++) {
			unsigned long s = m->ranges[i].start_pfn, e = m->ranges[i].end_pfn, size;

			if (m->ranges[i].nid != nid)
				continue;
			s = s > b->movable_pfn[nid] ? s : b->movable_pfn[nid];
			if (s >= e)
				continue;
			if (s < usable_start) {
				/* memory below the movable zone's range is kernel core anyway */
				unsigned long k = (e < usable_start ? e : usable_start) - s;

				remaining -= k < remaining ? k : remaining;
				required -= k < required ? k : required;
				if (e <= usable_start) {
					b->movable_pfn[nid] = e;
					continue;
				}
				s = usable_start;
			}
			size = e - s < remaining ? e - s : remaining;
			b->movable_pfn[nid] = s + size;
			required -= size < required ? size : required;
			remaining -= size;
		}
	}
	return required;
}

static void find_zone_movable_pfns(const struct machine *m, struct zone_bounds *b)
{
	unsigned long total = 0, movable, required;
	int usable_nodes = m->nr_nodes;

	if (!m->config.movablecore_bytes)
		return;
	for (int i = 0; i < m->nr_ranges; i++)
		total += m->ranges[i].end_pfn - m->ranges[i].start_pfn;
	/* rounded up so the zone is at least what was asked for */
	movable = ((m->config.movablecore_bytes >> PAGE_SHIFT) + MAX_ORDER_NR_PAGES - 1) &
	          ~(MAX_ORDER_NR_PAGES - 1);
	if (movable >= total)
		return;
	find_usable_zone_for_movable(m, b);
	required = total - movable;
	do {
		required = place_kernelcore(m, b, required, usable_nodes);
		usable_nodes--;
	} while (usable_nodes && required > (unsigned long)usable_nodes);
	for (int nid = 0; nid < m->nr_nodes; nid++)
		b->movable_pfn[nid] =
		    (b->movable_pfn[nid] + MAX_ORDER_NR_PAGES - 1) & ~(MAX_ORDER_NR_PAGES - 1);
}

/* adjust_zone_range_for_zone_movable */
static void adjust_for_movable(const struct machine *m, const struct zone_bounds *b, int nid, int j,
                               unsigned long node_end, unsigned long *zs, unsigned long *ze)
{
	unsigned long mpfn = b->movable_pfn[nid];

	if (!mpfn)
		return;
	if (j == m->arch->zone_movable) {
		*zs = mpfn;
		*ze = node_end < b->hi[b->movable_zone] ? node_end : b->hi[b->movable_zone];
	} else if (*zs<mpfn && * ze> mpfn) {
		*ze = mpfn;
	} else if (*zs >= mpfn) {
		*zs = *ze;
	}
}

static void print_zone_ranges(struct machine *m, const struct zone_bounds *b)
{
	printk(m, "Zone PFN ranges:");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (i == m->arch->zone_movable)
			continue;
		if (b->lo[i] == b->hi[i])
			printk(m, "  %-8s empty", zone_name(m, i));
		else
			printk(m, "  %-8s 0x%08lx -> 0x%08lx", zone_name(m, i), b->lo[i], b->hi[i]);
	}
	printk(m, "Movable zone start PFN for each node");
	for (int nid = 0; nid < m->nr_nodes; nid++)
		if (b->movable_pfn[nid])
			printk(m, "  Node %d: %lu", nid, b->movable_pfn[nid]);
	printk(m, "early_node_map[%d] active PFN ranges", m->nr_ranges);
	for (int i = 0; i < m->nr_ranges; i++)
		printk(m, "  %3d: 0x%08lx -> 0x%08lx", m->ranges[i].nid, m->ranges[i].start_pfn,
		       m->ranges[i].end_pfn);
}

/* free_area_init_core's accounting for one zone; returns its present pages. */
static unsigned long size_zone(struct machine *m, struct zone *z, unsigned long spanned,
                               unsigned long realsize)
{
	unsigned long memmap = (spanned * m->arch->struct_page_bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (realsize >= memmap) {
		realsize -= memmap;
		z->memmap_pages = memmap;
		if (memmap)
			printk(m, "  %s zone: %lu pages used for memmap", z->name, memmap);
	}
	if (z->idx == 0 && realsize > m->dma_reserve) {
		realsize -= m->dma_reserve;
		z->dma_reserved = m->dma_reserve;
		printk(m, "  %s zone: %lu pages reserved", z->name, m->dma_reserve);
	}
	if (!is_highmem_idx(m, z->idx))
		m->nr_kernel_pages += realsize;
	m->nr_all_pages += realsize;
	return realsize;
}

static void size_node_zones(struct machine *m, pg_data_t *pgdat, const struct zone_bounds *b)
{
	unsigned long ns, ne, total = 0;

	node_pfn_range(m, pgdat->node_id, &ns, &ne);
	pgdat->node_start_pfn = ns;
	pgdat->node_spanned_pages = ne - ns;
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		unsigned long zs = b->lo[j], ze = b->hi[j];

		adjust_for_movable(m, b, pgdat->node_id, j, ne, &zs, &ze);
		zs = zs > ns ? zs : ns;
		ze = ze < ne ? ze : ne;
		if (zs >= ze)
			zs = ze = 0;
		pgdat->node_zones[j].zone_start_pfn = zs;
		pgdat->node_zones[j].spanned_pages = ze - zs;
		total += node_present_in(m, pgdat->node_id, zs, ze);
	}
	/* 3.2 counts the memmap in a node's present pages, unlike a zone's */
	pgdat->node_present_pages = total;
	printk(m, "On node %d totalpages: %lu", pgdat->node_id, total);
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		struct zone *z = &pgdat->node_zones[j];
		unsigned long real;

		if (!z->spanned_pages)
			continue;
		real = node_present_in(m, pgdat->node_id, z->zone_start_pfn,
		                       z->zone_start_pfn + z->spanned_pages);
		z->present_pages = size_zone(m, z, z->spanned_pages, real);
		printk(m, "  %s zone: %lu pages, LIFO batch:%d", z->name, z->present_pages,
		       zone_batchsize(z));
		if (z->present_pages)
			pgdat->nr_zones = j + 1;
	}
}

static void init_zone_struct(struct machine *m, pg_data_t *pgdat, int j)
{
	struct zone *z = &pgdat->node_zones[j];

	z->zone_pgdat = pgdat;
	z->node = pgdat->node_id;
	z->idx = j;
	z->id = (uint16_t)(pgdat->node_id * MAX_NR_ZONES + j);
	z->name = zone_name(m, j);
	z->pageblock_order = m->arch->pageblock_order;
	m->zones[z->id] = z;
}

static int init_nodes(struct machine *m)
{
	int cpu = 0;

	m->node_data = calloc((size_t)m->nr_nodes, sizeof(*m->node_data));
	if (!m->node_data)
		return -ENOMEM;
	m->nr_zone_ids = m->nr_nodes * MAX_NR_ZONES;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->node_data[nid];

		pgdat->node_id = nid;
		pgdat->machine = m;
		pgdat->first_cpu = cpu;
		pgdat->nr_cpus = m->config.node[nid].nr_cpus;
		for (int c = 0; c < pgdat->nr_cpus; c++)
			m->cpu_to_node[cpu++] = nid;
		for (int j = 0; j < MAX_NR_ZONES; j++)
			init_zone_struct(m, pgdat, j);
	}
	m->nr_cpus = cpu;
	return 0;
}

static void size_zones(struct machine *m)
{
	struct zone_bounds b;

	zone_bounds(m, &b);
	find_zone_movable_pfns(m, &b);
	m->movable_zone = b.movable_zone;
	print_zone_ranges(m, &b);
	m->dma_reserve = m->arch->dma_reserve_pages;
	for (int nid = 0; nid < m->nr_nodes; nid++)
		size_node_zones(m, &m->node_data[nid], &b);
}

static int alloc_zone_pagesets(struct machine *m)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		m->zones[id]->pageset = calloc((size_t)m->nr_cpus, sizeof(struct per_cpu_pageset));
		if (!m->zones[id]->pageset)
			return -ENOMEM;
	}
	return 0;
}

static void free_machine_memory(struct machine *m)
{
	if (m->node_data) {
		for (int nid = 0; nid < m->nr_nodes; nid++) {
			free(m->node_data[nid].node_zonelists[0]._zonerefs);
			free(m->node_data[nid].node_zonelists[1]._zonerefs);
			for (int j = 0; j < MAX_NR_ZONES; j++)
				free(m->node_data[nid].node_zones[j].pageset);
		}
	}
	kmem_cache_exit(m);
	free(m->node_data);
	free(m->mem_map);
	free(m->pageblock_mt);
	free(m->section_present);
	printk_free(&m->log);
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	free_machine_memory(m);
	free(m);
}

static int machine_boot(struct machine *m, char *err, size_t errlen)
{
	int rc;

	printk(m, "Linux version 3.2.0 (mmsim) #1 SMP");
	if ((rc = e820_setup(m, err, errlen)))
		return rc;
	size_zones(m);
	if ((rc = alloc_zone_pagesets(m)) || (rc = zonelists_alloc(m)) ||
	    (rc = memmap_boot(m, err, errlen)))
		return rc;
	build_all_zonelists(m);
	setup_zone_pagesets(m);
	init_per_zone_wmark_min(m);
	if ((rc = kmem_cache_init(m))) {
		snprintf(err, errlen, "out of host memory for the slab caches");
		return rc;
	}
	printk(m, "Memory: %luk/%luk available", m->totalram_pages << (PAGE_SHIFT - 10),
	       m->max_pfn << (PAGE_SHIFT - 10));
	return 0;
}

struct machine *machine_create(const struct machine_config *cfg, char *err, size_t errlen)
{
	struct machine *m;
	char dummy[8];

	if (!err)
		err = dummy, errlen = sizeof(dummy);
	if (machine_config_validate(cfg, err, errlen))
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m || printk_init(&m->log)) {
		free(m);
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	m->config = *cfg;
	m->arch = arch_lookup(cfg->arch);
	m->nr_nodes = cfg->nr_nodes;
	gfp_zone_table_init(m);
	for (int i = 0; i < 3; i++)
		m->sysctl.lowmem_reserve_ratio[i] = m->arch->lowmem_reserve_ratio[i];
	strcpy(m->sysctl.numa_zonelist_order, "default");
	if (init_nodes(m) || machine_boot(m, err, errlen)) {
		if (!err[0])
			snprintf(err, errlen, "out of host memory");
		machine_destroy(m);
		return NULL;
	}
	return m;
}

int machine_set_cpu(struct machine *m, int cpu)
{
	if (cpu < 0 || cpu >= m->nr_cpus)
		return -EINVAL;
	m->cpu = cpu;
	return 0;
}
