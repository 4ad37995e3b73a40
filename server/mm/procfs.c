/*
 * procfs.c - one entry point for every text view of a machine, by the path
 * it has on a real system: /proc/<file>, /proc/sys/vm/<name> and
 * /sys/devices/system/node/node<N>/<file>.  Clients ask for views by path
 * so that what they type matches what they would `cat` on Linux.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"
#include "mm/sysctl.h"
#include "mm/vmstat.h"

struct proc_view {
	const char *path;
	int (*show)(const struct machine *m, struct sbuf *out);
};

static const struct proc_view proc_views[] = {
    {"/proc/buddyinfo", proc_buddyinfo}, {"/proc/pagetypeinfo", proc_pagetypeinfo},
    {"/proc/zoneinfo", proc_zoneinfo},   {"/proc/vmstat", proc_vmstat},
    {"/proc/meminfo", proc_meminfo},     {"/proc/slabinfo", proc_slabinfo},
};

/* "0-1", "2-3,5": the kernel's cpulist format, for one node's CPUs. */
static int node_cpulist(const struct machine *m, int nid, struct sbuf *out)
{
	const pg_data_t *pgdat = &m->node_data[nid];

	if (pgdat->nr_cpus == 1)
		sbuf_printf(out, "%d", pgdat->first_cpu);
	else if (pgdat->nr_cpus > 1)
		sbuf_printf(out, "%d-%d", pgdat->first_cpu, pgdat->first_cpu + pgdat->nr_cpus - 1);
	sbuf_putc(out, '\n');
	return sbuf_status(out);
}

static int node_distance_row(const struct machine *m, int nid, struct sbuf *out)
{
	for (int i = 0; i < m->nr_nodes; i++)
		sbuf_printf(out, "%s%d", i ? " " : "", m->config.distance[nid][i]);
	sbuf_putc(out, '\n');
	return sbuf_status(out);
}

/* /sys/devices/system/node/node<N>/<file>; NUMA builds only. */
static int node_render(const struct machine *m, const char *rest, struct sbuf *out)
{
	char *end;
	long nid;

	if (strncmp(rest, "node", 4) || rest[4] < '0' || rest[4] > '9')
		return -ENOENT;
	nid = strtol(rest + 4, &end, 10);
	if (*end != '/' || nid < 0 || nid >= m->nr_nodes || !m->arch->numa || end - rest > 8)
		return -ENOENT;
	end++;
	if (!strcmp(end, "meminfo"))
		return node_meminfo(m, (int)nid, out);
	if (!strcmp(end, "numastat"))
		return node_numastat(m, (int)nid, out);
	if (!strcmp(end, "vmstat"))
		return node_vmstat(m, (int)nid, out);
	if (!strcmp(end, "distance"))
		return node_distance_row(m, (int)nid, out);
	if (!strcmp(end, "cpulist"))
		return node_cpulist(m, (int)nid, out);
	return -ENOENT;
}

int proc_render(struct machine *m, const char *path, struct sbuf *out)
{
	static const char node_dir[] = "/sys/devices/system/node/";

	if (!path)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(proc_views) / sizeof(proc_views[0]); i++)
		if (!strcmp(path, proc_views[i].path))
			return proc_views[i].show(m, out);
	if (!strncmp(path, "/proc/sys/vm/", 13) || !strncmp(path, "vm.", 3))
		return sysctl_read(m, path, out);
	if (!strncmp(path, node_dir, sizeof(node_dir) - 1))
		return node_render(m, path + sizeof(node_dir) - 1, out);
	return -ENOENT;
}
