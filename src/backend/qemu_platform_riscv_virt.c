/*
 * qemu_platform_riscv_virt.c - the riscv64 guest: QEMU's virt machine
 * with the OpenSBI firmware QEMU bundles, -cpu rv64, Debian 13's riscv64
 * kernel (Debian 12 has no riscv64) (docs/real-kernel.md "riscv64").
 *
 * Contract: constant data and argv building (qemu_platform.h). QEMU's
 * riscv virt machine hot-adds no memory (no pc-dimm, no virtio-mem),
 * so device_add is refused before anything boots.
 *
 * Expected workload: once per boot.
 */
#include "qemu_int.h"
#include "qemu_platform.h"

static int riscv_virt_machine_argv(const struct scenario_machine *mach,
				   const char *qemu, bool kvm, struct argv_list *a)
{
	(void)qemu;
	(void)kvm;
	qemu_tcg_machine_argv(a, "virt", "rv64");
	qemu_memory_argv(mach, a);
	return 0;
}

static const struct qemu_guest riscv_virt_guests[] = {
	{ .profile = "riscv64", .dir = "guests/riscv64" },
};

const struct qemu_platform qemu_platform_riscv_virt = {
	.machine = "virt",
	.qemu = "qemu-system-riscv64",
	.package = "qemu-system-misc",
	.guests = riscv_virt_guests,
	.nr_guests = sizeof(riscv_virt_guests) / sizeof(riscv_virt_guests[0]),
	.console = "ttyS0",
	.agent_bus = "virtio-serial-pci",
	.devices = NULL,
	.devices_why = "QEMU's riscv virt machine hot-adds no memory (no pc-dimm, no virtio-mem)",
	.plug_wait = QEMU_PLUG_WAIT_ACPI_OST,
	.numa = true,
	/* QEMU before 10.2 saves neither the mtimer's time offset nor the
	 * Sstc stimecmp timers, so a restored guest's timer may never fire
	 * again: an offline that waits on it hung for 120 s (171-173 from
	 * the snapshot 170 saved; another save of the same boot worked) */
	.no_restore = true,
	.machine_argv = riscv_virt_machine_argv,
};
