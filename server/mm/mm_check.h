/*
 * mm_check.h - the whole-machine invariant checker that tests run after
 * every step (and the daemon at a debug level): free-area counts, buddy list
 * consistency, per-CPU list counts, and every frame in exactly one state.
 */
#ifndef MMSIM_MM_CHECK_H
#define MMSIM_MM_CHECK_H

#include <stddef.h>

struct machine;

/*
 * check_machine - 0 if every invariant holds, else -EFAULT with the first
 * violation described in err.  O(frames): meant for tests and debugging.
 */
int check_machine(const struct machine *m, char *err, size_t errlen);

#endif /* MMSIM_MM_CHECK_H */
