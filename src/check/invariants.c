/*
 * invariants.c - the whole-machine consistency check (invariants.h,
 * docs/invariants.md).
 *
 * Each invariant recomputes a counter or a relation from the parts the
 * machine is made of (memory blocks, sections and their sub-section
 * maps, vmemmap units, extents, resources, DIMMs) and compares it with
 * what the machine keeps. The recomputation goes the other way round
 * from the code that maintains the counter (sums over parts instead of
 * increments per operation), so a missed or doubled update shows.
 *
 * ZONE_DEVICE memory, nvdimm, dax/kmem and s390 standby increments are
 * checked by invariants_device.c; here they only widen what a section,
 * the direct map or an altmap-backed vmemmap unit may legitimately hold.
 */
#include "invariants_int.h"
#include "../import/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>


void violation(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->count++ >= CHECK_MAX_REPORTS)
		return;
	va_start(ap, fmt);
	if (sb_vprintf(c->why, fmt, ap) || sb_puts(c->why, "\n"))
		c->oom = true;
	va_end(ap);
}

static const char *zname(int z)
{
	return z >= 0 && z < MAX_NR_ZONES ? zone_names[z] : "?";
}

/* Index of the block with this id, or nr_blocks. */
static size_t block_index(const struct hotmem_machine *m, uint64_t id)
{
	size_t lo = 0, hi = m->nr_blocks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->blocks[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nr_blocks && m->blocks[lo]->id == id ? lo : m->nr_blocks;
}

static bool memblock_intersects(const struct hotmem_machine *m, uint64_t s,
				uint64_t e)
{
	size_t i;

	for (i = 0; i < m->nr_memblock; i++)
		if (m->memblock[i].start_pfn < e && m->memblock[i].end_pfn > s)
			return true;
	return false;
}

static void attribute(struct checker *c, const struct memory_block *mem,
		      uint64_t pfn, uint64_t nr, int nid, int zid)
{
	struct zone_acc *a;

	if (nid < 0 || (unsigned int)nid >= c->m->nr_node_ids || zid < 0 ||
	    zid >= MAX_NR_ZONES) {
		violation(c, "block-zone: memory%llu: online pfns %#llx+%llu have no zone (node %d, zone %d)",
			  ull(mem->id), ull(pfn), ull(nr), nid, zid);
		return;
	}
	a = &c->acc[nid][zid];
	a->present += nr;
	if (mem->early)
		a->early += nr;
	if (!a->any || pfn < a->first)
		a->first = pfn;
	if (!a->any || pfn + nr > a->end)
		a->end = pfn + nr;
	a->any = true;
}

/*
 * An online block's present pages by (node, zone): a hot-added block is
 * all RAM in mem->zone; a boot block is its memblock RAM, and the zone
 * and node of a block without a single zone are those of each pfn.
 */
static void attribute_block(struct checker *c, const struct memory_block *mem)
{
	const struct hotmem_machine *m = c->m;
	uint64_t start = memory_block_start_pfn(m, mem), end = start + m->pages_per_block;
	uint64_t step = m->geo.pages_per_subsection;
	size_t i;

	if (!mem->early) {
		attribute(c, mem, start, m->pages_per_block, mem->nid, mem->zone);
		if (mem->has_altmap && mem->zone >= 0 && mem->nid >= 0 &&
		    (unsigned int)mem->nid < m->nr_node_ids)
			c->acc[mem->nid][mem->zone].vmemmap += mem->altmap.free;
		return;
	}
	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t s = r->start_pfn > start ? r->start_pfn : start;
		uint64_t e = r->end_pfn < end ? r->end_pfn : end;

		if (s >= e)
			continue;
		if (mem->zone >= 0 && !mem->multi_node) {
			if (r->nid != mem->nid)
				violation(c, "block-node: memory%llu: RAM of node %d in a block of node %d",
					  ull(mem->id), r->nid, mem->nid);
			attribute(c, mem, s, e - s, r->nid, mem->zone);
			continue;
		}
		while (s < e) {
			uint64_t ce = ((s / step) + 1) * step;
			int nid = -1, zid;

			if (ce > e)
				ce = e;
			zid = page_zonenum(m, s, &nid);
			attribute(c, mem, s, ce - s, nid, zid);
			s = ce;
		}
	}
}

/* Is pfn in a resource of driver-managed System RAM ("System RAM (kmem)")? */
static bool driver_managed(const struct hotmem_machine *m, uint64_t pfn)
{
	uint64_t a = PFN_PHYS(m, pfn);
	size_t i;

	for (i = 0; i < m->iomem.n; i++) {
		const struct resource *r = &m->iomem.v[i];

		if (r->used && (r->flags & IORESOURCE_SYSRAM_DRIVER_MANAGED) &&
		    r->start <= a && a <= r->end)
			return true;
	}
	return false;
}

struct group_acc {
	unsigned int nr_blocks;
	uint64_t kernel, movable;
};

