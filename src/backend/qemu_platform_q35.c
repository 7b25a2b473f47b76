/*
 * qemu_platform_q35.c - the x86-64 guest: QEMU's q35 machine with
 * SeaBIOS, Debian's amd64 kernel, KVM when /dev/kvm opens, TCG with
 * -cpu max otherwise; nvdimm=on for NVDIMMs, and the CXL devices present
 * at power-on under QEMU 10 (docs/real-kernel.md "The guest").
 *
 * Contract: constant data and argv building (qemu_platform.h).
 *
 * Expected workload: once per boot.
 */
#include "qemu_int.h"
#include "qemu_platform.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* CXL: QEMU 10 and the devices present at power-on                    */
/* ------------------------------------------------------------------ */

/*
 * An unpacked (not installed) QEMU finds its firmware through -L: its
 * own data folder, and the backports SeaBIOS beside it (QEMU 10 wants
 * SeaBIOS 1.16.3). Both are siblings of .../usr/bin.
 */
static void cxl_firmware_dirs(const char *qemu, struct argv_list *a)
{
	char usr[PATH_MAX];
	char *slash;

	snprintf(usr, sizeof(usr), "%s", qemu);
	slash = strrchr(usr, '/');
	if (slash)
		*slash = '\0';		/* .../usr/bin */
	slash = strrchr(usr, '/');
	if (!slash)
		return;			/* a bare name: an installed QEMU */
	*slash = '\0';			/* .../usr */
	qemu_arg(a, "-L");
	qemu_arg(a, "%s/share/qemu", usr);
	qemu_arg(a, "-L");
	qemu_arg(a, "%s/share/seabios", usr);
}

/*
 * Each cxl-type3 of the machine: its volatile memory, a pxb-cxl host
 * bridge (bus_nr 12: the kernel's dport12 and PCI buses 0c/0d, as
 * src/fs/sysfs_cxl.c names them), a cxl-rp root port, the device, and a
 * fixed memory window of the device's size targeting the bridge.
 */
static void qemu_cxl_argv(const struct scenario_machine *mach, struct argv_list *a)
{
	const struct hotmem_config *c = &mach->config;
	unsigned int i;

	for (i = 0; i < c->nr_cxl; i++) {
		qemu_arg(a, "-object");
		qemu_arg(a, "memory-backend-ram,id=hotmem-cxlmem%u,size=%llu", i,
		    (unsigned long long)c->cxl[i].size);
		qemu_arg(a, "-device");
		qemu_arg(a, "pxb-cxl,bus_nr=%u,bus=pcie.0,id=hotmem-cxl%u", 12 + 2 * i, i);
		qemu_arg(a, "-device");
		qemu_arg(a, "cxl-rp,port=0,bus=hotmem-cxl%u,id=hotmem-cxlrp%u,chassis=0,slot=%u",
		    i, i, 2 + i);
		qemu_arg(a, "-device");
		qemu_arg(a, "cxl-type3,bus=hotmem-cxlrp%u,volatile-memdev=hotmem-cxlmem%u,id=%s",
		    i, i, c->cxl[i].id);
		qemu_arg(a, "-M");
		qemu_arg(a, "cxl-fmw.%u.targets.0=hotmem-cxl%u,cxl-fmw.%u.size=%llu", i, i, i,
		    (unsigned long long)c->cxl[i].size);
	}
}

/* -machine, -accel, -cpu and the memory: the q35 guest's own options. */
static int q35_machine_argv(const struct scenario_machine *mach,
			    const char *qemu, bool kvm, struct argv_list *a)
{
	const struct hotmem_config *c = &mach->config;

	if (c->nr_cxl)
		cxl_firmware_dirs(qemu, a);
	qemu_arg(a, "-machine");
	qemu_arg(a, "q35%s%s", c->nvdimm ? ",nvdimm=on" : "", c->nr_cxl ? ",cxl=on" : "");
	qemu_arg(a, "-accel");
	qemu_arg(a, kvm ? "kvm" : "tcg");
	qemu_arg(a, "-cpu");
	/*
	 * Debian's kernel runs 5-level paging on a CPU with LA57, as TCG's
	 * max has: the x86_64-5level guest; x86_64 turns LA57 off (4
	 * levels). Under KVM a 5-level guest needs the host's LA57:
	 * enforce it. CXL: a region commits only on a CPU without the
	 * hypervisor bit.
	 */
	if (!strcmp(c->cpu, "qemu64"))	/* no pdpe1gb, no LA57 */
		qemu_arg(a, "qemu64%s", c->nr_cxl ? ",hypervisor=off" : "");
	else
		qemu_arg(a, "%s%s%s", kvm ? "host" : "max",
			 strcmp(c->arch, "x86_64-5level") ? ",la57=off" :
			 kvm ? ",la57=on,enforce" : "", c->nr_cxl ? ",hypervisor=off" : "");
	qemu_memory_argv(mach, a);
	return 0;
}

static const struct qemu_guest q35_guests[] = {
	{ .profile = "x86_64" },
	{ .profile = "x86_64-5level" },
};

static const char *const q35_devices[] = { "pc-dimm", "nvdimm", "cxl-type3", NULL };

const struct qemu_platform qemu_platform_q35 = {
	.machine = "q35",
	.qemu = "qemu-system-x86_64",
	.package = "qemu-system-x86",
	.guests = q35_guests,
	.nr_guests = sizeof(q35_guests) / sizeof(q35_guests[0]),
	.console = "ttyS0",
	.agent_bus = "virtio-serial-pci",
	.devices = q35_devices,
	.devices_why = "q35 takes pc-dimm, nvdimm and cxl-type3 only",
	.plug_wait = QEMU_PLUG_WAIT_ACPI_OST,
	.numa = true,
	.machine_argv = q35_machine_argv,
	/* last: QEMU puts devices without bus= on the newest PCI bus */
	.tail_argv = qemu_cxl_argv,
};
