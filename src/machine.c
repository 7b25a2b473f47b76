/*
 * machine.c - the machine object: configuration, kernel command line,
 * boot as a QEMU q35 guest with SeaBIOS (observed on a 6.12.95 q35 guest), clone and free, the
 * kernel log and the trace, and the public API entry points.
 *
 * Boot builds, in the kernel's order: e820 -> memblock (RAM per node,
 * reservations), sparse sections and their boot memmaps, zones and
 * their spans and present/managed pages, memory block devices, iomem.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "util/errmsg.h"
#include "util/kstrtox.h"

#define SZ_1M (1ull << 20)
#define SZ_1G (1ull << 30)
#define SZ_4G (4ull << 30)

/* q35 with SeaBIOS: RAM below 4 GiB ends at 2 GiB once RAM exceeds this */
#define Q35_LOWMEM_LIMIT	0xb0000000ull
/*
 * QEMU (AMD CPU models, TCG's default): RAM above 4 GiB that would reach
 * the HyperTransport hole [1012 GiB, 1 TiB) starts at 1 TiB instead.
 */
#define AMD_HT_START		0xfd00000000ull
#define AMD_ABOVE_1TB_START	0x10000000000ull
/* SeaBIOS keeps the last 132 KiB below the end of low RAM */
#define SEABIOS_RESERVED_TAIL	0x21000ull
/* and one page more with -machine nvdimm=on (QEMU's NVDIMM DSM buffer) */
#define NVDIMM_DSM_PAGE		0x1000ull

/*
 * Reproduces MemTotal 1953112 kB of `-m 2G` on Debian's 6.12.95 (observed on a 6.12.95 q35 guest)
 * together with the computed reservations (first MiB, boot memmap, one
 * pg_data_t per possible node).
 */
#define DEFAULT_BOOT_RESERVED_KB 109944ull
/*
 * alloc_node_data(): sizeof(pg_data_t) of Debian's amd64 6.12 config,
 * rounded to pages, for every possible node, memoryless ones included:
 * an extra memoryless node lowers MemTotal by 172 kB (observed on a 6.12.95 q35 guest: 1952940).
 */
#define PGDAT_RESERVED_PAGES 43ull

void hotmem_config_init(struct hotmem_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->arch, "x86_64");
	c->mem_bytes = 2 * SZ_1G;
	c->hypervisor = 1;
	c->memmap_on_memory = HOTMEM_MEMMAP_ON_MEMORY_DISABLE;
	/* until memhp_default_state= says otherwise, the arch profile's
	 * build decides (KCONFIG_MHP_DEFAULT_ONLINE) */
	c->default_online_type = HOTMEM_MMOP_ONLINE;
	c->online_policy = HOTMEM_ONLINE_POLICY_CONTIG_ZONES;
	c->auto_movable_ratio = 301;
	c->auto_movable_numa_aware = 1;
	c->boot_reserved_kb = DEFAULT_BOOT_RESERVED_KB;
}

int hotmem_online_type_from_string(const char *s)
{
	static const char *const names[] = {
		"offline", "online", "online_kernel", "online_movable",
	};
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -EINVAL;
}

/*
 * memmap=SIZE!START[,SIZE!START...] (arch/x86/kernel/e820.c :
 * parse_memmap_one): each adds an E820_TYPE_PRAM range. The other
 * memmap= forms (exactmap, @, #, $, %) are not modelled and ignored.
 */
static int cmdline_memmap(struct hotmem_config *c, const char *value,
			  char *err, size_t errlen)
{
	struct hotmem_config tmp = *c;
	char buf[256], *tok, *save = NULL;

	if (!value || !*value || strlen(value) >= sizeof(buf)) {
		errmsg_set(err, errlen, "memmap: needs SIZE!START");
		return -EINVAL;
	}
	strcpy(buf, value);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *bang = strchr(tok, '!');
		uint64_t size, start;

		if (!bang) {
			errmsg_set(err, errlen, "memmap=%s: only the SIZE!START (legacy pmem) form is modelled; ignored", value);
			return HOTMEM_CMDLINE_IGNORED;
		}
		*bang = '\0';
		if (hotmem_parse_size(tok, &size) || hotmem_parse_size(bang + 1, &start) || !size) {
			errmsg_set(err, errlen, "memmap=%s: malformed SIZE!START", value);
			return -EINVAL;
		}
		if ((size | start) & 0xfff) {
			errmsg_set(err, errlen, "memmap=%s: SIZE and START must be multiples of 4K in the model", value);
			return -EINVAL;
		}
		if (tmp.nr_pmem == HOTMEM_MAX_PMEM) {
			errmsg_set(err, errlen, "memmap=%s: at most %d legacy pmem ranges", value, HOTMEM_MAX_PMEM);
			return -EINVAL;
		}
		tmp.pmem[tmp.nr_pmem].start = start;
		tmp.pmem[tmp.nr_pmem].size = size;
		tmp.nr_pmem++;
	}
	*c = tmp;
	return 0;
}

/*
 * The kernel parameters hotmem knows, one parser each. A parser returns
 * 0, HOTMEM_CMDLINE_IGNORED (the kernel would ignore the value) or
 * -EINVAL, and changes *c only on 0. value is NULL for a bare flag.
 */
typedef int cmdline_parse_fn(struct hotmem_config *c, const char *param,
			     const char *value, char *err, size_t errlen);

static int cmdline_memmap_on_memory(struct hotmem_config *c, const char *param,
				    const char *value, char *err, size_t errlen)
{
	int b;

	/* a bare flag means "enable", as for any bool parameter */
	if (!value || !strcmp(value, "force") || !strcmp(value, "FORCE")) {
		c->memmap_on_memory = value ? HOTMEM_MEMMAP_ON_MEMORY_FORCE :
				      HOTMEM_MEMMAP_ON_MEMORY_ENABLE;
		return 0;
	}
	if (kstrtobool(value, &b)) {
		errmsg_set(err, errlen, "%s: invalid value '%s' (bool or force)", param, value);
		return -EINVAL;
	}
	c->memmap_on_memory = b ? HOTMEM_MEMMAP_ON_MEMORY_ENABLE :
			      HOTMEM_MEMMAP_ON_MEMORY_DISABLE;
	return 0;
}

static int cmdline_memhp_default_state(struct hotmem_config *c, const char *param,
				       const char *value, char *err, size_t errlen)
{
	int t = value ? hotmem_online_type_from_string(value) : -EINVAL;

	/* the kernel ignores a word it does not know, and so do we */
	if (t < 0) {
		errmsg_set(err, errlen, "%s: unknown state '%s' ignored, as the kernel does",
			param, value ? value : "");
		return HOTMEM_CMDLINE_IGNORED;
	}
	c->default_online_type = t;
	c->default_online_type_set = true;
	return 0;
}

