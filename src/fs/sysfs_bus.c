/*
 * sysfs_bus.c - /sys/bus/nd and /sys/bus/dax: the nvdimm and dax
 * devices with the attributes ndctl and daxctl read and write, and the
 * drivers' bind/unbind/new_id/remove_id files (drivers/nvdimm,
 * drivers/dax/bus.c, drivers/base/bus.c; mm/memremap.c; drivers/dax/kmem.c).
 *
 * Contract: sysfs.c hands every path under /sys/bus here. Device
 * entries in .../devices are links (as in the kernel) whose targets
 * (/sys/devices/platform/...) the model does not build; paths through
 * them resolve here. Attribute text and errno are the kernel's; a store
 * that fails changes nothing. Driver links carry the kernel's relative
 * target text.
 * Expected workload: a handful of devices; a lookup parses the path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "../util/kstrtox.h"
#include "sysfs_bus.h"

enum bus_kind { BUS_ND, BUS_DAX };
enum dev_kind { DEV_NDBUS, DEV_REGION, DEV_NS, DEV_PFN, DEV_DAX, DEV_DAXREGION, DEV_NMEM };

struct bctx {
	enum bus_kind bus;
	enum dev_kind kind;
	int ndbus;		/* DEV_NDBUS: its id */
	struct nd_region *r;	/* region, the namespace's region, or the nmem's */
	struct nd_namespace *ns;	/* DEV_NS */
	struct nd_pfn *p;
	struct dev_dax *d;
	int dr;			/* dax region index (its dax_region/ group) */
	int range;		/* the dax device range of a mappingN/ */
	bool dr_static;		/* that region is IORESOURCE_DAX_STATIC */
	const char *driver;	/* for driver files */
};

struct battr {
	const char *name;
	unsigned int mode;
	int (*show)(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb);
	int (*store)(struct hotmem_machine *m, const struct bctx *c, const char *buf,
		     size_t len);
};

/* ---- nd: region ----------------------------------------------------------- */

static int r_size(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%llu\n", (unsigned long long)c->r->size);
}
static int r_align(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%#llx\n", (unsigned long long)c->r->align);
}
static int r_align_store(struct hotmem_machine *m, const struct bctx *c,
			 const char *buf, size_t len)
{
	return nd_region_align_store(m, c->r, buf, len);
}
static int r_resource(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%#llx\n", (unsigned long long)c->r->start);
}
static int r_nstype(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->r->labels ? ND_DEVICE_NAMESPACE_PMEM :
						 ND_DEVICE_NAMESPACE_IO);
}
static int r_mappings(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->r->labels ? 1 : 0);
}
/* mappingN: "nmemN,dpa offset,length,position" of the one QEMU nvdimm */
static int r_mapping0(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "nmem%d,0,%llu,0\n", c->r->nmem,
			 (unsigned long long)c->r->size);
}
static int r_available(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%llu\n", (unsigned long long)nd_region_available(m, c->r));
}
/* e820 regions have no DIMM mapping to allocate from: 0 (observed) */
static int r_max_extent(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%llu\n", c->r->labels ?
			 (unsigned long long)nd_region_allocatable(m, c->r) : 0ull);
}
static int r_set_cookie(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%llx\n", (unsigned long long)nd_region_set_cookie(c->r));
}
static int show_seed(struct hotmem_machine *m, int slot, struct strbuf *sb)
{
	char name[32];

	if (slot < 0)
		return sb_puts(sb, "\n");
	nd_pfn_name(&m->nd.pfns[slot], name, sizeof(name));
	return sb_printf(sb, "%s\n", name);
}
static int r_pfn_seed(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return show_seed(m, c->r->pfn_seed, sb);
}
static int r_dax_seed(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return show_seed(m, c->r->dax_seed, sb);
}
static int r_ns_seed(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	char name[32] = "";

	if (c->r->ns_seed >= 0)
		nd_namespace_name(&m->nd.namespaces[c->r->ns_seed], name, sizeof(name));
	return sb_printf(sb, "%s\n", name);
}
static int x_numa_node(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->r->numa_node);
}
static int x_target_node(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->r->target_node);
}

/* available_size, mapping0 and set_cookie only on label (NFIT) regions:
 * battr_mode() */
static const struct battr region_attrs[] = {
	{ "align", 0644, r_align, r_align_store },
	{ "available_size", 0444, r_available, NULL },
	{ "dax_seed", 0444, r_dax_seed, NULL },
	{ "mapping0", 0444, r_mapping0, NULL },
	{ "mappings", 0444, r_mappings, NULL },
	{ "max_available_extent", 0444, r_max_extent, NULL },
	{ "namespace_seed", 0444, r_ns_seed, NULL },
	{ "nstype", 0444, r_nstype, NULL },
	{ "numa_node", 0444, x_numa_node, NULL },
	{ "pfn_seed", 0444, r_pfn_seed, NULL },
	{ "resource", 0400, r_resource, NULL },
	{ "set_cookie", 0444, r_set_cookie, NULL },
	{ "size", 0444, r_size, NULL },
	{ "target_node", 0444, x_target_node, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- nd: nmem, the DIMM of a QEMU nvdimm (dimm_devs.c, acpi/nfit/core.c) -- */

static int dimm_devtype(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "nvdimm\n");
}
static int dimm_modalias(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "nd:t1\n");	/* ND_DEVICE_DIMM */
}
/* regions are enabled from boot on and hold their DIMM busy */
static int dimm_state(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "active\n");
}
/* QEMU's _DSM mask 0x70: the label commands, and the passthrough call */
static int dimm_commands(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "get_size get_data set_data cmd_call \n");
}
/* the label area holds valid index blocks (NDD_LABELING) */
static int dimm_flags(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "label \n");
}
static int dimm_slots(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%u\n", nd_nmem_available_slots(m, c->r));
}

