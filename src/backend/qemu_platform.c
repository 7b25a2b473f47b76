/*
 * qemu_platform.c - the table of QEMU machine types the qemu backend
 * boots, the lookup from an architecture profile to its platform and
 * real guest, and the parse-time check of what a guest cannot do
 * (qemu_platform.h).
 *
 * Contract: pure lookups over constant data; qemu_platform_check()
 * writes one "FILE:LINE: error: ..." line per refused step and changes
 * nothing else.
 *
 * Expected workload: once per scenario.
 */
#include "qemu_platform.h"
#include "../arch/geometry.h"
#include "../util/errmsg.h"

#include <errno.h>
#include <string.h>

/* Add a platform here (and its file): the order does not matter. */
static const struct qemu_platform *const qemu_platforms[] = {
	&qemu_platform_q35,
	&qemu_platform_pseries,
	&qemu_platform_arm_virt,
	&qemu_platform_s390x,
	&qemu_platform_riscv_virt,
};

const struct qemu_platform *qemu_platform_find(const char *arch,
					       const struct qemu_guest **guest,
					       char *err, size_t errlen)
{
	const struct arch_profile *prof = geometry_profile_find(arch);
	size_t i, j;

	*guest = NULL;
	if (!prof) {
		errmsg_set(err, errlen, "unknown arch '%s'", arch);
		return NULL;
	}
	for (i = 0; i < sizeof(qemu_platforms) / sizeof(qemu_platforms[0]); i++) {
		const struct qemu_platform *p = qemu_platforms[i];

		for (j = 0; j < p->nr_guests; j++)
			if (!strcmp(p->guests[j].profile, prof->name)) {
				*guest = &p->guests[j];
				if (p->guests[j].none)
					errmsg_set(err, errlen, "arch=%s has no real guest: %s",
						prof->name, p->guests[j].none);
				return p;
			}
	}
	errmsg_set(err, errlen, "arch=%s has no real guest in the qemu backend", prof->name);
	return NULL;
}

bool qemu_platform_has_device(const struct qemu_platform *p,
			      const char *driver)
{
	const char *const *d;

	for (d = p->devices; d && *d; d++)
		if (!strcmp(*d, driver))
			return true;
	return false;
}

int qemu_platform_check(const struct scenario *sc, struct strbuf *diag)
{
	const struct hotmem_config *c = &sc->machine.config;
	const struct qemu_guest *guest;
	const struct qemu_platform *p;
	char why[256];
	int rc = 0;
	size_t i;

	if (!sc->machine_line)
		return 0;	/* no machine: nothing boots */
	p = qemu_platform_find(c->arch, &guest, why, sizeof(why));
	if (!p || guest->none) {
		sb_printf(diag, "%s:%u: error: %s (the model runs it: --backend=model)\n",
			  sc->filename, sc->machine_line, why);
		return -EINVAL;
	}
	if (c->nr_nodes && !p->numa) {
		sb_printf(diag, "%s:%u: error: QEMU's %s machine has no NUMA: 'numa' lines cannot run on the real %s guest\n",
			  sc->filename, sc->machine_line, p->machine, guest->profile);
		rc = -EINVAL;
	}
	if (c->standby_bytes) {
		/* z/VM's and the LPAR's; QEMU's s390-ccw-virtio has none */
		sb_printf(diag, "%s:%u: error: standby= cannot run on the real %s guest: QEMU has no s390 standby memory (the model runs it: --backend=model)\n",
			  sc->filename, sc->machine_line, guest->profile);
		rc = -EINVAL;
	}
	for (i = 0; i < sc->nr_steps; i++) {
		const struct scenario_step *s = &sc->steps[i];
		bool add = s->kind == STEP_DEVICE_ADD ||
			   (s->kind == STEP_EXPECT_ERROR &&
			    s->action == SCENARIO_ACTION_DEVICE_ADD);

		if (!add || qemu_platform_has_device(p, s->driver))
			continue;
		sb_printf(diag, "%s:%u: error: device_add %s cannot run on the real %s guest: %s\n",
			  sc->filename, s->line, s->driver, guest->profile, p->devices_why);
		rc = -EINVAL;
	}
	return rc;
}
