/*
 * test_procfs_arch.c - /proc/zoneinfo, /proc/vmstat and /proc/meminfo
 * of every architecture profile follow that arch's Debian 6.12 build:
 * which zones exist, which option-dependent lines are printed, and the
 * DirectMap* lines and values of arch_report_meminfo.
 *
 * The expected facts come from the kernel source and Debian's
 * linux-config-6.12 files (config.<arch>_none_<flavour>), cited at each
 * table. Expected workload: a few dozen small machines booted.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hotmem.h"
#include "../../src/arch/direct_map.h"
#include "../../src/arch/geometry.h"

#define M (1ull << 20)
#define G (1ull << 30)

static struct hotmem_machine *boot(const char *arch, uint64_t mem,
				   uint64_t block, uint64_t standby,
				   unsigned int slots)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256];

	hotmem_config_init(&c);
	strcpy(c.arch, arch);
	c.mem_bytes = mem;
	c.block_size_bytes = block;
	c.standby_bytes = standby;
	c.default_online_type = HOTMEM_MMOP_OFFLINE;
	c.default_online_type_set = true;
	if (slots) {
		c.slots = slots;
		c.maxmem_bytes = mem + 4 * G;
	}
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		printf("  boot %s: %s\n", arch, err);
		return NULL;
	}
	return m;
}

static char *slurp(struct hotmem_machine *m, const char *path)
{
	char *s = NULL;

	if (hotmem_read(m, path, &s))
		return NULL;
	return s;
}

/* Does a line start with `label` (e.g. "CmaTotal:" or "numa_hit ")? */
static bool has_line(const char *text, const char *label)
{
	size_t n = strlen(label);
	const char *p = text;

	while (p && *p) {
		const char *q = p;

		while (*q == ' ')
			q++;
		if (!strncmp(q, label, n))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* The value after `label` on its line, or UINT64_MAX. */
static uint64_t line_value(const char *text, const char *label)
{
	const char *p = strstr(text, label);

	if (!p || (p != text && p[-1] != '\n'))
		return UINT64_MAX;
	return strtoull(p + strlen(label), NULL, 10);
}

/* "DMA DMA32 Normal Movable Device": the zones zoneinfo lists for node 0. */
static void zoneinfo_zones(const char *text, char *out, size_t len)
{
	const char *p = text;

	out[0] = '\0';
	while ((p = strstr(p, "Node 0, zone ")) != NULL) {
		char name[16];

		p += strlen("Node 0, zone ");
		if (sscanf(p, "%15s", name) != 1)
			break;
		if (out[0])
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, name, len - strlen(out) - 1);
	}
}

/* Entries of the first "protection: (...)" list. */
static int protection_entries(const char *text)
{
	const char *p = strstr(text, "protection: (");
	int n = 1;

	if (!p)
		return 0;
	for (p += 13; *p && *p != ')'; p++)
		n += *p == ',';
	return n;
}

/*
 * The zones of each build: enum zone_type (include/linux/mmzone.h) has
 * ZONE_DMA, ZONE_DMA32, ZONE_DEVICE only under CONFIG_ZONE_DMA,
 * CONFIG_ZONE_DMA32, CONFIG_ZONE_DEVICE; mm/vmstat.c : zoneinfo_show
 * walks every zone of an online node (walk_zones_in_node without
 * assert_populated), and TEXTS_FOR_ZONES prints pgalloc_* for the same
 * set. Debian configs: amd64 and arm64 (4K and 16K) set all three;
 * ppc64el none of DMA/DMA32 (book3s64 selects neither) but DEVICE;
 * s390x DMA only (ZONE_DEVICE is not set); riscv64 DMA32 and DEVICE.
 */
static void test_zone_sets(struct test_ctx *t)
{
	static const struct {
		const char *arch, *zones, *pgalloc_absent;
	} rows[] = {
		{ "x86_64", "DMA DMA32 Normal Movable Device", NULL },
		{ "x86_64-5level", "DMA DMA32 Normal Movable Device", NULL },
		{ "arm64-4k", "DMA DMA32 Normal Movable Device", NULL },
		{ "arm64-16k", "DMA DMA32 Normal Movable Device", NULL },
		{ "arm64-64k", "DMA DMA32 Normal Movable Device", NULL },
		{ "ppc64-radix-4k", "Normal Movable Device", "pgalloc_dma " },
		{ "ppc64-radix-64k", "Normal Movable Device", "pgalloc_dma32 " },
		{ "ppc64-hash-4k", "Normal Movable Device", "pgalloc_dma " },
		{ "ppc64-hash-64k", "Normal Movable Device", "pgalloc_dma32 " },
		{ "s390x", "DMA Normal Movable", "pgalloc_device " },
		{ "riscv64", "DMA32 Normal Movable Device", "pgalloc_dma " },
	};
	size_t i, n;

	geometry_profiles(&n);
	CHECK_EQ_U64(t, n, sizeof(rows) / sizeof(rows[0]));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hotmem_machine *m = boot(rows[i].arch, 2 * G, 0, 0, 0);
		char *zi, *vm, got[96], want[96], *w;
		int nz = 1;

		if (!m) {
			CHECK(t, 0);
			continue;
		}
		zi = slurp(m, "/proc/zoneinfo");
		vm = slurp(m, "/proc/vmstat");
		CHECK(t, zi && vm);
		if (zi && vm) {
			zoneinfo_zones(zi, got, sizeof(got));
			if (strcmp(got, rows[i].zones))
				printf("  %s: zones \"%s\"\n", rows[i].arch, got);
			CHECK(t, !strcmp(got, rows[i].zones));
			/* protection: one entry per zone of the build */
			for (w = strchr(rows[i].zones, ' '); w; w = strchr(w + 1, ' '))
				nz++;
			CHECK_EQ_INT(t, protection_entries(zi), nz);
			/* pgalloc_<zone> for exactly the build's zones */
			strcpy(want, rows[i].zones);
			for (w = strtok(want, " "); w; w = strtok(NULL, " ")) {
				char label[32], *c;

				snprintf(label, sizeof(label), "pgalloc_%s ", w);
				for (c = label; *c; c++)
					*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
				CHECK(t, has_line(vm, label));
			}
			if (rows[i].pgalloc_absent)
				CHECK(t, !has_line(vm, rows[i].pgalloc_absent));
		}
		free(zi);
		free(vm);
		hotmem_free(m);
	}
}

