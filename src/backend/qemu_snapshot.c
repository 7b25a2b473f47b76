/*
 * qemu_snapshot.c - boot once, restore per scenario: the qemu backend's
 * cache of booted guests (docs/real-kernel.md "Booted once, restored").
 *
 * A guest is saved right after its agent said hello (QMP stop, migrate
 * to a file, cont), and a later run of the same configuration starts
 * QEMU with the same argv plus `-incoming defer`, loads that file
 * (migrate-incoming) and goes on from there: the guest cannot tell the
 * difference (its RAM, devices, clocks and kernel log are the saved
 * ones; virtual time stood still while it was stopped).
 *
 * Contract: the key is a 128-bit hash of everything that shapes the
 * boot: the whole argv with the run's own folder (sockets, console log)
 * written as @RUN@, the contents of every file the argv names (QEMU
 * itself, kernel, initramfs, firmware given by path, also as the value
 * of a KEY=PATH option), the names, sizes and times of the files in
 * every folder it names (-L) and in QEMU's own data folders
 * (PREFIX/share/qemu, PREFIX/share/seabios), and with KVM the host's
 * kernel release and CPU. An entry is DIR/KEY.vm (the migration stream,
 * zero pages left out by QEMU) with DIR/KEY.txt (the argv, for people);
 * DIR is $HOTMEM_QEMU_CACHE_DIR or qemu/cache next to the hotmem
 * executable. Writers write KEY.vm.tmp.PID and rename it: a reader sees
 * a whole entry or none. One process fills an entry at a time (flock on
 * KEY.lock); others wanting the same entry wait for it, then restore.
 * After each save the oldest entries (by last use) beyond
 * $HOTMEM_QEMU_CACHE_MAX entries (default 64) or
 * $HOTMEM_QEMU_CACHE_MAX_MB MiB (default 12288) are removed.
 * $HOTMEM_QEMU_CACHE=0 turns the cache off, and a machine with a
 * device that does not survive a restore (unrestorable_devices[]:
 * cxl-type3), or on a platform whose restored guests stop at what
 * waits on a timer (no_restore: pseries, s390-ccw-virtio, riscv virt),
 * always boots. Nothing here prints:
 * a cache that cannot be used is the same as no cache (a fresh boot),
 * and $HOTMEM_QEMU_BOOT_LOG names a file that gets one line per start
 * (qemu_boot_log()).
 *
 * Expected workload: a key costs hashing QEMU, kernel and initramfs
 * (about 35 MB, some 20 ms); a save writes the guest's non-zero pages
 * (about 135 MB for a 2 GiB guest), a restore loads them: each 1-2 s
 * on a lightly loaded 2-CPU machine (docs/real-kernel.md has figures).
 */
#include "qemu_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define SNAPSHOT_FORMAT		"hotmem-qemu-snapshot 1"
#define SNAPSHOT_MAX_ENTRIES	64
#define SNAPSHOT_MAX_MB		12288
#define SNAPSHOT_POLL_MS	20
#define SNAPSHOT_PING_MS	30000	/* a restored guest answers at once */
#define SNAPSHOT_STALE_TMP_S	3600	/* a writer this old has died */

/* ------------------------------------------------------------------ */
/* The key                                                            */
/* ------------------------------------------------------------------ */

/* Two 64-bit lanes of multiply-rotate mixing: a 128-bit content key. */
struct key_hash {
	uint64_t a, b;
	uint64_t len;
};

static uint64_t rotl64(uint64_t v, unsigned int r)
{
	return (v << r) | (v >> (64 - r));
}

static void kh_word(struct key_hash *h, uint64_t w)
{
	h->a = rotl64((h->a ^ w) * 0x9e3779b97f4a7c15ull, 29);
	h->b = rotl64(h->b + w * 0xc2b2ae3d27d4eb4full, 31) * 0x165667b19e3779f9ull;
}

static void kh_bytes(struct key_hash *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t w;

	h->len += n;
	for (; n >= 8; c += 8, n -= 8) {
		memcpy(&w, c, 8);
		kh_word(h, w);
	}
	w = 0;
	memcpy(&w, c, n);
	kh_word(h, w ^ ((uint64_t)n << 56));
}

/* A string with its terminator: "ab","c" and "a","bc" differ. */
static void kh_str(struct key_hash *h, const char *s)
{
	kh_bytes(h, s, strlen(s) + 1);
}

