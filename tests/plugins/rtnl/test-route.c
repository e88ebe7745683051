/* SPDX-License-Identifier: MIT */
/*
 * Routes through the typed API, compared with `ip -j route`: several
 * tables (including one above 255), protocols, metrics, scopes, types,
 * sources, IPv4 and IPv6; route get; a 100k-route dump.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-test.h"

#define ROUTE_JQ                                                             \
	".[] | \"\\(.type // \"unicast\") \\(.dst) \\(.gateway // \"-\") "  \
	"\\(.dev // \"-\") \\(.table // \"main\") \\(.protocol // \"boot\") " \
	"\\(.scope // \"global\") \\(.prefsrc // \"-\") \\(.metric // 0)\""

static const char *dev_name(struct linx_rtnl *s, int32_t index)
{
	static struct linx_rtnl_link l;
	struct linx_error err;

	if (index <= 0)
		return "-";
	linx_assert_ok(linx_rtnl_link_get(s, NULL, index, &l, &err), &err);
	return l.name;
}

static const char *dst_text(const struct linx_rtnl_route *r)
{
	static char buf[LINX_RTNL_ADDRSTRLEN];

	if (!(r->present & LINX_RTNL_ROUTE_HAS_DST))
		return "default";
	if (r->dst_len == linx_rtnl_ip_len(&r->dst) * 8)
		snprintf(buf, sizeof(buf), "%s", rt_ip(&r->dst));
	else
		snprintf(buf, sizeof(buf), "%s/%u", rt_ip(&r->dst), r->dst_len);
	return buf;
}

static char *our_routes(struct linx_rtnl *s, uint8_t family)
{
	struct linx_rtnl_route *r;
	struct rt_lines l = { 0 };
	struct linx_error err;
	size_t n;

	linx_assert_ok(linx_rtnl_route_list(s, family, 0, &r, &n, &err), &err);
	for (size_t i = 0; i < n; i++) {
		uint32_t table = linx_rtnl_route_table(&r[i]);
		const char *tname = linx_rtnl_table_name(table);
		char tnum[16], proto[16];

		snprintf(tnum, sizeof(tnum), "%u", table);
		snprintf(proto, sizeof(proto), "%u", r[i].protocol);
		rt_lines_add(&l, "%s %s %s %s %s %s %s %s %u",
			     linx_rtnl_route_type_name(r[i].type),
			     dst_text(&r[i]),
			     (r[i].present & LINX_RTNL_ROUTE_HAS_GATEWAY)
				     ? rt_ip(&r[i].gateway)
				     : "-",
			     dev_name(s, r[i].oif), tname ? tname : tnum,
			     linx_rtnl_protocol_name(r[i].protocol)
				     ? linx_rtnl_protocol_name(r[i].protocol)
				     : proto,
			     linx_rtnl_scope_name(r[i].scope),
			     (r[i].present & LINX_RTNL_ROUTE_HAS_PREFSRC)
				     ? rt_ip(&r[i].prefsrc)
				     : "-",
			     r[i].priority);
	}
	free(r);
	return rt_lines_join(&l);
}

static struct linx_rtnl *cb_sock;

static char *routes4(void *unused)
{
	(void)unused;
	return our_routes(cb_sock, AF_INET);
}

static char *routes6(void *unused)
{
	(void)unused;
	return our_routes(cb_sock, AF_INET6);
}

static void assert_routes_match_ip(struct linx_rtnl *s)
{
	cb_sock = s;
	rt_assert_settled(routes4, NULL, "-4 route show table all", ROUTE_JQ);
	rt_assert_settled(routes6, NULL, "-6 route show table all", ROUTE_JQ);
}

static struct linx_rtnl *setup_links(void)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_addr_spec a = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "r0", "r1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "r1", true, &err), &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "r0", true, &err), &err);
	a.dev = "r0";
	a.address = rt_parse_ip("10.0.0.1");
	a.prefixlen = 24;
	linx_assert_ok(linx_rtnl_addr_add(s, &a, &err), &err);
	a.address = rt_parse_ip("fd00::1");
	a.prefixlen = 64;
	a.flags = 0x02; /* IFA_F_NODAD: usable at once */
	linx_assert_ok(linx_rtnl_addr_add(s, &a, &err), &err);
	return s;
}

