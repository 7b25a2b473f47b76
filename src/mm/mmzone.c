/*
 * mmzone.c - zones, nodes and the page allocator at extent granularity
 * (mm/page_alloc.c, mm/memory_hotplug.c span helpers, mm/mm_init.c).
 */
#include "mmzone.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"

const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

/* Index of the first extent whose end lies after pfn. */
static size_t extents_lower_bound(const struct extent_vec *ev, uint64_t pfn)
{
	size_t lo = 0, hi = ev->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ev->v[mid].pfn + ev->v[mid].nr <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int extents_reserve(struct extent_vec *ev, size_t extra)
{
	size_t n;
	struct page_extent *p;

	if (ev->n + extra <= ev->alloc)
		return 0;
	n = ev->alloc ? ev->alloc * 2 : 16;
	while (n < ev->n + extra)
		n *= 2;
	p = realloc(ev->v, n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	ev->v = p;
	ev->alloc = n;
	return 0;
}

static bool extents_mergeable(const struct page_extent *a,
			      const struct page_extent *b)
{
	return a->kind == b->kind && a->zone == b->zone && a->nid == b->nid &&
	       a->pfn + a->nr == b->pfn;
}

int extents_insert(struct extent_vec *ev, struct page_extent e)
{
	size_t i = extents_lower_bound(ev, e.pfn);

	if (i < ev->n && ev->v[i].pfn < e.pfn + e.nr)
		return -EEXIST;
	if (i > 0 && extents_mergeable(&ev->v[i - 1], &e)) {
		ev->v[i - 1].nr += e.nr;
		if (i < ev->n && extents_mergeable(&ev->v[i - 1], &ev->v[i])) {
			ev->v[i - 1].nr += ev->v[i].nr;
			memmove(&ev->v[i], &ev->v[i + 1],
				(ev->n - i - 1) * sizeof(e));
			ev->n--;
		}
		return 0;
	}
	if (i < ev->n && extents_mergeable(&e, &ev->v[i])) {
		ev->v[i].pfn = e.pfn;
		ev->v[i].nr += e.nr;
		return 0;
	}
	if (extents_reserve(ev, 1))
		return -ENOMEM;
	memmove(&ev->v[i + 1], &ev->v[i], (ev->n - i) * sizeof(e));
	ev->v[i] = e;
	ev->n++;
	return 0;
}

int extents_remove(struct extent_vec *ev, uint64_t pfn, uint64_t nr)
{
	uint64_t end = pfn + nr;
	size_t i;

	/* a split needs one more slot: reserve first so failure changes nothing */
	if (extents_reserve(ev, 1))
		return -ENOMEM;
	i = extents_lower_bound(ev, pfn);
	while (i < ev->n && ev->v[i].pfn < end) {
		struct page_extent *e = &ev->v[i];
		uint64_t eend = e->pfn + e->nr;

		if (e->pfn < pfn && eend > end) {
			struct page_extent tail = *e;

			tail.pfn = end;
			tail.nr = eend - end;
			e->nr = pfn - e->pfn;
			memmove(&ev->v[i + 2], &ev->v[i + 1],
				(ev->n - i - 1) * sizeof(*e));
			ev->v[i + 1] = tail;
			ev->n++;
			return 0;
		}
		if (e->pfn < pfn) {
			e->nr = pfn - e->pfn;
			i++;
		} else if (eend > end) {
			e->nr = eend - end;
			e->pfn = end;
			i++;
		} else {
			memmove(&ev->v[i], &ev->v[i + 1],
				(ev->n - i - 1) * sizeof(*e));
			ev->n--;
		}
	}
	return 0;
}

bool extents_overlap(const struct extent_vec *ev, uint64_t pfn, uint64_t nr)
{
	size_t i = extents_lower_bound(ev, pfn);

	return i < ev->n && ev->v[i].pfn < pfn + nr;
}

uint64_t extents_pages(const struct extent_vec *ev, int nid, int zone,
		       enum extent_kind kind)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (ev->v[i].nid == nid && ev->v[i].zone == zone &&
		    ev->v[i].kind == kind)
			sum += ev->v[i].nr;
	return sum;
}

int extents_clone(struct extent_vec *dst, const struct extent_vec *src)
{
	dst->n = src->n;
	dst->alloc = src->n ? src->n : 1;
	dst->v = malloc(dst->alloc * sizeof(*dst->v));
	if (!dst->v)
		return -ENOMEM;
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	return 0;
}

uint64_t zone_free_pages(const struct hotmem_machine *m, int nid, int zone)
{
	uint64_t managed = m->nodes[nid].zones[zone].managed_pages;
	uint64_t used = extents_pages(&m->extents, nid, zone, EXTENT_KERNEL);

	return managed > used ? managed - used : 0;
}

/*
 * Zone a pfn of an online block belongs to when the block has no single
 * zone: the profile's boot zone limits (x86: DMA below 16M, DMA32 below
 * 4G; s390 DMA below 2G; arm64 DMA below 4G; riscv64 DMA32 below 4G;
 * ppc64 none), a limit of 0 meaning the build has no such zone.
 */
int boot_zone_of_pfn(const struct hotmem_machine *m, uint64_t pfn)
{
	const struct arch_profile *p = m->geo.profile;
	uint64_t addr = PFN_PHYS(m, pfn);

	if (addr < p->zone_dma_end)
		return ZONE_DMA;
	if (addr < p->zone_dma32_end)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

static int memblock_nid_of_pfn(const struct hotmem_machine *m, uint64_t pfn)
{
	size_t i;

	for (i = 0; i < m->nr_memblock; i++)
		if (pfn >= m->memblock[i].start_pfn && pfn < m->memblock[i].end_pfn)
			return m->memblock[i].nid;
	return -1;
}

int page_zonenum(const struct hotmem_machine *m, uint64_t pfn, int *nid)
{
	const struct memory_block *mem = find_memory_block_by_pfn(m, pfn);

	if (!mem || mem->state == MEM_OFFLINE)
		return -1;
	if (mem->multi_node) {
		*nid = memblock_nid_of_pfn(m, pfn);
		if (*nid < 0)
			return -1;
	} else {
		*nid = mem->nid;
	}
	if (mem->zone >= 0)
		return mem->zone;
	return boot_zone_of_pfn(m, pfn);
}

/* Is pfn inside boot RAM (memblock) of nid? For boot blocks with holes. */
static bool block_pfn_is_ram(const struct hotmem_machine *m, uint64_t pfn,
			     uint64_t *next)
{
	size_t i;

	*next = UINT64_MAX;
	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];

		if (pfn >= r->start_pfn && pfn < r->end_pfn) {
			*next = r->end_pfn;
			return true;
		}
		if (r->start_pfn > pfn && r->start_pfn < *next)
			*next = r->start_pfn;
	}
	return false;
}

