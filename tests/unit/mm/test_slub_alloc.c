/*
 * test_slub_alloc.c - allocating and freeing objects (slub_alloc.c): slabs
 * come from and go back to the page allocator with the right accounting,
 * the lists follow SLUB's rules, misuse is refused without a change, and
 * a random walk over caches and CPUs keeps every invariant.
 */
#include <string.h>

#include "mm/internal.h"
#include "mm/mm_check.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "mm_test.h"

static uint64_t objs[4096];

static void test_alloc_fills_slabs(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s = kmem_cache_find(m, "kmalloc-128");
	struct zone *z = zone_named(m, 0, "DMA32");
	unsigned long free0 = zone_page_state(z, NR_FREE_PAGES);
	struct sbuf sb = SBUF_INIT;

	(void)state;
	for (int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(m, s, GFP_KERNEL);
		assert_true(objs[i] >= m->arch->page_offset);
		if (i)
			assert_int_equal(objs[i] - objs[i - 1] == 128 || (objs[i] & 4095) == 0, 1);
	}
	/* 32 per order-0 slab: four slabs, the last one the CPU's */
	assert_int_equal(s->nr_slabs, 4);
	assert_int_equal(s->total_objects, 128);
	assert_int_equal(s->live, 100);
	assert_int_equal(zone_page_state(z, NR_SLAB_UNRECLAIMABLE), 4);
	assert_true(zone_page_state(z, NR_FREE_PAGES) < free0);
	assert_int_equal(proc_slabinfo(m, &sb), 0);
	/* the CPU slab's free objects count as active, as in SLUB */
	assert_non_null(
	    strstr(sbuf_cstr(&sb), "\nkmalloc-128          128    128    128   32    1 "));
	sbuf_free(&sb);
	assert_invariants(m);
	for (int i = 0; i < 100; i++)
		assert_int_equal(kmem_cache_free(m, s, objs[i]), 0);
	assert_int_equal(s->live, 0);
	assert_invariants(m);
	assert_true(kmem_cache_shrink(m, s) > 0);
	assert_int_equal(s->nr_slabs, 0);
	assert_int_equal(zone_page_state(z, NR_SLAB_UNRECLAIMABLE), 0);
	drain_all_pages(m);
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), z->present_pages);
	assert_invariants(m);
	machine_destroy(m);
}

