/*
 * memremap.c - ZONE_DEVICE: memremap_pages, pagemap_range,
 * memunmap_pages, pageunmap_range, get_dev_pagemap (mm/memremap.c,
 * mm/memory_hotplug.c : move_pfn_range_to_zone for ZONE_DEVICE; mm/memremap.c).
 *
 * The pgmap table is the model's pgmap_array: lookups scan the mapped
 * ranges of every slot, which is what xa_load on a pfn answers.
 */
#include "memremap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"

uint64_t memremap_compat_align(const struct hotmem_machine *m)
{
	(void)m;
	return 1ull << SUBSECTION_SHIFT;
}

const struct dev_pagemap *pgmap_in_pfn_range(const struct hotmem_machine *m,
					     uint64_t first, uint64_t last)
{
	size_t i;
	int r;

	for (i = 0; i < m->nr_pgmaps; i++) {
		const struct dev_pagemap *p = &m->pgmaps[i];

		if (!p->used)
			continue;
		for (r = 0; r < p->nr_range; r++)
			if (PHYS_PFN(m, p->ranges[r].start) <= last &&
			    PHYS_PFN(m, p->ranges[r].end) >= first)
				return p;
	}
	return NULL;
}

const struct dev_pagemap *get_dev_pagemap(const struct hotmem_machine *m,
					  uint64_t pfn)
{
	return pgmap_in_pfn_range(m, pfn, pfn);
}

struct dev_pagemap *pgmap_by_id(struct hotmem_machine *m, int id)
{
	if (id < 0 || (size_t)id >= m->nr_pgmaps || !m->pgmaps[id].used)
		return NULL;
	return &m->pgmaps[id];
}

int pgmaps_clone(struct dev_pagemap **dst, const struct dev_pagemap *src,
		 size_t n)
{
	*dst = NULL;
	if (!n)
		return 0;
	*dst = malloc(n * sizeof(*src));
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, src, n * sizeof(*src));
	return 0;
}

enum { REGION_DISJOINT, REGION_INTERSECTS, REGION_MIXED };

/* region_intersects(start, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) */
static int region_intersects_ram(const struct hotmem_machine *m, uint64_t start,
				 uint64_t end)
{
	uint64_t covered = 0;
	size_t i;

	for (i = 0; i < m->iomem.n; i++) {
		const struct resource *r = &m->iomem.v[i];
		uint64_t s, e;

		if (!r->used || !(r->flags & IORESOURCE_SYSRAM))
			continue;
		s = r->start > start ? r->start : start;
		e = r->end < end ? r->end : end;
		if (s <= e)
			covered += e - s + 1;
	}
	if (!covered)
		return REGION_DISJOINT;
	return covered == end - start + 1 ? REGION_INTERSECTS : REGION_MIXED;
}

