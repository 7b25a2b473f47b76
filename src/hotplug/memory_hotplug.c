/*
 * memory_hotplug.c - add_memory/remove_memory, online/offline of memory
 * blocks and the zone policies (mm/memory_hotplug.c,
 * drivers/base/memory.c : memory_block_online/offline; mm/memory_hotplug.c).
 *
 * Where the kernel leaves state behind on a failure path (e.g. sections
 * added by a partly failed __add_pages), the model undoes it, so that
 * every failed operation leaves the machine exactly as it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "../arch/direct_map.h"

/* ---- zone selection (mm/memory_hotplug.c) ---------------------------------------- */

static int default_kernel_zone_for_pfn(struct hotmem_machine *m, int nid,
				       uint64_t start_pfn, uint64_t nr_pages)
{
	int zid;

	for (zid = 0; zid < ZONE_NORMAL; zid++)
		if (zone_intersects(&m->nodes[nid].zones[zid], start_pfn, nr_pages))
			return zid;
	return ZONE_NORMAL;
}

static int default_zone_for_pfn(struct hotmem_machine *m, int nid,
				uint64_t start_pfn, uint64_t nr_pages)
{
	int kernel_zone = default_kernel_zone_for_pfn(m, nid, start_pfn, nr_pages);
	bool in_kernel = zone_intersects(&m->nodes[nid].zones[kernel_zone],
					 start_pfn, nr_pages);
	bool in_movable = zone_intersects(&m->nodes[nid].zones[ZONE_MOVABLE],
					  start_pfn, nr_pages);

	if (in_kernel ^ in_movable)
		return in_kernel ? kernel_zone : ZONE_MOVABLE;
	return m->movable_node ? ZONE_MOVABLE : kernel_zone;
}

struct auto_movable_stats {
	uint64_t kernel_early_pages;
	uint64_t movable_pages;
};

static void auto_movable_stats_account_zone(struct auto_movable_stats *stats,
					    const struct zone *zone, int zid)
{
	if (zid == ZONE_MOVABLE)
		stats->movable_pages += zone->present_pages;
	else if (zid != ZONE_DEVICE)
		stats->kernel_early_pages += zone->present_early_pages;
	/* no CMA in the modelled config */
}

static bool auto_movable_can_online_movable(struct hotmem_machine *m, int nid,
					    int group, uint64_t nr_pages,
					    struct auto_movable_stats *out)
{
	struct auto_movable_stats stats = { 0, 0 };
	uint64_t kernel_early, movable;
	unsigned int n;
	int z;

	for (n = 0; n < m->nr_node_ids; n++) {
		if (nid != NUMA_NO_NODE && (int)n != nid)
			continue;
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&m->nodes[n].zones[z]))
				auto_movable_stats_account_zone(&stats,
						&m->nodes[n].zones[z], z);
	}
	/* no dynamic groups exist without virtio-mem */
	(void)group;
	kernel_early = stats.kernel_early_pages;
	movable = stats.movable_pages;
	*out = stats;
	if (kernel_early == 0)
		return false;
	return movable + nr_pages <=
	       (uint64_t)m->auto_movable_ratio * kernel_early / 100;
}

