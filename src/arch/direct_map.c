/*
 * direct_map.c - page sizes of the linear mapping per architecture (see
 * direct_map.h for the contract).
 *
 * Sizes, largest first:
 *   x86-64 (arch/x86/mm/init_64.c): 1G (gbpages), 2M, 4K;
 *   s390 (arch/s390/mm/vmem.c, arch/s390/boot/vmem.c): 2G region-third
 *     entries (EDAT2), 1M segments (EDAT1), 4K;
 *   ppc64 radix (arch/powerpc/mm/book3s64/radix_pgtable.c): 1G, 2M, the
 *     base page (4K or 64K).
 * Each size divides the next larger, so the greedy walk is: small pages
 * up to the first boundary of the next size, that size up to the first
 * boundary of the one above, ..., and the same down again at the end.
 */
#include "direct_map.h"

struct dm_size {
	uint64_t bytes;
	enum direct_map_class cls;
};

static void split(const struct dm_size *s, unsigned int n, uint64_t start,
		  uint64_t end, uint64_t out[DM_NR])
{
	uint64_t a, b;

	if (start >= end || !n)
		return;
	if (n == 1) {
		out[s[0].cls] += end - start;
		return;
	}
	a = (start + s[0].bytes - 1) & ~(s[0].bytes - 1);
	b = end & ~(s[0].bytes - 1);
	if (a >= b) {
		split(s + 1, n - 1, start, end, out);
		return;
	}
	split(s + 1, n - 1, start, a, out);
	out[s[0].cls] += b - a;
	split(s + 1, n - 1, b, end, out);
}

void arch_direct_map_split(const struct hm_geometry *g, uint64_t start,
			   uint64_t end, uint64_t cap, uint64_t out[DM_NR])
{
	struct dm_size sz[3];
	unsigned int n = 0, i;

	switch (g->profile->direct_map) {
	case DIRECT_MAP_X86:
		sz[0] = (struct dm_size){ 1ull << 30, DM_1G };
		sz[1] = (struct dm_size){ 2ull << 20, DM_2M };
		sz[2] = (struct dm_size){ 4096, DM_4K };
		break;
	case DIRECT_MAP_S390:
		sz[0] = (struct dm_size){ 2ull << 30, DM_2G };
		sz[1] = (struct dm_size){ 1ull << 20, DM_1M };
		sz[2] = (struct dm_size){ 4096, DM_4K };
		break;
	case DIRECT_MAP_PPC_RADIX:
		sz[0] = (struct dm_size){ 1ull << 30, DM_1G };
		sz[1] = (struct dm_size){ 2ull << 20, DM_2M };
		sz[2] = (struct dm_size){ g->page_size,
					  g->page_shift == 16 ? DM_64K : DM_4K };
		break;
	case DIRECT_MAP_NONE:
	default:
		return;
	}
	/* sizes above the cap are never used (the smallest always is) */
	for (i = 0; i < 2 && sz[i].bytes > cap; i++)
		;
	n = 3 - i;
	split(sz + i, n, start, end, out);
}
