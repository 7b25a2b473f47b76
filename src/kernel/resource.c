/*
 * resource.c - the iomem resource tree (kernel/resource.c :
 * request_resource semantics, release_mem_region_adjustable's simple
 * case, r_show's /proc/iomem format).
 */
#include "resource.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool overlaps(const struct resource *r, uint64_t start, uint64_t end)
{
	return r->start <= end && start <= r->end;
}

int request_mem_region(struct resource_tree *t, uint64_t start, uint64_t size,
		       const char *name, unsigned int flags, int *index)
{
	uint64_t end = start + size - 1;
	int parent = -1;
	size_t i, slot;

	if (!size || end < start)
		return -EINVAL;
	/* descend: the deepest non-busy resource containing the range */
	for (;;) {
		int next = -1;

		for (i = 0; i < t->n; i++) {
			const struct resource *r = &t->v[i];

			if (!r->used || r->parent != parent)
				continue;
			if (!overlaps(r, start, end))
				continue;
			if (r->start <= start && r->end >= end &&
			    !(r->flags & IORESOURCE_BUSY)) {
				next = (int)i;
				break;
			}
			return -EEXIST;
		}
		if (next < 0)
			break;
		parent = next;
	}
	for (slot = 0; slot < t->n; slot++)
		if (!t->v[slot].used)
			break;
	if (slot == t->n) {
		if (t->n == t->alloc) {
			size_t n = t->alloc ? t->alloc * 2 : 16;
			struct resource *p = realloc(t->v, n * sizeof(*p));

			if (!p)
				return -ENOMEM;
			t->v = p;
			t->alloc = n;
		}
		t->n++;
	}
	memset(&t->v[slot], 0, sizeof(t->v[slot]));
	t->v[slot].start = start;
	t->v[slot].end = end;
	strncpy(t->v[slot].name, name, sizeof(t->v[slot].name) - 1);
	t->v[slot].flags = flags;
	t->v[slot].parent = parent;
	t->v[slot].used = true;
	if (index)
		*index = (int)slot;
	return 0;
}

void release_resource(struct resource_tree *t, int index)
{
	if (index >= 0 && (size_t)index < t->n)
		t->v[index].used = false;
}

int find_resource(const struct resource_tree *t, uint64_t start, uint64_t end,
		  const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].used && t->v[i].start == start && t->v[i].end == end &&
		    (!name || !strcmp(t->v[i].name, name)))
			return (int)i;
	return -1;
}

int find_busy_resource(const struct resource_tree *t, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].used && t->v[i].start == start && t->v[i].end == end &&
		    (t->v[i].flags & IORESOURCE_BUSY))
			return (int)i;
	return -1;
}

uint64_t system_ram_pages(const struct resource_tree *t, uint64_t start_pfn,
			  uint64_t end_pfn, unsigned int page_shift)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct resource *r = &t->v[i];
		uint64_t s, e;

		if (!r->used || !(r->flags & IORESOURCE_SYSRAM) ||
		    !(r->flags & IORESOURCE_BUSY))
			continue;
		/* whole pages inside the resource, as walk_system_ram_range */
		s = (r->start + (1ull << page_shift) - 1) >> page_shift;
		e = (r->end + 1) >> page_shift;
		if (s < start_pfn)
			s = start_pfn;
		if (e > end_pfn)
			e = end_pfn;
		if (e > s)
			sum += e - s;
	}
	return sum;
}

static int render_children(const struct resource_tree *t, int parent,
			   int depth, struct strbuf *sb)
{
	uint64_t last = 0;
	bool first = true;

	for (;;) {
		int best = -1;
		size_t i;

		/* the next child by start address */
		for (i = 0; i < t->n; i++) {
			const struct resource *r = &t->v[i];

			if (!r->used || r->parent != parent)
				continue;
			if (!first && r->start <= last)
				continue;
			if (best < 0 || r->start < t->v[best].start)
				best = (int)i;
		}
		if (best < 0)
			return 0;
		if (sb_printf(sb, "%*s%08llx-%08llx : %s\n", depth * 2, "",
			      (unsigned long long)t->v[best].start,
			      (unsigned long long)t->v[best].end, t->v[best].name) ||
		    render_children(t, best, depth + 1, sb))
			return -ENOMEM;
		last = t->v[best].start;
		first = false;
	}
}

int render_iomem(const struct resource_tree *t, struct strbuf *sb)
{
	return render_children(t, -1, 0, sb);
}

int resource_tree_clone(struct resource_tree *dst, const struct resource_tree *src)
{
	dst->n = src->n;
	dst->alloc = src->n ? src->n : 1;
	dst->v = malloc(dst->alloc * sizeof(*dst->v));
	if (!dst->v)
		return -ENOMEM;
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	return 0;
}

void resource_tree_release(struct resource_tree *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->alloc = 0;
}
