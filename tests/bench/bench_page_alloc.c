/*
 * bench_page_alloc.c - the page allocator's speed and host footprint,
 * beside a textbook buddy allocator as the floor.
 *
 * Why: a simulated machine may be far larger than the host running it, and
 * the daemon serves page requests at network speed, so the engine's
 * allocator has to stay cheap per call and per frame on any machine size.
 *
 * What, on the default machine (2 nodes x 512 MiB, 4 CPUs) and a 256 GiB one
 * (4 nodes x 64 GiB, 2 CPUs each), names prefixed default_ and big_:
 *  - boot_s: wall time of machine_create.
 *  - host_bytes_per_page: what the machine allocates per simulated frame
 *    (mem_map with its list sentinels, pageblock and section bytes, per-zone
 *    pagesets and the zonelists), and rss_per_page_bytes: the resident-set
 *    growth across machine_create per frame, which stays small because boot
 *    leaves most of mem_map untouched (page.h).
 *  - order0_pair_ns, order3_pair_ns: one alloc_pages(GFP_KERNEL) plus
 *    __free_pages of that order on CPU 0 of an idle machine; order 0 runs
 *    through the per-CPU lists.
 *  - mixed_pair_ns: a steady state at 50% occupancy.  Blocks of random
 *    order 0-3 are allocated on random CPUs until half the free pages are in
 *    use; then each pair frees a random held block and allocates one of a
 *    random order in its slot, on a CPU of the freed block's node, so every
 *    node stays about half full instead of the local node draining to its
 *    watermark.
 * The textbook allocator below (one free list per order, nothing else) runs
 * the same three workloads on as many frames as the machine has memory,
 * named textbook_<machine>_....  On its idle frames every order-0 pair
 * splits a block of order 10 and merges it back, the work the engine's
 * per-CPU lists exist to avoid, so order0_vs_textbook below 1 is expected.
 *
 * Method: this 2-core virtual machine's speed swings by up to 2x between
 * minutes, so every figure is the median of RUNS runs of about RUN_SECONDS
 * each, and the runs interleave: engine and textbook, default and big
 * machine, one after the other within each round.  A ratio is the median of
 * the per-round ratios, so a slow minute cancels out instead of landing on
 * one side.  The random streams are seeded xorshift generators, one per
 * allocator and machine, so every run of the program does the same work.
 *
 * Output on stdout: one `NAME VALUE UNIT` line per figure and nothing else;
 * per-run samples go to stderr.  Options: --small (default machine only),
 * --pairs N (N pairs per run instead of calibrating: for callgrind).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mm/machine.h"
#include "mm/mm_check.h"

#define RUNS        5
#define RUN_SECONDS 0.2
#define BIG_NODES   4
#define BIG_NODE_GB 64ull

/*
 * Each timed loop stays one symbol, so a profiler can isolate a workload:
 * valgrind --tool=callgrind --toggle-collect=engine_mixed bench_page_alloc
 * --small --pairs 200000 (the compiler may suffix a name: 'engine_pairs*').
 */
#define NOINLINE __attribute__((noinline))

_Noreturn static void die(const char *what)
{
	fprintf(stderr, "bench_page_alloc: %s\n", what);
	exit(1);
}

