/*
 * fuse.c - serve_fuse() with libfuse 3: a model machine's sysfs and
 * procfs as a live file system, so real tools (lsmem, chmem, daxctl)
 * can run against it (tools/serve/serve.h, docs/serve.md).
 *
 * Contract: every request goes to the model through include/hotmem.h:
 * getattr -> hotmem_stat, readdir -> hotmem_readdir, read ->
 * hotmem_read, write -> hotmem_write; the model's -errno is the
 * request's, so write(2) fails with the kernel's errno. Nothing is
 * cached (entry, attribute and negative timeouts are 0, files are
 * direct I/O), so reads always show the live state. A file's content is
 * produced when it is read at offset 0, as sysfs runs the show method
 * on the first read of an open file. Opening follows kernfs: for
 * writing, a file without a write bit is EACCES; for reading, one
 * without a read bit. Links keep the model's relative targets; an
 * absolute one is made relative to the mount so it resolves inside it.
 *
 * The model's /sys/bus/{nd,dax}/devices entries are links into
 * /sys/devices/..., a part of the tree the model itself reaches only
 * through the bus (sysfs_bus.c). This file serves those device
 * directories at their /sys/devices paths, so the links resolve and
 * realpath() works as on a real machine: each device's real path is an
 * alias of its bus path, a dax device's parent is an alias of
 * ".../daxX.Y/.." (its dax region), and the directories above them
 * (platform, ndbus0, ...) list the next components. Where two aliases
 * name one directory (an nd dax device that is also a dax region's
 * parent), it shows the union of both.
 *
 * Single-threaded (fuse_loop): the model is not thread-safe. No state
 * outside struct serve; the signal handlers are libfuse's.
 *
 * Expected workload: one mount per process; a handful of bus devices,
 * so the alias list is rebuilt on every /sys/devices lookup the model
 * does not answer itself.
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fuse.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hotmem.h"
#include "serve.h"

#define SERVE_PATH 1024
#define SERVE_MAX_ALIASES 64

struct serve {
	struct hotmem_machine *m;
	time_t mounted;
};

/* One open file: the text its last read at offset 0 produced. */
struct open_file {
	char *text;
	size_t len;
};

/* A device directory served at its /sys/devices path (see above). */
struct alias {
	char real[SERVE_PATH];		/* "/sys/devices/platform/..." */
	char model[SERVE_PATH];		/* "/sys/bus/dax/devices/dax0.0" */
};

struct aliases {
	struct alias v[SERVE_MAX_ALIASES];
	size_t n;
};

static struct serve *this_serve(void)
{
	return fuse_get_context()->private_data;
}

/* Is path equal to prefix or below it (component-wise)? */
static const char *under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(path, prefix, n))
		return NULL;
	if (path[n] == '\0' || path[n] == '/')
		return path + n;
	return NULL;
}

struct names {
	char (*v)[256];
	size_t n, cap;
};

static int collect_name(void *ctx, const char *name)
{
	struct names *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char (*v)[256] = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", name);
	return 0;
}

static bool names_has(const struct names *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], name))
			return true;
	return false;
}

/* dst = a + b, at most SERVE_PATH bytes; -ENAMETOOLONG if longer. */
static int join(char *dst, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb >= SERVE_PATH)
		return -ENAMETOOLONG;
	memcpy(dst, a, la);
	memcpy(dst + la, b, lb + 1);
	return 0;
}

static void add_alias(struct aliases *a, const char *real, const char *model,
		      const char *suffix)
{
	if (a->n == SERVE_MAX_ALIASES ||
	    join(a->v[a->n].real, real, "") ||
	    join(a->v[a->n].model, model, suffix))
		return;
	a->n++;
}

/* The device links of one bus: real path -> bus path. */
static void collect_bus(struct hotmem_machine *m, const char *bus,
			struct aliases *a)
{
	char dir[64], model[SERVE_PATH], target[512], real[SERVE_PATH];
	char *slash;
	struct names l = { 0 };
	enum hotmem_node_kind kind;
	unsigned int mode;
	size_t i;

