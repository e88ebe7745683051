/* SPDX-License-Identifier: MIT */
/*
 * Neighbours (the ARP and NDP tables): RTM_NEWNEIGH / RTM_DELNEIGH /
 * RTM_GETNEIGH with struct ndmsg and NDA_* (include/uapi/linux/neighbour.h).
 */
#include <errno.h>
#include <linux/neighbour.h>
#include <string.h>

#include "rtnl-internal.h"

/* What each NDA_* we read must look like (include/uapi/linux/
 * neighbour.h); the destination is checked against the family. */
static const struct linx_nl_policy neigh_policy[NDA_MAX + 1] = {
	[NDA_DST] = { LINX_NL_ANY, 0 },
	[NDA_LLADDR] = { LINX_NL_MAX, LINX_RTNL_LLADDR_MAX },
	[NDA_PROBES] = { LINX_NL_U32, 0 },
	[NDA_CACHEINFO] = { LINX_NL_MIN, sizeof(struct nda_cacheinfo) },
};

#define NEIGH_FIELD(attr, how, member, bit)                                  \
	RTNL_FIELD(attr, RTNL_READ_##how, struct linx_rtnl_neigh, member,     \
		   LINX_RTNL_NEIGH_HAS_##bit)

static const struct rtnl_field neigh_fields[] = {
	NEIGH_FIELD(NDA_DST, IP, dst, DST),
	NEIGH_FIELD(NDA_LLADDR, LLADDR, lladdr, LLADDR),
	NEIGH_FIELD(NDA_PROBES, U32, probes, PROBES),
};

int linx_rtnl_neigh_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_neigh *ret)
{
	const struct ndmsg *ndm = rtnl_msg_header(nlh, sizeof(*ndm));
	const struct nlattr *tb[NDA_MAX + 1];

	if (!ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	if (!ndm)
		return -EBADMSG;
	ret->family = ndm->ndm_family;
	ret->ifindex = ndm->ndm_ifindex;
	ret->state = ndm->ndm_state;
	ret->flags = ndm->ndm_flags;
	ret->type = ndm->ndm_type;
	if (linx_nl_parse_msg(nlh, sizeof(*ndm), neigh_policy, NDA_MAX, tb) != 0 ||
	    rtnl_read_fields(tb, neigh_fields, RTNL_ARRAY_SIZE(neigh_fields),
			     ret->family, ret, &ret->present) < 0)
		return -EBADMSG;
	if (tb[NDA_CACHEINFO]) {
		struct nda_cacheinfo ci;

		memcpy(&ci, mnl_attr_get_payload(tb[NDA_CACHEINFO]), sizeof(ci));
		ret->confirmed = ci.ndm_confirmed;
		ret->used = ci.ndm_used;
		ret->updated = ci.ndm_updated;
		ret->refcnt = ci.ndm_refcnt;
		ret->present |= LINX_RTNL_NEIGH_HAS_CACHEINFO;
	}
	return 0;
}

static int neigh_decode_cb(const struct nlmsghdr *nlh, void *obj)
{
	return linx_rtnl_neigh_decode(nlh, obj);
}

static bool keep_ifindex(const void *obj, const void *arg)
{
	return ((const struct linx_rtnl_neigh *)obj)->ifindex ==
	       *(const int32_t *)arg;
}

int linx_rtnl_neigh_list(struct linx_rtnl *s, const char *dev,
			 struct linx_rtnl_neigh **ret, size_t *ret_n,
			 struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct rtnl_array arr;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	int32_t index = 0;
	int r;

	if (!s || !ret || !ret_n)
		return linx_error_param(err, "neighbour.list", "sock",
					"missing argument");
	if (dev) {
		r = rtnl_ifindex(s, dev, NULL, "neighbour.list", &index, err);
		if (r < 0)
			return r;
	}
	nlh = rtnl_req(buf, RTM_GETNEIGH, NLM_F_DUMP, sizeof(*ndm), (void **)&ndm);
	ndm->ndm_family = AF_UNSPEC;
	/* Strict checking filters on NDA_IFINDEX, not ndm_ifindex
	 * (neigh_valid_dump_req(), net/core/neighbour.c). */
	if (index)
		rtnl_put_u32(nlh, NDA_IFINDEX, (uint32_t)index);
	rtnl_array_init(&arr, sizeof(struct linx_rtnl_neigh), RTM_NEWNEIGH,
			neigh_decode_cb);
	if (dev) {
		arr.keep = keep_ifindex;
		arr.keep_arg = &index;
	}
	r = rtnl_dump(s, nlh, &arr, "neighbour.list", err);
	if (r < 0)
		return r;
	rtnl_array_take(&arr, ret, ret_n);
	return 0;
}

int rtnl_build_neigh(struct nlmsghdr *nlh, unsigned op, int32_t ifindex,
		     const struct linx_rtnl_ip *ip,
		     const struct linx_rtnl_lladdr *mac, bool replace,
		     const char *opname, struct linx_error *err)
{
	bool add = op == LINX_RTNL_OP_NEIGH_ADD;
	struct ndmsg *ndm;

	if (!linx_rtnl_ip_len(ip))
		return linx_error_param(err, opname, "ip",
					"an IPv4 or IPv6 address is required");
	if (add && (!mac || mac->len == 0 || mac->len > LINX_RTNL_LLADDR_MAX))
		return linx_error_param(err, opname, "mac",
					"a link-layer address is required");
	rtnl_req(nlh, add ? RTM_NEWNEIGH : RTM_DELNEIGH,
		 add ? NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL) : 0,
		 sizeof(*ndm), (void **)&ndm);
	ndm->ndm_family = ip->family;
	ndm->ndm_ifindex = ifindex;
	if (add) {
		ndm->ndm_state = NUD_PERMANENT;
		ndm->ndm_type = RTN_UNICAST;
	}
	rtnl_put_ip(nlh, NDA_DST, ip);
	if (add)
		rtnl_put(nlh, NDA_LLADDR, mac->len, mac->addr);
	return 0;
}

