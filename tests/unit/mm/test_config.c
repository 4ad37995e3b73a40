/*
 * test_config.c - machine configuration (config.c): the embedded default,
 * INI parsing, and a clear message for every way a config can be wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm_test.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)

static void expect_default_distances(const struct machine_config *c)
{
	for (int i = 0; i < MAX_NUMNODES; i++)
		for (int j = 0; j < MAX_NUMNODES; j++)
			assert_int_equal(c->distance[i][j], i == j ? 10 : 20);
}

static void test_default(void **state)
{
	struct machine_config c;
	char err[64] = "untouched";

	(void)state;
	memset(&c, 0xa5, sizeof(c));
	machine_config_default(&c);
	assert_string_equal(c.arch, "x86_64");
	assert_int_equal(c.nr_nodes, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(c.node[i].mem_bytes, 512 * MiB);
		assert_int_equal(c.node[i].nr_cpus, 2);
	}
	for (int i = 2; i < MAX_NUMNODES; i++) {
		assert_int_equal(c.node[i].mem_bytes, 0);
		assert_int_equal(c.node[i].nr_cpus, 0);
	}
	expect_default_distances(&c);
	assert_int_equal(c.seed, 1);
	assert_int_equal(c.movablecore_bytes, 0);
	assert_int_equal(machine_config_validate(&c, err, sizeof(err)), 0);
	assert_string_equal(err, "untouched"); /* no message on success */
}

/* Text without keys parses to the default, whatever was in cfg before. */
static void test_empty_text_is_default(void **state)
{
	struct machine_config c, d;

	(void)state;
	machine_config_default(&d);
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(machine_config_parse(&c, "", NULL, 0), 0);
	assert_memory_equal(&c, &d, sizeof(c));
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(machine_config_parse(&c, "; only a comment\n# another\n\n", NULL, 0), 0);
	assert_memory_equal(&c, &d, sizeof(c));
	/* keys of one section leave the rest at their defaults */
	assert_int_equal(machine_config_parse(&c, "[machine]\nseed = 5\n", NULL, 0), 0);
	assert_int_equal(c.seed, 5);
	assert_int_equal(c.nr_nodes, 2);
	assert_int_equal(c.node[1].mem_bytes, 512 * MiB);
	expect_default_distances(&c);
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
	assert_non_null(strstr(err, "x86_64 machines have at most 1048576 MiB"));
	assert_int_equal(
	    machine_config_parse(&c,
	                         "[machine]\nseed = 0xdeadbeef\nmovablecore = 64M\n"
	                         "[node.0]\nmemory = 1G\ncpus = 3\n"
	                         "[node1]\nmemory = 262144K\ncpus = 0\n"
	                         "[node.2]\nmemory = 2GiB\ncpus = 1\n"
	                         "[distance]\n0 = 10 21 31\n1 = 21 10 25\n2 = 31, 25, 10\n",
	                         err, sizeof(err)),
	    0);
	assert_string_equal(c.arch, "x86_64");
	assert_int_equal(c.nr_nodes, 3);
	assert_int_equal(c.seed, 0xdeadbeef);
	assert_int_equal(c.movablecore_bytes, 64 * MiB);
	assert_int_equal(c.node[0].mem_bytes, GiB);
	assert_int_equal(c.node[0].nr_cpus, 3);
	assert_int_equal(c.node[1].mem_bytes, 256 * MiB);
	assert_int_equal(c.node[1].nr_cpus, 0);
	assert_int_equal(c.node[2].mem_bytes, 2 * GiB);
	assert_int_equal(c.node[2].nr_cpus, 1);
	assert_int_equal(c.node[3].mem_bytes, 0);
	{
		static const int want[3][3] = {{10, 21, 31}, {21, 10, 25}, {31, 25, 10}};

		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				assert_int_equal(c.distance[i][j], want[i][j]);
	}
	/* the parsed config boots */
	{
		struct machine *m = machine_create(&c, err, sizeof(err));

		assert_non_null(m);
		assert_int_equal(m->nr_nodes, 3);
		assert_int_equal(m->nr_cpus, 4);
		machine_destroy(m);
	}
}

