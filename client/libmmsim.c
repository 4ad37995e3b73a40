/*
 * libmmsim.c - the client library (mmsim.h): blocking sockets and OpenSSL,
 * no event loop, so scripts and the CLI stay simple.
 *
 * Requests are buffered and leave in one write per flush (one TLS record
 * for a whole pipelined batch); answers are read into a buffer and taken
 * frame by frame.  The daemon answers in order, so mmsim_recv needs no
 * table of pending ids: it checks that each answer is the next expected.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "frame.h"
#include "mmsim.h"

#define PENDING_MAX 65536 /* requests sent and not yet received */

struct event_node {
	struct mmsim_event ev;
	struct event_node *next;
};

struct mmsim_client {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	uint64_t next_id;
	uint64_t pending[PENDING_MAX]; /* ids sent, oldest first (a ring) */
	size_t pend_head, pend_count;
	uint8_t *out; /* requests not yet written */
	size_t out_len, out_cap;
	struct event_node *ev_head, *ev_tail; /* queued events, oldest first */
	size_t ev_count;
	uint64_t ev_lost;
	uint8_t *in; /* bytes read, not yet consumed */
	size_t in_len, in_cap;
	char error[256];
};

static int fail(struct mmsim_client *c, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	return code;
}

static const struct {
	const ProtobufCMessageDescriptor *req, *reply;
} method_types[MMSIM_NR_METHODS] = {
    {&mmsim__ping_request__descriptor, &mmsim__ping_reply__descriptor},
    {&mmsim__machine_info_request__descriptor, &mmsim__machine_info_reply__descriptor},
    {&mmsim__read_proc_request__descriptor, &mmsim__read_proc_reply__descriptor},
    {&mmsim__alloc_pages_request__descriptor, &mmsim__alloc_pages_reply__descriptor},
    {&mmsim__free_pages_request__descriptor, &mmsim__free_pages_reply__descriptor},
    {&mmsim__sysctl_get_request__descriptor, &mmsim__sysctl_reply__descriptor},
    {&mmsim__sysctl_set_request__descriptor, &mmsim__sysctl_reply__descriptor},
    {&mmsim__create_machine_request__descriptor, &mmsim__create_machine_reply__descriptor},
    {&mmsim__list_machines_request__descriptor, &mmsim__list_machines_reply__descriptor},
    {&mmsim__destroy_machine_request__descriptor, &mmsim__destroy_machine_reply__descriptor},
};

int mmsim_method_types(unsigned method, const ProtobufCMessageDescriptor **req,
                       const ProtobufCMessageDescriptor **reply)
{
	if (method >= MMSIM_NR_METHODS)
		return -1;
	*req = method_types[method].req;
	*reply = method_types[method].reply;
	return 0;
}

const char *mmsim_error(const struct mmsim_client *c)
{
	return c->error;
}

/* Split "host:port" ("[::1]:7070" too). */
static int split_endpoint(const char *ep, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon = strrchr(ep, ':');
	size_t n;

	if (!colon || !colon[1] || strlen(colon + 1) >= plen)
		return -1;
	n = (size_t)(colon - ep);
	if (n && ep[0] == '[' && ep[n - 1] == ']')
		ep++, n -= 2;
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, ep, n);
	host[n] = '\0';
	strcpy(port, colon + 1);
	return 0;
}

static int tcp_connect(struct mmsim_client *c, const char *host, const char *port, int ms)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	int one = 1, rc = getaddrinfo(host, port, &hints, &res);

	if (rc)
		return fail(c, -1, "%s: %s", host, gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (c->fd < 0)
			continue;
		setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!connect(c->fd, ai->ai_addr, ai->ai_addrlen))
			break;
		rc = errno;
		close(c->fd);
		c->fd = -1;
	}
	freeaddrinfo(res);
	return c->fd < 0 ? fail(c, -1, "connect %s:%s: %s", host, port, strerror(rc)) : 0;
}

