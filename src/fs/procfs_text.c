/*
 * procfs_text.c - the text of /proc/meminfo, /proc/vmstat,
 * /proc/zoneinfo and /sys/devices/system/node/nodeN/meminfo exactly as
 * Debian's Linux 6.12 amd64 kernel prints them (see procfs_text.h for
 * the contract, docs/procfs-formats.md for where each layout comes from
 * and which configuration options decide which lines exist).
 *
 * Contract: pure functions of the value structs passed in; no global
 * state. Every renderer appends to a struct strbuf and returns 0, or
 * -ENOMEM with the buffer cut back to what it held before the call.
 *
 * Expected workload: one call per read of a file, a few KiB of output;
 * name look-ups are linear scans over a handful of entries.
 *
 * The layouts were written from the facts of the 6.12 sources (labels,
 * widths, order, the configuration of Debian's amd64 build); the name
 * tables below list the names as the kernel prints them.
 */
#include "procfs_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Counter names, in print order; each with the options it needs.     */

/* A name printed only when the build has every bit of `need`. */
struct name_entry {
	const char *name;
	unsigned int need;
};

/* enum zone_stat_item (CONFIG_ZSMALLOC=y, CONFIG_UNACCEPTED_MEMORY=y) */
static const struct name_entry zone_stat_names[] = {
	{ "nr_free_pages", 0 },
	{ "nr_zone_inactive_anon", 0 },
	{ "nr_zone_active_anon", 0 },
	{ "nr_zone_inactive_file", 0 },
	{ "nr_zone_active_file", 0 },
	{ "nr_zone_unevictable", 0 },
	{ "nr_zone_write_pending", 0 },
	{ "nr_mlock", 0 },
	{ "nr_bounce", 0 },
	{ "nr_zspages", 0 },
	{ "nr_free_cma", 0 },
	{ "nr_unaccepted", KCONFIG_UNACCEPTED_MEMORY },
};

/* enum numa_stat_item (CONFIG_NUMA=y) */
static const struct name_entry numa_stat_names[] = {
	{ "numa_hit", KCONFIG_NUMA },
	{ "numa_miss", KCONFIG_NUMA },
	{ "numa_foreign", KCONFIG_NUMA },
	{ "numa_interleave", KCONFIG_NUMA },
	{ "numa_local", KCONFIG_NUMA },
	{ "numa_other", KCONFIG_NUMA },
};

/* enum node_stat_item (IOMMU_SUPPORT, SWAP, NUMA_BALANCING on;
 * SHADOW_CALL_STACK not on x86) */
static const struct name_entry node_stat_names[] = {
	{ "nr_inactive_anon", 0 },
	{ "nr_active_anon", 0 },
	{ "nr_inactive_file", 0 },
	{ "nr_active_file", 0 },
	{ "nr_unevictable", 0 },
	{ "nr_slab_reclaimable", 0 },
	{ "nr_slab_unreclaimable", 0 },
	{ "nr_isolated_anon", 0 },
	{ "nr_isolated_file", 0 },
	{ "workingset_nodes", 0 },
	{ "workingset_refault_anon", 0 },
	{ "workingset_refault_file", 0 },
	{ "workingset_activate_anon", 0 },
	{ "workingset_activate_file", 0 },
	{ "workingset_restore_anon", 0 },
	{ "workingset_restore_file", 0 },
	{ "workingset_nodereclaim", 0 },
	{ "nr_anon_pages", 0 },
	{ "nr_mapped", 0 },
	{ "nr_file_pages", 0 },
	{ "nr_dirty", 0 },
	{ "nr_writeback", 0 },
	{ "nr_writeback_temp", 0 },
	{ "nr_shmem", 0 },
	{ "nr_shmem_hugepages", 0 },
	{ "nr_shmem_pmdmapped", 0 },
	{ "nr_file_hugepages", 0 },
	{ "nr_file_pmdmapped", 0 },
	{ "nr_anon_transparent_hugepages", 0 },
	{ "nr_vmscan_write", 0 },
	{ "nr_vmscan_immediate_reclaim", 0 },
	{ "nr_dirtied", 0 },
	{ "nr_written", 0 },
	{ "nr_throttled_written", 0 },
	{ "nr_kernel_misc_reclaimable", 0 },
	{ "nr_foll_pin_acquired", 0 },
	{ "nr_foll_pin_released", 0 },
	{ "nr_kernel_stack", 0 },
	{ "nr_page_table_pages", 0 },
	{ "nr_sec_page_table_pages", 0 },
	{ "nr_iommu_pages", 0 },
	{ "nr_swapcached", 0 },
	{ "pgpromote_success", KCONFIG_NUMA_BALANCING },
	{ "pgpromote_candidate", KCONFIG_NUMA_BALANCING },
	{ "pgdemote_kswapd", 0 },
	{ "pgdemote_direct", 0 },
	{ "pgdemote_khugepaged", 0 },
};

