/*
 * chmem.c - the scenario step `chmem`, util-linux chmem(8) in sysfs
 * terms: it reads /sys/devices/system/memory and writes memoryN/state
 * exactly as chmem does (sys-utils/chmem.c : chmem_size, chmem_range),
 * so a scenario can say what an s390 administrator types.
 *
 * Contract: chmem_parse() validates the words at parse time (no machine
 * needed); chmem_run() does the reads and writes through the backend
 * and returns what chmem 2.38 would: its standard output, standard
 * error and exit status (0 all done, 1 nothing done or a bad operand,
 * 64 partly done), so the model's tool step compares with the real
 * chmem the qemu backend runs in the guest. Semantics kept from chmem:
 * SIZE enables the lowest offline blocks / disables the highest online
 * ones until SIZE is reached; a range or block range acts on each block
 * in it, every block number counting; without -z, enable picks
 * online_movable when valid_zones lists Movable (only if
 * memory0/valid_zones exists, as chmem checks; without it -z is
 * ignored with a warning); a failed write is reported and chmem goes
 * on with the next block.
 * Expected workload: a few steps per scenario, one readdir each.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../scenario/scenario.h"
#include "../util/strbuf.h"

#define SYSMEM "/sys/devices/system/memory"

static const char *const chmem_zones[] = {
	"DMA", "DMA32", "Normal", "Highmem", "Movable", "Device",
};
#define CHMEM_ZONE_MOVABLE 4
/* chmem's exit status when only part of the request was done */
#define CHMEM_EXIT_SOMEOK 64

/* strtosize: a number with K/M/G/T/P/E (or KiB/KB forms); bare = MiB. */
static int chmem_size_arg(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 20;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end) {
		const char *u = "KMGTPE", *q = strchr(u, *end & ~0x20);

		if (!q || !*end)
			return -EINVAL;
		shift = 10 * (unsigned int)(q - u + 1);
		end++;
		if (!strcmp(end, "iB") || !strcmp(end, "B"))
			end += strlen(end);
		if (*end)
			return -EINVAL;
	}
	if (v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_u64(const char *s, int base, uint64_t *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, base);
	return errno || *end ? -EINVAL : 0;
}

