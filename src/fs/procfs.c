/*
 * procfs.c - procfs values from the machine (fs/proc/meminfo.c,
 * mm/vmstat.c, drivers/base/node.c); the layouts are procfs_text.c's.
 */
#include "procfs.h"

#include <errno.h>
#include <string.h>

#include "../machine.h"
#include "procfs_text.h"
#include "../platform/platform.h"

#define PAGES_TO_KB(m, p) ((p) << ((m)->geo.page_shift - 10))

/* arch/x86/include/asm/pgtable_64_types.h: VMALLOC_END = VMALLOC_START +
 * (VMALLOC_SIZE_TB << 40) - 1, VMALLOC_SIZE_TB 32 with 4-level paging and
 * 12800 with 5-level (la57 active); VmallocTotal prints the difference
 * in KiB. Kept for the other arches too (docs/architectures.md). */
#define X86_64_VMALLOC_TOTAL_KB 34359738367ull
#define X86_64_L5_VMALLOC_TOTAL_KB ((12800ull << 30) - 1)
#define PPC64_VMALLOC_TOTAL_KB (1ull << 39)
#define PPC64_HASH_4K_VMALLOC_TOTAL_KB (1ull << 30)

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

/*
 * The default CMA area (kernel/dma/contiguous.c : dma_contiguous_reserve
 * with CONFIG_CMA_SIZE_MBYTES, below the DMA limit; mm/cma.c :
 * cma_declare_contiguous_nid rounds size and base to a pageblock and
 * allocates top-down). Its pages are managed and, since nothing in the
 * model allocates from CMA, free. Returns its pages, 0 if the build has
 * none or the RAM below the limit cannot hold it.
 */
static uint64_t cma_area(const struct hotmem_machine *m, int *nid, int *zid)
{
	const struct arch_profile *p = m->geo.profile;
	uint64_t align = m->geo.pageblock_nr_pages << m->geo.page_shift;
	uint64_t size = (p->cma_bytes + align - 1) & ~(align - 1);
	uint64_t limit = p->zone_dma_end ? p->zone_dma_end :
			 p->zone_dma32_end ? p->zone_dma32_end : UINT64_MAX;
	size_t i;

	if (!size || !(p->kconfig & KCONFIG_CMA))
		return 0;
	for (i = m->nr_memblock; i-- > 0;) {
		uint64_t lo = PFN_PHYS(m, m->memblock[i].start_pfn);
		uint64_t hi = PFN_PHYS(m, m->memblock[i].end_pfn);
		uint64_t top = (hi < limit ? hi : limit) & ~(align - 1);

		/* QEMU loads the kernel, DTB and initrd at the bottom of
		 * RAM: the area must leave room below it */
		if (top < lo || top - lo <= size)
			continue;
		*nid = m->memblock[i].nid;
		*zid = boot_zone_of_pfn(m, PHYS_PFN(m, top - size));
		return size >> m->geo.page_shift;
	}
	return 0;
}

/*
 * DirectMap* (arch_report_meminfo). x86: the boot linear map covers the
 * e820 RAM, hot-added System RAM above the boot RAM adds to it. s390 and
 * ppc64 radix: the boot map of the memblock ranges, plus what each
 * arch_add_memory mapped (memory_hotplug.c : direct_map_account).
 */
