/*
 * machine.h - the simulated machine: the one object that owns all engine
 * state, and the engine's public entry points.
 *
 * There are no globals in the engine; two machines live side by side in one
 * process (tests do this).  A machine is single-threaded: its owner (the
 * daemon's event loop, or a test) calls into it one request at a time.
 *
 * mem_map layout: entries [0, max_pfn) are the page frames, one per pfn from
 * physical address 0, holes included (like FLATMEM; holes are PG_reserved).
 * Entries [max_pfn, nr_map) are list sentinels handed out at boot to the free
 * lists, per-CPU lists and LRU lists (page.h explains why lists link by
 * index).  The array is allocated zeroed and mostly left untouched at boot:
 * see page.h for why a zeroed page is valid.
 *
 * "Current" context: the kernel's alloc_pages() runs on some CPU, in some
 * task.  The engine models that with machine->cpu (the executing CPU: its
 * node is numa_node_id(), its pageset is this_cpu_ptr) and machine->pflags
 * (PF_MEMALLOC and TIF_MEMDIE of the current task).  Callers set them with
 * machine_set_cpu() before a request.
 */
#ifndef MMSIM_MM_MACHINE_H
#define MMSIM_MM_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "mm/arch.h"
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include "mm/page.h"
#include "mm/printk.h"
#include "mm/vmstat.h"

/* Configuration limits; a config outside them is refused with a message. */
#define MACHINE_MIN_NODE_BYTES (16ull << 20)
#define MACHINE_MEM_ALIGN      (1ull << 20)

struct node_config {
	uint64_t mem_bytes; /* memory of this node; a multiple of 1 MiB, >= 16 MiB */
	int nr_cpus;        /* CPUs on this node; >= 0, at least one in the machine */
};

struct machine_config {
	char arch[16]; /* "x86_64" (default) or "i386" */
	int nr_nodes;  /* 1 .. MAX_NUMNODES */
	struct node_config node[MAX_NUMNODES];
	uint8_t distance[MAX_NUMNODES][MAX_NUMNODES]; /* 10 local, 20 remote by default */
	uint64_t seed;              /* for the parts of the simulation that draw numbers */
	uint64_t movablecore_bytes; /* movablecore= : memory for ZONE_MOVABLE, 0 = none */
};

/* Current-task flags that change allocation rules (gfp_to_alloc_flags). */
#define PF_MEMALLOC 0x1u /* the task is freeing memory: may ignore watermarks */
#define TIF_MEMDIE  0x2u /* the task was chosen by the OOM killer */
#define PF_RT       0x4u /* a realtime task: ALLOC_HARDER when it may wait */

/* The e820-style physical map the machine boots from. */
#define E820_MAX 16
enum e820_type { E820_RAM = 1, E820_RESERVED = 2 };
struct e820entry {
	uint64_t addr;
	uint64_t size;
	enum e820_type type;
};

/* An active pfn range of a node (early_node_map in 3.2). */
struct node_range {
	int nid;
	unsigned long start_pfn;
	unsigned long end_pfn;
};
#define MAX_NODE_RANGES (MAX_NUMNODES * 3)

/* The vm.* sysctls this part of the engine owns (sysctl.c). */
struct vm_sysctls {
	int min_free_kbytes;
	int lowmem_reserve_ratio[MAX_NR_ZONES - 1];
	int percpu_pagelist_fraction;
	char numa_zonelist_order[16]; /* as last written, like the kernel's buffer */
};

enum zonelist_order { ZONELIST_ORDER_DEFAULT, ZONELIST_ORDER_NODE, ZONELIST_ORDER_ZONE };

struct machine {
	const struct arch_profile *arch;
	struct machine_config config; /* a copy of what it booted from */
	int nr_nodes;
	pg_data_t *node_data; /* owned, nr_nodes entries (NODE_DATA) */
	int nr_cpus;
	int cpu_to_node[MAX_CPUS];
	struct zone *zones[MAX_NUMNODES * MAX_NR_ZONES]; /* by zone id (page->zone_id) */
	int nr_zone_ids;

