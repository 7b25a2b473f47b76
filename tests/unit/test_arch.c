/*
 * test_arch.c - every architecture profile against Linux 6.12's numbers,
 * and the memmap_on_memory matrix: profile x block size x mode ->
 * vmemmap pages per block and the verdict of
 * mhp_supports_memmap_on_memory().
 *
 * Every expected value is derived by hand in the comments from the
 * kernel's rules (the arch's asm/sparsemem.h; mm/sparse-vmemmap.c; 11 A), not taken from the code:
 *   N = block / PAGE_SIZE, M = N x 64 bytes (memory_block_memmap_size),
 *   V = ceil(M / PAGE_SIZE), force: V rounded up to pageblock_nr_pages.
 *   Checks in order: (1) param on, (2) M % PAGE_SIZE == 0,
 *   (3) V % pageblock == 0, (4) V != N, (5) arch hook:
 *   generic M % PMD_SIZE == 0; ppc64 hash never; ppc64 radix 4K
 *   M % 2M == 0, radix 64K always.
 */
#include <errno.h>

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tree.h"
#include "../../src/machine.h"
#include "../../src/arch/geometry.h"
#include "../../src/arch/memmap_explain.h"

#define K 1024ull
#define M (1024ull * 1024)
#define G (1024ull * 1024 * 1024)

struct geo_row {
	const char *name;
	uint64_t page, section, pages_per_section, subsections, pages_per_sub;
	uint64_t pageblock, nr_sections, pmd;
};

/*
 * pages/section = section/page; sub-sections = section/2M; pages per
 * sub-section = 2M/page; NR_MEM_SECTIONS = 2^(MAX_PHYSMEM_BITS -
 * SECTION_SIZE_BITS); pageblock = 2^min(HUGETLB order, MAX_PAGE_ORDER).
 */
static const struct geo_row geo_rows[] = {
	/* 4K, 128M: 2^27/2^12 = 32768; 64 subs; 512; HPAGE 2M -> 512;
	 * 2^(46-27) = 524288 */
	{ "x86_64", 4 * K, 128 * M, 32768, 64, 512, 512, 524288, 2 * M },
	/* 5-level: 2^(52-27) = 33554432 */
	{ "x86_64-5level", 4 * K, 128 * M, 32768, 64, 512, 512, 33554432, 2 * M },
	/* PA_BITS 48: 2^(48-27) = 2097152 */
	{ "arm64-4k", 4 * K, 128 * M, 32768, 64, 512, 512, 2097152, 2 * M },
	/* 16K: 2^27/2^14 = 8192; 2M/16K = 128; PMD 32M = 2048 pages,
	 * MAX_PAGE_ORDER 11 -> 2048 */
	{ "arm64-16k", 16 * K, 128 * M, 8192, 64, 128, 2048, 2097152, 32 * M },
	/* 64K, 512M: 8192; 256 subs; 32; PMD 512M = 8192 pages, order 13;
	 * 2^(48-29) = 524288 */
	{ "arm64-64k", 64 * K, 512 * M, 8192, 256, 32, 8192, 524288, 512 * M },
	/* 16M sections: 2^24/2^12 = 4096; 8 subs; radix huge page 2M ->
	 * 512; 2^(51-24) = 134217728 */
	{ "ppc64-radix-4k", 4 * K, 16 * M, 4096, 8, 512, 512, 134217728, 2 * M },
	/* 64K: 256 pages; 2M/64K = 32; huge page 2M -> 32 */
	{ "ppc64-radix-64k", 64 * K, 16 * M, 256, 8, 32, 32, 134217728, 2 * M },
	/* hash 16M huge page -> order 12 = MAX_PAGE_ORDER 12 -> 4096 */
	{ "ppc64-hash-4k", 4 * K, 16 * M, 4096, 8, 512, 4096, 134217728, 2 * M },
	/* hash 64K: 16M/64K = 256 = 2^8 = MAX_PAGE_ORDER 8; PMD 16M */
	{ "ppc64-hash-64k", 64 * K, 16 * M, 256, 8, 32, 256, 134217728, 16 * M },
	/* 256M sections: 65536; 128 subs; HPAGE 1M -> 256; 2^(46-28) */
	{ "s390x", 4 * K, 256 * M, 65536, 128, 512, 256, 262144, 1 * M },
	/* 2^(56-27) = 536870912 */
	{ "riscv64", 4 * K, 128 * M, 32768, 64, 512, 512, 536870912, 2 * M },
};