/* enum vm_stat_item (system-wide) */
static const struct name_entry vm_stat_names[] = {
	{ "nr_dirty_threshold", 0 },
	{ "nr_dirty_background_threshold", 0 },
	{ "nr_memmap_pages", 0 },
	{ "nr_memmap_boot_pages", 0 },
};

/* enum vm_event_item (VM_EVENT_COUNTERS, ZONE_DMA, ZONE_DMA32,
 * ZONE_DEVICE, NUMA, NUMA_BALANCING, MIGRATION, COMPACTION,
 * HUGETLB_PAGE, TRANSPARENT_HUGEPAGE (+PUD), MEMORY_BALLOON,
 * BALLOON_COMPACTION, SWAP, KSM, ZSWAP, X86 on; CMA, HIGHMEM,
 * DEBUG_TLBFLUSH, PER_VMA_LOCK_STATS, DEBUG_STACK_USAGE off) */
#define ZONE_EVENTS(base) \
	{ base "_dma", KCONFIG_ZONE_DMA }, \
	{ base "_dma32", KCONFIG_ZONE_DMA32 }, \
	{ base "_normal", 0 }, { base "_movable", 0 }, \
	{ base "_device", KCONFIG_ZONE_DEVICE }

static const struct name_entry vm_event_names[] = {
	{ "pgpgin", 0 },
	{ "pgpgout", 0 },
	{ "pswpin", 0 },
	{ "pswpout", 0 },
	ZONE_EVENTS("pgalloc"),
	ZONE_EVENTS("allocstall"),
	ZONE_EVENTS("pgskip"),
	{ "pgfree", 0 },
	{ "pgactivate", 0 },
	{ "pgdeactivate", 0 },
	{ "pglazyfree", 0 },
	{ "pgfault", 0 },
	{ "pgmajfault", 0 },
	{ "pglazyfreed", 0 },
	{ "pgrefill", 0 },
	{ "pgreuse", 0 },
	{ "pgsteal_kswapd", 0 },
	{ "pgsteal_direct", 0 },
	{ "pgsteal_khugepaged", 0 },
	{ "pgscan_kswapd", 0 },
	{ "pgscan_direct", 0 },
	{ "pgscan_khugepaged", 0 },
	{ "pgscan_direct_throttle", 0 },
	{ "pgscan_anon", 0 },
	{ "pgscan_file", 0 },
	{ "pgsteal_anon", 0 },
	{ "pgsteal_file", 0 },
	{ "zone_reclaim_success", KCONFIG_NUMA },
	{ "zone_reclaim_failed", KCONFIG_NUMA },
	{ "pginodesteal", 0 },
	{ "slabs_scanned", 0 },
	{ "kswapd_inodesteal", 0 },
	{ "kswapd_low_wmark_hit_quickly", 0 },
	{ "kswapd_high_wmark_hit_quickly", 0 },
	{ "pageoutrun", 0 },
	{ "pgrotated", 0 },
	{ "drop_pagecache", 0 },
	{ "drop_slab", 0 },
	{ "oom_kill", 0 },
	{ "numa_pte_updates", KCONFIG_NUMA_BALANCING },
	{ "numa_huge_pte_updates", KCONFIG_NUMA_BALANCING },
	{ "numa_hint_faults", KCONFIG_NUMA_BALANCING },
	{ "numa_hint_faults_local", KCONFIG_NUMA_BALANCING },
	{ "numa_pages_migrated", KCONFIG_NUMA_BALANCING },
	{ "pgmigrate_success", 0 },
	{ "pgmigrate_fail", 0 },
	{ "thp_migration_success", 0 },
	{ "thp_migration_fail", 0 },
	{ "thp_migration_split", 0 },
	{ "compact_migrate_scanned", 0 },
	{ "compact_free_scanned", 0 },
	{ "compact_isolated", 0 },
	{ "compact_stall", 0 },
	{ "compact_fail", 0 },
	{ "compact_success", 0 },
	{ "compact_daemon_wake", 0 },
	{ "compact_daemon_migrate_scanned", 0 },
	{ "compact_daemon_free_scanned", 0 },
	{ "htlb_buddy_alloc_success", 0 },
	{ "htlb_buddy_alloc_fail", 0 },
	{ "cma_alloc_success", KCONFIG_CMA },
	{ "cma_alloc_fail", KCONFIG_CMA },
	{ "unevictable_pgs_culled", 0 },
	{ "unevictable_pgs_scanned", 0 },
	{ "unevictable_pgs_rescued", 0 },
	{ "unevictable_pgs_mlocked", 0 },
	{ "unevictable_pgs_munlocked", 0 },
	{ "unevictable_pgs_cleared", 0 },
	{ "unevictable_pgs_stranded", 0 },
	{ "thp_fault_alloc", 0 },
	{ "thp_fault_fallback", 0 },
	{ "thp_fault_fallback_charge", 0 },
	{ "thp_collapse_alloc", 0 },
	{ "thp_collapse_alloc_failed", 0 },
	{ "thp_file_alloc", 0 },
	{ "thp_file_fallback", 0 },
	{ "thp_file_fallback_charge", 0 },
	{ "thp_file_mapped", 0 },
	{ "thp_split_page", 0 },
	{ "thp_split_page_failed", 0 },
	{ "thp_deferred_split_page", 0 },
	{ "thp_underused_split_page", 0 },
	{ "thp_split_pmd", 0 },
	{ "thp_scan_exceed_none_pte", 0 },
	{ "thp_scan_exceed_swap_pte", 0 },
	{ "thp_scan_exceed_share_pte", 0 },
	{ "thp_split_pud", KCONFIG_THP_PUD },
	{ "thp_zero_page_alloc", 0 },
	{ "thp_zero_page_alloc_failed", 0 },
	{ "thp_swpout", 0 },
	{ "thp_swpout_fallback", 0 },
	{ "balloon_inflate", 0 },
	{ "balloon_deflate", 0 },
	{ "balloon_migrate", 0 },
	{ "swap_ra", 0 },
	{ "swap_ra_hit", 0 },
	{ "swpin_zero", 0 },
	{ "swpout_zero", 0 },
	{ "ksm_swpin_copy", 0 },
	{ "cow_ksm", 0 },
	{ "zswpin", 0 },
	{ "zswpout", 0 },
	{ "zswpwb", 0 },
	{ "direct_map_level2_splits", KCONFIG_X86 },
	{ "direct_map_level3_splits", KCONFIG_X86 },
};

