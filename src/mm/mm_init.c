/*
 * mm_init.c - zones from boot memory (mm/mm_init.c): the boot zones'
 * limits per architecture, free_area_init()'s spans and present pages,
 * and managed pages once memblock hands its free memory over.
 *
 * Contract: memblock.h; zone_limit_pfn() in machine.h.
 * Expected workload: once per boot (zone_limit_pfn also at hotplug).
 */
#include "../machine.h"
#include "memblock.h"

/*
 * End pfn of a boot zone, from the profile's boot layout (x86: DMA below
 * 16 MiB, DMA32 below 4 GiB; see docs/architectures.md for the others).
 * A zone the arch leaves empty ends where the one below it ends.
 */
uint64_t zone_limit_pfn(const struct hotmem_machine *m, int zid)
{
	const struct arch_profile *p = m->geo.profile;
	uint64_t dma = p->zone_dma_end >> m->geo.page_shift;
	uint64_t dma32 = p->zone_dma32_end >> m->geo.page_shift;

	/* an imported machine's firmware may set other limits */
	if (m->zone_end_pfn_fw[0])
		dma = m->zone_end_pfn_fw[0];
	if (m->zone_end_pfn_fw[1])
		dma32 = m->zone_end_pfn_fw[1];

	if (zid == ZONE_DMA)
		return dma;
	if (zid == ZONE_DMA32)
		return dma32 > dma ? dma32 : dma;
	return UINT64_MAX;
}

void free_area_init(struct hotmem_machine *m)
{
	size_t i;
	int zid;

	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		struct pglist_data *pgdat = &m->nodes[r->nid];
		uint64_t s = r->start_pfn;

		for (zid = ZONE_DMA; zid <= ZONE_NORMAL && s < r->end_pfn; zid++) {
			uint64_t zh = zone_limit_pfn(m, zid);
			uint64_t e = r->end_pfn < zh ? r->end_pfn : zh;
			struct zone *z = &pgdat->zones[zid];

			if (s >= e)
				continue;
			resize_zone_and_pgdat_range(m, r->nid, zid, s, e - s);
			z->present_pages += e - s;
			z->present_early_pages += e - s;
			pgdat->node_present_pages += e - s;
			s = e;
		}
	}
	/*
	 * zone_spanned_pages_in_node: a zone spans the node's whole range
	 * clamped to the zone's limits, holes included (with -m 4G, DMA32
	 * spans 16 MiB..4 GiB although RAM ends at 2 GiB below 4 GiB).
	 */
	for (i = 0; i < m->nr_node_ids; i++) {
		struct pglist_data *pgdat = &m->nodes[i];
		uint64_t ns = pgdat->node_start_pfn;
		uint64_t ne = ns + pgdat->node_spanned_pages;

		if (!pgdat->node_spanned_pages)
			continue;
		for (zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
			uint64_t zl = zid == ZONE_DMA ? 0 : zone_limit_pfn(m, zid - 1);
			uint64_t zh = zone_limit_pfn(m, zid);
			uint64_t zs = ns < zl ? zl : ns > zh ? zh : ns;
			uint64_t ze = ne < zl ? zl : ne > zh ? zh : ne;
			struct zone *z = &pgdat->zones[zid];

			if (ze > zs) {
				z->zone_start_pfn = zs;
				z->spanned_pages = ze - zs;
			}
		}
	}
}

void setup_managed_pages(struct hotmem_machine *m)
{
	unsigned int n;
	int zid;

	for (n = 0; n < m->nr_node_ids; n++)
		for (zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
			struct zone *z = &m->nodes[n].zones[zid];

			z->managed_pages = z->present_pages -
				extents_pages(&m->extents, (int)n, zid, EXTENT_RESERVED);
		}
}
