/*
 * nvdimm.c - the e820 nvdimm bus, its regions, io namespaces and
 * pfn/dax devices, and the nd_pmem and dax_pmem drivers' probe/remove
 * as they touch memory: resources, memremap_pages, the info block's
 * geometry (drivers/nvdimm/pfn_devs.c : nd_pfn_init,
 * __nvdimm_setup_pfn), and the dax region/device handed to the dax bus
 * (drivers/dax/pmem.c). mm/memremap.c.
 */
#include "nvdimm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "dax.h"
#include "../util/kstrtox.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v / a * a;
}

void nd_pfn_name(const struct nd_pfn *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%d.%d", p->is_dax ? "dax" : "pfn", p->region, p->id);
}

void nd_region_dev_path(const struct nd_region *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s/ndbus%d/region%d",
		 r->labels ? "LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00" : "platform/e820_pmem",
		 r->bus, r->id);
}

void nd_namespace_name(const struct nd_namespace *ns, char *buf, size_t len)
{
	snprintf(buf, len, "namespace%d.%d", ns->region, ns->id);
}
#define ns_name nd_namespace_name

/* "prefix<a>" or "prefix<a>.<b>" with plain decimals. */
static bool parse_name(const char *s, const char *prefix, int *a, int *b)
{
	size_t pl = strlen(prefix);
	char *end;
	long v;

	if (strncmp(s, prefix, pl) || s[pl] < '0' || s[pl] > '9')
		return false;
	v = strtol(s + pl, &end, 10);
	if (v < 0 || v > 1000000)
		return false;
	*a = (int)v;
	if (!b)
		return *end == '\0';
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return false;
	v = strtol(end + 1, &end, 10);
	if (*end || v < 0 || v > 1000000)
		return false;
	*b = (int)v;
	return true;
}

struct nd_region *nd_region_by_name(struct hotmem_machine *m, const char *name)
{
	int id;

	if (!parse_name(name, "region", &id, NULL) || id >= ND_MAX_REGIONS ||
	    !m->nd.regions[id].used)
		return NULL;
	return &m->nd.regions[id];
}

struct nd_region *nd_nmem_by_name(struct hotmem_machine *m, const char *name)
{
	char canon[32];
	int id, i;

	if (!parse_name(name, "nmem", &id, NULL))
		return NULL;
	snprintf(canon, sizeof(canon), "nmem%d", id);
	if (strcmp(canon, name))
		return NULL;	/* "nmem01" is no device */
	for (i = 0; i < ND_MAX_REGIONS; i++)
		if (m->nd.regions[i].used && m->nd.regions[i].labels &&
		    m->nd.regions[i].nmem == id)
			return &m->nd.regions[i];
	return NULL;
}

/*
 * QEMU's 128 KiB label area as the guest finds it initialised: 510
 * label slots (label.c sizeof_namespace_index with 256-byte labels).
 * Each pmem namespace with a size holds one label on its only DIMM.
 */
#define NVDIMM_LABEL_SLOTS 510u

unsigned int nd_nmem_available_slots(const struct hotmem_machine *m,
				     const struct nd_region *r)
{
	unsigned int used = 0;
	int i;

	for (i = 0; i < ND_MAX_NAMESPACES; i++)
		used += m->nd.namespaces[i].used && m->nd.namespaces[i].region == r->id &&
			m->nd.namespaces[i].size > 0;
	/* available_slots_show keeps one free slot back for label updates */
	return NVDIMM_LABEL_SLOTS - used - 1;
}

uint32_t nd_nmem_serial(const struct nd_region *r)
{
	return __builtin_bswap32(0x123456u + (uint32_t)r->slot);
}

/*
 * acpi_nfit_init_interleave_set, cookie2 (the labels' index is v1.2):
 * a Fletcher-64 over one 48-byte record per DIMM of the set, here one:
 * region offset 0 (u64), the serial and vendor id as the table stores
 * them (u32, u16), date and location 0, reserved zeros.
 */
uint64_t nd_region_set_cookie(const struct nd_region *r)
{
	uint32_t words[12] = { 0 }, lo = 0;
	uint64_t hi = 0;
	size_t i;

	words[2] = __builtin_bswap32(nd_nmem_serial(r));
	words[3] = 0x8086;	/* vendor 0x8680 in table byte order, date 0 */
	for (i = 0; i < 12; i++) {
		lo += words[i];
		hi += lo;
	}
	return hi << 32 | lo;
}

struct nd_namespace *nd_namespace_by_name(struct hotmem_machine *m, const char *name)
{
	int r, id, i;

	if (!parse_name(name, "namespace", &r, &id))
		return NULL;
	for (i = 0; i < ND_MAX_NAMESPACES; i++) {
		struct nd_namespace *ns = &m->nd.namespaces[i];

		if (ns->used && ns->region == r && ns->id == id)
			return ns;
	}
	return NULL;
}

struct nd_pfn *nd_pfn_by_name(struct hotmem_machine *m, const char *name)
{
	bool is_dax = !strncmp(name, "dax", 3);
	int r, id, i;

	if (!parse_name(name, is_dax ? "dax" : "pfn", &r, &id))
		return NULL;
	for (i = 0; i < ND_MAX_PFNS; i++) {
		struct nd_pfn *p = &m->nd.pfns[i];

		if (p->used && p->is_dax == is_dax && p->region == r && p->id == id)
			return p;
	}
	return NULL;
}

struct nd_namespace *nd_pfn_namespace(struct hotmem_machine *m, const struct nd_pfn *p)
{
	return p->ns >= 0 ? &m->nd.namespaces[p->ns] : NULL;
}

/*
 * nd_namespace_pmem_create / the io namespace: namespace<region>.<lowest
 * free id> over [start, start+size). Returns its index or -ENOMEM.
 */
