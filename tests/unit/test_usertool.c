/*
 * test_usertool.c - the ndctl/daxctl 76.1 command-line parser of the
 * tool steps (src/usertools/toolopt.c, ndctl.c, daxctl.c checks): the
 * tools' parse-options syntax (git's: bundled short flags, -sVALUE,
 * --long=VALUE, unique prefixes, --no-X, "--"), ndctl's __parse_size64,
 * and the complaints the tools make before touching the machine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/usertools/usertool.h"
#include "harness.h"

/* Parse a space-separated line; 0 or -EINVAL, err filled. */
static int parse_line(const char *line, struct tool_cmdline *cl, char *err, size_t errlen)
{
	static char buf[512];
	static char *argv[32];
	size_t argc = 0;
	char *tok;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok(buf, " "); tok && argc < 32; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	err[0] = '\0';
	return tool_cmdline_parse(argv, argc, cl, err, errlen);
}

static void test_parse_size(struct test_ctx *t)
{
	uint64_t v = 0, u = 0;

	CHECK_EQ_INT(t, tool_parse_size("130M", &v, &u), 0);
	CHECK_EQ_U64(t, v, 136314880);
	CHECK_EQ_U64(t, u, 1ull << 20);
	CHECK_EQ_INT(t, tool_parse_size("2m", &v, &u), 0);
	CHECK_EQ_U64(t, v, 2ull << 20);
	CHECK_EQ_INT(t, tool_parse_size("1G", &v, NULL), 0);
	CHECK_EQ_U64(t, v, 1ull << 30);
	CHECK_EQ_INT(t, tool_parse_size("4k", &v, NULL), 0);
	CHECK_EQ_U64(t, v, 4096);
	CHECK_EQ_INT(t, tool_parse_size("1T", &v, NULL), 0);
	CHECK_EQ_U64(t, v, 1ull << 40);
	/* strtoull base 0: hex and octal, no unit */
	CHECK_EQ_INT(t, tool_parse_size("0x8200000", &v, &u), 0);
	CHECK_EQ_U64(t, v, 0x8200000);
	CHECK_EQ_U64(t, u, 1);
	CHECK_EQ_INT(t, tool_parse_size("010", &v, NULL), 0);
	CHECK_EQ_U64(t, v, 8);
	CHECK_EQ_INT(t, tool_parse_size("0", &v, NULL), 0);
	CHECK_EQ_U64(t, v, 0);
	/* one suffix letter and nothing after it */
	CHECK(t, tool_parse_size("16MiB", &v, NULL) < 0);
	CHECK(t, tool_parse_size("16MB", &v, NULL) < 0);
	CHECK(t, tool_parse_size("12Q", &v, NULL) < 0);
	CHECK(t, tool_parse_size("1.5G", &v, NULL) < 0);
	CHECK(t, tool_parse_size("", &v, NULL) < 0);
	CHECK(t, tool_parse_size("M", &v, NULL) < 0);
	/* shifting past 64 bits is the tool's overflow check */
	CHECK(t, tool_parse_size("0x100000000000000T", &v, NULL) < 0);
}

static void test_uuid(struct test_ctx *t)
{
	CHECK(t, tool_uuid_valid("3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a10"));
	CHECK(t, tool_uuid_valid("3A9F5A8E-7C2D-4F61-9D3B-2B1F4C6E8A10"));
	CHECK(t, !tool_uuid_valid("3a9f5a8e7c2d4f619d3b2b1f4c6e8a10"));
	CHECK(t, !tool_uuid_valid("3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a1g"));
	CHECK(t, !tool_uuid_valid("3a9f5a8e-7c2d-4f61-9d3b-2b1f4c6e8a100"));
}

