/* SPDX-License-Identifier: MIT */
/*
 * Addresses through the typed API, compared with `ip -j address`.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-test.h"

#define ADDR_JQ                                                              \
	".[] | .ifname as $n | .addr_info[] | \"\\($n) \\(.family) "        \
	"\\(.local) \\(.prefixlen) \\(.scope) \\(.broadcast // \"-\") "     \
	"\\(.label // \"-\") \\(.address // \"-\") "                         \
	"\\(.valid_life_time) \\(.preferred_life_time)\""

static const char *ifname(struct linx_rtnl *s, int32_t index)
{
	static struct linx_rtnl_link l;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_link_get(s, NULL, index, &l, &err), &err);
	return l.name;
}

struct addrs_arg {
	struct linx_rtnl *s;
	const char *dev;
};

static char *our_addrs_cb(void *p);

static char *our_addrs(struct linx_rtnl *s, const char *dev)
{
	struct linx_rtnl_addr *a;
	struct rt_lines l = { 0 };
	struct linx_error err;
	size_t n;

	linx_assert_ok(linx_rtnl_addr_list(s, dev, &a, &n, &err), &err);
	for (size_t i = 0; i < n; i++) {
		bool has_local = a[i].present & LINX_RTNL_ADDR_HAS_LOCAL;
		const struct linx_rtnl_ip *local = has_local ? &a[i].local
							     : &a[i].address;
		bool peer = has_local &&
			    (a[i].present & LINX_RTNL_ADDR_HAS_ADDRESS) &&
			    memcmp(&a[i].local, &a[i].address,
				   sizeof(a[i].local)) != 0;

		rt_lines_add(&l, "%s %s %s %u %s %s %s %s %u %u",
			     ifname(s, a[i].index),
			     linx_rtnl_family_name(a[i].family), rt_ip(local),
			     a[i].prefixlen, linx_rtnl_scope_name(a[i].scope),
			     (a[i].present & LINX_RTNL_ADDR_HAS_BROADCAST)
				     ? rt_ip(&a[i].broadcast)
				     : "-",
			     (a[i].present & LINX_RTNL_ADDR_HAS_LABEL)
				     ? a[i].label
				     : "-",
			     peer ? rt_ip(&a[i].address) : "-",
			     a[i].valid_lft, a[i].preferred_lft);
	}
	free(a);
	return rt_lines_join(&l);
}

static char *our_addrs_cb(void *p)
{
	struct addrs_arg *a = p;

	return our_addrs(a->s, a->dev);
}

static void add(struct linx_rtnl *s, const char *dev, const char *prefix,
		uint32_t flags, bool brd)
{
	struct linx_rtnl_addr_spec spec = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_error err;

	spec.dev = dev;
	linx_assert_ok(linx_rtnl_prefix_parse(prefix, &spec.address,
					      &spec.prefixlen, &err),
		       &err);
	spec.flags = flags;
	spec.broadcast_auto = brd;
	linx_assert_ok(linx_rtnl_addr_add(s, &spec, &err), &err);
}

START_TEST(list_matches_ip)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_addr_spec spec = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "a0", "a1", NULL, &err),
		       &err);
	add(s, "a0", "10.0.0.1/24", 0, true);
	add(s, "a0", "10.0.1.1/16", 0, false);
	add(s, "a0", "fd00::1/64", IFA_F_NODAD, false);
	add(s, "a1", "fd00:1::1/64", IFA_F_NODAD | IFA_F_NOPREFIXROUTE, false);
	/* A labelled, host-scoped, point-to-point IPv4 address. */
	spec.dev = "a1";
	spec.address = rt_parse_ip("192.0.2.1");
	spec.prefixlen = 32;
	spec.peer = rt_parse_ip("192.0.2.2");
	spec.label = "a1:x";
	spec.scope = RT_SCOPE_HOST;
	linx_assert_ok(linx_rtnl_addr_add(s, &spec, &err), &err);
	rt_assert_settled(our_addrs_cb, &(struct addrs_arg){ s, NULL },
			  "address show", ADDR_JQ);
	/* One link only. */
	rt_assert_settled(our_addrs_cb, &(struct addrs_arg){ s, "a0" },
			  "address show dev a0", ADDR_JQ);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(add_delete_and_errors)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_addr_spec spec = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_rtnl_addr *a;
	struct linx_error err;
	size_t n;
	char *out;

	linx_assert_ok(linx_rtnl_link_create_bridge(s, "br0", &err), &err);
	add(s, "br0", "10.9.0.1/24", 0, false);
	spec.dev = "br0";
	spec.address = rt_parse_ip("10.9.0.1");
	spec.prefixlen = 24;
	ck_assert_int_eq(linx_rtnl_addr_add(s, &spec, &err), -EEXIST);
	ck_assert_str_eq(err.op, "address.add");
	ck_assert_str_eq(err.object, "10.9.0.1/24");
	linx_assert_ok(linx_rtnl_addr_delete(s, &spec, &err), &err);
	ck_assert_int_eq(linx_rtnl_addr_delete(s, &spec, &err), -EADDRNOTAVAIL);
	linx_assert_ok(linx_rtnl_addr_list(s, "br0", &a, &n, &err), &err);
	ck_assert_uint_eq(n, 0);
	free(a);
	out = rt_sh_ok("ip -j addr show dev br0 | jq '.[0].addr_info | length'");
	ck_assert_str_eq(out, "0\n");
	free(out);
	/* IPv6, family from the address. */
	spec.address = rt_parse_ip("fd00:9::1");
	spec.prefixlen = 64;
	spec.flags = IFA_F_NODAD;
	linx_assert_ok(linx_rtnl_addr_add(s, &spec, &err), &err);
	linx_assert_ok(linx_rtnl_addr_list(s, "br0", &a, &n, &err), &err);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(a[0].family, AF_INET6);
	ck_assert_str_eq(rt_ip(&a[0].address), "fd00:9::1");
	ck_assert(a[0].flags & IFA_F_NODAD);
	free(a);
	/* Bad input. */
	spec.prefixlen = 129;
	ck_assert_int_eq(linx_rtnl_addr_add(s, &spec, &err), -EINVAL);
	ck_assert_str_eq(err.param, "prefix");
	spec.prefixlen = 64;
	spec.dev = "nope0";
	ck_assert_int_eq(linx_rtnl_addr_add(s, &spec, &err), -ENODEV);
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	ck_assert_int_eq(linx_rtnl_addr_list(s, "nope0", &a, &n, &err), -ENODEV);
	spec.dev = NULL;
	ck_assert_int_eq(linx_rtnl_addr_add(s, &spec, &err), -EINVAL);
	memset(&spec.address, 0, sizeof(spec.address));
	spec.dev = "br0";
	ck_assert_int_eq(linx_rtnl_addr_add(s, &spec, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_addr_add(s, NULL, &err), -EINVAL);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(parse_and_format)
{
	struct linx_rtnl_ip ip;
	struct linx_rtnl_lladdr ll;
	struct linx_error err;
	uint8_t len;
	char buf[LINX_RTNL_ADDRSTRLEN];

	linx_assert_ok(linx_rtnl_prefix_parse("10.0.0.0/8", &ip, &len, &err),
		       &err);
	ck_assert_int_eq(len, 8);
	ck_assert_int_eq(ip.family, AF_INET);
	linx_assert_ok(linx_rtnl_prefix_parse("fd00::1", &ip, &len, &err), &err);
	ck_assert_int_eq(len, 128);
	ck_assert_int_eq(linx_rtnl_prefix_parse("10.0.0.0/33", &ip, &len, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_prefix_parse("10.0.0.0/", &ip, &len, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_prefix_parse("10.0.0.0/-1", &ip, &len, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_prefix_parse("nope/8", &ip, &len, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_ip_parse("1.2.3", &ip, &err), -EINVAL);
	linx_assert_ok(linx_rtnl_lladdr_parse("02:AA:bb:0c:dd:ee", &ll, &err),
		       &err);
	linx_rtnl_lladdr_format(&ll, buf, sizeof(buf));
	ck_assert_str_eq(buf, "02:aa:bb:0c:dd:ee");
	ck_assert_int_eq(linx_rtnl_lladdr_parse("02:aa:bb", &ll, &err), 0);
	ck_assert_int_eq(ll.len, 3);
	ck_assert_int_eq(linx_rtnl_lladdr_parse("02:aa:", &ll, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_lladdr_parse("2:aa", &ll, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_lladdr_parse("", &ll, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_lladdr_parse(NULL, &ll, &err), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-address");
	TCase *tc = tcase_create("address");

	rt_require_oracle();
	tcase_add_test(tc, list_matches_ip);
	tcase_add_test(tc, add_delete_and_errors);
	tcase_add_test(tc, parse_and_format);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
