/* SPDX-License-Identifier: MIT */
/*
 * IFLA_LINKINFO: a link's kind (IFLA_INFO_KIND) and the kind-specific
 * IFLA_INFO_DATA, decoded for veth, bridge, macvlan, ipvlan, vlan and
 * dummy (include/uapi/linux/if_link.h, include/uapi/linux/veth.h).  Also
 * the packed struct rtnl_link_stats64, shared with RTM_GETSTATS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <string.h>

#include "rtnl-internal.h"

static const struct {
	const char *name;
	enum linx_rtnl_kind id;
} kinds[] = {
	{ "veth", LINX_RTNL_KIND_VETH },       { "bridge", LINX_RTNL_KIND_BRIDGE },
	{ "macvlan", LINX_RTNL_KIND_MACVLAN }, { "ipvlan", LINX_RTNL_KIND_IPVLAN },
	{ "vlan", LINX_RTNL_KIND_VLAN },       { "dummy", LINX_RTNL_KIND_DUMMY },
};

/* Validate `nest` with `policy` and copy `fields` into obj: -EBADMSG
 * when an attribute breaks its policy.  These kinds keep no mask of
 * what was present. */
static int decode_data(const struct nlattr *nest,
		       const struct linx_nl_policy *policy, uint16_t max,
		       const struct rtnl_field *fields, size_t n, void *obj)
{
	const struct nlattr *tb[IFLA_BR_MAX + 1];
	uint32_t present = 0;

	if (linx_nl_parse_nested(nest, policy, max, tb) != 0)
		return -EBADMSG;
	return rtnl_read_fields(tb, fields, n, AF_UNSPEC, obj, &present);
}

_Static_assert(IFLA_MACVLAN_MAX <= IFLA_BR_MAX && IFLA_IPVLAN_MAX <= IFLA_BR_MAX &&
		       IFLA_VLAN_MAX <= IFLA_BR_MAX,
	       "decode_data's table holds every kind's attributes");

#define DECODE_DATA(nest, policy, max, fields, obj)                           \
	decode_data(nest, policy, max, fields, RTNL_ARRAY_SIZE(fields), obj)

