/*
 * tls.c - the daemon's TLS context and peer identity (tls.h).
 *
 * TLS 1.3 only unless configured; client certificates required and
 * verified against the CA file (SSL_VERIFY_FAIL_IF_NO_PEER_CERT makes the
 * handshake itself fail, so an unauthenticated peer never reaches the
 * protocol).  SSL_MODE_RELEASE_BUFFERS frees about 6 KB per idle
 * connection; read-ahead stays off (it hung under libevent 2.1.12 here).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "net/tls.h"

static void tls_error(char *err, size_t errlen, const char *what, const char *file)
{
	char buf[160] = "";
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s %s: %s", what, file, buf[0] ? buf : "failed");
	ERR_clear_error();
}

static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned int inlen, void *arg)
{
	static const unsigned char ours[] = "\x07" TLS_ALPN;

	(void)ssl;
	(void)arg;
	if (SSL_select_next_proto((unsigned char **)out, outlen, ours, sizeof(ours) - 1, in,
	                          inlen) == OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_OK;
	return SSL_TLSEXT_ERR_NOACK; /* a client without ALPN is still served */
}

SSL_CTX *tls_server_ctx(const char *cert, const char *key, const char *ca, bool allow_tls12,
                        char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx) {
		tls_error(err, errlen, "creating", "the TLS context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, allow_tls12 ? TLS1_2_VERSION : TLS1_3_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		tls_error(err, errlen, "loading certificate", cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		tls_error(err, errlen, "loading key", key);
		goto fail;
	}
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		tls_error(err, errlen, "loading CA", ca);
		goto fail;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_alpn_select_cb(ctx, alpn_select, NULL);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* The first entry of `field` in a name, or -1. */
static int name_entry(X509_NAME *name, int nid, char *out, size_t len)
{
	int n = X509_NAME_get_text_by_NID(name, nid, out, (int)len);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ", ");

		if (len == n && !strncmp(p, name, n))
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

int tls_peer_identity(SSL *ssl, const char *admins, char *name, size_t len, bool *admin)
{
	X509 *cert = SSL_get0_peer_certificate(ssl);
	X509_NAME *subject;
	char org[64];

	if (!cert || SSL_get_verify_result(ssl) != X509_V_OK)
		return -1;
	subject = X509_get_subject_name(cert);
	if (name_entry(subject, NID_commonName, name, len))
		return -1;
	*admin =
	    listed(admins, name) ||
	    (!name_entry(subject, NID_organizationName, org, sizeof(org)) && !strcmp(org, "admin"));
	return 0;
}
