/*
 * invariants_device.c - the invariant checker's device-memory and s390
 * parts (docs/invariants.md, docs/device-memory.md "State an invariant
 * checker can verify"): ZONE_DEVICE pgmaps and their sections, altmaps
 * and Device zones; nvdimm namespace/pfn/dax claims; dax device ranges
 * and what device_dax and kmem hold while bound; s390 sclp storage
 * increments against the blocks that use them.
 *
 * Contract: read only; each broken relation is one violation() line
 * named like the others ("pgmap-range: ...").
 * Expected workload: a handful of pgmaps, namespaces and dax devices;
 * quadratic scans over them are fine.
 */
#include <string.h>

#include "invariants_int.h"

bool pgmap_meets(const struct hotmem_machine *m, uint64_t s, uint64_t e)
{
	return e > s && pgmap_in_pfn_range(m, s, e - 1) != NULL;
}

bool sclp_standby_block(const struct hotmem_machine *m, uint64_t start_pfn)
{
	uint64_t a = PFN_PHYS(m, start_pfn);

	return m->sclp_nr_incr && a >= m->cfg.mem_bytes &&
	       a + m->block_size <= m->cfg.mem_bytes + m->cfg.standby_bytes;
}

const struct dev_pagemap *pgmap_altmap_at(const struct hotmem_machine *m, uint64_t pfn)
{
	size_t i;

	for (i = 0; i < m->nr_pgmaps; i++) {
		const struct dev_pagemap *p = &m->pgmaps[i];
		const struct vmem_altmap *am = pgmap_altmap(p);

		if (p->used && p->nr_range && am && pfn >= am->base_pfn + am->reserve &&
		    pfn < am->base_pfn + am->reserve + am->free)
			return p;
	}
	return NULL;
}

uint64_t pgmap_direct_map_bytes(const struct hotmem_machine *m)
{
	uint64_t sum = 0;
	size_t i;
	int r;

	for (i = 0; i < m->nr_pgmaps; i++) {
		const struct dev_pagemap *p = &m->pgmaps[i];

		if (!p->used || p->type == MEMORY_DEVICE_PRIVATE)
			continue;
		for (r = 0; r < p->nr_range; r++)
			sum += p->ranges[r].end - p->ranges[r].start + 1;
	}
	return sum;
}

/* A section holding device memory and no RAM block. */
void check_device_sections(struct checker *c, uint64_t snr)
{
	const struct hotmem_machine *m = c->m;
	const struct hm_geometry *g = &m->geo;
	const struct mem_section *ms = nr_to_section(&m->sparse, g, snr);
	const uint64_t *map = section_subsection_map(&m->sparse, g, snr);
	uint64_t spfn = section_nr_to_pfn(g, snr), b;

	if (!present_section(ms) || !valid_section(ms) || online_section(ms) ||
	    early_section(ms)) {
		violation(c, "pgmap-section: device section %llu has flags %#x (want present, memmap, not online, not early)",
			  ull(snr), ms ? ms->flags : 0u);
		return;
	}
	for (b = 0; map && b < g->subsections_per_section; b++) {
		uint64_t p = spfn + b * g->pages_per_subsection;
		bool want = pgmap_meets(m, p, p + g->pages_per_subsection);
		bool have = (map[b / 64] >> (b % 64)) & 1;

		if (want != have) {
			violation(c, "pgmap-section: section %llu sub-section %llu: bit %d, pgmap %s",
				  ull(snr), ull(b), have, want ? "covers it" : "does not");
			return;
		}
	}
}