/* A parameter whose value is one word of a list: its value, or -1. */
struct cmdline_word {
	const char *word;
	int value;
};

static int cmdline_choose(const struct cmdline_word *words, size_t n,
			  const char *value)
{
	size_t i;

	for (i = 0; value && i < n; i++)
		if (!strcmp(value, words[i].word))
			return words[i].value;
	return -1;
}

#define CHOOSE(words, value) \
	cmdline_choose(words, sizeof(words) / sizeof(words[0]), value)

static int cmdline_online_policy(struct hotmem_config *c, const char *param,
				 const char *value, char *err, size_t errlen)
{
	static const struct cmdline_word words[] = {
		{ "contig-zones", HOTMEM_ONLINE_POLICY_CONTIG_ZONES },
		{ "auto-movable", HOTMEM_ONLINE_POLICY_AUTO_MOVABLE },
	};
	int v = CHOOSE(words, value);

	if (v < 0) {
		errmsg_set(err, errlen, "%s: invalid value '%s' (contig-zones or auto-movable)",
			param, value ? value : "");
		return -EINVAL;
	}
	c->online_policy = v;
	return 0;
}

static int cmdline_auto_movable_ratio(struct hotmem_config *c, const char *param,
				      const char *value, char *err, size_t errlen)
{
	char *end;
	unsigned long v;

	if (!value || !*value) {
		errmsg_set(err, errlen, "%s needs a value", param);
		return -EINVAL;
	}
	v = strtoul(value, &end, 0);
	if (*end || v > 0xffffffffUL || value[0] == '-') {
		errmsg_set(err, errlen, "%s: invalid value '%s'", param, value);
		return -EINVAL;
	}
	c->auto_movable_ratio = (unsigned int)v;
	return 0;
}

static int cmdline_auto_movable_numa_aware(struct hotmem_config *c, const char *param,
					   const char *value, char *err, size_t errlen)
{
	int b = 1;

	if (value && kstrtobool(value, &b)) {
		errmsg_set(err, errlen, "%s: invalid value '%s'", param, value);
		return -EINVAL;
	}
	c->auto_movable_numa_aware = b;
	return 0;
}

static int cmdline_transparent_hugepage(struct hotmem_config *c, const char *param,
					const char *value, char *err, size_t errlen)
{
	static const struct cmdline_word words[] = {
		{ "always", 0 }, { "madvise", 0 }, { "never", 1 },
	};
	int v = CHOOSE(words, value);

	if (v < 0) {
		errmsg_set(err, errlen, "%s: unknown value '%s' ignored, as the kernel does",
			param, value ? value : "");
		return HOTMEM_CMDLINE_IGNORED;
	}
	c->transparent_hugepage_never = v;
	return 0;
}

static int cmdline_memmap_param(struct hotmem_config *c, const char *param,
				const char *value, char *err, size_t errlen)
{
	(void)param;
	return cmdline_memmap(c, value, err, errlen);
}

static int cmdline_inject_bug(struct hotmem_config *c, const char *param,
			      const char *value, char *err, size_t errlen)
{
	/* test only: a deliberate bug for the checker to catch */
	static const struct cmdline_word words[] = {
		{ "none", HOTMEM_INJECT_NONE },
		{ "offline-vmemmap-present", HOTMEM_INJECT_OFFLINE_VMEMMAP_PRESENT },
	};
	int v = CHOOSE(words, value);

	if (v < 0) {
		errmsg_set(err, errlen, "%s: unknown bug '%s' (none or offline-vmemmap-present)",
			param, value ? value : "");
		return -EINVAL;
	}
	c->test_inject = v;
	return 0;
}

static int cmdline_movable_node(struct hotmem_config *c, const char *param,
				const char *value, char *err, size_t errlen)
{
	(void)param; (void)value; (void)err; (void)errlen;
	c->movable_node = 1;
	return 0;
}

static const struct {
	const char *name;
	cmdline_parse_fn *parse;
} cmdline_params[] = {
	{ "memory_hotplug.memmap_on_memory", cmdline_memmap_on_memory },
	{ "memhp_default_state", cmdline_memhp_default_state },
	{ "memory_hotplug.online_policy", cmdline_online_policy },
	{ "memory_hotplug.auto_movable_ratio", cmdline_auto_movable_ratio },
	{ "memory_hotplug.auto_movable_numa_aware", cmdline_auto_movable_numa_aware },
	{ "transparent_hugepage", cmdline_transparent_hugepage },
	{ "memmap", cmdline_memmap_param },
	{ "hotmem.inject_bug", cmdline_inject_bug },
	{ "movable_node", cmdline_movable_node },
};

int hotmem_config_cmdline(struct hotmem_config *c, const char *param,
			  const char *value, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < sizeof(cmdline_params) / sizeof(cmdline_params[0]); i++)
		if (!strcmp(param, cmdline_params[i].name))
			return cmdline_params[i].parse(c, param, value, err, errlen);
	errmsg_set(err, errlen, "unknown kernel parameter '%s'", param);
	return HOTMEM_CMDLINE_UNKNOWN;
}

int hotmem_arch_supported(const char *arch)
{
	struct hm_geometry g;

	return geometry_init(&g, arch) == 0;
}

const char *hotmem_arch_names(void)
{
	return geometry_arch_names();
}

const char *hotmem_arch_profile_name(unsigned int i)
{
	size_t n;
	const struct arch_profile *p = geometry_profiles(&n);

	return i < n ? p[i].name : NULL;
}

void machine_log(struct hotmem_machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&m->dmesg, fmt, ap);
	va_end(ap);
	sb_puts(&m->dmesg, "\n");
}

void machine_trace(struct hotmem_machine *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->trace_on)
		return;
	va_start(ap, fmt);
	sb_vprintf(&m->trace, fmt, ap);
	va_end(ap);
	sb_puts(&m->trace, "\n");
}

