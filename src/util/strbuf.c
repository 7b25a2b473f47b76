/*
 * strbuf.c - growable string buffer (see strbuf.h).
 */
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->alloc = 0;
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->buf;

	if (!s)
		s = calloc(1, 1);
	sb_init(sb);
	return s;
}

static int sb_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	size_t n;
	char *p;

	if (want <= sb->alloc)
		return 0;
	n = sb->alloc ? sb->alloc : 64;
	while (n < want)
		n *= 2;
	p = realloc(sb->buf, n);
	if (!p)
		return -ENOMEM;
	sb->buf = p;
	sb->alloc = n;
	return 0;
}

int sb_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb_grow(sb, n))
		return -ENOMEM;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int sb_puts(struct strbuf *sb, const char *s)
{
	return sb_add(sb, s, strlen(s));
}

int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -EINVAL;
	if (sb_grow(sb, (size_t)n))
		return -ENOMEM;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sb_vprintf(sb, fmt, ap);
	va_end(ap);
	return r;
}
