/*
 * test_boot.c - boot accounting (boot.c, e820.c, memmap.c,
 * page_alloc_init.c): zone spans and present pages, watermarks,
 * protection, per-CPU batch/high, stat thresholds and inactive_ratio.
 *
 * Three machines are checked against what a real 3.2.0 kernel printed for
 * the same shape (tests/golden, README there); others against the kernel's
 * formulas computed here independently.
 */
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm_test.h"

struct zone_expect {
	int nid;
	const char *name;
	unsigned long start, spanned, present, min, low, high;
	unsigned long prot[MAX_NR_ZONES];
	int batch, pcp_high, threshold;
	unsigned int inactive_ratio;
};

static void expect_zone(struct machine *m, const struct zone_expect *e)
{
	struct zone *z = zone_named(m, e->nid, e->name);

	assert_non_null(z);
	assert_int_equal(z->zone_start_pfn, e->start);
	assert_int_equal(z->spanned_pages, e->spanned);
	assert_int_equal(z->present_pages, e->present);
	assert_int_equal(min_wmark_pages(z), e->min);
	assert_int_equal(low_wmark_pages(z), e->low);
	assert_int_equal(high_wmark_pages(z), e->high);
	for (int j = 0; j < MAX_NR_ZONES; j++)
		assert_int_equal(z->lowmem_reserve[j], e->prot[j]);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		assert_int_equal(z->pageset[cpu].pcp.batch, e->batch);
		assert_int_equal(z->pageset[cpu].pcp.high, e->pcp_high);
		assert_int_equal(z->pageset[cpu].stat_threshold, e->threshold);
	}
	assert_int_equal(z->inactive_ratio, e->inactive_ratio);
	/* everything present is free at boot: nothing is allocated yet */
	assert_int_equal(zone_page_state(z, NR_FREE_PAGES), e->present);
	assert_int_equal(buddy_free_pages(z), e->present);
}

/* golden a-1G-smp4-numa2: the embedded default machine */
static void test_default_matches_golden(void **state)
{
	static const struct zone_expect zones[] = {
	    {0, "DMA", 16, 4080, 3917, 15, 18, 22, {0, 488, 488, 488}, 1, 0, 6, 1},
	    {0, "DMA32", 4096, 126976, 124992, 491, 613, 736, {0}, 31, 186, 18, 1},
	    {1, "DMA32", 131072, 131040, 128992, 507, 633, 760, {0}, 31, 186, 18, 1},
	};
	struct machine *m = boot_ini(NULL);

	(void)state;
	assert_int_equal(m->sysctl.min_free_kbytes, 4062);
	assert_int_equal(m->nr_cpus, 4);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		expect_zone(m, &zones[i]);
	assert_false(populated_zone(zone_named(m, 0, "Normal")));
	assert_false(populated_zone(zone_named(m, 1, "DMA")));
	assert_int_equal(m->totalram_pages, 3917 + 124992 + 128992);
	assert_int_equal(m->vm_total_pages, 257901); /* "Total pages: 257901" */
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_NODE);
	assert_int_equal(m->policy_zone, m->arch->zone_dma32);
	assert_int_equal(m->zone_reclaim_mode, 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* golden c-6G-smp2: three populated zones, zone order */
static void test_6g_matches_golden(void **state)
{
	static const struct zone_expect zones[] = {
	    {0, "DMA", 16, 4080, 3917, 6, 7, 9, {0, 2992, 6016, 6016}, 1, 0, 4, 1},
	    {0,
	     "DMA32",
	     4096,
	     1044480,
	     765984,
	     1232,
	     1540,
	     1848,
	     {0, 0, 3024, 3024},
	     31,
	     186,
	     24,
	     4},
	    {0, "Normal", 1048576, 786432, 774144, 1245, 1556, 1867, {0}, 31, 186, 24, 4},
	};
	struct machine *m = boot_ini("[node.0]\nmemory = 6G\ncpus = 2\n");

	(void)state;
	assert_int_equal(m->sysctl.min_free_kbytes, 9940);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		expect_zone(m, &zones[i]);
	assert_int_equal(m->vm_total_pages, 1544045);
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_ZONE);
	/* the PCI hole is not a valid section: 1528 of DMA32's 2040 blocks exist */
	assert_false(pfn_valid(m, 0xc0000));
	assert_true(pfn_valid(m, 0xbffdf));
	assert_invariants(m);
	machine_destroy(m);
}

