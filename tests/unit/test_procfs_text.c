/*
 * test_procfs_text.c - unit tests of the procfs/sysfs text renderers.
 *
 * Contract: tests_procfs_text() runs every case through the harness.
 * The expected lines are built by hand from the 6.12 kernel's format
 * strings (fs/proc/meminfo.c, drivers/base/node.c, mm/hugetlb.c,
 * arch/x86/mm/pat/set_memory.c, mm/vmstat.c) for Debian's amd64 config.
 *
 * Expected workload: a few dozen small renders; milliseconds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/fs/procfs_text.h"

/* ---- helpers ------------------------------------------------------ */

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (; s && *s; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Line `idx` (0-based) of `s` into buf, without the newline; "" if none. */
static const char *line_at(const char *s, unsigned int idx, char *buf,
			   size_t size)
{
	const char *e;
	size_t n;

	buf[0] = '\0';
	while (s && *s && idx) {
		e = strchr(s, '\n');
		if (!e)
			return buf;
		s = e + 1;
		idx--;
	}
	if (!s || !*s)
		return buf;
	e = strchr(s, '\n');
	n = e ? (size_t)(e - s) : strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static unsigned int count_str(const char *s, const char *needle)
{
	unsigned int k = 0;

	while (s && (s = strstr(s, needle)) != NULL) {
		k++;
		s++;
	}
	return k;
}

/* Index of the first line equal to `want`, or -1. */
static int find_line(const char *s, const char *want)
{
	size_t wl = strlen(want);
	int idx = 0;

	while (s && *s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == wl && memcmp(s, want, n) == 0)
			return idx;
		if (!e)
			break;
		s = e + 1;
		idx++;
	}
	return -1;
}

/* Index of the first line starting with `prefix`, or -1. */
static int find_prefix(const char *s, const char *prefix)
{
	size_t pl = strlen(prefix);
	int idx = 0;

	while (s && *s) {
		const char *e = strchr(s, '\n');

		if (strncmp(s, prefix, pl) == 0)
			return idx;
		if (!e)
			break;
		s = e + 1;
		idx++;
	}
	return -1;
}

/* ---- /proc/meminfo ------------------------------------------------ */

static void meminfo_line_rule(struct test_ctx *t)
{
	struct meminfo_values v;
	struct strbuf sb;
	char buf[128];

	memset(&v, 0, sizeof(v));
	v.mem_total = 1953112;
	v.mem_free = 1800000;
	v.mem_available = 1850000;
	v.vmalloc_total = 34359738367ULL;
	v.hugepagesize = 2048;
	v.direct_map_4k = 30720;
	v.direct_map_2m = 2066432;
	v.direct_map_1g = 25165824;
	v.huge_pages_total = 12;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_meminfo(&sb, &v), 0);
	CHECK_STR(t, line_at(sb.buf, 0, buf, sizeof(buf)),
		  "MemTotal:        1953112 kB");
	CHECK_STR(t, line_at(sb.buf, 1, buf, sizeof(buf)),
		  "MemFree:         1800000 kB");
	CHECK_STR(t, line_at(sb.buf, 2, buf, sizeof(buf)),
		  "MemAvailable:    1850000 kB");
	CHECK_STR(t, line_at(sb.buf, 3, buf, sizeof(buf)),
		  "Buffers:               0 kB");
	/* a value wider than 8 widens the field */
	CHECK(t, find_line(sb.buf, "VmallocTotal:   34359738367 kB") >= 0);
	CHECK(t, find_line(sb.buf, "Inactive(anon):        0 kB") >= 0);
	CHECK(t, find_line(sb.buf, "Zswapped:              0 kB") >= 0);
	CHECK(t, find_line(sb.buf, "HardwareCorrupted:     0 kB") >= 0);
	CHECK(t, find_line(sb.buf, "HugePages_Total:      12") >= 0);
	CHECK(t, find_line(sb.buf, "HugePages_Free:        0") >= 0);
	CHECK(t, find_line(sb.buf, "HugePages_Rsvd:        0") >= 0);
	CHECK(t, find_line(sb.buf, "HugePages_Surp:        0") >= 0);
	CHECK(t, find_line(sb.buf, "Hugepagesize:       2048 kB") >= 0);
	CHECK(t, find_line(sb.buf, "Hugetlb:               0 kB") >= 0);
	CHECK(t, find_line(sb.buf, "Unaccepted:            0 kB") >= 0);
	CHECK(t, find_line(sb.buf, "DirectMap4k:       30720 kB") >= 0);
	CHECK(t, find_line(sb.buf, "DirectMap2M:     2066432 kB") >= 0);
	CHECK(t, find_line(sb.buf, "DirectMap1G:    25165824 kB") >= 0);
	/* not in 6.12 / not in this config */
	CHECK(t, find_prefix(sb.buf, "HighTotal:") < 0);
	CHECK(t, find_prefix(sb.buf, "CmaTotal:") < 0);
	CHECK(t, find_prefix(sb.buf, "Balloon:") < 0);
	CHECK(t, find_prefix(sb.buf, "ShadowCallStack:") < 0);
	CHECK(t, find_prefix(sb.buf, "EarlyMemtestBad:") < 0);
	CHECK_EQ_U64(t, count_lines(sb.buf), 55);
	sb_release(&sb);
}

