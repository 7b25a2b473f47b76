/*
 * chmem.c - the scenario step `chmem`, util-linux chmem(8) in sysfs
 * terms: it reads /sys/devices/system/memory and writes memoryN/state
 * exactly as chmem does (sys-utils/chmem.c : chmem_size, chmem_range),
 * so a scenario can say what an s390 administrator types.
 *
 * Contract: chmem_parse() validates the words at parse time (no machine
 * needed); chmem_run() does the reads and writes through the backend
 * and prints chmem's own messages to out. Semantics kept from chmem:
 * SIZE enables the lowest offline blocks / disables the highest online
 * ones until SIZE is reached; a range or block range acts on each block
 * in it; without -z, enable picks online_movable when valid_zones lists
 * Movable (only if memory0/valid_zones exists, as chmem checks); a
 * failed write is reported and chmem goes on with the next block.
 * Expected workload: a few steps per scenario, one readdir each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../scenario/scenario.h"

#define SYSMEM "/sys/devices/system/memory"

static const char *const chmem_zones[] = {
	"DMA", "DMA32", "Normal", "Highmem", "Movable", "Device",
};
#define CHMEM_ZONE_MOVABLE 4

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

/* One block: the chmem loop body. 1 = done, 0 = skipped, -1 = failed. */
static int chmem_block(const struct scenario_backend *be, void *state,
		       const struct scenario_chmem *c, uint64_t id,
		       uint64_t block_size, bool have_zones, bool range, FILE *out)
{
	char path[128], line[256], what[96];
	const char *onoff = c->enable ? "online" : "offline";
	long rc;

	if (c->enable && c->zone >= 0)
		onoff = c->zone == CHMEM_ZONE_MOVABLE ? "online_movable" : "online_kernel";
	snprintf(what, sizeof(what), "Memory Block %llu (0x%016llx-0x%016llx)",
		 (unsigned long long)id, (unsigned long long)(id * block_size),
		 (unsigned long long)(id * block_size + block_size - 1));
	snprintf(path, sizeof(path), SYSMEM "/memory%llu/state", (unsigned long long)id);
	if (!read_small(be, state, path, line, sizeof(line)) && !strncmp(onoff, line, 6)) {
		if (range && c->verbose)
			fprintf(out, "%s already %s\n", what, c->enable ? "enabled" : "disabled");
		return range ? 1 : 0;
	}
	if (have_zones) {
		snprintf(path, sizeof(path), SYSMEM "/memory%llu/valid_zones",
			 (unsigned long long)id);
		read_small(be, state, path, line, sizeof(line));
		if (c->zone >= 0) {
			const char *zn = chmem_zones[c->zone];
			bool ok = c->enable ? strcasestr(line, zn) != NULL :
					      !strncasecmp(line, zn, strlen(zn));

			if (!ok) {
				if (range)
					fprintf(out, "chmem: %s %s failed: Zone mismatch\n", what,
						c->enable ? "enable" : "disable");
				return 0;
			}
		} else if (c->enable) {
			onoff = strcasestr(line, "Movable") ? "online_movable" : "online";
		}
	}
	snprintf(path, sizeof(path), SYSMEM "/memory%llu/state", (unsigned long long)id);
	rc = be->write(state, path, onoff, strlen(onoff));
	if (rc < 0) {
		fprintf(out, "chmem: %s %s failed: %s\n", what, c->enable ? "enable" : "disable",
			strerror((int)-rc));
		return -1;
	}
	if (c->verbose)
		fprintf(out, "%s %s\n", what, c->enable ? "enabled" : "disabled");
	return 1;
}

int chmem_run(const struct scenario_backend *be, void *state,
	      const struct scenario_chmem *c, FILE *out, char *err, size_t errlen)
{
	struct block_list l = { NULL, 0, 0 };
	char buf[64], hs[32];
	uint64_t block_size, start = c->start, end = c->end, todo;
	bool have_zones;
	size_t i;
	int rc;

	rc = read_small(be, state, SYSMEM "/block_size_bytes", buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = 0;
	if (rc || parse_u64(buf, 16, &block_size) || !block_size) {
		snprintf(err, errlen, "Failed to read %s", SYSMEM);
		return rc ? rc : -EINVAL;
	}
	rc = be->readdir(state, SYSMEM, collect, &l);
	if (rc < 0) {
		free(l.v);
		snprintf(err, errlen, "Failed to read %s", SYSMEM);
		return rc;
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_u64);
	have_zones = !read_small(be, state, SYSMEM "/memory0/valid_zones", buf, sizeof(buf));

	if (c->is_size) {
		uint64_t want;

		if (c->size % block_size) {
			human(block_size, hs, sizeof(hs));
			snprintf(err, errlen, "Size must be aligned to memory block size (%s)", hs);
			free(l.v);
			return -EINVAL;
		}
		want = todo = c->size / block_size;
		for (i = 0; i < l.n && todo; i++) {
			uint64_t id = c->enable ? l.v[i] : l.v[l.n - 1 - i];

			if (chmem_block(be, state, c, id, block_size, have_zones, false, out) > 0)
				todo--;
		}
		if (todo) {
			human((want - todo) * block_size, hs, sizeof(hs));
			fprintf(out, "chmem: Could only %s %s of memory\n",
				c->enable ? "enable" : "disable", hs);
		}
		free(l.v);
		return 0;
	}
	if (!c->blocks) {
		if (start % block_size || (end + 1) % block_size) {
			human(block_size, hs, sizeof(hs));
			snprintf(err, errlen, "Start address and (end address + 1) must be "
				 "aligned to memory block size (%s)", hs);
			free(l.v);
			return -EINVAL;
		}
		start /= block_size;
		end /= block_size;
	}
	for (i = 0; i < l.n; i++) {
		if (l.v[i] < start)
			continue;
		if (l.v[i] > end)
			break;
		chmem_block(be, state, c, l.v[i], block_size, have_zones, true, out);
	}
	free(l.v);
	return 0;
}
