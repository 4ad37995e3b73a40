/*
 * sbuf.c - the growable text buffer of sbuf.h.
 *
 * Growth doubles, starting at 256 bytes, so rendering /proc/zoneinfo of a
 * large machine costs a handful of reallocations.  A failed growth sets
 * `oom` and every later write is dropped, so a renderer may write freely
 * and check sbuf_status once at the end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/sbuf.h"

/* Make room for `need` more bytes plus the NUL. 0, or -1 after marking oom. */
static int sbuf_grow(struct sbuf *sb, size_t need)
{
	size_t cap;
	char *buf;

	if (sb->oom)
		return -1;
	if (need >= (size_t)-1 - sb->len)
		goto fail; /* len + need + NUL would wrap */
	if (sb->len + need < sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 256;
	while (cap <= sb->len + need) {
		if (cap > ((size_t)-1) / 2)
			goto fail;
		cap *= 2;
	}
	buf = realloc(sb->buf, cap);
	if (!buf)
		goto fail;
	sb->buf = buf;
	sb->cap = cap;
	return 0;
fail:
	sb->oom = true;
	return -1;
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sbuf_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sbuf_write(struct sbuf *sb, const char *s, size_t n)
{
	if (n > SIZE_MAX / 4) { /* no text is this long: a caller's arithmetic went wrong */
		sb->oom = true;
		return;
	}
	if (sbuf_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_write(sb, s, strlen(s));
}

void sbuf_putc(struct sbuf *sb, char c)
{
	if (sbuf_grow(sb, 1))
		return;
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

int sbuf_status(const struct sbuf *sb)
{
	return sb->oom ? -ENOMEM : 0;
}

const char *sbuf_cstr(const struct sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	sb->oom = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sbuf_free(struct sbuf *sb)
{
	free(sb->buf);
	*sb = (struct sbuf)SBUF_INIT;
}
