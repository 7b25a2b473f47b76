/*
 * qemu_argv.c - the qemu scenario backend's command line: where QEMU,
 * the guest kernel and the initramfs are, and the q35 argv for a
 * scenario's machine (memory and slots, one -numa node and backend per
 * node, one CPU per node with CPUs, nvdimm=on, the kernel command line,
 * QMP and the agent's virtio-serial port, and the CXL devices present
 * at power-on under QEMU 10): docs/real-kernel.md "The guest".
 *
 * Contract: pure string building over the machine's configuration and
 * the environment (HOTMEM_QEMU_CXL, HOTMEM_KERNEL, HOTMEM_INITRD, PATH);
 * qemu_build_argv() fills a NULL-terminated argv the caller releases
 * with qemu_argv_release(), -ENOMEM when it would not fit.
 *
 * Expected workload: once per boot, some fifty arguments.
 */
#include "qemu_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* boot                                                               */
/* ------------------------------------------------------------------ */

/* An executable named name in PATH, into out. */
bool qemu_find_in_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");

	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		snprintf(out, len, "%.*s/%s", (int)n, n ? path : ".", name);
		if (access(out, X_OK) == 0)
			return true;
		path += n + (colon ? 1 : 0);
	}
	return false;
}

/* $env, else qemu/rel next to the running executable. */
void qemu_guest_file(const char *env, const char *rel, char *out,
		     size_t len)
{
	const char *v = getenv(env);
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (v && *v) {
		snprintf(out, len, "%s", v);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if (snprintf(out, len, "%s/qemu/%s", n > 0 ? exe : ".", rel) >= (int)len)
		out[0] = '\0';	/* too long: reported as missing */
}

void qemu_arg(struct argv_list *a, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (a->n + 1 >= sizeof(a->v) / sizeof(a->v[0])) {
		a->overflow = true;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		a->overflow = true;
	else
		a->v[a->n++] = s;
}

void qemu_argv_release(struct argv_list *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
}

/* ------------------------------------------------------------------ */
/* CXL: QEMU 10 and the devices present at power-on                    */
/* ------------------------------------------------------------------ */

/*
 * The QEMU that runs CXL machines: $HOTMEM_QEMU_CXL, else QEMU 10 as
 * scripts/qemu-setup.sh unpacks it, next to the hotmem executable.
 */
void qemu_cxl_path(char *out, size_t len)
{
	qemu_guest_file("HOTMEM_QEMU_CXL", "qemu10/root/usr/bin/qemu-system-x86_64", out, len);
}

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
static void qemu_cxl_argv(const struct hotmem_config *c, struct argv_list *a)
{
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

/* The QEMU command line for machine (docs/real-kernel.md). */
int qemu_build_argv(const struct qemu_state *st,
		    const struct scenario_machine *mach, const char *qemu,
		    const char *kernel, const char *initrd,
		    struct argv_list *a)
{
	const struct hotmem_config *c = &mach->config;
	unsigned int n, cpus = 0, cpu = 0;
	struct strbuf append;
	bool kvm = st->kvm;	/* qemu_accel_choose(): HOTMEM_ACCEL, /dev/kvm */
	size_t i;

	for (n = 0; n < c->nr_nodes; n++)
		cpus += c->nodes[n].has_cpus ? 1 : 0;
	qemu_arg(a, "%s", qemu);
	if (c->nr_cxl)
		cxl_firmware_dirs(qemu, a);
	qemu_arg(a, "-machine");
	qemu_arg(a, "q35%s%s", c->nvdimm ? ",nvdimm=on" : "", c->nr_cxl ? ",cxl=on" : "");
	qemu_arg(a, "-accel");
	qemu_arg(a, kvm ? "kvm" : "tcg");
	qemu_arg(a, "-cpu");
	/* CXL: a region commits only on a CPU without the hypervisor bit */
	qemu_arg(a, "%s%s", kvm ? "host" : "max", c->nr_cxl ? ",hypervisor=off" : "");
	qemu_arg(a, "-smp");
	qemu_arg(a, "%u", cpus ? cpus : 1);
	qemu_arg(a, "-m");
	if (c->slots)
		qemu_arg(a, "%llub,slots=%u,maxmem=%llub",
		    (unsigned long long)c->mem_bytes, c->slots,
		    (unsigned long long)c->maxmem_bytes);
	else
		qemu_arg(a, "%llub", (unsigned long long)c->mem_bytes);
	for (n = 0; n < c->nr_nodes; n++) {
		struct strbuf node;

		sb_init(&node);
		sb_printf(&node, "node,nodeid=%u", n);
		if (c->nodes[n].mem_bytes) {
			qemu_arg(a, "-object");
			qemu_arg(a, "memory-backend-ram,id=ram-node%u,size=%llu", n,
			    (unsigned long long)c->nodes[n].mem_bytes);
			sb_printf(&node, ",memdev=ram-node%u", n);
		}
		/* one CPU per node with CPUs; none: CPU 0 on node 0, as the model */
		if (c->nodes[n].has_cpus)
			sb_printf(&node, ",cpus=%u", cpu++);
		else if (!cpus && n == 0)
			sb_printf(&node, ",cpus=0");
		qemu_arg(a, "-numa");
		qemu_arg(a, "%s", node.buf ? node.buf : "");
		sb_release(&node);
	}
	/*
	 * QEMU's default devices stay: SeaBIOS sizes the reserved tail of
	 * low RAM by the ACPI tables they bring (132 KiB with them, 128
	 * without), and the model starts where `qemu -M q35` starts.
	 */
	qemu_arg(a, "-no-user-config");
	qemu_arg(a, "-display");
	qemu_arg(a, "none");
	qemu_arg(a, "-no-reboot");
	qemu_arg(a, "-kernel");
	qemu_arg(a, "%s", kernel);
	qemu_arg(a, "-initrd");
	qemu_arg(a, "%s", initrd);
	sb_init(&append);
	/* panic=-1 and -no-reboot: a panicking guest ends QEMU at once */
	sb_puts(&append, "console=ttyS0 panic=-1 quiet");
	for (i = 0; i < mach->nr_cmdline_words; i++)
		sb_printf(&append, " %s", mach->cmdline_words[i]);
	qemu_arg(a, "-append");
	qemu_arg(a, "%s", append.buf);
	sb_release(&append);
	qemu_arg(a, "-serial");
	qemu_arg(a, "file:%s/console.log", st->dir);
	qemu_arg(a, "-chardev");
	qemu_arg(a, "socket,id=qmp,path=%s/qmp.sock,server=on,wait=off", st->dir);
	qemu_arg(a, "-mon");
	qemu_arg(a, "chardev=qmp,mode=control");
	qemu_arg(a, "-device");
	qemu_arg(a, "virtio-serial-pci");
	qemu_arg(a, "-chardev");
	qemu_arg(a, "socket,id=agent,path=%s/agent.sock,server=on,wait=off", st->dir);
	qemu_arg(a, "-device");
	qemu_arg(a, "virtserialport,chardev=agent,name=" AGENT_PORT_NAME);
	/* last: QEMU puts devices without bus= on the newest PCI bus */
	qemu_cxl_argv(c, a);
	a->v[a->n] = NULL;
	return a->overflow ? -ENOMEM : 0;
}
