/*
 * cmd_run.c - `hotmem run` and `hotmem check` (docs/cli.md).
 *
 * Contract: `hotmem run [-v] [--backend=NAME] [--accel=A] FILE...` parses every
 * file first (nothing runs if any is malformed), then runs them in
 * order (failed expectations go on to the next file, a runtime error
 * stops); `hotmem check FILE...` only parses. Scenario output goes to
 * stdout, diagnostics and summaries to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/scenario/scenario.h"
#include "cli.h"

static const char run_help[] =
"Usage: hotmem run [-v] [--check] [--backend=NAME] [--accel=ACCEL] [--map-svg=DIR]\n"
"                  FILE...\n"
"\n"
"Parse every FILE, then run each in order. If any file is malformed,\n"
"its errors are reported as FILE:LINE: error: MESSAGE and nothing runs.\n"
"A FILE of '-' reads the scenario from standard input.\n"
"\n"
"Standard output shows only what the scenarios ask for ('read', 'echo',\n"
"'dmesg', 'trace') and every failed expectation:\n"
"  FILE:LINE: expect failed: STEP\n"
"    wanted: OP VALUE\n"
"    got:    VALUE\n"
"Summaries (FILE: N of M expectations failed) go to standard error.\n"
"\n"
"Options:\n"
"  -v, --verbose       also report passing expectations and a summary\n"
"      --check         check the model's invariants after every step and\n"
"                      stop at the first violation, naming the step\n"
"                      (FILE:LINE) and each invariant broken\n"
"      --backend=NAME  the machine to run on; NAME is 'model' (default)\n"
"                      or 'qemu' (docs/real-kernel.md)\n"
"      --accel=ACCEL   qemu backend: 'auto' (default: KVM when it works,\n"
"                      else TCG), 'kvm' (an error when KVM fails) or 'tcg';\n"
"                      as $HOTMEM_ACCEL\n"
"      --map-svg=DIR   also draw each 'map' step as an SVG picture,\n"
"                      DIR/SCENARIO-LINE.svg (DIR must exist)\n"
"  -h, --help          show this help and exit\n"
"\n"
"Exit status:\n"
"  0  every expectation held\n"
"  1  some expectation failed\n"
"  2  malformed scenario, bad arguments, or a runtime error (e.g. boot)\n"
"  3  --check found a violated invariant (a bug in the model)\n"
"\n"
"Example:\n"
"  hotmem run -v examples/dimm-memmap-on-memory.scn\n";

static const char check_help[] =
"Usage: hotmem check FILE...\n"
"\n"
"Parse every FILE (or standard input for '-') and report each malformed\n"
"line as FILE:LINE: error: MESSAGE, without running anything. Unknown\n"
"kernel parameters on 'cmdline' lines are warnings, as the kernel\n"
"ignores them.\n"
"\n"
"Options:\n"
"  -h, --help  show this help and exit\n"
"\n"
"Exit status:\n"
"  0  every file is well-formed\n"
"  2  some file is malformed, cannot be read, or bad arguments\n"
"\n"
"Example:\n"
"  hotmem check tests/scenarios/*.scn\n";

/* --map-svg: where the pictures go. */
struct map_svg_ctx {
	const char *dir;
};

/* DIR/NAME-LINE.svg, NAME the scenario file's base name without .scn. */
static int write_map_svg(void *ctx, const struct scenario *sc,
			 const struct scenario_step *s, const char *svg)
{
	const struct map_svg_ctx *m = ctx;
	const char *base = strrchr(sc->filename, '/');
	char path[4096];
	size_t blen;
	FILE *f;

	base = base ? base + 1 : sc->filename;
	blen = strlen(base);
	if (blen > 4 && !strcmp(base + blen - 4, ".scn"))
		blen -= 4;
	if (!strcmp(base, "-"))
		base = "stdin", blen = 5;
	snprintf(path, sizeof(path), "%s/%.*s-%u.svg", m->dir, (int)blen, base,
		 s->line);
	f = fopen(path, "w");
	if (!f) {
		int e = errno;

		fprintf(stderr, "hotmem run: cannot write %s: %s\n", path, strerror(e));
		return -e;
	}
	fputs(svg, f);
	if (fclose(f)) {
		fprintf(stderr, "hotmem run: cannot write %s\n", path);
		return -EIO;
	}
	fprintf(stderr, "%s:%u: map: %s\n", sc->filename, s->line, path);
	return 0;
}

/* Run one parsed scenario; its exit status. */
static int run_one(const struct scenario *sc,
		   const struct scenario_backend *backend,
		   const struct scenario_run_opts *opts)
{
	struct scenario_result res;
	int rc = scenario_run(sc, backend, opts, &res);

	if (res.invariant_violated)
		return EXIT_INVARIANT;
	if (rc < 0 || res.runtime_error)
		return EXIT_TROUBLE;
	return res.expects_failed ? EXIT_EXPECT_FAILED : EXIT_PASS;
}

