/*
 * bench_slab.c - the object allocators' fast paths beside glibc's.
 *
 * On the default machine it measures ns per kmem_cache_alloc+free pair on
 * a warm CPU slab (the pair SLUB's fast path serves), ns per kmalloc+kfree
 * pair (the size-class lookup and kfree's page walk on top), and ns per
 * glibc malloc+free pair of the same size in the same run, with the ratio.
 * Each figure is the median of five runs: this 2-core virtual machine's
 * speed swings between minutes.
 *
 * Output: one `NAME VALUE UNIT` line per figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/slab.h"

#define RUNS  5
#define PAIRS 5000000

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double median(double *v)
{
	for (int i = 1; i < RUNS; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[RUNS / 2];
}

/* Keeps the compiler from pairing glibc's malloc with free and dropping both. */
static void *(*volatile host_malloc)(size_t) = malloc;
static volatile uint64_t sink;

static double cache_pair_ns(struct machine *m, struct kmem_cache *s)
{
	double t = now();

	for (int i = 0; i < PAIRS; i++) {
		uint64_t obj = kmem_cache_alloc(m, s, GFP_KERNEL);

		sink += obj;
		kmem_cache_free(m, s, obj);
	}
	return (now() - t) * 1e9 / PAIRS;
}

static double kmalloc_pair_ns(struct machine *m, size_t size)
{
	double t = now();

	for (int i = 0; i < PAIRS; i++) {
		uint64_t obj = 0;

		kmalloc(m, size, GFP_KERNEL, &obj);
		sink += obj;
		kfree(m, obj);
	}
	return (now() - t) * 1e9 / PAIRS;
}

static double malloc_pair_ns(size_t size)
{
	double t = now();

	for (int i = 0; i < PAIRS; i++) {
		void *p = host_malloc(size);

		sink += (uint64_t)(uintptr_t)p;
		free(p);
	}
	return (now() - t) * 1e9 / PAIRS;
}

static void bench_size(struct machine *m, size_t size)
{
	struct kmem_cache *s = kmalloc_cache(m, size, GFP_KERNEL);
	double c[RUNS], k[RUNS], g[RUNS];

	for (int r = 0; r < RUNS; r++) {
		c[r] = cache_pair_ns(m, s);
		k[r] = kmalloc_pair_ns(m, size);
		g[r] = malloc_pair_ns(size);
	}
	double cm = median(c), km = median(k), gm = median(g);

	printf("cache_pair_%zu_ns %.1f ns\n", size, cm);
	printf("kmalloc_pair_%zu_ns %.1f ns\n", size, km);
	printf("glibc_pair_%zu_ns %.1f ns\n", size, gm);
	printf("cache_vs_glibc_%zu %.2f ratio\n", size, cm / gm);
	printf("kmalloc_vs_glibc_%zu %.2f ratio\n", size, km / gm);
}

int main(void)
{
	struct machine_config cfg;
	char err[256];
	struct machine *m;
	static const size_t sizes[] = {64, 256, 1024};

	machine_config_default(&cfg);
	m = machine_create(&cfg, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "bench_slab: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_size(m, sizes[i]);
	machine_destroy(m);
	return 0;
}
