/*
 * test_events.c - libmmsim's handling of pushed EVENT frames, against a
 * scripted TLS server (mmsimd has no event source yet): events before,
 * between and after answers are all delivered in order; answers are not
 * disturbed; a PING from the server is answered; waiting with nothing to
 * read times out.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/ssl.h>

#include "frame.h"
#include "harness.h"

static char dir[64];
static int lfd, port;

static void put(SSL *ssl, uint8_t kind, uint16_t method, uint64_t id, const void *p, size_t n)
{
	uint8_t buf[FRAME_HEADER_LEN + 256];
	struct frame_header h = {(uint32_t)n, kind, 0, method, id};

	frame_header_pack(&h, buf);
	memcpy(buf + FRAME_HEADER_LEN, p, n);
	SSL_write(ssl, buf, (int)(FRAME_HEADER_LEN + n));
}

static int get(SSL *ssl, struct frame_header *h, uint8_t *payload)
{
	uint8_t hdr[FRAME_HEADER_LEN];
	const char *why;

	if (SSL_read(ssl, hdr, sizeof(hdr)) != sizeof(hdr) ||
	    frame_header_parse(hdr, FROM_CLIENT, 256, h, &why))
		return -1;
	return h->length ? (SSL_read(ssl, payload, (int)h->length) == (int)h->length ? 0 : -1) : 0;
}

/* The script: EVENT 1, [request] PING, EVENT 2, RESPONSE, EVENT 3. */
static void *server(void *arg)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	char cert[128], key[128];
	struct frame_header h;
	uint8_t body[256], reply[64];
	Mmsim__PingReply r = MMSIM__PING_REPLY__INIT;
	int fd;
	SSL *ssl;

	(void)arg;
	snprintf(cert, sizeof(cert), "%s/server.pem", dir);
	snprintf(key, sizeof(key), "%s/server-key.pem", dir);
	SSL_CTX_use_certificate_chain_file(ctx, cert);
	SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM);
	fd = accept(lfd, NULL, NULL);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) == 1) {
		put(ssl, FRAME_EVENT, 5, 42, "one", 3);
		if (!get(ssl, &h, body)) {
			put(ssl, FRAME_PING, 0, 0, "pp", 2);
			put(ssl, FRAME_EVENT, 5, 42, "two", 3);
			r.server_version = "fake";
			put(ssl, FRAME_RESPONSE, h.method, h.id, reply,
			    mmsim__ping_reply__pack(&r, reply));
			get(ssl, &h, body); /* the PONG */
			put(ssl, FRAME_EVENT, 6, 43, "three", 5);
			get(ssl, &h, body); /* wait for the client's GOAWAY */
		}
	}
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return NULL;
}

static int setup(void **state)
{
	char cmd[256];
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sa);

	(void)state;
	strcpy(dir, "/tmp/mmsim-ev-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/deploy/gen-certs.sh %s alice >/dev/null", MMSIM_SOURCE_DIR,
	         dir);
	if (system(cmd))
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1))
		return -1;
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	port = ntohs(sa.sin_port);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(lfd);
	return harness_rmdir(dir);
}

static void expect_event(struct mmsim_client *c, uint16_t type, uint64_t sub, const char *text)
{
	struct mmsim_event ev;

	assert_int_equal(mmsim_next_event(c, &ev, 2000), 1);
	assert_int_equal(ev.type, type);
	assert_int_equal(ev.subscription, sub);
	assert_int_equal(ev.len, strlen(text));
	assert_memory_equal(ev.payload, text, ev.len);
	assert_int_equal(ev.lost, 0);
	free(ev.payload);
}

static void test_events_in_order(void **state)
{
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	struct mmsim_client *c;
	struct mmsim_event ev;
	ProtobufCMessage *r;
	pthread_t t;

	(void)state;
	pthread_create(&t, NULL, server, NULL);
	c = harness_connect(dir, port, "alice");
	assert_non_null(c);
	expect_event(c, 5, 42, "one");
	/* the answer arrives behind a PING and an event: both handled, nothing lost */
	assert_int_equal(mmsim_call(c, MMSIM_M_PING, &q.base, &r), 0);
	assert_string_equal(((Mmsim__PingReply *)r)->server_version, "fake");
	protobuf_c_message_free_unpacked(r, NULL);
	expect_event(c, 5, 42, "two");
	expect_event(c, 6, 43, "three");
	assert_int_equal(mmsim_next_event(c, &ev, 100), 0);
	mmsim_close(c);
	pthread_join(t, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_events_in_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
