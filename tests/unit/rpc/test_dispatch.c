/*
 * test_dispatch.c - the daemon's request handling (server/rpc/) driven
 * in-process: every method's happy path, tenant isolation, quotas, and
 * every bad input answered with a status and message, the engine's
 * invariants intact after each.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/mm_check.h"
#include "mmsim.pb-c.h"
#include "rpc/rpc.h"
#include "status.h"

enum { PING, MACHINE_INFO, READ_PROC, ALLOC, FREE, SYSCTL_GET, SYSCTL_SET, CREATE, LIST, DESTROY };

struct fixture {
	struct registry reg;
	struct rpc_server srv;
	struct tenant *alice, *bob, *admin;
	struct rpc_reply last;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct machine_config cfg;
	struct registry_limits lim = REGISTRY_LIMITS_DEFAULT;

	machine_config_default(&cfg);
	lim.max_tenant_memory = 2ull << 30;
	assert_int_equal(registry_init(&f->reg, machine_create(&cfg, NULL, 0), &lim), 0);
	f->srv = (struct rpc_server){.reg = &f->reg, .version = "test"};
	f->alice = registry_tenant(&f->reg, "alice", false);
	f->bob = registry_tenant(&f->reg, "bob", false);
	f->admin = registry_tenant(&f->reg, "root", true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";

	rpc_reply_release(&f->last);
	for (struct machine_entry *e = f->reg.machines; e; e = e->next)
		if (check_machine(e->m, err, sizeof(err))) {
			print_error("%s: %s\n", e->name, err);
			fail();
		}
	registry_destroy(&f->reg);
	free(f);
	return 0;
}

/* Pack msg, dispatch it as tenant t; returns the status. */
static int call(struct fixture *f, struct tenant *t, unsigned method, const ProtobufCMessage *msg)
{
	uint8_t buf[32768];
	size_t len = protobuf_c_message_pack(msg, buf);

	rpc_reply_release(&f->last);
	rpc_dispatch(&f->srv, t, method, buf, len, &f->last);
	if (f->last.status)
		assert_true(f->last.message[0] != '\0');
	else
		assert_non_null(f->last.payload);
	return f->last.status;
}

#define UNPACK(f, type) mmsim__##type##__unpack(NULL, (f)->last.len, (f)->last.payload)

static void test_ping(void **state)
{
	struct fixture *f = *state;
	Mmsim__PingRequest q = MMSIM__PING_REQUEST__INIT;
	Mmsim__PingReply *r;
	uint8_t big[65] = {0};

	q.has_cookie = 1;
	q.cookie.data = (uint8_t *)"abc";
	q.cookie.len = 3;
	assert_int_equal(call(f, f->alice, PING, &q.base), 0);
	r = UNPACK(f, ping_reply);
	assert_memory_equal(r->cookie.data, "abc", 3);
	assert_string_equal(r->tenant, "alice");
	assert_false(r->admin);
	assert_int_equal(r->protocol_version, 1);
	assert_string_equal(r->server_version, "test");
	mmsim__ping_reply__free_unpacked(r, NULL);
	q.cookie.data = big;
	q.cookie.len = sizeof(big);
	assert_int_equal(call(f, f->alice, PING, &q.base), EINVAL);
}

static void test_machine_info(void **state)
{
	struct fixture *f = *state;
	Mmsim__MachineInfoRequest q = MMSIM__MACHINE_INFO_REQUEST__INIT;
	Mmsim__MachineInfoReply *r;

	assert_int_equal(call(f, f->bob, MACHINE_INFO, &q.base), 0);
	r = UNPACK(f, machine_info_reply);
	assert_string_equal(r->name, "default");
	assert_string_equal(r->arch, "x86_64");
	assert_int_equal(r->n_nodes, 2);
	assert_int_equal(r->nodes[1]->n_cpus, 2);
	assert_int_equal(r->nodes[1]->cpus[0], 2);
	assert_int_equal(r->nodes[0]->distance[1], 20);
	assert_int_equal(r->n_zones, 3);
	assert_string_equal(r->zones[0]->name, "DMA");
	assert_int_equal(r->zones[0]->min, 15);
	assert_int_equal(r->zones[0]->lowmem_reserve[1], 488);
	assert_int_equal(r->zones[2]->node, 1);
	assert_int_equal(r->zones[2]->high, 760);
	assert_int_equal(r->zones[1]->pcp_batch, 31);
	assert_int_equal(r->min_free_kbytes, 4062);
	assert_int_equal(r->total_pages, 257901);
	mmsim__machine_info_reply__free_unpacked(r, NULL);
	q.machine = "nope";
	assert_int_equal(call(f, f->bob, MACHINE_INFO, &q.base), ENOENT);
	assert_non_null(strstr(f->last.message, "nope"));
}

