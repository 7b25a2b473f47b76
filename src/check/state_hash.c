/*
 * state_hash.c - a canonical digest of a machine's state, for proofs of
 * rollback: hash before a failed operation == hash after.
 *
 * Contract: two machines whose state a user or the model could ever
 * tell apart hash differently (up to 64-bit collisions), and two that
 * differ only in allocation history hash the same. So the digest covers
 * values, never pointers, capacities or the order of unordered things:
 * vmemmap units are hashed sorted by their vmemmap offset, resources as
 * a tree ordered by address, sections only where they hold anything
 * (section roots are allocated lazily and never freed), DIMMs by slot
 * and blocks name their DIMM by its id, memory groups by id.
 *
 * Device memory (pgmaps, nvdimm, dax, cxl, memory tiers, the direct map
 * by page size) is covered by hash_devices.
 *
 * Left out, by design: the pageblock migratetypes of offline sections
 * (dead values, see hash_sections), the kernel log and the trace (history, not
 * state: a failed operation logs why), the print-once flags of the log,
 * and the memory notifiers registered by `notifier-fail` (the test's
 * fault injectors: a veto consumes one of their counts on purpose).
 * Also left out: which s390 storage increments are assigned (a failed
 * online assigns them and keeps them so in the real kernel: a notifier
 * after sclp's that vetoes MEM_PREPARE_ONLINE gets no MEM_FINISH_OFFLINE;
 * invariant sclp-increments checks them instead), and an unbound nd
 * pfn/dax device's info block (written to the media before dax_pmem
 * can still refuse with EBUSY).
 * STATE_HASH_NO_ONLINE_TYPE also leaves out each block's pending online
 * type, which a refused state write leaves behind on an online block
 * in the real kernel (drivers/base/memory.c, "Quirk").
 *
 * Expected workload: once before and once after each failing operation
 * in fuzzing; linear in the state's size.
 */
#include "invariants.h"

#include <stdlib.h>
#include <string.h>

#include "../machine.h"

/* Word at a time: multiply-rotate mixing (order-sensitive), avalanche at the end. */
struct hasher {
	uint64_t h;
};

static void hw(struct hasher *s, uint64_t v)
{
	v *= 0x87c37b91114253d5ull;
	v = (v << 31) | (v >> 33);
	v *= 0x4cf5ad432745937full;
	s->h ^= v;
	s->h = ((s->h << 27) | (s->h >> 37)) * 5 + 0x52dce729;
}

static void hs(struct hasher *s, const char *str)
{
	uint64_t w = 0;
	unsigned int n = 0;

	for (; *str; str++) {
		w = w << 8 | (unsigned char)*str;
		if (++n == 8) {
			hw(s, w);
			w = 0;
			n = 0;
		}
	}
	hw(s, w);
	hw(s, 0xff00u | n);	/* terminator and tail length: "ab","c" != "a","bc" */
}

static void hash_config(struct hasher *s, const struct hotmem_config *c)
{
	unsigned int n;

	hs(s, c->arch);
	hw(s, c->mem_bytes);
	hw(s, c->slots);
	hw(s, c->maxmem_bytes);
	hw(s, c->block_size_bytes);
	hw(s, (uint64_t)c->hypervisor);
	hw(s, c->nr_nodes);
	for (n = 0; n < c->nr_nodes && n < HOTMEM_MAX_NODES; n++) {
		hw(s, c->nodes[n].mem_bytes);
		hw(s, (uint64_t)c->nodes[n].has_cpus);
	}
	hw(s, c->memmap_on_memory);
	hw(s, c->default_online_type);
	hw(s, c->online_policy);
	hw(s, c->auto_movable_ratio);
	hw(s, (uint64_t)c->auto_movable_numa_aware);
	hw(s, (uint64_t)c->movable_node);
	hw(s, (uint64_t)c->transparent_hugepage_never);
	hw(s, c->boot_reserved_kb);
	hw(s, c->boot_used_kb);
	hw(s, c->test_inject);
	hw(s, c->standby_bytes);
	hw(s, c->nr_pmem);
	for (n = 0; n < c->nr_pmem && n < HOTMEM_MAX_PMEM; n++) {
		hw(s, c->pmem[n].start);
		hw(s, c->pmem[n].size);
	}
}

