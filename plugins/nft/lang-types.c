/* SPDX-License-Identifier: MIT */
/*
 * lang-types.c - what the nftables language's selectors load and how
 * their values are written: header fields, meta and ct keys, symbolic
 * constants.  Shared by the compiler and the formatter, so that what one
 * writes the other reads.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netfilter.h>

#include "lang-internal.h"

#define P(pr, f, b, o, l, t) { pr, f, SEL_PAYLOAD, b, o, l, t, NULL, 0, 0, 0 }
/* a bit field: `n` bits, `sh` above the low end of `l` bytes */
#define PB(pr, f, o, l, t, n, sh) \
	{ pr, f, SEL_PAYLOAD, 1, o, l, t, NULL, n, sh, 0 }
/* a vlan header field: mask `m` of the `l` bytes at link offset `o` */
#define PM(pr, f, o, l, m, sh) \
	{ .proto = pr, .field = f, .kind = SEL_PAYLOAD, .base = 0, \
	  .offset = o, .len = l, .dtype = DT_INT, .mask = m, .shift = sh }
#define M(f, l, t) { "meta", f, SEL_META, 0, 0, l, t, f, 0, 0, 0 }
#define C(f, l, t) { "ct", f, SEL_CT, 0, 0, l, t, f, 0, 0, 0 }
#define CD(d, f, l, t, k) { "ct " d, f, SEL_CT, 0, 0, l, t, k, 0, 0, 0 }
#define TO(o, f, k, off, l) \
	{ "tcp option " o, f, SEL_EXTHDR, k, off, l, DT_INT, NULL, 0, 0, 0 }
#define RT(pr, f, l, t, k) { pr, f, SEL_RT, 0, 0, l, t, k, 0, 0, 0 }
/* an SCTP chunk's field (exthdr op sctp): chunk type `k`; SCC the three
 * fields of every chunk's header */
#define SC(c, f, k, off, l) \
	{ "sctp chunk " c, f, SEL_EXTHDR, k, off, l, DT_INT, NULL, 0, 0, 0 }
#define SCC(c, k) \
	SC(c, "type", k, 0, 1), SC(c, "flags", k, 1, 1), SC(c, "length", k, 2, 2)
#define SK(f, l, t) { "socket", f, SEL_SOCKET, 0, 0, l, t, f, 0, 0, 0 }
#define OSF(pr, f, ttl, ver) { pr, f, SEL_OSF, ttl, ver, 16, DT_STR16, NULL, \
			       0, 0, 0 }
/* an IPv6 extension header field: header type `ty`; X6B a bit field */
#define X6(pr, f, ty, o, l, t) { pr, f, SEL_EXTHDR6, ty, o, l, t, NULL, 0, 0, 0 }
#define X6B(pr, f, ty, o, l, n, sh) \
	{ pr, f, SEL_EXTHDR6, ty, o, l, DT_INT, NULL, n, sh, 0 }
/* the keys of the xfrm expression for direction `d` (0 in, 1 out) and
 * the state at index `n` of the packet's path (spnum: the kernel keeps
 * XFRM_MAX_DEPTH, 6, and refuses a higher index with ERANGE); the
 * reqid is in host order, the SPI as on the wire */
#define XF(pr, d, n) \
	{ pr, "reqid", SEL_XFRM, d, n, 4, DT_HINT, "reqid", 0, 0, 0 }, \
	{ pr, "spi", SEL_XFRM, d, n, 4, DT_INT, "spi", 0, 0, 0 }, \
	{ pr, "ip saddr", SEL_XFRM, d, n, 4, DT_IPV4, "saddr_ip4", 0, 0, 0 }, \
	{ pr, "ip daddr", SEL_XFRM, d, n, 4, DT_IPV4, "daddr_ip4", 0, 0, 0 }, \
	{ pr, "ip6 saddr", SEL_XFRM, d, n, 16, DT_IPV6, "saddr_ip6", 0, 0, 0 }, \
	{ pr, "ip6 daddr", SEL_XFRM, d, n, 16, DT_IPV6, "daddr_ip6", 0, 0, 0 }
#define XFD(pr, d) \
	XF(pr, d, 0), XF(pr " spnum 1", d, 1), XF(pr " spnum 2", d, 2), \
	XF(pr " spnum 3", d, 3), XF(pr " spnum 4", d, 4), \
	XF(pr " spnum 5", d, 5)
/* an IPv4 option's field: option type `ty` */
#define X4(o, f, ty, off, l, t) \
	{ "ip option " o, f, SEL_EXTHDR4, ty, off, l, t, NULL, 0, 0, 0 }

