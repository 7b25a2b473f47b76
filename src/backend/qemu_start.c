/*
 * qemu_start.c - bring the qemu backend's guest up to the point where
 * its agent waits for the first request: restored from the snapshot
 * cache (qemu_snapshot.c) when an entry for this exact boot exists,
 * else booted (and then saved for the next run); with KVM or TCG as
 * qemu_accel.c decides, and with TCG after all when KVM turns out not
 * to work under "auto".
 *
 * Contract: st is fresh (no folder, no process); on success QEMU runs
 * in st->dir with QMP and the agent connected and nothing yet asked of
 * the agent; on failure err says why (the same messages as a plain
 * boot: "QEMU did not start", "the guest did not come up: ...", with
 * the console tail on stderr) and st holds nothing to release but what
 * qemu_cleanup() releases. A restore that fails for any reason drops
 * the entry and boots instead, silently (the boot log names it): while
 * starting, st->quiet keeps qemu_guest_broken() from printing. The
 * KVM fallback is said once on stderr:
 *   hotmem: qemu backend: KVM does not work here (WHY): using TCG
 *
 * Expected workload: once per scenario run.
 */
#include "qemu_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A new temporary folder for sockets and the console log. */
static int new_run_dir(struct qemu_state *st, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	int rc;

	snprintf(st->dir, sizeof(st->dir), "%s/hotmem-qemu.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(st->dir))
		return 0;
	rc = -errno;
	errmsg_set(err, errlen, "cannot create %s: %s", st->dir, strerror(-rc));
	st->dir[0] = '\0';
	return rc;
}

/* Back to a fresh st, for another attempt (process, folder, buffers). */
static void reset_state(struct qemu_state *st)
{
	qemu_cleanup(st);
	st->dead = false;
	st->exit_how[0] = '\0';
	st->nr_memdevs = 0;
}

/* Start QEMU on a, connect QMP and the agent's socket, QMP capabilities. */
static int spawn_connected(struct qemu_state *st, const char *qemu,
			   struct argv_list *a, char *err, size_t errlen)
{
	int rc = qemu_spawn(st, a);

	if (rc) {
		errmsg_set(err, errlen, "cannot start %s: %s", qemu, strerror(-rc));
		return rc;
	}
	rc = qemu_connect_unix(st, "qmp.sock", &st->qmp);
	if (!rc)
		rc = qemu_connect_unix(st, "agent.sock", &st->agent);
	if (rc) {
		errmsg_set(err, errlen, "QEMU did not start (see its stderr above)");
		return rc;
	}
	rc = qmp_command(st, "{\"execute\": \"qmp_capabilities\"}\n", err, errlen);
	if (rc && st->dead)
		errmsg_set(err, errlen, "QEMU did not start (see its stderr above)");
	return rc;
}

/* The agent's hello after a boot; *ended when QEMU is gone. */
static int wait_hello(struct qemu_state *st, bool *ended, char *err,
		      size_t errlen)
{
	char *hello = NULL, how[160] = "";
	int32_t status;
	int rc = qemu_agent_recv(st, qemu_now_ms() + st->timeout_ms, &status, &hello, NULL);

	free(hello);
	if (!rc)
		return 0;
	*ended = qemu_ended_within(st, rc == -ETIMEDOUT ? 0 : 2000, how, sizeof(how));
	if (!*ended)
		errmsg_set(how, sizeof(how), rc == -ETIMEDOUT ?
			"no agent within the timeout (HOTMEM_QEMU_TIMEOUT)" :
			"the agent's connection broke");
	errmsg_set(err, errlen, "the guest did not come up: %s (console tail above)",
		how);
	return *ended ? -EIO : -ETIMEDOUT;
}

/* Restore from sn's entry; 0, or a reason in why (QEMU is then stopped). */
static int try_restore(struct qemu_state *st, const char *qemu,
		       struct argv_list *a, struct qemu_snapshot *sn,
		       char *why, size_t whylen)
{
	size_t n = a->n;
	int rc;

	qemu_arg(a, "-incoming");
	qemu_arg(a, "defer");
	a->v[a->n] = NULL;
	rc = a->overflow ? -ENOMEM : spawn_connected(st, qemu, a, why, whylen);
	if (!rc)
		rc = qemu_snapshot_restore(st, sn, why, whylen);
	while (a->n > n)			/* the argv of a boot again */
		free(a->v[--a->n]);
	a->v[a->n] = NULL;
	return rc;
}

int qemu_start_guest(struct qemu_state *st, const char *qemu,
		     const struct scenario_machine *mach,
		     const struct qemu_guest *g, const char *kernel,
		     const char *initrd, char *err, size_t errlen)
{
	enum qemu_accel want;
	bool may_restore = true;
	int rc = qemu_accel_choose(st, &want, err, errlen);

	st->quiet = true;	/* failures here are retried, or reported below */
	while (!rc) {
		struct argv_list a = { .n = 0 };
		struct qemu_snapshot sn;
		long long t0 = qemu_now_ms();
		const char *accel = st->kvm ? "kvm" : "tcg";
		char why[256] = "";
		bool ended = false;

		rc = new_run_dir(st, err, errlen);
		if (rc)
			break;
		rc = qemu_build_argv(st, mach, st->platform, g, qemu, kernel, initrd, &a);
		if (rc) {
			errmsg_set(err, errlen, "cannot start %s: %s", qemu, strerror(-rc));
			qemu_argv_release(&a);
			break;
		}
		qemu_snapshot_init(&sn, st, &a);
		if (may_restore && qemu_snapshot_lookup(&sn, st->timeout_ms)) {
			rc = try_restore(st, qemu, &a, &sn, why, sizeof(why));
			if (!rc) {
				qemu_boot_log("restored %s accel=%s ms=%lld", sn.key,
					      accel, qemu_now_ms() - t0);
				qemu_argv_release(&a);
				break;
			}
			qemu_boot_log("restore-failed %s accel=%s: %s", sn.key, accel, why);
			qemu_snapshot_drop(&sn);
			qemu_argv_release(&a);
			reset_state(st);
			may_restore = false;	/* boot, and fill the entry anew */
			continue;
		}
		rc = spawn_connected(st, qemu, &a, err, errlen);
		if (!rc)
			rc = wait_hello(st, &ended, err, errlen);
		if (rc && qemu_accel_kvm_failed(st, want, why, sizeof(why))) {
			/* auto: /dev/kvm opened, but KVM cannot run the guest */
			fprintf(stderr, "hotmem: qemu backend: KVM does not work here (%s): using TCG\n",
				why);
			qemu_boot_log("kvm-failed accel=kvm: %s", why);
			st->kvm = false;
			qemu_snapshot_release(&sn);
			qemu_argv_release(&a);
			reset_state(st);
			rc = 0;
			continue;
		}
		if (rc) {
			qemu_console_tail(st);
			qemu_snapshot_release(&sn);
			qemu_argv_release(&a);
			break;
		}
		if (sn.filling) {
			long long t1 = qemu_now_ms();

			if (qemu_snapshot_save(st, &sn, &a, why, sizeof(why)) == 0)
				qemu_boot_log("saved %s accel=%s ms=%lld save-ms=%lld", sn.key,
					      accel, t1 - t0, qemu_now_ms() - t1);
			else
				qemu_boot_log("save-failed %s accel=%s ms=%lld: %s", sn.key,
					      accel, t1 - t0, why);
			if (st->dead) {		/* QEMU did not survive the save */
				errmsg_set(err, errlen, "the guest ended while it was saved: %s", why);
				qemu_console_tail(st);
				rc = -EIO;
			}
		} else {
			qemu_boot_log("booted %s accel=%s ms=%lld", sn.enabled ? sn.key : "-",
				      accel, qemu_now_ms() - t0);
		}
		qemu_snapshot_release(&sn);
		qemu_argv_release(&a);
		break;
	}
	st->quiet = false;
	return rc;
}
