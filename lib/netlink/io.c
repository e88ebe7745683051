/* SPDX-License-Identifier: MIT */
/*
 * The netlink engine's receive half: see linx-nl.h.
 *
 * Replies come in three shapes (netlink(7)): an acknowledgement (an
 * NLMSG_ERROR with error 0, asked for with NLM_F_ACK), data messages then
 * that acknowledgement, or a dump (data messages flagged NLM_F_MULTI,
 * closed by NLMSG_DONE).  Every message must echo the request's sequence
 * number and our port id and come from the kernel (sender port 0);
 * anything else is a leftover of an earlier, abandoned request, or a
 * forgery, and is dropped.
 *
 * Consistency: a dump whose messages carry NLM_F_DUMP_INTR was disturbed
 * by a concurrent change (the kernel's generation counter moved, see
 * nl_dump_check_consistent() in include/net/netlink.h).  It is read to
 * its end (a netlink socket runs one dump at a time: starting another
 * before NLMSG_DONE fails with EBUSY) and only then restarted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "linx-nl.h"

#define CAP_MAX_DEFAULT (64u * 1024 * 1024)

/* Batch acknowledgements: read in bulk with recvmmsg(2) into fixed
 * slots.  An error ACK with NETLINK_CAP_ACK is 36 bytes plus the extended
 * ACK; a longer one is cut, and its code still read. */
#define ACK_SLOTS 128
#define ACK_SLOT_SIZE 1024
#define ACK_ECHO_FACTOR 16 /* with echoes: 8 slots of 16 KiB */

void linx_nl_conn_init(struct linx_nl_conn *c, int fd, uint32_t portid,
		       size_t cap_max)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->portid = portid;
	c->cap_max = cap_max ? cap_max : CAP_MAX_DEFAULT;
}

void linx_nl_conn_fini(struct linx_nl_conn *c)
{
	if (!c)
		return;
	free(c->buf);
	free(c->acks);
	c->buf = NULL;
	c->acks = NULL;
	c->cap = 0;
}

int linx_nl_conn_reserve(struct linx_nl_conn *c, size_t want)
{
	size_t cap = c->cap ? c->cap : 256;
	char *buf;

	if (want <= c->cap)
		return 0;
	if (want > c->cap_max)
		return -EMSGSIZE;
	while (cap < want)
		cap *= 2;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	free(c->buf);
	c->buf = buf;
	c->cap = cap;
	return 0;
}

int linx_nl_conn_set_buffer(struct linx_nl_conn *c, size_t bytes)
{
	char *buf;

	if (bytes < 256 || bytes > c->cap_max)
		return -EINVAL;
	buf = malloc(bytes);
	if (!buf)
		return -ENOMEM;
	free(c->buf);
	c->buf = buf;
	c->cap = bytes;
	return 0;
}

uint32_t linx_nl_seq_next(struct linx_nl_conn *c)
{
	if (++c->seq == 0)
		c->seq = 1;
	return c->seq;
}

uint32_t linx_nl_seq_reserve(struct linx_nl_conn *c, size_t n)
{
	uint32_t base;

	/* base .. base+n-1, none of them 0. */
	if ((uint64_t)c->seq + n + 1 > UINT32_MAX)
		c->seq = 0;
	base = c->seq + 1;
	c->seq += (uint32_t)n;
	return base;
}

int linx_nl_send(struct linx_nl_conn *c, const void *data, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t sent;

	do
		sent = sendto(c->fd, data, len, 0, (struct sockaddr *)&kernel,
			      sizeof(kernel));
	while (sent < 0 && errno == EINTR);
	return sent < 0 ? -errno : 0;
}

