/*
 * cli_util.c - helpers shared by the hotmem command's subcommands:
 * usage errors, reading and parsing scenario files (tools/cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/scenario/scenario.h"
#include "../src/util/strbuf.h"
#include "cli.h"

int usage_error(const char *fmt, const char *arg)
{
	fputs("hotmem: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'hotmem --help'.\n", stderr);
	return EXIT_TROUBLE;
}

int slurp(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct strbuf sb;
	char chunk[65536];
	struct stat st;
	size_t n;
	int rc = 0;

	if (!f)
		return -errno;
	/* a directory opens, then fails to read with EIO-like noise: name it */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (f != stdin)
			fclose(f);
		return -EISDIR;
	}
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (sb_add(&sb, chunk, n)) {
			rc = -ENOMEM;
			break;
		}
	}
	if (!rc && ferror(f))
		rc = -EIO;
	if (f != stdin)
		fclose(f);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	*len = sb.len;
	*out = sb_detach(&sb);
	return *out ? 0 : -ENOMEM;
}

int load_scenario(const char *path, struct scenario **sc)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct strbuf diag;
	char *text = NULL;
	size_t len = 0;
	int rc;

	*sc = NULL;
	rc = slurp(path, &text, &len);
	if (rc) {
		fprintf(stderr, "hotmem: cannot read '%s': %s\n", path,
			strerror(-rc));
		return EXIT_TROUBLE;
	}
	sb_init(&diag);
	rc = scenario_parse(name, text, len, sc, &diag);
	free(text);
	if (diag.buf)
		fputs(diag.buf, stderr);
	sb_release(&diag);
	if (rc == -ENOMEM)
		fprintf(stderr, "hotmem: %s: out of memory\n", name);
	return rc ? EXIT_TROUBLE : 0;
}

int backend_check_steps(const struct scenario_backend *be,
			const struct scenario *sc)
{
	struct strbuf diag;
	int rc;

	if (!be->check_steps)
		return 0;
	sb_init(&diag);
	rc = be->check_steps(sc, &diag);
	if (diag.buf)
		fputs(diag.buf, stderr);
	sb_release(&diag);
	return rc ? EXIT_TROUBLE : 0;
}

/*
 * --accel=auto|kvm|tcg of run and diff: handed to the qemu backend as
 * $HOTMEM_ACCEL (the variable a user may set instead). 0, or a usage
 * error.
 */
int accel_option(const char *value)
{
	static const char *const names[] = { "auto", "kvm", "tcg" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i]) == 0)
			return setenv("HOTMEM_ACCEL", value, 1) ? EXIT_TROUBLE : 0;
	return usage_error("--accel: '%s' is not auto, kvm or tcg", value);
}

/* Is argv[i] a request for help? */
bool wants_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int load_all(const struct file_list *files, struct scenario **scs)
{
	int status = 0;
	size_t i;

	for (i = 0; i < files->n; i++)
		if (load_scenario(files->v[i], &scs[i]))
			status = EXIT_TROUBLE;
	return status;
}

void free_all(struct scenario **scs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		scenario_free(scs[i]);
	free(scs);
}

