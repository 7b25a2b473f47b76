/*
 * errmsg.h - the human-readable reason that goes with a -errno.
 *
 * Contract: errmsg_set() formats into err[0..errlen) like snprintf and
 * does nothing when err is NULL or errlen 0, so callers may pass an
 * optional buffer straight through.
 * Expected workload: once per refused operation.
 */
#ifndef HOTMEM_ERRMSG_H
#define HOTMEM_ERRMSG_H

#include <stddef.h>

void errmsg_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
