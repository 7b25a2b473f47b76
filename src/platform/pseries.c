/*
 * pseries.c - QEMU's pseries machine with SLOF as the ppc64 kernel meets
 * it, and the pseries DLPAR memory code that takes its DIMMs
 * (arch/powerpc/platforms/pseries/hotplug-memory.c).
 *
 * Firmware: boot RAM from address 0 (the device tree's memory@0 holds
 * node 0's RAM, the RMA; other nodes' RAM follows in power-of-two
 * nodes); DIMMs in QEMU's device-memory area from the end of RAM
 * rounded up to 1 GiB, maxmem - mem long, in multiples of the 256 MiB
 * LMB. The memory block size is the device tree's ibm,lmb-size (256M)
 * when QEMU describes dynamic-reconfiguration memory, i.e. when the
 * machine has device memory, and otherwise the largest of 1G, 256M,
 * 64M, 16M that the memory nodes' sizes allow (probe_memory_block_size
 * in arch/powerpc/mm/init_64.c).
 *
 * Boot reservations: the kernel image from 0 (memory0 stays busy), the
 * rest top-down (boot_reserved).
 *
 * DIMMs: a plug is an RTAS hotplug event for the DIMM's LMBs
 * (dlpar_memory_add_by_ic); each 256 MiB LMB is one __add_memory with
 * MHP_MEMMAP_ON_MEMORY and no memory group, so one "System RAM"
 * resource each, and is then onlined by the kernel itself
 * (dlpar_online_lmb -> device_online, MMOP_ONLINE unless auto-online
 * already onlined it), whatever memhp_default_state says. An unplug
 * offlines and removes LMB by LMB; if one refuses, the LMBs already
 * removed are added (and onlined) again and the host is told the
 * removal failed. Observed on Debian's 6.12.95 under QEMU 7.2 pseries
 * (docs/architectures.md).
 *
 * Contract: platform.h. Expected workload: once per boot and per DIMM.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../machine.h"
#include "../util/errmsg.h"
#include "platform.h"

#define SZ_16M (16ull << 20)
#define SZ_256M (256ull << 20)
#define SZ_1G (1ull << 30)
/* QEMU: SPAPR_MEMORY_BLOCK_SIZE, the LMB */
#define SPAPR_LMB_SIZE SZ_256M
/* QEMU: SPAPR_MAX_RAM_SLOTS, the slot limit without KVM */
#define SPAPR_MAX_RAM_SLOTS 32
/* QEMU's DRC index of an LMB: type LMB (0x8) in the top nibble */
#define SPAPR_DRC_LMB 0x80000000u

static uint64_t pow2floor(uint64_t v)
{
	uint64_t p = 1;

	while (p <= v / 2)
		p <<= 1;
	return p;
}

/* update_memory_block_size: shrink by 4 until the size's bit is clear */
static void update_memory_block_size(uint64_t *block_size, uint64_t mem_size)
{
	for (; *block_size > SZ_16M; *block_size >>= 2)
		if (!(mem_size & *block_size))
			break;
}

/*
 * The memory block size the kernel probes from QEMU's device tree.
 * QEMU's memory nodes (spapr_dt_memory): memory@0 is the RMA, node 0's
 * RAM (pow2floor of it with a NUMA layout); the rest of every node in
 * naturally aligned power-of-two pieces.
 */
uint64_t pseries_memory_block_size(const struct hotmem_machine *m)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t bs = SZ_1G, start = 0;
	unsigned int n;

	if (c->maxmem_bytes > c->mem_bytes)
		return SPAPR_LMB_SIZE;	/* ibm,dynamic-reconfiguration-memory */
	for (n = 0; n < (c->nr_nodes ? c->nr_nodes : 1); n++) {
		uint64_t size = c->nr_nodes ? c->nodes[n].mem_bytes : c->mem_bytes;

		if (!size)
			continue;
		if (!start) {
			uint64_t rma = c->nr_nodes ? pow2floor(size) : size;

			update_memory_block_size(&bs, rma);
			start = rma;
			size -= rma;
		}
		while (size) {
			uint64_t piece = pow2floor(size);

			if (start & (piece - 1))
				piece = start & -start;
			update_memory_block_size(&bs, piece);
			start += piece;
			size -= piece;
		}
	}
	return bs;
}

/*
 * The kernel image stays where it was loaded, at physical 0, reserved
 * for good (text, data, rodata, bss; init is freed later), so memory0
 * can never be offlined. Sizes from the "Memory:" boot line of Debian's
 * 6.12.95 powerpc64le (4K) and powerpc64le-64k kernels; the rest of the
 * boot reservations is the profile's boot_reserved, top-down.
 */
