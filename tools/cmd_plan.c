/*
 * cmd_plan.c - `hotmem plan`: load a captured machine, run what-if steps
 * on it and compare before and after (src/import/plan.h), as text,
 * --json, or an HTML page with the map (--html FILE).
 *
 * Contract: the machine is `machine from-snapshot=PATH` plus optional
 * machine words and cmdline words; the steps are scenario steps (--step,
 * repeatable, and/or a FILE of steps, one a line). Everything is parsed
 * before anything boots: a bad word or step is the parser's message and
 * exit 2. A step the machine refuses is reported in the plan, not fatal.
 * Exit 0 with the plan written; 2 on bad arguments or input.
 * Expected workload: one plan per invocation (two imports, a copy of the
 * machine per changed block for the offline trial).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/scenario/scenario.h"
#include "../src/import/plan.h"
#include "../src/util/strbuf.h"
#include "cli.h"

static const char plan_help[] =
"Usage: hotmem plan --snapshot PATH [--machine WORDS] [--cmdline WORDS]\n"
"                   [--step STEP]... [FILE] [--json] [--html OUT]\n"
"\n"
"Load a machine captured by 'hotmem snapshot' (a directory or tarball),\n"
"run what-if steps on it (scenario steps: device_add, device_del, write,\n"
"chmem, daxctl, ...) and compare it before and after: MemTotal, each node\n"
"and each zone, the memmap's cost and where it is charged, every block\n"
"that changes state, zone or node, whether it could be offlined again\n"
"(tried on a copy, with the reason) and the auto-movable decisions.\n"
"\n"
"Options:\n"
"  -S, --snapshot PATH  the captured machine (required)\n"
"  -m, --machine WORDS  more words of its machine line (arch=, page_size=,\n"
"                       maxmem=, slots=)\n"
"  -c, --cmdline WORDS  kernel parameters as if it had booted with them,\n"
"                       e.g. memory_hotplug.memmap_on_memory=1\n"
"  -e, --step STEP      one what-if step; repeatable, run in order\n"
"  FILE                 more steps, one a line (after the --step ones)\n"
"      --json           the plan as one JSON object\n"
"      --html OUT       also write the plan with its map as an HTML page\n"
"  -h, --help           show this help and exit\n"
"\n"
"Exit status:\n"
"  0  the plan was made (refused steps are part of it)\n"
"  2  bad arguments, a bad snapshot or a malformed step\n"
"\n"
"Example:\n"
"  hotmem plan --snapshot /tmp/s -c memory_hotplug.memmap_on_memory=1 \\\n"
"      --step 'device_add pc-dimm id=d1 size=8G' --html /tmp/plan.html\n";

/* Run TEXT on the model and keep the machine; the steps' output in *out. */
static int boot_text(const char *text, bool quiet, struct hotmem_machine **m, char **out)
{
	struct strbuf diag;
	struct scenario *sc = NULL;
	struct scenario_result res;
	void *state = NULL;
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	struct scenario_run_opts opts = { .err = stderr, .keep_state = &state };
	int rc;

	*m = NULL;
	if (!f)
		return EXIT_TROUBLE;
	opts.out = f;
	sb_init(&diag);
	rc = scenario_parse("<plan>", text, strlen(text), &sc, &diag);
	/* the second parse of the same machine line says nothing new */
	if (diag.buf && (!quiet || rc))
		fputs(diag.buf, stderr);
	sb_release(&diag);
	if (rc) {
		fclose(f);
		scenario_free(sc);
		return EXIT_TROUBLE;
	}
	rc = scenario_run(sc, &scenario_backend_model, &opts, &res);
	fclose(f);
	scenario_free(sc);
	if (rc < 0 || res.runtime_error || !state) {
		if (state)
			scenario_backend_model.destroy(state);
		return EXIT_TROUBLE;
	}
	*m = state;
	return 0;
}

/* Trace lines: the auto-movable decisions into *dec, others dropped;
 * everything else the steps printed into *rest. */
static void split_output(const char *text, char **dec, char **rest)
{
	struct strbuf d, r;
	const char *l;

	sb_init(&d);
	sb_init(&r);
	for (l = text; l && *l; ) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) + 1 : strlen(l);
		const char *am = strstr(l, "trace: auto-movable ");

		if (am && am < l + n)
			sb_printf(&d, "  %.*s", (int)(l + n - am - 7), am + 7);
		else if (strncmp(l, "  trace: ", 9))
			sb_add(&r, l, n);
		l += n;
	}
	*dec = sb_detach(&d);
	*rest = sb_detach(&r);
}

