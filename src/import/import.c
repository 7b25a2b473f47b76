/*
 * import.c - a captured machine booted and put in its captured state
 * (import.h): its configuration, boot RAM versus memory added later, the
 * calibration of MemTotal and MemFree, the final check that every
 * captured block is there as captured.
 *
 * Contract: import.h. A machine that cannot be brought into the captured
 * state is an error naming the block; nothing is returned then.
 * Expected workload: two boots per import (the second calibrated).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"
#include "../platform/platform.h"
#include "../util/errmsg.h"
#include "import.h"
#include "snapshot_int.h"

#define SZ_1G (1ull << 30)

void import_zone_limits(const struct snapshot *s, uint64_t prof_dma,
			uint64_t prof_dma32, uint64_t out[2])
{
	uint64_t pages_per_block = s->block_size >> s->page_shift;
	uint64_t dma_top = 0, above_dma = UINT64_MAX, dma32_top = 0, above_dma32 = UINT64_MAX;
	size_t i;

	out[0] = s->zone_end_pfn[0];
	out[1] = s->zone_end_pfn[1];
	for (i = 0; i < s->nr_blocks; i++) {
		const struct snap_block *b = &s->blocks[i];
		uint64_t start = b->id * pages_per_block, end = start + pages_per_block;

		if (!b->online || b->zone < 0)
			continue;
		if (b->zone == 0 && end > dma_top)
			dma_top = end;
		if (b->zone > 0 && b->zone < 3 && start < above_dma)
			above_dma = start;
		if (b->zone == 1 && end > dma32_top)
			dma32_top = end;
		if (b->zone == 2 && start < above_dma32)
			above_dma32 = start;
	}
	/* the blocks' zones move a limit only where they contradict the
	 * profile's (a DMA block above it, a higher zone below it) */
	if (!out[0] && dma_top > prof_dma)
		out[0] = dma_top;
	if (!out[0] && above_dma < prof_dma && above_dma >= dma_top)
		out[0] = above_dma;
	if (!out[1] && dma32_top > prof_dma32)
		out[1] = dma32_top;
	if (!out[1] && above_dma32 < prof_dma32 && above_dma32 >= dma32_top && dma32_top)
		out[1] = above_dma32;
}

bool import_block_is_boot(const struct snapshot *s, const struct snap_block *b,
			  const uint64_t lim[2], unsigned int page_shift)
{
	uint64_t pfn = (b->id * s->block_size) >> page_shift;
	int boot_zone;

	if (!b->online)
		return false;
	if (b->zone < 0)
		return true;
	if (pfn < lim[0])
		boot_zone = 0;
	else if (pfn < (lim[1] > lim[0] ? lim[1] : lim[0]))
		boot_zone = 1;
	else
		boot_zone = 2;
	return b->zone == boot_zone;
}

/* The effective zone ends (pfn) of s on its profile. */
static void limits_of(const struct snapshot *s, uint64_t lim[2])
{
	const struct arch_profile *p = geometry_profile_find(s->arch);
	uint64_t dma = p->zone_dma_end >> p->page_shift;
	uint64_t dma32 = p->zone_dma32_end >> p->page_shift;
	uint64_t fw[2];

	import_zone_limits(s, dma, dma32 > dma ? dma32 : dma, fw);
	lim[0] = fw[0] ? fw[0] : dma;
	lim[1] = fw[1] ? fw[1] : (dma32 > dma ? dma32 : dma);
}

/* "0-1,3" -> mask */
static uint64_t parse_node_list(const char *t)
{
	uint64_t mask = 0;

	while (*t && *t != '\n') {
		char *end;
		unsigned long a = strtoul(t, &end, 10), b = a;

		if (end == t)
			break;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		for (; a <= b && a < 64; a++)
			mask |= 1ull << a;
		t = *end == ',' ? end + 1 : end;
	}
	return mask;
}

int import_boot_ram(const struct snapshot *s, const struct snap_block *b,
		    int (*fn)(void *ctx, uint64_t start_pfn, uint64_t end_pfn), void *ctx)
{
	uint64_t start = b->id * s->block_size, end = start + s->block_size;
	size_t i;
	int ret;

	if (!s->nr_iomem)
		return fn(ctx, start >> s->page_shift, end >> s->page_shift);
	for (i = 0; i < s->nr_iomem; i++) {
		const struct snap_iomem *r = &s->iomem[i];
		uint64_t a, z;

		if (r->depth || strcmp(r->name, "System RAM"))
			continue;
		a = r->start > start ? r->start : start;
		z = r->end + 1 < end ? r->end + 1 : end;
		/* memblock keeps whole pages */
		a = (a + (1ull << s->page_shift) - 1) >> s->page_shift;
		z >>= s->page_shift;
		if (z > a && (ret = fn(ctx, a, z)))
			return ret;
	}
	return 0;
}