static void test_i386(void **state)
{
	struct machine_config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(machine_config_parse(&c,
	                                      "[machine]\narch = i386\nseed = 42\n"
	                                      "[node.0]\nmemory = 3G\ncpus = 4\n",
	                                      err, sizeof(err)),
	                 0);
	assert_string_equal(c.arch, "i386");
	assert_int_equal(c.nr_nodes, 1);
	assert_int_equal(c.node[0].mem_bytes, 3 * GiB);
	assert_int_equal(c.node[0].nr_cpus, 4);
	assert_int_equal(c.seed, 42);
}

static uint64_t parse_memory(const char *size)
{
	struct machine_config c;
	char ini[128], err[256] = "";

	snprintf(ini, sizeof(ini), "[node.0]\nmemory = %s\ncpus = 1\n", size);
	if (machine_config_parse(&c, ini, err, sizeof(err))) {
		print_error("memory = %s: %s\n", size, err);
		fail();
	}
	return c.node[0].mem_bytes;
}

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(parse_memory("16M"), 16 * MiB);
	assert_int_equal(parse_memory("16m"), 16 * MiB);
	assert_int_equal(parse_memory("16MB"), 16 * MiB);
	assert_int_equal(parse_memory("16MiB"), 16 * MiB);
	assert_int_equal(parse_memory("16777216"), 16 * MiB); /* bytes */
	assert_int_equal(parse_memory("16777216B"), 16 * MiB);
	assert_int_equal(parse_memory("65536K"), 64 * MiB);
	assert_int_equal(parse_memory("65536k"), 64 * MiB);
	assert_int_equal(parse_memory("65536KiB"), 64 * MiB);
	assert_int_equal(parse_memory("2G"), 2 * GiB);
	assert_int_equal(parse_memory("2g"), 2 * GiB);
	assert_int_equal(parse_memory("2GB"), 2 * GiB);
	assert_int_equal(parse_memory("1T"), TiB); /* exactly the x86_64 limit */
	assert_int_equal(parse_memory("1t"), TiB);
	assert_int_equal(parse_memory("1TiB"), TiB);
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

static void test_section_and_key_errors(void **state)
{
	(void)state;
	expect_error("[bogus]\nx = 1\n", "[bogus] x = 1: unknown section");
	expect_error("[machine]\ncolour = blue\n", "[machine] colour = blue: unknown key");
	expect_error("[node.0]\nmemory = 1G\nspeed = 3\n", "[node.0] speed = 3: unknown key");
	expect_error("[machine]\narch = sparc\n", "arch = sparc: arch must be x86_64 or i386");
	expect_error("[machine]\narch = X86_64\n", "X86_64");
	expect_error("[machine]\nseed = -3\n", "seed = -3");
	expect_error("[machine]\nseed = 12abc\n", "seed = 12abc");
	expect_error("[machine]\nseed = 18446744073709551616\n", "18446744073709551616");
	expect_error("[machine]\nseed =\n", "seed");
	expect_error("[node.64]\nmemory = 1G\n", "node sections are [node.0] .. [node.63]");
	expect_error("[node.x]\nmemory = 1G\n", "[node.x]");
	expect_error("[nodes]\nmemory = 1G\n", "[nodes]");
	expect_error("[machine]\nthis line has no equals sign\n", "line 2: not a key = value");
	expect_error("[node.0]\nmemory = 1G\ncpus = 1\n[broken\n", "line 4");
	/* the first error is the one reported */
	expect_error("[machine]\ncolour = blue\n[bogus]\nx = 1\n", "colour");
}

