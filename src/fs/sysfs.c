/*
 * sysfs.c - the virtual /sys and /proc tree: path resolution, the
 * attributes' show and store methods with the kernel's text and errno
 * (drivers/base/memory.c, drivers/base/node.c, drivers/base/core.c,
 * kernel/params.c, mm/memory_hotplug.c module parameters; drivers/base/memory.c).
 *
 * Contract: paths are absolute; every attribute has a mode, a show
 * and/or a store method; opening for writing a file without a store
 * method is -EACCES, reading one without a show method is -EACCES, a
 * missing entry -ENOENT. A store returns the byte count or -errno and
 * changes nothing on failure.
 * Expected workload: a path lookup per access; a few thousand blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "procfs.h"
#include "sysfs_bus.h"
#include "../util/kstrtox.h"

enum entry_type {
	ENT_NONE,
	ENT_DIR,
	ENT_ATTR,
	ENT_LINK,
};

enum dir_id {
	DIR_ROOT, DIR_PROC, DIR_SYS, DIR_SYS_DEVICES, DIR_SYS_SYSTEM,
	DIR_MEMORY, DIR_MEMORY_BLOCK, DIR_NODE_ROOT, DIR_NODE,
	DIR_SYS_MODULE, DIR_MODULE_MH, DIR_MODULE_MH_PARAMS,
	DIR_SYS_BUS,	/* served by sysfs_bus.c */
	DIR_VIRTUAL, DIR_MEMTIERING, DIR_MEMTIER,
	DIR_SYS_DEV, DIR_SYS_DEV_CHAR,	/* /sys/dev/char: links to char devices */
	DIR_MODULE_DRV,			/* /sys/module/NAME of a bus driver */
	/* /sys/kernel/debug/notifier-error-inject/memory (debugfs) */
	DIR_SYS_KERNEL, DIR_DEBUGFS, DIR_NEI, DIR_NEI_MEMORY, DIR_NEI_ACTIONS,
	DIR_NEI_ACTION,			/* nid: index in memory_nei_events */
};

struct entry;

struct attr {
	const char *name;
	unsigned int mode;
	int (*show)(struct hotmem_machine *m, const struct entry *e, struct strbuf *sb);
	long (*store)(struct hotmem_machine *m, const struct entry *e,
		      const char *buf, size_t len);
};

struct entry {
	enum entry_type type;
	enum dir_id dir;		/* for ENT_DIR, or the attr's directory */
	const struct attr *attr;
	uint64_t block_id;
	int nid;
	char link[128];
};

/* sysfs_streq: equal up to a trailing newline; a NUL ends the buffer. */
static bool sysfs_streq(const char *buf, size_t len, const char *word)
{
	size_t n = strnlen(buf, len), wl = strlen(word);

	if (n && buf[n - 1] == '\n')
		n--;
	return n == wl && !memcmp(buf, word, wl);
}

static void copy_bounded(char *dst, size_t dstlen, const char *buf, size_t len)
{
	size_t n = strnlen(buf, len);

	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, buf, n);
	dst[n] = '\0';
}

static int kstrtobool_buf(const char *buf, size_t len, int *out)
{
	char s[3] = { 0, 0, 0 };

	copy_bounded(s, sizeof(s), buf, len);
	return kstrtobool(s, out);
}

/* kstrtouint: decimal/0x/0 with one optional trailing newline. */
static int kstrtouint_buf(const char *buf, size_t len, unsigned int *out)
{
	char s[32], *end;
	unsigned long long v;

	if (strnlen(buf, len) >= sizeof(s))
		return -EINVAL;
	copy_bounded(s, sizeof(s), buf, len);
	if (s[0] == '+')
		memmove(s, s + 1, strlen(s));
	if (!s[0] || s[0] == '-' || s[0] == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	/* _parse_integer flags an overflow: -ERANGE, as for values > UINT_MAX */
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || end == s)
		return -EINVAL;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (v > 0xffffffffull)
		return -ERANGE;
	*out = (unsigned int)v;
	return 0;
}

static void print_nodelist(struct strbuf *sb, uint64_t mask)
{
	int n = 0;
	bool first = true;

	while (n < 64) {
		int start;

		if (!(mask >> n & 1)) {
			n++;
			continue;
		}
		start = n;
		while (n < 64 && (mask >> n & 1))
			n++;
		sb_printf(sb, "%s%d", first ? "" : ",", start);
		if (n - 1 > start)
			sb_printf(sb, "-%d", n - 1);
		first = false;
	}
	sb_puts(sb, "\n");
}

static const char *const online_type_names[] = {
	"offline", "online", "online_kernel", "online_movable",
};

/* ---- /sys/devices/system/memory ------------------------------------- */

static int show_block_size_bytes(struct hotmem_machine *m, const struct entry *e,
				 struct strbuf *sb)
{
	(void)e;
	return sb_printf(sb, "%llx\n", (unsigned long long)m->block_size);
}