static void direct_map(const struct hotmem_machine *m, uint64_t dm[DM_NR])
{
	const struct hm_geometry *g = &m->geo;
	/* probe_page_size_mask: 1G pages only with the CPU's gbpages */
	uint64_t x86_max_map = g->profile->direct_map == DIRECT_MAP_X86 &&
			       !x86_direct_gbpages(m) ? 2ull << 20 : UINT64_MAX;
	size_t i;

	for (i = 0; i < m->nr_memblock; i++) {
		uint64_t s = PFN_PHYS(m, m->memblock[i].start_pfn);
		uint64_t e = PFN_PHYS(m, m->memblock[i].end_pfn);

		switch (g->profile->direct_map) {
		case DIRECT_MAP_S390:
			/* arch/s390/boot/vmem.c : setup_vmem maps the lowcore
			 * (struct lowcore, 8 KiB) apart and the identity map
			 * from its end, so [0, 1M) is 4K pages */
			if (s < 0x2000)
				s = 0x2000;
			/* 1M segments need EDAT-1, 2G region-third
			 * entries EDAT-2: without them, 4K pages only */
			arch_direct_map_split(g, s, e, s390_has_edat(m) ? UINT64_MAX : 0x1000, dm);
			break;
		case DIRECT_MAP_PPC_RADIX:
			/* radix_init_pgtable: pages up to memory_block_size;
			 * the kernel's __srwx_boundary (16M aligned, inside
			 * the first GiB) stops a 1G page there */
			if (s < (1ull << 30)) {
				uint64_t e1 = e < (1ull << 30) ? e : 1ull << 30;

				arch_direct_map_split(g, s, e1, 2ull << 20, dm);
				s = e1;
			}
			arch_direct_map_split(g, s, e, m->block_size, dm);
			break;
		case DIRECT_MAP_X86:
			arch_direct_map_split(g, s, e, x86_max_map, dm);
			break;
		case DIRECT_MAP_NONE:
			return;
		}
	}
	if (g->profile->direct_map != DIRECT_MAP_X86) {
		for (i = 0; i < DM_NR; i++)
			dm[i] += m->direct_map_hot[i];
		return;
	}
	for (i = 0; i < m->iomem.n; i++) {
		const struct resource *r = &m->iomem.v[i];

		/* hot-added System RAM: above the boot RAM */
		if (r->used && (r->flags & IORESOURCE_SYSRAM) &&
		    r->start >= m->device_memory_base && m->device_memory_base)
			arch_direct_map_split(g, r->start, r->end + 1,
					      x86_max_map, dm);
	}
}

int procfs_meminfo(struct hotmem_machine *m, struct strbuf *sb)
{
	struct meminfo_values v;
	uint64_t total = totalram_pages(m), dm[DM_NR] = { 0 }, cma;
	uint64_t reserve = totalreserve_pages(m), free_pages = global_free_pages(m);
	int cma_nid, cma_zid;

	memset(&v, 0, sizeof(v));
	v.kconfig = m->geo.profile->kconfig;
	v.direct_map = m->geo.profile->direct_map;
	v.mem_total = PAGES_TO_KB(m, total);
	v.mem_free = PAGES_TO_KB(m, free_pages);
	/*
	 * si_mem_available(): free pages less totalreserve_pages; the model
	 * has no page cache or reclaimable slab to add back.
	 */
	v.mem_available = PAGES_TO_KB(m, free_pages > reserve ? free_pages - reserve : 0);
	/* overcommit_ratio 50, no swap, no hugetlb */
	v.commit_limit = PAGES_TO_KB(m, total * 50 / 100);
	v.vmalloc_total = !strcmp(m->geo.profile->mmu, "5-level") ? X86_64_L5_VMALLOC_TOTAL_KB :
			  /* book3s64: RADIX_VMALLOC_SIZE, and H_VMALLOC_SIZE with 64K
			   * pages, 512 TiB; hash with 4K pages 1 TiB (observed) */
			  strcmp(m->geo.profile->family, "ppc64") ? X86_64_VMALLOC_TOTAL_KB :
			  !strcmp(m->geo.profile->mmu, "radix") || m->geo.page_shift == 16 ?
			  PPC64_VMALLOC_TOTAL_KB : PPC64_HASH_4K_VMALLOC_TOTAL_KB;
	/* HPAGE_SIZE: on every profile the default huge page is a pageblock
	 * (pageblock_order = HUGETLB_PAGE_ORDER, docs/architectures.md) */
	v.hugepagesize = (m->geo.pageblock_nr_pages << m->geo.page_shift) >> 10;
	v.no_hugetlb = !hugepages_supported(m);
	cma = cma_area(m, &cma_nid, &cma_zid);
	v.cma_total = v.cma_free = PAGES_TO_KB(m, cma);
	direct_map(m, dm);
	v.no_direct_map_1g = m->geo.profile->direct_map == DIRECT_MAP_X86 &&
			     !x86_direct_gbpages(m);
	v.direct_map_4k = dm[DM_4K] >> 10;
	v.direct_map_64k = dm[DM_64K] >> 10;
	v.direct_map_1m = dm[DM_1M] >> 10;
	v.direct_map_2m = dm[DM_2M] >> 10;
	v.direct_map_1g = dm[DM_1G] >> 10;
	v.direct_map_2g = dm[DM_2G] >> 10;
	return procfs_render_meminfo(sb, &v);
}