static const struct battr nmem_attrs[] = {
	{ "available_slots", 0444, dimm_slots, NULL },
	{ "commands", 0444, dimm_commands, NULL },
	{ "devtype", 0444, dimm_devtype, NULL },
	{ "flags", 0444, dimm_flags, NULL },
	{ "modalias", 0444, dimm_modalias, NULL },
	{ "state", 0444, dimm_state, NULL },
	{ NULL, 0, NULL, NULL },
};

static int nfit_handle(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%x\n", c->r->slot + 1);
}
static int nfit_zero_hex(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0x0\n");	/* the kernel's %#x prints 0 as 0x0 */
}
static int nfit_vendor(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0x8680\n");
}
static int nfit_rev(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0x0100\n");	/* device and rev_id */
}
static int nfit_zero16(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0x0000\n");
}
static int nfit_format(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0x0301\n");	/* byte-addressable energy backed */
}
static int nfit_formats(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "1\n");
}
static int nfit_serial_show(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "0x%08x\n", nd_nmem_serial(c->r));
}
static int nfit_family(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0\n");	/* NVDIMM_FAMILY_INTEL */
}
static int nfit_dsm_mask(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "0x70\n");
}
static int nfit_flags(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m, (void)c;
	return sb_puts(sb, "\n");	/* no ACPI_NFIT_MEM_* error flag */
}
static int nfit_id(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "8680-%08x\n", nd_nmem_serial(c->r));
}

/* the nfit/ group as QEMU's NFIT makes it visible (no format1, no
 * dirty_shutdown: one format, no shutdown count) */
static const struct battr nmem_nfit_attrs[] = {
	{ "device", 0444, nfit_rev, NULL },
	{ "dsm_mask", 0444, nfit_dsm_mask, NULL },
	{ "family", 0444, nfit_family, NULL },
	{ "flags", 0444, nfit_flags, NULL },
	{ "format", 0444, nfit_format, NULL },
	{ "formats", 0444, nfit_formats, NULL },
	{ "handle", 0444, nfit_handle, NULL },
	{ "id", 0444, nfit_id, NULL },
	{ "phys_id", 0444, nfit_zero_hex, NULL },
	{ "rev_id", 0444, nfit_rev, NULL },
	{ "serial", 0444, nfit_serial_show, NULL },
	{ "subsystem_device", 0444, nfit_zero16, NULL },
	{ "subsystem_rev_id", 0444, nfit_zero16, NULL },
	{ "subsystem_vendor", 0444, nfit_zero16, NULL },
	{ "vendor", 0444, nfit_vendor, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- nd: namespace ---------------------------------------------------------- */

static int ns_mode(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	/* unclaimed: "memory" on a PAGEMAP (e820) region, else "raw" */
	const char *mode = c->r->labels ? "raw" : "memory";

	if (c->ns->claim >= 0)
		mode = m->nd.pfns[c->ns->claim].is_dax ? "dax" : "memory";
	return sb_printf(sb, "%s\n", mode);
}
static int ns_holder(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return c->ns->claim >= 0 ? show_seed(m, c->ns->claim, sb) : sb_puts(sb, "\n");
}
static int ns_force_raw(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->ns->force_raw ? 1 : 0);
}
static int ns_force_raw_store(struct hotmem_machine *m, const struct bctx *c,
			      const char *buf, size_t len)
{
	(void)m;
	return nd_namespace_force_raw_store(c->ns, buf, len);
}
/* holder_class_show: the class written, not the holder's (ndctl writes it) */
static int ns_holder_class(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	static const char *const names[] = { "", "btt", "pfn", "dax" };

	(void)m;
	return sb_printf(sb, "%s\n", names[c->ns->claim_class]);
}
static int ns_holder_class_store(struct hotmem_machine *m, const struct bctx *c,
				 const char *buf, size_t len)
{
	return nd_namespace_holder_class_store(m, c->ns, buf, len);
}

static int ns_alt_name(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%s\n", c->ns->alt_name);
}
static int ns_alt_name_store(struct hotmem_machine *m, const struct bctx *c,
			     const char *buf, size_t len)
{
	(void)m;
	return nd_namespace_alt_name_store(c->ns, buf, len);
}
/* nd_size_select_show: the supported sizes, the current one in brackets */
static int ns_sector_size(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, c->ns->lbasize == 512 ? "[512] 4096 \n" :
			 c->ns->lbasize == 4096 ? "512 [4096] \n" : "512 4096 \n");
}
static int ns_sector_size_store(struct hotmem_machine *m, const struct bctx *c,
				const char *buf, size_t len)
{
	(void)m;
	return nd_namespace_sector_size_store(c->ns, buf, len);
}

static int ns_size(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%llu\n", (unsigned long long)c->ns->size);
}
static int ns_size_store(struct hotmem_machine *m, const struct bctx *c,
			 const char *buf, size_t len)
{
	return nd_namespace_size_store(m, c->ns, buf, len);
}
static int ns_resource(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	if (!c->ns->size)
		return -ENXIO;	/* no allocation, no address */
	return sb_printf(sb, "%#llx\n", (unsigned long long)c->ns->start);
}
static int ns_uuid(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%s\n", c->ns->uuid);
}
static int ns_uuid_store(struct hotmem_machine *m, const struct bctx *c,
			 const char *buf, size_t len)
{
	return nd_namespace_uuid_store(m, c->ns, buf, len);
}

