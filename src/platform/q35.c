/*
 * q35.c - QEMU's q35 machine with SeaBIOS as the x86-64 kernel meets it:
 * the e820 map (RAM below 2 or 3 GiB and from 4 GiB or 1 TiB, the
 * reserved ranges SeaBIOS and q35 report, legacy pmem carved out of RAM
 * by memmap=SIZE!START), the device-memory area of the DIMM slots,
 * QEMU's SRAT and the ACPI memory device path for pc-dimm; the first
 * MiB reserved by the x86 kernel.
 *
 * Contract: platform.h. Numbers observed on Debian's 6.12.95 under QEMU
 * 7.2 (docs/model-inputs.md).
 * Expected workload: once per boot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../machine.h"
#include "../util/errmsg.h"
#include "platform.h"

#define SZ_1M (1ull << 20)
#define SZ_1G (1ull << 30)
#define SZ_4G (4ull << 30)

/* q35 with SeaBIOS: RAM below 4 GiB ends at 2 GiB once RAM exceeds this */
#define Q35_LOWMEM_LIMIT	0xb0000000ull
/*
 * QEMU (AMD CPU models, TCG's default): RAM above 4 GiB that would reach
 * the HyperTransport hole [1012 GiB, 1 TiB) starts at 1 TiB instead.
 */
#define AMD_HT_START		0xfd00000000ull
#define AMD_ABOVE_1TB_START	0x10000000000ull
/* SeaBIOS keeps the last 132 KiB below the end of low RAM */
#define SEABIOS_RESERVED_TAIL	0x21000ull
/* and one page more with -machine nvdimm=on (QEMU's NVDIMM DSM buffer) */
#define NVDIMM_DSM_PAGE		0x1000ull


static const char *const e820_reserved = "Reserved";

/* RAM above 4 GiB: what does not fit below 2 GiB (or all below 2.75 GiB) */
static uint64_t q35_highmem(const struct hotmem_config *c)
{
	return c->mem_bytes < Q35_LOWMEM_LIMIT ? 0 : c->mem_bytes - 2 * SZ_1G;
}

static uint64_t q35_above_4g_start(const struct hotmem_config *c)
{
	return SZ_4G + q35_highmem(c) > AMD_HT_START ? AMD_ABOVE_1TB_START : SZ_4G;
}

/*
 * e820 sanitising of the memmap=SIZE!START ranges: sorted, overlapping
 * or adjacent PRAM entries merged (sanitize_e820_table joins equal types).
 */
void e820_pram_sanitize(struct hotmem_config *c)
{
	unsigned int i, j, n = 0;

	for (i = 1; i < c->nr_pmem; i++)
		for (j = i; j > 0 && c->pmem[j - 1].start > c->pmem[j].start; j--) {
			struct hotmem_pmem_range t = c->pmem[j];

			c->pmem[j] = c->pmem[j - 1];
			c->pmem[j - 1] = t;
		}
	for (i = 0; i < c->nr_pmem; i++) {
		uint64_t end = c->pmem[i].start + c->pmem[i].size;

		if (n && c->pmem[i].start <= c->pmem[n - 1].start + c->pmem[n - 1].size) {
			if (end > c->pmem[n - 1].start + c->pmem[n - 1].size)
				c->pmem[n - 1].size = end - c->pmem[n - 1].start;
			continue;
		}
		c->pmem[n++] = c->pmem[i];
	}
	c->nr_pmem = n;
}

/*
 * The parts of [s, e) that no PRAM range covers: PRAM (type 12) wins
 * over RAM (type 1) where they overlap, as e820 sanitising keeps the
 * higher type. Returns the number of pieces written to out.
 */
