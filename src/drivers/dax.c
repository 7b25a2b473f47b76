/*
 * dax.c - the dax bus (drivers/dax/bus.c: alloc_dax_region,
 * devm_create_dev_dax, dax_bus_match, do_id_store,
 * memmap_on_memory_store), device_dax's probe/remove (drivers/dax/device.c)
 * and kmem's probe/remove (drivers/dax/kmem.c). Spec 07, 08.
 */
#include "dax.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"

static const char *const dax_driver_names[] = {
	[DAX_DRV_NONE] = "",
	[DAX_DRV_DEVICE_DAX] = "device_dax",
	[DAX_DRV_KMEM] = "kmem",
};

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

static int dev_dax_probe(struct hotmem_machine *m, struct dev_dax *d)
{
	struct dev_pagemap pgmap;
	char name[32];
	uint64_t shift = 0;
	int res, id, ret;

	dev_dax_name(m, d, name, sizeof(name));
	if (d->has_static_pgmap) {
		pgmap = d->static_pgmap;
	} else {
		memset(&pgmap, 0, sizeof(pgmap));
		pgmap.nr_range = 1;
		pgmap.ranges[0].start = d->start;
		pgmap.ranges[0].end = d->end;
	}
	ret = request_mem_region(&m->iomem, d->start, d->end - d->start + 1, name,
				 IORESOURCE_BUSY, &res);
	if (ret) {
		machine_log(m, "device_dax %s: mapping0: %#llx-%#llx could not reserve range",
			    name, (unsigned long long)d->start,
			    (unsigned long long)d->end);
		return -EBUSY;
	}
	pgmap.type = MEMORY_DEVICE_GENERIC;
	/* order_base_2(align / PAGE_SIZE): the compound order of the memmap */
	if (d->align > m->geo.page_size)
		while ((m->geo.page_size << shift) < d->align)
			shift++;
	pgmap.vmemmap_shift = (unsigned int)shift;
	snprintf(pgmap.owner, sizeof(pgmap.owner), "%s", name);
	ret = memremap_pages(m, &pgmap, d->target_node, &id);
	if (ret) {
		release_resource(&m->iomem, res);
		return ret;
	}
	d->res = res;
	d->pgmap = id;
	return 0;
}

static void dev_dax_remove(struct hotmem_machine *m, struct dev_dax *d)
{
	memunmap_pages(m, d->pgmap);
	release_resource(&m->iomem, d->res);
	d->pgmap = -1;
	d->res = -1;
}

/* ---- kmem ------------------------------------------------------------------ */

/* dax_kmem_range: the memory-block aligned part, or -ENOSPC. */
static int dax_kmem_range(const struct hotmem_machine *m, const struct dev_dax *d,
			  uint64_t *start, uint64_t *end)
{
	uint64_t bs = m->block_size;
	uint64_t s = (d->start + bs - 1) / bs * bs;
	uint64_t e = (d->end + 1) / bs * bs - 1;

	if (d->end < d->start || (d->end + 1) / bs * bs == 0 || s >= e) {
		*start = d->start;
		*end = d->end;
		return -ENOSPC;
	}
	*start = s;
	*end = e;
	return 0;
}

static int dev_dax_kmem_probe(struct hotmem_machine *m, struct dev_dax *d)
{
	uint64_t start, end;
	char name[32];
	unsigned int flags;
	int nid = d->target_node, mgid, res, ret;

	dev_dax_name(m, d, name, sizeof(name));
	if (nid < 0) {
		machine_log(m, "kmem %s: rejecting DAX region with invalid node: %d", name, nid);
		return -EINVAL;
	}
	if (d->kmem_stuck) {
		/* the range is still held from the failed removal */
		machine_log(m, "kmem %s: mapping0: %#llx-%#llx could not reserve region",
			    name, (unsigned long long)d->start, (unsigned long long)d->end);
		return -EBUSY;
	}
	if (dax_kmem_range(m, d, &start, &end)) {
		machine_log(m, "kmem %s: mapping0: %#llx-%#llx too small after alignment",
			    name, (unsigned long long)start, (unsigned long long)end);
		machine_log(m, "kmem %s: rejecting DAX region without any memory after alignment",
			    name);
		return -EINVAL;
	}
	kmem_init_node_memory_type(m, nid);
	mgid = memory_group_register_static(m, nid, (end - start + 1) >> m->geo.page_shift);
	if (mgid < 0) {
		kmem_clear_node_memory_type(m, nid, false);
		return mgid;
	}
	ret = request_mem_region(&m->iomem, start, end - start + 1, name,
				 IORESOURCE_SYSRAM, &res);
	if (ret) {
		machine_log(m, "kmem %s: mapping0: %#llx-%#llx could not reserve region",
			    name, (unsigned long long)start, (unsigned long long)end);
		memory_group_unregister(m, mgid);
		kmem_clear_node_memory_type(m, nid, false);
		return -EBUSY;
	}
	flags = MHP_NID_IS_MGID;
	if (d->memmap_on_memory)
		flags |= MHP_MEMMAP_ON_MEMORY;
	ret = add_memory_driver_managed(m, mgid, start, end - start + 1,
					"System RAM (kmem)", flags);
	if (ret) {
		machine_log(m, "kmem %s: mapping0: %#llx-%#llx memory add failed",
			    name, (unsigned long long)start, (unsigned long long)end);
		release_resource(&m->iomem, res);
		memory_group_unregister(m, mgid);
		kmem_clear_node_memory_type(m, nid, false);
		return ret;
	}
	d->kmem_res = res;
	d->kmem_mgid = mgid;
	return 0;
}

static void dev_dax_kmem_remove(struct hotmem_machine *m, struct dev_dax *d)
{
	uint64_t start, end;
	char name[32];

	dev_dax_name(m, d, name, sizeof(name));
	if (d->kmem_res < 0 || dax_kmem_range(m, d, &start, &end))
		return;
	if (try_remove_memory(m, start, end - start + 1) == 0) {
		release_resource(&m->iomem, d->kmem_res);
		d->kmem_res = -1;
		memory_group_unregister(m, d->kmem_mgid);
		d->kmem_mgid = -1;
		kmem_clear_node_memory_type(m, d->target_node, true);
		return;
	}
	machine_log(m, "kmem %s: mapping0: %#llx-%#llx cannot be hotremoved until the next reboot",
		    name, (unsigned long long)start, (unsigned long long)end);
	d->kmem_stuck = true;
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

/* really_probe for one driver; logs the core's warning on failure. */
static int dax_really_probe(struct hotmem_machine *m, struct dev_dax *d,
			    enum dax_driver drv)
{
	char name[32];
	int ret;

	ret = drv == DAX_DRV_KMEM ? dev_dax_kmem_probe(m, d) : dev_dax_probe(m, d);
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

int devm_create_dev_dax(struct hotmem_machine *m, int region, int id,
			const struct dev_pagemap *static_pgmap,
			bool memmap_on_memory)
{
	const struct dax_region *r = &m->dax.regions[region];
	int i;

	for (i = 0; i < DAX_MAX_DEVS; i++) {
		struct dev_dax *d = &m->dax.devs[i];

		if (d->used)
			continue;
		memset(d, 0, sizeof(*d));
		d->used = true;
		d->region = region;
		d->id = id;
		d->start = r->start;
		d->end = r->end;
		d->target_node = r->target_node;
		d->align = r->align;
		d->memmap_on_memory = memmap_on_memory;
		d->res = d->pgmap = d->kmem_res = d->kmem_mgid = -1;
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

	dax_release_driver(m, d);
	/* leaked resources of a failed kmem removal stay in iomem */
	d->used = false;
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
