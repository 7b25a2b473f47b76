/*
 * cmd_explain.c - `hotmem explain`: for an architecture, a memory block
 * size and a memmap_on_memory mode, the numbers that decide a hot-add
 * and the kernel's verdict (docs/cli.md, docs/architectures.md).
 *
 * Contract: the figures come from memmap_explain() (src/arch), the same
 * code the machine uses; this file only resolves the arguments to a
 * profile and prints. Bad arguments: a message naming the argument on
 * stderr, exit 2, nothing on stdout.
 * Expected workload: interactive, one configuration per call.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotmem.h"
#include "../src/arch/geometry.h"
#include "../src/arch/memmap_explain.h"
#include "cli.h"

static const char explain_help[] =
"Usage: hotmem explain --arch ARCH [--mmu hash|radix] [--page-size SIZE]\n"
"                      [--block-size SIZE] [--memmap-on-memory on|off|force]\n"
"                      [--json]\n"
"\n"
"Show what Linux 6.12 decides when a memory block of SIZE is hot-added on\n"
"ARCH with memory_hotplug.memmap_on_memory in the given mode: pages per\n"
"block, vmemmap (memmap) pages per block, whether they fill whole pages,\n"
"pageblocks and vmemmap mappings, the pages force mode wastes, the memory\n"
"left usable per block, and the verdict of mhp_supports_memmap_on_memory\n"
"with the rule that decides it.\n"
"\n"
"Options:\n"
"      --arch ARCH        x86_64, arm64, ppc64, s390x, riscv64, or a full\n"
"                         profile name such as ppc64-hash-4k or arm64-64k\n"
"      --mmu MMU          ppc64: radix (default) or hash; x86_64: 4-level\n"
"                         (default) or 5-level\n"
"      --page-size SIZE   arm64: 4K (default), 16K, 64K; ppc64: 64K\n"
"                         (default) or 4K; others: 4K\n"
"      --block-size SIZE  memory block size, a power of two of at least one\n"
"                         section (default: one section, 256M on ppc64 and\n"
"                         s390x)\n"
"      --memmap-on-memory MODE\n"
"                         on (default), off or force\n"
"      --json             one JSON object instead of text\n"
"  -h, --help             show this help and exit\n"
"\n"
"Exit status:\n"
"  0  the configuration was explained (accepted or refused)\n"
"  2  bad arguments\n"
"\n"
"Examples:\n"
"  hotmem explain --arch ppc64 --mmu hash --page-size 64K --block-size 256M\n"
"  hotmem explain --arch arm64 --page-size 64K --memmap-on-memory force --json\n";

struct explain_args {
	const char *arch, *mmu, *page_size, *block_size, *mode;
	int json;
};

static int parse_args(int argc, char **argv, struct explain_args *a)
{
	static const struct {
		const char *name;
		size_t off;
	} opts[] = {
		{ "--arch", offsetof(struct explain_args, arch) },
		{ "--mmu", offsetof(struct explain_args, mmu) },
		{ "--page-size", offsetof(struct explain_args, page_size) },
		{ "--block-size", offsetof(struct explain_args, block_size) },
		{ "--memmap-on-memory", offsetof(struct explain_args, mode) },
	};
	int i;
	size_t k;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;
		bool found = false;

		if (!strcmp(arg, "--json")) {
			a->json = 1;
			continue;
		}
		if (wants_help(arg))
			return 1;
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			size_t n = strlen(opts[k].name);

			if (strncmp(arg, opts[k].name, n) || (arg[n] && arg[n] != '='))
				continue;
			found = true;
			if (arg[n] == '=')
				val = arg + n + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			if (!val || !*val)
				return usage_error("explain: %s needs a value", opts[k].name);
			*(const char **)((char *)a + opts[k].off) = val;
		}
		if (!found)
			return usage_error(arg[0] == '-' ? "explain: unknown option '%s'" :
					   "explain: unexpected argument '%s'", arg);
	}
	if (!a->arch)
		return usage_error("explain: %s is required (e.g. --arch ppc64)", "--arch");
	return 0;
}

/* The profile of --arch, adjusted by --mmu and --page-size. */
static const struct arch_profile *resolve_profile(const struct explain_args *a)
{
	const struct arch_profile *p0 = geometry_profile_find(a->arch), *all;
	const char *mmu;
	unsigned int shift;
	uint64_t ps;
	size_t n, i;

	if (!p0) {
		fprintf(stderr, "hotmem: explain: unknown architecture '%s' (known: %s)\n",
			a->arch, geometry_arch_names());
		return NULL;
	}
	mmu = a->mmu ? a->mmu : p0->mmu;
	shift = p0->page_shift;
	if (a->page_size) {
		if (hotmem_parse_size(a->page_size, &ps) || !ps || (ps & (ps - 1))) {
			fprintf(stderr, "hotmem: explain: --page-size '%s' is not a power-of-two size (e.g. 64K)\n",
				a->page_size);
			return NULL;
		}
		for (shift = 0; (1ull << shift) < ps; shift++)
			;
	}
	all = geometry_profiles(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(all[i].family, p0->family) && !strcmp(all[i].mmu, mmu) &&
		    all[i].page_shift == shift)
			return &all[i];
	fprintf(stderr, "hotmem: explain: %s has no profile with", p0->family);
	if (a->mmu)
		fprintf(stderr, " MMU '%s'", a->mmu);
	if (a->page_size)
		fprintf(stderr, "%s page size %s", a->mmu ? " and" : "", a->page_size);
	fputs(" (profiles:", stderr);
	for (i = 0; i < n; i++)
		if (!strcmp(all[i].family, p0->family))
			fprintf(stderr, " %s", all[i].name);
	fputs(")\n", stderr);
	return NULL;
}

