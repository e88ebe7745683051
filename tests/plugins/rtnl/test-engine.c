/* SPDX-License-Identifier: MIT */
/*
 * The request engine's robustness: replies larger than the receive buffer
 * are never cut; dumps disturbed by concurrent changes are retried, then
 * reported, never returned as complete; batches report per-op failures
 * with their index.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtnl-test.h"

static void add_routes(struct linx_rtnl *s, unsigned n, uint32_t table)
{
	struct linx_rtnl_batch *b;
	struct linx_error err;

	linx_assert_ok(linx_rtnl_batch_new(s, &b, &err), &err);
	for (unsigned i = 0; i < n; i++) {
		struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;

		r.dst.family = AF_INET;
		r.dst.addr[0] = 10;
		r.dst.addr[1] = 1;
		r.dst.addr[2] = (uint8_t)(i / 256);
		r.dst.addr[3] = (uint8_t)i;
		r.dst_len = 32;
		r.type = RTN_BLACKHOLE;
		r.table = table;
		linx_assert_ok(linx_rtnl_batch_route(b, LINX_RTNL_OP_ROUTE_ADD,
						     &r, &err),
			       &err);
	}
	linx_assert_ok(linx_rtnl_batch_run(b, &err), &err);
	linx_rtnl_batch_free(b);
}

START_TEST(small_buffer_never_truncates)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_route *big, *small;
	struct linx_rtnl_link *l1, *l2;
	struct linx_rtnl_stats_engine st;
	struct linx_error err;
	size_t n1, n2, m1, m2;

	add_routes(s, 3000, 100);
	linx_assert_ok(linx_rtnl_route_list(s, AF_INET, 100, &big, &n1, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_list(s, &l1, &m1, &err), &err);
	/* 256 bytes: smaller than one link message, far smaller than the
	 * 8 KiB / 32 KiB datagrams the kernel sends. */
	linx_assert_ok(linx_rtnl_set_recv_size(s, 256, &err), &err);
	linx_assert_ok(linx_rtnl_route_list(s, AF_INET, 100, &small, &n2, &err),
		       &err);
	linx_assert_ok(linx_rtnl_link_list(s, &l2, &m2, &err), &err);
	ck_assert_uint_eq(n1, 3000);
	ck_assert_uint_eq(n2, n1);
	ck_assert(memcmp(big, small, n1 * sizeof(*big)) == 0);
	ck_assert_uint_eq(m1, m2);
	for (size_t i = 0; i < m1; i++) {
		/* Statistics move; the rest is identical. */
		memset(&l1[i].stats64, 0, sizeof(l1[i].stats64));
		memset(&l2[i].stats64, 0, sizeof(l2[i].stats64));
		ck_assert(memcmp(&l1[i], &l2[i], sizeof(l1[i])) == 0);
	}
	linx_rtnl_engine_stats(s, &st);
	ck_assert_uint_gt(st.truncations, 0);
	ck_assert_uint_ge(st.recv_size, 4096);
	free(big);
	free(small);
	free(l1);
	free(l2);
	ck_assert_int_eq(linx_rtnl_set_recv_size(s, 10, &err), -EINVAL);
	linx_rtnl_close(s);
}
END_TEST

struct churn {
	atomic_bool stop;
	int errors;
	unsigned pause_us; /* between changes; 0 = flat out */
};

/* Add and remove one address in a loop: every change bumps the address
 * generation counter that address dumps check (inet_dump_ifaddr(),
 * net/ipv4/devinet.c). */
static void *churn_main(void *p)
{
	struct churn *c = p;
	struct linx_rtnl_addr_spec a = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_rtnl *s;
	struct linx_error err;

	if (linx_rtnl_open(NULL, &s, &err) < 0) {
		c->errors++;
		return NULL;
	}
	a.dev = "lo";
	a.address = rt_parse_ip("127.99.0.1");
	a.prefixlen = 32;
	while (!atomic_load(&c->stop)) {
		if (linx_rtnl_addr_add(s, &a, &err) < 0 ||
		    linx_rtnl_addr_delete(s, &a, &err) < 0)
			c->errors++;
		if (c->pause_us)
			usleep(c->pause_us);
	}
	linx_rtnl_close(s);
	return NULL;
}

