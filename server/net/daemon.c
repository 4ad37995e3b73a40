/*
 * daemon.c - mmsimd's loop (daemon.h): configuration, the listener,
 * signals, graceful shutdown and reload.
 *
 * Shutdown (SIGTERM, SIGINT or daemon_stop): stop accepting, send every
 * connection a GOAWAY naming the last request it was served (requests are
 * served as they arrive, so nothing accepted is left unanswered), close each
 * once its output is flushed, and leave the loop when the last one is gone
 * or after five seconds.  SIGHUP rereads the configuration file: the
 * administrators, limits, quotas and TLS certificates apply to what comes
 * next; the listening address and the shared machine stay as they were.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>

#include "frame.h"
#include "net/daemon_int.h"
#include "net/log.h"
#include "net/tls.h"

#define SHUTDOWN_GRACE_S 5

void daemon_config_default(struct daemon_config *cfg)
{
	struct registry_limits q = REGISTRY_LIMITS_DEFAULT;

	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->listen, "127.0.0.1:7070");
	cfg->max_connections = 1024;
	cfg->handshake_timeout_ms = 10000;
	cfg->idle_timeout_ms = 300000;
	cfg->frame_timeout_ms = 10000;
	cfg->max_frame = FRAME_DEFAULT_MAX_PAYLOAD;
	cfg->max_output = 4u << 20;
	cfg->max_batch = 32;
	cfg->quotas = q;
}

struct cfg_key {
	const char *section, *name;
	char type;   /* s: string, i: int, u: u32, z: size_t, q: u64 bytes */
	size_t off;  /* offset in struct daemon_config */
	size_t size; /* string capacity */
	long long min, max;
};

#define S(sec, n, f)                                                                               \
	{                                                                                          \
		sec, n, 's', offsetof(struct daemon_config, f),                                    \
		    sizeof(((struct daemon_config *)0)->f), 0, 0                                   \
	}
#define N(sec, n, t, f, lo, hi)                                                                    \
	{                                                                                          \
		sec, n, t, offsetof(struct daemon_config, f), 0, lo, hi                            \
	}

static const struct cfg_key cfg_keys[] = {
    S("daemon", "listen", listen),
    S("daemon", "tls_cert", tls_cert),
    S("daemon", "tls_key", tls_key),
    S("daemon", "tls_ca", tls_ca),
    S("daemon", "admins", admins),
    S("daemon", "machine_config", machine_config),
    N("daemon", "tls12", 'i', tls12, 0, 1),
    N("daemon", "max_connections", 'i', max_connections, 1, 100000),
    N("daemon", "handshake_timeout_ms", 'i', handshake_timeout_ms, 100, 600000),
    N("daemon", "idle_timeout_ms", 'i', idle_timeout_ms, 100, 86400000),
    N("daemon", "frame_timeout_ms", 'i', frame_timeout_ms, 100, 600000),
    N("daemon", "max_frame", 'u', max_frame, 1024, 64 << 20),
    N("daemon", "max_output", 'z', max_output, 65536, 1ll << 30),
    N("daemon", "max_batch", 'i', max_batch, 1, 4096),
    N("quota", "machines", 'i', quotas.max_machines, 0, 4096),
    N("quota", "tenant_machines", 'i', quotas.max_tenant_machines, 0, 4096),
    N("quota", "tenant_memory", 'q', quotas.max_tenant_memory, 0, 1ll << 40),
    N("quota", "tenants", 'i', quotas.max_tenants, 1, 1000000),
};

struct cfg_parse {
	struct daemon_config *cfg;
	char *err;
	size_t errlen;
	int failed;
};

static int set_key(struct daemon_config *cfg, const struct cfg_key *k, const char *value)
{
	char *p = (char *)cfg + k->off, *end;
	long long v;

	if (k->type == 's') {
		if (strlen(value) >= k->size)
			return -1;
		strcpy(p, value);
		return 0;
	}
	errno = 0;
	v = strtoll(value, &end, 0);
	if (errno || end == value || *end || v < k->min || v > k->max)
		return -1;
	if (k->type == 'i')
		*(int *)p = (int)v;
	else if (k->type == 'u')
		*(uint32_t *)p = (uint32_t)v;
	else if (k->type == 'z')
		*(size_t *)p = (size_t)v;
	else
		*(uint64_t *)p = (uint64_t)v;
	return 0;
}

