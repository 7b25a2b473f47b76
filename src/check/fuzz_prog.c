/*
 * fuzz_prog.c - the fuzzer's programs: their scenario text, their
 * machine (through the scenario parser), executing an operation and the
 * checks after it, replaying a program (fuzz_prog.h).
 *
 * Checks after each operation: every invariant; and if the operation
 * failed, the state hash before == after, except for an eject the guest
 * refused (-EBUSY from device_del): the kernel re-onlines what it had
 * offlined with the default online type, which need not restore zones
 * and watermarks as they were; there the blocks' states must come back
 * (unless a notifier could veto the re-online). A read must change
 * nothing, and a file that exists must be readable.
 * Expected workload: one exec and check per fuzzed operation.
 */
#include "fuzz_prog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "../machine.h"
#include "../scenario/scenario.h"

int program_push(struct program *p, const struct fop *op)
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

int header_text(const struct header *h, struct strbuf *sb)
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
	if (any)
		r |= sb_puts(sb, "\n");
	/* a line of its own: deleting it leaves a valid scenario without the bug */
	if (h->inject[0])
		r |= sb_printf(sb, "cmdline %s\n", h->inject);
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
int op_text(const struct fop *op, const char *errno_name, struct strbuf *sb)
{
	char size[32];
	int r = 0;

	if (errno_name && op->kind != FOP_NOTIFIER_FAIL && op->kind != FOP_READ)
		r |= sb_printf(sb, "expect-error %s ", errno_name);
	switch (op->kind) {
	case FOP_DEVICE_ADD:
		size_text(op->size, size, sizeof(size));
		r |= sb_printf(sb, "device_add %s id=%s size=%s node=%d\n",
			       op->driver ? op->driver : "pc-dimm", op->id, size, op->node);
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
int header_config(const struct header *h, struct hotmem_config *c,
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

long exec_op(struct hotmem_machine *m, const struct fop *op)
{
	char err[256], buf[40];
	size_t len;

	switch (op->kind) {
	case FOP_DEVICE_ADD:
		return hotmem_device_add(m, op->driver ? op->driver : "pc-dimm", op->id,
					 op->size, op->node,
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

void take_before(const struct hotmem_machine *m, const struct fop *op,
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
int check_op(const struct hotmem_machine *m, const struct fop *op, long rc,
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
int replay(const struct program *p, size_t nops, size_t *at, long *rc_at,
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

void fuzz_progress(const struct fuzz_opts *o, const char *fmt, ...)
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
