/*
 * sysfs_cxl.c - /sys/bus/cxl: the CXL bus of a machine with a cxl-type3
 * device present at power-on, as Linux 6.12 shows it under QEMU 10 (one
 * pxb-cxl host bridge with bus_nr 12, one cxl-rp, one fixed memory
 * window): root0, its root decoder decoder0.N, the host bridge's port1
 * and decoder1.0, endpoint2 with decoder2.0-3, mem0, nvdimm-bridge0,
 * and the regions the guest creates (regionN, dax_regionN once bound),
 * with the attributes the cxl tool reads and writes
 * (drivers/cxl/core/port.c, region.c, memdev.c).
 *
 * Contract: sysfs_bus.c hands every path under /sys/bus/cxl here. Device
 * entries are links into /sys/devices, which the model does not build;
 * paths through them resolve here. Texts are those observed on 6.12.95
 * (docs/device-memory.md); stores go to src/drivers/cxl.c and return
 * its errno. Not modelled: the `subsystem`/`firmware`/`security` entries
 * of devices, CDAT, the poison files, the bus's drivers_autoprobe,
 * drivers_probe, flush and uevent, and the drivers' files other than
 * cxl_region's bind.
 * Expected workload: a few dozen lookups per scenario; each parses the
 * path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "sysfs_bus.h"

enum cxl_kind { CK_ROOT, CK_HB_PORT, CK_EP_PORT, CK_MEM, CK_NVB, CK_ROOT_DEC,
		CK_SW_DEC, CK_EP_DEC, CK_REGION, CK_DAX_REGION };

struct cctx {
	enum cxl_kind kind;
	struct cxl_device *d;
	int n;			/* endpoint decoder number */
	struct cxl_region *r;
	const char *sub;	/* mem0/ram, mem0/pmem, region access0/1 */
};

struct cattr {
	const char *name;
	unsigned int mode;
	int (*show)(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb);
	int (*store)(struct hotmem_machine *m, const struct cctx *c, const char *buf,
		     size_t len);
};

#define NO_RESOURCE	0xffffffffffffffffull	/* resource_size_t -1 */

/* The region an endpoint or switch decoder is attached to, or NULL. */
static const struct cxl_region *dec_region(struct hotmem_machine *m, const struct cctx *c)
{
	int i;

	if (c->kind == CK_EP_DEC)
		return c->d->epd[c->n].region >= 0 ? &m->cxl.regions[c->d->epd[c->n].region] : NULL;
	for (i = 0; i < CXL_MAX_REGIONS; i++)	/* the host bridge's one decoder */
		if (m->cxl.regions[i].used && m->cxl.regions[i].target0 >= 0)
			return &m->cxl.regions[i];
	return NULL;
}

static int committed(struct hotmem_machine *m)
{
	int i, n = 0;

	for (i = 0; i < CXL_MAX_REGIONS; i++)
		n += m->cxl.regions[i].used && m->cxl.regions[i].state == CXL_CONFIG_COMMIT;
	return n;
}

/* ---- shared -------------------------------------------------------- */

static const char *devtype_of(enum cxl_kind k)
{
	switch (k) {
	case CK_NVB: return "cxl_nvdimm_bridge";
	case CK_ROOT_DEC: return "cxl_decoder_root";
	case CK_SW_DEC: return "cxl_decoder_switch";
	case CK_EP_DEC: return "cxl_decoder_endpoint";
	case CK_REGION: return "cxl_region";
	case CK_MEM: return "cxl_memdev";
	case CK_DAX_REGION: return "cxl_dax_region";
	default: return "cxl_port";
	}
}

static int a_devtype(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%s\n", devtype_of(c->kind));
}

/* cxl_device_id(): the CXL_DEVICE_* number of the modalias */
static int modalias_type(enum cxl_kind k)
{
	switch (k) {
	case CK_NVB: return 1;
	case CK_HB_PORT: case CK_EP_PORT: return 3;
	case CK_ROOT: return 4;
	case CK_MEM: return 5;
	case CK_REGION: return 6;
	case CK_DAX_REGION: return 8;
	default: return 0;	/* decoders */
	}
}

