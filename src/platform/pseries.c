/*
 * pseries.c - QEMU's pseries machine with SLOF as the ppc64 kernel meets
 * it: boot RAM from address 0, DIMMs in QEMU's device-memory area after
 * it, reaching the kernel through the ACPI-like memory device path of
 * the model.
 *
 * Contract: platform.h. Not yet calibrated against a real pseries guest:
 * the flat layout is the generic one (docs/architectures.md).
 * Expected workload: once per boot and per DIMM.
 */
#include "../machine.h"
#include "platform.h"

const struct platform platform_pseries = {
	.family = "ppc64",
	.machine = "pseries",
	.firmware = "SLOF",
	.memory_map = flat_ram_memory_map,
	.device_memory = virt_device_memory,
	.numa_init = all_nodes_possible,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
