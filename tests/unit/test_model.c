/*
 * test_model.c - unit tests of the model's layers against facts of the
 * kernel (the arch's asm/sparsemem.h-06, 11): geometry, sub-section legality and validity,
 * the altmap allocator, vmemmap units, memmap_on_memory decisions,
 * rollback of failed operations and clone independence.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tree.h"
#include "../../src/machine.h"

#define SZ_1M (1ull << 20)
#define SZ_1G (1ull << 30)
#define MEMDIR "/sys/devices/system/memory/"

static void test_geometry_x86_64(struct test_ctx *t)
{
	struct hm_geometry g;

	CHECK_EQ_INT(t, geometry_init(&g, "x86_64"), 0);
	CHECK_EQ_U64(t, g.pages_per_section, 32768);
	CHECK_EQ_U64(t, g.pages_per_subsection, 512);
	CHECK_EQ_U64(t, g.subsections_per_section, 64);
	CHECK_EQ_U64(t, g.pageblock_nr_pages, 512);
	CHECK_EQ_U64(t, g.nr_mem_sections, 1ull << 19);
	CHECK_EQ_U64(t, g.sections_per_root, 256);
	CHECK_EQ_U64(t, memmap_pages(&g, g.pages_per_section), 512);
	CHECK_EQ_INT(t, geometry_init(&g, "vax"), -EINVAL);
}

/* the arch's asm/sparsemem.h: x86 probe_memory_block_size */
static void test_block_size_probe(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);

	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_U64(t, m->block_size, 128 * SZ_1M);
	hotmem_free(m);
	/* 66 GiB of RAM in a VM: boot_mem_end = 4G + 64G = 68 GiB -> 2 GiB blocks */
	m = test_boot(NULL, 66 * SZ_1G, 0);
	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, m->block_size, 2 * SZ_1G);
		hotmem_free(m);
	}
}

/* mm/sparse.c: sub-section activation rules, pfn_valid, pfn_to_online_page */
static void test_subsections(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	uint64_t s = 0x100000;	/* section 32: 4 GiB */
	int64_t before;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	before = m->nr_memmap_pages;
	/* one 2 MiB sub-section in the middle of an empty section */
	CHECK_EQ_INT(t, sparse_add_section(m, 0, s + 512, 512, NULL), 0);
	CHECK(t, pfn_valid(m, s + 512));
	CHECK(t, pfn_valid(m, s + 1023));
	CHECK(t, !pfn_valid(m, s));
	CHECK(t, !pfn_valid(m, s + 1024));
	/* x86 maps a sub-section's memmap with 8 base pages from RAM */
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - before), 8);
	CHECK_EQ_U64(t, m->vmemmap.nr_units, 8);
	/* any overlap with populated sub-sections is -EEXIST */
	CHECK_EQ_INT(t, sparse_add_section(m, 0, s, 1024, NULL), -EEXIST);
	CHECK_EQ_INT(t, sparse_add_section(m, 0, s + 512, 512, NULL), -EEXIST);
	/* a neighbour is fine */
	CHECK_EQ_INT(t, sparse_add_section(m, 0, s, 512, NULL), 0);
	CHECK(t, pfn_valid(m, s));
	/* hot-added sections are not online: no online pages */
	CHECK(t, !pfn_to_online_page(m, s));
	sparse_remove_section(m, s, 512, NULL);
	sparse_remove_section(m, s + 512, 512, NULL);
	CHECK(t, !pfn_valid(m, s + 512));
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - before), 0);
	CHECK_EQ_U64(t, m->vmemmap.nr_units, 0);
	CHECK(t, !valid_section(nr_to_section(&m->sparse, &m->geo, 32)));

	/* early section: boot holes are pfn_valid but never online pages */
	CHECK(t, pfn_valid(m, 0x7ffff));
	CHECK(t, !pfn_to_online_page(m, 0x7ffff) || pfn_section_valid(&m->sparse, &m->geo, 0x7ffff));
	CHECK(t, pfn_to_online_page(m, 0x7f000));
	/* beyond MAX_PHYSMEM_BITS */
	CHECK(t, !pfn_valid(m, 1ull << 40));
	hotmem_free(m);
}