static void test_option_forms(struct test_ctx *t)
{
	struct tool_cmdline cl;
	char err[256];

	/* bundled flags, a short option's attached value, --long=value */
	CHECK_EQ_INT(t, parse_line("ndctl create-namespace -fe namespace0.0 -mdevdax --map=dev",
				   &cl, err, sizeof(err)), 0);
	CHECK(t, tool_flag(&cl, "force"));
	CHECK_STR(t, tool_opt(&cl, "reconfig"), "namespace0.0");
	CHECK_STR(t, tool_opt(&cl, "mode"), "devdax");
	CHECK_STR(t, tool_opt(&cl, "map"), "dev");
	/* --long value, a unique prefix, the last value wins */
	CHECK_EQ_INT(t, parse_line("ndctl create-namespace --reconf namespace0.0 --mode fsdax --mode devdax",
				   &cl, err, sizeof(err)), 0);
	CHECK_STR(t, tool_opt(&cl, "reconfig"), "namespace0.0");
	CHECK_STR(t, tool_opt(&cl, "mode"), "devdax");
	/* "re" is a prefix of both --region and --reconfig */
	CHECK(t, parse_line("ndctl create-namespace --re region0", &cl, err, sizeof(err)) < 0);
	CHECK(t, strstr(err, "Ambiguous option: re") != NULL);
	/* --no-X unsets; a "no-" option is unset by its positive name */
	CHECK_EQ_INT(t, parse_line("ndctl create-namespace -f --no-force -r region0",
				   &cl, err, sizeof(err)), 0);
	CHECK(t, !tool_flag(&cl, "force"));
	CHECK_EQ_INT(t, parse_line("daxctl reconfigure-device --no-movable -m system-ram dax0.0",
				   &cl, err, sizeof(err)), 0);
	CHECK(t, tool_flag(&cl, "no-movable"));
	CHECK_STR(t, cl.arg[0], "dax0.0");
	CHECK_EQ_INT(t, parse_line("daxctl online-memory --no-movable --movable dax0.0",
				   &cl, err, sizeof(err)), 0);
	CHECK(t, !tool_flag(&cl, "no-movable"));
	/* operands anywhere; "--" ends the options */
	CHECK_EQ_INT(t, parse_line("daxctl reconfigure-device dax0.0 -m devdax",
				   &cl, err, sizeof(err)), 0);
	CHECK_STR(t, cl.arg[0], "dax0.0");
	CHECK_EQ_INT(t, parse_line("daxctl offline-memory -- dax0.0", &cl, err, sizeof(err)), 0);
	CHECK_STR(t, cl.arg[0], "dax0.0");
	CHECK_EQ_INT(t, parse_line("ndctl list -RNi -r region1", &cl, err, sizeof(err)), 0);
	CHECK(t, tool_flag(&cl, "regions") && tool_flag(&cl, "namespaces") && tool_flag(&cl, "idle"));
	CHECK_STR(t, tool_opt(&cl, "region"), "region1");
}

