/*
 * rpc_pages.c - the methods that read and change one machine's memory:
 * MachineInfo, ReadProc, AllocPages, FreePages, SysctlGet, SysctlSet.
 *
 * Each resolves the machine the caller may use, validates what the engine
 * does not (the CPU, the GFP text), calls the engine's validated entry
 * point, and turns its negative errno into the wire status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mm/sysctl.h"
#include "mm/vmstat.h"
#include "mmsim.pb-c.h"
#include "rpc/rpc_call.h"
#include "status.h"

static int fill_nodes(struct rpc_call *c, const struct machine *m, Mmsim__MachineInfoReply *r)
{
	r->nodes = rpc_alloc(c, (size_t)m->nr_nodes * sizeof(*r->nodes));
	if (!r->nodes)
		return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		const pg_data_t *pgdat = &m->node_data[nid];
		Mmsim__NodeInfo *n = rpc_alloc(c, sizeof(*n));
		uint32_t *cpus = rpc_alloc(c, (size_t)(pgdat->nr_cpus + 1) * sizeof(*cpus));
		uint32_t *dist = rpc_alloc(c, (size_t)m->nr_nodes * sizeof(*dist));

		if (!n || !cpus || !dist)
			return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
		mmsim__node_info__init(n);
		n->has_id = n->has_present_pages = 1;
		n->id = (uint32_t)nid;
		n->present_pages = pgdat->node_present_pages;
		for (int i = 0; i < pgdat->nr_cpus; i++)
			cpus[i] = (uint32_t)(pgdat->first_cpu + i);
		for (int i = 0; i < m->nr_nodes; i++)
			dist[i] = m->config.distance[nid][i];
		n->n_cpus = (size_t)pgdat->nr_cpus;
		n->cpus = cpus;
		n->n_distance = (size_t)m->nr_nodes;
		n->distance = dist;
		r->nodes[r->n_nodes++] = n;
	}
	return 0;
}

static Mmsim__ZoneInfo *zone_info(struct rpc_call *c, const struct zone *z)
{
	Mmsim__ZoneInfo *zi = rpc_alloc(c, sizeof(*zi));
	uint64_t *reserve = rpc_alloc(c, MAX_NR_ZONES * sizeof(*reserve));

	if (!zi || !reserve)
		return NULL;
	mmsim__zone_info__init(zi);
	zi->has_node = zi->has_start_pfn = zi->has_spanned_pages = zi->has_present_pages = 1;
	zi->has_free_pages = zi->has_min = zi->has_low = zi->has_high = 1;
	zi->has_pcp_batch = zi->has_pcp_high = 1;
	zi->node = (uint32_t)z->node;
	zi->name = (char *)z->name;
	zi->start_pfn = z->zone_start_pfn;
	zi->spanned_pages = z->spanned_pages;
	zi->present_pages = z->present_pages;
	zi->free_pages = zone_page_state(z, NR_FREE_PAGES);
	zi->min = min_wmark_pages(z);
	zi->low = low_wmark_pages(z);
	zi->high = high_wmark_pages(z);
	for (int j = 0; j < MAX_NR_ZONES; j++)
		reserve[j] = z->lowmem_reserve[j];
	zi->n_lowmem_reserve = MAX_NR_ZONES;
	zi->lowmem_reserve = reserve;
	zi->pcp_batch = (uint32_t)z->pageset[0].pcp.batch;
	zi->pcp_high = (uint32_t)z->pageset[0].pcp.high;
	return zi;
}

static int fill_zones(struct rpc_call *c, const struct machine *m, Mmsim__MachineInfoReply *r)
{
	r->zones = rpc_alloc(c, (size_t)m->nr_zone_ids * sizeof(*r->zones));
	if (!r->zones)
		return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	for (int id = 0; id < m->nr_zone_ids; id++) {
		if (!populated_zone(m->zones[id]))
			continue;
		if (!(r->zones[r->n_zones++] = zone_info(c, m->zones[id])))
			return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	}
	return 0;
}

int rpc_machine_info(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__MachineInfoRequest *q = (const Mmsim__MachineInfoRequest *)req;
	Mmsim__MachineInfoReply *r = (Mmsim__MachineInfoReply *)reply;
	struct machine_entry *e = rpc_machine(c, q->machine);
	const struct machine *m;

	if (!e)
		return c->out->status;
	m = e->m;
	r->name = e->name;
	r->arch = (char *)m->arch->name;
	r->owner = e->owner ? e->owner->name : "";
	r->has_seed = r->has_total_pages = r->has_free_pages = r->has_min_free_kbytes = 1;
	r->seed = m->config.seed;
	r->total_pages = m->totalram_pages;
	r->free_pages = global_page_state(m, NR_FREE_PAGES);
	r->min_free_kbytes = (uint32_t)m->sysctl.min_free_kbytes;
	if (fill_nodes(c, m, r))
		return c->out->status;
	return fill_zones(c, m, r);
}

int rpc_read_proc(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__ReadProcRequest *q = (const Mmsim__ReadProcRequest *)req;
	Mmsim__ReadProcReply *r = (Mmsim__ReadProcReply *)reply;
	struct machine_entry *e = rpc_machine(c, q->machine);
	struct sbuf sb = SBUF_INIT;
	const char *path = q->path ? q->path : "";
	int rc;

	if (!e)
		return c->out->status;
	if (!strcmp(path, "dmesg"))
		rc = printk_read(&e->m->log, &sb);
	else
		rc = proc_render(e->m, path, &sb);
	if (!rc)
		r->text = rpc_strdup(c, sbuf_cstr(&sb));
	sbuf_free(&sb);
	if (rc == -ENOENT)
		return rpc_fail(c, ENOENT, "no view \"%s\" (try /proc/zoneinfo or dmesg)", path);
	if (rc || !r->text)
		return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory rendering %s", path);
	return 0;
}

/* Run the following engine calls on the requested CPU (CPU 0 by default). */
static int use_cpu(struct rpc_call *c, struct machine *m, protobuf_c_boolean has, uint32_t cpu)
{
	if (has && (cpu >= (uint32_t)m->nr_cpus))
		return rpc_fail(c, EINVAL, "cpu %u: the machine has CPUs 0..%d", cpu,
		                m->nr_cpus - 1);
	machine_set_cpu(m, has ? (int)cpu : 0);
	return 0;
}