static void test_read_proc(void **state)
{
	struct fixture *f = *state;
	Mmsim__ReadProcRequest q = MMSIM__READ_PROC_REQUEST__INIT;
	Mmsim__ReadProcReply *r;
	char longpath[300];

	q.path = "/proc/buddyinfo";
	assert_int_equal(call(f, f->alice, READ_PROC, &q.base), 0);
	r = UNPACK(f, read_proc_reply);
	assert_memory_equal(r->text, "Node 0, zone      DMA ", 22);
	mmsim__read_proc_reply__free_unpacked(r, NULL);
	q.path = "dmesg";
	assert_int_equal(call(f, f->alice, READ_PROC, &q.base), 0);
	r = UNPACK(f, read_proc_reply);
	assert_non_null(strstr(r->text, "Built 2 zonelists"));
	mmsim__read_proc_reply__free_unpacked(r, NULL);
	q.path = "/proc/nothing";
	assert_int_equal(call(f, f->alice, READ_PROC, &q.base), ENOENT);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	q.path = longpath;
	assert_int_equal(call(f, f->alice, READ_PROC, &q.base), EINVAL);
	assert_non_null(strstr(f->last.message, "path"));
}

static uint64_t alloc_ok(struct fixture *f, struct tenant *t, const char *gfp, unsigned order)
{
	Mmsim__AllocPagesRequest q = MMSIM__ALLOC_PAGES_REQUEST__INIT;
	Mmsim__AllocPagesReply *r;
	uint64_t pfn;

	q.gfp = (char *)gfp;
	q.has_order = 1;
	q.order = order;
	assert_int_equal(call(f, t, ALLOC, &q.base), 0);
	r = UNPACK(f, alloc_pages_reply);
	assert_int_equal(r->order, order);
	pfn = r->pfn;
	mmsim__alloc_pages_reply__free_unpacked(r, NULL);
	return pfn;
}

static int free_as(struct fixture *f, struct tenant *t, uint64_t pfn, unsigned order)
{
	Mmsim__FreePagesRequest q = MMSIM__FREE_PAGES_REQUEST__INIT;

	q.has_pfn = q.has_order = 1;
	q.pfn = pfn;
	q.order = order;
	return call(f, t, FREE, &q.base);
}

static void test_alloc_free(void **state)
{
	struct fixture *f = *state;
	Mmsim__AllocPagesRequest q = MMSIM__ALLOC_PAGES_REQUEST__INIT;
	Mmsim__AllocPagesReply *r;
	uint64_t a, b;

	q.has_order = q.has_node = q.has_cpu = 1;
	q.order = 3;
	q.node = 1;
	q.cpu = 1;
	q.gfp = "GFP_KERNEL|__GFP_COMP";
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), 0);
	r = UNPACK(f, alloc_pages_reply);
	assert_int_equal(r->node, 1);
	assert_string_equal(r->zone, "DMA32");
	assert_int_equal(r->address, 0xffff880000000000ull + (r->pfn << 12));
	a = r->pfn;
	mmsim__alloc_pages_reply__free_unpacked(r, NULL);
	b = alloc_ok(f, f->bob, "0xd0", 0);
	/* tenants free only their own pages; administrators any */
	assert_int_equal(free_as(f, f->bob, a, 3), MMSIM_E_PERMISSION);
	assert_int_equal(free_as(f, f->alice, a, 2), EINVAL);
	assert_int_equal(free_as(f, f->alice, a, 3), 0);
	assert_int_equal(free_as(f, f->alice, a, 3), EINVAL);
	assert_non_null(strstr(f->last.message, "already freed"));
	assert_int_equal(free_as(f, f->admin, b, 0), 0);
	/* bad inputs */
	q.gfp = "GFP_BOGUS";
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	q.gfp = "__GFP_DMA|__GFP_HIGHMEM";
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	q.gfp = "0x1000000";
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	q.gfp = NULL;
	q.order = 11;
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	q.order = 0;
	q.node = 2;
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	q.node = -1;
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	q.node = 0;
	q.cpu = 4;
	assert_int_equal(call(f, f->alice, ALLOC, &q.base), EINVAL);
	assert_non_null(strstr(f->last.message, "cpu 4"));
	assert_int_equal(free_as(f, f->alice, ~0ull, 0), EINVAL);
}

