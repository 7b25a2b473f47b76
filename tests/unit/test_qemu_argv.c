/*
 * test_qemu_argv.c - the qemu backend's command line per platform
 * (src/backend/qemu_platform_*.c), as one string: the machine options
 * each real guest was booted with (docs/real-kernel.md "Guests of other
 * architectures"), the console each kernel writes to, the agent's
 * virtio-serial bus; the q35 line as it always was. And the parse-time
 * refusals of qemu_platform_check(): profiles without a real guest,
 * devices a guest cannot take.
 *
 * Expected workload: a few parses and string joins, milliseconds.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/backend/qemu_int.h"

/* The argv for scenario text, joined by spaces, into out ("" on error). */
static void argv_of(const char *text, char *out, size_t len)
{
	struct qemu_state st = { .pid = -1 };
	struct argv_list a = { .n = 0 };
	const struct qemu_platform *p;
	const struct qemu_guest *g;
	struct scenario *sc = NULL;
	struct strbuf diag, line;
	char err[256];
	size_t i;

	out[0] = '\0';
	sb_init(&diag);
	if (scenario_parse("t.scn", text, strlen(text), &sc, &diag)) {
		printf("  parse: %s\n", diag.buf ? diag.buf : "");
		sb_release(&diag);
		return;
	}
	sb_release(&diag);
	snprintf(st.dir, sizeof(st.dir), "D");
	p = qemu_platform_find(sc->machine.config.arch, &g, err, sizeof(err));
	if (p && !g->none &&
	    qemu_build_argv(&st, &sc->machine, p, g, "QEMU", "K", "I", &a) == 0) {
		sb_init(&line);
		for (i = 0; i < a.n; i++)
			sb_printf(&line, "%s%s", i ? " " : "", a.v[i]);
		snprintf(out, len, "%s", line.buf ? line.buf : "");
		sb_release(&line);
	}
	qemu_argv_release(&a);
	scenario_free(sc);
}

#define TAIL_PCI " -chardev socket,id=qmp,path=D/qmp.sock,server=on,wait=off" \
	" -mon chardev=qmp,mode=control -device virtio-serial-pci" \
	" -chardev socket,id=agent,path=D/agent.sock,server=on,wait=off" \
	" -device virtserialport,chardev=agent,name=hotmem.agent"
#define BOOT " -no-user-config -display none -no-reboot -kernel K -initrd I"

static void argv_q35_as_before(struct test_ctx *t)
{
	char got[4096], want[4096];
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (kvm >= 0)
		close(kvm);
	argv_of("machine arch=x86_64 mem=2G slots=8 maxmem=32G\n"
		"cmdline memhp_default_state=offline\nboot\n", got, sizeof(got));
	snprintf(want, sizeof(want), "QEMU -machine q35 -accel %s -cpu %s -smp 1"
		 " -m 2147483648b,slots=8,maxmem=34359738368b" BOOT
		 " -append console=ttyS0 panic=-1 quiet memhp_default_state=offline"
		 " -serial file:D/console.log" TAIL_PCI,
		 kvm >= 0 ? "kvm" : "tcg", kvm >= 0 ? "host,la57=off" : "max,la57=off");
	CHECK_STR(t, got, want);
	/* 5-level paging: TCG's max has LA57; KVM must have the host's */
	argv_of("machine arch=x86_64-5level mem=2G\nboot\n", got, sizeof(got));
	snprintf(want, sizeof(want), "-cpu %s -smp 1 ",
		 kvm >= 0 ? "host,la57=on,enforce" : "max");
	CHECK(t, strstr(got, want) != NULL);
	/* cpu=qemu64: that model, under KVM too */
	argv_of("machine arch=x86_64 mem=2G cpu=qemu64\nboot\n", got, sizeof(got));
	CHECK(t, strstr(got, "-cpu qemu64 -smp 1 ") != NULL);
}

static void argv_pseries(struct test_ctx *t)
{
	char got[4096];

	argv_of("machine arch=ppc64-hash-64k mem=2G slots=4 maxmem=4G hpt-max-page-size=16M\nboot\n",
		got, sizeof(got));
	CHECK_STR(t, got, "QEMU -machine pseries,cap-cfpc=broken,cap-sbbc=broken,"
		  "cap-ibs=broken,cap-ccf-assist=off,cap-large-decr=off,"
		  "cap-hpt-max-page-size=16384K -accel tcg -cpu power9 -smp 1"
		  " -m 2147483648b,slots=4,maxmem=4294967296b" BOOT
		  " -append console=hvc0 panic=-1 quiet disable_radix"
		  " -serial file:D/console.log" TAIL_PCI);
	argv_of("machine arch=ppc64-radix-4k mem=1G\nboot\n", got, sizeof(got));
	CHECK_STR(t, got, "QEMU -machine pseries,cap-cfpc=broken,cap-sbbc=broken,"
		  "cap-ibs=broken,cap-ccf-assist=off,cap-large-decr=off"
		  " -accel tcg -cpu power9 -smp 1 -m 1073741824b" BOOT
		  " -append console=hvc0 panic=-1 quiet"
		  " -serial file:D/console.log" TAIL_PCI);
}