uint64_t totalram_pages(const struct hotmem_machine *m)
{
	uint64_t sum = 0;
	unsigned int n;
	int z;

	for (n = 0; n < m->nr_node_ids; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			sum += m->nodes[n].zones[z].managed_pages;
	return sum;
}

uint64_t global_free_pages(const struct hotmem_machine *m)
{
	uint64_t sum = 0;
	unsigned int n;
	int z;

	for (n = 0; n < m->nr_node_ids; n++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			sum += zone_free_pages(m, (int)n, z);
	return sum;
}

/*
 * calculate_totalreserve_pages: per zone of an online node, the largest
 * lowmem_reserve it keeps against higher zones plus its high watermark,
 * at most its managed pages. The kernel recomputes it whenever
 * watermarks or lowmem_reserve change; computing it from them on demand
 * gives the same figure.
 */
uint64_t totalreserve_pages(const struct hotmem_machine *m)
{
	uint64_t sum = 0;
	unsigned int n;
	int i, j;

	for (n = 0; n < m->nr_node_ids; n++) {
		if (!m->nodes[n].online)
			continue;
		for (i = 0; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &m->nodes[n].zones[i];
			uint64_t max = 0;

			for (j = i; j < MAX_NR_ZONES; j++)
				if (z->lowmem_reserve[j] > 0 &&
				    (uint64_t)z->lowmem_reserve[j] > max)
					max = (uint64_t)z->lowmem_reserve[j];
			max += z->watermark[WMARK_HIGH];
			if (max > z->managed_pages)
				max = z->managed_pages;
			sum += max;
		}
	}
	return sum;
}

/* ---- boot --------------------------------------------------------------- */

struct phys_range {
	uint64_t start, end;	/* bytes, end exclusive */
};

static int memblock_add(struct hotmem_machine *m, uint64_t start_pfn,
			uint64_t end_pfn, int nid)
{
	struct memblock_region *p;

	if (end_pfn <= start_pfn)
		return 0;
	p = realloc(m->memblock, (m->nr_memblock + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	m->memblock = p;
	p[m->nr_memblock].start_pfn = start_pfn;
	p[m->nr_memblock].end_pfn = end_pfn;
	p[m->nr_memblock].nid = nid;
	m->nr_memblock++;
	return 0;
}

/*
 * End pfn of a boot zone, from the profile's boot layout (x86: DMA below
 * 16 MiB, DMA32 below 4 GiB; see docs/architectures.md for the others).
 * A zone the arch leaves empty ends where the one below it ends.
 */
uint64_t zone_limit_pfn(const struct hotmem_machine *m, int zid)
{
	const struct arch_profile *p = m->geo.profile;
	uint64_t dma = p->zone_dma_end >> m->geo.page_shift;
	uint64_t dma32 = p->zone_dma32_end >> m->geo.page_shift;

	if (zid == ZONE_DMA)
		return dma;
	if (zid == ZONE_DMA32)
		return dma32 > dma ? dma32 : dma;
	return UINT64_MAX;
}

/* Reserve RAM pages [hi - pages, hi) of nid top-down (memblock_alloc). */
static int memblock_reserve_top_down(struct hotmem_machine *m, int nid,
				     uint64_t pages)
{
	size_t i;

	for (i = m->nr_memblock; i-- > 0 && pages;) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t hi = r->end_pfn;

		if (r->nid != nid)
			continue;
		while (hi > r->start_pfn && pages) {
			size_t k = 0;
			uint64_t lo = hi > r->start_pfn + pages ? hi - pages : r->start_pfn;
			uint64_t free_lo = lo;
			int zid;

			/* stop below any extent already reserved in the way */
			for (k = 0; k < m->extents.n; k++) {
				const struct page_extent *e = &m->extents.v[k];

				if (e->pfn < hi && e->pfn + e->nr > free_lo)
					free_lo = e->pfn + e->nr;
			}
			if (free_lo >= hi) {
				/* hi is covered: skip below the covering extent */
				uint64_t below = hi;

				for (k = 0; k < m->extents.n; k++) {
					const struct page_extent *e = &m->extents.v[k];

					if (e->pfn < hi && e->pfn + e->nr >= hi && e->pfn < below)
						below = e->pfn;
				}
				if (below == hi)
					break;
				hi = below;
				continue;
			}
			lo = free_lo;
			/* split at zone boundaries */
			for (zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
				uint64_t zl = zid == ZONE_DMA ? 0 : zone_limit_pfn(m, zid - 1);
				uint64_t zh = zone_limit_pfn(m, zid);
				uint64_t s = lo > zl ? lo : zl, e2 = hi < zh ? hi : zh;
				struct page_extent e;

				if (s >= e2)
					continue;
				e.pfn = s;
				e.nr = e2 - s;
				e.kind = EXTENT_RESERVED;
				e.zone = (uint8_t)zid;
				e.nid = (int16_t)nid;
				if (extents_insert(&m->extents, e))
					return -ENOMEM;
			}
			pages -= hi - lo;
			hi = lo;
		}
	}
	return 0;
}

static int reserve_range(struct hotmem_machine *m, uint64_t start_pfn,
			 uint64_t end_pfn, enum extent_kind kind)
{
	size_t i;
	int zid;

	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		uint64_t s = r->start_pfn > start_pfn ? r->start_pfn : start_pfn;
		uint64_t e = r->end_pfn < end_pfn ? r->end_pfn : end_pfn;

		for (zid = ZONE_DMA; zid <= ZONE_NORMAL && s < e; zid++) {
			uint64_t zh = zone_limit_pfn(m, zid);
			uint64_t ce = e < zh ? e : zh;
			struct page_extent x;

			if (s >= ce)
				continue;
			x.pfn = s;
			x.nr = ce - s;
			x.kind = (uint8_t)kind;
			x.zone = (uint8_t)zid;
			x.nid = (int16_t)r->nid;
			if (extents_insert(&m->extents, x))
				return -ENOMEM;
			s = ce;
		}
	}
	return 0;
}

static void free_area_init(struct hotmem_machine *m)
{
	size_t i;
	int zid;

	for (i = 0; i < m->nr_memblock; i++) {
		const struct memblock_region *r = &m->memblock[i];
		struct pglist_data *pgdat = &m->nodes[r->nid];
		uint64_t s = r->start_pfn;

		for (zid = ZONE_DMA; zid <= ZONE_NORMAL && s < r->end_pfn; zid++) {
			uint64_t zh = zone_limit_pfn(m, zid);
			uint64_t e = r->end_pfn < zh ? r->end_pfn : zh;
			struct zone *z = &pgdat->zones[zid];

			if (s >= e)
				continue;
			resize_zone_and_pgdat_range(m, r->nid, zid, s, e - s);
			z->present_pages += e - s;
			z->present_early_pages += e - s;
			pgdat->node_present_pages += e - s;
			s = e;
		}
	}
	/*
	 * zone_spanned_pages_in_node: a zone spans the node's whole range
	 * clamped to the zone's limits, holes included (with -m 4G, DMA32
	 * spans 16 MiB..4 GiB although RAM ends at 2 GiB below 4 GiB).
	 */
	for (i = 0; i < m->nr_node_ids; i++) {
		struct pglist_data *pgdat = &m->nodes[i];
		uint64_t ns = pgdat->node_start_pfn;
		uint64_t ne = ns + pgdat->node_spanned_pages;

		if (!pgdat->node_spanned_pages)
			continue;
		for (zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
			uint64_t zl = zid == ZONE_DMA ? 0 : zone_limit_pfn(m, zid - 1);
			uint64_t zh = zone_limit_pfn(m, zid);
			uint64_t zs = ns < zl ? zl : ns > zh ? zh : ns;
			uint64_t ze = ne < zl ? zl : ne > zh ? zh : ne;
			struct zone *z = &pgdat->zones[zid];

			if (ze > zs) {
				z->zone_start_pfn = zs;
				z->spanned_pages = ze - zs;
			}
		}
	}
}

static void setup_managed_pages(struct hotmem_machine *m)
{
	unsigned int n;
	int zid;

	for (n = 0; n < m->nr_node_ids; n++)
		for (zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
			struct zone *z = &m->nodes[n].zones[zid];

			z->managed_pages = z->present_pages -
				extents_pages(&m->extents, (int)n, zid, EXTENT_RESERVED);
		}
}

static uint64_t probe_memory_block_size(const struct hotmem_machine *m,
					uint64_t boot_mem_end)
{
	uint64_t bz;

	if (m->cfg.block_size_bytes)
		return m->cfg.block_size_bytes;
	switch (m->geo.profile->block_rule) {
	case BLOCK_SIZE_SECTION:
		return 1ull << m->geo.section_size_bits;
	case BLOCK_SIZE_PPC_LMB:
		/* QEMU pseries: ibm,lmb-size = SPAPR_MEMORY_BLOCK_SIZE */
		return 256 * SZ_1M;
	case BLOCK_SIZE_S390_RZM:
		return sclp_rzm(&m->cfg) > 256 * SZ_1M ? sclp_rzm(&m->cfg) : 256 * SZ_1M;
	case BLOCK_SIZE_X86_PROBE:
		break;
	}
	if (boot_mem_end < 64 * SZ_1G)
		return 128 * SZ_1M;
	if (!m->cfg.hypervisor)
		return 2 * SZ_1G;
	for (bz = 2 * SZ_1G; bz > 128 * SZ_1M; bz >>= 1)
		if (!(boot_mem_end & (bz - 1)))
			return bz;
	return 128 * SZ_1M;
}

/* Kernel allocations made during boot (slab, page tables): lowest first. */
static int boot_kernel_allocations(struct hotmem_machine *m, uint64_t pages)
{
	while (pages) {
		unsigned int order = 0;
		uint64_t pfn;
		int nid;

		while (order < 9 && (2ull << order) <= pages)
			order++;
		if (alloc_pages_node(m, 0, order, &pfn, &nid))
			return -ENOMEM;
		pages -= 1ull << order;
	}
	return 0;
}

static const char *const e820_reserved = "Reserved";

static uint64_t q35_above_4g_start(const struct hotmem_config *c)
{
	uint64_t lowmem = c->mem_bytes < Q35_LOWMEM_LIMIT ? c->mem_bytes : 2 * SZ_1G;

	return SZ_4G + (c->mem_bytes - lowmem) > AMD_HT_START ? AMD_ABOVE_1TB_START : SZ_4G;
}

/*
 * e820 sanitising of the memmap=SIZE!START ranges: sorted, overlapping
 * or adjacent PRAM entries merged (sanitize_e820_table joins equal types).
 */
static void pram_sanitize(struct hotmem_config *c)
{
	unsigned int i, j, n = 0;

	for (i = 1; i < c->nr_pmem; i++)
		for (j = i; j > 0 && c->pmem[j - 1].start > c->pmem[j].start; j--) {
			struct hotmem_pmem_range t = c->pmem[j];

			c->pmem[j] = c->pmem[j - 1];
			c->pmem[j - 1] = t;
		}
	for (i = 0; i < c->nr_pmem; i++) {
		uint64_t end = c->pmem[i].start + c->pmem[i].size;

		if (n && c->pmem[i].start <= c->pmem[n - 1].start + c->pmem[n - 1].size) {
			if (end > c->pmem[n - 1].start + c->pmem[n - 1].size)
				c->pmem[n - 1].size = end - c->pmem[n - 1].start;
			continue;
		}
		c->pmem[n++] = c->pmem[i];
	}
	c->nr_pmem = n;
}

/*
 * The parts of [s, e) that no PRAM range covers: PRAM (type 12) wins
 * over RAM (type 1) where they overlap, as e820 sanitising keeps the
 * higher type. Returns the number of pieces written to out.
 */
static unsigned int pram_carve(const struct hotmem_config *c, uint64_t s,
			       uint64_t e, struct phys_range *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nr_pmem && s < e; i++) {
		uint64_t ps = c->pmem[i].start, pe = ps + c->pmem[i].size;

		if (pe <= s || ps >= e)
			continue;
		if (ps > s)
			out[n++] = (struct phys_range){ s, ps };
		s = pe;
	}
	if (s < e)
		out[n++] = (struct phys_range){ s, e };
	return n;
}

static int q35_e820_and_memblock(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t lowmem = c->mem_bytes < Q35_LOWMEM_LIMIT ? c->mem_bytes : 2 * SZ_1G;
	uint64_t highmem = c->mem_bytes - lowmem;
	uint64_t tail = SEABIOS_RESERVED_TAIL + (c->nvdimm ? NVDIMM_DSM_PAGE : 0);
	struct phys_range usable[3];
	/* the e820 reservations SeaBIOS and q35 report (observed on a 6.12.95 q35 guest) */
	struct phys_range reserved[] = {
		{ 0x0, 0x1000 },			/* the kernel trims page 0 */
		{ 0x9fc00, 0xa0000 },
		{ 0xf0000, 0x100000 },
		{ lowmem - tail, lowmem },
		{ 0xb0000000, 0xc0000000 },		/* PCI ECAM */
		{ 0xfed1c000, 0xfed20000 },
		{ 0xfffc0000, 0x100000000 },
		{ 0xfd00000000, 0x10000000000 },
	};
	uint64_t node_off[MAX_NUMNODES + 1], off = 0;
	unsigned int nr_usable = 0, n, i;
	int ret;

	if (lowmem < 16 * SZ_1M) {
		errmsg_set(err, errlen, "mem=%llu: a q35 guest needs at least 16M of RAM",
			(unsigned long long)c->mem_bytes);
		return -EINVAL;
	}
	usable[nr_usable++] = (struct phys_range){ 0x1000, 0x9f000 };
	usable[nr_usable++] = (struct phys_range){ 0x100000, lowmem - tail };
	if (highmem)
		usable[nr_usable++] = (struct phys_range){ q35_above_4g_start(c),
							   q35_above_4g_start(c) + highmem };

	/* nodes take RAM in node order: offsets into low then high RAM */
	for (n = 0; n < m->nr_node_ids; n++) {
		node_off[n] = off;
		off += m->nr_node_ids == 1 && !c->nr_nodes ? c->mem_bytes :
		       c->nodes[n].mem_bytes;
	}
	node_off[m->nr_node_ids] = off;
	for (i = 0; i < nr_usable; i++) {
		for (n = 0; n < m->nr_node_ids; n++) {
			uint64_t ns = node_off[n], ne = node_off[n + 1];
			/* phys -> RAM offset: high RAM continues after lowmem */
			uint64_t base = usable[i].start >= SZ_4G ?
					usable[i].start - lowmem : 0;
			uint64_t s = ns + base, e = ne + base;

			if (ns == ne)
				continue;
			if (s < usable[i].start)
				s = usable[i].start;
			if (e > usable[i].end)
				e = usable[i].end;
			if (s >= e)
				continue;
			{
				struct phys_range piece[HOTMEM_MAX_PMEM + 1];
				unsigned int k, np = pram_carve(c, s, e, piece);

				for (k = 0; k < np; k++) {
					ret = memblock_add(m, piece[k].start >> 12,
							   piece[k].end >> 12, (int)n);
					if (ret)
						return ret;
				}
			}
		}
	}
	/* iomem: e820 entries as top-level resources */
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		ret = request_mem_region(&m->iomem, reserved[i].start,
					 reserved[i].end - reserved[i].start,
					 e820_reserved, 0, NULL);
		if (ret)
			return ret;
	}
	for (i = 0; i < nr_usable; i++) {
		struct phys_range piece[HOTMEM_MAX_PMEM + 1];
		uint64_t end = usable[i].end;
		unsigned int k, np;

		/* the first range is 0x1000-0x9fbff in e820 */
		if (i == 0)
			end = 0x9fc00;
		np = pram_carve(c, usable[i].start, end, piece);
		for (k = 0; k < np; k++) {
			ret = request_mem_region(&m->iomem, piece[k].start,
						 piece[k].end - piece[k].start, "System RAM",
						 IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
			if (ret)
				return ret;
		}
	}
	/* e820 type 12: not busy, so that nvdimm can claim it (do_mark_busy) */
	for (i = 0; i < c->nr_pmem; i++) {
		ret = request_mem_region(&m->iomem, c->pmem[i].start, c->pmem[i].size,
					 "Persistent Memory (legacy)", 0, NULL);
		if (ret) {
			errmsg_set(err, errlen, "memmap=: legacy pmem [mem %#llx-%#llx] overlaps a reserved e820 range (the model only carves PRAM out of RAM or free space)",
				(unsigned long long)c->pmem[i].start,
				(unsigned long long)(c->pmem[i].start + c->pmem[i].size - 1));
			return -EINVAL;
		}
	}
	return 0;
}

static int q35_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t lowmem = c->mem_bytes < Q35_LOWMEM_LIMIT ? c->mem_bytes : 2 * SZ_1G;
	uint64_t highmem = c->mem_bytes - lowmem;

	if (!c->slots && !c->maxmem_bytes)
		return 0;
	if (c->maxmem_bytes < c->mem_bytes) {
		errmsg_set(err, errlen, "maxmem (%llu) must not be smaller than mem (%llu)",
			(unsigned long long)c->maxmem_bytes,
			(unsigned long long)c->mem_bytes);
		return -EINVAL;
	}
	if (c->slots > 256) {
		errmsg_set(err, errlen, "slots=%u: QEMU allows at most 256 memory slots", c->slots);
		return -EINVAL;
	}
	m->device_memory_base = highmem ? (q35_above_4g_start(c) + highmem + SZ_1G - 1) &
					  ~(SZ_1G - 1) : SZ_4G;
	m->device_memory_size = c->maxmem_bytes - c->mem_bytes + (uint64_t)c->slots * SZ_1G;
	return 0;
}