static int add_bytes(void *ctx, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t *sum = ctx;

	sum[0] += (end_pfn - start_pfn) << sum[1];
	return 0;
}

/* The boot RAM bytes of block b: the whole block, or without the
 * holes /proc/iomem shows. */
static uint64_t boot_bytes(const struct snapshot *s, const struct snap_block *b)
{
	uint64_t sum[2] = { 0, s->page_shift };

	import_boot_ram(s, b, add_bytes, sum);
	return sum[0];
}

static void apply_param(struct hotmem_config *c, const struct snapshot *s,
			const char *file, const char *param)
{
	char path[160], val[64];
	const struct snap_file *f;

	snprintf(path, sizeof(path), "/sys/module/memory_hotplug/parameters/%s", file);
	f = snapshot_file(s, path);
	if (!f)
		return;
	snprintf(val, sizeof(val), "%s", f->text);
	val[strcspn(val, "\n")] = '\0';
	hotmem_config_cmdline(c, param, val, NULL, 0);
}

int import_config(const struct snapshot *s, struct hotmem_config *c)
{
	const struct arch_profile *p = geometry_profile_find(s->arch);
	const struct snap_file *f;
	uint64_t lim[2], cpus = 0;
	unsigned int n;
	size_t i;

	snap_strlcpy(c->arch, sizeof(c->arch), s->arch);
	c->block_size_bytes = s->block_size;
	c->mem_bytes = 0;
	c->nr_nodes = p->kconfig & KCONFIG_NUMA ? s->nr_nodes : 0;
	memset(c->nodes, 0, sizeof(c->nodes));
	limits_of(s, lim);
	for (i = 0; i < s->nr_blocks; i++) {
		const struct snap_block *b = &s->blocks[i];
		uint64_t bytes;

		if (!import_block_is_boot(s, b, lim, s->page_shift))
			continue;
		bytes = boot_bytes(s, b);
		c->mem_bytes += bytes;
		if (c->nr_nodes)
			c->nodes[b->nid > 0 ? b->nid : 0].mem_bytes += bytes;
	}
	f = snapshot_file(s, "/sys/devices/system/node/has_cpu");
	if (f)
		cpus = parse_node_list(f->text);
	for (n = 0; n < c->nr_nodes; n++)
		c->nodes[n].has_cpus = f ? !!(cpus >> n & 1) : c->nodes[n].mem_bytes != 0;
	/* the kernel's parameters as they were at capture time */
	apply_param(c, s, "memmap_on_memory", "memory_hotplug.memmap_on_memory");
	apply_param(c, s, "online_policy", "memory_hotplug.online_policy");
	apply_param(c, s, "auto_movable_ratio", "memory_hotplug.auto_movable_ratio");
	apply_param(c, s, "auto_movable_numa_aware", "memory_hotplug.auto_movable_numa_aware");
	if (s->auto_online >= 0) {
		c->default_online_type = s->auto_online;
		c->default_online_type_set = true;
	}
	f = snapshot_file(s, "/proc/cmdline");
	if (f && strstr(f->text, "movable_node"))
		hotmem_config_cmdline(c, "movable_node", NULL, NULL, 0);
	c->boot_reserved_kb = 0;
	c->boot_used_kb = 0;
	return 0;
}

/* ---- boot and apply ---------------------------------------------------- */

static int write_state(struct hotmem_machine *m, uint64_t id, const char *state)
{
	char path[96];
	long r;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state",
		 (unsigned long long)id);
	r = sysfs_write(m, path, state, strlen(state));
	return r < 0 ? (int)r : 0;
}

/* Blocks added after boot, in runs of neighbours on one node; then the
 * online ones onlined into their captured zone. */