/* ---- time, memory, statistics ---- */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* rss_bytes - resident set size of this process, from /proc/self/statm. */
static double rss_bytes(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median - of RUNS samples; v is left untouched. */
static double median(const double *v)
{
	double s[RUNS];

	memcpy(s, v, sizeof(s));
	qsort(s, RUNS, sizeof(double), cmp_double);
	return s[RUNS / 2];
}

/* median_ratio - median over rounds of a[r] / b[r]. */
static double median_ratio(const double *a, const double *b)
{
	double r[RUNS];

	for (int i = 0; i < RUNS; i++)
		r[i] = a[i] / b[i];
	return median(r);
}

/* ---- a deterministic random stream (xorshift64) ---- */

struct xorshift {
	uint64_t s; /* state, never 0 */
};

static uint64_t xs_next(struct xorshift *x)
{
	x->s ^= x->s << 13;
	x->s ^= x->s >> 7;
	x->s ^= x->s << 17;
	return x->s;
}

/* xs_below - uniform in [0, n) for n < 2^32, by multiply-shift (no divide). */
static uint32_t xs_below(struct xorshift *x, uint64_t n)
{
	return (uint32_t)(((xs_next(x) >> 32) * n) >> 32);
}

static unsigned int random_order(struct xorshift *x)
{
	return (unsigned int)(xs_next(x) >> 62); /* 0..3 */
}

/*
 * ---- the textbook buddy allocator ----
 *
 * The floor the engine is measured against: a binary buddy allocator as a
 * textbook presents it.  Each frame is a small struct; a free block is its
 * first frame, marked free with its order, on one doubly-linked list per
 * order (links are frame indices, as in the engine, so the comparison
 * measures policy rather than data layout).  Allocation takes the first
 * block of the smallest order that fits and splits it, keeping the lower
 * half; freeing merges with the buddy (frame ^ 2^order) while it is a free
 * block of the same order.  No zones, migrate types, watermarks, per-CPU
 * lists or counters.
 */

#define TB_MAX_ORDER 11
#define TB_NONE      UINT32_MAX

struct tb_frame {
	uint32_t next; /* next free block of this order, TB_NONE at the end */
	uint32_t prev; /* previous one, TB_NONE at the head */
	uint8_t free;  /* 1 if this frame heads a free block */
	uint8_t order; /* that block's order */
};

struct textbook {
	struct tb_frame *frames;     /* owned, nr_frames entries */
	uint32_t nr_frames;          /* frames managed */
	uint32_t head[TB_MAX_ORDER]; /* first free block per order, or TB_NONE */
};

static void tb_push(struct textbook *tb, uint32_t f, unsigned int order)
{
	struct tb_frame *fr = &tb->frames[f];

	fr->free = 1;
	fr->order = (uint8_t)order;
	fr->prev = TB_NONE;
	fr->next = tb->head[order];
	if (fr->next != TB_NONE)
		tb->frames[fr->next].prev = f;
	tb->head[order] = f;
}

static void tb_unlink(struct textbook *tb, uint32_t f)
{
	struct tb_frame *fr = &tb->frames[f];

	if (fr->prev != TB_NONE)
		tb->frames[fr->prev].next = fr->next;
	else
		tb->head[fr->order] = fr->next;
	if (fr->next != TB_NONE)
		tb->frames[fr->next].prev = fr->prev;
	fr->free = 0;
}

/* tb_init - all frames free, in the largest aligned blocks. 0 or -1. */
static int tb_init(struct textbook *tb, uint32_t nr_frames)
{
	tb->frames = calloc(nr_frames, sizeof(*tb->frames));
	if (!tb->frames)
		return -1;
	tb->nr_frames = nr_frames;
	for (int o = 0; o < TB_MAX_ORDER; o++)
		tb->head[o] = TB_NONE;
	for (uint32_t f = 0; f < nr_frames;) {
		unsigned int o = TB_MAX_ORDER - 1;

		while (o && ((f & ((1u << o) - 1)) || f + (1u << o) > nr_frames))
			o--;
		tb_push(tb, f, o);
		f += 1u << o;
	}
	return 0;
}

/* tb_alloc - the first frame of a free block of 2^order frames, or TB_NONE. */
static uint32_t tb_alloc(struct textbook *tb, unsigned int order)
{
	unsigned int o = order;
	uint32_t f;

	while (o < TB_MAX_ORDER && tb->head[o] == TB_NONE)
		o++;
	if (o == TB_MAX_ORDER)
		return TB_NONE;
	f = tb->head[o];
	tb_unlink(tb, f);
	while (o > order) {
		o--;
		tb_push(tb, f + (1u << o), o);
	}
	return f;
}

static void tb_free(struct textbook *tb, uint32_t f, unsigned int order)
{
	while (order < TB_MAX_ORDER - 1) {
		uint32_t buddy = f ^ (1u << order);

		if (buddy >= tb->nr_frames || !tb->frames[buddy].free ||
		    tb->frames[buddy].order != order)
			break;
		tb_unlink(tb, buddy);
		f &= ~(1u << order);
		order++;
	}
	tb_push(tb, f, order);
}

/* ---- one machine under test, with its textbook twin ---- */

enum workload { W_ORDER0, W_ORDER3, W_MIXED, NR_WORKLOADS };
enum side { ENGINE, TEXTBOOK, NR_SIDES };

static const char *const workload_name[NR_WORKLOADS] = {"order0", "order3", "mixed"};
static const char *const side_name[NR_SIDES] = {"engine", "textbook"};

/* The blocks a side holds in the mixed workload. */
struct held {
	struct page **page; /* engine: head of each block (owned array) */
	uint32_t *frame;    /* textbook: first frame of each block (owned array) */
	uint8_t *order;     /* order of each block (owned array) */
	long nr;            /* blocks held */
	long cap;           /* entries the arrays have room for */
};

struct bench {
	const char *prefix;                      /* "default" or "big" */
	struct machine *m;                       /* owned */
	struct textbook tb;                      /* owned frames */
	struct held held[NR_SIDES];              /* mixed workload state */
	struct xorshift rng[NR_SIDES];           /* one stream per side */
	long pairs[NR_WORKLOADS][NR_SIDES];      /* pairs per run, calibrated */
	double ns[NR_WORKLOADS][NR_SIDES][RUNS]; /* ns per pair, per run */
	double boot_s;                           /* machine_create wall time */
	double bytes_per_page;                   /* host bytes allocated per frame */
	double rss_per_page;                     /* resident bytes per frame after boot */
};

/* ---- the workloads, engine side ---- */

static struct page *engine_alloc(struct machine *m, unsigned int order)
{
	struct page *page = alloc_pages(m, GFP_KERNEL, order);

	if (!page)
		die("engine allocation failed");
	return page;
}

static NOINLINE double engine_pairs(struct bench *b, unsigned int order, long n)
{
	struct machine *m = b->m;
	double t;

	machine_set_cpu(m, 0);
	t = now();
	for (long i = 0; i < n; i++)
		__free_pages(m, engine_alloc(m, order), order);
	return (now() - t) / (double)n * 1e9;
}

/* A CPU of the node that holds `page`: the next allocation refills that node. */
static void engine_cpu_near(struct machine *m, struct xorshift *x, const struct page *page)
{
	const pg_data_t *pgdat = page_zone(m, page)->zone_pgdat;

	machine_set_cpu(m, pgdat->first_cpu + (int)xs_below(x, (uint64_t)pgdat->nr_cpus));
}

static NOINLINE double engine_mixed(struct bench *b, long n)
{
	struct machine *m = b->m;
	struct held *h = &b->held[ENGINE];
	struct xorshift *x = &b->rng[ENGINE];
	double t = now();

	for (long i = 0; i < n; i++) {
		uint32_t k = xs_below(x, (uint64_t)h->nr);

		engine_cpu_near(m, x, h->page[k]);
		__free_pages(m, h->page[k], h->order[k]);
		h->order[k] = (uint8_t)random_order(x);
		h->page[k] = engine_alloc(m, h->order[k]);
	}
	return (now() - t) / (double)n * 1e9;
}

/* Allocate random blocks on random CPUs until half the free pages are used. */
static void engine_fill(struct bench *b)
{
	struct machine *m = b->m;
	struct held *h = &b->held[ENGINE];
	struct xorshift *x = &b->rng[ENGINE];
	unsigned long used = 0, target = global_page_state(m, NR_FREE_PAGES) / 2;

	while (used < target && h->nr < h->cap) {
		machine_set_cpu(m, (int)xs_below(x, (uint64_t)m->nr_cpus));
		h->order[h->nr] = (uint8_t)random_order(x);
		h->page[h->nr] = engine_alloc(m, h->order[h->nr]);
		used += 1ul << h->order[h->nr++];
	}
}

static void engine_release(struct bench *b)
{
	struct held *h = &b->held[ENGINE];

	for (long i = 0; i < h->nr; i++)
		__free_pages(b->m, h->page[i], h->order[i]);
	h->nr = 0;
}

/* ---- the workloads, textbook side ---- */

static uint32_t tb_alloc_or_die(struct textbook *tb, unsigned int order)
{
	uint32_t f = tb_alloc(tb, order);

	if (f == TB_NONE)
		die("textbook allocation failed");
	return f;
}

static NOINLINE double tb_pairs(struct bench *b, unsigned int order, long n)
{
	struct textbook *tb = &b->tb;
	double t = now();

	for (long i = 0; i < n; i++)
		tb_free(tb, tb_alloc_or_die(tb, order), order);
	return (now() - t) / (double)n * 1e9;
}

static NOINLINE double tb_mixed(struct bench *b, long n)
{
	struct textbook *tb = &b->tb;
	struct held *h = &b->held[TEXTBOOK];
	struct xorshift *x = &b->rng[TEXTBOOK];
	double t = now();

	for (long i = 0; i < n; i++) {
		uint32_t k = xs_below(x, (uint64_t)h->nr);

		tb_free(tb, h->frame[k], h->order[k]);
		h->order[k] = (uint8_t)random_order(x);
		h->frame[k] = tb_alloc_or_die(tb, h->order[k]);
	}
	return (now() - t) / (double)n * 1e9;
}

static void tb_fill(struct bench *b)
{
	struct held *h = &b->held[TEXTBOOK];
	struct xorshift *x = &b->rng[TEXTBOOK];
	unsigned long used = 0, target = b->tb.nr_frames / 2;

	while (used < target && h->nr < h->cap) {
		h->order[h->nr] = (uint8_t)random_order(x);
		h->frame[h->nr] = tb_alloc_or_die(&b->tb, h->order[h->nr]);
		used += 1ul << h->order[h->nr++];
	}
}

/* ---- running ---- */

/* run_once - n pairs of workload w on one side; ns per pair. */
static double run_once(struct bench *b, enum workload w, enum side s, long n)
{
	switch (w) {
	case W_ORDER0:
	case W_ORDER3:
		return s == ENGINE ? engine_pairs(b, w == W_ORDER0 ? 0 : 3, n)
		                   : tb_pairs(b, w == W_ORDER0 ? 0 : 3, n);
	default:
		return s == ENGINE ? engine_mixed(b, n) : tb_mixed(b, n);
	}
}

/* calibrate - pairs per run so that a run takes about RUN_SECONDS. */
static long calibrate(struct bench *b, enum workload w, enum side s)
{
	long n = 1000;

	for (;;) {
		double secs = run_once(b, w, s, n) * (double)n * 1e-9;

		if (secs >= RUN_SECONDS / 10 || n >= (1l << 30))
			return (long)((double)n * RUN_SECONDS / secs) + 1;
		n *= 4;
	}
}

/*
 * run_rounds - calibrate (unless fixed) and run workload w RUNS times on
 * every bench and side, interleaved: round r runs engine then textbook on
 * each machine before round r + 1 starts.
 */
static void run_rounds(struct bench *bs, int nb, enum workload w, long fixed)
{
	for (int i = 0; i < nb; i++)
		for (int s = 0; s < NR_SIDES; s++)
			bs[i].pairs[w][s] = fixed ? fixed : calibrate(&bs[i], w, (enum side)s);
	for (int r = 0; r < RUNS; r++)
		for (int i = 0; i < nb; i++)
			for (int s = 0; s < NR_SIDES; s++) {
				struct bench *b = &bs[i];

				b->ns[w][s][r] = run_once(b, w, (enum side)s, b->pairs[w][s]);
				fprintf(stderr, "%s %s %s run %d: %.1f ns x %ld\n", b->prefix,
				        side_name[s], workload_name[w], r, b->ns[w][s][r],
				        b->pairs[w][s]);
			}
}

/* ---- setting up and tearing down ---- */

/* host_bytes_per_page - what machine_create allocated that grows with size. */
static double host_bytes_per_page(const struct machine *m)
{
	double bytes = (double)m->nr_map * sizeof(struct page);
	double zonerefs = (double)m->nr_nodes * MAX_NR_ZONES + 1;

	bytes += (double)(m->max_pfn >> m->arch->pageblock_order) + 1;
	if (m->arch->section_shift)
		bytes += (double)(m->max_pfn >> m->arch->section_shift) + 1;
	bytes += (double)m->nr_zone_ids * m->nr_cpus * sizeof(struct per_cpu_pageset);
	bytes += (double)m->nr_nodes * MAX_ZONELISTS * zonerefs * sizeof(struct zoneref);
	return bytes / (double)m->max_pfn;
}

static void held_alloc(struct held *h, enum side s, long cap)
{
	h->cap = cap;
	h->order = malloc((size_t)cap);
	if (s == ENGINE)
		h->page = malloc((size_t)cap * sizeof(*h->page));
	else
		h->frame = malloc((size_t)cap * sizeof(*h->frame));
	if (!h->order || (!h->page && !h->frame))
		die("out of host memory for the held blocks");
}

static void held_free(struct held *h)
{
	free(h->page);
	free(h->frame);
	free(h->order);
}

static uint64_t config_bytes(const struct machine_config *cfg)
{
	uint64_t bytes = 0;

	for (int i = 0; i < cfg->nr_nodes; i++)
		bytes += cfg->node[i].mem_bytes;
	return bytes;
}

/* bench_boot - boot the machine, measure it, and set up its textbook twin. */
static void bench_boot(struct bench *b, const char *prefix, const struct machine_config *cfg)
{
	uint32_t frames = (uint32_t)(config_bytes(cfg) >> PAGE_SHIFT);
	char err[256];
	double rss0 = rss_bytes(), t = now();

	memset(b, 0, sizeof(*b));
	b->prefix = prefix;
	b->m = machine_create(cfg, err, sizeof(err));
	if (!b->m)
		die(err);
	b->boot_s = now() - t;
	b->rss_per_page = (rss_bytes() - rss0) / (double)b->m->max_pfn;
	b->bytes_per_page = host_bytes_per_page(b->m);
	if (tb_init(&b->tb, frames))
		die("out of host memory for the textbook allocator");
	/* 50% of the pages in order-0 blocks at most */
	held_alloc(&b->held[ENGINE], ENGINE,
	           (long)(global_page_state(b->m, NR_FREE_PAGES) / 2 + 1));
	held_alloc(&b->held[TEXTBOOK], TEXTBOOK, (long)(frames / 2 + 1));
	b->rng[ENGINE].s = 0x9e3779b97f4a7c15ull;
	b->rng[TEXTBOOK].s = 0x9e3779b97f4a7c15ull;
}

static void big_config(struct machine_config *cfg)
{
	machine_config_default(cfg);
	cfg->nr_nodes = BIG_NODES;
	for (int i = 0; i < BIG_NODES; i++) {
		cfg->node[i].mem_bytes = BIG_NODE_GB << 30;
		cfg->node[i].nr_cpus = 2;
	}
}

/* check - the engine's invariants; the first violation goes to stderr. */
static int check(const struct bench *b, const char *when)
{
	char err[512];

	if (!check_machine(b->m, err, sizeof(err)))
		return 1;
	fprintf(stderr, "bench_page_alloc: %s invariants %s: %s\n", b->prefix, when, err);
	return 0;
}

/* bench_finish - release every held block, then the machine; invariant result. */
static int bench_finish(struct bench *b, bool checked)
{
	int ok = checked ? check(b, "with blocks held") : 1;

	engine_release(b);
	if (checked)
		ok &= check(b, "after release");
	machine_destroy(b->m);
	free(b->tb.frames);
	held_free(&b->held[ENGINE]);
	held_free(&b->held[TEXTBOOK]);
	return ok;
}

/* ---- output ---- */

static void print_bench(const struct bench *b)
{
	const char *p = b->prefix;

	printf("%s_boot_s %.3f s\n", p, b->boot_s);
	printf("%s_host_bytes_per_page %.3f bytes\n", p, b->bytes_per_page);
	printf("%s_rss_per_page_bytes %.2f bytes\n", p, b->rss_per_page);
	for (int w = 0; w < NR_WORKLOADS; w++)
		printf("%s_%s_pair_ns %.1f ns\n", p, workload_name[w], median(b->ns[w][ENGINE]));
	for (int w = 0; w < NR_WORKLOADS; w++)
		printf("textbook_%s_%s_pair_ns %.1f ns\n", p, workload_name[w],
		       median(b->ns[w][TEXTBOOK]));
	for (int w = 0; w < NR_WORKLOADS; w++)
		printf("%s_%s_vs_textbook %.2f ratio\n", p, workload_name[w],
		       median_ratio(b->ns[w][ENGINE], b->ns[w][TEXTBOOK]));
}

/* print_sizes - default / big per workload: 1.00 means size does not matter. */
static void print_sizes(const struct bench *d, const struct bench *big)
{
	for (int w = 0; w < NR_WORKLOADS; w++)
		printf("default_vs_big_%s_ratio %.2f ratio\n", workload_name[w],
		       median_ratio(d->ns[w][ENGINE], big->ns[w][ENGINE]));
	for (int w = 0; w < NR_WORKLOADS; w++)
		printf("textbook_default_vs_big_%s_ratio %.2f ratio\n", workload_name[w],
		       median_ratio(d->ns[w][TEXTBOOK], big->ns[w][TEXTBOOK]));
}

int main(int argc, char **argv)
{
	struct machine_config cfg;
	struct bench bs[2];
	int nb = 2, ok;
	long fixed = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--small"))
			nb = 1;
		else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
			fixed = atol(argv[++i]);
		else
			die("usage: bench_page_alloc [--small] [--pairs N]");
	}
	machine_config_default(&cfg);
	bench_boot(&bs[0], "default", &cfg);
	if (nb > 1) {
		big_config(&cfg);
		bench_boot(&bs[1], "big", &cfg);
	}
	run_rounds(bs, nb, W_ORDER0, fixed);
	run_rounds(bs, nb, W_ORDER3, fixed);
	for (int i = 0; i < nb; i++) {
		engine_fill(&bs[i]);
		tb_fill(&bs[i]);
	}
	run_rounds(bs, nb, W_MIXED, fixed);

	printf("struct_page_bytes %zu bytes\n", sizeof(struct page));
	for (int i = 0; i < nb; i++)
		print_bench(&bs[i]);
	if (nb > 1)
		print_sizes(&bs[0], &bs[1]);
	ok = bench_finish(&bs[0], true);
	printf("default_invariants_ok %d bool\n", ok);
	if (nb > 1)
		bench_finish(&bs[1], false);
	return ok ? 0 : 1;
}
