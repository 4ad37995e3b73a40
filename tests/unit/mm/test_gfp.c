/*
 * test_gfp.c - GFP masks (gfp.c): kernel values, the zone table on both
 * arches, validation of masks from outside, names in and out.
 *
 * The expected values are 3.2's include/linux/gfp.h (GFP_ZONE_TABLE,
 * GFP_ZONE_BAD, the composite masks) and the order of show_gfp_flags in
 * include/trace/events/gfpflags.h, written out here rather than derived from
 * the engine's tables.
 */
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm_test.h"

#define I386_INI "[machine]\narch = i386\n[node.0]\nmemory = 64M\ncpus = 1\n"

static void test_bit_values(void **state)
{
	(void)state;
	assert_int_equal(__GFP_DMA, 0x01);
	assert_int_equal(__GFP_HIGHMEM, 0x02);
	assert_int_equal(__GFP_DMA32, 0x04);
	assert_int_equal(__GFP_MOVABLE, 0x08);
	assert_int_equal(__GFP_WAIT, 0x10);
	assert_int_equal(__GFP_HIGH, 0x20);
	assert_int_equal(__GFP_IO, 0x40);
	assert_int_equal(__GFP_FS, 0x80);
	assert_int_equal(__GFP_COLD, 0x100);
	assert_int_equal(__GFP_NOWARN, 0x200);
	assert_int_equal(__GFP_REPEAT, 0x400);
	assert_int_equal(__GFP_NOFAIL, 0x800);
	assert_int_equal(__GFP_NORETRY, 0x1000);
	assert_int_equal(__GFP_COMP, 0x4000);
	assert_int_equal(__GFP_ZERO, 0x8000);
	assert_int_equal(__GFP_NOMEMALLOC, 0x10000);
	assert_int_equal(__GFP_HARDWALL, 0x20000);
	assert_int_equal(__GFP_THISNODE, 0x40000);
	assert_int_equal(__GFP_RECLAIMABLE, 0x80000);
	assert_int_equal(__GFP_NOTRACK, 0x200000);
	assert_int_equal(__GFP_NO_KSWAPD, 0x400000);
	assert_int_equal(__GFP_OTHER_NODE, 0x800000);
	assert_int_equal(__GFP_BITS_MASK, 0xffffff);
	assert_int_equal(GFP_ZONEMASK, 0x0f);
}

static void test_composite_values(void **state)
{
	(void)state;
	assert_int_equal(GFP_ATOMIC, 0x20);
	assert_int_equal(GFP_NOWAIT, 0);
	assert_int_equal(GFP_NOIO, 0x10);
	assert_int_equal(GFP_NOFS, 0x50);
	assert_int_equal(GFP_KERNEL, 0xd0);
	assert_int_equal(GFP_TEMPORARY, 0x800d0);
	assert_int_equal(GFP_USER, 0x200d0);
	assert_int_equal(GFP_HIGHUSER, 0x200d2);
	assert_int_equal(GFP_HIGHUSER_MOVABLE, 0x200da);
	assert_int_equal(GFP_IOFS, 0xc0);
	assert_int_equal(GFP_THISNODE, 0x41200);
	assert_int_equal(GFP_DMA, 0x01);
	assert_int_equal(GFP_DMA32, 0x04);
}

/* GFP_ZONE_TABLE and GFP_ZONE_BAD of 3.2, indexed by the four zone bits. */
static const enum zone_kind kernel_zone_kinds[16] = {
    [0x0] = ZK_NORMAL, [0x1] = ZK_DMA, [0x2] = ZK_HIGHMEM, [0x3] = ZK_BAD,
    [0x4] = ZK_DMA32,  [0x5] = ZK_BAD, [0x6] = ZK_BAD,     [0x7] = ZK_BAD,
    [0x8] = ZK_NORMAL, [0x9] = ZK_DMA, [0xa] = ZK_MOVABLE, [0xb] = ZK_BAD,
    [0xc] = ZK_DMA32,  [0xd] = ZK_BAD, [0xe] = ZK_BAD,     [0xf] = ZK_BAD,
};

static void test_zone_kind_table(void **state)
{
	int bad = 0;

	(void)state;
	for (gfp_t bits = 0; bits < 16; bits++) {
		assert_int_equal(gfp_zone_kind(bits), kernel_zone_kinds[bits]);
		/* only the four zone bits index the table */
		assert_int_equal(gfp_zone_kind(bits | (__GFP_BITS_MASK & ~GFP_ZONEMASK)),
		                 kernel_zone_kinds[bits]);
		bad += gfp_zone_kind(bits) == ZK_BAD;
	}
	assert_int_equal(bad, 8);
}