static int cfg_handler(void *user, const char *section, const char *name, const char *value)
{
	struct cfg_parse *cp = user;

	for (size_t i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (strcmp(k->section, section) || strcmp(k->name, name))
			continue;
		if (!set_key(cp->cfg, k, value))
			return 1;
		snprintf(cp->err, cp->errlen, "[%s] %s = %s: out of range or too long", section,
		         name, value);
		cp->failed = 1;
		return 0;
	}
	snprintf(cp->err, cp->errlen, "[%s] %s: unknown key", section, name);
	cp->failed = 1;
	return 0;
}

int daemon_config_load(struct daemon_config *cfg, const char *path, char *err, size_t errlen)
{
	struct cfg_parse cp = {cfg, err, errlen, 0};
	int rc = ini_parse(path, cfg_handler, &cp);

	if (rc == -1)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), -ENOENT;
	if (cp.failed)
		return -EINVAL;
	if (rc)
		return snprintf(err, errlen, "%s: line %d is not key = value", path, rc), -EINVAL;
	return 0;
}

static void listener_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
                        void *arg)
{
	struct daemon *d = arg;
	char peer[64] = "?";

	(void)l;
	(void)len;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof(peer));
	conn_accept(d, fd, peer);
}

void daemon_conn_closed(struct daemon *d)
{
	if (d->shutting_down && d->nr_conns == 0)
		event_base_loopexit(d->base, NULL);
}

static void begin_shutdown(struct daemon *d)
{
	struct timeval grace = {SHUTDOWN_GRACE_S, 0};
	struct conn *c, *next;

	if (d->shutting_down)
		return;
	d->shutting_down = true;
	log_msg(LOG_INFO, "shutting down: %d connections to close", d->nr_conns);
	evconnlistener_disable(d->listener);
	for (c = d->conns; c; c = next) {
		next = conn_next(c);
		conn_goaway(c, "shutting down");
	}
	if (d->nr_conns == 0)
		event_base_loopexit(d->base, NULL);
	else
		event_add(d->shutdown_timer, &grace);
}

static void shutdown_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;

	(void)fd;
	(void)what;
	log_msg(LOG_WARN, "%d connections did not drain in %d s: closing them", d->nr_conns,
	        SHUTDOWN_GRACE_S);
	while (d->conns)
		conn_free(d->conns);
	event_base_loopexit(d->base, NULL);
}

static void reload(struct daemon *d)
{
	struct daemon_config cfg = d->cfg;
	char err[256] = "";
	SSL_CTX *ctx;

	if (!d->cfg.config_path[0]) {
		log_msg(LOG_INFO, "SIGHUP: no configuration file to reread");
		return;
	}
	if (daemon_config_load(&cfg, d->cfg.config_path, err, sizeof(err))) {
		log_msg(LOG_ERROR, "SIGHUP: keeping the old configuration: %s", err);
		return;
	}
	ctx = tls_server_ctx(cfg.tls_cert, cfg.tls_key, cfg.tls_ca, cfg.tls12, err, sizeof(err));
	if (!ctx) {
		log_msg(LOG_ERROR, "SIGHUP: keeping the old configuration: %s", err);
		return;
	}
	SSL_CTX_free(d->ssl_ctx); /* connections hold their own references */
	d->ssl_ctx = ctx;
	strcpy(cfg.listen, d->cfg.listen);
	strcpy(cfg.machine_config, d->cfg.machine_config);
	d->cfg = cfg;
	d->reg.limits = cfg.quotas;
	log_msg(LOG_INFO, "SIGHUP: configuration reloaded from %s", d->cfg.config_path);
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	if (sig == SIGHUP)
		reload(arg);
	else
		begin_shutdown(arg);
}

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
	char buf[16];

	(void)what;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	begin_shutdown(arg);
}

void daemon_stop(struct daemon *d)
{
	ssize_t n = write(d->stop_pipe[1], "x", 1);

	(void)n;
}

int daemon_port(const struct daemon *d)
{
	return d->port;
}

/* "1.2.3.4:PORT" or "[::1]:PORT", port 0..65535 (0: any free port). */
static int parse_listen(const char *spec, struct sockaddr_storage *ss, int *len)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : 0;
	char *end;
	long port;

	if (!colon || n == 0 || n >= sizeof(host))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end || port < 0 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (spec[0] == '[' && spec[n - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		memcpy(host, spec + 1, n - 2);
		host[n - 2] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return inet_pton(AF_INET6, host, &s6->sin6_addr) == 1 ? 0 : -1;
	}
	memcpy(host, spec, n);
	host[n] = '\0';
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	*len = sizeof(struct sockaddr_in);
	return inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1 ? 0 : -1;
}

