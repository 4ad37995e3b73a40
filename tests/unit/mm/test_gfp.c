/*
 * test_gfp.c - GFP masks (gfp.c): kernel values, the zone table on both
 * arches, validation of masks from outside, names in and out.
 */
#include <string.h>

#include "mm/internal.h"
#include "mm_test.h"

static void test_composite_values(void **state)
{
	(void)state;
	assert_int_equal(GFP_ATOMIC, 0x20);
	assert_int_equal(GFP_NOWAIT, 0);
	assert_int_equal(GFP_NOIO, 0x10);
	assert_int_equal(GFP_NOFS, 0x50);
	assert_int_equal(GFP_KERNEL, 0xd0);
	assert_int_equal(GFP_USER, 0x200d0);
	assert_int_equal(GFP_HIGHUSER, 0x200d2);
	assert_int_equal(GFP_HIGHUSER_MOVABLE, 0x200da);
	assert_int_equal(GFP_THISNODE, 0x41200);
}

/* zone index for each of the 16 zone-bit combinations; -1 = GFP_ZONE_BAD */
static const int x86_64_zones[16] = {2, 0, 2, -1, 1, -1, -1, -1, 2, 0, 3, -1, 1, -1, -1, -1};
static const int i386_zones[16] = {1, 0, 2, -1, 1, -1, -1, -1, 1, 0, 3, -1, 1, -1, -1, -1};

static void check_zone_table(const char *ini, const int *want)
{
	struct machine *m = boot_ini(ini);

	for (gfp_t bits = 0; bits < 16; bits++) {
		int z = gfp_zone(m, bits | GFP_KERNEL);

		assert_int_equal(z, want[bits] < 0 ? -EINVAL : want[bits]);
		assert_int_equal(gfp_check(bits | GFP_KERNEL) == 0, want[bits] >= 0);
	}
	machine_destroy(m);
}

static void test_zone_table(void **state)
{
	(void)state;
	check_zone_table(NULL, x86_64_zones);
	check_zone_table("[machine]\narch = i386\n[node.0]\nmemory = 64M\ncpus = 1\n", i386_zones);
	assert_int_equal(gfp_zone_kind(__GFP_MOVABLE | __GFP_HIGHMEM), ZK_MOVABLE);
	assert_int_equal(gfp_zone_kind(__GFP_MOVABLE), ZK_NORMAL);
	assert_int_equal(gfp_zone_kind(__GFP_DMA | __GFP_DMA32), ZK_BAD);
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(gfp_check(GFP_HIGHUSER_MOVABLE), 0);
	assert_int_equal(gfp_check(GFP_ATOMIC | __GFP_COMP | __GFP_ZERO), 0);
	assert_int_equal(gfp_check(1u << 24), -EINVAL);
	assert_int_equal(gfp_check(0x80000000u), -EINVAL);
	assert_int_equal(gfp_check(0x2000), -EINVAL);
	assert_int_equal(gfp_check(0x100000), -EINVAL);
	assert_int_equal(gfp_check(__GFP_MOVABLE | __GFP_RECLAIMABLE), -EINVAL);
	assert_int_equal(gfp_check(__GFP_DMA32 | __GFP_HIGHMEM), -EINVAL);
}

static void test_migratetype(void **state)
{
	(void)state;
	assert_int_equal(allocflags_to_migratetype(GFP_KERNEL, false), MIGRATE_UNMOVABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_TEMPORARY, false), MIGRATE_RECLAIMABLE);
	assert_int_equal(allocflags_to_migratetype(GFP_HIGHUSER_MOVABLE, false), MIGRATE_MOVABLE);
	/* without grouping by mobility everything is Unmovable */
	assert_int_equal(allocflags_to_migratetype(GFP_HIGHUSER_MOVABLE, true), MIGRATE_UNMOVABLE);
}

static void expect_format(gfp_t mask, const char *want)
{
	char buf[256];

	assert_int_equal(gfp_format(mask, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_format(void **state)
{
	char small[8];

	(void)state;
	expect_format(GFP_KERNEL, "GFP_KERNEL");
	expect_format(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE");
	expect_format(GFP_ATOMIC, "GFP_ATOMIC");
	expect_format(0, "GFP_NOWAIT");
	expect_format(GFP_KERNEL | __GFP_ZERO | __GFP_COMP, "GFP_KERNEL|__GFP_COMP|__GFP_ZERO");
	expect_format(__GFP_DMA | GFP_KERNEL, "GFP_KERNEL|__GFP_DMA");
	expect_format(GFP_THISNODE, "__GFP_NOWARN|__GFP_NORETRY|__GFP_THISNODE");
	expect_format(0x1000000 | GFP_ATOMIC, "GFP_ATOMIC|0x1000000");
	assert_int_equal(gfp_format(GFP_HIGHUSER_MOVABLE, small, sizeof(small)), -ENOSPC);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void test_parse(void **state)
{
	static const gfp_t masks[] = {0,
	                              GFP_KERNEL,
	                              GFP_ATOMIC | __GFP_COLD,
	                              GFP_HIGHUSER_MOVABLE | __GFP_ZERO,
	                              GFP_NOFS | __GFP_RECLAIMABLE,
	                              GFP_THISNODE | GFP_DMA,
	                              __GFP_DMA32 | __GFP_NO_KSWAPD | __GFP_OTHER_NODE};
	gfp_t g;
	char buf[256];

	(void)state;
	assert_int_equal(gfp_parse("GFP_KERNEL", &g), 0);
	assert_int_equal(g, 0xd0);
	assert_int_equal(gfp_parse("0xd0", &g), 0);
	assert_int_equal(g, 0xd0);
	assert_int_equal(gfp_parse("208", &g), 0);
	assert_int_equal(g, 0xd0);
	assert_int_equal(gfp_parse(" GFP_ATOMIC | __GFP_COMP ", &g), 0);
	assert_int_equal(g, 0x4020);
	assert_int_equal(gfp_parse("GFP_DMA|0x100", &g), 0);
	assert_int_equal(g, 0x101);
	assert_int_equal(gfp_parse("GFP_NOWAIT", &g), 0);
	assert_int_equal(g, 0);
	g = 77;
	assert_int_equal(gfp_parse("", &g), -EINVAL);
	assert_int_equal(gfp_parse(NULL, &g), -EINVAL);
	assert_int_equal(gfp_parse("GFP_BOGUS", &g), -EINVAL);
	assert_int_equal(gfp_parse("0x1000000", &g), -EINVAL);
	assert_int_equal(gfp_parse("GFP_KERNEL|", &g), -EINVAL);
	assert_int_equal(gfp_parse("|", &g), -EINVAL);
	assert_int_equal(gfp_parse("-1", &g), -EINVAL);
	assert_int_equal(gfp_parse("0x10zz", &g), -EINVAL);
	assert_int_equal(gfp_parse("99999999999999999999999", &g), -EINVAL);
	assert_int_equal(g, 77); /* untouched on error */
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		assert_int_equal(gfp_format(masks[i], buf, sizeof(buf)), 0);
		assert_int_equal(gfp_parse(buf, &g), 0);
		assert_int_equal(g, masks[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_composite_values),
	    cmocka_unit_test(test_zone_table),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_migratetype),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
