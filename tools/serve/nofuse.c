/*
 * nofuse.c - serve_fuse() for a build without libfuse 3: says what is
 * missing and how to get it (the Makefile builds this file when
 * `pkg-config fuse3` fails; tools/serve/serve.h).
 */
#include <errno.h>
#include <stdio.h>

#include "serve.h"

const int serve_fuse_built = 0;

int serve_fuse(struct hotmem_machine *m, const char *mountpoint,
	       char *err, size_t errlen)
{
	(void)m;
	(void)mountpoint;
	snprintf(err, errlen,
		 "this hotmem was built without FUSE: libfuse 3's headers were "
		 "missing (`pkg-config fuse3` failed at build time); install them "
		 "with `sh scripts/serve-setup.sh` (Debian packages libfuse3-dev, "
		 "fuse3, pkg-config), then run make again");
	return -ENOSYS;
}