/* "256 MiB", "16 KiB", "2 GiB", or bytes when not a whole KiB. */
static const char *human(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= (1ull << 30) && !(bytes & ((1ull << 30) - 1)))
		snprintf(buf, len, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ull << 20) && !(bytes & ((1ull << 20) - 1)))
		snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (!(bytes & 1023))
		snprintf(buf, len, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
	return buf;
}

static void print_text(const struct hm_geometry *g, const struct memmap_explain *x)
{
	char b1[32], b2[32], b3[32], b4[32];
	uint64_t unit = 1ull << x->unit_shift;

	printf("%s (%s): %s pages, %s sections, pageblock %llu pages (%s), PMD %s\n",
	       g->arch, g->profile->machine, human(g->page_size, b1, sizeof(b1)),
	       human(1ull << g->section_size_bits, b2, sizeof(b2)),
	       (unsigned long long)g->pageblock_nr_pages,
	       human(g->pageblock_nr_pages << g->page_shift, b3, sizeof(b3)),
	       human(1ull << g->pmd_shift, b4, sizeof(b4)));
	printf("block %s, memmap_on_memory=%s\n", human(x->block_size, b1, sizeof(b1)),
	       memmap_mode_name(x->mode));
	printf("  pages per block          %llu (%llu section%s)\n",
	       (unsigned long long)x->pages_per_block,
	       (unsigned long long)x->sections_per_block,
	       x->sections_per_block == 1 ? "" : "s");
	printf("  memmap per block         %s (%llu struct pages of %u B)\n",
	       human(x->memmap_bytes, b1, sizeof(b1)),
	       (unsigned long long)x->pages_per_block, g->struct_page_size);
	printf("  vmemmap pages per block  %llu", (unsigned long long)x->vmemmap_pages_exact);
	if (x->mode == HOTMEM_MEMMAP_ON_MEMORY_FORCE)
		printf(", %llu after force rounding", (unsigned long long)x->vmemmap_pages);
	printf("\n");
	printf("  whole pages              %s\n", x->whole_pages ? "yes" :
	       "no (the memmap is a fraction of a page)");
	if (x->whole_pageblocks)
		printf("  whole pageblocks         yes (%llu pages = %llu pageblock%s of %llu pages)\n",
		       (unsigned long long)x->vmemmap_pages,
		       (unsigned long long)(x->vmemmap_pages / g->pageblock_nr_pages),
		       x->vmemmap_pages == g->pageblock_nr_pages ? "" : "s",
		       (unsigned long long)g->pageblock_nr_pages);
	else
		printf("  whole pageblocks         no (%llu pages; a pageblock is %llu pages)\n",
		       (unsigned long long)x->vmemmap_pages,
		       (unsigned long long)g->pageblock_nr_pages);
	printf("  vmemmap mapping          %s of %s, each describing %llu pages (%s); "
	       "%llu per block, %s\n", x->unit_kind, human(unit, b1, sizeof(b1)),
	       (unsigned long long)(unit / g->struct_page_size),
	       human(x->unit_covers_bytes, b2, sizeof(b2)),
	       (unsigned long long)x->units_per_block,
	       x->whole_units ? "whole" : "the last one shared beyond the block");
	if (x->memmap_bytes < g->page_size) {
		/* the seed question: a vmemmap page reaching past the block */
		printf("  note                     one %s vmemmap page describes %llu struct "
		       "pages = %s of memory, more than this %s block: it is shared "
		       "by %llu blocks, so the block cannot carry its own memmap\n",
		       human(g->page_size, b1, sizeof(b1)),
		       (unsigned long long)(g->page_size / g->struct_page_size),
		       human((g->page_size / g->struct_page_size) << g->page_shift, b2, sizeof(b2)),
		       human(x->block_size, b3, sizeof(b3)),
		       (unsigned long long)(((g->page_size / g->struct_page_size) << g->page_shift) /
					    x->block_size));
	}
	if (x->mode == HOTMEM_MEMMAP_ON_MEMORY_FORCE && x->accepted)
		printf("  wasted in force mode     %llu pages (%s) per block\n",
		       (unsigned long long)x->wasted_pages,
		       human(x->wasted_pages << g->page_shift, b1, sizeof(b1)));
	if (x->accepted)
		printf("  memmap on the block      %llu pages reserved, %llu mapped by the vmemmap\n",
		       (unsigned long long)x->vmemmap_pages,
		       (unsigned long long)x->altmap_pages_used);
	else
		printf("  memmap elsewhere         %s of struct pages, in vmemmap pages "
		       "taken from memory already online\n",
		       human(x->memmap_bytes, b1, sizeof(b1)));
	printf("  usable per block         %llu pages = %s (present %llu)\n",
	       (unsigned long long)x->usable_pages,
	       human(x->usable_pages << g->page_shift, b1, sizeof(b1)),
	       (unsigned long long)x->present_pages);
	printf("verdict: %s: %s.\n", x->accepted ? "accepted" :
	       x->check == MEMMAP_CHECK_DISABLED ? "not used" : "refused", x->reason);
}