static int auto_movable_zone_for_pfn(struct hotmem_machine *m, int nid,
				     int group, uint64_t pfn, uint64_t nr_pages)
{
	uint64_t online_pages = 0, max_pages, id = PFN_PHYS(m, pfn) / m->block_size;
	struct memory_group *g = memory_group_find_by_id(m, group);
	struct auto_movable_stats st = { 0, 0 };
	const char *where = "";

	if (!m->auto_movable_ratio) {
		machine_trace(m, "auto-movable memory%llu: kernel zone: auto_movable_ratio is 0",
			      (unsigned long long)id);
		goto kernel_zone;
	}
	if (g && !g->is_dynamic) {
		max_pages = g->max_pages;
		online_pages = g->present_movable_pages;
		/* if anything of the group is kernel memory, the rest is too */
		if (g->present_kernel_pages) {
			machine_trace(m, "auto-movable memory%llu: kernel zone: its memory group (one DIMM) already has kernel memory",
				      (unsigned long long)id);
			goto kernel_zone;
		}
	} else {
		max_pages = nr_pages;
	}
	nr_pages = max_pages - online_pages;
	if (!auto_movable_can_online_movable(m, NUMA_NO_NODE, group, nr_pages, &st))
		goto refused;
	if (m->nr_node_ids > 1 && m->auto_movable_numa_aware &&
	    !auto_movable_can_online_movable(m, nid, group, nr_pages, &st)) {
		where = " on its node";
		goto refused;
	}
	machine_trace(m, "auto-movable memory%llu: Movable: movable %llu + %llu pages <= %u%% of %llu early kernel pages",
		      (unsigned long long)id, (unsigned long long)st.movable_pages,
		      (unsigned long long)nr_pages, m->auto_movable_ratio,
		      (unsigned long long)st.kernel_early_pages);
	return ZONE_MOVABLE;
refused:
	machine_trace(m, "auto-movable memory%llu: kernel zone: movable %llu + %llu pages%s would exceed %u%% of %llu early kernel pages",
		      (unsigned long long)id, (unsigned long long)st.movable_pages,
		      (unsigned long long)nr_pages, where, m->auto_movable_ratio,
		      (unsigned long long)st.kernel_early_pages);
kernel_zone:
	return default_kernel_zone_for_pfn(m, nid, pfn, nr_pages);
}

int zone_for_pfn_range(struct hotmem_machine *m, int online_type, int nid,
		       int group, uint64_t start_pfn, uint64_t nr_pages)
{
	if (online_type == HOTMEM_MMOP_ONLINE_KERNEL)
		return default_kernel_zone_for_pfn(m, nid, start_pfn, nr_pages);
	if (online_type == HOTMEM_MMOP_ONLINE_MOVABLE)
		return ZONE_MOVABLE;
	if (m->online_policy == HOTMEM_ONLINE_POLICY_AUTO_MOVABLE)
		return auto_movable_zone_for_pfn(m, nid, group, start_pfn, nr_pages);
	return default_zone_for_pfn(m, nid, start_pfn, nr_pages);
}

/* ---- online ----------------------------------------------------------- */

static void move_pfn_range_to_zone(struct hotmem_machine *m, int nid, int zid,
				   uint64_t start_pfn, uint64_t nr_pages,
				   enum migratetype mt)
{
	resize_zone_and_pgdat_range(m, nid, zid, start_pfn, nr_pages);
	set_pageblock_migratetype_range(m, start_pfn, nr_pages, mt);
}

static void remove_pfn_range_from_zone(struct hotmem_machine *m, int nid,
				       int zid, uint64_t start_pfn,
				       uint64_t nr_pages)
{
	if (zid == ZONE_DEVICE)
		return;
	shrink_zone_and_pgdat_span(m, nid, zid, start_pfn, start_pfn + nr_pages);
}

static void node_states_check_changes_online(struct hotmem_machine *m, int nid,
					     int zid, struct memory_notify *arg)
{
	arg->status_change_nid = node_state_memory(m, nid) ? -1 : nid;
	arg->status_change_nid_normal = -1;
	if (zid <= ZONE_NORMAL && !node_state_normal_memory(m, nid))
		arg->status_change_nid_normal = nid;
}

