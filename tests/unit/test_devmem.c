/*
 * test_devmem.c - pmem, device-dax, kmem and CXL against the kernel's
 * rules (mm/memremap.c; drivers/dax/kmem.c): the info block geometry for several namespace
 * shapes, refusals that must change nothing (the whole tree, the nd and
 * dax devices' attributes included), and clone independence of the
 * driver state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tree.h"
#include "../../src/machine.h"
#include "../../src/util/kstrtox.h"

#define SZ_1G (1ull << 30)

static struct hotmem_machine *boot_pmem(const char *memmap, const char *mom)
{
	const char *cmd[] = { "memmap", memmap, "memhp_default_state", "offline",
			      mom ? "memory_hotplug.memmap_on_memory" : NULL, mom, NULL };
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256];
	size_t i;

	hotmem_config_init(&c);
	c.mem_bytes = 4 * SZ_1G;
	for (i = 0; cmd[i]; i += 2)
		if (hotmem_config_cmdline(&c, cmd[i], cmd[i + 1], err, sizeof(err)))
			return NULL;
	if (hotmem_boot(&c, &m, err, sizeof(err)))
		return NULL;
	return m;
}

static uint64_t read_num(struct hotmem_machine *m, const char *path)
{
	char *s;
	uint64_t v;

	if (hotmem_read(m, path, &s))
		return UINT64_MAX;
	v = strtoull(s, NULL, 0);
	free(s);
	return v;
}

/* ndctl create-namespace -m devdax --map=MAP --align=ALIGN as sysfs writes */
static int make_devdax(struct hotmem_machine *m, const char *map, const char *align)
{
	static const char *const steps[][2] = {
		{ "/sys/bus/nd/drivers/nd_pmem/unbind", "namespace0.0" },
		{ "/sys/bus/nd/devices/dax0.0/mode", NULL },
		{ "/sys/bus/nd/devices/dax0.0/align", NULL },
		{ "/sys/bus/nd/devices/dax0.0/namespace", "namespace0.0" },
		/* ndctl always writes one: nvdimm_setup_pfn refuses none (ENODEV) */
		{ "/sys/bus/nd/devices/dax0.0/uuid", "3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10" },
		{ "/sys/bus/nd/drivers/dax_pmem/bind", "dax0.0" },
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const char *v = steps[i][1] ? steps[i][1] : i == 1 ? map : align;
		long r = test_write(m, steps[i][0], v);

		if (r < 0 && i > 0)
			return (int)r;
	}
	return 0;
}

