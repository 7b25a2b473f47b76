/*
 * fuzz_text.c - libFuzzer harness: the importers of short outside text
 * (docs/fuzzing.md): hotmem_parse_size (QEMU/memparse sizes), kstrtobool,
 * scenario numbers, kernel command-line parameters
 * (hotmem_config_cmdline) and errno names. The first byte picks the
 * parser; the rest, NUL-terminated, is its input. Results must be
 * consistent: a size that parses prints back to the same value, a
 * refused command-line value leaves the config untouched.
 * Expected workload: millions of runs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hotmem.h"
#include "../src/scenario/scenario.h"
#include "../src/util/kstrtox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const params[] = {
	"memory_hotplug.memmap_on_memory", "memhp_default_state",
	"memory_hotplug.online_policy", "memory_hotplug.auto_movable_ratio",
	"memory_hotplug.auto_movable_numa_aware", "transparent_hugepage",
	"movable_node", "hotmem.inject_bug",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	uint64_t v;
	int b;

	if (!size)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0:
		if (hotmem_parse_size(s, &v) == 0) {
			char again[32];

			snprintf(again, sizeof(again), "%llu", (unsigned long long)v);
			if (hotmem_parse_size(again, &v) || strtoull(again, NULL, 10) != v)
				abort();
		}
		break;
	case 1:
		b = 7;
		if (kstrtobool(s, &b) == 0 && b != 0 && b != 1)
			abort();
		break;
	case 2: {
		struct scenario_num n;

		(void)scenario_parse_num(s, data[0] & 8, &n);
		break;
	}
	case 3: {
		struct hotmem_config c, orig;
		char err[256];
		const char *param = params[(data[0] >> 3) % (sizeof(params) / sizeof(params[0]))];

		hotmem_config_init(&c);
		memcpy(&orig, &c, sizeof(c));
		if (hotmem_config_cmdline(&c, param, s, err, sizeof(err)) != 0 &&
		    memcmp(&c, &orig, sizeof(c)))
			abort();	/* a refused value changed the config */
		break;
	}
	case 4: {
		int e = hotmem_errno_from_name(s);

		/* aliases (ENOTSUP = EOPNOTSUPP) map to one canonical name */
		if (e && (!hotmem_errno_name(e) ||
			  hotmem_errno_from_name(hotmem_errno_name(e)) != e))
			abort();
		break;
	}
	}
	free(s);
	return 0;
}
