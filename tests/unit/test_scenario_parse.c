/*
 * test_scenario_parse.c - unit tests of the scenario parser and of the
 * field helpers it shares with the interpreter (src/scenario).
 *
 * Contract: tests_scenario_parse() runs every case; no machine is
 * booted (the parser needs none). Every class of malformed line the
 * parser rejects has a case here that checks the message names
 * FILE:LINE and quotes the offending token.
 * Expected workload: milliseconds.
 */
#include "harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scenario/scenario.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

/* Parse text as file "t.scn"; diag receives the diagnostics. */
static int parse_text(const char *text, struct scenario **sc,
		      struct strbuf *diag)
{
	sb_init(diag);
	return scenario_parse("t.scn", text, strlen(text), sc, diag);
}

static const char *diag_text(const struct strbuf *diag)
{
	return diag->buf ? diag->buf : "";
}

/* ------------------------------------------------------------------ */
/* Malformed lines                                                    */
/* ------------------------------------------------------------------ */

struct bad_line {
	bool before_boot;	/* the line goes before `boot` */
	const char *line;
	const char *want1;	/* substrings the error must contain */
	const char *want2;
};

static const struct bad_line bad_lines[] = {
	/* machine */
	{ true, "machine arch=x86_64", "missing mem=", NULL },
	{ true, "machine mem=2G", "missing arch=", NULL },
	{ true, "machine arch=x86_64 mem=2X", "bad size", "'2X'" },
	{ true, "machine arch=x86_64 mem=2G colour=blue", "unknown argument",
	  "'colour=blue'" },
	{ true, "machine arch=x86_64 mem=2G slots=many", "bad slot count",
	  "'many'" },
	{ true, "machine arch=x86_64_with_a_very_long_name mem=2G", "bad arch",
	  "'x86_64_with_a_very_long_name'" },
	/* numa */
	{ true, "numa node=1 mem=1G", "out of order", "expected node=0" },
	{ true, "numa node=0 mem=1G cpus=1-0", "bad cpu list", "'1-0'" },
	{ true, "numa node=0", "missing mem=", NULL },
	{ true, "numa mem=1G", "missing node=", NULL },
	{ true, "numa node=zero mem=1G", "bad node number", "'zero'" },
	{ true, "numa node=0 mem=1G dist=10", "unknown argument", "'dist=10'" },
	/* cmdline */
	{ true, "cmdline", "missing argument", NULL },
	{ true, "cmdline =5", "malformed parameter", "'=5'" },
	{ true, "cmdline memory_hotplug.memmap_on_memory=banana",
	  "kernel rejects", "'memory_hotplug.memmap_on_memory=banana'" },
	/* structure */
	{ false, "frobnicate now", "unknown step", "'frobnicate'" },
	{ false, "boot", "second 'boot'", "line 2" },
	{ false, "machine arch=x86_64 mem=2G", "'machine' after boot", NULL },
	{ false, "numa node=0 mem=2G", "'numa' after boot", NULL },
	{ false, "cmdline movable_node", "'cmdline' after boot", NULL },
	/* write / read */
	{ false, "write /sys/x", "write: missing argument", NULL },
	{ false, "write sys/x 1", "not absolute", "'sys/x'" },
	{ false, "write /a one two", "unexpected argument", "'two'" },
	{ false, "read /a /b", "unexpected argument", "'/b'" },
	{ false, "write /a \"unterminated", "unterminated quote",
	  "'\"unterminated'" },
	/* expect */
	{ false, "expect", "expect: missing argument", NULL },
	{ false, "expect /proc/meminfo:MemTotal =~ 5", "unknown operator",
	  "'=~'" },
	{ false, "expect /proc/meminfo:MemTotal", "missing operator", NULL },
	{ false, "expect /proc/meminfo:MemTotal ==", "missing value", NULL },
	{ false, "expect /proc/meminfo:MemTotal == 1 2", "unexpected '2'",
	  NULL },
	{ false, "expect /sys/x/state == Normal Movable", "unexpected 'Movable'",
	  "quote values with spaces" },
	{ false, "expect /sys/foo < abc", "operator '<' needs a number",
	  "'abc'" },
	{ false, "expect /proc/meminfo:MemTotal - @nosuch == 0",
	  "snapshot '@nosuch' is not defined", NULL },
	{ false, "expect /proc/meminfo:MemTotal - nosuch == 0",
	  "'-' must be followed by @SNAPSHOT", "'nosuch'" },
	{ false, "expect /proc/zoneinfo:0/Movable == 1", "not NODE/ZONE/FIELD",
	  "'0/Movable'" },
	{ false, "expect /proc/zoneinfo:x/Movable/managed == 1", "bad node",
	  "'x'" },
	{ false, "expect /sys/devices/system/memory/block_size_bytes:x == 1",
	  "has no keys", "'/sys/devices/system/memory/block_size_bytes'" },
	{ false, "expect /sys/devices/system/node/nodeX/meminfo:MemTotal == 1",
	  "has no keys", "'/sys/devices/system/node/nodeX/meminfo'" },
	{ false, "expect /sys/devices/system/node/node0/vmstat:nr_free_pages == 1",
	  "has no keys", "'/sys/devices/system/node/node0/vmstat'" },
	{ false, "expect /proc/meminfo: == 1", "empty key",
	  "'/proc/meminfo:'" },
	{ false, "expect /proc/meminfo:MemTotal == 99999999999999999999999",
	  "does not fit", "'99999999999999999999999'" },
	{ false, "expect relative/path == 1", "not absolute",
	  "'relative/path'" },
	/* expect-error */
	{ false, "expect-error EWHATEVER write /a 1", "unknown errno name",
	  "'EWHATEVER'" },
	{ false, "expect-error EINVAL boot now", "cannot check", "'boot'" },
	{ false, "expect-error EINVAL", "expect-error: missing argument",
	  NULL },
	{ false, "expect-error EINVAL write /a", "write: missing argument",
	  NULL },
	/* device_add / device_del */
	{ false, "device_add virtio-mem id=a size=1G", "unsupported device",
	  "'virtio-mem'" },
	{ false, "device_add", "device_add: missing argument", NULL },
	{ false, "device_add pc-dimm size=1G", "missing id=", NULL },
	{ false, "device_add pc-dimm id=a", "missing size=", NULL },
	{ false, "device_add pc-dimm id=a size=0", "must not be 0",
	  "'size=0'" },
	{ false, "device_add pc-dimm id=a size=1Q", "bad size", "'1Q'" },
	{ false, "device_add pc-dimm id=a size=1G node=x", "bad node", "'x'" },
	{ false, "device_add pc-dimm id=a size=1G bus=pci", "unknown argument",
	  "'bus=pci'" },
	{ false, "device_add pc-dimm id=a/b size=1G", "bad id", "'a/b'" },
	/* device_add before boot: a CXL device at power-on, nothing else */
	{ true, "device_add pc-dimm id=a size=1G", "only cxl-type3 is plugged at power-on",
	  "pc-dimm" },
	{ true, "device_add cxl-type3 id=a", "missing size=", NULL },
	{ true, "device_add cxl-type3 id=an_id_of_more_than_31_characters size=1G",
	  "longer than 31", "'an_id_of_more_than_31_characters'" },
	{ false, "device_del", "device_del: missing argument", NULL },
	{ false, "device_del a b", "unexpected argument", "'b'" },
	/* notifier-fail, trace, dmesg, snapshot */
	{ false, "notifier-fail MEM_EXPLODE", "unknown memory notifier event",
	  "'MEM_EXPLODE'" },
	{ false, "notifier-fail", "missing argument", NULL },
	{ false, "notifier-fail MEM_GOING_ONLINE EPERM count=x", "bad count",
	  "'x'" },
	{ false, "notifier-fail MEM_GOING_ONLINE ENOPE", "unknown errno name",
	  "'ENOPE'" },
	{ false, "notifier-fail MEM_GOING_ONLINE EPERM count=1 extra",
	  "unexpected argument", "'extra'" },
	{ false, "trace maybe", "want 'on' or 'off'", "'maybe'" },
	{ false, "trace", "trace: missing argument", NULL },
	{ false, "dmesg now", "unexpected argument", "'now'" },
	{ false, "snapshot a/b", "bad name", "'a/b'" },
	{ false, "snapshot", "snapshot: missing argument", NULL },
};

