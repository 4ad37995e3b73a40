/*
 * gfp.c - reading GFP masks: the zone table, validation for masks that come
 * from outside, and the names people write them with.
 *
 * gfp_zone_kind encodes 3.2's GFP_ZONE_TABLE and GFP_ZONE_BAD as a 16-entry
 * array on the four zone bits; gfp_zone then folds the kinds an arch lacks
 * into Normal exactly as OPT_ZONE_DMA32 and OPT_ZONE_HIGHMEM do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/gfp.h"
#include "mm/machine.h"

/* Indexed by flags & GFP_ZONEMASK: DMA 1, HIGHMEM 2, DMA32 4, MOVABLE 8. */
static const signed char gfp_zone_table[16] = {
    [0] = ZK_NORMAL,
    [__GFP_DMA] = ZK_DMA,
    [__GFP_HIGHMEM] = ZK_HIGHMEM,
    [__GFP_DMA | __GFP_HIGHMEM] = ZK_BAD,
    [__GFP_DMA32] = ZK_DMA32,
    [__GFP_DMA | __GFP_DMA32] = ZK_BAD,
    [__GFP_DMA32 | __GFP_HIGHMEM] = ZK_BAD,
    [__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM] = ZK_BAD,
    [__GFP_MOVABLE] = ZK_NORMAL,
    [__GFP_MOVABLE | __GFP_DMA] = ZK_DMA,
    [__GFP_MOVABLE | __GFP_HIGHMEM] = ZK_MOVABLE,
    [__GFP_MOVABLE | __GFP_HIGHMEM | __GFP_DMA] = ZK_BAD,
    [__GFP_MOVABLE | __GFP_DMA32] = ZK_DMA32,
    [__GFP_MOVABLE | __GFP_DMA32 | __GFP_DMA] = ZK_BAD,
    [__GFP_MOVABLE | __GFP_DMA32 | __GFP_HIGHMEM] = ZK_BAD,
    [__GFP_MOVABLE | __GFP_DMA32 | __GFP_DMA | __GFP_HIGHMEM] = ZK_BAD,
};

enum zone_kind gfp_zone_kind(gfp_t flags)
{
	return (enum zone_kind)gfp_zone_table[flags & GFP_ZONEMASK];
}

static int zone_of_kind(const struct arch_profile *a, enum zone_kind kind)
{
	switch (kind) {
	case ZK_DMA:
		return 0;
	case ZK_DMA32:
		return a->zone_dma32 >= 0 ? a->zone_dma32 : a->zone_normal;
	case ZK_NORMAL:
		return a->zone_normal;
	case ZK_HIGHMEM:
		return a->zone_highmem >= 0 ? a->zone_highmem : a->zone_normal;
	case ZK_MOVABLE:
		return a->zone_movable;
	default:
		return -EINVAL;
	}
}

void gfp_zone_table_init(struct machine *m)
{
	for (unsigned int bits = 0; bits < 16; bits++)
		m->gfp_zone_tbl[bits] = (int8_t)zone_of_kind(m->arch, gfp_zone_kind(bits));
}

