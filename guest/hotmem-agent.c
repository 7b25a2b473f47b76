/*
 * hotmem-agent.c - the guest side of the real-kernel backend: a tiny
 * file server that runs as PID 1's successor in the project's busybox
 * initramfs and answers the host over a virtio-serial port.
 *
 * Contract: opens the virtio port named "hotmem.agent" (found through
 * /sys/class/virtio-ports/ * /name), says hello, then serves requests
 * forever, one at a time. All integers are little-endian.
 *   request:  u8 op, u32 alen, u32 blen, alen bytes A, blen bytes B
 *   response: i32 status, u32 len, len bytes
 *   hello:    status 0, "hotmem-agent 1"
 * ops (A is an absolute path unless stated):
 *   'R' read A         status 0 + content, or -errno of open/read
 *   'W' write B to A   open(O_WRONLY) + one write(): the byte count,
 *                      or -errno exactly as the kernel returned it
 *   'S' lstat A        status 0 + "KIND MODE\nTARGET" (KIND d|f|l,
 *                      MODE octal permission bits, TARGET for links)
 *   'D' readdir A      status 0 + entry names, one a line, no . or ..
 *   'K' kernel log     status 0 + every /dev/kmsg record's text, one a
 *                      line, without prefix or timestamp
 *   'P' ping           status 0
 *   'T' walk A         status 0 + a record per entry under A, A first
 *                      (agent_proto.h); -E2BIG past the payload bound
 *   'X' run a program  A: run-time bound in seconds, B: argv, each
 *                      argument NUL-terminated; argv[0] is looked up in
 *                      /usr/sbin:/usr/bin:/sbin:/bin. Status: the exit
 *                      status, or -errno when it could not be started;
 *                      payload: u32 outlen, u32 errlen, u8 flags,
 *                      stdout, stderr (agent_proto.h). Standard input
 *                      is /dev/null; a program still running at the
 *                      bound is killed with its process group.
 * An unknown op answers -ENOSYS. Never exits on a bad request (as PID 1
 * the kernel would panic); a broken port makes it reopen the port.
 *
 * `hotmem-agent --stdio` serves the same protocol on stdin/stdout
 * and exits at the end of input (for the host's tests).
 * Built static (`gcc -static`) so that the initramfs needs no libc.
 * Expected workload: a few thousand small requests per scenario.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/backend/agent_proto.h"

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* All of n bytes, read into rbuf or written from wbuf (the other NULL),
 * through EINTR and short transfers; -1 on error or end of file. */
static int io_full(int fd, char *rbuf, const char *wbuf, size_t n)
{
	while (n) {
		ssize_t r = rbuf ? read(fd, rbuf, n) : write(fd, wbuf, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (rbuf)
			rbuf += r;
		else
			wbuf += r;
		n -= (size_t)r;
	}
	return 0;
}

static int read_full(int fd, void *p, size_t n)
{
	return io_full(fd, p, NULL, n);
}

static int write_full(int fd, const void *p, size_t n)
{
	return io_full(fd, NULL, p, n);
}

static int respond(int port, int32_t status, const char *data, size_t len)
{
	unsigned char hdr[AGENT_RESP_HDR];

	agent_put_u32(hdr, (uint32_t)status);
	agent_put_u32(hdr + 4, (uint32_t)len);
	if (write_full(port, hdr, sizeof(hdr)))
		return -1;
	return len ? write_full(port, data, len) : 0;
}

static int op_read(const char *path, struct buf *out)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		if (buf_add(out, chunk, (size_t)n)) {
			rc = -ENOMEM;
			break;
		}
	}
	close(fd);
	return rc;
}

static int op_write(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int rc;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	rc = n < 0 ? -errno : (int)n;
	close(fd);
	return rc;
}

