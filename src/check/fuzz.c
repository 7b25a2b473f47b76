/*
 * fuzz.c - the random-walk fuzzer (fuzz.h, docs/fuzzing.md).
 *
 * Here: the PRNG, generating random machines and operations, and the
 * campaign (walk after walk, then shrinking the first failure). A walk
 * is a program (fuzz_prog.h): a machine header (scenario lines: machine,
 * numa, cmdline) and operations, each exactly one scenario step, executed
 * and checked by fuzz_prog.c and shrunk by fuzz_shrink.c. Operations are
 * drawn from the machine's current state (its blocks, its DIMMs) with a
 * share of invalid ones.
 */
#include "fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_prog.h"
#include "../machine.h"

/* ---- PRNG: xoshiro256**, seeded through splitmix64 -------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static const char *pick(struct rng *r, const char *const *v, size_t n)
{
	return v[below(r, n)];
}

#define PICK(r, arr) pick((r), (arr), sizeof(arr) / sizeof((arr)[0]))

/* ---- generation ------------------------------------------------------------ */

#define SZ_1M (1ull << 20)
#define SZ_64M (64ull << 20)

static void gen_header(struct rng *r, const struct fuzz_opts *o, char archs[][16],
		       unsigned int nr_archs, struct header *h)
{
	static const char *const mom[] = { "0", "1", "force" };
	static const char *const states[] = { "offline", "online", "online_kernel",
					       "online_movable" };
	static const char *const ratios[] = { "0", "1", "50", "100", "301", "1000", "3000" };
	static const char *const block_sizes[] = { "128M", "256M", "512M", "1G", "2G" };
	static const char *const inject_names[] = { "none", "offline-vmemmap-present" };
	unsigned int nodes = chance(r, 60) ? 1 : 2 + (unsigned int)below(r, 3), n;
	uint64_t mem = 0, node_mem[8];
	unsigned int slots = chance(r, 8) ? 0 : 1 + (unsigned int)below(r, 8);
	bool any_mem = false;

	memset(h, 0, sizeof(*h));
	for (n = 0; n < nodes; n++) {
		bool fine = chance(r, 20);	/* 2 MiB steps: partial sections */
		uint64_t unit = fine ? 2 * SZ_1M : SZ_64M;

		if (nodes > 1 && chance(r, n ? 30 : 10))
			node_mem[n] = 0;	/* memoryless */
		else
			node_mem[n] = (1 + below(r, (3ull << 30) / unit)) * unit;
		if (n == nodes - 1 && !any_mem && !node_mem[n])
			node_mem[n] = 512 * SZ_1M;
		if (nodes == 1 && node_mem[n] < 256 * SZ_1M)
			node_mem[n] += 256 * SZ_1M;
		any_mem |= node_mem[n] != 0;
		mem += node_mem[n];
	}
	snprintf(h->machine, sizeof(h->machine), "machine arch=%s mem=%lluM slots=%u maxmem=%lluM",
		 archs[below(r, nr_archs)], (unsigned long long)(mem >> 20), slots,
		 (unsigned long long)((mem + below(r, 25) * 512 * SZ_1M) >> 20));
	if (chance(r, 30))
		snprintf(h->opt[h->nr_opt++], sizeof(h->opt[0]), "block_size=%s",
			 PICK(r, block_sizes));
	if (chance(r, 30))
		snprintf(h->opt[h->nr_opt++], sizeof(h->opt[0]), "boot_used=%lluM",
			 (unsigned long long)(1 + below(r, 64)));
	for (n = 0; n < h->nr_opt; n++)
		h->opt_on[n] = true;
	if (nodes > 1)
		for (n = 0; n < nodes; n++) {
			int len = snprintf(h->numa[n], sizeof(h->numa[n]), "numa node=%u mem=%lluM",
					   n, (unsigned long long)(node_mem[n] >> 20));

			if (chance(r, n ? 60 : 85))
				snprintf(h->numa[n] + len, sizeof(h->numa[n]) - (size_t)len,
					 " cpus=%u", n);
			h->nr_numa++;
		}
#define WORD(...) snprintf(h->word[h->nr_words++], sizeof(h->word[0]), __VA_ARGS__)
	if (chance(r, 67))
		WORD("memory_hotplug.memmap_on_memory=%s", PICK(r, mom));
	if (chance(r, 75))
		WORD("memhp_default_state=%s", PICK(r, states));
	if (chance(r, 50))
		WORD("memory_hotplug.online_policy=auto-movable");
	if (chance(r, 50))
		WORD("memory_hotplug.auto_movable_ratio=%s", PICK(r, ratios));
	if (chance(r, 30))
		WORD("memory_hotplug.auto_movable_numa_aware=%u", (unsigned int)below(r, 2));
	if (chance(r, 10))
		WORD("movable_node");
	if (chance(r, 20))
		WORD("transparent_hugepage=never");
#undef WORD
	for (n = 0; n < h->nr_words; n++)
		h->word_on[n] = true;
	if (o->inject && o->inject < sizeof(inject_names) / sizeof(inject_names[0]))
		snprintf(h->inject, sizeof(h->inject), "hotmem.inject_bug=%s",
			 inject_names[o->inject]);
}

