/*
 * rpc.c - the dispatcher (rpc.h): method table, unpacking with limits,
 * call-scoped memory, packing.
 *
 * Handlers never see a request that failed to unpack or that carries an
 * over-long text field, and whatever they return, the caller gets exactly
 * one outcome: a packed reply, or a status with a message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim.pb-c.h"
#include "rpc/rpc_call.h"
#include "status.h"

struct rpc_block {
	struct rpc_block *next;
	max_align_t data[];
};

struct rpc_method {
	const char *name;
	const ProtobufCMessageDescriptor *in, *out;
	rpc_handler fn;
};

/* Indexed by the method number of service Mmsim; checked against it in tests. */
static const struct rpc_method methods[] = {
    {"Ping", &mmsim__ping_request__descriptor, &mmsim__ping_reply__descriptor, rpc_ping},
    {"MachineInfo", &mmsim__machine_info_request__descriptor,
     &mmsim__machine_info_reply__descriptor, rpc_machine_info},
    {"ReadProc", &mmsim__read_proc_request__descriptor, &mmsim__read_proc_reply__descriptor,
     rpc_read_proc},
    {"AllocPages", &mmsim__alloc_pages_request__descriptor, &mmsim__alloc_pages_reply__descriptor,
     rpc_alloc_pages},
    {"FreePages", &mmsim__free_pages_request__descriptor, &mmsim__free_pages_reply__descriptor,
     rpc_free_pages},
    {"SysctlGet", &mmsim__sysctl_get_request__descriptor, &mmsim__sysctl_reply__descriptor,
     rpc_sysctl_get},
    {"SysctlSet", &mmsim__sysctl_set_request__descriptor, &mmsim__sysctl_reply__descriptor,
     rpc_sysctl_set},
    {"CreateMachine", &mmsim__create_machine_request__descriptor,
     &mmsim__create_machine_reply__descriptor, rpc_create_machine},
    {"ListMachines", &mmsim__list_machines_request__descriptor,
     &mmsim__list_machines_reply__descriptor, rpc_list_machines},
    {"DestroyMachine", &mmsim__destroy_machine_request__descriptor,
     &mmsim__destroy_machine_reply__descriptor, rpc_destroy_machine},
};

#define NR_METHODS (sizeof(methods) / sizeof(methods[0]))

const char *rpc_method_name(unsigned method)
{
	return method < NR_METHODS ? methods[method].name : NULL;
}

#define RPC_ARENA_BYTES 8192

/* Uninitialised call memory: the arena first, malloc'ed blocks after. */
static void *call_alloc(struct rpc_call *c, size_t size)
{
	size_t round = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct rpc_block *b;

	if (round >= size && c->arena_size - c->arena_used >= round) {
		void *p = c->arena + c->arena_used;

		c->arena_used += round;
		return p;
	}
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = c->blocks;
	c->blocks = b;
	return b->data;
}

void *rpc_alloc(struct rpc_call *c, size_t size)
{
	void *p = call_alloc(c, size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* protobuf-c's allocator over the call's memory: frees wait for the call's end. */
static void *pb_alloc(void *data, size_t size)
{
	return call_alloc(data, size);
}

static void pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

char *rpc_strdup(struct rpc_call *c, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = rpc_alloc(c, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

int rpc_fail(struct rpc_call *c, int code, const char *fmt, ...)
{
	va_list ap;

	c->out->status = code;
	va_start(ap, fmt);
	vsnprintf(c->out->message, sizeof(c->out->message), fmt, ap);
	va_end(ap);
	return code;
}

struct machine_entry *rpc_machine(struct rpc_call *c, const char *name)
{
	struct machine_entry *e = registry_find(c->s->reg, name);

	if (!e) {
		rpc_fail(c, ENOENT, "no machine named \"%.32s\"", name);
		return NULL;
	}
	if (!registry_may_use(e, c->t)) {
		rpc_fail(c, MMSIM_E_PERMISSION, "machine %s belongs to another tenant", e->name);
		return NULL;
	}
	return e;
}

/* The longest text each request field may carry. */
static size_t text_limit(const ProtobufCMessageDescriptor *d, const ProtobufCFieldDescriptor *f)
{
	if (d == &mmsim__create_machine_request__descriptor && !strcmp(f->name, "config"))
		return RPC_CONFIG_MAX;
	return RPC_TEXT_MAX;
}

static int check_text_fields(struct rpc_call *c, const ProtobufCMessage *msg)
{
	const ProtobufCMessageDescriptor *d = msg->descriptor;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *s;

		if (f->type != PROTOBUF_C_TYPE_STRING || f->label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		s = *(const char *const *)((const char *)msg + f->offset);
		if (s && strnlen(s, text_limit(d, f) + 1) > text_limit(d, f))
			return rpc_fail(c, EINVAL, "%s.%s is longer than %zu bytes", d->short_name,
			                f->name, text_limit(d, f));
	}
	return 0;
}

static void call_release(struct rpc_call *c)
{
	while (c->blocks) {
		struct rpc_block *b = c->blocks;

		c->blocks = b->next;
		free(b);
	}
}

static void pack_reply(struct rpc_call *c, const ProtobufCMessage *reply)
{
	size_t n = protobuf_c_message_get_packed_size(reply);

	c->out->payload = malloc(n ? n : 1);
	if (!c->out->payload) {
		rpc_fail(c, MMSIM_E_INTERNAL, "out of memory packing the reply");
		return;
	}
	c->out->len = protobuf_c_message_pack(reply, c->out->payload);
}

static void run_method(struct rpc_call *c, const struct rpc_method *m, const uint8_t *payload,
                       size_t len)
{
	ProtobufCAllocator alloc = {pb_alloc, pb_free, c};
	ProtobufCMessage *req = protobuf_c_message_unpack(m->in, &alloc, len, payload);
	ProtobufCMessage *reply;

	if (!req) {
		rpc_fail(c, MMSIM_E_MALFORMED, "payload is not a valid %s", m->in->short_name);
		return;
	}
	reply = rpc_alloc(c, m->out->sizeof_message);
	if (!reply) {
		rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	} else {
		int rc;

		protobuf_c_message_init(m->out, reply);
		rc = check_text_fields(c, req);
		if (!rc)
			rc = m->fn(c, req, reply);
		if (!rc)
			pack_reply(c, reply);
		else if (!c->out->status)
			c->out->status = rc;
	}
	/* the request lives in call memory: call_release frees it with the rest */
}

void rpc_dispatch(struct rpc_server *s, struct tenant *t, unsigned method, const uint8_t *payload,
                  size_t len, struct rpc_reply *out)
{
	max_align_t arena[RPC_ARENA_BYTES / sizeof(max_align_t)];
	struct rpc_call c = {
	    .s = s, .t = t, .out = out, .arena = (uint8_t *)arena, .arena_size = sizeof(arena)};

	memset(out, 0, sizeof(*out));
	if (method >= NR_METHODS) {
		rpc_fail(&c, MMSIM_E_UNKNOWN_METHOD, "no method %u (there are %zu)", method,
		         NR_METHODS);
		return;
	}
	run_method(&c, &methods[method], payload, len);
	call_release(&c);
	if (out->status && !out->message[0])
		snprintf(out->message, sizeof(out->message), "%s", mmsim_status_text(out->status));
}

void rpc_reply_release(struct rpc_reply *r)
{
	free(r->payload);
	r->payload = NULL;
	r->len = 0;
}
