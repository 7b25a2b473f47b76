/*
 * hotmem.c - the hotmem command: run and check scenarios
 * (docs/cli.md, docs/scenario-language.md).
 *
 * Contract: `hotmem run [-v] [--backend=NAME] FILE...` parses every
 * file first (nothing runs if any is malformed), then runs them in
 * order (failed expectations go on to the next file, a runtime error
 * stops); `hotmem check FILE...` only parses. Exit status: 0 all
 * expectations hold (or all files are well-formed), 1 some expectation
 * failed, 2 malformed scenario, bad arguments or runtime error. Scenario
 * output goes to stdout, diagnostics and summaries to stderr.
 *
 * Expected workload: interactive use and test suites; a handful of
 * scenario files per invocation.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/scenario/scenario.h"
#include "../src/util/strbuf.h"

#define HOTMEM_VERSION "0.1.0"

enum {
	EXIT_PASS = 0,
	EXIT_EXPECT_FAILED = 1,
	EXIT_TROUBLE = 2,	/* malformed scenario, bad usage, runtime error */
};

static const char main_help[] =
"Usage: hotmem COMMAND [OPTION]... [FILE]...\n"
"       hotmem --help | --version\n"
"\n"
"Run memory-hotplug scenarios against an executable model of Linux 6.12\n"
"memory hotplug: boot a QEMU-shaped machine, plug and unplug DIMMs, read\n"
"and write its sysfs and procfs files, and check what they show.\n"
"\n"
"Commands:\n"
"  run      run scenario files and check their expectations\n"
"  check    only parse scenario files and report malformed lines\n"
"  help     show help for hotmem or one of its commands\n"
"\n"
"Options:\n"
"  -h, --help     show this help and exit\n"
"      --version  show the version and exit\n"
"\n"
"Exit status:\n"
"  0  all expectations held (run) or all files are well-formed (check)\n"
"  1  some expectation failed\n"
"  2  malformed scenario, bad arguments, or a runtime error\n"
"\n"
"Example:\n"
"  hotmem run examples/dimm-memmap-on-memory.scn\n"
"\n"
"See 'hotmem help COMMAND' for a command, docs/scenario-language.md for\n"
"the scenario language.\n";

static const char run_help[] =
"Usage: hotmem run [-v] [--backend=NAME] FILE...\n"
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
"      --backend=NAME  the machine to run on; NAME is 'model' (default)\n"
"  -h, --help          show this help and exit\n"
"\n"
"Exit status:\n"
"  0  every expectation held\n"
"  1  some expectation failed\n"
"  2  malformed scenario, bad arguments, or a runtime error (e.g. boot)\n"
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

static const char help_help[] =
"Usage: hotmem help [COMMAND]\n"
"\n"
"Show the help of hotmem, or of COMMAND (run, check, help).\n"
"\n"
"Exit status:\n"
"  0  help was shown\n"
"  2  unknown command\n"
"\n"
"Example:\n"
"  hotmem help run\n";

struct command {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv);
};

static int cmd_run(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "run", run_help, cmd_run },
	{ "check", check_help, cmd_check },
	{ "help", help_help, cmd_help },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("hotmem: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'hotmem --help'.\n", stderr);
	return EXIT_TROUBLE;
}

/* Read a whole file ("-" = stdin) into a malloc'ed buffer. */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct strbuf sb;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return -errno;
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb_add(&sb, chunk, n)) {
			rc = -ENOMEM;
			break;
		}
	}
	if (!rc && ferror(f))
		rc = -EIO;
	if (f != stdin)
		fclose(f);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	*len = sb.len;
	*out = sb_detach(&sb);
	return *out ? 0 : -ENOMEM;
}

/*
 * Parse one file, print its diagnostics. Returns 0 and *sc, or the
 * exit status to use.
 */
static int load(const char *path, struct scenario **sc)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct strbuf diag;
	char *text = NULL;
	size_t len = 0;
	int rc;

	*sc = NULL;
	rc = slurp(path, &text, &len);
	if (rc) {
		fprintf(stderr, "hotmem: cannot read '%s': %s\n", path,
			strerror(-rc));
		return EXIT_TROUBLE;
	}
	sb_init(&diag);
	rc = scenario_parse(name, text, len, sc, &diag);
	free(text);
	if (diag.buf)
		fputs(diag.buf, stderr);
	sb_release(&diag);
	if (rc == -ENOMEM)
		fprintf(stderr, "hotmem: %s: out of memory\n", name);
	return rc ? EXIT_TROUBLE : 0;
}

