/*
 * overlay.c - an imported machine read back as captured (import.h).
 *
 * A memory block's captured files (removable, phys_device, valid_zones
 * of an older kernel, its nodeN link on a kernel without NUMA in the
 * model) are served while the block is as imported; node and proc files
 * while the whole machine is (its state hash); after a change meminfo,
 * node meminfo and vmstat are the captured numbers plus the model's
 * change since the import, everything else the model's own.
 *
 * Contract: import.h.
 * Expected workload: every read of an imported machine (lsmem reads a
 * few files per block).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "import.h"

static bool block_of(const char *path, uint64_t *id, const char **rest)
{
	static const char pre[] = "/sys/devices/system/memory/memory";
	char *end;

	if (strncmp(path, pre, sizeof(pre) - 1) || path[sizeof(pre) - 1] < '0' ||
	    path[sizeof(pre) - 1] > '9')
		return false;
	*id = strtoull(path + sizeof(pre) - 1, &end, 10);
	if (*end && *end != '/')
		return false;
	*rest = end;
	return true;
}

static const struct import_block *iblock(const struct import_state *st, uint64_t id)
{
	size_t lo = 0, hi = st->nr_blocks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (st->blocks[mid].id == id)
			return &st->blocks[mid];
		if (st->blocks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool import_block_hot_added(const struct hotmem_machine *m, uint64_t id)
{
	const struct import_block *ib = m->import ? iblock(m->import, id) : NULL;

	return ib && ib->later;
}

static bool block_as_imported(const struct hotmem_machine *m, uint64_t id)
{
	const struct import_block *ib = iblock(m->import, id);
	const struct memory_block *mb = find_memory_block_by_id(m, id);

	return ib && mb && mb->state == ib->state && mb->zone == ib->zone &&
	       mb->nid == ib->nid;
}

static bool machine_as_imported(const struct hotmem_machine *m)
{
	return hotmem_state_hash(m) == m->import->hash;
}

/* The first number of the line with key `key` (the text up to the
 * number), or false. */
