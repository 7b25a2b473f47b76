/*
 * vmemmap.c - vmemmap population per mapping unit, vmem_altmap, and the
 * memmap_on_memory rules (mm/sparse-vmemmap.c; mm/sparse-vmemmap.c,
 * arch/x86/mm/init_64.c : vmemmap_populate, mm/memory_hotplug.c).
 *
 * Units live in an open-addressing hash keyed by their vmemmap offset.
 * Population walks the range one sub-section at a time and takes a
 * reference on every unit that sub-section's struct pages touch; so a
 * unit is freed exactly when the last sub-section it describes goes.
 */
#include "vmemmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "../arch/memmap_explain.h"

#define VMEMMAP_MIN_SLOTS 64

int vmemmap_init(struct vmemmap *vm)
{
	vm->nr_slots = VMEMMAP_MIN_SLOTS;
	vm->nr_units = 0;
	vm->slots = calloc(vm->nr_slots, sizeof(*vm->slots));
	return vm->slots ? 0 : -ENOMEM;
}

void vmemmap_release(struct vmemmap *vm)
{
	free(vm->slots);
	vm->slots = NULL;
	vm->nr_slots = vm->nr_units = 0;
}

int vmemmap_clone(struct vmemmap *dst, const struct vmemmap *src)
{
	*dst = *src;
	dst->slots = malloc(src->nr_slots * sizeof(*src->slots));
	if (!dst->slots)
		return -ENOMEM;
	memcpy(dst->slots, src->slots, src->nr_slots * sizeof(*src->slots));
	return 0;
}

static uint64_t hash_key(uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return key;
}

static struct vmemmap_unit *slot_find(const struct vmemmap *vm, uint64_t start)
{
	uint64_t mask = vm->nr_slots - 1, i = hash_key(start) & mask;

	while (vm->slots[i].used) {
		if (vm->slots[i].start == start)
			return &vm->slots[i];
		i = (i + 1) & mask;
	}
	return NULL;
}

const struct vmemmap_unit *vmemmap_lookup(const struct vmemmap *vm,
					  uint64_t start)
{
	return slot_find(vm, start);
}

static int vmemmap_grow(struct vmemmap *vm)
{
	struct vmemmap_unit *old = vm->slots;
	uint64_t i, n = vm->nr_slots;

	vm->slots = calloc(n * 2, sizeof(*vm->slots));
	if (!vm->slots) {
		vm->slots = old;
		return -ENOMEM;
	}
	vm->nr_slots = n * 2;
	for (i = 0; i < n; i++) {
		uint64_t mask = vm->nr_slots - 1, j;

		if (!old[i].used)
			continue;
		j = hash_key(old[i].start) & mask;
		while (vm->slots[j].used)
			j = (j + 1) & mask;
		vm->slots[j] = old[i];
	}
	free(old);
	return 0;
}

static struct vmemmap_unit *slot_insert(struct vmemmap *vm,
					const struct vmemmap_unit *u)
{
	uint64_t mask, i;

	if ((vm->nr_units + 1) * 2 > vm->nr_slots && vmemmap_grow(vm))
		return NULL;
	mask = vm->nr_slots - 1;
	i = hash_key(u->start) & mask;
	while (vm->slots[i].used)
		i = (i + 1) & mask;
	vm->slots[i] = *u;
	vm->slots[i].used = true;
	vm->nr_units++;
	return &vm->slots[i];
}

/* Linear-probing delete with backward shift: no tombstones. */
static void slot_delete(struct vmemmap *vm, struct vmemmap_unit *u)
{
	uint64_t mask = vm->nr_slots - 1;
	uint64_t i = (uint64_t)(u - vm->slots), j = i;

	vm->slots[i].used = false;
	for (;;) {
		uint64_t k;

		j = (j + 1) & mask;
		if (!vm->slots[j].used)
			break;
		k = hash_key(vm->slots[j].start) & mask;
		/* move j back to i if its home k is not in (i, j] cyclically */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		vm->slots[i] = vm->slots[j];
		vm->slots[j].used = false;
		i = j;
	}
	vm->nr_units--;
}

