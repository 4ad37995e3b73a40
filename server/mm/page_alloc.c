/*
 * page_alloc.c - the zoned page allocator's paths: __alloc_pages_nodemask
 * and its slow path, the watermark test, handing out and taking back pages,
 * and the validated entry points requests use.
 *
 * An allocation walks the zonelist of the current CPU's node from the
 * highest zone the GFP mask allows (gfp_zone) downwards and across nodes,
 * and takes a page from the first zone whose free pages stay above the
 * watermark after the allocation:
 *   fast path   low watermark (ALLOC_WMARK_LOW)
 *   slow path   min watermark, lowered by half for __GFP_HIGH and by a
 *               quarter more for callers that cannot wait (ALLOC_HARDER);
 *               no watermark at all for PF_MEMALLOC or an OOM victim.
 * Every zone keeps lowmem_reserve[] pages from allocations that could have
 * used a higher zone (the "protection" line of zoneinfo).
 *
 * Frame checks: 3.2 checks every frame of a block when it is handed out
 * and freed (check_new_page, free_pages_check).  Only the head can go wrong
 * here, because the validated entry points never let a caller near a tail,
 * and the tail checks cost a cache miss per frame; so tails are checked only
 * with machine->debug_vm (CONFIG_DEBUG_VM's role; later kernels made the
 * same trade).  Tests turn it on.
 *
 * Not here yet, by design of the work plan: waking kswapd, direct
 * compaction, direct reclaim and the OOM killer.  Without them nothing can
 * free memory during an allocation, so a request the reserves cannot meet
 * fails at once with a "page allocation failure" report, where 3.2 would
 * reclaim (and, with __GFP_NOFAIL, loop forever).
 */
#include <errno.h>

#include "mm/internal.h"

struct zonelist *node_zonelist(struct machine *m, int nid, gfp_t gfp)
{
	int thisnode = m->arch->numa && (gfp & __GFP_THISNODE);

	return &NODE_DATA(m, nid)->node_zonelists[thisnode];
}

/*
 * __zone_watermark_ok - would `z` keep more than `mark` (plus the reserve
 * against class zone allocations) free after taking 2^order pages, with
 * enough of it in blocks of at least that order?  The `(1 << order) + 1` is
 * 3.2's off-by-one (fixed to -1 after 3.2), kept for fidelity.
 */
static bool __zone_watermark_ok(const struct zone *z, int order, unsigned long mark,
                                int classzone_idx, int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= (1l << order) + 1;
	if (alloc_flags & ALLOC_HIGH)
		min -= min / 2;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free_pages <= min + (long)z->lowmem_reserve[classzone_idx])
		return false;
	for (int o = 0; o < order; o++) {
		/* blocks of lower orders do not help a higher-order request */
		free_pages -= (long)(z->free_area[o].nr_free << o);
		min >>= 1;
		if (free_pages <= min)
			return false;
	}
	return true;
}

bool zone_watermark_ok(const struct zone *z, int order, unsigned long mark, int classzone_idx,
                       int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, classzone_idx, alloc_flags,
	                           z->vm_stat[NR_FREE_PAGES]);
}

/* Counters here are exact, so the "safe" variant has no drift to correct. */
bool zone_watermark_ok_safe(const struct zone *z, int order, unsigned long mark, int classzone_idx,
                            int alloc_flags)
{
	return zone_watermark_ok(z, order, mark, classzone_idx, alloc_flags);
}

static void zone_statistics(struct machine *m, struct zone *preferred, struct zone *z, gfp_t gfp)
{
	if (!m->arch->numa)
		return;
	if (z->zone_pgdat == preferred->zone_pgdat) {
		__inc_zone_state(z, NUMA_HIT);
	} else {
		__inc_zone_state(z, NUMA_MISS);
		__inc_zone_state(preferred, NUMA_FOREIGN);
	}
	if (z->node == ((gfp & __GFP_OTHER_NODE) ? preferred->node : numa_node_id(m)))
		__inc_zone_state(z, NUMA_LOCAL);
	else
		__inc_zone_state(z, NUMA_OTHER);
}

