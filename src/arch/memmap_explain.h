/*
 * memmap_explain.h - the numbers that decide a hot-add with
 * memmap_on_memory, for any profile and block size, without a machine:
 * mhp_supports_memmap_on_memory() and memory_block_memmap_on_memory_pages()
 * of mm/memory_hotplug.c, the arch hook, and how the arch maps the
 * block's vmemmap (mm/sparse-vmemmap.c, memmap sizing, memory_block_memmap_on_memory_pages).
 *
 * Contract: memmap_verdict() is the one implementation of the kernel's
 * decision; the machine (src/mm/vmemmap.c) and `hotmem explain` both
 * call it. memmap_explain() adds the derived figures a person wants to
 * see. Pure functions over a struct hm_geometry; no allocation.
 * Expected workload: a handful of calls per machine or CLI run.
 */
#ifndef HOTMEM_MEMMAP_EXPLAIN_H
#define HOTMEM_MEMMAP_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hotmem.h"
#include "geometry.h"

/* Which check of mhp_supports_memmap_on_memory() decided (0 = all held). */
enum memmap_check {
	MEMMAP_CHECK_OK = 0,
	MEMMAP_CHECK_DISABLED,		/* the module parameter is off */
	MEMMAP_CHECK_PAGE_MULTIPLE,	/* memmap bytes not a multiple of PAGE_SIZE */
	MEMMAP_CHECK_PAGEBLOCK,		/* vmemmap pages not whole pageblocks */
	MEMMAP_CHECK_WHOLE_BLOCK,	/* the memmap would take the whole block */
	MEMMAP_CHECK_ARCH,		/* arch_supports_memmap_on_memory */
};

/* memory_block_memmap_size(): struct pages of one block, in bytes. */
uint64_t memmap_block_bytes(const struct hm_geometry *g, uint64_t block_size);
/* memory_block_memmap_on_memory_pages(), force rounding included. */
uint64_t memmap_block_pages(const struct hm_geometry *g, uint64_t block_size,
			    enum hotmem_memmap_on_memory mode);
/*
 * mhp_supports_memmap_on_memory(): the checks in the kernel's order; the
 * first that fails decides. why (may be NULL) gets one sentence naming
 * the rule, also on success.
 */
enum memmap_check memmap_verdict(const struct hm_geometry *g,
				 uint64_t block_size,
				 enum hotmem_memmap_on_memory mode,
				 char *why, size_t whylen);

struct memmap_explain {
	const struct arch_profile *profile;
	enum hotmem_memmap_on_memory mode;
	uint64_t block_size;
	uint64_t pages_per_block;
	uint64_t sections_per_block;
	uint64_t memmap_bytes;		/* memory_block_memmap_size() */
	uint64_t vmemmap_pages_exact;	/* ceil(memmap_bytes / PAGE_SIZE) */
	uint64_t vmemmap_pages;		/* after force rounding */
	uint64_t wasted_pages;		/* force: rounded minus exact */
	bool whole_pages;		/* memmap_bytes % PAGE_SIZE == 0 */
	bool whole_pageblocks;		/* vmemmap_pages % pageblock_nr_pages == 0 */
	/* the vmemmap mapping that holds the block's memmap */
	unsigned int unit_shift;	/* log2 bytes: PMD, base page, 16M */
	const char *unit_kind;		/* "PMD", "base page", "16 MiB page" */
	uint64_t unit_covers_bytes;	/* memory described by one unit */
	uint64_t units_per_block;	/* ceil(memmap / unit) */
	bool whole_units;		/* memmap_bytes % unit == 0 */
	uint64_t altmap_pages_used;	/* pages of the altmap the units take */
	/* outcome */
	enum memmap_check check;
	bool accepted;
	uint64_t usable_pages;		/* handed to the buddy per block */
	uint64_t present_pages;		/* counted present per block */
	char reason[320];
};

/*
 * Explain one configuration. -EINVAL with err set if block_size is not
 * a power of two of at least one section (the kernel would not boot:
 * drivers/base/memory.c : memory_dev_init).
 */
int memmap_explain(const struct hm_geometry *g, uint64_t block_size,
		   enum hotmem_memmap_on_memory mode, struct memmap_explain *x,
		   char *err, size_t errlen);

/* "on", "off", "force" */
const char *memmap_mode_name(enum hotmem_memmap_on_memory mode);

#endif
