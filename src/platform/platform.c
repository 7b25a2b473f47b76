/*
 * platform.c - the table of QEMU machine types (platform.h) and what
 * several of them share: boot RAM as one flat range, QEMU's virt-style
 * DIMM area, every node possible, and the ACPI memory device as the
 * DIMM path.
 *
 * Contract: platform.h.
 * Expected workload: a lookup per boot; the helpers once per boot or DIMM.
 */
#include <errno.h>
#include <string.h>

#include "../machine.h"
#include "../util/errmsg.h"
#include "platform.h"

#define SZ_1G (1ull << 30)

static const struct platform *const platforms[] = {
	&platform_q35,
	&platform_pseries,
	&platform_virt_arm64,
	&platform_s390_ccw,
	&platform_riscv_virt,
};

const struct platform *platform_find(const char *family)
{
	size_t i;

	for (i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++)
		if (!strcmp(platforms[i]->family, family))
			return platforms[i];
	return NULL;
}

/*
 * Boot layout of the non-q35 machines (docs/architectures.md): boot RAM
 * is one range from the profile's ram_base (arm64 virt 1 GiB, riscv64
 * virt 2 GiB, pseries and s390-ccw-virtio 0), split between the nodes
 * in node order; no firmware holes are modelled.
 */
int flat_ram_memory_map(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t base = m->geo.profile->ram_base, off = 0;
	unsigned int n;
	int ret;

	if (c->mem_bytes < (1ull << m->geo.section_size_bits)) {
		errmsg_set(err, errlen, "mem=%llu: less than one %lluM section",
			(unsigned long long)c->mem_bytes,
			(unsigned long long)(1ull << (m->geo.section_size_bits - 20)));
		return -EINVAL;
	}
	for (n = 0; n < m->nr_node_ids; n++) {
		uint64_t size = c->nr_nodes ? c->nodes[n].mem_bytes : c->mem_bytes;

		ret = memblock_add(m, PHYS_PFN(m, base + off),
				   PHYS_PFN(m, base + off + size), (int)n);
		if (ret)
			return ret;
		off += size;
	}
	return request_mem_region(&m->iomem, base, c->mem_bytes, "System RAM",
				  IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
}

/*
 * QEMU's device-memory region (hw/mem/memory-device.c users): from base,
 * maxmem - mem plus 1 GiB of alignment room per slot; QEMU refuses
 * maxmem below mem and more slots than the machine has.
 */
int qemu_device_memory_region(struct hotmem_machine *m, uint64_t base,
			      unsigned int max_slots, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;

	if (!c->slots && !c->maxmem_bytes)
		return 0;
	if (c->maxmem_bytes < c->mem_bytes) {
		errmsg_set(err, errlen, "maxmem (%llu) must not be smaller than mem (%llu)",
			(unsigned long long)c->maxmem_bytes,
			(unsigned long long)c->mem_bytes);
		return -EINVAL;
	}
	if (c->slots > max_slots) {
		errmsg_set(err, errlen, "slots=%u: QEMU's %s machine allows at most %u memory slots",
			c->slots, m->platform->machine, max_slots);
		return -EINVAL;
	}
	m->device_memory_base = base;
	m->device_memory_size = c->maxmem_bytes - c->mem_bytes + (uint64_t)c->slots * SZ_1G;
	return 0;
}

/* virt machines: the region starts at the end of RAM rounded up to 1 GiB */
int virt_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	uint64_t end = m->geo.profile->ram_base + m->cfg.mem_bytes;

	return qemu_device_memory_region(m, (end + SZ_1G - 1) & ~(SZ_1G - 1),
					 QEMU_ACPI_MAX_RAM_SLOTS, err, errlen);
}

int all_nodes_possible(struct hotmem_machine *m, char *err, size_t errlen)
{
	unsigned int n;

	(void)err;
	(void)errlen;
	for (n = 0; n < m->nr_node_ids; n++)
		m->nodes[n].possible = true;
	return 0;
}

int acpi_dimm_plug(struct hotmem_machine *m, struct acpi_memory_device *dev)
{
	return acpi_memory_device_add(m, dev);
}

int acpi_dimm_unplug(struct hotmem_machine *m, struct acpi_memory_device *dev,
		     char *err, size_t errlen)
{
	return acpi_memory_device_eject(m, dev, err, errlen);
}
