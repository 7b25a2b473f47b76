/*
 * test_qemu_snapshot.c - the qemu backend's snapshot cache without QEMU
 * (src/backend/qemu_snapshot.c, through its private header): what the
 * key covers (the argv, the contents of the files it names, also as
 * KEY=PATH, the host with KVM) and what it leaves out (the run's own
 * folder); HOTMEM_QEMU_CACHE=0 and CXL machines (always booted); one
 * filler per entry at a time (the
 * lock), a whole entry found after it; eviction of the least recently
 * used entries beyond HOTMEM_QEMU_CACHE_MAX.
 *
 * Expected workload: a few small files in a temporary folder, well
 * under a second.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/backend/qemu_int.h"

struct fixture {
	char root[64];			/* temporary folder */
	char kernel[128], initrd[128], fw[128];
	struct qemu_state st;
	struct argv_list a;
};

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void fx_argv(struct fixture *fx, const char *rundir)
{
	qemu_argv_release(&fx->a);
	memset(&fx->a, 0, sizeof(fx->a));
	snprintf(fx->st.dir, sizeof(fx->st.dir), "%s", rundir);
	qemu_arg(&fx->a, "/no/such/qemu-system-x86_64");
	qemu_arg(&fx->a, "-kernel");
	qemu_arg(&fx->a, "%s", fx->kernel);
	qemu_arg(&fx->a, "-initrd");
	qemu_arg(&fx->a, "%s", fx->initrd);
	qemu_arg(&fx->a, "-drive");
	qemu_arg(&fx->a, "if=pflash,format=raw,file=%s", fx->fw);
	qemu_arg(&fx->a, "-serial");
	qemu_arg(&fx->a, "file:%s/console.log", rundir);
	fx->a.v[fx->a.n] = NULL;
}

static int fx_init(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	snprintf(fx->root, sizeof(fx->root), "/tmp/hotmem-unit-snap.XXXXXX");
	if (!mkdtemp(fx->root))
		return -1;
	snprintf(fx->kernel, sizeof(fx->kernel), "%s/vmlinuz", fx->root);
	snprintf(fx->initrd, sizeof(fx->initrd), "%s/initrd", fx->root);
	snprintf(fx->fw, sizeof(fx->fw), "%s/code.fd", fx->root);
	put_file(fx->kernel, "kernel 1");
	put_file(fx->initrd, "initrd 1");
	put_file(fx->fw, "firmware 1");
	setenv("HOTMEM_QEMU_CACHE_DIR", fx->root, 1);
	unsetenv("HOTMEM_QEMU_CACHE");
	fx_argv(fx, "/tmp/hotmem-qemu.AAAAAA");
	return 0;
}

#define CHECK_RM(x) ((void)!(x))	/* a leftover temporary folder is no failure */

static void fx_done(struct fixture *fx)
{
	char cmd[128];

	qemu_argv_release(&fx->a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->root);
	CHECK_RM(system(cmd));
	unsetenv("HOTMEM_QEMU_CACHE_DIR");
	unsetenv("HOTMEM_QEMU_CACHE_MAX");
}

static void key_of(struct fixture *fx, char key[33])
{
	struct qemu_snapshot sn;

	qemu_snapshot_init(&sn, &fx->st, &fx->a);
	snprintf(key, 33, "%s", sn.enabled ? sn.key : "off");
}

static void key_ignores_run_folder(struct test_ctx *t)
{
	struct fixture fx;
	char k1[33], k2[33];

	if (fx_init(&fx)) {
		CHECK(t, !"mkdtemp");
		return;
	}
	key_of(&fx, k1);
	fx_argv(&fx, "/tmp/hotmem-qemu.BBBBBB");
	key_of(&fx, k2);
	CHECK_STR(t, k1, k2);
	CHECK_EQ_U64(t, strlen(k1), 32);
	fx_done(&fx);
}

