/*
 * qemu_platform_pseries.c - the ppc64el guests: QEMU's pseries machine
 * (SLOF firmware, a POWER9 CPU under TCG) with Debian's powerpc64le
 * (4K pages) and powerpc64le-64k kernels; radix MMU by default, hash
 * with the kernel's disable_radix (docs/real-kernel.md "ppc64el").
 *
 * Contract: constant data and argv building (qemu_platform.h). The
 * spectre-related caps are off or "broken" because TCG cannot provide
 * them and QEMU refuses to start otherwise. A pc-dimm reaches the guest
 * as a DLPAR hotplug event; the kernel adds and onlines it one 256 MiB
 * LMB at a time, so a plug is done when its blocks are there
 * (QEMU_PLUG_WAIT_BLOCKS). hpt-max-page-size=16M on the machine line
 * (hotmem_config.hpt_max_page_size) lets a hash guest use 16 MiB pages.
 *
 * Expected workload: once per boot.
 */
#include "qemu_int.h"
#include "qemu_platform.h"

#include <stdio.h>

#define PSERIES_CAPS "pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off,cap-large-decr=off"

static int pseries_machine_argv(const struct scenario_machine *mach,
				const char *qemu, bool kvm, struct argv_list *a)
{
	const struct hotmem_config *c = &mach->config;
	char machine[192];

	(void)qemu;
	(void)kvm;
	if (c->hpt_max_page_size)
		snprintf(machine, sizeof(machine), PSERIES_CAPS ",cap-hpt-max-page-size=%lluK",
			 (unsigned long long)(c->hpt_max_page_size >> 10));
	else
		snprintf(machine, sizeof(machine), PSERIES_CAPS);
	qemu_tcg_machine_argv(a, machine, "power9");
	qemu_memory_argv(mach, a);
	return 0;
}

static const struct qemu_guest pseries_guests[] = {
	{ .profile = "ppc64-radix-64k", .dir = "guests/ppc64-64k" },
	{ .profile = "ppc64-hash-64k", .dir = "guests/ppc64-64k", .cmdline = "disable_radix" },
	{ .profile = "ppc64-radix-4k", .dir = "guests/ppc64-4k" },
	{ .profile = "ppc64-hash-4k", .dir = "guests/ppc64-4k", .cmdline = "disable_radix" },
};

static const char *const pseries_devices[] = { "pc-dimm", NULL };

const struct qemu_platform qemu_platform_pseries = {
	.machine = "pseries",
	.qemu = "qemu-system-ppc64",
	.package = "qemu-system-ppc",
	.guests = pseries_guests,
	.nr_guests = sizeof(pseries_guests) / sizeof(pseries_guests[0]),
	.console = "hvc0",
	.agent_bus = "virtio-serial-pci",
	.devices = pseries_devices,
	.devices_why = "pseries hot-adds pc-dimm only (DLPAR), in multiples of 256 MiB",
	.plug_wait = QEMU_PLUG_WAIT_BLOCKS,
	.numa = true,
	/* restored under QEMU 7.2 TCG, a guest stops at whatever waits on a
	 * timer: a pc-dimm's LMBs never arrived (120), offlining a boot
	 * block hung for 120 s (129, 130; booted: fine) */
	.no_restore = true,
	.machine_argv = pseries_machine_argv,
};
