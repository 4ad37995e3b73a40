/*
 * test_kmalloc.c - kmalloc, kfree and ksize (kmalloc.c): the size class a
 * request lands in, the page allocator above 8192 bytes, the zero-size
 * pointer, and every misuse refused with no change.
 */
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm_test.h"

static struct kmem_cache *cache_of(struct machine *m, uint64_t addr)
{
	struct page *page = virt_to_page(m, addr);

	return PageSlab(page) ? page->mapping : NULL;
}

static void test_size_classes(void **state)
{
	struct machine *m = boot_ini(NULL);
	uint64_t a, d;

	(void)state;
	/* a 100-byte request costs 128 */
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &a), 0);
	assert_string_equal(cache_of(m, a)->name, "kmalloc-128");
	assert_int_equal(ksize(m, a), 128);
	assert_int_equal(kmalloc(m, 70, GFP_KERNEL, &d), 0);
	assert_int_equal(ksize(m, d), 96);
	assert_int_equal(kfree(m, d), 0);
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL | GFP_DMA, &d), 0);
	assert_string_equal(cache_of(m, d)->name, "dma-kmalloc-128");
	assert_true(page_to_pfn(m, virt_to_page(m, d)) < 0x1000);
	assert_int_equal(kfree(m, a), 0);
	assert_int_equal(kfree(m, a), -EINVAL); /* double free */
	assert_int_equal(kfree(m, d), 0);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_large(void **state)
{
	struct machine *m = boot_ini(NULL);
	unsigned long free0 = global_page_state(m, NR_FREE_PAGES);
	uint64_t a;

	(void)state;
	/* 8193 bytes: the page allocator, order 2 */
	assert_int_equal(kmalloc(m, 8193, GFP_KERNEL, &a), 0);
	assert_true(PageHead(virt_to_page(m, a)));
	assert_int_equal(virt_to_page(m, a)->order, 2);
	assert_int_equal(ksize(m, a), 16384);
	assert_int_equal(kfree(m, a + 4096), -EINVAL); /* not its start */
	assert_int_equal(kfree(m, a), 0);
	assert_int_equal(kfree(m, a), -EINVAL);
	assert_int_equal(kmalloc(m, 4u << 20, GFP_KERNEL, &a), 0);
	assert_int_equal(virt_to_page(m, a)->order, 10);
	assert_int_equal(kfree(m, a), 0);
	drain_all_pages(m);
	assert_int_equal(global_page_state(m, NR_FREE_PAGES), free0);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_zero_and_bad(void **state)
{
	struct machine *m = boot_ini(NULL);
	uint64_t a = 1;

	(void)state;
	assert_int_equal(kmalloc(m, 0, GFP_KERNEL, &a), 0);
	assert_int_equal(a, 16); /* ZERO_SIZE_PTR */
	assert_int_equal(kfree(m, a), 0);
	assert_int_equal(kfree(m, 0), 0);
	assert_int_equal(kmalloc(m, 64, GFP_HIGHUSER, &a), -EINVAL);
	assert_int_equal(kmalloc(m, 64, __GFP_DMA32 | GFP_KERNEL, &a), -EINVAL);
	assert_int_equal(kmalloc(m, 64, 1u << 24, &a), -EINVAL);
	assert_int_equal(kmalloc(m, (4u << 20) + 1, GFP_KERNEL, &a), -EINVAL);
	assert_int_equal(kmalloc(m, 64, GFP_KERNEL, &a), 0);
	assert_int_equal(kfree(m, a + 8), -EINVAL);
	assert_int_equal(ksize(m, a + 8), 64); /* ksize, like the kernel's, takes any pointer in */
	assert_int_equal(kfree(m, 0x1234), -EINVAL);
	assert_int_equal(ksize(m, 0x1234), -EINVAL);
	assert_int_equal(kfree(m, a), 0);
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_size_classes),
	    cmocka_unit_test(test_large),
	    cmocka_unit_test(test_zero_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
