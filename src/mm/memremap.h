/*
 * memremap.h - ZONE_DEVICE memory: struct dev_pagemap and
 * memremap_pages()/memunmap_pages() (mm/memremap.c, mm/memremap.c).
 *
 * Contract: a dev_pagemap lives in a slot of the machine's pgmap table
 * and is named by its slot index, which stays stable while it is
 * mapped. memremap_pages() maps every range of a pgmap into the node's
 * ZONE_DEVICE at 2 MiB sub-section granularity (sections shared with
 * boot RAM or other device ranges included), with the kernel's checks
 * and errno, and leaves the machine exactly as before on failure.
 * ZONE_DEVICE memory gets a memmap (counted in nr_memmap_pages), a
 * Device zone/node span that never shrinks, and nothing else: no
 * memory blocks, no present/managed pages, no online sections.
 * Expected workload: a handful of pgmaps per machine (one per pmem
 * namespace or device-dax instance); lookups scan them linearly.
 */
#ifndef HOTMEM_MEMREMAP_H
#define HOTMEM_MEMREMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmemmap.h"

struct hotmem_machine;

/* enum memory_type (include/linux/memremap.h) */
enum memory_type {
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_COHERENT,
	MEMORY_DEVICE_FS_DAX,
	MEMORY_DEVICE_GENERIC,
	MEMORY_DEVICE_PCI_P2PDMA,
};

#define PGMAP_ALTMAP_VALID	(1u << 0)
#define PGMAP_MAX_RANGES	4

/* struct range: inclusive byte range, as the kernel's. */
struct pgmap_range {
	uint64_t start, end;
};

struct dev_pagemap {
	enum memory_type type;
	unsigned int flags;		/* PGMAP_ALTMAP_VALID */
	struct vmem_altmap altmap;
	unsigned int vmemmap_shift;	/* compound page order of the memmap */
	int nr_range;			/* ranges mapped (all of them once mapped) */
	struct pgmap_range ranges[PGMAP_MAX_RANGES];
	int nid;			/* node whose Device zone holds it */
	/* the private/coherent requirements the kernel checks */
	bool has_migrate_to_ram, has_page_free, has_owner;
	char owner[32];			/* the device that mapped it, for messages */
	bool used;			/* slot in use */
};

static inline const struct vmem_altmap *pgmap_altmap(const struct dev_pagemap *p)
{
	return (p->flags & PGMAP_ALTMAP_VALID) ? &p->altmap : NULL;
}

/* The generic memremap_compat_align(): one sub-section. */
uint64_t memremap_compat_align(const struct hotmem_machine *m);

/*
 * Map tmpl (nr_range ranges) into nid's ZONE_DEVICE. On success *id is
 * the pgmap's slot. Errors as the kernel's: -EINVAL (no range, missing
 * ops for the type, altmap with several ranges, not addressable,
 * misaligned), -ENOMEM (another pgmap covers the first or last pfn:
 * "Conflicting mapping in same section"), -ENXIO (System RAM in the
 * range), -EEXIST (a sub-section already populated), -ENOMEM.
 */
int memremap_pages(struct hotmem_machine *m, const struct dev_pagemap *tmpl,
		   int nid, int *id);
void memunmap_pages(struct hotmem_machine *m, int id);

/* The first pgmap with a range meeting pfns [first, last], or NULL. */
const struct dev_pagemap *pgmap_in_pfn_range(const struct hotmem_machine *m,
					     uint64_t first, uint64_t last);
/* The pgmap covering pfn, or NULL (get_dev_pagemap). */
const struct dev_pagemap *get_dev_pagemap(const struct hotmem_machine *m,
					  uint64_t pfn);
struct dev_pagemap *pgmap_by_id(struct hotmem_machine *m, int id);

int pgmaps_clone(struct dev_pagemap **dst, const struct dev_pagemap *src,
		 size_t n);

#endif
