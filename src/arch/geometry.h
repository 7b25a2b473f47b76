/*
 * geometry.h - architecture profiles: the constants that shape sparse
 * memory, the vmemmap and memory blocks (the arch's asm/sparsemem.h), and the per-arch
 * hooks that decide things the constants alone do not (whether the
 * memmap may live on the hot-added memory, the memory block size, how
 * the vmemmap is mapped).
 *
 * Contract: geometry_init() fills a struct hm_geometry for a named
 * profile; everything else in the model derives sizes from it, never
 * from #ifdefs. Profiles are data (a const table in geometry.c); the
 * hooks are functions reached through the profile. Every number is
 * Linux 6.12's, with the file it comes from cited at the table row.
 * Expected workload: initialised once per machine, read constantly.
 */
#ifndef HOTMEM_GEOMETRY_H
#define HOTMEM_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUBSECTION_SHIFT 21	/* 2 MiB on every arch and page size */

/* How the arch maps the vmemmap (arch vmemmap_populate; the arch's asm/sparsemem.h). */
enum vmemmap_mapping {
	/* x86-64, arm64 4K: PMD leaves for full sections, base pages below */
	VMEMMAP_MAP_PMD,
	/* arm64 16K/64K: base pages always */
	VMEMMAP_MAP_BASE,
	/* riscv64 (vmemmap_populate_hugepages for any range), s390x (1 MiB
	 * frames even when only partly used) */
	VMEMMAP_MAP_PMD_ALWAYS,
	/* ppc64 radix: a PMD when the vmemmap address is PMD aligned and the
	 * PMD's struct pages stay inside the altmap's range, else base pages */
	VMEMMAP_MAP_PMD_IF_FITS,
	/* ppc64 hash: one fixed mapping size, mmu_vmemmap_psize */
	VMEMMAP_MAP_FIXED,
};

/* How memory_block_size_bytes() is decided (the arch's asm/sparsemem.h). */
enum block_size_rule {
	BLOCK_SIZE_X86_PROBE,	/* arch/x86/mm/init_64.c : probe_memory_block_size */
	BLOCK_SIZE_SECTION,	/* generic weak default: one section */
	BLOCK_SIZE_PPC_LMB,	/* pseries: ibm,lmb-size of the device tree */
	BLOCK_SIZE_S390_RZM,	/* arch/s390/mm/init.c : max(256M, sclp.rzm) */
};

/*
 * What Debian's 6.12 kernel build of the arch has (its config file,
 * linux-config-6.12): one bit per zone of enum zone_type (bit i = zone
 * i, the order of mm/mmzone.h), then the options that decide which
 * lines /proc/meminfo, /proc/zoneinfo and /proc/vmstat print.
 */
enum kconfig_bit {
	KCONFIG_ZONE_DMA = 1u << 0,
	KCONFIG_ZONE_DMA32 = 1u << 1,
	KCONFIG_ZONE_NORMAL = 1u << 2,	/* always */
	KCONFIG_ZONE_MOVABLE = 1u << 3,	/* always */
	KCONFIG_ZONE_DEVICE = 1u << 4,
	KCONFIG_NUMA = 1u << 8,
	KCONFIG_NUMA_BALANCING = 1u << 9,
	KCONFIG_CMA = 1u << 10,
	KCONFIG_MEMORY_FAILURE = 1u << 11,
	KCONFIG_UNACCEPTED_MEMORY = 1u << 12,
	KCONFIG_THP_PUD = 1u << 13,	/* HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD */
	KCONFIG_X86 = 1u << 14,
	/* CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y: hot-added blocks are
	 * onlined unless memhp_default_state= says otherwise */
	KCONFIG_MHP_DEFAULT_ONLINE = 1u << 15,
	/* CONFIG_ACPI_HOTPLUG_MEMORY: the ACPI memory device driver, which
	 * adds a DIMM QEMU plugs on an ACPI machine (drivers/acpi/
	 * acpi_memhotplug.c); Debian's arm64 builds leave it unset */
	KCONFIG_ACPI_HOTPLUG_MEMORY = 1u << 16,
};

/* Debian amd64 (config.amd64_none_amd64): the layout procfs_text.c
 * prints when no build is named. */
#define KCONFIG_DEBIAN_AMD64 (KCONFIG_ZONE_DMA | KCONFIG_ZONE_DMA32 | \
	KCONFIG_ZONE_NORMAL | KCONFIG_ZONE_MOVABLE | KCONFIG_ZONE_DEVICE | \
	KCONFIG_NUMA | KCONFIG_NUMA_BALANCING | KCONFIG_MEMORY_FAILURE | \
	KCONFIG_UNACCEPTED_MEMORY | KCONFIG_THP_PUD | KCONFIG_X86 | \
	KCONFIG_MHP_DEFAULT_ONLINE | KCONFIG_ACPI_HOTPLUG_MEMORY)

/* Which DirectMap* lines arch_report_meminfo prints, and how the
 * linear map is cut into page sizes (src/arch/direct_map.c). */
