/*
 * pc_dimm.c - the hardware side: QEMU's pc-dimm device_add/device_del on
 * a q35 machine (hw/mem/pc-dimm.c, hw/mem/memory-device.c placement),
 * handing the device to the guest's ACPI memory driver.
 *
 * Contract: QEMU's own refusals (no slots, no room, bad node, duplicate
 * id, size) change nothing and return -errno with QEMU's message; a
 * device the guest kernel refuses stays plugged, as on real hardware.
 * Placement: first fit from the device-memory base, 2 MiB aligned (the
 * RAM backend's alignment on an x86-64 host), back to back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "../platform/platform.h"

#define DIMM_ALIGN (2ull << 20)
#define NVDIMM_LABEL_SIZE (128ull << 10)	/* QEMU's minimum label-size */

static struct acpi_memory_device *find_dimm(struct hotmem_machine *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nr_dimms; i++)
		if (m->dimms[i].used && !strcmp(m->dimms[i].id, id))
			return &m->dimms[i];
	return NULL;
}

static bool dimm_range_free(const struct hotmem_machine *m, uint64_t addr,
			    uint64_t size)
{
	size_t i;

	for (i = 0; i < m->nr_dimms; i++) {
		const struct acpi_memory_device *d = &m->dimms[i];

		if (d->used && addr < d->addr + d->size && d->addr < addr + size)
			return false;
	}
	return true;
}

static int dimm_place(const struct hotmem_machine *m, uint64_t size, uint64_t *addr)
{
	uint64_t a = m->device_memory_base;
	uint64_t end = m->device_memory_base + m->device_memory_size;
	size_t i;

	/* candidates: the base and the end of every plugged DIMM */
	for (;;) {
		uint64_t next = UINT64_MAX;

		a = (a + DIMM_ALIGN - 1) & ~(DIMM_ALIGN - 1);
		if (a + size > end)
			return -ENOSPC;
		if (dimm_range_free(m, a, size)) {
			*addr = a;
			return 0;
		}
		for (i = 0; i < m->nr_dimms; i++) {
			const struct acpi_memory_device *d = &m->dimms[i];

			if (d->used && d->addr + d->size > a && d->addr + d->size < next)
				next = d->addr + d->size;
		}
		if (next == UINT64_MAX)
			return -ENOSPC;
		a = next;
	}
}

