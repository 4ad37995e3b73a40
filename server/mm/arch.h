/*
 * arch.h - the two architecture profiles a machine can boot as.
 *
 * No real 3.2 build has both the seed's DMA/Normal/HighMem picture and its
 * 4-level page tables, so mmsim offers the two real ones:
 *
 *   x86_64: DMA < 16 MiB, DMA32 < 4 GiB, Normal above, Movable; NUMA; SLUB
 *           struct page of 64 bytes; pageblock order 9; sparsemem sections of
 *           128 MiB.
 *   i386:   DMA < 16 MiB, Normal < max_low_pfn (0x377fe, the 896 MiB lowmem
 *           limit less the vmalloc reserve and fixmap, as 3.2 computed it),
 *           HighMem above, Movable; no NUMA; struct page of 32 bytes;
 *           pageblock order 10 (4 MiB huge pages without PAE); flat memmap.
 *
 * The profile holds only constants; the code that uses them lives with the
 * kernel function it models.
 */
#ifndef MMSIM_MM_ARCH_H
#define MMSIM_MM_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/gfp.h"
#include "mm/mmzone.h"

struct arch_profile {
	const char *name;                       /* "x86_64" or "i386" */
	enum zone_kind zone_kind[MAX_NR_ZONES]; /* kind of each zone index */
	const char *zone_name[MAX_NR_ZONES];    /* as /proc prints them */
	const char *vmstat_zone[MAX_NR_ZONES];  /* pgalloc_<this> suffixes */
	unsigned long
	    zone_limit_pfn[MAX_NR_ZONES]; /* end pfn of each zone kind range; 0 = unbounded */
	int zone_normal;                  /* index of ZONE_NORMAL */
	int zone_highmem;                 /* index of ZONE_HIGHMEM, or -1 */
	int zone_dma32;                   /* index of ZONE_DMA32, or -1 */
	int zone_movable;                 /* index of ZONE_MOVABLE */
	unsigned int pageblock_order;     /* HUGETLB_PAGE_ORDER */
	unsigned int struct_page_bytes;   /* kernel sizeof(struct page), for memmap accounting */
	unsigned int section_shift;       /* pfn bits of a sparsemem section; 0 = flat */
	unsigned long dma_reserve_pfn;    /* first pfn of the boot trampoline */
	unsigned int dma_reserve_pages;   /* set_dma_reserve(): trampoline pages */
	int lowmem_reserve_ratio[MAX_NR_ZONES - 1]; /* sysctl default */
	uint64_t page_offset;                       /* start of the kernel direct map */
	uint64_t max_ram_bytes;                     /* configuration limit */
	unsigned long max_low_pfn_limit;            /* lowmem ends here (i386); 0 = none */
	bool numa;                                  /* CONFIG_NUMA in the reference build */
	unsigned int thread_size;                   /* kernel stack bytes */
	unsigned int word_bytes;                    /* sizeof(void *) */
};

/* arch_lookup - the profile named `name`, or NULL. */
const struct arch_profile *arch_lookup(const char *name);

static inline bool arch_is_highmem_idx(const struct arch_profile *a, int idx)
{
	return idx == a->zone_highmem;
}

#endif /* MMSIM_MM_ARCH_H */
