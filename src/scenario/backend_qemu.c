/*
 * backend_qemu.c - the "qemu" scenario backend: the same scenario,
 * unchanged, on Debian's Linux 6.12 booted under qemu-system-x86_64
 * (docs/real-kernel.md).
 *
 * Contract: boot() turns a struct scenario_machine into a q35 command
 * line (-m SIZE,slots=N,maxmem=M; one memory-backend-ram and -numa node
 * per node; one CPU per node that has CPUs, as the model counts them),
 * starts QEMU in its own process group with the kernel and the
 * project's initramfs (scripts/build-initramfs.sh), speaks QMP over a
 * unix socket and talks to the guest agent (guest/hotmem-agent.c) over
 * a virtio-serial port. read/write/stat/readdir/dmesg run in the guest
 * and return exactly what the kernel returned (errno included).
 * device_add is object-add memory-backend-ram (a name of the backend's
 * own per plug) + device_add pc-dimm and
 * returns once the guest reported the insertion through _OST
 * (ACPI_DEVICE_OST); device_del waits for DEVICE_DELETED, or for an
 * _OST eject failure, which becomes the errno the model gives (EBUSY).
 * An nvdimm (the machine then has nvdimm=on from boot) is a
 * memory-backend-file whose label area holds initialised index blocks,
 * plus device_add nvdimm,label-size=128K; it returns once the guest
 * shows the new region and its dax seed. A machine with cxl-type3
 * devices at power-on (hotmem_config.cxl) runs under QEMU 10 (from
 * bookworm-backports, scripts/lib/qemu-cxl.sh) with cxl=on, a pxb-cxl
 * host bridge, a cxl-rp root port, the device with a volatile memdev
 * and a fixed memory window of its size (cxl_argv()); every other
 * machine under the system's QEMU 7.2, on which the goldens were
 * recorded. A cxl-type3 after boot, notifier_fail and trace have no
 * counterpart here (QEMU cannot hot-add a CXL window; a stock kernel)
 * and return -EOPNOTSUPP. run_tool runs Debian's ndctl or daxctl from
 * the initramfs in the guest and hands back its own exit status and
 * output (-ENOENT with a message when the initramfs has no tools).
 * Every wait is bounded (HOTMEM_QEMU_TIMEOUT
 * seconds per guest operation, default 120, boot included); a guest
 * that hangs, panics or exits makes the op fail with a message naming
 * the cause and the last lines of the serial console on stderr, and
 * every later op fail at once. destroy() stops only the QEMU process
 * this backend started and removes its temporary directory.
 *
 * HOTMEM_QEMU_QMP_TRACE (set) copies every line QEMU sends on QMP to
 * stderr, for debugging.
 * Files: qemu-system-x86_64 from PATH (or $HOTMEM_QEMU), the kernel at
 * $HOTMEM_KERNEL or qemu/kernel/vmlinuz next to the hotmem executable,
 * the initramfs at $HOTMEM_INITRD or qemu/initramfs.cpio.gz there.
 * KVM is used when /dev/kvm opens, TCG (-cpu max) otherwise.
 *
 * Expected workload: one guest per scenario run; each op is one round
 * trip to the guest (about a millisecond under TCG), boot a few seconds.
 */
#include "scenario.h"
#include "agent_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QEMU_DEFAULT_TIMEOUT_S	120
#define CONSOLE_TAIL_LINES	20
#define QEMU_MAX_DIMMS		256	/* QEMU's own limit of memory slots */
#define EJECT_OST_WAIT_MS	10000

struct qemu_state {
	pid_t pid;			/* QEMU, leader of its own group */
	char dir[PATH_MAX];		/* temporary: sockets, console log */
	int qmp;
	int agent;
	int timeout_ms;
	bool dead;			/* the guest is gone: fail every op */
	char exit_how[128];		/* how QEMU ended, once reaped */
	bool qmp_trace;			/* $HOTMEM_QEMU_QMP_TRACE: QMP input to stderr */
	struct strbuf qmp_in;		/* bytes read from QMP, not yet a line */
	struct strbuf events;		/* QMP event lines not yet consumed */
	struct {
		char id[64];		/* "" = free entry */
		char slot[16];		/* "" until the guest's _OST named it */
		char memdev[32];	/* its memory-backend-ram */
	} dimm[QEMU_MAX_DIMMS];		/* plugged DIMMs */
	unsigned long nr_memdevs;	/* memdev names are "hotmem-mem<N>" */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* The QEMU process                                                   */
/* ------------------------------------------------------------------ */

static void dir_file(const struct qemu_state *st, const char *name,
		     char *out, size_t len)
{
	snprintf(out, len, "%s/%s", st->dir, name);
}

/* The last lines of the serial console and QEMU's own stderr, to stderr. */
static void show_console_tail(const struct qemu_state *st)
{
	static const char *const logs[] = { "console.log", "qemu.log" };
	size_t i;

	for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
		char path[PATH_MAX + 32], *text, *p;
		size_t lines = 0;
		struct stat sb;
		FILE *f;

		dir_file(st, logs[i], path, sizeof(path));
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
		set_err(how, howlen, "%s", st->exit_how);
		return true;
	}
	r = waitpid(st->pid, &status, WNOHANG);
	if (r != st->pid)
		return false;
	st->pid = -1;
	if (WIFEXITED(status))
		set_err(st->exit_how, sizeof(st->exit_how),
			"QEMU exited with status %d (a guest panic reboots, and -no-reboot ends QEMU)",
			WEXITSTATUS(status));
	else
		set_err(st->exit_how, sizeof(st->exit_how),
			"QEMU was killed by signal %d", WTERMSIG(status));
	set_err(how, howlen, "%s", st->exit_how);
	return true;
}