static void each_bad_line_is_reported(struct test_ctx *t)
{
	size_t i;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		const struct bad_line *b = &bad_lines[i];
		struct scenario *sc = (struct scenario *)1;
		struct strbuf text, diag;
		const char *prefix, *d;
		int rc, failures = (int)t->case_failures;

		sb_init(&text);
		if (b->before_boot && !strncmp(b->line, "machine", 7)) {
			sb_printf(&text, "%s\nboot\n", b->line);
			prefix = "t.scn:1: error: ";
		} else if (b->before_boot) {
			/* a boot needs a machine line before it */
			sb_printf(&text, "machine arch=x86_64 mem=2G\n%s\nboot\n", b->line);
			prefix = "t.scn:2: error: ";
		} else {
			sb_printf(&text, "machine arch=x86_64 mem=2G\nboot\n%s\n",
				  b->line);
			prefix = "t.scn:3: error: ";
		}
		rc = parse_text(text.buf, &sc, &diag);
		d = diag_text(&diag);
		CHECK_EQ_INT(t, rc, -EINVAL);
		CHECK(t, sc == NULL);
		CHECK(t, strncmp(d, prefix, strlen(prefix)) == 0);
		CHECK(t, strstr(d, b->want1) != NULL);
		CHECK(t, !b->want2 || strstr(d, b->want2) != NULL);
		/* exactly one error for one bad line */
		CHECK(t, strchr(d, '\n') == d + strlen(d) - 1);
		if ((int)t->case_failures != failures)
			printf("    line: %s\n    diag: %s", b->line, d);
		sb_release(&text);
		sb_release(&diag);
	}
	CHECK(t, sizeof(bad_lines) / sizeof(bad_lines[0]) >= 20);
}

