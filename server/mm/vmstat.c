/*
 * vmstat.c - counters summed over zones, and the /proc views of the
 * allocator: buddyinfo, pagetypeinfo, zoneinfo, vmstat and the per-node
 * vmstat, in 3.2's exact text (mm/vmstat.c, drivers/base/node.c).
 *
 * Views render from live state at the moment of the call.  Only populated
 * zones are shown.  Builds without NUMA (the i386 profile) leave out the
 * numa_* items and zone_reclaim_failed, as the kernel's #ifdefs do.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/vmstat.h"

const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
    "nr_free_pages",
    "nr_inactive_anon",
    "nr_active_anon",
    "nr_inactive_file",
    "nr_active_file",
    "nr_unevictable",
    "nr_mlock",
    "nr_anon_pages",
    "nr_mapped",
    "nr_file_pages",
    "nr_dirty",
    "nr_writeback",
    "nr_slab_reclaimable",
    "nr_slab_unreclaimable",
    "nr_page_table_pages",
    "nr_kernel_stack",
    "nr_unstable",
    "nr_bounce",
    "nr_vmscan_write",
    "nr_vmscan_immediate_reclaim",
    "nr_writeback_temp",
    "nr_isolated_anon",
    "nr_isolated_file",
    "nr_shmem",
    "nr_dirtied",
    "nr_written",
    "numa_hit",
    "numa_miss",
    "numa_foreign",
    "numa_interleave",
    "numa_local",
    "numa_other",
    "nr_anon_transparent_hugepages",
};

/* Event names; per-zone events give a prefix that takes the zone suffix. */
static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
    [PGPGIN] = "pgpgin",
    [PGPGOUT] = "pgpgout",
    [PSWPIN] = "pswpin",
    [PSWPOUT] = "pswpout",
    [PGALLOC] = "pgalloc_",
    [PGFREE] = "pgfree",
    [PGACTIVATE] = "pgactivate",
    [PGDEACTIVATE] = "pgdeactivate",
    [PGFAULT] = "pgfault",
    [PGMAJFAULT] = "pgmajfault",
    [PGREFILL] = "pgrefill_",
    [PGSTEAL] = "pgsteal_",
    [PGSCAN_KSWAPD] = "pgscan_kswapd_",
    [PGSCAN_DIRECT] = "pgscan_direct_",
    [PGSCAN_ZONE_RECLAIM_FAILED] = "zone_reclaim_failed",
    [PGINODESTEAL] = "pginodesteal",
    [SLABS_SCANNED] = "slabs_scanned",
    [KSWAPD_STEAL] = "kswapd_steal",
    [KSWAPD_INODESTEAL] = "kswapd_inodesteal",
    [KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
    [KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
    [KSWAPD_SKIP_CONGESTION_WAIT] = "kswapd_skip_congestion_wait",
    [PAGEOUTRUN] = "pageoutrun",
    [ALLOCSTALL] = "allocstall",
    [PGROTATED] = "pgrotated",
    [COMPACTBLOCKS] = "compact_blocks_moved",
    [COMPACTPAGES] = "compact_pages_moved",
    [COMPACTPAGEFAILED] = "compact_pagemigrate_failed",
    [COMPACTSTALL] = "compact_stall",
    [COMPACTFAIL] = "compact_fail",
    [COMPACTSUCCESS] = "compact_success",
    [HTLB_BUDDY_PGALLOC] = "htlb_buddy_alloc_success",
    [HTLB_BUDDY_PGALLOC_FAIL] = "htlb_buddy_alloc_fail",
    [UNEVICTABLE_PGCULLED] = "unevictable_pgs_culled",
    [UNEVICTABLE_PGSCANNED] = "unevictable_pgs_scanned",
    [UNEVICTABLE_PGRESCUED] = "unevictable_pgs_rescued",
    [UNEVICTABLE_PGMLOCKED] = "unevictable_pgs_mlocked",
    [UNEVICTABLE_PGMUNLOCKED] = "unevictable_pgs_munlocked",
    [UNEVICTABLE_PGCLEARED] = "unevictable_pgs_cleared",
    [UNEVICTABLE_PGSTRANDED] = "unevictable_pgs_stranded",
    [UNEVICTABLE_MLOCKFREED] = "unevictable_pgs_mlockfreed",
};

static const char *const migratetype_names[MIGRATE_TYPES] = {
    "Unmovable", "Reclaimable", "Movable", "Reserve", "Isolate",
};

/* The first slot of the per-zone event group `item` is in, or -1. */
static int zone_event_base(int item)
{
	if (item >= PGALLOC && item < PGFREE)
		return PGALLOC;
	if (item >= PGREFILL && item < PGSCAN_ZONE_RECLAIM_FAILED)
		return PGREFILL + (item - PGREFILL) / MAX_NR_ZONES * MAX_NR_ZONES;
	return -1;
}

const char *vm_event_name(const struct machine *m, int item, char *buf, unsigned long len)
{
	int base;

	if (item < 0 || item >= NR_VM_EVENT_ITEMS)
		return NULL;
	if (item == PGSCAN_ZONE_RECLAIM_FAILED && !m->arch->numa)
		return NULL;
	base = zone_event_base(item);
	if (base < 0)
		return vm_event_names[item];
	snprintf(buf, len, "%s%s", vm_event_names[base], m->arch->vmstat_zone[item - base]);
	return buf;
}

static bool stat_item_shown(const struct machine *m, int item)
{
	return m->arch->numa || item < NUMA_HIT || item > NUMA_OTHER;
}

unsigned long global_page_state(const struct machine *m, enum zone_stat_item item)
{
	long x = 0;

	for (int id = 0; id < m->nr_zone_ids; id++)
		x += m->zones[id]->vm_stat[item];
	return x < 0 ? 0 : (unsigned long)x;
}

unsigned long node_page_state(const struct machine *m, int nid, enum zone_stat_item item)
{
	long x = 0;

	for (int j = 0; j < MAX_NR_ZONES; j++)
		x += m->node_data[nid].node_zones[j].vm_stat[item];
	return x < 0 ? 0 : (unsigned long)x;
}

int proc_buddyinfo(const struct machine *m, struct sbuf *out)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		const struct zone *z = m->zones[id];

		if (!populated_zone(z))
			continue;
		sbuf_printf(out, "Node %d, zone %8s ", z->node, z->name);
		for (int o = 0; o < MAX_ORDER; o++)
			sbuf_printf(out, "%6lu ", z->free_area[o].nr_free);
		sbuf_putc(out, '\n');
	}
	return sbuf_status(out);
}

