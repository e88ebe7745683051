/* SPDX-License-Identifier: MIT */
/*
 * Routes: RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE with struct rtmsg and
 * RTA_* attributes (include/uapi/linux/rtnetlink.h).  IPv4 and IPv6 share
 * the code; the family comes from the destination and the gateway.
 */
#include <errno.h>
#include <string.h>

#include "rtnl-internal.h"

uint32_t linx_rtnl_route_table(const struct linx_rtnl_route *route)
{
	if (!route)
		return 0;
	return (route->present & LINX_RTNL_ROUTE_HAS_TABLE) ? route->table_ext
							    : route->table;
}

static const struct linx_nl_policy metrics_policy[RTAX_MAX + 1] = {
	[RTAX_MTU] = { LINX_NL_U32, 0 },
};

static int decode_metrics(const struct nlattr *nest, struct linx_rtnl_route *r)
{
	const struct nlattr *tb[RTAX_MAX + 1];

	if (linx_nl_parse_nested(nest, metrics_policy, RTAX_MAX, tb) != 0)
		return -EBADMSG;
	if (tb[RTAX_MTU]) {
		r->mtu = linx_nl_u32(tb[RTAX_MTU], 0);
		r->present |= LINX_RTNL_ROUTE_HAS_MTU;
	}
	return 0;
}

/* RTA_VIA: struct rtvia, a family then the address (may differ from the
 * route's family, e.g. IPv4 over an IPv6 next hop). */
static bool get_via(const struct nlattr *a, struct linx_rtnl_ip *ret)
{
	size_t n = mnl_attr_get_payload_len(a);
	const uint8_t *p = mnl_attr_get_payload(a);
	uint16_t family;

	if (n < sizeof(family))
		return false;
	memcpy(&family, p, sizeof(family));
	n -= sizeof(family);
	memset(ret, 0, sizeof(*ret));
	if ((family == AF_INET && n == 4) || (family == AF_INET6 && n == 16)) {
		ret->family = (uint8_t)family;
		memcpy(ret->addr, p + sizeof(family), n);
		return true;
	}
	return false;
}

/* What each RTA_* we read must look like (include/uapi/linux/
 * rtnetlink.h); addresses are checked against the family when read. */
static const struct linx_nl_policy route_policy[RTA_MAX + 1] = {
	[RTA_DST] = { LINX_NL_ANY, 0 },
	[RTA_SRC] = { LINX_NL_ANY, 0 },
	[RTA_GATEWAY] = { LINX_NL_ANY, 0 },
	[RTA_VIA] = { LINX_NL_ANY, 0 },
	[RTA_PREFSRC] = { LINX_NL_ANY, 0 },
	[RTA_OIF] = { LINX_NL_U32, 0 },
	[RTA_IIF] = { LINX_NL_U32, 0 },
	[RTA_PRIORITY] = { LINX_NL_U32, 0 },
	[RTA_TABLE] = { LINX_NL_U32, 0 },
	[RTA_MARK] = { LINX_NL_U32, 0 },
	[RTA_PREF] = { LINX_NL_U8, 0 },
	[RTA_METRICS] = { LINX_NL_ANY, 0 },
	[RTA_MULTIPATH] = { LINX_NL_ANY, 0 },
};

