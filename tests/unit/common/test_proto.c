/*
 * test_proto.c - the generated protobuf code (proto/mmsim.proto): method
 * indexes are fixed, optional fields keep presence, and a payload that is
 * not a message is refused by unpacking rather than crashing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mmsim.pb-c.h"

/* Clients in other languages rely on these numbers: they may never change. */
static void test_method_indexes(void **state)
{
	static const char *const names[] = {
	    "Ping",      "MachineInfo", "ReadProc",      "AllocPages",   "FreePages",
	    "SysctlGet", "SysctlSet",   "CreateMachine", "ListMachines", "DestroyMachine"};
	const ProtobufCServiceDescriptor *d = &mmsim__mmsim__descriptor;

	(void)state;
	assert_int_equal(d->n_methods, sizeof(names) / sizeof(names[0]));
	for (unsigned i = 0; i < d->n_methods; i++)
		assert_string_equal(d->methods[i].name, names[i]);
}

static void test_optional_presence(void **state)
{
	Mmsim__AllocPagesRequest req = MMSIM__ALLOC_PAGES_REQUEST__INIT, *back;
	uint8_t buf[128];
	size_t len;

	(void)state;
	/* proto2 scalars travel only with their has_ flag */
	req.has_order = 1;
	req.order = 3;
	req.gfp = "GFP_KERNEL";
	req.has_node = 1;
	req.node = 0; /* node 0 explicitly, not "absent" */
	len = mmsim__alloc_pages_request__pack(&req, buf);
	back = mmsim__alloc_pages_request__unpack(NULL, len, buf);
	assert_non_null(back);
	assert_true(back->has_order);
	assert_int_equal(back->order, 3);
	assert_string_equal(back->gfp, "GFP_KERNEL");
	assert_true(back->has_node);
	assert_int_equal(back->node, 0);
	assert_false(back->has_cpu);
	mmsim__alloc_pages_request__free_unpacked(back, NULL);
}

static void test_garbage_refused(void **state)
{
	static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x34};
	static const uint8_t truncated[] = {0x1a, 0x10, 'G', 'F'}; /* field 3, 16 bytes, 2 given */

	(void)state;
	assert_null(mmsim__alloc_pages_request__unpack(NULL, sizeof(garbage), garbage));
	assert_null(mmsim__alloc_pages_request__unpack(NULL, sizeof(truncated), truncated));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_method_indexes),
	    cmocka_unit_test(test_optional_presence),
	    cmocka_unit_test(test_garbage_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