static int cmd_plan(int argc, char **argv)
{
	const char *snap = NULL, *machine = "", *cmdline = NULL, *file = NULL, *html = NULL;
	char **steps = calloc((size_t)argc + 1, sizeof(char *)), *filetext = NULL;
	struct hotmem_machine *before = NULL, *after = NULL;
	struct strbuf head, all;
	struct plan p = { 0 };
	char *out0 = NULL, *out1 = NULL;
	bool json = false;
	size_t nsteps = 0, len;
	int status = EXIT_TROUBLE, i;

	sb_init(&head);
	sb_init(&all);
	if (!steps)
		return EXIT_TROUBLE;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;

		if (wants_help(a)) {
			fputs(plan_help, stdout);
			status = EXIT_PASS;
			goto out;
		} else if (!strcmp(a, "-S") || !strcmp(a, "--snapshot")) {
			slot = &snap;
		} else if (!strcmp(a, "-m") || !strcmp(a, "--machine")) {
			slot = &machine;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--cmdline")) {
			slot = &cmdline;
		} else if (!strcmp(a, "--html")) {
			slot = &html;
		} else if (!strcmp(a, "--json")) {
			json = true;
			continue;
		} else if (!strcmp(a, "-e") || !strcmp(a, "--step")) {
			if (i + 1 == argc) {
				usage_error("plan: option '%s' needs a scenario step", a);
				goto out;
			}
			steps[nsteps++] = argv[++i];
			continue;
		} else if (a[0] == '-' && a[1]) {
			usage_error("plan: unknown option '%s'", a);
			goto out;
		} else if (file) {
			usage_error("plan: unexpected argument '%s' (one FILE of steps)", a);
			goto out;
		} else {
			file = a;
			continue;
		}
		if (i + 1 == argc) {
			usage_error("plan: option '%s' needs an argument", a);
			goto out;
		}
		*slot = argv[++i];
	}
	if (!snap) {
		usage_error("plan: --snapshot PATH is required (a capture made by 'hotmem snapshot')%s", "");
		goto out;
	}
	if (file && slurp(file, &filetext, &len)) {
		fprintf(stderr, "hotmem: plan: cannot read '%s'\n", file);
		goto out;
	}
	sb_printf(&head, "machine from-snapshot=\"%s\" %s\n", snap, machine);
	if (cmdline)
		sb_printf(&head, "cmdline %s\n", cmdline);
	sb_puts(&head, "boot\n");
	sb_puts(&all, head.buf);
	sb_puts(&all, "trace on\n");
	for (i = 0; i < (int)nsteps; i++)
		sb_printf(&all, "%s\n", steps[i]);
	if (filetext)
		sb_puts(&all, filetext);
	if (boot_text(all.buf, false, &after, &out1))
		goto out;
	if (boot_text(head.buf, true, &before, &out0))
		goto out;
	/* the steps as given, for the report */
	if (filetext) {
		char *l, *save = NULL;

		for (l = strtok_r(filetext, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (l[strspn(l, " \t")] && l[strspn(l, " \t")] != '#')
				steps[nsteps++] = l;
	}
	p.source = snap;
	p.step_text = steps;
	p.nr_steps = nsteps;
	if (plan_compare(before, after, &p)) {
		fputs("hotmem: plan: out of memory\n", stderr);
		goto out;
	}
	split_output(out1, &p.decisions, &p.steps_output);
	if (json)
		plan_json(&p, stdout);
	else
		plan_text(&p, stdout);
	if (html) {
		FILE *f = fopen(html, "w");

		if (!f) {
			fprintf(stderr, "hotmem: plan: cannot write '%s': %s\n", html, strerror(errno));
			goto out;
		}
		plan_html(&p, f);
		if (fclose(f)) {
			fprintf(stderr, "hotmem: plan: cannot write '%s'\n", html);
			goto out;
		}
		fprintf(stderr, "hotmem: plan: map written to %s\n", html);
	}
	status = EXIT_PASS;
out:
	plan_release(&p);
	hotmem_free(before);
	hotmem_free(after);
	free(out0);
	free(out1);
	free(filetext);
	free(steps);
	sb_release(&head);
	sb_release(&all);
	return status;
}

const struct command hotmem_cmd_plan = {
	"plan", "what-if steps on a captured machine, before and after",
	plan_help, cmd_plan,
};
