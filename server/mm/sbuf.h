/*
 * sbuf.h - a growable text buffer for rendering /proc views and messages.
 *
 * The caller owns the struct (usually on the stack) and releases the text
 * with sbuf_free.  After a failed growth the buffer stays valid, keeps what
 * it had, and remembers the failure in `oom` so a renderer can write many
 * lines and check once.
 */
#ifndef MMSIM_MM_SBUF_H
#define MMSIM_MM_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *buf;  /* NUL-terminated text, or NULL while empty */
	size_t len; /* bytes of text, without the NUL */
	size_t cap; /* bytes allocated */
	bool oom;   /* a growth failed; text is truncated */
};

#define SBUF_INIT                                                                                  \
	{                                                                                          \
		NULL, 0, 0, false                                                                  \
	}

__attribute__((format(printf, 2, 3))) void sbuf_printf(struct sbuf *sb, const char *fmt, ...);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_putc(struct sbuf *sb, char c);
/* sbuf_write - append n bytes (no NUL needed in them). */
void sbuf_write(struct sbuf *sb, const char *s, size_t n);
/* sbuf_status - 0, or -ENOMEM if any growth failed. */
int sbuf_status(const struct sbuf *sb);
/* sbuf_cstr - the text, "" while empty; valid until the next write. */
const char *sbuf_cstr(const struct sbuf *sb);
void sbuf_reset(struct sbuf *sb);
void sbuf_free(struct sbuf *sb);

#endif /* MMSIM_MM_SBUF_H */
