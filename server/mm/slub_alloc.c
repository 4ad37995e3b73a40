/*
 * slub_alloc.c - allocating and freeing objects, as 3.2's SLUB does.
 *
 * Each CPU allocates from its own slab; when that slab runs out it takes a
 * slab from its CPU partial list, then from its node's partial list
 * (taking more slabs for the CPU partial list while they hold no more than
 * cpu_partial/2 free objects), then a new slab from the page allocator.
 * A full slab is on no list.  Freeing into a full slab freezes it onto the
 * freeing CPU's partial list; when that list would hold more than
 * cpu_partial free objects, its slabs go to their nodes' partial lists (or
 * back to the page allocator if empty while the node already keeps
 * min_partial).  Freeing the last object of a slab on a node list frees
 * the slab if the node keeps more than min_partial.
 *
 * Left out: remote-node partial lists (3.2 picks them by a cycle counter,
 * which is not deterministic), and the split of a CPU's freelist from its
 * slab's (one freelist per slab here; the counts are the same).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"

static uint64_t obj_addr(const struct machine *m, const struct slab *sl, unsigned idx)
{
	return page_address(m, pfn_to_page(m, sl->pfn)) + (uint64_t)idx * sl->cache->l.size;
}

/* The order a slab was allocated at: the preferred one, or the fallback. */
static int slab_order_of(const struct kmem_cache *s, const struct slab *sl)
{
	return sl->objects == s->l.oo.objects ? s->l.oo.order : s->l.min.order;
}

