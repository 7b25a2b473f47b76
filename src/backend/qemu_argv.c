/*
 * qemu_argv.c - the qemu scenario backend's command line: where QEMU,
 * the guest kernel and the initramfs are, the memory and NUMA options
 * every platform shares (memory and slots, one -numa node and backend
 * per node, one CPU per node with CPUs), and the argv around a
 * platform's own part (qemu_platform_*.c): the kernel command line, the
 * console, QMP and the agent's virtio-serial port (docs/real-kernel.md
 * "The guest").
 *
 * Contract: pure string building over the machine's configuration and
 * the environment (HOTMEM_QEMU_CXL, PATH);
 * qemu_build_argv() fills a NULL-terminated argv the caller releases
 * with qemu_argv_release(), -ENOMEM when it would not fit.
 *
 * Expected workload: once per boot, some fifty arguments.
 */
#include "qemu_int.h"

#include <errno.h>
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

/* $env (env non-NULL), else qemu/rel next to the running executable. */
void qemu_guest_file(const char *env, const char *rel, char *out,
		     size_t len)
{
	const char *v = env ? getenv(env) : NULL;
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

/*
 * The QEMU that runs CXL machines: $HOTMEM_QEMU_CXL, else QEMU 10 as
 * scripts/qemu-setup.sh unpacks it, next to the hotmem executable.
 */
void qemu_cxl_path(char *out, size_t len)
{
	qemu_guest_file("HOTMEM_QEMU_CXL", "qemu10/root/usr/bin/qemu-system-x86_64", out, len);
}

void qemu_tcg_machine_argv(struct argv_list *a, const char *machine,
			   const char *cpu)
{
	qemu_arg(a, "-machine");
	qemu_arg(a, "%s", machine);
	qemu_arg(a, "-accel");
	qemu_arg(a, "tcg");
	qemu_arg(a, "-cpu");
	qemu_arg(a, "%s", cpu);
}

/* -smp (one CPU per node with CPUs), -m and the -numa nodes. */
void qemu_memory_argv(const struct scenario_machine *mach, struct argv_list *a)
{
	const struct hotmem_config *c = &mach->config;
	unsigned int n, cpus = 0, cpu = 0;

	for (n = 0; n < c->nr_nodes; n++)
		cpus += c->nodes[n].has_cpus ? 1 : 0;
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
}

/*
 * The QEMU command line for machine on platform p (docs/real-kernel.md):
 * the platform's own part, then what every guest has: the kernel and
 * the initramfs, the command line, the console into console.log, QMP
 * and the agent's virtio-serial port.
 */
int qemu_build_argv(const struct qemu_state *st,
		    const struct scenario_machine *mach,
		    const struct qemu_platform *p, const struct qemu_guest *g,
		    const char *qemu, const char *kernel, const char *initrd,
		    struct argv_list *a)
{
	struct strbuf append;
	size_t i;
	int rc;

	qemu_arg(a, "%s", qemu);
	/* st->kvm: qemu_accel_choose(), never for another architecture */
	rc = p->machine_argv(mach, qemu, st->kvm, a);
	if (rc)
		return rc;
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
	sb_printf(&append, "console=%s panic=-1 quiet", p->console);
	if (g->cmdline)
		sb_printf(&append, " %s", g->cmdline);
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
	qemu_arg(a, "%s", p->agent_bus);
	qemu_arg(a, "-chardev");
	qemu_arg(a, "socket,id=agent,path=%s/agent.sock,server=on,wait=off", st->dir);
	qemu_arg(a, "-device");
	qemu_arg(a, "virtserialport,chardev=agent,name=" AGENT_PORT_NAME);
	if (p->tail_argv)
		p->tail_argv(mach, a);
	a->v[a->n] = NULL;
	return a->overflow ? -ENOMEM : 0;
}