int gfp_check(gfp_t flags)
{
	if (flags & ~__GFP_BITS_MASK)
		return -EINVAL;
	/* bits 0x2000 and 0x100000 are unused in 3.2 */
	if (flags & (0x2000u | 0x100000u))
		return -EINVAL;
	if (gfp_zone_kind(flags) == ZK_BAD)
		return -EINVAL;
	if ((flags & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK)
		return -EINVAL;
	return 0;
}

struct gfp_name {
	gfp_t mask;
	const char *name;
};

/* Composite masks first, largest first, as the kernel's show_gfp_flags. */
static const struct gfp_name gfp_names[] = {
    {GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
    {GFP_HIGHUSER, "GFP_HIGHUSER"},
    {GFP_USER, "GFP_USER"},
    {GFP_TEMPORARY, "GFP_TEMPORARY"},
    {GFP_KERNEL, "GFP_KERNEL"},
    {GFP_NOFS, "GFP_NOFS"},
    {GFP_ATOMIC, "GFP_ATOMIC"},
    {GFP_NOIO, "GFP_NOIO"},
    {__GFP_HIGH, "__GFP_HIGH"},
    {__GFP_WAIT, "__GFP_WAIT"},
    {__GFP_IO, "__GFP_IO"},
    {__GFP_COLD, "__GFP_COLD"},
    {__GFP_NOWARN, "__GFP_NOWARN"},
    {__GFP_REPEAT, "__GFP_REPEAT"},
    {__GFP_NOFAIL, "__GFP_NOFAIL"},
    {__GFP_NORETRY, "__GFP_NORETRY"},
    {__GFP_COMP, "__GFP_COMP"},
    {__GFP_ZERO, "__GFP_ZERO"},
    {__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"},
    {__GFP_HARDWALL, "__GFP_HARDWALL"},
    {__GFP_THISNODE, "__GFP_THISNODE"},
    {__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"},
    {__GFP_MOVABLE, "__GFP_MOVABLE"},
    {__GFP_NOTRACK, "__GFP_NOTRACK"},
    {__GFP_NO_KSWAPD, "__GFP_NO_KSWAPD"},
    {__GFP_OTHER_NODE, "__GFP_OTHER_NODE"},
    {__GFP_FS, "__GFP_FS"},
    {__GFP_DMA, "__GFP_DMA"},
    {__GFP_HIGHMEM, "__GFP_HIGHMEM"},
    {__GFP_DMA32, "__GFP_DMA32"},
};

/* Names accepted on input only: aliases that show_gfp_flags never prints. */
static const struct gfp_name gfp_aliases[] = {
    {GFP_NOWAIT, "GFP_NOWAIT"},     {GFP_DMA, "GFP_DMA"},   {GFP_DMA32, "GFP_DMA32"},
    {GFP_THISNODE, "GFP_THISNODE"}, {GFP_IOFS, "GFP_IOFS"},
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int gfp_format(gfp_t flags, char *buf, unsigned long len)
{
	size_t used = 0;
	gfp_t left = flags;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	if (flags == 0)
		return snprintf(buf, len, "GFP_NOWAIT") < (int)len ? 0 : -ENOSPC;
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names) && left; i++) {
		if ((left & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		left &= ~gfp_names[i].mask;
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "|" : "",
		                 gfp_names[i].name);
	}
	if (left)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s0x%x", used ? "|" : "",
		                 left);
	return used < len ? 0 : -ENOSPC;
}

static int gfp_lookup(const char *tok, size_t n, gfp_t *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names); i++)
		if (strlen(gfp_names[i].name) == n && !strncmp(tok, gfp_names[i].name, n))
			return *out = gfp_names[i].mask, 0;
	for (size_t i = 0; i < ARRAY_SIZE(gfp_aliases); i++)
		if (strlen(gfp_aliases[i].name) == n && !strncmp(tok, gfp_aliases[i].name, n))
			return *out = gfp_aliases[i].mask, 0;
	return -EINVAL;
}

static int gfp_parse_token(const char *tok, size_t n, gfp_t *out)
{
	char num[32];
	char *end;
	unsigned long v;

	if (n == 0)
		return -EINVAL;
	if (tok[0] < '0' || tok[0] > '9')
		return gfp_lookup(tok, n, out);
	if (n >= sizeof(num))
		return -EINVAL;
	memcpy(num, tok, n);
	num[n] = '\0';
	errno = 0;
	v = strtoul(num, &end, 0);
	if (errno || *end || v > __GFP_BITS_MASK)
		return -EINVAL;
	*out = (gfp_t)v;
	return 0;
}

int gfp_parse(const char *s, gfp_t *out)
{
	gfp_t mask = 0;

	if (!s || !*s)
		return -EINVAL;
	for (;;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		gfp_t bits;

		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (gfp_parse_token(s, n, &bits))
			return -EINVAL;
		mask |= bits;
		if (!bar)
			break;
		s = bar + 1;
	}
	*out = mask;
	return 0;
}