static void test_size_errors(void **state)
{
	(void)state;
	expect_error("[node.0]\nmemory = 12Q\ncpus = 1\n", "[node.0] memory = 12Q: not a size");
	expect_error("[node.0]\nmemory = 0.5G\ncpus = 1\n", "memory = 0.5G");
	expect_error("[node.0]\nmemory = -1G\ncpus = 1\n", "memory = -1G");
	expect_error("[node.0]\nmemory = 1Gi\ncpus = 1\n", "memory = 1Gi");
	expect_error("[node.0]\nmemory = 1 G\ncpus = 1\n", "memory = 1 G");
	expect_error("[node.0]\nmemory = G\ncpus = 1\n", "memory = G");
	expect_error("[node.0]\nmemory = 99999999999999999999\ncpus = 1\n", "99999999999999999999");
	expect_error("[node.0]\nmemory = 17179869184G\ncpus = 1\n", "17179869184G"); /* 2^64 */
	expect_error("[node.0]\nmemory = 20000K\ncpus = 1\n",
	             "node 0: memory must be a multiple of 1M");
	expect_error("[node.0]\nmemory = 1G\ncpus = 1\n[node.1]\nmemory = 16777217\ncpus = 1\n",
	             "node 1: memory must be a multiple of 1M");
	expect_error("[node.0]\nmemory = 8M\ncpus = 1\n", "node 0: memory must be at least 16M");
	expect_error("[node.0]\nmemory = 15M\ncpus = 1\n", "at least 16M");
	expect_error("[node.0]\nmemory = 0\ncpus = 1\n", "at least 16M");
	expect_error("[machine]\nmovablecore = 1X\n", "movablecore = 1X");
}

static void test_limit_errors(void **state)
{
	(void)state;
	/* total memory: 1 TiB on x86_64, 3 GiB on i386 */
	expect_error("[node.0]\nmemory = 2T\ncpus = 1\n",
	             "x86_64 machines have at most 1048576 MiB of memory");
	expect_error("[node.0]\nmemory = 1048577M\ncpus = 1\n", "at most 1048576 MiB");
	expect_error("[node.0]\nmemory = 512G\ncpus = 1\n[node.1]\nmemory = 513G\ncpus = 1\n",
	             "at most 1048576 MiB");
	expect_error("[machine]\narch = i386\n[node.0]\nmemory = 4G\ncpus = 1\n",
	             "i386 machines have at most 3072 MiB of memory");
	expect_error("[machine]\narch = i386\n[node.0]\nmemory = 3073M\ncpus = 1\n",
	             "at most 3072 MiB");
	/* i386 is not NUMA */
	expect_error("[machine]\narch = i386\n[node.0]\nmemory = 1G\ncpus = 1\n"
	             "[node.1]\nmemory = 1G\ncpus = 1\n",
	             "i386 is not a NUMA build: one node only");
	/* the default has two nodes: i386 alone is refused too */
	expect_error("[machine]\narch = i386\n", "one node only");
	/* CPUs: at least one in the machine, at most 256 in all */
	expect_error("[node.0]\nmemory = 1G\ncpus = 0\n", "the machine needs 1..256 CPUs, not 0");
	expect_error("[node.0]\nmemory = 1G\n", "not 0");
	expect_error("[node.0]\nmemory = 1G\ncpus = 0\n[node.1]\nmemory = 1G\ncpus = 0\n", "not 0");
	expect_error("[node.0]\nmemory = 1G\ncpus = 300\n",
	             "[node.0] cpus = 300: cpus must be 0..256");
	expect_error("[node.0]\nmemory = 1G\ncpus = 257\n", "cpus = 257");
	expect_error("[node.0]\nmemory = 1G\ncpus = -1\n", "cpus = -1");
	expect_error("[node.0]\nmemory = 1G\ncpus = two\n", "cpus = two");
	expect_error("[node.0]\nmemory = 1G\ncpus = 200\n[node.1]\nmemory = 1G\ncpus = 100\n",
	             "the machine needs 1..256 CPUs, not 300");
	expect_error("[node.0]\nmemory = 1G\ncpus = 128\n[node.1]\nmemory = 1G\ncpus = 129\n",
	             "not 257");
	/* node sections number 0..n-1 */
	expect_error("[node.0]\nmemory = 1G\ncpus = 1\n[node.2]\nmemory = 1G\ncpus = 1\n",
	             "node 1 is missing: [node.1]");
	expect_error("[node.1]\nmemory = 1G\ncpus = 1\n", "node 0 is missing");
	/* movablecore below total memory */
	expect_error("[machine]\nmovablecore = 1G\n", "movablecore must be smaller than memory");
	expect_error("[machine]\nmovablecore = 2G\n", "movablecore");
	expect_error("[machine]\nmovablecore = 64M\n[node.0]\nmemory = 64M\ncpus = 1\n",
	             "movablecore");
}