static void step_before_boot_is_an_error(struct test_ctx *t)
{
	struct scenario *sc;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\nread /proc/meminfo\n",
			    &sc, &diag);

	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, strstr(diag_text(&diag),
			"t.scn:2: error: 'read' needs a booted machine") != NULL);
	sb_release(&diag);
}

/* device_add cxl-type3 before boot fills the machine's power-on devices */
static void coldplug_cxl_builds_the_config(struct test_ctx *t)
{
	struct scenario *sc = NULL;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\n"
			    "device_add cxl-type3 id=cxl0 size=1G node=1\n"
			    "boot\n", &sc, &diag);

	CHECK_EQ_INT(t, rc, 0);
	if (sc) {
		CHECK_EQ_INT(t, (int)sc->machine.config.nr_cxl, 1);
		CHECK(t, !strcmp(sc->machine.config.cxl[0].id, "cxl0"));
		CHECK(t, sc->machine.config.cxl[0].size == GIB);
		CHECK_EQ_INT(t, sc->machine.config.cxl[0].node, 1);
		CHECK_EQ_INT(t, (int)sc->nr_steps, 1);	/* boot only */
	}
	scenario_free(sc);
	sb_release(&diag);
	/* a second one: the model has one CXL topology */
	rc = parse_text("machine arch=x86_64 mem=2G\n"
			"device_add cxl-type3 id=a size=1G\n"
			"device_add cxl-type3 id=b size=1G\n"
			"boot\n", &sc, &diag);
	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, strstr(diag_text(&diag), "t.scn:3: error: device_add cxl-type3: at most 1 at power-on") != NULL);
	sb_release(&diag);
}

static void second_machine_is_an_error(struct test_ctx *t)
{
	struct scenario *sc;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\n"
			    "machine arch=x86_64 mem=4G\n", &sc, &diag);

	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK_STR(t, diag_text(&diag),
		  "t.scn:2: error: second 'machine' step (the first is at line 1)\n");
	sb_release(&diag);
}

static void numa_sum_must_match_mem(struct test_ctx *t)
{
	struct scenario *sc;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\n"
			    "numa node=0 mem=1G cpus=0\n"
			    "numa node=1 mem=512M\n"
			    "boot\n", &sc, &diag);

	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, strstr(diag_text(&diag), "t.scn:4: error: numa: the nodes (lines 2-3) add up to 1610612736 bytes but machine mem= is 2147483648 bytes") != NULL);
	sb_release(&diag);

	/* also without a boot step */
	rc = parse_text("machine arch=x86_64 mem=2G\nnuma node=0 mem=1G\n",
			&sc, &diag);
	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, strstr(diag_text(&diag), "t.scn:2: error: numa:") != NULL);
	sb_release(&diag);
}

static void every_error_is_collected(struct test_ctx *t)
{
	struct scenario *sc;
	struct strbuf diag;
	const char *d;
	int rc = parse_text("machine arch=x86_64 mem=2G\n"
			    "bogus1\n"
			    "boot\n"
			    "# a comment\n"
			    "\n"
			    "bogus2 x\n"
			    "read /ok\n"
			    "expect /a <> 1\n", &sc, &diag);

	d = diag_text(&diag);
	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, sc == NULL);
	CHECK(t, strstr(d, "t.scn:2: error: unknown step 'bogus1' (steps: machine,") != NULL);
	CHECK(t, strstr(d, "t.scn:6: error: unknown step 'bogus2' (steps: machine,") != NULL);
	CHECK(t, strstr(d, "t.scn:8: error: expect: unknown operator '<>'") != NULL);
	sb_release(&diag);
}

