/*
 * mm_check.c - invariants of the physical memory engine (mm_check.h).
 *
 * Each frame gets a state from the structures that claim it: a free block
 * on a buddy list claims its 2^order frames, a per-CPU list claims one, an
 * allocated head (count > 0) claims its block, PG_reserved claims itself.
 * A frame claimed twice, or a usable frame nobody claims (a leak), is a
 * violation, as are list links that disagree, counts that do not add up,
 * and two free buddies of one order that should have merged.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm/internal.h"
#include "mm/mm_check.h"
#include "mm/slab.h"

enum frame_state { FS_NONE, FS_FREE, FS_PCP, FS_ALLOC, FS_RESERVED };

struct checker {
	const struct machine *m;
	uint8_t *state;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -EFAULT;
}

static int claim(struct checker *c, unsigned long pfn, unsigned long n, enum frame_state st)
{
	for (unsigned long i = pfn; i < pfn + n; i++) {
		if (i >= c->m->max_pfn)
			return fail(c, "pfn %#lx beyond max_pfn %#lx", i, c->m->max_pfn);
		if (c->state[i] != FS_NONE)
			return fail(c, "pfn %#lx claimed twice (state %d, then %d)", i, c->state[i],
			            st);
		c->state[i] = (uint8_t)st;
	}
	return 0;
}

/* Walk a list, checking links; calls fn on each entry. Returns entries or <0. */
static long walk_list(struct checker *c, pgidx_t head, long limit,
                      int (*fn)(struct checker *, pgidx_t, void *), void *arg)
{
	const struct page *map = c->m->mem_map;
	long n = 0;

	for (pgidx_t p = map[head].lru_next, prev = head; p != head;
	     prev = p, p = map[p].lru_next) {
		int rc;

		if (p >= c->m->nr_map || map[p].lru_prev != prev)
			return fail(c, "list %u: broken link at %u", head, p);
		if (++n > limit)
			return fail(c, "list %u: longer than %ld (a cycle?)", head, limit);
		if ((rc = fn(c, p, arg)))
			return rc;
	}
	return n;
}

struct free_walk {
	const struct zone *z;
	unsigned int order;
	unsigned long pages;
};

static int check_free_entry(struct checker *c, pgidx_t pfn, void *arg)
{
	struct free_walk *w = arg;
	const struct page *p = &c->m->mem_map[pfn];
	unsigned long buddy = pfn ^ (1ul << w->order);
	const struct page *b = &c->m->mem_map[buddy];

	if (pfn - w->z->zone_start_pfn >= w->z->spanned_pages)
		return fail(c, "%s: free pfn %#x outside the zone", w->z->name, pfn);
	if (!PageBuddy(p) || p->order != w->order || p->zone_id != w->z->id)
		return fail(c, "%s: pfn %#x on the order-%u list: buddy %d order %u zone %u",
		            w->z->name, pfn, w->order, PageBuddy(p), p->order, p->zone_id);
	if (pfn & ((1ul << w->order) - 1))
		return fail(c, "%s: free block %#x misaligned for order %u", w->z->name, pfn,
		            w->order);
	if (p->_count || p->_mapcount)
		return fail(c, "%s: free pfn %#x has count %d mapcount %d", w->z->name, pfn,
		            p->_count, p->_mapcount);
	if (w->order < MAX_ORDER - 1 && buddy - w->z->zone_start_pfn < w->z->spanned_pages &&
	    PageBuddy(b) && b->order == w->order)
		return fail(c, "%s: free buddies %#x and %#lx of order %u not merged", w->z->name,
		            pfn, buddy, w->order);
	w->pages += 1ul << w->order;
	return claim(c, pfn, 1ul << w->order, FS_FREE);
}

