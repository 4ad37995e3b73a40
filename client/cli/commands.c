/*
 * commands.c - mmsim's subcommands, one handler each, listed in the
 * table at the end (cli.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Commands that take no options still refuse stray arguments. */
static int want_args(const struct command *c, int argc, int n)
{
	return argc - 1 == n ? 0 : cli_usage(c);
}

static const struct command *self(const char *noun, const char *verb);

/* ---- cat, dmesg ---- */

static void print_text(const ProtobufCMessage *m)
{
	fputs(((const Mmsim__ReadProcReply *)m)->text, stdout);
}

static int read_proc(struct cli *cli, const char *path)
{
	Mmsim__ReadProcRequest q = MMSIM__READ_PROC_REQUEST__INIT;

	q.machine = (char *)cli->machine;
	q.path = (char *)path;
	return cli_run(cli, MMSIM_M_READ_PROC, &q.base, print_text);
}

static int cmd_cat(struct cli *cli, int argc, char **argv)
{
	int rc = EXIT_OK;

	if (argc < 2)
		return cli_usage(self("cat", NULL));
	for (int i = 1; i < argc && rc == EXIT_OK; i++)
		rc = read_proc(cli, argv[i]);
	return rc;
}

static int cmd_dmesg(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (want_args(self("dmesg", NULL), argc, 0))
		return EXIT_USAGE;
	return read_proc(cli, "dmesg");
}

/* ---- ping, info ---- */

static void print_ping(const ProtobufCMessage *m)
{
	const Mmsim__PingReply *r = (const Mmsim__PingReply *)m;

	printf("mmsimd %s, protocol %u, you are %s%s\n", r->server_version, r->protocol_version,
	       r->tenant, r->admin ? " (administrator)" : "");
}

static int cmd_ping(struct cli *cli, int argc, char **argv)
{
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;

	(void)argv;
	if (want_args(self("ping", NULL), argc, 0))
		return EXIT_USAGE;
	return cli_run(cli, MMSIM_M_PING, &q.base, print_ping);
}

static void print_info(const ProtobufCMessage *m)
{
	const Mmsim__MachineInfoReply *r = (const Mmsim__MachineInfoReply *)m;

	printf("machine %s: %s, %zu nodes, %llu pages (%llu free), min_free_kbytes %u%s%s\n",
	       r->name, r->arch, r->n_nodes, (unsigned long long)r->total_pages,
	       (unsigned long long)r->free_pages, r->min_free_kbytes, *r->owner ? ", owner " : "",
	       r->owner);
	printf("%-4s %-8s %10s %10s %10s %10s %6s %6s %6s %5s %5s\n", "node", "zone", "start_pfn",
	       "spanned", "present", "free", "min", "low", "high", "batch", "high");
	for (size_t i = 0; i < r->n_zones; i++) {
		const Mmsim__ZoneInfo *z = r->zones[i];

		printf("%-4u %-8s %10llu %10llu %10llu %10llu %6llu %6llu %6llu %5u %5u\n", z->node,
		       z->name, (unsigned long long)z->start_pfn,
		       (unsigned long long)z->spanned_pages, (unsigned long long)z->present_pages,
		       (unsigned long long)z->free_pages, (unsigned long long)z->min,
		       (unsigned long long)z->low, (unsigned long long)z->high, z->pcp_batch,
		       z->pcp_high);
	}
}

static int cmd_info(struct cli *cli, int argc, char **argv)
{
	Mmsim__MachineInfoRequest q = MMSIM__MACHINE_INFO_REQUEST__INIT;

	(void)argv;
	if (want_args(self("info", NULL), argc, 0))
		return EXIT_USAGE;
	q.machine = (char *)cli->machine;
	return cli_run(cli, MMSIM_M_MACHINE_INFO, &q.base, print_info);
}

/* ---- page alloc, page free ---- */

struct page_opts {
	unsigned long long order, node, cpu;
	int has_node, has_cpu;
	const char *gfp;
};