int altmap_alloc_block_buf(struct vmem_altmap *a, uint64_t nr_pages,
			   uint64_t *pfn)
{
	uint64_t next = a->base_pfn + a->reserve + a->alloc + a->align;
	uint64_t align = nr_pages & (~nr_pages + 1);	/* lowest set bit */
	uint64_t pad = ((next + align - 1) & ~(align - 1)) - next;
	uint64_t used = a->alloc + a->align;
	uint64_t avail = a->free > used ? a->free - used : 0;

	if (nr_pages + pad > avail)
		return -ENOMEM;
	a->alloc += nr_pages;
	a->align += pad;
	*pfn = next + pad;
	return 0;
}

void vmem_altmap_free(struct vmem_altmap *a, uint64_t nr_pages)
{
	a->alloc -= nr_pages;
}

/*
 * Whether the unit at vmemmap offset off also holds struct pages of a
 * boot (early) section: boot memmaps were mapped with the same unit
 * sizes, so such a unit already exists (ppc64's vmemmap_populated()
 * test; a 16M hash unit or a 2M radix PMD with 64K pages spans many
 * sections). The model keeps boot memmaps implicit, so it asks here.
 */
bool vmemmap_unit_has_boot_memmap(const struct hotmem_machine *m, uint64_t off,
				  unsigned int shift)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t first = off / g->struct_page_size;
	uint64_t last = (off + (1ull << shift)) / g->struct_page_size - 1;
	uint64_t snr;

	if (!m->sparse.any_present)
		return false;
	for (snr = pfn_to_section_nr(g, first); snr <= pfn_to_section_nr(g, last) &&
	     snr <= m->sparse.highest_present_section_nr; snr++)
		if (early_section(nr_to_section(&m->sparse, g, snr)))
			return true;
	return false;
}

/* Whether a unit's struct pages describe pfns outside the altmap's range
 * (arch/powerpc/mm/init_64.c : altmap_cross_boundary). */
static bool altmap_cross_boundary(const struct hotmem_machine *m,
				  const struct vmem_altmap *a, uint64_t start,
				  unsigned int shift)
{
	uint64_t first = start / m->geo.struct_page_size;
	uint64_t last = first + (1ull << shift) / m->geo.struct_page_size - 1;

	return first < a->base_pfn || last > a->end_pfn;
}

/* Whether any base-page unit lies in the PMD range at pmd_off. */
static bool pmd_has_base_pages(const struct hotmem_machine *m, uint64_t pmd_off)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t o, end = pmd_off + (1ull << g->pmd_shift);

	for (o = pmd_off; o < end; o += g->page_size) {
		const struct vmemmap_unit *u = slot_find(&m->vmemmap, o);

		if (u && u->shift == g->page_shift)
			return true;
	}
	return false;
}

/*
 * The vmemmap unit shift the arch uses to populate [pfn, pfn+nr) (one
 * section at most), per the profile's mapping rule (geometry.h).
 */
