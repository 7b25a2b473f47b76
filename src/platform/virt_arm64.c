/*
 * virt_arm64.c - QEMU's arm64 virt machine with ACPI, booted by EDK2
 * (Debian's qemu-efi-aarch64), as Debian's arm64 kernels meet it.
 *
 * What EDK2 hands the kernel (observed on 6.12.95 under QEMU 7.2 with
 * 1, 2, 3 and 4 GiB of RAM, 4K and 16K kernels; docs/architectures.md):
 *
 *   - the second flash bank [64M, 128M) (the UEFI variable store) as
 *     runtime memory: memblock NOMAP, so it is present in ZONE_DMA
 *     (which therefore starts at 64M), memory0 exists, and it is not
 *     System RAM;
 *   - two runtime ranges near the top of RAM, NOMAP too (holes in
 *     System RAM), and with nvdimm=on a third one, the NVDIMM DSM
 *     buffer, 128K below the ACPI tables;
 *   - the kernel image, the initrd and the ACPI tables at fixed
 *     distances below the end of RAM, whatever its size.
 *
 * The kernel then does, in arm64 bootmem_init()'s order: sparse_init()
 * takes one buffer per node of (present sections x section_map_size),
 * aligned to section_map_size, top-down, and frees what the memmap does
 * not use (all of it is used with 4K pages and PMD-mapped vmemmap; with
 * 16K pages 512K per section out of 32M); then dma_contiguous_reserve()
 * puts the 64M CMA area top-down below the DMA limit, pageblock-aligned;
 * mem_init the swiotlb below the same limit.
 * The initrd and the kernel's init sections are freed before user space.
 *
 * Firmware NUMA: SRAT does not cover the flash bank, so arm64's
 * numa_init finds "no nodes coverage for 64MB" and fakes one node with
 * all memory and CPUs (observed); every node but 0 is impossible.
 *
 * DIMMs: Debian's arm64 configs leave CONFIG_ACPI_HOTPLUG_MEMORY unset
 * (the profile's kconfig): QEMU plugs a pc-dimm and nothing happens in
 * the guest. A profile with the option (arm64-64k, which has no Debian
 * kernel) adds it through the ACPI memory device driver.
 *
 * Contract: platform.h. The offsets are the real guests'; arm64-64k has
 * no guest and uses the 4K kernel's (an assumption, not judged).
 * Expected workload: once per boot and per DIMM.
 */
#include <errno.h>
#include <string.h>

#include "../machine.h"
#include "../util/errmsg.h"
#include "platform.h"

#define SZ_64K		0x10000ull
#define SZ_128K		0x20000ull
/* QEMU virt: the second flash bank, EDK2's variable store */
#define VIRT_FLASH1_START	0x04000000ull
#define VIRT_FLASH1_END		0x08000000ull
/*
 * EDK2's runtime ranges below the end of RAM E (NOMAP), and the last
 * 128K it keeps reserved: [E - start, E - end).
 */
static const struct { uint64_t start, end; } edk2_nomap[] = {
	{ 0x3bc0000, 0x38d0000 },
	{ 0x400000, SZ_128K },
};

/*
 * What EDK2 and Debian's kernel image put below the end of RAM E, as
 * distances from E (bytes): kernel text+rodata [E - kernel, E - init),
 * init sections (freed) [E - init, E - data), data+bss [E - data,
 * E - kernel_end); the EFI memory attributes table; the ACPI tables
 * (64K); what the loader put below them (initrd and EDK2's tables,
 * freed) from E - loader. Then the model inputs fitted to the same
 * guest at 2G (docs/model-inputs.md).
 */
struct edk2_layout {
	const char *profile;
	uint64_t kernel, init, data, kernel_end;
	uint64_t memattr;
	uint64_t acpi, loader;
	uint64_t boot_reserved_kb, boot_used_kb;
};

static const struct edk2_layout edk2_layouts[] = {
	/* linux-image-6.12.95+deb12-arm64-unsigned */
	{ "arm64-4k", 0xe800000, 0xcb10000, 0xc1a0000, 0xbce0000, 0x1902000,
	  0x65f0000, 0x6d50000, 6032, 40756 },
	/* linux-image-6.12.95+deb12-arm64-16k-unsigned */
	{ "arm64-16k", 0xea00000, 0xcce0000, 0xc330000, 0xbe40000, 0x1904000,
	  0x6670000, 0x6dd0000, 1696, 45936 },
};

static const struct edk2_layout *edk2_layout_of(const struct hotmem_machine *m)
{
	size_t i;

	for (i = 0; i < sizeof(edk2_layouts) / sizeof(edk2_layouts[0]); i++)
		if (!strcmp(edk2_layouts[i].profile, m->geo.profile->name))
			return &edk2_layouts[i];
	return &edk2_layouts[0];
}

