/*
 * s390_ccw.c - QEMU's s390-ccw-virtio machine as the s390x kernel meets
 * it: storage from address 0 and no DIMM slots; memory that comes later
 * is standby storage (standby=, drivers/arch_notifiers.c), announced by
 * the SCLP, not a device. Calibrated on Debian's 6.12.95 s390x kernel
 * under QEMU 7.2 with TCG (-cpu max): the kernel image low in block 0,
 * the memblock allocations top-down (so blocks 0 and the last boot block
 * refuse to go offline, EBUSY), no EDAT.
 *
 * Contract: platform.h. slots= and maxmem= are refused: s390 has no
 * device-memory area.
 * Expected workload: once per boot.
 */
#include <errno.h>

#include "../machine.h"
#include "../util/errmsg.h"
#include "platform.h"

static int s390_ccw_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	if (m->cfg.slots || m->cfg.maxmem_bytes) {
		errmsg_set(err, errlen, "s390-ccw-virtio has no DIMM slots; "
			"hotplug memory on s390 is standby memory (standby=SIZE)");
		return -EINVAL;
	}
	return 0;
}

/*
 * The decompressor puts the kernel low (KASLR needs the CPACF PRNG,
 * which TCG lacks, so the place is fixed): /proc/iomem shows Kernel code
 * from 0x854000, Kernel data to 0x1d18fff and Kernel bss from 0x1e40000
 * to 0x1efffff on the 6.12.95 guest; between them the init sections,
 * freed after boot ("1180K init"). setup_arch reserves the image
 * (memblock_reserve of _stext.._end), which makes block 0 unmovable.
 */
#define S390_KERNEL_START	0x854000ull
#define S390_INIT_START		0x1d19000ull
#define S390_INIT_END		0x1e40000ull
#define S390_KERNEL_END		0x1f00000ull
/* memblock_alloc_low (ARCH_LOW_ADDRESS_LIMIT, the 31-bit area): the
 * boot CPU's lowcore (8K, setup_lowcore) and a page (smp.c), top-down
 * below 2G: the last block below 2G holds them (EBUSY at 4 GiB) */
#define S390_LOW_LIMIT		(2ull << 30)
#define S390_LOW_ALLOCS		0x3000ull

static int s390_reserve_early(struct hotmem_machine *m)
{
	unsigned int ps = m->geo.page_shift;
	uint64_t low_end = m->cfg.mem_bytes < S390_LOW_LIMIT ? m->cfg.mem_bytes : S390_LOW_LIMIT;
	int ret;

	ret = memblock_reserve_range(m, S390_KERNEL_START >> ps, S390_INIT_START >> ps,
				     EXTENT_RESERVED);
	if (!ret)
		ret = memblock_reserve_range(m, S390_INIT_END >> ps, S390_KERNEL_END >> ps,
					     EXTENT_RESERVED);
	if (!ret)
		ret = memblock_reserve_range(m, (low_end - S390_LOW_ALLOCS) >> ps,
					     low_end >> ps, EXTENT_RESERVED);
	return ret;
}

/*
 * The rest of what 6.12.95 reserves at boot beyond the model's own
 * reservations (the kernel image and low allocations above, the boot
 * memmap and pg_data_t), per MiB of RAM: the 4K identity map's page
 * tables (no EDAT: 8 bytes per page, 2 KiB) and 72 bytes more (segment
 * tables and the like); plus a fixed part. With the dentry and inode hash
 * tables (vfs_caches_init_early) this gives MemTotal 2034100 kB (-m 2G)
 * and 4091172 kB (-m 4G), as on the guest.
 */
#define S390_BOOT_RESERVED_FIXED_KB	752ull
#define S390_BOOT_RESERVED_PER_MIB_B	(2048ull + 72)

static uint64_t s390_boot_reserved_kb(const struct hotmem_config *c)
{
	return S390_BOOT_RESERVED_FIXED_KB +
	       (c->mem_bytes >> 20) * S390_BOOT_RESERVED_PER_MIB_B / 1024;
}

/* the model inputs of the guest (platform.h): boot_reserved only */
static void s390_boot_inputs(const struct hotmem_machine *m, uint64_t *reserved_kb,
                             uint64_t *used_kb)
{
	(void)used_kb;
	*reserved_kb = s390_boot_reserved_kb(&m->cfg);
}

bool s390_has_edat(const struct hotmem_machine *m)
{
	return m->cfg.standby_bytes != 0;
}

const struct platform platform_s390_ccw = {
	.family = "s390x",
	.machine = "s390-ccw-virtio",
	.firmware = "s390-ccw",
	.memory_map = flat_ram_memory_map,
	.device_memory = s390_ccw_device_memory,
	.numa_init = all_nodes_possible,
	.boot_inputs = s390_boot_inputs,
	.reserve_early = s390_reserve_early,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