static const struct acpi_memory_device *random_dimm(struct rng *r,
						    const struct hotmem_machine *m)
{
	size_t i, used = 0, k;

	for (i = 0; i < m->nr_dimms; i++)
		used += m->dimms[i].used;
	if (!used)
		return NULL;
	k = below(r, used);
	for (i = 0; i < m->nr_dimms; i++)
		if (m->dimms[i].used && !k--)
			return &m->dimms[i];
	return NULL;
}

static uint64_t random_block_id(struct rng *r, const struct hotmem_machine *m)
{
	uint64_t top = m->nr_blocks ? m->blocks[m->nr_blocks - 1]->id + 1 : 0;

	if (!m->nr_blocks || chance(r, 4))
		return top + below(r, 8);	/* no such block */
	return m->blocks[below(r, m->nr_blocks)]->id;
}

/*
 * Device memory (x86 machines the walk marked so): legacy pmem on the
 * command line, then nvdimm and CXL type-3 plugs and the nd/dax/kmem
 * writes of the ndctl/daxctl stories (docs/device-memory.md), in random
 * order, so most are refused; each is checked like any operation.
 * A stream of its own (dr) keeps the other walks as they were.
 */
static void gen_header_devices(struct rng *dr, struct header *h)
{
	static const char *const pmem[] = {
		"memmap=1G!4G", "memmap=130M!4G", "memmap=512M!4G,8M!0x140100000",
		"memmap=256M!0x100000000",
	};

	char *slots = strstr(h->machine, " slots=");

	if (chance(dr, 60) && h->nr_words < MAX_WORDS && slots) {
		snprintf(h->word[h->nr_words], sizeof(h->word[0]), "%s", PICK(dr, pmem));
		h->word_on[h->nr_words++] = true;
		/*
		 * No DIMM slots then: QEMU would put DIMMs at 4 GiB, over the
		 * pmem, and acpi_memory_enable_device counts the -EEXIST as
		 * enabled, so an eject would remove the pmem's memmap (the
		 * kernel's own behaviour on that misconfiguration).
		 */
		slots[7] = '0';
		memmove(slots + 8, slots + 7 + strspn(slots + 7, "0123456789"),
			strlen(slots + 7 + strspn(slots + 7, "0123456789")) + 1);
	}
}