static unsigned long free_list_len(const struct zone *z, int order, int mt)
{
	pgidx_t head = z->free_area[order].free_list[mt];
	unsigned long n = 0;

	for (pgidx_t p = z->mem_map[head].lru_next; p != head; p = z->mem_map[p].lru_next)
		n++;
	return n;
}

static void pagetypeinfo_free(const struct machine *m, int nid, struct sbuf *out)
{
	sbuf_printf(out, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < MAX_ORDER; o++)
		sbuf_printf(out, "%6d ", o);
	sbuf_putc(out, '\n');
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		const struct zone *z = &m->node_data[nid].node_zones[j];

		if (!populated_zone(z))
			continue;
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			sbuf_printf(out, "Node %4d, zone %8s, type %12s ", nid, z->name,
			            migratetype_names[t]);
			for (int o = 0; o < MAX_ORDER; o++)
				sbuf_printf(out, "%6lu ", free_list_len(z, o, t));
			sbuf_putc(out, '\n');
		}
	}
}

static void pagetypeinfo_blocks(const struct machine *m, int nid, struct sbuf *out)
{
	sbuf_printf(out, "\n%-23s", "Number of blocks type ");
	for (int t = 0; t < MIGRATE_TYPES; t++)
		sbuf_printf(out, "%12s ", migratetype_names[t]);
	sbuf_putc(out, '\n');
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		const struct zone *z = &m->node_data[nid].node_zones[j];
		unsigned long count[MIGRATE_TYPES] = {0};
		unsigned long end = z->zone_start_pfn + z->spanned_pages;

		if (!populated_zone(z))
			continue;
		/* like the kernel, step from the (unaligned) zone start */
		for (unsigned long pfn = z->zone_start_pfn; pfn < end;
		     pfn += 1ul << z->pageblock_order) {
			int mt;

			if (!pfn_valid(m, pfn))
				continue;
			mt = get_pageblock_migratetype(z, pfn);
			if (mt < MIGRATE_TYPES)
				count[mt]++;
		}
		sbuf_printf(out, "Node %d, zone %8s ", nid, z->name);
		for (int t = 0; t < MIGRATE_TYPES; t++)
			sbuf_printf(out, "%12lu ", count[t]);
		sbuf_putc(out, '\n');
	}
}

int proc_pagetypeinfo(const struct machine *m, struct sbuf *out)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		if (!m->node_data[nid].node_present_pages)
			continue;
		sbuf_printf(out, "Page block order: %u\n", m->arch->pageblock_order);
		sbuf_printf(out, "Pages per block:  %lu\n", 1ul << m->arch->pageblock_order);
		sbuf_putc(out, '\n');
		pagetypeinfo_free(m, nid, out);
		pagetypeinfo_blocks(m, nid, out);
	}
	return sbuf_status(out);
}