static void test_profiles_geometry(struct test_ctx *t)
{
	size_t i, n;
	struct hm_geometry g;

	geometry_profiles(&n);
	CHECK_EQ_U64(t, n, sizeof(geo_rows) / sizeof(geo_rows[0]));
	for (i = 0; i < sizeof(geo_rows) / sizeof(geo_rows[0]); i++) {
		const struct geo_row *r = &geo_rows[i];

		CHECK_EQ_INT(t, geometry_init(&g, r->name), 0);
		CHECK_EQ_U64(t, g.page_size, r->page);
		CHECK_EQ_U64(t, 1ull << g.section_size_bits, r->section);
		CHECK_EQ_U64(t, g.pages_per_section, r->pages_per_section);
		CHECK_EQ_U64(t, g.subsections_per_section, r->subsections);
		CHECK_EQ_U64(t, g.pages_per_subsection, r->pages_per_sub);
		CHECK_EQ_U64(t, g.pageblock_nr_pages, r->pageblock);
		CHECK_EQ_U64(t, g.nr_mem_sections, r->nr_sections);
		CHECK_EQ_U64(t, 1ull << g.pmd_shift, r->pmd);
		CHECK_EQ_U64(t, g.struct_page_size, 64);
		/* MAX_PAGE_ORDER + PAGE_SHIFT <= SECTION_SIZE_BITS (build rule) */
		CHECK(t, g.max_page_order + g.page_shift <= g.section_size_bits);
	}
}

static void test_profile_aliases(struct test_ctx *t)
{
	struct hm_geometry g;

	CHECK_EQ_INT(t, geometry_init(&g, "arm64"), 0);
	CHECK_STR(t, g.arch, "arm64-4k");
	CHECK_EQ_INT(t, geometry_init(&g, "ppc64"), 0);
	CHECK_STR(t, g.arch, "ppc64-radix-64k");
	CHECK_EQ_INT(t, geometry_init(&g, "s390"), 0);
	CHECK_STR(t, g.arch, "s390x");
	CHECK_EQ_INT(t, geometry_init(&g, "arm64-8k"), -EINVAL);
	CHECK_EQ_INT(t, geometry_init(&g, ""), -EINVAL);
}

#define ON HOTMEM_MEMMAP_ON_MEMORY_ENABLE
#define OFF HOTMEM_MEMMAP_ON_MEMORY_DISABLE
#define FORCE HOTMEM_MEMMAP_ON_MEMORY_FORCE

struct matrix_row {
	const char *arch;
	uint64_t block;
	enum hotmem_memmap_on_memory mode;
	uint64_t v;		/* vmemmap pages per block (after force rounding) */
	enum memmap_check check;
	uint64_t usable;	/* pages given to the buddy per block */
	uint64_t wasted;	/* force only: rounded - exact */
	uint64_t mapped;	/* accepted: altmap pages the vmemmap maps */
};