/*
 * The files named on the command line, parsed: a usage error when there
 * are none; else load_all()'s status with *scs (free with free_all).
 */
static int load_files(const char *cmd, const struct file_list *files,
		      struct scenario ***scs)
{
	*scs = NULL;
	if (!files->n)
		return usage_error("%s: no scenario file given", cmd);
	*scs = calloc(files->n, sizeof(**scs));
	if (!*scs)
		return EXIT_TROUBLE;
	return load_all(files, *scs);
}

/* A FILE operand (or the "--" that ends options): taken into files. */
static bool file_operand(char *a, bool *options_done, struct file_list *files)
{
	if (*options_done || a[0] != '-' || strcmp(a, "-") == 0) {
		files->v[files->n++] = a;
		return true;
	}
	if (strcmp(a, "--") == 0) {
		*options_done = true;
		return true;
	}
	return false;
}

static int cmd_run(int argc, char **argv)
{
	const struct scenario_backend *backend = &scenario_backend_model;
	struct scenario_run_opts opts = { .out = stdout, .err = stderr };
	struct map_svg_ctx map_svg = { NULL };
	struct file_list files = { .v = calloc((size_t)argc + 1, sizeof(char *)) };
	struct scenario **scs;
	bool options_done = false;
	int status;
	size_t i;

	if (!files.v)
		return EXIT_TROUBLE;
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];

		if (file_operand(argv[i], &options_done, &files)) {
			continue;
		} else if (wants_help(a)) {
			fputs(run_help, stdout);
			free(files.v);
			return EXIT_PASS;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			opts.verbose = true;
		} else if (strcmp(a, "--check") == 0) {
			opts.check = true;
		} else if (strncmp(a, "--map-svg=", 10) == 0 ||
			   strcmp(a, "--map-svg") == 0) {
			struct stat st;

			map_svg.dir = a[9] == '=' ? a + 10 : argv[++i];
			if (!map_svg.dir || !*map_svg.dir) {
				free(files.v);
				return usage_error("option '%s' needs a directory", a);
			}
			if (stat(map_svg.dir, &st) || !S_ISDIR(st.st_mode)) {
				free(files.v);
				return usage_error("--map-svg: '%s' is not a directory", map_svg.dir);
			}
			opts.map_picture = write_map_svg;
			opts.map_picture_ctx = &map_svg;
		} else if (strncmp(a, "--accel=", 8) == 0) {
			int rc = accel_option(a + 8);

			if (rc) {
				free(files.v);
				return rc;
			}
		} else if (strncmp(a, "--backend=", 10) == 0 ||
			   strcmp(a, "--backend") == 0) {
			const char *name = a[9] == '=' ? a + 10 : argv[++i];

			if (!name) {
				free(files.v);
				return usage_error("option '%s' needs a backend name",
						   a);
			}
			backend = scenario_backend_find(name);
			if (!backend) {
				free(files.v);
				return usage_error("unknown backend '%s' (available: " SCENARIO_BACKEND_NAMES ")",
						   name);
			}
		} else {
			free(files.v);
			return usage_error("unknown option '%s'", a);
		}
	}
	/* refused before any VM boots: such a backend cannot be looked into */
	if (files.n && opts.check && !backend->check) {
		free(files.v);
		return usage_error("--check: backend '%s' cannot check invariants (use the model)", backend->name);
	}
	/* Nothing runs unless every file is well-formed. */
	status = load_files("run", &files, &scs);
	if (!scs) {
		free(files.v);
		return status;
	}
	/* ... and the backend can do every step of every file */
	for (i = 0; i < files.n && status < EXIT_TROUBLE; i++)
		if (scs[i] && backend_check_steps(backend, scs[i]))
			status = EXIT_TROUBLE;
	for (i = 0; i < files.n && status < EXIT_TROUBLE; i++) {
		int file_status = run_one(scs[i], backend, &opts);

		if (file_status > status)
			status = file_status;
	}
	free_all(scs, files.n);
	free(files.v);
	return status;
}

static int cmd_check(int argc, char **argv)
{
	struct file_list files = { .v = calloc((size_t)argc + 1, sizeof(char *)) };
	struct scenario **scs;
	bool options_done = false;
	int status;
	size_t i;

	if (!files.v)
		return EXIT_TROUBLE;
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];

		if (file_operand(argv[i], &options_done, &files)) {
			continue;
		} else if (wants_help(a)) {
			fputs(check_help, stdout);
			free(files.v);
			return EXIT_PASS;
		} else {
			free(files.v);
			return usage_error("unknown option '%s'", a);
		}
	}
	status = load_files("check", &files, &scs);
	if (scs)
		free_all(scs, files.n);
	free(files.v);
	return status;
}

const struct command hotmem_cmd_run = {
	"run", "run scenario files and check their expectations", run_help, cmd_run,
};

const struct command hotmem_cmd_check = {
	"check", "only parse scenario files and report malformed lines",
	check_help, cmd_check,
};
