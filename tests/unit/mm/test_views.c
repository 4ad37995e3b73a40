/*
 * test_views.c - the /proc views (vmstat.c, meminfo.c, procfs.c).
 *
 * Two kinds of reference:
 *  - what a real 3.2.0 kernel printed for the same machine shape
 *    (tests/golden/<capture>/): every line must have the same labels and
 *    layout, and lines whose values follow from the machine's shape alone
 *    must be byte-identical.  Lines whose values depend on what the kernel
 *    had run ("volatile") are compared with their numbers masked.
 *  - mmsim's own output after a fixed request sequence
 *    (tests/golden/mmsim/), byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/sysctl.h"
#include "mm/vmstat.h"
#include "mm_test.h"

static const char *const all_volatile[] = {"", NULL}; /* an empty prefix matches all */
static const char *const none_volatile[] = {NULL};
#define ALL_VOLATILE  all_volatile
#define NONE_VOLATILE none_volatile

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Digits become one '#', runs of blanks one space: layout without values. */
static void mask_numbers(const char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] >= '0' && in[i] <= '9') {
			if (!o || out[o - 1] != '#')
				out[o++] = '#';
		} else if (in[i] == ' ') {
			if (!o || out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

static bool is_volatile(const char *line, size_t len, const char *const *prefixes)
{
	size_t skip = 0;

	while (len && *line == ' ')
		line++, len--;
	/* per-node files prefix every label with "Node <n> " */
	if (len > 5 && !strncmp(line, "Node ", 5)) {
		skip = 5;
		while (skip < len && line[skip] >= '0' && line[skip] <= '9')
			skip++;
		if (skip > 5 && skip < len && line[skip] == ' ')
			line += skip + 1, len -= skip + 1;
	}
	for (; *prefixes; prefixes++)
		if (strlen(*prefixes) <= len && !strncmp(line, *prefixes, strlen(*prefixes)))
			return true;
	return false;
}

static void compare_line(const char *what, int n, const char *a, size_t alen, const char *b,
                         size_t blen, const char *const *volatile_prefixes)
{
	char ma[512], mb[512];

	if (!is_volatile(b, blen, volatile_prefixes)) {
		if (alen != blen || memcmp(a, b, alen)) {
			print_error("%s line %d:\n  mmsim:  %.*s\n  golden: %.*s\n", what, n,
			            (int)alen, a, (int)blen, b);
			fail();
		}
		return;
	}
	assert_true(alen < sizeof(ma) && blen < sizeof(mb));
	mask_numbers(a, alen, ma);
	mask_numbers(b, blen, mb);
	if (strcmp(ma, mb)) {
		print_error("%s line %d layout:\n  mmsim:  %s\n  golden: %s\n", what, n, ma, mb);
		fail();
	}
}

/* Compare rendered text with a golden file, line by line. */
static void compare_text(const char *what, const char *text, const char *golden,
                         const char *const *volatile_prefixes)
{
	const char *a = text, *b = golden;
	int n = 1;

	while (*a && *b) {
		size_t alen = strcspn(a, "\n"), blen = strcspn(b, "\n");

		compare_line(what, n++, a, alen, b, blen, volatile_prefixes);
		a += alen + (a[alen] == '\n');
		b += blen + (b[blen] == '\n');
	}
	if (*a || *b) {
		print_error("%s: %s has extra lines from line %d\n", what, *a ? "mmsim" : "golden",
		            n);
		fail();
	}
}

static void check_view(struct machine *m, const char *dir, const char *path, const char *file,
                       const char *const *volatile_prefixes)
{
	char gpath[512];
	struct sbuf sb = SBUF_INIT;
	char *golden;

	snprintf(gpath, sizeof(gpath), "%s/%s/%s", MMSIM_GOLDEN_DIR, dir, file);
	golden = read_file(gpath);
	if (!golden) {
		print_error("cannot read %s\n", gpath);
		fail();
	}
	assert_int_equal(proc_render(m, path, &sb), 0);
	compare_text(gpath, sbuf_cstr(&sb), golden, volatile_prefixes);
	free(golden);
	sbuf_free(&sb);
}

static const char *const zoneinfo_volatile[] = {"pages free", "nr_", "numa_", "count:", NULL};
static const char *const meminfo_volatile[] = {
    "MemTotal",    "MemFree",     "Cached",       "Active",       "Inactive",
    "AnonPages",   "Mapped",      "Slab",         "SReclaimable", "SUnreclaim",
    "KernelStack", "CommitLimit", "Committed_AS", "VmallocUsed",  "VmallocChunk",
    "HighTotal",   "HighFree",    "LowTotal",     "LowFree",      NULL};
static const char *const pagetypeinfo_volatile[] = {"Node", NULL};
static const char *const node_meminfo_volatile[] = {
    "MemFree",     "MemUsed",    "Active", "Inactive",     "FilePages",  "Mapped", "AnonPages",
    "KernelStack", "PageTables", "Slab",   "SReclaimable", "SUnreclaim", NULL};

static void check_proc_views(struct machine *m, const char *dir)
{
	check_view(m, dir, "/proc/zoneinfo", "zoneinfo.txt", zoneinfo_volatile);
	check_view(m, dir, "/proc/buddyinfo", "buddyinfo.txt", ALL_VOLATILE);
	check_view(m, dir, "/proc/pagetypeinfo", "pagetypeinfo.txt", pagetypeinfo_volatile);
	check_view(m, dir, "/proc/vmstat", "vmstat.txt", ALL_VOLATILE);
	check_view(m, dir, "/proc/meminfo", "meminfo.txt", meminfo_volatile);
	check_view(m, dir, "/proc/sys/vm/min_free_kbytes", "sys_vm_min_free_kbytes.txt",
	           NONE_VOLATILE);
	check_view(m, dir, "/proc/sys/vm/lowmem_reserve_ratio", "sys_vm_lowmem_reserve_ratio.txt",
	           NONE_VOLATILE);
	check_view(m, dir, "/proc/sys/vm/percpu_pagelist_fraction",
	           "sys_vm_percpu_pagelist_fraction.txt", NONE_VOLATILE);
}

static void check_node_views(struct machine *m, const char *dir, int nid)
{
	static const char *const files[] = {"meminfo", "numastat", "vmstat", "distance", "cpulist"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[128], file[64];
		const char *const *vol = NONE_VOLATILE;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/%s", nid, files[i]);
		snprintf(file, sizeof(file), "node%d_%s.txt", nid, files[i]);
		if (!strcmp(files[i], "meminfo"))
			vol = node_meminfo_volatile;
		else if (!strcmp(files[i], "numastat") || !strcmp(files[i], "vmstat"))
			vol = ALL_VOLATILE;
		check_view(m, dir, path, file, vol);
	}
}

static void test_default_against_golden(void **state)
{
	struct machine *m = boot_ini(NULL);

	(void)state;
	check_proc_views(m, "a-1G-smp4-numa2");
	check_view(m, "a-1G-smp4-numa2", "/proc/sys/vm/numa_zonelist_order",
	           "sys_vm_numa_zonelist_order.txt", NONE_VOLATILE);
	check_node_views(m, "a-1G-smp4-numa2", 0);
	check_node_views(m, "a-1G-smp4-numa2", 1);
	machine_destroy(m);
}

static void test_6g_against_golden(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 6G\ncpus = 2\n");

	(void)state;
	check_proc_views(m, "c-6G-smp2");
	check_node_views(m, "c-6G-smp2", 0);
	machine_destroy(m);
}

static void test_i386_against_golden(void **state)
{
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n");
	struct sbuf sb = SBUF_INIT;

	(void)state;
	check_proc_views(m, "k-i386-2G-smp2");
	/* no NUMA: no node directory, no numa_zonelist_order */
	assert_int_equal(proc_render(m, "/sys/devices/system/node/node0/meminfo", &sb), -ENOENT);
	assert_int_equal(proc_render(m, "/proc/sys/vm/numa_zonelist_order", &sb), -ENOENT);
	sbuf_free(&sb);
	machine_destroy(m);
}

/*
 * An i386 machine whose RAM ends below the lowmem cap has a larger vmalloc
 * area: VMALLOC_START follows high_memory down while VMALLOC_END stays.
 * QEMU's 512 MiB map ends RAM at pfn 0x1ffe0, so 3.2 prints
 * 120 MiB + (0x377fe - 0x1ffe0) pages = 122880 + 385144 kB.
 */
static void test_i386_small_vmalloc(void **state)
{
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 512M\ncpus = 1\n");
	struct sbuf sb = SBUF_INIT;

	(void)state;
	assert_int_equal(m->max_pfn, 0x1ffe0);
	assert_int_equal(proc_render(m, "/proc/meminfo", &sb), 0);
	assert_non_null(strstr(sbuf_cstr(&sb), "\nVmallocTotal:     508024 kB\n"));
	assert_non_null(strstr(sbuf_cstr(&sb), "\nVmallocChunk:     508024 kB\n"));
	sbuf_free(&sb);
	machine_destroy(m);
}

/* A buffer refuses a write whose length would wrap, and stays usable. */
static void test_sbuf_overflow(void **state)
{
	struct sbuf sb = SBUF_INIT;

	(void)state;
	sbuf_puts(&sb, "abc");
	sbuf_write(&sb, "x", (size_t)-2);
	assert_int_equal(sbuf_status(&sb), -ENOMEM);
	assert_string_equal(sbuf_cstr(&sb), "abc");
	sbuf_reset(&sb);
	sbuf_printf(&sb, "%d", 42);
	assert_string_equal(sbuf_cstr(&sb), "42");
	assert_int_equal(sbuf_status(&sb), 0);
	sbuf_free(&sb);
}

/* A fixed sequence of requests on the default machine. */
static void run_known_sequence(struct machine *m)
{
	unsigned long pfn[100], p;

	for (int i = 0; i < 100; i++)
		assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 0, -1, &pfn[i]), 0);
	machine_set_cpu(m, 2);
	for (int i = 0; i < 10; i++)
		assert_int_equal(machine_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 3, -1, &p), 0);
	machine_set_cpu(m, 1);
	for (int i = 0; i < 5; i++)
		assert_int_equal(machine_alloc_pages(m, GFP_KERNEL | __GFP_RECLAIMABLE, 2, -1, &p),
		                 0);
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL | GFP_DMA, 1, -1, &p), 0);
	assert_int_equal(machine_alloc_pages(m, GFP_ATOMIC, 0, 1, &p), 0);
	machine_set_cpu(m, 0);
	for (int i = 0; i < 100; i += 2)
		assert_int_equal(machine_free_pages(m, pfn[i], 0), 0);
}