int chmem_parse(char *const *words, size_t n, struct scenario_chmem *c,
		char *err, size_t errlen)
{
	const char *param = NULL, *zone = NULL;
	char *dash;
	size_t i, k;
	int cmd = -1;

	memset(c, 0, sizeof(*c));
	c->zone = -1;
	for (i = 0; i < n; i++) {
		const char *w = words[i];

		if (!strcmp(w, "--enable") || !strcmp(w, "--disable")) {
			if (cmd >= 0 && cmd != (w[2] == 'e')) {
				snprintf(err, errlen, "chmem: --enable and --disable are mutually exclusive");
				return -EINVAL;
			}
			cmd = w[2] == 'e';
		} else if (!strcmp(w, "--blocks")) {
			c->blocks = true;
		} else if (!strcmp(w, "--verbose")) {
			c->verbose = true;
		} else if (!strncmp(w, "--zone=", 7)) {
			zone = w + 7;
		} else if (!strcmp(w, "--zone") || !strcmp(w, "-z")) {
			if (++i == n) {
				snprintf(err, errlen, "chmem: %s needs a zone name", w);
				return -EINVAL;
			}
			zone = words[i];
		} else if (w[0] == '-' && w[1] && w[1] != '-') {
			/* bundled short options: -e, -db, -bez Movable; as
			 * getopt_long permutes, also after the operand */
			for (k = 1; w[k]; k++) {
				switch (w[k]) {
				case 'e':
				case 'd':
					if (cmd >= 0 && cmd != (w[k] == 'e')) {
						snprintf(err, errlen, "chmem: -e and -d are mutually exclusive");
						return -EINVAL;
					}
					cmd = w[k] == 'e';
					break;
				case 'b':
					c->blocks = true;
					break;
				case 'v':
					c->verbose = true;
					break;
				case 'z':
					if (w[k + 1])
						zone = w + k + 1;
					else if (++i < n)
						zone = words[i];
					else {
						snprintf(err, errlen, "chmem: -z needs a zone name");
						return -EINVAL;
					}
					k = strlen(w) - 1;
					break;
				default:
					snprintf(err, errlen, "chmem: unknown option '-%c' (want -e, -d, -b, -z ZONE, -v)",
						 w[k]);
					return -EINVAL;
				}
			}
		} else if (!param) {
			param = w;
		} else {
			snprintf(err, errlen, "chmem: more than one SIZE|RANGE|BLOCKRANGE ('%s', '%s')",
				 param, w);
			return -EINVAL;
		}
	}
	if (cmd < 0 || !param) {
		snprintf(err, errlen, "chmem: bad usage (chmem -e|-d [-b] [-z ZONE] SIZE|RANGE|BLOCKRANGE)");
		return -EINVAL;
	}
	c->enable = cmd == 1;
	if (zone) {
		for (k = 0; k < sizeof(chmem_zones) / sizeof(chmem_zones[0]); k++)
			if (!strcasecmp(zone, chmem_zones[k]))
				c->zone = (int)k;
		if (c->zone < 0) {
			snprintf(err, errlen, "chmem: unknown memory zone: %s", zone);
			return -EINVAL;
		}
	}
	dash = strchr(param, '-');
	if (dash && strchr(dash + 1, '-')) {
		snprintf(err, errlen, "chmem: Invalid parameter: %s", param);
		return -EINVAL;
	}
	if (!dash) {
		if (c->blocks) {
			if (parse_u64(param, 10, &c->start)) {
				snprintf(err, errlen, "chmem: Failed to parse block number: '%s'", param);
				return -EINVAL;
			}
			c->end = c->start;
			return 0;
		}
		c->is_size = true;
		if (chmem_size_arg(param, &c->size)) {
			snprintf(err, errlen, "chmem: Failed to parse size: '%s'", param);
			return -EINVAL;
		}
		return 0;
	}
	{
		char a[64], *b = dash + 1;
		size_t la = (size_t)(dash - param);

		if (la >= sizeof(a)) {
			snprintf(err, errlen, "chmem: Invalid parameter: %s", param);
			return -EINVAL;
		}
		memcpy(a, param, la);
		a[la] = 0;
		if (c->blocks) {
			if (parse_u64(a, 10, &c->start) || parse_u64(b, 10, &c->end)) {
				snprintf(err, errlen, "chmem: Failed to parse block range: '%s'", param);
				return -EINVAL;
			}
		} else {
			if (strncmp(a, "0x", 2) || strncmp(b, "0x", 2) ||
			    parse_u64(a + 2, 16, &c->start) || parse_u64(b + 2, 16, &c->end)) {
				snprintf(err, errlen, "chmem: Invalid address range: '%s' (0xSTART-0xEND)",
					 param);
				return -EINVAL;
			}
		}
	}
	if (c->start > c->end) {
		snprintf(err, errlen, "chmem: Invalid range: %s", param);
		return -EINVAL;
	}
	return 0;
}

/* size_to_human_string(SIZE_SUFFIX_1LETTER): "256M", "1G", "1.5G". */
static void human(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	unsigned int i = 0;
	uint64_t tenths;

	while (i < 6 && bytes >= (1ull << (10 * (i + 1))))
		i++;
	/* one decimal, rounded; none when it is zero */
	tenths = (bytes * 10 + (i ? 1ull << (10 * i - 1) : 0)) >> (10 * i);
	if (tenths % 10)
		snprintf(buf, len, "%llu.%llu%c", (unsigned long long)(tenths / 10),
			 (unsigned long long)(tenths % 10), units[i]);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)(tenths / 10), units[i]);
}

struct block_list {
	uint64_t *v;
	size_t n, cap;
};