static bool page_bad_at_prep(const struct page *p)
{
	return p->_mapcount | (p->mapping != NULL) | p->_count |
	       (p->flags & PAGE_FLAGS_CHECK_AT_PREP);
}

static void bad_page(struct machine *m, const struct page *page, const char *where)
{
	printk(m, "BUG: Bad page state in %s  pfn:%05lx", where, page_to_pfn(m, page));
	printk(m, "page:%lx count:%d mapcount:%d mapping:%p index:%#lx flags:%#x",
	       page_to_pfn(m, page), page->_count, page->_mapcount, page->mapping,
	       (unsigned long)page->index, page->flags);
}

static void prep_compound_page(struct page *page, unsigned int order, unsigned long pfn)
{
	page_set(page, PG_head);
	for (unsigned long i = 1; i < (1ul << order); i++) {
		page_set(&page[i], PG_tail);
		page[i].private = pfn; /* first_page */
	}
}

/* prep_new_page - check the frames, take the first reference. 0 or -EIO. */
static int prep_new_page(struct machine *m, struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long n = m->debug_vm ? 1ul << order : 1;

	for (unsigned long i = 0; i < n; i++) {
		if (page_bad_at_prep(&page[i])) {
			bad_page(m, &page[i], "prep_new_page");
			return -EIO;
		}
	}
	page->private = 0;
	page->_count = 1;
	page->order = (uint8_t)order; /* remembered so a free can be checked */
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order, page_to_pfn(m, page));
	return 0;
}

static unsigned long rmqueue_pcp(struct machine *m, struct zone *zone, int migratetype, int cold)
{
	struct per_cpu_pages *pcp = &zone->pageset[m->cpu].pcp;
	struct page *map = zone->mem_map;
	pgidx_t list = pcp->lists[migratetype], pfn;

	if (pl_empty(map, list)) {
		pcp->count += rmqueue_bulk(zone, 0, pcp->batch, list, migratetype, cold);
		if (pl_empty(map, list))
			return NO_PFN;
	}
	pfn = cold ? map[list].lru_prev : map[list].lru_next;
	pl_del(map, pfn);
	pcp->count--;
	return pfn;
}

static struct page *buffered_rmqueue(struct machine *m, struct zone *preferred, struct zone *zone,
                                     unsigned int order, gfp_t gfp, int migratetype)
{
	unsigned long pfn;

	for (;;) {
		if (order == 0) {
			pfn = rmqueue_pcp(m, zone, migratetype, !!(gfp & __GFP_COLD));
		} else {
			pfn = __rmqueue(zone, order, migratetype);
			if (pfn != NO_PFN)
				__mod_zone_page_state(zone, NR_FREE_PAGES, -(1l << order));
		}
		if (pfn == NO_PFN)
			return NULL;
		m->vm_events[PGALLOC + zone->idx] += 1ul << order;
		zone_statistics(m, preferred, zone, gfp);
		/* a bad page is reported and leaked, as the kernel does */
		if (!prep_new_page(m, &zone->mem_map[pfn], order, gfp))
			return &zone->mem_map[pfn];
	}
}

static struct page *get_page_from_freelist(struct machine *m, gfp_t gfp, unsigned int order,
                                           struct zonelist *zl, int high_zoneidx, int alloc_flags,
                                           struct zone *preferred, int migratetype)
{
	int classzone_idx = preferred->idx;

	for (struct zoneref *z = zl->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		struct page *page;

		if (z->zone_idx > high_zoneidx)
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark = zone->watermark[alloc_flags & ALLOC_WMARK_MASK];

			/* zone_reclaim_mode would reclaim here; no reclaim yet */
			if (!zone_watermark_ok(zone, (int)order, mark, classzone_idx, alloc_flags))
				continue;
		}
		page = buffered_rmqueue(m, preferred, zone, order, gfp, migratetype);
		if (page)
			return page;
	}
	return NULL;
}