ssize_t linx_nl_recv(struct linx_nl_conn *c, int flags)
{
	if (!c->buf && linx_nl_conn_reserve(c, 4096) < 0) {
		c->last_size = 4096;
		return -EMSGSIZE;
	}
	for (;;) {
		struct sockaddr_nl addr;
		struct iovec iov = { c->buf, c->cap };
		struct msghdr msg = {
			.msg_name = &addr,
			.msg_namelen = sizeof(addr),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n = recvmsg(c->fd, &msg, MSG_PEEK | MSG_TRUNC | flags);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		c->last_size = (size_t)n;
		if ((size_t)n > c->cap) {
			/* Would be cut: grow and peek again. */
			c->stats.truncations++;
			if (linx_nl_conn_reserve(c, (size_t)n) < 0)
				return -EMSGSIZE;
			continue;
		}
		/* Consume it (a zero-length read discards the datagram). */
		while (recv(c->fd, NULL, 0, MSG_TRUNC | flags) < 0 &&
		       errno == EINTR)
			;
		c->stats.datagrams++;
		if (addr.nl_family != AF_NETLINK || addr.nl_pid != 0) {
			c->stats.stale++;
			continue; /* not from the kernel */
		}
		return n;
	}
}

/* ---- replies --------------------------------------------------------------- */

static void result_clear(struct linx_nl_result *res)
{
	memset(res, 0, sizeof(*res));
	res->ack.offset = -1;
}

static int fail(struct linx_nl_result *res, enum linx_nl_fail why, int code)
{
	res->fail = why;
	res->code = code;
	return -code;
}

/* Note the first failure while the reply drains. */
static void fail_pending(struct linx_nl_reply *st, enum linx_nl_fail why,
			 int code, uint16_t type)
{
	if (st->failed)
		return;
	st->failed = -code;
	st->pending.fail = why;
	st->pending.code = code;
	st->pending.type = type;
}

/* An NLMSG_ERROR or NLMSG_DONE of our reply: 1 if it ends the reply with
 * success, 0 to go on, or a failure. */
static int reply_end(struct linx_nl_reply *st, const struct nlmsghdr *nlh,
		     struct linx_nl_result *res)
{
	struct linx_nl_ack ack;
	int bad;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (st->failed) {
			*res = st->pending;
			return st->failed;
		}
		if (nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(int) &&
		    linx_nl_parse_ack(nlh, &ack) == 0 && ack.code) {
			res->ack = ack;
			return fail(res, LINX_NL_FAIL_KERNEL, ack.code);
		}
		return 1;
	}
	bad = linx_nl_parse_ack(nlh, &ack);
	if (st->failed) {
		*res = st->pending;
		return st->failed;
	}
	if (bad < 0)
		return fail(res, LINX_NL_FAIL_BADACK, EBADMSG);
	if (ack.code) {
		res->ack = ack;
		return fail(res, LINX_NL_FAIL_KERNEL, ack.code);
	}
	/* An ACK closes a non-dump request; in a dump it is unexpected but
	 * harmless. */
	return st->dump ? 0 : 1;
}

int linx_nl_reply_datagram(struct linx_nl_conn *c, struct linx_nl_reply *st,
			   const void *data, size_t len, linx_nl_msg_cb cb,
			   void *arg, struct linx_nl_result *res)
{
	const struct nlmsghdr *nlh = data;
	size_t rem = len;

	for (; linx_nl_msg_ok(nlh, rem); nlh = linx_nl_msg_next(nlh, &rem)) {
		int r;

		if (nlh->nlmsg_seq != st->seq || nlh->nlmsg_pid != c->portid) {
			c->stats.stale++;
			continue;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			st->intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_DONE:
			if (!st->dump) {
				c->stats.stale++;
				continue;
			}
			/* fall through */
		case NLMSG_ERROR:
			r = reply_end(st, nlh, res);
			if (r != 0)
				return r;
			continue;
		case NLMSG_OVERRUN:
			fail_pending(st, LINX_NL_FAIL_OVERRUN, EIO, 0);
			continue;
		default:
			break;
		}
		if (st->failed || !cb)
			continue;
		r = cb(arg, nlh);
		if (r < 0)
			fail_pending(st, LINX_NL_FAIL_CALLBACK, -r,
				     nlh->nlmsg_type);
	}
	return 0;
}

int linx_nl_collect(struct linx_nl_conn *c, uint32_t seq, bool dump,
		    linx_nl_msg_cb cb, void *arg, struct linx_nl_result *res)
{
	struct linx_nl_reply st;

	memset(&st, 0, sizeof(st));
	st.seq = seq;
	st.dump = dump;
	result_clear(&st.pending);
	result_clear(res);
	for (;;) {
		ssize_t n = linx_nl_recv(c, 0);
		int r;

		if (n < 0) {
			res->size = c->last_size;
			return fail(res, LINX_NL_FAIL_RECV, (int)-n);
		}
		r = linx_nl_reply_datagram(c, &st, c->buf, (size_t)n, cb, arg,
					   res);
		if (r < 0)
			return r;
		if (r > 0)
			return st.intr ? 1 : 0;
	}
}

int linx_nl_request(struct linx_nl_conn *c, struct nlmsghdr *req,
		    linx_nl_msg_cb cb, linx_nl_reset_cb reset, void *arg,
		    unsigned retries, struct linx_nl_result *res)
{
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

	req->nlmsg_flags |= NLM_F_REQUEST;
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	for (unsigned attempt = 0;; attempt++) {
		int r;

		req->nlmsg_seq = linx_nl_seq_next(c);
		req->nlmsg_pid = 0;
		r = linx_nl_send(c, req, req->nlmsg_len);
		if (r < 0) {
			result_clear(res);
			res->attempts = attempt + 1;
			return fail(res, LINX_NL_FAIL_SEND, -r);
		}
		c->stats.requests++;
		r = linx_nl_collect(c, req->nlmsg_seq, dump, cb, arg, res);
		res->attempts = attempt + 1;
		if (r != 1)
			return r;
		if (attempt >= retries)
			return fail(res, LINX_NL_FAIL_INTR, EAGAIN);
		c->stats.dump_restarts++;
		if (reset)
			reset(arg);
	}
}

