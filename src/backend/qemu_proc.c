/*
 * qemu_proc.c - the QEMU process of the qemu scenario backend: start it
 * in its own process group, tell how it ended, show the tail of its
 * console and stderr, stop it and remove its temporary folder; and the
 * unix sockets to it (QMP, the agent's virtio-serial port), every
 * read with a deadline.
 *
 * Contract: only the process qemu_spawn() started is ever signalled
 * (its pid, which leads its own group). qemu_guest_broken() marks the
 * guest dead once, says why on stderr with the console tail, and makes
 * every later op fail at once. Waits end at the deadline given
 * (-ETIMEDOUT) or when QEMU exits (-ECHILD / -EIO).
 *
 * Expected workload: one process per scenario run; socket I/O of a few
 * bytes to a few MiB per op.
 */
#include "qemu_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long qemu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ */
/* The QEMU process                                                   */
/* ------------------------------------------------------------------ */

void qemu_dir_file(const struct qemu_state *st, const char *name,
		   char *out, size_t len)
{
	snprintf(out, len, "%s/%s", st->dir, name);
}

/* The last lines of the serial console and QEMU's own stderr, to stderr. */
void qemu_console_tail(const struct qemu_state *st)
{
	static const char *const logs[] = { "console.log", "qemu.log" };
	size_t i;

	for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		char path[PATH_MAX + 32], *text, *p;
		size_t lines = 0;
		struct stat sb;
		FILE *f;

		qemu_dir_file(st, logs[i], path, sizeof(path));
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fstat(fileno(f), &sb) || sb.st_size <= 0) {
			fclose(f);
			continue;
		}
		text = calloc(1, (size_t)sb.st_size + 1);
		if (text && fread(text, 1, (size_t)sb.st_size, f) > 0) {
			p = text + strlen(text);
			while (p > text && lines <= CONSOLE_TAIL_LINES)
				if (*--p == '\n')
					lines++;
			if (*p == '\n')
				p++;
			fprintf(stderr, "hotmem: qemu backend: last lines of the %s:\n",
				i == 0 ? "guest's serial console" : "QEMU's stderr");
			fputs(p, stderr);
			if (*p && p[strlen(p) - 1] != '\n')
				fputc('\n', stderr);
		}
		free(text);
		fclose(f);
	}
}

/* Has QEMU exited? Reaps it and describes how. */
static bool qemu_exited(struct qemu_state *st, char *how, size_t howlen)
{
	int status;
	pid_t r;

	if (st->pid <= 0) {
		errmsg_set(how, howlen, "%s", st->exit_how);
		return true;
	}
	r = waitpid(st->pid, &status, WNOHANG);
	if (r != st->pid)
		return false;
	st->pid = -1;
	if (WIFEXITED(status))
		errmsg_set(st->exit_how, sizeof(st->exit_how),
			"QEMU exited with status %d (a guest panic reboots, and -no-reboot ends QEMU)",
			WEXITSTATUS(status));
	else
		errmsg_set(st->exit_how, sizeof(st->exit_how),
			"QEMU was killed by signal %d", WTERMSIG(status));
	errmsg_set(how, howlen, "%s", st->exit_how);
	return true;
}

/*
 * Has QEMU ended, or does it within ms? A closed socket is often seen
 * a moment before QEMU can be reaped.
 */
bool qemu_ended_within(struct qemu_state *st, int ms, char *how,
		       size_t howlen)
{
	long long deadline = qemu_now_ms() + ms;

	while (!qemu_exited(st, how, howlen)) {
		if (qemu_now_ms() >= deadline)
			return false;
		usleep(20000);
	}
	return true;
}