static void snapshot_defined_later_is_an_error(struct test_ctx *t)
{
	struct scenario *sc;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\nboot\n"
			    "expect /proc/vmstat:nr_free_pages - @s > 0\n"
			    "snapshot s\n", &sc, &diag);

	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, strstr(diag_text(&diag), "t.scn:3: error: expect: snapshot '@s' is not defined before this line") != NULL);
	sb_release(&diag);
}

static void delta_needs_a_number(struct test_ctx *t)
{
	struct scenario *sc;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\nboot\nsnapshot s\n"
			    "expect /proc/meminfo:MemTotal - @s == lots\n",
			    &sc, &diag);

	CHECK_EQ_INT(t, rc, -EINVAL);
	CHECK(t, strstr(diag_text(&diag), "t.scn:4: error: expect: a change since a snapshot is a number, got 'lots'") != NULL);
	sb_release(&diag);
}

/* ------------------------------------------------------------------ */
/* Good lines                                                         */
/* ------------------------------------------------------------------ */

static void machine_numa_cmdline_build_the_config(struct test_ctx *t)
{
	struct scenario *sc = NULL;
	struct strbuf diag;
	const struct hotmem_config *c;
	int rc = parse_text("machine arch=x86_64 mem=3G slots=8 maxmem=32G block_size=256M\n"
			    "numa node=0 mem=2G cpus=0-1\n"
			    "numa node=1 mem=1G\n"
			    "numa node=2 mem=0 cpus=2,3\n"
			    "cmdline movable_node memhp_default_state=offline\n"
			    "boot\n", &sc, &diag);

	CHECK_EQ_INT(t, rc, 0);
	CHECK_STR(t, diag_text(&diag), "");
	if (!sc) {
		sb_release(&diag);
		return;
	}
	c = &sc->machine.config;
	CHECK_STR(t, c->arch, "x86_64");
	CHECK_EQ_U64(t, c->mem_bytes, 3 * GIB);
	CHECK_EQ_U64(t, c->slots, 8);
	CHECK_EQ_U64(t, c->maxmem_bytes, 32 * GIB);
	CHECK_EQ_U64(t, c->block_size_bytes, 256 * MIB);
	CHECK_EQ_U64(t, c->nr_nodes, 3);
	CHECK_EQ_U64(t, c->nodes[0].mem_bytes, 2 * GIB);
	CHECK_EQ_INT(t, c->nodes[0].has_cpus, 1);
	CHECK_EQ_U64(t, c->nodes[1].mem_bytes, 1 * GIB);
	CHECK_EQ_INT(t, c->nodes[1].has_cpus, 0);
	CHECK_EQ_U64(t, c->nodes[2].mem_bytes, 0);
	CHECK_EQ_INT(t, c->nodes[2].has_cpus, 1);
	CHECK_EQ_INT(t, c->movable_node, 1);
	CHECK_EQ_INT(t, c->default_online_type, HOTMEM_MMOP_OFFLINE);
	CHECK_EQ_U64(t, sc->machine.nr_cmdline_words, 2);
	if (sc->machine.nr_cmdline_words == 2) {
		CHECK_STR(t, sc->machine.cmdline_words[0], "movable_node");
		CHECK_STR(t, sc->machine.cmdline_words[1],
			  "memhp_default_state=offline");
	}
	CHECK(t, sc->has_boot);
	CHECK_EQ_U64(t, sc->nr_steps, 1);
	CHECK_EQ_INT(t, sc->steps[0].kind, STEP_BOOT);
	CHECK_EQ_INT(t, sc->steps[0].line, 6);
	scenario_free(sc);
	sb_release(&diag);
}

static void unknown_kernel_parameter_is_a_warning(struct test_ctx *t)
{
	struct scenario *sc = NULL;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\ncmdline quiet_please=1\nboot\n", &sc, &diag);

	CHECK_EQ_INT(t, rc, 0);
	CHECK(t, sc != NULL);
	CHECK_STR(t, diag_text(&diag),
		  "t.scn:2: warning: unknown kernel parameter quiet_please (ignored, as the kernel does)\n");
	scenario_free(sc);
	sb_release(&diag);
}

static void config_only_scenario_is_valid(struct test_ctx *t)
{
	struct scenario *sc = NULL;
	struct strbuf diag;
	int rc = parse_text("# nothing runs\nmachine arch=x86_64 mem=2G\necho hi\n",
			    &sc, &diag);

	CHECK_EQ_INT(t, rc, 0);
	if (sc) {
		CHECK(t, !sc->has_boot);
		CHECK_EQ_U64(t, sc->nr_steps, 1);
		CHECK_STR(t, sc->steps[0].echo_text, "hi");
	}
	scenario_free(sc);
	sb_release(&diag);
}

