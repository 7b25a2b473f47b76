/*
 * nvdimm.h - the libnvdimm bus as legacy e820 pmem builds it
 * (drivers/nvdimm/e820.c, region_devs.c, namespace_devs.c, pfn_devs.c,
 * dax_devs.c, claim.c, pmem.c; drivers/dax/pmem.c; mm/memremap.c).
 *
 * Contract: one "e820" bus (ndbus0) with one region per
 * "Persistent Memory (legacy)" range; each region has one io namespace
 * (namespaceN.0) covering it, a pfn seed and a dax seed. Label (NFIT)
 * regions hold several pmem namespaces, each one contiguous extent of
 * the region's one mapping; the namespace seed advances (a new
 * namespaceN.K of size 0, K the lowest free id) once the seed is bound
 * or claimed by a bound pfn/dax device (namespace_devs.c). Drivers are
 * nd_pmem (namespaces in raw mode, pfn devices: fsdax) and dax_pmem
 * (dax devices: devdax). Binding and unbinding go through
 * nd_bus_bind()/nd_bus_unbind(), the attribute stores through the
 * nd_*_store functions, each returning the kernel's errno and changing
 * nothing on failure. State is fixed-size and plain data so that a
 * machine clone copies it with the machine.
 * Expected workload: a few regions and devices per machine.
 */
#ifndef HOTMEM_NVDIMM_H
#define HOTMEM_NVDIMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hotmem_machine;

#define ND_MAX_REGIONS	8
#define ND_MAX_PFNS	16	/* pfn and dax devices, all regions */
#define ND_MAX_NAMESPACES	16	/* all regions */

#define ND_DEVICE_NAMESPACE_IO	4	/* nstype of e820 regions/namespaces */
#define ND_DEVICE_NAMESPACE_PMEM	5	/* nstype of label (NFIT) regions */
#define ND_MIN_NAMESPACE_SIZE	4096
#define ND_INFO_BLOCK_RESERVE	8192	/* nd_info_block_reserve() on 4K pages */
#define MAX_STRUCT_PAGE_SIZE	64

enum nd_pfn_mode {
	PFN_MODE_NONE = 0,
	PFN_MODE_RAM,		/* map=mem: memmap in system RAM */
	PFN_MODE_PMEM,		/* map=dev: memmap on the device (altmap) */
};

struct nd_region {
	bool used;
	bool labels;		/* NFIT (QEMU nvdimm): label namespace, no PAGEMAP */
	int bus;		/* ndbusN */
	int id;
	uint64_t start, size;
	uint64_t align;		/* region/align, default_align() */
	int numa_node, target_node;
	int pfn_seed, dax_seed;	/* index into pfns, -1 none */
	int ns_seed;		/* index into namespaces, -1 none */
	/* label regions: the one QEMU nvdimm behind it (nmemN) */
	int nmem;		/* N of nmemN: nvdimms in the order they came */
	int slot;		/* QEMU's dimm slot: NFIT handle slot+1, serial */
};

/* holder_class (NVDIMM_CCLASS_*): set by ndctl before it attaches. */
enum nd_claim_class {
	ND_CCLASS_NONE,
	ND_CCLASS_BTT,
	ND_CCLASS_PFN,
	ND_CCLASS_DAX,
};

/* namespace<region>.<id>: io (e820, the whole region) or pmem (labels). */
struct nd_namespace {
	bool used;
	int region;		/* index into regions (= its id) */
	int id;
	uint64_t start, size;	/* its extent; size 0: none (start = region's) */
	char uuid[40];		/* label namespaces: "" = not set */
	bool bound;		/* nd_pmem driver bound */
	int claim;		/* pfn/dax device index claiming it, -1 */
	enum nd_claim_class claim_class; /* holder_class: who may claim it */
	bool force_raw;		/* force_raw: nd_pmem ignores info blocks */
	char alt_name[64];	/* label namespaces: alt_name (NSLABEL_NAME_LEN) */
	unsigned int lbasize;	/* label namespaces: sector_size, 0 = unset */
	int res;		/* iomem resource while bound, -1 */
	int pgmap;		/* pgmap of the raw (PAGEMAP) mapping, -1 */
};

struct nd_pfn {
	bool used;
	bool is_dax;		/* daxN.M (dax_pmem) vs pfnN.M (nd_pmem, fsdax) */
	int region, id;
	enum nd_pfn_mode mode;
	uint64_t align;
	char uuid[40];		/* as written, canonical form; "" = none */
	int ns;			/* namespace attached (claimed): index, -1 */
	bool bound;
	/* the info block nd_pfn_init() computed at the last successful probe */
	uint64_t dataoff;
	uint32_t end_trunc;
	uint64_t npfns;
	/* while bound */
	int meta_res;		/* dax: "namespaceN.0" metadata; pfn: whole ns */
	int pgmap;		/* pfn (fsdax): its pgmap */
	int dax_region;		/* dax: its dax region index */
	int dev_dax;		/* dax: its dev_dax index */
};