/*
 * namespace_visible: uuid only on label namespaces, whose size ndctl
 * writes (0644); an io namespace's size is fixed (0444).
 */
static const struct battr ns_attrs[] = {
	{ "alt_name", 0644, ns_alt_name, ns_alt_name_store },
	{ "force_raw", 0644, ns_force_raw, ns_force_raw_store },
	{ "holder", 0444, ns_holder, NULL },
	{ "holder_class", 0644, ns_holder_class, ns_holder_class_store },
	{ "mode", 0444, ns_mode, NULL },
	{ "nstype", 0444, r_nstype, NULL },
	{ "numa_node", 0444, x_numa_node, NULL },
	{ "resource", 0400, ns_resource, NULL },
	{ "sector_size", 0644, ns_sector_size, ns_sector_size_store },
	{ "size", 0644, ns_size, ns_size_store },
	{ "target_node", 0444, x_target_node, NULL },
	{ "uuid", 0644, ns_uuid, ns_uuid_store },
	{ NULL, 0, NULL, NULL },
};

/* ---- nd: pfn and dax devices ------------------------------------------------ */

static int p_mode(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	static const char *const names[] = { "none", "ram", "pmem" };

	(void)m;
	return sb_printf(sb, "%s\n", names[c->p->mode]);
}
static int p_mode_store(struct hotmem_machine *m, const struct bctx *c,
			const char *buf, size_t len)
{
	return nd_pfn_mode_store(m, c->p, buf, len);
}
static int p_align(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%llu\n", (unsigned long long)c->p->align);
}
static int p_align_store(struct hotmem_machine *m, const struct bctx *c,
			 const char *buf, size_t len)
{
	return nd_pfn_align_store(m, c->p, buf, len);
}
static int p_uuid(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%s\n", c->p->uuid);
}
static int p_uuid_store(struct hotmem_machine *m, const struct bctx *c,
			const char *buf, size_t len)
{
	return nd_pfn_uuid_store(m, c->p, buf, len);
}
static int p_namespace(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	char name[32];

	if (c->p->ns < 0)
		return sb_puts(sb, "\n");
	nd_namespace_name(&m->nd.namespaces[c->p->ns], name, sizeof(name));
	return sb_printf(sb, "%s\n", name);
}
static int p_namespace_store(struct hotmem_machine *m, const struct bctx *c,
			     const char *buf, size_t len)
{
	return nd_pfn_namespace_store(m, c->p, buf, len);
}
static int p_resource(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	const struct nd_namespace *ns = nd_pfn_namespace(m, c->p);

	if (!c->p->bound || !ns)
		return -ENXIO;
	return sb_printf(sb, "%#llx\n", (unsigned long long)(ns->start + c->p->dataoff));
}
static int p_size(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	const struct nd_namespace *ns = nd_pfn_namespace(m, c->p);

	if (!c->p->bound || !ns)
		return -ENXIO;
	return sb_printf(sb, "%llu\n", (unsigned long long)(ns->size - c->p->end_trunc -
							    c->p->dataoff));
}
static int p_supported(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	uint64_t a[4];
	int i;

	(void)c;
	nd_pfn_supported_alignments(m, a);
	for (i = 0; a[i]; i++)
		sb_printf(sb, "%llu ", (unsigned long long)a[i]);
	return sb_puts(sb, "\n");
}

static const struct battr pfn_attrs[] = {
	{ "align", 0644, p_align, p_align_store },
	{ "mode", 0644, p_mode, p_mode_store },
	{ "namespace", 0644, p_namespace, p_namespace_store },
	{ "numa_node", 0444, x_numa_node, NULL },
	{ "resource", 0400, p_resource, NULL },
	{ "size", 0444, p_size, NULL },
	{ "supported_alignments", 0444, p_supported, NULL },
	{ "target_node", 0444, x_target_node, NULL },
	{ "uuid", 0644, p_uuid, p_uuid_store },
	{ NULL, 0, NULL, NULL },
};

static int ndbus_provider(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_puts(sb, c->ndbus == m->nd.e820_bus ? "e820\n" : "ACPI.NFIT\n");
}

static const struct battr ndbus_attrs[] = {
	{ "provider", 0444, ndbus_provider, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- dax devices ------------------------------------------------------------- */

static int d_size(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%llu\n", (unsigned long long)dev_dax_size(c->d));
}
/* resource_show: the first range, or the region's start for a seed */
static int d_resource(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%#llx\n", (unsigned long long)(c->d->nr_range ?
			 c->d->ranges[0].start : m->dax.regions[c->d->region].start));
}
static int d_target_node(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->d->target_node);
}
static int d_numa_node(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%d\n", dev_dax_numa_node(m, c->d));
}
static int d_align(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%llu\n", (unsigned long long)c->d->align);
}
/* DAX_DEVICE_MODALIAS_FMT "dax:t%d" with type 0; the "*" is only in the
 * modules' alias pattern (observed on 6.12.95: "dax:t0"). */
static int d_modalias(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	(void)c;
	return sb_puts(sb, "dax:t0\n");
}
static int d_mmom(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%d\n", c->d->memmap_on_memory);
}
static int d_mmom_store(struct hotmem_machine *m, const struct bctx *c,
			const char *buf, size_t len)
{
	char s[3] = { 0, 0, 0 };
	size_t n = strnlen(buf, len);
	int v;

	memcpy(s, buf, n < 2 ? n : 2);
	if (kstrtobool(s, &v))
		return -EINVAL;
	return dev_dax_memmap_on_memory_store(m, c->d, v != 0);
}