static int alloc_reply(struct rpc_call *c, struct machine *m, unsigned long pfn,
                       Mmsim__AllocPagesReply *r)
{
	const struct zone *z = page_zone(m, pfn_to_page(m, pfn));

	r->has_pfn = r->has_order = r->has_node = r->has_address = 1;
	r->pfn = pfn;
	r->order = pfn_to_page(m, pfn)->order;
	r->node = (uint32_t)z->node;
	r->zone = (char *)z->name;
	r->address = page_address(m, pfn_to_page(m, pfn));
	(void)c;
	return 0;
}

int rpc_alloc_pages(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__AllocPagesRequest *q = (const Mmsim__AllocPagesRequest *)req;
	struct machine_entry *e = rpc_machine(c, q->machine);
	gfp_t gfp = GFP_KERNEL;
	unsigned long pfn;
	int nid, rc;

	if (!e || use_cpu(c, e->m, q->has_cpu, q->cpu))
		return c->out->status;
	if (q->gfp && *q->gfp && (gfp_parse(q->gfp, &gfp) || gfp_check(gfp)))
		return rpc_fail(c, EINVAL, "gfp \"%s\" is not a valid GFP mask", q->gfp);
	if (q->order >= MAX_ORDER)
		return rpc_fail(c, EINVAL, "order %u: orders are 0..%d", q->order, MAX_ORDER - 1);
	nid = q->has_node ? q->node : -1;
	if (q->has_node && (q->node < 0 || q->node >= e->m->nr_nodes))
		return rpc_fail(c, EINVAL, "node %d: the machine has nodes 0..%d", q->node,
		                e->m->nr_nodes - 1);
	rc = machine_alloc_pages_owned(e->m, gfp, q->order, nid, c->t->id, &pfn);
	if (rc == -ENOMEM)
		return rpc_fail(c, ENOMEM, "page allocation failure: order:%u, mode:0x%x", q->order,
		                gfp);
	if (rc)
		return rpc_fail(c, -rc, "alloc_pages refused order %u mode 0x%x", q->order, gfp);
	return alloc_reply(c, e->m, pfn, (Mmsim__AllocPagesReply *)reply);
}

