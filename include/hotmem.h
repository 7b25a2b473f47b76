/*
 * hotmem.h - public API of hotmem, an executable model of Linux 6.12
 * memory hotplug.
 *
 * Contract: a struct hotmem_machine owns all state of one simulated
 * machine (no globals anywhere in the library). It is created from a
 * struct hotmem_config by hotmem_boot(), driven through the same paths
 * a user of the real kernel would touch (sysfs/procfs reads and writes)
 * and through hardware events (QEMU-style device_add/device_del), and
 * can be cloned for what-if questions. Every function returns 0 (or a
 * non-negative count) on success and a negative errno on failure; a
 * failed operation leaves the machine exactly as it was.
 *
 * Expected workload: interactive and scripted use; thousands of
 * operations per second on machines up to 64 TiB.
 */
#ifndef HOTMEM_H
#define HOTMEM_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HOTMEM_MAX_NODES 64

/* memory_hotplug.memmap_on_memory */
enum hotmem_memmap_on_memory {
	HOTMEM_MEMMAP_ON_MEMORY_DISABLE = 0,
	HOTMEM_MEMMAP_ON_MEMORY_ENABLE,
	HOTMEM_MEMMAP_ON_MEMORY_FORCE,
};

/* Online types, numbered as the kernel's MMOP_* values. */
enum hotmem_online_type {
	HOTMEM_MMOP_OFFLINE = 0,
	HOTMEM_MMOP_ONLINE,
	HOTMEM_MMOP_ONLINE_KERNEL,
	HOTMEM_MMOP_ONLINE_MOVABLE,
};

/* memory_hotplug.online_policy */
enum hotmem_online_policy {
	HOTMEM_ONLINE_POLICY_CONTIG_ZONES = 0,
	HOTMEM_ONLINE_POLICY_AUTO_MOVABLE,
};

#define HOTMEM_MAX_PMEM 8

/* A legacy persistent memory range (memmap=SIZE!START, e820 type 12). */
struct hotmem_pmem_range {
	uint64_t start, size;
};

struct hotmem_node_config {
	uint64_t mem_bytes;	/* boot RAM of this node; 0 = memoryless */
	int has_cpus;		/* a node with CPUs is online from boot */
};

/*
 * What a machine boots with: the shape QEMU is started with plus the
 * kernel command line. Fill with hotmem_config_init() first.
 */
/* COMMAND_LINE_SIZE of x86, arm64, powerpc, riscv (asm/setup.h) */
#define HOTMEM_CMDLINE_SIZE 2048

/* CXL devices a machine can have at power-on (one: see cxl.h) */
#define HOTMEM_MAX_CXL_COLDPLUG 1

struct hotmem_config {
	char arch[16];			/* "x86_64" */
	uint64_t mem_bytes;		/* -m SIZE (sum of nodes when numa is used) */
	unsigned int slots;		/* -m ...,slots=N (0: no DIMM hotplug) */
	uint64_t maxmem_bytes;		/* -m ...,maxmem=SIZE */
	uint64_t block_size_bytes;	/* 0 = as the kernel probes it */
	int hypervisor;			/* CPU has X86_FEATURE_HYPERVISOR (QEMU: yes) */
	unsigned int nr_nodes;		/* 0 = no -numa options: one node */
	struct hotmem_node_config nodes[HOTMEM_MAX_NODES];

	/* kernel command line */
	enum hotmem_memmap_on_memory memmap_on_memory;
	enum hotmem_online_type default_online_type;	/* memhp_default_state */
	/* false: the build's default (CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE
	 * of the arch profile) decides, not default_online_type */
	bool default_online_type_set;
	enum hotmem_online_policy online_policy;
	unsigned int auto_movable_ratio;		/* percent, default 301 */
	int auto_movable_numa_aware;			/* default 1 */
	int movable_node;
	int transparent_hugepage_never;	/* transparent_hugepage=never */
	/*
	 * The command line as given, words in order ("param" or
	 * "param=value"), known or not: /proc/cmdline. The scenario parser
	 * fills it (hotmem_config_cmdline does not: a refused value changes
	 * nothing). Truncated at COMMAND_LINE_SIZE (2048) as the kernel
	 * truncates it.
	 */
	char cmdline[HOTMEM_CMDLINE_SIZE];
	/* memmap=SIZE!START (x86): legacy pmem, in command-line order */
	struct hotmem_pmem_range pmem[HOTMEM_MAX_PMEM];
	unsigned int nr_pmem;

