/*
 * conn.c - one client connection: the TLS handshake and identity, reading
 * frames with every limit checked before buffering, serving requests in
 * order, and closing cleanly.
 *
 * Limits that keep one client from hurting the others:
 *  - input: libevent stops reading past one maximal frame (read high
 *    watermark), and a frame header is judged before its payload arrives;
 *  - output: past max_output unsent bytes the connection stops reading
 *    (back-pressure) until the client drains it;
 *  - time: the handshake, an idle connection and a started frame each have
 *    a deadline (a client dribbling one byte at a time hits the last);
 *  - fairness: at most max_batch frames per connection per loop turn, the
 *    rest deferred behind the other connections' events.
 * A frame that breaks the protocol gets an ERROR and a GOAWAY and the
 * connection is closed: after a framing error the stream is not trusted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "mmsim.pb-c.h"
#include "net/daemon_int.h"
#include "net/log.h"
#include "net/tls.h"
#include "status.h"

struct conn {
	struct daemon *d;
	struct bufferevent *bev;   /* owned; owns the socket and the SSL */
	struct event *frame_timer; /* owned; armed while a frame is incomplete */
	struct tenant *tenant;     /* set once the handshake verified a certificate */
	uint64_t id;               /* for the log */
	uint64_t last_id;          /* highest request id served */
	bool closing;              /* close once the output is flushed */
	bool throttled;            /* reading stopped for back-pressure */
	uint8_t *wbuf;             /* owned: frames queued this turn, written at once */
	size_t wlen, wcap;
	char peer[64];
	struct conn *next, *prev;
};

struct conn *conn_next(const struct conn *c)
{
	return c->next;
}

void conn_free(struct conn *c)
{
	struct daemon *d = c->d;

	if (c->prev)
		c->prev->next = c->next;
	else
		d->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	d->nr_conns--;
	if (c->frame_timer)
		event_free(c->frame_timer);
	if (c->bev) {
		SSL *ssl = bufferevent_openssl_get_ssl(c->bev);

		/* a quiet close: no close_notify round trip to wait for */
		if (ssl)
			SSL_set_shutdown(ssl, SSL_RECEIVED_SHUTDOWN);
		bufferevent_free(c->bev);
	}
	log_msg(LOG_DEBUG, "conn=%llu closed", (unsigned long long)c->id);
	free(c->wbuf);
	free(c);
	daemon_conn_closed(d);
}

/*
 * Frames produced in one loop turn are gathered here and handed to the
 * TLS bufferevent in one write: bufferevent_openssl makes a TLS record (and
 * a send) per chunk it is given, so sixteen pipelined answers would
 * otherwise cost sixteen records and sixteen syscalls.
 */
static void conn_flush(struct conn *c)
{
	if (c->wlen)
		bufferevent_write(c->bev, c->wbuf, c->wlen);
	c->wlen = 0;
	if (c->wcap > 65536) { /* do not keep a burst's buffer for an idle connection */
		free(c->wbuf);
		c->wbuf = NULL;
		c->wcap = 0;
	}
}

static void send_frame(struct conn *c, uint8_t kind, uint16_t method, uint64_t id,
                       const uint8_t *payload, size_t len)
{
	struct frame_header h = {(uint32_t)len, kind, 0, method, id};
	size_t need = c->wlen + FRAME_HEADER_LEN + len;

	if (need > c->wcap) {
		size_t cap = c->wcap ? c->wcap : 4096;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		if (!(p = realloc(c->wbuf, cap))) {
			log_msg(LOG_ERROR, "conn=%llu: out of memory for a reply",
			        (unsigned long long)c->id);
			return;
		}
		c->wbuf = p;
		c->wcap = cap;
	}
	frame_header_pack(&h, c->wbuf + c->wlen);
	if (len)
		memcpy(c->wbuf + c->wlen + FRAME_HEADER_LEN, payload, len);
	c->wlen = need;
}

static void send_status(struct conn *c, uint16_t method, uint64_t id, int code, const char *msg)
{
	Mmsim__Status st = MMSIM__STATUS__INIT;
	uint8_t buf[512];

	st.has_code = 1;
	st.code = code;
	st.message = (char *)msg;
	if (mmsim__status__get_packed_size(&st) > sizeof(buf))
		st.message = (char *)mmsim_status_text(code);
	send_frame(c, FRAME_ERROR, method, id, buf, mmsim__status__pack(&st, buf));
}

/*
 * Stop reading and close as soon as everything queued is sent.  Never frees
 * c on the spot (callers are often in the middle of using it): write_cb
 * does, from the loop, once the output is empty.
 */
