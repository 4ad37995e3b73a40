/*
 * conn_int.h - a client connection, shared by conn_io.c (sockets, TLS
 * through memory BIOs, events and deadlines) and conn.c (the protocol:
 * frames in, answers out).
 */
#ifndef MMSIM_SERVER_CONN_INT_H
#define MMSIM_SERVER_CONN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "net/daemon_int.h"

struct conn {
	struct daemon *d;
	evutil_socket_t fd;        /* owned */
	SSL *ssl;                  /* owned; reads from rbio, writes to wbio */
	BIO *rbio, *wbio;          /* owned by ssl: ciphertext in, ciphertext out */
	struct event *rev;         /* owned: the socket is readable (persistent) */
	struct event *wev;         /* owned: writable; added only while output is stuck */
	struct event *timer;       /* owned: handshake, then idle deadline */
	struct event *frame_timer; /* owned: armed while a frame is incomplete */
	struct event *kick;        /* owned: run again later (fairness, deferred close) */
	struct tenant *tenant;     /* set once the handshake verified a certificate */
	uint64_t id;               /* for the log */
	uint64_t last_id;          /* highest request id served */
	bool closing;              /* close once the output is flushed */
	bool throttled;            /* reading stopped for back-pressure */
	uint8_t *ibuf;             /* owned: decrypted bytes not yet served */
	size_t ilen, icap;
	uint8_t *wbuf; /* owned: plaintext frames of this turn */
	size_t wlen, wcap;
	char peer[64];
	struct conn *next, *prev;
};

/* conn_io.c */
int conn_io_init(struct conn *c, SSL_CTX *ctx);
void conn_io_free(struct conn *c);
/* conn_send_out - encrypt the queued frames and write what the socket takes. */
void conn_send_out(struct conn *c);
/* conn_kick - run conn_work again from the loop, after other connections. */
void conn_kick(struct conn *c);
/* conn_arm_idle - restart the idle deadline. */
void conn_arm_idle(struct conn *c, int ms);
size_t conn_output_pending(const struct conn *c);

/* conn.c */
/* conn_work - serve what is buffered; false if c was freed. */
bool conn_work(struct conn *c);
void conn_handshake_done(struct conn *c);
void conn_timeout(struct conn *c);
void conn_frame_timeout(struct conn *c);

#endif
