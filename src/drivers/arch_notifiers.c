/*
 * arch_notifiers.c - the memory notifiers architectures register, and
 * s390's standby memory (drivers/s390/char/sclp_cmd.c :
 * sclp_mem_notifier, sclp_detect_standby_memory, add_memory_merged;
 * arch/arm64/mm/mmu.c : prevent_bootmem_remove_notifier).
 *
 * Contract: arch_memory_notifiers_init() registers the arch's notifiers
 * once at boot; sclp_detect_standby_memory() models the s390 initcall:
 * standby storage increments are inaccessible until MEM_PREPARE_ONLINE
 * assigns them, and MEM_FINISH_OFFLINE gives them back. Each notifier
 * returns 0 (NOTIFY_OK) or -EPERM (NOTIFY_BAD), as the kernel's do.
 * Expected workload: one byte per 1 MiB storage increment (a few
 * thousand on the machines scenarios describe).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"

#define SZ_1M (1ull << 20)

int arch_memory_notifiers_init(struct hotmem_machine *m)
{
	struct memory_notifier nb;

	/* s390: SCLP reports the storage increment size on every machine */
	if (!strcmp(m->geo.profile->family, "s390x"))
		m->sclp_rzm = sclp_rzm(&m->cfg);
	if (strcmp(m->geo.profile->family, "arm64"))
		return 0;
	memset(&nb, 0, sizeof(nb));
	nb.kind = MEMORY_NOTIFIER_ARM64_BOOTMEM;
	nb.priority = 0;	/* DEFAULT_CALLBACK_PRI */
	return register_memory_notifier(m, &nb);
}

/* arm64: boot memory can never be offlined (hence never removed). */
int prevent_bootmem_remove_notifier(struct hotmem_machine *m, unsigned long action,
				    const struct memory_notify *arg)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t pfn, end = arg->start_pfn + arg->nr_pages;

	if (action != MEM_GOING_OFFLINE)
		return 0;
	for (pfn = arg->start_pfn; pfn < end; pfn += g->pages_per_section) {
		uint64_t start = PFN_PHYS(m, pfn);

		if (!early_section(nr_to_section(&m->sparse, g, pfn_to_section_nr(g, pfn))))
			continue;
		machine_log(m, "Boot memory [%llx %llx] offlining attempted",
			    (unsigned long long)start,
			    (unsigned long long)(start + (1ull << g->section_size_bits)));
		return -EPERM;
	}
	return 0;
}

/*
 * The storage increment size QEMU reports (hw/s390x/sclp.c :
 * sclp_memory_init): 1 MiB on every s390-ccw-virtio machine type since
 * 5.0, whatever the storage size. The rule "the smallest power of two
 * from 1 MiB keeping at most 1020 increments" applies only to machine
 * types 4.2 and older (those with fixup_ram_size), which the model does
 * not boot. Observed on Debian's 6.12.95 under QEMU 7.2: memoryN/
 * phys_device is start >> 20 on a 2 GiB guest.
 */
uint64_t sclp_rzm(const struct hotmem_config *c)
{
	(void)c;
	return SZ_1M;
}

/* Assign (online) or unassign the increments overlapping [start, +size). */
static int sclp_mem_change_state(struct hotmem_machine *m, uint64_t start,
				 uint64_t size, int online)
{
	uint64_t rzm = m->sclp_rzm;
	size_t first = start / rzm, last = (start + size - 1) / rzm, i;

	if (first >= m->sclp_nr_incr)
		return 0;
	if (last >= m->sclp_nr_incr)
		last = m->sclp_nr_incr - 1;
	for (i = first; i <= last; i++)
		m->sclp_standby[i] = online ? 0 : 1;
	/* rn is 1-based: increment i holds [i * rzm, (i + 1) * rzm) */
	machine_trace(m, "  sclp_mem_notifier: %s storage increments rn %zu-%zu "
		      "[%#llx-%#llx]%s", online ? "assign" : "unassign", first + 1,
		      last + 1, (unsigned long long)(first * rzm),
		      (unsigned long long)((last + 1) * rzm - 1),
		      online ? ": accessible now" : ": standby again, inaccessible");
	return 0;
}

