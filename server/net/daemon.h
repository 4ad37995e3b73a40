/*
 * daemon.h - mmsimd: one libevent loop that owns the machines (through the
 * registry), accepts mutual-TLS connections and serves the wire protocol.
 *
 * The daemon is a library so tests can run it in a thread of their own
 * process: daemon_new binds and loads everything, daemon_run loops until
 * daemon_stop (safe from any thread or a signal handler) or SIGTERM.
 */
#ifndef MMSIM_SERVER_DAEMON_H
#define MMSIM_SERVER_DAEMON_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "rpc/registry.h"

struct daemon_config {
	char config_path[PATH_MAX];    /* the file SIGHUP rereads; "" = none */
	char listen[128];              /* "HOST:PORT"; port 0 picks a free one */
	char tls_cert[PATH_MAX];       /* server certificate (PEM) */
	char tls_key[PATH_MAX];        /* its key */
	char tls_ca[PATH_MAX];         /* CA that signs client certificates */
	int tls12;                     /* also accept TLS 1.2 (default: 1.3 only) */
	char admins[512];              /* CNs that are administrators, comma-separated */
	char machine_config[PATH_MAX]; /* the shared machine's INI; "" = embedded default */
	int max_connections;           /* open connections; more are refused */
	int handshake_timeout_ms;      /* TLS handshake must finish within this */
	int idle_timeout_ms;           /* a connection with no request for this long is closed */
	int frame_timeout_ms;          /* a started frame must complete within this */
	uint32_t max_frame;            /* payload bytes per frame */
	size_t max_output;             /* unsent bytes per connection before it stops reading */
	int max_batch;                 /* frames served per connection per loop turn (fairness) */
	struct registry_limits quotas;
};

/* daemon_config_default - listen on 127.0.0.1:7070, limits as PROTOCOL.md states. */
void daemon_config_default(struct daemon_config *cfg);

/*
 * daemon_config_load - read the [daemon] and [quota] sections of an INI
 * file over cfg.  0, or -EINVAL/-ENOENT with the offending line in err.
 */
int daemon_config_load(struct daemon_config *cfg, const char *path, char *err, size_t errlen);

struct daemon;

/* daemon_new - bind, load certificates and boot the shared machine; NULL + err. */
struct daemon *daemon_new(const struct daemon_config *cfg, char *err, size_t errlen);
/* daemon_port - the port actually bound (useful with port 0). */
int daemon_port(const struct daemon *d);
/* daemon_run - serve until stopped; 0 on a clean stop. */
int daemon_run(struct daemon *d);
/* daemon_stop - ask the loop to shut down gracefully; async-signal-safe. */
void daemon_stop(struct daemon *d);
void daemon_free(struct daemon *d);

#endif
