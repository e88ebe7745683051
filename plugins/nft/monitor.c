/* SPDX-License-Identifier: MIT */
/*
 * The ruleset monitor: a NETLINK_NETFILTER socket joined to
 * NFNLGRP_NFTABLES whose notifications come out as events grouped by the
 * generation that committed them.  docs/nft/monitor.md.
 *
 * What the kernel sends (net/netfilter/nf_tables_api.c, nf_tables_commit):
 * once a batch is committed, one notification per object changed
 * (NFT_MSG_NEW* / NFT_MSG_DEL*, several per datagram), then one
 * NFT_MSG_NEWGEN with the new generation id and the committer's pid and
 * comm.  The NEWGEN comes *last*; the spec's Monitor text says first and
 * its guide says last; the kernel decides.  So notifications are held
 * raw in `pending` until their NEWGEN, then moved to `ready` behind a
 * group record that stamps them; next() decodes one at a time.  Holding
 * raw messages rather than values keeps a commit of 100,000 elements at
 * about 100 bytes an element until it is read.
 *
 * Multicast is lossy: a full receive queue makes the kernel drop
 * notifications and the next read fail with ENOBUFS (netlink(7)).  A
 * resync record is queued and reading goes on; the commit cut by the
 * loss is recognised by the generation every notification carries in
 * its res_id, and dropped (lost() below).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nft-listen.h"

/* A commit's notifications held beyond this many bytes are dropped and
 * reported as a resync (a runaway commit must not eat the memory). */
#define PENDING_MAX (256u * 1024 * 1024)

/* Records of the queues: a header then `len` bytes, padded to 8. */
enum rec_kind {
	REC_MSG = 1, /* one netlink message */
	REC_GROUP, /* struct rec_group: stamps the messages that follow */
	REC_RESYNC, /* notifications were lost */
};

struct rec_hdr {
	uint32_t kind;
	uint32_t len;
};

struct rec_group {
	uint32_t gen, pid;
	char name[32];
	bool has_pid, has_name;
};

#define REC_ALIGN(n) (((n) + 7u) & ~(size_t)7u)

struct recq {
	char *data;
	size_t head, len, cap; /* records live in [head, len) */
};

struct linx_nft_monitor {
	pthread_mutex_t lock;
	struct linx_nft *s;
	struct linx_nft *q; /* unsubscribed: asks for set declarations */
	struct nft_setcache sets;
	uint32_t min_gen;
	struct recq pending; /* messages of the commit in progress */
	struct recq ready; /* records waiting for next() */
	struct rec_group cur; /* stamp of the messages being read */
	bool lossy; /* notifications lost since the last NEWGEN */
	const struct nlmsghdr **run; /* a run of element messages */
	size_t run_cap;
};

/* ---- record queues ------------------------------------------------------- */

static int recq_put(struct recq *q, uint32_t kind, const void *p, size_t len)
{
	size_t need = sizeof(struct rec_hdr) + REC_ALIGN(len);
	struct rec_hdr h = { kind, (uint32_t)len };

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	if (q->head && q->head == q->len)
		q->head = q->len = 0;
	if (q->len + need > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		char *d;

		/* Reclaim what next() has consumed before growing. */
		if (q->head) {
			memmove(q->data, q->data + q->head, q->len - q->head);
			q->len -= q->head;
			q->head = 0;
		}
		while (cap < q->len + need)
			cap *= 2;
		if (cap != q->cap) {
			d = realloc(q->data, cap);
			if (!d)
				return -ENOMEM;
			q->data = d;
			q->cap = cap;
		}
	}
	memcpy(q->data + q->len, &h, sizeof(h));
	if (len)
		memcpy(q->data + q->len + sizeof(h), p, len);
	memset(q->data + q->len + sizeof(h) + len, 0, REC_ALIGN(len) - len);
	q->len += need;
	return 0;
}

/* Append all of `from` to `to` and empty `from`. */
static int recq_move(struct recq *to, struct recq *from)
{
	size_t n = from->len - from->head;

	if (n) {
		if (to->head == to->len)
			to->head = to->len = 0;
		if (to->len + n > to->cap) {
			size_t cap = to->cap ? to->cap : 4096;
			char *d;

			while (cap < to->len + n)
				cap *= 2;
			d = realloc(to->data, cap);
			if (!d)
				return -ENOMEM;
			to->data = d;
			to->cap = cap;
		}
		memcpy(to->data + to->len, from->data + from->head, n);
		to->len += n;
	}
	from->head = from->len = 0;
	return 0;
}