static void check_block_sections(struct checker *c, const struct memory_block *mem)
{
	const struct hotmem_machine *m = c->m;
	const struct hm_geometry *g = &m->geo;
	uint64_t start = memory_block_start_pfn(m, mem);
	uint64_t first = pfn_to_section_nr(g, start), snr;

	for (snr = first; snr < first + m->sections_per_block; snr++) {
		const struct mem_section *ms = nr_to_section(&m->sparse, g, snr);
		const uint64_t *map = section_subsection_map(&m->sparse, g, snr);
		uint64_t spfn = section_nr_to_pfn(g, snr), b;
		/* a boot section may also hold device sub-sections (pmem next to RAM) */
		bool want_present = !mem->early ||
			memblock_intersects(m, spfn, spfn + g->pages_per_section) ||
			pgmap_meets(m, spfn, spfn + g->pages_per_section);

		if (present_section(ms) != want_present) {
			violation(c, "section-present: section %llu of memory%llu: present=%d, want %d",
				  ull(snr), ull(mem->id), present_section(ms), want_present);
			continue;
		}
		if (!want_present)
			continue;
		/* a boot block may span device-only sections (pmem next to RAM) */
		if (mem->early && !memblock_intersects(m, spfn, spfn + g->pages_per_section)) {
			check_device_sections(c, snr);
			continue;
		}
		if (!valid_section(ms))
			violation(c, "section-memmap: section %llu of memory%llu is present without a memmap",
				  ull(snr), ull(mem->id));
		if (early_section(ms) != mem->early)
			violation(c, "section-early: section %llu: early=%d but memory%llu early=%d",
				  ull(snr), early_section(ms), ull(mem->id), mem->early);
		if (online_section(ms) != (mem->state == MEM_ONLINE))
			violation(c, "section-online: section %llu: online bit %d but memory%llu is %s",
				  ull(snr), online_section(ms), ull(mem->id),
				  mem->state == MEM_ONLINE ? "online" : "offline");
		if (!mem->early && ms->nid != mem->nid)
			violation(c, "section-node: section %llu: nid %d but memory%llu is on node %d",
				  ull(snr), ms->nid, ull(mem->id), mem->nid);
		if (!map)
			continue;
		/* a sub-section is populated exactly where there is RAM or a pgmap */
		for (b = 0; b < g->subsections_per_section; b++) {
			uint64_t p = spfn + b * g->pages_per_subsection;
			bool want = !mem->early ||
				memblock_intersects(m, p, p + g->pages_per_subsection) ||
				pgmap_meets(m, p, p + g->pages_per_subsection);
			bool have = (map[b / 64] >> (b % 64)) & 1;

			if (want != have) {
				violation(c, "subsection-map: section %llu sub-section %llu of memory%llu: bit %d, want %d",
					  ull(snr), ull(b), ull(mem->id), have, want);
				break;
			}
		}
	}
}

static void check_block_pageblocks(struct checker *c, const struct memory_block *mem)
{
	const struct hotmem_machine *m = c->m;
	uint64_t start = memory_block_start_pfn(m, mem), pfn;
	uint64_t vm = mem->has_altmap ? mem->altmap.free : 0;

	if (mem->early || mem->state != MEM_ONLINE)
		return;
	for (pfn = start; pfn < start + m->pages_per_block; pfn += m->geo.pageblock_nr_pages) {
		enum migratetype want = pfn < start + vm ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE;
		enum migratetype got = get_pageblock_migratetype(m, pfn);

		if (got != want) {
			violation(c, "pageblock-migratetype: memory%llu pfn %#llx: migratetype %d, want %d",
				  ull(mem->id), ull(pfn), (int)got, (int)want);
			return;
		}
	}
}

/* A block of an enabled pseries DIMM, which DLPAR adds without a group
 * or firmware node. */
static bool dlpar_block(const struct hotmem_machine *m, const struct memory_block *mem)
{
	uint64_t a = (uint64_t)mem->id * m->block_size;
	size_t i;

	for (i = 0; i < m->nr_dimms; i++) {
		const struct acpi_memory_device *d = &m->dimms[i];

		if (d->used && d->dlpar && d->enabled && mem->group < 0 &&
		    a >= d->addr && a + m->block_size <= d->addr + d->size)
			return true;
	}
	return false;
}

static void check_blocks(struct checker *c, struct group_acc *gacc)
{
	const struct hotmem_machine *m = c->m;
	size_t i;

	if (m->nr_blocks > m->alloc_blocks)
		violation(c, "blocks-vector: %zu blocks in room for %zu", m->nr_blocks,
			  m->alloc_blocks);
	for (i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *mem = m->blocks[i];
		uint64_t start = memory_block_start_pfn(m, mem);

		if (i && m->blocks[i - 1]->id >= mem->id)
			violation(c, "blocks-sorted: memory%llu follows memory%llu",
				  ull(mem->id), ull(m->blocks[i - 1]->id));
		if (mem->state != MEM_ONLINE && mem->state != MEM_OFFLINE) {
			violation(c, "block-state: memory%llu: state %d between operations",
				  ull(mem->id), mem->state);
			continue;
		}
		if (mem->state == MEM_OFFLINE && mem->zone != -1)
			violation(c, "block-zone: memory%llu is offline but keeps zone %s",
				  ull(mem->id), zname(mem->zone));
		if (mem->state == MEM_ONLINE && !mem->early && mem->zone < 0)
			violation(c, "block-zone: hot-added memory%llu is online without a zone",
				  ull(mem->id));
		if (mem->nid < 0 || (unsigned int)mem->nid >= m->nr_node_ids) {
			violation(c, "block-node: memory%llu: nid %d outside 0..%u",
				  ull(mem->id), mem->nid, m->nr_node_ids - 1);
			continue;
		}
		if (!(mem->node_mask >> mem->nid & 1))
			violation(c, "block-node: memory%llu: nid %d not among its node links %#llx",
				  ull(mem->id), mem->nid, ull(mem->node_mask));
		if (mem->multi_node != (__builtin_popcountll(mem->node_mask) > 1))
			violation(c, "block-node: memory%llu: multi_node=%d with node links %#llx",
				  ull(mem->id), mem->multi_node, ull(mem->node_mask));
		if (!mem->early && mem->node_mask != 1ull << mem->nid)
			violation(c, "block-node: hot-added memory%llu linked to nodes %#llx",
				  ull(mem->id), ull(mem->node_mask));
		if (!m->nodes[mem->nid].online)
			violation(c, "block-node: memory%llu on node %d, which is offline",
				  ull(mem->id), mem->nid);
		check_block_sections(c, mem);
		check_block_pageblocks(c, mem);

		if (mem->group >= 0) {
			const struct memory_group *g = (size_t)mem->group < m->nr_groups ?
						       &m->groups[mem->group] : NULL;

			if (!g || !g->used) {
				violation(c, "block-group: memory%llu in group %d, which does not exist",
					  ull(mem->id), mem->group);
			} else {
				if (g->nid != mem->nid)
					violation(c, "block-group: memory%llu on node %d in group %d of node %d",
						  ull(mem->id), mem->nid, mem->group, g->nid);
				gacc[mem->group].nr_blocks++;
				if (mem->state == MEM_ONLINE && mem->zone == ZONE_MOVABLE)
					gacc[mem->group].movable += m->pages_per_block;
				else if (mem->state == MEM_ONLINE)
					gacc[mem->group].kernel += m->pages_per_block;
			}
		}
		if (mem->acpi_device >= 0) {
			const struct acpi_memory_device *d = (size_t)mem->acpi_device < m->nr_dimms ?
							     &m->dimms[mem->acpi_device] : NULL;
			uint64_t a = PFN_PHYS(m, start);

			if (!d || !d->used || !d->enabled || a < d->addr ||
			    a + m->block_size > d->addr + d->size || d->group != mem->group)
				violation(c, "block-dimm: memory%llu bound to ACPI device %d, which does not hold it",
					  ull(mem->id), mem->acpi_device);
		} else if (!mem->early && !driver_managed(m, start) &&
			   !sclp_standby_block(m, start) && !dlpar_block(m, mem) &&
			   !import_block_hot_added(m, mem->id)) {
			/* memory a driver adds (dax/kmem, s390 sclp standby) has
			 * no DIMM; firmware RAM does; an imported machine's
			 * memory hot-added before the capture has none either */
			violation(c, "block-dimm: hot-added memory%llu belongs to no DIMM",
				  ull(mem->id));
		}
		if (mem->has_altmap) {
			const struct vmem_altmap *am = &mem->altmap;

			if (mem->early || am->base_pfn != start ||
			    am->end_pfn != start + m->pages_per_block - 1 ||
			    am->free != memory_block_memmap_on_memory_pages(m))
				violation(c, "altmap-shape: memory%llu: base %#llx end %#llx free %llu (block %#llx, %llu pages of memmap)",
					  ull(mem->id), ull(am->base_pfn), ull(am->end_pfn),
					  ull(am->free), ull(start),
					  ull(memory_block_memmap_on_memory_pages(m)));
			if (am->reserve + am->alloc + am->align > am->reserve + am->free)
				violation(c, "altmap-bounds: memory%llu: alloc %llu + align %llu > free %llu",
					  ull(mem->id), ull(am->alloc), ull(am->align), ull(am->free));
		}
		if (!mem->early && system_ram_pages(&m->iomem, start, start + m->pages_per_block,
						    m->geo.page_shift) != m->pages_per_block)
			violation(c, "block-resource: memory%llu is not covered by one System RAM resource",
				  ull(mem->id));
		if (mem->state == MEM_ONLINE)
			attribute_block(c, mem);
	}
}