/* mm/sparse.c: a partial early section is extended without a new memmap */
static void test_early_partial_section(struct test_ctx *t)
{
	/* 1984 MiB: RAM ends 0x7bfdf000 -> section 15 holds sub-sections 0..31 */
	struct hotmem_machine *m = test_boot(NULL, 1984 * SZ_1M, 0);
	uint64_t s15 = 15 * 32768ull;
	int64_t memmap;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK(t, early_section(nr_to_section(&m->sparse, &m->geo, 15)));
	CHECK(t, pfn_section_valid(&m->sparse, &m->geo, s15 + 31 * 512));
	CHECK(t, !pfn_section_valid(&m->sparse, &m->geo, s15 + 32 * 512));
	/* early sections are valid everywhere */
	CHECK(t, pfn_valid(m, s15 + 40 * 512));
	memmap = m->nr_memmap_pages;
	CHECK_EQ_INT(t, sparse_add_section(m, 0, s15 + 32 * 512, 32 * 512, NULL), 0);
	CHECK_EQ_U64(t, (uint64_t)(m->nr_memmap_pages - memmap), 0);
	CHECK_EQ_INT(t, sparse_add_section(m, 0, s15 + 31 * 512, 512, NULL), -EEXIST);
	/* removing part of an early section frees nothing */
	sparse_remove_section(m, s15 + 32 * 512, 32 * 512, NULL);
	CHECK_EQ_U64(t, (uint64_t)m->nr_memmap_boot_pages, 8192);
	CHECK(t, early_section(nr_to_section(&m->sparse, &m->geo, 15)));
	hotmem_free(m);
}

/* mm/sparse-vmemmap.c: altmap_alloc_block_buf alignment and exhaustion */
static void test_altmap_alloc(struct test_ctx *t)
{
	struct vmem_altmap a;
	uint64_t pfn;

	memset(&a, 0, sizeof(a));
	a.base_pfn = 0x100000;
	a.end_pfn = 0x107fff;
	a.free = 512;
	CHECK_EQ_INT(t, altmap_alloc_block_buf(&a, 512, &pfn), 0);
	CHECK_EQ_U64(t, pfn, 0x100000);
	CHECK_EQ_U64(t, a.alloc, 512);
	CHECK_EQ_INT(t, altmap_alloc_block_buf(&a, 1, &pfn), -ENOMEM);
	vmem_altmap_free(&a, 512);
	CHECK_EQ_U64(t, a.alloc, 0);

	/* a reserve shifts the start; an order-9 request pads to alignment */
	memset(&a, 0, sizeof(a));
	a.base_pfn = 0x100000;
	a.reserve = 2;
	a.free = 1024;
	CHECK_EQ_INT(t, altmap_alloc_block_buf(&a, 512, &pfn), 0);
	CHECK_EQ_U64(t, pfn, 0x100200);
	CHECK_EQ_U64(t, a.align, 510);
	CHECK_EQ_INT(t, altmap_alloc_block_buf(&a, 512, &pfn), -ENOMEM);
}

/* mm/sparse-vmemmap.c; 11 A: the x86 rows of the acceptance table */
static void test_mhp_supports_memmap_on_memory(struct test_ctx *t)
{
	static const char *const on[] = { "memory_hotplug.memmap_on_memory", "1", NULL };
	static const char *const force[] = { "memory_hotplug.memmap_on_memory", "force", NULL };
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);

	if (m) {
		CHECK(t, !mhp_supports_memmap_on_memory(m));	/* param off */
		hotmem_free(m);
	}
	m = test_boot(on, 2 * SZ_1G, 0);
	if (m) {
		CHECK(t, mhp_supports_memmap_on_memory(m));
		CHECK_EQ_U64(t, memory_block_memmap_on_memory_pages(m), 512);
		hotmem_free(m);
	}
	m = test_boot(on, 2 * SZ_1G, 2 * SZ_1G);
	if (m) {
		CHECK(t, mhp_supports_memmap_on_memory(m));
		CHECK_EQ_U64(t, memory_block_memmap_on_memory_pages(m), 8192);
		hotmem_free(m);
	}
	m = test_boot(force, 2 * SZ_1G, 256 * SZ_1M);
	if (m) {
		CHECK(t, mhp_supports_memmap_on_memory(m));
		CHECK_EQ_U64(t, memory_block_memmap_on_memory_pages(m), 1024);
		hotmem_free(m);
	}
}

