/*
 * backend_qemu.c - the "qemu" scenario backend: the same scenario,
 * unchanged, on Debian's Linux 6.12 booted under QEMU: q35 for x86_64,
 * and for the other architecture profiles the machine type of
 * qemu_platform_*.c (pseries, arm64 virt, s390-ccw-virtio, riscv virt;
 * docs/real-kernel.md).
 *
 * Contract: boot() looks up the profile's platform and guest
 * (qemu_platform.h; a profile without a real guest is -EOPNOTSUPP with
 * the reason) and turns a struct scenario_machine into its command
 * line (-m SIZE,slots=N,maxmem=M; one memory-backend-ram and -numa node
 * per node; one CPU per node that has CPUs, as the model counts them),
 * starts QEMU in its own process group with the kernel and the
 * project's initramfs (scripts/build-initramfs.sh), speaks QMP over a
 * unix socket and talks to the guest agent (guest/hotmem-agent.c) over
 * a virtio-serial port. read/write/stat/readdir/dmesg run in the guest
 * and return exactly what the kernel returned (errno included).
 * device_add is object-add memory-backend-ram (a name of the backend's
 * own per plug) + device_add pc-dimm and
 * returns once the guest reported the insertion through _OST
 * (ACPI_DEVICE_OST); device_del waits for DEVICE_DELETED, or for an
 * _OST eject failure, which becomes the errno the model gives (EBUSY).
 * An nvdimm (the machine then has nvdimm=on from boot) is a
 * memory-backend-file whose label area holds initialised index blocks,
 * plus device_add nvdimm,label-size=128K; it returns once the guest
 * shows the new region and its dax seed. A machine with cxl-type3
 * devices at power-on (hotmem_config.cxl) runs under QEMU 10 (from
 * bookworm-backports, scripts/lib/qemu-cxl.sh) with cxl=on, a pxb-cxl
 * host bridge, a cxl-rp root port, the device with a volatile memdev
 * and a fixed memory window of its size (qemu_cxl_argv()); every other
 * machine under the system's QEMU 7.2, on which the goldens were
 * recorded. A cxl-type3 after boot, notifier_fail and trace have no
 * counterpart here (QEMU cannot hot-add a CXL window; a stock kernel)
 * and return -EOPNOTSUPP. run_tool runs Debian's ndctl or daxctl from
 * the initramfs in the guest and hands back its own exit status and
 * output (-ENOENT with a message when the initramfs has no tools).
 * Every wait is bounded (HOTMEM_QEMU_TIMEOUT
 * seconds per guest operation, default 120, boot included); a guest
 * that hangs, panics or exits makes the op fail with a message naming
 * the cause and the last lines of the serial console on stderr, and
 * every later op fail at once. destroy() stops only the QEMU process
 * this backend started and removes its temporary directory.
 *
 * HOTMEM_QEMU_QMP_TRACE (set) copies every line QEMU sends on QMP to
 * stderr, for debugging.
 * Files (x86_64): qemu-system-x86_64 from PATH (or $HOTMEM_QEMU), the
 * kernel at $HOTMEM_KERNEL or qemu/kernel/vmlinuz next to the hotmem
 * executable, the initramfs at $HOTMEM_INITRD or qemu/initramfs.cpio.gz
 * there. Other guests: the platform's emulator from PATH and
 * qemu/guests/GUEST/kernel/vmlinuz and .../initramfs.cpio.gz.
 * KVM or TCG (-cpu max) as $HOTMEM_ACCEL says (qemu_accel.c; KVM only
 * for a guest of the host's architecture); a guest booted once is saved
 * and later runs restore it (qemu_snapshot.c).
 *
 * The parts: qemu_proc.c (the process, sockets), qemu_argv.c (the
 * command line), qemu_start.c (up to the agent's hello: restore or boot,
 * qemu_snapshot.c, qemu_accel.c), qemu_qmp.c (QMP), qemu_agent.c (the guest agent, tools),
 * qemu_devices.c (device_add, device_del), qemu_int.h; this file boots
 * and holds the ops.
 *
 * Expected workload: one guest per scenario run; each op is one round
 * trip to the guest (about a millisecond under TCG), boot a few seconds.
 */