static unsigned int vmemmap_unit_shift(const struct hotmem_machine *m,
				       uint64_t pfn, uint64_t nr,
				       const struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t off = pfn * g->struct_page_size, pmd = 1ull << g->pmd_shift;
	const struct vmemmap_unit *u;

	switch (g->vmemmap_mapping) {
	case VMEMMAP_MAP_PMD:
		return nr == g->pages_per_section ? g->pmd_shift : g->page_shift;
	case VMEMMAP_MAP_BASE:
		return g->page_shift;
	case VMEMMAP_MAP_PMD_ALWAYS:
		return g->pmd_shift;
	case VMEMMAP_MAP_FIXED:
		/* hash_utils.c: 16M vmemmap pages only with >= 1G of boot RAM
		 * and 16M pages allowed by the hypervisor */
		return m->cfg.mem_bytes >= (1ull << 30) && hugepages_supported(m) ?
		       g->profile->vmemmap_fixed_shift : g->page_shift;
	case VMEMMAP_MAP_PMD_IF_FITS:
		/* radix__vmemmap_populate: an existing PMD is reused; a new
		 * one needs an aligned address and must stay in the altmap */
		u = slot_find(&m->vmemmap, off & ~(pmd - 1));
		if ((u && u->shift == g->pmd_shift) ||
		    vmemmap_unit_has_boot_memmap(m, off & ~(pmd - 1), g->pmd_shift))
			return g->pmd_shift;
		/* a PMD that already holds a page table of base pages is
		 * neither empty nor a leaf: more base pages go into it */
		if (pmd_has_base_pages(m, off & ~(pmd - 1)))
			return g->page_shift;
		if (!(off & (pmd - 1)) &&
		    (!altmap || !altmap_cross_boundary(m, altmap, off, g->pmd_shift)))
			return g->pmd_shift;
		return g->page_shift;
	}
	return g->page_shift;
}

/* Back a new unit: altmap first when the arch uses it, else node memory. */
static int vmemmap_back_unit(struct hotmem_machine *m, struct vmemmap_unit *u,
			     int nid, struct vmem_altmap *altmap)
{
	unsigned int order = u->shift - m->geo.page_shift;
	int got_nid;

	/* ppc64 takes a unit reaching outside the altmap from node memory */
	if (altmap && m->geo.profile->altmap_bounds_check &&
	    altmap_cross_boundary(m, altmap, u->start, u->shift))
		altmap = NULL;
	if (altmap) {
		int ret;

		u->source = VMEMMAP_FROM_ALTMAP;
		u->backing_nid = (int16_t)nid;
		ret = altmap_alloc_block_buf(altmap, 1ull << order, &u->backing_pfn);
		machine_trace(m, "    vmemmap %s of %llu KiB for pfn %#llx: %s pfn %#llx (altmap alloc %llu of %llu)",
			      u->shift == m->geo.page_shift ? "page" : "PMD",
			      (unsigned long long)(1ull << (u->shift - 10)),
			      (unsigned long long)(u->start / m->geo.struct_page_size),
			      ret ? "altmap exhausted," : "from the altmap at",
			      (unsigned long long)u->backing_pfn,
			      (unsigned long long)altmap->alloc, (unsigned long long)altmap->free);
		return ret;
	}
	u->source = VMEMMAP_FROM_NODE;
	if (alloc_pages_node(m, nid, order, &u->backing_pfn, &got_nid)) {
		if (!m->vmemmap_alloc_failure_logged) {
			machine_log(m, "vmemmap alloc failure: order:%u", order);
			m->vmemmap_alloc_failure_logged = true;
		}
		return -ENOMEM;
	}
	u->backing_nid = (int16_t)got_nid;
	machine_trace(m, "    vmemmap %s of %llu KiB for pfn %#llx: node %d memory at pfn %#llx",
		      u->shift == m->geo.page_shift ? "page" : "PMD",
		      (unsigned long long)(1ull << (u->shift - 10)),
		      (unsigned long long)(u->start / m->geo.struct_page_size), got_nid,
		      (unsigned long long)u->backing_pfn);
	if (got_nid != nid && !m->offnode_logged) {
		/* vmemmap_base of x86-64 without KASLR */
		uint64_t base = 0xffffea0000000000ull;

		machine_log(m, "[%llx-%llx] potential offnode page_structs",
			    (unsigned long long)(base + u->start),
			    (unsigned long long)(base + u->start + (1ull << u->shift) - 1));
		m->offnode_logged = true;
	}
	return 0;
}

static void vmemmap_unback_unit(struct hotmem_machine *m,
				const struct vmemmap_unit *u,
				struct vmem_altmap *altmap)
{
	uint64_t pages = 1ull << (u->shift - m->geo.page_shift);

