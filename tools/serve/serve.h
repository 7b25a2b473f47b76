/*
 * serve.h - `hotmem serve`'s file system half: one booted model machine
 * served as a live FUSE file system (docs/serve.md).
 *
 * Contract: serve_fuse() mounts the machine's tree at mountpoint
 * (MOUNTPOINT/sys/..., MOUNTPOINT/proc/...), prints one line naming the
 * mount point on stdout once it is mounted, and serves requests on the
 * calling thread until SIGINT, SIGTERM or SIGHUP, then unmounts. Returns
 * 0 after a clean unmount, or -errno with a message in err (nothing
 * mounted). Two implementations, picked by the Makefile: fuse.c (libfuse
 * 3 present) and nofuse.c (returns -ENOSYS with what is missing and how
 * to install it).
 *
 * Expected workload: one mount per process; tool-driven request rates
 * (hundreds of lookups per lsmem run).
 */
#ifndef HOTMEM_SERVE_H
#define HOTMEM_SERVE_H

#include <stddef.h>

struct hotmem_machine;

int serve_fuse(struct hotmem_machine *m, const char *mountpoint,
	       char *err, size_t errlen);

/* 1 when built with libfuse 3; else serve_fuse() only explains. */
extern const int serve_fuse_built;

#endif
