/*
 * virt_arm64.c - QEMU's arm64 virt machine with ACPI and EDK2 as the
 * arm64 kernel meets it: boot RAM from 1 GiB, DIMMs in QEMU's
 * device-memory area after it.
 *
 * Contract: platform.h. Not yet calibrated against a real virt guest:
 * the flat layout is the generic one (docs/architectures.md).
 * Expected workload: once per boot and per DIMM.
 */
#include "../machine.h"
#include "platform.h"

const struct platform platform_virt_arm64 = {
	.family = "arm64",
	.machine = "virt",
	.firmware = "EDK2",
	.memory_map = flat_ram_memory_map,
	.device_memory = virt_device_memory,
	.numa_init = all_nodes_possible,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
