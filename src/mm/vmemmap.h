/*
 * vmemmap.h - the virtual memmap: population and depopulation per
 * mapping unit (a PMD or a base page of the vmemmap), where each unit's
 * backing came from (a node's memory or a vmem_altmap), and the
 * vmem_altmap allocator itself (mm/sparse-vmemmap.c).
 *
 * Contract: units are reference-counted by the populated sub-sections
 * they describe, so a unit shared by neighbours survives the removal of
 * one of them. Boot memmaps of early sections are not kept as units:
 * they are implied by the EARLY flag and freed whole. Page-table pages
 * are not modelled (the kernel does not count them either).
 * Expected workload: one unit per hot-added section (PMD mapping) or a
 * few per sub-section; thousands in all.
 */
#ifndef HOTMEM_VMEMMAP_H
#define HOTMEM_VMEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hotmem_machine;

struct vmem_altmap {
	uint64_t base_pfn;
	uint64_t end_pfn;	/* inclusive */
	uint64_t reserve;
	uint64_t free;
	uint64_t align;
	uint64_t alloc;
	bool inaccessible;
};

static inline uint64_t vmem_altmap_offset(const struct vmem_altmap *a)
{
	return a ? a->reserve + a->free : 0;
}

enum vmemmap_source {
	VMEMMAP_FROM_NODE,	/* alloc_pages_node(): a kernel extent on backing_nid */
	VMEMMAP_FROM_ALTMAP,	/* pages at the start of the hot-added range itself */
};

struct vmemmap_unit {
	uint64_t start;		/* vmemmap offset in bytes (pfn * sizeof(struct page)) */
	uint64_t backing_pfn;
	uint32_t refs;		/* populated sub-sections this unit describes */
	uint8_t shift;		/* log2 of the unit's size */
	uint8_t source;		/* enum vmemmap_source */
	int16_t backing_nid;
	bool used;		/* hash slot in use */
};

struct vmemmap {
	struct vmemmap_unit *slots;
	uint64_t nr_slots;	/* power of two */
	uint64_t nr_units;
};

int vmemmap_init(struct vmemmap *vm);
/*
 * Pages of memblock the boot memmap of `sections` present sections
 * takes: its bytes rounded up to the unit the arch maps the boot vmemmap
 * with. With 64 KiB pages on ppc64 a section's memmap (16 KiB) shares
 * its unit with other sections, so this is less than the per-section
 * figure nr_memmap_boot_pages counts.
 */
uint64_t boot_memmap_pages(const struct hotmem_machine *m, uint64_t sections);
void vmemmap_release(struct vmemmap *vm);
int vmemmap_clone(struct vmemmap *dst, const struct vmemmap *src);
const struct vmemmap_unit *vmemmap_lookup(const struct vmemmap *vm,
					  uint64_t start);

/* altmap_alloc_block_buf: 0 and the pfn, or -ENOMEM. */
int altmap_alloc_block_buf(struct vmem_altmap *a, uint64_t nr_pages,
			   uint64_t *pfn);
void vmem_altmap_free(struct vmem_altmap *a, uint64_t nr_pages);

/*
 * Populate / depopulate the memmap of [pfn, pfn+nr) (sub-section
 * aligned, within one section). Populate is all-or-nothing.
 */
int populate_section_memmap(struct hotmem_machine *m, uint64_t pfn,
			    uint64_t nr, int nid, struct vmem_altmap *altmap);
void depopulate_section_memmap(struct hotmem_machine *m, uint64_t pfn,
			       uint64_t nr, struct vmem_altmap *altmap);

/* Whether memmap_on_memory can be used (mhp_supports_memmap_on_memory). */
bool mhp_supports_memmap_on_memory(const struct hotmem_machine *m);
uint64_t memory_block_memmap_size(const struct hotmem_machine *m);
uint64_t memory_block_memmap_on_memory_pages(const struct hotmem_machine *m);

/*
 * Whether the vmemmap unit of 2^shift bytes at offset off describes an
 * early (boot) section: such a unit was mapped at boot and hot-add reuses
 * it without a record of its own.
 */
bool vmemmap_unit_has_boot_memmap(const struct hotmem_machine *m, uint64_t off,
				  unsigned int shift);

#endif
