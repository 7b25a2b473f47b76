/*
 * cmd_fuzz.c - `hotmem fuzz`: the random-walk fuzzer (src/check/fuzz.c,
 * docs/fuzzing.md).
 *
 * Contract: runs walks from a seed until an operation or time budget is
 * spent or an invariant breaks; progress on stderr (a line per phase
 * and per second), the summary on stdout; on a violation writes the
 * shrunk scenario to --out and exits 3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/check/fuzz.h"
#include "hotmem.h"
#include "cli.h"

static const char fuzz_help[] =
"Usage: hotmem fuzz [--seed N] [--ops N] [--time SECONDS] [--out FILE]\n"
"                   [--walk N] [--walk-len N] [--inject-bug NAME] [-q]\n"
"\n"
"Boot random machines (every architecture profile, block sizes, NUMA\n"
"layouts with memoryless nodes, kernel parameters) and drive each with a\n"
"random walk of DIMM plugs and ejects, sysfs writes (valid and invalid)\n"
"and notifier vetoes. After every operation the model's invariants must\n"
"hold, and an operation that failed must leave the machine's state hash\n"
"as it was. The same seed gives the same walks on every run.\n"
"\n"
"On the first violation the walk is shrunk (operations and kernel\n"
"parameters dropped while the same invariant still breaks) and written\n"
"as a scenario that 'hotmem run --check FILE' reproduces.\n"
"\n"
"Options:\n"
"      --seed N          the campaign's seed (default 1)\n"
"      --ops N           stop after N operations (default 100000 when\n"
"                        --time is not given)\n"
"      --time SECONDS    stop after this long\n"
"      --out FILE        where a shrunk scenario goes\n"
"                        (default hotmem-fuzz-SEED.scn)\n"
"      --walk N          run only walk N of the seed (to replay one)\n"
"      --walk-len N      operations per machine (default 200)\n"
"      --inject-bug NAME TEST ONLY: boot every machine with a deliberate\n"
"                        bug (offline-vmemmap-present), to see it caught\n"
"  -q, --quiet           no progress lines\n"
"  -h, --help            show this help and exit\n"
"\n"
"Exit status:\n"
"  0  no violation\n"
"  2  bad arguments or a fuzzer failure (out of memory, cannot write)\n"
"  3  a violation was found and its scenario written\n"
"\n"
"Example:\n"
"  hotmem fuzz --seed 42 --time 60\n";

/* A whole decimal number in [0, max]. */
static int parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? -EINVAL : 0;
}

