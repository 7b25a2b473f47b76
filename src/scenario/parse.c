/*
 * parse.c - scenario text to struct scenario (scenario.h).
 *
 * Contract: the whole file is parsed before anything runs. Every
 * malformed line is reported as "FILE:LINE: error: MESSAGE" (quoting the
 * offending token) into the caller's diagnostics buffer and parsing goes
 * on, so one pass reports every error; the result is then -EINVAL and
 * no scenario. The steps before `boot` (machine, numa, cmdline) are
 * folded into one struct scenario_machine here, using only the pure
 * configuration helpers of hotmem.h (hotmem_config_init,
 * hotmem_config_cmdline, hotmem_parse_size, hotmem_errno_from_name);
 * no machine is needed, so the parser is testable on its own.
 * Snapshots are resolved here too: each `snapshot NAME` step lists the
 * paths that later expects take changes of, so running it reads only
 * those.
 *
 * Expected workload: files of tens to a few thousand lines; linear,
 * except that resolving @NAME scans back to the nearest snapshot.
 */
#include "scenario.h"
#include "../import/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct token {
	char *s;		/* unquoted text */
	bool quoted;		/* some part was in double quotes */
	size_t start;		/* offset of the token in the line */
};

struct tokens {
	struct token *v;
	size_t n, alloc;
	size_t text_end;	/* where the comment (or the line) starts/ends */
};

struct parser {
	const char *filename;
	struct strbuf *diag;
	struct scenario *sc;
	size_t steps_alloc;
	unsigned int line;
	unsigned int nr_errors;
	bool enomem;
	unsigned int machine_line;	/* 0: no machine step yet */
	unsigned int boot_line;		/* 0: not booted yet */
	unsigned int first_numa_line, last_numa_line;
	uint64_t numa_sum;
};

static const char *const notifier_events[] = {
	"MEM_ONLINE", "MEM_GOING_OFFLINE", "MEM_OFFLINE", "MEM_GOING_ONLINE",
	"MEM_CANCEL_ONLINE", "MEM_CANCEL_OFFLINE", "MEM_PREPARE_ONLINE",
	"MEM_FINISH_OFFLINE",
};

static void diag_vadd(struct parser *p, unsigned int line, const char *what,
		      const char *fmt, va_list ap)
{
	if (sb_printf(p->diag, "%s:%u: %s: ", p->filename, line, what) ||
	    sb_vprintf(p->diag, fmt, ap) || sb_puts(p->diag, "\n"))
		p->enomem = true;
}

__attribute__((format(printf, 2, 3)))
static void perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(p, p->line, "error", fmt, ap);
	va_end(ap);
	p->nr_errors++;
}

__attribute__((format(printf, 3, 4)))
static void perr_at(struct parser *p, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(p, line, "error", fmt, ap);
	va_end(ap);
	p->nr_errors++;
}

__attribute__((format(printf, 2, 3)))
static void pwarn(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(p, p->line, "warning", fmt, ap);
	va_end(ap);
}

static char *xstrdup(struct parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		p->enomem = true;
	return d;
}

