/*
 * status.h - the status codes every failure on the wire carries
 * (Status.code in proto/mmsim.proto; the table in proto/PROTOCOL.md).
 *
 * Below 1000 a code is a Linux errno, exactly as the simulated kernel
 * would return it (EINVAL 22, ENOMEM 12, ...), so the engine's negative
 * returns map straight onto the wire.  From 1000 up are the protocol's own.
 */
#ifndef MMSIM_COMMON_STATUS_H
#define MMSIM_COMMON_STATUS_H

enum mmsim_status {
	MMSIM_OK = 0,
	MMSIM_E_MALFORMED = 1000,       /* a frame or payload that does not parse */
	MMSIM_E_UNKNOWN_METHOD = 1001,  /* no method with that index */
	MMSIM_E_UNAUTHENTICATED = 1002, /* no usable client certificate */
	MMSIM_E_PERMISSION = 1003,      /* authenticated, but not allowed this */
	MMSIM_E_EXHAUSTED = 1004,       /* a limit or quota was reached */
	MMSIM_E_SHUTDOWN = 1005,        /* the daemon is going away */
	MMSIM_E_INTERNAL = 1006,        /* a daemon bug or host failure */
	MMSIM_E_TIMEOUT = 1007,         /* a deadline passed */
};

/* mmsim_status_name - "EINVAL", "MALFORMED_FRAME", ...; "E<code>" otherwise. */
const char *mmsim_status_name(int code);

/* mmsim_status_text - a short description: "Invalid argument", ... */
const char *mmsim_status_text(int code);

#endif
