/*
 * mm_test.h - helpers shared by the engine's unit tests: boot a machine
 * from INI text or the default, fail the test with the checker's message,
 * and compute the kernel formulas the tests compare against.
 */
#ifndef MMSIM_TEST_MM_TEST_H
#define MMSIM_TEST_MM_TEST_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm/machine.h"

/* boot_ini - a machine from INI text (NULL text: the default); fails the test on error. */
struct machine *boot_ini(const char *ini);

/* assert_invariants - run check_machine and fail with its message. */
#define assert_invariants(m) assert_invariants_at((m), __FILE__, __LINE__)
void assert_invariants_at(const struct machine *m, const char *file, int line);

/* The zone of node nid with the given name ("DMA32"), or NULL. */
struct zone *zone_named(struct machine *m, int nid, const char *name);

/* Sum over zones of free_area[order].nr_free << order (pages in buddy lists). */
unsigned long buddy_free_pages(const struct zone *z);

/* int_sqrt the slow, obvious way, to check the engine's. */
unsigned long ref_int_sqrt(unsigned long x);

#endif
