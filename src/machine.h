/*
 * machine.h - struct hotmem_machine: the one object that owns every
 * piece of a simulated machine's state, and the helpers all layers use
 * to reach it (kernel log, trace).
 *
 * Contract: no global state anywhere; clone is a deep copy of this
 * struct's members; boot builds it from a hotmem_config as a QEMU q35
 * guest running Debian's 6.12 kernel would come up.
 * Expected workload: one per simulated machine; clones for what-ifs.
 */
#ifndef HOTMEM_MACHINE_H
#define HOTMEM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "hotmem.h"
#include "arch/direct_map.h"
#include "arch/geometry.h"
#include "mm/sparse.h"
#include "mm/mmzone.h"
#include "mm/vmemmap.h"
#include "mm/memremap.h"
#include "mm/memory_tiers.h"
#include "kernel/resource.h"
#include "hotplug/hotplug.h"
#include "drivers/nvdimm.h"
#include "drivers/dax.h"
#include "drivers/cxl.h"
#include "util/strbuf.h"

#define MAX_NUMNODES HOTMEM_MAX_NODES

/* A boot RAM range of a node (memblock.memory). */
struct memblock_region {
	uint64_t start_pfn, end_pfn;
	int nid;
};

/* A QEMU pc-dimm and its ACPI memory device (PNP0C80). */
struct acpi_memory_device {
	char id[64];
	uint64_t addr, size;
	int node;
	int slot;
	int group;		/* memory group, -1 if none was created */
	bool enabled;		/* its memory was added */
	bool nvdimm;		/* a QEMU nvdimm: an NFIT pmem region, not RAM */
	bool dlpar;		/* pseries: added LMB by LMB (no group, no
				 * firmware_node, a resource per LMB) */
	bool used;
};

struct platform;
struct import_state;

struct hotmem_machine {
	struct hotmem_config cfg;
	struct hm_geometry geo;
	const struct platform *platform;	/* the QEMU machine type (src/platform) */
	struct import_state *import;	/* an imported real machine (src/import), or NULL */
	/* ZONE_DMA, ZONE_DMA32 ends (pfn) the firmware sets; 0 = the profile's */
	uint64_t zone_end_pfn_fw[2];

	uint64_t block_size;		/* memory_block_size_bytes() */
	uint64_t sections_per_block;
	uint64_t pages_per_block;

	struct sparse sparse;
	struct vmemmap vmemmap;
	struct pglist_data nodes[MAX_NUMNODES];
	unsigned int nr_node_ids;	/* QEMU's nodes; .possible says which Linux has */
	struct extent_vec extents;
	struct memblock_region *memblock;
	size_t nr_memblock;
	struct resource_tree iomem;

	struct memory_block **blocks;	/* sorted by id */
	size_t nr_blocks, alloc_blocks;
	struct memory_group *groups;
	size_t nr_groups;
	struct memory_notifier *notifiers;
	size_t nr_notifiers;
	/*
	 * memory-notifier-error-inject (lib/memory-notifier-error-inject.c):
	 * the errno its debugfs actions/MEM_GOING_{ONLINE,OFFLINE}/error
	 * files hold (0 or -1..-4095); its notifier joins the chain at the
	 * first write, as when the module is loaded.
	 */
	int nei_error[2];
	bool nei_registered;
	struct acpi_memory_device *dimms;
	size_t nr_dimms;
	struct dev_pagemap *pgmaps;	/* ZONE_DEVICE mappings (mm/memremap.c) */
	size_t nr_pgmaps;
	struct nd_bus nd;		/* libnvdimm: e820 pmem (drivers/nvdimm) */
	struct dax_bus dax;		/* dax regions/devices (drivers/dax) */
	struct cxl_state cxl;		/* CXL type-3 devices (drivers/cxl) */
	struct memory_tiers memtiers;	/* mm/memory-tiers.c */

	/* QEMU's device-memory region for DIMMs (the platform's) */
	uint64_t device_memory_base, device_memory_size;

	/* kernel parameters in force */
	enum hotmem_memmap_on_memory memmap_on_memory;
	int auto_online_type;		/* auto_online_blocks / memhp_default_state */
	enum hotmem_online_policy online_policy;
	unsigned int auto_movable_ratio;
	bool auto_movable_numa_aware;
	bool movable_node;
	bool thp_enabled;		/* transparent_hugepage != never */