static const struct matrix_row matrix[] = {
	/* x86-64: N 32768, M 2M, V 512 = one pageblock, M = 1 PMD: OK,
	 * usable 32768-512; the PMD comes from the altmap (512 pages). */
	{ "x86_64", 128 * M, ON, 512, MEMMAP_CHECK_OK, 32256, 0, 512 },
	/* parameter off: check (1); the memmap lives elsewhere, N usable */
	{ "x86_64", 128 * M, OFF, 512, MEMMAP_CHECK_DISABLED, 32768, 0, 0 },
	/* N 65536, M 4M, V 1024: OK, 2 PMDs */
	{ "x86_64", 256 * M, ON, 1024, MEMMAP_CHECK_OK, 64512, 0, 1024 },
	/* N 524288, M 32M, V 8192 (16 x 512): force rounds nothing */
	{ "x86_64", 2 * G, FORCE, 8192, MEMMAP_CHECK_OK, 516096, 0, 8192 },
	/* 5-level changes only MAX_PHYSMEM_BITS: 1G: N 262144, V 4096 */
	{ "x86_64-5level", 1 * G, ON, 4096, MEMMAP_CHECK_OK, 258048, 0, 4096 },
	{ "arm64-4k", 128 * M, ON, 512, MEMMAP_CHECK_OK, 32256, 0, 512 },
	{ "arm64-4k", 128 * M, FORCE, 512, MEMMAP_CHECK_OK, 32256, 0, 512 },
	/* arm64 16K, 128M: N 8192, M 512K, V 32, pageblock 2048: (3) */
	{ "arm64-16k", 128 * M, ON, 32, MEMMAP_CHECK_PAGEBLOCK, 8192, 0, 0 },
	/* force: V 2048 (waste 2016) != N; 512K not a multiple of the 32M
	 * PMD: (5) */
	{ "arm64-16k", 128 * M, FORCE, 2048, MEMMAP_CHECK_ARCH, 8192, 2016, 0 },
	/* 8G: N 524288, M 32M = one PMD, V 2048 = one pageblock: OK; base
	 * pages of 16K: 2048 of them */
	{ "arm64-16k", 8 * G, ON, 2048, MEMMAP_CHECK_OK, 522240, 0, 2048 },
	/* arm64 64K, 512M: N 8192, M 512K, V 8, pageblock 8192: (3) */
	{ "arm64-64k", 512 * M, ON, 8, MEMMAP_CHECK_PAGEBLOCK, 8192, 0, 0 },
	/* force: V 8192 = N: (4) */
	{ "arm64-64k", 512 * M, FORCE, 8192, MEMMAP_CHECK_WHOLE_BLOCK, 8192, 8184, 0 },
	/* 1G force: N 16384, M 1M, V 16 -> 8192 != N; 1M % 512M: (5) */
	{ "arm64-64k", 1 * G, FORCE, 8192, MEMMAP_CHECK_ARCH, 16384, 8176, 0 },
	/* ppc64 radix 64K, 16M: N 256, M 16K < 64K page: (2), also force */
	{ "ppc64-radix-64k", 16 * M, ON, 1, MEMMAP_CHECK_PAGE_MULTIPLE, 256, 0, 0 },
	{ "ppc64-radix-64k", 16 * M, FORCE, 32, MEMMAP_CHECK_PAGE_MULTIPLE, 256, 31, 0 },
	/* 256M: N 4096, M 256K, V 4, pageblock 32: (3) */
	{ "ppc64-radix-64k", 256 * M, ON, 4, MEMMAP_CHECK_PAGEBLOCK, 4096, 0, 0 },
	/* force: V 32, waste 28; radix 64K hook says yes: OK, 4064 usable;
	 * 4 base pages of 64K mapped (each describes 64M, inside the block) */
	{ "ppc64-radix-64k", 256 * M, FORCE, 32, MEMMAP_CHECK_OK, 4064, 28, 4 },
	/* 1G: N 16384, M 1M, V 16: (3); force 32, waste 16, 16 base pages */
	{ "ppc64-radix-64k", 1 * G, ON, 16, MEMMAP_CHECK_PAGEBLOCK, 16384, 0, 0 },
	{ "ppc64-radix-64k", 1 * G, FORCE, 32, MEMMAP_CHECK_OK, 16352, 16, 16 },
	/* 2G: N 32768, M 2M, V 32 = one pageblock: OK; one 2M PMD = 32 pages */
	{ "ppc64-radix-64k", 2 * G, ON, 32, MEMMAP_CHECK_OK, 32736, 0, 32 },
	{ "ppc64-radix-64k", 2 * G, FORCE, 32, MEMMAP_CHECK_OK, 32736, 0, 32 },
	/* ppc64 hash 64K (pageblock 256): 16M (2) in both modes */
	{ "ppc64-hash-64k", 16 * M, ON, 1, MEMMAP_CHECK_PAGE_MULTIPLE, 256, 0, 0 },
	{ "ppc64-hash-64k", 16 * M, FORCE, 256, MEMMAP_CHECK_PAGE_MULTIPLE, 256, 255, 0 },
	/* 256M: V 4: (3); force V 256 (waste 252) != 4096: hash MMU (5) */
	{ "ppc64-hash-64k", 256 * M, ON, 4, MEMMAP_CHECK_PAGEBLOCK, 4096, 0, 0 },
	{ "ppc64-hash-64k", 256 * M, FORCE, 256, MEMMAP_CHECK_ARCH, 4096, 252, 0 },
	/* 1G: V 16 (3); force 256, waste 240, hash (5) */
	{ "ppc64-hash-64k", 1 * G, ON, 16, MEMMAP_CHECK_PAGEBLOCK, 16384, 0, 0 },
	{ "ppc64-hash-64k", 1 * G, FORCE, 256, MEMMAP_CHECK_ARCH, 16384, 240, 0 },
	/* 2G: V 32 (3); force 256, waste 224, hash (5) */
	{ "ppc64-hash-64k", 2 * G, ON, 32, MEMMAP_CHECK_PAGEBLOCK, 32768, 0, 0 },
	{ "ppc64-hash-64k", 2 * G, FORCE, 256, MEMMAP_CHECK_ARCH, 32768, 224, 0 },
	/* ppc64 radix 4K: 16M: N 4096, M 256K, V 64 (3); force 512, waste
	 * 448, != 4096, 256K not a multiple of 2M: (5) */
	{ "ppc64-radix-4k", 16 * M, ON, 64, MEMMAP_CHECK_PAGEBLOCK, 4096, 0, 0 },
	{ "ppc64-radix-4k", 16 * M, FORCE, 512, MEMMAP_CHECK_ARCH, 4096, 448, 0 },
	/* 256M: N 65536, M 4M, V 1024: OK, two 2M PMDs */
	{ "ppc64-radix-4k", 256 * M, ON, 1024, MEMMAP_CHECK_OK, 64512, 0, 1024 },
	/* ppc64 hash 4K (pageblock 4096): 256M V 1024 (3); force 4096 (waste
	 * 3072) != 65536, hash (5); 16M force: V 64 -> 4096 = N: (4) */
	{ "ppc64-hash-4k", 256 * M, ON, 1024, MEMMAP_CHECK_PAGEBLOCK, 65536, 0, 0 },
	{ "ppc64-hash-4k", 256 * M, FORCE, 4096, MEMMAP_CHECK_ARCH, 65536, 3072, 0 },
	{ "ppc64-hash-4k", 16 * M, FORCE, 4096, MEMMAP_CHECK_WHOLE_BLOCK, 4096, 4032, 0 },
	/* s390x (pageblock 256, PMD 1M): 256M: N 65536, M 4M, V 1024: OK;
	 * four 1M frames of 256 pages */
	{ "s390x", 256 * M, ON, 1024, MEMMAP_CHECK_OK, 64512, 0, 1024 },
	/* 2G (rzm 2G): V 8192: OK */
	{ "s390x", 2 * G, ON, 8192, MEMMAP_CHECK_OK, 516096, 0, 8192 },
	{ "riscv64", 128 * M, ON, 512, MEMMAP_CHECK_OK, 32256, 0, 512 },
	{ "riscv64", 128 * M, OFF, 512, MEMMAP_CHECK_DISABLED, 32768, 0, 0 },
};

