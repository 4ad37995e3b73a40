/*
 * cli.c - mmsim's main: global options, the connection, printing, and the
 * dispatch to a subcommand of commands.c.
 *
 *   mmsim [-e HOST:PORT] [--cacert F] [--cert F] [--key F] [-m MACHINE]
 *         [-o table|json] COMMAND [ARGS]
 * Endpoint and certificates also come from MMSIM_ENDPOINT, MMSIM_CACERT,
 * MMSIM_CERT, MMSIM_KEY (and MMSIM_MACHINE, MMSIM_OUTPUT); flags win.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pbjson.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end || *out > max ? -1 : 0;
}

int cli_usage(const struct command *c)
{
	fprintf(stderr, "usage: mmsim %s%s%s %s\n", c->noun, c->verb ? " " : "",
	        c->verb ? c->verb : "", c->usage);
	return EXIT_USAGE;
}

static void print_help(FILE *f)
{
	fprintf(f, "usage: mmsim [-e HOST:PORT] [--cacert F] [--cert F] [--key F] [-m MACHINE]\n"
	           "             [-o table|json] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct command *c = commands; c->noun; c++) {
		char name[64];

		snprintf(name, sizeof(name), "%s%s%s", c->noun, c->verb ? " " : "",
		         c->verb ? c->verb : "");
		fprintf(f, "  %-16s %s\n", name, c->help);
	}
	fprintf(f, "\nenvironment: MMSIM_ENDPOINT MMSIM_CACERT MMSIM_CERT MMSIM_KEY "
	           "MMSIM_MACHINE MMSIM_OUTPUT\n"
	           "exit status: 0 ok, 1 refused by the daemon, 2 usage, 3 connection/TLS\n");
}

static int connect_cli(struct cli *cli)
{
	struct mmsim_options o = {cli->endpoint, cli->cacert, cli->cert, cli->key, 30000};
	char err[512];

	if (cli->client)
		return EXIT_OK;
	if (!cli->cacert || !cli->cert || !cli->key) {
		fprintf(stderr, "mmsim: certificates needed: --cacert/--cert/--key or "
		                "MMSIM_CACERT/MMSIM_CERT/MMSIM_KEY\n");
		return EXIT_USAGE;
	}
	cli->client = mmsim_connect(&o, err, sizeof(err));
	if (!cli->client) {
		fprintf(stderr, "mmsim: %s\n", err);
		return EXIT_CONN;
	}
	return EXIT_OK;
}

int cli_call(struct cli *cli, unsigned method, const ProtobufCMessage *req,
             ProtobufCMessage **reply)
{
	int rc = connect_cli(cli);

	if (rc)
		return rc;
	rc = mmsim_call(cli->client, method, req, reply);
	if (rc == 0)
		return EXIT_OK;
	fprintf(stderr, "mmsim: %s\n", mmsim_error(cli->client));
	return rc < 0 ? EXIT_CONN : EXIT_SERVER;
}

void cli_print(const struct cli *cli, const ProtobufCMessage *reply,
               void (*table)(const ProtobufCMessage *reply))
{
	if (cli->json) {
		json_t *j = pb_to_json(reply);

		if (j) {
			json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			putchar('\n');
			json_decref(j);
		}
	} else {
		table(reply);
	}
}

int cli_run(struct cli *cli, unsigned method, const ProtobufCMessage *req,
            void (*table)(const ProtobufCMessage *reply))
{
	ProtobufCMessage *r;
	int rc = cli_call(cli, method, req, &r);

	if (rc)
		return rc;
	cli_print(cli, r, table);
	protobuf_c_message_free_unpacked(r, NULL);
	return EXIT_OK;
}

static const struct command *find_command(int argc, char **argv, int *used)
{
	for (const struct command *c = commands; c->noun; c++) {
		if (strcmp(c->noun, argv[0]))
			continue;
		if (!c->verb) {
			*used = 1;
			return c;
		}
		if (argc > 1 && !strcmp(c->verb, argv[1])) {
			*used = 2;
			return c;
		}
	}
	return NULL;
}

static int parse_globals(int argc, char **argv, struct cli *cli)
{
	static const struct option opts[] = {
	    {"endpoint", required_argument, NULL, 'e'}, {"cacert", required_argument, NULL, 'A'},
	    {"cert", required_argument, NULL, 'C'},     {"key", required_argument, NULL, 'K'},
	    {"machine", required_argument, NULL, 'm'},  {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
	const char *out = env_or("MMSIM_OUTPUT", "table");
	int opt;

	/* "+": stop at the command; its options are its own */
	while ((opt = getopt_long(argc, argv, "+e:m:o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			cli->endpoint = optarg;
			break;
		case 'A':
			cli->cacert = optarg;
			break;
		case 'C':
			cli->cert = optarg;
			break;
		case 'K':
			cli->key = optarg;
			break;
		case 'm':
			cli->machine = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			print_help(stdout);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	if (strcmp(out, "json") && strcmp(out, "table")) {
		fprintf(stderr, "mmsim: -o takes table or json, not %s\n", out);
		return -1;
	}
	cli->json = !strcmp(out, "json");
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = {env_or("MMSIM_ENDPOINT", "127.0.0.1:7070"),
	                  env_or("MMSIM_CACERT", NULL),
	                  env_or("MMSIM_CERT", NULL),
	                  env_or("MMSIM_KEY", NULL),
	                  env_or("MMSIM_MACHINE", ""),
	                  false,
	                  NULL};
	const struct command *cmd;
	int used, rc;

	if (parse_globals(argc, argv, &cli))
		return EXIT_USAGE;
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argc - optind, argv + optind, &used);
	if (!cmd) {
		fprintf(stderr, "mmsim: unknown command \"%s\" (mmsim --help lists them)\n",
		        argv[optind]);
		return EXIT_USAGE;
	}
	/* the command sees its own arguments, with getopt reset for them */
	argv += optind + used - 1;
	argc -= optind + used - 1;
	optind = 0;
	rc = cmd->run(&cli, argc, argv);
	mmsim_close(cli.client);
	return rc;
}
