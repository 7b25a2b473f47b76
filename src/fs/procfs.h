/*
 * procfs.h - fills the procfs value structs from the machine and
 * renders /proc/meminfo, /proc/zoneinfo, /proc/vmstat and node meminfo.
 *
 * Contract: values the model tracks come from the machine; the rest
 * print as the kernel would on an idle guest with nothing allocated
 * (0). Returns 0 or -ENOMEM.
 */
#ifndef HOTMEM_PROCFS_H
#define HOTMEM_PROCFS_H

#include "../util/strbuf.h"

struct hotmem_machine;

int procfs_meminfo(struct hotmem_machine *m, struct strbuf *sb);
int procfs_zoneinfo(struct hotmem_machine *m, struct strbuf *sb);
int procfs_vmstat(struct hotmem_machine *m, struct strbuf *sb);
int procfs_node_meminfo(struct hotmem_machine *m, int nid, struct strbuf *sb);
int procfs_buddyinfo(struct hotmem_machine *m, struct strbuf *sb);

#endif
