/*
 * dax.c - the dax bus (drivers/dax/bus.c: alloc_dax_region,
 * devm_create_dev_dax, dax_bus_match, dax_bus_probe, do_id_store, the
 * dynamic region's create/delete and the devices' size/mapping/align/
 * memmap_on_memory stores), device_dax's probe/remove
 * (drivers/dax/device.c) and kmem's probe/remove (drivers/dax/kmem.c).
 * mm/memremap.c; drivers/dax/kmem.c. See dax.h for the contract.
 */
#include "dax.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "../util/kstrtox.h"

static const char *const dax_driver_names[] = {
	[DAX_DRV_NONE] = "",
	[DAX_DRV_DEVICE_DAX] = "device_dax",
	[DAX_DRV_KMEM] = "kmem",
};

/*
 * dev_to_node() of a dax device: its target node mapped to an online
 * one (what sysfs numa_node shows); device_dax maps its pgmap there.
 */
int dev_dax_numa_node(const struct hotmem_machine *m, const struct dev_dax *d)
{
	int nid = d->target_node;

	if (nid >= 0 && !m->nodes[nid].online)
		nid = 0;
	return nid;
}

void dev_dax_name(const struct hotmem_machine *m, const struct dev_dax *d,
		  char *buf, size_t len)
{
	snprintf(buf, len, "dax%d.%d", m->dax.regions[d->region].id, d->id);
}

struct dev_dax *dev_dax_by_name(struct hotmem_machine *m, const char *name)
{
	char n[32];
	int i;

	for (i = 0; i < DAX_MAX_DEVS; i++) {
		if (!m->dax.devs[i].used)
			continue;
		dev_dax_name(m, &m->dax.devs[i], n, sizeof(n));
		if (!strcmp(n, name))
			return &m->dax.devs[i];
	}
	return NULL;
}

bool dax_region_is_static(const struct hotmem_machine *m, const struct dev_dax *d)
{
	return m->dax.regions[d->region].flags & IORESOURCE_DAX_STATIC;
}

uint64_t dev_dax_size(const struct dev_dax *d)
{
	uint64_t size = 0;
	int i;

	for (i = 0; i < d->nr_range; i++)
		size += d->ranges[i].end - d->ranges[i].start + 1;
	return size;
}

/* The region's size less every device allocation in it. */
uint64_t dax_region_avail_size(const struct hotmem_machine *m, int region)
{
	const struct dax_region *r = &m->dax.regions[region];
	uint64_t size = r->end - r->start + 1;
	int i;

	for (i = 0; i < DAX_MAX_DEVS; i++)
		if (m->dax.devs[i].used && m->dax.devs[i].region == region)
			size -= dev_dax_size(&m->dax.devs[i]);
	return size;
}

/* device_find_child_by_name() on the region's device (sysfs_streq). */
struct dev_dax *dax_region_child(struct hotmem_machine *m, int region, const char *name)
{
	char n[32];
	size_t len = strlen(name);
	int i;

	if (len && name[len - 1] == '\n')
		len--;
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		struct dev_dax *d = &m->dax.devs[i];

		if (!d->used || d->region != region)
			continue;
		dev_dax_name(m, d, n, sizeof(n));
		if (strlen(n) == len && !strncmp(n, name, len))
			return d;
	}
	return NULL;
}

int alloc_dax_region(struct hotmem_machine *m, int id, uint64_t start,
		     uint64_t end, int target_node, uint64_t align,
		     unsigned int flags, const char *parent)
{
	int i;

	/* both ends must honour the region's alignment, else NULL -> ENOMEM */
	if (!align || start % align || (end + 1 - start) % align)
		return -ENOMEM;
	for (i = 0; i < DAX_MAX_REGIONS; i++) {
		struct dax_region *r = &m->dax.regions[i];

		if (r->used)
			continue;
		memset(r, 0, sizeof(*r));
		r->used = true;
		r->id = id;
		r->start = start;
		r->end = end;
		r->target_node = target_node;
		r->align = align;
		r->flags = flags;
		r->seed = r->youngest = -1;
		snprintf(r->parent, sizeof(r->parent), "%s", parent);
		return i;
	}
	return -ENOMEM;
}

void free_dax_region(struct hotmem_machine *m, int region)
{
	if (region >= 0 && region < DAX_MAX_REGIONS)
		m->dax.regions[region].used = false;
}