static bool value_of(const char *text, const char *key, size_t keylen, long long *v)
{
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, keylen)) {
			*v = strtoll(p + keylen, NULL, 10);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Captured text with each number moved by the model's change since the
 * import; the number keeps its right edge (the kernel's columns). */
static char *with_changes(const char *cap, const char *now, const char *then)
{
	struct strbuf sb;
	const char *p = cap;

	sb_init(&sb);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t k = 0, d, e;
		long long a, b;

		/* the value: the last digit run after a blank ("Node 0 X: 5 kB") */
		for (e = 0, k = len; e < len; e++)
			if (p[e] >= '0' && p[e] <= '9' && e && (p[e - 1] == ' ' || p[e - 1] == '\t'))
				k = e;
		d = k;
		while (d > 0 && p[d - 1] == ' ')
			d--;
		e = k;
		while (e < len && p[e] >= '0' && p[e] <= '9')
			e++;
		if (k < len && now && then && value_of(now, p, d, &a) && value_of(then, p, d, &b) &&
		    a != b) {
			char num[32];
			long long v = strtoll(p + k, NULL, 10) + (a - b);
			int width = (int)(e - d);

			snprintf(num, sizeof(num), "%lld", v < 0 ? 0 : v);
			sb_add(&sb, p, d);
			if ((int)strlen(num) + 1 > width)
				width = (int)strlen(num) + 1;
			sb_printf(&sb, "%*s", width, num);
			sb_add(&sb, p + e, len - e);
		} else {
			sb_add(&sb, p, len);
		}
		if (nl)
			sb_puts(&sb, "\n");
		p += len + (nl ? 1 : 0);
	}
	return sb_detach(&sb);
}

static int node_of_meminfo(const char *path)
{
	unsigned int n;
	char tail[16];

	if (sscanf(path, "/sys/devices/system/node/node%u/%15s", &n, tail) == 2 &&
	    !strcmp(tail, "meminfo") && n < HOTMEM_MAX_NODES)
		return (int)n;
	return -1;
}

int import_read(struct hotmem_machine *m, const char *path, char **out)
{
	struct import_state *st = m->import;
	const struct snap_file *cap = snapshot_file(st->snap, path);
	const char *rest;
	uint64_t id;
	int ret, n;

	if (!st->applied || !cap || cap->link)
		goto model;
	if (block_of(path, &id, &rest)) {
		if (!block_as_imported(m, id))
			goto model;
		*out = strdup(cap->text);
		return *out ? 0 : -ENOMEM;
	}
	if (!strncmp(path, "/sys/devices/system/memory/", 27))
		goto model;
	if (machine_as_imported(m)) {
		*out = strdup(cap->text);
		return *out ? 0 : -ENOMEM;
	}
	n = node_of_meminfo(path);
	if (!strcmp(path, "/proc/meminfo") || !strcmp(path, "/proc/vmstat") || n >= 0) {
		char *now = NULL;
		const char *then = !strcmp(path, "/proc/meminfo") ? st->meminfo0 :
				   !strcmp(path, "/proc/vmstat") ? st->vmstat0 :
				   st->node_meminfo0[n];

		ret = sysfs_read(m, path, &now);
		if (ret && ret != -ENOENT)
			return ret;
		*out = with_changes(cap->text, now, then);
		free(now);
		return *out ? 0 : -ENOMEM;
	}
model:
	ret = sysfs_read(m, path, out);
	/* a captured file the model does not have (/proc/cmdline, ...) */
	if (ret == -ENOENT && cap && !cap->link && st->applied) {
		*out = strdup(cap->text);
		return *out ? 0 : -ENOMEM;
	}
	return ret;
}

int import_stat(struct hotmem_machine *m, const char *path,
		enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		size_t targetlen)
{
	const struct snap_file *cap;
	const char *rest;
	uint64_t id;
	int ret = sysfs_stat(m, path, kind, mode, target, targetlen);

	if (ret != -ENOENT || !m->import->applied)
		return ret;
	cap = snapshot_file(m->import->snap, path);
	if (!cap || (block_of(path, &id, &rest) && !block_as_imported(m, id)))
		return ret;
	if (cap->link) {
		*kind = HOTMEM_ENTRY_LINK;
		*mode = 0777;
		if (target && targetlen)
			snprintf(target, targetlen, "%s", cap->text);
	} else {
		*kind = HOTMEM_ENTRY_FILE;
		*mode = 0444;
	}
	return 0;
}

struct names {
	struct strbuf sb;	/* "\nname\nname\n" */
	int (*fn)(void *ctx, const char *name);
	void *ctx;
};

static int collect(void *ctx, const char *name)
{
	struct names *n = ctx;

	sb_printf(&n->sb, "%s\n", name);
	return n->fn(n->ctx, name);
}

int import_readdir(struct hotmem_machine *m, const char *path,
		   int (*fn)(void *ctx, const char *name), void *ctx)
{
	struct names n = { .fn = fn, .ctx = ctx };
	const struct snapshot *s = m->import->snap;
	const char *rest;
	size_t plen = strlen(path), i;
	uint64_t id;
	int ret;

	if (!m->import->applied || !block_of(path, &id, &rest) || *rest ||
	    !block_as_imported(m, id))
		return sysfs_readdir(m, path, fn, ctx);
	sb_init(&n.sb);
	sb_puts(&n.sb, "\n");
	ret = sysfs_readdir(m, path, collect, &n);
	/* the captured files of the block the model has not (one level) */
	for (i = 0; !ret && i < s->nr_files; i++) {
		const char *f = s->files[i].path, *name = f + plen + 1;
		char key[300];

		if (strncmp(f, path, plen) || f[plen] != '/' || strchr(name, '/'))
			continue;
		snprintf(key, sizeof(key), "\n%s\n", name);
		if (strstr(n.sb.buf, key))
			continue;
		ret = fn(ctx, name);
	}
	sb_release(&n.sb);
	return ret;
}
