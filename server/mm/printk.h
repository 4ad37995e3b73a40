/*
 * printk.h - the machine's kernel log (what `dmesg` shows).
 *
 * A bounded ring of text like the kernel's log_buf (2^17 bytes, the
 * LOG_BUF_SHIFT default): when full, the oldest whole lines are dropped.
 * Boot writes the kernel's memory lines ("Zone PFN ranges:", "Built 2
 * zonelists ..."), the allocator its failure reports.
 */
#ifndef MMSIM_MM_PRINTK_H
#define MMSIM_MM_PRINTK_H

#include <stddef.h>

#include "mm/sbuf.h"

#define LOG_BUF_LEN (1u << 17)

struct printk_log {
	char *buf;           /* owned ring of LOG_BUF_LEN bytes */
	size_t start;        /* offset of the oldest byte */
	size_t len;          /* bytes held */
	unsigned long lines; /* lines ever logged */
};

struct machine;

int printk_init(struct printk_log *log);
void printk_free(struct printk_log *log);
/* printk - append one formatted message; a missing trailing newline is added. */
__attribute__((format(printf, 2, 3))) void printk(struct machine *m, const char *fmt, ...);
/* printk_read - append the whole log to out. 0 or -ENOMEM. */
int printk_read(const struct printk_log *log, struct sbuf *out);

#endif /* MMSIM_MM_PRINTK_H */