/* The store's text as a C string (sysfs hands at most a page). */
static int store_text(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t n = strnlen(buf, len);

	if (n >= outlen)
		return -EINVAL;
	memcpy(out, buf, n);
	out[n] = '\0';
	return 0;
}

#define DAX_STORE(fn, call)							\
static int fn(struct hotmem_machine *m, const struct bctx *c, const char *buf,	\
	      size_t len)							\
{										\
	char s[128];								\
										\
	if (store_text(buf, len, s, sizeof(s)))					\
		return -EINVAL;							\
	return call;								\
}
DAX_STORE(d_size_store, dev_dax_size_store(m, c->d, s))
DAX_STORE(d_align_store, dev_dax_align_store(m, c->d, s))
DAX_STORE(d_mapping_store, dev_dax_mapping_store(m, c->d, s))
DAX_STORE(dr_create_store, dax_region_create_store(m, c->dr, s))
DAX_STORE(dr_delete_store, dax_region_delete_store(m, c->dr, s))

/* the device core's dev attribute: MAJOR:MINOR of /dev/daxX.Y */
static int d_dev(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%d:%d\n", DAX_CHRDEV_MAJOR, (int)(c->d - m->dax.devs));
}

/* dev_dax_visible: static regions get read-only size/align, no mapping */
static const struct battr dax_attrs[] = {
	{ "align", 0644, d_align, d_align_store },
	{ "dev", 0444, d_dev, NULL },
	{ "mapping", 0200, NULL, d_mapping_store },
	{ "memmap_on_memory", 0644, d_mmom, d_mmom_store },
	{ "modalias", 0444, d_modalias, NULL },
	{ "numa_node", 0444, d_numa_node, NULL },
	{ "resource", 0400, d_resource, NULL },
	{ "size", 0644, d_size, d_size_store },
	{ "target_node", 0444, d_target_node, NULL },
	{ NULL, 0, NULL, NULL },
};

static const struct dev_dax_range *c_range(const struct bctx *c)
{
	return &c->d->ranges[c->range];
}
static int m_start(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%#llx\n", (unsigned long long)c_range(c)->start);
}
static int m_end(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%#llx\n", (unsigned long long)c_range(c)->end);
}
static int m_pgoff(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	(void)m;
	return sb_printf(sb, "%#llx\n", (unsigned long long)c_range(c)->pgoff);
}