static void account(struct machine *m, struct kmem_cache *s, struct slab *sl, long sign)
{
	long pages = sign * (1l << slab_order_of(s, sl));
	struct zone *z = page_zone(m, pfn_to_page(m, sl->pfn));

	__mod_zone_page_state(
	    z, (s->l.flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE : NR_SLAB_UNRECLAIMABLE,
	    pages);
	s->nr_slabs += (unsigned long)sign;
	s->total_objects += (unsigned long)(sign * sl->objects);
}

static struct slab *slab_setup(struct machine *m, struct kmem_cache *s, struct page *page,
                               const struct slab_oo *oo)
{
	struct slab *sl = calloc(1, sizeof(*sl) + (size_t)oo->objects * sizeof(uint16_t));

	if (!sl)
		return NULL;
	sl->cache = s;
	sl->pfn = page_to_pfn(m, page);
	sl->node = page_zone(m, page)->node;
	sl->objects = (uint16_t)oo->objects;
	for (unsigned i = 0; i < sl->objects; i++)
		sl->next_free[i] = (uint16_t)(i + 1 < sl->objects ? i + 1 : SLAB_NONE);
	sl->freelist = 0;
	page_set(page, PG_slab);
	page->mapping = s;
	page->private = (uint64_t)(uintptr_t)sl;
	sl->all_next = s->all;
	if (s->all)
		s->all->all_prev = sl;
	s->all = sl;
	account(m, s, sl, 1);
	return sl;
}

/* allocate_slab: the preferred order quietly, then the minimum one. */
static struct slab *new_slab(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	gfp_t flags =
	    (gfp & (GFP_KERNEL | __GFP_HIGH | __GFP_NOWARN | __GFP_NOFAIL)) | s->l.allocflags;
	const struct slab_oo *oo = &s->l.oo;
	struct page *page = alloc_pages(m, flags | __GFP_NOWARN | __GFP_NORETRY, oo->order);
	struct slab *sl;

	if (!page && s->l.min.order < oo->order) {
		oo = &s->l.min;
		flags = (flags & ~__GFP_COMP) | (oo->order ? __GFP_COMP : 0);
		page = alloc_pages(m, flags, oo->order);
	}
	if (!page)
		return NULL;
	sl = slab_setup(m, s, page, oo);
	if (!sl)
		__free_pages(m, page, (unsigned)oo->order);
	return sl;
}

static void discard_slab(struct machine *m, struct kmem_cache *s, struct slab *sl)
{
	struct page *page = pfn_to_page(m, sl->pfn);
	unsigned order =
	    (unsigned)(sl->objects == s->l.oo.objects ? s->l.oo.order : s->l.min.order);

	account(m, s, sl, -1);
	if (sl->all_prev)
		sl->all_prev->all_next = sl->all_next;
	else
		s->all = sl->all_next;
	if (sl->all_next)
		sl->all_next->all_prev = sl->all_prev;
	page_clear(page, PG_slab);
	page->mapping = NULL;
	page->private = 0;
	free(sl);
	__free_pages(m, page, order);
}

/* add_partial at the tail: the oldest partial slabs are reused first. */
static void add_partial(struct kmem_cache_node *n, struct slab *sl)
{
	struct slab *last = n->partial;

	sl->next = NULL;
	sl->prev = NULL;
	if (!last) {
		n->partial = sl;
	} else {
		while (last->next)
			last = last->next;
		last->next = sl;
		sl->prev = last;
	}
	n->nr_partial++;
}

static void remove_partial(struct kmem_cache_node *n, struct slab *sl)
{
	if (sl->prev)
		sl->prev->next = sl->next;
	else
		n->partial = sl->next;
	if (sl->next)
		sl->next->prev = sl->prev;
	sl->next = sl->prev = NULL;
	n->nr_partial--;
}

/* unfreeze_partials: a CPU's partial slabs go back to their nodes. */
static void unfreeze_partials(struct machine *m, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	while (c->partial) {
		struct slab *sl = c->partial;
		struct kmem_cache_node *n = &s->node[sl->node];

		c->partial = sl->next;
		sl->next = NULL;
		sl->frozen = false;
		if (!sl->inuse && n->nr_partial > s->l.min_partial)
			discard_slab(m, s, sl);
		else if (sl->freelist != SLAB_NONE)
			add_partial(n, sl);
	}
}

/* The CPU partial list's free objects as SLUB knows them: the head's snapshot. */
static int cpu_partial_objects(const struct kmem_cache_cpu *c)
{
	return c->partial ? c->partial->pobjects : 0;
}

/*
 * put_cpu_partial; drain: first empty the list if it holds too much.  The
 * count of free objects is a snapshot taken at each push, which later frees
 * into the frozen slabs do not update: SLUB's pobjects, kept as it is.
 */
static int put_cpu_partial(struct machine *m, struct kmem_cache *s, struct kmem_cache_cpu *c,
                           struct slab *sl, bool drain)
{
	int pobjects = cpu_partial_objects(c);

	if (drain && c->partial && pobjects > (int)s->l.cpu_partial) {
		unfreeze_partials(m, s, c);
		pobjects = 0;
	}
	sl->frozen = true;
	sl->pobjects = pobjects + sl->objects - sl->inuse;
	sl->next = c->partial;
	c->partial = sl;
	return sl->pobjects;
}

/* get_partial_node: a slab for the CPU, and a few more for its partial list. */
static struct slab *get_partial(struct machine *m, struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = &s->node[numa_node_id(m)];
	struct slab *got = NULL;

	while (n->partial) {
		struct slab *sl = n->partial;
		int available;

		remove_partial(n, sl);
		if (!got) {
			got = sl;
			sl->frozen = true;
			available = sl->objects - sl->inuse;
		} else {
			available = put_cpu_partial(m, s, c, sl, false);
		}
		if (available > (int)s->l.cpu_partial / 2)
			break;
	}
	return got;
}

/* The CPU slab is exhausted or absent: find it another (__slab_alloc). */
static struct slab *refill(struct machine *m, struct kmem_cache *s, struct kmem_cache_cpu *c,
                           gfp_t gfp)
{
	struct slab *sl;

	if (c->slab)
		c->slab->frozen = false; /* full: it leaves every list */
	c->slab = NULL;
	if (c->partial) {
		sl = c->partial;
		c->partial = sl->next;
		sl->next = NULL;
		return c->slab = sl;
	}
	sl = get_partial(m, s, c);
	if (!sl && (sl = new_slab(m, s, gfp)))
		sl->frozen = true;
	return c->slab = sl;
}

uint64_t kmem_cache_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c = &s->cpu[m->cpu];
	struct slab *sl = c->slab;
	unsigned idx;

	if (!sl || sl->freelist == SLAB_NONE)
		sl = refill(m, s, c, gfp);
	if (!sl || sl->freelist == SLAB_NONE)
		return 0;
	idx = sl->freelist;
	sl->freelist = sl->next_free[idx];
	sl->next_free[idx] = SLAB_LIVE;
	sl->inuse++;
	s->live++;
	return obj_addr(m, sl, idx);
}

