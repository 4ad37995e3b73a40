/*
 * harness.h - what the end-to-end tests share: development certificates in
 * a scratch directory, a real daemon in a thread of the test, and client
 * connections as a given tenant.
 */
#ifndef MMSIM_TEST_HARNESS_H
#define MMSIM_TEST_HARNESS_H

#include <pthread.h>
#include <stddef.h>

#include "mmsim.h"
#include "net/daemon.h"

struct harness_daemon {
	struct daemon *d;
	pthread_t thread;
	int port;
};

/* harness_certs - mkdtemp from dir (a "/tmp/...-XXXXXX" template), then
 * gen-certs.sh with the tenants ("alice bob"). 0 or -1. */
int harness_certs(char *dir, const char *tenants);
/* harness_rmdir - remove a scratch directory. 0 or -1. */
int harness_rmdir(const char *dir);
/* harness_path - "dir/file" into buf. */
void harness_path(char *buf, size_t len, const char *dir, const char *file);
/* harness_config - defaults on an ephemeral loopback port with dir's certificates. */
void harness_config(struct daemon_config *cfg, const char *dir);
/* harness_start - a daemon running in its own thread. 0 or -1 (message on stderr). */
int harness_start(struct harness_daemon *h, const struct daemon_config *cfg);
/* harness_join - stop it and wait for its loop to end (the daemon is not freed). */
void harness_join(struct harness_daemon *h);
/* harness_stop - harness_join and free. */
void harness_stop(struct harness_daemon *h);
/* harness_connect - a client of the daemon on port as tenant `who`; NULL on failure. */
struct mmsim_client *harness_connect(const char *dir, int port, const char *who);

#endif