/* golden k-i386-2G-smp2: the seed's DMA / Normal / HighMem layout */
static void test_i386_matches_golden(void **state)
{
	static const struct zone_expect zones[] = {
	    {0, "DMA", 16, 4080, 3951, 16, 20, 24, {0, 865, 2016, 2016}, 1, 0, 4, 1},
	    {0,
	     "Normal",
	     4096,
	     223230,
	     221486,
	     932,
	     1165,
	     1398,
	     {0, 0, 9206, 9206},
	     31,
	     186,
	     16,
	     1},
	    {0, "HighMem", 227326, 296930, 294610, 128, 438, 748, {0}, 31, 186, 20, 3},
	};
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n");

	(void)state;
	assert_int_equal(m->sysctl.min_free_kbytes, 3798);
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		expect_zone(m, &zones[i]);
	assert_int_equal(m->totalhigh_pages, 294610);
	assert_int_equal(m->arch->pageblock_order, 10);
	assert_invariants(m);
	machine_destroy(m);
}

static unsigned long memmap_of(unsigned long spanned, unsigned int bytes)
{
	return (spanned * bytes + 4095) / 4096;
}

/*
 * One x86_64 node of `mb` MiB: the spans and present pages derived from the
 * QEMU map by hand, and the watermark formulas applied to them.
 */
static void check_single_node(unsigned long mb)
{
	char ini[128];
	unsigned long top = mb >= 3584 ? 0xc0000 : mb << 8; /* end of low RAM, pfns */
	unsigned long above = mb >= 3584 ? (mb << 8) - 0xc0000 : 0;
	unsigned long span[3], present[3], lowmem = 0, pages_min, kb;
	struct machine *m;
	const char *names[3] = {"DMA", "DMA32", "Normal"};

	snprintf(ini, sizeof(ini), "[node.0]\nmemory = %luM\ncpus = 1\n", mb);
	m = boot_ini(ini);
	span[0] = 4080;
	present[0] = 4080 - 97 - memmap_of(4080, 64) - 2;
	span[1] = above ? 0x100000 - 0x1000 : top - 32 - 0x1000;
	present[1] = (top - 32 - 0x1000) - memmap_of(span[1], 64);
	span[2] = above;
	present[2] = above ? above - memmap_of(above, 64) : 0;
	for (int j = 0; j < 3; j++)
		lowmem += present[j];
	kb = ref_int_sqrt(lowmem * 4 * 16);
	kb = kb < 128 ? 128 : kb > 65536 ? 65536 : kb;
	assert_int_equal(m->sysctl.min_free_kbytes, kb);
	pages_min = kb / 4;
	for (int j = 0; j < 3; j++) {
		struct zone *z = zone_named(m, 0, names[j]);
		unsigned long tmp = pages_min * present[j] / lowmem;
		unsigned long above_j = 0;

		assert_int_equal(z->spanned_pages, span[j]);
		assert_int_equal(z->present_pages, present[j]);
		assert_int_equal(min_wmark_pages(z), tmp);
		assert_int_equal(low_wmark_pages(z), tmp + tmp / 4);
		assert_int_equal(high_wmark_pages(z), tmp + tmp / 2);
		/* protection against each higher zone: pages above / ratio[j] */
		for (int k = j + 1; k < MAX_NR_ZONES; k++) {
			above_j += k < 3 ? present[k] : 0;
			assert_int_equal(z->lowmem_reserve[k], above_j / (j < 2 ? 256 : 32));
		}
	}
	assert_invariants(m);
	machine_destroy(m);
}

static void test_watermark_formulas(void **state)
{
	static const unsigned long sizes_mb[] = {64, 200, 512, 2048, 3583, 3584, 4096, 12288};

	(void)state;
	for (size_t i = 0; i < sizeof(sizes_mb) / sizeof(sizes_mb[0]); i++)
		check_single_node(sizes_mb[i]);
}

