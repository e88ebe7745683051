/* SPDX-License-Identifier: MIT */
/*
 * RTM_GETSTATS: every counter of struct rtnl_link_stats64, compared with
 * `ip -j -s -s link show` after real traffic on loopback.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtnl-test.h"

static void udp_traffic(int packets)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(9) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char payload[100] = { 0 };

	ck_assert_int_ge(fd, 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < packets; i++)
		ck_assert_int_eq(sendto(fd, payload, sizeof(payload), 0,
					(struct sockaddr *)&to, sizeof(to)),
				 sizeof(payload));
	close(fd);
}

#define STATS_JQ                                                             \
	".[0].stats64 | \"\\(.rx.packets) \\(.rx.bytes) \\(.rx.errors) "     \
	"\\(.rx.dropped) \\(.rx.multicast) \\(.rx.length_errors) "          \
	"\\(.rx.crc_errors) \\(.rx.frame_errors) \\(.rx.fifo_errors) "       \
	"\\(.rx.missed_errors) \\(.rx.over_errors) \\(.tx.packets) "         \
	"\\(.tx.bytes) \\(.tx.errors) \\(.tx.dropped) \\(.tx.collisions) "   \
	"\\(.tx.aborted_errors) \\(.tx.fifo_errors) \\(.tx.window_errors) "  \
	"\\(.tx.heartbeat_errors) \\(.tx.carrier_errors)\""

START_TEST(lo_counters_match_ip)
{
	struct linx_rtnl *s = rt_setup();
	struct linx_rtnl_stats st, *all;
	const struct linx_rtnl_link_stats64 *c;
	struct linx_error err;
	char ours[1024], *theirs;
	size_t n;
	bool found = false;

	udp_traffic(10);
	linx_assert_ok(linx_rtnl_stats_get(s, "lo", &st, &err), &err);
	ck_assert(st.has_link64);
	/* Linux >= 5.19 sends all 25 counters. */
	ck_assert_uint_eq(st.link.n_counters, LINX_RTNL_STATS64_COUNTERS);
	c = &st.link;
	ck_assert_uint_ge(c->rx_packets, 10);
	ck_assert_uint_ge(c->tx_bytes, 10 * 100);
	snprintf(ours, sizeof(ours),
		 "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
		 "%llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
		 (unsigned long long)c->rx_packets,
		 (unsigned long long)c->rx_bytes, (unsigned long long)c->rx_errors,
		 (unsigned long long)c->rx_dropped,
		 (unsigned long long)c->multicast,
		 (unsigned long long)c->rx_length_errors,
		 (unsigned long long)c->rx_crc_errors,
		 (unsigned long long)c->rx_frame_errors,
		 (unsigned long long)c->rx_fifo_errors,
		 (unsigned long long)c->rx_missed_errors,
		 (unsigned long long)c->rx_over_errors,
		 (unsigned long long)c->tx_packets,
		 (unsigned long long)c->tx_bytes, (unsigned long long)c->tx_errors,
		 (unsigned long long)c->tx_dropped,
		 (unsigned long long)c->collisions,
		 (unsigned long long)c->tx_aborted_errors,
		 (unsigned long long)c->tx_fifo_errors,
		 (unsigned long long)c->tx_window_errors,
		 (unsigned long long)c->tx_heartbeat_errors,
		 (unsigned long long)c->tx_carrier_errors);
	theirs = rt_ip_jq("-s -s link show lo", STATS_JQ);
	rt_assert_same(ours, theirs);
	free(theirs);
	/* The same numbers in the dump of every link. */
	linx_assert_ok(linx_rtnl_stats_list(s, &all, &n, &err), &err);
	for (size_t i = 0; i < n; i++)
		if (all[i].ifindex == st.ifindex) {
			found = true;
			ck_assert(memcmp(&all[i].link, &st.link,
					 sizeof(st.link)) == 0);
		}
	ck_assert(found);
	free(all);
	ck_assert_int_eq(linx_rtnl_stats_get(s, "nope0", &st, &err), -ENODEV);
	ck_assert_str_eq(err.message, "no such interface \"nope0\"");
	ck_assert_str_eq(linx_rtnl_stats64_name(24), "rx_otherhost_dropped");
	ck_assert_ptr_null(linx_rtnl_stats64_name(25));
	linx_rtnl_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("rtnl-stats");
	TCase *tc = tcase_create("stats");

	rt_require_oracle();
	tcase_add_test(tc, lo_counters_match_ip);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
