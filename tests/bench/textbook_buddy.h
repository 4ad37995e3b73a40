/*
 * textbook_buddy.h - the floor the engine's allocator is measured against:
 * a minimal binary buddy allocator as a textbook presents it (one free list
 * per order, split on allocation, merge on free) with none of the kernel's
 * machinery: no zones, migrate types, watermarks, per-CPU lists or
 * counters.
 */
#ifndef MMSIM_BENCH_TEXTBOOK_BUDDY_H
#define MMSIM_BENCH_TEXTBOOK_BUDDY_H

#include <stdint.h>

#define TB_MAX_ORDER 11
#define TB_NONE      UINT32_MAX

struct tb_frame {
	uint32_t next, prev; /* free-list links, frame indices */
	uint8_t free;        /* head of a free block */
	uint8_t order;       /* its order */
};

struct tb_buddy {
	struct tb_frame *frames; /* owned */
	uint32_t nr_frames;
	uint32_t head[TB_MAX_ORDER]; /* first free block per order, TB_NONE if none */
};

/* tb_init - all frames free in maximal blocks. 0 or -1 (no memory). */
int tb_init(struct tb_buddy *b, uint32_t nr_frames);
void tb_destroy(struct tb_buddy *b);
/* tb_alloc - a block of 2^order frames, or TB_NONE. */
uint32_t tb_alloc(struct tb_buddy *b, unsigned int order);
void tb_free(struct tb_buddy *b, uint32_t frame, unsigned int order);

#endif
