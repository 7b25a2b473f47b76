/*
 * plan.c - the comparison behind `hotmem plan` (plan.h) and its text and
 * JSON forms; plan_html.c draws the map.
 *
 * Contract: plan.h. Numbers come from the two machines' own state (zone
 * counters, the nr_memmap_pages counter, each block's altmap); whether a
 * block could be offlined again is the model's answer on a copy of the
 * "after" machine, with the kernel's reason.
 * Expected workload: once per plan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "import.h"
#include "plan.h"

static int cmp_pb(const void *a, const void *b)
{
	uint64_t x = ((const struct plan_block *)a)->id, y = ((const struct plan_block *)b)->id;

	return x < y ? -1 : x > y;
}

static struct plan_block *pb_find(struct plan *p, uint64_t id)
{
	struct plan_block key = { .id = id };

	return p->nr_blocks ? bsearch(&key, p->blocks, p->nr_blocks, sizeof(key), cmp_pb) : NULL;
}

/* Who the block's memory belongs to, as a person would name it. */
static const char *owner_of(const struct hotmem_machine *m, uint64_t id)
{
	uint64_t addr = id * m->block_size;
	const char *best = NULL;
	size_t i;
	int r, depth_best = -1;

	for (i = 0; i < m->nr_dimms; i++)
		if (m->dimms[i].used && addr >= m->dimms[i].addr &&
		    addr < m->dimms[i].addr + m->dimms[i].size)
			return m->dimms[i].id;
	for (i = 0; i < CXL_MAX_DEVICES; i++)
		if (m->cxl.devs[i].used && addr >= m->cxl.devs[i].base &&
		    addr < m->cxl.devs[i].base + m->cxl.devs[i].window_size)
			return m->cxl.devs[i].id;
	if (m->import) {
		for (i = 0; i < m->import->nr_blocks; i++)
			if (m->import->blocks[i].id == id)
				return m->import->blocks[i].later ? "hot-added (captured)" : "boot RAM";
	}
	/* the deepest resource that names a device */
	for (r = 0; r < (int)m->iomem.n; r++) {
		const struct resource *res = &m->iomem.v[r];
		int d = 0, q;

		if (!res->used || addr < res->start || addr > res->end ||
		    !strncmp(res->name, "System RAM", 10))
			continue;
		for (q = res->parent; q >= 0; q = m->iomem.v[q].parent)
			d++;
		if (d > depth_best) {
			depth_best = d;
			best = res->name;
		}
	}
	return best ? best : "boot RAM";
}

static void node_sums(const struct hotmem_machine *m, struct plan *p, int w)
{
	unsigned int n;
	int z;

	for (n = 0; n < m->nr_node_ids && n < HOTMEM_MAX_NODES; n++) {
		uint64_t managed = 0;

		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zn = &m->nodes[n].zones[z];

			p->nodes[n].zones[z].present[w] = zn->present_pages;
			p->nodes[n].zones[z].managed[w] = zn->managed_pages;
			p->nodes[n].zones[z].spanned[w] = zn->spanned_pages;
			if (z != ZONE_DEVICE)
				managed += zn->managed_pages;
		}
		p->nodes[n].memtotal_kb[w] = managed << (m->geo.page_shift - 10);
	}
	p->memtotal_kb[w] = totalram_pages(m) << (m->geo.page_shift - 10);
	p->memmap_pages[w] = m->nr_memmap_pages;
}