static void test_out_of_memory(void **state)
{
	struct fixture *f = *state;
	Mmsim__AllocPagesRequest q = MMSIM__ALLOC_PAGES_REQUEST__INIT;
	int n = 0;

	q.gfp = "GFP_DMA";
	q.has_order = 1;
	q.order = 4;
	while (call(f, f->alice, ALLOC, &q.base) == 0)
		n++;
	assert_true(n > 100);
	assert_int_equal(f->last.status, ENOMEM);
	assert_non_null(strstr(f->last.message, "page allocation failure: order:4"));
}

static int sysctl_set(struct fixture *f, struct tenant *t, const char *machine, const char *name,
                      const char *value)
{
	Mmsim__SysctlSetRequest q = MMSIM__SYSCTL_SET_REQUEST__INIT;

	q.machine = (char *)machine;
	q.name = (char *)name;
	q.value = (char *)value;
	return call(f, t, SYSCTL_SET, &q.base);
}

static void test_sysctl(void **state)
{
	struct fixture *f = *state;
	Mmsim__SysctlGetRequest g = MMSIM__SYSCTL_GET_REQUEST__INIT;
	Mmsim__SysctlReply *r;

	g.name = "/proc/sys/vm/min_free_kbytes";
	assert_int_equal(call(f, f->bob, SYSCTL_GET, &g.base), 0);
	r = UNPACK(f, sysctl_reply);
	assert_string_equal(r->name, "min_free_kbytes");
	assert_string_equal(r->value, "4062\n");
	mmsim__sysctl_reply__free_unpacked(r, NULL);
	g.name = "vm.nope";
	assert_int_equal(call(f, f->bob, SYSCTL_GET, &g.base), ENOENT);
	assert_int_equal(sysctl_set(f, f->bob, "", "vm.min_free_kbytes", "8000"),
	                 MMSIM_E_PERMISSION);
	assert_int_equal(sysctl_set(f, f->admin, "", "vm.min_free_kbytes", "8000"), 0);
	r = UNPACK(f, sysctl_reply);
	assert_string_equal(r->value, "8000\n");
	mmsim__sysctl_reply__free_unpacked(r, NULL);
	assert_int_equal(sysctl_set(f, f->admin, "", "vm.min_free_kbytes", "-8"), EINVAL);
	assert_int_equal(sysctl_set(f, f->admin, "", "vm.nope", "1"), ENOENT);
}

static int create(struct fixture *f, struct tenant *t, const char *name, const char *ini)
{
	Mmsim__CreateMachineRequest q = MMSIM__CREATE_MACHINE_REQUEST__INIT;

	q.name = (char *)name;
	q.config = (char *)ini;
	return call(f, t, CREATE, &q.base);
}

static int destroy(struct fixture *f, struct tenant *t, const char *name)
{
	Mmsim__DestroyMachineRequest q = MMSIM__DESTROY_MACHINE_REQUEST__INIT;

	q.name = (char *)name;
	return call(f, t, DESTROY, &q.base);
}

static size_t list_count(struct fixture *f, struct tenant *t)
{
	Mmsim__ListMachinesRequest q = MMSIM__LIST_MACHINES_REQUEST__INIT;
	Mmsim__ListMachinesReply *r;
	size_t n;

	assert_int_equal(call(f, t, LIST, &q.base), 0);
	r = UNPACK(f, list_machines_reply);
	n = r->n_machines;
	mmsim__list_machines_reply__free_unpacked(r, NULL);
	return n;
}

