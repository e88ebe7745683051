/* SPDX-License-Identifier: MIT */
/*
 * The netlink engine's receive half (lib/netlink/io.c).
 *
 * `walk` (no kernel): hand-made datagrams fed to the reply and batch-ACK
 * walkers: foreign sequence numbers and ports dropped, multi-part dumps
 * followed across datagrams to NLMSG_DONE, NLM_F_DUMP_INTR reported, a
 * failing callback draining the rest of the reply, kernel errors with
 * their extended ACK, malformed and cut ACKs, batch errors mapped to the
 * index of the message that caused them (BEGIN/END-style wrappers
 * included).
 *
 * `kernel` (argument "kernel", root): a real NETLINK_ROUTE socket in a
 * fresh network namespace: a dump through a 256-byte buffer that must
 * grow, a reply left over from an abandoned request, a forged message
 * from another socket, an oversized datagram, a kernel error with its
 * extended ACK, and a batch with failures in the middle.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linx-nl.h"
#include "linx-test.h"

#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define PORT 4242u

static char dgram[8192] __attribute__((aligned(4)));
static size_t dlen;

/* ---- building datagrams ---------------------------------------------------- */

static struct nlmsghdr *put_msg(uint16_t type, uint16_t flags, uint32_t seq,
				uint32_t pid, size_t payload)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(dgram + dlen);

	memset(nlh, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(payload));
	nlh->nlmsg_len = (uint32_t)(MNL_NLMSG_HDRLEN + payload);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = pid;
	dlen += MNL_ALIGN(nlh->nlmsg_len);
	return nlh;
}

/* An error (code <= 0) with NETLINK_CAP_ACK layout, and extended ACK
 * text if `text`. */
static struct nlmsghdr *put_err(int code, uint32_t seq, uint32_t pid,
				const char *text)
{
	struct nlmsghdr *nlh = put_msg(NLMSG_ERROR, text ? NLM_F_ACK_TLVS : 0,
				       seq, pid, sizeof(struct nlmsgerr));
	struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	e->error = code;
	e->msg.nlmsg_seq = seq;
	nlh->nlmsg_flags |= 0x100; /* NLM_F_CAPPED */
	if (text) {
		dlen -= MNL_ALIGN(nlh->nlmsg_len);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
		dlen += MNL_ALIGN(nlh->nlmsg_len);
	}
	return nlh;
}

static void put_done(uint32_t seq, uint16_t flags)
{
	struct nlmsghdr *nlh =
		put_msg(NLMSG_DONE, NLM_F_MULTI | flags, seq, PORT, sizeof(int));

	memset(mnl_nlmsg_get_payload(nlh), 0, sizeof(int));
}

static void conn(struct linx_nl_conn *c)
{
	linx_nl_conn_init(c, -1, PORT, 0);
	dlen = 0;
}

/* ---- callbacks --------------------------------------------------------------- */

struct seen {
	unsigned n;
	int fail_at; /* 1-based message to refuse, 0 never */
	unsigned resets;
};

static int count_cb(void *arg, const struct nlmsghdr *nlh)
{
	struct seen *s = arg;

	(void)nlh;
	s->n++;
	return s->fail_at && (int)s->n == s->fail_at ? -EBADMSG : 0;
}

static void reset_cb(void *arg)
{
	struct seen *s = arg;

	s->n = 0;
	s->resets++;
}

#define MAX_ACKS 16
struct acks {
	size_t n;
	size_t index[MAX_ACKS];
	int code[MAX_ACKS];
	bool malformed[MAX_ACKS];
	char msg[MAX_ACKS][64];
};

static int ack_cb(void *arg, size_t index, const struct linx_nl_ack *ack,
		  bool malformed)
{
	struct acks *a = arg;

	ck_assert_uint_lt(a->n, MAX_ACKS);
	a->index[a->n] = index;
	a->code[a->n] = ack->code;
	a->malformed[a->n] = malformed;
	snprintf(a->msg[a->n], sizeof(a->msg[0]), "%s", ack->msg ? ack->msg : "");
	a->n++;
	return 0;
}

/* ---- walk: replies ------------------------------------------------------------- */

static struct linx_nl_reply reply(uint32_t seq, bool dump)
{
	struct linx_nl_reply st;

