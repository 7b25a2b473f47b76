/*
 * sparse.c - sections, sub-sections and validity (mm/sparse.c); the
 * hotplug helpers follow mm/sparse.c's SPARSEMEM_VMEMMAP part as built
 * in 6.12.95 (section_activate, section_deactivate, sparse_add_section,
 * sparse_remove_section), and boot follows sparse_init().
 */
#include "sparse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "memremap.h"
#include "vmemmap.h"

static unsigned int usage_words(const struct hm_geometry *g)
{
	return g->subsection_words + g->pageblock_words;
}

int sparse_init(struct sparse *sp, const struct hm_geometry *g)
{
	memset(sp, 0, sizeof(*sp));
	sp->roots = calloc(g->nr_section_roots, sizeof(*sp->roots));
	return sp->roots ? 0 : -ENOMEM;
}

void sparse_release(struct sparse *sp, const struct hm_geometry *g)
{
	uint64_t i;

	if (!sp->roots)
		return;
	(void)g;
	for (i = 0; i < sp->root_limit; i++) {
		free(sp->roots[i].sections);
		free(sp->roots[i].usage_words);
	}
	free(sp->roots);
	sp->roots = NULL;
}

int sparse_clone(struct sparse *dst, const struct sparse *src,
		 const struct hm_geometry *g)
{
	uint64_t i, spr = g->sections_per_root;
	size_t wbytes = spr * usage_words(g) * sizeof(uint64_t);

	*dst = *src;
	dst->roots = calloc(g->nr_section_roots, sizeof(*dst->roots));
	if (!dst->roots)
		return -ENOMEM;
	for (i = 0; i < src->root_limit; i++) {
		const struct sparse_root *r = &src->roots[i];

		if (!r->sections)
			continue;
		dst->roots[i].sections = malloc(spr * sizeof(struct mem_section));
		dst->roots[i].usage_words = malloc(wbytes);
		if (!dst->roots[i].sections || !dst->roots[i].usage_words) {
			sparse_release(dst, g);
			return -ENOMEM;
		}
		memcpy(dst->roots[i].sections, r->sections,
		       spr * sizeof(struct mem_section));
		memcpy(dst->roots[i].usage_words, r->usage_words, wbytes);
	}
	return 0;
}

struct mem_section *nr_to_section(const struct sparse *sp,
				  const struct hm_geometry *g, uint64_t nr)
{
	uint64_t root = nr / g->sections_per_root;

	if (root >= g->nr_section_roots || !sp->roots[root].sections)
		return NULL;
	return &sp->roots[root].sections[nr % g->sections_per_root];
}

struct mem_section *sparse_next_section(const struct sparse *sp,
					const struct hm_geometry *g, uint64_t *nr)
{
	uint64_t root;

	for (root = *nr / g->sections_per_root; root < sp->root_limit; root++) {
		if (!sp->roots[root].sections)
			continue;
		if (*nr < root * g->sections_per_root)
			*nr = root * g->sections_per_root;
		return &sp->roots[root].sections[*nr % g->sections_per_root];
	}
	return NULL;
}

uint64_t *section_subsection_map(const struct sparse *sp,
				 const struct hm_geometry *g, uint64_t nr)
{
	uint64_t root = nr / g->sections_per_root;

	if (root >= g->nr_section_roots || !sp->roots[root].usage_words)
		return NULL;
	return sp->roots[root].usage_words +
	       (nr % g->sections_per_root) * usage_words(g);
}

static uint64_t *section_pageblock_flags(const struct sparse *sp,
					 const struct hm_geometry *g, uint64_t nr)
{
	uint64_t *w = section_subsection_map(sp, g, nr);

	return w ? w + g->subsection_words : NULL;
}

int sparse_index_init(struct sparse *sp, const struct hm_geometry *g,
		      uint64_t nr)
{
	uint64_t root = nr / g->sections_per_root;
	struct sparse_root *r;

	if (root >= g->nr_section_roots)
		return -EINVAL;
	r = &sp->roots[root];
	if (r->sections)
		return 0;
	r->sections = calloc(g->sections_per_root, sizeof(struct mem_section));
	r->usage_words = calloc(g->sections_per_root * usage_words(g),
				sizeof(uint64_t));
	if (!r->sections || !r->usage_words) {
		free(r->sections);
		free(r->usage_words);
		r->sections = NULL;
		r->usage_words = NULL;
		return -ENOMEM;
	}
	if (root >= sp->root_limit)
		sp->root_limit = root + 1;
	return 0;
}

