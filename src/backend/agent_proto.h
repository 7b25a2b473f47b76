/*
 * agent_proto.h - the wire format between the qemu backend
 * (backend_qemu.c) and the guest agent (guest/hotmem-agent.c), shared
 * so that both ends agree by construction.
 *
 * Contract: little-endian integers. A request is u8 op, u32 alen,
 * u32 blen, then alen + blen bytes; a response is i32 status, u32 len,
 * then len bytes. The agent's first response is the hello. Header
 * only, no state.
 */
#ifndef HOTMEM_AGENT_PROTO_H
#define HOTMEM_AGENT_PROTO_H

#include <stdint.h>

#define AGENT_PORT_NAME		"hotmem.agent"
#define AGENT_HELLO		"hotmem-agent 1"
#define AGENT_MAX_PATH		65536u
#define AGENT_MAX_PAYLOAD	(64u << 20)	/* more than any sysfs/procfs file */
#define AGENT_REQ_HDR		9
#define AGENT_RESP_HDR		8

/*
 * 'X' (run a program): A is the run-time bound in whole seconds as
 * decimal text, B the argv, each argument followed by a NUL. The
 * response's status is the exit status (0..255) or -errno when the
 * program could not be started (-ENOENT: not in the initramfs); its
 * payload is u32 outlen, u32 errlen, u8 flags, then outlen bytes of
 * standard output and errlen bytes of standard error, each cut at
 * AGENT_TOOL_MAX_OUTPUT bytes.
 */
#define AGENT_TOOL_HDR		9
#define AGENT_TOOL_MAX_OUTPUT	(1u << 20)
#define AGENT_TOOL_MAX_ARGS	64
#define AGENT_TOOL_OUT_CUT	0x01	/* stdout was longer: cut */
#define AGENT_TOOL_ERR_CUT	0x02	/* stderr was longer: cut */
#define AGENT_TOOL_TIMED_OUT	0x04	/* killed at the run-time bound */
#define AGENT_TOOL_SIGNALLED	0x08	/* ended by a signal: status is its number */

/*
 * 'T' (walk a tree): A a directory. The payload has one record per
 * entry: the directory itself, then each entry in readdir order, depth
 * first, links not followed. A record is u8 kind ('d' directory, 'f'
 * file, 'l' link, 'e' lstat failed), i32 status (0, or the -errno of
 * opendir, read, readlink or lstat), u32 pathlen, u32 datalen, the
 * path, then the data (a file's content, a link's target). One request
 * instead of a readdir, an lstat and a read per entry: an expect-error
 * step dumps the memory and node trees twice. Status -E2BIG: the
 * records would pass AGENT_MAX_PAYLOAD.
 */
#define AGENT_WALK_HDR		13

static inline void agent_put_u32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static inline uint32_t agent_get_u32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#endif