	machine_trace(m, "    vmemmap %s of %llu KiB for pfn %#llx freed to %s",
		      u->shift == m->geo.page_shift ? "page" : "PMD",
		      (unsigned long long)(1ull << (u->shift - 10)),
		      (unsigned long long)(u->start / m->geo.struct_page_size),
		      u->source == VMEMMAP_FROM_ALTMAP ? "the altmap" : "the page allocator");
	if (u->source == VMEMMAP_FROM_ALTMAP) {
		if (altmap)
			vmem_altmap_free(altmap, pages);
		else
			machine_log(m, "WARNING: altmap-backed vmemmap freed without its altmap");
	} else {
		free_pages_extent(m, u->backing_pfn, pages);
	}
}

/* Drop one sub-section's references on the units of its struct pages. */
static void vmemmap_put_subsection(struct hotmem_machine *m, uint64_t pfn,
				   struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t vstart = pfn * g->struct_page_size;
	uint64_t vend = (pfn + g->pages_per_subsection) * g->struct_page_size;
	uint64_t off = vstart;

	while (off < vend) {
		/* the unit holding off: a PMD, hash's fixed size, or a page */
		const unsigned int shifts[] = {
			g->pmd_shift, geometry_vmemmap_unit_shift(g), g->page_shift,
		};
		uint64_t base_key = off & ~(g->page_size - 1);
		struct vmemmap_unit *u = NULL;
		size_t k;

		for (k = 0; k < 3 && !u; k++) {
			u = slot_find(&m->vmemmap, off & ~((1ull << shifts[k]) - 1));
			if (u && u->shift != shifts[k])
				u = NULL;
		}
		if (!u) {
			off = base_key + g->page_size;
			continue;
		}
		off = u->start + (1ull << u->shift);
		if (--u->refs == 0) {
			vmemmap_unback_unit(m, u, altmap);
			slot_delete(&m->vmemmap, u);
		}
	}
}

static int vmemmap_get_subsection(struct hotmem_machine *m, uint64_t pfn,
				  int nid, unsigned int shift,
				  struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t vstart = pfn * g->struct_page_size;
	uint64_t vend = (pfn + g->pages_per_subsection) * g->struct_page_size;
	uint64_t unit = 1ull << shift;
	uint64_t off;

	for (off = vstart & ~(unit - 1); off < vend; off += unit) {
		struct vmemmap_unit *u = slot_find(&m->vmemmap, off);
		struct vmemmap_unit nu;
		int ret;

		if (u && u->shift != shift) {
			/* this PMD is already mapped with base pages: use them */
			ret = -EAGAIN;
			goto undo;
		}
		if (u) {
			u->refs++;
			continue;
		}
		if (vmemmap_unit_has_boot_memmap(m, off, shift))
			continue;	/* mapped at boot; never freed by hotplug */
		memset(&nu, 0, sizeof(nu));
		nu.start = off;
		nu.shift = (uint8_t)shift;
		nu.refs = 1;
		ret = vmemmap_back_unit(m, &nu, nid, altmap);
		if (ret)
			goto undo;
		if (!slot_insert(&m->vmemmap, &nu)) {
			vmemmap_unback_unit(m, &nu, altmap);
			ret = -ENOMEM;
			goto undo;
		}
		continue;
undo:
		/* drop the references this sub-section already took */
		{
			uint64_t o;

			for (o = vstart & ~(unit - 1); o < off; o += unit) {
				struct vmemmap_unit *p = slot_find(&m->vmemmap, o);

				if (p && --p->refs == 0) {
					vmemmap_unback_unit(m, p, altmap);
					slot_delete(&m->vmemmap, p);
				}
			}
		}
		return ret;
	}
	return 0;
}

