/*
 * test_check.c - the self-check itself (src/check): the invariants hold
 * on machines the kernel would build (boot layouts, NUMA with a
 * memoryless node, DIMMs with and without memmap_on_memory), each
 * invariant fires with its name and object when the counter it guards
 * is broken, the state hash is canonical (allocation history does not
 * change it, state does) and a failed operation leaves it unchanged,
 * and the fuzzer is reproducible from its seed. Device memory (legacy
 * pmem as device-dax and kmem) and s390 standby memory hold the
 * checker too, and each device invariant fires on its breakage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tree.h"
#include "../../src/machine.h"
#include "../../src/check/fuzz.h"
#include "../../src/check/invariants.h"
#include "../../src/scenario/scenario.h"

#define SZ_1G (1ull << 30)
#define MEMDIR "/sys/devices/system/memory/"

/* Number of violations; *report (malloc'ed) the text. */
static int check(struct hotmem_machine *m, char **report)
{
	return hotmem_check(m, report);
}

static void expect_clean(struct test_ctx *t, struct hotmem_machine *m, const char *what)
{
	char *report = NULL;
	int n = check(m, &report);

	if (n != 0)
		printf("  %s: %d violations:\n%s", what, n, report ? report : "");
	CHECK_EQ_INT(t, n, 0);
	free(report);
}

static void check_holds_on_real_layouts(struct test_ctx *t)
{
	static const char *const mom[] = { "memory_hotplug.memmap_on_memory", "1",
					   "memhp_default_state", "online_movable", NULL };
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0);
	char err[256];

	if (!m) {
		CHECK(t, 0);
		return;
	}
	expect_clean(t, m, "2G boot");
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", SZ_1G, 0, err, sizeof(err)), 0);
	expect_clean(t, m, "1G DIMM online");
	CHECK_EQ_INT(t, hotmem_device_del(m, "d0", err, sizeof(err)), 0);
	expect_clean(t, m, "DIMM ejected");
	/* memory a driver adds (dax/kmem) has no DIMM */
	CHECK_EQ_INT(t, add_memory_driver_managed(m, 0, 8 * SZ_1G, 256ull << 20,
						  "System RAM (kmem)", MHP_NONE), 0);
	expect_clean(t, m, "driver-managed memory");
	hotmem_free(m);

	m = test_boot(mom, 3 * SZ_1G, 0);	/* RAM above 4 GiB: a Normal zone */
	if (!m) {
		CHECK(t, 0);
		return;
	}
	expect_clean(t, m, "3G boot");
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", SZ_1G, 0, err, sizeof(err)), 0);
	expect_clean(t, m, "memmap_on_memory DIMM online_movable");
	CHECK(t, test_write(m, MEMDIR "memory40/state", "offline") > 0);
	expect_clean(t, m, "one block offline");
	hotmem_free(m);
}

static void check_holds_on_numa_memoryless(struct test_ctx *t)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256];

	hotmem_config_init(&c);
	c.mem_bytes = 2 * SZ_1G;
	c.slots = 4;
	c.maxmem_bytes = 8 * SZ_1G;
	c.nr_nodes = 2;
	c.nodes[0].mem_bytes = 2 * SZ_1G;
	c.nodes[0].has_cpus = 1;
	c.nodes[1].mem_bytes = 0;	/* memoryless, CPU-less: only possible */
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		CHECK(t, 0);
		return;
	}
	expect_clean(t, m, "memoryless node boot");
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d1", SZ_1G, 1, err, sizeof(err)), 0);
	expect_clean(t, m, "DIMM on the memoryless node");
	CHECK_EQ_INT(t, hotmem_device_del(m, "d1", err, sizeof(err)), 0);
	expect_clean(t, m, "node 1 memoryless again");
	hotmem_free(m);
}

/* Break one thing in a clone; the report must name invariant and object. */
struct breakage {
	const char *what;
	void (*apply)(struct hotmem_machine *m);
	const char *expect;	/* a substring of the report */
};

