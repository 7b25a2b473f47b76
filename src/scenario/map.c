/*
 * map.c - the memory map as a picture: one character per memory block,
 * a row per run of consecutive blocks, read only through the backend's
 * sysfs (so it shows a real kernel's blocks just as well).
 *
 * Contract: scenario_render_map() appends the picture to a strbuf and
 * returns 0 or -errno from the backend.
 * Expected workload: one call per `map` step; thousands of blocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define MEMDIR "/sys/devices/system/memory"
#define ROW 64

struct block_ids {
	uint64_t *v;
	size_t n, alloc;
};

static int collect_block(void *ctx, const char *name)
{
	struct block_ids *ids = ctx;
	char *end;
	uint64_t id;

	if (strncmp(name, "memory", 6) || !name[6])
		return 0;
	id = strtoull(name + 6, &end, 10);
	if (*end)
		return 0;
	if (ids->n == ids->alloc) {
		size_t n = ids->alloc ? ids->alloc * 2 : 64;
		uint64_t *p = realloc(ids->v, n * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ids->v = p;
		ids->alloc = n;
	}
	ids->v[ids->n++] = id;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One character: the zone of an online block, or its state. */
static char block_glyph(const struct scenario_backend *be, void *state, uint64_t id)
{
	char path[96], *st = NULL, *zones = NULL;
	char c = '?';

	snprintf(path, sizeof(path), MEMDIR "/memory%llu/state", (unsigned long long)id);
	if (be->read(state, path, &st) < 0)
		return '?';
	if (!strncmp(st, "offline", 7))
		c = 'o';
	else if (!strncmp(st, "going-offline", 13))
		c = '_';
	else if (!strncmp(st, "online", 6)) {
		snprintf(path, sizeof(path), MEMDIR "/memory%llu/valid_zones",
			 (unsigned long long)id);
		if (be->read(state, path, &zones) >= 0) {
			if (!strncmp(zones, "DMA32", 5))
				c = 'D';
			else if (!strncmp(zones, "DMA", 3))
				c = 'd';
			else if (!strncmp(zones, "Normal", 6))
				c = 'N';
			else if (!strncmp(zones, "Movable", 7))
				c = 'M';
			else if (!strncmp(zones, "none", 4))
				c = 'X';
		}
	}
	free(st);
	free(zones);
	return c;
}

int scenario_render_map(const struct scenario_backend *be, void *state,
			struct strbuf *sb)
{
	struct block_ids ids = { NULL, 0, 0 };
	char *bs_text = NULL;
	uint64_t bs;
	size_t i;
	int ret;

	ret = be->read(state, MEMDIR "/block_size_bytes", &bs_text);
	if (ret < 0)
		return ret;
	bs = strtoull(bs_text, NULL, 16);
	free(bs_text);
	if (!bs)
		return -EINVAL;
	ret = be->readdir(state, MEMDIR, collect_block, &ids);
	if (ret < 0)
		goto out;
	qsort(ids.v, ids.n, sizeof(*ids.v), cmp_u64);

	sb_printf(sb, "memory map: %zu blocks of %llu MiB, one character each\n",
		  ids.n, (unsigned long long)(bs >> 20));
	for (i = 0; i < ids.n;) {
		size_t j = i;

		/* a row: consecutive ids, at most ROW of them */
		while (j + 1 < ids.n && ids.v[j + 1] == ids.v[j] + 1 && j + 1 - i < ROW)
			j++;
		sb_printf(sb, "  0x%012llx  memory%-6llu ",
			  (unsigned long long)(ids.v[i] * bs),
			  (unsigned long long)ids.v[i]);
		for (; i <= j; i++) {
			char g = block_glyph(be, state, ids.v[i]);

			sb_add(sb, &g, 1);
		}
		sb_puts(sb, "\n");
	}
	ret = sb_puts(sb, "  d DMA  D DMA32  N Normal  M Movable  X several zones"
			  "  o offline  _ going-offline\n");
out:
	free(ids.v);
	return ret;
}