	memset(&st, 0, sizeof(st));
	st.seq = seq;
	st.dump = dump;
	return st;
}

START_TEST(reply_drops_foreign_messages)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(7, false);
	struct linx_nl_result res;
	struct seen s = { 0 };

	conn(&c);
	put_msg(RTM_NEWLINK, 0, 6, PORT, 16); /* an older request's */
	put_msg(RTM_NEWLINK, 0, 7, PORT + 1, 16); /* another port's */
	put_err(0, 8, PORT, NULL); /* a later sequence number's ACK */
	put_msg(RTM_NEWLINK, 0, 7, PORT, 16); /* ours */
	put_err(0, 7, PORT, NULL); /* our ACK */
	put_msg(RTM_NEWLINK, 0, 7, PORT, 16); /* after the end: not read */
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 1);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(c.stats.stale, 3);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(dump_spans_datagrams_until_done)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(9, true);
	struct linx_nl_result res;
	struct seen s = { 0 };

	conn(&c);
	put_msg(RTM_NEWLINK, NLM_F_MULTI, 9, PORT, 16);
	put_msg(RTM_NEWLINK, NLM_F_MULTI, 9, PORT, 16);
	/* A plain ACK inside a dump does not end it. */
	put_err(0, 9, PORT, NULL);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 0);
	dlen = 0;
	put_msg(RTM_NEWLINK, NLM_F_MULTI, 9, PORT, 16);
	put_done(9, 0);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 1);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(!st.intr);
	/* NLMSG_DONE in reply to a non-dump request is foreign. */
	st = reply(9, false);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 0);
	ck_assert_uint_eq(c.stats.stale, 1);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(dump_intr_is_reported)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(3, true);
	struct linx_nl_result res;
	struct seen s = { 0 };

	conn(&c);
	put_msg(RTM_NEWADDR, NLM_F_MULTI, 3, PORT, 8);
	put_msg(RTM_NEWADDR, NLM_F_MULTI | NLM_F_DUMP_INTR, 3, PORT, 8);
	put_done(3, NLM_F_DUMP_INTR);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 1);
	ck_assert(st.intr);
	ck_assert_uint_eq(s.n, 2);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(failing_callback_drains_the_reply)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(5, true);
	struct linx_nl_result res;
	struct seen s = { .fail_at = 1 };

	conn(&c);
	put_msg(RTM_NEWROUTE, NLM_F_MULTI, 5, PORT, 12);
	put_msg(RTM_NEWROUTE, NLM_F_MULTI, 5, PORT, 12);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 0);
	/* The second message never reached the callback. */
	ck_assert_uint_eq(s.n, 1);
	dlen = 0;
	put_msg(NLMSG_OVERRUN, 0, 5, PORT, 0);
	put_done(5, 0);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 -EBADMSG);
	ck_assert_int_eq(res.fail, LINX_NL_FAIL_CALLBACK);
	ck_assert_int_eq(res.code, EBADMSG);
	ck_assert_uint_eq(res.type, RTM_NEWROUTE);
	ck_assert_uint_eq(s.n, 1);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(overrun_fails_the_request)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(5, false);
	struct linx_nl_result res;

	conn(&c);
	put_msg(NLMSG_OVERRUN, 0, 5, PORT, 0);
	put_err(0, 5, PORT, NULL);
	ck_assert_int_eq(
		linx_nl_reply_datagram(&c, &st, dgram, dlen, NULL, NULL, &res),
		-EIO);
	ck_assert_int_eq(res.fail, LINX_NL_FAIL_OVERRUN);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(kernel_errors_keep_their_extack)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(11, false);
	struct linx_nl_result res;
	struct seen s = { 0 };

	conn(&c);
	put_err(-EEXIST, 11, PORT, "File exists, really");
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 -EEXIST);
	ck_assert_int_eq(res.fail, LINX_NL_FAIL_KERNEL);
	ck_assert_ptr_nonnull(res.ack.msg);
	ck_assert_str_eq(res.ack.msg, "File exists, really");
	/* The error NLMSG_DONE of a dump. */
	dlen = 0;
	st = reply(12, true);
	{
		struct nlmsghdr *nlh = put_msg(NLMSG_DONE, NLM_F_MULTI, 12,
					       PORT, sizeof(int));
		int e = -EPERM;

		memcpy(mnl_nlmsg_get_payload(nlh), &e, sizeof(e));
	}
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 -EPERM);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(malformed_and_truncated_messages)
{
	struct linx_nl_conn c;
	struct linx_nl_reply st = reply(2, false);
	struct linx_nl_result res;
	struct seen s = { 0 };
	struct nlmsghdr *nlh;

	conn(&c);
	/* An NLMSG_ERROR too short to hold its code. */
	put_msg(NLMSG_ERROR, 0, 2, PORT, 0);
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 -EBADMSG);
	ck_assert_int_eq(res.fail, LINX_NL_FAIL_BADACK);
	/* A message claiming more than the datagram holds ends the walk:
	 * nothing of it is read. */
	dlen = 0;
	st = reply(2, false);
	nlh = put_msg(RTM_NEWLINK, 0, 2, PORT, 16);
	nlh->nlmsg_len = 4000;
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, dlen, count_cb,
						&s, &res),
			 0);
	ck_assert_uint_eq(s.n, 0);
	/* A datagram shorter than a header. */
	ck_assert_int_eq(linx_nl_reply_datagram(&c, &st, dgram, 10, count_cb,
						&s, &res),
			 0);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(sequence_numbers_skip_zero)
{
	struct linx_nl_conn c;

	conn(&c);
	c.seq = UINT32_MAX;
	ck_assert_uint_eq(linx_nl_seq_next(&c), 1);
	c.seq = UINT32_MAX - 2;
	/* Five numbers do not fit before the wrap: start again at 1. */
	ck_assert_uint_eq(linx_nl_seq_reserve(&c, 5), 1);
	ck_assert_uint_eq(c.seq, 5);
	ck_assert_uint_eq(linx_nl_seq_reserve(&c, 3), 6);
	ck_assert_uint_eq(c.seq, 8);
	linx_nl_conn_fini(&c);
}
END_TEST

