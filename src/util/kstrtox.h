/*
 * kstrtox.h - the kernel's kstrtobool(): "y", "Y", "1", "on" are true;
 * "n", "N", "0", "off" are false; only the first one or two characters
 * are looked at. Returns 0 or -EINVAL.
 */
#ifndef HOTMEM_KSTRTOX_H
#define HOTMEM_KSTRTOX_H

int kstrtobool(const char *s, int *out);

#endif
