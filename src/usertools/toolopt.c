/*
 * toolopt.c - ndctl/daxctl 76.1 command lines: finding the subcommand
 * and parsing its options as the tools' parse-options (derived from
 * git's) does, then the tool's own pre-flight checks (the command's
 * check hook), all at scenario parse time.
 *
 * Contract: tool_cmdline_parse() accepts exactly what the real tool
 * would accept and hotmem models; otherwise -EINVAL with the tool's own
 * complaint (or the reason hotmem refuses an option) in err. Syntax:
 * "--long=VALUE", "--long VALUE", unambiguous prefixes of long names,
 * "--no-long" (unset), a long name starting "no-" also taken without it
 * (unset), "-s VALUE", "-sVALUE", bundled flags "-fv", "--" ends the
 * options; operands may come anywhere.
 * Expected workload: parse time only, a few words per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usertool.h"

const struct tool_cmd *tool_find_cmd(const char *tool, const char *name)
{
	const struct tool_cmd *c = !strcmp(tool, "ndctl") ? ndctl_cmds :
				   !strcmp(tool, "daxctl") ? daxctl_cmds : NULL;

	for (; c && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int opt_index(const struct tool_cmd *cmd, const char *lng)
{
	int i;

	for (i = 0; cmd->opts[i].lng; i++)
		if (!strcmp(cmd->opts[i].lng, lng))
			return i;
	return -1;
}

const char *tool_opt(const struct tool_cmdline *cl, const char *lng)
{
	int i = opt_index(cl->cmd, lng);

	return i >= 0 && cl->set[i] ? cl->val[i] : NULL;
}

bool tool_flag(const struct tool_cmdline *cl, const char *lng)
{
	int i = opt_index(cl->cmd, lng);

	return i >= 0 && cl->set[i];
}

int tool_parse_size(const char *s, uint64_t *out, uint64_t *units)
{
	unsigned long long v, check;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || v == ~0ull || end == s)
		return -EINVAL;
	check = v;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	default: break;
	}
	if (shift) {
		end++;
		if (v > (~0ull >> shift))
			return -EINVAL;	/* the tool's "val < check" overflow test */
		v <<= shift;
	}
	if (v < check || *end)
		return -EINVAL;
	*out = v;
	if (units)
		*units = 1ull << shift;
	return 0;
}

/* libuuid's uuid_parse: 36 characters, dashes at 8, 13, 18, 23, hex. */
bool tool_uuid_valid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !strchr("0123456789abcdefABCDEF", s[i]))
			return false;
	}
	return true;
}

struct optparse {
	const struct tool_cmd *cmd;
	struct tool_cmdline *cl;
	char *err;
	size_t errlen;
	char prefix[64];	/* "ndctl create-namespace" */
};

static int refuse(struct optparse *p, int i)
{
	snprintf(p->err, p->errlen, "%s: option --%s is not modelled by hotmem (%s)",
		 p->prefix, p->cmd->opts[i].lng, p->cmd->opts[i].refused);
	return -EINVAL;
}

/* Take option i: value from 'attached' or the next word. */
static int take(struct optparse *p, int i, bool unset, const char *attached,
		char *const *argv, size_t argc, size_t *k, bool is_short)
{
	const struct tool_opt *o = &p->cmd->opts[i];

	if (o->refused)
		return refuse(p, i);
	if (unset) {
		if (attached) {
			snprintf(p->err, p->errlen, "%s: option `no-%s' takes no value",
				 p->prefix, o->lng);
			return -EINVAL;
		}
		p->cl->set[i] = false;
		p->cl->val[i] = NULL;
		return 0;
	}
	if (o->kind == TOPT_BOOL) {
		if (attached && !is_short) {
			snprintf(p->err, p->errlen, "%s: option `%s' takes no value",
				 p->prefix, o->lng);
			return -EINVAL;
		}
		p->cl->set[i] = true;
		p->cl->val[i] = "1";
		return 0;
	}
	if (!attached) {
		if (*k + 1 >= argc) {
			if (is_short)
				snprintf(p->err, p->errlen, "%s: switch `%c' requires a value",
					 p->prefix, o->shrt);
			else
				snprintf(p->err, p->errlen, "%s: option `%s' requires a value",
					 p->prefix, o->lng);
			return -EINVAL;
		}
		attached = argv[++*k];
	}
	p->cl->set[i] = true;
	p->cl->val[i] = attached;
	return 0;
}

