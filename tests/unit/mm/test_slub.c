/*
 * test_slub.c - the boot caches and /proc/slabinfo (slub.c): the caches a
 * 3.2 SLUB kernel creates, in its list order, with the geometry its
 * slabinfo shows (the dma-kmalloc rows, empty on a real machine too, are
 * byte-identical), and kmalloc's size classes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "mm_test.h"

static char *golden_text(const char *dir)
{
	char path[512];
	FILE *f;
	char *buf = calloc(1, 65536);

	snprintf(path, sizeof(path), "%s/%s/slabinfo.txt", MMSIM_GOLDEN_DIR, dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

/* The golden line for cache `name`, or NULL. */
static const char *golden_line(const char *text, const char *name, size_t *len)
{
	for (const char *p = text; *p; p += strcspn(p, "\n") + 1) {
		size_t n = strlen(name);

		if (!strncmp(p, name, n) && p[n] == ' ') {
			*len = strcspn(p, "\n");
			return p;
		}
		if (!p[strcspn(p, "\n")])
			break;
	}
	return NULL;
}

/* Every one of our rows is in the golden file, in the same relative order;
 * dma rows byte for byte, the rest from the objsize column on. */
static void check_against(struct machine *m, const char *dir)
{
	struct sbuf sb = SBUF_INIT;
	char *g = golden_text(dir);
	const char *p, *last = g;
	int rows = 0;

	assert_int_equal(proc_slabinfo(m, &sb), 0);
	p = sbuf_cstr(&sb);
	/* the two header lines are identical */
	assert_memory_equal(p, g, strcspn(g, "\n") + 1);
	for (p += strcspn(p, "\n") + 1, p += strcspn(p, "\n") + 1; *p; p += strcspn(p, "\n") + 1) {
		char name[64];
		size_t len, mine = strcspn(p, "\n");
		const char *gl;

		assert_int_equal(sscanf(p, "%63s", name), 1);
		gl = golden_line(g, name, &len);
		assert_non_null(gl);
		assert_true(gl > last); /* same order */
		last = gl;
		assert_int_equal(len, mine);
		if (!strncmp(name, "dma-", 4))
			assert_memory_equal(p, gl, len);
		else
			assert_memory_equal(p + 32, gl + 32, 22); /* objsize, objperslab, pages */
		rows++;
	}
	assert_int_equal(rows, 28);
	free(g);
	sbuf_free(&sb);
}

static void test_slabinfo_matches_golden(void **state)
{
	struct machine *a = boot_ini(NULL), *k;

	(void)state;
	check_against(a, "a-1G-smp4-numa2");
	k = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n");
	check_against(k, "k-i386-2G-smp2");
	machine_destroy(a);
	machine_destroy(k);
}

static void test_kmalloc_classes(void **state)
{
	struct machine *m = boot_ini(NULL);
	static const struct {
		size_t size;
		const char *cache;
	} cases[] = {{1, "kmalloc-8"},     {8, "kmalloc-8"},       {9, "kmalloc-16"},
	             {64, "kmalloc-64"},   {65, "kmalloc-96"},     {96, "kmalloc-96"},
	             {97, "kmalloc-128"},  {100, "kmalloc-128"},   {129, "kmalloc-192"},
	             {193, "kmalloc-256"}, {1000, "kmalloc-1024"}, {8192, "kmalloc-8192"}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(kmalloc_cache(m, cases[i].size, GFP_KERNEL)->name,
		                    cases[i].cache);
	assert_string_equal(kmalloc_cache(m, 100, GFP_KERNEL | GFP_DMA)->name, "dma-kmalloc-128");
	/* larger requests go to the page allocator */
	assert_null(kmalloc_cache(m, 8193, GFP_KERNEL));
	assert_null(kmem_cache_find(m, "nope"));
	assert_int_equal(kmem_cache_find(m, "kmem_cache_node")->l.size, 64);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_slabinfo_matches_golden),
	    cmocka_unit_test(test_kmalloc_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
