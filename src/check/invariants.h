/*
 * invariants.h - the model's self-check: every counter the machine
 * keeps must equal what its parts add up to, and every structure must
 * agree with the ones it mirrors (docs/invariants.md lists them).
 *
 * Contract: machine_check_invariants() only reads the machine. It
 * appends one line per violation to why, "NAME: OBJECT: DETAIL"
 * (NAME is the invariant's short name, e.g. "zone-present"), at most
 * CHECK_MAX_REPORTS lines, and returns the number of violations found
 * (0: consistent) or -ENOMEM.
 * machine_state_hash() is a canonical 64-bit digest of the machine's
 * state: equal states give equal hashes whatever the allocation history
 * (hash-table layout, vector capacity, slot order, lazily allocated
 * section roots); see state_hash.c for what is left out and why.
 * Expected workload: after every step of a fuzzing campaign on machines
 * of a few GiB to a few hundred GiB: linear in blocks, present
 * sub-sections, vmemmap units, extents and resources.
 */
#ifndef HOTMEM_CHECK_INVARIANTS_H
#define HOTMEM_CHECK_INVARIANTS_H

#include <stdint.h>

#include "../util/strbuf.h"

struct hotmem_machine;

#define CHECK_MAX_REPORTS 16

int machine_check_invariants(const struct hotmem_machine *m, struct strbuf *why);

/* Parts of the state machine_state_hash() leaves out on request. */
#define STATE_HASH_NO_ONLINE_TYPE	(1u << 0)	/* mem->online_type of every block */

uint64_t machine_state_hash(const struct hotmem_machine *m, unsigned int flags);

#endif