static int parse_long(struct optparse *p, const char *arg, char *const *argv,
		      size_t argc, size_t *k)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct tool_opt *opts = p->cmd->opts;
	int i, hit = -1, hits = 0;
	bool unset = false, hit_unset = false;

	for (i = 0; opts[i].lng; i++) {
		const char *name = opts[i].lng;
		bool u = false;

		if (n == strlen(name) && !strncmp(arg, name, n)) {
			hit = i, hits = 1, hit_unset = false;
			break;			/* exact match wins */
		}
		if (!strncmp(arg, "no-", 3) && n - 3 == strlen(name) &&
		    !strncmp(arg + 3, name, n - 3)) {
			hit = i, hits = 1, hit_unset = true;
			break;
		}
		/* "--movable" unsets "no-movable" */
		if (!strncmp(name, "no-", 3) && n == strlen(name) - 3 &&
		    !strncmp(arg, name + 3, n)) {
			hit = i, hits = 1, hit_unset = true;
			break;
		}
		if (!strncmp(name, arg, n))
			u = false;
		else if (!strncmp(arg, "no-", 3) && n > 3 && !strncmp(name, arg + 3, n - 3))
			u = true;
		else
			continue;
		if (hits && hit != i) {
			snprintf(p->err, p->errlen, "%s: Ambiguous option: %.*s (could be --%s or --%s)",
				 p->prefix, (int)n, arg, opts[hit].lng, name);
			return -EINVAL;
		}
		hit = i, hits = 1, hit_unset = u;
	}
	if (hit < 0) {
		snprintf(p->err, p->errlen, "%s: unknown option `%.*s'", p->prefix,
			 (int)n, arg);
		return -EINVAL;
	}
	unset = hit_unset;
	return take(p, hit, unset, eq ? eq + 1 : NULL, argv, argc, k, false);
}

static int parse_shorts(struct optparse *p, const char *arg, char *const *argv,
			size_t argc, size_t *k)
{
	const struct tool_opt *opts = p->cmd->opts;
	size_t j;
	int i, r;

	for (j = 0; arg[j]; j++) {
		for (i = 0; opts[i].lng && opts[i].shrt != arg[j]; i++)
			;
		if (!opts[i].lng) {
			snprintf(p->err, p->errlen, "%s: unknown switch `%c'", p->prefix, arg[j]);
			return -EINVAL;
		}
		if (opts[i].kind == TOPT_STR) {
			/* the rest of the word is the value, else the next word */
			return take(p, i, false, arg[j + 1] ? arg + j + 1 : NULL,
				    argv, argc, k, true);
		}
		if ((r = take(p, i, false, NULL, argv, argc, k, true)))
			return r;
	}
	return 0;
}

int tool_cmdline_parse(char *const *argv, size_t argc,
		       struct tool_cmdline *cl, char *err, size_t errlen)
{
	struct optparse p = { .cl = cl, .err = err, .errlen = errlen };
	bool dashdash = false;
	size_t k;
	int r;

	memset(cl, 0, sizeof(*cl));
	if (argc < 2) {
		snprintf(err, errlen, "%s: a command is required (e.g. %s)", argv[0],
			 !strcmp(argv[0], "ndctl") ? "ndctl list -RN" : "daxctl list -DR");
		return -EINVAL;
	}
	cl->cmd = p.cmd = tool_find_cmd(argv[0], argv[1]);
	if (!p.cmd) {
		snprintf(err, errlen, "%s: '%s' is not a command hotmem models (see docs/scenario-language.md)",
			 argv[0], argv[1]);
		return -EINVAL;
	}
	snprintf(p.prefix, sizeof(p.prefix), "%s %s", argv[0], argv[1]);
	for (k = 2; k < argc; k++) {
		const char *a = argv[k];

		if (!dashdash && !strcmp(a, "--")) {
			dashdash = true;
			continue;
		}
		if (dashdash || a[0] != '-' || !a[1]) {
			if (cl->nargs == TOOL_MAX_ARGS) {
				snprintf(err, errlen, "%s: too many operands", p.prefix);
				return -EINVAL;
			}
			cl->arg[cl->nargs++] = a;
			continue;
		}
		r = a[1] == '-' ? parse_long(&p, a + 2, argv, argc, &k)
				: parse_shorts(&p, a + 1, argv, argc, &k);
		if (r)
			return r;
	}
	if (p.cmd->needs_arg && !cl->nargs) {
		/* the tools' wording: "specify a namespace to destroy, or \"all\"" */
		static const char *const acts[][2] = {
			{ "destroy-namespace", "destroy" }, { "disable-namespace", "disable" },
			{ "enable-namespace", "enable" }, { "reconfigure-device", "reconfigure" },
			{ "online-memory", "online memory for" },
			{ "offline-memory", "offline memory for" },
			{ "destroy-device", "destroy" }, { "disable-device", "disable" },
			{ "enable-device", "enable" },
		};
		const char *act = "<>";
		size_t i;

		for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
			if (!strcmp(acts[i][0], p.cmd->name))
				act = acts[i][1];
		snprintf(err, errlen, "%s: specify a %s to %s, or \"all\" (usage: %s)",
			 p.prefix, !strcmp(argv[0], "ndctl") ? "namespace" : "device", act,
			 p.cmd->usage);
		return -EINVAL;
	}
	if (cl->nargs > (p.cmd->needs_arg ? 1u : 0u)) {
		snprintf(err, errlen, "%s: unknown extra parameter \"%s\"", p.prefix,
			 cl->arg[p.cmd->needs_arg ? 1 : 0]);
		return -EINVAL;
	}
	if (p.cmd->check && (r = p.cmd->check(cl, err, errlen)))
		return r;
	return 0;
}