static int check_free_area(struct checker *c, const struct zone *z)
{
	struct free_walk w = {.z = z};

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		long total = 0;

		w.order = o;
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			long n = walk_list(c, z->free_area[o].free_list[t], (long)c->m->max_pfn,
			                   check_free_entry, &w);

			if (n < 0)
				return (int)n;
			total += n;
		}
		if ((unsigned long)total != z->free_area[o].nr_free)
			return fail(c, "%s node %d: order %u has %ld blocks, nr_free says %lu",
			            z->name, z->node, o, total, z->free_area[o].nr_free);
	}
	if ((long)w.pages != z->vm_stat[NR_FREE_PAGES])
		return fail(c, "%s node %d: %lu free pages on lists, NR_FREE_PAGES %ld", z->name,
		            z->node, w.pages, z->vm_stat[NR_FREE_PAGES]);
	return 0;
}

static int check_pcp_entry(struct checker *c, pgidx_t pfn, void *arg)
{
	const struct zone *z = arg;
	const struct page *p = &c->m->mem_map[pfn];

	if (pfn - z->zone_start_pfn >= z->spanned_pages || p->zone_id != z->id)
		return fail(c, "%s: pcp page %#x is not in the zone", z->name, pfn);
	if (p->flags || p->_count || p->_mapcount || p->mapping)
		return fail(c, "%s: pcp page %#x in use (flags %#x count %d)", z->name, pfn,
		            p->flags, p->_count);
	if (p->pcp_mt >= MIGRATE_TYPES)
		return fail(c, "%s: pcp page %#x has migrate type %u", z->name, pfn, p->pcp_mt);
	return claim(c, pfn, 1, FS_PCP);
}

static int check_pcp(struct checker *c, const struct zone *z)
{
	for (int cpu = 0; cpu < c->m->nr_cpus; cpu++) {
		const struct per_cpu_pages *pcp = &z->pageset[cpu].pcp;
		long total = 0;

		for (int t = 0; t < MIGRATE_PCPTYPES; t++) {
			long n = walk_list(c, pcp->lists[t], (long)z->spanned_pages,
			                   check_pcp_entry, (void *)z);

			if (n < 0)
				return (int)n;
			total += n;
		}
		if (total != pcp->count)
			return fail(c, "%s node %d cpu %d: %ld pages on pcp lists, count %d",
			            z->name, z->node, cpu, total, pcp->count);
		if (pcp->batch < 1 || pcp->high < 0)
			return fail(c, "%s cpu %d: batch %d high %d", z->name, cpu, pcp->batch,
			            pcp->high);
	}
	return 0;
}

/* Allocated blocks, reserved frames and leaks, in one pass over mem_map. */
static int check_frames(struct checker *c)
{
	const struct machine *m = c->m;

	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++) {
		const struct page *p = &m->mem_map[pfn];

		if (c->state[pfn] != FS_NONE)
			continue;
		if (PageReserved(p)) {
			c->state[pfn] = FS_RESERVED;
		} else if (p->_count > 0) {
			int rc = claim(c, pfn, 1ul << p->order, FS_ALLOC);

			if (rc)
				return rc;
			for (unsigned long i = 1; i < (1ul << p->order); i++)
				if (p[i]._count || PageBuddy(&p[i]))
					return fail(c,
					            "pfn %#lx inside the allocated block at %#lx "
					            "has count %d",
					            pfn + i, pfn, p[i]._count);
		} else {
			return fail(c, "pfn %#lx is in no state (leaked): flags %#x count %d", pfn,
			            p->flags, p->_count);
		}
	}
	return 0;
}

static int check_zone_numbers(struct checker *c, const struct zone *z)
{
	if (z->watermark[WMARK_MIN] > z->watermark[WMARK_LOW] ||
	    z->watermark[WMARK_LOW] > z->watermark[WMARK_HIGH])
		return fail(c, "%s: watermarks %lu/%lu/%lu out of order", z->name, z->watermark[0],
		            z->watermark[1], z->watermark[2]);
	if (z->present_pages > z->spanned_pages)
		return fail(c, "%s: present %lu > spanned %lu", z->name, z->present_pages,
		            z->spanned_pages);
	return 0;
}

