/* SPDX-License-Identifier: MIT */
/*
 * The expression tables (expr.h): for each kernel expression, its
 * attributes in the order nftables 1.0.6 (libnftnl) writes them, with the
 * value key, the wire kind and the names of enumerations and flag bits.
 * Numbers from linux/netfilter/nf_tables.h and linux/netfilter/nf_nat.h;
 * names as the spec and the nft(8) keywords give them, lower case with
 * underscores.
 */
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>
#include <string.h>

#include "expr.h"

#define INT(a, w, n) { (a), NFT_F_INT, (w), (n), NULL, 0, false, NULL, NULL }
#define REG(a, n) { (a), NFT_F_REG, 4, (n), NULL, 0, false, NULL, NULL }
#define REG_R(a, n) { (a), NFT_F_REG, 4, (n), NULL, 0, true, NULL, NULL }
#define STR(a, n) { (a), NFT_F_STR, 0, (n), NULL, 0, false, NULL, NULL }
#define STR_R(a, n) { (a), NFT_F_STR, 0, (n), NULL, 0, true, NULL, NULL }
#define ENUM(a, w, n, s) { (a), NFT_F_ENUM, (w), (n), (s), 0, false, NULL, NULL }
#define ENUM_R(a, w, n, s) { (a), NFT_F_ENUM, (w), (n), (s), 0, true, NULL, NULL }
#define FLAGS(a, w, n, s) { (a), NFT_F_FLAGS, (w), (n), (s), 0, false, NULL, NULL }
#define DATA(a, n) { (a), NFT_F_DATA, 0, (n), NULL, 0, false, NULL, NULL }
#define DATA_R(a, n) { (a), NFT_F_DATA, 0, (n), NULL, 0, true, NULL, NULL }
#define VERDICT(a, n) { (a), NFT_F_VERDICT, 0, (n), NULL, 0, false, NULL, NULL }

#define DEF(nm, mx, tbl, nat) { (nm), (mx), (tbl), NFT_ARRAY_SIZE(tbl), (nat) }

/* ---- enumerations -------------------------------------------------------- */

static const struct nft_sym cmp_ops[] = {
	{ "eq", NFT_CMP_EQ }, { "neq", NFT_CMP_NEQ }, { "lt", NFT_CMP_LT },
	{ "lte", NFT_CMP_LTE }, { "gt", NFT_CMP_GT }, { "gte", NFT_CMP_GTE },
	{ NULL, 0 },
};

static const struct nft_sym payload_bases[] = {
	{ "link", NFT_PAYLOAD_LL_HEADER },
	{ "network", NFT_PAYLOAD_NETWORK_HEADER },
	{ "transport", NFT_PAYLOAD_TRANSPORT_HEADER },
	{ "inner", 3 /* NFT_PAYLOAD_INNER_HEADER */ },
	{ NULL, 0 },
};

static const struct nft_sym csum_types[] = {
	{ "none", NFT_PAYLOAD_CSUM_NONE },
	{ "inet", NFT_PAYLOAD_CSUM_INET },
	{ "sctp", 2 /* NFT_PAYLOAD_CSUM_SCTP */ },
	{ NULL, 0 },
};

static const struct nft_sym csum_flags[] = {
	{ "pseudohdr", NFT_PAYLOAD_L4CSUM_PSEUDOHDR },
	{ NULL, 0 },
};

static const struct nft_sym meta_keys[] = {
	{ "len", NFT_META_LEN },
	{ "protocol", NFT_META_PROTOCOL },
	{ "priority", NFT_META_PRIORITY },
	{ "mark", NFT_META_MARK },
	{ "iif", NFT_META_IIF },
	{ "oif", NFT_META_OIF },
	{ "iifname", NFT_META_IIFNAME },
	{ "oifname", NFT_META_OIFNAME },
	{ "iiftype", NFT_META_IIFTYPE },
	{ "oiftype", NFT_META_OIFTYPE },
	{ "skuid", NFT_META_SKUID },
	{ "skgid", NFT_META_SKGID },
	{ "nftrace", NFT_META_NFTRACE },
	{ "rtclassid", NFT_META_RTCLASSID },
	{ "secmark", NFT_META_SECMARK },
	{ "nfproto", NFT_META_NFPROTO },
	{ "l4proto", NFT_META_L4PROTO },
	{ "bri_iifname", NFT_META_BRI_IIFNAME },
	{ "bri_oifname", NFT_META_BRI_OIFNAME },
	{ "pkttype", NFT_META_PKTTYPE },
	{ "cpu", NFT_META_CPU },
	{ "iifgroup", NFT_META_IIFGROUP },
	{ "oifgroup", NFT_META_OIFGROUP },
	{ "cgroup", NFT_META_CGROUP },
	{ "prandom", NFT_META_PRANDOM },
	{ "secpath", NFT_META_SECPATH },
	{ "iifkind", NFT_META_IIFKIND },
	{ "oifkind", NFT_META_OIFKIND },
	{ "bri_iifpvid", NFT_META_BRI_IIFPVID },
	{ "bri_iifvproto", NFT_META_BRI_IIFVPROTO },
	{ "time_ns", NFT_META_TIME_NS },
	{ "time_day", NFT_META_TIME_DAY },
	{ "time_hour", NFT_META_TIME_HOUR },
	{ "sdif", NFT_META_SDIF },
	{ "sdifname", NFT_META_SDIFNAME },
	{ "bri_broute", 35 /* NFT_META_BRI_BROUTE, 6.4+ */ },
	{ NULL, 0 },
};

