/*
 * run.c - the scenario interpreter.
 *
 * Contract: scenario_run() executes a parsed (hence well-formed)
 * scenario step by step through a struct scenario_backend and nothing
 * else, so it never assumes the model: the same run works on any
 * backend. Output (opts->out) holds only what the scenario asks for:
 * `read` contents, echo, dmesg, trace lines, failed writes/reads and
 * failed expectations ("FILE:LINE: expect failed: STEP" with wanted/got
 * lines); summaries and runtime errors go to opts->err. A failed write,
 * read or device_add is output, not an error: the run goes on. A boot
 * failure or a broken backend is a runtime error and stops the run.
 *
 * Expected workload: scenarios of up to a few thousand steps; an
 * expect-error step reads the whole /sys/devices/system/{memory,node}
 * tree and four /proc files before and after its action (thousands of
 * files on big machines), every other step a handful of files.
 */
#include "scenario.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Contents taken by one snapshot step, parallel to its snapshot_paths. */
struct snapshot_data {
	char **contents;	/* NULL where the read failed */
};

struct runner {
	const struct scenario *sc;
	const struct scenario_backend *be;
	const struct scenario_run_opts *opts;
	struct scenario_result *res;
	void *state;		/* the backend's machine, after boot */
	bool tracing;
	/*
	 * Bytes of the kernel log already shown (or produced by boot): the
	 * dmesg step prints what came after.
	 */
	size_t dmesg_seen;
	struct snapshot_data *snaps;	/* indexed by step */
	bool no_walk;		/* the backend's walk said -ENOSYS once */
};

/* One entry of a tree dump: a path and what was found there. */
struct dump_entry {
	char *path;
	char *what;
};

struct dump {
	struct dump_entry *v;
	size_t n, alloc;
};

static const char *errno_name(int e)
{
	const char *name = hotmem_errno_name(e);

	return name ? name : "E?";
}

static void runtime_error(struct runner *r, const struct scenario_step *s,
			  const char *what, int err, const char *msg)
{
	fprintf(r->opts->err, "%s:%u: error: %s: %s", r->sc->filename,
		s->line, what, msg && *msg ? msg : strerror(-err));
	if (msg && *msg && err)
		fprintf(r->opts->err, " (%s)", errno_name(-err));
	fputc('\n', r->opts->err);
	r->res->runtime_error = true;
}

/* ------------------------------------------------------------------ */
/* Tree dumps for expect-error's "changes nothing"                    */
/* ------------------------------------------------------------------ */

static void dump_release(struct dump *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].what);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* Takes ownership of what (even on failure). */
static int dump_add(struct dump *d, const char *path, char *what)
{
	if (!what)
		return -ENOMEM;
	if (d->n == d->alloc) {
		size_t n = d->alloc ? 2 * d->alloc : 256;
		struct dump_entry *v = realloc(d->v, n * sizeof(*v));

		if (!v) {
			free(what);
			return -ENOMEM;
		}
		d->v = v;
		d->alloc = n;
	}
	d->v[d->n].path = strdup(path);
	if (!d->v[d->n].path) {
		free(what);
		return -ENOMEM;
	}
	d->v[d->n].what = what;
	d->n++;
	return 0;
}

