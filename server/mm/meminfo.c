/*
 * meminfo.c - /proc/meminfo and the per-node meminfo and numastat files,
 * in 3.2's field order and widths (fs/proc/meminfo.c, drivers/base/node.c,
 * arch/x86/mm/pageattr.c, mm/hugetlb.c).
 *
 * Fields for machinery not modelled yet (swap, vmalloc areas, hugetlb,
 * commit accounting) print what an idle 3.2 machine without it prints: 0,
 * or the full vmalloc range as the largest free chunk.
 *
 * DirectMap: the kernel maps low RAM (and, on x86_64, RAM above 4 GiB) with
 * large pages, except the first large page, the partial large page at the
 * end of each range, and one large page split when the kernel image is
 * made read-only.  That rule reproduces all three golden captures.
 * DirectMap1G is printed only when the CPU has gbpages (direct_gbpages),
 * whatever its count; QEMU's default CPU, like the captures', has none.
 */
#include <errno.h>

#include "mm/internal.h"
#include "mm/vmstat.h"

#define K(pages) ((pages) << (PAGE_SHIFT - 10))

/*
 * VMALLOC_TOTAL (VMALLOC_END - VMALLOC_START) in kB.
 *
 * x86_64: the fixed range 0xffffc90000000000..0xffffe8ffffffffff, 32 TiB
 * less 1 kB after the shift.
 *
 * i386 (pgtable_32_types.h): VMALLOC_START is high_memory + VMALLOC_OFFSET
 * (8 MiB), with high_memory = PAGE_OFFSET + max_low_pfn pages, and
 * VMALLOC_END = PAGE_OFFSET + MAXMEM + __VMALLOC_RESERVE (128 MiB), MAXMEM
 * being where lowmem is capped (max_low_pfn_limit, page aligned).  So the
 * range is 120 MiB once RAM reaches the cap (the golden k capture's
 * 122880 kB) and grows by the lowmem a smaller machine lacks.
 */
static unsigned long vmalloc_total_kb(const struct machine *m)
{
	unsigned long limit = m->arch->max_low_pfn_limit;
	unsigned long max_low_pfn;

	if (!limit)
		return 34359738367ul;
	max_low_pfn = m->max_pfn < limit ? m->max_pfn : limit;
	return (120ul << 10) + K(limit - max_low_pfn);
}

static unsigned long nr_free_highpages(const struct machine *m)
{
	unsigned long n = 0;

	for (int id = 0; id < m->nr_zone_ids; id++)
		if (is_highmem(m->zones[id]))
			n += zone_page_state(m->zones[id], NR_FREE_PAGES);
	return n;
}

/* DirectMap4k and the large-page line, in kB (see the file comment). */
static void direct_map(const struct machine *m, unsigned long *k4, unsigned long *large)
{
	unsigned long lp = m->arch->zone_highmem < 0 ? 512 : 1024; /* 2M or 4M, in pages */
	unsigned long small = 2 * lp; /* the first large page and the kernel's */
	unsigned long low_end = 0, high = 0;

	for (int i = 0; i < m->nr_e820; i++) {
		const struct e820entry *e = &m->e820[i];
		unsigned long end = (unsigned long)((e->addr + e->size) >> PAGE_SHIFT);

		if (e->type != E820_RAM)
			continue;
		if (e->addr < (1ull << 32))
			low_end = end > low_end ? end : low_end;
		else
			high += end - (unsigned long)(e->addr >> PAGE_SHIFT);
	}
	/* i386 maps lowmem only */
	if (m->arch->max_low_pfn_limit && low_end > m->arch->max_low_pfn_limit)
		low_end = m->arch->max_low_pfn_limit;
	small += low_end % lp + high % lp;
	*k4 = K(small);
	*large = K(low_end + high - small);
}

/* A counter of the whole machine (nid < 0) or of one node. */
static unsigned long stat_of(const struct machine *m, int nid, enum zone_stat_item item)
{
	return nid < 0 ? global_page_state(m, item) : node_page_state(m, nid, item);
}

/*
 * The LRU lines, which /proc/meminfo and the node files print alike but
 * for the node files' "Node N " prefix.
 */
