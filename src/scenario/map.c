/*
 * map.c - the memory map as text: one character per memory block, a row
 * per run of consecutive blocks, read only through the backend's sysfs
 * (so it shows a real kernel's blocks just as well); and the collection
 * of blocks that the SVG picture (map_svg.c) draws too.
 *
 * Contract: scenario_render_map() appends the picture to a strbuf and
 * returns 0 or -errno from the backend; map_collect() as in map.h.
 * Expected workload: one call per `map` step; thousands of blocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

#define MEMDIR "/sys/devices/system/memory"

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

/* The node of a block: its nodeN link, -1 without one. */
struct node_find {
	int node;
};

static int find_node_link(void *ctx, const char *name)
{
	struct node_find *f = ctx;
	char *end;
	long n;

	if (strncmp(name, "node", 4) || !name[4])
		return 0;
	n = strtol(name + 4, &end, 10);
	if (*end || n < 0)
		return 0;
	f->node = (int)n;
	return 1;
}

void map_blocks_release(struct map_blocks *b)
{
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

int map_collect(const struct scenario_backend *be, void *state,
		struct map_blocks *out)
{
	struct block_ids ids = { NULL, 0, 0 };
	char *bs_text = NULL, path[96];
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = be->read(state, MEMDIR "/block_size_bytes", &bs_text);
	if (ret < 0)
		return ret;
	out->block_size = strtoull(bs_text, NULL, 16);
	free(bs_text);
	if (!out->block_size)
		return -EINVAL;
	ret = be->readdir(state, MEMDIR, collect_block, &ids);
	if (ret < 0)
		goto out;
	qsort(ids.v, ids.n, sizeof(*ids.v), cmp_u64);
	out->v = calloc(ids.n ? ids.n : 1, sizeof(*out->v));
	if (!out->v) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ids.n; i++) {
		struct node_find f = { -1 };

		out->v[i].id = ids.v[i];
		out->v[i].glyph = block_glyph(be, state, ids.v[i]);
		snprintf(path, sizeof(path), MEMDIR "/memory%llu",
			 (unsigned long long)ids.v[i]);
		if (be->readdir(state, path, find_node_link, &f) < 0)
			f.node = -1;
		out->v[i].node = f.node;
	}
	out->n = ids.n;
	ret = 0;
out:
	free(ids.v);
	if (ret)
		map_blocks_release(out);
	return ret;
}

size_t map_row_end(const struct map_blocks *b, size_t i)
{
	size_t j = i + 1;

	while (j < b->n && b->v[j].id == b->v[j - 1].id + 1 && j - i < MAP_ROW)
		j++;
	return j;
}

int scenario_render_map(const struct scenario_backend *be, void *state,
			struct strbuf *sb)
{
	struct map_blocks b;
	size_t i, j;
	int ret;

	ret = map_collect(be, state, &b);
	if (ret < 0)
		return ret;
	sb_printf(sb, "memory map: %zu blocks of %llu MiB, one character each\n",
		  b.n, (unsigned long long)(b.block_size >> 20));
	for (i = 0; i < b.n; i = j) {
		j = map_row_end(&b, i);
		sb_printf(sb, "  0x%012llx  memory%-6llu ",
			  (unsigned long long)(b.v[i].id * b.block_size),
			  (unsigned long long)b.v[i].id);
		for (; i < j; i++)
			sb_add(sb, &b.v[i].glyph, 1);
		sb_puts(sb, "\n");
	}
	ret = sb_puts(sb, "  d DMA  D DMA32  N Normal  M Movable  X several zones"
			  "  o offline  _ going-offline\n");
	map_blocks_release(&b);
	return ret;
}
