/*
 * textbook_buddy.c - the minimal buddy allocator of textbook_buddy.h.
 * Lists are doubly linked through frame indices, like the engine's, so the
 * comparison measures the kernel's policy, not a different data layout.
 */
#include <stdlib.h>

#include "textbook_buddy.h"

static void tb_push(struct tb_buddy *b, uint32_t f, unsigned int order)
{
	struct tb_frame *fr = &b->frames[f];

	fr->free = 1;
	fr->order = (uint8_t)order;
	fr->prev = TB_NONE;
	fr->next = b->head[order];
	if (fr->next != TB_NONE)
		b->frames[fr->next].prev = f;
	b->head[order] = f;
}

static void tb_unlink(struct tb_buddy *b, uint32_t f)
{
	struct tb_frame *fr = &b->frames[f];

	if (fr->prev != TB_NONE)
		b->frames[fr->prev].next = fr->next;
	else
		b->head[fr->order] = fr->next;
	if (fr->next != TB_NONE)
		b->frames[fr->next].prev = fr->prev;
	fr->free = 0;
}

int tb_init(struct tb_buddy *b, uint32_t nr_frames)
{
	b->frames = calloc(nr_frames, sizeof(*b->frames));
	if (!b->frames)
		return -1;
	b->nr_frames = nr_frames;
	for (int o = 0; o < TB_MAX_ORDER; o++)
		b->head[o] = TB_NONE;
	for (uint32_t f = 0; f < nr_frames;) {
		unsigned int o = TB_MAX_ORDER - 1;

		while (o && ((f & ((1u << o) - 1)) || f + (1u << o) > nr_frames))
			o--;
		tb_push(b, f, o);
		f += 1u << o;
	}
	return 0;
}

void tb_destroy(struct tb_buddy *b)
{
	free(b->frames);
	b->frames = NULL;
}

uint32_t tb_alloc(struct tb_buddy *b, unsigned int order)
{
	unsigned int o = order;
	uint32_t f;

	while (o < TB_MAX_ORDER && b->head[o] == TB_NONE)
		o++;
	if (o == TB_MAX_ORDER)
		return TB_NONE;
	f = b->head[o];
	tb_unlink(b, f);
	while (o > order) { /* split, keeping the lower half */
		o--;
		tb_push(b, f + (1u << o), o);
	}
	return f;
}

void tb_free(struct tb_buddy *b, uint32_t f, unsigned int order)
{
	while (order < TB_MAX_ORDER - 1) {
		uint32_t buddy = f ^ (1u << order);

		if (buddy >= b->nr_frames || !b->frames[buddy].free ||
		    b->frames[buddy].order != order)
			break;
		tb_unlink(b, buddy);
		f &= ~(1u << order);
		order++;
	}
	tb_push(b, f, order);
}