/* The first entry of a (base, offset, len) is the formatter's name. */
const struct nftl_sel nftl_sels[] = {
	P("ether", "daddr", 0, 0, 6, DT_ETHER),
	P("ether", "saddr", 0, 6, 6, DT_ETHER),
	P("ether", "type", 0, 12, 2, DT_ETHERTYPE),
	/* the first 802.1Q header; the parser and the formatter add 4 to
	 * the offset for each header stacked before it (vlan type 8021q) */
	PM("vlan", "pcp", 14, 1, 0xe0, 5),
	PM("vlan", "dei", 14, 1, 0x10, 4),
	PM("vlan", "id", 14, 2, 0x0fff, 0),
	P("vlan", "type", 0, 16, 2, DT_ETHERTYPE),
	/* ARP for Ethernet and IPv4, nft's only layout */
	P("arp", "htype", 1, 0, 2, DT_INT),
	P("arp", "ptype", 1, 2, 2, DT_ETHERTYPE),
	P("arp", "hlen", 1, 4, 1, DT_INT),
	P("arp", "plen", 1, 5, 1, DT_INT),
	P("arp", "operation", 1, 6, 2, DT_ARPOP),
	P("arp", "saddr ether", 1, 8, 6, DT_ETHER),
	P("arp", "saddr ip", 1, 14, 4, DT_IPV4),
	P("arp", "daddr ether", 1, 18, 6, DT_ETHER),
	P("arp", "daddr ip", 1, 24, 4, DT_IPV4),
	PB("ip", "version", 0, 1, DT_INT, 4, 4),
	PB("ip", "hdrlength", 0, 1, DT_INT, 4, 0),
	PB("ip", "dscp", 1, 1, DT_DSCP, 6, 2),
	PB("ip", "ecn", 1, 1, DT_ECN, 2, 0),
	P("ip", "length", 1, 2, 2, DT_INT),
	P("ip", "id", 1, 4, 2, DT_INT),
	P("ip", "frag-off", 1, 6, 2, DT_INT), /* with the flags, as nft */
	P("ip", "ttl", 1, 8, 1, DT_INT),
	P("ip", "protocol", 1, 9, 1, DT_PROTO),
	P("ip", "checksum", 1, 10, 2, DT_INT),
	P("ip", "saddr", 1, 12, 4, DT_IPV4),
	P("ip", "daddr", 1, 16, 4, DT_IPV4),
	PB("ip6", "version", 0, 1, DT_INT, 4, 4),
	PB("ip6", "dscp", 0, 2, DT_DSCP, 6, 6),
	PB("ip6", "ecn", 1, 1, DT_ECN, 2, 4),
	PB("ip6", "flowlabel", 1, 3, DT_INT, 20, 0),
	P("ip6", "length", 1, 4, 2, DT_INT),
	P("ip6", "nexthdr", 1, 6, 1, DT_PROTO),
	P("ip6", "hoplimit", 1, 7, 1, DT_INT),
	P("ip6", "saddr", 1, 8, 16, DT_IPV6),
	P("ip6", "daddr", 1, 24, 16, DT_IPV6),
	P("tcp", "sport", 2, 0, 2, DT_SERVICE),
	P("tcp", "dport", 2, 2, 2, DT_SERVICE),
	P("tcp", "sequence", 2, 4, 4, DT_INT),
	P("tcp", "ackseq", 2, 8, 4, DT_INT),
	/* the data offset (header length in 32-bit words) and the 4
	 * reserved bits after it, in the thirteenth byte */
	{ "tcp", "doff", SEL_PAYLOAD, 2, 12, 1, DT_INT, NULL, 4, 4, 0 },
	{ "tcp", "reserved", SEL_PAYLOAD, 2, 12, 1, DT_INT, NULL, 4, 0, 0 },
	P("tcp", "flags", 2, 13, 1, DT_TCPFLAGS),
	P("tcp", "window", 2, 14, 2, DT_INT),
	P("tcp", "checksum", 2, 16, 2, DT_INT),
	P("tcp", "urgptr", 2, 18, 2, DT_INT),
	P("udp", "sport", 2, 0, 2, DT_SERVICE),
	P("udp", "dport", 2, 2, 2, DT_SERVICE),
	P("udp", "length", 2, 4, 2, DT_INT),
	P("udp", "checksum", 2, 6, 2, DT_INT),
	P("udplite", "sport", 2, 0, 2, DT_SERVICE),
	P("udplite", "dport", 2, 2, 2, DT_SERVICE),
	P("udplite", "csumcov", 2, 4, 2, DT_INT),
	P("udplite", "checksum", 2, 6, 2, DT_INT),
	P("sctp", "sport", 2, 0, 2, DT_SERVICE),
	P("sctp", "dport", 2, 2, 2, DT_SERVICE),
	P("sctp", "vtag", 2, 4, 4, DT_INT),
	P("sctp", "checksum", 2, 8, 4, DT_INT),
	P("dccp", "sport", 2, 0, 2, DT_SERVICE),
	P("dccp", "dport", 2, 2, 2, DT_SERVICE),
	/* 4 bits of the transport header's ninth byte (RFC 4340) */
	{ "dccp", "type", SEL_PAYLOAD, 2, 8, 1, DT_DCCPTYPE, NULL, 4, 1, 0 },
	P("ah", "nexthdr", 2, 0, 1, DT_PROTO),
	P("ah", "hdrlength", 2, 1, 1, DT_INT),
	P("ah", "reserved", 2, 2, 2, DT_INT),
	P("ah", "spi", 2, 4, 4, DT_INT),
	P("ah", "sequence", 2, 8, 4, DT_INT),
	P("comp", "flags", 2, 1, 1, DT_XINT),
	P("comp", "cpi", 2, 2, 2, DT_INT),
	P("esp", "spi", 2, 0, 4, DT_INT),
	P("esp", "sequence", 2, 4, 4, DT_INT),
	P("th", "sport", 2, 0, 2, DT_SERVICE),
	P("th", "dport", 2, 2, 2, DT_SERVICE),
	P("igmp", "type", 2, 0, 1, DT_IGMPTYPE),
	P("igmp", "mrt", 2, 1, 1, DT_INT),
	P("igmp", "checksum", 2, 2, 2, DT_INT),
	P("igmp", "group", 2, 4, 4, DT_INT), /* nft 1.0.6 and 1.1: a number */
	P("icmp", "type", 2, 0, 1, DT_ICMPTYPE),
	P("icmp", "code", 2, 1, 1, DT_ICMPCODE),
	P("icmp", "checksum", 2, 2, 2, DT_INT),
	P("icmp", "id", 2, 4, 2, DT_INT),
	P("icmp", "sequence", 2, 6, 2, DT_INT),
	/* the next-hop MTU of "fragmentation needed" (RFC 1191) */
	P("icmp", "mtu", 2, 6, 2, DT_INT),
	P("icmpv6", "type", 2, 0, 1, DT_ICMP6TYPE),
	P("icmpv6", "code", 2, 1, 1, DT_ICMP6CODE),
	P("icmpv6", "checksum", 2, 2, 2, DT_INT),
	P("icmpv6", "id", 2, 4, 2, DT_INT),
	P("icmpv6", "sequence", 2, 6, 2, DT_INT),
	P("icmpv6", "mtu", 2, 4, 4, DT_INT),
	P("icmpv6", "max-delay", 2, 4, 2, DT_INT),
	M("mark", 4, DT_MARK),
	M("secmark", 4, DT_HINT),
	M("iif", 4, DT_IFINDEX),
	M("oif", 4, DT_IFINDEX),
	M("iifname", 16, DT_IFNAME),
	M("oifname", 16, DT_IFNAME),
	M("iiftype", 2, DT_ARPHRD),
	M("oiftype", 2, DT_ARPHRD),
	M("l4proto", 1, DT_PROTO),
	M("nfproto", 1, DT_NFPROTO),
	M("protocol", 2, DT_ETHERTYPE),
	/* the kernel's len */
	{ "meta", "length", SEL_META, 0, 0, 4, DT_HINT, "len", 0, 0, 0 },
	M("priority", 4, DT_CLASSID),
	M("skuid", 4, DT_UID),
	M("skgid", 4, DT_GID),
	M("pkttype", 1, DT_PKTTYPE),
	M("cpu", 4, DT_HINT),
	M("iifgroup", 4, DT_DEVGROUP),
	M("oifgroup", 4, DT_DEVGROUP),
	M("cgroup", 4, DT_HINT),
	M("nftrace", 1, DT_HINT),
	/* nft reads `meta secpath` too and lists it as meta ipsec */
	{ "meta", "ipsec", SEL_META, 0, 0, 1, DT_BOOL, "secpath", 0, 0, 0 },
	M("iifkind", 16, DT_IFNAME),
	/* the kernel's names: time_day, time_hour, time_ns */
	{ "meta", "day", SEL_META, 0, 0, 1, DT_DAY, "time_day", 0, 0, 0 },
	{ "meta", "hour", SEL_META, 0, 0, 4, DT_HOUR, "time_hour", 0, 0, 0 },
	{ "meta", "time", SEL_META, 0, 0, 8, DT_DATE, "time_ns", 0, 0, 0 },
	M("oifkind", 16, DT_IFNAME),
	/* the kernel's prandom; nft's integer, big-endian */
	{ "meta", "random", SEL_META, 0, 0, 4, DT_INT, "prandom", 0, 0, 0 },
	M("sdif", 4, DT_IFINDEX), /* the l3mdev (VRF) slave's index */
	M("sdifname", 16, DT_IFNAME),
	M("rtclassid", 4, DT_REALM),
	/* the bridge port's bridge (nft reads ibriport, obriport too) */
	{ "meta", "ibrname", SEL_META, 0, 0, 16, DT_IFNAME, "bri_iifname", 0, 0,
	  0 },
	{ "meta", "obrname", SEL_META, 0, 0, 16, DT_IFNAME, "bri_oifname", 0, 0,
	  0 },
	{ "meta", "ibrpvid", SEL_META, 0, 0, 2, DT_HINT, "bri_iifpvid", 0, 0, 0 },
	{ "meta", "ibrvproto", SEL_META, 0, 0, 2, DT_ETHERTYPE, "bri_iifvproto",
	  0, 0, 0 },
	C("state", 4, DT_CTSTATE),
	C("status", 4, DT_CTSTATUS),
	C("direction", 1, DT_CTDIR),
	C("mark", 4, DT_MARK),
	/* the LSM's security id: what `ct secmark set meta secmark` and
	 * back copy (a secmark object sets the packet's) */
	C("secmark", 4, DT_HINT),
	C("zone", 2, DT_HINT),
	{ "ct", "l3proto", SEL_CT, 0, 0, 1, DT_NFPROTO, "l3protocol", 0, 0, 0 },
	C("protocol", 1, DT_PROTO),
	C("expiration", 4, DT_TIME),
	C("bytes", 8, DT_HINT),
	C("packets", 8, DT_HINT),
	C("avgpkt", 8, DT_HINT),
	C("id", 4, DT_INT), /* big-endian, unlike the other counters */
	C("helper", 16, DT_STR16),
	{ "ct", "label", SEL_CT, 0, 0, 16, DT_CTLABEL, "labels", 0, 0, 0 },
	{ "ct", "event", SEL_CT, 0, 0, 4, DT_CTEVENT, "eventmask", 0, 0, 0 },
	/* a direction's keys: the direction is the proto's second word;
	 * bare saddr/daddr are the table family's address (ip, ip6) */
	CD("original", "bytes", 8, DT_HINT, "bytes"),
	CD("original", "packets", 8, DT_HINT, "packets"),
	CD("original", "avgpkt", 8, DT_HINT, "avgpkt"),
	CD("original", "zone", 2, DT_HINT, "zone"),
	CD("original", "saddr", 4, DT_IPV4, "saddr"),
	CD("original", "daddr", 4, DT_IPV4, "daddr"),
	CD("original", "saddr", 16, DT_IPV6, "saddr"),
	CD("original", "daddr", 16, DT_IPV6, "daddr"),
	/* the transport protocol's source and destination (ports): nft
	 * wants the rule to have established the protocol first */
	CD("original", "proto-src", 2, DT_SERVICE, "proto_src"),
	CD("original", "proto-dst", 2, DT_SERVICE, "proto_dst"),
	CD("original ip", "saddr", 4, DT_IPV4, "ip_saddr"),
	CD("original ip", "daddr", 4, DT_IPV4, "ip_daddr"),
	CD("original ip6", "saddr", 16, DT_IPV6, "ip6_saddr"),
	CD("original ip6", "daddr", 16, DT_IPV6, "ip6_daddr"),
	CD("reply", "bytes", 8, DT_HINT, "bytes"),
	CD("reply", "packets", 8, DT_HINT, "packets"),
	CD("reply", "avgpkt", 8, DT_HINT, "avgpkt"),
	CD("reply", "zone", 2, DT_HINT, "zone"),
	CD("reply", "saddr", 4, DT_IPV4, "saddr"),
	CD("reply", "daddr", 4, DT_IPV4, "daddr"),
	CD("reply", "saddr", 16, DT_IPV6, "saddr"),
	CD("reply", "daddr", 16, DT_IPV6, "daddr"),
	CD("reply", "proto-src", 2, DT_SERVICE, "proto_src"),
	CD("reply", "proto-dst", 2, DT_SERVICE, "proto_dst"),
	CD("reply ip", "saddr", 4, DT_IPV4, "ip_saddr"),
	CD("reply ip", "daddr", 4, DT_IPV4, "ip_daddr"),
	CD("reply ip6", "saddr", 16, DT_IPV6, "ip6_saddr"),
	CD("reply ip6", "daddr", 16, DT_IPV6, "ip6_daddr"),
	/* nft 1.0.6's tcpopt.c: the fields it names (no `kind`: its
	 * grammar takes none) */
	TO("maxseg", "length", 2, 1, 1),
	TO("maxseg", "size", 2, 2, 2),
	TO("window", "length", 3, 1, 1),
	TO("window", "count", 3, 2, 1),
	TO("sack-perm", "length", 4, 1, 1),
	TO("sack", "length", 5, 1, 1),
	TO("sack", "left", 5, 2, 4),
	TO("sack", "right", 5, 6, 4),
	TO("sack1", "left", 5, 10, 4),
	TO("sack1", "right", 5, 14, 4),
	TO("sack2", "left", 5, 18, 4),
	TO("sack2", "right", 5, 22, 4),
	TO("sack3", "left", 5, 26, 4),
	TO("sack3", "right", 5, 30, 4),
	TO("timestamp", "length", 8, 1, 1),
	TO("timestamp", "tsval", 8, 2, 4),
	TO("timestamp", "tsecr", 8, 6, 4),
	TO("md5sig", "length", 19, 1, 1),
	TO("mptcp", "length", 30, 1, 1),
	/* the high 4 bits of the byte after the length (RFC 8684) */
	{ "tcp option mptcp", "subtype", SEL_EXTHDR, 30, 2, 1, DT_INT, NULL,
	  4, 4, 0 },
	TO("fastopen", "length", 34, 1, 1),
	/* RFC 9260's chunks, as nft's sctp_chunk.c names them: the common
	 * header, then each chunk's fixed fields */
	SCC("data", 0),
	SC("data", "tsn", 0, 4, 4),
	SC("data", "stream", 0, 8, 2),
	SC("data", "ssn", 0, 10, 2),
	SC("data", "ppid", 0, 12, 4),
	SCC("init", 1),
	SC("init", "init-tag", 1, 4, 4),
	SC("init", "a-rwnd", 1, 8, 4),
	SC("init", "num-outbound-streams", 1, 12, 2),
	SC("init", "num-inbound-streams", 1, 14, 2),
	SC("init", "initial-tsn", 1, 16, 4),
	SCC("init-ack", 2),
	SC("init-ack", "init-tag", 2, 4, 4),
	SC("init-ack", "a-rwnd", 2, 8, 4),
	SC("init-ack", "num-outbound-streams", 2, 12, 2),
	SC("init-ack", "num-inbound-streams", 2, 14, 2),
	SC("init-ack", "initial-tsn", 2, 16, 4),
	SCC("sack", 3),
	SC("sack", "cum-tsn-ack", 3, 4, 4),
	SC("sack", "a-rwnd", 3, 8, 4),
	SC("sack", "num-gap-ack-blocks", 3, 12, 2),
	SC("sack", "num-dup-tsns", 3, 14, 2),
	SCC("heartbeat", 4),
	SCC("heartbeat-ack", 5),
	SCC("abort", 6),
	SCC("shutdown", 7),
	SC("shutdown", "cum-tsn-ack", 7, 4, 4),
	SCC("shutdown-ack", 8),
	SCC("error", 9),
	SCC("cookie-echo", 10),
	SCC("cookie-ack", 11),
	SCC("ecne", 12),
	SC("ecne", "lowest-tsn", 12, 4, 4),
	SCC("cwr", 13),
	SC("cwr", "lowest-tsn", 13, 4, 4),
	SCC("shutdown-complete", 14),
	SCC("asconf-ack", 128),
	SC("asconf-ack", "seqno", 128, 4, 4),
	SCC("forward-tsn", 192),
	SC("forward-tsn", "new-cum-tsn", 192, 4, 4),
	SCC("asconf", 193),
	SC("asconf", "seqno", 193, 4, 4),
	/* `rt mtu` is the kernel's tcpmss key: the path MTU less the
	 * headers, host order; a realm by name from iproute2's rt_realms
	 * (lookup_iproute2() in lang-parse.c) */
	RT("rt", "mtu", 2, DT_HINT, "tcpmss"),
	RT("rt", "classid", 4, DT_REALM, "classid"),
	/* whether the route has an xfrm policy: exists, missing */
	RT("rt", "ipsec", 1, DT_BOOL, "xfrm"),
	RT("rt ip", "nexthop", 4, DT_IPV4, "nexthop4"),
	RT("rt ip6", "nexthop", 16, DT_IPV6, "nexthop6"),
	/* the kernel stores transparent and wildcard as one byte, the
	 * mark as the host-order 32 bits of meta mark */
	SK("transparent", 1, DT_HINT),
	SK("mark", 4, DT_MARK),
	SK("wildcard", 1, DT_HINT),
	/* osf's ttl modes: 0 the packet's ttl must equal the
	 * fingerprint's, 1 (loose) be at most it, 2 (skip) is not
	 * checked; the register holds a 16-byte, NUL-padded name */
	OSF("osf", "name", 0, 0),
	OSF("osf", "version", 0, 1),
	OSF("osf ttl loose", "name", 1, 0),
	OSF("osf ttl loose", "version", 1, 1),
	OSF("osf ttl skip", "name", 2, 0),
	OSF("osf ttl skip", "version", 2, 1),
	XFD("ipsec in", 0),
	XFD("ipsec out", 1),
	/* nft 1.0.6's exthdr.c: the fixed headers of RFC 8200 (hop-by-hop
	 * and destination options, routing, fragment), the segment routing
	 * header of RFC 8754 and the mobility header of RFC 6275.  rt0 and
	 * srh read the routing header (43); nft takes addr[1] and addr[2],
	 * sid[1] and sid[2] only, the same bytes, and lists them as srh */
	X6("hbh", "nexthdr", 0, 0, 1, DT_PROTO),
	X6("hbh", "hdrlength", 0, 1, 1, DT_INT),
	X6("rt", "nexthdr", 43, 0, 1, DT_PROTO),
	X6("rt", "hdrlength", 43, 1, 1, DT_INT),
	X6("rt", "type", 43, 2, 1, DT_INT),
	X6("rt", "seg-left", 43, 3, 1, DT_INT),
	X6("srh", "last-entry", 43, 4, 1, DT_INT),
	X6("srh", "flags", 43, 5, 1, DT_INT),
	X6("srh", "tag", 43, 6, 2, DT_INT),
	X6("srh", "sid[1]", 43, 8, 16, DT_IPV6),
	X6("srh", "sid[2]", 43, 24, 16, DT_IPV6),
	X6("rt0", "addr[1]", 43, 8, 16, DT_IPV6),
	X6("rt0", "addr[2]", 43, 24, 16, DT_IPV6),
	X6("frag", "nexthdr", 44, 0, 1, DT_PROTO),
	X6("frag", "reserved", 44, 1, 1, DT_INT),
	/* the offset in 8-byte units above the reserved bits and the M
	 * flag, as nft masks and shifts it */
	X6B("frag", "frag-off", 44, 2, 2, 13, 3),
	X6B("frag", "reserved2", 44, 3, 1, 2, 1),
	X6B("frag", "more-fragments", 44, 3, 1, 1, 0),
	X6("frag", "id", 44, 4, 4, DT_INT),
	X6("dst", "nexthdr", 60, 0, 1, DT_PROTO),
	X6("dst", "hdrlength", 60, 1, 1, DT_INT),
	X6("mh", "nexthdr", 135, 0, 1, DT_PROTO),
	X6("mh", "hdrlength", 135, 1, 1, DT_INT),
	X6("mh", "type", 135, 2, 1, DT_MHTYPE),
	X6("mh", "reserved", 135, 3, 1, DT_INT),
	X6("mh", "checksum", 135, 4, 2, DT_INT),
	/* nft's ipopt.c: the source routes and record route carry a
	 * pointer and addresses (nft reads the first), router alert a
	 * 16-bit value.  nft 1.0.6 types addr as an integer, 1.1 as an
	 * IPv4 address, which is what the bytes are: so do we */
	X4("lsrr", "type", 131, 0, 1, DT_INT),
	X4("lsrr", "length", 131, 1, 1, DT_INT),
	X4("lsrr", "ptr", 131, 2, 1, DT_INT),
	X4("lsrr", "addr", 131, 3, 4, DT_IPV4),
	X4("rr", "type", 7, 0, 1, DT_INT),
	X4("rr", "length", 7, 1, 1, DT_INT),
	X4("rr", "ptr", 7, 2, 1, DT_INT),
	X4("rr", "addr", 7, 3, 4, DT_IPV4),
	X4("ssrr", "type", 137, 0, 1, DT_INT),
	X4("ssrr", "length", 137, 1, 1, DT_INT),
	X4("ssrr", "ptr", 137, 2, 1, DT_INT),
	X4("ssrr", "addr", 137, 3, 4, DT_IPV4),
	X4("ra", "type", 148, 0, 1, DT_INT),
	X4("ra", "length", 148, 1, 1, DT_INT),
	X4("ra", "value", 148, 2, 2, DT_INT),
};
const size_t nftl_n_sels = sizeof(nftl_sels) / sizeof(nftl_sels[0]);