	struct page *mem_map;     /* owned; see the layout above */
	unsigned long max_pfn;    /* frames: pfns [0, max_pfn) */
	unsigned long nr_map;     /* frames + sentinels */
	pgidx_t next_sentinel;    /* boot-time sentinel allocator */
	uint8_t *pageblock_mt;    /* owned; migrate type per pageblock */
	uint8_t *section_present; /* owned; sparsemem: section has memory */

	struct e820entry e820[E820_MAX];
	int nr_e820;
	struct node_range ranges[MAX_NODE_RANGES];
	int nr_ranges;

	struct vm_sysctls sysctl;
	int user_zonelist_order;    /* what the sysctl asked for */
	int current_zonelist_order; /* what was built */
	int page_group_by_mobility_disabled;
	int zone_reclaim_mode;
	int policy_zone;                    /* highest populated non-movable zone index */
	int movable_zone;                   /* the zone ZONE_MOVABLE takes its memory from */
	struct kmem_cache *slab_caches;     /* owned list, newest first (slub.c) */
	struct kmem_cache_name *slab_names; /* owned; every name a cache answers to */
	unsigned int nr_slab_names;
	struct kmem_cache *kmalloc_caches[2][14]; /* [dma][kmalloc_index], not owned */
	int8_t gfp_zone_tbl[16];                  /* zone index per GFP zone bits, -EINVAL if bad */

	unsigned long totalram_pages; /* pages given to the buddy allocator at boot */
	unsigned long totalhigh_pages;
	unsigned long totalreserve_pages; /* calculate_totalreserve_pages() */
	unsigned long nr_kernel_pages;    /* present lowmem at boot */
	unsigned long nr_all_pages;       /* present at boot */
	unsigned long vm_total_pages;     /* nr_free_pagecache_pages() at zonelist build */
	unsigned long dma_reserve;

	unsigned long vm_events[NR_VM_EVENT_ITEMS];
	unsigned long alloc_failures; /* requests the allocator could not meet */

	int cpu;             /* the executing CPU ("current") */
	unsigned int pflags; /* PF_MEMALLOC / TIF_MEMDIE of current */
	bool debug_vm;       /* CONFIG_DEBUG_VM: check every frame of a block, not just the head */

	struct printk_log log; /* the kernel log (dmesg) */
};

/*
 * Configuration.  machine_config_default fills the embedded default: x86_64,
 * two nodes of 512 MiB with two CPUs each, distances 10/20 (the golden
 * a-1G-smp4-numa2 machine).  machine_config_parse reads INI text (see
 * deploy/mmsim-default.ini for the keys); machine_config_load reads a file.
 * Both return 0 or -EINVAL/-ENOENT with a message naming the bad input in
 * err (which may be NULL).
 */
void machine_config_default(struct machine_config *cfg);
int machine_config_parse(struct machine_config *cfg, const char *text, char *err, size_t errlen);
int machine_config_load(struct machine_config *cfg, const char *path, char *err, size_t errlen);
int machine_config_validate(const struct machine_config *cfg, char *err, size_t errlen);

/*
 * machine_create - boot a machine from a config.  Returns NULL with a message
 * in err if the config is invalid or host memory runs out.  The caller owns
 * the machine and frees it with machine_destroy.
 */
struct machine *machine_create(const struct machine_config *cfg, char *err, size_t errlen);
void machine_destroy(struct machine *m);

/* machine_set_cpu - run the following requests on `cpu`. 0 or -EINVAL. */
int machine_set_cpu(struct machine *m, int cpu);

static inline int numa_node_id(const struct machine *m)
{
	return m->cpu_to_node[m->cpu];
}

static inline pg_data_t *NODE_DATA(const struct machine *m, int nid)
{
	return &m->node_data[nid];
}

static inline struct page *pfn_to_page(const struct machine *m, unsigned long pfn)
{
	return &m->mem_map[pfn];
}