static void test_memmap_matrix(struct test_ctx *t)
{
	size_t i;

	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		const struct matrix_row *r = &matrix[i];
		struct memmap_explain x;
		struct hm_geometry g;
		char err[128];

		CHECK_EQ_INT(t, geometry_init(&g, r->arch), 0);
		CHECK_EQ_INT(t, memmap_explain(&g, r->block, r->mode, &x, err, sizeof(err)), 0);
		if (x.vmemmap_pages != r->v || x.check != r->check ||
		    x.usable_pages != r->usable || x.wasted_pages != r->wasted ||
		    x.altmap_pages_used != r->mapped)
			printf("  row %zu: %s %llu MiB mode %d\n", i, r->arch,
			       (unsigned long long)(r->block >> 20), r->mode);
		CHECK_EQ_U64(t, x.vmemmap_pages, r->v);
		CHECK_EQ_INT(t, (int)x.check, (int)r->check);
		CHECK_EQ_U64(t, x.usable_pages, r->usable);
		CHECK_EQ_U64(t, x.wasted_pages, r->wasted);
		CHECK_EQ_U64(t, x.altmap_pages_used, r->mapped);
		CHECK_EQ_INT(t, x.accepted, r->check == MEMMAP_CHECK_OK);
		/* the verdict function alone agrees */
		CHECK_EQ_INT(t, (int)memmap_verdict(&g, r->block, r->mode, NULL, 0),
			     (int)r->check);
	}
}

