/*
 * vmstat.h - the machine-wide event counters of /proc/vmstat (vm_event_item
 * in include/linux/vmstat.h of 3.2) and the /proc views rendered from live
 * state (vmstat.c, meminfo.c).
 *
 * Events that the kernel counts per zone type (pgalloc_dma, pgsteal_normal,
 * ...) take MAX_NR_ZONES consecutive slots indexed by zone index; their
 * printed suffix comes from the arch profile (dma32 on x86_64, high on i386).
 */
#ifndef MMSIM_MM_VMSTAT_H
#define MMSIM_MM_VMSTAT_H

#include "mm/sbuf.h"

enum vm_event_item {
	PGPGIN,
	PGPGOUT,
	PSWPIN,
	PSWPOUT,
	PGALLOC, /* + zone index */
	PGFREE = PGALLOC + 4,
	PGACTIVATE,
	PGDEACTIVATE,
	PGFAULT,
	PGMAJFAULT,
	PGREFILL,                                       /* + zone index */
	PGSTEAL = PGREFILL + 4,                         /* + zone index */
	PGSCAN_KSWAPD = PGSTEAL + 4,                    /* + zone index */
	PGSCAN_DIRECT = PGSCAN_KSWAPD + 4,              /* + zone index */
	PGSCAN_ZONE_RECLAIM_FAILED = PGSCAN_DIRECT + 4, /* NUMA builds only */
	PGINODESTEAL,
	SLABS_SCANNED,
	KSWAPD_STEAL,
	KSWAPD_INODESTEAL,
	KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	KSWAPD_SKIP_CONGESTION_WAIT,
	PAGEOUTRUN,
	ALLOCSTALL,
	PGROTATED,
	COMPACTBLOCKS,
	COMPACTPAGES,
	COMPACTPAGEFAILED,
	COMPACTSTALL,
	COMPACTFAIL,
	COMPACTSUCCESS,
	HTLB_BUDDY_PGALLOC,
	HTLB_BUDDY_PGALLOC_FAIL,
	UNEVICTABLE_PGCULLED,
	UNEVICTABLE_PGSCANNED,
	UNEVICTABLE_PGRESCUED,
	UNEVICTABLE_PGMLOCKED,
	UNEVICTABLE_PGMUNLOCKED,
	UNEVICTABLE_PGCLEARED,
	UNEVICTABLE_PGSTRANDED,
	UNEVICTABLE_MLOCKFREED,
	NR_VM_EVENT_ITEMS
};

struct machine;

/*
 * The /proc views.  Each appends the file's exact text to `out` and returns
 * 0, or -ENOMEM if the buffer could not grow (out is then left valid but
 * truncated).  nid-taking views return -EINVAL for a node that does not
 * exist.
 */
int proc_buddyinfo(const struct machine *m, struct sbuf *out);
int proc_pagetypeinfo(const struct machine *m, struct sbuf *out);
int proc_zoneinfo(const struct machine *m, struct sbuf *out);
int proc_vmstat(const struct machine *m, struct sbuf *out);
int proc_meminfo(const struct machine *m, struct sbuf *out);
int proc_slabinfo(const struct machine *m, struct sbuf *out); /* slub.c */
int node_meminfo(const struct machine *m, int nid, struct sbuf *out);
int node_numastat(const struct machine *m, int nid, struct sbuf *out);
int node_vmstat(const struct machine *m, int nid, struct sbuf *out);

/* proc_render - render a view by its /proc path ("/proc/zoneinfo",
 * "/sys/devices/system/node/node1/meminfo", "/proc/sys/vm/min_free_kbytes").
 * -ENOENT for an unknown path. */
int proc_render(struct machine *m, const char *path, struct sbuf *out);

/* The names vmstat prints, in order; NULL for slots the arch does not print. */
const char *vm_event_name(const struct machine *m, int item, char *buf, unsigned long len);
extern const char *const zone_stat_names[];

#endif /* MMSIM_MM_VMSTAT_H */
