/* SPDX-License-Identifier: MIT */
/*
 * The request engine: send one request, collect its complete reply.
 *
 * Replies come in three shapes (netlink(7)): an acknowledgement (an
 * NLMSG_ERROR with error 0, because we set NLM_F_ACK), one data message
 * followed by that acknowledgement, or a dump (data messages flagged
 * NLM_F_MULTI, closed by NLMSG_DONE).  Every message must echo the
 * request's sequence number and our port id and come from the kernel
 * (sender port 0); anything else is a leftover of an earlier, abandoned
 * request, or a forgery, and is dropped.
 *
 * Truncation: each datagram is first peeked with MSG_PEEK|MSG_TRUNC, which
 * reports its full length without consuming it; if it does not fit the
 * buffer grows and the peek is repeated, so no datagram is ever cut.
 *
 * Consistency: a dump whose messages carry NLM_F_DUMP_INTR was disturbed
 * by a concurrent change (the kernel's generation counter moved, see
 * nl_dump_check_consistent() in include/net/netlink.h).  It is read to its
 * end (a netlink socket runs one dump at a time: starting another before
 * NLMSG_DONE fails with EBUSY) and restarted, at most dump_retries times;
 * then EAGAIN.  A failure inside our own handling also drains the reply,
 * so the socket stays usable.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtnl-internal.h"

int rtnl_parse_error(const struct nlmsghdr *nlh, const char *op,
		     struct linx_error *err)
{
	struct linx_nl_ack ack;

	if (linx_nl_parse_ack(nlh, &ack) < 0)
		return linx_error_set(err, EBADMSG, op,
				      "truncated netlink error message");
	if (ack.code == 0)
		return 0;
	if (ack.msg && ack.msg[0]) {
		linx_error_set(err, ack.code, op, "%s", ack.msg);
		linx_error_extack(err, ack.msg, ack.offset);
	} else {
		linx_error_set(err, ack.code, op, "%s", linx_strerror(ack.code));
		if (err)
			err->extack_offset = ack.offset;
	}
	return -ack.code;
}

/* Read the next datagram whole into s->buf.  Returns its length. */
static ssize_t recv_datagram(struct linx_rtnl *s, const char *op,
			     struct linx_error *err)
{
	for (;;) {
		struct sockaddr_nl addr;
		struct iovec iov = { s->buf, s->cap };
		struct msghdr msg = {
			.msg_name = &addr,
			.msg_namelen = sizeof(addr),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n = recvmsg(s->fd, &msg, MSG_PEEK | MSG_TRUNC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			if (e == ENOBUFS)
				return linx_error_set(
					err, e, op,
					"the kernel dropped part of the reply "
					"(socket receive buffer overrun)");
			return linx_error_set(err, e, op, "recvmsg: %s",
					      linx_strerror(e));
		}
		if ((size_t)n > s->cap) {
			/* Would be cut: grow and peek again. */
			s->stats.truncations++;
			if (rtnl_socket_reserve(s, (size_t)n) < 0)
				return linx_error_set(err, ENOMEM, op,
						      "reply of %zd bytes does "
						      "not fit in memory",
						      n);
			continue;
		}
		/* Consume it (a zero-length read discards the datagram). */
		while (recv(s->fd, NULL, 0, MSG_TRUNC) < 0 && errno == EINTR)
			;
		s->stats.datagrams++;
		if (addr.nl_family != AF_NETLINK || addr.nl_pid != 0) {
			s->stats.stale++;
			continue; /* not from the kernel */
		}
		return n;
	}
}

enum { COLLECT_DONE = 0, COLLECT_INTR = 1 };

/* Read the reply to request `seq` to its end.  Returns COLLECT_DONE,
 * COLLECT_INTR (dump inconsistent, fully drained), or a negative errno. */
static int collect(struct linx_rtnl *s, uint32_t seq, bool dump,
		   struct rtnl_sink *sink, const char *op,
		   struct linx_error *err)
{
	int failed = 0;
	bool intr = false;

	for (;;) {
		ssize_t n = recv_datagram(s, op, err);
		const struct nlmsghdr *nlh = (const void *)s->buf;
		size_t rem;

		if (n < 0)
			return (int)n;
		rem = (size_t)n;
		for (; rtnl_msg_ok(nlh, rem); nlh = rtnl_msg_next(nlh, &rem)) {
			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != s->portid) {
				s->stats.stale++;
				continue;
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_ERROR: {
				struct linx_error kerr;
				int r = rtnl_parse_error(nlh, op, &kerr);

				if (failed)
					return failed;
				if (r < 0) {
					if (err)
						*err = kerr;
					return r;
				}
				/* An ack closes a non-dump request; in a dump
				 * it is unexpected but harmless. */
				if (!dump)
					return COLLECT_DONE;
				continue;
			}
			case NLMSG_DONE:
				if (!dump) {
					s->stats.stale++;
					continue;
				}
				if (failed)
					return failed;
				if (nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(int)) {
					int r = rtnl_parse_error(nlh, op, err);

					if (r < 0)
						return r;
				}
				return intr ? COLLECT_INTR : COLLECT_DONE;
			case NLMSG_OVERRUN:
				if (!failed)
					failed = linx_error_set(
						err, EIO, op,
						"netlink overrun: data lost");
				continue;
			default:
				break;
			}
			if (failed || !sink)
				continue;
			failed = sink->msg(sink, nlh);
			if (failed < 0) {
				if (failed == -EBADMSG)
					linx_error_set(err, EBADMSG, op,
						       "malformed message of "
						       "type %u from the kernel",
						       nlh->nlmsg_type);
				else
					linx_error_set(err, failed, op, NULL);
			} else {
				failed = 0;
			}
		}
	}
}

