/*
 * dax.h - the dax bus: dax regions, device-dax instances and their two
 * drivers, device_dax (/dev/daxX.Y, a ZONE_DEVICE mapping) and kmem
 * (System RAM through add_memory_driver_managed) (drivers/dax/bus.c,
 * device.c, kmem.c; mm/memremap.c; drivers/dax/kmem.c).
 *
 * Contract: providers (nvdimm's dax_pmem, CXL) create a region and its
 * initial device with alloc_dax_region()/devm_create_dev_dax(); the
 * device is then matched and probed as the dax bus does (kmem for
 * regions flagged DAX_KMEM, device_dax otherwise, or a driver whose
 * new_id names the device). Static regions (IORESOURCE_DAX_STATIC,
 * pmem) hold one fixed device; dynamic ones (CXL) are carved up through
 * the region's create/delete and the devices' size/mapping/align
 * stores, each device made of up to DEV_DAX_MAX_RANGES ranges ordered
 * by page offset. Bind/unbind/new_id and the attribute stores return
 * the kernel's errno and change nothing when they fail. kmem's unbind,
 * like the kernel's, always completes: memory it cannot remove stays,
 * with its resources, until "reboot". State is fixed-size plain data
 * (copied by a clone).
 * Expected workload: a few regions and devices per machine.
 */
#ifndef HOTMEM_DAX_H
#define HOTMEM_DAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../mm/memremap.h"

struct hotmem_machine;

#define DAX_MAX_REGIONS	16
#define DAX_MAX_DEVS	16
/* A dynamic device's ranges: bounded by what one dev_pagemap can hold. */
#define DEV_DAX_MAX_RANGES	PGMAP_MAX_RANGES

/*
 * The dax character devices' major. The dax core (built into Debian's
 * kernel) takes it with alloc_chrdev_region() at boot, dynamic majors
 * going down from 254 in registration order: on the reference guest
 * (6.12.95 under QEMU q35) /proc/devices shows 254 gpiochip, 253 tpm,
 * 252 dax, and dax0.0's `dev` is 252:0. Minors come from an ida, lowest
 * free first; the model numbers a device by its devs[] slot, taken the
 * same way (it does not count the dax_devs nd_pmem makes for fsdax
 * namespaces).
 */
#define DAX_CHRDEV_MAJOR	252

#define IORESOURCE_DAX_STATIC	(1u << 0)	/* pmem: size/align fixed */
#define IORESOURCE_DAX_KMEM	(1u << 1)	/* CXL/HMEM: kmem by default */

enum dax_driver {
	DAX_DRV_NONE = 0,
	DAX_DRV_DEVICE_DAX,
	DAX_DRV_KMEM,
};

struct dax_region {
	bool used;
	int id;
	uint64_t start, end;	/* inclusive */
	int target_node;
	uint64_t align;
	unsigned int flags;
	char parent[96];	/* its device's path under /sys/devices */
	/* dynamic regions: devs[] index of the seed / the youngest, or -1 */
	int seed, youngest;
};

/* One allocation of a device in its region (and its mappingN). */
struct dev_dax_range {
	uint64_t start, end;	/* inclusive */
	uint64_t pgoff;		/* pages of the device before this range */
	int mapping;		/* N of mappingN */
};

struct dev_dax {
	bool used;
	int region;		/* index into regions */
	int id;
	int nr_range;		/* 0: a seed of size 0 */
	struct dev_dax_range ranges[DEV_DAX_MAX_RANGES];
	int target_node;
	uint64_t align;
	bool memmap_on_memory;
	enum dax_driver driver;
	/* static pmem: the pgmap handed over by dax_pmem (altmap included) */
	bool has_static_pgmap;
	struct dev_pagemap static_pgmap;
	/* device_dax while bound */
	int res[DEV_DAX_MAX_RANGES];	/* busy "daxX.Y" per range, -1 */
	int pgmap;
	/* kmem */
	/* per range: "daxX.Y" around its System RAM, -1 (none or too small) */
	int kmem_res[DEV_DAX_MAX_RANGES];
	int kmem_mgid;
	bool kmem_stuck;	/* remove failed: resources kept until reboot */
};

struct dax_bus {
	struct dax_region regions[DAX_MAX_REGIONS];
	struct dev_dax devs[DAX_MAX_DEVS];
	/* new_id entries of the two drivers: device names, "" = free */
	char kmem_ids[DAX_MAX_DEVS][16];
	char device_dax_ids[DAX_MAX_DEVS][16];
};

int alloc_dax_region(struct hotmem_machine *m, int id, uint64_t start,
		     uint64_t end, int target_node, uint64_t align,
		     unsigned int flags, const char *parent);
void free_dax_region(struct hotmem_machine *m, int region);
/*
 * Create daxR.id with SIZE bytes from the region's start (0: a seed)
 * and let the bus probe it. id >= 0 for static regions; -1 on dynamic
 * ones takes the lowest free id (the region's ida). Returns the devs[]
 * index or -errno.
 */
int devm_create_dev_dax(struct hotmem_machine *m, int region, int id,
			uint64_t size, const struct dev_pagemap *static_pgmap,
			bool memmap_on_memory);
/* Unbind (as the kernel's device removal does) and delete it. */
void kill_dev_dax(struct hotmem_machine *m, int dev);

struct dev_dax *dev_dax_by_name(struct hotmem_machine *m, const char *name);
void dev_dax_name(const struct hotmem_machine *m, const struct dev_dax *d,
		  char *buf, size_t len);
bool dax_region_is_static(const struct hotmem_machine *m, const struct dev_dax *d);

/* /sys/bus/dax/drivers/DRIVER/{bind,unbind,new_id,remove_id} */
int dax_bus_bind(struct hotmem_machine *m, const char *driver, const char *dev);
int dax_bus_unbind(struct hotmem_machine *m, const char *driver, const char *dev);
int dax_bus_new_id(struct hotmem_machine *m, const char *driver, const char *dev);
int dax_bus_remove_id(struct hotmem_machine *m, const char *driver, const char *dev);

uint64_t dev_dax_size(const struct dev_dax *d);
int dev_dax_numa_node(const struct hotmem_machine *m, const struct dev_dax *d);
uint64_t dax_region_avail_size(const struct hotmem_machine *m, int region);
struct dev_dax *dax_region_child(struct hotmem_machine *m, int region,
				 const char *name);

/* Attribute stores (drivers/dax/bus.c); 0 or -errno, nothing changed on error. */
int dev_dax_memmap_on_memory_store(struct hotmem_machine *m, struct dev_dax *d,
				   bool val);
int dax_region_create_store(struct hotmem_machine *m, int region, const char *buf);
int dax_region_delete_store(struct hotmem_machine *m, int region, const char *buf);
int dev_dax_size_store(struct hotmem_machine *m, struct dev_dax *d, const char *buf);
int dev_dax_mapping_store(struct hotmem_machine *m, struct dev_dax *d, const char *buf);
int dev_dax_align_store(struct hotmem_machine *m, struct dev_dax *d, const char *buf);

#endif
