/*
 * log.c - the daemon's log (log.h).  The only global state of the daemon:
 * the level, set once at start.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "net/log.h"

static enum log_level log_level = LOG_INFO;

void log_set_level(enum log_level level)
{
	log_level = level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	char line[1024];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "mmsimd[%s]: %s\n", names[level], line);
}