static int add_blocks(const struct hotmem_machine *m, struct plan *p, int w,
		      size_t *alloc)
{
	size_t i;

	for (i = 0; i < m->nr_blocks; i++) {
		const struct memory_block *mb = m->blocks[i];
		struct plan_block *b = NULL;
		size_t k;

		/* both machines' block lists are sorted: a linear probe suffices
		 * for "before", a search for "after" */
		if (w)
			b = pb_find(p, mb->id);
		if (!b) {
			if (p->nr_blocks == *alloc) {
				size_t n = *alloc ? *alloc * 2 : 256;
				struct plan_block *v = realloc(p->blocks, n * sizeof(*v));

				if (!v)
					return -ENOMEM;
				p->blocks = v;
				*alloc = n;
			}
			b = &p->blocks[p->nr_blocks++];
			memset(b, 0, sizeof(*b));
			b->id = mb->id;
			b->zone[0] = b->zone[1] = -1;
			b->nid[0] = b->nid[1] = -1;
			/* keep sorted: "after" may add blocks between others */
			for (k = p->nr_blocks - 1; k > 0 && p->blocks[k - 1].id > b->id; k--) {
				struct plan_block t = p->blocks[k - 1];

				p->blocks[k - 1] = p->blocks[k];
				p->blocks[k] = t;
			}
			b = pb_find(p, mb->id);
		}
		b->state[w] = mb->state;
		b->zone[w] = mb->state == MEM_ONLINE ? mb->zone : -1;
		b->nid[w] = mb->nid;
		/* the memmap lives on the block from add to remove, online or not */
		if (mb->has_altmap) {
			uint64_t pages = mb->altmap.alloc ? mb->altmap.alloc : mb->altmap.free;

			if (w)
				b->memmap_on_block = pages;
			p->memmap_on_blocks[w] += pages;
		}
	}
	return 0;
}

/* Would `echo offline > memoryN/state` work after the plan? */
static void try_offline(const struct hotmem_machine *after, struct plan_block *b)
{
	struct hotmem_machine *c;
	char path[96];
	long rc;

	if (b->state[1] != MEM_ONLINE) {
		snprintf(b->why, sizeof(b->why), "offline");
		return;
	}
	c = hotmem_clone(after);
	if (!c) {
		b->offline_rc = -ENOMEM;
		snprintf(b->why, sizeof(b->why), "not tried (out of memory)");
		return;
	}
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state",
		 (unsigned long long)b->id);
	rc = sysfs_write(c, path, "offline", 7);
	b->offline_rc = rc < 0 ? (int)rc : 0;
	hotmem_free(c);
	if (rc >= 0 && b->zone[1] == ZONE_MOVABLE)
		snprintf(b->why, sizeof(b->why), "yes: ZONE_MOVABLE holds only movable pages, which can migrate away");
	else if (rc >= 0)
		snprintf(b->why, sizeof(b->why), "only while no unmovable kernel allocation lands in it: %s is a kernel zone",
			 b->zone[1] >= 0 ? zone_names[b->zone[1]] : "its zone");
	else if (rc == -EINVAL && b->zone[1] < 0)
		snprintf(b->why, sizeof(b->why), "no: EINVAL: the block spans several zones");
	else if (rc == -EPERM)
		snprintf(b->why, sizeof(b->why), "no: EPERM: the architecture keeps boot memory");
	else if (rc == -EBUSY)
		snprintf(b->why, sizeof(b->why), "no: EBUSY: it holds memory the kernel cannot migrate (e.g. other blocks' memmap)");
	else
		snprintf(b->why, sizeof(b->why), "no: %s", hotmem_errno_name((int)rc));
}

/* v[0] becomes the captured value, v[1] the captured value plus the
 * model's change */
static void rebase(uint64_t v[2], uint64_t captured)
{
	int64_t change = (int64_t)(v[1] - v[0]);

	v[0] = captured;
	v[1] = (uint64_t)((int64_t)captured + change);
}

/*
 * Where the machine was captured, "before" is what it showed: zoneinfo's
 * spanned/present/managed and each node's MemTotal; "after" adds the
 * model's change to them.
 */