static int online_pages(struct hotmem_machine *m, uint64_t pfn, uint64_t nr_pages,
			int nid, int zid, int group)
{
	const struct hm_geometry *g = &m->geo;
	struct zone *zone = &m->nodes[nid].zones[zid];
	struct memory_notify arg;
	int ret;

	if (!nr_pages || (pfn & (g->pageblock_nr_pages - 1)) ||
	    ((pfn + nr_pages) & (g->pages_per_section - 1))) {
		machine_log(m, "WARNING: online_pages: misaligned range");
		return -EINVAL;
	}
	move_pfn_range_to_zone(m, nid, zid, pfn, nr_pages, MIGRATE_ISOLATE);

	memset(&arg, 0, sizeof(arg));
	arg.start_pfn = pfn;
	arg.nr_pages = nr_pages;
	node_states_check_changes_online(m, nid, zid, &arg);
	ret = memory_notify(m, MEM_GOING_ONLINE, &arg);
	if (ret) {
		/* the kernel's "online_pages [mem ...] failed" is pr_debug:
		 * Debian's 6.12 does not print it (dynamic debug is off) */
		memory_notify(m, MEM_CANCEL_ONLINE, &arg);
		remove_pfn_range_from_zone(m, nid, zid, pfn, nr_pages);
		set_pageblock_migratetype_range(m, pfn, nr_pages, MIGRATE_MOVABLE);
		return ret;
	}
	/* online_pages_range: every page goes to the buddy */
	zone->managed_pages += nr_pages;
	machine_trace(m, "  online_pages: %s managed +%llu, present +%llu (MemTotal +%llu kB)",
		      zone_names[zid], (unsigned long long)nr_pages,
		      (unsigned long long)nr_pages,
		      (unsigned long long)(nr_pages << (g->page_shift - 10)));
	online_mem_sections(m, pfn, pfn + nr_pages);
	adjust_present_page_count(m, nid, zid, pfn, group, (int64_t)nr_pages);
	set_pageblock_migratetype_range(m, pfn, nr_pages, MIGRATE_MOVABLE);
	init_per_zone_wmark_min(m);
	memory_notify(m, MEM_ONLINE, &arg);
	return 0;
}

/* mhp_init_memmap_on_memory: the vmemmap pages join the zone, self-hosted. */
static void mhp_init_memmap_on_memory(struct hotmem_machine *m, uint64_t pfn,
				      uint64_t nr_pages, int nid, int zid)
{
	uint64_t end = pfn + nr_pages;

	move_pfn_range_to_zone(m, nid, zid, pfn, nr_pages, MIGRATE_UNMOVABLE);
	machine_trace(m, "  mhp_init_memmap_on_memory pfn %#llx +%llu: memmap pages join %s, "
		      "self-hosted, never managed", (unsigned long long)pfn,
		      (unsigned long long)nr_pages, zone_names[zid]);
	if (nr_pages >= m->geo.pages_per_section)
		online_mem_sections(m, pfn, end & ~(m->geo.pages_per_section - 1));
}

static void mhp_deinit_memmap_on_memory(struct hotmem_machine *m, uint64_t pfn,
					uint64_t nr_pages, int nid, int zid)
{
	uint64_t end = pfn + nr_pages;

	if (nr_pages >= m->geo.pages_per_section)
		offline_mem_sections(m, pfn, end & ~(m->geo.pages_per_section - 1));
	remove_pfn_range_from_zone(m, nid, zid, pfn, nr_pages);
	machine_trace(m, "  mhp_deinit_memmap_on_memory pfn %#llx +%llu: memmap pages leave %s",
		      (unsigned long long)pfn, (unsigned long long)nr_pages, zone_names[zid]);
}

