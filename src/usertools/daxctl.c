/*
 * daxctl.c - hotmem's model of daxctl 76.1 (Debian 12): list,
 * reconfigure-device, online-memory, offline-memory, create-device,
 * destroy-device, disable-device, enable-device, played through a
 * scenario backend's sysfs with the tool's reads, writes, messages,
 * JSON and exit status (docs/device-memory.md, "daxctl").
 *
 * Contract: the same decisions in the same order as daxctl/device.c
 * and libdaxctl: a device is in system-ram mode when bound to kmem;
 * enabling writes the name to DRIVER/new_id then DRIVER/bind (errors
 * of new_id ignored, bind's kept); disabling writes it to the bound
 * driver's remove_id then unbind; memory operations walk the target
 * node's memoryN entries, take the blocks whose phys_index x
 * block_size_bytes lies inside [resource, resource+size) and read or
 * write their state. Exit status: the tool's rc & 0xff. Devices are
 * visited in (region, id) order; the real tool follows readdir order.
 * Expected workload: a handful of devices, tens of memory blocks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usertool.h"

#define DAXDEVS "/sys/bus/dax/devices"
#define DAXDRVS "/sys/bus/dax/drivers"
#define SYSMEM "/sys/devices/system/memory"

struct daxdev {
	char name[32];
	char path[96];		/* /sys/bus/dax/devices/daxX.Y */
	int region, id;
	uint64_t size, resource, align;
	int target_node;	/* -1: none */
	char driver[32];	/* "" unbound */
};

static void dev_load(struct tool_ctx *t, struct daxdev *d)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/size", d->path);
	if (tool_read_u64(t, p, &d->size))
		d->size = 0;
	snprintf(p, sizeof(p), "%s/resource", d->path);
	if (tool_read_u64(t, p, &d->resource))
		d->resource = 0;
	snprintf(p, sizeof(p), "%s/align", d->path);
	if (tool_read_u64(t, p, &d->align))
		d->align = 0;
	snprintf(p, sizeof(p), "%s/target_node", d->path);
	if (tool_read_int(t, p, &d->target_node))
		d->target_node = -1;
	tool_driver(t, d->path, d->driver, sizeof(d->driver));
}

static int cmp_dev(const void *a, const void *b)
{
	const struct daxdev *x = a, *y = b;

	return x->region != y->region ? (x->region > y->region) - (x->region < y->region)
				      : (x->id > y->id) - (x->id < y->id);
}

/* dax_regions_init + dax_devices_init: every daxX.Y on the dax bus. */
static int devs_load(struct tool_ctx *t, struct daxdev **out, size_t *nout)
{
	char **names;
	size_t n, i, k = 0;
	struct daxdev *v;
	int r = tool_list(t, DAXDEVS, &names, &n);

	*out = NULL;
	*nout = 0;
	if (r == -ENOENT)
		return 0;	/* no dax bus: no regions */
	if (r)
		return r;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		tool_list_free(names, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct daxdev *d = &v[k];

		if (sscanf(names[i], "dax%d.%d", &d->region, &d->id) != 2)
			continue;
		snprintf(d->name, sizeof(d->name), "%s", names[i]);
		snprintf(d->path, sizeof(d->path), DAXDEVS "/%s", names[i]);
		dev_load(t, d);
		k++;
	}
	tool_list_free(names, n);
	qsort(v, k, sizeof(*v), cmp_dev);
	*out = v;
	*nout = k;
	return 0;
}

/* util_daxctl_region_filter: "all", the id, or "regionN". */
static bool region_match(int id, const char *ident)
{
	int n;
	char tail;

	if (!ident || !strcmp(ident, "all"))
		return true;
	if (sscanf(ident, "region%d%c", &n, &tail) == 1 ||
	    sscanf(ident, "%d%c", &n, &tail) == 1)
		return n == id;
	return false;
}

/* util_daxctl_dev_filter: "all", the name, or "X.Y". */
static bool dev_match(const struct daxdev *d, const char *ident)
{
	int r, i;
	char tail;

	if (!ident || !strcmp(ident, "all") || !strcmp(ident, d->name))
		return true;
	return sscanf(ident, "%d.%d%c", &r, &i, &tail) == 2 && r == d->region && i == d->id;
}

/* ---- memory blocks (libdaxctl daxctl_memory_op) ----------------------- */

enum mem_op { OP_COUNT, OP_IS_ONLINE, OP_ONLINE, OP_ONLINE_NORMAL, OP_OFFLINE, OP_GET_ZONE };

