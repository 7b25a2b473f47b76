/*
 * fuzz.h - the random-walk fuzzer behind `hotmem fuzz` (docs/fuzzing.md).
 *
 * Contract: from a seed, walk after walk, a random machine (every
 * architecture profile, block sizes, NUMA layouts with memoryless and
 * CPU-less nodes, kernel parameters) boots and takes a random sequence
 * of hardware events and sysfs writes, valid and invalid, and notifier
 * vetoes. After each operation the invariants must hold
 * (machine_check_invariants) and an operation that failed must leave the
 * state hash as it was. Walk W of seed S is the same sequence on every
 * run and every host (own PRNG, no rand(), no clock in decisions). On
 * the first violation the walk is shrunk (ops and kernel parameters
 * dropped while the same invariant still breaks) and written as a
 * scenario that `hotmem run --check` reproduces.
 * No global state: everything lives in the caller's structs.
 * Expected workload: tens of thousands of operations per second on
 * machines of 256 MiB to 24 GiB; walks of a few hundred operations.
 */
#ifndef HOTMEM_CHECK_FUZZ_H
#define HOTMEM_CHECK_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct fuzz_opts {
	uint64_t seed;
	uint64_t max_ops;	/* stop after this many operations (0: no limit) */
	double max_seconds;	/* stop after this long (0: no limit) */
	unsigned int walk_len;	/* operations per machine (0: 200) */
	int64_t only_walk;	/* >= 0: run just this walk of the seed */
	unsigned int inject;	/* enum hotmem_test_inject for every machine */
	FILE *progress;		/* a line per phase and per second; NULL: quiet */
};

struct fuzz_result {
	uint64_t ops, walks, boot_failures, failed_ops, rollback_checks;
	/* per step kind (device_add, device_del, write, notifier-fail, read): done, refused */
	uint64_t kind_ok[5], kind_failed[5];
	double seconds;
	bool violation;
	uint64_t walk;		/* the walk that broke */
	char *message;		/* what broke (malloc'ed) */
	char *scenario;		/* the shrunk scenario's text (malloc'ed) */
	size_t ops_before_shrink, ops_after_shrink;
};

/* 0 (look at res->violation) or -ENOMEM / -EINVAL. */
int fuzz_run(const struct fuzz_opts *o, struct fuzz_result *res);
void fuzz_result_release(struct fuzz_result *res);

#endif
