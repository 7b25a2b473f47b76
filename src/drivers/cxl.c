/*
 * cxl.c - a volatile CXL type-3 device brought up to System RAM: the
 * fixed memory window (cxl_acpi: "CXL Window N"), a RAM region
 * (cxl create-region -t ram: "regionN"), the dax region and device it
 * yields (drivers/dax/cxl.c: memmap_on_memory = true,
 * IORESOURCE_DAX_KMEM, align PMD) and kmem on top. drivers/cxl/core/region.c, drivers/dax/cxl.c.
 *
 * A device present at power-on gets the decoders and regions of
 * drivers/cxl/core (hdm.c, region.c) as the guest drives them through
 * /sys/bus/cxl (src/fs/sysfs_cxl.c); every rule below was observed on
 * Linux 6.12.95 under QEMU 10.0 or read from that source
 * (docs/device-memory.md "CXL"). The after-boot shorthand
 * cxl_type3_add() makes the region over the whole device at once.
 * Contract in cxl.h. Expected workload: a few stores per scenario.
 */
#include "cxl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../machine.h"
#include "../util/kstrtox.h"

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

	/* region and dax ids would clash with the guest's own regions */
	if (cxl_coldplug_dev(m)) {
		snprintf(err, errlen, "cxl-type3: the shorthand after boot is for machines without a CXL device at power-on");
		return -EINVAL;
	}
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
	d->window_size = size;
	d->hdm_end = -1;
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
	/* the shorthand stands for a window present at power-on, whose
	 * CFMWS entry would have made its node possible */
	m->nodes[node].possible = true;
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

/* ------------------------------------------------------------------ */
/* Devices present at power-on and regions made through sysfs          */
/* ------------------------------------------------------------------ */

/* A sysfs store's text as a C string, without its trailing newline. */
static int store_arg(const char *buf, size_t len, char *out, size_t outlen)
{
	if (len && buf[len - 1] == '\n')
		len--;
	if (len >= outlen)
		return -EINVAL;
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}

/*
 * The window's node. With no SRAT (no numa lines) Linux has no node for
 * it and the dax region falls back to memory_add_physaddr_to_nid(): 0.
 * Otherwise acpi_parse_cfmws() gives the window a proximity domain after
 * SRAT's, and Linux the first node id SRAT did not use
 * (srat_named_nodes(): observed node 1 of a "-numa node,nodeid=1"
 * without memdev or cpus). Machines Linux would renumber are refused at
 * boot (acpi_numa_init() in machine.c).
 */
static int cxl_window_node(const struct hotmem_machine *m, int asked,
			   char *err, size_t errlen)
{
	unsigned int skipped, named;
	int want = srat_named_nodes(m, &skipped, &named);

	if (!m->cfg.nr_nodes)
		want = 0;
	else if (want < 0 || (unsigned int)want >= m->cfg.nr_nodes) {
		snprintf(err, errlen, "cxl-type3: the window needs a node of its own: add 'numa node=%u mem=0'",
			 m->cfg.nr_nodes);
		return -EINVAL;
	}
	if (asked >= 0 && asked != want) {
		snprintf(err, errlen, "cxl-type3: node=%d, but Linux gives the window node %d",
			 asked, want);
		return -EINVAL;
	}
	return want;
}

int cxl_acpi_probe(struct hotmem_machine *m, char *err, size_t errlen)
{
	unsigned int i;
	int node, k;

	m->cxl.region_id = 0;
	for (i = 0; i < m->cfg.nr_cxl; i++) {
		const struct hotmem_cxl_coldplug *c = &m->cfg.cxl[i];
		struct cxl_device *d = &m->cxl.devs[m->cxl.nr_devices];
		char name[32];

		if (!c->size || c->size % CXL_WINDOW_ALIGN) {
			snprintf(err, errlen, "cxl-type3 %s: size must be a non-zero multiple of 256 MiB", c->id);
			return -EINVAL;
		}
		node = cxl_window_node(m, c->node, err, errlen);
		if (node < 0)
			return node;
		memset(d, 0, sizeof(*d));
		memcpy(d->id, c->id, sizeof(c->id));	/* NUL-terminated, shorter */
		d->size = d->window_size = c->size;
		d->node = node;
		d->index = (int)m->cxl.nr_devices;
		d->base = cxl_next_window_base(m, c->size);
		d->coldplug = true;
		d->hdm_end = -1;
		d->region_res = d->dax_region = d->dev_dax = -1;
		for (k = 0; k < CXL_NR_EP_DECODERS; k++)
			d->epd[k].region = -1;
		snprintf(name, sizeof(name), "CXL Window %d", d->index);
		if (request_mem_region(&m->iomem, d->base, d->window_size, name, 0,
				       &d->window_res)) {
			snprintf(err, errlen, "cxl-type3 %s: window overlaps another resource", c->id);
			return -EBUSY;
		}
		d->used = true;
		m->cxl.nr_devices++;
	}
	return 0;
}