static void check_pgmap_range(struct checker *c, size_t i, int r)
{
	const struct hotmem_machine *m = c->m;
	const struct hm_geometry *g = &m->geo;
	const struct dev_pagemap *p = &m->pgmaps[i];
	const struct pgmap_range *rg = &p->ranges[r];
	const struct zone *dz = &m->nodes[p->nid].zones[ZONE_DEVICE];
	uint64_t align = memremap_compat_align(m), pfn, s, e;
	size_t j;
	int q;

	if (rg->end < rg->start || (rg->start & (align - 1)) || ((rg->end + 1) & (align - 1))) {
		violation(c, "pgmap-range: pgmap %zu range %d [%#llx-%#llx] is not whole sub-sections",
			  i, r, ull(rg->start), ull(rg->end));
		return;
	}
	s = PHYS_PFN(m, rg->start);
	e = PHYS_PFN(m, rg->end + 1);
	for (j = i; j < m->nr_pgmaps; j++) {
		const struct dev_pagemap *o = &m->pgmaps[j];

		if (!o->used)
			continue;
		for (q = j == i ? r + 1 : 0; q < o->nr_range; q++)
			if (o->ranges[q].start <= rg->end && rg->start <= o->ranges[q].end)
				violation(c, "pgmap-disjoint: pgmap %zu range %d overlaps pgmap %zu range %d",
					  i, r, j, q);
	}
	if (system_ram_pages(&m->iomem, s, e, g->page_shift))
		violation(c, "pgmap-ram: pgmap %zu range %d [%#llx-%#llx] meets System RAM",
			  i, r, ull(rg->start), ull(rg->end));
	if (dz->present_pages || dz->managed_pages || !dz->spanned_pages ||
	    dz->zone_start_pfn > s || zone_end_pfn(dz) < e)
		violation(c, "zone-device: node %d Device zone %#llx+%llu (present %llu managed %llu) does not hold pgmap %zu range %d",
			  p->nid, ull(dz->zone_start_pfn), ull(dz->spanned_pages),
			  ull(dz->present_pages), ull(dz->managed_pages), i, r);
	for (pfn = s; pfn < e; pfn += g->pages_per_subsection) {
		uint64_t snr = pfn_to_section_nr(g, pfn);
		uint64_t b = (pfn - section_nr_to_pfn(g, snr)) / g->pages_per_subsection;
		const struct mem_section *ms = nr_to_section(&m->sparse, g, snr);
		const uint64_t *map = section_subsection_map(&m->sparse, g, snr);

		if (!valid_section(ms) || !map || !((map[b / 64] >> (b % 64)) & 1)) {
			violation(c, "pgmap-subsection: pgmap %zu: pfn %#llx is not in a populated sub-section",
				  i, ull(pfn));
			return;
		}
		if (online_section(ms) && !find_memory_block_by_pfn(m, pfn)) {
			violation(c, "pgmap-subsection: pgmap %zu: section %llu is online without RAM",
				  i, ull(snr));
			return;
		}
	}
}

void check_pgmaps(struct checker *c, const uint64_t *pgmap_altmap_alloc)
{
	const struct hotmem_machine *m = c->m;
	size_t i;
	unsigned int n;
	int r;

	for (i = 0; i < m->nr_pgmaps; i++) {
		const struct dev_pagemap *p = &m->pgmaps[i];
		const struct vmem_altmap *am = pgmap_altmap(p);

		if (!p->used)
			continue;
		if (p->nr_range < 1 || p->nr_range > PGMAP_MAX_RANGES || p->nid < 0 ||
		    (unsigned int)p->nid >= m->nr_node_ids) {
			violation(c, "pgmap-range: pgmap %zu: %d ranges on node %d", i,
				  p->nr_range, p->nid);
			continue;
		}
		for (r = 0; r < p->nr_range; r++)
			check_pgmap_range(c, i, r);
		if (!am)
			continue;
		if (am->base_pfn != PHYS_PFN(m, p->ranges[0].start) ||
		    am->reserve + am->free > PHYS_PFN(m, p->ranges[0].end + 1 - p->ranges[0].start) ||
		    am->alloc + am->align > am->free)
			violation(c, "pgmap-altmap: pgmap %zu: base %#llx reserve %llu free %llu alloc %llu align %llu for range [%#llx-%#llx]",
				  i, ull(am->base_pfn), ull(am->reserve), ull(am->free),
				  ull(am->alloc), ull(am->align), ull(p->ranges[0].start),
				  ull(p->ranges[0].end));
		if (am->alloc != pgmap_altmap_alloc[i])
			violation(c, "pgmap-altmap-alloc: pgmap %zu: altmap alloc %llu, units hold %llu pages",
				  i, ull(am->alloc), ull(pgmap_altmap_alloc[i]));
	}
	for (n = 0; n < m->nr_node_ids; n++) {
		const struct zone *dz = &m->nodes[n].zones[ZONE_DEVICE];

		if (dz->present_pages || dz->managed_pages || dz->present_early_pages)
			violation(c, "zone-device: node %u Device zone has present %llu managed %llu",
				  n, ull(dz->present_pages), ull(dz->managed_pages));
	}
}