static int nd_namespace_create(struct hotmem_machine *m, int region, uint64_t start,
			       uint64_t size)
{
	int i, id, slot = -1;

	for (id = 0;; id++) {
		for (i = 0; i < ND_MAX_NAMESPACES; i++)
			if (m->nd.namespaces[i].used && m->nd.namespaces[i].region == region &&
			    m->nd.namespaces[i].id == id)
				break;
		if (i == ND_MAX_NAMESPACES)
			break;
	}
	for (i = 0; i < ND_MAX_NAMESPACES && slot < 0; i++)
		if (!m->nd.namespaces[i].used)
			slot = i;
	if (slot < 0)
		return -ENOMEM;
	memset(&m->nd.namespaces[slot], 0, sizeof(m->nd.namespaces[slot]));
	m->nd.namespaces[slot].used = true;
	m->nd.namespaces[slot].region = region;
	m->nd.namespaces[slot].id = id;
	m->nd.namespaces[slot].start = start;
	m->nd.namespaces[slot].size = size;
	m->nd.namespaces[slot].claim = -1;
	m->nd.namespaces[slot].claim_class = ND_CCLASS_NONE;
	m->nd.namespaces[slot].force_raw = false;
	m->nd.namespaces[slot].alt_name[0] = '\0';
	m->nd.namespaces[slot].lbasize = 0;
	m->nd.namespaces[slot].res = -1;
	m->nd.namespaces[slot].pgmap = -1;
	return slot;
}

/* nd_region_create_ns_seed: io regions keep their one namespace. */
static void nd_region_create_ns_seed(struct hotmem_machine *m, struct nd_region *r)
{
	int slot;

	if (!r->labels)
		return;
	slot = nd_namespace_create(m, r->id, r->start, 0);
	if (slot < 0)
		machine_log(m, "nd_region region%d: failed to create namespace", r->id);
	r->ns_seed = slot;
}

void nd_pfn_supported_alignments(const struct hotmem_machine *m, uint64_t out[4])
{
	/*
	 * PAGE_SIZE, then PMD with has_transparent_hugepage() (x86: the
	 * CPU has PSE), then PUD with has_transparent_pud_hugepage() (x86:
	 * the CPU has PSE too, not gbpages: Linux 6.12.95 lists "4096
	 * 2097152 1073741824" under QEMU's max and its qemu64, which has
	 * no 1 GiB pages).
	 */
	out[0] = m->geo.page_size;
	out[1] = 1ull << m->geo.pmd_shift;
	out[2] = m->geo.profile->direct_map == DIRECT_MAP_X86 ? 1ull << 30 : 0;
	out[3] = 0;
}

/* nd_region_create_{pfn,dax}_seed: the lowest free id of that kind. */
static int nd_seed_create(struct hotmem_machine *m, int region, bool is_dax)
{
	int i, slot = -1, id;

	for (id = 0;; id++) {
		bool taken = false;

		for (i = 0; i < ND_MAX_PFNS; i++) {
			const struct nd_pfn *p = &m->nd.pfns[i];

			if (p->used && p->is_dax == is_dax && p->region == region && p->id == id)
				taken = true;
		}
		if (!taken)
			break;
	}
	for (i = 0; i < ND_MAX_PFNS; i++)
		if (!m->nd.pfns[i].used) {
			slot = i;
			break;
		}
	if (slot < 0)
		return -ENOMEM;
	memset(&m->nd.pfns[slot], 0, sizeof(m->nd.pfns[slot]));
	m->nd.pfns[slot].used = true;
	m->nd.pfns[slot].is_dax = is_dax;
	m->nd.pfns[slot].region = region;
	m->nd.pfns[slot].id = id;
	m->nd.pfns[slot].mode = PFN_MODE_NONE;
	m->nd.pfns[slot].align = 1ull << m->geo.pmd_shift;	/* nd_pfn_default_alignment */
	m->nd.pfns[slot].meta_res = -1;
	m->nd.pfns[slot].pgmap = -1;
	m->nd.pfns[slot].dax_region = -1;
	m->nd.pfns[slot].dev_dax = -1;
	m->nd.pfns[slot].ns = -1;
	if (is_dax)
		m->nd.regions[region].dax_seed = slot;
	else
		m->nd.regions[region].pfn_seed = slot;
	return slot;
}

/* default_align(): 16 MiB (MEMREMAP_COMPAT_ALIGN_MAX), PAGE_SIZE below it */
static uint64_t default_align(const struct hotmem_machine *m, uint64_t size)
{
	return size < (16ull << 20) ? m->geo.page_size : 16ull << 20;
}

/* ---- nd_pmem on a namespace: raw mode, memremapped (ND_REGION_PAGEMAP) --- */

static int nd_pmem_probe_namespace(struct hotmem_machine *m, struct nd_namespace *ns)
{
	const struct nd_region *r = &m->nd.regions[ns->region];
	char name[32];
	struct dev_pagemap pgmap;
	uint64_t compat = memremap_compat_align(m), size = ns->size;
	int res, id = -1, ret;

	ns_name(ns, name, sizeof(name));
	if (ns->claim >= 0)
		return -ENXIO;		/* claimed by a pfn/dax device */
	if (size < ND_MIN_NAMESPACE_SIZE || (r->labels && !ns->uuid[0]))
		return -ENODEV;
	/* pmem_should_map_pages: only PAGEMAP (e820) regions get struct pages */
	if (!r->labels && ((ns->start | (ns->start + size)) & (compat - 1))) {
		machine_log(m, "nd_pmem %s: [mem %#010llx-%#010llx flags 0x200] misaligned, unable to map",
			    name, (unsigned long long)ns->start,
			    (unsigned long long)(ns->start + size - 1));
		return -EOPNOTSUPP;
	}
	ret = request_mem_region(&m->iomem, ns->start, size, name,
				 IORESOURCE_BUSY, &res);
	if (ret) {
		machine_log(m, "nd_pmem %s: could not reserve region [mem %#010llx-%#010llx]",
			    name, (unsigned long long)ns->start,
			    (unsigned long long)(ns->start + size - 1));
		return -EBUSY;
	}
	if (!r->labels) {
		memset(&pgmap, 0, sizeof(pgmap));
		pgmap.type = MEMORY_DEVICE_FS_DAX;
		pgmap.nr_range = 1;
		pgmap.ranges[0].start = ns->start;
		pgmap.ranges[0].end = ns->start + size - 1;
		snprintf(pgmap.owner, sizeof(pgmap.owner), "%s", name);
		ret = memremap_pages(m, &pgmap, r->numa_node, &id);
		if (ret) {
			release_resource(&m->iomem, res);
			return ret;
		}
	}
	ns->res = res;
	ns->pgmap = id;
	ns->bound = true;
	return 0;
}