/* The smallest machine: DMA alone, cut short by the ACPI tables at 16 MiB. */
static void test_smallest_machine(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16M\ncpus = 1\n");
	struct zone *dma = zone_named(m, 0, "DMA");

	(void)state;
	assert_int_equal(dma->spanned_pages, 0xfe0 - 16);
	assert_int_equal(dma->present_pages, (0xfe0 - 16 - 97) - memmap_of(0xfe0 - 16, 64) - 2);
	assert_false(populated_zone(zone_named(m, 0, "DMA32")));
	assert_int_equal(m->sysctl.min_free_kbytes, ref_int_sqrt(dma->present_pages * 64));
	assert_invariants(m);
	machine_destroy(m);
}

/* Two 2 GiB nodes: node 1's RAM straddles the PCI hole. */
static void test_node_straddles_pci_hole(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 2G\ncpus = 1\n"
	                             "[node.1]\nmemory = 2G\ncpus = 1\n");
	struct zone *d32 = zone_named(m, 1, "DMA32"), *n1 = zone_named(m, 1, "Normal");

	(void)state;
	assert_int_equal(m->node_data[1].node_start_pfn, 0x80000);
	assert_int_equal(d32->zone_start_pfn, 0x80000);
	assert_int_equal(d32->spanned_pages, 0x100000 - 0x80000);
	assert_int_equal(d32->present_pages, (0xbffe0 - 0x80000) - memmap_of(0x80000, 64));
	assert_int_equal(n1->zone_start_pfn, 0x100000);
	assert_int_equal(n1->spanned_pages, 0x40000);
	assert_false(populated_zone(zone_named(m, 0, "Normal")));
	assert_invariants(m);
	machine_destroy(m);
}

/* An i386 machine below 896 MiB has no HighMem. */
static void test_i386_small_has_no_highmem(void **state)
{
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 512M\ncpus = 1\n");

	(void)state;
	assert_false(populated_zone(zone_named(m, 0, "HighMem")));
	assert_int_equal(zone_named(m, 0, "Normal")->spanned_pages, 0x20000 - 32 - 0x1000);
	assert_int_equal(m->totalhigh_pages, 0);
	assert_invariants(m);
	machine_destroy(m);
}

/* Reserve pageblocks: roundup(min, 512) / 512 blocks, at most 2, Movable ones. */
static void test_reserve_blocks(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 16G\ncpus = 1\n");

	(void)state;
	for (int j = 0; j < 3; j++) {
		struct zone *z = &m->node_data[0].node_zones[j];
		unsigned long want = (min_wmark_pages(z) + 511) / 512, n = 0;

		for (unsigned long pfn = z->zone_start_pfn;
		     pfn < z->zone_start_pfn + z->spanned_pages; pfn += 512)
			n += m->pageblock_mt[pfn >> 9] == MIGRATE_RESERVE;
		assert_int_equal(n, want > 2 ? 2 : want);
	}
	machine_destroy(m);
}

/*
 * movablecore= carves ZONE_MOVABLE out of the top of each node, spreading
 * the kernel core evenly (find_zone_movable_pfns_for_nodes).
 */
static void test_movablecore(void **state)
{
	struct machine *m = boot_ini("[machine]\nmovablecore = 512M\n"
	                             "[node.0]\nmemory = 1G\ncpus = 1\n"
	                             "[node.1]\nmemory = 1G\ncpus = 1\n");
	struct zone *mv0 = zone_named(m, 0, "Movable"), *mv1 = zone_named(m, 1, "Movable");
	struct sbuf sb = SBUF_INIT;
	unsigned long pfn;

	(void)state;
	/* (all pages - 512M) / 2 nodes of kernel core, rounded up to MAX_ORDER blocks */
	assert_int_equal(mv0->zone_start_pfn, 0x30400);
	assert_int_equal(mv1->zone_start_pfn, 0x70000);
	assert_int_equal(mv0->spanned_pages, 0x40000 - 0x30400);
	assert_int_equal(mv1->spanned_pages, 0x7ffe0 - 0x70000);
	assert_int_equal(zone_named(m, 0, "DMA32")->spanned_pages, 0x30400 - 0x1000);
	assert_int_equal(printk_read(&m->log, &sb), 0);
	assert_non_null(strstr(sbuf_cstr(&sb), "Movable zone start PFN for each node\n"
	                                       "  Node 0: 197632\n  Node 1: 458752\n"));
	assert_int_equal(machine_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, -1, &pfn), 0);
	assert_ptr_equal(page_zone(m, pfn_to_page(m, pfn)), mv0);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, -1, &pfn), 0);
	assert_true(pfn < 0x30400);
	assert_invariants(m);
	sbuf_free(&sb);
	machine_destroy(m);
}