/* A table of nft's names for a header's numbers, looked up both ways:
 * by_name(NAME, &number), and name_of(number) the first name listed for
 * it, which is the one nft prints. */
#define SYM_LOOKUPS(table, by_name, name_of)                                 \
	bool by_name(const char *name, unsigned *v)                          \
	{                                                                    \
		uint32_t u;                                                  \
                                                                             \
		if (!nftl_sym_value(table, sizeof(table) / sizeof(table[0]), \
				    name, &u))                               \
			return false;                                        \
		*v = u;                                                      \
		return true;                                                 \
	}                                                                    \
	const char *name_of(unsigned v)                                      \
	{                                                                    \
		return nftl_sym_name(table, sizeof(table) / sizeof(table[0]), \
				     v);                                     \
	}

/* nft lists sack0 as sack, mss as maxseg */
static const struct nftl_sym tcpopt_kinds[] = {
	{ "eol", 0 },	    { "nop", 1 },	{ "maxseg", 2 },
	{ "mss", 2 }, /* nft 1.0.6's alias, listed as maxseg */
	{ "window", 3 },    { "sack-perm", 4 }, { "sack", 5 },
	{ "sack0", 5 },	    { "sack1", 5 },	{ "sack2", 5 },
	{ "sack3", 5 },	    { "timestamp", 8 }, { "md5sig", 19 },
	{ "mptcp", 30 },    { "fastopen", 34 },
};
SYM_LOOKUPS(tcpopt_kinds, nftl_tcpopt_kind, nftl_tcpopt_name)