/*
 * Lowest free, 2^order-aligned run of pages of (nid, zid) inside
 * [lo, hi) that no extent covers.
 */
static bool find_free_run(const struct hotmem_machine *m, uint64_t lo,
			  uint64_t hi, uint64_t pages, uint64_t *out)
{
	uint64_t pfn = (lo + pages - 1) & ~(pages - 1);

	while (pfn + pages <= hi) {
		size_t i = extents_lower_bound(&m->extents, pfn);

		if (i < m->extents.n && m->extents.v[i].pfn < pfn + pages) {
			uint64_t e = m->extents.v[i].pfn + m->extents.v[i].nr;

			pfn = (e + pages - 1) & ~(pages - 1);
			continue;
		}
		*out = pfn;
		return true;
	}
	return false;
}

/*
 * Call fn(ctx, lo, end) for each run of RAM pfns of (nid, zid) in the
 * online blocks, in pfn order: the block's pages after its altmap,
 * inside the zone's span, holes (boot blocks) and other zones or nodes
 * left out. A nonzero return from fn stops the walk and is returned.
 */
static int zone_ram_ranges(const struct hotmem_machine *m, int nid, int zid,
			   int (*fn)(void *ctx, uint64_t lo, uint64_t end),
			   void *ctx)
{
	const struct zone *z = &m->nodes[nid].zones[zid];
	size_t b;
	int ret;

	for (b = 0; b < m->nr_blocks; b++) {
		const struct memory_block *mem = m->blocks[b];
		uint64_t start = memory_block_start_pfn(m, mem);
		uint64_t lo = start, hi = start + m->pages_per_block;

		if (mem->state != MEM_ONLINE)
			continue;
		if (!mem->multi_node && mem->nid != nid)
			continue;
		if (mem->zone >= 0 && mem->zone != zid)
			continue;
		if (mem->has_altmap)
			lo += vmem_altmap_offset(&mem->altmap);
		if (lo < z->zone_start_pfn)
			lo = z->zone_start_pfn;
		if (hi > zone_end_pfn(z))
			hi = zone_end_pfn(z);
		while (lo < hi) {
			uint64_t next, end;

			if (mem->early && !block_pfn_is_ram(m, lo, &next)) {
				lo = next;
				continue;
			}
			end = mem->early ? next : hi;
			if (end > hi)
				end = hi;
			if ((mem->zone < 0 && boot_zone_of_pfn(m, lo) != zid) ||
			    (mem->multi_node && memblock_nid_of_pfn(m, lo) != nid)) {
				lo = end;
				continue;
			}
			if ((ret = fn(ctx, lo, end)))
				return ret;
			lo = end;
		}
	}
	return 0;
}

