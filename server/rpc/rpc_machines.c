/*
 * rpc_machines.c - the methods about the daemon rather than one machine's
 * memory: Ping, CreateMachine, ListMachines, DestroyMachine.
 */
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "mm/vmstat.h"
#include "mmsim.pb-c.h"
#include "rpc/rpc_call.h"
#include "status.h"

int rpc_ping(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__PingRequest *q = (const Mmsim__PingRequest *)req;
	Mmsim__PingReply *r = (Mmsim__PingReply *)reply;

	if (q->has_cookie && q->cookie.len > FRAME_MAX_PING_PAYLOAD)
		return rpc_fail(c, EINVAL, "cookie of %zu bytes: at most %d", q->cookie.len,
		                FRAME_MAX_PING_PAYLOAD);
	if (q->has_cookie) {
		r->has_cookie = 1;
		r->cookie.len = q->cookie.len;
		r->cookie.data = rpc_alloc(c, q->cookie.len + 1);
		if (!r->cookie.data)
			return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
		memcpy(r->cookie.data, q->cookie.data, q->cookie.len);
	}
	r->server_version = (char *)c->s->version;
	r->has_protocol_version = r->has_admin = 1;
	r->protocol_version = FRAME_PROTOCOL_VERSION;
	r->tenant = c->t->name;
	r->admin = c->t->admin;
	return 0;
}

static Mmsim__MachineSummary *summary(struct rpc_call *c, const struct machine_entry *e)
{
	Mmsim__MachineSummary *s = rpc_alloc(c, sizeof(*s));

	if (!s)
		return NULL;
	mmsim__machine_summary__init(s);
	s->name = (char *)e->name;
	s->owner = e->owner ? e->owner->name : "";
	s->arch = (char *)e->m->arch->name;
	s->has_nodes = s->has_cpus = s->has_total_pages = s->has_free_pages = 1;
	s->nodes = (uint32_t)e->m->nr_nodes;
	s->cpus = (uint32_t)e->m->nr_cpus;
	s->total_pages = e->m->totalram_pages;
	s->free_pages = global_page_state(e->m, NR_FREE_PAGES);
	return s;
}

int rpc_create_machine(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__CreateMachineRequest *q = (const Mmsim__CreateMachineRequest *)req;
	Mmsim__CreateMachineReply *r = (Mmsim__CreateMachineReply *)reply;
	struct machine_entry *e;
	char err[RPC_MESSAGE_MAX] = "";
	int rc;

	rc = registry_create(c->s->reg, c->t, q->name ? q->name : "", q->config ? q->config : "",
	                     &e, err, sizeof(err));
	if (rc)
		return rpc_fail(c, rc, "%s", err[0] ? err : mmsim_status_text(rc));
	r->machine = summary(c, e);
	return r->machine ? 0 : rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
}

int rpc_list_machines(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	Mmsim__ListMachinesReply *r = (Mmsim__ListMachinesReply *)reply;
	size_t n = 0;

	(void)req;
	for (struct machine_entry *e = c->s->reg->machines; e; e = e->next)
		n++;
	r->machines = rpc_alloc(c, n * sizeof(*r->machines));
	if (!r->machines)
		return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	for (struct machine_entry *e = c->s->reg->machines; e; e = e->next) {
		if (!registry_may_use(e, c->t))
			continue;
		if (!(r->machines[r->n_machines++] = summary(c, e)))
			return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	}
	return 0;
}

int rpc_destroy_machine(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__DestroyMachineRequest *q = (const Mmsim__DestroyMachineRequest *)req;
	const char *name = q->name ? q->name : "";
	int rc = registry_destroy_machine(c->s->reg, c->t, name);

	(void)reply;
	if (rc == ENOENT)
		return rpc_fail(c, ENOENT, "no machine named \"%.32s\"", name);
	if (rc)
		return rpc_fail(c, rc, "machine \"%.32s\" is %s", name,
		                !*name || !strcmp(name, SHARED_MACHINE_NAME)
		                    ? "the shared machine, which is never destroyed"
		                    : "another tenant's");
	return 0;
}