static void kh_hex(const struct key_hash *h, char out[33])
{
	uint64_t a = h->a ^ rotl64(h->len, 17), b = h->b ^ h->len;

	/* final avalanche of each lane */
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdull;
	a ^= a >> 33;
	b ^= b >> 29;
	b *= 0xc4ceb9fe1a85ec53ull;
	b ^= b >> 32;
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
		 (unsigned long long)b);
}

/* A file's whole content. */
static void kh_file(struct key_hash *h, const char *path)
{
	static const size_t chunk = 1u << 20;
	unsigned char *buf = malloc(chunk);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	kh_str(h, "file");
	if (!buf || fd < 0) {
		kh_str(h, "unreadable");
		h->a ^= (uint64_t)qemu_now_ms();	/* never matches: no cache */
	} else {
		while ((n = read(fd, buf, chunk)) > 0)
			kh_bytes(h, buf, (size_t)n);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
}

/* A folder's file names, sizes and modification times, in name order. */
static void kh_dir(struct key_hash *h, const char *path)
{
	struct dirent **names = NULL;
	int n = scandir(path, &names, NULL, alphasort), i;

	kh_str(h, "dir");
	for (i = 0; i < n; i++) {
		char full[PATH_MAX + 256];
		struct stat sb;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(full, &sb) == 0) {
			uint64_t v[3] = { (uint64_t)sb.st_size,
					  (uint64_t)sb.st_mtim.tv_sec,
					  (uint64_t)sb.st_mtim.tv_nsec };

			kh_str(h, names[i]->d_name);
			kh_bytes(h, v, sizeof(v));
		}
		free(names[i]);
	}
	free(names);
}

/* A path an argument names: the file's content or the folder's listing. */
static void kh_path(struct key_hash *h, const char *path)
{
	struct stat sb;

	if (path[0] != '/' || stat(path, &sb))
		return;
	if (S_ISREG(sb.st_mode))
		kh_file(h, path);
	else if (S_ISDIR(sb.st_mode))
		kh_dir(h, path);
}

/* One argument, and what it names: itself, or the VALUEs of K=V,K=V. */
static void kh_arg(struct key_hash *h, const char *arg, const char *rundir)
{
	size_t rl = strlen(rundir);
	const char *p = arg, *hit;
	char *copy, *tok, *save = NULL;

	while (rl && (hit = strstr(p, rundir))) {	/* the run's own paths */
		kh_bytes(h, p, (size_t)(hit - p));
		kh_str(h, "@RUN@");
		p = hit + rl;
	}
	kh_str(h, p);
	if (rl && strstr(arg, rundir))
		return;
	kh_path(h, arg);
	copy = strdup(arg);
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (eq)
			kh_path(h, eq + 1);
	}
	free(copy);
}

/* The first line of /proc/cpuinfo starting with field. */
static void kh_cpuinfo(struct key_hash *h, const char *field)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0) {
			kh_str(h, line);
			break;
		}
	if (f)
		fclose(f);
}

static void snapshot_key(const struct qemu_state *st, const struct argv_list *a,
			 char key[33])
{
	struct key_hash h = { 0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0 };
	char prefix[PATH_MAX], sub[PATH_MAX + 32], *slash;
	size_t i;

	kh_str(&h, SNAPSHOT_FORMAT);
	for (i = 0; i < a->n; i++)
		kh_arg(&h, a->v[i], st->dir);
	/* QEMU's own firmware: PREFIX/bin/qemu -> PREFIX/share/{qemu,seabios} */
	snprintf(prefix, sizeof(prefix), "%s", a->n ? a->v[0] : "");
	for (i = 0; i < 2 && (slash = strrchr(prefix, '/')); i++)
		*slash = '\0';
	if (i == 2) {
		snprintf(sub, sizeof(sub), "%s/share/qemu", prefix);
		kh_path(&h, sub);
		snprintf(sub, sizeof(sub), "%s/share/seabios", prefix);
		kh_path(&h, sub);
	}
	if (st->kvm) {			/* -cpu host: this host's CPU and KVM */
		struct utsname u;

		if (uname(&u) == 0)
			kh_str(&h, u.release);
		kh_cpuinfo(&h, "model name");
		kh_cpuinfo(&h, "flags");
	}
	kh_hex(&h, key);
}

/* ------------------------------------------------------------------ */
/* Entries                                                            */
/* ------------------------------------------------------------------ */

static unsigned long env_limit(const char *name, unsigned long def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return def;
	n = strtoul(v, &end, 10);
	return *end || !n ? def : n;
}