struct find_free_ctx {
	const struct hotmem_machine *m;
	uint64_t pages, *out;
};

static int find_free_cb(void *ctx, uint64_t lo, uint64_t end)
{
	struct find_free_ctx *f = ctx;

	return find_free_run(f->m, lo, end, f->pages, f->out);
}

static bool zone_find_free(const struct hotmem_machine *m, int nid, int zid,
			   uint64_t pages, uint64_t *out)
{
	struct find_free_ctx f = { m, pages, out };

	return zone_ram_ranges(m, nid, zid, find_free_cb, &f) > 0;
}

struct free_ranges_ctx {
	const struct hotmem_machine *m;
	int (*fn)(void *ctx, uint64_t lo, uint64_t end);
	void *ctx;
};

/* A RAM run minus the extents in it: the free runs. */
static int free_ranges_cb(void *ctx, uint64_t lo, uint64_t end)
{
	struct free_ranges_ctx *f = ctx;
	const struct extent_vec *ev = &f->m->extents;
	size_t i = extents_lower_bound(ev, lo);
	int ret;

	for (; lo < end && i < ev->n && ev->v[i].pfn < end; i++) {
		if (ev->v[i].pfn > lo && (ret = f->fn(f->ctx, lo, ev->v[i].pfn)))
			return ret;
		if (ev->v[i].pfn + ev->v[i].nr > lo)
			lo = ev->v[i].pfn + ev->v[i].nr;
	}
	return lo < end ? f->fn(f->ctx, lo, end) : 0;
}

int zone_free_ranges(const struct hotmem_machine *m, int nid, int zid,
		     int (*fn)(void *ctx, uint64_t lo, uint64_t end), void *ctx)
{
	struct free_ranges_ctx f = { m, fn, ctx };

	return zone_ram_ranges(m, nid, zid, free_ranges_cb, &f);
}

