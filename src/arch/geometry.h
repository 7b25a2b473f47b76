/*
 * geometry.h - architecture profiles: the constants that shape sparse
 * memory, the vmemmap and memory blocks (spec 01).
 *
 * Contract: geometry_init() fills a struct hm_geometry for a named
 * profile; everything else in the model derives sizes from it, never
 * from #ifdefs. Profiles are data; adding one is adding a table row.
 * Expected workload: initialised once per machine, read constantly.
 */
#ifndef HOTMEM_GEOMETRY_H
#define HOTMEM_GEOMETRY_H

#include <stdbool.h>
#include <stdint.h>

#define SUBSECTION_SHIFT 21	/* 2 MiB on every arch and page size */

/* How the arch maps the vmemmap for a full section (spec 01). */
enum vmemmap_mapping {
	VMEMMAP_MAP_PMD,	/* PMD leaves for full sections, base pages for sub-sections */
	VMEMMAP_MAP_BASE,	/* base pages always */
};

struct hm_geometry {
	char arch[16];
	unsigned int page_shift;
	unsigned int section_size_bits;
	unsigned int max_physmem_bits;
	unsigned int pageblock_order;
	unsigned int max_page_order;
	unsigned int struct_page_size;
	unsigned int pmd_shift;
	enum vmemmap_mapping vmemmap_mapping;
	bool altmap_for_subsections;	/* x86 ignores the altmap below a section */

	/* derived */
	uint64_t page_size;
	uint64_t pages_per_section;
	uint64_t pages_per_subsection;
	uint64_t subsections_per_section;
	uint64_t pageblock_nr_pages;
	uint64_t nr_mem_sections;
	uint64_t sections_per_root;
	uint64_t nr_section_roots;
	unsigned int subsection_words;	/* u64 words of a sub-section bitmap */
	unsigned int pageblock_words;	/* u64 words of pageblock flags, 4 bits each */
};

int geometry_init(struct hm_geometry *g, const char *arch);
/* "x86_64" or "a, b, c": the profiles, for messages. */
const char *geometry_arch_names(void);

static inline uint64_t pfn_to_section_nr(const struct hm_geometry *g, uint64_t pfn)
{
	return pfn >> (g->section_size_bits - g->page_shift);
}

static inline uint64_t section_nr_to_pfn(const struct hm_geometry *g, uint64_t nr)
{
	return nr << (g->section_size_bits - g->page_shift);
}

/* Bytes of vmemmap (struct pages) describing nr pages, rounded up to pages. */
static inline uint64_t memmap_pages(const struct hm_geometry *g, uint64_t nr)
{
	return (nr * g->struct_page_size + g->page_size - 1) >> g->page_shift;
}

#endif