static void check_own_golden(struct machine *m, const char *path, const char *file)
{
	char gpath[512];
	struct sbuf sb = SBUF_INIT;
	char *golden;

	snprintf(gpath, sizeof(gpath), "%s/mmsim/%s", MMSIM_GOLDEN_DIR, file);
	assert_int_equal(proc_render(m, path, &sb), 0);
	if (getenv("MMSIM_UPDATE_GOLDEN")) {
		FILE *f = fopen(gpath, "wb");

		assert_non_null(f);
		fputs(sbuf_cstr(&sb), f);
		fclose(f);
	}
	golden = read_file(gpath);
	if (!golden) {
		print_error("cannot read %s\n", gpath);
		fail();
	}
	compare_text(gpath, sbuf_cstr(&sb), golden, NONE_VOLATILE);
	free(golden);
	sbuf_free(&sb);
}

static void test_known_state_byte_exact(void **state)
{
	struct machine *m = boot_ini(NULL);

	(void)state;
	run_known_sequence(m);
	assert_invariants(m);
	check_own_golden(m, "/proc/buddyinfo", "default-seq-buddyinfo.txt");
	check_own_golden(m, "/proc/pagetypeinfo", "default-seq-pagetypeinfo.txt");
	check_own_golden(m, "/proc/zoneinfo", "default-seq-zoneinfo.txt");
	check_own_golden(m, "/proc/vmstat", "default-seq-vmstat.txt");
	check_own_golden(m, "/proc/meminfo", "default-seq-meminfo.txt");
	check_own_golden(m, "/sys/devices/system/node/node1/numastat",
	                 "default-seq-node1-numastat.txt");
	machine_destroy(m);
}