static const struct battr mapping_attrs[] = {
	{ "end", 0400, m_end, NULL },
	{ "page_offset", 0400, m_pgoff, NULL },
	{ "start", 0400, m_start, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- the dax_region/ group of a dax region's device ----------------------------- */

static int dr_id(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%d\n", m->dax.regions[c->dr].id);
}
static int dr_size(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	const struct dax_region *r = &m->dax.regions[c->dr];

	return sb_printf(sb, "%llu\n", (unsigned long long)(r->end - r->start + 1));
}
static int dr_align(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%llu\n", (unsigned long long)m->dax.regions[c->dr].align);
}
static int dr_available(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return sb_printf(sb, "%llu\n", (unsigned long long)dax_region_avail_size(m, c->dr));
}
/* seed and create (the youngest) name a device, or print an empty line */
static int dr_devname(struct hotmem_machine *m, int dev, struct strbuf *sb)
{
	char name[32] = "";

	if (dev >= 0)
		dev_dax_name(m, &m->dax.devs[dev], name, sizeof(name));
	return sb_printf(sb, "%s\n", name);
}
static int dr_seed(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return dr_devname(m, m->dax.regions[c->dr].seed, sb);
}
static int dr_create(struct hotmem_machine *m, const struct bctx *c, struct strbuf *sb)
{
	return dr_devname(m, m->dax.regions[c->dr].youngest, sb);
}

/* dax_region_visible: static regions show only id, size and align */
static const struct battr dax_region_attrs[] = {
	{ "align", 0400, dr_align, NULL },
	{ "available_size", 0444, dr_available, NULL },
	{ "create", 0644, dr_create, dr_create_store },
	{ "delete", 0200, NULL, dr_delete_store },
	{ "id", 0444, dr_id, NULL },
	{ "seed", 0444, dr_seed, NULL },
	{ "size", 0444, dr_size, NULL },
	{ NULL, 0, NULL, NULL },
};

/* ---- driver files ---------------------------------------------------------- */

/* The device name a bind/unbind/new_id write carries (trailing newline off). */
static void dev_arg(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t n = strnlen(buf, len);

	if (n && buf[n - 1] == '\n')
		n--;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, buf, n);
	out[n] = '\0';
}

static int drv_bind(struct hotmem_machine *m, const struct bctx *c, const char *buf,
		    size_t len)
{
	char dev[64];

	dev_arg(buf, len, dev, sizeof(dev));
	return c->bus == BUS_ND ? nd_bus_bind(m, c->driver, dev) :
				  dax_bus_bind(m, c->driver, dev);
}
static int drv_unbind(struct hotmem_machine *m, const struct bctx *c, const char *buf,
		      size_t len)
{
	char dev[64];

	dev_arg(buf, len, dev, sizeof(dev));
	return c->bus == BUS_ND ? nd_bus_unbind(m, c->driver, dev) :
				  dax_bus_unbind(m, c->driver, dev);
}
static int drv_new_id(struct hotmem_machine *m, const struct bctx *c, const char *buf,
		      size_t len)
{
	char dev[64];

	dev_arg(buf, len, dev, sizeof(dev));
	return dax_bus_new_id(m, c->driver, dev);
}
static int drv_remove_id(struct hotmem_machine *m, const struct bctx *c,
			 const char *buf, size_t len)
{
	char dev[64];

	dev_arg(buf, len, dev, sizeof(dev));
	return dax_bus_remove_id(m, c->driver, dev);
}

static const struct battr nd_driver_attrs[] = {
	{ "bind", 0200, NULL, drv_bind },
	{ "unbind", 0200, NULL, drv_unbind },
	{ NULL, 0, NULL, NULL },
};

static const struct battr dax_driver_attrs[] = {
	{ "bind", 0200, NULL, drv_bind },
	{ "new_id", 0200, NULL, drv_new_id },
	{ "remove_id", 0200, NULL, drv_remove_id },
	{ "unbind", 0200, NULL, drv_unbind },
	{ NULL, 0, NULL, NULL },
};

static const char *const nd_drivers[] = { "dax_pmem", "nd_bus", "nd_pmem", "nd_region", "nvdimm",
					   NULL };
static const char *const dax_drivers[] = { "device_dax", "kmem", NULL };

/* ---- resolution ---------------------------------------------------------------- */

enum bnode {
	BN_ROOT,	/* /sys/bus */
	BN_BUS,		/* /sys/bus/nd */
	BN_DEVICES,
	BN_DRIVERS,
	BN_DRIVER,
	BN_DEV,
	BN_MAPPING,	/* dax device mappingN/ */
	BN_DAXPARENT,	/* daxX.Y/.. : the dax region's device */
	BN_DAXREGION,	/* its dax_region/ attribute group */
	BN_NFIT,	/* nmemN/nfit/ attribute group */
	BN_ATTR,
	BN_LINK,
};

struct bentry {
	enum bnode node;
	struct bctx c;
	const struct battr *attrs;	/* of the directory (BN_DEV, BN_DRIVER, BN_MAPPING, BN_DAXREGION) */
	const struct battr *attr;	/* BN_ATTR */
	char link[160];
};

static bool bus_present(const struct hotmem_machine *m, enum bus_kind b)
{
	/* the buses exist once their modules load: with e820 pmem or CXL */
	if (b == BUS_ND)
		return m->nd.present;
	return m->nd.present || m->cxl.nr_devices > 0;
}

static const struct battr *dev_attrs(const struct bctx *c)
{
	switch (c->kind) {
	case DEV_NDBUS:
		return ndbus_attrs;
	case DEV_REGION:
		return region_attrs;
	case DEV_NS:
		return ns_attrs;
	case DEV_PFN:
		return pfn_attrs;
	case DEV_NMEM:
		return nmem_attrs;
	default:
		return dax_attrs;
	}
}

/* Where the device's directory really is (under /sys/devices). */
static void dev_path(struct hotmem_machine *m, const struct bctx *c, char *buf, size_t len)
{
	char name[32], rpath[96];

	switch (c->kind) {
	case DEV_NDBUS:
		snprintf(buf, len, "%s/ndbus%d", c->ndbus == m->nd.e820_bus ?
			 "platform/e820_pmem" : "LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00", c->ndbus);
		return;
	case DEV_REGION:
		nd_region_dev_path(c->r, buf, len);
		return;
	case DEV_NS:
		nd_region_dev_path(c->r, rpath, sizeof(rpath));
		nd_namespace_name(c->ns, name, sizeof(name));
		snprintf(buf, len, "%.90s/%.30s", rpath, name);
		return;
	case DEV_PFN:
		nd_region_dev_path(c->r, rpath, sizeof(rpath));
		nd_pfn_name(c->p, name, sizeof(name));
		snprintf(buf, len, "%.90s/%.30s", rpath, name);
		return;
	case DEV_DAX:
		dev_dax_name(m, c->d, name, sizeof(name));
		snprintf(buf, len, "%.100s/%.20s", m->dax.regions[c->d->region].parent, name);
		return;
	case DEV_DAXREGION:
		snprintf(buf, len, "%s", m->dax.regions[c->dr].parent);
		return;
	case DEV_NMEM:
		snprintf(buf, len, "LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus%d/nmem%d",
			 c->r->bus, c->r->nmem);
		return;
	}
}

static void dev_link_target(struct hotmem_machine *m, const struct bctx *c,
			    char *buf, size_t len)
{
	char path[160];

	dev_path(m, c, path, sizeof(path));
	snprintf(buf, len, "../../../devices/%.140s", path);
}

/* The driver a device is bound to, or NULL. */
static const char *dev_driver(struct hotmem_machine *m, const struct bctx *c)
{
	(void)m;
	switch (c->kind) {
	case DEV_NDBUS:
		return "nd_bus";
	case DEV_REGION:
		return "nd_region";
	case DEV_NMEM:
		return "nvdimm";
	case DEV_NS:
		return c->ns->bound ? "nd_pmem" : NULL;
	case DEV_PFN:
		return c->p->bound ? (c->p->is_dax ? "dax_pmem" : "nd_pmem") : NULL;
	case DEV_DAXREGION:
		return NULL;	/* its provider's bus (cxl, nd): not modelled here */
	case DEV_DAX:
		return c->d->driver == DAX_DRV_KMEM ? "kmem" :
		       c->d->driver == DAX_DRV_DEVICE_DAX ? "device_dax" : NULL;
	}
	return NULL;
}

static int find_device(struct hotmem_machine *m, enum bus_kind b, const char *name,
		       struct bctx *c)
{
	memset(c, 0, sizeof(*c));
	c->bus = b;
	if (b == BUS_DAX) {
		c->kind = DEV_DAX;
		c->d = dev_dax_by_name(m, name);
		if (!c->d)
			return -ENOENT;
		c->dr = c->d->region;
		c->dr_static = dax_region_is_static(m, c->d);
		return 0;
	}
	if (!strncmp(name, "ndbus", 5) && name[5] >= '0' && name[5] <= '9' && !name[6] &&
	    name[5] - '0' < m->nd.nr_buses) {
		c->kind = DEV_NDBUS;
		c->ndbus = name[5] - '0';
		return 0;
	}
	if ((c->r = nd_region_by_name(m, name))) {
		c->kind = DEV_REGION;
		return 0;
	}
	if ((c->r = nd_nmem_by_name(m, name))) {
		c->kind = DEV_NMEM;
		return 0;
	}
	if ((c->ns = nd_namespace_by_name(m, name))) {
		c->r = &m->nd.regions[c->ns->region];
		c->kind = DEV_NS;
		return 0;
	}
	if ((c->p = nd_pfn_by_name(m, name))) {
		c->kind = DEV_PFN;
		c->r = &m->nd.regions[c->p->region];
		return 0;
	}
	return -ENOENT;
}

/* The is_visible step: 0 hides the attribute, else its mode. */
static unsigned int battr_mode(const struct bctx *c, const struct battr *a)
{
	bool label_only = !strcmp(a->name, "uuid") || !strcmp(a->name, "available_size") ||
			  !strcmp(a->name, "mapping0") || !strcmp(a->name, "alt_name") ||
			  !strcmp(a->name, "sector_size") || !strcmp(a->name, "set_cookie");

	/* dev_dax_visible: no target_node when it is NUMA_NO_NODE */
	if (c->kind == DEV_DAX && !strcmp(a->name, "target_node") && c->d->target_node < 0)
		return 0;
	/* nd_numa_attr_visible: likewise on the nd bus, by the region's
	 * target node (6.12.95: region0/target_node is ENOENT for -1) */
	if ((c->kind == DEV_REGION || c->kind == DEV_NS || c->kind == DEV_PFN) &&
	    !strcmp(a->name, "target_node") && c->r && c->r->target_node < 0)
		return 0;
	if (c->kind == DEV_DAX && c->dr_static) {
		if (!strcmp(a->name, "mapping"))
			return 0;
		if (!strcmp(a->name, "size") || !strcmp(a->name, "align"))
			return 0444;
	}
	/* dax_region_visible: a static region cannot be carved up */
	if (c->kind == DEV_DAXREGION && c->dr_static &&
	    (!strcmp(a->name, "available_size") || !strcmp(a->name, "create") ||
	     !strcmp(a->name, "seed") || !strcmp(a->name, "delete")))
		return 0;
	if (c->kind == DEV_REGION || c->kind == DEV_NS) {
		if (label_only && !c->r->labels)
			return 0;
		if (c->kind == DEV_NS && !strcmp(a->name, "size") && !c->r->labels)
			return 0444;
	}
	return a->mode;
}

static const struct battr *attr_find(const struct bctx *c, const struct battr *t,
				     const char *name)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, name))
			return battr_mode(c, t) ? t : NULL;
	return NULL;
}