int procfs_node_meminfo(struct hotmem_machine *m, int nid, struct strbuf *sb)
{
	struct node_meminfo_values v;

	memset(&v, 0, sizeof(v));
	v.nid = nid;
	v.kconfig = m->geo.profile->kconfig;
	v.mem_total = PAGES_TO_KB(m, node_managed(m, nid));
	v.mem_free = PAGES_TO_KB(m, node_free(m, nid));
	v.mem_used = v.mem_total - v.mem_free;
	v.no_hugetlb = !hugepages_supported(m);
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
	uint64_t cma;
	int z, j, cma_nid = -1, cma_zid = -1;

	cma = cma_area(m, &cma_nid, &cma_zid);
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
		nv->kconfig = m->geo.profile->kconfig;
		/* every zone of the build, populated or not (mm/vmstat.c :
		 * zoneinfo_show walks all of a node's zones) */
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &m->nodes[n].zones[z];
			struct zoneinfo_zone_values *zv;
			unsigned int k = 0;

			if (!geometry_has_zone(&m->geo, z))
				continue;
			zv = &nv->zones[nv->nr_zones++];

			zv->name = zone_names[z];
			zv->free = zone_free_pages(m, (int)n, z);
			zv->min = zone->watermark[WMARK_MIN];
			zv->low = zone->watermark[WMARK_LOW];
			zv->high = zone->watermark[WMARK_HIGH];
			zv->promo = zone->watermark[WMARK_PROMO];
			zv->spanned = zone->spanned_pages;
			zv->present = zone->present_pages;
			zv->managed = zone->managed_pages;
			/* lowmem_reserve over the build's zones only; the
			 * model's absent zones are empty and reserve 0 */
			for (j = 0; j < MAX_NR_ZONES; j++)
				if (geometry_has_zone(&m->geo, j))
					zv->protection[k++] = zone->lowmem_reserve[j];
			if ((int)n == cma_nid && z == cma_zid)
				zv->cma = cma;
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
	struct procfs_stat cma;
	int nid, zid;

	memset(&v, 0, sizeof(v));
	v.kconfig = m->geo.profile->kconfig;
	cma.name = "nr_free_cma";
	cma.value = cma_area(m, &nid, &zid);
	v.stats = &cma;
	v.nr_stats = 1;
	v.nr_free_pages = global_free_pages(m);
	v.nr_memmap_pages = (uint64_t)m->nr_memmap_pages;
	v.nr_memmap_boot_pages = (uint64_t)m->nr_memmap_boot_pages;
	return procfs_render_vmstat(sb, &v);
}

/* ---- /proc/buddyinfo (mm/vmstat.c : frag_show, frag_show_print) ------- */

struct buddy_count {
	unsigned int max_order;
	uint64_t nr_free[24];
};

/*
 * A free run as the buddy allocator holds it: memblock_free_all
 * (__free_pages_memory) and online_pages_range free memory in blocks of
 * order min(MAX_PAGE_ORDER, __ffs(pfn)), shrunk to fit, and freeing
 * merges buddies, so a run of free pages ends up as these blocks. The
 * model keeps no per-CPU lists and no history of splits: this is the
 * buddy state of its free runs, fully merged.
 */
static int buddy_count_run(void *ctx, uint64_t lo, uint64_t end)
{
	struct buddy_count *b = ctx;

	while (lo < end) {
		unsigned int order = b->max_order;

		if (lo && (unsigned int)__builtin_ctzll(lo) < order)
			order = (unsigned int)__builtin_ctzll(lo);
		while (lo + (1ull << order) > end)
			order--;
		b->nr_free[order]++;
		lo += 1ull << order;
	}
	return 0;
}

int procfs_buddyinfo(struct hotmem_machine *m, struct strbuf *sb)
{
	unsigned int n, o;
	int z, ret = 0;

	/* for_each_online_pgdat, populated zones only (walk_zones_in_node) */
	for (n = 0; n < m->nr_node_ids; n++) {
		if (!m->nodes[n].online)
			continue;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct buddy_count b = { .max_order = m->geo.max_page_order };

			if (!populated_zone(&m->nodes[n].zones[z]))
				continue;
			zone_free_ranges(m, (int)n, z, buddy_count_run, &b);
			ret |= sb_printf(sb, "Node %u, zone %8s ", n, zone_names[z]);
			for (o = 0; o <= b.max_order; o++)
				ret |= sb_printf(sb, "%6llu ", (unsigned long long)b.nr_free[o]);
			ret |= sb_puts(sb, "\n");
		}
	}
	return ret ? -ENOMEM : 0;
}
