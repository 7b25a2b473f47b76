/*
 * qemu_agent.c - the client of the guest agent (guest/hotmem-agent.c,
 * wire format in agent_proto.h) for the qemu scenario backend: one
 * request, one response, each with the guest's timeout; and run_tool,
 * which has the agent run Debian's ndctl or daxctl in the guest and
 * hands back the tool's exit status and output.
 *
 * Contract: a request that cannot be sent or answered marks the guest
 * broken (qemu_guest_broken()); otherwise the guest's status comes back
 * as it is (>= 0 or the kernel's -errno). A tool may run for 3/4 of the
 * timeout (the agent kills it then) so that its answer arrives before
 * the host gives the guest up.
 *
 * Expected workload: one round trip per scenario file step, about a
 * millisecond under TCG; a tool run takes what the tool takes.
 */
#include "qemu_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The guest agent (protocol in guest/hotmem-agent.c)                 */
/* ------------------------------------------------------------------ */

/* One response: *status and a malloc'ed NUL-terminated payload. */
int qemu_agent_recv(struct qemu_state *st, long long deadline,
		    int32_t *status, char **payload, uint32_t *plen)
{
	unsigned char hdr[AGENT_RESP_HDR];
	uint32_t len;
	char *p;
	int rc = qemu_recv_full(st, st->agent, hdr, sizeof(hdr), deadline);

	if (rc)
		return rc;
	*status = (int32_t)agent_get_u32(hdr);
	len = agent_get_u32(hdr + 4);
	if (len > AGENT_MAX_PAYLOAD)
		return -EPROTO;
	p = malloc((size_t)len + 1);
	if (!p)
		return -ENOMEM;
	rc = qemu_recv_full(st, st->agent, p, len, deadline);
	if (rc) {
		free(p);
		return rc;
	}
	p[len] = '\0';
	*payload = p;
	if (plen)
		*plen = len;
	return 0;
}

/*
 * One request; returns the guest's status (>= 0 or -errno) with
 * *payload (may be NULL) and its length in *plen (may be NULL), or
 * -EIO when the guest is broken.
 */
static int qemu_agent_call_len(struct qemu_state *st, char op, const char *a,
			       const char *b, size_t blen, char **payload,
			       uint32_t *plen)
{
	unsigned char hdr[AGENT_REQ_HDR];
	size_t alen = strlen(a);
	int32_t status = 0;
	char *p = NULL;
	int rc;

	if (st->dead)
		return -EIO;
	hdr[0] = (unsigned char)op;
	agent_put_u32(hdr + 1, (uint32_t)alen);
	agent_put_u32(hdr + 5, (uint32_t)blen);
	rc = qemu_send_full(st->agent, hdr, sizeof(hdr));
	if (!rc)
		rc = qemu_send_full(st->agent, a, alen);
	if (!rc && blen)
		rc = qemu_send_full(st->agent, b, blen);
	if (!rc)
		rc = qemu_agent_recv(st, qemu_now_ms() + st->timeout_ms, &status, &p, plen);
	if (rc)
		return qemu_guest_broken(st, rc, "guest agent");
	if (payload)
		*payload = p;
	else
		free(p);
	return status;
}

int qemu_agent_call(struct qemu_state *st, char op, const char *a,
		    const char *b, size_t blen, char **payload)
{
	return qemu_agent_call_len(st, op, a, b, blen, payload, NULL);
}

static char *text_dup(const char *p, size_t len)
{
	char *t = malloc(len + 1);

	if (t) {
		memcpy(t, p, len);
		t[len] = '\0';
	}
	return t;
}

/*
 * The agent's 'T' records (agent_proto.h), each handed to fn; a payload
 * that ends inside a record is -EPROTO. An agent without 'T' answers
 * -ENOSYS, which the caller takes as "walk it entry by entry".
 */
int qemu_walk(void *state, const char *dir,
	      int (*fn)(void *ctx, const char *path,
			enum scenario_entry_kind kind, int status, char *data),
	      void *ctx)
{
	struct qemu_state *st = state;
	char *p = NULL;
	uint32_t plen = 0, off = 0;
	int rc = qemu_agent_call_len(st, 'T', dir, NULL, 0, &p, &plen);

	while (rc == 0 && off < plen) {
		const unsigned char *h = (const unsigned char *)p + off;
		uint32_t nlen, dlen;
		int status;
		char *path, *data = NULL;
		enum scenario_entry_kind kind;

		if (plen - off < AGENT_WALK_HDR) {
			rc = -EPROTO;
			break;
		}
		status = (int)agent_get_u32(h + 1);
		nlen = agent_get_u32(h + 5);
		dlen = agent_get_u32(h + 9);
		if (nlen > plen - off - AGENT_WALK_HDR ||
		    dlen > plen - off - AGENT_WALK_HDR - nlen) {
			rc = -EPROTO;
			break;
		}
		kind = h[0] == 'd' ? SCENARIO_ENTRY_DIR : h[0] == 'f' ? SCENARIO_ENTRY_FILE :
		       h[0] == 'l' ? SCENARIO_ENTRY_LINK : SCENARIO_ENTRY_NONE;
		path = text_dup((const char *)h + AGENT_WALK_HDR, nlen);
		if (path && status == 0 && kind != SCENARIO_ENTRY_DIR)
			data = text_dup((const char *)h + AGENT_WALK_HDR + nlen, dlen);
		if (!path || (status == 0 && kind != SCENARIO_ENTRY_DIR && !data)) {
			free(path);
			free(data);
			rc = -ENOMEM;
			break;
		}
		rc = fn(ctx, path, kind, status, data);
		free(path);
		off += AGENT_WALK_HDR + nlen + dlen;
	}
	free(p);
	return rc;
}


