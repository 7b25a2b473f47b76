/*
 * check_api.c - the public face of the self-check (include/hotmem.h):
 * hotmem_check() and hotmem_state_hash() over invariants.c and
 * state_hash.c.
 *
 * Contract: read-only on the machine; see hotmem.h.
 * Expected workload: as the checker's.
 */
#include <errno.h>

#include "invariants.h"
#include "../machine.h"

int hotmem_check(const struct hotmem_machine *m, char **report)
{
	struct strbuf why;
	int n;

	if (report)
		*report = NULL;
	sb_init(&why);
	n = machine_check_invariants(m, &why);
	if (n >= 0 && report) {
		if (!why.buf && sb_puts(&why, "")) {
			sb_release(&why);
			return -ENOMEM;
		}
		*report = sb_detach(&why);
	}
	sb_release(&why);
	return n;
}

uint64_t hotmem_state_hash(const struct hotmem_machine *m)
{
	return machine_state_hash(m, STATE_HASH_NO_ONLINE_TYPE);
}
