/*
 * tls_raw.c - the misbehaving test client (tls_raw.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "tls_raw.h"

struct raw raw_tcp(int port)
{
	struct raw r = {.fd = socket(AF_INET, SOCK_STREAM, 0)};
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct timeval tv = {2, 0};

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(r.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (r.fd >= 0 && connect(r.fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(r.fd);
		r.fd = -1;
	}
	return r;
}

int raw_tls(struct raw *r, int port, const char *ca, const char *cert, const char *key)
{
	*r = raw_tcp(port);
	if (r->fd < 0)
		return -1;
	r->ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_load_verify_locations(r->ctx, ca, NULL);
	if (cert) {
		SSL_CTX_use_certificate_chain_file(r->ctx, cert);
		SSL_CTX_use_PrivateKey_file(r->ctx, key, SSL_FILETYPE_PEM);
	}
	r->ssl = SSL_new(r->ctx);
	SSL_set_fd(r->ssl, r->fd);
	if (SSL_connect(r->ssl) != 1)
		return -1;
	/* TLS 1.3: a refused client certificate shows up on the first read */
	return 0;
}

int raw_write(struct raw *r, const void *buf, size_t n)
{
	if (r->ssl)
		return SSL_write(r->ssl, buf, (int)n) == (int)n ? 0 : -1;
	return write(r->fd, buf, n) == (ssize_t)n ? 0 : -1;
}

int raw_read(struct raw *r, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int k = r->ssl ? SSL_read(r->ssl, (char *)buf + got, (int)(n - got))
		               : (int)read(r->fd, (char *)buf + got, n - got);

		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

int raw_closed(struct raw *r, int timeout_ms)
{
	char buf[4096];

	for (int waited = 0; waited < timeout_ms; waited += 50) {
		struct pollfd p = {r->fd, POLLIN, 0};
		int k;

		if (poll(&p, 1, 50) <= 0)
			continue;
		k = r->ssl ? SSL_read(r->ssl, buf, sizeof(buf))
		           : (int)read(r->fd, buf, sizeof(buf));
		if (k <= 0) {
			if (r->ssl && SSL_get_error(r->ssl, k) == SSL_ERROR_WANT_READ)
				continue;
			return 1;
		}
	}
	return 0;
}

void raw_close(struct raw *r)
{
	if (r->ssl)
		SSL_free(r->ssl);
	if (r->ctx)
		SSL_CTX_free(r->ctx);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}
