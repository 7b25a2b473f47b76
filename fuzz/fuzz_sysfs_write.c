/*
 * fuzz_sysfs_write.c - libFuzzer harness: arbitrary writes to a booted
 * machine's sysfs (docs/fuzzing.md). The input is "PATH\0VALUE" (or a
 * selector byte picking a known path, then the value); after every write
 * the invariants must hold, and a refused write must leave the state
 * hash unchanged. One machine is booted per run (cheap: a 2 GiB q35
 * guest with one DIMM) so runs stay independent.
 * Expected workload: thousands of runs per second.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"/sys/devices/system/memory/memory32/state",
	"/sys/devices/system/memory/memory32/online",
	"/sys/devices/system/memory/memory33/state",
	"/sys/devices/system/memory/memory1/state",
	"/sys/devices/system/memory/auto_online_blocks",
	"/sys/module/memory_hotplug/parameters/online_policy",
	"/sys/module/memory_hotplug/parameters/auto_movable_ratio",
	"/sys/module/memory_hotplug/parameters/auto_movable_numa_aware",
	"/sys/module/memory_hotplug/parameters/memmap_on_memory",
	"/sys/devices/system/memory/block_size_bytes",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hotmem_config c;
	struct hotmem_machine *m;
	char err[256], path[256], *report = NULL;
	const char *value;
	size_t vlen;
	uint64_t before;
	long rc;

	if (!size)
		return 0;
	if (data[0] < 0x20) {
		/* selector: a known path */
		snprintf(path, sizeof(path), "%s", paths[data[0] % (sizeof(paths) / sizeof(paths[0]))]);
		value = (const char *)data + 1;
		vlen = size - 1;
	} else {
		const uint8_t *nul = memchr(data, 0, size);
		size_t plen = nul ? (size_t)(nul - data) : size;

		if (plen >= sizeof(path))
			return 0;
		memcpy(path, data, plen);
		path[plen] = '\0';
		value = nul ? (const char *)nul + 1 : "";
		vlen = nul ? size - plen - 1 : 0;
	}
	hotmem_config_init(&c);
	c.slots = 2;
	c.maxmem_bytes = 4ull << 30;
	c.memmap_on_memory = HOTMEM_MEMMAP_ON_MEMORY_ENABLE;
	if (hotmem_boot(&c, &m, err, sizeof(err)))
		abort();
	if (hotmem_device_add(m, "pc-dimm", "d0", 256ull << 20, 0, err, sizeof(err)))
		abort();
	before = hotmem_state_hash(m);
	rc = hotmem_write(m, path, value, vlen);
	if (rc < 0 && hotmem_state_hash(m) != before) {
		fprintf(stderr, "write %s failed (%ld) but changed the state\n", path, rc);
		abort();
	}
	if (rc >= 0 && (size_t)rc != vlen && !(vlen > 4096 && rc == 4096))
		abort();	/* a store returns the byte count it took */
	if (hotmem_check(m, &report) != 0) {
		fprintf(stderr, "write %s: invariant broken:\n%s", path, report ? report : "");
		abort();
	}
	free(report);
	hotmem_free(m);
	return 0;
}
