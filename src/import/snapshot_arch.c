/*
 * snapshot_arch.c - which architecture profile a captured machine is:
 * from what the files say when they say it (`uname -m` and the page size
 * that `hotmem snapshot` records, meminfo's Hugepagesize, zoneinfo's
 * pfns against the blocks' addresses), else from the kernel's layout
 * rules (where RAM starts, which zones exist, s390's phys_device), and
 * then checked against the block size and addresses.
 *
 * Contract: snapshot_int.h. A forced choice (snapshot_opts) wins; every
 * guess is one "assumed:" line in s->notes; a machine no profile fits is
 * an error naming the file that shows it.
 * Expected workload: once per load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../arch/geometry.h"
#include "../mm/mmzone.h"
#include "../util/errmsg.h"
#include "snapshot_int.h"

/* uname -m -> the profiles' family */
static const char *family_of_machine(const char *uname_m)
{
	static const char *const map[][2] = {
		{ "x86_64", "x86_64" }, { "aarch64", "arm64" }, { "arm64", "arm64" },
		{ "ppc64le", "ppc64" }, { "ppc64", "ppc64" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(uname_m, map[i][0]))
			return map[i][1];
	return NULL;
}

static bool any_block_in_zone(const struct snapshot *s, const char *zone)
{
	size_t i;

	for (i = 0; i < s->nr_blocks; i++) {
		const char *z = s->blocks[i].valid_zones, *hit = strstr(z, zone);

		/* a whole word: "DMA" must not match "DMA32" */
		while (hit) {
			size_t n = strlen(zone);

			if ((hit == z || hit[-1] == ' ') && (!hit[n] || hit[n] == ' '))
				return true;
			hit = strstr(hit + 1, zone);
		}
	}
	return false;
}

static bool iomem_has(const struct snapshot *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nr_iomem; i++)
		if (!strcmp(s->iomem[i].name, name))
			return true;
	return false;
}

static bool any_phys_device(const struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nr_files; i++) {
		const char *p = strrchr(s->files[i].path, '/');

		if (p && !strcmp(p, "/phys_device") && strstr(s->files[i].path, "/memory/memory") &&
		    atoi(s->files[i].text) != 0)
			return true;
	}
	return false;
}

/* The family from the layout alone, with the reason. */
static const char *guess_family(const struct snapshot *s, char *why, size_t whylen)
{
	uint64_t lowest = s->blocks[0].id * s->block_size;

	if (any_phys_device(s)) {
		snprintf(why, whylen, "memory blocks with a non-zero phys_device (only s390 numbers storage increments there)");
		return "s390x";
	}
	if (iomem_has(s, "System ROM") || iomem_has(s, "Video ROM")) {
		snprintf(why, whylen, "/proc/iomem has the PC's System ROM");
		return "x86_64";
	}
	if (any_block_in_zone(s, "DMA32")) {
		if (lowest >= (2ull << 30) && !any_block_in_zone(s, "DMA")) {
			snprintf(why, whylen, "ZONE_DMA32 without ZONE_DMA, RAM from %#llx (RISC-V virt)",
				 (unsigned long long)lowest);
			return "riscv64";
		}
		snprintf(why, whylen, "ZONE_DMA32 blocks and RAM from address 0");
		return "x86_64";
	}
	if (any_block_in_zone(s, "DMA")) {
		if (lowest >= (1ull << 30)) {
			snprintf(why, whylen, "ZONE_DMA without ZONE_DMA32 and RAM from %#llx",
				 (unsigned long long)lowest);
			return "arm64";
		}
		if (s->block_size >= (256ull << 20)) {
			snprintf(why, whylen, "ZONE_DMA without ZONE_DMA32, RAM from 0, %lluM blocks",
				 (unsigned long long)(s->block_size >> 20));
			return "s390x";
		}
		snprintf(why, whylen, "ZONE_DMA without ZONE_DMA32 and RAM from 0");
		return "arm64";
	}
	if (lowest == 0 && s->block_size >= (256ull << 20)) {
		snprintf(why, whylen, "no DMA zone at all and RAM from 0 (book3s64 has neither ZONE_DMA nor ZONE_DMA32)");
		return "ppc64";
	}
	snprintf(why, whylen, "nothing in the files tells; the commonest machine");
	return "x86_64";
}

static unsigned int log2u(uint64_t v)
{
	unsigned int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return n;
}

/* A page size from the files, 0 if none; *from names where. */
static uint64_t page_size_hint(const struct snapshot *s, const char *family,
			       const char **from)
{
	const struct snap_file *f;
	size_t i;

	f = snapshot_file(s, "/proc/meminfo");
	if (f) {
		const char *h = strstr(f->text, "Hugepagesize:");
		unsigned long long kb;

		/* the default huge page is the PMD: its size gives the base page
		 * on arm64 (2M, 32M, 512M) */
		if (h && sscanf(h, "Hugepagesize: %llu", &kb) == 1 && !strcmp(family, "arm64")) {
			*from = "/proc/meminfo Hugepagesize";
			if (kb == 2048)
				return 4096;
			if (kb == 32768)
				return 16384;
			if (kb == 524288)
				return 65536;
		}
	}
	/* zoneinfo: the first online Normal block's address over its pfn */
	f = snapshot_file(s, "/proc/zoneinfo");
	if (f) {
		const char *z = strstr(f->text, "zone   Normal");
		const char *sp = z ? strstr(z, "start_pfn:") : NULL;
		unsigned long long pfn;

		for (i = 0; sp && i < s->nr_blocks; i++) {
			if (s->blocks[i].zone != ZONE_NORMAL)
				continue;
			if (sscanf(sp, "start_pfn: %llu", &pfn) == 1 && pfn) {
				uint64_t addr = s->blocks[i].id * s->block_size;
				uint64_t ps = addr / pfn;

				if (addr % pfn == 0 && ps >= 4096 && !(ps & (ps - 1))) {
					*from = "/proc/zoneinfo start_pfn of ZONE_NORMAL";
					return ps;
				}
			}
			break;
		}
	}
	return 0;
}