/* Refusals name their rule: the hash MMU, pageblocks, whole pages. */
static void test_memmap_reasons(struct test_ctx *t)
{
	struct hm_geometry g;
	char why[320];

	geometry_init(&g, "ppc64-hash-64k");
	memmap_verdict(&g, 256 * M, FORCE, why, sizeof(why));
	CHECK(t, strstr(why, "hash MMU") != NULL);
	geometry_init(&g, "ppc64-radix-64k");
	memmap_verdict(&g, 256 * M, ON, why, sizeof(why));
	CHECK(t, strstr(why, "pageblock") != NULL);
	memmap_verdict(&g, 16 * M, ON, why, sizeof(why));
	CHECK(t, strstr(why, "whole number of 64 KiB pages") != NULL);
	geometry_init(&g, "arm64-16k");
	memmap_verdict(&g, 128 * M, FORCE, why, sizeof(why));
	CHECK(t, strstr(why, "PMD") != NULL);
}

/* A block size the kernel would not boot with is refused. */
static void test_memmap_bad_block(struct test_ctx *t)
{
	struct hm_geometry g;
	struct memmap_explain x;
	char err[128] = "";

	geometry_init(&g, "arm64-64k");
	/* below one 512M section */
	CHECK_EQ_INT(t, memmap_explain(&g, 256 * M, ON, &x, err, sizeof(err)), -EINVAL);
	CHECK(t, strstr(err, "512 MiB") != NULL);
	/* not a power of two */
	CHECK_EQ_INT(t, memmap_explain(&g, 1536 * M, ON, &x, err, sizeof(err)), -EINVAL);
	CHECK_EQ_INT(t, memmap_explain(&g, 0, ON, &x, err, sizeof(err)), -EINVAL);
}

static struct hotmem_machine *boot_s390(void)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256];

	hotmem_config_init(&c);
	strcpy(c.arch, "s390x");
	c.mem_bytes = 2 * G;
	c.standby_bytes = 1 * G;
	c.memmap_on_memory = HOTMEM_MEMMAP_ON_MEMORY_ENABLE;
	c.default_online_type = HOTMEM_MMOP_OFFLINE;
	c.default_online_type_set = true;
	return hotmem_boot(&c, &m, err, sizeof(err)) ? NULL : m;
}

/* Storage increments of [start, +size) all standby (1) or all assigned (0). */
static bool incr_all(const struct hotmem_machine *m, uint64_t start, uint64_t size,
		     uint8_t v)
{
	uint64_t i;

	for (i = start / m->sclp_rzm; i < (start + size) / m->sclp_rzm; i++)
		if (m->sclp_standby[i] != v)
			return false;
	return true;
}

#define MEMDIR "/sys/devices/system/memory/"

/*
 * s390 standby memory (drivers/s390/char/sclp_cmd.c): increments of
 * 1M (QEMU's since machine type 5.0, any size), standby from 2G; online assigns the block's
 * increments including its memmap, offline gives them back; a prepare
 * vetoed ahead of sclp changes nothing, internal state included; one
 * vetoed after sclp leaves the increments assigned (no FINISH_OFFLINE
 * for a failed prepare) while sysfs/procfs are unchanged.
 */
static void test_s390_standby_increments(struct test_ctx *t)
{
	struct hotmem_machine *m = boot_s390(), *c;
	char *before, *after;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_U64(t, m->sclp_rzm, 1 * M);
	CHECK_EQ_U64(t, m->sclp_nr_incr, 3072);		/* 3G / 1M */
	CHECK(t, incr_all(m, 0, 2 * G, 0));
	CHECK(t, incr_all(m, 2 * G, 1 * G, 1));

	before = test_tree_digest(m);
	CHECK_EQ_INT(t, hotmem_notifier_fail_priority(m, "MEM_PREPARE_ONLINE", -EIO, 1, 1), 0);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory8/state", "online"), -EIO);
	after = test_tree_digest(m);
	CHECK_STR(t, after, before);
	CHECK(t, incr_all(m, 2 * G, 1 * G, 1));
	free(after);

	/* a clone keeps its own increments */
	c = hotmem_clone(m);
	CHECK(t, c != NULL);
	CHECK(t, test_write(m, MEMDIR "memory8/state", "online") > 0);
	CHECK(t, incr_all(m, 2 * G, 256 * M, 0));
	CHECK(t, incr_all(m, 2 * G + 256 * M, 768 * M, 1));
	if (c) {
		CHECK(t, incr_all(c, 2 * G, 1 * G, 1));
		hotmem_free(c);
	}
	CHECK(t, test_write(m, MEMDIR "memory8/state", "offline") > 0);
	CHECK(t, incr_all(m, 2 * G, 1 * G, 1));
	after = test_tree_digest(m);
	CHECK_STR(t, after, before);
	free(after);

	CHECK_EQ_INT(t, hotmem_notifier_fail(m, "MEM_PREPARE_ONLINE", -EPERM, 1), 0);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory9/state", "online"), -EPERM);
	after = test_tree_digest(m);
	CHECK_STR(t, after, before);
	CHECK(t, incr_all(m, 2 * G + 256 * M, 256 * M, 0));
	free(after);
	free(before);
	hotmem_free(m);
}

