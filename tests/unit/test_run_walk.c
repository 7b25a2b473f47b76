/*
 * test_run_walk.c - the runner's use of a backend's walk (one request
 * for a whole tree, as the guest agent's 'T' op gives it): an
 * expect-error step compares the trees the walk returns before and
 * after its action, and falls back to readdir, stat and read entry by
 * entry when the backend answers -ENOSYS (an older agent). The walk
 * here is a stand-in built on the model backend's own readdir, stat and
 * read, as the agent builds it on the guest's.
 *
 * Expected workload: a few model boots, well under a second.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/scenario/scenario.h"
#include "../../src/util/strbuf.h"

typedef int (*walk_fn)(void *ctx, const char *path, enum scenario_entry_kind kind,
		       int status, char *data);

struct walk_names {
	char **v;
	size_t n;
};

static int add_name(void *ctx, const char *name)
{
	struct walk_names *l = ctx;
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return 1;
	l->v = v;
	l->v[l->n] = strdup(name);
	if (l->v[l->n])
		l->n++;
	return 0;
}

static int walks, walk_mode;	/* calls seen; 1: -ENOSYS, 2: change a file */

static int model_walk_dir(void *state, const char *dir, walk_fn fn, void *ctx)
{
	const struct scenario_backend *m = &scenario_backend_model;
	struct walk_names names = { 0 };
	size_t i;
	int rc = m->readdir(state, dir, add_name, &names);

	rc = fn(ctx, dir, SCENARIO_ENTRY_DIR, rc < 0 ? rc : 0, NULL);
	for (i = 0; i < names.n && !rc; i++) {
		enum scenario_entry_kind kind = SCENARIO_ENTRY_NONE;
		unsigned int mode = 0;
		char path[512], target[512] = "", *data = NULL;
		int st;

		snprintf(path, sizeof(path), "%s/%s", dir, names.v[i]);
		st = m->stat(state, path, &kind, &mode, target, sizeof(target));
		if (st < 0)
			rc = fn(ctx, path, SCENARIO_ENTRY_NONE, st, NULL);
		else if (kind == SCENARIO_ENTRY_DIR)
			rc = model_walk_dir(state, path, fn, ctx);
		else if (kind == SCENARIO_ENTRY_LINK)
			rc = fn(ctx, path, kind, 0, strdup(target));
		else {
			st = m->read(state, path, &data);
			/* the memory tree walked after the action: one file changed */
			if (st == 0 && walk_mode == 2 && walks == 3 &&
			    !strcmp(path, "/sys/devices/system/memory/memory1/state")) {
				free(data);
				data = strdup("offline\n");
			}
			rc = fn(ctx, path, kind, st, st < 0 ? NULL : data);
		}
	}
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return rc;
}

static int model_walk(void *state, const char *dir, walk_fn fn, void *ctx)
{
	walks++;
	if (walk_mode == 1)
		return -ENOSYS;
	return model_walk_dir(state, dir, fn, ctx);
}

static size_t run_expect_error(struct test_ctx *t, int mode)
{
	static const char text[] =
		"machine arch=x86_64 mem=2G\nboot\n"
		"expect-error EINVAL write /sys/devices/system/memory/memory1/state bogus\n";
	struct scenario_backend be = scenario_backend_model;
	struct scenario_run_opts opts = { 0 };
	struct scenario_result res = { 0 };
	struct scenario *sc = NULL;
	struct strbuf diag;
	FILE *out = tmpfile();

	be.walk = model_walk;
	walks = 0;
	walk_mode = mode;
	sb_init(&diag);
	CHECK_EQ_INT(t, scenario_parse("t.scn", text, strlen(text), &sc, &diag), 0);
	if (sc && out) {
		opts.out = out;
		opts.err = out;
		CHECK_EQ_INT(t, scenario_run(sc, &be, &opts, &res), 0);
	}
	scenario_free(sc);
	sb_release(&diag);
	if (out)
		fclose(out);
	return res.expects_failed;
}

static void run_walk_used(struct test_ctx *t)
{
	/* the memory and node trees, before and after: four walks */
	CHECK_EQ_U64(t, run_expect_error(t, 0), 0);
	CHECK_EQ_INT(t, walks, 4);
	/* what the walk returns is what is compared */
	CHECK_EQ_U64(t, run_expect_error(t, 2), 1);
}

static void run_walk_enosys_falls_back(struct test_ctx *t)
{
	/* asked once: the rest goes entry by entry */
	CHECK_EQ_U64(t, run_expect_error(t, 1), 0);
	CHECK_EQ_INT(t, walks, 1);
}

void tests_run_walk(struct test_ctx *t)
{
	RUN(t, run_walk_used);
	RUN(t, run_walk_enosys_falls_back);
}