uint64_t subsection_map_index(const struct hm_geometry *g, uint64_t pfn)
{
	return (pfn & (g->pages_per_section - 1)) / g->pages_per_subsection;
}

static bool test_bit64(const uint64_t *w, uint64_t bit)
{
	return (w[bit / 64] >> (bit % 64)) & 1;
}

/* Sub-section bits of [pfn, pfn+nr) inside one section, as a mask. */
static void subsection_mask_set(const struct hm_geometry *g, uint64_t *mask,
				uint64_t pfn, uint64_t nr)
{
	uint64_t first = subsection_map_index(g, pfn);
	uint64_t last = subsection_map_index(g, pfn + nr - 1);
	uint64_t b;

	memset(mask, 0, g->subsection_words * sizeof(uint64_t));
	for (b = first; b <= last; b++)
		mask[b / 64] |= 1ull << (b % 64);
}

bool pfn_section_valid(const struct sparse *sp, const struct hm_geometry *g,
		       uint64_t pfn)
{
	uint64_t *map = section_subsection_map(sp, g, pfn_to_section_nr(g, pfn));

	return map && test_bit64(map, subsection_map_index(g, pfn));
}

bool pfn_valid(const struct hotmem_machine *m, uint64_t pfn)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t nr = pfn_to_section_nr(g, pfn);
	const struct mem_section *ms;

	if (((pfn << g->page_shift) >> g->page_shift) != pfn)
		return false;
	if (nr >= g->nr_mem_sections)
		return false;
	ms = nr_to_section(&m->sparse, g, nr);
	if (!valid_section(ms))
		return false;
	return early_section(ms) || pfn_section_valid(&m->sparse, g, pfn);
}

bool pfn_to_online_page(const struct hotmem_machine *m, uint64_t pfn)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t nr = pfn_to_section_nr(g, pfn);
	const struct mem_section *ms;

	if (nr >= g->nr_mem_sections)
		return false;
	ms = nr_to_section(&m->sparse, g, nr);
	if (!online_section(ms))
		return false;
	/* no "early" exception here: boot holes are not online pages */
	if (!pfn_section_valid(&m->sparse, g, pfn))
		return false;
	/*
	 * Slow path: an online section that also holds ZONE_DEVICE
	 * sub-sections; those are never online pages.
	 */
	if (ms->flags & SECTION_TAINT_ZONE_DEVICE)
		return get_dev_pagemap(m, pfn) == NULL;
	return true;
}

void section_taint_zone_device(struct hotmem_machine *m, uint64_t pfn)
{
	struct mem_section *ms =
		nr_to_section(&m->sparse, &m->geo, pfn_to_section_nr(&m->geo, pfn));

	if (ms)
		ms->flags |= SECTION_TAINT_ZONE_DEVICE;
}

static void usage_clear(const struct sparse *sp, const struct hm_geometry *g,
			uint64_t nr)
{
	uint64_t *w = section_subsection_map(sp, g, nr);

	memset(w, 0, usage_words(g) * sizeof(uint64_t));
}

/* section_activate: the sub-section map, then the memmap (mm/sparse.c). */
static int section_activate(struct hotmem_machine *m, int nid, uint64_t pfn,
			    uint64_t nr_pages, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t snr = pfn_to_section_nr(g, pfn);
	struct mem_section *ms = nr_to_section(&m->sparse, g, snr);
	uint64_t *map = section_subsection_map(&m->sparse, g, snr);
	uint64_t mask[4];
	bool new_usage = false;
	unsigned int i;
	int ret;

	if (ms->usage == SECTION_USAGE_NONE) {
		ms->usage = SECTION_USAGE_HOTPLUG;
		usage_clear(&m->sparse, g, snr);
		new_usage = true;
	}
	subsection_mask_set(g, mask, pfn, nr_pages);
	for (i = 0; i < g->subsection_words; i++) {
		if (mask[i] & map[i]) {
			if (new_usage)
				ms->usage = SECTION_USAGE_NONE;
			return -EEXIST;
		}
	}
	for (i = 0; i < g->subsection_words; i++)
		map[i] |= mask[i];

	/* A partial add into an early section reuses the boot memmap. */
	if (nr_pages < g->pages_per_section && early_section(ms))
		return 0;

	ret = populate_section_memmap(m, pfn, nr_pages, nid, altmap);
	if (ret) {
		for (i = 0; i < g->subsection_words; i++)
			map[i] &= ~mask[i];
		if (new_usage)
			ms->usage = SECTION_USAGE_NONE;
		return -ENOMEM;
	}
	return 0;
}

