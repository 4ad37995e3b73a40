/*
 * test_stress.c - a seeded random walk of alloc/free operations of mixed
 * orders, GFP masks, nodes and CPUs, with the whole-machine invariant check
 * (mm_check.c) after every step, and a final free-everything that must
 * give back exactly the boot state.
 *
 * The machine is small (two 16 MiB nodes, four CPUs) so the per-step
 * check, which walks every frame, stays fast while zones still run dry and
 * the fallback, reserve and failure paths get exercised.
 */
#include <string.h>

#include "mm/internal.h"
#include "mm/mm_check.h"
#include "mm_test.h"

#define MAX_HELD 16384

struct held {
	unsigned long pfn;
	unsigned int order;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic for a given seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static const gfp_t masks[] = {
    GFP_KERNEL,
    GFP_ATOMIC,
    GFP_NOWAIT,
    GFP_KERNEL | GFP_DMA,
    GFP_HIGHUSER_MOVABLE,
    GFP_KERNEL | __GFP_RECLAIMABLE,
    GFP_USER | __GFP_COLD,
    GFP_KERNEL | __GFP_COMP,
    GFP_ATOMIC | GFP_DMA32,
    GFP_HIGHUSER | GFP_THISNODE,
};

static unsigned int random_order(void)
{
	uint64_t r = rnd() % 100;

	/* mostly small, like a kernel's requests, with the odd big one */
	return r < 60   ? 0
	       : r < 80 ? 1
	       : r < 92 ? (unsigned int)(2 + rnd() % 2)
	                : (unsigned int)(4 + rnd() % 7);
}

static int step(struct machine *m, struct held *h, int *nheld)
{
	machine_set_cpu(m, (int)(rnd() % (uint64_t)m->nr_cpus));
	if (*nheld && (rnd() % 100 < 45 || *nheld == MAX_HELD)) {
		int i = (int)(rnd() % (uint64_t)*nheld);

		assert_int_equal(machine_free_pages(m, h[i].pfn, h[i].order), 0);
		h[i] = h[--*nheld];
		return 0;
	}
	if (rnd() % 50 == 0) {
		drain_all_pages(m);
		return 0;
	}
	{
		gfp_t gfp = masks[rnd() % (sizeof(masks) / sizeof(masks[0]))];
		unsigned int order = random_order();
		int nid = (int)(rnd() % (uint64_t)(m->nr_nodes + 1)) - 1;
		unsigned long pfn;
		int rc = machine_alloc_pages(m, gfp, order, nid, &pfn);

		assert_true(rc == 0 || rc == -ENOMEM);
		if (rc == 0)
			h[(*nheld)++] = (struct held){pfn, order};
		return rc;
	}
}

static void run_walk(const char *ini, uint64_t seed, int steps)
{
	static struct held h[MAX_HELD];
	struct machine *m = boot_ini(ini);
	unsigned long nr_free[MAX_NUMNODES * MAX_NR_ZONES][MAX_ORDER];
	int nheld = 0, failures = 0;

	for (int id = 0; id < m->nr_zone_ids; id++)
		for (int o = 0; o < MAX_ORDER; o++)
			nr_free[id][o] = m->zones[id]->free_area[o].nr_free;
	rng_state = seed;
	for (int i = 0; i < steps; i++) {
		failures += step(m, h, &nheld) != 0;
		assert_invariants(m);
	}
	/* the walk must have run memory dry sometimes, or it tested little */
	assert_true(failures > 0);
	while (nheld) {
		nheld--;
		assert_int_equal(machine_free_pages(m, h[nheld].pfn, h[nheld].order), 0);
	}
	drain_all_pages(m);
	assert_invariants(m);
	for (int id = 0; id < m->nr_zone_ids; id++) {
		assert_int_equal(zone_page_state(m->zones[id], NR_FREE_PAGES),
		                 m->zones[id]->present_pages);
		for (int o = 0; o < MAX_ORDER; o++)
			assert_int_equal(m->zones[id]->free_area[o].nr_free, nr_free[id][o]);
	}
	machine_destroy(m);
}

static void test_random_walk_x86_64(void **state)
{
	(void)state;
	run_walk("[node.0]\nmemory = 16M\ncpus = 2\n[node.1]\nmemory = 16M\ncpus = 2\n", 42,
	         100000);
}

static void test_random_walk_i386(void **state)
{
	(void)state;
	run_walk("[machine]\narch = i386\n[node.0]\nmemory = 32M\ncpus = 2\n", 7, 20000);
}

/* The same seed gives the same machine, frame for frame. */
static void test_deterministic(void **state)
{
	static struct held h[MAX_HELD];
	const char *ini = "[node.0]\nmemory = 16M\ncpus = 2\n[node.1]\nmemory = 16M\ncpus = 2\n";
	struct machine *a = boot_ini(ini), *b = boot_ini(ini);
	int n;

	(void)state;
	for (int run = 0; run < 2; run++) {
		struct machine *m = run ? b : a;

		rng_state = 99;
		n = 0;
		for (int i = 0; i < 5000; i++)
			step(m, h, &n);
	}
	assert_memory_equal(a->mem_map, b->mem_map, a->nr_map * sizeof(struct page));
	assert_memory_equal(a->vm_events, b->vm_events, sizeof(a->vm_events));
	machine_destroy(a);
	machine_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_walk_x86_64),
	    cmocka_unit_test(test_random_walk_i386),
	    cmocka_unit_test(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