static int page_options(const struct command *c, int argc, char **argv, struct page_opts *p)
{
	static const struct option opts[] = {{"order", required_argument, NULL, 'o'},
	                                     {"gfp", required_argument, NULL, 'g'},
	                                     {"node", required_argument, NULL, 'n'},
	                                     {"cpu", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int bad = 0;

		switch (opt) {
		case 'o':
			bad = parse_u64(optarg, 255, &p->order);
			break;
		case 'g':
			p->gfp = optarg;
			break;
		case 'n':
			bad = parse_u64(optarg, 65535, &p->node), p->has_node = 1;
			break;
		case 'c':
			bad = parse_u64(optarg, 65535, &p->cpu), p->has_cpu = 1;
			break;
		default:
			bad = 1;
			break;
		}
		if (bad)
			return cli_usage(c);
	}
	return EXIT_OK;
}

static void print_alloc(const ProtobufCMessage *m)
{
	const Mmsim__AllocPagesReply *r = (const Mmsim__AllocPagesReply *)m;

	printf("pfn %#llx order %u node %u zone %s address %#llx\n", (unsigned long long)r->pfn,
	       r->order, r->node, r->zone, (unsigned long long)r->address);
}

static int cmd_page_alloc(struct cli *cli, int argc, char **argv)
{
	const struct command *c = self("page", "alloc");
	Mmsim__AllocPagesRequest q = MMSIM__ALLOC_PAGES_REQUEST__INIT;
	struct page_opts p = {0};
	int rc;

	if ((rc = page_options(c, argc, argv, &p)) || optind != argc)
		return rc ? rc : cli_usage(c);
	q.machine = (char *)cli->machine;
	q.has_order = 1;
	q.order = (uint32_t)p.order;
	q.gfp = (char *)p.gfp;
	q.has_node = p.has_node;
	q.node = (int32_t)p.node;
	q.has_cpu = p.has_cpu;
	q.cpu = (uint32_t)p.cpu;
	return cli_run(cli, MMSIM_M_ALLOC_PAGES, &q.base, print_alloc);
}

static void print_nothing(const ProtobufCMessage *m)
{
	(void)m;
}

static int cmd_page_free(struct cli *cli, int argc, char **argv)
{
	const struct command *c = self("page", "free");
	Mmsim__FreePagesRequest q = MMSIM__FREE_PAGES_REQUEST__INIT;
	struct page_opts p = {0};
	unsigned long long pfn;
	int rc;

	if ((rc = page_options(c, argc, argv, &p)))
		return rc;
	if (optind != argc - 1 || p.gfp || p.has_node || parse_u64(argv[optind], ~0ull, &pfn))
		return cli_usage(c);
	q.machine = (char *)cli->machine;
	q.has_pfn = q.has_order = 1;
	q.pfn = pfn;
	q.order = (uint32_t)p.order;
	q.has_cpu = p.has_cpu;
	q.cpu = (uint32_t)p.cpu;
	return cli_run(cli, MMSIM_M_FREE_PAGES, &q.base, print_nothing);
}

/* ---- sysctl ---- */

static void print_sysctl(const ProtobufCMessage *m)
{
	const Mmsim__SysctlReply *r = (const Mmsim__SysctlReply *)m;

	printf("vm.%s = %s", r->name, r->value);
}

static int cmd_sysctl(struct cli *cli, int argc, char **argv)
{
	Mmsim__SysctlGetRequest g = MMSIM__SYSCTL_GET_REQUEST__INIT;
	Mmsim__SysctlSetRequest s = MMSIM__SYSCTL_SET_REQUEST__INIT;
	char name[256];
	char *eq;
	ProtobufCMessage *r;
	int rc;

	if (argc != 2 || strlen(argv[1]) >= sizeof(name))
		return cli_usage(self("sysctl", NULL));
	strcpy(name, argv[1]);
	eq = strchr(name, '=');
	if (eq) {
		*eq = '\0';
		s.machine = (char *)cli->machine;
		s.name = name;
		s.value = eq + 1;
		rc = cli_call(cli, MMSIM_M_SYSCTL_SET, &s.base, &r);
	} else {
		g.machine = (char *)cli->machine;
		g.name = name;
		rc = cli_call(cli, MMSIM_M_SYSCTL_GET, &g.base, &r);
	}
	if (rc)
		return rc;
	cli_print(cli, r, print_sysctl);
	protobuf_c_message_free_unpacked(r, NULL);
	return EXIT_OK;
}

/* ---- machine create, list, destroy ---- */

static void print_summary(const Mmsim__MachineSummary *s)
{
	printf("%-32s %-10s %-7s %5u %5u %12llu %12llu\n", s->name, *s->owner ? s->owner : "-",
	       s->arch, s->nodes, s->cpus, (unsigned long long)s->total_pages,
	       (unsigned long long)s->free_pages);
}

static void print_header(void)
{
	printf("%-32s %-10s %-7s %5s %5s %12s %12s\n", "NAME", "OWNER", "ARCH", "NODES", "CPUS",
	       "PAGES", "FREE");
}

static void print_created(const ProtobufCMessage *m)
{
	print_header();
	print_summary(((const Mmsim__CreateMachineReply *)m)->machine);
}

static void print_list(const ProtobufCMessage *m)
{
	const Mmsim__ListMachinesReply *r = (const Mmsim__ListMachinesReply *)m;

	print_header();
	for (size_t i = 0; i < r->n_machines; i++)
		print_summary(r->machines[i]);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && n <= 16 * 1024 &&
	    !fseek(f, 0, SEEK_SET) && (buf = calloc(1, (size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int cmd_machine_create(struct cli *cli, int argc, char **argv)
{
	const struct command *c = self("machine", "create");
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	Mmsim__CreateMachineRequest q = MMSIM__CREATE_MACHINE_REQUEST__INIT;
	const char *config = NULL;
	ProtobufCMessage *r;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (opt != 'c' || config)
			return cli_usage(c);
		else
			config = optarg;
	if (optind != argc - 1)
		return cli_usage(c);
	q.name = argv[optind];
	if (config && !(q.config = slurp(config))) {
		fprintf(stderr, "mmsim: cannot read %s (or it is over 16 KiB)\n", config);
		return EXIT_USAGE;
	}
	rc = cli_call(cli, MMSIM_M_CREATE_MACHINE, &q.base, &r);
	free(q.config);
	if (rc)
		return rc;
	cli_print(cli, r, print_created);
	protobuf_c_message_free_unpacked(r, NULL);
	return EXIT_OK;
}

static int cmd_machine_list(struct cli *cli, int argc, char **argv)
{
	Mmsim__ListMachinesRequest q = MMSIM__LIST_MACHINES_REQUEST__INIT;

	(void)argv;
	if (want_args(self("machine", "list"), argc, 0))
		return EXIT_USAGE;
	return cli_run(cli, MMSIM_M_LIST_MACHINES, &q.base, print_list);
}

static int cmd_machine_destroy(struct cli *cli, int argc, char **argv)
{
	Mmsim__DestroyMachineRequest q = MMSIM__DESTROY_MACHINE_REQUEST__INIT;

	if (want_args(self("machine", "destroy"), argc, 1))
		return EXIT_USAGE;
	q.name = argv[1];
	return cli_run(cli, MMSIM_M_DESTROY_MACHINE, &q.base, print_nothing);
}

const struct command commands[] = {
    {"cat", NULL, cmd_cat, "PATH...", "print /proc or /sys views, e.g. /proc/buddyinfo"},
    {"dmesg", NULL, cmd_dmesg, "", "print the machine's kernel log"},
    {"info", NULL, cmd_info, "", "topology, zones and watermarks"},
    {"ping", NULL, cmd_ping, "", "check the daemon and who you are to it"},
    {"page", "alloc", cmd_page_alloc, "[--order N] [--gfp MASK] [--node N] [--cpu N]",
     "alloc_pages: prints the pfn"},
    {"page", "free", cmd_page_free, "PFN [--order N] [--cpu N]", "__free_pages"},
    {"sysctl", NULL, cmd_sysctl, "vm.NAME[=VALUE]", "read or write a vm sysctl"},
    {"machine", "create", cmd_machine_create, "NAME [--config FILE.ini]",
     "create a private machine"},
    {"machine", "list", cmd_machine_list, "", "the machines you may use"},
    {"machine", "destroy", cmd_machine_destroy, "NAME", "destroy a private machine"},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct command *self(const char *noun, const char *verb)
{
	for (const struct command *c = commands; c->noun; c++)
		if (!strcmp(c->noun, noun) && (!verb || (c->verb && !strcmp(c->verb, verb))))
			return c;
	return commands;
}
