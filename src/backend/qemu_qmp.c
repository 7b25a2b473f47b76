/*
 * qemu_qmp.c - QMP for the qemu scenario backend: commands and their
 * replies, events (kept until a waiter takes them), the few JSON
 * fields the backend reads, the event matchers for DIMM insertion and
 * ejection (_OST, DEVICE_DELETED), and QEMU's refusals as errnos.
 *
 * Contract: one QMP connection per guest, read line by line with the
 * guest's timeout; events that arrive while a command waits for its
 * reply are queued in st->events, never lost. The JSON reading is for
 * QEMU's own flat replies only (a key's first string or integer value).
 * HOTMEM_QEMU_QMP_TRACE copies every line QEMU sends to stderr.
 *
 * Expected workload: a handful of commands and events per hotplug step.
 */
#include "qemu_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ------------------------------------------------------------------ */
/* QMP                                                                */
/* ------------------------------------------------------------------ */

/* The next complete line from QMP (malloc'ed), waiting until deadline. */
static int qmp_line(struct qemu_state *st, long long deadline, char **line)
{
	for (;;) {
		char *nl = st->qmp_in.buf ? memchr(st->qmp_in.buf, '\n',
						     st->qmp_in.len) : NULL;
		char chunk[4096];
		ssize_t r;
		int rc;

		if (nl) {
			size_t n = (size_t)(nl - st->qmp_in.buf);

			*line = strndup(st->qmp_in.buf, n);
			if (!*line)
				return -ENOMEM;
			if (st->qmp_trace)
				fprintf(stderr, "qmp: %s\n", *line);
			memmove(st->qmp_in.buf, nl + 1, st->qmp_in.len - n - 1);
			st->qmp_in.len -= n + 1;
			st->qmp_in.buf[st->qmp_in.len] = '\0';
			return 0;
		}
		rc = qemu_wait_readable(st, st->qmp, deadline);
		if (rc)
			return rc;
		r = recv(st->qmp, chunk, sizeof(chunk), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? -EPIPE : -errno;
		if (sb_add(&st->qmp_in, chunk, (size_t)r))
			return -ENOMEM;
	}
}

/* The JSON string value of "key": in line, unescaped, into out. */
bool qmp_json_str(const char *line, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(line, pat);
	if (!p || !len)
		return false;
	for (p += strlen(pat); *p && *p != '"' && n + 1 < len; p++) {
		if (*p == '\\' && p[1])
			p++;
		out[n++] = *p;
	}
	out[n] = '\0';
	return true;
}

bool qmp_json_int(const char *line, const char *key, long *out)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = strstr(line, pat);
	if (!p)
		return false;
	*out = strtol(p + strlen(pat), NULL, 10);
	return true;
}

/*
 * Send one command (a JSON object); events that arrive meanwhile are
 * kept for qmp_wait_event(). Returns 0, or -EINVAL with QEMU's error
 * description in err, or a transport error.
 */
int qmp_command(struct qemu_state *st, const char *json, char *err,
		size_t errlen)
{
	return qmp_command_reply(st, json, NULL, err, errlen);
}

/* As qmp_command(), and the reply line (malloc'ed) in *reply when not NULL. */
int qmp_command_reply(struct qemu_state *st, const char *json, char **reply,
		      char *err, size_t errlen)
{
	long long deadline = qemu_now_ms() + st->timeout_ms;
	int rc;

	if (st->dead)
		return -EIO;
	rc = qemu_send_full(st->qmp, json, strlen(json));
	if (rc)
		return qemu_guest_broken(st, rc, "QMP");
	for (;;) {
		char *line = NULL;

		rc = qmp_line(st, deadline, &line);
		if (rc)
			return qemu_guest_broken(st, rc, "QMP");
		if (strstr(line, "\"event\":")) {
			rc = sb_printf(&st->events, "%s\n", line);
			free(line);
			if (rc)
				return -ENOMEM;
			continue;
		}
		if (strstr(line, "\"return\"")) {
			if (reply)
				*reply = line;
			else
				free(line);
			return 0;
		}
		if (strstr(line, "\"error\"")) {
			if (!qmp_json_str(line, "desc", err, errlen))
				errmsg_set(err, errlen, "QEMU refused: %s", line);
			free(line);
			return -EINVAL;
		}
		free(line);	/* the greeting, or anything else */
	}
}

/*
 * Wait for an event line that match() accepts (kept events first);
 * the line is returned malloc'ed, consumed events are dropped.
 */
int qmp_wait_event(struct qemu_state *st,
		   bool (*match)(const char *line, const char *id),
		   const char *id, int timeout_ms, char **out)
{
	long long deadline = qemu_now_ms() + timeout_ms;
	char *line;
	int rc;

	while (st->events.len) {
		char *nl = strchr(st->events.buf, '\n');
		size_t n = (size_t)(nl - st->events.buf);

		line = strndup(st->events.buf, n);
		memmove(st->events.buf, nl + 1, st->events.len - n - 1);
		st->events.len -= n + 1;
		st->events.buf[st->events.len] = '\0';
		if (!line)
			return -ENOMEM;
		if (match(line, id)) {
			*out = line;
			return 0;
		}
		free(line);
	}
	for (;;) {
		rc = qmp_line(st, deadline, &line);
		if (rc)
			return rc;
		if (strstr(line, "\"event\":") && match(line, id)) {
			*out = line;
			return 0;
		}
		free(line);
	}
}

static bool qmp_event_for(const char *line, const char *event, const char *id)
{
	char name[64], dev[128];

	return qmp_json_str(line, "event", name, sizeof(name)) &&
	       strcmp(name, event) == 0 &&
	       qmp_json_str(line, "device", dev, sizeof(dev)) &&
	       strcmp(dev, id) == 0;
}

bool qmp_match_insert_ost(const char *line, const char *id)
{
	return qmp_event_for(line, "ACPI_DEVICE_OST", id);
}

/* DEVICE_DELETED, or an _OST for the eject (source 3) that is final. */
bool qmp_match_eject_done(const char *line, const char *id)
{
	long source = -1, status = -1;

	if (qmp_event_for(line, "DEVICE_DELETED", id))
		return true;
	if (!qmp_event_for(line, "ACPI_DEVICE_OST", id))
		return false;
	qmp_json_int(line, "source", &source);
	qmp_json_int(line, "status", &status);
	/* 0: success (DEVICE_DELETED follows), 0x84: eject in progress */
	return source == 3 && status != 0 && status != 0x84;
}

/* The final _OST of a successful eject, by slot ("slot": "N"). */
bool qmp_match_eject_ost_slot(const char *line, const char *slot)
{
	char name[64], got[16];
	long source = -1, status = -1;

	if (!qmp_json_str(line, "event", name, sizeof(name)) ||
	    strcmp(name, "ACPI_DEVICE_OST") ||
	    !qmp_json_str(line, "slot", got, sizeof(got)) || strcmp(got, slot))
		return false;
	qmp_json_int(line, "source", &source);
	qmp_json_int(line, "status", &status);
	return source == 3 && status == 0;
}

/* The errno the model gives for what QEMU said. */
int qemu_refusal_errno(const char *desc)
{
	if (strstr(desc, "uplicate"))
		return -EEXIST;
	if (strstr(desc, "slot") || strstr(desc, "not enough space") ||
	    strstr(desc, "could not find position"))
		return -ENOSPC;
	if (strstr(desc, "not found"))
		return -ENOENT;
	/* "nvdimm device hot unplug is not supported yet" */
	if (strstr(desc, "not supported"))
		return -EOPNOTSUPP;
	return -EINVAL;
}
