/*
 * ndctl.c - hotmem's model of ndctl 76.1 (Debian 12): list,
 * create-namespace (new on a label region, or -e to reconfigure),
 * destroy-namespace, disable-namespace, enable-namespace, played
 * through a scenario backend's /sys/bus/nd with the tool's writes in
 * the tool's order, its checks, messages, JSON and exit status
 * (docs/device-memory.md, "ndctl").
 *
 * Contract: the decisions of ndctl/namespace.c and libndctl in order:
 * validate (capacity, the region's align, the size against the pfn
 * alignment, 16 MiB), prepare a reconfiguration (active needs -f; the
 * namespace and its pfn/dax claimer are disabled: unbind, detach with
 * "\n"; holder_class ""; the info block is zeroed through a raw
 * enable: force_raw 1, bind, force_raw 0, unbind), then set up
 * (label namespaces: uuid, alt_name, size, sector_size; holder_class;
 * the pfn/dax seed's uuid, mode, align, namespace; bind). Binding tries
 * every driver in /sys/bus/nd/drivers until one accepts, as ndctl_bind
 * does; unbinding writes to the bound driver's unbind. Random uuids are
 * deterministic here (derived from the device name). Model limits,
 * documented: no /dev (an info block is assumed present exactly when
 * the namespace is claimed by an enabled pfn/dax device; nothing is
 * ever mounted), no ioctls (DIMM health, firmware, labels: what list -D
 * shows of a DIMM is its sysfs nfit/ group).
 * Expected workload: a handful of regions and namespaces.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usertool.h"

#define NDDEVS "/sys/bus/nd/devices"
#define NDDRVS "/sys/bus/nd/drivers"
#define SZ_16M (16ull << 20)

enum ns_mode { MODE_RAW, MODE_SECTOR, MODE_FSDAX, MODE_DEVDAX, MODE_UNKNOWN };
static const char *const mode_names[] = { "raw", "sector", "fsdax", "devdax", "unknown" };

enum action { ACT_CREATE, ACT_DESTROY, ACT_DISABLE, ACT_ENABLE };

struct ndregion {
	char name[32], path[96];
	int id, bus;
	uint64_t size, resource, align, available;
	int nstype;		/* 4: io (label-less), 5: pmem (labels) */
	int mappings;
	bool enabled;
	uint64_t max_extent;	/* ~0: no max_available_extent */
	uint64_t cookie;	/* set_cookie: the iset_id */
	bool has_cookie;	/* only label (NFIT) regions have one */
};

struct ndns {
	char name[32], path[96];
	int region, id;
	uint64_t size, resource;	/* resource ~0: none */
	char uuid[40], mode[16], driver[32], alt_name[64];
	bool has_alt_name, has_sector_size;
	unsigned int sector_size;	/* the bracketed one; ~0u: none chosen */
};

/* A pfn/dax device of a region: its settings and claimed namespace. */
struct ndpfn {
	char name[32], path[96];
	char ns[32], driver[32], uuid[40];
	uint64_t align, size, resource;
};

struct ndctx {
	struct tool_ctx *t;
	const struct tool_cmdline *cl;
	const char *cmd_name;	/* "create namespace", ... for err() */
	int err_count;
};

/* ndctl's error() / err() / warning(): "  Error: MSG\n" (MSG ends in \n) */
#define nd_error(c, ...) tool_errf((c)->t, "  Error: " __VA_ARGS__)
#define nd_warning(c, ...) tool_errf((c)->t, "  Warning: " __VA_ARGS__)

static void nd_err(struct ndctx *c, const char *fmt, const char *a, const char *b)
{
	c->err_count++;
	tool_errf(c->t, "  Error: %s: ", c->cmd_name);
	tool_errf(c->t, fmt, a, b);
	tool_errf(c->t, "\n\n");
}

/* ---- discovery -------------------------------------------------------- */

/* The ndbusN a device lives on, from its link target ("-1": unknown). */
static int dev_bus(struct tool_ctx *t, const char *path)
{
	enum scenario_entry_kind kind;
	unsigned int mode;
	char target[256] = "";
	const char *s;
	int bus = -1;

	if (!t->be->stat(t->state, path, &kind, &mode, target, sizeof(target)) &&
	    (s = strstr(target, "/ndbus")))
		sscanf(s, "/ndbus%d", &bus);
	return bus;
}

static void region_load(struct tool_ctx *t, struct ndregion *r)
{
	char p[160], drv[32];

	snprintf(p, sizeof(p), "%s/size", r->path);
	if (tool_read_u64(t, p, &r->size))
		r->size = 0;
	snprintf(p, sizeof(p), "%s/resource", r->path);
	if (tool_read_u64(t, p, &r->resource))
		r->resource = ~0ull;
	snprintf(p, sizeof(p), "%s/align", r->path);
	if (tool_read_u64(t, p, &r->align))
		r->align = ~0ull;
	snprintf(p, sizeof(p), "%s/available_size", r->path);
	if (tool_read_u64(t, p, &r->available))
		r->available = ~0ull;	/* io regions have none */
	snprintf(p, sizeof(p), "%s/max_available_extent", r->path);
	if (tool_read_u64(t, p, &r->max_extent))
		r->max_extent = ~0ull;
	snprintf(p, sizeof(p), "%s/set_cookie", r->path);
	r->has_cookie = !tool_read_u64(t, p, &r->cookie);
	snprintf(p, sizeof(p), "%s/nstype", r->path);
	if (tool_read_int(t, p, &r->nstype))
		r->nstype = 0;
	snprintf(p, sizeof(p), "%s/mappings", r->path);
	if (tool_read_int(t, p, &r->mappings))
		r->mappings = 0;
	tool_driver(t, r->path, drv, sizeof(drv));
	r->enabled = drv[0] != '\0';
	r->bus = dev_bus(t, r->path);
}

static void ns_load(struct tool_ctx *t, struct ndns *n)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/size", n->path);
	if (tool_read_u64(t, p, &n->size))
		n->size = 0;
	snprintf(p, sizeof(p), "%s/resource", n->path);
	if (tool_read_u64(t, p, &n->resource))
		n->resource = ~0ull;
	snprintf(p, sizeof(p), "%s/uuid", n->path);
	if (tool_read(t, p, n->uuid, sizeof(n->uuid)))
		n->uuid[0] = '\0';
	snprintf(p, sizeof(p), "%s/mode", n->path);
	if (tool_read(t, p, n->mode, sizeof(n->mode)))
		n->mode[0] = '\0';
	snprintf(p, sizeof(p), "%s/alt_name", n->path);
	n->has_alt_name = !tool_read(t, p, n->alt_name, sizeof(n->alt_name));
	if (!n->has_alt_name)
		n->alt_name[0] = '\0';
	snprintf(p, sizeof(p), "%s/sector_size", n->path);
	{
		char buf[64], *b;

		n->has_sector_size = !tool_read(t, p, buf, sizeof(buf));
		b = n->has_sector_size ? strchr(buf, '[') : NULL;
		n->sector_size = b ? (unsigned int)strtoul(b + 1, NULL, 10) : ~0u;
	}
	tool_driver(t, n->path, n->driver, sizeof(n->driver));
}

static void pfn_load(struct tool_ctx *t, struct ndpfn *f)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/namespace", f->path);
	if (tool_read(t, p, f->ns, sizeof(f->ns)))
		f->ns[0] = '\0';
	snprintf(p, sizeof(p), "%s/uuid", f->path);
	if (tool_read(t, p, f->uuid, sizeof(f->uuid)))
		f->uuid[0] = '\0';
	snprintf(p, sizeof(p), "%s/align", f->path);
	if (tool_read_u64(t, p, &f->align))
		f->align = 0;
	snprintf(p, sizeof(p), "%s/size", f->path);
	if (tool_read_u64(t, p, &f->size))
		f->size = 0;
	snprintf(p, sizeof(p), "%s/resource", f->path);
	if (tool_read_u64(t, p, &f->resource))
		f->resource = ~0ull;
	tool_driver(t, f->path, f->driver, sizeof(f->driver));
}

/* The pfnN.M / daxN.M (prefix "pfn" or "dax") claiming ns, if any. */
static bool find_claimer(struct tool_ctx *t, const struct ndns *n, const char *prefix,
			 struct ndpfn *f)
{
	char **names, want[16];
	size_t cnt, i;
	bool found = false;