/*
 * Boot layout of the non-q35 machines (docs/architectures.md): boot RAM
 * is one range from the profile's ram_base (arm64 virt 1 GiB, riscv64
 * virt 2 GiB, pseries and s390-ccw-virtio 0), split between the nodes
 * in node order; no firmware holes are modelled.
 */
static int simple_memblock(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t base = m->geo.profile->ram_base, off = 0;
	unsigned int n;
	int ret;

	if (c->mem_bytes < (1ull << m->geo.section_size_bits)) {
		errmsg_set(err, errlen, "mem=%llu: less than one %lluM section",
			(unsigned long long)c->mem_bytes,
			(unsigned long long)(1ull << (m->geo.section_size_bits - 20)));
		return -EINVAL;
	}
	for (n = 0; n < m->nr_node_ids; n++) {
		uint64_t size = c->nr_nodes ? c->nodes[n].mem_bytes : c->mem_bytes;

		ret = memblock_add(m, PHYS_PFN(m, base + off),
				   PHYS_PFN(m, base + off + size), (int)n);
		if (ret)
			return ret;
		off += size;
	}
	return request_mem_region(&m->iomem, base, c->mem_bytes, "System RAM",
				  IORESOURCE_SYSRAM | IORESOURCE_BUSY, NULL);
}