/* ---- device_dax ------------------------------------------------------------ */

static void release_dev_dax_res(struct hotmem_machine *m, struct dev_dax *d)
{
	int i;

	for (i = 0; i < d->nr_range; i++)
		if (d->res[i] >= 0) {
			release_resource(&m->iomem, d->res[i]);
			d->res[i] = -1;
		}
}

static int dev_dax_probe(struct hotmem_machine *m, struct dev_dax *d)
{
	struct dev_pagemap pgmap;
	char name[32];
	uint64_t shift = 0;
	int i, id, ret;

	dev_dax_name(m, d, name, sizeof(name));
	if (d->has_static_pgmap) {
		if (d->nr_range > 1) {
			machine_log(m, "device_dax %s: static pgmap / multi-range device conflict", name);
			return -EINVAL;
		}
		pgmap = d->static_pgmap;
	} else {
		/* dynamic: one pgmap range per device range */
		memset(&pgmap, 0, sizeof(pgmap));
		pgmap.nr_range = d->nr_range;
		for (i = 0; i < d->nr_range; i++) {
			pgmap.ranges[i].start = d->ranges[i].start;
			pgmap.ranges[i].end = d->ranges[i].end;
		}
	}
	for (i = 0; i < d->nr_range; i++) {
		const struct dev_dax_range *rg = &d->ranges[i];

		if (request_mem_region(&m->iomem, rg->start, rg->end - rg->start + 1, name,
				       IORESOURCE_BUSY, &d->res[i])) {
			d->res[i] = -1;
			machine_log(m, "device_dax %s: mapping%d: %#llx-%#llx could not reserve range",
				    name, i, (unsigned long long)rg->start,
				    (unsigned long long)rg->end);
			release_dev_dax_res(m, d);
			return -EBUSY;
		}
	}
	pgmap.type = MEMORY_DEVICE_GENERIC;
	/* order_base_2(align / PAGE_SIZE): the compound order of the memmap */
	if (d->align > m->geo.page_size)
		while ((m->geo.page_size << shift) < d->align)
			shift++;
	pgmap.vmemmap_shift = (unsigned int)shift;
	snprintf(pgmap.owner, sizeof(pgmap.owner), "%s", name);
	ret = memremap_pages(m, &pgmap, dev_dax_numa_node(m, d), &id);
	if (ret) {
		release_dev_dax_res(m, d);
		return ret;
	}
	d->pgmap = id;
	return 0;
}

static void dev_dax_remove(struct hotmem_machine *m, struct dev_dax *d)
{
	memunmap_pages(m, d->pgmap);
	release_dev_dax_res(m, d);
	d->pgmap = -1;
}

/* ---- kmem ------------------------------------------------------------------ */

/* dax_kmem_range: range i aligned inward to memory blocks, or -ENOSPC. */
static int dax_kmem_range(const struct hotmem_machine *m, const struct dev_dax *d,
			  int i, uint64_t *start, uint64_t *end)
{
	const struct dev_dax_range *rg = &d->ranges[i];
	uint64_t bs = m->block_size;
	uint64_t s = (rg->start + bs - 1) / bs * bs;
	uint64_t e = (rg->end + 1) / bs * bs;

	if (e == 0 || s >= e - 1) {
		*start = rg->start;
		*end = rg->end;
		return -ENOSPC;
	}
	*start = s;
	*end = e - 1;
	return 0;
}

