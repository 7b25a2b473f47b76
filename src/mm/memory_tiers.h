/*
 * memory_tiers.h - memory tiers (mm/memory-tiers.c): every node with
 * memory sits in the tier of its memory type; DRAM (abstract distance
 * 576) is memory_tier4, kmem's default DAX type (5 x 576 = 2880) is
 * memory_tier22 (tier id = adistance rounded down to a 128 chunk >> 7).
 *
 * Contract: node types are assigned as the kernel does (boot nodes with
 * memory and nodes that gain memory without a type: DRAM; kmem before
 * adding: DAX unless the node has a type already) and reference counted
 * like node_memory_types[].map_count; a node is listed in its type's
 * tier while it has memory (the MEM_ONLINE/MEM_OFFLINE callback).
 * State is two small per-node arrays in the machine.
 * Expected workload: a callback per node state change.
 */
#ifndef HOTMEM_MEMORY_TIERS_H
#define HOTMEM_MEMORY_TIERS_H

#include <stdbool.h>
#include <stdint.h>

struct hotmem_machine;
struct memory_notify;

enum memtier_type {
	MEMTYPE_NONE = 0,
	MEMTYPE_DRAM,	/* default_dram_type, adistance 576 */
	MEMTYPE_DAX,	/* kmem's MEMTIER_DEFAULT_DAX_ADISTANCE, 2880 */
};

struct memory_tiers {
	uint8_t memtype[64];	/* node_memory_types[].memtype */
	uint16_t map_count[64];	/* node_memory_types[].map_count */
	uint8_t member[64];	/* memtype whose nodes mask holds the node */
};

#define MEMTIER_DRAM_ID	4
#define MEMTIER_DAX_ID	22

void memory_tier_init(struct hotmem_machine *m);
void memtier_hotplug_callback(struct hotmem_machine *m, unsigned long event,
			      const struct memory_notify *arg);
/* kmem's init_node_memory_type / clear_node_memory_type with the DAX type */
void kmem_init_node_memory_type(struct hotmem_machine *m, int nid);
void kmem_clear_node_memory_type(struct hotmem_machine *m, int nid, bool any);
/* Nodes of tier id (4, 22) as a mask; 0 if the tier does not exist. */
uint64_t memory_tier_nodes(const struct hotmem_machine *m, int tier_id);

#endif
