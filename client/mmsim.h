/*
 * mmsim.h - libmmsim, the client library of mmsimd: connect over mutual
 * TLS, call any method synchronously, or pipeline many calls.
 *
 * Messages are the protobuf-c types generated from proto/mmsim.proto
 * ("mmsim.pb-c.h"); method numbers are the MMSIM_M_* constants below.
 *
 * Return convention of every call: 0 on success; a positive wire status
 * when the daemon refused the request (an errno such as EINVAL, or
 * MMSIM_E_*; the message is in mmsim_error); -1 when the connection or TLS
 * failed (the handle is then unusable: close it).
 *
 * Thread safety: a handle belongs to one thread at a time; use one handle
 * per thread.  Different handles are independent.
 */
#ifndef MMSIM_CLIENT_H
#define MMSIM_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim.pb-c.h"
#include "status.h"

enum mmsim_method {
	MMSIM_M_PING,
	MMSIM_M_MACHINE_INFO,
	MMSIM_M_READ_PROC,
	MMSIM_M_ALLOC_PAGES,
	MMSIM_M_FREE_PAGES,
	MMSIM_M_SYSCTL_GET,
	MMSIM_M_SYSCTL_SET,
	MMSIM_M_CREATE_MACHINE,
	MMSIM_M_LIST_MACHINES,
	MMSIM_M_DESTROY_MACHINE,
	MMSIM_NR_METHODS
};

struct mmsim_options {
	const char *endpoint; /* "HOST:PORT" */
	const char *ca;       /* CA file that signed the daemon's certificate */
	const char *cert;     /* this client's certificate */
	const char *key;      /* and key */
	int timeout_ms;       /* per network operation; 0 = 30 s */
};

struct mmsim_client;

/* mmsim_connect - NULL with a message in err (connection refused, TLS, files). */
struct mmsim_client *mmsim_connect(const struct mmsim_options *o, char *err, size_t errlen);
/* mmsim_close - say goodbye and free the handle (NULL is fine). */
void mmsim_close(struct mmsim_client *c);

/*
 * mmsim_call - send one request and wait for its answer.  On success
 * *reply is the unpacked reply message: free it with
 * protobuf_c_message_free_unpacked(*reply, NULL).
 */
int mmsim_call(struct mmsim_client *c, unsigned method, const ProtobufCMessage *req,
               ProtobufCMessage **reply);

/*
 * Pipelining: mmsim_send queues requests without waiting (its id out);
 * mmsim_recv returns the answers in the order the requests were sent, with
 * their ids and methods.  Mixing with mmsim_call is fine once all sent
 * requests were received.
 */
int mmsim_send(struct mmsim_client *c, unsigned method, const ProtobufCMessage *req, uint64_t *id);
int mmsim_flush(struct mmsim_client *c);
int mmsim_recv(struct mmsim_client *c, uint64_t *id, unsigned *method, ProtobufCMessage **reply);

/*
 * Events: the daemon pushes EVENT frames for subscriptions (methods of
 * later protocol versions).  Those that arrive while the library waits for
 * answers are queued (at most MMSIM_EVENT_QUEUE; past that the oldest are
 * dropped and counted in `lost`).  mmsim_next_event returns 1 with the
 * oldest queued event, or waits up to timeout_ms for one when no request is
 * waiting for its answer; 0 if none came; -1 on a connection error.  The
 * caller frees ev->payload with free().
 */
#define MMSIM_EVENT_QUEUE 4096
struct mmsim_event {
	uint16_t type;         /* the event type (frame header's method field) */
	uint64_t subscription; /* the frame header's id field */
	uint8_t *payload;      /* owned by the caller after the call */
	size_t len;
	uint64_t lost; /* events dropped from a full queue before this one */
};
int mmsim_next_event(struct mmsim_client *c, struct mmsim_event *ev, int timeout_ms);

/* mmsim_error - the last failure's message ("" after a success). */
const char *mmsim_error(const struct mmsim_client *c);

/* mmsim_method_descriptors - the request and reply types of a method; -1 if unknown. */
int mmsim_method_types(unsigned method, const ProtobufCMessageDescriptor **req,
                       const ProtobufCMessageDescriptor **reply);

#endif