/* zone index for each of the 16 zone-bit combinations; -1 = GFP_ZONE_BAD */
static const int x86_64_zones[16] = {2, 0, 2, -1, 1, -1, -1, -1, 2, 0, 3, -1, 1, -1, -1, -1};
static const int i386_zones[16] = {1, 0, 2, -1, 1, -1, -1, -1, 1, 0, 3, -1, 1, -1, -1, -1};

static void check_zone_table(const char *ini, const int *want, const char *const *names)
{
	struct machine *m = boot_ini(ini);

	for (gfp_t bits = 0; bits < 16; bits++) {
		int expect = want[bits] < 0 ? -EINVAL : want[bits];

		assert_int_equal(gfp_zone(m, bits), expect);
		assert_int_equal(gfp_zone(m, bits | GFP_KERNEL), expect);
		assert_int_equal(gfp_zone(m, bits | GFP_ATOMIC | __GFP_COMP | __GFP_NOWARN),
		                 expect);
		assert_int_equal(gfp_check(bits | GFP_KERNEL) == 0, want[bits] >= 0);
		if (want[bits] >= 0)
			assert_string_equal(m->node_data[0].node_zones[want[bits]].name,
			                    names[want[bits]]);
	}
	machine_destroy(m);
}

static void test_zone_table(void **state)
{
	static const char *const x86_64_names[] = {"DMA", "DMA32", "Normal", "Movable"};
	static const char *const i386_names[] = {"DMA", "Normal", "HighMem", "Movable"};
	struct machine *m;

	(void)state;
	check_zone_table(NULL, x86_64_zones, x86_64_names);
	check_zone_table(I386_INI, i386_zones, i386_names);

	/* the cases people ask about, by name */
	m = boot_ini(NULL);
	assert_int_equal(gfp_zone(m, GFP_KERNEL), 2);
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER), 2);         /* no HighMem: Normal */
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER_MOVABLE), 3); /* MOVABLE|HIGHMEM */
	assert_int_equal(gfp_zone(m, GFP_KERNEL | __GFP_MOVABLE), 2);
	assert_int_equal(gfp_zone(m, GFP_DMA32 | __GFP_MOVABLE), 1);
	assert_int_equal(gfp_zone(m, GFP_DMA | __GFP_MOVABLE), 0);
	machine_destroy(m);
	m = boot_ini(I386_INI);
	assert_int_equal(gfp_zone(m, GFP_KERNEL), 1);
	assert_int_equal(gfp_zone(m, GFP_DMA32), 1); /* no DMA32: Normal */
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER), 2);
	assert_int_equal(gfp_zone(m, GFP_HIGHUSER_MOVABLE), 3);
	assert_int_equal(gfp_zone(m, __GFP_DMA | __GFP_HIGHMEM), -EINVAL);
	machine_destroy(m);
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(gfp_check(0), 0);
	assert_int_equal(gfp_check(GFP_KERNEL), 0);
	assert_int_equal(gfp_check(GFP_TEMPORARY), 0);
	assert_int_equal(gfp_check(GFP_HIGHUSER_MOVABLE), 0);
	assert_int_equal(gfp_check(GFP_ATOMIC | __GFP_COMP | __GFP_ZERO), 0);
	assert_int_equal(gfp_check(GFP_THISNODE | GFP_DMA32), 0);
	/* every defined bit alone is fine */
	for (unsigned int b = 0; b < 24; b++) {
		gfp_t bit = 1u << b;
		int unused = bit == 0x2000 || bit == 0x100000;

		assert_int_equal(gfp_check(bit), unused ? -EINVAL : 0);
	}
	/* every defined bit at once, less one of each conflicting pair */
	assert_int_equal(gfp_check(__GFP_BITS_MASK & ~(0x2000u | 0x100000u) &
	                           ~(__GFP_DMA | __GFP_DMA32 | __GFP_RECLAIMABLE)),
	                 0);
	/* bits at and above __GFP_BITS_SHIFT */
	for (unsigned int b = 24; b < 32; b++)
		assert_int_equal(gfp_check(GFP_KERNEL | (1u << b)), -EINVAL);
	assert_int_equal(gfp_check(0x80000000u), -EINVAL);
	assert_int_equal(gfp_check(~0u), -EINVAL);
	/* the two bits 3.2 leaves unused */
	assert_int_equal(gfp_check(0x2000), -EINVAL);
	assert_int_equal(gfp_check(0x100000), -EINVAL);
	assert_int_equal(gfp_check(GFP_KERNEL | 0x2000), -EINVAL);
	assert_int_equal(gfp_check(GFP_KERNEL | 0x100000), -EINVAL);
	/* a page is movable or reclaimable, not both */
	assert_int_equal(gfp_check(__GFP_MOVABLE | __GFP_RECLAIMABLE), -EINVAL);
	assert_int_equal(gfp_check(GFP_TEMPORARY | __GFP_MOVABLE), -EINVAL);
	assert_int_equal(gfp_check(GFP_HIGHUSER_MOVABLE | __GFP_RECLAIMABLE), -EINVAL);
	/* each GFP_ZONE_BAD combination, alone and with ordinary flags */
	for (gfp_t bits = 0; bits < 16; bits++) {
		int want = kernel_zone_kinds[bits] == ZK_BAD ? -EINVAL : 0;

		assert_int_equal(gfp_check(bits), want);
		assert_int_equal(gfp_check(bits | GFP_USER | __GFP_NOWARN), want);
	}
}

