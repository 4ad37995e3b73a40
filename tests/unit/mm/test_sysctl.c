/*
 * test_sysctl.c - vm sysctls (sysctl.c): their text, their validation, and
 * that a write recomputes what the kernel's handler recomputes.
 *
 * Expected values come from 3.2's formulas (setup_per_zone_wmarks,
 * setup_zone_migrate_reserve, setup_per_zone_lowmem_reserve,
 * calculate_totalreserve_pages, setup_pagelist_highmark), computed here
 * from the zones' present pages rather than taken from the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/sysctl.h"
#include "mm_test.h"

#define I386_64M_INI "[machine]\narch = i386\n[node.0]\nmemory = 64M\ncpus = 1\n"
#define I386_2G_INI  "[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n"
/* x86_64 with DMA, DMA32 and Normal populated (golden c-6G-smp2) */
#define X86_6G_INI "[node.0]\nmemory = 6G\ncpus = 2\n"

static void expect_read(struct machine *m, const char *name, const char *want)
{
	struct sbuf sb = SBUF_INIT;

	assert_int_equal(sysctl_read(m, name, &sb), 0);
	assert_string_equal(sbuf_cstr(&sb), want);
	sbuf_free(&sb);
}

static void expect_absent(struct machine *m, const char *name)
{
	struct sbuf sb = SBUF_INIT;

	assert_int_equal(sysctl_read(m, name, &sb), -ENOENT);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sysctl_write(m, name, "1"), -ENOENT);
	sbuf_free(&sb);
}

/* ---- what the kernel computes, from the zones' present pages ---- */

/* is_highmem: HighMem, or Movable when it takes its memory from HighMem */
static bool ref_is_highmem(const struct machine *m, const struct zone *z)
{
	return !strcmp(z->name, "HighMem") ||
	       (!strcmp(z->name, "Movable") && m->movable_zone == m->arch->zone_highmem);
}

static unsigned long count_blocks(const struct zone *z, int mt)
{
	unsigned long n = 0, nr = 1ul << z->pageblock_order;

	if (!populated_zone(z))
		return 0;
	for (unsigned long pfn = z->zone_start_pfn; pfn < z->zone_start_pfn + z->spanned_pages;
	     pfn += nr)
		n += get_pageblock_migratetype(z, pfn) == mt;
	return n;
}

/* setup_per_zone_wmarks and setup_zone_migrate_reserve for min_free_kbytes = kb */
static void expect_wmarks(struct machine *m, unsigned long kb)
{
	unsigned long pages_min = kb / 4, lowmem = 0;

	for (int id = 0; id < m->nr_zone_ids; id++)
		if (!ref_is_highmem(m, m->zones[id]))
			lowmem += m->zones[id]->present_pages;
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *z = m->zones[id];
		unsigned long tmp =
		    (unsigned long)((uint64_t)pages_min * z->present_pages / lowmem);
		unsigned long min = tmp, blk = 1ul << z->pageblock_order, reserve;

		if (ref_is_highmem(m, z)) {
			min = z->present_pages / 1024;
			min = min < 32 ? 32 : min > 128 ? 128 : min;
		}
		assert_int_equal(min_wmark_pages(z), min);
		assert_int_equal(low_wmark_pages(z), min + tmp / 4);
		assert_int_equal(high_wmark_pages(z), min + tmp / 2);
		/* an empty zone spans no blocks, whatever its min (32 for HighMem) */
		reserve = z->spanned_pages ? (min + blk - 1) / blk : 0;
		assert_int_equal(count_blocks(z, MIGRATE_RESERVE), reserve > 2 ? 2 : reserve);
	}
}

/* setup_per_zone_lowmem_reserve for the given ratios (values < 1 count as 1) */
static void expect_protection(struct machine *m, const int *ratio)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = &m->node_data[nid];

		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *lower = &pgdat->node_zones[i];

			for (int j = 0; j < MAX_NR_ZONES; j++) {
				unsigned long above = 0;
				int r;

				if (j <= i) {
					assert_int_equal(lower->lowmem_reserve[j], 0);
					continue;
				}
				r = ratio[i] < 1 ? 1 : ratio[i]; /* i < j: a lower zone */
				for (int k = i + 1; k <= j; k++)
					above += pgdat->node_zones[k].present_pages;
				assert_int_equal(lower->lowmem_reserve[j],
				                 above / (unsigned long)r);
			}
		}
	}
}

