/*
 * usertool.h - the pieces shared by hotmem's models of ndctl and daxctl
 * (ndctl/daxctl 76.1, Debian 12): the command tables and their option
 * parser (toolopt.c), the run context with its sysfs access through a
 * scenario backend and the tools' JSON printer (tooljson.c), and the
 * two tools (ndctl.c, daxctl.c). usertool.c dispatches.
 *
 * Contract: a command line is parsed once at scenario parse time
 * (tool_cmdline_parse: the tool's own option syntax and the checks the
 * tool makes before it looks at the machine); running it only reads and
 * writes files through the backend's ops, so it works the same over the
 * model and over a real kernel. Nothing here is global.
 * Expected workload: a few tool steps per scenario, each a few dozen
 * sysfs accesses.
 */
#ifndef HOTMEM_USERTOOL_H
#define HOTMEM_USERTOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"
#include "../scenario/scenario.h"

#define TOOL_MAX_OPTS 24
#define TOOL_MAX_ARGS 8

enum tool_optkind { TOPT_BOOL, TOPT_STR };

/* One option of a command, as the tool's parse-options table has it. */
struct tool_opt {
	char shrt;		/* 0: long form only */
	const char *lng;
	enum tool_optkind kind;
	/* NULL: modelled; else why hotmem refuses it at parse time */
	const char *refused;
};

struct tool_cmdline;
struct tool_ctx;

/* A subcommand: its options, positional rule, checks and model. */
struct tool_cmd {
	const char *tool;	/* "ndctl", "daxctl" */
	const char *name;	/* "create-namespace", ... */
	const char *usage;	/* the tool's usage line */
	const struct tool_opt *opts;	/* ends with lng == NULL */
	bool needs_arg;		/* exactly one DEVICE operand (else none) */
	/* the tool's checks before it opens the machine: 0 or -EINVAL */
	int (*check)(const struct tool_cmdline *cl, char *err, size_t errlen);
	/* the model: returns the tool's rc (0 or -errno) */
	int (*run)(struct tool_ctx *t, const struct tool_cmdline *cl);
};

/* A parsed command line; values point into the caller's argv. */
struct tool_cmdline {
	const struct tool_cmd *cmd;
	bool set[TOOL_MAX_OPTS];	/* bool: true; string: has a value */
	const char *val[TOOL_MAX_OPTS];
	const char *arg[TOOL_MAX_ARGS];
	size_t nargs;
};

/* toolopt.c */
const struct tool_cmd *tool_find_cmd(const char *tool, const char *name);
int tool_cmdline_parse(char *const *argv, size_t argc,
		       struct tool_cmdline *cl, char *err, size_t errlen);
/* The option's value (NULL if not given) / whether a flag is on. */
const char *tool_opt(const struct tool_cmdline *cl, const char *lng);
bool tool_flag(const struct tool_cmdline *cl, const char *lng);
/*
 * __parse_size64 of ndctl's util/size.c: strtoull base 0, then one of
 * k/K m/M g/G t/T (binary) and nothing after; *units gets the unit
 * (1 without a suffix). -EINVAL where the tool gets ULLONG_MAX.
 */
int tool_parse_size(const char *s, uint64_t *out, uint64_t *units);
bool tool_uuid_valid(const char *s);

/* tooljson.c: the run context */
struct tool_ctx {
	const struct scenario_backend *be;
	void *state;
	struct strbuf out, err;
	int oom;		/* an append failed */
};

int tool_read(struct tool_ctx *t, const char *path, char *buf, size_t len);
int tool_read_u64(struct tool_ctx *t, const char *path, uint64_t *out);
int tool_read_int(struct tool_ctx *t, const char *path, int *out);
long tool_write(struct tool_ctx *t, const char *path, const char *val);
bool tool_exists(struct tool_ctx *t, const char *path);
/* The driver a device is bound to ("" when unbound). */
void tool_driver(struct tool_ctx *t, const char *devpath, char *buf, size_t len);
/* Entry names of a directory in the backend's order, malloc'ed. */
int tool_list(struct tool_ctx *t, const char *path, char ***names, size_t *n);
void tool_list_free(char **names, size_t n);
void tool_errf(struct tool_ctx *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A json-c object tree just big enough for the tools' output, printed
 * as json_object_to_json_string_ext(JSON_C_TO_STRING_PRETTY) does.
 */
enum tj_kind { TJ_OBJ, TJ_ARR, TJ_STR, TJ_NUM, TJ_RAW };
struct tj {
	enum tj_kind kind;
	char *key;		/* member name inside an object */
	char *text;		/* TJ_STR/TJ_RAW text; TJ_NUM: digits */
	struct tj *child, *last, *next;
	size_t n;
};
struct tj *tj_new(enum tj_kind kind);
void tj_free(struct tj *j);
/* Add members/elements; NULL parent or value is ignored (OOM-safe). */
struct tj *tj_add(struct tj *parent, const char *key, struct tj *v);
struct tj *tj_str(const char *s);
struct tj *tj_u64(uint64_t v);
struct tj *tj_int(long long v);
/* A value printed as given: json-c's booleans "true" / "false". */
struct tj *tj_raw(const char *text);
void tj_print(struct strbuf *sb, const struct tj *j);
/* util_display_json_array without --human: an array, even of one;
 * nothing at all for an empty or NULL list */
void tj_print_list(struct tool_ctx *t, struct tj *arr);

/* The tools (ndctl.c, daxctl.c). */
extern const struct tool_cmd ndctl_cmds[];
extern const struct tool_cmd daxctl_cmds[];

#endif
