/* SPDX-License-Identifier: MIT */
/*
 * Inputs the kernel would silently alter are refused before anything is
 * sent: a link-layer address of the wrong length (the kernel cuts it to
 * the device's length, do_setlink() and neigh_add()), and a broadcast of
 * the wrong family (an IPv4 address added with an IPv6 broadcast got no
 * broadcast at all).  Checked against `ip -j`: nothing changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtnl-test.h"

/* The kernel's view of a0's address. */
static char *mac_of_a0(void)
{
	return rt_sh_ok("ip -j link show a0 | jq -r '.[0].address'");
}

START_TEST(lladdr_length_must_match_the_device)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_lladdr longer = rt_parse_mac("02:11:22:33:44:55:66:77");
	struct linx_rtnl_lladdr shorter = rt_parse_mac("02:11:22:33");
	struct linx_rtnl_ip ip = rt_parse_ip("10.9.0.2");
	struct linx_rtnl_batch *b;
	struct linx_error err;
	char *before, *after;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "a0", "a1", NULL, &err),
		       &err);
	before = mac_of_a0();
	ck_assert_int_eq(linx_rtnl_link_set_address(s, "a0", &longer, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "mac");
	ck_assert_msg(strstr(err.message, "6-byte"), "%s", err.message);
	ck_assert_int_eq(linx_rtnl_link_set_address(s, "a0", &shorter, &err),
			 -EINVAL);
	after = mac_of_a0();
	ck_assert_str_eq(after, before);
	free(after);
	free(before);

	ck_assert_int_eq(linx_rtnl_neigh_add(s, "a0", &ip, &longer, false,
					     &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "mac");
	linx_assert_ok(linx_rtnl_batch_new(s, &b, &err), &err);
	ck_assert_int_eq(linx_rtnl_batch_neigh(b, LINX_RTNL_OP_NEIGH_ADD, "a0",
					       &ip, &longer, &err),
			 -EINVAL);
	ck_assert_uint_eq(linx_rtnl_batch_size(b), 0);
	linx_rtnl_batch_free(b);
	after = rt_sh_ok("ip -j neigh show dev a0 | jq length");
	ck_assert_str_eq(after, "0\n");
	free(after);
	/* The right length still works. */
	linx_assert_ok(linx_rtnl_neigh_add(s, "a0", &ip,
					   &(struct linx_rtnl_lladdr){
						   6, { 2, 1, 2, 3, 4, 5 } },
					   false, &err),
		       &err);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(broadcast_family_must_match)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_addr_spec a = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_error err;
	char *out;

	linx_assert_ok(linx_rtnl_link_create_veth(s, "a0", "a1", NULL, &err),
		       &err);
	a.dev = "a0";
	a.address = rt_parse_ip("10.9.0.1");
	a.prefixlen = 24;
	a.broadcast = rt_parse_ip("fd00::ff");
	ck_assert_int_eq(linx_rtnl_addr_add(s, &a, &err), -EINVAL);
	ck_assert_str_eq(err.param, "broadcast");
	a.address = rt_parse_ip("fd00::1");
	a.prefixlen = 64;
	a.broadcast = rt_parse_ip("10.9.0.255");
	ck_assert_int_eq(linx_rtnl_addr_add(s, &a, &err), -EINVAL);
	ck_assert_str_eq(err.param, "broadcast");
	out = rt_sh_ok("ip -j addr show dev a0 | jq '[.[0].addr_info[] | "
		       "select(.scope == \"global\")] | length'");
	ck_assert_str_eq(out, "0\n");
	free(out);
	/* The right family is honoured. */
	a.address = rt_parse_ip("10.9.0.1");
	a.prefixlen = 24;
	a.broadcast = rt_parse_ip("10.9.0.127");
	linx_assert_ok(linx_rtnl_addr_add(s, &a, &err), &err);
	out = rt_sh_ok("ip -j addr show dev a0 | jq -r '.[0].addr_info[] | "
		       "select(.local == \"10.9.0.1\") | .broadcast'");
	ck_assert_str_eq(out, "10.9.0.127\n");
	free(out);
	linx_rtnl_close(s);
}
END_TEST

/* Namespaces named by path go through the core's checked opener: a FIFO
 * does not block the call, and the error names the parameter. */
START_TEST(netns_paths_are_checked)
{
	struct linx_rtnl *s = rt_setup();
	char fifo[] = "/tmp/linx-rtnl-fifo-XXXXXX";
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PATH };
	struct linx_error err;
	int fd = mkstemp(fifo);

	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	linx_assert_ok(linx_rtnl_link_create_veth(s, "a0", "a1", NULL, &err),
		       &err);
	alarm(5); /* a blocked open fails the test instead of hanging it */
	t.path = fifo;
	ck_assert_int_eq(linx_rtnl_link_move_to_netns(s, "a0", &t, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "to");
	t.path = "/proc/self/ns/mnt";
	ck_assert_int_eq(linx_rtnl_link_create_veth(s, "b0", "b1", &t, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "peer_netns");
	ck_assert_msg(strstr(err.message, "mnt namespace"), "%s", err.message);
	alarm(0);
	unlink(fifo);
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rtnl-inputs");
	TCase *tc = tcase_create("inputs");

	linx_test_require_root();
	rt_require_oracle();
	tcase_add_test(tc, lladdr_length_must_match_the_device);
	tcase_add_test(tc, broadcast_family_must_match);
	tcase_add_test(tc, netns_paths_are_checked);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