/*
 * Without movablecore= 3.2 never picks a zone for ZONE_MOVABLE: movable_zone
 * stays 0, so the empty Movable zone is not HighMem and has no watermarks.
 */
static void test_no_movablecore_no_movable_zone(void **state)
{
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n");
	struct zone *mv = &m->node_data[0].node_zones[m->arch->zone_movable];

	(void)state;
	assert_int_equal(m->movable_zone, 0);
	assert_false(populated_zone(mv));
	assert_int_equal(min_wmark_pages(mv), 0);
	assert_int_equal(high_wmark_pages(mv), 0);
	machine_destroy(m);
}

/* Boot log lines a student compares with a real dmesg. */
static void test_boot_log(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct sbuf sb = SBUF_INIT;
	const char *log;

	(void)state;
	assert_int_equal(printk_read(&m->log, &sb), 0);
	log = sbuf_cstr(&sb);
	assert_non_null(strstr(log, "  DMA      0x00000010 -> 0x00001000\n"));
	assert_non_null(strstr(log, "  Normal   empty\n"));
	assert_non_null(strstr(log, "    1: 0x00020000 -> 0x0003ffe0\n"));
	assert_non_null(strstr(log, "On node 0 totalpages: 130959\n"));
	assert_non_null(strstr(log, "  DMA zone: 64 pages used for memmap\n"));
	assert_non_null(strstr(log, "  DMA zone: 2 pages reserved\n"));
	assert_non_null(strstr(log, "  DMA32 zone: 128992 pages, LIFO batch:31\n"));
	assert_non_null(strstr(log, "Built 2 zonelists in Node order, mobility grouping on.  "
	                            "Total pages: 257901\n"));
	assert_non_null(strstr(log, "Policy zone: DMA32\n"));
	sbuf_free(&sb);
	machine_destroy(m);
}

/* deploy/mmsim-default.ini describes exactly the embedded default. */
static void test_shipped_default_config(void **state)
{
	struct machine_config file, embedded;
	char err[256] = "";

	(void)state;
	machine_config_default(&embedded);
	assert_int_equal(machine_config_load(&file, MMSIM_SOURCE_DIR "/deploy/mmsim-default.ini",
	                                     err, sizeof(err)),
	                 0);
	assert_memory_equal(&file, &embedded, sizeof(file));
}

/* Two machines in one process share nothing. */
static void test_two_machines(void **state)
{
	struct machine *a = boot_ini(NULL), *b = boot_ini("[node.0]\nmemory = 64M\ncpus = 1\n");
	unsigned long pfn;

	(void)state;
	assert_int_equal(machine_alloc_pages(a, GFP_KERNEL, 4, -1, &pfn), 0);
	assert_int_equal(global_page_state(b, NR_FREE_PAGES), b->totalram_pages);
	assert_int_equal(global_page_state(a, NR_FREE_PAGES), a->totalram_pages - 16);
	assert_invariants(a);
	assert_invariants(b);
	machine_destroy(a);
	machine_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_matches_golden),
	    cmocka_unit_test(test_6g_matches_golden),
	    cmocka_unit_test(test_i386_matches_golden),
	    cmocka_unit_test(test_watermark_formulas),
	    cmocka_unit_test(test_smallest_machine),
	    cmocka_unit_test(test_node_straddles_pci_hole),
	    cmocka_unit_test(test_i386_small_has_no_highmem),
	    cmocka_unit_test(test_reserve_blocks),
	    cmocka_unit_test(test_movablecore),
	    cmocka_unit_test(test_no_movablecore_no_movable_zone),
	    cmocka_unit_test(test_boot_log),
	    cmocka_unit_test(test_shipped_default_config),
	    cmocka_unit_test(test_two_machines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