static const struct nftl_sym exthdr6_types[] = {
	{ "hbh", 0 }, { "rt", 43 }, { "frag", 44 }, { "dst", 60 }, { "mh", 135 },
};
SYM_LOOKUPS(exthdr6_types, nftl_exthdr6_type, nftl_exthdr6_name)

static const struct nftl_sym sctp_chunks[] = {
	{ "data", 0 },		 { "init", 1 },		 { "init-ack", 2 },
	{ "sack", 3 },		 { "heartbeat", 4 },	 { "heartbeat-ack", 5 },
	{ "abort", 6 },		 { "shutdown", 7 },	 { "shutdown-ack", 8 },
	{ "error", 9 },		 { "cookie-echo", 10 },	 { "cookie-ack", 11 },
	{ "ecne", 12 },		 { "cwr", 13 },		 { "shutdown-complete", 14 },
	{ "asconf-ack", 128 },	 { "forward-tsn", 192 }, { "asconf", 193 },
};
SYM_LOOKUPS(sctp_chunks, nftl_sctp_chunk, nftl_sctp_chunk_name)

static const struct nftl_sym ipopt_types[] = {
	{ "lsrr", 131 }, { "rr", 7 }, { "ssrr", 137 }, { "ra", 148 },
};
SYM_LOOKUPS(ipopt_types, nftl_ipopt_type, nftl_ipopt_name)

/* The checksum of the header a field is in, as nft's protocol
 * descriptions give it: type (0 none, 1 inet, 2 sctp) and offset; the
 * headers whose writes the language takes. */