static void test_migratetype(void **state)
{
	(void)state;
	assert_int_equal(allocflags_to_migratetype(0, false), MIGRATE_UNMOVABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_KERNEL, false), MIGRATE_UNMOVABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_HIGHUSER, false), MIGRATE_UNMOVABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_TEMPORARY, false), MIGRATE_RECLAIMABLE);
	assert_int_equal(allocflags_to_migratetype(__GFP_RECLAIMABLE, false), MIGRATE_RECLAIMABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_HIGHUSER_MOVABLE, false), MIGRATE_MOVABLE);
	assert_int_equal(allocflags_to_migratetype(__GFP_MOVABLE, false), MIGRATE_MOVABLE);
	/* the formula, even for the pair gfp_check refuses */
	assert_int_equal(allocflags_to_migratetype(GFP_MOVABLE_MASK, false), 3);
	assert_int_equal(MIGRATE_UNMOVABLE, 0);
	assert_int_equal(MIGRATE_RECLAIMABLE, 1);
	assert_int_equal(MIGRATE_MOVABLE, 2);
	assert_int_equal(MIGRATE_RESERVE, 3);
	assert_int_equal(MIGRATE_ISOLATE, 4);
	assert_int_equal(MIGRATE_TYPES, 5);
	/* without grouping by mobility everything is Unmovable */
	assert_int_equal(allocflags_to_migratetype(GFP_HIGHUSER_MOVABLE, true), MIGRATE_UNMOVABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_TEMPORARY, true), MIGRATE_UNMOVABLE);
}