/*
 * x86 node_possible_map is the nodes QEMU's SRAT names (CPU entries,
 * memory entries, the DIMM area's entry for the last node with maxmem).
 * Observed on 6.12.95 under QEMU 7.2: `numa node=1 mem=0` without
 * maxmem is not possible; with slots and maxmem it is. Linux numbers
 * nodes in the order SRAT names them ("SRAT: Node 1 PXM 2 ... hotplug"
 * for an empty node 1 before the last node): such machines are refused.
 */
static void test_srat_possible_nodes(struct test_ctx *t)
{
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256] = "";

	hotmem_config_init(&c);
	c.nr_nodes = 2;
	c.nodes[0].mem_bytes = c.mem_bytes;
	c.nodes[0].has_cpus = 1;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (m) {
		CHECK(t, m->nodes[0].possible && !m->nodes[1].possible);
		hotmem_free(m);
		m = NULL;
	}
	c.slots = 2;
	c.maxmem_bytes = 8ull << 30;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (m) {
		CHECK(t, m->nodes[0].possible && m->nodes[1].possible);
		hotmem_free(m);
		m = NULL;
	}
	/* an empty node 1 before node 2, which the DIMM area names */
	c.nr_nodes = 3;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, m == NULL);
	CHECK(t, strstr(err, "node 1 has no memory or CPUs but node 2 has") != NULL);
	/* node 1's CPU entry comes before node 0's memory entry */
	c.nr_nodes = 2;
	c.nodes[0].has_cpus = 0;
	c.nodes[1].has_cpus = 1;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, m == NULL);
	CHECK(t, strstr(err, "meets node 1 in SRAT before node 0") != NULL);
}

/*
 * MAX_PHYSMEM_BITS: 2^46 = 64 TiB with 4-level paging, 2^52 with
 * 5-level; add_memory beyond it fails with -E2BIG (errno, memory_block_change_state).
 */
static void test_x86_physmem_limit(struct test_ctx *t)
{
	static const char *const archs[] = { "x86_64", "x86_64-5level" };
	int i;

	for (i = 0; i < 2; i++) {
		struct hotmem_config c;
		struct hotmem_machine *m;
		char err[256];

		hotmem_config_init(&c);
		strcpy(c.arch, archs[i]);
		c.default_online_type = HOTMEM_MMOP_OFFLINE;
		c.default_online_type_set = true;
		if (hotmem_boot(&c, &m, err, sizeof(err))) {
			CHECK(t, 0);
			continue;
		}
		CHECK_EQ_INT(t, add_memory(m, 0, 64ull << 40, 128 * M, MHP_NONE, "System RAM"),
			     i == 0 ? -E2BIG : 0);
		hotmem_free(m);
	}
}

/*
 * What a hot-added block does without memhp_default_state=: Debian's
 * 6.12.95 /boot/config files have CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y
 * on amd64 and "is not set" on arm64, arm64-16k, powerpc64le(-64k) and
 * s390x (auto_online_blocks then reads "offline"). The s390x build has
 * no CONFIG_NUMA: a two-node layout is refused with nothing booted.
 */
