/*
 * slub_layout.c - how SLUB lays out a cache (calculate_sizes,
 * calculate_order and slab_order in 3.2's mm/slub.c).
 *
 * An object slot is the object rounded up to a word, then (with
 * SLAB_RED_ZONE) a word of red zone if the object filled its words, then
 * the free pointer if it may not live in the object's first word (poison,
 * RCU, a constructor), then a word of left padding for red zoning, all
 * rounded up to the alignment.  The slab order is the smallest that holds
 * at least min_objects slots (4 * (fls(cpus) + 1)) while wasting at most
 * 1/16 of the slab, relaxing the waste to 1/8 and 1/4 and then the
 * objects, up to slub_max_order (3); past it, the smallest order holding
 * one object.
 */
#include <errno.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"

#define MAX_OBJS_PER_PAGE 32767 /* page->objects is 15 bits */
#define MIN_PARTIAL       5
#define MAX_PARTIAL       10

static int fls_u(unsigned long x)
{
	return x ? (int)(sizeof(long) * 8) - __builtin_clzl(x) : 0;
}

static int order_objects(int order, unsigned long size)
{
	return (int)((PAGE_SIZE << order) / size);
}

/* get_order: the smallest order whose pages hold `size` bytes. */
static int get_order(unsigned long size)
{
	int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

static int slab_order(unsigned long size, int min_objects, int max_order, int fract_leftover)
{
	int order = fls_u((unsigned long)min_objects * size - 1) - PAGE_SHIFT;

	if (order_objects(0, size) > MAX_OBJS_PER_PAGE)
		return get_order(size * MAX_OBJS_PER_PAGE) - 1;
	for (order = order < 0 ? 0 : order; order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;

		if (slab_size < (unsigned long)min_objects * size)
			continue;
		if (slab_size % size <= slab_size / (unsigned long)fract_leftover)
			break;
	}
	return order;
}

static int calculate_order(unsigned long size, int nr_cpus)
{
	int min_objects = 4 * (fls_u((unsigned long)nr_cpus) + 1);
	int max_objects = order_objects(SLUB_MAX_ORDER, size), order;

	if (min_objects > max_objects)
		min_objects = max_objects;
	/* relax the waste first, then the number of objects */
	for (; min_objects > 1; min_objects--)
		for (int fraction = 16; fraction >= 4; fraction /= 2)
			if ((order = slab_order(size, min_objects, SLUB_MAX_ORDER, fraction)) <=
			    SLUB_MAX_ORDER)
				return order;
	if ((order = slab_order(size, 1, SLUB_MAX_ORDER, 1)) <= SLUB_MAX_ORDER)
		return order;
	order = slab_order(size, 1, MAX_ORDER, 1);
	return order < MAX_ORDER ? order : -EINVAL;
}

static unsigned int calculate_alignment(unsigned long flags, unsigned int align, unsigned int size,
                                        unsigned int word)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = SLUB_CACHE_LINE;

		/* small objects share a line: align to the power of two that fits */
		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8) /* ARCH_SLAB_MINALIGN: __alignof__(unsigned long long) */
		align = 8;
	return (align + word - 1) & ~(word - 1);
}

static struct slab_oo oo_make(int order, unsigned long size)
{
	return (struct slab_oo){order, order_objects(order, size)};
}

static unsigned int slot_size(struct kmem_cache_layout *l, int has_ctor, unsigned int word)
{
	unsigned int size = (l->objsize + word - 1) & ~(word - 1);

	if ((l->flags & SLAB_RED_ZONE) && size == l->objsize)
		size += word; /* room for red zone bytes after the object */
	l->inuse = size;
	l->offset = 0;
	if ((l->flags & (SLAB_DESTROY_BY_RCU | SLAB_POISON)) || has_ctor) {
		/* the object's first word is not ours to overwrite on free */
		l->offset = size;
		size += word;
	}
	if (l->flags & SLAB_RED_ZONE)
		size += word; /* left padding catches writes before the object */
	return size;
}

int kmem_cache_layout(const struct machine *m, unsigned int size, unsigned int align,
                      unsigned long flags, int has_ctor, struct kmem_cache_layout *out)
{
	unsigned int word = m->arch->word_bytes;
	unsigned int slot;
	int order;

	if (size == 0 || align > PAGE_SIZE || (align & (align - 1)))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->flags = flags;
	out->objsize = size;
	slot = slot_size(out, has_ctor, word);
	out->align = calculate_alignment(flags, align, size, word);
	out->size = (slot + out->align - 1) & ~(out->align - 1);
	order = calculate_order(out->size, m->nr_cpus);
	if (order < 0)
		return -EINVAL;
	out->oo = oo_make(order, out->size);
	out->min = oo_make(get_order(out->size), out->size);
	out->allocflags = (order ? __GFP_COMP : 0) | ((flags & SLAB_CACHE_DMA) ? __GFP_DMA : 0) |
	                  ((flags & SLAB_RECLAIM_ACCOUNT) ? __GFP_RECLAIMABLE : 0);
	out->min_partial = (unsigned int)(fls_u(out->size) - 1) / 2;
	if (out->min_partial < MIN_PARTIAL)
		out->min_partial = MIN_PARTIAL;
	if (out->min_partial > MAX_PARTIAL)
		out->min_partial = MAX_PARTIAL;
	out->cpu_partial = out->size >= PAGE_SIZE ? 2
	                   : out->size >= 1024    ? 6
	                   : out->size >= 256     ? 13
	                                          : 30;
	return 0;
}

void kmem_cache_merge_shape(const struct machine *m, unsigned int size, unsigned int align,
                            unsigned long flags, unsigned int *msize, unsigned int *malign)
{
	unsigned int word = m->arch->word_bytes;

	size = (size + word - 1) & ~(word - 1);
	align = calculate_alignment(flags, align, size, word);
	*malign = align;
	*msize = (size + align - 1) & ~(align - 1);
}
