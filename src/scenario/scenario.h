/*
 * scenario.h - the scenario language: parser, interpreter and the
 * backend interface the interpreter drives (docs/scenario-language.md).
 *
 * Contract: scenario_parse() turns a whole file (held in memory) into an
 * immutable struct scenario, or reports every malformed line as
 * "FILE:LINE: error: MESSAGE" into a diagnostics buffer; nothing of a
 * malformed scenario ever runs. scenario_run() executes a parsed
 * scenario against a struct scenario_backend, an ops table that is the
 * only way the interpreter touches a machine: the interpreter knows
 * nothing about the model behind hotmem.h, so the same scenario can run
 * on a real Linux guest. No global mutable state; everything returns 0
 * or -errno unless stated otherwise.
 *
 * Expected workload: hand-written scenarios of tens to a few thousand
 * lines; parsing is linear in the file size, each expect-error step
 * reads the whole sysfs memory/node tree twice.
 */
#ifndef HOTMEM_SCENARIO_H
#define HOTMEM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hotmem.h"
#include "../util/strbuf.h"

/* ---------------------------------------------------------------------
 * Backend: what the interpreter needs from a machine.
 * --------------------------------------------------------------------- */

/* Kinds of entries in the machine's sysfs/procfs tree. */
enum scenario_entry_kind {
	SCENARIO_ENTRY_NONE = 0,
	SCENARIO_ENTRY_DIR,
	SCENARIO_ENTRY_FILE,
	SCENARIO_ENTRY_LINK,
};

/*
 * What a scenario boots: the QEMU-level shape and kernel command line as
 * a struct hotmem_config (already validated and with the command line
 * applied), plus the command-line words as written, for backends that
 * pass them to a real kernel.
 */
struct scenario_machine {
	struct hotmem_config config;
	char **cmdline_words;		/* "param=value" or "flag" */
	size_t nr_cmdline_words;
};

/* What a user-space tool run (ndctl, daxctl) left: malloc'ed texts. */
struct scenario_tool_result {
	int status;			/* exit status, 0..255 */
	char *out;			/* standard output */
	char *err;			/* standard error */
};

void scenario_tool_result_release(struct scenario_tool_result *res);

/*
 * A backend is a const ops table; boot() creates the per-run state that
 * every other op receives and destroy() frees. All ops return 0 (read,
 * write: as documented) or -errno. String outputs are malloc'ed and
 * owned by the caller. err/errlen receive a human-readable reason where
 * one exists (may be left empty).
 */
struct scenario;