struct cxl_device *cxl_coldplug_dev(struct hotmem_machine *m)
{
	unsigned int i;

	for (i = 0; i < CXL_MAX_DEVICES; i++)
		if (m->cxl.devs[i].used && m->cxl.devs[i].coldplug)
			return &m->cxl.devs[i];
	return NULL;
}

struct cxl_region *cxl_region_by_name(struct hotmem_machine *m, const char *name)
{
	char want[32];
	int i;

	for (i = 0; i < CXL_MAX_REGIONS; i++) {
		if (!m->cxl.regions[i].used)
			continue;
		snprintf(want, sizeof(want), "region%d", m->cxl.regions[i].id);
		if (!strcmp(want, name))
			return &m->cxl.regions[i];
	}
	return NULL;
}

/*
 * mode_store + cxl_dpa_set_mode (core/port.c, core/hdm.c): a committed
 * (enabled) decoder is EBUSY; pmem on a device without persistent
 * capacity ENXIO.
 */
int cxl_decoder_mode_store(struct hotmem_machine *m, struct cxl_device *d, int n,
			   const char *buf, size_t len)
{
	int region = d->epd[n].region;
	char arg[16];

	if (store_arg(buf, len, arg, sizeof(arg)) ||
	    (strcmp(arg, "ram") && strcmp(arg, "pmem")))
		return -EINVAL;
	if (region >= 0 && m->cxl.regions[region].state == CXL_CONFIG_COMMIT)
		return -EBUSY;
	if (strcmp(arg, "ram"))
		return -ENXIO;
	d->epd[n].mode = CXL_DECODER_RAM;
	return 0;
}

/* dpa_size_store: cxl_dpa_free() then cxl_dpa_alloc() (core/hdm.c) */
int cxl_dpa_size_store(struct cxl_device *d, int n, const char *buf, size_t len)
{
	struct cxl_endpoint_decoder *e = &d->epd[n];
	unsigned long long size;
	uint64_t start = 0;
	char arg[32];
	int k;

	if (store_arg(buf, len, arg, sizeof(arg)) || kstrtoull(arg, 0, &size))
		return -EINVAL;
	if (size % CXL_WINDOW_ALIGN)
		return -EINVAL;
	if (e->dpa_valid) {
		/* attached to a region, or not the last allocation: EBUSY */
		if (e->region >= 0 || n != d->hdm_end)
			return -EBUSY;
		e->dpa_valid = false;
		e->dpa_size = 0;
		d->hdm_end = n - 1;
	}
	if (!size)
		return 0;
	if (e->mode != CXL_DECODER_RAM)
		return -EINVAL;
	for (k = 0; k < CXL_NR_EP_DECODERS; k++)
		if (d->epd[k].dpa_valid && d->epd[k].dpa_base + d->epd[k].dpa_size > start)
			start = d->epd[k].dpa_base + d->epd[k].dpa_size;
	if (size > d->size - start)
		return -ENOSPC;
	/* decoders allocate in hardware order (__cxl_dpa_reserve) */
	if (d->hdm_end + 1 != n)
		return -EBUSY;
	e->dpa_valid = true;
	e->dpa_base = start;
	e->dpa_size = size;
	d->hdm_end = n;
	return 0;
}

/*
 * The names /sys/bus/cxl/devices lists, in the kernel's (alphabetical)
 * order, each to fn (fn's nonzero return stops). With fn NULL: whether
 * `want` is one of them.
 */