static const struct arch_profile *profile_for(const char *family, uint64_t page_size)
{
	const struct arch_profile *p;
	size_t n, i;

	if (!page_size)
		return geometry_profile_find(family);
	p = geometry_profile_find(family);
	if (p && (1ull << p->page_shift) == page_size)
		return p;
	p = geometry_profiles(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(p[i].family, family) && (1ull << p[i].page_shift) == page_size &&
		    strcmp(p[i].mmu, "hash"))
			return &p[i];
	return NULL;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

int snapshot_recognise(struct snapshot *s, const struct snapshot_opts *opts,
		       char *err, size_t errlen)
{
	const struct arch_profile *prof = NULL;
	const char *family = NULL, *ps_from = NULL;
	uint64_t page_size = opts ? opts->page_size : 0, top;
	char path[2048], why[256] = "";
	char *text = NULL;
	size_t nprof, i;

	if (opts && opts->arch[0]) {
		prof = geometry_profile_find(opts->arch);
		if (!prof) {
			errmsg_set(err, errlen, "arch=%s: unknown architecture (known: %s)",
				   opts->arch, geometry_arch_names());
			return -EINVAL;
		}
		family = prof->family;
		/* a family name with a page size picks the profile of that size */
		if (page_size && (1ull << prof->page_shift) != page_size) {
			prof = profile_for(family, page_size);
			if (!prof) {
				errmsg_set(err, errlen, "arch=%s: no %s profile has %lluK pages",
					   opts->arch, family, (unsigned long long)(page_size >> 10));
				return -EINVAL;
			}
		}
	} else {
		snprintf(path, sizeof(path), "%s/arch", s->root);
		if (!snap_read_text(path, &text)) {
			trim(text);
			family = family_of_machine(text);
			if (!family) {
				errmsg_set(err, errlen, "%s: unsupported architecture '%s' (hotmem models %s)",
					   path, text, "x86_64, aarch64, ppc64le, s390x, riscv64");
				free(text);
				return -EINVAL;
			}
			free(text);
		} else {
			family = guess_family(s, why, sizeof(why));
			sb_printf(&s->notes, "assumed: architecture %s (no arch file; %s); override with arch=\n",
				  family, why);
		}
	}
	if (!prof) {
		snprintf(path, sizeof(path), "%s/pagesize", s->root);
		if (!page_size && !snap_read_text(path, &text)) {
			page_size = strtoull(text, NULL, 10);
			free(text);
			ps_from = "pagesize";
			if (!page_size || (page_size & (page_size - 1))) {
				errmsg_set(err, errlen, "%s: not a page size", path);
				return -EINVAL;
			}
		}
		if (!page_size)
			page_size = page_size_hint(s, family, &ps_from);
		prof = profile_for(family, page_size);
		if (!prof) {
			errmsg_set(err, errlen, "%s: %lluK pages: no %s profile has them (%s)",
				   s->root, (unsigned long long)(page_size >> 10), family,
				   ps_from ? ps_from : "page_size=");
			return -EINVAL;
		}
		if (!page_size) {
			/* families where the page size changes nothing visible */
			geometry_profiles(&nprof);
			for (i = 0; i < nprof; i++)
				if (!strcmp(geometry_profiles(&nprof)[i].family, family) &&
				    geometry_profiles(&nprof)[i].page_shift != prof->page_shift)
					break;
			if (i < nprof)
				sb_printf(&s->notes, "assumed: %lluK pages (the files do not tell the page size); override with page_size=\n",
					  (unsigned long long)(1ull << (prof->page_shift - 10)));
		}
	}
	snprintf(s->arch, sizeof(s->arch), "%s", prof->name);
	s->page_shift = prof->page_shift;
	if (s->block_size < (1ull << prof->section_size_bits)) {
		errmsg_set(err, errlen, "%s/sys/devices/system/memory/block_size_bytes: %lluM blocks are smaller than a %lluM section of %s",
			   s->root, (unsigned long long)(s->block_size >> 20),
			   (unsigned long long)(1ull << (prof->section_size_bits - 20)), prof->name);
		return -EINVAL;
	}
	top = (s->blocks[s->nr_blocks - 1].id + 1) * s->block_size;
	if (log2u(top - 1) >= prof->max_physmem_bits) {
		errmsg_set(err, errlen, "%s/sys/devices/system/memory/memory%llu: ends at %#llx, beyond %s's %u-bit physical addresses",
			   s->root, (unsigned long long)s->blocks[s->nr_blocks - 1].id,
			   (unsigned long long)top, prof->name, prof->max_physmem_bits);
		return -EINVAL;
	}
	return 0;
}