/*
 * Option-dependent lines. fs/proc/meminfo.c : HardwareCorrupted under
 * CONFIG_MEMORY_FAILURE (not available on s390 and riscv in 6.12),
 * CmaTotal/CmaFree under CONFIG_CMA (Debian: arm64, ppc64el, s390x;
 * not amd64, riscv64), Unaccepted under CONFIG_UNACCEPTED_MEMORY (x86
 * only). mm/vmstat.c : numa_* and zone_reclaim_* under CONFIG_NUMA
 * (off in Debian's s390x), nr_unaccepted likewise, cma_alloc_* under
 * CONFIG_CMA, thp_split_pud under HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
 * (x86, ppc64), direct_map_level*_splits under CONFIG_X86.
 * arch_report_meminfo exists for x86 (arch/x86/mm/pat/set_memory.c),
 * s390 (arch/s390/mm/pageattr.c) and ppc64 book3s (book3s64/pgtable.c,
 * which returns early unless radix_enabled()); arm64 and riscv have
 * none, so the weak empty one prints nothing.
 */
static void test_option_lines(struct test_ctx *t)
{
	static const struct {
		const char *arch;
		bool hwcorrupt, cma, unaccepted, numa, thp_pud, x86;
		const char *direct_map;	/* labels, in order */
	} rows[] = {
		{ "x86_64", 1, 0, 1, 1, 1, 1, "DirectMap4k: DirectMap2M: DirectMap1G:" },
		{ "arm64-4k", 1, 1, 0, 1, 0, 0, "" },
		{ "arm64-64k", 1, 1, 0, 1, 0, 0, "" },
		{ "ppc64-radix-64k", 1, 1, 0, 1, 1, 0,
		  "DirectMap4k: DirectMap64k: DirectMap2M: DirectMap1G:" },
		{ "ppc64-hash-64k", 1, 1, 0, 1, 1, 0, "" },
		{ "s390x", 0, 1, 0, 0, 0, 0, "DirectMap4k: DirectMap1M: DirectMap2G:" },
		{ "riscv64", 0, 0, 0, 1, 0, 0, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hotmem_machine *m = boot(rows[i].arch, 2 * G, 0, 0, 0);
		char *mi, *vm, *zi, *nm, labels[128], *w;
		const char *p;

		if (!m) {
			CHECK(t, 0);
			continue;
		}
		mi = slurp(m, "/proc/meminfo");
		vm = slurp(m, "/proc/vmstat");
		zi = slurp(m, "/proc/zoneinfo");
		nm = slurp(m, "/sys/devices/system/node/node0/meminfo");
		CHECK(t, mi && vm && zi);
		if (!mi || !vm || !zi)
			goto next;
		CHECK_EQ_INT(t, has_line(mi, "HardwareCorrupted:"), rows[i].hwcorrupt);
		CHECK_EQ_INT(t, has_line(mi, "CmaTotal:"), rows[i].cma);
		CHECK_EQ_INT(t, has_line(mi, "CmaFree:"), rows[i].cma);
		CHECK_EQ_INT(t, has_line(mi, "Unaccepted:"), rows[i].unaccepted);
		CHECK_EQ_INT(t, has_line(vm, "nr_unaccepted "), rows[i].unaccepted);
		CHECK_EQ_INT(t, has_line(zi, "nr_unaccepted "), rows[i].unaccepted);
		CHECK_EQ_INT(t, has_line(vm, "numa_hit "), rows[i].numa);
		CHECK_EQ_INT(t, has_line(zi, "numa_hit "), rows[i].numa);
		CHECK_EQ_INT(t, has_line(vm, "zone_reclaim_success "), rows[i].numa);
		CHECK_EQ_INT(t, has_line(vm, "numa_pte_updates "), rows[i].numa);
		CHECK_EQ_INT(t, has_line(vm, "pgpromote_success "), rows[i].numa);
		CHECK_EQ_INT(t, has_line(vm, "cma_alloc_success "), rows[i].cma);
		CHECK_EQ_INT(t, has_line(vm, "thp_split_pud "), rows[i].thp_pud);
		CHECK_EQ_INT(t, has_line(vm, "direct_map_level2_splits "), rows[i].x86);
		/* lines every build has (hugetlb's: with a CPU that has huge
		 * pages, not s390 under TCG, which lacks EDAT-1) */
		CHECK(t, has_line(vm, "nr_free_cma "));
		/* hugetlb's lines: every build, but the ppc64 hash MMU finds
		 * no huge page size without QEMU's cap-hpt-max-page-size=16M
		 * (observed on 6.12.95), and s390 under TCG lacks EDAT-1 */
		CHECK_EQ_INT(t, has_line(mi, "Hugetlb:"), strstr(rows[i].arch, "hash") == NULL &&
			     strcmp(rows[i].arch, "s390x") != 0);
		if (nm)
			CHECK_EQ_INT(t, strstr(nm, "Unaccepted:") != NULL,
				     rows[i].unaccepted);
		/* the DirectMap labels, in order */
		labels[0] = '\0';
		for (p = strstr(mi, "DirectMap"); p; p = strstr(p + 1, "\nDirectMap")) {
			const char *q = *p == '\n' ? p + 1 : p;
			size_t l = strcspn(q, " ");

			if (labels[0])
				strcat(labels, " ");
			strncat(labels, q, l);
		}
		if (strcmp(labels, rows[i].direct_map))
			printf("  %s: DirectMap labels \"%s\"\n", rows[i].arch, labels);
		CHECK(t, !strcmp(labels, rows[i].direct_map));
		/* hugetlb_report_meminfo then arch_report_meminfo end the
		 * file: DirectMap lines (if any) right after Hugetlb: */
		w = strstr(mi, "Hugetlb:");
		if (strstr(rows[i].arch, "hash"))
			goto next;
		if (!w)		/* s390 without EDAT: after the CMA lines */
			w = strstr(mi, "CmaFree:");
		CHECK(t, w && strchr(w, '\n') &&
		      (rows[i].direct_map[0] ? !strncmp(strchr(w, '\n') + 1, "DirectMap4k:", 12)
					     : strchr(w, '\n')[1] == '\0'));
next:
		free(mi);
		free(vm);
		free(zi);
		free(nm);
		hotmem_free(m);
	}
}

/*
 * The ppc64 radix line for 64K pages is "DirectMap64k:" followed by four
 * spaces before the %8lu field (book3s64/pgtable.c : arch_report_meminfo),
 * one column wider than the others.
 */
static void test_ppc_64k_label_width(struct test_ctx *t)
{
	struct hotmem_machine *m = boot("ppc64-radix-64k", 2 * G, 0, 0, 0);
	char *mi = m ? slurp(m, "/proc/meminfo") : NULL;

	CHECK(t, mi && strstr(mi, "\nDirectMap64k:           0 kB\n"));
	/* 2 GiB without device memory: 1 GiB blocks, so the second GiB is
	 * one 1G page; the first stops at __srwx_boundary (a real guest) */
	CHECK(t, mi && strstr(mi, "\nDirectMap2M:     1048576 kB\n"));
	CHECK(t, mi && strstr(mi, "\nDirectMap1G:     1048576 kB\n"));
	free(mi);
	hotmem_free(m);
}

static uint64_t meminfo_kb(struct hotmem_machine *m, const char *label)
{
	char *mi = slurp(m, "/proc/meminfo");
	uint64_t v = mi ? line_value(mi, label) : UINT64_MAX;

	free(mi);
	return v;
}

/*
 * s390 DirectMap values. arch/s390/boot/vmem.c : setup_vmem maps the
 * lowcore (struct lowcore, 0x2000 bytes) separately and the identity
 * map of each usable range from there, counting only the identity
 * pages; pgtable_populate takes a 2G region-third entry when the address
 * is 2G aligned with 2G left (EDAT2), a 1M segment likewise (EDAT1),
 * else 4K pages. With 4 GiB of RAM:
 *   [8K, 1M)  4K pages: 1016 kB
 *   [1M, 2G)  1M pages: 2047 MiB = 2096128 kB
 *   [2G, 4G)  one 2G page: 2097152 kB
 * With 3 GiB the last GiB cannot take a 2G page: 1M pages, 3071 MiB.
 * (EDAT-1/2: a machine with standby memory, i.e. a real z host; QEMU's
 * TCG CPU has neither, so a machine without standby is all 4K pages.)
 * Standby memory is mapped when sclp adds it (arch/s390/mm/init.c :
 * arch_add_memory -> vmem_add_mapping), one 256M block per add_memory
 * call (drivers/s390/char/sclp_cmd.c : add_memory_merged): 1M segments
 * only (arch/s390/mm/vmem.c : modify_pud_table needs a 2G aligned range
 * for a 2G entry).
 */
static void test_s390_direct_map(struct test_ctx *t)
{
	/* a real z host (standby memory: EDAT-1/2 there); 256M of
	 * standby, added by sclp as 1M segments */
	struct hotmem_machine *m = boot("s390x", 4 * G, 0, 256 * M, 0);

	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap4k:"), 1016);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1M:"), 2096128 + 262144);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2G:"), 2097152);
		hotmem_free(m);
	}
	m = boot("s390x", 3 * G, 0, 256 * M, 0);
	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap4k:"), 1016);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1M:"), 3071 * 1024 + 262144);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2G:"), 0);
		hotmem_free(m);
	}
	m = boot("s390x", 4 * G, 0, 2 * G, 0);
	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap4k:"), 1016);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1M:"), 2096128 + 2097152);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2G:"), 2097152);
		hotmem_free(m);
	}
	/* QEMU's TCG CPU has no EDAT: all 4K pages after the lowcore
	 * (2097144 kB on the 2 GiB guest, observed), no hugetlb lines */
	m = boot("s390x", 4 * G, 0, 0, 0);
	CHECK(t, m != NULL);
	if (m) {
		char *mi = slurp(m, "/proc/meminfo");

		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap4k:"), 4 * 1024 * 1024 - 8);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1M:"), 0);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2G:"), 0);
		CHECK(t, mi && !strstr(mi, "Hugepagesize:") && !strstr(mi, "HugePages_Total:"));
		free(mi);
		hotmem_free(m);
	}
}

