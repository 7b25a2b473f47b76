/*
 * riscv_virt.c - QEMU's riscv64 virt machine with OpenSBI as the riscv64
 * kernel meets it: boot RAM from 2 GiB, DIMMs in QEMU's device-memory
 * area after it (QEMU 7.2 and 10.0 plug none into virt: the qemu backend
 * refuses device_add there), and what sits in boot RAM from the start:
 * OpenSBI at its base, the kernel 2 MiB above, the initrd QEMU loads
 * 128 MiB above the kernel, the device tree QEMU puts 2 MiB-aligned
 * below min(end of RAM, 3 GiB).
 *
 * Contract: platform.h. Calibrated on Debian 13's 6.12 riscv64 kernel
 * under QEMU 7.2 (TCG, -cpu rv64, 2 GiB): /proc/iomem's Reserved ranges
 * and the boot blocks that refuse to go offline (EBUSY) - 16 (OpenSBI
 * and the kernel), 17 (the initrd's pages), 23 (the device tree) and
 * 31 (memblock's top-down allocations: the boot memmap among them).
 * Expected workload: once per boot and per DIMM.
 */
#include "../machine.h"
#include "platform.h"

#define SZ_2M	(2ull << 20)
#define SZ_128M	(128ull << 20)
#define SZ_3G	(3ull << 30)
/* the profile's ram_base (src/arch/geometry.c), for the config alone */
#define RISCV_RAM_BASE	(2ull << 30)

/* OpenSBI's own range (its reserved-memory node in the device tree) */
#define OPENSBI_SIZE		0x80000ull
/* QEMU loads the kernel 2 MiB above RAM's base (riscv_calc_kernel_start_addr) */
#define KERNEL_OFFSET		SZ_2M
/* the image reserved by setup_bootmem, through the 2 MiB after its bss
 * (iomem: Kernel image 0x80202000-0x8206b3f7, Reserved to 0x821fffff) */
#define KERNEL_RESERVED_END	0x2200000ull
/* the flattened device tree: 8 KiB at 0xbfe00000 on the 2 GiB guest */
#define FDT_SIZE		0x2000ull
/*
 * swiotlb: mem_init sets one up when RAM goes beyond the DMA32 limit
 * (4G): IO_TLB_DEFAULT_SIZE (64M) from memblock_alloc_low, top-down
 * below ARCH_LOW_ADDRESS_LIMIT, so [4G - 4K - 64M, 4G - 4K) (observed:
 * Reserved fbfff000-ffffefff with 4 GiB of RAM), plus its slot array,
 * 32768 slots of 24 bytes, among the top-down allocations.
 */
#define SWIOTLB_SIZE		(64ull << 20)
#define SWIOTLB_SLOTS_KB	768ull
#define SZ_4G			(4ull << 30)

static bool riscv_virt_swiotlb(const struct hotmem_config *c, uint64_t ram_base)
{
	return ram_base + c->mem_bytes > SZ_4G;
}

static int riscv_virt_reserve_early(struct hotmem_machine *m)
{
	uint64_t base = m->geo.profile->ram_base, end = base + m->cfg.mem_bytes;
	uint64_t half = m->cfg.mem_bytes / 2;
	unsigned int ps = m->geo.page_shift;
	uint64_t fdt, initrd;
	int ret;

	ret = memblock_reserve_range(m, base >> ps, (base + OPENSBI_SIZE) >> ps,
				     EXTENT_RESERVED);
	if (!ret)
		ret = memblock_reserve_range(m, (base + KERNEL_OFFSET) >> ps,
					     (base + KERNEL_RESERVED_END) >> ps, EXTENT_RESERVED);
	/* riscv_compute_fdt_addr: below min(end, 3G), 2 MiB aligned; the
	 * kernel keeps it reserved (early_init_fdt_reserve_self) */
	fdt = ((end < SZ_3G ? end : SZ_3G) - FDT_SIZE) & ~(SZ_2M - 1);
	if (!ret && fdt >= base)
		ret = memblock_reserve_range(m, fdt >> ps, (fdt + FDT_SIZE) >> ps,
					     EXTENT_RESERVED);
	/*
	 * riscv_load_initrd: at kernel + min(RAM / 2, 128M). Its pages go
	 * back to the buddy after unpacking and are taken at once for
	 * unmovable kernel allocations (slab): the block refuses to go
	 * offline. The model holds a pageblock of it from boot on (as
	 * reserved memory, counted in RISCV_VIRT_BOOT_RESERVED_KB's
	 * calibration, so MemTotal is the guest's).
	 */
	if (!ret && riscv_virt_swiotlb(&m->cfg, base)) {
		uint64_t top = SZ_4G - (1ull << ps);

		ret = memblock_reserve_range(m, (top - SWIOTLB_SIZE) >> ps, top >> ps,
					     EXTENT_RESERVED);
	}
	initrd = base + KERNEL_OFFSET + (half < SZ_128M ? half : SZ_128M);
	if (!ret && initrd + (m->geo.pageblock_nr_pages << ps) <= end)
		ret = memblock_reserve_range(m, initrd >> ps,
					     (initrd >> ps) + m->geo.pageblock_nr_pages,
					     EXTENT_RESERVED);
	return ret;
}

/*
 * The rest of what boot reserves beyond the model's own reservations
 * (above, the boot memmap and pg_data_t), in memblock's top-down
 * allocations at the end of RAM: a fixed part and the swiotlb's slot
 * array when there is one. With the dentry and inode hash tables
 * (vfs_caches_init_early) this gives MemTotal 1995676 kB with -m 2G
 * and 3990684 kB with -m 4G, as on the guest.
 */
#define RISCV_VIRT_BOOT_RESERVED_FIXED_KB	30128ull

static uint64_t riscv_virt_boot_reserved_kb(const struct hotmem_config *c)
{
	uint64_t kb = RISCV_VIRT_BOOT_RESERVED_FIXED_KB;

	if (riscv_virt_swiotlb(c, RISCV_RAM_BASE))
		kb += SWIOTLB_SLOTS_KB;	/* the buffer itself: reserve_early */
	return kb;
}

/* the model inputs of the guest (platform.h): boot_reserved only */
static void riscv_virt_boot_inputs(const struct hotmem_machine *m, uint64_t *reserved_kb,
                                   uint64_t *used_kb)
{
	(void)used_kb;
	*reserved_kb = riscv_virt_boot_reserved_kb(&m->cfg);
}

const struct platform platform_riscv_virt = {
	.family = "riscv64",
	.machine = "virt",
	.firmware = "OpenSBI",
	.memory_map = flat_ram_memory_map,
	.device_memory = virt_device_memory,
	.numa_init = all_nodes_possible,
	.boot_inputs = riscv_virt_boot_inputs,
	.reserve_early = riscv_virt_reserve_early,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