/* calculate_totalreserve_pages */
static void expect_totalreserve(struct machine *m)
{
	unsigned long total = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &m->node_data[nid].node_zones[i];
			unsigned long max = 0;

			for (int j = i; j < MAX_NR_ZONES; j++)
				if (z->lowmem_reserve[j] > max)
					max = z->lowmem_reserve[j];
			max += high_wmark_pages(z);
			total += max < z->present_pages ? max : z->present_pages;
		}
	assert_int_equal(m->totalreserve_pages, total);
}

/* Everything a vm sysctl write may change, to show a refused write changed nothing. */
struct tuning {
	struct vm_sysctls sysctl;
	unsigned long totalreserve_pages;
	int zonelist_order;
	struct {
		unsigned long watermark[NR_WMARK];
		unsigned long lowmem_reserve[MAX_NR_ZONES];
		unsigned long reserve_blocks;
		int pcp_high[MAX_CPUS], pcp_batch[MAX_CPUS];
	} zone[MAX_NUMNODES * MAX_NR_ZONES];
};

static struct tuning *tuning_get(struct machine *m)
{
	struct tuning *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->sysctl = m->sysctl;
	t->totalreserve_pages = m->totalreserve_pages;
	t->zonelist_order = m->current_zonelist_order;
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *z = m->zones[id];

		memcpy(t->zone[id].watermark, z->watermark, sizeof(z->watermark));
		memcpy(t->zone[id].lowmem_reserve, z->lowmem_reserve, sizeof(z->lowmem_reserve));
		t->zone[id].reserve_blocks = count_blocks(z, MIGRATE_RESERVE);
		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			t->zone[id].pcp_high[cpu] = z->pageset[cpu].pcp.high;
			t->zone[id].pcp_batch[cpu] = z->pageset[cpu].pcp.batch;
		}
	}
	return t;
}

/* Assert the machine's tuning equals `before`, and free it. */
static void expect_tuning_unchanged(struct machine *m, struct tuning *before)
{
	struct tuning *now = tuning_get(m);

	assert_memory_equal(now, before, sizeof(*now));
	free(now);
	free(before);
}

/* Refused writes: -EINVAL and nothing changed. */
static void expect_refused(struct machine *m, const char *name, const char *value)
{
	struct tuning *before = tuning_get(m);

	if (sysctl_write(m, name, value) != -EINVAL) {
		print_error("%s = \"%s\" was not refused\n", name, value ? value : "(null)");
		fail();
	}
	expect_tuning_unchanged(m, before);
}

/* ---- reading ---- */

static void test_read_defaults(void **state)
{
	struct machine *m = boot_ini(NULL), *k;

	(void)state;
	expect_read(m, "vm.min_free_kbytes", "4062\n");
	expect_read(m, "min_free_kbytes", "4062\n");
	expect_read(m, "/proc/sys/vm/min_free_kbytes", "4062\n");
	expect_read(m, "vm.lowmem_reserve_ratio", "256\t256\t32\n");
	expect_read(m, "lowmem_reserve_ratio", "256\t256\t32\n");
	expect_read(m, "/proc/sys/vm/lowmem_reserve_ratio", "256\t256\t32\n");
	expect_read(m, "vm.percpu_pagelist_fraction", "0\n");
	expect_read(m, "percpu_pagelist_fraction", "0\n");
	expect_read(m, "/proc/sys/vm/percpu_pagelist_fraction", "0\n");
	expect_read(m, "vm.numa_zonelist_order", "default\n");
	expect_read(m, "numa_zonelist_order", "default\n");
	expect_read(m, "/proc/sys/vm/numa_zonelist_order", "default\n");
	k = boot_ini(I386_64M_INI);
	expect_read(k, "vm.lowmem_reserve_ratio", "256\t32\t32\n");
	expect_read(k, "vm.percpu_pagelist_fraction", "0\n");
	/* numa_zonelist_order exists only in NUMA builds */
	expect_absent(k, "vm.numa_zonelist_order");
	expect_absent(k, "numa_zonelist_order");
	expect_absent(k, "/proc/sys/vm/numa_zonelist_order");
	machine_destroy(k);
	machine_destroy(m);
}

