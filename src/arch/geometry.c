/*
 * geometry.c - architecture profiles (spec 01, "Table").
 *
 * Only x86-64 (4-level paging) is a complete profile so far; the
 * structure takes the others as rows (issue: every architecture).
 */
#include "geometry.h"

#include <errno.h>
#include <string.h>

struct arch_profile {
	const char *name;
	unsigned int page_shift, section_size_bits, max_physmem_bits;
	unsigned int pageblock_order, max_page_order, pmd_shift;
	enum vmemmap_mapping mapping;
	bool altmap_for_subsections;
};

static const struct arch_profile arch_profiles[] = {
	/* x86-64, 4 KiB pages, 4-level paging: 128 MiB sections, 46 bits. */
	{ "x86_64", 12, 27, 46, 9, 10, 21, VMEMMAP_MAP_PMD, false },
};

int geometry_init(struct hm_geometry *g, const char *arch)
{
	const struct arch_profile *p = NULL;
	size_t i;

	for (i = 0; i < sizeof(arch_profiles) / sizeof(arch_profiles[0]); i++)
		if (!strcmp(arch_profiles[i].name, arch))
			p = &arch_profiles[i];
	if (!p)
		return -EINVAL;

	memset(g, 0, sizeof(*g));
	strncpy(g->arch, p->name, sizeof(g->arch) - 1);
	g->page_shift = p->page_shift;
	g->section_size_bits = p->section_size_bits;
	g->max_physmem_bits = p->max_physmem_bits;
	g->pageblock_order = p->pageblock_order;
	g->max_page_order = p->max_page_order;
	g->struct_page_size = 64;
	g->pmd_shift = p->pmd_shift;
	g->vmemmap_mapping = p->mapping;
	g->altmap_for_subsections = p->altmap_for_subsections;

	g->page_size = 1ull << g->page_shift;
	g->pages_per_section = 1ull << (g->section_size_bits - g->page_shift);
	g->pages_per_subsection = 1ull << (SUBSECTION_SHIFT - g->page_shift);
	g->subsections_per_section = 1ull << (g->section_size_bits - SUBSECTION_SHIFT);
	g->pageblock_nr_pages = 1ull << g->pageblock_order;
	g->nr_mem_sections = 1ull << (g->max_physmem_bits - g->section_size_bits);
	/* 16-byte struct mem_section entries in page-sized roots */
	g->sections_per_root = g->page_size / 16;
	g->nr_section_roots = (g->nr_mem_sections + g->sections_per_root - 1) /
			      g->sections_per_root;
	g->subsection_words = (unsigned int)((g->subsections_per_section + 63) / 64);
	g->pageblock_words = (unsigned int)((g->pages_per_section /
					     g->pageblock_nr_pages * 4 + 63) / 64);
	return 0;
}

const char *geometry_arch_names(void)
{
	return "x86_64";
}