static int tls_fail(struct mmsim_client *c, const char *what)
{
	char buf[200] = "";
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return fail(c, -1, "%s: %s", what, buf[0] ? buf : "failed");
}

static int tls_setup(struct mmsim_client *c, const struct mmsim_options *o, const char *host)
{
	static const unsigned char alpn[] = "\x07mmsim/1";

	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx)
		return tls_fail(c, "TLS context");
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	if (SSL_CTX_load_verify_locations(c->ctx, o->ca, NULL) != 1)
		return tls_fail(c, o->ca ? o->ca : "CA file");
	if (SSL_CTX_use_certificate_chain_file(c->ctx, o->cert) != 1)
		return tls_fail(c, o->cert ? o->cert : "certificate");
	if (SSL_CTX_use_PrivateKey_file(c->ctx, o->key, SSL_FILETYPE_PEM) != 1)
		return tls_fail(c, o->key ? o->key : "key");
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd))
		return tls_fail(c, "TLS session");
	SSL_set_tlsext_host_name(c->ssl, host);
	SSL_set1_host(c->ssl, host);
	SSL_set_alpn_protos(c->ssl, alpn, sizeof(alpn) - 1);
	if (SSL_connect(c->ssl) != 1)
		return tls_fail(c, "TLS handshake");
	return 0;
}

struct mmsim_client *mmsim_connect(const struct mmsim_options *o, char *err, size_t errlen)
{
	struct mmsim_client *c = calloc(1, sizeof(*c));
	char host[256], port[16];

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->fd = -1;
	c->next_id = 1;
	if (!o->endpoint || split_endpoint(o->endpoint, host, sizeof(host), port, sizeof(port)))
		fail(c, -1, "endpoint \"%s\" is not HOST:PORT", o->endpoint ? o->endpoint : "");
	else if (!tcp_connect(c, host, port, o->timeout_ms > 0 ? o->timeout_ms : 30000) &&
	         !tls_setup(c, o, host))
		return c;
	snprintf(err, errlen, "%s", c->error);
	mmsim_close(c);
	return NULL;
}

