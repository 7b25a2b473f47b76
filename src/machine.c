/*
 * machine.c - the machine object: configuration, kernel command line,
 * boot, clone and free, the kernel log and the trace, and the public
 * API entry points.
 *
 * Boot builds, in the kernel's order: the platform's firmware memory
 * map -> memblock (RAM per node, reservations; src/platform/ for each
 * QEMU machine type, src/mm/memblock.c), sparse sections and their boot
 * memmaps, zones and their spans and present/managed pages
 * (src/mm/mm_init.c), memory block devices, iomem.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "util/errmsg.h"
#include "util/kstrtox.h"
#include "mm/memblock.h"
#include "platform/platform.h"
#include "import/import.h"

#define SZ_1M (1ull << 20)
#define SZ_1G (1ull << 30)
/*
 * Reproduces MemTotal 1955132 kB of `-m 2G` with DIMM slots on Debian's
 * 6.12.95 q35 guest with 4-level paging together with the computed
 * reservations (first MiB, boot memmap, one pg_data_t per possible
 * node, the dentry and inode hash tables, the x86 swiotlb): the kernel
 * image, initrd, page tables, per-CPU areas and the like. Other
 * machines' guests have their own (the platforms' boot_inputs).
 */
#define DEFAULT_BOOT_RESERVED_KB 38548ull
/*
 * alloc_node_data(): sizeof(pg_data_t) of Debian's amd64 6.12 config,
 * for every possible node, memoryless ones included: an extra memoryless
 * node lowers MemTotal by 172 kB (observed on a 6.12.95 q35 guest:
 * 1952940). A byte size: with 16K or 64K pages it takes fewer pages.
 */
#define PGDAT_RESERVED_BYTES (43ull << 12)

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
		return pseries_memory_block_size(m);
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

bool hugepages_supported(const struct hotmem_machine *m)
{
	/* s390: the CPU's EDAT-1 (MACHINE_HAS_EDAT1) */
	if (m->geo.profile->direct_map == DIRECT_MAP_S390)
		return s390_has_edat(m);
	/* hash_utils.c : htab_init_page_sizes, hugetlbpage_init_defaultsize */
	return strcmp(m->geo.profile->mmu, "hash") ||
	       m->cfg.hpt_max_page_size >= 16 * SZ_1M;
}

/*
 * book3s64 hash__has_transparent_hugepage: THP needs 16M pages and a
 * 16M PMD, i.e. 64K pages with 16M pages allowed; hash with 4K pages
 * (2M PMD) never has it. Without THP khugepaged never starts and never
 * raises min_free_kbytes (a hash 4K guest: 131).
 */
