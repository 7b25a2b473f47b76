/*
 * test_memremap.c - ZONE_DEVICE at sub-section granularity against the
 * kernel's rules (mm/sparse.c; mm/sparse-vmemmap.c; mm/memremap.c; 11 G): which sub-sections a range
 * takes, what pfn_valid()/pfn_to_online_page() answer, where the memmap
 * comes from and what nr_memmap_pages counts, the Device zone span, the
 * refusals and their errno, and that a refusal changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tree.h"
#include "../../src/machine.h"

#define SZ_2M (2ull << 20)
#define SZ_1M (1ull << 20)
#define SZ_1G (1ull << 30)
#define S32 0x100000ull		/* pfn of 4 GiB: section 32 */

static struct dev_pagemap pgmap_of(uint64_t start, uint64_t size,
				   enum memory_type type)
{
	struct dev_pagemap p;

	memset(&p, 0, sizeof(p));
	p.type = type;
	p.nr_range = 1;
	p.ranges[0].start = start;
	p.ranges[0].end = start + size - 1;
	return p;
}

static uint64_t section_flags(struct hotmem_machine *m, uint64_t nr)
{
	const struct mem_section *ms = nr_to_section(&m->sparse, &m->geo, nr);

	return ms ? ms->flags : 0;
}

static uint64_t free_kb(struct hotmem_machine *m)
{
	return test_field(m, "/proc/meminfo", "MemFree");
}

/* dax/kmem, dev_dax_kmem_probe: [4 GiB + 2 MiB, 5 GiB) then the 2 MiB hole before it */
static void test_memremap_subsections(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	struct dev_pagemap p = pgmap_of(4 * SZ_1G + SZ_2M, SZ_1G - SZ_2M,
					MEMORY_DEVICE_FS_DAX);
	int64_t memmap0;
	uint64_t free0, *map;
	int id1 = -1, id2 = -1;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	memmap0 = m->nr_memmap_pages;
	free0 = free_kb(m);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id1), 0);
	/* section 32 takes bits 1..63 */
	map = section_subsection_map(&m->sparse, &m->geo, 32);
	CHECK_EQ_U64(t, map[0], 0xfffffffffffffffeull);
	/* x86: 0x7e00 pfns of sub-section memmap = 504 base pages from RAM;
	 * sections 33..39 are whole: one 2 MiB PMD (512 pages) each */
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 504 + 7 * 512);
	/* RAM-backed memmap: MemFree drops by exactly that much */
	CHECK_EQ_U64(t, free0 - free_kb(m), (504 + 7 * 512) * 4);
	/* start not section aligned: section 32 tainted; the end is aligned */
	CHECK(t, section_flags(m, 32) & SECTION_TAINT_ZONE_DEVICE);
	CHECK(t, !(section_flags(m, 39) & SECTION_TAINT_ZONE_DEVICE));
	CHECK(t, !(section_flags(m, 32) & SECTION_IS_ONLINE));
	CHECK(t, pfn_valid(m, S32 + 512));
	CHECK(t, !pfn_valid(m, S32));
	CHECK(t, !pfn_to_online_page(m, S32 + 512));
	CHECK(t, !pfn_to_online_page(m, S32 + 0x8000));
	/* Device zone: spanned from the first device pfn, nothing present */
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Device", "spanned"), 0x40000 - 0x200);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Device", "present"), 0);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Device", "managed"), 0);
	/* no memory blocks, no MemTotal change */
	CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "MemTotal"), 1955132);

	/* bit 0 is free and no pgmap covers pfn 0x100000 or 0x1001ff */
	p = pgmap_of(4 * SZ_1G, SZ_2M, MEMORY_DEVICE_FS_DAX);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id2), 0);
	CHECK_EQ_U64(t, map[0], ~0ull);
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 4088 + 8);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Device", "spanned"), 0x40000);

	/* removing the first range leaves bit 0 and its memmap in place */
	memunmap_pages(m, id1);
	CHECK_EQ_U64(t, map[0], 1);
	CHECK(t, pfn_valid(m, S32));
	CHECK(t, !pfn_valid(m, S32 + 512));
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 8);
	/* the Device zone never shrinks */
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Device", "spanned"), 0x40000);
	memunmap_pages(m, id2);
	CHECK(t, !valid_section(nr_to_section(&m->sparse, &m->geo, 32)));
	CHECK_EQ_U64(t, section_flags(m, 32), 0);
	CHECK_EQ_U64(t, free_kb(m), free0);
	CHECK_EQ_U64(t, m->vmemmap.nr_units, 0);
	hotmem_free(m);
}

