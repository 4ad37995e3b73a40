/*
 * test_slub_layout.c - SLUB's cache layout (slub_layout.c): every kmalloc
 * cache of three real 3.2 kernels (4 and 2 CPUs on x86_64, 2 on i386) has
 * the object size, objects per slab and pages per slab their
 * /proc/slabinfo shows; debug flags and alignment lay slots out as
 * calculate_sizes does.
 */
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"
#include "mm_test.h"

/* Check every kmalloc row of a golden slabinfo against our layout; returns rows seen. */
static int check_golden(struct machine *m, const char *dir)
{
	char path[512], line[512];
	FILE *f;
	int rows = 0;

	snprintf(path, sizeof(path), "%s/%s/slabinfo.txt", MMSIM_GOLDEN_DIR, dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long active, num, objsize, per_slab, pages;
		struct kmem_cache_layout l;
		int dma = !strncmp(line, "dma-kmalloc-", 12);

		if (strncmp(line, "kmalloc-", 8) && !dma)
			continue;
		assert_int_equal(sscanf(line, "%63s %lu %lu %lu %lu %lu", name, &active, &num,
		                        &objsize, &per_slab, &pages),
		                 6);
		assert_int_equal(
		    kmem_cache_layout(m, (unsigned int)objsize, 8, dma ? SLAB_CACHE_DMA : 0, 0, &l),
		    0);
		if (l.size != objsize || (unsigned long)l.oo.objects != per_slab ||
		    (1ul << l.oo.order) != pages) {
			print_error("%s %s: size %u objects %d pages %lu; golden %lu %lu %lu\n",
			            dir, name, l.size, l.oo.objects, 1ul << l.oo.order, objsize,
			            per_slab, pages);
			fail();
		}
		rows++;
	}
	fclose(f);
	return rows;
}

static void test_kmalloc_caches_match_golden(void **state)
{
	struct machine *a = boot_ini(NULL);
	struct machine *c = boot_ini("[node.0]\nmemory = 6G\ncpus = 2\n");
	struct machine *k = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n");

	(void)state;
	assert_int_equal(check_golden(a, "a-1G-smp4-numa2"), 26);
	assert_int_equal(check_golden(c, "c-6G-smp2"), 26);
	assert_int_equal(check_golden(k, "k-i386-2G-smp2"), 26);
	machine_destroy(a);
	machine_destroy(c);
	machine_destroy(k);
}

static struct kmem_cache_layout layout(struct machine *m, unsigned size, unsigned align,
                                       unsigned long flags, int ctor)
{
	struct kmem_cache_layout l;

	assert_int_equal(kmem_cache_layout(m, size, align, flags, ctor, &l), 0);
	return l;
}

static void test_slot_layout(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache_layout l;

	(void)state;
	/* words: 20 bytes take 24 */
	l = layout(m, 20, 0, 0, 0);
	assert_int_equal(l.size, 24);
	assert_int_equal(l.offset, 0);
	/* cache-line alignment shrinks to the power of two a small object fits */
	assert_int_equal(layout(m, 20, 0, SLAB_HWCACHE_ALIGN, 0).size, 32);
	assert_int_equal(layout(m, 40, 0, SLAB_HWCACHE_ALIGN, 0).size, 64);
	assert_int_equal(layout(m, 100, 0, SLAB_HWCACHE_ALIGN, 0).size, 128);
	/* an explicit alignment wins when larger */
	assert_int_equal(layout(m, 20, 128, SLAB_HWCACHE_ALIGN, 0).size, 128);
	/* red zone: a word after a word-filling object, a word of left padding */
	l = layout(m, 64, 0, SLAB_RED_ZONE, 0);
	assert_int_equal(l.inuse, 72);
	assert_int_equal(l.size, 80);
	/* poison or a constructor move the free pointer past the object */
	l = layout(m, 64, 0, SLAB_POISON, 0);
	assert_int_equal(l.offset, 64);
	assert_int_equal(l.size, 72);
	assert_int_equal(layout(m, 64, 0, 0, 1).offset, 64);
	l = layout(m, 60, 0, SLAB_RED_ZONE | SLAB_POISON, 0);
	assert_int_equal(l.inuse, 64);
	assert_int_equal(l.offset, 64);
	assert_int_equal(l.size, 80);
	machine_destroy(m);
}

static void test_order_and_tunables(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache_layout l;

	(void)state;
	l = layout(m, 8192, 8, SLAB_RECLAIM_ACCOUNT, 0);
	assert_int_equal(l.oo.order, 3);
	assert_int_equal(l.min.order, 1);
	assert_int_equal(l.min.objects, 1);
	assert_int_equal(l.allocflags, __GFP_COMP | __GFP_RECLAIMABLE);
	assert_int_equal(l.min_partial, 6); /* ilog2(8192) / 2 */
	assert_int_equal(l.cpu_partial, 2);
	l = layout(m, 8, 8, SLAB_CACHE_DMA, 0);
	assert_int_equal(l.allocflags, __GFP_DMA);
	assert_int_equal(l.min_partial, 5);
	assert_int_equal(l.cpu_partial, 30);
	assert_int_equal(layout(m, 256, 8, 0, 0).cpu_partial, 13);
	assert_int_equal(layout(m, 1024, 8, 0, 0).cpu_partial, 6);
	/* too big for slub_max_order: the smallest order holding one object */
	l = layout(m, 100000, 8, 0, 0);
	assert_int_equal(l.oo.order, 5);
	assert_int_equal(l.oo.objects, 1);
	/* a 1000-byte object wastes little in an order-2 slab of 16 */
	l = layout(m, 1000, 8, 0, 0);
	assert_int_equal(l.oo.order, 2);
	assert_int_equal(l.oo.objects, 16);
	machine_destroy(m);
}

static void test_bad_layouts(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct kmem_cache_layout l;

	(void)state;
	assert_int_equal(kmem_cache_layout(m, 0, 8, 0, 0, &l), -EINVAL);
	assert_int_equal(kmem_cache_layout(m, 64, 3, 0, 0, &l), -EINVAL);
	assert_int_equal(kmem_cache_layout(m, 64, 8192, 0, 0, &l), -EINVAL);
	assert_int_equal(kmem_cache_layout(m, (4u << 20) + 1, 8, 0, 0, &l), -EINVAL);
	assert_int_equal(kmem_cache_layout(m, 4u << 20, 8, 0, 0, &l), 0);
	assert_int_equal(l.oo.order, 10);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kmalloc_caches_match_golden),
	    cmocka_unit_test(test_slot_layout),
	    cmocka_unit_test(test_order_and_tunables),
	    cmocka_unit_test(test_bad_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