static int a_modalias(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "cxl:t%d\n", modalias_type(c->kind));
}

static const char *driver_of(struct hotmem_machine *m, const struct cctx *c)
{
	(void)m;
	switch (c->kind) {
	case CK_HB_PORT: case CK_EP_PORT: return "cxl_port";
	case CK_MEM: return "cxl_mem";
	case CK_NVB: return "cxl_nvdimm_bridge";
	case CK_REGION: return c->r->bound ? "cxl_region" : NULL;
	case CK_DAX_REGION: return "cxl_dax_region";
	default: return NULL;
	}
}

/* KEY=VALUE lines of the device's uevent (observed on 6.12.95) */
static int a_uevent(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	const char *drv = driver_of(m, c);
	int ret = 0;

	if (c->kind == CK_MEM)
		ret = sb_puts(sb, "MAJOR=250\nMINOR=0\nDEVNAME=cxl/mem0\n");
	if (!ret)
		ret = sb_printf(sb, "DEVTYPE=%s\n", devtype_of(c->kind));
	if (!ret && drv)
		ret = sb_printf(sb, "DRIVER=%s\n", drv);
	return ret ? ret : sb_printf(sb, "MODALIAS=cxl:t%d\n", modalias_type(c->kind));
}

static int a_zero(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0\n");
}

static int a_one(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "1\n");
}

/* ---- ports --------------------------------------------------------- */

static int p_committed(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	/* only the endpoint's decoder is programmed; the x1 host bridge's
	 * is a pass-through (observed: port1 stays 0) */
	return sb_printf(sb, "%d\n", c->kind == CK_EP_PORT ? committed(m) : 0);
}

static const struct cattr port_attrs[] = {
	{ "decoders_committed", 0444, p_committed, NULL },
	{ "devtype", 0444, a_devtype, NULL },
	{ "modalias", 0444, a_modalias, NULL },
	{ "uevent", 0644, a_uevent, NULL },
	{ NULL, 0, NULL, NULL },
};

