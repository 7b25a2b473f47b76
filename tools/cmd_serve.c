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
#include <limits.h>
#include <stdbool.h>
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
"                       arch=x86_64 mem=2G slots=8 maxmem=32G); repeatable,\n"
"                       the words add up to one machine line\n"
"  -c, --cmdline WORDS  kernel command line, as a scenario's cmdline line;\n"
"                       repeatable, each one a cmdline line (they add up)\n"
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

/* The words given to one repeatable option, in the order given. */
struct word_list {
	char **v;
	size_t n;
};

/*
 * A file argument's text, or the scenario the word options make. Every
 * -m adds its words to the one machine line (a later key=value wins, as
 * on a machine line), every -c is a cmdline line of its own: cmdline
 * lines add up in a scenario, so repeated options add up here too.
 */
static int scenario_text(const char *file, const char *snapshot,
			 const struct word_list *machine,
			 const struct word_list *cmdline,
			 const struct word_list *steps, struct scenario **sc)
{
	struct strbuf text, diag;
	size_t i;
	int rc;

	if (file)
		return load_scenario(file, sc);
	sb_init(&text);
	sb_init(&diag);
	rc = sb_puts(&text, "machine");
	/* an imported machine: its line, plus any -m words */
	if (!rc && snapshot)
		rc = sb_printf(&text, " from-snapshot=\"%s\"", snapshot);
	else if (!rc && !machine->n)
		rc = sb_puts(&text, " " DEFAULT_MACHINE);
	for (i = 0; !rc && i < machine->n; i++)
		rc = sb_printf(&text, " %s", machine->v[i]);
	if (!rc)
		rc = sb_puts(&text, "\n");
	for (i = 0; !rc && i < cmdline->n; i++)
		rc = sb_printf(&text, "cmdline %s\n", cmdline->v[i]);
	if (!rc)
		rc = sb_puts(&text, "boot\n");
	for (i = 0; !rc && i < steps->n; i++)
		rc = sb_printf(&text, "%s\n", steps->v[i]);
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

/*
 * Is a FUSE file system (another hotmem serve, most likely) mounted at
 * path? A second mount would stack on it silently and hide it.
 */
static bool fuse_mounted_at(const char *path)
{
	char real[PATH_MAX], line[4096], fstype[64];
	unsigned int i, o;
	bool found = false;
	FILE *f;

	if (!realpath(path, real))
		return false;
	f = fopen("/proc/self/mounts", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *mp = strchr(line, ' '), *end;

		if (!mp)
			continue;
		end = strchr(++mp, ' ');
		if (!end || sscanf(end + 1, "%63s", fstype) != 1)
			continue;
		*end = '\0';
		/* /proc/mounts escapes space, tab, newline, \\ as \ooo */
		for (i = o = 0; mp[i]; o++) {
			if (mp[i] == '\\' && mp[i + 1] >= '0' && mp[i + 1] <= '7' &&
			    mp[i + 2] && mp[i + 3]) {
				mp[o] = (char)((mp[i + 1] - '0') * 64 +
					       (mp[i + 2] - '0') * 8 + (mp[i + 3] - '0'));
				i += 4;
			} else {
				mp[o] = mp[i++];
			}
		}
		mp[o] = '\0';
		found = !strcmp(mp, real) && !strncmp(fstype, "fuse", 4);
	}
	fclose(f);
	return found;
}

static int cmd_serve(int argc, char **argv)
{
	const char *file = NULL, *mnt = NULL, *snapshot = NULL;
	/* each list can hold every argument: no reallocation */
	struct word_list machine = { calloc((size_t)argc, sizeof(char *)), 0 };
	struct word_list cmdline = { calloc((size_t)argc, sizeof(char *)), 0 };
	struct word_list steps = { calloc((size_t)argc, sizeof(char *)), 0 };
	struct scenario *sc = NULL;
	struct hotmem_machine *m = NULL;
	char err[512] = "";
	struct stat st;
	int status = EXIT_TROUBLE, i;

	if (!machine.v || !cmdline.v || !steps.v)
		goto out;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct word_list *list = NULL;

		if (wants_help(a)) {
			fputs(serve_help, stdout);
			status = EXIT_PASS;
			goto out;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--scenario")) {
			if (file) {
				usage_error("serve: a second '%s' (one scenario file)", a);
				goto out;
			}
		} else if (!strcmp(a, "-m") || !strcmp(a, "--machine")) {
			list = &machine;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--cmdline")) {
			list = &cmdline;
		} else if (!strcmp(a, "-S") || !strcmp(a, "--snapshot")) {
			if (snapshot) {
				usage_error("serve: a second '%s' (one snapshot)", a);
				goto out;
			}
		} else if (!strcmp(a, "-e") || !strcmp(a, "--step")) {
			list = &steps;
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
			usage_error(list == &steps ?
				    "serve: option '%s' needs a scenario step" :
				    "serve: option '%s' needs an argument", a);
			goto out;
		}
		if (list)
			list->v[list->n++] = argv[++i];
		else if (!strcmp(a, "-S") || !strcmp(a, "--snapshot"))
			snapshot = argv[++i];
		else
			file = argv[++i];
	}
	if (file && (machine.n || cmdline.n || steps.n || snapshot)) {
		usage_error("serve: --scenario describes the whole machine; '%s' cannot be added to it",
			    machine.n ? "--machine" : cmdline.n ? "--cmdline" :
			    snapshot ? "--snapshot" : "--step");
		goto out;
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
	if (fuse_mounted_at(mnt)) {
		fprintf(stderr, "hotmem: serve: mount point '%s' is already served (a FUSE file system is mounted there): stop that server, or unmount it with fusermount3 -u %s\n",
			mnt, mnt);
		goto out;
	}
	if (scenario_text(file, snapshot, &machine, &cmdline, &steps, &sc))
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
	free(machine.v);
	free(cmdline.v);
	free(steps.v);
	return status;
}

const struct command hotmem_cmd_serve = {
	"serve", "serve a model machine's /sys and /proc over FUSE",
	serve_help, cmd_serve,
};