static void check_sections_outside_blocks(struct checker *c)
{
	const struct hotmem_machine *m = c->m;
	const struct hm_geometry *g = &m->geo;
	unsigned int w;
	const struct mem_section *ms;
	uint64_t snr;

	for (snr = 0; (ms = sparse_next_section(&m->sparse, g, &snr)); snr++) {
		const uint64_t *map = section_subsection_map(&m->sparse, g, snr);
		bool any = ms->flags != 0;

		for (w = 0; w < g->subsection_words && !any; w++)
			any = map[w] != 0;
		if (!any)
			continue;
		if (present_section(ms) && (!m->sparse.any_present ||
					    snr > m->sparse.highest_present_section_nr))
			violation(c, "section-highest: section %llu is present above highest_present_section_nr %llu",
				  ull(snr), ull(m->sparse.highest_present_section_nr));
		if (find_memory_block_by_pfn(m, section_nr_to_pfn(g, snr)))
			continue;
		if (pgmap_meets(m, section_nr_to_pfn(g, snr),
				section_nr_to_pfn(g, snr + 1)))
			check_device_sections(c, snr);
		else
			violation(c, "section-orphan: section %llu (flags %#x) belongs to no memory block",
				  ull(snr), ms->flags);
	}
}

/* Position of the extent holding pfn, or ev->n. */
static size_t extent_at(const struct extent_vec *ev, uint64_t pfn)
{
	size_t lo = 0, hi = ev->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ev->v[mid].pfn + ev->v[mid].nr <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ev->n && ev->v[lo].pfn <= pfn ? lo : ev->n;
}

static void check_extents(struct checker *c, uint64_t *kernel_pages)
{
	const struct hotmem_machine *m = c->m;
	const struct extent_vec *ev = &m->extents;
	size_t i;

	*kernel_pages = 0;
	for (i = 0; i < ev->n; i++) {
		const struct page_extent *e = &ev->v[i];
		uint64_t pfn, end = e->pfn + e->nr;

		if (!e->nr || e->zone >= MAX_NR_ZONES || e->nid < 0 ||
		    (unsigned int)e->nid >= m->nr_node_ids ||
		    (e->kind != EXTENT_RESERVED && e->kind != EXTENT_KERNEL &&
		     e->kind != EXTENT_CMA)) {
			violation(c, "extent-shape: extent %#llx+%llu: kind %d node %d zone %d",
				  ull(e->pfn), ull(e->nr), e->kind, e->nid, e->zone);
			continue;
		}
		if (i && ev->v[i - 1].pfn + ev->v[i - 1].nr > e->pfn)
			violation(c, "extent-order: extent %#llx+%llu overlaps or precedes its predecessor",
				  ull(e->pfn), ull(e->nr));
		if (e->kind == EXTENT_KERNEL)
			*kernel_pages += e->nr;
		/* in use means inside online RAM of the extent's node and zone */
		for (pfn = e->pfn; pfn < end;) {
			const struct memory_block *mem = find_memory_block_by_pfn(m, pfn);
			uint64_t bend = (pfn / m->pages_per_block + 1) * m->pages_per_block;
			uint64_t last = (bend < end ? bend : end) - 1;
			int n1 = -1, n2 = -1;

			if (!mem || mem->state != MEM_ONLINE ||
			    page_zonenum(m, pfn, &n1) != e->zone || n1 != e->nid ||
			    page_zonenum(m, last, &n2) != e->zone || n2 != e->nid) {
				violation(c, "extent-placement: %s extent %#llx+%llu (node %d %s) lies outside online RAM of its zone at pfn %#llx",
					  e->kind == EXTENT_KERNEL ? "kernel" :
					  e->kind == EXTENT_CMA ? "cma" : "reserved",
					  ull(e->pfn), ull(e->nr), e->nid, zname(e->zone), ull(pfn));
				break;
			}
			if (mem->has_altmap &&
			    pfn < memory_block_start_pfn(m, mem) + vmem_altmap_offset(&mem->altmap)) {
				violation(c, "extent-placement: extent %#llx+%llu inside the memmap of memory%llu",
					  ull(e->pfn), ull(e->nr), ull(mem->id));
				break;
			}
			pfn = last + 1;
		}
	}
}