/* nvdimm-bridge0 and dax_regionN */
static const struct cattr nvb_attrs[] = {
	{ "devtype", 0444, a_devtype, NULL },
	{ "modalias", 0444, a_modalias, NULL },
	{ "uevent", 0644, a_uevent, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- mem0 ---------------------------------------------------------- */

static int mem_text(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb,
		    const char *text)
{
	(void)m, (void)c;
	return sb_printf(sb, "%s\n", text);
}
#define MEM_TEXT(fn, text)						\
static int fn(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb) \
{									\
	return mem_text(m, c, sb, text);				\
}
MEM_TEXT(mem_dev, "250:0")
MEM_TEXT(mem_fw, "BWFW VERSION 00")
MEM_TEXT(mem_payload, "2048")
MEM_TEXT(mem_numa, "-1")
MEM_TEXT(mem_serial, "0x0")

static int mem_part_size(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%llx\n", !strcmp(c->sub, "ram") ?
			 (unsigned long long)c->d->size : 0ull);
}

static const struct cattr mem_attrs[] = {
	{ "dev", 0444, mem_dev, NULL },
	{ "firmware_version", 0444, mem_fw, NULL },
	{ "label_storage_size", 0444, a_zero, NULL },
	{ "numa_node", 0444, mem_numa, NULL },
	{ "payload_max", 0444, mem_payload, NULL },
	{ "serial", 0444, mem_serial, NULL },
	{ "uevent", 0644, a_uevent, NULL },
	{ NULL, 0, NULL, NULL },
};

static const struct cattr mem_part_attrs[] = {
	{ "size", 0444, mem_part_size, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- decoders ------------------------------------------------------ */

static int rd_start(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%llx\n", (unsigned long long)c->d->base);
}
static int rd_size(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%llx\n", (unsigned long long)c->d->window_size);
}
static int rd_gran(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "256\n");	/* QEMU's cxl-fmw default granularity */
}
static int rd_targets(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_printf(sb, "%d\n", CXL_HB_UID);
}
static int rd_next_region(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)c;
	return sb_printf(sb, "region%d\n", m->cxl.region_id);
}
static int rd_create_ram(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			 size_t len)
{
	return cxl_create_ram_region_store(m, c->d, buf, len);
}
static int rd_delete(struct hotmem_machine *m, const struct cctx *c, const char *buf,
		     size_t len)
{
	(void)c;
	return cxl_delete_region_store(m, buf, len);
}

static const struct cattr root_dec_attrs[] = {
	{ "cap_pmem", 0444, a_one, NULL },
	{ "cap_ram", 0444, a_one, NULL },
	{ "cap_type2", 0444, a_one, NULL },
	{ "cap_type3", 0444, a_one, NULL },
	{ "create_pmem_region", 0644, rd_next_region, NULL },
	{ "create_ram_region", 0644, rd_next_region, rd_create_ram },
	{ "delete_region", 0200, NULL, rd_delete },
	{ "devtype", 0444, a_devtype, NULL },
	{ "interleave_granularity", 0444, rd_gran, NULL },
	{ "interleave_ways", 0444, a_one, NULL },
	{ "locked", 0444, a_zero, NULL },
	{ "modalias", 0444, a_modalias, NULL },
	{ "qos_class", 0444, a_zero, NULL },
	{ "size", 0444, rd_size, NULL },
	{ "start", 0444, rd_start, NULL },
	{ "target_list", 0444, rd_targets, NULL },
	{ "uevent", 0644, a_uevent, NULL },
	{ NULL, 0, NULL, NULL },
};

/*
 * Switch and endpoint decoders: the region's range once attached. The
 * switch decoder reads 4096 until first programmed and keeps its last
 * range after its region goes (observed).
 */
static int d_gran(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	const struct cxl_region *r = dec_region(m, c);
	unsigned int g = r ? r->gran : 256;

	if (c->kind == CK_SW_DEC && !r)
		g = c->d->sw_gran ? c->d->sw_gran : 4096;
	return sb_printf(sb, "%u\n", g);
}
static int d_region(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	const struct cxl_region *r = dec_region(m, c);

	return r ? sb_printf(sb, "region%d\n", r->id) : sb_puts(sb, "\n");
}
static int d_size(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	const struct cxl_region *r = dec_region(m, c);

	if (c->kind == CK_SW_DEC)
		return sb_printf(sb, "0x%llx\n", (unsigned long long)c->d->sw_size);
	return sb_printf(sb, "0x%llx\n", r ? (unsigned long long)r->size : 0ull);
}
static int d_start(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	const struct cxl_region *r = dec_region(m, c);

	if (c->kind == CK_SW_DEC)
		return sb_printf(sb, "0x%llx\n", (unsigned long long)c->d->sw_start);
	return sb_printf(sb, "0x%llx\n", r ? (unsigned long long)r->start : 0ull);
}
static int d_target_type(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "expander\n");
}
static int sd_targets(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0\n");	/* the root port's port number */
}
static int ed_mode(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_puts(sb, c->d->epd[c->n].mode == CXL_DECODER_RAM ? "ram\n" : "none\n");
}
static int ed_mode_store(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			 size_t len)
{
	return cxl_decoder_mode_store(m, c->d, c->n, buf, len);
}
static int ed_dpa_resource(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	const struct cxl_endpoint_decoder *e = &c->d->epd[c->n];

	(void)m;
	return sb_printf(sb, "0x%llx\n", e->dpa_valid ? (unsigned long long)e->dpa_base :
			 NO_RESOURCE);
}
static int ed_dpa_size(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	/* "%pa": 0x and all 16 digits */
	return sb_printf(sb, "0x%016llx\n", (unsigned long long)c->d->epd[c->n].dpa_size);
}
static int ed_dpa_size_store(struct hotmem_machine *m, const struct cctx *c,
			     const char *buf, size_t len)
{
	(void)m;
	return cxl_dpa_size_store(c->d, c->n, buf, len);
}

static const struct cattr sw_dec_attrs[] = {
	{ "devtype", 0444, a_devtype, NULL },
	{ "interleave_granularity", 0444, d_gran, NULL },
	{ "interleave_ways", 0444, a_one, NULL },
	{ "locked", 0444, a_zero, NULL },
	{ "modalias", 0444, a_modalias, NULL },
	{ "region", 0444, d_region, NULL },
	{ "size", 0444, d_size, NULL },
	{ "start", 0444, d_start, NULL },
	{ "target_list", 0444, sd_targets, NULL },
	{ "target_type", 0444, d_target_type, NULL },
	{ "uevent", 0644, a_uevent, NULL },
	{ NULL, 0, NULL, NULL },
};