static void lru_lines(const struct machine *m, int nid, struct sbuf *out)
{
	static const struct {
		const char *label;
		enum zone_stat_item a, b; /* b == a: one counter */
	} lines[] = {
	    {"Active:        ", NR_ACTIVE_ANON, NR_ACTIVE_FILE},
	    {"Inactive:      ", NR_INACTIVE_ANON, NR_INACTIVE_FILE},
	    {"Active(anon):  ", NR_ACTIVE_ANON, NR_ACTIVE_ANON},
	    {"Inactive(anon):", NR_INACTIVE_ANON, NR_INACTIVE_ANON},
	    {"Active(file):  ", NR_ACTIVE_FILE, NR_ACTIVE_FILE},
	    {"Inactive(file):", NR_INACTIVE_FILE, NR_INACTIVE_FILE},
	    {"Unevictable:   ", NR_UNEVICTABLE, NR_UNEVICTABLE},
	    {"Mlocked:       ", NR_MLOCK, NR_MLOCK},
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		unsigned long v = stat_of(m, nid, lines[i].a);

		if (lines[i].b != lines[i].a)
			v += stat_of(m, nid, lines[i].b);
		if (nid >= 0)
			sbuf_printf(out, "Node %d ", nid);
		sbuf_printf(out, "%s %8lu kB\n", lines[i].label, K(v));
	}
}

static void meminfo_highmem(const struct machine *m, struct sbuf *out)
{
	unsigned long free = global_page_state(m, NR_FREE_PAGES), hfree = nr_free_highpages(m);

	if (m->arch->zone_highmem < 0)
		return;
	sbuf_printf(out,
	            "HighTotal:      %8lu kB\n"
	            "HighFree:       %8lu kB\n"
	            "LowTotal:       %8lu kB\n"
	            "LowFree:        %8lu kB\n",
	            K(m->totalhigh_pages), K(hfree), K(m->totalram_pages - m->totalhigh_pages),
	            K(free - hfree));
}

static void meminfo_kernel(const struct machine *m, struct sbuf *out)
{
	unsigned long sr = global_page_state(m, NR_SLAB_RECLAIMABLE);
	unsigned long su = global_page_state(m, NR_SLAB_UNRECLAIMABLE);

	sbuf_printf(out,
	            "SwapTotal:      %8lu kB\n"
	            "SwapFree:       %8lu kB\n"
	            "Dirty:          %8lu kB\n"
	            "Writeback:      %8lu kB\n"
	            "AnonPages:      %8lu kB\n"
	            "Mapped:         %8lu kB\n"
	            "Shmem:          %8lu kB\n"
	            "Slab:           %8lu kB\n"
	            "SReclaimable:   %8lu kB\n"
	            "SUnreclaim:     %8lu kB\n"
	            "KernelStack:    %8lu kB\n"
	            "PageTables:     %8lu kB\n"
	            "NFS_Unstable:   %8lu kB\n"
	            "Bounce:         %8lu kB\n"
	            "WritebackTmp:   %8lu kB\n",
	            0ul, 0ul, K(global_page_state(m, NR_FILE_DIRTY)),
	            K(global_page_state(m, NR_WRITEBACK)), K(global_page_state(m, NR_ANON_PAGES)),
	            K(global_page_state(m, NR_FILE_MAPPED)), K(global_page_state(m, NR_SHMEM)),
	            K(sr + su), K(sr), K(su),
	            global_page_state(m, NR_KERNEL_STACK) * m->arch->thread_size / 1024,
	            K(global_page_state(m, NR_PAGETABLE)), K(global_page_state(m, NR_UNSTABLE_NFS)),
	            K(global_page_state(m, NR_BOUNCE)), K(global_page_state(m, NR_WRITEBACK_TEMP)));
}

static void meminfo_tail(const struct machine *m, struct sbuf *out)
{
	unsigned long k4, large;
	/* overcommit_ratio 50, no hugetlb pages, no swap */
	unsigned long commit_limit = m->totalram_pages * 50 / 100;

	sbuf_printf(out,
	            "CommitLimit:    %8lu kB\n"
	            "Committed_AS:   %8lu kB\n"
	            "VmallocTotal:   %8lu kB\n"
	            "VmallocUsed:    %8lu kB\n"
	            "VmallocChunk:   %8lu kB\n",
	            K(commit_limit), 0ul, vmalloc_total_kb(m), 0ul, vmalloc_total_kb(m));
	sbuf_printf(out,
	            "HugePages_Total:   %5lu\n"
	            "HugePages_Free:    %5lu\n"
	            "HugePages_Rsvd:    %5lu\n"
	            "HugePages_Surp:    %5lu\n"
	            "Hugepagesize:   %8lu kB\n",
	            0ul, 0ul, 0ul, 0ul, m->arch->zone_highmem < 0 ? 2048ul : 4096ul);
	direct_map(m, &k4, &large);
	sbuf_printf(out, "DirectMap4k:    %8lu kB\n", k4);
	sbuf_printf(out,
	            m->arch->zone_highmem < 0 ? "DirectMap2M:    %8lu kB\n"
	                                      : "DirectMap4M:    %8lu kB\n",
	            large);
}