static void gen_device_op(struct rng *dr, const struct hotmem_machine *m,
			  unsigned int *next_dimm, struct fop *op)
{
	static const char *const writes[][2] = {
		{ "/sys/bus/nd/drivers/nd_pmem/unbind", "namespace%u.0" },
		{ "/sys/bus/nd/drivers/nd_pmem/bind", "namespace%u.0" },
		{ "/sys/bus/nd/devices/dax%u.0/uuid", "3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10" },
		{ "/sys/bus/nd/devices/dax%u.0/mode", "pmem" },
		{ "/sys/bus/nd/devices/dax%u.0/mode", "ram" },
		{ "/sys/bus/nd/devices/dax%u.0/align", "2097152" },
		{ "/sys/bus/nd/devices/dax%u.0/namespace", "namespace%u.0" },
		{ "/sys/bus/nd/drivers/dax_pmem/bind", "dax%u.0" },
		{ "/sys/bus/nd/drivers/dax_pmem/unbind", "dax%u.0" },
		{ "/sys/bus/nd/devices/namespace%u.0/uuid", "0b4c3a7e-5f21-4d8a-9e6b-7c1d2e3f4a5b" },
		{ "/sys/bus/nd/devices/namespace%u.0/size", "134217728" },
		{ "/sys/bus/nd/devices/namespace%u.0/size", "0" },
		{ "/sys/bus/nd/devices/region%u/align", "2097152" },
		{ "/sys/bus/dax/drivers/device_dax/unbind", "dax%u.0" },
		{ "/sys/bus/dax/drivers/device_dax/bind", "dax%u.0" },
		{ "/sys/bus/dax/devices/dax%u.0/memmap_on_memory", "1" },
		{ "/sys/bus/dax/devices/dax%u.0/memmap_on_memory", "0" },
		{ "/sys/bus/dax/drivers/kmem/new_id", "dax%u.0" },
		{ "/sys/bus/dax/drivers/kmem/bind", "dax%u.0" },
		{ "/sys/bus/dax/drivers/kmem/unbind", "dax%u.0" },
		{ "/sys/bus/dax/drivers/kmem/remove_id", "dax%u.0" },
		{ "/sys/bus/dax/devices/dax%u.0/size", "268435456" },
		{ "/sys/bus/dax/devices/dax%u.0/size", "0" },
	};
	static const uint64_t nvdimm_sizes[] = {
		(1ull << 30) + (128 << 10), (130ull << 20) + (128 << 10), 256ull << 20,
	};
	static const uint64_t cxl_sizes[] = { 256ull << 20, 1ull << 30, 2ull << 30, 100ull << 20 };
	uint64_t v = below(dr, 100);
	unsigned int dev = chance(dr, 20) ? 1 : 0, w;
	const struct acpi_memory_device *d;

	if (v < 8) {
		op->kind = FOP_DEVICE_ADD;
		op->driver = "nvdimm";
		snprintf(op->id, sizeof(op->id), "nv%u", (*next_dimm)++);
		op->size = nvdimm_sizes[below(dr, 3)];
		op->node = 0;
	} else if (v < 16) {
		op->kind = FOP_DEVICE_ADD;
		op->driver = "cxl-type3";
		snprintf(op->id, sizeof(op->id), "cxl%u", (*next_dimm)++);
		op->size = cxl_sizes[below(dr, 4)];
		op->node = (int)below(dr, m->nr_node_ids + 1);
	} else if (v < 20) {
		op->kind = FOP_DEVICE_DEL;
		d = random_dimm(dr, m);
		snprintf(op->id, sizeof(op->id), "%s", d ? d->id : "cxl0");
	} else {
		w = (unsigned int)below(dr, sizeof(writes) / sizeof(writes[0]));
		op->kind = FOP_WRITE;
		snprintf(op->path, sizeof(op->path), writes[w][0], dev);
		snprintf(op->value, sizeof(op->value), writes[w][1], dev);
	}
}