int rtnl_talk(struct linx_rtnl *s, struct nlmsghdr *req, struct rtnl_sink *sink,
	      const char *op, struct linx_error *err)
{
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int r;

	req->nlmsg_flags |= NLM_F_REQUEST;
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	pthread_mutex_lock(&s->lock);
	for (unsigned attempt = 0;; attempt++) {
		ssize_t sent;

		if (++s->seq == 0)
			s->seq = 1;
		req->nlmsg_seq = s->seq;
		req->nlmsg_pid = 0;
		do
			sent = mnl_socket_sendto(s->nl, req, req->nlmsg_len);
		while (sent < 0 && errno == EINTR);
		if (sent < 0) {
			r = linx_error_set(err, errno, op, "sendto: %s",
					   linx_strerror(errno));
			break;
		}
		s->stats.requests++;
		r = collect(s, req->nlmsg_seq, dump, sink, op, err);
		if (r != COLLECT_INTR)
			break;
		if (attempt >= s->dump_retries) {
			r = linx_error_set(err, EAGAIN, op,
					   "dump interrupted by concurrent "
					   "changes %u times in a row; not "
					   "returning an inconsistent result",
					   attempt + 1);
			break;
		}
		s->stats.dump_retries++;
		if (sink && sink->reset)
			sink->reset(sink);
	}
	pthread_mutex_unlock(&s->lock);
	return r < 0 ? r : 0;
}

/* ---- sinks ---------------------------------------------------------------- */

static int array_msg(struct rtnl_sink *sink, const struct nlmsghdr *nlh)
{
	struct rtnl_array *a = (struct rtnl_array *)sink;
	char *slot;
	int r;

	if (nlh->nlmsg_type != a->type)
		return 0;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		void *items = realloc(a->items, cap * a->size);

		if (!items)
			return -ENOMEM;
		a->items = items;
		a->cap = cap;
	}
	slot = (char *)a->items + a->n * a->size;
	r = a->decode(nlh, slot);
	if (r < 0)
		return r;
	if (a->keep && !a->keep(slot, a->keep_arg))
		return 0;
	a->n++;
	return 0;
}

static void array_reset(struct rtnl_sink *sink)
{
	((struct rtnl_array *)sink)->n = 0;
}

void rtnl_array_init(struct rtnl_array *a, size_t size, uint16_t type,
		     int (*decode)(const struct nlmsghdr *, void *))
{
	memset(a, 0, sizeof(*a));
	a->sink.msg = array_msg;
	a->sink.reset = array_reset;
	a->size = size;
	a->type = type;
	a->decode = decode;
}

void rtnl_array_take(struct rtnl_array *a, void *ret, size_t *ret_n)
{
	void **out = ret;

	if (a->n == 0) {
		free(a->items);
		a->items = NULL;
	}
	*out = a->items;
	*ret_n = a->n;
	a->items = NULL;
	a->n = a->cap = 0;
}

void rtnl_array_free(struct rtnl_array *a)
{
	free(a->items);
	a->items = NULL;
	a->n = a->cap = 0;
}

static int one_msg(struct rtnl_sink *sink, const struct nlmsghdr *nlh)
{
	struct rtnl_one *o = (struct rtnl_one *)sink;
	int r;

	if (nlh->nlmsg_type != o->type || o->got)
		return 0;
	r = o->decode(nlh, o->obj);
	if (r < 0)
		return r;
	o->got = true;
	return 0;
}

void rtnl_one_init(struct rtnl_one *o, uint16_t type,
		   int (*decode)(const struct nlmsghdr *, void *), void *obj)
{
	memset(o, 0, sizeof(*o));
	o->sink.msg = one_msg;
	o->type = type;
	o->decode = decode;
	o->obj = obj;
}

int rtnl_dump(struct linx_rtnl *s, struct nlmsghdr *req, struct rtnl_array *a,
	      const char *op, struct linx_error *err)
{
	int r = rtnl_talk(s, req, &a->sink, op, err);

	if (r < 0)
		rtnl_array_free(a);
	return r;
}