static const struct cattr ep_dec_attrs[] = {
	{ "devtype", 0444, a_devtype, NULL },
	{ "dpa_resource", 0444, ed_dpa_resource, NULL },
	{ "dpa_size", 0644, ed_dpa_size, ed_dpa_size_store },
	{ "interleave_granularity", 0444, d_gran, NULL },
	{ "interleave_ways", 0444, a_one, NULL },
	{ "locked", 0444, a_zero, NULL },
	{ "modalias", 0444, a_modalias, NULL },
	{ "mode", 0644, ed_mode, ed_mode_store },
	{ "region", 0444, d_region, NULL },
	{ "size", 0444, d_size, NULL },
	{ "start", 0444, d_start, NULL },
	{ "target_type", 0444, d_target_type, NULL },
	{ "uevent", 0644, a_uevent, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- regions ------------------------------------------------------- */

static int rg_commit(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->r->state == CXL_CONFIG_COMMIT);
}
static int rg_commit_store(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			   size_t len)
{
	return cxl_region_commit_store(m, c->r, buf, len);
}
static int rg_gran(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%u\n", c->r->gran);
}
static int rg_gran_store(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			 size_t len)
{
	(void)m;
	return cxl_interleave_granularity_store(c->r, buf, len);
}
static int rg_ways(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%u\n", c->r->ways);
}
static int rg_ways_store(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			 size_t len)
{
	(void)m;
	return cxl_interleave_ways_store(c->r, buf, len);
}
static int rg_mode(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "ram\n");
}
static int rg_resource(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%llx\n", c->r->res >= 0 ? (unsigned long long)c->r->start :
			 NO_RESOURCE);
}
static int rg_size(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%llx\n", (unsigned long long)c->r->size);
}
static int rg_size_store(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			 size_t len)
{
	return cxl_region_size_store(m, c->r, buf, len);
}
static int rg_target0(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m;
	if (c->r->target0 < 0)
		return sb_puts(sb, "\n");
	return sb_printf(sb, "decoder%d.%d\n", CXL_EP_PORT_ID, c->r->target0);
}
static int rg_target0_store(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			    size_t len)
{
	return cxl_region_target_store(m, c->r, buf, len);
}
static int rg_uuid(struct hotmem_machine *m, const struct cctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "\n");	/* a RAM region has none */
}

/* target0 is visible once interleave_ways says there is a position 0 */
static const struct cattr region_attrs[] = {
	{ "commit", 0644, rg_commit, rg_commit_store },
	{ "devtype", 0444, a_devtype, NULL },
	{ "interleave_granularity", 0644, rg_gran, rg_gran_store },
	{ "interleave_ways", 0644, rg_ways, rg_ways_store },
	{ "modalias", 0444, a_modalias, NULL },
	{ "mode", 0444, rg_mode, NULL },
	{ "resource", 0444, rg_resource, NULL },
	{ "size", 0644, rg_size, rg_size_store },
	{ "target0", 0644, rg_target0, rg_target0_store },
	{ "uevent", 0644, a_uevent, NULL },
	{ "uuid", 0444, rg_uuid, NULL },
	{ NULL, 0, NULL, NULL },
};

static const struct cattr empty_attrs[] = { { NULL, 0, NULL, NULL } };

static int drv_region_bind(struct hotmem_machine *m, const struct cctx *c, const char *buf,
			   size_t len)
{
	(void)c;
	return cxl_region_bind(m, buf, len);
}

static const struct cattr region_driver_attrs[] = {
	{ "bind", 0200, NULL, drv_region_bind },
	{ NULL, 0, NULL, NULL },
};

/* ---- resolution ---------------------------------------------------- */

/* the drivers the guest has (observed); only cxl_region's bind is modelled */
static const char *const cxl_drivers[] = {
	"cxl_dax_region", "cxl_mem", "cxl_nvdimm", "cxl_nvdimm_bridge",
	"cxl_pmem_region", "cxl_port", "cxl_region", NULL,
};