static void meminfo_order(struct test_ctx *t)
{
	static const char *const labels[] = {
		"MemTotal:", "MemFree:", "MemAvailable:", "Buffers:",
		"Cached:", "SwapCached:", "Active:", "Inactive:",
		"Active(anon):", "Inactive(anon):", "Active(file):",
		"Inactive(file):", "Unevictable:", "Mlocked:", "SwapTotal:",
		"SwapFree:", "Zswap:", "Zswapped:", "Dirty:", "Writeback:",
		"AnonPages:", "Mapped:", "Shmem:", "KReclaimable:", "Slab:",
		"SReclaimable:", "SUnreclaim:", "KernelStack:", "PageTables:",
		"SecPageTables:", "NFS_Unstable:", "Bounce:", "WritebackTmp:",
		"CommitLimit:", "Committed_AS:", "VmallocTotal:",
		"VmallocUsed:", "VmallocChunk:", "Percpu:",
		"HardwareCorrupted:", "AnonHugePages:", "ShmemHugePages:",
		"ShmemPmdMapped:", "FileHugePages:", "FilePmdMapped:",
		"Unaccepted:", "HugePages_Total:", "HugePages_Free:",
		"HugePages_Rsvd:", "HugePages_Surp:", "Hugepagesize:",
		"Hugetlb:", "DirectMap4k:", "DirectMap2M:", "DirectMap1G:",
	};
	struct meminfo_values v;
	struct strbuf sb;
	char buf[128];
	size_t i;

	memset(&v, 0, sizeof(v));
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_meminfo(&sb, &v), 0);
	CHECK_EQ_U64(t, count_lines(sb.buf), sizeof(labels) / sizeof(labels[0]));
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		line_at(sb.buf, (unsigned int)i, buf, sizeof(buf));
		CHECK(t, strncmp(buf, labels[i], strlen(labels[i])) == 0);
	}
	sb_release(&sb);
}

static void meminfo_optional_lines(struct test_ctx *t)
{
	struct meminfo_values v;
	struct strbuf sb;
	int hc, em;

	memset(&v, 0, sizeof(v));
	v.no_direct_map_1g = 1;
	v.early_memtest_done = 1;
	v.early_memtest_bad = 4;
	v.hardware_corrupted = 123456;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_meminfo(&sb, &v), 0);
	CHECK(t, find_prefix(sb.buf, "DirectMap1G:") < 0);
	em = find_line(sb.buf, "EarlyMemtestBad:       4 kB");
	hc = find_line(sb.buf, "HardwareCorrupted: 123456 kB");
	CHECK(t, em >= 0);
	CHECK(t, hc == em + 1);
	CHECK(t, find_line(sb.buf, "Percpu:                0 kB") == em - 1);
	CHECK_EQ_U64(t, count_lines(sb.buf), 55);	/* -1G +memtest */
	sb_release(&sb);
}

static void meminfo_appends(struct test_ctx *t)
{
	struct meminfo_values v;
	struct strbuf sb;

	memset(&v, 0, sizeof(v));
	sb_init(&sb);
	CHECK_EQ_INT(t, sb_puts(&sb, "x\n"), 0);
	CHECK_EQ_INT(t, procfs_render_meminfo(&sb, &v), 0);
	CHECK(t, strncmp(sb.buf, "x\nMemTotal:              0 kB\n", 30) == 0);
	sb_release(&sb);
}

