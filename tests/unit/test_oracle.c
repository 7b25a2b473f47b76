/*
 * test_oracle.c - reference-model test in the SQLite manner: a seeded
 * random program of hardware events and sysfs writes runs against the
 * model and against a naive oracle that knows only the kernel's rules
 * as arithmetic (mm/sparse-vmemmap.c; drivers/base/memory.c; mm/memory_hotplug.c; 11 B): a block online in a zone adds
 * N - V managed and N present pages to it, every hot-added block adds
 * its section memmaps to nr_memmap_pages, repeated states are EINVAL,
 * DIMMs are placed first fit from 4 GiB. After every step the counters
 * users read must agree, and a refused write must change nothing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tree.h"

#define SZ_128M (128ull << 20)
#define BLOCK_PAGES 32768ull
#define MAX_DIMMS 8
#define MAX_BLOCKS 256

struct oracle_dimm {
	bool used;
	char id[16];
	uint64_t addr, size;
};

struct oracle {
	bool memmap_on_memory;
	struct oracle_dimm dimms[MAX_DIMMS];
	/* per block id: 0 absent, 1 offline, 2 online Normal, 3 online Movable */
	int block[MAX_BLOCKS];
	uint64_t boot_memtotal_kb;
};

/* xorshift64*: the test's own generator, reproducible from the seed */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t oracle_vmemmap(const struct oracle *o)
{
	return o->memmap_on_memory ? 512 : 0;
}

static uint64_t oracle_place(const struct oracle *o, uint64_t size)
{
	uint64_t a = 4ull << 30;

	for (;;) {
		bool clash = false;
		int i;

		for (i = 0; i < MAX_DIMMS; i++) {
			const struct oracle_dimm *d = &o->dimms[i];

			if (d->used && a < d->addr + d->size && d->addr < a + size) {
				a = d->addr + d->size;
				clash = true;
			}
		}
		if (!clash)
			return a;
	}
}

static void check_counters(struct test_ctx *t, struct hotmem_machine *m,
			   const struct oracle *o, uint64_t step)
{
	uint64_t v = oracle_vmemmap(o), total = 0, memmap = 0;
	uint64_t present[2] = { 0, 0 }, managed[2] = { 0, 0 };
	char path[128], *s;
	int b;

	for (b = 0; b < MAX_BLOCKS; b++) {
		if (!o->block[b])
			continue;
		memmap += 512;
		if (o->block[b] >= 2) {
			total += (BLOCK_PAGES - v) * 4;
			present[o->block[b] - 2] += BLOCK_PAGES;
			managed[o->block[b] - 2] += BLOCK_PAGES - v;
		}
		snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%d/state", b);
		if (hotmem_read(m, path, &s) == 0) {
			CHECK_STR(t, s, o->block[b] >= 2 ? "online\n" : "offline\n");
			free(s);
		} else {
			CHECK(t, !"block missing");
		}
	}
	if (test_field(m, "/proc/meminfo", "MemTotal") != o->boot_memtotal_kb + total)
		printf("  step %llu: MemTotal\n", (unsigned long long)step);
	CHECK_EQ_U64(t, test_field(m, "/proc/meminfo", "MemTotal"), o->boot_memtotal_kb + total);
	CHECK_EQ_U64(t, test_field(m, "/proc/vmstat", "nr_memmap_pages"), memmap);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Normal", "present"), present[0]);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Normal", "managed"), managed[0]);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Movable", "present"), present[1]);
	CHECK_EQ_U64(t, test_zone_field(m, 0, "Movable", "managed"), managed[1]);
}

static void run_program(struct test_ctx *t, uint64_t seed, bool memmap_on_memory,
			unsigned int steps)
{
	static const char *const on[] = {
		"memory_hotplug.memmap_on_memory", "1", "memhp_default_state", "offline", NULL
	};
	static const char *const off[] = { "memhp_default_state", "offline", NULL };
	struct hotmem_machine *m = test_boot(memmap_on_memory ? on : off, 2ull << 30, 0);
	struct oracle o;
	unsigned int step;
	char err[256];

	if (!m) {
		CHECK(t, 0);
		return;
	}
	memset(&o, 0, sizeof(o));
	o.memmap_on_memory = memmap_on_memory;
	o.boot_memtotal_kb = test_field(m, "/proc/meminfo", "MemTotal");

	for (step = 0; step < steps; step++) {
		uint64_t r = next_rand(&seed);
		int d = (int)(r % MAX_DIMMS);
		struct oracle_dimm *dimm = &o.dimms[d];

		switch ((r >> 8) % 4) {
		case 0: {	/* device_add or device_del */
			if (!dimm->used) {
				uint64_t size = SZ_128M * (1 + (r >> 16) % 4);
				uint64_t addr = oracle_place(&o, size), id;

				snprintf(dimm->id, sizeof(dimm->id), "d%d", d);
				CHECK_EQ_INT(t, hotmem_device_add(m, "pc-dimm", dimm->id, size, 0,
								  err, sizeof(err)), 0);
				dimm->used = true;
				dimm->addr = addr;
				dimm->size = size;
				for (id = addr / SZ_128M; id < (addr + size) / SZ_128M; id++)
					o.block[id] = 1;
			} else {
				uint64_t id;

				/* hot memory holds no kernel allocations here: eject succeeds */
				CHECK_EQ_INT(t, hotmem_device_del(m, dimm->id, err, sizeof(err)), 0);
				for (id = dimm->addr / SZ_128M;
				     id < (dimm->addr + dimm->size) / SZ_128M; id++)
					o.block[id] = 0;
				dimm->used = false;
			}
			break;
		}
		default: {	/* a state write to one of its blocks */
			uint64_t id, nblocks;
			int want, kind = (int)((r >> 24) % 3);
			static const char *const words[] = {
				"offline", "online_kernel", "online_movable"
			};
			char path[128], *before, *after;
			long ret;

			if (!dimm->used)
				break;
			/* RAM-backed memmaps land in Normal first: keep it empty then */
			if (!memmap_on_memory && kind == 1)
				kind = 2;
			nblocks = dimm->size / SZ_128M;
			id = dimm->addr / SZ_128M + (r >> 32) % nblocks;
			snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%llu/state",
				 (unsigned long long)id);
			want = kind == 0 ? 1 : kind + 1;
			before = test_tree_digest(m);
			ret = test_write(m, path, words[kind]);
			if ((o.block[id] == 1) == (kind == 0)) {
				/* already in that state: EINVAL, nothing changes */
				CHECK_EQ_INT(t, ret, -EINVAL);
				after = test_tree_digest(m);
				CHECK_STR(t, after, before);
				free(after);
			} else if (kind != 0 && o.block[id] >= 2) {
				CHECK_EQ_INT(t, ret, -EINVAL);
			} else {
				CHECK_EQ_INT(t, ret, (long)strlen(words[kind]));
				o.block[id] = want;
			}
			free(before);
			break;
		}
		}
		check_counters(t, m, &o, step);
		if (t->case_failures) {
			printf("  seed program failed at step %u\n", step);
			break;
		}
	}
	hotmem_free(m);
}

static void test_oracle_memmap_on_memory(struct test_ctx *t)
{
	run_program(t, 0x5eed0001ull, true, 300);
}

static void test_oracle_memmap_in_ram(struct test_ctx *t)
{
	run_program(t, 0x5eed0002ull, false, 300);
}

void tests_oracle(struct test_ctx *t)
{
	RUN(t, test_oracle_memmap_on_memory);
	RUN(t, test_oracle_memmap_in_ram);
}