static const char good_steps[] =
	"machine arch=x86_64 mem=2G slots=4 maxmem=8G\r\n"		/* 1 */
	"boot   # comments go\n"					/* 2 */
	"device_add pc-dimm id=dimm1 size=1G\n"				/* 3 */
	"device_add pc-dimm id=d2 size=512M node=1\n"			/* 4 */
	"device_del dimm1\n"						/* 5 */
	"write /sys/devices/system/memory/memory32/state online_movable # x\n" /* 6 */
	"write /sys/a \"Normal Movable\"\n"				/* 7 */
	"read /proc/iomem\n"						/* 8 */
	"snapshot before\n"						/* 9 */
	"expect /proc/meminfo:MemTotal - @before == 1032192 kB\n"	/* 10 */
	"expect /proc/meminfo:MemTotal - @before >= -5kB\n"		/* 11 */
	"expect /proc/zoneinfo:0/Movable/managed - @before == 0x3ef00\n" /* 12 */
	"expect /sys/devices/system/node/node1/meminfo:MemFree < 10\n"	/* 13 */
	"expect /proc/vmstat:nr_memmap_pages != 4096\n"			/* 14 */
	"expect /sys/devices/system/memory/memory32/valid_zones == \"Normal Movable\"\n" /* 15 */
	"expect /sys/devices/system/memory/memory32/phys_index == \"00000020\"\n" /* 16 */
	"expect-error EINVAL write /sys/devices/system/memory/memory32/state online\n" /* 17 */
	"expect-error ENOENT read /sys/devices/system/memory/memory99/state\n" /* 18 */
	"expect-error EINVAL device_add pc-dimm id=dimm1 size=1G node=7\n" /* 19 */
	"expect-error EBUSY device_del d2\n"				/* 20 */
	"notifier-fail MEM_GOING_ONLINE\n"				/* 21 */
	"notifier-fail MEM_GOING_OFFLINE EBUSY count=0\n"		/* 22 */
	"trace on\n"							/* 23 */
	"trace off\n"							/* 24 */
	"dmesg\n"							/* 25 */
	"echo   == phase 2: \"quoted\"  # not shown\n"			/* 26 */
	"snapshot before\n"						/* 27 */
	"expect /proc/vmstat:nr_memmap_pages - @before == 0\n"		/* 28 */
	"expect /proc/meminfo:MemTotal - @before == 0\n"		/* 29 */
	"expect /sys/devices/system/memory/memory32/node1/meminfo:MemTotal > 0\n"; /* 30 */

