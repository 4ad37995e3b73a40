/*
 * test_daemon.c - mmsimd end to end: a real daemon in a thread, real TLS on
 * loopback, the client library for well-behaved clients and a raw TLS
 * client for the others.  After every kind of abuse a good client must
 * still be served, and when the daemon stops the engine's invariants must
 * hold.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "mm/mm_check.h"
#include "mmsim.h"
#include "net/daemon.h"
#include "net/daemon_int.h"
#include "net/log.h"
#include "harness.h"
#include "tls_raw.h"

static struct {
	char dir[64], other[64]; /* certificates; another CA's */
	struct harness_daemon h;
} T;

static int group_setup(void **state)
{
	struct daemon_config cfg;

	(void)state;
	strcpy(T.dir, "/tmp/mmsim-test-XXXXXX");
	strcpy(T.other, "/tmp/mmsim-other-XXXXXX");
	if (harness_certs(T.dir, "alice bob") || harness_certs(T.other, "alice bob"))
		return -1;
	harness_config(&cfg, T.dir);
	cfg.frame_timeout_ms = 600;
	cfg.handshake_timeout_ms = 2000;
	cfg.max_output = 256 * 1024;
	cfg.max_frame = 65536; /* small, so a pipelined burst outgrows one frame of input */
	return harness_start(&T.h, &cfg);
}

static int group_teardown(void **state)
{
	char err[256] = "";
	int bad;

	(void)state;
	if (!T.h.d)
		return -1;
	harness_join(&T.h);
	bad = check_machine(T.h.d->reg.machines->m, err, sizeof(err));
	if (bad)
		fprintf(stderr, "invariant: %s\n", err);
	daemon_free(T.h.d);
	if (harness_rmdir(T.dir) || harness_rmdir(T.other))
		return -1;
	return bad ? -1 : 0;
}

static struct mmsim_client *connect_as(const char *who)
{
	return harness_connect(T.dir, T.h.port, who);
}

/* A good client is served: the daemon survived whatever came before. */
static void assert_served(void)
{
	struct mmsim_client *c = connect_as("bob");
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	ProtobufCMessage *r;

	assert_non_null(c);
	assert_int_equal(mmsim_call(c, MMSIM_M_PING, &q.base, &r), 0);
	assert_string_equal(((Mmsim__PingReply *)r)->tenant, "bob");
	protobuf_c_message_free_unpacked(r, NULL);
	mmsim_close(c);
}

static void test_ping_identity(void **state)
{
	struct mmsim_client *a = connect_as("alice"), *root = connect_as("admin");
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	Mmsim__PingReply *r;

	(void)state;
	assert_non_null(a);
	assert_non_null(root);
	q.has_cookie = 1;
	q.cookie.data = (uint8_t *)"xyz";
	q.cookie.len = 3;
	assert_int_equal(mmsim_call(a, MMSIM_M_PING, &q.base, (ProtobufCMessage **)&r), 0);
	assert_string_equal(r->tenant, "alice");
	assert_false(r->admin);
	assert_memory_equal(r->cookie.data, "xyz", 3);
	mmsim__ping_reply__free_unpacked(r, NULL);
	assert_int_equal(mmsim_call(root, MMSIM_M_PING, &q.base, (ProtobufCMessage **)&r), 0);
	assert_string_equal(r->tenant, "admin");
	assert_true(r->admin);
	mmsim__ping_reply__free_unpacked(r, NULL);
	mmsim_close(a);
	mmsim_close(root);
}

static uint64_t alloc_page(struct mmsim_client *c, unsigned order, int *status)
{
	Mmsim__AllocPagesRequest q = MMSIM__ALLOC_PAGES_REQUEST__INIT;
	Mmsim__AllocPagesReply *r;
	uint64_t pfn = 0;

	q.has_order = 1;
	q.order = order;
	*status = mmsim_call(c, MMSIM_M_ALLOC_PAGES, &q.base, (ProtobufCMessage **)&r);
	if (!*status) {
		pfn = r->pfn;
		mmsim__alloc_pages_reply__free_unpacked(r, NULL);
	}
	return pfn;
}

static int free_page(struct mmsim_client *c, uint64_t pfn, unsigned order)
{
	Mmsim__FreePagesRequest q = MMSIM__FREE_PAGES_REQUEST__INIT;
	ProtobufCMessage *r = NULL;
	int rc;

	q.has_pfn = q.has_order = 1;
	q.pfn = pfn;
	q.order = order;
	rc = mmsim_call(c, MMSIM_M_FREE_PAGES, &q.base, &r);
	if (r)
		protobuf_c_message_free_unpacked(r, NULL);
	return rc;
}

static void test_pages_and_isolation(void **state)
{
	struct mmsim_client *a = connect_as("alice"), *b = connect_as("bob");
	int st;
	uint64_t pfn = alloc_page(a, 2, &st);

	(void)state;
	assert_int_equal(st, 0);
	assert_int_equal(free_page(b, pfn, 2), MMSIM_E_PERMISSION);
	assert_non_null(strstr(mmsim_error(b), "another tenant"));
	assert_int_equal(free_page(a, pfn, 1), EINVAL);
	assert_int_equal(free_page(a, pfn, 2), 0);
	assert_int_equal(free_page(a, pfn, 2), EINVAL);
	alloc_page(a, 11, &st);
	assert_int_equal(st, EINVAL);
	mmsim_close(a);
	mmsim_close(b);
}