/* The slab an address is in, if it is a live object of s; else NULL. */
static struct slab *object_slab(const struct machine *m, const struct kmem_cache *s, uint64_t addr,
                                unsigned *idx)
{
	struct page *page = virt_to_page(m, addr);
	struct slab *sl;
	uint64_t off;

	if (!page)
		return NULL;
	if (PageTail(page))
		page = pfn_to_page(m, (unsigned long)page->private);
	if (!page_test(page, PG_slab) || page->mapping != s)
		return NULL;
	sl = (struct slab *)(uintptr_t)page->private;
	off = addr - page_address(m, page);
	if (off % s->l.size || off / s->l.size >= sl->objects)
		return NULL;
	*idx = (unsigned)(off / s->l.size);
	return sl->next_free[*idx] == SLAB_LIVE ? sl : NULL;
}

int kmem_cache_free(struct machine *m, struct kmem_cache *s, uint64_t addr)
{
	unsigned idx;
	struct slab *sl = object_slab(m, s, addr, &idx);
	struct kmem_cache_node *n;
	bool was_full;

	if (!sl)
		return -EINVAL;
	was_full = sl->freelist == SLAB_NONE;
	sl->next_free[idx] = sl->freelist;
	sl->freelist = (uint16_t)idx;
	sl->inuse--;
	s->live--;
	if (sl->frozen)
		return 0; /* a CPU slab or on a CPU partial list */
	if (was_full) {
		put_cpu_partial(m, s, &s->cpu[m->cpu], sl, true);
		return 0;
	}
	n = &s->node[sl->node];
	if (!sl->inuse && n->nr_partial > s->l.min_partial) {
		remove_partial(n, sl);
		discard_slab(m, s, sl);
	}
	return 0;
}

unsigned long kmem_cache_shrink(struct machine *m, struct kmem_cache *s)
{
	unsigned long freed = 0;

	/* flush_all: CPU slabs and partials go back to the nodes first */
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu[cpu];

		if (c->slab) {
			c->slab->frozen = false;
			if (c->slab->freelist != SLAB_NONE)
				add_partial(&s->node[c->slab->node], c->slab);
			c->slab = NULL;
		}
		unfreeze_partials(m, s, c);
	}
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		struct kmem_cache_node *n = &s->node[nid];

		for (struct slab *sl = n->partial, *next; sl; sl = next) {
			next = sl->next;
			if (!sl->inuse) {
				remove_partial(n, sl);
				discard_slab(m, s, sl);
				freed++;
			}
		}
	}
	return freed;
}

unsigned long slab_objects_free(const struct kmem_cache *s, int nr_nodes)
{
	unsigned long free = 0;

	for (int nid = 0; nid < nr_nodes; nid++)
		for (const struct slab *sl = s->node[nid].partial; sl; sl = sl->next)
			free += (unsigned long)(sl->objects - sl->inuse);
	return free;
}

void kmem_cache_release(struct machine *m, struct kmem_cache *s)
{
	(void)m;
	while (s->all) {
		struct slab *sl = s->all;

		s->all = sl->all_next;
		free(sl);
	}
	free(s->cpu);
	free(s->node);
	free(s);
}
