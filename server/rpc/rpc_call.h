/*
 * rpc_call.h - what a method handler works with (rpc.c runs them; the
 * handlers live in rpc_pages.c and rpc_machines.c, by subject).
 *
 * Memory a handler puts in its reply (strings, arrays, sub-messages) comes
 * from rpc_alloc: it lives until the reply is packed, then the dispatcher
 * frees it all at once.  Small calls never reach malloc: rpc_alloc and the
 * request's unpacking bump through an arena on the dispatcher's stack.
 */
#ifndef MMSIM_SERVER_RPC_CALL_H
#define MMSIM_SERVER_RPC_CALL_H

#include <protobuf-c/protobuf-c.h>

#include "rpc/rpc.h"

struct rpc_block;

struct rpc_call {
	struct rpc_server *s;
	struct tenant *t;         /* the caller */
	struct rpc_reply *out;    /* status and message on failure */
	struct rpc_block *blocks; /* rpc_alloc's allocations beyond the arena */
	uint8_t *arena;           /* the call's bump allocator (on the dispatcher's stack) */
	size_t arena_used, arena_size;
};

typedef int (*rpc_handler)(struct rpc_call *c, const ProtobufCMessage *req,
                           ProtobufCMessage *reply);

/* rpc_alloc - zeroed memory freed after the reply is packed; NULL if out of memory. */
void *rpc_alloc(struct rpc_call *c, size_t size);
/* rpc_strdup - a copy in call memory; NULL if out of memory. */
char *rpc_strdup(struct rpc_call *c, const char *s);

/* rpc_fail - record code and message; returns code, for `return rpc_fail(...)`. */
__attribute__((format(printf, 3, 4))) int rpc_fail(struct rpc_call *c, int code, const char *fmt,
                                                   ...);

/*
 * rpc_machine - the machine a request names, if the caller may use it;
 * otherwise NULL after rpc_fail (ENOENT, or PERMISSION_DENIED).
 */
struct machine_entry *rpc_machine(struct rpc_call *c, const char *name);

/* Handlers (rpc_pages.c) */
int rpc_machine_info(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_read_proc(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_alloc_pages(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_free_pages(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_sysctl_get(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_sysctl_set(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);

/* Handlers (rpc_machines.c) */
int rpc_ping(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_create_machine(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_list_machines(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);
int rpc_destroy_machine(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply);

#endif