static char *errno_text(int err)
{
	struct strbuf sb;

	sb_init(&sb);
	if (sb_printf(&sb, "<%s>", errno_name(-err))) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/*
 * Is this line of a counter file stable on a live kernel? Sizes and
 * spans are; free pages, event counts and per-CPU lists are not.
 */
static bool stable_counter_line(const char *line, size_t n)
{
	static const char *const keys[] = {
		"MemTotal:", "spanned", "present", "managed", "start_pfn:",
		"nr_memmap_pages", "nr_memmap_boot_pages", "Node",
	};
	size_t i;

	while (n && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t k = strlen(keys[i]);

		if (n >= k && memcmp(line, keys[i], k) == 0)
			return strcmp(keys[i], "Node") != 0 ||
			       memmem(line, n, "MemTotal", 8) ||
			       memmem(line, n, "zone", 4);
	}
	return false;
}

static bool is_counter_file(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(path, "/proc/meminfo") == 0 ||
	       strcmp(path, "/proc/zoneinfo") == 0 ||
	       strcmp(path, "/proc/vmstat") == 0 ||
	       (strncmp(path, "/sys/devices/system/node/node", 29) == 0 && base &&
		(strcmp(base, "/meminfo") == 0 || strcmp(base, "/numastat") == 0 ||
		 strcmp(base, "/vmstat") == 0));
}

/* content reduced to its stable lines (takes ownership). */
static char *stable_lines(char *content)
{
	char *in = content, *out = content;

	while (*in) {
		char *nl = strchr(in, '\n');
		size_t n = nl ? (size_t)(nl - in) + 1 : strlen(in);

		if (stable_counter_line(in, n)) {
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	*out = '\0';
	return content;
}

/* A file's entry: its content (live counters left out), or the errno. */
static int dump_file_content(const struct runner *r, struct dump *d,
			     const char *path, int rc, char *content)
{
	if (rc >= 0 && r->be->live_counters && is_counter_file(path))
		content = stable_lines(content);
	return dump_add(d, path, rc < 0 ? errno_text(rc) : content);
}

static int dump_file(struct runner *r, struct dump *d, const char *path)
{
	char *content = NULL;
	int rc = r->be->read(r->state, path, &content);

	return dump_file_content(r, d, path, rc, content);
}

struct walk_ctx {
	const struct runner *r;
	struct dump *d;
};

/* One entry of a backend's walk, recorded as dump_tree() would. */
static int dump_walked(void *ctx, const char *path, enum scenario_entry_kind kind,
		       int status, char *data)
{
	struct walk_ctx *w = ctx;
	struct strbuf sb;
	int rc;

	if (status < 0) {
		free(data);
		return dump_add(w->d, path, errno_text(status));
	}
	switch (kind) {
	case SCENARIO_ENTRY_DIR:
		free(data);
		return dump_add(w->d, path, strdup("<dir>"));
	case SCENARIO_ENTRY_LINK:
		sb_init(&sb);
		rc = sb_printf(&sb, "-> %s", data);
		free(data);
		rc = rc ? rc : dump_add(w->d, path, sb_detach(&sb));
		sb_release(&sb);
		return rc;
	case SCENARIO_ENTRY_FILE:
		return dump_file_content(w->r, w->d, path, 0, data);
	case SCENARIO_ENTRY_NONE:
	default:
		free(data);
		return dump_add(w->d, path, strdup("<none>"));
	}
}

struct name_list {
	char **v;
	size_t n, alloc;
	int err;
};

static int collect_name(void *ctx, const char *name)
{
	struct name_list *l = ctx;

	if (l->n == l->alloc) {
		size_t n = l->alloc ? 2 * l->alloc : 32;
		char **v = realloc(l->v, n * sizeof(*v));

		if (!v) {
			l->err = -ENOMEM;
			return 1;
		}
		l->v = v;
		l->alloc = n;
	}
	l->v[l->n] = strdup(name);
	if (!l->v[l->n]) {
		l->err = -ENOMEM;
		return 1;
	}
	l->n++;
	return 0;
}

static void name_list_release(struct name_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Record dir and everything under it; links are recorded, not followed. */
static int dump_tree(struct runner *r, struct dump *d, const char *dir)
{
	struct name_list names = { 0 };
	struct walk_ctx w = { r, d };
	struct strbuf child;
	size_t i;
	int rc;

	/* the backend's walk in one go where it has one (a guest round trip
	 * per entry costs more than the whole walk inside the guest) */
	if (r->be->walk && !r->no_walk) {
		size_t before = d->n;

		rc = r->be->walk(r->state, dir, dump_walked, &w);
		if (rc != -ENOSYS || d->n != before)
			return rc;
		r->no_walk = true;
	}
	rc = r->be->readdir(r->state, dir, collect_name, &names);
	if (names.err) {
		name_list_release(&names);
		return names.err;
	}
	if (rc < 0) {
		name_list_release(&names);
		return dump_add(d, dir, errno_text(rc));
	}
	rc = dump_add(d, dir, strdup("<dir>"));
	sb_init(&child);
	for (i = 0; i < names.n && rc == 0; i++) {
		enum scenario_entry_kind kind = SCENARIO_ENTRY_NONE;
		unsigned int mode = 0;
		char target[4096] = "";

		child.len = 0;
		if (sb_printf(&child, "%s/%s", dir, names.v[i])) {
			rc = -ENOMEM;
			break;
		}
		rc = r->be->stat(r->state, child.buf, &kind, &mode, target,
				 sizeof(target));
		if (rc < 0) {
			rc = dump_add(d, child.buf, errno_text(rc));
			continue;
		}
		switch (kind) {
		case SCENARIO_ENTRY_DIR:
			rc = dump_tree(r, d, child.buf);
			break;
		case SCENARIO_ENTRY_LINK: {
			struct strbuf sb;

			sb_init(&sb);
			rc = sb_printf(&sb, "-> %s", target);
			rc = rc ? rc : dump_add(d, child.buf, sb_detach(&sb));
			sb_release(&sb);
			break;
		}
		case SCENARIO_ENTRY_FILE:
			rc = dump_file(r, d, child.buf);
			break;
		case SCENARIO_ENTRY_NONE:
			rc = dump_add(d, child.buf, strdup("<none>"));
			break;
		}
	}
	sb_release(&child);
	name_list_release(&names);
	return rc;
}

/* Everything an expect-error step promises not to change. */
static int dump_machine(struct runner *r, struct dump *d)
{
	static const char *const trees[] = {
		"/sys/devices/system/memory", "/sys/devices/system/node",
	};
	static const char *const files[] = {
		"/proc/meminfo", "/proc/zoneinfo", "/proc/vmstat",
		"/proc/iomem",
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(trees) / sizeof(trees[0]) && !rc; i++)
		rc = dump_tree(r, d, trees[i]);
	for (i = 0; i < sizeof(files) / sizeof(files[0]) && !rc; i++)
		rc = dump_file(r, d, files[i]);
	return rc;
}

/* The first path whose presence or content differs, or NULL. */
static const char *dump_first_change(const struct dump *a,
				     const struct dump *b)
{
	size_t i;

	for (i = 0; i < a->n && i < b->n; i++) {
		if (strcmp(a->v[i].path, b->v[i].path) != 0)
			return a->v[i].path;
		if (strcmp(a->v[i].what, b->v[i].what) != 0)
			return a->v[i].path;
	}
	if (i < a->n)
		return a->v[i].path;
	if (i < b->n)
		return b->v[i].path;
	return NULL;
}

static void observe(struct runner *r, const struct scenario_step *s,
		    const char *path, long rc, const char *content, bool passed)
{
	struct scenario_observation o = {
		.step_index = (size_t)(s - r->sc->steps), .step = s,
		.path = path, .rc = rc, .content = rc < 0 ? NULL : content,
		.passed = passed,
	};

	if (r->opts->observe)
		r->opts->observe(r->opts->observe_ctx, &o);
}

/* ------------------------------------------------------------------ */
/* Output helpers                                                     */
/* ------------------------------------------------------------------ */

static void print_prefixed(FILE *out, const char *prefix, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		fprintf(out, "%s%.*s\n", prefix, (int)n, text);
		text += n + (nl ? 1 : 0);
	}
}

static int flush_trace(struct runner *r, const struct scenario_step *s)
{
	char *lines = NULL;
	int rc;

	if (!r->tracing)
		return 0;
	rc = r->be->trace_take(r->state, &lines);
	if (rc < 0) {
		runtime_error(r, s, "trace", rc, NULL);
		return rc;
	}
	print_prefixed(r->opts->out, "  trace: ", lines ? lines : "");
	free(lines);
	return 0;
}

static void expect_failed(struct runner *r, const struct scenario_step *s)
{
	fprintf(r->opts->out, "%s:%u: expect failed: %s\n", r->sc->filename,
		s->line, s->text);
	r->res->expects_failed++;
}

static void expect_passed(struct runner *r, const struct scenario_step *s)
{
	if (r->opts->verbose)
		fprintf(r->opts->out, "%s:%u: ok: %s\n", r->sc->filename,
			s->line, s->text);
}

/* ------------------------------------------------------------------ */
/* expect                                                             */
/* ------------------------------------------------------------------ */

/*
 * The number a target names in content: the whole trimmed content
 * ("123" or "123 kB") or the first number after the key.
 * Returns 0, -ENOENT (no such key) or -EINVAL (not a number; *text and
 * *text_len then show what is there).
 */
static int target_number(const struct scenario_target *t, const char *content,
			 struct scenario_num *num, const char **text,
			 size_t *text_len)
{
	int rc = scenario_field(t, content, text, text_len);
	char buf[64];
	size_t n;

	if (rc)
		return rc;
	if (t->key_kind != SCENARIO_KEY_NONE)
		return scenario_first_num(*text, *text_len, num) ? -EINVAL : 0;
	n = *text_len;
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, *text, n);
	buf[n] = '\0';
	/* "1953112 kB": the unit is a reminder, as in expected values. */
	if (n > 3 && strcmp(buf + n - 3, " kB") == 0)
		buf[n - 3] = '\0';
	return scenario_parse_num(buf, true, num);
}

static bool op_holds(enum scenario_op op, int cmp)
{
	switch (op) {
	case SCENARIO_OP_EQ:
		return cmp == 0;
	case SCENARIO_OP_NE:
		return cmp != 0;
	case SCENARIO_OP_LT:
		return cmp < 0;
	case SCENARIO_OP_LE:
		return cmp <= 0;
	case SCENARIO_OP_GT:
		return cmp > 0;
	case SCENARIO_OP_GE:
		return cmp >= 0;
	case SCENARIO_OP_ABSENT:
	case SCENARIO_OP_PRESENT:
	case SCENARIO_OP_HAS_LINE:
		break;		/* not a comparison (run_expect) */
	}
	return false;
}

/* The content a delta compares against, from the snapshot step. */
static const char *snapshot_content(const struct runner *r,
				    const struct scenario_step *s)
{
	const struct scenario_step *snap = &r->sc->steps[s->snapshot_step];
	const struct snapshot_data *data = &r->snaps[s->snapshot_step];
	size_t i;

	if (!data->contents)
		return NULL;
	for (i = 0; i < snap->nr_snapshot_paths; i++)
		if (strcmp(snap->snapshot_paths[i], s->target.path) == 0)
			return data->contents[i];
	return NULL;
}

/* Fill got with what the machine shows; true when the expectation holds. */
static bool evaluate_expect(struct runner *r, const struct scenario_step *s,
			    const char *content, struct strbuf *got)
{
	const struct scenario_target *t = &s->target;
	const struct scenario_value *want = &s->expected;
	struct scenario_num now, then, value;
	const char *text, *old;
	size_t text_len;
	char a[32], b[32];
	int rc;

	if (!want->is_number) {
		if (scenario_field(t, content, &text, &text_len)) {
			sb_puts(got, "(no such key)");
			return false;
		}
		sb_add(got, text, text_len);
		rc = strlen(want->text) == text_len &&
			memcmp(want->text, text, text_len) == 0;
		return s->op == SCENARIO_OP_EQ ? rc : !rc;
	}
	rc = target_number(t, content, &now, &text, &text_len);
	if (rc == -ENOENT) {
		sb_puts(got, "(no such key)");
		return false;
	}
	if (rc) {
		sb_add(got, text, text_len);
		sb_puts(got, " (not a number)");
		return false;
	}
	value = now;
	if (s->is_delta) {
		const char *name = r->sc->steps[s->snapshot_step].snapshot_name;

		old = snapshot_content(r, s);
		if (!old || target_number(t, old, &then, &text, &text_len)) {
			sb_printf(got, "(no such key at @%s)", name);
			return false;
		}
		value = scenario_num_sub(now, then);
		scenario_num_format(value, a, sizeof(a));
		sb_printf(got, "%s", a);
		scenario_num_format(then, a, sizeof(a));
		scenario_num_format(now, b, sizeof(b));
		sb_printf(got, " (%s at @%s, %s now)", a, name, b);
	} else {
		scenario_num_format(value, a, sizeof(a));
		sb_puts(got, a);
	}
	return op_holds(s->op, scenario_num_cmp(value, want->num));
}

/*
 * expect PATH[:KEY] absent|present: a file is absent when reading it
 * fails with ENOENT, a key when the file is absent or has no line with
 * that key; any other read error is neither (shown as got).
 */
static bool expect_presence(const struct scenario_step *s, int rc,
			    const char *content, struct strbuf *got)
{
	bool present;

	if (rc < 0 && rc != -ENOENT) {
		sb_printf(got, "(read failed: %s)", errno_name(-rc));
		return false;
	}
	present = rc >= 0;
	if (present && s->target.key_kind != SCENARIO_KEY_NONE) {
		const char *text;
		size_t len;

		present = scenario_field(&s->target, content, &text, &len) == 0;
	}
	sb_puts(got, present ? "present" : "absent");
	return present == (s->op == SCENARIO_OP_PRESENT);
}

/* expect PATH has-line TEXT: some line of content is TEXT, exactly. */
static bool expect_has_line(const struct scenario_step *s, const char *content,
			    struct strbuf *got)
{
	const char *want = s->expected.text, *line = content;
	size_t len = strlen(want), lines = 0;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (n == len && memcmp(line, want, len) == 0) {
			sb_puts(got, "has it");
			return true;
		}
		lines++;
		line = nl ? nl + 1 : NULL;
	}
	sb_printf(got, "(none of its %zu line%s)", lines, lines == 1 ? "" : "s");
	return false;
}

static int run_expect(struct runner *r, const struct scenario_step *s)
{
	char *content = NULL;
	struct strbuf got;
	bool ok;
	int rc;

	sb_init(&got);
	r->res->expects_run++;
	if (s->in_log) {
		/* the log's text is the kernel's own, compared by outcome only */
		rc = r->be->dmesg(r->state, &content);
		ok = rc >= 0 && expect_has_line(s, content, &got);
		if (rc < 0)
			sb_printf(&got, "(dmesg failed: %s)", errno_name(-rc));
		observe(r, s, s->target.path, rc, NULL, ok);
		free(content);
		goto report;
	}
	rc = r->be->read(r->state, s->target.path, &content);
	if (s->op == SCENARIO_OP_ABSENT || s->op == SCENARIO_OP_PRESENT) {
		ok = expect_presence(s, rc, content, &got);
	} else if (rc >= 0 && s->op == SCENARIO_OP_HAS_LINE) {
		ok = expect_has_line(s, content, &got);
	} else if (rc < 0) {
		ok = false;
		if (s->target.key_kind != SCENARIO_KEY_NONE)
			sb_puts(&got, "(no such key)");
		else
			sb_printf(&got, "(read failed: %s)", errno_name(-rc));
	} else {
		ok = evaluate_expect(r, s, content, &got);
	}
	observe(r, s, s->target.path, rc, content, ok);
	free(content);
report:
	if (ok) {
		expect_passed(r, s);
	} else {
		expect_failed(r, s);
		if (s->op == SCENARIO_OP_HAS_LINE)
			fprintf(r->opts->out, "  wanted: has-line \"%s\"\n",
				s->expected.text);
		else if (s->expected.text)
			fprintf(r->opts->out, "  wanted: %s %s\n",
				scenario_op_name(s->op), s->expected.text);
		else
			fprintf(r->opts->out, "  wanted: %s\n", scenario_op_name(s->op));
		fprintf(r->opts->out, "  got:    %s\n",
			got.buf ? got.buf : "");
	}
	sb_release(&got);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Actions                                                            */
/* ------------------------------------------------------------------ */

static long do_write(struct runner *r, const struct scenario_step *s)
{
	struct strbuf buf;
	long rc;

	/* As `echo VALUE > PATH`: the value and a newline. */
	sb_init(&buf);
	if (sb_printf(&buf, "%s\n", s->value))
		return -ENOMEM;
	rc = r->be->write(r->state, s->path, buf.buf, buf.len);
	sb_release(&buf);
	return rc;
}

static int do_device_add(struct runner *r, const struct scenario_step *s,
			 char *err, size_t errlen)
{
	return r->be->device_add(r->state, s->driver, s->id, s->size,
				 s->node, err, errlen);
}

static void report_failure(struct runner *r, const char *what,
			   const char *arg, long rc, const char *msg)
{
	fprintf(r->opts->out, "%s %s: %s (%s)", what, arg,
		errno_name((int)-rc), strerror((int)-rc));
	if (msg && *msg)
		fprintf(r->opts->out, ": %s", msg);
	fputc('\n', r->opts->out);
}

static int run_expect_error(struct runner *r, const struct scenario_step *s)
{
	struct dump before = { 0 }, after = { 0 };
	uint64_t hash_before = 0, hash_after = 0;
	char hash_msg[96];
	const char *changed = NULL;
	char msg[256] = "";
	char *content = NULL;
	long rc;
	int drc;

	r->res->expects_run++;
	if (r->be->state_hash && r->be->state_hash(r->state, &hash_before) < 0)
		hash_before = 0;
	drc = dump_machine(r, &before);
	if (drc) {
		dump_release(&before);
		runtime_error(r, s, "expect-error", drc, NULL);
		return drc;
	}
	switch (s->action) {
	case SCENARIO_ACTION_WRITE:
		rc = do_write(r, s);
		break;
	case SCENARIO_ACTION_READ:
		rc = r->be->read(r->state, s->path, &content);
		free(content);
		break;
	case SCENARIO_ACTION_DEVICE_ADD:
		rc = do_device_add(r, s, msg, sizeof(msg));
		break;
	case SCENARIO_ACTION_DEVICE_DEL:
		rc = r->be->device_del(r->state, s->id, msg, sizeof(msg));
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (rc == -s->expected_errno) {
		drc = dump_machine(r, &after);
		if (drc) {
			dump_release(&before);
			dump_release(&after);
			runtime_error(r, s, "expect-error", drc, NULL);
			return drc;
		}
		changed = dump_first_change(&before, &after);
		/* what no file shows must not change either (proof of rollback) */
		if (!changed && r->be->state_hash &&
		    r->be->state_hash(r->state, &hash_after) == 0 &&
		    hash_after != hash_before) {
			snprintf(hash_msg, sizeof(hash_msg),
				 "the machine's internal state (state hash %016llx -> %016llx)",
				 (unsigned long long)hash_before,
				 (unsigned long long)hash_after);
			changed = hash_msg;
		}
		if (!changed) {
			observe(r, s, s->path, rc, NULL, true);
			expect_passed(r, s);
			goto out;
		}
	}
	observe(r, s, s->path, rc, NULL, false);
	expect_failed(r, s);
	fprintf(r->opts->out, "  wanted: %s\n", errno_name(s->expected_errno));
	if (rc >= 0)
		fprintf(r->opts->out, "  got:    success\n");
	else if (rc != -s->expected_errno)
		fprintf(r->opts->out, "  got:    %s\n", errno_name((int)-rc));
	else
		fprintf(r->opts->out, "  changed: %s\n", changed);
out:
	dump_release(&before);
	dump_release(&after);
	return 0;
}

static int run_snapshot(struct runner *r, const struct scenario_step *s,
			struct snapshot_data *data)
{
	size_t i;

	if (!s->nr_snapshot_paths)
		return 0;
	data->contents = calloc(s->nr_snapshot_paths, sizeof(char *));
	if (!data->contents)
		return -ENOMEM;
	for (i = 0; i < s->nr_snapshot_paths; i++) {
		char *content = NULL;

		int rc = r->be->read(r->state, s->snapshot_paths[i], &content);

		if (rc < 0)
			content = NULL;	/* the expect reports the missing key */
		observe(r, s, s->snapshot_paths[i], rc, content, false);
		data->contents[i] = content;
	}
	return 0;
}

static int run_dmesg(struct runner *r, const struct scenario_step *s)
{
	char *log = NULL;
	size_t len;
	int rc = r->be->dmesg(r->state, &log);

	if (rc < 0) {
		runtime_error(r, s, "dmesg", rc, NULL);
		return rc;
	}
	len = strlen(log);
	/* A log that shrank (ring buffer wrapped) is shown whole. */
	if (len < r->dmesg_seen)
		r->dmesg_seen = 0;
	fputs(log + r->dmesg_seen, r->opts->out);
	if (len > r->dmesg_seen && log[len - 1] != '\n')
		fputc('\n', r->opts->out);
	r->dmesg_seen = len;
	free(log);
	return 0;
}

static int run_boot(struct runner *r, const struct scenario_step *s)
{
	char msg[512] = "";
	char *log = NULL;
	int rc;

	rc = r->be->boot(&r->sc->machine, &r->state, msg, sizeof(msg));
	if (rc < 0) {
		r->state = NULL;
		runtime_error(r, s, "boot", rc, msg);
		return rc;
	}
	/* the first dmesg step shows the whole log, boot included, as dmesg(1) */
	r->dmesg_seen = 0;
	(void)log;
	return 0;
}

/* --map-svg: the same map as an SVG picture, handed to the caller. */
static int run_map_picture(struct runner *r, const struct scenario_step *s)
{
	struct strbuf sb;
	char title[512];
	int ret;

	snprintf(title, sizeof(title), "%s:%u (%s)", r->sc->filename, s->line,
		 r->be->name);
	sb_init(&sb);
	ret = scenario_render_map_svg(r->be, r->state, title, &sb);
	if (ret >= 0)
		ret = r->opts->map_picture(r->opts->map_picture_ctx, r->sc, s, sb.buf);
	sb_release(&sb);
	if (ret < 0)
		runtime_error(r, s, "map", ret, NULL);
	return ret < 0 ? ret : 0;
}

/*
 * A tool step: the real tool where the backend can run one, hotmem's
 * model of it otherwise. Its output is shown as the tool printed it; a
 * non-zero exit status is reported like a failed write (the run goes
 * on), a tool that cannot run at all is a runtime error.
 */
static int run_tool(struct runner *r, const struct scenario_step *s)
{
	struct scenario_tool_result res = { 0 };
	char msg[256] = "";
	int rc;

	if (r->be->run_tool)
		rc = r->be->run_tool(r->state, s->tool_argv, s->tool_argc, &res,
				     msg, sizeof(msg));
	else
		rc = usertool_model_run(r->be, r->state, s->tool_argv,
					s->tool_argc, &res, msg, sizeof(msg));
	if (rc < 0) {
		scenario_tool_result_release(&res);
		runtime_error(r, s, s->tool_argv[0], rc, msg[0] ? msg : NULL);
		return rc;
	}
	/* the observation: exit status and standard output (hotmem diff) */
	observe(r, s, NULL, res.status, res.out ? res.out : "",
		s->tool_expect && res.status == s->tool_status);
	if (res.out)
		fputs(res.out, r->opts->out);
	if (res.err)
		fputs(res.err, r->opts->out);
	if (s->tool_expect) {
		r->res->expects_run++;
		if (res.status == s->tool_status) {
			expect_passed(r, s);
		} else {
			expect_failed(r, s);
			fprintf(r->opts->out, "  wanted: exit status %d\n  got:    exit status %d\n",
				s->tool_status, res.status);
		}
	} else if (res.status) {
		fprintf(r->opts->out, "%s: exit status %d\n", s->tool_argv[0],
			res.status);
	}
	scenario_tool_result_release(&res);
	return 0;
}

static int run_step(struct runner *r, size_t idx)
{
	const struct scenario_step *s = &r->sc->steps[idx];
	char msg[256] = "";
	char *content = NULL;
	long rc = 0;

	switch (s->kind) {
	case STEP_BOOT:
		return run_boot(r, s);
	case STEP_DEVICE_ADD:
		rc = do_device_add(r, s, msg, sizeof(msg));
		observe(r, s, NULL, rc, NULL, false);
		if (rc < 0)
			report_failure(r, "device_add", s->id, rc, msg);
		return 0;
	case STEP_DEVICE_DEL:
		rc = r->be->device_del(r->state, s->id, msg, sizeof(msg));
		observe(r, s, NULL, rc, NULL, false);
		if (rc < 0)
			report_failure(r, "device_del", s->id, rc, msg);
		return 0;
	case STEP_WRITE:
		rc = do_write(r, s);
		observe(r, s, s->path, rc, NULL, false);
		if (rc < 0)
			report_failure(r, "write", s->path, rc, NULL);
		return 0;
	case STEP_READ:
		rc = r->be->read(r->state, s->path, &content);
		observe(r, s, s->path, rc, content, false);
		if (rc < 0) {
			report_failure(r, "read", s->path, rc, NULL);
			return 0;
		}
		fprintf(r->opts->out, "==> %s <==\n%s", s->path, content);
		free(content);
		return 0;
	case STEP_SNAPSHOT:
		rc = run_snapshot(r, s, &r->snaps[idx]);
		if (rc < 0)
			runtime_error(r, s, "snapshot", (int)rc, NULL);
		return (int)rc;
	case STEP_EXPECT:
		return run_expect(r, s);
	case STEP_EXPECT_ERROR:
		return run_expect_error(r, s);
	case STEP_NOTIFIER_FAIL:
		if (!s->priority)
			rc = r->be->notifier_fail(r->state, s->event,
						  -s->notifier_errno, s->count);
		else if (r->be->notifier_fail_priority)
			rc = r->be->notifier_fail_priority(r->state, s->event,
							   -s->notifier_errno,
							   s->count, s->priority);
		else
			rc = -EOPNOTSUPP;
		if (rc < 0)
			runtime_error(r, s, "notifier-fail", (int)rc, NULL);
		return (int)rc;
	case STEP_TRACE:
		if (s->trace_on) {
			rc = r->be->trace_set(r->state, true);
			if (rc == 0)
				r->tracing = true;
		} else {
			/* What was collected up to here is still shown. */
			rc = flush_trace(r, s);
			if (rc == 0)
				rc = r->be->trace_set(r->state, false);
			r->tracing = false;
		}
		if (rc < 0)
			runtime_error(r, s, "trace", (int)rc, NULL);
		return (int)rc;
	case STEP_DMESG:
		return run_dmesg(r, s);
	case STEP_ECHO:
		fprintf(r->opts->out, "%s\n", s->echo_text);
		return 0;
	case STEP_TOOL:
		return run_tool(r, s);
	case STEP_MAP: {
		struct strbuf sb;
		int ret;

		sb_init(&sb);
		ret = scenario_render_map(r->be, r->state, &sb);
		if (ret < 0) {
			sb_release(&sb);
			runtime_error(r, s, "map", ret, NULL);
			return ret;
		}
		fputs(sb.buf, r->opts->out);
		sb_release(&sb);
		return r->opts->map_picture ? run_map_picture(r, s) : 0;
	}
	}
	return 0;
}

/*
 * --check: the backend's invariants after a step. A violation stops the
 * run (the model is not to be trusted past it): -EFAULT.
 */
static int check_step(struct runner *r, const struct scenario_step *s)
{
	char *report = NULL;
	int n;

	if (!r->be->check) {
		fprintf(r->opts->err, "%s: error: backend '%s' cannot check invariants\n",
			r->sc->filename, r->be->name);
		r->res->runtime_error = true;
		return -EOPNOTSUPP;
	}
	n = r->be->check(r->state, &report);
	if (n < 0) {
		free(report);
		runtime_error(r, s, "check", n, NULL);
		return n;
	}
	if (n > 0) {
		fprintf(r->opts->err, "%s:%u: invariant violated after: %s\n",
			r->sc->filename, s->line, s->text);
		print_prefixed(r->opts->err, "  ", report ? report : "");
		r->res->invariant_violated = true;
	}
	free(report);
	return n > 0 ? -EFAULT : 0;
}

int scenario_run(const struct scenario *sc,
		 const struct scenario_backend *backend,
		 const struct scenario_run_opts *opts,
		 struct scenario_result *res)
{
	struct runner r = {
		.sc = sc, .be = backend, .opts = opts, .res = res,
	};
	size_t i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	r.snaps = calloc(sc->nr_steps ? sc->nr_steps : 1, sizeof(*r.snaps));
	if (!r.snaps) {
		fprintf(opts->err, "%s: error: out of memory\n", sc->filename);
		res->runtime_error = true;
		return -ENOMEM;
	}
	for (i = 0; i < sc->nr_steps && rc == 0; i++) {
		rc = run_step(&r, i);
		if (rc == 0)
			rc = flush_trace(&r, &sc->steps[i]);
		if (rc == 0 && opts->check && r.state)
			rc = check_step(&r, &sc->steps[i]);
	}
	fflush(opts->out);
	if (rc == 0 && res->expects_failed)
		fprintf(opts->err, "%s: %zu of %zu expectations failed\n",
			sc->filename, res->expects_failed, res->expects_run);
	else if (rc == 0 && opts->verbose)
		fprintf(opts->err, "%s: %zu expectations passed\n",
			sc->filename, res->expects_run);

	for (i = 0; i < sc->nr_steps; i++) {
		size_t j;

		if (!r.snaps[i].contents)
			continue;
		for (j = 0; j < sc->steps[i].nr_snapshot_paths; j++)
			free(r.snaps[i].contents[j]);
		free(r.snaps[i].contents);
	}
	free(r.snaps);
	if (opts->keep_state)
		*opts->keep_state = r.state;
	else if (r.state)
		backend->destroy(r.state);
	return rc;
}
