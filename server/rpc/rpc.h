/*
 * rpc.h - from a request frame's method and payload to a reply: the
 * daemon's dispatcher, with no sockets in sight so tests drive it directly.
 *
 * Each method has a handler that gets the unpacked request and fills the
 * reply message, or returns a wire status with a message.  The dispatcher
 * owns the unpacking, the size limits of text fields, the packing, and the
 * promise that every outcome is either a packed reply or a Status.
 */
#ifndef MMSIM_SERVER_RPC_H
#define MMSIM_SERVER_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "rpc/registry.h"

#define RPC_MESSAGE_MAX 256
#define RPC_TEXT_MAX    256         /* paths, GFP strings, sysctl values */
#define RPC_CONFIG_MAX  (16 * 1024) /* CreateMachine's INI text */

struct rpc_server {
	struct registry *reg; /* borrowed */
	const char *version;  /* the daemon's version string */
};

/* The outcome of one request. */
struct rpc_reply {
	int status;                    /* 0, an errno, or an MMSIM_E_* code */
	char message[RPC_MESSAGE_MAX]; /* why, when status != 0 */
	uint8_t *payload;              /* the packed reply when status == 0; owned */
	size_t len;
};

/*
 * rpc_dispatch - run `method` for tenant t with the request bytes.  Always
 * fills *out; the caller frees out->payload with rpc_reply_release.
 */
void rpc_dispatch(struct rpc_server *s, struct tenant *t, unsigned method, const uint8_t *payload,
                  size_t len, struct rpc_reply *out);
void rpc_reply_release(struct rpc_reply *r);

/* rpc_method_name - "AllocPages"; NULL for an unknown index. */
const char *rpc_method_name(unsigned method);

#endif