static void br_zone_present(struct hotmem_machine *m) { m->nodes[0].zones[ZONE_NORMAL].present_pages -= 512; }
static void br_zone_managed(struct hotmem_machine *m) { m->nodes[0].zones[ZONE_DMA32].managed_pages++; }
static void br_node_present(struct hotmem_machine *m) { m->nodes[0].node_present_pages++; }
static void br_node_span(struct hotmem_machine *m) { m->nodes[0].node_spanned_pages += 1ull << 20; }
static void br_memmap(struct hotmem_machine *m) { m->nr_memmap_pages += 8; }
static void br_boot_memmap(struct hotmem_machine *m) { m->nr_memmap_boot_pages -= 512; }
static void br_direct_map(struct hotmem_machine *m) { m->direct_map_bytes = 0; }
static void br_block_state(struct hotmem_machine *m)
{
	find_memory_block_by_id(m, 40)->state = MEM_OFFLINE;
}
static void br_section_online(struct hotmem_machine *m)
{
	nr_to_section(&m->sparse, &m->geo, 40)->flags &= (uint8_t)~SECTION_IS_ONLINE;
}
static void br_subsection(struct hotmem_machine *m)
{
	section_subsection_map(&m->sparse, &m->geo, 41)[0] &= ~1ull;
}
static void br_altmap_alloc(struct hotmem_machine *m)
{
	find_memory_block_by_id(m, 40)->altmap.alloc += 512;
}
static void br_unit_refs(struct hotmem_machine *m)
{
	uint64_t i;

	for (i = 0; i < m->vmemmap.nr_slots; i++)
		if (m->vmemmap.slots[i].used) {
			m->vmemmap.slots[i].refs++;
			return;
		}
}
static void br_group(struct hotmem_machine *m) { m->groups[0].present_movable_pages += 32768; }
static void br_node_offline(struct hotmem_machine *m) { m->nodes[0].online = false; }
static void br_extent(struct hotmem_machine *m)
{
	struct page_extent e = { 0x140000, 1, EXTENT_KERNEL, ZONE_MOVABLE, 0 };

	extents_insert(&m->extents, e);	/* inside the DIMM's memmap */
}
static void br_resource(struct hotmem_machine *m)
{
	int res = find_resource(&m->iomem, 5ull << 30, (6ull << 30) - 1, NULL);

	if (res >= 0)
		m->iomem.v[res].start -= 1ull << 30;	/* now overlaps its neighbour */
}
static void br_dimm(struct hotmem_machine *m) { m->dimms[0].addr += 2ull << 20; }
static void br_watermark(struct hotmem_machine *m) { m->nodes[0].zones[ZONE_DMA32].watermark[WMARK_HIGH]++; }
static void br_reserve(struct hotmem_machine *m) { m->nodes[0].zones[ZONE_DMA32].lowmem_reserve[ZONE_DMA32] = 5; }

