/* SPDX-License-Identifier: MIT */
/*
 * The decoders on hand-made messages, valid and malformed: fields come
 * out right; a fixed header that does not fit or a known attribute of the
 * wrong size is EBADMSG; unknown attributes are skipped; every truncation
 * of a valid message is handled without reading past it (run this under
 * ASan to prove the last point).  No kernel involved.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-test.h"

static char buf[4096] __attribute__((aligned(4)));

static struct nlmsghdr *start(uint16_t type, size_t hdr)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	mnl_nlmsg_put_extra_header(nlh, hdr);
	return nlh;
}

/* Decode every prefix of `nlh` from an exact-size heap copy. */
static void every_truncation(const struct nlmsghdr *nlh,
			     int (*decode)(const struct nlmsghdr *, void *),
			     size_t objsize)
{
	void *obj = malloc(objsize);

	for (uint32_t len = 0; len <= nlh->nlmsg_len; len++) {
		struct nlmsghdr *copy = malloc(len < sizeof(*copy) ? sizeof(*copy)
								   : len);
		int r;

		if (len < sizeof(*copy)) {
			free(copy);
			continue;
		}
		memcpy(copy, nlh, len);
		copy->nlmsg_len = len;
		r = decode(copy, obj);
		ck_assert_msg(r == 0 || r == -EBADMSG, "len %u: %d", len, r);
		free(copy);
	}
	free(obj);
}

static int dlink(const struct nlmsghdr *n, void *o) { return linx_rtnl_link_decode(n, o); }
static int daddr(const struct nlmsghdr *n, void *o) { return linx_rtnl_addr_decode(n, o); }
static int droute(const struct nlmsghdr *n, void *o) { return linx_rtnl_route_decode(n, o); }
static int drule(const struct nlmsghdr *n, void *o) { return linx_rtnl_rule_decode(n, o); }
static int dstats(const struct nlmsghdr *n, void *o) { return linx_rtnl_stats_decode(n, o); }

START_TEST(link_fields_and_malformed)
{
	struct nlmsghdr *nlh = start(RTM_NEWLINK, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct nlattr *info, *data, *peer;
	struct linx_rtnl_link l;
	struct ifinfomsg *pifi;

	ifi->ifi_index = 7;
	ifi->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0.42");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1400);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put(nlh, 0x3fff, 5, "junk!"); /* unknown: skipped */
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_VLAN_ID, 42);
	mnl_attr_put_u16(nlh, IFLA_VLAN_PROTOCOL, htons(0x88a8));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), 0);
	ck_assert_int_eq(l.index, 7);
	ck_assert_str_eq(l.name, "eth0.42");
	ck_assert_uint_eq(l.mtu, 1400);
	ck_assert_str_eq(rt_mac(&l.address), "02:00:00:00:00:01");
	ck_assert_int_eq(l.linkinfo.kind_id, LINX_RTNL_KIND_VLAN);
	ck_assert_uint_eq(l.linkinfo.data.vlan.id, 42);
	ck_assert_uint_eq(l.linkinfo.data.vlan.protocol, 0x88a8);
	ck_assert_int_eq(l.link_netnsid, -1);
	ck_assert(!(l.present & LINX_RTNL_LINK_HAS_MASTER));
	every_truncation(nlh, dlink, sizeof(l));

	/* A u32 attribute two bytes long. */
	nlh = start(RTM_NEWLINK, sizeof(struct ifinfomsg));
	mnl_attr_put_u16(nlh, IFLA_MTU, 1400);
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), -EBADMSG);
	/* A header that does not fit. */
	nlh = start(RTM_NEWLINK, 8);
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), -EBADMSG);
	/* A veth peer too short for its ifinfomsg. */
	nlh = start(RTM_NEWLINK, sizeof(struct ifinfomsg));
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put(nlh, VETH_INFO_PEER, 4, "abcd");
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), -EBADMSG);
	/* A veth peer done right. */
	nlh = start(RTM_NEWLINK, sizeof(struct ifinfomsg));
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	pifi->ifi_index = 9;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "peer0");
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), 0);
	ck_assert(l.linkinfo.data.veth.has_peer);
	ck_assert_int_eq(l.linkinfo.data.veth.peer_index, 9);
	ck_assert_str_eq(l.linkinfo.data.veth.peer_name, "peer0");
	every_truncation(nlh, dlink, sizeof(l));
	/* A nested attribute whose inner length lies: iteration stops. */
	nlh = start(RTM_NEWLINK, sizeof(struct ifinfomsg));
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	((struct nlattr *)mnl_attr_get_payload(info))->nla_len = 200;
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), 0);
	ck_assert_str_eq(l.linkinfo.kind, "");
	/* An unterminated name is cut at the buffer, not read past. */
	nlh = start(RTM_NEWLINK, sizeof(struct ifinfomsg));
	mnl_attr_put(nlh, IFLA_IFNAME, 40, "0123456789012345678901234567890123456789");
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, &l), 0);
	ck_assert_uint_eq(strlen(l.name), IFNAMSIZ - 1);
	ck_assert_int_eq(linx_rtnl_link_decode(nlh, NULL), -EINVAL);
}
END_TEST

