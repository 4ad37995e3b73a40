/*
 * mmsimd.c - the daemon's command line: configuration from an INI file and
 * flags (flags win), --check-config, and the loop.
 *
 *   mmsimd [--config FILE] [--listen HOST:PORT] [--tls-cert F] [--tls-key F]
 *          [--tls-ca F] [--machine-config F] [--log-level LEVEL]
 *          [--check-config] [--version]
 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/daemon.h"
#include "net/log.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: mmsimd [--config FILE] [--listen HOST:PORT] [--tls-cert FILE]\n"
	        "              [--tls-key FILE] [--tls-ca FILE] [--machine-config FILE]\n"
	        "              [--log-level error|warn|info|debug] [--check-config] [--version]\n");
}

static int set_path(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len) {
		fprintf(stderr, "mmsimd: argument too long: %s\n", src);
		return -1;
	}
	strcpy(dst, src);
	return 0;
}

static int parse_level(const char *s)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};

	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

struct options {
	const char *config;
	int check_only;
	int level;
};

/* Flags override the file, so the file is read first: two passes over argv. */
static int find_config(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			o->config = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			o->config = argv[i] + 9;
	}
	return 0;
}

static int parse_flags(int argc, char **argv, struct daemon_config *cfg, struct options *o)
{
	static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
	                                         {"listen", required_argument, NULL, 'l'},
	                                         {"tls-cert", required_argument, NULL, 'C'},
	                                         {"tls-key", required_argument, NULL, 'K'},
	                                         {"tls-ca", required_argument, NULL, 'A'},
	                                         {"machine-config", required_argument, NULL, 'm'},
	                                         {"log-level", required_argument, NULL, 'v'},
	                                         {"check-config", no_argument, NULL, 'k'},
	                                         {"version", no_argument, NULL, 'V'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {NULL, 0, NULL, 0}};
	int opt, rc = 0;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1 && !rc) {
		switch (opt) {
		case 'c':
			break;
		case 'l':
			rc = set_path(cfg->listen, sizeof(cfg->listen), optarg);
			break;
		case 'C':
			rc = set_path(cfg->tls_cert, sizeof(cfg->tls_cert), optarg);
			break;
		case 'K':
			rc = set_path(cfg->tls_key, sizeof(cfg->tls_key), optarg);
			break;
		case 'A':
			rc = set_path(cfg->tls_ca, sizeof(cfg->tls_ca), optarg);
			break;
		case 'm':
			rc = set_path(cfg->machine_config, sizeof(cfg->machine_config), optarg);
			break;
		case 'v':
			if ((o->level = parse_level(optarg)) < 0)
				rc = -1;
			break;
		case 'k':
			o->check_only = 1;
			break;
		case 'V':
			printf("mmsimd %s\n", MMSIM_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			rc = -1;
			break;
		}
	}
	if (rc || optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon_config cfg;
	struct options o = {NULL, 0, LOG_INFO};
	struct daemon *d;
	char err[512] = "";
	int rc;

	/*
	 * Requests allocate and free small buffers all day; glibc's default
	 * trimming hands the heap top back and refaults it (18 us per 4 KiB
	 * pair measured here), so keep a generous top.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	daemon_config_default(&cfg);
	find_config(argc, argv, &o);
	if (o.config && (daemon_config_load(&cfg, o.config, err, sizeof(err)) ||
	                 set_path(cfg.config_path, sizeof(cfg.config_path), o.config))) {
		fprintf(stderr, "mmsimd: %s\n", err);
		return 2;
	}
	if (parse_flags(argc, argv, &cfg, &o))
		return 2;
	log_set_level((enum log_level)o.level);
	d = daemon_new(&cfg, err, sizeof(err));
	if (!d) {
		fprintf(stderr, "mmsimd: %s\n", err);
		return 1;
	}
	if (o.check_only) {
		printf("mmsimd: configuration OK (would listen on %s)\n", cfg.listen);
		daemon_free(d);
		return 0;
	}
	rc = daemon_run(d);
	daemon_free(d);
	return rc ? 1 : 0;
}
