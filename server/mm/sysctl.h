/*
 * sysctl.h - the vm.* sysctls of the engine, read and written as text the
 * way /proc/sys/vm/<name> is.
 *
 * A write parses like proc_dointvec(_minmax) and re-runs what the kernel's
 * handler re-runs (watermarks, reserves, pagesets, zonelists).  Deviations
 * from 3.2, where its handler would wreck the machine: a negative
 * min_free_kbytes is refused with -EINVAL (3.2 took it and made every
 * watermark huge); text that does not parse is refused with -EINVAL where
 * 3.2's min_free_kbytes and lowmem_reserve_ratio handlers ignore the parse
 * error, return success and change nothing; values outside int are
 * refused where proc_dointvec would let them wrap.
 */
#ifndef MMSIM_MM_SYSCTL_H
#define MMSIM_MM_SYSCTL_H

#include "mm/sbuf.h"

struct machine;

/* The longest value text a write accepts. */
#define SYSCTL_MAX_WRITE 256

/*
 * sysctl_read - append the value text (with its newline) of `name` ("vm.x",
 * "x" or "/proc/sys/vm/x") to out.  0, -ENOENT for an unknown name.
 */
int sysctl_read(struct machine *m, const char *name, struct sbuf *out);

/*
 * sysctl_write - set `name` from text.  0, -ENOENT for an unknown name,
 * -EINVAL for a value that does not parse or is out of range (state unchanged).
 */
int sysctl_write(struct machine *m, const char *name, const char *value);

/* sysctl_name - the i-th sysctl's bare name, NULL past the end (listing). */
const char *sysctl_name(int i);

#endif /* MMSIM_MM_SYSCTL_H */