/* Large objects use compound slabs of order 3, from the DMA zone for dma caches. */
static void test_high_order_and_dma(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s = kmem_cache_find(m, "dma-kmalloc-8192");
	uint64_t a = kmem_cache_alloc(m, s, GFP_KERNEL);
	struct page *page = virt_to_page(m, a);

	(void)state;
	assert_true(PageHead(page));
	assert_true(page_to_pfn(m, page) < 0x1000);
	assert_int_equal(zone_page_state(zone_named(m, 0, "DMA"), NR_SLAB_UNRECLAIMABLE), 8);
	/* slab pages cannot be freed as plain pages */
	assert_int_equal(machine_free_pages(m, page_to_pfn(m, page), 3), -EINVAL);
	assert_int_equal(kmem_cache_free(m, s, a), 0);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_misuse_refused(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s = kmem_cache_find(m, "kmalloc-64");
	struct kmem_cache *t = kmem_cache_find(m, "kmalloc-128");
	uint64_t a = kmem_cache_alloc(m, s, GFP_KERNEL);
	uint64_t b = kmem_cache_alloc(m, s, GFP_KERNEL);

	(void)state;
	assert_int_equal(kmem_cache_free(m, s, a + 8), -EINVAL);  /* inside an object */
	assert_int_equal(kmem_cache_free(m, t, a), -EINVAL);      /* another cache's */
	assert_int_equal(kmem_cache_free(m, s, 0x1000), -EINVAL); /* not in the direct map */
	assert_int_equal(kmem_cache_free(m, s, b + 64), -EINVAL); /* never allocated */
	assert_int_equal(s->live, 2);
	assert_int_equal(kmem_cache_free(m, s, a), 0);
	assert_int_equal(kmem_cache_free(m, s, a), -EINVAL); /* double free */
	assert_int_equal(s->live, 1);
	assert_invariants(m);
	machine_destroy(m);
}

/*
 * Freeing into a full slab freezes it onto the freeing CPU's partial list;
 * past cpu_partial (6 for 1 KiB objects) free objects, the next freeze
 * first moves the list to the node.  The count is SLUB's snapshot: frees
 * into an already frozen slab do not raise it.
 */
static void test_cpu_partial(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache *s = kmem_cache_find(m, "kmalloc-1024");

	(void)state;
	for (int i = 0; i < 9 * 16; i++) /* nine full slabs of 16 */
		objs[i] = kmem_cache_alloc(m, s, GFP_KERNEL);
	assert_int_equal(s->nr_slabs, 9);
	assert_null(s->cpu[0].partial);
	assert_int_equal(kmem_cache_free(m, s, objs[0]), 0);
	assert_int_equal(kmem_cache_free(m, s, objs[1]), 0); /* into the frozen slab */
	assert_int_equal(s->cpu[0].partial->pobjects, 1);
	for (int k = 1; k < 7; k++)
		assert_int_equal(kmem_cache_free(m, s, objs[16 * k]), 0);
	assert_int_equal(s->cpu[0].partial->pobjects, 7);
	assert_int_equal(s->node[0].nr_partial, 0);
	assert_int_equal(kmem_cache_free(m, s, objs[16 * 7]), 0);
	assert_int_equal(s->node[0].nr_partial, 7);
	assert_int_equal(s->cpu[0].partial->pobjects, 1);
	assert_null(s->cpu[0].partial->next);
	assert_invariants(m);
	machine_destroy(m);
}

static uint64_t rng = 12345;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_random_walk(void **state)
{
	static const char *const names[] = {"kmalloc-8",   "kmalloc-96",   "kmalloc-192",
	                                    "kmalloc-512", "kmalloc-4096", "dma-kmalloc-64",
	                                    "kmalloc-8192"};
	struct machine *m = boot_ini("[node.0]\nmemory = 32M\ncpus = 2\n"
	                             "[node.1]\nmemory = 32M\ncpus = 2\n");
	struct kmem_cache *which[4096];
	int n = 0;

	(void)state;
	for (int step = 0; step < 20000; step++) {
		machine_set_cpu(m, (int)(rnd() % 4));
		if (n && (rnd() % 100 < 45 || n == 4096)) {
			int i = (int)(rnd() % (uint64_t)n);

			assert_int_equal(kmem_cache_free(m, which[i], objs[i]), 0);
			objs[i] = objs[--n];
			which[i] = which[n];
		} else {
			struct kmem_cache *s = kmem_cache_find(m, names[rnd() % 7]);
			uint64_t a = kmem_cache_alloc(m, s, GFP_KERNEL);

			if (a) {
				objs[n] = a;
				which[n++] = s;
			}
		}
		if (step % 200 == 0)
			assert_invariants(m);
	}
	while (n--)
		assert_int_equal(kmem_cache_free(m, which[n], objs[n]), 0);
	for (struct kmem_cache *s = m->slab_caches; s; s = s->next) {
		kmem_cache_shrink(m, s);
		assert_int_equal(s->nr_slabs, 0);
	}
	drain_all_pages(m);
	assert_int_equal(global_page_state(m, NR_FREE_PAGES), m->totalram_pages);
	assert_int_equal(global_page_state(m, NR_SLAB_UNRECLAIMABLE), 0);
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc_fills_slabs), cmocka_unit_test(test_high_order_and_dma),
	    cmocka_unit_test(test_misuse_refused),    cmocka_unit_test(test_cpu_partial),
	    cmocka_unit_test(test_random_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