enum cnode { CN_BUS, CN_DEVICES, CN_DRIVERS, CN_DRIVER, CN_DEV, CN_SUB, CN_ATTR, CN_LINK };

struct centry {
	enum cnode node;
	struct cctx c;
	const struct cattr *attrs;
	const struct cattr *attr;
	char link[192];
};

static const struct cattr *kind_attrs(enum cxl_kind k)
{
	switch (k) {
	case CK_ROOT: case CK_HB_PORT: case CK_EP_PORT: return port_attrs;
	case CK_MEM: return mem_attrs;
	case CK_NVB: case CK_DAX_REGION: return nvb_attrs;
	case CK_ROOT_DEC: return root_dec_attrs;
	case CK_SW_DEC: return sw_dec_attrs;
	case CK_EP_DEC: return ep_dec_attrs;
	case CK_REGION: return region_attrs;
	default: return empty_attrs;
	}
}

static bool attr_visible(const struct cctx *c, const struct cattr *a)
{
	return !(c->kind == CK_REGION && !strcmp(a->name, "target0") && !c->r->ways);
}

/* Where the device is under /sys/devices. */
static void dev_path(const struct cctx *c, char *buf, size_t len)
{
	static const char root[] = "platform/ACPI0017:00/root0";

	switch (c->kind) {
	case CK_ROOT: snprintf(buf, len, "%s", root); return;
	case CK_HB_PORT: snprintf(buf, len, "%s/port%d", root, CXL_HB_PORT_ID); return;
	case CK_EP_PORT:
		snprintf(buf, len, "%s/port%d/endpoint%d", root, CXL_HB_PORT_ID, CXL_EP_PORT_ID);
		return;
	case CK_MEM:	/* the host bridge's bus 0x0c, its root port's bus 0x0d */
		snprintf(buf, len, "pci0000:%02x/0000:%02x:00.0/0000:%02x:00.0/mem0",
			 CXL_HB_UID, CXL_HB_UID, CXL_HB_UID + 1);
		return;
	case CK_NVB: snprintf(buf, len, "%s/nvdimm-bridge0", root); return;
	case CK_ROOT_DEC: snprintf(buf, len, "%s/decoder0.%d", root, c->d->index); return;
	case CK_SW_DEC:
		snprintf(buf, len, "%s/port%d/decoder%d.0", root, CXL_HB_PORT_ID, CXL_HB_PORT_ID);
		return;
	case CK_EP_DEC:
		snprintf(buf, len, "%s/port%d/endpoint%d/decoder%d.%d", root, CXL_HB_PORT_ID,
			 CXL_EP_PORT_ID, CXL_EP_PORT_ID, c->n);
		return;
	case CK_REGION:
		snprintf(buf, len, "%s/decoder0.%d/region%d", root, c->d->index, c->r->id);
		return;
	case CK_DAX_REGION:
		snprintf(buf, len, "%s/decoder0.%d/region%d/dax_region%d", root, c->d->index,
			 c->r->id, c->r->id);
		return;
	}
}

static int find_cxl_device(struct hotmem_machine *m, const char *name, struct cctx *c)
{
	char want[32];
	int i;

	memset(c, 0, sizeof(*c));
	c->d = cxl_coldplug_dev(m);
	if (!c->d || !cxl_bus_devices(m, NULL, NULL, name))
		return -ENOENT;
	if (!strcmp(name, "root0"))
		c->kind = CK_ROOT;
	else if (!strncmp(name, "port", 4))
		c->kind = CK_HB_PORT;
	else if (!strncmp(name, "endpoint", 8))
		c->kind = CK_EP_PORT;
	else if (!strcmp(name, "mem0"))
		c->kind = CK_MEM;
	else if (!strcmp(name, "nvdimm-bridge0"))
		c->kind = CK_NVB;
	else if (!strncmp(name, "decoder0.", 9))
		c->kind = CK_ROOT_DEC;
	else if (!strncmp(name, "region", 6) || !strncmp(name, "dax_region", 10)) {
		c->kind = name[0] == 'r' ? CK_REGION : CK_DAX_REGION;
		c->r = cxl_region_by_name(m, name[0] == 'r' ? name : name + 4);
		if (!c->r)
			return -ENOENT;
	} else {
		for (i = 0; i < CXL_NR_EP_DECODERS; i++) {
			snprintf(want, sizeof(want), "decoder%d.%d", CXL_EP_PORT_ID, i);
			if (!strcmp(want, name)) {
				c->kind = CK_EP_DEC;
				c->n = i;
				return 0;
			}
		}
		c->kind = CK_SW_DEC;
	}
	return 0;
}