static void nd_pmem_remove_namespace(struct hotmem_machine *m, struct nd_namespace *ns)
{
	if (ns->pgmap >= 0)
		memunmap_pages(m, ns->pgmap);
	release_resource(&m->iomem, ns->res);
	ns->pgmap = -1;
	ns->res = -1;
	ns->bound = false;
}

/* ---- the info block: nd_pfn_init + __nvdimm_setup_pfn --------------------- */

static int nd_pfn_init(struct hotmem_machine *m, struct nd_pfn *p,
		       const struct nd_namespace *ns)
{
	uint64_t start = ns->start, size = ns->size;
	uint64_t compat = memremap_compat_align(m);
	uint64_t npfns = (size - ND_INFO_BLOCK_RESERVE) >> m->geo.page_shift;
	uint64_t align = p->align > compat ? p->align : compat;
	uint64_t end_trunc, offset;
	char name[32], dev[32];

	ns_name(ns, name, sizeof(name));
	nd_pfn_name(p, dev, sizeof(dev));
	if (start & (compat - 1)) {
		machine_log(m, "%s %s: %s: start %#018llx misaligned to %#llx",
			    p->is_dax ? "dax_pmem" : "nd_pmem", dev, name,
			    (unsigned long long)start, (unsigned long long)compat);
		return -EINVAL;
	}
	end_trunc = start + size - align_down(start + size, align);
	if (p->mode == PFN_MODE_PMEM)
		offset = align_up(start + ND_INFO_BLOCK_RESERVE +
				  MAX_STRUCT_PAGE_SIZE * npfns, align) - start;
	else if (p->mode == PFN_MODE_RAM)
		offset = align_up(start + ND_INFO_BLOCK_RESERVE, align) - start;
	else
		return -ENXIO;
	if (offset >= size - end_trunc) {
		machine_log(m, "%s %s: %s unable to satisfy requested alignment",
			    p->is_dax ? "dax_pmem" : "nd_pmem", dev, name);
		return -ENXIO;
	}
	p->dataoff = offset;
	p->end_trunc = (uint32_t)end_trunc;
	p->npfns = (size - offset - end_trunc) >> m->geo.page_shift;
	return 0;
}

/* __nvdimm_setup_pfn: the pgmap over the whole namespace (metadata too). */
static int nvdimm_setup_pfn(struct hotmem_machine *m, const struct nd_pfn *p,
			    const struct nd_namespace *ns, struct dev_pagemap *pgmap)
{
	uint64_t base = ns->start, end = ns->start + ns->size - 1 - p->end_trunc;
	uint64_t sub = m->geo.pages_per_subsection;
	uint64_t base_pfn = PHYS_PFN(m, base);

	memset(pgmap, 0, sizeof(*pgmap));
	pgmap->nr_range = 1;
	pgmap->ranges[0].start = base;
	pgmap->ranges[0].end = end;
	if (p->mode == PFN_MODE_RAM) {
		if (p->dataoff < ND_INFO_BLOCK_RESERVE)
			return -EINVAL;
		return 0;
	}
	pgmap->altmap.base_pfn = base_pfn / sub * sub;
	pgmap->altmap.reserve = (ND_INFO_BLOCK_RESERVE >> m->geo.page_shift) +
				(base_pfn - pgmap->altmap.base_pfn);
	pgmap->altmap.end_pfn = PHYS_PFN(m, end);
	pgmap->altmap.free = PHYS_PFN(m, p->dataoff - ND_INFO_BLOCK_RESERVE);
	pgmap->flags = PGMAP_ALTMAP_VALID;
	return 0;
}

/*
 * Common part of the pfn/dax probes: the attached namespace
 * (nvdimm_namespace_common_probe), the info block, the pgmap.
 */
static int nd_pfn_prepare(struct hotmem_machine *m, struct nd_pfn *p,
			  struct nd_namespace **ns, struct dev_pagemap *pgmap)
{
	int ret;

	*ns = nd_pfn_namespace(m, p);
	if (!*ns)
		return -ENODEV;
	/* the namespace's raw personality (nd_pmem) still active: EBUSY
	 * before any other check (6.12.95: mode none while bound is EBUSY) */
	if ((*ns)->bound)
		return -EBUSY;
	if ((*ns)->size < ND_MIN_NAMESPACE_SIZE ||
	    (m->nd.regions[(*ns)->region].labels && !(*ns)->uuid[0]))
		return -ENODEV;
	/* nvdimm_setup_pfn: a pfn/dax device without a uuid is -ENODEV */
	if (!p->uuid[0])
		return -ENODEV;
	ret = nd_pfn_init(m, p, *ns);
	if (ret)
		return ret;
	return nvdimm_setup_pfn(m, p, *ns, pgmap);
}

/*
 * nd_region_advance_seeds after a pfn/dax device probed: its seed, then
 * the namespace seed if that is the namespace it claims.
 */
static void nd_region_advance_seeds(struct hotmem_machine *m, int slot)
{
	struct nd_pfn *p = &m->nd.pfns[slot];
	struct nd_region *r = &m->nd.regions[p->region];

	if (p->is_dax && r->dax_seed == slot)
		nd_seed_create(m, p->region, true);
	else if (!p->is_dax && r->pfn_seed == slot)
		nd_seed_create(m, p->region, false);
	if (p->ns >= 0 && r->ns_seed == p->ns)
		nd_region_create_ns_seed(m, r);
}

