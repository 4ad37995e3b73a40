/*
 * registry.c - machines and tenants of a daemon (registry.h).
 *
 * Tenant records are allocated one by one and never freed or moved before
 * the registry goes: connections and machines point at them, and a
 * tenant's id must stay stable while its pages exist.  Machines are a
 * list, since there are few and most lookups hit the shared machine at its
 * head.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpc/registry.h"
#include "status.h"

static uint64_t machine_bytes(const struct machine_config *cfg)
{
	uint64_t total = 0;

	for (int i = 0; i < cfg->nr_nodes; i++)
		total += cfg->node[i].mem_bytes;
	return total;
}

int registry_init(struct registry *r, struct machine *shared, const struct registry_limits *l)
{
	memset(r, 0, sizeof(*r));
	r->limits = *l;
	r->machines = calloc(1, sizeof(*r->machines));
	if (!r->machines)
		return -ENOMEM;
	strcpy(r->machines->name, SHARED_MACHINE_NAME);
	r->machines->m = shared;
	r->machines->memory = machine_bytes(&shared->config);
	return 0;
}

void registry_destroy(struct registry *r)
{
	struct machine_entry *e = r->machines, *next;

	for (; e; e = next) {
		next = e->next;
		machine_destroy(e->m);
		free(e);
	}
	for (int i = 0; i < r->nr_tenants; i++)
		free(r->tenants[i]);
	free(r->tenants);
	memset(r, 0, sizeof(*r));
}

static bool valid_tenant_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > TENANT_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}

struct tenant *registry_tenant(struct registry *r, const char *name, bool admin)
{
	struct tenant *t;

	if (!valid_tenant_name(name))
		return NULL;
	for (int i = 0; i < r->nr_tenants; i++)
		if (!strcmp(r->tenants[i]->name, name)) {
			r->tenants[i]->admin = admin; /* the certificate decides, each time */
			return r->tenants[i];
		}
	if (r->nr_tenants == r->limits.max_tenants)
		return NULL;
	if (r->nr_tenants == r->cap_tenants) {
		int cap = r->cap_tenants ? r->cap_tenants * 2 : 16;
		struct tenant **n = realloc(r->tenants, (size_t)cap * sizeof(*n));

		if (!n)
			return NULL;
		r->tenants = n;
		r->cap_tenants = cap;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->id = (uint64_t)r->nr_tenants + 1;
	t->admin = admin;
	r->tenants[r->nr_tenants++] = t;
	return t;
}

bool registry_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > MACHINE_NAME_MAX)
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
	       n;
}

struct machine_entry *registry_find(struct registry *r, const char *name)
{
	if (!name || !*name)
		return r->machines;
	for (struct machine_entry *e = r->machines; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

bool registry_may_use(const struct machine_entry *e, const struct tenant *t)
{
	return !e->owner || t->admin || e->owner->id == t->id;
}

bool registry_may_admin(const struct machine_entry *e, const struct tenant *t)
{
	return t->admin || (e->owner && e->owner->id == t->id);
}

static int check_quota(const struct registry *r, const struct tenant *t, uint64_t bytes, char *err,
                       size_t errlen)
{
	if (r->nr_private >= r->limits.max_machines) {
		snprintf(err, errlen, "the daemon hosts its maximum of %d machines",
		         r->limits.max_machines);
		return MMSIM_E_EXHAUSTED;
	}
	if (t->admin)
		return 0;
	if (t->machines >= r->limits.max_tenant_machines) {
		snprintf(err, errlen, "tenant %s already has its %d machines", t->name,
		         r->limits.max_tenant_machines);
		return MMSIM_E_EXHAUSTED;
	}
	if (t->memory + bytes > r->limits.max_tenant_memory) {
		snprintf(err, errlen, "tenant %s would exceed its %llu MiB of simulated memory",
		         t->name, (unsigned long long)(r->limits.max_tenant_memory >> 20));
		return MMSIM_E_EXHAUSTED;
	}
	return 0;
}

int registry_create(struct registry *r, struct tenant *t, const char *name, const char *ini,
                    struct machine_entry **out, char *err, size_t errlen)
{
	struct machine_config cfg;
	struct machine_entry *e, **tail;
	int rc;

	if (!registry_valid_name(name))
		return snprintf(err, errlen, "machine names are 1..32 of [A-Za-z0-9_.-]"), EINVAL;
	if (registry_find(r, name))
		return snprintf(err, errlen, "machine %s exists", name), EEXIST;
	if (ini && *ini) {
		if (machine_config_parse(&cfg, ini, err, errlen))
			return EINVAL;
	} else {
		machine_config_default(&cfg);
	}
	if ((rc = check_quota(r, t, machine_bytes(&cfg), err, errlen)))
		return rc;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->m = machine_create(&cfg, err, errlen))) {
		free(e);
		return ENOMEM;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->owner = t;
	e->memory = machine_bytes(&cfg);
	for (tail = &r->machines; *tail; tail = &(*tail)->next)
		;
	*tail = e;
	r->nr_private++;
	t->machines++;
	t->memory += e->memory;
	*out = e;
	return 0;
}

int registry_destroy_machine(struct registry *r, struct tenant *t, const char *name)
{
	struct machine_entry **p, *e;

	for (p = &r->machines->next; *p && strcmp((*p)->name, name); p = &(*p)->next)
		;
	if (!*p)
		return !strcmp(name, SHARED_MACHINE_NAME) || !*name ? MMSIM_E_PERMISSION : ENOENT;
	e = *p;
	if (!registry_may_admin(e, t))
		return MMSIM_E_PERMISSION;
	*p = e->next;
	e->owner->machines--;
	e->owner->memory -= e->memory;
	r->nr_private--;
	machine_destroy(e->m);
	free(e);
	return 0;
}
