/*
 * registry.h - the machines a daemon hosts and the tenants that use them.
 *
 * One shared machine (name "default", owned by nobody) and private machines
 * that tenants create and destroy within a quota: a number of machines and
 * a total of simulated memory per tenant, and a cap for the daemon.
 * Tenants are known by name (their certificate's CN) and get a numeric id
 * on first sight; page ownership in the engine uses that id.
 *
 * The registry owns every machine and tenant record; lookups return
 * borrowed pointers valid until the entry is destroyed.
 */
#ifndef MMSIM_SERVER_REGISTRY_H
#define MMSIM_SERVER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/machine.h"

#define MACHINE_NAME_MAX    32
#define TENANT_NAME_MAX     64
#define SHARED_MACHINE_NAME "default"

struct registry_limits {
	int max_machines;           /* private machines on the daemon */
	int max_tenant_machines;    /* private machines per tenant */
	uint64_t max_tenant_memory; /* simulated bytes per tenant, all machines */
	int max_tenants;            /* distinct tenants remembered */
};

#define REGISTRY_LIMITS_DEFAULT                                                                    \
	{                                                                                          \
		64, 4, 4ull << 30, 4096                                                            \
	}

struct tenant {
	char name[TENANT_NAME_MAX + 1];
	uint64_t id; /* 1, 2, ...: the engine's page owner */
	bool admin;
	int machines;    /* private machines it owns */
	uint64_t memory; /* their simulated bytes */
};

struct machine_entry {
	char name[MACHINE_NAME_MAX + 1];
	struct machine *m;    /* owned */
	struct tenant *owner; /* NULL for the shared machine */
	uint64_t memory;      /* simulated bytes, for the quota */
	struct machine_entry *next;
};

struct registry {
	struct registry_limits limits;
	struct machine_entry *machines; /* the shared one first, then by creation */
	int nr_private;
	struct tenant *
	    *tenants; /* owned; each record owned and never moved (connections point at them) */
	int nr_tenants;
	int cap_tenants;
};

/* registry_init - take ownership of the shared machine `shared`. 0 or -ENOMEM. */
int registry_init(struct registry *r, struct machine *shared, const struct registry_limits *l);
void registry_destroy(struct registry *r);

/* registry_tenant - the record of `name`, created on first use; NULL when the
 * table is full or the name is not 1..64 printable characters. */
struct tenant *registry_tenant(struct registry *r, const char *name, bool admin);

/* registry_find - the machine called `name` ("" = the shared one), or NULL. */
struct machine_entry *registry_find(struct registry *r, const char *name);

/* registry_may_use / registry_may_admin - read it; change its settings or destroy it. */
bool registry_may_use(const struct machine_entry *e, const struct tenant *t);
bool registry_may_admin(const struct machine_entry *e, const struct tenant *t);

/*
 * registry_create - boot a private machine for t from INI text ("" =
 * default).  0, or a wire status with a message in err: EINVAL (bad name or
 * config), EEXIST, MMSIM_E_EXHAUSTED (a quota), ENOMEM.
 */
int registry_create(struct registry *r, struct tenant *t, const char *name, const char *ini,
                    struct machine_entry **out, char *err, size_t errlen);

/* registry_destroy_machine - 0, ENOENT, or MMSIM_E_PERMISSION (not t's, or shared). */
int registry_destroy_machine(struct registry *r, struct tenant *t, const char *name);

/* registry_valid_name - 1..32 of [A-Za-z0-9_.-]. */
bool registry_valid_name(const char *name);

#endif
