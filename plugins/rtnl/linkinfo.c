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

static int decode_veth(const struct nlattr *data, struct linx_rtnl_veth *v)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, data)
	{
		const struct ifinfomsg *ifi;
		const struct nlattr *attr;
		size_t len;

		if (mnl_attr_get_type(a) != VETH_INFO_PEER)
			continue;
		/* The payload is a whole ifinfomsg followed by IFLA_*. */
		len = mnl_attr_get_payload_len(a);
		if (len < sizeof(*ifi))
			return -EBADMSG;
		ifi = mnl_attr_get_payload(a);
		v->has_peer = true;
		v->peer_index = ifi->ifi_index;
		mnl_attr_for_each_payload((const void *)(ifi + 1),
					  len - sizeof(*ifi))
		{
			if (mnl_attr_get_type(attr) == IFLA_IFNAME)
				rtnl_get_str(attr, v->peer_name,
					     sizeof(v->peer_name));
		}
	}
	return 0;
}

static int decode_macvlan(const struct nlattr *data,
			  struct linx_rtnl_macvlan *m)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, data)
	{
		bool ok = true;

		switch (mnl_attr_get_type(a)) {
		case IFLA_MACVLAN_MODE:
			ok = rtnl_get_u32(a, &m->mode);
			break;
		case IFLA_MACVLAN_FLAGS:
			ok = rtnl_get_u16(a, &m->flags);
			break;
		}
		if (!ok)
			return -EBADMSG;
	}
	return 0;
}

static int decode_ipvlan(const struct nlattr *data, struct linx_rtnl_ipvlan *v)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, data)
	{
		bool ok = true;

		switch (mnl_attr_get_type(a)) {
		case IFLA_IPVLAN_MODE:
			ok = rtnl_get_u16(a, &v->mode);
			break;
		case IFLA_IPVLAN_FLAGS:
			ok = rtnl_get_u16(a, &v->flags);
			break;
		}
		if (!ok)
			return -EBADMSG;
	}
	return 0;
}

static int decode_vlan(const struct nlattr *data, struct linx_rtnl_vlan *v)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, data)
	{
		bool ok = true;
		uint16_t proto;

		switch (mnl_attr_get_type(a)) {
		case IFLA_VLAN_ID:
			ok = rtnl_get_u16(a, &v->id);
			break;
		case IFLA_VLAN_PROTOCOL:
			/* __be16 on the wire. */
			ok = rtnl_get_u16(a, &proto);
			v->protocol = ntohs(proto);
			break;
		case IFLA_VLAN_FLAGS:
			/* struct ifla_vlan_flags { flags; mask; } */
			ok = rtnl_get_u32(a, &v->flags);
			break;
		}
		if (!ok)
			return -EBADMSG;
	}
	return 0;
}

static int decode_bridge(const struct nlattr *data, struct linx_rtnl_bridge *b)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, data)
	{
		bool ok = true;

		switch (mnl_attr_get_type(a)) {
		case IFLA_BR_FORWARD_DELAY:
			ok = rtnl_get_u32(a, &b->forward_delay);
			break;
		case IFLA_BR_HELLO_TIME:
			ok = rtnl_get_u32(a, &b->hello_time);
			break;
		case IFLA_BR_MAX_AGE:
			ok = rtnl_get_u32(a, &b->max_age);
			break;
		case IFLA_BR_AGEING_TIME:
			ok = rtnl_get_u32(a, &b->ageing_time);
			break;
		case IFLA_BR_STP_STATE:
			ok = rtnl_get_u32(a, &b->stp_state);
			break;
		case IFLA_BR_PRIORITY:
			ok = rtnl_get_u16(a, &b->priority);
			break;
		case IFLA_BR_VLAN_FILTERING:
			ok = rtnl_get_u8(a, &b->vlan_filtering);
			break;
		}
		if (!ok)
			return -EBADMSG;
	}
	return 0;
}

int rtnl_linkinfo_decode(const struct nlattr *nest,
			 struct linx_rtnl_linkinfo *ret)
{
	const struct nlattr *a, *data = NULL;

	memset(ret, 0, sizeof(*ret));
	/* The kind decides how to read the data, whatever their order. */
	mnl_attr_for_each_nested(a, nest)
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_INFO_KIND:
			rtnl_get_str(a, ret->kind, sizeof(ret->kind));
			break;
		case IFLA_INFO_SLAVE_KIND:
			rtnl_get_str(a, ret->slave_kind, sizeof(ret->slave_kind));
			break;
		case IFLA_INFO_DATA:
			data = a;
			break;
		}
	}
	for (size_t i = 0; i < RTNL_ARRAY_SIZE(kinds); i++)
		if (strcmp(kinds[i].name, ret->kind) == 0)
			ret->kind_id = kinds[i].id;
	if (!data)
		return 0;
	ret->has_data = true;
	switch (ret->kind_id) {
	case LINX_RTNL_KIND_VETH:
		return decode_veth(data, &ret->data.veth);
	case LINX_RTNL_KIND_MACVLAN:
		return decode_macvlan(data, &ret->data.macvlan);
	case LINX_RTNL_KIND_IPVLAN:
		return decode_ipvlan(data, &ret->data.ipvlan);
	case LINX_RTNL_KIND_VLAN:
		return decode_vlan(data, &ret->data.vlan);
	case LINX_RTNL_KIND_BRIDGE:
		return decode_bridge(data, &ret->data.bridge);
	default:
		return 0;
	}
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