/* nvdimm: claims between namespaces and pfn/dax devices, bound state. */
static void check_nd(struct checker *c)
{
	const struct nd_bus *nd = &c->m->nd;
	int i;

	for (i = 0; i < ND_MAX_NAMESPACES; i++) {
		const struct nd_namespace *ns = &nd->namespaces[i];

		if (!ns->used)
			continue;
		if (ns->claim >= 0 && (ns->claim >= ND_MAX_PFNS || !nd->pfns[ns->claim].used ||
				       nd->pfns[ns->claim].ns != i ||
				       nd->pfns[ns->claim].region != ns->region))
			violation(c, "nd-claim: namespace%d.%d claimed by pfn slot %d, which does not name it",
				  ns->region, ns->id, ns->claim);
		/* a claim may be attached while nd_pmem is still bound
		 * (nd_namespace_store checks the claimer's driver only) */
		if (ns->bound != (ns->res >= 0))
			violation(c, "nd-bound: namespace%d.%d bound=%d with resource %d",
				  ns->region, ns->id, ns->bound, ns->res);
	}
	for (i = 0; i < ND_MAX_PFNS; i++) {
		const struct nd_pfn *pf = &nd->pfns[i];

		if (!pf->used)
			continue;
		if (pf->ns >= 0 && (pf->ns >= ND_MAX_NAMESPACES || nd->namespaces[pf->ns].claim != i))
			violation(c, "nd-claim: %s%d.%d names namespace slot %d, which it has not claimed",
				  pf->is_dax ? "dax" : "pfn", pf->region, pf->id, pf->ns);
		if (pf->bound && (pf->meta_res < 0 ||
				  (pf->is_dax ? pf->dax_region < 0 || pf->dev_dax < 0 :
						pgmap_by_id((struct hotmem_machine *)c->m, pf->pgmap) == NULL)))
			violation(c, "nd-bound: %s%d.%d bound without its %s", pf->is_dax ? "dax" : "pfn",
				  pf->region, pf->id, pf->is_dax ? "dax device" : "pgmap");
	}
}

static bool res_is(const struct resource_tree *t, int idx, uint64_t s, uint64_t e)
{
	return idx >= 0 && (size_t)idx < t->n && t->v[idx].used && t->v[idx].start == s &&
	       t->v[idx].end == e;
}

/* kmem: one "daxX.Y" SYSRAM container per range, one busy kmem child. */
static void check_kmem(struct checker *c, const struct dev_dax *d, const char *name)
{
	const struct hotmem_machine *m = c->m;
	const struct resource_tree *t = &m->iomem;
	uint64_t bs = m->block_size;
	int i, held = 0;

	for (i = 0; i < d->nr_range; i++) {
		uint64_t s = (d->ranges[i].start + bs - 1) / bs * bs;
		uint64_t e = (d->ranges[i].end + 1) / bs * bs, a;
		unsigned int kids = 0;
		size_t k;

		if (d->kmem_res[i] < 0)
			continue;
		held++;
		/* what a failed removal left stays as it was, whatever the
		 * device's ranges became since (its size may change unbound) */
		if (d->kmem_stuck && d->driver != DAX_DRV_KMEM) {
			if ((size_t)d->kmem_res[i] >= t->n || !t->v[d->kmem_res[i]].used)
				violation(c, "dax-kmem: %s mapping%d: kept resource %d is gone",
					  name, i, d->kmem_res[i]);
			continue;
		}
		if (e <= s || !res_is(t, d->kmem_res[i], s, e - 1) ||
		    (t->v[d->kmem_res[i]].flags & IORESOURCE_BUSY) ||
		    !(t->v[d->kmem_res[i]].flags & IORESOURCE_SYSRAM) ||
		    strcmp(t->v[d->kmem_res[i]].name, name)) {
			violation(c, "dax-kmem: %s mapping%d: its container is not the block-aligned range [%#llx-%#llx)",
				  name, i, ull(s), ull(e));
			continue;
		}
		for (k = 0; k < t->n; k++)
			kids += t->v[k].used && t->v[k].parent == d->kmem_res[i] &&
				t->v[k].start == s && t->v[k].end == e - 1 &&
				(t->v[k].flags & IORESOURCE_BUSY) &&
				(t->v[k].flags & IORESOURCE_SYSRAM_DRIVER_MANAGED) &&
				!strcmp(t->v[k].name, "System RAM (kmem)");
		if (kids != 1 && !d->kmem_stuck)
			violation(c, "dax-kmem: %s mapping%d: %u busy System RAM (kmem) children",
				  name, i, kids);
		for (a = s; a < e && d->driver == DAX_DRV_KMEM; a += bs) {
			const struct memory_block *mem = find_memory_block_by_pfn(m, PHYS_PFN(m, a));

			if (!mem || mem->group != d->kmem_mgid) {
				violation(c, "dax-kmem: %s mapping%d: memory%llu %s group %d",
					  name, i, ull(a / bs), mem ? "is not in" : "missing from",
					  d->kmem_mgid);
				break;
			}
		}
	}
	if (d->driver == DAX_DRV_KMEM && !held)
		violation(c, "dax-kmem: %s is bound to kmem without memory", name);
	if (d->driver != DAX_DRV_KMEM && held && !d->kmem_stuck)
		violation(c, "dax-kmem: %s keeps %d kmem ranges unbound", name, held);
}