struct scenario_backend {
	const char *name;
	/*
	 * A live kernel: its counters (free pages, event counts, per-CPU
	 * lists) move on their own, so expect-error's "nothing changed"
	 * compares only the stable fields of the counter files
	 * (docs/real-kernel.md).
	 */
	bool live_counters;
	int (*boot)(const struct scenario_machine *machine, void **state,
		    char *err, size_t errlen);
	/* Content of a file; -ENOENT, -EISDIR, -EACCES, ... */
	int (*read)(void *state, const char *path, char **out);
	/* As open(O_WRONLY) + write(): returns len or -errno. */
	long (*write)(void *state, const char *path, const char *buf,
		      size_t len);
	/* kind and mode of a path; a link's target (as readlink) in target. */
	int (*stat)(void *state, const char *path,
		    enum scenario_entry_kind *kind, unsigned int *mode,
		    char *target, size_t targetlen);
	/* fn once per entry name of a directory; fn's nonzero return stops. */
	int (*readdir)(void *state, const char *path,
		       int (*fn)(void *ctx, const char *name), void *ctx);
	int (*device_add)(void *state, const char *driver, const char *id,
			  uint64_t size, int node, char *err, size_t errlen);
	int (*device_del)(void *state, const char *id, char *err,
			  size_t errlen);
	/* err is a negative errno (the notifier's return, -EPERM = NOTIFY_BAD). */
	int (*notifier_fail)(void *state, const char *event, int err,
			     unsigned int count);
	int (*trace_set)(void *state, bool on);
	/* Trace lines collected since the last take, then forgotten. */
	int (*trace_take)(void *state, char **out);
	/* The whole kernel log since boot, one message a line. */
	int (*dmesg)(void *state, char **out);
	/*
	 * Optional: every entry under dir at once, as readdir, stat and
	 * read would find them one by one (dir first, then readdir order,
	 * depth first, links not followed). fn gets each path, its kind
	 * (NONE: stat failed), the status (0, or -errno of readdir, read,
	 * readlink or stat) and, when 0, the content or link target as a
	 * string it owns; fn's nonzero return stops the walk and is
	 * returned. -ENOSYS: not offered here (an older guest agent).
	 */
	int (*walk)(void *state, const char *dir,
		    int (*fn)(void *ctx, const char *path,
			      enum scenario_entry_kind kind, int status,
			      char *data),
		    void *ctx);
	/*
	 * Optional (NULL where the backend cannot look inside the machine):
	 * check: the number of violated invariants (0: consistent) with a
	 * report of one line each in *out; state_hash: a canonical digest of
	 * the machine's state, equal before and after a failed operation.
	 */
	int (*check)(void *state, char **out);
	int (*state_hash)(void *state, uint64_t *out);
	void (*destroy)(void *state);
	/*
	 * Optional: notifier_fail at a chain priority other than 0 (NULL:
	 * the backend cannot; a step asking for it is a runtime error).
	 */
	int (*notifier_fail_priority)(void *state, const char *event, int err,
				      unsigned int count, int priority);
	/*
	 * Optional: run a user-space tool (argv[0] is "ndctl", "daxctl",
	 * "chmem")
	 * inside the machine and collect its exit status and output. NULL:
	 * the interpreter runs hotmem's own model of the tool
	 * (usertool_model_run) over this backend's read/write/readdir ops.
	 * Returns 0 when the tool ran (whatever its exit status) or -errno
	 * when it could not be started.
	 */
	int (*run_tool)(void *state, char *const *argv, size_t argc,
			struct scenario_tool_result *res, char *err,
			size_t errlen);
	/*
	 * Optional: the steps of a parsed scenario this backend can never
	 * do (a device its guest cannot take, a machine it cannot boot),
	 * one "FILE:LINE: error: ..." line each into diag; -EINVAL when
	 * there is one. Called before anything boots, so that such a
	 * scenario is refused as malformed for this backend.
	 */
	int (*check_steps)(const struct scenario *sc, struct strbuf *diag);
};

/* The backend over the hotmem.h model. */
extern const struct scenario_backend scenario_backend_model;

/* Debian's Linux 6.12 under QEMU (backend_qemu.c, docs/real-kernel.md). */
extern const struct scenario_backend scenario_backend_qemu;

/* A backend by name ("model", "qemu"), or NULL. */
const struct scenario_backend *scenario_backend_find(const char *name);
/* The names scenario_backend_find() knows, for messages: "model, qemu". */
#define SCENARIO_BACKEND_NAMES "model, qemu"

/* ---------------------------------------------------------------------
 * Parsed scenarios.
 * --------------------------------------------------------------------- */

enum scenario_step_kind {
	STEP_BOOT,
	STEP_DEVICE_ADD,
	STEP_DEVICE_DEL,
	STEP_WRITE,
	STEP_READ,
	STEP_SNAPSHOT,
	STEP_EXPECT,
	STEP_EXPECT_ERROR,
	STEP_NOTIFIER_FAIL,
	STEP_TRACE,
	STEP_DMESG,
	STEP_ECHO,
	STEP_MAP,
	STEP_TOOL,
};

/* chmem(8) as a scenario step (src/usertools/chmem.c). */
struct scenario_chmem {
	bool enable;		/* -e, else -d */
	bool blocks;		/* -b: start/end are block numbers */
	bool verbose;		/* -v */
	bool is_size;		/* SIZE rather than a range */
	int zone;		/* -z: index into DMA, DMA32, Normal, Highmem,
				 * Movable, Device; -1 = none */
	uint64_t size;		/* bytes */
	uint64_t start, end;	/* addresses (end inclusive) or block numbers */
};

int chmem_parse(char *const *words, size_t n, struct scenario_chmem *c,
		char *err, size_t errlen);
struct scenario_backend;
struct scenario_tool_result;
/* chmem's run after its option parsing: exit status and both streams in
 * res; 0, or -ENOMEM when the run could not be completed. */
int chmem_run(const struct scenario_backend *be, void *state,
	      const struct scenario_chmem *c, struct scenario_tool_result *res,
	      char *err, size_t errlen);

