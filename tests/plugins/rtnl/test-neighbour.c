/* SPDX-License-Identifier: MIT */
/*
 * Neighbours (ARP/NDP) through the typed API, compared with
 * `ip -j neigh show nud all`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-test.h"

#define NEIGH_JQ                                                             \
	".[] | \"\\(.dst) \\(.dev) \\(.lladdr // \"-\") "                    \
	"\\(.state | join(\",\"))\""

static struct linx_rtnl *cb_sock;
static const char *cb_dev;

static char *our_neighs(struct linx_rtnl *s, const char *dev);

static char *neighs_cb(void *unused)
{
	(void)unused;
	return our_neighs(cb_sock, cb_dev);
}

static char *our_neighs(struct linx_rtnl *s, const char *dev)
{
	struct linx_rtnl_neigh *nb;
	struct rt_lines l = { 0 };
	struct linx_error err;
	size_t n;

	linx_assert_ok(linx_rtnl_neigh_list(s, dev, &nb, &n, &err), &err);
	for (size_t i = 0; i < n; i++) {
		struct linx_rtnl_link link;
		char state[128] = "";

		linx_assert_ok(linx_rtnl_link_get(s, NULL, nb[i].ifindex, &link,
						  &err),
			       &err);
		for (unsigned bit = 0; bit < 8; bit++)
			if (nb[i].state & (1u << bit)) {
				if (state[0])
					strcat(state, ",");
				strcat(state, linx_rtnl_nud_name(bit));
			}
		rt_lines_add(&l, "%s %s %s %s", rt_ip(&nb[i].dst), link.name,
			     (nb[i].present & LINX_RTNL_NEIGH_HAS_LLADDR)
				     ? rt_mac(&nb[i].lladdr)
				     : "-",
			     state);
	}
	free(nb);
	return rt_lines_join(&l);
}

START_TEST(add_list_delete)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_ip ip4 = rt_parse_ip("10.0.0.9");
	struct linx_rtnl_ip ip6 = rt_parse_ip("fd00::9");
	struct linx_rtnl_lladdr mac = rt_parse_mac("02:00:00:00:00:09");
	struct linx_rtnl_lladdr mac2 = rt_parse_mac("02:00:00:00:00:0a");
	struct linx_rtnl_neigh *nb;
	struct linx_error err;
	size_t n;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "n0", "n1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "n0", true, &err), &err);
	linx_assert_ok(linx_rtnl_neigh_add(s, "n0", &ip4, &mac, false, &err),
		       &err);
	linx_assert_ok(linx_rtnl_neigh_add(s, "n0", &ip6, &mac, false, &err),
		       &err);
	linx_assert_ok(linx_rtnl_neigh_add(s, "n1", &ip4, &mac2, false, &err),
		       &err);
	ck_assert_int_eq(linx_rtnl_neigh_add(s, "n0", &ip4, &mac2, false, &err),
			 -EEXIST);
	linx_assert_ok(linx_rtnl_neigh_add(s, "n0", &ip4, &mac2, true, &err),
		       &err);
	cb_sock = s;
	cb_dev = NULL;
	rt_assert_settled(neighs_cb, NULL, "neigh show nud all", NEIGH_JQ);
	cb_dev = "n1";
	rt_assert_settled(neighs_cb, NULL, "neigh show nud all dev n1",
			  ".[] | \"\\(.dst) n1 \\(.lladdr // \"-\") "
			  "\\(.state | join(\",\"))\"");
	linx_assert_ok(linx_rtnl_neigh_delete(s, "n0", &ip4, &err), &err);
	ck_assert_int_eq(linx_rtnl_neigh_delete(s, "n0", &ip4, &err), -ENOENT);
	ck_assert_str_eq(err.object, "10.0.0.9");
	linx_assert_ok(linx_rtnl_neigh_list(s, "n0", &nb, &n, &err), &err);
	for (size_t i = 0; i < n; i++)
		ck_assert(memcmp(&nb[i].dst, &ip4, sizeof(ip4)) != 0);
	free(nb);
	ck_assert_int_eq(linx_rtnl_neigh_add(s, "nope0", &ip4, &mac, false,
					     &err),
			 -ENODEV);
	ck_assert_int_eq(linx_rtnl_neigh_add(s, "n0", &ip4, NULL, false, &err),
			 -EINVAL);
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-neighbour");
	TCase *tc = tcase_create("neighbour");

	rt_require_oracle();
	tcase_add_test(tc, add_list_delete);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
