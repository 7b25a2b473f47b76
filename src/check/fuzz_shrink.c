/*
 * fuzz_shrink.c - shrinking a failing walk and writing it as a scenario
 * (fuzz_prog.h): delta debugging over the operations, then the machine
 * header, simpler DIMMs and NUMA layout, lower block targets; every
 * candidate is replayed from boot and kept only if the same invariant
 * still breaks.
 * Expected workload: a few hundred replays of programs of tens of ops.
 */
#include "fuzz_prog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../machine.h"

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

/* Switch off each of the n switches on[] that the failure does not need. */
static int drop_switches(struct program *p, bool *on, unsigned int n, const char *want,
			 struct strbuf *why, unsigned int *replays)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		if (!on[i])
			continue;
		on[i] = false;
		ret = still_breaks(p, want, why, replays);
		if (ret < 0)
			return ret;
		if (!ret)
			on[i] = true;
	}
	return 0;
}

/* Kernel parameters, then optional machine arguments. */
static int shrink_header(struct program *p, const char *want, struct strbuf *why,
			 unsigned int *replays)
{
	int ret = drop_switches(p, p->h.word_on, p->h.nr_words, want, why, replays);

	return ret ? ret : drop_switches(p, p->h.opt_on, p->h.nr_opt, want, why, replays);
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

int program_scenario(const struct program *p, const struct fuzz_opts *o,
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

/*
 * Shrink p while it still breaks invariant want: rounds of dropping
 * ops, kernel parameters and machine options, simplifying the machine
 * and the DIMMs, retargeting block files, until a round changes nothing.
 */
int shrink_program(struct program *p, const struct fuzz_opts *o, const char *want,
		   struct strbuf *why, unsigned int *replays)
{
	unsigned int round;
	int ret = 0;

	/* rounds until a round changes nothing (five at most: each is a few replays per op) */
	for (round = 0; round < 5 && !ret; round++) {
		uint64_t before = program_signature(p);
		unsigned int words = 0, k;

		ret = shrink_ops(p, want, why, replays);
		if (!ret)
			ret = shrink_header(p, want, why, replays);
		if (!ret)
			ret = simplify(p, want, why, replays);
		if (!ret)
			ret = simplify_targets(p, want, why, replays);
		for (k = 0; k < p->h.nr_words; k++)
			words += p->h.word_on[k];
		fuzz_progress(o, "shrink round %u: %zu ops, %u kernel parameters, %u numa nodes",
			      round + 1, p->n, words, p->h.nr_numa);
		if (program_signature(p) == before)
			break;
	}
	return ret;
}