static char *xstrndup(struct parser *p, const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		p->enomem = true;
	return d;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                             */
/* ------------------------------------------------------------------ */

static void tokens_release(struct tokens *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static int tokens_push(struct tokens *t, struct strbuf *sb, bool quoted,
		       size_t start)
{
	if (t->n == t->alloc) {
		size_t n = t->alloc ? 2 * t->alloc : 8;
		struct token *v = realloc(t->v, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->alloc = n;
	}
	t->v[t->n].s = sb_detach(sb);
	if (!t->v[t->n].s)
		return -ENOMEM;
	t->v[t->n].quoted = quoted;
	t->v[t->n].start = start;
	t->n++;
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Split one line into tokens: blanks separate, double quotes group (\"
 * and \\ escape inside them), '#' outside quotes starts a comment.
 * Returns 0, -EINVAL (reported) or -ENOMEM.
 */
static int tokenize(struct parser *p, const char *line, size_t len,
		    struct tokens *t)
{
	size_t i = 0;
	struct strbuf sb;

	sb_init(&sb);
	t->text_end = len;
	for (;;) {
		bool quoted = false;
		size_t start;

		while (i < len && is_blank(line[i]))
			i++;
		if (i >= len)
			break;
		if (line[i] == '#') {
			t->text_end = i;
			break;
		}
		start = i;
		while (i < len && !is_blank(line[i]) && line[i] != '#') {
			if (line[i] != '"') {
				if (sb_add(&sb, &line[i++], 1))
					goto nomem;
				continue;
			}
			quoted = true;
			for (i++; i < len && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < len &&
				    (line[i + 1] == '"' || line[i + 1] == '\\'))
					i++;
				if (sb_add(&sb, &line[i], 1))
					goto nomem;
			}
			if (i >= len) {
				perr(p, "unterminated quote in '%.*s'",
				     (int)(len - start), line + start);
				sb_release(&sb);
				return -EINVAL;
			}
			i++;	/* closing quote */
		}
		if (tokens_push(t, &sb, quoted, start))
			goto nomem;
		if (i < len && line[i] == '#') {
			t->text_end = i;
			break;
		}
	}
	sb_release(&sb);
	return 0;
nomem:
	sb_release(&sb);
	p->enomem = true;
	return -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Small argument parsers                                             */
/* ------------------------------------------------------------------ */

/* Split "key=value": the key's length, or 0 when there is no '='. */
static size_t key_len(const char *tok)
{
	const char *eq = strchr(tok, '=');

	return eq ? (size_t)(eq - tok) : 0;
}

static bool key_is(const char *tok, const char *key)
{
	size_t n = strlen(key);

	return strncmp(tok, key, n) == 0 && tok[n] == '=';
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

static int parse_size_arg(struct parser *p, const char *what, const char *tok,
			  bool allow_zero, uint64_t *out)
{
	const char *val = tok + key_len(tok) + 1;

	if (hotmem_parse_size(val, out) != 0) {
		perr(p, "%s: bad size '%s' (want a number with an optional K, M, G, T, P or E suffix)",
		     what, val);
		return -EINVAL;
	}
	if (!allow_zero && *out == 0) {
		perr(p, "%s: size must not be 0 in '%s'", what, tok);
		return -EINVAL;
	}
	return 0;
}

/* "0-1", "0,2", "0-3,6": CPU lists as QEMU takes them. */
static bool valid_cpu_list(const char *s)
{
	for (;;) {
		unsigned long a = 0, b;

		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			a = a * 10 + (unsigned long)(*s++ - '0');
		if (*s == '-') {
			s++;
			if (!isdigit((unsigned char)*s))
				return false;
			b = 0;
			while (isdigit((unsigned char)*s))
				b = b * 10 + (unsigned long)(*s++ - '0');
			if (b < a)
				return false;
		}
		if (*s == '\0')
			return true;
		if (*s++ != ',')
			return false;
	}
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return false;
	return true;
}

static int parse_errno_name(struct parser *p, const char *name, int *out)
{
	int e = hotmem_errno_from_name(name);

	if (e <= 0) {
		perr(p, "unknown errno name '%s' (want a name like EINVAL)",
		     name);
		return -EINVAL;
	}
	*out = e;
	return 0;
}

static int check_path(struct parser *p, const char *step, const char *path)
{
	if (path[0] != '/') {
		perr(p, "%s: path '%s' is not absolute", step, path);
		return -EINVAL;
	}
	return 0;
}

/* Reject arguments beyond the expected number. */
static int no_more(struct parser *p, const char *step, const struct tokens *t,
		   size_t used)
{
	if (t->n > used) {
		perr(p, "%s: unexpected argument '%s'", step, t->v[used].s);
		return -EINVAL;
	}
	return 0;
}

static int need_args(struct parser *p, const char *step, const struct tokens *t,
		     size_t first, size_t nr, const char *usage)
{
	if (t->n < first + nr) {
		perr(p, "%s: missing argument (usage: %s)", step, usage);
		return -EINVAL;
	}
	return no_more(p, step, t, first + nr);
}

/* ------------------------------------------------------------------ */
/* Steps                                                              */
/* ------------------------------------------------------------------ */

static void step_release(struct scenario_step *s)
{
	size_t i;

	free(s->text);
	free(s->path);
	free(s->value);
	free(s->driver);
	free(s->id);
	free(s->target.path);
	free(s->target.key);
	free(s->target.zone_name);
	free(s->expected.text);
	free(s->event);
	free(s->snapshot_name);
	for (i = 0; i < s->nr_snapshot_paths; i++)
		free(s->snapshot_paths[i]);
	free(s->snapshot_paths);
	free(s->echo_text);
	for (i = 0; i < s->tool_argc; i++)
		free(s->tool_argv[i]);
	free(s->tool_argv);
}

static int append_step(struct parser *p, struct scenario_step *s)
{
	struct scenario *sc = p->sc;

	if (sc->nr_steps == p->steps_alloc) {
		size_t n = p->steps_alloc ? 2 * p->steps_alloc : 16;
		struct scenario_step *v = realloc(sc->steps, n * sizeof(*v));

		if (!v) {
			p->enomem = true;
			return -ENOMEM;
		}
		sc->steps = v;
		p->steps_alloc = n;
	}
	sc->steps[sc->nr_steps++] = *s;
	return 0;
}

/* boot_reserved=SIZE or boot_used=SIZE: model inputs (docs/model-inputs.md). */
static int apply_boot_input(struct parser *p, const char *tok)
{
	struct hotmem_config *c = &p->sc->machine.config;
	uint64_t bytes;

	if (parse_size_arg(p, "machine", tok, true, &bytes))
		return -EINVAL;
	if (bytes & 4095) {
		perr(p, "machine: '%s' is not a multiple of the page size (4K)", tok);
		return -EINVAL;
	}
	if (key_is(tok, "boot_used")) {
		c->boot_used_kb = bytes >> 10;
		c->boot_used_set = true;
	} else {
		c->boot_reserved_kb = bytes >> 10;
		c->boot_reserved_set = true;
	}
	return 0;
}

/*
 * from=DIR: the model inputs `hotmem capture` measured on a real boot,
 * DIR/model-inputs.txt ("boot_reserved=SIZE", "boot_used=SIZE", '#'
 * comments). A relative DIR is taken from the scenario file's folder.
 */
static int apply_capture(struct parser *p, const char *dir)
{
	const char *slash = strrchr(p->filename, '/');
	char path[4096], line[256];
	unsigned int lineno = 0;
	int r = 0;
	FILE *f;

	if (!*dir) {
		perr(p, "machine: from= needs a directory written by 'hotmem capture'");
		return -EINVAL;
	}
	if (dir[0] != '/' && slash && strcmp(p->filename, "<stdin>"))
		snprintf(path, sizeof(path), "%.*s/%s/model-inputs.txt",
			 (int)(slash - p->filename), p->filename, dir);
	else
		snprintf(path, sizeof(path), "%s/model-inputs.txt", dir);
	f = fopen(path, "r");
	if (!f) {
		perr(p, "machine: from=%s: cannot read %s: %s", dir, path,
		     strerror(errno));
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!key_is(line, "boot_reserved") && !key_is(line, "boot_used")) {
			perr(p, "machine: from=%s: %s:%u: unknown line '%s' (want boot_reserved= or boot_used=)",
			     dir, path, lineno, line);
			r = -EINVAL;
			continue;
		}
		if (apply_boot_input(p, line))
			r = -EINVAL;
	}
	fclose(f);
	return r;
}

/* saved_command_line: the words in order, one space apart, truncated */
static void cmdline_append(char *line, size_t size, const char *word)
{
	size_t len = strnlen(line, size);

	snprintf(line + len, size - len, "%s%s", len ? " " : "", word);
}

/*
 * machine from-snapshot=PATH [arch=A] [page_size=S] [maxmem=M] [slots=N]:
 * a captured real machine (src/import). It is loaded and checked here,
 * so a bad capture is a malformed line and nothing runs; what the files
 * left open is a warning saying what was assumed.
 */
static int parse_machine_snapshot(struct parser *p, const struct tokens *t)
{
	struct hotmem_config *c = &p->sc->machine.config;
	struct snapshot_opts opts = { .arch = "" };
	const char *path = NULL, *slash = strrchr(p->filename, '/');
	char full[1024], err[1024] = "";
	struct snapshot *s;
	unsigned long v;
	uint64_t maxmem = 0;
	unsigned int slots = 0;
	size_t i;
	int r = 0;

	for (i = 1; i < t->n; i++) {
		const char *tok = t->v[i].s;
		const char *val = tok + key_len(tok) + 1;

		if (key_is(tok, "from-snapshot")) {
			path = val;
		} else if (key_is(tok, "arch")) {
			if (!hotmem_arch_supported(val) && strcmp(val, "arm64") && strcmp(val, "ppc64")) {
				perr(p, "machine: unknown arch '%s' (known: %s)", val, hotmem_arch_names());
				r = -EINVAL;
			}
			snprintf(opts.arch, sizeof(opts.arch), "%s", val);
		} else if (key_is(tok, "page_size")) {
			if (parse_size_arg(p, "machine", tok, false, &opts.page_size))
				r = -EINVAL;
			else if (opts.page_size & (opts.page_size - 1) || opts.page_size < 4096) {
				perr(p, "machine: page_size=%s: not a page size (4K, 16K, 64K)", val);
				r = -EINVAL;
			}
		} else if (key_is(tok, "maxmem")) {
			if (parse_size_arg(p, "machine", tok, false, &maxmem))
				r = -EINVAL;
		} else if (key_is(tok, "slots")) {
			if (parse_uint(val, 4096, &v)) {
				perr(p, "machine: bad slot count '%s'", val);
				r = -EINVAL;
			}
			slots = (unsigned int)v;
		} else {
			perr(p, "machine: '%s' does not go with from-snapshot= (want arch=, page_size=, maxmem=, slots=)",
			     tok);
			r = -EINVAL;
		}
	}
	if (r)
		return r;
	if (!path || !*path) {
		perr(p, "machine: from-snapshot= needs a directory or tarball");
		return -EINVAL;
	}
	if (path[0] != '/' && slash && strcmp(p->filename, "<stdin>") &&
	    strcmp(p->filename, "<command line>"))
		snprintf(full, sizeof(full), "%.*s/%s", (int)(slash - p->filename),
			 p->filename, path);
	else
		snprintf(full, sizeof(full), "%s", path);
	if (snapshot_load(full, &opts, &s, err, sizeof(err))) {
		perr(p, "machine: from-snapshot: %s", err);
		return -EINVAL;
	}
	if (s->notes.len) {
		char *line = s->notes.buf, *nl;

		for (; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			*nl = '\0';
			pwarn(p, "snapshot: %s", line);
		}
	}
	import_config(s, c);
	snapshot_put(s);
	snprintf(c->snapshot, sizeof(c->snapshot), "%s", full);
	snprintf(c->snapshot_arch, sizeof(c->snapshot_arch), "%s", opts.arch);
	c->snapshot_page_size = opts.page_size;
	if (maxmem)
		c->maxmem_bytes = maxmem;
	if (slots)
		c->slots = slots;
	return 0;
}

static int parse_machine(struct parser *p, const struct tokens *t)
{
	struct hotmem_config *c = &p->sc->machine.config;
	bool have_arch = false, have_mem = false;
	unsigned long v;
	size_t i;
	int r = 0;

	if (p->machine_line) {
		perr(p, "second 'machine' step (the first is at line %u)",
		     p->machine_line);
		return -EINVAL;
	}
	p->machine_line = p->line;
	p->sc->machine_line = p->line;
	for (i = 1; i < t->n; i++)
		if (key_is(t->v[i].s, "from-snapshot"))
			return parse_machine_snapshot(p, t);
	for (i = 1; i < t->n; i++) {
		const char *tok = t->v[i].s;
		const char *val = tok + key_len(tok) + 1;

		if (key_is(tok, "arch")) {
			have_arch = true;
			if (!*val || strlen(val) >= sizeof(c->arch)) {
				perr(p, "machine: bad arch '%s'", val);
				r = -EINVAL;
				continue;
			}
			if (!hotmem_arch_supported(val)) {
				perr(p, "machine: unknown arch '%s' (known: %s)",
				     val, hotmem_arch_names());
				r = -EINVAL;
				continue;
			}
			strcpy(c->arch, val);
		} else if (key_is(tok, "mem")) {
			if (parse_size_arg(p, "machine", tok, false, &c->mem_bytes))
				r = -EINVAL;
			have_mem = true;
		} else if (key_is(tok, "standby")) {
			/* s390 standby storage; boot checks the arch */
			if (parse_size_arg(p, "machine", tok, false,
					   &c->standby_bytes))
				r = -EINVAL;
		} else if (key_is(tok, "cpu")) {
			/* QEMU's -cpu model; boot checks the arch */
			if (strcmp(val, "max") && strcmp(val, "qemu64")) {
				perr(p, "machine: unknown cpu '%s' (known: max, qemu64)", val);
				r = -EINVAL;
				continue;
			}
			strcpy(c->cpu, val);
		} else if (key_is(tok, "hpt-max-page-size")) {
			/* QEMU pseries' cap-hpt-max-page-size; boot checks the arch */
			if (parse_size_arg(p, "machine", tok, false,
					   &c->hpt_max_page_size))
				r = -EINVAL;
		} else if (key_is(tok, "maxmem")) {
			if (parse_size_arg(p, "machine", tok, false,
					   &c->maxmem_bytes))
				r = -EINVAL;
		} else if (key_is(tok, "block_size")) {
			if (parse_size_arg(p, "machine", tok, false,
					   &c->block_size_bytes))
				r = -EINVAL;
		} else if (key_is(tok, "boot_reserved") || key_is(tok, "boot_used")) {
			if (apply_boot_input(p, tok))
				r = -EINVAL;
		} else if (key_is(tok, "from")) {
			if (apply_capture(p, val))
				r = -EINVAL;
		} else if (key_is(tok, "slots")) {
			if (parse_uint(val, 4096, &v)) {
				perr(p, "machine: bad slot count '%s'", val);
				r = -EINVAL;
				continue;
			}
			c->slots = (unsigned int)v;
		} else {
			perr(p, "machine: unknown argument '%s' (want arch=, mem=, slots=, maxmem=, block_size=, standby=, hpt-max-page-size=, cpu=, boot_reserved=, boot_used=, from=)",
			     tok);
			r = -EINVAL;
		}
	}
	if (!have_arch) {
		perr(p, "machine: missing arch= (e.g. arch=x86_64)");
		r = -EINVAL;
	}
	if (!have_mem) {
		perr(p, "machine: missing mem= (e.g. mem=2G)");
		r = -EINVAL;
	}
	return r;
}

static int parse_numa(struct parser *p, const struct tokens *t)
{
	struct hotmem_config *c = &p->sc->machine.config;
	struct hotmem_node_config node = { 0 };
	bool have_node = false, have_mem = false;
	unsigned long nid = 0;
	size_t i;
	int r = 0;

	if (c->snapshot[0]) {
		perr(p, "numa: a machine from-snapshot has the captured nodes; numa lines do not go with it");
		return -EINVAL;
	}
	for (i = 1; i < t->n; i++) {
		const char *tok = t->v[i].s;
		const char *val = tok + key_len(tok) + 1;

		if (key_is(tok, "node")) {
			if (parse_uint(val, HOTMEM_MAX_NODES - 1, &nid)) {
				perr(p, "numa: bad node number '%s' (0..%d)",
				     val, HOTMEM_MAX_NODES - 1);
				r = -EINVAL;
			}
			have_node = true;
		} else if (key_is(tok, "mem")) {
			if (parse_size_arg(p, "numa", tok, true,
					   &node.mem_bytes))
				r = -EINVAL;
			have_mem = true;
		} else if (key_is(tok, "cpus")) {
			if (!valid_cpu_list(val)) {
				perr(p, "numa: bad cpu list '%s' (e.g. cpus=0-1 or cpus=0,2)",
				     val);
				r = -EINVAL;
			}
			node.has_cpus = 1;
		} else {
			perr(p, "numa: unknown argument '%s' (want node=, mem=, cpus=)",
			     tok);
			r = -EINVAL;
		}
	}
	if (!have_node) {
		perr(p, "numa: missing node=");
		r = -EINVAL;
	}
	if (!have_mem) {
		perr(p, "numa: missing mem= (mem=0 for a memoryless node)");
		r = -EINVAL;
	}
	if (r)
		return r;
	if (nid != c->nr_nodes) {
		perr(p, "numa: node=%lu out of order (nodes are numbered 0, 1, ... in order; expected node=%u)",
		     nid, c->nr_nodes);
		return -EINVAL;
	}
	c->nodes[c->nr_nodes++] = node;
	p->numa_sum += node.mem_bytes;
	if (!p->first_numa_line)
		p->first_numa_line = p->line;
	p->last_numa_line = p->line;
	return 0;
}

static int parse_cmdline(struct parser *p, const struct tokens *t)
{
	struct scenario_machine *m = &p->sc->machine;
	size_t i;
	int r = 0;

	if (t->n < 2) {
		perr(p, "cmdline: missing argument (usage: cmdline PARAM=VALUE ...)");
		return -EINVAL;
	}
	for (i = 1; i < t->n; i++) {
		const char *word = t->v[i].s;
		size_t klen = key_len(word);
		char msg[256] = "";
		char *param, **words;
		int ret;

		if (word[0] == '=' || !*word) {
			perr(p, "cmdline: malformed parameter '%s'", word);
			r = -EINVAL;
			continue;
		}
		param = xstrndup(p, word, klen ? klen : strlen(word));
		if (!param)
			return -ENOMEM;
		ret = hotmem_config_cmdline(&m->config, param,
					    klen ? word + klen + 1 : NULL,
					    msg, sizeof(msg));
		if (ret == HOTMEM_CMDLINE_IGNORED) {
			/* known, but the kernel ignores this value */
			pwarn(p, "cmdline: %s", msg);
		} else if (ret == HOTMEM_CMDLINE_UNKNOWN) {
			pwarn(p, "unknown kernel parameter %s (ignored, as the kernel does)",
			      param);
		} else if (ret < 0) {
			perr(p, "cmdline: kernel rejects '%s'%s%s", word,
			     msg[0] ? ": " : "", msg);
			r = -EINVAL;
		}
		free(param);
		/* every word reaches /proc/cmdline, whatever the kernel makes of it */
		cmdline_append(m->config.cmdline, sizeof(m->config.cmdline), word);
		words = realloc(m->cmdline_words,
				(m->nr_cmdline_words + 1) * sizeof(*words));
		if (!words) {
			p->enomem = true;
			return -ENOMEM;
		}
		m->cmdline_words = words;
		words[m->nr_cmdline_words] = xstrdup(p, word);
		if (!words[m->nr_cmdline_words])
			return -ENOMEM;
		m->nr_cmdline_words++;
	}
	return r;
}

/*
 * Sum of the numa nodes must be the machine's memory, as QEMU insists;
 * reported at `boot` (or the last numa line when there is no boot).
 */
static void check_numa_sum(struct parser *p, unsigned int line)
{
	const struct hotmem_config *c = &p->sc->machine.config;

	if (c->snapshot[0] && p->first_numa_line) {
		perr_at(p, p->first_numa_line,
			"numa: a machine from-snapshot has the captured nodes; numa lines do not go with it");
		return;
	}
	if (c->nr_nodes && !c->snapshot[0] && p->numa_sum != c->mem_bytes)
		perr_at(p, line,
			"numa: the nodes (lines %u-%u) add up to %llu bytes but machine mem= is %llu bytes (QEMU refuses this)",
			p->first_numa_line, p->last_numa_line,
			(unsigned long long)p->numa_sum,
			(unsigned long long)c->mem_bytes);
}

/* device_add pc-dimm|cxl-type3 id=ID size=SIZE [node=N], from t->v[first]. */
static int parse_device_add(struct parser *p, const struct tokens *t,
			    size_t first, struct scenario_step *s)
{
	const char *step = "device_add";
	bool have_id = false, have_size = false;
	unsigned long node;
	size_t i;
	int r = 0;

	if (t->n <= first) {
		perr(p, "%s: missing argument (usage: device_add pc-dimm id=ID size=SIZE [node=N])",
		     step);
		return -EINVAL;
	}
	if (strcmp(t->v[first].s, "pc-dimm") != 0 &&
	    strcmp(t->v[first].s, "nvdimm") != 0 &&
	    strcmp(t->v[first].s, "cxl-type3") != 0) {
		perr(p, "%s: unsupported device '%s' (pc-dimm, nvdimm or cxl-type3)", step,
		     t->v[first].s);
		return -EINVAL;
	}
	s->driver = xstrdup(p, t->v[first].s);
	/* a machine that takes nvdimms is built for them (nvdimm=on) */
	if (strcmp(s->driver ? s->driver : "", "nvdimm") == 0)
		p->sc->machine.config.nvdimm = 1;
	for (i = first + 1; i < t->n; i++) {
		const char *tok = t->v[i].s;
		const char *val = tok + key_len(tok) + 1;

		if (key_is(tok, "id")) {
			if (!valid_name(val)) {
				perr(p, "%s: bad id '%s' (letters, digits, '_', '-', '.')",
				     step, val);
				r = -EINVAL;
				continue;
			}
			free(s->id);
			s->id = xstrdup(p, val);
			have_id = true;
		} else if (key_is(tok, "size")) {
			if (parse_size_arg(p, step, tok, false, &s->size))
				r = -EINVAL;
			have_size = true;
		} else if (key_is(tok, "node")) {
			if (parse_uint(val, HOTMEM_MAX_NODES - 1, &node)) {
				perr(p, "%s: bad node '%s' (a node number 0..%d: the model's MAX_NUMNODES is %d)",
				     step, val, HOTMEM_MAX_NODES - 1, HOTMEM_MAX_NODES);
				r = -EINVAL;
				continue;
			}
			s->node = (int)node;
		} else {
			perr(p, "%s: unknown argument '%s' (want id=, size=, node=)",
			     step, tok);
			r = -EINVAL;
		}
	}
	if (!r && !have_id) {
		perr(p, "%s: missing id=", step);
		r = -EINVAL;
	}
	if (!r && !have_size) {
		perr(p, "%s: missing size=", step);
		r = -EINVAL;
	}
	return r;
}

/*
 * device_add before boot: a device present at power-on (QEMU -device).
 * Only cxl-type3 is (QEMU fixes the CXL topology at startup).
 */
static int parse_coldplug(struct parser *p, const struct tokens *t)
{
	struct hotmem_config *c = &p->sc->machine.config;
	struct scenario_step s = { .line = p->line, .node = -1 };
	int r = parse_device_add(p, t, 1, &s);

	if (!r && strcmp(s.driver, "cxl-type3")) {
		perr(p, "device_add %s before boot: only cxl-type3 is plugged at power-on (add a 'boot' step before it)",
		     s.driver);
		r = -EINVAL;
	} else if (!r && c->nr_cxl >= HOTMEM_MAX_CXL_COLDPLUG) {
		perr(p, "device_add cxl-type3: at most %d at power-on", HOTMEM_MAX_CXL_COLDPLUG);
		r = -EINVAL;
	} else if (!r && strlen(s.id) >= sizeof(c->cxl[0].id)) {
		perr(p, "device_add cxl-type3: id '%s' longer than %zu characters", s.id,
		     sizeof(c->cxl[0].id) - 1);
		r = -EINVAL;
	} else if (!r) {
		snprintf(c->cxl[c->nr_cxl].id, sizeof(c->cxl[0].id), "%s", s.id);
		c->cxl[c->nr_cxl].size = s.size;
		c->cxl[c->nr_cxl].node = s.node;
		c->nr_cxl++;
	}
	step_release(&s);
	return r;
}

static int parse_device_del(struct parser *p, const struct tokens *t,
			    size_t first, struct scenario_step *s)
{
	if (need_args(p, "device_del", t, first, 1, "device_del ID"))
		return -EINVAL;
	if (!valid_name(t->v[first].s)) {
		perr(p, "device_del: bad id '%s'", t->v[first].s);
		return -EINVAL;
	}
	s->id = xstrdup(p, t->v[first].s);
	return 0;
}

static int parse_write(struct parser *p, const struct tokens *t, size_t first,
		       struct scenario_step *s)
{
	if (need_args(p, "write", t, first, 2, "write PATH VALUE") ||
	    check_path(p, "write", t->v[first].s))
		return -EINVAL;
	s->path = xstrdup(p, t->v[first].s);
	s->value = xstrdup(p, t->v[first + 1].s);
	return 0;
}

static int parse_read(struct parser *p, const struct tokens *t, size_t first,
		      struct scenario_step *s)
{
	if (need_args(p, "read", t, first, 1, "read PATH") ||
	    check_path(p, "read", t->v[first].s))
		return -EINVAL;
	s->path = xstrdup(p, t->v[first].s);
	return 0;
}

/*
 * Files whose fields a PATH:KEY can name, and how. A node's meminfo may
 * also be reached through a link (memory32/node1/meminfo): any /sys path
 * ending in nodeN/meminfo.
 */
static enum scenario_key_kind keyed_file_kind(const char *path)
{
	const char *base, *p;
	size_t n, len = strlen(path);

	if (strcmp(path, "/proc/meminfo") == 0)
		return SCENARIO_KEY_MEMINFO;
	if (strcmp(path, "/proc/vmstat") == 0)
		return SCENARIO_KEY_VMSTAT;
	if (strcmp(path, "/proc/zoneinfo") == 0)
		return SCENARIO_KEY_ZONEINFO;
	if (strncmp(path, "/sys/", 5) != 0 || len < 8 ||
	    strcmp(path + len - 8, "/meminfo") != 0)
		return SCENARIO_KEY_NONE;
	/* the directory name before "/meminfo" must be nodeN */
	base = path + len - 8;
	p = base;
	while (p > path && p[-1] != '/')
		p--;
	if (base - p < 5 || strncmp(p, "node", 4) != 0)
		return SCENARIO_KEY_NONE;
	n = strspn(p + 4, "0123456789");
	if (n == 0 || p + 4 + n != base)
		return SCENARIO_KEY_NONE;
	return SCENARIO_KEY_MEMINFO;
}

/*
 * PATH or PATH:KEY. sysfs has paths with ':' in them (/sys/dev/char/252:0,
 * /sys/devices/pci0000:0c): a quoted token is a path as it stands, never
 * split, so "/sys/dev/char/252:0/size" reaches the file unambiguously.
 */
static int parse_target(struct parser *p, const char *tok, bool quoted,
			struct scenario_target *t)
{
	const char *colon = quoted ? NULL : strrchr(tok, ':');
	const char *key;
	char *path;

	if (!colon) {
		if (check_path(p, "expect", tok))
			return -EINVAL;
		t->path = xstrdup(p, tok);
		t->key_kind = SCENARIO_KEY_NONE;
		return t->path ? 0 : -ENOMEM;
	}
	path = xstrndup(p, tok, (size_t)(colon - tok));
	if (!path)
		return -ENOMEM;
	t->path = path;
	key = colon + 1;
	if (check_path(p, "expect", path))
		return -EINVAL;
	t->key_kind = keyed_file_kind(path);
	if (t->key_kind == SCENARIO_KEY_NONE) {
		perr(p, "expect: '%s' has no keys (PATH:KEY works for /proc/meminfo, /proc/vmstat, /proc/zoneinfo and /sys/.../nodeN/meminfo; a path with ':' in it is written in quotes: \"%s\")",
		     path, tok);
		return -EINVAL;
	}
	if (!*key) {
		perr(p, "expect: empty key in '%s'", tok);
		return -EINVAL;
	}
	if (t->key_kind == SCENARIO_KEY_ZONEINFO) {
		const char *s1 = strchr(key, '/');
		const char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
		unsigned long nid;
		char digits[24];
		size_t n = s1 ? (size_t)(s1 - key) : 0;

		if (!s1 || !s2 || strchr(s2 + 1, '/') || n == 0 ||
		    n >= sizeof(digits) || s2 == s1 + 1 || !s2[1]) {
			perr(p, "expect: zoneinfo key '%s' is not NODE/ZONE/FIELD (e.g. 0/Movable/managed)",
			     key);
			return -EINVAL;
		}
		memcpy(digits, key, n);
		digits[n] = '\0';
		if (parse_uint(digits, HOTMEM_MAX_NODES - 1, &nid)) {
			perr(p, "expect: bad node '%s' in zoneinfo key '%s' (0..%d)",
			     digits, key, HOTMEM_MAX_NODES - 1);
			return -EINVAL;
		}
		t->zone_node = (int)nid;
		t->zone_name = xstrndup(p, s1 + 1, (size_t)(s2 - s1 - 1));
		t->key = xstrdup(p, s2 + 1);
	} else {
		t->key = xstrdup(p, key);
	}
	return 0;
}

static bool parse_op(const char *s, enum scenario_op *op)
{
	static const enum scenario_op ops[] = {
		SCENARIO_OP_EQ, SCENARIO_OP_NE, SCENARIO_OP_LT,
		SCENARIO_OP_LE, SCENARIO_OP_GT, SCENARIO_OP_GE,
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(s, scenario_op_name(ops[i])) == 0) {
			*op = ops[i];
			return true;
		}
	}
	return false;
}

/* Index of the latest `snapshot name` step so far, or -1. */
static long find_snapshot(const struct scenario *sc, const char *name)
{
	size_t i;

	for (i = sc->nr_steps; i-- > 0;)
		if (sc->steps[i].kind == STEP_SNAPSHOT &&
		    strcmp(sc->steps[i].snapshot_name, name) == 0)
			return (long)i;
	return -1;
}

static int snapshot_add_path(struct parser *p, struct scenario_step *snap,
			     const char *path)
{
	char **v;
	size_t i;

	for (i = 0; i < snap->nr_snapshot_paths; i++)
		if (strcmp(snap->snapshot_paths[i], path) == 0)
			return 0;
	v = realloc(snap->snapshot_paths,
		    (snap->nr_snapshot_paths + 1) * sizeof(*v));
	if (!v) {
		p->enomem = true;
		return -ENOMEM;
	}
	snap->snapshot_paths = v;
	v[snap->nr_snapshot_paths] = xstrdup(p, path);
	if (!v[snap->nr_snapshot_paths])
		return -ENOMEM;
	snap->nr_snapshot_paths++;
	return 0;
}

/* expect PATH[:KEY] absent|present, the word at t->v[i] */
static int parse_expect_presence(struct parser *p, const struct tokens *t,
				 size_t i, struct scenario_step *s)
{
	const char *key = s->target.key;
	const char *star = key ? strchr(key, '*') : NULL;

	if (s->is_delta) {
		perr(p, "expect: '%s' is not a change since a snapshot", t->v[i].s);
		return -EINVAL;
	}
	if (i + 1 < t->n) {
		perr(p, "expect: unexpected '%s' after '%s'", t->v[i + 1].s, t->v[i].s);
		return -EINVAL;
	}
	if (star && (star[1] || star == key)) {
		perr(p, "expect: key pattern '%s': '*' may only end a key, after its first character",
		     key);
		return -EINVAL;
	}
	s->op = !strcmp(t->v[i].s, "absent") ? SCENARIO_OP_ABSENT : SCENARIO_OP_PRESENT;
	return 0;
}

/* expect PATH has-line TEXT, the word at t->v[i] */
static int parse_expect_has_line(struct parser *p, const struct tokens *t,
				 size_t i, struct scenario_step *s)
{
	if (s->is_delta || s->target.key_kind != SCENARIO_KEY_NONE) {
		perr(p, "expect: has-line takes a whole file (PATH has-line TEXT), not a key or a change");
		return -EINVAL;
	}
	if (i + 1 >= t->n) {
		perr(p, "expect: missing line after 'has-line' (quote it: \"  100000000-13fffffff : System RAM\")");
		return -EINVAL;
	}
	if (i + 2 < t->n) {
		perr(p, "expect: unexpected '%s' after the line (quote a line with spaces)",
		     t->v[i + 2].s);
		return -EINVAL;
	}
	s->op = SCENARIO_OP_HAS_LINE;
	s->expected.text = xstrdup(p, t->v[i + 1].s);
	return s->expected.text ? 0 : -ENOMEM;
}

/*
 * expect PATH[:KEY] [- @NAME] OP VALUE [kB]
 */
static int parse_expect(struct parser *p, const struct tokens *t,
			struct scenario_step *s)
{
	const char *usage = "expect PATH[:KEY] [- @NAME] OP VALUE, expect PATH[:KEY] absent|present, or expect PATH has-line TEXT";
	struct scenario_value *v = &s->expected;
	size_t i = 2, nvalue;
	long snap = -1;
	int r;

	if (t->n < 2) {
		perr(p, "expect: missing argument (usage: %s)", usage);
		return -EINVAL;
	}
	r = parse_target(p, t->v[1].s, t->v[1].quoted, &s->target);
	if (r)
		return r;
	if (i < t->n && strcmp(t->v[i].s, "-") == 0 && !t->v[i].quoted) {
		const char *name;

		if (i + 1 >= t->n || t->v[i + 1].s[0] != '@') {
			perr(p, "expect: '-' must be followed by @SNAPSHOT, got '%s'",
			     i + 1 < t->n ? t->v[i + 1].s : "");
			return -EINVAL;
		}
		name = t->v[i + 1].s + 1;
		snap = find_snapshot(p->sc, name);
		if (snap < 0) {
			perr(p, "expect: snapshot '@%s' is not defined before this line",
			     name);
			return -EINVAL;
		}
		s->is_delta = true;
		s->snapshot_step = (size_t)snap;
		i += 2;
	}
	if (i >= t->n) {
		perr(p, "expect: missing operator (usage: %s)", usage);
		return -EINVAL;
	}
	if (!t->v[i].quoted && (!strcmp(t->v[i].s, "absent") ||
				!strcmp(t->v[i].s, "present")))
		return parse_expect_presence(p, t, i, s);
	if (!t->v[i].quoted && !strcmp(t->v[i].s, "has-line"))
		return parse_expect_has_line(p, t, i, s);
	if (s->target.key && strchr(s->target.key, '*')) {
		perr(p, "expect: a key pattern ('%s') is only for absent or present",
		     s->target.key);
		return -EINVAL;
	}
	if (!parse_op(t->v[i].s, &s->op)) {
		perr(p, "expect: unknown operator '%s' (want == != < <= > >=)",
		     t->v[i].s);
		return -EINVAL;
	}
	i++;
	nvalue = t->n - i;
	if (nvalue == 0) {
		perr(p, "expect: missing value after '%s'",
		     scenario_op_name(s->op));
		return -EINVAL;
	}
	v->text = xstrdup(p, t->v[i].s);
	if (!v->text)
		return -ENOMEM;
	if (!t->v[i].quoted) {
		r = scenario_parse_num(v->text, true, &v->num);
		if (r == -ERANGE) {
			perr(p, "expect: number '%s' does not fit 64 bits",
			     v->text);
			return -EINVAL;
		}
		v->is_number = r == 0;
	}
	if (nvalue == 2 && v->is_number && !t->v[i + 1].quoted &&
	    strcmp(t->v[i + 1].s, "kB") == 0 &&
	    strstr(v->text, "kB") == NULL) {
		/* Keep the unit in the text shown as "wanted:". */
		char *with_unit = malloc(strlen(v->text) + 4);

		if (!with_unit) {
			p->enomem = true;
			return -ENOMEM;
		}
		strcpy(with_unit, v->text);
		strcat(with_unit, " kB");
		free(v->text);
		v->text = with_unit;
		nvalue = 1;
	}
	if (nvalue > 1) {
		perr(p, "expect: unexpected '%s' after the value '%s' (quote values with spaces)",
		     t->v[t->n - nvalue + 1].s, v->text);
		return -EINVAL;
	}
	if (!v->is_number && s->op != SCENARIO_OP_EQ &&
	    s->op != SCENARIO_OP_NE) {
		perr(p, "expect: operator '%s' needs a number, got '%s'",
		     scenario_op_name(s->op), v->text);
		return -EINVAL;
	}
	if (!v->is_number && s->is_delta) {
		perr(p, "expect: a change since a snapshot is a number, got '%s'",
		     v->text);
		return -EINVAL;
	}
	if (s->is_delta)
		return snapshot_add_path(p, &p->sc->steps[snap], s->target.path);
	return 0;
}

static int parse_expect_error(struct parser *p, const struct tokens *t,
			      struct scenario_step *s)
{
	const char *action;

	if (t->n < 3) {
		perr(p, "expect-error: missing argument (usage: expect-error ERRNO write|read|device_add|device_del ...)");
		return -EINVAL;
	}
	if (parse_errno_name(p, t->v[1].s, &s->expected_errno))
		return -EINVAL;
	action = t->v[2].s;
	if (strcmp(action, "write") == 0) {
		s->action = SCENARIO_ACTION_WRITE;
		return parse_write(p, t, 3, s);
	}
	if (strcmp(action, "read") == 0) {
		s->action = SCENARIO_ACTION_READ;
		return parse_read(p, t, 3, s);
	}
	if (strcmp(action, "device_add") == 0) {
		s->action = SCENARIO_ACTION_DEVICE_ADD;
		return parse_device_add(p, t, 3, s);
	}
	if (strcmp(action, "device_del") == 0) {
		s->action = SCENARIO_ACTION_DEVICE_DEL;
		return parse_device_del(p, t, 3, s);
	}
	perr(p, "expect-error: cannot check '%s' (want write, read, device_add or device_del)",
	     action);
	return -EINVAL;
}

static int parse_notifier_fail(struct parser *p, const struct tokens *t,
			       struct scenario_step *s)
{
	bool known = false;
	unsigned long count;
	size_t i;

	if (t->n < 2) {
		perr(p, "notifier-fail: missing argument (usage: notifier-fail EVENT [ERRNO] [count=N] [priority=P])");
		return -EINVAL;
	}
	for (i = 0; i < sizeof(notifier_events) / sizeof(notifier_events[0]); i++)
		if (strcmp(t->v[1].s, notifier_events[i]) == 0)
			known = true;
	if (!known) {
		perr(p, "notifier-fail: unknown memory notifier event '%s' (e.g. MEM_GOING_ONLINE)",
		     t->v[1].s);
		return -EINVAL;
	}
	s->event = xstrdup(p, t->v[1].s);
	s->notifier_errno = EPERM;	/* NOTIFY_BAD */
	s->count = 1;
	i = 2;
	if (i < t->n && !strchr(t->v[i].s, '=')) {
		if (parse_errno_name(p, t->v[i].s, &s->notifier_errno))
			return -EINVAL;
		i++;
	}
	if (i < t->n && key_is(t->v[i].s, "count")) {
		const char *val = t->v[i].s + 6;

		if (parse_uint(val, UINT32_MAX, &count)) {
			perr(p, "notifier-fail: bad count '%s' (0 = forever)",
			     val);
			return -EINVAL;
		}
		s->count = (unsigned int)count;
		i++;
	}
	if (i < t->n && key_is(t->v[i].s, "priority")) {
		const char *val = t->v[i].s + 9;
		char *end;
		long prio;

		errno = 0;
		prio = strtol(val, &end, 10);
		if (!*val || *end || errno || prio < INT32_MIN || prio > INT32_MAX) {
			perr(p, "notifier-fail: bad priority '%s' (an integer; higher runs first)",
			     val);
			return -EINVAL;
		}
		s->priority = (int)prio;
		i++;
	}
	return no_more(p, "notifier-fail", t, i);
}

/*
 * "ndctl ARG..." / "daxctl ARG..." / "chmem ARG...": the whole line
 * (from word 'first') is the command.
 */
static int parse_tool(struct parser *p, const struct tokens *t, size_t first,
		      struct scenario_step *s)
{
	char msg[256] = "";
	size_t i;
	int r;

	s->kind = STEP_TOOL;
	s->tool_argv = calloc(t->n + 1, sizeof(*s->tool_argv));
	if (!s->tool_argv) {
		p->enomem = true;
		return -ENOMEM;
	}
	for (i = first; i < t->n; i++) {
		s->tool_argv[s->tool_argc] = xstrdup(p, t->v[i].s);
		if (!s->tool_argv[s->tool_argc])
			return -ENOMEM;
		s->tool_argc++;
	}
	r = usertool_parse(s->tool_argv, s->tool_argc, msg, sizeof(msg));
	if (r)
		perr(p, "%s", msg);
	return r;
}

/* "expect-status N ndctl|daxctl|chmem ARG...": the tool must exit with N. */
static int parse_expect_status(struct parser *p, const struct tokens *t,
			       struct scenario_step *s)
{
	char *end;
	long n;

	if (t->n < 3) {
		perr(p, "expect-status: missing argument (usage: expect-status STATUS ndctl|daxctl|chmem ARG...)");
		return -EINVAL;
	}
	errno = 0;
	n = strtol(t->v[1].s, &end, 10);
	if (errno || end == t->v[1].s || *end || n < 0 || n > 255) {
		perr(p, "expect-status: '%s' is not an exit status (0..255)", t->v[1].s);
		return -EINVAL;
	}
	if (strcmp(t->v[2].s, "ndctl") && strcmp(t->v[2].s, "daxctl") &&
	    strcmp(t->v[2].s, "chmem")) {
		perr(p, "expect-status: cannot run '%s' (want ndctl, daxctl or chmem)", t->v[2].s);
		return -EINVAL;
	}
	s->tool_expect = true;
	s->tool_status = (int)n;
	return parse_tool(p, t, 2, s);
}

/* Keywords of the language and whether they need a booted machine. */
struct keyword {
	const char *name;
	bool needs_boot;
};

static const struct keyword keywords[] = {
	{ "machine", false }, { "numa", false }, { "cmdline", false },
	{ "boot", false }, { "device_add", true }, { "device_del", true },
	{ "write", true }, { "read", true }, { "snapshot", true },
	{ "expect", true }, { "expect-error", true }, { "expect-log", true },
	{ "notifier-fail", true }, { "trace", true }, { "dmesg", true },
	{ "echo", false }, { "map", true }, { "chmem", true },
	{ "ndctl", true }, { "daxctl", true }, { "expect-status", true },
};

/* Edit distance (insert, delete, substitute, swap two neighbours). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[3][32];	/* rows i-2, i-1, i; longer words: no hint */

	if (la >= 31 || lb >= 31)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[0][j] = j;
	for (i = 1; i <= la; i++) {
		size_t *cur = row[i % 3], *up = row[(i + 2) % 3];
		size_t *up2 = row[(i + 1) % 3];

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = up[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = up[j] + 1, ins = cur[j - 1] + 1;
			size_t d = sub < del ? sub : del;

			d = d < ins ? d : ins;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && up2[j - 2] + 1 < d)
				d = up2[j - 2] + 1;
			cur[j] = d;
		}
	}
	return row[la % 3][lb];
}

/* "unknown step": the nearest keyword when it is close, else them all. */
static void unknown_step(struct parser *p, const char *kw)
{
	const char *best = NULL;
	size_t i, d, best_d = SIZE_MAX, limit = strlen(kw) / 3 + 1;
	char all[256] = "";

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		d = edit_distance(kw, keywords[i].name);
		if (d < best_d) {
			best_d = d;
			best = keywords[i].name;
		}
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
			 i ? ", " : "", keywords[i].name);
	}
	if (best && best_d <= limit)
		perr(p, "unknown step '%s' (did you mean '%s'?)", kw, best);
	else
		perr(p, "unknown step '%s' (steps: %s)", kw, all);
}

