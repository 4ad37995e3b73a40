/*
 * test_daemon_limits.c - the daemon's configuration at work, each test with
 * a daemon of its own: connection limit, idle timeout, graceful shutdown,
 * administrators by name, TLS 1.2 only when allowed, SIGHUP reload, and
 * mmsimd --check-config.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "mmsim.h"
#include "harness.h"
#include "tls_raw.h"

static char dir[64];

static void start(struct harness_daemon *r, const struct daemon_config *cfg)
{
	assert_int_equal(harness_start(r, cfg), 0);
}

static struct mmsim_client *connect_as(const struct harness_daemon *r, const char *who)
{
	return harness_connect(dir, r->port, who);
}

/* 1 admin, 0 not, -1 failed */
static int ping_admin(struct mmsim_client *c)
{
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	Mmsim__PingReply *p;
	int admin;

	if (!c || mmsim_call(c, MMSIM_M_PING, &q.base, (ProtobufCMessage **)&p))
		return -1;
	admin = p->admin;
	mmsim__ping_reply__free_unpacked(p, NULL);
	return admin;
}

static int group_setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/mmsim-lim-XXXXXX");
	return harness_certs(dir, "alice bob");
}

static int group_teardown(void **state)
{
	(void)state;
	return harness_rmdir(dir);
}

static void test_max_connections(void **state)
{
	struct daemon_config cfg;
	struct harness_daemon r;
	struct mmsim_client *a, *b;
	struct raw third;

	(void)state;
	harness_config(&cfg, dir);
	cfg.max_connections = 2;
	start(&r, &cfg);
	a = connect_as(&r, "alice");
	b = connect_as(&r, "bob");
	assert_int_equal(ping_admin(a), 0);
	assert_int_equal(ping_admin(b), 0);
	third = raw_tcp(r.port);
	assert_true(raw_closed(&third, 3000)); /* refused at accept */
	raw_close(&third);
	mmsim_close(a);
	/* a slot is free again once the daemon has seen the close */
	for (int i = 0; i < 100 && ping_admin(a = connect_as(&r, "alice")) != 0; i++) {
		mmsim_close(a);
		usleep(20000);
	}
	assert_int_equal(ping_admin(a), 0);
	mmsim_close(a);
	mmsim_close(b);
	harness_stop(&r);
}

static void test_idle_timeout(void **state)
{
	struct daemon_config cfg;
	struct harness_daemon r;
	struct mmsim_client *a;
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	ProtobufCMessage *p = NULL;

	(void)state;
	harness_config(&cfg, dir);
	cfg.idle_timeout_ms = 300;
	start(&r, &cfg);
	a = connect_as(&r, "alice");
	assert_int_equal(ping_admin(a), 0);
	usleep(700000);
	/* the daemon said goodbye: the next call fails with its reason */
	assert_int_equal(mmsim_call(a, MMSIM_M_PING, &q.base, &p), -1);
	assert_non_null(strstr(mmsim_error(a), "idle timeout"));
	mmsim_close(a);
	harness_stop(&r);
}

static void test_shutdown_says_goaway(void **state)
{
	struct daemon_config cfg;
	struct harness_daemon r;
	struct mmsim_client *a;
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	ProtobufCMessage *p = NULL;

	(void)state;
	harness_config(&cfg, dir);
	start(&r, &cfg);
	a = connect_as(&r, "alice");
	assert_int_equal(ping_admin(a), 0);
	harness_join(&r); /* the loop ends once every connection is closed */
	assert_int_equal(mmsim_call(a, MMSIM_M_PING, &q.base, &p), -1);
	assert_non_null(strstr(mmsim_error(a), "shutting down"));
	mmsim_close(a);
	daemon_free(r.d);
}

static void test_admins_by_name(void **state)
{
	struct daemon_config cfg;
	struct harness_daemon r;
	struct mmsim_client *a, *b;

	(void)state;
	harness_config(&cfg, dir);
	strcpy(cfg.admins, "carol, alice");
	start(&r, &cfg);
	a = connect_as(&r, "alice");
	b = connect_as(&r, "bob");
	assert_int_equal(ping_admin(a), 1);
	assert_int_equal(ping_admin(b), 0);
	mmsim_close(a);
	mmsim_close(b);
	harness_stop(&r);
}