static bool write_csum(const char *proto, unsigned *type, unsigned *off)
{
	static const struct {
		const char *proto;
		unsigned type, off;
	} t[] = {
		{ "ether", 0, 0 }, { "ip", 1, 10 },   { "ip6", 0, 0 },
		{ "tcp", 1, 16 },  { "udp", 1, 6 },   { "sctp", 2, 8 },
		{ "udplite", 0, 0 }, { "dccp", 0, 0 }, { "arp", 0, 0 },
		{ "th", 0, 0 },
	};

	/* nft writes a raw payload (`@nh,8,8 set 4`) with no checksum */
	if (proto[0] == '@') {
		*type = *off = 0;
		return true;
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (streq(t[i].proto, proto)) {
			*type = t[i].type;
			*off = t[i].off;
			return true;
		}
	return false;
}

/*
 * nft's stmt_evaluate_payload(): a field of whole bytes is written as
 * it is, unless its header has a checksum and its length is odd (the
 * kernel updates checksums by 16-bit words): then, as for a bit field,
 * nft loads the bytes around it (two for one byte, the even offset
 * first), keeps the other bits with a mask, xors the value in and
 * writes them all.
 */
bool nftl_write_layout(const struct nftl_sel *s, struct nftl_write *w)
{
	unsigned bits = s->bits ? s->bits : 8u * s->len;
	unsigned boff = 8u * s->offset +
			(s->bits ? 8u * s->len - s->shift - s->bits : 0);
	unsigned csum_off, size, len, shift;
	int sh;

	memset(w, 0, sizeof(*w));
	/* nft 1.0.6 lists `ip protocol set udp` and `ether type set ip`,
	 * which it cannot read back, and icmp writes as th fields: none
	 * of them round trip */
	if (s->kind != SEL_PAYLOAD || s->mask || s->dtype == DT_PROTO ||
	    s->dtype == DT_ETHERTYPE ||
	    !write_csum(s->proto, &w->csum_type, &csum_off))
		return false;
	w->csum_offset = csum_off;
	/* what the transport checksum covers: addresses and length */
	w->pseudohdr = (streq(s->proto, "ip") || streq(s->proto, "ip6")) &&
		       (streq(s->field, "saddr") || streq(s->field, "daddr") ||
			streq(s->field, "length"));
	w->offset = boff / 8;
	w->len = s->len;
	w->bits = bits;
	if (boff % 8 == 0 && bits % 8 == 0 &&
	    (!w->csum_type || (bits / 8) % 2 == 0))
		return true;
	/* expr_offset_shift(): the value's distance from the low end of
	 * the bytes that hold it */
	len = (bits + 7) / 8 * 8;
	sh = (int)len - (int)(boff % 8 + bits);
	size = len;
	while (sh < 0) {
		sh += 8;
		size += 8;
	}
	shift = (unsigned)sh;
	size /= 8;
	if (w->csum_type && size % 2) {
		size++;
		if (w->offset % 2)
			w->offset--;
		else
			shift += 8;
	}
	if (size > 8 || bits + shift > 64)
		return false;
	w->len = size;
	w->shift = shift;
	w->masked = true;
	w->mask = ~(((bits == 64 ? ~0ull : (1ull << bits) - 1)) << shift);
	if (size < 8)
		w->mask &= (1ull << (8 * size)) - 1;
	return true;
}

int nftl_icmp_need(const struct nftl_sel *s)
{
	bool v6;

	if (s->kind != SEL_PAYLOAD || s->base != 2)
		return NFTL_ICMP_ANY;
	if (streq(s->proto, "icmpv6"))
		v6 = true;
	else if (streq(s->proto, "icmp"))
		v6 = false;
	else
		return NFTL_ICMP_ANY;
	if (streq(s->field, "id") || streq(s->field, "sequence"))
		return NFTL_ICMP_ECHO;
	if (streq(s->field, "mtu"))
		return v6 ? 2 : 3;
	if (streq(s->field, "max-delay"))
		return 130;
	return NFTL_ICMP_ANY;
}

bool nftl_icmp_satisfied(int need, int known, bool v6)
{
	if (need == NFTL_ICMP_ANY)
		return true;
	if (need != NFTL_ICMP_ECHO)
		return known == need;
	return known == NFTL_ICMP_ECHO || known == (v6 ? 128 : 0) ||
	       known == (v6 ? 129 : 8);
}

bool nftl_icmp_echo_set(const struct nftl_sel *s,
			const struct linx_value *el)
{
	bool v6 = s && streq(s->proto, "icmpv6");
	int64_t a, b, lo = v6 ? 128 : 0, hi = v6 ? 129 : 8;

	if (!s || s->kind != SEL_PAYLOAD || s->base != 2 || !streq(s->field, "type") ||
	    (!v6 && !streq(s->proto, "icmp")) || !el || el->type != LINX_LIST ||
	    el->len != 2 || !linx_value_get_i64(&el->items[0], &a) ||
	    !linx_value_get_i64(&el->items[1], &b))
		return false;
	return (a == lo && b == hi) || (a == hi && b == lo);
}

const struct nftl_sel *nftl_sel_find(const char *proto, const char *field)
{
	if (streq(proto, "meta") && streq(field, "secpath"))
		field = "ipsec";
	if (streq(proto, "meta") && streq(field, "ibriport"))
		field = "ibrname";
	if (streq(proto, "meta") && streq(field, "obriport"))
		field = "obrname";
	/* the first bytes before strcmp(): a rule looks up several */
	for (size_t i = 0; i < nftl_n_sels; i++)
		if (nftl_sels[i].proto[0] == proto[0] &&
		    nftl_sels[i].field[0] == field[0] &&
		    strcmp(nftl_sels[i].proto, proto) == 0 &&
		    strcmp(nftl_sels[i].field, field) == 0)
			return &nftl_sels[i];
	return NULL;
}

static const struct nftl_sym protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "gre", 47 }, { "esp", 50 },
	{ "ah", 51 }, { "comp", 108 }, { "sctp", 132 }, { "udplite", 136 },
	{ "dccp", 33 },
};
static const struct nftl_sym ethertypes[] = {
	{ "ip", 0x0800 }, { "arp", 0x0806 }, { "ip6", 0x86dd },
	/* 8021q first: the name nft prints */
	{ "8021q", 0x8100 }, { "vlan", 0x8100 }, { "8021ad", 0x88a8 },
};
static const struct nftl_sym nfprotos[] = { { "ipv4", 2 }, { "ipv6", 10 } };
static const struct nftl_sym ctstates[] = {
	{ "invalid", 1 }, { "established", 2 }, { "related", 4 },
	{ "new", 8 }, { "untracked", 64 },
};
static const struct nftl_sym ctstatus[] = {
	{ "expected", 1 }, { "seen-reply", 2 }, { "assured", 4 },
	{ "confirmed", 8 }, { "snat", 16 }, { "dnat", 32 }, { "dying", 512 },
};
static const struct nftl_sym ctdirs[] = { { "original", 0 }, { "reply", 1 } };
static const struct nftl_sym tcpflags[] = {
	{ "fin", 1 }, { "syn", 2 }, { "rst", 4 }, { "psh", 8 },
	{ "ack", 16 }, { "urg", 32 }, { "ecn", 64 }, { "cwr", 128 },
};
static const struct nftl_sym icmptypes[] = {
	{ "echo-reply", 0 }, { "destination-unreachable", 3 },
	{ "source-quench", 4 }, { "redirect", 5 }, { "echo-request", 8 },
	{ "router-advertisement", 9 }, { "router-solicitation", 10 },
	{ "time-exceeded", 11 }, { "parameter-problem", 12 },
	{ "timestamp-request", 13 }, { "timestamp-reply", 14 },
	{ "info-request", 15 }, { "info-reply", 16 },
	{ "address-mask-request", 17 }, { "address-mask-reply", 18 },
};
static const struct nftl_sym icmp6types[] = {
	{ "destination-unreachable", 1 }, { "packet-too-big", 2 },
	{ "time-exceeded", 3 }, { "parameter-problem", 4 },
	{ "echo-request", 128 }, { "echo-reply", 129 },
	{ "mld-listener-query", 130 }, { "mld-listener-report", 131 },
	{ "mld-listener-done", 132 },
	/* nft's other name for 132; it lists the first */
	{ "mld-listener-reduction", 132 }, { "nd-router-solicit", 133 },
	{ "nd-router-advert", 134 }, { "nd-neighbor-solicit", 135 },
	{ "nd-neighbor-advert", 136 }, { "nd-redirect", 137 },
	{ "router-renumbering", 138 }, { "ind-neighbor-solicit", 141 },
	{ "ind-neighbor-advert", 142 }, { "mld2-listener-report", 143 },
};
static const struct nftl_sym pkttypes[] = {
	{ "host", 0 }, { "broadcast", 1 }, { "multicast", 2 }, { "other", 3 },
	{ "unicast", 0 }, /* nft's other name for host; host lists */
};
static const struct nftl_sym arphrds[] = {
	{ "ether", 1 }, { "ppp", 512 }, { "ipip", 768 }, { "ipip6", 769 },
	{ "loopback", 772 }, { "sit", 776 }, { "ipgre", 778 },
};
static const struct nftl_sym arpops[] = {
	{ "request", 1 },   { "reply", 2 },	{ "rrequest", 3 },
	{ "rreply", 4 },    { "inrequest", 8 }, { "inreply", 9 },
	{ "nak", 10 },
};

/* the first name of a value is the one nft prints */
static const struct nftl_sym dscps[] = {
	{ "cs0", 0x00 },   { "cs1", 0x08 },   { "cs2", 0x10 },	 { "cs3", 0x18 },
	{ "cs4", 0x20 },   { "cs5", 0x28 },   { "cs6", 0x30 },	 { "cs7", 0x38 },
	{ "df", 0x00 },	   { "be", 0x00 },    { "lephb", 0x01 }, { "af11", 0x0a },
	{ "af12", 0x0c },  { "af13", 0x0e },  { "af21", 0x12 },	 { "af22", 0x14 },
	{ "af23", 0x16 },  { "af31", 0x1a },  { "af32", 0x1c },	 { "af33", 0x1e },
	{ "af41", 0x22 },  { "af42", 0x24 },  { "af43", 0x26 },	 { "va", 0x2c },
	{ "ef", 0x2e },
};
/* the mobility header's types as nft 1.0.6 names them (mhtype_type) */
static const struct nftl_sym mhtypes[] = {
	{ "binding-refresh-request", 0 },
	{ "home-test-init", 1 },
	{ "careof-test-init", 2 },
	{ "home-test", 3 },
	{ "careof-test", 4 },
	{ "binding-update", 5 },
	{ "binding-acknowledgement", 6 },
	{ "binding-error", 7 },
	{ "fast-binding-update", 8 },
	{ "fast-binding-acknowledgement", 9 },
	{ "fast-binding-advertisement", 10 },
	{ "experimental-mobility-header", 11 },
	{ "home-agent-switch-message", 12 },
};
static const struct nftl_sym ecns[] = {
	{ "not-ect", 0 }, { "ect1", 1 }, { "ect0", 2 }, { "ce", 3 },
};

/* IGMP's message types (RFC 3376), as nft names them */
static const struct nftl_sym igmptypes[] = {
	{ "membership-query", 0x11 }, { "membership-report-v1", 0x12 },
	{ "membership-report-v2", 0x16 }, { "membership-report-v3", 0x22 },
	{ "leave-group", 0x17 },
};

/* RFC 4340's packet types, as nft names them */
static const struct nftl_sym dccptypes[] = {
	{ "request", 0 }, { "response", 1 }, { "data", 2 }, { "ack", 3 },
	{ "dataack", 4 }, { "closereq", 5 }, { "close", 6 }, { "reset", 7 },
	{ "sync", 8 }, { "syncack", 9 },
};

static const struct nftl_sym ctevents[] = {
	{ "new", 1 },	      { "related", 2 }, { "destroy", 4 },
	{ "reply", 8 },	      { "assured", 16 }, { "protoinfo", 32 },
	{ "helper", 64 },     { "mark", 128 },	{ "seqadj", 256 },
	{ "secmark", 512 },   { "label", 1024 },
};

static const struct nftl_sym bools[] = { { "exists", 1 }, { "missing", 0 } };
static const struct nftl_sym days[] = {
	{ "Sunday", 0 },   { "Monday", 1 }, { "Tuesday", 2 }, { "Wednesday", 3 },
	{ "Thursday", 4 }, { "Friday", 5 }, { "Saturday", 6 },
};