static int op_stat(const char *path, struct buf *out)
{
	char line[64], target[4096];
	struct stat st;
	ssize_t n = 0;
	char kind;

	if (lstat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		kind = 'd';
	} else if (S_ISLNK(st.st_mode)) {
		kind = 'l';
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
	} else {
		kind = 'f';
	}
	snprintf(line, sizeof(line), "%c %o\n", kind,
		 (unsigned int)(st.st_mode & 07777));
	if (buf_add(out, line, strlen(line)) || buf_add(out, target, (size_t)n))
		return -ENOMEM;
	return 0;
}

static int op_readdir(const char *path, struct buf *out)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (buf_add(out, e->d_name, strlen(e->d_name)) ||
		    buf_add(out, "\n", 1)) {
			rc = -ENOMEM;
			break;
		}
	}
	closedir(d);
	return rc;
}

static int walk_add(struct buf *out, char kind, int status, const char *path,
		    const char *data, size_t len)
{
	unsigned char h[AGENT_WALK_HDR];
	size_t plen = strlen(path);

	if (out->len + sizeof(h) + plen + len > AGENT_MAX_PAYLOAD)
		return -E2BIG;
	h[0] = (unsigned char)kind;
	agent_put_u32(h + 1, (uint32_t)status);
	agent_put_u32(h + 5, (uint32_t)plen);
	agent_put_u32(h + 9, (uint32_t)len);
	if (buf_add(out, h, sizeof(h)) || buf_add(out, path, plen) ||
	    buf_add(out, data, len))
		return -ENOMEM;
	return 0;
}

/* What 'D' on dir, then 'S' and 'R' (or 'D' again) on each entry give. */
static int op_walk(const char *dir, struct buf *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc;

	if (!d)
		return walk_add(out, 'd', -errno, dir, NULL, 0);
	rc = walk_add(out, 'd', 0, dir, NULL, 0);
	while (!rc && (e = readdir(d))) {
		char path[4096], target[4096];
		struct buf content = { 0 };
		struct stat st;
		ssize_t n;
		int r;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path)) {
			rc = walk_add(out, 'e', -ENAMETOOLONG, dir, NULL, 0);
			continue;
		}
		if (lstat(path, &st)) {
			rc = walk_add(out, 'e', -errno, path, NULL, 0);
		} else if (S_ISDIR(st.st_mode)) {
			rc = op_walk(path, out);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(path, target, sizeof(target) - 1);
			rc = walk_add(out, 'l', n < 0 ? -errno : 0, path, target,
				      n < 0 ? 0 : (size_t)n);
		} else {
			r = op_read(path, &content);
			rc = walk_add(out, 'f', r, path, content.p,
				      r < 0 ? 0 : content.len);
			free(content.p);
		}
	}
	closedir(d);
	return rc;
}

/* /dev/kmsg records are "PRI,SEQ,TS,FLAGS;TEXT\n" plus " KEY=VAL" lines. */
static int op_kmsg(struct buf *out)
{
	char rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text, *nl;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: skip ahead */
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* EAGAIN: the end of the log */
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		if (buf_add(out, text, strlen(text)) || buf_add(out, "\n", 1)) {
			rc = -ENOMEM;
			break;
		}
	}
	close(fd);
	return rc;
}

/* One output stream of a program being run, kept up to the bound. */
struct capture {
	int fd;			/* -1 once at end of file */
	struct buf b;
	bool cut;
};

static void capture_read(struct capture *c)
{
	char chunk[8192];
	ssize_t n = read(c->fd, chunk, sizeof(chunk));
	size_t room = AGENT_TOOL_MAX_OUTPUT - c->b.len;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	if ((size_t)n > room) {
		c->cut = true;
		n = (ssize_t)room;
	}
	/* keep draining past the bound so the program never blocks */
	if (n > 0 && buf_add(&c->b, chunk, (size_t)n))
		c->cut = true;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's side of op_run: never returns. */
static void run_child(char **argv, int out, int err, int report)
{
	static char *const envp[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", "LC_ALL=C", NULL
	};
	int null = open("/dev/null", O_RDONLY);
	int e;

	setsid();	/* its own process group, killed whole at the bound */
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(err, 2) < 0) {
		e = errno;
	} else {
		execvpe(argv[0], argv, envp);
		e = errno;
	}
	/* if even this fails, the parent sees a plain exit 127 */
	(void)!write(report, &e, sizeof(e));
	_exit(127);
}