START_TEST(addr_route_stats)
{
	struct nlmsghdr *nlh = start(RTM_NEWADDR, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct rtmsg *rtm;
	struct linx_rtnl_addr a;
	struct linx_rtnl_route r;
	struct linx_rtnl_stats st;
	struct linx_rtnl_event ev;
	uint64_t counters[26];
	uint8_t v4[4] = { 10, 0, 0, 1 }, v6[16] = { 0xfd };
	struct if_stats_msg *ifsm;

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 3;
	mnl_attr_put(nlh, IFA_LOCAL, 4, v4);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, v4);
	mnl_attr_put_strz(nlh, IFA_LABEL, "eth0:1");
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NOPREFIXROUTE);
	ck_assert_int_eq(linx_rtnl_addr_decode(nlh, &a), 0);
	ck_assert_str_eq(rt_ip(&a.local), "10.0.0.1");
	ck_assert_str_eq(a.label, "eth0:1");
	ck_assert_uint_eq(a.flags, IFA_F_NOPREFIXROUTE);
	every_truncation(nlh, daddr, sizeof(a));
	/* An IPv4 message carrying a 16-byte address. */
	mnl_attr_put(nlh, IFA_BROADCAST, 16, v6);
	ck_assert_int_eq(linx_rtnl_addr_decode(nlh, &a), -EBADMSG);

	nlh = start(RTM_NEWROUTE, sizeof(struct rtmsg));
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 8;
	rtm->rtm_table = RT_TABLE_COMPAT;
	mnl_attr_put(nlh, RTA_DST, 16, v6);
	mnl_attr_put_u32(nlh, RTA_TABLE, 70000);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 1024);
	ck_assert_int_eq(linx_rtnl_route_decode(nlh, &r), 0);
	ck_assert_str_eq(rt_ip(&r.dst), "fd00::");
	ck_assert_uint_eq(linx_rtnl_route_table(&r), 70000);
	ck_assert_uint_eq(r.priority, 1024);
	every_truncation(nlh, droute, sizeof(r));
	mnl_attr_put(nlh, RTA_VIA, 1, "x");
	ck_assert_int_eq(linx_rtnl_route_decode(nlh, &r), -EBADMSG);

	/* struct rtnl_link_stats64: 24 counters before 5.19, 25 since,
	 * more from a newer kernel. */
	for (unsigned i = 0; i < 26; i++)
		counters[i] = i + 1;
	for (unsigned n = 24; n <= 26; n++) {
		nlh = start(RTM_NEWSTATS, sizeof(struct if_stats_msg));
		ifsm = mnl_nlmsg_get_payload(nlh);
		ifsm->ifindex = 1;
		mnl_attr_put(nlh, IFLA_STATS_LINK_64, n * 8, counters);
		ck_assert_int_eq(linx_rtnl_stats_decode(nlh, &st), 0);
		ck_assert(st.has_link64);
		ck_assert_uint_eq(st.link.n_counters, n > 25 ? 25 : n);
		ck_assert_uint_eq(st.link.rx_packets, 1);
		ck_assert_uint_eq(st.link.rx_nohandler, 24);
		ck_assert_uint_eq(st.link.rx_otherhost_dropped, n >= 25 ? 25 : 0);
		every_truncation(nlh, dstats, sizeof(st));
	}
	/* Events: a known type decodes, an unknown one is kept as such. */
	nlh = start(RTM_NEWNETCONF, 4);
	ck_assert_int_eq(linx_rtnl_event_decode(nlh, &ev), 0);
	ck_assert_int_eq(ev.kind, LINX_RTNL_EVENT_UNKNOWN);
	ck_assert_int_eq(ev.nlmsg_type, RTM_NEWNETCONF);
	ck_assert_str_eq(linx_rtnl_event_kind_name(LINX_RTNL_EVENT_RESYNC),
			 "resync");
	nlh = start(RTM_DELROUTE, 2);
	ck_assert_int_eq(linx_rtnl_event_decode(nlh, &ev), -EBADMSG);
}
END_TEST

