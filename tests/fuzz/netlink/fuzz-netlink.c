/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the netlink engine (lib/netlink): the input is a
 * datagram of netlink messages, walked with the bounded walkers; each
 * message is decoded as an acknowledgement and validated against a
 * policy that gives every attribute type 0..15 a different shape, nested
 * ones recursively; then every admitted entry is read as its policy
 * promises.  Then the same bytes go through the receive engine's
 * walkers as if just received: as the reply to a request and to a dump
 * (sequence number and port taken from the first message, so that the
 * messages match), and as a datagram of batch acknowledgements, whole
 * and cut.  ASan checks that nothing reads past the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linx-nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXTYPE 15

static const struct linx_nl_policy policy[MAXTYPE + 1] = {
	[1] = { LINX_NL_U8, 0 },     [2] = { LINX_NL_U16, 0 },
	[3] = { LINX_NL_U32, 0 },    [4] = { LINX_NL_U64, 0 },
	[5] = { LINX_NL_STRING, 0 }, [6] = { LINX_NL_NESTED, 0 },
	[7] = { LINX_NL_EXACT, 6 },  [8] = { LINX_NL_MIN, 4 },
	[9] = { LINX_NL_MAX, 16 },   [10] = { LINX_NL_ANY, 0 },
	[11] = { LINX_NL_NESTED, 0 }, [12] = { LINX_NL_STRING, 0 },
	[13] = { LINX_NL_U32, 0 },
};

static volatile uint64_t sink;

static void read_table(const struct nlattr **tb, int depth)
{
	char s[16];

	for (unsigned t = 0; t <= MAXTYPE; t++) {
		const struct nlattr *a = tb[t];

		if (!a)
			continue;
		switch (policy[t].kind) {
		case LINX_NL_U8: sink += linx_nl_u8(a, 0); break;
		case LINX_NL_U16: sink += linx_nl_u16(a, 0); break;
		case LINX_NL_U32: sink += linx_nl_u32(a, 0); break;
		case LINX_NL_U64: sink += linx_nl_u64(a, 0); break;
		case LINX_NL_STRING:
			linx_nl_str(a, s, sizeof(s));
			sink += strlen(mnl_attr_get_str(a));
			break;
		case LINX_NL_NESTED:
			if (depth < 4) {
				const struct nlattr *in[MAXTYPE + 1];

				linx_nl_parse_nested(a, policy, MAXTYPE, in);
				read_table(in, depth + 1);
			}
			break;
		default: {
			const uint8_t *p = mnl_attr_get_payload(a);
			size_t n = mnl_attr_get_payload_len(a);

			for (size_t i = 0; i < n; i++)
				sink += p[i];
		}
		}
	}
}

static int reply_cb(void *arg, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[MAXTYPE + 1];

	(void)arg;
	if (linx_nl_parse_msg(nlh, 16, policy, MAXTYPE, tb) < 0)
		return -EBADMSG;
	read_table(tb, 0);
	return (nlh->nlmsg_type & 7) == 7 ? -EINVAL : 0;
}

static int ack_cb(void *arg, size_t index, const struct linx_nl_ack *ack,
		  bool malformed)
{
	(void)arg;
	sink += index + (unsigned)ack->code + malformed;
	if (ack->msg)
		sink += strlen(ack->msg);
	return 0;
}

/* The receive engine's walkers over the datagram. */
static void receive(const void *copy, size_t size)
{
	const struct nlmsghdr *first = copy;
	struct linx_nl_conn c;
	struct linx_nl_result res;
	uint32_t seq = 0, port = 0;
	bool closed = false;

	if (size >= sizeof(*first)) {
		seq = first->nlmsg_seq;
		port = first->nlmsg_pid;
	}
	linx_nl_conn_init(&c, -1, port, 0);
	for (int dump = 0; dump < 2; dump++) {
		struct linx_nl_reply st;

		memset(&st, 0, sizeof(st));
		st.seq = seq;
		st.dump = dump;
		/* Twice: a reply may span datagrams. */
		for (int k = 0; k < 2; k++) {
			int r = linx_nl_reply_datagram(&c, &st, copy, size,
						       reply_cb, NULL, &res);

			if (r < 0 && res.fail == LINX_NL_FAIL_KERNEL &&
			    res.ack.msg)
				sink += strlen(res.ack.msg);
			if (r != 0)
				break;
		}
	}
	{
		struct linx_nl_window w = {
			.base = seq - 3,
			.start = 0,
			.end = 64,
			.close = 63,
			.ack = ack_cb,
		};

		linx_nl_acks_datagram(&c, &w, copy, size, false, &closed);
		linx_nl_acks_datagram(&c, &w, copy, size, true, &closed);
	}
	sink += c.stats.stale + closed;
	linx_nl_conn_fini(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size, 4-aligned copy: malloc aligns, ASan bounds it. */
	void *copy = malloc(size ? size : 1);
	const struct nlmsghdr *nlh = copy;
	size_t rem = size;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (; linx_nl_msg_ok(nlh, rem); nlh = linx_nl_msg_next(nlh, &rem)) {
		const struct nlattr *tb[MAXTYPE + 1];
		struct linx_nl_ack ack;

		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			if (linx_nl_parse_ack(nlh, &ack) == 0 && ack.msg)
				sink += strlen(ack.msg);
			continue;
		}
		/* Fixed headers of rtnetlink's sizes: ifinfomsg, rtmsg, ... */
		if (linx_nl_parse_msg(nlh, (nlh->nlmsg_type & 3) * 8, policy,
				      MAXTYPE, tb) >= 0)
			read_table(tb, 0);
	}
	receive(copy, size);
	free(copy);
	return 0;
}