/* A vetoed online changes nothing anyone can read (the memory notifier chain, drivers/base/memory.c). */
static void test_rollback_notifier_veto(struct test_ctx *t)
{
	static const char *const cmd[] = {
		"memory_hotplug.memmap_on_memory", "1", "memhp_default_state", "offline", NULL
	};
	static const char *const events[] = {
		"MEM_PREPARE_ONLINE", "MEM_GOING_ONLINE",
	};
	struct hotmem_machine *m = test_boot(cmd, 2 * SZ_1G, 0);
	char err[256];
	size_t i;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d", SZ_1G, 0, err, sizeof(err)), 0);
	for (i = 0; i < 2; i++) {
		char *before, *after;

		before = test_tree_digest(m);
		CHECK_EQ_INT(t, hotmem_notifier_fail(m, events[i], -ENOMEM, 1), 0);
		CHECK_EQ_INT(t, test_write(m, MEMDIR "memory33/state", "online_movable"), -ENOMEM);
		after = test_tree_digest(m);
		CHECK_STR(t, after, before);
		free(before);
		free(after);
	}
	/* and an offline vetoed at MEM_GOING_OFFLINE */
	CHECK(t, test_write(m, MEMDIR "memory33/state", "online_movable") > 0);
	{
		char *before = test_tree_digest(m), *after;

		CHECK_EQ_INT(t, hotmem_notifier_fail(m, "MEM_GOING_OFFLINE", -EPERM, 1), 0);
		CHECK_EQ_INT(t, test_write(m, MEMDIR "memory33/state", "offline"), -EPERM);
		after = test_tree_digest(m);
		CHECK_STR(t, after, before);
		free(before);
		free(after);
	}
	hotmem_free(m);
}

/* A hot-add whose memmap cannot be allocated fails and changes nothing. */
static void test_rollback_memmap_enomem(struct test_ctx *t)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256], *before, *after;

	hotmem_config_init(&c);
	c.mem_bytes = 2 * SZ_1G;
	c.slots = 2;
	c.maxmem_bytes = 32 * SZ_1G;
	/* leave less than one 2 MiB block free in every kernel zone */
	c.boot_used_kb = (1955132 - 1024);
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		CHECK(t, 0);
		return;
	}
	before = test_tree_digest(m);
	/* QEMU accepts the DIMM; the kernel's add_memory fails with -ENOMEM */
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d", SZ_1G, 0, err, sizeof(err)), 0);
	after = test_tree_digest(m);
	CHECK_STR(t, after, before);
	{
		char *log = hotmem_dmesg(m);

		CHECK(t, strstr(log, "acpi PNP0C80:00: add_memory failed") != NULL);
		CHECK(t, strstr(log, "vmemmap alloc failure: order:9") != NULL);
		free(log);
	}
	free(before);
	free(after);
	hotmem_free(m);
}

/* A clone is independent of its original. */
static void test_clone_independent(struct test_ctx *t)
{
	static const char *const cmd[] = { "memhp_default_state", "online_movable", NULL };
	struct hotmem_machine *m = test_boot(cmd, 2 * SZ_1G, 0), *c;
	char err[256], *a, *b;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	c = hotmem_clone(m);
	CHECK(t, c != NULL);
	if (!c) {
		hotmem_free(m);
		return;
	}
	a = test_tree_digest(m);
	b = test_tree_digest(c);
	CHECK_STR(t, a, b);
	free(b);
	CHECK_EQ_INT(t, hotmem_device_add(c, "pc-dimm", "d", SZ_1G, 0, err, sizeof(err)), 0);
	b = test_tree_digest(m);
	CHECK_STR(t, b, a);
	CHECK_EQ_U64(t, test_field(c, "/proc/meminfo", "MemTotal") -
			test_field(m, "/proc/meminfo", "MemTotal"), 1048576);
	free(a);
	free(b);
	hotmem_free(c);
	hotmem_free(m);
}

