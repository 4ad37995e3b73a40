/*
 * frame.c - packing and checking frame headers (frame.h).
 */
#include "frame.h"
#include "status.h"

static void put_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

void frame_header_pack(const struct frame_header *h, uint8_t out[FRAME_HEADER_LEN])
{
	put_be(out, h->length, 4);
	out[4] = h->kind;
	out[5] = h->flags;
	put_be(out + 6, h->method, 2);
	put_be(out + 8, h->id, 8);
}

const char *frame_kind_name(int kind)
{
	static const char *const names[] = {"?",     "REQUEST", "RESPONSE", "ERROR",
	                                    "EVENT", "PING",    "PONG",     "GOAWAY"};

	return kind > 0 && kind <= FRAME_GOAWAY ? names[kind] : "?";
}

/* The kinds each side may send. */
static int kind_allowed(int kind, enum frame_origin origin)
{
	switch (kind) {
	case FRAME_REQUEST:
		return origin == FROM_CLIENT;
	case FRAME_RESPONSE:
	case FRAME_ERROR:
	case FRAME_EVENT:
		return origin == FROM_SERVER;
	case FRAME_PING:
	case FRAME_PONG:
	case FRAME_GOAWAY:
		return 1;
	default:
		return 0;
	}
}

static uint32_t kind_max_payload(int kind, uint32_t max_payload)
{
	if (kind == FRAME_PING || kind == FRAME_PONG)
		return FRAME_MAX_PING_PAYLOAD;
	if (kind == FRAME_GOAWAY)
		return FRAME_MAX_GOAWAY_PAYLOAD;
	return max_payload;
}

int frame_header_parse(const uint8_t in[FRAME_HEADER_LEN], enum frame_origin origin,
                       uint32_t max_payload, struct frame_header *h, const char **why)
{
	h->length = (uint32_t)get_be(in, 4);
	h->kind = in[4];
	h->flags = in[5];
	h->method = (uint16_t)get_be(in + 6, 2);
	h->id = get_be(in + 8, 8);
	if (!kind_allowed(h->kind, origin))
		*why = "unknown frame kind, or one this side may not send";
	else if (h->flags)
		*why = "reserved flags set";
	else if (h->kind == FRAME_REQUEST && h->id == 0)
		*why = "request id 0 is reserved";
	else if (h->length > kind_max_payload(h->kind, max_payload))
		*why = "payload longer than the limit";
	else
		return 0;
	return MMSIM_E_MALFORMED;
}
