/*
 * bench_page_alloc.c - the page allocator's speed and size, beside a
 * textbook buddy allocator as the floor.
 *
 * On the default machine (1 GiB, 2 nodes) and a 256 GiB one (4 nodes of
 * 64 GiB) it measures: boot time; host bytes per simulated page (allocated,
 * and resident after boot); ns per order-0 alloc+free pair through the
 * per-CPU lists; ns per order-3 pair; ns per random pair in a steady state
 * at 50% occupancy: free a random held block (orders 0-3), allocate a block
 * of random order on a CPU of the freed block's node, so every node stays
 * half full.  The textbook allocator
 * (textbook_buddy.c) runs the same workloads on as many frames.  Engine and
 * textbook runs alternate and each figure is the median of five, because
 * this 2-core virtual machine's speed swings between minutes.
 *
 * Output: one `NAME VALUE UNIT` line per figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mm/machine.h"
#include "mm/mm_check.h"
#include "textbook_buddy.h"

#define RUNS 5

struct held {
	struct page *page; /* engine block, or NULL */
	uint32_t frame;    /* textbook block */
	unsigned int order;
};

static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static long rss_pages(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(double), cmp_double);
	return v[RUNS / 2];
}

/* ---- workloads on the engine ---- */

static double engine_pairs(struct machine *m, unsigned int order, long n)
{
	double t = now();

	for (long i = 0; i < n; i++)
		__free_pages(m, alloc_pages(m, GFP_KERNEL, order), order);
	return (now() - t) / (double)n * 1e9;
}

static unsigned int random_order(void)
{
	return (unsigned int)(rnd() & 3);
}

/* Allocate random blocks on random CPUs until half the free pages are used. */
static long engine_fill(struct machine *m, struct held *h, long max)
{
	unsigned long target = global_page_state(m, NR_FREE_PAGES) / 2, used = 0;
	long n = 0;

	while (used < target && n < max) {
		unsigned int order = random_order();

		machine_set_cpu(m, (int)(rnd() % (uint64_t)m->nr_cpus));
		h[n].page = alloc_pages(m, GFP_KERNEL, order);
		if (!h[n].page)
			break;
		h[n++].order = order;
		used += 1ul << order;
	}
	return n;
}

static double engine_mixed(struct machine *m, struct held *h, long nheld, long pairs)
{
	double t = now();

	for (long i = 0; i < pairs; i++) {
		struct held *x = &h[rnd() % (uint64_t)nheld];
		const pg_data_t *pgdat = page_zone(m, x->page)->zone_pgdat;

		/* a CPU of the freed block's node allocates next: every node stays at 50% */
		machine_set_cpu(m, pgdat->first_cpu + (int)(rnd() % (uint64_t)pgdat->nr_cpus));
		__free_pages(m, x->page, x->order);
		x->order = random_order();
		x->page = alloc_pages(m, GFP_KERNEL, x->order);
		if (!x->page) {
			fprintf(stderr, "bench: engine allocation failed at 50%%\n");
			exit(1);
		}
	}
	return (now() - t) / (double)pairs * 1e9;
}

static void engine_release(struct machine *m, struct held *h, long n)
{
	for (long i = 0; i < n; i++)
		__free_pages(m, h[i].page, h[i].order);
}

/* ---- the same on the textbook allocator ---- */

static double tb_pairs(struct tb_buddy *b, unsigned int order, long n)
{
	double t = now();

	for (long i = 0; i < n; i++)
		tb_free(b, tb_alloc(b, order), order);
	return (now() - t) / (double)n * 1e9;
}

static long tb_fill(struct tb_buddy *b, struct held *h, long max)
{
	unsigned long used = 0;
	long n = 0;

	while (used < b->nr_frames / 2 && n < max) {
		h[n].order = random_order();
		h[n].frame = tb_alloc(b, h[n].order);
		used += 1ul << h[n++].order;
	}
	return n;
}

static double tb_mixed(struct tb_buddy *b, struct held *h, long nheld, long pairs)
{
	double t = now();

	for (long i = 0; i < pairs; i++) {
		struct held *x = &h[rnd() % (uint64_t)nheld];

		(void)(rnd() % 4); /* the engine draws a CPU here; keep the streams alike */
		tb_free(b, x->frame, x->order);
		x->order = random_order();
		x->frame = tb_alloc(b, x->order);
	}
	return (now() - t) / (double)pairs * 1e9;
}

/* ---- one machine ---- */

struct figures {
	double boot_s, bytes_per_page, rss_per_page;
	double e0, e3, emix, t0, t3, tmix;
};

static double host_bytes_per_page(const struct machine *m)
{
	double bytes = (double)m->nr_map * sizeof(struct page);

	bytes += (double)(m->max_pfn >> m->arch->pageblock_order) + 1;
	if (m->arch->section_shift)
		bytes += (double)(m->max_pfn >> m->arch->section_shift) + 1;
	for (int id = 0; id < m->nr_zone_ids; id++)
		bytes += (double)m->nr_cpus * sizeof(struct per_cpu_pageset);
	bytes += (double)m->nr_nodes * MAX_ZONELISTS * (m->nr_nodes * MAX_NR_ZONES + 1) *
	         sizeof(struct zoneref);
	return bytes / (double)m->max_pfn;
}

