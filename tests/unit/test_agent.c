/*
 * test_agent.c - the guest agent's 'X' op (run a program), on the host:
 * build/qemu/hotmem-agent --stdio speaks the protocol of
 * src/backend/agent_proto.h on a pair of pipes. Checks the contract
 * the qemu backend's run_tool relies on: exit status and both streams
 * kept apart, -ENOENT for a program that is not there, a signal said as
 * such, the run-time bound (killed, flagged, answered in time), output
 * cut at AGENT_TOOL_MAX_OUTPUT and flagged, standard input at end of
 * file, malformed requests refused. And its 'T' op (walk a tree): one
 * record per entry, in the order and with the content that readdir,
 * lstat and read give one by one.
 *
 * Expected workload: one agent process, a dozen requests, about 1.5 s
 * (the bound test waits its 1 s).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/backend/agent_proto.h"

#define AGENT "build/qemu/hotmem-agent"

struct agent {
	pid_t pid;
	int to, from;		/* its stdin, its stdout */
};

struct reply {
	int32_t status;
	uint32_t len;
	char *p;
	/* the 'X' payload, when well formed */
	uint32_t olen, elen;
	unsigned int flags;
	const char *out, *err;
};

static int io_full(int fd, void *p, size_t n, int writing)
{
	char *c = p;

	while (n) {
		ssize_t r = writing ? write(fd, c, n) : read(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static int recv_reply(struct agent *a, struct reply *r)
{
	unsigned char hdr[AGENT_RESP_HDR];

	memset(r, 0, sizeof(*r));
	if (io_full(a->from, hdr, sizeof(hdr), 0))
		return -1;
	r->status = (int32_t)agent_get_u32(hdr);
	r->len = agent_get_u32(hdr + 4);
	r->p = calloc(1, (size_t)r->len + 1);
	if (!r->p || io_full(a->from, r->p, r->len, 0))
		return -1;
	if (r->len >= AGENT_TOOL_HDR) {
		r->olen = agent_get_u32((unsigned char *)r->p);
		r->elen = agent_get_u32((unsigned char *)r->p + 4);
		r->flags = (unsigned char)r->p[8];
		if ((uint64_t)AGENT_TOOL_HDR + r->olen + r->elen == r->len) {
			r->out = r->p + AGENT_TOOL_HDR;
			r->err = r->out + r->olen;
		}
	}
	return 0;
}

static int agent_start(struct agent *a)
{
	int in[2], out[2];

	if (pipe(in) || pipe(out))
		return -1;
	a->pid = fork();
	if (a->pid < 0)
		return -1;
	if (a->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		execl(AGENT, AGENT, "--stdio", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	a->to = in[1];
	a->from = out[0];
	return 0;
}

static void agent_stop(struct agent *a)
{
	int ws;

	close(a->to);
	close(a->from);
	waitpid(a->pid, &ws, 0);
}

/* An 'X' request: bound as text, argv NUL-terminated (raw: blen bytes). */
static int run_raw(struct agent *a, const char *bound, const char *b,
		   size_t blen, struct reply *r)
{
	unsigned char hdr[AGENT_REQ_HDR];

	hdr[0] = 'X';
	agent_put_u32(hdr + 1, (uint32_t)strlen(bound));
	agent_put_u32(hdr + 5, (uint32_t)blen);
	if (io_full(a->to, hdr, sizeof(hdr), 1) ||
	    io_full(a->to, (void *)bound, strlen(bound), 1) ||
	    io_full(a->to, (void *)b, blen, 1))
		return -1;
	return recv_reply(a, r);
}

static int run(struct agent *a, const char *bound, const char *const *argv,
	       struct reply *r)
{
	char b[1024];
	size_t n = 0, i;

	for (i = 0; argv[i]; i++) {
		size_t l = strlen(argv[i]) + 1;

		memcpy(b + n, argv[i], l);
		n += l;
	}
	return run_raw(a, bound, b, n, r);
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void agent_run_op(struct test_ctx *t)
{
	static const char *const streams[] = {
		"sh", "-c", "printf 'to out\\n'; printf 'to err\\n' >&2; exit 3", NULL };
	static const char *const missing[] = { "hotmem-no-such-tool", "list", NULL };
	static const char *const killed[] = { "sh", "-c", "kill -9 $$", NULL };
	static const char *const slow[] = { "sleep", "30", NULL };
	static const char *const big[] = { "head", "-c", "1200000", "/dev/zero", NULL };
	static const char *const input[] = { "cat", NULL };
	struct agent a;
	struct reply r;
	long long t0;

	signal(SIGPIPE, SIG_IGN);
	CHECK(t, access(AGENT, X_OK) == 0);	/* make test builds it */
	if (access(AGENT, X_OK) || agent_start(&a)) {
		CHECK(t, !"cannot start " AGENT);
		return;
	}
	/* the hello, as on the virtio port */
	CHECK(t, recv_reply(&a, &r) == 0);
	CHECK_EQ_INT(t, r.status, 0);
	CHECK(t, r.p && strcmp(r.p, AGENT_HELLO) == 0);
	free(r.p);

	/* exit status and the two streams, each the program's own */
	CHECK(t, run(&a, "10", streams, &r) == 0);
	CHECK_EQ_INT(t, r.status, 3);
	CHECK_EQ_INT(t, r.flags, 0);
	CHECK(t, r.out && r.olen == 7 && memcmp(r.out, "to out\n", 7) == 0);
	CHECK(t, r.err && r.elen == 7 && memcmp(r.err, "to err\n", 7) == 0);
	free(r.p);

	/* not in the guest: -ENOENT, no payload */
	CHECK(t, run(&a, "10", missing, &r) == 0);
	CHECK_EQ_INT(t, r.status, -ENOENT);
	CHECK_EQ_INT(t, r.len, 0);
	free(r.p);

	/* ended by a signal: its number, flagged */
	CHECK(t, run(&a, "10", killed, &r) == 0);
	CHECK_EQ_INT(t, r.status, SIGKILL);
	CHECK_EQ_INT(t, r.flags, AGENT_TOOL_SIGNALLED);
	free(r.p);

	/* the run-time bound: killed after 1 s, answered well before 30 s */
	t0 = ms_now();
	CHECK(t, run(&a, "1", slow, &r) == 0);
	CHECK(t, ms_now() - t0 < 10000);
	CHECK(t, ms_now() - t0 >= 900);
	CHECK(t, r.flags & AGENT_TOOL_TIMED_OUT);
	free(r.p);

	/* output beyond the bound is cut, and the cut is flagged */
	CHECK(t, run(&a, "10", big, &r) == 0);
	CHECK_EQ_INT(t, r.status, 0);
	CHECK_EQ_U64(t, r.olen, AGENT_TOOL_MAX_OUTPUT);
	CHECK_EQ_INT(t, r.flags, AGENT_TOOL_OUT_CUT);
	free(r.p);

	/* standard input is at end of file: cat ends at once */
	CHECK(t, run(&a, "10", input, &r) == 0);
	CHECK_EQ_INT(t, r.status, 0);
	CHECK_EQ_INT(t, r.olen, 0);
	free(r.p);

	/* malformed: an argument without its NUL, a bound of 0 */
	CHECK(t, run_raw(&a, "10", "sh", 2, &r) == 0);
	CHECK_EQ_INT(t, r.status, -EINVAL);
	free(r.p);
	CHECK(t, run(&a, "0", input, &r) == 0);
	CHECK_EQ_INT(t, r.status, -EINVAL);
	free(r.p);

	/* and the agent still serves */
	CHECK(t, run(&a, "10", streams, &r) == 0);
	CHECK_EQ_INT(t, r.status, 3);
	free(r.p);
	agent_stop(&a);
}

/* A request with op and A only (no B). */
static int call(struct agent *a, char op, const char *arg, struct reply *r)
{
	unsigned char hdr[AGENT_REQ_HDR];

	hdr[0] = (unsigned char)op;
	agent_put_u32(hdr + 1, (uint32_t)strlen(arg));
	agent_put_u32(hdr + 5, 0);
	if (io_full(a->to, hdr, sizeof(hdr), 1) ||
	    io_full(a->to, (void *)arg, strlen(arg), 1))
		return -1;
	return recv_reply(a, r);
}

/* The 'T' records of r as "KIND STATUS PATH=DATA|" text, for comparing. */
static void walk_text(const struct reply *r, const char *root, char *out, size_t len)
{
	uint32_t off = 0;
	size_t n = 0;

	out[0] = '\0';
	while (off + AGENT_WALK_HDR <= r->len && n < len) {
		const unsigned char *h = (const unsigned char *)r->p + off;
		uint32_t nlen = agent_get_u32(h + 5), dlen = agent_get_u32(h + 9);
		const char *path = (const char *)h + AGENT_WALK_HDR;
		size_t skip = strncmp(path, root, strlen(root)) ? 0 : strlen(root);

		if (off + AGENT_WALK_HDR + nlen + dlen > r->len || skip > nlen)
			break;
		n += (size_t)snprintf(out + n, len - n, "%c %d %.*s=%.*s|", h[0],
				      (int)agent_get_u32(h + 1), (int)(nlen - skip),
				      path + skip, (int)dlen, path + nlen);
		off += AGENT_WALK_HDR + nlen + dlen;
	}
}

static void agent_walk_op(struct test_ctx *t)
{
	char root[] = "/tmp/hotmem-walk.XXXXXX", path[256], got[1024];
	struct agent a;
	struct reply r;
	FILE *f;

	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(root) || access(AGENT, X_OK) || agent_start(&a)) {
		CHECK(t, !"cannot start " AGENT " or make a folder");
		return;
	}
	CHECK(t, recv_reply(&a, &r) == 0);
	free(r.p);
	snprintf(path, sizeof(path), "%s/sub", root);
	CHECK(t, mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/sub/b", root);
	f = fopen(path, "w");
	CHECK(t, f && fputs("yy", f) >= 0 && fclose(f) == 0);
	snprintf(path, sizeof(path), "%s/link", root);
	CHECK(t, symlink("../target", path) == 0);

	/* the folder first, then depth first; a link is not followed */
	CHECK(t, call(&a, 'T', root, &r) == 0);
	CHECK_EQ_INT(t, r.status, 0);
	walk_text(&r, root, got, sizeof(got));
	CHECK(t, strncmp(got, "d 0 =|", 6) == 0);
	CHECK(t, strstr(got, "|d 0 /sub=|f 0 /sub/b=yy|") != NULL);
	CHECK(t, strstr(got, "|l 0 /link=../target|") != NULL);
	free(r.p);
	/* a folder that is not there: one record with opendir's errno */
	snprintf(path, sizeof(path), "%s/none", root);
	CHECK(t, call(&a, 'T', path, &r) == 0);
	CHECK_EQ_INT(t, r.status, 0);
	walk_text(&r, path, got, sizeof(got));
	CHECK_STR(t, got, "d -2 =|");
	free(r.p);
	agent_stop(&a);

	snprintf(path, sizeof(path), "%s/sub/b", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/link", root);
	unlink(path);
	rmdir(root);
}

void tests_agent(struct test_ctx *t)
{
	RUN(t, agent_run_op);
	RUN(t, agent_walk_op);
}