/* The codes `reject with icmp|icmpv6|icmpx type NAME` takes (nft
 * describe icmp_code, icmpv6_code, icmpx_code). */
static const struct nftl_sym reject_icmp[] = {
	{ "net-unreachable", 0 },  { "host-unreachable", 1 },
	{ "prot-unreachable", 2 }, { "port-unreachable", 3 },
	{ "frag-needed", 4 },	   { "net-prohibited", 9 },
	{ "host-prohibited", 10 }, { "admin-prohibited", 13 },
};
static const struct nftl_sym reject_icmp6[] = {
	{ "no-route", 0 },	   { "admin-prohibited", 1 },
	{ "addr-unreachable", 3 }, { "port-unreachable", 4 },
	{ "policy-fail", 5 },	   { "reject-route", 6 },
};
static const struct nftl_sym reject_icmpx[] = {
	{ "no-route", 0 },
	{ "port-unreachable", 1 },
	{ "host-unreachable", 2 },
	{ "admin-prohibited", 3 },
};

const struct nftl_sym *nftl_reject_codes(enum nftl_reject which, size_t *n)
{
	switch (which) {
	case REJECT_ICMP: *n = sizeof(reject_icmp) / sizeof(*reject_icmp); return reject_icmp;
	case REJECT_ICMP6: *n = sizeof(reject_icmp6) / sizeof(*reject_icmp6); return reject_icmp6;
	default: *n = sizeof(reject_icmpx) / sizeof(*reject_icmpx); return reject_icmpx;
	}
}

long nftl_gmtoff(void)
{
	struct tm tm;
	time_t now = time(NULL);

	return localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;
}

static const struct nftl_sym fibaddrs[] = {
	{ "unspec", 0 }, { "unicast", 1 }, { "local", 2 }, { "broadcast", 3 },
	{ "anycast", 4 }, { "multicast", 5 }, { "blackhole", 6 },
	{ "unreachable", 7 }, { "prohibit", 8 },
};

#define N(t) (sizeof(t) / sizeof((t)[0]))

const struct nftl_sym *nftl_dtype_syms(unsigned dtype, size_t *n)
{
	switch (dtype) {
	case DT_PROTO: *n = N(protos); return protos;
	case DT_ETHERTYPE: *n = N(ethertypes); return ethertypes;
	case DT_NFPROTO: *n = N(nfprotos); return nfprotos;
	case DT_CTSTATE: *n = N(ctstates); return ctstates;
	case DT_CTSTATUS: *n = N(ctstatus); return ctstatus;
	case DT_CTDIR: *n = N(ctdirs); return ctdirs;
	case DT_TCPFLAGS: *n = N(tcpflags); return tcpflags;
	case DT_ICMPTYPE: *n = N(icmptypes); return icmptypes;
	case DT_ICMP6TYPE: *n = N(icmp6types); return icmp6types;
	case DT_PKTTYPE: *n = N(pkttypes); return pkttypes;
	case DT_ARPHRD: *n = N(arphrds); return arphrds;
	case DT_FIBADDR: *n = N(fibaddrs); return fibaddrs;
	case DT_ARPOP: *n = N(arpops); return arpops;
	case DT_DSCP: *n = N(dscps); return dscps;
	case DT_ECN: *n = N(ecns); return ecns;
	case DT_DCCPTYPE: *n = N(dccptypes); return dccptypes;
	case DT_IGMPTYPE: *n = N(igmptypes); return igmptypes;
	/* the codes reject takes are the code types' names */
	case DT_ICMPCODE: *n = N(reject_icmp); return reject_icmp;
	case DT_ICMP6CODE: *n = N(reject_icmp6); return reject_icmp6;
	case DT_CTEVENT: *n = N(ctevents); return ctevents;
	case DT_BOOL: *n = N(bools); return bools;
	case DT_DAY: *n = N(days); return days;
	case DT_MHTYPE: *n = N(mhtypes); return mhtypes;
	default: *n = 0; return NULL;
	}
}

const char *nftl_sym_name(const struct nftl_sym *t, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

bool nftl_sym_value(const struct nftl_sym *t, size_t n, const char *name,
		   uint32_t *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0) {
			*v = t[i].v;
			return true;
		}
	return false;
}

unsigned nftl_dtype_len(unsigned dtype)
{
	switch (dtype) {
	case DT_IPV4: return 4;
	case DT_IPV6: return 16;
	case DT_ETHER: return 6;
	case DT_SERVICE: return 2;
	case DT_PROTO: return 1;
	case DT_IFNAME: return 16;
	case DT_IFINDEX: return 4;
	case DT_ETHERTYPE: return 2;
	case DT_NFPROTO: return 1;
	case DT_CTSTATE: return 4;
	case DT_CTSTATUS: return 4;
	case DT_MARK: return 4;
	case DT_UID: return 4;
	case DT_GID: return 4;
	case DT_DEVGROUP: return 4;
	case DT_REALM: return 4;
	case DT_ARPOP: return 2;
	default: return 0;
	}
}

const char *nftl_dtype_settype(unsigned dtype, unsigned len)
{
	switch (dtype) {
	case DT_IPV4: return "ipv4_addr";
	case DT_IPV6: return "ipv6_addr";
	case DT_ETHER: return "ether_addr";
	case DT_SERVICE: return "inet_service";
	case DT_PROTO: return "inet_proto";
	case DT_IFNAME: return "ifname";
	case DT_IFINDEX: return "iface_index";
	case DT_ETHERTYPE: return "ether_type";
	case DT_MARK: return "mark";
	case DT_UID: return "uid";
	case DT_GID: return "gid";
	case DT_DEVGROUP: return "devgroup";
	case DT_REALM: return "realm";
	case DT_ICMPTYPE: return "icmp_type";
	case DT_ICMP6TYPE: return "icmpv6_type";
	case DT_CTSTATE: return "ct_state";
	case DT_CTSTATUS: return "ct_status";
	case DT_CTDIR: return "ct_dir";
	case DT_TCPFLAGS: return "tcp_flag";
	case DT_PKTTYPE: return "pkt_type";
	case DT_NFPROTO: return "nf_proto";
	case DT_ARPHRD: return "iface_type";
	case DT_ARPOP: return "arp_op";
	case DT_HINT: /* nft's plain integers, marked host order */
		return len == 2 ? "host_integer/16"
		       : len == 4 ? "host_integer/32" : NULL;
	case DT_DSCP: return "dscp";
	case DT_ECN: return "ecn";
	case DT_DCCPTYPE: return "dccp_pkttype";
	case DT_IGMPTYPE: return "igmp_type";
	case DT_ICMPCODE: return "icmp_code";
	case DT_ICMP6CODE: return "icmpv6_code";
	case DT_TIME: return "time";
	case DT_BOOL: return "boolean";
	case DT_CLASSID: return "classid";
	case DT_DAY: return "day";
	case DT_HOUR: return "hour";
	/* nft calls it "time" too (ct expiration's name); the plugin's
	 * name tells the two apart */
	case DT_DATE: return "time_date";
	case DT_STR16: return NULL; /* nft: integer/128, bytes */
	case DT_CTEVENT: return NULL;
	case DT_FIBADDR: return "fib_addrtype";
	case DT_MHTYPE: return "mh_type";
	default:
		switch (len) {
		case 1: return "integer/8";
		case 2: return "integer/16";
		case 3: return "integer/24"; /* ip6 flowlabel */
		case 4: return "integer/32";
		case 8: return "integer/64";
		default: return NULL;
		}
	}
}

const char *nftl_raw_settype(unsigned len)
{
	/* a raw payload in whole bytes is 1 to 16 of them (NFT_REG_SIZE) */
	static const char *const ints[] = {
		"integer/8",   "integer/16",  "integer/24",  "integer/32",
		"integer/40",  "integer/48",  "integer/56",  "integer/64",
		"integer/72",  "integer/80",  "integer/88",  "integer/96",
		"integer/104", "integer/112", "integer/120", "integer/128",
	};

	return len >= 1 && len <= 16 ? ints[len - 1] : NULL;
}