/* nft(8)'s names where they differ from the UAPI's (src/meta.c). */
static const struct nft_sym meta_aliases[] = {
	{ "length", NFT_META_LEN },
	{ "ibrname", NFT_META_BRI_IIFNAME },
	{ "obrname", NFT_META_BRI_OIFNAME },
	{ "random", NFT_META_PRANDOM },
	{ "ipsec", NFT_META_SECPATH },
	{ "ibrpvid", NFT_META_BRI_IIFPVID },
	{ "ibrvproto", NFT_META_BRI_IIFVPROTO },
	{ "time", NFT_META_TIME_NS },
	{ "day", NFT_META_TIME_DAY },
	{ "hour", NFT_META_TIME_HOUR },
	{ "broute", 35 },
	{ NULL, 0 },
};

static const struct nft_sym ct_keys[] = {
	{ "state", NFT_CT_STATE },
	{ "direction", NFT_CT_DIRECTION },
	{ "status", NFT_CT_STATUS },
	{ "mark", NFT_CT_MARK },
	{ "secmark", NFT_CT_SECMARK },
	{ "expiration", NFT_CT_EXPIRATION },
	{ "helper", NFT_CT_HELPER },
	{ "l3protocol", NFT_CT_L3PROTOCOL },
	{ "saddr", NFT_CT_SRC },
	{ "daddr", NFT_CT_DST },
	{ "protocol", NFT_CT_PROTOCOL },
	{ "proto_src", NFT_CT_PROTO_SRC },
	{ "proto_dst", NFT_CT_PROTO_DST },
	{ "labels", NFT_CT_LABELS },
	{ "packets", NFT_CT_PKTS },
	{ "bytes", NFT_CT_BYTES },
	{ "avgpkt", NFT_CT_AVGPKT },
	{ "zone", NFT_CT_ZONE },
	{ "eventmask", NFT_CT_EVENTMASK },
	{ "ip_saddr", NFT_CT_SRC_IP },
	{ "ip_daddr", NFT_CT_DST_IP },
	{ "ip6_saddr", NFT_CT_SRC_IP6 },
	{ "ip6_daddr", NFT_CT_DST_IP6 },
	{ "id", NFT_CT_ID },
	{ NULL, 0 },
};

static const struct nft_sym ct_dirs[] = {
	{ "original", 0 /* IP_CT_DIR_ORIGINAL */ },
	{ "reply", 1 /* IP_CT_DIR_REPLY */ },
	{ NULL, 0 },
};

static const struct nft_sym bitwise_ops[] = {
	{ "bool", NFT_BITWISE_BOOL },
	{ "lshift", NFT_BITWISE_LSHIFT },
	{ "rshift", NFT_BITWISE_RSHIFT },
	{ NULL, 0 },
};

static const struct nft_sym inv_flags[] = {
	{ "inv", 1 }, /* NFT_LOOKUP_F_INV, NFT_LIMIT_F_INV, ... */
	{ NULL, 0 },
};

static const struct nft_sym log_levels[] = {
	{ "emerg", NFT_LOGLEVEL_EMERG },     { "alert", NFT_LOGLEVEL_ALERT },
	{ "crit", NFT_LOGLEVEL_CRIT },	     { "err", NFT_LOGLEVEL_ERR },
	{ "warn", NFT_LOGLEVEL_WARNING },    { "notice", NFT_LOGLEVEL_NOTICE },
	{ "info", NFT_LOGLEVEL_INFO },	     { "debug", NFT_LOGLEVEL_DEBUG },
	{ "audit", NFT_LOGLEVEL_AUDIT },     { NULL, 0 },
};