/* nd_pmem on a pfn device: fsdax with map=mem or map=dev. */
static int nd_pmem_probe_pfn(struct hotmem_machine *m, struct nd_pfn *p)
{
	struct nd_namespace *ns;
	struct dev_pagemap pgmap;
	char name[32];
	int res, id, ret;

	ret = nd_pfn_prepare(m, p, &ns, &pgmap);
	if (ret)
		return ret;
	ns_name(ns, name, sizeof(name));
	ret = request_mem_region(&m->iomem, ns->start, ns->size, name,
				 IORESOURCE_BUSY, &res);
	if (ret) {
		machine_log(m, "nd_pmem pfn%d.%d: could not reserve region [mem %#010llx-%#010llx]",
			    p->region, p->id, (unsigned long long)ns->start,
			    (unsigned long long)(ns->start + ns->size - 1));
		return -EBUSY;
	}
	pgmap.type = MEMORY_DEVICE_FS_DAX;
	snprintf(pgmap.owner, sizeof(pgmap.owner), "pfn%d.%d", p->region, p->id);
	ret = memremap_pages(m, &pgmap, m->nd.regions[ns->region].numa_node, &id);
	if (ret) {
		release_resource(&m->iomem, res);
		return ret;
	}
	p->meta_res = res;
	p->pgmap = id;
	return 0;
}

/* dax_pmem: reserve the metadata, create the static dax region/device. */
static int dax_pmem_probe(struct hotmem_machine *m, struct nd_pfn *p, int slot)
{
	struct nd_namespace *ns;
	struct dev_pagemap pgmap;
	char name[32], dev[32];
	uint64_t start, end;
	int res, region, ret;

	ret = nd_pfn_prepare(m, p, &ns, &pgmap);
	if (ret)
		return ret;
	ns_name(ns, name, sizeof(name));
	nd_pfn_name(p, dev, sizeof(dev));
	ret = request_mem_region(&m->iomem, ns->start, p->dataoff, name,
				 IORESOURCE_BUSY, &res);
	if (ret) {
		machine_log(m, "dax_pmem %s: could not reserve metadata", dev);
		return -EBUSY;
	}
	start = ns->start + p->dataoff;
	end = pgmap.ranges[0].end;
	{
		char parent[96];

		char rpath[96];

		nd_region_dev_path(&m->nd.regions[ns->region], rpath, sizeof(rpath));
		snprintf(parent, sizeof(parent), "%.72s/%.16s", rpath, dev);
		/* dax<region>.<id> from the namespace's name "namespace%d.%d" */
		region = alloc_dax_region(m, ns->region, start, end,
					  m->nd.regions[ns->region].target_node,
					  p->align, IORESOURCE_DAX_STATIC, parent);
	}
	if (region < 0) {
		release_resource(&m->iomem, res);
		return region;
	}
	ret = devm_create_dev_dax(m, region, ns->id, end - start + 1, &pgmap, false);
	if (ret < 0) {
		free_dax_region(m, region);
		release_resource(&m->iomem, res);
		return ret;
	}
	/* the dax device may have been probed: its driver state is its own */
	p = &m->nd.pfns[slot];
	p->meta_res = res;
	p->dax_region = region;
	p->dev_dax = ret;
	return 0;
}

static void dax_pmem_remove(struct hotmem_machine *m, struct nd_pfn *p)
{
	if (p->dev_dax >= 0)
		kill_dev_dax(m, p->dev_dax);
	if (p->dax_region >= 0)
		free_dax_region(m, p->dax_region);
	release_resource(&m->iomem, p->meta_res);
	p->dev_dax = -1;
	p->dax_region = -1;
	p->meta_res = -1;
}

/* ---- driver core --------------------------------------------------------- */

static int nd_log_probe_failure(struct hotmem_machine *m, const char *drv,
				const char *dev, int ret)
{
	/* really_probe: -ENODEV/-ENXIO are quiet, anything else warns */
	if (ret != -ENODEV && ret != -ENXIO)
		machine_log(m, "nd %s: probe with driver %s failed with error %d",
			    dev, drv, ret);
	return ret;
}

int nd_bus_bind(struct hotmem_machine *m, const char *driver, const char *dev)
{
	struct nd_namespace *ns = nd_namespace_by_name(m, dev);
	struct nd_pfn *p = nd_pfn_by_name(m, dev);
	int ret;

	if (!strcmp(driver, "nd_pmem")) {
		if (ns) {
			struct nd_region *r = &m->nd.regions[ns->region];

			if (ns->bound)
				return -EBUSY;
			ret = nd_pmem_probe_namespace(m, ns);
			if (ret)
				return nd_log_probe_failure(m, driver, dev, ret);
			/* nd_region_advance_seeds: the seed namespace was used */
			if (r->ns_seed == ns - m->nd.namespaces)
				nd_region_create_ns_seed(m, r);
			return 0;
		}
		if (p && !p->is_dax) {
			int slot = (int)(p - m->nd.pfns);

			if (p->bound)
				return -EBUSY;
			ret = nd_pmem_probe_pfn(m, p);
			if (ret)
				return nd_log_probe_failure(m, driver, dev, ret);
			p->bound = true;
			nd_region_advance_seeds(m, slot);
			return 0;
		}
		return -ENODEV;	/* no such device, or not this driver's */
	}
	if (!strcmp(driver, "nd_region") || !strcmp(driver, "nd_bus") ||
	    !strcmp(driver, "nvdimm")) {
		/* regions, DIMMs and the bus are bound from boot on */
		if (!strcmp(driver, "nd_region") ? nd_region_by_name(m, dev) != NULL :
		    !strcmp(driver, "nvdimm") ? nd_nmem_by_name(m, dev) != NULL :
						!strcmp(dev, "ndbus0"))
			return -EBUSY;
		return -ENODEV;
	}
	if (!strcmp(driver, "dax_pmem")) {
		if (p && p->is_dax) {
			int slot = (int)(p - m->nd.pfns);

			if (p->bound)
				return -EBUSY;
			ret = dax_pmem_probe(m, p, slot);
			if (ret)
				return nd_log_probe_failure(m, driver, dev, ret);
			m->nd.pfns[slot].bound = true;
			nd_region_advance_seeds(m, slot);
			return 0;
		}
		return -ENODEV;
	}
	return -ENODEV;
}