static void expect_format(gfp_t mask, const char *want)
{
	char buf[256];

	assert_int_equal(gfp_format(mask, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	(void)state;
	expect_format(0, "GFP_NOWAIT");
	expect_format(GFP_KERNEL, "GFP_KERNEL");
	expect_format(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE");
	expect_format(GFP_HIGHUSER, "GFP_HIGHUSER");
	expect_format(GFP_USER, "GFP_USER");
	expect_format(GFP_TEMPORARY, "GFP_TEMPORARY");
	expect_format(GFP_NOFS, "GFP_NOFS");
	expect_format(GFP_NOIO, "GFP_NOIO");
	expect_format(GFP_ATOMIC, "GFP_ATOMIC");
	/* composites first, then single flags in show_gfp_flags order */
	expect_format(GFP_KERNEL | __GFP_ZERO | __GFP_COMP, "GFP_KERNEL|__GFP_COMP|__GFP_ZERO");
	expect_format(GFP_ATOMIC | __GFP_NOWARN | __GFP_COLD, "GFP_ATOMIC|__GFP_COLD|__GFP_NOWARN");
	expect_format(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
	expect_format(GFP_KERNEL | __GFP_HARDWALL | __GFP_RECLAIMABLE,
	              "GFP_USER|__GFP_RECLAIMABLE");
	expect_format(GFP_NOFS | __GFP_HIGH, "GFP_NOFS|GFP_ATOMIC");
	expect_format(__GFP_DMA | GFP_KERNEL, "GFP_KERNEL|__GFP_DMA");
	expect_format(GFP_THISNODE, "__GFP_NOWARN|__GFP_NORETRY|__GFP_THISNODE");
	expect_format(__GFP_IO | __GFP_FS, "__GFP_IO|__GFP_FS");
	expect_format(__GFP_DMA32 | __GFP_MOVABLE, "__GFP_MOVABLE|__GFP_DMA32");
	expect_format(__GFP_NOTRACK | __GFP_NO_KSWAPD | __GFP_OTHER_NODE,
	              "__GFP_NOTRACK|__GFP_NO_KSWAPD|__GFP_OTHER_NODE");
	/* bits without a name come last, in hex */
	expect_format(0x1000000 | GFP_ATOMIC, "GFP_ATOMIC|0x1000000");
	expect_format(GFP_KERNEL | 0x2000, "GFP_KERNEL|0x2000");
	expect_format(0x100000, "0x100000");
	expect_format(__GFP_BITS_MASK,
	              "GFP_HIGHUSER_MOVABLE|GFP_ATOMIC|__GFP_COLD|__GFP_NOWARN|__GFP_REPEAT|"
	              "__GFP_NOFAIL|__GFP_NORETRY|__GFP_COMP|__GFP_ZERO|__GFP_NOMEMALLOC|"
	              "__GFP_THISNODE|__GFP_RECLAIMABLE|__GFP_NOTRACK|__GFP_NO_KSWAPD|"
	              "__GFP_OTHER_NODE|__GFP_DMA|__GFP_DMA32|0x102000");
}

static void test_format_buffer_size(void **state)
{
	char small[8], buf[64];
	const char *want = "GFP_KERNEL|__GFP_COMP|__GFP_ZERO";
	gfp_t mask = GFP_KERNEL | __GFP_COMP | __GFP_ZERO;
	unsigned long need = strlen(want) + 1;

	(void)state;
	/* too short: -ENOSPC, and what fits is still a terminated string */
	assert_int_equal(gfp_format(GFP_HIGHUSER_MOVABLE, small, sizeof(small)), -ENOSPC);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, "GFP_HIG", sizeof(small));
	/* exactly enough, and one byte less */
	assert_int_equal(gfp_format(mask, buf, need), 0);
	assert_string_equal(buf, want);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(gfp_format(mask, buf, need - 1), -ENOSPC);
	assert_int_equal(strlen(buf), need - 2);
	/* a cut at the separator */
	assert_int_equal(gfp_format(mask, buf, strlen("GFP_KERNEL") + 1), -ENOSPC);
	assert_string_equal(buf, "GFP_KERNEL");
	/* GFP_NOWAIT needs 11 bytes */
	assert_int_equal(gfp_format(0, buf, 11), 0);
	assert_string_equal(buf, "GFP_NOWAIT");
	assert_int_equal(gfp_format(0, buf, 10), -ENOSPC);
	/* no room at all */
	buf[0] = 'x';
	assert_int_equal(gfp_format(GFP_KERNEL, buf, 0), -EINVAL);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(gfp_format(GFP_KERNEL, buf, 1), -ENOSPC);
	assert_string_equal(buf, "");
}

static void expect_parse(const char *s, gfp_t want)
{
	gfp_t g = 0xdeadbeef;

	if (gfp_parse(s, &g)) {
		print_error("gfp_parse(\"%s\") failed\n", s);
		fail();
	}
	assert_int_equal(g, want);
}

static void expect_parse_error(const char *s)
{
	gfp_t g = 77;

	assert_int_equal(gfp_parse(s, &g), -EINVAL);
	assert_int_equal(g, 77); /* untouched on error */
}

static void test_parse(void **state)
{
	(void)state;
	expect_parse("GFP_KERNEL", 0xd0);
	expect_parse("0xd0", 0xd0);
	expect_parse("0XD0", 0xd0);
	expect_parse("208", 0xd0);
	expect_parse("0", 0);
	expect_parse("0xffffff", __GFP_BITS_MASK);
	expect_parse("GFP_NOWAIT", 0);
	expect_parse("GFP_ATOMIC", 0x20);
	expect_parse("GFP_NOIO", 0x10);
	expect_parse("GFP_NOFS", 0x50);
	expect_parse("GFP_USER", 0x200d0);
	expect_parse("GFP_HIGHUSER", 0x200d2);
	expect_parse("GFP_HIGHUSER_MOVABLE", 0x200da);
	expect_parse("GFP_TEMPORARY", 0x800d0);
	/* aliases accepted on input */
	expect_parse("GFP_DMA", 0x01);
	expect_parse("GFP_DMA32", 0x04);
	expect_parse("GFP_THISNODE", 0x41200);
	expect_parse("GFP_IOFS", 0xc0);
	/* single flags */
	expect_parse("__GFP_HIGHMEM", 0x02);
	expect_parse("__GFP_MOVABLE", 0x08);
	expect_parse("__GFP_WAIT", 0x10);
	expect_parse("__GFP_FS", 0x80);
	expect_parse("__GFP_NOFAIL", 0x800);
	expect_parse("__GFP_OTHER_NODE", 0x800000);
	/* mixes, with blanks around the bars */
	expect_parse("GFP_KERNEL|__GFP_COMP", 0x40d0);
	expect_parse(" GFP_ATOMIC | __GFP_COMP ", 0x4020);
	expect_parse("\tGFP_KERNEL\t|\t__GFP_ZERO\t", 0x80d0);
	expect_parse("GFP_DMA|0x100", 0x101);
	expect_parse("GFP_KERNEL | 0x8000 | 16384", 0xc0d0);
	expect_parse("GFP_KERNEL|GFP_KERNEL", 0xd0); /* repeats are harmless */
	/* parse does not validate: that is gfp_check's job */
	expect_parse("__GFP_MOVABLE|__GFP_RECLAIMABLE", 0x80008);
	expect_parse("0x2000", 0x2000);
	/* rejects */
	expect_parse_error("");
	expect_parse_error(" ");
	expect_parse_error(NULL);
	expect_parse_error("GFP_BOGUS");
	expect_parse_error("gfp_kernel"); /* names are case-sensitive */
	expect_parse_error("GFP_KERNELX");
	expect_parse_error("GFP_KERNE");
	expect_parse_error("0x1000000");
	expect_parse_error("16777216");
	expect_parse_error("GFP_KERNEL|");
	expect_parse_error("|GFP_KERNEL");
	expect_parse_error("GFP_KERNEL||__GFP_ZERO");
	expect_parse_error("GFP_KERNEL | ");
	expect_parse_error("|");
	expect_parse_error("GFP_KERNEL __GFP_ZERO");
	expect_parse_error("GFP_KERNEL,__GFP_ZERO");
	expect_parse_error("-1");
	expect_parse_error("+1");
	expect_parse_error("0x");
	expect_parse_error("0x10zz");
	expect_parse_error("12 34");
	expect_parse_error("99999999999999999999999");
	expect_parse_error("000000000000000000000000000000000208");
}

/* parse(format(x)) == x */
static void expect_round_trip(gfp_t mask)
{
	char buf[512];
	gfp_t g = ~0u;

	assert_int_equal(gfp_format(mask, buf, sizeof(buf)), 0);
	if (gfp_parse(buf, &g) || g != mask) {
		print_error("0x%x -> \"%s\" -> 0x%x\n", mask, buf, g);
		fail();
	}
}

static void test_round_trip(void **state)
{
	static const gfp_t masks[] = {0,
	                              GFP_KERNEL,
	                              GFP_ATOMIC | __GFP_COLD,
	                              GFP_HIGHUSER_MOVABLE | __GFP_ZERO,
	                              GFP_NOFS | __GFP_RECLAIMABLE,
	                              GFP_THISNODE | GFP_DMA,
	                              GFP_TEMPORARY | __GFP_HARDWALL,
	                              __GFP_DMA32 | __GFP_NO_KSWAPD | __GFP_OTHER_NODE,
	                              __GFP_BITS_MASK};
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		expect_round_trip(masks[i]);
	/* every bit and every pair of bits */
	for (unsigned int a = 0; a < __GFP_BITS_SHIFT; a++)
		for (unsigned int b = a; b < __GFP_BITS_SHIFT; b++)
			expect_round_trip((1u << a) | (1u << b));
	/* and a spread of arbitrary masks */
	for (int i = 0; i < 20000; i++) {
		x = x * 1103515245u + 12345u;
		expect_round_trip((x >> 4) & __GFP_BITS_MASK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bit_values),      cmocka_unit_test(test_composite_values),
	    cmocka_unit_test(test_zone_kind_table), cmocka_unit_test(test_zone_table),
	    cmocka_unit_test(test_check),           cmocka_unit_test(test_migratetype),
	    cmocka_unit_test(test_format),          cmocka_unit_test(test_format_buffer_size),
	    cmocka_unit_test(test_parse),           cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