	snprintf(dir, sizeof(dir), "/sys/bus/%s/devices", bus);
	if (hotmem_readdir(m, dir, collect_name, &l) < 0)
		goto out;
	for (i = 0; i < l.n; i++) {
		snprintf(model, sizeof(model), "%s/%.255s", dir, l.v[i]);
		if (hotmem_stat(m, model, &kind, &mode, target, sizeof(target)) < 0 ||
		    kind != HOTMEM_ENTRY_LINK || strncmp(target, "../../../devices/", 17))
			continue;
		/* the link sits three levels below /sys */
		snprintf(real, sizeof(real), "/sys/%s", target + 9);
		add_alias(a, real, model, "");
		slash = strrchr(real, '/');
		if (!strcmp(bus, "dax") && slash) {
			*slash = '\0';
			add_alias(a, real, model, "/..");
		}
	}
out:
	free(l.v);
}

static void collect_aliases(struct hotmem_machine *m, struct aliases *a)
{
	a->n = 0;
	collect_bus(m, "nd", a);
	collect_bus(m, "dax", a);
}

/*
 * Stat a served path: the model's own answer, else through an alias,
 * else a directory above aliased devices. model_out (may be NULL)
 * receives the model path that answered ("" for such a directory).
 */
static int serve_stat(struct hotmem_machine *m, const char *path,
		      enum hotmem_node_kind *kind, unsigned int *mode,
		      char *target, size_t targetlen, char *model_out)
{
	struct aliases *a;
	size_t best, i;
	int rc = hotmem_stat(m, path, kind, mode, target, targetlen);

	if (model_out && join(model_out, path, ""))
		return -ENAMETOOLONG;
	if (rc != -ENOENT || !under(path, "/sys/devices"))
		return rc;
	a = malloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	collect_aliases(m, a);
	/* longest real path first: the deepest device owns its files */
	for (;;) {
		const char *rest;
		char model[SERVE_PATH];

		best = a->n;
		for (i = 0; i < a->n; i++)
			if (a->v[i].real[0] && under(path, a->v[i].real) &&
			    (best == a->n || strlen(a->v[i].real) > strlen(a->v[best].real)))
				best = i;
		if (best == a->n)
			break;
		rest = under(path, a->v[best].real);
		a->v[best].real[0] = '\0';	/* tried */
		if (join(model, a->v[best].model, rest))
			continue;
		rc = hotmem_stat(m, model, kind, mode, target, targetlen);
		if (rc == -ENOENT)
			continue;
		/* the bus's devices/ entry itself is the device's directory */
		if (!rc && !*rest && *kind == HOTMEM_ENTRY_LINK)
			*kind = HOTMEM_ENTRY_DIR;
		if (model_out)
			join(model_out, model, "");
		free(a);
		return rc;
	}
	collect_aliases(m, a);
	for (i = 0; i < a->n; i++) {
		const char *rest = under(a->v[i].real, path);

		if (rest && *rest) {
			*kind = HOTMEM_ENTRY_DIR;
			*mode = 0;
			if (model_out)
				model_out[0] = '\0';
			free(a);
			return 0;
		}
	}
	free(a);
	return -ENOENT;
}

static int op_getattr(const char *path, struct stat *st,
		      struct fuse_file_info *fi)
{
	struct serve *s = this_serve();
	enum hotmem_node_kind kind = HOTMEM_ENTRY_NONE;
	unsigned int mode = 0;
	char target[512] = "";
	int rc;

	(void)fi;
	rc = serve_stat(s->m, path, &kind, &mode, target, sizeof(target), NULL);
	if (rc < 0)
		return rc;
	memset(st, 0, sizeof(*st));
	st->st_uid = 0;
	st->st_gid = 0;
	st->st_atime = st->st_mtime = st->st_ctime = s->mounted;
	switch (kind) {
	case HOTMEM_ENTRY_DIR:
		/* proc's directories are read-only, sysfs's are 0755 */
		st->st_mode = S_IFDIR | (under(path, "/proc") ? 0555 : 0755);
		st->st_nlink = 2;
		break;
	case HOTMEM_ENTRY_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_nlink = 1;
		st->st_size = (off_t)strlen(target);
		break;
	case HOTMEM_ENTRY_FILE:
		st->st_mode = S_IFREG | (mode & 07777);
		st->st_nlink = 1;
		/* sysfs attributes claim a page; proc files claim nothing */
		st->st_size = under(path, "/proc") ? 0 : 4096;
		break;
	default:
		return -ENOENT;
	}
	return 0;
}

