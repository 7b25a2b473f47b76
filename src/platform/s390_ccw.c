/*
 * s390_ccw.c - QEMU's s390-ccw-virtio machine as the s390x kernel meets
 * it: storage from address 0 and no DIMM slots; memory that comes later
 * is standby storage (standby=, drivers/arch_notifiers.c), announced by
 * the SCLP, not a device.
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

const struct platform platform_s390_ccw = {
	.family = "s390x",
	.machine = "s390-ccw-virtio",
	.firmware = "s390-ccw",
	.memory_map = flat_ram_memory_map,
	.device_memory = s390_ccw_device_memory,
	.numa_init = all_nodes_possible,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
