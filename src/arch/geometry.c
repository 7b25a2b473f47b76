/*
 * geometry.c - architecture profiles (the arch's asm/sparsemem.h, "Table"), exact to Linux
 * 6.12 with 64-byte struct pages, SPARSEMEM_VMEMMAP + SPARSEMEM_EXTREME.
 *
 * Each row cites where its numbers come from. Derived quantities
 * (pages per section, sub-sections, ...) are computed in
 * geometry_init(), never tabled, so a row cannot contradict itself.
 */
#include "geometry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SZ_2G	(2ull << 30)
#define SZ_4G	(4ull << 30)
#define SZ_1G	(1ull << 30)
#define SZ_16M	(16ull << 20)

/*
 * mm/memory_hotplug.c : arch_supports_memmap_on_memory (generic): the
 * memmap of a block must span whole PMDs, so that it can be mapped by
 * PMD leaves and never draws on the altmap for another block.
 */
static bool generic_supports_memmap_on_memory(const struct hm_geometry *g,
					      uint64_t vmemmap_size, char *why,
					      size_t whylen)
{
	uint64_t pmd = 1ull << g->pmd_shift;

	if (!(vmemmap_size & (pmd - 1)))
		return true;
	snprintf(why, whylen, "arch_supports_memmap_on_memory: the memmap (%llu KiB) "
		 "is not a whole number of PMDs (%llu KiB)",
		 (unsigned long long)(vmemmap_size >> 10), (unsigned long long)(pmd >> 10));
	return false;
}

/*
 * arch/powerpc/include/asm/pgtable.h : arch_supports_memmap_on_memory:
 * never with the hash MMU; with radix and 4K pages whole PMDs as the
 * generic rule; with radix and 64K pages always (the vmemmap code falls
 * back to base pages, and the pageblock rule is checked before).
 */
static bool ppc64_radix_supports_memmap_on_memory(const struct hm_geometry *g,
						  uint64_t vmemmap_size,
						  char *why, size_t whylen)
{
	if (g->page_shift == 12)
		return generic_supports_memmap_on_memory(g, vmemmap_size, why, whylen);
	return true;
}

static bool ppc64_hash_supports_memmap_on_memory(const struct hm_geometry *g,
						 uint64_t vmemmap_size,
						 char *why, size_t whylen)
{
	(void)g;
	(void)vmemmap_size;
	snprintf(why, whylen, "arch_supports_memmap_on_memory: powerpc allows "
		 "memmap_on_memory only when the radix MMU is in use, and this "
		 "machine runs the hash MMU");
	return false;
}

/*
 * The builds (Debian's linux-config-6.12: config.arm64_none_arm64 and
 * -16k, config.ppc64el_none_powerpc64le and -64k, config.s390x_none_s390x,
 * config.riscv64_none_riscv64; arm64 64K pages have no Debian flavour and
 * are assumed configured as the 4K one). Zones are enum zone_type's,
 * which has a zone only when CONFIG_ZONE_DMA / _DMA32 / _DEVICE is set:
 *   arm64: DMA, DMA32, DEVICE, NUMA(+BALANCING), MEMORY_FAILURE, CMA with
 *          DMA_CMA and CMA_SIZE_MBYTES=64 (kernel/dma/contiguous.c);
 *   ppc64el: no DMA/DMA32 (book3s64 selects neither), DEVICE, NUMA,
 *          MEMORY_FAILURE, CMA (no DMA_CMA: no default area), THP PUD;
 *   s390x: DMA only, no ZONE_DEVICE, no NUMA, no MEMORY_FAILURE, CMA
 *          (its only area, vmcp's, is reserved under z/VM alone);
 *   riscv64: DMA32 only, DEVICE, NUMA(+BALANCING), no CMA, no
 *          MEMORY_FAILURE.
 * UNACCEPTED_MEMORY and the direct_map_level*_splits events are x86's.
 * Hot-added blocks come up offline on Debian's 6.12.95 (bookworm-
 * backports) arm64, arm64-16k, powerpc64le(-64k) and s390x builds
 * ("# CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE is not set" in their
 * /boot/config), online on amd64 (=y); riscv64 has no bookworm build,
 * and Debian's later 6.12 riscv64 config onlines them
 * (CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO).
 */
#define ZONES_ALWAYS (KCONFIG_ZONE_NORMAL | KCONFIG_ZONE_MOVABLE)
#define ARM64_KCONFIG (ZONES_ALWAYS | KCONFIG_ZONE_DMA | KCONFIG_ZONE_DMA32 | \
	KCONFIG_ZONE_DEVICE | KCONFIG_NUMA | KCONFIG_NUMA_BALANCING | \
	KCONFIG_MEMORY_FAILURE | KCONFIG_CMA)