static void close_after_flush(struct conn *c)
{
	c->closing = true;
	bufferevent_disable(c->bev, EV_READ);
	event_del(c->frame_timer);
	bufferevent_trigger(c->bev, EV_WRITE,
	                    BEV_TRIG_DEFER_CALLBACKS | BEV_TRIG_IGNORE_WATERMARKS);
}

void conn_goaway(struct conn *c, const char *reason)
{
	Mmsim__GoAway g = MMSIM__GO_AWAY__INIT;
	uint8_t buf[FRAME_MAX_GOAWAY_PAYLOAD];

	if (c->closing)
		return;
	if (!c->tenant) { /* nothing to say before the handshake */
		conn_free(c);
		return;
	}
	g.has_last_id = 1;
	g.last_id = c->last_id;
	g.reason = (char *)reason;
	send_frame(c, FRAME_GOAWAY, 0, 0, buf, mmsim__go_away__pack(&g, buf));
	conn_flush(c);
	close_after_flush(c);
}

static void protocol_error(struct conn *c, const char *why)
{
	log_msg(LOG_WARN, "conn=%llu tenant=%s: protocol error: %s", (unsigned long long)c->id,
	        c->tenant->name, why);
	send_status(c, 0, 0, MMSIM_E_MALFORMED, why);
	conn_goaway(c, "protocol error");
}

static void serve_request(struct conn *c, const struct frame_header *h, const uint8_t *payload)
{
	struct rpc_reply r;

	if (c->d->shutting_down) {
		send_status(c, h->method, h->id, MMSIM_E_SHUTDOWN, "the daemon is shutting down");
		return;
	}
	rpc_dispatch(&c->d->rpc, c->tenant, h->method, payload, h->length, &r);
	if (r.status) {
		log_msg(LOG_DEBUG, "conn=%llu tenant=%s method=%s id=%llu: %s: %s",
		        (unsigned long long)c->id, c->tenant->name,
		        rpc_method_name(h->method) ? rpc_method_name(h->method) : "?",
		        (unsigned long long)h->id, mmsim_status_name(r.status), r.message);
		send_status(c, h->method, h->id, r.status, r.message);
	} else {
		send_frame(c, FRAME_RESPONSE, h->method, h->id, r.payload, r.len);
	}
	rpc_reply_release(&r);
	if (h->id > c->last_id)
		c->last_id = h->id;
}

static void serve_frame(struct conn *c, const struct frame_header *h, const uint8_t *payload)
{
	switch (h->kind) {
	case FRAME_REQUEST:
		serve_request(c, h, payload);
		break;
	case FRAME_PING:
		send_frame(c, FRAME_PONG, 0, h->id, payload, h->length);
		break;
	case FRAME_GOAWAY:
		close_after_flush(c);
		break;
	default: /* PONG: nothing to do */
		break;
	}
}

/* Serve complete frames; returns 1 if more may be waiting, 0 otherwise, -1 if c is gone. */
static int serve_input(struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);

	for (int n = 0; n < c->d->cfg.max_batch && !c->closing; n++) {
		uint8_t hdr[FRAME_HEADER_LEN];
		struct frame_header h;
		const char *why;
		size_t len = evbuffer_get_length(in);

		if (len < FRAME_HEADER_LEN)
			return 0;
		evbuffer_copyout(in, hdr, FRAME_HEADER_LEN);
		if (frame_header_parse(hdr, FROM_CLIENT, c->d->cfg.max_frame, &h, &why)) {
			protocol_error(c, why);
			return -1;
		}
		if (len < FRAME_HEADER_LEN + (size_t)h.length)
			return 0;
		evbuffer_drain(in, FRAME_HEADER_LEN);
		serve_frame(c, &h, h.length ? evbuffer_pullup(in, h.length) : NULL);
		evbuffer_drain(in, h.length);
	}
	return c->closing ? -1 : evbuffer_get_length(in) >= FRAME_HEADER_LEN;
}

static void apply_backpressure(struct conn *c)
{
	if (!c->throttled &&
	    evbuffer_get_length(bufferevent_get_output(c->bev)) > c->d->cfg.max_output) {
		c->throttled = true;
		bufferevent_disable(c->bev, EV_READ);
	}
}

static void read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct timeval tv;
	int more;

	(void)bev;
	more = serve_input(c);
	conn_flush(c); /* c outlives serve_input: closing is deferred to write_cb */
	if (more < 0)
		return;
	/* a partial frame must complete in time; an idle connection has none */
	if (evbuffer_get_length(bufferevent_get_input(c->bev)) && !more) {
		if (!event_pending(c->frame_timer, EV_TIMEOUT, NULL)) {
			tv.tv_sec = c->d->cfg.frame_timeout_ms / 1000;
			tv.tv_usec = (c->d->cfg.frame_timeout_ms % 1000) * 1000;
			event_add(c->frame_timer, &tv);
		}
	} else {
		event_del(c->frame_timer);
	}
	apply_backpressure(c);
	if (more && !c->throttled)
		bufferevent_trigger(c->bev, EV_READ,
		                    BEV_TRIG_DEFER_CALLBACKS | BEV_TRIG_IGNORE_WATERMARKS);
}