START_TEST(interrupted_dumps_are_retried_or_reported)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_addr_spec a = LINX_RTNL_ADDR_SPEC_INIT;
	struct linx_rtnl_stats_engine st;
	struct linx_rtnl_batch *b;
	struct linx_rtnl_addr *list;
	struct churn c = { 0 };
	struct linx_error err;
	pthread_t t;
	int intr = 0, ok = 0;
	size_t n;

	/* Enough addresses for a dump of many datagrams. */
	linx_assert_ok(linx_rtnl_batch_new(s, &b, &err), &err);
	a.dev = "lo";
	a.prefixlen = 32;
	for (unsigned i = 0; i < 4000; i++) {
		a.address = rt_parse_ip("127.1.0.0");
		a.address.addr[2] = (uint8_t)(i / 256);
		a.address.addr[3] = (uint8_t)i;
		linx_assert_ok(linx_rtnl_batch_addr(b, LINX_RTNL_OP_ADDR_ADD, &a,
						    &err),
			       &err);
	}
	linx_assert_ok(linx_rtnl_batch_run(b, &err), &err);
	linx_rtnl_batch_free(b);
	/* No retries: every interrupted dump must be reported. */
	linx_assert_ok(linx_rtnl_set_dump_retries(s, 0, &err), &err);
	ck_assert_int_eq(pthread_create(&t, NULL, churn_main, &c), 0);
	for (int i = 0; i < 200 && intr < 3; i++) {
		int r = linx_rtnl_addr_list(s, NULL, &list, &n, &err);

		if (r == -EAGAIN) {
			intr++;
			ck_assert_str_eq(err.op, "address.list");
			ck_assert_msg(strstr(err.message, "interrupted"), "%s",
				      err.message);
			continue;
		}
		linx_assert_ok(r, &err);
		/* A complete dump: the 4000, ::1, 127.0.0.1, maybe the
		 * churning one. */
		ck_assert_msg(n >= 4002 && n <= 4003, "inconsistent: %zu", n);
		ok++;
		free(list);
	}
	ck_assert_msg(intr > 0, "no interrupted dump seen in %d dumps", ok);
	atomic_store(&c.stop, true);
	pthread_join(t, NULL);
	ck_assert_int_eq(c.errors, 0);
	/* With retries, the engine restarts them itself. A flat-out churn
	 * can interrupt every attempt, so the churn now pauses between
	 * changes: a dump that overlaps one change is retried into the
	 * quiet that follows. Overlaps are a race, so keep dumping (up to
	 * a bound) until the engine has retried at least once. */
	atomic_store(&c.stop, false);
	c.pause_us = 20000;
	ck_assert_int_eq(pthread_create(&t, NULL, churn_main, &c), 0);
	linx_assert_ok(linx_rtnl_set_dump_retries(s, 1000, &err), &err);
	memset(&st, 0, sizeof(st));
	for (int i = 0; i < 20 || (st.dump_retries == 0 && i < 2000); i++) {
		linx_assert_ok(linx_rtnl_addr_list(s, NULL, &list, &n, &err),
			       &err);
		ck_assert_msg(n >= 4002 && n <= 4003, "inconsistent: %zu", n);
		free(list);
		linx_rtnl_engine_stats(s, &st);
	}
	atomic_store(&c.stop, true);
	pthread_join(t, NULL);
	ck_assert_int_eq(c.errors, 0);
	ck_assert_uint_gt(st.dump_retries, 0);
	linx_rtnl_close(s);
}
END_TEST

