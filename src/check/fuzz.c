/*
 * fuzz.c - the random-walk fuzzer (fuzz.h, docs/fuzzing.md).
 *
 * A walk is a program: a machine header (scenario lines: machine, numa,
 * cmdline) and a list of operations, each exactly one scenario step
 * (device_add, device_del, write, notifier-fail) executed through the
 * same hotmem.h call the model backend makes for that step, so the
 * written scenario replays the walk step for step. The header becomes a
 * struct hotmem_config through scenario_parse() itself, for the same
 * reason. Operations are drawn from the machine's current state (its
 * blocks, its DIMMs) with a share of invalid ones.
 *
 * Checks after each operation: every invariant; and if the operation
 * failed, the state hash before == after, except for an eject the guest
 * refused (-EBUSY from device_del): the kernel re-onlines what it had
 * offlined with the default online type, which need not restore zones
 * and watermarks as they were; there the blocks' states must come back
 * (unless a notifier could veto the re-online).
 */
#include "fuzz.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "invariants.h"
#include "../machine.h"
#include "../scenario/scenario.h"

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

/* ---- programs ------------------------------------------------------------ */

enum fop_kind { FOP_DEVICE_ADD, FOP_DEVICE_DEL, FOP_WRITE, FOP_NOTIFIER_FAIL, FOP_READ };

struct fop {
	enum fop_kind kind;
	char id[64];	/* as struct acpi_memory_device's */
	uint64_t size;
	int node;
	char path[96];
	char value[32];
	const char *event;
	const char *err_name;
	unsigned int count;
};

#define MAX_OPT 4
#define MAX_WORDS 12

/* The machine of a walk as scenario words; shrinking turns optional ones off. */
struct header {
	char machine[160];
	char opt[MAX_OPT][48];		/* optional machine arguments */
	bool opt_on[MAX_OPT];
	unsigned int nr_opt;
	char numa[HOTMEM_MAX_NODES][64];
	unsigned int nr_numa;
	char word[MAX_WORDS][64];	/* kernel command line */
	bool word_on[MAX_WORDS];
	unsigned int nr_words;
	char inject[64];		/* hotmem.inject_bug=..., never dropped */
};

struct program {
	struct header h;
	uint64_t block_size;	/* of the walk's machine, for simplifying DIMM sizes */
	struct fop *ops;
	size_t n, alloc;
};