/* The next record, consumed; false when empty. */
static bool recq_pop(struct recq *q, struct rec_hdr *h, const void **p)
{
	if (q->head >= q->len)
		return false;
	memcpy(h, q->data + q->head, sizeof(*h));
	*p = q->data + q->head + sizeof(*h);
	q->head += sizeof(*h) + REC_ALIGN(h->len);
	return true;
}

/* The next record without consuming it. */
static bool recq_peek(const struct recq *q, struct rec_hdr *h, const void **p)
{
	if (q->head >= q->len)
		return false;
	memcpy(h, q->data + q->head, sizeof(*h));
	*p = q->data + q->head + sizeof(*h);
	return true;
}

static void recq_free(struct recq *q)
{
	free(q->data);
	memset(q, 0, sizeof(*q));
}

/* ---- set declarations ------------------------------------------------------ */

struct set_query {
	const struct nft_where *want;
	bool found, anonymous, unsupported;
	struct linx_value set;
};

static void fill_set_table(struct nft_msgbuf *b, void *arg)
{
	struct set_query *q = arg;

	nft_put_strz(b, NFTA_SET_TABLE, q->want->table);
}

static int on_set(void *arg, const struct nlmsghdr *nlh)
{
	struct set_query *q = arg;
	struct nft_where w;
	struct linx_value v;
	bool anonymous = false;
	int r;

	if (q->found || (nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSET)
		return 0;
	r = nft_set_parse(nlh, &w, &anonymous, &v);
	if (r == -EOPNOTSUPP)
		q->unsupported = true;
	if (r < 0)
		return 0;
	if (strcmp(w.set, q->want->set) != 0) {
		linx_value_clear(&v);
		return 0;
	}
	q->found = true;
	q->anonymous = anonymous;
	q->set = v;
	return 0;
}

static void reset_set(void *arg)
{
	struct set_query *q = arg;

	if (q->found)
		linx_value_clear(&q->set);
	q->found = false;
}

/* The declaration of a set that existed before the monitor saw it: a
 * dump of the table's sets on the query socket. */
static int lookup_set(void *arg, const struct nft_where *w, bool *anonymous,
		      struct linx_value *ret)
{
	struct linx_nft_monitor *m = arg;
	struct set_query q = { .want = w };
	int r;

	pthread_mutex_lock(&m->q->lock);
	r = nft_dump(m->q, NFT_MSG_GETSET, w->family, fill_set_table, on_set,
		     reset_set, &q, "monitor.next", NULL);
	pthread_mutex_unlock(&m->q->lock);
	if (r < 0 || !q.found) {
		reset_set(&q);
		return r < 0 ? r : q.unsupported ? -EOPNOTSUPP : -ENOENT;
	}
	*anonymous = q.anonymous;
	*ret = q.set;
	return 0;
}

/* ---- open, close ----------------------------------------------------------- */

int linx_nft_monitor_open(const struct linx_ns_target *netns,
			  const struct linx_nft_monitor_opts *opts,
			  struct linx_nft_monitor **ret, struct linx_error *err)
{
	static const unsigned groups[] = { NFNLGRP_NFTABLES };
	struct linx_nft_monitor *m;
	int r;

	if (!ret)
		return linx_error_param(err, "monitor.open", "ret", "no output");
	if (opts && opts->rcvbuf < 0)
		return linx_error_param(err, "monitor.open", "rcvbuf",
					"rcvbuf: must be >= 0 (0: 4 MiB)");
	m = calloc(1, sizeof(*m));
	if (!m)
		return linx_error_set(err, ENOMEM, "monitor.open", NULL);
	r = pthread_mutex_init(&m->lock, NULL);
	if (r) {
		free(m);
		return linx_error_set(err, r, "monitor.open", NULL);
	}
	m->min_gen = opts ? opts->since_gen : 0;
	m->sets.lookup = lookup_set;
	m->sets.arg = m;
	r = nft_socket_open(netns, groups, 1, opts ? opts->rcvbuf : 0, &m->s,
			    err);
	if (r >= 0) {
		r = nft_socket_open(netns, NULL, 0, 0, &m->q, err);
		if (r < 0)
			linx_nft_close(m->s);
	}
	if (r < 0) {
		pthread_mutex_destroy(&m->lock);
		free(m);
		return r;
	}
	*ret = m;
	return 0;
}

void linx_nft_monitor_close(struct linx_nft_monitor *m)
{
	if (!m)
		return;
	linx_nft_close(m->s);
	linx_nft_close(m->q);
	nft_setcache_fini(&m->sets);
	recq_free(&m->pending);
	recq_free(&m->ready);
	free(m->run);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

int linx_nft_monitor_fd(const struct linx_nft_monitor *m)
{
	return m ? m->s->fd : -EINVAL;
}

int linx_nft_monitor_set_min_gen(struct linx_nft_monitor *m, uint32_t gen)
{
	if (!m)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	m->min_gen = gen;
	pthread_mutex_unlock(&m->lock);
	return 0;
}

/* ---- reading ------------------------------------------------------------- */

static const struct linx_nl_policy gen_policy[NFTA_GEN_MAX + 1] = {
	[NFTA_GEN_ID] = { LINX_NL_U32, 0 },
	[NFTA_GEN_PROC_PID] = { LINX_NL_U32, 0 },
	[NFTA_GEN_PROC_NAME] = { LINX_NL_STRING, 0 },
};

/* A NEWGEN's stamp; -EBADMSG without an id. */
static int parse_gen(const struct nlmsghdr *nlh, struct rec_group *g)
{
	const struct nlattr *tb[NFTA_GEN_MAX + 1];

	memset(g, 0, sizeof(*g));
	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), gen_policy,
			      NFTA_GEN_MAX, tb) < 0 ||
	    !tb[NFTA_GEN_ID])
		return -EBADMSG;
	g->gen = be32toh(linx_nl_u32(tb[NFTA_GEN_ID], 0));
	g->has_pid = tb[NFTA_GEN_PROC_PID] != NULL;
	g->pid = be32toh(linx_nl_u32(tb[NFTA_GEN_PROC_PID], 0));
	g->has_name = tb[NFTA_GEN_PROC_NAME] != NULL;
	linx_nl_str(tb[NFTA_GEN_PROC_NAME], g->name, sizeof(g->name));
	return 0;
}