static const struct nft_sym log_flags[] = {
	{ "tcp_seq", NF_LOG_TCPSEQ },	{ "tcp_opt", NF_LOG_TCPOPT },
	{ "ip_opt", NF_LOG_IPOPT },	{ "uid", NF_LOG_UID },
	{ "nflog", NF_LOG_NFLOG },	{ "macdecode", NF_LOG_MACDECODE },
	{ NULL, 0 },
};

static const struct nft_sym nat_types[] = {
	{ "snat", NFT_NAT_SNAT }, { "dnat", NFT_NAT_DNAT }, { NULL, 0 },
};

static const struct nft_sym l3_families[] = {
	{ "ip", NFPROTO_IPV4 }, { "ip6", NFPROTO_IPV6 },
	{ "inet", NFPROTO_INET }, { "unspec", NFPROTO_UNSPEC },
	{ NULL, 0 },
};

static const struct nft_sym nat_flags[] = {
	{ "map_ips", NF_NAT_RANGE_MAP_IPS },
	{ "proto_specified", NF_NAT_RANGE_PROTO_SPECIFIED },
	{ "random", NF_NAT_RANGE_PROTO_RANDOM },
	{ "persistent", NF_NAT_RANGE_PERSISTENT },
	{ "fully_random", NF_NAT_RANGE_PROTO_RANDOM_FULLY },
	{ "proto_offset", NF_NAT_RANGE_PROTO_OFFSET },
	{ "netmap", 0x40 /* NF_NAT_RANGE_NETMAP, 6.2+ */ },
	{ NULL, 0 },
};

static const struct nft_sym reject_types[] = {
	{ "icmp_unreach", NFT_REJECT_ICMP_UNREACH },
	{ "tcp_reset", NFT_REJECT_TCP_RST },
	{ "icmpx_unreach", NFT_REJECT_ICMPX_UNREACH },
	{ NULL, 0 },
};

static const struct nft_sym range_ops[] = {
	{ "eq", NFT_RANGE_EQ }, { "neq", NFT_RANGE_NEQ }, { NULL, 0 },
};

static const struct nft_sym limit_units[] = {
	{ "second", 1 },     { "minute", 60 },	 { "hour", 3600 },
	{ "day", 86400 },    { "week", 604800 }, { NULL, 0 },
};

static const struct nft_sym limit_types[] = {
	{ "packets", NFT_LIMIT_PKTS },
	{ "bytes", NFT_LIMIT_PKT_BYTES },
	{ NULL, 0 },
};

static const struct nft_sym quota_flags[] = {
	{ "inv", NFT_QUOTA_F_INV },
	{ "depleted", NFT_QUOTA_F_DEPLETED },
	{ NULL, 0 },
};

static const struct nft_sym object_types[] = {
	{ "counter", NFT_OBJECT_COUNTER },
	{ "quota", NFT_OBJECT_QUOTA },
	{ "ct_helper", NFT_OBJECT_CT_HELPER },
	{ "limit", NFT_OBJECT_LIMIT },
	{ "connlimit", NFT_OBJECT_CONNLIMIT },
	{ "tunnel", NFT_OBJECT_TUNNEL },
	{ "ct_timeout", NFT_OBJECT_CT_TIMEOUT },
	{ "secmark", NFT_OBJECT_SECMARK },
	{ "ct_expect", NFT_OBJECT_CT_EXPECT },
	{ "synproxy", NFT_OBJECT_SYNPROXY },
	{ NULL, 0 },
};

static const struct nft_sym dynset_ops[] = {
	{ "add", NFT_DYNSET_OP_ADD },
	{ "update", NFT_DYNSET_OP_UPDATE },
	{ "delete", 2 /* NFT_DYNSET_OP_DELETE */ },
	{ NULL, 0 },
};

static const struct nft_sym dynset_flags[] = {
	{ "inv", NFT_DYNSET_F_INV },
	{ "expr", NFT_DYNSET_F_EXPR },
	{ NULL, 0 },
};

static const struct nft_sym exthdr_ops[] = {
	{ "ipv6", NFT_EXTHDR_OP_IPV6 },
	{ "tcpopt", NFT_EXTHDR_OP_TCPOPT },
	{ "ipv4", NFT_EXTHDR_OP_IPV4 },
	{ "sctp", 3 /* NFT_EXTHDR_OP_SCTP */ },
	{ "dccp", 4 /* NFT_EXTHDR_OP_DCCP */ },
	{ NULL, 0 },
};