static int program_push(struct program *p, const struct fop *op)
{
	if (p->n == p->alloc) {
		size_t n = p->alloc ? 2 * p->alloc : 256;
		struct fop *v = realloc(p->ops, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->ops = v;
		p->alloc = n;
	}
	p->ops[p->n++] = *op;
	return 0;
}

static int header_text(const struct header *h, struct strbuf *sb)
{
	unsigned int i;
	bool any = false;
	int r = sb_puts(sb, h->machine);

	for (i = 0; i < h->nr_opt; i++)
		if (h->opt_on[i])
			r |= sb_printf(sb, " %s", h->opt[i]);
	r |= sb_puts(sb, "\n");
	for (i = 0; i < h->nr_numa; i++)
		r |= sb_printf(sb, "%s\n", h->numa[i]);
	for (i = 0; i < h->nr_words; i++)
		if (h->word_on[i]) {
			r |= sb_printf(sb, "%s %s", any ? "" : "cmdline", h->word[i]);
			any = true;
		}
	if (h->inject[0]) {
		r |= sb_printf(sb, "%s %s", any ? "" : "cmdline", h->inject);
		any = true;
	}
	if (any)
		r |= sb_puts(sb, "\n");
	return r ? -ENOMEM : 0;
}

static void size_text(uint64_t size, char *buf, size_t len)
{
	if (size && !(size & ((1ull << 20) - 1)))
		snprintf(buf, len, "%lluM", (unsigned long long)(size >> 20));
	else
		snprintf(buf, len, "%llu", (unsigned long long)size);
}

/* The op as a scenario step; as an expect-error of errno_name if given. */
static int op_text(const struct fop *op, const char *errno_name, struct strbuf *sb)
{
	char size[32];
	int r = 0;

	if (errno_name && op->kind != FOP_NOTIFIER_FAIL && op->kind != FOP_READ)
		r |= sb_printf(sb, "expect-error %s ", errno_name);
	switch (op->kind) {
	case FOP_DEVICE_ADD:
		size_text(op->size, size, sizeof(size));
		r |= sb_printf(sb, "device_add pc-dimm id=%s size=%s node=%d\n",
			       op->id, size, op->node);
		break;
	case FOP_DEVICE_DEL:
		r |= sb_printf(sb, "device_del %s\n", op->id);
		break;
	case FOP_WRITE:
		r |= sb_printf(sb, "write %s %s\n", op->path, op->value);
		break;
	case FOP_NOTIFIER_FAIL:
		r |= sb_printf(sb, "notifier-fail %s %s count=%u\n", op->event,
			       op->err_name, op->count);
		break;
	case FOP_READ:
		r |= sb_printf(sb, "read %s\n", op->path);
		break;
	}
	return r ? -ENOMEM : 0;
}

/* The header through the scenario parser: the config `hotmem run` boots. */
static int header_config(const struct header *h, struct hotmem_config *c,
			 struct strbuf *why)
{
	struct strbuf text, diag;
	struct scenario *sc = NULL;
	int rc;

	sb_init(&text);
	sb_init(&diag);
	rc = header_text(h, &text);
	if (!rc)
		rc = sb_puts(&text, "boot\n");
	if (!rc)
		rc = scenario_parse("fuzz-machine", text.buf, text.len, &sc, &diag);
	if (rc == -EINVAL)
		sb_printf(why, "fuzzer bug: generated a malformed machine:\n%s%s",
			  text.buf, diag.buf ? diag.buf : "");
	if (!rc)
		*c = sc->machine.config;
	scenario_free(sc);
	sb_release(&text);
	sb_release(&diag);
	return rc;
}

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

static void gen_op(struct rng *r, const struct hotmem_machine *m,
		   unsigned int *next_dimm, struct fop *op)
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
	uint64_t roll = below(r, 100), bs = m->block_size;
	const struct acpi_memory_device *d;

	memset(op, 0, sizeof(*op));
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

/* ---- execution and checks ---------------------------------------------------- */

static long exec_op(struct hotmem_machine *m, const struct fop *op)
{
	char err[256], buf[40];
	size_t len;

	switch (op->kind) {
	case FOP_DEVICE_ADD:
		return hotmem_device_add(m, "pc-dimm", op->id, op->size, op->node,
					 err, sizeof(err));
	case FOP_DEVICE_DEL:
		return hotmem_device_del(m, op->id, err, sizeof(err));
	case FOP_WRITE:
		/* as the scenario's write: VALUE and a newline */
		len = (size_t)snprintf(buf, sizeof(buf), "%s\n", op->value);
		return hotmem_write(m, op->path, buf, len);
	case FOP_NOTIFIER_FAIL:
		return hotmem_notifier_fail(m, op->event,
					    -hotmem_errno_from_name(op->err_name), op->count);
	case FOP_READ: {
		char *content = NULL;
		int rc = hotmem_read(m, op->path, &content);

		free(content);
		return rc;
	}
	}
	return -EINVAL;
}

static bool rollback_applies(const struct fop *op, long rc)
{
	return rc < 0 && !(op->kind == FOP_DEVICE_DEL && rc == -EBUSY);
}

/* What an operation is checked against afterwards. */
struct before {
	uint64_t hash;		/* hotmem_state_hash() */
	uint64_t online;	/* blocks' states, for a refused eject */
	bool online_checked;	/* no notifier could veto the re-online */
};

/* The ids and states of all blocks, as one number. */
static uint64_t online_signature(const struct hotmem_machine *m)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < m->nr_blocks; i++) {
		h ^= m->blocks[i]->id * 4 + (uint64_t)(m->blocks[i]->state == MEM_ONLINE);
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return h;
}

