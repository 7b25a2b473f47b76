/*
 * invariants_int.h - what the parts of the invariant checker share
 * (invariants.c: RAM, sections, vmemmap, zones; invariants_device.c:
 * ZONE_DEVICE pgmaps, nvdimm, dax/kmem, s390 standby increments).
 *
 * Contract: a struct checker lives for one machine_check_invariants()
 * call; violation() appends one report line and counts it.
 * Expected workload: internal to src/check/.
 */
#ifndef HOTMEM_CHECK_INVARIANTS_INT_H
#define HOTMEM_CHECK_INVARIANTS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../machine.h"
#include "invariants.h"

struct zone_acc {
	uint64_t present, early, vmemmap;
	uint64_t first, end;	/* attributed pfns: [first, end) hull */
	bool any;
};

struct checker {
	const struct hotmem_machine *m;
	struct strbuf *why;
	int count;
	bool oom;
	struct zone_acc acc[MAX_NUMNODES][MAX_NR_ZONES];
};

void violation(struct checker *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* Does a mapped pgmap range meet pfns [s, e)? */
bool pgmap_meets(const struct hotmem_machine *m, uint64_t s, uint64_t e);
/* Is [start, start + block) s390 standby memory the sclp driver added? */
bool sclp_standby_block(const struct hotmem_machine *m, uint64_t start_pfn);
/* The pgmap whose altmap's free pages hold pfn, or NULL. */
const struct dev_pagemap *pgmap_altmap_at(const struct hotmem_machine *m, uint64_t pfn);
/* Bytes of direct map the mapped pgmap ranges hold (all but DEVICE_PRIVATE). */
uint64_t pgmap_direct_map_bytes(const struct hotmem_machine *m);

void check_pgmaps(struct checker *c, const uint64_t *pgmap_altmap_alloc);
void check_device_sections(struct checker *c, uint64_t snr);
void check_nd_dax(struct checker *c);
void check_sclp(struct checker *c);

#endif