#include "qemu_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The guest's memory block size must be what the scenario asked for. */
static int check_block_size(struct qemu_state *st, const char *arch,
			    uint64_t want, char *err, size_t errlen)
{
	char *text = NULL;
	uint64_t got;
	int rc;

	if (!want)
		return 0;
	rc = qemu_agent_call(st, 'R', "/sys/devices/system/memory/block_size_bytes",
			NULL, 0, &text);
	if (rc < 0) {
		free(text);
		errmsg_set(err, errlen, "cannot read block_size_bytes in the guest");
		return rc;
	}
	got = strtoull(text, NULL, 16);
	free(text);
	if (got != want) {
		errmsg_set(err, errlen, "block_size=%lluM cannot be set on a real %s kernel: Linux 6.12 probes %lluM for this machine (docs/real-kernel.md)",
			(unsigned long long)(want >> 20), arch,
			(unsigned long long)(got >> 20));
		return -EINVAL;
	}
	return 0;
}

/*
 * The emulator, kernel and initramfs of guest g of platform p. The x86
 * guest keeps its places and overrides ($HOTMEM_QEMU, $HOTMEM_KERNEL,
 * $HOTMEM_INITRD; QEMU 10 for CXL); the others' files are under
 * qemu/<g->dir>/ next to hotmem, their emulator in PATH.
 */
static int guest_files(const struct scenario_machine *mach,
		       const struct qemu_platform *p, const struct qemu_guest *g,
		       char *qemu, char *kernel, char *initrd, char *err,
		       size_t errlen)
{
	const char *env_qemu = getenv("HOTMEM_QEMU");
	char rel[PATH_MAX];

	if (mach->config.nr_cxl)
		qemu_cxl_path(qemu, PATH_MAX);
	else if (!g->dir && env_qemu && *env_qemu)
		snprintf(qemu, PATH_MAX, "%s", env_qemu);
	else if (!qemu_find_in_path(p->qemu, qemu, PATH_MAX))
		snprintf(qemu, PATH_MAX, "%s", p->qemu);
	if (access(qemu, X_OK)) {
		if (g->dir)
			errmsg_set(err, errlen, "%s not found (Debian's %s; scripts/qemu-setup.sh -g all installs it, as root)",
				qemu, p->package);
		else
			errmsg_set(err, errlen, "%s not found (install it with scripts/qemu-setup.sh, as root)",
				qemu);
		return -ENOENT;
	}
	if (!g->dir) {
		qemu_guest_file("HOTMEM_KERNEL", "kernel/vmlinuz", kernel, PATH_MAX);
		qemu_guest_file("HOTMEM_INITRD", "initramfs.cpio.gz", initrd, PATH_MAX);
	} else {
		snprintf(rel, sizeof(rel), "%s/kernel/vmlinuz", g->dir);
		qemu_guest_file(NULL, rel, kernel, PATH_MAX);
		snprintf(rel, sizeof(rel), "%s/initramfs.cpio.gz", g->dir);
		qemu_guest_file(NULL, rel, initrd, PATH_MAX);
	}
	if (access(kernel, R_OK)) {
		if (g->dir)
			errmsg_set(err, errlen, "no %s guest kernel at %s (scripts/qemu-setup.sh -g all fetches it)",
				g->profile, kernel);
		else
			errmsg_set(err, errlen, "no guest kernel at %s (scripts/qemu-setup.sh fetches it; or set HOTMEM_KERNEL)",
				kernel);
		return -ENOENT;
	}
	if (access(initrd, R_OK)) {
		if (g->dir)
			errmsg_set(err, errlen, "no %s initramfs at %s ('make guests' builds it)",
				g->profile, initrd);
		else
			errmsg_set(err, errlen, "no initramfs at %s ('make initramfs' builds it; or set HOTMEM_INITRD)",
				initrd);
		return -ENOENT;
	}
	return 0;
}