int sparse_add_section(struct hotmem_machine *m, int nid, uint64_t pfn,
		       uint64_t nr_pages, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t snr = pfn_to_section_nr(g, pfn);
	struct mem_section *ms;
	int ret;

	ret = sparse_index_init(&m->sparse, g, snr);
	if (ret)
		return ret;
	ret = section_activate(m, nid, pfn, nr_pages, altmap);
	if (ret)
		return ret;
	ms = nr_to_section(&m->sparse, g, snr);
	ms->flags |= SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP;
	if (!(ms->flags & SECTION_IS_EARLY))
		ms->nid = (int16_t)nid;
	if (!m->sparse.any_present || snr > m->sparse.highest_present_section_nr)
		m->sparse.highest_present_section_nr = snr;
	m->sparse.any_present = true;
	return 0;
}

static bool subsection_map_empty(const struct hm_geometry *g, const uint64_t *map)
{
	unsigned int i;

	for (i = 0; i < g->subsection_words; i++)
		if (map[i])
			return false;
	return true;
}

void sparse_remove_section(struct hotmem_machine *m, uint64_t pfn,
			   uint64_t nr_pages, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t snr = pfn_to_section_nr(g, pfn);
	struct mem_section *ms = nr_to_section(&m->sparse, g, snr);
	uint64_t *map = section_subsection_map(&m->sparse, g, snr);
	uint64_t mask[4];
	unsigned int i;
	bool empty, early;

	if (!valid_section(ms)) {
		machine_log(m, "WARNING: sparse_remove_section of invalid section %llu",
			    (unsigned long long)snr);
		return;
	}
	subsection_mask_set(g, mask, pfn, nr_pages);
	for (i = 0; i < g->subsection_words; i++) {
		if ((mask[i] & map[i]) != mask[i]) {
			machine_log(m, "section already deactivated (%#llx + %llu)",
				    (unsigned long long)pfn,
				    (unsigned long long)nr_pages);
			return;
		}
	}
	for (i = 0; i < g->subsection_words; i++)
		map[i] ^= mask[i];
	empty = subsection_map_empty(g, map);
	early = early_section(ms);

	if (empty) {
		ms->flags &= (uint8_t)~SECTION_HAS_MEM_MAP;
		if (ms->usage == SECTION_USAGE_HOTPLUG)
			ms->usage = SECTION_USAGE_NONE;
	}
	if (!early) {
		depopulate_section_memmap(m, pfn, nr_pages, altmap);
	} else if (empty) {
		/* the boot memmap of the whole section goes */
		m->nr_memmap_boot_pages -= (int64_t)memmap_pages(g, g->pages_per_section);
	}
	if (empty) {
		ms->flags = 0;
		if (ms->usage == SECTION_USAGE_BOOT)
			usage_clear(&m->sparse, g, snr);
	}
}

int sparse_memory_present(struct hotmem_machine *m, int nid, uint64_t start_pfn,
			  uint64_t end_pfn)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t snr, first = pfn_to_section_nr(g, start_pfn);
	uint64_t last = pfn_to_section_nr(g, end_pfn - 1);
	int ret;

	for (snr = first; snr <= last; snr++) {
		struct mem_section *ms;

		ret = sparse_index_init(&m->sparse, g, snr);
		if (ret)
			return ret;
		ms = nr_to_section(&m->sparse, g, snr);
		if (!ms->flags) {
			/* early sections start out ONLINE and PRESENT */
			ms->flags = SECTION_MARKED_PRESENT | SECTION_IS_ONLINE;
			ms->nid = (int16_t)nid;
		}
		if (!m->sparse.any_present || snr > m->sparse.highest_present_section_nr)
			m->sparse.highest_present_section_nr = snr;
		m->sparse.any_present = true;
	}
	return 0;
}