int rpc_free_pages(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__FreePagesRequest *q = (const Mmsim__FreePagesRequest *)req;
	struct machine_entry *e = rpc_machine(c, q->machine);
	uint64_t owner;

	(void)reply;
	if (!e || use_cpu(c, e->m, q->has_cpu, q->cpu))
		return c->out->status;
	owner = machine_page_owner(e->m, (unsigned long)q->pfn);
	if (owner && owner != c->t->id && !c->t->admin)
		return rpc_fail(c, MMSIM_E_PERMISSION, "pfn %#llx belongs to another tenant",
		                (unsigned long long)q->pfn);
	if (machine_free_pages(e->m, (unsigned long)q->pfn, q->order))
		return rpc_fail(c, EINVAL,
		                "pfn %#llx is not the head of an allocated order-%u block "
		                "(never allocated, already freed, or another order)",
		                (unsigned long long)q->pfn, q->order);
	return 0;
}

/* The sysctl's bare name and its value as it reads now. */
static int sysctl_reply(struct rpc_call *c, struct machine *m, const char *name,
                        Mmsim__SysctlReply *r)
{
	struct sbuf sb = SBUF_INIT;
	int rc = sysctl_read(m, name, &sb);
	const char *bare = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

	if (!strncmp(bare, "vm.", 3))
		bare += 3;
	if (!rc) {
		r->value = rpc_strdup(c, sbuf_cstr(&sb));
		r->name = rpc_strdup(c, bare);
	}
	sbuf_free(&sb);
	if (rc == -ENOENT)
		return rpc_fail(c, ENOENT, "no sysctl \"%s\"", name);
	if (rc || !r->value || !r->name)
		return rpc_fail(c, MMSIM_E_INTERNAL, "out of memory");
	return 0;
}

int rpc_sysctl_get(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__SysctlGetRequest *q = (const Mmsim__SysctlGetRequest *)req;
	struct machine_entry *e = rpc_machine(c, q->machine);

	if (!e)
		return c->out->status;
	return sysctl_reply(c, e->m, q->name ? q->name : "", (Mmsim__SysctlReply *)reply);
}

int rpc_sysctl_set(struct rpc_call *c, const ProtobufCMessage *req, ProtobufCMessage *reply)
{
	const Mmsim__SysctlSetRequest *q = (const Mmsim__SysctlSetRequest *)req;
	struct machine_entry *e = rpc_machine(c, q->machine);
	const char *name = q->name ? q->name : "";
	int rc;

	if (!e)
		return c->out->status;
	if (!registry_may_admin(e, c->t))
		return rpc_fail(c, MMSIM_E_PERMISSION,
		                "only administrators set sysctls on the shared machine");
	rc = sysctl_write(e->m, name, q->value ? q->value : "");
	if (rc == -ENOENT)
		return rpc_fail(c, ENOENT, "no sysctl \"%s\"", name);
	if (rc)
		return rpc_fail(c, -rc, "%s: invalid value \"%s\"", name, q->value ? q->value : "");
	return sysctl_reply(c, e->m, name, (Mmsim__SysctlReply *)reply);
}