/*
 * ppc64 radix DirectMap values. book3s64/radix_pgtable.c :
 * create_physical_mapping caps each mapping at memory_block_size
 * (pseries: ibm,lmb-size, 256M by default), so with 256M blocks all RAM
 * is 2M pages; with 1G blocks a 1G page is used where aligned, except
 * in the first GiB, where next_boundary() stops at the kernel's
 * __srwx_boundary (16M aligned, CONFIG_DATA_SHIFT=24). Hot-added memory
 * is mapped by radix__create_section_mapping with the same rule and
 * unmapped by remove_pagetable, which subtracts what it maps.
 */
static void test_ppc_radix_direct_map(struct test_ctx *t)
{
	struct hotmem_machine *m = boot("ppc64-radix-4k", 3 * G, 0, 0, 0);
	char err[256];

	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap4k:"), 0);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2M:"), 3 * 1024 * 1024);
		CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1G:"), 0);
		hotmem_free(m);
	}
	m = boot("ppc64-radix-64k", 4 * G, G, 0, 2);
	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap64k:"), 0);
	CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2M:"), 1024 * 1024);
	CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1G:"), 3 * 1024 * 1024);
	/* a 1G DIMM at 4G (the device area starts at the end of RAM,
	 * 1G aligned): one more 1G page, gone again after eject */
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", G, 0, err, sizeof(err)), 0);
	CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1G:"), 4 * 1024 * 1024);
	CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap2M:"), 1024 * 1024);
	CHECK_EQ_INT(t, hotmem_device_del(m, "d0", err, sizeof(err)), 0);
	CHECK_EQ_U64(t, meminfo_kb(m, "DirectMap1G:"), 3 * 1024 * 1024);
	hotmem_free(m);
}