static int write_all(struct mmsim_client *c, const uint8_t *p, size_t n)
{
	while (n) {
		int w = SSL_write(c->ssl, p, n > (1u << 30) ? 1 << 30 : (int)n);

		if (w <= 0)
			return tls_fail(c, "write");
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void mmsim_close(struct mmsim_client *c)
{
	if (!c)
		return;
	if (c->ssl) {
		static const uint8_t bye[FRAME_HEADER_LEN] = {0, 0, 0, 0, FRAME_GOAWAY};

		if (SSL_is_init_finished(c->ssl)) {
			SSL_write(c->ssl, bye, sizeof(bye));
			SSL_shutdown(c->ssl);
		}
		SSL_free(c->ssl);
	}
	if (c->ctx)
		SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	while (c->ev_head) {
		struct event_node *n = c->ev_head;

		c->ev_head = n->next;
		free(n->ev.payload);
		free(n);
	}
	free(c->out);
	free(c->in);
	free(c);
}

static int reserve(uint8_t **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 4096;
	uint8_t *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (!(p = realloc(*buf, n)))
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

int mmsim_send(struct mmsim_client *c, unsigned method, const ProtobufCMessage *req, uint64_t *id)
{
	size_t len = protobuf_c_message_get_packed_size(req);
	struct frame_header h = {(uint32_t)len, FRAME_REQUEST, 0, (uint16_t)method, c->next_id};

	if (c->pend_count == PENDING_MAX)
		return fail(c, EAGAIN, "%d requests in flight: receive some first", PENDING_MAX);
	if (reserve(&c->out, &c->out_cap, c->out_len + FRAME_HEADER_LEN + len))
		return fail(c, ENOMEM, "out of memory");
	frame_header_pack(&h, c->out + c->out_len);
	protobuf_c_message_pack(req, c->out + c->out_len + FRAME_HEADER_LEN);
	c->out_len += FRAME_HEADER_LEN + len;
	c->pending[(c->pend_head + c->pend_count++) % PENDING_MAX] = c->next_id;
	if (id)
		*id = c->next_id;
	c->next_id++;
	c->error[0] = '\0';
	return 0;
}

int mmsim_flush(struct mmsim_client *c)
{
	int rc = write_all(c, c->out, c->out_len);

	c->out_len = 0;
	return rc;
}

/* Make n bytes available at c->in. */
static int read_at_least(struct mmsim_client *c, size_t n)
{
	if (reserve(&c->in, &c->in_cap, n < 16384 ? 16384 : n))
		return fail(c, -1, "out of memory");
	while (c->in_len < n) {
		int r = SSL_read(c->ssl, c->in + c->in_len, (int)(c->in_cap - c->in_len));

		if (r <= 0)
			return tls_fail(c, "connection closed by the daemon");
		c->in_len += (size_t)r;
	}
	return 0;
}

static void consume(struct mmsim_client *c, size_t n)
{
	memmove(c->in, c->in + n, c->in_len - n);
	c->in_len -= n;
}

/* Read the next frame; its payload is at c->in + FRAME_HEADER_LEN until consumed. */
static int read_frame(struct mmsim_client *c, struct frame_header *h)
{
	const char *why;

	if (read_at_least(c, FRAME_HEADER_LEN))
		return -1;
	if (frame_header_parse(c->in, FROM_SERVER, 1u << 30, h, &why))
		return fail(c, -1, "bad frame from the daemon: %s", why);
	return read_at_least(c, FRAME_HEADER_LEN + h->length);
}

static int status_of(struct mmsim_client *c, const struct frame_header *h)
{
	Mmsim__Status *st = mmsim__status__unpack(NULL, h->length, c->in + FRAME_HEADER_LEN);
	int code = MMSIM_E_MALFORMED;

	if (st) {
		code = st->code;
		fail(c, code, "%s: %s", mmsim_status_name(code), st->message ? st->message : "");
		mmsim__status__free_unpacked(st, NULL);
	} else {
		fail(c, code, "unreadable error from the daemon");
	}
	return code;
}

/* Keep an EVENT frame for mmsim_next_event; drop the oldest past the bound. */
static void queue_event(struct mmsim_client *c, const struct frame_header *h)
{
	struct event_node *n = calloc(1, sizeof(*n));

	if (n && (n->ev.payload = malloc(h->length ? h->length : 1))) {
		memcpy(n->ev.payload, c->in + FRAME_HEADER_LEN, h->length);
		n->ev.len = h->length;
		n->ev.type = h->method;
		n->ev.subscription = h->id;
	} else {
		free(n);
		c->ev_lost++;
		return;
	}
	if (c->ev_count == MMSIM_EVENT_QUEUE) {
		struct event_node *old = c->ev_head;

		c->ev_head = old->next;
		free(old->ev.payload);
		free(old);
		c->ev_count--;
		c->ev_lost++;
	}
	if (c->ev_tail)
		c->ev_tail->next = n;
	else
		c->ev_head = n;
	c->ev_tail = n;
	c->ev_count++;
}

/* Control frames between answers: answer PINGs, queue events, stop at a GOAWAY. */
static int control_frame(struct mmsim_client *c, const struct frame_header *h)
{
	if (h->kind == FRAME_PING) {
		uint8_t pong[FRAME_HEADER_LEN + FRAME_MAX_PING_PAYLOAD];
		struct frame_header ph = {h->length, FRAME_PONG, 0, 0, h->id};

		frame_header_pack(&ph, pong);
		memcpy(pong + FRAME_HEADER_LEN, c->in + FRAME_HEADER_LEN, h->length);
		if (write_all(c, pong, FRAME_HEADER_LEN + h->length))
			return -1;
	} else if (h->kind == FRAME_EVENT) {
		queue_event(c, h);
	} else if (h->kind == FRAME_GOAWAY) {
		Mmsim__GoAway *g =
		    mmsim__go_away__unpack(NULL, h->length, c->in + FRAME_HEADER_LEN);

		fail(c, -1, "the daemon closed the connection: %s",
		     g && g->reason ? g->reason : "goaway");
		if (g)
			mmsim__go_away__free_unpacked(g, NULL);
		return -1;
	}
	consume(c, FRAME_HEADER_LEN + h->length);
	return 0;
}

static int answer(struct mmsim_client *c, const struct frame_header *h, ProtobufCMessage **reply)
{
	const ProtobufCMessageDescriptor *rq, *rp;
	int rc = 0;

	if (h->kind == FRAME_ERROR) {
		rc = status_of(c, h);
	} else if (mmsim_method_types(h->method, &rq, &rp)) {
		rc = fail(c, -1, "answer for unknown method %u", h->method);
	} else {
		*reply = protobuf_c_message_unpack(rp, NULL, h->length, c->in + FRAME_HEADER_LEN);
		if (!*reply)
			rc = fail(c, -1, "unreadable %s from the daemon", rp->short_name);
	}
	consume(c, FRAME_HEADER_LEN + h->length);
	return rc;
}

int mmsim_recv(struct mmsim_client *c, uint64_t *id, unsigned *method, ProtobufCMessage **reply)
{
	struct frame_header h;

	*reply = NULL;
	if (c->pend_count == 0)
		return fail(c, EINVAL, "no request is waiting for an answer");
	if (c->out_len && mmsim_flush(c))
		return -1;
	for (;;) {
		if (read_frame(c, &h))
			return -1;
		if (h.kind == FRAME_ERROR && h.id == 0) { /* the connection is being closed */
			status_of(c, &h);
			return -1;
		}
		if (h.kind == FRAME_RESPONSE || h.kind == FRAME_ERROR)
			break;
		if (control_frame(c, &h))
			return -1;
	}
	if (h.id != c->pending[c->pend_head])
		return fail(c, -1, "answer %llu out of order (expected %llu)",
		            (unsigned long long)h.id, (unsigned long long)c->pending[c->pend_head]);
	c->pend_head = (c->pend_head + 1) % PENDING_MAX;
	c->pend_count--;
	if (id)
		*id = h.id;
	if (method)
		*method = h.method;
	return answer(c, &h, reply);
}

int mmsim_call(struct mmsim_client *c, unsigned method, const ProtobufCMessage *req,
               ProtobufCMessage **reply)
{
	int rc = mmsim_send(c, method, req, NULL);

	if (rc)
		return rc;
	if (mmsim_flush(c))
		return -1;
	return mmsim_recv(c, NULL, NULL, reply);
}

static int pop_event(struct mmsim_client *c, struct mmsim_event *ev)
{
	struct event_node *n = c->ev_head;

	if (!n)
		return 0;
	c->ev_head = n->next;
	if (!c->ev_head)
		c->ev_tail = NULL;
	c->ev_count--;
	*ev = n->ev;
	ev->lost = c->ev_lost;
	c->ev_lost = 0;
	free(n);
	return 1;
}

/* Is a frame (or part of one) readable within ms? */
static int readable(struct mmsim_client *c, int ms)
{
	struct pollfd p = {c->fd, POLLIN, 0};

	return c->in_len || SSL_pending(c->ssl) || poll(&p, 1, ms) > 0;
}

int mmsim_next_event(struct mmsim_client *c, struct mmsim_event *ev, int timeout_ms)
{
	struct frame_header h;

	memset(ev, 0, sizeof(*ev));
	if (pop_event(c, ev))
		return 1;
	/* with answers outstanding, reading on would take them: mmsim_recv does */
	if (c->pend_count)
		return 0;
	while (readable(c, timeout_ms)) {
		if (read_frame(c, &h))
			return -1;
		if (h.kind == FRAME_RESPONSE || h.kind == FRAME_ERROR)
			return fail(c, -1, "an answer with no request waiting (id %llu)",
			            (unsigned long long)h.id);
		if (control_frame(c, &h))
			return -1;
		if (pop_event(c, ev))
			return 1;
		timeout_ms = 0; /* only what is already here */
	}
	return 0;
}
