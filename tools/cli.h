/*
 * cli.h - what the hotmem command's files share: the command table
 * entry, exit statuses and small helpers for reading scenario files.
 *
 * Contract: one file per command (tools/cmd_*.c) defines a
 * `const struct command hotmem_cmd_NAME`; tools/hotmem.c lists them.
 * A command's fn gets argv with argv[0] = its name and returns an exit
 * status. Helpers print their own diagnostics to stderr.
 */
#ifndef HOTMEM_CLI_H
#define HOTMEM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct scenario;

enum {
	EXIT_PASS = 0,
	EXIT_EXPECT_FAILED = 1,
	EXIT_TROUBLE = 2,	/* malformed scenario, bad usage, runtime error */
	EXIT_INVARIANT = 3,	/* run --check: the model broke an invariant */
};

struct command {
	const char *name;
	const char *summary;	/* one line for `hotmem --help` */
	const char *help;
	int (*fn)(int argc, char **argv);
};

extern const struct command hotmem_cmd_run;
extern const struct command hotmem_cmd_check;
extern const struct command hotmem_cmd_fuzz;
extern const struct command hotmem_cmd_diff;
extern const struct command hotmem_cmd_capture;
extern const struct command hotmem_cmd_help;
extern const struct command hotmem_cmd_explain;
extern const struct command hotmem_cmd_serve;
extern const struct command hotmem_cmd_snapshot;
extern const struct command hotmem_cmd_plan;

const struct command *find_command(const char *name);
void print_main_help(FILE *out);

/* "hotmem: MESSAGE\nTry 'hotmem --help'." on stderr; EXIT_TROUBLE. */
int usage_error(const char *fmt, const char *arg);
bool wants_help(const char *arg);
/* --accel=VALUE: sets $HOTMEM_ACCEL; 0 or a usage error's status. */
int accel_option(const char *value);
/* Read a whole file ("-" = stdin) into a malloc'ed buffer. */
int slurp(const char *path, char **out, size_t *len);
/* Parse one file, print its diagnostics; 0 and *sc, or EXIT_TROUBLE. */
int load_scenario(const char *path, struct scenario **sc);
struct scenario_backend;
/*
 * The steps of sc backend be can never do (its check_steps op), each
 * named on stderr: EXIT_TROUBLE then, else 0. Nothing has booted yet.
 */
int backend_check_steps(const struct scenario_backend *be,
			const struct scenario *sc);

struct file_list {
	char **v;
	size_t n;
};

int load_all(const struct file_list *files, struct scenario **scs);
void free_all(struct scenario **scs, size_t n);

#endif
