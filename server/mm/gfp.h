/*
 * gfp.h - GFP ("get free pages") flags with the kernel's names and values
 * (include/linux/gfp.h of 3.2), and the two questions every allocation asks
 * of them: which zones (gfp_zone) and which migrate type
 * (allocflags_to_migratetype).  Values matter: clients send raw masks such as
 * 0x200da, and the OOM and failure reports print them.
 */
#ifndef MMSIM_MM_GFP_H
#define MMSIM_MM_GFP_H

#include <stdbool.h>

typedef unsigned int gfp_t;

#define __GFP_DMA         0x01u
#define __GFP_HIGHMEM     0x02u
#define __GFP_DMA32       0x04u
#define __GFP_MOVABLE     0x08u
#define __GFP_WAIT        0x10u     /* may sleep, so may reclaim */
#define __GFP_HIGH        0x20u     /* may dip into emergency pools */
#define __GFP_IO          0x40u     /* may start physical I/O */
#define __GFP_FS          0x80u     /* may call into filesystems */
#define __GFP_COLD        0x100u    /* cache-cold page wanted */
#define __GFP_NOWARN      0x200u    /* no allocation-failure report */
#define __GFP_REPEAT      0x400u    /* try hard, may still fail */
#define __GFP_NOFAIL      0x800u    /* retry forever */
#define __GFP_NORETRY     0x1000u   /* do not retry */
#define __GFP_COMP        0x4000u   /* build a compound page */
#define __GFP_ZERO        0x8000u   /* return zeroed memory */
#define __GFP_NOMEMALLOC  0x10000u  /* never use emergency reserves */
#define __GFP_HARDWALL    0x20000u  /* enforce the cpuset's memory */
#define __GFP_THISNODE    0x40000u  /* this node only, no fallback */
#define __GFP_RECLAIMABLE 0x80000u  /* page is reclaimable (slab) */
#define __GFP_NOTRACK     0x200000u /* not tracked by kmemcheck */
#define __GFP_NO_KSWAPD   0x400000u /* do not wake kswapd */
#define __GFP_OTHER_NODE  0x800000u /* on behalf of another node */
#define __GFP_BITS_SHIFT  24
#define __GFP_BITS_MASK   ((1u << __GFP_BITS_SHIFT) - 1)

#define GFP_ZONEMASK     (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)

#define GFP_ATOMIC           (__GFP_HIGH)
#define GFP_NOWAIT           (GFP_ATOMIC & ~__GFP_HIGH)
#define GFP_NOIO             (__GFP_WAIT)
#define GFP_NOFS             (__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL           (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_TEMPORARY        (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE)
#define GFP_USER             (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_HIGHUSER         (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_IOFS             (__GFP_IO | __GFP_FS)
#define GFP_THISNODE         (__GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY)
#define GFP_DMA              __GFP_DMA
#define GFP_DMA32            __GFP_DMA32

/* Migrate types (include/linux/mmzone.h). */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_MOVABLE,
	MIGRATE_PCPTYPES, /* the number of types on the per-CPU lists */
	MIGRATE_RESERVE = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

/* The zone a GFP mask asks for, before the arch maps it to a zone index. */
enum zone_kind {
	ZK_DMA,
	ZK_DMA32,
	ZK_NORMAL,
	ZK_HIGHMEM,
	ZK_MOVABLE,
	NR_ZONE_KINDS,
	ZK_BAD = -1 /* a GFP_ZONE_BAD combination */
};

/*
 * gfp_zone_kind - the GFP_ZONE_TABLE lookup on the four zone bits, before the
 * arch folds absent zones (no DMA32 on i386, no HighMem on x86_64) into
 * Normal.  Returns ZK_BAD for the combinations GFP_ZONE_BAD forbids.
 */
enum zone_kind gfp_zone_kind(gfp_t flags);

/*
 * allocflags_to_migratetype - (MOVABLE != 0) << 1 | (RECLAIMABLE != 0).
 * Both bits at once is a caller bug the kernel only warns about; callers
 * reject it before this point (see gfp_check).
 */
static inline int allocflags_to_migratetype(gfp_t gfp, bool grouping_disabled)
{
	if (grouping_disabled)
		return MIGRATE_UNMOVABLE;
	return (((gfp & __GFP_MOVABLE) != 0) << 1) | ((gfp & __GFP_RECLAIMABLE) != 0);
}

/*
 * gfp_check - validate a mask coming from outside the engine: only defined
 * bits, a zone combination the table allows, and not both MOVABLE and
 * RECLAIMABLE.  Returns 0 or -EINVAL.
 */
int gfp_check(gfp_t flags);

/* gfp_format - name a mask the way people write it: "GFP_KERNEL|__GFP_ZERO". */
int gfp_format(gfp_t flags, char *buf, unsigned long len);

/* gfp_parse - parse "GFP_KERNEL|__GFP_COMP", a number, or a mix. 0 or -EINVAL. */
int gfp_parse(const char *s, gfp_t *out);

#endif /* MMSIM_MM_GFP_H */
