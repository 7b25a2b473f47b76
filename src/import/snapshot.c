/*
 * snapshot.c - reading a captured machine (snapshot.h): the files, the
 * memory blocks and their cross-checks, /proc/iomem's top level, and the
 * captured zone limits.
 *
 * Contract: snapshot.h. Every file of the captured trees is kept as
 * text (the read-back overlay serves them); the facts the model boots
 * from are parsed and checked against each other, and any contradiction
 * is an error naming the file. Architecture and page size are decided in
 * snapshot_arch.c.
 * Expected workload: once per load; a few thousand small files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../util/errmsg.h"
#include "../mm/mmzone.h"
#include "hotmem.h"
#include "snapshot.h"
#include "snapshot_int.h"

#define MAX_FILE_BYTES (4u << 20)

/* The trees and files a snapshot holds, relative to the machine's / */
const char *const snapshot_paths[] = {
	"sys/devices/system/memory",
	"sys/devices/system/node",
	"sys/module/memory_hotplug/parameters",
	"sys/bus/dax",
	"sys/bus/cxl",
	"sys/bus/nd",
	"proc/iomem",
	"proc/meminfo",
	"proc/zoneinfo",
	"proc/vmstat",
	"proc/cmdline",
	NULL,
};

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct snap_file *)a)->path,
		      ((const struct snap_file *)b)->path);
}

static int cmp_block(const void *a, const void *b)
{
	uint64_t x = ((const struct snap_block *)a)->id;
	uint64_t y = ((const struct snap_block *)b)->id;

	return x < y ? -1 : x > y;
}

const struct snap_file *snapshot_file(const struct snapshot *s, const char *path)
{
	struct snap_file key = { .path = (char *)path };

	if (!s->nr_files)
		return NULL;
	return bsearch(&key, s->files, s->nr_files, sizeof(key), cmp_file);
}

const struct snap_block *snapshot_block(const struct snapshot *s, uint64_t id)
{
	struct snap_block key = { .id = id };

	if (!s->nr_blocks)
		return NULL;
	return bsearch(&key, s->blocks, s->nr_blocks, sizeof(key), cmp_block);
}

/* Whole file into a malloc'ed string; reads until EOF (sysfs and procfs
 * files lie about their size). */
int snap_read_text(const char *path, char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	int fd, ret = 0;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap >= MAX_FILE_BYTES) {
				ret = -EFBIG;
				break;
			}
			nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				ret = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int add_file(struct snapshot *s, size_t *alloc, const char *path,
		    char *text, bool link)
{
	if (s->nr_files == *alloc) {
		size_t n = *alloc ? *alloc * 2 : 256;
		struct snap_file *v = realloc(s->files, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->files = v;
		*alloc = n;
	}
	s->files[s->nr_files].path = strdup(path);
	if (!s->files[s->nr_files].path)
		return -ENOMEM;
	s->files[s->nr_files].text = text;
	s->files[s->nr_files].link = link;
	s->nr_files++;
	return 0;
}

/* A copy of a link made by a tool that followed it: "nodeN" in a memory
 * block holding "../../node/nodeN" is that link. */
static bool looks_like_link(const char *rel, const char *text)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	return !strncmp(base, "node", 4) && !strncmp(text, "../", 3) &&
	       strstr(rel, "/system/memory/memory") && !strchr(text, '\n');
}

/* Walk root/rel (a file, link or directory) into s->files. */
static int walk(struct snapshot *s, size_t *alloc, const char *rel, int depth,
		char *err, size_t errlen)
{
	char full[2048], mpath[2048];
	struct stat st;
	int ret;

	snprintf(full, sizeof(full), "%s/%s", s->root, rel);
	snprintf(mpath, sizeof(mpath), "/%s", rel);
	if (lstat(full, &st))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode)) {
		char target[1024];
		ssize_t n = readlink(full, target, sizeof(target) - 1);
		char *t;

		if (n < 0)
			return -errno;
		target[n] = '\0';
		t = strdup(target);
		return t ? add_file(s, alloc, mpath, t, true) : -ENOMEM;
	}
	if (S_ISREG(st.st_mode)) {
		char *text;

		ret = snap_read_text(full, &text);
		if (ret == -EACCES || ret == -EIO || ret == -EPERM)
			return 0;	/* write-only attributes */
		if (ret) {
			errmsg_set(err, errlen, "%s: cannot read: %s", full, strerror(-ret));
			return ret;
		}
		if (looks_like_link(rel, text)) {
			text[strcspn(text, "\n")] = '\0';
			return add_file(s, alloc, mpath, text, true);
		}
		return add_file(s, alloc, mpath, text, false);
	}
	if (S_ISDIR(st.st_mode) && depth < 12) {
		DIR *d = opendir(full);
		struct dirent *e;

		if (!d)
			return -errno;
		ret = 0;
		while (!ret && (e = readdir(d))) {
			char sub[2048];

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
			ret = walk(s, alloc, sub, depth + 1, err, errlen);
		}
		closedir(d);
		return ret;
	}
	return 0;
}

