/*
 * mmsim_demo.c - the engine's self-demonstration: boot a machine (the
 * embedded default, or an INI config) and print its boot log and /proc
 * views.  deploy/run.sh runs it until the daemon exists.
 *
 *   mmsim-demo [-c config.ini] [path ...]
 * With no paths it prints dmesg, buddyinfo, zoneinfo and meminfo.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mm/machine.h"
#include "mm/mm_check.h"
#include "mm/vmstat.h"

static int show(struct machine *m, const char *path)
{
	struct sbuf sb = SBUF_INIT;
	int rc;

	if (!strcmp(path, "dmesg"))
		rc = printk_read(&m->log, &sb);
	else
		rc = proc_render(m, path, &sb);
	if (rc) {
		fprintf(stderr, "mmsim-demo: %s: %s\n", path, strerror(-rc));
	} else {
		printf("==> %s <==\n%s\n", path, sbuf_cstr(&sb));
	}
	sbuf_free(&sb);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const defaults[] = {"dmesg", "/proc/buddyinfo", "/proc/zoneinfo",
	                                       "/proc/meminfo"};
	struct machine_config cfg;
	struct machine *m;
	char err[256] = "";
	int opt, rc = 0;

	machine_config_default(&cfg);
	while ((opt = getopt(argc, argv, "c:h")) != -1) {
		if (opt == 'c' && machine_config_load(&cfg, optarg, err, sizeof(err)) == 0)
			continue;
		fprintf(stderr, opt == 'c' ? "mmsim-demo: %s\n" : "%s",
		        opt == 'c' ? err : "usage: mmsim-demo [-c config.ini] [path ...]\n");
		return 2;
	}
	m = machine_create(&cfg, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "mmsim-demo: %s\n", err);
		return 1;
	}
	if (check_machine(m, err, sizeof(err))) {
		fprintf(stderr, "mmsim-demo: invariant violated after boot: %s\n", err);
		rc = 1;
	}
	if (optind == argc)
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			rc |= show(m, defaults[i]) ? 1 : 0;
	for (int i = optind; i < argc; i++)
		rc |= show(m, argv[i]) ? 1 : 0;
	machine_destroy(m);
	return rc;
}