static void test_unknown_names(void **state)
{
	static const char *const bad[] = {
	    "vm.bogus",
	    "bogus",
	    "",
	    "vm.",
	    "/proc/sys/vm/",
	    "vm.vm.min_free_kbytes",
	    "VM.min_free_kbytes",
	    "vm/min_free_kbytes",
	    "/proc/sys/vm/vm.min_free_kbytes",
	    "kernel.min_free_kbytes",
	    "min_free_kbytes ",
	    "vm.min_free_kbyte",
	    "proc/sys/vm/min_free_kbytes",
	};
	struct machine *m = boot_ini(NULL);
	struct tuning *before = tuning_get(m);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_absent(m, bad[i]);
	expect_tuning_unchanged(m, before);
	/* the listing, in table order */
	assert_string_equal(sysctl_name(0), "lowmem_reserve_ratio");
	assert_string_equal(sysctl_name(1), "min_free_kbytes");
	assert_string_equal(sysctl_name(2), "numa_zonelist_order");
	assert_string_equal(sysctl_name(3), "percpu_pagelist_fraction");
	assert_null(sysctl_name(4));
	assert_null(sysctl_name(100));
	assert_null(sysctl_name(-1));
	machine_destroy(m);
}

/* sysctl_read appends to what the buffer holds */
static void test_read_appends(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct sbuf sb = SBUF_INIT;

	(void)state;
	sbuf_puts(&sb, "min=");
	assert_int_equal(sysctl_read(m, "vm.min_free_kbytes", &sb), 0);
	assert_int_equal(sysctl_read(m, "vm.percpu_pagelist_fraction", &sb), 0);
	assert_string_equal(sbuf_cstr(&sb), "min=4062\n0\n");
	sbuf_free(&sb);
	machine_destroy(m);
}

/* min_free_kbytes at boot: int_sqrt(lowmem_kbytes * 16) clamped to [128, 65536] */
static void expect_boot_min_free_kbytes(const char *ini)
{
	struct machine *m = boot_ini(ini);
	unsigned long lowmem = 0, kb;
	char want[32];

	for (int id = 0; id < m->nr_zone_ids; id++)
		if (!ref_is_highmem(m, m->zones[id]) && strcmp(m->zones[id]->name, "Movable"))
			lowmem += m->zones[id]->present_pages;
	kb = ref_int_sqrt(lowmem * 4 * 16);
	kb = kb < 128 ? 128 : kb > 65536 ? 65536 : kb;
	snprintf(want, sizeof(want), "%lu\n", kb);
	expect_read(m, "vm.min_free_kbytes", want);
	expect_wmarks(m, kb);
	expect_totalreserve(m);
	machine_destroy(m);
}

static void test_boot_values(void **state)
{
	static const int x86_64_ratio[] = {256, 256, 32}, i386_ratio[] = {256, 32, 32};
	struct machine *m;

	(void)state;
	expect_boot_min_free_kbytes(NULL);
	expect_boot_min_free_kbytes(X86_6G_INI);
	expect_boot_min_free_kbytes(I386_64M_INI);
	expect_boot_min_free_kbytes(I386_2G_INI);
	m = boot_ini(X86_6G_INI);
	expect_protection(m, x86_64_ratio);
	machine_destroy(m);
	m = boot_ini(I386_2G_INI);
	expect_protection(m, i386_ratio);
	machine_destroy(m);
}

/* ---- vm.min_free_kbytes ---- */

