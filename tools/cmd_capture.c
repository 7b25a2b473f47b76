/*
 * cmd_capture.c - `hotmem capture`: a real guest's state right after
 * boot, written into a directory (docs/real-kernel.md).
 *
 * Contract: `hotmem capture FILE DIR` boots the machine of scenario
 * FILE (its machine, numa and cmdline lines; the steps are not run) on
 * the qemu backend, and writes into DIR (created if missing) the
 * guest's iomem, meminfo, zoneinfo, vmstat, the memory block size and
 * every memory block's state and valid_zones (blocks.txt, "memoryN
 * STATE ZONES" a line), plus model-inputs.txt: the `boot_reserved=`
 * that makes the model's MemTotal equal the guest's for this machine
 * (the model is booted with the same machine to find it) and the
 * `boot_used=` the guest's MemTotal - MemFree shows; `machine ...
 * from=DIR` reads them back (docs/scenario-language.md). Exit 0, or 2
 * with a message on any failure (nothing half-written is left as
 * success).
 *
 * Expected workload: one guest boot (a few seconds under TCG).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/scenario/scenario.h"
#include "cli.h"

static const char capture_help[] =
"Usage: hotmem capture FILE DIR\n"
"\n"
"Boot the machine of scenario FILE (its machine, numa and cmdline lines)\n"
"on Linux 6.12 under QEMU and write the booted guest's state into DIR:\n"
"iomem, meminfo, zoneinfo, vmstat, block_size_bytes, blocks.txt (each\n"
"memory block's state and valid zones) and model-inputs.txt: the\n"
"boot_reserved= that makes the model's MemTotal match this boot and the\n"
"boot_used= of the guest's MemTotal - MemFree. A scenario's machine\n"
"line with from=DIR starts the model from them.\n"
"\n"
"Options:\n"
"  -h, --help  show this help and exit\n"
"\n"
"Exit status:\n"
"  0  the state was written\n"
"  2  bad arguments, malformed scenario, the guest did not boot, or DIR\n"
"     cannot be written\n"
"\n"
"Example:\n"
"  hotmem capture tests/scenarios/050-numa-two-nodes.scn /tmp/boot\n";

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* MemTotal in kB from a meminfo text, or -1. */
static long long memtotal(const char *meminfo)
{
	const char *p = meminfo ? strstr(meminfo, "MemTotal:") : NULL;

	return p ? strtoll(p + 9, NULL, 10) : -1;
}

struct blocks_ctx {
	const struct scenario_backend *be;
	void *state;
	struct strbuf out;
	int err;
};

static int add_block(void *ctx, const char *name)
{
	struct blocks_ctx *c = ctx;
	char path[512], *state = NULL, *zones = NULL;

	if (strncmp(name, "memory", 6) || name[6] < '0' || name[6] > '9')
		return 0;
	snprintf(path, sizeof(path), "/sys/devices/system/memory/%s/state", name);
	if (c->be->read(c->state, path, &state) < 0)
		state = NULL;
	snprintf(path, sizeof(path), "/sys/devices/system/memory/%s/valid_zones",
		 name);
	if (c->be->read(c->state, path, &zones) < 0)
		zones = NULL;
	if (state)
		state[strcspn(state, "\n")] = '\0';
	if (zones)
		zones[strcspn(zones, "\n")] = '\0';
	if (sb_printf(&c->out, "%s %s %s\n", name, state ? state : "?",
		      zones ? zones : "?"))
		c->err = -ENOMEM;
	free(state);
	free(zones);
	return c->err ? 1 : 0;
}

