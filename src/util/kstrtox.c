/*
 * kstrtox.c - kstrtobool, as lib/kstrtox.c behaves (see kstrtox.h).
 */
#include "kstrtox.h"

#include <errno.h>
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
