/*
 * test_page_alloc.c - the allocation paths (page_alloc.c): zone choice by
 * GFP, watermarks and the reserves each caller may use, lowmem protection,
 * NUMA placement and counters, compound pages, and every bad input of the
 * validated entry points.
 */
#include <string.h>

#include "mm/internal.h"
#include "mm_test.h"

/* Allocate order-0 pages with gfp until failure; returns how many. */
static int fill(struct machine *m, gfp_t gfp, int nid, unsigned long *pfns, int max)
{
	int n = 0;

	while (n < max && machine_alloc_pages(m, gfp, 0, nid, &pfns[n]) == 0)
		n++;
	return n;
}

static unsigned long held[300000];

/*
 * GFP_DMA is served only from DMA, and each kind of caller stops at its own
 * depth below the min watermark: GFP_KERNEL at min, GFP_NOWAIT at 3/4 of
 * min, GFP_ATOMIC at min/2 less a quarter, PF_MEMALLOC at nothing.  The
 * "+ 2" is 3.2's (1 << order) + 1 off-by-one plus the page being taken.
 */
static void test_dma_depths(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *dma = zone_named(m, 0, "DMA");
	long min = (long)min_wmark_pages(dma);
	int n;

	(void)state;
	assert_int_equal(min, 15);
	n = fill(m, GFP_KERNEL | GFP_DMA, -1, held, 300000);
	for (int i = 0; i < n; i++)
		assert_true(held[i] < 0x1000);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES), min + 2);
	assert_int_equal(m->vm_events[PGALLOC + 1], 0); /* DMA32 untouched */
	assert_int_equal(m->vm_events[PGALLOC + 0], n);
	n += fill(m, GFP_NOWAIT | GFP_DMA, -1, held + n, 300000 - n);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES), (min - min / 4) + 2);
	n += fill(m, GFP_ATOMIC | GFP_DMA, -1, held + n, 300000 - n);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES),
	                 (min - min / 2) - (min - min / 2) / 4 + 2);
	m->pflags = PF_MEMALLOC;
	n += fill(m, GFP_KERNEL | GFP_DMA, -1, held + n, 300000 - n);
	m->pflags = 0;
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES), 0);
	assert_int_equal(n, dma->present_pages);
	assert_invariants(m);
	for (int i = 0; i < n; i++)
		assert_int_equal(machine_free_pages(m, held[i], 0), 0);
	drain_all_pages(m);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES), dma->present_pages);
	assert_invariants(m);
	machine_destroy(m);
}

/* __GFP_NOMEMALLOC takes away PF_MEMALLOC's licence and ATOMIC's extra quarter. */
static void test_nomemalloc(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *dma = zone_named(m, 0, "DMA");
	long min = (long)min_wmark_pages(dma);

	(void)state;
	m->pflags = PF_MEMALLOC;
	fill(m, GFP_ATOMIC | GFP_DMA | __GFP_NOMEMALLOC, -1, held, 300000);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES), (min - min / 2) + 2);
	machine_destroy(m);
}

/*
 * Protection: an allocation that may use DMA32 takes DMA pages only while
 * DMA keeps lowmem_reserve[DMA32] above its watermark.
 */
static void test_lowmem_protection(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 64M\ncpus = 1\n");
	struct zone *dma = zone_named(m, 0, "DMA"), *d32 = zone_named(m, 0, "DMA32");
	unsigned long reserve = dma->lowmem_reserve[1];
	int n;

	(void)state;
	assert_int_equal(reserve, d32->present_pages / 256);
	n = fill(m, GFP_KERNEL, -1, held, 300000);
	assert_int_equal(zone_page_state(d32, NR_FREE_PAGES), min_wmark_pages(d32) + 2);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES), min_wmark_pages(dma) + reserve + 2);
	/* a DMA request still gets the protected pages */
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL | GFP_DMA, 0, -1, &held[n]), 0);
	assert_true(held[n] < 0x1000);
	assert_invariants(m);
	machine_destroy(m);
}

/* Allocations stay on the CPU's node and count numa_hit/numa_local there. */
static void test_node_local(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z0 = zone_named(m, 0, "DMA32"), *z1 = zone_named(m, 1, "DMA32");
	unsigned long pfn;

	(void)state;
	machine_set_cpu(m, 2); /* node 1 */
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, -1, &pfn), 0);
	assert_ptr_equal(page_zone(m, pfn_to_page(m, pfn)), z1);
	assert_int_equal(z1->vm_stat[NUMA_HIT], 1);
	assert_int_equal(z1->vm_stat[NUMA_LOCAL], 1);
	assert_int_equal(z0->vm_stat[NUMA_HIT], 0);
	/* an explicit node: a hit there, but not local to CPU 2 */
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 2, 0, &pfn), 0);
	assert_ptr_equal(page_zone(m, pfn_to_page(m, pfn)), z0);
	assert_int_equal(z0->vm_stat[NUMA_HIT], 1);
	assert_int_equal(z0->vm_stat[NUMA_OTHER], 1);
	/* __GFP_OTHER_NODE: local means the preferred zone's node */
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL | __GFP_OTHER_NODE, 0, 0, &pfn), 0);
	assert_int_equal(z0->vm_stat[NUMA_LOCAL], 1);
	assert_invariants(m);
	machine_destroy(m);
}