	/* /proc/vmstat memmap counters (global) */
	uint64_t min_free_kbytes;
	int64_t nr_memmap_pages;
	int64_t nr_memmap_boot_pages;
	uint64_t direct_map_bytes;	/* hot-added linear mapping (DirectMap2M/1G) */
	/* hot-added linear mapping per page size (enum direct_map_class),
	 * as arch_add_memory mapped it: s390 and ppc64 radix */
	uint64_t direct_map_hot[DM_NR];
	uint64_t boot_direct_map_4k, boot_direct_map_2m, boot_direct_map_1g;

	/* s390 sclp storage increments (drivers/s390/char/sclp_cmd.c) */
	uint64_t sclp_rzm;		/* increment size, bytes */
	uint8_t *sclp_standby;		/* per increment (rn - 1): 1 = standby */
	size_t sclp_nr_incr;

	struct strbuf dmesg;
	struct strbuf trace;
	bool trace_on;
	bool vmemmap_alloc_failure_logged;
	bool offnode_logged;
};

/*
 * hugepages_supported(): the kernel found a default huge page size. The
 * ppc64 hash MMU has 16M pages only when the hypervisor allows pages
 * that large (QEMU pseries: cap-hpt-max-page-size=16M); without them
 * /proc/meminfo has no HugePages lines and the vmemmap uses base pages.
 */
bool hugepages_supported(const struct hotmem_machine *m);
/* has_transparent_hugepage(): THP and khugepaged exist (ppc64 hash: only
 * 64K pages with 16M pages) */
bool has_transparent_hugepage(const struct hotmem_machine *m);

void machine_log(struct hotmem_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void machine_trace(struct hotmem_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline uint64_t PFN_PHYS(const struct hotmem_machine *m, uint64_t pfn)
{
	return pfn << m->geo.page_shift;
}

static inline uint64_t PHYS_PFN(const struct hotmem_machine *m, uint64_t addr)
{
	return addr >> m->geo.page_shift;
}

int hotmem_online_type_from_string(const char *s);
uint64_t totalram_pages(const struct hotmem_machine *m);
uint64_t global_free_pages(const struct hotmem_machine *m);
/* calculate_totalreserve_pages(): what MemAvailable keeps back. */
uint64_t totalreserve_pages(const struct hotmem_machine *m);
/* End pfn of boot zone zid (DMA, DMA32; UINT64_MAX above) on this profile. */
uint64_t zone_limit_pfn(const struct hotmem_machine *m, int zid);
/* Boot m->cfg on m->platform (or the profile's platform when NULL). */
int machine_boot(struct hotmem_machine *m, char *err, size_t errlen);

/* ACPI memory device driver (drivers/acpi/acpi_memhotplug.c) */
int acpi_memory_device_add(struct hotmem_machine *m,
			   struct acpi_memory_device *dev);
int acpi_memory_device_eject(struct hotmem_machine *m,
			     struct acpi_memory_device *dev, char *err,
			     size_t errlen);

/* Arch memory notifiers and s390 standby memory (src/drivers/arch_notifiers.c). */
/* nodes QEMU's SRAT names (0..N-1), or -1 if Linux would renumber */
int srat_named_nodes(const struct hotmem_machine *m, unsigned int *skipped,
		     unsigned int *named);
int arch_memory_notifiers_init(struct hotmem_machine *m);
uint64_t sclp_rzm(const struct hotmem_config *c);
int sclp_detect_standby_memory(struct hotmem_machine *m, char *err, size_t errlen);
int sclp_mem_notifier(struct hotmem_machine *m, unsigned long action,
		      const struct memory_notify *arg);
int prevent_bootmem_remove_notifier(struct hotmem_machine *m, unsigned long action,
				    const struct memory_notify *arg);

/* The virtual sysfs/procfs tree (src/fs). */
int sysfs_read(struct hotmem_machine *m, const char *path, char **out);
long sysfs_write(struct hotmem_machine *m, const char *path, const char *buf,
		 size_t len);
int sysfs_stat(struct hotmem_machine *m, const char *path,
	       enum hotmem_node_kind *kind, unsigned int *mode, char *target,
	       size_t targetlen);
int sysfs_readdir(struct hotmem_machine *m, const char *path,
		  int (*fn)(void *ctx, const char *name), void *ctx);

#endif