/* Values in the views follow the state exactly. */
static void test_views_track_state(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct zone *z = zone_named(m, 0, "DMA32");
	struct sbuf sb = SBUF_INIT;
	unsigned long pfn;
	char want[128];

	(void)state;
	assert_int_equal(machine_alloc_pages(m, GFP_KERNEL, 3, -1, &pfn), 0);
	assert_int_equal(proc_render(m, "/proc/zoneinfo", &sb), 0);
	snprintf(want, sizeof(want), "Node 0, zone    DMA32\n  pages free     %lu\n",
	         z->present_pages - 8);
	assert_non_null(strstr(sbuf_cstr(&sb), want));
	sbuf_reset(&sb);
	assert_int_equal(proc_render(m, "/proc/vmstat", &sb), 0);
	assert_non_null(strstr(sbuf_cstr(&sb), "\npgalloc_dma32 8\npgalloc_normal 0\n"));
	assert_non_null(strstr(sbuf_cstr(&sb), "\nnuma_hit 1\n"));
	sbuf_reset(&sb);
	assert_int_equal(proc_render(m, "/proc/buddyinfo", &sb), 0);
	{
		/* the DMA32 line of node 0 lists exactly free_area[].nr_free */
		char line[256];
		int n = snprintf(line, sizeof(line), "Node 0, zone    DMA32 ");

		for (int o = 0; o < MAX_ORDER; o++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%6lu ",
			              z->free_area[o].nr_free);
		assert_non_null(strstr(sbuf_cstr(&sb), line));
	}
	sbuf_free(&sb);
	machine_destroy(m);
}

