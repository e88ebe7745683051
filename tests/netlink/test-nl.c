/* SPDX-License-Identifier: MIT */
/*
 * The netlink engine's decoding half (lib/netlink) on hand-made input:
 * the policy table admits exactly the attributes of the right shape, last
 * wins, types out of range are ignored, truncated streams stop the walk
 * without reading past them (run under ASan), and acknowledgements yield
 * their errno, extended ACK text and offset in the three layouts the
 * kernel sends (netlink(7), NETLINK_EXT_ACK).  No kernel involved.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>

#include "linx-nl.h"
#include "linx-test.h"

#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif

enum { A_UNSPEC, A_U8, A_U32, A_STR, A_NEST, A_MAC, A_MIN, A_MAX, A_ANY,
       A_UNLISTED, A_LAST = A_UNLISTED };

static const struct linx_nl_policy pol[A_LAST + 1] = {
	[A_U8] = { LINX_NL_U8, 0 },
	[A_U32] = { LINX_NL_U32, 0 },
	[A_STR] = { LINX_NL_STRING, 0 },
	[A_NEST] = { LINX_NL_NESTED, 0 },
	[A_MAC] = { LINX_NL_EXACT, 6 },
	[A_MIN] = { LINX_NL_MIN, 4 },
	[A_MAX] = { LINX_NL_MAX, 2 },
	[A_ANY] = { LINX_NL_ANY, 0 },
};

static char buf[4096] __attribute__((aligned(4)));

static struct nlmsghdr *start(void)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 100;
	mnl_nlmsg_put_extra_header(nlh, 8);
	return nlh;
}

START_TEST(policy_admits_well_formed)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	const struct nlattr *tb[A_LAST + 1];
	struct nlmsghdr *nlh = start();
	struct nlattr *nest;
	char s[8];

	mnl_attr_put_u8(nlh, A_U8, 7);
	mnl_attr_put_u32(nlh, A_U32, 1);
	mnl_attr_put_u32(nlh, A_U32, 42); /* last wins, as nla_parse() */
	mnl_attr_put_strz(nlh, A_STR, "eth0-long-name");
	nest = mnl_attr_nest_start(nlh, A_NEST);
	mnl_attr_put_u32(nlh, 1, 5);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put(nlh, A_MAC, sizeof(mac), mac);
	mnl_attr_put_u32(nlh, A_MIN, 9);
	mnl_attr_put_u16(nlh, A_MAX, 3);
	mnl_attr_put(nlh, A_ANY, 0, NULL);
	mnl_attr_put_u32(nlh, A_UNLISTED, 1);
	mnl_attr_put_u32(nlh, 200, 1); /* above max */

	ck_assert_int_eq(linx_nl_parse_msg(nlh, 8, pol, A_LAST, tb), 0);
	ck_assert_uint_eq(linx_nl_u8(tb[A_U8], 0), 7);
	ck_assert_uint_eq(linx_nl_u32(tb[A_U32], 0), 42);
	linx_nl_str(tb[A_STR], s, sizeof(s));
	ck_assert_str_eq(s, "eth0-lo"); /* truncated to the buffer */
	ck_assert_ptr_nonnull(tb[A_NEST]);
	ck_assert_ptr_nonnull(tb[A_MAC]);
	ck_assert_uint_eq(linx_nl_u32(tb[A_MIN], 0), 9);
	ck_assert_uint_eq(linx_nl_u16(tb[A_MAX], 0), 3);
	ck_assert_ptr_nonnull(tb[A_ANY]);
	ck_assert_ptr_null(tb[A_UNLISTED]);
	ck_assert_ptr_null(tb[A_UNSPEC]);
	/* Defaults for absent entries. */
	ck_assert_uint_eq(linx_nl_u32(tb[A_UNLISTED], 11), 11);
	linx_nl_str(NULL, s, sizeof(s));
	ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(policy_rejects_wrong_shapes)
{
	const struct nlattr *tb[A_LAST + 1];
	struct nlmsghdr *nlh = start();
	struct nlattr *nest;
	uint8_t five[5] = { 0 };

	mnl_attr_put(nlh, A_U8, 0, NULL); /* empty */
	mnl_attr_put_u16(nlh, A_U32, 1); /* short */
	mnl_attr_put(nlh, A_STR, 3, "abc"); /* no NUL */
	nest = mnl_attr_nest_start(nlh, A_NEST);
	mnl_attr_put_u32(nlh, 1, 5);
	mnl_attr_nest_end(nlh, nest);
	/* Corrupt the inner header: its length overruns the nest. */
	((struct nlattr *)mnl_attr_get_payload(nest))->nla_len = 200;
	mnl_attr_put(nlh, A_MAC, sizeof(five), five); /* not exactly 6 */
	mnl_attr_put_u16(nlh, A_MIN, 1); /* under 4 */
	mnl_attr_put_u32(nlh, A_MAX, 1); /* over 2 */

	ck_assert_int_eq(linx_nl_parse_msg(nlh, 8, pol, A_LAST, tb), 7);
	for (int i = 0; i <= A_LAST; i++)
		ck_assert_msg(tb[i] == NULL, "attribute %d admitted", i);
	/* A valid attribute after a rejected one of the same type stays. */
	mnl_attr_put_u32(nlh, A_U32, 77);
	ck_assert_int_eq(linx_nl_parse_msg(nlh, 8, pol, A_LAST, tb), 7);
	ck_assert_uint_eq(linx_nl_u32(tb[A_U32], 0), 77);
}
END_TEST