/* ---- walk: batch acknowledgements ----------------------------------------------- */

static struct linx_nl_window window(struct acks *a, uint32_t base,
				    size_t start, size_t end)
{
	struct linx_nl_window w = {
		.base = base,
		.start = start,
		.end = end,
		.close = end - 1,
		.ack = ack_cb,
		.arg = a,
	};

	memset(a, 0, sizeof(*a));
	return w;
}

START_TEST(batch_errors_map_to_their_index)
{
	struct linx_nl_conn c;
	struct acks a;
	struct linx_nl_window w = window(&a, 1000, 10, 15);
	bool closed = false;

	conn(&c);
	put_err(-EEXIST, 1012, PORT, "exists");
	put_err(-EINVAL, 1005, PORT, NULL); /* before the window */
	put_err(-EINVAL, 1015, PORT, NULL); /* after it */
	put_err(-EINVAL, 1013, PORT + 1, NULL); /* another port */
	put_msg(RTM_NEWLINK, 0, 1013, PORT, 16); /* not an ACK */
	put_err(-ENODEV, 1013, PORT, NULL);
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram, dlen, false,
					       &closed),
			 0);
	ck_assert(!closed);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(a.index[0], 12);
	ck_assert_int_eq(a.code[0], EEXIST);
	ck_assert_str_eq(a.msg[0], "exists");
	ck_assert_uint_eq(a.index[1], 13);
	ck_assert_int_eq(a.code[1], ENODEV);
	ck_assert_uint_eq(c.stats.stale, 4);
	/* The closing ACK of index 14. */
	dlen = 0;
	put_err(0, 1014, PORT, NULL);
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram, dlen, false,
					       &closed),
			 0);
	ck_assert(closed);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_uint_eq(a.index[2], 14);
	ck_assert_int_eq(a.code[2], 0);
	linx_nl_conn_fini(&c);
}
END_TEST

struct echoed {
	size_t n, index[4];
	uint16_t type[4];
};

/* The window's arg is the ACK recorder; echoes go here. */
static struct echoed *echo_arg;

static int echo_cb(void *arg, size_t index, const struct nlmsghdr *nlh,
		   bool cut)
{
	struct echoed *e = echo_arg;

	(void)arg;
	ck_assert(!cut);
	if (e->n < 4) {
		e->index[e->n] = index;
		e->type[e->n] = nlh->nlmsg_type;
	}
	e->n++;
	return 0;
}

