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