START_TEST(batch_reports_failures_by_index)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;
	struct linx_rtnl_batch *b;
	struct linx_error err, e;
	size_t index;
	char *out;

	linx_assert_ok(linx_rtnl_batch_new(s, &b, &err), &err);
	r.type = RTN_BLACKHOLE;
	r.dst_len = 32;
	for (unsigned i = 0; i < 10; i++) {
		r.dst = rt_parse_ip("192.0.2.0");
		/* ops 3 and 7 duplicate op 2 */
		r.dst.addr[3] = (uint8_t)(i == 3 || i == 7 ? 2 : i);
		linx_assert_ok(linx_rtnl_batch_route(b, LINX_RTNL_OP_ROUTE_ADD,
						     &r, &err),
			       &err);
	}
	/* op 10: an unreachable gateway; op 11: a link that is not there
	 * (named in the request, so only the kernel can tell). */
	r = (struct linx_rtnl_route_spec)LINX_RTNL_ROUTE_SPEC_INIT;
	r.dst = rt_parse_ip("10.50.0.0");
	r.dst_len = 24;
	r.gateway = rt_parse_ip("172.31.0.1");
	linx_assert_ok(linx_rtnl_batch_route(b, LINX_RTNL_OP_ROUTE_ADD, &r,
					     &err),
		       &err);
	linx_assert_ok(linx_rtnl_batch_link(b, LINX_RTNL_OP_LINK_SET_MTU,
					    "nope0", 1400, &err),
		       &err);
	ck_assert_uint_eq(linx_rtnl_batch_size(b), 12);
	ck_assert_int_eq(linx_rtnl_batch_run(b, &err), -EEXIST);
	ck_assert_msg(strstr(err.message, "operation 3 (route.add) of 12"),
		      "%s", err.message);
	ck_assert_uint_eq(linx_rtnl_batch_failures(b), 4);
	linx_assert_ok(linx_rtnl_batch_failure(b, 0, &index, &e), &e);
	ck_assert_uint_eq(index, 3);
	ck_assert_int_eq(e.code, EEXIST);
	linx_assert_ok(linx_rtnl_batch_failure(b, 1, &index, &e), &e);
	ck_assert_uint_eq(index, 7);
	linx_assert_ok(linx_rtnl_batch_failure(b, 2, &index, &e), &e);
	ck_assert_uint_eq(index, 10);
	ck_assert_int_eq(e.code, ENETUNREACH);
	ck_assert_str_eq(e.op, "route.add");
	ck_assert_str_eq(e.extack, "Nexthop has invalid gateway");
	linx_assert_ok(linx_rtnl_batch_failure(b, 3, &index, &e), &e);
	ck_assert_uint_eq(index, 11);
	ck_assert_int_eq(e.code, ENODEV);
	ck_assert_str_eq(e.op, "link.set_mtu");
	ck_assert_int_eq(linx_rtnl_batch_failure(b, 4, &index, &e), -ENOENT);
	out = rt_sh_ok("ip route show type blackhole | wc -l");
	ck_assert_str_eq(out, "8\n");
	free(out);
	/* Bad arguments fail at append time and leave the batch as it was. */
	r.dev = "nope0";
	ck_assert_int_eq(linx_rtnl_batch_route(b, LINX_RTNL_OP_ROUTE_ADD, &r,
					       &err),
			 -ENODEV);
	ck_assert_int_eq(linx_rtnl_batch_route(b, 999, &r, &err), -EINVAL);
	ck_assert_uint_eq(linx_rtnl_batch_size(b), 12);
	linx_rtnl_batch_free(b);
	linx_rtnl_batch_free(NULL);
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-engine");
	TCase *tc = tcase_create("engine");

	rt_require_oracle();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, small_buffer_never_truncates);
	tcase_add_test(tc, interrupted_dumps_are_retried_or_reported);
	tcase_add_test(tc, batch_reports_failures_by_index);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