/* With a msg callback, echoed messages of the window reach it (before the
 * ACKs); outside the window or from another port they are still stale. */
START_TEST(echoes_reach_the_msg_callback)
{
	struct linx_nl_conn c;
	struct acks a;
	struct echoed e = { 0 };
	struct linx_nl_window w = window(&a, 1000, 10, 15);
	bool closed = false;

	echo_arg = &e;
	w.msg = echo_cb;
	conn(&c);
	put_msg(RTM_NEWLINK, 0, 1012, PORT, 16); /* echoed: index 12 */
	put_msg(RTM_NEWADDR, 0, 1010, PORT, 16); /* echoed: index 10 */
	put_msg(RTM_NEWLINK, 0, 1016, PORT, 16); /* after the window */
	put_msg(RTM_NEWLINK, 0, 1012, PORT + 1, 16); /* another port */
	put_err(0, 1014, PORT, NULL);
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram, dlen, false,
					       &closed),
			 0);
	ck_assert(closed);
	ck_assert_uint_eq(e.n, 2);
	ck_assert_uint_eq(e.index[0], 12);
	ck_assert_uint_eq(e.type[0], RTM_NEWLINK);
	ck_assert_uint_eq(e.index[1], 10);
	ck_assert_uint_eq(e.type[1], RTM_NEWADDR);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_uint_eq(c.stats.stale, 2);
	linx_nl_conn_fini(&c);
}
END_TEST

/* nfnetlink style: index 0 is a BEGIN wrapper, the last an END; the
 * window closes on the last real message, and an error on the wrapper is
 * reported on its own index. */
START_TEST(batch_with_wrappers)
{
	struct linx_nl_conn c;
	struct acks a;
	struct linx_nl_window w = window(&a, 100, 0, 5);
	bool closed = false;

	w.close = 3;
	conn(&c);
	put_err(-EPERM, 100, PORT, "batch refused"); /* index 0: BEGIN */
	put_err(-EINVAL, 102, PORT, NULL); /* index 2 */
	put_err(0, 103, PORT, NULL); /* index 3: closes */
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram, dlen, false,
					       &closed),
			 0);
	ck_assert(closed);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_uint_eq(a.index[0], 0);
	ck_assert_int_eq(a.code[0], EPERM);
	ck_assert_uint_eq(a.index[1], 2);
	ck_assert_uint_eq(a.index[2], 3);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(batch_cut_and_malformed_acks)
{
	struct linx_nl_conn c;
	struct acks a;
	struct linx_nl_window w = window(&a, 50, 0, 4);
	bool closed = false;

	conn(&c);
	put_err(-ENOENT, 51, PORT, "a long extended ACK cut by the slot");
	/* Cut to its header and code: the code stands, the text is gone. */
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram,
					       MNL_NLMSG_HDRLEN + 4, true,
					       &closed),
			 0);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_int_eq(a.code[0], ENOENT);
	ck_assert_str_eq(a.msg[0], "");
	/* Cut shorter than the code: nothing. */
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram, MNL_NLMSG_HDRLEN,
					       true, &closed),
			 0);
	ck_assert_uint_eq(a.n, 1);
	/* Whole, but too short for a code: malformed, EBADMSG. */
	dlen = 0;
	put_msg(NLMSG_ERROR, 0, 53, PORT, 0);
	ck_assert_int_eq(linx_nl_acks_datagram(&c, &w, dgram, dlen, false,
					       &closed),
			 0);
	ck_assert_uint_eq(a.n, 2);
	ck_assert(a.malformed[1]);
	ck_assert_int_eq(a.code[1], EBADMSG);
	ck_assert(closed);
	linx_nl_conn_fini(&c);
}
END_TEST

/* ---- kernel: a real NETLINK_ROUTE socket in a fresh netns ------------------------ */

static int open_route(uint32_t *portid)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(addr);
	int one = 1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	*portid = addr.nl_pid;
	return fd;
}

static void kconn(struct linx_nl_conn *c, size_t cap_max)
{
	uint32_t portid;
	int fd;

	linx_test_private_netns();
	fd = open_route(&portid);
	linx_nl_conn_init(c, fd, portid, cap_max);
}

