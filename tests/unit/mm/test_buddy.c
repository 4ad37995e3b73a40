/*
 * test_buddy.c - the buddy allocator of one zone (buddy.c): splitting,
 * merging, migrate-type fallback and pageblock stealing, the Reserve.
 *
 * These tests drive __rmqueue and __free_one_page directly, below the
 * per-CPU lists and watermarks, so each step's effect on free_area is exact.
 */
#include <string.h>

#include "mm/internal.h"
#include "mm_test.h"

static void snapshot(const struct zone *z, unsigned long *nr)
{
	for (int o = 0; o < MAX_ORDER; o++)
		nr[o] = z->free_area[o].nr_free;
}

static unsigned long list_len(const struct zone *z, int order, int mt)
{
	unsigned long n = 0;
	pgidx_t head = z->free_area[order].free_list[mt];

	for (pgidx_t p = z->mem_map[head].lru_next; p != head; p = z->mem_map[p].lru_next)
		n++;
	return n;
}

/* Free pages on one migrate type's lists. */
static unsigned long mt_pages(const struct zone *z, int mt)
{
	unsigned long n = 0;

	for (int o = 0; o < MAX_ORDER; o++)
		n += list_len(z, o, mt) << o;
	return n;
}

static void take(struct zone *z, unsigned long pfn, unsigned int order)
{
	__mod_zone_page_state(z, NR_FREE_PAGES, -(1l << order));
	z->mem_map[pfn]._count = 1;
	z->mem_map[pfn].order = (uint8_t)order;
}

static void give(struct zone *z, unsigned long pfn, unsigned int order)
{
	z->mem_map[pfn]._count = 0;
	z->mem_map[pfn].order = 0;
	free_one_page(z, pfn, order, get_pageblock_migratetype(z, pfn));
}

/* Splitting an order-k block for order 0 leaves one block at each order below k. */
static void test_split_and_merge(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 1, "DMA32");
	unsigned long before[MAX_ORDER], after[MAX_ORDER], pfn;
	int k = 0;

	(void)state;
	snapshot(z, before);
	while (list_len(z, k, MIGRATE_MOVABLE) == 0)
		k++;
	pfn = __rmqueue(z, 0, MIGRATE_MOVABLE);
	assert_int_not_equal(pfn, NO_PFN);
	take(z, pfn, 0);
	snapshot(z, after);
	for (int o = 0; o < MAX_ORDER; o++)
		assert_int_equal(after[o], before[o] + (o < k) - (o == k));
	/* expand keeps the lowest frames: the halves given back sit above pfn */
	for (int o = 0; o < k; o++) {
		assert_true(PageBuddy(&z->mem_map[pfn + (1ul << o)]));
		assert_int_equal(z->mem_map[pfn + (1ul << o)].order, o);
	}
	assert_invariants(m);
	give(z, pfn, 0);
	snapshot(z, after);
	assert_memory_equal(after, before, sizeof(before));
	assert_true(PageBuddy(&z->mem_map[pfn & ~((1ul << k) - 1)]));
	assert_invariants(m);
	machine_destroy(m);
}

/* Two order-0 buddies merge into order 1 only when both are free. */
static void test_buddies_merge_pairwise(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 1, "DMA32");
	unsigned long a = __rmqueue(z, 0, MIGRATE_MOVABLE), b, nr0, nr1;

	(void)state;
	take(z, a, 0);
	b = __rmqueue(z, 0, MIGRATE_MOVABLE);
	take(z, b, 0);
	assert_int_equal(b, a ^ 1);
	nr0 = z->free_area[0].nr_free;
	nr1 = z->free_area[1].nr_free;
	give(z, a, 0);
	assert_int_equal(z->free_area[0].nr_free, nr0 + 1);
	assert_true(PageBuddy(&z->mem_map[a]));
	give(z, b, 0);
	/* a merged with b, and further up with everything expand split off */
	assert_int_equal(z->free_area[0].nr_free, nr0);
	assert_true(z->free_area[1].nr_free <= nr1);
	assert_false(PageBuddy(&z->mem_map[b]) && z->mem_map[b].order == 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* An Unmovable request with no Unmovable memory steals and claims a big Movable block. */
static void test_fallback_claims_large_block(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 1, "DMA32");
	unsigned long pfn, free_before = mt_pages(z, MIGRATE_MOVABLE);

	(void)state;
	assert_int_equal(mt_pages(z, MIGRATE_UNMOVABLE), 0);
	pfn = __rmqueue(z, 0, MIGRATE_UNMOVABLE);
	take(z, pfn, 0);
	/* the largest block (order 10) was taken: both of its pageblocks change owner */
	assert_int_equal(pfn & 1023, 0);
	assert_int_equal(get_pageblock_migratetype(z, pfn), MIGRATE_UNMOVABLE);
	assert_int_equal(get_pageblock_migratetype(z, pfn + 512), MIGRATE_UNMOVABLE);
	assert_int_equal(mt_pages(z, MIGRATE_UNMOVABLE), 1023);
	assert_int_equal(mt_pages(z, MIGRATE_MOVABLE), free_before - 1024);
	/* the next Unmovable request is served from the claimed block */
	pfn = __rmqueue(z, 0, MIGRATE_UNMOVABLE);
	take(z, pfn, 0);
	assert_int_equal(mt_pages(z, MIGRATE_UNMOVABLE), 1022);
	assert_invariants(m);
	machine_destroy(m);
}

