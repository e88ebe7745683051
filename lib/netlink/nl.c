/* SPDX-License-Identifier: MIT */
/*
 * The netlink engine's decoding half: see linx-nl.h.
 */
#include <errno.h>
#include <string.h>

#include "linx-nl.h"

#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

const void *linx_nl_msg_header(const struct nlmsghdr *nlh, size_t len)
{
	if (!nlh || nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(len))
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

/* Is `a` (whose header fits its stream) acceptable to policy `p`? */
static bool policy_ok(const struct nlattr *a, const struct linx_nl_policy *p)
{
	size_t n = mnl_attr_get_payload_len(a);
	const char *data = mnl_attr_get_payload(a);

	switch (p->kind) {
	case LINX_NL_ANY:
		return true;
	case LINX_NL_U8:
		return n >= 1;
	case LINX_NL_U16:
		return n >= 2;
	case LINX_NL_U32:
		return n >= 4;
	case LINX_NL_U64:
		return n >= 8;
	case LINX_NL_STRING:
		return n > 0 && memchr(data, 0, n) != NULL;
	case LINX_NL_NESTED: {
		const struct nlattr *attr;
		size_t seen = 0;

		/* libmnl's macro names its cursor `attr`. */
		mnl_attr_for_each_payload((const void *)data, n)
			seen = (size_t)((const char *)mnl_attr_next(attr) - data);
		/* The whole stream must be attributes, bar alignment. */
		return seen >= n || n - seen < MNL_ATTR_HDRLEN;
	}
	case LINX_NL_EXACT:
		return n == p->len;
	case LINX_NL_MIN:
		return n >= p->len;
	case LINX_NL_MAX:
		return n <= p->len;
	default:
		return false;
	}
}

int linx_nl_parse(const void *start, size_t len,
		  const struct linx_nl_policy *policy, uint16_t max,
		  const struct nlattr **tb)
{
	const struct nlattr *a = start;
	int bad = 0;

	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	while (len > 0) {
		uint16_t type;

		/* A header overrunning the stream ends the walk, as
		 * mnl_attr_for_each() does; what came before stands. */
		if (!mnl_attr_ok(a, (int)(len > INT32_MAX ? INT32_MAX : len)))
			break;
		type = mnl_attr_get_type(a);
		if (type <= max && policy[type].kind != LINX_NL_NONE) {
			if (policy_ok(a, &policy[type]))
				tb[type] = a;
			else
				bad++;
		}
		{
			size_t step = MNL_ALIGN(a->nla_len);

			if (step >= len)
				break;
			len -= step;
			a = (const void *)((const char *)a + step);
		}
	}
	return bad;
}

int linx_nl_parse_msg(const struct nlmsghdr *nlh, size_t hdr_len,
		      const struct linx_nl_policy *policy, uint16_t max,
		      const struct nlattr **tb)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr_len);

	if (!linx_nl_msg_header(nlh, hdr_len)) {
		memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
		return -EBADMSG;
	}
	return linx_nl_parse((const char *)nlh + off, nlh->nlmsg_len - off,
			     policy, max, tb);
}

int linx_nl_parse_nested(const struct nlattr *nest,
			 const struct linx_nl_policy *policy, uint16_t max,
			 const struct nlattr **tb)
{
	return linx_nl_parse(mnl_attr_get_payload(nest),
			     mnl_attr_get_payload_len(nest), policy, max, tb);
}

uint16_t linx_nl_u16(const struct nlattr *a, uint16_t def)
{
	if (a)
		memcpy(&def, mnl_attr_get_payload(a), sizeof(def));
	return def;
}

uint32_t linx_nl_u32(const struct nlattr *a, uint32_t def)
{
	if (a)
		memcpy(&def, mnl_attr_get_payload(a), sizeof(def));
	return def;
}

uint64_t linx_nl_u64(const struct nlattr *a, uint64_t def)
{
	if (a)
		memcpy(&def, mnl_attr_get_payload(a), sizeof(def));
	return def;
}

void linx_nl_str(const struct nlattr *a, char *dst, size_t cap)
{
	const char *src;
	const char *nul;
	size_t n;

	if (!a) {
		dst[0] = '\0';
		return;
	}
	src = mnl_attr_get_payload(a);
	n = mnl_attr_get_payload_len(a);
	nul = memchr(src, 0, n);
	if (nul)
		n = (size_t)(nul - src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const struct linx_nl_policy ack_policy[NLMSGERR_ATTR_OFFS + 1] = {
	[NLMSGERR_ATTR_MSG] = { LINX_NL_STRING, 0 },
	[NLMSGERR_ATTR_OFFS] = { LINX_NL_U32, 0 },
};

int linx_nl_parse_ack(const struct nlmsghdr *nlh, struct linx_nl_ack *ack)
{
	const char *payload = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_OFFS + 1];
	size_t plen, off;
	int code;

	ack->code = 0;
	ack->msg = NULL;
	ack->offset = -1;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(int))
		return -EBADMSG;
	plen = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	memcpy(&code, payload, sizeof(code));
	if (code == 0)
		return 0;
	ack->code = code < -4095 || code > 4095 ? EIO : code < 0 ? -code : code;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* TLVs follow the error code (NLMSG_DONE), the capped header
	 * (NETLINK_CAP_ACK), or the whole echoed request. */
	if (nlh->nlmsg_type == NLMSG_DONE) {
		off = sizeof(int);
	} else if (nlh->nlmsg_flags & NLM_F_CAPPED) {
		off = sizeof(struct nlmsgerr);
	} else if (plen >= sizeof(struct nlmsgerr)) {
		const struct nlmsgerr *e = (const void *)payload;

		/* size_t first: an untrusted length must not wrap. */
		off = sizeof(int) + MNL_ALIGN((size_t)e->msg.nlmsg_len);
	} else {
		off = plen;
	}
	if (off >= plen)
		return 0;
	linx_nl_parse(payload + off, plen - off, ack_policy, NLMSGERR_ATTR_OFFS,
		      tb);
	if (tb[NLMSGERR_ATTR_MSG])
		ack->msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS])
		ack->offset = (int32_t)linx_nl_u32(tb[NLMSGERR_ATTR_OFFS], 0);
	return 0;
}