static const struct nft_sym exthdr_flags[] = {
	{ "present", NFT_EXTHDR_F_PRESENT },
	{ NULL, 0 },
};

static const struct nft_sym rt_keys[] = {
	{ "classid", NFT_RT_CLASSID },
	{ "nexthop4", NFT_RT_NEXTHOP4 },
	{ "nexthop6", NFT_RT_NEXTHOP6 },
	{ "tcpmss", NFT_RT_TCPMSS },
	{ "xfrm", NFT_RT_XFRM },
	{ NULL, 0 },
};

static const struct nft_sym fib_results[] = {
	{ "oif", NFT_FIB_RESULT_OIF },
	{ "oifname", NFT_FIB_RESULT_OIFNAME },
	{ "addrtype", NFT_FIB_RESULT_ADDRTYPE },
	{ NULL, 0 },
};

static const struct nft_sym fib_flags[] = {
	{ "saddr", NFTA_FIB_F_SADDR }, { "daddr", NFTA_FIB_F_DADDR },
	{ "mark", NFTA_FIB_F_MARK },   { "iif", NFTA_FIB_F_IIF },
	{ "oif", NFTA_FIB_F_OIF },     { "present", NFTA_FIB_F_PRESENT },
	{ NULL, 0 },
};

static const struct nft_sym queue_flags[] = {
	{ "bypass", NFT_QUEUE_FLAG_BYPASS },
	{ "fanout", NFT_QUEUE_FLAG_CPU_FANOUT },
	{ NULL, 0 },
};

static const struct nft_sym byteorder_ops[] = {
	{ "ntoh", NFT_BYTEORDER_NTOH }, { "hton", NFT_BYTEORDER_HTON },
	{ NULL, 0 },
};

static const struct nft_sym ng_types[] = {
	{ "inc", NFT_NG_INCREMENTAL }, { "random", NFT_NG_RANDOM },
	{ NULL, 0 },
};

static const struct nft_sym hash_types[] = {
	{ "jhash", NFT_HASH_JENKINS }, { "symhash", NFT_HASH_SYM },
	{ NULL, 0 },
};

static const struct nft_sym socket_keys[] = {
	{ "transparent", NFT_SOCKET_TRANSPARENT },
	{ "mark", NFT_SOCKET_MARK },
	{ "wildcard", NFT_SOCKET_WILDCARD },
	{ "cgroupv2", NFT_SOCKET_CGROUPV2 },
	{ NULL, 0 },
};

static const struct nft_sym synproxy_flags[] = {
	{ "mss", NF_SYNPROXY_OPT_MSS },
	{ "wscale", NF_SYNPROXY_OPT_WSCALE },
	{ "sack_perm", NF_SYNPROXY_OPT_SACK_PERM },
	{ "timestamp", NF_SYNPROXY_OPT_TIMESTAMP },
	{ "ecn", NF_SYNPROXY_OPT_ECN },
	{ NULL, 0 },
};

static const struct nft_sym xfrm_keys[] = {
	{ "daddr_ip4", NFT_XFRM_KEY_DADDR_IP4 },
	{ "daddr_ip6", NFT_XFRM_KEY_DADDR_IP6 },
	{ "saddr_ip4", NFT_XFRM_KEY_SADDR_IP4 },
	{ "saddr_ip6", NFT_XFRM_KEY_SADDR_IP6 },
	{ "reqid", NFT_XFRM_KEY_REQID },
	{ "spi", NFT_XFRM_KEY_SPI },
	{ NULL, 0 },
};

static const struct nft_sym xfrm_dirs[] = {
	{ "in", 0 /* XFRM_POLICY_IN */ },
	{ "out", 1 /* XFRM_POLICY_OUT */ },
	{ NULL, 0 },
};

static const struct nft_sym osf_flags[] = {
	{ "version", NFT_OSF_F_VERSION },
	{ NULL, 0 },
};

/* ---- the expressions ----------------------------------------------------- */

/* immediate: one NFTA_IMMEDIATE_DATA, read as a verdict or as data. */
static const struct nft_field immediate_f[] = {
	REG_R(NFTA_IMMEDIATE_DREG, "dreg"),
	VERDICT(NFTA_IMMEDIATE_DATA, "verdict"),
	DATA(NFTA_IMMEDIATE_DATA, "data"),
};

static const struct nft_field cmp_f[] = {
	REG_R(NFTA_CMP_SREG, "sreg"),
	ENUM_R(NFTA_CMP_OP, 4, "op", cmp_ops),
	DATA_R(NFTA_CMP_DATA, "data"),
};

