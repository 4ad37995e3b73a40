/*
 * mmzone.h - nodes (pglist_data), zones, free areas, per-CPU pagesets and
 * zonelists, shaped like include/linux/mmzone.h of 3.2.
 *
 * A node owns MAX_NR_ZONES zones whatever the arch; which zone kinds they are
 * (DMA/DMA32/Normal/Movable on x86_64, DMA/Normal/HighMem/Movable on i386) is
 * the arch profile's business (arch.h).  Everything counts in pages.
 */
#ifndef MMSIM_MM_MMZONE_H
#define MMSIM_MM_MMZONE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/gfp.h"
#include "mm/page.h"

#define MAX_ORDER               11
#define MAX_ORDER_NR_PAGES      (1ul << (MAX_ORDER - 1))
#define MAX_NR_ZONES            4   /* both arch profiles have four zone types */
#define MAX_NUMNODES            64  /* configuration limit */
#define MAX_CPUS                256 /* configuration limit, all nodes together */
#define PAGE_SHIFT              12
#define PAGE_SIZE               (1ul << PAGE_SHIFT)
#define PAGE_ALLOC_COSTLY_ORDER 3
#define SWAP_CLUSTER_MAX        32
#define DEF_PRIORITY            12

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

/* Per-zone counters, in vmstat_text order (include/linux/mmzone.h). */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_MLOCK,
	NR_ANON_PAGES,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_SLAB_RECLAIMABLE,
	NR_SLAB_UNRECLAIMABLE,
	NR_PAGETABLE,
	NR_KERNEL_STACK,
	NR_UNSTABLE_NFS,
	NR_BOUNCE,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_WRITEBACK_TEMP,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	NR_SHMEM,
	NR_DIRTIED,
	NR_WRITTEN,
	NUMA_HIT,            /* allocated in the intended node */
	NUMA_MISS,           /* allocated here, intended elsewhere */
	NUMA_FOREIGN,        /* intended here, allocated elsewhere */
	NUMA_INTERLEAVE_HIT, /* interleave policy chose this zone */
	NUMA_LOCAL,          /* allocated from the allocating CPU's node */
	NUMA_OTHER,          /* allocated from another node */
	NR_ANON_TRANSPARENT_HUGEPAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/* The free blocks of one order: one list per migrate type. */
struct free_area {
	pgidx_t free_list[MIGRATE_TYPES]; /* sentinel index of each list */
	unsigned long nr_free;            /* blocks on all the lists together */
};

/* A CPU's cache of order-0 pages for one zone (struct per_cpu_pages). */
struct per_cpu_pages {
	int count;                       /* pages on the lists */
	int high;                        /* drain a batch when count reaches this */
	int batch;                       /* pages moved to or from the buddy lists at once */
	pgidx_t lists[MIGRATE_PCPTYPES]; /* sentinel index per migrate type */
};

struct per_cpu_pageset {
	struct per_cpu_pages pcp;
	int8_t stat_threshold; /* vm stats threshold (shown; counters here are exact) */
};

struct pglist_data;
struct machine;

struct zone {
	unsigned long watermark[NR_WMARK];          /* min, low, high in pages */
	unsigned long lowmem_reserve[MAX_NR_ZONES]; /* pages kept from allocations aimed higher */
	struct per_cpu_pageset *pageset;            /* one per machine CPU, owned here */
	struct free_area free_area[MAX_ORDER];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS]; /* exact counters (no per-CPU drift) */
	struct page *mem_map;                /* the machine's mem_map, cached for speed */
	uint8_t *pageblock_mt;               /* the machine's pageblock types, cached */
	unsigned int pageblock_order;        /* the arch's, cached */
	unsigned long pages_scanned;         /* since the last successful reclaim */
	int all_unreclaimable;               /* reclaim gave up on this zone */
	unsigned int inactive_ratio;         /* target active:inactive anon ratio */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages; /* end - start, holes included */
	unsigned long present_pages; /* spanned - holes - memmap - reserve */
	unsigned long memmap_pages;  /* frames accounted to the kernel's memmap */
	unsigned long dma_reserved;  /* boot trampoline frames held in this zone */
	pgidx_t lru[NR_LRU_LISTS];   /* sentinel index per LRU list */
	struct pglist_data *zone_pgdat;
	const char *name;
	int node;    /* node id */
	int idx;     /* zone_idx(): index within the node */
	uint16_t id; /* machine-wide id stored in struct page */
};

/* An entry of a zonelist: the zone and its index within its node. */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};

/*
 * A node's fallback order: all populated zones of all nodes, ending with a
 * NULL zone.  [0] falls back across nodes, [1] is this node only
 * (__GFP_THISNODE), as in 3.2's MAX_ZONELISTS == 2.
 */
#define MAX_ZONELISTS 2
struct zonelist {
	struct zoneref *_zonerefs; /* owned; nr_nodes * MAX_NR_ZONES + 1 entries */
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones; /* highest populated zone index + 1 */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	int first_cpu; /* CPUs first_cpu .. first_cpu + nr_cpus - 1 */
	int nr_cpus;
	struct machine *machine;
} pg_data_t;

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline unsigned long min_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_MIN];
}

static inline unsigned long low_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_LOW];
}

static inline unsigned long high_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_HIGH];
}

static inline unsigned long zone_page_state(const struct zone *z, enum zone_stat_item item)
{
	long x = z->vm_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

static inline void __mod_zone_page_state(struct zone *z, enum zone_stat_item item, long delta)
{
	z->vm_stat[item] += delta;
}

static inline void __inc_zone_state(struct zone *z, enum zone_stat_item item)
{
	z->vm_stat[item]++;
}

#endif /* MMSIM_MM_MMZONE_H */