/* ------------------------------------------------------------------ */
/* helpers                                                             */

/* A render: appends, and on failure cuts the buffer back. */
struct render {
	struct strbuf *sb;
	size_t start;
	int err;
};

static void render_begin(struct render *r, struct strbuf *sb)
{
	r->sb = sb;
	r->start = sb->len;
	r->err = 0;
}

static int render_end(struct render *r)
{
	if (r->err) {
		r->sb->len = r->start;
		if (r->sb->buf)
			r->sb->buf[r->start] = '\0';
		return -ENOMEM;
	}
	return 0;
}

static void out(struct render *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(struct render *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err)
		return;
	va_start(ap, fmt);
	if (sb_vprintf(r->sb, fmt, ap))
		r->err = -ENOMEM;
	va_end(ap);
}

/* The build's option bits: 0 stands for Debian amd64. */
static unsigned int build_of(unsigned int kconfig)
{
	return kconfig ? kconfig : KCONFIG_DEBIAN_AMD64;
}

static int has(unsigned int kconfig, unsigned int need)
{
	return (need & ~build_of(kconfig)) == 0;
}

/* The value listed for `name`, or `dflt`. The last entry wins. */
static uint64_t stat_value(const struct procfs_stat *stats, unsigned int n,
			   const char *name, uint64_t dflt)
{
	uint64_t v = dflt;
	unsigned int i;

	if (!stats)
		return dflt;
	for (i = 0; i < n; i++)
		if (stats[i].name && strcmp(stats[i].name, name) == 0)
			v = stats[i].value;
	return v;
}