/* The split itself: head and tail in base pages, the rest in the
 * largest aligned size the cap allows. */
static void test_direct_map_split(struct test_ctx *t)
{
	struct hm_geometry g;
	uint64_t dm[DM_NR];

	/* ppc64 radix 64K, cap 256M: [1G+64K, 1G+4M+64K) is 2M-64K of
	 * 64K pages, one 2M page, 64K of 64K pages */
	geometry_init(&g, "ppc64-radix-64k");
	memset(dm, 0, sizeof(dm));
	arch_direct_map_split(&g, G + 64 * 1024, G + 4 * M + 64 * 1024, 256 * M, dm);
	CHECK_EQ_U64(t, dm[DM_64K], 2 * M);
	CHECK_EQ_U64(t, dm[DM_2M], 2 * M);
	CHECK_EQ_U64(t, dm[DM_1G] + dm[DM_4K], 0);
	/* s390: [1M+4K, 4G+1M): 4K up to 2M, 1M up to 2G, one 2G page,
	 * then 1M */
	geometry_init(&g, "s390x");
	memset(dm, 0, sizeof(dm));
	arch_direct_map_split(&g, M + 4096, 4 * G + M, UINT64_MAX, dm);
	CHECK_EQ_U64(t, dm[DM_4K], M - 4096);
	CHECK_EQ_U64(t, dm[DM_1M], 2046 * M + M);
	CHECK_EQ_U64(t, dm[DM_2G], 2 * G);
	/* arm64 has no arch_report_meminfo: nothing is counted */
	geometry_init(&g, "arm64-4k");
	memset(dm, 0, sizeof(dm));
	arch_direct_map_split(&g, G, 4 * G, UINT64_MAX, dm);
	CHECK_EQ_U64(t, dm[DM_4K] + dm[DM_2M] + dm[DM_1G], 0);
}