/* Units, their references and their backing (mm/sparse-vmemmap.c). */
static void check_vmemmap(struct checker *c, uint64_t kernel_pages)
{
	const struct hotmem_machine *m = c->m;
	const struct hm_geometry *g = &m->geo;
	const struct vmemmap *vm = &m->vmemmap;
	uint64_t *refs, *altmap_alloc, *pgmap_alloc = NULL, i, nunits = 0, node_pages = 0, memmap = 0;
	uint64_t boot_memmap = 0, boot_used;
	const struct mem_section *ms;
	uint64_t snr;

	refs = calloc(vm->nr_slots ? vm->nr_slots : 1, sizeof(*refs));
	altmap_alloc = calloc(m->nr_blocks ? m->nr_blocks : 1, sizeof(*altmap_alloc));
	pgmap_alloc = calloc(m->nr_pgmaps ? m->nr_pgmaps : 1, sizeof(*pgmap_alloc));
	if (!refs || !altmap_alloc || !pgmap_alloc) {
		c->oom = true;
		goto out;
	}
	for (i = 0; i < vm->nr_slots; i++) {
		const struct vmemmap_unit *u = &vm->slots[i];
		uint64_t pages;

		if (!u->used)
			continue;
		nunits++;
		pages = 1ull << (u->shift - g->page_shift);
		if ((u->shift != g->page_shift && u->shift != g->pmd_shift &&
		     u->shift != geometry_vmemmap_unit_shift(g)) ||
		    (u->start & ((1ull << u->shift) - 1)) || !u->refs) {
			violation(c, "vmemmap-unit: unit at %#llx: shift %u refs %u",
				  ull(u->start), u->shift, u->refs);
			continue;
		}
		if (vmemmap_lookup(vm, u->start) != u)
			violation(c, "vmemmap-hash: unit at %#llx cannot be found by its key",
				  ull(u->start));
		if (u->shift == g->page_shift) {
			const struct vmemmap_unit *pmd =
				vmemmap_lookup(vm, u->start & ~((1ull << g->pmd_shift) - 1));

			if (pmd && pmd->shift == g->pmd_shift)
				violation(c, "vmemmap-one-source: base page at %#llx inside a PMD unit",
					  ull(u->start));
		}
		if (u->source == VMEMMAP_FROM_NODE) {
			size_t x = extent_at(&m->extents, u->backing_pfn);
			const struct page_extent *e = x < m->extents.n ? &m->extents.v[x] : NULL;

			node_pages += pages;
			if (!e || e->kind != EXTENT_KERNEL || e->nid != u->backing_nid ||
			    e->pfn + e->nr < u->backing_pfn + pages)
				violation(c, "vmemmap-backing: unit at %#llx: %llu pages at pfn %#llx on node %d are not a kernel allocation",
					  ull(u->start), ull(pages), ull(u->backing_pfn), u->backing_nid);
		} else if (u->source == VMEMMAP_FROM_ALTMAP) {
			const struct memory_block *mem = find_memory_block_by_pfn(m, u->backing_pfn);
			const struct dev_pagemap *pg = pgmap_altmap_at(m, u->backing_pfn);
			uint64_t base;

			if (pg && (!mem || !mem->has_altmap)) {
				const struct vmem_altmap *am = &pg->altmap;

				base = am->base_pfn + am->reserve;
				if (u->backing_pfn + pages > base + am->free)
					violation(c, "altmap-bounds: unit at %#llx: pfn %#llx+%llu outside the altmap of pgmap %td",
						  ull(u->start), ull(u->backing_pfn), ull(pages),
						  pg - m->pgmaps);
				pgmap_alloc[pg - m->pgmaps] += pages;
				continue;
			}
			if (!mem || !mem->has_altmap) {
				violation(c, "vmemmap-backing: unit at %#llx: altmap pages at pfn %#llx outside any altmap",
					  ull(u->start), ull(u->backing_pfn));
				continue;
			}
			base = mem->altmap.base_pfn + mem->altmap.reserve;
			if (u->backing_pfn < base ||
			    u->backing_pfn + pages > base + mem->altmap.free)
				violation(c, "altmap-bounds: unit at %#llx: pfn %#llx+%llu outside the altmap of memory%llu [%#llx+%llu)",
					  ull(u->start), ull(u->backing_pfn), ull(pages),
					  ull(mem->id), ull(base), ull(mem->altmap.free));
			altmap_alloc[block_index(m, mem->id)] += pages;
		} else {
			violation(c, "vmemmap-unit: unit at %#llx has no source", ull(u->start));
		}
	}
	if (nunits != vm->nr_units)
		violation(c, "vmemmap-count: nr_units %llu, %llu units in the table",
			  ull(vm->nr_units), ull(nunits));

	/* walk the populated sub-sections of hot-added sections */
	for (snr = 0; (ms = sparse_next_section(&m->sparse, g, &snr)); snr++) {
		const uint64_t *map = section_subsection_map(&m->sparse, g, snr);
		uint64_t b, nsub = 0;

		if (!valid_section(ms))
			continue;
		if (early_section(ms)) {
			boot_memmap += memmap_pages(g, g->pages_per_section);
			continue;
		}
		for (b = 0; b < g->subsections_per_section; b++) {
			uint64_t pfn = section_nr_to_pfn(g, snr) + b * g->pages_per_subsection;
			uint64_t off = pfn * g->struct_page_size;
			uint64_t vend = (pfn + g->pages_per_subsection) * g->struct_page_size;

			if (!((map[b / 64] >> (b % 64)) & 1))
				continue;
			nsub++;
			while (off < vend) {
				const struct vmemmap_unit *u = NULL;
				unsigned int shifts[3] = {
					geometry_vmemmap_unit_shift(g), g->pmd_shift,
					g->page_shift
				}, boot_shift = 0, si;

				/* the largest unit that maps off wins; a unit
				 * holding boot memmap is reused unrecorded */
				for (si = 0; si < 3 && !u; si++) {
					uint64_t key = off & ~((1ull << shifts[si]) - 1);

					u = vmemmap_lookup(vm, key);
					if (u && u->shift != shifts[si])
						u = NULL;
					if (!u && !boot_shift &&
					    vmemmap_unit_has_boot_memmap(m, key, shifts[si]))
						boot_shift = shifts[si];
				}
				if (!u && boot_shift) {
					off = (off & ~((1ull << boot_shift) - 1)) +
					      (1ull << boot_shift);
					continue;
				}
				if (!u) {
					violation(c, "vmemmap-missing: section %llu sub-section %llu is populated but its memmap at %#llx is not mapped",
						  ull(snr), ull(b), ull(off));
					break;
				}
				refs[u - vm->slots]++;
				off = u->start + (1ull << u->shift);
			}
		}
		memmap += nsub == g->subsections_per_section ?
			  memmap_pages(g, g->pages_per_section) :
			  nsub * memmap_pages(g, g->pages_per_subsection);
	}
	for (i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].used && vm->slots[i].refs != refs[i])
			violation(c, "vmemmap-refs: unit at %#llx: refs %u, %llu populated sub-sections use it",
				  ull(vm->slots[i].start), vm->slots[i].refs, ull(refs[i]));
	for (i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *mem = m->blocks[i];

		if (mem->has_altmap && mem->altmap.alloc != altmap_alloc[i])
			violation(c, "altmap-alloc: memory%llu: altmap alloc %llu, units hold %llu pages",
				  ull(mem->id), ull(mem->altmap.alloc), ull(altmap_alloc[i]));
	}
	check_pgmaps(c, pgmap_alloc);
	if ((int64_t)memmap != m->nr_memmap_pages)
		violation(c, "memmap-pages: nr_memmap_pages %lld, populated hot-added and device sub-sections need %llu",
			  (long long)m->nr_memmap_pages, ull(memmap));
	if ((int64_t)boot_memmap != m->nr_memmap_boot_pages)
		violation(c, "memmap-boot-pages: nr_memmap_boot_pages %lld, early sections hold %llu",
			  (long long)m->nr_memmap_boot_pages, ull(boot_memmap));
	boot_used = (m->cfg.boot_used_kb << 10) >> g->page_shift;
	if (kernel_pages != node_pages + boot_used)
		violation(c, "extents-kernel: %llu pages of kernel allocations, want %llu of memmap + %llu used at boot",
			  ull(kernel_pages), ull(node_pages), ull(boot_used));