static inline unsigned long page_to_pfn(const struct machine *m, const struct page *page)
{
	return (unsigned long)(page - m->mem_map);
}

static inline struct zone *page_zone(const struct machine *m, const struct page *page)
{
	return m->zones[page->zone_id];
}

/* pfn_valid - the frame exists (its sparsemem section has memory). */
static inline int pfn_valid(const struct machine *m, unsigned long pfn)
{
	if (pfn >= m->max_pfn)
		return 0;
	return m->arch->section_shift == 0 || m->section_present[pfn >> m->arch->section_shift];
}

/*
 * Page allocation, the validated entry points a request reaches.  Each
 * checks every argument and returns 0 or a negative errno; state is
 * untouched on error.
 *
 * machine_alloc_pages: nid -1 means the current CPU's node.  -EINVAL for a
 * bad order, node or GFP mask; -ENOMEM when the allocator fails.
 * machine_free_pages: -EINVAL unless pfn is the head of an allocated block
 * of exactly that order (double frees and wrong orders are refused).
 */
int machine_alloc_pages(struct machine *m, gfp_t gfp, unsigned int order, int nid,
                        unsigned long *pfn);
int machine_free_pages(struct machine *m, unsigned long pfn, unsigned int order);

/*
 * Pages handed to a client carry their owner (a daemon tenant id, never 0)
 * in page->private, which the page allocator leaves unused on the head of
 * a block it hands out.  machine_page_owner returns it for the head of an
 * allocated block, 0 for anything else.
 */
int machine_alloc_pages_owned(struct machine *m, gfp_t gfp, unsigned int order, int nid,
                              uint64_t owner, unsigned long *pfn);
uint64_t machine_page_owner(const struct machine *m, unsigned long pfn);

/*
 * The kernel-shaped allocator (page_alloc.c).  These assume valid input,
 * like the kernel's: callers outside the engine use the machine_* forms.
 */
struct page *__alloc_pages_nodemask(struct machine *m, gfp_t gfp, unsigned int order,
                                    struct zonelist *zl);
struct page *alloc_pages_node(struct machine *m, int nid, gfp_t gfp, unsigned int order);
struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order);
void __free_pages(struct machine *m, struct page *page, unsigned int order);
void free_hot_cold_page(struct machine *m, struct page *page, int cold);
void drain_local_pages(struct machine *m);
void drain_all_pages(struct machine *m);
uint64_t page_address(const struct machine *m, const struct page *page);
struct page *virt_to_page(const struct machine *m, uint64_t addr);
int free_pages(struct machine *m, uint64_t addr, unsigned int order);

/* Watermark checks (page_alloc.c). */
bool zone_watermark_ok(const struct zone *z, int order, unsigned long mark, int classzone_idx,
                       int alloc_flags);
bool zone_watermark_ok_safe(const struct zone *z, int order, unsigned long mark, int classzone_idx,
                            int alloc_flags);

/*
 * gfp_zone - the highest zone index a mask may use on this arch, or -EINVAL
 * for a GFP_ZONE_BAD combination: one lookup in a table built at boot from
 * gfp_zone_kind and the arch's zones (gfp.c).
 */
static inline int gfp_zone(const struct machine *m, gfp_t gfp)
{
	return m->gfp_zone_tbl[gfp & GFP_ZONEMASK];
}
void gfp_zone_table_init(struct machine *m);

/* Zone setup that sysctl writes re-run (page_alloc_init.c). */
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void setup_zone_pagesets(struct machine *m);
void build_all_zonelists(struct machine *m);
unsigned long nr_free_buffer_pages(const struct machine *m);
unsigned long nr_free_pagecache_pages(const struct machine *m);

/* Machine-wide counters summed over zones (vmstat.c). */
unsigned long global_page_state(const struct machine *m, enum zone_stat_item item);
unsigned long node_page_state(const struct machine *m, int nid, enum zone_stat_item item);

#endif /* MMSIM_MM_MACHINE_H */
