/* SPDX-License-Identifier: MIT */
/*
 * The monitor: notifications for links, addresses, routes, neighbours and
 * rules, decoded like dumps; a pollable fd; ENOBUFS as a resync event.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtnl-test.h"

/* Read until every kind in `want` was seen, or 5 s pass. */
static unsigned collect(struct linx_rtnl_monitor *m, unsigned want,
			bool *saw_v1)
{
	unsigned seen = 0;

	for (int round = 0; round < 50 && (seen & want) != want; round++) {
		struct linx_rtnl_event *ev;
		struct linx_error err;
		size_t n;

		linx_assert_ok(linx_rtnl_monitor_read(m, 100, 0, &ev, &n, &err),
			       &err);
		for (size_t i = 0; i < n; i++) {
			seen |= 1u << ev[i].kind;
			if (ev[i].kind == LINX_RTNL_EVENT_NEW_LINK && saw_v1 &&
			    !strcmp(ev[i].resource.link.name, "v1"))
				*saw_v1 = true;
		}
		free(ev);
	}
	return seen;
}

#define K(x) (1u << LINX_RTNL_EVENT_##x)

START_TEST(events_for_every_object)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_monitor *m;
	struct linx_rtnl_addr_spec a = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;
	struct linx_rtnl_rule_spec rule;
	struct linx_rtnl_ip nip = rt_parse_ip("10.0.0.9");
	struct linx_rtnl_lladdr mac = rt_parse_mac("02:00:00:00:00:09");
	struct linx_rtnl_event *ev;
	struct linx_error err;
	struct pollfd pfd;
	bool saw_v1 = false;
	unsigned seen;
	size_t n;

	linx_assert_ok(linx_rtnl_monitor_open(NULL, NULL, 0, 0, &m, &err), &err);
	/* Quiet: a timeout returns no events. */
	linx_assert_ok(linx_rtnl_monitor_read(m, 20, 0, &ev, &n, &err), &err);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(ev);
	linx_assert_ok(linx_rtnl_link_create_veth(s, "v0", "v1", NULL, &err),
		       &err);
	/* The fd is pollable and now readable. */
	pfd.fd = linx_rtnl_monitor_fd(m);
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 2000), 1);
	linx_assert_ok(linx_rtnl_link_set_up(s, "v0", true, &err), &err);
	a.dev = "v0";
	a.address = rt_parse_ip("10.0.0.1");
	a.prefixlen = 24;
	linx_assert_ok(linx_rtnl_addr_add(s, &a, &err), &err);
	r.dst = rt_parse_ip("10.1.0.0");
	r.dst_len = 16;
	r.gateway = rt_parse_ip("10.0.0.2");
	r.onlink = true;
	r.dev = "v0";
	linx_assert_ok(linx_rtnl_route_add(s, &r, &err), &err);
	linx_assert_ok(linx_rtnl_neigh_add(s, "v0", &nip, &mac, false, &err),
		       &err);
	memset(&rule, 0, sizeof(rule));
	rule.table = 100;
	rule.has_priority = true;
	rule.priority = 10;
	linx_assert_ok(linx_rtnl_rule_add(s, &rule, &err), &err);
	linx_assert_ok(linx_rtnl_rule_delete(s, &rule, &err), &err);
	linx_assert_ok(linx_rtnl_link_delete(s, "v0", &err), &err);
	seen = collect(m, K(NEW_LINK) | K(DEL_LINK) | K(NEW_ADDR) | K(DEL_ADDR) |
				  K(NEW_ROUTE) | K(DEL_ROUTE) | K(NEW_NEIGH) |
				  K(NEW_RULE) | K(DEL_RULE),
		       &saw_v1);
	ck_assert_msg(seen & K(NEW_LINK), "no new_link (%#x)", seen);
	ck_assert_msg(seen & K(DEL_LINK), "no del_link (%#x)", seen);
	ck_assert_msg(seen & K(NEW_ADDR), "no new_addr (%#x)", seen);
	ck_assert_msg(seen & K(DEL_ADDR), "no del_addr (%#x)", seen);
	ck_assert_msg(seen & K(NEW_ROUTE), "no new_route (%#x)", seen);
	ck_assert_msg(seen & K(DEL_ROUTE), "no del_route (%#x)", seen);
	ck_assert_msg(seen & K(NEW_NEIGH), "no new_neigh (%#x)", seen);
	ck_assert_msg(seen & K(NEW_RULE), "no new_rule (%#x)", seen);
	ck_assert_msg(seen & K(DEL_RULE), "no del_rule (%#x)", seen);
	ck_assert_msg(!(seen & K(RESYNC)), "unexpected resync");
	ck_assert(saw_v1);
	linx_rtnl_monitor_close(m);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(overflow_is_a_resync_event)
{
	struct linx_rtnl *s = rt_setup();
	unsigned groups[] = { RTNLGRP_IPV4_ROUTE };
	struct linx_rtnl_monitor *m;
	struct linx_rtnl_batch *b;
	struct linx_rtnl_event *ev;
	struct linx_error err;
	bool resync = false;
	size_t n, total = 0;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "o0", "o1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "o0", true, &err), &err);
	/* A tiny receive buffer (the kernel rounds it up to its minimum)
	 * and many more notifications than fit. */
	linx_assert_ok(linx_rtnl_monitor_open(NULL, groups, 1, 1024, &m, &err),
		       &err);
	linx_assert_ok(linx_rtnl_batch_new(s, &b, &err), &err);
	for (unsigned i = 0; i < 2000; i++) {
		struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;

		r.dst.family = AF_INET;
		r.dst.addr[0] = 10;
		r.dst.addr[1] = 200;
		r.dst.addr[2] = (uint8_t)(i / 256);
		r.dst.addr[3] = (uint8_t)i;
		r.dst_len = 32;
		r.dev = "o0";
		linx_assert_ok(linx_rtnl_batch_route(b, LINX_RTNL_OP_ROUTE_ADD,
						     &r, &err),
			       &err);
	}
	linx_assert_ok(linx_rtnl_batch_run(b, &err), &err);
	linx_rtnl_batch_free(b);
	for (int round = 0; round < 20; round++) {
		linx_assert_ok(linx_rtnl_monitor_read(m, 50, 0, &ev, &n, &err),
			       &err);
		for (size_t i = 0; i < n; i++)
			if (ev[i].kind == LINX_RTNL_EVENT_RESYNC)
				resync = true;
		total += n;
		free(ev);
		if (n == 0)
			break;
	}
	ck_assert_msg(resync, "no resync event among %zu events", total);
	ck_assert_uint_lt(total, 2000);
	linx_rtnl_monitor_close(m);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(other_netns_and_groups)
{
	struct linx_rtnl *there;
	pid_t pid;
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID };
	unsigned g[4];
	struct linx_rtnl_monitor *m;
	struct linx_error err;

	linx_test_private_netns();
	pid = linx_test_spawn_in_ns(CLONE_NEWNET);
	t.pid = pid;
	ck_assert_int_eq(linx_rtnl_group_parse("link", g, 4), 1);
	ck_assert_uint_eq(g[0], RTNLGRP_LINK);
	ck_assert_int_eq(linx_rtnl_group_parse("route", g, 4), 2);
	ck_assert_uint_eq(g[1], RTNLGRP_IPV6_ROUTE);
	ck_assert_int_eq(linx_rtnl_group_parse("bogus", g, 4), -EINVAL);
	ck_assert_int_eq(linx_rtnl_group_parse("route", g, 1), -ENOBUFS);
	linx_assert_ok(linx_rtnl_group_parse("link", g, 4) > 0 ? 0 : -1, &err);
	linx_assert_ok(linx_rtnl_monitor_open(&t, g, 1, 0, &m, &err), &err);
	linx_assert_ok(linx_rtnl_open(&t, &there, &err), &err);
	linx_assert_ok(linx_rtnl_link_create_bridge(there, "brx", &err), &err);
	ck_assert(collect(m, K(NEW_LINK), NULL) & K(NEW_LINK));
	linx_rtnl_close(there);
	linx_rtnl_monitor_close(m);
	g[0] = 0;
	ck_assert_int_eq(linx_rtnl_monitor_open(&t, g, 1, 0, &m, &err), -EINVAL);
	linx_test_reap(pid);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-monitor");
	TCase *tc = tcase_create("monitor");

	rt_require_oracle();
	tcase_add_test(tc, events_for_every_object);
	tcase_add_test(tc, overflow_is_a_resync_event);
	tcase_add_test(tc, other_netns_and_groups);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