static const struct nft_field payload_f[] = {
	REG(NFTA_PAYLOAD_SREG, "sreg"),
	REG(NFTA_PAYLOAD_DREG, "dreg"),
	ENUM_R(NFTA_PAYLOAD_BASE, 4, "base", payload_bases),
	INT(NFTA_PAYLOAD_OFFSET, 4, "offset"),
	INT(NFTA_PAYLOAD_LEN, 4, "len"),
	ENUM(NFTA_PAYLOAD_CSUM_TYPE, 4, "csum_type", csum_types),
	INT(NFTA_PAYLOAD_CSUM_OFFSET, 4, "csum_offset"),
	FLAGS(NFTA_PAYLOAD_CSUM_FLAGS, 4, "csum_flags", csum_flags),
};

static const struct nft_field meta_f[] = {
	{ NFTA_META_KEY, NFT_F_ENUM, 4, "key", meta_keys, 0, true,
	  meta_aliases, NULL },
	REG(NFTA_META_DREG, "dreg"),
	REG(NFTA_META_SREG, "sreg"),
};

static const struct nft_field ct_f[] = {
	ENUM_R(NFTA_CT_KEY, 4, "key", ct_keys),
	REG(NFTA_CT_DREG, "dreg"),
	ENUM(NFTA_CT_DIRECTION, 1, "direction", ct_dirs),
	REG(NFTA_CT_SREG, "sreg"),
};

static const struct nft_field bitwise_f[] = {
	REG_R(NFTA_BITWISE_SREG, "sreg"),
	REG_R(NFTA_BITWISE_DREG, "dreg"),
	ENUM(NFTA_BITWISE_OP, 4, "op", bitwise_ops),
	INT(NFTA_BITWISE_LEN, 4, "len"),
	DATA(NFTA_BITWISE_MASK, "mask"),
	DATA(NFTA_BITWISE_XOR, "xor"),
	DATA(NFTA_BITWISE_DATA, "data"),
};

static const struct nft_field lookup_f[] = {
	REG_R(NFTA_LOOKUP_SREG, "sreg"),
	REG(NFTA_LOOKUP_DREG, "dreg"),
	STR(NFTA_LOOKUP_SET, "set"),
	INT(NFTA_LOOKUP_SET_ID, 4, "set_id"),
	{ NFTA_LOOKUP_FLAGS, NFT_F_FLAGS, 4, "flags", inv_flags, 0, false, NULL,
	  NFT_ZERO_UNSENT },
};

static const struct nft_field counter_f[] = {
	INT(NFTA_COUNTER_BYTES, 8, "bytes"),
	INT(NFTA_COUNTER_PACKETS, 8, "packets"),
};

static const struct nft_field log_f[] = {
	STR(NFTA_LOG_PREFIX, "prefix"),
	INT(NFTA_LOG_GROUP, 2, "group"),
	INT(NFTA_LOG_SNAPLEN, 4, "snaplen"),
	INT(NFTA_LOG_QTHRESHOLD, 2, "qthreshold"),
	ENUM(NFTA_LOG_LEVEL, 4, "level", log_levels),
	FLAGS(NFTA_LOG_FLAGS, 4, "flags", log_flags),
};

static const struct nft_field nat_f[] = {
	ENUM_R(NFTA_NAT_TYPE, 4, "type", nat_types),
	ENUM_R(NFTA_NAT_FAMILY, 4, "family", l3_families),
	REG(NFTA_NAT_REG_ADDR_MIN, "reg_addr_min"),
	REG(NFTA_NAT_REG_ADDR_MAX, "reg_addr_max"),
	REG(NFTA_NAT_REG_PROTO_MIN, "reg_proto_min"),
	REG(NFTA_NAT_REG_PROTO_MAX, "reg_proto_max"),
	FLAGS(NFTA_NAT_FLAGS, 4, "flags", nat_flags),
};

static const struct nft_field masq_f[] = {
	FLAGS(NFTA_MASQ_FLAGS, 4, "flags", nat_flags),
	REG(NFTA_MASQ_REG_PROTO_MIN, "reg_proto_min"),
	REG(NFTA_MASQ_REG_PROTO_MAX, "reg_proto_max"),
};

static const struct nft_field redir_f[] = {
	REG(NFTA_REDIR_REG_PROTO_MIN, "reg_proto_min"),
	REG(NFTA_REDIR_REG_PROTO_MAX, "reg_proto_max"),
	FLAGS(NFTA_REDIR_FLAGS, 4, "flags", nat_flags),
};

