/*
 * procfs_text.h - byte-exact Linux 6.12 text of /proc/meminfo,
 * /proc/vmstat, /proc/zoneinfo and /sys/devices/system/node/nodeN/meminfo
 * (Debian's amd64 configuration), rendered from plain value structs.
 *
 * Contract: the renderers know layouts only (labels, order, widths,
 * which lines exist); the model fills the values. Which lines exist
 * follows the build: each value struct carries `kconfig` (enum
 * kconfig_bit of src/arch/geometry.h: the zones and options of the
 * arch's Debian config); 0 means Debian amd64. Values the model does
 * not track are 0 in the structs and print as 0. Output is appended to
 * a struct strbuf; renderers return 0 or -ENOMEM.
 *
 * Expected workload: one render per read of the file; a few KiB each.
 */
#ifndef HOTMEM_PROCFS_TEXT_H
#define HOTMEM_PROCFS_TEXT_H

#include <stdint.h>
#include "../arch/geometry.h"
#include "../util/strbuf.h"

#define PROCFS_MAX_ZONES 5	/* DMA, DMA32, Normal, Movable, Device */

/*
 * A counter set by its name as the kernel prints it (e.g.
 * "nr_zone_active_file", "numa_hit", "pgfault"). Used for the many
 * counters of zoneinfo/vmstat that have no field of their own: a name
 * listed here overrides the default 0 (and, for names that also have a
 * field, the field). Names the layout does not contain are ignored.
 */
struct procfs_stat {
	const char *name;
	uint64_t value;
};

/* All values in KiB (as printed). */
struct meminfo_values {
	unsigned int kconfig;		/* enum kconfig_bit; 0 = Debian amd64 */
	enum direct_map_style direct_map;	/* which DirectMap* lines */
	uint64_t mem_total, mem_free, mem_available;
	uint64_t buffers, cached, swap_cached;
	uint64_t active, inactive, active_anon, inactive_anon;
	uint64_t active_file, inactive_file, unevictable, mlocked;
	uint64_t swap_total, swap_free, zswap, zswapped;
	uint64_t dirty, writeback, anon_pages, mapped, shmem;
	uint64_t kreclaimable, slab, sreclaimable, sunreclaim;
	uint64_t kernel_stack, page_tables, sec_page_tables;
	uint64_t nfs_unstable, bounce, writeback_tmp;
	uint64_t commit_limit, committed_as;
	uint64_t vmalloc_total, vmalloc_used, vmalloc_chunk, percpu;
	uint64_t hardware_corrupted;
	uint64_t anon_huge_pages, shmem_huge_pages, shmem_pmd_mapped;
	uint64_t file_huge_pages, file_pmd_mapped;
	uint64_t cma_total, cma_free;	/* printed only if the config has CMA */
	uint64_t unaccepted;
	uint64_t huge_pages_total, huge_pages_free, huge_pages_rsvd,
		 huge_pages_surp;	/* counts, not KiB */
	uint64_t hugepagesize, hugetlb;
	uint64_t direct_map_4k, direct_map_2m, direct_map_1g;
	uint64_t direct_map_64k, direct_map_1m, direct_map_2g;	/* ppc64, s390 */
	/* added: DirectMap1G is printed only when the kernel uses 1 GiB
	 * pages for the direct map (CPU has pdpe1gb, no "nogbpages");
	 * set this to 1 to drop the line (e.g. QEMU's default CPU model). */
	int no_direct_map_1g;
	/* hugepages_supported() is false (s390 without EDAT-1): no
	 * HugePages_*, Hugepagesize or Hugetlb lines */
	int no_hugetlb;
	/* added: "EarlyMemtestBad:" exists only after memtest= ran at boot */
	int early_memtest_done;
	uint64_t early_memtest_bad;
};