static int show_auto_online_blocks(struct hotmem_machine *m, const struct entry *e,
				   struct strbuf *sb)
{
	(void)e;
	return sb_printf(sb, "%s\n", online_type_names[m->auto_online_type]);
}

static long store_auto_online_blocks(struct hotmem_machine *m,
				     const struct entry *e, const char *buf,
				     size_t len)
{
	int t;

	(void)e;
	for (t = 0; t < 4; t++)
		if (sysfs_streq(buf, len, online_type_names[t])) {
			m->auto_online_type = t;
			return (long)len;
		}
	return -EINVAL;
}

static int show_crash_hotplug(struct hotmem_machine *m, const struct entry *e,
			      struct strbuf *sb)
{
	(void)m;
	(void)e;
	/* no kexec crash image is loaded */
	return sb_puts(sb, "0\n");
}

static const struct attr memory_root_attrs[] = {
	{ "auto_online_blocks", 0644, show_auto_online_blocks, store_auto_online_blocks },
	{ "block_size_bytes", 0444, show_block_size_bytes, NULL },
	{ "crash_hotplug", 0444, show_crash_hotplug, NULL },
	{ NULL, 0, NULL, NULL },
};

static struct memory_block *entry_block(struct hotmem_machine *m, const struct entry *e)
{
	return find_memory_block_by_id(m, e->block_id);
}

static int show_phys_index(struct hotmem_machine *m, const struct entry *e,
			   struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%08llx\n", (unsigned long long)e->block_id);
}

static int show_state(struct hotmem_machine *m, const struct entry *e,
		      struct strbuf *sb)
{
	const struct memory_block *mem = entry_block(m, e);

	switch (mem->state) {
	case MEM_ONLINE:
		return sb_puts(sb, "online\n");
	case MEM_OFFLINE:
		return sb_puts(sb, "offline\n");
	case MEM_GOING_OFFLINE:
		return sb_puts(sb, "going-offline\n");
	}
	return sb_printf(sb, "ERROR-UNKNOWN-%d\n", mem->state);
}

/*
 * state_store: parse first (EINVAL before locking), then
 * device_online/device_offline; "already in that state" is EINVAL.
 */
static long store_state(struct hotmem_machine *m, const struct entry *e,
			const char *buf, size_t len)
{
	struct memory_block *mem = entry_block(m, e);
	int t, online_type = -1, ret;

	for (t = 0; t < 4; t++)
		if (sysfs_streq(buf, len, online_type_names[t]))
			online_type = t;
	if (online_type < 0)
		return -EINVAL;
	if (online_type == HOTMEM_MMOP_OFFLINE) {
		ret = device_offline(m, mem);
	} else {
		/* set before device_online(): it sticks if the block is online */
		mem->online_type = online_type;
		ret = device_online(m, mem);
	}
	if (ret < 0)
		return ret;
	if (ret > 0)
		return -EINVAL;
	return (long)len;
}

static int show_online(struct hotmem_machine *m, const struct entry *e,
		       struct strbuf *sb)
{
	const struct memory_block *mem = entry_block(m, e);

	return sb_printf(sb, "%d\n", mem->state != MEM_OFFLINE);
}

static long store_online(struct hotmem_machine *m, const struct entry *e,
			 const char *buf, size_t len)
{
	struct memory_block *mem = entry_block(m, e);
	int val, ret;

	ret = kstrtobool_buf(buf, len, &val);
	if (ret)
		return ret;
	ret = val ? device_online(m, mem) : device_offline(m, mem);
	return ret < 0 ? ret : (long)len;
}

/* arch_get_memory_phys_device: 0, except on s390: the storage
 * increment number, start >> log2(sclp.rzm) (drivers/s390/char/sclp_cmd.c) */
static int show_phys_device(struct hotmem_machine *m, const struct entry *e,
			    struct strbuf *sb)
{
	uint64_t start = e->block_id * m->block_size;
	unsigned int shift = 0;

	if (!m->sclp_rzm)
		return sb_puts(sb, "0\n");
	while ((1ull << shift) < m->sclp_rzm)
		shift++;
	return sb_printf(sb, "%llu\n", (unsigned long long)(start >> shift));
}

static int show_removable(struct hotmem_machine *m, const struct entry *e,
			  struct strbuf *sb)
{
	(void)m;
	(void)e;
	return sb_puts(sb, "1\n");
}

static int show_valid_zones(struct hotmem_machine *m, const struct entry *e,
			    struct strbuf *sb)
{
	const struct memory_block *mem = entry_block(m, e);
	uint64_t start = memory_block_start_pfn(m, mem), nr = m->pages_per_block;
	int def, kernel, movable;

	if (mem->state == MEM_ONLINE)
		return sb_printf(sb, "%s\n", mem->zone >= 0 ? zone_names[mem->zone] : "none");
	def = zone_for_pfn_range(m, HOTMEM_MMOP_ONLINE, mem->nid, mem->group, start, nr);
	kernel = zone_for_pfn_range(m, HOTMEM_MMOP_ONLINE_KERNEL, mem->nid, mem->group,
				    start, nr);
	movable = ZONE_MOVABLE;
	sb_puts(sb, zone_names[def]);
	if (kernel != def)
		sb_printf(sb, " %s", zone_names[kernel]);
	if (movable != def)
		sb_printf(sb, " %s", zone_names[movable]);
	return sb_puts(sb, "\n");
}

