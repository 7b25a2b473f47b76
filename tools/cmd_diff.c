/*
 * cmd_diff.c - `hotmem diff`: the same scenario on the model and on the
 * real kernel, compared field by field (docs/real-kernel.md).
 *
 * Contract: `hotmem diff [--golden=G | --record=G] FILE` runs FILE on
 * the model and on the kernel (the "qemu" backend, or the observations
 * recorded earlier in G) and compares what each step saw: every read
 * and snapshot (keyed files per field: meminfo and node meminfo by
 * label, vmstat and numastat by word, zoneinfo by NODE/ZONE/FIELD;
 * other files line by line), every expect (its outcome and the value
 * it looked at), every write, device_add, device_del and expect-error
 * (the errno). Each difference is one line on stdout,
 *   FILE:LINE: WHAT: model VALUE, kernel VALUE
 * The tolerance rules (tol_rules[] below, each with its reason, listed
 * in docs/real-kernel.md) say which fields are compared as changes
 * since their first reading, within how much, and which are not
 * compared at all. --record=G also writes the kernel's observations to
 * G (the conformance suite's golden files). Exit 0 when model and
 * kernel agree, 1 when they differ, 2 on trouble (bad arguments, a
 * malformed scenario or golden, a runtime error on either side).
 *
 * Expected workload: scenarios of tens to hundreds of steps; the
 * comparison is quadratic in the number of fields of one file (a few
 * hundred), negligible next to booting a guest.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/scenario/scenario.h"
#include "../src/util/strbuf.h"
#include "cli.h"

static const char diff_help[] =
"Usage: hotmem diff [--golden=GOLDEN | --record=GOLDEN] [--accel=ACCEL] FILE\n"
"\n"
"Run the scenario FILE on the model and on Linux 6.12 under QEMU (the\n"
"'qemu' backend, docs/real-kernel.md) and report every read, snapshot,\n"
"expect, write and device step whose result differs, one line each:\n"
"  FILE:LINE: WHAT: model VALUE, kernel VALUE\n"
"Keyed files (meminfo, vmstat, numastat, zoneinfo) are compared field\n"
"by field. Values no model can know from first principles (boot-time\n"
"allocations, free memory on per-CPU lists, event counters) follow the\n"
"tolerance rules of docs/real-kernel.md: compared as changes since\n"
"their first reading, or not at all, each for a stated reason.\n"
"\n"
"Options:\n"
"      --golden=GOLDEN  compare with the kernel's observations recorded\n"
"                       in GOLDEN instead of booting a guest\n"
"      --record=GOLDEN  boot the guest and also write its observations\n"
"                       to GOLDEN\n"
"      --accel=ACCEL    'auto' (default: KVM when it works, else TCG),\n"
"                       'kvm' (an error when KVM fails) or 'tcg'; as\n"
"                       $HOTMEM_ACCEL\n"
"  -h, --help           show this help and exit\n"
"\n"
"Exit status:\n"
"  0  model and kernel agree\n"
"  1  they differ (each difference on standard output)\n"
"  2  bad arguments, malformed scenario or golden file, or a runtime\n"
"     error on either side (e.g. the guest did not boot)\n"
"\n"
"Example:\n"
"  hotmem diff tests/conformance/010-memmap-on-memory.scn\n";

/* One observation (struct scenario_observation, owned copies). */
struct obs {
	size_t step;
	char *path;		/* NULL for device steps */
	long rc;
	char *content;		/* NULL unless a successful read */
	bool passed;
};

struct obs_log {
	struct obs *v;
	size_t n, alloc;
	int status;		/* the run's exit status */
	bool oom;
};

