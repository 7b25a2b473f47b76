/*
 * memblock.h - the boot-time memory map (mm/memblock.c) and the zone
 * setup that follows it (mm/mm_init.c): what a platform's firmware
 * layout feeds, and what machine_boot() turns into zones.
 *
 * Contract: all functions act on the machine being booted, before its
 * memory blocks exist; they return 0 or -errno (-ENOMEM only).
 * Expected workload: a handful of calls per boot.
 */
#ifndef HOTMEM_MM_MEMBLOCK_H
#define HOTMEM_MM_MEMBLOCK_H

#include <stdint.h>

#include "mmzone.h"

struct hotmem_machine;

struct phys_range {
	uint64_t start, end;	/* bytes, end exclusive */
};

/* memblock_add_node(): boot RAM [start_pfn, end_pfn) of node nid. */
int memblock_add(struct hotmem_machine *m, uint64_t start_pfn,
		 uint64_t end_pfn, int nid);
/* memblock_alloc() top-down in nid's RAM, pages reserved (not managed). */
int memblock_reserve_top_down(struct hotmem_machine *m, int nid,
			      uint64_t pages);
/*
 * memblock_alloc_range_nid(): the highest run of pages pages, aligned to
 * align pages, inside one RAM range of node nid (any node: nid < 0) and
 * below limit_pfn, that no extent covers; reserved as kind. 0 and *pfn,
 * or -ENOMEM when none fits.
 */
int memblock_alloc_top_down_aligned(struct hotmem_machine *m, int nid,
				    uint64_t pages, uint64_t align,
				    uint64_t limit_pfn, enum extent_kind kind,
				    uint64_t *pfn);
/* memblock_reserve() of [start_pfn, end_pfn) where it is RAM, as kind. */
int memblock_reserve_range(struct hotmem_machine *m, uint64_t start_pfn,
			   uint64_t end_pfn, enum extent_kind kind);
/*
 * vfs_caches_init_early(): the dentry and inode hash tables, taken from
 * memblock when at most one node has memory (else hashdist: vmalloc'ed
 * later, from the buddy). 0 or -ENOMEM.
 */
int vfs_caches_init_early(struct hotmem_machine *m);
/* free_area_init(): zone and node spans and present pages from memblock. */
void free_area_init(struct hotmem_machine *m);
/* managed = present - reserved, per boot zone (memblock_free_all()). */
void setup_managed_pages(struct hotmem_machine *m);

#endif