/* ---- node meminfo ------------------------------------------------- */

static void node_meminfo_lines(struct test_ctx *t)
{
	struct node_meminfo_values v;
	struct strbuf sb;
	char buf[128];

	memset(&v, 0, sizeof(v));
	v.nid = 0;
	v.mem_total = 1234567;
	v.mem_free = 1000000;
	v.mem_used = 234567;
	v.kernel_stack = 1396;
	v.huge_pages_total = 3;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_node_meminfo(&sb, &v), 0);
	CHECK_EQ_U64(t, count_lines(sb.buf), 37);
	CHECK_STR(t, line_at(sb.buf, 0, buf, sizeof(buf)),
		  "Node 0 MemTotal:        1234567 kB");
	CHECK_STR(t, line_at(sb.buf, 1, buf, sizeof(buf)),
		  "Node 0 MemFree:         1000000 kB");
	CHECK_STR(t, line_at(sb.buf, 2, buf, sizeof(buf)),
		  "Node 0 MemUsed:          234567 kB");
	CHECK_STR(t, line_at(sb.buf, 7, buf, sizeof(buf)),
		  "Node 0 Inactive(anon):        0 kB");
	CHECK_STR(t, line_at(sb.buf, 18, buf, sizeof(buf)),
		  "Node 0 KernelStack:        1396 kB");
	CHECK_STR(t, line_at(sb.buf, 33, buf, sizeof(buf)),
		  "Node 0 Unaccepted:            0 kB");
	CHECK_STR(t, line_at(sb.buf, 34, buf, sizeof(buf)),
		  "Node 0 HugePages_Total:     3");
	CHECK_STR(t, line_at(sb.buf, 35, buf, sizeof(buf)),
		  "Node 0 HugePages_Free:      0");
	CHECK_STR(t, line_at(sb.buf, 36, buf, sizeof(buf)),
		  "Node 0 HugePages_Surp:      0");
	sb_release(&sb);
}

static void node_meminfo_order(struct test_ctx *t)
{
	static const char *const labels[] = {
		"MemTotal:", "MemFree:", "MemUsed:", "SwapCached:", "Active:",
		"Inactive:", "Active(anon):", "Inactive(anon):",
		"Active(file):", "Inactive(file):", "Unevictable:", "Mlocked:",
		"Dirty:", "Writeback:", "FilePages:", "Mapped:", "AnonPages:",
		"Shmem:", "KernelStack:", "PageTables:", "SecPageTables:",
		"NFS_Unstable:", "Bounce:", "WritebackTmp:", "KReclaimable:",
		"Slab:", "SReclaimable:", "SUnreclaim:", "AnonHugePages:",
		"ShmemHugePages:", "ShmemPmdMapped:", "FileHugePages:",
		"FilePmdMapped:", "Unaccepted:", "HugePages_Total:",
		"HugePages_Free:", "HugePages_Surp:",
	};
	struct node_meminfo_values v;
	struct strbuf sb;
	char buf[128], want[64];
	size_t i;

	memset(&v, 0, sizeof(v));
	v.nid = 12;
	v.mem_total = 123456789;	/* 9 digits widen the field */
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_node_meminfo(&sb, &v), 0);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		snprintf(want, sizeof(want), "Node 12 %s", labels[i]);
		line_at(sb.buf, (unsigned int)i, buf, sizeof(buf));
		CHECK(t, strncmp(buf, want, strlen(want)) == 0);
	}
	CHECK_STR(t, line_at(sb.buf, 0, buf, sizeof(buf)),
		  "Node 12 MemTotal:       123456789 kB");
	CHECK_STR(t, line_at(sb.buf, 13, buf, sizeof(buf)),
		  "Node 12 Writeback:             0 kB");
	sb_release(&sb);
}

/* ---- /proc/zoneinfo ----------------------------------------------- */

static void fill_zone(struct zoneinfo_zone_values *z, const char *name)
{
	memset(z, 0, sizeof(*z));
	z->name = name;
}