int nd_bus_unbind(struct hotmem_machine *m, const char *driver, const char *dev)
{
	struct nd_namespace *ns = nd_namespace_by_name(m, dev);
	struct nd_pfn *p = nd_pfn_by_name(m, dev);

	/* unbind_store: the device must be bound to this very driver */
	if (!strcmp(driver, "nd_pmem")) {
		if (ns && ns->bound) {
			nd_pmem_remove_namespace(m, ns);
			return 0;
		}
		if (p && !p->is_dax && p->bound) {
			memunmap_pages(m, p->pgmap);
			release_resource(&m->iomem, p->meta_res);
			p->pgmap = -1;
			p->meta_res = -1;
			p->bound = false;
			return 0;
		}
		return -ENODEV;
	}
	if ((!strcmp(driver, "nd_region") && nd_region_by_name(m, dev)) ||
	    (!strcmp(driver, "nvdimm") && nd_nmem_by_name(m, dev)) ||
	    (!strcmp(driver, "nd_bus") && !strcmp(dev, "ndbus0")))
		return -EOPNOTSUPP;	/* tearing down a region/DIMM/bus: not modelled */
	if (!strcmp(driver, "dax_pmem") && p && p->is_dax && p->bound) {
		dax_pmem_remove(m, p);
		p->bound = false;
		return 0;
	}
	return -ENODEV;
}

/* ---- attribute stores ------------------------------------------------------ */

int nd_pfn_mode_store(struct hotmem_machine *m, struct nd_pfn *p,
		      const char *buf, size_t len)
{
	/* mode_store compares len-1 bytes: a prefix of the word matches */
	size_t n = len ? len - 1 : 0;

	(void)m;
	if (p->bound)
		return -EBUSY;
	if (!strncmp(buf, "pmem\n", n) || !strncmp(buf, "pmem", n))
		p->mode = PFN_MODE_PMEM;
	else if (!strncmp(buf, "ram\n", n) || !strncmp(buf, "ram", n))
		p->mode = PFN_MODE_RAM;
	else if (!strncmp(buf, "none\n", n) || !strncmp(buf, "none", n))
		p->mode = PFN_MODE_NONE;
	else
		return -EINVAL;
	return 0;
}

/* kstrtoul(buf, 0): one optional trailing newline. */
static int parse_ulong(const char *buf, size_t len, uint64_t *out)
{
	char s[32], *end;
	size_t n = strnlen(buf, len);

	if (n >= sizeof(s) || !n)
		return -EINVAL;
	memcpy(s, buf, n);
	s[n] = '\0';
	if (s[n - 1] == '\n')
		s[--n] = '\0';
	if (!n || s[0] == '-' || s[0] == ' ' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	return 0;
}

int nd_pfn_align_store(struct hotmem_machine *m, struct nd_pfn *p,
		       const char *buf, size_t len)
{
	uint64_t v, sup[4];
	int i, ret;

	if (p->bound)
		return -EBUSY;
	ret = parse_ulong(buf, len, &v);
	if (ret)
		return ret;
	nd_pfn_supported_alignments(m, sup);
	for (i = 0; sup[i]; i++)
		if (sup[i] == v) {
			p->align = v;
			return 0;
		}
	return -EINVAL;
}

int nd_pfn_uuid_store(struct hotmem_machine *m, struct nd_pfn *p,
		      const char *buf, size_t len)
{
	static const int dash[] = { 8, 13, 18, 23 };
	char u[37];
	int i, d = 0;

	(void)m;
	if (p->bound)
		return -EBUSY;
	/* uuid_parse: exactly the 36-character form at the start */
	if (strnlen(buf, len) < 36)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		char c = buf[i];

		if (d < 4 && i == dash[d]) {
			if (c != '-')
				return -EINVAL;
			d++;
			u[i] = '-';
			continue;
		}
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -EINVAL;
		u[i] = c;
	}
	u[36] = '\0';
	memcpy(p->uuid, u, sizeof(u));
	return 0;
}

int nd_pfn_namespace_store(struct hotmem_machine *m, struct nd_pfn *p,
			   const char *buf, size_t len)
{
	char name[64];
	size_t n = strnlen(buf, len), b = 0;
	struct nd_namespace *ns;
	int slot = (int)(p - m->nd.pfns);

	if (p->bound)
		return -EBUSY;
	/* strim */
	while (b < n && (buf[b] == ' ' || buf[b] == '\n' || buf[b] == '\t'))
		b++;
	while (n > b && (buf[n - 1] == ' ' || buf[n - 1] == '\n' || buf[n - 1] == '\t'))
		n--;
	if (n - b >= sizeof(name))
		return -EINVAL;
	memcpy(name, buf + b, n - b);
	name[n - b] = '\0';
	if (strncmp(name, "namespace", 9) && name[0])
		return -EINVAL;
	if (!name[0]) {
		const struct nd_region *r = &m->nd.regions[p->region];
		int seed = p->is_dax ? r->dax_seed : r->pfn_seed;

		/*
		 * nd_detach_and_reset: drop the claim; a device that is not
		 * its region's seed is then idle and unregistered (is_idle),
		 * the seed only loses its uuid and mode (align stays).
		 */
		if (p->ns >= 0)
			m->nd.namespaces[p->ns].claim = -1;
		p->ns = -1;
		p->mode = PFN_MODE_NONE;
		p->uuid[0] = '\0';
		if (seed != slot)
			p->used = false;
		return 0;
	}
	if (p->ns >= 0)
		return -EBUSY;
	ns = nd_namespace_by_name(m, name);
	if (!ns || ns->region != p->region)
		return -ENODEV;
	/* namespace_store: the namespace's holder_class picks the claimer */
	if ((ns->claim_class == ND_CCLASS_BTT) ||
	    (ns->claim_class == ND_CCLASS_PFN && p->is_dax) ||
	    (ns->claim_class == ND_CCLASS_DAX && !p->is_dax))
		return -EBUSY;
	if (ns->size < (16ull << 20))
		return -ENXIO;		/* "too small to host" */
	if (ns->claim >= 0)
		return -EBUSY;
	ns->claim = slot;
	p->ns = (int)(ns - m->nd.namespaces);
	return 0;
}