out:
	free(refs);
	free(altmap_alloc);
	free(pgmap_alloc);
}

/*
 * setup_per_zone_wmarks steps min -> low -> high -> promo by one amount;
 * setup_per_zone_lowmem_reserve sums the managed pages of the zones
 * above, so a zone's reserve never shrinks towards higher zones and is
 * zero against itself, the zones below, and when it manages nothing.
 */
static void check_zone_watermarks(struct checker *c, unsigned int n, int z,
				  const struct zone *zone)
{
	const uint64_t *w = zone->watermark;
	int j;

	if (w[WMARK_LOW] < w[WMARK_MIN] ||
	    w[WMARK_HIGH] - w[WMARK_LOW] != w[WMARK_LOW] - w[WMARK_MIN] ||
	    w[WMARK_PROMO] - w[WMARK_HIGH] != w[WMARK_HIGH] - w[WMARK_LOW])
		violation(c, "zone-watermarks: zone %u/%s: min %llu low %llu high %llu promo %llu are not evenly stepped",
			  n, zone_names[z], ull(w[WMARK_MIN]), ull(w[WMARK_LOW]),
			  ull(w[WMARK_HIGH]), ull(w[WMARK_PROMO]));
	for (j = 0; j < MAX_NR_ZONES; j++) {
		long r = zone->lowmem_reserve[j];
		bool bad = r < 0 || (j <= z && r) || (!zone->managed_pages && r) ||
			   (j > z + 1 && r < zone->lowmem_reserve[j - 1]);

		if (bad) {
			violation(c, "zone-lowmem-reserve: zone %u/%s: protection against %s is %ld",
				  n, zone_names[z], zone_names[j], r);
			break;
		}
	}
}

/* The span boot gave zone z of node n: [*bs, *be), empty when equal. */
static void boot_zone_span(const struct hotmem_machine *m, unsigned int n, int z,
			   uint64_t *bs, uint64_t *be)
{
	uint64_t ns = UINT64_MAX, ne = 0, zl, zh;
	size_t i;

	*bs = *be = UINT64_MAX;
	if (z > ZONE_NORMAL)
		return;
	for (i = 0; i < m->nr_memblock; i++) {
		if (m->memblock[i].nid != (int)n)
			continue;
		if (m->memblock[i].start_pfn < ns)
			ns = m->memblock[i].start_pfn;
		if (m->memblock[i].end_pfn > ne)
			ne = m->memblock[i].end_pfn;
	}
	if (ne <= ns)
		return;
	zl = z == ZONE_DMA ? 0 : zone_limit_pfn(m, z - 1);
	zh = zone_limit_pfn(m, z);
	*bs = ns < zl ? zl : ns > zh ? zh : ns;
	*be = ne < zl ? zl : ne > zh ? zh : ne;
}