static const struct attr memory_block_attrs[] = {
	{ "online", 0644, show_online, store_online },
	{ "phys_device", 0444, show_phys_device, NULL },
	{ "phys_index", 0444, show_phys_index, NULL },
	{ "removable", 0444, show_removable, NULL },
	{ "state", 0644, show_state, store_state },
	{ "valid_zones", 0444, show_valid_zones, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- /sys/devices/system/node --------------------------------------- */

static uint64_t node_mask_of(struct hotmem_machine *m,
			     bool (*pred)(struct hotmem_machine *m, int nid))
{
	uint64_t mask = 0;
	unsigned int n;

	for (n = 0; n < m->nr_node_ids; n++)
		if (pred(m, (int)n))
			mask |= 1ull << n;
	return mask;
}

static bool pred_online(struct hotmem_machine *m, int nid)
{
	return m->nodes[nid].online;
}
static bool pred_possible(struct hotmem_machine *m, int nid)
{
	return m->nodes[nid].possible;
}
static bool pred_has_cpu(struct hotmem_machine *m, int nid)
{
	return m->nodes[nid].has_cpu;
}
static bool pred_has_memory(struct hotmem_machine *m, int nid)
{
	return node_state_memory(m, nid);
}
static bool pred_has_normal(struct hotmem_machine *m, int nid)
{
	return node_state_normal_memory(m, nid);
}

#define NODE_STATE_SHOW(fn, pred)                                          \
	static int fn(struct hotmem_machine *m, const struct entry *e,     \
		      struct strbuf *sb)                                    \
	{                                                                   \
		(void)e;                                                    \
		print_nodelist(sb, node_mask_of(m, pred));                  \
		return 0;                                                   \
	}

NODE_STATE_SHOW(show_node_online, pred_online)
NODE_STATE_SHOW(show_node_possible, pred_possible)
NODE_STATE_SHOW(show_node_has_cpu, pred_has_cpu)
NODE_STATE_SHOW(show_node_has_memory, pred_has_memory)
NODE_STATE_SHOW(show_node_has_normal, pred_has_normal)

static const struct attr node_root_attrs[] = {
	{ "has_cpu", 0444, show_node_has_cpu, NULL },
	{ "has_memory", 0444, show_node_has_memory, NULL },
	{ "has_normal_memory", 0444, show_node_has_normal, NULL },
	{ "online", 0444, show_node_online, NULL },
	{ "possible", 0444, show_node_possible, NULL },
	{ NULL, 0, NULL, NULL },
};

static int show_node_cpulist(struct hotmem_machine *m, const struct entry *e,
			     struct strbuf *sb)
{
	unsigned int n, cpu = 0;

	/* one CPU per node that has CPUs, numbered in node order */
	for (n = 0; n < (unsigned int)e->nid; n++)
		cpu += m->nodes[n].has_cpu;
	if (m->nodes[e->nid].has_cpu)
		return sb_printf(sb, "%u\n", cpu);
	return sb_puts(sb, "\n");
}

/*
 * drivers/base/node.c cpumap_read: the node's CPUs as "%*pb" of
 * nr_cpu_ids bits (lib/vsprintf.c bitmap_string): hex, 32-bit chunks
 * separated by commas, the first as wide as its bits need, zero-padded.
 * One CPU per node that has CPUs, numbered in node order (as cpulist).
 */
static int show_node_cpumap(struct hotmem_machine *m, const struct entry *e,
			    struct strbuf *sb)
{
	unsigned int n, nr_cpu_ids = 0, cpu = 0, chunk, bits;

	for (n = 0; n < m->nr_node_ids; n++)
		nr_cpu_ids += m->nodes[n].has_cpu;
	for (n = 0; n < (unsigned int)e->nid; n++)
		cpu += m->nodes[n].has_cpu;
	if (!nr_cpu_ids)
		nr_cpu_ids = 1;
	bits = nr_cpu_ids % 32 ? nr_cpu_ids % 32 : 32;
	for (chunk = (nr_cpu_ids - 1) / 32 + 1; chunk-- > 0;) {
		uint32_t word = 0;

		if (m->nodes[e->nid].has_cpu && cpu / 32 == chunk)
			word = 1u << (cpu % 32);
		sb_printf(sb, "%0*x%s", (int)((bits + 3) / 4), word, chunk ? "," : "");
		bits = 32;
	}
	return sb_puts(sb, "\n");
}

static int show_node_distance(struct hotmem_machine *m, const struct entry *e,
			      struct strbuf *sb)
{
	unsigned int n;

	/* one column per online node (node_read_distance) */
	for (n = 0; n < m->nr_node_ids; n++)
		if (m->nodes[n].online)
			sb_printf(sb, "%s%d", n ? " " : "", (int)n == e->nid ? 10 : 20);
	return sb_puts(sb, "\n");
}

static int show_node_meminfo(struct hotmem_machine *m, const struct entry *e,
			     struct strbuf *sb)
{
	return procfs_node_meminfo(m, e->nid, sb);
}

static const struct attr node_attrs[] = {
	{ "cpulist", 0444, show_node_cpulist, NULL },
	{ "cpumap", 0444, show_node_cpumap, NULL },
	{ "distance", 0444, show_node_distance, NULL },
	{ "meminfo", 0444, show_node_meminfo, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- /sys/devices/virtual/memory_tiering (mm/memory-tiers.c) ---------- */

static int show_memtier_nodelist(struct hotmem_machine *m, const struct entry *e,
				 struct strbuf *sb)
{
	/* the tier id travels in the entry's nid field */
	print_nodelist(sb, memory_tier_nodes(m, e->nid));
	return 0;
}

static const struct attr memtier_attrs[] = {
	{ "nodelist", 0444, show_memtier_nodelist, NULL },
	{ NULL, 0, NULL, NULL },
};

static const int memtier_ids[] = { MEMTIER_DRAM_ID, MEMTIER_DAX_ID };

/* ---- /sys/module/memory_hotplug/parameters -------------------------- */

static int show_param_memmap_on_memory(struct hotmem_machine *m,
				       const struct entry *e, struct strbuf *sb)
{
	static const char *const v[] = { "N", "Y", "force" };

	(void)e;
	return sb_printf(sb, "%s\n", v[m->memmap_on_memory]);
}

static int show_param_online_policy(struct hotmem_machine *m,
				    const struct entry *e, struct strbuf *sb)
{
	(void)e;
	return sb_printf(sb, "%s\n", m->online_policy == HOTMEM_ONLINE_POLICY_AUTO_MOVABLE ?
			 "auto-movable" : "contig-zones");
}

static long store_param_online_policy(struct hotmem_machine *m,
				      const struct entry *e, const char *buf,
				      size_t len)
{
	(void)e;
	if (sysfs_streq(buf, len, "contig-zones"))
		m->online_policy = HOTMEM_ONLINE_POLICY_CONTIG_ZONES;
	else if (sysfs_streq(buf, len, "auto-movable"))
		m->online_policy = HOTMEM_ONLINE_POLICY_AUTO_MOVABLE;
	else
		return -EINVAL;
	return (long)len;
}

static int show_param_ratio(struct hotmem_machine *m, const struct entry *e,
			    struct strbuf *sb)
{
	(void)e;
	return sb_printf(sb, "%u\n", m->auto_movable_ratio);
}

static long store_param_ratio(struct hotmem_machine *m, const struct entry *e,
			      const char *buf, size_t len)
{
	unsigned int v;
	int ret = kstrtouint_buf(buf, len, &v);

	(void)e;
	if (ret)
		return ret;
	m->auto_movable_ratio = v;
	return (long)len;
}

static int show_param_numa_aware(struct hotmem_machine *m, const struct entry *e,
				 struct strbuf *sb)
{
	(void)e;
	return sb_puts(sb, m->auto_movable_numa_aware ? "Y\n" : "N\n");
}

static long store_param_numa_aware(struct hotmem_machine *m,
				   const struct entry *e, const char *buf,
				   size_t len)
{
	int v, ret = kstrtobool_buf(buf, len, &v);

	(void)e;
	if (ret)
		return ret;
	m->auto_movable_numa_aware = v;
	return (long)len;
}

static const struct attr module_param_attrs[] = {
	{ "auto_movable_numa_aware", 0644, show_param_numa_aware, store_param_numa_aware },
	{ "auto_movable_ratio", 0644, show_param_ratio, store_param_ratio },
	{ "memmap_on_memory", 0444, show_param_memmap_on_memory, NULL },
	{ "online_policy", 0644, show_param_online_policy, store_param_online_policy },
	{ NULL, 0, NULL, NULL },
};

/* ---- debugfs: notifier-error-inject/memory/actions/EVENT/error ---------- */

/* lib/notifier-error-inject.c fops_errno: "%lld\n" of the int */
static int show_nei_error(struct hotmem_machine *m, const struct entry *e,
			  struct strbuf *sb)
{
	return sb_printf(sb, "%d\n", m->nei_error[e->nid]);
}

/*
 * A signed simple attribute: kstrtoll of at most 23 bytes (set_buf),
 * then debugfs_errno_set's clamp_t(int, val, -MAX_ERRNO, 0). The first
 * write registers the injector's notifier (priority 0), as loading
 * memory-notifier-error-inject does.
 */
static long store_nei_error(struct hotmem_machine *m, const struct entry *e,
			    const char *buf, size_t len)
{
	char s[24];
	unsigned long long v;
	long long val;
	bool neg;
	int ret, err;

	copy_bounded(s, sizeof(s), buf, len);
	neg = s[0] == '-';
	ret = kstrtoull(s + neg, 0, &v);
	if (ret || (neg && s[1] == '+'))
		return ret ? ret : -EINVAL;
	if (v > (neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX))
		return -ERANGE;
	val = neg ? (long long)(0 - v) : (long long)v;
	err = (int)val;
	err = err < -4095 ? -4095 : err > 0 ? 0 : err;
	if (!m->nei_registered) {
		struct memory_notifier nb = {
			.kind = MEMORY_NOTIFIER_ERR_INJECT, .priority = 0,
		};

		ret = register_memory_notifier(m, &nb);
		if (ret)
			return ret;
		m->nei_registered = true;
	}
	m->nei_error[e->nid] = err;
	return (long)len;
}

static const struct attr nei_action_attrs[] = {
	{ "error", 0600, show_nei_error, store_nei_error },
	{ NULL, 0, NULL, NULL },
};

/* ---- /proc ------------------------------------------------------------ */

static int show_proc_meminfo(struct hotmem_machine *m, const struct entry *e,
			     struct strbuf *sb)
{
	(void)e;
	return procfs_meminfo(m, sb);
}

static int show_proc_zoneinfo(struct hotmem_machine *m, const struct entry *e,
			      struct strbuf *sb)
{
	(void)e;
	return procfs_zoneinfo(m, sb);
}

static int show_proc_vmstat(struct hotmem_machine *m, const struct entry *e,
			    struct strbuf *sb)
{
	(void)e;
	return procfs_vmstat(m, sb);
}

static int show_proc_buddyinfo(struct hotmem_machine *m, const struct entry *e,
			       struct strbuf *sb)
{
	(void)e;
	return procfs_buddyinfo(m, sb);
}

/* fs/proc/cmdline.c: saved_command_line and a newline */
static int show_proc_cmdline(struct hotmem_machine *m, const struct entry *e,
			     struct strbuf *sb)
{
	(void)e;
	return sb_printf(sb, "%s\n", m->cfg.cmdline);
}

static int show_proc_iomem(struct hotmem_machine *m, const struct entry *e,
			   struct strbuf *sb)
{
	(void)e;
	return render_iomem(&m->iomem, sb);
}

static const struct attr proc_attrs[] = {
	{ "buddyinfo", 0444, show_proc_buddyinfo, NULL },
	{ "cmdline", 0444, show_proc_cmdline, NULL },
	{ "iomem", 0400, show_proc_iomem, NULL },
	{ "meminfo", 0444, show_proc_meminfo, NULL },
	{ "vmstat", 0444, show_proc_vmstat, NULL },
	{ "zoneinfo", 0444, show_proc_zoneinfo, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- resolution --------------------------------------------------------- */

/* a loaded module's state (kernel/module/sysfs.c): libkmod reads it */
static int show_module_initstate(struct hotmem_machine *m, const struct entry *e,
				 struct strbuf *sb)
{
	(void)m;
	(void)e;
	return sb_puts(sb, "live\n");
}

static const struct attr module_drv_attrs[] = {
	{ "initstate", 0444, show_module_initstate, NULL },
	{ NULL, 0, NULL, NULL },
};

/* /sys/dev/char: find one "MAJOR:MINOR" among the buses' char devices */
struct chardev_find {
	const char *name;
	char *link;
	size_t len;
	bool found;
};

static int chardev_match(void *ctx, const char *name, const char *target)
{
	struct chardev_find *f = ctx;

	if (strcmp(name, f->name))
		return 0;
	snprintf(f->link, f->len, "%s", target);
	f->found = true;
	return 1;
}

static int chardev_name(void *ctx, const char *name, const char *target)
{
	struct { int (*fn)(void *, const char *); void *ctx; } *l = ctx;

	(void)target;
	return l->fn(l->ctx, name);
}

static const struct attr *find_attr(const struct attr *table, const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

/* Parse "<prefix><decimal>" with no leading zeros. */
static bool parse_numbered(const char *s, const char *prefix, uint64_t *out)
{
	size_t pl = strlen(prefix);
	char *end;

	if (strncmp(s, prefix, pl) || !s[pl] || s[pl] < '0' || s[pl] > '9')
		return false;
	if (s[pl] == '0' && s[pl + 1])
		return false;
	errno = 0;
	*out = strtoull(s + pl, &end, 10);
	return !*end && !errno;
}

static const char *firmware_node_target(const struct hotmem_machine *m,
					const struct memory_block *mem, char *buf,
					size_t len)
{
	/* QEMU's memory hotplug container \_SB.MHPC is a PNP0A06 device */
	snprintf(buf, len, "../../../LNXSYSTM:00/LNXSYBUS:00/PNP0A06:00/PNP0C80:%02x",
		 (unsigned int)m->dimms[mem->acpi_device].slot);
	return buf;
}

/* The fixed skeleton of the tree: (parent, name) -> directory. */
static const struct {
	enum dir_id parent;
	const char *name;
	enum dir_id dir;
	bool needs_numa;	/* drivers/base/node.o, mm/memory-tiers.o */
} static_dirs[] = {
	{ DIR_ROOT, "proc", DIR_PROC, false },
	{ DIR_ROOT, "sys", DIR_SYS, false },
	{ DIR_SYS, "bus", DIR_SYS_BUS, false },
	{ DIR_SYS, "devices", DIR_SYS_DEVICES, false },
	{ DIR_SYS, "dev", DIR_SYS_DEV, false },
	{ DIR_SYS, "module", DIR_SYS_MODULE, false },
	{ DIR_SYS_DEV, "char", DIR_SYS_DEV_CHAR, false },
	{ DIR_SYS_DEVICES, "system", DIR_SYS_SYSTEM, false },
	{ DIR_SYS_DEVICES, "virtual", DIR_VIRTUAL, false },
	{ DIR_VIRTUAL, "memory_tiering", DIR_MEMTIERING, true },
	{ DIR_SYS_SYSTEM, "memory", DIR_MEMORY, false },
	{ DIR_SYS_SYSTEM, "node", DIR_NODE_ROOT, true },
	{ DIR_SYS_MODULE, "memory_hotplug", DIR_MODULE_MH, false },
	{ DIR_MODULE_MH, "parameters", DIR_MODULE_MH_PARAMS, false },
	{ DIR_SYS, "kernel", DIR_SYS_KERNEL, false },
	{ DIR_SYS_KERNEL, "debug", DIR_DEBUGFS, false },
	{ DIR_DEBUGFS, "notifier-error-inject", DIR_NEI, false },
	{ DIR_NEI, "memory", DIR_NEI_MEMORY, false },
	{ DIR_NEI_MEMORY, "actions", DIR_NEI_ACTIONS, false },
};

/* A kernel built without CONFIG_NUMA has no node devices, no memory
 * tiers and no node links under the memory blocks. */
static bool numa_built(const struct hotmem_machine *m)
{
	return m->geo.profile->kconfig & KCONFIG_NUMA;
}

static bool static_dir_present(const struct hotmem_machine *m, size_t i)
{
	return !static_dirs[i].needs_numa || numa_built(m);
}

static const struct attr *dir_attrs(enum dir_id dir)
{
	switch (dir) {
	case DIR_PROC:
		return proc_attrs;
	case DIR_MODULE_MH_PARAMS:
		return module_param_attrs;
	case DIR_MEMORY:
		return memory_root_attrs;
	case DIR_MEMORY_BLOCK:
		return memory_block_attrs;
	case DIR_NODE_ROOT:
		return node_root_attrs;
	case DIR_NODE:
		return node_attrs;
	case DIR_MEMTIER:
		return memtier_attrs;
	case DIR_MODULE_DRV:
		return module_drv_attrs;
	case DIR_NEI_ACTION:
		return nei_action_attrs;
	default:
		return NULL;
	}
}

/* Look one component up inside a directory entry. */
static int lookup_child(struct hotmem_machine *m, const struct entry *dir,
			const char *name, struct entry *out)
{
	const struct attr *attrs = dir_attrs(dir->dir);
	const struct memory_block *mem;
	uint64_t num;
	unsigned int n;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->type = ENT_DIR;
	out->block_id = dir->block_id;
	out->nid = dir->nid;

	for (i = 0; i < sizeof(static_dirs) / sizeof(static_dirs[0]); i++)
		if (static_dirs[i].parent == dir->dir && !strcmp(static_dirs[i].name, name) &&
		    static_dir_present(m, i)) {
			out->dir = static_dirs[i].dir;
			return 0;
		}
	out->attr = attrs ? find_attr(attrs, name) : NULL;
	if (out->attr) {
		out->type = ENT_ATTR;
		out->dir = dir->dir;
		return 0;
	}

	/* the dynamic entries: blocks, nodes and the links between them */
	switch (dir->dir) {
	case DIR_MEMORY:
		if (parse_numbered(name, "memory", &num) &&
		    find_memory_block_by_id(m, num)) {
			out->dir = DIR_MEMORY_BLOCK;
			out->block_id = num;
			return 0;
		}
		break;
	case DIR_MEMORY_BLOCK:
		mem = find_memory_block_by_id(m, dir->block_id);
		if (parse_numbered(name, "node", &num) && num < 64 &&
		    numa_built(m) && (mem->node_mask >> num & 1)) {
			out->type = ENT_LINK;
			out->nid = (int)num;
			snprintf(out->link, sizeof(out->link), "../../node/node%llu",
				 (unsigned long long)num);
			return 0;
		}
		if (!strcmp(name, "firmware_node") && mem->acpi_device >= 0) {
			out->type = ENT_LINK;
			firmware_node_target(m, mem, out->link, sizeof(out->link));
			return 0;
		}
		break;
	case DIR_MEMTIERING:
		if (parse_numbered(name, "memory_tier", &num) &&
		    (num == MEMTIER_DRAM_ID || num == MEMTIER_DAX_ID) &&
		    memory_tier_nodes(m, (int)num)) {
			out->dir = DIR_MEMTIER;
			out->nid = (int)num;
			return 0;
		}
		break;
	case DIR_SYS_DEV_CHAR: {
		struct chardev_find f = { name, out->link, sizeof(out->link), false };

		sysfs_bus_chardevs(m, chardev_match, &f);
		if (f.found) {
			out->type = ENT_LINK;
			return 0;
		}
		break;
	}
	case DIR_NEI_ACTIONS:
		for (n = 0; n < 2; n++)
			if (!strcmp(name, memory_event_name(memory_nei_events[n]))) {
				out->dir = DIR_NEI_ACTION;
				out->nid = (int)n;
				return 0;
			}
		break;
	case DIR_SYS_MODULE:
		for (n = 0; sysfs_bus_module(m, n); n++)
			if (!strcmp(sysfs_bus_module(m, n), name)) {
				out->dir = DIR_MODULE_DRV;
				out->nid = (int)n;
				return 0;
			}
		break;
	case DIR_NODE_ROOT:
		if (parse_numbered(name, "node", &num) && num < m->nr_node_ids &&
		    m->nodes[num].online) {
			out->dir = DIR_NODE;
			out->nid = (int)num;
			return 0;
		}
		break;
	case DIR_NODE:
		mem = parse_numbered(name, "memory", &num) ?
		      find_memory_block_by_id(m, num) : NULL;
		if (mem && (mem->node_mask >> dir->nid & 1)) {
			out->type = ENT_LINK;
			out->block_id = num;
			snprintf(out->link, sizeof(out->link), "../../memory/memory%llu",
				 (unsigned long long)num);
			return 0;
		}
		break;
	default:
		break;
	}
	return -ENOENT;
}

/* Resolve a path; links in the middle are followed. */
static int resolve(struct hotmem_machine *m, const char *path, struct entry *out,
		   bool follow_last)
{
	char buf[512], *save = NULL, *tok;
	struct entry cur;
	int ret;

	if (!path || path[0] != '/')
		return -ENOENT;
	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	memset(&cur, 0, sizeof(cur));
	cur.type = ENT_DIR;
	cur.dir = DIR_ROOT;
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		struct entry next;

		if (cur.type != ENT_DIR)
			return -ENOTDIR;
		ret = lookup_child(m, &cur, tok, &next);
		if (ret)
			return ret;
		if (next.type == ENT_LINK) {
			bool last = save == NULL || *save == '\0';

			if (!last || follow_last) {
				/* node links lead to nodeN or memoryN directories */
				memset(&cur, 0, sizeof(cur));
				cur.type = ENT_DIR;
				if (!strncmp(next.link, "../../node/", 11)) {
					cur.dir = DIR_NODE;
					cur.nid = next.nid;
				} else if (!strncmp(next.link, "../../memory/", 13)) {
					cur.dir = DIR_MEMORY_BLOCK;
					cur.block_id = next.block_id;
				} else {
					return -ENOENT;	/* outside the modelled tree */
				}
				continue;
			}
		}
		cur = next;
	}
	*out = cur;
	return 0;
}

/*
 * A path through a /sys/dev/char/MAJ:MIN link (/sys/dev/char/252:0/size)
 * as the path walk would follow it: the device the link points to, at
 * its bus path, where the model answers it. follow: also the link
 * itself (readdir). Returns path unchanged otherwise.
 */
static const char *chardev_path(struct hotmem_machine *m, const char *path,
				bool follow, char *buf, size_t len)
{
	static const char prefix[] = "/sys/dev/char/";
	char name[32], link[200];
	const char *rest, *base;
	struct chardev_find f = { name, link, sizeof(link), false };

	if (strncmp(path, prefix, sizeof(prefix) - 1))
		return path;
	path += sizeof(prefix) - 1;
	rest = strchr(path, '/');
	if (!rest && !follow)
		return path - (sizeof(prefix) - 1);
	if (!rest)
		rest = path + strlen(path);
	if ((size_t)(rest - path) >= sizeof(name))
		return path - (sizeof(prefix) - 1);
	memcpy(name, path, (size_t)(rest - path));
	name[rest - path] = '\0';
	sysfs_bus_chardevs(m, chardev_match, &f);
	if (!f.found || !(base = strrchr(link, '/')))
		return path - (sizeof(prefix) - 1);
	snprintf(buf, len, "/sys/bus/dax/devices/%s%s", base + 1, rest);
	return buf;
}

int sysfs_read(struct hotmem_machine *m, const char *path, char **out)
{
	struct entry e;
	struct strbuf sb;
	char cbuf[512];
	int ret;

	*out = NULL;
	path = chardev_path(m, path, false, cbuf, sizeof(cbuf));
	if (sysfs_bus_path(path))
		return sysfs_bus_read(m, path, out);
	ret = resolve(m, path, &e, true);
	if (ret)
		return ret;
	if (e.type == ENT_DIR)
		return -EISDIR;
	if (!e.attr->show)
		return -EACCES;
	sb_init(&sb);
	ret = e.attr->show(m, &e, &sb);
	if (ret) {
		sb_release(&sb);
		return ret;
	}
	*out = sb_detach(&sb);
	return *out ? 0 : -ENOMEM;
}

long sysfs_write(struct hotmem_machine *m, const char *path, const char *buf,
		 size_t len)
{
	struct entry e;
	char cbuf[512];
	int ret;

	path = chardev_path(m, path, false, cbuf, sizeof(cbuf));
	if (sysfs_bus_path(path))
		return sysfs_bus_write(m, path, buf, len);
	ret = resolve(m, path, &e, true);
	if (ret)
		return ret;
	if (e.type == ENT_DIR)
		return -EISDIR;
	if (!e.attr->store)
		return -EACCES;
	/* sysfs hands a store at most one page */
	if (len > m->geo.page_size)
		len = m->geo.page_size;
	return e.attr->store(m, &e, buf, len);
}

int sysfs_stat(struct hotmem_machine *m, const char *path,
	       enum hotmem_node_kind *kind, unsigned int *mode, char *target,
	       size_t targetlen)
{
	struct entry e;
	char cbuf[512];
	int ret;

	path = chardev_path(m, path, false, cbuf, sizeof(cbuf));
	if (sysfs_bus_path(path))
		return sysfs_bus_stat(m, path, kind, mode, target, targetlen);
	ret = resolve(m, path, &e, false);
	if (ret)
		return ret;
	sysfs_fill_stat(e.type == ENT_DIR ? HOTMEM_ENTRY_DIR :
			e.type == ENT_LINK ? HOTMEM_ENTRY_LINK : HOTMEM_ENTRY_FILE,
			e.type == ENT_ATTR ? e.attr->mode : 0, e.link, kind, mode,
			target, targetlen);
	return 0;
}

int sysfs_readdir(struct hotmem_machine *m, const char *path,
		  int (*fn)(void *ctx, const char *name), void *ctx)
{
	const struct attr *attrs;
	struct entry e;
	char name[64], cbuf[512];
	unsigned int n;
	size_t i;
	int ret;

	path = chardev_path(m, path, true, cbuf, sizeof(cbuf));
	if (sysfs_bus_path(path))
		return sysfs_bus_readdir(m, path, fn, ctx);
	ret = resolve(m, path, &e, true);
	if (ret)
		return ret;
	if (e.type != ENT_DIR)
		return -ENOTDIR;
	for (i = 0; i < sizeof(static_dirs) / sizeof(static_dirs[0]); i++)
		if (static_dirs[i].parent == e.dir && static_dir_present(m, i) &&
		    (ret = fn(ctx, static_dirs[i].name)))
			return ret;
	if (e.dir == DIR_MEMORY_BLOCK) {
		const struct memory_block *mem = find_memory_block_by_id(m, e.block_id);

		if (mem->acpi_device >= 0 && (ret = fn(ctx, "firmware_node")))
			return ret;
		for (n = 0; n < 64 && numa_built(m); n++) {
			if (!(mem->node_mask >> n & 1))
				continue;
			snprintf(name, sizeof(name), "node%u", n);
			if ((ret = fn(ctx, name)))
				return ret;
		}
	}
	attrs = dir_attrs(e.dir);
	for (; attrs && attrs->name; attrs++)
		if ((ret = fn(ctx, attrs->name)))
			return ret;
	switch (e.dir) {
	case DIR_MEMORY:
		for (i = 0; !ret && i < m->nr_blocks; i++) {
			snprintf(name, sizeof(name), "memory%llu",
				 (unsigned long long)m->blocks[i]->id);
			ret = fn(ctx, name);
		}
		return ret;
	case DIR_NEI_ACTIONS:
		for (i = 0; !ret && i < 2; i++)
			ret = fn(ctx, memory_event_name(memory_nei_events[i]));
		return ret;
	case DIR_MEMTIERING:
		for (i = 0; !ret && i < sizeof(memtier_ids) / sizeof(memtier_ids[0]); i++) {
			if (!memory_tier_nodes(m, memtier_ids[i]))
				continue;
			snprintf(name, sizeof(name), "memory_tier%d", memtier_ids[i]);
			ret = fn(ctx, name);
		}
		return ret;
	case DIR_SYS_DEV_CHAR: {
		struct { int (*fn)(void *, const char *); void *ctx; } l = { fn, ctx };

		return sysfs_bus_chardevs(m, chardev_name, &l);
	}
	case DIR_SYS_MODULE:
		for (n = 0; !ret && sysfs_bus_module(m, n); n++)
			ret = fn(ctx, sysfs_bus_module(m, n));
		return ret;
	case DIR_NODE_ROOT:
		for (n = 0; !ret && n < m->nr_node_ids; n++) {
			if (!m->nodes[n].online)
				continue;
			snprintf(name, sizeof(name), "node%u", n);
			ret = fn(ctx, name);
		}
		return ret;
	case DIR_NODE:
		for (i = 0; !ret && i < m->nr_blocks; i++) {
			if (!(m->blocks[i]->node_mask >> e.nid & 1))
				continue;
			snprintf(name, sizeof(name), "memory%llu",
				 (unsigned long long)m->blocks[i]->id);
			ret = fn(ctx, name);
		}
		return ret;
	default:
		return 0;
	}
}