/* ------------------------------------------------------------------ */
/* /proc/meminfo                                                       */

/*
 * The common line: a 16-character label (colon and padding included),
 * the value right-aligned in 8 columns (wider values widen), " kB".
 */
static void kb_line(struct render *r, const char *label, uint64_t kb)
{
	out(r, "%-16s%8llu kB\n", label, (unsigned long long)kb);
}

int procfs_render_meminfo(struct strbuf *sb, const struct meminfo_values *v)
{
	struct render r;

	render_begin(&r, sb);
	kb_line(&r, "MemTotal:", v->mem_total);
	kb_line(&r, "MemFree:", v->mem_free);
	kb_line(&r, "MemAvailable:", v->mem_available);
	kb_line(&r, "Buffers:", v->buffers);
	kb_line(&r, "Cached:", v->cached);
	kb_line(&r, "SwapCached:", v->swap_cached);
	kb_line(&r, "Active:", v->active);
	kb_line(&r, "Inactive:", v->inactive);
	kb_line(&r, "Active(anon):", v->active_anon);
	kb_line(&r, "Inactive(anon):", v->inactive_anon);
	kb_line(&r, "Active(file):", v->active_file);
	kb_line(&r, "Inactive(file):", v->inactive_file);
	kb_line(&r, "Unevictable:", v->unevictable);
	kb_line(&r, "Mlocked:", v->mlocked);
	/* no HighTotal/HighFree/LowTotal/LowFree: no HIGHMEM on x86-64 */
	kb_line(&r, "SwapTotal:", v->swap_total);
	kb_line(&r, "SwapFree:", v->swap_free);
	kb_line(&r, "Zswap:", v->zswap);			/* ZSWAP */
	kb_line(&r, "Zswapped:", v->zswapped);
	kb_line(&r, "Dirty:", v->dirty);
	kb_line(&r, "Writeback:", v->writeback);
	kb_line(&r, "AnonPages:", v->anon_pages);
	kb_line(&r, "Mapped:", v->mapped);
	kb_line(&r, "Shmem:", v->shmem);
	kb_line(&r, "KReclaimable:", v->kreclaimable);
	kb_line(&r, "Slab:", v->slab);
	kb_line(&r, "SReclaimable:", v->sreclaimable);
	kb_line(&r, "SUnreclaim:", v->sunreclaim);
	kb_line(&r, "KernelStack:", v->kernel_stack);
	/* no ShadowCallStack: not on x86 */
	kb_line(&r, "PageTables:", v->page_tables);
	kb_line(&r, "SecPageTables:", v->sec_page_tables);
	kb_line(&r, "NFS_Unstable:", v->nfs_unstable);
	kb_line(&r, "Bounce:", v->bounce);
	kb_line(&r, "WritebackTmp:", v->writeback_tmp);
	kb_line(&r, "CommitLimit:", v->commit_limit);
	kb_line(&r, "Committed_AS:", v->committed_as);
	kb_line(&r, "VmallocTotal:", v->vmalloc_total);
	kb_line(&r, "VmallocUsed:", v->vmalloc_used);
	kb_line(&r, "VmallocChunk:", v->vmalloc_chunk);
	kb_line(&r, "Percpu:", v->percpu);
	if (v->early_memtest_done)				/* MEMTEST + memtest= */
		out(&r, "EarlyMemtestBad:   %5llu kB\n",
		    (unsigned long long)v->early_memtest_bad);
	if (has(v->kconfig, KCONFIG_MEMORY_FAILURE))
		out(&r, "HardwareCorrupted: %5llu kB\n",
		    (unsigned long long)v->hardware_corrupted);
	kb_line(&r, "AnonHugePages:", v->anon_huge_pages);	/* THP */
	kb_line(&r, "ShmemHugePages:", v->shmem_huge_pages);
	kb_line(&r, "ShmemPmdMapped:", v->shmem_pmd_mapped);
	kb_line(&r, "FileHugePages:", v->file_huge_pages);
	kb_line(&r, "FilePmdMapped:", v->file_pmd_mapped);
	if (has(v->kconfig, KCONFIG_CMA)) {	/* not in Debian's amd64 */
		kb_line(&r, "CmaTotal:", v->cma_total);
		kb_line(&r, "CmaFree:", v->cma_free);
	}
	if (has(v->kconfig, KCONFIG_UNACCEPTED_MEMORY))
		kb_line(&r, "Unaccepted:", v->unaccepted);
	if (!v->no_hugetlb) {
		out(&r, "HugePages_Total:   %5llu\n",		/* HUGETLB_PAGE */
		    (unsigned long long)v->huge_pages_total);
		out(&r, "HugePages_Free:    %5llu\n",
		    (unsigned long long)v->huge_pages_free);
		out(&r, "HugePages_Rsvd:    %5llu\n",
		    (unsigned long long)v->huge_pages_rsvd);
		out(&r, "HugePages_Surp:    %5llu\n",
		    (unsigned long long)v->huge_pages_surp);
		kb_line(&r, "Hugepagesize:", v->hugepagesize);
		kb_line(&r, "Hugetlb:", v->hugetlb);
	}
	/* arch_report_meminfo: only x86, s390 and ppc64 radix have one */
	switch (v->direct_map) {
	case DIRECT_MAP_X86:
		kb_line(&r, "DirectMap4k:", v->direct_map_4k);
		kb_line(&r, "DirectMap2M:", v->direct_map_2m);
		if (!v->no_direct_map_1g)
			kb_line(&r, "DirectMap1G:", v->direct_map_1g);
		break;
	case DIRECT_MAP_S390:
		kb_line(&r, "DirectMap4k:", v->direct_map_4k);
		kb_line(&r, "DirectMap1M:", v->direct_map_1m);
		kb_line(&r, "DirectMap2G:", v->direct_map_2g);
		break;
	case DIRECT_MAP_PPC_RADIX:
		kb_line(&r, "DirectMap4k:", v->direct_map_4k);
		/* the kernel pads this label with four spaces, not three */
		out(&r, "DirectMap64k:    %8llu kB\n",
		    (unsigned long long)v->direct_map_64k);
		kb_line(&r, "DirectMap2M:", v->direct_map_2m);
		kb_line(&r, "DirectMap1G:", v->direct_map_1g);
		break;
	case DIRECT_MAP_NONE:
		break;
	}
	return render_end(&r);
}