START_TEST(random_garbage)
{
	uint64_t x = 88172645463325252ull;
	int (*const decoders[])(const struct nlmsghdr *, void *) = {
		dlink, daddr, droute, dstats,
	};
	union {
		struct linx_rtnl_link l;
		struct linx_rtnl_addr a;
		struct linx_rtnl_route r;
		struct linx_rtnl_stats s;
	} obj;

	for (int i = 0; i < 20000; i++) {
		uint32_t len = 16 + (uint32_t)(x % 200);
		struct nlmsghdr *nlh = malloc(len);

		for (uint32_t k = 0; k < len; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			((uint8_t *)nlh)[k] = (uint8_t)(x & 0x8f ? x : 0);
		}
		nlh->nlmsg_len = len;
		for (size_t d = 0; d < 4; d++) {
			int r = decoders[d](nlh, &obj);

			ck_assert(r == 0 || r == -EBADMSG);
		}
		free(nlh);
	}
}
END_TEST

/* Public entry points that need no socket refuse bad arguments. */
START_TEST(null_arguments)
{
	struct linx_rtnl_ip ip;
	struct linx_rtnl_link l;
	struct linx_rtnl_event ev;
	struct linx_error err;
	uint32_t mode;
	uint16_t m16;
	unsigned g[2];
	char text[8];

	ck_assert_int_eq(linx_rtnl_ip_parse(NULL, &ip, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_ip_parse("1.2.3.4", NULL, &err), -EINVAL);
	ck_assert_uint_eq(linx_rtnl_ip_format(NULL, text, sizeof(text)), 0);
	ck_assert_uint_eq(linx_rtnl_lladdr_format(NULL, text, sizeof(text)), 0);
	ck_assert_uint_eq(linx_rtnl_ip_len(NULL), 0);
	ck_assert_int_eq(linx_rtnl_link_decode(NULL, &l), -EBADMSG);
	ck_assert_int_eq(linx_rtnl_event_decode(NULL, &ev), -EINVAL);
	ck_assert_int_eq(linx_rtnl_macvlan_mode_from_name("bridge", NULL),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_macvlan_mode_from_name(NULL, &mode), -EINVAL);
	ck_assert_int_eq(linx_rtnl_ipvlan_mode_from_name("l2", NULL), -EINVAL);
	ck_assert_int_eq(linx_rtnl_ipvlan_mode_from_name("l4", &m16), -EINVAL);
	ck_assert_int_eq(linx_rtnl_group_parse(NULL, g, 2), -EINVAL);
	ck_assert_int_eq(linx_rtnl_group_parse("link", NULL, 2), -EINVAL);
	ck_assert_int_eq(linx_rtnl_fd(NULL), -EINVAL);
	ck_assert_int_eq(linx_rtnl_monitor_fd(NULL), -EINVAL);
	ck_assert_int_eq(linx_rtnl_open(NULL, NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_batch_new(NULL, NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_batch_run(NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_batch_failure(NULL, 0, NULL, NULL), -ENOENT);
	ck_assert_uint_eq(linx_rtnl_batch_size(NULL), 0);
	ck_assert_int_eq(linx_rtnl_monitor_read(NULL, 0, 0, NULL, NULL, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_monitor_open(NULL, NULL, 1, 0, NULL, &err),
			 -EINVAL);
	ck_assert_ptr_null(linx_rtnl_op_name(0));
	ck_assert_str_eq(linx_rtnl_op_name(LINX_RTNL_OP_ROUTE_ADD), "route.add");
	ck_assert_ptr_null(linx_rtnl_iff_name(40));
	ck_assert_uint_eq(linx_rtnl_route_table(NULL), 0);
	linx_rtnl_close(NULL);
	linx_rtnl_monitor_close(NULL);
	linx_rtnl_batch_free(NULL);
	linx_rtnl_free(NULL);
}
END_TEST

/* The rule decoder reads through a policy table (lib/netlink): fields,
 * last-wins, and a known attribute of the wrong size is EBADMSG. */
START_TEST(rule_fields_and_malformed)
{
	struct nlmsghdr *nlh = start(RTM_NEWRULE, sizeof(struct fib_rule_hdr));
	struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	uint8_t v4[4] = { 10, 1, 0, 0 };
	struct linx_rtnl_rule r;

	frh->family = AF_INET;
	frh->src_len = 16;
	frh->action = FR_ACT_TO_TBL;
	mnl_attr_put(nlh, FRA_SRC, 4, v4);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, 1);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, 100); /* the last one wins */
	mnl_attr_put_u32(nlh, FRA_TABLE, 1000);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, 4);
	mnl_attr_put(nlh, FRA_IIFNAME, 3, "lo"); /* NUL-less copy stops at 2 */
	mnl_attr_put_u32(nlh, FRA_MAX + 5, 1); /* unknown: skipped */
	ck_assert_int_eq(linx_rtnl_rule_decode(nlh, &r), 0);
	ck_assert_str_eq(rt_ip(&r.src), "10.1.0.0");
	ck_assert_uint_eq(r.priority, 100);
	ck_assert_uint_eq(r.table_ext, 1000);
	ck_assert_uint_eq(r.protocol, 4);
	ck_assert_str_eq(r.iifname, "lo");
	ck_assert_uint_eq(r.present,
			  LINX_RTNL_RULE_HAS_SRC | LINX_RTNL_RULE_HAS_PRIORITY |
				  LINX_RTNL_RULE_HAS_TABLE |
				  LINX_RTNL_RULE_HAS_PROTOCOL |
				  LINX_RTNL_RULE_HAS_IIFNAME);
	every_truncation(nlh, drule, sizeof(r));
	/* A 2-byte fwmark, then a 16-byte address on an IPv4 rule. */
	mnl_attr_put_u16(nlh, FRA_FWMARK, 1);
	ck_assert_int_eq(linx_rtnl_rule_decode(nlh, &r), -EBADMSG);
	nlh = start(RTM_NEWRULE, sizeof(struct fib_rule_hdr));
	((struct fib_rule_hdr *)mnl_nlmsg_get_payload(nlh))->family = AF_INET;
	mnl_attr_put(nlh, FRA_DST, 16, (uint8_t[16]){ 0 });
	ck_assert_int_eq(linx_rtnl_rule_decode(nlh, &r), -EBADMSG);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-decode");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, link_fields_and_malformed);
	tcase_add_test(tc, addr_route_stats);
	tcase_add_test(tc, rule_fields_and_malformed);
	tcase_add_test(tc, random_garbage);
	tcase_add_test(tc, null_arguments);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