/* Wait for pid at most ms milliseconds; 0 and *ws, or -1. */
static int reap_within(pid_t pid, int *ws, int ms)
{
	long long deadline = mono_ms() + ms;

	for (;;) {
		pid_t r = waitpid(pid, ws, WNOHANG);

		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (mono_ms() >= deadline)
			return -1;
		usleep(10000);
	}
}

static int op_run(const char *bound, const char *args, size_t alen,
		  struct buf *out)
{
	char *argv[AGENT_TOOL_MAX_ARGS + 1];
	struct capture cap[2] = { { .fd = -1 }, { .fd = -1 } };
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, px[2] = { -1, -1 };
	unsigned char hdr[AGENT_TOOL_HDR], flags = 0;
	long long deadline;
	size_t argc = 0, i = 0;
	int rc, ws = 0, e = 0;
	long secs = strtol(bound, NULL, 10);
	pid_t pid;

	if (alen == 0 || args[alen - 1] != '\0' || secs <= 0)
		return -EINVAL;
	while (i < alen) {
		if (argc == AGENT_TOOL_MAX_ARGS)
			return -E2BIG;
		argv[argc++] = (char *)args + i;
		i += strlen(args + i) + 1;
	}
	argv[argc] = NULL;
	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC) || pipe2(px, O_CLOEXEC)) {
		rc = -errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0)
		run_child(argv, po[1], pe[1], px[1]);
	close(po[1]);
	close(pe[1]);
	close(px[1]);
	po[1] = pe[1] = px[1] = -1;
	/* the report pipe closes on a successful exec, or carries errno */
	if (read(px[0], &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		reap_within(pid, &ws, 5000);
		rc = -e;
		goto out;
	}
	cap[0].fd = po[0];
	cap[1].fd = pe[0];
	po[0] = pe[0] = -1;
	deadline = mono_ms() + secs * 1000;
	while (cap[0].fd >= 0 || cap[1].fd >= 0) {
		struct pollfd p[2];
		long long left = deadline - mono_ms();
		int n = 0, k;

		if (left <= 0) {
			kill(-pid, SIGKILL);
			flags |= AGENT_TOOL_TIMED_OUT;
			break;
		}
		for (k = 0; k < 2; k++)
			if (cap[k].fd >= 0)
				p[n++] = (struct pollfd){ .fd = cap[k].fd, .events = POLLIN };
		if (poll(p, (nfds_t)n, left > 1000 ? 1000 : (int)left) < 0 &&
		    errno != EINTR)
			break;
		for (k = 0; k < n; k++) {
			if (!p[k].revents)
				continue;
			capture_read(p[k].fd == cap[0].fd ? &cap[0] : &cap[1]);
		}
	}
	/* the tool's own exit, or a kill that takes effect (5 s at most) */
	if (reap_within(pid, &ws, (flags & AGENT_TOOL_TIMED_OUT) ? 5000 : 10000)) {
		kill(-pid, SIGKILL);
		if (reap_within(pid, &ws, 5000)) {
			rc = -ETIMEDOUT;
			goto out;
		}
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;	/* orphans the program left: PID 1 adopts them */
	if (cap[0].cut)
		flags |= AGENT_TOOL_OUT_CUT;
	if (cap[1].cut)
		flags |= AGENT_TOOL_ERR_CUT;
	if (WIFSIGNALED(ws)) {
		flags |= AGENT_TOOL_SIGNALLED;
		rc = WTERMSIG(ws);
	} else {
		rc = WEXITSTATUS(ws);
	}
	agent_put_u32(hdr, (uint32_t)cap[0].b.len);
	agent_put_u32(hdr + 4, (uint32_t)cap[1].b.len);
	hdr[8] = flags;
	if (buf_add(out, hdr, sizeof(hdr)) ||
	    buf_add(out, cap[0].b.p ? cap[0].b.p : "", cap[0].b.len) ||
	    buf_add(out, cap[1].b.p ? cap[1].b.p : "", cap[1].b.len))
		rc = -ENOMEM;
out:
	for (i = 0; i < 2; i++) {
		if (cap[i].fd >= 0)
			close(cap[i].fd);
		free(cap[i].b.p);
	}
	for (i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
		if (px[i] >= 0)
			close(px[i]);
	}
	return rc;
}

/* The /dev node of the virtio port named name, or -1. */
static int open_port(const char *name)
{
	char path[512], want[128];
	struct dirent *e;
	int fd = -1;
	DIR *d;

	d = opendir("/sys/class/virtio-ports");
	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		struct buf b = { 0 };

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name",
			 e->d_name);
		if (op_read(path, &b) == 0 && b.p) {
			snprintf(want, sizeof(want), "%s\n", name);
			if (!strcmp(b.p, want)) {
				snprintf(path, sizeof(path), "/dev/%s", e->d_name);
				fd = open(path, O_RDWR | O_CLOEXEC);
			}
		}
		free(b.p);
	}
	closedir(d);
	return fd;
}

