/*
 * cmd_serve.c - `hotmem serve`: boot a model machine, from a scenario
 * file or from the words of a scenario's machine and cmdline lines,
 * and serve its /sys and /proc as a live FUSE file system
 * (tools/serve/, docs/serve.md).
 *
 * Contract: the machine is described only in the scenario language:
 * --scenario FILE runs FILE on the model (its steps, expectations
 * included, up to the end), --machine/--cmdline/--step are turned into
 * the lines of a scenario named "<command line>" and parsed the same
 * way, so a malformed word gets the parser's message. Bad arguments, a
 * malformed scenario or a runtime error: exit 2 and nothing is mounted.
 * Failed expectations are reported and the machine is served anyway
 * (it is what the steps made). Exit 0 after a clean unmount.
 *
 * Expected workload: one long-running process per mount.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/scenario/scenario.h"
#include "../src/util/strbuf.h"
#include "cli.h"
#include "serve/serve.h"

static const char serve_help[] =
"Usage: hotmem serve [--scenario FILE | [--snapshot PATH] [--machine WORDS]\n"
"                    [--cmdline WORDS] [--step STEP]...] MOUNTPOINT\n"
"\n"
"Boot a model machine and serve its sysfs and procfs as a live FUSE file\n"
"system at MOUNTPOINT: MOUNTPOINT/sys/devices/system/memory, .../node,\n"
"/sys/bus/nd, /sys/bus/dax, MOUNTPOINT/proc/meminfo, zoneinfo, vmstat,\n"
"iomem. Files carry their sysfs modes; a write has the kernel's effect,\n"
"and a refused write fails with the kernel's errno (EBUSY, EINVAL, ...).\n"
"Runs in the foreground until interrupted (SIGINT or SIGTERM), then\n"
"unmounts. Real tools can look at it: lsmem --sysroot MOUNTPOINT, and\n"
"chmem or daxctl with the served tree bind-mounted in a private mount\n"
"namespace (docs/serve.md).\n"
"\n"
"Options:\n"
"  -s, --scenario FILE  run FILE's steps on the model, then serve the\n"
"                       machine they leave (failed expectations are\n"
"                       reported; the machine is served anyway)\n"
"  -m, --machine WORDS  the words of a scenario's machine line (default:\n"
"                       arch=x86_64 mem=2G slots=8 maxmem=32G)\n"
"  -c, --cmdline WORDS  kernel command line, as a scenario's cmdline line\n"
"  -S, --snapshot PATH  serve a real machine captured by 'hotmem snapshot'\n"
"                       (a directory or tarball): the machine line\n"
"                       'from-snapshot=PATH' (docs/import-and-plan.md)\n"
"  -e, --step STEP      one scenario step run after boot, e.g.\n"
"                       'device_add pc-dimm id=d1 size=1G'; repeatable\n"
"  -h, --help           show this help and exit\n"
"\n"
"Needs libfuse 3 at build time and /dev/fuse at run time (sh\n"
"scripts/serve-setup.sh installs both on Debian).\n"
"\n"
"Exit status:\n"
"  0  served, then cleanly unmounted\n"
"  2  bad arguments, a malformed scenario, a runtime error, no FUSE\n"
"\n"
"Examples:\n"
"  hotmem serve --scenario examples/dimm-memmap-on-memory.scn /mnt/hm\n"
"  hotmem serve -m 'arch=x86_64 mem=4G slots=4 maxmem=16G' \\\n"
"               -e 'device_add pc-dimm id=d1 size=1G' /mnt/hm\n"
"  lsmem --sysroot /mnt/hm\n";

#define DEFAULT_MACHINE "arch=x86_64 mem=2G slots=8 maxmem=32G"

/* A file argument's text, or the scenario the word options make. */
static int scenario_text(const char *file, const char *machine,
			 const char *cmdline, char **steps, size_t nsteps,
			 struct scenario **sc)
{
	struct strbuf text, diag;
	size_t i;
	int rc;

	if (file)
		return load_scenario(file, sc);
	sb_init(&text);
	sb_init(&diag);
	rc = sb_printf(&text, "machine %s\n", machine ? machine : DEFAULT_MACHINE);
	if (!rc && cmdline)
		rc = sb_printf(&text, "cmdline %s\n", cmdline);
	if (!rc)
		rc = sb_puts(&text, "boot\n");
	for (i = 0; !rc && i < nsteps; i++)
		rc = sb_printf(&text, "%s\n", steps[i]);
	if (!rc)
		rc = scenario_parse("<command line>", text.buf, text.len, sc, &diag);
	if (diag.buf)
		fputs(diag.buf, stderr);
	sb_release(&text);
	sb_release(&diag);
	if (rc == -ENOMEM)
		fputs("hotmem: serve: out of memory\n", stderr);
	return rc ? EXIT_TROUBLE : 0;
}

