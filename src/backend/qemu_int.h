/*
 * qemu_int.h - private to the qemu scenario backend (backend_qemu.c and
 * its qemu_*.c parts): the state of one guest and the functions the
 * parts share.
 *
 * Contract: one struct qemu_state per running QEMU, owned by the
 * backend's boot()/destroy(); every function here takes it (or only
 * plain data) and keeps no state of its own. Functions return 0 or
 * -errno unless said otherwise. Not a public interface: nothing outside
 * src/backend/ includes this header.
 *
 * Expected workload: as backend_qemu.c, one guest per scenario run.
 */
#ifndef HOTMEM_QEMU_INT_H
#define HOTMEM_QEMU_INT_H

#include "../scenario/scenario.h"
#include "../util/errmsg.h"
#include "agent_proto.h"
#include "qemu_platform.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define QEMU_DEFAULT_TIMEOUT_S	120
#define CONSOLE_TAIL_LINES	20
#define QEMU_MAX_DIMMS		256	/* QEMU's own limit of memory slots */
#define EJECT_OST_WAIT_MS	10000

struct qemu_state {
	pid_t pid;			/* QEMU, leader of its own group */
	char dir[PATH_MAX];		/* temporary: sockets, console log */
	int qmp;
	int agent;
	int timeout_ms;
	bool dead;			/* the guest is gone: fail every op */
	char exit_how[128];		/* how QEMU ended, once reaped */
	bool qmp_trace;			/* $HOTMEM_QEMU_QMP_TRACE: QMP input to stderr */
	struct strbuf qmp_in;		/* bytes read from QMP, not yet a line */
	struct strbuf events;		/* QMP event lines not yet consumed */
	struct {
		char id[64];		/* "" = free entry */
		char slot[16];		/* "" until the guest's _OST named it */
		char memdev[32];	/* its memory-backend-ram */
	} dimm[QEMU_MAX_DIMMS];		/* plugged DIMMs */
	unsigned long nr_memdevs;	/* memdev names are "hotmem-mem<N>" */
	const struct qemu_platform *platform;	/* the machine type booted */
	bool kvm;			/* -accel kvm (qemu_accel.c decides) */
	bool quiet;			/* starting: qemu_guest_broken() says nothing */
};

/* QEMU's argv, built by qemu_arg() (an overflow or ENOMEM sticks) */
struct argv_list {
	char *v[64 + 4 * HOTMEM_MAX_NODES];
	size_t n;
	bool overflow;
};

/* qemu_proc.c: the QEMU process, its folder and sockets with deadlines */
long long qemu_now_ms(void);
void qemu_dir_file(const struct qemu_state *st, const char *name,
		   char *out, size_t len);
void qemu_console_tail(const struct qemu_state *st);
bool qemu_ended_within(struct qemu_state *st, int ms, char *how,
		       size_t howlen);
int qemu_guest_broken(struct qemu_state *st, int rc, const char *what);
int qemu_spawn(struct qemu_state *st, struct argv_list *a);
void qemu_cleanup(struct qemu_state *st);
int qemu_connect_unix(struct qemu_state *st, const char *name, int *fd);
int qemu_wait_readable(struct qemu_state *st, int fd, long long deadline);
int qemu_recv_full(struct qemu_state *st, int fd, void *p, size_t n,
		   long long deadline);
int qemu_send_full(int fd, const void *p, size_t n);

/* qemu_argv.c: where QEMU, the kernel and the initramfs are; the argv */
bool qemu_find_in_path(const char *name, char *out, size_t len);
void qemu_guest_file(const char *env, const char *rel, char *out,
		     size_t len);
void qemu_cxl_path(char *out, size_t len);
int qemu_build_argv(const struct qemu_state *st,
		    const struct scenario_machine *mach,
		    const struct qemu_platform *p, const struct qemu_guest *g,
		    const char *qemu, const char *kernel, const char *initrd,
		    struct argv_list *a);