/* A resource named by its place, not its vector slot; -1 when none. */
static uint64_t res_key(const struct hotmem_machine *m, int idx)
{
	const struct resource *r;

	if (idx < 0 || (size_t)idx >= m->iomem.n || !m->iomem.v[idx].used)
		return UINT64_MAX;
	r = &m->iomem.v[idx];
	return r->start ^ (r->end << 1) ^ ((uint64_t)r->flags << 60);
}

/* A pgmap named by its first range (slots are reused in any order). */
static uint64_t pgmap_key(const struct hotmem_machine *m, int id)
{
	if (id < 0 || (size_t)id >= m->nr_pgmaps || !m->pgmaps[id].used)
		return UINT64_MAX;
	return m->pgmaps[id].ranges[0].start;
}

static void hash_altmap(struct hasher *s, const struct vmem_altmap *am)
{
	hw(s, am->base_pfn);
	hw(s, am->end_pfn);
	hw(s, am->reserve);
	hw(s, am->free);
	hw(s, am->align);
	hw(s, am->alloc);
	hw(s, am->inaccessible);
}

static void hash_pgmap(struct hasher *s, const struct dev_pagemap *p)
{
	int r;

	hw(s, (uint64_t)p->type << 32 | p->flags);
	if (p->flags & PGMAP_ALTMAP_VALID)
		hash_altmap(s, &p->altmap);
	hw(s, p->vmemmap_shift);
	hw(s, (uint64_t)(int64_t)p->nr_range);
	for (r = 0; r < p->nr_range && r < PGMAP_MAX_RANGES; r++) {
		hw(s, p->ranges[r].start);
		hw(s, p->ranges[r].end);
	}
	hw(s, (uint64_t)(int64_t)p->nid);
	hs(s, p->owner);
}

/*
 * ZONE_DEVICE and the device drivers. pgmaps go in address order; the
 * nd, dax and cxl tables by slot (each takes the lowest free slot, so a
 * failed operation that takes and frees one leaves the same layout),
 * their references to resources and pgmaps by address.
 */