/* Node 0: DMA populated, DMA32 populated, Normal/Movable/Device empty. */
static void two_zone_node(struct zoneinfo_node_values *n)
{
	static const char *const names[PROCFS_MAX_ZONES] = {
		"DMA", "DMA32", "Normal", "Movable", "Device"
	};
	unsigned int i;

	memset(n, 0, sizeof(*n));
	n->nid = 0;
	n->nr_zones = PROCFS_MAX_ZONES;
	for (i = 0; i < PROCFS_MAX_ZONES; i++)
		fill_zone(&n->zones[i], names[i]);
	n->zones[0].free = 3840;
	n->zones[0].min = 46;
	n->zones[0].low = 57;
	n->zones[0].high = 68;
	n->zones[0].promo = 79;
	n->zones[0].spanned = 4095;
	n->zones[0].present = 3998;
	n->zones[0].managed = 3840;
	n->zones[0].protection[1] = 1884;
	n->zones[0].protection[2] = 1884;
	n->zones[0].protection[3] = 1884;
	n->zones[0].protection[4] = 1884;
	n->zones[0].start_pfn = 1;
	n->zones[0].nr_cpus = 1;
	n->zones[0].pcp_batch = 1;
	n->zones[0].stat_threshold = 4;
	n->zones[1].free = 470000;
	n->zones[1].spanned = 520159;
	n->zones[1].present = 520159;
	n->zones[1].managed = 484000;
	n->zones[1].start_pfn = 4096;
	n->zones[1].nr_cpus = 2;
	n->zones[1].pcp_high = 5832;
	n->zones[1].pcp_batch = 63;
	n->zones[1].stat_threshold = 24;
	n->zones[2].start_pfn = 0;
}

static void zoneinfo_full_zone_text(struct test_ctx *t)
{
	struct zoneinfo_node_values n;
	struct strbuf sb;
	const char *dma, *dma32;
	static const char want_dma_tail[] =
		"  pages free     3840\n"
		"        boost    0\n"
		"        min      46\n"
		"        low      57\n"
		"        high     68\n"
		"        promo    79\n"
		"        spanned  4095\n"
		"        present  3998\n"
		"        managed  3840\n"
		"        cma      0\n"
		"        protection: (0, 1884, 1884, 1884, 1884)\n"
		"      nr_free_pages 3840\n"
		"      nr_zone_inactive_anon 0\n"
		"      nr_zone_active_anon 0\n"
		"      nr_zone_inactive_file 0\n"
		"      nr_zone_active_file 0\n"
		"      nr_zone_unevictable 0\n"
		"      nr_zone_write_pending 0\n"
		"      nr_mlock     0\n"
		"      nr_bounce    0\n"
		"      nr_zspages   0\n"
		"      nr_free_cma  0\n"
		"      nr_unaccepted 0\n"
		"      numa_hit     0\n"
		"      numa_miss    0\n"
		"      numa_foreign 0\n"
		"      numa_interleave 0\n"
		"      numa_local   0\n"
		"      numa_other   0\n"
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 0\n"
		"              high:  0\n"
		"              batch: 1\n"
		"  vm stats threshold: 4\n"
		"  node_unreclaimable:  0\n"
		"  start_pfn:           1\n"
		"Node 0, zone    DMA32\n"
		"  pages free     470000\n";

	two_zone_node(&n);
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_zoneinfo(&sb, &n, 1), 0);
	CHECK(t, strncmp(sb.buf, "Node 0, zone      DMA\n  per-node stats\n"
			 "      nr_inactive_anon 0\n", 62) == 0);
	dma = strstr(sb.buf, "  pages free     3840\n");
	CHECK(t, dma != NULL);
	if (dma)
		CHECK(t, strncmp(dma, want_dma_tail, strlen(want_dma_tail)) == 0);
	/* the per-node block is printed once, before DMA's "pages free" */
	CHECK_EQ_U64(t, count_str(sb.buf, "per-node stats"), 1);
	CHECK(t, dma && strstr(sb.buf, "per-node stats") < dma);
	dma32 = strstr(sb.buf, "Node 0, zone    DMA32\n");
	CHECK(t, dma32 != NULL);
	if (dma32)
		CHECK(t, strstr(dma32, "per-node stats") == NULL);
	CHECK(t, find_line(sb.buf, "      nr_mapped    0") >= 0);
	CHECK(t, find_line(sb.buf, "      nr_slab_reclaimable 0") >= 0);
	CHECK(t, find_line(sb.buf, "        spanned  4095") >= 0);
	sb_release(&sb);
}