static struct linx_rtnl_route_spec route(const char *dst, const char *gw,
					 const char *dev)
{
	struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;
	struct linx_error err;

	if (dst)
		linx_assert_ok(linx_rtnl_prefix_parse(dst, &r.dst, &r.dst_len,
						      &err),
			       &err);
	if (gw)
		r.gateway = rt_parse_ip(gw);
	r.dev = dev;
	return r;
}

START_TEST(list_matches_ip)
{
	struct linx_rtnl *s = setup_links();
	struct linx_rtnl_route_spec r;
	struct linx_error err;

	assert_routes_match_ip(s);
	r = route("10.1.0.0/16", "10.0.0.2", NULL);
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route("10.2.0.0/16", "10.0.0.2", "r0");
	r.table = 100;
	r.protocol = RTPROT_STATIC;
	r.has_metric = true;
	r.metric = 50;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route("10.3.0.0/16", "10.0.0.3", NULL);
	r.table = 1000; /* above 255: RTA_TABLE */
	r.protocol = 76;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route("192.0.2.7/32", NULL, "r0");
	r.prefsrc = rt_parse_ip("10.0.0.1");
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route("198.51.100.0/24", NULL, NULL);
	r.type = RTN_BLACKHOLE;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route("203.0.113.0/24", NULL, NULL);
	r.type = RTN_UNREACHABLE;
	r.table = 200;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route(NULL, "10.0.0.254", NULL);
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route("fd01::/64", "fd00::2", NULL);
	r.has_metric = true;
	r.metric = 7;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route(NULL, "fd00::fe", "r0");
	r.table = 300;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	assert_routes_match_ip(s);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(add_replace_delete)
{
	struct linx_rtnl *s = setup_links();
	struct linx_rtnl_route_spec r = route("10.50.0.0/24", "10.0.0.2", NULL);
	struct linx_rtnl_route *list;
	struct linx_error err;
	size_t n;
	char *out;

	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	ck_assert_int_eq(linx_rtnl_route_add(s, &r, &err), -EEXIST);
	ck_assert_str_eq(err.op, "route.add");
	ck_assert_str_eq(err.object, "10.50.0.0/24");
	/* Replace changes the gateway in place. */
	r.gateway = rt_parse_ip("10.0.0.9");
	linx_assert_ok(linx_rtnl_route_replace(s, &r, &err), &err);
	out = rt_sh_ok("ip -j route show 10.50.0.0/24 | jq -r '.[].gateway'");
	ck_assert_str_eq(out, "10.0.0.9\n");
	free(out);
	/* Delete matches whatever protocol installed it. */
	r = route("10.50.0.0/24", NULL, NULL);
	linx_assert_ok(linx_rtnl_route_delete(s, &r, &err), &err);
	ck_assert_int_eq(linx_rtnl_route_delete(s, &r, &err), -ESRCH);
	ck_assert_str_eq(err.message, "no such route 10.50.0.0/24");
	/* Default route add/delete, both families. */
	r = route(NULL, "10.0.0.254", NULL);
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	r = route(NULL, "fd00::fe", NULL);
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	out = rt_sh_ok("ip -j route show default | jq -r '.[].gateway'; "
		       "ip -j -6 route show default | jq -r '.[].gateway'");
	ck_assert_str_eq(out, "10.0.0.254\nfd00::fe\n");
	free(out);
	r = route(NULL, "10.0.0.254", NULL);
	linx_assert_ok(linx_rtnl_route_delete(s, &r, &err), &err);
	r = route(NULL, "fd00::fe", NULL);
	linx_assert_ok(linx_rtnl_route_delete(s, &r, &err), &err);
	linx_assert_ok(linx_rtnl_route_list(s, AF_UNSPEC, RT_TABLE_MAIN, &list,
					    &n, &err),
		       &err);
	for (size_t i = 0; i < n; i++)
		ck_assert(list[i].present & LINX_RTNL_ROUTE_HAS_DST);
	free(list);
	/* Table filter, above 255 too. */
	r = route("10.60.0.0/24", "10.0.0.2", NULL);
	r.table = 70000;
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	linx_assert_ok(linx_rtnl_route_list(s, AF_INET, 70000, &list, &n, &err),
		       &err);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(linx_rtnl_route_table(&list[0]), 70000);
	/* The header byte says "look at RTA_TABLE" (RT_TABLE_COMPAT). */
	ck_assert_int_eq(list[0].table, RT_TABLE_COMPAT);
	free(list);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(bad_routes)
{
	struct linx_rtnl *s = setup_links();
	struct linx_rtnl_route_spec r = route("10.50.0.0/24", "fd00::2", NULL);
	struct linx_error err;

	ck_assert_int_eq(linx_rtnl_route_add(s, &r, &err), -EINVAL);
	ck_assert_str_eq(err.param, "gateway");
	r = route(NULL, NULL, NULL);
	ck_assert_int_eq(linx_rtnl_route_add(s, &r, &err), -EINVAL);
	r = route("10.50.0.0/24", "10.0.0.2", "nope0");
	ck_assert_int_eq(linx_rtnl_route_add(s, &r, &err), -ENODEV);
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	/* An unreachable gateway: the kernel says why. */
	r = route("10.50.0.0/24", "172.31.0.1", NULL);
	ck_assert_int_eq(linx_rtnl_route_add(s, &r, &err), -ENETUNREACH);
	ck_assert_str_eq(err.extack, "Nexthop has invalid gateway");
	ck_assert_int_eq(linx_rtnl_route_add(s, NULL, &err), -EINVAL);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(get_matches_ip)
{
	struct linx_rtnl *s = setup_links();
	struct linx_rtnl_route_spec r = route("10.70.0.0/16", "10.0.0.2", NULL);
	struct linx_rtnl_ip dst = rt_parse_ip("10.70.3.4");
	struct linx_rtnl_route got;
	struct linx_error err;
	char ours[256], *theirs;

	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	linx_assert_ok(linx_rtnl_route_get(s, &dst, &got, &err), &err);
	snprintf(ours, sizeof(ours), "%s %s %s %s\n", rt_ip(&got.dst),
		 rt_ip(&got.gateway), dev_name(s, got.oif), rt_ip(&got.prefsrc));
	theirs = rt_ip_jq("route get 10.70.3.4",
			  ".[] | \"\\(.dst) \\(.gateway) \\(.dev) \\(.prefsrc)\"");
	rt_assert_same(ours, theirs);
	free(theirs);
	dst = rt_parse_ip("fd00::77");
	linx_assert_ok(linx_rtnl_route_get(s, &dst, &got, &err), &err);
	ck_assert_str_eq(dev_name(s, got.oif), "r0");
	/* Nothing routes there. */
	dst = rt_parse_ip("192.0.2.1");
	ck_assert_int_eq(linx_rtnl_route_get(s, &dst, &got, &err), -ENETUNREACH);
	ck_assert_str_eq(err.object, "192.0.2.1");
	linx_rtnl_close(s);
}
END_TEST

START_TEST(dump_100k_routes)
{
	struct linx_rtnl *s = setup_links();
	struct linx_rtnl_batch *b;
	struct linx_rtnl_route *list;
	struct linx_rtnl_stats_engine st;
	struct linx_error err;
	size_t n;
	char *out;

	linx_assert_ok(linx_rtnl_batch_new(s, &b, &err), &err);
	for (unsigned i = 0; i < 100000; i++) {
		struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;

		r.dst.family = AF_INET;
		r.dst.addr[0] = 10;
		r.dst.addr[1] = (uint8_t)(100 + i / 65536);
		r.dst.addr[2] = (uint8_t)(i / 256);
		r.dst.addr[3] = (uint8_t)i;
		r.dst_len = 32;
		r.dev = "r0";
		r.table = 100;
		linx_assert_ok(linx_rtnl_batch_route(b, LINX_RTNL_OP_ROUTE_ADD,
						     &r, &err),
			       &err);
	}
	linx_assert_ok(linx_rtnl_batch_run(b, &err), &err);
	linx_rtnl_batch_free(b);
	linx_assert_ok(linx_rtnl_route_list(s, AF_INET, 100, &list, &n, &err),
		       &err);
	ck_assert_uint_eq(n, 100000);
	free(list);
	out = rt_sh_ok("ip route show table 100 | wc -l");
	ck_assert_str_eq(out, "100000\n");
	free(out);
	/* Far more than one 32 KiB datagram, and nothing cut or lost. */
	linx_rtnl_engine_stats(s, &st);
	ck_assert_uint_gt(st.datagrams, 100);
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-route");
	TCase *tc = tcase_create("route");

	rt_require_oracle();
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, list_matches_ip);
	tcase_add_test(tc, add_replace_delete);
	tcase_add_test(tc, bad_routes);
	tcase_add_test(tc, get_matches_ip);
	tcase_add_test(tc, dump_100k_routes);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
