/*
 * tree.c - see tree.h.
 */
#include "tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/util/strbuf.h"

struct hotmem_machine *test_boot(const char *const *cmdline, uint64_t mem,
				 uint64_t block_size)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256];

	hotmem_config_init(&c);
	c.mem_bytes = mem;
	c.slots = 8;
	c.maxmem_bytes = mem > (32ull << 30) ? mem : 32ull << 30;
	c.block_size_bytes = block_size;
	for (; cmdline && *cmdline; cmdline += 2)
		hotmem_config_cmdline(&c, cmdline[0], cmdline[1], err, sizeof(err));
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		fprintf(stderr, "test_boot: %s\n", err);
		return NULL;
	}
	return m;
}

uint64_t test_field(struct hotmem_machine *m, const char *path, const char *key)
{
	char *buf, *line, *save = NULL;
	uint64_t v = UINT64_MAX;
	size_t kl = strlen(key);

	if (hotmem_read(m, path, &buf))
		return UINT64_MAX;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line;

		if (!strncmp(p, "Node ", 5)) {
			p += 5;
			while (*p && *p != ' ')
				p++;
			p++;
		}
		if (!strncmp(p, key, kl) && (p[kl] == ':' || p[kl] == ' ')) {
			v = strtoull(p + kl + 1 + strspn(p + kl + 1, " :"), NULL, 10);
			break;
		}
	}
	free(buf);
	return v;
}

uint64_t test_zone_field(struct hotmem_machine *m, int nid, const char *zone,
			 const char *field)
{
	char *buf, *line, *save = NULL, header[64];
	uint64_t v = UINT64_MAX;
	int in = 0;

	snprintf(header, sizeof(header), "Node %d, zone %8s", nid, zone);
	if (hotmem_read(m, "/proc/zoneinfo", &buf))
		return UINT64_MAX;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long long val;

		if (!strncmp(line, "Node ", 5)) {
			in = !strcmp(line, header);
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, " pages free %llu", &val) == 1 && !strcmp(field, "free")) {
			v = val;
			break;
		}
		if (sscanf(line, " %63[a-z_:] %llu", name, &val) == 2) {
			size_t l = strlen(name);

			if (l && name[l - 1] == ':')
				name[l - 1] = '\0';
			if (!strcmp(name, field)) {
				v = val;
				break;
			}
		}
	}
	free(buf);
	return v;
}

struct walk {
	struct hotmem_machine *m;
	struct strbuf *sb;
	const char *dir;
};

static int walk_entry(void *ctx, const char *name)
{
	struct walk *w = ctx, sub;
	enum hotmem_node_kind kind;
	unsigned int mode;
	char path[512], target[256], *content;

	snprintf(path, sizeof(path), "%s/%s", strcmp(w->dir, "/") ? w->dir : "", name);
	if (hotmem_stat(w->m, path, &kind, &mode, target, sizeof(target)))
		return 0;
	if (kind == HOTMEM_ENTRY_LINK) {
		sb_printf(w->sb, "%s -> %s\n", path, target);
	} else if (kind == HOTMEM_ENTRY_DIR) {
		sub = *w;
		sub.dir = path;
		sb_printf(w->sb, "%s/\n", path);
		hotmem_readdir(w->m, path, walk_entry, &sub);
	} else if (!hotmem_read(w->m, path, &content)) {
		sb_printf(w->sb, "%s %o\n%s", path, mode, content);
		free(content);
	}
	return 0;
}

char *test_tree_digest(struct hotmem_machine *m)
{
	struct strbuf sb;
	struct walk w;

	sb_init(&sb);
	w.m = m;
	w.sb = &sb;
	w.dir = "/";
	hotmem_readdir(m, "/", walk_entry, &w);
	return sb_detach(&sb);
}

long test_write(struct hotmem_machine *m, const char *path, const char *val)
{
	return hotmem_write(m, path, val, strlen(val));
}