int memory_block_online(struct hotmem_machine *m, struct memory_block *mem)
{
	uint64_t start_pfn = memory_block_start_pfn(m, mem);
	uint64_t nr_pages = m->pages_per_block;
	uint64_t nr_vmemmap = mem->has_altmap ? mem->altmap.free : 0;
	struct memory_notify arg;
	int zid, ret;

	zid = zone_for_pfn_range(m, mem->online_type, mem->nid, mem->group,
				 start_pfn, nr_pages);
	machine_trace(m, "memory_block_online memory%llu: zone %s, %llu vmemmap pages on the block",
		      (unsigned long long)mem->id, zone_names[zid],
		      (unsigned long long)nr_vmemmap);
	memset(&arg, 0, sizeof(arg));
	arg.altmap_start_pfn = start_pfn;
	arg.altmap_nr_pages = nr_vmemmap;
	arg.start_pfn = start_pfn + nr_vmemmap;
	arg.nr_pages = nr_pages - nr_vmemmap;
	arg.status_change_nid = arg.status_change_nid_normal = -1;

	ret = memory_notify(m, MEM_PREPARE_ONLINE, &arg);
	if (ret)
		return ret;
	if (nr_vmemmap)
		mhp_init_memmap_on_memory(m, start_pfn, nr_vmemmap, mem->nid, zid);
	ret = online_pages(m, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap,
			   mem->nid, zid, mem->group);
	if (ret) {
		if (nr_vmemmap)
			mhp_deinit_memmap_on_memory(m, start_pfn, nr_vmemmap,
						    mem->nid, zid);
		memory_notify(m, MEM_FINISH_OFFLINE, &arg);
		return ret;
	}
	if (nr_vmemmap) {
		adjust_present_page_count(m, mem->nid, zid, start_pfn, mem->group,
					  (int64_t)nr_vmemmap);
		machine_trace(m, "  %s present +%llu (the vmemmap pages)", zone_names[zid],
			      (unsigned long long)nr_vmemmap);
	}
	mem->zone = zid;
	return 0;
}

/* ---- offline ---------------------------------------------------------- */

static void node_states_check_changes_offline(struct hotmem_machine *m, int nid,
					      int zid, uint64_t nr_pages,
					      struct memory_notify *arg)
{
	const struct pglist_data *pgdat = &m->nodes[nid];
	uint64_t present = 0;
	int z;

	arg->status_change_nid = -1;
	arg->status_change_nid_normal = -1;
	for (z = 0; z <= ZONE_NORMAL; z++)
		present += pgdat->zones[z].present_pages;
	if (zid <= ZONE_NORMAL && nr_pages >= present)
		arg->status_change_nid_normal = nid;
	present += pgdat->zones[ZONE_MOVABLE].present_pages;
	if (nr_pages >= present)
		arg->status_change_nid = nid;
}

static int offline_pages(struct hotmem_machine *m, uint64_t start_pfn,
			 uint64_t nr_pages, int nid, int zid, int group)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t end_pfn = start_pfn + nr_pages;
	struct zone *zone = &m->nodes[nid].zones[zid];
	struct memory_notify arg;
	const char *reason;
	int ret, pnid;

	if (!nr_pages || (start_pfn & (g->pageblock_nr_pages - 1)) ||
	    (end_pfn & (g->pages_per_section - 1))) {
		machine_log(m, "WARNING: offline_pages: misaligned range");
		return -EINVAL;
	}
	if (system_ram_pages(&m->iomem, start_pfn, end_pfn, g->page_shift) != nr_pages) {
		ret = -EINVAL;
		reason = "memory holes";
		goto failed_removal;
	}
	if (page_zonenum(m, start_pfn, &pnid) != zid ||
	    page_zonenum(m, end_pfn - 1, &pnid) != zid) {
		ret = -EINVAL;
		reason = "multizone range";
		goto failed_removal;
	}
	/* has_unmovable_pages: reserved pages and kernel allocations */
	if (extents_overlap(&m->extents, start_pfn, nr_pages)) {
		ret = -EBUSY;
		reason = "failure to isolate range";
		goto failed_removal;
	}
	memset(&arg, 0, sizeof(arg));
	arg.start_pfn = start_pfn;
	arg.nr_pages = nr_pages;
	node_states_check_changes_offline(m, nid, zid, nr_pages, &arg);
	ret = memory_notify(m, MEM_GOING_OFFLINE, &arg);
	if (ret) {
		reason = "notifier failure";
		memory_notify(m, MEM_CANCEL_OFFLINE, &arg);
		goto failed_removal;
	}
	/* nothing movable is allocated in the model: nothing to migrate */
	offline_mem_sections(m, start_pfn, end_pfn);
	set_pageblock_migratetype_range(m, start_pfn, nr_pages, MIGRATE_ISOLATE);
	zone->managed_pages -= nr_pages;
	adjust_present_page_count(m, nid, zid, start_pfn, group, -(int64_t)nr_pages);
	machine_trace(m, "  offline_pages: %s managed -%llu, present -%llu (MemTotal -%llu kB)",
		      zone_names[zid], (unsigned long long)nr_pages,
		      (unsigned long long)nr_pages,
		      (unsigned long long)(nr_pages << (g->page_shift - 10)));
	init_per_zone_wmark_min(m);
	memory_notify(m, MEM_OFFLINE, &arg);
	remove_pfn_range_from_zone(m, nid, zid, start_pfn, nr_pages);
	return 0;

