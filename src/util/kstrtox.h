/*
 * kstrtox.h - the kernel's kstrtobool(): "y", "Y", "1", "on" are true;
 * "n", "N", "0", "off" are false; only the first one or two characters
 * are looked at. Returns 0 or -EINVAL.
 */
#ifndef HOTMEM_KSTRTOX_H
#define HOTMEM_KSTRTOX_H

int kstrtobool(const char *s, int *out);

/*
 * kstrtoull()/kstrtoint() as lib/kstrtox.c parses: an optional '+'
 * (and '-' for kstrtoint), base 0 picks 16 for "0x", 8 for "0", else
 * 10; base 16 also takes a "0x" prefix; one trailing newline; nothing
 * else. -ERANGE on overflow, else -EINVAL.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *out);
int kstrtoint(const char *s, unsigned int base, int *out);

#endif
