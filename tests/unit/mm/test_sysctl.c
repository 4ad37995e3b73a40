/*
 * test_sysctl.c - vm sysctls (sysctl.c): their text, their validation, and
 * that a write recomputes what the kernel's handler recomputes.
 */
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/sysctl.h"
#include "mm_test.h"

static void expect_read(struct machine *m, const char *name, const char *want)
{
	struct sbuf sb = SBUF_INIT;

	assert_int_equal(sysctl_read(m, name, &sb), 0);
	assert_string_equal(sbuf_cstr(&sb), want);
	sbuf_free(&sb);
}

static void test_read_defaults(void **state)
{
	struct machine *m = boot_ini(NULL), *k;

	(void)state;
	expect_read(m, "vm.min_free_kbytes", "4062\n");
	expect_read(m, "min_free_kbytes", "4062\n");
	expect_read(m, "/proc/sys/vm/min_free_kbytes", "4062\n");
	expect_read(m, "vm.lowmem_reserve_ratio", "256\t256\t32\n");
	expect_read(m, "vm.percpu_pagelist_fraction", "0\n");
	expect_read(m, "vm.numa_zonelist_order", "default\n");
	k = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 64M\ncpus = 1\n");
	expect_read(k, "vm.lowmem_reserve_ratio", "256\t32\t32\n");
	{
		struct sbuf sb = SBUF_INIT;

		assert_int_equal(sysctl_read(k, "vm.numa_zonelist_order", &sb), -ENOENT);
		assert_int_equal(sysctl_read(m, "vm.bogus", &sb), -ENOENT);
		assert_int_equal(sysctl_write(m, "vm.bogus", "1"), -ENOENT);
		sbuf_free(&sb);
	}
	assert_string_equal(sysctl_name(0), "lowmem_reserve_ratio");
	assert_null(sysctl_name(100));
	machine_destroy(k);
	machine_destroy(m);
}

/* Watermarks as setup_per_zone_wmarks computes them from min_free_kbytes. */
static void expect_wmarks(struct machine *m, unsigned long kb)
{
	unsigned long pages_min = kb / 4, lowmem = 0;

	for (int id = 0; id < m->nr_zone_ids; id++)
		lowmem += m->zones[id]->present_pages;
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *z = m->zones[id];
		unsigned long tmp = pages_min * z->present_pages / lowmem;
		unsigned long want_reserve = (tmp + 511) / 512, n = 0;

		assert_int_equal(min_wmark_pages(z), tmp);
		assert_int_equal(low_wmark_pages(z), tmp + tmp / 4);
		assert_int_equal(high_wmark_pages(z), tmp + tmp / 2);
		if (!populated_zone(z))
			continue;
		for (unsigned long pfn = z->zone_start_pfn;
		     pfn < z->zone_start_pfn + z->spanned_pages; pfn += 512)
			n += get_pageblock_migratetype(z, pfn) == MIGRATE_RESERVE;
		assert_int_equal(n, want_reserve > 2 ? 2 : want_reserve);
	}
}

static void test_min_free_kbytes(void **state)
{
	struct machine *m = boot_ini(NULL);

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "8000"), 0);
	expect_read(m, "vm.min_free_kbytes", "8000\n");
	expect_wmarks(m, 8000);
	assert_invariants(m);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "400000\n"), 0);
	expect_wmarks(m, 400000);
	assert_invariants(m);
	/* and back: the extra Reserve blocks are returned */
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "4062"), 0);
	expect_wmarks(m, 4062);
	assert_invariants(m);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "-1"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "abc"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "1 2"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", ""), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "12x"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", "99999999999"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.min_free_kbytes", NULL), -EINVAL);
	expect_read(m, "vm.min_free_kbytes", "4062\n");
	expect_wmarks(m, 4062);
	machine_destroy(m);
}