static int op_readlink(const char *path, char *buf, size_t size)
{
	enum hotmem_node_kind kind;
	unsigned int mode;
	char target[512] = "";
	int rc = serve_stat(this_serve()->m, path, &kind, &mode, target,
			    sizeof(target), NULL);

	if (rc < 0)
		return rc;
	if (kind != HOTMEM_ENTRY_LINK)
		return -EINVAL;
	if (target[0] == '/') {
		/* absolute: climb to the mount's root first */
		size_t off = 0;
		const char *p;

		buf[0] = '\0';
		for (p = strchr(path + 1, '/'); p && off + 4 < size; p = strchr(p + 1, '/'))
			off += (size_t)snprintf(buf + off, size - off, "../");
		snprintf(buf + off, size - off, "%s", target + 1);
		return 0;
	}
	snprintf(buf, size, "%s", target);
	return 0;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
		      off_t offset, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	struct hotmem_machine *m = this_serve()->m;
	struct names l = { 0 };
	struct aliases *a = NULL;
	size_t i;
	int rc, found;

	(void)offset;
	(void)fi;
	(void)flags;
	rc = hotmem_readdir(m, path, collect_name, &l);
	found = rc == 0;
	if (rc == -ENOMEM)
		goto out;
	if (under(path, "/sys/devices")) {
		a = malloc(sizeof(*a));
		if (!a) {
			rc = -ENOMEM;
			goto out;
		}
		collect_aliases(m, a);
		for (i = 0; i < a->n; i++) {
			const char *rest = under(path, a->v[i].real);
			char model[SERVE_PATH], name[256];
			struct names sub = { 0 };
			size_t j;

			if (rest) {
				/* a device directory, or a directory inside one */
				if (!join(model, a->v[i].model, rest) &&
				    hotmem_readdir(m, model, collect_name, &sub) == 0) {
					found = 1;
					for (j = 0; j < sub.n; j++)
						if (!names_has(&l, sub.v[j]) &&
						    collect_name(&l, sub.v[j]) < 0)
							rc = -ENOMEM;
				}
				free(sub.v);
				continue;
			}
			rest = under(a->v[i].real, path);
			if (rest && *rest) {
				/* a directory above a device: its next component */
				size_t n = strcspn(rest + 1, "/");

				if (n >= sizeof(name))
					continue;
				memcpy(name, rest + 1, n);
				name[n] = '\0';
				found = 1;
				if (!names_has(&l, name) && collect_name(&l, name) < 0)
					rc = -ENOMEM;
			}
		}
		if (rc == -ENOMEM)
			goto out;
	}
	if (!found)
		goto out;
	rc = 0;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	for (i = 0; i < l.n; i++)
		if (filler(buf, l.v[i], NULL, 0, 0))
			break;
out:
	free(a);
	free(l.v);
	return rc;
}

static int op_open(const char *path, struct fuse_file_info *fi)
{
	enum hotmem_node_kind kind;
	unsigned int mode;
	char target[512];
	struct open_file *f;
	int acc = fi->flags & O_ACCMODE;
	int rc = serve_stat(this_serve()->m, path, &kind, &mode, target,
			    sizeof(target), NULL);

	if (rc < 0)
		return rc;
	if (kind == HOTMEM_ENTRY_DIR)
		return -EISDIR;
	/* kernfs_fop_open: the mode decides, even for root */
	if ((acc == O_WRONLY || acc == O_RDWR) && !(mode & 0222))
		return -EACCES;
	if ((acc == O_RDONLY || acc == O_RDWR) && !(mode & 0444))
		return -EACCES;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	fi->fh = (uint64_t)(uintptr_t)f;
	fi->direct_io = 1;	/* every read reaches the model */
	return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;
	char model[SERVE_PATH];
	enum hotmem_node_kind kind;
	unsigned int mode;
	char target[512];
	size_t n;
	int rc;

	if (off == 0 || !f->text) {
		char *text = NULL;

		rc = serve_stat(this_serve()->m, path, &kind, &mode, target,
				sizeof(target), model);
		if (rc < 0)
			return rc;
		rc = hotmem_read(this_serve()->m, model, &text);
		if (rc < 0)
			return rc;
		free(f->text);
		f->text = text;
		f->len = strlen(text);
	}
	if ((size_t)off >= f->len)
		return 0;
	n = f->len - (size_t)off;
	if (n > size)
		n = size;
	memcpy(buf, f->text + off, n);
	return (int)n;
}