/* GFP_KERNEL zonelist: nid's Normal, DMA32, DMA, then the other nodes. */
int alloc_pages_node(struct hotmem_machine *m, int nid, unsigned int order,
		     uint64_t *pfn, int *got_nid)
{
	static const int kernel_zones[] = { ZONE_NORMAL, ZONE_DMA32, ZONE_DMA };
	uint64_t pages = 1ull << order;
	unsigned int k, z;

	for (k = 0; k < m->nr_node_ids; k++) {
		/* nearest first: the node itself, then the others in id order */
		int n = k == 0 ? nid : (int)(k <= (unsigned int)nid ? k - 1 : k);

		if (!m->nodes[n].online && !m->nodes[n].pgdat_initialised)
			continue;
		for (z = 0; z < 3; z++) {
			int zid = kernel_zones[z];
			struct page_extent e;

			if (zone_free_pages(m, n, zid) < pages)
				continue;
			if (!zone_find_free(m, n, zid, pages, pfn))
				continue;
			e.pfn = *pfn;
			e.nr = pages;
			e.kind = EXTENT_KERNEL;
			e.zone = (uint8_t)zid;
			e.nid = (int16_t)n;
			if (extents_insert(&m->extents, e))
				return -ENOMEM;
			*got_nid = n;
			return 0;
		}
	}
	return -ENOMEM;
}

void free_pages_extent(struct hotmem_machine *m, uint64_t pfn, uint64_t nr)
{
	/* cannot fail: a split reserves its slot before changing anything,
	 * and frees only ever shrink what allocation grew */
	if (extents_remove(&m->extents, pfn, nr))
		machine_log(m, "WARNING: free_pages_extent: out of memory");
}

void resize_zone_and_pgdat_range(struct hotmem_machine *m, int nid, int zid,
				 uint64_t start_pfn, uint64_t nr_pages)
{
	struct pglist_data *pgdat = &m->nodes[nid];
	struct zone *z = &pgdat->zones[zid];
	uint64_t end = start_pfn + nr_pages;
	uint64_t new_start = start_pfn, new_end = end;

	if (!zone_is_empty(z)) {
		if (z->zone_start_pfn < new_start)
			new_start = z->zone_start_pfn;
		if (zone_end_pfn(z) > new_end)
			new_end = zone_end_pfn(z);
	}
	z->zone_start_pfn = new_start;
	z->spanned_pages = new_end - new_start;

	new_start = start_pfn;
	new_end = end;
	if (pgdat->node_spanned_pages) {
		if (pgdat->node_start_pfn < new_start)
			new_start = pgdat->node_start_pfn;
		if (pgdat->node_start_pfn + pgdat->node_spanned_pages > new_end)
			new_end = pgdat->node_start_pfn + pgdat->node_spanned_pages;
	}
	pgdat->node_start_pfn = new_start;
	pgdat->node_spanned_pages = new_end - new_start;
}

static bool pfn_in_zone_online(const struct hotmem_machine *m, uint64_t pfn,
			       int nid, int zid)
{
	int pnid;

	if (!pfn_to_online_page(m, pfn))
		return false;
	return page_zonenum(m, pfn, &pnid) == zid && pnid == nid;
}

static void update_pgdat_span(struct pglist_data *pgdat)
{
	uint64_t start = UINT64_MAX, end = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &pgdat->zones[z];

		if (!zone->spanned_pages)
			continue;
		if (zone->zone_start_pfn < start)
			start = zone->zone_start_pfn;
		if (zone_end_pfn(zone) > end)
			end = zone_end_pfn(zone);
	}
	if (start == UINT64_MAX) {
		pgdat->node_start_pfn = 0;
		pgdat->node_spanned_pages = 0;
		return;
	}
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = end - start;
}