	if (tool_list(t, NDDEVS, &names, &cnt))
		return false;
	snprintf(want, sizeof(want), "%s%d.", prefix, n->region);
	for (i = 0; i < cnt && !found; i++) {
		if (strncmp(names[i], want, strlen(want)))
			continue;
		memset(f, 0, sizeof(*f));
		snprintf(f->name, sizeof(f->name), "%s", names[i]);
		snprintf(f->path, sizeof(f->path), NDDEVS "/%s", names[i]);
		pfn_load(t, f);
		found = !strcmp(f->ns, n->name);
	}
	tool_list_free(names, cnt);
	return found;
}

/* A region's seed pfn/dax device ("pfn_seed", "dax_seed"). */
static bool region_seed(struct tool_ctx *t, const struct ndregion *r, const char *attr,
			struct ndpfn *f)
{
	char p[160], name[32];

	snprintf(p, sizeof(p), "%s/%s", r->path, attr);
	if (tool_read(t, p, name, sizeof(name)) || !name[0])
		return false;
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->path, sizeof(f->path), NDDEVS "/%s", name);
	pfn_load(t, f);
	return true;
}

static int cmp_int2(int a1, int a2, int b1, int b2)
{
	return a1 != b1 ? (a1 > b1) - (a1 < b1) : (a2 > b2) - (a2 < b2);
}
static int cmp_region(const void *a, const void *b)
{
	const struct ndregion *x = a, *y = b;

	return cmp_int2(x->bus, x->id, y->bus, y->id);
}
static int cmp_ns(const void *a, const void *b)
{
	const struct ndns *x = a, *y = b;

	return cmp_int2(x->region, x->id, y->region, y->id);
}

struct ndtopo {
	struct ndregion *r;
	size_t nr;
	struct ndns *ns;
	size_t nns;
};

static void topo_free(struct ndtopo *tp)
{
	free(tp->r);
	free(tp->ns);
	memset(tp, 0, sizeof(*tp));
}

static int topo_load(struct tool_ctx *t, struct ndtopo *tp)
{
	char **names;
	size_t cnt, i;
	int r = tool_list(t, NDDEVS, &names, &cnt);

	memset(tp, 0, sizeof(*tp));
	if (r == -ENOENT)
		return 0;	/* no nd bus */
	if (r)
		return r;
	tp->r = calloc(cnt ? cnt : 1, sizeof(*tp->r));
	tp->ns = calloc(cnt ? cnt : 1, sizeof(*tp->ns));
	if (!tp->r || !tp->ns) {
		tool_list_free(names, cnt);
		topo_free(tp);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		int a, b;
		char tail;

		if (sscanf(names[i], "region%d%c", &a, &tail) == 1) {
			struct ndregion *rg = &tp->r[tp->nr++];

			rg->id = a;
			snprintf(rg->name, sizeof(rg->name), "%s", names[i]);
			snprintf(rg->path, sizeof(rg->path), NDDEVS "/%s", names[i]);
			region_load(t, rg);
		} else if (sscanf(names[i], "namespace%d.%d%c", &a, &b, &tail) == 2) {
			struct ndns *n = &tp->ns[tp->nns++];

			n->region = a;
			n->id = b;
			snprintf(n->name, sizeof(n->name), "%s", names[i]);
			snprintf(n->path, sizeof(n->path), NDDEVS "/%s", names[i]);
			ns_load(t, n);
		}
	}
	tool_list_free(names, cnt);
	qsort(tp->r, tp->nr, sizeof(*tp->r), cmp_region);
	qsort(tp->ns, tp->nns, sizeof(*tp->ns), cmp_ns);
	return 0;
}

/* util_region_filter: "all", "regionN" or N. */
static bool region_match(const struct ndregion *r, const char *ident)
{
	int n;
	char tail;

	if (!ident || !strcmp(ident, "all") || !strcmp(ident, r->name))
		return true;
	return sscanf(ident, "%d%c", &n, &tail) == 1 && n == r->id;
}

/* util_bus_filter: "all", "ndbusN", N, or the provider name. */
static bool bus_match(struct tool_ctx *t, int bus, const char *ident)
{
	char p[96], prov[64];
	int n;
	char tail;

	if (!ident || !strcmp(ident, "all"))
		return true;
	if ((sscanf(ident, "ndbus%d%c", &n, &tail) == 1 || sscanf(ident, "%d%c", &n, &tail) == 1))
		return n == bus;
	snprintf(p, sizeof(p), NDDEVS "/ndbus%d/provider", bus);
	return !tool_read(t, p, prov, sizeof(prov)) && !strcmp(prov, ident);
}

static enum ns_mode ns_get_mode(const struct ndns *n)
{
	if (!strcmp(n->mode, "memory"))
		return MODE_FSDAX;
	if (!strcmp(n->mode, "dax"))
		return MODE_DEVDAX;
	if (!strcmp(n->mode, "raw"))
		return MODE_RAW;
	if (!strcmp(n->mode, "safe"))
		return MODE_SECTOR;
	return MODE_UNKNOWN;
}

static enum ns_mode parse_mode(const char *s)
{
	/* util_nsmode: the current names and the old aliases */
	if (!strcmp(s, "raw"))
		return MODE_RAW;
	if (!strcmp(s, "sector") || !strcmp(s, "safe"))
		return MODE_SECTOR;
	if (!strcmp(s, "fsdax") || !strcmp(s, "memory"))
		return MODE_FSDAX;
	if (!strcmp(s, "devdax") || !strcmp(s, "dax"))
		return MODE_DEVDAX;
	return MODE_UNKNOWN;
}

/* ---- libndctl operations ---------------------------------------------- */

/* ndctl_bind: offer the device to every nd driver until one takes it. */
static int nd_bind(struct tool_ctx *t, const char *devname)
{
	char **names, p[160];
	size_t cnt, i;
	int r = 0;

	if ((r = tool_list(t, NDDRVS, &names, &cnt)))
		return -ENXIO;
	for (i = 0; i < cnt; i++) {
		snprintf(p, sizeof(p), NDDRVS "/%s/bind", names[i]);
		if (!(r = (int)tool_write(t, p, devname)))
			break;
	}
	tool_list_free(names, cnt);
	return r ? -ENXIO : 0;
}

/* ndctl_unbind: DEVICE/driver/unbind (the driver link's unbind file). */
static void nd_unbind(struct tool_ctx *t, const char *devname, const char *driver)
{
	char p[160];

	snprintf(p, sizeof(p), NDDRVS "/%s/unbind", driver[0] ? driver : "none");
	tool_write(t, p, devname);
}

static bool pfn_enabled(struct tool_ctx *t, struct ndpfn *f)
{
	tool_driver(t, f->path, f->driver, sizeof(f->driver));
	return f->driver[0] != '\0';
}

static bool ns_enabled(struct tool_ctx *t, struct ndns *n)
{
	tool_driver(t, n->path, n->driver, sizeof(n->driver));
	return n->driver[0] != '\0';
}

/* ndctl_namespace_is_active */
static bool ns_active(struct tool_ctx *t, struct ndns *n)
{
	struct ndpfn f;

	if (find_claimer(t, n, "pfn", &f))
		return pfn_enabled(t, &f);
	if (find_claimer(t, n, "dax", &f))
		return pfn_enabled(t, &f);
	return ns_enabled(t, n);
}

/* ndctl_pfn_delete / ndctl_dax_delete: unbind, then detach ("\n"). */
static int pfn_delete(struct tool_ctx *t, struct ndpfn *f)
{
	char p[160];

	tool_driver(t, f->path, f->driver, sizeof(f->driver));
	nd_unbind(t, f->name, f->driver);
	snprintf(p, sizeof(p), "%s/namespace", f->path);
	return (int)tool_write(t, p, "\n");
}

/* ndctl_namespace_disable_invalidate */
static int ns_disable_invalidate(struct tool_ctx *t, struct ndns *n)
{
	struct ndpfn f;
	int r = 0;

	if (find_claimer(t, n, "pfn", &f))
		r = pfn_delete(t, &f);
	if (find_claimer(t, n, "dax", &f))
		r = pfn_delete(t, &f);
	if (r)
		return r;
	if (!ns_enabled(t, n))
		return 0;
	nd_unbind(t, n->name, n->driver);
	if (ns_enabled(t, n)) {
		tool_errf(t, "libndctl: ndctl_namespace_disable: %s: failed to disable\n", n->name);
		return -EBUSY;
	}
	return 0;
}