bool nftl_settype_dtype(const char *name, unsigned *dtype, unsigned *len)
{
	static const unsigned all[] = {
		DT_IPV4, DT_IPV6, DT_ETHER, DT_SERVICE, DT_PROTO, DT_IFNAME,
		DT_IFINDEX, DT_ETHERTYPE, DT_MARK, DT_ICMPTYPE, DT_ICMP6TYPE,
		DT_CTSTATE, DT_CTSTATUS, DT_CTDIR, DT_TCPFLAGS, DT_PKTTYPE,
		DT_NFPROTO, DT_ARPHRD, DT_UID, DT_GID, DT_DEVGROUP, DT_ARPOP,
		DT_HINT, DT_HINT, DT_DSCP, DT_ECN, DT_TIME, DT_BOOL, DT_CLASSID,
		DT_DAY, DT_HOUR, DT_FIBADDR, DT_DATE, DT_MHTYPE, DT_REALM,
		DT_DCCPTYPE, DT_IGMPTYPE, DT_ICMPCODE, DT_ICMP6CODE,
	};
	static const unsigned lens[] = { 4, 16, 6, 2, 1, 16, 4, 2, 4, 1, 1,
					 4, 4, 1, 1, 1, 1, 2, 4, 4, 4, 2,
					 2, 4, 1, 1, 4, 1, 4, 1, 4, 4, 8,
					 1, 4, 1, 1, 1, 1 };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(nftl_dtype_settype(all[i], lens[i]), name) == 0) {
			*dtype = all[i];
			*len = lens[i];
			return true;
		}
	return false;
}

bool nftl_dtype_host(unsigned dt)
{
	return dt == DT_HINT || dt == DT_MARK || dt == DT_IFINDEX ||
	       dt == DT_CTSTATE || dt == DT_CTSTATUS || dt == DT_ARPHRD ||
	       dt == DT_FIBADDR || dt == DT_UID || dt == DT_GID ||
	       dt == DT_DEVGROUP || dt == DT_REALM || dt == DT_TIME ||
	       dt == DT_CTEVENT || dt == DT_CLASSID || dt == DT_HOUR ||
	       dt == DT_DATE;
}

bool nftl_dtype_hton(unsigned dt, unsigned len)
{
	return nftl_dtype_host(dt) && (len == 2 || len == 4 || len == 8);
}

bool nftl_widens_into_mark(const struct nftl_sel *dst,
			   const struct nftl_sel *src)
{
	/* a big-endian key nft 1.1 turns to host order first; 1.0.6
	 * refuses it, and so do we */
	return dst->dtype == DT_MARK && src->len < dst->len &&
	       (src->len == 1 || nftl_dtype_host(src->dtype));
}

bool nftl_sel_settable(const struct nftl_sel *s)
{
	static const char *const meta[] = { "mark", "priority", "pkttype",
					    "nftrace", "secmark" };
	static const char *const ct[] = { "mark", "labels", "eventmask",
					  "zone", "secmark" };

	for (size_t i = 0; s->key && i < 5; i++)
		if (strcmp(s->key, s->kind == SEL_META ? meta[i] : ct[i]) == 0)
			return s->kind == SEL_META || s->kind == SEL_CT;
	return false;
}

bool nftl_sel_map_settable(const struct nftl_sel *s)
{
	return nftl_sel_settable(s) &&
	       (s->dtype == DT_MARK || s->dtype == DT_CLASSID ||
		s->dtype == DT_PKTTYPE ||
		(s->kind == SEL_CT && strcmp(s->key, "zone") == 0));
}

unsigned nftl_sel_hton_size(const struct nftl_sel *s)
{
	if (nftl_dtype_hton(s->dtype, s->len))
		return s->len;
	/* ct protocol is the one byte nft keeps in network order */
	if (s->len == 1 &&
	    (s->kind == SEL_META ||
	     (s->kind == SEL_CT && strcmp(s->key, "protocol") != 0)))
		return 2;
	return 0;
}

bool nftl_dtype_is_bitmask(unsigned dtype)
{
	return dtype == DT_CTSTATE || dtype == DT_CTSTATUS ||
	       dtype == DT_TCPFLAGS;
}

int nftl_l4_proto(const char *proto)
{
	uint32_t v;

	if (streq(proto, "icmpv6"))
		return 58;
	if (nftl_sym_value(protos, N(protos), proto, &v))
		return (int)v;
	return -1;
}

/* ---- text buffer ------------------------------------------------------------ */

void nftl_sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

void nftl_sb_puts(struct sbuf *b, const char *s)
{
	nftl_sb_put(b, s, strlen(s));
}

void nftl_sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		nftl_sb_put(b, tmp, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	nftl_sb_put(b, big, (size_t)n);
	free(big);
}

void nftl_sb_quote(struct sbuf *b, const char *s)
{
	nftl_sb_put(b, "\"", 1);
	for (; *s; s++) {
		switch (*s) {
		case '"': nftl_sb_puts(b, "\\\""); break;
		case '\\':
			/* a backslash that starts no escape stays one, as
			 * nft (which has no escapes) reads it too */
			nftl_sb_puts(b, s[1] && !strchr("\\\"ntr0", s[1])
						? "\\"
						: "\\\\");
			break;
		case '\n': nftl_sb_puts(b, "\\n"); break;
		case '\t': nftl_sb_puts(b, "\\t"); break;
		case '\r': nftl_sb_puts(b, "\\r"); break;
		default: nftl_sb_put(b, s, 1);
		}
	}
	nftl_sb_put(b, "\"", 1);
}

/* Words nft 1.0.6's scanner makes keywords everywhere a table, chain,
 * set, object or flowtable name stands: `chain fwd`, `table inet ip`
 * and `jump counter` are syntax errors to nft. Found by loading every
 * word of nft's manual, examples and library strings in each of those
 * places with `nft -c`; `input`, `filter`, `nat`, `in` are not among
 * them. Sorted for bsearch(). */
static const char *const nft_keywords[] = {
	"accept", "add", "ah", "all", "and", "arp", "auto-merge", "bridge",
	"cgroup", "chain", "comment", "comp", "constant", "continue",
	"counter", "cpu", "create", "ct", "day", "dccp", "define", "delete",
	"describe", "device", "devices", "dnat", "drop", "dst", "dup",
	"dynamic", "ecn", "element", "elements", "eq", "esp", "ether",
	"exists", "expires", "export", "exthdr", "fib", "flags", "flow",
	"flowtable", "flush", "frag", "fwd", "gc-interval", "get", "goto",
	"handle", "hbh", "hook", "hour", "ibriport", "ibrname", "icmp",
	"icmpv6", "igmp", "iif", "iifgroup", "iifname", "iiftype", "import",
	"include", "index", "inet", "insert", "interval", "ip", "ip6",
	"ipsec", "jhash", "jump", "limit", "list", "log", "lt", "map", "mark",
	"masquerade", "meta", "meter", "mh", "missing", "monitor", "netdev",
	"nftrace", "not", "notrack", "numgen", "obriport", "obrname",
	"offload", "oif", "oifgroup", "oifname", "oiftype", "or", "osf",
	"pkttype", "policy", "position", "priority", "queue", "quota",
	"random", "redefine", "redirect", "reject", "rename", "replace",
	"reset", "return", "rt", "rt0", "rt2", "rtclassid", "rule", "ruleset",
	"sctp", "secmark", "set", "size", "skgid", "skuid", "snat", "socket",
	"srh", "symhash", "synproxy", "table", "tcp", "th", "time", "timeout",
	"tproxy", "type", "typeof", "udp", "udplite", "undefine", "update",
	"vlan", "vmap", "xt",
};

static int kw_cmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

const char *nftl_hole_type(unsigned dt, unsigned len, char *buf, size_t n)
{
	switch (dt) {
	case DT_IPV4: return "ipv4_addr";
	case DT_IPV6: return "ipv6_addr";
	case DT_IFNAME: return "ifname";
	case DT_ETHER: return "ether_addr";
	default:
		snprintf(buf, n, "%s/%u", nftl_dtype_host(dt) ? "host_integer"
							 : "integer",
			 len * 8);
		return buf;
	}
}