int nd_region_align_store(struct hotmem_machine *m, struct nd_region *r,
			  const char *buf, size_t len)
{
	uint64_t v;
	int ret = parse_ulong(buf, len, &v);

	if (ret)
		return ret;
	/* one mapping (e820): dpa = val */
	if (!v || (v & (v - 1)) || v < m->geo.page_size || v > r->size)
		return -EINVAL;
	r->align = v;
	return 0;
}

/* ---- boot ------------------------------------------------------------------- */

/*
 * phys_to_target_node() for a legacy range: the node of the RAM range
 * that held it before memmap= carved it out, else (no NUMA) node 0 up
 * to the end of RAM (dummy_numa_init), else NUMA_NO_NODE.
 */
static int pram_target_node(struct hotmem_machine *m, uint64_t start)
{
	uint64_t end_of_ram = 0;
	size_t i;

	for (i = 0; i < m->nr_memblock; i++) {
		uint64_t e = PFN_PHYS(m, m->memblock[i].end_pfn);

		if (e > end_of_ram)
			end_of_ram = e;
	}
	if (m->cfg.nr_nodes) {
		/* SRAT ranges: memblock ranges of a node plus what was carved */
		for (i = 0; i < m->nr_memblock; i++)
			if (start >= PFN_PHYS(m, m->memblock[i].start_pfn) &&
			    start < PFN_PHYS(m, m->memblock[i].end_pfn))
				return m->memblock[i].nid;
		return start < end_of_ram ? 0 : NUMA_NO_NODE;
	}
	return start < end_of_ram ? 0 : NUMA_NO_NODE;
}

int e820_pmem_probe(struct hotmem_machine *m)
{
	unsigned int i;
	int ret, nid;

	m->nd.e820_bus = m->nd.nfit_bus = -1;
	if (!m->cfg.nr_pmem)
		return 0;
	if (m->cfg.nr_pmem > ND_MAX_REGIONS)
		return -ENOSPC;
	m->nd.present = true;
	m->nd.e820_bus = m->nd.nr_buses++;
	/* walk_iomem_res_desc: regions numbered in address order */
	for (i = 0; i < m->cfg.nr_pmem; i++) {
		struct nd_region *r = &m->nd.regions[i];

		memset(r, 0, sizeof(*r));
		r->used = true;
		r->id = (int)i;
		r->bus = m->nd.e820_bus;
		r->start = m->cfg.pmem[i].start;
		r->size = m->cfg.pmem[i].size;
		r->align = default_align(m, r->size);
		nid = pram_target_node(m, r->start);
		r->target_node = nid;
		/* numa_map_to_online_node */
		r->numa_node = nid >= 0 && !m->nodes[nid].online ? 0 : nid;
		r->pfn_seed = r->dax_seed = -1;
		/* nd_region_probe: the io namespace (the seed), then btt/pfn/dax seeds */
		r->ns_seed = nd_namespace_create(m, r->id, r->start, r->size);
		if (r->ns_seed < 0 || nd_seed_create(m, r->id, false) < 0 ||
		    nd_seed_create(m, r->id, true) < 0)
			return -ENOMEM;
	}
	for (i = 0; i < m->cfg.nr_pmem; i++) {
		struct nd_namespace *ns = &m->nd.namespaces[m->nd.regions[i].ns_seed];
		char name[32];

		ns_name(ns, name, sizeof(name));
		ret = nd_pmem_probe_namespace(m, ns);
		if (ret)
			nd_log_probe_failure(m, "nd_pmem", name, ret);
	}
	return 0;
}

/* ---- QEMU nvdimm: an NFIT region with a label area ------------------------- */

int nfit_nvdimm_add(struct hotmem_machine *m, uint64_t start, uint64_t size, int nid)
{
	struct nd_region *r = NULL;
	int i, k, ret, free_pfns = 0, free_ns = 0;

	for (i = 0; i < ND_MAX_REGIONS; i++)
		if (!m->nd.regions[i].used) {
			r = &m->nd.regions[i];
			break;
		}
	for (i = 0; i < ND_MAX_PFNS; i++)
		free_pfns += !m->nd.pfns[i].used;
	for (i = 0; i < ND_MAX_NAMESPACES; i++)
		free_ns += !m->nd.namespaces[i].used;
	if (!r || free_pfns < 2 || !free_ns)
		return -ENOSPC;
	i = (int)(r - m->nd.regions);
	ret = request_mem_region(&m->iomem, start, size, "Persistent Memory", 0, NULL);
	if (ret)
		return -EBUSY;
	if (m->nd.nfit_bus < 0)
		m->nd.nfit_bus = m->nd.nr_buses++;	/* acpi_nfit: the ACPI.NFIT bus */
	m->nd.present = true;
	memset(r, 0, sizeof(*r));
	r->used = true;
	r->labels = true;
	r->bus = m->nd.nfit_bus;
	r->id = i;
	r->start = start;
	r->size = size;
	r->align = default_align(m, size);
	r->target_node = nid;
	r->numa_node = m->nodes[nid].online ? nid : 0;
	r->pfn_seed = r->dax_seed = r->ns_seed = -1;
	/* acpi_nfit_register_dimms: a new DIMM takes the next nmem id */
	r->nmem = 0;
	for (k = 0; k < ND_MAX_REGIONS; k++)
		r->nmem += k != i && m->nd.regions[k].used && m->nd.regions[k].labels;
	/* QEMU numbers the NFIT handle and serial by the nvdimm's slot */
	r->slot = 0;
	for (k = 0; k < (int)m->nr_dimms; k++)
		if (m->dimms[k].used && m->dimms[k].nvdimm && m->dimms[k].addr == start)
			r->slot = m->dimms[k].slot;
	/* no labels yet: scan_labels() leaves one seed namespace of size 0 */
	nd_region_create_ns_seed(m, r);
	if (r->ns_seed < 0 || nd_seed_create(m, r->id, false) < 0 ||
	    nd_seed_create(m, r->id, true) < 0)
		return -ENOMEM;
	return r->id;
}

