/* SPDX-License-Identifier: MIT */
/*
 * Batches: many requests per sendmsg(2), acknowledgements collected in
 * bulk, on one socket.
 *
 * Each message has its own sequence number (its index is seq - base).
 * Netlink acknowledges a message when it asks for it (NLM_F_ACK) *or when
 * it fails*, always, in order (netlink_rcv_skb(), net/netlink/
 * af_netlink.c).  So only the last message of a window carries NLM_F_ACK:
 * the window's failures arrive as error acks with their sequence numbers,
 * then the last message's ack closes the window, and every message not
 * reported by then succeeded.  The kernel builds and queues no ack for
 * the successes, which is most of the saving over one ack per request.
 *
 * That reasoning holds only if no ack is lost.  Error acks are charged
 * against SO_RCVBUF; if they overflowed it the kernel would drop some and
 * flag the socket (ENOBUFS).  So a window holds no more messages than the
 * receive buffer has room for acks even if every one failed, and an
 * ENOBUFS fails the whole batch instead of being taken for success.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtnl-internal.h"

/* An error ack with NETLINK_CAP_ACK is 36 bytes plus the extended ACK,
 * but it is charged against SO_RCVBUF at its skb truesize (about 1 KiB);
 * 2 KiB per message leaves a margin. */
#define ACK_COST 2048
#define WINDOW_MIN 8
#define WINDOW_MAX 4096
#define CHUNK_BYTES_MAX (1024 * 1024)
#define NAME_CACHE 16
#define CODE_PENDING 1

struct failure {
	size_t index;
	struct linx_error err;
};

struct linx_rtnl_batch {
	struct linx_rtnl *s;
	char *msgs;
	size_t len, cap;
	uint32_t *offsets;
	uint16_t *ops;
	size_t n, ncap;
	int32_t *codes;
	struct failure *failures;
	size_t nfail, failcap;
	struct {
		char name[IFNAMSIZ];
		int32_t index;
	} names[NAME_CACHE];
	unsigned nnames, next_name;
};

static const char *const op_names[] = {
	[LINX_RTNL_OP_ROUTE_ADD] = "route.add",
	[LINX_RTNL_OP_ROUTE_REPLACE] = "route.replace",
	[LINX_RTNL_OP_ROUTE_DELETE] = "route.delete",
	[LINX_RTNL_OP_ADDR_ADD] = "address.add",
	[LINX_RTNL_OP_ADDR_DELETE] = "address.delete",
	[LINX_RTNL_OP_NEIGH_ADD] = "neighbour.add",
	[LINX_RTNL_OP_NEIGH_DELETE] = "neighbour.delete",
	[LINX_RTNL_OP_RULE_ADD] = "rule.add",
	[LINX_RTNL_OP_RULE_DELETE] = "rule.delete",
	[LINX_RTNL_OP_LINK_DELETE] = "link.delete",
	[LINX_RTNL_OP_LINK_SET_UP] = "link.set_up",
	[LINX_RTNL_OP_LINK_SET_DOWN] = "link.set_down",
	[LINX_RTNL_OP_LINK_SET_MTU] = "link.set_mtu",
};

const char *linx_rtnl_op_name(unsigned op)
{
	return op < RTNL_ARRAY_SIZE(op_names) ? op_names[op] : NULL;
}

int linx_rtnl_batch_new(struct linx_rtnl *s, struct linx_rtnl_batch **ret,
			struct linx_error *err)
{
	struct linx_rtnl_batch *b;

	if (!s || !ret)
		return linx_error_param(err, "batch", s ? "ret" : "sock",
					"missing argument");
	b = calloc(1, sizeof(*b));
	if (!b)
		return linx_error_set(err, ENOMEM, "batch", NULL);
	b->s = s;
	*ret = b;
	return 0;
}

void linx_rtnl_batch_free(struct linx_rtnl_batch *b)
{
	if (!b)
		return;
	free(b->msgs);
	free(b->offsets);
	free(b->ops);
	free(b->codes);
	free(b->failures);
	free(b);
}

size_t linx_rtnl_batch_size(const struct linx_rtnl_batch *b)
{
	return b ? b->n : 0;
}