struct nd_bus {
	bool present;		/* some nd bus exists */
	int e820_bus, nfit_bus;	/* their ndbusN ids, -1 = absent */
	int nr_buses;
	struct nd_region regions[ND_MAX_REGIONS];
	struct nd_pfn pfns[ND_MAX_PFNS];
	struct nd_namespace namespaces[ND_MAX_NAMESPACES];
};

/* Boot: e820_pmem_probe for every legacy PRAM range; binds namespaces. */
int e820_pmem_probe(struct hotmem_machine *m);
/*
 * A QEMU nvdimm's NFIT region appears (ACPI NFIT hotplug notify):
 * [start, start+size) on node nid, with a label area, namespace seed
 * of size 0. Returns the region id or -errno.
 */
int nfit_nvdimm_add(struct hotmem_machine *m, uint64_t start, uint64_t size, int nid);
int nd_namespace_size_store(struct hotmem_machine *m, struct nd_namespace *ns,
			    const char *buf, size_t len);
int nd_namespace_holder_class_store(struct hotmem_machine *m,
				    struct nd_namespace *ns, const char *buf,
				    size_t len);
int nd_namespace_alt_name_store(struct nd_namespace *ns, const char *buf,
				size_t len);
int nd_namespace_sector_size_store(struct nd_namespace *ns, const char *buf,
				   size_t len);
int nd_namespace_force_raw_store(struct nd_namespace *ns, const char *buf,
				 size_t len);
int nd_namespace_uuid_store(struct hotmem_machine *m, struct nd_namespace *ns,
			    const char *buf, size_t len);
/* nd_region_available_dpa: free space, aligned to the region's align */
uint64_t nd_region_available(const struct hotmem_machine *m, const struct nd_region *r);
/* nd_region_allocatable_dpa: the largest aligned free extent */
uint64_t nd_region_allocatable(const struct hotmem_machine *m, const struct nd_region *r);
void nd_namespace_name(const struct nd_namespace *ns, char *buf, size_t len);

/* Driver core on the nd bus: bind/unbind by device name. */
int nd_bus_bind(struct hotmem_machine *m, const char *driver, const char *dev);
int nd_bus_unbind(struct hotmem_machine *m, const char *driver, const char *dev);

/* Look-ups by sysfs name: "region0", "namespace0.0", "pfn0.0", "dax0.0". */
struct nd_region *nd_region_by_name(struct hotmem_machine *m, const char *name);
struct nd_namespace *nd_namespace_by_name(struct hotmem_machine *m, const char *name);
struct nd_pfn *nd_pfn_by_name(struct hotmem_machine *m, const char *name);
void nd_pfn_name(const struct nd_pfn *p, char *buf, size_t len);
/*
 * nmemN, the DIMM of a QEMU nvdimm (drivers/nvdimm/dimm_devs.c): the
 * label region it maps, or NULL. One nvdimm, one region, one mapping.
 */
struct nd_region *nd_nmem_by_name(struct hotmem_machine *m, const char *name);
/* available_slots: the label area's free slots less one kept for updates */
unsigned int nd_nmem_available_slots(const struct hotmem_machine *m,
				     const struct nd_region *r);
/*
 * QEMU's NFIT control region of the nvdimm in slot S: serial 0x123456+S
 * as the kernel shows it (the table's bytes read big-endian).
 */
uint32_t nd_nmem_serial(const struct nd_region *r);
/* set_cookie of a label region: the v1.2 interleave-set cookie */
uint64_t nd_region_set_cookie(const struct nd_region *r);
/* The region's device directory under /sys/devices. */
void nd_region_dev_path(const struct nd_region *r, char *buf, size_t len);

/* Attribute stores of pfn/dax devices (drivers/nvdimm/pfn_devs.c). */
int nd_pfn_mode_store(struct hotmem_machine *m, struct nd_pfn *p, const char *buf, size_t len);
int nd_pfn_align_store(struct hotmem_machine *m, struct nd_pfn *p, const char *buf, size_t len);
int nd_pfn_uuid_store(struct hotmem_machine *m, struct nd_pfn *p, const char *buf, size_t len);
int nd_pfn_namespace_store(struct hotmem_machine *m, struct nd_pfn *p, const char *buf, size_t len);
int nd_region_align_store(struct hotmem_machine *m, struct nd_region *r, const char *buf, size_t len);

/* nd_pfn_supported_alignments(): zero-terminated. */
void nd_pfn_supported_alignments(const struct hotmem_machine *m, uint64_t out[4]);
/* The namespace a pfn/dax device claims, or NULL. */
struct nd_namespace *nd_pfn_namespace(struct hotmem_machine *m, const struct nd_pfn *p);

#endif