/* memblock_find_zone's verdict over the blocks seen so far */
enum mem_zone_seen { ZSEEN_NONE, ZSEEN_MOVABLE, ZSEEN_NORMAL, ZSEEN_MIXED };

static int block_online(struct tool_ctx *t, const char *node, const char *blk)
{
	char p[160], buf[32];
	int r;

	snprintf(p, sizeof(p), "%s/%s/state", node, blk);
	if ((r = tool_read(t, p, buf, sizeof(buf))))
		return r;
	return !strncmp(buf, "online", 6);
}

/* The op on one block: 0 counts it, > 0 skips it, < 0 aborts the walk. */
static int block_op(struct tool_ctx *t, const struct daxdev *d, const char *node,
		    const char *blk, enum mem_op op, enum mem_zone_seen *zone)
{
	char p[160], buf[64];
	enum mem_zone_seen cur;
	int r;

	snprintf(p, sizeof(p), "%s/%s/state", node, blk);
	switch (op) {
	case OP_COUNT:
		return 0;
	case OP_IS_ONLINE:
		r = block_online(t, node, blk);
		return r < 0 ? r : !r;
	case OP_ONLINE:
	case OP_ONLINE_NORMAL:
		if ((r = block_online(t, node, blk)))
			return r;
		r = (int)tool_write(t, p, op == OP_ONLINE ? "online_movable" : "online");
		if (r && block_online(t, node, blk) == 1)
			return 0;	/* someone else onlined it */
		return r;
	case OP_OFFLINE:
		r = block_online(t, node, blk);
		if (r <= 0)
			return r < 0 ? r : 1;
		r = (int)tool_write(t, p, "offline");
		if (r) {
			if (!block_online(t, node, blk))
				return 1;
			tool_errf(t, "libdaxctl: offline_one_memblock: %s: Failed to offline %s: %s\n",
				  d->name, p, strerror(-r));
		}
		return r;
	case OP_GET_ZONE:
		/* an offline block has no zone: the walk fails (-ENXIO) */
		r = block_online(t, node, blk);
		if (r <= 0)
			return r < 0 ? r : -ENXIO;
		snprintf(p, sizeof(p), "%s/%s/valid_zones", node, blk);
		if ((r = tool_read(t, p, buf, sizeof(buf))))
			return r;
		cur = !strcmp(buf, "Movable") ? ZSEEN_MOVABLE :
		      !strcmp(buf, "Normal") ? ZSEEN_NORMAL : ZSEEN_MIXED;
		if (*zone == ZSEEN_NONE)
			*zone = cur;
		else if (*zone != cur)
			*zone = ZSEEN_MIXED;
		return 0;
	}
	return -EINVAL;
}

static int memory_op_zone(struct tool_ctx *t, const struct daxdev *d, enum mem_op op,
			  enum mem_zone_seen *zone)
{
	char node[64], p[160], buf[32], **names;
	uint64_t bsize;
	size_t n, i;
	int r, count = 0;

	if ((r = tool_read(t, SYSMEM "/block_size_bytes", buf, sizeof(buf))))
		return r;
	bsize = strtoull(buf, NULL, 16);
	snprintf(node, sizeof(node), "/sys/devices/system/node/node%d", d->target_node);
	if ((r = tool_list(t, node, &names, &n)))
		return r;
	for (i = 0; i < n; i++) {
		uint64_t idx, start;

		if (strncmp(names[i], "memory", 6) || !strncmp(names[i], "memory_", 7))
			continue;
		/* memblock_in_dev */
		snprintf(p, sizeof(p), SYSMEM "/%s/phys_index", names[i]);
		if ((r = tool_read(t, p, buf, sizeof(buf)))) {
			tool_errf(t, "libdaxctl: memblock_in_dev: %s: %s: Unable to determine phys_index: %s\n",
				  d->name, names[i], strerror(-r));
			goto out;
		}
		idx = strtoull(buf, NULL, 16);
		start = idx * bsize;
		if (start < d->resource || start > d->resource + d->size - 1)
			continue;
		r = block_op(t, d, node, names[i], op, zone);
		if (r < 0)
			goto out;
		if (r == 0)
			count++;
	}
	r = count;
out:
	tool_list_free(names, n);
	return r;
}

static int memory_op(struct tool_ctx *t, const struct daxdev *d, enum mem_op op)
{
	enum mem_zone_seen zone = ZSEEN_NONE;

	return memory_op_zone(t, d, op, &zone);
}