static int dev_dax_kmem_probe(struct hotmem_machine *m, struct dev_dax *d)
{
	uint64_t start, end, total = 0;
	char name[32];
	unsigned int flags;
	int nid = d->target_node, mgid, i, ret, mapped = 0;

	dev_dax_name(m, d, name, sizeof(name));
	if (nid < 0) {
		machine_log(m, "kmem %s: rejecting DAX region with invalid node: %d", name, nid);
		return -EINVAL;
	}
	for (i = 0; i < d->nr_range; i++) {
		if (dax_kmem_range(m, d, i, &start, &end)) {
			machine_log(m, "kmem %s: mapping%d: %#llx-%#llx too small after alignment",
				    name, i, (unsigned long long)start, (unsigned long long)end);
			continue;
		}
		total += end - start + 1;
	}
	if (!total) {
		machine_log(m, "kmem %s: rejecting DAX region without any memory after alignment",
			    name);
		return -EINVAL;
	}
	kmem_init_node_memory_type(m, nid);
	mgid = memory_group_register_static(m, nid, total >> m->geo.page_shift);
	if (mgid < 0) {
		kmem_clear_node_memory_type(m, nid, false);
		return mgid;
	}
	for (i = 0; i < d->nr_range; i++) {
		if (dax_kmem_range(m, d, i, &start, &end))
			continue;
		/* a range kept by a failed removal is still reserved */
		if (d->kmem_res[i] >= 0 ||
		    request_mem_region(&m->iomem, start, end - start + 1, name,
				       IORESOURCE_SYSRAM, &d->kmem_res[i])) {
			machine_log(m, "kmem %s: mapping%d: %#llx-%#llx could not reserve region",
				    name, i, (unsigned long long)start, (unsigned long long)end);
			if (mapped)
				continue;
			ret = -EBUSY;
			goto err;
		}
		flags = MHP_NID_IS_MGID;
		if (d->memmap_on_memory)
			flags |= MHP_MEMMAP_ON_MEMORY;
		ret = add_memory_driver_managed(m, mgid, start, end - start + 1,
						"System RAM (kmem)", flags);
		if (ret) {
			machine_log(m, "kmem %s: mapping%d: %#llx-%#llx memory add failed",
				    name, i, (unsigned long long)start, (unsigned long long)end);
			release_resource(&m->iomem, d->kmem_res[i]);
			d->kmem_res[i] = -1;
			if (mapped)
				continue;
			goto err;
		}
		mapped++;
	}
	d->kmem_mgid = mgid;
	return 0;
err:
	memory_group_unregister(m, mgid);
	kmem_clear_node_memory_type(m, nid, false);
	return ret;
}

/* One shot per range; what cannot be removed stays until reboot. */
static void dev_dax_kmem_remove(struct hotmem_machine *m, struct dev_dax *d)
{
	uint64_t start, end;
	char name[32];
	int i, success = 0, failed = 0;

	dev_dax_name(m, d, name, sizeof(name));
	for (i = 0; i < d->nr_range; i++) {
		if (dax_kmem_range(m, d, i, &start, &end))
			continue;
		if (d->kmem_res[i] < 0) {
			success++;
			continue;
		}
		if (try_remove_memory(m, start, end - start + 1) == 0) {
			release_resource(&m->iomem, d->kmem_res[i]);
			d->kmem_res[i] = -1;
			success++;
			continue;
		}
		machine_log(m, "kmem %s: mapping%d: %#llx-%#llx cannot be hotremoved until the next reboot",
			    name, i, (unsigned long long)start, (unsigned long long)end);
		failed++;
	}
	d->kmem_stuck = failed > 0;
	/*
	 * A range too small for a block counts as no success either: then,
	 * as in the kernel, the group and the node's memory type are kept.
	 */
	if (success >= d->nr_range) {
		memory_group_unregister(m, d->kmem_mgid);
		kmem_clear_node_memory_type(m, d->target_node, true);
	}
	d->kmem_mgid = -1;
}

/* ---- the bus ----------------------------------------------------------------- */

static bool id_listed(char ids[][16], const char *name)
{
	int i;

	for (i = 0; i < DAX_MAX_DEVS; i++)
		if (ids[i][0] && !strcmp(ids[i], name))
			return true;
	return false;
}

/* dax_bus_match: a new_id entry, else the region's type. */
static bool dax_bus_match(struct hotmem_machine *m, enum dax_driver drv,
			  const struct dev_dax *d)
{
	char name[32];
	bool kmem_type = m->dax.regions[d->region].flags & IORESOURCE_DAX_KMEM;

	dev_dax_name(m, d, name, sizeof(name));
	if (id_listed(drv == DAX_DRV_KMEM ? m->dax.kmem_ids : m->dax.device_dax_ids, name))
		return true;
	return drv == (kmem_type ? DAX_DRV_KMEM : DAX_DRV_DEVICE_DAX);
}

/*
 * really_probe -> dax_bus_probe for one driver: a device without size
 * (a seed) is never probed (ENXIO, which the core does not log); a
 * successful probe retires the region's seed. Logs the core's warning
 * on other failures.
 */
static int dax_really_probe(struct hotmem_machine *m, struct dev_dax *d,
			    enum dax_driver drv)
{
	struct dax_region *r = &m->dax.regions[d->region];
	char name[32];
	int ret;

