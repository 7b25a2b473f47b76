/*
 * qemu_devices.c - device_add and device_del of the qemu scenario
 * backend: a pc-dimm is object-add memory-backend-ram plus device_add,
 * done when the guest's _OST reports the insertion; an nvdimm is a
 * memory-backend-file whose label area holds two initialised namespace
 * index blocks, done when the guest shows its region and dax seed;
 * device_del waits for DEVICE_DELETED and the final eject _OST, or
 * takes an _OST eject failure as the guest's refusal (docs/real-kernel.md).
 *
 * Contract: QEMU's refusals keep QEMU's message and map to the model's
 * errno (qemu_refusal_errno()); a cxl-type3 after boot is -EOPNOTSUPP
 * (QEMU fixes CXL windows at startup). The DIMM table in struct
 * qemu_state names each plug's memdev and, once known, its ACPI slot.
 *
 * Expected workload: a few plugs per scenario; each waits for the guest.
 */
#include "qemu_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The table entry of a plugged DIMM, or NULL. */
static int dimm_find(const struct qemu_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < QEMU_MAX_DIMMS; i++)
		if (st->dimm[i].id[0] && strcmp(st->dimm[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int dimm_free_entry(const struct qemu_state *st)
{
	size_t i;

	for (i = 0; i < QEMU_MAX_DIMMS; i++)
		if (!st->dimm[i].id[0])
			return (int)i;
	return -1;
}


/* The number of entries of dir whose names start with prefix, or -errno. */
static int count_entries(struct qemu_state *st, const char *dir,
			 const char *prefix)
{
	char *p = NULL, *name, *save = NULL;
	int rc = qemu_agent_call(st, 'D', dir, NULL, 0, &p), n = 0;

	if (rc < 0) {
		free(p);
		return rc == -ENOENT ? 0 : rc;
	}
	for (name = strtok_r(p, "\n", &save); name;
	     name = strtok_r(NULL, "\n", &save))
		n += strncmp(name, prefix, strlen(prefix)) == 0;
	free(p);
	return n;
}

/*
 * An nvdimm plug has no _OST: QEMU notifies the NVDIMM root device, the
 * guest's NFIT driver re-reads _FIT and registers a region, whose probe
 * (asynchronous) creates the seeds, the dax seed last. Wait for one more
 * region and one more dax seed than before the plug.
 */
static int wait_nd_region(struct qemu_state *st, int regions, int daxes)
{
	long long deadline = qemu_now_ms() + st->timeout_ms;

	for (;;) {
		int r = count_entries(st, "/sys/bus/nd/devices", "region");
		int d = count_entries(st, "/sys/bus/nd/devices", "dax");

		if (r < 0 || d < 0)
			return r < 0 ? r : d;
		if (r > regions && d > daxes)
			return 0;
		if (qemu_now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
}

/*
 * pseries: a pc-dimm arrives as a DLPAR event; the kernel adds it one
 * LMB (a memory block) at a time and onlines each itself. Wait until
 * the blocks of size (rounded up) exist beyond those before the plug.
 */
static int wait_new_blocks(struct qemu_state *st, int before, uint64_t size)
{
	long long deadline = qemu_now_ms() + st->timeout_ms;
	uint64_t block;
	char *text = NULL;
	int rc = qemu_agent_call(st, 'R', "/sys/devices/system/memory/block_size_bytes",
				 NULL, 0, &text);

	if (rc < 0) {
		free(text);
		return rc;
	}
	block = strtoull(text, NULL, 16);
	free(text);
	if (!block)
		return -EIO;
	for (;;) {
		int n = count_entries(st, "/sys/devices/system/memory", "memory");

		if (n < 0)
			return n;
		if ((uint64_t)(n - before) >= (size + block - 1) / block)
			return 0;
		if (qemu_now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
}

/*
 * The label area of a new nvdimm, as `ndctl init-labels` leaves it: two
 * namespace index blocks (UEFI 2.7 / v1.2, 256-byte labels), every slot
 * free, no label. Without valid index blocks Linux gives the DIMM no
 * labeling and its region only a label-less io namespace (nstype 4,
 * the whole region); with them the region has label namespaces (nstype
 * 5), as the model's nvdimm does. Layout for a 128 KiB area (drivers/
 * nvdimm/label.c sizeof_namespace_index): 510 slots of 256 bytes, two
 * 256-byte index blocks at 0 and 256, labels from 512; index 0 has
 * sequence 3, index 1 sequence 2 (3 follows 2: index 0 is current).
 */
#define NVDIMM_LABEL_AREA	(128u << 10)
static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void nvdimm_label_index(unsigned char *blk, int which)
{
	const unsigned int nslot = 510, index_size = 256;
	uint32_t lo = 0;
	uint64_t hi = 0;
	unsigned int i;

	memset(blk, 0, index_size);
	memcpy(blk, "NAMESPACE_INDEX", 16);	/* with its NUL: 16 bytes */
	blk[19] = 1;				/* labelsize: 128 << 1 */
	put_le(blk + 20, which ? 2 : 3, 4);	/* seq */
	put_le(blk + 24, which * index_size, 8);	/* myoff */
	put_le(blk + 32, 72 + (nslot + 7) / 8, 8);	/* mysize: header + bitmap */
	put_le(blk + 40, (1 - which) * index_size, 8);	/* otheroff */
	put_le(blk + 48, 2 * index_size, 8);	/* labeloff */
	put_le(blk + 56, nslot, 4);
	put_le(blk + 60, 1, 2);			/* major */
	put_le(blk + 62, 2, 2);			/* minor */
	for (i = 0; i < nslot; i++)		/* free bitmap: all free */
		blk[72 + i / 8] |= (unsigned char)(1u << (i % 8));
	/* Fletcher-64 over 32-bit little-endian words, checksum field 0 */
	for (i = 0; i < index_size; i += 4) {
		lo += (uint32_t)blk[i] | (uint32_t)blk[i + 1] << 8 |
		      (uint32_t)blk[i + 2] << 16 | (uint32_t)blk[i + 3] << 24;
		hi += lo;
	}
	put_le(blk + 64, hi << 32 | lo, 8);
}

/* A sparse backing file of size bytes whose last 128 KiB are the labels. */
static int nvdimm_backing_file(const char *path, uint64_t size)
{
	unsigned char blk[512];
	int fd, rc = 0;

	if (size <= NVDIMM_LABEL_AREA)
		return -EINVAL;
	nvdimm_label_index(blk, 0);
	nvdimm_label_index(blk + 256, 1);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) ||
	    pwrite(fd, blk, sizeof(blk), (off_t)(size - NVDIMM_LABEL_AREA)) !=
	    (ssize_t)sizeof(blk))
		rc = -errno;
	close(fd);
	return rc;
}

int qemu_device_add(void *state, const char *driver, const char *id,
		    uint64_t size, int node, char *err, size_t errlen)
{
	struct qemu_state *st = state;
	char *ev = NULL, memdev[32];
	int slot = dimm_free_entry(st);
	bool nvdimm = !strcmp(driver, "nvdimm");
	int regions = 0, daxes = 0, blocks = 0;
	struct strbuf cmd;
	int rc;

	if (st->dead)
		return -EIO;
	if (slot < 0) {
		errmsg_set(err, errlen, "more than %d DIMMs", QEMU_MAX_DIMMS);
		return -ENOSPC;
	}
	/*
	 * QEMU fixes the CXL topology (host bridge, fixed memory window) at
	 * startup: a cxl-type3 is plugged at power-on, by a device_add
	 * before boot (qemu_cxl_argv()), never hot-added (docs/real-kernel.md).
	 */
	if (!strcmp(driver, "cxl-type3")) {
		errmsg_set(err, errlen, "QEMU cannot hot-add a CXL window: plug cxl-type3 at power-on (device_add before boot; docs/real-kernel.md)");
		return -EOPNOTSUPP;
	}
	if (st->platform && st->platform->plug_wait == QEMU_PLUG_WAIT_BLOCKS) {
		blocks = count_entries(st, "/sys/devices/system/memory", "memory");
		if (blocks < 0)
			return qemu_guest_broken(st, blocks,
					    "device_add: reading /sys/devices/system/memory");
	}
	if (nvdimm) {
		regions = count_entries(st, "/sys/bus/nd/devices", "region");
		daxes = count_entries(st, "/sys/bus/nd/devices", "dax");
		if (regions < 0 || daxes < 0)
			return qemu_guest_broken(st, regions < 0 ? regions : daxes,
					    "device_add: reading /sys/bus/nd/devices");
	}
	/*
	 * A backend name of our own for every plug, so that QEMU judges
	 * the device id itself (its "Duplicate device ID" message).
	 */
	snprintf(memdev, sizeof(memdev), "hotmem-mem%lu", st->nr_memdevs++);
	sb_init(&cmd);
	if (nvdimm) {
		char file[PATH_MAX + 48];
		char name[40];

		snprintf(name, sizeof(name), "%s.img", memdev);
		qemu_dir_file(st, name, file, sizeof(file));
		rc = nvdimm_backing_file(file, size);
		if (rc) {
			errmsg_set(err, errlen, "cannot write the nvdimm's backing file %s", file);
			goto out;
		}
		sb_printf(&cmd, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-file\", \"id\": \"%s\", \"size\": %llu, \"mem-path\": \"%s\", \"share\": true}}\n",
			  memdev, (unsigned long long)size, file);
	} else {
		sb_printf(&cmd, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": \"%s\", \"size\": %llu}}\n",
			  memdev, (unsigned long long)size);
	}
	rc = cmd.buf ? qmp_command(st, cmd.buf, err, errlen) : -ENOMEM;
	if (rc == -EINVAL)
		rc = qemu_refusal_errno(err);
	if (rc)
		goto out;
	cmd.len = 0;
	/* nvdimm: the model's label area, the memdev's last 128 KiB */
	sb_printf(&cmd, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"%s\", \"id\": \"%s\", \"memdev\": \"%s\", \"node\": %d%s}}\n",
		  driver, id, memdev, node, nvdimm ? ", \"label-size\": 131072" : "");
	rc = cmd.buf ? qmp_command(st, cmd.buf, err, errlen) : -ENOMEM;
	if (rc) {
		char ignore[256];

		if (rc == -EINVAL)
			rc = qemu_refusal_errno(err);
		cmd.len = 0;
		sb_printf(&cmd, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"%s\"}}\n", memdev);
		if (cmd.buf && !st->dead)
			qmp_command(st, cmd.buf, ignore, sizeof(ignore));
		goto out;
	}
	snprintf(st->dimm[slot].id, sizeof(st->dimm[slot].id), "%s", id);
	snprintf(st->dimm[slot].memdev, sizeof(st->dimm[slot].memdev), "%s", memdev);
	st->dimm[slot].slot[0] = '\0';
	if (nvdimm) {
		rc = wait_nd_region(st, regions, daxes);
		if (rc)
			rc = qemu_guest_broken(st, rc, "device_add: waiting for the guest's nvdimm region");
		goto out;
	}
	if (st->platform && st->platform->plug_wait == QEMU_PLUG_WAIT_BLOCKS) {
		rc = wait_new_blocks(st, blocks, size);
		if (rc)
			rc = qemu_guest_broken(st, rc, "device_add: waiting for the guest's new memory blocks");
		goto out;
	}
	/*
	 * The guest adds the memory asynchronously (ACPI notify, then a
	 * workqueue) and reports the outcome with _OST: wait for it, so
	 * that the next step sees the memory as the model shows it. A
	 * DIMM the kernel refuses stays plugged, as in the model.
	 */
	rc = qmp_wait_event(st, qmp_match_insert_ost, id, st->timeout_ms, &ev);
	if (!rc && !qmp_json_str(ev, "slot", st->dimm[slot].slot,
			     sizeof(st->dimm[slot].slot)))
		st->dimm[slot].slot[0] = '\0';
	free(ev);
	if (rc)
		rc = qemu_guest_broken(st, rc, "device_add: waiting for the guest's _OST");
out:
	sb_release(&cmd);
	return rc;
}

int qemu_device_del(void *state, const char *id, char *err,
		    size_t errlen)
{
	struct qemu_state *st = state;
	char *ev = NULL, ignore[256];
	struct strbuf cmd;
	long status = -1;
	int rc;

	if (st->dead)
		return -EIO;
	sb_init(&cmd);
	sb_printf(&cmd, "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"%s\"}}\n", id);
	rc = cmd.buf ? qmp_command(st, cmd.buf, err, errlen) : -ENOMEM;
	if (rc == -EINVAL)
		rc = qemu_refusal_errno(err);
	if (rc)
		goto out;
	rc = qmp_wait_event(st, qmp_match_eject_done, id, st->timeout_ms, &ev);
	if (rc) {
		rc = qemu_guest_broken(st, rc, "device_del: waiting for DEVICE_DELETED");
		goto out;
	}
	if (strstr(ev, "DEVICE_DELETED")) {
		int i = dimm_find(st, id);
		const char *slot = i >= 0 && st->dimm[i].slot[0] ? st->dimm[i].slot : NULL;
		char *done = NULL;

		/*
		 * QEMU says DEVICE_DELETED when the guest calls _EJ0; the
		 * guest's hotplug work ends with its _OST (eject, success)
		 * for the slot, which no longer names the device. A DIMM
		 * plugged into the slot before that may go unnoticed by the
		 * guest, so wait for it (briefly: the model has no such step).
		 */
		if (slot && qmp_wait_event(st, qmp_match_eject_ost_slot, slot,
					   EJECT_OST_WAIT_MS, &done) == 0)
			free(done);
		rc = 0;
		if (i >= 0) {
			cmd.len = 0;
			sb_printf(&cmd, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"%s\"}}\n",
				  st->dimm[i].memdev);
			rc = cmd.buf ? qmp_command(st, cmd.buf, ignore, sizeof(ignore)) : -ENOMEM;
			st->dimm[i].id[0] = '\0';
		}
		goto out;
	}
	/* The guest refused: _OST status 0x82 is "device busy" (EBUSY). */
	qmp_json_int(ev, "status", &status);
	errmsg_set(err, errlen, "the guest refused the eject (ACPI _OST status 0x%lx)",
		status);
	rc = status == 0x82 ? -EBUSY : status == 0x80 ? -EPERM : -EIO;
out:
	free(ev);
	sb_release(&cmd);
	return rc;
}