/*
 * The device dax_pmem made for namespace N.M on the dax bus is daxN.M
 * (drivers/dax/pmem.c takes both numbers from the namespace's name),
 * whatever the nd dax device is called.
 */
static void dax_bus_name(const struct ndns *n, char *buf, size_t len)
{
	snprintf(buf, len, "dax%d.%d", n->region, n->id);
}

/* daxctl_dev_has_online_memory for the dax devices of a dax region */
static bool dax_has_online_memory(struct tool_ctx *t, const struct ndns *n)
{
	char p[200], **names, node[64], buf[32], name[32];
	uint64_t bsize, start, size, idx;
	size_t cnt, i;
	int nid;
	bool online = false;

	/* the dax bus device of the namespace, bound to kmem */
	dax_bus_name(n, name, sizeof(name));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s", name);
	tool_driver(t, p, buf, sizeof(buf));
	if (strcmp(buf, "kmem"))
		return false;
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/resource", name);
	if (tool_read_u64(t, p, &start))
		return false;
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/size", name);
	if (tool_read_u64(t, p, &size))
		return false;
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/target_node", name);
	if (tool_read_int(t, p, &nid))
		return false;
	if (tool_read(t, "/sys/devices/system/memory/block_size_bytes", buf, sizeof(buf)))
		return false;
	bsize = strtoull(buf, NULL, 16);
	snprintf(node, sizeof(node), "/sys/devices/system/node/node%d", nid);
	if (tool_list(t, node, &names, &cnt))
		return false;
	for (i = 0; i < cnt && !online; i++) {
		if (strncmp(names[i], "memory", 6) || !strncmp(names[i], "memory_", 7))
			continue;
		snprintf(p, sizeof(p), "/sys/devices/system/memory/%s/phys_index", names[i]);
		if (tool_read(t, p, buf, sizeof(buf)))
			continue;
		idx = strtoull(buf, NULL, 16);
		if (idx * bsize < start || idx * bsize > start + size - 1)
			continue;
		snprintf(p, sizeof(p), "%s/%s/state", node, names[i]);
		online = !tool_read(t, p, buf, sizeof(buf)) && !strncmp(buf, "online", 6);
	}
	tool_list_free(names, cnt);
	return online;
}

/* ndctl_namespace_disable_safe (nothing is ever mounted in the model) */
static int ns_disable_safe(struct tool_ctx *t, struct ndns *n)
{
	struct ndpfn f;

	if (find_claimer(t, n, "dax", &f) && pfn_enabled(t, &f) &&
	    dax_has_online_memory(t, n))
		return -EBUSY;	/* "active as system-ram, refusing to disable" */
	if (!find_claimer(t, n, "pfn", &f) && !find_claimer(t, n, "dax", &f) &&
	    !ns_enabled(t, n) && n->size == 0)
		return 0;
	return ns_disable_invalidate(t, n);
}

static void set_enforce_mode(struct tool_ctx *t, const struct ndns *n, enum ns_mode m)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/holder_class", n->path);
	tool_write(t, p, m == MODE_FSDAX ? "pfn" : m == MODE_DEVDAX ? "dax" :
			 m == MODE_SECTOR ? "btt" : "");
}

/* ndctl_namespace_enable: 0 enabled, 1 enabled through a claimer, < 0 */
static int ns_enable(struct tool_ctx *t, struct ndns *n)
{
	struct ndpfn f;
	int r;

	if (ns_enabled(t, n))
		return 0;
	r = nd_bind(t, n->name);
	if (ns_enabled(t, n))
		return 0;
	if ((find_claimer(t, n, "pfn", &f) || find_claimer(t, n, "dax", &f)) &&
	    pfn_enabled(t, &f))
		return 1;
	tool_errf(t, "libndctl: ndctl_namespace_enable: %s: failed to enable\n", n->name);
	return r ? r : -ENXIO;
}

/*
 * zero_info_block: 1 skipped, 0 zeroed, < 0 error. The model has no
 * media: an info block is there exactly when 'had_info' (the namespace
 * was claimed by an enabled pfn/dax device when the command started).
 */
static int zero_info_block(struct ndctx *c, struct ndns *n, bool had_info)
{
	struct tool_ctx *t = c->t;
	char p[160];
	int r;

	if (n->size == 0)
		return 1;
	snprintf(p, sizeof(p), "%s/force_raw", n->path);
	tool_write(t, p, "1\n");
	r = ns_enable(t, n);
	if (r < 0) {
		nd_err(c, "%s failed to enable for zeroing, continuing%s", n->name, "");
		r = 1;
	} else {
		r = had_info ? 0 : 1;
	}
	tool_write(t, p, "0\n");
	ns_disable_invalidate(t, n);
	return r;
}

/* namespace_prep_reconfig: < 0 error; 2 label namespace; 0/1 io */
static int prep_reconfig(struct ndctx *c, const struct ndregion *rg, struct ndns *n)
{
	struct tool_ctx *t = c->t;
	bool had_info, zeroed;
	int r;

	(void)rg;
	if (ns_active(t, n) && !tool_flag(c->cl, "force")) {
		nd_error(c, "%s is active, specify --force for re-configuration\n\n", n->name);
		return -EBUSY;
	}
	had_info = ns_active(t, n) && !ns_enabled(t, n);
	if ((r = ns_disable_safe(t, n)) < 0)
		return r;
	set_enforce_mode(t, n, MODE_RAW);
	if ((r = zero_info_block(c, n, had_info)) < 0)
		return r;
	zeroed = r == 0;
	if (rg->nstype == 5)
		return 2;
	return zeroed ? 0 : 1;
}

/* ---- JSON (util_namespace_to_json, util_region_to_json) --------------- */

static struct tj *daxregion_json(struct tool_ctx *t, const struct ndns *n)
{
	struct tj *j = tj_new(TJ_OBJ), *devs, *d;
	char p[200], buf[32], name[32];
	uint64_t v;
	int id, nid;

	dax_bus_name(n, name, sizeof(name));

	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/../dax_region/id", name);
	if (tool_read_int(t, p, &id)) {
		tj_free(j);
		return NULL;
	}
	tj_add(j, "id", tj_int(id));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/../dax_region/size", name);
	if (!tool_read_u64(t, p, &v))
		tj_add(j, "size", tj_u64(v));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/../dax_region/align", name);
	if (!tool_read_u64(t, p, &v))
		tj_add(j, "align", tj_u64(v));
	devs = tj_add(j, "devices", tj_new(TJ_ARR));
	d = tj_add(devs, NULL, tj_new(TJ_OBJ));
	tj_add(d, "chardev", tj_str(name));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/size", name);
	if (!tool_read_u64(t, p, &v))
		tj_add(d, "size", tj_u64(v));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/target_node", name);
	if (!tool_read_int(t, p, &nid))
		tj_add(d, "target_node", tj_int(nid));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s/align", name);
	if (!tool_read_u64(t, p, &v))
		tj_add(d, "align", tj_u64(v));
	snprintf(p, sizeof(p), "/sys/bus/dax/devices/%s", name);
	tool_driver(t, p, buf, sizeof(buf));
	tj_add(d, "mode", tj_str(!strcmp(buf, "kmem") ? "system-ram" : "devdax"));
	if (!buf[0])
		tj_add(d, "state", tj_str("disabled"));
	return j;
}

/* nvdimm_namespace_disk_name: the pmem disk is named after the namespace */
static void ns_disk_name(const struct ndns *n, char *buf, size_t len)
{
	if (n->id == 0)
		snprintf(buf, len, "pmem%d", n->region);
	else
		snprintf(buf, len, "pmem%d.%d", n->region, n->id);
}

/*
 * util_namespace_to_json: members in the tool's order - dev, mode, map
 * (not for raw), size and uuid (the pfn/dax device's when one claims
 * the namespace; a label namespace's own otherwise; none for the
 * label-less io namespace), sector_size (not for devdax; 512 when the
 * namespace has none chosen), align (pfn/dax), blockdev (the disk of an
 * enabled pfn device or namespace), state, name.
 */
static struct tj *ns_json(struct tool_ctx *t, struct ndns *n, bool daxflag)
{
	struct tj *j = tj_new(TJ_OBJ);
	struct ndpfn f;
	bool dax, pfn, bdev;
	enum ns_mode m;
	char p[160], loc[16] = "", blk[32];