/* A client capped at TLS 1.2: refused by default, served when tls12 = 1. */
static int tls12_client_works(const struct harness_daemon *r)
{
	struct raw c;
	char ca[128], cert[128], key[128];
	int ok;

	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(cert, sizeof(cert), "%s/alice.pem", dir);
	snprintf(key, sizeof(key), "%s/alice-key.pem", dir);
	c = raw_tcp(r->port);
	c.ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_max_proto_version(c.ctx, TLS1_2_VERSION);
	SSL_CTX_load_verify_locations(c.ctx, ca, NULL);
	SSL_CTX_use_certificate_chain_file(c.ctx, cert);
	SSL_CTX_use_PrivateKey_file(c.ctx, key, SSL_FILETYPE_PEM);
	c.ssl = SSL_new(c.ctx);
	SSL_set_fd(c.ssl, c.fd);
	ok = SSL_connect(c.ssl) == 1;
	if (ok) {
		struct frame_header h = {0, FRAME_REQUEST, 0, MMSIM_M_PING, 1};
		uint8_t buf[FRAME_HEADER_LEN];

		frame_header_pack(&h, buf);
		ok = !raw_write(&c, buf, sizeof(buf)) && !raw_read(&c, buf, sizeof(buf)) &&
		     buf[4] == FRAME_RESPONSE;
	}
	raw_close(&c);
	return ok;
}

static void test_tls12_only_when_allowed(void **state)
{
	struct daemon_config cfg;
	struct harness_daemon r;

	(void)state;
	harness_config(&cfg, dir);
	start(&r, &cfg);
	assert_false(tls12_client_works(&r));
	harness_stop(&r);
	cfg.tls12 = 1;
	start(&r, &cfg);
	assert_true(tls12_client_works(&r));
	harness_stop(&r);
}

/* SIGHUP rereads the configuration file: bob becomes an administrator. */
static void test_sighup_reload(void **state)
{
	struct daemon_config cfg;
	struct harness_daemon r;
	char ini[512];
	FILE *f;
	int admin = 0;

	(void)state;
	harness_config(&cfg, dir);
	snprintf(cfg.config_path, sizeof(cfg.config_path), "%s/mmsimd.ini", dir);
	f = fopen(cfg.config_path, "w");
	assert_non_null(f);
	snprintf(ini, sizeof(ini),
	         "[daemon]\ntls_cert = %s/server.pem\ntls_key = %s/server-key.pem\n"
	         "tls_ca = %s/ca.pem\nadmins = bob\n",
	         dir, dir, dir);
	fputs(ini, f);
	fclose(f);
	start(&r, &cfg);
	{
		struct mmsim_client *b = connect_as(&r, "bob");

		assert_int_equal(ping_admin(b), 0);
		mmsim_close(b);
	}
	kill(getpid(), SIGHUP);
	for (int i = 0; i < 100 && admin != 1; i++) {
		struct mmsim_client *b = connect_as(&r, "bob");

		admin = ping_admin(b);
		mmsim_close(b);
		if (admin != 1)
			usleep(20000);
	}
	assert_int_equal(admin, 1);
	harness_stop(&r);
}

static int run(const char *args, char *out, size_t len)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", MMSIMD, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_check_config(void **state)
{
	char args[768], out[1024], bad[128];
	FILE *f;

	(void)state;
	snprintf(args, sizeof(args),
	         "--listen 127.0.0.1:0 --tls-cert %s/server.pem --tls-key %s/server-key.pem "
	         "--tls-ca %s/ca.pem --check-config",
	         dir, dir, dir);
	assert_int_equal(run(args, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "configuration OK"));
	snprintf(bad, sizeof(bad), "%s/bad.ini", dir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("[daemon]\nmax_connections = lots\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "--config %s --check-config", bad);
	assert_int_equal(run(args, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "max_connections"));
	/* the documented sample parses (its certificate paths are overridden) */
	snprintf(args, sizeof(args),
	         "--config %s/deploy/mmsimd.ini --listen 127.0.0.1:0 --tls-cert %s/server.pem "
	         "--tls-key %s/server-key.pem --tls-ca %s/ca.pem --check-config",
	         MMSIM_SOURCE_DIR, dir, dir, dir);
	assert_int_equal(run(args, out, sizeof(out)), 0);
	assert_int_equal(run("--tls-cert /nonexistent --check-config", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "/nonexistent"));
	assert_int_equal(run("--bogus", out, sizeof(out)), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_max_connections),
	    cmocka_unit_test(test_idle_timeout),
	    cmocka_unit_test(test_shutdown_says_goaway),
	    cmocka_unit_test(test_admins_by_name),
	    cmocka_unit_test(test_tls12_only_when_allowed),
	    cmocka_unit_test(test_sighup_reload),
	    cmocka_unit_test(test_check_config),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
