/*
 * kstrtox.c - kstrtobool, kstrtoull and kstrtoint, as lib/kstrtox.c
 * behaves (see kstrtox.h).
 */
#include "kstrtox.h"

#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>

int kstrtobool(const char *s, int *out)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case '1':
		*out = 1;
		return 0;
	case 'n': case 'N': case '0':
		*out = 0;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*out = 1;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*out = 0;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *out)
{
	unsigned long long v = 0;
	bool overflow = false;
	int digits = 0;

	if (!s)
		return -EINVAL;
	if (*s == '+')
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16)
			base = 16, s += 2;
		else if (s[0] == '0')
			base = 8;
		else
			base = 10;
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	for (; *s && *s != '\n'; s++, digits++) {
		unsigned int d = (unsigned int)digit_value(*s);

		if (d >= base)
			return -EINVAL;
		if (v > (ULLONG_MAX - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (!digits || (*s == '\n' && s[1]))
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*out = v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *out)
{
	unsigned long long v;
	bool neg = s && *s == '-';
	int ret = kstrtoull(neg ? s + 1 : s, base, &v);

	if (ret)
		return ret;
	if (neg ? v > (unsigned long long)INT_MAX + 1 : v > INT_MAX)
		return -ERANGE;
	*out = neg ? (int)-(long long)v : (int)v;
	return 0;
}
