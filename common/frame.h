/*
 * frame.h - the framing of the mmsim wire protocol (proto/PROTOCOL.md).
 *
 * Every message on the TLS stream is a 16-byte header followed by `length`
 * bytes of payload (a protobuf message, or opaque bytes for PING/PONG):
 *
 *   offset  size  field
 *        0     4  length   payload bytes after the header (big-endian)
 *        4     1  kind     enum frame_kind
 *        5     1  flags    none defined yet: must be 0
 *        6     2  method   method index (REQUEST/RESPONSE/ERROR), event type (EVENT)
 *        8     8  id       request id, echoed by its RESPONSE or ERROR
 *
 * The header is checked before any payload is buffered, so a peer cannot
 * make the other side hold more than the configured maximum.
 */
#ifndef MMSIM_COMMON_FRAME_H
#define MMSIM_COMMON_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HEADER_LEN          16
#define FRAME_PROTOCOL_VERSION    1
#define FRAME_DEFAULT_MAX_PAYLOAD (1u << 20) /* 1 MiB */
#define FRAME_MAX_PING_PAYLOAD    64
#define FRAME_MAX_GOAWAY_PAYLOAD  1024

enum frame_kind {
	FRAME_REQUEST = 1,  /* client -> server: call method with id */
	FRAME_RESPONSE = 2, /* server -> client: method's reply for id */
	FRAME_ERROR = 3,    /* server -> client: Status for id (0: the connection) */
	FRAME_EVENT = 4,    /* server -> client: an event of a subscription */
	FRAME_PING = 5,     /* either way: answer with PONG, same payload */
	FRAME_PONG = 6,     /* either way */
	FRAME_GOAWAY = 7,   /* either way: closing; GoAway payload from the server */
};

/* Which side sent a frame: each side accepts only the kinds the other sends. */
enum frame_origin { FROM_CLIENT, FROM_SERVER };

struct frame_header {
	uint32_t length; /* payload bytes */
	uint8_t kind;    /* enum frame_kind */
	uint8_t flags;   /* 0 */
	uint16_t method; /* method index or event type */
	uint64_t id;     /* request id */
};

/* frame_header_pack - write h to out in wire order. */
void frame_header_pack(const struct frame_header *h, uint8_t out[FRAME_HEADER_LEN]);

/*
 * frame_header_parse - read and check a header that `origin` sent: a kind
 * that side may send, no flags, a non-zero id on requests, and a payload no
 * longer than max_payload (and the smaller PING/PONG/GOAWAY limits).
 * Returns 0, or MMSIM_E_MALFORMED with a static explanation in *why.
 */
int frame_header_parse(const uint8_t in[FRAME_HEADER_LEN], enum frame_origin origin,
                       uint32_t max_payload, struct frame_header *h, const char **why);

/* frame_kind_name - "REQUEST", ...; "?" for an unknown kind. */
const char *frame_kind_name(int kind);

#endif