static int capture(const struct scenario *sc, const char *dir)
{
	static const char *const files[][2] = {
		{ "/proc/iomem", "iomem" },
		{ "/proc/meminfo", "meminfo" },
		{ "/proc/zoneinfo", "zoneinfo" },
		{ "/proc/vmstat", "vmstat" },
		{ "/sys/devices/system/memory/block_size_bytes", "block_size_bytes" },
	};
	const struct scenario_backend *qemu = &scenario_backend_qemu;
	const struct scenario_backend *model = &scenario_backend_model;
	struct blocks_ctx blocks = { .be = qemu };
	void *mstate = NULL;
	char *kmem = NULL, *mmem = NULL, msg[512] = "";
	long long kt, mt;
	size_t i;
	int rc;

	rc = qemu->boot(&sc->machine, &blocks.state, msg, sizeof(msg));
	if (rc < 0) {
		fprintf(stderr, "hotmem: capture: boot: %s\n", msg);
		return EXIT_TROUBLE;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]) && !rc; i++) {
		char *text = NULL;

		rc = qemu->read(blocks.state, files[i][0], &text);
		if (rc < 0) {
			fprintf(stderr, "hotmem: capture: cannot read %s in the guest: %s\n",
				files[i][0], strerror(-rc));
			break;
		}
		rc = write_file(dir, files[i][1], text);
		if (rc < 0)
			fprintf(stderr, "hotmem: capture: cannot write %s/%s: %s\n",
				dir, files[i][1], strerror(-rc));
		if (strcmp(files[i][1], "meminfo") == 0)
			kmem = text;
		else
			free(text);
	}
	if (!rc) {
		sb_init(&blocks.out);
		rc = qemu->readdir(blocks.state, "/sys/devices/system/memory",
				   add_block, &blocks);
		rc = rc ? rc : blocks.err;
		if (!rc)
			rc = write_file(dir, "blocks.txt", blocks.out.buf ? blocks.out.buf : "");
		if (rc)
			fprintf(stderr, "hotmem: capture: blocks: %s\n", strerror(-rc));
		sb_release(&blocks.out);
	}
	qemu->destroy(blocks.state);
	/* What boot_reserved= makes the model's MemTotal the guest's. */
	if (!rc && model->boot(&sc->machine, &mstate, msg, sizeof(msg)) == 0 &&
	    model->read(mstate, "/proc/meminfo", &mmem) == 0) {
		struct strbuf sb;

		const char *fp = strstr(kmem, "MemFree:");
		long long kfree = fp ? strtoll(fp + 8, NULL, 10) : -1;

		kt = memtotal(kmem);
		mt = memtotal(mmem);
		sb_init(&sb);
		sb_printf(&sb, "# measured by hotmem capture on Linux 6.12 under QEMU (docs/real-kernel.md)\n"
			  "# MemTotal: kernel %lld kB, model %lld kB with boot_reserved=%lluK\n"
			  "boot_reserved=%lldK\n"
			  "# the guest's MemTotal - MemFree right after boot (slab, page tables, ...)\n"
			  "boot_used=%lldK\n",
			  kt, mt, (unsigned long long)hotmem_boot_reserved_kb(&sc->machine.config),
			  (long long)hotmem_boot_reserved_kb(&sc->machine.config) + mt - kt,
			  kfree >= 0 && kfree <= kt ? kt - kfree : 0);
		rc = write_file(dir, "model-inputs.txt", sb.buf ? sb.buf : "");
		if (!rc)
			printf("%s", sb.buf);
		sb_release(&sb);
	} else if (!rc) {
		fprintf(stderr, "hotmem: capture: the model did not boot: %s\n", msg);
		rc = -EINVAL;
	}
	if (mstate)
		model->destroy(mstate);
	free(kmem);
	free(mmem);
	return rc ? EXIT_TROUBLE : EXIT_PASS;
}

static int cmd_capture(int argc, char **argv)
{
	struct scenario *sc = NULL;
	int status;

	if (argc == 2 && wants_help(argv[1])) {
		fputs(capture_help, stdout);
		return EXIT_PASS;
	}
	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return usage_error("%s: want a scenario FILE and a DIR", "capture");
	if (mkdir(argv[2], 0777) && errno != EEXIST) {
		fprintf(stderr, "hotmem: capture: cannot create '%s': %s\n",
			argv[2], strerror(errno));
		return EXIT_TROUBLE;
	}
	if (load_scenario(argv[1], &sc))
		return EXIT_TROUBLE;
	status = capture(sc, argv[2]);
	scenario_free(sc);
	return status;
}

const struct command hotmem_cmd_capture = {
	"capture", "write a real guest's state after boot into a directory",
	capture_help, cmd_capture,
};