/* no Debian build has 64K pages: the profile keeps the source's ACPI
 * memory hotplug (a kernel built with CONFIG_ACPI_HOTPLUG_MEMORY=y) */
#define ARM64_64K_KCONFIG (ARM64_KCONFIG | KCONFIG_ACPI_HOTPLUG_MEMORY)
#define ARM64_CMA (64ull << 20)
#define PPC64_KCONFIG (ZONES_ALWAYS | KCONFIG_ZONE_DEVICE | KCONFIG_NUMA | \
	KCONFIG_NUMA_BALANCING | KCONFIG_MEMORY_FAILURE | KCONFIG_CMA | \
	KCONFIG_THP_PUD)
#define S390_KCONFIG (ZONES_ALWAYS | KCONFIG_ZONE_DMA | KCONFIG_CMA)
#define RISCV64_KCONFIG (ZONES_ALWAYS | KCONFIG_ZONE_DMA32 | \
	KCONFIG_ZONE_DEVICE | KCONFIG_NUMA | KCONFIG_NUMA_BALANCING | \
	KCONFIG_MHP_DEFAULT_ONLINE)

/*
 * Columns: page_shift, SECTION_SIZE_BITS, MAX_PHYSMEM_BITS,
 * pageblock_order, MAX_PAGE_ORDER, PMD_SHIFT, fixed vmemmap shift.
 * pageblock_order: include/linux/pageblock-flags.h (min(HUGETLB_PAGE_ORDER,
 * MAX_PAGE_ORDER)); ppc64: mm/mm_init.c : set_pageblock_order with the
 * default huge page of arch/powerpc/mm/book3s64/hugetlbpage.c
 * (16M on hash, 2M on radix).
 */
