/* SPDX-License-Identifier: MIT */
/*
 * The NETLINK_NETFILTER socket: opened inside a network namespace through
 * the core's linx_ns_socket() and pinned there; batches sent in one
 * sendmsg with an acknowledgement collected per message; dumps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <endian.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

#include "nft-internal.h"

bool linx_nft_supported(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

static void set_flag(int fd, int opt)
{
	int one = 1;

	/* Best effort: they only improve diagnostics. */
	(void)setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one));
}

/* Ask for `want` bytes (the FORCE variant needs CAP_NET_ADMIN in the
 * socket's user namespace), report what we got. */
static int set_buf(int fd, int force_opt, int opt, int want)
{
	int got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, force_opt, &want, sizeof(want)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, opt, &got, &len) < 0)
		got = 0;
	return got;
}

int nft_socket_open(const struct linx_ns_target *netns, const unsigned *groups,
		    unsigned n_groups, int rcvbuf, struct linx_nft **ret,
		    struct linx_error *err)
{
	struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	struct linx_nft *s;
	int fd, r;

	*ret = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return linx_error_set(err, ENOMEM, "open", NULL);
	s->fd = -1;
	s->dump_retries = 8;
	r = pthread_mutex_init(&s->lock, NULL);
	if (r != 0) {
		free(s);
		return linx_error_set(err, r, "open", NULL);
	}
	fd = linx_ns_socket(netns ? netns : &self, AF_NETLINK, SOCK_RAW,
			    NETLINK_NETFILTER, err);
	if (fd < 0) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		if (err)
			snprintf(err->op, sizeof(err->op), "open");
		return fd;
	}
	s->fd = fd;
	set_flag(fd, NETLINK_EXT_ACK);
	set_flag(fd, NETLINK_CAP_ACK);
	s->rcvbuf = set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF,
			    rcvbuf > 0 ? rcvbuf : NFT_RCVBUF);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
		r = linx_error_set(err, errno, "open", "bind(AF_NETLINK): %s",
				   linx_strerror(errno));
		goto fail;
	}
	for (unsigned i = 0; i < n_groups; i++) {
		int g = (int)groups[i];

		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g,
			       sizeof(g)) < 0) {
			r = linx_error_set(err, errno, "subscribe",
					   "cannot join nfnetlink group %u: %s",
					   groups[i], linx_strerror(errno));
			goto fail;
		}
	}
	linx_nl_conn_init(&s->io, fd, sa.nl_pid, NFT_RECV_MAX);
	s->io.seq = 1;
	if (linx_nl_conn_reserve(&s->io, NFT_RECV_DEFAULT) < 0) {
		r = linx_error_set(err, ENOMEM, "open", NULL);
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	linx_nft_close(s);
	return r;
}

int linx_nft_open(const struct linx_ns_target *netns, struct linx_nft **ret,
		  struct linx_error *err)
{
	if (!ret)
		return linx_error_param(err, "open", "ret", "no output");
	return nft_socket_open(netns, NULL, 0, 0, ret, err);
}

void linx_nft_close(struct linx_nft *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	pthread_mutex_destroy(&s->lock);
	linx_value_clear(&s->cache);
	linx_nl_conn_fini(&s->io);
	free(s);
}

/* ---- errors ----------------------------------------------------------------- */

