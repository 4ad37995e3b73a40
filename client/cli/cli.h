/*
 * cli.h - the mmsim command line: shared state and helpers (cli.c) for the
 * subcommands (commands.c), which are one table of {noun, verb, handler,
 * usage, help}.
 *
 * Exit codes: 0 ok, 1 the daemon refused the request, 2 usage error,
 * 3 connection or TLS failure.
 */
#ifndef MMSIM_CLI_H
#define MMSIM_CLI_H

#include <stdbool.h>

#include "mmsim.h"

enum { EXIT_OK = 0, EXIT_SERVER = 1, EXIT_USAGE = 2, EXIT_CONN = 3 };

struct cli {
	const char *endpoint, *cacert, *cert, *key; /* flags > environment > defaults */
	const char *machine;                        /* -m NAME; "" = the shared machine */
	bool json;                                  /* -o json */
	struct mmsim_client *client;                /* connected on first use */
};

struct command {
	const char *noun; /* "page" */
	const char *verb; /* "alloc", or NULL for a one-word command */
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage; /* "[--order N] [--gfp MASK] [--node N] [--cpu N]" */
	const char *help;  /* one line */
};

extern const struct command commands[];

/*
 * cli_call - connect if needed, call, print errors.  Returns EXIT_OK with
 * *reply set, or the exit code to return.
 */
int cli_call(struct cli *cli, unsigned method, const ProtobufCMessage *req,
             ProtobufCMessage **reply);
/* cli_run - cli_call, then cli_print the reply and free it; the exit code. */
int cli_run(struct cli *cli, unsigned method, const ProtobufCMessage *req,
            void (*table)(const ProtobufCMessage *reply));
/* cli_print - the reply as JSON (-o json) or through `table` for people. */
void cli_print(const struct cli *cli, const ProtobufCMessage *reply,
               void (*table)(const ProtobufCMessage *reply));
/* cli_usage - print a command's usage on stderr; returns EXIT_USAGE. */
int cli_usage(const struct command *cmd);
/* parse_u64 - a decimal or 0x number; 0 or -1. */
int parse_u64(const char *s, unsigned long long max, unsigned long long *out);

#endif