static int pgmap_alloc_slot(struct hotmem_machine *m)
{
	struct dev_pagemap *p;
	size_t i;

	for (i = 0; i < m->nr_pgmaps; i++)
		if (!m->pgmaps[i].used)
			return (int)i;
	p = realloc(m->pgmaps, (m->nr_pgmaps + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	m->pgmaps = p;
	memset(&p[m->nr_pgmaps], 0, sizeof(*p));
	return (int)m->nr_pgmaps++;
}

/* pageunmap_range: the zone keeps its span; the memmap and sections go. */
static void pageunmap_range(struct hotmem_machine *m, struct dev_pagemap *p,
			    int range_id)
{
	const struct pgmap_range *r = &p->ranges[range_id];
	uint64_t len = r->end - r->start + 1;
	struct vmem_altmap *altmap = (p->flags & PGMAP_ALTMAP_VALID) ? &p->altmap : NULL;

	/* remove_pfn_range_from_zone: no span shrink for ZONE_DEVICE */
	if (p->type == MEMORY_DEVICE_PRIVATE)
		__remove_pages(m, PHYS_PFN(m, r->start), PHYS_PFN(m, len), NULL);
	else
		arch_remove_memory(m, r->start, len, altmap);
}

static bool mhp_range_allowed(struct hotmem_machine *m, uint64_t start,
			      uint64_t size)
{
	uint64_t max = (1ull << m->geo.max_physmem_bits) - 1;

	if (size && start + size - 1 >= start && start + size - 1 <= max)
		return true;
	machine_log(m, "Hotplug memory [%#llx-%#llx] exceeds maximum addressable range [%#llx-%#llx]",
		    (unsigned long long)start, (unsigned long long)(start + size),
		    0ull, (unsigned long long)max);
	return false;
}

static int pagemap_range(struct hotmem_machine *m, struct dev_pagemap *p,
			 int range_id, int nid)
{
	const struct pgmap_range *r = &p->ranges[range_id];
	uint64_t len = r->end - r->start + 1;
	uint64_t pfn = PHYS_PFN(m, r->start), nr = PHYS_PFN(m, len);
	struct vmem_altmap *altmap = (p->flags & PGMAP_ALTMAP_VALID) ? &p->altmap : NULL;
	int is_ram, ret;

	if (altmap && range_id > 0) {
		machine_log(m, "altmap not supported for multiple ranges");
		return -EINVAL;
	}
	if (get_dev_pagemap(m, PHYS_PFN(m, r->start)) ||
	    get_dev_pagemap(m, PHYS_PFN(m, r->end))) {
		machine_log(m, "Conflicting mapping in same section");
		return -ENOMEM;
	}
	is_ram = region_intersects_ram(m, r->start, r->end);
	if (is_ram != REGION_DISJOINT) {
		machine_log(m, "attempted on %s region %#llx-%#llx",
			    is_ram == REGION_MIXED ? "mixed" : "ram",
			    (unsigned long long)r->start, (unsigned long long)r->end);
		return -ENXIO;
	}
	if (!mhp_range_allowed(m, r->start, len))
		return -EINVAL;
	if (p->type == MEMORY_DEVICE_PRIVATE)
		ret = __add_pages(m, nid, pfn, nr, NULL);
	else
		ret = arch_add_memory(m, nid, r->start, len, altmap);
	if (ret)
		return ret;
	/* move_pfn_range_to_zone(ZONE_DEVICE): span grows, edges tainted */
	resize_zone_and_pgdat_range(m, nid, ZONE_DEVICE, pfn, nr);
	if (pfn & (m->geo.pages_per_section - 1))
		section_taint_zone_device(m, pfn);
	if ((pfn + nr) & (m->geo.pages_per_section - 1))
		section_taint_zone_device(m, pfn + nr);
	set_pageblock_migratetype_range(m, pfn, nr, MIGRATE_MOVABLE);
	return 0;
}

static bool pgmap_type_ok(struct hotmem_machine *m, const struct dev_pagemap *p)
{
	switch (p->type) {
	case MEMORY_DEVICE_PRIVATE:
		if (!p->has_migrate_to_ram) {
			machine_log(m, "Missing migrate_to_ram method");
			return false;
		}
		/* fall through: the coherent checks apply too */
		__attribute__((fallthrough));
	case MEMORY_DEVICE_COHERENT:
		if (!p->has_page_free) {
			machine_log(m, "Missing page_free method");
			return false;
		}
		if (!p->has_owner) {
			machine_log(m, "Missing owner");
			return false;
		}
		return true;
	case MEMORY_DEVICE_FS_DAX:
	case MEMORY_DEVICE_GENERIC:
	case MEMORY_DEVICE_PCI_P2PDMA:
		return true;
	}
	machine_log(m, "Invalid pgmap type %d", (int)p->type);
	return true;	/* the kernel warns and goes on */
}

int memremap_pages(struct hotmem_machine *m, const struct dev_pagemap *tmpl,
		   int nid, int *id)
{
	struct dev_pagemap *p;
	int slot, nr_range = tmpl->nr_range, i, ret = 0;

	if (nr_range <= 0 || nr_range > PGMAP_MAX_RANGES) {
		machine_log(m, "nr_range must be specified");
		return -EINVAL;
	}
	if (!pgmap_type_ok(m, tmpl))
		return -EINVAL;
	if (nid < 0 || (unsigned int)nid >= m->nr_node_ids)
		nid = 0;	/* numa_mem_id() of the CPU doing the probe */
	slot = pgmap_alloc_slot(m);
	if (slot < 0)
		return slot;
	p = &m->pgmaps[slot];
	*p = *tmpl;
	p->used = true;
	p->nid = nid;
	p->nr_range = 0;
	for (i = 0; i < nr_range; i++) {
		ret = pagemap_range(m, p, i, nid);
		if (ret)
			break;
		p->nr_range++;
	}
	if (ret) {
		while (p->nr_range > 0)
			pageunmap_range(m, p, --p->nr_range);
		p->used = false;
		return ret;
	}
	*id = slot;
	return 0;
}

void memunmap_pages(struct hotmem_machine *m, int id)
{
	struct dev_pagemap *p = pgmap_by_id(m, id);
	int i;

	if (!p)
		return;
	for (i = 0; i < p->nr_range; i++)
		pageunmap_range(m, p, i);
	if ((p->flags & PGMAP_ALTMAP_VALID) && p->altmap.alloc)
		machine_log(m, "WARNING: failed to free all reserved pages");
	p->used = false;
	p->nr_range = 0;
}
