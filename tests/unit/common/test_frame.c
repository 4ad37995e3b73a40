/*
 * test_frame.c - frame headers (common/frame.c) and status names
 * (common/status.c): the byte layout, and every header a peer must refuse.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"
#include "status.h"

static void test_layout(void **state)
{
	struct frame_header h = {.length = 0x01020304,
	                         .kind = FRAME_REQUEST,
	                         .flags = 0,
	                         .method = 0x0a0b,
	                         .id = 0x1122334455667788ull};
	static const uint8_t want[FRAME_HEADER_LEN] = {
	    1, 2, 3, 4, 1, 0, 0x0a, 0x0b, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	uint8_t buf[FRAME_HEADER_LEN];
	struct frame_header back;
	const char *why = NULL;

	(void)state;
	frame_header_pack(&h, buf);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(frame_header_parse(buf, FROM_CLIENT, 0x02000000, &back, &why), 0);
	assert_int_equal(back.length, h.length);
	assert_int_equal(back.kind, h.kind);
	assert_int_equal(back.method, h.method);
	assert_int_equal(back.id, h.id);
}

static int parse(uint32_t len, uint8_t kind, uint8_t flags, uint64_t id, enum frame_origin from)
{
	struct frame_header h = {.length = len, .kind = kind, .flags = flags, .id = id}, out;
	uint8_t buf[FRAME_HEADER_LEN];
	const char *why = NULL;
	int rc;

	frame_header_pack(&h, buf);
	rc = frame_header_parse(buf, from, FRAME_DEFAULT_MAX_PAYLOAD, &out, &why);
	assert_true(rc == 0 || (why && *why));
	return rc;
}

static void test_refusals(void **state)
{
	(void)state;
	/* a 2 GiB claim is refused from the header alone */
	assert_int_equal(parse(0x80000000u, FRAME_REQUEST, 0, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(FRAME_DEFAULT_MAX_PAYLOAD + 1, FRAME_REQUEST, 0, 1, FROM_CLIENT),
	                 MMSIM_E_MALFORMED);
	assert_int_equal(parse(FRAME_DEFAULT_MAX_PAYLOAD, FRAME_REQUEST, 0, 1, FROM_CLIENT), 0);
	assert_int_equal(parse(0, FRAME_REQUEST, 0, 0, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, FRAME_REQUEST, 1, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, 0, 0, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, 8, 0, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, 255, 0, 1, FROM_SERVER), MMSIM_E_MALFORMED);
	/* each side sends only its own kinds */
	assert_int_equal(parse(0, FRAME_RESPONSE, 0, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, FRAME_ERROR, 0, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, FRAME_EVENT, 0, 1, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, FRAME_REQUEST, 0, 1, FROM_SERVER), MMSIM_E_MALFORMED);
	assert_int_equal(parse(0, FRAME_RESPONSE, 0, 1, FROM_SERVER), 0);
	assert_int_equal(parse(0, FRAME_ERROR, 0, 0, FROM_SERVER), 0);
	/* small control frames have small limits */
	assert_int_equal(parse(64, FRAME_PING, 0, 0, FROM_CLIENT), 0);
	assert_int_equal(parse(65, FRAME_PING, 0, 0, FROM_CLIENT), MMSIM_E_MALFORMED);
	assert_int_equal(parse(65, FRAME_PONG, 0, 0, FROM_SERVER), MMSIM_E_MALFORMED);
	assert_int_equal(parse(1025, FRAME_GOAWAY, 0, 0, FROM_SERVER), MMSIM_E_MALFORMED);
	assert_int_equal(parse(1024, FRAME_GOAWAY, 0, 0, FROM_CLIENT), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(frame_kind_name(FRAME_GOAWAY), "GOAWAY");
	assert_string_equal(frame_kind_name(0), "?");
	assert_string_equal(frame_kind_name(99), "?");
	assert_string_equal(mmsim_status_name(EINVAL), "EINVAL");
	assert_string_equal(mmsim_status_name(ENOMEM), "ENOMEM");
	assert_string_equal(mmsim_status_name(MMSIM_E_MALFORMED), "MALFORMED_FRAME");
	assert_string_equal(mmsim_status_name(MMSIM_E_PERMISSION), "PERMISSION_DENIED");
	assert_string_equal(mmsim_status_name(12345), "UNKNOWN");
	assert_string_equal(mmsim_status_text(EINVAL), "Invalid argument");
	assert_string_equal(mmsim_status_text(-1), "Unknown status");
	/* errno values are Linux's: the engine's returns go on the wire as they are */
	assert_int_equal(EINVAL, 22);
	assert_int_equal(ENOMEM, 12);
	assert_int_equal(EAGAIN, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