static void test_private_machines(void **state)
{
	struct fixture *f = *state;
	static const char small[] = "[node.0]\nmemory = 64M\ncpus = 1\n";
	Mmsim__CreateMachineReply *r;
	Mmsim__ReadProcRequest rp = MMSIM__READ_PROC_REQUEST__INIT;

	assert_int_equal(create(f, f->alice, "lab1", small), 0);
	r = UNPACK(f, create_machine_reply);
	assert_string_equal(r->machine->owner, "alice");
	assert_int_equal(r->machine->cpus, 1);
	mmsim__create_machine_reply__free_unpacked(r, NULL);
	assert_int_equal(create(f, f->alice, "lab1", small), EEXIST);
	assert_int_equal(create(f, f->alice, "bad name", small), EINVAL);
	assert_int_equal(create(f, f->alice, "", small), EINVAL);
	assert_int_equal(create(f, f->alice, "default", small), EEXIST);
	assert_int_equal(create(f, f->alice, "lab2", "[node.0]\nmemory = 12Q\n"), EINVAL);
	assert_non_null(strstr(f->last.message, "12Q"));
	/* quotas: 2 GiB of memory, 4 machines */
	assert_int_equal(create(f, f->alice, "huge", "[node.0]\nmemory = 3G\ncpus = 1\n"),
	                 MMSIM_E_EXHAUSTED);
	assert_int_equal(create(f, f->alice, "lab2", ""), 0);
	assert_int_equal(create(f, f->alice, "lab3", small), 0);
	assert_int_equal(create(f, f->alice, "lab4", small), 0);
	assert_int_equal(create(f, f->alice, "lab5", small), MMSIM_E_EXHAUSTED);
	/* isolation */
	assert_int_equal(list_count(f, f->alice), 5);
	assert_int_equal(list_count(f, f->bob), 1);
	assert_int_equal(list_count(f, f->admin), 5);
	rp.machine = "lab1";
	rp.path = "/proc/meminfo";
	assert_int_equal(call(f, f->bob, READ_PROC, &rp.base), MMSIM_E_PERMISSION);
	assert_int_equal(call(f, f->alice, READ_PROC, &rp.base), 0);
	assert_int_equal(sysctl_set(f, f->alice, "lab1", "vm.min_free_kbytes", "1000"), 0);
	assert_int_equal(sysctl_set(f, f->bob, "lab1", "vm.min_free_kbytes", "1000"),
	                 MMSIM_E_PERMISSION);
	assert_int_equal(destroy(f, f->bob, "lab1"), MMSIM_E_PERMISSION);
	assert_int_equal(destroy(f, f->alice, "default"), MMSIM_E_PERMISSION);
	assert_int_equal(destroy(f, f->admin, ""), MMSIM_E_PERMISSION);
	assert_int_equal(destroy(f, f->alice, "nope"), ENOENT);
	assert_int_equal(destroy(f, f->alice, "lab1"), 0);
	assert_int_equal(destroy(f, f->admin, "lab2"), 0);
	/* the quota is given back */
	assert_int_equal(create(f, f->alice, "lab5", small), 0);
	assert_int_equal(f->alice->machines, 3);
}

static void test_bad_frames(void **state)
{
	struct fixture *f = *state;
	static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	rpc_reply_release(&f->last);
	rpc_dispatch(&f->srv, f->alice, 99, NULL, 0, &f->last);
	assert_int_equal(f->last.status, MMSIM_E_UNKNOWN_METHOD);
	rpc_dispatch(&f->srv, f->alice, ALLOC, garbage, sizeof(garbage), &f->last);
	assert_int_equal(f->last.status, MMSIM_E_MALFORMED);
	assert_non_null(strstr(f->last.message, "AllocPagesRequest"));
	/* an empty payload is a request with every field absent */
	rpc_dispatch(&f->srv, f->alice, LIST, NULL, 0, &f->last);
	assert_int_equal(f->last.status, 0);
	assert_string_equal(rpc_method_name(3), "AllocPages");
	assert_null(rpc_method_name(10));
}

/* Tenant records never move: connections keep pointers to them. */
static void test_tenants_stay_put(void **state)
{
	struct fixture *f = *state;
	char name[32];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "student%d", i);
		assert_non_null(registry_tenant(&f->reg, name, false));
	}
	assert_ptr_equal(registry_tenant(&f->reg, "alice", false), f->alice);
	assert_string_equal(f->alice->name, "alice");
	assert_int_equal(f->alice->id, 1);
	assert_int_equal(create(f, f->alice, "mine", "[node.0]\nmemory = 64M\ncpus = 1\n"), 0);
	assert_int_equal(list_count(f, f->alice), 2);
	/* bad names and a full table are refused */
	assert_null(registry_tenant(&f->reg, "", false));
	assert_null(registry_tenant(&f->reg, "tab\there", false));
}

/* The table agrees with the service descriptor, index for index. */
static void test_method_table(void **state)
{
	(void)state;
	for (unsigned i = 0; i < mmsim__mmsim__descriptor.n_methods; i++)
		assert_string_equal(rpc_method_name(i), mmsim__mmsim__descriptor.methods[i].name);
	assert_null(rpc_method_name(mmsim__mmsim__descriptor.n_methods));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_machine_info, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_proc, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alloc_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sysctl, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_private_machines, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_frames, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tenants_stay_put, setup, teardown),
	    cmocka_unit_test(test_method_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
