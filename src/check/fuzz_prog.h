/*
 * fuzz_prog.h - internal to the fuzzer (src/check/fuzz*.c): a walk as a
 * program of scenario steps, its execution with the checks, and the
 * shrinker's entry points.
 *
 * Contract: a struct program is a machine header (scenario words that
 * shrinking may switch off) and operations, each exactly one scenario
 * step executed through the hotmem.h call the model backend makes for
 * it, so a program replays the same as its scenario text.
 * Expected workload: programs of a few hundred operations.
 */
#ifndef HOTMEM_CHECK_FUZZ_PROG_H
#define HOTMEM_CHECK_FUZZ_PROG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hotmem.h"
#include "fuzz.h"
#include "../util/strbuf.h"

struct hotmem_machine;

enum fop_kind { FOP_DEVICE_ADD, FOP_DEVICE_DEL, FOP_WRITE, FOP_NOTIFIER_FAIL, FOP_READ };

struct fop {
	enum fop_kind kind;
	char id[64];	/* as struct acpi_memory_device's */
	const char *driver;	/* device_add: "nvdimm", "cxl-type3"; NULL = pc-dimm */
	uint64_t size;
	int node;
	char path[96];
	char value[48];	/* a uuid fits */
	const char *event;
	const char *err_name;
	unsigned int count;
};

#define MAX_OPT 4
#define MAX_WORDS 12

/* The machine of a walk as scenario words; shrinking turns optional ones off. */
struct header {
	char machine[160];
	char opt[MAX_OPT][48];		/* optional machine arguments */
	bool opt_on[MAX_OPT];
	unsigned int nr_opt;
	char numa[HOTMEM_MAX_NODES][64];
	unsigned int nr_numa;
	char word[MAX_WORDS][64];	/* kernel command line */
	bool word_on[MAX_WORDS];
	unsigned int nr_words;
	char inject[64];		/* hotmem.inject_bug=..., never dropped */
};

struct program {
	struct header h;
	uint64_t block_size;	/* of the walk's machine, for simplifying DIMM sizes */
	struct fop *ops;
	size_t n, alloc;
};

/* What an operation is checked against afterwards. */
struct before {
	uint64_t hash;		/* hotmem_state_hash() */
	uint64_t online;	/* blocks' states, for a refused eject */
	bool online_checked;	/* no notifier could veto the re-online */
};

int program_push(struct program *p, const struct fop *op);
/* The machine lines (machine, numa, cmdline) of a header; -ENOMEM. */
int header_text(const struct header *h, struct strbuf *sb);
/* The op as a scenario step; as an expect-error of errno_name if given. */
int op_text(const struct fop *op, const char *errno_name, struct strbuf *sb);
/* The header through the scenario parser: the config `hotmem run` boots. */
int header_config(const struct header *h, struct hotmem_config *c, struct strbuf *why);
long exec_op(struct hotmem_machine *m, const struct fop *op);
void take_before(const struct hotmem_machine *m, const struct fop *op, struct before *b);
int check_op(const struct hotmem_machine *m, const struct fop *op, long rc,
	     const struct before *b, struct strbuf *why, char *kind, size_t kindlen,
	     uint64_t *rollback_checks);
int replay(const struct program *p, size_t nops, size_t *at, long *rc_at,
	   struct strbuf *why, char *kind, size_t kindlen);
void fuzz_progress(const struct fuzz_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* fuzz_shrink.c */
int shrink_program(struct program *p, const struct fuzz_opts *o, const char *want,
		   struct strbuf *why, unsigned int *replays);
int program_scenario(const struct program *p, const struct fuzz_opts *o,
		     uint64_t walk, const char *message, long rc_last,
		     const char *kind, struct strbuf *sb);

#endif