static unsigned int pram_carve(const struct hotmem_config *c, uint64_t s,
			       uint64_t e, struct phys_range *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nr_pmem && s < e; i++) {
		uint64_t ps = c->pmem[i].start, pe = ps + c->pmem[i].size;

		if (pe <= s || ps >= e)
			continue;
		if (ps > s)
			out[n++] = (struct phys_range){ s, ps };
		s = pe;
	}
	if (s < e)
		out[n++] = (struct phys_range){ s, e };
	return n;
}

static int q35_e820_and_memblock(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t highmem = q35_highmem(c);
	uint64_t lowmem = c->mem_bytes - highmem;
	uint64_t tail = SEABIOS_RESERVED_TAIL + (c->nvdimm ? NVDIMM_DSM_PAGE : 0);
	struct phys_range usable[3];
	/* the e820 reservations SeaBIOS and q35 report (observed on a 6.12.95 q35 guest) */
	struct phys_range reserved[] = {
		{ 0x0, 0x1000 },			/* the kernel trims page 0 */
		{ 0x9fc00, 0xa0000 },
		{ 0xf0000, 0x100000 },
		{ lowmem - tail, lowmem },
		{ 0xb0000000, 0xc0000000 },		/* PCI ECAM */
		{ 0xfed1c000, 0xfed20000 },
		{ 0xfffc0000, 0x100000000 },
		{ 0xfd00000000, 0x10000000000 },
	};
	uint64_t node_off[MAX_NUMNODES + 1], off = 0;
	unsigned int nr_usable = 0, n, i;
	int ret;

	if (lowmem < 16 * SZ_1M) {
		errmsg_set(err, errlen, "mem=%llu: a q35 guest needs at least 16M of RAM",
			(unsigned long long)c->mem_bytes);
		return -EINVAL;
	}
	usable[nr_usable++] = (struct phys_range){ 0x1000, 0x9f000 };
	usable[nr_usable++] = (struct phys_range){ 0x100000, lowmem - tail };
	if (highmem)
		usable[nr_usable++] = (struct phys_range){ q35_above_4g_start(c),
							   q35_above_4g_start(c) + highmem };

	/* nodes take RAM in node order: offsets into low then high RAM */
	for (n = 0; n < m->nr_node_ids; n++) {
		node_off[n] = off;
		off += m->nr_node_ids == 1 && !c->nr_nodes ? c->mem_bytes :
		       c->nodes[n].mem_bytes;
	}
	node_off[m->nr_node_ids] = off;
	for (i = 0; i < nr_usable; i++) {
		for (n = 0; n < m->nr_node_ids; n++) {
			uint64_t ns = node_off[n], ne = node_off[n + 1];
			/* phys -> RAM offset: high RAM continues after lowmem */
			uint64_t base = usable[i].start >= SZ_4G ?
					usable[i].start - lowmem : 0;
			uint64_t s = ns + base, e = ne + base;

			if (ns == ne)
				continue;
			if (s < usable[i].start)
				s = usable[i].start;
			if (e > usable[i].end)
				e = usable[i].end;
			if (s >= e)
				continue;
			{
				struct phys_range piece[HOTMEM_MAX_PMEM + 1];
				unsigned int k, np = pram_carve(c, s, e, piece);

				for (k = 0; k < np; k++) {
					ret = memblock_add(m, piece[k].start >> 12,
							   piece[k].end >> 12, (int)n);
					if (ret)
						return ret;
				}
			}
		}
	}
	/* iomem: e820 entries as top-level resources */
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		ret = request_mem_region(&m->iomem, reserved[i].start,
					 reserved[i].end - reserved[i].start,
					 e820_reserved, 0, NULL);
		if (ret)
			return ret;
	}
	for (i = 0; i < nr_usable; i++) {
		struct phys_range piece[HOTMEM_MAX_PMEM + 1];
		uint64_t end = usable[i].end;
		unsigned int k, np;

		/* the first range is 0x1000-0x9fbff in e820 */
		if (i == 0)
			end = 0x9fc00;
		np = pram_carve(c, usable[i].start, end, piece);
		for (k = 0; k < np; k++) {
			ret = request_mem_region(&m->iomem, piece[k].start,
						 piece[k].end - piece[k].start, "System RAM",
						 IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
			if (ret)
				return ret;
		}
	}
	/* e820 type 12: not busy, so that nvdimm can claim it (do_mark_busy) */
	for (i = 0; i < c->nr_pmem; i++) {
		ret = request_mem_region(&m->iomem, c->pmem[i].start, c->pmem[i].size,
					 "Persistent Memory (legacy)", 0, NULL);
		if (ret) {
			errmsg_set(err, errlen, "memmap=: legacy pmem [mem %#llx-%#llx] overlaps a reserved e820 range (the model only carves PRAM out of RAM or free space)",
				(unsigned long long)c->pmem[i].start,
				(unsigned long long)(c->pmem[i].start + c->pmem[i].size - 1));
			return -EINVAL;
		}
	}
	return 0;
}