static void hash_devices(struct hasher *s, const struct hotmem_machine *m)
{
	const struct nd_bus *nd = &m->nd;
	const struct dax_bus *dax = &m->dax;
	uint64_t last = 0;
	size_t i, k;
	int r;

	/* pgmaps by ascending first-range start: repeated minimum search */
	for (k = 0; k < m->nr_pgmaps; k++) {
		const struct dev_pagemap *best = NULL;

		for (i = 0; i < m->nr_pgmaps; i++) {
			const struct dev_pagemap *p = &m->pgmaps[i];

			if (p->used && p->nr_range && (k == 0 || p->ranges[0].start > last) &&
			    (!best || p->ranges[0].start < best->ranges[0].start))
				best = p;
		}
		if (!best)
			break;
		last = best->ranges[0].start;
		hash_pgmap(s, best);
	}
	hw(s, 0xdeu);
	hw(s, (uint64_t)nd->present | (uint64_t)(int64_t)nd->e820_bus << 8 |
	      (uint64_t)(int64_t)nd->nfit_bus << 24);
	hw(s, (uint64_t)(int64_t)nd->nr_buses);
	for (i = 0; i < ND_MAX_REGIONS; i++) {
		const struct nd_region *rg = &nd->regions[i];

		if (!rg->used)
			continue;
		hw(s, i);
		hw(s, (uint64_t)rg->labels << 32 | (uint32_t)rg->bus);
		hw(s, (uint64_t)(int64_t)rg->id);
		hw(s, rg->start);
		hw(s, rg->size);
		hw(s, rg->align);
		hw(s, (uint64_t)(uint32_t)rg->numa_node << 32 | (uint32_t)rg->target_node);
		hw(s, (uint64_t)(uint32_t)rg->pfn_seed << 32 | (uint32_t)rg->dax_seed);
		hw(s, (uint64_t)(int64_t)rg->ns_seed);
	}
	for (i = 0; i < ND_MAX_NAMESPACES; i++) {
		const struct nd_namespace *ns = &nd->namespaces[i];

		if (!ns->used)
			continue;
		hw(s, i);
		hw(s, (uint64_t)(uint32_t)ns->region << 32 | (uint32_t)ns->id);
		hw(s, ns->start);
		hw(s, ns->size);
		hs(s, ns->uuid);
		hw(s, (uint64_t)ns->bound << 32 | (uint32_t)ns->claim);
		hw(s, (uint64_t)ns->claim_class << 40 | (uint64_t)ns->force_raw << 32 |
		      ns->lbasize);
		hs(s, ns->alt_name);
		hw(s, res_key(m, ns->res));
		hw(s, pgmap_key(m, ns->pgmap));
	}
	for (i = 0; i < ND_MAX_PFNS; i++) {
		const struct nd_pfn *pf = &nd->pfns[i];

		if (!pf->used)
			continue;
		hw(s, i);
		hw(s, (uint64_t)pf->is_dax << 40 | (uint64_t)pf->bound << 41 |
		      (uint64_t)(uint32_t)pf->region << 8 | (uint8_t)pf->id);
		hw(s, (uint64_t)pf->mode);
		hw(s, pf->align);
		hs(s, pf->uuid);
		hw(s, (uint64_t)(int64_t)pf->ns);
		/* the info block on the media: nd_pfn_init writes it before a
		 * probe can still fail (dax_pmem's EBUSY on its metadata), and
		 * only a bound device uses it */
		if (pf->bound) {
			hw(s, pf->dataoff);
			hw(s, pf->end_trunc);
			hw(s, pf->npfns);
		}
		hw(s, res_key(m, pf->meta_res));
		hw(s, pgmap_key(m, pf->pgmap));
		hw(s, (uint64_t)(uint32_t)pf->dax_region << 32 | (uint32_t)pf->dev_dax);
	}
	hw(s, 0xda5ull);
	for (i = 0; i < DAX_MAX_REGIONS; i++) {
		const struct dax_region *rg = &dax->regions[i];

		if (!rg->used)
			continue;
		hw(s, i);
		hw(s, (uint64_t)(int64_t)rg->id);
		hw(s, rg->start);
		hw(s, rg->end);
		hw(s, (uint64_t)(int64_t)rg->target_node);
		hw(s, rg->align);
		hw(s, rg->flags);
		hs(s, rg->parent);
		hw(s, (uint64_t)(uint32_t)rg->seed << 32 | (uint32_t)rg->youngest);
	}
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		const struct dev_dax *d = &dax->devs[i];

		if (!d->used)
			continue;
		hw(s, i);
		hw(s, (uint64_t)(uint32_t)d->region << 32 | (uint32_t)d->id);
		hw(s, (uint64_t)(int64_t)d->nr_range);
		for (r = 0; r < d->nr_range && r < DEV_DAX_MAX_RANGES; r++) {
			hw(s, d->ranges[r].start);
			hw(s, d->ranges[r].end);
			hw(s, d->ranges[r].pgoff);
			hw(s, (uint64_t)(int64_t)d->ranges[r].mapping);
		}
		for (r = 0; r < DEV_DAX_MAX_RANGES; r++) {
			hw(s, res_key(m, d->res[r]));
			hw(s, res_key(m, d->kmem_res[r]));
		}
		hw(s, (uint64_t)(int64_t)d->target_node);
		hw(s, d->align);
		hw(s, (uint64_t)d->memmap_on_memory | (uint64_t)d->driver << 8 |
		      (uint64_t)d->has_static_pgmap << 16 | (uint64_t)d->kmem_stuck << 17);
		if (d->has_static_pgmap)
			hash_pgmap(s, &d->static_pgmap);
		hw(s, pgmap_key(m, d->pgmap));
		hw(s, (uint64_t)(int64_t)d->kmem_mgid);
	}
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		hs(s, dax->kmem_ids[i]);
		hs(s, dax->device_dax_ids[i]);
	}
	hw(s, 0xc71ull);
	hw(s, m->cxl.nr_devices);
	for (i = 0; i < CXL_MAX_DEVICES; i++) {
		const struct cxl_device *d = &m->cxl.devs[i];

		if (!d->used)
			continue;
		hw(s, i);
		hs(s, d->id);
		hw(s, d->size);
		hw(s, (uint64_t)(uint32_t)d->node << 32 | (uint32_t)d->index);
		hw(s, d->base);
		hw(s, res_key(m, d->window_res));
		hw(s, res_key(m, d->region_res));
		hw(s, (uint64_t)(uint32_t)d->dax_region << 32 | (uint32_t)d->dev_dax);
		/* the power-on topology's decoders (sysfs_cxl.c) */
		hw(s, (uint64_t)d->coldplug << 32 | (uint32_t)d->hdm_end);
		for (k = 0; k < CXL_NR_EP_DECODERS; k++) {
			const struct cxl_endpoint_decoder *e = &d->epd[k];

			hw(s, (uint64_t)e->mode << 33 | (uint64_t)e->dpa_valid << 32 |
			      (uint32_t)e->region);
			hw(s, e->dpa_base);
			hw(s, e->dpa_size);
		}
		hw(s, d->sw_start);
		hw(s, d->sw_size ^ d->sw_gran);
	}
	hw(s, (uint64_t)(uint32_t)m->cxl.region_id);
	for (i = 0; i < CXL_MAX_REGIONS; i++) {
		const struct cxl_region *r = &m->cxl.regions[i];

		if (!r->used)
			continue;
		hw(s, i);
		hw(s, (uint64_t)(uint32_t)r->id << 32 | (uint32_t)r->dev);
		hw(s, (uint64_t)r->ways << 32 | r->gran);
		hw(s, r->start);
		hw(s, r->size);
		hw(s, res_key(m, r->res));
		hw(s, (uint64_t)(uint32_t)r->target0 << 32 | (uint64_t)r->state << 1 | r->bound);
		hw(s, (uint64_t)(uint32_t)r->dax_region << 32 | (uint32_t)r->dev_dax);
	}
	for (i = 0; i < 64; i++) {
		hw(s, m->memtiers.memtype[i]);
		hw(s, m->memtiers.map_count[i]);
		hw(s, m->memtiers.member[i]);
	}
	/* sclp_standby[] is left out: see the header comment */
	hw(s, m->sclp_rzm);
	hw(s, m->sclp_nr_incr);
	for (i = 0; i < DM_NR; i++)
		hw(s, m->direct_map_hot[i]);
}