#define ROUTE_FIELD(attr, how, member, bit)                                  \
	RTNL_FIELD(attr, RTNL_READ_##how, struct linx_rtnl_route, member,     \
		   LINX_RTNL_ROUTE_HAS_##bit)

static const struct rtnl_field route_fields[] = {
	ROUTE_FIELD(RTA_DST, IP, dst, DST),
	ROUTE_FIELD(RTA_SRC, IP, src, SRC),
	ROUTE_FIELD(RTA_GATEWAY, IP, gateway, GATEWAY),
	ROUTE_FIELD(RTA_PREFSRC, IP, prefsrc, PREFSRC),
	ROUTE_FIELD(RTA_OIF, U32, oif, OIF),
	ROUTE_FIELD(RTA_IIF, U32, iif, IIF),
	ROUTE_FIELD(RTA_PRIORITY, U32, priority, PRIORITY),
	ROUTE_FIELD(RTA_TABLE, U32, table_ext, TABLE),
	ROUTE_FIELD(RTA_MARK, U32, mark, MARK),
	ROUTE_FIELD(RTA_PREF, U8, pref, PREF),
	ROUTE_FIELD(RTA_MULTIPATH, FLAG, flags, MULTIPATH),
};

static void route_header(const struct rtmsg *rtm, struct linx_rtnl_route *ret)
{
	ret->family = rtm->rtm_family;
	ret->dst_len = rtm->rtm_dst_len;
	ret->src_len = rtm->rtm_src_len;
	ret->tos = rtm->rtm_tos;
	ret->table = rtm->rtm_table;
	ret->protocol = rtm->rtm_protocol;
	ret->scope = rtm->rtm_scope;
	ret->type = rtm->rtm_type;
	ret->flags = rtm->rtm_flags;
}

int linx_rtnl_route_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_route *ret)
{
	const struct rtmsg *rtm = rtnl_msg_header(nlh, sizeof(*rtm));
	const struct nlattr *tb[RTA_MAX + 1];

	if (!ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	if (!rtm)
		return -EBADMSG;
	route_header(rtm, ret);
	if (linx_nl_parse_msg(nlh, sizeof(*rtm), route_policy, RTA_MAX, tb) != 0 ||
	    rtnl_read_fields(tb, route_fields, RTNL_ARRAY_SIZE(route_fields),
			     ret->family, ret, &ret->present) < 0)
		return -EBADMSG;
	/* A gateway of another family (IPv4 over an IPv6 next hop). */
	if (tb[RTA_VIA]) {
		if (!get_via(tb[RTA_VIA], &ret->gateway))
			return -EBADMSG;
		ret->present |= LINX_RTNL_ROUTE_HAS_GATEWAY;
	}
	if (tb[RTA_METRICS] && decode_metrics(tb[RTA_METRICS], ret) < 0)
		return -EBADMSG;
	return 0;
}

static int route_decode_cb(const struct nlmsghdr *nlh, void *obj)
{
	return linx_rtnl_route_decode(nlh, obj);
}

static bool keep_table(const void *obj, const void *arg)
{
	return linx_rtnl_route_table(obj) == *(const uint32_t *)arg;
}

int linx_rtnl_route_list(struct linx_rtnl *s, uint8_t family, uint32_t table,
			 struct linx_rtnl_route **ret, size_t *ret_n,
			 struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct rtnl_array arr;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int r;

	if (!s || !ret || !ret_n)
		return linx_error_param(err, "route.list", "sock",
					"missing argument");
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return linx_error_param(err, "route.list", "family",
					"family must be inet or inet6");
	nlh = rtnl_req(buf, RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm), (void **)&rtm);
	rtm->rtm_family = family;
	if (table) {
		/* Filtered by the kernel under strict checking
		 * (ip_valid_fib_dump_req(), net/ipv4/fib_frontend.c). */
		rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
		rtnl_put_u32(nlh, RTA_TABLE, table);
	}
	rtnl_array_init(&arr, sizeof(struct linx_rtnl_route), RTM_NEWROUTE,
			route_decode_cb);
	if (table) {
		arr.keep = keep_table;
		arr.keep_arg = &table;
	}
	r = rtnl_dump(s, nlh, &arr, "route.list", err);
	if (r < 0)
		return r;
	rtnl_array_take(&arr, ret, ret_n);
	return 0;
}

