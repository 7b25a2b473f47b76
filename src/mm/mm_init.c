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

/* ADAPT_SCALE_*: one more scale step per factor 4 above 64 GiB */
#define ADAPT_SCALE_BASE	(64ull << 30)
#define ADAPT_SCALE_SHIFT	2
#define HASH_BUCKET_BYTES	8ull	/* struct hlist_bl_head, struct hlist_head */

/*
 * The bytes alloc_large_system_hash() takes for a table with one bucket
 * per 2^scale bytes of the memory free at free_area_init()
 * (nr_kernel_pages; no highmem on 64-bit, so nr_all_pages too), rounded
 * up to a power of two of buckets, at most 1/16 of that memory.
 */
static uint64_t large_system_hash_bytes(const struct hotmem_machine *m,
					uint64_t nr_kernel_pages, unsigned int scale)
{
	unsigned int page_shift = m->geo.page_shift;
	uint64_t per_mib = (1ull << 20) >> page_shift;
	uint64_t n = nr_kernel_pages, adapt, entries = 1, max;

	if (per_mib > 1)
		n = (n + per_mib - 1) / per_mib * per_mib;
	for (adapt = ADAPT_SCALE_BASE >> page_shift; adapt < n; adapt <<= ADAPT_SCALE_SHIFT)
		scale++;
	n = scale > page_shift ? n >> (scale - page_shift) : n << (page_shift - scale);
	if (n * HASH_BUCKET_BYTES < m->geo.page_size)
		n = m->geo.page_size / HASH_BUCKET_BYTES;
	while (entries < n)
		entries <<= 1;
	max = (nr_kernel_pages << page_shift >> 4) / HASH_BUCKET_BYTES;
	if (max > 0x80000000ull)
		max = 0x80000000ull;
	while (entries > max && entries > 1)
		entries >>= 1;
	return entries * HASH_BUCKET_BYTES;
}

int vfs_caches_init_early(struct hotmem_machine *m)
{
	/* dcache_init_early (scale 13), inode_init_early (scale 14) */
	static const unsigned int scales[] = { 13, 14 };
	uint64_t ram = 0, reserved = 0, pages;
	int nid = -1;
	bool hashdist = false;
	size_t i;
	int ret = 0;

	for (i = 0; i < m->nr_memblock; i++) {
		ram += m->memblock[i].end_pfn - m->memblock[i].start_pfn;
		/* fixup_hashdist: spread (vmalloc) only with two memory nodes */
		if (nid >= 0 && m->memblock[i].nid != nid)
			hashdist = true;
		nid = m->memblock[i].nid;
	}
	if (hashdist || nid < 0)
		return 0;
	for (i = 0; i < m->extents.n; i++)
		reserved += m->extents.v[i].nr;
	pages = ram > reserved ? ram - reserved : 0;
	for (i = 0; i < sizeof(scales) / sizeof(scales[0]) && !ret; i++) {
		uint64_t bytes = large_system_hash_bytes(m, pages, scales[i]);

		/* memblock_alloc(): top-down, anywhere */
		ret = memblock_reserve_top_down(m, nid,
						(bytes + m->geo.page_size - 1) >> m->geo.page_shift);
	}
	return ret;
}