static int neigh_change(struct linx_rtnl *s, unsigned op, const char *dev,
			const struct linx_rtnl_ip *ip,
			const struct linx_rtnl_lladdr *mac, bool replace,
			struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *opname = op == LINX_RTNL_OP_NEIGH_ADD ? "neighbour.add"
							   : "neighbour.delete";
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	char obj[LINX_RTNL_ADDRSTRLEN];
	int32_t index;
	int r;

	if (!s || !ip)
		return linx_error_param(err, opname, s ? "ip" : "sock",
					"missing argument");
	if (op == LINX_RTNL_OP_NEIGH_ADD && mac && mac->len)
		r = rtnl_check_lladdr(s, dev, mac, "mac", opname, &index, err);
	else
		r = rtnl_ifindex(s, dev, NULL, opname, &index, err);
	if (r < 0)
		return r;
	r = rtnl_build_neigh(nlh, op, index, ip, mac, replace, opname, err);
	if (r < 0)
		return r;
	r = rtnl_talk(s, nlh, NULL, opname, err);
	if (r < 0) {
		linx_rtnl_ip_format(ip, obj, sizeof(obj));
		if (r == -ENOENT && err && !err->extack[0])
			linx_error_set(err, ENOENT, opname,
				       "no neighbour entry for %s on \"%s\"",
				       obj, dev);
		linx_error_object(err, obj);
	}
	return r;
}

int linx_rtnl_neigh_add(struct linx_rtnl *s, const char *dev,
			const struct linx_rtnl_ip *ip,
			const struct linx_rtnl_lladdr *mac, bool replace,
			struct linx_error *err)
{
	return neigh_change(s, LINX_RTNL_OP_NEIGH_ADD, dev, ip, mac, replace,
			    err);
}

int linx_rtnl_neigh_delete(struct linx_rtnl *s, const char *dev,
			   const struct linx_rtnl_ip *ip,
			   struct linx_error *err)
{
	return neigh_change(s, LINX_RTNL_OP_NEIGH_DELETE, dev, ip, NULL, false,
			    err);
}
