/*
 * hotmem.c - the hotmem command's entry point: the table of
 * subcommands, `hotmem --help`, `--version` and `hotmem help`
 * (docs/cli.md). Each subcommand lives in its own tools/cmd_*.c.
 *
 * Exit status of every subcommand: 0 success (all expectations hold),
 * 1 some expectation failed, 2 malformed input, bad arguments or a
 * runtime error, 3 a broken invariant of the model (run --check, fuzz).
 *
 * Expected workload: interactive use and test suites.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define HOTMEM_VERSION "0.1.0"

static const char main_usage[] =
"Usage: hotmem COMMAND [OPTION]... [FILE]...\n"
"       hotmem --help | --version\n"
"\n"
"Run memory-hotplug scenarios against an executable model of Linux 6.12\n"
"memory hotplug: boot a QEMU-shaped machine, plug and unplug DIMMs, read\n"
"and write its sysfs and procfs files, and check what they show.\n"
"\n"
"Commands:\n";

static const char main_trailer[] =
"\n"
"Options:\n"
"  -h, --help     show this help and exit\n"
"      --version  show the version and exit\n"
"\n"
"Exit status:\n"
"  0  success: all expectations held, all files are well-formed\n"
"  1  some expectation failed\n"
"  2  malformed input, bad arguments, or a runtime error\n"
"  3  the model broke one of its invariants (run --check, fuzz)\n"
"\n"
"Example:\n"
"  hotmem run examples/dimm-memmap-on-memory.scn\n"
"\n"
"See 'hotmem help COMMAND' for a command, docs/scenario-language.md for\n"
"the scenario language.\n";

static const char help_help[] =
"Usage: hotmem help [COMMAND]\n"
"\n"
"Show the help of hotmem, or of COMMAND (see 'hotmem --help').\n"
"\n"
"Exit status:\n"
"  0  help was shown\n"
"  2  unknown command\n"
"\n"
"Example:\n"
"  hotmem help run\n";

/* Every subcommand, in the order `hotmem --help` lists them. */
static const struct command *const commands[] = {
	&hotmem_cmd_run,
	&hotmem_cmd_check,
	&hotmem_cmd_explain,
	&hotmem_cmd_fuzz,
	&hotmem_cmd_diff,
	&hotmem_cmd_capture,
	&hotmem_cmd_serve,
	&hotmem_cmd_snapshot,
	&hotmem_cmd_plan,
	&hotmem_cmd_help,
};

const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

void print_main_help(FILE *out)
{
	size_t i;

	fputs(main_usage, out);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i]->name, commands[i]->summary);
	fputs(main_trailer, out);
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_main_help(stdout);
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

const struct command hotmem_cmd_help = {
	"help", "show help for hotmem or one of its commands", help_help, cmd_help,
};

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		print_main_help(stderr);
		return EXIT_TROUBLE;
	}
	if (wants_help(argv[1])) {
		print_main_help(stdout);
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