static void json_str(const char *key, const char *v, bool comma)
{
	const char *c;

	printf("  \"%s\": \"", key);
	for (c = v; *c; c++) {
		if (*c == '"' || *c == '\\')
			putchar('\\');
		putchar(*c);
	}
	printf("\"%s\n", comma ? "," : "");
}

static void json_num(const char *key, uint64_t v)
{
	printf("  \"%s\": %llu,\n", key, (unsigned long long)v);
}

static void json_bool(const char *key, bool v)
{
	printf("  \"%s\": %s,\n", key, v ? "true" : "false");
}

static void print_json(const struct hm_geometry *g, const struct memmap_explain *x)
{
	static const char *const checks[] = {
		"ok", "disabled", "page_multiple", "pageblock", "whole_block", "arch",
	};

	printf("{\n");
	json_str("profile", g->arch, true);
	json_str("family", g->profile->family, true);
	json_str("mmu", g->profile->mmu, true);
	json_num("page_size", g->page_size);
	json_num("section_size", 1ull << g->section_size_bits);
	json_num("pageblock_nr_pages", g->pageblock_nr_pages);
	json_num("pmd_size", 1ull << g->pmd_shift);
	json_num("block_size", x->block_size);
	json_str("memmap_on_memory", memmap_mode_name(x->mode), true);
	json_num("pages_per_block", x->pages_per_block);
	json_num("sections_per_block", x->sections_per_block);
	json_num("memmap_bytes", x->memmap_bytes);
	json_num("vmemmap_pages_exact", x->vmemmap_pages_exact);
	json_num("vmemmap_pages", x->vmemmap_pages);
	json_num("wasted_pages", x->wasted_pages);
	json_bool("whole_pages", x->whole_pages);
	json_bool("whole_pageblocks", x->whole_pageblocks);
	json_str("vmemmap_unit", x->unit_kind, true);
	json_num("vmemmap_unit_bytes", 1ull << x->unit_shift);
	json_num("vmemmap_unit_covers_bytes", x->unit_covers_bytes);
	json_num("vmemmap_units_per_block", x->units_per_block);
	json_bool("whole_vmemmap_units", x->whole_units);
	json_num("altmap_pages_mapped", x->altmap_pages_used);
	json_num("usable_pages", x->usable_pages);
	json_num("usable_bytes", x->usable_pages << g->page_shift);
	json_num("present_pages", x->present_pages);
	json_bool("accepted", x->accepted);
	json_str("check", checks[x->check], true);
	json_str("reason", x->reason, false);
	printf("}\n");
}

