/*
 * cxl.h - CXL type-3 memory expanders as a q35 guest with a CXL host
 * bridge and fixed memory window sees them: the window, a region
 * committed over the whole device, its dax region and device, and kmem
 * (drivers/cxl/core/region.c, drivers/dax/cxl.c, drivers/dax/kmem.c;
 * spec 08).
 *
 * Contract: cxl_type3_add() is QEMU's device_add of a volatile
 * cxl-type3 device plus what `cxl create-region -t ram` does in the
 * guest; the resulting dax device binds to kmem (the region is
 * DAX_KMEM), with memmap_on_memory = 1 unless the scenario cleared it
 * first via cxl_set_default_memmap_on_memory(). State is plain data.
 * Expected workload: a few devices per machine.
 */
#ifndef HOTMEM_CXL_H
#define HOTMEM_CXL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hotmem_machine;

#define CXL_MAX_DEVICES	8
#define CXL_WINDOW_ALIGN	(256ull << 20)	/* QEMU's fixed memory windows */

struct cxl_device {
	bool used;
	char id[64];
	uint64_t size;
	int node;		/* target node the window is assigned to */
	int index;		/* window / region number */
	uint64_t base;		/* HPA of its window */
	int window_res, region_res;
	int dax_region, dev_dax;
};

struct cxl_state {
	unsigned int nr_devices;
	struct cxl_device devs[CXL_MAX_DEVICES];
};

int cxl_type3_add(struct hotmem_machine *m, const char *id, uint64_t size,
		  int node, char *err, size_t errlen);

#endif