static void test_limits_accepted(void **state)
{
	struct machine_config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(
	    machine_config_parse(&c, "[node.0]\nmemory = 16M\ncpus = 256\n", err, sizeof(err)), 0);
	assert_int_equal(c.node[0].mem_bytes, 16 * MiB);
	assert_int_equal(c.node[0].nr_cpus, 256);
	assert_int_equal(machine_config_parse(&c,
	                                      "[node.0]\nmemory = 512G\ncpus = 128\n"
	                                      "[node.1]\nmemory = 512G\ncpus = 128\n",
	                                      err, sizeof(err)),
	                 0);
	assert_int_equal(c.node[0].mem_bytes + c.node[1].mem_bytes, TiB);
	assert_int_equal(
	    machine_config_parse(&c, "[machine]\nmovablecore = 1023M\n", err, sizeof(err)), 0);
	assert_int_equal(c.movablecore_bytes, 1023 * MiB);
	assert_int_equal(machine_config_parse(&c, "[machine]\nmovablecore = 0\n", err, sizeof(err)),
	                 0);
	assert_int_equal(c.movablecore_bytes, 0);
	assert_int_equal(
	    machine_config_parse(&c, "[machine]\nseed = 18446744073709551615\n", err, sizeof(err)),
	    0);
	assert_int_equal(c.seed, UINT64_MAX);
	assert_int_equal(machine_config_parse(&c, "[machine]\nseed = 0\n", err, sizeof(err)), 0);
	assert_int_equal(c.seed, 0);
}

static void test_distance_errors(void **state)
{
	struct machine_config c;
	char err[256] = "";

	(void)state;
	expect_error("[distance]\n0 = 11 20\n", "distance 0->0 must be 10 (local)");
	expect_error("[distance]\n1 = 20 20\n", "distance 1->1 must be 10");
	expect_error("[distance]\n0 = 10 10\n", "distance 0->1 must be 11..254, not 10");
	expect_error("[distance]\n1 = 10 10\n", "distance 1->0 must be 11..254, not 10");
	expect_error("[distance]\n0 = 10 255\n", "[distance] 0 = 10 255: distances are 10..254");
	expect_error("[distance]\n0 = 10 9\n", "distances are 10..254");
	expect_error("[distance]\n0 = 10 x\n", "0 = 10 x");
	expect_error("[distance]\nx = 10 20\n", "[distance] x = 10 20: row must be a node number");
	expect_error("[distance]\n64 = 10 20\n", "row must be a node number");
	/* rows given partly keep the default for the rest */
	assert_int_equal(machine_config_parse(&c, "[distance]\n0 = 10 40\n", err, sizeof(err)), 0);
	assert_int_equal(c.distance[0][1], 40);
	assert_int_equal(c.distance[1][0], 20);
	assert_int_equal(c.distance[1][1], 10);
	/* the SLIT may be asymmetric, as ACPI allows */
	assert_int_equal(
	    machine_config_parse(&c, "[distance]\n0 = 10 40\n1 = 30 10\n", err, sizeof(err)), 0);
	assert_int_equal(c.distance[0][1], 40);
	assert_int_equal(c.distance[1][0], 30);
}