int cxl_bus_devices(struct hotmem_machine *m, int (*fn)(void *ctx, const char *name),
		    void *ctx, const char *want)
{
	char names[CXL_NR_EP_DECODERS + 2 * CXL_MAX_REGIONS + 8][24];
	struct cxl_device *d = cxl_coldplug_dev(m);
	size_t n = 0, i, j;
	int ret;

	if (!d)
		return 0;
	snprintf(names[n++], sizeof(names[0]), "decoder0.%d", d->index);
	snprintf(names[n++], sizeof(names[0]), "decoder%d.0", CXL_HB_PORT_ID);
	for (i = 0; i < CXL_NR_EP_DECODERS; i++)
		snprintf(names[n++], sizeof(names[0]), "decoder%d.%zu", CXL_EP_PORT_ID, i);
	snprintf(names[n++], sizeof(names[0]), "endpoint%d", CXL_EP_PORT_ID);
	snprintf(names[n++], sizeof(names[0]), "mem0");
	snprintf(names[n++], sizeof(names[0]), "nvdimm-bridge0");
	snprintf(names[n++], sizeof(names[0]), "port%d", CXL_HB_PORT_ID);
	snprintf(names[n++], sizeof(names[0]), "root0");
	for (i = 0; i < CXL_MAX_REGIONS; i++) {
		const struct cxl_region *r = &m->cxl.regions[i];

		if (!r->used)
			continue;
		snprintf(names[n++], sizeof(names[0]), "region%d", r->id);
		if (r->bound)
			snprintf(names[n++], sizeof(names[0]), "dax_region%d", r->id);
	}
	/* readdir order of sysfs is the kernel's; sort for a stable list */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[24];

			memcpy(t, names[j], sizeof(t));
			memcpy(names[j], names[j - 1], sizeof(t));
			memcpy(names[j - 1], t, sizeof(t));
		}
	for (i = 0; i < n; i++) {
		if (!fn) {
			if (!strcmp(names[i], want))
				return 1;
			continue;
		}
		if ((ret = fn(ctx, names[i])))
			return ret;
	}
	return 0;
}

/* memregion_alloc(): the lowest id no region and no pending name holds */
static int memregion_alloc(const struct hotmem_machine *m)
{
	int id, i;

	for (id = 0;; id++) {
		bool busy = id == m->cxl.region_id;

		for (i = 0; i < CXL_MAX_REGIONS && !busy; i++)
			busy = m->cxl.regions[i].used && m->cxl.regions[i].id == id;
		if (!busy)
			return id;
	}
}

/* create_ram_region_store -> __create_region -> devm_cxl_add_region */
int cxl_create_ram_region_store(struct hotmem_machine *m, struct cxl_device *d,
				const char *buf, size_t len)
{
	struct cxl_region *r = NULL;
	char arg[32], tail;
	int id, i;

	if (store_arg(buf, len, arg, sizeof(arg)) ||
	    sscanf(arg, "region%d%c", &id, &tail) != 1)
		return -EINVAL;
	if (id != m->cxl.region_id)
		return -EBUSY;
	for (i = 0; i < CXL_MAX_REGIONS && !r; i++)
		if (!m->cxl.regions[i].used)
			r = &m->cxl.regions[i];
	if (!r)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->used = true;
	r->id = id;
	r->dev = (int)(d - m->cxl.devs);
	r->res = r->target0 = r->dax_region = r->dev_dax = -1;
	m->cxl.region_id = memregion_alloc(m);
	return 0;
}

int cxl_interleave_ways_store(struct cxl_region *r, const char *buf, size_t len)
{
	char arg[32];
	unsigned long long v;

	if (store_arg(buf, len, arg, sizeof(arg)) || kstrtoull(arg, 0, &v) || v > 0xffffffffull)
		return -EINVAL;
	/* ways_to_eiw: 1, 2, 4, 8, 16, 3, 6, 12; the root decoder is x1, so
	 * the region's ways must be a power of two (3, 6, 12: EINVAL) */
	if (!v || v > 16 || (v & (v - 1)))
		return -EINVAL;
	if (r->state >= CXL_CONFIG_INTERLEAVE_ACTIVE)
		return -EBUSY;
	r->ways = (unsigned int)v;
	return 0;
}

int cxl_interleave_granularity_store(struct cxl_region *r, const char *buf, size_t len)
{
	char arg[32];
	int v;

	if (store_arg(buf, len, arg, sizeof(arg)) || kstrtoint(arg, 0, &v))
		return -EINVAL;
	/* granularity_to_eig: 256 .. 16384, a power of two */
	if (v < 256 || v > 16384 || (v & (v - 1)))
		return -EINVAL;
	if (r->state >= CXL_CONFIG_INTERLEAVE_ACTIVE)
		return -EBUSY;
	r->gran = (unsigned int)v;
	return 0;
}

