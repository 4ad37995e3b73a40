/*
 * daemon_int.h - the daemon's state, shared by daemon.c (loop, listener,
 * signals, configuration) and conn.c (one client connection).
 */
#ifndef MMSIM_SERVER_DAEMON_INT_H
#define MMSIM_SERVER_DAEMON_INT_H

#include <stdbool.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "net/daemon.h"
#include "rpc/rpc.h"

struct conn;

struct daemon {
	struct daemon_config cfg;
	struct event_base *base;         /* owned */
	struct evconnlistener *listener; /* owned */
	SSL_CTX *ssl_ctx;                /* owned; replaced on reload */
	struct registry reg;             /* the machines and tenants */
	struct rpc_server rpc;
	struct event *sig_term, *sig_int, *sig_hup, *stop_ev, *shutdown_timer;
	int stop_pipe[2];   /* daemon_stop writes here */
	struct conn *conns; /* open connections, a doubly linked list */
	int nr_conns;
	uint64_t next_conn_id;
	bool shutting_down;
	int port;
};

/* conn.c */
void conn_accept(struct daemon *d, evutil_socket_t fd, const char *peer);
/* conn_goaway - tell the client we are closing, then close once flushed. */
void conn_goaway(struct conn *c, const char *reason);
void conn_free(struct conn *c);
struct conn *conn_next(const struct conn *c);

/* daemon.c: a connection went away (after shutdown started, maybe the last). */
void daemon_conn_closed(struct daemon *d);

#endif