/* Room for one more message of up to RTNL_REQ_MAX bytes. */
static struct nlmsghdr *slot(struct linx_rtnl_batch *b, struct linx_error *err)
{
	if (b->len + RTNL_REQ_MAX > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64 * 1024;
		char *msgs = realloc(b->msgs, cap);

		if (!msgs)
			goto nomem;
		b->msgs = msgs;
		b->cap = cap;
	}
	if (b->n == b->ncap) {
		size_t ncap = b->ncap ? b->ncap * 2 : 256;
		uint32_t *offsets = realloc(b->offsets, ncap * sizeof(*offsets));
		uint16_t *ops;

		if (!offsets)
			goto nomem;
		b->offsets = offsets;
		ops = realloc(b->ops, ncap * sizeof(*ops));
		if (!ops)
			goto nomem;
		b->ops = ops;
		b->ncap = ncap;
	}
	if (b->len > UINT32_MAX - RTNL_REQ_MAX) {
		linx_error_set(err, E2BIG, "batch", "batch too large");
		return NULL;
	}
	return (struct nlmsghdr *)(b->msgs + b->len);
nomem:
	linx_error_set(err, ENOMEM, "batch", NULL);
	return NULL;
}

static void commit(struct linx_rtnl_batch *b, struct nlmsghdr *nlh,
		   unsigned op)
{
	b->offsets[b->n] = (uint32_t)b->len;
	b->ops[b->n] = (uint16_t)op;
	b->n++;
	b->len += MNL_ALIGN(nlh->nlmsg_len);
}

static int resolve(struct linx_rtnl_batch *b, const char *name,
		   const char *opname, int32_t *ret, struct linx_error *err)
{
	int r;

	r = rtnl_check_ifname(name, "dev", opname, err);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < b->nnames; i++)
		if (strncmp(b->names[i].name, name, IFNAMSIZ) == 0) {
			*ret = b->names[i].index;
			return 0;
		}
	r = rtnl_ifindex(b->s, name, NULL, opname, ret, err);
	if (r < 0)
		return r;
	{
		unsigned i = b->nnames < NAME_CACHE ? b->nnames++
						    : b->next_name++ % NAME_CACHE;

		snprintf(b->names[i].name, IFNAMSIZ, "%s", name);
		b->names[i].index = *ret;
	}
	return 0;
}

int linx_rtnl_batch_route(struct linx_rtnl_batch *b, unsigned op,
			  const struct linx_rtnl_route_spec *spec,
			  struct linx_error *err)
{
	const char *opname = linx_rtnl_op_name(op);
	struct nlmsghdr *nlh;
	int32_t oif = 0;
	int r;

	if (!b || !spec)
		return linx_error_param(err, "batch", "spec", "missing argument");
	if (op < LINX_RTNL_OP_ROUTE_ADD || op > LINX_RTNL_OP_ROUTE_DELETE)
		return linx_error_param(err, "batch", "op",
					"not a route operation");
	if (spec->dev) {
		r = resolve(b, spec->dev, opname, &oif, err);
		if (r < 0)
			return r;
	} else {
		oif = spec->oif;
	}
	nlh = slot(b, err);
	if (!nlh)
		return -(err ? err->code : ENOMEM);
	r = rtnl_build_route(b->s, nlh, op, spec, oif, opname, err);
	if (r < 0)
		return r;
	commit(b, nlh, op);
	return 0;
}

int linx_rtnl_batch_addr(struct linx_rtnl_batch *b, unsigned op,
			 const struct linx_rtnl_addr_spec *spec,
			 struct linx_error *err)
{
	const char *opname = linx_rtnl_op_name(op);
	struct nlmsghdr *nlh;
	int32_t index = 0;
	int r;

	if (!b || !spec)
		return linx_error_param(err, "batch", "spec", "missing argument");
	if (op != LINX_RTNL_OP_ADDR_ADD && op != LINX_RTNL_OP_ADDR_DELETE)
		return linx_error_param(err, "batch", "op",
					"not an address operation");
	if (spec->dev) {
		r = resolve(b, spec->dev, opname, &index, err);
		if (r < 0)
			return r;
	} else if (spec->ifindex > 0) {
		index = spec->ifindex;
	} else {
		return linx_error_param(err, opname, "dev",
					"an interface is required");
	}
	nlh = slot(b, err);
	if (!nlh)
		return -(err ? err->code : ENOMEM);
	r = rtnl_build_addr(nlh, op, spec, index, opname, err);
	if (r < 0)
		return r;
	commit(b, nlh, op);
	return 0;
}