/* The aligned extent of every namespace of the region with space. */
static int nd_region_extents(const struct hotmem_machine *m, const struct nd_region *r,
			     int *idx)
{
	int n = 0, i, j;

	for (i = 0; i < ND_MAX_NAMESPACES; i++) {
		const struct nd_namespace *ns = &m->nd.namespaces[i];

		if (!ns->used || ns->region != r->id || !ns->size)
			continue;
		for (j = n; j > 0 && m->nd.namespaces[idx[j - 1]].start > ns->start; j--)
			idx[j] = idx[j - 1];
		idx[j] = i;
		n++;
	}
	return n;
}

/* nd_pmem_available_dpa: the mapping less every allocation, aligned down. */
uint64_t nd_region_available(const struct hotmem_machine *m, const struct nd_region *r)
{
	uint64_t busy = 0;
	int i;

	for (i = 0; i < ND_MAX_NAMESPACES; i++) {
		const struct nd_namespace *ns = &m->nd.namespaces[i];

		if (ns->used && ns->region == r->id && ns->size)
			busy += ns->size;
	}
	return busy < r->size ? (r->size - busy) / r->align * r->align : 0;
}

/* [s, e] aligned inward to a; false when nothing is left. */
static bool align_inward(uint64_t *s, uint64_t *e, uint64_t a)
{
	uint64_t as = align_up(*s, a), ae = align_down(*e + 1, a);

	if (ae == 0 || as >= ae - 1)
		return false;
	*s = as;
	*e = ae - 1;
	return true;
}

/* nd_pmem_max_contiguous_dpa: the largest free extent, aligned. */
uint64_t nd_region_allocatable(const struct hotmem_machine *m, const struct nd_region *r)
{
	int idx[ND_MAX_NAMESPACES], n = nd_region_extents(m, r, idx), i;
	uint64_t pos = r->start, max = 0, s, e;

	for (i = 0; i <= n; i++) {
		const struct nd_namespace *ns = i < n ? &m->nd.namespaces[idx[i]] : NULL;
		uint64_t end = ns ? ns->start : r->start + r->size;

		s = pos;
		e = end - 1;
		if (end > pos && align_inward(&s, &e, r->align) && e - s + 1 > max)
			max = e - s + 1;
		if (ns)
			pos = ns->start + ns->size;
	}
	return max;
}

/*
 * space_valid for a pmem namespace: [s, e] aligned inward to the
 * region's align must hold all of n (pmem is all or nothing) and, when
 * the namespace has space already, touch it (it stays contiguous).
 */
static bool nd_space_valid(const struct nd_region *r, const struct nd_namespace *ns,
			   uint64_t n, uint64_t *s, uint64_t *e)
{
	if (*s > *e || !align_inward(s, e, r->align) || *e - *s + 1 < n)
		return false;
	return !ns->size || *s == ns->start + ns->size || *e == ns->start - 1;
}

enum nd_alloc_loc { ND_ALLOC_NONE, ND_ALLOC_BEFORE, ND_ALLOC_MID, ND_ALLOC_AFTER };

/*
 * grow_dpa_allocation -> scan_allocate on the region's one mapping:
 * walking the allocations by address, the first valid space before the
 * first one, else between it and the next, else after the last. The
 * namespace grows into it: its own extent moves its start down ("grow
 * up") or its end up ("grow down"); a namespace without space takes
 * the space's start ("allocate").
 */
static int nd_namespace_grow(struct hotmem_machine *m, struct nd_region *r,
			     struct nd_namespace *ns, uint64_t n)
{
	int idx[ND_MAX_NAMESPACES], cnt = nd_region_extents(m, r, idx), i, k;
	uint64_t map_end = r->start + r->size - 1;

	for (i = 0; i < cnt; i++) {
		const struct nd_namespace *res = &m->nd.namespaces[idx[i]];
		const struct nd_namespace *next = i + 1 < cnt ? &m->nd.namespaces[idx[i + 1]] : NULL;
		enum nd_alloc_loc loc = ND_ALLOC_NONE;
		uint64_t s = 0, e = 0;

		if (i == 0 && res->start > r->start) {
			s = r->start;
			e = res->start - 1;
			if (nd_space_valid(r, ns, n, &s, &e))
				loc = ND_ALLOC_BEFORE;
		}
		if (!loc) {
			s = res->start + res->size;
			e = next ? next->start - 1 : map_end;
			if (nd_space_valid(r, ns, n, &s, &e))
				loc = next ? ND_ALLOC_MID : ND_ALLOC_AFTER;
		}
		if (!loc)
			continue;
		if ((loc == ND_ALLOC_BEFORE && res == ns) || (loc == ND_ALLOC_MID && next == ns))
			ns->start -= n;		/* grow up */
		else if (res != ns)
			ns->start = s;		/* allocate */
		ns->size += n;			/* (grow down: only the end moves) */
		return 0;
	}
	/*
	 * init_dpa_allocation: the mapping's start; taken there, the
	 * "allocation underrun" is ENXIO. A namespace that has space would
	 * get a second, separate extent there: the model refuses that too.
	 */
	for (k = 0; k < cnt; k++)
		if (m->nd.namespaces[idx[k]].start < r->start + n)
			return -ENXIO;
	if (ns->size) {
		machine_log(m, "nd namespace%d.%d: a second extent is not modelled",
			    ns->region, ns->id);
		return -ENXIO;
	}
	ns->start = r->start;
	ns->size = n;
	return 0;
}

