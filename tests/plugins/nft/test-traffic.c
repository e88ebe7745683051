/* SPDX-License-Identifier: MIT */
/*
 * Packets through rules Linx pushed: two network namespaces joined by a
 * veth pair (A: 10.99.0.1, the test process; B: 10.99.0.2, a child).  A's
 * firewall counts pings, refuses one port with a TCP reset, logs another
 * to an NFLOG group Linx listens on, drops a third (the connection times
 * out) and redirects 8080 to a listener on 80; the counters are read back
 * with a pull and checked against nft -j.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nft-test.h"

#define TCP "{\"expr\": \"meta\", \"key\": \"l4proto\", \"dreg\": 1}, " \
	    "{\"expr\": \"cmp\", \"op\": \"eq\", \"sreg\": 1, "          \
	    "\"data\": {\"$bytes\": \"06\"}}, "                           \
	    "{\"expr\": \"payload\", \"field\": \"tcp_dport\"}, "
#define PORT(hex) "{\"expr\": \"cmp\", \"op\": \"eq\", \"sreg\": 1, " \
		  "\"data\": {\"$bytes\": \"" hex "\"}}, "

static const char ruleset[] =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"t\", \"chains\": ["
	" {\"name\": \"input\", \"type\": \"filter\", \"hook\": \"input\","
	"  \"priority\": 0, \"policy\": \"accept\", \"rules\": ["
	"  {\"tag\": \"icmp\", \"exprs\": ["
	"   {\"expr\": \"meta\", \"key\": \"l4proto\", \"dreg\": 1},"
	"   {\"expr\": \"cmp\", \"op\": \"eq\", \"sreg\": 1,"
	"    \"data\": {\"$bytes\": \"01\"}},"
	"   {\"expr\": \"counter\"}, \"accept\"]},"
	"  {\"tag\": \"reset81\", \"exprs\": [" TCP PORT("0051")
	"   {\"expr\": \"counter\"},"
	"   {\"expr\": \"reject\", \"type\": \"tcp_reset\"}]},"
	"  {\"tag\": \"log82\", \"exprs\": [" TCP PORT("0052")
	"   {\"expr\": \"log\", \"group\": 7, \"prefix\": \"linx82\"},"
	"   {\"expr\": \"reject\", \"type\": \"tcp_reset\"}]},"
	"  {\"tag\": \"drop83\", \"exprs\": [" TCP PORT("0053")
	"   {\"expr\": \"counter\"}, \"drop\"]}]},"
	" {\"name\": \"pre\", \"type\": \"nat\", \"hook\": \"prerouting\","
	"  \"priority\": \"dstnat\", \"policy\": \"accept\", \"rules\": ["
	"  {\"tag\": \"to80\", \"exprs\": [" TCP PORT("1f90")
	"   {\"expr\": \"immediate\", \"dreg\": 1,"
	"    \"data\": {\"$bytes\": \"0050\"}},"
	"   {\"expr\": \"redir\", \"reg_proto_min\": 1}]}]}]}]}";

static pid_t peer;

static char *in_b(const char *cmd, int *status)
{
	return linx_test_sh(status, "nsenter -t %d -n %s", (int)peer, cmd);
}

static void setup_pair(void)
{
	char *out;
	int status;

	peer = linx_test_spawn_in_ns(CLONE_NEWNET);
	free(nt_sh_ok("ip link add a0 type veth peer name b0 && "
		      "ip link set b0 netns %d && "
		      "ip addr add 10.99.0.1/24 dev a0 && ip link set a0 up",
		      (int)peer));
	out = in_b("sh -c 'ip addr add 10.99.0.2/24 dev b0 && "
		   "ip link set b0 up && ip link set lo up'",
		   &status);
	ck_assert_msg(status == 0, "%s", out);
	free(out);
}

/* Connect from B to A's port; 0 connected, else the shell's status. */
static int connect_from_b(int port)
{
	char cmd[256];
	int status;

	snprintf(cmd, sizeof(cmd),
		 "timeout 2 bash -c 'exec 3<>/dev/tcp/10.99.0.1/%d' "
		 "2>/dev/null",
		 port);
	free(in_b(cmd, &status));
	return status;
}