	if (dev_dax_size(d) == 0 || d->id < 0)
		return -ENXIO;
	ret = drv == DAX_DRV_KMEM ? dev_dax_kmem_probe(m, d) : dev_dax_probe(m, d);
	if (!ret && !(r->flags & IORESOURCE_DAX_STATIC) && r->seed == d - m->dax.devs)
		r->seed = -1;
	if (ret) {
		dev_dax_name(m, d, name, sizeof(name));
		if (ret != -ENODEV && ret != -ENXIO)
			machine_log(m, "dax %s: probe with driver %s failed with error %d",
				    name, dax_driver_names[drv], ret);
		return ret;
	}
	d->driver = drv;
	return 0;
}

/* device_attach: the first matching driver in bus order (device_dax, kmem). */
static void dax_device_attach(struct hotmem_machine *m, struct dev_dax *d)
{
	static const enum dax_driver order[] = { DAX_DRV_DEVICE_DAX, DAX_DRV_KMEM };
	size_t i;

	for (i = 0; i < 2; i++)
		if (dax_bus_match(m, order[i], d)) {
			dax_really_probe(m, d, order[i]);
			return;
		}
}

/* ida_alloc on the region: the lowest id no device of it holds. */
static int alloc_dev_dax_id(const struct hotmem_machine *m, int region)
{
	int id, i;

	for (id = 0;; id++) {
		for (i = 0; i < DAX_MAX_DEVS; i++)
			if (m->dax.devs[i].used && m->dax.devs[i].region == region &&
			    m->dax.devs[i].id == id)
				break;
		if (i == DAX_MAX_DEVS)
			return id;
	}
}

/* ida_alloc on the device: the lowest mappingN id not in use. */
static int alloc_mapping_id(const struct dev_dax *d)
{
	int id, i;

	for (id = 0;; id++) {
		for (i = 0; i < d->nr_range; i++)
			if (d->ranges[i].mapping == id)
				break;
		if (i == d->nr_range)
			return id;
	}
}

/*
 * alloc_dev_dax_range: take [start, start+size) of the region for d as
 * a new range (its own resource in the region, its own mappingN).
 * -ENOMEM when it leaves the region or overlaps an allocation
 * (__request_region fails), or when d has no range slot left.
 */
static int alloc_dev_dax_range(struct hotmem_machine *m, struct dev_dax *d,
			       uint64_t start, uint64_t size)
{
	const struct dax_region *r = &m->dax.regions[d->region];
	uint64_t end = start + size - 1, pgoff = 0;
	int i, k;

	if (!size)
		return 0;	/* the seed: no range */
	if (end < start || start < r->start || end > r->end)
		return -ENOMEM;
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		const struct dev_dax *o = &m->dax.devs[i];

		if (!o->used || o->region != d->region)
			continue;
		for (k = 0; k < o->nr_range; k++)
			if (start <= o->ranges[k].end && end >= o->ranges[k].start)
				return -ENOMEM;
	}
	if (d->nr_range == DEV_DAX_MAX_RANGES)
		return -ENOMEM;
	for (i = 0; i < d->nr_range; i++)
		pgoff += (d->ranges[i].end - d->ranges[i].start + 1) >> m->geo.page_shift;
	d->ranges[d->nr_range].start = start;
	d->ranges[d->nr_range].end = end;
	d->ranges[d->nr_range].pgoff = pgoff;
	d->ranges[d->nr_range].mapping = alloc_mapping_id(d);
	d->nr_range++;
	return 0;
}

int devm_create_dev_dax(struct hotmem_machine *m, int region, int id,
			uint64_t size, const struct dev_pagemap *static_pgmap,
			bool memmap_on_memory)
{
	const struct dax_region *r = &m->dax.regions[region];
	bool is_static = r->flags & IORESOURCE_DAX_STATIC;
	int i, k, ret;

	/* static regions name their device; dynamic ones number it */
	if (is_static ? id < 0 : id >= 0)
		return -EINVAL;
	if (static_pgmap && !is_static)
		return -EINVAL;
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		struct dev_dax *d = &m->dax.devs[i];

		if (d->used)
			continue;
		memset(d, 0, sizeof(*d));
		d->region = region;
		d->id = is_static ? id : alloc_dev_dax_id(m, region);
		for (k = 0; k < DEV_DAX_MAX_RANGES; k++)
			d->res[k] = d->kmem_res[k] = d->ranges[k].mapping = -1;
		ret = alloc_dev_dax_range(m, d, r->start, size);
		if (ret)
			return ret;
		d->used = true;
		d->target_node = r->target_node;
		d->align = r->align;
		d->memmap_on_memory = memmap_on_memory;
		d->pgmap = d->kmem_mgid = -1;
		if (static_pgmap) {
			d->has_static_pgmap = true;
			d->static_pgmap = *static_pgmap;
		}
		dax_device_attach(m, d);
		return i;
	}
	return -ENOMEM;
}

