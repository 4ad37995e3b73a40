/*
 * sysctl.c - vm.min_free_kbytes, vm.lowmem_reserve_ratio,
 * vm.percpu_pagelist_fraction and vm.numa_zonelist_order (see sysctl.h for
 * the contract).  Later parts of the engine add their sysctls to the table.
 *
 * Parsing follows proc_dointvec: integers separated by blanks, a trailing
 * newline allowed, fewer values than the vector holds leaving the rest
 * unchanged.  The write handlers mirror 3.2's:
 *   min_free_kbytes          setup_per_zone_wmarks
 *   lowmem_reserve_ratio     setup_per_zone_lowmem_reserve (values < 1 read
 *                            back as 1, as the kernel fixes them up)
 *   percpu_pagelist_fraction minimum 8; sets high = present / fraction and
 *                            batch = high / 4 on every pageset.  3.2 refuses
 *                            0, so once set it cannot be reset.
 *   numa_zonelist_order      "default", "node" or "zone" by first letter, any
 *                            case; another word is ignored with a log line
 *                            and the old value kept, and the write succeeds,
 *                            as 3.2 does.  A change rebuilds the zonelists.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/sysctl.h"

struct vm_sysctl {
	const char *name;
	int (*read)(struct machine *m, struct sbuf *out);
	int (*write)(struct machine *m, const char *value);
};

/*
 * One integer as 3.2's proc_get_long reads it: an optional '-', then a
 * digit, then simple_strtoul with base 0 (so "0x1f40" and octal "010" work
 * and "+5" does not).  Values outside int are refused rather than wrapped.
 */
static int parse_one_int(const char *s, long long *v, char **end)
{
	bool neg = *s == '-';
	unsigned long long u;

	if (neg)
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	u = strtoull(s, end, 0);
	if (errno || u > (unsigned long long)INT32_MAX + neg ||
	    (**end && **end != ' ' && **end != '\t' && **end != '\n'))
		return -EINVAL;
	*v = neg ? -(long long)u : (long long)u;
	return 0;
}

/* parse_ints - up to max ints from text; returns how many, or -EINVAL. */
static int parse_ints(const char *s, long long *v, int max)
{
	int n = 0;

	for (;;) {
		char *end;
		int rc;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		if (n == max)
			return -EINVAL;
		if ((rc = parse_one_int(s, &v[n], &end)))
			return rc;
		n++;
		s = end;
	}
	return n ? n : -EINVAL;
}

static int read_min_free_kbytes(struct machine *m, struct sbuf *out)
{
	sbuf_printf(out, "%d\n", m->sysctl.min_free_kbytes);
	return 0;
}

static int write_min_free_kbytes(struct machine *m, const char *value)
{
	long long v;

	if (parse_ints(value, &v, 1) != 1 || v < 0)
		return -EINVAL;
	m->sysctl.min_free_kbytes = (int)v;
	setup_per_zone_wmarks(m);
	return 0;
}

static int read_lowmem_reserve_ratio(struct machine *m, struct sbuf *out)
{
	for (int i = 0; i < MAX_NR_ZONES - 1; i++)
		sbuf_printf(out, "%s%d", i ? "\t" : "", m->sysctl.lowmem_reserve_ratio[i]);
	sbuf_putc(out, '\n');
	return 0;
}

static int write_lowmem_reserve_ratio(struct machine *m, const char *value)
{
	long long v[MAX_NR_ZONES - 1];
	int n = parse_ints(value, v, MAX_NR_ZONES - 1);

	if (n < 0)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		m->sysctl.lowmem_reserve_ratio[i] = (int)v[i];
	setup_per_zone_lowmem_reserve(m);
	return 0;
}

static int read_percpu_pagelist_fraction(struct machine *m, struct sbuf *out)
{
	sbuf_printf(out, "%d\n", m->sysctl.percpu_pagelist_fraction);
	return 0;
}

