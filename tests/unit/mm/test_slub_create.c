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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merges_like_slub),
	    cmocka_unit_test(test_flags_that_never_merge),
	    cmocka_unit_test(test_create_refusals),
	    cmocka_unit_test(test_destroy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