/* A thousand pipelined requests come back in order with their ids. */
static void test_pipeline(void **state)
{
	struct mmsim_client *a = connect_as("alice");
	Mmsim__ReadProcRequest rp = MMSIM__READ_PROC_REQUEST__INIT;
	Mmsim__PingRequest ping = MMSIM__PING_REQUEST__INIT;
	uint64_t id, want = 1;

	(void)state;
	rp.path = "/proc/buddyinfo";
	for (int i = 0; i < 1000; i++)
		assert_int_equal(mmsim_send(a, i % 2 ? MMSIM_M_PING : MMSIM_M_READ_PROC,
		                            i % 2 ? &ping.base : &rp.base, &id),
		                 0);
	assert_int_equal(mmsim_flush(a), 0);
	for (int i = 0; i < 1000; i++) {
		ProtobufCMessage *r;
		unsigned method;

		assert_int_equal(mmsim_recv(a, &id, &method, &r), 0);
		assert_int_equal(id, want++);
		assert_int_equal(method, i % 2 ? MMSIM_M_PING : MMSIM_M_READ_PROC);
		protobuf_c_message_free_unpacked(r, NULL);
	}
	mmsim_close(a);
}

/* A burst far beyond one turn's batch is read, queued and answered, not dropped. */
static void test_pipeline_burst(void **state)
{
	struct mmsim_client *a = connect_as("alice");
	Mmsim__PingRequest ping = MMSIM__PING_REQUEST__INIT;
	const int n = 20000;

	(void)state;
	for (int i = 0; i < n; i++)
		assert_int_equal(mmsim_send(a, MMSIM_M_PING, &ping.base, NULL), 0);
	assert_int_equal(mmsim_flush(a), 0);
	for (int i = 0; i < n; i++) {
		ProtobufCMessage *r;

		assert_int_equal(mmsim_recv(a, NULL, NULL, &r), 0);
		protobuf_c_message_free_unpacked(r, NULL);
	}
	mmsim_close(a);
}

static int tls_as(struct raw *r, const char *dir, const char *who)
{
	char ca[128], cert[128], key[128], f[64];

	harness_path(ca, sizeof(ca), T.dir, "ca.pem");
	snprintf(f, sizeof(f), "%s.pem", who);
	harness_path(cert, sizeof(cert), dir, f);
	snprintf(f, sizeof(f), "%s-key.pem", who);
	harness_path(key, sizeof(key), dir, f);
	return raw_tls(r, T.h.port, ca, who ? cert : NULL, who ? key : NULL);
}

static void test_unauthenticated(void **state)
{
	struct raw r = raw_tcp(T.h.port);

	(void)state;
	/* plaintext to the TLS port */
	assert_int_equal(raw_write(&r, "GET / HTTP/1.0\r\n\r\n", 18), 0);
	assert_true(raw_closed(&r, 3000));
	raw_close(&r);
	/* no client certificate: the handshake or the first read fails */
	if (tls_as(&r, T.dir, NULL) == 0)
		assert_true(raw_closed(&r, 3000));
	raw_close(&r);
	/* a certificate from another CA */
	if (tls_as(&r, T.other, "alice") == 0)
		assert_true(raw_closed(&r, 3000));
	raw_close(&r);
	assert_served();
}

static void send_header(struct raw *r, uint32_t len, uint8_t kind, uint8_t flags, uint16_t method,
                        uint64_t id)
{
	struct frame_header h = {len, kind, flags, method, id};
	uint8_t buf[FRAME_HEADER_LEN];

	frame_header_pack(&h, buf);
	assert_int_equal(raw_write(r, buf, sizeof(buf)), 0);
}

/* Read one frame's header and its status code (ERROR frames). */
static int read_error(struct raw *r, struct frame_header *h)
{
	uint8_t hdr[FRAME_HEADER_LEN], body[1024];
	const char *why;
	Mmsim__Status *st;
	int code;

	assert_int_equal(raw_read(r, hdr, sizeof(hdr)), 0);
	assert_int_equal(frame_header_parse(hdr, FROM_SERVER, sizeof(body), h, &why), 0);
	assert_int_equal(raw_read(r, body, h->length), 0);
	if (h->kind != FRAME_ERROR)
		return 0;
	st = mmsim__status__unpack(NULL, h->length, body);
	assert_non_null(st);
	code = st->code;
	mmsim__status__free_unpacked(st, NULL);
	return code;
}