	/*
	 * Boot-time kernel allocations the model cannot derive from first
	 * principles (kernel image, page tables, crash kernel, ...), in KiB,
	 * excluding the first MiB, the boot memmap and the nodes' pg_data_t,
	 * which are computed.
	 * Default: the figure that reproduces MemTotal of a q35 guest with
	 * -m 2G on Debian's 6.12.95 kernel (see docs/model-inputs.md); a
	 * machine type measured on its own guest has its own figure (the
	 * platform's), used unless boot_reserved_set.
	 */
	uint64_t boot_reserved_kb;
	/* Kernel memory in use after boot (slab, page tables): MemFree only. */
	uint64_t boot_used_kb;
	/* set by the scenario (boot_reserved=, boot_used=, from=): otherwise
	 * the machine type may use its own guest's measured figures */
	bool boot_reserved_set, boot_used_set;

	/*
	 * s390x only: standby storage after the boot RAM, as z/VM's DEFINE
	 * STORAGE ... STANDBY gives it (docs/architectures.md). 0 = none.
	 */
	uint64_t standby_bytes;

	/*
	 * ppc64 hash MMU under QEMU's pseries: the largest page the
	 * hypervisor's page table allows (-M pseries,cap-hpt-max-page-size=;
	 * machine hpt-max-page-size=16M). 0 = QEMU's default, with which a
	 * hash guest has no 16 MiB huge pages. Passed to QEMU only.
	 */
	uint64_t hpt_max_page_size;

	/*
	 * x86: QEMU's CPU model (machine cpu=): "" or "max" (the default:
	 * 1 GiB pages, and LA57 for x86_64-5level), "qemu64" (no pdpe1gb,
	 * no LA57: the direct map and device-dax use 2 MiB pages at most).
	 */
	char cpu[16];

	/*
	 * QEMU -machine nvdimm=on: the firmware keeps one more page, the
	 * NVDIMM ACPI DSM buffer, at the top of low RAM (6.12.95 guest:
	 * System RAM ends at 0x7ffddfff, not 0x7ffdefff). The scenario
	 * parser sets it when a step plugs an nvdimm.
	 */
	int nvdimm;

	/*
	 * CXL type-3 memory devices present at power-on (QEMU -device
	 * cxl-type3 with volatile-memdev, each behind its own pxb-cxl host
	 * bridge and cxl-rp root port, with a fixed memory window of its
	 * size: docs/device-memory.md). The scenario parser fills it from
	 * `device_add cxl-type3` lines before `boot`. node: the window's
	 * NUMA node. At most HOTMEM_MAX_CXL_COLDPLUG.
	 */
	unsigned int nr_cxl;
	struct hotmem_cxl_coldplug {
		char id[32];
		uint64_t size;
		int node;
	} cxl[HOTMEM_MAX_CXL_COLDPLUG];

	/*
	 * machine from-snapshot=PATH: a real machine captured by `hotmem
	 * snapshot` or the documented tar one-liner (a directory or a
	 * tarball), booted as it was (src/import, docs/import-and-plan.md).
	 * "" = a QEMU-shaped machine from the fields above. snapshot_arch
	 * and snapshot_page_size force what the files leave open.
	 */
	char snapshot[1024];
	char snapshot_arch[24];
	uint64_t snapshot_page_size;

	/*
	 * TEST ONLY: a deliberate bug to prove the invariant checker and the
	 * fuzzer catch one (enum hotmem_test_inject; kernel parameter
	 * hotmem.inject_bug=NAME). Never set outside tests.
	 */
	unsigned int test_inject;
};