static void key_covers_named_files(struct test_ctx *t)
{
	struct fixture fx;
	char k0[33], k1[33], k2[33], k3[33], k4[33];

	if (fx_init(&fx)) {
		CHECK(t, !"mkdtemp");
		return;
	}
	key_of(&fx, k0);
	put_file(fx.kernel, "kernel 2");		/* same size, new content */
	key_of(&fx, k1);
	CHECK(t, strcmp(k0, k1) != 0);
	put_file(fx.fw, "firmware 2");			/* named as file=PATH */
	key_of(&fx, k2);
	CHECK(t, strcmp(k1, k2) != 0);
	put_file(fx.initrd, "initrd 2");
	key_of(&fx, k3);
	CHECK(t, strcmp(k2, k3) != 0);
	fx.st.kvm = true;				/* -cpu host: the host too */
	key_of(&fx, k4);
	CHECK(t, strcmp(k3, k4) != 0);
	fx.st.kvm = false;
	key_of(&fx, k4);
	CHECK_STR(t, k3, k4);
	setenv("HOTMEM_QEMU_CACHE", "0", 1);
	key_of(&fx, k4);
	CHECK_STR(t, k4, "off");
	unsetenv("HOTMEM_QEMU_CACHE");
	fx_done(&fx);
}

/* a CXL guest does not work on after a restore: such machines boot */
static void cxl_machines_always_boot(struct test_ctx *t)
{
	struct fixture fx;
	char k[33];

	if (fx_init(&fx)) {
		CHECK(t, !"mkdtemp");
		return;
	}
	qemu_arg(&fx.a, "-device");
	qemu_arg(&fx.a, "cxl-type3,bus=hotmem-cxlrp0,volatile-memdev=hotmem-cxlmem0,id=cxl0");
	fx.a.v[fx.a.n] = NULL;
	key_of(&fx, k);
	CHECK_STR(t, k, "off");
	fx_argv(&fx, "/tmp/hotmem-qemu.AAAAAA");
	qemu_arg(&fx.a, "-device");
	qemu_arg(&fx.a, "cxl-rp,port=0,bus=hotmem-cxl0,id=hotmem-cxlrp0");
	fx.a.v[fx.a.n] = NULL;
	key_of(&fx, k);
	CHECK(t, strcmp(k, "off") != 0);
	fx_done(&fx);
}

static void one_filler_at_a_time(struct test_ctx *t)
{
	struct qemu_snapshot a, b, c;
	struct fixture fx;

	if (fx_init(&fx)) {
		CHECK(t, !"mkdtemp");
		return;
	}
	qemu_snapshot_init(&a, &fx.st, &fx.a);
	b = a;
	c = a;
	CHECK(t, !qemu_snapshot_lookup(&a, 1000));	/* no entry: a fills it */
	CHECK(t, a.filling);
	CHECK(t, !qemu_snapshot_lookup(&b, 300));	/* a holds the lock */
	CHECK(t, !b.filling);
	put_file(a.state, "state");			/* a renamed its file in */
	qemu_snapshot_release(&a);
	CHECK(t, qemu_snapshot_lookup(&c, 1000));
	CHECK(t, !c.filling);
	qemu_snapshot_drop(&c);
	CHECK(t, access(c.state, F_OK) != 0);
	fx_done(&fx);
}

static void evicts_least_recently_used(struct test_ctx *t)
{
	struct qemu_snapshot sn;
	struct fixture fx;
	char path[256];
	int i;

	if (fx_init(&fx)) {
		CHECK(t, !"mkdtemp");
		return;
	}
	qemu_snapshot_init(&sn, &fx.st, &fx.a);
	put_file(sn.state, "the newest, just saved");
	for (i = 0; i < 4; i++) {		/* used 4, 3, 2, 1 hours ago */
		struct timespec ts[2] = { { time(NULL) - 3600 * (4 - i), 0 },
					  { time(NULL) - 3600 * (4 - i), 0 } };

		snprintf(path, sizeof(path), "%s/%032d.vm", fx.root, i);
		put_file(path, "old");
		utimensat(AT_FDCWD, path, ts, 0);
	}
	setenv("HOTMEM_QEMU_CACHE_MAX", "3", 1);
	qemu_snapshot_evict(&sn);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%032d.vm", fx.root, i);
		CHECK_EQ_INT(t, access(path, F_OK) == 0, i >= 2);
	}
	CHECK(t, access(sn.state, F_OK) == 0);
	fx_done(&fx);
}

void tests_qemu_snapshot(struct test_ctx *t)
{
	RUN(t, key_ignores_run_folder);
	RUN(t, key_covers_named_files);
	RUN(t, cxl_machines_always_boot);
	RUN(t, one_filler_at_a_time);
	RUN(t, evicts_least_recently_used);
}
