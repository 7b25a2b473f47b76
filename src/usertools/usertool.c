/*
 * usertool.c - ndctl, daxctl and chmem command lines as scenario steps
 * (docs/scenario-language.md, docs/device-memory.md): the dispatcher
 * between the scenario interpreter and the models in ndctl.c, daxctl.c
 * and chmem.c.
 *
 * Contract: usertool_parse() accepts a command line only if hotmem can
 * run it (toolopt.c); usertool_model_run() plays the tool against a
 * backend through its read/write/readdir/stat ops, doing the sysfs
 * accesses the real tool does, so a scenario means the same on the
 * model and on a real kernel (where backend_qemu runs the real binary
 * instead). The tool's exit status is its rc & 0xff, as ndctl's and
 * daxctl's main() return it.
 *
 * Expected workload: a handful of tool steps per scenario.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usertool.h"

void scenario_tool_result_release(struct scenario_tool_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

int usertool_parse(char *const *argv, size_t argc, char *err, size_t errlen)
{
	struct tool_cmdline cl;
	struct scenario_chmem c;

	if (argc && !strcmp(argv[0], "chmem"))
		return chmem_parse(argv + 1, argc - 1, &c, err, errlen);
	return tool_cmdline_parse(argv, argc, &cl, err, errlen);
}

int usertool_model_run(const struct scenario_backend *be, void *state,
		       char *const *argv, size_t argc,
		       struct scenario_tool_result *res, char *err,
		       size_t errlen)
{
	struct tool_ctx t = { .be = be, .state = state };
	struct tool_cmdline cl;
	int rc;

	memset(res, 0, sizeof(*res));
	if (argc && !strcmp(argv[0], "chmem")) {
		struct scenario_chmem c;

		rc = chmem_parse(argv + 1, argc - 1, &c, err, errlen);
		return rc ? rc : chmem_run(be, state, &c, res, err, errlen);
	}
	rc = tool_cmdline_parse(argv, argc, &cl, err, errlen);
	if (rc)
		return rc;
	sb_init(&t.out);
	sb_init(&t.err);
	rc = cl.cmd->run(&t, &cl);
	if (t.oom) {
		sb_release(&t.out);
		sb_release(&t.err);
		snprintf(err, errlen, "%s: out of memory", argv[0]);
		return -ENOMEM;
	}
	res->status = (int)((unsigned int)rc & 0xff);
	res->out = t.out.len ? sb_detach(&t.out) : NULL;
	res->err = t.err.len ? sb_detach(&t.err) : NULL;
	sb_release(&t.out);
	sb_release(&t.err);
	return 0;
}
