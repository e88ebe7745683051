/* SPDX-License-Identifier: MIT */
/*
 * Framing for the checkpoint protocol: a 4-byte big-endian length, then a
 * value encoded with the core codec (Erlang's {packet, 4}).  See
 * include/linx/process.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linx/process.h>

#include "internal.h"

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int linx_proto_encode_to(const struct linx_value *msg, void *buf, size_t cap,
			 size_t *ret_len, struct linx_error *err)
{
	size_t need = 0;
	int r;

	if (!msg)
		return linx_error_param(err, "encode", "msg", "no message");
	r = linx_value_encode_to(msg, cap > LINX_PROTO_HEADER
				      ? (uint8_t *)buf + LINX_PROTO_HEADER
				      : NULL,
				 cap > LINX_PROTO_HEADER ? cap - LINX_PROTO_HEADER
							 : 0,
				 &need, NULL);
	if (r < 0 && r != -ENOBUFS)
		return linx_value_encode_to(msg, NULL, 0, &need, err);
	if (need > LINX_PROTO_FRAME_MAX)
		return linx_error_set(err, EMSGSIZE, "encode",
				      "frame of %zu bytes exceeds the %u-byte "
				      "limit",
				      need, LINX_PROTO_FRAME_MAX);
	if (ret_len)
		*ret_len = need + LINX_PROTO_HEADER;
	if (r < 0)
		return linx_error_set(err, ENOBUFS, "encode",
				      "a frame needs %zu bytes, buffer has %zu",
				      need + LINX_PROTO_HEADER, cap);
	put_be32(buf, (uint32_t)need);
	return 0;
}

int linx_proto_encode(const struct linx_value *msg, void **ret_buf,
		      size_t *ret_len, struct linx_error *err)
{
	size_t need = 0;
	void *buf;
	int r;

	if (!ret_buf || !ret_len)
		return linx_error_param(err, "encode", "ret", "no output");
	/* Size first; the expected -ENOBUFS must not touch `err`. */
	r = linx_proto_encode_to(msg, NULL, 0, &need, NULL);
	if (r < 0 && r != -ENOBUFS)
		return linx_proto_encode_to(msg, NULL, 0, &need, err);
	buf = malloc(need);
	if (!buf)
		return linx_error_set(err, ENOMEM, "encode", NULL);
	r = linx_proto_encode_to(msg, buf, need, &need, err);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	*ret_len = need;
	return 0;
}

int linx_proto_decode(const void *buf, size_t len, size_t *ret_used,
		      struct linx_value *ret_msg, struct linx_error *err)
{
	uint32_t n;
	int r;

	if (!ret_used || !ret_msg || (!buf && len))
		return linx_error_param(err, "decode", "buf", "no buffer");
	*ret_used = 0;
	if (len < LINX_PROTO_HEADER)
		return 0;
	n = get_be32(buf);
	if (n > LINX_PROTO_FRAME_MAX)
		return linx_error_set(err, EMSGSIZE, "decode",
				      "frame of %u bytes exceeds the %u-byte "
				      "limit",
				      n, LINX_PROTO_FRAME_MAX);
	if (len - LINX_PROTO_HEADER < n)
		return 0;
	*ret_used = LINX_PROTO_HEADER + (size_t)n;
	r = linx_value_decode((const uint8_t *)buf + LINX_PROTO_HEADER, n,
			      ret_msg, err);
	if (r < 0)
		return -EBADMSG;
	if (ret_msg->type != LINX_MAP) {
		linx_value_clear(ret_msg);
		return linx_error_set(err, EBADMSG, "decode",
				      "a message must be a map");
	}
	return 1;
}

int linx_process_ns_parse(const char *names, uint32_t *ret_mask,
			  struct linx_error *err)
{
	uint32_t mask = 0;
	const char *p = names;

	if (!ret_mask)
		return linx_error_param(err, "validate", "ret", "no output");
	while (p && *p) {
		char name[16];
		size_t n = strcspn(p, ",");
		int kind;

		if (n == 0 || n >= sizeof(name))
			goto bad;
		memcpy(name, p, n);
		name[n] = '\0';
		kind = strcmp(name, "mount") == 0 ? LINX_NS_KIND_MNT
						 : linx_ns_kind_from_name(name);
		if (kind < 0)
			goto bad;
		mask |= 1u << kind;
		p += n;
		if (*p == ',')
			p++;
		continue;
bad:
		return linx_error_param(err, "validate", "namespaces",
					"unknown namespace \"%.*s\" (expected "
					"net, mount, pid, uts, ipc, user, "
					"cgroup or time)",
					(int)(n < 64 ? n : 64), p);
	}
	*ret_mask = mask;
	return 0;
}