/* daxctl_memory_is_movable: 1 every block online in Movable, 0 not, < 0 */
static int memory_is_movable(struct tool_ctx *t, const struct daxdev *d)
{
	enum mem_zone_seen zone = ZSEEN_NONE;
	int r = memory_op_zone(t, d, OP_GET_ZONE, &zone);

	return r < 0 ? r : zone == ZSEEN_MOVABLE;
}

static bool is_ram(const struct daxdev *d)
{
	return !strcmp(d->driver, "kmem");
}

/* The device's memory blocks, all and online (what both the online and
 * the offline command look at first); 0 or the tool's error. */
static int dev_memory_counts(struct tool_ctx *t, const struct daxdev *d,
			     int *total, int *on)
{
	if (!is_ram(d)) {
		tool_errf(t, "%s: failed to get the memory object\n", d->name);
		return -ENXIO;
	}
	if ((*total = memory_op(t, d, OP_COUNT)) < 0) {
		tool_errf(t, "%s: failed to get number of memory sections\n", d->name);
		return *total;
	}
	if ((*on = memory_op(t, d, OP_IS_ONLINE)) < 0) {
		tool_errf(t, "%s: failed to determine online state: %s\n", d->name, strerror(-*on));
		return *on;
	}
	return 0;
}

static int dev_online_memory(struct tool_ctx *t, const struct daxdev *d, bool no_movable)
{
	int total, on, r;

	if ((r = dev_memory_counts(t, d, &total, &on)) < 0)
		return r;
	if (on)
		tool_errf(t, "%s:\n  WARNING: detected a race while onlining memory\n"
			  "  Some memory may not be in the expected zone. It is\n"
			  "  recommended to disable any other onlining mechanisms,\n"
			  "  and retry. If onlining is to be left to other agents,\n"
			  "  use the --no-online option to suppress this warning\n", d->name);
	if (on == total) {
		tool_errf(t, "%s: all memory sections (%d) already online\n", d->name, on);
		return 1;
	}
	if (on > 0)
		tool_errf(t, "%s: %d memory section%s already online\n", d->name, on,
			  on == 1 ? "" : "s");
	r = memory_op(t, d, no_movable ? OP_ONLINE_NORMAL : OP_ONLINE);
	if (r < 0) {
		tool_errf(t, "%s: failed to online memory: %s\n", d->name, strerror(-r));
		return r;
	}
	if ((on = memory_op(t, d, OP_IS_ONLINE)) < 0) {
		tool_errf(t, "%s: failed to determine online state: %s\n", d->name, strerror(-on));
		return on;
	}
	if (on < total) {
		tool_errf(t, "%s: failed to online %d memory sections\n", d->name, total - on);
		return -ENXIO;
	}
	return 0;
}

static int dev_offline_memory(struct tool_ctx *t, const struct daxdev *d)
{
	int total, on, off, r;

	if ((r = dev_memory_counts(t, d, &total, &on)) < 0)
		return r;
	off = total - on;
	if (off == total) {
		tool_errf(t, "%s: all memory sections (%d) already offline\n", d->name, off);
		return 1;
	}
	if (off)
		tool_errf(t, "%s: %d memory section%s already offline\n", d->name, off,
			  off == 1 ? "" : "s");
	r = memory_op(t, d, OP_OFFLINE);
	if (r < 0) {
		tool_errf(t, "%s: failed to offline memory: %s\n", d->name, strerror(-r));
		return r;
	}
	if ((on = memory_op(t, d, OP_IS_ONLINE)) < 0) {
		tool_errf(t, "%s: failed to determine online state: %s\n", d->name, strerror(-on));
		return on;
	}
	if (on) {
		tool_errf(t, "%s: failed to offline %d memory sections\n", d->name, on);
		return -ENXIO;
	}
	return 0;
}

/* ---- enable / disable (libdaxctl daxctl_dev_enable/disable) ----------- */

static int dev_disable(struct tool_ctx *t, struct daxdev *d)
{
	char p[160];

	if (!d->driver[0])
		return 0;
	/* daxctl_unbind: through the device's driver link */
	snprintf(p, sizeof(p), DAXDRVS "/%s/remove_id", d->driver);
	tool_write(t, p, d->name);
	snprintf(p, sizeof(p), DAXDRVS "/%s/unbind", d->driver);
	tool_write(t, p, d->name);
	tool_driver(t, d->path, d->driver, sizeof(d->driver));
	if (d->driver[0]) {
		tool_errf(t, "libdaxctl: daxctl_dev_disable: %s: failed to disable\n", d->name);
		return -EBUSY;
	}
	return 0;
}