static int cmd_explain(int argc, char **argv)
{
	struct explain_args a;
	const struct arch_profile *p;
	struct hm_geometry g;
	struct memmap_explain x;
	enum hotmem_memmap_on_memory mode = HOTMEM_MEMMAP_ON_MEMORY_ENABLE;
	uint64_t block;
	char err[256];
	int rc = parse_args(argc, argv, &a);

	if (rc == 1) {
		fputs(explain_help, stdout);
		return EXIT_PASS;
	}
	if (rc)
		return rc;
	p = resolve_profile(&a);
	if (!p)
		return EXIT_TROUBLE;
	geometry_init(&g, p->name);
	if (a.mode) {
		if (!strcmp(a.mode, "on"))
			mode = HOTMEM_MEMMAP_ON_MEMORY_ENABLE;
		else if (!strcmp(a.mode, "off"))
			mode = HOTMEM_MEMMAP_ON_MEMORY_DISABLE;
		else if (!strcmp(a.mode, "force"))
			mode = HOTMEM_MEMMAP_ON_MEMORY_FORCE;
		else
			return usage_error("explain: --memmap-on-memory '%s': want on, off or force",
					   a.mode);
	}
	/* default: the block the arch would use (pseries LMB, s390 256M) */
	block = 1ull << g.section_size_bits;
	if (p->block_rule == BLOCK_SIZE_PPC_LMB || p->block_rule == BLOCK_SIZE_S390_RZM)
		block = 256ull << 20;
	if (a.block_size && hotmem_parse_size(a.block_size, &block))
		return usage_error("explain: --block-size '%s' is not a size (e.g. 256M)",
				   a.block_size);
	if (memmap_explain(&g, block, mode, &x, err, sizeof(err))) {
		fprintf(stderr, "hotmem: explain: %s\n", err);
		return EXIT_TROUBLE;
	}
	if (a.json)
		print_json(&g, &x);
	else
		print_text(&g, &x);
	return EXIT_PASS;
}

const struct command hotmem_cmd_explain = {
	"explain", "show what the kernel decides for a block size and memmap_on_memory",
	explain_help, cmd_explain,
};