#define PSERIES_KERNEL_IMAGE_4K_KB (16256 + 2292 + 16512 + 1320)
#define PSERIES_KERNEL_IMAGE_64K_KB (16320 + 2432 + 16448 + 1534)

static int pseries_reserve_early(struct hotmem_machine *m)
{
	uint64_t kb = m->geo.page_shift == 16 ? PSERIES_KERNEL_IMAGE_64K_KB :
						PSERIES_KERNEL_IMAGE_4K_KB;
	uint64_t pages = (kb + (m->geo.page_size >> 10) - 1) / (m->geo.page_size >> 10);

	return memblock_reserve_range(m, 0, pages, EXTENT_RESERVED);
}

/* spapr: device memory from RAM rounded up to 1 GiB, maxmem - mem long */
static int spapr_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	uint64_t end = m->cfg.mem_bytes;
	int ret;

	ret = qemu_device_memory_region(m, (end + SZ_1G - 1) & ~(SZ_1G - 1),
					SPAPR_MAX_RAM_SLOTS, err, errlen);
	if (!ret && m->device_memory_size)
		m->device_memory_size = m->cfg.maxmem_bytes - m->cfg.mem_bytes;
	return ret;
}

/* spapr_memory_pre_plug: whole LMBs only */
static int spapr_dimm_check(const struct hotmem_machine *m, uint64_t size,
			    char *err, size_t errlen)
{
	(void)m;
	if (size % SPAPR_LMB_SIZE) {
		errmsg_set(err, errlen, "Hotplugged memory size must be a multiple of %llu MB",
			   (unsigned long long)(SPAPR_LMB_SIZE >> 20));
		return -EINVAL;
	}
	return 0;
}

static unsigned int drc_index(uint64_t addr)
{
	return SPAPR_DRC_LMB | (unsigned int)(addr / SPAPR_LMB_SIZE);
}

static struct memory_block *lmb_to_memblock(struct hotmem_machine *m, uint64_t addr)
{
	return find_memory_block_by_pfn(m, PHYS_PFN(m, addr));
}

/* dlpar_add_lmb: add one LMB and online it, or leave nothing */
static int dlpar_add_lmb(struct hotmem_machine *m, int nid, uint64_t addr)
{
	struct memory_block *mem;
	int ret;

	if (nid < 0 || (unsigned int)nid >= m->nr_node_ids || !m->nodes[nid].possible)
		nid = 0;	/* first_online_node */
	ret = add_memory(m, nid, addr, m->block_size, MHP_MEMMAP_ON_MEMORY, "System RAM");
	if (ret) {
		machine_log(m, "pseries-hotplug-mem: Failed to add LMB 0x%x to node %d",
			    drc_index(addr), nid);
		return ret;
	}
	mem = lmb_to_memblock(m, addr);
	ret = mem ? device_online(m, mem) : -EINVAL;	/* dlpar_online_lmb */
	if (ret < 0) {
		machine_log(m, "pseries-hotplug-mem: Failed to online LMB 0x%x on node %d",
			    drc_index(addr), nid);
		try_remove_memory(m, addr, m->block_size);
		return ret;
	}
	return 0;
}

/* dlpar_remove_lmb: offline one LMB (the kernel may refuse) and remove it */
static int dlpar_remove_lmb(struct hotmem_machine *m, uint64_t addr)
{
	struct memory_block *mem = lmb_to_memblock(m, addr);
	int ret;

	if (!mem)
		return -EINVAL;
	ret = device_offline(m, mem);	/* dlpar_offline_lmb */
	if (ret < 0)
		return ret;
	return try_remove_memory(m, addr, m->block_size);
}

/* dlpar_memory_add_by_ic: the DIMM's LMBs in order; all or none */
static int pseries_dimm_plug(struct hotmem_machine *m, struct acpi_memory_device *dev)
{
	uint64_t lmbs = dev->size / m->block_size, i, j;
	int ret = 0;

	dev->dlpar = true;
	machine_log(m, "pseries-hotplug-mem: Attempting to hot-add %llu LMB(s) at index %x",
		    (unsigned long long)lmbs, drc_index(dev->addr));
	for (i = 0; i < lmbs; i++) {
		ret = dlpar_add_lmb(m, dev->node, dev->addr + i * m->block_size);
		if (ret)
			break;
	}
	if (ret) {
		machine_log(m, "pseries-hotplug-mem: Memory indexed-count-add failed, removing any added LMBs");
		for (j = 0; j < i; j++) {
			uint64_t addr = dev->addr + j * m->block_size;

			if (dlpar_remove_lmb(m, addr))
				machine_log(m, "pseries-hotplug-mem: Failed to remove LMB, drc index %x",
					    drc_index(addr));
		}
		dev->enabled = false;
		return 0;	/* the DIMM stays plugged, without memory */
	}
	for (i = 0; i < lmbs; i++)
		machine_log(m, "pseries-hotplug-mem: Memory at %llx (drc index %x) was hot-added",
			    (unsigned long long)(dev->addr + i * m->block_size),
			    drc_index(dev->addr + i * m->block_size));
	dev->enabled = true;
	return 0;
}

