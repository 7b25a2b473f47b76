/*
 * map.h - what the two memory-map renderers (map.c: text, map_svg.c:
 * SVG picture) share: the machine's memory blocks as read through a
 * backend's sysfs, so both show a real kernel's blocks as well as the
 * model's.
 *
 * Contract: map_collect() fills a map_blocks (free with
 * map_blocks_release) or returns -errno from the backend.
 * Expected workload: one call per `map` step; up to tens of thousands
 * of blocks.
 */
#ifndef HOTMEM_SCENARIO_MAP_H
#define HOTMEM_SCENARIO_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

struct map_block {
	uint64_t id;
	char glyph;		/* d D N M X o _ ? as in the text map's legend */
	int node;		/* -1: no nodeN link (no CONFIG_NUMA) */
};

struct map_blocks {
	uint64_t block_size;	/* bytes */
	struct map_block *v;	/* sorted by id */
	size_t n;
};

int map_collect(const struct scenario_backend *be, void *state,
		struct map_blocks *out);
void map_blocks_release(struct map_blocks *b);

/* End (exclusive index) of the row that starts at i: consecutive ids,
 * at most MAP_ROW of them. */
#define MAP_ROW 64
size_t map_row_end(const struct map_blocks *b, size_t i);

#endif