failed_removal:
	/*
	 * The kernel's "memory offlining [mem ...] failed due to REASON" is
	 * pr_debug, which Debian's 6.12 does not print: dmesg stays silent,
	 * as on the real guest. reason names the failed check, as that
	 * message would.
	 */
	(void)reason;
	return ret;
}

int memory_block_offline(struct hotmem_machine *m, struct memory_block *mem)
{
	uint64_t start_pfn = memory_block_start_pfn(m, mem);
	uint64_t nr_pages = m->pages_per_block;
	uint64_t nr_vmemmap = mem->has_altmap ? mem->altmap.free : 0;
	struct memory_notify arg;
	int ret, zid = mem->zone;

	if (zid < 0)
		return -EINVAL;
	machine_trace(m, "memory_block_offline memory%llu: zone %s, %llu vmemmap pages on the block",
		      (unsigned long long)mem->id, zone_names[zid],
		      (unsigned long long)nr_vmemmap);
	if (nr_vmemmap)
		adjust_present_page_count(m, mem->nid, zid, start_pfn, mem->group,
					  -(int64_t)nr_vmemmap);
	ret = offline_pages(m, start_pfn + nr_vmemmap, nr_pages - nr_vmemmap,
			    mem->nid, zid, mem->group);
	if (ret) {
		if (nr_vmemmap &&
		    m->cfg.test_inject != HOTMEM_INJECT_OFFLINE_VMEMMAP_PRESENT)
			adjust_present_page_count(m, mem->nid, zid, start_pfn,
						  mem->group, (int64_t)nr_vmemmap);
		return ret;
	}
	if (nr_vmemmap)
		mhp_deinit_memmap_on_memory(m, start_pfn, nr_vmemmap, mem->nid, zid);
	mem->zone = -1;
	memset(&arg, 0, sizeof(arg));
	arg.altmap_start_pfn = start_pfn;
	arg.altmap_nr_pages = nr_vmemmap;
	arg.start_pfn = start_pfn + nr_vmemmap;
	arg.nr_pages = nr_pages - nr_vmemmap;
	arg.status_change_nid = arg.status_change_nid_normal = -1;
	memory_notify(m, MEM_FINISH_OFFLINE, &arg);
	return 0;
}

/* ---- add -------------------------------------------------------------- */

/*
 * The linear mapping of one arch_add_memory call, by page size: the
 * split depends on the call's range (per block with memmap_on_memory),
 * and removal undoes exactly what the same range added.
 */
static void direct_map_account(struct hotmem_machine *m, uint64_t start,
			       uint64_t size, int sign)
{
	uint64_t part[DM_NR] = { 0 };
	int i;

	m->direct_map_bytes += (uint64_t)sign * size;
	/* ppc64 radix: create_physical_mapping caps the page size at
	 * memory_block_size */
	arch_direct_map_split(&m->geo, start, start + size, m->block_size, part);
	for (i = 0; i < DM_NR; i++)
		m->direct_map_hot[i] += (uint64_t)sign * part[i];
}

