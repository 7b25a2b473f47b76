/*
 * bench_64t.c - the scale benchmark: an x86-64 bare-metal-shaped machine
 * filling the 46-bit (64 TiB) physical address space, 2 GiB memory
 * blocks, boots with 61 TiB of RAM; 1 TiB is hot-added as one DIMM,
 * onlined (movable), offlined and removed, once with memmap_on_memory
 * and once with the memmap in node memory. Prints wall time per phase
 * and the process's peak RSS. Nothing in the model is per 4 KiB page,
 * so the targets are milliseconds per phase and tens of MiB.
 *
 * Usage: bench_64t [--json]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "hotmem.h"

#define SZ_1G (1ull << 30)
#define SZ_1T (1ull << 40)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int die(const char *what, int err, const char *msg)
{
	fprintf(stderr, "bench_64t: %s failed: %s%s%s\n", what,
		hotmem_errno_name(err) ? hotmem_errno_name(err) : "?",
		msg && *msg ? ": " : "", msg ? msg : "");
	return 1;
}

/* Write `word` to the state of every block of [start, start+size). */
static int write_blocks(struct hotmem_machine *m, uint64_t start, uint64_t size,
			const char *word)
{
	char path[96];
	uint64_t id, bs = 2 * SZ_1G;

	for (id = start / bs; id < (start + size) / bs; id++) {
		long r;

		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state",
			 (unsigned long long)id);
		r = hotmem_write(m, path, word, strlen(word));
		if (r < 0)
			return die(path, (int)r, word);
	}
	return 0;
}

static int run(int memmap_on_memory, int json)
{
	struct hotmem_config c;
	struct hotmem_machine *m, *clone;
	char err[256] = "";
	double t0, t[7];
	uint64_t dimm_base;
	int r;

	hotmem_config_init(&c);
	c.mem_bytes = 61 * SZ_1T;
	c.slots = 1;
	c.maxmem_bytes = 62 * SZ_1T;
	c.hypervisor = 0;	/* bare metal: 2 GiB blocks above 64 GiB */
	hotmem_config_cmdline(&c, "memhp_default_state", "offline", NULL, 0);
	if (memmap_on_memory)
		hotmem_config_cmdline(&c, "memory_hotplug.memmap_on_memory", "1", NULL, 0);

	t0 = now_ms();
	r = hotmem_boot(&c, &m, err, sizeof(err));
	if (r)
		return die("boot", r, err);
	t[0] = now_ms();
	clone = hotmem_clone(m);
	if (!clone)
		return die("clone", -12, NULL);
	t[1] = now_ms();
	hotmem_free(clone);
	t[2] = now_ms();
	r = hotmem_device_add(m, "pc-dimm", "dimm0", SZ_1T, 0, err, sizeof(err));
	if (r)
		return die("device_add", r, err);
	t[3] = now_ms();
	/*
	 * QEMU: 2 GiB of RAM below 4 GiB, the rest from 1 TiB (above the
	 * HyperTransport hole), the DIMM right after it.
	 */
	dimm_base = SZ_1T + 61 * SZ_1T - 2 * SZ_1G;
	if (write_blocks(m, dimm_base, SZ_1T, "online_movable"))
		return 1;
	t[4] = now_ms();
	if (write_blocks(m, dimm_base, SZ_1T, "offline"))
		return 1;
	t[5] = now_ms();
	r = hotmem_device_del(m, "dimm0", err, sizeof(err));
	if (r)
		return die("device_del", r, err);
	t[6] = now_ms();
	hotmem_free(m);

	if (json) {
		printf("{\"memmap_on_memory\": %d, \"boot_ms\": %.2f, \"clone_ms\": %.2f, "
		       "\"add_1t_ms\": %.2f, \"online_ms\": %.2f, \"offline_ms\": %.2f, "
		       "\"remove_ms\": %.2f, \"peak_rss_kb\": %ld}\n", memmap_on_memory,
		       t[0] - t0, t[1] - t[0], t[3] - t[2], t[4] - t[3], t[5] - t[4],
		       t[6] - t[5], peak_rss_kb());
	} else {
		printf("64 TiB x86-64, 2 GiB blocks, memmap_on_memory=%d\n", memmap_on_memory);
		printf("  boot (61 TiB)          %9.2f ms\n", t[0] - t0);
		printf("  clone                  %9.2f ms\n", t[1] - t[0]);
		printf("  hot-add 1 TiB          %9.2f ms\n", t[3] - t[2]);
		printf("  online 512 blocks      %9.2f ms\n", t[4] - t[3]);
		printf("  offline 512 blocks     %9.2f ms\n", t[5] - t[4]);
		printf("  remove                 %9.2f ms\n", t[6] - t[5]);
		printf("  peak RSS so far        %9ld KiB\n", peak_rss_kb());
	}
	return 0;
}

int main(int argc, char **argv)
{
	int json = argc > 1 && !strcmp(argv[1], "--json");

	if (argc > 1 && !json) {
		fprintf(stderr, "usage: bench_64t [--json]\n");
		return 2;
	}
	if (run(1, json) || run(0, json))
		return 1;
	return 0;
}
