/* SPDX-License-Identifier: MIT */
/*
 * Names for the numbers rtnetlink uses, spelled as iproute2 prints them so
 * that `ip -j` users recognise them (ip-link(8), ip-route(8)).
 */
#include "rtnl-internal.h"

#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <errno.h>
#include <string.h>

#define NAME_OR_NULL(table, v)                                               \
	((size_t)(v) < RTNL_ARRAY_SIZE(table) ? (table)[v] : NULL)

static int lookup(const char *const *table, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (table[i] && strcmp(table[i], name) == 0)
			return (int)i;
	return -1;
}

/* IFF_* bits, include/uapi/linux/if.h; iproute2 spells a few with '-'. */
static const char *const iff_names[32] = {
	[0] = "UP",	      [1] = "BROADCAST",   [2] = "DEBUG",
	[3] = "LOOPBACK",     [4] = "POINTOPOINT", [5] = "NOTRAILERS",
	[6] = "RUNNING",      [7] = "NOARP",	   [8] = "PROMISC",
	[9] = "ALLMULTI",     [10] = "MASTER",	   [11] = "SLAVE",
	[12] = "MULTICAST",   [13] = "PORTSEL",	   [14] = "AUTOMEDIA",
	[15] = "DYNAMIC",     [16] = "LOWER_UP",   [17] = "DORMANT",
	[18] = "ECHO",
};

const char *linx_rtnl_iff_name(unsigned bit)
{
	return NAME_OR_NULL(iff_names, bit);
}

/* IF_OPER_*, RFC 2863 as listed in include/uapi/linux/if.h. */
static const char *const oper_names[] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
	"TESTING", "DORMANT",	 "UP",
};

const char *linx_rtnl_operstate_name(unsigned v)
{
	return NAME_OR_NULL(oper_names, v);
}

const char *linx_rtnl_link_type_name(unsigned v)
{
	/* ARPHRD_*, include/uapi/linux/if_arp.h; the common ones. */
	switch (v) {
	case ARPHRD_ETHER: return "ether";
	case ARPHRD_LOOPBACK: return "loopback";
	case ARPHRD_NONE: return "none";
	case ARPHRD_VOID: return "void";
	case ARPHRD_SIT: return "sit";
	case ARPHRD_TUNNEL: return "ipip";
	case ARPHRD_TUNNEL6: return "tunnel6";
	case ARPHRD_IPGRE: return "gre";
	case ARPHRD_IP6GRE: return "gre6";
	case ARPHRD_INFINIBAND: return "infiniband";
	case ARPHRD_PPP: return "ppp";
	case ARPHRD_IEEE80211: return "ieee802.11";
	case ARPHRD_CAN: return "can";
	default: return NULL;
	}
}

/* RT_SCOPE_*, include/uapi/linux/rtnetlink.h. */
const char *linx_rtnl_scope_name(unsigned v)
{
	switch (v) {
	case RT_SCOPE_UNIVERSE: return "global";
	case RT_SCOPE_SITE: return "site";
	case RT_SCOPE_LINK: return "link";
	case RT_SCOPE_HOST: return "host";
	case RT_SCOPE_NOWHERE: return "nowhere";
	default: return NULL;
	}
}

int linx_rtnl_scope_from_name(const char *name)
{
	static const struct { const char *n; int v; } t[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
		{ "site", RT_SCOPE_SITE },	 { "link", RT_SCOPE_LINK },
		{ "host", RT_SCOPE_HOST },	 { "nowhere", RT_SCOPE_NOWHERE },
	};

	for (size_t i = 0; name && i < RTNL_ARRAY_SIZE(t); i++)
		if (strcmp(t[i].n, name) == 0)
			return t[i].v;
	return -1;
}

/* RTPROT_*, include/uapi/linux/rtnetlink.h (and iproute2's rt_protos). */
static const char *const proto_names[256] = {
	[RTPROT_UNSPEC] = "unspec", [RTPROT_REDIRECT] = "redirect",
	[RTPROT_KERNEL] = "kernel", [RTPROT_BOOT] = "boot",
	[RTPROT_STATIC] = "static", [RTPROT_GATED] = "gated",
	[RTPROT_RA] = "ra",	    [RTPROT_MRT] = "mrt",
	[RTPROT_ZEBRA] = "zebra",   [RTPROT_BIRD] = "bird",
	[RTPROT_DNROUTED] = "dnrouted", [RTPROT_XORP] = "xorp",
	[RTPROT_NTK] = "ntk",	    [RTPROT_DHCP] = "dhcp",
	[RTPROT_MROUTED] = "mrouted", [RTPROT_KEEPALIVED] = "keepalived",
	[RTPROT_BABEL] = "babel",   [RTPROT_BGP] = "bgp",
	[RTPROT_ISIS] = "isis",	    [RTPROT_OSPF] = "ospf",
	[RTPROT_RIP] = "rip",	    [RTPROT_EIGRP] = "eigrp",
};

const char *linx_rtnl_protocol_name(unsigned v)
{
	return NAME_OR_NULL(proto_names, v);
}