static void dax_release_driver(struct hotmem_machine *m, struct dev_dax *d)
{
	if (d->driver == DAX_DRV_DEVICE_DAX)
		dev_dax_remove(m, d);
	else if (d->driver == DAX_DRV_KMEM)
		dev_dax_kmem_remove(m, d);
	d->driver = DAX_DRV_NONE;
}

void kill_dev_dax(struct hotmem_machine *m, int dev)
{
	struct dev_dax *d = &m->dax.devs[dev];
	struct dax_region *r = &m->dax.regions[d->region];

	dax_release_driver(m, d);
	/* leaked resources of a failed kmem removal stay in iomem */
	d->used = false;
	if (r->seed == dev)
		r->seed = -1;
	if (r->youngest == dev)
		r->youngest = -1;
}

static enum dax_driver dax_driver_by_name(const char *driver)
{
	if (!strcmp(driver, "device_dax"))
		return DAX_DRV_DEVICE_DAX;
	if (!strcmp(driver, "kmem"))
		return DAX_DRV_KMEM;
	return DAX_DRV_NONE;
}

/* bind_store: -ENODEV unless the device exists and matches; -EBUSY if bound. */
int dax_bus_bind(struct hotmem_machine *m, const char *driver, const char *dev)
{
	enum dax_driver drv = dax_driver_by_name(driver);
	struct dev_dax *d = dev_dax_by_name(m, dev);

	if (drv == DAX_DRV_NONE || !d || !dax_bus_match(m, drv, d))
		return -ENODEV;
	if (d->driver != DAX_DRV_NONE)
		return -EBUSY;
	return dax_really_probe(m, d, drv);
}

int dax_bus_unbind(struct hotmem_machine *m, const char *driver, const char *dev)
{
	enum dax_driver drv = dax_driver_by_name(driver);
	struct dev_dax *d = dev_dax_by_name(m, dev);

	if (drv == DAX_DRV_NONE || !d || d->driver != drv)
		return -ENODEV;
	dax_release_driver(m, d);
	return 0;
}

/* do_id_store: "daxR.I" names; ID_ADD then driver_attach (errors ignored). */
static int dax_id_store(struct hotmem_machine *m, const char *driver,
			const char *dev, bool add)
{
	enum dax_driver drv = dax_driver_by_name(driver);
	char (*ids)[16];
	int region, id, i, free_slot = -1;
	char tail;

	if (drv == DAX_DRV_NONE)
		return -ENODEV;
	if (sscanf(dev, "dax%d.%d%c", &region, &id, &tail) < 2)
		return -EINVAL;
	if (strlen(dev) >= 16)
		return -EINVAL;
	ids = drv == DAX_DRV_KMEM ? m->dax.kmem_ids : m->dax.device_dax_ids;
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		if (ids[i][0] && !strcmp(ids[i], dev)) {
			if (!add)
				ids[i][0] = '\0';
			break;
		}
		if (!ids[i][0] && free_slot < 0)
			free_slot = i;
	}
	if (add && i == DAX_MAX_DEVS) {
		if (free_slot < 0)
			return -ENOMEM;
		snprintf(ids[free_slot], 16, "%s", dev);
	}
	if (add) {
		/* driver_attach: every unbound matching device is probed */
		for (i = 0; i < DAX_MAX_DEVS; i++) {
			struct dev_dax *d = &m->dax.devs[i];

			if (d->used && d->driver == DAX_DRV_NONE && dax_bus_match(m, drv, d))
				dax_really_probe(m, d, drv);
		}
	}
	return 0;
}

int dax_bus_new_id(struct hotmem_machine *m, const char *driver, const char *dev)
{
	return dax_id_store(m, driver, dev, true);
}