static void test_build_defaults(struct test_ctx *t)
{
	static const struct {
		const char *arch;
		const char *auto_online;
	} rows[] = {
		{ "x86_64", "online\n" },
		{ "x86_64-5level", "online\n" },
		{ "arm64-4k", "offline\n" },
		{ "arm64-16k", "offline\n" },
		{ "ppc64-radix-4k", "offline\n" },
		{ "ppc64-hash-64k", "offline\n" },
		{ "s390x", "offline\n" },
	};
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256], *buf;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		hotmem_config_init(&c);
		strcpy(c.arch, rows[i].arch);
		if (hotmem_boot(&c, &m, err, sizeof(err))) {
			CHECK(t, 0);
			continue;
		}
		buf = NULL;
		CHECK_EQ_INT(t, hotmem_read(m, MEMDIR "auto_online_blocks", &buf), 0);
		CHECK_STR(t, buf ? buf : "", rows[i].auto_online);
		free(buf);
		hotmem_free(m);
	}
	/* memhp_default_state= overrides the build either way */
	hotmem_config_init(&c);
	strcpy(c.arch, "arm64-4k");
	CHECK_EQ_INT(t, hotmem_config_cmdline(&c, "memhp_default_state", "online_movable",
					      err, sizeof(err)), 0);
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	buf = NULL;
	CHECK_EQ_INT(t, hotmem_read(m, MEMDIR "auto_online_blocks", &buf), 0);
	CHECK_STR(t, buf ? buf : "", "online_movable\n");
	free(buf);
	hotmem_free(m);

	hotmem_config_init(&c);
	strcpy(c.arch, "s390x");
	c.nr_nodes = 2;
	c.nodes[0].mem_bytes = c.nodes[1].mem_bytes = c.mem_bytes / 2;
	m = NULL;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, m == NULL);
	CHECK(t, strstr(err, "CONFIG_NUMA") != NULL);
}

/* A 2 GiB machine of profile arch, booted with the defaults. */
static struct hotmem_machine *boot_2g(const char *arch)
{
	struct hotmem_machine *m = NULL;
	struct hotmem_config c;
	char err[256];

	hotmem_config_init(&c);
	strcpy(c.arch, arch);
	c.mem_bytes = 2 * G;
	return hotmem_boot(&c, &m, err, sizeof(err)) ? NULL : m;
}

/*
 * What the real 2 GiB guests showed (docs/architectures.md "s390x on
 * QEMU", "riscv64 on QEMU"): MemTotal, no EDAT on s390 (all 4K, no
 * hugetlb lines), and which boot blocks refuse to go offline.
 */
static uint64_t memtotal_of(struct test_ctx *t, const char *arch, uint64_t mem,
			   uint64_t maxmem)
{
	struct hotmem_machine *m = NULL;
	struct hotmem_config c;
	char err[128];
	uint64_t kb = 0;

	hotmem_config_init(&c);
	strcpy(c.arch, arch);
	c.mem_bytes = mem;
	c.maxmem_bytes = maxmem;
	c.slots = maxmem ? 8 : 0;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (m)
		kb = test_field(m, "/proc/meminfo", "MemTotal:");
	hotmem_free(m);
	return kb;
}

/*
 * What grows with RAM at boot, on Debian's 6.12.95 q35 guests with
 * 5-level paging (QEMU's TCG max CPU): the dentry and inode hash tables
 * (2+1 MiB at 2G, 4+2 at 3G and 4G, 8+4 at 6G), and the 64 MiB swiotlb
 * with its 768 KiB slots, set up only when memory can lie above 4 GiB
 * (RAM there, or DIMM slots). With 4 levels (la57=off) the 2G guest
 * with slots shows 2020 kB more: a smaller mem_section root array.
 */
static void test_boot_growth_x86(struct test_ctx *t)
{
	CHECK_EQ_U64(t, memtotal_of(t, "x86_64", 2 * G, 32 * G), 1955132);
	CHECK_EQ_U64(t, memtotal_of(t, "x86_64-5level", 2 * G, 32 * G), 1953112);
	CHECK_EQ_U64(t, memtotal_of(t, "x86_64-5level", 2 * G, 0), 2019416);
	CHECK_EQ_U64(t, memtotal_of(t, "x86_64-5level", 3 * G, 0), 2982232);
	CHECK_EQ_U64(t, memtotal_of(t, "x86_64-5level", 6 * G, 0), 6072664);
	/* 4014428 kB observed at 4G: 4 kB of boot noise (as 1953108/1953112) */
	CHECK_EQ_U64(t, memtotal_of(t, "x86_64-5level", 4 * G, 0) / 16, 4014428 / 16);
	/* ppc64 radix 64K at 3G with slots: 3079680 kB observed, 64K pages */
	CHECK_EQ_U64(t, memtotal_of(t, "ppc64-radix-64k", 3 * G, 8 * G) / 128,
		     3079680 / 128);
}