static int op_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	char model[SERVE_PATH];
	enum hotmem_node_kind kind;
	unsigned int mode;
	char target[512];
	long rc;

	(void)off;
	(void)fi;
	rc = serve_stat(this_serve()->m, path, &kind, &mode, target,
			sizeof(target), model);
	if (rc < 0)
		return (int)rc;
	rc = hotmem_write(this_serve()->m, model, buf, size);
	return (int)rc;
}

/* `echo x > FILE` opens with O_TRUNC: sysfs ignores the size change. */
static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	enum hotmem_node_kind kind;
	unsigned int mode;
	char target[512];
	int rc = serve_stat(this_serve()->m, path, &kind, &mode, target,
			    sizeof(target), NULL);

	(void)size;
	(void)fi;
	if (rc < 0)
		return rc;
	if (kind != HOTMEM_ENTRY_FILE)
		return -EISDIR;
	return mode & 0222 ? 0 : -EACCES;
}

static int op_release(const char *path, struct fuse_file_info *fi)
{
	struct open_file *f = (struct open_file *)(uintptr_t)fi->fh;

	(void)path;
	if (f) {
		free(f->text);
		free(f);
	}
	return 0;
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* the state changes under every write: cache nothing */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->kernel_cache = 0;
	cfg->direct_io = 1;
	return fuse_get_context()->private_data;
}

static const struct fuse_operations serve_ops = {
	.init = op_init,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.readdir = op_readdir,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.truncate = op_truncate,
	.release = op_release,
};

const int serve_fuse_built = 1;

int serve_fuse(struct hotmem_machine *m, const char *mountpoint,
	       char *err, size_t errlen)
{
	struct serve s = { .m = m, .mounted = time(NULL) };
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_session *se;
	struct fuse *f = NULL;
	int rc = -ENOMEM;

	if (fuse_opt_add_arg(&args, "hotmem") ||
	    fuse_opt_add_arg(&args, "-o") ||
	    fuse_opt_add_arg(&args, "fsname=hotmem,subtype=hotmem,default_permissions"))
		goto out;
	f = fuse_new(&args, &serve_ops, sizeof(serve_ops), &s);
	if (!f) {
		snprintf(err, errlen, "cannot start FUSE (see the message above)");
		rc = -EIO;
		goto out;
	}
	if (fuse_mount(f, mountpoint)) {
		snprintf(err, errlen,
			 "cannot mount on '%s' (is /dev/fuse there and usable? "
			 "see the message above)", mountpoint);
		rc = -EIO;
		goto out;
	}
	se = fuse_get_session(f);
	if (fuse_set_signal_handlers(se)) {
		snprintf(err, errlen, "cannot install signal handlers");
		rc = -EIO;
		fuse_unmount(f);
		goto out;
	}
	printf("hotmem: serving the model's /sys and /proc at %s "
	       "(Ctrl-C or SIGTERM unmounts)\n", mountpoint);
	fflush(stdout);
	rc = fuse_loop(f) < 0 ? -EIO : 0;
	if (rc)
		snprintf(err, errlen, "the FUSE session failed");
	fuse_remove_signal_handlers(se);
	fuse_unmount(f);
out:
	if (f)
		fuse_destroy(f);
	fuse_opt_free_args(&args);
	return rc;
}