int linx_rtnl_route_get(struct linx_rtnl *s, const struct linx_rtnl_ip *dst,
			struct linx_rtnl_route *ret, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	char obj[LINX_RTNL_ADDRSTRLEN];
	struct linx_rtnl_route route;
	struct rtnl_one one;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int r;

	if (!s || !ret)
		return linx_error_param(err, "route.get", "sock",
					"missing argument");
	if (!linx_rtnl_ip_len(dst))
		return linx_error_param(err, "route.get", "dst",
					"an IPv4 or IPv6 destination is "
					"required");
	nlh = rtnl_req(buf, RTM_GETROUTE, 0, sizeof(*rtm), (void **)&rtm);
	rtm->rtm_family = dst->family;
	/* A host lookup: strict checking wants a full-length dst_len
	 * (inet_rtm_valid_getroute_req(), net/ipv4/route.c). */
	rtm->rtm_dst_len = (uint8_t)(linx_rtnl_ip_len(dst) * 8);
	rtnl_put_ip(nlh, RTA_DST, dst);
	rtnl_one_init(&one, RTM_NEWROUTE, route_decode_cb, &route);
	r = rtnl_talk(s, nlh, &one.sink, "route.get", err);
	if (r < 0) {
		linx_rtnl_ip_format(dst, obj, sizeof(obj));
		return linx_error_object(err, obj);
	}
	if (!one.got)
		return linx_error_set(err, EPROTO, "route.get",
				      "the kernel acknowledged without a route");
	*ret = route;
	return 0;
}

/* Check a route spec's addresses and ranges; the family it implies. */
static int route_check(const struct linx_rtnl_route_spec *spec,
		       const char *opname, uint8_t *ret_family,
		       struct linx_error *err)
{
	uint8_t fd = spec->dst.family, fg = spec->gateway.family, family;

	if (fd && !linx_rtnl_ip_len(&spec->dst))
		return linx_error_param(err, opname, "dst", "bad destination");
	if (fg && !linx_rtnl_ip_len(&spec->gateway))
		return linx_error_param(err, opname, "gateway", "bad gateway");
	if (fd && fg && fd != fg)
		return linx_error_param(err, opname, "gateway",
					"destination and gateway are of "
					"different families");
	family = fd ? fd : fg ? fg : spec->family;
	if (spec->family && family != spec->family)
		return linx_error_param(err, opname, "family",
					"family does not match the addresses");
	if (family != AF_INET && family != AF_INET6)
		return linx_error_param(err, opname, "family",
					"cannot tell IPv4 from IPv6: give a "
					"destination, a gateway or a family");
	if (linx_rtnl_ip_len(&spec->prefsrc) &&
	    spec->prefsrc.family != family)
		return linx_error_param(err, opname, "source",
					"source address of another family");
	if (spec->dst_len > (family == AF_INET ? 32 : 128) ||
	    (!fd && spec->dst_len))
		return linx_error_param(err, opname, "prefix",
					"bad prefix length %u", spec->dst_len);
	if (spec->protocol > 255 || spec->scope > 255)
		return linx_error_param(err, opname,
					spec->protocol > 255 ? "protocol"
							     : "scope",
					"value out of range 0..255");
	*ret_family = family;
	return 0;
}

/* Protocol, scope and type of the rtmsg. */
static void route_kind(struct rtmsg *rtm, const struct linx_rtnl_route_spec *spec,
		       bool del, int32_t oif)
{
	if (del) {
		/* Delete matches on what is set: protocol 0 and scope
		 * NOWHERE match any (fib_table_delete(),
		 * net/ipv4/fib_trie.c), as ip-route(8) does. */
		rtm->rtm_protocol = spec->protocol >= 0 ? (uint8_t)spec->protocol
							 : RTPROT_UNSPEC;
		rtm->rtm_scope = spec->scope >= 0 ? (uint8_t)spec->scope
						  : RT_SCOPE_NOWHERE;
		rtm->rtm_type = spec->type;
		return;
	}
	rtm->rtm_protocol = spec->protocol >= 0 ? (uint8_t)spec->protocol
						 : RTPROT_BOOT;
	rtm->rtm_type = spec->type ? spec->type : RTN_UNICAST;
	if (spec->scope >= 0)
		rtm->rtm_scope = (uint8_t)spec->scope;
	else if (rtm->rtm_type == RTN_LOCAL || rtm->rtm_type == RTN_NAT)
		rtm->rtm_scope = RT_SCOPE_HOST;
	else if (rtm->rtm_type == RTN_UNICAST && !spec->gateway.family &&
		 oif > 0 && rtm->rtm_family == AF_INET)
		/* A directly connected prefix (ip-route(8)). */
		rtm->rtm_scope = RT_SCOPE_LINK;
	else
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
}