static int dev_enable(struct tool_ctx *t, struct daxdev *d, const char *drv)
{
	char p[160], **names;
	size_t n, i;
	int r = 0;

	if (d->driver[0])
		return 0;
	/* daxctl_bind: the driver's entry in /sys/bus/dax/drivers */
	if ((r = tool_list(t, DAXDRVS, &names, &n)))
		return r;
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], drv))
			continue;
		snprintf(p, sizeof(p), DAXDRVS "/%s/new_id", drv);
		tool_write(t, p, d->name);
		snprintf(p, sizeof(p), DAXDRVS "/%s/bind", drv);
		r = (int)tool_write(t, p, d->name);
		break;
	}
	tool_list_free(names, n);
	tool_driver(t, d->path, d->driver, sizeof(d->driver));
	if (!d->driver[0]) {
		tool_errf(t, "libdaxctl: daxctl_dev_enable: %s: failed to enable\n", d->name);
		return r ? r : -ENXIO;
	}
	dev_load(t, d);
	return 0;
}

/* A hex number into one of the device's attributes, as libdaxctl's
 * setters write it; their message names the setter on failure. */
static int dev_write_hex(struct tool_ctx *t, const struct daxdev *d,
			 const char *attr, uint64_t value, const char *setter)
{
	char p[160], v[32];

	snprintf(p, sizeof(p), "%s/%s", d->path, attr);
	snprintf(v, sizeof(v), "%#llx\n", (unsigned long long)value);
	if (tool_write(t, p, v) < 0) {
		tool_errf(t, "libdaxctl: %s: %s: failed to set %s\n", setter, d->name, attr);
		return -ENXIO;
	}
	return 0;
}

static int dev_set_size(struct tool_ctx *t, struct daxdev *d, uint64_t size)
{
	int r = dev_write_hex(t, d, "size", size, "daxctl_dev_set_size");

	if (!r)
		d->size = size;
	return r;
}

static int dev_set_align(struct tool_ctx *t, struct daxdev *d, uint64_t align)
{
	int r = dev_write_hex(t, d, "align", align, "daxctl_dev_set_align");

	if (!r)
		d->align = align;
	return r;
}

/* ---- JSON (util_daxctl_dev_to_json, util_daxctl_region_to_json) ------- */

static struct tj *dev_json(struct tool_ctx *t, const struct daxdev *d, bool mappings)
{
	struct tj *j = tj_new(TJ_OBJ);
	char p[160];
	int i;

	tj_add(j, "chardev", tj_str(d->name));
	tj_add(j, "size", tj_u64(d->size));
	if (d->target_node >= 0)
		tj_add(j, "target_node", tj_int(d->target_node));
	if (d->align)
		tj_add(j, "align", tj_u64(d->align));
	tj_add(j, "mode", tj_str(is_ram(d) ? "system-ram" : "devdax"));
	if (is_ram(d)) {
		int total = memory_op(t, d, OP_COUNT), on = memory_op(t, d, OP_IS_ONLINE);

		int movable = memory_is_movable(t, d);

		if (total >= 0 && on >= 0) {
			tj_add(j, "online_memblocks", tj_int(on));
			tj_add(j, "total_memblocks", tj_int(total));
		}
		/* json-c booleans print as true / false; absent when a block
		 * is offline (its zone cannot be read) */
		if (movable >= 0)
			tj_add(j, "movable", tj_raw(movable ? "true" : "false"));
	}
	if (!d->driver[0])
		tj_add(j, "state", tj_str("disabled"));
	if (mappings) {
		struct tj *arr = tj_new(TJ_ARR);

		for (i = 0;; i++) {
			uint64_t start, end, pgoff;
			struct tj *m;

			snprintf(p, sizeof(p), "%s/mapping%d/start", d->path, i);
			if (tool_read_u64(t, p, &start))
				break;
			snprintf(p, sizeof(p), "%s/mapping%d/end", d->path, i);
			if (tool_read_u64(t, p, &end))
				break;
			snprintf(p, sizeof(p), "%s/mapping%d/page_offset", d->path, i);
			if (tool_read_u64(t, p, &pgoff))
				break;
			m = tj_add(arr, NULL, tj_new(TJ_OBJ));
			tj_add(m, "page_offset", tj_u64(pgoff));
			tj_add(m, "start", tj_u64(start));
			tj_add(m, "end", tj_u64(end));
			tj_add(m, "size", tj_u64(end - start + 1));
		}
		if (arr && arr->n)
			tj_add(j, "mappings", arr);
		else
			tj_free(arr);
	}
	return j;
}