static void good_steps_parse(struct test_ctx *t)
{
	struct scenario *sc = NULL;
	struct strbuf diag;
	const struct scenario_step *s;
	int rc = parse_text(good_steps, &sc, &diag);

	CHECK_EQ_INT(t, rc, 0);
	CHECK_STR(t, diag_text(&diag), "");
	sb_release(&diag);
	if (!sc || sc->nr_steps != 29) {
		CHECK(t, sc && sc->nr_steps == 29);
		scenario_free(sc);
		return;
	}
	s = sc->steps;
	CHECK_EQ_U64(t, sc->machine.config.slots, 4);
	CHECK_EQ_INT(t, s[0].kind, STEP_BOOT);
	CHECK_STR(t, s[0].text, "boot");

	CHECK_EQ_INT(t, s[1].kind, STEP_DEVICE_ADD);
	CHECK_STR(t, s[1].driver, "pc-dimm");
	CHECK_STR(t, s[1].id, "dimm1");
	CHECK_EQ_U64(t, s[1].size, GIB);
	CHECK_EQ_INT(t, s[1].node, 0);
	CHECK_EQ_INT(t, s[2].node, 1);
	CHECK_EQ_U64(t, s[2].size, 512 * MIB);
	CHECK_EQ_INT(t, s[3].kind, STEP_DEVICE_DEL);
	CHECK_STR(t, s[3].id, "dimm1");

	CHECK_EQ_INT(t, s[4].kind, STEP_WRITE);
	CHECK_STR(t, s[4].path, "/sys/devices/system/memory/memory32/state");
	CHECK_STR(t, s[4].value, "online_movable");
	CHECK_STR(t, s[4].text,
		  "write /sys/devices/system/memory/memory32/state online_movable");
	CHECK_STR(t, s[5].value, "Normal Movable");
	CHECK_EQ_INT(t, s[6].kind, STEP_READ);
	CHECK_STR(t, s[6].path, "/proc/iomem");

	/* snapshot "before" (first) and what is taken of it */
	CHECK_EQ_INT(t, s[7].kind, STEP_SNAPSHOT);
	CHECK_STR(t, s[7].snapshot_name, "before");
	CHECK_EQ_U64(t, s[7].nr_snapshot_paths, 2);
	if (s[7].nr_snapshot_paths == 2) {
		CHECK_STR(t, s[7].snapshot_paths[0], "/proc/meminfo");
		CHECK_STR(t, s[7].snapshot_paths[1], "/proc/zoneinfo");
	}

	CHECK_EQ_INT(t, s[8].kind, STEP_EXPECT);
	CHECK_EQ_INT(t, s[8].line, 10);
	CHECK_EQ_INT(t, s[8].target.key_kind, SCENARIO_KEY_MEMINFO);
	CHECK_STR(t, s[8].target.path, "/proc/meminfo");
	CHECK_STR(t, s[8].target.key, "MemTotal");
	CHECK(t, s[8].is_delta);
	CHECK_EQ_U64(t, s[8].snapshot_step, 7);
	CHECK_EQ_INT(t, s[8].op, SCENARIO_OP_EQ);
	CHECK(t, s[8].expected.is_number);
	CHECK_EQ_U64(t, s[8].expected.num.magnitude, 1032192);
	CHECK_STR(t, s[8].expected.text, "1032192 kB");

	CHECK_EQ_INT(t, s[9].op, SCENARIO_OP_GE);
	CHECK(t, s[9].expected.is_number && s[9].expected.num.negative);
	CHECK_EQ_U64(t, s[9].expected.num.magnitude, 5);

	CHECK_EQ_INT(t, s[10].target.key_kind, SCENARIO_KEY_ZONEINFO);
	CHECK_EQ_INT(t, s[10].target.zone_node, 0);
	CHECK_STR(t, s[10].target.zone_name, "Movable");
	CHECK_STR(t, s[10].target.key, "managed");
	CHECK_EQ_U64(t, s[10].expected.num.magnitude, 0x3ef00);

	CHECK_EQ_INT(t, s[11].target.key_kind, SCENARIO_KEY_MEMINFO);
	CHECK_STR(t, s[11].target.path, "/sys/devices/system/node/node1/meminfo");
	CHECK_STR(t, s[11].target.key, "MemFree");
	CHECK_EQ_INT(t, s[11].op, SCENARIO_OP_LT);
	CHECK(t, !s[11].is_delta);

	CHECK_EQ_INT(t, s[12].target.key_kind, SCENARIO_KEY_VMSTAT);
	CHECK_EQ_INT(t, s[12].op, SCENARIO_OP_NE);

	CHECK_EQ_INT(t, s[13].target.key_kind, SCENARIO_KEY_NONE);
	CHECK(t, !s[13].expected.is_number);
	CHECK_STR(t, s[13].expected.text, "Normal Movable");
	/* a quoted number is a string */
	CHECK(t, !s[14].expected.is_number);
	CHECK_STR(t, s[14].expected.text, "00000020");

	CHECK_EQ_INT(t, s[15].kind, STEP_EXPECT_ERROR);
	CHECK_EQ_INT(t, s[15].expected_errno, EINVAL);
	CHECK_EQ_INT(t, s[15].action, SCENARIO_ACTION_WRITE);
	CHECK_STR(t, s[15].value, "online");
	CHECK_EQ_INT(t, s[16].action, SCENARIO_ACTION_READ);
	CHECK_EQ_INT(t, s[16].expected_errno, ENOENT);
	CHECK_EQ_INT(t, s[17].action, SCENARIO_ACTION_DEVICE_ADD);
	CHECK_EQ_INT(t, s[17].node, 7);
	CHECK_EQ_INT(t, s[18].action, SCENARIO_ACTION_DEVICE_DEL);
	CHECK_STR(t, s[18].id, "d2");
	CHECK_EQ_INT(t, s[18].expected_errno, EBUSY);
	CHECK_EQ_U64(t, sc->nr_expects, 14);

	CHECK_EQ_INT(t, s[19].kind, STEP_NOTIFIER_FAIL);
	CHECK_STR(t, s[19].event, "MEM_GOING_ONLINE");
	CHECK_EQ_INT(t, s[19].notifier_errno, EPERM);
	CHECK_EQ_U64(t, s[19].count, 1);
	CHECK_EQ_INT(t, s[20].notifier_errno, EBUSY);
	CHECK_EQ_U64(t, s[20].count, 0);

	CHECK_EQ_INT(t, s[21].kind, STEP_TRACE);
	CHECK(t, s[21].trace_on);
	CHECK(t, !s[22].trace_on);
	CHECK_EQ_INT(t, s[23].kind, STEP_DMESG);
	CHECK_EQ_INT(t, s[24].kind, STEP_ECHO);
	CHECK_STR(t, s[24].echo_text, "== phase 2: \"quoted\"");

	/* a redefined snapshot: later expects use the latest one */
	CHECK_EQ_U64(t, s[27].snapshot_step, 25);
	CHECK_EQ_U64(t, s[25].nr_snapshot_paths, 2);
	if (s[25].nr_snapshot_paths == 2) {
		CHECK_STR(t, s[25].snapshot_paths[0], "/proc/vmstat");
		CHECK_STR(t, s[25].snapshot_paths[1], "/proc/meminfo");
	}
	/* a node's meminfo through a link has keys too */
	CHECK_EQ_INT(t, s[28].target.key_kind, SCENARIO_KEY_MEMINFO);
	CHECK_STR(t, s[28].target.path,
		  "/sys/devices/system/memory/memory32/node1/meminfo");
	scenario_free(sc);
}

