/*
 * tls_raw.h - a bare TLS client for tests that must misbehave: send bytes
 * the library never would, stop reading, or dribble.
 */
#ifndef MMSIM_TEST_TLS_RAW_H
#define MMSIM_TEST_TLS_RAW_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

struct raw {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl; /* NULL for a plain TCP connection */
};

/* raw_tcp - a plain TCP connection to 127.0.0.1:port; fd < 0 on failure. */
struct raw raw_tcp(int port);
/* raw_tls - TCP then TLS with the given client certificate (cert NULL: none).
 * Returns 0 if the handshake succeeded. */
int raw_tls(struct raw *r, int port, const char *ca, const char *cert, const char *key);
int raw_write(struct raw *r, const void *buf, size_t n);
/* raw_read - read exactly n bytes; -1 on EOF/error/timeout (2 s). */
int raw_read(struct raw *r, void *buf, size_t n);
/* raw_closed - 1 if the peer closes within timeout_ms (reads and discards). */
int raw_closed(struct raw *r, int timeout_ms);
void raw_close(struct raw *r);

#endif