static const struct nft_field reject_f[] = {
	ENUM_R(NFTA_REJECT_TYPE, 4, "type", reject_types),
	INT(NFTA_REJECT_ICMP_CODE, 1, "code"),
};

static const struct nft_field range_f[] = {
	REG_R(NFTA_RANGE_SREG, "sreg"),
	ENUM_R(NFTA_RANGE_OP, 4, "op", range_ops),
	DATA_R(NFTA_RANGE_FROM_DATA, "from"),
	DATA_R(NFTA_RANGE_TO_DATA, "to"),
};

static const struct nft_field limit_f[] = {
	INT(NFTA_LIMIT_RATE, 8, "rate"),
	ENUM(NFTA_LIMIT_UNIT, 8, "unit", limit_units),
	INT(NFTA_LIMIT_BURST, 4, "burst"),
	ENUM(NFTA_LIMIT_TYPE, 4, "type", limit_types),
	FLAGS(NFTA_LIMIT_FLAGS, 4, "flags", inv_flags),
};

static const struct nft_field quota_f[] = {
	INT(NFTA_QUOTA_BYTES, 8, "bytes"),
	INT(NFTA_QUOTA_CONSUMED, 8, "consumed"),
	FLAGS(NFTA_QUOTA_FLAGS, 4, "flags", quota_flags),
};

static const struct nft_field objref_f[] = {
	ENUM(NFTA_OBJREF_IMM_TYPE, 4, "type", object_types),
	/* libnftnl writes this one name without its NUL. */
	{ NFTA_OBJREF_IMM_NAME, NFT_F_STR, 1, "name", NULL, 0, false, NULL,
	  NULL },
	REG(NFTA_OBJREF_SET_SREG, "sreg"),
	STR(NFTA_OBJREF_SET_NAME, "set"),
	INT(NFTA_OBJREF_SET_ID, 4, "set_id"),
};

static const struct nft_field dynset_f[] = {
	REG(NFTA_DYNSET_SREG_KEY, "sreg_key"),
	REG(NFTA_DYNSET_SREG_DATA, "sreg_data"),
	ENUM(NFTA_DYNSET_OP, 4, "op", dynset_ops),
	INT(NFTA_DYNSET_TIMEOUT, 8, "timeout"),
	STR(NFTA_DYNSET_SET_NAME, "set"),
	INT(NFTA_DYNSET_SET_ID, 4, "set_id"),
	FLAGS(NFTA_DYNSET_FLAGS, 4, "flags", dynset_flags),
	{ NFTA_DYNSET_EXPRESSIONS, NFT_F_EXPRS, 0, "exprs", NULL,
	  NFTA_DYNSET_EXPR, false, NULL, NULL },
};

static const struct nft_field exthdr_f[] = {
	REG(NFTA_EXTHDR_DREG, "dreg"),
	REG(NFTA_EXTHDR_SREG, "sreg"),
	INT(NFTA_EXTHDR_TYPE, 1, "type"),
	INT(NFTA_EXTHDR_OFFSET, 4, "offset"),
	INT(NFTA_EXTHDR_LEN, 4, "len"),
	ENUM(NFTA_EXTHDR_OP, 4, "op", exthdr_ops),
	/* nft_exthdr_dump() reports flags 0 of a write, whose init refuses
	 * any flags attribute. */
	{ NFTA_EXTHDR_FLAGS, NFT_F_FLAGS, 4, "flags", exthdr_flags, 0, false,
	  NULL, "sreg" },
};

static const struct nft_field fib_f[] = {
	FLAGS(NFTA_FIB_FLAGS, 4, "flags", fib_flags),
	ENUM_R(NFTA_FIB_RESULT, 4, "result", fib_results),
	REG_R(NFTA_FIB_DREG, "dreg"),
};

static const struct nft_field rt_f[] = {
	ENUM_R(NFTA_RT_KEY, 4, "key", rt_keys),
	REG_R(NFTA_RT_DREG, "dreg"),
};

static const struct nft_field notrack_f[] = {
	{ 0, NFT_F_INT, 0, NULL, NULL, 0, false, NULL, NULL }, /* none */
};

static const struct nft_field queue_f[] = {
	INT(NFTA_QUEUE_NUM, 2, "num"),
	INT(NFTA_QUEUE_TOTAL, 2, "total"),
	FLAGS(NFTA_QUEUE_FLAGS, 2, "flags", queue_flags),
	REG(NFTA_QUEUE_SREG_QNUM, "sreg_qnum"),
};

