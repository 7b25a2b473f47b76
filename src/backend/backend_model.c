/*
 * backend_model.c - the "model" scenario backend: struct
 * scenario_backend over the hotmem.h API.
 *
 * Contract: a thin adapter; every op is the hotmem.h call of the same
 * name with types translated, and the machine is the backend state.
 * The backend table is const data; all state lives in the machine.
 *
 * Expected workload: as the model itself; no work of its own beyond a
 * string copy per op.
 */
#include "../scenario/scenario.h"

#include <errno.h>
#include <string.h>

static int model_boot(const struct scenario_machine *machine, void **state,
		      char *err, size_t errlen)
{
	struct hotmem_machine *m = NULL;
	int rc = hotmem_boot(&machine->config, &m, err, errlen);

	*state = rc < 0 ? NULL : m;
	return rc < 0 ? rc : 0;
}

static int model_read(void *state, const char *path, char **out)
{
	int rc = hotmem_read(state, path, out);

	return rc < 0 ? rc : 0;
}

static long model_write(void *state, const char *path, const char *buf,
			size_t len)
{
	return hotmem_write(state, path, buf, len);
}

static int model_stat(void *state, const char *path,
		      enum scenario_entry_kind *kind, unsigned int *mode,
		      char *target, size_t targetlen)
{
	enum hotmem_node_kind k = HOTMEM_ENTRY_NONE;
	int rc = hotmem_stat(state, path, &k, mode, target, targetlen);

	if (rc < 0)
		return rc;
	switch (k) {
	case HOTMEM_ENTRY_DIR:
		*kind = SCENARIO_ENTRY_DIR;
		break;
	case HOTMEM_ENTRY_FILE:
		*kind = SCENARIO_ENTRY_FILE;
		break;
	case HOTMEM_ENTRY_LINK:
		*kind = SCENARIO_ENTRY_LINK;
		break;
	default:
		*kind = SCENARIO_ENTRY_NONE;
		break;
	}
	return 0;
}

static int model_readdir(void *state, const char *path,
			 int (*fn)(void *ctx, const char *name), void *ctx)
{
	int rc = hotmem_readdir(state, path, fn, ctx);

	return rc < 0 ? rc : 0;
}

static int model_device_add(void *state, const char *driver, const char *id,
			    uint64_t size, int node, char *err, size_t errlen)
{
	return hotmem_device_add(state, driver, id, size, node, err, errlen);
}

static int model_device_del(void *state, const char *id, char *err,
			    size_t errlen)
{
	return hotmem_device_del(state, id, err, errlen);
}

static int model_notifier_fail(void *state, const char *event, int err,
			       unsigned int count)
{
	return hotmem_notifier_fail(state, event, err, count);
}

static int model_notifier_fail_priority(void *state, const char *event, int err,
					unsigned int count, int priority)
{
	return hotmem_notifier_fail_priority(state, event, err, count, priority);
}

static int model_trace_set(void *state, bool on)
{
	hotmem_trace(state, on ? 1 : 0);
	return 0;
}

static int model_trace_take(void *state, char **out)
{
	*out = hotmem_trace_take(state);
	return *out ? 0 : -ENOMEM;
}

static int model_dmesg(void *state, char **out)
{
	*out = hotmem_dmesg(state);
	return *out ? 0 : -ENOMEM;
}

static int model_check(void *state, char **out)
{
	return hotmem_check(state, out);
}

static int model_state_hash(void *state, uint64_t *out)
{
	*out = hotmem_state_hash(state);
	return 0;
}

static void model_destroy(void *state)
{
	hotmem_free(state);
}

const struct scenario_backend scenario_backend_model = {
	.name = "model",
	.boot = model_boot,
	.read = model_read,
	.write = model_write,
	.stat = model_stat,
	.readdir = model_readdir,
	.device_add = model_device_add,
	.device_del = model_device_del,
	.notifier_fail = model_notifier_fail,
	.notifier_fail_priority = model_notifier_fail_priority,
	.trace_set = model_trace_set,
	.trace_take = model_trace_take,
	.dmesg = model_dmesg,
	.check = model_check,
	.state_hash = model_state_hash,
	.destroy = model_destroy,
};

const struct scenario_backend *scenario_backend_find(const char *name)
{
	static const struct scenario_backend *const backends[] = {
		&scenario_backend_model,
		&scenario_backend_qemu,
	};
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}