static const struct cattr *attr_find(const struct cctx *c, const struct cattr *t,
				     const char *name)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, name))
			return attr_visible(c, t) ? t : NULL;
	return NULL;
}

/* Subdirectories of a device: mem0's ram/pmem, a region's access0/1 and
 * (bound) dax_regionN. */
static bool sub_dir(const struct cctx *c, const char *name, const struct cattr **attrs)
{
	char dr[32];

	if (c->kind == CK_MEM && (!strcmp(name, "ram") || !strcmp(name, "pmem"))) {
		*attrs = mem_part_attrs;
		return true;
	}
	if (c->kind != CK_REGION)
		return false;
	snprintf(dr, sizeof(dr), "dax_region%d", c->r->id);
	if (!strcmp(name, "access0") || !strcmp(name, "access1")) {
		*attrs = empty_attrs;	/* no access coordinates without HMAT */
		return true;
	}
	if (c->r->bound && !strcmp(name, dr)) {
		*attrs = nvb_attrs;
		return true;
	}
	return false;
}

static int cxl_resolve(struct hotmem_machine *m, const char *path, struct centry *e)
{
	char buf[512], devpath[160], *save = NULL, *tok;
	int k, depth;
	const char *p;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	if (!cxl_coldplug_dev(m))
		return -ENOENT;
	strcpy(buf, path);
	memset(e, 0, sizeof(*e));
	strtok_r(buf, "/", &save);	/* sys */
	strtok_r(NULL, "/", &save);	/* bus */
	strtok_r(NULL, "/", &save);	/* cxl */
	e->node = CN_BUS;
	for (tok = strtok_r(NULL, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		switch (e->node) {
		case CN_BUS:
			if (!strcmp(tok, "devices"))
				e->node = CN_DEVICES;
			else if (!strcmp(tok, "drivers"))
				e->node = CN_DRIVERS;
			else
				return -ENOENT;
			break;
		case CN_DRIVERS:
			for (k = 0; cxl_drivers[k] && strcmp(tok, cxl_drivers[k]); k++)
				;
			if (!cxl_drivers[k])
				return -ENOENT;
			e->node = CN_DRIVER;
			e->attrs = strcmp(tok, "cxl_region") ? empty_attrs : region_driver_attrs;
			break;
		case CN_DEVICES:
			if (find_cxl_device(m, tok, &e->c))
				return -ENOENT;
			e->attrs = kind_attrs(e->c.kind);
			dev_path(&e->c, devpath, sizeof(devpath));
			snprintf(e->link, sizeof(e->link), "../../../devices/%s", devpath);
			e->node = save && *save ? CN_DEV : CN_LINK;
			break;
		case CN_DEV: {
			const char *drv = driver_of(m, &e->c);

			if (!strcmp(tok, "driver") && drv) {
				if (save && *save)
					return -ENOENT;		/* not followed */
				dev_path(&e->c, devpath, sizeof(devpath));
				for (depth = 2, p = devpath; *p; p++)
					depth += *p == '/';
				e->link[0] = '\0';
				for (k = 0; k < depth; k++)
					strcat(e->link, "../");
				snprintf(e->link + strlen(e->link), sizeof(e->link) - strlen(e->link),
					 "bus/cxl/drivers/%s", drv);
				e->node = CN_LINK;
				break;
			}
			if (sub_dir(&e->c, tok, &e->attrs)) {
				e->c.sub = !strcmp(tok, "ram") ? "ram" : "other";
				if (!strncmp(tok, "dax_region", 10))
					e->c.kind = CK_DAX_REGION;
				e->node = CN_SUB;
				break;
			}
		}
			__attribute__((fallthrough));	/* an attribute */
		case CN_DRIVER:
		case CN_SUB:
			e->attr = attr_find(&e->c, e->attrs, tok);
			if (!e->attr)
				return -ENOENT;
			e->node = CN_ATTR;
			break;
		default:
			return -ENOTDIR;
		}
	}
	return 0;
}

bool sysfs_cxl_path(const char *path)
{
	return !strcmp(path, "/sys/bus/cxl") || !strncmp(path, "/sys/bus/cxl/", 13);
}

bool sysfs_cxl_present(struct hotmem_machine *m)
{
	return cxl_coldplug_dev(m) != NULL;
}

int sysfs_cxl_read(struct hotmem_machine *m, const char *path, char **out)
{
	struct centry e;
	struct strbuf sb;
	int ret = cxl_resolve(m, path, &e);

	*out = NULL;
	if (ret)
		return ret;
	if (e.node != CN_ATTR)
		return -EISDIR;
	if (!e.attr->show)
		return -EACCES;
	sb_init(&sb);
	return sysfs_show_done(e.attr->show(m, &e.c, &sb), &sb, out);
}

long sysfs_cxl_write(struct hotmem_machine *m, const char *path, const char *buf,
		     size_t len)
{
	struct centry e;
	int ret = cxl_resolve(m, path, &e);

	if (ret)
		return ret;
	if (e.node != CN_ATTR)
		return -EISDIR;
	if (!e.attr->store)
		return -EACCES;
	if (len > m->geo.page_size)
		len = m->geo.page_size;
	ret = e.attr->store(m, &e.c, buf, len);
	return ret < 0 ? ret : (long)len;
}

int sysfs_cxl_stat(struct hotmem_machine *m, const char *path, enum hotmem_node_kind *kind,
		   unsigned int *mode, char *target, size_t targetlen)
{
	struct centry e;
	int ret = cxl_resolve(m, path, &e);

	if (ret)
		return ret;
	sysfs_fill_stat(e.node == CN_ATTR ? HOTMEM_ENTRY_FILE :
			e.node == CN_LINK ? HOTMEM_ENTRY_LINK : HOTMEM_ENTRY_DIR,
			e.node == CN_ATTR ? e.attr->mode : 0, e.link, kind, mode, target,
			targetlen);
	return 0;
}

int sysfs_cxl_readdir(struct hotmem_machine *m, const char *path,
		      int (*fn)(void *ctx, const char *name), void *ctx)
{
	struct centry e;
	const struct cattr *a;
	char name[32];
	int ret = cxl_resolve(m, path, &e), k;

	if (ret)
		return ret;
	if (e.node == CN_LINK && !strncmp(e.link, "../../../devices", 16))
		e.node = CN_DEV;	/* readdir follows the devices/ link */
	switch (e.node) {
	case CN_BUS:
		if ((ret = fn(ctx, "devices")))
			return ret;
		return fn(ctx, "drivers");
	case CN_DEVICES:
		return cxl_bus_devices(m, fn, ctx, NULL);
	case CN_DRIVERS:
		for (k = 0; cxl_drivers[k]; k++)
			if ((ret = fn(ctx, cxl_drivers[k])))
				return ret;
		return 0;
	case CN_DEV:
		if (driver_of(m, &e.c) && (ret = fn(ctx, "driver")))
			return ret;
		if (e.c.kind == CK_MEM && ((ret = fn(ctx, "pmem")) || (ret = fn(ctx, "ram"))))
			return ret;
		if (e.c.kind == CK_REGION) {
			if ((ret = fn(ctx, "access0")) || (ret = fn(ctx, "access1")))
				return ret;
			snprintf(name, sizeof(name), "dax_region%d", e.c.r->id);
			if (e.c.r->bound && (ret = fn(ctx, name)))
				return ret;
		}
		__attribute__((fallthrough));
	case CN_DRIVER:
	case CN_SUB:
		for (a = e.attrs; a && a->name; a++)
			if (attr_visible(&e.c, a) && (ret = fn(ctx, a->name)))
				return ret;
		return 0;
	default:
		return -ENOTDIR;
	}
}