/* size_store: alloc_hpa() / free_hpa() */
int cxl_region_size_store(struct hotmem_machine *m, struct cxl_region *r,
			  const char *buf, size_t len)
{
	struct cxl_device *d = &m->cxl.devs[r->dev];
	unsigned long long v;
	uint64_t start = d->base;
	char arg[32], name[32];
	int i;

	if (store_arg(buf, len, arg, sizeof(arg)) || kstrtoull(arg, 0, &v))
		return -EINVAL;
	if (!v) {
		if (r->state >= CXL_CONFIG_ACTIVE)
			return -EBUSY;
		if (r->res >= 0)
			release_resource(&m->iomem, r->res);
		r->res = -1;
		r->size = r->start = 0;
		r->state = CXL_CONFIG_IDLE;
		return 0;
	}
	if (r->res >= 0 && r->size == v)
		return 0;
	if (r->res >= 0 || r->state >= CXL_CONFIG_INTERLEAVE_ACTIVE)
		return -EBUSY;
	if (!r->ways || !r->gran)
		return -ENXIO;
	if (v % ((uint64_t)CXL_WINDOW_ALIGN * r->ways))
		return -EINVAL;
	/* alloc_free_mem_region: the first free 256 MiB-aligned gap */
	for (i = 0; i < CXL_MAX_REGIONS; i++) {
		const struct cxl_region *o = &m->cxl.regions[i];

		if (o->used && o != r && o->res >= 0 && o->dev == r->dev &&
		    o->start + o->size > start)
			start = o->start + o->size;
	}
	if (start + v > d->base + d->window_size)
		return -ERANGE;		/* observed: 8 GiB in a 4 GiB window */
	snprintf(name, sizeof(name), "region%d", r->id);
	if (request_mem_region(&m->iomem, start, v, name, 0, &r->res))
		return -ERANGE;
	r->start = start;
	r->size = v;
	r->state = CXL_CONFIG_INTERLEAVE_ACTIVE;
	return 0;
}

static void cxl_region_release_driver(struct hotmem_machine *m, struct cxl_region *r);

/* store_targetN(0) -> cxl_region_attach() (one x1 host bridge) */
int cxl_region_target_store(struct hotmem_machine *m, struct cxl_region *r,
			    const char *buf, size_t len)
{
	struct cxl_device *d = &m->cxl.devs[r->dev];
	struct cxl_endpoint_decoder *e;
	char arg[32], want[32];
	int n, k;

	if (store_arg(buf, len, arg, sizeof(arg)))
		return -ENODEV;
	if (!arg[0]) {		/* detach_target -> cxl_region_detach */
		if (!r->ways)
			return -ENXIO;
		if (r->target0 < 0)
			return 0;
		/* a committed region's decode is reset, its driver released */
		if (r->bound)
			cxl_region_release_driver(m, r);
		d->epd[r->target0].region = -1;
		r->target0 = -1;
		r->state = CXL_CONFIG_INTERLEAVE_ACTIVE;
		return 0;
	}
	for (n = 0; n < CXL_NR_EP_DECODERS; n++) {
		snprintf(want, sizeof(want), "decoder%d.%d", CXL_EP_PORT_ID, n);
		if (!strcmp(arg, want))
			break;
	}
	if (n == CXL_NR_EP_DECODERS)	/* not an endpoint decoder: EINVAL */
		return cxl_bus_devices(m, NULL, NULL, arg) ? -EINVAL : -ENODEV;
	e = &d->epd[n];
	if (e->mode != CXL_DECODER_RAM)
		return -EINVAL;
	if (r->state > CXL_CONFIG_INTERLEAVE_ACTIVE)
		return -EBUSY;
	if (r->state < CXL_CONFIG_INTERLEAVE_ACTIVE)
		return -ENXIO;
	if (r->target0 >= 0 || r->ways > 1)
		return r->target0 >= 0 ? -EINVAL : -ENXIO;
	if (!e->dpa_valid)
		return -ENXIO;
	if (e->dpa_size * r->ways != r->size)
		return -EINVAL;
	if (e->region >= 0)	/* cxl_rr_ep_add: in another region already */
		return -EBUSY;
	/*
	 * The host bridge (port1) has one HDM decoder: a second region
	 * through it finds none free (cxl_rr_alloc_decoder; observed).
	 */
	for (k = 0; k < CXL_MAX_REGIONS; k++)
		if (m->cxl.regions[k].used && m->cxl.regions[k].dev == r->dev &&
		    m->cxl.regions[k].target0 >= 0)
			return -EBUSY;
	e->region = (int)(r - m->cxl.regions);
	/* the host bridge's decoder keeps the range after the region goes
	 * (observed: decoder1.0 start/size stay, region empties) */
	d->sw_start = r->start;
	d->sw_size = r->size;
	d->sw_gran = r->gran;
	r->target0 = n;
	r->state = CXL_CONFIG_ACTIVE;
	return 0;
}