static void expect_protocol_error(void (*send)(struct raw *))
{
	struct raw r;
	struct frame_header h;

	assert_int_equal(tls_as(&r, T.dir, "alice"), 0);
	send(&r);
	assert_int_equal(read_error(&r, &h), MMSIM_E_MALFORMED);
	assert_int_equal(h.id, 0);
	read_error(&r, &h);
	assert_int_equal(h.kind, FRAME_GOAWAY);
	assert_true(raw_closed(&r, 3000));
	raw_close(&r);
	assert_served();
}

static void send_2gib(struct raw *r)
{
	send_header(r, 0x80000000u, FRAME_REQUEST, 0, MMSIM_M_PING, 1);
}
static void send_bad_kind(struct raw *r)
{
	send_header(r, 0, FRAME_RESPONSE, 0, 0, 1);
}
static void send_bad_flags(struct raw *r)
{
	send_header(r, 0, FRAME_REQUEST, 0x80, 0, 1);
}
static void send_id_zero(struct raw *r)
{
	send_header(r, 0, FRAME_REQUEST, 0, 0, 0);
}

static void test_bad_frames(void **state)
{
	(void)state;
	expect_protocol_error(send_2gib);
	expect_protocol_error(send_bad_kind);
	expect_protocol_error(send_bad_flags);
	expect_protocol_error(send_id_zero);
}

/* Garbage payloads and unknown methods are per-request errors: the connection lives on. */
static void test_bad_requests(void **state)
{
	struct raw r;
	struct frame_header h;
	static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	(void)state;
	assert_int_equal(tls_as(&r, T.dir, "alice"), 0);
	send_header(&r, sizeof(garbage), FRAME_REQUEST, 0, MMSIM_M_ALLOC_PAGES, 7);
	assert_int_equal(raw_write(&r, garbage, sizeof(garbage)), 0);
	assert_int_equal(read_error(&r, &h), MMSIM_E_MALFORMED);
	assert_int_equal(h.id, 7);
	send_header(&r, 0, FRAME_REQUEST, 0, 77, 8);
	assert_int_equal(read_error(&r, &h), MMSIM_E_UNKNOWN_METHOD);
	assert_int_equal(h.id, 8);
	send_header(&r, 0, FRAME_REQUEST, 0, MMSIM_M_PING, 9);
	assert_int_equal(read_error(&r, &h), 0);
	assert_int_equal(h.kind, FRAME_RESPONSE);
	assert_int_equal(h.id, 9);
	/* a PING is answered with a PONG carrying its payload */
	send_header(&r, 4, FRAME_PING, 0, 0, 0);
	assert_int_equal(raw_write(&r, "abcd", 4), 0);
	read_error(&r, &h);
	assert_int_equal(h.kind, FRAME_PONG);
	assert_int_equal(h.length, 4);
	/* a truncated frame, then the client vanishes */
	send_header(&r, 100, FRAME_REQUEST, 0, MMSIM_M_PING, 10);
	assert_int_equal(raw_write(&r, "abc", 3), 0);
	raw_close(&r);
	assert_served();
}

/* One byte at a time, slower than the frame deadline: the daemon hangs up. */
static void test_dribble(void **state)
{
	struct raw r;
	struct frame_header h = {0, FRAME_REQUEST, 0, MMSIM_M_PING, 1};
	uint8_t buf[FRAME_HEADER_LEN];
	int i;

	(void)state;
	assert_int_equal(tls_as(&r, T.dir, "alice"), 0);
	frame_header_pack(&h, buf);
	for (i = 0; i < FRAME_HEADER_LEN - 1; i++) {
		if (raw_write(&r, &buf[i], 1))
			break;
		if (raw_closed(&r, 100))
			break;
	}
	assert_true(i < FRAME_HEADER_LEN - 1); /* cut off before the header was whole */
	raw_close(&r);
	assert_served();
}

/* A client that stops reading is throttled, others are not; nothing is lost. */
static void test_slow_reader(void **state)
{
	struct mmsim_client *slow = connect_as("alice");
	Mmsim__ReadProcRequest rp = MMSIM__READ_PROC_REQUEST__INIT;
	const int n = 400;

	(void)state;
	rp.path = "/proc/zoneinfo"; /* about 6 KiB per answer: far past max_output */
	for (int i = 0; i < n; i++)
		assert_int_equal(mmsim_send(slow, MMSIM_M_READ_PROC, &rp.base, NULL), 0);
	assert_int_equal(mmsim_flush(slow), 0);
	assert_served();
	for (int i = 0; i < n; i++) {
		ProtobufCMessage *r;

		assert_int_equal(mmsim_recv(slow, NULL, NULL, &r), 0);
		assert_non_null(strstr(((Mmsim__ReadProcReply *)r)->text, "pagesets"));
		protobuf_c_message_free_unpacked(r, NULL);
	}
	mmsim_close(slow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ping_identity),   cmocka_unit_test(test_pages_and_isolation),
	    cmocka_unit_test(test_pipeline),        cmocka_unit_test(test_pipeline_burst),
	    cmocka_unit_test(test_unauthenticated), cmocka_unit_test(test_bad_frames),
	    cmocka_unit_test(test_bad_requests),    cmocka_unit_test(test_dribble),
	    cmocka_unit_test(test_slow_reader),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