static void check_zones_and_nodes(struct checker *c)
{
	const struct hotmem_machine *m = c->m;
	uint64_t step = m->geo.pages_per_subsection;
	unsigned int n;
	int z;

	for (n = 0; n < MAX_NUMNODES; n++) {
		const struct pglist_data *pg = &m->nodes[n];
		uint64_t present = 0, span_start = UINT64_MAX, span_end = 0;
		bool has_block = false, dev_only;
		size_t i;

		if (n >= m->nr_node_ids) {
			if (pg->possible || pg->online || pg->node_present_pages ||
			    pg->node_spanned_pages)
				violation(c, "node-impossible: node %u beyond nr_node_ids %u has state",
					  n, m->nr_node_ids);
			continue;
		}
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &pg->zones[z];
			const struct zone_acc *a = &c->acc[n][z];
			uint64_t reserved, kernel, want_managed, bs, be;

			present += zone->present_pages;
			if (zone->spanned_pages) {
				if (zone->zone_start_pfn < span_start)
					span_start = zone->zone_start_pfn;
				if (zone_end_pfn(zone) > span_end)
					span_end = zone_end_pfn(zone);
			}
			check_zone_watermarks(c, n, z, zone);
			if (z == ZONE_DEVICE)
				continue;	/* invariants_device.c: check_pgmaps */
			if (zone->present_pages != a->present)
				violation(c, "zone-present: zone %u/%s: present_pages %llu != sum over its online blocks %llu",
					  n, zone_names[z], ull(zone->present_pages), ull(a->present));
			if (zone->present_early_pages != a->early)
				violation(c, "zone-present-early: zone %u/%s: present_early_pages %llu != sum over its boot blocks %llu",
					  n, zone_names[z], ull(zone->present_early_pages), ull(a->early));
			reserved = extents_pages(&m->extents, (int)n, z, EXTENT_RESERVED);
			kernel = extents_pages(&m->extents, (int)n, z, EXTENT_KERNEL);
			want_managed = a->present - a->vmemmap - reserved;
			if (a->present < a->vmemmap + reserved ||
			    zone->managed_pages != want_managed)
				violation(c, "zone-managed: zone %u/%s: managed_pages %llu != present %llu - memmap on memory %llu - reserved %llu",
					  n, zone_names[z], ull(zone->managed_pages), ull(a->present),
					  ull(a->vmemmap), ull(reserved));
			if (kernel > zone->managed_pages)
				violation(c, "zone-free: zone %u/%s: %llu pages allocated of %llu managed",
					  n, zone_names[z], ull(kernel), ull(zone->managed_pages));
			if (!a->any) {
				if (zone->spanned_pages)
					violation(c, "zone-span: zone %u/%s spans %#llx+%llu without present pages",
						  n, zone_names[z], ull(zone->zone_start_pfn),
						  ull(zone->spanned_pages));
				continue;
			}
			/*
			 * Tight to the sub-section (shrinking looks at whole
			 * sub-sections), or at boot's edge: a boot zone spans the
			 * node's RAM hull clamped to the zone's limits, holes
			 * included (zone_spanned_pages_in_node).
			 */
			boot_zone_span(m, n, z, &bs, &be);
			if (zone->zone_start_pfn > a->first ||
			    (zone->zone_start_pfn < a->first / step * step &&
			     zone->zone_start_pfn != bs) ||
			    zone_end_pfn(zone) < a->end ||
			    (zone_end_pfn(zone) > (a->end + step - 1) / step * step &&
			     zone_end_pfn(zone) != be))
				violation(c, "zone-span: zone %u/%s: span [%#llx, %#llx) does not fit its present pfns [%#llx, %#llx)",
					  n, zone_names[z], ull(zone->zone_start_pfn),
					  ull(zone_end_pfn(zone)), ull(a->first), ull(a->end));
		}
		if (pg->node_present_pages != present)
			violation(c, "node-present: node %u: node_present_pages %llu != sum over its zones %llu",
				  n, ull(pg->node_present_pages), ull(present));
		if (span_start == UINT64_MAX ? pg->node_spanned_pages != 0 :
		    pg->node_start_pfn != span_start ||
		    pg->node_start_pfn + pg->node_spanned_pages != span_end)
			violation(c, "node-span: node %u: span %#llx+%llu is not the hull of its zones",
				  n, ull(pg->node_start_pfn), ull(pg->node_spanned_pages));
		for (i = 0; i < m->nr_blocks && !has_block; i++)
			has_block = m->blocks[i]->node_mask >> n & 1;
		if (!pg->possible && (pg->online || pg->node_present_pages || has_block))
			violation(c, "node-states: node %u is not possible but has state", n);
		if (pg->has_cpu && !pg->online)
			violation(c, "node-states: node %u has CPUs but is offline (N_CPU not in N_ONLINE)", n);
		if (node_state_memory(m, (int)n) && !pg->online)
			violation(c, "node-states: node %u has memory but is offline (N_MEMORY not in N_ONLINE)", n);
		if (node_state_normal_memory(m, (int)n) && !node_state_memory(m, (int)n))
			violation(c, "node-states: node %u in N_NORMAL_MEMORY but not N_MEMORY", n);
		if (pg->online && !pg->pgdat_initialised)
			violation(c, "node-states: node %u is online without an initialised pgdat", n);
		/* a Device zone span alone does not online a node (pagemap_range) */
		dev_only = pg->node_spanned_pages && !has_block &&
			   span_start == pg->zones[ZONE_DEVICE].zone_start_pfn &&
			   span_end == zone_end_pfn(&pg->zones[ZONE_DEVICE]);
		if (!dev_only &&
		    pg->online != (pg->has_cpu || has_block || pg->node_spanned_pages))
			violation(c, "node-states: node %u online=%d, but cpus=%d memory blocks=%d span=%llu",
				  n, pg->online, pg->has_cpu, has_block, ull(pg->node_spanned_pages));
	}
}

