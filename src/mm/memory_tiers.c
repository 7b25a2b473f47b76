/*
 * memory_tiers.c - node memory types and tier membership
 * (mm/memory-tiers.c : memory_tier_init, set_node_memory_tier,
 * clear_node_memory_tier, init_node_memory_type, clear_node_memory_type,
 * memtier_hotplug_callback).
 *
 * The abstract distance of kmem memory is the default 2880: without an
 * HMAT table (a QEMU guest without -numa hmat-lb) neither the HMAT nor
 * the CXL calculator can derive one (docs/device-memory.md).
 */
#include "memory_tiers.h"

#include "../machine.h"

static void init_type(struct memory_tiers *t, int nid, enum memtier_type type)
{
	if (t->memtype[nid] == MEMTYPE_NONE)
		t->memtype[nid] = (uint8_t)type;
	if (t->memtype[nid] == type)
		t->map_count[nid]++;
}

/* set_node_memory_tier: a node without a type becomes DRAM */
static void set_node_memory_tier(struct memory_tiers *t, int nid)
{
	if (t->memtype[nid] == MEMTYPE_NONE)
		init_type(t, nid, MEMTYPE_DRAM);
	t->member[nid] = t->memtype[nid];
}

void memory_tier_init(struct hotmem_machine *m)
{
	unsigned int n;

	for (n = 0; n < m->nr_node_ids; n++)
		if (node_state_memory(m, (int)n))
			set_node_memory_tier(&m->memtiers, (int)n);
}

void memtier_hotplug_callback(struct hotmem_machine *m, unsigned long event,
			      const struct memory_notify *arg)
{
	int nid = arg->status_change_nid;

	if (nid < 0)
		return;
	if (event == MEM_ONLINE)
		set_node_memory_tier(&m->memtiers, nid);
	else if (event == MEM_OFFLINE)
		m->memtiers.member[nid] = MEMTYPE_NONE;	/* clear_node_memory_tier */
}

void kmem_init_node_memory_type(struct hotmem_machine *m, int nid)
{
	init_type(&m->memtiers, nid, MEMTYPE_DAX);
}

/*
 * clear_node_memory_type(node, NULL) after a full removal, (node, dax)
 * on a failed probe: the count drops when the type matches or when any
 * type is meant; at zero the node loses its type (it stays listed in a
 * tier until its memory goes offline).
 */
void kmem_clear_node_memory_type(struct hotmem_machine *m, int nid, bool any)
{
	struct memory_tiers *t = &m->memtiers;

	if ((any || t->memtype[nid] == MEMTYPE_DAX) && t->map_count[nid])
		t->map_count[nid]--;
	if (!t->map_count[nid])
		t->memtype[nid] = MEMTYPE_NONE;
}

uint64_t memory_tier_nodes(const struct hotmem_machine *m, int tier_id)
{
	enum memtier_type type = tier_id == MEMTIER_DRAM_ID ? MEMTYPE_DRAM :
				 tier_id == MEMTIER_DAX_ID ? MEMTYPE_DAX : MEMTYPE_NONE;
	uint64_t mask = 0;
	unsigned int n;

	if (type == MEMTYPE_NONE)
		return 0;
	for (n = 0; n < m->nr_node_ids; n++)
		if (m->memtiers.member[n] == type)
			mask |= 1ull << n;
	return mask;
}