/* Our own line in the boot log ($HOTMEM_QEMU_BOOT_LOG), one write(). */
void qemu_boot_log(const char *fmt, ...)
{
	const char *path = getenv("HOTMEM_QEMU_BOOT_LOG");
	char line[512];
	va_list ap;
	int fd, n;

	if (!path || !*path)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		ssize_t w = write(fd, line, (size_t)n);

		(void)w;	/* a log line lost is no error of the run */
		close(fd);
	}
}

/*
 * Devices whose guest does not work on after a restore, so that their
 * machines always boot. cxl-type3 under QEMU 10.0: a restored guest's
 * region commit times out (ETIMEDOUT from region0/commit, the endpoint
 * decoder never committed; observed in scenarios 215 and 218), while
 * the guest it was saved from commits as after a plain boot.
 */
static const char *const unrestorable_devices[] = { "cxl-type3" };

static bool has_unrestorable_device(const struct qemu_state *st,
				    const struct argv_list *a)
{
	size_t i, d;

	if (st->platform && st->platform->no_restore)
		return true;
	for (i = 1; i < a->n; i++) {
		if (strcmp(a->v[i - 1], "-device"))
			continue;
		for (d = 0; d < sizeof(unrestorable_devices) / sizeof(unrestorable_devices[0]); d++) {
			size_t n = strlen(unrestorable_devices[d]);

			if (strncmp(a->v[i], unrestorable_devices[d], n) == 0 &&
			    (a->v[i][n] == ',' || a->v[i][n] == '\0'))
				return true;
		}
	}
	return false;
}

void qemu_snapshot_init(struct qemu_snapshot *sn, const struct qemu_state *st,
			const struct argv_list *a)
{
	const char *env = getenv("HOTMEM_QEMU_CACHE");

	memset(sn, 0, sizeof(*sn));
	sn->lock = -1;
	if ((env && strcmp(env, "0") == 0) || has_unrestorable_device(st, a))
		return;
	qemu_guest_file("HOTMEM_QEMU_CACHE_DIR", "cache", sn->dir, sizeof(sn->dir));
	/* the path goes into a shell command between single quotes */
	if (!sn->dir[0] || strpbrk(sn->dir, "'\"\\\n"))
		return;
	snapshot_key(st, a, sn->key);
	snprintf(sn->state, sizeof(sn->state), "%s/%s.vm", sn->dir, sn->key);
	sn->enabled = true;
}

/*
 * Is there an entry to restore? When not, this process becomes its
 * filler (sn->filling, holding KEY.lock) unless another one is filling
 * it: then wait for that one, at most timeout_ms, and look again.
 */
bool qemu_snapshot_lookup(struct qemu_snapshot *sn, int timeout_ms)
{
	long long deadline = qemu_now_ms() + timeout_ms;
	char lock[PATH_MAX + 64];

	if (!sn->enabled)
		return false;
	if (access(sn->state, R_OK) == 0)
		return true;
	if (mkdir(sn->dir, 0755) && errno != EEXIST)
		return false;
	snprintf(lock, sizeof(lock), "%s/%s.lock", sn->dir, sn->key);
	sn->lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (sn->lock < 0)
		return false;
	while (flock(sn->lock, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK || qemu_now_ms() > deadline) {
			close(sn->lock);	/* boot without saving */
			sn->lock = -1;
			return false;
		}
		usleep(100000);
	}
	if (access(sn->state, R_OK) == 0) {	/* the other filler finished */
		close(sn->lock);
		sn->lock = -1;
		return true;
	}
	sn->filling = true;
	return false;
}

void qemu_snapshot_release(struct qemu_snapshot *sn)
{
	if (sn->lock >= 0)
		close(sn->lock);	/* and with it the flock */
	sn->lock = -1;
	sn->filling = false;
}

/* A bad entry (it did not restore) goes: the next run fills it anew. */
void qemu_snapshot_drop(struct qemu_snapshot *sn)
{
	if (sn->enabled)
		unlink(sn->state);
}

struct cache_entry {
	char name[64];		/* KEY.vm */
	time_t used;
	unsigned long long bytes;
};

static int by_use(const void *x, const void *y)
{
	const struct cache_entry *a = x, *b = y;

	return (a->used > b->used) - (a->used < b->used);
}

static void remove_entry(const char *dir, const char *vm)
{
	char path[PATH_MAX + 128];
	size_t n = strlen(vm) - 3;	/* without ".vm" */

	snprintf(path, sizeof(path), "%s/%s", dir, vm);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%.*s.txt", dir, (int)n, vm);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%.*s.lock", dir, (int)n, vm);
	unlink(path);
}