int proc_meminfo(const struct machine *m, struct sbuf *out)
{
	long cached = (long)global_page_state(m, NR_FILE_PAGES); /* no swap cache, no buffers */

	sbuf_printf(out,
	            "MemTotal:       %8lu kB\n"
	            "MemFree:        %8lu kB\n"
	            "Buffers:        %8lu kB\n"
	            "Cached:         %8lu kB\n"
	            "SwapCached:     %8lu kB\n",
	            K(m->totalram_pages), K(global_page_state(m, NR_FREE_PAGES)), 0ul,
	            K((unsigned long)(cached < 0 ? 0 : cached)), 0ul);
	lru_lines(m, -1, out);
	meminfo_highmem(m, out);
	meminfo_kernel(m, out);
	meminfo_tail(m, out);
	return sbuf_status(out);
}

static void node_meminfo_kernel(const struct machine *m, int n, struct sbuf *out)
{
	unsigned long sr = node_page_state(m, n, NR_SLAB_RECLAIMABLE);
	unsigned long su = node_page_state(m, n, NR_SLAB_UNRECLAIMABLE);

	sbuf_printf(
	    out,
	    "Node %d Dirty:          %8lu kB\n"
	    "Node %d Writeback:      %8lu kB\n"
	    "Node %d FilePages:      %8lu kB\n"
	    "Node %d Mapped:         %8lu kB\n"
	    "Node %d AnonPages:      %8lu kB\n"
	    "Node %d Shmem:          %8lu kB\n"
	    "Node %d KernelStack:    %8lu kB\n"
	    "Node %d PageTables:     %8lu kB\n"
	    "Node %d NFS_Unstable:   %8lu kB\n"
	    "Node %d Bounce:         %8lu kB\n"
	    "Node %d WritebackTmp:   %8lu kB\n"
	    "Node %d Slab:           %8lu kB\n"
	    "Node %d SReclaimable:   %8lu kB\n"
	    "Node %d SUnreclaim:     %8lu kB\n",
	    n, K(node_page_state(m, n, NR_FILE_DIRTY)), n, K(node_page_state(m, n, NR_WRITEBACK)),
	    n, K(node_page_state(m, n, NR_FILE_PAGES)), n, K(node_page_state(m, n, NR_FILE_MAPPED)),
	    n, K(node_page_state(m, n, NR_ANON_PAGES)), n, K(node_page_state(m, n, NR_SHMEM)), n,
	    node_page_state(m, n, NR_KERNEL_STACK) * m->arch->thread_size / 1024, n,
	    K(node_page_state(m, n, NR_PAGETABLE)), n, K(node_page_state(m, n, NR_UNSTABLE_NFS)), n,
	    K(node_page_state(m, n, NR_BOUNCE)), n, K(node_page_state(m, n, NR_WRITEBACK_TEMP)), n,
	    K(sr + su), n, K(sr), n, K(su));
}

int node_meminfo(const struct machine *m, int nid, struct sbuf *out)
{
	unsigned long total, free;

	if (nid < 0 || nid >= m->nr_nodes || !m->arch->numa)
		return -EINVAL;
	/* si_meminfo_node: a node's total counts its memmap, unlike MemTotal */
	total = m->node_data[nid].node_present_pages;
	free = node_page_state(m, nid, NR_FREE_PAGES);
	sbuf_printf(out,
	            "Node %d MemTotal:       %8lu kB\n"
	            "Node %d MemFree:        %8lu kB\n"
	            "Node %d MemUsed:        %8lu kB\n",
	            nid, K(total), nid, K(free), nid, K(total - free));
	lru_lines(m, nid, out);
	node_meminfo_kernel(m, nid, out);
	sbuf_printf(out,
	            "Node %d HugePages_Total: %5u\n"
	            "Node %d HugePages_Free:  %5u\n"
	            "Node %d HugePages_Surp:  %5u\n",
	            nid, 0u, nid, 0u, nid, 0u);
	return sbuf_status(out);
}

int node_numastat(const struct machine *m, int nid, struct sbuf *out)
{
	if (nid < 0 || nid >= m->nr_nodes || !m->arch->numa)
		return -EINVAL;
	sbuf_printf(out,
	            "numa_hit %lu\n"
	            "numa_miss %lu\n"
	            "numa_foreign %lu\n"
	            "interleave_hit %lu\n"
	            "local_node %lu\n"
	            "other_node %lu\n",
	            node_page_state(m, nid, NUMA_HIT), node_page_state(m, nid, NUMA_MISS),
	            node_page_state(m, nid, NUMA_FOREIGN),
	            node_page_state(m, nid, NUMA_INTERLEAVE_HIT),
	            node_page_state(m, nid, NUMA_LOCAL), node_page_state(m, nid, NUMA_OTHER));
	return sbuf_status(out);
}