/* ------------------------------------------------------------------ */
/* /sys/devices/system/node/nodeN/meminfo                              */

int procfs_render_node_meminfo(struct strbuf *sb,
			       const struct node_meminfo_values *v)
{
	const struct {
		const char *label;
		size_t off;
		unsigned int need;
	} lines[] = {
#define L(label, field) { label, offsetof(struct node_meminfo_values, field), 0 }
		L("MemTotal:", mem_total),
		L("MemFree:", mem_free),
		L("MemUsed:", mem_used),
		L("SwapCached:", swap_cached),
		L("Active:", active),
		L("Inactive:", inactive),
		L("Active(anon):", active_anon),
		L("Inactive(anon):", inactive_anon),
		L("Active(file):", active_file),
		L("Inactive(file):", inactive_file),
		L("Unevictable:", unevictable),
		L("Mlocked:", mlocked),
		L("Dirty:", dirty),
		L("Writeback:", writeback),
		L("FilePages:", file_pages),
		L("Mapped:", mapped),
		L("AnonPages:", anon_pages),
		L("Shmem:", shmem),
		L("KernelStack:", kernel_stack),
		L("PageTables:", page_tables),
		L("SecPageTables:", sec_page_tables),
		L("NFS_Unstable:", nfs_unstable),
		L("Bounce:", bounce),
		L("WritebackTmp:", writeback_tmp),
		L("KReclaimable:", kreclaimable),
		L("Slab:", slab),
		L("SReclaimable:", sreclaimable),
		L("SUnreclaim:", sunreclaim),
		L("AnonHugePages:", anon_huge_pages),
		L("ShmemHugePages:", shmem_huge_pages),
		L("ShmemPmdMapped:", shmem_pmd_mapped),
		L("FileHugePages:", file_huge_pages),
		L("FilePmdMapped:", file_pmd_mapped),
		{ "Unaccepted:", offsetof(struct node_meminfo_values, unaccepted),
		  KCONFIG_UNACCEPTED_MEMORY },
#undef L
	};
	struct render r;
	size_t i;

	render_begin(&r, sb);
	for (i = 0; i < ARRAY_LEN(lines); i++) {
		uint64_t val;

		if (!has(v->kconfig, lines[i].need))
			continue;
		memcpy(&val, (const char *)v + lines[i].off, sizeof(val));
		out(&r, "Node %d %-16s%8llu kB\n", v->nid, lines[i].label,
		    (unsigned long long)val);
	}
	/* hugetlb's per-node lines: unsigned int counts, no unit */
	out(&r, "Node %d HugePages_Total: %5u\n", v->nid,
	    (unsigned int)v->huge_pages_total);
	out(&r, "Node %d HugePages_Free:  %5u\n", v->nid,
	    (unsigned int)v->huge_pages_free);
	out(&r, "Node %d HugePages_Surp:  %5u\n", v->nid,
	    (unsigned int)v->huge_pages_surp);
	return render_end(&r);
}