void __remove_pages(struct hotmem_machine *m, uint64_t pfn,
			   uint64_t nr_pages, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t end = pfn + nr_pages;

	while (pfn < end) {
		uint64_t next = (pfn | (g->pages_per_section - 1)) + 1;
		uint64_t chunk = (next < end ? next : end) - pfn;

		sparse_remove_section(m, pfn, chunk, altmap);
		pfn += chunk;
	}
}

int __add_pages(struct hotmem_machine *m, int nid, uint64_t pfn,
		       uint64_t nr_pages, struct vmem_altmap *altmap)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t start = pfn, end = pfn + nr_pages;
	int ret;

	if (altmap) {
		if (altmap->base_pfn != pfn || vmem_altmap_offset(altmap) > nr_pages) {
			machine_log(m, "memory add fail, invalid altmap");
			return -EINVAL;
		}
		altmap->alloc = 0;
	}
	if ((pfn | nr_pages) & (g->pages_per_subsection - 1)) {
		machine_log(m, "WARNING: Misaligned __add_pages start: %#llx end: %#llx",
			    (unsigned long long)pfn, (unsigned long long)end);
		return -EINVAL;
	}
	while (pfn < end) {
		uint64_t next = (pfn | (g->pages_per_section - 1)) + 1;
		uint64_t chunk = (next < end ? next : end) - pfn;

		ret = sparse_add_section(m, nid, pfn, chunk, altmap);
		if (ret) {
			/* the kernel leaves these behind; the model undoes them */
			__remove_pages(m, start, pfn - start, altmap);
			return ret;
		}
		pfn += chunk;
	}
	return 0;
}

int arch_add_memory(struct hotmem_machine *m, int nid, uint64_t start,
			   uint64_t size, struct vmem_altmap *altmap)
{
	int ret;

	if (start + size > (1ull << m->geo.max_physmem_bits))
		return -ERANGE;
	ret = __add_pages(m, nid, PHYS_PFN(m, start), PHYS_PFN(m, size), altmap);
	if (ret)
		return ret;
	direct_map_account(m, start, size, 1);
	return 0;
}

void arch_remove_memory(struct hotmem_machine *m, uint64_t start,
			       uint64_t size, struct vmem_altmap *altmap)
{
	__remove_pages(m, PHYS_PFN(m, start), PHYS_PFN(m, size), altmap);
	direct_map_account(m, start, size, -1);
}

static void remove_memory_blocks_and_altmaps(struct hotmem_machine *m,
					     uint64_t start, uint64_t size)
{
	uint64_t cur;

	for (cur = start; cur < start + size; cur += m->block_size) {
		struct memory_block *mem = find_memory_block_by_pfn(m, PHYS_PFN(m, cur));
		struct vmem_altmap altmap = mem->altmap;

		mem->has_altmap = false;
		remove_memory_block_devices(m, cur, m->block_size);
		arch_remove_memory(m, cur, m->block_size, &altmap);
		if (altmap.alloc)
			machine_log(m, "WARNING: Altmap not fully unmapped");
	}
}

static int create_altmaps_and_memory_blocks(struct hotmem_machine *m, int nid,
					    int group, uint64_t start,
					    uint64_t size, unsigned int mhp_flags)
{
	uint64_t cur;
	int ret;

	for (cur = start; cur < start + size; cur += m->block_size) {
		struct vmem_altmap altmap;

		memset(&altmap, 0, sizeof(altmap));
		altmap.base_pfn = PHYS_PFN(m, cur);
		altmap.end_pfn = PHYS_PFN(m, cur + m->block_size) - 1;
		altmap.free = memory_block_memmap_on_memory_pages(m);
		altmap.inaccessible = !!(mhp_flags & MHP_OFFLINE_INACCESSIBLE);

		ret = arch_add_memory(m, nid, cur, m->block_size, &altmap);
		if (ret)
			goto out;
		ret = create_memory_block_devices(m, cur, m->block_size, &altmap, group);
		if (ret) {
			arch_remove_memory(m, cur, m->block_size, &altmap);
			goto out;
		}
	}
	return 0;
out:
	if (cur > start)
		remove_memory_blocks_and_altmaps(m, start, cur - start);
	return ret;
}