static struct nlmsghdr *getlink(void *buf, uint16_t flags, int index)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = flags;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	return nlh;
}

START_TEST(kernel_dump_grows_the_buffer)
{
	char buf[256] __attribute__((aligned(4))) = { 0 };
	struct linx_nl_conn c;
	struct linx_nl_result res;
	struct seen s = { 0 };

	kconn(&c, 0);
	ck_assert_int_eq(linx_nl_conn_set_buffer(&c, 256), 0);
	ck_assert_int_eq(linx_nl_request(&c, getlink(buf, NLM_F_DUMP, 0),
					 count_cb, reset_cb, &s, 4, &res),
			 0);
	ck_assert_uint_ge(s.n, 1); /* lo */
	ck_assert_uint_ge(c.stats.truncations, 1);
	ck_assert_uint_gt(c.cap, 256);
	ck_assert_uint_eq(c.stats.requests, 1);
	ck_assert_uint_eq(res.attempts, 1);
	close(c.fd);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(kernel_abandoned_reply_is_stale)
{
	char buf[256] __attribute__((aligned(4))) = { 0 };
	struct linx_nl_conn c;
	struct linx_nl_result res;
	struct seen s = { 0 };
	struct nlmsghdr *nlh;

	kconn(&c, 0);
	/* A request whose reply nobody reads. */
	nlh = getlink(buf, NLM_F_REQUEST | NLM_F_ACK, 1);
	nlh->nlmsg_seq = linx_nl_seq_next(&c);
	ck_assert_int_eq(linx_nl_send(&c, nlh, nlh->nlmsg_len), 0);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(linx_nl_request(&c, getlink(buf, 0, 1), count_cb,
					 NULL, &s, 0, &res),
			 0);
	ck_assert_uint_eq(s.n, 1);
	/* Its RTM_NEWLINK and its ACK were dropped. */
	ck_assert_uint_ge(c.stats.stale, 2);
	close(c.fd);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(kernel_forged_and_oversized_datagrams)
{
	char buf[256] __attribute__((aligned(4))) = { 0 };
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct linx_nl_conn c;
	struct linx_nl_result res;
	struct seen s = { 0 };
	uint32_t other_port;
	int other;
	char *big;

	kconn(&c, 16384);
	other = open_route(&other_port);
	to.nl_pid = c.portid;
	/* A forged failure for the next request, from a user port. */
	dlen = 0;
	put_err(-EPERM, c.seq + 1, c.portid, "forged");
	ck_assert_int_eq(sendto(other, dgram, dlen, 0, (struct sockaddr *)&to,
				sizeof(to)),
			 (ssize_t)dlen);
	ck_assert_int_eq(linx_nl_request(&c, getlink(buf, 0, 1), count_cb,
					 NULL, &s, 0, &res),
			 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_ge(c.stats.stale, 1);
	/* A datagram larger than the buffer may grow: refused whole. */
	big = calloc(1, 20000);
	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(sendto(other, big, 20000, 0, (struct sockaddr *)&to,
				sizeof(to)),
			 20000);
	ck_assert_int_eq(linx_nl_recv(&c, MSG_DONTWAIT), -EMSGSIZE);
	ck_assert_uint_eq(c.last_size, 20000);
	ck_assert_uint_le(c.cap, 16384);
	free(big);
	close(other);
	close(c.fd);
	linx_nl_conn_fini(&c);
}
END_TEST

START_TEST(kernel_error_with_extack)
{
	char buf[512] __attribute__((aligned(4))) = { 0 };
	struct linx_nl_conn c;
	struct linx_nl_result res;
	struct nlmsghdr *nlh;
	struct nlattr *info;

	kconn(&c, 0);
	nlh = getlink(buf, NLM_F_CREATE | NLM_F_EXCL, 0);
	nlh->nlmsg_type = RTM_NEWLINK;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x0");
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "no-such-kind");
	mnl_attr_nest_end(nlh, info);
	ck_assert_int_eq(linx_nl_request(&c, nlh, NULL, NULL, NULL, 0, &res),
			 -EOPNOTSUPP);
	ck_assert_int_eq(res.fail, LINX_NL_FAIL_KERNEL);
	ck_assert_int_eq(res.code, EOPNOTSUPP);
	close(c.fd);
	linx_nl_conn_fini(&c);
}
END_TEST

/* Append an RTM_NEWADDR/RTM_DELADDR of 10.9.0.<host>/32 on lo. */
static void put_addr(char *buf, size_t *len, uint16_t type, uint16_t flags,
		     uint8_t host)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *len);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint8_t ip[4] = { 10, 9, 0, host };

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_index = if_nametoindex("lo");
	mnl_attr_put(nlh, IFA_LOCAL, 4, ip);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, ip);
	*len += MNL_ALIGN(nlh->nlmsg_len);
}