/* Levels of the real device directory under /sys, for "../" runs. */
static int depth_dotdots(struct hotmem_machine *m, const struct bctx *c)
{
	char path[160];
	const char *p;
	int n = 2;	/* "devices" and the last component */

	dev_path(m, c, path, sizeof(path));
	for (p = path; *p; p++)
		n += *p == '/';
	return n;
}

static int bus_resolve(struct hotmem_machine *m, const char *path, struct bentry *e)
{
	char buf[512], name[32], *save = NULL, *tok;
	int i;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	memset(e, 0, sizeof(*e));
	tok = strtok_r(buf, "/", &save);	/* sys */
	tok = strtok_r(NULL, "/", &save);	/* bus */
	(void)tok;
	e->node = BN_ROOT;
	for (tok = strtok_r(NULL, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		switch (e->node) {
		case BN_ROOT:
			if (!strcmp(tok, "nd") && bus_present(m, BUS_ND))
				e->c.bus = BUS_ND;
			else if (!strcmp(tok, "dax") && bus_present(m, BUS_DAX))
				e->c.bus = BUS_DAX;
			else
				return -ENOENT;
			e->node = BN_BUS;
			break;
		case BN_BUS:
			if (!strcmp(tok, "devices"))
				e->node = BN_DEVICES;
			else if (!strcmp(tok, "drivers"))
				e->node = BN_DRIVERS;
			else
				return -ENOENT;
			break;
		case BN_DRIVERS: {
			const char *const *d = e->c.bus == BUS_ND ? nd_drivers : dax_drivers;

			for (i = 0; d[i]; i++)
				if (!strcmp(d[i], tok))
					break;
			if (!d[i])
				return -ENOENT;
			e->c.driver = d[i];
			e->node = BN_DRIVER;
			e->attrs = e->c.bus == BUS_DAX ? dax_driver_attrs : nd_driver_attrs;
			break;
		}
		case BN_DRIVER:
			e->attr = attr_find(&e->c, e->attrs, tok);
			if (!e->attr)
				return -ENOENT;
			e->node = BN_ATTR;
			break;
		case BN_DEVICES:
			if (find_device(m, e->c.bus, tok, &e->c))
				return -ENOENT;
			e->node = BN_DEV;
			e->attrs = dev_attrs(&e->c);
			dev_link_target(m, &e->c, e->link, sizeof(e->link));
			if (!save || !*save)
				e->node = BN_LINK;	/* the devices/ entry itself */
			else
				e->node = BN_DEV;
			break;
		case BN_DEV: {
			const char *drv = dev_driver(m, &e->c);
			bool sub = !strcmp(tok, "subsystem");

			/* driver and subsystem: links up to /sys, then into the bus */
			if ((!strcmp(tok, "driver") && drv) || sub) {
				int k, n = depth_dotdots(m, &e->c);
				size_t off = 0;

				for (k = 0; k < n; k++)
					off += (size_t)snprintf(e->link + off, sizeof(e->link) - off, "../");
				snprintf(e->link + off, sizeof(e->link) - off, "bus/%s%s%s",
					 e->c.bus == BUS_ND ? "nd" : "dax",
					 sub ? "" : "/drivers/", sub ? "" : drv);
				if (save && *save)
					return -ENOENT;	/* not followed */
				e->node = BN_LINK;
				break;
			}
			if (e->c.kind == DEV_DAX && !strncmp(tok, "mapping", 7) && tok[7]) {
				for (i = 0; i < e->c.d->nr_range; i++) {
					snprintf(name, sizeof(name), "mapping%d", e->c.d->ranges[i].mapping);
					if (!strcmp(tok, name))
						break;
				}
				if (i < e->c.d->nr_range) {
					e->c.range = i;
					e->node = BN_MAPPING;
					e->attrs = mapping_attrs;
					break;
				}
			}
			if (e->c.kind == DEV_NMEM && !strcmp(tok, "nfit")) {
				e->node = BN_NFIT;
				e->attrs = nmem_nfit_attrs;
				break;
			}
			if (e->c.kind == DEV_DAX && !strcmp(tok, "..")) {
				/* the real parent: the dax region's device */
				e->c.kind = DEV_DAXREGION;
				e->node = BN_DAXPARENT;
				e->attrs = NULL;
				break;
			}
			e->attr = attr_find(&e->c, e->attrs, tok);
			if (!e->attr)
				return -ENOENT;
			e->node = BN_ATTR;
			break;
		}
		case BN_DAXPARENT:
			if (!strcmp(tok, "dax_region")) {
				e->node = BN_DAXREGION;
				e->attrs = dax_region_attrs;
				break;
			}
			e->c.d = dax_region_child(m, e->c.dr, tok);
			if (!e->c.d || strchr(tok, '\n'))
				return -ENOENT;
			e->c.kind = DEV_DAX;
			e->node = BN_DEV;
			e->attrs = dax_attrs;
			break;
		case BN_DAXREGION:
		case BN_MAPPING:
		case BN_NFIT:
			e->attr = attr_find(&e->c, e->attrs, tok);
			if (!e->attr)
				return -ENOENT;
			e->node = BN_ATTR;
			break;
		default:
			return -ENOTDIR;
		}
	}
	return 0;
}

bool sysfs_bus_path(const char *path)
{
	return !strcmp(path, "/sys/bus") || !strncmp(path, "/sys/bus/", 9);
}

int sysfs_bus_read(struct hotmem_machine *m, const char *path, char **out)
{
	struct bentry e;
	struct strbuf sb;
	int ret;

	if (sysfs_cxl_path(path))
		return sysfs_cxl_read(m, path, out);
	ret = bus_resolve(m, path, &e);
	*out = NULL;
	if (ret)
		return ret;
	if (e.node != BN_ATTR)
		return -EISDIR;
	if (!e.attr->show)
		return -EACCES;
	sb_init(&sb);
	return sysfs_show_done(e.attr->show(m, &e.c, &sb), &sb, out);
}

long sysfs_bus_write(struct hotmem_machine *m, const char *path, const char *buf,
		     size_t len)
{
	struct bentry e;
	int ret;

	if (sysfs_cxl_path(path))
		return sysfs_cxl_write(m, path, buf, len);
	ret = bus_resolve(m, path, &e);
	if (ret)
		return ret;
	if (e.node != BN_ATTR)
		return -EISDIR;
	if (!e.attr->store || !(battr_mode(&e.c, e.attr) & 0222))
		return -EACCES;
	if (len > m->geo.page_size)
		len = m->geo.page_size;
	ret = e.attr->store(m, &e.c, buf, len);
	return ret < 0 ? ret : (long)len;
}

int sysfs_bus_stat(struct hotmem_machine *m, const char *path,
		   enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		   size_t targetlen)
{
	struct bentry e;
	int ret;

	if (sysfs_cxl_path(path))
		return sysfs_cxl_stat(m, path, kind, mode, target, targetlen);
	ret = bus_resolve(m, path, &e);
	if (ret)
		return ret;
	sysfs_fill_stat(e.node == BN_ATTR ? HOTMEM_ENTRY_FILE :
			e.node == BN_LINK ? HOTMEM_ENTRY_LINK : HOTMEM_ENTRY_DIR,
			e.node == BN_ATTR ? battr_mode(&e.c, e.attr) : 0, e.link, kind, mode,
			target, targetlen);
	return 0;
}

int sysfs_bus_readdir(struct hotmem_machine *m, const char *path,
		      int (*fn)(void *ctx, const char *name), void *ctx)
{
	struct bentry e;
	char name[32];
	const struct battr *a;
	int ret, i;

	if (sysfs_cxl_path(path))
		return sysfs_cxl_readdir(m, path, fn, ctx);
	ret = bus_resolve(m, path, &e);
	if (ret)
		return ret;
	if (e.node == BN_LINK && !strncmp(e.link, "../../../devices", 16))
		e.node = BN_DEV;	/* readdir follows the devices/ link */
	switch (e.node) {
	case BN_ROOT:
		if (sysfs_cxl_present(m) && (ret = fn(ctx, "cxl")))
			return ret;
		if (bus_present(m, BUS_DAX) && (ret = fn(ctx, "dax")))
			return ret;
		if (bus_present(m, BUS_ND) && (ret = fn(ctx, "nd")))
			return ret;
		return 0;
	case BN_BUS:
		if ((ret = fn(ctx, "devices")))
			return ret;
		return fn(ctx, "drivers");
	case BN_DRIVERS: {
		const char *const *d = e.c.bus == BUS_ND ? nd_drivers : dax_drivers;

		for (i = 0; d[i]; i++)
			if ((ret = fn(ctx, d[i])))
				return ret;
		return 0;
	}
	case BN_DEVICES:
		if (e.c.bus == BUS_DAX) {
			for (i = 0; i < DAX_MAX_DEVS; i++) {
				if (!m->dax.devs[i].used)
					continue;
				dev_dax_name(m, &m->dax.devs[i], name, sizeof(name));
				if ((ret = fn(ctx, name)))
					return ret;
			}
			return 0;
		}
		for (i = 0; i < m->nd.nr_buses; i++) {
			snprintf(name, sizeof(name), "ndbus%d", i);
			if ((ret = fn(ctx, name)))
				return ret;
		}
		for (i = 0; i < ND_MAX_REGIONS; i++) {
			if (!m->nd.regions[i].used || !m->nd.regions[i].labels)
				continue;
			snprintf(name, sizeof(name), "nmem%d", m->nd.regions[i].nmem);
			if ((ret = fn(ctx, name)))
				return ret;
		}
		for (i = 0; i < ND_MAX_REGIONS; i++) {
			if (!m->nd.regions[i].used)
				continue;
			snprintf(name, sizeof(name), "region%d", i);
			if ((ret = fn(ctx, name)))
				return ret;
		}
		for (i = 0; i < ND_MAX_NAMESPACES; i++) {
			if (!m->nd.namespaces[i].used)
				continue;
			nd_namespace_name(&m->nd.namespaces[i], name, sizeof(name));
			if ((ret = fn(ctx, name)))
				return ret;
		}
		for (i = 0; i < ND_MAX_PFNS; i++) {
			if (!m->nd.pfns[i].used)
				continue;
			nd_pfn_name(&m->nd.pfns[i], name, sizeof(name));
			if ((ret = fn(ctx, name)))
				return ret;
		}
		return 0;
	case BN_DAXPARENT:
		if ((ret = fn(ctx, "dax_region")))
			return ret;
		for (i = 0; i < DAX_MAX_DEVS; i++) {
			if (!m->dax.devs[i].used || m->dax.devs[i].region != e.c.dr)
				continue;
			dev_dax_name(m, &m->dax.devs[i], name, sizeof(name));
			if ((ret = fn(ctx, name)))
				return ret;
		}
		return 0;
	case BN_DEV:
		if (dev_driver(m, &e.c) && (ret = fn(ctx, "driver")))
			return ret;
		if ((ret = fn(ctx, "subsystem")))
			return ret;
		for (i = 0; e.c.kind == DEV_DAX && i < e.c.d->nr_range; i++) {
			snprintf(name, sizeof(name), "mapping%d", e.c.d->ranges[i].mapping);
			if ((ret = fn(ctx, name)))
				return ret;
		}
		if (e.c.kind == DEV_NMEM && (ret = fn(ctx, "nfit")))
			return ret;
		/* fall through to the attributes */
		__attribute__((fallthrough));
	case BN_DRIVER:
	case BN_MAPPING:
	case BN_DAXREGION:
	case BN_NFIT:
		for (a = e.attrs; a && a->name; a++)
			if (battr_mode(&e.c, a) && (ret = fn(ctx, a->name)))
				return ret;
		return 0;
	default:
		return -ENOTDIR;
	}
}

int sysfs_bus_chardevs(struct hotmem_machine *m,
		       int (*fn)(void *ctx, const char *name, const char *target),
		       void *ctx)
{
	char name[32], path[160], target[200];
	struct bctx c;
	int i, ret;

	if (!bus_present(m, BUS_DAX))
		return 0;
	for (i = 0; i < DAX_MAX_DEVS; i++) {
		if (!m->dax.devs[i].used)
			continue;
		memset(&c, 0, sizeof(c));
		c.bus = BUS_DAX;
		c.kind = DEV_DAX;
		c.d = &m->dax.devs[i];
		snprintf(name, sizeof(name), "%d:%d", DAX_CHRDEV_MAJOR, i);
		dev_path(m, &c, path, sizeof(path));
		/* /sys/dev/char/M:m sits two levels below /sys */
		snprintf(target, sizeof(target), "../../devices/%.170s", path);
		if ((ret = fn(ctx, name, target)))
			return ret;
	}
	return 0;
}

const char *sysfs_bus_module(struct hotmem_machine *m, unsigned int i)
{
	/* the modules of the drivers the buses list (Debian builds them as
	 * modules; the dax and nvdimm cores are built in or not listed) */
	static const char *const dax_mods[] = { "device_dax", "kmem" };
	static const char *const nd_mods[] = { "dax_pmem", "nd_pmem" };

	if (bus_present(m, BUS_DAX)) {
		if (i < 2)
			return dax_mods[i];
		i -= 2;
	}
	if (bus_present(m, BUS_ND) && i < 2)
		return nd_mods[i];
	return NULL;
}
