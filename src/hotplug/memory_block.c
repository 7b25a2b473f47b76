/*
 * memory_block.c - memory block devices, memory groups and the block
 * state machine (drivers/base/memory.c, drivers/base/core.c's
 * device_online/device_offline), and the memory notifier chain.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"

/* ---- blocks ----------------------------------------------------------- */

static size_t block_index_lower_bound(const struct hotmem_machine *m, uint64_t id)
{
	size_t lo = 0, hi = m->nr_blocks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (m->blocks[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct memory_block *find_memory_block_by_id(const struct hotmem_machine *m,
					     uint64_t id)
{
	size_t i = block_index_lower_bound(m, id);

	if (i < m->nr_blocks && m->blocks[i]->id == id)
		return m->blocks[i];
	return NULL;
}

struct memory_block *find_memory_block_by_pfn(const struct hotmem_machine *m,
					      uint64_t pfn)
{
	return find_memory_block_by_id(m, pfn / m->pages_per_block);
}

uint64_t memory_block_start_pfn(const struct hotmem_machine *m,
				const struct memory_block *mem)
{
	return mem->id * m->pages_per_block;
}

static int add_memory_block(struct hotmem_machine *m, uint64_t id, int state,
			    const struct vmem_altmap *altmap, int group)
{
	struct memory_block *mem;
	size_t i = block_index_lower_bound(m, id);

	if (i < m->nr_blocks && m->blocks[i]->id == id)
		return -EEXIST;
	if (m->nr_blocks == m->alloc_blocks) {
		size_t n = m->alloc_blocks ? m->alloc_blocks * 2 : 64;
		struct memory_block **p = realloc(m->blocks, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		m->blocks = p;
		m->alloc_blocks = n;
	}
	mem = calloc(1, sizeof(*mem));
	if (!mem)
		return -ENOMEM;
	mem->id = id;
	mem->state = state;
	mem->online_type = HOTMEM_MMOP_OFFLINE;
	mem->nid = NUMA_NO_NODE;
	mem->zone = -1;
	mem->group = group;
	mem->acpi_device = -1;
	if (altmap) {
		mem->has_altmap = true;
		mem->altmap = *altmap;
	}
	memmove(&m->blocks[i + 1], &m->blocks[i],
		(m->nr_blocks - i) * sizeof(*m->blocks));
	m->blocks[i] = mem;
	machine_trace(m, "  memory%llu created, %s", (unsigned long long)id,
		      state == MEM_ONLINE ? "online" : "offline");
	m->nr_blocks++;
	if (group >= 0)
		memory_group_find_by_id(m, group)->nr_blocks++;
	return 0;
}

static void remove_memory_block(struct hotmem_machine *m, uint64_t id)
{
	size_t i = block_index_lower_bound(m, id);
	struct memory_block *mem;

	if (i >= m->nr_blocks || m->blocks[i]->id != id)
		return;
	mem = m->blocks[i];
	if (mem->group >= 0) {
		struct memory_group *g = memory_group_find_by_id(m, mem->group);

		if (g)
			g->nr_blocks--;
	}
	memmove(&m->blocks[i], &m->blocks[i + 1],
		(m->nr_blocks - i - 1) * sizeof(*m->blocks));
	m->nr_blocks--;
	machine_trace(m, "  memory%llu removed", (unsigned long long)id);
	free(mem);
}

int create_memory_block_devices(struct hotmem_machine *m, uint64_t start,
				uint64_t size, const struct vmem_altmap *altmap,
				int group)
{
	uint64_t first = start / m->block_size, last = (start + size) / m->block_size;
	uint64_t id;
	int ret;

	if ((start | size) & (m->block_size - 1))
		return -EINVAL;
	for (id = first; id < last; id++) {
		ret = add_memory_block(m, id, MEM_OFFLINE, altmap, group);
		if (ret) {
			while (id-- > first)
				remove_memory_block(m, id);
			return ret;
		}
	}
	return 0;
}

void remove_memory_block_devices(struct hotmem_machine *m, uint64_t start,
				 uint64_t size)
{
	uint64_t id, first = start / m->block_size, last = (start + size) / m->block_size;

	for (id = first; id < last; id++)
		remove_memory_block(m, id);
}

/*
 * Boot: one online block per block-sized range holding a present
 * section, linked to the nodes of its RAM; mem->zone is the single
 * populated zone of its node intersecting it, else NULL.
 */
int memory_dev_init(struct hotmem_machine *m)
{
	const struct hm_geometry *g = &m->geo;
	uint64_t snr;
	size_t i;
	int ret;

	if (!m->sparse.any_present)
		return 0;
	for (snr = 0; snr <= m->sparse.highest_present_section_nr;
	     snr += m->sections_per_block) {
		uint64_t s;
		bool present = false;

		for (s = snr; s < snr + m->sections_per_block; s++)
			if (present_section(nr_to_section(&m->sparse, g, s)))
				present = true;
		if (!present)
			continue;
		ret = add_memory_block(m, snr / m->sections_per_block, MEM_ONLINE,
				       NULL, -1);
		if (ret)
			return ret;
		find_memory_block_by_id(m, snr / m->sections_per_block)->early = true;
	}
	/* register_memory_blocks_under_node (early): per RAM range */
	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t id;

		for (id = r->start_pfn / m->pages_per_block;
		     id <= (r->end_pfn - 1) / m->pages_per_block; id++) {
			struct memory_block *mem = find_memory_block_by_id(m, id);
			uint64_t start = id * m->pages_per_block;
			int z, found = -1, nfound = 0;

			if (!mem)
				continue;
			if (mem->nid != NUMA_NO_NODE && mem->nid != r->nid) {
				mem->multi_node = true;
				mem->zone = -1;
			}
			if (mem->nid == NUMA_NO_NODE) {
				for (z = 0; z < ZONE_DEVICE; z++) {
					const struct zone *zone = &m->nodes[r->nid].zones[z];

					if (populated_zone(zone) &&
					    zone_intersects(zone, start, m->pages_per_block)) {
						found = z;
						nfound++;
					}
				}
				mem->zone = nfound == 1 ? found : -1;
			}
			mem->nid = r->nid;
			mem->node_mask |= 1ull << r->nid;
		}
	}
	return 0;
}

/* ---- groups ----------------------------------------------------------- */

struct memory_group *memory_group_find_by_id(struct hotmem_machine *m, int mgid)
{
	if (mgid < 0 || (size_t)mgid >= m->nr_groups || !m->groups[mgid].used)
		return NULL;
	return &m->groups[mgid];
}

int memory_group_register_static(struct hotmem_machine *m, int nid,
				 uint64_t max_pages)
{
	size_t id;

	if (!max_pages)
		return -EINVAL;
	if (nid < 0 || (unsigned int)nid >= m->nr_node_ids || !m->nodes[nid].possible)
		return -EINVAL;
	for (id = 0; id < m->nr_groups; id++)
		if (!m->groups[id].used)
			break;
	if (id == m->nr_groups) {
		struct memory_group *p = realloc(m->groups, (id + 1) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		m->groups = p;
		m->nr_groups++;
	}
	memset(&m->groups[id], 0, sizeof(m->groups[id]));
	m->groups[id].id = (int)id;
	m->groups[id].nid = nid;
	m->groups[id].max_pages = max_pages;
	m->groups[id].used = true;
	return (int)id;
}

int memory_group_unregister(struct hotmem_machine *m, int mgid)
{
	struct memory_group *g = memory_group_find_by_id(m, mgid);

	if (!g)
		return -EINVAL;
	if (g->nr_blocks)
		return -EBUSY;
	g->used = false;
	/* keep ids stable: trailing unused entries may go */
	while (m->nr_groups && !m->groups[m->nr_groups - 1].used)
		m->nr_groups--;
	return 0;
}

/* ---- notifier chain --------------------------------------------------- */

static const struct {
	unsigned long event;
	const char *name;
} memory_events[] = {
	{ MEM_ONLINE, "MEM_ONLINE" },
	{ MEM_GOING_OFFLINE, "MEM_GOING_OFFLINE" },
	{ MEM_OFFLINE, "MEM_OFFLINE" },
	{ MEM_GOING_ONLINE, "MEM_GOING_ONLINE" },
	{ MEM_CANCEL_ONLINE, "MEM_CANCEL_ONLINE" },
	{ MEM_CANCEL_OFFLINE, "MEM_CANCEL_OFFLINE" },
	{ MEM_PREPARE_ONLINE, "MEM_PREPARE_ONLINE" },
	{ MEM_FINISH_OFFLINE, "MEM_FINISH_OFFLINE" },
};

const char *memory_event_name(unsigned long event)
{
	size_t i;

	for (i = 0; i < sizeof(memory_events) / sizeof(memory_events[0]); i++)
		if (memory_events[i].event == event)
			return memory_events[i].name;
	return "MEM_?";
}

unsigned long memory_event_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(memory_events) / sizeof(memory_events[0]); i++)
		if (!strcmp(memory_events[i].name, name))
			return memory_events[i].event;
	return 0;
}

/* Only these events can veto; the others' return values are ignored. */
static bool memory_event_can_veto(unsigned long event)
{
	return event == MEM_GOING_ONLINE || event == MEM_GOING_OFFLINE ||
	       event == MEM_PREPARE_ONLINE;
}

const unsigned long memory_nei_events[2] = { MEM_GOING_ONLINE, MEM_GOING_OFFLINE };

/*
 * register_memory_notifier: keep the chain sorted by descending
 * priority; a new entry goes after those of the same priority.
 */
int register_memory_notifier(struct hotmem_machine *m,
			     const struct memory_notifier *nb)
{
	struct memory_notifier *p;
	size_t i;

	p = realloc(m->notifiers, (m->nr_notifiers + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	m->notifiers = p;
	for (i = 0; i < m->nr_notifiers; i++)
		if (p[i].used && p[i].priority < nb->priority)
			break;
	memmove(&p[i + 1], &p[i], (m->nr_notifiers - i) * sizeof(*p));
	p[i] = *nb;
	p[i].used = true;
	m->nr_notifiers++;
	return 0;
}

static const char *notifier_name(const struct memory_notifier *n)
{
	switch (n->kind) {
	case MEMORY_NOTIFIER_SCLP:
		return "sclp_mem_notifier";
	case MEMORY_NOTIFIER_ARM64_BOOTMEM:
		return "prevent_bootmem_remove_notifier";
	case MEMORY_NOTIFIER_ERR_INJECT:
		return "notifier_err_inject_callback";
	default:
		return "notifier-fail";
	}
}

/* One callback; its return as an errno (0 = NOTIFY_OK / NOTIFY_DONE). */
static int call_notifier(struct hotmem_machine *m, struct memory_notifier *n,
			 unsigned long event, const struct memory_notify *arg)
{
	switch (n->kind) {
	case MEMORY_NOTIFIER_SCLP:
		return sclp_mem_notifier(m, event, arg);
	case MEMORY_NOTIFIER_ARM64_BOOTMEM:
		return prevent_bootmem_remove_notifier(m, event, arg);
	case MEMORY_NOTIFIER_ERR_INJECT: {
		/* lib/notifier-error-inject.c: the action's error, logged */
		size_t a;

		for (a = 0; a < 2; a++)
			if (memory_nei_events[a] == event && m->nei_error[a]) {
				machine_log(m, "Injecting error (%d) to %s",
					    m->nei_error[a], memory_event_name(event));
				return m->nei_error[a];
			}
		return 0;
	}
	default:
		if (!(n->events & event))
			return 0;
		if (n->remaining && --n->remaining == 0)
			n->used = false;
		return n->err;
	}
}

/*
 * Call the chain in priority order; the first callback returning a
 * STOP-bit value (any error) ends it. Returns the notifier_to_errno()
 * value, for the events whose veto the core honours.
 */
int memory_notify(struct hotmem_machine *m, unsigned long event,
		  const struct memory_notify *arg)
{
	size_t i;
	int ret = 0;

	if (event == MEM_PREPARE_ONLINE || event == MEM_FINISH_OFFLINE)
		machine_trace(m, "%s altmap_start_pfn=%#llx altmap_nr_pages=%llu "
			      "start_pfn=%#llx nr_pages=%llu", memory_event_name(event),
			      (unsigned long long)arg->altmap_start_pfn,
			      (unsigned long long)arg->altmap_nr_pages,
			      (unsigned long long)arg->start_pfn,
			      (unsigned long long)arg->nr_pages);
	else
		machine_trace(m, "%s start_pfn=%#llx nr_pages=%llu status_change_nid=%d "
			      "status_change_nid_normal=%d", memory_event_name(event),
			      (unsigned long long)arg->start_pfn,
			      (unsigned long long)arg->nr_pages, arg->status_change_nid,
			      arg->status_change_nid_normal);
	/* the memory-tier callback (priority 100) runs before priority 0 */
	if (event == MEM_ONLINE || event == MEM_OFFLINE)
		memtier_hotplug_callback(m, event, arg);
	for (i = 0; i < m->nr_notifiers; i++) {
		struct memory_notifier *n = &m->notifiers[i];

		if (!n->used)
			continue;
		ret = call_notifier(m, n, event, arg);
		if (!ret)
			continue;
		machine_trace(m, "  %s (priority %d) returns %s for %s", notifier_name(n),
			      n->priority, hotmem_errno_name(ret) ?
			      hotmem_errno_name(ret) : "?", memory_event_name(event));
		break;
	}
	return memory_event_can_veto(event) ? ret : 0;
}

/* ---- state machine ---------------------------------------------------- */

int memory_block_online(struct hotmem_machine *m, struct memory_block *mem);
int memory_block_offline(struct hotmem_machine *m, struct memory_block *mem);

int memory_block_change_state(struct hotmem_machine *m, struct memory_block *mem,
			      int to_state, int from_state_req)
{
	int ret;

	if (mem->state != from_state_req)
		return -EINVAL;
	if (to_state == MEM_OFFLINE)
		mem->state = MEM_GOING_OFFLINE;
	ret = to_state == MEM_ONLINE ? memory_block_online(m, mem) :
				       memory_block_offline(m, mem);
	mem->state = ret ? from_state_req : to_state;
	return ret;
}

static int memory_subsys_online(struct hotmem_machine *m, struct memory_block *mem)
{
	int ret;

	if (mem->state == MEM_ONLINE)
		return 0;
	if (mem->online_type == HOTMEM_MMOP_OFFLINE)
		mem->online_type = HOTMEM_MMOP_ONLINE;
	ret = memory_block_change_state(m, mem, MEM_ONLINE, MEM_OFFLINE);
	mem->online_type = HOTMEM_MMOP_OFFLINE;
	return ret;
}

static int memory_subsys_offline(struct hotmem_machine *m, struct memory_block *mem)
{
	if (mem->state == MEM_OFFLINE)
		return 0;
	return memory_block_change_state(m, mem, MEM_OFFLINE, MEM_ONLINE);
}

/* dev.offline mirrors state == MEM_OFFLINE; "already" returns 1. */
int device_online(struct hotmem_machine *m, struct memory_block *mem)
{
	if (mem->state != MEM_OFFLINE)
		return 1;
	return memory_subsys_online(m, mem);
}

int device_offline(struct hotmem_machine *m, struct memory_block *mem)
{
	if (mem->state == MEM_OFFLINE)
		return 1;
	return memory_subsys_offline(m, mem);
}