static int import_apply(struct hotmem_machine *m, char *err, size_t errlen)
{
	struct import_state *st = m->import;
	const struct snapshot *s = st->snap;
	int saved = m->auto_online_type, ret = 0;
	unsigned int flags = m->memmap_on_memory ? MHP_MEMMAP_ON_MEMORY : 0;
	size_t i, j;

	m->auto_online_type = HOTMEM_MMOP_OFFLINE;
	for (i = 0; i < st->nr_blocks && !ret; i = j) {
		const struct import_block *b = &st->blocks[i];

		j = i + 1;
		if (!b->later)
			continue;
		while (j < st->nr_blocks && st->blocks[j].later &&
		       st->blocks[j].id == st->blocks[j - 1].id + 1 &&
		       st->blocks[j].nid == b->nid)
			j++;
		ret = add_memory(m, b->nid > 0 ? b->nid : 0, b->id * s->block_size,
				 (st->blocks[j - 1].id + 1 - b->id) * s->block_size,
				 flags, "System RAM");
		if (ret)
			errmsg_set(err, errlen, "%s: memory%llu-memory%llu: the model cannot add them as hot-added memory: %s",
				   s->source, (unsigned long long)b->id,
				   (unsigned long long)st->blocks[j - 1].id, hotmem_errno_name(ret));
	}
	for (i = 0; i < st->nr_blocks && !ret; i++) {
		const struct import_block *b = &st->blocks[i];

		if (!b->later || b->state != MEM_ONLINE)
			continue;
		ret = write_state(m, b->id, b->zone == ZONE_MOVABLE ? "online_movable" : "online_kernel");
		if (ret)
			errmsg_set(err, errlen, "%s: memory%llu: the model refuses to online it in %s: %s",
				   s->source, (unsigned long long)b->id,
				   b->zone >= 0 ? zone_names[b->zone] : "its zone", hotmem_errno_name(ret));
	}
	m->auto_online_type = saved;
	return ret;
}

/* Every captured block is in the model, in its captured state. */
static int import_verify(struct hotmem_machine *m, char *err, size_t errlen)
{
	struct import_state *st = m->import;
	size_t i;

	for (i = 0; i < st->nr_blocks; i++) {
		struct import_block *ib = &st->blocks[i];
		const struct memory_block *mb = find_memory_block_by_id(m, ib->id);

		if (!mb || (mb->state == MEM_ONLINE) != (ib->state == MEM_ONLINE)) {
			errmsg_set(err, errlen, "%s: memory%llu: captured %s, but the model has it %s",
				   st->snap->source, (unsigned long long)ib->id,
				   ib->state == MEM_ONLINE ? "online" : "offline",
				   !mb ? "absent" : mb->state == MEM_ONLINE ? "online" : "offline");
			return -EINVAL;
		}
		/* from here on, "as imported" means as the model holds it */
		ib->zone = mb->zone;
		ib->nid = mb->nid;
		ib->state = mb->state;
	}
	return 0;
}

static struct import_state *import_new(struct snapshot *s)
{
	struct import_state *st = calloc(1, sizeof(*st));
	uint64_t lim[2];
	size_t i;

	if (!st)
		return NULL;
	st->blocks = calloc(s->nr_blocks, sizeof(*st->blocks));
	if (!st->blocks) {
		free(st);
		return NULL;
	}
	limits_of(s, lim);
	st->snap = snapshot_get(s);
	st->nr_blocks = s->nr_blocks;
	for (i = 0; i < s->nr_blocks; i++) {
		const struct snap_block *b = &s->blocks[i];

		st->blocks[i].id = b->id;
		st->blocks[i].state = b->online ? MEM_ONLINE : MEM_OFFLINE;
		st->blocks[i].zone = b->zone;
		st->blocks[i].nid = b->nid;
		st->blocks[i].later = !import_block_is_boot(s, b, lim, s->page_shift);
	}
	return st;
}

void import_free(struct import_state *st)
{
	unsigned int n;

	if (!st)
		return;
	snapshot_put(st->snap);
	free(st->blocks);
	free(st->meminfo0);
	free(st->vmstat0);
	for (n = 0; n < HOTMEM_MAX_NODES; n++)
		free(st->node_meminfo0[n]);
	free(st);
}

struct import_state *import_clone(const struct import_state *src)
{
	struct import_state *st = calloc(1, sizeof(*st));
	unsigned int n;