static void test_min_free_kbytes(void **state)
{
	struct machine *m = boot_ini(NULL);

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "8000"), 0);
	expect_read(m, "vm.min_free_kbytes", "8000\n");
	expect_wmarks(m, 8000);
	expect_totalreserve(m);
	assert_invariants(m);
	/* DMA32 of node 1, by hand: 2000 * 128992 / 257901 = 1000 */
	assert_int_equal(min_wmark_pages(zone_named(m, 1, "DMA32")), 1000);
	assert_int_equal(low_wmark_pages(zone_named(m, 1, "DMA32")), 1250);
	assert_int_equal(high_wmark_pages(zone_named(m, 1, "DMA32")), 1500);
	/* the other name forms, and a trailing newline as echo writes it */
	assert_int_equal(sysctl_write(m, "/proc/sys/vm/min_free_kbytes", "6000\n"), 0);
	expect_wmarks(m, 6000);
	assert_int_equal(sysctl_write(m, "min_free_kbytes", "  7000 \t\n"), 0);
	expect_read(m, "min_free_kbytes", "7000\n");
	expect_wmarks(m, 7000);
	/* large: two Reserve blocks per zone at most */
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "400000\n"), 0);
	expect_wmarks(m, 400000);
	expect_totalreserve(m);
	assert_invariants(m);
	/* and back: the extra Reserve blocks are returned */
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "4062"), 0);
	expect_wmarks(m, 4062);
	expect_totalreserve(m);
	assert_invariants(m);
	/* zero: no watermarks, no Reserve blocks */
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "0"), 0);
	expect_wmarks(m, 0);
	for (int id = 0; id < m->nr_zone_ids; id++)
		assert_int_equal(count_blocks(m->zones[id], MIGRATE_RESERVE), 0);
	assert_invariants(m);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "4062"), 0);
	expect_wmarks(m, 4062);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_min_free_kbytes_refused(void **state)
{
	static const char *const bad[] = {"-1",  "abc",   "1 2",         "",           "\n",  "  ",
	                                  "12x", "8000k", "99999999999", "2147483648", "1.5", "- 1",
	                                  "+5",  "0x",    "09",          "0xg"};
	struct machine *m = boot_ini(NULL);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(m, "vm.min_free_kbytes", bad[i]);
	expect_refused(m, "vm.min_free_kbytes", NULL);
	expect_read(m, "vm.min_free_kbytes", "4062\n");
	expect_wmarks(m, 4062);
	expect_totalreserve(m);
	assert_invariants(m);
	machine_destroy(m);
}

/* Numbers are read as proc_dointvec reads them: base 0, optional '-' only. */
static void test_integer_syntax(void **state)
{
	struct machine *m = boot_ini(NULL);

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "0x1f40"), 0);
	expect_read(m, "vm.min_free_kbytes", "8000\n");
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "010"), 0);
	expect_read(m, "vm.min_free_kbytes", "8\n");
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "2147483647"), 0);
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "-2147483648 0x20"), 0);
	/* setup_per_zone_lowmem_reserve raises ratios below 1 to 1 */
	expect_read(m, "vm.lowmem_reserve_ratio", "1\t32\t32\n");
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "-2147483649"), -EINVAL);
	machine_destroy(m);
}

/* HighMem keeps a small min of its own; low/high still follow tmp. */
static void test_min_free_kbytes_highmem(void **state)
{
	struct machine *m = boot_ini(I386_2G_INI);
	struct machine *k = boot_ini("[machine]\narch = i386\nmovablecore = 512M\n"
	                             "[node.0]\nmemory = 2G\ncpus = 2\n");
	struct zone *high = zone_named(m, 0, "HighMem");

	(void)state;
	assert_true(populated_zone(high));
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "8000"), 0);
	expect_wmarks(m, 8000);
	expect_totalreserve(m);
	/* clamp(present / 1024, 32, 128) */
	assert_int_equal(min_wmark_pages(high), 128);
	assert_true(low_wmark_pages(high) - min_wmark_pages(high) !=
	            min_wmark_pages(high) / 4); /* the delta is tmp/4, not min/4 */
	assert_invariants(m);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "128"), 0);
	expect_wmarks(m, 128);
	assert_invariants(m);
	/* Movable carved out of HighMem is HighMem for the watermarks too */
	assert_int_equal(k->movable_zone, k->arch->zone_highmem);
	assert_true(populated_zone(zone_named(k, 0, "Movable")));
	assert_int_equal(sysctl_write(k, "vm.min_free_kbytes", "20000"), 0);
	expect_wmarks(k, 20000);
	expect_totalreserve(k);
	assert_invariants(k);
	machine_destroy(k);
	machine_destroy(m);
}

/* ---- vm.lowmem_reserve_ratio ---- */