static void test_lowmem_reserve_ratio(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *dma = zone_named(m, 0, "DMA");
	unsigned long d32 = zone_named(m, 0, "DMA32")->present_pages;

	(void)state;
	assert_int_equal(dma->lowmem_reserve[1], d32 / 256);
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "128 128 16"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "128\t128\t16\n");
	assert_int_equal(dma->lowmem_reserve[1], d32 / 128);
	assert_int_equal(dma->lowmem_reserve[3], d32 / 128);
	/* a partial write changes the first values only */
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "64"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "64\t128\t16\n");
	/* values below 1 are taken as 1, and read back so */
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "0\t-5"), 0);
	expect_read(m, "vm.lowmem_reserve_ratio", "1\t1\t16\n");
	assert_int_equal(dma->lowmem_reserve[1], d32);
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "1 2 3 4"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.lowmem_reserve_ratio", "x"), -EINVAL);
	expect_read(m, "vm.lowmem_reserve_ratio", "1\t1\t16\n");
	/* totalreserve_pages follows: high + largest reserve, capped at present */
	calculate_totalreserve_pages(m);
	assert_true(m->totalreserve_pages >= dma->present_pages);
	assert_invariants(m);
	machine_destroy(m);
}

static void test_percpu_pagelist_fraction(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 1, "DMA32");

	(void)state;
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "7"), -EINVAL);
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "0"), -EINVAL);
	expect_read(m, "vm.percpu_pagelist_fraction", "0\n");
	assert_int_equal(z->pageset[0].pcp.high, 186);
	assert_int_equal(sysctl_write(m, "vm.percpu_pagelist_fraction", "2000"), 0);
	expect_read(m, "vm.percpu_pagelist_fraction", "2000\n");
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		assert_int_equal(z->pageset[cpu].pcp.high, 128992 / 2000);
		assert_int_equal(z->pageset[cpu].pcp.batch, 128992 / 2000 / 4);
	}
	assert_invariants(m);
	machine_destroy(m);
}

static const char *first_zones(struct machine *m, int nid, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (struct zoneref *z = m->node_data[nid].node_zonelists[0]._zonerefs; z->zone; z++)
		used += (size_t)snprintf(buf + used, len - used, "%sn%d:%s", used ? " " : "",
		                         z->zone->node, z->zone->name);
	return buf;
}

static void test_numa_zonelist_order(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct sbuf sb = SBUF_INIT;
	char buf[256];

	(void)state;
	assert_string_equal(first_zones(m, 0, buf, sizeof(buf)), "n0:DMA32 n0:DMA n1:DMA32");
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "zone\n"), 0);
	expect_read(m, "vm.numa_zonelist_order", "zone\n");
	assert_string_equal(first_zones(m, 0, buf, sizeof(buf)), "n0:DMA32 n1:DMA32 n0:DMA");
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "Node"), 0);
	expect_read(m, "vm.numa_zonelist_order", "Node\n");
	assert_string_equal(first_zones(m, 0, buf, sizeof(buf)), "n0:DMA32 n0:DMA n1:DMA32");
	/* a bad word is ignored with a log line, and the write still succeeds */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "bogus"), 0);
	expect_read(m, "vm.numa_zonelist_order", "Node\n");
	assert_int_equal(printk_read(&m->log, &sb), 0);
	assert_non_null(
	    strstr(sbuf_cstr(&sb), "Ignoring invalid numa_zonelist_order value:  bogus\n"));
	assert_non_null(strstr(sbuf_cstr(&sb), "Built 2 zonelists in Zone order"));
	/* the kernel keeps what fits in its 16-byte buffer */
	assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", "zzzzzzzzzzzzzzzzzzzzzzzz"), 0);
	expect_read(m, "vm.numa_zonelist_order", "zzzzzzzzzzzzzzz\n");
	{
		char big[SYSCTL_MAX_WRITE + 2];

		memset(big, 'n', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		assert_int_equal(sysctl_write(m, "vm.numa_zonelist_order", big), -EINVAL);
	}
	sbuf_free(&sb);
	assert_invariants(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_defaults),
	    cmocka_unit_test(test_min_free_kbytes),
	    cmocka_unit_test(test_lowmem_reserve_ratio),
	    cmocka_unit_test(test_percpu_pagelist_fraction),
	    cmocka_unit_test(test_numa_zonelist_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
