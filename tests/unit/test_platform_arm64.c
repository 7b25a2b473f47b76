/*
 * test_platform_arm64.c - where QEMU virt with EDK2 puts things for
 * Debian's arm64 kernels (src/platform/virt_arm64.c): each case is an
 * address or a count read off a real guest (6.12.95, QEMU 7.2): the
 * dmesg line `cma: Reserved 64 MiB at ...`, the boot memmap's reserved
 * range in /proc/iomem, present pages, MemTotal; at RAM sizes the
 * scenarios do not use (1G, 3G), so the rules, not fitted numbers, are
 * checked.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "harness.h"
#include "../../src/machine.h"

static struct hotmem_machine *boot_arm64(struct test_ctx *t, const char *arch,
					 uint64_t mem)
{
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256] = "";

	hotmem_config_init(&c);
	strcpy(c.arch, arch);
	c.mem_bytes = mem;
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		printf("  boot %s: %s\n", arch, err);
		CHECK(t, 0);
		return NULL;
	}
	return m;
}

/* Is [phys, phys + size) covered by extents of kind, and the page below
 * not: a range placed exactly at phys. (Reserved extents merge with
 * neighbours, so for them only the cover is checked: below_free false.) */
static bool placed_at(const struct hotmem_machine *m, uint64_t phys,
		      uint64_t size, enum extent_kind kind)
{
	bool below_free = kind != EXTENT_RESERVED;
	uint64_t pfn = PHYS_PFN(m, phys), end = PHYS_PFN(m, phys + size);
	size_t i;

	for (i = 0; i < m->extents.n && pfn < end; i++) {
		const struct page_extent *e = &m->extents.v[i];

		if (e->kind == kind && e->pfn <= pfn && e->pfn + e->nr > pfn)
			pfn = e->pfn + e->nr;
	}
	if (pfn < end)
		return false;
	for (i = 0; below_free && i < m->extents.n; i++) {
		const struct page_extent *e = &m->extents.v[i];
		uint64_t below = PHYS_PFN(m, phys) - 1;

		if (e->kind == kind && e->pfn <= below && e->pfn + e->nr > below)
			return false;
	}
	return true;
}

#define M (1ull << 20)
#define G (1ull << 30)

/* dma_contiguous_reserve: 64M top-down below the DMA limit, aligned to
 * the pageblock, clear of the kernel image and what EDK2 loaded */
static void test_arm64_cma_placement(struct test_ctx *t)
{
	static const struct { const char *arch; uint64_t mem, at; } cases[] = {
		{ "arm64-4k", 1 * G, 0x75200000 },
		{ "arm64-4k", 2 * G, 0xb5200000 },
		{ "arm64-4k", 3 * G, 0xed800000 },	/* below the kernel */
		{ "arm64-4k", 4 * G, 0xfc000000 },	/* below 4G */
		{ "arm64-16k", 1 * G, 0x6c000000 },
		{ "arm64-16k", 2 * G, 0xac000000 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hotmem_machine *m = boot_arm64(t, cases[i].arch, cases[i].mem);

		if (!m)
			continue;
		CHECK(t, placed_at(m, cases[i].at, 64 * M, EXTENT_CMA));
		hotmem_free(m);
	}
}

/* sparse_init's buffer: sections x section_map_size, aligned to it,
 * top-down; the memmap at its start (iomem "reserved" on the guests) */
static void test_arm64_boot_memmap_placement(struct test_ctx *t)
{
	static const struct {
		const char *arch; uint64_t mem, at, size;
	} cases[] = {
		{ "arm64-4k", 1 * G, 0x7d400000, 0x1200000 },	/* above the runtime hole */
		{ "arm64-4k", 2 * G, 0xba200000, 0x2200000 },
		{ "arm64-4k", 3 * G, 0xf6000000, 0x3200000 },
		{ "arm64-16k", 1 * G, 0x5e000000, 0x480000 },
		{ "arm64-16k", 2 * G, 0x8e000000, 0x880000 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hotmem_machine *m = boot_arm64(t, cases[i].arch, cases[i].mem);

		if (!m)
			continue;
		CHECK(t, placed_at(m, cases[i].at, cases[i].size, EXTENT_RESERVED));
		hotmem_free(m);
	}
}

/* mem_init's swiotlb: with RAM above 4G the default 64M, top-down below
 * the DMA limit, under the CMA area (iomem "reserved" f8000000-ffffffff
 * on the 4 GiB guest: swiotlb then CMA) */
static void test_arm64_swiotlb_above_4g(struct test_ctx *t)
{
	struct hotmem_machine *m = boot_arm64(t, "arm64-4k", 4 * G);

	if (!m)
		return;
	CHECK(t, placed_at(m, 0xf8000000, 64 * M, EXTENT_RESERVED));
	CHECK(t, placed_at(m, 0xfc000000, 64 * M, EXTENT_CMA));
	hotmem_free(m);
}

/* present = RAM + the NOMAP flash bank; zone DMA from 64M */
static void test_arm64_present_and_span(struct test_ctx *t)
{
	static const struct {
		const char *arch; uint64_t mem, present, spanned, start;
	} cases[] = {
		{ "arm64-4k", 1 * G, 278528, 507904, 16384 },
		{ "arm64-4k", 3 * G, 802816, 1032192, 16384 },
		{ "arm64-16k", 1 * G, 69632, 126976, 4096 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hotmem_machine *m = boot_arm64(t, cases[i].arch, cases[i].mem);
		const struct zone *z;

		if (!m)
			continue;
		z = &m->nodes[0].zones[ZONE_DMA];
		CHECK_EQ_U64(t, z->present_pages, cases[i].present);
		CHECK_EQ_U64(t, z->spanned_pages, cases[i].spanned);
		CHECK_EQ_U64(t, z->zone_start_pfn, cases[i].start);
		hotmem_free(m);
	}
}

/* too little RAM for EDK2's placement of the kernel: refused, named */
static void test_arm64_small_ram_refused(struct test_ctx *t)
{
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256] = "";

	hotmem_config_init(&c);
	strcpy(c.arch, "arm64-4k");
	c.mem_bytes = 128 * M;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, strstr(err, "EDK2") != NULL);
	CHECK(t, m == NULL);
}

void tests_platform_arm64(struct test_ctx *t)
{
	RUN(t, test_arm64_cma_placement);
	RUN(t, test_arm64_boot_memmap_placement);
	RUN(t, test_arm64_swiotlb_above_4g);
	RUN(t, test_arm64_present_and_span);
	RUN(t, test_arm64_small_ram_refused);
}