static void argv_arm_virt(struct test_ctx *t)
{
	char got[4096];

	unsetenv("HOTMEM_QEMU_EFI");
	argv_of("machine arch=arm64-16k mem=2G slots=2 maxmem=8G\n"
		"boot\ndevice_add nvdimm id=n0 size=1G\n", got, sizeof(got));
	CHECK_STR(t, got, "QEMU -machine virt,acpi=on,gic-version=3,nvdimm=on"
		  " -accel tcg -cpu max,pauth=off,sve=off"
		  " -bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd -smp 1"
		  " -m 2147483648b,slots=2,maxmem=8589934592b" BOOT
		  " -append console=ttyAMA0 panic=-1 quiet"
		  " -serial file:D/console.log" TAIL_PCI);
}

static void argv_s390x(struct test_ctx *t)
{
	char got[4096];

	argv_of("machine arch=s390x mem=2G\nboot\n", got, sizeof(got));
	CHECK_STR(t, got, "QEMU -machine s390-ccw-virtio -accel tcg -cpu max -smp 1"
		  " -m 2147483648b" BOOT " -append console=ttysclp0 panic=-1 quiet"
		  " -serial file:D/console.log"
		  " -chardev socket,id=qmp,path=D/qmp.sock,server=on,wait=off"
		  " -mon chardev=qmp,mode=control -device virtio-serial-ccw"
		  " -chardev socket,id=agent,path=D/agent.sock,server=on,wait=off"
		  " -device virtserialport,chardev=agent,name=hotmem.agent");
}

static void argv_riscv_virt(struct test_ctx *t)
{
	char got[4096];

	argv_of("machine arch=riscv mem=2G\nboot\n", got, sizeof(got));
	CHECK_STR(t, got, "QEMU -machine virt -accel tcg -cpu rv64 -smp 1"
		  " -m 2147483648b" BOOT " -append console=ttyS0 panic=-1 quiet"
		  " -serial file:D/console.log" TAIL_PCI);
}

/* qemu_platform_check's lines for text ("" when it accepts). */
static void refusals_of(const char *text, char *out, size_t len)
{
	struct scenario *sc = NULL;
	struct strbuf diag;

	out[0] = '\0';
	sb_init(&diag);
	if (scenario_parse("t.scn", text, strlen(text), &sc, &diag) == 0) {
		diag.len = 0;
		qemu_platform_check(sc, &diag);
		snprintf(out, len, "%s", diag.len ? diag.buf : "");
	}
	sb_release(&diag);
	scenario_free(sc);
}

static void platform_refusals(struct test_ctx *t)
{
	char got[1024];

	refusals_of("machine arch=x86_64 mem=2G slots=2 maxmem=4G\nboot\n"
		    "device_add pc-dimm id=d size=1G\n", got, sizeof(got));
	CHECK_STR(t, got, "");
	refusals_of("machine arch=arm64-64k mem=2G\nboot\n", got, sizeof(got));
	CHECK_STR(t, got, "t.scn:1: error: arch=arm64-64k has no real guest: Debian builds no arm64 kernel with 64K pages (the model runs it: --backend=model)\n");
	/* TCG's max CPU has LA57: the 5-level guest is the same q35 guest */
	refusals_of("# 5-level\nmachine arch=x86_64-5level mem=2G\nboot\n", got, sizeof(got));
	CHECK_STR(t, got, "");
	refusals_of("machine arch=s390x mem=2G slots=2 maxmem=4G\nboot\n"
		    "device_add pc-dimm id=d size=1G\n", got, sizeof(got));
	CHECK(t, strstr(got, "t.scn:3: error: device_add pc-dimm cannot run on the real s390x guest: QEMU hot-adds no memory to s390x") == got);
	refusals_of("machine arch=s390x mem=2G standby=1G\nboot\n", got, sizeof(got));
	CHECK_STR(t, got, "t.scn:1: error: standby= cannot run on the real s390x guest: QEMU has no s390 standby memory (the model runs it: --backend=model)\n");
	refusals_of("machine arch=riscv64 mem=2G slots=2 maxmem=4G\nboot\n"
		    "expect-error EBUSY device_add pc-dimm id=d size=1G\n", got, sizeof(got));
	CHECK(t, strstr(got, "t.scn:3: error: device_add pc-dimm cannot run on the real riscv64 guest") == got);
	refusals_of("machine arch=arm64 mem=2G slots=2 maxmem=4G\nboot\n"
		    "device_add pc-dimm id=d size=1G\n", got, sizeof(got));
	CHECK(t, strstr(got, "t.scn:3: error: device_add pc-dimm cannot run on the real arm64-4k guest: Debian's arm64 kernel has no ACPI memory hotplug") == got);
	refusals_of("machine arch=ppc64 mem=2G slots=2 maxmem=4G\nboot\n"
		    "device_add pc-dimm id=d size=512M\n", got, sizeof(got));
	CHECK_STR(t, got, "");
}

void tests_qemu_argv(struct test_ctx *t)
{
	RUN(t, argv_q35_as_before);
	RUN(t, argv_pseries);
	RUN(t, argv_arm_virt);
	RUN(t, argv_s390x);
	RUN(t, argv_riscv_virt);
	RUN(t, platform_refusals);
}
