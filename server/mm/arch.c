/*
 * arch.c - the x86_64 and i386 profiles (see arch.h for what each holds and
 * why there are two).  Every constant is the value a stock 3.2 build of that
 * arch uses; the golden captures in tests/golden show them at work.
 */
#include <string.h>

#include "mm/arch.h"

static const struct arch_profile arch_x86_64 = {
    .name = "x86_64",
    .zone_kind = {ZK_DMA, ZK_DMA32, ZK_NORMAL, ZK_MOVABLE},
    .zone_name = {"DMA", "DMA32", "Normal", "Movable"},
    .vmstat_zone = {"dma", "dma32", "normal", "movable"},
    /* MAX_DMA_PFN (16 MiB) and MAX_DMA32_PFN (4 GiB) */
    .zone_limit_pfn = {0x1000, 0x100000, 0, 0},
    .zone_normal = 2,
    .zone_highmem = -1,
    .zone_dma32 = 1,
    .zone_movable = 3,
    .pageblock_order = 9,
    .struct_page_bytes = 64,
    .section_shift = 27 - 12, /* SECTION_SIZE_BITS 27 */
    /* the real-mode trampoline, "Base memory trampoline at 9d000 size 8192" */
    .dma_reserve_pfn = 0x9d,
    .dma_reserve_pages = 2,
    .lowmem_reserve_ratio = {256, 256, 32},
    .page_offset = 0xffff880000000000ull,
    .max_ram_bytes = 1ull << 40,
    .max_low_pfn_limit = 0,
    .numa = true,
    .thread_size = 8192,
    .word_bytes = 8,
};

static const struct arch_profile arch_i386 = {
    .name = "i386",
    .zone_kind = {ZK_DMA, ZK_NORMAL, ZK_HIGHMEM, ZK_MOVABLE},
    .zone_name = {"DMA", "Normal", "HighMem", "Movable"},
    .vmstat_zone = {"dma", "normal", "high", "movable"},
    .zone_limit_pfn = {0x1000, 0x377fe, 0, 0},
    .zone_normal = 1,
    .zone_highmem = 2,
    .zone_dma32 = -1,
    .zone_movable = 3,
    .pageblock_order = 10,
    .struct_page_bytes = 32,
    .section_shift = 0,
    .dma_reserve_pfn = 0,
    .dma_reserve_pages = 0, /* i386 never calls set_dma_reserve() */
    .lowmem_reserve_ratio = {256, 32, 32},
    .page_offset = 0xc0000000ull,
    /* HIGHMEM4G without PAE addresses 4 GiB; QEMU's PCI hole caps RAM at 3 GiB */
    .max_ram_bytes = 3ull << 30,
    /* max_low_pfn of a 3.2 i386 kernel: 896 MiB minus vmalloc reserve and fixmap */
    .max_low_pfn_limit = 0x377fe,
    .numa = false,
    .thread_size = 8192,
    .word_bytes = 4,
};

const struct arch_profile *arch_lookup(const char *name)
{
	if (!strcmp(name, arch_x86_64.name))
		return &arch_x86_64;
	if (!strcmp(name, arch_i386.name))
		return &arch_i386;
	return NULL;
}