/* Oldest first beyond the bounds; never keep; stale temporaries too. */
void qemu_snapshot_evict(const struct qemu_snapshot *sn)
{
	unsigned long max_n = env_limit("HOTMEM_QEMU_CACHE_MAX", SNAPSHOT_MAX_ENTRIES);
	unsigned long long max_b = (unsigned long long)env_limit(
		"HOTMEM_QEMU_CACHE_MAX_MB", SNAPSHOT_MAX_MB) << 20;
	struct cache_entry *e = NULL;
	unsigned long long total = 0;
	size_t n = 0, cap = 0, i;
	struct dirent *d;
	DIR *dir = opendir(sn->dir);

	while (dir && (d = readdir(dir))) {
		char path[PATH_MAX + 320];
		size_t len = strlen(d->d_name);
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", sn->dir, d->d_name);
		if (stat(path, &sb) || !S_ISREG(sb.st_mode))
			continue;
		if (strstr(d->d_name, ".vm.tmp.")) {
			if (time(NULL) - sb.st_mtime > SNAPSHOT_STALE_TMP_S)
				unlink(path);
			continue;
		}
		if (len < 4 || len >= sizeof(e->name) || strcmp(d->d_name + len - 3, ".vm"))
			continue;
		if (n == cap) {
			struct cache_entry *ne = realloc(e, (cap = cap ? 2 * cap : 64) * sizeof(*e));

			if (!ne)
				break;
			e = ne;
		}
		memcpy(e[n].name, d->d_name, len + 1);	/* len < sizeof(name) */
		e[n].used = sb.st_mtime;
		e[n].bytes = (unsigned long long)sb.st_blocks * 512;
		total += e[n].bytes;
		n++;
	}
	if (dir)
		closedir(dir);
	qsort(e, n, sizeof(*e), by_use);
	for (i = 0; i < n && (n - i > max_n || total > max_b); i++) {
		if (strncmp(e[i].name, sn->key, 32) == 0)
			continue;	/* the one just saved stays */
		remove_entry(sn->dir, e[i].name);
		total -= e[i].bytes;
	}
	free(e);
}

/* ------------------------------------------------------------------ */
/* Save and restore over QMP                                          */
/* ------------------------------------------------------------------ */

/* A QMP query's reply line; its "status" string into status. */
static int qmp_status(struct qemu_state *st, const char *json, char *status,
		      size_t len, char *why, size_t whylen)
{
	char *reply = NULL;
	int rc = qmp_command_reply(st, json, &reply, why, whylen);

	if (!rc && !qmp_json_str(reply, "status", status, len))
		status[0] = '\0';
	if (!rc && strcmp(status, "failed") == 0 &&
	    !qmp_json_str(reply, "error-desc", why, whylen))
		errmsg_set(why, whylen, "migration failed");
	free(reply);
	return rc;
}

/*
 * Save the running guest (its agent said hello and waits for a
 * request) into a new entry, and let it run on. Quiet: *why says what
 * went wrong, for the boot log; the guest runs on either way.
 */
int qemu_snapshot_save(struct qemu_state *st, struct qemu_snapshot *sn,
		       const struct argv_list *a, char *why, size_t whylen)
{
	char tmp[PATH_MAX + 96], txt[PATH_MAX + 64], cmd[2 * PATH_MAX + 160];
	char status[32] = "";
	long long deadline = qemu_now_ms() + st->timeout_ms;
	int rc, crc;
	size_t i;
	FILE *f;

	if (!sn->filling)
		return -EINVAL;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", sn->state, (long)getpid());
	/* not throttled (QEMU's default is 32 MiB/s): the guest is stopped */
	rc = qmp_command(st, "{\"execute\": \"migrate-set-parameters\", \"arguments\": "
			 "{\"max-bandwidth\": 1099511627776}}\n", why, whylen);
	if (!rc)
		rc = qmp_command(st, "{\"execute\": \"stop\"}\n", why, whylen);
	if (rc)
		return rc;
	snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate\", \"arguments\": "
		 "{\"uri\": \"exec:cat > '%s'\"}}\n", tmp);
	rc = qmp_command(st, cmd, why, whylen);
	while (!rc) {
		rc = qmp_status(st, "{\"execute\": \"query-migrate\"}\n", status,
				sizeof(status), why, whylen);
		if (rc || !strcmp(status, "completed"))
			break;
		if (!strcmp(status, "failed") || !strcmp(status, "cancelled") ||
		    qemu_now_ms() > deadline) {
			if (qemu_now_ms() > deadline)
				errmsg_set(why, whylen, "migration still '%s' at the timeout", status);
			rc = -EIO;
			break;
		}
		usleep(SNAPSHOT_POLL_MS * 1000);
	}
	crc = qmp_command(st, "{\"execute\": \"cont\"}\n", why, whylen);
	if (!rc && !crc && rename(tmp, sn->state))
		rc = -errno;
	if (rc || crc) {
		unlink(tmp);
		return rc ? rc : crc;
	}
	snprintf(txt, sizeof(txt), "%s/%s.txt", sn->dir, sn->key);
	f = fopen(txt, "w");
	if (f) {
		fprintf(f, "# %s: a guest saved right after its agent's hello\n",
			SNAPSHOT_FORMAT);
		for (i = 0; i < a->n; i++)
			fprintf(f, "%s\n", a->v[i]);
		fclose(f);
	}
	qemu_snapshot_evict(sn);
	return 0;
}

