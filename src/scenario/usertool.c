/*
 * usertool.c - ndctl and daxctl command lines as scenario steps
 * (docs/scenario-language.md, docs/device-memory.md).
 *
 * Contract: usertool_parse() accepts a command line only if hotmem can
 * run it; usertool_model_run() plays the tool against a backend through
 * its read/write/readdir ops, doing the sysfs accesses the real tool
 * does, so a scenario means the same on the model and on a real kernel
 * (where backend_qemu runs the real binary instead).
 *
 * Expected workload: a handful of tool steps per scenario.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

void scenario_tool_result_release(struct scenario_tool_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

int usertool_parse(char *const *argv, size_t argc, char *err, size_t errlen)
{
	(void)argc;
	snprintf(err, errlen, "%s: not modelled yet", argv[0]);
	return -EINVAL;
}

int usertool_model_run(const struct scenario_backend *be, void *state,
		       char *const *argv, size_t argc,
		       struct scenario_tool_result *res, char *err,
		       size_t errlen)
{
	(void)be; (void)state; (void)argc; (void)res;
	snprintf(err, errlen, "%s: not modelled yet", argv[0]);
	return -EOPNOTSUPP;
}
