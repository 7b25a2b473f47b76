/*
 * test_pseries.c - QEMU's pseries machine and the kernel's pseries code
 * (src/platform/pseries.c): the memory block size the kernel probes from
 * QEMU's device tree, the boot memmap in vmemmap mapping units, QEMU's
 * LMB rule for DIMMs, and DLPAR add and remove LMB by LMB.
 *
 * Facts: arch/powerpc/mm/init_64.c (probe_memory_block_size,
 * update_memory_block_size), arch/powerpc/platforms/pseries/
 * hotplug-memory.c (dlpar_add_lmb, dlpar_memory_remove_by_ic), and what
 * Debian's 6.12.95 showed on QEMU 7.2 pseries (2G: 1G blocks, 3G: 256M,
 * with maxmem: 256M; a 512M DIMM: two System RAM lines, onlined by the
 * kernel; docs/architectures.md). Expected workload: a dozen small
 * machines booted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hotmem.h"
#include "../../src/machine.h"

#define M (1ull << 20)
#define G (1ull << 30)

static struct hotmem_machine *boot(const char *arch, uint64_t mem, uint64_t maxmem,
				   uint64_t hpt)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256];

	hotmem_config_init(&c);
	strcpy(c.arch, arch);
	c.mem_bytes = mem;
	c.hpt_max_page_size = hpt;
	if (maxmem) {
		c.slots = 4;
		c.maxmem_bytes = maxmem;
	}
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		printf("  boot %s: %s\n", arch, err);
		return NULL;
	}
	return m;
}

static uint64_t read_u64(struct hotmem_machine *m, const char *path, int base)
{
	char *s = NULL;
	uint64_t v;

	if (hotmem_read(m, path, &s))
		return ~0ull;
	v = strtoull(s, NULL, base);
	free(s);
	return v;
}

static bool file_is(struct hotmem_machine *m, const char *path, const char *want)
{
	char *s = NULL;
	bool ok;

	if (hotmem_read(m, path, &s))
		return false;
	ok = !strcmp(s, want);
	free(s);
	return ok;
}

/*
 * ibm,lmb-size (256M) when QEMU describes DR memory (maxmem > mem);
 * otherwise from 1G down by 4 while the memory node's size has the
 * block size's bit set: 2G -> 1G, 3G -> 256M, 2.5G -> 1G (bit 30 clear),
 * 1G -> 256M, 1.25G -> 64M (bits 30 and 28 set, 26 clear).
 */
static void test_block_size(struct test_ctx *t)
{
	static const struct {
		uint64_t mem, maxmem, want;
	} rows[] = {
		{ 2 * G, 0, 1 * G },
		{ 3 * G, 0, 256 * M },
		{ 5 * G / 2, 0, 1 * G },
		{ 1 * G, 0, 256 * M },
		{ 1280 * M, 0, 64 * M },
		{ 2 * G, 8 * G, 256 * M },
		{ 3 * G, 4 * G, 256 * M },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hotmem_machine *m = boot("ppc64-radix-64k", rows[i].mem, rows[i].maxmem, 0);

		CHECK(t, m != NULL);
		if (!m)
			continue;
		CHECK_EQ_U64(t, read_u64(m, "/sys/devices/system/memory/block_size_bytes", 16),
			     rows[i].want);
		hotmem_free(m);
	}
}

/*
 * The boot memmap takes whole mapping units: 2 GiB of 64K pages have 2M
 * of struct pages, one radix PMD or 32 hash 64K pages (16M with 16M
 * pages); 3 GiB need two PMDs. With 4K pages 2 GiB have 32M, 8192 pages.
 */
