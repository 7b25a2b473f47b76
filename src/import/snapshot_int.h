/*
 * snapshot_int.h - what the files of src/import/ share and nobody else
 * needs.
 *
 * Contract: internal to src/import/.
 * Expected workload: n/a.
 */
#ifndef HOTMEM_IMPORT_SNAPSHOT_INT_H
#define HOTMEM_IMPORT_SNAPSHOT_INT_H

#include <string.h>

#include "snapshot.h"

/* Copy with truncation, always terminated. */
static inline void snap_strlcpy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Whole file (until EOF) into a malloc'ed string. */
int snap_read_text(const char *path, char **out);
/* ZONE_* of a zone name ("DMA32"), or -1. */
int snap_zone_from_name(const char *name);
/* Decide s->arch and s->page_shift (snapshot_arch.c). */
int snapshot_recognise(struct snapshot *s, const struct snapshot_opts *opts,
		       char *err, size_t errlen);

#endif
