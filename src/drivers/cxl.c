/*
 * cxl.c - a volatile CXL type-3 device brought up to System RAM: the
 * fixed memory window (cxl_acpi: "CXL Window N"), a RAM region over the
 * whole device (cxl create-region -t ram: "regionN"), the dax region
 * and device it yields (drivers/dax/cxl.c: memmap_on_memory = true,
 * IORESOURCE_DAX_KMEM, align PMD) and kmem on top. Spec 08 "CXL".
 */
#include "cxl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../machine.h"

#define SZ_1M		(1ull << 20)
#define AMD_HT_START	0xfd00000000ull
#define AMD_HT_END	0x10000000000ull

/*
 * pc_get_cxl_range_start(): after the device-memory (DIMM) area when
 * there is one, else after RAM above 4 GiB; the host bridge registers
 * take 1 MiB, windows start at the next 256 MiB. Windows follow each
 * other in device order. The AMD HyperTransport hole is skipped (see
 * docs/device-memory.md for how QEMU differs).
 */
static uint64_t cxl_next_window_base(const struct hotmem_machine *m, uint64_t size)
{
	uint64_t base = 0, end;
	unsigned int i;
	size_t r;

	if (m->device_memory_size) {
		base = m->device_memory_base + m->device_memory_size;
	} else {
		for (r = 0; r < m->nr_memblock; r++)
			if (PFN_PHYS(m, m->memblock[r].end_pfn) > base)
				base = PFN_PHYS(m, m->memblock[r].end_pfn);
		if (base < (4ull << 30))
			base = 4ull << 30;
	}
	base = (base + SZ_1M + CXL_WINDOW_ALIGN - 1) & ~(CXL_WINDOW_ALIGN - 1);
	for (i = 0; i < CXL_MAX_DEVICES; i++) {
		const struct cxl_device *d = &m->cxl.devs[i];

		if (d->used && d->base + d->size > base)
			base = (d->base + d->size + CXL_WINDOW_ALIGN - 1) & ~(CXL_WINDOW_ALIGN - 1);
	}
	end = base + size;
	if (base < AMD_HT_END && end > AMD_HT_START)
		base = AMD_HT_END;
	return base;
}

int cxl_type3_add(struct hotmem_machine *m, const char *id, uint64_t size,
		  int node, char *err, size_t errlen)
{
	struct cxl_device *d = NULL;
	char name[32], parent[96];
	uint64_t base;
	unsigned int i;
	int index = 0, ret, region, dev;

	for (i = 0; i < CXL_MAX_DEVICES; i++) {
		if (m->cxl.devs[i].used && !strcmp(m->cxl.devs[i].id, id)) {
			snprintf(err, errlen, "Duplicate device ID '%s'", id);
			return -EEXIST;
		}
		if (m->cxl.devs[i].used)
			index++;
		else if (!d)
			d = &m->cxl.devs[i];
	}
	if (!d) {
		snprintf(err, errlen, "at most %d cxl-type3 devices", CXL_MAX_DEVICES);
		return -ENOSPC;
	}
	if (!size || size % CXL_WINDOW_ALIGN) {
		snprintf(err, errlen, "cxl-type3: size must be a non-zero multiple of 256 MiB (the decoder granularity)");
		return -EINVAL;
	}
	if (node < 0 || (unsigned int)node >= m->nr_node_ids) {
		snprintf(err, errlen, "cxl-type3: node %d is not a possible NUMA node (add a numa line for it)", node);
		return -EINVAL;
	}
	base = cxl_next_window_base(m, size);
	if (base + size > (1ull << m->geo.max_physmem_bits)) {
		snprintf(err, errlen, "cxl-type3: no room for a %llu MiB window below 2^%u",
			 (unsigned long long)(size >> 20), m->geo.max_physmem_bits);
		return -ENOSPC;
	}
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->size = size;
	d->node = node;
	d->index = index;
	d->base = base;
	snprintf(name, sizeof(name), "CXL Window %d", index);
	ret = request_mem_region(&m->iomem, base, size, name, 0, &d->window_res);
	if (ret) {
		snprintf(err, errlen, "cxl-type3: window [%#llx-%#llx] overlaps another resource",
			 (unsigned long long)base, (unsigned long long)(base + size - 1));
		return -EBUSY;
	}
	snprintf(name, sizeof(name), "region%d", index);
	ret = request_mem_region(&m->iomem, base, size, name, 0, &d->region_res);
	if (ret) {
		release_resource(&m->iomem, d->window_res);
		return -EBUSY;
	}
	d->used = true;
	m->cxl.nr_devices++;
	/* cxl_dax_region_probe: dax_region<N> with the region's id */
	snprintf(parent, sizeof(parent), "platform/ACPI0017:00/root0/decoder0.%d/region%d/dax_region%d",
		 index, index, index);
	region = alloc_dax_region(m, index, base, base + size - 1, node,
				  1ull << m->geo.pmd_shift, IORESOURCE_DAX_KMEM, parent);
	if (region < 0) {
		snprintf(err, errlen, "cxl-type3: no dax region slot left");
		return 0;	/* the device stays; nothing more happens */
	}
	/* data.id = -1: the dynamic region numbers it (dax<N>.0) */
	dev = devm_create_dev_dax(m, region, -1, size, NULL, true);
	d->dax_region = region;
	d->dev_dax = dev;
	return 0;
}
