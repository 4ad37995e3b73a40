/*
 * slub.c - the machine's object caches (SLUB, 3.2's default allocator):
 * the caches boot creates, lookup, kmalloc's size classes, and
 * /proc/slabinfo.  Layout is slub_layout.c's; the per-CPU slabs and
 * partial lists that serve allocations arrive with the allocator.
 *
 * kmalloc's classes: 8, 16, 32, 64, 96, 128, 192, 256 .. 8192 bytes
 * (kmalloc_index); a request picks the smallest that fits, 65..96 going to
 * kmalloc-96 and 129..192 to kmalloc-192.  __GFP_DMA picks the dma-kmalloc
 * twin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

/*
 * Slot sizes of the two bootstrap caches, as the captures show them: they
 * hold kernel structures whose size depends on the build, not on anything
 * modelled here.
 */
static unsigned int kmem_cache_node_size(const struct machine *m)
{
	return m->arch->word_bytes == 8 ? 64 : 32;
}

static unsigned int kmem_cache_size(const struct machine *m)
{
	return m->arch->word_bytes == 8 ? 256 : 128;
}

struct kmem_cache *kmem_cache_open(struct machine *m, const char *name,
                                   const struct kmem_cache_layout *l)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->l = *l;
	s->cpu = calloc((size_t)m->nr_cpus, sizeof(*s->cpu));
	s->node = calloc((size_t)m->nr_nodes, sizeof(*s->node));
	if (!s->cpu || !s->node) {
		free(s->cpu);
		free(s->node);
		free(s);
		return NULL;
	}
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->refcount = 1;
	s->next = m->slab_caches;
	m->slab_caches = s;
	return s;
}

int kmem_cache_add_name(struct machine *m, const char *name, struct kmem_cache *s, uint32_t owner)
{
	struct kmem_cache_name *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->s = s;
	n->owner = owner;
	n->next = m->slab_names;
	m->slab_names = n;
	m->nr_slab_names++;
	return 0;
}

/* A boot cache: on the list, named by the kernel, and unmergeable if bootstrap. */
static struct kmem_cache *boot_cache(struct machine *m, const char *name, unsigned int size,
                                     unsigned long flags, bool bootstrap)
{
	struct kmem_cache_layout l;
	struct kmem_cache *s;

	if (kmem_cache_layout(m, size, 8, flags, 0, &l) || !(s = kmem_cache_open(m, name, &l)))
		return NULL;
	if (bootstrap)
		s->refcount = -1;
	return kmem_cache_add_name(m, name, s, SLAB_OWNER_KERNEL) ? NULL : s;
}

/* kmalloc_index: the class of a size, as an index (1: 96, 2: 192, 3..13: 2^i). */
static int kmalloc_index(size_t size)
{
	int i = KMALLOC_MIN_SHIFT;

	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	while ((1ul << i) < size)
		i++;
	return i;
}

static void kmalloc_name(char *buf, size_t len, int index, bool dma)
{
	unsigned int size = index == 1 ? 96 : index == 2 ? 192 : 1u << index;

	snprintf(buf, len, "%skmalloc-%u", dma ? "dma-" : "", size);
}

static int create_kmalloc_caches(struct machine *m, bool dma)
{
	char name[KMEM_CACHE_NAME_MAX + 1];

	/* 96 and 192 first, then the powers of two, as kmem_cache_init orders them */
	for (int idx = 1; idx <= KMALLOC_MAX_SHIFT; idx++) {
		struct kmem_cache *s;

		kmalloc_name(name, sizeof(name), idx, dma);
		s = boot_cache(m, name,
		               idx == 1   ? 96
		               : idx == 2 ? 192
		                          : 1u << idx,
		               dma ? SLAB_CACHE_DMA : 0, false);
		if (!s)
			return -ENOMEM;
		m->kmalloc_caches[dma][idx] = s;
	}
	return 0;
}

int kmem_cache_init(struct machine *m)
{
	if (!boot_cache(m, "kmem_cache_node", kmem_cache_node_size(m), SLAB_HWCACHE_ALIGN, true) ||
	    !boot_cache(m, "kmem_cache", kmem_cache_size(m), SLAB_HWCACHE_ALIGN, true))
		return -ENOMEM;
	if (create_kmalloc_caches(m, false) || create_kmalloc_caches(m, true))
		return -ENOMEM;
	return 0;
}

void kmem_cache_exit(struct machine *m)
{
	while (m->slab_names) {
		struct kmem_cache_name *n = m->slab_names;

		m->slab_names = n->next;
		free(n);
	}
	m->nr_slab_names = 0;
	while (m->slab_caches) {
		struct kmem_cache *s = m->slab_caches;

		m->slab_caches = s->next;
		kmem_cache_release(m, s);
	}
	memset(m->kmalloc_caches, 0, sizeof(m->kmalloc_caches));
}

struct kmem_cache_name *kmem_cache_lookup(const struct machine *m, const char *name)
{
	for (struct kmem_cache_name *n = m->slab_names; n; n = n->next)
		if (!strcmp(n->name, name))
			return n;
	return NULL;
}

struct kmem_cache *kmem_cache_find(const struct machine *m, const char *name)
{
	struct kmem_cache_name *n = kmem_cache_lookup(m, name);

	return n ? n->s : NULL;
}

struct kmem_cache *kmalloc_cache(const struct machine *m, size_t size, gfp_t gfp)
{
	if (size > (1ul << KMALLOC_MAX_SHIFT))
		return NULL;
	return m->kmalloc_caches[(gfp & __GFP_DMA) != 0][kmalloc_index(size ? size : 1)];
}

int proc_slabinfo(const struct machine *m, struct sbuf *out)
{
	sbuf_puts(out, "slabinfo - version: 2.1\n"
	               "# name            <active_objs> <num_objs> <objsize> <objperslab> "
	               "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
	               "<active_slabs> <num_slabs> <sharedavail>\n");
	for (const struct kmem_cache *s = m->slab_caches; s; s = s->next) {
		/* objects on CPU slabs count as active, as SLUB's s_show counts them */
		sbuf_printf(out, "%-17s %6lu %6lu %6u %4u %4d", s->name,
		            s->total_objects - slab_objects_free(s, m->nr_nodes), s->total_objects,
		            s->l.size, (unsigned int)s->l.oo.objects, 1 << s->l.oo.order);
		sbuf_printf(out, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		sbuf_printf(out, " : slabdata %6lu %6lu %6lu\n", s->nr_slabs, s->nr_slabs, 0ul);
	}
	return sbuf_status(out);
}
