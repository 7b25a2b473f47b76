/*
 * qemu_accel.c - which accelerator the qemu scenario backend gives QEMU:
 * KVM or TCG (docs/real-kernel.md "The accelerator").
 *
 * Contract: $HOTMEM_ACCEL (set by `--accel=` of `hotmem run` and
 * `hotmem diff`, or by the user) is auto (the default), kvm or tcg.
 * qemu_accel_choose() sets st->kvm: tcg never uses KVM; kvm uses it
 * and is an error when /dev/kvm does not open; auto uses it when
 * /dev/kvm opens. /dev/kvm opening does not prove that KVM can run the
 * guest (nested virtualisation: QEMU aborts at once with "failed to set
 * MSR"), so qemu_accel_kvm_failed() tells, after a start-up that ended
 * with QEMU's death, whether auto should try again with TCG; it names
 * the reason (QEMU's last line of stderr). The caller says so once on
 * stderr. Explicit kvm never falls back. $HOTMEM_KVM_DEVICE names the
 * device probed instead of /dev/kvm (tests/cli/t0056-accel.sh points it
 * at a plain file, as on a host whose /dev/kvm opens but cannot run
 * guests).
 *
 * Expected workload: once or twice per boot.
 */
#include "qemu_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int qemu_accel_parse(const char *s, enum qemu_accel *out)
{
	static const char *const names[] = { "auto", "kvm", "tcg" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (enum qemu_accel)i;
			return 0;
		}
	return -EINVAL;
}

int qemu_accel_choose(struct qemu_state *st, enum qemu_accel *want,
		      char *err, size_t errlen)
{
	const char *env = getenv("HOTMEM_ACCEL");
	const char *dev = getenv("HOTMEM_KVM_DEVICE");
	int fd;

	*want = QEMU_ACCEL_AUTO;
	if (env && *env && qemu_accel_parse(env, want)) {
		errmsg_set(err, errlen, "HOTMEM_ACCEL='%s': not auto, kvm or tcg", env);
		return -EINVAL;
	}
	st->kvm = false;
	if (*want == QEMU_ACCEL_TCG)
		return 0;
	/* KVM runs guests of the host's own architecture only */
	if (st->platform && st->platform != &qemu_platform_q35) {
		if (*want != QEMU_ACCEL_KVM)
			return 0;
		errmsg_set(err, errlen, "KVM was asked for (accel kvm) but a %s guest runs under TCG only on this host",
			st->platform->machine);
		return -EINVAL;
	}
	if (!dev || !*dev)
		dev = "/dev/kvm";
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		st->kvm = true;
		return 0;
	}
	if (*want == QEMU_ACCEL_KVM) {
		int e = errno;

		errmsg_set(err, errlen, "KVM was asked for (accel kvm) but %s does not open: %s",
			dev, strerror(e));
		return -e;
	}
	return 0;
}

/* The last non-empty line of QEMU's stderr (the folder's qemu.log). */
static void last_stderr_line(const struct qemu_state *st, char *out, size_t len)
{
	char path[PATH_MAX + 32], line[512];
	FILE *f;

	out[0] = '\0';
	qemu_dir_file(st, "qemu.log", path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0])
			snprintf(out, len, "%s", line);
	}
	fclose(f);
}

/*
 * Did a start-up with KVM under "auto" end with QEMU's death? Then KVM
 * does not work here: *why says what QEMU said.
 */
bool qemu_accel_kvm_failed(struct qemu_state *st, enum qemu_accel want,
			   char *why, size_t whylen)
{
	char how[160];

	if (!st->kvm || want != QEMU_ACCEL_AUTO)
		return false;
	if (!qemu_ended_within(st, 2000, how, sizeof(how)))
		return false;
	last_stderr_line(st, why, whylen);
	if (!why[0])
		errmsg_set(why, whylen, "%s", how);
	return true;
}
