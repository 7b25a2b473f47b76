/*
 * qemu_platform.h - the QEMU machine types the qemu scenario backend
 * boots, one file each (qemu_platform_<name>.c), and the table that
 * maps an architecture profile (src/arch/geometry.c) to its platform
 * and real guest (docs/real-kernel.md "Guests of other architectures").
 *
 * Contract: a struct qemu_platform is constant data plus one function
 * that adds the machine's own arguments (machine type, accelerator,
 * CPU, firmware, memory, NUMA) to an argv; everything else (kernel,
 * initramfs, command line, console, QMP, the agent's port) is built by
 * qemu_build_argv() from the fields. A new platform is a new file
 * defining one struct qemu_platform plus its entry in qemu_platforms[]
 * (qemu_platform.c). qemu_platform_find() answers the platform and the
 * guest of a profile (an alias is resolved first), or a message why no
 * real guest exists. qemu_platform_check() is the parse-time check of a
 * scenario for --backend=qemu: it names each step the guest cannot do.
 *
 * Expected workload: a table lookup per boot; the check is linear in
 * the steps.
 */
#ifndef HOTMEM_QEMU_PLATFORM_H
#define HOTMEM_QEMU_PLATFORM_H

#include "../scenario/scenario.h"

#include <stdbool.h>
#include <stddef.h>

struct argv_list;

/* One real guest of a platform: an arch profile and its files. */
struct qemu_guest {
	const char *profile;	/* arch profile name ("ppc64-hash-64k") */
	/*
	 * Its files, relative to the qemu/ folder next to hotmem:
	 * DIR/kernel/vmlinuz and DIR/initramfs.cpio.gz; NULL for the x86
	 * guest's historical places (qemu/kernel/vmlinuz, qemu/initramfs.
	 * cpio.gz, overridden by $HOTMEM_KERNEL and $HOTMEM_INITRD).
	 */
	const char *dir;
	const char *cmdline;	/* kernel parameters the profile needs, or NULL */
	/* non-NULL: there is no real guest for this profile, and why */
	const char *none;
};

/* How a device_add of the platform is seen to have arrived in the guest. */
enum qemu_plug_wait {
	QEMU_PLUG_WAIT_ACPI_OST,	/* the guest's _OST insertion report */
	QEMU_PLUG_WAIT_BLOCKS,		/* its memory blocks appear (pseries DLPAR) */
};

struct qemu_platform {
	const char *machine;	/* QEMU's machine type, for messages ("pseries") */
	const char *qemu;	/* the system emulator, looked up in PATH */
	const char *package;	/* the Debian package that has it */
	const struct qemu_guest *guests;
	size_t nr_guests;
	/* the kernel's console= device ("hvc0"): QEMU's -serial of the machine */
	const char *console;
	const char *agent_bus;	/* virtio-serial bus device ("virtio-serial-ccw") */
	/* device_add drivers the guest can take, NULL-terminated */
	const char *const *devices;
	/* why the other memory devices cannot be hot-added here */
	const char *devices_why;
	enum qemu_plug_wait plug_wait;
	bool numa;		/* -numa works on this machine */
	/* a guest of this machine always boots: a restored one stops
	 * answering (qemu_snapshot.c) */
	bool no_restore;
	/* -machine, -accel, -cpu, firmware, -smp, -m, -numa: 0 or -errno */
	int (*machine_argv)(const struct scenario_machine *mach,
			    const char *qemu, bool kvm, struct argv_list *a);
	/* arguments after the agent's port (q35: CXL devices), or NULL */
	void (*tail_argv)(const struct scenario_machine *mach,
			  struct argv_list *a);
};

extern const struct qemu_platform qemu_platform_q35;
extern const struct qemu_platform qemu_platform_pseries;
extern const struct qemu_platform qemu_platform_arm_virt;
extern const struct qemu_platform qemu_platform_s390x;
extern const struct qemu_platform qemu_platform_riscv_virt;

/*
 * The platform and guest of arch (a profile or an alias). NULL with a
 * message in err when no platform serves it; *guest's none set when the
 * platform has no real guest for the profile.
 */
const struct qemu_platform *qemu_platform_find(const char *arch,
					       const struct qemu_guest **guest,
					       char *err, size_t errlen);

/* Can the platform's guest take a device_add of driver? */
bool qemu_platform_has_device(const struct qemu_platform *p,
			      const char *driver);

/*
 * The scenario's steps a guest of its machine cannot do, each as
 * "FILE:LINE: error: ..." into diag; -EINVAL when there is one.
 */
int qemu_platform_check(const struct scenario *sc, struct strbuf *diag);

/* Shared by the platform files (qemu_argv.c). */
void qemu_arg(struct argv_list *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* -machine MACHINE -accel tcg -cpu CPU: a guest of another architecture */
void qemu_tcg_machine_argv(struct argv_list *a, const char *machine,
			   const char *cpu);
/* -smp, -m (with slots and maxmem when set) and one -numa per node */
void qemu_memory_argv(const struct scenario_machine *mach,
		      struct argv_list *a);

#endif