/* One request from in, its response to out (the same fd on the port). */
static int serve(int in, int port)
{
	unsigned char hdr[AGENT_REQ_HDR];
	struct buf out = { 0 };
	char *a = NULL, *b = NULL;
	uint32_t alen, blen;
	int32_t status;
	int rc = -1;

	if (read_full(in, hdr, sizeof(hdr)))
		return -1;
	alen = agent_get_u32(hdr + 1);
	blen = agent_get_u32(hdr + 5);
	if (alen > AGENT_MAX_PATH || blen > AGENT_MAX_PAYLOAD)
		return -1;	/* lost sync: reopen */
	a = calloc(1, (size_t)alen + 1);
	b = calloc(1, (size_t)blen + 1);
	if (!a || !b || read_full(in, a, alen) || read_full(in, b, blen))
		goto out;
	switch (hdr[0]) {
	case 'R':
		status = op_read(a, &out);
		break;
	case 'W':
		status = op_write(a, b, blen);
		break;
	case 'S':
		status = op_stat(a, &out);
		break;
	case 'D':
		status = op_readdir(a, &out);
		break;
	case 'K':
		status = op_kmsg(&out);
		break;
	case 'P':
		status = 0;
		break;
	case 'T':
		status = op_walk(a, &out);
		break;
	case 'X':
		status = op_run(a, b, blen, &out);
		break;
	default:
		status = -ENOSYS;
		break;
	}
	if (status < 0 && hdr[0] != 'W')
		out.len = 0;
	rc = respond(port, status, out.p, hdr[0] == 'W' ? 0 : out.len);
out:
	free(out.p);
	free(a);
	free(b);
	return rc;
}

int main(int argc, char **argv)
{
	static const char hello[] = AGENT_HELLO;

	/* --stdio: the same protocol on stdin/stdout, until end of input
	 * (the host's unit tests, tests/unit/test_agent.c) */
	if (argc == 2 && strcmp(argv[1], "--stdio") == 0) {
		if (respond(1, 0, hello, sizeof(hello) - 1))
			return 1;
		while (serve(0, 1) == 0)
			;
		return 0;
	}
	for (;;) {
		int port = open_port(AGENT_PORT_NAME);

		if (port < 0) {
			fprintf(stderr, "hotmem-agent: no virtio port 'hotmem.agent' yet\n");
			sleep(1);
			continue;
		}
		if (respond(port, 0, hello, sizeof(hello) - 1) == 0)
			while (serve(port, port) == 0)
				;
		close(port);
		sleep(1);
	}
}