static void register_memory_blocks_under_node(struct hotmem_machine *m, int nid,
					      uint64_t start, uint64_t size)
{
	uint64_t cur;

	for (cur = start; cur < start + size; cur += m->block_size) {
		struct memory_block *mem = find_memory_block_by_pfn(m, PHYS_PFN(m, cur));

		mem->nid = nid;
		mem->node_mask = 1ull << nid;
	}
}

static int check_hotplug_memory_range(struct hotmem_machine *m, uint64_t start,
				      uint64_t size)
{
	if (!size || (start | size) & (m->block_size - 1)) {
		machine_log(m, "Block size [%#llx] unaligned hotplug range: start %#llx, size %#llx",
			    (unsigned long long)m->block_size,
			    (unsigned long long)start, (unsigned long long)size);
		return -EINVAL;
	}
	return 0;
}

static int add_memory_resource(struct hotmem_machine *m, int nid, uint64_t start,
			       uint64_t size, unsigned int mhp_flags)
{
	struct memory_group *group = NULL;
	bool new_node = false;
	int mgid = -1, ret;
	uint64_t cur;

	ret = check_hotplug_memory_range(m, start, size);
	if (ret)
		return ret;
	if (mhp_flags & MHP_NID_IS_MGID) {
		group = memory_group_find_by_id(m, nid);
		if (!group)
			return -EINVAL;
		mgid = group->id;
		nid = group->nid;
	}
	if (nid < 0 || (unsigned int)nid >= m->nr_node_ids || !m->nodes[nid].possible) {
		machine_log(m, "WARNING: node %d was absent from the node_possible_map", nid);
		return -EINVAL;
	}
	if (!m->nodes[nid].online)
		new_node = true;

	machine_trace(m, "add_memory_resource [mem %#llx-%#llx] node %d: memmap %s",
		      (unsigned long long)start, (unsigned long long)(start + size - 1), nid,
		      !(mhp_flags & MHP_MEMMAP_ON_MEMORY) ? "in memory already online (not requested on the block)" :
		      mhp_supports_memmap_on_memory(m) ? "on the hot-added memory (altmap)" :
		      "in memory already online (memmap_on_memory refused)");
	if ((mhp_flags & MHP_MEMMAP_ON_MEMORY) && mhp_supports_memmap_on_memory(m)) {
		ret = create_altmaps_and_memory_blocks(m, nid, mgid, start, size,
						       mhp_flags);
		if (ret)
			return ret;
	} else {
		ret = arch_add_memory(m, nid, start, size, NULL);
		if (ret)
			return ret;
		ret = create_memory_block_devices(m, start, size, NULL, mgid);
		if (ret) {
			arch_remove_memory(m, start, size, NULL);
			return ret;
		}
	}
	if (new_node) {
		m->nodes[nid].online = true;
		m->nodes[nid].pgdat_initialised = true;
	}
	register_memory_blocks_under_node(m, nid, start, size);

	/* auto-online: ascending; the walk stops at the first failure */
	if (m->auto_online_type != HOTMEM_MMOP_OFFLINE) {
		for (cur = start; cur < start + size; cur += m->block_size) {
			struct memory_block *mem =
				find_memory_block_by_pfn(m, PHYS_PFN(m, cur));

			mem->online_type = m->auto_online_type;
			if (device_online(m, mem))
				break;
		}
	}
	return 0;
}