int dax_bus_remove_id(struct hotmem_machine *m, const char *driver, const char *dev)
{
	return dax_id_store(m, driver, dev, false);
}

int dev_dax_memmap_on_memory_store(struct hotmem_machine *m, struct dev_dax *d,
				   bool val)
{
	if (val && !mhp_supports_memmap_on_memory(m))
		return -EOPNOTSUPP;
	if (d->memmap_on_memory != val && d->driver == DAX_DRV_KMEM)
		return -EBUSY;
	d->memmap_on_memory = val;
	return 0;
}

/* ---- dynamic regions: create/delete, size/mapping/align ----------------------- */

static bool region_is_static(const struct hotmem_machine *m, int region)
{
	return m->dax.regions[region].flags & IORESOURCE_DAX_STATIC;
}

int dax_region_create_store(struct hotmem_machine *m, int region, const char *buf)
{
	struct dax_region *r = &m->dax.regions[region];
	int val, ret, dev;

	if (region_is_static(m, region))
		return -EINVAL;
	ret = kstrtoint(buf, 0, &val);
	if (ret)
		return ret;
	if (val != 1)
		return -EINVAL;
	if (dax_region_avail_size(m, region) == 0)
		return -ENOSPC;
	dev = devm_create_dev_dax(m, region, -1, 0, NULL, false);
	if (dev < 0)
		return dev;
	/* only the first seed not yet bound is the region's seed */
	if (r->seed < 0)
		r->seed = dev;
	r->youngest = dev;
	return 0;
}

int dax_region_delete_store(struct hotmem_machine *m, int region, const char *buf)
{
	struct dev_dax *d;

	if (region_is_static(m, region))
		return -EINVAL;
	d = dax_region_child(m, region, buf);
	if (!d)
		return -ENXIO;
	if (d->driver != DAX_DRV_NONE || dev_dax_size(d))
		return -EBUSY;
	/* id 0 stays so that /sys/bus/dax is never empty while a region is */
	if (d->id <= 0)
		return -EBUSY;
	kill_dev_dax(m, (int)(d - m->dax.devs));
	return 0;
}

/* alloc_is_aligned: a multiple of the device's align, at least a sub-section. */
static bool alloc_is_aligned(const struct hotmem_machine *m, const struct dev_dax *d,
			     uint64_t size)
{
	uint64_t a = d->align > memremap_compat_align(m) ? d->align : memremap_compat_align(m);

	return size % a == 0;
}

/* Every allocation in the region, by address (the region resource's children). */
struct dax_child {
	uint64_t start, end;
	int dev, range;
};

static int dax_region_children(const struct hotmem_machine *m, int region,
			       struct dax_child *c)
{
	int n = 0, i, k, j;

	for (i = 0; i < DAX_MAX_DEVS; i++) {
		const struct dev_dax *d = &m->dax.devs[i];

		if (!d->used || d->region != region)
			continue;
		for (k = 0; k < d->nr_range; k++) {
			struct dax_child x = { d->ranges[k].start, d->ranges[k].end, i, k };

			for (j = n; j > 0 && c[j - 1].start > x.start; j--)
				c[j] = c[j - 1];
			c[j] = x;
			n++;
		}
	}
	return n;
}

static void trim_dev_dax_range(struct dev_dax *d)
{
	d->nr_range--;
	d->ranges[d->nr_range].mapping = -1;
}

static int dev_dax_shrink(struct dev_dax *d, uint64_t size)
{
	uint64_t to_shrink = dev_dax_size(d) - size;
	int i;

	for (i = d->nr_range - 1; i >= 0; i--) {
		struct dev_dax_range *rg = &d->ranges[i];
		uint64_t len = rg->end - rg->start + 1;

		if (to_shrink >= len) {
			trim_dev_dax_range(d);
			to_shrink -= len;
			if (!to_shrink)
				break;
			continue;
		}
		rg->end -= to_shrink;
		return 0;
	}
	return 0;
}

/*
 * adjust_ok: the allocation may grow in place when it is d's last range
 * (page offsets stay in address order).
 */
static bool adjust_ok(const struct dev_dax *d, const struct dax_child *c, int dev)
{
	return d->nr_range > 0 && c->dev == dev && c->range == d->nr_range - 1;
}