static void check_groups(struct checker *c, const struct group_acc *gacc)
{
	const struct hotmem_machine *m = c->m;
	size_t i, j;

	for (i = 0; i < m->nr_groups; i++) {
		const struct memory_group *g = &m->groups[i];
		unsigned int owners = 0;

		if (!g->used)
			continue;
		if (g->id != (int)i || g->nid < 0 || (unsigned int)g->nid >= m->nr_node_ids)
			violation(c, "group-shape: group %zu: id %d node %d", i, g->id, g->nid);
		if (g->nr_blocks != gacc[i].nr_blocks)
			violation(c, "group-blocks: group %zu: nr_blocks %u, %u blocks name it",
				  i, g->nr_blocks, gacc[i].nr_blocks);
		if (g->present_kernel_pages != gacc[i].kernel ||
		    g->present_movable_pages != gacc[i].movable)
			violation(c, "group-present: group %zu: kernel %llu movable %llu, online blocks give %llu and %llu",
				  i, ull(g->present_kernel_pages), ull(g->present_movable_pages),
				  ull(gacc[i].kernel), ull(gacc[i].movable));
		if (!g->is_dynamic && g->max_pages < (uint64_t)g->nr_blocks * m->pages_per_block)
			violation(c, "group-present: group %zu: %u blocks exceed max_pages %llu",
				  i, g->nr_blocks, ull(g->max_pages));
		for (j = 0; j < m->nr_dimms; j++)
			owners += m->dimms[j].used && m->dimms[j].enabled && m->dimms[j].group == (int)i;
		/* a DIMM's group, or a driver's with memory in it (dax/kmem) */
		if (owners > 1 || (!owners && !g->nr_blocks))
			violation(c, "group-owner: group %zu belongs to %u DIMMs and holds %u blocks",
				  i, owners, g->nr_blocks);
	}
}

/* Does a resource other than System RAM overlap the DIMM at top level? */
static bool dimm_range_taken(const struct hotmem_machine *m,
			     const struct acpi_memory_device *d)
{
	size_t i;

	for (i = 0; i < m->iomem.n; i++) {
		const struct resource *r = &m->iomem.v[i];

		if (r->used && r->parent < 0 && !(r->flags & IORESOURCE_SYSRAM) &&
		    r->start < d->addr + d->size && d->addr <= r->end)
			return true;
	}
	return false;
}

/* pseries DLPAR: all of the DIMM's LMBs, each a block and a resource, or none */
static void check_dlpar_dimm(struct checker *c, const struct acpi_memory_device *d)
{
	const struct hotmem_machine *m = c->m;
	uint64_t a;

	if (d->group >= 0)
		violation(c, "dimm-group: DLPAR DIMM %s in group %d", d->id, d->group);
	for (a = d->addr; a < d->addr + d->size; a += m->block_size) {
		const struct memory_block *mem = find_memory_block_by_pfn(m, PHYS_PFN(m, a));
		int res = find_resource(&m->iomem, a, a + m->block_size - 1, "System RAM");

		if (d->enabled != (mem != NULL) || d->enabled != (res >= 0))
			violation(c, "dimm-blocks: DLPAR DIMM %s: enabled=%d, memory%llu %s, its resource %s",
				  d->id, d->enabled, ull(a / m->block_size),
				  mem ? "exists" : "is missing", res >= 0 ? "is there" : "is missing");
	}
}

static void check_dimms(struct checker *c)
{
	const struct hotmem_machine *m = c->m;
	uint64_t plugged = 0;
	unsigned int used = 0;
	size_t i, j;

	for (i = 0; i < m->nr_dimms; i++) {
		const struct acpi_memory_device *d = &m->dimms[i];
		int res;

		if (!d->used)
			continue;
		used++;
		plugged += d->size;
		if (!d->size || d->addr < m->device_memory_base ||
		    d->addr + d->size > m->device_memory_base + m->device_memory_size)
			violation(c, "dimm-placement: DIMM %s at %#llx+%#llx outside device memory [%#llx+%#llx)",
				  d->id, ull(d->addr), ull(d->size), ull(m->device_memory_base),
				  ull(m->device_memory_size));
		if (d->slot < 0 || (unsigned int)d->slot >= m->cfg.slots)
			violation(c, "dimm-slot: DIMM %s in slot %d of %u", d->id, d->slot, m->cfg.slots);
		for (j = i + 1; j < m->nr_dimms; j++) {
			const struct acpi_memory_device *e = &m->dimms[j];

			if (!e->used)
				continue;
			if (d->addr < e->addr + e->size && e->addr < d->addr + d->size)
				violation(c, "dimm-placement: DIMMs %s and %s overlap", d->id, e->id);
			if (d->slot == e->slot)
				violation(c, "dimm-slot: DIMMs %s and %s share slot %d", d->id, e->id, d->slot);
			if (!strcmp(d->id, e->id))
				violation(c, "dimm-id: two DIMMs named %s", d->id);
		}
		if (d->nvdimm) {
			/* an NFIT pmem region: never added as RAM by the ACPI driver */
			if (d->enabled || d->group >= 0)
				violation(c, "dimm-nvdimm: nvdimm %s: enabled=%d group %d",
					  d->id, d->enabled, d->group);
			for (j = 0; j < m->nr_blocks; j++)
				if (m->blocks[j]->acpi_device == (int)i)
					violation(c, "dimm-nvdimm: nvdimm %s holds memory%llu",
						  d->id, ull(m->blocks[j]->id));
			continue;
		}
		if (d->dlpar) {
			check_dlpar_dimm(c, d);
			continue;
		}
		res = find_resource(&m->iomem, d->addr, d->addr + d->size - 1, "System RAM");
		/*
		 * acpi_memory_enable_device counts -EEXIST from __add_memory
		 * as enabled: another resource (e.g. memmap=!-pmem) holds the
		 * range, so no System RAM and no block was added.
		 */
		if (d->enabled && res < 0 && dimm_range_taken(m, d)) {
			for (j = 0; j < m->nr_blocks; j++)
				if (m->blocks[j]->acpi_device == (int)i)
					violation(c, "dimm-blocks: DIMM %s enabled over a foreign resource holds memory%llu",
						  d->id, ull(m->blocks[j]->id));
			continue;
		}
		if (d->enabled != (d->group >= 0))
			violation(c, "dimm-group: DIMM %s: enabled=%d group %d", d->id, d->enabled, d->group);
		if (d->enabled != (res >= 0))
			violation(c, "dimm-resource: DIMM %s: enabled=%d but its System RAM resource is %s",
				  d->id, d->enabled, res >= 0 ? "there" : "missing");
		if (d->enabled) {
			uint64_t id;

			for (id = d->addr / m->block_size; id < (d->addr + d->size) / m->block_size; id++) {
				const struct memory_block *mem = find_memory_block_by_id(m, id);

				if (!mem || mem->acpi_device != (int)i) {
					violation(c, "dimm-blocks: DIMM %s: memory%llu %s", d->id, ull(id),
						  mem ? "is bound to another device" : "is missing");
					break;
				}
			}
		} else {
			uint64_t a;

			for (a = d->addr & ~(m->block_size - 1); a < d->addr + d->size; a += m->block_size)
				if (find_memory_block_by_pfn(m, PHYS_PFN(m, a)) &&
				    !find_memory_block_by_pfn(m, PHYS_PFN(m, a))->early)
					violation(c, "dimm-blocks: DIMM %s has no memory but memory%llu exists",
						  d->id, ull(a / m->block_size));
		}
	}
	if (used > m->cfg.slots)
		violation(c, "dimm-slot: %u DIMMs in %u slots", used, m->cfg.slots);
	if (used && m->cfg.mem_bytes + plugged > m->cfg.maxmem_bytes)
		violation(c, "dimm-maxmem: mem %llu + DIMMs %llu > maxmem %llu",
			  ull(m->cfg.mem_bytes), ull(plugged), ull(m->cfg.maxmem_bytes));
}

