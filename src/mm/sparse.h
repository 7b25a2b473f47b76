/*
 * sparse.h - SPARSEMEM_EXTREME + VMEMMAP section table (mm/sparse.c):
 * struct mem_section with its flags, struct mem_section_usage (sub-section
 * bitmap and pageblock migratetypes), sub-section activate/deactivate,
 * pfn_valid() and the online marking of sections.
 *
 * Contract: state is kept per section in page-sized roots allocated on
 * demand and never freed (as the kernel's), so a lookup is two
 * dependent loads. Nothing is allocated per page. sparse_add_section()
 * and sparse_remove_section() follow mm/sparse-vmemmap.c, including
 * their errno and the memmap accounting.
 * Expected workload: up to 2^19 sections (x86-64, 46 bits).
 */
#ifndef HOTMEM_SPARSE_H
#define HOTMEM_SPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../arch/geometry.h"

struct hotmem_machine;
struct vmem_altmap;

#define SECTION_MARKED_PRESENT		(1u << 0)
#define SECTION_HAS_MEM_MAP		(1u << 1)
#define SECTION_IS_ONLINE		(1u << 2)
#define SECTION_IS_EARLY		(1u << 3)
#define SECTION_TAINT_ZONE_DEVICE	(1u << 4)

/* Where a section's mem_section_usage came from. */
enum section_usage {
	SECTION_USAGE_NONE = 0,
	SECTION_USAGE_HOTPLUG,	/* kzalloc'ed, freed when the section empties */
	SECTION_USAGE_BOOT,	/* memblock: never freed, reused on re-add */
};

/* Pageblock migratetypes kept in the usage's pageblock flags. */
enum migratetype {
	MIGRATE_UNMOVABLE = 0,
	MIGRATE_MOVABLE = 1,
	MIGRATE_RECLAIMABLE = 2,
	MIGRATE_ISOLATE = 5,
};

struct mem_section {
	uint8_t flags;
	uint8_t usage;		/* enum section_usage */
	int16_t nid;		/* node of the memmap's struct pages */
};

struct sparse_root {
	struct mem_section *sections;	/* sections_per_root entries */
	uint64_t *usage_words;		/* per section: subsection bitmap then pageblock flags */
};

struct sparse {
	struct sparse_root *roots;	/* nr_section_roots entries */
	uint64_t highest_present_section_nr;
	bool any_present;
	/* roots at or above this index were never allocated: walks stop here */
	uint64_t root_limit;
};

int sparse_init(struct sparse *sp, const struct hm_geometry *g);
void sparse_release(struct sparse *sp, const struct hm_geometry *g);
int sparse_clone(struct sparse *dst, const struct sparse *src,
		 const struct hm_geometry *g);

/* NULL if the section's root was never allocated (as __nr_to_section). */
struct mem_section *nr_to_section(const struct sparse *sp,
				  const struct hm_geometry *g, uint64_t nr);
uint64_t *section_subsection_map(const struct sparse *sp,
				 const struct hm_geometry *g, uint64_t nr);
/*
 * The first section at or after *nr whose root is allocated, with *nr
 * moved to it; NULL when none is left. Walks every section the machine
 * can hold state for: for (nr = 0; (ms = sparse_next_section(sp, g,
 * &nr)); nr++).
 */
struct mem_section *sparse_next_section(const struct sparse *sp,
					const struct hm_geometry *g, uint64_t *nr);
int sparse_index_init(struct sparse *sp, const struct hm_geometry *g,
		      uint64_t nr);

static inline bool present_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_MARKED_PRESENT);
}
static inline bool valid_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_HAS_MEM_MAP);
}
static inline bool early_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_IS_EARLY);
}
static inline bool online_section(const struct mem_section *ms)
{
	return ms && (ms->flags & SECTION_IS_ONLINE);
}

uint64_t subsection_map_index(const struct hm_geometry *g, uint64_t pfn);
bool pfn_section_valid(const struct sparse *sp, const struct hm_geometry *g,
		       uint64_t pfn);
bool pfn_valid(const struct hotmem_machine *m, uint64_t pfn);
/* True where the kernel's pfn_to_online_page() returns a page. */
bool pfn_to_online_page(const struct hotmem_machine *m, uint64_t pfn);

/* Mark pfn's section as mixing ZONE_DEVICE with other memory. */
void section_taint_zone_device(struct hotmem_machine *m, uint64_t pfn);

int sparse_add_section(struct hotmem_machine *m, int nid, uint64_t pfn,
		       uint64_t nr_pages, struct vmem_altmap *altmap);
void sparse_remove_section(struct hotmem_machine *m, uint64_t pfn,
			   uint64_t nr_pages, struct vmem_altmap *altmap);

/* Boot: mark [start,end) present for nid, then populate memmaps. */
int sparse_memory_present(struct hotmem_machine *m, int nid, uint64_t start_pfn,
			  uint64_t end_pfn);
int sparse_init_boot(struct hotmem_machine *m);
/* How many present sections node nid has (boot: its memmap's size). */
uint64_t sparse_node_present_sections(const struct hotmem_machine *m, int nid);

void online_mem_sections(struct hotmem_machine *m, uint64_t start_pfn,
			 uint64_t end_pfn);
void offline_mem_sections(struct hotmem_machine *m, uint64_t start_pfn,
			  uint64_t end_pfn);

void set_pageblock_migratetype_range(struct hotmem_machine *m, uint64_t pfn,
				     uint64_t nr, enum migratetype mt);
enum migratetype get_pageblock_migratetype(const struct hotmem_machine *m,
					   uint64_t pfn);

#endif