static void check_dax(struct checker *c)
{
	const struct hotmem_machine *m = c->m;
	const struct dax_bus *bus = &m->dax;
	int i, j, r, q;

	for (i = 0; i < DAX_MAX_DEVS; i++) {
		const struct dev_dax *d = &bus->devs[i];
		const struct dax_region *rg;
		uint64_t pgoff = 0;
		char name[32];

		if (!d->used)
			continue;
		if (d->region < 0 || d->region >= DAX_MAX_REGIONS || !bus->regions[d->region].used ||
		    d->nr_range < 0 || d->nr_range > DEV_DAX_MAX_RANGES) {
			violation(c, "dax-range: dax device slot %d: region %d, %d ranges", i,
				  d->region, d->nr_range);
			continue;
		}
		rg = &bus->regions[d->region];
		dev_dax_name(m, d, name, sizeof(name));
		for (r = 0; r < d->nr_range; r++) {
			const struct dev_dax_range *x = &d->ranges[r];

			if (x->start < rg->start || x->end > rg->end || x->end < x->start ||
			    x->pgoff != pgoff)
				violation(c, "dax-range: %s mapping%d [%#llx-%#llx] pgoff %llu: outside region [%#llx-%#llx] or pgoff not %llu",
					  name, r, ull(x->start), ull(x->end), ull(x->pgoff),
					  ull(rg->start), ull(rg->end), ull(pgoff));
			pgoff += PHYS_PFN(m, x->end - x->start + 1);
			for (j = i; j < DAX_MAX_DEVS; j++) {
				const struct dev_dax *o = &bus->devs[j];

				if (!o->used || o->region != d->region)
					continue;
				for (q = j == i ? r + 1 : 0; q < o->nr_range; q++)
					if (o->ranges[q].start <= x->end && x->start <= o->ranges[q].end)
						violation(c, "dax-disjoint: %s mapping%d overlaps dax device slot %d mapping%d",
							  name, r, j, q);
			}
			if (d->driver == DAX_DRV_DEVICE_DAX &&
			    (!res_is(&m->iomem, d->res[r], x->start, x->end) ||
			     !(m->iomem.v[d->res[r]].flags & IORESOURCE_BUSY)))
				violation(c, "dax-bound: %s mapping%d: device_dax holds no busy resource over it",
					  name, r);
			if (d->driver != DAX_DRV_DEVICE_DAX && d->res[r] >= 0)
				violation(c, "dax-bound: %s mapping%d: resource %d held without device_dax",
					  name, r, d->res[r]);
		}
		if (d->driver == DAX_DRV_DEVICE_DAX) {
			const struct dev_pagemap *p =
				pgmap_by_id((struct hotmem_machine *)m, d->pgmap);

			for (r = 0; p && r < d->nr_range; r++)
				if (get_dev_pagemap(m, PHYS_PFN(m, d->ranges[r].start)) != p ||
				    get_dev_pagemap(m, PHYS_PFN(m, d->ranges[r].end)) != p)
					p = NULL;
			if (!p || !d->nr_range)
				violation(c, "dax-bound: %s: device_dax without a pgmap covering its ranges",
					  name);
		}
		if (d->kmem_stuck && d->driver != DAX_DRV_NONE)
			violation(c, "dax-kmem: %s is stuck yet bound to driver %d", name, d->driver);
		check_kmem(c, d, name);
	}
}

/*
 * CXL (power-on topology): endpoint decoders hold DPA from 0 upward in
 * decoder order up to hdm_end, inside the device; a region's state
 * follows what it has (an HPA range inside its window from
 * INTERLEAVE_ACTIVE, its target from ACTIVE), the target names it back,
 * and a bound region is committed and has its dax region.
 */