/* Is argv[i] a request for help? */
static bool wants_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

struct file_list {
	char **v;
	size_t n;
};

static int load_all(const struct file_list *files, struct scenario **scs)
{
	int status = 0;
	size_t i;

	for (i = 0; i < files->n; i++)
		if (load(files->v[i], &scs[i]))
			status = EXIT_TROUBLE;
	return status;
}

static void free_all(struct scenario **scs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		scenario_free(scs[i]);
	free(scs);
}

/* Run one parsed scenario; its exit status. */
static int run_one(const struct scenario *sc,
		   const struct scenario_backend *backend,
		   const struct scenario_run_opts *opts)
{
	struct scenario_result res;
	int rc = scenario_run(sc, backend, opts, &res);

	if (rc < 0 || res.runtime_error)
		return EXIT_TROUBLE;
	return res.expects_failed ? EXIT_EXPECT_FAILED : EXIT_PASS;
}

static int cmd_run(int argc, char **argv)
{
	const struct scenario_backend *backend = &scenario_backend_model;
	struct scenario_run_opts opts = { .out = stdout, .err = stderr };
	struct file_list files = { .v = calloc((size_t)argc + 1, sizeof(char *)) };
	struct scenario **scs;
	bool options_done = false;
	int status;
	size_t i;

	if (!files.v)
		return EXIT_TROUBLE;
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];

		if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
			files.v[files.n++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			options_done = true;
		} else if (wants_help(a)) {
			fputs(run_help, stdout);
			free(files.v);
			return EXIT_PASS;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			opts.verbose = true;
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
				return usage_error("unknown backend '%s' (available: model)",
						   name);
			}
		} else {
			free(files.v);
			return usage_error("unknown option '%s'", a);
		}
	}
	if (!files.n) {
		free(files.v);
		return usage_error("%s: no scenario file given", "run");
	}
	scs = calloc(files.n, sizeof(*scs));
	if (!scs) {
		free(files.v);
		return EXIT_TROUBLE;
	}
	/* Nothing runs unless every file is well-formed. */
	status = load_all(&files, scs);
	for (i = 0; i < files.n && status != EXIT_TROUBLE; i++) {
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

		if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
			files.v[files.n++] = argv[i];
		} else if (strcmp(a, "--") == 0) {
			options_done = true;
		} else if (wants_help(a)) {
			fputs(check_help, stdout);
			free(files.v);
			return EXIT_PASS;
		} else {
			free(files.v);
			return usage_error("unknown option '%s'", a);
		}
	}
	if (!files.n) {
		free(files.v);
		return usage_error("%s: no scenario file given", "check");
	}
	scs = calloc(files.n, sizeof(*scs));
	if (!scs) {
		free(files.v);
		return EXIT_TROUBLE;
	}
	status = load_all(&files, scs);
	free_all(scs, files.n);
	free(files.v);
	return status;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		fputs(main_help, stdout);
		return EXIT_PASS;
	}
	if (wants_help(argv[1])) {
		fputs(help_help, stdout);
		return EXIT_PASS;
	}
	if (argc > 2)
		return usage_error("help: unexpected argument '%s'", argv[2]);
	c = find_command(argv[1]);
	if (!c)
		return usage_error("unknown command '%s'", argv[1]);
	fputs(c->help, stdout);
	return EXIT_PASS;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_TROUBLE;
	}
	if (wants_help(argv[1])) {
		fputs(main_help, stdout);
		return EXIT_PASS;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("hotmem " HOTMEM_VERSION);
		return EXIT_PASS;
	}
	if (argv[1][0] == '-')
		return usage_error("unknown option '%s'", argv[1]);
	c = find_command(argv[1]);
	if (!c)
		return usage_error("unknown command '%s'", argv[1]);
	return c->fn(argc - 1, argv + 1);
}
