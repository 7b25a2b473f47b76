/*
 * plan.h - `hotmem plan`: a machine before and after what-if steps,
 * compared per node and zone, per memory block, with the memmap's cost
 * and where it is charged, whether each changed block could be offlined
 * again (tried on a copy of the machine) and the auto-movable decisions.
 *
 * Contract: where the machine was captured, "before" is what the capture
 * showed (zoneinfo, node and global MemTotal) and "after" that plus the
 * model's change; elsewhere both are the model's. plan_compare() reads
 * the two machines only (and clones the
 * second to try offlining); the renderers write text, JSON or one
 * self-contained HTML page (no external resources) to a FILE.
 * Expected workload: one comparison per plan; blocks up to tens of
 * thousands (offline trials only for the blocks that changed).
 */
#ifndef HOTMEM_IMPORT_PLAN_H
#define HOTMEM_IMPORT_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hotmem.h"

struct hotmem_machine;

struct plan_zone {
	uint64_t present[2], managed[2], spanned[2];	/* pages, before/after */
};

struct plan_node {
	struct plan_zone zones[8];
	uint64_t memtotal_kb[2];
};

/* One block in either machine: its state, zone, node before and after. */
struct plan_block {
	uint64_t id;
	int state[2];		/* 0 = absent, else MEM_ONLINE/MEM_OFFLINE */
	int zone[2], nid[2];
	uint64_t memmap_on_block;	/* vmemmap pages on the block itself (after) */
	uint64_t memmap_in_node;	/* added without: its memmap from node memory */
	const char *owner;	/* boot RAM, DIMM id, dax/cxl device... (after) */
	bool changed;
	int offline_rc;		/* trying to offline it after the plan: 0/-errno */
	char why[160];		/* the reason it could or could not be offlined */
};

struct plan {
	const char *source;
	char arch[24];
	uint64_t block_size, page_size;
	unsigned int nr_nodes;
	struct plan_node nodes[HOTMEM_MAX_NODES];
	uint64_t memtotal_kb[2];
	int64_t memmap_pages[2];	/* nr_memmap_pages */
	uint64_t memmap_on_blocks[2];	/* of those, on memmap_on_memory blocks */
	struct plan_block *blocks;	/* sorted by id */
	size_t nr_blocks;
	char *steps_output;	/* what the steps printed (failures) */
	char *decisions;	/* auto-movable decisions, one a line */
	char **step_text;
	size_t nr_steps;
};

int plan_compare(struct hotmem_machine *before, struct hotmem_machine *after,
		 struct plan *p);
void plan_release(struct plan *p);
void plan_text(const struct plan *p, FILE *out);
void plan_json(const struct plan *p, FILE *out);
void plan_html(const struct plan *p, FILE *out);

#endif