/* ---- tarballs ------------------------------------------------------------ */

/* tar -xf PATH -C DIR (GNU tar recognises gzip, bzip2 and xz itself);
 * its first line of complaint is the error. */
static int extract_tarball(struct snapshot *s, const char *path, char *err,
			   size_t errlen)
{
	char tmpl[] = "/tmp/hotmem-snapshot-XXXXXX", msg[512] = "";
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	if (!mkdtemp(tmpl)) {
		errmsg_set(err, errlen, "%s: cannot make a directory to unpack it: %s",
			   path, strerror(errno));
		return -errno;
	}
	snprintf(s->tmpdir, sizeof(s->tmpdir), "%s", tmpl);
	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execlp("tar", "tar", "--no-same-owner", "--no-same-permissions",
		       "-xf", path, "-C", tmpl, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	n = read(pipefd[0], msg, sizeof(msg) - 1);
	msg[n > 0 ? n : 0] = '\0';
	while (read(pipefd[0], (char[256]){ 0 }, 256) > 0)
		;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		msg[strcspn(msg, "\n")] = '\0';
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			errmsg_set(err, errlen, "%s: cannot unpack: tar is not installed", path);
		else
			errmsg_set(err, errlen, "%s: not a complete tarball (tar: %s)", path,
				   msg[0] ? msg : "failed");
		return -EINVAL;
	}
	return 0;
}

static int rm_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (d) {
			while ((e = readdir(d))) {
				char sub[2048];

				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
				rm_tree(sub);
			}
			closedir(d);
		}
		return rmdir(path) ? -errno : 0;
	}
	return unlink(path) ? -errno : 0;
}