/* Each refusal with the kernel's errno, and nothing changed. */
static void test_memremap_refusals(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	struct dev_pagemap p;
	char *before, *after;
	int id, a = -1;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	p = pgmap_of(4 * SZ_1G + 2 * SZ_2M, SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &a), 0);
	before = test_tree_digest(m);

	/* starts inside another pgmap: found by the pgmap lookup first */
	p = pgmap_of(4 * SZ_1G + 2 * SZ_2M, 2 * SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENOMEM);
	/* ends inside it */
	p = pgmap_of(4 * SZ_1G, 3 * SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENOMEM);
	/* covers it without touching its first/last pfn: the sparse layer says EEXIST */
	p = pgmap_of(4 * SZ_1G + SZ_2M, 3 * SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EEXIST);
	/* System RAM, wholly or partly: ENXIO */
	p = pgmap_of(SZ_1G, SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENXIO);
	p = pgmap_of(2 * SZ_1G - SZ_2M, SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENXIO);
	/* not sub-section aligned: check_pfn_span, EINVAL */
	p = pgmap_of(5 * SZ_1G + SZ_1M, SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EINVAL);
	p = pgmap_of(5 * SZ_1G, SZ_1M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EINVAL);
	/* no range; private memory without its ops */
	p = pgmap_of(5 * SZ_1G, SZ_2M, MEMORY_DEVICE_GENERIC);
	p.nr_range = 0;
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EINVAL);
	p = pgmap_of(5 * SZ_1G, SZ_2M, MEMORY_DEVICE_PRIVATE);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EINVAL);
	/* beyond MAX_PHYSMEM_BITS (46 on x86-64) */
	p = pgmap_of(1ull << 46, SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EINVAL);
	after = test_tree_digest(m);
	CHECK(t, before && after && !strcmp(before, after));
	free(before);
	free(after);
	/*
	 * altmap with two ranges: range 0 is mapped before range 1 is
	 * refused; undoing range 0 leaves the Device zone span grown,
	 * since ZONE_DEVICE spans never shrink (kernel behaviour).
	 */
	p = pgmap_of(5 * SZ_1G, SZ_2M, MEMORY_DEVICE_GENERIC);
	p.nr_range = 2;
	p.ranges[1].start = 6 * SZ_1G;
	p.ranges[1].end = 6 * SZ_1G + SZ_2M - 1;
	p.flags = PGMAP_ALTMAP_VALID;
	p.altmap.base_pfn = PHYS_PFN(m, 5 * SZ_1G);
	p.altmap.end_pfn = p.altmap.base_pfn + 511;
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -EINVAL);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Device", "spanned"),
		     PHYS_PFN(m, 5 * SZ_1G + SZ_2M) - PHYS_PFN(m, 4 * SZ_1G + 2 * SZ_2M));
	CHECK(t, !pfn_valid(m, PHYS_PFN(m, 5 * SZ_1G)));
	hotmem_free(m);
}

/* mm/memremap.c: pmem map=dev altmap of a 1 GiB namespace at 4 GiB */
static void test_memremap_altmap(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	struct dev_pagemap p = pgmap_of(4 * SZ_1G, SZ_1G, MEMORY_DEVICE_GENERIC);
	struct dev_pagemap *q;
	int64_t memmap0;
	uint64_t free0;
	int id = -1;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	/* reserve = 8 KiB info block, free = 18 MiB offset - 8 KiB */
	p.flags = PGMAP_ALTMAP_VALID;
	p.altmap.base_pfn = S32;
	p.altmap.end_pfn = S32 + 0x40000 - 1;
	p.altmap.reserve = 2;
	p.altmap.free = 4606;
	memmap0 = m->nr_memmap_pages;
	free0 = free_kb(m);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), 0);
	q = pgmap_by_id(m, id);
	CHECK(t, q != NULL);
	if (q) {
		/* 8 PMDs; the first padded from base+2 to the 512 boundary */
		CHECK_EQ_U64(t, q->altmap.alloc, 8 * 512);
		CHECK_EQ_U64(t, q->altmap.align, 510);
	}
	/* counted although it lives on the device; MemFree untouched */
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 4096);
	CHECK_EQ_U64(t, free_kb(m), free0);
	memunmap_pages(m, id);
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 0);

	/* one page too few: the eighth PMD does not fit -> ENOMEM, undone */
	p.altmap.free = 4605;
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENOMEM);
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 0);
	CHECK_EQ_U64(t, m->vmemmap.nr_units, 0);
	hotmem_free(m);
}

/* dax/kmem, dev_dax_kmem_probe: the last 2 MiB of a partial early section */
static void test_memremap_early_section(struct test_ctx *t)
{
	/* 3 GiB - 2 MiB: RAM above 4 GiB is [4 GiB, 5 GiB - 2 MiB) */
	struct hotmem_machine *m = test_boot(NULL, 3 * SZ_1G - SZ_2M, 0);
	struct dev_pagemap p = pgmap_of(5 * SZ_1G - SZ_2M, SZ_2M,
					MEMORY_DEVICE_GENERIC);
	uint64_t s39 = 39 * 0x8000ull, bit63 = s39 + 63 * 512;
	int64_t memmap0, boot0;
	int id = -1;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	boot0 = m->nr_memmap_boot_pages;
	CHECK(t, early_section(nr_to_section(&m->sparse, &m->geo, 39)));
	CHECK(t, pfn_valid(m, bit63));		/* early: whole section valid */
	CHECK(t, !pfn_to_online_page(m, bit63));	/* bit not set */
	memmap0 = m->nr_memmap_pages;
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), 0);
	/* boot memmap reused: nothing counted */
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap0), 0);
	/* online section now tainted: device pfns are not online pages,
	 * RAM pfns still are */
	CHECK(t, section_flags(m, 39) & SECTION_TAINT_ZONE_DEVICE);
	CHECK(t, !pfn_to_online_page(m, bit63));
	CHECK(t, pfn_to_online_page(m, bit63 - 1));
	/* the same bit again is RAM-free but populated: the pgmap lookup wins */
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENOMEM);
	/* the RAM bits: ENXIO before the sparse layer could say EEXIST */
	p = pgmap_of(5 * SZ_1G - 2 * SZ_2M, SZ_2M, MEMORY_DEVICE_GENERIC);
	CHECK_EQ_INT(t, memremap_pages(m, &p, 0, &id), -ENXIO);
	memunmap_pages(m, 0);
	CHECK(t, early_section(nr_to_section(&m->sparse, &m->geo, 39)));
	CHECK_EQ_U64(t, m->nr_memmap_boot_pages, boot0);
	CHECK(t, !pfn_valid(m, bit63) == false);	/* early: still valid */
	hotmem_free(m);
}

void tests_memremap(struct test_ctx *t)
{
	RUN(t, test_memremap_subsections);
	RUN(t, test_memremap_refusals);
	RUN(t, test_memremap_altmap);
	RUN(t, test_memremap_early_section);
}