void shrink_zone_and_pgdat_span(struct hotmem_machine *m, int nid, int zid,
				uint64_t start_pfn, uint64_t end_pfn)
{
	struct zone *z = &m->nodes[nid].zones[zid];
	uint64_t step = m->geo.pages_per_subsection;
	uint64_t zend = zone_end_pfn(z), pfn;

	if (zid != ZONE_DEVICE) {
		if (z->zone_start_pfn == start_pfn) {
			for (pfn = end_pfn; pfn < zend; pfn += step)
				if (pfn_in_zone_online(m, pfn, nid, zid))
					break;
			if (pfn < zend) {
				z->zone_start_pfn = pfn;
				z->spanned_pages = zend - pfn;
			} else {
				z->zone_start_pfn = 0;
				z->spanned_pages = 0;
			}
		} else if (zend == end_pfn) {
			/* find_biggest_section_pfn: from start - 1 down, by sub-section */
			bool found = false;
			uint64_t back;

			for (back = start_pfn - z->zone_start_pfn; back >= 1;) {
				pfn = z->zone_start_pfn + back - 1;
				if (pfn_in_zone_online(m, pfn, nid, zid)) {
					found = true;
					break;
				}
				if (back <= step)
					break;
				back -= step;
			}
			if (found) {
				/* the span ends exactly at that pfn */
				z->spanned_pages = pfn - z->zone_start_pfn + 1;
			} else {
				z->zone_start_pfn = 0;
				z->spanned_pages = 0;
			}
		}
	}
	update_pgdat_span(&m->nodes[nid]);
}

void adjust_present_page_count(struct hotmem_machine *m, int nid, int zid,
			       uint64_t pfn, int group, int64_t nr)
{
	struct zone *z = &m->nodes[nid].zones[zid];
	const struct mem_section *ms =
		nr_to_section(&m->sparse, &m->geo, pfn_to_section_nr(&m->geo, pfn));

	z->present_pages += (uint64_t)nr;
	if (early_section(ms))
		z->present_early_pages += (uint64_t)nr;
	m->nodes[nid].node_present_pages += (uint64_t)nr;
	if (group >= 0) {
		struct memory_group *g = memory_group_find_by_id(m, group);

		if (g) {
			if (zid == ZONE_MOVABLE)
				g->present_movable_pages += (uint64_t)nr;
			else
				g->present_kernel_pages += (uint64_t)nr;
		}
	}
}

bool node_state_memory(const struct hotmem_machine *m, int nid)
{
	int z;

	for (z = 0; z < ZONE_DEVICE; z++)
		if (m->nodes[nid].zones[z].present_pages)
			return true;
	return false;
}

bool node_state_normal_memory(const struct hotmem_machine *m, int nid)
{
	int z;

	for (z = 0; z <= ZONE_NORMAL; z++)
		if (m->nodes[nid].zones[z].present_pages)
			return true;
	return false;
}

/* ---- watermarks (mm/page_alloc.c) -------------------------------------- */

static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0, b = 1ull << 62;

	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

static const int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32,
	[ZONE_MOVABLE] = 0, [ZONE_DEVICE] = 0,
};

#define WATERMARK_SCALE_FACTOR	10
#define SWAP_CLUSTER_MAX	32ull

static bool node_has_zones(const struct hotmem_machine *m, unsigned int n)
{
	return m->nodes[n].online || m->nodes[n].pgdat_initialised;
}

/* nr_free_buffer_pages: GFP_USER zones of every node, minus their high mark */
static uint64_t nr_free_buffer_pages(const struct hotmem_machine *m)
{
	uint64_t sum = 0;
	unsigned int n;
	int z;

	for (n = 0; n < m->nr_node_ids; n++) {
		if (!node_has_zones(m, n))
			continue;
		for (z = 0; z <= ZONE_NORMAL; z++) {
			const struct zone *zone = &m->nodes[n].zones[z];

			if (zone->managed_pages > zone->watermark[WMARK_HIGH])
				sum += zone->managed_pages - zone->watermark[WMARK_HIGH];
		}
	}
	return sum;
}

#define MIGRATE_PCPTYPES 3

/*
 * khugepaged's set_recommended_min_free_kbytes (mm/khugepaged.c): with
 * THP enabled, two pageblocks plus MIGRATE_PCPTYPES^2 pageblocks per
 * populated zone up to ZONE_NORMAL, capped at 5% of lowmem.
 */