static void no_trailing_newline_and_escapes(struct test_ctx *t)
{
	struct scenario *sc = NULL;
	struct strbuf diag;
	int rc = parse_text("machine arch=x86_64 mem=2G\nboot\nwrite /a \"say \\\"hi\\\" # \\\\\"",
			    &sc, &diag);

	CHECK_EQ_INT(t, rc, 0);
	if (sc && sc->nr_steps == 2)
		CHECK_STR(t, sc->steps[1].value, "say \"hi\" # \\");
	else
		CHECK(t, sc && sc->nr_steps == 2);
	scenario_free(sc);
	sb_release(&diag);
}

/* ------------------------------------------------------------------ */
/* Numbers and fields                                                 */
/* ------------------------------------------------------------------ */

static void numbers(struct test_ctx *t)
{
	struct scenario_num a, b, d;
	char buf[32];

	CHECK_EQ_INT(t, scenario_parse_num("1032192", false, &a), 0);
	CHECK_EQ_U64(t, a.magnitude, 1032192);
	CHECK_EQ_INT(t, scenario_parse_num("1032192kB", true, &a), 0);
	CHECK_EQ_INT(t, scenario_parse_num("1032192kB", false, &a), -EINVAL);
	CHECK_EQ_INT(t, scenario_parse_num("0x100000", false, &a), 0);
	CHECK_EQ_U64(t, a.magnitude, 0x100000);
	CHECK_EQ_INT(t, scenario_parse_num("0xffffffffffffffff", false, &a), 0);
	CHECK_EQ_INT(t, scenario_parse_num("0x10000000000000000", false, &a),
		     -ERANGE);
	CHECK_EQ_INT(t, scenario_parse_num("12abc", false, &a), -EINVAL);
	CHECK_EQ_INT(t, scenario_parse_num("", false, &a), -EINVAL);
	CHECK_EQ_INT(t, scenario_parse_num("-", false, &a), -EINVAL);
	CHECK_EQ_INT(t, scenario_parse_num("-0", false, &a), 0);
	CHECK(t, !a.negative);

	scenario_parse_num("5", false, &a);
	scenario_parse_num("8", false, &b);
	d = scenario_num_sub(a, b);
	scenario_num_format(d, buf, sizeof(buf));
	CHECK_STR(t, buf, "-3");
	CHECK(t, scenario_num_cmp(d, a) < 0);
	d = scenario_num_sub(b, a);
	scenario_num_format(d, buf, sizeof(buf));
	CHECK_STR(t, buf, "3");
	scenario_parse_num("-3", false, &a);
	CHECK(t, scenario_num_cmp(scenario_num_sub(a, b), a) < 0);
	CHECK_EQ_INT(t, scenario_num_cmp(scenario_num_sub(a, a),
					 (struct scenario_num){ 0 }), 0);
}

static int field_num(const struct scenario_target *tg, const char *content,
		     uint64_t *v)
{
	struct scenario_num n;
	const char *rest;
	size_t len;
	int rc = scenario_field(tg, content, &rest, &len);

	if (rc)
		return rc;
	rc = scenario_first_num(rest, len, &n);
	*v = n.magnitude;
	return rc;
}