START_TEST(kernel_batch_reports_each_failure)
{
	char buf[4096] __attribute__((aligned(4))) = { 0 };
	uint16_t excl = NLM_F_CREATE | NLM_F_EXCL;
	struct linx_nl_conn c;
	struct linx_nl_result res;
	struct acks a;
	struct linx_nl_window w = window(&a, 0, 0, 5);
	size_t len = 0, off = 0;
	uint32_t base;

	kconn(&c, 0);
	put_addr(buf, &len, RTM_NEWADDR, excl, 1); /* 0: ok */
	put_addr(buf, &len, RTM_NEWADDR, excl, 2); /* 1: ok */
	put_addr(buf, &len, RTM_NEWADDR, excl, 1); /* 2: EEXIST */
	put_addr(buf, &len, RTM_DELADDR, 0, 7); /* 3: EADDRNOTAVAIL */
	put_addr(buf, &len, RTM_NEWADDR, excl | NLM_F_ACK, 3); /* 4: ok, closes */
	base = linx_nl_seq_reserve(&c, 5);
	for (uint32_t i = 0; off < len; i++) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(buf + off);

		nlh->nlmsg_seq = base + i;
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	w.base = base;
	ck_assert_int_eq(linx_nl_send(&c, buf, len), 0);
	ck_assert_int_eq(linx_nl_collect_acks(&c, &w, &res), 0);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_uint_eq(a.index[0], 2);
	ck_assert_int_eq(a.code[0], EEXIST);
	ck_assert_uint_eq(a.index[1], 3);
	ck_assert_int_eq(a.code[1], EADDRNOTAVAIL);
	ck_assert_uint_eq(a.index[2], 4);
	ck_assert_int_eq(a.code[2], 0);
	close(c.fd);
	linx_nl_conn_fini(&c);
}
END_TEST

/* ---- kernel: NLM_F_DUMP_INTR ------------------------------------------------ */

/* A dump callback that changes the address list once, on the first
 * message of an attempt, through a second socket: the kernel notices at
 * the next datagram of the dump (nl_dump_check_consistent()). */
struct disturb {
	struct linx_nl_conn *other;
	unsigned n, resets, changes, max_changes;
	uint8_t next_host;
};

static int disturb_cb(void *arg, const struct nlmsghdr *nlh)
{
	struct disturb *d = arg;
	char buf[256] __attribute__((aligned(4))) = { 0 };
	struct linx_nl_result res;
	size_t len = 0;

	(void)nlh;
	if (d->n++ == 0 && d->changes < d->max_changes) {
		put_addr(buf, &len, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			 d->next_host++);
		ck_assert_int_eq(linx_nl_request(d->other, (void *)buf, NULL,
						 NULL, NULL, 0, &res),
				 0);
		d->changes++;
	}
	return 0;
}

static void disturb_reset(void *arg)
{
	struct disturb *d = arg;

	d->n = 0;
	d->resets++;
}

