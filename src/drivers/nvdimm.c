/*
 * nvdimm.c - the e820 nvdimm bus, its regions, io namespaces and
 * pfn/dax devices, and the nd_pmem and dax_pmem drivers' probe/remove
 * as they touch memory: resources, memremap_pages, the info block's
 * geometry (drivers/nvdimm/pfn_devs.c : nd_pfn_init,
 * __nvdimm_setup_pfn), and the dax region/device handed to the dax bus
 * (drivers/dax/pmem.c). Spec 07.
 */
#include "nvdimm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "dax.h"

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

static void ns_name(const struct nd_region *r, char *buf, size_t len)
{
	snprintf(buf, len, "namespace%d.0", r->id);
}

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

struct nd_region *nd_namespace_by_name(struct hotmem_machine *m, const char *name)
{
	int id, n;

	if (!parse_name(name, "namespace", &id, &n) || n != 0 ||
	    id >= ND_MAX_REGIONS || !m->nd.regions[id].used)
		return NULL;
	return &m->nd.regions[id];
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

struct nd_region *nd_pfn_namespace(struct hotmem_machine *m, const struct nd_pfn *p)
{
	return p->has_ns ? &m->nd.regions[p->region] : NULL;
}

void nd_pfn_supported_alignments(const struct hotmem_machine *m, uint64_t out[4])
{
	/*
	 * PAGE_SIZE, then PMD with has_transparent_hugepage() (x86: the
	 * CPU has PSE). PUD would need X86_FEATURE_GBPAGES, which QEMU's
	 * default CPU model lacks (docs/device-memory.md).
	 */
	out[0] = m->geo.page_size;
	out[1] = 1ull << m->geo.pmd_shift;
	out[2] = 0;
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

static int nd_pmem_probe_namespace(struct hotmem_machine *m, struct nd_region *r)
{
	char name[32];
	struct dev_pagemap pgmap;
	uint64_t compat = memremap_compat_align(m), size = r->ns_size;
	int res, id = -1, ret;

	ns_name(r, name, sizeof(name));
	if (r->ns_claim >= 0)
		return -ENXIO;		/* claimed by a pfn/dax device */
	if (size < ND_MIN_NAMESPACE_SIZE || (r->labels && !r->ns_uuid[0]))
		return -ENODEV;
	/* pmem_should_map_pages: only PAGEMAP (e820) regions get struct pages */
	if (!r->labels && ((r->start | (r->start + size)) & (compat - 1))) {
		machine_log(m, "nd_pmem %s: [mem %#010llx-%#010llx flags 0x200] misaligned, unable to map",
			    name, (unsigned long long)r->start,
			    (unsigned long long)(r->start + size - 1));
		return -EOPNOTSUPP;
	}
	ret = request_mem_region(&m->iomem, r->start, size, name,
				 IORESOURCE_BUSY, &res);
	if (ret) {
		machine_log(m, "nd_pmem %s: could not reserve region [mem %#010llx-%#010llx]",
			    name, (unsigned long long)r->start,
			    (unsigned long long)(r->start + size - 1));
		return -EBUSY;
	}
	if (!r->labels) {
		memset(&pgmap, 0, sizeof(pgmap));
		pgmap.type = MEMORY_DEVICE_FS_DAX;
		pgmap.nr_range = 1;
		pgmap.ranges[0].start = r->start;
		pgmap.ranges[0].end = r->start + size - 1;
		snprintf(pgmap.owner, sizeof(pgmap.owner), "%s", name);
		ret = memremap_pages(m, &pgmap, r->numa_node, &id);
		if (ret) {
			release_resource(&m->iomem, res);
			return ret;
		}
	}
	r->ns_res = res;
	r->ns_pgmap = id;
	r->ns_bound = true;
	return 0;
}

static void nd_pmem_remove_namespace(struct hotmem_machine *m, struct nd_region *r)
{
	if (r->ns_pgmap >= 0)
		memunmap_pages(m, r->ns_pgmap);
	release_resource(&m->iomem, r->ns_res);
	r->ns_pgmap = -1;
	r->ns_res = -1;
	r->ns_bound = false;
}

/* ---- the info block: nd_pfn_init + __nvdimm_setup_pfn --------------------- */

static int nd_pfn_init(struct hotmem_machine *m, struct nd_pfn *p,
		       const struct nd_region *ns)
{
	uint64_t start = ns->start, size = ns->ns_size;
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
			    const struct nd_region *ns, struct dev_pagemap *pgmap)
{
	uint64_t base = ns->start, end = ns->start + ns->ns_size - 1 - p->end_trunc;
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
			  struct nd_region **ns, struct dev_pagemap *pgmap)
{
	int ret;

	*ns = nd_pfn_namespace(m, p);
	if (!*ns || (*ns)->ns_size < ND_MIN_NAMESPACE_SIZE ||
	    ((*ns)->labels && !(*ns)->ns_uuid[0]))
		return -ENODEV;
	ret = nd_pfn_init(m, p, *ns);
	if (ret)
		return ret;
	return nvdimm_setup_pfn(m, p, *ns, pgmap);
}

static void nd_region_advance_seeds(struct hotmem_machine *m, int slot)
{
	struct nd_pfn *p = &m->nd.pfns[slot];
	struct nd_region *r = &m->nd.regions[p->region];

	if (p->is_dax && r->dax_seed == slot)
		nd_seed_create(m, p->region, true);
	else if (!p->is_dax && r->pfn_seed == slot)
		nd_seed_create(m, p->region, false);
}

/* nd_pmem on a pfn device: fsdax with map=mem or map=dev. */
static int nd_pmem_probe_pfn(struct hotmem_machine *m, struct nd_pfn *p)
{
	struct nd_region *ns;
	struct dev_pagemap pgmap;
	char name[32];
	int res, id, ret;

	ret = nd_pfn_prepare(m, p, &ns, &pgmap);
	if (ret)
		return ret;
	ns_name(ns, name, sizeof(name));
	ret = request_mem_region(&m->iomem, ns->start, ns->ns_size, name,
				 IORESOURCE_BUSY, &res);
	if (ret) {
		machine_log(m, "nd_pmem pfn%d.%d: could not reserve region [mem %#010llx-%#010llx]",
			    p->region, p->id, (unsigned long long)ns->start,
			    (unsigned long long)(ns->start + ns->ns_size - 1));
		return -EBUSY;
	}
	pgmap.type = MEMORY_DEVICE_FS_DAX;
	snprintf(pgmap.owner, sizeof(pgmap.owner), "pfn%d.%d", p->region, p->id);
	ret = memremap_pages(m, &pgmap, ns->numa_node, &id);
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
	struct nd_region *ns;
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

		nd_region_dev_path(ns, rpath, sizeof(rpath));
		snprintf(parent, sizeof(parent), "%.72s/%.16s", rpath, dev);
		region = alloc_dax_region(m, ns->id, start, end, ns->target_node,
					  p->align, IORESOURCE_DAX_STATIC, parent);
	}
	if (region < 0) {
		release_resource(&m->iomem, res);
		return region;
	}
	ret = devm_create_dev_dax(m, region, 0, end - start + 1, &pgmap, false);
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
	struct nd_region *ns = nd_namespace_by_name(m, dev);
	struct nd_pfn *p = nd_pfn_by_name(m, dev);
	int ret;

	if (!strcmp(driver, "nd_pmem")) {
		if (ns) {
			if (ns->ns_bound)
				return -EBUSY;
			ret = nd_pmem_probe_namespace(m, ns);
			return ret ? nd_log_probe_failure(m, driver, dev, ret) : 0;
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
	if (!strcmp(driver, "nd_region") || !strcmp(driver, "nd_bus")) {
		/* regions and the bus are bound from boot on */
		if (!strcmp(driver, "nd_region") ? nd_region_by_name(m, dev) != NULL :
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
	struct nd_region *ns = nd_namespace_by_name(m, dev);
	struct nd_pfn *p = nd_pfn_by_name(m, dev);

	/* unbind_store: the device must be bound to this very driver */
	if (!strcmp(driver, "nd_pmem")) {
		if (ns && ns->ns_bound) {
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
	    (!strcmp(driver, "nd_bus") && !strcmp(dev, "ndbus0")))
		return -EOPNOTSUPP;	/* tearing down a region/bus: not modelled */
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
	struct nd_region *ns;
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
		/* nd_detach_and_reset: drop the claim, reset the settings */
		if (p->has_ns)
			m->nd.regions[p->region].ns_claim = -1;
		p->has_ns = false;
		p->mode = PFN_MODE_NONE;
		p->align = 1ull << m->geo.pmd_shift;
		p->uuid[0] = '\0';
		return 0;
	}
	if (p->has_ns)
		return -EBUSY;
	ns = nd_namespace_by_name(m, name);
	if (!ns || ns->id != p->region)
		return -ENODEV;
	if (ns->ns_size < (16ull << 20))
		return -ENXIO;		/* "too small to host" */
	if (ns->ns_claim >= 0)
		return -EBUSY;
	ns->ns_claim = slot;
	p->has_ns = true;
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
		r->ns_size = r->size;
		r->align = default_align(m, r->size);
		nid = pram_target_node(m, r->start);
		r->target_node = nid;
		/* numa_map_to_online_node */
		r->numa_node = nid >= 0 && !m->nodes[nid].online ? 0 : nid;
		r->ns_claim = -1;
		r->ns_res = -1;
		r->ns_pgmap = -1;
		r->pfn_seed = r->dax_seed = -1;
		/* nd_region_probe: namespace, then btt/pfn/dax seeds */
		if (nd_seed_create(m, r->id, false) < 0 ||
		    nd_seed_create(m, r->id, true) < 0)
			return -ENOMEM;
	}
	for (i = 0; i < m->cfg.nr_pmem; i++) {
		char name[32];

		ns_name(&m->nd.regions[i], name, sizeof(name));
		ret = nd_pmem_probe_namespace(m, &m->nd.regions[i]);
		if (ret)
			nd_log_probe_failure(m, "nd_pmem", name, ret);
	}
	return 0;
}

/* ---- QEMU nvdimm: an NFIT region with a label area ------------------------- */

int nfit_nvdimm_add(struct hotmem_machine *m, uint64_t start, uint64_t size, int nid)
{
	struct nd_region *r = NULL;
	int i, ret, free_pfns = 0;

	for (i = 0; i < ND_MAX_REGIONS; i++)
		if (!m->nd.regions[i].used) {
			r = &m->nd.regions[i];
			break;
		}
	for (i = 0; i < ND_MAX_PFNS; i++)
		free_pfns += !m->nd.pfns[i].used;
	if (!r || free_pfns < 2)
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
	r->ns_claim = r->ns_res = r->ns_pgmap = -1;
	r->pfn_seed = r->dax_seed = -1;
	if (nd_seed_create(m, r->id, false) < 0 || nd_seed_create(m, r->id, true) < 0)
		return -ENOMEM;
	return r->id;
}

uint64_t nd_region_available(const struct nd_region *r)
{
	uint64_t free = r->size - r->ns_size;

	return free / r->align * r->align;
}

/* __size_store for the region's label namespace (one per region here). */
int nd_namespace_size_store(struct hotmem_machine *m, struct nd_region *r,
			    const char *buf, size_t len)
{
	uint64_t val;
	int ret = parse_ulong(buf, len, &val);

	(void)m;
	if (ret)
		return ret;
	if (r->ns_bound || r->ns_claim >= 0)
		return -EBUSY;
	if (!r->ns_uuid[0])
		return -ENXIO;		/* uuid_not_set */
	if (val % r->align)
		return -EINVAL;		/* "%llu is not %ldK aligned" */
	if (val > nd_region_available(r) + r->ns_size)
		return -ENOSPC;
	r->ns_size = val;
	if (!val)
		r->ns_uuid[0] = '\0';	/* size 0 deletes: the uuid goes too */
	return 0;
}

int nd_namespace_uuid_store(struct hotmem_machine *m, struct nd_region *r,
			    const char *buf, size_t len)
{
	struct nd_pfn tmp;
	int ret;

	if (r->ns_bound || r->ns_claim >= 0)
		return -EBUSY;
	memset(&tmp, 0, sizeof(tmp));
	ret = nd_pfn_uuid_store(m, &tmp, buf, len);	/* the same uuid_parse */
	if (ret)
		return ret;
	memcpy(r->ns_uuid, tmp.uuid, sizeof(r->ns_uuid));
	return 0;
}
