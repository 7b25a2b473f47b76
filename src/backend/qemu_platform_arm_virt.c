/*
 * qemu_platform_arm_virt.c - the arm64 guests: QEMU's virt machine with
 * ACPI and GICv3, booted by EDK2 (Debian's qemu-efi-aarch64
 * QEMU_EFI.fd), -cpu max without pointer authentication and SVE (both
 * slow under TCG), Debian's arm64 (4K) and arm64-16k kernels
 * (docs/real-kernel.md "arm64").
 *
 * Contract: constant data and argv building (qemu_platform.h). nvdimm=on
 * when the scenario plugs an NVDIMM (QEMU cannot turn it on later).
 * Debian's arm64 kernels lack CONFIG_ACPI_HOTPLUG_MEMORY: QEMU accepts a
 * pc-dimm and the guest never sees it, so pc-dimm is refused.
 * $HOTMEM_QEMU_EFI overrides the firmware's path.
 *
 * Expected workload: once per boot.
 */
#include "qemu_int.h"
#include "qemu_platform.h"

#include <stdlib.h>

#define ARM_VIRT_EFI	"/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"

static int arm_virt_machine_argv(const struct scenario_machine *mach,
				 const char *qemu, bool kvm, struct argv_list *a)
{
	const char *efi = getenv("HOTMEM_QEMU_EFI");

	(void)qemu;
	(void)kvm;
	qemu_tcg_machine_argv(a, mach->config.nvdimm ? "virt,acpi=on,gic-version=3,nvdimm=on" :
			      "virt,acpi=on,gic-version=3", "max,pauth=off,sve=off");
	qemu_arg(a, "-bios");
	qemu_arg(a, "%s", efi && *efi ? efi : ARM_VIRT_EFI);
	qemu_memory_argv(mach, a);
	return 0;
}

static const struct qemu_guest arm_virt_guests[] = {
	{ .profile = "arm64-4k", .dir = "guests/arm64-4k" },
	{ .profile = "arm64-16k", .dir = "guests/arm64-16k" },
	{ .profile = "arm64-64k", .none = "Debian builds no arm64 kernel with 64K pages" },
};

static const char *const arm_virt_devices[] = { "nvdimm", NULL };

const struct qemu_platform qemu_platform_arm_virt = {
	.machine = "virt",
	.qemu = "qemu-system-aarch64",
	.package = "qemu-system-arm",
	.guests = arm_virt_guests,
	.nr_guests = sizeof(arm_virt_guests) / sizeof(arm_virt_guests[0]),
	.console = "ttyAMA0",
	.agent_bus = "virtio-serial-pci",
	.devices = arm_virt_devices,
	.devices_why = "Debian's arm64 kernel has no ACPI memory hotplug (CONFIG_ACPI_HOTPLUG_MEMORY unset): a pc-dimm never reaches it; nvdimm works",
	.plug_wait = QEMU_PLUG_WAIT_ACPI_OST,
	.numa = true,
	.machine_argv = arm_virt_machine_argv,
};