int rtnl_build_route(struct linx_rtnl *s, struct nlmsghdr *nlh, unsigned op,
		     const struct linx_rtnl_route_spec *spec, int32_t oif,
		     const char *opname, struct linx_error *err)
{
	bool del = op == LINX_RTNL_OP_ROUTE_DELETE;
	uint32_t table = spec->table ? spec->table : RT_TABLE_MAIN;
	struct rtmsg *rtm;
	uint16_t flags = 0;
	uint8_t family = AF_UNSPEC;
	int r;

	(void)s;
	r = route_check(spec, opname, &family, err);
	if (r < 0)
		return r;
	if (op == LINX_RTNL_OP_ROUTE_ADD)
		flags = NLM_F_CREATE | NLM_F_EXCL;
	else if (op == LINX_RTNL_OP_ROUTE_REPLACE)
		flags = NLM_F_CREATE | NLM_F_REPLACE;
	else if (!del)
		return linx_error_param(err, opname, "op",
					"not a route operation: %u", op);
	rtnl_req(nlh, del ? RTM_DELROUTE : RTM_NEWROUTE, flags, sizeof(*rtm),
		 (void **)&rtm);
	rtm->rtm_family = family;
	rtm->rtm_dst_len = spec->dst_len;
	/* The header byte holds tables up to 255; RTA_TABLE the rest. */
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	route_kind(rtm, spec, del, oif);
	if (spec->onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	if (table >= 256)
		rtnl_put_u32(nlh, RTA_TABLE, table);
	if (spec->dst.family)
		rtnl_put_ip(nlh, RTA_DST, &spec->dst);
	if (spec->gateway.family)
		rtnl_put_ip(nlh, RTA_GATEWAY, &spec->gateway);
	if (oif > 0)
		rtnl_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	if (linx_rtnl_ip_len(&spec->prefsrc))
		rtnl_put_ip(nlh, RTA_PREFSRC, &spec->prefsrc);
	if (spec->has_metric)
		rtnl_put_u32(nlh, RTA_PRIORITY, spec->metric);
	return 0;
}

static int route_change(struct linx_rtnl *s, unsigned op,
			const struct linx_rtnl_route_spec *spec,
			const char *opname, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	char obj[LINX_RTNL_ADDRSTRLEN];
	int32_t oif = 0;
	int r;

	if (!s || !spec)
		return linx_error_param(err, opname, s ? "spec" : "sock",
					"missing argument");
	if (spec->dev) {
		r = rtnl_ifindex(s, spec->dev, NULL, opname, &oif, err);
		if (r < 0)
			return r;
	} else if (spec->oif > 0) {
		oif = spec->oif;
	}
	r = rtnl_build_route(s, nlh, op, spec, oif, opname, err);
	if (r < 0)
		return r;
	r = rtnl_talk(s, nlh, NULL, opname, err);
	if (r < 0) {
		rtnl_prefix_text(&spec->dst, spec->dst_len, 0, obj, sizeof(obj));
		if (err && !err->extack[0]) {
			if (r == -EEXIST)
				linx_error_set(err, EEXIST, opname,
					       "route %s already exists", obj);
			else if (r == -ESRCH)
				linx_error_set(err, ESRCH, opname,
					       "no such route %s", obj);
		}
		linx_error_object(err, obj);
	}
	return r;
}

int linx_rtnl_route_add(struct linx_rtnl *s,
			const struct linx_rtnl_route_spec *spec,
			struct linx_error *err)
{
	return route_change(s, LINX_RTNL_OP_ROUTE_ADD, spec, "route.add", err);
}

int linx_rtnl_route_replace(struct linx_rtnl *s,
			    const struct linx_rtnl_route_spec *spec,
			    struct linx_error *err)
{
	return route_change(s, LINX_RTNL_OP_ROUTE_REPLACE, spec,
			    "route.replace", err);
}

int linx_rtnl_route_delete(struct linx_rtnl *s,
			   const struct linx_rtnl_route_spec *spec,
			   struct linx_error *err)
{
	return route_change(s, LINX_RTNL_OP_ROUTE_DELETE, spec, "route.delete",
			    err);
}
