/* SPDX-License-Identifier: MIT */
/*
 * The netlink engine shared by the netlink plugins (rtnl, nf_tables):
 * bounded message walkers, table-driven attribute validation in the
 * libmnl idiom (validate into a table, then read), and the parsing of
 * acknowledgements with their extended ACK.  Not installed.
 *
 * It is an internal static library linked into each plugin, so it cannot
 * use liblinx (a plugin module reaches liblinx only through the host
 * table): it reports plain errnos and fills struct linx_nl_ack, and the
 * plugin turns those into its struct linx_error.  Every exported name
 * starts with linx_nl_.  See docs/core/netlink.md.
 */
#ifndef LINX_NL_H
#define LINX_NL_H

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Walking untrusted input.  libmnl's mnl_nlmsg_ok() compares nlmsg_len as
 * an int, so a length above 2^31 passes it, and mnl_attr_for_each() walks
 * up to the *aligned* end of a message, up to 3 bytes past an unaligned
 * nlmsg_len.  These variants bound everything by the real lengths.
 */
static inline bool linx_nl_msg_ok(const struct nlmsghdr *nlh, size_t rem)
{
	return rem >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= rem;
}

static inline const struct nlmsghdr *
linx_nl_msg_next(const struct nlmsghdr *nlh, size_t *rem)
{
	size_t step = MNL_ALIGN(nlh->nlmsg_len);

	if (step > *rem)
		step = *rem;
	*rem -= step;
	return (const struct nlmsghdr *)((const char *)nlh + step);
}

/* Attributes after a fixed header of `offset` bytes (linx_nl_msg_header()
 * must have accepted that header). */
#define linx_nl_attr_for_each(attr, nlh, offset)                             \
	for ((attr) = (const void *)((const char *)(nlh) + MNL_NLMSG_HDRLEN + \
				     MNL_ALIGN(offset));                     \
	     mnl_attr_ok((attr), (int)((const char *)(nlh) +                 \
				       (nlh)->nlmsg_len -                    \
				       (const char *)(attr)));               \
	     (attr) = mnl_attr_next(attr))

/* The fixed header after nlmsghdr if the message is long enough for it,
 * else NULL. */
const void *linx_nl_msg_header(const struct nlmsghdr *nlh, size_t len);

/* ---- attribute policies ------------------------------------------------- */

/* What an attribute's payload must look like to enter the table. */
enum linx_nl_kind {
	LINX_NL_NONE = 0, /* not in the policy: ignored */
	LINX_NL_ANY, /* any length */
	LINX_NL_U8, /* at least 1 byte (the kernel pads, so not exact) */
	LINX_NL_U16, /* at least 2 */
	LINX_NL_U32, /* at least 4 */
	LINX_NL_U64, /* at least 8 */
	LINX_NL_STRING, /* NUL-terminated within the payload */
	LINX_NL_NESTED, /* a well-formed attribute stream (may be empty) */
	LINX_NL_EXACT, /* exactly `len` bytes */
	LINX_NL_MIN, /* at least `len` bytes */
	LINX_NL_MAX, /* at most `len` bytes */
};

struct linx_nl_policy {
	uint8_t kind; /* enum linx_nl_kind */
	uint16_t len; /* for EXACT, MIN, MAX */
};

/*
 * Validate the attribute stream [start, start+len) into tb[0..max]
 * (cleared first): tb[type] is the last attribute of that type that the
 * policy accepts (the kernel's own "last wins", nla_parse()).  Types above
 * max, types without a policy and payloads that break their policy are
 * left out, so a reader can trust every non-NULL entry's length.  The
 * nested and byte-order flags are masked off the type.  Returns the
 * number of attributes left out for breaking their policy (>= 0); the
 * walk stops quietly at the first header that overruns the stream, as
 * mnl_attr_for_each() does.
 */
int linx_nl_parse(const void *start, size_t len,
		  const struct linx_nl_policy *policy, uint16_t max,
		  const struct nlattr **tb);
/* The attributes of a message after its fixed header of hdr_len bytes;
 * -EBADMSG when the message is shorter than that header. */
int linx_nl_parse_msg(const struct nlmsghdr *nlh, size_t hdr_len,
		      const struct linx_nl_policy *policy, uint16_t max,
		      const struct nlattr **tb);
/* The attributes nested in `nest`. */
int linx_nl_parse_nested(const struct nlattr *nest,
			 const struct linx_nl_policy *policy, uint16_t max,
			 const struct nlattr **tb);

/* Readers for validated entries: NULL gives the fallback `def`. */
static inline uint8_t linx_nl_u8(const struct nlattr *a, uint8_t def)
{
	return a ? *(const uint8_t *)mnl_attr_get_payload(a) : def;
}

uint16_t linx_nl_u16(const struct nlattr *a, uint16_t def);
uint32_t linx_nl_u32(const struct nlattr *a, uint32_t def);
uint64_t linx_nl_u64(const struct nlattr *a, uint64_t def);
/* Copy a string attribute (up to its first NUL) into dst, truncating;
 * dst is "" when a is NULL.  cap > 0. */
void linx_nl_str(const struct nlattr *a, char *dst, size_t cap);

/* ---- acknowledgements ---------------------------------------------------- */

/* An NLMSG_ERROR (or an NLMSG_DONE carrying an error), decoded.  `msg`
 * points into the message (valid while it is), NULL without one. */
struct linx_nl_ack {
	int code; /* positive errno, 0 for a plain ACK */
	const char *msg; /* NLMSGERR_ATTR_MSG, NUL-terminated */
	int32_t offset; /* NLMSGERR_ATTR_OFFS, -1 without one */
};

/*
 * Decode an acknowledgement.  Returns 0 (ack filled), or -EBADMSG when
 * the message is too short to carry an error code.  The kernel sends a
 * negative errno (-1..-4095, include/linux/err.h); anything else becomes
 * EIO.
 */
int linx_nl_parse_ack(const struct nlmsghdr *nlh, struct linx_nl_ack *ack);

#endif /* LINX_NL_H */