static void take_before(const struct hotmem_machine *m, const struct fop *op,
			struct before *b)
{
	size_t i;

	b->hash = hotmem_state_hash(m);
	b->online_checked = false;
	if (op->kind != FOP_DEVICE_DEL)
		return;
	/* a refused eject re-onlines what it offlined, unless vetoed */
	for (i = 0; i < m->nr_notifiers; i++)
		if (m->notifiers[i].used &&
		    (m->notifiers[i].events & (MEM_GOING_ONLINE | MEM_PREPARE_ONLINE)))
			return;
	b->online = online_signature(m);
	b->online_checked = true;
}

/*
 * After op returned rc: 1 and kind/why filled on a violation, 0, or
 * -ENOMEM. kind is the invariant's name, or "rollback".
 */
static int check_op(const struct hotmem_machine *m, const struct fop *op, long rc,
		    const struct before *b, struct strbuf *why, char *kind, size_t kindlen,
		    uint64_t *rollback_checks)
{
	uint64_t hash_before = b->hash;
	int n = machine_check_invariants(m, why);
	struct strbuf t;

	if (n < 0)
		return n;
	if (n > 0) {
		const char *colon = why->buf ? strchr(why->buf, ':') : NULL;
		size_t k = colon ? (size_t)(colon - why->buf) : 0;

		snprintf(kind, kindlen, "%.*s", (int)(k < kindlen ? k : kindlen - 1), why->buf);
		return 1;
	}
	if (op->kind == FOP_DEVICE_DEL && rc == -EBUSY && b->online_checked) {
		(*rollback_checks)++;
		if (online_signature(m) != b->online) {
			sb_printf(why, "eject-rollback: the guest refused to eject %s but did not bring back online the blocks it had offlined\n",
				  op->id);
			snprintf(kind, kindlen, "eject-rollback");
			return 1;
		}
	}
	if (op->kind == FOP_READ) {
		/* a read changes nothing, and a file that exists can be read */
		(*rollback_checks)++;
		if (hotmem_state_hash(m) != hash_before || (rc < 0 && rc != -ENOENT && rc != -EISDIR)) {
			sb_printf(why, "read: 'read %s' returned %s and %s the machine's state\n",
				  op->path, rc < 0 ? hotmem_errno_name((int)-rc) : "its content",
				  hotmem_state_hash(m) != hash_before ? "changed" : "did not change");
			snprintf(kind, kindlen, "read");
			return 1;
		}
		return 0;
	}
	if (!rollback_applies(op, rc))
		return 0;
	(*rollback_checks)++;
	if (hotmem_state_hash(m) == hash_before)
		return 0;
	sb_init(&t);
	op_text(op, NULL, &t);
	if (t.len && t.buf[t.len - 1] == '\n')
		t.buf[--t.len] = '\0';
	sb_printf(why, "rollback: '%s' failed with %s but changed the machine's state (state hash %016llx -> %016llx)\n",
		  t.buf ? t.buf : "", hotmem_errno_name((int)-rc) ? hotmem_errno_name((int)-rc) : "?",
		  (unsigned long long)hash_before, (unsigned long long)hotmem_state_hash(m));
	sb_release(&t);
	snprintf(kind, kindlen, "rollback");
	return 1;
}

/*
 * Boot p's machine and run its first nops operations with checks.
 * Returns 1 with *at = the violating op (and why, kind), 0 when all
 * held (or the machine does not boot), or -errno.
 */
static int replay(const struct program *p, size_t nops, size_t *at, long *rc_at,
		  struct strbuf *why, char *kind, size_t kindlen)
{
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	struct before b;
	uint64_t checks = 0;
	char err[256];
	size_t i;
	int ret;