	ns_load(t, n);
	dax = find_claimer(t, n, "dax", &f);
	pfn = !dax && find_claimer(t, n, "pfn", &f);
	m = dax ? MODE_DEVDAX : ns_get_mode(n);
	tj_add(j, "dev", tj_str(n->name));
	tj_add(j, "mode", tj_str(mode_names[m]));
	if (dax || pfn) {
		snprintf(p, sizeof(p), "%s/mode", f.path);
		tool_read(t, p, loc, sizeof(loc));
		tj_add(j, "map", tj_str(!strcmp(loc, "pmem") ? "dev" : "mem"));
		tj_add(j, "size", tj_u64(f.size));
		tj_add(j, "uuid", tj_str(f.uuid));
		/* an enabled dax device has a dax region: all of it with
		 * UTIL_JSON_DAX (create-namespace, list -X), else its chardev */
		if (dax && pfn_enabled(t, &f)) {
			if (daxflag) {
				tj_add(j, "daxregion", daxregion_json(t, n));
			} else {
				char name[32];

				dax_bus_name(n, name, sizeof(name));
				tj_add(j, "chardev", tj_str(name));
			}
		}
		bdev = pfn && pfn_enabled(t, &f);
	} else {
		if (m == MODE_FSDAX)
			tj_add(j, "map", tj_str("mem"));
		tj_add(j, "size", tj_u64(n->size));
		/* a label namespace has a uuid attribute, the io one has none */
		if (n->has_alt_name)
			tj_add(j, "uuid", tj_str(n->uuid[0] ? n->uuid :
						 "00000000-0000-0000-0000-000000000000"));
		bdev = ns_enabled(t, n);
	}
	if (!dax)
		tj_add(j, "sector_size", tj_u64(n->sector_size && n->sector_size != ~0u ?
						n->sector_size : 512));
	if ((dax || pfn) && f.align)
		tj_add(j, "align", tj_u64(f.align));
	if (bdev) {
		ns_disk_name(n, blk, sizeof(blk));
		tj_add(j, "blockdev", tj_str(blk));
	}
	if (!ns_active(t, n))
		tj_add(j, "state", tj_str("disabled"));
	if (n->alt_name[0])
		tj_add(j, "name", tj_str(n->alt_name));
	return j;
}

/* ---- create-namespace ----------------------------------------------- */

struct params {
	enum ns_mode mode;
	bool loc_ram;		/* --map=mem */
	uint64_t size, align, units;
	bool default_size;
	unsigned int sector_size;	/* 0 none, ~0u: the kernel has none */
	char uuid[40], name[64];
	bool auto_uuid;		/* no --uuid: made for the target namespace */
};