static const struct arch_profile arch_profiles[] = {
	/* arch/x86/include/asm/sparsemem.h: SECTION_SIZE_BITS 27,
	 * MAX_PHYSMEM_BITS 46 (4-level) or 52 (5-level active);
	 * MAX_PAGE_ORDER 10 (generic); HPAGE 2M -> pageblock 9;
	 * arch/x86/mm/init_64.c : vmemmap_populate, probe_memory_block_size.
	 * Zones: DMA < 16M, DMA32 < 4G. */
	{ "x86_64", "x86_64", "4-level", "q35", 12, 27, 46, 9, 10, 21, 0,
	  VMEMMAP_MAP_PMD, false, false, BLOCK_SIZE_X86_PROBE,
	  0, SZ_16M, SZ_4G, generic_supports_memmap_on_memory,
	  KCONFIG_DEBIAN_AMD64, DIRECT_MAP_X86, 0 },
	{ "x86_64-5level", "x86_64", "5-level", "q35", 12, 27, 52, 9, 10, 21, 0,
	  VMEMMAP_MAP_PMD, false, false, BLOCK_SIZE_X86_PROBE,
	  0, SZ_16M, SZ_4G, generic_supports_memmap_on_memory,
	  KCONFIG_DEBIAN_AMD64, DIRECT_MAP_X86, 0 },
	/* arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS 27 (4K, 16K)
	 * or 29 (64K); MAX_PHYSMEM_BITS = CONFIG_ARM64_PA_BITS (48 default);
	 * arch/arm64/Kconfig ARCH_FORCE_MAX_ORDER 10/11/13; PMD 2M/32M/512M;
	 * arch/arm64/mm/mmu.c : vmemmap_populate (PMD only with 4K pages and
	 * a full section). Zones (arch/arm64/mm/init.c : zone_sizes_init):
	 * RAM below 4G is ZONE_DMA, ZONE_DMA32 ends at the same place. */
	{ "arm64-4k", "arm64", "", "virt", 12, 27, 48, 9, 10, 21, 0,
	  VMEMMAP_MAP_PMD, true, false, BLOCK_SIZE_SECTION,
	  SZ_1G, SZ_4G, 0, generic_supports_memmap_on_memory,
	  ARM64_KCONFIG, DIRECT_MAP_NONE, ARM64_CMA },
	{ "arm64-16k", "arm64", "", "virt", 14, 27, 48, 11, 11, 25, 0,
	  VMEMMAP_MAP_BASE, true, false, BLOCK_SIZE_SECTION,
	  SZ_1G, SZ_4G, 0, generic_supports_memmap_on_memory,
	  ARM64_KCONFIG, DIRECT_MAP_NONE, ARM64_CMA },
	{ "arm64-64k", "arm64", "", "virt", 16, 29, 48, 13, 13, 29, 0,
	  VMEMMAP_MAP_BASE, true, false, BLOCK_SIZE_SECTION,
	  SZ_1G, SZ_4G, 0, generic_supports_memmap_on_memory,
	  ARM64_64K_KCONFIG, DIRECT_MAP_NONE, ARM64_CMA },
	/* arch/powerpc/include/asm/sparsemem.h: SECTION_SIZE_BITS 24;
	 * book3s/64/{radix,hash-64k,hash-4k}.h: MAX_PHYSMEM_BITS 51;
	 * arch/powerpc/Kconfig ARCH_FORCE_MAX_ORDER 12 (4K) / 8 (64K);
	 * PMD_SHIFT = PAGE_SHIFT + PTE_INDEX_SIZE: radix 21, hash-4k 21,
	 * hash-64k 24. vmemmap: book3s64/radix_pgtable.c :
	 * radix__vmemmap_populate; mm/init_64.c : __vmemmap_populate with
	 * mmu_vmemmap_psize = 16M (book3s64/hash_utils.c, >= 1G of RAM).
	 * No ZONE_DMA on book3s64: all RAM is ZONE_NORMAL. */
	{ "ppc64-radix-4k", "ppc64", "radix", "pseries", 12, 24, 51, 9, 12, 21, 0,
	  VMEMMAP_MAP_PMD_IF_FITS, true, true, BLOCK_SIZE_PPC_LMB,
	  0, 0, 0, ppc64_radix_supports_memmap_on_memory,
	  PPC64_KCONFIG, DIRECT_MAP_PPC_RADIX, 0 },
	{ "ppc64-radix-64k", "ppc64", "radix", "pseries", 16, 24, 51, 5, 8, 21, 0,
	  VMEMMAP_MAP_PMD_IF_FITS, true, true, BLOCK_SIZE_PPC_LMB,
	  0, 0, 0, ppc64_radix_supports_memmap_on_memory,
	  PPC64_KCONFIG, DIRECT_MAP_PPC_RADIX, 0 },
	{ "ppc64-hash-4k", "ppc64", "hash", "pseries", 12, 24, 51, 12, 12, 21, 24,
	  VMEMMAP_MAP_FIXED, true, true, BLOCK_SIZE_PPC_LMB,
	  0, 0, 0, ppc64_hash_supports_memmap_on_memory,
	  PPC64_KCONFIG, DIRECT_MAP_NONE, 0 },
	{ "ppc64-hash-64k", "ppc64", "hash", "pseries", 16, 24, 51, 8, 8, 24, 24,
	  VMEMMAP_MAP_FIXED, true, true, BLOCK_SIZE_PPC_LMB,
	  0, 0, 0, ppc64_hash_supports_memmap_on_memory,
	  PPC64_KCONFIG, DIRECT_MAP_NONE, 0 },
	/* arch/s390/include/asm/sparsemem.h: SECTION_SIZE_BITS 28,
	 * CONFIG_MAX_PHYSMEM_BITS 46 default; HPAGE_SHIFT 20 -> pageblock 8;
	 * PMD (segment) 1M; arch/s390/mm/vmem.c : 1M vmemmap frames even
	 * when partly used; arch/s390/mm/init.c : memory_block_size_bytes;
	 * ZONE_DMA below 2G (MAX_DMA_ADDRESS). */
	{ "s390x", "s390x", "", "s390-ccw-virtio", 12, 28, 46, 8, 10, 20, 0,
	  VMEMMAP_MAP_PMD_ALWAYS, true, false, BLOCK_SIZE_S390_RZM,
	  0, SZ_2G, 0, generic_supports_memmap_on_memory,
	  S390_KCONFIG, DIRECT_MAP_S390, 0 },
	/* arch/riscv/include/asm/sparsemem.h: SECTION_SIZE_BITS 27,
	 * MAX_PHYSMEM_BITS 56; generic vmemmap_populate_hugepages; RAM of
	 * QEMU virt from 2G; ZONE_DMA32 below 4G (arch/riscv/mm/init.c). */
	{ "riscv64", "riscv64", "", "virt", 12, 27, 56, 9, 10, 21, 0,
	  VMEMMAP_MAP_PMD_ALWAYS, true, false, BLOCK_SIZE_SECTION,
	  SZ_2G, 0, SZ_4G, generic_supports_memmap_on_memory,
	  RISCV64_KCONFIG, DIRECT_MAP_NONE, 0 },
};

#define NR_PROFILES (sizeof(arch_profiles) / sizeof(arch_profiles[0]))