/* The guest is gone or stuck: say so once, with the console tail. */
int qemu_guest_broken(struct qemu_state *st, int rc, const char *what)
{
	char how[160] = "";

	if (st->dead)
		return -EIO;
	st->dead = true;
	if (qemu_ended_within(st, rc == -ETIMEDOUT ? 0 : 2000, how, sizeof(how)))
		;	/* how says how QEMU ended */
	else if (rc == -ETIMEDOUT)
		errmsg_set(how, sizeof(how), "no answer within %d s (HOTMEM_QEMU_TIMEOUT)",
			st->timeout_ms / 1000);
	else
		errmsg_set(how, sizeof(how), "%s", strerror(-rc));
	if (!st->quiet) {	/* starting: qemu_start.c reports (or retries) */
		fprintf(stderr, "hotmem: qemu backend: %s: %s\n", what, how);
		qemu_console_tail(st);
	}
	return rc == -ETIMEDOUT ? -ETIMEDOUT : -EIO;
}

static void qemu_stop(struct qemu_state *st)
{
	long long deadline;
	char how[8];

	if (st->pid <= 0)
		return;
	/* Only the process this backend started (its own group). */
	kill(st->pid, SIGTERM);
	deadline = qemu_now_ms() + 3000;
	while (!qemu_exited(st, how, sizeof(how)) && qemu_now_ms() < deadline)
		usleep(20000);
	if (st->pid > 0) {
		kill(st->pid, SIGKILL);
		waitpid(st->pid, NULL, 0);
		st->pid = -1;
	}
}

void qemu_cleanup(struct qemu_state *st)
{
	static const char *const files[] = {
		"qmp.sock", "agent.sock", "console.log", "qemu.log",
	};
	char path[PATH_MAX + 32];
	size_t i;

	qemu_stop(st);
	if (st->qmp >= 0)
		close(st->qmp);
	if (st->agent >= 0)
		close(st->agent);
	st->qmp = st->agent = -1;
	if (st->dir[0]) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			qemu_dir_file(st, files[i], path, sizeof(path));
			unlink(path);
		}
		for (i = 0; i < st->nr_memdevs; i++) {	/* nvdimm backing files */
			char name[40], img[PATH_MAX + 48];

			snprintf(name, sizeof(name), "hotmem-mem%zu.img", i);
			qemu_dir_file(st, name, img, sizeof(img));
			unlink(img);
		}
		rmdir(st->dir);
		st->dir[0] = '\0';
	}
	sb_release(&st->qmp_in);
	sb_release(&st->events);
}

/* ------------------------------------------------------------------ */
/* Sockets with deadlines                                             */
/* ------------------------------------------------------------------ */

/* Connect to a unix socket QEMU listens on, retrying while it starts. */
int qemu_connect_unix(struct qemu_state *st, const char *name, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long long deadline = qemu_now_ms() + st->timeout_ms;
	char how[160];

	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", st->dir,
		     name) >= (int)sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	for (;;) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (s < 0)
			return -errno;
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			*fd = s;
			return 0;
		}
		close(s);
		if (qemu_exited(st, how, sizeof(how)))
			return -ECHILD;
		if (qemu_now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(20000);
	}
}

/* Wait until fd is readable or the deadline passes; checks QEMU. */
int qemu_wait_readable(struct qemu_state *st, int fd, long long deadline)
{
	char how[8];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - qemu_now_ms();
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, left > 200 ? 200 : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (qemu_exited(st, how, sizeof(how)))
			return -ECHILD;
	}
}

int qemu_recv_full(struct qemu_state *st, int fd, void *p, size_t n,
		   long long deadline)
{
	char *c = p;

	while (n) {
		ssize_t r;
		int rc = qemu_wait_readable(st, fd, deadline);

		if (rc)
			return rc;
		r = recv(fd, c, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? -EPIPE : -errno;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

int qemu_send_full(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t r = send(fd, c, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}


int qemu_spawn(struct qemu_state *st, struct argv_list *a)
{
	char log[PATH_MAX + 32];
	pid_t pid;

	qemu_dir_file(st, "qemu.log", log, sizeof(log));
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (fd < 0 || in < 0)
			_exit(127);
		dup2(in, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(a->v[0], a->v);
		_exit(127);
	}
	setpgid(pid, pid);
	st->pid = pid;
	return 0;
}