/*
 * DIMM hotplug area, as QEMU's virt machines place it: from the end of
 * RAM rounded up to 1 GiB, maxmem - mem plus 1 GiB per slot. s390 has
 * no DIMMs: its hotplug memory is standby storage (standby=).
 */
static int simple_device_memory(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t end = m->geo.profile->ram_base + c->mem_bytes;

	if (!strcmp(m->geo.profile->family, "s390x")) {
		if (c->slots || c->maxmem_bytes) {
			errmsg_set(err, errlen, "s390-ccw-virtio has no DIMM slots; "
				"hotplug memory on s390 is standby memory (standby=SIZE)");
			return -EINVAL;
		}
		return 0;
	}
	if (!c->slots && !c->maxmem_bytes)
		return 0;
	if (c->maxmem_bytes < c->mem_bytes) {
		errmsg_set(err, errlen, "maxmem (%llu) must not be smaller than mem (%llu)",
			(unsigned long long)c->maxmem_bytes,
			(unsigned long long)c->mem_bytes);
		return -EINVAL;
	}
	m->device_memory_base = (end + SZ_1G - 1) & ~(SZ_1G - 1);
	m->device_memory_size = c->maxmem_bytes - c->mem_bytes + (uint64_t)c->slots * SZ_1G;
	return 0;
}

/* A size in the largest of K, M, G, T, P, E that divides it ("64T"). */
static const char *size_text(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (u < 5 && v && !(v & 1023)) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
	return buf;
}