enum scenario_op {
	SCENARIO_OP_EQ,
	SCENARIO_OP_NE,
	SCENARIO_OP_LT,
	SCENARIO_OP_LE,
	SCENARIO_OP_GT,
	SCENARIO_OP_GE,
	/* expect PATH[:KEY] absent|present: whether the key (or the file)
	 * exists at all; a key ending in '*' matches every key it starts */
	SCENARIO_OP_ABSENT,
	SCENARIO_OP_PRESENT,
	/* expect PATH has-line TEXT: one line of the file is TEXT exactly,
	 * leading spaces included (/proc/iomem's nesting) */
	SCENARIO_OP_HAS_LINE,
};

/* A signed number wide enough for any u64 counter and for differences. */
struct scenario_num {
	bool negative;
	uint64_t magnitude;
};

/* What an expect compares against. */
struct scenario_value {
	bool is_number;
	struct scenario_num num;
	char *text;			/* as written (unquoted) */
};

/* Which part of a file an expect looks at. */
enum scenario_key_kind {
	SCENARIO_KEY_NONE,		/* the whole file, trimmed */
	SCENARIO_KEY_MEMINFO,		/* /proc/meminfo, node meminfo: label */
	SCENARIO_KEY_VMSTAT,		/* /proc/vmstat: first word */
	SCENARIO_KEY_ZONEINFO,		/* /proc/zoneinfo: NODE/ZONE/FIELD */
};

struct scenario_target {
	char *path;
	enum scenario_key_kind key_kind;
	char *key;			/* label / word / FIELD of zoneinfo */
	int zone_node;			/* zoneinfo only */
	char *zone_name;		/* zoneinfo only */
};

/* The action an expect-error step performs. */
enum scenario_action {
	SCENARIO_ACTION_WRITE,
	SCENARIO_ACTION_READ,
	SCENARIO_ACTION_DEVICE_ADD,
	SCENARIO_ACTION_DEVICE_DEL,
};

struct scenario_step {
	enum scenario_step_kind kind;
	unsigned int line;
	char *text;			/* the step as written, comment stripped */

	/* write, read, expect-error write/read */
	char *path;
	char *value;			/* write: VALUE without the "\n" */

	/* device_add, device_del, expect-error device_* */
	char *driver;
	char *id;
	uint64_t size;
	int node;

	/* expect */
	struct scenario_target target;
	enum scenario_op op;
	struct scenario_value expected;
	size_t snapshot_step;		/* delta: index of the snapshot step */
	bool is_delta;
	bool in_log;			/* expect-log: has-line over the kernel log */

	/* expect-error */
	int expected_errno;		/* positive errno */
	enum scenario_action action;

	/* notifier-fail */
	char *event;
	int notifier_errno;		/* positive */
	unsigned int count;
	int priority;			/* chain priority, default 0 */

	/* trace */
	bool trace_on;


	/* snapshot: NAME and the paths later expects take deltas of */
	char *snapshot_name;
	char **snapshot_paths;
	size_t nr_snapshot_paths;

	/* echo */
	char *echo_text;

	/* tool: "ndctl ARG...", "daxctl ARG..." as written (argv[0] the tool) */
	char **tool_argv;
	size_t tool_argc;
	/* "expect-status N TOOL ...": the exit status wanted (an expectation) */
	bool tool_expect;
	int tool_status;
};

struct scenario {
	char *filename;
	bool has_boot;
	unsigned int machine_line;	/* the 'machine' step's line, 0 = none */
	struct scenario_machine machine;
	struct scenario_step *steps;
	size_t nr_steps;
	size_t nr_expects;		/* expect + expect-error steps */
};

/*
 * Parse a scenario held in text[0..len) (need not be NUL-terminated).
 * filename only labels diagnostics. Errors and warnings are appended to
 * diag, one "FILE:LINE: error|warning: MESSAGE\n" per problem.
 * Returns 0 and *out, -EINVAL if any line is malformed (*out NULL, every
 * error in diag), or -ENOMEM.
 */
int scenario_parse(const char *filename, const char *text, size_t len,
		   struct scenario **out, struct strbuf *diag);
void scenario_free(struct scenario *sc);

/* ---------------------------------------------------------------------
 * Helpers shared by the parser and the interpreter (fields.c).
 * --------------------------------------------------------------------- */

