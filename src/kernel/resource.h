/*
 * resource.h - the iomem resource tree (kernel/resource.c) as
 * /proc/iomem shows it.
 *
 * Contract: resources are kept in one vector, each naming its parent;
 * request_mem_region() inserts under the deepest resource that fully
 * contains the range and is not busy, and fails with -EEXIST on any
 * overlap with a sibling. Names are copied.
 * Expected workload: tens to hundreds of resources.
 */
#ifndef HOTMEM_RESOURCE_H
#define HOTMEM_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"

#define IORESOURCE_BUSY			(1u << 0)
#define IORESOURCE_SYSRAM		(1u << 1)
#define IORESOURCE_SYSRAM_DRIVER_MANAGED (1u << 2)

struct resource {
	uint64_t start, end;	/* inclusive end, as the kernel's */
	char name[40];
	unsigned int flags;
	int parent;		/* index, -1 = iomem root */
	bool used;
};

struct resource_tree {
	struct resource *v;
	size_t n, alloc;
};

int request_mem_region(struct resource_tree *t, uint64_t start, uint64_t size,
		       const char *name, unsigned int flags, int *index);
/* Remove a childless resource by index. */
void release_resource(struct resource_tree *t, int index);
int find_resource(const struct resource_tree *t, uint64_t start, uint64_t end,
		  const char *name);
/*
 * The busy resource spanning exactly [start, end], or -1: what
 * release_mem_region_adjustable() releases when memory is removed (a
 * driver's non-busy container of the same range, kmem's "daxX.Y", stays).
 */
int find_busy_resource(const struct resource_tree *t, uint64_t start, uint64_t end);
/* Pages of [start_pfn, end_pfn) covered by System RAM resources. */
uint64_t system_ram_pages(const struct resource_tree *t, uint64_t start_pfn,
			  uint64_t end_pfn, unsigned int page_shift);
int render_iomem(const struct resource_tree *t, struct strbuf *sb);
int resource_tree_clone(struct resource_tree *dst, const struct resource_tree *src);
void resource_tree_release(struct resource_tree *t);

#endif