/* ------------------------------------------------------------------ */
/* User-space tools in the guest (ndctl, daxctl)                      */
/* ------------------------------------------------------------------ */

/*
 * A tool may run for three quarters of the request timeout, so that the
 * agent's answer (killed, with what it printed) comes before the host
 * gives the guest up.
 */
static int tool_bound_s(const struct qemu_state *st)
{
	int s = st->timeout_ms / 1000 * 3 / 4;

	return s > 0 ? s : 1;
}

/*
 * The agent's 'X' answer into res: the tool's own output, then on
 * standard error a line per thing the agent did to it (cut, killed).
 */
static int tool_result(const char *tool, const char *p, uint32_t plen,
		       int status, struct scenario_tool_result *res, int bound,
		       char *err, size_t errlen)
{
	struct strbuf e;
	uint32_t olen, elen;
	unsigned int flags;
	int rc = 0;

	if (plen < AGENT_TOOL_HDR)
		goto bad;
	olen = agent_get_u32((const unsigned char *)p);
	elen = agent_get_u32((const unsigned char *)p + 4);
	flags = (unsigned char)p[8];
	if (olen > AGENT_TOOL_MAX_OUTPUT || elen > AGENT_TOOL_MAX_OUTPUT ||
	    (uint64_t)AGENT_TOOL_HDR + olen + elen != plen)
		goto bad;
	if (flags & AGENT_TOOL_TIMED_OUT) {
		errmsg_set(err, errlen, "still running after %d s: killed "
			"(3/4 of HOTMEM_QEMU_TIMEOUT)", bound);
		return -ETIMEDOUT;
	}
	sb_init(&e);
	rc = sb_add(&e, p + AGENT_TOOL_HDR + olen, elen);
	if (!rc && (flags & AGENT_TOOL_OUT_CUT))
		rc = sb_printf(&e, "hotmem: %s: standard output cut at %u bytes\n",
			       tool, AGENT_TOOL_MAX_OUTPUT);
	if (!rc && (flags & AGENT_TOOL_ERR_CUT))
		rc = sb_printf(&e, "hotmem: %s: standard error cut at %u bytes\n",
			       tool, AGENT_TOOL_MAX_OUTPUT);
	if (!rc && (flags & AGENT_TOOL_SIGNALLED))
		rc = sb_printf(&e, "hotmem: %s: killed by signal %d\n", tool,
			       status);
	res->status = (flags & AGENT_TOOL_SIGNALLED) ? 128 + status : status;
	res->out = text_dup(p + AGENT_TOOL_HDR, olen);
	res->err = e.len ? sb_detach(&e) : NULL;
	sb_release(&e);
	if (rc || !res->out) {
		scenario_tool_result_release(res);
		errmsg_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
bad:
	errmsg_set(err, errlen, "malformed answer from the guest agent");
	return -EPROTO;
}

/* run_tool: the real program, from the initramfs, in the guest. */
int qemu_run_tool(void *state, char *const *argv, size_t argc,
		  struct scenario_tool_result *res, char *err,
		  size_t errlen)
{
	struct qemu_state *st = state;
	char bound[16], *p = NULL;
	struct strbuf args;
	uint32_t plen = 0;
	size_t i;
	int rc;

	res->status = 0;
	res->out = res->err = NULL;
	if (argc == 0 || argc > AGENT_TOOL_MAX_ARGS) {
		errmsg_set(err, errlen, "%zu arguments: the guest agent takes 1 to %d",
			argc, AGENT_TOOL_MAX_ARGS);
		return -E2BIG;
	}
	sb_init(&args);
	for (i = 0, rc = 0; i < argc && !rc; i++)
		rc = sb_add(&args, argv[i], strlen(argv[i]) + 1);	/* with its NUL */
	if (rc) {
		sb_release(&args);
		return rc;
	}
	snprintf(bound, sizeof(bound), "%d", tool_bound_s(st));
	rc = qemu_agent_call_len(st, 'X', bound, args.buf, args.len, &p, &plen);
	sb_release(&args);
	if (rc == -ENOENT && !strcmp(argv[0], "chmem"))
		errmsg_set(err, errlen, "not in the guest's initramfs: "
			"`make initramfs` copies util-linux's chmem into it");
	else if (rc == -ENOENT)
		errmsg_set(err, errlen, "not in the guest's initramfs: "
			"scripts/qemu-setup.sh fetches Debian's ndctl and "
			"daxctl, then `make initramfs`");
	else if (rc < 0)
		errmsg_set(err, errlen, "the guest agent could not run it: %s",
			strerror(-rc));
	else
		rc = tool_result(argv[0], p, plen, rc, res, tool_bound_s(st),
				 err, errlen);
	free(p);
	return rc;
}
