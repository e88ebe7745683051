/* SPDX-License-Identifier: MIT */
/*
 * Links through the typed API, each test in a fresh network namespace,
 * compared field by field with `ip -j link` (iproute2).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtnl-test.h"

/* One line per link, as jq prints it from ip -j (M-DOWN and NO-CARRIER
 * are iproute2's own derivations, not kernel flags). */
#define LINK_JQ                                                              \
	".[] | \"\\(.ifindex) \\(.ifname) \\(.mtu) \\(.operstate) "          \
	"\\(.link_type) \\(.address // \"-\") \\(.broadcast // \"-\") "      \
	"\\(.master // \"-\") \\(.link // \"-\") \\(.txqlen) \\(.qdisc) "   \
	"\\(.flags - [\"NO-CARRIER\",\"M-DOWN\"] | sort | join(\",\"))\""

static const char *name_of(const struct linx_rtnl_link *links, size_t n,
			   int32_t index)
{
	for (size_t i = 0; i < n; i++)
		if (links[i].index == index)
			return links[i].name;
	return "-";
}

static char *flags_text(uint32_t flags)
{
	static char buf[512];
	struct rt_lines l = { 0 };
	char *joined, *p;

	for (unsigned bit = 0; bit < 32; bit++) {
		const char *name = linx_rtnl_iff_name(bit);

		/* ip does not print RUNNING. */
		if ((flags & (1u << bit)) && name && bit != 6)
			rt_lines_add(&l, "%s", name);
	}
	joined = rt_lines_join(&l);
	for (p = joined; *p; p++)
		if (*p == '\n')
			*p = p[1] ? ',' : '\0';
	snprintf(buf, sizeof(buf), "%s", joined);
	free(joined);
	return buf;
}

static char *our_links(struct linx_rtnl *s)
{
	struct linx_rtnl_link *links;
	struct rt_lines l = { 0 };
	struct linx_error err;
	size_t n;

	linx_assert_ok(linx_rtnl_link_list(s, &links, &n, &err), &err);
	for (size_t i = 0; i < n; i++) {
		const struct linx_rtnl_link *k = &links[i];

		rt_lines_add(&l, "%d %s %u %s %s %s %s %s %s %u %s %s", k->index,
			     k->name, k->mtu,
			     linx_rtnl_operstate_name(k->operstate),
			     linx_rtnl_link_type_name(k->type),
			     rt_mac(&k->address), rt_mac(&k->broadcast),
			     (k->present & LINX_RTNL_LINK_HAS_MASTER)
				     ? name_of(links, n, k->master)
				     : "-",
			     (k->present & LINX_RTNL_LINK_HAS_LINK) && k->link
				     ? name_of(links, n, k->link)
				     : "-",
			     k->txqlen, k->qdisc, flags_text(k->flags));
	}
	free(links);
	return rt_lines_join(&l);
}

/* Operational state settles asynchronously after a change (linkwatch,
 * net/core/link_watch.c): compare until both sides agree, a bounded
 * number of times. */
static void assert_links_match(struct linx_rtnl *s, pid_t in)
{
	char *ours = NULL, *theirs = NULL;

	for (int i = 0; i < 100; i++) {
		free(ours);
		free(theirs);
		ours = our_links(s);
		theirs = linx_test_sh(NULL,
				      "%s%.0d ip -j link show | jq -r '" LINK_JQ
				      "' | LC_ALL=C sort",
				      in ? "nsenter -n -t " : "", (int)in);
		if (strcmp(ours, theirs) == 0)
			break;
		usleep(20 * 1000);
	}
	rt_assert_same(ours, theirs);
	free(ours);
	free(theirs);
}

static void assert_links_match_ip(struct linx_rtnl *s)
{
	assert_links_match(s, 0);
}

START_TEST(list_matches_ip)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_error err;

	assert_links_match_ip(s);
	linx_assert_ok(linx_rtnl_link_create_veth(s, "v0", "v1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_create_bridge(s, "br0", &err), &err);
	linx_assert_ok(linx_rtnl_link_set_master(s, "v0", "br0", &err), &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "v0", true, &err), &err);
	linx_assert_ok(linx_rtnl_link_set_up(s, "v1", true, &err), &err);
	linx_assert_ok(linx_rtnl_link_set_mtu(s, "v1", 1400, &err), &err);
	assert_links_match_ip(s);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(get_by_name_and_index)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_link a, b;
	struct linx_error err;
	int32_t index;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "ga", "gb", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_get(s, "ga", 0, &a, &err), &err);
	ck_assert_str_eq(a.name, "ga");
	ck_assert_str_eq(a.linkinfo.kind, "veth");
	ck_assert_int_eq(a.linkinfo.kind_id, LINX_RTNL_KIND_VETH);
	linx_assert_ok(linx_rtnl_link_get(s, NULL, a.index, &b, &err), &err);
	ck_assert_str_eq(b.name, "ga");
	linx_assert_ok(linx_rtnl_link_index(s, "gb", &index, &err), &err);
	/* The peer's IFLA_LINK is our index, and the other way round. */
	ck_assert_int_eq(a.link, index);
	ck_assert(!linx_rtnl_link_is_up(&a));
	linx_rtnl_close(s);
}
END_TEST