int linx_rtnl_batch_neigh(struct linx_rtnl_batch *b, unsigned op,
			  const char *dev, const struct linx_rtnl_ip *ip,
			  const struct linx_rtnl_lladdr *mac,
			  struct linx_error *err)
{
	const char *opname = linx_rtnl_op_name(op);
	struct nlmsghdr *nlh;
	int32_t index;
	int r;

	if (!b || !ip)
		return linx_error_param(err, "batch", "ip", "missing argument");
	if (op != LINX_RTNL_OP_NEIGH_ADD && op != LINX_RTNL_OP_NEIGH_DELETE)
		return linx_error_param(err, "batch", "op",
					"not a neighbour operation");
	if (op == LINX_RTNL_OP_NEIGH_ADD && mac && mac->len)
		r = rtnl_check_lladdr(b->s, dev, mac, "mac", opname, &index,
				      err);
	else
		r = resolve(b, dev, opname, &index, err);
	if (r < 0)
		return r;
	nlh = slot(b, err);
	if (!nlh)
		return -(err ? err->code : ENOMEM);
	r = rtnl_build_neigh(nlh, op, index, ip, mac, false, opname, err);
	if (r < 0)
		return r;
	commit(b, nlh, op);
	return 0;
}

int linx_rtnl_batch_rule(struct linx_rtnl_batch *b, unsigned op,
			 const struct linx_rtnl_rule_spec *spec,
			 struct linx_error *err)
{
	struct nlmsghdr *nlh;
	int r;

	if (!b || !spec)
		return linx_error_param(err, "batch", "spec", "missing argument");
	if (op != LINX_RTNL_OP_RULE_ADD && op != LINX_RTNL_OP_RULE_DELETE)
		return linx_error_param(err, "batch", "op",
					"not a rule operation");
	nlh = slot(b, err);
	if (!nlh)
		return -(err ? err->code : ENOMEM);
	r = rtnl_build_rule(nlh, op, spec, linx_rtnl_op_name(op), err);
	if (r < 0)
		return r;
	commit(b, nlh, op);
	return 0;
}

int linx_rtnl_batch_link(struct linx_rtnl_batch *b, unsigned op,
			 const char *dev, uint32_t value,
			 struct linx_error *err)
{
	struct nlmsghdr *nlh;
	int r;

	if (!b)
		return linx_error_param(err, "batch", "batch", "no batch");
	if (op < LINX_RTNL_OP_LINK_DELETE || op > LINX_RTNL_OP_LINK_SET_MTU)
		return linx_error_param(err, "batch", "op",
					"not a link operation");
	nlh = slot(b, err);
	if (!nlh)
		return -(err ? err->code : ENOMEM);
	r = rtnl_build_link_set(nlh, op, dev, value, linx_rtnl_op_name(op), err);
	if (r < 0)
		return r;
	commit(b, nlh, op);
	return 0;
}