static int dev_dax_resize(struct hotmem_machine *m, struct dev_dax *d, uint64_t size)
{
	const struct dax_region *r = &m->dax.regions[d->region];
	uint64_t dev_size = dev_dax_size(d), to_alloc, alloc = 0;
	struct dax_child c[DAX_MAX_DEVS * DEV_DAX_MAX_RANGES];
	int dev = (int)(d - m->dax.devs), n, k, ret;

	if (d->driver != DAX_DRV_NONE)
		return -EBUSY;
	if (size == dev_size)
		return 0;
	if (size > dev_size && size - dev_size > dax_region_avail_size(m, d->region))
		return -ENOSPC;
	if (size < dev_size)
		return dev_dax_shrink(d, size);
	to_alloc = size - dev_size;
	if (!alloc_is_aligned(m, d, to_alloc))
		return -ENXIO;
	/* grow into the free parts of the region, lowest address first */
	while (to_alloc) {
		n = dax_region_children(m, d->region, c);
		if (!n)
			return alloc_dev_dax_range(m, d, r->start, to_alloc);
		ret = -ENOSPC;
		for (k = 0; k < n; k++) {
			if (k == 0 && c[0].start > r->start) {
				alloc = c[0].start - r->start;
				if (alloc > to_alloc)
					alloc = to_alloc;
				ret = alloc_dev_dax_range(m, d, r->start, alloc);
				break;
			}
			alloc = 0;
			if (k + 1 < n && c[k + 1].start > c[k].end + 1)
				alloc = c[k + 1].start - (c[k].end + 1);
			if (!alloc && k + 1 == n && c[k].end < r->end)
				alloc = r->end - c[k].end;
			if (!alloc)
				continue;
			if (alloc > to_alloc)
				alloc = to_alloc;
			if (adjust_ok(d, &c[k], dev)) {
				d->ranges[c[k].range].end += alloc;
				ret = 0;
				break;
			}
			ret = alloc_dev_dax_range(m, d, c[k].end + 1, alloc);
			break;
		}
		if (ret)
			return ret;
		to_alloc -= alloc;
	}
	return 0;
}

int dev_dax_size_store(struct hotmem_machine *m, struct dev_dax *d, const char *buf)
{
	unsigned long long val;
	int ret = kstrtoull(buf, 0, &val);

	if (ret)
		return ret;
	if (!alloc_is_aligned(m, d, val))
		return -EINVAL;
	return dev_dax_resize(m, d, val);
}

/*
 * mapping_store: "START-END" in hex adds that range. A length that is not
 * aligned is ignored and the write still succeeds, as in the kernel.
 */
int dev_dax_mapping_store(struct hotmem_machine *m, struct dev_dax *d, const char *buf)
{
	char s[64], *dash;
	unsigned long long start, end;
	uint64_t len;
	int ret;

	if (strlen(buf) >= sizeof(s))
		return -EINVAL;
	strcpy(s, buf);
	dash = strchr(s, '-');
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	ret = kstrtoull(s, 16, &start);
	if (!ret)
		ret = kstrtoull(dash + 1, 16, &end);
	if (ret)
		return ret;
	len = end - start + 1;
	if (!alloc_is_aligned(m, d, len))
		return 0;
	if (!len)
		return d->nr_range ? -EBUSY : 0;	/* "0-size allocation must be first" */
	return alloc_dev_dax_range(m, d, start, len);
}

/* dax_align_valid: the page size, a PMD, and a PUD where THP has them (x86-64). */
static bool dax_align_valid(const struct hotmem_machine *m, uint64_t align)
{
	if (align == m->geo.page_size || align == 1ull << m->geo.pmd_shift)
		return true;
	return !strncmp(m->geo.arch, "x86_64", 6) && align == 1ull << (m->geo.pmd_shift + 9);
}

int dev_dax_align_store(struct hotmem_machine *m, struct dev_dax *d, const char *buf)
{
	unsigned long long val;
	uint64_t save;
	int i;

	if (kstrtoull(buf, 0, &val))
		return -ENXIO;
	if (!dax_align_valid(m, val))
		return -EINVAL;
	if (d->driver != DAX_DRV_NONE)
		return -EBUSY;
	save = d->align;
	d->align = val;
	for (i = 0; i < d->nr_range; i++)
		if (!alloc_is_aligned(m, d, d->ranges[i].end - d->ranges[i].start + 1)) {
			d->align = save;
			return -EINVAL;
		}
	return 0;
}
