/*
 * test_config.c - machine configuration (config.c): the embedded default,
 * INI parsing, and a clear message for every way a config can be wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm_test.h"

static void test_default(void **state)
{
	struct machine_config c;

	(void)state;
	machine_config_default(&c);
	assert_string_equal(c.arch, "x86_64");
	assert_int_equal(c.nr_nodes, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(c.node[i].mem_bytes, 512ull << 20);
		assert_int_equal(c.node[i].nr_cpus, 2);
	}
	assert_int_equal(c.distance[0][0], 10);
	assert_int_equal(c.distance[0][1], 20);
	assert_int_equal(c.seed, 1);
	assert_int_equal(c.movablecore_bytes, 0);
	assert_int_equal(machine_config_validate(&c, NULL, 0), 0);
}

static void test_full_ini(void **state)
{
	struct machine_config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(
	    machine_config_parse(&c,
	                         "; a comment\n"
	                         "[machine]\narch = x86_64\nseed = 0xdeadbeef\n"
	                         "movablecore = 64M\n"
	                         "[node.0]\nmemory = 1G\ncpus = 3\n"
	                         "[node1]\nmemory = 262144K\ncpus = 0\n"
	                         "[node.2]\nmemory = 1T\ncpus = 1\n"
	                         "[distance]\n0 = 10 21 31\n1 = 21 10 25\n2 = 31, 25, 10\n",
	                         err, sizeof(err)),
	    -EINVAL); /* 1 TiB + 1.25 GiB is over the limit */
	assert_non_null(strstr(err, "at most"));
	assert_int_equal(
	    machine_config_parse(&c,
	                         "[machine]\nseed = 0xdeadbeef\nmovablecore = 64M\n"
	                         "[node.0]\nmemory = 1G\ncpus = 3\n"
	                         "[node1]\nmemory = 262144K\ncpus = 0\n"
	                         "[node.2]\nmemory = 2GiB\ncpus = 1\n"
	                         "[distance]\n0 = 10 21 31\n1 = 21 10 25\n2 = 31, 25, 10\n",
	                         err, sizeof(err)),
	    0);
	assert_int_equal(c.nr_nodes, 3);
	assert_int_equal(c.seed, 0xdeadbeef);
	assert_int_equal(c.movablecore_bytes, 64ull << 20);
	assert_int_equal(c.node[0].mem_bytes, 1ull << 30);
	assert_int_equal(c.node[1].mem_bytes, 256ull << 20);
	assert_int_equal(c.node[1].nr_cpus, 0);
	assert_int_equal(c.node[2].mem_bytes, 2ull << 30);
	assert_int_equal(c.distance[2][0], 31);
	assert_int_equal(c.distance[1][2], 25);
}

static void expect_error(const char *ini, const char *needle)
{
	struct machine_config c;
	char err[256] = "";

	assert_int_equal(machine_config_parse(&c, ini, err, sizeof(err)), -EINVAL);
	if (!strstr(err, needle)) {
		print_error("error \"%s\" does not mention \"%s\"\n", err, needle);
		fail();
	}
}

static void test_errors_name_the_input(void **state)
{
	(void)state;
	expect_error("[bogus]\nx = 1\n", "unknown section");
	expect_error("[machine]\ncolour = blue\n", "colour");
	expect_error("[machine]\narch = sparc\n", "x86_64 or i386");
	expect_error("[machine]\nseed = -3\n", "seed");
	expect_error("[node.0]\nmemory = 12Q\ncpus = 1\n", "12Q");
	expect_error("[node.0]\nmemory = 20000K\ncpus = 1\n", "multiple of 1M");
	expect_error("[node.0]\nmemory = 8M\ncpus = 1\n", "at least 16M");
	expect_error("[node.0]\nmemory = 2T\ncpus = 1\n", "at most");
	expect_error("[machine]\narch = i386\n[node.0]\nmemory = 4G\ncpus = 1\n", "at most");
	expect_error("[machine]\narch = i386\n[node.0]\nmemory = 1G\ncpus = 1\n"
	             "[node.1]\nmemory = 1G\ncpus = 1\n",
	             "one node");
	expect_error("[node.0]\nmemory = 1G\ncpus = 0\n", "CPUs");
	expect_error("[node.0]\nmemory = 1G\ncpus = 300\n", "cpus");
	expect_error("[node.0]\nmemory = 1G\ncpus = 200\n[node.1]\nmemory = 1G\ncpus = 100\n",
	             "CPUs");
	expect_error("[node.0]\nmemory = 1G\ncpus = 1\n[node.2]\nmemory = 1G\ncpus = 1\n",
	             "node 1 is missing");
	expect_error("[node.64]\nmemory = 1G\n", "node.63");
	expect_error("[distance]\n0 = 11 20\n", "must be 10");
	expect_error("[distance]\n0 = 10 10\n", "11..254");
	expect_error("[distance]\n0 = 10 255\n", "10..254");
	expect_error("[distance]\nx = 10 20\n", "node number");
	expect_error("[machine]\nmovablecore = 1G\n", "movablecore");
	expect_error("[machine]\nthis line has no equals sign\n", "line 2");
}

static void test_err_may_be_null(void **state)
{
	struct machine_config c;

	(void)state;
	assert_int_equal(machine_config_parse(&c, "[bogus]\nx=1\n", NULL, 0), -EINVAL);
	assert_int_equal(machine_config_parse(&c, "[node.0]\nmemory=1\n", NULL, 0), -EINVAL);
	/* libinih reports only keys: a section with none changes nothing */
	assert_int_equal(machine_config_parse(&c, "[bogus]\n", NULL, 0), 0);
	assert_int_equal(c.nr_nodes, 2);
}

static void test_load_file(void **state)
{
	struct machine_config c;
	char path[] = "/tmp/mmsim-config-XXXXXX", err[256] = "";
	int fd = mkstemp(path);
	static const char ini[] = "[node.0]\nmemory = 64M\ncpus = 1\n";

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ini, sizeof(ini) - 1), (ssize_t)(sizeof(ini) - 1));
	close(fd);
	assert_int_equal(machine_config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.nr_nodes, 1);
	assert_int_equal(c.node[0].mem_bytes, 64ull << 20);
	unlink(path);
	assert_int_equal(machine_config_load(&c, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
}

/* machine_create refuses what validation refuses, with the message. */
static void test_create_refuses_bad_config(void **state)
{
	struct machine_config c;
	char err[256] = "";

	(void)state;
	machine_config_default(&c);
	c.node[1].mem_bytes = 1;
	assert_null(machine_create(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "node 1"));
	c.nr_nodes = 0;
	assert_null(machine_create(&c, NULL, 0));
	strcpy(c.arch, "vax");
	c.nr_nodes = 1;
	assert_null(machine_create(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "vax"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default),
	    cmocka_unit_test(test_full_ini),
	    cmocka_unit_test(test_errors_name_the_input),
	    cmocka_unit_test(test_err_may_be_null),
	    cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_create_refuses_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
