/*
 * test_cli.c - the mmsim CLI against a real daemon (in a thread, real TLS
 * on loopback): output of every command, -o json parsed back, and the exit
 * codes 0 ok, 1 refused, 2 usage, 3 connection.
 */
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static struct {
	char dir[64];
	struct harness_daemon h;
	char out[65536]; /* the last command's stdout */
} T;

static int group_setup(void **state)
{
	struct daemon_config cfg;
	char buf[128];

	(void)state;
	strcpy(T.dir, "/tmp/mmsim-cli-XXXXXX");
	if (harness_certs(T.dir, "alice bob"))
		return -1;
	harness_config(&cfg, T.dir);
	if (harness_start(&T.h, &cfg))
		return -1;
	snprintf(buf, sizeof(buf), "127.0.0.1:%d", T.h.port);
	setenv("MMSIM_ENDPOINT", buf, 1);
	harness_path(buf, sizeof(buf), T.dir, "ca.pem");
	setenv("MMSIM_CACERT", buf, 1);
	unsetenv("MMSIM_OUTPUT");
	unsetenv("MMSIM_MACHINE");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!T.h.d)
		return -1;
	harness_stop(&T.h);
	return harness_rmdir(T.dir);
}

/* Run `mmsim ARGS` as tenant `who`; returns its exit code, stdout in T.out. */
static int mmsim(const char *who, const char *args)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "MMSIM_CERT=%s/%s.pem MMSIM_KEY=%s/%s-key.pem %s %s 2>/dev/null",
	         T.dir, who, T.dir, who, MMSIM_CLI, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(T.out, 1, sizeof(T.out) - 1, p);
	T.out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_read_commands(void **state)
{
	(void)state;
	assert_int_equal(mmsim("alice", "ping"), 0);
	assert_non_null(strstr(T.out, "you are alice"));
	assert_int_equal(mmsim("admin", "ping"), 0);
	assert_non_null(strstr(T.out, "you are admin (administrator)"));
	assert_int_equal(mmsim("alice", "cat /proc/buddyinfo"), 0);
	assert_memory_equal(T.out, "Node 0, zone      DMA ", 22);
	assert_int_equal(mmsim("alice", "cat /proc/sys/vm/lowmem_reserve_ratio"), 0);
	assert_string_equal(T.out, "256\t256\t32\n");
	assert_int_equal(mmsim("alice", "dmesg"), 0);
	assert_non_null(strstr(T.out, "Policy zone: DMA32\n"));
	assert_int_equal(mmsim("alice", "info"), 0);
	assert_non_null(strstr(T.out, "1    DMA32        131072     131040     128992"));
	assert_int_equal(mmsim("alice", "sysctl vm.min_free_kbytes"), 0);
	assert_string_equal(T.out, "vm.min_free_kbytes = 4062\n");
}

static void test_json(void **state)
{
	json_error_t e;
	json_t *j;
	char args[64];
	unsigned long long pfn;

	(void)state;
	assert_int_equal(mmsim("alice", "-o json page alloc --order 2 --gfp GFP_KERNEL --node 1"),
	                 0);
	j = json_loads(T.out, 0, &e);
	assert_non_null(j);
	pfn = (unsigned long long)json_integer_value(json_object_get(j, "pfn"));
	assert_int_equal(json_integer_value(json_object_get(j, "order")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "node")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "zone")), "DMA32");
	/* a kernel address does not fit a signed JSON integer: it is a string */
	assert_true(json_is_string(json_object_get(j, "address")));
	json_decref(j);
	snprintf(args, sizeof(args), "page free %llu --order 2", pfn);
	assert_int_equal(mmsim("bob", args), 1); /* not bob's */
	assert_int_equal(mmsim("alice", args), 0);
	assert_int_equal(mmsim("alice", args), 1); /* already free */
	assert_int_equal(mmsim("alice", "-o json info"), 0);
	j = json_loads(T.out, 0, &e);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "zones")), 3);
	json_decref(j);
}

static void test_machines(void **state)
{
	(void)state;
	assert_int_equal(mmsim("alice", "machine create lab"), 0);
	assert_non_null(strstr(T.out, "lab "));
	assert_int_equal(mmsim("alice", "machine list"), 0);
	assert_non_null(strstr(T.out, "alice"));
	assert_int_equal(mmsim("bob", "machine list"), 0);
	assert_null(strstr(T.out, "alice"));
	assert_int_equal(mmsim("alice", "-m lab sysctl vm.min_free_kbytes=6000"), 0);
	assert_string_equal(T.out, "vm.min_free_kbytes = 6000\n");
	assert_int_equal(mmsim("alice", "sysctl vm.min_free_kbytes=6000"), 1);
	assert_int_equal(mmsim("bob", "-m lab cat /proc/meminfo"), 1);
	assert_int_equal(mmsim("bob", "machine destroy lab"), 1);
	assert_int_equal(mmsim("alice", "machine destroy lab"), 0);
	assert_int_equal(mmsim("alice", "machine destroy lab"), 1);
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(mmsim("alice", "bogus"), 2);
	assert_int_equal(mmsim("alice", "page alloc --order x"), 2);
	assert_int_equal(mmsim("alice", "page free"), 2);
	assert_int_equal(mmsim("alice", "-o yaml ping"), 2);
	assert_int_equal(mmsim("alice", "cat"), 2);
	assert_int_equal(mmsim("alice", "page alloc --order 11"), 1);
	assert_int_equal(mmsim("alice", "page alloc --gfp '__GFP_DMA|__GFP_HIGHMEM'"), 1);
	assert_int_equal(mmsim("alice", "cat /proc/none"), 1);
	assert_int_equal(mmsim("alice", "-e 127.0.0.1:1 ping"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_commands),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_machines),
	    cmocka_unit_test(test_exit_codes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