/*
 * A number as scenarios write it: optional '-', decimal or 0x hex, with
 * an optional "kB" suffix when allow_kb. The whole string must match.
 */
int scenario_parse_num(const char *s, bool allow_kb, struct scenario_num *out);
/* <0, 0, >0 as a compares to b. */
int scenario_num_cmp(struct scenario_num a, struct scenario_num b);
struct scenario_num scenario_num_sub(struct scenario_num a,
				     struct scenario_num b);
/* Decimal text of n into buf (at least 24 bytes). */
void scenario_num_format(struct scenario_num n, char *buf, size_t len);

const char *scenario_op_name(enum scenario_op op);

/*
 * Pick the field a target names out of a file's content.
 * Returns 0 with *rest pointing at the text after the key (leading
 * blanks skipped) and *rest_len its length up to the end of the line;
 * -ENOENT if the key is absent. SCENARIO_KEY_NONE gives the whole
 * content trimmed.
 */
int scenario_field(const struct scenario_target *t, const char *content,
		   const char **rest, size_t *rest_len);
/* First number (decimal or 0x hex, optional '-') in s[0..len). */
int scenario_first_num(const char *s, size_t len, struct scenario_num *out);

/* ---------------------------------------------------------------------
 * Running.
 * --------------------------------------------------------------------- */

/*
 * What one step saw, handed to scenario_run_opts.observe (`hotmem
 * diff` compares these between backends). read/snapshot/expect: one
 * per file read (content NULL when rc < 0); write, device_add,
 * device_del and expect-error: the action's rc. passed: expect and
 * expect-error only.
 */
struct scenario_observation {
	size_t step_index;
	const struct scenario_step *step;
	const char *path;		/* NULL for device steps */
	long rc;
	const char *content;
	bool passed;
};

struct scenario_run_opts {
	bool verbose;			/* report passing expects too */
	bool check;			/* invariants after every step (backend's check op) */
	FILE *out;			/* reads, echo, dmesg, trace, failures */
	FILE *err;			/* summaries and runtime errors */
	/* Optional: called for what each step saw (see above). */
	void (*observe)(void *ctx, const struct scenario_observation *o);
	void *observe_ctx;
	/*
	 * Optional: a `map` step also hands its SVG picture here (the CLI's
	 * --map-svg writes it to a file); a negative return is a runtime
	 * error of the step.
	 */
	int (*map_picture)(void *ctx, const struct scenario *sc,
			   const struct scenario_step *s, const char *svg);
	void *map_picture_ctx;	/*
	 * Optional: the machine outlives the run. The backend's state is
	 * handed over here instead of being destroyed (NULL if nothing
	 * booted); the caller frees it with the backend's destroy op.
	 */
	void **keep_state;
};

struct scenario_result {
	size_t expects_run;
	size_t expects_failed;
	bool runtime_error;		/* boot failed, backend broke, ENOMEM */
	bool invariant_violated;	/* opts.check: the run stopped at a violation */
};

/*
 * Run sc on backend. Returns 0 when the run reached the end (look at
 * res for failed expects) or -errno after a runtime error, which has
 * then been reported on opts->err as "FILE:LINE: error: ...".
 */
int scenario_run(const struct scenario *sc,
		 const struct scenario_backend *backend,
		 const struct scenario_run_opts *opts,
		 struct scenario_result *res);

/*
 * User-space tools as scenario steps (src/usertools/usertool.c).
 * usertool_parse: is argv a command line hotmem can run (a known tool,
 * known subcommand and options)? 0, or -EINVAL with the reason in err.
 * usertool_model_run: hotmem's model of the tool, doing through be's
 * ops exactly the sysfs reads and writes the real tool does.
 */
int usertool_parse(char *const *argv, size_t argc, char *err, size_t errlen);
int usertool_model_run(const struct scenario_backend *be, void *state,
		       char *const *argv, size_t argc,
		       struct scenario_tool_result *res, char *err,
		       size_t errlen);

/* The memory blocks as a picture, read through the backend's sysfs. */
int scenario_render_map(const struct scenario_backend *be, void *state,
			struct strbuf *sb);
/* The same as an SVG document titled title (src/scenario/map_svg.c). */
int scenario_render_map_svg(const struct scenario_backend *be, void *state,
			    const char *title, struct strbuf *sb);

#endif