static void check_catches_each_breakage(struct test_ctx *t)
{
	static const char *const mom[] = { "memory_hotplug.memmap_on_memory", "1",
					   "memhp_default_state", "online_movable", NULL };
	static const struct breakage cases[] = {
		{ "zone present", br_zone_present, "zone-present: zone 0/Normal: present_pages 261632 != sum over its online blocks 262144" },
		{ "zone managed", br_zone_managed, "zone-managed: zone 0/DMA32" },
		{ "node present", br_node_present, "node-present: node 0" },
		{ "node span", br_node_span, "node-span: node 0" },
		{ "memmap pages", br_memmap, "memmap-pages:" },
		{ "boot memmap", br_boot_memmap, "memmap-boot-pages:" },
		{ "direct map", br_direct_map, "direct-map:" },
		{ "block state", br_block_state, "section-online: section 40" },
		{ "section online bit", br_section_online, "section-online: section 40" },
		{ "sub-section map", br_subsection, "subsection-map: section 41 sub-section 0 of memory41" },
		{ "altmap alloc", br_altmap_alloc, "altmap-alloc: memory40" },
		{ "vmemmap refs", br_unit_refs, "vmemmap-refs:" },
		{ "group counter", br_group, "group-present: group 0" },
		{ "node online", br_node_offline, "on node 0, which is offline" },
		{ "extent in memmap", br_extent, "extent-placement:" },
		{ "resource overlap", br_resource, "resource-" },
		{ "DIMM moved", br_dimm, "dimm-" },
		{ "watermark step", br_watermark, "zone-watermarks: zone 0/DMA32" },
		{ "self protection", br_reserve, "zone-lowmem-reserve: zone 0/DMA32: protection against DMA32 is 5" },
	};
	/* 3 GiB on q35: RAM [4G, 5G) is node 0's Normal zone (262144 pages);
	 * device memory starts at 5 GiB, so the 1 GiB DIMM is blocks 40..47,
	 * each with its 512-page memmap on itself, online in Movable. */
	struct hotmem_machine *m = test_boot(mom, 3 * SZ_1G, 0);
	char err[256];
	size_t i;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", SZ_1G, 0, err, sizeof(err)), 0);
	expect_clean(t, m, "before breaking");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hotmem_machine *c = hotmem_clone(m);
		char *report = NULL;
		int n;

		if (!c) {
			CHECK(t, 0);
			continue;
		}
		cases[i].apply(c);
		n = check(c, &report);
		if (n <= 0 || !report || !strstr(report, cases[i].expect)) {
			printf("  %s: want \"%s\" in:\n%s", cases[i].what, cases[i].expect,
			       report ? report : "(none)\n");
			CHECK(t, 0);
		}
		free(report);
		hotmem_free(c);
	}
	hotmem_free(m);
}

/* Device memory: legacy pmem as device-dax, then kmem; s390 standby. */
static struct dev_dax *dax00(struct hotmem_machine *m)
{
	return dev_dax_by_name(m, "dax0.0");
}
static struct dev_pagemap *altmap_pgmap(struct hotmem_machine *m)
{
	size_t i;

	for (i = 0; i < m->nr_pgmaps; i++)
		if (m->pgmaps[i].used && (m->pgmaps[i].flags & PGMAP_ALTMAP_VALID))
			return &m->pgmaps[i];
	return NULL;
}
static void br_pgmap_alloc(struct hotmem_machine *m) { altmap_pgmap(m)->altmap.alloc += 8; }
static void br_pgmap_subsection(struct hotmem_machine *m)
{
	/* 4 GiB = section 32: the pmem's first sub-section */
	section_subsection_map(&m->sparse, &m->geo, 32)[0] &= ~1ull;
}
static void br_device_zone(struct hotmem_machine *m) { m->nodes[0].zones[ZONE_DEVICE].present_pages = 512; }
static void br_dax_range(struct hotmem_machine *m) { dax00(m)->ranges[0].end += SZ_1G; }
/* q35 with 4 GiB: RAM [0, 2G) and [4G+1G, 7G); 1 GiB is RAM */
static void br_pgmap_ram(struct hotmem_machine *m) { altmap_pgmap(m)->ranges[0].start = SZ_1G; }
static void br_kmem_child(struct hotmem_machine *m)
{
	int k = dax00(m)->kmem_res[0];
	size_t i;

	for (i = 0; i < m->iomem.n; i++)
		if (m->iomem.v[i].used && m->iomem.v[i].parent == k)
			m->iomem.v[i].flags &= ~IORESOURCE_BUSY;
}
static void br_kmem_group(struct hotmem_machine *m) { dax00(m)->kmem_mgid += 1; }
static void br_sclp(struct hotmem_machine *m) { m->sclp_standby[0] = 1; }

static void run_breakages(struct test_ctx *t, struct hotmem_machine *m,
			  const struct breakage *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct hotmem_machine *c = hotmem_clone(m);
		char *report = NULL;
		int k;

		if (!c) {
			CHECK(t, 0);
			continue;
		}
		cases[i].apply(c);
		k = check(c, &report);
		if (k <= 0 || !report || !strstr(report, cases[i].expect)) {
			printf("  %s: want \"%s\" in:\n%s", cases[i].what, cases[i].expect,
			       report ? report : "(none)\n");
			CHECK(t, 0);
		}
		free(report);
		hotmem_free(c);
	}
}