/* Short names a user would type first. */
static const struct {
	const char *alias, *name;
} arch_aliases[] = {
	{ "x86_64-4level", "x86_64" },
	{ "arm64", "arm64-4k" },
	/* the Kconfig default for book3s64 (PPC_64K_PAGES); POWER9 and later
	 * boot radix. Debian's 6.12 ppc64el ships 4K pages in its default
	 * flavour (powerpc64le) and 64K in powerpc64le-64k: use
	 * ppc64-radix-4k for the former. */
	{ "ppc64", "ppc64-radix-64k" },
	{ "ppc64le", "ppc64-radix-64k" },
	{ "s390", "s390x" },
	{ "riscv", "riscv64" },
};

const struct arch_profile *geometry_profiles(size_t *n)
{
	*n = NR_PROFILES;
	return arch_profiles;
}

const struct arch_profile *geometry_profile_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sizeof(arch_aliases) / sizeof(arch_aliases[0]); i++)
		if (!strcmp(arch_aliases[i].alias, name))
			name = arch_aliases[i].name;
	for (i = 0; i < NR_PROFILES; i++)
		if (!strcmp(arch_profiles[i].name, name))
			return &arch_profiles[i];
	return NULL;
}

int geometry_init(struct hm_geometry *g, const char *arch)
{
	const struct arch_profile *p = geometry_profile_find(arch);

	if (!p)
		return -EINVAL;

	memset(g, 0, sizeof(*g));
	strncpy(g->arch, p->name, sizeof(g->arch) - 1);
	g->profile = p;
	g->page_shift = p->page_shift;
	g->section_size_bits = p->section_size_bits;
	g->max_physmem_bits = p->max_physmem_bits;
	g->pageblock_order = p->pageblock_order;
	g->max_page_order = p->max_page_order;
	g->struct_page_size = 64;
	g->pmd_shift = p->pmd_shift;
	g->vmemmap_mapping = p->mapping;
	g->altmap_for_subsections = p->altmap_for_subsections;

	g->page_size = 1ull << g->page_shift;
	g->pages_per_section = 1ull << (g->section_size_bits - g->page_shift);
	g->pages_per_subsection = 1ull << (SUBSECTION_SHIFT - g->page_shift);
	g->subsections_per_section = 1ull << (g->section_size_bits - SUBSECTION_SHIFT);
	g->pageblock_nr_pages = 1ull << g->pageblock_order;
	g->nr_mem_sections = 1ull << (g->max_physmem_bits - g->section_size_bits);
	/* 16-byte struct mem_section entries in page-sized roots */
	g->sections_per_root = g->page_size / 16;
	g->nr_section_roots = (g->nr_mem_sections + g->sections_per_root - 1) /
			      g->sections_per_root;
	g->subsection_words = (unsigned int)((g->subsections_per_section + 63) / 64);
	g->pageblock_words = (unsigned int)((g->pages_per_section /
					     g->pageblock_nr_pages * 4 + 63) / 64);
	return 0;
}

int geometry_check_block_size(const struct hm_geometry *g, const char *what,
			      uint64_t block_size, char *err, size_t errlen)
{
	uint64_t section = 1ull << g->section_size_bits;

	if (!block_size || (block_size & (block_size - 1)) || block_size < section) {
		snprintf(err, errlen, "%s%llu: must be a power of two of at least one section (%llu MiB on %s)",
			 what, (unsigned long long)block_size,
			 (unsigned long long)(section >> 20), g->profile->name);
		return -EINVAL;
	}
	if (block_size > (1ull << g->max_physmem_bits)) {
		snprintf(err, errlen, "%s%llu: larger than the physical address space of %s (%u bits, %llu GiB)",
			 what, (unsigned long long)block_size, g->profile->name,
			 g->max_physmem_bits,
			 (unsigned long long)(1ull << (g->max_physmem_bits - 30)));
		return -EINVAL;
	}
	if (g->profile->block_rule == BLOCK_SIZE_X86_PROBE && block_size > (2ull << 30)) {
		snprintf(err, errlen, "%s%llu: x86's memory blocks are at most 2 GiB (MAX_BLOCK_SIZE, arch/x86/mm/init_64.c)",
			 what, (unsigned long long)block_size);
		return -EINVAL;
	}
	return 0;
}

unsigned int geometry_vmemmap_unit_shift(const struct hm_geometry *g)
{
	switch (g->vmemmap_mapping) {
	case VMEMMAP_MAP_BASE:
		return g->page_shift;
	case VMEMMAP_MAP_FIXED:
		return g->profile->vmemmap_fixed_shift;
	default:
		return g->pmd_shift;
	}
}

const char *geometry_arch_names(void)
{
	return "x86_64, x86_64-5level, arm64 (= arm64-4k), arm64-16k, arm64-64k, "
	       "ppc64 (= ppc64-radix-64k), ppc64-radix-4k, ppc64-hash-4k, "
	       "ppc64-hash-64k, s390x, riscv64";
}