static void check_cxl(struct checker *c)
{
	const struct cxl_state *cs = &c->m->cxl;
	int i, k;

	for (i = 0; i < CXL_MAX_DEVICES; i++) {
		const struct cxl_device *d = &cs->devs[i];
		uint64_t next = 0;

		if (!d->used || !d->coldplug)
			continue;
		for (k = 0; k < CXL_NR_EP_DECODERS; k++) {
			const struct cxl_endpoint_decoder *e = &d->epd[k];

			if (e->dpa_valid != (k <= d->hdm_end))
				violation(c, "cxl-dpa: decoder%d.%d has DPA %d but hdm_end is %d",
					  CXL_EP_PORT_ID, k, e->dpa_valid, d->hdm_end);
			if (e->dpa_valid && (e->dpa_base != next || !e->dpa_size ||
					     e->dpa_base + e->dpa_size > d->size))
				violation(c, "cxl-dpa: decoder%d.%d DPA [%#llx +%#llx) not next or outside the device",
					  CXL_EP_PORT_ID, k, (unsigned long long)e->dpa_base,
					  (unsigned long long)e->dpa_size);
			if (e->dpa_valid)
				next = e->dpa_base + e->dpa_size;
			if (e->region >= 0 && (e->region >= CXL_MAX_REGIONS ||
					       !cs->regions[e->region].used ||
					       cs->regions[e->region].target0 != k))
				violation(c, "cxl-target: decoder%d.%d names region slot %d, which does not target it",
					  CXL_EP_PORT_ID, k, e->region);
		}
	}
	for (i = 0; i < CXL_MAX_REGIONS; i++) {
		const struct cxl_region *r = &cs->regions[i];
		const struct cxl_device *d;

		if (!r->used)
			continue;
		d = &cs->devs[r->dev];
		if ((r->state >= CXL_CONFIG_INTERLEAVE_ACTIVE) !=
		    res_is(&c->m->iomem, r->res, r->start, r->start + r->size - 1))
			violation(c, "cxl-region: region%d state %d with HPA resource %d", r->id,
				  r->state, r->res);
		if (r->res >= 0 && (r->start < d->base ||
				    r->start + r->size > d->base + d->window_size))
			violation(c, "cxl-region: region%d outside its window", r->id);
		if ((r->state >= CXL_CONFIG_ACTIVE) != (r->target0 >= 0) ||
		    (r->target0 >= 0 && d->epd[r->target0].region != i))
			violation(c, "cxl-region: region%d state %d with target decoder %d",
				  r->id, r->state, r->target0);
		if (r->bound && (r->state != CXL_CONFIG_COMMIT || r->dax_region < 0))
			violation(c, "cxl-region: region%d bound but state %d, dax region %d",
				  r->id, r->state, r->dax_region);
	}
}

void check_nd_dax(struct checker *c)
{
	check_nd(c);
	check_dax(c);
	check_cxl(c);
}

/*
 * s390: boot increments are assigned; an increment that only one block
 * uses is assigned while that block is online; one no block uses stays
 * standby. An offline block's increments may stay assigned: when a later
 * notifier vetoes MEM_PREPARE_ONLINE, memory_block_online() sends no
 * MEM_FINISH_OFFLINE, so sclp's assignment stays.
 */
void check_sclp(struct checker *c)
{
	const struct hotmem_machine *m = c->m;
	uint64_t rzm = m->sclp_rzm;
	size_t i;

	for (i = 0; i < m->sclp_nr_incr; i++) {
		uint64_t a = i * rzm, e = a + rzm;
		const struct memory_block *first = find_memory_block_by_pfn(m, PHYS_PFN(m, a));
		const struct memory_block *last = find_memory_block_by_pfn(m, PHYS_PFN(m, e - 1));
		int want;

		if (a < m->cfg.mem_bytes)
			want = 0;
		else if (!first && !last)
			want = 1;
		else if (first == last && !first->early && first->state == MEM_ONLINE)
			want = 0;
		else
			continue;	/* offline, or shared by blocks: history decides */
		if (m->sclp_standby[i] != want)
			violation(c, "sclp-increments: increment rn %zu [%#llx-%#llx]: standby=%d, want %d",
				  i + 1, ull(a), ull(e - 1), m->sclp_standby[i], want);
	}
}
