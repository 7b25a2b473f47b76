/*
 * qemu_platform_s390x.c - the s390x guest: QEMU's s390-ccw-virtio
 * machine, -cpu max under TCG, Debian's s390x kernel; virtio devices
 * sit on the channel subsystem (virtio-serial-ccw), the console is the
 * SCLP VT220 console: QEMU's -serial is the machine's default
 * sclpconsole (a second one is refused), the kernel's ttysclp0
 * (docs/real-kernel.md "s390x").
 *
 * Contract: constant data and argv building (qemu_platform.h). QEMU
 * hot-adds no memory to s390x (no standby memory, no pc-dimm, no
 * virtio-mem-ccw) and the machine has no NUMA: such scenarios are
 * refused before anything boots.
 *
 * Expected workload: once per boot.
 */
#include "qemu_int.h"
#include "qemu_platform.h"

static int s390x_machine_argv(const struct scenario_machine *mach,
			      const char *qemu, bool kvm, struct argv_list *a)
{
	(void)qemu;
	(void)kvm;
	qemu_tcg_machine_argv(a, "s390-ccw-virtio", "max");
	qemu_memory_argv(mach, a);
	return 0;
}

static const struct qemu_guest s390x_guests[] = {
	{ .profile = "s390x", .dir = "guests/s390x" },
};

const struct qemu_platform qemu_platform_s390x = {
	.machine = "s390-ccw-virtio",
	.qemu = "qemu-system-s390x",
	.package = "qemu-system-misc",
	.guests = s390x_guests,
	.nr_guests = sizeof(s390x_guests) / sizeof(s390x_guests[0]),
	/* -serial is QEMU's default sclpconsole, the kernel's VT220 tty */
	.console = "ttysclp0",
	.agent_bus = "virtio-serial-ccw",
	.devices = NULL,
	.devices_why = "QEMU hot-adds no memory to s390x (no standby memory, pc-dimm or virtio-mem-ccw)",
	.plug_wait = QEMU_PLUG_WAIT_ACPI_OST,
	.numa = false,
	/* a restored s390x guest's agent stopped answering within 120 s
	 * when a boot block was offlined (scenarios 161 and 162 under QEMU
	 * 7.2 TCG; booted: fine) */
	.no_restore = true,
	.machine_argv = s390x_machine_argv,
};