/* Node meminfo (drivers/base/node.c : node_read_meminfo), KiB. */
struct node_meminfo_values {
	int nid;
	unsigned int kconfig;		/* enum kconfig_bit; 0 = Debian amd64 */
	uint64_t mem_total, mem_free, mem_used;
	/* the rest of the lines the model does not track print as 0 */
	uint64_t huge_pages_total, huge_pages_free, huge_pages_surp;
	/* added: one field per remaining line, in print order (KiB) */
	uint64_t swap_cached, active, inactive, active_anon, inactive_anon;
	uint64_t active_file, inactive_file, unevictable, mlocked;
	uint64_t dirty, writeback, file_pages, mapped, anon_pages, shmem;
	uint64_t kernel_stack, page_tables, sec_page_tables;
	uint64_t nfs_unstable, bounce, writeback_tmp;
	uint64_t kreclaimable, slab, sreclaimable, sunreclaim;
	uint64_t anon_huge_pages, shmem_huge_pages, shmem_pmd_mapped;
	uint64_t file_huge_pages, file_pmd_mapped, unaccepted;
};

/* added: one CPU's pageset as printed in zoneinfo. */
struct zoneinfo_pcp_values {
	int count, high, batch;
	int stat_threshold;
};

/* One zone of /proc/zoneinfo, in pages. */
struct zoneinfo_zone_values {
	const char *name;		/* "DMA", "DMA32", "Normal", "Movable", "Device" */
	uint64_t free, boost, min, low, high, promo;
	uint64_t spanned, present, managed, cma;
	long protection[PROCFS_MAX_ZONES];	/* nr_zones of the node used */
	uint64_t start_pfn;
	int node_unreclaimable;
	/* per-cpu pagesets */
	unsigned int nr_cpus;
	unsigned int pcp_count, pcp_high, pcp_batch, pcp_high_min, pcp_high_max;
	unsigned int stat_threshold;
	/* (6.12 prints no high_min/high_max lines: those two are unused) */
	/* added: if non-NULL, nr_cpus per-CPU pagesets (index = cpu id)
	 * used instead of the uniform pcp_* / stat_threshold above */
	const struct zoneinfo_pcp_values *pcp;
	/* added: per-zone counters ("nr_zone_active_file", "numa_hit",
	 * ...) by name; nr_free_pages comes from `free` unless listed */
	const struct procfs_stat *stats;
	unsigned int nr_stats;
};

struct zoneinfo_node_values {
	int nid;
	unsigned int kconfig;		/* enum kconfig_bit; 0 = Debian amd64 */
	/* entries used in zones[]: every zone of the build (MAX_NR_ZONES of
	 * the kernel), in zone order; also the length of protection */
	unsigned int nr_zones;
	struct zoneinfo_zone_values zones[PROCFS_MAX_ZONES];
	/* per-node stats print as 0 except these */
	uint64_t nr_kernel_stack_kb_unused;	/* printed as nr_kernel_stack */
	/* added: per-node stats block ("nr_inactive_anon", ...) by name */
	const struct procfs_stat *stats;
	unsigned int nr_stats;
};

/* /proc/vmstat values the model tracks; everything else prints 0. */
struct vmstat_values {
	unsigned int kconfig;		/* enum kconfig_bit; 0 = Debian amd64 */
	uint64_t nr_free_pages;
	uint64_t nr_zone_by_name_unused;
	uint64_t nr_dirty_threshold, nr_dirty_background_threshold;
	uint64_t nr_memmap_pages, nr_memmap_boot_pages;
	/* added: any other /proc/vmstat counter by name */
	const struct procfs_stat *stats;
	unsigned int nr_stats;
};

int procfs_render_meminfo(struct strbuf *sb, const struct meminfo_values *v);
int procfs_render_node_meminfo(struct strbuf *sb,
			       const struct node_meminfo_values *v);
/* Renders all online nodes in order; nodes[] as passed. */
int procfs_render_zoneinfo(struct strbuf *sb,
			   const struct zoneinfo_node_values *nodes,
			   unsigned int nr_nodes);
int procfs_render_vmstat(struct strbuf *sb, const struct vmstat_values *v);

#endif /* HOTMEM_PROCFS_TEXT_H */