static struct tj *region_json(struct tool_ctx *t, const struct daxdev *any)
{
	struct tj *j = tj_new(TJ_OBJ);
	enum scenario_entry_kind kind;
	unsigned int mode;
	char p[160], target[256] = "", *s;
	uint64_t v;

	/*
	 * "path": the device that holds the dax region (the device's
	 * parent), below /sys/devices as libdaxctl keeps it: observed
	 * "/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0/region0/dax0.0"
	 */
	if (!t->be->stat(t->state, any->path, &kind, &mode, target, sizeof(target)) &&
	    (s = strstr(target, "devices/"))) {
		char *slash = strrchr(s, '/');

		if (slash)
			*slash = '\0';
		snprintf(p, sizeof(p), "%s", s + strlen("devices"));
		tj_add(j, "path", tj_str(p));
	}
	tj_add(j, "id", tj_int(any->region));
	snprintf(p, sizeof(p), "%s/../dax_region/size", any->path);
	if (!tool_read_u64(t, p, &v))
		tj_add(j, "size", tj_u64(v));
	snprintf(p, sizeof(p), "%s/../dax_region/align", any->path);
	if (!tool_read_u64(t, p, &v))
		tj_add(j, "align", tj_u64(v));
	/* util_daxctl_region_to_json leaves a full region's 0 out */
	snprintf(p, sizeof(p), "%s/../dax_region/available_size", any->path);
	if (!tool_read_u64(t, p, &v) && v)
		tj_add(j, "available_size", tj_u64(v));
	return j;
}

/* ---- commands ----------------------------------------------------------- */

static int parse_mode(const char *m)
{
	if (!m)
		return 0;
	if (!strcmp(m, "system-ram"))
		return 2;
	if (!strcmp(m, "devdax"))
		return 1;
	return 0;
}

static int reconfig_mode(struct tool_ctx *t, const struct tool_cmdline *cl,
			 struct daxdev *d)
{
	const char *sz = tool_opt(cl, "size"), *al = tool_opt(cl, "align");
	bool force = tool_flag(cl, "force"), no_online = tool_flag(cl, "no-online");
	bool no_movable = tool_flag(cl, "no-movable");
	uint64_t v;
	int r, mode = parse_mode(tool_opt(cl, "mode"));

	if (al) {
		tool_parse_size(al, &v, NULL);
		if ((r = dev_set_align(t, d, v)) < 0)
			return r;
	}
	if (sz) {
		tool_parse_size(sz, &v, NULL);
		return dev_set_size(t, d, v);
	}
	if (mode == 2) {
		/* reconfig_mode_system_ram */
		int skip = 0;

		if (no_online || !no_movable) {
			char buf[32] = "";

			if (!force && !tool_read(t, SYSMEM "/auto_online_blocks", buf, sizeof(buf)) &&
			    !strncmp(buf, "online", 6)) {
				tool_errf(t, "%s: error: kernel policy will auto-online memory, aborting\n",
					  d->name);
				return -EBUSY;
			}
		}
		if (d->driver[0]) {
			if (is_ram(d)) {
				tool_errf(t, "%s was already in system-ram mode\n", d->name);
				skip = 1;
			} else if ((r = dev_disable(t, d))) {
				tool_errf(t, "%s: disable failed: %s\n", d->name, strerror(-r));
				return r;
			}
		}
		if (!skip && (r = dev_enable(t, d, "kmem")))
			return r;
		if (no_online)
			return 0;
		return dev_online_memory(t, d, no_movable);
	}
	if (mode == 1) {
		/* reconfig_mode_devdax */
		if (d->driver[0]) {
			if (!is_ram(d)) {
				tool_errf(t, "%s was already in devdax mode\n", d->name);
				return 1;
			}
			if (force && (r = dev_offline_memory(t, d)) < 0)
				return r;
			if ((r = memory_op(t, d, OP_IS_ONLINE)) < 0) {
				tool_errf(t, "%s: failed to determine online state: %s\n", d->name,
					  strerror(-r));
				return r;
			}
			if (r > 0)
				return -EBUSY;
			if ((r = dev_disable(t, d))) {
				tool_errf(t, "%s: disable failed: %s\n", d->name, strerror(-r));
				return r;
			}
		}
		return dev_enable(t, d, "device_dax");
	}
	tool_errf(t, "%s: unknown mode requested: 0\n", d->name);
	return -EINVAL;
}

/*
 * do_reconfig: a positive answer of the mode change ("already in
 * devdax mode", "all memory sections (N) already online") is a
 * success; the device's JSON replaces the list (the tool makes a new
 * array for each device, so only the last one is printed).
 */