bool nftl_byte_unit(const char *s, size_t n, uint64_t *mul)
{
	static const struct {
		const char *name;
		uint64_t mul;
	} units[] = { { "bytes", 1 },
		      { "kbytes", 1024 },
		      { "mbytes", 1024 * 1024 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n &&
		    strncmp(s, units[i].name, n) == 0) {
			if (mul)
				*mul = units[i].mul;
			return true;
		}
	return false;
}

bool nftl_is_keyword(const char *s)
{
	return bsearch(s, nft_keywords,
		       sizeof(nft_keywords) / sizeof(nft_keywords[0]),
		       sizeof(nft_keywords[0]), kw_cmp) != NULL;
}

/* The states a ct timeout policy names, per layer 4 protocol, with the
 * kernel's default timeouts in seconds (nf_conntrack-sysctl.rst): the
 * parser checks names against them, the formatter leaves out a pulled
 * policy's defaults as nft does. */
static const struct nftl_ct_state tcp_ct_states[] = {
	{ "syn_sent", "syn_sent", 120 },
	{ "syn_recv", "syn_recv", 60 },
	{ "established", "established", 432000 },
	{ "fin_wait", "fin_wait", 120 },
	{ "close_wait", "close_wait", 60 },
	{ "last_ack", "last_ack", 30 },
	{ "time_wait", "time_wait", 120 },
	{ "close", "close", 10 },
	{ "syn_sent2", "syn_sent2", 120 },
	{ "retrans", "retrans", 300 },
	{ "unack", "unacknowledged", 300 },
	{ NULL, NULL, 0 },
};
static const struct nftl_ct_state udp_ct_states[] = {
	{ "unreplied", "unreplied", 30 },
	{ "replied", "replied", 120 },
	{ NULL, NULL, 0 },
};

const struct nftl_ct_state *nftl_ct_states(const char *proto)
{
	return !proto			? NULL
	       : strcmp(proto, "tcp") == 0 ? tcp_ct_states
	       : strcmp(proto, "udp") == 0 ? udp_ct_states
				     : NULL;
}

const char *nftl_objref_words(const char *kind)
{
	return strcmp(kind, "ct_helper") == 0	 ? "ct helper set"
	       : strcmp(kind, "ct_timeout") == 0 ? "ct timeout set"
	       : strcmp(kind, "ct_expect") == 0	 ? "ct expectation set"
	       : strcmp(kind, "synproxy") == 0	 ? "synproxy name"
	       : strcmp(kind, "counter") == 0	 ? "counter name"
	       : strcmp(kind, "quota") == 0	 ? "quota name"
	       : strcmp(kind, "limit") == 0	 ? "limit name"
	       : strcmp(kind, "secmark") == 0	 ? "meta secmark set"
						 : NULL;
}

const char *nftl_object_type_word(const char *kind)
{
	/* nft's grammar (map_block_obj_type) declares maps of these only;
	 * a ct helper map is written inline (`ct helper set tcp dport map
	 * { ... }`) */
	static const char *const kinds[] = { "counter", "quota", "limit",
					     "secmark", "synproxy" };

	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

bool nftl_tcpopt_raw_sel(uint64_t kind, uint64_t off, uint64_t len,
			 struct nftl_raw *raw, const struct nftl_sel **ret,
			 char *why, size_t why_len)
{
	if (kind > 255) {
		snprintf(why, why_len, "a TCP option kind is 0 to 255");
		return false;
	}
	/* a value is at most one 16-byte register (NFT_REG_SIZE) */
	if (len == 0 || len > 128) {
		snprintf(why, why_len, "TCP option field length out of range: "
				       "%llu bits (1-128)",
			 (unsigned long long)len);
		return false;
	}
	/* a TCP header has at most 40 bytes of options: nft 1.0.6 and 1.1
	 * check where the field starts against that */
	if (off > 320) {
		snprintf(why, why_len, "TCP option field offset out of range: "
				       "%llu bits (0-320)",
			 (unsigned long long)off);
		return false;
	}
	if (off % 8 || len % 8 || len > 64) {
		snprintf(why, why_len, "unsupported feature: a TCP option "
				       "field %s",
			 len > 64 ? "over 8 bytes" : "not in whole bytes");
		return false;
	}
	for (size_t i = 0; i < nftl_n_sels; i++) {
		const struct nftl_sel *s = &nftl_sels[i];
		if (s->kind == SEL_EXTHDR && s->base == kind && !s->bits &&
		    s->offset == off / 8 && s->len == len / 8 &&
		    strncmp(s->proto, "tcp option ", 11) == 0) {
			*ret = s;
			return true;
		}
	}
	memset(raw, 0, sizeof(*raw));
	snprintf(raw->field_buf, sizeof(raw->field_buf), "@%u,%u,%u",
		 (unsigned)kind, (unsigned)off, (unsigned)len);
	raw->sel.proto = "tcp option";
	raw->sel.field = raw->field_buf;
	raw->sel.kind = SEL_EXTHDR;
	raw->sel.base = (uint8_t)kind;
	raw->sel.offset = (uint8_t)(off / 8);
	raw->sel.len = (uint8_t)(len / 8);
	raw->sel.dtype = DT_INT;
	*ret = &raw->sel;
	return true;
}

bool nftl_raw_sel(const char *base, uint64_t off, uint64_t len,
		  struct nftl_raw *raw, const struct nftl_sel **ret,
		  char *why, size_t why_len)
{
	static const char *const bases[] = { "ll", "nh", "th" };
	static const char *const raw_protos[] = { "@ll", "@nh", "@th" };
	unsigned b = 0;

	while (b < 3 && !streq(bases[b], base))
		b++;
	if (b == 3) {
		snprintf(why, why_len, "unknown raw payload base: %s (ll, nh "
				       "or th)", base);
		return false;
	}
	/* a value is at most one 16-byte register (NFT_REG_SIZE) */
	if (len == 0 || len > 128) {
		snprintf(why, why_len, "raw payload length out of range: "
				       "%llu bits (1-128)",
			 (unsigned long long)len);
		return false;
	}
	uint64_t inner = off % 8, bytes = (inner + len + 7) / 8;
	/* the kernel's payload offset is one byte (nft_payload.c) */
	if (off / 8 + bytes > 256) {
		snprintf(why, why_len, "raw payload offset out of range: "
				       "%llu bits (the field ends past byte "
				       "255)",
			 (unsigned long long)off);
		return false;
	}
	if (bytes > 16) {
		snprintf(why, why_len, "raw payload of %llu bits at bit %llu "
				       "spans more than 16 bytes",
			 (unsigned long long)len, (unsigned long long)inner);
		return false;
	}
	/* nft's payload_init_raw(): these two are th sport and th dport,
	 * of type inet_service */
	if (b == 2 && len == 16 && (off == 0 || off == 16)) {
		*ret = nftl_sel_find("th", off ? "dport" : "sport");
		return *ret != NULL;
	}
	bool aligned = inner == 0 && len % 8 == 0;
	if (!aligned && bytes > 8) {
		snprintf(why, why_len, "unsupported feature: a raw payload "
				       "not in whole bytes over more than 8 "
				       "bytes");
		return false;
	}
	memset(raw, 0, sizeof(*raw));
	snprintf(raw->field_buf, sizeof(raw->field_buf), "%llu,%llu",
		 (unsigned long long)off, (unsigned long long)len);
	raw->sel.proto = raw_protos[b];
	raw->sel.field = raw->field_buf;
	raw->sel.kind = SEL_PAYLOAD;
	raw->sel.base = (uint8_t)b;
	raw->sel.offset = (uint8_t)(off / 8);
	raw->sel.len = (uint8_t)bytes;
	raw->sel.dtype = DT_XINT;
	/* not whole bytes: the field's bits in the loaded bytes, as nft
	 * masks them (and shifts the values into place) */
	if (!aligned) {
		raw->sel.bits = (uint8_t)len;
		raw->sel.shift = (uint8_t)(bytes * 8 - inner - len);
	}
	*ret = &raw->sel;
	return true;
}

/* ---- table families ---------------------------------------------------- */

const char *const nftl_fam_names[F_UNKNOWN] = {
	[F_IP] = "ip",	   [F_IP6] = "ip6",	  [F_INET] = "inet",
	[F_ARP] = "arp",   [F_BRIDGE] = "bridge", [F_NETDEV] = "netdev",
};

int nftl_fam_of(const char *s)
{
	for (int i = 0; s && i < F_UNKNOWN; i++)
		if (strcmp(s, nftl_fam_names[i]) == 0)
			return i;
	return F_UNKNOWN;
}

uint8_t nftl_fam_nfproto(int family)
{
	static const uint8_t nfproto[F_UNKNOWN] = {
		[F_IP] = NFPROTO_IPV4,	  [F_IP6] = NFPROTO_IPV6,
		[F_INET] = NFPROTO_INET,  [F_ARP] = NFPROTO_ARP,
		[F_BRIDGE] = NFPROTO_BRIDGE, [F_NETDEV] = NFPROTO_NETDEV,
	};

	return family >= 0 && family < F_UNKNOWN ? nfproto[family]
						 : NFPROTO_UNSPEC;
}

uint64_t nftl_get_uint(const uint8_t *b, unsigned len, bool host)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len && i < 8; i++) {
		unsigned sh = host ? i : len - 1 - i;
#if __BYTE_ORDER == __BIG_ENDIAN
		if (host)
			sh = len - 1 - i;
#endif
		v |= (uint64_t)b[i] << (8 * sh);
	}
	return v;
}