static void test_lowmem_reserve_ratio(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *dma = zone_named(m, 0, "DMA");
	unsigned long d32 = zone_named(m, 0, "DMA32")->present_pages;

	(void)state;
	expect_protection(m, (const int[]){256, 256, 32});
	assert_int_equal(dma->lowmem_reserve[1], d32 / 256);
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "128 128 16"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "128\t128\t16\n");
	expect_protection(m, (const int[]){128, 128, 16});
	assert_int_equal(dma->lowmem_reserve[1], d32 / 128);
	assert_int_equal(dma->lowmem_reserve[1], 976);
	assert_int_equal(dma->lowmem_reserve[3], d32 / 128);
	expect_totalreserve(m);
	assert_invariants(m);
	/* a partial write changes the first values only */
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "64"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "64\t128\t16\n");
	expect_protection(m, (const int[]){64, 128, 16});
	assert_int_equal(dma->lowmem_reserve[1], d32 / 64);
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "32\t100\n"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "32\t100\t16\n");
	expect_protection(m, (const int[]){32, 100, 16});
	/* values below 1 are taken as 1, and read back so */
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "0\t-5"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "1\t1\t16\n");
	expect_protection(m, (const int[]){1, 1, 16});
	assert_int_equal(dma->lowmem_reserve[1], d32);
	/* totalreserve_pages follows: high + largest reserve, capped at present */
	expect_totalreserve(m);
	assert_int_equal(m->totalreserve_pages, dma->present_pages +
	                                            high_wmark_pages(zone_named(m, 0, "DMA32")) +
	                                            high_wmark_pages(zone_named(m, 1, "DMA32")));
	assert_invariants(m);
	machine_destroy(m);
}

static void test_lowmem_reserve_ratio_zero(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *dma = zone_named(m, 0, "DMA");

	(void)state;
	/* the kernel fixes a ratio < 1 to 1 when it recomputes */
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "0"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "1\t256\t32\n");
	expect_protection(m, (const int[]){1, 256, 32});
	assert_int_equal(dma->lowmem_reserve[1], zone_named(m, 0, "DMA32")->present_pages);
	assert_int_equal(dma->lowmem_reserve[2], zone_named(m, 0, "DMA32")->present_pages);
	expect_totalreserve(m);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_lowmem_reserve_ratio_three_zones(void **state)
{
	struct machine *m = boot_ini(X86_6G_INI), *k = boot_ini(I386_2G_INI);
	struct zone *dma = zone_named(m, 0, "DMA"), *d32 = zone_named(m, 0, "DMA32");
	unsigned long n32 = d32->present_pages, nn = zone_named(m, 0, "Normal")->present_pages;

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "100 50 10"), 0);
	expect_protection(m, (const int[]){100, 50, 10});
	/* DMA under Normal: DMA32 + Normal, by DMA's ratio */
	assert_int_equal(dma->lowmem_reserve[2], (n32 + nn) / 100);
	assert_int_equal(d32->lowmem_reserve[2], nn / 50);
	assert_int_equal(d32->lowmem_reserve[3], nn / 50); /* empty Movable adds nothing */
	expect_totalreserve(m);
	assert_invariants(m);
	/* i386: DMA, Normal, HighMem */
	assert_int_equal(sysctl_write(k, "vm.lowmem_reserve_ratio", "10 20 30"), 0);
	expect_read(k, "vm.lowmem_reserve_ratio", "10\t20\t30\n");
	expect_protection(k, (const int[]){10, 20, 30});
	assert_int_equal(zone_named(k, 0, "Normal")->lowmem_reserve[2],
	                 zone_named(k, 0, "HighMem")->present_pages / 20);
	expect_totalreserve(k);
	assert_invariants(k);
	machine_destroy(k);
	machine_destroy(m);
}

static void test_lowmem_reserve_ratio_refused(void **state)
{
	static const char *const bad[] = {"1 2 3 4", "x", "", "\n", "12 x", "1,2,3", "4294967296"};
	struct machine *m = boot_ini(NULL);

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "128 64"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(m, "vm.lowmem_reserve_ratio", bad[i]);
	expect_read(m, "vm.lowmem_reserve_ratio", "128\t64\t32\n");
	expect_protection(m, (const int[]){128, 64, 32});
	machine_destroy(m);
}