int gfp_to_alloc_flags(const struct machine *m, gfp_t gfp)
{
	int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH and ALLOC_HIGH are the same bit, as in the kernel */
	alloc_flags |= (int)(gfp & __GFP_HIGH);
	if (!(gfp & __GFP_WAIT)) {
		if (!(gfp & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_HARDER;
		alloc_flags &= ~ALLOC_CPUSET;
	} else if (m->pflags & PF_RT) {
		alloc_flags |= ALLOC_HARDER;
	}
	if (!(gfp & __GFP_NOMEMALLOC) && (m->pflags & (PF_MEMALLOC | TIF_MEMDIE)))
		alloc_flags |= ALLOC_NO_WATERMARKS;
	return alloc_flags;
}

static struct zone *first_zone(struct zonelist *zl, int high_zoneidx)
{
	for (struct zoneref *z = zl->_zonerefs; z->zone; z++)
		if (z->zone_idx <= high_zoneidx)
			return z->zone;
	return NULL;
}

static void warn_alloc_failed(struct machine *m, gfp_t gfp, unsigned int order)
{
	m->alloc_failures++;
	if (gfp & __GFP_NOWARN)
		return;
	printk(m, "mmsim: page allocation failure: order:%u, mode:0x%x", order, gfp);
}

static struct page *__alloc_pages_slowpath(struct machine *m, gfp_t gfp, unsigned int order,
                                           struct zonelist *zl, int high_zoneidx,
                                           struct zone *preferred, int migratetype)
{
	struct page *page = NULL;
	int alloc_flags;

	/* GFP_THISNODE callers have their own fallback; they never reclaim */
	if (m->arch->numa && (gfp & GFP_THISNODE) == GFP_THISNODE)
		goto nopage;
	alloc_flags = gfp_to_alloc_flags(m, gfp);
	page = get_page_from_freelist(m, gfp, order, zl, high_zoneidx,
	                              alloc_flags & ~ALLOC_NO_WATERMARKS, preferred, migratetype);
	if (page)
		return page;
	if (alloc_flags & ALLOC_NO_WATERMARKS) {
		page = get_page_from_freelist(m, gfp, order, zl, high_zoneidx, ALLOC_NO_WATERMARKS,
		                              preferred, migratetype);
		if (page)
			return page;
	}
	/* with __GFP_WAIT the kernel would compact, reclaim and consider OOM here */
nopage:
	warn_alloc_failed(m, gfp, order);
	return NULL;
}

struct page *__alloc_pages_nodemask(struct machine *m, gfp_t gfp, unsigned int order,
                                    struct zonelist *zl)
{
	int high_zoneidx = gfp_zone(m, gfp);
	int migratetype = allocflags_to_migratetype(gfp, m->page_group_by_mobility_disabled);
	struct zone *preferred;
	struct page *page;

	if (high_zoneidx < 0 || order >= MAX_ORDER)
		return NULL;
	preferred = first_zone(zl, high_zoneidx);
	if (!preferred) {
		m->alloc_failures++;
		return NULL;
	}
	page = get_page_from_freelist(m, gfp | __GFP_HARDWALL, order, zl, high_zoneidx,
	                              ALLOC_WMARK_LOW | ALLOC_CPUSET, preferred, migratetype);
	if (!page)
		page =
		    __alloc_pages_slowpath(m, gfp, order, zl, high_zoneidx, preferred, migratetype);
	return page;
}

struct page *alloc_pages_node(struct machine *m, int nid, gfp_t gfp, unsigned int order)
{
	if (nid < 0)
		nid = numa_node_id(m);
	return __alloc_pages_nodemask(m, gfp, order, node_zonelist(m, nid, gfp));
}

struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(m, numa_node_id(m), gfp, order);
}

static bool page_bad_at_free(const struct page *p)
{
	return p->_mapcount | (p->mapping != NULL) | p->_count |
	       (p->flags & PAGE_FLAGS_CHECK_AT_FREE);
}

static void destroy_compound_page(struct page *page, unsigned int order)
{
	page_clear(page, PG_head);
	for (unsigned long i = 1; i < (1ul << order); i++) {
		page_clear(&page[i], PG_tail);
		page[i].private = 0;
	}
}

/* free_pages_prepare - check the frames being freed; false if one is bad. */
static bool free_pages_prepare(struct machine *m, struct page *page, unsigned int order)
{
	unsigned long n = m->debug_vm ? 1ul << order : 1;

	if (PageHead(page))
		destroy_compound_page(page, order);
	for (unsigned long i = 0; i < n; i++) {
		if (page_bad_at_free(&page[i])) {
			bad_page(m, &page[i], "free_pages");
			return false;
		}
		page[i].flags = 0;
	}
	page->order = 0;
	page->private = 0;
	return true;
}

static void __free_pages_ok(struct machine *m, struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(m, page);
	unsigned long pfn = page_to_pfn(m, page);

	if (!free_pages_prepare(m, page, order))
		return;
	m->vm_events[PGFREE] += 1ul << order;
	free_one_page(zone, pfn, order, get_pageblock_migratetype(zone, pfn));
}

void free_hot_cold_page(struct machine *m, struct page *page, int cold)
{
	if (!free_pages_prepare(m, page, 0))
		return;
	free_hot_cold_page_zone(m, page_zone(m, page), page_to_pfn(m, page), cold);
}

void __free_pages(struct machine *m, struct page *page, unsigned int order)
{
	if (--page->_count)
		return;
	if (order == 0)
		free_hot_cold_page(m, page, 0);
	else
		__free_pages_ok(m, page, order);
}

int machine_alloc_pages(struct machine *m, gfp_t gfp, unsigned int order, int nid,
                        unsigned long *pfn)
{
	struct page *page;

	if (gfp_check(gfp) || order >= MAX_ORDER || nid < -1 || nid >= m->nr_nodes)
		return -EINVAL;
	page = alloc_pages_node(m, nid, gfp, order);
	if (!page)
		return -ENOMEM;
	*pfn = page_to_pfn(m, page);
	return 0;
}

int machine_alloc_pages_owned(struct machine *m, gfp_t gfp, unsigned int order, int nid,
                              uint64_t owner, unsigned long *pfn)
{
	int rc = machine_alloc_pages(m, gfp, order, nid, pfn);

	if (!rc)
		m->mem_map[*pfn].private = owner;
	return rc;
}

uint64_t machine_page_owner(const struct machine *m, unsigned long pfn)
{
	const struct page *page;

	if (pfn >= m->max_pfn)
		return 0;
	page = &m->mem_map[pfn];
	return page->_count > 0 && !PageTail(page) ? page->private : 0;
}

/*
 * page_freeable - pfn heads an allocated block of exactly `order` frames
 * that the page allocator handed out and nobody else owns.
 */
static bool page_freeable(const struct machine *m, unsigned long pfn, unsigned int order)
{
	const struct page *page;

	if (pfn >= m->max_pfn || order >= MAX_ORDER || (pfn & ((1ul << order) - 1)))
		return false;
	page = &m->mem_map[pfn];
	if (page->_count <= 0 || page->order != order || PageTail(page))
		return false;
	if (page->flags & ~(1u << PG_head))
		return false;
	return !page->_mapcount && !page->mapping;
}

int machine_free_pages(struct machine *m, unsigned long pfn, unsigned int order)
{
	if (!page_freeable(m, pfn, order))
		return -EINVAL;
	__free_pages(m, &m->mem_map[pfn], order);
	return 0;
}

uint64_t page_address(const struct machine *m, const struct page *page)
{
	int idx = page_zone(m, page)->idx;

	if (is_highmem_idx(m, idx))
		return 0; /* no permanent kernel mapping */
	return m->arch->page_offset + ((uint64_t)page_to_pfn(m, page) << PAGE_SHIFT);
}

struct page *virt_to_page(const struct machine *m, uint64_t addr)
{
	uint64_t off = addr - m->arch->page_offset;
	unsigned long lowmem_end = m->max_pfn;

	if (m->arch->max_low_pfn_limit && lowmem_end > m->arch->max_low_pfn_limit)
		lowmem_end = m->arch->max_low_pfn_limit;
	if (addr < m->arch->page_offset || (off >> PAGE_SHIFT) >= lowmem_end)
		return NULL;
	return (struct page *)&m->mem_map[off >> PAGE_SHIFT];
}

int free_pages(struct machine *m, uint64_t addr, unsigned int order)
{
	struct page *page = virt_to_page(m, addr);

	if (!page || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	return machine_free_pages(m, page_to_pfn(m, page), order);
}