	if (!st)
		return NULL;
	*st = *src;
	st->snap = snapshot_get(src->snap);
	st->blocks = malloc(src->nr_blocks * sizeof(*st->blocks));
	st->meminfo0 = src->meminfo0 ? strdup(src->meminfo0) : NULL;
	st->vmstat0 = src->vmstat0 ? strdup(src->vmstat0) : NULL;
	for (n = 0; n < HOTMEM_MAX_NODES; n++)
		st->node_meminfo0[n] = src->node_meminfo0[n] ? strdup(src->node_meminfo0[n]) : NULL;
	if (st->blocks)
		memcpy(st->blocks, src->blocks, src->nr_blocks * sizeof(*st->blocks));
	if (!st->blocks || (src->meminfo0 && !st->meminfo0) || (src->vmstat0 && !st->vmstat0)) {
		import_free(st);
		return NULL;
	}
	return st;
}

/* The model's own text of the files read back with changes. */
static void record_baseline(struct hotmem_machine *m)
{
	struct import_state *st = m->import;
	unsigned int n;

	sysfs_read(m, "/proc/meminfo", &st->meminfo0);
	sysfs_read(m, "/proc/vmstat", &st->vmstat0);
	for (n = 0; n < m->nr_node_ids && n < HOTMEM_MAX_NODES; n++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/meminfo", n);
		sysfs_read(m, path, &st->node_meminfo0[n]);
	}
	st->hash = hotmem_state_hash(m);
	st->applied = true;
}

/* A meminfo value in kB ("MemTotal"), or -1. */
static long long meminfo_kb(const char *text, const char *key)
{
	const char *p = text;
	size_t n = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, n) && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static int boot_once(const struct hotmem_config *c, struct snapshot *s,
		     struct hotmem_machine **out, char *err, size_t errlen)
{
	struct hotmem_machine *m = calloc(1, sizeof(*m));
	int ret;

	*out = NULL;
	if (!m)
		return -ENOMEM;
	m->cfg = *c;
	sb_init(&m->dmesg);
	sb_init(&m->trace);
	m->import = import_new(s);
	if (!m->import) {
		hotmem_free(m);
		return -ENOMEM;
	}
	m->platform = &platform_snapshot;
	ret = machine_boot(m, err, errlen);
	if (!ret)
		ret = import_apply(m, err, errlen);
	if (!ret)
		ret = import_verify(m, err, errlen);
	if (ret) {
		if (err && errlen && !err[0])
			errmsg_set(err, errlen, "%s: boot failed: %s", s->source,
				   hotmem_errno_name(ret));
		hotmem_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

int import_boot(const struct hotmem_config *c, struct hotmem_machine **out,
		char *err, size_t errlen)
{
	struct snapshot_opts opts = { .page_size = c->snapshot_page_size };
	const struct snap_file *mi;
	struct hotmem_config cfg = *c;
	struct hotmem_machine *m;
	struct snapshot *s;
	char *model = NULL;
	int ret;

	*out = NULL;
	snprintf(opts.arch, sizeof(opts.arch), "%s", c->snapshot_arch);
	ret = snapshot_load(c->snapshot, &opts, &s, err, errlen);
	if (ret)
		return ret;
	cfg.boot_reserved_kb = 0;
	cfg.boot_used_kb = 0;
	ret = boot_once(&cfg, s, &m, err, errlen);
	mi = snapshot_file(s, "/proc/meminfo");
	if (!ret && mi && !sysfs_read(m, "/proc/meminfo", &model)) {
		/* what the kernel kept at boot and what it had in use: the two
		 * model inputs that make MemTotal and MemFree the captured ones */
		long long want_total = meminfo_kb(mi->text, "MemTotal");
		long long want_free = meminfo_kb(mi->text, "MemFree");
		long long total = meminfo_kb(model, "MemTotal");
		long long free_kb = meminfo_kb(model, "MemFree");
		long long page_kb = 1ll << (s->page_shift - 10);

		free(model);
		if (want_total > 0 && total > want_total) {
			long long r = (total - want_total) / page_kb * page_kb;
			long long u = want_free > 0 ? (free_kb - r) - want_free : 0;

			cfg.boot_reserved_kb = (uint64_t)r;
			cfg.boot_used_kb = u > 0 ? (uint64_t)(u / page_kb * page_kb) : 0;
			hotmem_free(m);
			ret = boot_once(&cfg, s, &m, err, errlen);
		}
	}
	if (!ret)
		record_baseline(m);
	snapshot_put(s);
	if (ret)
		return ret;
	*out = m;
	return 0;
}
