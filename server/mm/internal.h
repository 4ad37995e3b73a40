/*
 * internal.h - declarations shared between engine files and not meant for
 * callers outside server/mm/, grouped by the file that defines them
 * (mimalloc's habit; mm/internal.h in the kernel plays the same role).
 */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "mm/machine.h"

/* Allocation flags of get_page_from_freelist (page_alloc.c). */
#define ALLOC_WMARK_MIN     WMARK_MIN
#define ALLOC_WMARK_LOW     WMARK_LOW
#define ALLOC_WMARK_HIGH    WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04 /* ignore watermarks entirely */
#define ALLOC_WMARK_MASK    (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_HARDER        0x10 /* may go a quarter further below min */
#define ALLOC_HIGH          0x20 /* __GFP_HIGH: may go half-way below min */
#define ALLOC_CPUSET        0x40 /* respect the cpuset (a no-op here) */

/* A pfn no frame has: "no page" from the buddy lists. */
#define NO_PFN (~0ul)

/* buddy.c */
void __free_one_page(struct zone *zone, unsigned long pfn, unsigned int order, int migratetype);
void free_one_page(struct zone *zone, unsigned long pfn, unsigned int order, int migratetype);
int move_freepages_block(struct zone *zone, unsigned long pfn, int migratetype);
unsigned long __rmqueue(struct zone *zone, unsigned int order, int migratetype);

/* pcp.c */
int rmqueue_bulk(struct zone *zone, unsigned int order, int count, pgidx_t list, int migratetype,
                 int cold);
void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp);
void free_hot_cold_page_zone(struct machine *m, struct zone *zone, unsigned long pfn, int cold);

/* page_alloc.c */
static inline int get_pageblock_migratetype(const struct zone *z, unsigned long pfn)
{
	return z->pageblock_mt[pfn >> z->pageblock_order];
}
static inline void set_pageblock_migratetype(struct zone *z, unsigned long pfn, int mt)
{
	z->pageblock_mt[pfn >> z->pageblock_order] = (uint8_t)mt;
}
int gfp_to_alloc_flags(const struct machine *m, gfp_t gfp);
struct zonelist *node_zonelist(struct machine *m, int nid, gfp_t gfp);

/* page_alloc_init.c */
int zone_batchsize(const struct zone *zone);
void setup_pageset(struct per_cpu_pageset *p, unsigned long batch);
void setup_pagelist_highmark(struct per_cpu_pageset *p, unsigned long high);
void setup_zone_migrate_reserve(struct zone *zone);
void calculate_totalreserve_pages(struct machine *m);
void refresh_zone_stat_thresholds(struct machine *m);
void setup_per_zone_inactive_ratio(struct machine *m);
void init_per_zone_wmark_min(struct machine *m);
unsigned long int_sqrt(unsigned long x);

/* zonelist.c */
int default_zonelist_order(const struct machine *m);
int zonelists_alloc(struct machine *m);

/* boot.c */
int memmap_boot(struct machine *m, char *err, size_t errlen);

/* e820.c */
int e820_setup(struct machine *m, char *err, size_t errlen);

/* arch.c, zone name and kind of a zone index on a machine */
static inline const char *zone_name(const struct machine *m, int idx)
{
	return m->arch->zone_name[idx];
}

/* HighMem, or a Movable zone carved out of HighMem */
static inline int is_highmem_idx(const struct machine *m, int idx)
{
	return idx == m->arch->zone_highmem ||
	       (idx == m->arch->zone_movable && m->movable_zone == m->arch->zone_highmem);
}

static inline int is_highmem(const struct zone *z)
{
	return is_highmem_idx(z->zone_pgdat->machine, z->idx);
}

#endif /* MMSIM_MM_INTERNAL_H */
