/*
 * config.c - the machine's topology: the embedded default, INI text and
 * files (through libinih), and validation with messages that name the bad
 * input.
 *
 * INI keys:
 *   [machine]  arch = x86_64 | i386, seed = <u64>, movablecore = <size>
 *   [node.N]   memory = <size> (K/M/G/T suffixes, binary), cpus = <n>
 *   [distance] N = <d0> <d1> ...   (row N of the SLIT; default 10/20)
 * Node sections, when present, replace the default nodes entirely and must
 * number 0..n-1 without gaps.  libinih reports keys, not sections, so a
 * section without keys is ignored, whatever its name.
 */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mm/machine.h"

#define LOCAL_DISTANCE  10
#define REMOTE_DISTANCE 20

void machine_config_default(struct machine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->arch, "x86_64");
	cfg->nr_nodes = 2;
	for (int i = 0; i < cfg->nr_nodes; i++) {
		cfg->node[i].mem_bytes = 512ull << 20;
		cfg->node[i].nr_cpus = 2;
	}
	for (int i = 0; i < MAX_NUMNODES; i++)
		for (int j = 0; j < MAX_NUMNODES; j++)
			cfg->distance[i][j] = i == j ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	cfg->seed = 1;
}

__attribute__((format(printf, 3, 4))) static int config_error(char *err, size_t len,
                                                              const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* parse_size - "512M", "1G", "65536K", "4096" (bytes). 0 or -EINVAL. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'K':
	case 'k':
		shift = 10;
		end++;
		break;
	case 'M':
	case 'm':
		shift = 20;
		end++;
		break;
	case 'G':
	case 'g':
		shift = 30;
		end++;
		break;
	case 'T':
	case 't':
		shift = 40;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'B' || *end == 'b' || (*end == 'i' && end[1] == 'B' && end++))
		end++;
	if (*end || (shift && v > (~0ull >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_long(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

struct parse_ctx {
	struct machine_config *cfg;
	int saw_node[MAX_NUMNODES];
	int any_node;
	char *err;
	size_t errlen;
	int failed;
};

static int ctx_fail(struct parse_ctx *c, const char *section, const char *name, const char *value,
                    const char *why)
{
	if (!c->failed)
		config_error(c->err, c->errlen, "[%s] %s = %s: %s", section, name, value, why);
	c->failed = 1;
	return 0;
}

static int parse_machine_key(struct parse_ctx *c, const char *name, const char *value)
{
	struct machine_config *cfg = c->cfg;
	uint64_t v;

	if (!strcmp(name, "arch")) {
		if (!arch_lookup(value))
			return ctx_fail(c, "machine", name, value, "arch must be x86_64 or i386");
		snprintf(cfg->arch, sizeof(cfg->arch), "%s", value);
	} else if (!strcmp(name, "seed")) {
		char *end;
		errno = 0;
		cfg->seed = strtoull(value, &end, 0);
		if (errno || end == value || *end || *value == '-')
			return ctx_fail(c, "machine", name, value, "not an unsigned 64-bit number");
	} else if (!strcmp(name, "movablecore")) {
		if (parse_size(value, &v))
			return ctx_fail(c, "machine", name, value, "not a size like 256M");
		cfg->movablecore_bytes = v;
	} else {
		return ctx_fail(c, "machine", name, value, "unknown key");
	}
	return 1;
}

/* "node.3" or "node3" -> 3, else -1 */
static int node_section_id(const char *section)
{
	long long id;

	if (strncmp(section, "node", 4))
		return -1;
	section += 4;
	if (*section == '.')
		section++;
	if (*section < '0' || *section > '9' || parse_long(section, 0, MAX_NUMNODES - 1, &id))
		return -2;
	return (int)id;
}

static int parse_node_key(struct parse_ctx *c, const char *section, int nid, const char *name,
                          const char *value)
{
	struct node_config *n = &c->cfg->node[nid];
	long long ll;
	uint64_t v;

	if (!c->any_node) {
		/* the first node section replaces the default topology */
		c->any_node = 1;
		memset(c->cfg->node, 0, sizeof(c->cfg->node));
		c->cfg->nr_nodes = 0;
	}
	c->saw_node[nid] = 1;
	if (nid + 1 > c->cfg->nr_nodes)
		c->cfg->nr_nodes = nid + 1;
	if (!strcmp(name, "memory")) {
		if (parse_size(value, &v))
			return ctx_fail(c, section, name, value, "not a size like 512M");
		n->mem_bytes = v;
	} else if (!strcmp(name, "cpus")) {
		if (parse_long(value, 0, MAX_CPUS, &ll))
			return ctx_fail(c, section, name, value, "cpus must be 0..256");
		n->nr_cpus = (int)ll;
	} else {
		return ctx_fail(c, section, name, value, "unknown key");
	}
	return 1;
}

static int parse_distance_row(struct parse_ctx *c, const char *name, const char *value)
{
	long long row, d;
	const char *p = value;
	int col = 0;

	if (parse_long(name, 0, MAX_NUMNODES - 1, &row))
		return ctx_fail(c, "distance", name, value, "row must be a node number");
	while (*p) {
		char tok[16];
		size_t n = strcspn(p, " \t,");

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(tok) || col >= MAX_NUMNODES)
			return ctx_fail(c, "distance", name, value, "malformed row");
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (parse_long(tok, 10, 254, &d))
			return ctx_fail(c, "distance", name, value, "distances are 10..254");
		c->cfg->distance[row][col++] = (uint8_t)d;
		p += n;
	}
	return 1;
}

static int ini_handler_fn(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *c = user;
	int nid;

	if (c->failed)
		return 0;
	if (!strcmp(section, "machine"))
		return parse_machine_key(c, name, value);
	if (!strcmp(section, "distance"))
		return parse_distance_row(c, name, value);
	nid = node_section_id(section);
	if (nid >= 0)
		return parse_node_key(c, section, nid, name, value);
	if (nid == -2)
		return ctx_fail(c, section, name, value, "node sections are [node.0] .. [node.63]");
	return ctx_fail(c, section, name, value, "unknown section");
}

static int finish_parse(struct parse_ctx *c, int rc)
{
	if (c->failed)
		return -EINVAL;
	if (rc > 0)
		return config_error(c->err, c->errlen, "line %d: not a key = value line", rc);
	if (rc < 0)
		return rc == -1 ? (config_error(c->err, c->errlen, "cannot open config"), -ENOENT)
		                : -ENOMEM;
	for (int i = 0; c->any_node && i < c->cfg->nr_nodes; i++)
		if (!c->saw_node[i])
			return config_error(c->err, c->errlen, "node %d is missing: [node.%d]", i,
			                    i);
	return machine_config_validate(c->cfg, c->err, c->errlen);
}

int machine_config_parse(struct machine_config *cfg, const char *text, char *err, size_t errlen)
{
	struct parse_ctx c = {.cfg = cfg, .err = err, .errlen = errlen};

	machine_config_default(cfg);
	return finish_parse(&c, ini_parse_string(text, ini_handler_fn, &c));
}

/* Config files are a few kilobytes; anything far larger is a mistake. */
#define CONFIG_FILE_MAX (1u << 20)

int machine_config_load(struct machine_config *cfg, const char *path, char *err, size_t errlen)
{
	struct parse_ctx c = {.cfg = cfg, .err = err, .errlen = errlen};
	struct stat st;
	FILE *f;
	int rc;

	machine_config_default(cfg);
	if (!(f = fopen(path, "r"))) {
		rc = -errno;
		return config_error(err, errlen, "%s: %s", path, strerror(-rc)), rc;
	}
	/* fopen succeeds on a directory, and inih would read it as empty */
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
		fclose(f);
		return config_error(err, errlen, "%s: not a regular file of at most %u bytes", path,
		                    CONFIG_FILE_MAX),
		       -EINVAL;
	}
	rc = ini_parse_file(f, ini_handler_fn, &c);
	if (ferror(f)) {
		fclose(f);
		return config_error(err, errlen, "%s: read error", path), -EIO;
	}
	fclose(f);
	return finish_parse(&c, rc);
}

static int validate_nodes(const struct machine_config *cfg, const struct arch_profile *a, char *err,
                          size_t errlen)
{
	uint64_t total = 0;
	int cpus = 0;

	for (int i = 0; i < cfg->nr_nodes; i++) {
		const struct node_config *n = &cfg->node[i];

		if (n->mem_bytes < MACHINE_MIN_NODE_BYTES)
			return config_error(err, errlen, "node %d: memory must be at least 16M", i);
		if (n->mem_bytes % MACHINE_MEM_ALIGN)
			return config_error(err, errlen, "node %d: memory must be a multiple of 1M",
			                    i);
		if (n->nr_cpus < 0 || n->nr_cpus > MAX_CPUS)
			return config_error(err, errlen, "node %d: cpus must be 0..%d", i,
			                    MAX_CPUS);
		total += n->mem_bytes;
		cpus += n->nr_cpus;
	}
	if (total > a->max_ram_bytes)
		return config_error(err, errlen, "%s machines have at most %llu MiB of memory",
		                    a->name, (unsigned long long)(a->max_ram_bytes >> 20));
	if (cpus < 1 || cpus > MAX_CPUS)
		return config_error(err, errlen, "the machine needs 1..%d CPUs, not %d", MAX_CPUS,
		                    cpus);
	if (cfg->movablecore_bytes >= total)
		return config_error(err, errlen, "movablecore must be smaller than memory");
	return 0;
}

static int validate_distances(const struct machine_config *cfg, char *err, size_t errlen)
{
	for (int i = 0; i < cfg->nr_nodes; i++)
		for (int j = 0; j < cfg->nr_nodes; j++) {
			int d = cfg->distance[i][j];

			if (i == j && d != LOCAL_DISTANCE)
				return config_error(err, errlen,
				                    "distance %d->%d must be 10 (local)", i, j);
			if (i != j && (d <= LOCAL_DISTANCE || d > 254))
				return config_error(err, errlen,
				                    "distance %d->%d must be 11..254, not %d", i, j,
				                    d);
		}
	return 0;
}

int machine_config_validate(const struct machine_config *cfg, char *err, size_t errlen)
{
	const struct arch_profile *a = arch_lookup(cfg->arch);

	if (!a)
		return config_error(err, errlen, "unknown arch \"%.16s\"", cfg->arch);
	if (cfg->nr_nodes < 1 || cfg->nr_nodes > MAX_NUMNODES)
		return config_error(err, errlen, "a machine has 1..%d nodes", MAX_NUMNODES);
	if (!a->numa && cfg->nr_nodes > 1)
		return config_error(err, errlen, "%s is not a NUMA build: one node only", a->name);
	if (validate_nodes(cfg, a, err, errlen))
		return -EINVAL;
	return validate_distances(cfg, err, errlen);
}