static void fields(struct test_ctx *t)
{
	static const char meminfo[] =
		"MemTotal:        1953112 kB\nMemFree:         1800000 kB\n"
		"HugePages_Total:       0\nActive(anon):       1234 kB\n";
	static const char node_meminfo[] =
		"Node 1 MemTotal:        1032192 kB\nNode 1 MemFree:          1000 kB\n";
	static const char vmstat[] =
		"nr_free_pages 100\nnr_memmap_pages 4096\nnr_memmap_boot_pages 8192\n";
	static const char zoneinfo[] =
		"Node 0, zone      DMA\n  per-node stats\n      nr_free_pages 77\n"
		"  pages free     3000\n        managed  3840\n"
		"        protection: (0, 1888, 1888, 1888, 1888)\n"
		"Node 0, zone  Movable\n  pages free     9\n        managed  258048\n"
		"        protection: (0, 0, 0, 0, 0)\n"
		"  start_pfn:           1048576\n"
		"Node 1, zone  Movable\n  pages free     5\n        managed  11\n";
	struct scenario_target tg = { .key_kind = SCENARIO_KEY_MEMINFO };
	const char *rest;
	size_t len;
	uint64_t v = 0;

	tg.key = "MemTotal";
	CHECK_EQ_INT(t, field_num(&tg, meminfo, &v), 0);
	CHECK_EQ_U64(t, v, 1953112);
	tg.key = "Active(anon)";
	CHECK_EQ_INT(t, field_num(&tg, meminfo, &v), 0);
	CHECK_EQ_U64(t, v, 1234);
	tg.key = "HugePages_Total";
	CHECK_EQ_INT(t, field_num(&tg, meminfo, &v), 0);
	CHECK_EQ_U64(t, v, 0);
	tg.key = "Mem";
	CHECK_EQ_INT(t, field_num(&tg, meminfo, &v), -ENOENT);
	tg.key = "MemFree";
	CHECK_EQ_INT(t, field_num(&tg, node_meminfo, &v), 0);
	CHECK_EQ_U64(t, v, 1000);

	tg.key_kind = SCENARIO_KEY_VMSTAT;
	tg.key = "nr_memmap_pages";
	CHECK_EQ_INT(t, field_num(&tg, vmstat, &v), 0);
	CHECK_EQ_U64(t, v, 4096);
	tg.key = "nr_memmap";
	CHECK_EQ_INT(t, field_num(&tg, vmstat, &v), -ENOENT);

	tg.key_kind = SCENARIO_KEY_ZONEINFO;
	tg.zone_node = 0;
	tg.zone_name = "Movable";
	tg.key = "managed";
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), 0);
	CHECK_EQ_U64(t, v, 258048);
	tg.key = "free";
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), 0);
	CHECK_EQ_U64(t, v, 9);
	tg.key = "start_pfn";
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), 0);
	CHECK_EQ_U64(t, v, 1048576);
	tg.zone_name = "DMA";
	tg.key = "nr_free_pages";
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), 0);
	CHECK_EQ_U64(t, v, 77);
	tg.key = "start_pfn";	/* not in this section: not taken from the next */
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), -ENOENT);
	tg.key = "protection";
	CHECK_EQ_INT(t, scenario_field(&tg, zoneinfo, &rest, &len), 0);
	CHECK_EQ_U64(t, len, strlen("(0, 1888, 1888, 1888, 1888)"));
	CHECK(t, strncmp(rest, "(0, 1888, 1888, 1888, 1888)", len) == 0);
	tg.zone_node = 1;
	tg.zone_name = "Movable";
	tg.key = "managed";
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), 0);
	CHECK_EQ_U64(t, v, 11);
	tg.zone_name = "Normal";
	CHECK_EQ_INT(t, field_num(&tg, zoneinfo, &v), -ENOENT);

	tg.key_kind = SCENARIO_KEY_NONE;
	CHECK_EQ_INT(t, scenario_field(&tg, "  online\n", &rest, &len), 0);
	CHECK_EQ_U64(t, len, 6);
	CHECK(t, strncmp(rest, "online", 6) == 0);
}

void tests_scenario_parse(struct test_ctx *t)
{
	RUN(t, each_bad_line_is_reported);
	RUN(t, step_before_boot_is_an_error);
	RUN(t, second_machine_is_an_error);
	RUN(t, coldplug_cxl_builds_the_config);
	RUN(t, numa_sum_must_match_mem);
	RUN(t, every_error_is_collected);
	RUN(t, snapshot_defined_later_is_an_error);
	RUN(t, delta_needs_a_number);
	RUN(t, machine_numa_cmdline_build_the_config);
	RUN(t, unknown_kernel_parameter_is_a_warning);
	RUN(t, config_only_scenario_is_valid);
	RUN(t, good_steps_parse);
	RUN(t, no_trailing_newline_and_escapes);
	RUN(t, numbers);
	RUN(t, fields);
}
