/*
 * tooljson.c - the run context of the ndctl/daxctl models: sysfs access
 * through a scenario backend (read, write, list a directory, follow a
 * device's driver link) and the tools' JSON output, printed the way
 * json-c's JSON_C_TO_STRING_PRETTY prints it ("key":value, two-space
 * indent) and the way the tools' util_display_json_array() prints a
 * list (always as an array: only --human unwraps a lone element, and
 * hotmem refuses --human).
 *
 * Contract: every access goes through the backend's ops (never
 * hotmem.h), so a model run means the same on any backend; an append
 * that fails sets t->oom and the caller reports -ENOMEM.
 * Expected workload: a few dozen accesses and one small tree per step.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usertool.h"

int tool_read(struct tool_ctx *t, const char *path, char *buf, size_t len)
{
	char *s = NULL;
	size_t n;
	int r = t->be->read(t->state, path, &s);

	if (r < 0) {
		free(s);
		return r;
	}
	n = s ? strlen(s) : 0;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n >= len)
		n = len - 1;
	if (n)
		memcpy(buf, s, n);
	buf[n] = '\0';
	free(s);
	return 0;
}

int tool_read_u64(struct tool_ctx *t, const char *path, uint64_t *out)
{
	char buf[64], *end;
	int r = tool_read(t, path, buf, sizeof(buf));

	if (r)
		return r;
	*out = strtoull(buf, &end, 0);
	return end == buf ? -EINVAL : 0;
}

int tool_read_int(struct tool_ctx *t, const char *path, int *out)
{
	char buf[32], *end;
	int r = tool_read(t, path, buf, sizeof(buf));

	if (r)
		return r;
	*out = (int)strtol(buf, &end, 0);
	return end == buf ? -EINVAL : 0;
}

long tool_write(struct tool_ctx *t, const char *path, const char *val)
{
	long r = t->be->write(t->state, path, val, strlen(val));

	return r < 0 ? r : 0;
}

bool tool_exists(struct tool_ctx *t, const char *path)
{
	enum scenario_entry_kind kind;
	unsigned int mode;
	char target[256];

	return t->be->stat(t->state, path, &kind, &mode, target, sizeof(target)) == 0;
}

void tool_driver(struct tool_ctx *t, const char *devpath, char *buf, size_t len)
{
	enum scenario_entry_kind kind;
	unsigned int mode;
	char path[256], target[256] = "";
	const char *slash;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/driver", devpath);
	if (t->be->stat(t->state, path, &kind, &mode, target, sizeof(target)))
		return;
	slash = strrchr(target, '/');
	snprintf(buf, len, "%s", slash ? slash + 1 : target);
}

struct list_ctx {
	char **names;
	size_t n, alloc;
	int err;
};

static int list_one(void *ctx, const char *name)
{
	struct list_ctx *l = ctx;

	if (l->n == l->alloc) {
		size_t a = l->alloc ? 2 * l->alloc : 16;
		char **v = realloc(l->names, a * sizeof(*v));

		if (!v) {
			l->err = -ENOMEM;
			return 1;
		}
		l->names = v;
		l->alloc = a;
	}
	if (!(l->names[l->n] = strdup(name))) {
		l->err = -ENOMEM;
		return 1;
	}
	l->n++;
	return 0;
}

int tool_list(struct tool_ctx *t, const char *path, char ***names, size_t *n)
{
	struct list_ctx l = { 0 };
	int r = t->be->readdir(t->state, path, list_one, &l);

	if (!r)
		r = l.err;
	if (r == -ENOMEM)
		t->oom = 1;
	if (r) {
		tool_list_free(l.names, l.n);
		*names = NULL;
		*n = 0;
		return r;
	}
	*names = l.names;
	*n = l.n;
	return 0;
}

void tool_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void tool_errf(struct tool_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (sb_vprintf(&t->err, fmt, ap))
		t->oom = 1;
	va_end(ap);
}

/* ---- JSON ---------------------------------------------------------------- */

struct tj *tj_new(enum tj_kind kind)
{
	struct tj *j = calloc(1, sizeof(*j));

	if (j)
		j->kind = kind;
	return j;
}

void tj_free(struct tj *j)
{
	while (j) {
		struct tj *next = j->next;

		tj_free(j->child);
		free(j->key);
		free(j->text);
		free(j);
		j = next;
	}
}

struct tj *tj_add(struct tj *parent, const char *key, struct tj *v)
{
	if (!parent || !v) {
		tj_free(v);
		return NULL;
	}
	if (key && !(v->key = strdup(key))) {
		tj_free(v);
		return NULL;
	}
	if (parent->last)
		parent->last->next = v;
	else
		parent->child = v;
	parent->last = v;
	parent->n++;
	return v;
}

static struct tj *tj_text(enum tj_kind kind, const char *s)
{
	struct tj *j = tj_new(kind);

	if (j && !(j->text = strdup(s))) {
		free(j);
		return NULL;
	}
	return j;
}

struct tj *tj_str(const char *s)
{
	return tj_text(TJ_STR, s);
}

struct tj *tj_raw(const char *text)
{
	return tj_text(TJ_RAW, text);
}

struct tj *tj_u64(uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return tj_text(TJ_NUM, buf);
}

struct tj *tj_int(long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return tj_text(TJ_NUM, buf);
}

static void indent(struct strbuf *sb, int level)
{
	int i;

	for (i = 0; i < level; i++)
		sb_puts(sb, "  ");
}

/* json-c escapes '"', '\\', '/', and control characters. */
static void print_string(struct strbuf *sb, const char *s)
{
	sb_puts(sb, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '/')
			sb_printf(sb, "\\%c", c);
		else if (c == '\n')
			sb_puts(sb, "\\n");
		else if (c == '\t')
			sb_puts(sb, "\\t");
		else if (c < 0x20)
			sb_printf(sb, "\\u%04x", c);
		else
			sb_add(sb, s, 1);
	}
	sb_puts(sb, "\"");
}

static void print_value(struct strbuf *sb, const struct tj *j, int level)
{
	const struct tj *c;
	bool had = false;

	switch (j->kind) {
	case TJ_STR:
		print_string(sb, j->text);
		return;
	case TJ_NUM:
	case TJ_RAW:
		sb_puts(sb, j->text);
		return;
	case TJ_OBJ:
	case TJ_ARR:
		break;
	}
	sb_puts(sb, j->kind == TJ_OBJ ? "{\n" : "[\n");
	for (c = j->child; c; c = c->next) {
		if (had)
			sb_puts(sb, ",\n");
		had = true;
		indent(sb, level + 1);
		if (j->kind == TJ_OBJ) {
			print_string(sb, c->key ? c->key : "");
			sb_puts(sb, ":");
		}
		print_value(sb, c, level + 1);
	}
	if (had)
		sb_puts(sb, "\n");
	indent(sb, level);
	sb_puts(sb, j->kind == TJ_OBJ ? "}" : "]");
}

void tj_print(struct strbuf *sb, const struct tj *j)
{
	print_value(sb, j, 0);
	sb_puts(sb, "\n");
}

void tj_print_list(struct tool_ctx *t, struct tj *arr)
{
	if (arr && arr->n)
		tj_print(&t->out, arr);
}