static int q35_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t highmem = q35_highmem(c);
	uint64_t base = highmem ? (q35_above_4g_start(c) + highmem + SZ_1G - 1) &
				  ~(SZ_1G - 1) : SZ_4G;

	return qemu_device_memory_region(m, base, QEMU_ACPI_MAX_RAM_SLOTS, err, errlen);
}

/*
 * The proximity domains QEMU's SRAT names, in the order acpi_numa_init()
 * meets them (CPU entries first, in CPU order, then memory entries by
 * address, then the DIMM area's entry, which QEMU gives the last node):
 * a node with memory, one with CPUs, and the last node when the machine
 * has device memory (maxmem). A node with neither is in no entry.
 * Returns how many nodes are named, or -1 if Linux, which numbers nodes
 * as it meets them, would number them otherwise than QEMU (acpi_map_pxm_to_node);
 * *skipped and *named are then the pair that shows it.
 */
int srat_named_nodes(const struct hotmem_machine *m, unsigned int *skipped,
		     unsigned int *named)
{
	const struct hotmem_config *c = &m->cfg;
	unsigned int order[MAX_NUMNODES], k = 0, n, i;
	bool seen[MAX_NUMNODES] = { false };

	if (!c->nr_nodes)
		return 1;
	for (n = 0; n < c->nr_nodes; n++)	/* one CPU per node with CPUs */
		if (m->nodes[n].has_cpu && !seen[n])
			seen[n] = true, order[k++] = n;
	for (n = 0; n < c->nr_nodes; n++)
		if (c->nodes[n].mem_bytes && !seen[n])
			seen[n] = true, order[k++] = n;
	n = c->nr_nodes - 1;
	if (c->maxmem_bytes > c->mem_bytes && !seen[n])
		seen[n] = true, order[k++] = n;
	for (i = 0; i < k; i++) {
		if (order[i] == i)
			continue;
		/* node i is met later than order[i], or never */
		*named = order[i];
		*skipped = i;
		return -1;
	}
	return (int)k;
}

/*
 * x86 numa_init() over QEMU's SRAT: node_possible_map is the nodes SRAT
 * names and those the CXL windows at power-on get from acpi_parse_cfmws()
 * (the next proximity domains, so the next node ids). A node QEMU has
 * but SRAT does not name is not possible: no pg_data_t, not in
 * /sys/devices/system/node/possible (observed on 6.12.95: `numa
 * node=1 mem=0` without maxmem shows possible "0"). Other profiles (no
 * SRAT in the model) keep every node possible.
 */