static void rebase_on_capture(const struct hotmem_machine *m, struct plan *p)
{
	const struct snapshot *s = m->import ? m->import->snap : NULL;
	const struct snap_file *f = s ? snapshot_file(s, "/proc/zoneinfo") : NULL;
	const char *l;
	int nid = -1, zid = -1;
	unsigned int n;

	for (l = f ? f->text : NULL; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char name[32];
		unsigned long long v;
		struct plan_zone *z;

		if (sscanf(l, "Node %d, zone %31s", &nid, name) == 2) {
			for (zid = 0; zid < MAX_NR_ZONES && strcmp(zone_names[zid], name); zid++)
				;
			if (nid < 0 || nid >= (int)p->nr_nodes || zid == MAX_NR_ZONES)
				zid = -1;
			continue;
		}
		if (zid < 0)
			continue;
		z = &p->nodes[nid].zones[zid];
		if (sscanf(l, " spanned %llu", &v) == 1)
			rebase(z->spanned, v);
		else if (sscanf(l, " present %llu", &v) == 1)
			rebase(z->present, v);
		else if (sscanf(l, " managed %llu", &v) == 1)
			rebase(z->managed, v);
	}
	for (n = 0; s && n < p->nr_nodes; n++) {
		char path[64];
		const char *t;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/meminfo", n);
		f = snapshot_file(s, path);
		t = f ? strstr(f->text, "MemTotal:") : NULL;
		if (t)
			rebase(p->nodes[n].memtotal_kb, strtoull(t + 9, NULL, 10));
	}
	f = s ? snapshot_file(s, "/proc/meminfo") : NULL;
	if (f && !strncmp(f->text, "MemTotal:", 9))
		rebase(p->memtotal_kb, strtoull(f->text + 9, NULL, 10));
}

int plan_compare(struct hotmem_machine *before, struct hotmem_machine *after,
		 struct plan *p)
{
	size_t alloc = 0, i;
	int ret;

	p->block_size = after->block_size;
	p->page_size = after->geo.page_size;
	snprintf(p->arch, sizeof(p->arch), "%s", after->geo.arch);
	p->nr_nodes = after->nr_node_ids;
	node_sums(before, p, 0);
	node_sums(after, p, 1);
	rebase_on_capture(after, p);
	ret = add_blocks(before, p, 0, &alloc);
	if (!ret)
		ret = add_blocks(after, p, 1, &alloc);
	if (ret)
		return ret;
	for (i = 0; i < p->nr_blocks; i++) {
		struct plan_block *b = &p->blocks[i];

		b->owner = b->state[1] ? owner_of(after, b->id) : owner_of(before, b->id);
		b->changed = b->state[0] != b->state[1] || b->zone[0] != b->zone[1] ||
			     b->nid[0] != b->nid[1];
		/* a block added without memmap_on_memory: its struct pages come
		 * from the page allocator, near its node */
		if (!b->state[0] && b->state[1] && !b->memmap_on_block)
			b->memmap_in_node = memmap_pages(&after->geo, after->pages_per_block);
		if (b->changed)
			try_offline(after, b);
	}
	return 0;
}

void plan_release(struct plan *p)
{
	free(p->blocks);
	free(p->steps_output);
	free(p->decisions);
	p->blocks = NULL;
}

/* ---- text ---------------------------------------------------------------- */

static const char *state_name(int s)
{
	return !s ? "absent" : s == MEM_ONLINE ? "online" : s == MEM_OFFLINE ? "offline" : "going-offline";
}

static void block_desc(const struct plan_block *b, int w, char *buf, size_t len)
{
	if (!b->state[w])
		snprintf(buf, len, "absent");
	else if (b->state[w] == MEM_ONLINE)
		snprintf(buf, len, "online %s node%d", b->zone[w] >= 0 ? zone_names[b->zone[w]] : "(several zones)",
			 b->nid[w]);
	else
		snprintf(buf, len, "offline node%d", b->nid[w]);
}

static bool same_change(const struct plan_block *a, const struct plan_block *b)
{
	return b->id == a->id + 1 && a->state[0] == b->state[0] && a->state[1] == b->state[1] &&
	       a->zone[0] == b->zone[0] && a->zone[1] == b->zone[1] && a->nid[0] == b->nid[0] &&
	       a->nid[1] == b->nid[1] && a->memmap_on_block == b->memmap_on_block &&
	       a->memmap_in_node == b->memmap_in_node &&
	       a->offline_rc == b->offline_rc && !strcmp(a->why, b->why) && a->owner == b->owner;
}

static void kb_line(FILE *out, const char *what, uint64_t a, uint64_t b)
{
	fprintf(out, "  %-26s %14llu kB %14llu kB %+14lld kB\n", what, (unsigned long long)a,
		(unsigned long long)b, (long long)(b - a));
}

