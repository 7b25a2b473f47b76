/*
 * acpi_memhotplug.c - the ACPI memory device driver (PNP0C80) and the
 * eject path (drivers/acpi/acpi_memhotplug.c, drivers/acpi/scan.c :
 * acpi_scan_try_to_offline; drivers/acpi/acpi_memhotplug.c).
 *
 * Contract: a device's memory is added as one static memory group with
 * MHP_MEMMAP_ON_MEMORY requested; a failure leaves the device present
 * but without memory, as the kernel does. Eject offlines the device's
 * blocks in two passes and, if one refuses, re-onlines what it offlined
 * and fails with -EBUSY.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../machine.h"

static unsigned int acpi_instance(const struct acpi_memory_device *dev)
{
	return (unsigned int)dev->slot;
}

int acpi_memory_device_add(struct hotmem_machine *m,
			   struct acpi_memory_device *dev)
{
	uint64_t id, first, last;
	int mgid, ret;

	mgid = memory_group_register_static(m, dev->node, dev->size >> m->geo.page_shift);
	if (mgid < 0)
		return mgid;
	ret = add_memory(m, mgid, dev->addr, dev->size,
			 MHP_NID_IS_MGID | MHP_MEMMAP_ON_MEMORY, "System RAM");
	if (ret && ret != -EEXIST) {
		machine_log(m, "acpi PNP0C80:%02x: add_memory failed", acpi_instance(dev));
		machine_log(m, "acpi PNP0C80:%02x: acpi_memory_enable_device() error",
			    acpi_instance(dev));
		memory_group_unregister(m, mgid);
		dev->group = -1;
		dev->enabled = false;
		return 0;
	}
	dev->group = mgid;
	dev->enabled = true;
	/* acpi_bind_memory_blocks: firmware_node of every block of the range */
	first = dev->addr / m->block_size;
	last = (dev->addr + dev->size) / m->block_size;
	for (id = first; id < last; id++) {
		struct memory_block *mem = find_memory_block_by_id(m, id);

		if (mem)
			mem->acpi_device = (int)(dev - m->dimms);
	}
	return 0;
}

int acpi_memory_device_eject(struct hotmem_machine *m,
			     struct acpi_memory_device *dev, char *err,
			     size_t errlen)
{
	uint64_t id, first, last;
	uint64_t offlined[64];	/* bitmap over the device's blocks, 4096 max */
	int pass, ret;

	if (!dev->enabled)
		return 0;
	first = dev->addr / m->block_size;
	last = (dev->addr + dev->size) / m->block_size;
	if (last - first > 64 * 64)
		return -E2BIG;
	memset(offlined, 0, sizeof(offlined));
	for (pass = 0; pass < 2; pass++) {
		for (id = first; id < last; id++) {
			struct memory_block *mem = find_memory_block_by_id(m, id);

			if (!mem || mem->acpi_device != (int)(dev - m->dimms))
				continue;
			ret = device_offline(m, mem);
			if (ret == 0)
				offlined[(id - first) / 64] |= 1ull << ((id - first) % 64);
			else if (ret < 0 && pass == 1) {
				uint64_t j;

				machine_log(m, "memory memory%llu: Offline failed.",
					    (unsigned long long)id);
				for (j = first; j < last; j++) {
					struct memory_block *b = find_memory_block_by_id(m, j);

					if (b && (offlined[(j - first) / 64] >> ((j - first) % 64) & 1))
						device_online(m, b);
				}
				if (err && errlen)
					snprintf(err, errlen,
						 "the guest refused the eject: memory%llu could not be offlined (%s)",
						 (unsigned long long)id, hotmem_errno_name(ret));
				return -EBUSY;
			}
		}
	}
	ret = try_remove_memory(m, dev->addr, dev->size);
	if (ret) {
		/* __remove_memory: the kernel would BUG() here */
		if (err && errlen)
			snprintf(err, errlen, "kernel BUG: __remove_memory failed (%s)",
				 hotmem_errno_name(ret));
		return ret;
	}
	memory_group_unregister(m, dev->group);
	dev->group = -1;
	dev->enabled = false;
	return 0;
}
