/*
 * import.h - booting a machine from a snapshot of a real one
 * (snapshot.h), and reading it back as it was captured.
 *
 * Contract: import_boot() is hotmem_boot() for a config whose
 * `snapshot` names a capture. The machine boots as the platform
 * "snapshot" (src/platform/snapshot.c): boot RAM is the captured blocks
 * that were online in their boot zone, in the captured iomem's System RAM
 * ranges; every other captured block (offline, Movable, onlined into a
 * zone other than its boot zone) is added after boot as hotplugged
 * memory and put in its captured state. MemTotal and MemFree are matched
 * by the model inputs boot_reserved and boot_used (docs/model-inputs.md).
 * Reads: a captured file is answered as captured while what it shows is
 * unchanged (a block's files while the block is; node and proc files
 * while the whole machine is); after a change meminfo-style files are
 * the captured values plus the model's change, the rest the model's.
 * Expected workload: one import per machine; reads as hotmem_read.
 */
#ifndef HOTMEM_IMPORT_H
#define HOTMEM_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hotmem.h"
#include "snapshot.h"

struct hotmem_machine;

/* A captured block as the model holds it right after the import. */
struct import_block {
	uint64_t id;
	int state, zone, nid;
	bool later;		/* added after boot, not boot RAM */
};

struct import_state {
	struct snapshot *snap;
	struct import_block *blocks;	/* sorted by id, one per captured block */
	size_t nr_blocks;
	uint64_t hash;			/* hotmem_state_hash() after the import */
	/* the model's own text at the import, for changes since */
	char *meminfo0, *vmstat0;
	char *node_meminfo0[HOTMEM_MAX_NODES];
	bool applied;
};

/* Fill c from a snapshot: arch, block size, nodes and boot RAM, kernel
 * parameters. Called by the scenario parser and `hotmem serve`/`plan`. */
int import_config(const struct snapshot *s, struct hotmem_config *c);
int import_boot(const struct hotmem_config *c, struct hotmem_machine **out,
		char *err, size_t errlen);
struct import_state *import_clone(const struct import_state *src);
void import_free(struct import_state *st);

/* hotmem_read/stat/readdir of an imported machine */
int import_read(struct hotmem_machine *m, const char *path, char **out);
int import_stat(struct hotmem_machine *m, const char *path,
		enum hotmem_node_kind *kind, unsigned int *mode, char *target,
		size_t targetlen);
int import_readdir(struct hotmem_machine *m, const char *path,
		   int (*fn)(void *ctx, const char *name), void *ctx);

/* The boot RAM of captured block b, as page ranges: the whole block, or
 * cut to /proc/iomem's top-level System RAM where it was captured. */
int import_boot_ram(const struct snapshot *s, const struct snap_block *b,
		    int (*fn)(void *ctx, uint64_t start_pfn, uint64_t end_pfn), void *ctx);
/* Was block id captured as memory hot-added after boot (no DIMM)? */
bool import_block_hot_added(const struct hotmem_machine *m, uint64_t id);
/* Is block id (captured) a block that is boot RAM? For the platform. */
bool import_block_is_boot(const struct snapshot *s, const struct snap_block *b,
			  const uint64_t zone_end_pfn[2], unsigned int page_shift);
/* ZONE_DMA / ZONE_DMA32 ends (pfn) the snapshot shows, 0 = the profile's */
void import_zone_limits(const struct snapshot *s, uint64_t profile_dma_end,
			uint64_t profile_dma32_end, uint64_t out[2]);

#endif