void plan_text(const struct plan *p, FILE *out)
{
	uint64_t pkb = p->page_size >> 10;
	int64_t memmap = p->memmap_pages[1] - p->memmap_pages[0];
	int64_t onblk = (int64_t)p->memmap_on_blocks[1] - (int64_t)p->memmap_on_blocks[0];
	unsigned int n;
	size_t i, j;
	int z;

	fprintf(out, "plan for %s: %s, %llu MiB blocks, %u node%s\n", p->source, p->arch,
		(unsigned long long)(p->block_size >> 20), p->nr_nodes, p->nr_nodes > 1 ? "s" : "");
	for (i = 0; i < p->nr_steps; i++)
		fprintf(out, "  step %zu: %s\n", i + 1, p->step_text[i]);
	if (p->steps_output && *p->steps_output)
		fprintf(out, "what the steps reported:\n%s", p->steps_output);
	fprintf(out, "\n  %-26s %17s %17s %17s\n", "", "before", "after", "change");
	kb_line(out, "MemTotal", p->memtotal_kb[0], p->memtotal_kb[1]);
	for (n = 0; n < p->nr_nodes; n++) {
		char what[64];

		snprintf(what, sizeof(what), "node%u MemTotal", n);
		kb_line(out, what, p->nodes[n].memtotal_kb[0], p->nodes[n].memtotal_kb[1]);
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct plan_zone *zz = &p->nodes[n].zones[z];

			if (!zz->spanned[0] && !zz->spanned[1] && !zz->present[0] && !zz->present[1])
				continue;
			snprintf(what, sizeof(what), "node%u %s present", n, zone_names[z]);
			kb_line(out, what, zz->present[0] * pkb, zz->present[1] * pkb);
			snprintf(what, sizeof(what), "node%u %s managed", n, zone_names[z]);
			kb_line(out, what, zz->managed[0] * pkb, zz->managed[1] * pkb);
		}
	}
	fprintf(out, "\nmemmap (struct pages): %+lld pages (%+lld kB): %+lld kB on the new blocks themselves (memmap_on_memory), %+lld kB from node memory\n",
		(long long)memmap, (long long)(memmap * (int64_t)pkb), (long long)(onblk * (int64_t)pkb),
		(long long)((memmap - onblk) * (int64_t)pkb));
	fprintf(out, "\nblocks that change:\n");
	for (i = 0; i < p->nr_blocks; i = j) {
		const struct plan_block *b = &p->blocks[i];
		char a[64], c[64];

		for (j = i + 1; j < p->nr_blocks && same_change(&p->blocks[j - 1], &p->blocks[j]); j++)
			;
		if (!b->changed)
			continue;
		block_desc(b, 0, a, sizeof(a));
		block_desc(b, 1, c, sizeof(c));
		if (j - i > 1)
			fprintf(out, "  memory%llu-%llu", (unsigned long long)b->id,
				(unsigned long long)p->blocks[j - 1].id);
		else
			fprintf(out, "  memory%llu", (unsigned long long)b->id);
		fprintf(out, " [%#llx-%#llx] %s: %s -> %s", (unsigned long long)(b->id * p->block_size),
			(unsigned long long)((p->blocks[j - 1].id + 1) * p->block_size - 1), b->owner, a, c);
		if (b->memmap_on_block && b->state[1])
			fprintf(out, ", memmap on the block: %llu pages each", (unsigned long long)b->memmap_on_block);
		if (b->memmap_in_node)
			fprintf(out, ", memmap in node%d's memory: %llu pages each", b->nid[1],
				(unsigned long long)b->memmap_in_node);
		fprintf(out, "\n    offline later: %s\n", b->why);
	}
	if (p->decisions && *p->decisions)
		fprintf(out, "\nauto-movable decisions (memory_hotplug.online_policy=auto-movable):\n%s",
			p->decisions);
}