int add_memory(struct hotmem_machine *m, int nid, uint64_t start, uint64_t size,
	       unsigned int mhp_flags, const char *res_name)
{
	uint64_t limit = 1ull << m->geo.max_physmem_bits;
	unsigned int flags = IORESOURCE_SYSRAM | IORESOURCE_BUSY;
	int res, ret;

	if (strcmp(res_name, "System RAM"))
		flags |= IORESOURCE_SYSRAM_DRIVER_MANAGED;
	if (!size || start >= limit || size > limit - start) {
		machine_log(m, "Hotplug memory [%#llx-%#llx] exceeds maximum addressable range [%#llx-%#llx]",
			    (unsigned long long)start,
			    (unsigned long long)(start + size),
			    0ull, (unsigned long long)(limit - 1));
		return -E2BIG;
	}
	ret = request_mem_region(&m->iomem, start, size, res_name, flags, &res);
	if (ret)
		return ret;
	ret = add_memory_resource(m, nid, start, size, mhp_flags);
	if (ret < 0)
		release_resource(&m->iomem, res);
	return ret;
}

/*
 * add_memory_driver_managed: memory a driver (dax/kmem, virtio-mem)
 * owns. Its resource must be named "System RAM (DRIVER)" so that
 * kexec tools and /proc/iomem readers can tell it from firmware RAM;
 * any other name is refused before anything changes.
 */
int add_memory_driver_managed(struct hotmem_machine *m, int nid, uint64_t start,
			      uint64_t size, const char *resource_name,
			      unsigned int mhp_flags)
{
	static const char prefix[] = "System RAM (";
	size_t len;

	if (!resource_name)
		return -EINVAL;
	len = strlen(resource_name);
	if (strncmp(resource_name, prefix, sizeof(prefix) - 1) ||
	    resource_name[len - 1] != ')')
		return -EINVAL;
	return add_memory(m, nid, start, size, mhp_flags, resource_name);
}

/* ---- remove ----------------------------------------------------------- */

static void try_offline_node(struct hotmem_machine *m, int nid)
{
	size_t i;

	if (m->nodes[nid].node_spanned_pages || m->nodes[nid].has_cpu)
		return;
	for (i = 0; i < m->nr_blocks; i++)
		if (m->blocks[i]->nid == nid)
			return;
	m->nodes[nid].online = false;
}

int try_remove_memory(struct hotmem_machine *m, uint64_t start, uint64_t size)
{
	uint64_t cur;
	int nid = NUMA_NO_NODE, res;
	size_t nr_altmaps = 0, nr = 0;

	for (cur = start; cur < start + size; cur += m->block_size) {
		struct memory_block *mem = find_memory_block_by_pfn(m, PHYS_PFN(m, cur));

		if (!mem)
			continue;
		if (mem->state != MEM_OFFLINE) {
			machine_log(m, "removing memory fails, because memory [0x%016llx-0x%016llx] is onlined",
				    (unsigned long long)cur,
				    (unsigned long long)(cur + m->block_size - 1));
			return -EBUSY;
		}
		nid = mem->nid;
		nr++;
		if (mem->has_altmap)
			nr_altmaps++;
	}
	if (m->memmap_on_memory != HOTMEM_MEMMAP_ON_MEMORY_DISABLE &&
	    nr_altmaps && nr_altmaps != nr) {
		machine_log(m, "WARNING: mixed memmap_on_memory blocks in removal range");
		return -EINVAL;
	}
	machine_trace(m, "try_remove_memory [mem %#llx-%#llx]", (unsigned long long)start,
		      (unsigned long long)(start + size - 1));
	if (nr_altmaps) {
		remove_memory_blocks_and_altmaps(m, start, size);
	} else {
		remove_memory_block_devices(m, start, size);
		arch_remove_memory(m, start, size, NULL);
	}
	res = find_busy_resource(&m->iomem, start, start + size - 1);
	if (res >= 0)
		release_resource(&m->iomem, res);
	if (nid != NUMA_NO_NODE)
		try_offline_node(m, nid);
	return 0;
}