START_TEST(truncations_stay_in_bounds)
{
	const struct nlattr *tb[A_LAST + 1];
	struct nlmsghdr *nlh = start();
	uint32_t full;

	mnl_attr_put_u32(nlh, A_U32, 1);
	mnl_attr_put_strz(nlh, A_STR, "name");
	mnl_attr_put_u8(nlh, A_U8, 1);
	full = nlh->nlmsg_len;
	ck_assert_int_eq(linx_nl_parse_msg(nlh, 8, pol, A_LAST, tb), 0);
	for (uint32_t len = 0; len <= full; len++) {
		struct nlmsghdr *copy = malloc(len < sizeof(*copy) ? sizeof(*copy)
								   : len);
		int r;

		memcpy(copy, nlh, len < sizeof(*copy) ? sizeof(*copy) : len);
		copy->nlmsg_len = len;
		r = linx_nl_parse_msg(copy, 8, pol, A_LAST, tb);
		if (len < MNL_NLMSG_HDRLEN + 8)
			ck_assert_int_eq(r, -EBADMSG);
		else
			ck_assert_int_ge(r, 0);
		free(copy);
	}
	ck_assert_ptr_null(linx_nl_msg_header(NULL, 0));
}
END_TEST

/* An NLMSG_ERROR for `code`, echoing a request of req_len bytes (or the
 * capped header), with optional extended ACK attributes. */
static struct nlmsghdr *error_msg(int code, bool capped, const char *text,
				  int32_t offset)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = code;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr) + 8;
	if (capped) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else {
		/* The echoed request's payload. */
		mnl_nlmsg_put_extra_header(nlh, 8);
	}
	if (text || offset >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	if (offset >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)offset);
	return nlh;
}

START_TEST(acks)
{
	struct linx_nl_ack ack;
	struct nlmsghdr *nlh;

	nlh = error_msg(0, true, NULL, -1);
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, 0);
	ck_assert_ptr_null(ack.msg);

	nlh = error_msg(-EEXIST, true, "File exists here", 20);
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, EEXIST);
	ck_assert_str_eq(ack.msg, "File exists here");
	ck_assert_int_eq(ack.offset, 20);

	nlh = error_msg(-EINVAL, false, "bad attribute", 36);
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, EINVAL);
	ck_assert_str_eq(ack.msg, "bad attribute");
	ck_assert_int_eq(ack.offset, 36);

	/* Without NLM_F_ACK_TLVS the attributes are not looked for. */
	nlh = error_msg(-EPERM, false, "ignored", 4);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK_TLVS;
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, EPERM);
	ck_assert_ptr_null(ack.msg);
	ck_assert_int_eq(ack.offset, -1);

	/* An error code no errno is: EIO. */
	nlh = error_msg(-100000, true, NULL, -1);
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, EIO);

	/* An echoed length that would wrap, or run past the message. */
	nlh = error_msg(-ENOENT, false, "x", 1);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len =
		0xfffffffcu;
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, ENOENT);
	ck_assert_ptr_null(ack.msg);

	/* NLMSG_DONE carrying an error: TLVs right after the code. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -EBUSY;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump busy");
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), 0);
	ck_assert_int_eq(ack.code, EBUSY);
	ck_assert_str_eq(ack.msg, "dump busy");

	/* Too short for a code. */
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	ck_assert_int_eq(linx_nl_parse_ack(nlh, &ack), -EBADMSG);
}
END_TEST

START_TEST(walkers_bound_by_real_lengths)
{
	struct nlmsghdr *nlh = start();
	const struct nlmsghdr *cur = nlh;
	size_t rem = nlh->nlmsg_len + 2; /* unaligned tail */

	ck_assert(linx_nl_msg_ok(cur, rem));
	cur = linx_nl_msg_next(cur, &rem);
	ck_assert_uint_eq(rem, 2);
	ck_assert(!linx_nl_msg_ok(cur, rem));
	/* A length above 2^31 (which mnl_nlmsg_ok() accepts as negative). */
	nlh->nlmsg_len = 0x80000010u;
	ck_assert(!linx_nl_msg_ok(nlh, 64));
}
END_TEST

int main(void)
{
	Suite *su = suite_create("netlink-engine");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, policy_admits_well_formed);
	tcase_add_test(tc, policy_rejects_wrong_shapes);
	tcase_add_test(tc, truncations_stay_in_bounds);
	tcase_add_test(tc, acks);
	tcase_add_test(tc, walkers_bound_by_real_lengths);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