static int write_percpu_pagelist_fraction(struct machine *m, const char *value)
{
	long long v;

	if (parse_ints(value, &v, 1) != 1 || v < 8)
		return -EINVAL;
	m->sysctl.percpu_pagelist_fraction = (int)v;
	for (int id = 0; id < m->nr_zone_ids; id++) {
		struct zone *z = m->zones[id];

		if (!populated_zone(z))
			continue;
		for (int cpu = 0; cpu < m->nr_cpus; cpu++)
			setup_pagelist_highmark(&z->pageset[cpu],
			                        z->present_pages / (unsigned long)v);
	}
	return 0;
}

static int read_numa_zonelist_order(struct machine *m, struct sbuf *out)
{
	sbuf_printf(out, "%s\n", m->sysctl.numa_zonelist_order);
	return 0;
}

static int write_numa_zonelist_order(struct machine *m, const char *value)
{
	int order, old = m->user_zonelist_order;
	size_t len = strcspn(value, "\n");

	/* proc_dostring keeps at most the buffer's length less one */
	if (len >= sizeof(m->sysctl.numa_zonelist_order))
		len = sizeof(m->sysctl.numa_zonelist_order) - 1;
	switch (value[0]) {
	case 'd':
	case 'D':
		order = ZONELIST_ORDER_DEFAULT;
		break;
	case 'n':
	case 'N':
		order = ZONELIST_ORDER_NODE;
		break;
	case 'z':
	case 'Z':
		order = ZONELIST_ORDER_ZONE;
		break;
	default:
		printk(m, "Ignoring invalid numa_zonelist_order value:  %.*s", (int)len, value);
		return 0;
	}
	memcpy(m->sysctl.numa_zonelist_order, value, len);
	m->sysctl.numa_zonelist_order[len] = '\0';
	m->user_zonelist_order = order;
	if (order != old)
		build_all_zonelists(m);
	return 0;
}

static const struct vm_sysctl vm_sysctls[] = {
    {"lowmem_reserve_ratio", read_lowmem_reserve_ratio, write_lowmem_reserve_ratio},
    {"min_free_kbytes", read_min_free_kbytes, write_min_free_kbytes},
    {"numa_zonelist_order", read_numa_zonelist_order, write_numa_zonelist_order},
    {"percpu_pagelist_fraction", read_percpu_pagelist_fraction, write_percpu_pagelist_fraction},
};

#define NR_VM_SYSCTLS (int)(sizeof(vm_sysctls) / sizeof(vm_sysctls[0]))

static const struct vm_sysctl *sysctl_find(const struct machine *m, const char *name)
{
	if (!strncmp(name, "/proc/sys/vm/", 13))
		name += 13;
	else if (!strncmp(name, "vm.", 3))
		name += 3;
	for (int i = 0; i < NR_VM_SYSCTLS; i++) {
		if (strcmp(name, vm_sysctls[i].name))
			continue;
		/* numa_zonelist_order exists only in NUMA builds */
		if (!m->arch->numa && !strcmp(name, "numa_zonelist_order"))
			return NULL;
		return &vm_sysctls[i];
	}
	return NULL;
}

const char *sysctl_name(int i)
{
	return i >= 0 && i < NR_VM_SYSCTLS ? vm_sysctls[i].name : NULL;
}

int sysctl_read(struct machine *m, const char *name, struct sbuf *out)
{
	const struct vm_sysctl *s = sysctl_find(m, name);

	if (!s)
		return -ENOENT;
	s->read(m, out);
	return sbuf_status(out);
}

int sysctl_write(struct machine *m, const char *name, const char *value)
{
	const struct vm_sysctl *s = sysctl_find(m, name);

	if (!s)
		return -ENOENT;
	if (!value || strnlen(value, SYSCTL_MAX_WRITE + 1) > SYSCTL_MAX_WRITE)
		return -EINVAL;
	return s->write(m, value);
}