	why->len = 0;
	if (why->buf)
		why->buf[0] = '\0';
	ret = header_config(&p->h, &c, why);
	if (ret)
		return ret;
	if (hotmem_boot(&c, &m, err, sizeof(err)))
		return 0;
	ret = 0;
	for (i = 0; i < nops; i++) {
		long rc;

		take_before(m, &p->ops[i], &b);
		rc = exec_op(m, &p->ops[i]);
		ret = check_op(m, &p->ops[i], rc, &b, why, kind, kindlen, &checks);
		if (ret) {
			*at = i;
			*rc_at = rc;
			break;
		}
	}
	hotmem_free(m);
	return ret;
}

/* ---- shrinking --------------------------------------------------------------- */

static void progress(const struct fuzz_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void progress(const struct fuzz_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (!o->progress)
		return;
	va_start(ap, fmt);
	fputs("fuzz: ", o->progress);
	vfprintf(o->progress, fmt, ap);
	fputc('\n', o->progress);
	fflush(o->progress);
	va_end(ap);
}

/* Does p (all of its ops) still break the same invariant? Trims p to it. */
static int still_breaks(struct program *p, const char *want, struct strbuf *why,
			unsigned int *replays)
{
	char kind[64] = "";
	size_t at = 0;
	long rc = 0;
	int ret;

	(*replays)++;
	ret = replay(p, p->n, &at, &rc, why, kind, sizeof(kind));
	if (ret < 0)
		return ret;
	if (ret == 1 && !strcmp(kind, want)) {
		p->n = at + 1;
		return 1;
	}
	return 0;
}

/* Delta debugging over the ops: drop chunks, halving, while it still breaks. */
static int shrink_ops(struct program *p, const char *want, struct strbuf *why,
		      unsigned int *replays)
{
	size_t chunk = p->n / 2 ? p->n / 2 : 1, i;
	struct fop *saved = malloc((p->n ? p->n : 1) * sizeof(*saved));
	int ret = 0;

	if (!saved)
		return -ENOMEM;
	for (;; chunk /= 2) {
		for (i = 0; i < p->n && p->n > 1;) {
			size_t n = p->n, len = chunk < n - i ? chunk : n - i;

			if (len >= n)
				len = n - 1;	/* keep at least one op */
			memcpy(saved, p->ops, n * sizeof(*saved));
			memmove(&p->ops[i], &p->ops[i + len], (n - i - len) * sizeof(*saved));
			p->n = n - len;
			ret = still_breaks(p, want, why, replays);
			if (ret < 0)
				goto out;
			if (!ret) {
				memcpy(p->ops, saved, n * sizeof(*saved));
				p->n = n;
				i += len;
			}
		}
		if (chunk <= 1)
			break;
	}
	ret = 0;
out:
	free(saved);
	return ret;
}

static int shrink_header(struct program *p, const char *want, struct strbuf *why,
			 unsigned int *replays)
{
	unsigned int i;
	int ret;

	for (i = 0; i < p->h.nr_words; i++) {
		if (!p->h.word_on[i])
			continue;
		p->h.word_on[i] = false;
		ret = still_breaks(p, want, why, replays);
		if (ret < 0)
			return ret;
		if (!ret)
			p->h.word_on[i] = true;
	}
	for (i = 0; i < p->h.nr_opt; i++) {
		if (!p->h.opt_on[i])
			continue;
		p->h.opt_on[i] = false;
		ret = still_breaks(p, want, why, replays);
		if (ret < 0)
			return ret;
		if (!ret)
			p->h.opt_on[i] = true;
	}
	return 0;
}

/*
 * Simpler forms: one NUMA node instead of several, each DIMM one block
 * on node 0. Each change stays only if the same invariant still breaks.
 */
static int simplify(struct program *p, const char *want, struct strbuf *why,
		    unsigned int *replays)
{
	size_t i;
	int ret;

	if (p->h.nr_numa) {
		unsigned int saved = p->h.nr_numa;

		p->h.nr_numa = 0;
		ret = still_breaks(p, want, why, replays);
		if (ret < 0)
			return ret;
		if (!ret)
			p->h.nr_numa = saved;
	}
	for (i = 0; i < p->n; i++) {
		struct fop *op = &p->ops[i], saved = *op;

		if (op->kind != FOP_DEVICE_ADD)
			continue;
		if (op->size != p->block_size) {
			op->size = p->block_size;
			ret = still_breaks(p, want, why, replays);
			if (ret < 0)
				return ret;
			if (!ret)
				*op = saved;
		}
		if (i < p->n && op->node) {
			saved = *op;
			op->node = 0;
			ret = still_breaks(p, want, why, replays);
			if (ret < 0)
				return ret;
			if (!ret)
				*op = saved;
		}
	}
	return 0;
}

/*
 * Retarget block files to the lowest block id that still breaks: blocks
 * numbered by where earlier DIMMs landed keep those DIMMs alive in the
 * shrunk program; a lower target often lets them go.
 */
static int simplify_targets(struct program *p, const char *want, struct strbuf *why,
			    unsigned int *replays)
{
	static const char prefix[] = "/sys/devices/system/memory/memory";
	size_t i;
	int ret;

	for (i = 0; i < p->n; i++) {
		struct fop *op = &p->ops[i], saved = *op;
		char *end, rest[32];
		unsigned long long id, cand;

		if ((op->kind != FOP_WRITE && op->kind != FOP_READ) ||
		    strncmp(op->path, prefix, sizeof(prefix) - 1))
			continue;
		id = strtoull(op->path + sizeof(prefix) - 1, &end, 10);
		if (strlen(end) >= sizeof(rest))
			continue;
		memcpy(rest, end, strlen(end) + 1);
		for (cand = 0; cand < id && cand < 4096; cand++) {
			snprintf(op->path, sizeof(op->path), "%.40s%llu%.24s", prefix, cand, rest);
			ret = still_breaks(p, want, why, replays);
			if (ret < 0)
				return ret;
			if (ret)
				break;
			*op = saved;
		}
		if (i >= p->n)
			break;	/* still_breaks trimmed the program */
	}
	return 0;
}

/* The program's steps as text, to tell whether a shrink round changed it. */
static uint64_t program_signature(const struct program *p)
{
	struct strbuf sb;
	uint64_t h = 1469598103934665603ull;
	size_t i;

	sb_init(&sb);
	header_text(&p->h, &sb);
	for (i = 0; i < p->n; i++)
		op_text(&p->ops[i], NULL, &sb);
	for (i = 0; i < sb.len; i++)
		h = (h ^ (unsigned char)sb.buf[i]) * 1099511628211ull;
	sb_release(&sb);
	return h ^ p->n;
}

/* The scenario text of p, the violating op (the last) as an expect-error
 * when it is a rollback failure. */
/*
 * For a refused eject that did not re-online: the blocks of the DIMM
 * that were online before the last op, as expect lines for after it.
 */
static int eject_expectations(const struct program *p, struct strbuf *sb)
{
	const struct fop *del = &p->ops[p->n - 1];
	struct hotmem_config c;
	struct hotmem_machine *m = NULL;
	struct strbuf why;
	char err[256];
	size_t i;
	int r = 0;

	sb_init(&why);
	if (header_config(&p->h, &c, &why) || hotmem_boot(&c, &m, err, sizeof(err))) {
		sb_release(&why);
		return 0;
	}
	sb_release(&why);
	for (i = 0; i + 1 < p->n; i++)
		exec_op(m, &p->ops[i]);
	for (i = 0; i < m->nr_dimms; i++) {
		const struct acpi_memory_device *d = &m->dimms[i];
		uint64_t id;

		if (!d->used || strcmp(d->id, del->id))
			continue;
		for (id = d->addr / m->block_size; id < (d->addr + d->size) / m->block_size; id++) {
			const struct memory_block *mem = find_memory_block_by_id(m, id);

			if (mem && mem->state == MEM_ONLINE)
				r |= sb_printf(sb, "expect /sys/devices/system/memory/memory%llu/state == \"online\"\n",
					       (unsigned long long)id);
		}
	}
	hotmem_free(m);
	return r ? -ENOMEM : 0;
}

static int program_scenario(const struct program *p, const struct fuzz_opts *o,
			    uint64_t walk, const char *message, long rc_last,
			    const char *kind, struct strbuf *sb)
{
	bool rollback = !strcmp(kind, "rollback"), eject = !strcmp(kind, "eject-rollback");
	const char *nl;
	size_t i;
	int r;

	r = sb_printf(sb, "# Found by `hotmem fuzz --seed %llu` (walk %llu) and shrunk.\n",
		      (unsigned long long)o->seed, (unsigned long long)walk);
	r |= sb_puts(sb, "# Reproduce: hotmem run --check THIS-FILE\n");
	r |= sb_printf(sb, "# (exit status %d: %s)\n", rollback || eject ? 1 : 3,
		       rollback ? "the expect-error below sees the state change" :
		       eject ? "the expects after the refused eject fail" :
		       "the last step breaks an invariant");
	for (; message && *message; message = nl + 1) {
		nl = strchr(message, '\n');
		if (!nl) {
			r |= sb_printf(sb, "# %s\n", message);
			break;
		}
		r |= sb_printf(sb, "# %.*s\n", (int)(nl - message), message);
	}
	r |= header_text(&p->h, sb);
	r |= sb_puts(sb, "boot\n");
	for (i = 0; i < p->n; i++) {
		const char *name = NULL;

		if (rollback && i + 1 == p->n)
			name = hotmem_errno_name((int)-rc_last);
		r |= op_text(&p->ops[i], name, sb);
	}
	if (eject && p->n)
		r |= eject_expectations(p, sb);
	return r ? -ENOMEM : 0;
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
	const char *s = hotmem_arch_names();
	unsigned int n = 0;

	while (*s && n < max) {
		size_t len = strcspn(s, ", ");

		if (len && len < 16) {
			memcpy(archs[n], s, len);
			archs[n][len] = '\0';
			n++;
		}
		s += len;
		s += strspn(s, ", ");
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
	struct rng r;
	char err[256];
	int ret = 0;

	rng_seed(&r, splitmix64(&wseed));
	gen_header(&r, o, archs, nr_archs, &p->h);
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

		gen_op(&r, m, &next_dimm, &op);
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
				progress(o, "%llu ops on %llu machines, %.0f ops/s",
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
	unsigned int round;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	sb_init(&why);
	sb_init(&text);
	if (!nr_archs)
		return -EINVAL;
	progress(o, "phase 1: walking from seed %llu (%u architecture profile%s: %s)",
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
	progress(o, "%llu ops on %llu machines in %.1f s: %.0f ops/s, %llu failed ops checked for rollback",
		 (unsigned long long)res->ops, (unsigned long long)res->walks, res->seconds,
		 res->seconds > 0 ? (double)res->ops / res->seconds : 0.0,
		 (unsigned long long)res->rollback_checks);
	if (ret <= 0)
		goto out;

	res->violation = true;
	res->walk = walk;
	res->ops_before_shrink = p.n;
	res->message = strdup(why.buf ? why.buf : "");
	progress(o, "phase 2: walk %llu broke after %zu ops: %s", (unsigned long long)walk,
		 p.n, kind);
	/* rounds until a round changes nothing (five at most: each is a few replays per op) */
	ret = 0;
	for (round = 0; round < 5 && !ret; round++) {
		uint64_t before = program_signature(&p);
		unsigned int words = 0, k;

		ret = shrink_ops(&p, kind, &why, &replays);
		if (!ret)
			ret = shrink_header(&p, kind, &why, &replays);
		if (!ret)
			ret = simplify(&p, kind, &why, &replays);
		if (!ret)
			ret = simplify_targets(&p, kind, &why, &replays);
		for (k = 0; k < p.h.nr_words; k++)
			words += p.h.word_on[k];
		progress(o, "shrink round %u: %zu ops, %u kernel parameters, %u numa nodes",
			 round + 1, p.n, words, p.h.nr_numa);
		if (program_signature(&p) == before)
			break;
	}
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
	progress(o, "shrunk to %zu ops in %u replays", p.n, replays);
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