static int ack_error(const struct linx_nl_ack *ack, const char *op,
		     struct linx_error *err)
{
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

int nft_nl_error(const struct linx_nl_result *res, const char *op,
		 struct linx_error *err)
{
	switch (res->fail) {
	case LINX_NL_OK:
		return 0;
	case LINX_NL_FAIL_SEND:
		return linx_error_set(err, res->code, op, "sendmsg: %s",
				      linx_strerror(res->code));
	case LINX_NL_FAIL_RECV:
		if (res->code == ENOBUFS)
			return linx_error_set(err, ENOBUFS, op,
					      "the kernel dropped part of the "
					      "reply (receive buffer overrun)");
		if (res->code == EMSGSIZE)
			return linx_error_set(err, ENOMEM, op,
					      "a reply of %zu bytes does not "
					      "fit in memory",
					      res->size);
		return linx_error_set(err, res->code, op, "recvmsg: %s",
				      linx_strerror(res->code));
	case LINX_NL_FAIL_KERNEL:
		return ack_error(&res->ack, op, err);
	case LINX_NL_FAIL_BADACK:
		return linx_error_set(err, EBADMSG, op,
				      "truncated netlink error message");
	case LINX_NL_FAIL_OVERRUN:
		return linx_error_set(err, EIO, op,
				      "netlink overrun: data lost");
	case LINX_NL_FAIL_CALLBACK:
		if (err && err->code == res->code)
			return -res->code; /* the callback said why */
		if (res->code == EBADMSG)
			return linx_error_set(err, EBADMSG, op,
					      "malformed message of type 0x%x "
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
	return linx_error_set(err, EIO, op, NULL);
}

/* ---- batches ------------------------------------------------------------- */

/*
 * How nfnetlink answers a batch (net/netfilter/nfnetlink.c): every inner
 * message is processed; each one that fails, or that asked for an ACK,
 * gets an entry in a list delivered after the whole batch - so a failed
 * batch reports every failure and the ACKs.  When the batch fails as a
 * whole (generation mismatch, missing privilege, commit failure) the list
 * is dropped and one error answers the BEGIN message instead.  END is
 * never acknowledged.  So: only the last inner message asks for an ACK
 * (ten thousand ACKs would overrun the receive buffer, and they could
 * not be read before the batch ends), failures arrive with their own
 * sequence numbers, and an error on BEGIN ends the collection early.
 */
struct batch_acks {
	struct nft_batch *bt;
	size_t first_bad; /* index of the first failure, or SIZE_MAX */
	struct linx_nl_ack ack; /* its acknowledgement */
	char msg[LINX_ERROR_EXTACK_MAX];
	bool begin_failed;
	int (*echo)(void *arg, const struct nlmsghdr *nlh, bool cut);
	void *echo_arg;
};

static int on_echo(void *arg, size_t index, const struct nlmsghdr *nlh,
		   bool cut)
{
	struct batch_acks *a = arg;

	(void)index;
	return a->echo(a->echo_arg, nlh, cut);
}

/* NLM_F_ECHO on every NEWRULE message of the batch: the kernel sends
 * each created rule back, with its handle, as it commits.  And on the
 * first message: nfnetlink reports the commit's NEWGEN to the sender when
 * the batch's first message (after BEGIN) asked for an echo. */
static void echo_rules(struct nft_batch *bt)
{
	int rem = bt->buf.len > INT32_MAX ? 0 : (int)bt->buf.len;
	struct nlmsghdr *nlh = (struct nlmsghdr *)bt->buf.data;
	bool first = true;

	while (nlh && mnl_nlmsg_ok(nlh, rem)) {
		if (first || nlh->nlmsg_type ==
		    ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE))
			nlh->nlmsg_flags |= NLM_F_ECHO;
		first = false;
		nlh = mnl_nlmsg_next(nlh, &rem);
	}
}

static int on_ack(void *arg, size_t index, const struct linx_nl_ack *ack,
		  bool malformed)
{
	struct batch_acks *a = arg;

	(void)malformed;
	if (ack->code == 0)
		return 0;
	if (index < a->first_bad) {
		a->first_bad = index;
		a->ack = *ack;
		a->msg[0] = 0;
		if (ack->msg)
			snprintf(a->msg, sizeof(a->msg), "%s", ack->msg);
		a->ack.msg = a->msg[0] ? a->msg : NULL;
	}
	if (index == 0) {
		/* The batch failed as a whole: nothing else will come. */
		a->begin_failed = true;
		return -ECANCELED;
	}
	return 0;
}

/* Fill in sequence numbers base+1.. and the ACK flag on the last. */
static void number(struct nft_batch *bt, uint32_t base)
{
	size_t off = 0, i = 0;
	struct nlmsghdr *last = NULL;

	while (off < bt->buf.len) {
		struct nlmsghdr *nlh = nft_msg_at(&bt->buf, off);

		nlh->nlmsg_seq = base + 1 + (uint32_t)i++;
		nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		last = nlh;
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	if (last)
		last->nlmsg_flags |= NLM_F_ACK;
}

static int batch_fail(struct nft_batch *bt, const struct batch_acks *a,
		      size_t *failed_index, struct linx_error *err)
{
	const char *op;
	int r;

	if (a->first_bad == 0) {
		op = "batch_begin";
		r = ack_error(&a->ack, op, err);
		if (a->ack.code == ERESTART && bt->has_genid)
			linx_error_set(err, ERESTART, op,
				       "the ruleset is no longer at generation "
				       "%u: another writer committed since",
				       bt->genid);
	} else if (a->first_bad == bt->n + 1) {
		r = ack_error(&a->ack, "batch_end", err);
	} else {
		const struct nft_origin *o = &bt->origins[a->first_bad - 1];

		r = ack_error(&a->ack, o->op, err);
		linx_error_object(err, o->object);
		if (err)
			linx_error_prefix(err, "message %zu (%s %s)",
					  a->first_bad, o->op, o->object);
	}
	if (failed_index)
		*failed_index = a->first_bad;
	return r;
}

int nft_batch_send(struct linx_nft *s, struct nft_batch *bt,
		   size_t *failed_index, struct linx_error *err)
{
	struct nft_msgbuf hdr;
	struct batch_acks a = { .bt = bt, .first_bad = SIZE_MAX };
	struct linx_nl_result res;
	struct linx_nl_window w;
	struct iovec iov[3];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr mh = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
		.msg_iov = iov,
		.msg_iovlen = 3,
	};
	size_t begin_off, end_off, total;
	uint32_t base;
	ssize_t n;
	int r;

	if (failed_index)
		*failed_index = SIZE_MAX;
	if (bt->error || bt->buf.error)
		return linx_error_set(err, -(bt->error ? bt->error
						       : bt->buf.error),
				      "push", "building the batch: %s",
				      linx_strerror(-(bt->error ? bt->error
								 : bt->buf.error)));
	if (bt->n == 0)
		return 0;
	r = linx_nl_acks_reserve(&s->io);
	if (r < 0)
		return linx_error_set(err, ENOMEM, "push", NULL);
	base = linx_nl_seq_reserve(&s->io, bt->n + 2);
	number(bt, base);

	/* BEGIN (with the generation guard) and END around the batch. */
	if (bt->echo)
		echo_rules(bt);
	nft_msgbuf_init(&hdr);
	begin_off = nft_msg_begin(&hdr, NFNL_MSG_BATCH_BEGIN,
				  bt->echo ? NLM_F_ECHO : 0, base,
				  NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
	if (bt->has_genid)
		nft_put_be32(&hdr, NFNL_BATCH_GENID, bt->genid);
	nft_msg_end(&hdr, begin_off);
	end_off = nft_msg_begin(&hdr, NFNL_MSG_BATCH_END, 0,
				base + 1 + (uint32_t)bt->n, NFPROTO_UNSPEC,
				NFNL_SUBSYS_NFTABLES);
	nft_msg_end(&hdr, end_off);
	if (hdr.error) {
		nft_msgbuf_fini(&hdr);
		return linx_error_set(err, ENOMEM, "push", NULL);
	}
	iov[0] = (struct iovec){ hdr.data + begin_off, end_off - begin_off };
	iov[1] = (struct iovec){ bt->buf.data, bt->buf.len };
	iov[2] = (struct iovec){ hdr.data + end_off, hdr.len - end_off };
	total = hdr.len + bt->buf.len;

	/* One datagram: the send buffer must hold it whole. */
	if (total + 4096 > INT32_MAX) {
		nft_msgbuf_fini(&hdr);
		return linx_error_set(err, EMSGSIZE, "push",
				      "batch of %zu bytes is too large", total);
	}
	set_buf(s->fd, SO_SNDBUFFORCE, SO_SNDBUF,
		(int)(total + 4096 > NFT_SNDBUF ? total + 4096 : NFT_SNDBUF));
	do
		n = sendmsg(s->fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	nft_msgbuf_fini(&hdr);
	if (n < 0)
		return linx_error_set(err, errno, "push",
				      "sendmsg of a %zu-byte batch: %s", total,
				      linx_strerror(errno));
	s->io.stats.requests += bt->n + 2;

	w = (struct linx_nl_window){
		.base = base,
		.start = 0,
		.end = bt->n + 2,
		.close = bt->n,
		.ack = on_ack,
		.arg = &a,
		.msg = bt->echo ? on_echo : NULL,
	};
	a.echo = bt->echo;
	a.echo_arg = bt->echo_arg;
	r = linx_nl_collect_acks(&s->io, &w, &res);
	if (a.first_bad != SIZE_MAX)
		return batch_fail(bt, &a, failed_index, err);
	if (r < 0)
		return nft_nl_error(&res, "push", err);
	return 0;
}

/* ---- dumps and requests ------------------------------------------------------ */

int nft_dump(struct linx_nft *s, uint16_t msg, uint8_t family,
	     void (*fill)(struct nft_msgbuf *b, void *arg), linx_nl_msg_cb cb,
	     linx_nl_reset_cb reset, void *arg, const char *op,
	     struct linx_error *err)
{
	struct nft_msgbuf b;
	struct linx_nl_result res;
	size_t off;
	int r;

	nft_msgbuf_init(&b);
	off = nft_msg_begin(&b, NFT_TYPE(msg), NLM_F_DUMP, 0, family, 0);
	if (fill)
		fill(&b, arg);
	nft_msg_end(&b, off);
	if (b.error) {
		nft_msgbuf_fini(&b);
		return linx_error_set(err, ENOMEM, op, NULL);
	}
	r = linx_nl_request(&s->io, nft_msg_at(&b, off), cb, reset, arg,
			    s->dump_retries, &res);
	nft_msgbuf_fini(&b);
	if (r < 0)
		return nft_nl_error(&res, op, err);
	return 0;
}

static const struct linx_nl_policy gen_policy[NFTA_GEN_MAX + 1] = {
	[NFTA_GEN_ID] = { LINX_NL_U32, 0 },
	[NFTA_GEN_PROC_PID] = { LINX_NL_U32, 0 },
	[NFTA_GEN_PROC_NAME] = { LINX_NL_STRING, 0 },
};

static int on_gen(void *arg, const struct nlmsghdr *nlh)
{
	struct linx_nft_gen *g = arg;
	const struct nlattr *tb[NFTA_GEN_MAX + 1];

	if (nlh->nlmsg_type != NFT_TYPE(NFT_MSG_NEWGEN))
		return 0;
	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), gen_policy,
			      NFTA_GEN_MAX, tb) < 0 ||
	    !tb[NFTA_GEN_ID])
		return -EBADMSG;
	g->id = be32toh(linx_nl_u32(tb[NFTA_GEN_ID], 0));
	g->proc_pid = be32toh(linx_nl_u32(tb[NFTA_GEN_PROC_PID], 0));
	linx_nl_str(tb[NFTA_GEN_PROC_NAME], g->proc_name,
		    sizeof(g->proc_name));
	return 0;
}

int nft_gen_parse(const struct nlmsghdr *nlh, struct linx_nft_gen *ret)
{
	return on_gen(ret, nlh);
}

int nft_get_gen_locked(struct linx_nft *s, struct linx_nft_gen *ret,
		       struct linx_error *err)
{
	struct nft_msgbuf b;
	struct linx_nl_result res;
	size_t off;
	int r;

	memset(ret, 0, sizeof(*ret));
	nft_msgbuf_init(&b);
	off = nft_msg_begin(&b, NFT_TYPE(NFT_MSG_GETGEN), 0, 0, NFPROTO_UNSPEC,
			    0);
	nft_msg_end(&b, off);
	if (b.error) {
		nft_msgbuf_fini(&b);
		return linx_error_set(err, ENOMEM, "get_gen", NULL);
	}
	r = linx_nl_request(&s->io, nft_msg_at(&b, off), on_gen, NULL, ret, 0,
			    &res);
	nft_msgbuf_fini(&b);
	if (r < 0)
		return nft_nl_error(&res, "get_gen", err);
	return 0;
}

int linx_nft_get_gen(struct linx_nft *s, struct linx_nft_gen *ret,
		     struct linx_error *err)
{
	int r;

	if (!s || !ret)
		return linx_error_param(err, "get_gen", !s ? "sock" : "ret",
					"missing");
	pthread_mutex_lock(&s->lock);
	r = nft_get_gen_locked(s, ret, err);
	pthread_mutex_unlock(&s->lock);
	return r;
}
