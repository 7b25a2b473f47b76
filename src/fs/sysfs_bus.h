/*
 * sysfs_bus.h - the /sys/bus subtree (nd, dax; cxl in sysfs_cxl.c), served by sysfs_bus.c
 * for sysfs.c. Same contract as sysfs.c's entry points.
 */
#ifndef HOTMEM_SYSFS_BUS_H
#define HOTMEM_SYSFS_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hotmem.h"
#include "../util/strbuf.h"

struct hotmem_machine;

/* Fill a stat answer: directories 0755, links 0777 with their target. */
static inline void sysfs_fill_stat(enum hotmem_node_kind k, unsigned int file_mode,
				   const char *link, enum hotmem_node_kind *kind,
				   unsigned int *mode, char *target, size_t targetlen)
{
	*kind = k;
	*mode = k == HOTMEM_ENTRY_DIR ? 0755 : k == HOTMEM_ENTRY_LINK ? 0777 : file_mode;
	if (k == HOTMEM_ENTRY_LINK && target && targetlen)
		snprintf(target, targetlen, "%s", link);
}

/* The end of a read: sb's text into *out when show returned 0. */
static inline int sysfs_show_done(int ret, struct strbuf *sb, char **out)
{
	if (ret) {
		sb_release(sb);
		return ret;
	}
	*out = sb_detach(sb);
	return *out ? 0 : -ENOMEM;
}

bool sysfs_bus_path(const char *path);
int sysfs_bus_read(struct hotmem_machine *m, const char *path, char **out);
long sysfs_bus_write(struct hotmem_machine *m, const char *path, const char *buf,
		     size_t len);
int sysfs_bus_stat(struct hotmem_machine *m, const char *path,
		   enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		   size_t targetlen);
int sysfs_bus_readdir(struct hotmem_machine *m, const char *path,
		      int (*fn)(void *ctx, const char *name), void *ctx);
/*
 * The character devices of the buses (dax devices) for /sys/dev/char:
 * fn(ctx, "MAJOR:MINOR", link target relative to /sys/dev/char) per
 * device; fn's nonzero return stops and is returned.
 */
int sysfs_bus_chardevs(struct hotmem_machine *m,
		       int (*fn)(void *ctx, const char *name, const char *target),
		       void *ctx);
/* The i-th driver module loaded for the buses ("kmem"), NULL past the last. */
const char *sysfs_bus_module(struct hotmem_machine *m, unsigned int i);

/* /sys/bus/cxl (sysfs_cxl.c), reached through the sysfs_bus_* calls */
bool sysfs_cxl_path(const char *path);
bool sysfs_cxl_present(struct hotmem_machine *m);
int sysfs_cxl_read(struct hotmem_machine *m, const char *path, char **out);
long sysfs_cxl_write(struct hotmem_machine *m, const char *path, const char *buf,
		     size_t len);
int sysfs_cxl_stat(struct hotmem_machine *m, const char *path,
		   enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		   size_t targetlen);
int sysfs_cxl_readdir(struct hotmem_machine *m, const char *path,
		      int (*fn)(void *ctx, const char *name), void *ctx);

#endif