static int do_reconfig(struct tool_ctx *t, const struct tool_cmdline *cl,
		       struct daxdev *d, struct tj **jdevs)
{
	int r = reconfig_mode(t, cl, d);

	if (r < 0 || tool_opt(cl, "size"))
		return r;
	tj_free(*jdevs);
	*jdevs = tj_new(TJ_ARR);
	tj_add(*jdevs, NULL, dev_json(t, d, false));
	return 0;
}

enum dev_action { ACT_RECONFIG, ACT_ONLINE, ACT_OFFLINE, ACT_ENABLE, ACT_DISABLE, ACT_DESTROY };

static int destroy_one(struct tool_ctx *t, const struct tool_cmdline *cl, struct daxdev *d)
{
	char p[200];
	int r;

	if (d->driver[0] && !tool_flag(cl, "force")) {
		tool_errf(t, "%s is active, specify --force for deletion\n", d->name);
		return -ENXIO;
	}
	if ((r = dev_disable(t, d))) {
		tool_errf(t, "%s: disable failed: %s\n", d->name, strerror(-r));
		return r;
	}
	if ((r = dev_set_size(t, d, 0)) < 0)
		return r;
	snprintf(p, sizeof(p), "%s/../dax_region/delete", d->path);
	r = (int)tool_write(t, p, d->name);
	/* the kernel keeps daxX.0: its delete's EBUSY is the tool's answer
	 * too (observed: exit status 240, "destroyed 0 devices") */
	return r < 0 ? r : 0;
}

static int xble_one(struct tool_ctx *t, struct daxdev *d, enum dev_action a)
{
	int r;

	if (is_ram(d)) {
		tool_errf(t, "%s: status operations are only applicable in devdax mode\n", d->name);
		return -ENXIO;
	}
	r = a == ACT_ENABLE ? dev_enable(t, d, "device_dax") : dev_disable(t, d);
	if (r)
		tool_errf(t, "%s: %s failed: %s\n", d->name, a == ACT_ENABLE ? "enable" : "disable",
			  strerror(-r));
	return r;
}

static int xaction_device(struct tool_ctx *t, const struct tool_cmdline *cl,
			  enum dev_action a)
{
	static const char *const what[] = {
		"reconfiguring devices", "onlining memory", "offlining memory",
		"enabling device", "disabling device", "destroying devices",
	};
	static const char *const done[] = {
		"reconfigured %d device%s\n", "onlined memory for %d device%s\n",
		"offlined memory for %d device%s\n", "enabled %d device%s\n",
		"disabled %d device%s\n", "destroyed %d device%s\n",
	};
	struct daxdev *v;
	struct tj *jdevs = NULL;
	size_t n, i;
	int r, rc = -ENXIO, processed = 0;

	if ((r = devs_load(t, &v, &n)))
		return r;
	for (i = 0; i < n; i++) {
		struct daxdev *d = &v[i];

		if (!region_match(d->region, tool_opt(cl, "region")) || !dev_match(d, cl->arg[0]))
			continue;
		switch (a) {
		case ACT_RECONFIG:
			rc = do_reconfig(t, cl, d, &jdevs);
			break;
		case ACT_ONLINE:
		case ACT_OFFLINE:
			if (!is_ram(d)) {
				tool_errf(t, "%s: memory operations are not applicable in devdax mode\n",
					  d->name);
				rc = -ENXIO;
			} else {
				rc = a == ACT_ONLINE ? dev_online_memory(t, d, tool_flag(cl, "no-movable"))
						     : dev_offline_memory(t, d);
			}
			break;
		case ACT_ENABLE:
		case ACT_DISABLE:
			rc = xble_one(t, d, a);
			break;
		case ACT_DESTROY:
			rc = destroy_one(t, cl, d);
			break;
		}
		if (rc == 0)
			processed++;
	}
	free(v);
	if (jdevs)
		tj_print_list(t, jdevs);
	tj_free(jdevs);
	/* the last device's answer is the tool's; none matched: -ENXIO */
	if (rc < 0)
		tool_errf(t, "error %s: %s\n", what[a], strerror(-rc));
	tool_errf(t, done[a], processed, processed == 1 ? "" : "s");
	return rc;
}

static int run_reconfig(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction_device(t, cl, ACT_RECONFIG);
}
static int run_online(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction_device(t, cl, ACT_ONLINE);
}
static int run_offline(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction_device(t, cl, ACT_OFFLINE);
}
static int run_enable(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction_device(t, cl, ACT_ENABLE);
}
static int run_disable(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction_device(t, cl, ACT_DISABLE);
}
static int run_destroy(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction_device(t, cl, ACT_DESTROY);
}

