/*
 * snapshot.h - a real machine's memory state, as captured from its
 * /sys and /proc (a directory or a tarball), and what hotmem makes of it.
 *
 * Contract: snapshot_load() reads and checks everything first; on any
 * contradiction or unreadable input it returns -errno with a message
 * naming the file, and nothing is kept. A loaded snapshot is read-only
 * and reference counted (machines cloned from an imported one share it).
 * What the files cannot tell (page size without a hint, the DMA limits
 * without zoneinfo, ...) is decided by the kernel's rules for the
 * recognised architecture and recorded as a note (snapshot->notes).
 * Expected workload: one load per scenario, plan or serve; up to tens of
 * thousands of memory blocks and a few thousand captured files.
 */
#ifndef HOTMEM_IMPORT_SNAPSHOT_H
#define HOTMEM_IMPORT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"

/* One captured file: its path in the machine ("/sys/...", "/proc/...")
 * and its content, or the target of a link. */
struct snap_file {
	char *path;
	char *text;
	bool link;
};

/* One captured memory block. */
struct snap_block {
	uint64_t id;
	bool online;
	int nid;		/* the nodeN link; -1 when none was captured */
	int zone;		/* ZONE_* it is online in; -1: several, or offline */
	char valid_zones[64];
};

/* A top-level /proc/iomem line (children are not needed to boot). */
struct snap_iomem {
	uint64_t start, end;	/* inclusive, as printed */
	char name[48];
	unsigned int depth;
};

/* What the user may force when the files leave a choice. */
struct snapshot_opts {
	char arch[24];		/* a profile or family; "" = recognise */
	uint64_t page_size;	/* 0 = recognise */
};

struct snapshot {
	int refs;
	char source[1024];	/* as given: a directory or a tarball */
	char root[1024];	/* the directory that holds sys/ and proc/ */
	char tmpdir[1024];	/* extracted tarball, removed at release */

	char arch[24];		/* an arch profile name (src/arch/geometry.c) */
	uint64_t block_size;
	unsigned int page_shift;
	int auto_online;	/* enum hotmem_online_type; -1 = not captured */

	struct snap_block *blocks;	/* sorted by id */
	size_t nr_blocks;
	unsigned int nr_nodes;		/* highest node seen + 1 */
	uint64_t node_has_cpu;		/* mask; from node/has_cpu */
	bool node_has_cpu_known;

	struct snap_iomem *iomem;	/* captured top-level lines, or none */
	size_t nr_iomem;

	/* ZONE_DMA and ZONE_DMA32 ends (pfn) as captured; 0 = unknown */
	uint64_t zone_end_pfn[2];

	struct snap_file *files;	/* sorted by path */
	size_t nr_files;

	struct strbuf notes;		/* "assumed: ..." lines, one per fact */
};

/* Load PATH (a directory or a .tar[.gz|.bz2|.xz] file). *out is NULL on error. */
int snapshot_load(const char *path, const struct snapshot_opts *opts,
		  struct snapshot **out, char *err, size_t errlen);
struct snapshot *snapshot_get(struct snapshot *s);
void snapshot_put(struct snapshot *s);

/* The captured file at PATH ("/proc/meminfo"), or NULL. */
const struct snap_file *snapshot_file(const struct snapshot *s, const char *path);
const struct snap_block *snapshot_block(const struct snapshot *s, uint64_t id);

/* Take a snapshot of the running machine under ROOT ("/") into DIR. */
int snapshot_take(const char *root, const char *dir, unsigned int *nr_files,
		  char *err, size_t errlen);

/* The paths a snapshot holds, relative to / (shared with the docs' one-liner). */
extern const char *const snapshot_paths[];

#endif