/* ---- json ---------------------------------------------------------------- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void json_ba(FILE *out, const char *key, uint64_t a, uint64_t b)
{
	fprintf(out, "\"%s\":{\"before\":%llu,\"after\":%llu,\"change\":%lld}", key,
		(unsigned long long)a, (unsigned long long)b, (long long)(b - a));
}

void plan_json(const struct plan *p, FILE *out)
{
	unsigned int n;
	size_t i;
	int z;
	bool first;

	fprintf(out, "{\"source\":");
	json_str(out, p->source);
	fprintf(out, ",\"arch\":\"%s\",\"block_size\":%llu,\"page_size\":%llu,\"steps\":[", p->arch,
		(unsigned long long)p->block_size, (unsigned long long)p->page_size);
	for (i = 0; i < p->nr_steps; i++) {
		fprintf(out, i ? "," : "");
		json_str(out, p->step_text[i]);
	}
	fprintf(out, "],");
	json_ba(out, "memtotal_kb", p->memtotal_kb[0], p->memtotal_kb[1]);
	fprintf(out, ",\"nodes\":[");
	for (n = 0; n < p->nr_nodes; n++) {
		fprintf(out, "%s{\"node\":%u,", n ? "," : "", n);
		json_ba(out, "memtotal_kb", p->nodes[n].memtotal_kb[0], p->nodes[n].memtotal_kb[1]);
		fprintf(out, ",\"zones\":[");
		first = true;
		for (z = 0; z < MAX_NR_ZONES; z++) {
			const struct plan_zone *zz = &p->nodes[n].zones[z];

			if (!zz->spanned[0] && !zz->spanned[1] && !zz->present[0] && !zz->present[1])
				continue;
			fprintf(out, "%s{\"zone\":\"%s\",", first ? "" : ",", zone_names[z]);
			json_ba(out, "spanned_pages", zz->spanned[0], zz->spanned[1]);
			fputc(',', out);
			json_ba(out, "present_pages", zz->present[0], zz->present[1]);
			fputc(',', out);
			json_ba(out, "managed_pages", zz->managed[0], zz->managed[1]);
			fputc('}', out);
			first = false;
		}
		fprintf(out, "]}");
	}
	fprintf(out, "],\"memmap\":{");
	json_ba(out, "pages", (uint64_t)p->memmap_pages[0], (uint64_t)p->memmap_pages[1]);
	fputc(',', out);
	json_ba(out, "on_blocks_pages", p->memmap_on_blocks[0], p->memmap_on_blocks[1]);
	fprintf(out, "},\"blocks\":[");
	first = true;
	for (i = 0; i < p->nr_blocks; i++) {
		const struct plan_block *b = &p->blocks[i];
		int w;

		if (!b->changed)
			continue;
		fprintf(out, "%s{\"block\":%llu,\"start\":\"%#llx\",\"owner\":", first ? "" : ",",
			(unsigned long long)b->id, (unsigned long long)(b->id * p->block_size));
		json_str(out, b->owner);
		for (w = 0; w < 2; w++)
			fprintf(out, ",\"%s\":{\"state\":\"%s\",\"zone\":%s%s%s,\"node\":%d}",
				w ? "after" : "before", state_name(b->state[w]),
				b->zone[w] >= 0 ? "\"" : "", b->zone[w] >= 0 ? zone_names[b->zone[w]] : "null",
				b->zone[w] >= 0 ? "\"" : "", b->nid[w]);
		fprintf(out, ",\"memmap_in_node_pages\":%llu", (unsigned long long)b->memmap_in_node);
		fprintf(out, ",\"memmap_on_block_pages\":%llu,\"can_offline\":%s,\"offline_errno\":\"%s\",\"offline_reason\":",
			(unsigned long long)b->memmap_on_block,
			b->state[1] == MEM_ONLINE && !b->offline_rc ? "true" : "false",
			b->offline_rc ? hotmem_errno_name(b->offline_rc) : "");
		json_str(out, b->why);
		fputc('}', out);
		first = false;
	}
	fprintf(out, "],\"auto_movable\":[");
	first = true;
	for (const char *l = p->decisions; l && *l; ) {
		const char *nl = strchr(l, '\n');
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(nl ? nl - l : (long)strlen(l)), l);
		fprintf(out, first ? "" : ",");
		json_str(out, line + strspn(line, " "));
		first = false;
		l = nl ? nl + 1 : l + strlen(l);
	}
	fprintf(out, "]}\n");
}