static int qemu_boot(const struct scenario_machine *mach, void **state,
		     char *err, size_t errlen)
{
	char qemu[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX];
	const char *env_timeout = getenv("HOTMEM_QEMU_TIMEOUT");
	const struct qemu_platform *p;
	const struct qemu_guest *g;
	const char *accel = getenv("HOTMEM_ACCEL");
	enum qemu_accel want;
	struct qemu_state *st;
	int rc;

	*state = NULL;
	p = qemu_platform_find(mach->config.arch, &g, err, errlen);
	if (!p || g->none)
		return -EOPNOTSUPP;
	/* a bad choice of accelerator is said before anything is looked for */
	if (accel && *accel && qemu_accel_parse(accel, &want)) {
		errmsg_set(err, errlen, "HOTMEM_ACCEL='%s': not auto, kvm or tcg", accel);
		return -EINVAL;
	}
	rc = guest_files(mach, p, g, qemu, kernel, initrd, err, errlen);
	if (rc)
		return rc;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->pid = -1;
	st->qmp = st->agent = -1;
	st->platform = p;
	st->qmp_trace = getenv("HOTMEM_QEMU_QMP_TRACE") != NULL;
	st->timeout_ms = 1000 * (env_timeout && atoi(env_timeout) > 0 ?
				 atoi(env_timeout) : QEMU_DEFAULT_TIMEOUT_S);
	/* restored from the snapshot cache, or booted (qemu_start.c) */
	rc = qemu_start_guest(st, qemu, mach, g, kernel, initrd, err, errlen);
	if (rc)
		goto fail;
	rc = check_block_size(st, g->profile, mach->config.block_size_bytes, err, errlen);
	if (rc)
		goto fail;
	*state = st;
	return 0;
fail:
	qemu_cleanup(st);
	free(st);
	return rc < 0 ? rc : -EIO;
}



/* ------------------------------------------------------------------ */
/* Ops                                                                */
/* ------------------------------------------------------------------ */

static int qemu_read(void *state, const char *path, char **out)
{
	char *p = NULL;
	int rc = qemu_agent_call(state, 'R', path, NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static long qemu_write(void *state, const char *path, const char *buf,
		       size_t len)
{
	return qemu_agent_call(state, 'W', path, buf, len, NULL);
}

static int qemu_stat(void *state, const char *path,
		     enum scenario_entry_kind *kind, unsigned int *mode,
		     char *target, size_t targetlen)
{
	char *p = NULL, *nl;
	int rc = qemu_agent_call(state, 'S', path, NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	*kind = p[0] == 'd' ? SCENARIO_ENTRY_DIR :
		p[0] == 'l' ? SCENARIO_ENTRY_LINK : SCENARIO_ENTRY_FILE;
	*mode = (unsigned int)strtoul(p + 1, NULL, 8);
	nl = strchr(p, '\n');
	if (target && targetlen)
		snprintf(target, targetlen, "%s", nl ? nl + 1 : "");
	free(p);
	return 0;
}

static int qemu_readdir(void *state, const char *path,
			int (*fn)(void *ctx, const char *name), void *ctx)
{
	char *p = NULL, *name, *save = NULL;
	int rc = qemu_agent_call(state, 'D', path, NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	for (name = strtok_r(p, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save))
		if (fn(ctx, name))
			break;
	free(p);
	return 0;
}

/* A stock kernel has no hook for these (docs/real-kernel.md). */
static int qemu_notifier_fail(void *state, const char *event, int err,
			      unsigned int count)
{
	(void)state;
	(void)event;
	(void)err;
	(void)count;
	return -EOPNOTSUPP;
}

static int qemu_trace_set(void *state, bool on)
{
	(void)state;
	(void)on;
	return -EOPNOTSUPP;
}

static int qemu_trace_take(void *state, char **out)
{
	(void)state;
	*out = NULL;
	return -EOPNOTSUPP;
}

static int qemu_dmesg(void *state, char **out)
{
	char *p = NULL;
	int rc = qemu_agent_call(state, 'K', "", NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void qemu_destroy(void *state)
{
	struct qemu_state *st = state;

	if (!st)
		return;
	qemu_cleanup(st);
	free(st);
}

const struct scenario_backend scenario_backend_qemu = {
	.name = "qemu",
	.live_counters = true,
	.boot = qemu_boot,
	.read = qemu_read,
	.write = qemu_write,
	.stat = qemu_stat,
	.readdir = qemu_readdir,
	.device_add = qemu_device_add,
	.device_del = qemu_device_del,
	.notifier_fail = qemu_notifier_fail,
	.trace_set = qemu_trace_set,
	.trace_take = qemu_trace_take,
	.dmesg = qemu_dmesg,
	.run_tool = qemu_run_tool,
	.walk = qemu_walk,
	.check_steps = qemu_platform_check,
	.destroy = qemu_destroy,
};
