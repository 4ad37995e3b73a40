/*
 * printk.c - the machine's kernel log (printk.h): a byte ring that drops
 * whole lines from its head when full, as the kernel's log_buf overwrites
 * its oldest messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/machine.h"

#define PRINTK_LINE_MAX 1024

int printk_init(struct printk_log *log)
{
	memset(log, 0, sizeof(*log));
	log->buf = malloc(LOG_BUF_LEN);
	return log->buf ? 0 : -ENOMEM;
}

void printk_free(struct printk_log *log)
{
	free(log->buf);
	log->buf = NULL;
}

/* Drop the oldest line (or all, if the ring holds a single partial one). */
static void log_drop_line(struct printk_log *log)
{
	while (log->len) {
		char c = log->buf[log->start];

		log->start = (log->start + 1) % LOG_BUF_LEN;
		log->len--;
		if (c == '\n')
			return;
	}
}

static void log_append(struct printk_log *log, const char *s, size_t n)
{
	while (log->len + n > LOG_BUF_LEN)
		log_drop_line(log);
	for (size_t i = 0; i < n; i++)
		log->buf[(log->start + log->len + i) % LOG_BUF_LEN] = s[i];
	log->len += n;
}

void printk(struct machine *m, const char *fmt, ...)
{
	char line[PRINTK_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* truncated: keep room for the newline */
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	log_append(&m->log, line, (size_t)n);
	m->log.lines++;
}

int printk_read(const struct printk_log *log, struct sbuf *out)
{
	size_t first = LOG_BUF_LEN - log->start;

	if (first > log->len)
		first = log->len;
	sbuf_write(out, log->buf + log->start, first);
	sbuf_write(out, log->buf, log->len - first);
	return sbuf_status(out);
}