static uint64_t recommended_min_free_kbytes(const struct hotmem_machine *m)
{
	uint64_t nr_zones = 0, rec, cap;
	unsigned int n;
	int z;

	for (n = 0; n < m->nr_node_ids; n++)
		for (z = 0; z <= ZONE_NORMAL; z++)
			if (node_has_zones(m, n) && populated_zone(&m->nodes[n].zones[z]))
				nr_zones++;
	rec = m->geo.pageblock_nr_pages * nr_zones * 2 +
	      m->geo.pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	cap = nr_free_buffer_pages(m) / 20;
	if (rec > cap)
		rec = cap;
	return rec << (m->geo.page_shift - 10);
}

static void setup_per_zone_wmarks(struct hotmem_machine *m);

void init_per_zone_wmark_min(struct hotmem_machine *m)
{
	uint64_t kb;

	/* calculate_min_free_kbytes */
	kb = int_sqrt(nr_free_buffer_pages(m) * (m->geo.page_size >> 10) * 16);
	if (kb < 128)
		kb = 128;
	if (kb > 262144)
		kb = 262144;
	m->min_free_kbytes = kb;
	setup_per_zone_wmarks(m);
	/* khugepaged_min_free_kbytes_update: only ever raises it */
	if (m->thp_enabled) {
		uint64_t rec = recommended_min_free_kbytes(m);

		if (rec > m->min_free_kbytes) {
			m->min_free_kbytes = rec;
			setup_per_zone_wmarks(m);
		}
	}
}

/* setup_per_zone_wmarks and setup_per_zone_lowmem_reserve */
static void setup_per_zone_wmarks(struct hotmem_machine *m)
{
	uint64_t lowmem_pages = 0, pages_min;
	unsigned int n;
	int z, j;

	pages_min = m->min_free_kbytes >> (m->geo.page_shift - 10);
	for (n = 0; n < m->nr_node_ids; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (node_has_zones(m, n) && z != ZONE_MOVABLE)
				lowmem_pages += m->nodes[n].zones[z].managed_pages;
	for (n = 0; n < m->nr_node_ids; n++) {
		if (!node_has_zones(m, n))
			continue;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->nodes[n].zones[z];
			uint64_t managed = zone->managed_pages;
			uint64_t tmp = lowmem_pages ? pages_min * managed / lowmem_pages : 0;
			uint64_t scaled = managed * WATERMARK_SCALE_FACTOR / 10000;

			if (z == ZONE_MOVABLE) {
				uint64_t min_pages = managed / 1024;

				if (min_pages < SWAP_CLUSTER_MAX)
					min_pages = SWAP_CLUSTER_MAX;
				if (min_pages > 128)
					min_pages = 128;
				zone->watermark[WMARK_MIN] = min_pages;
			} else {
				zone->watermark[WMARK_MIN] = tmp;
			}
			tmp = (tmp >> 2) > scaled ? tmp >> 2 : scaled;
			zone->watermark[WMARK_LOW] = zone->watermark[WMARK_MIN] + tmp;
			zone->watermark[WMARK_HIGH] = zone->watermark[WMARK_LOW] + tmp;
			zone->watermark[WMARK_PROMO] = zone->watermark[WMARK_HIGH] + tmp;
		}
		/* setup_per_zone_lowmem_reserve */
		for (z = 0; z < MAX_NR_ZONES - 1; z++) {
			struct zone *zone = &m->nodes[n].zones[z];
			int ratio = sysctl_lowmem_reserve_ratio[z];
			bool clear = !ratio || !zone->managed_pages;
			uint64_t upper = 0;

			for (j = z + 1; j < MAX_NR_ZONES; j++) {
				upper += m->nodes[n].zones[j].managed_pages;
				zone->lowmem_reserve[j] = clear ? 0 : (long)(upper / (uint64_t)ratio);
			}
		}
	}
}