/* Deliberate bugs (test only; docs/invariants.md). */
enum hotmem_test_inject {
	HOTMEM_INJECT_NONE = 0,
	/*
	 * "offline-vmemmap-present": when offlining a memmap_on_memory block
	 * fails, its memmap pages are not given back to the zone's
	 * present_pages (a counter not restored on one failure path).
	 */
	HOTMEM_INJECT_OFFLINE_VMEMMAP_PRESENT,
};

struct hotmem_machine;

/* Fill *c with the defaults of a q35 guest running Debian's kernel. */
void hotmem_config_init(struct hotmem_config *c);

/* Whether an architecture profile exists; the list of them, for messages. */
int hotmem_arch_supported(const char *arch);
const char *hotmem_arch_names(void);
/* The canonical name of profile i (0, 1, ...), NULL past the last. */
const char *hotmem_arch_profile_name(unsigned int i);

#define HOTMEM_CMDLINE_UNKNOWN	1	/* not a parameter the model knows: ignored */
#define HOTMEM_CMDLINE_IGNORED	2	/* known; the kernel ignores this value */

/*
 * Apply one kernel command-line parameter ("memhp_default_state",
 * "offline"; value NULL for a bare flag). Returns 0 when applied,
 * HOTMEM_CMDLINE_UNKNOWN or HOTMEM_CMDLINE_IGNORED when the kernel would
 * ignore it (err says why), or -EINVAL for a value the kernel rejects;
 * *c is changed only on 0. err (may be NULL) receives a message.
 */
int hotmem_config_cmdline(struct hotmem_config *c, const char *param,
			  const char *value, char *err, size_t errlen);

/* Boot a machine. On failure *out is NULL and err says why. */
int hotmem_boot(const struct hotmem_config *c, struct hotmem_machine **out,
		char *err, size_t errlen);

/*
 * The model inputs a boot of c uses: the scenario's boot_reserved_kb and
 * boot_used_kb where set, else those measured on the real guest of its
 * machine type and profile (docs/model-inputs.md). 0 or -EINVAL for an
 * unknown arch.
 */
int hotmem_boot_inputs(const struct hotmem_config *c, uint64_t *reserved_kb,
		       uint64_t *used_kb);

/* A deep, independent copy (NULL on allocation failure). */
struct hotmem_machine *hotmem_clone(const struct hotmem_machine *m);
void hotmem_free(struct hotmem_machine *m);

/*
 * The virtual sysfs/procfs tree. Paths are absolute ("/proc/meminfo",
 * "/sys/devices/system/memory/memory32/state").
 *
 * hotmem_read: *out receives a malloc'ed NUL-terminated copy of the
 * file's content (caller frees). -ENOENT: no such file; -EISDIR: a
 * directory; -EACCES: the file has no show method.
 *
 * hotmem_write: as open(O_WRONLY) + write(buf, len): returns len on
 * success, -EACCES if the file has no store method, -ENOENT if it does
 * not exist, or the errno the kernel's store method returns.
 */
int hotmem_read(struct hotmem_machine *m, const char *path, char **out);
long hotmem_write(struct hotmem_machine *m, const char *path,
		  const char *buf, size_t len);

/* Kinds of entries in the virtual tree. */
enum hotmem_node_kind {
	HOTMEM_ENTRY_NONE = 0,
	HOTMEM_ENTRY_DIR,
	HOTMEM_ENTRY_FILE,
	HOTMEM_ENTRY_LINK,
};

/*
 * Describe a path: kind, file mode bits (0444, 0644, 0200, 0755) and,
 * for links, the target (relative, as readlink returns it) in target.
 */
int hotmem_stat(struct hotmem_machine *m, const char *path,
		enum hotmem_node_kind *kind, unsigned int *mode,
		char *target, size_t targetlen);

/* List a directory: calls fn once per entry name, in sysfs order. */
int hotmem_readdir(struct hotmem_machine *m, const char *path,
		   int (*fn)(void *ctx, const char *name), void *ctx);