/* ---- vm.percpu_pagelist_fraction ---- */

/* setup_pagelist_highmark on every populated zone; the others keep `boot` */
static void expect_pagelist_fraction(struct machine *m, int fraction, const struct tuning *boot)
{
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *z = m->zones[id];
		int high = (int)(z->present_pages / (unsigned long)fraction);
		int batch = high / 4 > 96 ? 96 : high / 4 < 1 ? 1 : high / 4;

		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			if (!populated_zone(z)) {
				assert_int_equal(z->pageset[cpu].pcp.high,
				                 boot->zone[id].pcp_high[cpu]);
				assert_int_equal(z->pageset[cpu].pcp.batch,
				                 boot->zone[id].pcp_batch[cpu]);
				continue;
			}
			assert_int_equal(z->pageset[cpu].pcp.high, high);
			assert_int_equal(z->pageset[cpu].pcp.batch, batch);
		}
	}
}

static void test_percpu_pagelist_fraction(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct tuning *boot = tuning_get(m);
	struct zone *z = zone_named(m, 1, "DMA32");

	(void)state;
	assert_int_equal(z->pageset[0].pcp.high, 186);
	assert_int_equal(z->pageset[0].pcp.batch, 31);
	/* the minimum: high = present / 8, batch capped at PAGE_SHIFT * 8 */
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "8"), 0);
	expect_read(m, "vm.percpu_pagelist_fraction", "8\n");
	expect_pagelist_fraction(m, 8, boot);
	assert_int_equal(z->pageset[3].pcp.high, 128992 / 8);
	assert_int_equal(z->pageset[3].pcp.batch, 96);
	assert_int_equal(zone_named(m, 0, "DMA")->pageset[0].pcp.high, 3917 / 8);
	assert_invariants(m);
	/* batch below the cap: high / 4 */
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "2000"), 0);
	expect_read(m, "vm.percpu_pagelist_fraction", "2000\n");
	expect_pagelist_fraction(m, 2000, boot);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		assert_int_equal(z->pageset[cpu].pcp.high, 128992 / 2000);
		assert_int_equal(z->pageset[cpu].pcp.batch, 128992 / 2000 / 4);
	}
	assert_invariants(m);
	/* batch at least 1, even where high rounds to 0 */
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "100000\n"), 0);
	expect_pagelist_fraction(m, 100000, boot);
	assert_int_equal(zone_named(m, 0, "DMA")->pageset[0].pcp.high, 0);
	assert_int_equal(zone_named(m, 0, "DMA")->pageset[0].pcp.batch, 1);
	assert_int_equal(z->pageset[0].pcp.high, 1);
	assert_int_equal(z->pageset[0].pcp.batch, 1);
	assert_invariants(m);
	free(boot);
	machine_destroy(m);
}

static void test_percpu_pagelist_fraction_refused(void **state)
{
	static const char *const bad[] = {"7", "0", "-8", "1", "abc", "", "8 9", "8.0"};
	struct machine *m = boot_ini(NULL);
	struct tuning *boot;

	(void)state;
	/* refused at boot: nothing was ever set */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(m, "vm.percpu_pagelist_fraction", bad[i]);
	expect_read(m, "vm.percpu_pagelist_fraction", "0\n");
	assert_int_equal(zone_named(m, 0, "DMA32")->pageset[0].pcp.high, 186);
	/* refused after a value was set: it stays, and 0 cannot reset it (3.2) */
	boot = tuning_get(m);
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "16"), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(m, "vm.percpu_pagelist_fraction", bad[i]);
	expect_read(m, "vm.percpu_pagelist_fraction", "16\n");
	expect_pagelist_fraction(m, 16, boot);
	assert_invariants(m);
	free(boot);
	machine_destroy(m);
}

/* ---- vm.numa_zonelist_order ---- */

static const char *zonelist_text(struct machine *m, int nid, int which, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (struct zoneref *z = m->node_data[nid].node_zonelists[which]._zonerefs; z->zone; z++)
		used += (size_t)snprintf(buf + used, len - used, "%sN%d %s", used ? ", " : "",
		                         z->zone->node, z->zone->name);
	return buf;
}

