/*
 * cmd_snapshot.c - `hotmem snapshot DIR`: capture this machine's memory
 * state (/sys/devices/system/memory and node, /proc/iomem, meminfo,
 * zoneinfo, vmstat, cmdline, the memory_hotplug parameters, the dax, cxl
 * and nd buses) into DIR, for `machine from-snapshot=DIR`, `hotmem plan
 * --snapshot DIR` and `hotmem serve --snapshot DIR`
 * (docs/import-and-plan.md).
 *
 * Contract: src/import/snapshot.h (snapshot_take). Exit 0 when written,
 * 2 on bad arguments or a file that cannot be written.
 * Expected workload: once per machine.
 */
#include <stdio.h>
#include <string.h>

#include "../src/import/snapshot.h"
#include "cli.h"

static const char snapshot_help[] =
"Usage: hotmem snapshot [--root DIR] OUTDIR\n"
"\n"
"Copy what hotmem needs to import this machine into OUTDIR (which must\n"
"not exist or be empty): sys/devices/system/memory, sys/devices/system/node,\n"
"sys/module/memory_hotplug/parameters, sys/bus/dax, sys/bus/cxl, sys/bus/nd\n"
"(where present), proc/iomem, meminfo, zoneinfo, vmstat and cmdline, plus\n"
"arch (uname -m), pagesize and kernel-release. Links are kept as links.\n"
"Run it as root: /proc/iomem shows addresses only to root.\n"
"\n"
"Options:\n"
"  --root DIR  read DIR/sys and DIR/proc instead of /sys and /proc (e.g. a\n"
"              tree served by 'hotmem serve'); arch and pagesize are then\n"
"              not written\n"
"  -h, --help  show this help and exit\n"
"\n"
"Exit status:\n"
"  0  written\n"
"  2  bad arguments, OUTDIR not empty, or a file that cannot be written\n"
"\n"
"Example:\n"
"  hotmem snapshot /tmp/s && hotmem plan --snapshot /tmp/s --step 'device_add pc-dimm id=d1 size=8G'\n";

static int cmd_snapshot(int argc, char **argv)
{
	const char *root = "/", *out = NULL;
	char err[1024] = "";
	unsigned int nr;
	int i;

	for (i = 1; i < argc; i++) {
		if (wants_help(argv[i])) {
			fputs(snapshot_help, stdout);
			return EXIT_PASS;
		} else if (!strcmp(argv[i], "--root")) {
			if (i + 1 == argc)
				return usage_error("snapshot: option '%s' needs a directory", argv[i]);
			root = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("snapshot: unknown option '%s'", argv[i]);
		} else if (out) {
			return usage_error("snapshot: unexpected argument '%s' (one OUTDIR)", argv[i]);
		} else {
			out = argv[i];
		}
	}
	if (!out)
		return usage_error("snapshot: no OUTDIR given%s", "");
	if (snapshot_take(root, out, &nr, err, sizeof(err))) {
		fprintf(stderr, "hotmem: snapshot: %s\n", err);
		return EXIT_TROUBLE;
	}
	fprintf(stderr, "hotmem: snapshot: %u files of %s written to %s\n", nr,
		!strcmp(root, "/") ? "this machine" : root, out);
	return EXIT_PASS;
}

const struct command hotmem_cmd_snapshot = {
	"snapshot", "capture this machine's memory state for import",
	snapshot_help, cmd_snapshot,
};
