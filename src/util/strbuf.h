/*
 * strbuf.h - a growable NUL-terminated string buffer.
 *
 * Contract: sb_init() gives an empty buffer; appends return 0 or
 * -ENOMEM (the buffer then keeps what it had); sb_release() frees it;
 * sb_detach() hands the malloc'ed string to the caller.
 * Expected workload: rendering sysfs/procfs files of a few KiB.
 */
#ifndef HOTMEM_STRBUF_H
#define HOTMEM_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, alloc;
};

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);
int sb_add(struct strbuf *sb, const char *s, size_t n);
int sb_puts(struct strbuf *sb, const char *s);
int sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);

#endif