static void check_resources(struct checker *c)
{
	const struct resource_tree *t = &c->m->iomem;
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		const struct resource *r = &t->v[i], *p;
		size_t depth = 0;
		int up;

		if (!r->used)
			continue;
		if (r->start > r->end)
			violation(c, "resource-shape: %s [%#llx-%#llx] ends before it starts",
				  r->name, ull(r->start), ull(r->end));
		for (up = r->parent; up >= 0 && depth <= t->n; depth++)
			up = (size_t)up < t->n ? t->v[up].parent : -1;
		if (depth > t->n) {
			violation(c, "resource-nesting: %s [%#llx-%#llx] has a parent cycle",
				  r->name, ull(r->start), ull(r->end));
			continue;
		}
		if (r->parent >= 0) {
			p = (size_t)r->parent < t->n ? &t->v[r->parent] : NULL;
			if (!p || !p->used || p->start > r->start || p->end < r->end ||
			    (p->flags & IORESOURCE_BUSY))
				violation(c, "resource-nesting: %s [%#llx-%#llx] is not inside a free parent",
					  r->name, ull(r->start), ull(r->end));
		}
		for (j = i + 1; j < t->n; j++) {
			const struct resource *s = &t->v[j];

			if (s->used && s->parent == r->parent && s->start <= r->end &&
			    r->start <= s->end)
				violation(c, "resource-siblings: %s [%#llx-%#llx] overlaps %s [%#llx-%#llx]",
					  r->name, ull(r->start), ull(r->end), s->name,
					  ull(s->start), ull(s->end));
		}
	}
}

static void check_globals(struct checker *c)
{
	const struct hotmem_machine *m = c->m;
	uint64_t hot = 0;
	size_t i;

	for (i = 0; i < m->nr_blocks; i++)
		hot += !m->blocks[i]->early;
	/* arch_add_memory maps hot-added blocks and device ranges alike */
	if (m->direct_map_bytes != hot * m->block_size + pgmap_direct_map_bytes(m))
		violation(c, "direct-map: %llu bytes of hot-added direct map, %llu hot-added blocks of %llu and %llu bytes of device ranges",
			  ull(m->direct_map_bytes), ull(hot), ull(m->block_size),
			  ull(pgmap_direct_map_bytes(m)));
	if (m->geo.profile->direct_map != DIRECT_MAP_NONE) {
		uint64_t split = 0;

		for (i = 0; i < DM_NR; i++)
			split += m->direct_map_hot[i];
		if (split != m->direct_map_bytes)
			violation(c, "direct-map-split: %llu bytes by page size, %llu mapped",
				  ull(split), ull(m->direct_map_bytes));
	}
	if (m->block_size != m->sections_per_block << m->geo.section_size_bits ||
	    m->pages_per_block != m->block_size >> m->geo.page_shift)
		violation(c, "block-size: %llu bytes, %llu sections, %llu pages disagree",
			  ull(m->block_size), ull(m->sections_per_block), ull(m->pages_per_block));
	/* arch notifiers (sclp, arm64 boot memory) carry no injected failure */
	for (i = 0; i < m->nr_notifiers; i++)
		if (m->notifiers[i].used && m->notifiers[i].kind == MEMORY_NOTIFIER_FAIL &&
		    (m->notifiers[i].err >= 0 || !m->notifiers[i].events))
			violation(c, "notifier-shape: notifier %zu: err %d events %#lx", i,
				  m->notifiers[i].err, m->notifiers[i].events);
}

int machine_check_invariants(const struct hotmem_machine *m, struct strbuf *why)
{
	struct checker *c = calloc(1, sizeof(*c));
	struct group_acc *gacc;
	uint64_t kernel_pages;
	int ret;

	if (!c)
		return -ENOMEM;
	gacc = calloc(m->nr_groups ? m->nr_groups : 1, sizeof(*gacc));
	if (!gacc) {
		free(c);
		return -ENOMEM;
	}
	c->m = m;
	c->why = why;
	check_globals(c);
	check_blocks(c, gacc);
	check_sections_outside_blocks(c);
	check_extents(c, &kernel_pages);
	check_vmemmap(c, kernel_pages);
	check_zones_and_nodes(c);
	check_groups(c, gacc);
	check_dimms(c);
	check_resources(c);
	check_nd_dax(c);
	check_sclp(c);
	if (c->count > CHECK_MAX_REPORTS &&
	    sb_printf(why, "(%d more violations not shown)\n", c->count - CHECK_MAX_REPORTS))
		c->oom = true;
	ret = c->oom ? -ENOMEM : c->count;
	free(gacc);
	free(c);
	return ret;
}
