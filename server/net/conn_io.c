/*
 * conn_io.c - a connection's bytes: the socket, TLS through memory BIOs,
 * and the events that drive them.
 *
 * Why not bufferevent_openssl: measured here, it costs five syscalls per
 * request (two reads per TLS record, an epoll_ctl pair around every
 * response) against Redis's three.  Here one read() takes everything the
 * socket has (up to 64 KiB) into the TLS engine's input BIO, every record
 * in it is decrypted, the answers of the whole turn are encrypted into the
 * output BIO and leave in one write(); EV_WRITE is armed only when the
 * socket would block.  So a request costs a read, a write and an
 * epoll_wait shared with the others.
 *
 * Limits: output past max_output stops reading (back-pressure); decrypted
 * input never holds more than one maximal frame plus a read's worth, since
 * frame headers are judged as soon as they arrive (conn.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "frame.h"
#include "net/conn_int.h"
#include "net/log.h"

#define READ_CHUNK 65536

size_t conn_output_pending(const struct conn *c)
{
	return BIO_ctrl_pending(c->wbio);
}

/* Write out what the output BIO holds; arm EV_WRITE only if the socket is full. */
static int flush_socket(struct conn *c)
{
	char *data;
	long n;

	while ((n = BIO_get_mem_data(c->wbio, &data)) > 0) {
		ssize_t w = write(c->fd, data, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			event_add(c->wev, NULL);
			return 0;
		}
		if (w <= 0)
			return -1;
		BIO_read(c->wbio, data, (int)w); /* consume what went out */
	}
	event_del(c->wev);
	return 0;
}

static void throttle(struct conn *c)
{
	size_t out = conn_output_pending(c);

	if (!c->throttled && out > c->d->cfg.max_output) {
		c->throttled = true;
		event_del(c->rev);
	} else if (c->throttled && out <= c->d->cfg.max_output / 2) {
		c->throttled = false;
		event_add(c->rev, NULL);
		conn_kick(c); /* serve what waited in the input buffer */
	}
}

void conn_send_out(struct conn *c)
{
	if (c->wlen && SSL_write(c->ssl, c->wbuf, (int)c->wlen) <= 0)
		log_msg(LOG_ERROR, "conn=%llu: TLS write failed", (unsigned long long)c->id);
	c->wlen = 0;
	if (c->wcap > READ_CHUNK) { /* do not keep a burst's buffer for an idle connection */
		free(c->wbuf);
		c->wbuf = NULL;
		c->wcap = 0;
	}
	if (flush_socket(c))
		c->closing = true; /* the peer is gone: conn_kick will free */
	throttle(c);
}

void conn_kick(struct conn *c)
{
	event_active(c->kick, EV_TIMEOUT, 0);
}

void conn_arm_idle(struct conn *c, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	event_add(c->timer, &tv);
}

/* Room for decrypted input: never more than a frame and a read ahead. */
static int ibuf_reserve(struct conn *c, size_t more)
{
	size_t need = c->ilen + more, cap = c->icap ? c->icap : 16384;
	uint8_t *p;

	if (need <= c->icap)
		return 0;
	if (need > FRAME_HEADER_LEN + c->d->cfg.max_frame + 2 * READ_CHUNK)
		return -1;
	while (cap < need)
		cap *= 2;
	if (!(p = realloc(c->ibuf, cap)))
		return -1;
	c->ibuf = p;
	c->icap = cap;
	return 0;
}

/* Decrypt every complete record the input BIO holds into ibuf. 0, or -1 on a TLS error. */
static int decrypt_all(struct conn *c)
{
	for (;;) {
		int n;

		if (ibuf_reserve(c, 16384))
			return -1;
		n = SSL_read(c->ssl, c->ibuf + c->ilen, (int)(c->icap - c->ilen));
		if (n > 0) {
			c->ilen += (size_t)n;
			continue;
		}
		switch (SSL_get_error(c->ssl, n)) {
		case SSL_ERROR_WANT_READ:
			return 0;
		case SSL_ERROR_ZERO_RETURN: /* close_notify */
			c->closing = true;
			return 0;
		default:
			return -1;
		}
	}
}

static int handshake(struct conn *c)
{
	int r = SSL_do_handshake(c->ssl);

	if (r == 1) {
		conn_handshake_done(c);
		return 0;
	}
	return SSL_get_error(c->ssl, r) == SSL_ERROR_WANT_READ ? 0 : -1;
}

/* The socket is readable: take everything, decrypt, serve. */
static void read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	char buf[READ_CHUNK];
	ssize_t n;

	(void)what;
	n = read(fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		conn_free(c);
		return;
	}
	BIO_write(c->rbio, buf, (int)n);
	if ((!c->tenant && handshake(c)) || (c->tenant && decrypt_all(c))) {
		if (!c->tenant)
			log_msg(LOG_INFO, "conn=%llu from %s: TLS handshake failed",
			        (unsigned long long)c->id, c->peer);
		ERR_clear_error();
		flush_socket(c); /* let the peer see the alert */
		conn_free(c);
		return;
	}
	if (!c->tenant) {
		if (flush_socket(c)) /* handshake messages */
			conn_free(c);
		return;
	}
	conn_work(c);
}

static void write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	(void)what;
	if (flush_socket(c)) {
		conn_free(c);
		return;
	}
	throttle(c);
	if (c->closing && !conn_output_pending(c))
		conn_free(c);
}

static void kick_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_work(arg);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_timeout(arg);
}

static void frame_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_frame_timeout(arg);
}

int conn_io_init(struct conn *c, SSL_CTX *ctx)
{
	struct event_base *base = c->d->base;

	c->ssl = SSL_new(ctx);
	c->rbio = BIO_new(BIO_s_mem());
	c->wbio = BIO_new(BIO_s_mem());
	if (!c->ssl || !c->rbio || !c->wbio) {
		BIO_free(c->rbio);
		BIO_free(c->wbio);
		c->rbio = c->wbio = NULL;
		return -1;
	}
	BIO_set_mem_eof_return(c->rbio, -1); /* empty input means "wait", not EOF */
	SSL_set_bio(c->ssl, c->rbio, c->wbio);
	SSL_set_accept_state(c->ssl);
	c->rev = event_new(base, c->fd, EV_READ | EV_PERSIST, read_cb, c);
	c->wev = event_new(base, c->fd, EV_WRITE | EV_PERSIST, write_cb, c);
	c->timer = evtimer_new(base, timer_cb, c);
	c->frame_timer = evtimer_new(base, frame_timer_cb, c);
	c->kick = event_new(base, -1, 0, kick_cb, c);
	if (!c->rev || !c->wev || !c->timer || !c->frame_timer || !c->kick)
		return -1;
	event_add(c->rev, NULL);
	return 0;
}

void conn_io_free(struct conn *c)
{
	struct event *evs[] = {c->rev, c->wev, c->timer, c->frame_timer, c->kick};

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
		if (evs[i])
			event_free(evs[i]);
	if (c->ssl)
		SSL_free(c->ssl); /* frees both BIOs */
	if (c->fd >= 0)
		evutil_closesocket(c->fd);
	free(c->ibuf);
	free(c->wbuf);
}