static const struct nft_field byteorder_f[] = {
	REG_R(NFTA_BYTEORDER_SREG, "sreg"),
	REG_R(NFTA_BYTEORDER_DREG, "dreg"),
	ENUM_R(NFTA_BYTEORDER_OP, 4, "op", byteorder_ops),
	INT(NFTA_BYTEORDER_LEN, 4, "len"),
	INT(NFTA_BYTEORDER_SIZE, 4, "size"),
};

static const struct nft_field numgen_f[] = {
	REG_R(NFTA_NG_DREG, "dreg"),
	INT(NFTA_NG_MODULUS, 4, "modulus"),
	ENUM(NFTA_NG_TYPE, 4, "type", ng_types),
	INT(NFTA_NG_OFFSET, 4, "offset"),
};

static const struct nft_field hash_f[] = {
	REG(NFTA_HASH_SREG, "sreg"),
	REG_R(NFTA_HASH_DREG, "dreg"),
	INT(NFTA_HASH_LEN, 4, "len"),
	INT(NFTA_HASH_MODULUS, 4, "modulus"),
	INT(NFTA_HASH_SEED, 4, "seed"),
	INT(NFTA_HASH_OFFSET, 4, "offset"),
	ENUM(NFTA_HASH_TYPE, 4, "type", hash_types),
};

static const struct nft_field socket_f[] = {
	ENUM_R(NFTA_SOCKET_KEY, 4, "key", socket_keys),
	REG_R(NFTA_SOCKET_DREG, "dreg"),
	INT(NFTA_SOCKET_LEVEL, 4, "level"),
};

static const struct nft_field tproxy_f[] = {
	ENUM(NFTA_TPROXY_FAMILY, 4, "family", l3_families),
	REG(NFTA_TPROXY_REG_ADDR, "reg_addr"),
	REG(NFTA_TPROXY_REG_PORT, "reg_port"),
};

static const struct nft_field synproxy_f[] = {
	INT(NFTA_SYNPROXY_MSS, 2, "mss"),
	INT(NFTA_SYNPROXY_WSCALE, 1, "wscale"),
	FLAGS(NFTA_SYNPROXY_FLAGS, 4, "flags", synproxy_flags),
};

/* dup and fwd: registers holding the interface index (host order) and,
 * optionally, the next hop's address. */
static const struct nft_field dup_f[] = {
	REG(NFTA_DUP_SREG_ADDR, "sreg_addr"),
	REG(NFTA_DUP_SREG_DEV, "sreg_dev"),
};

static const struct nft_field fwd_f[] = {
	REG(NFTA_FWD_SREG_DEV, "sreg_dev"),
	REG(NFTA_FWD_SREG_ADDR, "sreg_addr"),
	ENUM(NFTA_FWD_NFPROTO, 4, "nfproto", l3_families),
};

static const struct nft_field connlimit_f[] = {
	INT(NFTA_CONNLIMIT_COUNT, 4, "count"),
	FLAGS(NFTA_CONNLIMIT_FLAGS, 4, "flags", inv_flags),
};

static const struct nft_field last_f[] = {
	INT(NFTA_LAST_MSECS, 8, "msecs"),
	INT(NFTA_LAST_SET, 4, "set"),
};

static const struct nft_field xfrm_f[] = {
	ENUM_R(NFTA_XFRM_KEY, 4, "key", xfrm_keys),
	ENUM(NFTA_XFRM_DIR, 1, "dir", xfrm_dirs),
	INT(NFTA_XFRM_SPNUM, 4, "spnum"),
	REG_R(NFTA_XFRM_DREG, "dreg"),
};

static const struct nft_field osf_f[] = {
	REG_R(NFTA_OSF_DREG, "dreg"),
	INT(NFTA_OSF_TTL, 1, "ttl"),
	/* nft_osf_init() refuses flags other than "version". */
	{ NFTA_OSF_FLAGS, NFT_F_FLAGS, 4, "flags", osf_flags, 0, false, NULL,
	  "" },
};

/* flow_offload: nft_flow_offload_init() refuses a rule without the
 * flowtable's name (EINVAL), and one naming no flowtable of the rule's
 * table (ENOENT). */
static const struct nft_field flow_offload_f[] = {
	STR_R(NFTA_FLOW_TABLE_NAME, "flowtable"),
};