/* One slab: its page, its counts and its free chain. */
static int check_slab(struct checker *c, const struct kmem_cache *s, const struct slab *sl)
{
	const struct page *page = &c->m->mem_map[sl->pfn];
	unsigned live = 0, free = 0;

	if (!PageSlab(page) || page->mapping != s || page->private != (uint64_t)(uintptr_t)sl)
		return fail(c, "%s: slab at pfn %#lx is not marked as this cache's", s->name,
		            sl->pfn);
	for (unsigned i = 0; i < sl->objects; i++)
		live += sl->next_free[i] == SLAB_LIVE;
	for (uint16_t i = sl->freelist; i != SLAB_NONE; i = sl->next_free[i]) {
		if (i >= sl->objects || sl->next_free[i] == SLAB_LIVE || ++free > sl->objects)
			return fail(c, "%s: slab %#lx has a broken free chain", s->name, sl->pfn);
	}
	if (live != sl->inuse || live + free != sl->objects)
		return fail(c, "%s: slab %#lx: inuse %u, %u live, %u free of %u", s->name, sl->pfn,
		            sl->inuse, live, free, sl->objects);
	return 0;
}

/* A cache: every slab sound, totals right, lists holding the right slabs. */
static int check_cache(struct checker *c, const struct kmem_cache *s)
{
	unsigned long slabs = 0, objects = 0, live = 0;
	int rc;

	for (const struct slab *sl = s->all; sl; sl = sl->all_next) {
		if ((rc = check_slab(c, s, sl)))
			return rc;
		slabs++;
		objects += sl->objects;
		live += sl->inuse;
	}
	if (slabs != s->nr_slabs || objects != s->total_objects || live != s->live)
		return fail(c, "%s: %lu slabs %lu objects %lu live; counters say %lu %lu %lu",
		            s->name, slabs, objects, live, s->nr_slabs, s->total_objects, s->live);
	for (int nid = 0; nid < c->m->nr_nodes; nid++) {
		unsigned long n = 0;

		for (const struct slab *sl = s->node[nid].partial; sl; sl = sl->next, n++)
			if (sl->frozen || sl->freelist == SLAB_NONE || sl->node != nid ||
			    (sl->next && sl->next->prev != sl))
				return fail(c, "%s: bad slab %#lx on node %d's partial list",
				            s->name, sl->pfn, nid);
		if (n != s->node[nid].nr_partial)
			return fail(c, "%s: node %d has %lu partial slabs, nr_partial %lu", s->name,
			            nid, n, s->node[nid].nr_partial);
	}
	for (int cpu = 0; cpu < c->m->nr_cpus; cpu++) {
		const struct kmem_cache_cpu *cc = &s->cpu[cpu];
		int free = 0;

		if (cc->slab && !cc->slab->frozen)
			return fail(c, "%s: cpu %d's slab is not frozen", s->name, cpu);
		for (const struct slab *sl = cc->partial; sl; sl = sl->next) {
			if (!sl->frozen)
				return fail(c, "%s: cpu %d partial slab not frozen", s->name, cpu);
			free += sl->objects - sl->inuse;
		}
		/* pobjects is a snapshot: frees since only add to the real count */
		if (cc->partial && cc->partial->pobjects > free)
			return fail(c, "%s: cpu %d partial pobjects %d, %d free", s->name, cpu,
			            cc->partial->pobjects, free);
	}
	return 0;
}

int check_machine(const struct machine *m, char *err, size_t errlen)
{
	struct checker c = {.m = m, .err = err, .errlen = errlen};
	int rc = 0;

	c.state = calloc(m->max_pfn, 1);
	if (!c.state)
		return fail(&c, "out of host memory for the checker");
	for (int id = 0; id < m->nr_zone_ids && !rc; id++) {
		const struct zone *z = m->zones[id];

		rc = check_zone_numbers(&c, z);
		if (!rc)
			rc = check_free_area(&c, z);
		if (!rc)
			rc = check_pcp(&c, z);
	}
	if (!rc)
		rc = check_frames(&c);
	for (const struct kmem_cache *s = m->slab_caches; s && !rc; s = s->next)
		rc = check_cache(&c, s);
	free(c.state);
	return rc;
}