/*
 * Run the scenario on the model and keep its machine in *m (the run
 * hands its state over instead of destroying it); 0 or EXIT_TROUBLE.
 */
static int build_machine(const struct scenario *sc, struct hotmem_machine **m)
{
	void *state = NULL;
	struct scenario_run_opts opts = {
		.out = stdout, .err = stderr, .keep_state = &state,
	};
	struct scenario_result res;
	char err[256] = "";
	int rc;

	*m = NULL;
	rc = scenario_run(sc, &scenario_backend_model, &opts, &res);
	if (rc < 0 || res.runtime_error) {
		if (state)
			scenario_backend_model.destroy(state);
		return EXIT_TROUBLE;
	}
	if (res.expects_failed)
		fprintf(stderr, "hotmem: serve: %s: serving the machine although %zu of %zu expectations failed\n",
			sc->filename, res.expects_failed, res.expects_run);
	if (state) {
		*m = state;
		return 0;
	}
	/* no boot step: boot the machine line as it is */
	rc = hotmem_boot(&sc->machine.config, m, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "hotmem: serve: boot failed: %s\n", err);
		return EXIT_TROUBLE;
	}
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	const char *file = NULL, *machine = NULL, *cmdline = NULL, *mnt = NULL;
	const char *snapshot = NULL;
	char *words = NULL;
	char **steps = calloc((size_t)argc + 1, sizeof(char *));
	struct scenario *sc = NULL;
	struct hotmem_machine *m = NULL;
	size_t nsteps = 0;
	char err[512] = "";
	struct stat st;
	int status = EXIT_TROUBLE, i;

	if (!steps)
		return EXIT_TROUBLE;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (wants_help(a)) {
			fputs(serve_help, stdout);
			status = EXIT_PASS;
			goto out;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--scenario")) {
			slot = &file;
		} else if (!strcmp(a, "-m") || !strcmp(a, "--machine")) {
			slot = &machine;
		} else if (!strcmp(a, "-S") || !strcmp(a, "--snapshot")) {
			slot = &snapshot;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--cmdline")) {
			slot = &cmdline;
		} else if (!strcmp(a, "-e") || !strcmp(a, "--step")) {
			if (i + 1 == argc) {
				usage_error("serve: option '%s' needs a scenario step", a);
				goto out;
			}
			steps[nsteps++] = argv[++i];
			continue;
		} else if (a[0] == '-' && a[1]) {
			usage_error("serve: unknown option '%s'", a);
			goto out;
		} else if (mnt) {
			usage_error("serve: unexpected argument '%s' (one MOUNTPOINT)", a);
			goto out;
		} else {
			mnt = a;
			continue;
		}
		if (i + 1 == argc) {
			usage_error("serve: option '%s' needs an argument", a);
			goto out;
		}
		*slot = argv[++i];
	}
	if (file && (machine || cmdline || nsteps || snapshot)) {
		usage_error("serve: --scenario describes the whole machine; '%s' cannot be added to it",
			    machine ? "--machine" : cmdline ? "--cmdline" :
			    snapshot ? "--snapshot" : "--step");
		goto out;
	}
	if (snapshot) {
		/* the machine line of an imported machine, plus any -m words */
		if (asprintf(&words, "from-snapshot=\"%s\" %s", snapshot,
			     machine ? machine : "") < 0) {
			words = NULL;
			goto out;
		}
		machine = words;
	}
	if (!mnt) {
		usage_error("serve: no MOUNTPOINT given%s", "");
		goto out;
	}
	if (!serve_fuse_built) {
		/* before booting anything: nothing could be served */
		serve_fuse(NULL, mnt, err, sizeof(err));
		fprintf(stderr, "hotmem: serve: %s\n", err);
		goto out;
	}
	if (stat(mnt, &st) < 0) {
		fprintf(stderr, "hotmem: serve: mount point '%s': %s\n", mnt,
			strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "hotmem: serve: mount point '%s': not a directory\n",
			mnt);
		goto out;
	}
	if (scenario_text(file, machine, cmdline, steps, nsteps, &sc))
		goto out;
	if (build_machine(sc, &m))
		goto out;
	if (serve_fuse(m, mnt, err, sizeof(err)) < 0) {
		fprintf(stderr, "hotmem: serve: %s\n", err);
		goto out;
	}
	status = EXIT_PASS;
out:
	hotmem_free(m);
	scenario_free(sc);
	free(words);
	free(steps);
	return status;
}

const struct command hotmem_cmd_serve = {
	"serve", "serve a model machine's /sys and /proc over FUSE",
	serve_help, cmd_serve,
};