/* ------------------------------------------------------------------ */
/* /proc/zoneinfo                                                      */

static void item_line(struct render *r, const char *name, uint64_t val)
{
	out(r, "\n      %-12s %llu", name, (unsigned long long)val);
}

static void zoneinfo_node_stats(struct render *r,
				const struct zoneinfo_node_values *n)
{
	size_t i;

	out(r, "\n  per-node stats");
	for (i = 0; i < ARRAY_LEN(node_stat_names); i++) {
		const char *name = node_stat_names[i].name;
		uint64_t dflt = 0;

		if (!has(n->kconfig, node_stat_names[i].need))
			continue;
		if (strcmp(name, "nr_kernel_stack") == 0)
			dflt = n->nr_kernel_stack_kb_unused;
		item_line(r, name, stat_value(n->stats, n->nr_stats, name,
					      dflt));
	}
}

static void zoneinfo_zone(struct render *r,
			  const struct zoneinfo_node_values *n,
			  const struct zoneinfo_zone_values *z,
			  int first_populated)
{
	unsigned int cpu;
	size_t i;

	out(r, "Node %d, zone %8s", n->nid, z->name ? z->name : "");
	if (first_populated)
		zoneinfo_node_stats(r, n);
	out(r, "\n  pages free     %llu"
	       "\n        boost    %llu"
	       "\n        min      %llu"
	       "\n        low      %llu"
	       "\n        high     %llu"
	       "\n        promo    %llu"
	       "\n        spanned  %llu"
	       "\n        present  %llu"
	       "\n        managed  %llu"
	       "\n        cma      %llu",
	    (unsigned long long)z->free, (unsigned long long)z->boost,
	    (unsigned long long)z->min, (unsigned long long)z->low,
	    (unsigned long long)z->high, (unsigned long long)z->promo,
	    (unsigned long long)z->spanned, (unsigned long long)z->present,
	    (unsigned long long)z->managed, (unsigned long long)z->cma);
	/* one entry per zone of the build (the kernel's MAX_NR_ZONES) */
	out(r, "\n        protection: (%ld", z->protection[0]);
	for (i = 1; i < n->nr_zones && i < PROCFS_MAX_ZONES; i++)
		out(r, ", %ld", z->protection[i]);
	out(r, ")");
	if (z->present == 0) {		/* unpopulated: nothing more */
		out(r, "\n");
		return;
	}
	for (i = 0; i < ARRAY_LEN(zone_stat_names); i++) {
		uint64_t dflt = i == 0 ? z->free : 0;	/* nr_free_pages */

		if (!has(n->kconfig, zone_stat_names[i].need))
			continue;
		if (strcmp(zone_stat_names[i].name, "nr_free_cma") == 0)
			dflt = z->cma;	/* the model never allocates CMA */
		item_line(r, zone_stat_names[i].name,
			  stat_value(z->stats, z->nr_stats,
				     zone_stat_names[i].name, dflt));
	}
	for (i = 0; i < ARRAY_LEN(numa_stat_names); i++)
		if (has(n->kconfig, numa_stat_names[i].need))
			item_line(r, numa_stat_names[i].name,
				  stat_value(z->stats, z->nr_stats,
					     numa_stat_names[i].name, 0));
	out(r, "\n  pagesets");
	for (cpu = 0; cpu < z->nr_cpus; cpu++) {
		int count = (int)z->pcp_count, high = (int)z->pcp_high;
		int batch = (int)z->pcp_batch;
		int thresh = (int)z->stat_threshold;

		if (z->pcp) {
			count = z->pcp[cpu].count;
			high = z->pcp[cpu].high;
			batch = z->pcp[cpu].batch;
			thresh = z->pcp[cpu].stat_threshold;
		}
		out(r, "\n    cpu: %u"
		       "\n              count: %d"
		       "\n              high:  %d"
		       "\n              batch: %d"
		       "\n  vm stats threshold: %d",
		    cpu, count, high, batch, thresh);
	}
	out(r, "\n  node_unreclaimable:  %u"
	       "\n  start_pfn:           %llu\n",
	    z->node_unreclaimable ? 1u : 0u,
	    (unsigned long long)z->start_pfn);
}