static void zoneinfo_short_form(struct test_ctx *t)
{
	struct zoneinfo_node_values n;
	struct strbuf sb;
	const char *normal;
	static const char want_normal[] =
		"Node 0, zone   Normal\n"
		"  pages free     0\n"
		"        boost    0\n"
		"        min      0\n"
		"        low      0\n"
		"        high     0\n"
		"        promo    0\n"
		"        spanned  0\n"
		"        present  0\n"
		"        managed  0\n"
		"        cma      0\n"
		"        protection: (0, 0, 0, 0, 0)\n"
		"Node 0, zone  Movable\n";
	static const char want_device_end[] =
		"Node 0, zone   Device\n"
		"  pages free     0\n"
		"        boost    0\n"
		"        min      0\n"
		"        low      0\n"
		"        high     0\n"
		"        promo    0\n"
		"        spanned  262144\n"
		"        present  0\n"
		"        managed  0\n"
		"        cma      0\n"
		"        protection: (0, 0, 0, 0, 0)\n";
	size_t dl = strlen(want_device_end);

	two_zone_node(&n);
	n.zones[4].spanned = 262144;	/* ZONE_DEVICE: spanned, not present */
	n.zones[4].start_pfn = 0x100000;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_zoneinfo(&sb, &n, 1), 0);
	normal = strstr(sb.buf, "Node 0, zone   Normal\n");
	CHECK(t, normal != NULL);
	if (normal)
		CHECK(t, strncmp(normal, want_normal, strlen(want_normal)) == 0);
	CHECK(t, sb.len >= dl && strcmp(sb.buf + sb.len - dl, want_device_end) == 0);
	/* short forms have no pagesets / start_pfn: exactly two full zones */
	CHECK_EQ_U64(t, count_str(sb.buf, "  start_pfn:"), 2);
	sb_release(&sb);
}

static void zoneinfo_first_populated(struct test_ctx *t)
{
	struct zoneinfo_node_values nodes[2];
	struct strbuf sb;
	const char *n1, *p;
	int hdr;

	two_zone_node(&nodes[0]);
	two_zone_node(&nodes[1]);
	nodes[1].nid = 1;
	nodes[1].zones[0].present = 0;	/* DMA empty: DMA32 carries the block */
	nodes[1].stats = (const struct procfs_stat[]){
		{ "nr_kernel_stack", 1396 }, { "nr_dirtied", 685923 },
	};
	nodes[1].nr_stats = 2;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_zoneinfo(&sb, nodes, 2), 0);
	n1 = strstr(sb.buf, "Node 1, zone      DMA\n");
	CHECK(t, n1 != NULL);
	if (n1) {
		CHECK(t, strncmp(n1, "Node 1, zone      DMA\n  pages free     3840\n",
				 44) == 0);
		p = strstr(n1, "Node 1, zone    DMA32\n  per-node stats\n");
		CHECK(t, p != NULL);
		CHECK(t, strstr(n1, "      nr_kernel_stack 1396\n") != NULL);
		CHECK(t, strstr(n1, "      nr_dirtied   685923\n") != NULL);
	}
	/* one block per node: node 0 at DMA, node 1 at DMA32 */
	CHECK_EQ_U64(t, count_str(sb.buf, "  per-node stats\n"), 2);
	hdr = find_line(sb.buf, "Node 1, zone    DMA32");
	CHECK(t, hdr >= 0);
	CHECK_EQ_INT(t, find_line(sb.buf, "  pages free     470000"),
		     find_line(sb.buf, "Node 0, zone    DMA32") + 1);
	/* per-node block: 47 items on 6.12 amd64 */
	{
		unsigned int k = 0;
		const char *q = strstr(sb.buf, "  per-node stats\n");
		const char *end = q ? strstr(q, "  pages free") : NULL;

		for (; q && end && q < end; q++)
			if (*q == '\n')
				k++;
		CHECK_EQ_U64(t, k, 1 + 47);
	}
	sb_release(&sb);
}