static int parse_step(struct parser *p, const char *line, size_t len,
		      const struct tokens *t)
{
	struct scenario_step s = { .line = p->line, .node = 0 };
	const char *kw = t->v[0].s;
	const struct keyword *k = NULL;
	size_t i, text_len = t->text_end;
	int r;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(kw, keywords[i].name) == 0 && !t->v[0].quoted)
			k = &keywords[i];
	if (!k) {
		unknown_step(p, kw);
		return -EINVAL;
	}
	if (!strcmp(kw, "device_add") && !p->boot_line)
		return parse_coldplug(p, t);
	if (k->needs_boot && !p->boot_line) {
		perr(p, "'%s' needs a booted machine: add a 'boot' step before it",
		     kw);
		return -EINVAL;
	}
	if (strcmp(kw, "machine") == 0 || strcmp(kw, "numa") == 0 ||
	    strcmp(kw, "cmdline") == 0) {
		if (p->boot_line) {
			perr(p, "'%s' after boot (line %u): the machine is configured before 'boot'",
			     kw, p->boot_line);
			return -EINVAL;
		}
		if (kw[0] == 'm')
			return parse_machine(p, t);
		if (kw[0] == 'n')
			return parse_numa(p, t);
		return parse_cmdline(p, t);
	}

	while (text_len > 0 && is_blank(line[text_len - 1]))
		text_len--;
	(void)len;
	s.text = xstrndup(p, line + t->v[0].start,
			  text_len - t->v[0].start);
	if (!s.text)
		return -ENOMEM;

	if (strcmp(kw, "boot") == 0) {
		s.kind = STEP_BOOT;
		if (p->boot_line) {
			perr(p, "second 'boot' (already booted at line %u)",
			     p->boot_line);
			r = -EINVAL;
		} else {
			r = 0;
			if (!p->machine_line) {
				perr(p, "'boot' needs a 'machine' step before it (e.g. machine arch=x86_64 mem=2G)");
				r = -EINVAL;
			}
			if (no_more(p, "boot", t, 1))
				r = -EINVAL;
			p->boot_line = p->line;
			p->sc->has_boot = true;
			check_numa_sum(p, p->line);
		}
	} else if (strcmp(kw, "device_add") == 0) {
		s.kind = STEP_DEVICE_ADD;
		r = parse_device_add(p, t, 1, &s);
	} else if (strcmp(kw, "device_del") == 0) {
		s.kind = STEP_DEVICE_DEL;
		r = parse_device_del(p, t, 1, &s);
	} else if (strcmp(kw, "write") == 0) {
		s.kind = STEP_WRITE;
		r = parse_write(p, t, 1, &s);
	} else if (strcmp(kw, "read") == 0) {
		s.kind = STEP_READ;
		r = parse_read(p, t, 1, &s);
	} else if (strcmp(kw, "snapshot") == 0) {
		s.kind = STEP_SNAPSHOT;
		r = need_args(p, "snapshot", t, 1, 1, "snapshot NAME");
		if (!r && !valid_name(t->v[1].s)) {
			perr(p, "snapshot: bad name '%s' (letters, digits, '_', '-', '.')",
			     t->v[1].s);
			r = -EINVAL;
		}
		if (!r)
			s.snapshot_name = xstrdup(p, t->v[1].s);
	} else if (strcmp(kw, "expect") == 0) {
		s.kind = STEP_EXPECT;
		r = parse_expect(p, t, &s);
		p->sc->nr_expects++;
	} else if (strcmp(kw, "expect-log") == 0) {
		/* expect-log TEXT: a has-line expectation on the kernel log */
		s.kind = STEP_EXPECT;
		r = need_args(p, "expect-log", t, 1, 1, "expect-log \"MESSAGE\" (quote a message with spaces)");
		if (!r) {
			s.in_log = true;
			s.op = SCENARIO_OP_HAS_LINE;
			s.target.path = xstrdup(p, "dmesg");
			s.expected.text = xstrdup(p, t->v[1].s);
			r = s.target.path && s.expected.text ? 0 : -ENOMEM;
		}
		p->sc->nr_expects++;
	} else if (strcmp(kw, "expect-error") == 0) {
		s.kind = STEP_EXPECT_ERROR;
		r = parse_expect_error(p, t, &s);
		p->sc->nr_expects++;
	} else if (strcmp(kw, "notifier-fail") == 0) {
		s.kind = STEP_NOTIFIER_FAIL;
		r = parse_notifier_fail(p, t, &s);
	} else if (strcmp(kw, "trace") == 0) {
		s.kind = STEP_TRACE;
		r = need_args(p, "trace", t, 1, 1, "trace on|off");
		if (!r && strcmp(t->v[1].s, "on") != 0 &&
		    strcmp(t->v[1].s, "off") != 0) {
			perr(p, "trace: want 'on' or 'off', got '%s'",
			     t->v[1].s);
			r = -EINVAL;
		}
		s.trace_on = !r && strcmp(t->v[1].s, "on") == 0;
	} else if (strcmp(kw, "dmesg") == 0) {
		s.kind = STEP_DMESG;
		r = no_more(p, "dmesg", t, 1);
	} else if (strcmp(kw, "ndctl") == 0 || strcmp(kw, "daxctl") == 0 ||
		   strcmp(kw, "chmem") == 0) {
		r = parse_tool(p, t, 0, &s);
	} else if (strcmp(kw, "expect-status") == 0) {
		r = parse_expect_status(p, t, &s);
	} else if (strcmp(kw, "map") == 0) {
		s.kind = STEP_MAP;
		r = no_more(p, "map", t, 1);
	} else {
		size_t from = t->n > 1 ? t->v[1].start : text_len;

		s.kind = STEP_ECHO;
		s.echo_text = xstrndup(p, line + from,
				       from < text_len ? text_len - from : 0);
		r = 0;
	}
	if (p->enomem)
		r = -ENOMEM;
	if (r) {
		step_release(&s);
		return r;
	}
	r = append_step(p, &s);
	if (r)
		step_release(&s);
	return r;
}

