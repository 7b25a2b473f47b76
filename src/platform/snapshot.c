/*
 * snapshot.c - an imported real machine as a platform: its firmware's
 * memory map is the captured one (src/import/).
 *
 * Boot RAM is every captured block that was online in its boot zone,
 * cut to /proc/iomem's System RAM where iomem was captured, on the node
 * its nodeN link names; the other top-level iomem ranges become
 * resources as captured. The zone limits are the captured ones
 * (zoneinfo, else the blocks' zones) where they differ from the
 * profile's. DIMMs plug through ACPI into an area above everything
 * captured (a real server's hotplug ranges are not in the files: maxmem=
 * and slots= size it, default 1 TiB and 16 slots).
 *
 * Contract: platform.h; m->import is set before machine_boot().
 * Expected workload: once per import boot.
 */
#include <errno.h>
#include <string.h>

#include "../machine.h"
#include "../import/import.h"
#include "../util/errmsg.h"
#include "platform.h"

#define SZ_1G (1ull << 30)

struct boot_ram_ctx {
	struct hotmem_machine *m;
	int nid;
};

static int add_boot_ram(void *ctx, uint64_t start_pfn, uint64_t end_pfn)
{
	struct boot_ram_ctx *c = ctx;

	return memblock_add(c->m, start_pfn, end_pfn, c->nid);
}

static int snapshot_memory_map(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct snapshot *s = m->import->snap;
	const struct arch_profile *p = m->geo.profile;
	uint64_t dma = p->zone_dma_end >> p->page_shift;
	uint64_t dma32 = p->zone_dma32_end >> p->page_shift;
	uint64_t lim[2];
	size_t i, k;
	int ret;

	import_zone_limits(s, dma, dma32 > dma ? dma32 : dma, m->zone_end_pfn_fw);
	lim[0] = m->zone_end_pfn_fw[0] ? m->zone_end_pfn_fw[0] : dma;
	lim[1] = m->zone_end_pfn_fw[1] ? m->zone_end_pfn_fw[1] : (dma32 > dma ? dma32 : dma);
	for (i = 0; i < s->nr_blocks; i++) {
		const struct snap_block *b = &s->blocks[i];
		int nid = m->nr_node_ids > 1 && b->nid > 0 ? b->nid : 0;
		struct boot_ram_ctx ctx = { m, nid };

		if (!import_block_is_boot(s, b, lim, m->geo.page_shift))
			continue;
		ret = import_boot_ram(s, b, add_boot_ram, &ctx);
		/* without a captured iomem, each boot block is its own System RAM */
		if (!ret && !s->nr_iomem)
			ret = request_mem_region(&m->iomem, b->id * s->block_size, s->block_size,
						 "System RAM", IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
		if (ret)
			return ret;
	}
	/* iomem: the captured top level, except RAM added later (the
	 * hotplug path requests it again) */
	for (k = 0; k < s->nr_iomem; k++) {
		const struct snap_iomem *r = &s->iomem[k];
		bool later = false;

		if (r->depth)
			continue;
		for (i = 0; i < s->nr_blocks && !later; i++) {
			uint64_t start = s->blocks[i].id * s->block_size;

			later = !import_block_is_boot(s, &s->blocks[i], lim, m->geo.page_shift) &&
				start <= r->end && start + s->block_size > r->start;
		}
		if (later)
			continue;
		ret = request_mem_region(&m->iomem, r->start, r->end - r->start + 1, r->name,
					 strcmp(r->name, "System RAM") ? 0 :
					 IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
		if (ret && ret != -EEXIST && ret != -EBUSY) {
			errmsg_set(err, errlen, "%s/proc/iomem: %llx-%llx : %s: %s", s->root,
				   (unsigned long long)r->start, (unsigned long long)r->end,
				   r->name, hotmem_errno_name(ret));
			return ret;
		}
	}
	return 0;
}

/* DIMMs: an area above the highest captured address */
static int snapshot_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct snapshot *s = m->import->snap;
	struct hotmem_config *c = &m->cfg;
	uint64_t top = (s->blocks[s->nr_blocks - 1].id + 1) * s->block_size, base;
	size_t k;

	for (k = 0; k < s->nr_iomem; k++)
		if (s->iomem[k].end + 1 > top && !s->iomem[k].depth &&
		    s->iomem[k].end < (1ull << m->geo.max_physmem_bits))
			top = s->iomem[k].end + 1;
	base = (top + SZ_1G - 1) & ~(SZ_1G - 1);
	if (!c->slots && !c->maxmem_bytes) {
		c->slots = 16;
		c->maxmem_bytes = c->mem_bytes + 1024 * SZ_1G;
	}
	if (base + c->maxmem_bytes - c->mem_bytes + c->slots * SZ_1G >
	    (1ull << m->geo.max_physmem_bits)) {
		c->maxmem_bytes = c->mem_bytes;
		c->slots = 0;
		return 0;
	}
	return qemu_device_memory_region(m, base, QEMU_ACPI_MAX_RAM_SLOTS, err, errlen);
}

static int snapshot_numa_init(struct hotmem_machine *m, char *err, size_t errlen)
{
	return all_nodes_possible(m, err, errlen);
}

/* x86 keeps the first MiB whatever the firmware says */
static int snapshot_reserve_early(struct hotmem_machine *m)
{
	if (strcmp(m->geo.profile->family, "x86_64"))
		return 0;
	return platform_q35.reserve_early(m);
}

const struct platform platform_snapshot = {
	.family = "",
	.machine = "snapshot",
	.firmware = "the captured machine's firmware",
	.memory_map = snapshot_memory_map,
	.device_memory = snapshot_device_memory,
	.numa_init = snapshot_numa_init,
	.reserve_early = snapshot_reserve_early,
	.dimm_plug = acpi_dimm_plug,
	.dimm_unplug = acpi_dimm_unplug,
};
