/*
 * snapshot_take.c - `hotmem snapshot`: copy what a snapshot holds
 * (snapshot_paths) from a running machine's / into a directory, plus
 * three facts the files do not carry: `uname -m` (arch), the page size
 * (pagesize) and `uname -r` (kernel-release).
 *
 * Contract: snapshot.h. Links are copied as links (their relative
 * targets), files by reading them to EOF (sysfs and procfs sizes lie);
 * write-only attributes are skipped. DIR must not exist yet or be empty.
 * Expected workload: once; a few thousand files on a large server.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../util/errmsg.h"
#include "snapshot_int.h"

static int mkdirs(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(text), off = 0;

	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		off += (size_t)n;
	}
	return close(fd) ? -errno : 0;
}

static int copy(const char *from, const char *to, unsigned int *nr, int depth,
		char *err, size_t errlen)
{
	struct stat st;
	int ret = 0;

	if (lstat(from, &st))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode)) {
		char target[1024];
		ssize_t n = readlink(from, target, sizeof(target) - 1);

		if (n < 0)
			return -errno;
		target[n] = '\0';
		if (symlink(target, to)) {
			errmsg_set(err, errlen, "%s: %s", to, strerror(errno));
			return -errno;
		}
		(*nr)++;
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		char *text;

		if (snap_read_text(from, &text))
			return 0;	/* write-only or refusing attributes */
		ret = write_text(to, text);
		free(text);
		if (ret)
			errmsg_set(err, errlen, "%s: %s", to, strerror(-ret));
		else
			(*nr)++;
		return ret;
	}
	if (S_ISDIR(st.st_mode) && depth < 12) {
		DIR *d = opendir(from);
		struct dirent *e;

		if (!d)
			return 0;
		ret = mkdirs(to);
		while (!ret && (e = readdir(d))) {
			char a[4096], b[4096];

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(a, sizeof(a), "%.2000s/%.255s", from, e->d_name);
			snprintf(b, sizeof(b), "%.2000s/%.255s", to, e->d_name);
			ret = copy(a, b, nr, depth + 1, err, errlen);
		}
		closedir(d);
		if (ret && err && !err[0])
			errmsg_set(err, errlen, "%s: %s", to, strerror(-ret));
	}
	return ret;
}

int snapshot_take(const char *root, const char *dir, unsigned int *nr_files,
		  char *err, size_t errlen)
{
	char from[4096], to[4096], *slash, num[32];
	struct utsname u;
	DIR *d;
	int i, ret;

	*nr_files = 0;
	d = opendir(dir);
	if (d) {
		struct dirent *e;
		int n = 0;

		while ((e = readdir(d)))
			n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
		closedir(d);
		if (n) {
			errmsg_set(err, errlen, "%s: exists and is not empty", dir);
			return -EEXIST;
		}
	}
	ret = mkdirs(dir);
	if (ret) {
		errmsg_set(err, errlen, "%s: %s", dir, strerror(-ret));
		return ret;
	}
	snprintf(from, sizeof(from), "%.2000s/sys/devices/system/memory", root);
	if (access(from, R_OK)) {
		errmsg_set(err, errlen, "%s: %s (no memory hotplug in this kernel?)", from,
			   strerror(errno));
		return -ENOENT;
	}
	for (i = 0; snapshot_paths[i]; i++) {
		snprintf(from, sizeof(from), "%.2000s/%s", root, snapshot_paths[i]);
		snprintf(to, sizeof(to), "%.2000s/%s", dir, snapshot_paths[i]);
		slash = strrchr(to, '/');
		*slash = '\0';
		ret = mkdirs(to);
		*slash = '/';
		if (!ret)
			ret = copy(from, to, nr_files, 0, err, errlen);
		if (ret)
			return ret;
	}
	/* what the files leave open: only for the machine we run on */
	if (!strcmp(root, "/") && !uname(&u)) {
		snprintf(to, sizeof(to), "%.2000s/arch", dir);
		ret = write_text(to, u.machine);
		if (!ret) {
			snprintf(num, sizeof(num), "%ld\n", sysconf(_SC_PAGESIZE));
			snprintf(to, sizeof(to), "%.2000s/pagesize", dir);
			ret = write_text(to, num);
		}
		if (!ret) {
			snprintf(to, sizeof(to), "%.2000s/kernel-release", dir);
			ret = write_text(to, u.release);
		}
		if (ret) {
			errmsg_set(err, errlen, "%s: %s", to, strerror(-ret));
			return ret;
		}
	}
	return 0;
}
