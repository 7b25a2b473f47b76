/*
 * cxl.h - CXL type-3 memory expanders as a q35 guest with a CXL host
 * bridge and fixed memory window sees them: the window, a region
 * committed over the whole device, its dax region and device, and kmem
 * (drivers/cxl/core/region.c, drivers/dax/cxl.c, drivers/dax/kmem.c;
 * drivers/dax/kmem.c).
 *
 * Contract: two ways in. cxl_acpi_probe() at boot brings up the devices
 * present at power-on (hotmem_config.cxl: QEMU -device cxl-type3 with a
 * volatile memdev behind a pxb-cxl host bridge, a cxl-rp root port and a
 * fixed memory window of the device's size): the window ("CXL Window
 * N"), the cxl bus topology (root0, port1, endpoint2, mem0 and their
 * decoders), but no region - the guest makes one through sysfs, the
 * cxl_*_store() functions below, as `cxl create-region -t ram` does,
 * and binding it to cxl_region yields the dax region and device that
 * kmem takes. cxl_type3_add() (device_add after boot) is the model's
 * shorthand for device and region at once, with no /sys/bus/cxl; QEMU
 * cannot hot-add a CXL window, so only the model runs it. Stores return
 * the kernel's errno and change nothing when they fail. State is plain
 * data. Expected workload: a few devices and regions per machine.
 */
#ifndef HOTMEM_CXL_H
#define HOTMEM_CXL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hotmem_machine;

#define CXL_MAX_DEVICES	8
#define CXL_WINDOW_ALIGN	(256ull << 20)	/* QEMU's fixed memory windows */

#define CXL_NR_EP_DECODERS	4	/* QEMU's type-3 HDM decoder count */
#define CXL_MAX_REGIONS		8

/*
 * The cold-plugged topology's names (one device: observed on 6.12.95
 * under QEMU 10.0): root0 with decoder0.N per window, the host bridge
 * port1 with decoder1.0, the endpoint port2 with decoder2.0-3, mem0.
 */
#define CXL_HB_PORT_ID		1
#define CXL_EP_PORT_ID		2
#define CXL_HB_UID		12	/* the backend's pxb-cxl bus_nr: dport12 */

enum cxl_decoder_mode { CXL_DECODER_NONE, CXL_DECODER_RAM, CXL_DECODER_PMEM };

struct cxl_endpoint_decoder {
	enum cxl_decoder_mode mode;
	bool dpa_valid;		/* dpa_res: a DPA allocation */
	uint64_t dpa_base, dpa_size;
	int region;		/* cxl.regions[] it is attached to, or -1 */
};

struct cxl_device {
	bool used;
	bool coldplug;		/* present at power-on: has the /sys/bus/cxl tree */
	char id[64];
	uint64_t size;
	int node;		/* target node the window is assigned to */
	int index;		/* window / region number */
	uint64_t base;		/* HPA of its window */
	uint64_t window_size;
	int window_res, region_res;
	int dax_region, dev_dax;
	struct cxl_endpoint_decoder epd[CXL_NR_EP_DECODERS];
	int hdm_end;		/* last decoder with a DPA allocation, -1 */
	/* the host bridge's decoder1.0 as last programmed */
	uint64_t sw_start, sw_size;
	unsigned int sw_gran;
};

/* CXL_CONFIG_* of region.c, in order */
enum cxl_config_state {
	CXL_CONFIG_IDLE,
	CXL_CONFIG_INTERLEAVE_ACTIVE,	/* size set: an HPA range */
	CXL_CONFIG_ACTIVE,		/* all targets attached */
	CXL_CONFIG_COMMIT,
};

struct cxl_region {
	bool used;
	int id;			/* regionN */
	int dev;		/* cxl.devs[] whose window holds it */
	unsigned int ways, gran;
	uint64_t start, size;
	int res;		/* "regionN" in the window, or -1 */
	int target0;		/* endpoint decoder of dev, or -1 */
	enum cxl_config_state state;
	bool bound;		/* cxl_region driver */
	int dax_region, dev_dax;
};

struct cxl_state {
	unsigned int nr_devices;
	struct cxl_device devs[CXL_MAX_DEVICES];
	struct cxl_region regions[CXL_MAX_REGIONS];
	int region_id;		/* the root decoder's next region id */
};

int cxl_type3_add(struct hotmem_machine *m, const char *id, uint64_t size,
		  int node, char *err, size_t errlen);
/* Boot: the devices of hotmem_config.cxl, enumerated by cxl_acpi/cxl_mem. */
int cxl_acpi_probe(struct hotmem_machine *m, char *err, size_t errlen);

/* The cold-plugged device (its /sys/bus/cxl tree), or NULL. */
struct cxl_device *cxl_coldplug_dev(struct hotmem_machine *m);
int cxl_bus_devices(struct hotmem_machine *m, int (*fn)(void *ctx, const char *name),
		    void *ctx, const char *want);
struct cxl_region *cxl_region_by_name(struct hotmem_machine *m, const char *name);

/* Endpoint decoder N of d: decoder2.N/mode and dpa_size */
int cxl_decoder_mode_store(struct hotmem_machine *m, struct cxl_device *d, int n,
			   const char *buf, size_t len);
int cxl_dpa_size_store(struct cxl_device *d, int n, const char *buf, size_t len);
/* Root decoder: create_ram_region, delete_region */
int cxl_create_ram_region_store(struct hotmem_machine *m, struct cxl_device *d,
				const char *buf, size_t len);
int cxl_delete_region_store(struct hotmem_machine *m, const char *buf, size_t len);
/* regionN/ */
int cxl_interleave_ways_store(struct cxl_region *r, const char *buf, size_t len);
int cxl_interleave_granularity_store(struct cxl_region *r, const char *buf, size_t len);
int cxl_region_size_store(struct hotmem_machine *m, struct cxl_region *r,
			  const char *buf, size_t len);
int cxl_region_target_store(struct hotmem_machine *m, struct cxl_region *r,
			    const char *buf, size_t len);
int cxl_region_commit_store(struct hotmem_machine *m, struct cxl_region *r,
			    const char *buf, size_t len);
/* /sys/bus/cxl/drivers/cxl_region/bind */
int cxl_region_bind(struct hotmem_machine *m, const char *buf, size_t len);

#endif
