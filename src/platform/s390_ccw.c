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
 * from 0x854000 and Kernel bss ending at 0x1efffff on the 6.12.95
 * guest. setup_arch reserves the image (memblock_reserve of _stext.._end),
 * which makes block 0 unmovable.
 */
#define S390_KERNEL_START	0x854000ull
#define S390_KERNEL_END		0x1f00000ull

static int s390_reserve_early(struct hotmem_machine *m)
{
	return memblock_reserve_range(m, S390_KERNEL_START >> m->geo.page_shift,
				      S390_KERNEL_END >> m->geo.page_shift, EXTENT_RESERVED);
}

/*
 * The rest of what 6.12.95 reserves at boot beyond the model's own
 * reservations (the kernel image above, the boot memmap and pg_data_t):
 * without EDAT the identity map is 4K pages, whose page tables take
 * 8 bytes per page (RAM / 512); the rest is fixed. MemTotal 2034100 kB
 * with -m 2G on the guest: 2800K + 4096K.
 */
#define S390_BOOT_RESERVED_FIXED_KB	2800ull

static uint64_t s390_boot_reserved_kb(const struct hotmem_config *c)
{
	return S390_BOOT_RESERVED_FIXED_KB + (c->mem_bytes >> 9 >> 10);
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
	.boot_reserved_kb = s390_boot_reserved_kb,
	.reserve_early = s390_reserve_early,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