/*
 * Everything the machine maps (boot RAM, then the DIMM hotplug area
 * maxmem and the slots reserve) must lie below the architecture's
 * physical address limit, MAX_PHYSMEM_BITS: the kernel has no section
 * beyond it, and QEMU refuses a machine whose address space is larger
 * than the CPU's physical address bits (with TCG's CPUs, 40 bits: 1 TiB,
 * the hotplug area and the 64-bit PCI hole included).
 */
static int check_phys_limit(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	unsigned int bits = m->geo.max_physmem_bits;
	uint64_t limit = 1ull << bits, ram_end;
	char lim[32], size[32];

	if (!strcmp(m->geo.profile->machine, "q35")) {
		uint64_t lowmem = c->mem_bytes < Q35_LOWMEM_LIMIT ? c->mem_bytes : 2 * SZ_1G;

		ram_end = c->mem_bytes > lowmem ?
			  q35_above_4g_start(c) + c->mem_bytes - lowmem : lowmem;
	} else {
		ram_end = m->geo.profile->ram_base + c->mem_bytes;
	}
	if (c->mem_bytes >= limit || ram_end > limit) {
		errmsg_set(err, errlen, "mem=%s: RAM would end at %#llx, beyond the physical address limit of %s: %u bits, %s (MAX_PHYSMEM_BITS)",
			size_text(c->mem_bytes, size, sizeof(size)),
			(unsigned long long)ram_end, m->geo.profile->name, bits,
			size_text(limit, lim, sizeof(lim)));
		return -EINVAL;
	}
	if (m->device_memory_size &&
	    (m->device_memory_size >= limit ||
	     m->device_memory_base + m->device_memory_size > limit)) {
		errmsg_set(err, errlen, "maxmem=%s slots=%u: the DIMM hotplug area [%#llx-%#llx] would end beyond the physical address limit of %s: %u bits, %s (MAX_PHYSMEM_BITS)",
			size_text(c->maxmem_bytes, size, sizeof(size)), c->slots,
			(unsigned long long)m->device_memory_base,
			(unsigned long long)(m->device_memory_base + m->device_memory_size - 1),
			m->geo.profile->name, bits,
			size_text(limit, lim, sizeof(lim)));
		return -EINVAL;
	}
	return 0;
}

/*
 * The proximity domains QEMU's SRAT names, in the order acpi_numa_init()
 * meets them (CPU entries first, in CPU order, then memory entries by
 * address, then the DIMM area's entry, which QEMU gives the last node):
 * a node with memory, one with CPUs, and the last node when the machine
 * has device memory (maxmem). A node with neither is in no entry.
 * Returns how many nodes are named, or -1 if Linux, which numbers nodes
 * as it meets them, would number them otherwise than QEMU (acpi_map_pxm_to_node);
 * *skipped and *named are then the pair that shows it.
 */
int srat_named_nodes(const struct hotmem_machine *m, unsigned int *skipped,
		     unsigned int *named)
{
	const struct hotmem_config *c = &m->cfg;
	unsigned int order[MAX_NUMNODES], k = 0, n, i;
	bool seen[MAX_NUMNODES] = { false };

	if (!c->nr_nodes)
		return 1;
	for (n = 0; n < c->nr_nodes; n++)	/* one CPU per node with CPUs */
		if (m->nodes[n].has_cpu && !seen[n])
			seen[n] = true, order[k++] = n;
	for (n = 0; n < c->nr_nodes; n++)
		if (c->nodes[n].mem_bytes && !seen[n])
			seen[n] = true, order[k++] = n;
	n = c->nr_nodes - 1;
	if (c->maxmem_bytes > c->mem_bytes && !seen[n])
		seen[n] = true, order[k++] = n;
	for (i = 0; i < k; i++) {
		if (order[i] == i)
			continue;
		/* node i is met later than order[i], or never */
		*named = order[i];
		*skipped = i;
		return -1;
	}
	return (int)k;
}

/*
 * x86 numa_init() over QEMU's SRAT: node_possible_map is the nodes SRAT
 * names and those the CXL windows at power-on get from acpi_parse_cfmws()
 * (the next proximity domains, so the next node ids). A node QEMU has
 * but SRAT does not name is not possible: no pg_data_t, not in
 * /sys/devices/system/node/possible (observed on 6.12.95: `numa
 * node=1 mem=0` without maxmem shows possible "0"). Other profiles (no
 * SRAT in the model) keep every node possible.
 */
static int acpi_numa_init(struct hotmem_machine *m, char *err, size_t errlen)
{
	unsigned int n, skipped = 0, named = 0;
	int k;

	if (strcmp(m->geo.profile->machine, "q35")) {
		for (n = 0; n < m->nr_node_ids; n++)
			m->nodes[n].possible = true;
		return 0;
	}
	k = srat_named_nodes(m, &skipped, &named);
	if (k < 0) {
		if (!m->nodes[skipped].has_cpu && !m->cfg.nodes[skipped].mem_bytes)
			errmsg_set(err, errlen, "numa: node %u has no memory or CPUs but node %u has: Linux would number the nodes differently (not modelled)",
				skipped, named);
		else
			errmsg_set(err, errlen, "numa: Linux meets node %u in SRAT before node %u and would number the nodes differently (not modelled)",
				named, skipped);
		return -EINVAL;
	}
	for (n = 0; n < m->nr_node_ids; n++)
		m->nodes[n].possible = n < (unsigned int)k + m->cfg.nr_cxl;
	return 0;
}

