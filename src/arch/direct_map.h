/*
 * direct_map.h - how each architecture cuts its linear (direct) mapping
 * of RAM into page sizes, for the DirectMap* lines of /proc/meminfo
 * (arch_report_meminfo).
 *
 * Contract: arch_direct_map_split() adds, per page-size class, the
 * bytes of [start, end) that the arch's mapping code maps with pages of
 * that size; it never allocates and knows nothing of the machine beyond
 * the geometry. Expected workload: a few calls per /proc/meminfo read
 * and one per arch_add_memory/arch_remove_memory.
 */
#ifndef HOTMEM_DIRECT_MAP_H
#define HOTMEM_DIRECT_MAP_H

#include <stdint.h>

#include "geometry.h"

enum direct_map_class {
	DM_4K, DM_64K, DM_1M, DM_2M, DM_1G, DM_2G, DM_NR
};

/*
 * Greedy from start: the largest page size (at most cap bytes) whose
 * alignment the address has and that ends at or before end, as
 * x86's kernel_physical_mapping_init, s390's modify_pagetable and
 * boot pgtable_populate (arch/s390/{mm,boot}/vmem.c) and ppc64 radix's
 * create_physical_mapping (gap capped by memory_block_size) all do.
 * DIRECT_MAP_NONE adds nothing.
 */
void arch_direct_map_split(const struct hm_geometry *g, uint64_t start,
			   uint64_t end, uint64_t cap, uint64_t out[DM_NR]);

#endif