/* nd_pfn_init: dataoff and data size for a few shapes (mm/memremap.c). */
static void test_info_block_geometry(struct test_ctx *t)
{
	static const struct {
		const char *memmap, *map, *align;
		uint64_t resource, size;
	} cases[] = {
		/* 1 GiB, map=dev: 8K + 64 x 262142 -> 18 MiB */
		{ "1G!4G", "pmem", "2097152", 0x101200000ull, SZ_1G - (18ull << 20) },
		/* map=mem: only the 8 KiB info block, rounded to 2 MiB */
		{ "1G!4G", "ram", "2097152", 0x100200000ull, SZ_1G - (2ull << 20) },
		/* align 4K: the compat alignment (2 MiB) still applies */
		{ "1G!4G", "pmem", "4096", 0x101200000ull, SZ_1G - (18ull << 20) },
		/* 130 MiB: 8K + 64 x 33278 -> 4 MiB */
		{ "130M!4G", "pmem", "2097152", 0x100400000ull, 126ull << 20 },
		/* 1025 MiB: 18 MiB of metadata and end_trunc = 1 MiB */
		{ "1025M!4G", "pmem", "2097152", 0x101200000ull, 1006ull << 20 },
		/* 16 MiB: 8K + 64 x 4094 -> 2 MiB */
		{ "16M!4G", "pmem", "2097152", 0x100200000ull, 14ull << 20 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hotmem_machine *m = boot_pmem(cases[i].memmap, NULL);

		CHECK(t, m != NULL);
		if (!m)
			continue;
		CHECK_EQ_INT(t, make_devdax(m, cases[i].map, cases[i].align), 0);
		CHECK_EQ_U64(t, read_num(m, "/sys/bus/nd/devices/dax0.0/resource"),
			     cases[i].resource);
		CHECK_EQ_U64(t, read_num(m, "/sys/bus/nd/devices/dax0.0/size"), cases[i].size);
		CHECK_EQ_U64(t, read_num(m, "/sys/bus/dax/devices/dax0.0/size"), cases[i].size);
		hotmem_free(m);
	}
}

struct bus_walk {
	struct hotmem_machine *m;
	struct strbuf *sb;
	char dir[256];
};

static int bus_attr(void *ctx, const char *name)
{
	struct bus_walk *w = ctx;
	char path[512], *s;
	enum hotmem_node_kind kind;
	unsigned int mode;
	char target[256];

	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	if (hotmem_stat(w->m, path, &kind, &mode, target, sizeof(target)))
		return 0;
	if (kind == HOTMEM_ENTRY_LINK) {
		sb_printf(w->sb, "%s -> %s\n", path, target);
		return 0;
	}
	if (kind == HOTMEM_ENTRY_FILE && !hotmem_read(w->m, path, &s)) {
		sb_printf(w->sb, "%s: %s", path, s);
		free(s);
	}
	return 0;
}

static int bus_dev(void *ctx, const char *name)
{
	struct bus_walk *w = ctx, sub = *w;
	int n = snprintf(sub.dir, sizeof(sub.dir), "%.200s/%.40s", w->dir, name);

	if (n < 0 || (size_t)n >= sizeof(sub.dir))
		return 0;
	hotmem_readdir(w->m, sub.dir, bus_attr, &sub);
	return 0;
}

/* The tree digest plus every nd/dax device attribute (through the links). */
static char *full_digest(struct hotmem_machine *m)
{
	char *d = test_tree_digest(m);
	struct strbuf sb;
	struct bus_walk w;

	sb_init(&sb);
	sb_puts(&sb, d ? d : "");
	free(d);
	w.m = m;
	w.sb = &sb;
	snprintf(w.dir, sizeof(w.dir), "/sys/bus/nd/devices");
	hotmem_readdir(m, w.dir, bus_dev, &w);
	snprintf(w.dir, sizeof(w.dir), "/sys/bus/dax/devices");
	hotmem_readdir(m, w.dir, bus_dev, &w);
	return sb_detach(&sb);
}

/* A write the kernel refuses, with its errno. */
struct refused_write {
	const char *path, *val;
	int err;
};

/*
 * Each write gets its errno and, all together, change nothing: the full
 * digest is the same after them, and it holds want (a line showing the
 * state the writes were tried against).
 */
static void check_refused_writes(struct test_ctx *t, struct hotmem_machine *m,
				 const struct refused_write *writes, size_t n,
				 const char *want)
{
	char *before = full_digest(m), *after;
	size_t i;

	for (i = 0; i < n; i++) {
		long r = test_write(m, writes[i].path, writes[i].val);

		if (r != writes[i].err)
			printf("  %s <- %s: %ld, want %d\n", writes[i].path, writes[i].val,
			       r, writes[i].err);
		CHECK_EQ_INT(t, r, writes[i].err);
	}
	after = full_digest(m);
	CHECK(t, before && after && !strcmp(before, after));
	CHECK(t, before && strstr(before, want));
	free(before);
	free(after);
}

/* Refused writes leave everything as it was (kernel errno each). */
static void test_refusals_change_nothing(struct test_ctx *t)
{
	static const struct refused_write writes[] = {
		{ "/sys/bus/nd/devices/dax0.0/mode", "ram", -EBUSY },
		{ "/sys/bus/nd/devices/dax0.0/namespace", "", -EBUSY },
		{ "/sys/bus/nd/drivers/dax_pmem/bind", "dax0.0", -EBUSY },
		{ "/sys/bus/nd/drivers/nd_pmem/bind", "namespace0.0", -ENXIO },
		{ "/sys/bus/nd/devices/pfn0.0/namespace", "namespace0.0", -EBUSY },
		{ "/sys/bus/nd/devices/region0/align", "3", -EINVAL },
		{ "/sys/bus/dax/drivers/kmem/bind", "dax0.0", -ENODEV },
		{ "/sys/bus/dax/drivers/device_dax/bind", "dax0.0", -EBUSY },
		{ "/sys/bus/dax/drivers/kmem/unbind", "dax0.0", -ENODEV },
		{ "/sys/bus/dax/drivers/kmem/new_id", "dax0", -EINVAL },
		/* kstrtobool reads the first letters: "yes please" is true */
		{ "/sys/bus/dax/devices/dax0.0/memmap_on_memory", "yes please", -EOPNOTSUPP },
		{ "/sys/bus/dax/devices/dax0.0/memmap_on_memory", "maybe", -EINVAL },
		{ "/sys/bus/dax/devices/dax0.0/size", "0", -EACCES },
		{ "/sys/bus/nd/drivers/nd_region/bind", "region0", -EBUSY },
		{ "/sys/bus/nd/drivers/nd_region/bind", "dax0.0", -ENODEV },
	};
	struct hotmem_machine *m = boot_pmem("1G!4G", NULL);

	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_INT(t, make_devdax(m, "pmem", "2097152"), 0);
	check_refused_writes(t, m, writes, sizeof(writes) / sizeof(writes[0]),
			     "/sys/bus/nd/devices/dax0.0/size: 1054867456\n");
	hotmem_free(m);
}

/* A clone owns its device state: changes do not leak either way. */
static void test_clone_independent(struct test_ctx *t)
{
	struct hotmem_machine *m = boot_pmem("1G!4G", "1"), *c;
	char *before, *after;

	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_INT(t, make_devdax(m, "pmem", "2097152"), 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/device_dax/unbind", "dax0.0") > 0);
	CHECK(t, test_write(m, "/sys/bus/dax/devices/dax0.0/memmap_on_memory", "1") > 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/kmem/new_id", "dax0.0") > 0);
	before = full_digest(m);
	c = hotmem_clone(m);
	CHECK(t, c != NULL);
	if (c) {
		char *cd = full_digest(c);

		CHECK(t, cd && before && !strcmp(cd, before));
		free(cd);
		CHECK(t, test_write(c, "/sys/bus/dax/drivers/kmem/unbind", "dax0.0") > 0);
		CHECK(t, test_write(c, "/sys/bus/nd/drivers/dax_pmem/unbind", "dax0.0") > 0);
		CHECK_EQ_U64(t, (uint64_t)c->nr_memmap_pages, 0);
		hotmem_free(c);
	}
	after = full_digest(m);
	CHECK(t, before && after && !strcmp(before, after));
	CHECK_EQ_U64(t, (uint64_t)m->nr_memmap_pages, 7 * 512);
	free(before);
	free(after);
	hotmem_free(m);
}

/* Tearing everything down returns the sparse/vmemmap state to boot's. */
static void test_teardown_restores(struct test_ctx *t)
{
	struct hotmem_machine *m = boot_pmem("1G!4G", "1");
	int64_t boot_memmap;
	uint64_t units;

	CHECK(t, m != NULL);
	if (!m)
		return;
	boot_memmap = m->nr_memmap_pages;
	units = m->vmemmap.nr_units;
	CHECK_EQ_INT(t, make_devdax(m, "ram", "2097152"), 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/device_dax/unbind", "dax0.0") > 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/kmem/new_id", "dax0.0") > 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/kmem/unbind", "dax0.0") > 0);
	CHECK(t, test_write(m, "/sys/bus/nd/drivers/dax_pmem/unbind", "dax0.0") > 0);
	CHECK(t, test_write(m, "/sys/bus/nd/devices/dax0.0/namespace", "\n") > 0);
	CHECK(t, test_write(m, "/sys/bus/nd/drivers/nd_pmem/bind", "namespace0.0") > 0);
	CHECK_EQ_U64(t, (uint64_t)m->nr_memmap_pages, (uint64_t)boot_memmap);
	CHECK_EQ_U64(t, m->vmemmap.nr_units, units);
	CHECK_EQ_U64(t, m->nr_blocks, 24);
	hotmem_free(m);
}

/* Label namespace and nvdimm refusals change nothing (mm/memremap.c, QEMU). */
static void test_nvdimm_refusals(struct test_ctx *t)
{
	static const struct refused_write writes[] = {
		{ "/sys/bus/nd/devices/namespace0.0/size", "134217728", -ENXIO },	/* no uuid */
		{ "/sys/bus/nd/devices/namespace0.0/uuid", "0b4c3a7e-5f21-4d8a-9e6b", -EINVAL },
		{ "/sys/bus/nd/devices/region0/align", "0", -EINVAL },
		{ "/sys/bus/nd/drivers/nd_pmem/bind", "namespace0.0", -ENODEV },	/* size 0 */
	};
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256], *before, *after;
	size_t i;

	hotmem_config_init(&c);
	c.mem_bytes = 2 * SZ_1G;
	c.slots = 4;
	c.maxmem_bytes = 8 * SZ_1G;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (!m)
		return;
	/* a memdev no larger than the label area; an unknown node */
	CHECK_EQ_INT(t, hotmem_device_add(m, "nvdimm", "nv0", 128 << 10, 0, err, sizeof(err)),
		     -EINVAL);
	CHECK_EQ_INT(t, hotmem_device_add(m, "nvdimm", "nv0", SZ_1G, 3, err, sizeof(err)),
		     -EINVAL);
	CHECK_EQ_INT(t, hotmem_device_add(m, "nvdimm", "nv0", SZ_1G + (128 << 10), 0, err,
					  sizeof(err)), 0);
	CHECK_EQ_U64(t, read_num(m, "/sys/bus/nd/devices/region0/size"), SZ_1G);
	before = full_digest(m);
	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		CHECK_EQ_INT(t, test_write(m, writes[i].path, writes[i].val), writes[i].err);
	CHECK(t, test_write(m, "/sys/bus/nd/devices/namespace0.0/uuid",
			    "0b4c3a7e-5f21-4d8a-9e6b-7c1d2e3f4a5b") > 0);
	free(before);
	before = full_digest(m);
	/* 1 GiB + 16 MiB: aligned but beyond the region; 24 MiB: not 16 MiB aligned */
	CHECK_EQ_INT(t, test_write(m, "/sys/bus/nd/devices/namespace0.0/size", "1090519040"),
		     -ENOSPC);
	CHECK_EQ_INT(t, test_write(m, "/sys/bus/nd/devices/namespace0.0/size", "25165824"),
		     -EINVAL);
	CHECK_EQ_INT(t, hotmem_device_del(m, "nv0", err, sizeof(err)), -EOPNOTSUPP);
	after = full_digest(m);
	CHECK(t, before && after && !strcmp(before, after));
	/* a 1 GiB namespace binds raw: a resource, no struct pages */
	CHECK(t, test_write(m, "/sys/bus/nd/devices/namespace0.0/size", "1073741824") > 0);
	CHECK(t, test_write(m, "/sys/bus/nd/drivers/nd_pmem/bind", "namespace0.0") > 0);
	CHECK_EQ_U64(t, (uint64_t)m->nr_memmap_pages, 0);
	CHECK_EQ_INT(t, test_write(m, "/sys/bus/nd/devices/namespace0.0/size", "0"), -EBUSY);
	free(before);
	free(after);
	hotmem_free(m);
}

/* lib/kstrtox.c's rules, which the dax stores rely on. */
static void test_kstrtox(struct test_ctx *t)
{
	unsigned long long v = 7;
	int i = 7;

	CHECK(t, !kstrtoull("0x20000000\n", 0, &v) && v == 0x20000000);
	CHECK(t, !kstrtoull("010", 0, &v) && v == 8);
	CHECK(t, !kstrtoull("+12", 10, &v) && v == 12);
	CHECK(t, !kstrtoull("0x1c0000000", 16, &v) && v == 0x1c0000000ull);
	CHECK(t, !kstrtoull("1c0000000", 16, &v) && v == 0x1c0000000ull);
	CHECK_EQ_INT(t, kstrtoull("-1", 0, &v), -EINVAL);
	CHECK_EQ_INT(t, kstrtoull("", 0, &v), -EINVAL);
	CHECK_EQ_INT(t, kstrtoull("12\n\n", 0, &v), -EINVAL);
	CHECK_EQ_INT(t, kstrtoull(" 12", 0, &v), -EINVAL);
	CHECK_EQ_INT(t, kstrtoull("0x", 0, &v), -EINVAL);
	CHECK_EQ_INT(t, kstrtoull("18446744073709551616", 10, &v), -ERANGE);
	CHECK(t, !kstrtoint("-5", 0, &i) && i == -5);
	CHECK(t, !kstrtoint("1\n", 0, &i) && i == 1);
	CHECK_EQ_INT(t, kstrtoint("2147483648", 0, &i), -ERANGE);
	CHECK_EQ_INT(t, kstrtoint("one", 0, &i), -EINVAL);
}

static char *read_str(struct hotmem_machine *m, const char *path)
{
	char *s = NULL;

	return hotmem_read(m, path, &s) ? NULL : s;
}

#define DR "/sys/bus/dax/devices/dax0.0/../dax_region/"

/* A dynamic (CXL) dax region: every refused store changes nothing. */
static void test_dax_dynamic_refusals(struct test_ctx *t)
{
	static const struct refused_write writes[] = {
		{ DR "create", "2", -EINVAL },
		{ DR "create", "x", -EINVAL },
		{ DR "delete", "dax0.0", -EBUSY },
		{ DR "delete", "dax0.9", -ENXIO },
		{ DR "seed", "dax0.1", -EACCES },
		{ "/sys/bus/dax/devices/dax0.0/size", "0x100000", -EINVAL },
		{ "/sys/bus/dax/devices/dax0.0/size", "0x60000000", -ENOSPC },
		{ "/sys/bus/dax/devices/dax0.0/size", "-1", -EINVAL },
		{ "/sys/bus/dax/devices/dax0.1/mapping", "0x190000000-0x1901fffff", -ENOMEM },
		{ "/sys/bus/dax/devices/dax0.1/mapping", "0x1d0000000-0x1d01fffff", -ENOMEM },
		{ "/sys/bus/dax/devices/dax0.1/mapping", "zz-1", -EINVAL },
		{ "/sys/bus/dax/devices/dax0.1/align", "4097", -EINVAL },
		{ "/sys/bus/dax/devices/dax0.1/align", "x", -ENXIO },
		{ "/sys/bus/dax/devices/dax0.1/mapping/start", "0", -ENOTDIR },
		{ "/sys/bus/dax/drivers/kmem/bind", "dax0.1", -ENXIO },
		/* device_dax matches a KMEM-type region's device only through new_id */
		{ "/sys/bus/dax/drivers/device_dax/bind", "dax0.1", -ENODEV },
	};
	static const char *const region_attrs[] = { "available_size", "seed", "create" };
	const char *cmd[] = { "memhp_default_state", "offline", NULL };
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256], *before = NULL, *after = NULL, *after2, *s;
	struct strbuf rb, ra;
	size_t i, k;

	hotmem_config_init(&c);
	c.mem_bytes = 4 * SZ_1G;
	for (i = 0; cmd[i]; i += 2)
		CHECK_EQ_INT(t, hotmem_config_cmdline(&c, cmd[i], cmd[i + 1], err, sizeof(err)), 0);
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (!m)
		return;
	CHECK_EQ_INT(t, hotmem_device_add(m, "cxl-type3", "mem0", SZ_1G, 0, err, sizeof(err)), 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/kmem/unbind", "dax0.0") > 0);
	CHECK(t, test_write(m, "/sys/bus/dax/devices/dax0.0/size", "0x20000000") > 0);
	CHECK(t, test_write(m, DR "create", "1") > 0);
	sb_init(&rb);
	sb_init(&ra);
	for (k = 0; k < 2; k++) {
		struct strbuf *sb = k ? &ra : &rb;

		if (k) {
			for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
				long r = test_write(m, writes[i].path, writes[i].val);

				if (r != writes[i].err)
					printf("  %s <- %s: %ld, want %d\n", writes[i].path,
					       writes[i].val, r, writes[i].err);
				CHECK_EQ_INT(t, r, writes[i].err);
			}
		}
		for (i = 0; i < 3; i++) {
			char path[128];

			snprintf(path, sizeof(path), DR "%s", region_attrs[i]);
			s = read_str(m, path);
			sb_printf(sb, "%s: %s", path, s ? s : "(error)\n");
			free(s);
		}
		if (k)
			after = full_digest(m);
		else
			before = full_digest(m);
	}
	CHECK(t, before && after && !strcmp(before, after));
	s = sb_detach(&rb);
	after2 = sb_detach(&ra);
	CHECK(t, s && after2 && !strcmp(s, after2));
	CHECK(t, s && strstr(s, "available_size: 536870912\n") && strstr(s, "seed: dax0.1\n"));
	free(s);
	free(after2);
	free(before);
	free(after);
	hotmem_free(m);
}

/*
 * Several label namespaces: the placement refusals (ENOSPC, the ENXIO of
 * a growth that cannot stay contiguous, EINVAL of a duplicate uuid)
 * change nothing, the nd attributes included.
 */
static void test_nvdimm_namespaces_refusals(struct test_ctx *t)
{
	static const char *const setup[][2] = {
		{ "/sys/bus/nd/devices/namespace0.0/uuid", "0b4c3a7e-5f21-4d8a-9e6b-7c1d2e3f4a5b" },
		{ "/sys/bus/nd/devices/namespace0.0/size", "268435456" },
		{ "/sys/bus/nd/drivers/nd_pmem/bind", "namespace0.0" },
		{ "/sys/bus/nd/devices/namespace0.1/uuid", "1c5d4b8f-6a32-4e9b-8f7c-8d2e3f4a5b6c" },
		{ "/sys/bus/nd/devices/namespace0.1/size", "268435456" },
		{ "/sys/bus/nd/drivers/nd_pmem/bind", "namespace0.1" },
		{ "/sys/bus/nd/drivers/nd_pmem/unbind", "namespace0.0" },
		{ "/sys/bus/nd/devices/namespace0.0/size", "0" },
		{ "/sys/bus/nd/devices/namespace0.2/uuid", "2d6e5c9a-7b43-4fac-9a8d-9e3f4a5b6c7d" },
		{ "/sys/bus/nd/devices/namespace0.2/size", "268435456" },
	};
	static const struct refused_write writes[] = {
		/* 0.2 sits at the start, 0.1 after it, 512 MiB free at the end */
		{ "/sys/bus/nd/devices/namespace0.2/size", "536870912", -ENXIO },
		{ "/sys/bus/nd/devices/namespace0.2/size", "1073741824", -ENOSPC },
		{ "/sys/bus/nd/devices/namespace0.2/size", "1048576", -EINVAL },
		{ "/sys/bus/nd/devices/namespace0.0/uuid", "1c5d4b8f-6a32-4e9b-8f7c-8d2e3f4a5b6c", -EINVAL },
		{ "/sys/bus/nd/devices/namespace0.1/size", "0", -EBUSY },
		{ "/sys/bus/nd/devices/namespace0.9/size", "0", -ENOENT },
	};
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256];
	size_t i;

	hotmem_config_init(&c);
	c.mem_bytes = 2 * SZ_1G;
	c.slots = 4;
	c.maxmem_bytes = 8 * SZ_1G;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (!m)
		return;
	CHECK_EQ_INT(t, hotmem_device_add(m, "nvdimm", "nv0", SZ_1G + (128 << 10), 0, err,
					  sizeof(err)), 0);
	for (i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
		CHECK(t, test_write(m, setup[i][0], setup[i][1]) > 0);
	CHECK_EQ_U64(t, read_num(m, "/sys/bus/nd/devices/namespace0.2/resource"), 0x100000000ull);
	CHECK_EQ_U64(t, read_num(m, "/sys/bus/nd/devices/namespace0.1/resource"), 0x110000000ull);
	check_refused_writes(t, m, writes, sizeof(writes) / sizeof(writes[0]),
			     "/sys/bus/nd/devices/namespace0.2/size: 268435456\n");
	hotmem_free(m);
}

/*
 * -machine nvdimm=on: one more firmware page at the top of low RAM.
 * Linux 6.12.95 under QEMU 7.2, -m 2G: System RAM [0x100000, 0x7ffdefff]
 * without it, [0x100000, 0x7ffddfff] with it (DMA32 520159 / 520158
 * pages, tests/conformance/golden/205-acceptance-nvdimm-130m.golden).
 */
static void test_nvdimm_on_low_ram(struct test_ctx *t)
{
	int on;

	for (on = 0; on <= 1; on++) {
		struct hotmem_config c;
		struct hotmem_machine *m = NULL;
		char err[256], *iomem = NULL;

		hotmem_config_init(&c);
		c.mem_bytes = 2 * SZ_1G;
		c.nvdimm = on;
		CHECK(t, hotmem_boot(&c, &m, err, sizeof(err)) == 0);
		if (!m)
			continue;
		CHECK(t, hotmem_read(m, "/proc/iomem", &iomem) == 0);
		CHECK(t, iomem && strstr(iomem, on ? "00100000-7ffddfff : System RAM\n" :
					      "00100000-7ffdefff : System RAM\n"));
		CHECK(t, iomem && strstr(iomem, on ? "7ffde000-7fffffff : Reserved\n" :
					      "7ffdf000-7fffffff : Reserved\n"));
		free(iomem);
		hotmem_free(m);
	}
}

/*
 * A CXL window at power-on gets the node Linux gives it (acpi_parse_cfmws:
 * the first proximity domain SRAT does not use; observed node 1 for a
 * "-numa node,nodeid=1" without memory or CPUs), else the boot fails
 * naming the node; without such a node there is none to give.
 */
static void test_cxl_window_node(struct test_ctx *t)
{
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	char err[256] = "";

	hotmem_config_init(&c);
	c.mem_bytes = 2 * SZ_1G;
	c.nr_nodes = 2;
	c.nodes[0].mem_bytes = 2 * SZ_1G;
	c.nodes[0].has_cpus = 1;
	c.nr_cxl = 1;
	snprintf(c.cxl[0].id, sizeof(c.cxl[0].id), "cxl0");
	c.cxl[0].size = SZ_1G;
	c.cxl[0].node = 0;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, strstr(err, "node=0, but Linux gives the window node 1") != NULL);
	c.cxl[0].node = -1;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), 0);
	if (m) {
		CHECK_EQ_INT(t, m->cxl.devs[0].node, 1);
		CHECK(t, m->cxl.devs[0].base == 0x110000000ull);
		/* the after-boot shorthand does not mix with it */
		CHECK_EQ_INT(t, hotmem_device_add(m, "cxl-type3", "cxl1", SZ_1G, 1, err,
						  sizeof(err)), -EINVAL);
		CHECK(t, strstr(err, "without a CXL device at power-on") != NULL);
		hotmem_free(m);
		m = NULL;
	}
	c.nodes[1].has_cpus = 1;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, strstr(err, "add 'numa node=2 mem=0'") != NULL);
	CHECK(t, m == NULL);
	/* an empty node before one with CPUs: Linux renumbers; refused */
	c.nr_nodes = 3;
	c.nodes[1].has_cpus = 0;
	c.nodes[2].has_cpus = 1;
	CHECK_EQ_INT(t, hotmem_boot(&c, &m, err, sizeof(err)), -EINVAL);
	CHECK(t, strstr(err, "node 1 has no memory or CPUs but node 2 has") != NULL);
	CHECK(t, m == NULL);
}

void tests_devmem(struct test_ctx *t)
{
	RUN(t, test_cxl_window_node);
	RUN(t, test_kstrtox);
	RUN(t, test_dax_dynamic_refusals);
	RUN(t, test_info_block_geometry);
	RUN(t, test_refusals_change_nothing);
	RUN(t, test_clone_independent);
	RUN(t, test_teardown_restores);
	RUN(t, test_nvdimm_refusals);
	RUN(t, test_nvdimm_namespaces_refusals);
	RUN(t, test_nvdimm_on_low_ram);
}