static void test_boot_memmap_units(struct test_ctx *t)
{
	static const struct {
		const char *arch;
		uint64_t mem, hpt, want;
	} rows[] = {
		{ "ppc64-radix-64k", 2 * G, 0, 32 },
		{ "ppc64-radix-64k", 3 * G, 0, 64 },
		{ "ppc64-hash-64k", 2 * G, 0, 32 },
		{ "ppc64-hash-64k", 2 * G, 16 * M, 256 },
		{ "ppc64-radix-4k", 2 * G, 0, 8192 },
		{ "x86_64", 2 * G, 0, 8192 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct hotmem_machine *m = boot(rows[i].arch, rows[i].mem, 0, rows[i].hpt);
		uint64_t sections = rows[i].mem >> (strncmp(rows[i].arch, "ppc64", 5) ? 27 : 24);

		CHECK(t, m != NULL);
		if (!m)
			continue;
		CHECK_EQ_U64(t, boot_memmap_pages(m, sections), rows[i].want);
		hotmem_free(m);
	}
}

/* QEMU's spapr_memory_pre_plug: whole 256 MiB LMBs only, nothing changes */
static void test_dimm_lmb_rule(struct test_ctx *t)
{
	struct hotmem_machine *m = boot("ppc64-radix-64k", 2 * G, 8 * G, 0);
	char err[256];

	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", 384 * M, 0, err, sizeof(err)),
		     -EINVAL);
	CHECK_STR(t, err, "Hotplugged memory size must be a multiple of 256 MB");
	CHECK(t, !file_is(m, "/sys/devices/system/memory/memory8/state", "online\n"));
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", 512 * M, 0, err, sizeof(err)), 0);
	hotmem_free(m);
}

/*
 * DLPAR add: one resource per LMB, each onlined by the kernel even with
 * auto-online off (MMOP_ONLINE: ZONE_NORMAL under contig-zones), no
 * memory group, no firmware_node.
 */
static void test_dlpar_add(struct test_ctx *t)
{
	struct hotmem_machine *m = boot("ppc64-radix-64k", 2 * G, 8 * G, 0);
	enum hotmem_node_kind kind;
	unsigned int mode;
	char err[256], target[256], *iomem = NULL;

	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", 512 * M, 0, err, sizeof(err)), 0);
	CHECK(t, file_is(m, "/sys/devices/system/memory/memory8/state", "online\n"));
	CHECK(t, file_is(m, "/sys/devices/system/memory/memory9/valid_zones", "Normal\n"));
	CHECK_EQ_INT(t, hotmem_read(m, "/proc/iomem", &iomem), 0);
	CHECK(t, iomem && strstr(iomem, "80000000-8fffffff : System RAM\n90000000-9fffffff : System RAM\n"));
	free(iomem);
	CHECK_EQ_INT(t, hotmem_stat(m, "/sys/devices/system/memory/memory8/firmware_node",
				    &kind, &mode, target, sizeof(target)), -ENOENT);
	hotmem_free(m);
}

/*
 * DLPAR remove that an LMB refuses: the LMBs already removed are added
 * again (and onlined by dlpar_add_lmb: ZONE_NORMAL, not where they
 * were), and QEMU hears that the guest rejected the unplug.
 */
static void test_dlpar_remove_refused(struct test_ctx *t)
{
	struct hotmem_machine *m = boot("ppc64-radix-64k", 2 * G, 8 * G, 0);
	char err[256];

	CHECK(t, m != NULL);
	if (!m)
		return;
	CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", "d0", 512 * M, 0, err, sizeof(err)), 0);
	/* memory8 movable and then offline: removed first; memory9 refuses */
	CHECK_EQ_INT(t, (int)hotmem_write(m, "/sys/devices/system/memory/memory8/state",
					  "offline\n", 8), 8);
	CHECK_EQ_INT(t, (int)hotmem_write(m, "/sys/devices/system/memory/memory8/state",
					  "online_movable\n", 15), 15);
	CHECK_EQ_INT(t, (int)hotmem_write(m, "/sys/devices/system/memory/memory8/state",
					  "offline\n", 8), 8);
	CHECK_EQ_INT(t, hotmem_notifier_fail(m, "MEM_GOING_OFFLINE", -EBUSY, 1), 0);
	CHECK_EQ_INT(t, hotmem_device_del(m, "d0", err, sizeof(err)), -EBUSY);
	CHECK(t, strstr(err, "memory9") != NULL);
	CHECK(t, file_is(m, "/sys/devices/system/memory/memory8/state", "online\n"));
	CHECK(t, file_is(m, "/sys/devices/system/memory/memory8/valid_zones", "Normal\n"));
	CHECK(t, file_is(m, "/sys/devices/system/memory/memory9/state", "online\n"));
	hotmem_free(m);
}

void tests_pseries(struct test_ctx *t)
{
	RUN(t, test_block_size);
	RUN(t, test_boot_memmap_units);
	RUN(t, test_dimm_lmb_rule);
	RUN(t, test_dlpar_add);
	RUN(t, test_dlpar_remove_refused);
}