static void gen_op(struct rng *r, struct rng *dr, bool devices,
		   const struct hotmem_machine *m, unsigned int *next_dimm, struct fop *op)
{
	static const char *const states[] = {
		"online", "offline", "online_kernel", "online_movable",
		"online", "offline", "online_kernel", "online_movable",
		"onlin", "Online", "online_movablex", "1", "off", "offline_",
	};
	static const char *const bools[] = {
		"0", "1", "y", "n", "Y", "N", "on", "off", "2", "yes!", "-1",
	};
	static const char *const auto_online[] = {
		"offline", "online", "online_kernel", "online_movable", "movable",
	};
	static const char *const policies[] = { "contig-zones", "auto-movable", "auto" };
	static const char *const ratios[] = {
		"0", "1", "100", "301", "1000", "-1", "abc", "4294967296", "0x10",
	};
	static const char *const numa_aware[] = { "Y", "N", "1", "0", "maybe" };
	static const char *const readonly[] = {
		"/sys/devices/system/memory/block_size_bytes",
		"/sys/module/memory_hotplug/parameters/memmap_on_memory",
		"/sys/devices/system/memory/nosuch",
		"/proc/meminfo",
		"/sys/devices/system/node/online",
	};
	static const char *const events[] = {
		"MEM_GOING_ONLINE", "MEM_GOING_OFFLINE", "MEM_PREPARE_ONLINE",
		"MEM_ONLINE", "MEM_OFFLINE", "MEM_CANCEL_ONLINE",
	};
	static const char *const errs[] = { "EPERM", "ENOMEM", "EBUSY", "EINVAL", "EIO" };
	static const char *const params = "/sys/module/memory_hotplug/parameters/";
	uint64_t roll, bs = m->block_size;
	const struct acpi_memory_device *d;

	memset(op, 0, sizeof(*op));
	if (devices && chance(dr, 30)) {
		gen_device_op(dr, m, next_dimm, op);
		return;
	}
	roll = below(r, 100);
	if (roll < 18) {
		uint64_t k = 1 + below(r, 4), v = below(r, 100);

		op->kind = FOP_DEVICE_ADD;
		d = chance(r, 8) ? random_dimm(r, m) : NULL;
		if (d)
			snprintf(op->id, sizeof(op->id), "%s", d->id);
		else
			snprintf(op->id, sizeof(op->id), "d%u", (*next_dimm)++);
		op->size = v < 80 ? k * bs : v < 90 ? k * bs + 2 * SZ_1M :
			   v < 96 ? SZ_64M : v < 98 ? 1000 : (1ull << 40);
		op->node = chance(r, 92) ? (int)below(r, m->nr_node_ids) : (int)m->nr_node_ids;
	} else if (roll < 26) {
		op->kind = FOP_DEVICE_DEL;
		d = chance(r, 85) ? random_dimm(r, m) : NULL;
		snprintf(op->id, sizeof(op->id), "%s", d ? d->id : "d999");
	} else if (roll < 95) {
		op->kind = FOP_WRITE;
		if (roll < 66) {
			snprintf(op->path, sizeof(op->path), "/sys/devices/system/memory/memory%llu/state",
				 (unsigned long long)random_block_id(r, m));
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, states));
		} else if (roll < 78) {
			snprintf(op->path, sizeof(op->path), "/sys/devices/system/memory/memory%llu/online",
				 (unsigned long long)random_block_id(r, m));
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, bools));
		} else if (roll < 84) {
			snprintf(op->path, sizeof(op->path), "/sys/devices/system/memory/auto_online_blocks");
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, auto_online));
		} else if (roll < 87) {
			snprintf(op->path, sizeof(op->path), "%sonline_policy", params);
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, policies));
		} else if (roll < 90) {
			snprintf(op->path, sizeof(op->path), "%sauto_movable_ratio", params);
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, ratios));
		} else if (roll < 92) {
			snprintf(op->path, sizeof(op->path), "%sauto_movable_numa_aware", params);
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, numa_aware));
		} else {
			snprintf(op->path, sizeof(op->path), "%s", PICK(r, readonly));
			snprintf(op->value, sizeof(op->value), "%s", PICK(r, bools));
		}
	} else if (chance(r, 50)) {
		static const char *const block_files[] = {
			"state", "online", "valid_zones", "phys_index", "removable",
			"phys_device", "node0", "",
		};
		static const char *const files[] = {
			"/proc/meminfo", "/proc/zoneinfo", "/proc/vmstat", "/proc/iomem",
			"/sys/devices/system/node/has_memory",
			"/sys/devices/system/node/has_normal_memory",
			"/sys/devices/system/node/online",
			"/sys/devices/system/memory/auto_online_blocks",
		};
		uint64_t v = below(r, 3);

		op->kind = FOP_READ;
		if (!v)
			snprintf(op->path, sizeof(op->path), "/sys/devices/system/memory/memory%llu/%s",
				 (unsigned long long)random_block_id(r, m), PICK(r, block_files));
		else if (v == 1)
			snprintf(op->path, sizeof(op->path), "/sys/devices/system/node/node%u/meminfo",
				 (unsigned int)below(r, m->nr_node_ids + 1));
		else
			snprintf(op->path, sizeof(op->path), "%s", PICK(r, files));
	} else {
		op->kind = FOP_NOTIFIER_FAIL;
		op->event = PICK(r, events);
		op->err_name = PICK(r, errs);
		op->count = chance(r, 3) ? 0 : 1 + (unsigned int)below(r, 3);
	}
}