int populate_section_memmap(struct hotmem_machine *m, uint64_t pfn,
			    uint64_t nr, int nid, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	unsigned int shift = vmemmap_unit_shift(m, pfn, nr, altmap);
	struct vmem_altmap *use_altmap = altmap;
	uint64_t p;
	int ret;

	if ((pfn | nr) & (g->pages_per_subsection - 1))
		return -EINVAL;
	/* x86 maps sub-section memmaps with base pages from node memory */
	if (shift == g->page_shift && !g->altmap_for_subsections)
		use_altmap = NULL;

	for (p = pfn; p < pfn + nr; p += g->pages_per_subsection) {
		ret = vmemmap_get_subsection(m, p, nid, shift, use_altmap);
		if ((ret == -ENOMEM || ret == -EAGAIN) && !use_altmap &&
		    shift != g->page_shift)
			/* a failed PMD allocation falls back to base pages */
			ret = vmemmap_get_subsection(m, p, nid, g->page_shift, NULL);
		if (ret == -EAGAIN)
			ret = -ENOMEM;
		if (ret) {
			uint64_t q;

			for (q = pfn; q < p; q += g->pages_per_subsection)
				vmemmap_put_subsection(m, q, use_altmap);
			return ret;
		}
	}
	m->nr_memmap_pages += (int64_t)memmap_pages(g, nr);
	machine_trace(m, "  populate_section_memmap pfn %#llx +%llu: nr_memmap_pages +%llu",
		      (unsigned long long)pfn, (unsigned long long)nr,
		      (unsigned long long)memmap_pages(g, nr));
	return 0;
}

void depopulate_section_memmap(struct hotmem_machine *m, uint64_t pfn,
			       uint64_t nr, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t p;

	for (p = pfn; p < pfn + nr; p += g->pages_per_subsection)
		vmemmap_put_subsection(m, p, altmap);
	m->nr_memmap_pages -= (int64_t)memmap_pages(g, nr);
	machine_trace(m, "  depopulate_section_memmap pfn %#llx +%llu: nr_memmap_pages -%llu",
		      (unsigned long long)pfn, (unsigned long long)nr,
		      (unsigned long long)memmap_pages(g, nr));
}

uint64_t boot_memmap_pages(const struct hotmem_machine *m, uint64_t sections)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t bytes = sections * g->pages_per_section * g->struct_page_size;
	unsigned int shift = g->page_shift;

	switch (g->vmemmap_mapping) {
	case VMEMMAP_MAP_PMD_IF_FITS:	/* radix: boot vmemmap is PMD-aligned */
	case VMEMMAP_MAP_PMD_ALWAYS:
		shift = g->pmd_shift;
		break;
	case VMEMMAP_MAP_FIXED:		/* hash: mmu_vmemmap_psize */
		if (m->cfg.mem_bytes >= (1ull << 30) && hugepages_supported(m))
			shift = g->profile->vmemmap_fixed_shift;
		break;
	case VMEMMAP_MAP_PMD:		/* a PMD per full section: exact */
	case VMEMMAP_MAP_BASE:
		break;
	}
	/* whole sections' memmaps that fill their units are unchanged */
	if (!(g->pages_per_section * g->struct_page_size & ((1ull << shift) - 1)))
		return sections * memmap_pages(g, g->pages_per_section);
	return ((bytes + (1ull << shift) - 1) >> shift) << (shift - g->page_shift);
}

uint64_t memory_block_memmap_size(const struct hotmem_machine *m)
{
	return memmap_block_bytes(&m->geo, m->block_size);
}

uint64_t memory_block_memmap_on_memory_pages(const struct hotmem_machine *m)
{
	return memmap_block_pages(&m->geo, m->block_size, m->memmap_on_memory);
}

/* The kernel's decision lives in src/arch/memmap_explain.c. */
bool mhp_supports_memmap_on_memory(const struct hotmem_machine *m)
{
	return memmap_verdict(&m->geo, m->block_size, m->memmap_on_memory,
			      NULL, 0) == MEMMAP_CHECK_OK;
}
