/*
 * harness.c - the end-to-end tests' shared set-up (harness.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "net/log.h"

int harness_certs(char *dir, const char *tenants)
{
	char cmd[512];

	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "%s/deploy/gen-certs.sh %s %s >/dev/null", MMSIM_SOURCE_DIR, dir,
	         tenants);
	return system(cmd) ? -1 : 0;
}

int harness_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

void harness_path(char *buf, size_t len, const char *dir, const char *file)
{
	snprintf(buf, len, "%s/%s", dir, file);
}

void harness_config(struct daemon_config *cfg, const char *dir)
{
	daemon_config_default(cfg);
	strcpy(cfg->listen, "127.0.0.1:0");
	harness_path(cfg->tls_cert, sizeof(cfg->tls_cert), dir, "server.pem");
	harness_path(cfg->tls_key, sizeof(cfg->tls_key), dir, "server-key.pem");
	harness_path(cfg->tls_ca, sizeof(cfg->tls_ca), dir, "ca.pem");
	log_set_level(LOG_ERROR);
}

static void *run_daemon(void *arg)
{
	daemon_run(arg);
	return NULL;
}

int harness_start(struct harness_daemon *h, const struct daemon_config *cfg)
{
	char err[256];

	h->d = daemon_new(cfg, err, sizeof(err));
	if (!h->d) {
		fprintf(stderr, "daemon_new: %s\n", err);
		return -1;
	}
	h->port = daemon_port(h->d);
	return pthread_create(&h->thread, NULL, run_daemon, h->d) ? -1 : 0;
}

void harness_join(struct harness_daemon *h)
{
	daemon_stop(h->d);
	pthread_join(h->thread, NULL);
}

void harness_stop(struct harness_daemon *h)
{
	harness_join(h);
	daemon_free(h->d);
	h->d = NULL;
}

struct mmsim_client *harness_connect(const char *dir, int port, const char *who)
{
	char ep[32], ca[128], cert[128], key[128], file[80], err[256];
	struct mmsim_options o = {ep, ca, cert, key, 5000};
	struct mmsim_client *c;

	snprintf(ep, sizeof(ep), "127.0.0.1:%d", port);
	harness_path(ca, sizeof(ca), dir, "ca.pem");
	snprintf(file, sizeof(file), "%s.pem", who);
	harness_path(cert, sizeof(cert), dir, file);
	snprintf(file, sizeof(file), "%s-key.pem", who);
	harness_path(key, sizeof(key), dir, file);
	c = mmsim_connect(&o, err, sizeof(err));
	if (!c)
		fprintf(stderr, "connect as %s: %s\n", who, err);
	return c;
}