/* do_create for one region: create, read the seed, size, enable devdax. */
static int create_in_region(struct tool_ctx *t, const struct tool_cmdline *cl,
			    const struct daxdev *any, struct tj **jdevs)
{
	char p[200], seed[32];
	const char *sz = tool_opt(cl, "size"), *al = tool_opt(cl, "align");
	struct daxdev d;
	uint64_t val = 0;
	int r;

	snprintf(p, sizeof(p), "%s/../dax_region/create", any->path);
	if (tool_write(t, p, "1") < 0)
		return -ENOSPC;
	snprintf(p, sizeof(p), "%s/../dax_region/seed", any->path);
	if (tool_read(t, p, seed, sizeof(seed)) || !seed[0])
		return -ENOSPC;
	memset(&d, 0, sizeof(d));
	if (sscanf(seed, "dax%d.%d", &d.region, &d.id) != 2)
		return -ENOSPC;
	snprintf(d.name, sizeof(d.name), "%s", seed);
	snprintf(d.path, sizeof(d.path), DAXDEVS "/%s", seed);
	dev_load(t, &d);
	if (sz) {
		tool_parse_size(sz, &val, NULL);
	} else {
		snprintf(p, sizeof(p), "%s/../dax_region/available_size", any->path);
		if (tool_read_u64(t, p, &val))
			val = 0;
	}
	if (!val)
		return -ENOSPC;
	if (al) {
		uint64_t a;

		tool_parse_size(al, &a, NULL);
		if ((r = dev_set_align(t, &d, a)) < 0)
			return r;
	}
	if ((r = dev_set_size(t, &d, val)) < 0)
		return r;
	if ((r = dev_enable(t, &d, "device_dax"))) {
		tool_errf(t, "%s: enable failed: %s\n", d.name, strerror(-r));
		return r;
	}
	/* do_create: a new array per region, as do_reconfig */
	tj_free(*jdevs);
	*jdevs = tj_new(TJ_ARR);
	tj_add(*jdevs, NULL, dev_json(t, &d, false));
	return 0;
}

static int run_create(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	struct daxdev *v;
	struct tj *jdevs = NULL;
	size_t n, i;
	int r, rc = -ENXIO, processed = 0, last = -1;

	if ((r = devs_load(t, &v, &n)))
		return r;
	for (i = 0; i < n; i++) {
		if (v[i].region == last)
			continue;	/* one visit per region */
		last = v[i].region;
		if (!region_match(v[i].region, tool_opt(cl, "region")))
			continue;
		rc = create_in_region(t, cl, &v[i], &jdevs);
		if (rc == 0)
			processed++;
	}
	free(v);
	if (jdevs)
		tj_print_list(t, jdevs);
	tj_free(jdevs);
	if (rc < 0)
		tool_errf(t, "error creating devices: %s\n", strerror(-rc));
	tool_errf(t, "created %d device%s\n", processed, processed == 1 ? "" : "s");
	return rc;
}

static int run_list(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	bool regions = tool_flag(cl, "regions"), devices = tool_flag(cl, "devices");
	bool mappings = tool_flag(cl, "mappings"), idle = tool_flag(cl, "idle");
	struct tj *top = tj_new(TJ_ARR), *jr = NULL, *jd = NULL;
	struct daxdev *v;
	size_t n, i;
	int r, last = -1;

	if (!regions && !devices && !mappings)
		devices = true;
	if (mappings)
		devices = true;
	if ((r = devs_load(t, &v, &n))) {
		tj_free(top);
		return r;
	}
	for (i = 0; i < n; i++) {
		struct daxdev *d = &v[i];

		if (!region_match(d->region, tool_opt(cl, "region")))
			continue;
		if (regions && d->region != last) {
			last = d->region;
			jr = tj_add(top, NULL, region_json(t, d));
			jd = NULL;
		}
		if (!devices || !dev_match(d, tool_opt(cl, "dev")))
			continue;
		if (!idle && !d->size)
			continue;	/* an idle (size 0) device */
		if (regions) {
			if (!jd)
				jd = tj_add(jr, "devices", tj_new(TJ_ARR));
			tj_add(jd, NULL, dev_json(t, d, mappings));
		} else {
			tj_add(top, NULL, dev_json(t, d, mappings));
		}
	}
	free(v);
	tj_print_list(t, top);
	tj_free(top);
	return 0;
}

/* ---- options and checks (daxctl/device.c parse_device_options) -------- */