void scenario_free(struct scenario *sc)
{
	size_t i;

	if (!sc)
		return;
	for (i = 0; i < sc->nr_steps; i++)
		step_release(&sc->steps[i]);
	free(sc->steps);
	for (i = 0; i < sc->machine.nr_cmdline_words; i++)
		free(sc->machine.cmdline_words[i]);
	free(sc->machine.cmdline_words);
	free(sc->filename);
	free(sc);
}

/*
 * Scenarios are text: a control byte other than tab, CR and newline
 * (an executable, an image, a compressed file) makes the whole file one
 * error, instead of one per line echoing its bytes back to the terminal.
 */
static bool binary_text(struct parser *p, const char *text, size_t len)
{
	unsigned int line = 1;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n')
			line++;
		else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
			perr_at(p, line, "not a scenario: binary data (byte 0x%02x at offset %zu); a scenario is a text file, one step a line",
				c, i);
			return true;
		}
	}
	return false;
}

int scenario_parse(const char *filename, const char *text, size_t len,
		   struct scenario **out, struct strbuf *diag)
{
	struct parser p = { .filename = filename, .diag = diag };
	size_t pos = 0;

	*out = NULL;
	p.sc = calloc(1, sizeof(*p.sc));
	if (!p.sc)
		return -ENOMEM;
	p.sc->filename = strdup(filename);
	if (!p.sc->filename) {
		free(p.sc);
		return -ENOMEM;
	}
	hotmem_config_init(&p.sc->machine.config);
	if (binary_text(&p, text, len)) {
		scenario_free(p.sc);
		return -EINVAL;
	}

	while (pos < len && !p.enomem) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;
		struct tokens t = { 0 };

		p.line++;
		pos += line_len + (nl ? 1 : 0);
		if (memchr(line, '\0', line_len)) {
			perr(&p, "NUL byte in line");
			continue;
		}
		if (tokenize(&p, line, line_len, &t) == 0 && t.n > 0)
			parse_step(&p, line, line_len, &t);
		tokens_release(&t);
	}
	/* A numa layout without a boot step is still checked. */
	if (!p.boot_line && p.last_numa_line)
		check_numa_sum(&p, p.last_numa_line);

	if (p.enomem) {
		scenario_free(p.sc);
		return -ENOMEM;
	}
	if (p.nr_errors) {
		scenario_free(p.sc);
		return -EINVAL;
	}
	*out = p.sc;
	return 0;
}
