/*
 * mmzone.h - nodes (pglist_data), zones and the page allocator's view
 * of memory, at extent granularity.
 *
 * Contract: a zone keeps the kernel's counters (span, present,
 * present_early, managed). Memory in use is a sorted vector of extents
 * (reserved at boot, or allocated by the kernel), never per page; a
 * zone's free pages are its managed pages minus its allocated extents.
 * Allocation follows the GFP_KERNEL zonelist of a node (Normal, DMA32,
 * DMA, then the other nodes nearest first) and places the extent at the
 * lowest suitably aligned free address of the zone: the model's stand-in
 * for the buddy allocator's head-of-list choice after memory was freed
 * to the tail in address order.
 * Expected workload: tens to a few thousand extents.
 */
#ifndef HOTMEM_MMZONE_H
#define HOTMEM_MMZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hotmem_machine;

enum zone_type {
	ZONE_DMA = 0,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	MAX_NR_ZONES,
};

extern const char *const zone_names[MAX_NR_ZONES];

struct zone {
	uint64_t zone_start_pfn;
	uint64_t spanned_pages;
	uint64_t present_pages;
	uint64_t present_early_pages;
	uint64_t managed_pages;
	uint64_t nr_isolate_pageblock;
	uint64_t watermark[4];		/* WMARK_MIN, LOW, HIGH, PROMO */
	long lowmem_reserve[MAX_NR_ZONES];
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO };

struct pglist_data {
	struct zone zones[MAX_NR_ZONES];
	uint64_t node_start_pfn;
	uint64_t node_spanned_pages;
	uint64_t node_present_pages;
	bool possible;
	bool online;		/* node_online(): nodeN exists in sysfs */
	bool pgdat_initialised;	/* hot-add initialised it (may stay offline) */
	bool has_cpu;
};

enum extent_kind {
	EXTENT_RESERVED,	/* memblock reserved at boot: present, not managed */
	EXTENT_KERNEL,		/* allocated from the buddy: managed, not free, unmovable */
	/* a CMA area: managed and free, but never given to kernel
	 * allocations, and unmovable to memory offlining (has_unmovable_pages) */
	EXTENT_CMA,
};

struct page_extent {
	uint64_t pfn, nr;
	uint8_t kind;		/* enum extent_kind */
	uint8_t zone;
	int16_t nid;
};

struct extent_vec {
	struct page_extent *v;
	size_t n, alloc;
};

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline uint64_t zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool zone_is_empty(const struct zone *z)
{
	return z->spanned_pages == 0;
}

static inline bool zone_intersects(const struct zone *z, uint64_t start,
				   uint64_t nr)
{
	if (zone_is_empty(z))
		return false;
	return start < zone_end_pfn(z) && start + nr > z->zone_start_pfn;
}

int extents_insert(struct extent_vec *ev, struct page_extent e);
/* Remove [pfn, pfn+nr) from the extents (splitting as needed). */
int extents_remove(struct extent_vec *ev, uint64_t pfn, uint64_t nr);
/* True if any extent overlaps [pfn, pfn+nr). */
bool extents_overlap(const struct extent_vec *ev, uint64_t pfn, uint64_t nr);
/* Pages of extents of a kind in (nid, zone). */
uint64_t extents_pages(const struct extent_vec *ev, int nid, int zone,
		       enum extent_kind kind);
int extents_clone(struct extent_vec *dst, const struct extent_vec *src);

uint64_t zone_free_pages(const struct hotmem_machine *m, int nid, int zone);
/*
 * The free pages of (nid, zone) as runs [lo, end) in pfn order: its
 * online RAM minus every extent; fn's nonzero return stops the walk.
 */
int zone_free_ranges(const struct hotmem_machine *m, int nid, int zone,
		     int (*fn)(void *ctx, uint64_t lo, uint64_t end), void *ctx);

/*
 * Allocate 2^order pages for the kernel, as alloc_pages_node(nid,
 * GFP_KERNEL): returns 0 and the first pfn and node, or -ENOMEM.
 */
int alloc_pages_node(struct hotmem_machine *m, int nid, unsigned int order,
		     uint64_t *pfn, int *got_nid);
void free_pages_extent(struct hotmem_machine *m, uint64_t pfn, uint64_t nr);

/* Zone/node span growth (move_pfn_range_to_zone without page init). */
void resize_zone_and_pgdat_range(struct hotmem_machine *m, int nid, int zid,
				 uint64_t start_pfn, uint64_t nr_pages);
void shrink_zone_and_pgdat_span(struct hotmem_machine *m, int nid, int zid,
				uint64_t start_pfn, uint64_t end_pfn);
void adjust_present_page_count(struct hotmem_machine *m, int nid, int zid,
			       uint64_t pfn, int group, int64_t nr);

/* The boot zone of a RAM pfn, from the profile's zone limits. */
int boot_zone_of_pfn(const struct hotmem_machine *m, uint64_t pfn);

/* The zone (of node nid) an online pfn belongs to, or -1. */
int page_zonenum(const struct hotmem_machine *m, uint64_t pfn, int *nid);

/*
 * init_per_zone_wmark_min: min_free_kbytes from the free buffer pages
 * (which subtract the current high watermarks: the result depends on
 * history, as in the kernel), then every zone's watermarks and
 * lowmem_reserve. Called at boot and after every online/offline.
 */
void init_per_zone_wmark_min(struct hotmem_machine *m);

/* Node states, derived from present pages. */
bool node_state_memory(const struct hotmem_machine *m, int nid);
bool node_state_normal_memory(const struct hotmem_machine *m, int nid);

#endif