/* drivers/base/memory.c: the write rules of state and online */
static void test_state_writes(struct test_ctx *t)
{
	static const char *const cmd[] = { "memhp_default_state", "offline", NULL };
	struct hotmem_machine *m = test_boot(cmd, 2 * SZ_1G, 0);
	char err[256], *s;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d", 256 * SZ_1M, 0, err, sizeof(err)), 0);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/state", "offline"), -EINVAL);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/online", "0"), 1);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/state", "bogus"), -EINVAL);
	/* libdaxctl writes strlen+1 bytes: the NUL ends the word */
	CHECK_EQ_INT(t, hotmem_write(m, MEMDIR "memory32/state", "online", 7), 7);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/state", "online\n"), -EINVAL);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/online", "1"), 1);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/online", "2"), -EINVAL);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/phys_index", "1"), -EACCES);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory99/state", "online"), -ENOENT);
	CHECK_EQ_INT(t, hotmem_read(m, MEMDIR "memory32/phys_index", &s), 0);
	CHECK_STR(t, s, "00000020\n");
	free(s);
	CHECK_EQ_INT(t, hotmem_read(m, MEMDIR "memory32", &s), -EISDIR);
	/* the block went to Normal (contig-zones, nothing Movable yet) */
	CHECK_EQ_INT(t, hotmem_read(m, MEMDIR "memory32/valid_zones", &s), 0);
	CHECK_STR(t, s, "Normal\n");
	free(s);
	/* memory0 spans DMA and DMA32; memory15 holds the e820 tail */
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory0/state", "offline"), -EINVAL);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory15/state", "offline"), -EINVAL);
	hotmem_free(m);
}

/* mm/memory_hotplug.c: a range that is not block aligned is refused by add_memory */
static void test_add_memory_alignment(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_INT(t, add_memory(m, 0, 4 * SZ_1G, 64 * SZ_1M, 0, "System RAM"), -EINVAL);
	CHECK_EQ_INT(t, add_memory(m, 0, 4 * SZ_1G + 64 * SZ_1M, 128 * SZ_1M, 0, "System RAM"), -EINVAL);
	CHECK_EQ_INT(t, add_memory(m, 0, 1ull << 46, 128 * SZ_1M, 0, "System RAM"), -E2BIG);
	CHECK_EQ_INT(t, add_memory(m, 0, 4 * SZ_1G, 128 * SZ_1M, 0, "System RAM"), 0);
	/* the same range again: the resource conflicts */
	CHECK_EQ_INT(t, add_memory(m, 0, 4 * SZ_1G, 128 * SZ_1M, 0, "System RAM"), -EEXIST);
	/* online memory cannot be removed */
	CHECK_EQ_INT(t, try_remove_memory(m, 4 * SZ_1G, 128 * SZ_1M), -EBUSY);
	hotmem_free(m);
}

/*
 * add_memory_driver_managed (mm/memory_hotplug.c): the resource name must
 * read "System RAM (...)"; anything else is -EINVAL with nothing added.
 * An accepted range is a busy, driver-managed System RAM resource.
 */
static void test_add_memory_driver_managed(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	char *before = NULL, *after = NULL;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_INT(t, hotmem_read(m, "/proc/iomem", &before), 0);
	CHECK_EQ_INT(t, add_memory_driver_managed(m, 0, 4 * SZ_1G, 128 * SZ_1M, "kmem", 0), -EINVAL);
	CHECK_EQ_INT(t, add_memory_driver_managed(m, 0, 4 * SZ_1G, 128 * SZ_1M, "System RAM", 0), -EINVAL);
	CHECK_EQ_INT(t, add_memory_driver_managed(m, 0, 4 * SZ_1G, 128 * SZ_1M, "System RAM (kmem", 0), -EINVAL);
	CHECK_EQ_INT(t, add_memory_driver_managed(m, 0, 4 * SZ_1G, 128 * SZ_1M, NULL, 0), -EINVAL);
	CHECK_EQ_INT(t, hotmem_read(m, "/proc/iomem", &after), 0);
	CHECK(t, before && after && strcmp(before, after) == 0);
	free(after);
	after = NULL;
	CHECK_EQ_INT(t, add_memory_driver_managed(m, 0, 4 * SZ_1G, 128 * SZ_1M, "System RAM (kmem)", 0), 0);
	CHECK_EQ_INT(t, hotmem_read(m, "/proc/iomem", &after), 0);
	CHECK(t, after && strstr(after, "100000000-107ffffff : System RAM (kmem)\n") != NULL);
	free(before);
	free(after);
	hotmem_free(m);
}

