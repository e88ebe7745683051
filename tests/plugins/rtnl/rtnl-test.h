/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the rtnl tests: a socket in the test's own netns,
 * the `ip -j` oracle (iproute2) read through jq, and line builders to
 * compare both field by field.
 */
#ifndef LINX_RTNL_TEST_H
#define LINX_RTNL_TEST_H

#include <linx/rtnl.h>
#include <sched.h>

#include "linx-test.h"

/* Enter a fresh netns (lo up) and open a socket in it. */
struct linx_rtnl *rt_setup(void);

/* Skip unless `ip` and `jq` are there (they are the oracle). */
void rt_require_oracle(void);

/* Run `ip -j ARGS | jq -r FILTER | sort` and return the text. */
char *rt_ip_jq(const char *ip_args, const char *filter);

/* Run a shell command that must succeed; returns its stdout. */
char *rt_sh_ok(const char *fmt, ...) LINX_PRINTF(1, 2);

/* A growable text of sorted lines, built from our side. */
struct rt_lines {
	char **v;
	size_t n, cap;
};
void rt_lines_add(struct rt_lines *l, const char *fmt, ...) LINX_PRINTF(2, 3);
/* Sort, join with '\n' (trailing newline), free the lines; caller frees. */
char *rt_lines_join(struct rt_lines *l);

/* ck_assert_str_eq with both texts printed in full on a mismatch. */
#define rt_assert_same(ours, theirs)                                         \
	ck_assert_msg(strcmp((ours), (theirs)) == 0,                         \
		      "ours:\n%s\n--- ip -j says:\n%s", (ours), (theirs))

/*
 * Compare ours(arg) with `ip -j IP_ARGS | jq -r JQ | sort` until they
 * agree, at most 100 times 20 ms apart, then assert.  The kernel changes
 * some state on its own right after a change (operational state, IPv6
 * link-local addresses and routes, multicast neighbour entries), so two
 * snapshots taken a moment apart may differ legitimately.
 */
void rt_assert_settled(char *(*ours)(void *arg), void *arg,
		       const char *ip_args, const char *jq);

/* Text forms. */
const char *rt_ip(const struct linx_rtnl_ip *ip);	/* static buffer */
const char *rt_mac(const struct linx_rtnl_lladdr *ll); /* static buffer */
struct linx_rtnl_ip rt_parse_ip(const char *s);
struct linx_rtnl_lladdr rt_parse_mac(const char *s);

#endif
