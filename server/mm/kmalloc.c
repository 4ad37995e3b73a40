/*
 * kmalloc.c - kmalloc, kfree and ksize over the kmalloc caches (slub.c)
 * and, above 8192 bytes, straight over the page allocator as 3.2's
 * kmalloc_large does (a compound block of get_order(size)).
 *
 * Page contents are not modelled yet, so __GFP_ZERO (kzalloc) changes
 * nothing observable.  A zero-byte request returns ZERO_SIZE_PTR (16), as
 * the kernel does, which kfree accepts and ignores.
 */
#include <errno.h>

#include "mm/internal.h"
#include "mm/slab.h"

#define ZERO_SIZE_PTR    16ull
#define KMALLOC_MAX_SIZE (1ul << (MAX_ORDER - 1 + PAGE_SHIFT))
/* GFP_SLAB_BUG_MASK: slab memory is never HighMem or DMA32-only */
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

static unsigned int size_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

int kmalloc(struct machine *m, size_t size, gfp_t gfp, uint64_t *addr)
{
	struct kmem_cache *s;
	struct page *page;

	if ((gfp & GFP_SLAB_BUG_MASK) || gfp_check(gfp) || size > KMALLOC_MAX_SIZE)
		return -EINVAL;
	if (size == 0)
		return *addr = ZERO_SIZE_PTR, 0;
	s = kmalloc_cache(m, size, gfp);
	if (s) {
		*addr = kmem_cache_alloc(m, s, gfp);
		return *addr ? 0 : -ENOMEM;
	}
	page = alloc_pages(m, gfp | __GFP_COMP, size_order(size));
	if (!page)
		return -ENOMEM;
	*addr = page_address(m, page);
	return 0;
}

/* The head page behind an address in the direct map, or NULL. */
static struct page *head_page(const struct machine *m, uint64_t addr)
{
	struct page *page = virt_to_page(m, addr);

	if (page && PageTail(page))
		page = pfn_to_page(m, (unsigned long)page->private);
	return page;
}

/* A kmalloc_large block: an allocated compound head, addressed at its start. */
static bool large_block(const struct machine *m, const struct page *page, uint64_t addr)
{
	return PageHead(page) && page->_count > 0 && !PageSlab(page) &&
	       page_address(m, page) == addr;
}

int kfree(struct machine *m, uint64_t addr)
{
	struct page *page;

	if (addr == 0 || addr == ZERO_SIZE_PTR)
		return 0;
	page = head_page(m, addr);
	if (!page)
		return -EINVAL;
	if (PageSlab(page))
		return kmem_cache_free(m, page->mapping, addr);
	if (!large_block(m, page, addr))
		return -EINVAL;
	__free_pages(m, page, page->order);
	return 0;
}

long ksize(const struct machine *m, uint64_t addr)
{
	const struct page *page = head_page(m, addr);
	const struct kmem_cache *s;

	if (!page)
		return -EINVAL;
	if (!PageSlab(page))
		return large_block(m, page, addr) ? (long)(PAGE_SIZE << page->order) : -EINVAL;
	s = page->mapping;
	if (s->l.flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->l.objsize;
	if (s->l.flags & (SLAB_DESTROY_BY_RCU | SLAB_STORE_USER))
		return s->l.inuse;
	return s->l.size;
}