/* A full node spills to the next node in its zonelist, counted as miss/foreign. */
static void test_remote_fallback(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z0 = zone_named(m, 0, "DMA32"), *z1 = zone_named(m, 1, "DMA32");
	unsigned long pfn;
	int n;

	(void)state;
	machine_set_cpu(m, 2);
	/* GFP_THISNODE never leaves node 1 */
	n = fill(m, GFP_HIGHUSER | GFP_THISNODE, -1, held, 300000);
	for (int i = 0; i < n; i++)
		assert_ptr_equal(page_zone(m, pfn_to_page(m, held[i])), z1);
	/* the last refill took a whole batch past the watermark check */
	assert_true(zone_page_state(z1, NR_FREE_PAGES) <= low_wmark_pages(z1) + 2);
	assert_true(zone_page_state(z1, NR_FREE_PAGES) + 31 >= low_wmark_pages(z1) + 3);
	assert_int_equal(z0->vm_stat[NUMA_MISS], 0);
	assert_int_equal(m->alloc_failures, 1);
	/* the next ordinary allocation lands on node 0 */
	assert_int_equal(machine_alloc_pages(m, GFP_HIGHUSER, 0, -1, &pfn), 0);
	assert_ptr_equal(page_zone(m, pfn_to_page(m, pfn)), z0);
	assert_int_equal(z0->vm_stat[NUMA_MISS], 1);
	assert_int_equal(z1->vm_stat[NUMA_FOREIGN], 1);
	assert_int_equal(z0->vm_stat[NUMA_OTHER], 1);
	assert_invariants(m);
	machine_destroy(m);
}

/* Counters: pgalloc_<zone> and pgfree count pages, not calls. */
static void test_counters(void **state)
{
	struct machine *m = boot_ini(NULL);
	unsigned long pfn;

	(void)state;
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 3, -1, &pfn), 0);
	assert_int_equal(m->vm_events[PGALLOC + 1], 8);
	assert_int_equal(machine_free_pages(m, pfn, 3), 0);
	assert_int_equal(m->vm_events[PGFREE], 8);
	assert_int_equal(machine_alloc_pages(m, GFP_DMA, 10, -1, &pfn), 0);
	assert_int_equal(m->vm_events[PGALLOC + 0], 1024);
	assert_int_equal(pfn & 1023, 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* __GFP_COMP marks head and tails; freeing clears them. */
static void test_compound(void **state)
{
	struct machine *m = boot_ini(NULL);
	unsigned long pfn;

	(void)state;
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL | __GFP_COMP, 2, -1, &pfn), 0);
	assert_true(PageHead(pfn_to_page(m, pfn)));
	for (int i = 1; i < 4; i++) {
		assert_true(PageTail(pfn_to_page(m, pfn + i)));
		assert_int_equal(pfn_to_page(m, pfn + i)->private, pfn);
	}
	assert_int_equal(machine_free_pages(m, pfn + 1, 0), -EINVAL);
	assert_int_equal(machine_free_pages(m, pfn, 2), 0);
	for (int i = 0; i < 4; i++)
		assert_false(PageCompound(pfn_to_page(m, pfn + i)));
	assert_invariants(m);
	machine_destroy(m);
}

/* Pages handed to a client remember their owner until freed. */
static void test_owner(void **state)
{
	struct machine *m = boot_ini(NULL);
	unsigned long pfn;

	(void)state;
	assert_int_equal(machine_alloc_pages_owned(m, GFP_KERNEL, 2, -1, 77, &pfn), 0);
	assert_int_equal(machine_page_owner(m, pfn), 77);
	assert_int_equal(machine_page_owner(m, pfn + 1), 0);
	assert_int_equal(machine_page_owner(m, m->max_pfn), 0);
	assert_int_equal(machine_free_pages(m, pfn, 2), 0);
	assert_int_equal(machine_page_owner(m, pfn), 0);
	assert_int_equal(machine_alloc_pages_owned(m, GFP_KERNEL, 11, -1, 77, &pfn), -EINVAL);
	assert_invariants(m);
	machine_destroy(m);
}

/* A kernel virtual address in the direct map finds its page. */
static void test_addresses(void **state)
{
	struct machine *m = boot_ini(NULL);
	unsigned long pfn;
	uint64_t addr;

	(void)state;
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 1, -1, &pfn), 0);
	addr = page_address(m, pfn_to_page(m, pfn));
	assert_int_equal(addr, 0xffff880000000000ull + ((uint64_t)pfn << 12));
	assert_ptr_equal(virt_to_page(m, addr), pfn_to_page(m, pfn));
	assert_int_equal(free_pages(m, addr + 8, 1), -EINVAL);
	assert_int_equal(free_pages(m, 0x1000, 1), -EINVAL);
	assert_int_equal(free_pages(m, addr, 1), 0);
	assert_int_equal(free_pages(m, addr, 1), -EINVAL);
	machine_destroy(m);
}

