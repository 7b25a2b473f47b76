/*
 * memblock.c - boot memory as memblock keeps it: the RAM ranges the
 * platform's firmware reported, per node, and the early reservations
 * carved out of them (top-down allocations, fixed ranges), recorded as
 * reserved extents per zone.
 *
 * Contract: memblock.h. Reservations never overlap an extent already
 * reserved; a range that is not RAM is skipped.
 * Expected workload: a few calls per boot, over a handful of ranges.
 */
#include <errno.h>
#include <stdlib.h>

#include "../machine.h"
#include "memblock.h"

int memblock_add(struct hotmem_machine *m, uint64_t start_pfn,
			uint64_t end_pfn, int nid)
{
	struct memblock_region *p;

	if (end_pfn <= start_pfn)
		return 0;
	p = realloc(m->memblock, (m->nr_memblock + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	m->memblock = p;
	p[m->nr_memblock].start_pfn = start_pfn;
	p[m->nr_memblock].end_pfn = end_pfn;
	p[m->nr_memblock].nid = nid;
	m->nr_memblock++;
	return 0;
}

int memblock_reserve_top_down(struct hotmem_machine *m, int nid,
				     uint64_t pages)
{
	size_t i;

	for (i = m->nr_memblock; i-- > 0 && pages;) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t hi = r->end_pfn;

		if (r->nid != nid)
			continue;
		while (hi > r->start_pfn && pages) {
			size_t k = 0;
			uint64_t lo = hi > r->start_pfn + pages ? hi - pages : r->start_pfn;
			uint64_t free_lo = lo;
			int zid;

			/* stop below any extent already reserved in the way */
			for (k = 0; k < m->extents.n; k++) {
				const struct page_extent *e = &m->extents.v[k];

				if (e->pfn < hi && e->pfn + e->nr > free_lo)
					free_lo = e->pfn + e->nr;
			}
			if (free_lo >= hi) {
				/* hi is covered: skip below the covering extent */
				uint64_t below = hi;

				for (k = 0; k < m->extents.n; k++) {
					const struct page_extent *e = &m->extents.v[k];

					if (e->pfn < hi && e->pfn + e->nr >= hi && e->pfn < below)
						below = e->pfn;
				}
				if (below == hi)
					break;
				hi = below;
				continue;
			}
			lo = free_lo;
			/* split at zone boundaries */
			for (zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
				uint64_t zl = zid == ZONE_DMA ? 0 : zone_limit_pfn(m, zid - 1);
				uint64_t zh = zone_limit_pfn(m, zid);
				uint64_t s = lo > zl ? lo : zl, e2 = hi < zh ? hi : zh;
				struct page_extent e;

				if (s >= e2)
					continue;
				e.pfn = s;
				e.nr = e2 - s;
				e.kind = EXTENT_RESERVED;
				e.zone = (uint8_t)zid;
				e.nid = (int16_t)nid;
				if (extents_insert(&m->extents, e))
					return -ENOMEM;
			}
			pages -= hi - lo;
			hi = lo;
		}
	}
	return 0;
}

int memblock_alloc_top_down_aligned(struct hotmem_machine *m, int nid,
				    uint64_t pages, uint64_t align,
				    uint64_t limit_pfn, enum extent_kind kind,
				    uint64_t *pfn)
{
	size_t i, k;

	if (!pages || !align)
		return -ENOMEM;
	for (i = m->nr_memblock; i-- > 0;) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t hi = r->end_pfn < limit_pfn ? r->end_pfn : limit_pfn;

		if (nid >= 0 && r->nid != nid)
			continue;
		for (;;) {
			uint64_t lo, top = 0;
			bool clash = false;

			hi -= hi % align;
			if (hi < r->start_pfn + pages)
				break;
			lo = hi - pages;
			/* slide below the highest reservation in the way */
			for (k = 0; k < m->extents.n; k++) {
				const struct page_extent *e = &m->extents.v[k];

				if (e->pfn < hi && e->pfn + e->nr > lo) {
					clash = true;
					if (e->pfn > top)
						top = e->pfn;
				}
			}
			if (!clash) {
				*pfn = lo;
				return memblock_reserve_range(m, lo, hi, kind);
			}
			hi = top;
		}
	}
	return -ENOMEM;
}

int memblock_reserve_range(struct hotmem_machine *m, uint64_t start_pfn,
			   uint64_t end_pfn, enum extent_kind kind)
{
	size_t i;
	int zid;

	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t s = r->start_pfn > start_pfn ? r->start_pfn : start_pfn;
		uint64_t e = r->end_pfn < end_pfn ? r->end_pfn : end_pfn;

		for (zid = ZONE_DMA; zid <= ZONE_NORMAL && s < e; zid++) {
			uint64_t zh = zone_limit_pfn(m, zid);
			uint64_t ce = e < zh ? e : zh;
			struct page_extent x;

			if (s >= ce)
				continue;
			x.pfn = s;
			x.nr = ce - s;
			x.kind = (uint8_t)kind;
			x.zone = (uint8_t)zid;
			x.nid = (int16_t)r->nid;
			if (extents_insert(&m->extents, x))
				return -ENOMEM;
			s = ce;
		}
	}
	return 0;
}