/*
 * sparse_init + the boot sub-section map: every present section gets a
 * full boot memmap (accounted in nr_memmap_boot_pages), EARLY|HAS_MEM_MAP
 * and a boot usage; then sub-section bits of every memblock range are set.
 */
int sparse_init_boot(struct hotmem_machine *m)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t snr;
	size_t i;

	if (!m->sparse.any_present)
		return 0;
	for (snr = 0; snr <= m->sparse.highest_present_section_nr; snr++) {
		struct mem_section *ms = nr_to_section(&m->sparse, g, snr);

		if (!present_section(ms))
			continue;
		ms->flags |= SECTION_IS_EARLY | SECTION_HAS_MEM_MAP;
		ms->usage = SECTION_USAGE_BOOT;
		m->nr_memmap_boot_pages += (int64_t)memmap_pages(g, g->pages_per_section);
	}
	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t pfn = r->start_pfn;

		while (pfn < r->end_pfn) {
			uint64_t snr2 = pfn_to_section_nr(g, pfn);
			uint64_t send = section_nr_to_pfn(g, snr2 + 1);
			uint64_t end = send < r->end_pfn ? send : r->end_pfn;
			uint64_t *map = section_subsection_map(&m->sparse, g, snr2);
			uint64_t b, first = subsection_map_index(g, pfn);
			uint64_t last = subsection_map_index(g, end - 1);

			for (b = first; b <= last; b++)
				map[b / 64] |= 1ull << (b % 64);
			pfn = end;
		}
	}
	return 0;
}

/* Set or clear ONLINE on every section whose start lies in [start, end). */
static void mark_mem_sections(struct hotmem_machine *m, uint64_t start_pfn,
			      uint64_t end_pfn, bool online)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t pfn;

	for (pfn = start_pfn; pfn < end_pfn; pfn += g->pages_per_section) {
		struct mem_section *ms =
			nr_to_section(&m->sparse, g, pfn_to_section_nr(g, pfn));

		if (!ms)
			continue;
		if (online)
			ms->flags |= SECTION_IS_ONLINE;
		else
			ms->flags &= (uint8_t)~SECTION_IS_ONLINE;
	}
}

void online_mem_sections(struct hotmem_machine *m, uint64_t start_pfn,
			 uint64_t end_pfn)
{
	mark_mem_sections(m, start_pfn, end_pfn, true);
}

void offline_mem_sections(struct hotmem_machine *m, uint64_t start_pfn,
			  uint64_t end_pfn)
{
	mark_mem_sections(m, start_pfn, end_pfn, false);
}

void set_pageblock_migratetype_range(struct hotmem_machine *m, uint64_t pfn,
				     uint64_t nr, enum migratetype mt)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t p;

	for (p = pfn; p < pfn + nr; p += g->pageblock_nr_pages) {
		uint64_t snr = pfn_to_section_nr(g, p);
		uint64_t *w = section_pageblock_flags(&m->sparse, g, snr);
		uint64_t idx = (p & (g->pages_per_section - 1)) / g->pageblock_nr_pages;
		uint64_t bit = idx * 4;

		if (!w)
			continue;
		w[bit / 64] &= ~(0xfull << (bit % 64));
		w[bit / 64] |= ((uint64_t)mt & 0xf) << (bit % 64);
	}
}

enum migratetype get_pageblock_migratetype(const struct hotmem_machine *m,
					   uint64_t pfn)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t *w = section_pageblock_flags(&m->sparse, g, pfn_to_section_nr(g, pfn));
	uint64_t idx = (pfn & (g->pages_per_section - 1)) / g->pageblock_nr_pages;
	uint64_t bit = idx * 4;

	if (!w)
		return MIGRATE_UNMOVABLE;
	return (enum migratetype)((w[bit / 64] >> (bit % 64)) & 0xf);
}

uint64_t sparse_node_present_sections(const struct hotmem_machine *m, int nid)
{
	uint64_t sections = 0, snr;

	for (snr = 0; m->sparse.any_present &&
		      snr <= m->sparse.highest_present_section_nr; snr++) {
		const struct mem_section *ms = nr_to_section(&m->sparse, &m->geo, snr);

		if (present_section(ms) && ms->nid == nid)
			sections++;
	}
	return sections;
}