static int machine_boot(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	uint64_t boot_mem_end = 0, sum = 0;
	unsigned int n;
	size_t i;
	int ret;

	ret = geometry_init(&m->geo, c->arch);
	if (ret) {
		errmsg_set(err, errlen, "arch=%s: unknown architecture (known: %s)", c->arch,
			geometry_arch_names());
		return ret;
	}
	if (c->nr_nodes > MAX_NUMNODES) {
		errmsg_set(err, errlen, "at most %d NUMA nodes", MAX_NUMNODES);
		return -EINVAL;
	}
	/* Without CONFIG_NUMA the kernel has one node whatever the firmware
	 * describes (Debian's s390x 6.12 build): a layout would mean nothing. */
	if (c->nr_nodes > 1 && !(m->geo.profile->kconfig & KCONFIG_NUMA)) {
		errmsg_set(err, errlen, "numa: the %s kernel is built without CONFIG_NUMA (one node only)",
			m->geo.arch);
		return -EINVAL;
	}
	if (c->nr_nodes) {
		for (n = 0; n < c->nr_nodes; n++)
			sum += c->nodes[n].mem_bytes;
		if (sum != c->mem_bytes) {
			errmsg_set(err, errlen, "the nodes' memory (%llu) does not add up to mem (%llu)",
				(unsigned long long)sum, (unsigned long long)c->mem_bytes);
			return -EINVAL;
		}
	}
	if (c->mem_bytes & ((1ull << m->geo.page_shift) - 1)) {
		errmsg_set(err, errlen, "mem=%llu is not a multiple of the page size",
			(unsigned long long)c->mem_bytes);
		return -EINVAL;
	}
	if (c->standby_bytes && strcmp(m->geo.profile->family, "s390x")) {
		errmsg_set(err, errlen, "standby= is s390 standby memory; %s has none",
			m->geo.arch);
		return -EINVAL;
	}
	m->nr_node_ids = c->nr_nodes ? c->nr_nodes : 1;
	m->memmap_on_memory = c->memmap_on_memory;
	if (c->default_online_type_set)
		m->auto_online_type = c->default_online_type;
	else
		m->auto_online_type = m->geo.profile->kconfig & KCONFIG_MHP_DEFAULT_ONLINE ?
				      HOTMEM_MMOP_ONLINE : HOTMEM_MMOP_OFFLINE;
	m->online_policy = c->online_policy;
	m->auto_movable_ratio = c->auto_movable_ratio;
	m->auto_movable_numa_aware = c->auto_movable_numa_aware;
	m->movable_node = c->movable_node;
	/* Debian: CONFIG_TRANSPARENT_HUGEPAGE_MADVISE, so khugepaged runs */
	m->thp_enabled = !c->transparent_hugepage_never;

	pram_sanitize(&m->cfg);
	ret = sparse_init(&m->sparse, &m->geo);
	if (ret)
		return ret;
	ret = vmemmap_init(&m->vmemmap);
	if (ret)
		return ret;
	/* RAM beyond the limit: say so before memblock refuses it */
	m->device_memory_size = 0;
	ret = check_phys_limit(m, err, errlen);
	if (ret)
		return ret;
	if (!strcmp(m->geo.profile->machine, "q35")) {
		ret = q35_e820_and_memblock(m, err, errlen);
		if (!ret)
			ret = q35_device_memory(m, err, errlen);
	} else {
		ret = simple_memblock(m, err, errlen);
		if (!ret)
			ret = simple_device_memory(m, err, errlen);
	}
	if (!ret)
		ret = check_phys_limit(m, err, errlen);
	if (ret)
		return ret;

	for (n = 0; n < m->nr_node_ids; n++)
		m->nodes[n].has_cpu = c->nr_nodes ? c->nodes[n].has_cpus : 1;
	/* QEMU puts CPUs no node claims on node 0 */
	if (c->nr_nodes) {
		bool any = false;

		for (n = 0; n < m->nr_node_ids; n++)
			any |= m->nodes[n].has_cpu;
		if (!any)
			m->nodes[0].has_cpu = true;
	}
	ret = acpi_numa_init(m, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < m->nr_memblock; i++) {
		ret = sparse_memory_present(m, m->memblock[i].nid,
					    m->memblock[i].start_pfn,
					    m->memblock[i].end_pfn);
		if (ret)
			return ret;
		if (PFN_PHYS(m, m->memblock[i].end_pfn) > boot_mem_end)
			boot_mem_end = PFN_PHYS(m, m->memblock[i].end_pfn);
	}
	m->block_size = probe_memory_block_size(m, boot_mem_end);
	if (geometry_check_block_size(&m->geo, "block_size=", m->block_size,
				      err, errlen))
		return -EINVAL;
	m->sections_per_block = m->block_size >> m->geo.section_size_bits;
	m->pages_per_block = m->block_size >> m->geo.page_shift;
	if (m->geo.profile->block_rule == BLOCK_SIZE_X86_PROBE)
		machine_log(m, "x86/mm: Memory block size: %lluMB",
			    (unsigned long long)(m->block_size >> 20));
	if (m->memmap_on_memory == HOTMEM_MEMMAP_ON_MEMORY_FORCE) {
		uint64_t unforced = memmap_pages(&m->geo, m->pages_per_block);

		machine_log(m, "Memory hotplug will waste %llu pages in each memory block",
			    (unsigned long long)(memory_block_memmap_on_memory_pages(m) - unforced));
	}

	ret = sparse_init_boot(m);
	if (ret)
		return ret;
	/* the first MiB is reserved on x86 (real-mode trampoline, BIOS) */
	ret = 0;
	if (!strcmp(m->geo.profile->family, "x86_64"))
		ret = reserve_range(m, 0, SZ_1M >> 12, EXTENT_RESERVED);
	if (ret)
		return ret;
	/* boot memmap of each node, top-down in its memory, then the rest */
	for (n = 0; n < m->nr_node_ids; n++) {
		uint64_t sections = 0, snr;

		for (snr = 0; m->sparse.any_present &&
			      snr <= m->sparse.highest_present_section_nr; snr++) {
			const struct mem_section *ms = nr_to_section(&m->sparse, &m->geo, snr);

			if (present_section(ms) && ms->nid == (int)n)
				sections++;
		}
		ret = memblock_reserve_top_down(m, (int)n,
				sections * memmap_pages(&m->geo, m->geo.pages_per_section));
		if (ret)
			return ret;
	}
	for (n = 0; n < m->nr_node_ids; n++) {
		/* a memoryless node's pg_data_t comes from node 0; a node
		 * that is not possible has none (free_area_init) */
		bool has_ram = false;

		if (!m->nodes[n].possible)
			continue;
		for (i = 0; i < m->nr_memblock; i++)
			has_ram |= m->memblock[i].nid == (int)n;
		ret = memblock_reserve_top_down(m, has_ram ? (int)n : 0,
						PGDAT_RESERVED_PAGES);
		if (ret)
			return ret;
	}
	ret = memblock_reserve_top_down(m, 0, c->boot_reserved_kb >> (m->geo.page_shift - 10));
	if (ret)
		return ret;
	free_area_init(m);
	setup_managed_pages(m);
	for (n = 0; n < m->nr_node_ids; n++) {
		m->nodes[n].online = node_state_memory(m, (int)n) || m->nodes[n].has_cpu;
		m->nodes[n].pgdat_initialised = m->nodes[n].online;
	}
	ret = memory_dev_init(m);
	if (ret)
		return ret;
	memory_tier_init(m);
	init_per_zone_wmark_min(m);
	ret = boot_kernel_allocations(m, c->boot_used_kb >> (m->geo.page_shift - 10));
	if (ret) {
		errmsg_set(err, errlen, "boot_used=%llukB does not fit in boot memory",
			(unsigned long long)c->boot_used_kb);
		return ret;
	}
	/* arch initcalls: memory notifiers, then s390's standby memory */
	ret = arch_memory_notifiers_init(m);
	if (!ret && c->standby_bytes)
		ret = sclp_detect_standby_memory(m, err, errlen);
	if (ret)
		return ret;
	/* device_initcall: the e820 nvdimm bus and the pmem driver */
	ret = e820_pmem_probe(m);
	if (ret) {
		errmsg_set(err, errlen, "legacy pmem: %s", hotmem_errno_name(ret));
		return ret;
	}
	/* module_init of cxl_acpi: the CXL windows and devices at power-on */
	return cxl_acpi_probe(m, err, errlen);
}

