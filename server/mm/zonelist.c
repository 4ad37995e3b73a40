/*
 * zonelist.c - each node's fallback order of zones (build_all_zonelists).
 *
 * Node order lists all zones of the nearest node, highest first, then the
 * next nearest node's, and so on: allocations stay local but may eat the
 * local DMA zones.  Zone order lists every node's Normal zones before any
 * DMA32, then every DMA32 before DMA: low zones are spared but allocations
 * go remote sooner.  3.2 picks node order unless the low zones are a small
 * part of a machine whose every node has a Normal zone.
 *
 * Nodes are ranked by find_next_best_node: distance, a penalty for nodes
 * below us and for nodes with CPUs, and a load term that round-robins nodes
 * at equal distance between the nodes' lists.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mm/internal.h"

#define RECLAIM_DISTANCE           30
#define PENALTY_FOR_NODE_WITH_CPUS 1

static const char *const zonelist_order_name[] = {"Default", "Node", "Zone"};

int zonelists_alloc(struct machine *m)
{
	size_t n = (size_t)m->nr_nodes * MAX_NR_ZONES + 1;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++) {
			struct zonelist *zl = &m->node_data[nid].node_zonelists[i];

			zl->_zonerefs = calloc(n, sizeof(struct zoneref));
			if (!zl->_zonerefs)
				return -ENOMEM;
		}
	return 0;
}

int default_zonelist_order(const struct machine *m)
{
	unsigned long low = 0, total = 0, average;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			const struct zone *z = &m->node_data[nid].node_zones[j];

			if (populated_zone(z)) {
				if (j < m->arch->zone_normal)
					low += z->present_pages;
				total += z->present_pages;
			} else if (j == m->arch->zone_normal) {
				/* a lowmem-only node: keep its kernel allocations local */
				return ZONELIST_ORDER_NODE;
			}
		}
	}
	if (!low || low > total / 2)
		return ZONELIST_ORDER_NODE;
	average = total / (unsigned long)(m->nr_nodes + 1);
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		unsigned long nlow = 0, ntotal = 0;

		for (int j = 0; j < MAX_NR_ZONES; j++) {
			const struct zone *z = &m->node_data[nid].node_zones[j];

			if (!populated_zone(z))
				continue;
			if (j < m->arch->zone_normal)
				nlow += z->present_pages;
			ntotal += z->present_pages;
		}
		if (nlow && ntotal > average && nlow > ntotal * 70 / 100)
			return ZONELIST_ORDER_NODE;
	}
	return ZONELIST_ORDER_ZONE;
}

static void check_highest_zone(struct machine *m, int k)
{
	if (k > m->policy_zone && k != m->arch->zone_movable)
		m->policy_zone = k;
}

/* Append pgdat's populated zones, highest index first, at position n. */
static int build_zonelists_node(struct machine *m, const pg_data_t *pgdat, struct zonelist *zl,
                                int n)
{
	for (int j = MAX_NR_ZONES - 1; j >= 0; j--) {
		struct zone *z = (struct zone *)&pgdat->node_zones[j];

		if (populated_zone(z)) {
			zl->_zonerefs[n++] = (struct zoneref){z, j};
			check_highest_zone(m, j);
		}
	}
	zl->_zonerefs[n] = (struct zoneref){NULL, 0};
	return n;
}

static int find_next_best_node(struct machine *m, int node, uint64_t *used, const int *node_load)
{
	int best = -1, min_val = INT_MAX;

	if (!(*used & (1ull << node))) {
		*used |= 1ull << node;
		return node;
	}
	for (int n = 0; n < m->nr_nodes; n++) {
		int val;

		if (*used & (1ull << n))
			continue;
		val = m->config.distance[node][n];
		val += (n < node);
		if (m->node_data[n].nr_cpus)
			val += PENALTY_FOR_NODE_WITH_CPUS;
		val *= m->nr_nodes * MAX_NUMNODES;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		*used |= 1ull << best;
	return best;
}

static void build_zonelists_in_zone_order(struct machine *m, pg_data_t *pgdat, const int *order,
                                          int nr)
{
	struct zonelist *zl = &pgdat->node_zonelists[0];
	int pos = 0;

	for (int j = MAX_NR_ZONES - 1; j >= 0; j--)
		for (int i = 0; i < nr; i++) {
			struct zone *z = &m->node_data[order[i]].node_zones[j];

			if (populated_zone(z)) {
				zl->_zonerefs[pos++] = (struct zoneref){z, j};
				check_highest_zone(m, j);
			}
		}
	zl->_zonerefs[pos] = (struct zoneref){NULL, 0};
}

static void build_zonelists(struct machine *m, pg_data_t *pgdat, int *node_load)
{
	int local = pgdat->node_id, prev = local, load = m->nr_nodes, j = 0, n = 0, node;
	int order[MAX_NUMNODES];
	uint64_t used = 0;
	struct zonelist *zl = &pgdat->node_zonelists[0];

	zl->_zonerefs[0] = (struct zoneref){NULL, 0};
	while ((node = find_next_best_node(m, local, &used, node_load)) >= 0) {
		int distance = m->config.distance[local][node];

		if (distance > RECLAIM_DISTANCE)
			m->zone_reclaim_mode = 1;
		/* the first node of each distance group gets a load penalty */
		if (distance != m->config.distance[local][prev])
			node_load[node] = load;
		prev = node;
		load--;
		if (m->current_zonelist_order == ZONELIST_ORDER_NODE)
			n = build_zonelists_node(m, &m->node_data[node], zl, n);
		else
			order[j++] = node;
	}
	if (m->current_zonelist_order == ZONELIST_ORDER_ZONE)
		build_zonelists_in_zone_order(m, pgdat, order, j);
	build_zonelists_node(m, pgdat, &pgdat->node_zonelists[1], 0);
}

void build_all_zonelists(struct machine *m)
{
	int node_load[MAX_NUMNODES] = {0};

	if (!m->arch->numa)
		m->current_zonelist_order = ZONELIST_ORDER_ZONE;
	else if (m->user_zonelist_order == ZONELIST_ORDER_DEFAULT)
		m->current_zonelist_order = default_zonelist_order(m);
	else
		m->current_zonelist_order = m->user_zonelist_order;
	m->policy_zone = 0;
	for (int nid = 0; nid < m->nr_nodes; nid++)
		build_zonelists(m, &m->node_data[nid], node_load);
	m->vm_total_pages = nr_free_pagecache_pages(m);
	/* too little memory for grouping by mobility to work */
	m->page_group_by_mobility_disabled =
	    m->vm_total_pages < (1ul << m->arch->pageblock_order) * MIGRATE_TYPES;
	printk(m, "Built %i zonelists in %s order, mobility grouping %s.  Total pages: %ld",
	       m->nr_nodes, zonelist_order_name[m->current_zonelist_order],
	       m->page_group_by_mobility_disabled ? "off" : "on", (long)m->vm_total_pages);
	if (m->arch->numa)
		printk(m, "Policy zone: %s", zone_name(m, m->policy_zone));
}