/*
 * arm64's default CMA area (kernel/dma/contiguous.c :
 * dma_contiguous_reserve(arm64_dma_phys_limit), Debian
 * CONFIG_CMA_SIZE_MBYTES=64): mm/cma.c : cma_declare_contiguous_nid
 * rounds the size up to CMA_MIN_ALIGNMENT_BYTES, a pageblock: 64M with
 * 4K (pageblock 2M) and 16K (32M) pages, 512M with 64K pages (pageblock
 * 512M). It lies below the DMA limit (4G on QEMU virt, whose DT has no
 * dma-ranges), i.e. in ZONE_DMA. Nothing allocates from it, so CmaFree
 * equals CmaTotal and nr_free_cma its pages.
 */
static void test_arm64_cma(struct test_ctx *t)
{
	static const struct {
		const char *arch;
		uint64_t kb, pages;
	} rows[] = {
		{ "arm64-4k", 65536, 16384 },
		{ "arm64-16k", 65536, 4096 },
		{ "arm64-64k", 524288, 8192 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hotmem_machine *m = boot(rows[i].arch, 4 * G, 0, 0, 0);
		char *vm, *zi;
		const char *dma;

		if (!m) {
			CHECK(t, 0);
			continue;
		}
		CHECK_EQ_U64(t, meminfo_kb(m, "CmaTotal:"), rows[i].kb);
		CHECK_EQ_U64(t, meminfo_kb(m, "CmaFree:"), rows[i].kb);
		vm = slurp(m, "/proc/vmstat");
		zi = slurp(m, "/proc/zoneinfo");
		CHECK(t, vm && zi);
		if (vm && zi) {
			CHECK_EQ_U64(t, line_value(vm, "nr_free_cma "), rows[i].pages);
			dma = strstr(zi, "zone      DMA\n");
			CHECK(t, dma != NULL);
			if (dma) {
				const char *c = strstr(dma, "\n        cma      ");

				CHECK(t, c != NULL);
				if (c)
					CHECK_EQ_U64(t, strtoull(c + 18, NULL, 10),
						     rows[i].pages);
			}
		}
		free(vm);
		free(zi);
		hotmem_free(m);
	}
}

/*
 * VmallocTotal on x86-64 (arch/x86/include/asm/pgtable_64_types.h):
 * VMALLOC_SIZE_TB is 32 with 4-level paging and 12800 with 5-level,
 * VMALLOC_END = VMALLOC_START + (VMALLOC_SIZE_TB << 40) - 1 (no KMSAN in
 * Debian), printed >> 10: 32 Ti - 1 byte = 34359738367 kB, and
 * 12800 Ti - 1 byte = 13743895347199 kB.
 */
static void test_x86_vmalloc_total(struct test_ctx *t)
{
	struct hotmem_machine *m = boot("x86_64", 2 * G, 0, 0, 0);

	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, meminfo_kb(m, "VmallocTotal:"), 34359738367ull);
		hotmem_free(m);
	}
	m = boot("x86_64-5level", 2 * G, 0, 0, 0);
	CHECK(t, m != NULL);
	if (m) {
		CHECK_EQ_U64(t, meminfo_kb(m, "VmallocTotal:"), 13743895347199ull);
		hotmem_free(m);
	}
}

void tests_procfs_arch(struct test_ctx *t)
{
	RUN(t, test_x86_vmalloc_total);
	RUN(t, test_zone_sets);
	RUN(t, test_option_lines);
	RUN(t, test_ppc_64k_label_width);
	RUN(t, test_s390_direct_map);
	RUN(t, test_ppc_radix_direct_map);
	RUN(t, test_direct_map_split);
	RUN(t, test_arm64_cma);
}