/* ---- batch acknowledgements ------------------------------------------------ */

/* One acknowledgement of the window: decoded whole, or from a cut
 * datagram whose header and code alone are trustworthy. */
static int ack_one(const struct linx_nl_window *w, size_t index,
		   const struct nlmsghdr *nlh, bool cut)
{
	struct linx_nl_ack ack = { 0, NULL, -1 };
	bool malformed = false;

	if (!cut) {
		if (linx_nl_parse_ack(nlh, &ack) < 0) {
			malformed = true;
			ack.code = EBADMSG;
		}
	} else {
		int32_t v;

		memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
		ack.code = v < -4095 || v > 4095 ? EIO : v < 0 ? -v : v;
	}
	return w->ack(w->arg, index, &ack, malformed);
}

int linx_nl_acks_datagram(struct linx_nl_conn *c, const struct linx_nl_window *w,
			  const void *data, size_t len, bool cut, bool *closed)
{
	const struct nlmsghdr *nlh = data;
	size_t rem = len;

	for (;;) {
		uint32_t k;

		if (cut) {
			/* Only the first message's header and error code
			 * are trustworthy. */
			if (len < MNL_NLMSG_HDRLEN + sizeof(int32_t))
				break;
		} else if (!linx_nl_msg_ok(nlh, rem)) {
			break;
		}
		k = nlh->nlmsg_seq - w->base;
		if (nlh->nlmsg_pid != c->portid || k < w->start || k >= w->end) {
			c->stats.stale++;
		} else if (nlh->nlmsg_type != NLMSG_ERROR) {
			int r = w->msg ? w->msg(w->arg, k, nlh, cut) : 0;

			if (!w->msg)
				c->stats.stale++;
			if (r < 0)
				return r;
		} else {
			int r = ack_one(w, k, nlh, cut);

			if (r < 0)
				return r;
			if (k == w->close)
				*closed = true;
		}
		if (cut)
			break;
		nlh = linx_nl_msg_next(nlh, &rem);
	}
	return 0;
}

int linx_nl_acks_reserve(struct linx_nl_conn *c)
{
	if (!c->acks)
		c->acks = malloc((size_t)ACK_SLOTS * ACK_SLOT_SIZE);
	return c->acks ? 0 : -ENOMEM;
}

int linx_nl_collect_acks(struct linx_nl_conn *c, const struct linx_nl_window *w,
			 struct linx_nl_result *res)
{
	/* Echoed messages come coalesced, up to a page per datagram: with
	 * w->msg the same scratch is cut into fewer, larger slots. */
	unsigned slots = w->msg ? ACK_SLOTS / ACK_ECHO_FACTOR : ACK_SLOTS;
	size_t size = w->msg ? ACK_SLOT_SIZE * ACK_ECHO_FACTOR : ACK_SLOT_SIZE;
	char *bufs;
	struct mmsghdr mm[ACK_SLOTS];
	struct iovec iov[ACK_SLOTS];
	struct sockaddr_nl addr[ACK_SLOTS];
	bool closed = false;

	result_clear(res);
	if (linx_nl_acks_reserve(c) < 0)
		return fail(res, LINX_NL_FAIL_RECV, ENOMEM);
	bufs = c->acks;
	while (!closed) {
		int got;

		for (unsigned i = 0; i < slots; i++) {
			iov[i].iov_base = bufs + i * size;
			iov[i].iov_len = size;
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_name = &addr[i];
			mm[i].msg_hdr.msg_namelen = sizeof(addr[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
		}
		got = recvmmsg(c->fd, mm, slots, MSG_WAITFORONE, NULL);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return fail(res, LINX_NL_FAIL_RECV, errno);
		c->stats.datagrams += (uint64_t)got;
		for (int i = 0; i < got; i++) {
			int r;

			if (addr[i].nl_pid != 0) {
				c->stats.stale++;
				continue;
			}
			r = linx_nl_acks_datagram(
				c, w, bufs + i * size, mm[i].msg_len,
				mm[i].msg_hdr.msg_flags & MSG_TRUNC, &closed);
			if (r < 0)
				return fail(res, LINX_NL_FAIL_CALLBACK, -r);
		}
	}
	return 0;
}