/* The engine's report of one acknowledgement (lib/netlink/io.c). */
static int record(void *arg, size_t index, const struct linx_nl_ack *ack,
		  bool malformed)
{
	struct linx_rtnl_batch *b = arg;
	const char *opname = linx_rtnl_op_name(b->ops[index]);
	struct linx_error e;
	int code;

	if (b->codes[index] != CODE_PENDING)
		return 0; /* duplicate: ignore */
	if (malformed)
		code = linx_error_set(&e, EBADMSG, opname,
				      "truncated netlink error message");
	else
		code = rtnl_ack_error(ack, opname, &e);
	b->codes[index] = code;
	if (code == 0)
		return 0;
	if (b->nfail == b->failcap) {
		size_t cap = b->failcap ? b->failcap * 2 : 16;
		struct failure *f = realloc(b->failures, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		b->failures = f;
		b->failcap = cap;
	}
	b->failures[b->nfail].index = index;
	b->failures[b->nfail].err = e;
	b->nfail++;
	return 0;
}

/* Read acks until the one of the window's last message [end - 1]; every
 * op in [start, end) not reported failed by then has succeeded. */
static int collect_acks(struct linx_rtnl_batch *b, uint32_t base, size_t start,
			size_t end, struct linx_error *err)
{
	struct linx_nl_window w = {
		.base = base,
		.start = start,
		.end = end,
		.close = end - 1,
		.ack = record,
		.arg = b,
	};
	struct linx_nl_result res;

	if (linx_nl_collect_acks(&b->s->io, &w, &res) < 0) {
		if (res.fail == LINX_NL_FAIL_CALLBACK)
			return linx_error_set(err, res.code, "batch", NULL);
		/* Acks may be lost: no op of the window can be taken for a
		 * success. */
		for (size_t k = start; k < end; k++)
			if (b->codes[k] == CODE_PENDING)
				b->codes[k] = -res.code;
		return linx_error_set(err, res.code, "batch",
				      "reading acknowledgements of "
				      "operations %zu..%zu: %s",
				      start, end - 1, linx_strerror(res.code));
	}
	for (size_t k = start; k < end; k++)
		if (b->codes[k] == CODE_PENDING)
			b->codes[k] = 0;
	return 0;
}

static size_t window_size(const struct linx_rtnl *s, size_t *ret_chunk)
{
	size_t window = (size_t)s->rcvbuf / ACK_COST;
	size_t chunk = (size_t)s->sndbuf / 2;

	if (window < WINDOW_MIN)
		window = WINDOW_MIN;
	if (window > WINDOW_MAX)
		window = WINDOW_MAX;
	if (chunk > CHUNK_BYTES_MAX)
		chunk = CHUNK_BYTES_MAX;
	if (chunk < RTNL_REQ_MAX)
		chunk = RTNL_REQ_MAX;
	*ret_chunk = chunk;
	return window;
}

static int run_locked(struct linx_rtnl_batch *b, struct linx_error *err)
{
	struct linx_rtnl *s = b->s;
	size_t chunk, window = window_size(s, &chunk);
	uint32_t base = linx_nl_seq_reserve(&s->io, b->n);

	for (size_t i = 0; i < b->n;) {
		size_t start = i, bytes = 0;
		int r;

		while (i < b->n && i - start < window) {
			struct nlmsghdr *nlh =
				(struct nlmsghdr *)(b->msgs + b->offsets[i]);
			size_t len = MNL_ALIGN(nlh->nlmsg_len);

			if (i > start && bytes + len > chunk)
				break;
			nlh->nlmsg_flags |= NLM_F_REQUEST;
			nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
			nlh->nlmsg_seq = base + (uint32_t)i;
			nlh->nlmsg_pid = 0;
			bytes += len;
			i++;
		}
		/* The window's last message closes it. */
		((struct nlmsghdr *)(b->msgs + b->offsets[i - 1]))->nlmsg_flags |=
			NLM_F_ACK;
		r = linx_nl_send(&s->io, b->msgs + b->offsets[start], bytes);
		if (r < 0)
			return linx_error_set(err, -r, "batch",
					      "sending operations %zu..%zu: %s",
					      start, i - 1, linx_strerror(-r));
		s->io.stats.requests += i - start;
		if (collect_acks(b, base, start, i, err) < 0)
			return -err->code;
	}
	return 0;
}

int linx_rtnl_batch_run(struct linx_rtnl_batch *b, struct linx_error *err)
{
	struct linx_error local;
	int r;

	if (!b)
		return linx_error_param(err, "batch", "batch", "no batch");
	if (!err)
		err = &local;
	free(b->codes);
	b->nfail = 0;
	b->codes = malloc((b->n ? b->n : 1) * sizeof(*b->codes));
	if (!b->codes)
		return linx_error_set(err, ENOMEM, "batch", NULL);
	for (size_t i = 0; i < b->n; i++)
		b->codes[i] = CODE_PENDING;
	pthread_mutex_lock(&b->s->lock);
	r = linx_nl_acks_reserve(&b->s->io);
	if (r < 0)
		r = linx_error_set(err, ENOMEM, "batch", NULL);
	else
		r = run_locked(b, err);
	pthread_mutex_unlock(&b->s->lock);
	if (r < 0)
		return r;
	if (b->nfail) {
		const struct failure *f = &b->failures[0];

		*err = f->err;
		linx_error_prefix(err, "operation %zu (%s) of %zu", f->index,
				  linx_rtnl_op_name(b->ops[f->index]), b->n);
		return -f->err.code;
	}
	return 0;
}

size_t linx_rtnl_batch_failures(const struct linx_rtnl_batch *b)
{
	return b ? b->nfail : 0;
}

int linx_rtnl_batch_failure(const struct linx_rtnl_batch *b, size_t k,
			    size_t *ret_index, struct linx_error *ret_err)
{
	if (!b || k >= b->nfail)
		return -ENOENT;
	if (ret_index)
		*ret_index = b->failures[k].index;
	if (ret_err)
		*ret_err = b->failures[k].err;
	return 0;
}
