/*
 * log.h - the daemon's log: one line per event on stderr (journald adds
 * the time and unit under systemd), with the connection, tenant and method
 * the line is about, at a level that filters.
 */
#ifndef MMSIM_SERVER_LOG_H
#define MMSIM_SERVER_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* log_set_level - lines above this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);
__attribute__((format(printf, 2, 3))) void log_msg(enum log_level level, const char *fmt, ...);

#endif