static int collect(void *ctx, const char *name)
{
	struct block_list *l = ctx;
	uint64_t id;

	if (strncmp(name, "memory", 6) || parse_u64(name + 6, 10, &id))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		uint64_t *p = realloc(l->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = id;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Read PATH into buf (NUL-terminated); 0 or -errno. */
static int read_small(const struct scenario_backend *be, void *state,
		      const char *path, char *buf, size_t len)
{
	char *content = NULL;
	int rc = be->read(state, path, &content);

	if (rc < 0)
		return rc;
	snprintf(buf, len, "%s", content ? content : "");
	free(content);
	return 0;
}

/* What a chmem run prints: verbose lines on standard output, warnings
 * ("chmem: ...") on standard error, as util-linux's warn()/warnx(). */
struct chmem_io {
	const struct scenario_backend *be;
	void *state;
	struct strbuf out, err;
	bool oom;
};

static void chmem_say(struct chmem_io *io, bool to_err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void chmem_say(struct chmem_io *io, bool to_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (sb_vprintf(to_err ? &io->err : &io->out, fmt, ap))
		io->oom = true;
	va_end(ap);
}

/* One block: the chmem loop body. 1 = done, 0 = not done. */
static int chmem_block(struct chmem_io *io, const struct scenario_chmem *c,
		       uint64_t id, uint64_t block_size, bool have_zones, bool range)
{
	char path[128], line[256], what[96];
	const char *onoff = c->enable ? "online" : "offline";
	const char *verb = c->enable ? "enable" : "disable";
	long rc;

	if (c->enable && c->zone >= 0)
		onoff = c->zone == CHMEM_ZONE_MOVABLE ? "online_movable" : "online_kernel";
	snprintf(what, sizeof(what), "Memory Block %llu (0x%016llx-0x%016llx)",
		 (unsigned long long)id, (unsigned long long)(id * block_size),
		 (unsigned long long)(id * block_size + block_size - 1));
	snprintf(path, sizeof(path), SYSMEM "/memory%llu/state", (unsigned long long)id);
	/* a block already in the state: done in a range, skipped by SIZE */
	if (!read_small(io->be, io->state, path, line, sizeof(line)) &&
	    !strncmp(onoff, line, 6)) {
		if (range && c->verbose)
			chmem_say(io, false, "%s already %sd\n", what, verb);
		return range ? 1 : 0;
	}
	if (have_zones) {
		snprintf(path, sizeof(path), SYSMEM "/memory%llu/valid_zones",
			 (unsigned long long)id);
		read_small(io->be, io->state, path, line, sizeof(line));
		if (c->zone >= 0) {
			const char *zn = chmem_zones[c->zone];
			bool ok = c->enable ? strcasestr(line, zn) != NULL :
					      !strncasecmp(line, zn, strlen(zn));

			if (!ok) {
				if (range)
					chmem_say(io, true, "chmem: %s %s failed: Zone mismatch\n",
						  what, verb);
				return 0;
			}
		} else if (c->enable) {
			onoff = strcasestr(line, "Movable") ? "online_movable" : "online";
		}
	}
	snprintf(path, sizeof(path), SYSMEM "/memory%llu/state", (unsigned long long)id);
	rc = io->be->write(io->state, path, onoff, strlen(onoff));
	if (rc < 0) {
		/* chmem 2.38: a range warns (with the errno's text); SIZE
		 * says so only with -v, on standard output, without it */
		if (range)
			chmem_say(io, true, "chmem: %s %s failed: %s\n", what, verb,
				  strerror((int)-rc));
		else if (c->verbose)
			chmem_say(io, false, "%s %s failed\n", what, verb);
		return 0;
	}
	if (c->verbose)
		chmem_say(io, false, "%s %sd\n", what, verb);
	return 1;
}

/*
 * chmem's main() after the option parsing: read the blocks, check the
 * operand against the block size (errx: exit status 1), act, and exit
 * 0 when everything asked for was done, 1 when nothing was, 64
 * (CHMEM_EXIT_SOMEOK) when part was.
 */
static int chmem_main(struct chmem_io *io, const struct scenario_chmem *c)
{
	struct scenario_chmem nozone;
	struct block_list l = { NULL, 0, 0 };
	char buf[64], hs[32];
	uint64_t block_size, start = c->start, end = c->end, want, todo;
	bool have_zones;
	size_t i;
	int rc;

	rc = read_small(io->be, io->state, SYSMEM "/block_size_bytes", buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = 0;
	if (!rc)
		rc = io->be->readdir(io->state, SYSMEM, collect, &l);
	if (rc == -ENOMEM) {
		free(l.v);
		return rc;
	}
	if (rc < 0 || !l.n || parse_u64(buf, 16, &block_size) || !block_size) {
		chmem_say(io, true, "chmem: Failed to read " SYSMEM ": %s\n",
			  strerror(rc < 0 ? -rc : ENOENT));
		free(l.v);
		return 1;
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_u64);
	human(block_size, hs, sizeof(hs));
	if (c->is_size && c->size % block_size) {
		chmem_say(io, true, "chmem: Size must be aligned to memory block size (%s)\n", hs);
		free(l.v);
		return 1;
	}
	if (!c->is_size && !c->blocks) {
		if (start % block_size || (end + 1) % block_size) {
			chmem_say(io, true, "chmem: Start address and (end address + 1) must be "
				  "aligned to memory block size (%s)\n", hs);
			free(l.v);
			return 1;
		}
		start /= block_size;
		end /= block_size;
	}
	/* chmem checks that the attribute exists (access F_OK) */
	{
		enum scenario_entry_kind kind;
		unsigned int mode;
		char target[8];

		have_zones = io->be->stat(io->state, SYSMEM "/memory0/valid_zones",
					  &kind, &mode, target, sizeof(target)) == 0;
	}
	if (c->zone >= 0 && !have_zones) {
		/* and acts as if no zone had been given */
		chmem_say(io, true, "chmem: zone ignored, no valid_zones sysfs attribute present\n");
		nozone = *c;
		nozone.zone = -1;
		c = &nozone;
	}

	if (c->is_size) {
		want = todo = c->size / block_size;
		for (i = 0; i < l.n && todo; i++) {
			uint64_t id = c->enable ? l.v[i] : l.v[l.n - 1 - i];

			if (chmem_block(io, c, id, block_size, have_zones, false))
				todo--;
		}
		if (todo) {
			human((want - todo) * block_size, hs, sizeof(hs));
			chmem_say(io, true, "chmem: Could only %s %s of memory\n",
				  c->enable ? "enable" : "disable", hs);
		}
	} else {
		/* every block of the range counts, present or not */
		want = todo = end - start + 1;
		for (i = 0; i < l.n; i++) {
			if (l.v[i] < start)
				continue;
			if (l.v[i] > end)
				break;
			if (chmem_block(io, c, l.v[i], block_size, have_zones, true))
				todo--;
		}
	}
	free(l.v);
	return !todo ? 0 : todo == want ? 1 : CHMEM_EXIT_SOMEOK;
}

int chmem_run(const struct scenario_backend *be, void *state,
	      const struct scenario_chmem *c, struct scenario_tool_result *res,
	      char *err, size_t errlen)
{
	struct chmem_io io = { .be = be, .state = state };
	int rc;

	memset(res, 0, sizeof(*res));
	sb_init(&io.out);
	sb_init(&io.err);
	rc = chmem_main(&io, c);
	if (rc < 0 || io.oom) {
		sb_release(&io.out);
		sb_release(&io.err);
		snprintf(err, errlen, "chmem: out of memory");
		return -ENOMEM;
	}
	res->status = rc;
	res->out = io.out.len ? sb_detach(&io.out) : NULL;
	res->err = io.err.len ? sb_detach(&io.err) : NULL;
	sb_release(&io.out);
	sb_release(&io.err);
	return 0;
}