static struct machine *boot(const struct machine_config *cfg, struct figures *f)
{
	char err[256];
	long rss0 = rss_pages();
	double t = now();
	struct machine *m = machine_create(cfg, err, sizeof(err));

	if (!m) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	f->boot_s = now() - t;
	f->bytes_per_page = host_bytes_per_page(m);
	f->rss_per_page =
	    (double)(rss_pages() - rss0) * (double)sysconf(_SC_PAGESIZE) / (double)m->max_pfn;
	return m;
}

static void measure(struct machine *m, struct figures *f, long pairs)
{
	double e0[RUNS], e3[RUNS], em[RUNS], t0[RUNS], t3[RUNS], tm[RUNS];
	long max = (long)(global_page_state(m, NR_FREE_PAGES) / 2 + 1);
	struct held *h = calloc((size_t)max, sizeof(*h));
	struct tb_buddy tb;
	long ne, nt;

	if (!h || tb_init(&tb, (uint32_t)m->totalram_pages)) {
		fprintf(stderr, "bench: out of host memory\n");
		exit(1);
	}
	for (int r = 0; r < RUNS; r++) {
		machine_set_cpu(m, 0);
		e0[r] = engine_pairs(m, 0, pairs);
		t0[r] = tb_pairs(&tb, 0, pairs);
		e3[r] = engine_pairs(m, 3, pairs / 2);
		t3[r] = tb_pairs(&tb, 3, pairs / 2);
	}
	ne = engine_fill(m, h, max);
	for (int r = 0; r < RUNS; r++)
		em[r] = engine_mixed(m, h, ne, pairs / 2);
	engine_release(m, h, ne);
	nt = tb_fill(&tb, h, max);
	for (int r = 0; r < RUNS; r++)
		tm[r] = tb_mixed(&tb, h, nt, pairs / 2);
	f->e0 = median(e0), f->e3 = median(e3), f->emix = median(em);
	f->t0 = median(t0), f->t3 = median(t3), f->tmix = median(tm);
	tb_destroy(&tb);
	free(h);
}

static void print(const char *p, const struct figures *f)
{
	printf("%s_boot_s %.3f s\n", p, f->boot_s);
	printf("%s_host_bytes_per_page %.2f bytes\n", p, f->bytes_per_page);
	printf("%s_rss_per_page %.2f bytes\n", p, f->rss_per_page);
	printf("%s_order0_pair_ns %.1f ns\n", p, f->e0);
	printf("%s_order3_pair_ns %.1f ns\n", p, f->e3);
	printf("%s_mixed_pair_ns %.1f ns\n", p, f->emix);
	printf("textbook_%s_order0_pair_ns %.1f ns\n", p, f->t0);
	printf("textbook_%s_order3_pair_ns %.1f ns\n", p, f->t3);
	printf("textbook_%s_mixed_pair_ns %.1f ns\n", p, f->tmix);
	printf("%s_order0_vs_textbook %.2f ratio\n", p, f->e0 / f->t0);
	printf("%s_order3_vs_textbook %.2f ratio\n", p, f->e3 / f->t3);
	printf("%s_mixed_vs_textbook %.2f ratio\n", p, f->emix / f->tmix);
}

int main(int argc, char **argv)
{
	struct machine_config cfg;
	struct figures fd, fb;
	struct machine *m;
	char err[256];
	int big = 1;
	long pairs = 2000000;

	/* --small: the default machine only; --pairs N: shorter runs (for callgrind) */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--small"))
			big = 0;
		else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
			pairs = atol(argv[++i]);
	}
	if (pairs < 2)
		pairs = 2;

	machine_config_default(&cfg);
	m = boot(&cfg, &fd);
	measure(m, &fd, pairs);
	printf("struct_page_bytes %zu bytes\n", sizeof(struct page));
	print("default", &fd);
	printf("default_invariants_ok %d bool\n", check_machine(m, err, sizeof(err)) == 0);
	machine_destroy(m);
	if (!big)
		return 0;
	cfg.nr_nodes = 4;
	for (int i = 0; i < 4; i++) {
		cfg.node[i].mem_bytes = 64ull << 30;
		cfg.node[i].nr_cpus = 2;
	}
	m = boot(&cfg, &fb);
	measure(m, &fb, pairs);
	print("big", &fb);
	printf("big_vs_default_order0 %.2f ratio\n", fb.e0 / fd.e0);
	printf("big_vs_default_order3 %.2f ratio\n", fb.e3 / fd.e3);
	printf("big_vs_default_mixed %.2f ratio\n", fb.emix / fd.emix);
	machine_destroy(m);
	return 0;
}
