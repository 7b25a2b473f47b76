/*
 * memmap_explain.c - mhp_supports_memmap_on_memory() and the figures
 * around it, per profile and block size (mm/memory_hotplug.c :
 * memory_block_memmap_size, memory_block_memmap_on_memory_pages,
 * mhp_supports_memmap_on_memory; the arch hooks in geometry.c).
 */
#include "memmap_explain.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *memmap_mode_name(enum hotmem_memmap_on_memory mode)
{
	switch (mode) {
	case HOTMEM_MEMMAP_ON_MEMORY_ENABLE:
		return "on";
	case HOTMEM_MEMMAP_ON_MEMORY_FORCE:
		return "force";
	default:
		return "off";
	}
}

uint64_t memmap_block_bytes(const struct hm_geometry *g, uint64_t block_size)
{
	return (block_size >> g->page_shift) * g->struct_page_size;
}

uint64_t memmap_block_pages(const struct hm_geometry *g, uint64_t block_size,
			    enum hotmem_memmap_on_memory mode)
{
	uint64_t pages = (memmap_block_bytes(g, block_size) + g->page_size - 1) >>
			 g->page_shift;

	/* force: round up to whole pageblocks, wasting the difference */
	if (mode == HOTMEM_MEMMAP_ON_MEMORY_FORCE)
		pages = (pages + g->pageblock_nr_pages - 1) & ~(g->pageblock_nr_pages - 1);
	return pages;
}

static void say(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!why || !whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static unsigned long long kib(uint64_t bytes)
{
	return (unsigned long long)(bytes >> 10);
}

enum memmap_check memmap_verdict(const struct hm_geometry *g,
				 uint64_t block_size,
				 enum hotmem_memmap_on_memory mode,
				 char *why, size_t whylen)
{
	uint64_t size = memmap_block_bytes(g, block_size);
	uint64_t pages = memmap_block_pages(g, block_size, mode);
	char archwhy[256] = "";

	if (mode == HOTMEM_MEMMAP_ON_MEMORY_DISABLE) {
		say(why, whylen, "memory_hotplug.memmap_on_memory is off (the default), "
		    "so every block's memmap is allocated from memory already online");
		return MEMMAP_CHECK_DISABLED;
	}
	if (size & (g->page_size - 1)) {
		say(why, whylen, "mhp_supports_memmap_on_memory: the memmap of a block "
		    "(%llu KiB) is not a whole number of %llu KiB pages, so it cannot "
		    "be kept on the block without sharing a vmemmap page with other blocks",
		    kib(size), kib(g->page_size));
		return MEMMAP_CHECK_PAGE_MULTIPLE;
	}
	if (pages & (g->pageblock_nr_pages - 1)) {
		say(why, whylen, "mhp_supports_memmap_on_memory: %llu vmemmap pages do "
		    "not fill whole pageblocks of %llu pages, so the memory after them "
		    "would not start on a pageblock (memmap_on_memory=force rounds up)",
		    (unsigned long long)pages, (unsigned long long)g->pageblock_nr_pages);
		return MEMMAP_CHECK_PAGEBLOCK;
	}
	if (pages == block_size >> g->page_shift) {
		say(why, whylen, "mhp_supports_memmap_on_memory: the %llu vmemmap pages "
		    "would take the whole block, leaving nothing to online",
		    (unsigned long long)pages);
		return MEMMAP_CHECK_WHOLE_BLOCK;
	}
	if (!g->profile->supports_memmap_on_memory(g, size, archwhy, sizeof(archwhy))) {
		say(why, whylen, "%s", archwhy);
		return MEMMAP_CHECK_ARCH;
	}
	say(why, whylen, "every check of mhp_supports_memmap_on_memory holds: the "
	    "first %llu pages of each block hold its memmap", (unsigned long long)pages);
	return MEMMAP_CHECK_OK;
}

/*
 * The mapping unit that holds a block-aligned block's memmap, by the
 * arch's vmemmap_populate rules, with (altmap) or without the altmap.
 */
static unsigned int block_unit_shift(const struct hm_geometry *g,
				     uint64_t memmap_bytes, bool altmap)
{
	unsigned int pmd = g->pmd_shift;

	switch (g->vmemmap_mapping) {
	case VMEMMAP_MAP_BASE:
		return g->page_shift;
	case VMEMMAP_MAP_PMD:
	case VMEMMAP_MAP_PMD_ALWAYS:
		return pmd;
	case VMEMMAP_MAP_PMD_IF_FITS:
		/*
		 * A PMD needs a PMD-aligned vmemmap address and, with an
		 * altmap, must describe only pfns of this block. A block
		 * whose memmap is smaller than a PMD gets base pages (from
		 * RAM, a PMD only if it starts on a PMD's worth of memory).
		 */
		(void)altmap;
		return memmap_bytes >= (1ull << pmd) ? pmd : g->page_shift;
	case VMEMMAP_MAP_FIXED:
		return g->profile->vmemmap_fixed_shift;
	}
	return g->page_shift;
}

static const char *unit_kind(const struct hm_geometry *g, unsigned int shift)
{
	if (shift == g->page_shift)
		return "base page";
	if (g->vmemmap_mapping == VMEMMAP_MAP_FIXED)
		return "hash vmemmap page";
	return "PMD";
}

int memmap_explain(const struct hm_geometry *g, uint64_t block_size,
		   enum hotmem_memmap_on_memory mode, struct memmap_explain *x,
		   char *err, size_t errlen)
{
	uint64_t unit;

	if (geometry_check_block_size(g, "block size ", block_size, err, errlen))
		return -EINVAL;
	memset(x, 0, sizeof(*x));
	x->profile = g->profile;
	x->mode = mode;
	x->block_size = block_size;
	x->pages_per_block = block_size >> g->page_shift;
	x->sections_per_block = block_size >> g->section_size_bits;
	x->memmap_bytes = memmap_block_bytes(g, block_size);
	x->vmemmap_pages_exact = memmap_block_pages(g, block_size,
						    HOTMEM_MEMMAP_ON_MEMORY_ENABLE);
	x->vmemmap_pages = memmap_block_pages(g, block_size,
					      mode == HOTMEM_MEMMAP_ON_MEMORY_FORCE ?
					      mode : HOTMEM_MEMMAP_ON_MEMORY_ENABLE);
	x->wasted_pages = x->vmemmap_pages - x->vmemmap_pages_exact;
	x->whole_pages = !(x->memmap_bytes & (g->page_size - 1));
	x->whole_pageblocks = !(x->vmemmap_pages & (g->pageblock_nr_pages - 1));

	x->check = memmap_verdict(g, block_size, mode, x->reason, sizeof(x->reason));
	x->accepted = x->check == MEMMAP_CHECK_OK;

	x->unit_shift = block_unit_shift(g, x->memmap_bytes, x->accepted);
	x->unit_kind = unit_kind(g, x->unit_shift);
	unit = 1ull << x->unit_shift;
	x->unit_covers_bytes = (unit / g->struct_page_size) << g->page_shift;
	x->units_per_block = (x->memmap_bytes + unit - 1) / unit;
	x->whole_units = !(x->memmap_bytes & (unit - 1));

	x->present_pages = x->pages_per_block;
	if (x->accepted) {
		x->altmap_pages_used = x->units_per_block << (x->unit_shift - g->page_shift);
		x->usable_pages = x->pages_per_block - x->vmemmap_pages;
	} else {
		x->usable_pages = x->pages_per_block;
	}
	return 0;
}