static int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o = { .seed = 1, .only_walk = -1, .progress = stderr };
	struct fuzz_result res;
	const char *out = NULL;
	char default_out[64];
	unsigned long long v;
	double seconds = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char *const with_value[] = {
			"--seed", "--ops", "--time", "--out", "--walk", "--walk-len", "--inject-bug",
		};
		size_t k;

		if (wants_help(a)) {
			fputs(fuzz_help, stdout);
			return EXIT_PASS;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o.progress = NULL;
			continue;
		}
		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
			size_t n = strlen(with_value[k]);

			if (!strncmp(a, with_value[k], n) && (a[n] == '=' || !a[n])) {
				val = a[n] == '=' ? a + n + 1 : argv[++i];
				if (!val)
					return usage_error("option '%s' needs a value", a);
				break;
			}
		}
		if (k == sizeof(with_value) / sizeof(with_value[0]))
			return usage_error(a[0] == '-' ? "unknown option '%s'" :
					   "unexpected argument '%s' (fuzz takes no files)", a);
		switch (k) {
		case 0:
			if (parse_count(val, UINT64_MAX, &v))
				return usage_error("--seed: '%s' is not a number", val);
			o.seed = v;
			break;
		case 1:
			if (parse_count(val, UINT64_MAX, &v) || !v)
				return usage_error("--ops: '%s' is not a positive number", val);
			o.max_ops = v;
			break;
		case 2: {
			char *end;

			errno = 0;
			seconds = strtod(val, &end);
			if (errno || end == val || *end || !(seconds > 0) || seconds > 1e7)
				return usage_error("--time: '%s' is not a positive number of seconds", val);
			o.max_seconds = seconds;
			break;
		}
		case 3:
			if (!*val)
				return usage_error("--out: '%s' is not a file name", val);
			out = val;
			break;
		case 4:
			if (parse_count(val, INT64_MAX, &v))
				return usage_error("--walk: '%s' is not a number", val);
			o.only_walk = (int64_t)v;
			break;
		case 5:
			if (parse_count(val, 1000000, &v) || !v)
				return usage_error("--walk-len: '%s' is not a number from 1 to 1000000", val);
			o.walk_len = (unsigned int)v;
			break;
		case 6:
			if (!strcmp(val, "offline-vmemmap-present"))
				o.inject = HOTMEM_INJECT_OFFLINE_VMEMMAP_PRESENT;
			else if (!strcmp(val, "none"))
				o.inject = HOTMEM_INJECT_NONE;
			else
				return usage_error("--inject-bug: unknown bug '%s' (none, offline-vmemmap-present)", val);
			break;
		}
	}
	if (!o.max_ops && !o.max_seconds)
		o.max_ops = 100000;
	if (!out) {
		snprintf(default_out, sizeof(default_out), "hotmem-fuzz-%llu.scn",
			 (unsigned long long)o.seed);
		out = default_out;
	}
	rc = fuzz_run(&o, &res);
	if (rc < 0) {
		fprintf(stderr, "hotmem: fuzz: %s%s%s\n", strerror(-rc),
			res.message ? ":\n" : "", res.message ? res.message : "");
		fuzz_result_release(&res);
		return EXIT_TROUBLE;
	}
	printf("%llu operations on %llu machines in %.1f s: %.0f ops/s; %llu failed operations, %llu rollback checks; %llu machines refused to boot\n",
	       (unsigned long long)res.ops, (unsigned long long)res.walks, res.seconds,
	       res.seconds > 0 ? (double)res.ops / res.seconds : 0.0,
	       (unsigned long long)res.failed_ops, (unsigned long long)res.rollback_checks,
	       (unsigned long long)res.boot_failures);
	printf("device_add %llu done, %llu refused; device_del %llu done, %llu refused; write %llu done, %llu refused; notifier-fail %llu; read %llu done, %llu refused\n",
	       (unsigned long long)res.kind_ok[0], (unsigned long long)res.kind_failed[0],
	       (unsigned long long)res.kind_ok[1], (unsigned long long)res.kind_failed[1],
	       (unsigned long long)res.kind_ok[2], (unsigned long long)res.kind_failed[2],
	       (unsigned long long)res.kind_ok[3],
	       (unsigned long long)res.kind_ok[4], (unsigned long long)res.kind_failed[4]);
	if (!res.violation) {
		printf("no violation\n");
		fuzz_result_release(&res);
		return EXIT_PASS;
	}
	printf("violation in walk %llu:\n%s", (unsigned long long)res.walk, res.message);
	{
		FILE *f = fopen(out, "w");

		if (!f || fputs(res.scenario, f) < 0 || fclose(f)) {
			fprintf(stderr, "hotmem: fuzz: cannot write '%s': %s\n", out, strerror(errno));
			fuzz_result_release(&res);
			return EXIT_TROUBLE;
		}
	}
	printf("wrote %s: %zu operations (shrunk from %zu); reproduce with: hotmem run --check %s\n",
	       out, res.ops_after_shrink, res.ops_before_shrink, out);
	fuzz_result_release(&res);
	return EXIT_INVARIANT;
}

const struct command hotmem_cmd_fuzz = {
	"fuzz", "random walks over random machines, checking invariants and rollback",
	fuzz_help, cmd_fuzz,
};
