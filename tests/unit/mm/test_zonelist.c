/*
 * test_zonelist.c - fallback orders (zonelist.c): node and zone order, the
 * default choice between them, node ranking by distance with the
 * round-robin load term, __GFP_THISNODE lists, zone_reclaim_mode.
 */
#include <stdio.h>
#include <string.h>

#include "mm/internal.h"
#include "mm_test.h"

/* The zonelist as "n0:DMA32 n0:DMA n1:DMA32". */
static const char *describe(const struct zonelist *zl, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (const struct zoneref *z = zl->_zonerefs; z->zone && used < len; z++)
		used += (size_t)snprintf(buf + used, len - used, "%sn%d:%s", used ? " " : "",
		                         z->zone->node, z->zone->name);
	return buf;
}

#define assert_zonelist(m, nid, i, want)                                                           \
	do {                                                                                       \
		char buf_[512];                                                                    \
		assert_string_equal(                                                               \
		    describe(&(m)->node_data[nid].node_zonelists[i], buf_, sizeof(buf_)), want);   \
	} while (0)

static void test_default_node_order(void **state)
{
	struct machine *m = boot_ini(NULL);

	(void)state;
	assert_zonelist(m, 0, 0, "n0:DMA32 n0:DMA n1:DMA32");
	assert_zonelist(m, 1, 0, "n1:DMA32 n0:DMA32 n0:DMA");
	assert_zonelist(m, 0, 1, "n0:DMA32 n0:DMA");
	assert_zonelist(m, 1, 1, "n1:DMA32");
	machine_destroy(m);
}

/* Normal everywhere and small low zones: zone order spares DMA32 and DMA. */
static void test_zone_order_chosen(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 4G\ncpus = 1\n"
	                             "[node.1]\nmemory = 4G\ncpus = 1\n");

	(void)state;
	/* node 0 holds 3G of DMA32 of 4G: more than 70% lowmem on a big node */
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_NODE);
	machine_destroy(m);
	m = boot_ini("[node.0]\nmemory = 8G\ncpus = 1\n[node.1]\nmemory = 8G\ncpus = 1\n");
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_ZONE);
	assert_zonelist(m, 0, 0, "n0:Normal n1:Normal n0:DMA32 n0:DMA");
	assert_zonelist(m, 1, 0, "n1:Normal n0:Normal n0:DMA32 n0:DMA");
	assert_zonelist(m, 1, 1, "n1:Normal");
	machine_destroy(m);
}

/* Four equidistant nodes: the load term rotates the second choice. */
static void test_round_robin(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 64M\ncpus = 1\n"
	                             "[node.1]\nmemory = 64M\ncpus = 1\n"
	                             "[node.2]\nmemory = 64M\ncpus = 1\n"
	                             "[node.3]\nmemory = 64M\ncpus = 1\n");

	(void)state;
	assert_zonelist(m, 1, 0, "n1:DMA32 n2:DMA32 n3:DMA32 n0:DMA32 n0:DMA");
	assert_zonelist(m, 2, 0, "n2:DMA32 n3:DMA32 n0:DMA32 n0:DMA n1:DMA32");
	assert_zonelist(m, 3, 0, "n3:DMA32 n0:DMA32 n0:DMA n1:DMA32 n2:DMA32");
	assert_int_equal(m->zone_reclaim_mode, 0);
	machine_destroy(m);
}

/* Distances rank nodes; one beyond RECLAIM_DISTANCE turns on zone_reclaim_mode. */
static void test_distances(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 64M\ncpus = 1\n"
	                             "[node.1]\nmemory = 64M\ncpus = 1\n"
	                             "[node.2]\nmemory = 64M\ncpus = 0\n"
	                             "[distance]\n0 = 10 40 15\n1 = 40 10 25\n2 = 15 25 10\n");

	(void)state;
	assert_zonelist(m, 0, 0, "n0:DMA32 n0:DMA n2:DMA32 n1:DMA32");
	assert_zonelist(m, 1, 0, "n1:DMA32 n2:DMA32 n0:DMA32 n0:DMA");
	assert_int_equal(m->zone_reclaim_mode, 1);
	machine_destroy(m);
}

/* A memoryless-CPU node is preferred over an equally far node with CPUs. */
static void test_headless_node_preferred(void **state)
{
	struct machine *m = boot_ini("[node.0]\nmemory = 64M\ncpus = 1\n"
	                             "[node.1]\nmemory = 64M\ncpus = 1\n"
	                             "[node.2]\nmemory = 64M\ncpus = 0\n");

	(void)state;
	assert_zonelist(m, 0, 0, "n0:DMA32 n0:DMA n2:DMA32 n1:DMA32");
	machine_destroy(m);
}

/* i386 is not NUMA: one zonelist, zone order. */
static void test_i386_single_list(void **state)
{
	struct machine *m = boot_ini("[machine]\narch = i386\n[node.0]\nmemory = 2G\ncpus = 2\n");

	(void)state;
	assert_int_equal(m->current_zonelist_order, ZONELIST_ORDER_ZONE);
	assert_zonelist(m, 0, 0, "n0:HighMem n0:Normal n0:DMA");
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_node_order),
	    cmocka_unit_test(test_zone_order_chosen),
	    cmocka_unit_test(test_round_robin),
	    cmocka_unit_test(test_distances),
	    cmocka_unit_test(test_headless_node_preferred),
	    cmocka_unit_test(test_i386_single_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