#define KIND_FIELD(attr, how, type, member)                                  \
	RTNL_FIELD(attr, RTNL_READ_##how, type, member, 0)

/* VETH_INFO_PEER: a whole ifinfomsg, then the peer's IFLA_*
 * (veth_newlink(), drivers/net/veth.c). */
static const struct linx_nl_policy veth_policy[VETH_INFO_MAX + 1] = {
	[VETH_INFO_PEER] = { LINX_NL_MIN, sizeof(struct ifinfomsg) },
};
static const struct linx_nl_policy veth_peer_policy[IFLA_IFNAME + 1] = {
	[IFLA_IFNAME] = { LINX_NL_ANY, 0 },
};

static int decode_veth(const struct nlattr *data, struct linx_rtnl_veth *v)
{
	const struct nlattr *tb[VETH_INFO_MAX + 1], *peer[IFLA_IFNAME + 1];
	const struct ifinfomsg *ifi;
	size_t len;

	if (linx_nl_parse_nested(data, veth_policy, VETH_INFO_MAX, tb) != 0)
		return -EBADMSG;
	if (!tb[VETH_INFO_PEER])
		return 0;
	ifi = mnl_attr_get_payload(tb[VETH_INFO_PEER]);
	len = mnl_attr_get_payload_len(tb[VETH_INFO_PEER]);
	v->has_peer = true;
	v->peer_index = ifi->ifi_index;
	linx_nl_parse(ifi + 1, len - sizeof(*ifi), veth_peer_policy,
		      IFLA_IFNAME, peer);
	if (peer[IFLA_IFNAME])
		linx_nl_str(peer[IFLA_IFNAME], v->peer_name,
			    sizeof(v->peer_name));
	return 0;
}

static const struct linx_nl_policy macvlan_policy[IFLA_MACVLAN_MAX + 1] = {
	[IFLA_MACVLAN_MODE] = { LINX_NL_U32, 0 },
	[IFLA_MACVLAN_FLAGS] = { LINX_NL_U16, 0 },
};
static const struct rtnl_field macvlan_fields[] = {
	KIND_FIELD(IFLA_MACVLAN_MODE, U32, struct linx_rtnl_macvlan, mode),
	KIND_FIELD(IFLA_MACVLAN_FLAGS, U16, struct linx_rtnl_macvlan, flags),
};

static const struct linx_nl_policy ipvlan_policy[IFLA_IPVLAN_MAX + 1] = {
	[IFLA_IPVLAN_MODE] = { LINX_NL_U16, 0 },
	[IFLA_IPVLAN_FLAGS] = { LINX_NL_U16, 0 },
};
static const struct rtnl_field ipvlan_fields[] = {
	KIND_FIELD(IFLA_IPVLAN_MODE, U16, struct linx_rtnl_ipvlan, mode),
	KIND_FIELD(IFLA_IPVLAN_FLAGS, U16, struct linx_rtnl_ipvlan, flags),
};

static const struct linx_nl_policy vlan_policy[IFLA_VLAN_MAX + 1] = {
	[IFLA_VLAN_ID] = { LINX_NL_U16, 0 },
	[IFLA_VLAN_PROTOCOL] = { LINX_NL_U16, 0 }, /* __be16 */
	/* struct ifla_vlan_flags { flags; mask; }: we keep the flags. */
	[IFLA_VLAN_FLAGS] = { LINX_NL_U32, 0 },
};
static const struct rtnl_field vlan_fields[] = {
	KIND_FIELD(IFLA_VLAN_ID, U16, struct linx_rtnl_vlan, id),
	KIND_FIELD(IFLA_VLAN_PROTOCOL, U16, struct linx_rtnl_vlan, protocol),
	KIND_FIELD(IFLA_VLAN_FLAGS, U32, struct linx_rtnl_vlan, flags),
};

static int decode_vlan(const struct nlattr *data, struct linx_rtnl_vlan *v)
{
	int r = DECODE_DATA(data, vlan_policy, IFLA_VLAN_MAX, vlan_fields, v);

	v->protocol = ntohs(v->protocol);
	return r;
}

static const struct linx_nl_policy bridge_policy[IFLA_BR_MAX + 1] = {
	[IFLA_BR_FORWARD_DELAY] = { LINX_NL_U32, 0 },
	[IFLA_BR_HELLO_TIME] = { LINX_NL_U32, 0 },
	[IFLA_BR_MAX_AGE] = { LINX_NL_U32, 0 },
	[IFLA_BR_AGEING_TIME] = { LINX_NL_U32, 0 },
	[IFLA_BR_STP_STATE] = { LINX_NL_U32, 0 },
	[IFLA_BR_PRIORITY] = { LINX_NL_U16, 0 },
	[IFLA_BR_VLAN_FILTERING] = { LINX_NL_U8, 0 },
};

#define BR_FIELD(attr, how, member)                                          \
	KIND_FIELD(attr, how, struct linx_rtnl_bridge, member)
static const struct rtnl_field bridge_fields[] = {
	BR_FIELD(IFLA_BR_FORWARD_DELAY, U32, forward_delay),
	BR_FIELD(IFLA_BR_HELLO_TIME, U32, hello_time),
	BR_FIELD(IFLA_BR_MAX_AGE, U32, max_age),
	BR_FIELD(IFLA_BR_AGEING_TIME, U32, ageing_time),
	BR_FIELD(IFLA_BR_STP_STATE, U32, stp_state),
	BR_FIELD(IFLA_BR_PRIORITY, U16, priority),
	BR_FIELD(IFLA_BR_VLAN_FILTERING, U8, vlan_filtering),
};

static const struct linx_nl_policy linkinfo_policy[IFLA_INFO_MAX + 1] = {
	/* Read up to the first NUL, terminated or not. */
	[IFLA_INFO_KIND] = { LINX_NL_ANY, 0 },
	[IFLA_INFO_SLAVE_KIND] = { LINX_NL_ANY, 0 },
	[IFLA_INFO_DATA] = { LINX_NL_ANY, 0 },
};

/* IFLA_INFO_DATA of a kind we know. */
static int decode_kind_data(const struct nlattr *data,
			    struct linx_rtnl_linkinfo *ret)
{
	switch (ret->kind_id) {
	case LINX_RTNL_KIND_VETH:
		return decode_veth(data, &ret->data.veth);
	case LINX_RTNL_KIND_MACVLAN:
		return DECODE_DATA(data, macvlan_policy, IFLA_MACVLAN_MAX,
				   macvlan_fields, &ret->data.macvlan);
	case LINX_RTNL_KIND_IPVLAN:
		return DECODE_DATA(data, ipvlan_policy, IFLA_IPVLAN_MAX,
				   ipvlan_fields, &ret->data.ipvlan);
	case LINX_RTNL_KIND_VLAN:
		return decode_vlan(data, &ret->data.vlan);
	case LINX_RTNL_KIND_BRIDGE:
		return DECODE_DATA(data, bridge_policy, IFLA_BR_MAX,
				   bridge_fields, &ret->data.bridge);
	default:
		return 0;
	}
}

int rtnl_linkinfo_decode(const struct nlattr *nest,
			 struct linx_rtnl_linkinfo *ret)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];

	memset(ret, 0, sizeof(*ret));
	/* The kind decides how to read the data, whatever their order. */
	linx_nl_parse_nested(nest, linkinfo_policy, IFLA_INFO_MAX, tb);
	linx_nl_str(tb[IFLA_INFO_KIND], ret->kind, sizeof(ret->kind));
	linx_nl_str(tb[IFLA_INFO_SLAVE_KIND], ret->slave_kind,
		    sizeof(ret->slave_kind));
	for (size_t i = 0; i < RTNL_ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, ret->kind) == 0)
			ret->kind_id = kinds[i].id;
	if (!tb[IFLA_INFO_DATA])
		return 0;
	ret->has_data = true;
	return decode_kind_data(tb[IFLA_INFO_DATA], ret);
}

void rtnl_stats64_decode(const void *data, size_t len,
			 struct linx_rtnl_link_stats64 *ret)
{
	size_t n = len / sizeof(uint64_t);

	/* 24 counters before Linux 5.19, 25 since; a longer payload from a
	 * newer kernel keeps the ones we know. */
	memset(ret, 0, sizeof(*ret));
	if (n > LINX_RTNL_STATS64_COUNTERS)
		n = LINX_RTNL_STATS64_COUNTERS;
	memcpy(ret, data, n * sizeof(uint64_t));
	ret->n_counters = (uint32_t)n;
}