static void hash_sections(struct hasher *s, const struct hotmem_machine *m)
{
	const struct hm_geometry *g = &m->geo;
	unsigned int w;
	const struct mem_section *ms;
	uint64_t snr;

	hw(s, m->sparse.any_present);
	hw(s, m->sparse.highest_present_section_nr);
	for (snr = 0; (ms = sparse_next_section(&m->sparse, g, &snr)); snr++) {
		const uint64_t *u = section_subsection_map(&m->sparse, g, snr);
		bool any = ms->flags || ms->usage;

		for (w = 0; w < g->subsection_words && !any; w++)
			any = u[w] != 0;
		if (!any)
			continue;
		hw(s, snr);
		hw(s, ms->flags);
		hw(s, ms->usage);
		hw(s, (uint64_t)(int64_t)ms->nid);
		for (w = 0; w < g->subsection_words; w++)
			hw(s, u[w]);
		/*
		 * Migratetypes of offline memory are dead values: the next
		 * online sets every pageblock, and a failed online leaves
		 * them as the kernel does, not as they were.
		 */
		if (online_section(ms))
			for (w = 0; w < g->pageblock_words; w++)
				hw(s, u[g->subsection_words + w]);
	}
}

static int unit_cmp(const void *a, const void *b)
{
	const struct vmemmap_unit *x = *(const struct vmemmap_unit *const *)a;
	const struct vmemmap_unit *y = *(const struct vmemmap_unit *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Units sorted by offset; without memory to sort, a marker that makes
 * the failure visible as a hash mismatch rather than a false match. */
static void hash_vmemmap(struct hasher *s, const struct vmemmap *vm)
{
	const struct vmemmap_unit **v = malloc((vm->nr_units ? vm->nr_units : 1) * sizeof(*v));
	uint64_t i, n = 0;

	hw(s, vm->nr_units);
	for (i = 0; i < vm->nr_slots; i++)
		if (vm->slots[i].used) {
			if (v && n < vm->nr_units)
				v[n] = &vm->slots[i];
			n++;
		}
	if (!v || n != vm->nr_units) {
		hw(s, 0xdeadull);	/* cannot be canonical: make it visible */
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), unit_cmp);
	for (i = 0; i < n; i++) {
		hw(s, v[i]->start);
		hw(s, v[i]->backing_pfn);
		hw(s, v[i]->refs);
		hw(s, v[i]->shift);
		hw(s, v[i]->source);
		hw(s, (uint64_t)(int64_t)v[i]->backing_nid);
	}
	free(v);
}

/* Children of parent in address order, depth first (as /proc/iomem). */
static void hash_resources(struct hasher *s, const struct resource_tree *t,
			   int parent, unsigned int depth)
{
	uint64_t last = 0;
	bool first = true;

	if (depth > t->n)
		return;
	for (;;) {
		int best = -1;
		size_t i;

		for (i = 0; i < t->n; i++) {
			const struct resource *r = &t->v[i];

			if (!r->used || r->parent != parent || (!first && r->start <= last))
				continue;
			if (best < 0 || r->start < t->v[best].start)
				best = (int)i;
		}
		if (best < 0)
			break;
		hw(s, depth);
		hw(s, t->v[best].start);
		hw(s, t->v[best].end);
		hw(s, t->v[best].flags);
		hs(s, t->v[best].name);
		hash_resources(s, t, best, depth + 1);
		last = t->v[best].start;
		first = false;
	}
	hw(s, 0xe0dull);
}

static void hash_zone(struct hasher *s, const struct zone *z)
{
	int i;

	hw(s, z->zone_start_pfn);
	hw(s, z->spanned_pages);
	hw(s, z->present_pages);
	hw(s, z->present_early_pages);
	hw(s, z->managed_pages);
	hw(s, z->nr_isolate_pageblock);
	for (i = 0; i < 4; i++)
		hw(s, z->watermark[i]);
	for (i = 0; i < MAX_NR_ZONES; i++)
		hw(s, (uint64_t)z->lowmem_reserve[i]);
}

static const char *dimm_id_of(const struct hotmem_machine *m, int idx)
{
	if (idx < 0 || (size_t)idx >= m->nr_dimms)
		return "";
	return m->dimms[idx].id;
}

uint64_t machine_state_hash(const struct hotmem_machine *m, unsigned int flags)
{
	struct hasher s = { 0x243f6a8885a308d3ull };
	unsigned int n;
	size_t i;
	int z;

	hash_config(&s, &m->cfg);
	hs(&s, m->geo.arch);
	hw(&s, m->block_size);
	hash_sections(&s, m);
	hash_vmemmap(&s, &m->vmemmap);
	/* nodes past nr_node_ids stay empty (invariant node-impossible) */
	for (n = 0; n < m->nr_node_ids && n < MAX_NUMNODES; n++) {
		const struct pglist_data *pg = &m->nodes[n];

		for (z = 0; z < MAX_NR_ZONES; z++)
			hash_zone(&s, &pg->zones[z]);
		hw(&s, pg->node_start_pfn);
		hw(&s, pg->node_spanned_pages);
		hw(&s, pg->node_present_pages);
		hw(&s, (uint64_t)pg->possible | (uint64_t)pg->online << 1 |
		       (uint64_t)pg->pgdat_initialised << 2 | (uint64_t)pg->has_cpu << 3);
	}
	hw(&s, m->nr_node_ids);
	hw(&s, m->extents.n);
	for (i = 0; i < m->extents.n; i++) {
		const struct page_extent *e = &m->extents.v[i];

		hw(&s, e->pfn);
		hw(&s, e->nr);
		hw(&s, (uint64_t)e->kind << 16 | (uint64_t)e->zone << 8);
		hw(&s, (uint64_t)(int64_t)e->nid);
	}
	hw(&s, m->nr_memblock);
	for (i = 0; i < m->nr_memblock; i++) {
		hw(&s, m->memblock[i].start_pfn);
		hw(&s, m->memblock[i].end_pfn);
		hw(&s, (uint64_t)(int64_t)m->memblock[i].nid);
	}
	hash_resources(&s, &m->iomem, -1, 0);
	hw(&s, m->nr_blocks);
	for (i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *b = m->blocks[i];

		hw(&s, b->id);
		hw(&s, (uint64_t)(int64_t)b->state);
		if (!(flags & STATE_HASH_NO_ONLINE_TYPE))
			hw(&s, (uint64_t)(int64_t)b->online_type);
		hw(&s, (uint64_t)(int64_t)b->nid);
		hw(&s, (uint64_t)(int64_t)b->zone);
		hw(&s, (uint64_t)(int64_t)b->group);
		hs(&s, dimm_id_of(m, b->acpi_device));
		hw(&s, (uint64_t)b->has_altmap | (uint64_t)b->early << 1 |
		       (uint64_t)b->multi_node << 2);
		hw(&s, b->node_mask);
		if (b->has_altmap)
			hash_altmap(&s, &b->altmap);
	}
	for (i = 0; i < m->nr_groups; i++) {
		const struct memory_group *g = &m->groups[i];

		if (!g->used)
			continue;
		hw(&s, (uint64_t)g->id);
		hw(&s, (uint64_t)(int64_t)g->nid);
		hw(&s, g->is_dynamic);
		hw(&s, g->max_pages);
		hw(&s, g->unit_pages);
		hw(&s, g->present_kernel_pages);
		hw(&s, g->present_movable_pages);
		hw(&s, g->nr_blocks);
	}
	hw(&s, 0x9709ull);
	/* DIMMs by slot: the vector index is an allocation detail */
	for (n = 0; n < 256; n++)
		for (i = 0; i < m->nr_dimms; i++) {
			const struct acpi_memory_device *d = &m->dimms[i];

			if (!d->used || d->slot != (int)n)
				continue;
			hw(&s, n);
			hs(&s, d->id);
			hw(&s, d->addr);
			hw(&s, d->size);
			hw(&s, (uint64_t)(int64_t)d->node);
			hw(&s, (uint64_t)(int64_t)d->group);
			hw(&s, (uint64_t)d->enabled | (uint64_t)d->nvdimm << 1);
		}
	hw(&s, m->device_memory_base);
	hw(&s, m->device_memory_size);
	hw(&s, m->memmap_on_memory);
	hw(&s, (uint64_t)(int64_t)m->auto_online_type);
	hw(&s, m->online_policy);
	hw(&s, m->auto_movable_ratio);
	hw(&s, m->auto_movable_numa_aware);
	hw(&s, m->movable_node);
	hw(&s, m->thp_enabled);
	hw(&s, m->min_free_kbytes);
	hw(&s, (uint64_t)m->nr_memmap_pages);
	hw(&s, (uint64_t)m->nr_memmap_boot_pages);
	hw(&s, m->direct_map_bytes);
	hw(&s, m->boot_direct_map_4k);
	hw(&s, m->boot_direct_map_2m);
	hw(&s, m->boot_direct_map_1g);
	hash_devices(&s, m);
	/* final avalanche (splitmix64's finaliser) */
	s.h ^= s.h >> 30;
	s.h *= 0xbf58476d1ce4e5b9ull;
	s.h ^= s.h >> 27;
	s.h *= 0x94d049bb133111ebull;
	s.h ^= s.h >> 31;
	return s.h;
}