static bool contains_standby_increment(const struct hotmem_machine *m,
				       uint64_t start, uint64_t end)
{
	size_t i;

	for (i = start / m->sclp_rzm; i < m->sclp_nr_incr && i * m->sclp_rzm < end; i++)
		if (m->sclp_standby[i])
			return true;
	return false;
}

int sclp_mem_notifier(struct hotmem_machine *m, unsigned long action,
		      const struct memory_notify *arg)
{
	uint64_t start = PFN_PHYS(m, arg->start_pfn);
	uint64_t size = PFN_PHYS(m, arg->nr_pages);
	int rc = 0;

	switch (action) {
	case MEM_GOING_OFFLINE:
		/* the kernel keeps blocks holding standby memory online-only */
		if (contains_standby_increment(m, start, start + size))
			rc = -EPERM;
		break;
	case MEM_PREPARE_ONLINE:
	case MEM_FINISH_OFFLINE:
		/* the memmap at the block's start is storage too */
		if (arg->altmap_nr_pages) {
			start = PFN_PHYS(m, arg->altmap_start_pfn);
			size += PFN_PHYS(m, arg->altmap_nr_pages);
		}
		rc = sclp_mem_change_state(m, start, size, action == MEM_PREPARE_ONLINE);
		if (action == MEM_FINISH_OFFLINE)
			rc = 0;		/* errors of unassign are ignored */
		break;
	default:
		break;
	}
	return rc ? -EPERM : 0;
}

/*
 * The initcall: every storage increment of the machine is listed,
 * the boot RAM's as assigned, the standby ones as standby; the notifier
 * is registered; the standby run is aligned inward to the block size
 * and added block by block with its memmap on itself and offline
 * inaccessible (MACHINE_HAS_EDAT1, true on every machine QEMU models).
 */
int sclp_detect_standby_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t rzm = sclp_rzm(c), start = c->mem_bytes, size = c->standby_bytes;
	uint64_t bs = m->block_size, start_align, end_align, addr;
	struct memory_notifier nb;
	size_t i;
	int ret;

	if ((c->mem_bytes | c->standby_bytes) & (rzm - 1)) {
		snprintf(err, errlen, "mem= and standby= must be multiples of the "
			 "storage increment (%lluM)", (unsigned long long)(rzm >> 20));
		return -EINVAL;
	}
	m->sclp_rzm = rzm;
	m->sclp_nr_incr = (c->mem_bytes + c->standby_bytes) / rzm;
	m->sclp_standby = calloc(m->sclp_nr_incr, 1);
	if (!m->sclp_standby)
		return -ENOMEM;
	for (i = c->mem_bytes / rzm; i < m->sclp_nr_incr; i++)
		m->sclp_standby[i] = 1;
	memset(&nb, 0, sizeof(nb));
	nb.kind = MEMORY_NOTIFIER_SCLP;
	nb.priority = 0;
	ret = register_memory_notifier(m, &nb);
	if (ret)
		return ret;

	/* add_memory_merged + align_to_block_size */
	start_align = (start + bs - 1) & ~(bs - 1);
	end_align = (start + size) & ~(bs - 1);
	if (end_align < start_align)
		end_align = start_align;
	machine_log(m, "Standby memory at 0x%llx (%lluM of %lluM usable)",
		    (unsigned long long)start,
		    (unsigned long long)((end_align - start_align) >> 20),
		    (unsigned long long)(size >> 20));
	for (addr = start_align; addr < end_align; addr += bs)
		add_memory(m, 0, addr, bs, MHP_MEMMAP_ON_MEMORY | MHP_OFFLINE_INACCESSIBLE,
			   "System RAM");
	return 0;
}