#define BASE_OPTS \
	{ 'r', "region", TOPT_STR, NULL }, \
	{ 'u', "human", TOPT_BOOL, "the human number format is not modelled" }, \
	{ 'v', "verbose", TOPT_BOOL, "libdaxctl's debug log is not modelled" }

static const struct tool_opt reconfig_opts[] = {
	BASE_OPTS,
	{ 's', "size", TOPT_STR, NULL },
	{ 'a', "align", TOPT_STR, NULL },
	{ 0, "input", TOPT_STR, "device JSON files are not modelled" },
	{ 'm', "mode", TOPT_STR, NULL },
	{ 'N', "no-online", TOPT_BOOL, NULL },
	{ 'f', "force", TOPT_BOOL, NULL },
	{ 'C', "check-config", TOPT_BOOL, "daxctl.conf is not modelled" },
	{ 0, "no-movable", TOPT_BOOL, NULL },
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt online_opts[] = {
	BASE_OPTS,
	{ 0, "no-movable", TOPT_BOOL, NULL },
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt base_opts[] = {
	BASE_OPTS,
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt destroy_opts[] = {
	BASE_OPTS,
	{ 'f', "force", TOPT_BOOL, NULL },
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt list_opts[] = {
	{ 'r', "region", TOPT_STR, NULL },
	{ 'd', "dev", TOPT_STR, NULL },
	{ 'D', "devices", TOPT_BOOL, NULL },
	{ 'R', "regions", TOPT_BOOL, NULL },
	{ 'M', "mappings", TOPT_BOOL, NULL },
	{ 'i', "idle", TOPT_BOOL, NULL },
	{ 'u', "human", TOPT_BOOL, "the human number format is not modelled" },
	{ 0, NULL, TOPT_BOOL, NULL },
};

static int check_size_align(const struct tool_cmdline *cl, char *err, size_t errlen)
{
	const char *names[] = { "size", "align" };
	uint64_t v;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *s = tool_opt(cl, names[i]);

		if (s && tool_parse_size(s, &v, NULL)) {
			/* the tool would silently drop it (__parse_size64: ULLONG_MAX) */
			snprintf(err, errlen, "daxctl %s: invalid --%s '%s' (a number with an optional k/m/g/t suffix)",
				 cl->cmd->name, names[i], s);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_reconfig(const struct tool_cmdline *cl, char *err, size_t errlen)
{
	if (!tool_opt(cl, "size") && !tool_opt(cl, "mode") && !tool_opt(cl, "align")) {
		snprintf(err, errlen, "daxctl reconfigure-device: error: a 'align', 'mode' or 'size' option is required");
		return -EINVAL;
	}
	if (!tool_opt(cl, "size") && parse_mode(tool_opt(cl, "mode")) == 1 &&
	    tool_flag(cl, "no-online")) {
		snprintf(err, errlen, "daxctl reconfigure-device: --no-online is incompatible with --mode=devdax");
		return -EINVAL;
	}
	return check_size_align(cl, err, errlen);
}

static int check_create(const struct tool_cmdline *cl, char *err, size_t errlen)
{
	if (tool_opt(cl, "mode") || tool_flag(cl, "no-online") || tool_flag(cl, "force")) {
		snprintf(err, errlen, "daxctl create-device: only -r, -s and -a are modelled (a new device is always devdax)");
		return -EINVAL;
	}
	return check_size_align(cl, err, errlen);
}

const struct tool_cmd daxctl_cmds[] = {
	{ "daxctl", "list", "daxctl list [<options>]", list_opts, false, NULL, run_list },
	{ "daxctl", "reconfigure-device", "daxctl reconfigure-device <device> [<options>]",
	  reconfig_opts, true, check_reconfig, run_reconfig },
	{ "daxctl", "online-memory", "daxctl online-memory <device> [<options>]",
	  online_opts, true, NULL, run_online },
	{ "daxctl", "offline-memory", "daxctl offline-memory <device> [<options>]",
	  base_opts, true, NULL, run_offline },
	{ "daxctl", "create-device", "daxctl create-device [<options>]",
	  reconfig_opts, false, check_create, run_create },
	{ "daxctl", "destroy-device", "daxctl destroy-device <device> [<options>]",
	  destroy_opts, true, NULL, run_destroy },
	{ "daxctl", "disable-device", "daxctl disable-device <device>",
	  base_opts, true, NULL, run_disable },
	{ "daxctl", "enable-device", "daxctl enable-device <device>",
	  base_opts, true, NULL, run_enable },
	{ NULL, NULL, NULL, NULL, false, NULL, NULL },
};
