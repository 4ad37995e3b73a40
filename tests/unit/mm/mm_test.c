/*
 * mm_test.c - shared helpers of the engine tests (mm_test.h).
 */
#include <stdio.h>
#include <string.h>

#include "mm/mm_check.h"
#include "mm_test.h"

struct machine *boot_ini(const char *ini)
{
	struct machine_config cfg;
	struct machine *m;
	char err[256] = "";

	if (ini) {
		if (machine_config_parse(&cfg, ini, err, sizeof(err))) {
			print_error("config: %s\n", err);
			fail();
		}
	} else {
		machine_config_default(&cfg);
	}
	m = machine_create(&cfg, err, sizeof(err));
	if (!m) {
		print_error("machine_create: %s\n", err);
		fail();
	}
	m->debug_vm = true;
	return m;
}

void assert_invariants_at(const struct machine *m, const char *file, int line)
{
	char err[512] = "";

	if (check_machine(m, err, sizeof(err))) {
		print_error("%s:%d: invariant: %s\n", file, line, err);
		fail();
	}
}

struct zone *zone_named(struct machine *m, int nid, const char *name)
{
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		struct zone *z = &m->node_data[nid].node_zones[j];

		if (!strcmp(z->name, name))
			return z;
	}
	return NULL;
}

unsigned long buddy_free_pages(const struct zone *z)
{
	unsigned long n = 0;

	for (int o = 0; o < MAX_ORDER; o++)
		n += z->free_area[o].nr_free << o;
	return n;
}

unsigned long ref_int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}