/*
 * Has QEMU ended, or does it within ms? A closed socket is often seen
 * a moment before QEMU can be reaped.
 */
static bool qemu_ended_within(struct qemu_state *st, int ms, char *how,
			      size_t howlen)
{
	long long deadline = now_ms() + ms;

	while (!qemu_exited(st, how, howlen)) {
		if (now_ms() >= deadline)
			return false;
		usleep(20000);
	}
	return true;
}

/* The guest is gone or stuck: say so once, with the console tail. */
static int guest_broken(struct qemu_state *st, int rc, const char *what)
{
	char how[160] = "";

	if (st->dead)
		return -EIO;
	st->dead = true;
	if (qemu_ended_within(st, rc == -ETIMEDOUT ? 0 : 2000, how, sizeof(how)))
		;	/* how says how QEMU ended */
	else if (rc == -ETIMEDOUT)
		set_err(how, sizeof(how), "no answer within %d s (HOTMEM_QEMU_TIMEOUT)",
			st->timeout_ms / 1000);
	else
		set_err(how, sizeof(how), "%s", strerror(-rc));
	fprintf(stderr, "hotmem: qemu backend: %s: %s\n", what, how);
	show_console_tail(st);
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
	deadline = now_ms() + 3000;
	while (!qemu_exited(st, how, sizeof(how)) && now_ms() < deadline)
		usleep(20000);
	if (st->pid > 0) {
		kill(st->pid, SIGKILL);
		waitpid(st->pid, NULL, 0);
		st->pid = -1;
	}
}

static void qemu_cleanup(struct qemu_state *st)
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
			dir_file(st, files[i], path, sizeof(path));
			unlink(path);
		}
		for (i = 0; i < st->nr_memdevs; i++) {	/* nvdimm backing files */
			char name[40], img[PATH_MAX + 48];

			snprintf(name, sizeof(name), "hotmem-mem%zu.img", i);
			dir_file(st, name, img, sizeof(img));
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
static int connect_unix(struct qemu_state *st, const char *name, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long long deadline = now_ms() + st->timeout_ms;
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
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(20000);
	}
}