enum direct_map_style {
	DIRECT_MAP_X86 = 0,	/* arch/x86/mm/pat/set_memory.c: 4k, 2M, 1G */
	DIRECT_MAP_NONE,	/* arm64, riscv64, ppc64 hash: no lines */
	DIRECT_MAP_S390,	/* arch/s390/mm/pageattr.c: 4k, 1M, 2G */
	DIRECT_MAP_PPC_RADIX,	/* book3s64/pgtable.c: 4k, 64k, 2M, 1G */
};

struct hm_geometry;

struct arch_profile {
	const char *name;		/* "ppc64-radix-64k" */
	const char *family;		/* "x86_64", "arm64", "ppc64", "s390x", "riscv64" */
	const char *mmu;		/* "4-level", "5-level", "radix", "hash", "" */
	const char *machine;		/* the QEMU machine its boot layout follows */
	unsigned int page_shift, section_size_bits, max_physmem_bits;
	unsigned int pageblock_order, max_page_order, pmd_shift;
	unsigned int vmemmap_fixed_shift;	/* VMEMMAP_MAP_FIXED only */
	enum vmemmap_mapping mapping;
	bool altmap_for_subsections;	/* x86 ignores the altmap below a section */
	bool altmap_bounds_check;	/* ppc64: altmap_cross_boundary() */
	enum block_size_rule block_rule;
	/* boot layout (docs/architectures.md): where RAM starts, zone ends */
	uint64_t ram_base;
	uint64_t zone_dma_end, zone_dma32_end;	/* bytes; 0 = zone empty */
	/*
	 * arch_supports_memmap_on_memory(vmemmap_size): the arch's last
	 * word in mhp_supports_memmap_on_memory(). On false, *why names
	 * the rule (one sentence, no trailing period).
	 */
	bool (*supports_memmap_on_memory)(const struct hm_geometry *g,
					  uint64_t vmemmap_size, char *why,
					  size_t whylen);
	unsigned int kconfig;		/* enum kconfig_bit */
	enum direct_map_style direct_map;
	/* the default CMA area (DMA_CMA: CONFIG_CMA_SIZE_MBYTES), bytes */
	uint64_t cma_bytes;
};

struct hm_geometry {
	char arch[16];
	const struct arch_profile *profile;
	unsigned int page_shift;
	unsigned int section_size_bits;
	unsigned int max_physmem_bits;
	unsigned int pageblock_order;
	unsigned int max_page_order;
	unsigned int struct_page_size;
	unsigned int pmd_shift;
	enum vmemmap_mapping vmemmap_mapping;
	bool altmap_for_subsections;	/* x86 ignores the altmap below a section */

	/* derived */
	uint64_t page_size;
	uint64_t pages_per_section;
	uint64_t pages_per_subsection;
	uint64_t subsections_per_section;
	uint64_t pageblock_nr_pages;
	uint64_t nr_mem_sections;
	uint64_t sections_per_root;
	uint64_t nr_section_roots;
	unsigned int subsection_words;	/* u64 words of a sub-section bitmap */
	unsigned int pageblock_words;	/* u64 words of pageblock flags, 4 bits each */
};

int geometry_init(struct hm_geometry *g, const char *arch);
/* "x86_64, x86_64-5level, ...": every profile name and alias, for messages. */
const char *geometry_arch_names(void);
/* The profiles, in table order (n receives the count). */
const struct arch_profile *geometry_profiles(size_t *n);
/* A profile by name or alias ("arm64" = "arm64-4k"), or NULL. */
const struct arch_profile *geometry_profile_find(const char *name);

/*
 * Is block_size a memory block size this arch can have? A power of two
 * of at least one section, inside the physical address space
 * (MAX_PHYSMEM_BITS), and on x86 at most 2 GiB (MAX_BLOCK_SIZE of
 * arch/x86/mm/init_64.c). 0, or -EINVAL with the rule in err, which
 * starts with what ("block_size=", "block size ") and the size.
 */
int geometry_check_block_size(const struct hm_geometry *g, const char *what,
			      uint64_t block_size, char *err, size_t errlen);

/* Does the build have zone zid (enum zone_type)? */
static inline bool geometry_has_zone(const struct hm_geometry *g, int zid)
{
	return (g->profile->kconfig >> zid) & 1u;
}

/* The mapping unit (log2 bytes) a full section's vmemmap uses, ignoring
 * altmap bounds: a PMD, a base page, or ppc64 hash's fixed size. */
unsigned int geometry_vmemmap_unit_shift(const struct hm_geometry *g);

static inline uint64_t pfn_to_section_nr(const struct hm_geometry *g, uint64_t pfn)
{
	return pfn >> (g->section_size_bits - g->page_shift);
}

static inline uint64_t section_nr_to_pfn(const struct hm_geometry *g, uint64_t nr)
{
	return nr << (g->section_size_bits - g->page_shift);
}

/* Bytes of vmemmap (struct pages) describing nr pages, rounded up to pages. */
static inline uint64_t memmap_pages(const struct hm_geometry *g, uint64_t nr)
{
	return (nr * g->struct_page_size + g->page_size - 1) >> g->page_shift;
}

#endif