/*
 * Lost notifications.  The kernel reports the loss (sk_err) before the
 * datagrams still queued, and drops every broadcast while the queue is
 * not drained (NETLINK_S_CONGESTED, net/netlink/af_netlink.c): so what
 * is pending and what is queued came before the loss, and the commit in
 * progress may miss its end.  The resync goes out now; commit() then
 * keeps only the messages of the generation its NEWGEN closes.
 */
static int lost(struct linx_nft_monitor *m)
{
	m->lossy = true;
	/* What was lost may have redefined sets: ask the kernel again. */
	nft_setcache_fini(&m->sets);
	return recq_put(&m->ready, REC_RESYNC, NULL, 0);
}

/* The low 16 bits of the generation a notification belongs to: nf_tables
 * puts them in the nfgenmsg's res_id (nft_base_seq()). */
static uint16_t msg_gen16(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *nfg = linx_nl_msg_header(nlh, sizeof(*nfg));

	return nfg ? be16toh(nfg->res_id) : 0;
}

/* After a loss: move only the pending messages of generation `gen` to
 * `ready`; the others belong to a commit whose NEWGEN was lost. */
static int move_gen(struct linx_nft_monitor *m, uint32_t gen)
{
	struct rec_hdr h;
	const void *p;
	int r = 0;

	while (r == 0 && recq_pop(&m->pending, &h, &p))
		if (msg_gen16(p) == (uint16_t)gen)
			r = recq_put(&m->ready, REC_MSG, p, h.len);
	m->pending.head = m->pending.len = 0;
	return r;
}

/* A filtered commit: gone, but the sets it touched are forgotten. */
static void drop_pending(struct linx_nft_monitor *m)
{
	struct rec_hdr h;
	const void *p;

	while (recq_pop(&m->pending, &h, &p))
		nft_setcache_note(&m->sets, p);
	m->pending.head = m->pending.len = 0;
}

/* A commit is complete: its stamp, its messages, its NEWGEN. */
static int commit(struct linx_nft_monitor *m, const struct nlmsghdr *nlh)
{
	struct rec_group g;
	int r;

	if (parse_gen(nlh, &g) < 0) {
		/* A NEWGEN we cannot read cannot stamp anything: the
		 * commit is lost. */
		m->pending.head = m->pending.len = 0;
		return lost(m);
	}
	if (g.gen <= m->min_gen) {
		drop_pending(m);
		m->lossy = false;
		return 0;
	}
	r = recq_put(&m->ready, REC_GROUP, &g, sizeof(g));
	if (r == 0)
		r = m->lossy ? move_gen(m, g.gen)
			     : recq_move(&m->ready, &m->pending);
	if (r == 0)
		r = recq_put(&m->ready, REC_MSG, nlh, nlh->nlmsg_len);
	m->lossy = false;
	return r;
}