static int q35_acpi_numa_init(struct hotmem_machine *m, char *err, size_t errlen)
{
	unsigned int n, skipped = 0, named = 0;
	int k;

	k = srat_named_nodes(m, &skipped, &named);
	if (k < 0) {
		if (!m->nodes[skipped].has_cpu && !m->cfg.nodes[skipped].mem_bytes)
			errmsg_set(err, errlen, "numa: node %u has no memory or CPUs but node %u has: Linux would number the nodes differently (not modelled)",
				skipped, named);
		else
			errmsg_set(err, errlen, "numa: Linux meets node %u in SRAT before node %u and would number the nodes differently (not modelled)",
				named, skipped);
		return -EINVAL;
	}
	for (n = 0; n < m->nr_node_ids; n++)
		m->nodes[n].possible = n < (unsigned int)k + m->cfg.nr_cxl;
	return 0;
}

/*
 * pci_swiotlb_detect(): x86 sets up its software IO TLB only when
 * max_possible_pfn lies above 4 GiB: e820 RAM there (what PRAM leaves
 * of it), or the hotpluggable range QEMU's SRAT gives the DIMM area
 * (acpi_numa_memory_affinity_init raises max_possible_pfn). Without,
 * a 2G guest's MemTotal is 66304 kB higher (observed on 6.12.95).
 */
static bool q35_swiotlb(const struct hotmem_config *c)
{
	uint64_t start = q35_above_4g_start(c);
	struct phys_range piece[HOTMEM_MAX_PMEM + 1];

	if (c->maxmem_bytes > c->mem_bytes)
		return true;
	return q35_highmem(c) &&
	       pram_carve(c, start, start + q35_highmem(c), piece) > 0;
}

/*
 * mem_init -> pci_iommu_alloc -> swiotlb_init: 64 MiB of bounce buffer
 * from memblock_alloc_low (top-down below 4 GiB), then its slot array,
 * one 24-byte struct io_tlb_slot per 2 KiB slab (768 KiB), anywhere.
 */
#define X86_SWIOTLB_BYTES	(64ull << 20)
#define X86_SWIOTLB_SLOTS_BYTES	(768ull << 10)

static int q35_mem_init(struct hotmem_machine *m)
{
	uint64_t pfn;

	if (!q35_swiotlb(&m->cfg))
		return 0;
	if (memblock_alloc_top_down_aligned(m, -1, X86_SWIOTLB_BYTES >> 12, 1, SZ_4G >> 12,
					    EXTENT_RESERVED, &pfn)) {
		machine_log(m, "software IO TLB: SWIOTLB bounce buffer: out of memory");
		return 0;
	}
	return memblock_reserve_top_down(m, 0, X86_SWIOTLB_SLOTS_BYTES >> 12);
}

/*
 * The model inputs of the guest (platform.h): with 5-level paging the
 * 2G guest with slots shows MemTotal 1953112 kB, 2020 kB less than with
 * 4 levels (the default): sparse_init's mem_section root array is sized
 * for 52 physical address bits (2 MiB) instead of 46 (32 KiB).
 */
#define X86_5LEVEL_MORE_RESERVED_KB	2020ull

static void q35_boot_inputs(const struct hotmem_machine *m, uint64_t *reserved_kb,
			    uint64_t *used_kb)
{
	(void)used_kb;
	if (!strcmp(m->geo.profile->mmu, "5-level"))
		*reserved_kb += X86_5LEVEL_MORE_RESERVED_KB;
}

bool x86_direct_gbpages(const struct hotmem_machine *m)
{
	return strcmp(m->cfg.cpu, "qemu64") != 0;
}

/* the real-mode trampoline and BIOS data: x86 reserves the first MiB */
static int q35_reserve_early(struct hotmem_machine *m)
{
	return memblock_reserve_range(m, 0, SZ_1M >> 12, EXTENT_RESERVED);
}

const struct platform platform_q35 = {
	.family = "x86_64",
	.machine = "q35",
	.firmware = "SeaBIOS",
	.memory_map = q35_e820_and_memblock,
	.device_memory = q35_device_memory,
	.numa_init = q35_acpi_numa_init,
	.reserve_early = q35_reserve_early,
	.mem_init = q35_mem_init,
	.boot_inputs = q35_boot_inputs,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