static bool has_memory_tree(const char *dir)
{
	char p[4096];
	struct stat st;

	snprintf(p, sizeof(p), "%.2048s/sys/devices/system/memory", dir);
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* The directory holding sys/: DIR itself or its only subdirectory that
 * does (util-linux's tarballs have one top-level folder). */
static int find_root(struct snapshot *s, const char *dir, char *err, size_t errlen)
{
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (has_memory_tree(dir)) {
		snap_strlcpy(s->root, sizeof(s->root), dir);
		return 0;
	}
	d = opendir(dir);
	if (!d) {
		errmsg_set(err, errlen, "%s: %s", s->source, strerror(errno));
		return -errno;
	}
	while ((e = readdir(d))) {
		char sub[2048];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (has_memory_tree(sub)) {
			found++;
			snap_strlcpy(s->root, sizeof(s->root), sub);
		}
	}
	closedir(d);
	if (found == 1)
		return 0;
	errmsg_set(err, errlen, found ? "%s: several machines in one snapshot" :
		   "%s: no sys/devices/system/memory in it (not a snapshot of a machine's /sys and /proc)",
		   s->source);
	return -EINVAL;
}

/* ---- the memory blocks ------------------------------------------------- */

static const char *trimmed(const char *text, char *buf, size_t len)
{
	size_t n;

	while (*text == ' ' || *text == '\t' || *text == '\n')
		text++;
	snprintf(buf, len, "%s", text);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return buf;
}

int snap_zone_from_name(const char *name)
{
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		if (!strcmp(name, zone_names[z]))
			return z;
	return -1;
}

/* "/sys/devices/system/memory/memoryN/ATTR" -> N and ATTR, or false */
static bool block_path(const char *path, uint64_t *id, const char **attr)
{
	static const char pre[] = "/sys/devices/system/memory/memory";
	char *end;

	if (strncmp(path, pre, sizeof(pre) - 1))
		return false;
	path += sizeof(pre) - 1;
	if (*path < '0' || *path > '9')
		return false;
	*id = strtoull(path, &end, 10);
	if (*end != '/')
		return false;
	*attr = end + 1;
	return true;
}

static int parse_blocks(struct snapshot *s, char *err, size_t errlen)
{
	size_t i, alloc = 0;
	char buf[128];

	for (i = 0; i < s->nr_files; i++) {
		const struct snap_file *f = &s->files[i];
		struct snap_block *b;
		const char *attr;
		uint64_t id;

		if (!block_path(f->path, &id, &attr) || strcmp(attr, "state"))
			continue;
		if (s->nr_blocks == alloc) {
			size_t n = alloc ? alloc * 2 : 64;
			struct snap_block *v = realloc(s->blocks, n * sizeof(*v));

			if (!v)
				return -ENOMEM;
			s->blocks = v;
			alloc = n;
		}
		b = &s->blocks[s->nr_blocks++];
		memset(b, 0, sizeof(*b));
		b->id = id;
		b->nid = -1;
		b->zone = -1;
		trimmed(f->text, buf, sizeof(buf));
		if (!strcmp(buf, "online"))
			b->online = true;
		else if (strcmp(buf, "offline")) {
			errmsg_set(err, errlen, "%s%s: state '%s' (want online or offline)",
				   s->root, f->path, buf);
			return -EINVAL;
		}
	}
	if (!s->nr_blocks) {
		errmsg_set(err, errlen, "%s/sys/devices/system/memory: no memoryN/state files",
			   s->root);
		return -EINVAL;
	}
	qsort(s->blocks, s->nr_blocks, sizeof(*s->blocks), cmp_block);

	/* every other file of a block must agree with its state and number */
	for (i = 0; i < s->nr_files; i++) {
		const struct snap_file *f = &s->files[i];
		struct snap_block *b;
		const char *attr;
		uint64_t id;

		if (!block_path(f->path, &id, &attr))
			continue;
		b = (struct snap_block *)snapshot_block(s, id);
		if (!b) {
			errmsg_set(err, errlen, "%s%s: memory%llu has no state file",
				   s->root, f->path, (unsigned long long)id);
			return -EINVAL;
		}
		trimmed(f->text, buf, sizeof(buf));
		if (!strcmp(attr, "online")) {
			if (strcmp(buf, b->online ? "1" : "0")) {
				errmsg_set(err, errlen, "%s%s: '%s' contradicts memory%llu/state '%s'",
					   s->root, f->path, buf, (unsigned long long)id,
					   b->online ? "online" : "offline");
				return -EINVAL;
			}
		} else if (!strcmp(attr, "phys_index")) {
			char *end;
			uint64_t v = strtoull(buf, &end, 16);

			if (!buf[0] || *end || v != id) {
				errmsg_set(err, errlen, "%s%s: '%s' is not memory%llu's index (want %08llx)",
					   s->root, f->path, buf, (unsigned long long)id,
					   (unsigned long long)id);
				return -EINVAL;
			}
		} else if (!strcmp(attr, "valid_zones")) {
			snap_strlcpy(b->valid_zones, sizeof(b->valid_zones), buf);
		} else if (f->link && !strncmp(attr, "node", 4) && attr[4] >= '0' &&
			   attr[4] <= '9' && !strchr(attr, '/')) {
			int nid = atoi(attr + 4);

			if (nid >= HOTMEM_MAX_NODES) {
				errmsg_set(err, errlen, "%s%s: node %d (the model has at most %d nodes)",
					   s->root, f->path, nid, HOTMEM_MAX_NODES);
				return -EINVAL;
			}
			if (b->nid < 0 || nid < b->nid)
				b->nid = nid;
			if ((unsigned int)nid + 1 > s->nr_nodes)
				s->nr_nodes = (unsigned int)nid + 1;
		}
	}
	for (i = 0; i < s->nr_blocks; i++) {
		struct snap_block *b = &s->blocks[i];
		char first[32];

		if (!b->online || !b->valid_zones[0])
			continue;
		/* an online block shows its zone (older kernels: first) */
		sscanf(b->valid_zones, "%31s", first);
		b->zone = snap_zone_from_name(first);
	}
	return 0;
}

/* node/nodeK/memoryN links must agree with memoryN/nodeK */
static int check_node_links(struct snapshot *s, char *err, size_t errlen)
{
	static const char pre[] = "/sys/devices/system/node/node";
	size_t i;

	for (i = 0; i < s->nr_files; i++) {
		const struct snap_file *f = &s->files[i];
		const struct snap_block *b;
		char *end;
		long nid;
		uint64_t id;

		if (strncmp(f->path, pre, sizeof(pre) - 1))
			continue;
		nid = strtol(f->path + sizeof(pre) - 1, &end, 10);
		if (end == f->path + sizeof(pre) - 1 || nid < 0 || nid >= HOTMEM_MAX_NODES)
			continue;
		if ((unsigned int)nid + 1 > s->nr_nodes)
			s->nr_nodes = (unsigned int)nid + 1;
		if (!f->link || strncmp(end, "/memory", 7) || end[7] < '0' || end[7] > '9')
			continue;
		id = strtoull(end + 7, &end, 10);
		if (*end)
			continue;
		b = snapshot_block(s, id);
		if (!b) {
			errmsg_set(err, errlen, "%s%s: links to memory%llu, which has no memoryN directory",
				   s->root, f->path, (unsigned long long)id);
			return -EINVAL;
		}
		if (b->nid < 0)
			((struct snap_block *)b)->nid = (int)nid;
		else if (b->nid != nid) {
			char own[128];

			snprintf(own, sizeof(own), "/sys/devices/system/memory/memory%llu/node%ld",
				 (unsigned long long)id, nid);
			if (!snapshot_file(s, own)) {
				errmsg_set(err, errlen, "%s%s: says memory%llu is on node %ld, but memory%llu/node%d says node %d",
					   s->root, f->path, (unsigned long long)id, nid,
					   (unsigned long long)id, b->nid, b->nid);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int parse_block_size(struct snapshot *s, char *err, size_t errlen)
{
	const struct snap_file *f = snapshot_file(s, "/sys/devices/system/memory/block_size_bytes");
	char buf[64], *end;
	uint64_t v;

	if (!f) {
		errmsg_set(err, errlen, "%s/sys/devices/system/memory/block_size_bytes: missing (the block size cannot be known without it)",
			   s->root);
		return -EINVAL;
	}
	trimmed(f->text, buf, sizeof(buf));
	v = strtoull(buf, &end, 16);
	if (!buf[0] || *end || !v || (v & (v - 1)) || v < (1u << 20)) {
		errmsg_set(err, errlen, "%s%s: '%s' is not a block size (a power of two in hex, at least 100000)",
			   s->root, f->path, buf);
		return -EINVAL;
	}
	s->block_size = v;
	return 0;
}

static void parse_auto_online(struct snapshot *s)
{
	const struct snap_file *f = snapshot_file(s, "/sys/devices/system/memory/auto_online_blocks");
	char buf[64];

	static const char *const names[] = {
		"offline", "online", "online_kernel", "online_movable",
	};
	int i;

	s->auto_online = -1;
	if (!f)
		return;
	trimmed(f->text, buf, sizeof(buf));
	for (i = 0; i < 4; i++)
		if (!strcmp(buf, names[i]))
			s->auto_online = i;
}

/* /proc/iomem's top-level lines; all-zero addresses (read without root)
 * carry nothing and are dropped with a note. */
static int parse_iomem(struct snapshot *s, char *err, size_t errlen)
{
	const struct snap_file *f = snapshot_file(s, "/proc/iomem");
	const char *p;
	size_t alloc = 0;
	bool nonzero = false;
	unsigned int lineno = 0;

	if (!f)
		return 0;
	for (p = f->text; *p; ) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[256];
		unsigned long long a, b;
		int off = 0;
		unsigned int depth = 0;
		struct snap_iomem *r;

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)(len < 255 ? len : 255), p);
		p += len + (nl ? 1 : 0);
		if (!line[0])
			continue;
		while (line[depth] == ' ')
			depth++;
		if (sscanf(line + depth, "%llx-%llx : %n", &a, &b, &off) != 2 || !off || b < a) {
			errmsg_set(err, errlen, "%s/proc/iomem:%u: malformed line '%s'",
				   s->root, lineno, line);
			return -EINVAL;
		}
		nonzero |= b != 0;
		if (s->nr_iomem == alloc) {
			size_t n = alloc ? alloc * 2 : 64;
			struct snap_iomem *v = realloc(s->iomem, n * sizeof(*v));

			if (!v)
				return -ENOMEM;
			s->iomem = v;
			alloc = n;
		}
		r = &s->iomem[s->nr_iomem++];
		r->start = a;
		r->end = b;
		r->depth = depth / 2;
		snprintf(r->name, sizeof(r->name), "%s", line + depth + off);
	}
	if (!nonzero) {
		free(s->iomem);
		s->iomem = NULL;
		s->nr_iomem = 0;
		sb_printf(&s->notes, "ignored: /proc/iomem was read without root (every address 0); boot RAM is taken from the memory blocks\n");
	}
	return 0;
}

/* The end (pfn) of ZONE_DMA and ZONE_DMA32 from zoneinfo's start_pfn and
 * spanned, over all nodes. */
static void parse_zoneinfo_limits(struct snapshot *s)
{
	const struct snap_file *f = snapshot_file(s, "/proc/zoneinfo");
	const char *p;
	int zone = -1;
	unsigned long long spanned = 0;

	if (!f)
		return;
	for (p = f->text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char name[32];
		unsigned long long v;
		int nid;

		if (sscanf(p, "Node %d, zone %31s", &nid, name) == 2) {
			zone = snap_zone_from_name(name);
			spanned = 0;
		} else if (sscanf(p, " spanned %llu", &v) == 1) {
			spanned = v;
		} else if (sscanf(p, " start_pfn: %llu", &v) == 1 && spanned &&
			   (zone == 0 || zone == 1)) {
			if (v + spanned > s->zone_end_pfn[zone])
				s->zone_end_pfn[zone] = v + spanned;
		}
	}
}

void snapshot_put(struct snapshot *s)
{
	size_t i;

	if (!s || --s->refs > 0)
		return;
	if (s->tmpdir[0])
		rm_tree(s->tmpdir);
	for (i = 0; i < s->nr_files; i++) {
		free(s->files[i].path);
		free(s->files[i].text);
	}
	free(s->files);
	free(s->blocks);
	free(s->iomem);
	sb_release(&s->notes);
	free(s);
}

struct snapshot *snapshot_get(struct snapshot *s)
{
	if (s)
		s->refs++;
	return s;
}

int snapshot_load(const char *path, const struct snapshot_opts *opts,
		  struct snapshot **out, char *err, size_t errlen)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	size_t alloc = 0;
	struct stat st;
	int ret, i;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->refs = 1;
	sb_init(&s->notes);
	snprintf(s->source, sizeof(s->source), "%s", path);
	if (stat(path, &st)) {
		ret = -errno;
		errmsg_set(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		ret = extract_tarball(s, path, err, errlen);
		if (!ret)
			ret = find_root(s, s->tmpdir, err, errlen);
	} else {
		ret = find_root(s, path, err, errlen);
	}
	if (ret)
		goto fail;
	for (i = 0; snapshot_paths[i]; i++) {
		ret = walk(s, &alloc, snapshot_paths[i], 0, err, errlen);
		if (ret)
			goto fail;
	}
	if (s->nr_files)
		qsort(s->files, s->nr_files, sizeof(*s->files), cmp_file);
	ret = parse_block_size(s, err, errlen);
	if (!ret)
		ret = parse_blocks(s, err, errlen);
	if (!ret)
		ret = check_node_links(s, err, errlen);
	if (!ret)
		ret = parse_iomem(s, err, errlen);
	if (ret)
		goto fail;
	if (!s->nr_nodes)
		s->nr_nodes = 1;
	parse_auto_online(s);
	ret = snapshot_recognise(s, opts, err, errlen);
	if (ret)
		goto fail;
	parse_zoneinfo_limits(s);
	*out = s;
	return 0;
fail:
	if (err && errlen && !err[0])
		errmsg_set(err, errlen, "%s: %s", path, strerror(-ret));
	snapshot_put(s);
	return ret;
}