/*
 * Watermarks against a real kernel: zoneinfo of a 6.18 x86-64 guest
 * (shared fixture real-x86_64-6.18-24G), whose setup code is 6.12's.
 * Managed DMA 3840, DMA32 772915, Normal 622592; with THP on, khugepaged
 * raises min_free_kbytes to 512 * 3 * (2 + 9) pages = 67584 kB, and the
 * guest shows min/low/high/promo 46/57/68/79, 9332/11665/13998/16331,
 * 7517/9396/11275/13154, an empty Movable zone 32 everywhere, protection
 * (0, 3019, 5451, 5451, 5451) for DMA.
 */
static void test_watermarks_real_guest(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	struct zone *z;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	z = m->nodes[0].zones;
	memset(z, 0, sizeof(m->nodes[0].zones));
	z[ZONE_DMA].managed_pages = 3840;
	z[ZONE_DMA].present_pages = 3998;
	z[ZONE_DMA32].managed_pages = 772915;
	z[ZONE_DMA32].present_pages = 782336;
	z[ZONE_NORMAL].managed_pages = 622592;
	z[ZONE_NORMAL].present_pages = 622592;
	init_per_zone_wmark_min(m);
	CHECK_EQ_U64(t, m->min_free_kbytes, 67584);
	CHECK_EQ_U64(t, z[ZONE_DMA].watermark[WMARK_MIN], 46);
	CHECK_EQ_U64(t, z[ZONE_DMA].watermark[WMARK_LOW], 57);
	CHECK_EQ_U64(t, z[ZONE_DMA].watermark[WMARK_HIGH], 68);
	CHECK_EQ_U64(t, z[ZONE_DMA].watermark[WMARK_PROMO], 79);
	CHECK_EQ_U64(t, z[ZONE_DMA32].watermark[WMARK_MIN], 9332);
	CHECK_EQ_U64(t, z[ZONE_DMA32].watermark[WMARK_LOW], 11665);
	CHECK_EQ_U64(t, z[ZONE_DMA32].watermark[WMARK_HIGH], 13998);
	CHECK_EQ_U64(t, z[ZONE_DMA32].watermark[WMARK_PROMO], 16331);
	CHECK_EQ_U64(t, z[ZONE_NORMAL].watermark[WMARK_MIN], 7517);
	CHECK_EQ_U64(t, z[ZONE_NORMAL].watermark[WMARK_LOW], 9396);
	CHECK_EQ_U64(t, z[ZONE_NORMAL].watermark[WMARK_HIGH], 11275);
	CHECK_EQ_U64(t, z[ZONE_NORMAL].watermark[WMARK_PROMO], 13154);
	CHECK_EQ_U64(t, z[ZONE_MOVABLE].watermark[WMARK_MIN], 32);
	CHECK_EQ_U64(t, z[ZONE_MOVABLE].watermark[WMARK_PROMO], 32);
	CHECK_EQ_U64(t, z[ZONE_DEVICE].watermark[WMARK_MIN], 0);
	CHECK_EQ_INT(t, z[ZONE_DMA].lowmem_reserve[ZONE_DMA32], 3019);
	CHECK_EQ_INT(t, z[ZONE_DMA].lowmem_reserve[ZONE_NORMAL], 5451);
	CHECK_EQ_INT(t, z[ZONE_DMA].lowmem_reserve[ZONE_DEVICE], 5451);
	CHECK_EQ_INT(t, z[ZONE_DMA32].lowmem_reserve[ZONE_NORMAL], 2432);
	CHECK_EQ_INT(t, z[ZONE_NORMAL].lowmem_reserve[ZONE_MOVABLE], 0);
	hotmem_free(m);
}

void tests_model(struct test_ctx *t)
{
	RUN(t, test_watermarks_real_guest);
	RUN(t, test_geometry_x86_64);
	RUN(t, test_block_size_probe);
	RUN(t, test_subsections);
	RUN(t, test_early_partial_section);
	RUN(t, test_altmap_alloc);
	RUN(t, test_mhp_supports_memmap_on_memory);
	RUN(t, test_rollback_notifier_veto);
	RUN(t, test_rollback_memmap_enomem);
	RUN(t, test_clone_independent);
	RUN(t, test_state_writes);
	RUN(t, test_add_memory_alignment);
	RUN(t, test_add_memory_driver_managed);
}