static int bind_listener(struct daemon *d, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int len;

	if (parse_listen(d->cfg.listen, &ss, &len))
		return snprintf(err, errlen, "listen address \"%s\" is not HOST:PORT",
		                d->cfg.listen),
		       -1;
	d->listener = evconnlistener_new_bind(d->base, listener_cb, d,
	                                      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 128,
	                                      (struct sockaddr *)&ss, len);
	if (!d->listener)
		return snprintf(err, errlen, "cannot listen on %s: %s", d->cfg.listen,
		                strerror(errno)),
		       -1;
	getsockname(evconnlistener_get_fd(d->listener), (struct sockaddr *)&ss, &sl);
	d->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                         : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static struct machine *boot_shared(const struct daemon_config *cfg, char *err, size_t errlen)
{
	struct machine_config mc;

	if (cfg->machine_config[0]) {
		if (machine_config_load(&mc, cfg->machine_config, err, errlen))
			return NULL;
	} else {
		machine_config_default(&mc);
	}
	return machine_create(&mc, err, errlen);
}

static int setup_events(struct daemon *d)
{
	if (pipe(d->stop_pipe))
		return -1;
	fcntl(d->stop_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(d->stop_pipe[1], F_SETFL, O_NONBLOCK);
	d->stop_ev = event_new(d->base, d->stop_pipe[0], EV_READ | EV_PERSIST, stop_cb, d);
	d->sig_term = evsignal_new(d->base, SIGTERM, signal_cb, d);
	d->sig_int = evsignal_new(d->base, SIGINT, signal_cb, d);
	d->sig_hup = evsignal_new(d->base, SIGHUP, signal_cb, d);
	d->shutdown_timer = evtimer_new(d->base, shutdown_timer_cb, d);
	if (!d->stop_ev || !d->sig_term || !d->sig_int || !d->sig_hup || !d->shutdown_timer)
		return -1;
	event_add(d->stop_ev, NULL);
	event_add(d->sig_term, NULL);
	event_add(d->sig_int, NULL);
	event_add(d->sig_hup, NULL);
	return 0;
}

struct daemon *daemon_new(const struct daemon_config *cfg, char *err, size_t errlen)
{
	struct daemon *d = calloc(1, sizeof(*d));
	struct machine *shared;

	if (!d)
		return snprintf(err, errlen, "out of memory"), NULL;
	d->cfg = *cfg;
	d->stop_pipe[0] = d->stop_pipe[1] = -1;
	signal(SIGPIPE, SIG_IGN); /* a peer gone mid-write is an error return, not a kill */
	d->ssl_ctx =
	    tls_server_ctx(cfg->tls_cert, cfg->tls_key, cfg->tls_ca, cfg->tls12, err, errlen);
	if (!d->ssl_ctx || !(d->base = event_base_new()))
		goto fail;
	if (!(shared = boot_shared(cfg, err, errlen)))
		goto fail;
	if (registry_init(&d->reg, shared, &cfg->quotas)) {
		machine_destroy(shared);
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	d->rpc = (struct rpc_server){.reg = &d->reg, .version = MMSIM_VERSION};
	if (bind_listener(d, err, errlen))
		goto fail;
	if (setup_events(d)) {
		snprintf(err, errlen, "cannot set up events: %s", strerror(errno));
		goto fail;
	}
	return d;
fail:
	daemon_free(d);
	return NULL;
}

int daemon_run(struct daemon *d)
{
	log_msg(LOG_INFO, "listening on %s (port %d)", d->cfg.listen, d->port);
	return event_base_dispatch(d->base) < 0 ? -1 : 0;
}

void daemon_free(struct daemon *d)
{
	if (!d)
		return;
	while (d->conns)
		conn_free(d->conns);
	if (d->listener)
		evconnlistener_free(d->listener);
	if (d->stop_ev)
		event_free(d->stop_ev);
	if (d->sig_term)
		event_free(d->sig_term);
	if (d->sig_int)
		event_free(d->sig_int);
	if (d->sig_hup)
		event_free(d->sig_hup);
	if (d->shutdown_timer)
		event_free(d->shutdown_timer);
	if (d->reg.machines)
		registry_destroy(&d->reg);
	if (d->base)
		event_base_free(d->base);
	if (d->ssl_ctx)
		SSL_CTX_free(d->ssl_ctx);
	if (d->stop_pipe[0] >= 0)
		close(d->stop_pipe[0]);
	if (d->stop_pipe[1] >= 0)
		close(d->stop_pipe[1]);
	free(d);
}