/*
 * Hardware events, in QEMU's terms.
 * hotmem_device_add("pc-dimm", id, size, node): a DIMM is plugged,
 * placed as QEMU places it, and the guest's ACPI driver adds it (on
 * pseries the kernel's DLPAR code adds and onlines it LMB by LMB).
 * Returns 0, or -errno with a message in err: QEMU refusals (no free
 * slot, no room, unknown node, duplicate id) leave the machine as it
 * was. A DIMM the kernel refuses (e.g. not block aligned) stays plugged
 * without memory, as on the real machine, and returns 0.
 * hotmem_device_add("nvdimm", ...): a QEMU nvdimm (label-size 128K at
 * the end of its memdev of SIZE bytes); the guest gets an NFIT pmem
 * region. hotmem_device_add("cxl-type3", ...): a volatile CXL device on
 * node N, brought up to System RAM via region, dax device and kmem
 * (docs/device-memory.md).
 * hotmem_device_del(id): ACPI eject (pseries: DLPAR remove); -EBUSY
 * (err explains) if the guest refuses because a block cannot be offlined; -EOPNOTSUPP for
 * nvdimm and cxl-type3 devices.
 */
int hotmem_device_add(struct hotmem_machine *m, const char *driver,
		      const char *id, uint64_t size, int node,
		      char *err, size_t errlen);
int hotmem_device_del(struct hotmem_machine *m, const char *id,
		      char *err, size_t errlen);

/*
 * The kernel log (dmesg) since boot, one message a line, as the kernel
 * would print it; a malloc'ed copy.
 */
char *hotmem_dmesg(const struct hotmem_machine *m);

/*
 * Memory notifier chain, observable and breakable.
 * hotmem_notifier_fail: register a notifier (priority 0) that returns
 * err, a negative errno (NOTIFY_BAD is -EPERM), for the event named as
 * the kernel names it ("MEM_GOING_ONLINE", ...); count: how many times
 * to fail (0 = forever).
 * hotmem_trace: enable (1) or disable (0) tracing; hotmem_trace_take
 * returns and clears the collected trace lines (malloc'ed).
 */
int hotmem_notifier_fail(struct hotmem_machine *m, const char *event,
			 int err, unsigned int count);
/*
 * As hotmem_notifier_fail with a priority: the chain runs higher
 * priorities first, equal ones in registration order, so a priority
 * above 0 fails the event before the arch's own notifiers (s390 sclp,
 * arm64 boot memory guard) run.
 */
int hotmem_notifier_fail_priority(struct hotmem_machine *m, const char *event,
				  int err, unsigned int count, int priority);
void hotmem_trace(struct hotmem_machine *m, int on);
char *hotmem_trace_take(struct hotmem_machine *m);

/*
 * Self-check (src/check, docs/invariants.md).
 * hotmem_check: run every invariant over the machine; returns the
 * number of violations (0 = consistent) or -ENOMEM; *report (may be
 * NULL) receives a malloc'ed text, one "NAME: OBJECT: DETAIL" line per
 * violation (empty when consistent).
 * hotmem_state_hash: a canonical 64-bit digest of the machine's state
 * (not the kernel log, the trace, the notifier-fail injectors, nor the
 * pending online type a refused state write leaves on an online block):
 * equal before and after every operation that fails.
 */
int hotmem_check(const struct hotmem_machine *m, char **report);
uint64_t hotmem_state_hash(const struct hotmem_machine *m);

/* The kernel's name for an errno value ("EINVAL"), or NULL. */
const char *hotmem_errno_name(int err);
/* The errno value for a name ("EINVAL" -> 22), or 0. */
int hotmem_errno_from_name(const char *name);

/*
 * Parse a size as QEMU and the kernel's memparse do: a number with an
 * optional K, M, G, T, P, E suffix (powers of 1024; "kB" also accepted
 * for KiB). Returns 0 or -EINVAL.
 */
int hotmem_parse_size(const char *s, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif /* HOTMEM_H */