/* __size_store for a label namespace. */
int nd_namespace_size_store(struct hotmem_machine *m, struct nd_namespace *ns,
			    const char *buf, size_t len)
{
	struct nd_region *r = &m->nd.regions[ns->region];
	uint64_t val;
	int ret = parse_ulong(buf, len, &val);

	if (ret)
		return ret;
	if (ns->bound || ns->claim >= 0)
		return -EBUSY;
	if (!ns->uuid[0])
		return -ENXIO;		/* uuid_not_set */
	if (val % r->align)
		return -EINVAL;		/* "%llu is not %ldK aligned" */
	if (val > nd_region_allocatable(m, r) + ns->size)
		return -ENOSPC;
	if (val == ns->size)
		return 0;
	if (val > ns->size) {
		ret = nd_namespace_grow(m, r, ns, val - ns->size);
		if (ret)
			return ret;
	} else {
		ns->size = val;		/* scan_free: the end gives way */
	}
	if (!val) {
		ns->start = r->start;
		ns->uuid[0] = '\0';	/* size 0 deletes: the uuid goes too */
		/* not the seed nor namespaceN.0: the device goes away */
		if (ns->id != 0 && r->ns_seed != ns - m->nd.namespaces)
			ns->used = false;
	}
	return 0;
}

/*
 * nd_is_uuid_unique: no namespace and no pfn device of the bus holds
 * the uuid (the namespace being written counts too; dax devices do not).
 */
static bool nd_is_uuid_unique(const struct hotmem_machine *m, int bus, const char *uuid)
{
	int i;

	for (i = 0; i < ND_MAX_NAMESPACES; i++) {
		const struct nd_namespace *ns = &m->nd.namespaces[i];

		if (ns->used && m->nd.regions[ns->region].bus == bus && !strcmp(ns->uuid, uuid))
			return false;
	}
	for (i = 0; i < ND_MAX_PFNS; i++) {
		const struct nd_pfn *p = &m->nd.pfns[i];

		if (p->used && !p->is_dax && m->nd.regions[p->region].bus == bus &&
		    !strcmp(p->uuid, uuid))
			return false;
	}
	return true;
}

/* sysfs_streq: equal up to one trailing newline on either side. */
static bool nd_streq(const char *buf, size_t len, const char *want)
{
	size_t n = strnlen(buf, len), w = strlen(want);

	if (n && buf[n - 1] == '\n')
		n--;
	return n == w && !memcmp(buf, want, w);
}

/*
 * __holder_class_store: only while neither bound nor claimed; "btt"
 * (BTT without labels of version 1.2), "pfn", "dax", "" (none).
 */
int nd_namespace_holder_class_store(struct hotmem_machine *m,
				    struct nd_namespace *ns, const char *buf,
				    size_t len)
{
	(void)m;
	if (ns->bound || ns->claim >= 0)
		return -EBUSY;
	if (nd_streq(buf, len, "btt"))
		ns->claim_class = ND_CCLASS_BTT;
	else if (nd_streq(buf, len, "pfn"))
		ns->claim_class = ND_CCLASS_PFN;
	else if (nd_streq(buf, len, "dax"))
		ns->claim_class = ND_CCLASS_DAX;
	else if (nd_streq(buf, len, ""))
		ns->claim_class = ND_CCLASS_NONE;
	else
		return -EINVAL;
	return 0;
}

/* __alt_name_store: not while bound or claimed; strimmed, < 64 bytes. */
int nd_namespace_alt_name_store(struct nd_namespace *ns, const char *buf,
				size_t len)
{
	size_t n = strnlen(buf, len), b = 0;

	if (ns->bound || ns->claim >= 0)
		return -EBUSY;
	while (b < n && (buf[b] == ' ' || buf[b] == '\n' || buf[b] == '\t'))
		b++;
	while (n > b && (buf[n - 1] == ' ' || buf[n - 1] == '\n' || buf[n - 1] == '\t'))
		n--;
	if (n - b + 1 > sizeof(ns->alt_name))
		return -EINVAL;
	memcpy(ns->alt_name, buf + b, n - b);
	ns->alt_name[n - b] = '\0';
	return 0;
}

/*
 * sector_size_store: EBUSY while claimed or bound (nd_size_select_store),
 * kstrtoul base 0, one of pmem_lbasize_supported {512, 4096}.
 */
int nd_namespace_sector_size_store(struct nd_namespace *ns, const char *buf,
				   size_t len)
{
	char tmp[32];
	size_t n = strnlen(buf, len);
	unsigned long long v;
	int ret;

	if (ns->claim >= 0 || ns->bound)
		return -EBUSY;
	if (n >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, n);
	tmp[n] = '\0';
	if ((ret = kstrtoull(tmp, 0, &v)))
		return ret;
	if (v != 512 && v != 4096)
		return -EINVAL;
	ns->lbasize = (unsigned int)v;
	return 0;
}

/* force_raw_store: kstrtobool, at any time. */
int nd_namespace_force_raw_store(struct nd_namespace *ns, const char *buf,
				 size_t len)
{
	char tmp[16];
	size_t n = strnlen(buf, len);
	int v, ret;

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, buf, n);
	tmp[n] = '\0';
	ret = kstrtobool(tmp, &v);
	if (ret)
		return ret;
	ns->force_raw = v != 0;
	return 0;
}

int nd_namespace_uuid_store(struct hotmem_machine *m, struct nd_namespace *ns,
			    const char *buf, size_t len)
{
	struct nd_pfn tmp;
	int ret;

	if (ns->bound || ns->claim >= 0)
		return -EBUSY;
	memset(&tmp, 0, sizeof(tmp));
	ret = nd_pfn_uuid_store(m, &tmp, buf, len);	/* the same uuid_parse */
	if (ret)
		return ret;
	if (!nd_is_uuid_unique(m, m->nd.regions[ns->region].bus, tmp.uuid))
		return -EINVAL;
	memcpy(ns->uuid, tmp.uuid, sizeof(ns->uuid));
	return 0;
}