/* A counter of a tagged rule, from our pull. */
static uint64_t counter_of(struct linx_nft *s, const char *tag)
{
	struct linx_value rs = nt_pull(s);
	const struct linx_value *t = &linx_map_get(&rs, "tables")->items[0];
	const struct linx_value *chains = linx_map_get(t, "chains");
	uint64_t packets = UINT64_MAX;

	for (uint32_t c = 0; c < chains->len; c++) {
		const struct linx_value *rules =
			linx_map_get(&chains->items[c], "rules");

		for (uint32_t i = 0; rules && i < rules->len; i++) {
			const struct linx_value *r = &rules->items[i];
			const struct linx_value *tg = linx_map_get(r, "tag");
			const struct linx_value *ex = linx_map_get(r, "exprs");

			if (!tg || strcmp(tg->str, tag) != 0)
				continue;
			for (uint32_t k = 0; k < ex->len; k++) {
				const struct linx_value *n =
					linx_map_get(&ex->items[k], "expr");

				if (n && strcmp(n->str, "counter") == 0)
					linx_value_get_u64(
						linx_map_get(&ex->items[k],
							     "packets"),
						&packets);
			}
		}
	}
	linx_value_clear(&rs);
	return packets;
}

START_TEST(pushed_rules_filter_count_nat_and_log)
{
	struct linx_nft *s = nt_setup();
	struct linx_nft_log_opts lo = { .group = 7 };
	struct linx_nft_log *log = NULL;
	struct linx_error err = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(80) };
	struct linx_value ev = linx_value_nil();
	struct pollfd p;
	int lfd, status, r = 0;
	char *out;

	nt_require_oracle();
	linx_test_require(linx_test_have("nsenter") &&
				  linx_test_have("ping") &&
				  linx_test_have("bash") &&
				  linx_test_have("timeout"),
			  "nsenter, ping, bash and timeout drive the traffic");
	setup_pair();
	nt_push(s, ruleset, LINX_NFT_REPLACE);
	linx_assert_ok(linx_nft_log_open(NULL, &lo, &log, &err), &err);

	/* A listener on 10.99.0.1:80 in A. */
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(lfd, 0);
	inet_pton(AF_INET, "10.99.0.1", &sa.sin_addr);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 8), 0);

	/* Pings are counted. */
	free(in_b("ping -c 3 -i 0.2 -W 1 10.99.0.1", &status));
	ck_assert_int_eq(status, 0);
	ck_assert_uint_ge(counter_of(s, "icmp"), 3);

	/* 8080 is redirected to the listener on 80. */
	ck_assert_int_eq(connect_from_b(8080), 0);
	/* 81 is refused by a reset (fast), counted. */
	ck_assert_int_ne(connect_from_b(81), 0);
	ck_assert_uint_ge(counter_of(s, "reset81"), 1);
	/* 83 is dropped: the connection times out. */
	ck_assert_int_ne(connect_from_b(83), 0);
	ck_assert_uint_ge(counter_of(s, "drop83"), 1);
	/* 82 is logged to group 7 with our prefix. */
	ck_assert_int_ne(connect_from_b(82), 0);
	p = (struct pollfd){ .fd = linx_nft_log_fd(log), .events = POLLIN };
	for (int i = 0; i < 20 && r == 0; i++) {
		if (poll(&p, 1, 200) < 0)
			break;
		r = linx_nft_log_next(log, &ev, &err);
	}
	ck_assert_int_eq(r, 1);
	ck_assert_str_eq(linx_map_get(&ev, "prefix")->str, "linx82");
	linx_value_clear(&ev);

	/* nft sees the same counters we pulled. */
	out = nt_sh_ok("nft -j list chain inet t input | jq '[.nftables[] | "
		       "select(.rule) | .rule | select(.comment == "
		       "\"tag:icmp\") | .expr[] | select(.counter) | "
		       ".counter.packets] | .[0]'");
	ck_assert_uint_ge(strtoull(out, NULL, 10), 3);
	free(out);

	close(lfd);
	linx_nft_log_close(log);
	linx_nft_close(s);
	linx_test_reap(peer);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-traffic");
	TCase *tc = tcase_create("traffic");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, pushed_rules_filter_count_nat_and_log);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