static uint64_t ram_end(const struct hotmem_machine *m)
{
	return m->geo.profile->ram_base + m->cfg.mem_bytes;
}

/* the NVDIMM DSM buffer EDK2 keeps with nvdimm=on moves the loader down */
static uint64_t loader_shift(const struct hotmem_machine *m)
{
	return m->cfg.nvdimm ? SZ_128K : 0;
}

/* [start, end) below E as pfns, rounded outward to pages */
static void below_end(const struct hotmem_machine *m, uint64_t from, uint64_t to,
		      uint64_t *spfn, uint64_t *epfn)
{
	uint64_t e = ram_end(m), page = m->geo.page_size;

	*spfn = PHYS_PFN(m, (e - from) & ~(page - 1));
	*epfn = PHYS_PFN(m, (e - to + page - 1) & ~(page - 1));
}

static int add_nomap(struct hotmem_machine *m, uint64_t start, uint64_t end)
{
	return request_mem_region(&m->iomem, start, end - start, "reserved", 0, NULL);
}

/*
 * efi_init/reserve_regions: RAM from 1 GiB, EDK2's runtime ranges NOMAP
 * (present, not System RAM), the flash bank too; all of it on node 0
 * (the NUMA fallback above).
 */
static int virt_edk2_memory_map(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct edk2_layout *l = edk2_layout_of(m);
	uint64_t base = m->geo.profile->ram_base, e = ram_end(m), s;
	uint64_t holes[3][2];
	unsigned int nr = 0, i;
	int ret;

	if (m->cfg.mem_bytes < l->kernel + (16ull << 20) ||
	    m->cfg.mem_bytes < (1ull << m->geo.section_size_bits)) {
		errmsg_set(err, errlen, "mem=%llu: below %lluM EDK2's placement of the kernel is not modelled",
			(unsigned long long)m->cfg.mem_bytes,
			(unsigned long long)((l->kernel >> 20) + 16));
		return -EINVAL;
	}
	ret = memblock_add(m, PHYS_PFN(m, VIRT_FLASH1_START), PHYS_PFN(m, VIRT_FLASH1_END), 0);
	if (!ret)
		ret = memblock_add(m, PHYS_PFN(m, base), PHYS_PFN(m, e), 0);
	if (!ret)
		ret = add_nomap(m, VIRT_FLASH1_START, VIRT_FLASH1_END);
	if (ret)
		return ret;
	/* the holes, from the lowest: DSM buffer, then edk2_nomap[] */
	if (m->cfg.nvdimm) {
		holes[nr][0] = e - l->acpi - SZ_128K;
		holes[nr++][1] = e - l->acpi - SZ_128K + SZ_64K;
	}
	for (i = 0; i < sizeof(edk2_nomap) / sizeof(edk2_nomap[0]); i++) {
		holes[nr][0] = e - edk2_nomap[i].start;
		holes[nr++][1] = e - edk2_nomap[i].end;
	}
	for (i = 0, s = base; i < nr; s = holes[i][1], i++) {
		ret = request_mem_region(&m->iomem, s, holes[i][0] - s, "System RAM",
					 IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
		if (!ret)
			ret = add_nomap(m, holes[i][0], holes[i][1]);
		if (ret)
			return ret;
	}
	return request_mem_region(&m->iomem, s, e - s, "System RAM",
				  IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
}

/* one range [E - from, E - to), reserved */
static int reserve_below_end(struct hotmem_machine *m, uint64_t from, uint64_t to)
{
	uint64_t s, e;

	below_end(m, from, to, &s, &e);
	return memblock_reserve_range(m, s, e, EXTENT_RESERVED);
}

#define NR_INITMEM 3

/*
 * The ranges reserved while the boot memmap and CMA are placed and
 * given back before user space: the kernel's init sections, what the
 * loader put below the ACPI tables (the initrd), and what lies between
 * the memory attributes table and EDK2's top runtime range when
 * sparse_init runs (the FDT, the EFI stub's and the kernel's first
 * allocations; what of it stays reserved is in boot_reserved). Without
 * the last one a 1 GiB guest's memmap would land above the table; the
 * guest has it below (0x7d400000).
 */
static void initmem_ranges(const struct hotmem_machine *m, uint64_t r[NR_INITMEM][2])
{
	const struct edk2_layout *l = edk2_layout_of(m);

	r[0][0] = l->init;
	r[0][1] = l->data;
	r[1][0] = l->loader + loader_shift(m);
	r[1][1] = l->acpi + loader_shift(m);
	r[2][0] = l->memattr - m->geo.page_size;
	r[2][1] = edk2_nomap[1].start;
}

/*
 * The NOMAP ranges (never managed), what EDK2 leaves reserved (the last
 * 128K, the memory attributes table, the ACPI tables), the kernel image
 * (arm64_memblock_init) and, until free_initmem, the initrd.
 */
static int virt_edk2_reserve_early(struct hotmem_machine *m)
{
	const struct edk2_layout *l = edk2_layout_of(m);
	uint64_t r[NR_INITMEM][2];
	unsigned int i;
	int ret;

	ret = memblock_reserve_range(m, PHYS_PFN(m, VIRT_FLASH1_START),
				     PHYS_PFN(m, VIRT_FLASH1_END), EXTENT_RESERVED);
	for (i = 0; !ret && i < sizeof(edk2_nomap) / sizeof(edk2_nomap[0]); i++)
		ret = reserve_below_end(m, edk2_nomap[i].start, i ? 0 : edk2_nomap[i].end);
	if (!ret && m->cfg.nvdimm)
		ret = reserve_below_end(m, l->acpi + SZ_128K, l->acpi + SZ_64K);
	if (!ret)
		ret = reserve_below_end(m, l->memattr, l->memattr - 1);
	if (!ret)
		ret = reserve_below_end(m, l->acpi, l->acpi - SZ_64K);
	if (!ret)
		ret = reserve_below_end(m, l->kernel, l->init);
	if (!ret)
		ret = reserve_below_end(m, l->data, l->kernel_end);
	initmem_ranges(m, r);
	for (i = 0; !ret && i < NR_INITMEM; i++)
		ret = reserve_below_end(m, r[i][0], r[i][1]);
	return ret;
}

#define IO_TLB_SHIFT		11		/* 2K slabs */
#define IO_TLB_SEGSIZE		128
#define IO_TLB_DEFAULT_SIZE	(64ull << 20)

/*
 * arm64 mem_init: the default 64M swiotlb when RAM reaches above the DMA
 * limit; else, for kmalloc bouncing (DMA_BOUNCE_UNALIGNED_KMALLOC), 1M
 * per 1G of memblock memory (NOMAP included), which swiotlb_adjust_size
 * aligns to a segment of slabs and rounds up to a power of two of slabs
 * (2112K -> 4M with 2G of RAM: "adjusted to 2MB", "roundup to 4MB").
 */
static uint64_t swiotlb_size(const struct hotmem_machine *m)
{
	uint64_t phys = 0, nslabs, p2 = 1;
	size_t i;

	if (PFN_PHYS(m, m->memblock[m->nr_memblock - 1].end_pfn) >
	    PFN_PHYS(m, zone_limit_pfn(m, ZONE_DMA)))
		return IO_TLB_DEFAULT_SIZE;
	for (i = 0; i < m->nr_memblock; i++)
		phys += PFN_PHYS(m, m->memblock[i].end_pfn - m->memblock[i].start_pfn);
	phys = (phys + 1023) / 1024;
	nslabs = (phys + (1ull << IO_TLB_SHIFT) - 1) >> IO_TLB_SHIFT;
	nslabs = (nslabs + IO_TLB_SEGSIZE - 1) / IO_TLB_SEGSIZE * IO_TLB_SEGSIZE;
	while (p2 < nslabs)
		p2 <<= 1;
	if (p2 << IO_TLB_SHIFT > IO_TLB_DEFAULT_SIZE)
		return IO_TLB_DEFAULT_SIZE;
	return p2 << IO_TLB_SHIFT;
}

/*
 * sparse_init: per node one buffer of section_map_size() per present
 * section, aligned to it, top-down; the memmap takes its start
 * (sparse_buffer_alloc) and sparse_buffer_fini frees the rest. Without
 * room for the buffer the memmap is allocated piecewise, top-down. Then
 * dma_contiguous_reserve(arm64_dma_phys_limit): the CMA area.
 */
static int virt_arm64_bootmem_init(struct hotmem_machine *m)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t memmap = memmap_pages(g, g->pages_per_section);
	uint64_t pmd_pages = 1ull << (g->pmd_shift - g->page_shift);
	uint64_t map = (memmap + pmd_pages - 1) / pmd_pages * pmd_pages;
	uint64_t align = g->pageblock_nr_pages, cma, pfn;
	unsigned int n;
	int ret;

	for (n = 0; n < m->nr_node_ids; n++) {
		uint64_t secs = sparse_node_present_sections(m, (int)n);

		if (!secs)
			continue;
		if (memblock_alloc_top_down_aligned(m, (int)n, secs * map, map, UINT64_MAX,
						    EXTENT_RESERVED, &pfn) == 0)
			ret = extents_remove(&m->extents, pfn + secs * memmap,
					     secs * (map - memmap));
		else
			ret = memblock_reserve_top_down(m, (int)n, secs * memmap);
		if (ret)
			return ret;
	}
	cma = ((g->profile->cma_bytes >> g->page_shift) + align - 1) / align * align;
	if (cma && memblock_alloc_top_down_aligned(m, -1, cma, align,
						   zone_limit_pfn(m, ZONE_DMA),
						   EXTENT_CMA, &pfn))
		machine_log(m, "cma: Failed to reserve %llu MiB",
			    (unsigned long long)(g->profile->cma_bytes >> 20));
	/* mem_init: the swiotlb, page-aligned, top-down below the DMA limit */
	if (memblock_alloc_top_down_aligned(m, -1, swiotlb_size(m) >> g->page_shift, 1,
					    zone_limit_pfn(m, ZONE_DMA),
					    EXTENT_RESERVED, &pfn))
		machine_log(m, "software IO TLB: SWIOTLB bounce buffer: out of memory");
	return 0;
}

static void virt_edk2_free_initmem(struct hotmem_machine *m)
{
	uint64_t r[NR_INITMEM][2], s, e;
	unsigned int i;

	initmem_ranges(m, r);
	for (i = 0; i < NR_INITMEM; i++) {
		below_end(m, r[i][0], r[i][1], &s, &e);
		if (extents_remove(&m->extents, s, e - s))
			machine_log(m, "WARNING: free_initmem: out of memory");
	}
}

static void virt_edk2_boot_inputs(const struct hotmem_machine *m,
				  uint64_t *reserved_kb, uint64_t *used_kb)
{
	const struct edk2_layout *l = edk2_layout_of(m);

	*reserved_kb = l->boot_reserved_kb;
	*used_kb = l->boot_used_kb;
}

/*
 * arm64 numa_init over QEMU's SRAT: the flash bank's 64M are in no SRAT
 * range, numa_meminfo_cover_memory fails and dummy_numa_init makes one
 * node of everything: node 0 alone is possible and has every CPU.
 */
static int virt_edk2_numa_init(struct hotmem_machine *m, char *err, size_t errlen)
{
	unsigned int n;

	(void)err;
	(void)errlen;
	for (n = 0; n < m->nr_node_ids; n++) {
		m->nodes[n].possible = n == 0;
		m->nodes[n].has_cpu = n == 0;
	}
	machine_log(m, "NUMA: Faking a node at [mem %#018llx-%#018llx]",
		    (unsigned long long)VIRT_FLASH1_START,
		    (unsigned long long)(ram_end(m) - 1));
	return 0;
}

/*
 * Without CONFIG_ACPI_HOTPLUG_MEMORY nothing in the kernel takes the
 * memory device QEMU announces: the DIMM is plugged, the guest has no
 * new memory, and an eject request is never answered.
 */
static int virt_arm64_dimm_plug(struct hotmem_machine *m, struct acpi_memory_device *dev)
{
	if (!(m->geo.profile->kconfig & KCONFIG_ACPI_HOTPLUG_MEMORY))
		return 0;
	/*
	 * The DIMM's proximity domain still maps to its SRAT node after
	 * the NUMA fallback, and add_memory_resource refuses a node that is
	 * not possible: QEMU has plugged it, the guest adds nothing.
	 */
	if (!m->nodes[dev->node].possible) {
		machine_log(m, "WARNING: node %d was absent from the node_possible_map",
			    dev->node);
		return 0;
	}
	return acpi_dimm_plug(m, dev);
}

static int virt_arm64_dimm_unplug(struct hotmem_machine *m, struct acpi_memory_device *dev,
				  char *err, size_t errlen)
{
	if (m->geo.profile->kconfig & KCONFIG_ACPI_HOTPLUG_MEMORY)
		return acpi_dimm_unplug(m, dev, err, errlen);
	errmsg_set(err, errlen, "the %s kernel has no ACPI memory hotplug (CONFIG_ACPI_HOTPLUG_MEMORY unset): nothing answers the eject request",
		m->geo.profile->name);
	return -EBUSY;
}

const struct platform platform_virt_arm64 = {
	.family = "arm64",
	.machine = "virt",
	.firmware = "EDK2",
	.memory_map = virt_edk2_memory_map,
	.device_memory = virt_device_memory,
	.numa_init = virt_edk2_numa_init,
	.reserve_early = virt_edk2_reserve_early,
	.bootmem_init = virt_arm64_bootmem_init,
	.free_initmem = virt_edk2_free_initmem,
	.boot_inputs = virt_edk2_boot_inputs,
	.dimm_plug = virt_arm64_dimm_plug,
	.dimm_unplug = virt_arm64_dimm_unplug,
};