static void write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (c->closing) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_free(c);
		return;
	}
	if (c->throttled) {
		c->throttled = false;
		bufferevent_enable(bev, EV_READ);
		bufferevent_trigger(bev, EV_READ,
		                    BEV_TRIG_DEFER_CALLBACKS | BEV_TRIG_IGNORE_WATERMARKS);
	}
}

static void set_timeouts(struct conn *c, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	bufferevent_set_timeouts(c->bev, &tv, &tv);
}

static void handshake_done(struct conn *c)
{
	char name[TENANT_NAME_MAX + 1];
	bool admin = false;

	if (tls_peer_identity(bufferevent_openssl_get_ssl(c->bev), c->d->cfg.admins, name,
	                      sizeof(name), &admin) ||
	    !(c->tenant = registry_tenant(&c->d->reg, name, admin))) {
		log_msg(LOG_WARN, "conn=%llu from %s: no usable client certificate",
		        (unsigned long long)c->id, c->peer);
		conn_free(c);
		return;
	}
	log_msg(LOG_INFO, "conn=%llu from %s: tenant %s%s", (unsigned long long)c->id, c->peer,
	        c->tenant->name, admin ? " (admin)" : "");
	set_timeouts(c, c->d->cfg.idle_timeout_ms);
	if (c->d->shutting_down)
		conn_goaway(c, "shutting down");
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		handshake_done(c);
		return;
	}
	if ((what & BEV_EVENT_TIMEOUT) && c->tenant && !c->closing) {
		log_msg(LOG_INFO, "conn=%llu tenant=%s: idle timeout", (unsigned long long)c->id,
		        c->tenant->name);
		conn_goaway(c, "idle timeout");
		return;
	}
	if (!c->tenant && (what & (BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)))
		log_msg(LOG_INFO, "conn=%llu from %s: TLS handshake failed or timed out",
		        (unsigned long long)c->id, c->peer);
	conn_free(c); /* EOF, error, or a timeout while closing */
}

static void frame_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	log_msg(LOG_WARN, "conn=%llu tenant=%s: frame not completed within %d ms",
	        (unsigned long long)c->id, c->tenant ? c->tenant->name : "-",
	        c->d->cfg.frame_timeout_ms);
	conn_goaway(c, "frame timeout");
}

static struct conn *conn_new(struct daemon *d, evutil_socket_t fd)
{
	struct conn *c = calloc(1, sizeof(*c));
	SSL *ssl = SSL_new(d->ssl_ctx);

	if (!c || !ssl)
		goto fail;
	c->bev = bufferevent_openssl_socket_new(d->base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
	                                        BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		SSL_free(ssl);
		goto fail;
	}
	c->frame_timer = evtimer_new(d->base, frame_timeout_cb, c);
	if (!c->frame_timer) {
		bufferevent_free(c->bev);
		free(c);
		return NULL;
	}
	return c;
fail:
	if (ssl)
		SSL_free(ssl);
	free(c);
	evutil_closesocket(fd);
	return NULL;
}

void conn_accept(struct daemon *d, evutil_socket_t fd, const char *peer)
{
	int one = 1;
	struct conn *c;

	if (d->shutting_down || d->nr_conns >= d->cfg.max_connections) {
		log_msg(LOG_WARN, "refusing %s: %s", peer,
		        d->shutting_down ? "shutting down" : "too many connections");
		evutil_closesocket(fd);
		return;
	}
	/* header and body leave in one record, but replies must not wait for Nagle */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!(c = conn_new(d, fd))) {
		log_msg(LOG_ERROR, "out of memory accepting %s", peer);
		return;
	}
	c->d = d;
	c->id = ++d->next_conn_id;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->next = d->conns;
	if (d->conns)
		d->conns->prev = c;
	d->conns = c;
	d->nr_conns++;
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	/* read at most one maximal frame ahead; wake the writer at half the output limit */
	bufferevent_setwatermark(c->bev, EV_READ, 0, FRAME_HEADER_LEN + d->cfg.max_frame + 16384);
	bufferevent_setwatermark(c->bev, EV_WRITE, d->cfg.max_output / 2, 0);
	set_timeouts(c, d->cfg.handshake_timeout_ms);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}