static void check_device_memory(struct test_ctx *t)
{
	static const char *const pmem[] = { "memmap", "1G!4G", "memory_hotplug.memmap_on_memory", "1",
					    "memhp_default_state", "offline", NULL };
	static const char *const pmem_2g[] = { "memmap", "256M!0x100000000", NULL };
	static const struct breakage devdax[] = {
		{ "pgmap altmap alloc", br_pgmap_alloc, "pgmap-altmap-alloc: pgmap" },
		{ "device sub-section", br_pgmap_subsection, "pgmap-subsection: pgmap" },
		{ "Device zone present", br_device_zone, "zone-device: node 0" },
		{ "dax range", br_dax_range, "dax-range: dax0.0 mapping0" },
		{ "pgmap over RAM", br_pgmap_ram, "pgmap-ram: pgmap" },
	};
	static const struct breakage kmem[] = {
		{ "kmem child", br_kmem_child, "dax-kmem: dax0.0 mapping0: 0 busy System RAM (kmem) children" },
		{ "kmem group", br_kmem_group, "dax-kmem: dax0.0 mapping0: memory" },
	};
	static const struct breakage s390[] = {
		{ "sclp increment", br_sclp, "sclp-increments: increment rn 1 " },
	};
	static const char *const steps[][2] = {
		{ "/sys/bus/nd/drivers/nd_pmem/unbind", "namespace0.0" },
		{ "/sys/bus/nd/devices/dax0.0/uuid", "3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10" },
		{ "/sys/bus/nd/devices/dax0.0/mode", "pmem" },
		{ "/sys/bus/nd/devices/dax0.0/align", "2097152" },
		{ "/sys/bus/nd/devices/dax0.0/namespace", "namespace0.0" },
		{ "/sys/bus/nd/drivers/dax_pmem/bind", "dax0.0" },
	};
	struct hotmem_config c;
	struct hotmem_machine *m = test_boot(pmem, 4 * SZ_1G, 0);
	char err[256];
	uint64_t h0;
	size_t i;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	expect_clean(t, m, "legacy pmem, raw namespace bound");
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		CHECK(t, test_write(m, steps[i][0], steps[i][1]) > 0);
	expect_clean(t, m, "device-dax over pmem, memmap in the altmap");
	CHECK(t, altmap_pgmap(m) && altmap_pgmap(m)->altmap.alloc > 0);
	run_breakages(t, m, devdax, sizeof(devdax) / sizeof(devdax[0]));
	/* the hash sees device state: a refused bind keeps it, a rebind does not */
	h0 = machine_state_hash(m, 0);
	CHECK(t, test_write(m, "/sys/bus/nd/drivers/dax_pmem/bind", "dax0.0") == -EBUSY);
	CHECK(t, machine_state_hash(m, 0) == h0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/device_dax/unbind", "dax0.0") > 0);
	CHECK(t, machine_state_hash(m, 0) != h0);
	CHECK(t, test_write(m, "/sys/bus/dax/devices/dax0.0/memmap_on_memory", "1") > 0);
	h0 = machine_state_hash(m, 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/kmem/new_id", "dax0.0") > 0);
	CHECK(t, machine_state_hash(m, 0) != h0);
	expect_clean(t, m, "kmem over pmem");
	CHECK(t, test_write(m, MEMDIR "memory33/state", "online_movable") > 0);
	expect_clean(t, m, "a kmem block online");
	run_breakages(t, m, kmem, sizeof(kmem) / sizeof(kmem[0]));
	CHECK(t, test_write(m, MEMDIR "memory33/state", "offline") > 0);
	CHECK(t, test_write(m, "/sys/bus/dax/drivers/kmem/unbind", "dax0.0") > 0);
	expect_clean(t, m, "kmem unbound");
	hotmem_free(m);

	/* 2 GiB blocks: memory2 = [4G, 6G) is a boot block whose first two
	 * sections are pmem only (fuzz seed 20261201) */
	m = test_boot(pmem_2g, 4538ull << 20, 2 * SZ_1G);
	if (!m) {
		CHECK(t, 0);
		return;
	}
	expect_clean(t, m, "pmem sections inside a boot block");
	hotmem_free(m);

	hotmem_config_init(&c);
	snprintf(c.arch, sizeof(c.arch), "s390x");
	c.mem_bytes = 2 * SZ_1G;
	c.slots = 0;
	c.maxmem_bytes = 0;
	c.standby_bytes = SZ_1G;
	c.default_online_type = HOTMEM_MMOP_OFFLINE;	/* standby stays offline */
	c.default_online_type_set = true;
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		printf("  s390x boot: %s\n", err);
		CHECK(t, 0);
		return;
	}
	expect_clean(t, m, "s390x with standby memory");
	CHECK(t, test_write(m, MEMDIR "memory8/state", "online") > 0);
	expect_clean(t, m, "a standby block online");
	run_breakages(t, m, s390, sizeof(s390) / sizeof(s390[0]));
	hotmem_free(m);
}

static void hash_is_canonical(struct test_ctx *t)
{
	struct hotmem_machine *m = test_boot(NULL, 2 * SZ_1G, 0), *c;
	uint64_t h;
	char err[256];

	if (!m) {
		CHECK(t, 0);
		return;
	}
	h = hotmem_state_hash(m);
	c = hotmem_clone(m);
	CHECK(t, c != NULL);
	if (!c) {
		hotmem_free(m);
		return;
	}
	CHECK_EQ_U64(t, hotmem_state_hash(c), h);
	/* a section root allocated and left empty (as a failed add may) */
	CHECK_EQ_INT(t, sparse_index_init(&c->sparse, &c->geo, 300000), 0);
	CHECK_EQ_U64(t, hotmem_state_hash(c), h);
	/* the kernel log is history, not state */
	machine_log(c, "something happened");
	CHECK_EQ_U64(t, hotmem_state_hash(c), h);
	/* state is: a parameter write, a DIMM */
	CHECK(t, test_write(c, MEMDIR "auto_online_blocks", "offline") > 0);
	CHECK(t, hotmem_state_hash(c) != h);
	CHECK(t, test_write(c, MEMDIR "auto_online_blocks", "online") > 0);
	CHECK_EQ_U64(t, hotmem_state_hash(c), h);
	CHECK_EQ_INT(t, hotmem_device_add(c, "pc-dimm", "d0", SZ_1G, 0, err, sizeof(err)), 0);
	CHECK(t, hotmem_state_hash(c) != h);
	/* a clone has its vectors and hash tables sized afresh: same hash */
	CHECK_EQ_INT(t, hotmem_device_add(c, "pc-dimm", "d1", 4 * SZ_1G, 0, err, sizeof(err)), 0);
	CHECK_EQ_INT(t, hotmem_device_del(c, "d1", err, sizeof(err)), 0);
	h = hotmem_state_hash(c);
	{
		struct hotmem_machine *c2 = hotmem_clone(c);

		CHECK(t, c2 && hotmem_state_hash(c2) == h);
		hotmem_free(c2);
	}
	hotmem_free(c);
	hotmem_free(m);
}

/* Every refused operation of drivers/base/memory.c; mm/memory_hotplug.c; the memory notifier chain, drivers/base/memory.c leaves the hash as it was. */
static void hash_unchanged_by_failures(struct test_ctx *t)
{
	static const char *const cmd[] = { "memory_hotplug.memmap_on_memory", "1",
					   "memhp_default_state", "offline", NULL };
	struct hotmem_machine *m = test_boot(cmd, 2 * SZ_1G, 0);
	char err[256];
	uint64_t h;

	if (!m) {
		CHECK(t, 0);
		return;
	}
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", SZ_1G, 0, err, sizeof(err)), 0);
	h = hotmem_state_hash(m);
	CHECK_EQ_INT(t, hotmem_notifier_fail(m, "MEM_GOING_ONLINE", -ENOMEM, 1), 0);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/state", "online_movable"), -ENOMEM);
	CHECK_EQ_U64(t, hotmem_state_hash(m), h);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/state", "offline"), -EINVAL);
	CHECK_EQ_U64(t, hotmem_state_hash(m), h);
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", SZ_1G, 0, err, sizeof(err)), -EEXIST);
	CHECK_EQ_U64(t, hotmem_state_hash(m), h);
	CHECK(t, test_write(m, MEMDIR "memory32/state", "online_movable") > 0);
	h = hotmem_state_hash(m);
	CHECK_EQ_INT(t, hotmem_notifier_fail(m, "MEM_GOING_OFFLINE", -EBUSY, 1), 0);
	CHECK_EQ_INT(t, test_write(m, MEMDIR "memory32/state", "offline"), -EBUSY);
	CHECK_EQ_U64(t, hotmem_state_hash(m), h);
	expect_clean(t, m, "after the refusals");
	hotmem_free(m);
}

/* Same seed, same walks; the injected bug is found and shrunk. */
static void fuzz_reproducible_and_finds_injected_bug(struct test_ctx *t)
{
	struct fuzz_opts o = { .seed = 5, .max_ops = 1500, .only_walk = -1 };
	struct fuzz_result a, b;

	CHECK_EQ_INT(t, fuzz_run(&o, &a), 0);
	CHECK_EQ_INT(t, fuzz_run(&o, &b), 0);
	CHECK(t, !a.violation);
	CHECK_EQ_U64(t, a.ops, 1500);
	CHECK_EQ_U64(t, a.failed_ops, b.failed_ops);
	CHECK_EQ_U64(t, a.walks, b.walks);
	CHECK(t, a.rollback_checks > 0);
	fuzz_result_release(&a);
	fuzz_result_release(&b);

	o.inject = HOTMEM_INJECT_OFFLINE_VMEMMAP_PRESENT;
	o.seed = 2;
	o.max_ops = 20000;
	CHECK_EQ_INT(t, fuzz_run(&o, &a), 0);
	CHECK(t, a.violation);
	CHECK(t, a.ops_after_shrink >= 1 && a.ops_after_shrink <= 6);
	CHECK(t, a.message && strstr(a.message, "zone-present:"));
	CHECK(t, a.scenario && strstr(a.scenario, "hotmem.inject_bug=offline-vmemmap-present"));
	fuzz_result_release(&a);
}

/* run --check: a backend without the optional check op cannot be checked. */
static void run_check_needs_the_backend_op(struct test_ctx *t)
{
	static const char text[] = "machine arch=x86_64 mem=2G\nboot\necho hi\n";
	struct scenario_backend blind = scenario_backend_model;
	struct scenario_run_opts opts = { .check = true };
	struct scenario_result res;
	struct scenario *sc = NULL;
	struct strbuf diag;
	FILE *out = tmpfile(), *err = tmpfile();

	sb_init(&diag);
	CHECK_EQ_INT(t, scenario_parse("t.scn", text, sizeof(text) - 1, &sc, &diag), 0);
	if (!sc || !out || !err) {
		CHECK(t, 0);
		goto done;
	}
	opts.out = out;
	opts.err = err;
	CHECK_EQ_INT(t, scenario_run(sc, &scenario_backend_model, &opts, &res), 0);
	CHECK(t, !res.runtime_error && !res.invariant_violated);
	blind.check = NULL;
	CHECK(t, scenario_run(sc, &blind, &opts, &res) < 0);
	CHECK(t, res.runtime_error && !res.invariant_violated);
done:
	scenario_free(sc);
	sb_release(&diag);
	if (out)
		fclose(out);
	if (err)
		fclose(err);
}

void tests_check(struct test_ctx *t)
{
	RUN(t, run_check_needs_the_backend_op);
	RUN(t, check_holds_on_real_layouts);
	RUN(t, check_holds_on_numa_memoryless);
	RUN(t, check_catches_each_breakage);
	RUN(t, check_device_memory);
	RUN(t, hash_is_canonical);
	RUN(t, hash_unchanged_by_failures);
	RUN(t, fuzz_reproducible_and_finds_injected_bug);
}
