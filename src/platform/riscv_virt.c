/*
 * riscv_virt.c - QEMU's riscv64 virt machine with OpenSBI as the riscv64
 * kernel meets it: boot RAM from 2 GiB, DIMMs in QEMU's device-memory
 * area after it.
 *
 * Contract: platform.h. Not yet calibrated against a real virt guest:
 * the flat layout is the generic one (docs/architectures.md).
 * Expected workload: once per boot and per DIMM.
 */
#include "../machine.h"
#include "platform.h"

const struct platform platform_riscv_virt = {
	.family = "riscv64",
	.machine = "virt",
	.firmware = "OpenSBI",
	.memory_map = flat_ram_memory_map,
	.device_memory = virt_device_memory,
	.numa_init = all_nodes_possible,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