/* Enough addresses that their dump takes several datagrams. */
static void many_addresses(struct linx_nl_conn *c)
{
	static char buf[64 * 1024] __attribute__((aligned(4)));

	for (unsigned third = 0; third < 4; third++) {
		struct linx_nl_result res;
		struct acks a;
		struct linx_nl_window w = window(&a, 0, 0, 200);
		size_t len = 0, off = 0;
		uint32_t i = 0;

		for (unsigned k = 0; k < 200; k++) {
			struct nlmsghdr *nlh;
			uint8_t ip[4] = { 10, (uint8_t)(20 + third),
					  (uint8_t)(k / 250), (uint8_t)(k % 250 + 1) };
			struct ifaddrmsg *ifa;

			nlh = mnl_nlmsg_put_header(buf + len);
			ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
			nlh->nlmsg_type = RTM_NEWADDR;
			nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE |
					   (k == 199 ? NLM_F_ACK : 0);
			ifa->ifa_family = AF_INET;
			ifa->ifa_prefixlen = 32;
			ifa->ifa_index = if_nametoindex("lo");
			mnl_attr_put(nlh, IFA_LOCAL, 4, ip);
			len += MNL_ALIGN(nlh->nlmsg_len);
		}
		w.base = linx_nl_seq_reserve(c, 200);
		for (; off < len; i++) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)(buf + off);

			nlh->nlmsg_seq = w.base + i;
			off += MNL_ALIGN(nlh->nlmsg_len);
		}
		ck_assert_int_eq(linx_nl_send(c, buf, len), 0);
		ck_assert_int_eq(linx_nl_collect_acks(c, &w, &res), 0);
		/* Only the closing ACK: every address went in. */
		ck_assert_uint_eq(a.n, 1);
		ck_assert_int_eq(a.code[0], 0);
	}
}

static struct nlmsghdr *getaddr(void *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifa->ifa_family = AF_INET;
	return nlh;
}

START_TEST(kernel_dump_intr_restarts)
{
	char buf[256] __attribute__((aligned(4))) = { 0 };
	struct linx_nl_conn c, other;
	struct linx_nl_result res;
	struct disturb d = { .other = &other, .max_changes = 1,
			     .next_host = 1 };
	uint32_t port;
	int fd;

	kconn(&c, 0);
	fd = open_route(&port);
	linx_nl_conn_init(&other, fd, port, 0);
	many_addresses(&c);
	/* Disturbed once: restarted, and the second attempt is whole. */
	ck_assert_int_eq(linx_nl_request(&c, getaddr(buf), disturb_cb,
					 disturb_reset, &d, 3, &res),
			 0);
	ck_assert_uint_eq(d.resets, 1);
	ck_assert_uint_eq(c.stats.dump_restarts, 1);
	ck_assert_uint_eq(res.attempts, 2);
	/* 800 addresses, 127.0.0.1 and the one added meanwhile. */
	ck_assert_uint_eq(d.n, 802);
	/* Disturbed every time: never returned partial. */
	memset(buf, 0, sizeof(buf));
	d = (struct disturb){ .other = &other, .max_changes = 100,
			      .next_host = 2 };
	ck_assert_int_eq(linx_nl_request(&c, getaddr(buf), disturb_cb,
					 disturb_reset, &d, 2, &res),
			 -EAGAIN);
	ck_assert_int_eq(res.fail, LINX_NL_FAIL_INTR);
	ck_assert_uint_eq(res.attempts, 3);
	ck_assert_uint_eq(d.resets, 2);
	close(other.fd);
	linx_nl_conn_fini(&other);
	close(c.fd);
	linx_nl_conn_fini(&c);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *su = suite_create("netlink-io");
	TCase *tc;

	if (argc > 1 && strcmp(argv[1], "kernel") == 0) {
		linx_test_require_root();
		tc = tcase_create("kernel");
		tcase_add_test(tc, kernel_dump_grows_the_buffer);
		tcase_add_test(tc, kernel_abandoned_reply_is_stale);
		tcase_add_test(tc, kernel_forged_and_oversized_datagrams);
		tcase_add_test(tc, kernel_error_with_extack);
		tcase_add_test(tc, kernel_batch_reports_each_failure);
		tcase_add_test(tc, kernel_dump_intr_restarts);
	} else {
		tc = tcase_create("walk");
		tcase_add_test(tc, reply_drops_foreign_messages);
		tcase_add_test(tc, dump_spans_datagrams_until_done);
		tcase_add_test(tc, dump_intr_is_reported);
		tcase_add_test(tc, failing_callback_drains_the_reply);
		tcase_add_test(tc, overrun_fails_the_request);
		tcase_add_test(tc, kernel_errors_keep_their_extack);
		tcase_add_test(tc, malformed_and_truncated_messages);
		tcase_add_test(tc, sequence_numbers_skip_zero);
		tcase_add_test(tc, batch_errors_map_to_their_index);
		tcase_add_test(tc, echoes_reach_the_msg_callback);
		tcase_add_test(tc, batch_with_wrappers);
		tcase_add_test(tc, batch_cut_and_malformed_acks);
	}
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