void qemu_argv_release(struct argv_list *a);

/* qemu_qmp.c: QMP commands and events */
int qmp_command(struct qemu_state *st, const char *json, char *err,
		size_t errlen);
int qmp_command_reply(struct qemu_state *st, const char *json, char **reply,
		      char *err, size_t errlen);
int qmp_wait_event(struct qemu_state *st,
		   bool (*match)(const char *line, const char *id),
		   const char *id, int timeout_ms, char **out);
bool qmp_json_str(const char *line, const char *key, char *out, size_t len);
bool qmp_json_int(const char *line, const char *key, long *out);
bool qmp_match_insert_ost(const char *line, const char *id);
bool qmp_match_eject_done(const char *line, const char *id);
bool qmp_match_eject_ost_slot(const char *line, const char *slot);
int qemu_refusal_errno(const char *desc);

/* qemu_agent.c: the guest agent's protocol; tools run in the guest */
int qemu_agent_recv(struct qemu_state *st, long long deadline,
		    int32_t *status, char **payload, uint32_t *plen);
int qemu_agent_call(struct qemu_state *st, char op, const char *a,
		    const char *b, size_t blen, char **payload);
int qemu_run_tool(void *state, char *const *argv, size_t argc,
		  struct scenario_tool_result *res, char *err, size_t errlen);
int qemu_walk(void *state, const char *dir,
	      int (*fn)(void *ctx, const char *path,
			enum scenario_entry_kind kind, int status, char *data),
	      void *ctx);

/* qemu_devices.c: device_add and device_del over QMP */
int qemu_device_add(void *state, const char *driver, const char *id,
		    uint64_t size, int node, char *err, size_t errlen);
int qemu_device_del(void *state, const char *id, char *err, size_t errlen);

/* qemu_accel.c: KVM or TCG ($HOTMEM_ACCEL, the fallback when KVM fails) */
enum qemu_accel { QEMU_ACCEL_AUTO, QEMU_ACCEL_KVM, QEMU_ACCEL_TCG };
int qemu_accel_parse(const char *s, enum qemu_accel *out);
int qemu_accel_choose(struct qemu_state *st, enum qemu_accel *want,
		      char *err, size_t errlen);
bool qemu_accel_kvm_failed(struct qemu_state *st, enum qemu_accel want,
			   char *why, size_t whylen);

/* qemu_snapshot.c: the booted guest saved once, restored per scenario */
struct qemu_snapshot {
	bool enabled;			/* $HOTMEM_QEMU_CACHE is not 0 */
	bool filling;			/* no entry: this run boots and saves */
	int lock;			/* flock on KEY.lock while filling, or -1 */
	char key[33];			/* 128-bit hash of the boot, hex */
	char dir[PATH_MAX];		/* the cache folder */
	char state[PATH_MAX + 64];	/* DIR/KEY.vm: the migration stream */
};
void qemu_snapshot_init(struct qemu_snapshot *sn, const struct qemu_state *st,
			const struct argv_list *a);
bool qemu_snapshot_lookup(struct qemu_snapshot *sn, int timeout_ms);
int qemu_snapshot_restore(struct qemu_state *st, struct qemu_snapshot *sn,
			  char *why, size_t whylen);
int qemu_snapshot_save(struct qemu_state *st, struct qemu_snapshot *sn,
		       const struct argv_list *a, char *why, size_t whylen);
void qemu_snapshot_drop(struct qemu_snapshot *sn);
void qemu_snapshot_evict(const struct qemu_snapshot *sn);
void qemu_snapshot_release(struct qemu_snapshot *sn);
void qemu_boot_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* qemu_start.c: start the guest (restore, or boot and save) up to hello */
int qemu_start_guest(struct qemu_state *st, const char *qemu,
		     const struct scenario_machine *mach,
		     const struct qemu_guest *g, const char *kernel,
		     const char *initrd, char *err, size_t errlen);

#endif