/*
 * dlpar_memory_remove_by_ic: LMB by LMB; on a refusal the removed ones
 * are added again (and onlined by dlpar_add_lmb, so possibly into
 * another zone than before) and QEMU reports the unplug as rejected.
 */
static int pseries_dimm_unplug(struct hotmem_machine *m, struct acpi_memory_device *dev,
			       char *err, size_t errlen)
{
	uint64_t lmbs = dev->size / m->block_size, i, j;
	int ret = 0;

	if (!dev->enabled)
		return 0;
	machine_log(m, "pseries-hotplug-mem: Attempting to hot-remove %llu LMB(s) at %x",
		    (unsigned long long)lmbs, drc_index(dev->addr));
	for (i = 0; i < lmbs; i++) {
		ret = dlpar_remove_lmb(m, dev->addr + i * m->block_size);
		if (ret)
			break;
	}
	if (ret) {
		uint64_t failed = (dev->addr + i * m->block_size) / m->block_size;

		machine_log(m, "pseries-hotplug-mem: Memory indexed-count-remove failed, adding any removed LMBs");
		for (j = 0; j < i; j++) {
			uint64_t addr = dev->addr + j * m->block_size;

			if (dlpar_add_lmb(m, dev->node, addr))
				machine_log(m, "pseries-hotplug-mem: Failed to add LMB, drc index %x",
					    drc_index(addr));
		}
		errmsg_set(err, errlen, "Memory hotunplug rejected by the guest for device %s: memory%llu could not be offlined (%s)",
			   dev->id, (unsigned long long)failed, hotmem_errno_name(ret));
		return -EBUSY;
	}
	for (i = 0; i < lmbs; i++)
		machine_log(m, "pseries-hotplug-mem: Memory at %llx (drc index %x) was hot-removed",
			    (unsigned long long)(dev->addr + i * m->block_size),
			    drc_index(dev->addr + i * m->block_size));
	dev->enabled = false;
	return 0;
}

/*
 * boot_reserved_kb measured on a profile's real guest (docs/model-inputs.md):
 * what its Debian 6.12.95 kernel reserves at boot beyond the memmap,
 * pg_data_t and what the platform reserves itself, from MemTotal right
 * after boot: 2 GiB pseries guests with slots=4,maxmem=8G (MemTotal radix 64K 2036288 kB,
 * hash 64K 2052928 kB, radix 4K 1999476 kB, hash 4K 2015172 kB), less
 * the kernel image pseries_reserve_early() reserves at 0 and the 3 MiB
 * of dentry and inode hash tables (vfs_caches_init_early).
 */
static const struct {
	const char *profile;
	uint64_t kb;
} boot_reserved[] = {
	{ "ppc64-radix-64k", 18872 },
	{ "ppc64-hash-64k", 2232 },
	{ "ppc64-radix-4k", 25284 },
	{ "ppc64-hash-4k", 9588 },
};

/* the model inputs measured on the profile's real guest (platform.h) */
static void pseries_boot_inputs(const struct hotmem_machine *m, uint64_t *reserved_kb,
				uint64_t *used_kb)
{
	size_t i;

	(void)used_kb;
	for (i = 0; i < sizeof(boot_reserved) / sizeof(boot_reserved[0]); i++)
		if (!strcmp(boot_reserved[i].profile, m->geo.profile->name))
			*reserved_kb = boot_reserved[i].kb;
}

const struct platform platform_pseries = {
	.family = "ppc64",
	.machine = "pseries",
	.firmware = "SLOF",
	.memory_map = flat_ram_memory_map,
	.device_memory = spapr_device_memory,
	.numa_init = all_nodes_possible,
	.reserve_early = pseries_reserve_early,
	.boot_inputs = pseries_boot_inputs,
	.dimm_check = spapr_dimm_check,
	.dimm_plug = pseries_dimm_plug,
	.dimm_unplug = pseries_dimm_unplug,
};