/* ---- the campaign -------------------------------------------------------------- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned int arch_list(char archs[][16], unsigned int max)
{
	const char *name;
	unsigned int n = 0;

	while (n < max && (name = hotmem_arch_profile_name(n))) {
		snprintf(archs[n], 16, "%s", name);
		n++;
	}
	return n;
}

void fuzz_result_release(struct fuzz_result *res)
{
	free(res->message);
	free(res->scenario);
	memset(res, 0, sizeof(*res));
}

/* One walk: 1 on a violation (p then holds the ops up to it), 0, -errno. */
static int walk_once(const struct fuzz_opts *o, uint64_t walk, char archs[][16],
		     unsigned int nr_archs, struct program *p, struct fuzz_result *res,
		     struct strbuf *why, char *kind, size_t kindlen, double t0,
		     double *next_report)
{
	uint64_t wseed = o->seed ^ (walk * 0x9e3779b97f4a7c15ull);
	unsigned int len = o->walk_len ? o->walk_len : 200, next_dimm = 0, k;
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	struct rng r, dr;
	uint64_t dseed = wseed ^ 0xde71ce5ull;
	char err[256];
	bool devices;
	int ret = 0;

	rng_seed(&r, splitmix64(&wseed));
	rng_seed(&dr, splitmix64(&dseed));
	gen_header(&r, o, archs, nr_archs, &p->h);
	devices = strstr(p->h.machine, "arch=x86_64") && chance(&dr, 30);
	if (devices)
		gen_header_devices(&dr, &p->h);
	p->n = 0;
	ret = header_config(&p->h, &c, why);
	if (ret)
		return ret;
	if (hotmem_boot(&c, &m, err, sizeof(err))) {
		res->boot_failures++;
		return 0;
	}
	p->block_size = m->block_size;
	for (k = 0; k < len && (!o->max_ops || res->ops < o->max_ops); k++) {
		struct fop op;
		struct before b;
		long rc;

		gen_op(&r, &dr, devices, m, &next_dimm, &op);
		ret = program_push(p, &op);
		if (ret)
			break;
		take_before(m, &op, &b);
		rc = exec_op(m, &op);
		res->ops++;
		res->failed_ops += rc < 0;
		if (rc < 0)
			res->kind_failed[op.kind]++;
		else
			res->kind_ok[op.kind]++;
		ret = check_op(m, &op, rc, &b, why, kind, kindlen, &res->rollback_checks);
		if (ret)
			break;
		if (!(res->ops & 1023) && o->progress) {
			double t = now_seconds();

			if (t >= *next_report) {
				fuzz_progress(o, "%llu ops on %llu machines, %.0f ops/s",
					      (unsigned long long)res->ops,
					      (unsigned long long)res->walks,
					      (double)res->ops / (t - t0));
				*next_report = t + 1.0;
			}
			if (o->max_seconds && t - t0 >= o->max_seconds)
				break;
		}
	}
	hotmem_free(m);
	return ret;
}

int fuzz_run(const struct fuzz_opts *o, struct fuzz_result *res)
{
	char archs[16][16], kind[64] = "";
	unsigned int nr_archs = arch_list(archs, 16), replays = 0;
	struct program p;
	struct strbuf why, text;
	double t0 = now_seconds(), next_report = t0 + 1.0;
	uint64_t walk = o->only_walk >= 0 ? (uint64_t)o->only_walk : 0;
	size_t at = 0;
	long rc_at = 0;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	sb_init(&why);
	sb_init(&text);
	if (!nr_archs)
		return -EINVAL;
	fuzz_progress(o, "phase 1: walking from seed %llu (%u architecture profile%s: %s)",
		      (unsigned long long)o->seed, nr_archs, nr_archs == 1 ? "" : "s",
		      hotmem_arch_names());
	for (;; walk++) {
		double t = now_seconds();

		if ((o->max_ops && res->ops >= o->max_ops) ||
		    (o->max_seconds && t - t0 >= o->max_seconds))
			break;
		why.len = 0;
		ret = walk_once(o, walk, archs, nr_archs, &p, res, &why, kind, sizeof(kind),
				t0, &next_report);
		res->walks++;
		if (ret)
			break;
		if (o->only_walk >= 0)
			break;
	}
	res->seconds = now_seconds() - t0;
	fuzz_progress(o, "%llu ops on %llu machines in %.1f s: %.0f ops/s, %llu failed ops checked for rollback",
		      (unsigned long long)res->ops, (unsigned long long)res->walks, res->seconds,
		      res->seconds > 0 ? (double)res->ops / res->seconds : 0.0,
		      (unsigned long long)res->rollback_checks);
	if (ret <= 0)
		goto out;

	res->violation = true;
	res->walk = walk;
	res->ops_before_shrink = p.n;
	res->message = strdup(why.buf ? why.buf : "");
	fuzz_progress(o, "phase 2: walk %llu broke after %zu ops: %s", (unsigned long long)walk,
		      p.n, kind);
	ret = shrink_program(&p, o, kind, &why, &replays);
	if (ret)
		goto out;
	/* the final replay gives the message and errno of the shrunk program */
	ret = replay(&p, p.n, &at, &rc_at, &why, kind, sizeof(kind));
	if (ret < 0)
		goto out;
	if (ret == 1) {
		free(res->message);
		res->message = strdup(why.buf ? why.buf : "");
	}
	res->ops_after_shrink = p.n;
	fuzz_progress(o, "shrunk to %zu ops in %u replays", p.n, replays);
	ret = program_scenario(&p, o, walk, res->message, rc_at, kind, &text);
	if (!ret) {
		res->scenario = sb_detach(&text);
		ret = res->scenario && res->message ? 0 : -ENOMEM;
	}
out:
	if (ret < 0 && !res->message && why.len)
		res->message = strdup(why.buf);	/* e.g. a malformed machine */
	free(p.ops);
	sb_release(&why);
	sb_release(&text);
	return ret < 0 ? ret : 0;
}