/* Take every free frame of a zone, whatever its type; return how many. */
static unsigned long drain_zone(struct zone *z, unsigned long *pfns, unsigned long max)
{
	unsigned long n = 0, pfn;

	while (n < max && (pfn = __rmqueue(z, 0, MIGRATE_MOVABLE)) != NO_PFN) {
		take(z, pfn, 0);
		pfns[n++] = pfn;
	}
	return n;
}

/* The first held frame whose pageblock has type mt and whose buddy is held too. */
static long find_pair(struct zone *z, const unsigned long *pfns, unsigned long n, int mt)
{
	for (unsigned long i = 0; i < n; i++)
		if (!(pfns[i] & 1) && get_pageblock_migratetype(z, pfns[i]) == mt &&
		    z->mem_map[pfns[i] + 1]._count == 1)
			return (long)i;
	return -1;
}

static unsigned long pfns[8192];

/*
 * A small block is stolen without touching its pageblock: the rest of the
 * block stays Movable, and its other half stays on the Movable list.
 */
static void test_fallback_small_block_not_claimed(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16M\ncpus = 1\n");
	struct zone *z = zone_named(m, 0, "DMA");
	unsigned long n = drain_zone(z, pfns, 8192), pfn;
	long i;

	(void)state;
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), 0);
	assert_int_equal(__rmqueue(z, 0, MIGRATE_MOVABLE), NO_PFN);
	i = find_pair(z, pfns, n, MIGRATE_MOVABLE);
	assert_true(i >= 0);
	give(z, pfns[i], 0);
	give(z, pfns[i] + 1, 0);
	assert_int_equal(list_len(z, 1, MIGRATE_MOVABLE), 1);
	pfn = __rmqueue(z, 0, MIGRATE_UNMOVABLE);
	assert_int_equal(pfn, pfns[i]);
	take(z, pfn, 0);
	assert_int_equal(get_pageblock_migratetype(z, pfn), MIGRATE_MOVABLE);
	assert_int_equal(list_len(z, 0, MIGRATE_MOVABLE), 1);
	assert_int_equal(list_len(z, 0, MIGRATE_UNMOVABLE), 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* A Reclaimable request takes ownership of the free pages even from a small block. */
static void test_fallback_reclaimable_moves_free_pages(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16M\ncpus = 1\n");
	struct zone *z = zone_named(m, 0, "DMA");
	unsigned long n = drain_zone(z, pfns, 8192), pfn;
	long i = find_pair(z, pfns, n, MIGRATE_MOVABLE);

	(void)state;
	assert_true(i >= 0);
	give(z, pfns[i], 0);
	give(z, pfns[i] + 1, 0);
	pfn = __rmqueue(z, 0, MIGRATE_RECLAIMABLE);
	take(z, pfn, 0);
	/* two free pages are under half a pageblock: the block keeps its type */
	assert_int_equal(get_pageblock_migratetype(z, pfn), MIGRATE_MOVABLE);
	assert_int_equal(list_len(z, 0, MIGRATE_RECLAIMABLE), 1);
	assert_int_equal(list_len(z, 0, MIGRATE_MOVABLE), 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* The Reserve is used only when every other list is empty. */
static void test_reserve_is_last_resort(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16M\ncpus = 1\n");
	struct zone *z = zone_named(m, 0, "DMA");
	unsigned long n = drain_zone(z, pfns, 8192), rpfn = NO_PFN, mpfn = NO_PFN;

	(void)state;
	for (unsigned long i = 0; i < n; i++) {
		int mt = get_pageblock_migratetype(z, pfns[i]);

		if (mt == MIGRATE_RESERVE && rpfn == NO_PFN)
			rpfn = pfns[i];
		if (mt != MIGRATE_RESERVE && mpfn == NO_PFN)
			mpfn = pfns[i];
	}
	/* draining may have re-labelled blocks; make one Unmovable again */
	set_pageblock_migratetype(z, mpfn, MIGRATE_UNMOVABLE);
	assert_int_not_equal(rpfn, NO_PFN);
	assert_int_not_equal(mpfn, NO_PFN);
	give(z, rpfn, 0);
	assert_int_equal(list_len(z, 0, MIGRATE_RESERVE), 1);
	give(z, mpfn, 0);
	/* a Movable request falls back to the Unmovable page first */
	assert_int_equal(__rmqueue(z, 0, MIGRATE_MOVABLE), mpfn);
	take(z, mpfn, 0);
	assert_int_equal(__rmqueue(z, 0, MIGRATE_MOVABLE), rpfn);
	take(z, rpfn, 0);
	assert_int_equal(__rmqueue(z, 0, MIGRATE_MOVABLE), NO_PFN);
	for (unsigned long i = 0; i < n; i++)
		give(z, pfns[i], 0);
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), z->present_pages);
	assert_invariants(m);
	machine_destroy(m);
}

/* Freeing everything back restores the exact boot-time free_area. */
static void test_full_round_trip(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16M\ncpus = 1\n");
	struct zone *z = zone_named(m, 0, "DMA");
	unsigned long before[MAX_ORDER], after[MAX_ORDER], n;

	(void)state;
	snapshot(z, before);
	n = drain_zone(z, pfns, 8192);
	assert_int_equal(n, z->present_pages);
	for (unsigned long i = n; i-- > 0;)
		give(z, pfns[i], 0);
	snapshot(z, after);
	assert_memory_equal(after, before, sizeof(before));
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_and_merge),
	    cmocka_unit_test(test_buddies_merge_pairwise),
	    cmocka_unit_test(test_fallback_claims_large_block),
	    cmocka_unit_test(test_fallback_small_block_not_claimed),
	    cmocka_unit_test(test_fallback_reclaimable_moves_free_pages),
	    cmocka_unit_test(test_reserve_is_last_resort),
	    cmocka_unit_test(test_full_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