int linx_rtnl_protocol_from_name(const char *name)
{
	return lookup(proto_names, RTNL_ARRAY_SIZE(proto_names), name);
}

/* RTN_*, include/uapi/linux/rtnetlink.h. */
static const char *const rtn_names[] = {
	[RTN_UNSPEC] = "none",		[RTN_UNICAST] = "unicast",
	[RTN_LOCAL] = "local",		[RTN_BROADCAST] = "broadcast",
	[RTN_ANYCAST] = "anycast",	[RTN_MULTICAST] = "multicast",
	[RTN_BLACKHOLE] = "blackhole",	[RTN_UNREACHABLE] = "unreachable",
	[RTN_PROHIBIT] = "prohibit",	[RTN_THROW] = "throw",
	[RTN_NAT] = "nat",		[RTN_XRESOLVE] = "xresolve",
};

const char *linx_rtnl_route_type_name(unsigned v)
{
	return NAME_OR_NULL(rtn_names, v);
}

int linx_rtnl_route_type_from_name(const char *name)
{
	return lookup(rtn_names, RTNL_ARRAY_SIZE(rtn_names), name);
}

/* NUD_* bits, include/uapi/linux/neighbour.h. */
static const char *const nud_names[8] = {
	"INCOMPLETE", "REACHABLE", "STALE",  "DELAY",
	"PROBE",      "FAILED",	   "NOARP",  "PERMANENT",
};

const char *linx_rtnl_nud_name(unsigned bit)
{
	return NAME_OR_NULL(nud_names, bit);
}

/* MACVLAN_MODE_* are bits, include/uapi/linux/if_link.h. */
static const struct {
	const char *name;
	uint32_t mode;
} macvlan_modes[] = {
	{ "private", MACVLAN_MODE_PRIVATE },	{ "vepa", MACVLAN_MODE_VEPA },
	{ "bridge", MACVLAN_MODE_BRIDGE },	{ "passthru", MACVLAN_MODE_PASSTHRU },
	{ "source", MACVLAN_MODE_SOURCE },
};

const char *linx_rtnl_macvlan_mode_name(uint32_t mode)
{
	for (size_t i = 0; i < RTNL_ARRAY_SIZE(macvlan_modes); i++)
		if (macvlan_modes[i].mode == mode)
			return macvlan_modes[i].name;
	return NULL;
}

int linx_rtnl_macvlan_mode_from_name(const char *name, uint32_t *ret)
{
	for (size_t i = 0; name && ret && i < RTNL_ARRAY_SIZE(macvlan_modes);
	     i++)
		if (strcmp(macvlan_modes[i].name, name) == 0) {
			*ret = macvlan_modes[i].mode;
			return 0;
		}
	return -EINVAL;
}

static const char *const ipvlan_modes[] = { "l2", "l3", "l3s" };

const char *linx_rtnl_ipvlan_mode_name(uint16_t mode)
{
	return NAME_OR_NULL(ipvlan_modes, mode);
}

int linx_rtnl_ipvlan_mode_from_name(const char *name, uint16_t *ret)
{
	int v = lookup(ipvlan_modes, RTNL_ARRAY_SIZE(ipvlan_modes), name);

	if (v < 0 || !ret)
		return -EINVAL;
	*ret = (uint16_t)v;
	return 0;
}

const char *linx_rtnl_table_name(uint32_t table)
{
	switch (table) {
	case RT_TABLE_MAIN: return "main";
	case RT_TABLE_LOCAL: return "local";
	case RT_TABLE_DEFAULT: return "default";
	default: return NULL;
	}
}

const char *linx_rtnl_family_name(unsigned family)
{
	switch (family) {
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_BRIDGE: return "bridge";
	case AF_UNSPEC: return "unspec";
	default: return NULL;
	}
}

static const char *const stats64_names[LINX_RTNL_STATS64_COUNTERS] = {
	"rx_packets",	     "tx_packets",	  "rx_bytes",
	"tx_bytes",	     "rx_errors",	  "tx_errors",
	"rx_dropped",	     "tx_dropped",	  "multicast",
	"collisions",	     "rx_length_errors",  "rx_over_errors",
	"rx_crc_errors",     "rx_frame_errors",	  "rx_fifo_errors",
	"rx_missed_errors",  "tx_aborted_errors", "tx_carrier_errors",
	"tx_fifo_errors",    "tx_heartbeat_errors", "tx_window_errors",
	"rx_compressed",     "tx_compressed",	  "rx_nohandler",
	"rx_otherhost_dropped",
};

const char *linx_rtnl_stats64_name(unsigned i)
{
	return NAME_OR_NULL(stats64_names, i);
}

uint64_t linx_rtnl_stats64_value(const struct linx_rtnl_link_stats64 *s,
				 unsigned i)
{
	uint64_t v;

	if (!s || i >= LINX_RTNL_STATS64_COUNTERS)
		return 0;
	/* The counters are the struct's first 25 members, all uint64_t. */
	memcpy(&v, (const char *)s + i * sizeof(uint64_t), sizeof(v));
	return v;
}
