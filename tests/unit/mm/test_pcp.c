/*
 * test_pcp.c - per-CPU pagesets (pcp.c): refill by batch, drain by batch
 * at high, hot and cold ends, per-CPU separation, drains.
 */
#include "mm/internal.h"
#include "mm/sysctl.h"
#include "mm_test.h"

static struct per_cpu_pages *pcp_of(struct zone *z, int cpu)
{
	return &z->pageset[cpu].pcp;
}

/* The first order-0 allocation refills the list with one batch, in pfn order. */
static void test_refill_by_batch(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	long free0 = z->vm_stat[NR_FREE_PAGES];
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	struct per_cpu_pages *pcp = pcp_of(z, 0);
	pgidx_t head = pcp->lists[MIGRATE_UNMOVABLE], p;
	unsigned long prev;

	(void)state;
	assert_ptr_equal(page_zone(m, page), z);
	assert_int_equal(pcp->batch, 31);
	assert_int_equal(pcp->count, 30);
	/* pages on the pcp lists are not free pages */
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], free0 - 31);
	prev = page_to_pfn(m, page);
	for (p = m->mem_map[head].lru_next; p != head; p = m->mem_map[p].lru_next) {
		assert_int_equal(p, prev + 1);
		prev = p;
	}
	assert_int_equal(pcp_of(z, 1)->count, 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* Freeing up to high gives one batch back to the buddy lists. */
static void test_drain_at_high(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	struct per_cpu_pages *pcp = pcp_of(z, 0);
	struct page *pages[200];
	long free_before;

	(void)state;
	for (int i = 0; i < 200; i++)
		pages[i] = alloc_pages(m, GFP_KERNEL, 0);
	/* 200 pages came in 7 batches of 31: 17 are left on the list */
	assert_int_equal(pcp->count, 7 * 31 - 200);
	free_before = z->vm_stat[NR_FREE_PAGES];
	for (int i = 0; i < 186 - 17 - 1; i++)
		__free_pages(m, pages[i], 0);
	assert_int_equal(pcp->count, 185);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], free_before);
	__free_pages(m, pages[168], 0);
	/* reaching high (186) hands back a batch */
	assert_int_equal(pcp->count, 186 - 31);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], free_before + 31);
	assert_int_equal(m->vm_events[PGFREE], 169);
	for (int i = 169; i < 200; i++)
		__free_pages(m, pages[i], 0);
	assert_invariants(m);
	drain_all_pages(m);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(z->vm_stat[NR_FREE_PAGES], z->present_pages);
	assert_invariants(m);
	machine_destroy(m);
}

/* Hot frees go to the head and are reused first; cold ones to the tail. */
static void test_hot_and_cold(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	struct page *a = alloc_pages(m, GFP_KERNEL, 0), *b = alloc_pages(m, GFP_KERNEL, 0);
	pgidx_t head = pcp_of(z, 0)->lists[MIGRATE_UNMOVABLE];

	(void)state;
	/* free_hot_cold_page runs after the last reference is dropped */
	b->_count--;
	free_hot_cold_page(m, b, 1);
	a->_count--;
	free_hot_cold_page(m, a, 0);
	assert_int_equal(m->mem_map[head].lru_next, page_to_pfn(m, a));
	assert_int_equal(m->mem_map[head].lru_prev, page_to_pfn(m, b));
	assert_ptr_equal(alloc_pages(m, GFP_KERNEL, 0), a);
	assert_ptr_equal(alloc_pages(m, GFP_KERNEL | __GFP_COLD, 0), b);
	assert_invariants(m);
	machine_destroy(m);
}

/* Each CPU has its own lists; a free goes to the freeing CPU's list. */
static void test_per_cpu_lists(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	struct page *page;

	(void)state;
	assert_int_equal(machine_set_cpu(m, 1), 0);
	page = alloc_pages(m, GFP_KERNEL, 0);
	assert_int_equal(pcp_of(z, 1)->count, 30);
	assert_int_equal(pcp_of(z, 0)->count, 0);
	assert_int_equal(machine_set_cpu(m, 0), 0);
	__free_pages(m, page, 0);
	assert_int_equal(pcp_of(z, 0)->count, 1);
	assert_int_equal(pcp_of(z, 1)->count, 30);
	drain_local_pages(m);
	assert_int_equal(pcp_of(z, 0)->count, 0);
	assert_int_equal(pcp_of(z, 1)->count, 30);
	assert_int_equal(machine_set_cpu(m, 4), -EINVAL);
	assert_int_equal(machine_set_cpu(m, -1), -EINVAL);
	assert_invariants(m);
	machine_destroy(m);
}

/* Migrate types have their own pcp lists; Movable is filled from Movable blocks. */
static void test_pcp_migratetype_lists(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	struct page *mv = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	struct page *rc = alloc_pages(m, GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	struct per_cpu_pages *pcp = pcp_of(z, 0);

	(void)state;
	assert_false(pl_empty(m->mem_map, pcp->lists[MIGRATE_MOVABLE]));
	assert_false(pl_empty(m->mem_map, pcp->lists[MIGRATE_RECLAIMABLE]));
	assert_true(pl_empty(m->mem_map, pcp->lists[MIGRATE_UNMOVABLE]));
	assert_int_equal(get_pageblock_migratetype(z, page_to_pfn(m, mv)), MIGRATE_MOVABLE);
	/* the reclaimable request stole a whole block */
	assert_int_equal(get_pageblock_migratetype(z, page_to_pfn(m, rc)), MIGRATE_RECLAIMABLE);
	assert_int_equal(pcp->count, 60);
	__free_pages(m, rc, 0);
	assert_int_equal(m->mem_map[pcp->lists[MIGRATE_RECLAIMABLE]].lru_next, page_to_pfn(m, rc));
	__free_pages(m, mv, 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* percpu_pagelist_fraction resizes every pageset; DMA has batch 1, high 0. */
static void test_fraction_resizes(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *dma = zone_named(m, 0, "DMA"), *z = zone_named(m, 1, "DMA32");

	(void)state;
	assert_int_equal(pcp_of(dma, 0)->batch, 1);
	assert_int_equal(pcp_of(dma, 0)->high, 0);
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "100"), 0);
	assert_int_equal(pcp_of(z, 3)->high, 128992 / 100);
	assert_int_equal(pcp_of(z, 3)->batch, 96); /* high/4 capped at PAGE_SHIFT * 8 */
	assert_int_equal(pcp_of(dma, 0)->high, 39);
	assert_int_equal(pcp_of(dma, 0)->batch, 9);
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "8"), 0);
	assert_int_equal(pcp_of(dma, 0)->high, 3917 / 8);
	assert_int_equal(pcp_of(dma, 0)->batch, 96);
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refill_by_batch),       cmocka_unit_test(test_drain_at_high),
	    cmocka_unit_test(test_hot_and_cold),          cmocka_unit_test(test_per_cpu_lists),
	    cmocka_unit_test(test_pcp_migratetype_lists), cmocka_unit_test(test_fraction_resizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
