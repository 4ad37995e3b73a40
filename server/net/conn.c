/*
 * conn.c - one client connection's protocol: identity after the
 * handshake, frames judged as soon as their header arrives, requests served
 * in order, answers queued for conn_io.c to encrypt and send in one go, and
 * closing cleanly.  The bytes themselves are conn_io.c's business.
 *
 * Limits that keep one client from hurting the others:
 *  - a frame header is checked before its payload is buffered;
 *  - time: the handshake, an idle connection and a started frame each have
 *    a deadline (a client dribbling one byte at a time hits the last);
 *  - fairness: at most max_batch frames per connection per loop turn, the
 *    rest after the other connections' events;
 *  - output past max_output stops reading (conn_io.c).
 * A frame that breaks the protocol gets an ERROR and a GOAWAY and the
 * connection is closed: after a framing error the stream is not trusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "frame.h"
#include "mmsim.pb-c.h"
#include "net/conn_int.h"
#include "net/log.h"
#include "net/tls.h"
#include "status.h"

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
	conn_io_free(c);
	log_msg(LOG_DEBUG, "conn=%llu closed", (unsigned long long)c->id);
	free(c);
	daemon_conn_closed(d);
}

/* Queue a frame; conn_send_out encrypts and sends a whole turn's frames at once. */
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
 * Stop serving and close once the output is sent.  Never frees c on the
 * spot (callers are often in the middle of using it): conn_work does, from
 * the loop.
 */
static void close_after_flush(struct conn *c)
{
	c->closing = true;
	event_del(c->rev);
	event_del(c->frame_timer);
	conn_kick(c);
}

void conn_goaway(struct conn *c, const char *reason)
{
	Mmsim__GoAway g = MMSIM__GO_AWAY__INIT;
	uint8_t buf[FRAME_MAX_GOAWAY_PAYLOAD];

	if (c->closing)
		return;
	if (!c->tenant) { /* nothing to say before the handshake (called from the loop) */
		conn_free(c);
		return;
	}
	g.has_last_id = 1;
	g.last_id = c->last_id;
	g.reason = (char *)reason;
	send_frame(c, FRAME_GOAWAY, 0, 0, buf, mmsim__go_away__pack(&g, buf));
	conn_send_out(c);
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

/*
 * Serve up to max_batch complete frames from the input buffer.  Returns the
 * number served, or -1 after a protocol error; *more says whether another
 * complete frame waits.
 */
static int serve_input(struct conn *c, bool *more)
{
	size_t off = 0;
	int n = 0;

	*more = false;
	while (!c->closing && c->ilen - off >= FRAME_HEADER_LEN) {
		struct frame_header h;
		const char *why;

		if (frame_header_parse(c->ibuf + off, FROM_CLIENT, c->d->cfg.max_frame, &h, &why)) {
			protocol_error(c, why);
			return -1;
		}
		if (c->ilen - off < FRAME_HEADER_LEN + (size_t)h.length)
			break;
		if (n == c->d->cfg.max_batch) {
			*more = true;
			break;
		}
		serve_frame(c, &h, c->ibuf + off + FRAME_HEADER_LEN);
		off += FRAME_HEADER_LEN + h.length;
		n++;
	}
	memmove(c->ibuf, c->ibuf + off, c->ilen - off);
	c->ilen -= off;
	return n;
}

static void arm_frame_timer(struct conn *c, bool partial)
{
	struct timeval tv = {c->d->cfg.frame_timeout_ms / 1000,
	                     (c->d->cfg.frame_timeout_ms % 1000) * 1000};

	if (!partial)
		event_del(c->frame_timer);
	else if (!event_pending(c->frame_timer, EV_TIMEOUT, NULL))
		event_add(c->frame_timer, &tv);
}

bool conn_work(struct conn *c)
{
	bool more = false;
	int n = 0;

	if (!c->closing)
		n = serve_input(c, &more);
	conn_send_out(c);
	if (c->closing) {
		if (!conn_output_pending(c)) {
			conn_free(c);
			return false;
		}
		return true;
	}
	arm_frame_timer(c, c->ilen > 0 && !more);
	if (n > 0)
		conn_arm_idle(c, c->d->cfg.idle_timeout_ms);
	if (more && !c->throttled)
		conn_kick(c);
	return true;
}

void conn_handshake_done(struct conn *c)
{
	char name[TENANT_NAME_MAX + 1];
	bool admin = false;

	if (tls_peer_identity(c->ssl, c->d->cfg.admins, name, sizeof(name), &admin) ||
	    !(c->tenant = registry_tenant(&c->d->reg, name, admin))) {
		log_msg(LOG_WARN, "conn=%llu from %s: no usable client certificate",
		        (unsigned long long)c->id, c->peer);
		close_after_flush(c); /* the tenant stays NULL: nothing is served */
		return;
	}
	log_msg(LOG_INFO, "conn=%llu from %s: tenant %s%s", (unsigned long long)c->id, c->peer,
	        c->tenant->name, admin ? " (admin)" : "");
	conn_arm_idle(c, c->d->cfg.idle_timeout_ms);
	if (c->d->shutting_down)
		conn_goaway(c, "shutting down");
}

void conn_timeout(struct conn *c)
{
	if (!c->tenant || c->closing) {
		log_msg(LOG_INFO, "conn=%llu from %s: %s timed out", (unsigned long long)c->id,
		        c->peer, c->tenant ? "closing" : "TLS handshake");
		conn_free(c);
		return;
	}
	log_msg(LOG_INFO, "conn=%llu tenant=%s: idle timeout", (unsigned long long)c->id,
	        c->tenant->name);
	conn_goaway(c, "idle timeout");
}

void conn_frame_timeout(struct conn *c)
{
	log_msg(LOG_WARN, "conn=%llu tenant=%s: frame not completed within %d ms",
	        (unsigned long long)c->id, c->tenant ? c->tenant->name : "-",
	        c->d->cfg.frame_timeout_ms);
	conn_goaway(c, "frame timeout");
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
	evutil_make_socket_nonblocking(fd);
	/* answers leave in one write per turn and must not wait for Nagle */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!(c = calloc(1, sizeof(*c)))) {
		evutil_closesocket(fd);
		return;
	}
	c->d = d;
	c->fd = fd;
	c->id = ++d->next_conn_id;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->next = d->conns;
	if (d->conns)
		d->conns->prev = c;
	d->conns = c;
	d->nr_conns++;
	if (conn_io_init(c, d->ssl_ctx)) {
		log_msg(LOG_ERROR, "out of memory accepting %s", peer);
		conn_free(c);
		return;
	}
	conn_arm_idle(c, d->cfg.handshake_timeout_ms);
}