static void test_option_errors(struct test_ctx *t)
{
	struct tool_cmdline cl;
	char err[256];

	CHECK(t, parse_line("ndctl list --bogus", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl list: unknown option `bogus'");
	CHECK(t, parse_line("ndctl list -x", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl list: unknown switch `x'");
	CHECK(t, parse_line("ndctl create-namespace -s", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: switch `s' requires a value");
	CHECK(t, parse_line("ndctl create-namespace --size", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: option `size' requires a value");
	CHECK(t, parse_line("ndctl create-namespace --force=yes", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: option `force' takes no value");
	CHECK(t, parse_line("ndctl frobnicate", &cl, err, sizeof(err)) < 0);
	CHECK(t, strstr(err, "'frobnicate' is not a command hotmem models") != NULL);
	CHECK(t, parse_line("ndctl", &cl, err, sizeof(err)) < 0);
	/* operands: one device, none for create/list */
	CHECK(t, parse_line("daxctl online-memory", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "daxctl online-memory: specify a device to online memory for, or \"all\" (usage: daxctl online-memory <device> [<options>])");
	CHECK(t, parse_line("ndctl destroy-namespace -f", &cl, err, sizeof(err)) < 0);
	CHECK(t, strstr(err, "specify a namespace to destroy, or \"all\"") != NULL);
	CHECK(t, parse_line("daxctl online-memory dax0.0 dax1.0", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "daxctl online-memory: unknown extra parameter \"dax1.0\"");
	CHECK(t, parse_line("ndctl create-namespace namespace0.0", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: unknown extra parameter \"namespace0.0\"");
	/* options hotmem does not model are refused, with the reason */
	CHECK(t, parse_line("ndctl list -D -H", &cl, err, sizeof(err)) < 0);
	CHECK(t, strstr(err, "--health is not modelled") != NULL);
	CHECK(t, parse_line("daxctl list -u", &cl, err, sizeof(err)) < 0);
	CHECK(t, strstr(err, "--human is not modelled") != NULL);
	/* offline-memory has no --no-movable in 76.1 */
	CHECK(t, parse_line("daxctl offline-memory --no-movable dax0.0", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "daxctl offline-memory: unknown option `no-movable'");
}

static void test_tool_checks(struct test_ctx *t)
{
	struct tool_cmdline cl;
	char err[256];

	/* ndctl set_defaults */
	CHECK(t, parse_line("ndctl create-namespace -m foo", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: invalid mode 'foo'");
	CHECK(t, parse_line("ndctl create-namespace -M disk", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: invalid map location 'disk'");
	CHECK(t, parse_line("ndctl create-namespace -m raw -M dev", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: --map only valid for an devdax mode pmem namespace");
	CHECK(t, parse_line("ndctl create-namespace -s 12Q", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: failed to parse namespace size '12Q'");
	CHECK(t, parse_line("ndctl create-namespace -a 3M", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: align must be a power-of-2 greater than 4096");
	CHECK(t, parse_line("ndctl create-namespace -u 1234", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: failed to parse uuid: '1234'");
	CHECK(t, parse_line("ndctl create-namespace -t blk2", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "ndctl create-namespace: invalid type 'blk2', must be either 'pmem' or 'blk'");
	/* the old mode names are accepted (util_nsmode) */
	CHECK_EQ_INT(t, parse_line("ndctl create-namespace -m memory -M mem -e namespace0.0",
				   &cl, err, sizeof(err)), 0);
	/* ... but --map without -e compares the names literally */
	CHECK(t, parse_line("ndctl create-namespace -m memory -M mem -r region0", &cl, err,
			    sizeof(err)) < 0);
	CHECK_EQ_INT(t, parse_line("ndctl create-namespace -m dax -a 1G -s 0x40000000",
				   &cl, err, sizeof(err)), 0);
	/* daxctl parse_device_options */
	CHECK(t, parse_line("daxctl reconfigure-device dax0.0", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "daxctl reconfigure-device: error: a 'align', 'mode' or 'size' option is required");
	CHECK(t, parse_line("daxctl reconfigure-device -m devdax -N dax0.0", &cl, err, sizeof(err)) < 0);
	CHECK_STR(t, err, "daxctl reconfigure-device: --no-online is incompatible with --mode=devdax");
	CHECK_EQ_INT(t, parse_line("daxctl reconfigure-device -m system-ram -N -f dax0.0",
				   &cl, err, sizeof(err)), 0);
	CHECK(t, tool_flag(&cl, "no-online") && tool_flag(&cl, "force"));
	CHECK_EQ_INT(t, parse_line("daxctl create-device -r 0 -s 256M -a 2M", &cl, err, sizeof(err)), 0);
}

/* ---- the writes a tool makes, in order -------------------------------- */

/* The model backend with every write recorded as "PATH VALUE" lines. */
static struct strbuf recorded;

static long record_write(void *state, const char *path, const char *buf, size_t len)
{
	size_t n = len;
	char val[128];
	long r;

	while (n && buf[n - 1] == '\n')
		n--;
	snprintf(val, sizeof(val), "%.*s", (int)n, buf);
	r = scenario_backend_model.write(state, path, buf, len);
	/* the uuid is random in ndctl (deterministic in the model): masked */
	sb_printf(&recorded, "%s %s%s\n", path, tool_uuid_valid(val) ? "UUID" : val,
		  r < 0 ? " !" : "");
	return r;
}

/* Run 'text' on the recording backend; the writes of its tool steps. */
static void run_recorded(struct test_ctx *t, const char *text)
{
	struct scenario_backend rec = scenario_backend_model;
	struct scenario_run_opts opts = { 0 };
	struct scenario_result res;
	struct scenario *sc = NULL;
	struct strbuf diag;
	FILE *out = tmpfile();

	rec.write = record_write;
	sb_init(&diag);
	sb_release(&recorded);
	sb_init(&recorded);
	CHECK_EQ_INT(t, scenario_parse("t.scn", text, strlen(text), &sc, &diag), 0);
	if (sc && out) {
		opts.out = out;
		opts.err = out;
		CHECK_EQ_INT(t, scenario_run(sc, &rec, &opts, &res), 0);
		CHECK_EQ_INT(t, (long long)res.expects_failed, 0);
	}
	scenario_free(sc);
	sb_release(&diag);
	if (out)
		fclose(out);
}

/*
 * ndctl 76.1 create-namespace -f -e on a label-less namespace bound to
 * nd_pmem (namespace.c namespace_reconfig, libndctl): disable_safe
 * unbinds it; enforce mode raw; zero_info_block enables it raw, offering
 * it to every nd driver until one binds (ndctl_bind; the failures are
 * ignored), and disables it again; enforce mode dax; then the dax seed's
 * uuid, location, align and namespace, and the bind of the dax device.
 * A write that fails is marked " !".
 */
static void ndctl_reconfig_writes(struct test_ctx *t)
{
	run_recorded(t, "machine arch=x86_64 mem=4G\ncmdline memmap=1G!4G\nboot\n"
			"expect-status 0 ndctl create-namespace -f -e namespace0.0 -m devdax -M dev\n");
	CHECK_STR(t, recorded.buf,
		  "/sys/bus/nd/drivers/nd_pmem/unbind namespace0.0\n"
		  "/sys/bus/nd/devices/namespace0.0/holder_class \n"
		  "/sys/bus/nd/devices/namespace0.0/force_raw 1\n"
		  "/sys/bus/nd/drivers/dax_pmem/bind namespace0.0 !\n"
		  "/sys/bus/nd/drivers/nd_bus/bind namespace0.0 !\n"
		  "/sys/bus/nd/drivers/nd_pmem/bind namespace0.0\n"
		  "/sys/bus/nd/devices/namespace0.0/force_raw 0\n"
		  "/sys/bus/nd/drivers/nd_pmem/unbind namespace0.0\n"
		  "/sys/bus/nd/devices/namespace0.0/holder_class dax\n"
		  "/sys/bus/nd/devices/dax0.0/uuid UUID\n"
		  "/sys/bus/nd/devices/dax0.0/mode pmem\n"
		  "/sys/bus/nd/devices/dax0.0/align 2097152\n"
		  "/sys/bus/nd/devices/dax0.0/namespace namespace0.0\n"
		  "/sys/bus/nd/drivers/dax_pmem/bind dax0.0\n");
	sb_release(&recorded);
}

/*
 * daxctl 76.1 reconfigure-device -m system-ram on a devdax device with
 * auto_online_blocks offline (device.c reconfig_mode_system_ram,
 * libdaxctl): daxctl_dev_disable (remove_id then unbind through the
 * device's driver), daxctl_dev_enable (kmem new_id, then bind: EBUSY as
 * new_id attached it), then each offline block of the target node whose
 * phys_index lies in the device, online_movable.
 */
static void daxctl_system_ram_writes(struct test_ctx *t)
{
	run_recorded(t, "machine arch=x86_64 mem=4G\n"
			"cmdline memmap=1G!4G memhp_default_state=offline\nboot\n"
			"ndctl create-namespace -f -e namespace0.0 -m devdax -M dev\n"
			"echo MARK\n"
			"expect-status 0 daxctl reconfigure-device -m system-ram dax0.0\n");
	{
		const char *tail = recorded.buf ? strstr(recorded.buf, "/sys/bus/dax/") : NULL;
		char *blocks = NULL;

		CHECK(t, tail != NULL);
		if (!tail)
			return;
		CHECK(t, !strncmp(tail,
				  "/sys/bus/dax/drivers/device_dax/remove_id dax0.0\n"
				  "/sys/bus/dax/drivers/device_dax/unbind dax0.0\n"
				  "/sys/bus/dax/drivers/kmem/new_id dax0.0\n"
				  "/sys/bus/dax/drivers/kmem/bind dax0.0 !\n",
				  strlen("/sys/bus/dax/drivers/device_dax/remove_id dax0.0\n"
					 "/sys/bus/dax/drivers/device_dax/unbind dax0.0\n"
					 "/sys/bus/dax/drivers/kmem/new_id dax0.0\n"
					 "/sys/bus/dax/drivers/kmem/bind dax0.0 !\n")));
		/* memory33..39: the blocks past the 18 MiB of metadata */
		blocks = strstr(tail, "/sys/devices/system/node/");
		CHECK(t, blocks && strstr(blocks, "node0/memory33/state online_movable\n"));
		CHECK(t, blocks && strstr(blocks, "node0/memory39/state online_movable\n"));
		CHECK(t, blocks && !strstr(blocks, "memory32/"));
		CHECK(t, blocks && !strstr(blocks, " !"));
	}
	sb_release(&recorded);
}

void tests_usertool(struct test_ctx *t)
{
	RUN(t, test_parse_size);
	RUN(t, test_uuid);
	RUN(t, test_option_forms);
	RUN(t, test_option_errors);
	RUN(t, test_tool_checks);
	RUN(t, ndctl_reconfig_writes);
	RUN(t, daxctl_system_ram_writes);
}
