/*
 * procfs.c - procfs values from the machine (fs/proc/meminfo.c,
 * mm/vmstat.c, drivers/base/node.c); the layouts are procfs_text.c's.
 */
#include "procfs.h"

#include <string.h>

#include "../machine.h"
#include "procfs_text.h"

#define PAGES_TO_KB(m, p) ((p) << ((m)->geo.page_shift - 10))

/* x86-64 4-level: VMALLOC_SIZE_TB 32 -> (32 TiB - 1) in KiB... as printed */
#define X86_64_VMALLOC_TOTAL_KB 34359738367ull

static uint64_t node_managed(const struct hotmem_machine *m, int nid)
{
	uint64_t sum = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		sum += m->nodes[nid].zones[z].managed_pages;
	return sum;
}

static uint64_t node_free(const struct hotmem_machine *m, int nid)
{
	uint64_t sum = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		sum += zone_free_pages(m, nid, z);
	return sum;
}

/* Linear-map page sizes of [start, end) as x86's init_memory_mapping. */
static void direct_map_split(uint64_t start, uint64_t end, uint64_t *k4,
			     uint64_t *m2, uint64_t *g1)
{
	const uint64_t M2 = 2ull << 20, G1 = 1ull << 30;
	uint64_t a = (start + M2 - 1) & ~(M2 - 1), b = end & ~(M2 - 1);
	uint64_t ga = (start + G1 - 1) & ~(G1 - 1), gb = end & ~(G1 - 1);

	if (a >= b) {
		*k4 += end - start;
		return;
	}
	*k4 += (a - start) + (end - b);
	if (ga < gb && ga >= a && gb <= b) {
		*g1 += gb - ga;
		*m2 += (ga - a) + (b - gb);
	} else {
		*m2 += b - a;
	}
}

int procfs_meminfo(struct hotmem_machine *m, struct strbuf *sb)
{
	struct meminfo_values v;
	uint64_t total = totalram_pages(m), k4 = 0, m2 = 0, g1 = 0;
	uint64_t reserve, free_pages;
	size_t i;

	memset(&v, 0, sizeof(v));
	v.mem_total = PAGES_TO_KB(m, total);
	v.mem_free = PAGES_TO_KB(m, global_free_pages(m));
	/*
	 * si_mem_available(): free pages less totalreserve_pages; the model
	 * has no page cache or reclaimable slab to add back.
	 */
	reserve = totalreserve_pages(m);
	free_pages = global_free_pages(m);
	v.mem_available = PAGES_TO_KB(m, free_pages > reserve ? free_pages - reserve : 0);
	/* overcommit_ratio 50, no swap, no hugetlb */
	v.commit_limit = PAGES_TO_KB(m, total * 50 / 100);
	v.vmalloc_total = X86_64_VMALLOC_TOTAL_KB;
	/* HPAGE_SIZE: on every profile the default huge page is a pageblock
	 * (pageblock_order = HUGETLB_PAGE_ORDER, docs/architectures.md) */
	v.hugepagesize = (m->geo.pageblock_nr_pages << m->geo.page_shift) >> 10;
	/* the boot linear map covers the e820 RAM; hot-added memory adds to it */
	for (i = 0; i < m->nr_memblock; i++)
		direct_map_split(PFN_PHYS(m, m->memblock[i].start_pfn),
				 PFN_PHYS(m, m->memblock[i].end_pfn), &k4, &m2, &g1);
	for (i = 0; i < m->iomem.n; i++) {
		const struct resource *r = &m->iomem.v[i];

		/* hot-added System RAM: above the boot RAM */
		if (r->used && (r->flags & IORESOURCE_SYSRAM) &&
		    r->start >= m->device_memory_base && m->device_memory_base)
			direct_map_split(r->start, r->end + 1, &k4, &m2, &g1);
	}
	v.direct_map_4k = k4 >> 10;
	v.direct_map_2m = m2 >> 10;
	v.direct_map_1g = g1 >> 10;
	return procfs_render_meminfo(sb, &v);
}

int procfs_node_meminfo(struct hotmem_machine *m, int nid, struct strbuf *sb)
{
	struct node_meminfo_values v;

	memset(&v, 0, sizeof(v));
	v.nid = nid;
	v.mem_total = PAGES_TO_KB(m, node_managed(m, nid));
	v.mem_free = PAGES_TO_KB(m, node_free(m, nid));
	v.mem_used = v.mem_total - v.mem_free;
	return procfs_render_node_meminfo(sb, &v);
}

/* zone_batchsize (mm/page_alloc.c) */
static int zone_batchsize(const struct hotmem_machine *m, const struct zone *z)
{
	uint64_t batch = z->managed_pages >> 10;
	uint64_t cap = (1ull << 20) >> m->geo.page_shift;
	uint64_t r = 1;

	if (batch > cap)
		batch = cap;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	while (r * 2 <= batch)
		r *= 2;
	return (int)r;
}

int procfs_zoneinfo(struct hotmem_machine *m, struct strbuf *sb)
{
	struct zoneinfo_node_values nodes[MAX_NUMNODES];
	unsigned int n, count = 0, cpus = 0;
	int z, j;

	for (n = 0; n < m->nr_node_ids; n++)
		cpus += m->nodes[n].has_cpu;
	if (!cpus)
		cpus = 1;
	for (n = 0; n < m->nr_node_ids; n++) {
		struct zoneinfo_node_values *nv = &nodes[count];

		if (!m->nodes[n].online)
			continue;
		memset(nv, 0, sizeof(*nv));
		nv->nid = (int)n;
		nv->nr_zones = MAX_NR_ZONES;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &m->nodes[n].zones[z];
			struct zoneinfo_zone_values *zv = &nv->zones[z];

			zv->name = zone_names[z];
			zv->free = zone_free_pages(m, (int)n, z);
			zv->min = zone->watermark[WMARK_MIN];
			zv->low = zone->watermark[WMARK_LOW];
			zv->high = zone->watermark[WMARK_HIGH];
			zv->promo = zone->watermark[WMARK_PROMO];
			zv->spanned = zone->spanned_pages;
			zv->present = zone->present_pages;
			zv->managed = zone->managed_pages;
			for (j = 0; j < MAX_NR_ZONES; j++)
				zv->protection[j] = zone->lowmem_reserve[j];
			zv->start_pfn = zone->zone_start_pfn;
			zv->nr_cpus = cpus;
			zv->pcp_batch = (unsigned int)zone_batchsize(m, zone);
		}
		count++;
	}
	return procfs_render_zoneinfo(sb, nodes, count);
}

int procfs_vmstat(struct hotmem_machine *m, struct strbuf *sb)
{
	struct vmstat_values v;

	memset(&v, 0, sizeof(v));
	v.nr_free_pages = global_free_pages(m);
	v.nr_memmap_pages = (uint64_t)m->nr_memmap_pages;
	v.nr_memmap_boot_pages = (uint64_t)m->nr_memmap_boot_pages;
	return procfs_render_vmstat(sb, &v);
}
