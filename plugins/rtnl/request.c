/* SPDX-License-Identifier: MIT */
/*
 * Requests: one request, its complete reply, through the shared netlink
 * engine (lib/netlink/io.c: peeked sizes, sequence/port/origin checks,
 * NLM_F_DUMP_INTR restarts).  What stays here is rtnl's side: the socket
 * lock, the sinks that decode data messages, and the engine's failures
 * turned into struct linx_error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtnl-internal.h"

int rtnl_ack_error(const struct linx_nl_ack *ack, const char *op,
		   struct linx_error *err)
{
	if (ack->code == 0)
		return 0;
	if (ack->msg && ack->msg[0]) {
		linx_error_set(err, ack->code, op, "%s", ack->msg);
		linx_error_extack(err, ack->msg, ack->offset);
	} else {
		linx_error_set(err, ack->code, op, "%s",
			       linx_strerror(ack->code));
		if (err)
			err->extack_offset = ack->offset;
	}
	return -ack->code;
}

int rtnl_parse_error(const struct nlmsghdr *nlh, const char *op,
		     struct linx_error *err)
{
	struct linx_nl_ack ack;

	if (linx_nl_parse_ack(nlh, &ack) < 0)
		return linx_error_set(err, EBADMSG, op,
				      "truncated netlink error message");
	return rtnl_ack_error(&ack, op, err);
}

static int recv_error(const struct linx_nl_result *res, const char *op,
		      struct linx_error *err)
{
	if (res->code == ENOBUFS)
		return linx_error_set(err, ENOBUFS, op,
				      "the kernel dropped part of the reply "
				      "(socket receive buffer overrun)");
	if (res->code == EMSGSIZE)
		return linx_error_set(err, ENOMEM, op,
				      "reply of %zu bytes does not fit in "
				      "memory",
				      res->size);
	return linx_error_set(err, res->code, op, "recvmsg: %s",
			      linx_strerror(res->code));
}

int rtnl_result_error(const struct linx_nl_result *res, const char *op,
		      struct linx_error *err)
{
	switch (res->fail) {
	case LINX_NL_OK:
		return 0;
	case LINX_NL_FAIL_SEND:
		return linx_error_set(err, res->code, op, "sendto: %s",
				      linx_strerror(res->code));
	case LINX_NL_FAIL_RECV:
		return recv_error(res, op, err);
	case LINX_NL_FAIL_KERNEL:
		return rtnl_ack_error(&res->ack, op, err);
	case LINX_NL_FAIL_BADACK:
		return linx_error_set(err, EBADMSG, op,
				      "truncated netlink error message");
	case LINX_NL_FAIL_OVERRUN:
		return linx_error_set(err, EIO, op,
				      "netlink overrun: data lost");
	case LINX_NL_FAIL_CALLBACK:
		if (res->code == EBADMSG)
			return linx_error_set(err, EBADMSG, op,
					      "malformed message of type %u "
					      "from the kernel",
					      res->type);
		return linx_error_set(err, res->code, op, NULL);
	case LINX_NL_FAIL_INTR:
		return linx_error_set(err, EAGAIN, op,
				      "dump interrupted by concurrent changes "
				      "%u times in a row; not returning an "
				      "inconsistent result",
				      res->attempts);
	}
	return linx_error_set(err, res->code ? res->code : EIO, op, NULL);
}

static int sink_msg(void *arg, const struct nlmsghdr *nlh)
{
	struct rtnl_sink *sink = arg;
	int r = sink->msg(sink, nlh);

	return r < 0 ? r : 0;
}

static void sink_reset(void *arg)
{
	struct rtnl_sink *sink = arg;

	if (sink->reset)
		sink->reset(sink);
}

int rtnl_talk(struct linx_rtnl *s, struct nlmsghdr *req, struct rtnl_sink *sink,
	      const char *op, struct linx_error *err)
{
	struct linx_nl_result res;
	int r;

	pthread_mutex_lock(&s->lock);
	r = linx_nl_request(&s->io, req, sink ? sink_msg : NULL,
			    sink ? sink_reset : NULL, sink, s->dump_retries,
			    &res);
	/* Before the unlock: an extended ACK points into the buffer. */
	if (r < 0)
		r = rtnl_result_error(&res, op, err);
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