/* Wait until fd is readable or the deadline passes; checks QEMU. */
static int wait_readable(struct qemu_state *st, int fd, long long deadline)
{
	char how[8];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
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

static int recv_full(struct qemu_state *st, int fd, void *p, size_t n,
		     long long deadline)
{
	char *c = p;

	while (n) {
		ssize_t r;
		int rc = wait_readable(st, fd, deadline);

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

static int send_full(int fd, const void *p, size_t n)
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

/* ------------------------------------------------------------------ */
/* The guest agent (protocol in guest/hotmem-agent.c)                 */
/* ------------------------------------------------------------------ */

/* One response: *status and a malloc'ed NUL-terminated payload. */
static int agent_recv(struct qemu_state *st, long long deadline,
		      int32_t *status, char **payload, uint32_t *plen)
{
	unsigned char hdr[AGENT_RESP_HDR];
	uint32_t len;
	char *p;
	int rc = recv_full(st, st->agent, hdr, sizeof(hdr), deadline);

	if (rc)
		return rc;
	*status = (int32_t)agent_get_u32(hdr);
	len = agent_get_u32(hdr + 4);
	if (len > AGENT_MAX_PAYLOAD)
		return -EPROTO;
	p = malloc((size_t)len + 1);
	if (!p)
		return -ENOMEM;
	rc = recv_full(st, st->agent, p, len, deadline);
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
static int agent_call_len(struct qemu_state *st, char op, const char *a,
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
	rc = send_full(st->agent, hdr, sizeof(hdr));
	if (!rc)
		rc = send_full(st->agent, a, alen);
	if (!rc && blen)
		rc = send_full(st->agent, b, blen);
	if (!rc)
		rc = agent_recv(st, now_ms() + st->timeout_ms, &status, &p, plen);
	if (rc)
		return guest_broken(st, rc, "guest agent");
	if (payload)
		*payload = p;
	else
		free(p);
	return status;
}

static int agent_call(struct qemu_state *st, char op, const char *a,
		      const char *b, size_t blen, char **payload)
{
	return agent_call_len(st, op, a, b, blen, payload, NULL);
}

/* ------------------------------------------------------------------ */
/* QMP                                                                */
/* ------------------------------------------------------------------ */

/* The next complete line from QMP (malloc'ed), waiting until deadline. */
static int qmp_line(struct qemu_state *st, long long deadline, char **line)
{
	for (;;) {
		char *nl = st->qmp_in.buf ? memchr(st->qmp_in.buf, '\n',
						     st->qmp_in.len) : NULL;
		char chunk[4096];
		ssize_t r;
		int rc;

		if (nl) {
			size_t n = (size_t)(nl - st->qmp_in.buf);

			*line = strndup(st->qmp_in.buf, n);
			if (!*line)
				return -ENOMEM;
			if (st->qmp_trace)
				fprintf(stderr, "qmp: %s\n", *line);
			memmove(st->qmp_in.buf, nl + 1, st->qmp_in.len - n - 1);
			st->qmp_in.len -= n + 1;
			st->qmp_in.buf[st->qmp_in.len] = '\0';
			return 0;
		}
		rc = wait_readable(st, st->qmp, deadline);
		if (rc)
			return rc;
		r = recv(st->qmp, chunk, sizeof(chunk), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? -EPIPE : -errno;
		if (sb_add(&st->qmp_in, chunk, (size_t)r))
			return -ENOMEM;
	}
}

/* The JSON string value of "key": in line, unescaped, into out. */
static bool json_str(const char *line, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(line, pat);
	if (!p || !len)
		return false;
	for (p += strlen(pat); *p && *p != '"' && n + 1 < len; p++) {
		if (*p == '\\' && p[1])
			p++;
		out[n++] = *p;
	}
	out[n] = '\0';
	return true;
}

static bool json_int(const char *line, const char *key, long *out)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(line, pat);
	if (!p)
		return false;
	*out = strtol(p + strlen(pat), NULL, 10);
	return true;
}

/*
 * Send one command (a JSON object); events that arrive meanwhile are
 * kept for qmp_wait_event(). Returns 0, or -EINVAL with QEMU's error
 * description in err, or a transport error.
 */
static int qmp_command(struct qemu_state *st, const char *json, char *err,
		       size_t errlen)
{
	long long deadline = now_ms() + st->timeout_ms;
	int rc;

	if (st->dead)
		return -EIO;
	rc = send_full(st->qmp, json, strlen(json));
	if (rc)
		return guest_broken(st, rc, "QMP");
	for (;;) {
		char *line = NULL;

		rc = qmp_line(st, deadline, &line);
		if (rc)
			return guest_broken(st, rc, "QMP");
		if (strstr(line, "\"event\":")) {
			rc = sb_printf(&st->events, "%s\n", line);
			free(line);
			if (rc)
				return -ENOMEM;
			continue;
		}
		if (strstr(line, "\"return\"")) {
			free(line);
			return 0;
		}
		if (strstr(line, "\"error\"")) {
			if (!json_str(line, "desc", err, errlen))
				set_err(err, errlen, "QEMU refused: %s", line);
			free(line);
			return -EINVAL;
		}
		free(line);	/* the greeting, or anything else */
	}
}

/*
 * Wait for an event line that match() accepts (kept events first);
 * the line is returned malloc'ed, consumed events are dropped.
 */
static int qmp_wait_event(struct qemu_state *st,
			  bool (*match)(const char *line, const char *id),
			  const char *id, int timeout_ms, char **out)
{
	long long deadline = now_ms() + timeout_ms;
	char *line;
	int rc;

	while (st->events.len) {
		char *nl = strchr(st->events.buf, '\n');
		size_t n = (size_t)(nl - st->events.buf);

		line = strndup(st->events.buf, n);
		memmove(st->events.buf, nl + 1, st->events.len - n - 1);
		st->events.len -= n + 1;
		st->events.buf[st->events.len] = '\0';
		if (!line)
			return -ENOMEM;
		if (match(line, id)) {
			*out = line;
			return 0;
		}
		free(line);
	}
	for (;;) {
		rc = qmp_line(st, deadline, &line);
		if (rc)
			return rc;
		if (strstr(line, "\"event\":") && match(line, id)) {
			*out = line;
			return 0;
		}
		free(line);
	}
}

static bool event_for(const char *line, const char *event, const char *id)
{
	char name[64], dev[128];

	return json_str(line, "event", name, sizeof(name)) &&
	       strcmp(name, event) == 0 &&
	       json_str(line, "device", dev, sizeof(dev)) &&
	       strcmp(dev, id) == 0;
}

static bool match_insert_ost(const char *line, const char *id)
{
	return event_for(line, "ACPI_DEVICE_OST", id);
}

/* DEVICE_DELETED, or an _OST for the eject (source 3) that is final. */
static bool match_eject_done(const char *line, const char *id)
{
	long source = -1, status = -1;

	if (event_for(line, "DEVICE_DELETED", id))
		return true;
	if (!event_for(line, "ACPI_DEVICE_OST", id))
		return false;
	json_int(line, "source", &source);
	json_int(line, "status", &status);
	/* 0: success (DEVICE_DELETED follows), 0x84: eject in progress */
	return source == 3 && status != 0 && status != 0x84;
}

/* The final _OST of a successful eject, by slot ("slot": "N"). */
static bool match_eject_ost_slot(const char *line, const char *slot)
{
	char name[64], got[16];
	long source = -1, status = -1;

	if (!json_str(line, "event", name, sizeof(name)) ||
	    strcmp(name, "ACPI_DEVICE_OST") ||
	    !json_str(line, "slot", got, sizeof(got)) || strcmp(got, slot))
		return false;
	json_int(line, "source", &source);
	json_int(line, "status", &status);
	return source == 3 && status == 0;
}

/* The table entry of a plugged DIMM, or NULL. */
static int dimm_find(const struct qemu_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < QEMU_MAX_DIMMS; i++)
		if (st->dimm[i].id[0] && strcmp(st->dimm[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int dimm_free_entry(const struct qemu_state *st)
{
	size_t i;

	for (i = 0; i < QEMU_MAX_DIMMS; i++)
		if (!st->dimm[i].id[0])
			return (int)i;
	return -1;
}

/* The errno the model gives for what QEMU said. */
static int qemu_refusal_errno(const char *desc)
{
	if (strstr(desc, "uplicate"))
		return -EEXIST;
	if (strstr(desc, "slot") || strstr(desc, "not enough space") ||
	    strstr(desc, "could not find position"))
		return -ENOSPC;
	if (strstr(desc, "not found"))
		return -ENOENT;
	/* "nvdimm device hot unplug is not supported yet" */
	if (strstr(desc, "not supported"))
		return -EOPNOTSUPP;
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* boot                                                               */
/* ------------------------------------------------------------------ */

/* An executable named name in PATH, into out. */
static bool find_in_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");

	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		snprintf(out, len, "%.*s/%s", (int)n, n ? path : ".", name);
		if (access(out, X_OK) == 0)
			return true;
		path += n + (colon ? 1 : 0);
	}
	return false;
}

/* $env, else qemu/rel next to the running executable. */
static void guest_file(const char *env, const char *rel, char *out,
		       size_t len)
{
	const char *v = getenv(env);
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (v && *v) {
		snprintf(out, len, "%s", v);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	if (snprintf(out, len, "%s/qemu/%s", n > 0 ? exe : ".", rel) >= (int)len)
		out[0] = '\0';	/* too long: reported as missing */
}

struct argv_list {
	char *v[64 + 4 * HOTMEM_MAX_NODES];
	size_t n;
	bool overflow;
};

static void arg(struct argv_list *a, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (a->n + 1 >= sizeof(a->v) / sizeof(a->v[0])) {
		a->overflow = true;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		a->overflow = true;
	else
		a->v[a->n++] = s;
}

static void argv_release(struct argv_list *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
}

/* ------------------------------------------------------------------ */
/* CXL: QEMU 10 and the devices present at power-on                    */
/* ------------------------------------------------------------------ */

/*
 * The QEMU that runs CXL machines: $HOTMEM_QEMU_CXL, else QEMU 10 as
 * scripts/qemu-setup.sh unpacks it, next to the hotmem executable.
 */
static void cxl_qemu_path(char *out, size_t len)
{
	guest_file("HOTMEM_QEMU_CXL", "qemu10/root/usr/bin/qemu-system-x86_64", out, len);
}

/*
 * An unpacked (not installed) QEMU finds its firmware through -L: its
 * own data folder, and the backports SeaBIOS beside it (QEMU 10 wants
 * SeaBIOS 1.16.3). Both are siblings of .../usr/bin.
 */
static void cxl_firmware_dirs(const char *qemu, struct argv_list *a)
{
	char usr[PATH_MAX];
	char *slash;

	snprintf(usr, sizeof(usr), "%s", qemu);
	slash = strrchr(usr, '/');
	if (slash)
		*slash = '\0';		/* .../usr/bin */
	slash = strrchr(usr, '/');
	if (!slash)
		return;			/* a bare name: an installed QEMU */
	*slash = '\0';			/* .../usr */
	arg(a, "-L");
	arg(a, "%s/share/qemu", usr);
	arg(a, "-L");
	arg(a, "%s/share/seabios", usr);
}

/*
 * Each cxl-type3 of the machine: its volatile memory, a pxb-cxl host
 * bridge (bus_nr 12: the kernel's dport12 and PCI buses 0c/0d, as
 * src/fs/sysfs_cxl.c names them), a cxl-rp root port, the device, and a
 * fixed memory window of the device's size targeting the bridge.
 */
static void cxl_argv(const struct hotmem_config *c, struct argv_list *a)
{
	unsigned int i;

	for (i = 0; i < c->nr_cxl; i++) {
		arg(a, "-object");
		arg(a, "memory-backend-ram,id=hotmem-cxlmem%u,size=%llu", i,
		    (unsigned long long)c->cxl[i].size);
		arg(a, "-device");
		arg(a, "pxb-cxl,bus_nr=%u,bus=pcie.0,id=hotmem-cxl%u", 12 + 2 * i, i);
		arg(a, "-device");
		arg(a, "cxl-rp,port=0,bus=hotmem-cxl%u,id=hotmem-cxlrp%u,chassis=0,slot=%u",
		    i, i, 2 + i);
		arg(a, "-device");
		arg(a, "cxl-type3,bus=hotmem-cxlrp%u,volatile-memdev=hotmem-cxlmem%u,id=%s",
		    i, i, c->cxl[i].id);
		arg(a, "-M");
		arg(a, "cxl-fmw.%u.targets.0=hotmem-cxl%u,cxl-fmw.%u.size=%llu", i, i, i,
		    (unsigned long long)c->cxl[i].size);
	}
}

/* The QEMU command line for machine (docs/real-kernel.md). */
static int build_argv(const struct qemu_state *st,
		      const struct scenario_machine *mach, const char *qemu,
		      const char *kernel, const char *initrd,
		      struct argv_list *a)
{
	const struct hotmem_config *c = &mach->config;
	unsigned int n, cpus = 0, cpu = 0;
	struct strbuf append;
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	size_t i;

	if (kvm >= 0)
		close(kvm);
	for (n = 0; n < c->nr_nodes; n++)
		cpus += c->nodes[n].has_cpus ? 1 : 0;
	arg(a, "%s", qemu);
	if (c->nr_cxl)
		cxl_firmware_dirs(qemu, a);
	arg(a, "-machine");
	arg(a, "q35%s%s", c->nvdimm ? ",nvdimm=on" : "", c->nr_cxl ? ",cxl=on" : "");
	arg(a, "-accel");
	arg(a, kvm >= 0 ? "kvm" : "tcg");
	arg(a, "-cpu");
	/* CXL: a region commits only on a CPU without the hypervisor bit */
	arg(a, "%s%s", kvm >= 0 ? "host" : "max", c->nr_cxl ? ",hypervisor=off" : "");
	arg(a, "-smp");
	arg(a, "%u", cpus ? cpus : 1);
	arg(a, "-m");
	if (c->slots)
		arg(a, "%llub,slots=%u,maxmem=%llub",
		    (unsigned long long)c->mem_bytes, c->slots,
		    (unsigned long long)c->maxmem_bytes);
	else
		arg(a, "%llub", (unsigned long long)c->mem_bytes);
	for (n = 0; n < c->nr_nodes; n++) {
		struct strbuf node;

		sb_init(&node);
		sb_printf(&node, "node,nodeid=%u", n);
		if (c->nodes[n].mem_bytes) {
			arg(a, "-object");
			arg(a, "memory-backend-ram,id=ram-node%u,size=%llu", n,
			    (unsigned long long)c->nodes[n].mem_bytes);
			sb_printf(&node, ",memdev=ram-node%u", n);
		}
		/* one CPU per node with CPUs; none: CPU 0 on node 0, as the model */
		if (c->nodes[n].has_cpus)
			sb_printf(&node, ",cpus=%u", cpu++);
		else if (!cpus && n == 0)
			sb_printf(&node, ",cpus=0");
		arg(a, "-numa");
		arg(a, "%s", node.buf ? node.buf : "");
		sb_release(&node);
	}
	/*
	 * QEMU's default devices stay: SeaBIOS sizes the reserved tail of
	 * low RAM by the ACPI tables they bring (132 KiB with them, 128
	 * without), and the model starts where `qemu -M q35` starts.
	 */
	arg(a, "-no-user-config");
	arg(a, "-display");
	arg(a, "none");
	arg(a, "-no-reboot");
	arg(a, "-kernel");
	arg(a, "%s", kernel);
	arg(a, "-initrd");
	arg(a, "%s", initrd);
	sb_init(&append);
	/* panic=-1 and -no-reboot: a panicking guest ends QEMU at once */
	sb_puts(&append, "console=ttyS0 panic=-1 quiet");
	for (i = 0; i < mach->nr_cmdline_words; i++)
		sb_printf(&append, " %s", mach->cmdline_words[i]);
	arg(a, "-append");
	arg(a, "%s", append.buf);
	sb_release(&append);
	arg(a, "-serial");
	arg(a, "file:%s/console.log", st->dir);
	arg(a, "-chardev");
	arg(a, "socket,id=qmp,path=%s/qmp.sock,server=on,wait=off", st->dir);
	arg(a, "-mon");
	arg(a, "chardev=qmp,mode=control");
	arg(a, "-device");
	arg(a, "virtio-serial-pci");
	arg(a, "-chardev");
	arg(a, "socket,id=agent,path=%s/agent.sock,server=on,wait=off", st->dir);
	arg(a, "-device");
	arg(a, "virtserialport,chardev=agent,name=" AGENT_PORT_NAME);
	/* last: QEMU puts devices without bus= on the newest PCI bus */
	cxl_argv(c, a);
	a->v[a->n] = NULL;
	return a->overflow ? -ENOMEM : 0;
}

static int spawn(struct qemu_state *st, struct argv_list *a)
{
	char log[PATH_MAX + 32];
	pid_t pid;

	dir_file(st, "qemu.log", log, sizeof(log));
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

/* The guest's memory block size must be what the scenario asked for. */
static int check_block_size(struct qemu_state *st, uint64_t want, char *err,
			    size_t errlen)
{
	char *text = NULL;
	uint64_t got;
	int rc;

	if (!want)
		return 0;
	rc = agent_call(st, 'R', "/sys/devices/system/memory/block_size_bytes",
			NULL, 0, &text);
	if (rc < 0) {
		free(text);
		set_err(err, errlen, "cannot read block_size_bytes in the guest");
		return rc;
	}
	got = strtoull(text, NULL, 16);
	free(text);
	if (got != want) {
		set_err(err, errlen, "block_size=%lluM cannot be set on a real x86 kernel: Linux 6.12 probes %lluM for this machine (docs/real-kernel.md)",
			(unsigned long long)(want >> 20),
			(unsigned long long)(got >> 20));
		return -EINVAL;
	}
	return 0;
}

static int qemu_boot(const struct scenario_machine *mach, void **state,
		     char *err, size_t errlen)
{
	char qemu[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX];
	const char *env_qemu = getenv("HOTMEM_QEMU");
	const char *env_timeout = getenv("HOTMEM_QEMU_TIMEOUT");
	const char *tmp = getenv("TMPDIR");
	struct argv_list a = { .n = 0 };
	struct qemu_state *st;
	char *hello = NULL;
	int32_t status;
	int rc;

	*state = NULL;
	if (strcmp(mach->config.arch, "x86_64")) {
		set_err(err, errlen, "the qemu backend runs x86_64 guests only, not %s",
			mach->config.arch);
		return -EINVAL;
	}
	if (mach->config.nr_cxl)
		cxl_qemu_path(qemu, sizeof(qemu));
	else if (env_qemu && *env_qemu)
		snprintf(qemu, sizeof(qemu), "%s", env_qemu);
	else if (!find_in_path("qemu-system-x86_64", qemu, sizeof(qemu)))
		snprintf(qemu, sizeof(qemu), "qemu-system-x86_64");
	if (access(qemu, X_OK)) {
		set_err(err, errlen, "%s not found (install it with scripts/qemu-setup.sh, as root)",
			qemu);
		return -ENOENT;
	}
	guest_file("HOTMEM_KERNEL", "kernel/vmlinuz", kernel, sizeof(kernel));
	guest_file("HOTMEM_INITRD", "initramfs.cpio.gz", initrd, sizeof(initrd));
	if (access(kernel, R_OK)) {
		set_err(err, errlen, "no guest kernel at %s (scripts/qemu-setup.sh fetches it; or set HOTMEM_KERNEL)",
			kernel);
		return -ENOENT;
	}
	if (access(initrd, R_OK)) {
		set_err(err, errlen, "no initramfs at %s ('make initramfs' builds it; or set HOTMEM_INITRD)",
			initrd);
		return -ENOENT;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->pid = -1;
	st->qmp = st->agent = -1;
	st->qmp_trace = getenv("HOTMEM_QEMU_QMP_TRACE") != NULL;
	st->timeout_ms = 1000 * (env_timeout && atoi(env_timeout) > 0 ?
				 atoi(env_timeout) : QEMU_DEFAULT_TIMEOUT_S);
	snprintf(st->dir, sizeof(st->dir), "%s/hotmem-qemu.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(st->dir)) {
		rc = -errno;
		set_err(err, errlen, "cannot create %s: %s", st->dir, strerror(-rc));
		st->dir[0] = '\0';
		goto fail;
	}
	rc = build_argv(st, mach, qemu, kernel, initrd, &a);
	if (!rc)
		rc = spawn(st, &a);
	argv_release(&a);
	if (rc) {
		set_err(err, errlen, "cannot start %s: %s", qemu, strerror(-rc));
		goto fail;
	}
	rc = connect_unix(st, "qmp.sock", &st->qmp);
	if (!rc)
		rc = connect_unix(st, "agent.sock", &st->agent);
	if (rc) {
		set_err(err, errlen, "QEMU did not start (see its stderr above)");
		show_console_tail(st);
		goto fail;
	}
	rc = qmp_command(st, "{\"execute\": \"qmp_capabilities\"}\n", err, errlen);
	if (rc)
		goto fail;
	rc = agent_recv(st, now_ms() + st->timeout_ms, &status, &hello, NULL);
	free(hello);
	if (rc) {
		char how[160] = "";

		bool ended = qemu_ended_within(st, rc == -ETIMEDOUT ? 0 : 2000,
					       how, sizeof(how));

		if (!ended)
			set_err(how, sizeof(how), rc == -ETIMEDOUT ?
				"no agent within the timeout (HOTMEM_QEMU_TIMEOUT)" :
				"the agent's connection broke");
		set_err(err, errlen, "the guest did not come up: %s (console tail above)",
			how);
		show_console_tail(st);
		rc = ended ? -EIO : -ETIMEDOUT;
		goto fail;
	}
	rc = check_block_size(st, mach->config.block_size_bytes, err, errlen);
	if (rc)
		goto fail;
	*state = st;
	return 0;
fail:
	qemu_cleanup(st);
	free(st);
	return rc < 0 ? rc : -EIO;
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
		set_err(err, errlen, "still running after %d s: killed "
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
		set_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
bad:
	set_err(err, errlen, "malformed answer from the guest agent");
	return -EPROTO;
}

/* run_tool: the real program, from the initramfs, in the guest. */
static int qemu_run_tool(void *state, char *const *argv, size_t argc,
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
		set_err(err, errlen, "%zu arguments: the guest agent takes 1 to %d",
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
	rc = agent_call_len(st, 'X', bound, args.buf, args.len, &p, &plen);
	sb_release(&args);
	if (rc == -ENOENT)
		set_err(err, errlen, "not in the guest's initramfs: "
			"scripts/qemu-setup.sh fetches Debian's ndctl and "
			"daxctl, then `make initramfs`");
	else if (rc < 0)
		set_err(err, errlen, "the guest agent could not run it: %s",
			strerror(-rc));
	else
		rc = tool_result(argv[0], p, plen, rc, res, tool_bound_s(st),
				 err, errlen);
	free(p);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Ops                                                                */
/* ------------------------------------------------------------------ */

static int qemu_read(void *state, const char *path, char **out)
{
	char *p = NULL;
	int rc = agent_call(state, 'R', path, NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static long qemu_write(void *state, const char *path, const char *buf,
		       size_t len)
{
	return agent_call(state, 'W', path, buf, len, NULL);
}

static int qemu_stat(void *state, const char *path,
		     enum scenario_entry_kind *kind, unsigned int *mode,
		     char *target, size_t targetlen)
{
	char *p = NULL, *nl;
	int rc = agent_call(state, 'S', path, NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	*kind = p[0] == 'd' ? SCENARIO_ENTRY_DIR :
		p[0] == 'l' ? SCENARIO_ENTRY_LINK : SCENARIO_ENTRY_FILE;
	*mode = (unsigned int)strtoul(p + 1, NULL, 8);
	nl = strchr(p, '\n');
	if (target && targetlen)
		snprintf(target, targetlen, "%s", nl ? nl + 1 : "");
	free(p);
	return 0;
}

static int qemu_readdir(void *state, const char *path,
			int (*fn)(void *ctx, const char *name), void *ctx)
{
	char *p = NULL, *name, *save = NULL;
	int rc = agent_call(state, 'D', path, NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	for (name = strtok_r(p, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save))
		if (fn(ctx, name))
			break;
	free(p);
	return 0;
}

/* The number of entries of dir whose names start with prefix, or -errno. */
static int count_entries(struct qemu_state *st, const char *dir,
			 const char *prefix)
{
	char *p = NULL, *name, *save = NULL;
	int rc = agent_call(st, 'D', dir, NULL, 0, &p), n = 0;

	if (rc < 0) {
		free(p);
		return rc == -ENOENT ? 0 : rc;
	}
	for (name = strtok_r(p, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save))
		n += strncmp(name, prefix, strlen(prefix)) == 0;
	free(p);
	return n;
}

/*
 * An nvdimm plug has no _OST: QEMU notifies the NVDIMM root device, the
 * guest's NFIT driver re-reads _FIT and registers a region, whose probe
 * (asynchronous) creates the seeds, the dax seed last. Wait for one more
 * region and one more dax seed than before the plug.
 */
static int wait_nd_region(struct qemu_state *st, int regions, int daxes)
{
	long long deadline = now_ms() + st->timeout_ms;

	for (;;) {
		int r = count_entries(st, "/sys/bus/nd/devices", "region");
		int d = count_entries(st, "/sys/bus/nd/devices", "dax");

		if (r < 0 || d < 0)
			return r < 0 ? r : d;
		if (r > regions && d > daxes)
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
}

/*
 * The label area of a new nvdimm, as `ndctl init-labels` leaves it: two
 * namespace index blocks (UEFI 2.7 / v1.2, 256-byte labels), every slot
 * free, no label. Without valid index blocks Linux gives the DIMM no
 * labeling and its region only a label-less io namespace (nstype 4,
 * the whole region); with them the region has label namespaces (nstype
 * 5), as the model's nvdimm does. Layout for a 128 KiB area (drivers/
 * nvdimm/label.c sizeof_namespace_index): 510 slots of 256 bytes, two
 * 256-byte index blocks at 0 and 256, labels from 512; index 0 has
 * sequence 3, index 1 sequence 2 (3 follows 2: index 0 is current).
 */
#define NVDIMM_LABEL_AREA	(128u << 10)
static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void nvdimm_label_index(unsigned char *blk, int which)
{
	const unsigned int nslot = 510, index_size = 256;
	uint32_t lo = 0;
	uint64_t hi = 0;
	unsigned int i;

	memset(blk, 0, index_size);
	memcpy(blk, "NAMESPACE_INDEX", 16);	/* with its NUL: 16 bytes */
	blk[19] = 1;				/* labelsize: 128 << 1 */
	put_le(blk + 20, which ? 2 : 3, 4);	/* seq */
	put_le(blk + 24, which * index_size, 8);	/* myoff */
	put_le(blk + 32, 72 + (nslot + 7) / 8, 8);	/* mysize: header + bitmap */
	put_le(blk + 40, (1 - which) * index_size, 8);	/* otheroff */
	put_le(blk + 48, 2 * index_size, 8);	/* labeloff */
	put_le(blk + 56, nslot, 4);
	put_le(blk + 60, 1, 2);			/* major */
	put_le(blk + 62, 2, 2);			/* minor */
	for (i = 0; i < nslot; i++)		/* free bitmap: all free */
		blk[72 + i / 8] |= (unsigned char)(1u << (i % 8));
	/* Fletcher-64 over 32-bit little-endian words, checksum field 0 */
	for (i = 0; i < index_size; i += 4) {
		lo += (uint32_t)blk[i] | (uint32_t)blk[i + 1] << 8 |
		      (uint32_t)blk[i + 2] << 16 | (uint32_t)blk[i + 3] << 24;
		hi += lo;
	}
	put_le(blk + 64, hi << 32 | lo, 8);
}

/* A sparse backing file of size bytes whose last 128 KiB are the labels. */
static int nvdimm_backing_file(const char *path, uint64_t size)
{
	unsigned char blk[512];
	int fd, rc = 0;

	if (size <= NVDIMM_LABEL_AREA)
		return -EINVAL;
	nvdimm_label_index(blk, 0);
	nvdimm_label_index(blk + 256, 1);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) ||
	    pwrite(fd, blk, sizeof(blk), (off_t)(size - NVDIMM_LABEL_AREA)) !=
	    (ssize_t)sizeof(blk))
		rc = -errno;
	close(fd);
	return rc;
}

static int qemu_device_add(void *state, const char *driver, const char *id,
			   uint64_t size, int node, char *err, size_t errlen)
{
	struct qemu_state *st = state;
	char *ev = NULL, memdev[32];
	int slot = dimm_free_entry(st);
	bool nvdimm = !strcmp(driver, "nvdimm");
	int regions = 0, daxes = 0;
	struct strbuf cmd;
	int rc;

	if (st->dead)
		return -EIO;
	if (slot < 0) {
		set_err(err, errlen, "more than %d DIMMs", QEMU_MAX_DIMMS);
		return -ENOSPC;
	}
	/*
	 * QEMU fixes the CXL topology (host bridge, fixed memory window) at
	 * startup: a cxl-type3 is plugged at power-on, by a device_add
	 * before boot (cxl_argv()), never hot-added (docs/real-kernel.md).
	 */
	if (!strcmp(driver, "cxl-type3")) {
		set_err(err, errlen, "QEMU cannot hot-add a CXL window: plug cxl-type3 at power-on (device_add before boot; docs/real-kernel.md)");
		return -EOPNOTSUPP;
	}
	if (nvdimm) {
		regions = count_entries(st, "/sys/bus/nd/devices", "region");
		daxes = count_entries(st, "/sys/bus/nd/devices", "dax");
		if (regions < 0 || daxes < 0)
			return guest_broken(st, regions < 0 ? regions : daxes,
					    "device_add: reading /sys/bus/nd/devices");
	}
	/*
	 * A backend name of our own for every plug, so that QEMU judges
	 * the device id itself (its "Duplicate device ID" message).
	 */
	snprintf(memdev, sizeof(memdev), "hotmem-mem%lu", st->nr_memdevs++);
	sb_init(&cmd);
	if (nvdimm) {
		char file[PATH_MAX + 48];
		char name[40];

		snprintf(name, sizeof(name), "%s.img", memdev);
		dir_file(st, name, file, sizeof(file));
		rc = nvdimm_backing_file(file, size);
		if (rc) {
			set_err(err, errlen, "cannot write the nvdimm's backing file %s", file);
			goto out;
		}
		sb_printf(&cmd, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-file\", \"id\": \"%s\", \"size\": %llu, \"mem-path\": \"%s\", \"share\": true}}\n",
			  memdev, (unsigned long long)size, file);
	} else {
		sb_printf(&cmd, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": \"%s\", \"size\": %llu}}\n",
			  memdev, (unsigned long long)size);
	}
	rc = cmd.buf ? qmp_command(st, cmd.buf, err, errlen) : -ENOMEM;
	if (rc == -EINVAL)
		rc = qemu_refusal_errno(err);
	if (rc)
		goto out;
	cmd.len = 0;
	/* nvdimm: the model's label area, the memdev's last 128 KiB */
	sb_printf(&cmd, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"%s\", \"id\": \"%s\", \"memdev\": \"%s\", \"node\": %d%s}}\n",
		  driver, id, memdev, node, nvdimm ? ", \"label-size\": 131072" : "");
	rc = cmd.buf ? qmp_command(st, cmd.buf, err, errlen) : -ENOMEM;
	if (rc) {
		char ignore[256];

		if (rc == -EINVAL)
			rc = qemu_refusal_errno(err);
		cmd.len = 0;
		sb_printf(&cmd, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"%s\"}}\n", memdev);
		if (cmd.buf && !st->dead)
			qmp_command(st, cmd.buf, ignore, sizeof(ignore));
		goto out;
	}
	snprintf(st->dimm[slot].id, sizeof(st->dimm[slot].id), "%s", id);
	snprintf(st->dimm[slot].memdev, sizeof(st->dimm[slot].memdev), "%s", memdev);
	st->dimm[slot].slot[0] = '\0';
	if (nvdimm) {
		rc = wait_nd_region(st, regions, daxes);
		if (rc)
			rc = guest_broken(st, rc, "device_add: waiting for the guest's nvdimm region");
		goto out;
	}
	/*
	 * The guest adds the memory asynchronously (ACPI notify, then a
	 * workqueue) and reports the outcome with _OST: wait for it, so
	 * that the next step sees the memory as the model shows it. A
	 * DIMM the kernel refuses stays plugged, as in the model.
	 */
	rc = qmp_wait_event(st, match_insert_ost, id, st->timeout_ms, &ev);
	if (!rc && !json_str(ev, "slot", st->dimm[slot].slot,
			     sizeof(st->dimm[slot].slot)))
		st->dimm[slot].slot[0] = '\0';
	free(ev);
	if (rc)
		rc = guest_broken(st, rc, "device_add: waiting for the guest's _OST");
out:
	sb_release(&cmd);
	return rc;
}

static int qemu_device_del(void *state, const char *id, char *err,
			   size_t errlen)
{
	struct qemu_state *st = state;
	char *ev = NULL, ignore[256];
	struct strbuf cmd;
	long status = -1;
	int rc;

	if (st->dead)
		return -EIO;
	sb_init(&cmd);
	sb_printf(&cmd, "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"%s\"}}\n", id);
	rc = cmd.buf ? qmp_command(st, cmd.buf, err, errlen) : -ENOMEM;
	if (rc == -EINVAL)
		rc = qemu_refusal_errno(err);
	if (rc)
		goto out;
	rc = qmp_wait_event(st, match_eject_done, id, st->timeout_ms, &ev);
	if (rc) {
		rc = guest_broken(st, rc, "device_del: waiting for DEVICE_DELETED");
		goto out;
	}
	if (strstr(ev, "DEVICE_DELETED")) {
		int i = dimm_find(st, id);
		const char *slot = i >= 0 && st->dimm[i].slot[0] ? st->dimm[i].slot : NULL;
		char *done = NULL;

		/*
		 * QEMU says DEVICE_DELETED when the guest calls _EJ0; the
		 * guest's hotplug work ends with its _OST (eject, success)
		 * for the slot, which no longer names the device. A DIMM
		 * plugged into the slot before that may go unnoticed by the
		 * guest, so wait for it (briefly: the model has no such step).
		 */
		if (slot && qmp_wait_event(st, match_eject_ost_slot, slot,
					   EJECT_OST_WAIT_MS, &done) == 0)
			free(done);
		rc = 0;
		if (i >= 0) {
			cmd.len = 0;
			sb_printf(&cmd, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"%s\"}}\n",
				  st->dimm[i].memdev);
			rc = cmd.buf ? qmp_command(st, cmd.buf, ignore, sizeof(ignore)) : -ENOMEM;
			st->dimm[i].id[0] = '\0';
		}
		goto out;
	}
	/* The guest refused: _OST status 0x82 is "device busy" (EBUSY). */
	json_int(ev, "status", &status);
	set_err(err, errlen, "the guest refused the eject (ACPI _OST status 0x%lx)",
		status);
	rc = status == 0x82 ? -EBUSY : status == 0x80 ? -EPERM : -EIO;
out:
	free(ev);
	sb_release(&cmd);
	return rc;
}

/* A stock kernel has no hook for these (docs/real-kernel.md). */
static int qemu_notifier_fail(void *state, const char *event, int err,
			      unsigned int count)
{
	(void)state;
	(void)event;
	(void)err;
	(void)count;
	return -EOPNOTSUPP;
}

static int qemu_trace_set(void *state, bool on)
{
	(void)state;
	(void)on;
	return -EOPNOTSUPP;
}

static int qemu_trace_take(void *state, char **out)
{
	(void)state;
	*out = NULL;
	return -EOPNOTSUPP;
}

static int qemu_dmesg(void *state, char **out)
{
	char *p = NULL;
	int rc = agent_call(state, 'K', "", NULL, 0, &p);

	if (rc < 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void qemu_destroy(void *state)
{
	struct qemu_state *st = state;

	if (!st)
		return;
	qemu_cleanup(st);
	free(st);
}

const struct scenario_backend scenario_backend_qemu = {
	.name = "qemu",
	.live_counters = true,
	.boot = qemu_boot,
	.read = qemu_read,
	.write = qemu_write,
	.stat = qemu_stat,
	.readdir = qemu_readdir,
	.device_add = qemu_device_add,
	.device_del = qemu_device_del,
	.notifier_fail = qemu_notifier_fail,
	.trace_set = qemu_trace_set,
	.trace_take = qemu_trace_take,
	.dmesg = qemu_dmesg,
	.run_tool = qemu_run_tool,
	.destroy = qemu_destroy,
};