static unsigned long count_in_log(struct machine *m, const char *needle)
{
	struct sbuf sb = SBUF_INIT;
	unsigned long n = 0;

	assert_int_equal(printk_read(&m->log, &sb), 0);
	for (const char *p = sbuf_cstr(&sb); (p = strstr(p, needle)) != NULL; p++)
		n++;
	sbuf_free(&sb);
	return n;
}

#define NODE_ORDER_N0 "N0 DMA32, N0 DMA, N1 DMA32"
#define ZONE_ORDER_N0 "N0 DMA32, N1 DMA32, N0 DMA"

static void test_numa_zonelist_order(void **state)
{
	struct machine *m = boot_ini(NULL);
	char buf[256];

	(void)state;
	assert_string_equal(zonelist_text(m, 0, 0, buf, sizeof(buf)), NODE_ORDER_N0);
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_NODE);
	assert_int_equal(count_in_log(m, "Built 2 zonelists in Node order"), 1);

	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "zone\n"), 0);
	expect_read(m, "vm.numa_zonelist_order", "zone\n");
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_ZONE);
	assert_string_equal(zonelist_text(m, 0, 0, buf, sizeof(buf)), ZONE_ORDER_N0);
	assert_string_equal(zonelist_text(m, 1, 0, buf, sizeof(buf)), "N1 DMA32, N0 DMA32, N0 DMA");
	/* the __GFP_THISNODE lists do not depend on the order */
	assert_string_equal(zonelist_text(m, 0, 1, buf, sizeof(buf)), "N0 DMA32, N0 DMA");
	assert_string_equal(zonelist_text(m, 1, 1, buf, sizeof(buf)), "N1 DMA32");
	assert_int_equal(count_in_log(m, "Built 2 zonelists in Zone order"), 1);
	assert_invariants(m);

	/* the same order again, in other letters: kept as written, no rebuild */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "Zone"), 0);
	expect_read(m, "vm.numa_zonelist_order", "Zone\n");
	assert_int_equal(count_in_log(m, "Built 2 zonelists"), 2);

	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "Node"), 0);
	expect_read(m, "vm.numa_zonelist_order", "Node\n");
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_NODE);
	assert_string_equal(zonelist_text(m, 0, 0, buf, sizeof(buf)), NODE_ORDER_N0);
	assert_int_equal(count_in_log(m, "Built 2 zonelists in Node order"), 2);
	assert_invariants(m);

	/* default: the kernel's choice for this machine, which is Node order */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "d"), 0);
	expect_read(m, "vm.numa_zonelist_order", "d\n");
	assert_int_equal(m->user_zonelist_order, ZONELIST_ORDER_DEFAULT);
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_NODE);
	assert_string_equal(zonelist_text(m, 0, 0, buf, sizeof(buf)), NODE_ORDER_N0);
	assert_int_equal(count_in_log(m, "Built 2 zonelists"), 4);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_numa_zonelist_order_invalid(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct sbuf sb = SBUF_INIT;
	char buf[256];

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "zone"), 0);
	/* a bad word is ignored with a log line, and the write still succeeds */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "bogus"), 0);
	expect_read(m, "vm.numa_zonelist_order", "zone\n");
	assert_int_equal(m->user_zonelist_order, ZONELIST_ORDER_ZONE);
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_ZONE);
	assert_string_equal(zonelist_text(m, 0, 0, buf, sizeof(buf)), ZONE_ORDER_N0);
	assert_int_equal(printk_read(&m->log, &sb), 0);
	assert_non_null(
	    strstr(sbuf_cstr(&sb), "Ignoring invalid numa_zonelist_order value:  bogus\n"));
	sbuf_free(&sb);
	assert_int_equal(count_in_log(m, "Built 2 zonelists"), 2); /* boot + "zone" */
	/* the value logged is what the 16-byte buffer kept, without the newline */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "xylophone-music-box\n"), 0);
	assert_int_equal(count_in_log(m, "value:  xylophone-music\n"), 1);
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", ""), 0);
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", " zone"), 0);
	assert_int_equal(count_in_log(m, "Ignoring invalid numa_zonelist_order value:"), 4);
	expect_read(m, "vm.numa_zonelist_order", "zone\n");
	assert_int_equal(count_in_log(m, "Built 2 zonelists"), 2);
	/* a good first letter is enough; the kernel keeps what fits in 16 bytes */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "zzzzzzzzzzzzzzzzzzzzzzzz"), 0);
	expect_read(m, "vm.numa_zonelist_order", "zzzzzzzzzzzzzzz\n");
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "nodes, please"), 0);
	expect_read(m, "vm.numa_zonelist_order", "nodes, please\n");
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_NODE);
	assert_invariants(m);
	machine_destroy(m);
}

