/*
 * tree.h - test helpers over a booted machine: boot from a short spec,
 * read a field, and digest the whole visible tree (every file's content
 * and every link) so that "nothing changed" is a string comparison.
 */
#ifndef HOTMEM_TEST_TREE_H
#define HOTMEM_TEST_TREE_H

#include <stdint.h>

#include "hotmem.h"

struct hotmem_machine *test_boot(const char *const *cmdline, uint64_t mem,
				 uint64_t block_size);
/* The value of "Label:" / "name value" in a file, or UINT64_MAX. */
uint64_t test_field(struct hotmem_machine *m, const char *path, const char *key);
/* zoneinfo NODE/ZONE field */
uint64_t test_zone_field(struct hotmem_machine *m, int nid, const char *zone,
			 const char *field);
/* Every file and link under /sys and /proc, concatenated (malloc'ed). */
char *test_tree_digest(struct hotmem_machine *m);
long test_write(struct hotmem_machine *m, const char *path, const char *val);

#endif
