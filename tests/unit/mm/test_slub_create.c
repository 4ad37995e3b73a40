/*
 * test_slub_create.c - kmem_cache_create and kmem_cache_destroy
 * (slub_create.c): SLUB's merging decisions, the name table and its
 * owners, every refusal, and destroy giving every page back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "mm_test.h"

static bool slabinfo_has(struct machine *m, const char *line_start)
{
	struct sbuf sb = SBUF_INIT;
	char key[64];
	bool found;

	snprintf(key, sizeof(key), "\n%s", line_start);
	assert_int_equal(proc_slabinfo(m, &sb), 0);
	found = strstr(sbuf_cstr(&sb), key) != NULL;
	sbuf_free(&sb);
	return found;
}

/* Pages the zone can hand out: buddy free pages plus those on pcp lists. */
static unsigned long zone_available(const struct machine *m, struct zone *z)
{
	unsigned long n = zone_page_state(z, NR_FREE_PAGES);

	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		n += (unsigned long)z->pageset[cpu].pcp.count;
	return n;
}

static void test_merges_like_slub(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s, *k64 = kmem_cache_find(m, "kmalloc-64");

	(void)state;
	/* 60 bytes round to 64: kmalloc-64 holds them with nothing to spare */
	assert_int_equal(kmem_cache_create(m, "lab_obj", 60, 0, 0, 7, &s), 0);
	assert_ptr_equal(s, k64);
	assert_int_equal(s->refcount, 2);
	assert_ptr_equal(kmem_cache_find(m, "lab_obj"), k64);
	assert_false(slabinfo_has(m, "lab_obj "));
	/* hardware-aligned 100 bytes take a 128-byte slot: kmalloc-128 */
	assert_int_equal(kmem_cache_create(m, "hw100", 100, 0, SLAB_HWCACHE_ALIGN, 7, &s), 0);
	assert_ptr_equal(s, kmem_cache_find(m, "kmalloc-128"));
	/* plain 100 bytes need 104: kmalloc-128 wastes a word or more, so a new cache */
	assert_int_equal(kmem_cache_create(m, "c100", 100, 0, 0, 7, &s), 0);
	assert_string_equal(s->name, "c100");
	assert_int_equal(s->l.size, 104);
	assert_int_equal(s->refcount, 1);
	assert_true(slabinfo_has(m, "c100                   0      0    104   39    1 :"));
	/* and the next 100-byte cache merges into that newest one */
	assert_int_equal(kmem_cache_create(m, "d100", 97, 0, 0, 7, &s), 0);
	assert_string_equal(s->name, "c100");
	assert_int_equal(s->refcount, 2);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_flags_that_never_merge(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s, *r;
	struct zone *z = zone_named(m, 0, "DMA32");

	(void)state;
	assert_int_equal(kmem_cache_create(m, "p64", 64, 0, SLAB_POISON, 1, &s), 0);
	assert_string_equal(s->name, "p64");
	assert_true(slabinfo_has(m, "p64 "));
	/* accounting differs from kmalloc-64: a cache of its own, then a merge target */
	assert_int_equal(kmem_cache_create(m, "r64", 64, 0, SLAB_RECLAIM_ACCOUNT, 1, &r), 0);
	assert_string_equal(r->name, "r64");
	assert_int_equal(kmem_cache_create(m, "r60", 60, 0, SLAB_RECLAIM_ACCOUNT, 1, &s), 0);
	assert_ptr_equal(s, r);
	assert_int_equal(zone_page_state(z, NR_SLAB_RECLAIMABLE), 0);
	assert_true(kmem_cache_alloc(m, r, GFP_KERNEL) != 0);
	assert_int_equal(zone_page_state(z, NR_SLAB_RECLAIMABLE), 1);
	/* the bootstrap caches never take aliases */
	assert_int_equal(kmem_cache_create(m, "node64", 64, 0, SLAB_HWCACHE_ALIGN, 1, &s), 0);
	assert_ptr_not_equal(s, kmem_cache_find(m, "kmem_cache_node"));
	assert_invariants(m);
	machine_destroy(m);
}

static void test_create_refusals(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s = NULL;
	char longname[40];

	(void)state;
	memset(longname, 'x', 32);
	longname[32] = 0;
	assert_int_equal(kmem_cache_create(m, "p", 64, 0, SLAB_PANIC, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "p", 64, 0, 1ul << 30, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "", 64, 0, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "a b", 64, 0, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, longname, 64, 0, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, NULL, 64, 0, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "p", 0, 0, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "p", 64, 3, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "p", 64, 8192, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "p", 5u << 20, 0, 0, 1, &s), -EINVAL);
	assert_int_equal(kmem_cache_create(m, "kmalloc-64", 64, 0, 0, 1, &s), -EEXIST);
	assert_null(s);
	assert_int_equal(kmem_cache_create(m, "p", 64, 0, 0, 1, &s), 0);
	assert_int_equal(kmem_cache_create(m, "p", 64, 0, 0, 2, &s), -EEXIST);
	/* the name table is bounded */
	while (m->nr_slab_names < SLAB_NAMES_MAX) {
		char name[16];

		snprintf(name, sizeof(name), "n%u", m->nr_slab_names);
		assert_int_equal(kmem_cache_create(m, name, 8, 0, 0, 1, &s), 0);
	}
	assert_int_equal(kmem_cache_create(m, "one-more", 8, 0, 0, 1, &s), -ENOSPC);
	assert_int_equal(kmem_cache_find(m, "kmalloc-8")->refcount, SLAB_NAMES_MAX - 28);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_destroy(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	unsigned long free0;
	struct kmem_cache *s;
	uint64_t obj;

	(void)state;
	assert_int_equal(kmem_cache_destroy(m, "kmalloc-64", SLAB_OWNER_KERNEL), -EPERM);
	assert_int_equal(kmem_cache_destroy(m, "nope", 1), -ENOENT);
	assert_int_equal(kmem_cache_create(m, "c100", 100, 0, 0, 1, &s), 0);
	assert_int_equal(kmem_cache_destroy(m, "c100", 2), -EPERM);
	free0 = zone_available(m, z);
	obj = kmem_cache_alloc(m, s, GFP_KERNEL);
	assert_true(obj != 0);
	assert_int_equal(kmem_cache_destroy(m, "c100", 1), -EBUSY);
	assert_ptr_equal(kmem_cache_find(m, "c100"), s);
	assert_int_equal(kmem_cache_free(m, s, obj), 0);
	assert_int_equal(kmem_cache_destroy(m, "c100", 1), 0);
	assert_null(kmem_cache_find(m, "c100"));
	assert_false(slabinfo_has(m, "c100 "));
	assert_int_equal(zone_available(m, z), free0);
	assert_int_equal(zone_page_state(z, NR_SLAB_UNRECLAIMABLE), 0);
	/* an alias goes even while its cache has live objects: only the name goes */
	assert_int_equal(kmem_cache_create(m, "lab", 64, 0, 0, 1, &s), 0);
	obj = kmem_cache_alloc(m, s, GFP_KERNEL);
	assert_int_equal(kmem_cache_destroy(m, "lab", 1), 0);
	assert_int_equal(s->refcount, 1);
	assert_int_equal(kmem_cache_free(m, s, obj), 0);
	/* the first name of a merged pair goes; the cache stays, still printed under it */
	assert_int_equal(kmem_cache_create(m, "a", 100, 0, 0, 1, &s), 0);
	assert_int_equal(kmem_cache_create(m, "b", 100, 0, 0, 1, &s), 0);
	assert_int_equal(kmem_cache_destroy(m, "a", 1), 0);
	assert_ptr_equal(kmem_cache_find(m, "b"), s);
	assert_true(slabinfo_has(m, "a "));
	assert_int_equal(kmem_cache_destroy(m, "b", 1), 0);
	assert_false(slabinfo_has(m, "a "));
	assert_invariants(m);
	machine_destroy(m);
}

/* meminfo's Slab lines follow the slab pages of both kinds. */
static void test_meminfo_slab_fields(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *r, *u = kmem_cache_find(m, "kmalloc-4096");
	struct sbuf sb = SBUF_INIT;

	(void)state;
	assert_int_equal(kmem_cache_create(m, "dentry-like", 192, 0, SLAB_RECLAIM_ACCOUNT, 1, &r),
	                 0);
	/* 21 objects of 192 bytes per order-0 slab: 22 objects take 2 slabs */
	for (int i = 0; i < 22; i++)
		assert_true(kmem_cache_alloc(m, r, GFP_KERNEL) != 0);
	/* kmalloc-4096 slabs are order 3 with 8 objects: 9 objects take 2 slabs,
	 * 16 pages */
	for (int i = 0; i < 9; i++)
		assert_true(kmem_cache_alloc(m, u, GFP_KERNEL) != 0);
	assert_int_equal(proc_meminfo(m, &sb), 0);
	assert_non_null(strstr(sbuf_cstr(&sb), "Slab:                 72 kB\n"
	                                       "SReclaimable:          8 kB\n"
	                                       "SUnreclaim:           64 kB\n"));
	sbuf_free(&sb);
	machine_destroy(m);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define WALK_OBJS  2048
#define WALK_NAMES 64

/* Objects and names the walk holds: a kmalloc object has no cache. */
struct walk {
	uint64_t addr[WALK_OBJS];
	struct kmem_cache *cache[WALK_OBJS];
	int nobj;
	char name[WALK_NAMES][16];
	int nname;
	unsigned int next_id;
	int merged, busy; /* how often the walk met each case */
};

static void walk_create(struct machine *m, struct walk *w)
{
	static const unsigned long flags[] = {0, SLAB_HWCACHE_ALIGN, SLAB_RECLAIM_ACCOUNT,
	                                      SLAB_POISON | SLAB_RED_ZONE};
	struct kmem_cache *s;

	if (w->nname == WALK_NAMES)
		return;
	snprintf(w->name[w->nname], sizeof(w->name[0]), "w%u", w->next_id++);
	assert_int_equal(kmem_cache_create(m, w->name[w->nname], (unsigned int)(8 + rnd() % 3000),
	                                   0, flags[rnd() % 4], 1, &s),
	                 0);
	w->merged += s->refcount > 1;
	w->nname++;
}

/* Destroy a random name: refused exactly when its cache would go with live objects. */
static void walk_destroy(struct machine *m, struct walk *w)
{
	int i;
	struct kmem_cache *s;
	bool busy;

	if (!w->nname)
		return;
	i = (int)(rnd() % (uint64_t)w->nname);
	s = kmem_cache_find(m, w->name[i]);
	busy = s->refcount == 1 && s->live;
	w->busy += busy;
	assert_int_equal(kmem_cache_destroy(m, w->name[i], 1), busy ? -EBUSY : 0);
	if (!busy)
		memcpy(w->name[i], w->name[--w->nname], sizeof(w->name[0]));
}

static void walk_alloc(struct machine *m, struct walk *w)
{
	struct kmem_cache *s = NULL;
	uint64_t a = 0;

	if (w->nobj == WALK_OBJS)
		return;
	if (w->nname && rnd() % 2) {
		s = kmem_cache_find(m, w->name[rnd() % (uint64_t)w->nname]);
		a = kmem_cache_alloc(m, s, GFP_KERNEL);
	} else if (kmalloc(m, 1 + rnd() % 20000, GFP_KERNEL, &a)) {
		a = 0;
	}
	if (a) {
		w->addr[w->nobj] = a;
		w->cache[w->nobj++] = s;
	}
}

static void walk_free(struct machine *m, struct walk *w, int i)
{
	if (w->cache[i])
		assert_int_equal(kmem_cache_free(m, w->cache[i], w->addr[i]), 0);
	else
		assert_int_equal(kfree(m, w->addr[i]), 0);
	w->addr[i] = w->addr[--w->nobj];
	w->cache[i] = w->cache[w->nobj];
}

/* Seeded mixed walk: creates, destroys, cache and kmalloc objects, checked every step. */
static void test_random_walk(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 32M\ncpus = 2\n"
	                             "[node.1]\nmemory = 32M\ncpus = 2\n");
	static struct walk w;
	int boot_caches = 0;

	(void)state;
	for (struct kmem_cache *s = m->slab_caches; s; s = s->next)
		boot_caches++;
	for (int step = 0; step < 4000; step++) {
		unsigned int op = (unsigned int)(rnd() % 100);

		machine_set_cpu(m, (int)(rnd() % 4));
		if (op < 5)
			walk_create(m, &w);
		else if (op < 9)
			walk_destroy(m, &w);
		else if (op < 55 || !w.nobj)
			walk_alloc(m, &w);
		else
			walk_free(m, &w, (int)(rnd() % (uint64_t)w.nobj));
		assert_invariants(m);
	}
	assert_true(w.merged > 5 && w.busy > 5);
	while (w.nobj)
		walk_free(m, &w, w.nobj - 1);
	while (w.nname)
		walk_destroy(m, &w);
	for (struct kmem_cache *s = m->slab_caches; s; s = s->next, boot_caches--)
		kmem_cache_shrink(m, s);
	assert_int_equal(boot_caches, 0);
	drain_all_pages(m);
	assert_int_equal(global_page_state(m, NR_FREE_PAGES), m->totalram_pages);
	assert_int_equal(global_page_state(m, NR_SLAB_UNRECLAIMABLE), 0);
	assert_int_equal(global_page_state(m, NR_SLAB_RECLAIMABLE), 0);
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merges_like_slub),
	    cmocka_unit_test(test_flags_that_never_merge),
	    cmocka_unit_test(test_create_refusals),
	    cmocka_unit_test(test_destroy),
	    cmocka_unit_test(test_meminfo_slab_fields),
	    cmocka_unit_test(test_random_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