int hotmem_device_add(struct hotmem_machine *m, const char *driver,
		      const char *id, uint64_t size, int node, char *err,
		      size_t errlen)
{
	struct acpi_memory_device *dev, *p;
	uint64_t addr, plugged = 0;
	unsigned int used_slots = 0;
	size_t i, slot_idx;
	int slot, ret;

	if (err && errlen)
		err[0] = '\0';
	if (!strcmp(driver, "cxl-type3")) {
		if (!id || !*id || strlen(id) >= sizeof(dev->id) || find_dimm(m, id)) {
			snprintf(err, errlen, "a unique device id of 1 to %zu characters is required",
				 sizeof(dev->id) - 1);
			return -EINVAL;
		}
		return cxl_type3_add(m, id, size, node, err, errlen);
	}
	if (strcmp(driver, "pc-dimm") && strcmp(driver, "nvdimm")) {
		snprintf(err, errlen, "'%s' is not a valid device model name (known: pc-dimm, nvdimm, cxl-type3)", driver);
		return -EINVAL;
	}
	if (!strcmp(driver, "nvdimm")) {
		/* label-size=128K: the label area is the memdev's tail */
		if (size <= NVDIMM_LABEL_SIZE) {
			snprintf(err, errlen, "the size of memdev (0x%llx) must be larger than label-size 0x%llx",
				 (unsigned long long)size, (unsigned long long)NVDIMM_LABEL_SIZE);
			return -EINVAL;
		}
		size -= NVDIMM_LABEL_SIZE;
	}
	if (!id || !*id || strlen(id) >= sizeof(dev->id)) {
		snprintf(err, errlen, "a device id of 1 to %zu characters is required",
			 sizeof(dev->id) - 1);
		return -EINVAL;
	}
	if (find_dimm(m, id)) {
		snprintf(err, errlen, "Duplicate device ID '%s'", id);
		return -EEXIST;
	}
	if (!m->cfg.slots) {
		snprintf(err, errlen, "no slots where allocated, please specify the 'slots' option");
		return -ENOSPC;
	}
	if (node < 0 || (unsigned int)node >= m->nr_node_ids) {
		snprintf(err, errlen, "'DIMM property node has value %d' which exceeds the number of numa nodes: %u",
			 node, m->nr_node_ids);
		return -EINVAL;
	}
	if (!size || size % (4096)) {
		snprintf(err, errlen, "backend memory size must be a non-zero multiple of 0x1000");
		return -EINVAL;
	}
	for (i = 0; i < m->nr_dimms; i++)
		if (m->dimms[i].used) {
			used_slots++;
			plugged += m->dimms[i].size;
		}
	if (used_slots >= m->cfg.slots) {
		/* QEMU 7.2's words, as the real backend reports them */
		snprintf(err, errlen, "no free slots available");
		return -ENOSPC;
	}
	if (m->cfg.mem_bytes + plugged + size > m->cfg.maxmem_bytes) {
		snprintf(err, errlen, "not enough space, currently 0x%llx in use of total space for memory devices 0x%llx",
			 (unsigned long long)plugged,
			 (unsigned long long)(m->cfg.maxmem_bytes - m->cfg.mem_bytes));
		return -ENOSPC;
	}
	if (m->platform->dimm_check) {
		ret = m->platform->dimm_check(m, size, err, errlen);
		if (ret)
			return ret;
	}
	ret = dimm_place(m, size, &addr);
	if (ret) {
		snprintf(err, errlen, "could not find position in guest address space for memory device - memory fragmented or too small");
		return ret;
	}
	/* the lowest free slot number */
	for (slot = 0;; slot++) {
		bool taken = false;

		for (i = 0; i < m->nr_dimms; i++)
			if (m->dimms[i].used && m->dimms[i].slot == slot)
				taken = true;
		if (!taken)
			break;
	}
	for (slot_idx = 0; slot_idx < m->nr_dimms; slot_idx++)
		if (!m->dimms[slot_idx].used)
			break;
	if (slot_idx == m->nr_dimms) {
		p = realloc(m->dimms, (m->nr_dimms + 1) * sizeof(*p));
		if (!p)
			return -ENOMEM;
		m->dimms = p;
		m->nr_dimms++;
	}
	dev = &m->dimms[slot_idx];
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->id, sizeof(dev->id), "%s", id);
	dev->addr = addr;
	dev->size = size;
	dev->node = node;
	dev->slot = slot;
	dev->group = -1;
	dev->used = true;
	if (!strcmp(driver, "nvdimm")) {
		dev->nvdimm = true;
		ret = nfit_nvdimm_add(m, addr, size, node);
		if (ret < 0) {
			snprintf(err, errlen, "nvdimm: the guest could not register its region (%s)",
				 hotmem_errno_name(ret));
			dev->used = false;
			return ret;
		}
		return 0;
	}
	return m->platform->dimm_plug(m, dev);
}

int hotmem_device_del(struct hotmem_machine *m, const char *id, char *err,
		      size_t errlen)
{
	struct acpi_memory_device *dev = find_dimm(m, id);
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!dev) {
		size_t i;

		for (i = 0; i < CXL_MAX_DEVICES; i++)
			if (m->cxl.devs[i].used && !strcmp(m->cxl.devs[i].id, id)) {
				snprintf(err, errlen, "cxl-type3 '%s': unplugging CXL memory is not modelled", id);
				return -EOPNOTSUPP;
			}
		snprintf(err, errlen, "Device '%s' not found", id);
		return -ENOENT;
	}
	if (dev->nvdimm) {
		snprintf(err, errlen, "nvdimm device hot unplug is not supported yet.");
		return -EOPNOTSUPP;
	}
	ret = m->platform->dimm_unplug(m, dev, err, errlen);
	if (ret)
		return ret;
	dev->used = false;
	while (m->nr_dimms && !m->dimms[m->nr_dimms - 1].used)
		m->nr_dimms--;
	return 0;
}
