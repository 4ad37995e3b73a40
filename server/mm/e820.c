/*
 * e820.c - the physical memory map a machine boots from, and the active pfn
 * ranges of each node (3.2's early_node_map).
 *
 * The map is the one QEMU's PC machine hands a guest, because that is what
 * the golden captures ran on and what labs compare against:
 *   - RAM below 640 KiB up to 0x9fc00, the EBDA and BIOS area reserved;
 *   - RAM from 1 MiB to the top of low RAM less 128 KiB of ACPI tables;
 *   - low RAM ends at 3 GiB once the machine has 3.5 GiB or more, and the rest
 *     continues at 4 GiB, above the PCI hole.
 * The kernel then reserves the first 64 KiB (X86_RESERVE_LOW) and drops
 * 640 KiB..1 MiB, so node 0's first usable pfn is 16.  Nodes take RAM in
 * order, like QEMU's -numa options: node i gets the i-th slice of RAM, which
 * may straddle the PCI hole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define LOWMEM_SPLIT   0xe0000000ull /* QEMU: machines this big put RAM above 4 GiB */
#define LOWMEM_TOP_BIG 0xc0000000ull
#define ACPI_TABLES    0x20000ull /* reserved at the top of low RAM */
#define RESERVE_LOW    0x10000ull /* CONFIG_X86_RESERVE_LOW, 64 KiB */
#define FOUR_GB        0x100000000ull

static void e820_add(struct machine *m, uint64_t addr, uint64_t size, enum e820_type type)
{
	if (m->nr_e820 < E820_MAX && size)
		m->e820[m->nr_e820++] = (struct e820entry){addr, size, type};
}

static uint64_t lowmem_top(uint64_t ram)
{
	return ram >= LOWMEM_SPLIT ? LOWMEM_TOP_BIG : ram;
}

static void e820_build(struct machine *m, uint64_t ram)
{
	uint64_t top = lowmem_top(ram);

	e820_add(m, 0, 0x9fc00, E820_RAM);
	e820_add(m, 0x9fc00, 0x400, E820_RESERVED);
	e820_add(m, 0xf0000, 0x10000, E820_RESERVED);
	e820_add(m, 0x100000, top - ACPI_TABLES - 0x100000, E820_RAM);
	e820_add(m, top - ACPI_TABLES, ACPI_TABLES, E820_RESERVED);
	e820_add(m, 0xfffc0000, 0x40000, E820_RESERVED);
	if (ram > top)
		e820_add(m, FOUR_GB, ram - top, E820_RAM);
	if (m->arch->numa)
		e820_add(m, 0xfd00000000ull, 0x300000000ull, E820_RESERVED);
}

static void e820_print(struct machine *m)
{
	printk(m, "BIOS-provided physical RAM map:");
	for (int i = 0; i < m->nr_e820; i++) {
		const struct e820entry *e = &m->e820[i];

		printk(m, " BIOS-e820: %016llx - %016llx (%s)", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->size),
		       e->type == E820_RAM ? "usable" : "reserved");
	}
}

/* The usable pfn ranges, after the kernel's own low-memory trimming. */
static int usable_ranges(const struct machine *m, unsigned long (*r)[2])
{
	int n = 0;

	for (int i = 0; i < m->nr_e820; i++) {
		const struct e820entry *e = &m->e820[i];
		uint64_t start = e->addr, end = e->addr + e->size;

		if (e->type != E820_RAM)
			continue;
		if (start < RESERVE_LOW)
			start = RESERVE_LOW;
		if (end <= start)
			continue;
		r[n][0] = (unsigned long)((start + PAGE_SIZE - 1) >> PAGE_SHIFT);
		r[n][1] = (unsigned long)(end >> PAGE_SHIFT);
		n++;
	}
	return n;
}

static void add_node_range(struct machine *m, int nid, unsigned long s, unsigned long e)
{
	if (s < e && m->nr_ranges < MAX_NODE_RANGES)
		m->ranges[m->nr_ranges++] = (struct node_range){nid, s, e};
}

/* Intersect node nid's slice of RAM [off, off+size) with the usable ranges. */
static void node_ranges(struct machine *m, int nid, uint64_t off, uint64_t size, uint64_t top,
                        unsigned long (*u)[2], int nu)
{
	uint64_t pieces[2][2] = {{off, off + size}, {0, 0}};

	/* RAM offsets past low RAM live above 4 GiB */
	if (off + size > top) {
		pieces[0][1] = off < top ? top : off;
		pieces[1][0] = (off < top ? top : off) - top + FOUR_GB;
		pieces[1][1] = off + size - top + FOUR_GB;
	}
	for (int p = 0; p < 2; p++) {
		unsigned long ps = (unsigned long)(pieces[p][0] >> PAGE_SHIFT);
		unsigned long pe = (unsigned long)(pieces[p][1] >> PAGE_SHIFT);

		for (int i = 0; i < nu; i++) {
			unsigned long s = ps > u[i][0] ? ps : u[i][0];
			unsigned long e = pe < u[i][1] ? pe : u[i][1];

			add_node_range(m, nid, s, e);
		}
	}
}

int e820_setup(struct machine *m, char *err, size_t errlen)
{
	unsigned long u[E820_MAX][2];
	uint64_t ram = 0, off = 0, top;
	int nu;

	for (int i = 0; i < m->nr_nodes; i++)
		ram += m->config.node[i].mem_bytes;
	top = lowmem_top(ram);
	e820_build(m, ram);
	e820_print(m);
	nu = usable_ranges(m, u);
	for (int i = 0; i < m->nr_nodes; i++) {
		node_ranges(m, i, off, m->config.node[i].mem_bytes, top, u, nu);
		off += m->config.node[i].mem_bytes;
	}
	m->max_pfn = 0;
	for (int i = 0; i < m->nr_ranges; i++)
		if (m->ranges[i].end_pfn > m->max_pfn)
			m->max_pfn = m->ranges[i].end_pfn;
	for (int i = 0; i < m->nr_nodes; i++) {
		int found = 0;

		for (int r = 0; r < m->nr_ranges; r++)
			found |= m->ranges[r].nid == i;
		if (!found) {
			snprintf(err, errlen, "node %d has no usable memory", i);
			return -EINVAL;
		}
	}
	return 0;
}