int hotmem_boot(const struct hotmem_config *c, struct hotmem_machine **out,
		char *err, size_t errlen)
{
	struct hotmem_machine *m = calloc(1, sizeof(*m));
	int ret;

	*out = NULL;
	if (!m)
		return -ENOMEM;
	m->cfg = *c;
	sb_init(&m->dmesg);
	sb_init(&m->trace);
	ret = machine_boot(m, err, errlen);
	if (ret) {
		if (err && errlen && !err[0])
			errmsg_set(err, errlen, "boot failed: %s", hotmem_errno_name(ret));
		hotmem_free(m);
		return ret;
	}
	*out = m;
	return 0;
}

void hotmem_free(struct hotmem_machine *m)
{
	size_t i;

	if (!m)
		return;
	if (m->geo.nr_section_roots)
		sparse_release(&m->sparse, &m->geo);
	vmemmap_release(&m->vmemmap);
	free(m->extents.v);
	free(m->memblock);
	resource_tree_release(&m->iomem);
	for (i = 0; i < m->nr_blocks; i++)
		free(m->blocks[i]);
	free(m->blocks);
	free(m->groups);
	free(m->notifiers);
	free(m->dimms);
	free(m->sclp_standby);
	free(m->pgmaps);
	sb_release(&m->dmesg);
	sb_release(&m->trace);
	free(m);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p;

	if (!n)
		return NULL;
	p = malloc(n * size);
	if (p)
		memcpy(p, src, n * size);
	return p;
}

struct hotmem_machine *hotmem_clone(const struct hotmem_machine *src)
{
	struct hotmem_machine *m = malloc(sizeof(*m));
	size_t i;

	if (!m)
		return NULL;
	*m = *src;
	/* detach every owned pointer first, so a partial failure frees cleanly */
	m->sparse.roots = NULL;
	m->vmemmap.slots = NULL;
	m->extents.v = NULL;
	m->memblock = NULL;
	m->iomem.v = NULL;
	m->blocks = NULL;
	m->groups = NULL;
	m->notifiers = NULL;
	m->dimms = NULL;
	m->sclp_standby = NULL;
	m->pgmaps = NULL;
	sb_init(&m->dmesg);
	sb_init(&m->trace);
	m->nr_blocks = m->alloc_blocks = 0;

	if (sparse_clone(&m->sparse, &src->sparse, &src->geo) ||
	    vmemmap_clone(&m->vmemmap, &src->vmemmap) ||
	    extents_clone(&m->extents, &src->extents) ||
	    resource_tree_clone(&m->iomem, &src->iomem) ||
	    pgmaps_clone(&m->pgmaps, src->pgmaps, src->nr_pgmaps))
		goto fail;
	m->memblock = dup_array(src->memblock, src->nr_memblock, sizeof(*src->memblock));
	m->groups = dup_array(src->groups, src->nr_groups, sizeof(*src->groups));
	m->notifiers = dup_array(src->notifiers, src->nr_notifiers, sizeof(*src->notifiers));
	m->dimms = dup_array(src->dimms, src->nr_dimms, sizeof(*src->dimms));
	m->sclp_standby = dup_array(src->sclp_standby, src->sclp_nr_incr, 1);
	if ((src->sclp_nr_incr && !m->sclp_standby) || (src->nr_memblock && !m->memblock) || (src->nr_groups && !m->groups) ||
	    (src->nr_notifiers && !m->notifiers) || (src->nr_dimms && !m->dimms))
		goto fail;
	m->blocks = malloc((src->nr_blocks ? src->nr_blocks : 1) * sizeof(*m->blocks));
	if (!m->blocks)
		goto fail;
	m->alloc_blocks = src->nr_blocks ? src->nr_blocks : 1;
	for (i = 0; i < src->nr_blocks; i++) {
		m->blocks[i] = dup_array(src->blocks[i], 1, sizeof(**src->blocks));
		if (!m->blocks[i])
			goto fail;
		m->nr_blocks++;
	}
	if (sb_add(&m->dmesg, src->dmesg.buf ? src->dmesg.buf : "", src->dmesg.len) ||
	    sb_add(&m->trace, src->trace.buf ? src->trace.buf : "", src->trace.len))
		goto fail;
	return m;
fail:
	hotmem_free(m);
	return NULL;
}

char *hotmem_dmesg(const struct hotmem_machine *m)
{
	return strdup(m->dmesg.buf ? m->dmesg.buf : "");
}

void hotmem_trace(struct hotmem_machine *m, int on)
{
	m->trace_on = on != 0;
}

char *hotmem_trace_take(struct hotmem_machine *m)
{
	return sb_detach(&m->trace);
}

int hotmem_notifier_fail_priority(struct hotmem_machine *m, const char *event,
				  int err, unsigned int count, int priority)
{
	struct memory_notifier nb;
	unsigned long ev = memory_event_from_name(event);

	if (!ev || err >= 0)
		return -EINVAL;
	memset(&nb, 0, sizeof(nb));
	nb.kind = MEMORY_NOTIFIER_FAIL;
	nb.priority = priority;
	nb.events = ev;
	nb.err = err;
	nb.remaining = count;
	return register_memory_notifier(m, &nb);
}

int hotmem_notifier_fail(struct hotmem_machine *m, const char *event, int err,
			 unsigned int count)
{
	return hotmem_notifier_fail_priority(m, event, err, count, 0);
}

int hotmem_read(struct hotmem_machine *m, const char *path, char **out)
{
	return sysfs_read(m, path, out);
}

long hotmem_write(struct hotmem_machine *m, const char *path, const char *buf,
		  size_t len)
{
	return sysfs_write(m, path, buf, len);
}

int hotmem_stat(struct hotmem_machine *m, const char *path,
		enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		size_t targetlen)
{
	return sysfs_stat(m, path, kind, mode, target, targetlen);
}

int hotmem_readdir(struct hotmem_machine *m, const char *path,
		   int (*fn)(void *ctx, const char *name), void *ctx)
{
	return sysfs_readdir(m, path, fn, ctx);
}

int hotmem_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case 't': case 'T': shift = 40; break;
		case 'p': case 'P': shift = 50; break;
		case 'e': case 'E': shift = 60; break;
		default: return -EINVAL;
		}
		end++;
		if (shift == 10 && *end == 'B')
			end++;
		else if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
		if (*end)
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}