static void test_calibrated_guests(struct test_ctx *t)
{
	static const unsigned int rv_busy[] = { 16, 17, 23, 31 };
	struct hotmem_machine *m = boot_2g("s390x");
	struct hotmem_config c;
	char path[96], *mi = NULL;
	uint64_t res_kb = 0, used_kb = 0;
	unsigned int i;

	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "MemTotal:"), 2034100);
		CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "DirectMap4k:"), 2097144);
		CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "DirectMap1M:"), 0);
		CHECK_EQ_INT(t, hotmem_read(m, "/proc/meminfo", &mi), 0);
		CHECK(t, mi && !strstr(mi, "HugePages_Total"));
		free(mi);
		CHECK_EQ_INT(t, test_write(m, MEMDIR "memory0/state", "offline"), -EBUSY);
		CHECK_EQ_INT(t, test_write(m, MEMDIR "memory7/state", "offline"), -EBUSY);
		CHECK(t, test_write(m, MEMDIR "memory1/state", "offline") > 0);
		CHECK_EQ_INT(t, hotmem_read(m, MEMDIR "memory1/phys_device", &mi), 0);
		CHECK(t, mi && strtoull(mi, NULL, 10) == 256);	/* 1M increments */
		free(mi);
		hotmem_free(m);
	}
	/* page tables (no EDAT: 8 bytes a page) grow with RAM, and the
	 * dentry and inode hash tables double: MemTotal 4091172 kB at 4 GiB
	 * observed, blocks 0, 7 (the 31-bit area's low allocations) and 15
	 * EBUSY */
	hotmem_config_init(&c);
	strcpy(c.arch, "s390x");
	c.mem_bytes = 4 * G;
	CHECK_EQ_INT(t, hotmem_boot_inputs(&c, &res_kb, &used_kb), 0);
	CHECK_EQ_U64(t, res_kb, 752 + 4096 * 2120 / 1024);
	m = NULL;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, path, sizeof(path)), 0);
	if (m) {
		CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "MemTotal:"), 4091172);
		CHECK_EQ_INT(t, test_write(m, MEMDIR "memory7/state", "offline"), -EBUSY);
		CHECK_EQ_INT(t, test_write(m, MEMDIR "memory15/state", "offline"), -EBUSY);
		CHECK(t, test_write(m, MEMDIR "memory6/state", "offline") > 0);
		hotmem_free(m);
	}
	c.boot_reserved_kb = 1000;
	c.boot_reserved_set = true;
	CHECK_EQ_INT(t, hotmem_boot_inputs(&c, &res_kb, &used_kb), 0);
	CHECK_EQ_U64(t, res_kb, 1000);

	m = boot_2g("riscv64");
	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "MemTotal:"), 1995676);
	for (i = 0; i < sizeof(rv_busy) / sizeof(rv_busy[0]); i++) {
		snprintf(path, sizeof(path), MEMDIR "memory%u/state", rv_busy[i]);
		CHECK_EQ_INT(t, test_write(m, path, "offline"), -EBUSY);
	}
	for (i = 18; i < 31; i++) {
		if (i == 23)
			continue;
		snprintf(path, sizeof(path), MEMDIR "memory%u/state", i);
		CHECK(t, test_write(m, path, "offline") > 0);
	}
	hotmem_free(m);

	/* 4 GiB: RAM beyond 4G brings the 64M swiotlb below 4G (block 31
	 * EBUSY) and bigger hash tables: MemTotal 3990684 kB observed */
	hotmem_config_init(&c);
	strcpy(c.arch, "riscv64");
	c.mem_bytes = 4 * G;
	m = NULL;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, path, sizeof(path)), 0);
	if (!m)
		return;
	CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "MemTotal:"), 3990684);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory31/state", "offline"), -EBUSY);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory47/state", "offline"), -EBUSY);
	CHECK(t, test_write(m, MEMDIR "memory40/state", "offline") > 0);
	hotmem_free(m);
}

void tests_arch(struct test_ctx *t)
{
	RUN(t, test_build_defaults);
	RUN(t, test_x86_physmem_limit);
	RUN(t, test_srat_possible_nodes);
	RUN(t, test_s390_standby_increments);
	RUN(t, test_calibrated_guests);
	RUN(t, test_boot_growth_x86);
	RUN(t, test_profiles_geometry);
	RUN(t, test_profile_aliases);
	RUN(t, test_memmap_matrix);
	RUN(t, test_memmap_reasons);
	RUN(t, test_memmap_bad_block);
}