START_TEST(missing_interface_is_enodev)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_link l;
	struct linx_error err;

	ck_assert_int_eq(linx_rtnl_link_get(s, "nope0", 0, &l, &err), -ENODEV);
	ck_assert_int_eq(err.code, ENODEV);
	ck_assert_str_eq(linx_errno_name(err.code), "enodev");
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	ck_assert_str_eq(err.op, "link.get");
	ck_assert_str_eq(err.object, "nope0");
	ck_assert_int_eq(linx_rtnl_link_set_up(s, "nope0", true, &err), -ENODEV);
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	ck_assert_str_eq(err.op, "link.set_up");
	ck_assert_int_eq(linx_rtnl_link_delete(s, "nope0", &err), -ENODEV);
	ck_assert_int_eq(linx_rtnl_link_set_master(s, "lo", "nope0", &err),
			 -ENODEV);
	ck_assert_str_eq(err.message, "no such master interface \"nope0\"");
	ck_assert_int_eq(linx_rtnl_link_create_macvlan(s, "m0", "nope0",
						       MACVLAN_MODE_BRIDGE, &err),
			 -ENODEV);
	ck_assert_str_eq(err.message, "no such parent interface \"nope0\"");
	ck_assert_int_eq(linx_rtnl_link_get(s, NULL, 4242, &l, &err), -ENODEV);
	ck_assert_str_eq(err.object, "4242");
	/* Without an error struct the errno is the same (it was EIO when the
	 * object was attached after the fact). */
	ck_assert_int_eq(linx_rtnl_link_get(s, NULL, 4242, &l, NULL), -ENODEV);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(bad_arguments)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_link l;
	struct linx_error err;

	ck_assert_int_eq(linx_rtnl_link_create_bridge(s, "waytoolonganame0",
						      &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "name");
	ck_assert_int_eq(linx_rtnl_link_create_bridge(s, "a/b", &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_create_bridge(s, "", &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_create_bridge(s, NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_create_bridge(NULL, "x", &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_create_vlan(s, "v", "lo", 0, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_create_vlan(s, "v", "lo", 4095, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_get(s, NULL, 0, &l, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_get(s, "lo", 0, NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_move_to_netns(s, "lo", NULL, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_rtnl_link_set_address(s, "lo", NULL, &err),
			 -EINVAL);
	/* Errors from the kernel keep its extended ACK. */
	linx_assert_ok(linx_rtnl_link_create_bridge(s, "br0", &err), &err);
	ck_assert_int_eq(linx_rtnl_link_create_bridge(s, "br0", &err), -EEXIST);
	ck_assert_str_eq(err.object, "br0");
	ck_assert_int_eq(linx_rtnl_link_set_mtu(s, "br0", 10, &err), -EINVAL);
	ck_assert_msg(err.extack[0] != '\0', "expected an extack, got: %s",
		      err.message);
	ck_assert_str_eq(err.message, err.extack);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(set_address_name_master)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_lladdr mac = rt_parse_mac("02:11:22:33:44:55");
	struct linx_rtnl_link l;
	struct linx_error err;
	char *out;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "a0", "a1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_create_bridge(s, "br1", &err), &err);
	linx_assert_ok(linx_rtnl_link_set_address(s, "a0", &mac, &err), &err);
	linx_assert_ok(linx_rtnl_link_set_name(s, "a0", "renamed0", &err), &err);
	linx_assert_ok(linx_rtnl_link_set_master(s, "renamed0", "br1", &err),
		       &err);
	out = rt_sh_ok("ip -j link show renamed0 | jq -r '.[0] | \"\\(.address) "
		       "\\(.master)\"'");
	ck_assert_str_eq(out, "02:11:22:33:44:55 br1\n");
	free(out);
	linx_assert_ok(linx_rtnl_link_get(s, "renamed0", 0, &l, &err), &err);
	ck_assert_str_eq(rt_mac(&l.address), "02:11:22:33:44:55");
	ck_assert(l.present & LINX_RTNL_LINK_HAS_MASTER);
	ck_assert_str_eq(l.linkinfo.slave_kind, "bridge");
	linx_assert_ok(linx_rtnl_link_set_master(s, "renamed0", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_get(s, "renamed0", 0, &l, &err), &err);
	ck_assert(!(l.present & LINX_RTNL_LINK_HAS_MASTER) || l.master == 0);
	ck_assert_int_eq(linx_rtnl_link_set_name(s, "renamed0", "a1", &err),
			 -EEXIST);
	linx_assert_ok(linx_rtnl_link_delete(s, "renamed0", &err), &err);
	/* Deleting one end of a veth removes both. */
	ck_assert_int_eq(linx_rtnl_link_get(s, "a1", 0, &l, &err), -ENODEV);
	assert_links_match_ip(s);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(kind_info_matches_ip_details)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_link br;
	struct linx_error err;
	char *theirs, ours[256];

	linx_assert_ok(linx_rtnl_link_create_bridge(s, "br2", &err), &err);
	linx_assert_ok(linx_rtnl_link_get(s, "br2", 0, &br, &err), &err);
	ck_assert_int_eq(br.linkinfo.kind_id, LINX_RTNL_KIND_BRIDGE);
	ck_assert(br.linkinfo.has_data);
	theirs = rt_ip_jq("-d link show br2",
			  ".[0].linkinfo | \"\\(.info_kind) "
			  "\\(.info_data.forward_delay) \\(.info_data.hello_time) "
			  "\\(.info_data.max_age) \\(.info_data.ageing_time) "
			  "\\(.info_data.stp_state) \\(.info_data.priority) "
			  "\\(.info_data.vlan_filtering)\"");
	snprintf(ours, sizeof(ours), "%s %u %u %u %u %u %u %u\n",
		 br.linkinfo.kind, br.linkinfo.data.bridge.forward_delay,
		 br.linkinfo.data.bridge.hello_time,
		 br.linkinfo.data.bridge.max_age,
		 br.linkinfo.data.bridge.ageing_time,
		 br.linkinfo.data.bridge.stp_state,
		 br.linkinfo.data.bridge.priority,
		 br.linkinfo.data.bridge.vlan_filtering);
	rt_assert_same(ours, theirs);
	free(theirs);
	theirs = rt_ip_jq("-d link show br2",
			  ".[0] | \"\\(.min_mtu) \\(.max_mtu) \\(.promiscuity) "
			  "\\(.num_tx_queues) \\(.num_rx_queues)\"");
	snprintf(ours, sizeof(ours), "%u %u %u %u %u\n", br.min_mtu, br.max_mtu,
		 br.promiscuity, br.num_tx_queues, br.num_rx_queues);
	rt_assert_same(ours, theirs);
	free(theirs);
	linx_rtnl_close(s);
}
END_TEST

/* A helper process in its own netns: the "container". */
START_TEST(move_to_netns_by_pid_and_path)
{
	struct linx_rtnl *s = rt_setup(), *there = NULL;
	pid_t pid = linx_test_spawn_in_ns(CLONE_NEWNET);
	struct linx_ns_target by_pid = { .kind = LINX_NS_TARGET_PID, .pid = pid };
	struct linx_ns_target by_path = { .kind = LINX_NS_TARGET_PATH };
	char path[64];
	struct linx_rtnl_link l;
	struct linx_error err;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	by_path.path = path;
	linx_assert_ok(linx_rtnl_link_create_veth(s, "m0", "m1", NULL, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_move_to_netns(s, "m1", &by_pid, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_move_to_netns(s, "m0", &by_path, &err),
		       &err);
	ck_assert_int_eq(linx_rtnl_link_get(s, "m1", 0, &l, &err), -ENODEV);
	ck_assert_int_eq(linx_rtnl_link_get(s, "m0", 0, &l, &err), -ENODEV);
	/* A socket bound to the other namespace sees them. */
	linx_assert_ok(linx_rtnl_open(&by_pid, &there, &err), &err);
	linx_assert_ok(linx_rtnl_link_get(there, "m1", 0, &l, &err), &err);
	linx_assert_ok(linx_rtnl_link_set_up(there, "m1", true, &err), &err);
	assert_links_match(there, pid);
	linx_rtnl_close(there);
	/* The same through a path target. */
	linx_assert_ok(linx_rtnl_open(&by_path, &there, &err), &err);
	linx_assert_ok(linx_rtnl_link_get(there, "m0", 0, &l, &err), &err);
	linx_rtnl_close(there);
	/* Not a namespace: a clear error, nothing opened. */
	by_path.path = "/etc/hostname";
	ck_assert_int_eq(linx_rtnl_open(&by_path, &there, &err), -EINVAL);
	linx_test_reap(pid);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(veth_peer_created_in_other_netns)
{
	struct linx_rtnl *s = rt_setup(), *there;
	pid_t pid = linx_test_spawn_in_ns(CLONE_NEWNET);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = pid };
	struct linx_rtnl_link l;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "host0", "ctr0", &t, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_get(s, "host0", 0, &l, &err), &err);
	/* The peer lives elsewhere: IFLA_LINK_NETNSID says where. */
	ck_assert(l.present & LINX_RTNL_LINK_HAS_LINK_NETNSID);
	ck_assert_int_eq(linx_rtnl_link_get(s, "ctr0", 0, &l, &err), -ENODEV);
	linx_assert_ok(linx_rtnl_open(&t, &there, &err), &err);
	linx_assert_ok(linx_rtnl_link_get(there, "ctr0", 0, &l, &err), &err);
	linx_rtnl_close(there);
	linx_test_reap(pid);
	/* Gone: the core reports it (ENOENT from /proc, or ESRCH). */
	ck_assert_int_lt(linx_rtnl_open(&t, &there, &err), 0);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(no_fd_leak)
{
	struct linx_rtnl *s;
	struct linx_rtnl_link *links, l;
	struct linx_ns_target bad = { .kind = LINX_NS_TARGET_PID, .pid = 999999 };
	struct linx_error err;
	size_t n;
	int before;

	linx_test_private_netns();
	before = linx_test_count_fds();
	for (int i = 0; i < 50; i++) {
		linx_assert_ok(linx_rtnl_open(NULL, &s, &err), &err);
		linx_assert_ok(linx_rtnl_link_list(s, &links, &n, &err), &err);
		free(links);
		ck_assert_int_eq(linx_rtnl_link_get(s, "nope", 0, &l, &err),
				 -ENODEV);
		linx_rtnl_close(s);
		ck_assert_int_lt(linx_rtnl_open(&bad, &s, &err), 0);
	}
	ck_assert_int_eq(linx_test_count_fds(), before);
	linx_rtnl_close(NULL);
}
END_TEST

struct worker {
	struct linx_rtnl *s;
	int failures;
};

static void *hammer(void *p)
{
	struct worker *w = p;
	struct linx_rtnl_link l, *links;
	struct linx_error err;
	size_t n;

	for (int i = 0; i < 300; i++) {
		if (linx_rtnl_link_get(w->s, "lo", 0, &l, &err) < 0 ||
		    strcmp(l.name, "lo") != 0)
			w->failures++;
		if (linx_rtnl_link_list(w->s, &links, &n, &err) < 0 || n < 1)
			w->failures++;
		else
			free(links);
	}
	return NULL;
}

START_TEST(one_socket_many_threads)
{
	struct linx_rtnl *s = rt_setup();
	struct worker w[4];
	pthread_t t[4];

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .s = s };
		ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].failures, 0);
	}
	linx_rtnl_close(s);
}
END_TEST

/* Kinds without a driver in this kernel are reported clearly; where the
 * driver exists (the VM lane) the link is created. */
START_TEST(absent_kind_is_reported)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_error err;
	int r = linx_rtnl_link_create_dummy(s, "dm0", &err);

	if (linx_test_link_kind_supported("dummy")) {
		linx_assert_ok(r, &err);
	} else {
		ck_assert_int_eq(r, -EOPNOTSUPP);
		ck_assert_msg(strstr(err.message,
				     "link kind \"dummy\" is not available"),
			      "%s", err.message);
		ck_assert_str_eq(err.op, "link.create_dummy");
	}
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-link");
	TCase *tc = tcase_create("link");

	rt_require_oracle();
	tcase_add_test(tc, list_matches_ip);
	tcase_add_test(tc, get_by_name_and_index);
	tcase_add_test(tc, missing_interface_is_enodev);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, set_address_name_master);
	tcase_add_test(tc, kind_info_matches_ip_details);
	tcase_add_test(tc, move_to_netns_by_pid_and_path);
	tcase_add_test(tc, veth_peer_created_in_other_netns);
	tcase_add_test(tc, no_fd_leak);
	tcase_add_test(tc, one_socket_many_threads);
	tcase_add_test(tc, absent_kind_is_reported);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