/* Is the agent's chardev connected (QEMU accepted our connection)? */
static bool agent_chardev_connected(struct qemu_state *st)
{
	char *reply = NULL, *label, *open, err[256];
	bool yes = false;

	if (qmp_command_reply(st, "{\"execute\": \"query-chardev\"}\n", &reply,
			      err, sizeof(err)))
		return false;
	label = strstr(reply, "\"label\": \"agent\"");
	if (label) {
		*label = '\0';
		open = strrchr(reply, '{');	/* this chardev's object */
		yes = open && !strstr(open, "disconnected:");
	}
	free(reply);
	return yes;
}

/*
 * The agent answers a ping. Its hello was said before the save; a
 * hello now (it reopened its port) is passed over.
 */
static int agent_ping(struct qemu_state *st, char *why, size_t whylen)
{
	static const unsigned char ping[AGENT_REQ_HDR] = { 'P' };
	long long deadline = qemu_now_ms() + SNAPSHOT_PING_MS;
	int rc = qemu_send_full(st->agent, ping, sizeof(ping));

	while (!rc) {
		char *payload = NULL;
		uint32_t len = 0;
		int32_t status;

		rc = qemu_agent_recv(st, deadline, &status, &payload, &len);
		free(payload);
		if (!rc && status == 0 && len == 0)
			return 0;
	}
	errmsg_set(why, whylen, "the agent did not answer a ping: %s", strerror(-rc));
	return rc;
}

/*
 * QEMU runs with the entry's argv plus `-incoming defer`, QMP and the
 * agent's socket connected: load the entry, run the guest, ping the
 * agent. The socket is connected before the load so that the guest's
 * port never sees the host go away.
 */
int qemu_snapshot_restore(struct qemu_state *st, struct qemu_snapshot *sn,
			  char *why, size_t whylen)
{
	long long deadline = qemu_now_ms() + st->timeout_ms;
	char cmd[PATH_MAX + 160], status[32] = "";
	int rc;

	while (!agent_chardev_connected(st)) {
		if (st->dead || qemu_now_ms() > deadline) {
			errmsg_set(why, whylen, "QEMU did not take the agent's connection");
			return -ETIMEDOUT;
		}
		usleep(SNAPSHOT_POLL_MS * 1000);
	}
	snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate-incoming\", \"arguments\": "
		 "{\"uri\": \"exec:cat '%s'\"}}\n", sn->state);
	rc = qmp_command(st, cmd, why, whylen);
	while (!rc) {
		rc = qmp_status(st, "{\"execute\": \"query-status\"}\n", status,
				sizeof(status), why, whylen);
		if (rc || strcmp(status, "inmigrate"))
			break;
		if (qemu_now_ms() > deadline) {
			errmsg_set(why, whylen, "the saved guest did not load in time");
			return -ETIMEDOUT;
		}
		usleep(SNAPSHOT_POLL_MS * 1000);
	}
	if (!rc && strcmp(status, "paused") == 0)
		rc = qmp_command(st, "{\"execute\": \"cont\"}\n", why, whylen);
	else if (!rc && strcmp(status, "running")) {
		errmsg_set(why, whylen, "QEMU is '%s' after the load", status);
		rc = -EIO;
	}
	if (!rc)
		rc = agent_ping(st, why, whylen);
	if (!rc)
		utimensat(AT_FDCWD, sn->state, NULL, 0);	/* last use, for eviction */
	return rc;
}