static void zoneinfo_memoryless_node(struct test_ctx *t)
{
	struct zoneinfo_node_values n;
	struct strbuf sb;
	unsigned int i;

	two_zone_node(&n);
	n.nid = 3;
	for (i = 0; i < PROCFS_MAX_ZONES; i++) {
		n.zones[i].present = 0;
		n.zones[i].spanned = 0;
	}
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_zoneinfo(&sb, &n, 1), 0);
	CHECK(t, strstr(sb.buf, "per-node stats") == NULL);
	CHECK(t, strstr(sb.buf, "pagesets") == NULL);
	CHECK_EQ_U64(t, count_lines(sb.buf), 5 * 12);
	CHECK(t, strncmp(sb.buf, "Node 3, zone      DMA\n  pages free", 34) == 0);
	sb_release(&sb);
}

static void zoneinfo_per_cpu_pagesets(struct test_ctx *t)
{
	struct zoneinfo_node_values n;
	struct strbuf sb;
	const struct zoneinfo_pcp_values pcp[2] = {
		{ .count = 63, .high = 5832, .batch = 63, .stat_threshold = 24 },
		{ .count = 0, .high = 5800, .batch = 63, .stat_threshold = 24 },
	};
	static const char want[] =
		"  pagesets\n"
		"    cpu: 0\n"
		"              count: 63\n"
		"              high:  5832\n"
		"              batch: 63\n"
		"  vm stats threshold: 24\n"
		"    cpu: 1\n"
		"              count: 0\n"
		"              high:  5800\n"
		"              batch: 63\n"
		"  vm stats threshold: 24\n"
		"  node_unreclaimable:  1\n"
		"  start_pfn:           4096\n";
	const char *p;

	two_zone_node(&n);
	n.zones[1].pcp = pcp;
	n.zones[1].node_unreclaimable = 1;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_zoneinfo(&sb, &n, 1), 0);
	p = strstr(sb.buf, "Node 0, zone    DMA32\n");
	p = p ? strstr(p, "  pagesets\n") : NULL;
	CHECK(t, p != NULL);
	if (p)
		CHECK(t, strncmp(p, want, strlen(want)) == 0);
	/* 6.12 prints no high_min / high_max lines (6.18 does) */
	CHECK(t, strstr(sb.buf, "high_min") == NULL);
	sb_release(&sb);
}

static void zoneinfo_zone_stats_by_name(struct test_ctx *t)
{
	struct zoneinfo_node_values n;
	struct strbuf sb;
	const struct procfs_stat st[] = {
		{ "numa_hit", 2 }, { "nr_zone_active_file", 77 },
		{ "no_such_counter", 5 },
	};

	two_zone_node(&n);
	n.zones[1].stats = st;
	n.zones[1].nr_stats = 3;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_zoneinfo(&sb, &n, 1), 0);
	CHECK(t, find_line(sb.buf, "      numa_hit     2") >= 0);
	CHECK(t, find_line(sb.buf, "      nr_zone_active_file 77") >= 0);
	CHECK(t, strstr(sb.buf, "no_such_counter") == NULL);
	CHECK(t, find_line(sb.buf, "      nr_free_pages 470000") >= 0);
	sb_release(&sb);
}

/* ---- /proc/vmstat ------------------------------------------------- */

static void vmstat_memmap_neighbours(struct test_ctx *t)
{
	struct vmstat_values v;
	struct strbuf sb;
	int i;

	memset(&v, 0, sizeof(v));
	v.nr_free_pages = 470000;
	v.nr_dirty_threshold = 90000;
	v.nr_dirty_background_threshold = 45000;
	v.nr_memmap_pages = 512;
	v.nr_memmap_boot_pages = 8192;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_vmstat(&sb, &v), 0);
	i = find_line(sb.buf, "nr_memmap_pages 512");
	CHECK(t, i > 2);
	CHECK_EQ_INT(t, find_line(sb.buf, "pgdemote_khugepaged 0"), i - 3);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_dirty_threshold 90000"), i - 2);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_dirty_background_threshold 45000"),
		     i - 1);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_memmap_boot_pages 8192"), i + 1);
	CHECK_EQ_INT(t, find_line(sb.buf, "pgpgin 0"), i + 2);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_free_pages 470000"), 0);
	sb_release(&sb);
}