/*
 * device_release_driver() of a bound region: its dax region goes, and
 * with it the dax device (kmem unbinds as on device removal).
 */
static void cxl_region_release_driver(struct hotmem_machine *m, struct cxl_region *r)
{
	if (r->dev_dax >= 0)
		kill_dev_dax(m, r->dev_dax);
	if (r->dax_region >= 0)
		free_dax_region(m, r->dax_region);
	r->dev_dax = r->dax_region = -1;
	r->bound = false;
}

/*
 * commit_store. The guest's CPU must not say it runs under a hypervisor:
 * cxl_region_invalidate_memregion() refuses then (ENXIO, "Failed to
 * synchronize CPU cache state"); the qemu backend boots CXL machines
 * with -cpu max,hypervisor=off (docs/real-kernel.md).
 */
int cxl_region_commit_store(struct hotmem_machine *m, struct cxl_region *r,
			    const char *buf, size_t len)
{
	char arg[16];
	int commit;

	if (store_arg(buf, len, arg, sizeof(arg)) || kstrtobool(arg, &commit))
		return -EINVAL;
	if (commit && r->state >= CXL_CONFIG_COMMIT)
		return 0;
	if (!commit && r->state < CXL_CONFIG_COMMIT)
		return 0;
	if (commit && r->state < CXL_CONFIG_ACTIVE)
		return -ENXIO;
	if (commit) {
		/* cxl_decoder_commit: an endpoint's decoders commit in order
		 * (decoder2.1 before decoder2.0 is EBUSY; observed) */
		int i, done = 0;

		for (i = 0; i < CXL_MAX_REGIONS; i++)
			done += m->cxl.regions[i].used && m->cxl.regions[i].dev == r->dev &&
				m->cxl.regions[i].state == CXL_CONFIG_COMMIT;
		if (r->target0 != done)
			return -EBUSY;
	}
	if (!commit && r->bound)
		cxl_region_release_driver(m, r);
	r->state = commit ? CXL_CONFIG_COMMIT : CXL_CONFIG_ACTIVE;
	return 0;
}

/* delete_region_store -> unregister_region (only an unbound region here) */
int cxl_delete_region_store(struct hotmem_machine *m, const char *buf, size_t len)
{
	struct cxl_region *r;
	char arg[32], tail;
	int id;

	if (store_arg(buf, len, arg, sizeof(arg)) ||
	    sscanf(arg, "region%d%c", &id, &tail) != 1)
		return -EINVAL;
	r = cxl_region_by_name(m, arg);
	if (!r)
		return -ENODEV;
	if (r->bound)
		cxl_region_release_driver(m, r);
	if (r->target0 >= 0)
		m->cxl.devs[r->dev].epd[r->target0].region = -1;
	if (r->res >= 0)
		release_resource(&m->iomem, r->res);
	/* cxl_region_release: a lower id than the pending one is reused */
	if (r->id < m->cxl.region_id)
		m->cxl.region_id = r->id;
	memset(r, 0, sizeof(*r));
	return 0;
}

/*
 * cxl_region_probe for a RAM region: devm_cxl_add_dax_region, whose
 * driver (dax_cxl: cxl_dax_region_probe) makes dax_regionN, a dynamic
 * dax region with one device over all of it that kmem takes.
 */
int cxl_region_bind(struct hotmem_machine *m, const char *buf, size_t len)
{
	struct cxl_region *r;
	char arg[32], parent[96];
	int region;

	if (store_arg(buf, len, arg, sizeof(arg)))
		return -ENODEV;
	r = cxl_region_by_name(m, arg);
	if (!r)
		return -ENODEV;
	if (r->bound)
		return -EBUSY;
	if (r->state < CXL_CONFIG_COMMIT)
		return -ENXIO;
	snprintf(parent, sizeof(parent), "platform/ACPI0017:00/root0/decoder0.%d/region%d/dax_region%d",
		 m->cxl.devs[r->dev].index, r->id, r->id);
	region = alloc_dax_region(m, r->id, r->start, r->start + r->size - 1,
				  m->cxl.devs[r->dev].node, 1ull << m->geo.pmd_shift,
				  IORESOURCE_DAX_KMEM, parent);
	if (region < 0)
		return region;
	r->bound = true;
	r->dax_region = region;
	r->dev_dax = devm_create_dev_dax(m, region, -1, r->size, NULL, true);
	return 0;
}
