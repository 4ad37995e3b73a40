/*
 * memmap.c - mem_map and the hand-over of free memory to the buddy
 * allocator at boot (memmap_init_zone and free_all_bootmem in 3.2).
 *
 * mem_map is calloc'ed: a 256 GiB machine needs 3 GiB of struct page, and
 * calloc's fresh pages cost nothing until touched.  Boot then writes only
 * what it must:
 *   - PG_reserved on frames that are not usable RAM (holes, the low 64 KiB,
 *     the PCI hole) and on the reserved frames of each zone;
 *   - the head of every free block it releases.
 * Free memory is released in the largest naturally aligned blocks that fit
 * (order up to MAX_ORDER-1) and merged through __free_one_page, so the
 * result is the canonical buddy state the kernel reaches page by page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

/* Sentinels a zone needs: free lists, LRU lists and per-CPU lists. */
static unsigned long zone_sentinels(const struct machine *m)
{
	return MAX_ORDER * MIGRATE_TYPES + NR_LRU_LISTS +
	       (unsigned long)m->nr_cpus * MIGRATE_PCPTYPES;
}

static pgidx_t new_sentinel(struct machine *m)
{
	pgidx_t idx = m->next_sentinel++;

	pl_init(m->mem_map, idx);
	return idx;
}

static void init_zone_lists(struct machine *m, struct zone *z)
{
	for (int o = 0; o < MAX_ORDER; o++)
		for (int t = 0; t < MIGRATE_TYPES; t++)
			z->free_area[o].free_list[t] = new_sentinel(m);
	for (int l = 0; l < NR_LRU_LISTS; l++)
		z->lru[l] = new_sentinel(m);
	for (int c = 0; c < m->nr_cpus; c++)
		for (int t = 0; t < MIGRATE_PCPTYPES; t++)
			z->pageset[c].pcp.lists[t] = new_sentinel(m);
	z->mem_map = m->mem_map;
	z->pageblock_mt = m->pageblock_mt;
}

static int alloc_maps(struct machine *m)
{
	unsigned long nsent = zone_sentinels(m) * (unsigned long)m->nr_zone_ids;
	unsigned long nblocks = (m->max_pfn >> m->arch->pageblock_order) + 1;

	m->nr_map = m->max_pfn + nsent;
	if (m->nr_map > UINT32_MAX)
		return -ENOMEM;
	m->mem_map = calloc(m->nr_map, sizeof(struct page));
	m->pageblock_mt = calloc(nblocks, 1);
	if (m->arch->section_shift)
		m->section_present = calloc((m->max_pfn >> m->arch->section_shift) + 1, 1);
	if (!m->mem_map || !m->pageblock_mt || (m->arch->section_shift && !m->section_present))
		return -ENOMEM;
	m->next_sentinel = (pgidx_t)m->max_pfn;
	return 0;
}

static void mark_sections(struct machine *m)
{
	unsigned int shift = m->arch->section_shift;

	if (!shift)
		return;
	for (int i = 0; i < m->nr_ranges; i++)
		for (unsigned long s = m->ranges[i].start_pfn >> shift;
		     s <= (m->ranges[i].end_pfn - 1) >> shift; s++)
			m->section_present[s] = 1;
}

static void reserve_range(struct machine *m, unsigned long s, unsigned long e)
{
	for (unsigned long pfn = s; pfn < e; pfn++)
		page_set(&m->mem_map[pfn], PG_reserved);
}

/* Everything below max_pfn that is not in an active range is a hole. */
static void reserve_holes(struct machine *m)
{
	unsigned long pfn = 0;

	for (int i = 0; i < m->nr_ranges; i++) {
		if (m->ranges[i].start_pfn > pfn)
			reserve_range(m, pfn, m->ranges[i].start_pfn);
		pfn = m->ranges[i].end_pfn;
	}
}

/* memmap_init_zone: every pageblock starting inside the zone is Movable. */
static void init_pageblocks(struct zone *z)
{
	unsigned long nr = 1ul << z->pageblock_order;
	unsigned long pfn = (z->zone_start_pfn + nr - 1) & ~(nr - 1);
	unsigned long end = z->zone_start_pfn + z->spanned_pages;

	for (; pfn < end; pfn += nr)
		set_pageblock_migratetype(z, pfn, MIGRATE_MOVABLE);
}

/* Release [s, e) of zone z to the buddy lists in maximal aligned blocks. */
static void free_range_bootmem(struct machine *m, struct zone *z, unsigned long s, unsigned long e)
{
	while (s < e) {
		unsigned int order = MAX_ORDER - 1;

		while (order && ((s & ((1ul << order) - 1)) || s + (1ul << order) > e))
			order--;
		m->mem_map[s].zone_id = z->id;
		__free_one_page(z, s, order, get_pageblock_migratetype(z, s));
		__mod_zone_page_state(z, NR_FREE_PAGES, 1l << order);
		m->totalram_pages += 1ul << order;
		if (is_highmem(z))
			m->totalhigh_pages += 1ul << order;
		s += 1ul << order;
	}
}

/* Free [s, e) except the boot trampoline, which stays reserved. */
static void free_except_trampoline(struct machine *m, struct zone *z, unsigned long s,
                                   unsigned long e)
{
	unsigned long ts = m->arch->dma_reserve_pfn, te = ts + z->dma_reserved;

	if (!z->dma_reserved || te <= s || ts >= e) {
		free_range_bootmem(m, z, s, e);
		return;
	}
	reserve_range(m, ts > s ? ts : s, te < e ? te : e);
	if (s < ts)
		free_range_bootmem(m, z, s, ts);
	if (te < e)
		free_range_bootmem(m, z, te, e);
}

/*
 * Release a zone's active ranges, keeping its memmap_pages frames at the top
 * reserved, so that its free pages after boot equal its present pages.
 */
static void release_zone(struct machine *m, struct zone *z)
{
	unsigned long zs = z->zone_start_pfn, ze = zs + z->spanned_pages;
	unsigned long keep = z->memmap_pages;

	for (int i = m->nr_ranges - 1; i >= 0; i--) {
		unsigned long rs = m->ranges[i].start_pfn, re = m->ranges[i].end_pfn, cut;

		if (m->ranges[i].nid != z->node)
			continue;
		rs = rs > zs ? rs : zs;
		re = re < ze ? re : ze;
		if (rs >= re)
			continue;
		cut = re - rs > keep ? re - keep : rs;
		keep -= re - cut;
		reserve_range(m, cut, re);
		free_except_trampoline(m, z, rs, cut);
	}
}

int memmap_boot(struct machine *m, char *err, size_t errlen)
{
	if (alloc_maps(m)) {
		snprintf(err, errlen, "out of host memory for a %lu-page memmap", m->max_pfn);
		return -ENOMEM;
	}
	mark_sections(m);
	reserve_holes(m);
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *z = m->zones[id];

		init_zone_lists(m, z);
		if (z->spanned_pages)
			init_pageblocks(z);
	}
	for (int id = 0; id < m->nr_zone_ids; id++)
		if (m->zones[id]->spanned_pages)
			release_zone(m, m->zones[id]);
	return 0;
}