/* A deterministic stand-in for uuid_generate(): from the device name. */
static void make_uuid(const char *seed, char *out, size_t len)
{
	unsigned long long h = 1469598103934665603ull;
	const char *s;

	for (s = seed; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	snprintf(out, len, "%08llx-%04llx-4%03llx-8%03llx-%012llx",
		 h >> 32, (h >> 16) & 0xffff, h & 0xfff, (h >> 20) & 0xfff,
		 (h * 2654435761ull) & 0xffffffffffffull);
}

static bool align_supported(struct tool_ctx *t, const struct ndpfn *f, uint64_t align)
{
	char p[160], buf[160], *s, *end;

	snprintf(p, sizeof(p), "%s/supported_alignments", f->path);
	if (tool_read(t, p, buf, sizeof(buf)))
		return false;
	for (s = buf; *s;) {
		unsigned long long v = strtoull(s, &end, 0);

		if (end == s)
			break;
		if (v == align)
			return true;
		s = end;
	}
	return false;
}

/* validate_namespace_options; n NULL when creating */
static int validate(struct ndctx *c, struct ndregion *rg, struct ndns *n, struct params *p)
{
	struct tool_ctx *t = c->t;
	const char *sz = tool_opt(c->cl, "size"), *al = tool_opt(c->cl, "align");
	const char *mode = tool_opt(c->cl, "mode"), *map = tool_opt(c->cl, "map");
	struct ndpfn pfn, dax;
	bool has_pfn = false, has_dax = false;
	char hint[200];
	uint64_t ways, size_align;

	memset(p, 0, sizeof(*p));
	p->units = 1;
	if (!rg->enabled)
		return -EAGAIN;
	if (sz)
		tool_parse_size(sz, &p->size, &p->units);
	else if (n)
		p->size = n->size;
	else
		p->default_size = true;
	if (!n) {
		uint64_t avail = rg->nstype == 4 ? rg->size :
				 rg->available == ~0ull ? 0 : rg->available;

		if (!avail || p->size > avail)
			return -EAGAIN;
		if (!p->size)
			p->size = avail;
	}
	if (rg->nstype == 4 && p->size != rg->size) {
		nd_error(c, "Legacy / label-less namespaces do not support sub-dividing a region\n\n");
		nd_error(c, "Retry without -s/--size=\n\n");
		return -EINVAL;
	}
	if (tool_opt(c->cl, "uuid"))
		snprintf(p->uuid, sizeof(p->uuid), "%s", tool_opt(c->cl, "uuid"));
	else
		p->auto_uuid = true;
	snprintf(p->name, sizeof(p->name), "%s",
		 tool_opt(c->cl, "name") ? tool_opt(c->cl, "name") : n ? n->alt_name : "");
	if (mode)
		p->mode = parse_mode(mode);
	else if (n)
		p->mode = ns_get_mode(n);
	else
		p->mode = MODE_FSDAX;	/* set_defaults: pmem's default */
	if (p->mode == MODE_FSDAX) {
		has_pfn = region_seed(t, rg, "pfn_seed", &pfn);
		if (!has_pfn && !mode && !n) {
			nd_err(c, "%s fsdax mode not available%s", rg->name, "");
			p->mode = MODE_RAW;
		}
	} else if (p->mode == MODE_DEVDAX) {
		has_dax = region_seed(t, rg, "dax_seed", &dax);
		if (!has_dax) {
			nd_error(c, "Kernel does not support devdax mode\n\n");
			return -ENODEV;
		}
	}
	if (al) {
		const struct ndpfn *seed = p->mode == MODE_FSDAX ? &pfn : &dax;

		if (p->mode == MODE_FSDAX && !has_pfn) {
			nd_error(c, "Kernel does not support setting an alignment in fsdax mode\n\n");
			return -EINVAL;
		}
		if (p->mode != MODE_FSDAX && p->mode != MODE_DEVDAX) {
			nd_error(c, "%s mode does not support setting an alignment\n\n",
				 mode_names[p->mode]);
			return -ENXIO;
		}
		tool_parse_size(al, &p->align, NULL);
		if (!align_supported(t, seed, p->align)) {
			nd_error(c, "unsupported align: %s\n\n", al);
			return -ENXIO;
		}
	} else {
		struct ndpfn cur;

		if (n && p->mode == ns_get_mode(n) && find_claimer(t, n, "pfn", &cur))
			p->align = cur.align;
		else if (n && p->mode == ns_get_mode(n) && find_claimer(t, n, "dax", &cur))
			p->align = cur.align;
		else if (n && p->mode == ns_get_mode(n))
			p->align = 4096;
		else if (p->mode == MODE_FSDAX)
			p->align = has_pfn && pfn.align ? pfn.align : 2ull << 20;
		else if (p->mode == MODE_DEVDAX)
			p->align = dax.align;
		else
			p->align = 4096;
		if (!p->align)
			p->align = 4096;
		if (rg->resource != ~0ull && (rg->resource & (p->align - 1)))
			p->align = 4096;	/* "falling back to a page alignment" */
	}
	if (rg->align != ~0ull && rg->align && p->size % rg->align) {
		char a[40], s[40];

		snprintf(a, sizeof(a), "%#llx", (unsigned long long)rg->align);
		snprintf(s, sizeof(s), "%#llx", (unsigned long long)p->size);
		c->err_count++;
		tool_errf(t, "  Error: %s: %s: align setting is %s size %s is misaligned\n\n",
			  c->cmd_name, rg->name, a, s);
		return -EINVAL;
	}
	ways = rg->mappings > 1 ? (uint64_t)rg->mappings : 1;
	size_align = p->align;
	if (p->size % (size_align * ways)) {
		const char *suffix = p->units == 1ull << 10 ? "K" : p->units == 1ull << 20 ? "M" :
				     p->units == 1ull << 30 ? "G" : p->units == 1ull << 40 ? "T" : "";
		uint64_t s;

		size_align = (p->units > size_align ? p->units : size_align) * ways;
		s = (p->size / size_align + 1) * size_align / p->units;
		snprintf(hint, sizeof(hint), "'--size=' must align to interleave-width: %d and alignment: %llu\ndid you intend --size=%llu%s?",
			 (int)ways, (unsigned long long)p->align, (unsigned long long)s, suffix);
		nd_err(c, "%s%s", hint, "");
		return -EINVAL;
	}
	if (p->size < SZ_16M && p->mode != MODE_RAW) {
		if (p->default_size)
			return -EAGAIN;
		nd_error(c, "'--size=' must be >= 16MiB for '%s' mode\n\n", mode_names[p->mode]);
		return -EINVAL;
	}
	/*
	 * sector size: reconfiguring keeps the namespace's (none chosen or
	 * none offered: UINT_MAX, nothing written); a new pmem namespace
	 * gets 512 when the seed offers sizes
	 */
	if (n)
		p->sector_size = n->has_sector_size ? n->sector_size : 0;
	else
		p->sector_size = rg->nstype == 5 ? 512 : ~0u;
	p->loc_ram = map && !strcmp(map, "mem");
	if (map && n && p->mode != MODE_FSDAX && p->mode != MODE_DEVDAX) {
		nd_err(c, "%s: --map= only valid for fsdax mode namespace%s", n->name, "");
		return -EINVAL;
	}
	if (!has_pfn && p->mode == MODE_FSDAX &&
	    (!n || ns_get_mode(n) != MODE_FSDAX || !p->loc_ram)) {
		nd_error(c, "operation failed, %s cannot support requested mode\n\n", rg->name);
		return -EINVAL;
	}
	return 0;
}

/* try(): a failing write ends setup_namespace with "OP failed: ERR" */
static int try_write(struct ndctx *c, const char *dev, const char *op, const char *path,
		     const char *val)
{
	long r = tool_write(c->t, path, val);

	if (r < 0) {
		c->err_count++;
		tool_errf(c->t, "  Error: %s: %s: %s failed: %s\n\n", c->cmd_name, dev, op,
			  strerror((int)-r));
		return (int)r;
	}
	return 0;
}

static int setup_namespace(struct ndctx *c, struct ndregion *rg, struct ndns *n,
			   const struct params *p)
{
	struct tool_ctx *t = c->t;
	char path[160], val[64], uuid[40];
	struct ndpfn f;
	bool use_pfn;
	int r;

	if (rg->nstype == 5) {
		char nsuuid[40];

		snprintf(nsuuid, sizeof(nsuuid), "%s", p->uuid);
		if (p->auto_uuid) {
			char seed[160];

			/* a new one each time, as uuid_generate() gives */
			snprintf(seed, sizeof(seed), "%s:%s", n->path, n->uuid);
			make_uuid(seed, nsuuid, sizeof(nsuuid));
		}
		snprintf(path, sizeof(path), "%s/uuid", n->path);
		if ((r = try_write(c, n->name, "set_uuid", path, nsuuid)))
			return r;
		if (n->has_alt_name) {
			snprintf(path, sizeof(path), "%s/alt_name", n->path);
			if ((r = try_write(c, n->name, "set_alt_name", path, p->name)))
				return r;
		}
		if (ns_enabled(t, n)) {
			c->err_count++;
			tool_errf(t, "  Error: %s: %s: set_size failed: %s\n\n", c->cmd_name, n->name,
				  strerror(EBUSY));
			return -EBUSY;
		}
		snprintf(path, sizeof(path), "%s/size", n->path);
		snprintf(val, sizeof(val), "%#llx\n", (unsigned long long)p->size);
		if ((r = try_write(c, n->name, "set_size", path, val)))
			return r;
		n->size = p->size;
		/* namespace_set_size: a size change sets up or drops the
		 * namespace's 'resource', so libndctl reads it again */
		snprintf(path, sizeof(path), "%s/resource", n->path);
		if (tool_read_u64(t, path, &n->resource))
			n->resource = ~0ull;
	}
	if (p->sector_size && p->sector_size != ~0u && n->has_sector_size) {
		snprintf(path, sizeof(path), "%s/sector_size", n->path);
		snprintf(val, sizeof(val), "%u\n", p->sector_size);
		if ((r = try_write(c, n->name, "set_sector_size", path, val)))
			return r;
	}
	set_enforce_mode(t, n, p->mode);
	/* do_setup_pfn */
	use_pfn = p->mode == MODE_FSDAX && (ns_get_mode(n) != MODE_FSDAX || !p->loc_ram);
	if (use_pfn || p->mode == MODE_DEVDAX) {
		char seed[80];

		if (!region_seed(t, rg, use_pfn ? "pfn_seed" : "dax_seed", &f))
			return -ENXIO;
		snprintf(seed, sizeof(seed), "%s:%s", f.name, n->name);
		make_uuid(seed, uuid, sizeof(uuid));
		/* check_dax_align: the resource libndctl last read */
		if (n->resource == ~0ull) {
			nd_warning(c, "%s unable to validate alignment\n\n", n->name);
		} else if ((n->resource & (SZ_16M - 1)) && !tool_flag(c->cl, "force")) {
			nd_error(c, "%s misaligned to 16M, adjust region alignment and retry\n\n",
				 n->name);
			return -EINVAL;
		}
		snprintf(path, sizeof(path), "%s/uuid", f.path);
		if ((r = try_write(c, f.name, "set_uuid", path, uuid)))
			return r;
		snprintf(path, sizeof(path), "%s/mode", f.path);
		if ((r = try_write(c, f.name, "set_location", path, p->loc_ram ? "ram" : "pmem")))
			return r;
		snprintf(path, sizeof(path), "%s/align", f.path);
		snprintf(val, sizeof(val), "%llu\n", (unsigned long long)p->align);
		if ((r = try_write(c, f.name, "set_align", path, val)))
			return r;
		snprintf(path, sizeof(path), "%s/namespace", f.path);
		if ((r = try_write(c, f.name, "set_namespace", path, n->name)))
			return r;
		r = nd_bind(t, f.name);
		if (!pfn_enabled(t, &f)) {
			tool_errf(t, "libndctl: ndctl_%s_enable: %s: failed to enable\n",
				  use_pfn ? "pfn" : "dax", f.name);
			if (!r)
				r = -ENXIO;
			tool_write(t, path, "\n");	/* autorecover: detach */
		} else {
			r = 0;
		}
	} else {
		r = ns_enable(t, n);
		if (r > 0)
			r = 0;
	}
	if (r) {
		nd_error(c, "%s: failed to enable\n\n", n->name);
		return r;
	}
	{
		struct tj *j = ns_json(t, n, true);

		if (j)
			tj_print(&t->out, j);
		tj_free(j);
	}
	return 0;
}

/* region_get_namespace: namespace N.0 if idle, else the seed */
static struct ndns *create_target(struct ndctx *c, struct ndtopo *tp, struct ndregion *rg)
{
	char p[160], seed[32];
	size_t i;

	for (i = 0; i < tp->nns; i++) {
		struct ndns *n = &tp->ns[i];

		if (n->region == rg->id && n->id == 0 && rg->nstype == 5 && !n->size &&
		    !ns_active(c->t, n))
			return n;
	}
	snprintf(p, sizeof(p), "%s/namespace_seed", rg->path);
	if (tool_read(c->t, p, seed, sizeof(seed)))
		return NULL;
	for (i = 0; i < tp->nns; i++) {
		struct ndns *n = &tp->ns[i];

		/* configuration idle: a label namespace with no capacity */
		if (!strcmp(n->name, seed) && rg->nstype == 5 && !n->size && !ns_active(c->t, n))
			return n;
	}
	return NULL;
}

static int namespace_create(struct ndctx *c, struct ndtopo *tp, struct ndregion *rg)
{
	struct params p;
	struct ndns *n;
	int r;

	if ((r = validate(c, rg, NULL, &p)))
		return r;
	if (!(n = create_target(c, tp, rg)))
		return -EAGAIN;
	r = setup_namespace(c, rg, n, &p);
	if (r) {
		char path[160];

		/* autorecover: raw holder class, give the capacity back */
		set_enforce_mode(c->t, n, MODE_RAW);
		if (!ns_enabled(c->t, n) && rg->nstype == 5) {
			snprintf(path, sizeof(path), "%s/size", n->path);
			tool_write(c->t, path, "0x0\n");
		}
	}
	return r;
}

static int namespace_reconfig(struct ndctx *c, struct ndregion *rg, struct ndns *n)
{
	struct params p;
	int r;

	if ((r = validate(c, rg, n, &p)))
		return r;
	if ((r = prep_reconfig(c, rg, n)) < 0)
		return r;
	/* enable_labels: an io region has no DIMMs to label (-ENODEV) */
	return setup_namespace(c, rg, n, &p);
}

static int namespace_destroy(struct ndctx *c, struct ndregion *rg, struct ndns *n)
{
	uint64_t size;
	int r;

	if ((r = prep_reconfig(c, rg, n)) < 0)
		return r;
	size = n->size;
	if (r == 2) {
		char path[160];

		/* ndctl_namespace_delete: only when disabled */
		r = 0;
		if (!ns_enabled(c->t, n)) {
			snprintf(path, sizeof(path), "%s/size", n->path);
			r = tool_write(c->t, path, "0x0\n") < 0;
		}
	}
	if (size == 0 && r == 0)
		r = 1;
	return r;
}

static int xaction(struct tool_ctx *t, const struct tool_cmdline *cl, enum action a)
{
	static const char *const names[] = {
		"create namespace", "destroy namespace", "disable namespace", "enable namespace",
	};
	struct ndctx c = { .t = t, .cl = cl, .cmd_name = names[a] };
	const char *target = a == ACT_CREATE ? tool_opt(cl, "reconfig") : cl->arg[0];
	struct ndtopo tp;
	size_t i, k;
	int r, rc = -ENXIO, processed = 0;

	if ((r = topo_load(t, &tp)))
		return r;
	if (target && !strcmp(target, "all"))
		rc = 0;
	for (i = 0; i < tp.nr; i++) {
		struct ndregion *rg = &tp.r[i];

		if (!bus_match(t, rg->bus, tool_opt(cl, "bus")) ||
		    !region_match(rg, tool_opt(cl, "region")))
			continue;
		if (a == ACT_CREATE && !target) {
			rc = namespace_create(&c, &tp, rg);
			if (rc == -EAGAIN)
				continue;
			if (rc == 0)
				processed++;
			goto done;
		}
		for (k = 0; k < tp.nns; k++) {
			struct ndns *n = &tp.ns[k];

			if (n->region != rg->id)
				continue;
			if (!strcmp(target, "all")) {
				if (!n->size && !n->uuid[0])
					continue;
			} else if (strcmp(target, n->name)) {
				continue;
			}
			switch (a) {
			case ACT_CREATE:
				rc = namespace_reconfig(&c, rg, n);
				if (rc == 0)
					processed = 1;
				goto done;
			case ACT_DISABLE:
				rc = ns_disable_safe(t, n);
				if (rc == 0)
					processed++;
				break;
			case ACT_ENABLE:
				rc = ns_enable(t, n);
				if (rc >= 0) {
					processed++;
					rc = 0;
				}
				break;
			case ACT_DESTROY:
				rc = namespace_destroy(&c, rg, n);
				if (rc == 0)
					processed++;
				if (rc > 0)
					rc = 0;
				break;
			}
		}
	}
	if (a == ACT_CREATE && rc == -EAGAIN)
		rc = -ENOSPC;
done:
	topo_free(&tp);
	switch (a) {
	case ACT_CREATE:
		if ((rc < 0 || (!target && processed < 1)) && !c.err_count) {
			tool_errf(t, "failed to %s namespace: %s\n", target ? "reconfigure" : "create",
				  strerror(-rc));
			if (!target)
				rc = -ENODEV;
		}
		break;
	case ACT_DESTROY:
	case ACT_DISABLE:
	case ACT_ENABLE:
		if (rc < 0 && !c.err_count)
			tool_errf(t, "error %s namespaces: %s\n",
				  a == ACT_DESTROY ? "destroying" : a == ACT_DISABLE ? "disabling" : "enabling",
				  strerror(-rc));
		tool_errf(t, "%s %d namespace%s\n",
			  a == ACT_DESTROY ? "destroyed" : a == ACT_DISABLE ? "disabled" : "enabled",
			  processed, processed == 1 ? "" : "s");
		break;
	}
	return rc;
}

static int run_create(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction(t, cl, ACT_CREATE);
}
static int run_destroy(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction(t, cl, ACT_DESTROY);
}
static int run_disable(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction(t, cl, ACT_DISABLE);
}
static int run_enable(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	return xaction(t, cl, ACT_ENABLE);
}

/* ---- list ------------------------------------------------------------- */

/* A DIMM as list -D shows it (util_dimm_to_json without ioctls). */
struct nddimm {
	char name[32], id[32];
	int nr, bus;
	uint64_t handle, phys_id;
};

/* util_dimm_filter: "all", N or "nmemN"; the unique id "8680-..." that
 * list prints selects nothing (observed, ndctl 76.1 on QEMU's NFIT) */
static bool dimm_match(const struct nddimm *d, const char *ident)
{
	int n;
	char tail;

	if (!ident || !strcmp(ident, "all"))
		return true;
	if (sscanf(ident, "nmem%d%c", &n, &tail) == 1 || sscanf(ident, "%d%c", &n, &tail) == 1)
		return n == d->nr;
	return false;
}

/* The nmem devices, newest first: libndctl's order with two DIMMs
 * (observed; with three it differs, docs/device-memory.md) */
static int dimms_load(struct tool_ctx *t, struct nddimm **out, size_t *nr)
{
	char **names, p[160];
	size_t cnt, i, k;
	struct nddimm *d;
	int r = tool_list(t, NDDEVS, &names, &cnt);

	*out = NULL;
	*nr = 0;
	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	d = calloc(cnt ? cnt : 1, sizeof(*d));
	if (!d) {
		tool_list_free(names, cnt);
		return -ENOMEM;
	}
	for (i = 0; i < cnt; i++) {
		struct nddimm *x = &d[*nr];
		char tail;

		if (sscanf(names[i], "nmem%d%c", &x->nr, &tail) != 1)
			continue;
		snprintf(x->name, sizeof(x->name), "%s", names[i]);
		snprintf(p, sizeof(p), NDDEVS "/%s/nfit/id", names[i]);
		if (tool_read(t, p, x->id, sizeof(x->id)))
			x->id[0] = '\0';
		snprintf(p, sizeof(p), NDDEVS "/%s/nfit/handle", names[i]);
		if (tool_read_u64(t, p, &x->handle))
			x->handle = 0;
		snprintf(p, sizeof(p), NDDEVS "/%s/nfit/phys_id", names[i]);
		if (tool_read_u64(t, p, &x->phys_id))
			x->phys_id = 0;
		snprintf(p, sizeof(p), NDDEVS "/%s", names[i]);
		x->bus = dev_bus(t, p);
		/* insertion in descending id order: a handful of DIMMs */
		for (k = *nr; k > 0 && d[k - 1].nr < d[k].nr; k--) {
			struct nddimm tmp = d[k - 1];

			d[k - 1] = d[k];
			d[k] = tmp;
		}
		(*nr)++;
	}
	tool_list_free(names, cnt);
	*out = d;
	return 0;
}

static struct tj *dimm_json(const struct nddimm *d)
{
	struct tj *j = tj_new(TJ_OBJ);

	tj_add(j, "dev", tj_str(d->name));
	tj_add(j, "id", tj_str(d->id));
	tj_add(j, "handle", tj_u64(d->handle));
	tj_add(j, "phys_id", tj_u64(d->phys_id));
	return j;
}

static bool region_mapping(struct tool_ctx *t, const struct ndregion *rg, int i,
			   char *dimm, size_t dimmlen, uint64_t v[3]);

/* -r: a DIMM passes when a matching region maps it (observed) */
static bool dimm_region_match(struct tool_ctx *t, const struct ndtopo *tp,
			      const struct nddimm *d, const char *region)
{
	char dimm[32];
	uint64_t v[3];
	size_t k;
	int i;

	if (!region)
		return true;
	for (k = 0; k < tp->nr; k++) {
		if (!region_match(&tp->r[k], region))
			continue;
		for (i = 0; i < tp->r[k].mappings; i++)
			if (region_mapping(t, &tp->r[k], i, dimm, sizeof(dimm), v) &&
			    !strcmp(dimm, d->name))
				return true;
	}
	return false;
}

/* The DIMMs of bus (-1: all) that the -d and -r filters let through. */
static struct tj *dimms_json(struct tool_ctx *t, const struct ndtopo *tp,
			     const struct nddimm *d, size_t nr, int bus,
			     const char *ident, const char *region)
{
	struct tj *arr = NULL;
	size_t i;

	for (i = 0; i < nr; i++) {
		if ((bus >= 0 && d[i].bus != bus) || !dimm_match(&d[i], ident) ||
		    !dimm_region_match(t, tp, &d[i], region))
			continue;
		if (!arr)
			arr = tj_new(TJ_ARR);
		tj_add(arr, NULL, dimm_json(&d[i]));
	}
	return arr;
}

/* A region's mappingN: "nmemN,offset,length,position"; false past the last */
static bool region_mapping(struct tool_ctx *t, const struct ndregion *rg, int i,
			   char *dimm, size_t dimmlen, uint64_t v[3])
{
	char p[160], buf[96], *c;
	unsigned long long a, b, pos;

	snprintf(p, sizeof(p), "%s/mapping%d", rg->path, i);
	if (tool_read(t, p, buf, sizeof(buf)) || !(c = strchr(buf, ',')) ||
	    sscanf(c + 1, "%llu,%llu,%llu", &a, &b, &pos) != 3)
		return false;
	*c = '\0';
	snprintf(dimm, dimmlen, "%.31s", buf);
	v[0] = a;
	v[1] = b;
	v[2] = pos;
	return true;
}

/* -d: a region passes when one of its mappings is on a matching DIMM */
static bool region_dimm_match(struct tool_ctx *t, const struct ndregion *rg,
			      const struct nddimm *d, size_t nr, const char *ident)
{
	char dimm[32];
	uint64_t v[3];
	size_t k;
	int i;

	if (!ident)
		return true;
	for (i = 0; i < rg->mappings; i++) {
		if (!region_mapping(t, rg, i, dimm, sizeof(dimm), v))
			continue;
		for (k = 0; k < nr; k++)
			if (!strcmp(d[k].name, dimm) && dimm_match(&d[k], ident))
				return true;
	}
	return false;
}

/* list -D adds each region's mappings */
static void region_mappings_json(struct tool_ctx *t, const struct ndregion *rg, struct tj *jr)
{
	struct tj *arr = NULL;
	char dimm[32];
	uint64_t v[3];
	int i;

	for (i = 0; i < rg->mappings; i++) {
		struct tj *jm;

		if (!region_mapping(t, rg, i, dimm, sizeof(dimm), v))
			continue;
		if (!arr)
			arr = tj_add(jr, "mappings", tj_new(TJ_ARR));
		jm = tj_add(arr, NULL, tj_new(TJ_OBJ));
		tj_add(jm, "dimm", tj_str(dimm));
		tj_add(jm, "offset", tj_u64(v[0]));
		tj_add(jm, "length", tj_u64(v[1]));
		tj_add(jm, "position", tj_u64(v[2]));
	}
}

static struct tj *region_json(struct tool_ctx *t, const struct ndregion *rg, bool dimms)
{
	struct tj *j = tj_new(TJ_OBJ);

	tj_add(j, "dev", tj_str(rg->name));
	tj_add(j, "size", tj_u64(rg->size));
	if (rg->align != ~0ull)
		tj_add(j, "align", tj_u64(rg->align));
	/* e820 regions have no available_size file: 0 (observed) */
	tj_add(j, "available_size", tj_u64(rg->available == ~0ull ? 0 : rg->available));
	if (rg->max_extent != ~0ull)
		tj_add(j, "max_available_extent", tj_u64(rg->max_extent));
	tj_add(j, "type", tj_str("pmem"));
	/* numa_node and target_node only with --verbose (refused) */
	if (!rg->enabled)
		tj_add(j, "state", tj_str("disabled"));
	/* json-c's int64 */
	if (rg->has_cookie)
		tj_add(j, "iset_id", tj_int((long long)rg->cookie));
	if (dimms)
		region_mappings_json(t, rg, j);
	/* no persistence_domain file on either kind of region: "unknown" */
	tj_add(j, "persistence_domain", tj_str("unknown"));
	return j;
}

static int run_list(struct tool_ctx *t, const struct tool_cmdline *cl)
{
	bool regions = tool_flag(cl, "regions"), nss = tool_flag(cl, "namespaces");
	bool buses = tool_flag(cl, "buses"), idle = tool_flag(cl, "idle");
	bool dimms = tool_flag(cl, "dimms");
	const char *want_ns = tool_opt(cl, "namespace"), *want_mode = tool_opt(cl, "mode");
	const char *want_dimm = tool_opt(cl, "dimm");
	struct tj *top = tj_new(TJ_ARR), *jbus = NULL, *jregs = NULL, *jdimms = NULL;
	struct ndtopo tp;
	struct nddimm *dv = NULL;
	size_t i, k, ndimm = 0;
	int r, last_bus = -2;
	bool any_ns = false;

	/* nothing asked for: -d alone lists DIMMs (observed), else namespaces */
	if (!regions && !buses && !dimms) {
		if (want_dimm)
			dimms = true;
		else
			nss = true;
	}
	if ((r = topo_load(t, &tp))) {
		tj_free(top);
		return r;
	}
	if ((r = dimms_load(t, &dv, &ndimm))) {
		topo_free(&tp);
		tj_free(top);
		return r;
	}
	if (dimms && !buses)
		jdimms = dimms_json(t, &tp, dv, ndimm, -1, want_dimm, tool_opt(cl, "region"));
	for (i = 0; i < tp.nr; i++) {
		struct ndregion *rg = &tp.r[i];
		struct tj *jr = NULL, *jns = NULL;

		if (!bus_match(t, rg->bus, tool_opt(cl, "bus")) ||
		    !region_match(rg, tool_opt(cl, "region")) ||
		    !region_dimm_match(t, rg, dv, ndimm, want_dimm))
			continue;
		if (buses && rg->bus != last_bus) {
			char p[96], prov[64] = "";

			last_bus = rg->bus;
			jbus = tj_add(top, NULL, tj_new(TJ_OBJ));
			snprintf(p, sizeof(p), NDDEVS "/ndbus%d/provider", rg->bus);
			tool_read(t, p, prov, sizeof(prov));
			tj_add(jbus, "provider", tj_str(prov));
			snprintf(p, sizeof(p), "ndbus%d", rg->bus);
			tj_add(jbus, "dev", tj_str(p));
			jregs = NULL;
			if (dimms) {
				struct tj *jd = dimms_json(t, &tp, dv, ndimm, rg->bus, want_dimm,
							   tool_opt(cl, "region"));

				if (jd)
					tj_add(jbus, "dimms", jd);
			}
		}
		if (!idle && !rg->enabled)
			continue;
		if (regions) {
			jr = region_json(t, rg, dimms);
			if (buses) {
				if (!jregs)
					jregs = tj_add(jbus, "regions", tj_new(TJ_ARR));
				tj_add(jregs, NULL, jr);
			} else {
				tj_add(top, NULL, jr);
			}
		}
		if (!nss)
			continue;
		for (k = 0; k < tp.nns; k++) {
			struct ndns *n = &tp.ns[k];
			struct tj *jn;
			struct ndpfn f;
			enum ns_mode m;

			if (n->region != rg->id)
				continue;
			if (want_ns && strcmp(want_ns, "all") && strcmp(want_ns, n->name))
				continue;
			m = find_claimer(t, n, "dax", &f) ? MODE_DEVDAX : ns_get_mode(n);
			if (want_mode && parse_mode(want_mode) != m)
				continue;
			if (!idle && !ns_active(t, n))
				continue;
			jn = ns_json(t, n, false);
			if (regions) {
				if (!jns)
					jns = tj_add(jr, "namespaces", tj_new(TJ_ARR));
				tj_add(jns, NULL, jn);
				any_ns = true;
			} else if (buses) {
				struct tj *b = jbus->last && jbus->last->key &&
					       !strcmp(jbus->last->key, "namespaces") ? jbus->last : NULL;

				if (!b)
					b = tj_add(jbus, "namespaces", tj_new(TJ_ARR));
				tj_add(b, NULL, jn);
			} else {
				tj_add(top, NULL, jn);
			}
		}
	}
	topo_free(&tp);
	free(dv);
	/*
	 * list_display: regions that hold listed namespaces are printed as
	 * the "platform" object {"regions":[...]}; a lone kind as an array.
	 * DIMMs beside regions or namespaces: {"dimms":[...],"regions":[...]}
	 */
	if (jdimms && top && !top->child) {
		tj_free(top);
		top = jdimms;
		jdimms = NULL;
	} else if (jdimms) {
		struct tj *plat = tj_new(TJ_OBJ);

		if (!plat) {
			tj_free(jdimms);
			tj_free(top);
			return -ENOMEM;
		}
		tj_add(plat, "dimms", jdimms);
		tj_add(plat, regions ? "regions" : "namespaces", top);
		tj_print(&t->out, plat);
		tj_free(plat);
		return 0;
	}
	if (!buses && regions && any_ns) {
		struct tj *plat = tj_new(TJ_OBJ);

		if (plat && top) {
			tj_add(plat, "regions", top);
			tj_print(&t->out, plat);
			tj_free(plat);
			return 0;
		}
		tj_free(plat);
	}
	tj_print_list(t, top);
	tj_free(top);
	return 0;
}

/* ---- options and checks (parse_namespace_options, set_defaults) -------- */

#define NS_BASE_OPTS \
	{ 'b', "bus", TOPT_STR, NULL }, \
	{ 'r', "region", TOPT_STR, NULL }, \
	{ 'v', "verbose", TOPT_BOOL, "libndctl's debug log is not modelled" }

static const struct tool_opt create_opts[] = {
	NS_BASE_OPTS,
	{ 'e', "reconfig", TOPT_STR, NULL },
	{ 'u', "uuid", TOPT_STR, NULL },
	{ 'n', "name", TOPT_STR, NULL },
	{ 's', "size", TOPT_STR, NULL },
	{ 'm', "mode", TOPT_STR, NULL },
	{ 'M', "map", TOPT_STR, NULL },
	{ 'l', "sector-size", TOPT_STR, "btt and sector sizes are not modelled" },
	{ 't', "type", TOPT_STR, NULL },
	{ 'a', "align", TOPT_STR, NULL },
	{ 'f', "force", TOPT_BOOL, NULL },
	{ 'L', "autolabel", TOPT_BOOL, "label initialization (DIMM ioctls) is not modelled" },
	{ 'c', "continue", TOPT_BOOL, "greedy creation is not modelled" },
	{ 'R', "autorecover", TOPT_BOOL, NULL },
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt destroy_opts[] = {
	NS_BASE_OPTS,
	{ 'f', "force", TOPT_BOOL, NULL },
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt xable_opts[] = {
	NS_BASE_OPTS,
	{ 0, NULL, TOPT_BOOL, NULL },
};
static const struct tool_opt list_opts[] = {
	{ 'b', "bus", TOPT_STR, NULL },
	{ 'r', "region", TOPT_STR, NULL },
	{ 'd', "dimm", TOPT_STR, NULL },
	{ 'n', "namespace", TOPT_STR, NULL },
	{ 'm', "mode", TOPT_STR, NULL },
	{ 't', "type", TOPT_STR, "all modelled regions are pmem" },
	{ 'U', "numa-node", TOPT_STR, "the NUMA filter is not modelled" },
	{ 'B', "buses", TOPT_BOOL, NULL },
	{ 'D', "dimms", TOPT_BOOL, NULL },
	{ 'F', "firmware", TOPT_BOOL, "DIMM firmware (ioctls) is not modelled" },
	{ 'H', "health", TOPT_BOOL, "DIMM health (ioctls) is not modelled" },
	{ 'R', "regions", TOPT_BOOL, NULL },
	{ 'N', "namespaces", TOPT_BOOL, NULL },
	{ 'X', "device-dax", TOPT_BOOL, "not modelled; use daxctl list" },
	{ 'C', "capabilities", TOPT_BOOL, "region capabilities are not modelled" },
	{ 'i', "idle", TOPT_BOOL, NULL },
	{ 'c', "configured", TOPT_BOOL, "not modelled; use -i" },
	{ 'M', "media-errors", TOPT_BOOL, "badblocks are not modelled" },
	{ 'u', "human", TOPT_BOOL, "the human number format is not modelled" },
	{ 'v', "verbose", TOPT_BOOL, "not modelled" },
	{ 0, NULL, TOPT_BOOL, NULL },
};

static int check_create(const struct tool_cmdline *cl, char *err, size_t errlen)
{
	const char *mode = tool_opt(cl, "mode"), *map = tool_opt(cl, "map");
	const char *type = tool_opt(cl, "type"), *s;
	uint64_t v;

	if (type && strcmp(type, "pmem")) {
		snprintf(err, errlen, strcmp(type, "blk") ?
			 "ndctl create-namespace: invalid type '%s', must be either 'pmem' or 'blk'" :
			 "ndctl create-namespace: --type=%s: blk regions are not modelled", type);
		return -EINVAL;
	}
	if (mode) {
		enum ns_mode m = parse_mode(mode);

		if (m == MODE_UNKNOWN) {
			snprintf(err, errlen, "ndctl create-namespace: invalid mode '%s'", mode);
			return -EINVAL;
		}
		if (m == MODE_SECTOR) {
			snprintf(err, errlen, "ndctl create-namespace: --mode=%s: btt (sector mode) is not modelled",
				 mode);
			return -EINVAL;
		}
	}
	if (map) {
		if (strcmp(map, "mem") && strcmp(map, "dev")) {
			snprintf(err, errlen, "ndctl create-namespace: invalid map location '%s'", map);
			return -EINVAL;
		}
		/* set_defaults compares the names as written (no aliases) */
		if (!tool_opt(cl, "reconfig") && mode && strcmp(mode, "fsdax") &&
		    strcmp(mode, "devdax")) {
			snprintf(err, errlen, "ndctl create-namespace: --map only valid for an devdax mode pmem namespace");
			return -EINVAL;
		}
	}
	if ((s = tool_opt(cl, "size")) && tool_parse_size(s, &v, NULL)) {
		snprintf(err, errlen, "ndctl create-namespace: failed to parse namespace size '%s'", s);
		return -EINVAL;
	}
	if ((s = tool_opt(cl, "align"))) {
		if (tool_parse_size(s, &v, NULL)) {
			snprintf(err, errlen, "ndctl create-namespace: failed to parse namespace alignment '%s'", s);
			return -EINVAL;
		}
		if (v < 4096 || (v & (v - 1))) {
			snprintf(err, errlen, "ndctl create-namespace: align must be a power-of-2 greater than 4096");
			return -EINVAL;
		}
	}
	if ((s = tool_opt(cl, "uuid")) && !tool_uuid_valid(s)) {
		snprintf(err, errlen, "ndctl create-namespace: failed to parse uuid: '%s'", s);
		return -EINVAL;
	}
	if ((s = tool_opt(cl, "name")) && strlen(s) >= 64) {
		snprintf(err, errlen, "ndctl create-namespace: --name '%s' is longer than 63 bytes (alt name overflow)", s);
		return -EINVAL;
	}
	return 0;
}

static int check_list(const struct tool_cmdline *cl, char *err, size_t errlen)
{
	const char *m = tool_opt(cl, "mode");

	if (m && parse_mode(m) == MODE_UNKNOWN) {
		snprintf(err, errlen, "ndctl list: invalid mode '%s'", m);
		return -EINVAL;
	}
	return 0;
}

const struct tool_cmd ndctl_cmds[] = {
	{ "ndctl", "list", "ndctl list [<options>]", list_opts, false, check_list, run_list },
	{ "ndctl", "create-namespace", "ndctl create-namespace [<options>]", create_opts, false,
	  check_create, run_create },
	{ "ndctl", "destroy-namespace", "ndctl destroy-namespace <namespace> [<options>]",
	  destroy_opts, true, NULL, run_destroy },
	{ "ndctl", "disable-namespace", "ndctl disable-namespace <namespace> [<options>]",
	  xable_opts, true, NULL, run_disable },
	{ "ndctl", "enable-namespace", "ndctl enable-namespace <namespace> [<options>]",
	  xable_opts, true, NULL, run_enable },
	{ NULL, NULL, NULL, NULL, false, NULL, NULL },
};