/* HighMem pages have no permanent kernel address on i386. */
static void test_highmem_has_no_address(void **state)
{
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 1\n");
	unsigned long pfn;

	(void)state;
	assert_int_equal(machine_alloc_pages(m, GFP_HIGHUSER, 0, -1, &pfn), 0);
	assert_true(pfn >= 0x377fe);
	assert_int_equal(page_address(m, pfn_to_page(m, pfn)), 0);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, -1, &pfn), 0);
	assert_true(pfn < 0x377fe);
	assert_int_equal(page_address(m, pfn_to_page(m, pfn)), 0xc0000000ull + (pfn << 12));
	machine_destroy(m);
}

struct snapshot {
	long free[MAX_NUMNODES * MAX_NR_ZONES];
	unsigned long events[NR_VM_EVENT_ITEMS];
};

static void take_snapshot(const struct machine *m, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int id = 0; id < m->nr_zone_ids; id++)
		s->free[id] = m->zones[id]->vm_stat[NR_FREE_PAGES];
	memcpy(s->events, m->vm_events, sizeof(s->events));
}

/* Every bad request is refused with -EINVAL and changes nothing. */
static void test_bad_input(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct snapshot a, b;
	unsigned long pfn, three, zero;

	(void)state;
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 3, -1, &three), 0);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, -1, &zero), 0);
	take_snapshot(m, &a);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, MAX_ORDER, -1, &pfn), -EINVAL);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, 2, &pfn), -EINVAL);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, -2, &pfn), -EINVAL);
	assert_int_equal(machine_alloc_pages(m, __GFP_DMA | __GFP_HIGHMEM, 0, -1, &pfn), -EINVAL);
	assert_int_equal(machine_alloc_pages(m, __GFP_DMA | __GFP_DMA32, 0, -1, &pfn), -EINVAL);
	assert_int_equal(machine_alloc_pages(m, 1u << 24, 0, -1, &pfn), -EINVAL);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL | GFP_MOVABLE_MASK, 0, -1, &pfn),
	                 -EINVAL);
	assert_int_equal(machine_free_pages(m, m->max_pfn, 0), -EINVAL);
	assert_int_equal(machine_free_pages(m, ~0ul, 0), -EINVAL);
	assert_int_equal(machine_free_pages(m, 0xa0, 0), -EINVAL);  /* a hole */
	assert_int_equal(machine_free_pages(m, 0x9d, 0), -EINVAL);  /* the trampoline */
	assert_int_equal(machine_free_pages(m, three, 2), -EINVAL); /* wrong order */
	assert_int_equal(machine_free_pages(m, three, 4), -EINVAL);
	assert_int_equal(machine_free_pages(m, three + 1, 0), -EINVAL); /* a tail */
	assert_int_equal(machine_free_pages(m, zero, 1), -EINVAL);
	assert_int_equal(machine_free_pages(m, zero, MAX_ORDER), -EINVAL);
	assert_int_equal(machine_free_pages(m, zero + 1, 0), -EINVAL); /* on a pcp list */
	take_snapshot(m, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(machine_free_pages(m, zero, 0), 0);
	assert_int_equal(machine_free_pages(m, zero, 0), -EINVAL); /* double free */
	assert_int_equal(machine_free_pages(m, three, 3), 0);
	assert_int_equal(machine_free_pages(m, three, 3), -EINVAL);
	assert_invariants(m);
	machine_destroy(m);
}

/* A failure is logged unless __GFP_NOWARN, and counted either way. */
static void test_failure_report(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16M\ncpus = 1\n");
	struct sbuf sb = SBUF_INIT;
	unsigned long pfn;

	(void)state;
	/* DMA32 is empty on this machine: no zone at or below it has an order-10 block free
	 * after taking one */
	while (machine_alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 10, -1, &pfn) == 0)
		;
	assert_int_equal(m->alloc_failures, 1);
	assert_int_equal(machine_alloc_pages(m, GFP_ATOMIC, 10, -1, &pfn), -ENOMEM);
	assert_int_equal(m->alloc_failures, 2);
	assert_int_equal(printk_read(&m->log, &sb), 0);
	assert_non_null(strstr(sbuf_cstr(&sb), "page allocation failure: order:10, mode:0x20\n"));
	assert_null(strstr(sbuf_cstr(&sb), "mode:0x2d0"));
	sbuf_free(&sb);
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dma_depths),        cmocka_unit_test(test_nomemalloc),
	    cmocka_unit_test(test_lowmem_protection), cmocka_unit_test(test_node_local),
	    cmocka_unit_test(test_remote_fallback),   cmocka_unit_test(test_counters),
	    cmocka_unit_test(test_compound),          cmocka_unit_test(test_owner),
	    cmocka_unit_test(test_addresses),         cmocka_unit_test(test_highmem_has_no_address),
	    cmocka_unit_test(test_bad_input),         cmocka_unit_test(test_failure_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