/* ---- the write size limit ---- */

static void test_max_write(void **state)
{
	struct machine *m = boot_ini(NULL);
	char big[SYSCTL_MAX_WRITE + 2];

	(void)state;
	/* SYSCTL_MAX_WRITE bytes are accepted... */
	memset(big, ' ', SYSCTL_MAX_WRITE);
	memcpy(big + SYSCTL_MAX_WRITE - 5, "8000\n", 5);
	big[SYSCTL_MAX_WRITE] = '\0';
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", big), 0);
	expect_read(m, "vm.min_free_kbytes", "8000\n");
	memset(big, 'z', SYSCTL_MAX_WRITE);
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", big), 0);
	expect_read(m, "vm.numa_zonelist_order", "zzzzzzzzzzzzzzz\n");
	/* ...one more is refused, whatever the sysctl */
	memset(big, ' ', SYSCTL_MAX_WRITE + 1);
	memcpy(big + SYSCTL_MAX_WRITE + 1 - 4, "6000", 4);
	big[SYSCTL_MAX_WRITE + 1] = '\0';
	expect_refused(m, "vm.min_free_kbytes", big);
	expect_refused(m, "vm.lowmem_reserve_ratio", big);
	expect_refused(m, "vm.percpu_pagelist_fraction", big);
	memset(big, 'n', SYSCTL_MAX_WRITE + 1);
	expect_refused(m, "vm.numa_zonelist_order", big);
	expect_read(m, "vm.numa_zonelist_order", "zzzzzzzzzzzzzzz\n");
	expect_read(m, "vm.min_free_kbytes", "8000\n");
	expect_refused(m, "vm.numa_zonelist_order", NULL);
	assert_invariants(m);
	machine_destroy(m);
}

/* Two machines do not share sysctl state. */
static void test_machines_independent(void **state)
{
	struct machine *a = boot_ini(NULL), *b = boot_ini(NULL);

	(void)state;
	assert_int_equal(sysctl_write(a, "vm.min_free_kbytes", "9000"), 0);
	assert_int_equal(sysctl_write(a, "vm.lowmem_reserve_ratio", "7"), 0);
	assert_int_equal(sysctl_write(a, "vm.numa_zonelist_order", "zone"), 0);
	expect_read(b, "vm.min_free_kbytes", "4062\n");
	expect_read(b, "vm.lowmem_reserve_ratio", "256\t256\t32\n");
	expect_read(b, "vm.numa_zonelist_order", "default\n");
	expect_wmarks(b, 4062);
	machine_destroy(a);
	machine_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_defaults),
	    cmocka_unit_test(test_unknown_names),
	    cmocka_unit_test(test_read_appends),
	    cmocka_unit_test(test_boot_values),
	    cmocka_unit_test(test_min_free_kbytes),
	    cmocka_unit_test(test_min_free_kbytes_refused),
	    cmocka_unit_test(test_integer_syntax),
	    cmocka_unit_test(test_min_free_kbytes_highmem),
	    cmocka_unit_test(test_lowmem_reserve_ratio),
	    cmocka_unit_test(test_lowmem_reserve_ratio_zero),
	    cmocka_unit_test(test_lowmem_reserve_ratio_three_zones),
	    cmocka_unit_test(test_lowmem_reserve_ratio_refused),
	    cmocka_unit_test(test_percpu_pagelist_fraction),
	    cmocka_unit_test(test_percpu_pagelist_fraction_refused),
	    cmocka_unit_test(test_numa_zonelist_order),
	    cmocka_unit_test(test_numa_zonelist_order_invalid),
	    cmocka_unit_test(test_max_write),
	    cmocka_unit_test(test_machines_independent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
