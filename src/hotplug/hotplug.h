/*
 * hotplug.h - the memory hotplug core: memory blocks and groups
 * (drivers/base/memory.c), add/remove and online/offline
 * (mm/memory_hotplug.c), zone selection policies and the memory
 * notifier chain.
 *
 * Contract: every operation either completes or returns -errno with the
 * machine as it was before (the kernel's rollback, made exact). Model
 * functions carry the kernel's names.
 * Expected workload: blocks number up to tens of thousands.
 */
#ifndef HOTMEM_HOTPLUG_H
#define HOTMEM_HOTPLUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../mm/vmemmap.h"

struct hotmem_machine;

/* Memory block states (values as the kernel's MEM_* bits). */
#define MEM_ONLINE		(1 << 0)
#define MEM_GOING_OFFLINE	(1 << 1)
#define MEM_OFFLINE		(1 << 2)
#define MEM_GOING_ONLINE	(1 << 3)
#define MEM_CANCEL_ONLINE	(1 << 4)
#define MEM_CANCEL_OFFLINE	(1 << 5)
#define MEM_PREPARE_ONLINE	(1 << 6)
#define MEM_FINISH_OFFLINE	(1 << 7)

/* add_memory flags (mhp_t) */
#define MHP_NONE			0u
#define MHP_MERGE_RESOURCE		(1u << 0)
#define MHP_MEMMAP_ON_MEMORY		(1u << 1)
#define MHP_NID_IS_MGID			(1u << 2)
#define MHP_OFFLINE_INACCESSIBLE	(1u << 3)

#define NUMA_NO_NODE (-1)

struct memory_block {
	uint64_t id;
	int state;
	int online_type;	/* enum hotmem_online_type, transient */
	int nid;
	int zone;		/* mem->zone: zone index on nid, -1 = NULL */
	int group;		/* memory group id, -1 = none */
	int acpi_device;	/* firmware_node: index of the ACPI device, -1 */
	bool has_altmap;
	struct vmem_altmap altmap;
	bool early;		/* created at boot (memory_dev_init) */
	bool multi_node;	/* boot block linked to several nodes */
	uint64_t node_mask;	/* nodes linked (sysfs nodeN links) */
};

struct memory_group {
	int id;
	int nid;
	bool is_dynamic;
	uint64_t max_pages;	/* static */
	uint64_t unit_pages;	/* dynamic */
	uint64_t present_kernel_pages;
	uint64_t present_movable_pages;
	unsigned int nr_blocks;
	bool used;
};

struct memory_notify {
	uint64_t altmap_start_pfn, altmap_nr_pages;
	uint64_t start_pfn, nr_pages;
	int status_change_nid_normal;
	int status_change_nid;
};

/* Who a chain entry is: a failure injector or an arch's own notifier. */
enum memory_notifier_kind {
	MEMORY_NOTIFIER_FAIL = 0,	/* hotmem_notifier_fail: vetoes `events` */
	MEMORY_NOTIFIER_SCLP,		/* s390 sclp_mem_notifier */
	MEMORY_NOTIFIER_ARM64_BOOTMEM,	/* arm64 prevent_bootmem_remove_notifier */
	MEMORY_NOTIFIER_ERR_INJECT,	/* memory-notifier-error-inject's debugfs errors */
};

struct memory_notifier {
	int kind;		/* enum memory_notifier_kind */
	int priority;
	unsigned long events;	/* mask of MEM_* the failure applies to */
	int err;		/* negative errno returned for those events */
	unsigned int remaining;	/* 0 = forever */
	bool used;
};

/* blocks */
struct memory_block *find_memory_block_by_id(const struct hotmem_machine *m,
					     uint64_t id);
struct memory_block *find_memory_block_by_pfn(const struct hotmem_machine *m,
					      uint64_t pfn);
uint64_t memory_block_start_pfn(const struct hotmem_machine *m,
				const struct memory_block *mem);
int create_memory_block_devices(struct hotmem_machine *m, uint64_t start,
				uint64_t size, const struct vmem_altmap *altmap,
				int group);
void remove_memory_block_devices(struct hotmem_machine *m, uint64_t start,
				 uint64_t size);
int memory_dev_init(struct hotmem_machine *m);

/* groups */
int memory_group_register_static(struct hotmem_machine *m, int nid,
				 uint64_t max_pages);
int memory_group_unregister(struct hotmem_machine *m, int mgid);
struct memory_group *memory_group_find_by_id(struct hotmem_machine *m, int mgid);

/* device core + state machine */
int device_online(struct hotmem_machine *m, struct memory_block *mem);
int device_offline(struct hotmem_machine *m, struct memory_block *mem);
int memory_block_change_state(struct hotmem_machine *m, struct memory_block *mem,
			      int to_state, int from_state_req);

/* zones */
int zone_for_pfn_range(struct hotmem_machine *m, int online_type, int nid,
		       int group, uint64_t start_pfn, uint64_t nr_pages);

/* add / remove */
int add_memory(struct hotmem_machine *m, int nid, uint64_t start, uint64_t size,
	       unsigned int mhp_flags, const char *res_name);
int add_memory_driver_managed(struct hotmem_machine *m, int nid, uint64_t start,
			      uint64_t size, const char *resource_name,
			      unsigned int mhp_flags);
int try_remove_memory(struct hotmem_machine *m, uint64_t start, uint64_t size);

/* The arch layer, also used by memremap_pages (ZONE_DEVICE). */
int __add_pages(struct hotmem_machine *m, int nid, uint64_t pfn,
		uint64_t nr_pages, struct vmem_altmap *altmap);
void __remove_pages(struct hotmem_machine *m, uint64_t pfn, uint64_t nr_pages,
		    struct vmem_altmap *altmap);
int arch_add_memory(struct hotmem_machine *m, int nid, uint64_t start,
		    uint64_t size, struct vmem_altmap *altmap);
void arch_remove_memory(struct hotmem_machine *m, uint64_t start, uint64_t size,
			struct vmem_altmap *altmap);

/* notifier chain */
int register_memory_notifier(struct hotmem_machine *m,
			     const struct memory_notifier *nb);
int memory_notify(struct hotmem_machine *m, unsigned long event,
		  const struct memory_notify *arg);
const char *memory_event_name(unsigned long event);
/* The error-injection actions, in debugfs order: MEM_GOING_ONLINE, MEM_GOING_OFFLINE. */
extern const unsigned long memory_nei_events[2];
unsigned long memory_event_from_name(const char *name);

#endif