static void vmstat_layout(struct test_ctx *t)
{
	struct vmstat_values v;
	struct strbuf sb;
	char buf[128];
	unsigned int n;
	int i;

	memset(&v, 0, sizeof(v));
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_vmstat(&sb, &v), 0);
	n = count_lines(sb.buf);
	/* 184 counters for Debian amd64 6.12, then the retired nr_unstable */
	CHECK_EQ_U64(t, n, 185);
	CHECK_STR(t, line_at(sb.buf, n - 1, buf, sizeof(buf)), "nr_unstable 0");
	CHECK_STR(t, line_at(sb.buf, n - 2, buf, sizeof(buf)),
		  "direct_map_level3_splits 0");
	/* zone counters with ZSMALLOC and UNACCEPTED_MEMORY, then NUMA */
	i = find_line(sb.buf, "nr_bounce 0");
	CHECK_EQ_INT(t, i, 8);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_zspages 0"), i + 1);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_free_cma 0"), i + 2);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_unaccepted 0"), i + 3);
	CHECK_EQ_INT(t, find_line(sb.buf, "numa_hit 0"), i + 4);
	CHECK_EQ_INT(t, find_line(sb.buf, "nr_inactive_anon 0"), i + 10);
	/* per-zone events with ZONE_DEVICE */
	i = find_line(sb.buf, "pgalloc_dma 0");
	CHECK(t, i > 0);
	CHECK_EQ_INT(t, find_line(sb.buf, "pgalloc_device 0"), i + 4);
	CHECK_EQ_INT(t, find_line(sb.buf, "allocstall_dma 0"), i + 5);
	CHECK_EQ_INT(t, find_line(sb.buf, "pgskip_device 0"), i + 14);
	CHECK_EQ_INT(t, find_line(sb.buf, "pgfree 0"), i + 15);
	/* not in 6.12 (they are in 6.18) or not in this config */
	CHECK(t, find_prefix(sb.buf, "nr_free_pages_blocks") < 0);
	CHECK(t, find_prefix(sb.buf, "nr_hugetlb") < 0);
	CHECK(t, find_prefix(sb.buf, "cma_alloc_success") < 0);
	CHECK(t, find_prefix(sb.buf, "nr_tlb_remote_flush") < 0);
	CHECK(t, find_prefix(sb.buf, "nr_shadow_call_stack") < 0);
	CHECK(t, find_line(sb.buf, "balloon_migrate 0") >= 0);
	CHECK(t, find_line(sb.buf, "ksm_swpin_copy 0") >= 0);
	CHECK(t, find_line(sb.buf, "thp_split_pud 0") >= 0);
	sb_release(&sb);
}

static void vmstat_stats_by_name(struct test_ctx *t)
{
	struct vmstat_values v;
	struct strbuf sb;
	const struct procfs_stat st[] = {
		{ "pgfault", 123456789 }, { "nr_memmap_pages", 7 },
	};

	memset(&v, 0, sizeof(v));
	v.nr_memmap_pages = 512;
	v.stats = st;
	v.nr_stats = 2;
	sb_init(&sb);
	CHECK_EQ_INT(t, procfs_render_vmstat(&sb, &v), 0);
	CHECK(t, find_line(sb.buf, "pgfault 123456789") >= 0);
	CHECK(t, find_line(sb.buf, "nr_memmap_pages 7") >= 0);
	sb_release(&sb);
}

void tests_procfs_text(struct test_ctx *t)
{
	RUN(t, meminfo_line_rule);
	RUN(t, meminfo_order);
	RUN(t, meminfo_optional_lines);
	RUN(t, meminfo_appends);
	RUN(t, node_meminfo_lines);
	RUN(t, node_meminfo_order);
	RUN(t, zoneinfo_full_zone_text);
	RUN(t, zoneinfo_short_form);
	RUN(t, zoneinfo_first_populated);
	RUN(t, zoneinfo_memoryless_node);
	RUN(t, zoneinfo_per_cpu_pagesets);
	RUN(t, zoneinfo_zone_stats_by_name);
	RUN(t, vmstat_memmap_neighbours);
	RUN(t, vmstat_layout);
	RUN(t, vmstat_stats_by_name);
}