static void test_validate(void **state)
{
	struct machine_config c;
	char err[256] = "";

	(void)state;
	machine_config_default(&c);
	strcpy(c.arch, "vax");
	assert_int_equal(machine_config_validate(&c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown arch \"vax\"");
	machine_config_default(&c);
	c.nr_nodes = 0;
	assert_int_equal(machine_config_validate(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "1..64 nodes"));
	c.nr_nodes = MAX_NUMNODES + 1;
	assert_int_equal(machine_config_validate(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "1..64 nodes"));
	machine_config_default(&c);
	c.node[1].nr_cpus = -1;
	assert_int_equal(machine_config_validate(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "node 1: cpus must be 0..256"));
	machine_config_default(&c);
	c.distance[1][0] = 255;
	assert_int_equal(machine_config_validate(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "distance 1->0 must be 11..254, not 255"));
	/* a short err buffer is filled and terminated, not overrun */
	machine_config_default(&c);
	c.node[0].mem_bytes = MiB;
	memset(err, 'x', sizeof(err));
	assert_int_equal(machine_config_validate(&c, err, 8), -EINVAL);
	assert_string_equal(err, "node 0:");
	assert_int_equal(err[8], 'x');
	/* and err may be NULL */
	assert_int_equal(machine_config_validate(&c, NULL, 0), -EINVAL);
	assert_int_equal(machine_config_validate(&c, NULL, 100), -EINVAL);
}

static void test_err_may_be_null(void **state)
{
	struct machine_config c;

	(void)state;
	assert_int_equal(machine_config_parse(&c, "[bogus]\nx=1\n", NULL, 0), -EINVAL);
	assert_int_equal(machine_config_parse(&c, "[node.0]\nmemory=1\n", NULL, 0), -EINVAL);
	assert_int_equal(machine_config_parse(&c, "[machine]\nno equals\n", NULL, 0), -EINVAL);
	assert_int_equal(machine_config_parse(&c, "[node.2]\nmemory=1G\ncpus=1\n", NULL, 0),
	                 -EINVAL);
	assert_int_equal(machine_config_load(&c, "/nonexistent/mmsim.ini", NULL, 0), -ENOENT);
	/* libinih reports only keys: a section with none changes nothing */
	assert_int_equal(machine_config_parse(&c, "[bogus]\n", NULL, 0), 0);
	assert_int_equal(c.nr_nodes, 2);
}

/* Write text to a fresh temporary file; the caller unlinks path. */
static void write_temp(char *path, const char *text)
{
	int fd = mkstemp(path);
	size_t n = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
}

static void test_load_file(void **state)
{
	struct machine_config c;
	char path[] = "/tmp/mmsim-config-XXXXXX", err[256] = "";

	(void)state;
	write_temp(path, "[machine]\nseed = 7\n[node.0]\nmemory = 64M\ncpus = 1\n");
	assert_int_equal(machine_config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.nr_nodes, 1);
	assert_int_equal(c.node[0].mem_bytes, 64 * MiB);
	assert_int_equal(c.node[0].nr_cpus, 1);
	assert_int_equal(c.seed, 7);
	unlink(path);
	/* gone: -ENOENT, and the message names the file */
	assert_int_equal(machine_config_load(&c, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(machine_config_load(&c, "/nonexistent/dir/mmsim.ini", err, sizeof(err)),
	                 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/dir/mmsim.ini"));
	/* a directory opens but is no config: refused, not read as empty */
	assert_int_equal(machine_config_load(&c, "/tmp", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/tmp: not a regular file"));
	assert_int_equal(machine_config_load(&c, "/dev/zero", err, sizeof(err)), -EINVAL);
}

static void test_load_file_errors(void **state)
{
	struct machine_config c;
	char path[] = "/tmp/mmsim-config-XXXXXX", err[256] = "";

	(void)state;
	write_temp(path, "[node.0]\nmemory = 64M\ncpus = 1\n\noops\n");
	assert_int_equal(machine_config_load(&c, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "line 5: not a key = value line"));
	unlink(path);
	strcpy(path, "/tmp/mmsim-config-XXXXXX");
	write_temp(path, "[node.0]\nmemory = 64Q\ncpus = 1\n");
	assert_int_equal(machine_config_load(&c, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "memory = 64Q"));
	unlink(path);
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
	    cmocka_unit_test(test_empty_text_is_default),
	    cmocka_unit_test(test_full_ini),
	    cmocka_unit_test(test_i386),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_section_and_key_errors),
	    cmocka_unit_test(test_size_errors),
	    cmocka_unit_test(test_limit_errors),
	    cmocka_unit_test(test_limits_accepted),
	    cmocka_unit_test(test_distance_errors),
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_err_may_be_null),
	    cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_load_file_errors),
	    cmocka_unit_test(test_create_refuses_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