int procfs_render_zoneinfo(struct strbuf *sb,
			   const struct zoneinfo_node_values *nodes,
			   unsigned int nr_nodes)
{
	struct render r;
	unsigned int i, zi;

	render_begin(&r, sb);
	for (i = 0; i < nr_nodes; i++) {
		const struct zoneinfo_node_values *n = &nodes[i];
		unsigned int nz = n->nr_zones;
		int first = -1;

		if (nz > PROCFS_MAX_ZONES)
			nz = PROCFS_MAX_ZONES;
		/* the per-node block goes with the first zone with present
		 * pages; a node without any prints none */
		for (zi = 0; zi < nz; zi++) {
			if (n->zones[zi].present) {
				first = (int)zi;
				break;
			}
		}
		for (zi = 0; zi < nz; zi++)
			zoneinfo_zone(&r, n, &n->zones[zi], (int)zi == first);
	}
	return render_end(&r);
}

/* ------------------------------------------------------------------ */
/* /proc/vmstat                                                        */

static void vmstat_block(struct render *r, const struct vmstat_values *v,
			 const struct name_entry *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name = names[i].name;
		uint64_t dflt = 0;

		if (!has(v->kconfig, names[i].need))
			continue;
		if (strcmp(name, "nr_free_pages") == 0)
			dflt = v->nr_free_pages;
		else if (strcmp(name, "nr_dirty_threshold") == 0)
			dflt = v->nr_dirty_threshold;
		else if (strcmp(name, "nr_dirty_background_threshold") == 0)
			dflt = v->nr_dirty_background_threshold;
		else if (strcmp(name, "nr_memmap_pages") == 0)
			dflt = v->nr_memmap_pages;
		else if (strcmp(name, "nr_memmap_boot_pages") == 0)
			dflt = v->nr_memmap_boot_pages;
		out(r, "%s %llu\n", name, (unsigned long long)
		    stat_value(v->stats, v->nr_stats, name, dflt));
	}
}

int procfs_render_vmstat(struct strbuf *sb, const struct vmstat_values *v)
{
	struct render r;

	render_begin(&r, sb);
	vmstat_block(&r, v, zone_stat_names, ARRAY_LEN(zone_stat_names));
	vmstat_block(&r, v, numa_stat_names, ARRAY_LEN(numa_stat_names));
	vmstat_block(&r, v, node_stat_names, ARRAY_LEN(node_stat_names));
	vmstat_block(&r, v, vm_stat_names, ARRAY_LEN(vm_stat_names));
	vmstat_block(&r, v, vm_event_names, ARRAY_LEN(vm_event_names));
	/* a retired counter the kernel still prints last, always 0 */
	out(&r, "nr_unstable 0\n");
	return render_end(&r);
}