static void zoneinfo_pagesets(const struct machine *m, const struct zone *z, struct sbuf *out)
{
	sbuf_puts(out, "\n  pagesets");
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		const struct per_cpu_pageset *p = &z->pageset[cpu];

		sbuf_printf(out,
		            "\n    cpu: %i"
		            "\n              count: %i"
		            "\n              high:  %i"
		            "\n              batch: %i"
		            "\n  vm stats threshold: %d",
		            cpu, p->pcp.count, p->pcp.high, p->pcp.batch, p->stat_threshold);
	}
}

static void zoneinfo_zone(const struct machine *m, const struct zone *z, struct sbuf *out)
{
	sbuf_printf(out,
	            "Node %d, zone %8s"
	            "\n  pages free     %lu"
	            "\n        min      %lu"
	            "\n        low      %lu"
	            "\n        high     %lu"
	            "\n        scanned  %lu"
	            "\n        spanned  %lu"
	            "\n        present  %lu",
	            z->node, z->name, zone_page_state(z, NR_FREE_PAGES), min_wmark_pages(z),
	            low_wmark_pages(z), high_wmark_pages(z), z->pages_scanned, z->spanned_pages,
	            z->present_pages);
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (stat_item_shown(m, i))
			sbuf_printf(out, "\n    %-12s %lu", zone_stat_names[i],
			            zone_page_state(z, (enum zone_stat_item)i));
	sbuf_printf(out, "\n        protection: (%lu", z->lowmem_reserve[0]);
	for (int j = 1; j < MAX_NR_ZONES; j++)
		sbuf_printf(out, ", %lu", z->lowmem_reserve[j]);
	sbuf_putc(out, ')');
	zoneinfo_pagesets(m, z, out);
	sbuf_printf(out,
	            "\n  all_unreclaimable: %u"
	            "\n  start_pfn:         %lu"
	            "\n  inactive_ratio:    %u\n",
	            (unsigned int)z->all_unreclaimable, z->zone_start_pfn, z->inactive_ratio);
}

int proc_zoneinfo(const struct machine *m, struct sbuf *out)
{
	for (int id = 0; id < m->nr_zone_ids; id++)
		if (populated_zone(m->zones[id]))
			zoneinfo_zone(m, m->zones[id], out);
	return sbuf_status(out);
}

/* Free plus reclaimable pages of the HighMem zones (highmem_dirtyable_memory). */
static unsigned long highmem_dirtyable(const struct machine *m, unsigned long total)
{
	unsigned long x = 0;

	if (m->arch->zone_highmem < 0)
		return 0;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		const struct zone *z = &m->node_data[nid].node_zones[m->arch->zone_highmem];

		x += zone_page_state(z, NR_FREE_PAGES) + zone_page_state(z, NR_ACTIVE_FILE) +
		     zone_page_state(z, NR_INACTIVE_FILE);
	}
	return x < total ? x : total;
}

/*
 * global_dirty_limits with the 3.2 defaults (dirty_ratio 20,
 * dirty_background_ratio 10, no *_bytes): a share of free and reclaimable
 * memory, HighMem excluded.  Anonymous pages count only with swap, and
 * there is no swap yet.
 */
static void global_dirty_limits(const struct machine *m, unsigned long *bg, unsigned long *dirty)
{
	unsigned long x = global_page_state(m, NR_FREE_PAGES) +
	                  global_page_state(m, NR_ACTIVE_FILE) +
	                  global_page_state(m, NR_INACTIVE_FILE);

	x -= highmem_dirtyable(m, x);
	x += 1;
	*dirty = 20 * x / 100;
	*bg = 10 * x / 100;
	if (*bg >= *dirty)
		*bg = *dirty / 2;
}

int proc_vmstat(const struct machine *m, struct sbuf *out)
{
	unsigned long bg, dirty;
	char name[64];

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		if (stat_item_shown(m, i))
			sbuf_printf(out, "%s %lu\n", zone_stat_names[i],
			            global_page_state(m, (enum zone_stat_item)i));
	global_dirty_limits(m, &bg, &dirty);
	sbuf_printf(out, "nr_dirty_threshold %lu\n", dirty);
	sbuf_printf(out, "nr_dirty_background_threshold %lu\n", bg);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		const char *n = vm_event_name(m, i, name, sizeof(name));

		if (n)
			sbuf_printf(out, "%s %lu\n", n, m->vm_events[i]);
	}
	return sbuf_status(out);
}

int node_vmstat(const struct machine *m, int nid, struct sbuf *out)
{
	if (nid < 0 || nid >= m->nr_nodes)
		return -EINVAL;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		sbuf_printf(out, "%s %lu\n", zone_stat_names[i],
		            node_page_state(m, nid, (enum zone_stat_item)i));
	return sbuf_status(out);
}