/* Read one datagram without blocking and sort its messages.  0 when
 * something was read, -EAGAIN when the socket is empty, -errno. */
static int fill(struct linx_nft_monitor *m, struct linx_error *err)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	size_t rem;
	int r = 0;

	n = linx_nl_recv(&m->s->io, MSG_DONTWAIT);
	if (n == -EAGAIN)
		return -EAGAIN;
	if (n == -ENOBUFS)
		r = lost(m);
	else if (n == -EMSGSIZE) {
		/* A datagram beyond the buffer's cap (or out of memory):
		 * it is still queued, so consume it and report the loss. */
		(void)recv(m->s->fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC);
		r = lost(m);
	}
	else if (n < 0)
		return linx_error_set(err, (int)-n, "monitor.next",
				      "recvmsg: %s", linx_strerror((int)-n));
	if (n < 0)
		return r < 0 ? linx_error_set(err, -r, "monitor.next", NULL) : 0;
	rem = (size_t)n;
	for (nlh = (const void *)m->s->io.buf; linx_nl_msg_ok(nlh, rem);
	     nlh = linx_nl_msg_next(nlh, &rem)) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
		    (nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
			continue; /* NOOP, DONE, ...; other subsystems */
		if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWGEN)
			r = commit(m, nlh);
		else if (m->pending.len + nlh->nlmsg_len > PENDING_MAX) {
			m->pending.head = m->pending.len = 0;
			r = lost(m);
		}
		else
			r = recq_put(&m->pending, REC_MSG, nlh, nlh->nlmsg_len);
		if (r < 0)
			return linx_error_set(err, -r, "monitor.next", NULL);
	}
	return 0;
}

/*
 * The event of the message `first` (just popped from `ready`).  The
 * kernel notifies set elements one message each, an interval's start
 * and end apart: the messages of the same set that follow in the same
 * commit are taken along into one event.
 */
static int deliver(struct linx_nft_monitor *m, const struct nlmsghdr *first,
		   struct linx_value *ret)
{
	struct rec_hdr h;
	const void *p;
	size_t n = 1;

	if (!m->run) {
		m->run = malloc(16 * sizeof(*m->run));
		if (!m->run)
			return -ENOMEM;
		m->run_cap = 16;
	}
	m->run[0] = first;
	while (recq_peek(&m->ready, &h, &p) && h.kind == REC_MSG &&
	       nft_setelem_same_run(first, p)) {
		if (n == m->run_cap) {
			const struct nlmsghdr **a =
				realloc(m->run, 2 * n * sizeof(*a));

			if (!a)
				break; /* the rest makes another event */
			m->run = a;
			m->run_cap = 2 * n;
		}
		m->run[n++] = p;
		recq_pop(&m->ready, &h, &p);
	}
	return nft_event_build(m->run, n, &m->cur.gen,
			       m->cur.has_pid ? &m->cur.pid : NULL,
			       m->cur.has_name ? m->cur.name : NULL, &m->sets,
			       ret);
}

int linx_nft_monitor_next(struct linx_nft_monitor *m, struct linx_value *ret,
			  struct linx_error *err)
{
	struct rec_hdr h;
	const void *p;
	int r = 0;

	if (!m || !ret)
		return linx_error_param(err, "monitor.next", "monitor",
					"missing argument");
	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (recq_pop(&m->ready, &h, &p)) {
			if (h.kind == REC_GROUP) {
				memcpy(&m->cur, p, sizeof(m->cur));
				continue;
			}
			if (h.kind == REC_RESYNC) {
				*ret = linx_value_map();
				linx_map_put_cstring(ret, "op", "resync");
				r = linx_value_status(ret);
				goto out;
			}
			if (m->cur.gen <= m->min_gen) {
				/* set_min_gen() after queueing */
				nft_setcache_note(&m->sets, p);
				continue;
			}
			r = deliver(m, p, ret);
			goto out;
		}
		r = fill(m, err);
		if (r == -EAGAIN) {
			r = 0;
			goto out_none;
		}
		if (r < 0)
			goto out_none;
	}
out:
	if (r < 0) {
		linx_value_clear(ret);
		r = linx_error_set(err, -r, "monitor.next",
				   "cannot build the event");
	} else {
		r = 1;
	}
out_none:
	pthread_mutex_unlock(&m->lock);
	return r;
}
