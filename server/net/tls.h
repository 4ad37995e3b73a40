/*
 * tls.h - the daemon's TLS: a server context that insists on a client
 * certificate from the configured CA, and the identity a verified
 * certificate gives a connection (tenant = CN; administrator if O=admin or
 * the CN is listed in the configuration).
 */
#ifndef MMSIM_SERVER_TLS_H
#define MMSIM_SERVER_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#define TLS_ALPN "mmsim/1"

/* tls_server_ctx - NULL with a message in err when a file is unusable. */
SSL_CTX *tls_server_ctx(const char *cert, const char *key, const char *ca, bool allow_tls12,
                        char *err, size_t errlen);

/*
 * tls_peer_identity - after the handshake: the CN of the verified client
 * certificate into name, and whether it is an administrator.  -1 if there
 * is no verified certificate or no usable CN.
 */
int tls_peer_identity(SSL *ssl, const char *admins, char *name, size_t len, bool *admin);

#endif