static void test_unknown_paths(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct sbuf sb = SBUF_INIT;

	(void)state;
	assert_int_equal(proc_render(m, "/proc/slabinfo2", &sb), -ENOENT);
	assert_int_equal(proc_render(m, "", &sb), -ENOENT);
	assert_int_equal(proc_render(m, NULL, &sb), -ENOENT);
	assert_int_equal(proc_render(m, "/sys/devices/system/node/node2/meminfo", &sb), -ENOENT);
	assert_int_equal(proc_render(m, "/sys/devices/system/node/node-1/meminfo", &sb), -ENOENT);
	assert_int_equal(proc_render(m, "/sys/devices/system/node/node0/bogus", &sb), -ENOENT);
	assert_int_equal(proc_render(m, "/sys/devices/system/node/node00000000001/meminfo", &sb),
	                 -ENOENT);
	assert_int_equal(proc_render(m, "/proc/sys/vm/nope", &sb), -ENOENT);
	assert_int_equal(sb.len, 0);
	sbuf_free(&sb);
	machine_destroy(m);
}

/* The log keeps the newest lines when it overflows. */
static void test_log_ring(void **state)
{
	struct machine *m = boot_ini(NULL);
	struct sbuf sb = SBUF_INIT;

	(void)state;
	for (int i = 0; i < 20000; i++)
		printk(m, "line %d", i);
	assert_int_equal(printk_read(&m->log, &sb), 0);
	assert_true(sb.len <= LOG_BUF_LEN);
	assert_null(strstr(sbuf_cstr(&sb), "Zone PFN ranges"));
	assert_non_null(strstr(sbuf_cstr(&sb), "\nline 19999\n"));
	/* it starts at a line boundary */
	assert_memory_equal(sbuf_cstr(&sb), "line ", 5);
	sbuf_free(&sb);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_against_golden),
	    cmocka_unit_test(test_6g_against_golden),
	    cmocka_unit_test(test_i386_against_golden),
	    cmocka_unit_test(test_i386_small_vmalloc),
	    cmocka_unit_test(test_sbuf_overflow),
	    cmocka_unit_test(test_known_state_byte_exact),
	    cmocka_unit_test(test_views_track_state),
	    cmocka_unit_test(test_unknown_paths),
	    cmocka_unit_test(test_log_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
