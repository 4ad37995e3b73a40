/*
 * mmsim_bench.c - a load generator for mmsimd in the style of
 * redis-benchmark: -c connections, each sending -n/c requests in pipelined
 * batches of -P, of one method (-t ping|read|alloc).  Prints requests per
 * second and latency percentiles, one `NAME VALUE UNIT` line each.
 *
 *   mmsim-bench -e HOST:PORT --cacert F --cert F --key F [-c 50] [-n 100000]
 *               [-P 1] [-t ping]
 *
 * Each connection runs in its own thread with the blocking client library;
 * a request's latency is from its batch being written to its answer read.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mmsim.h"

struct bench {
	struct mmsim_options o;
	int conns, pipeline;
	long requests;
	const char *test;
	double *lat; /* seconds per request, all connections */
	long nlat;
	pthread_mutex_t lock;
	int failed;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The request a test sends; alloc alternates alloc and free of one page. */
static int send_one(struct mmsim_client *c, const char *test, long i, uint64_t *pfn)
{
	Mmsim__PingRequest ping = MMSIM__PING_REQUEST__INIT;
	Mmsim__ReadProcRequest rp = MMSIM__READ_PROC_REQUEST__INIT;
	Mmsim__AllocPagesRequest ap = MMSIM__ALLOC_PAGES_REQUEST__INIT;
	Mmsim__FreePagesRequest fp = MMSIM__FREE_PAGES_REQUEST__INIT;

	if (!strcmp(test, "read")) {
		rp.path = "/proc/buddyinfo";
		return mmsim_send(c, MMSIM_M_READ_PROC, &rp.base, NULL);
	}
	if (!strcmp(test, "alloc")) {
		if (i % 2 == 0 || !*pfn)
			return mmsim_send(c, MMSIM_M_ALLOC_PAGES, &ap.base, NULL);
		fp.has_pfn = 1;
		fp.pfn = *pfn;
		*pfn = 0;
		return mmsim_send(c, MMSIM_M_FREE_PAGES, &fp.base, NULL);
	}
	return mmsim_send(c, MMSIM_M_PING, &ping.base, NULL);
}

static int run_batch(struct bench *b, struct mmsim_client *c, int n, long base, double *lat,
                     uint64_t *pfn)
{
	double t0 = now();

	for (int i = 0; i < n; i++)
		if (send_one(c, b->test, base + i, pfn))
			return -1;
	if (mmsim_flush(c))
		return -1;
	for (int i = 0; i < n; i++) {
		ProtobufCMessage *r;
		unsigned method;

		if (mmsim_recv(c, NULL, &method, &r))
			return -1;
		if (method == MMSIM_M_ALLOC_PAGES)
			*pfn = ((Mmsim__AllocPagesReply *)r)->pfn;
		protobuf_c_message_free_unpacked(r, NULL);
		lat[i] = now() - t0;
	}
	return 0;
}

static void *client_thread(void *arg)
{
	struct bench *b = arg;
	char err[256];
	struct mmsim_client *c = mmsim_connect(&b->o, err, sizeof(err));
	long per = b->requests / b->conns, done = 0;
	double *lat = malloc((size_t)per * sizeof(double));
	uint64_t pfn = 0;

	if (!c || !lat) {
		fprintf(stderr, "mmsim-bench: %s\n", c ? "out of memory" : err);
		b->failed = 1;
		goto out;
	}
	while (done < per) {
		int n = (int)(per - done < b->pipeline ? per - done : b->pipeline);

		if (run_batch(b, c, n, done, lat + done, &pfn)) {
			fprintf(stderr, "mmsim-bench: %s\n", mmsim_error(c));
			b->failed = 1;
			break;
		}
		done += n;
	}
	pthread_mutex_lock(&b->lock);
	memcpy(b->lat + b->nlat, lat, (size_t)done * sizeof(double));
	b->nlat += done;
	pthread_mutex_unlock(&b->lock);
out:
	free(lat);
	mmsim_close(c);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int parse(int argc, char **argv, struct bench *b)
{
	static const struct option opts[] = {{"cacert", required_argument, NULL, 'A'},
	                                     {"cert", required_argument, NULL, 'C'},
	                                     {"key", required_argument, NULL, 'K'},
	                                     {NULL, 0, NULL, 0}};
	int opt;

	while ((opt = getopt_long(argc, argv, "e:c:n:P:t:", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			b->o.endpoint = optarg;
			break;
		case 'A':
			b->o.ca = optarg;
			break;
		case 'C':
			b->o.cert = optarg;
			break;
		case 'K':
			b->o.key = optarg;
			break;
		case 'c':
			b->conns = atoi(optarg);
			break;
		case 'n':
			b->requests = atol(optarg);
			break;
		case 'P':
			b->pipeline = atoi(optarg);
			break;
		case 't':
			b->test = optarg;
			break;
		default:
			return -1;
		}
	}
	return b->conns < 1 || b->conns > 1000 || b->requests < b->conns || b->pipeline < 1 ||
	               b->pipeline > 4096 || !b->o.ca || !b->o.cert || !b->o.key
	           ? -1
	           : 0;
}

int main(int argc, char **argv)
{
	struct bench b = {.o = {"127.0.0.1:7070", NULL, NULL, NULL, 30000},
	                  .conns = 50,
	                  .pipeline = 1,
	                  .requests = 100000,
	                  .test = "ping",
	                  .lock = PTHREAD_MUTEX_INITIALIZER};
	pthread_t *t;
	double t0, secs;

	if (parse(argc, argv, &b)) {
		fprintf(stderr, "usage: mmsim-bench -e HOST:PORT --cacert F --cert F --key F "
		                "[-c CONNS] [-n REQUESTS] [-P PIPELINE] [-t ping|read|alloc]\n");
		return 2;
	}
	b.lat = malloc((size_t)b.requests * sizeof(double));
	t = calloc((size_t)b.conns, sizeof(*t));
	if (!b.lat || !t)
		return 1;
	t0 = now();
	for (int i = 0; i < b.conns; i++)
		pthread_create(&t[i], NULL, client_thread, &b);
	for (int i = 0; i < b.conns; i++)
		pthread_join(t[i], NULL);
	secs = now() - t0;
	if (b.failed || !b.nlat)
		return 1;
	qsort(b.lat, (size_t)b.nlat, sizeof(double), cmp);
	printf("requests %ld count\n", b.nlat);
	printf("requests_per_s %.0f req/s\n", (double)b.nlat / secs);
	printf("p50_us %.1f us\n", b.lat[b.nlat / 2] * 1e6);
	printf("p99_us %.1f us\n", b.lat[(long)((double)b.nlat * 0.99)] * 1e6);
	printf("p999_us %.1f us\n", b.lat[(long)((double)b.nlat * 0.999)] * 1e6);
	free(b.lat);
	free(t);
	return 0;
}
