/*
 * slub_create.c - caches made and unmade at run time: kmem_cache_create
 * with SLUB's cache merging, and kmem_cache_destroy.
 *
 * SLUB (mm/slub.c, find_mergeable) does not build a new cache when an
 * existing one can hold the objects with less than a word to spare, has a
 * compatible alignment and the same accounting flags: it bumps that
 * cache's refcount and lets the new name alias it.  That is why a 3.2
 * /proc/slabinfo lacks many caches the kernel asked for.  Debug caches
 * (poison, red zone, store-user), RCU caches and the two bootstrap caches
 * never merge.  The names live in the machine's name table (slub.c) so that
 * a lab can see which tenant made which name and what cache serves it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/slab.h"

#define SLUB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_DESTROY_BY_RCU)
#define SLUB_MERGE_SAME  (SLAB_DEBUG_FREE | SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA)
#define SLAB_CREATE_FLAGS                                                                          \
	(SLAB_DEBUG_FREE | SLAB_RED_ZONE | SLAB_POISON | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA |     \
	 SLAB_STORE_USER | SLAB_RECLAIM_ACCOUNT | SLAB_DESTROY_BY_RCU)

/* A name /proc/slabinfo can print as one column: 1..31 graphic characters. */
static bool valid_cache_name(const char *name)
{
	size_t len = strnlen(name, KMEM_CACHE_NAME_MAX + 1);

	if (len == 0 || len > KMEM_CACHE_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)name[i]))
			return false;
	return true;
}

static bool slab_unmergeable(const struct kmem_cache *s)
{
	return (s->l.flags & SLUB_NEVER_MERGE) || s->refcount < 0;
}

/* find_mergeable: the first cache on the list (newest first) that fits. */
static struct kmem_cache *find_mergeable(const struct machine *m, unsigned int size,
                                         unsigned int align, unsigned long flags)
{
	unsigned int msize, malign;

	if (flags & SLUB_NEVER_MERGE)
		return NULL;
	kmem_cache_merge_shape(m, size, align, flags, &msize, &malign);
	for (struct kmem_cache *s = m->slab_caches; s; s = s->next) {
		if (slab_unmergeable(s) || msize > s->l.size)
			continue;
		if ((flags & SLUB_MERGE_SAME) != (s->l.flags & SLUB_MERGE_SAME))
			continue;
		if ((s->l.size & ~(malign - 1)) != s->l.size)
			continue;
		if (s->l.size - msize >= m->arch->word_bytes)
			continue;
		return s;
	}
	return NULL;
}

static int create_checks(const struct machine *m, const char *name, unsigned int align,
                         unsigned long flags)
{
	if (!name || !valid_cache_name(name))
		return -EINVAL;
	if ((flags & ~SLAB_CREATE_FLAGS) || (align & (align - 1)) || align > PAGE_SIZE)
		return -EINVAL;
	if (kmem_cache_lookup(m, name))
		return -EEXIST;
	if (m->nr_slab_names >= SLAB_NAMES_MAX)
		return -ENOSPC;
	return 0;
}

int kmem_cache_create(struct machine *m, const char *name, unsigned int size, unsigned int align,
                      unsigned long flags, uint32_t owner, struct kmem_cache **out)
{
	struct kmem_cache_layout l;
	struct kmem_cache *s;
	int rc = create_checks(m, name, align, flags);

	if (!rc) /* sizes SLUB cannot place are refused before any merging */
		rc = kmem_cache_layout(m, size, align, flags, 0, &l);
	if (rc)
		return rc;
	s = find_mergeable(m, size, align, flags);
	if (s) {
		if ((rc = kmem_cache_add_name(m, name, s, owner)))
			return rc;
		s->refcount++;
		/* kzalloc must clear the larger object: the cache grows its view */
		if (s->l.objsize < size)
			s->l.objsize = size;
		size = (size + m->arch->word_bytes - 1) & ~(m->arch->word_bytes - 1);
		if (s->l.inuse < size)
			s->l.inuse = size;
	} else {
		s = kmem_cache_open(m, name, &l);
		if (!s)
			return -ENOMEM;
		if ((rc = kmem_cache_add_name(m, name, s, owner))) {
			m->slab_caches = s->next;
			kmem_cache_release(m, s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

static void unlink_cache(struct machine *m, struct kmem_cache *s)
{
	for (struct kmem_cache **pp = &m->slab_caches; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			return;
		}
}

int kmem_cache_destroy(struct machine *m, const char *name, uint32_t owner)
{
	struct kmem_cache_name **pp, *n;
	struct kmem_cache *s;

	if (!name)
		return -EINVAL;
	for (pp = &m->slab_names; *pp && strcmp((*pp)->name, name); pp = &(*pp)->next)
		;
	if (!(n = *pp))
		return -ENOENT;
	s = n->s;
	if (n->owner == SLAB_OWNER_KERNEL || n->owner != owner)
		return -EPERM;
	if (s->refcount == 1 && s->live)
		return -EBUSY;
	*pp = n->next;
	m->nr_slab_names--;
	free(n);
	if (--s->refcount)
		return 0;
	kmem_cache_shrink(m, s); /* no live objects: every slab goes back */
	unlink_cache(m, s);
	kmem_cache_release(m, s);
	return 0;
}