static const struct nft_exprdef defs[] = {
	DEF("immediate", NFTA_IMMEDIATE_MAX, immediate_f, false),
	DEF("cmp", NFTA_CMP_MAX, cmp_f, false),
	DEF("payload", NFTA_PAYLOAD_MAX, payload_f, false),
	DEF("meta", NFTA_META_MAX, meta_f, false),
	DEF("ct", NFTA_CT_MAX, ct_f, false),
	DEF("bitwise", NFTA_BITWISE_MAX, bitwise_f, false),
	DEF("lookup", NFTA_LOOKUP_MAX, lookup_f, false),
	DEF("counter", NFTA_COUNTER_MAX, counter_f, false),
	DEF("log", NFTA_LOG_MAX, log_f, false),
	DEF("nat", NFTA_NAT_MAX, nat_f, true),
	DEF("masq", NFTA_MASQ_MAX, masq_f, true),
	DEF("redir", NFTA_REDIR_MAX, redir_f, true),
	DEF("reject", NFTA_REJECT_MAX, reject_f, false),
	DEF("range", NFTA_RANGE_MAX, range_f, false),
	DEF("limit", NFTA_LIMIT_MAX, limit_f, false),
	DEF("quota", NFTA_QUOTA_MAX, quota_f, false),
	DEF("objref", NFTA_OBJREF_MAX, objref_f, false),
	DEF("dynset", NFTA_DYNSET_MAX, dynset_f, false),
	DEF("exthdr", NFTA_EXTHDR_MAX, exthdr_f, false),
	DEF("fib", NFTA_FIB_MAX, fib_f, false),
	DEF("rt", NFTA_RT_MAX, rt_f, false),
	{ "notrack", 0, notrack_f, 0, false },
	DEF("queue", NFTA_QUEUE_MAX, queue_f, false),
	DEF("byteorder", NFTA_BYTEORDER_MAX, byteorder_f, false),
	DEF("numgen", NFTA_NG_MAX, numgen_f, false),
	DEF("hash", NFTA_HASH_MAX, hash_f, false),
	DEF("socket", NFTA_SOCKET_MAX, socket_f, false),
	DEF("tproxy", NFTA_TPROXY_MAX, tproxy_f, false),
	DEF("synproxy", NFTA_SYNPROXY_MAX, synproxy_f, false),
	DEF("connlimit", NFTA_CONNLIMIT_MAX, connlimit_f, false),
	DEF("last", NFTA_LAST_MAX, last_f, false),
	DEF("xfrm", NFTA_XFRM_MAX, xfrm_f, false),
	DEF("osf", NFTA_OSF_MAX, osf_f, false),
	DEF("dup", NFTA_DUP_MAX, dup_f, false),
	DEF("fwd", NFTA_FWD_MAX, fwd_f, false),
	DEF("flow_offload", NFTA_FLOW_MAX, flow_offload_f, false),
};

const struct nft_exprdef *nft_exprdef_find(const char *name)
{
	for (size_t i = 0; i < NFT_ARRAY_SIZE(defs); i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* ---- payload's named fields ---------------------------------------------- */

#define LL NFT_PAYLOAD_LL_HEADER
#define NH NFT_PAYLOAD_NETWORK_HEADER
#define TH NFT_PAYLOAD_TRANSPORT_HEADER

static const struct nft_payload_field payload_fields[] = {
	{ "ether_daddr", LL, 0, 6 },	{ "ether_saddr", LL, 6, 6 },
	{ "ether_type", LL, 12, 2 },	{ "ip_tos", NH, 1, 1 },
	{ "ip_length", NH, 2, 2 },	{ "ip_ttl", NH, 8, 1 },
	{ "ip_protocol", NH, 9, 1 },	{ "ip_saddr", NH, 12, 4 },
	{ "ip_daddr", NH, 16, 4 },	{ "ip6_nexthdr", NH, 6, 1 },
	{ "ip6_hoplimit", NH, 7, 1 },	{ "ip6_saddr", NH, 8, 16 },
	{ "ip6_daddr", NH, 24, 16 },	{ "tcp_sport", TH, 0, 2 },
	{ "tcp_dport", TH, 2, 2 },	{ "tcp_flags", TH, 13, 1 },
	{ "udp_sport", TH, 0, 2 },	{ "udp_dport", TH, 2, 2 },
	{ "th_sport", TH, 0, 2 },	{ "th_dport", TH, 2, 2 },
	{ "icmp_type", TH, 0, 1 },	{ "icmp_code", TH, 1, 1 },
	{ "icmpv6_type", TH, 0, 1 },	{ "icmpv6_code", TH, 1, 1 },
};

const struct nft_payload_field *nft_payload_field_find(const char *name)
{
	for (size_t i = 0; i < NFT_ARRAY_SIZE(payload_fields); i++)
		if (strcmp(payload_fields[i].name, name) == 0)
			return &payload_fields[i];
	return NULL;
}
