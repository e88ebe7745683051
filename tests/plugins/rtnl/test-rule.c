/* SPDX-License-Identifier: MIT */
/*
 * Policy-routing rules through the typed API, compared with
 * `ip -j rule show` (IPv4 and IPv6).
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-test.h"

#define RULE_JQ                                                              \
	".[] | \"\\(.priority) \\(.src) \\(.srclen // \"-\") "               \
	"\\(.dst // \"-\") \\(.dstlen // \"-\") \\(.fwmark // \"-\") "        \
	"\\(.fwmask // \"-\") \\(.iif // \"-\") \\(.oif // \"-\") "           \
	"\\(.table // \"-\")\""

static char *our_rules(struct linx_rtnl *s, uint8_t family)
{
	struct linx_rtnl_rule *r;
	struct rt_lines l = { 0 };
	struct linx_error err;
	size_t n;

	linx_assert_ok(linx_rtnl_rule_list(s, family, &r, &n, &err), &err);
	for (size_t i = 0; i < n; i++) {
		char srclen[8] = "-", dst[64] = "-", dstlen[8] = "-";
		char mark[16] = "-", mask[16] = "-", table[16];
		uint32_t t = linx_rtnl_rule_table(&r[i]);

		if (r[i].present & LINX_RTNL_RULE_HAS_SRC)
			snprintf(srclen, sizeof(srclen), "%u", r[i].src_len);
		if (r[i].present & LINX_RTNL_RULE_HAS_DST) {
			snprintf(dst, sizeof(dst), "%s", rt_ip(&r[i].dst));
			snprintf(dstlen, sizeof(dstlen), "%u", r[i].dst_len);
		}
		if (r[i].present & LINX_RTNL_RULE_HAS_FWMARK)
			snprintf(mark, sizeof(mark), "%#x", r[i].fwmark);
		if ((r[i].present & LINX_RTNL_RULE_HAS_FWMASK) &&
		    r[i].fwmask != 0xffffffff)
			snprintf(mask, sizeof(mask), "%#x", r[i].fwmask);
		snprintf(table, sizeof(table), "%s",
			 linx_rtnl_table_name(t) ? linx_rtnl_table_name(t) : "");
		if (!table[0])
			snprintf(table, sizeof(table), "%u", t);
		rt_lines_add(&l, "%u %s %s %s %s %s %s %s %s %s", r[i].priority,
			     (r[i].present & LINX_RTNL_RULE_HAS_SRC)
				     ? rt_ip(&r[i].src)
				     : "all",
			     srclen, dst, dstlen, mark, mask,
			     r[i].iifname[0] ? r[i].iifname : "-",
			     r[i].oifname[0] ? r[i].oifname : "-", table);
	}
	free(r);
	return rt_lines_join(&l);
}

static struct linx_rtnl *cb_sock;

static char *rules4(void *unused)
{
	(void)unused;
	return our_rules(cb_sock, AF_INET);
}

static char *rules6(void *unused)
{
	(void)unused;
	return our_rules(cb_sock, AF_INET6);
}

static void assert_rules_match_ip(struct linx_rtnl *s)
{
	cb_sock = s;
	rt_assert_settled(rules4, NULL, "-4 rule show", RULE_JQ);
	rt_assert_settled(rules6, NULL, "-6 rule show", RULE_JQ);
}

START_TEST(add_list_delete)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_rule_spec r;
	struct linx_error err;

	assert_rules_match_ip(s);
	memset(&r, 0, sizeof(r));
	linx_assert_ok(linx_rtnl_prefix_parse("10.0.0.0/24", &r.from,
					      &r.from_len, &err),
		       &err);
	r.table = 100;
	/* With a priority, so that a duplicate is one (without, the kernel
	 * picks a new priority for each rule). */
	r.has_priority = true;
	r.priority = 100;
	linx_assert_ok(linx_rtnl_rule_add(s, &r, &err), &err);
	ck_assert_int_eq(linx_rtnl_rule_add(s, &r, &err), -EEXIST);
	memset(&r, 0, sizeof(r));
	r.has_fwmark = true;
	r.fwmark = 0x1;
	r.has_fwmask = true;
	r.fwmask = 0xff;
	r.table = 200;
	r.has_priority = true;
	r.priority = 200;
	r.iif = "lo";
	linx_assert_ok(linx_rtnl_rule_add(s, &r, &err), &err);
	memset(&r, 0, sizeof(r));
	linx_assert_ok(linx_rtnl_prefix_parse("192.0.2.0/24", &r.to, &r.to_len,
					      &err),
		       &err);
	r.table = 5000; /* above 255: FRA_TABLE */
	r.oif = "lo";
	r.has_priority = true;
	r.priority = 300;
	linx_assert_ok(linx_rtnl_rule_add(s, &r, &err), &err);
	memset(&r, 0, sizeof(r));
	linx_assert_ok(linx_rtnl_prefix_parse("fd00::/64", &r.from, &r.from_len,
					      &err),
		       &err);
	r.table = 100;
	linx_assert_ok(linx_rtnl_rule_add(s, &r, &err), &err);
	assert_rules_match_ip(s);
	/* Delete by the same selectors. */
	memset(&r, 0, sizeof(r));
	linx_assert_ok(linx_rtnl_prefix_parse("10.0.0.0/24", &r.from,
					      &r.from_len, &err),
		       &err);
	r.table = 100;
	linx_assert_ok(linx_rtnl_rule_delete(s, &r, &err), &err);
	ck_assert_int_eq(linx_rtnl_rule_delete(s, &r, &err), -ENOENT);
	ck_assert_str_eq(err.message, "no such rule");
	assert_rules_match_ip(s);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(bad_rules)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_rule_spec r;
	struct linx_error err;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(linx_rtnl_rule_add(s, &r, &err), -EINVAL);
	ck_assert_str_eq(err.param, "table");
	linx_assert_ok(linx_rtnl_prefix_parse("10.0.0.0/24", &r.from,
					      &r.from_len, &err),
		       &err);
	linx_assert_ok(linx_rtnl_prefix_parse("fd00::/64", &r.to, &r.to_len,
					      &err),
		       &err);
	r.table = 100;
	ck_assert_int_eq(linx_rtnl_rule_add(s, &r, &err), -EINVAL);
	memset(&r, 0, sizeof(r));
	r.table = 100;
	r.iif = "far/too/long/name0";
	ck_assert_int_eq(linx_rtnl_rule_add(s, &r, &err), -EINVAL);
	ck_assert_str_eq(err.param, "iif");
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-rule");
	TCase *tc = tcase_create("rule");

	rt_require_oracle();
	tcase_add_test(tc, add_list_delete);
	tcase_add_test(tc, bad_rules);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