bool has_transparent_hugepage(const struct hotmem_machine *m)
{
	if (strcmp(m->geo.profile->mmu, "hash"))
		return true;
	return m->geo.pmd_shift == 24 && hugepages_supported(m);
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

/* hotmem_boot_inputs() for a machine whose profile and platform are set */
static void machine_boot_inputs(const struct hotmem_machine *m,
				uint64_t *reserved_kb, uint64_t *used_kb)
{
	uint64_t res = m->cfg.boot_reserved_kb, used = m->cfg.boot_used_kb;

	if (m->platform->boot_inputs)
		m->platform->boot_inputs(m, &res, &used);
	*reserved_kb = m->cfg.boot_reserved_set ? m->cfg.boot_reserved_kb : res;
	*used_kb = m->cfg.boot_used_set ? m->cfg.boot_used_kb : used;
}

int hotmem_boot_inputs(const struct hotmem_config *c, uint64_t *reserved_kb,
		       uint64_t *used_kb)
{
	struct hotmem_machine *m = calloc(1, sizeof(*m));
	int ret = -ENOMEM;

	if (m) {
		m->cfg = *c;
		ret = geometry_init(&m->geo, c->arch);
		m->platform = ret ? NULL : platform_find(m->geo.profile->family);
		if (!ret && !m->platform)
			ret = -EINVAL;
		if (!ret)
			machine_boot_inputs(m, reserved_kb, used_kb);
	}
	free(m);
	return ret;
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
 * Everything the machine maps (boot RAM as the platform laid it out,
 * then the DIMM hotplug area: maxmem and the slots reserve) must lie
 * below the architecture's physical address limit, MAX_PHYSMEM_BITS:
 * the kernel has no section beyond it, and QEMU refuses a machine whose
 * address space is larger than the CPU's physical address bits.
 */
static int check_phys_limit(struct hotmem_machine *m, char *err, size_t errlen)
{
	const struct hotmem_config *c = &m->cfg;
	unsigned int bits = m->geo.max_physmem_bits;
	uint64_t limit = 1ull << bits, ram_end = 0;
	char lim[32], size[32];
	size_t i;

	for (i = 0; i < m->nr_memblock; i++)
		if (PFN_PHYS(m, m->memblock[i].end_pfn) > ram_end)
			ram_end = PFN_PHYS(m, m->memblock[i].end_pfn);
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

int machine_boot(struct hotmem_machine *m, char *err, size_t errlen)
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
	if (c->cpu[0] && strcmp(m->geo.profile->family, "x86_64")) {
		errmsg_set(err, errlen, "cpu= chooses QEMU's x86 CPU model; %s takes its machine's own",
			m->geo.arch);
		return -EINVAL;
	}
	if (!strcmp(c->cpu, "qemu64") && !strcmp(m->geo.profile->mmu, "5-level")) {
		errmsg_set(err, errlen, "cpu=qemu64 has no LA57: %s needs it for 5-level paging",
			m->geo.arch);
		return -EINVAL;
	}
	if (c->hpt_max_page_size && strcmp(m->geo.profile->mmu, "hash")) {
		errmsg_set(err, errlen, "hpt-max-page-size= is the ppc64 hash MMU's page table cap; %s has none",
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
	/* Debian: CONFIG_TRANSPARENT_HUGEPAGE_MADVISE, so khugepaged runs
	 * where the MMU has a PMD-sized huge page (has_transparent_hugepage) */
	m->thp_enabled = !c->transparent_hugepage_never && has_transparent_hugepage(m);

	e820_pram_sanitize(&m->cfg);
	ret = sparse_init(&m->sparse, &m->geo);
	if (ret)
		return ret;
	ret = vmemmap_init(&m->vmemmap);
	if (ret)
		return ret;
	if (!m->platform)
		m->platform = platform_find(m->geo.profile->family);
	if (!m->platform) {
		errmsg_set(err, errlen, "arch=%s: no machine type models its firmware", c->arch);
		return -EINVAL;
	}
	/* RAM or the DIMM area beyond the limit: said before anything uses them */
	ret = m->platform->memory_map(m, err, errlen);
	if (!ret)
		ret = m->platform->device_memory(m, err, errlen);
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
	ret = m->platform->numa_init(m, err, errlen);
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
	ret = m->platform->reserve_early ? m->platform->reserve_early(m) : 0;
	if (ret)
		return ret;
	/* the model inputs the machine's real guest showed, unless given */
	machine_boot_inputs(m, &m->cfg.boot_reserved_kb, &m->cfg.boot_used_kb);
	/* boot memmap of each node, top-down in its memory, then the rest */
	ret = m->platform->bootmem_init ? m->platform->bootmem_init(m) : 0;
	if (ret)
		return ret;
	for (n = 0; !m->platform->bootmem_init && n < m->nr_node_ids; n++) {
		uint64_t sections = sparse_node_present_sections(m, (int)n);

		ret = memblock_reserve_top_down(m, (int)n, boot_memmap_pages(m, sections));
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
						(PGDAT_RESERVED_BYTES + m->geo.page_size - 1) >>
						m->geo.page_shift);
		if (ret)
			return ret;
	}
	ret = memblock_reserve_top_down(m, 0, c->boot_reserved_kb >> (m->geo.page_shift - 10));
	if (!ret)
		ret = vfs_caches_init_early(m);
	/* mm_core_init: the arch's mem_init (x86: the swiotlb) */
	if (!ret && m->platform->mem_init)
		ret = m->platform->mem_init(m);
	if (ret)
		return ret;
	if (m->platform->free_initmem)
		m->platform->free_initmem(m);
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
	if (c->snapshot[0]) {
		free(m);
		return import_boot(c, out, err, errlen);
	}
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
	import_free(m->import);
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
	m->import = NULL;
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
	if (src->import && !(m->import = import_clone(src->import)))
		goto fail;
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
	return m->import ? import_read(m, path, out) : sysfs_read(m, path, out);
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
	if (m->import)
		return import_stat(m, path, kind, mode, target, targetlen);
	return sysfs_stat(m, path, kind, mode, target, targetlen);
}

int hotmem_readdir(struct hotmem_machine *m, const char *path,
		   int (*fn)(void *ctx, const char *name), void *ctx)
{
	if (m->import)
		return import_readdir(m, path, fn, ctx);
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
