/*
 * sysfs_bus.h - the /sys/bus subtree (nd, dax), served by sysfs_bus.c
 * for sysfs.c. Same contract as sysfs.c's entry points.
 */
#ifndef HOTMEM_SYSFS_BUS_H
#define HOTMEM_SYSFS_BUS_H

#include <stdbool.h>
#include <stddef.h>

#include "hotmem.h"

struct hotmem_machine;

bool sysfs_bus_path(const char *path);
int sysfs_bus_read(struct hotmem_machine *m, const char *path, char **out);
long sysfs_bus_write(struct hotmem_machine *m, const char *path, const char *buf,
		     size_t len);
int sysfs_bus_stat(struct hotmem_machine *m, const char *path,
		   enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		   size_t targetlen);
int sysfs_bus_readdir(struct hotmem_machine *m, const char *path,
		      int (*fn)(void *ctx, const char *name), void *ctx);

#endif