static void log_release(struct obs_log *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].content);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int log_add(struct obs_log *l, size_t step, const char *path, long rc,
		   const char *content, size_t content_len, bool passed)
{
	struct obs *o;

	if (l->n == l->alloc) {
		size_t n = l->alloc ? 2 * l->alloc : 64;
		struct obs *v = realloc(l->v, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->alloc = n;
	}
	o = &l->v[l->n];
	memset(o, 0, sizeof(*o));
	o->step = step;
	o->rc = rc;
	o->passed = passed;
	o->path = path ? strdup(path) : NULL;
	o->content = content ? strndup(content, content_len) : NULL;
	if ((path && !o->path) || (content && !o->content)) {
		free(o->path);
		free(o->content);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

static void collect(void *ctx, const struct scenario_observation *o)
{
	struct obs_log *l = ctx;

	if (log_add(l, o->step_index, o->path, o->rc, o->content,
		    o->content ? strlen(o->content) : 0, o->passed))
		l->oom = true;
}

/* Run sc on be, collecting observations; stdout of the run is dropped. */
static int run_collect(const struct scenario *sc,
		       const struct scenario_backend *be, struct obs_log *l)
{
	struct scenario_run_opts opts = {
		.err = stderr, .observe = collect, .observe_ctx = l,
	};
	struct scenario_result res;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	opts.out = open_memstream(&buf, &len);
	if (!opts.out)
		return -ENOMEM;
	rc = scenario_run(sc, be, &opts, &res);
	fclose(opts.out);
	free(buf);
	if (l->oom)
		return -ENOMEM;
	l->status = rc < 0 || res.runtime_error ? EXIT_TROUBLE :
		    res.expects_failed ? EXIT_EXPECT_FAILED : EXIT_PASS;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Golden files                                                       */
/* ------------------------------------------------------------------ */

/*
 * "hotmem-golden 1", then per observation
 *   @ STEP RC PASSED PATH|- LEN|-
 * followed by LEN bytes of content and a newline; last "end STATUS".
 */
static int golden_write(const char *file, const struct obs_log *l)
{
	FILE *f = fopen(file, "w");
	size_t i;

	if (!f)
		return -errno;
	fprintf(f, "hotmem-golden 1\n");
	for (i = 0; i < l->n; i++) {
		const struct obs *o = &l->v[i];

		fprintf(f, "@ %zu %ld %d %s ", o->step, o->rc, o->passed ? 1 : 0,
			o->path ? o->path : "-");
		if (o->content)
			fprintf(f, "%zu\n%s\n", strlen(o->content), o->content);
		else
			fprintf(f, "-\n");
	}
	fprintf(f, "end %d\n", l->status);
	return fclose(f) ? -errno : 0;
}

static int golden_read(const char *file, struct obs_log *l, char *err,
		       size_t errlen)
{
	char *text = NULL, *p, *end;
	size_t len = 0, lineno = 1;
	int rc = slurp(file, &text, &len);

	if (rc) {
		snprintf(err, errlen, "cannot read '%s': %s", file, strerror(-rc));
		return -EINVAL;
	}
	end = text + len;
	if (strncmp(text, "hotmem-golden 1\n", 16)) {
		snprintf(err, errlen, "%s:1: not a hotmem golden file", file);
		goto bad;
	}
	p = text + 16;
	for (;;) {
		char path[4096], lenbuf[32];
		size_t step, clen = 0;
		long orc;
		int passed, n = 0;
		char *nl;

		lineno++;
		if (sscanf(p, "end %d", &l->status) == 1)
			break;
		if (sscanf(p, "@ %zu %ld %d %4095s %31s%n", &step, &orc, &passed,
			   path, lenbuf, &n) != 5 || p[n] != '\n') {
			snprintf(err, errlen, "%s:%zu: malformed golden line", file,
				 lineno);
			goto bad;
		}
		p += n + 1;
		nl = NULL;
		if (strcmp(lenbuf, "-")) {
			clen = strtoul(lenbuf, NULL, 10);
			if ((size_t)(end - p) < clen + 1 || p[clen] != '\n') {
				snprintf(err, errlen, "%s:%zu: content shorter than its length",
					 file, lineno);
				goto bad;
			}
			nl = p;
			for (size_t i = 0; i < clen; i++)
				lineno += p[i] == '\n';
			p += clen + 1;
		}
		if (log_add(l, step, strcmp(path, "-") ? path : NULL, orc, nl,
			    clen, passed != 0)) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		if (p >= end) {
			snprintf(err, errlen, "%s: no 'end' line", file);
			goto bad;
		}
	}
	free(text);
	return 0;
bad:
	free(text);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* Tolerance rules                                                    */
/* ------------------------------------------------------------------ */

enum tol_kind {
	TOL_EXACT,
	TOL_DELTA,	/* change since the first reading, within tol */
	TOL_SKIP,	/* not compared */
};

/* Which keyed layout a file has. */
enum file_kind { FK_LINES, FK_MEMINFO, FK_VMSTAT, FK_ZONEINFO, FK_IOMEM };

struct tol_rule {
	enum file_kind file;
	const char *key;	/* fnmatch pattern */
	enum tol_kind kind;
	long long tol;
	const char *why;	/* docs/real-kernel.md repeats these */
};

#define WHY_BOOT "set by the kernel image and boot-time allocations, which no rule derives (docs/model-inputs.md)"
#define WHY_LIVE "moves while the kernel runs: slab, page cache and per-CPU free lists of a live system"
#define WHY_FREE "free memory: the kernel goes on freeing boot memory for seconds after boot, allocates for the agent's requests, and keeps freed pages on per-CPU lists uncounted (2 MiB blocks too: a hot-removed memmap can sit there, 16 MiB for 1 GiB); up to 16.3 MiB observed; a wrong hotplug rule moves it by a memory block (128 MiB) or more, and memmap sizes are checked exactly by nr_memmap_pages, MemTotal and managed"
#define WHY_EVENTS "event counters count every allocation the running kernel makes"
#define WHY_PCP "per-CPU page lists are not modelled"

static const struct tol_rule tol_rules[] = {
	{ FK_MEMINFO, "MemTotal", TOL_DELTA, 0, WHY_BOOT },
	{ FK_MEMINFO, "MemFree", TOL_DELTA, 32768, WHY_FREE },
	{ FK_MEMINFO, "MemAvailable", TOL_DELTA, 32768, WHY_FREE },
	{ FK_MEMINFO, "MemUsed", TOL_DELTA, 32768, WHY_FREE },
	{ FK_MEMINFO, "*", TOL_SKIP, 0, WHY_LIVE },
	{ FK_VMSTAT, "nr_memmap_pages", TOL_EXACT, 0, NULL },
	{ FK_VMSTAT, "nr_memmap_boot_pages", TOL_EXACT, 0, NULL },
	{ FK_VMSTAT, "nr_free_pages", TOL_DELTA, 8192, WHY_FREE },
	{ FK_VMSTAT, "nr_zone_*", TOL_SKIP, 0, WHY_LIVE },
	{ FK_VMSTAT, "*", TOL_SKIP, 0, WHY_EVENTS },
	{ FK_ZONEINFO, "*/cpu*", TOL_SKIP, 0, WHY_PCP },
	{ FK_ZONEINFO, "*/free", TOL_DELTA, 8192, WHY_FREE },
	{ FK_ZONEINFO, "*/nr_free_pages", TOL_DELTA, 8192, WHY_FREE },
	{ FK_ZONEINFO, "*/managed", TOL_DELTA, 0, WHY_BOOT },
	{ FK_ZONEINFO, "*/min", TOL_SKIP, 0, "follows managed pages of the boot zones (" WHY_BOOT ")" },
	{ FK_ZONEINFO, "*/low", TOL_SKIP, 0, "follows managed pages of the boot zones (" WHY_BOOT ")" },
	{ FK_ZONEINFO, "*/high", TOL_SKIP, 0, "follows managed pages of the boot zones (" WHY_BOOT ")" },
	{ FK_ZONEINFO, "*/promo", TOL_SKIP, 0, "follows managed pages of the boot zones (" WHY_BOOT ")" },
	{ FK_ZONEINFO, "*/protection", TOL_SKIP, 0, "follows managed pages of the boot zones (" WHY_BOOT ")" },
	{ FK_ZONEINFO, "*/nr_*", TOL_SKIP, 0, WHY_LIVE },
	{ FK_ZONEINFO, "*/numa_*", TOL_SKIP, 0, WHY_EVENTS },
	{ FK_ZONEINFO, "*/workingset_*", TOL_SKIP, 0, WHY_EVENTS },
	{ FK_ZONEINFO, "*/pgpromote_*", TOL_SKIP, 0, WHY_EVENTS },
	{ FK_ZONEINFO, "*/pgdemote_*", TOL_SKIP, 0, WHY_EVENTS },
};

static enum file_kind file_kind_of(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strcmp(base, "meminfo") == 0)
		return FK_MEMINFO;
	if (strcmp(base, "vmstat") == 0 || strcmp(base, "numastat") == 0)
		return FK_VMSTAT;
	if (strcmp(path, "/proc/zoneinfo") == 0)
		return FK_ZONEINFO;
	if (strcmp(path, "/proc/iomem") == 0)
		return FK_IOMEM;
	return FK_LINES;
}

static const struct tol_rule *rule_for(enum file_kind fk, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(tol_rules) / sizeof(tol_rules[0]); i++)
		if (tol_rules[i].file == fk && fnmatch(tol_rules[i].key, key, 0) == 0)
			return &tol_rules[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Files as (key, value) fields                                       */
/* ------------------------------------------------------------------ */

struct field {
	char *key;
	char *value;
};

struct fields {
	struct field *v;
	size_t n, alloc;
};

static void fields_release(struct fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].value);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static int fields_add(struct fields *f, const char *key, const char *value,
		      size_t vlen)
{
	if (f->n == f->alloc) {
		size_t n = f->alloc ? 2 * f->alloc : 64;
		struct field *v = realloc(f->v, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		f->v = v;
		f->alloc = n;
	}
	while (vlen && (value[0] == ' ' || value[0] == '\t')) {
		value++;
		vlen--;
	}
	while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
		vlen--;
	f->v[f->n].key = strdup(key);
	f->v[f->n].value = strndup(value, vlen);
	if (!f->v[f->n].key || !f->v[f->n].value) {
		free(f->v[f->n].key);
		free(f->v[f->n].value);
		return -ENOMEM;
	}
	f->n++;
	return 0;
}

/* Split one line into key and value for its file kind. */
static int parse_line(enum file_kind fk, const char *line, size_t n,
		      size_t lineno, char *zone, size_t zonelen, int *cpu,
		      struct fields *out)
{
	char key[512];
	const char *p = line, *end = line + n, *w;
	size_t wl;

	switch (fk) {
	case FK_MEMINFO: {
		const char *colon = memchr(line, ':', n);

		if (n > 5 && memcmp(p, "Node ", 5) == 0) {
			p += 5;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			while (p < end && *p == ' ')
				p++;
		}
		if (!colon)
			break;
		snprintf(key, sizeof(key), "%.*s", (int)(colon - p), p);
		return fields_add(out, key, colon + 1, (size_t)(end - colon - 1));
	}
	case FK_VMSTAT:
		w = memchr(line, ' ', n);
		if (!w)
			break;
		snprintf(key, sizeof(key), "%.*s", (int)(w - line), line);
		return fields_add(out, key, w, (size_t)(end - w));
	case FK_ZONEINFO:
		if (n > 5 && memcmp(line, "Node ", 5) == 0) {
			int node = atoi(line + 5);
			const char *z = strstr(line, "zone");

			if (z && z < end) {
				z += 4;
				while (*z == ' ')
					z++;
				snprintf(zone, zonelen, "%d/%.*s", node,
					 (int)(end - z), z);
			} else {
				snprintf(zone, zonelen, "%d/node", node);
			}
			*cpu = -1;
			return 0;
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (w = p; w < end && *w != ' ' && *w != '\t'; w++)
			;
		wl = (size_t)(w - p);
		if (wl == 5 && memcmp(p, "pages", 5) == 0) {
			p = w;
			while (p < end && *p == ' ')
				p++;
			for (w = p; w < end && *w != ' ' && *w != '\t'; w++)
				;
			wl = (size_t)(w - p);
		}
		if (wl && p[wl - 1] == ':')
			wl--;
		if (wl == 3 && memcmp(p, "cpu", 3) == 0) {
			*cpu = atoi(w + 1);
			return 0;
		}
		if (wl == 0)
			return 0;
		if (*cpu >= 0 && ((wl == 5 && !memcmp(p, "count", 5)) ||
				  (wl == 4 && !memcmp(p, "high", 4)) ||
				  (wl == 5 && !memcmp(p, "batch", 5)) ||
				  (wl == 2 && !memcmp(p, "vm", 2))))
			snprintf(key, sizeof(key), "%s/cpu%d/%.*s", zone, *cpu,
				 (int)wl, p);
		else
			snprintf(key, sizeof(key), "%s/%.*s", zone, (int)wl, p);
		if (p[wl] == ':')
			w = p + wl + 1;
		return fields_add(out, key, w, (size_t)(end - w));
	case FK_IOMEM:
		/* only what the model has: RAM and firmware-reserved ranges,
		 * CXL windows and their regions */
		if (!memmem(line, n, ": System RAM", 12) &&
		    !memmem(line, n, ": Reserved", 10) &&
		    !memmem(line, n, ": CXL Window ", 13) &&
		    !memmem(line, n, ": region", 8))
			return 0;
		snprintf(key, sizeof(key), "range %zu", out->n + 1);
		return fields_add(out, key, line, n);
	case FK_LINES:
		break;
	}
	snprintf(key, sizeof(key), "line %zu", lineno);
	return fields_add(out, key, line, n);
}

static int parse_fields(const char *path, const char *content,
			struct fields *out)
{
	enum file_kind fk = file_kind_of(path);
	char zone[128] = "?";
	const char *line = content;
	size_t lineno = 0;
	int cpu = -1, rc = 0;

	while (*line && !rc) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		rc = parse_line(fk, line, n, ++lineno, zone, sizeof(zone), &cpu,
				out);
		line += n + (nl ? 1 : 0);
	}
	/* Repeated keys (e.g. two "Node" sections) get #2, #3, ... */
	for (size_t i = 1; i < out->n && !rc; i++) {
		unsigned int dup = 1;

		for (size_t j = 0; j < i; j++)
			dup += strcmp(out->v[i].key, out->v[j].key) == 0;
		if (dup > 1) {
			char *k = NULL;

			if (asprintf(&k, "%s#%u", out->v[i].key, dup) < 0)
				return -ENOMEM;
			free(out->v[i].key);
			out->v[i].key = k;
		}
	}
	return rc;
}

static const char *field_value(const struct fields *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			return f->v[i].value;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Comparing                                                          */
/* ------------------------------------------------------------------ */

struct differ {
	const struct scenario *sc;
	const struct obs_log *a, *b;	/* model, kernel */
	size_t differences;
	size_t skipped;
};

/* The first reading of path:key in log l (the DELTA baseline). */
static bool baseline(const struct obs_log *l, const char *path,
		     const char *key, long long *out)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct fields f = { 0 };
		const char *v;
		bool ok = false;

		if (!l->v[i].content || !l->v[i].path ||
		    strcmp(l->v[i].path, path))
			continue;
		if (parse_fields(path, l->v[i].content, &f) == 0 &&
		    (v = field_value(&f, key))) {
			*out = strtoll(v, NULL, 0);
			ok = true;
		}
		fields_release(&f);
		if (ok)
			return true;
	}
	return false;
}

static void report(struct differ *d, const struct obs *o, const char *what,
		   const char *model, const char *kernel)
{
	printf("%s:%u: %s: model %s, kernel %s\n", d->sc->filename,
	       d->sc->steps[o->step].line, what, model, kernel);
	d->differences++;
}

static void compare_field(struct differ *d, const struct obs *o,
			  const char *path, const char *key, const char *va,
			  const char *vb)
{
	const struct tol_rule *r = rule_for(file_kind_of(path), key);
	char what[1024], sa[64], sb[64];
	long long ba, bb, da, db;

	snprintf(what, sizeof(what), "%s:%s", path, key);
	if (!va || !vb) {
		if (r && r->kind == TOL_SKIP) {
			d->skipped++;
			return;
		}
		report(d, o, what, va ? va : "(absent)", vb ? vb : "(absent)");
		return;
	}
	if (!r || r->kind == TOL_EXACT) {
		if (strcmp(va, vb))
			report(d, o, what, va, vb);
		return;
	}
	if (r->kind == TOL_SKIP) {
		d->skipped++;
		return;
	}
	if (!baseline(d->a, path, key, &ba) || !baseline(d->b, path, key, &bb)) {
		report(d, o, what, va, vb);
		return;
	}
	da = strtoll(va, NULL, 0) - ba;
	db = strtoll(vb, NULL, 0) - bb;
	if (llabs(da - db) > r->tol) {
		snprintf(sa, sizeof(sa), "%+lld since first read", da);
		snprintf(sb, sizeof(sb), "%+lld since first read", db);
		report(d, o, what, sa, sb);
	}
}

static void compare_contents(struct differ *d, const struct obs *o,
			     const char *path, const char *ca, const char *cb)
{
	struct fields fa = { 0 }, fb = { 0 };
	size_t i;

	if (parse_fields(path, ca, &fa) || parse_fields(path, cb, &fb)) {
		fields_release(&fa);
		fields_release(&fb);
		report(d, o, path, "(out of memory)", "");
		return;
	}
	for (i = 0; i < fa.n; i++)
		compare_field(d, o, path, fa.v[i].key, fa.v[i].value,
			      field_value(&fb, fa.v[i].key));
	for (i = 0; i < fb.n; i++)
		if (!field_value(&fa, fb.v[i].key))
			compare_field(d, o, path, fb.v[i].key, NULL,
				      fb.v[i].value);
	fields_release(&fa);
	fields_release(&fb);
}

static const char *rc_text(long rc, char *buf, size_t len)
{
	const char *name = rc < 0 ? hotmem_errno_name((int)-rc) : NULL;

	if (rc >= 0)
		snprintf(buf, len, "success (%ld)", rc);
	else
		snprintf(buf, len, "%s", name ? name : "E?");
	return buf;
}

/* The number an expect step looked at in log l (a change for deltas). */
static bool expect_value(const struct obs_log *l, const struct obs *o,
			 const struct scenario_step *s, long long *out)
{
	struct scenario_num now, then;
	const char *text;
	size_t len, i;

	if (!o->content || s->target.key_kind == SCENARIO_KEY_NONE ||
	    scenario_field(&s->target, o->content, &text, &len) ||
	    scenario_first_num(text, len, &now))
		return false;
	*out = now.negative ? -(long long)now.magnitude : (long long)now.magnitude;
	if (!s->is_delta)
		return true;
	for (i = 0; i < l->n; i++)
		if (l->v[i].step == s->snapshot_step && l->v[i].content &&
		    l->v[i].path && strcmp(l->v[i].path, s->target.path) == 0)
			break;
	if (i == l->n ||
	    scenario_field(&s->target, l->v[i].content, &text, &len) ||
	    scenario_first_num(text, len, &then))
		return false;
	*out -= then.negative ? -(long long)then.magnitude : (long long)then.magnitude;
	return true;
}

/*
 * An expect whose outcome differs only because a live value moved
 * within its tolerance (e.g. MemFree - @boot == 0 on a kernel that
 * freed 240 kB meanwhile) is no disagreement.
 */
static bool expect_within_tolerance(struct differ *d, const struct obs *a,
				    const struct obs *b,
				    const struct scenario_step *s)
{
	const struct tol_rule *r;
	char key[256];
	long long va, vb;

	if (s->kind != STEP_EXPECT || !s->is_delta || !s->target.key)
		return false;
	if (s->target.key_kind == SCENARIO_KEY_ZONEINFO)
		snprintf(key, sizeof(key), "%d/%s/%s", s->target.zone_node,
			 s->target.zone_name, s->target.key);
	else
		snprintf(key, sizeof(key), "%s", s->target.key);
	r = rule_for(file_kind_of(s->target.path), key);
	if (!r || r->kind != TOL_DELTA || !r->tol ||
	    !expect_value(d->a, a, s, &va) || !expect_value(d->b, b, s, &vb))
		return false;
	if (llabs(va - vb) > r->tol)
		return false;
	d->skipped++;
	return true;
}

/*
 * One line of a tool's standard output with the value of every "uuid"
 * member (json-c's `"uuid":"...",`) replaced by <uuid>: ndctl writes a
 * fresh random uuid into every info block and label it creates, so
 * only its presence and place can agree.
 */
static char *tool_line(const char *text, size_t n)
{
	char *line = strndup(text, n), *p, *q;

	for (p = line; p && (p = strstr(p, "uuid\":\"")); p = q) {
		p += 7;
		q = strchr(p, '"');
		if (!q)
			break;
		if (q > p) {
			memmove(p + 6, q, strlen(q) + 1);
			memcpy(p, "<uuid>", 6);
			q = p + 6;
		}
	}
	return line;
}

/* The tools' standard output: line by line, uuid values aside. */
static void compare_tool_output(struct differ *d, const struct obs *o,
				const struct scenario_step *s, const char *ca,
				const char *cb)
{
	size_t lineno = 0;

	while (*ca || *cb) {
		size_t na = strcspn(ca, "\n"), nb = strcspn(cb, "\n");
		char *la = *ca ? tool_line(ca, na) : NULL;
		char *lb = *cb ? tool_line(cb, nb) : NULL;
		char what[512];

		lineno++;
		if ((*ca && !la) || (*cb && !lb)) {
			free(la);
			free(lb);
			report(d, o, s->text, "(out of memory)", "");
			return;
		}
		if (!la || !lb || strcmp(la, lb)) {
			snprintf(what, sizeof(what), "%s: stdout line %zu", s->text,
				 lineno);
			report(d, o, what, la ? la : "(absent)", lb ? lb : "(absent)");
		}
		free(la);
		free(lb);
		ca += na + (ca[na] == '\n');
		cb += nb + (cb[nb] == '\n');
	}
}

static void compare_obs(struct differ *d, const struct obs *a,
			const struct obs *b)
{
	const struct scenario_step *s = &d->sc->steps[a->step];
	char ra[64], rb[64];
	const char *what = a->path ? a->path : s->text;

	if (s->kind == STEP_TOOL) {
		/* exit status (an expect-status holds alike when it agrees),
		 * then standard output (older goldens have none) */
		if (a->rc != b->rc) {
			snprintf(ra, sizeof(ra), "exit status %ld", a->rc);
			snprintf(rb, sizeof(rb), "exit status %ld", b->rc);
			report(d, a, what, ra, rb);
		}
		if (a->content && b->content)
			compare_tool_output(d, a, s, a->content, b->content);
		return;
	}
	if ((a->rc < 0 || b->rc < 0) && a->rc != b->rc) {
		/* write: success is the byte count, the same on both */
		report(d, a, what, rc_text(a->rc, ra, sizeof(ra)),
		       rc_text(b->rc, rb, sizeof(rb)));
	} else if (a->rc != b->rc && !a->content) {
		report(d, a, what, rc_text(a->rc, ra, sizeof(ra)),
		       rc_text(b->rc, rb, sizeof(rb)));
	}
	if ((s->kind == STEP_EXPECT || s->kind == STEP_EXPECT_ERROR) &&
	    a->passed != b->passed && !expect_within_tolerance(d, a, b, s)) {
		report(d, a, s->text, a->passed ? "holds" : "fails",
		       b->passed ? "holds" : "fails");
	}
	if (a->content && b->content)
		compare_contents(d, a, a->path, a->content, b->content);
}

static int compare_logs(struct differ *d)
{
	size_t i, n = d->a->n < d->b->n ? d->a->n : d->b->n;

	for (i = 0; i < n; i++) {
		const struct obs *a = &d->a->v[i], *b = &d->b->v[i];

		if (a->step != b->step || a->step >= d->sc->nr_steps ||
		    ((a->path == NULL) != (b->path == NULL)) ||
		    (a->path && strcmp(a->path, b->path))) {
			fprintf(stderr, "hotmem: diff: %s: the runs went apart at observation %zu (a golden of another scenario?)\n",
				d->sc->filename, i + 1);
			return EXIT_TROUBLE;
		}
		compare_obs(d, a, b);
	}
	if (d->a->n != d->b->n || d->a->status == EXIT_TROUBLE ||
	    d->b->status == EXIT_TROUBLE) {
		fprintf(stderr, "hotmem: diff: %s: %s (%zu observations on the model, %zu on the kernel)\n",
			d->sc->filename,
			d->a->status == EXIT_TROUBLE ? "the model run stopped with an error" :
			d->b->status == EXIT_TROUBLE ? "the kernel run stopped with an error" :
			"the runs saw different numbers of results",
			d->a->n, d->b->n);
		return EXIT_TROUBLE;
	}
	return d->differences ? EXIT_EXPECT_FAILED : EXIT_PASS;
}

static int cmd_diff(int argc, char **argv)
{
	const char *file = NULL, *golden = NULL, *record = NULL;
	struct obs_log model = { 0 }, kernel = { 0 };
	struct scenario *sc = NULL;
	struct differ d = { 0 };
	char err[512] = "";
	int i, status;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (wants_help(a)) {
			fputs(diff_help, stdout);
			return EXIT_PASS;
		} else if (strncmp(a, "--golden=", 9) == 0 && a[9]) {
			golden = a + 9;
		} else if (strncmp(a, "--record=", 9) == 0 && a[9]) {
			record = a + 9;
		} else if (strncmp(a, "--accel=", 8) == 0) {
			int rc = accel_option(a + 8);

			if (rc)
				return rc;
		} else if (a[0] == '-' && strcmp(a, "-")) {
			return usage_error("unknown option '%s'", a);
		} else if (file) {
			return usage_error("diff: one scenario at a time ('%s' is a second one)",
					   a);
		} else {
			file = a;
		}
	}
	if (!file)
		return usage_error("%s: no scenario file given", "diff");
	if (golden && record)
		return usage_error("diff: %s", "--golden and --record exclude each other");
	if (load_scenario(file, &sc))
		return EXIT_TROUBLE;
	status = EXIT_TROUBLE;
	if (!golden && backend_check_steps(&scenario_backend_qemu, sc))
		goto out;
	if (golden && golden_read(golden, &kernel, err, sizeof(err))) {
		fprintf(stderr, "hotmem: diff: %s\n", err);
		goto out;
	}
	if (run_collect(sc, &scenario_backend_model, &model))
		goto out;
	if (!golden) {
		if (run_collect(sc, &scenario_backend_qemu, &kernel))
			goto out;
		if (record) {
			int rc = golden_write(record, &kernel);

			if (rc) {
				fprintf(stderr, "hotmem: diff: cannot write '%s': %s\n",
					record, strerror(-rc));
				goto out;
			}
		}
	}
	d.sc = sc;
	d.a = &model;
	d.b = &kernel;
	status = compare_logs(&d);
	if (status != EXIT_TROUBLE)
		fprintf(stderr, "%s: %zu difference%s between model and kernel (%zu fields not compared by the tolerance rules)\n",
			sc->filename, d.differences, d.differences == 1 ? "" : "s",
			d.skipped);
out:
	log_release(&model);
	log_release(&kernel);
	scenario_free(sc);
	return status;
}

const struct command hotmem_cmd_diff = {
	"diff", "run a scenario on the model and the real kernel, and compare",
	diff_help, cmd_diff,
};
