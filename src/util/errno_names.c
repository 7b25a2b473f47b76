/*
 * errno_names.c - errno values by the names the kernel and the scenario
 * language use for them.
 */
#include <errno.h>
#include <string.h>

#include "hotmem.h"

static const struct {
	int err;
	const char *name;
} errno_table[] = {
	{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },	{ EINTR, "EINTR" },
	{ EIO, "EIO" },		{ E2BIG, "E2BIG" },	{ ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" },	{ EBUSY, "EBUSY" },	{ EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" },	{ ENOTDIR, "ENOTDIR" },	{ EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" },	{ ENOSPC, "ENOSPC" },	{ ERANGE, "ERANGE" },
	{ ENXIO, "ENXIO" },	{ EAGAIN, "EAGAIN" },	{ EFAULT, "EFAULT" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },			{ ETIMEDOUT, "ETIMEDOUT" },
	{ EHWPOISON, "EHWPOISON" },			{ ENOTSUP, "ENOTSUP" },
	{ EROFS, "EROFS" },	{ ENOSYS, "ENOSYS" },	{ ENAMETOOLONG, "ENAMETOOLONG" },
};

const char *hotmem_errno_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++)
		if (errno_table[i].err == err)
			return errno_table[i].name;
	return NULL;
}

int hotmem_errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++)
		if (!strcmp(errno_table[i].name, name))
			return errno_table[i].err;
	return 0;
}
