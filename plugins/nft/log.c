/* SPDX-License-Identifier: MIT */
/*
 * NFLOG: packets that rules send to a log group ("log group N"), received
 * over nfnetlink_log (NFNL_SUBSYS_ULOG,
 * include/uapi/linux/netfilter/nfnetlink_log.h).  docs/nft/log.md.
 *
 * A group is an instance of the namespace's nfnetlink_log bound to one
 * netlink port: NFULNL_CFG_CMD_BIND claims it (EBUSY/EPERM when another
 * socket holds it), the same config message sets the copy mode and
 * range, flags, flush timeout and queue threshold, and the kernel then
 * unicasts NFULNL_MSG_PACKET messages to us (several in one datagram
 * when qthreshold > 1).  A full receive queue loses packets and the next
 * read fails with ENOBUFS: reported as a resync event.
 */
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nft-listen.h"

#define LOG_TYPE(msg) ((uint16_t)((NFNL_SUBSYS_ULOG << 8) | (msg)))
#define QTHRESH_MAX 1024
#define KNOWN_FLAGS                                                          \
	(NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL | NFULNL_CFG_F_CONNTRACK)

struct linx_nft_log {
	pthread_mutex_t lock;
	struct linx_nft *s;
	uint16_t group;
	size_t pos, len; /* the datagram in s->io.buf being walked */
};

/* ---- configuration ---------------------------------------------------------- */

struct log_cfg {
	uint8_t cmd; /* NFULNL_CFG_CMD_*, 0 for none */
	bool set_mode;
	uint8_t copy;
	uint32_t range;
	uint32_t timeout; /* 1/100 s */
	uint32_t qthresh; /* 0: leave */
	bool set_flags;
	uint16_t flags;
};

/* One NFULNL_MSG_CONFIG for `group` (res_id) and `family`, acknowledged. */
static int log_config(struct linx_nft *s, uint8_t family, uint16_t group,
		      const struct log_cfg *c, const char *what,
		      struct linx_error *err)
{
	struct nft_msgbuf b;
	struct linx_nl_result res;
	size_t off;
	int r;

	nft_msgbuf_init(&b);
	off = nft_msg_begin(&b, LOG_TYPE(NFULNL_MSG_CONFIG), NLM_F_ACK, 0,
			    family, group);
	if (c->cmd)
		nft_put(&b, NFULA_CFG_CMD, &c->cmd, sizeof(c->cmd));
	if (c->set_mode) {
		struct nfulnl_msg_config_mode mode = {
			.copy_range = htobe32(c->range),
			.copy_mode = c->copy,
		};

		nft_put(&b, NFULA_CFG_MODE, &mode, sizeof(mode));
	}
	if (c->cmd == NFULNL_CFG_CMD_BIND)
		nft_put_be32(&b, NFULA_CFG_TIMEOUT, c->timeout);
	if (c->qthresh)
		nft_put_be32(&b, NFULA_CFG_QTHRESH, c->qthresh);
	if (c->set_flags)
		nft_put_be16(&b, NFULA_CFG_FLAGS, c->flags);
	nft_msg_end(&b, off);
	if (b.error) {
		r = b.error;
		nft_msgbuf_fini(&b);
		return linx_error_set(err, -r, "log.open", NULL);
	}
	pthread_mutex_lock(&s->lock);
	r = linx_nl_request(&s->io, nft_msg_at(&b, off), NULL, NULL, NULL, 0,
			    &res);
	pthread_mutex_unlock(&s->lock);
	nft_msgbuf_fini(&b);
	if (r == 0)
		return 0;
	if (res.fail != LINX_NL_FAIL_KERNEL)
		return linx_error_set(err, res.code ? res.code : EIO, "log.open",
				      "%s: %s", what, linx_strerror(res.code));
	if (c->cmd == NFULNL_CFG_CMD_BIND &&
	    (res.ack.code == EBUSY || res.ack.code == EPERM))
		return linx_error_set(err, EBUSY, "log.open",
				      "group %u is already bound by another "
				      "socket in this network namespace",
				      group);
	if (res.ack.code == EOPNOTSUPP && c->set_flags &&
	    (c->flags & NFULNL_CFG_F_CONNTRACK))
		return linx_error_set(err, EOPNOTSUPP, "log.open",
				      "%s: the conntrack flag needs "
				      "nf_conntrack_netlink in the kernel",
				      what);
	return linx_error_set(err, res.ack.code, "log.open", "%s: %s%s%s",
			      what, linx_strerror(res.ack.code),
			      res.ack.msg ? ": " : "",
			      res.ack.msg ? res.ack.msg : "");
}

static bool family_ok(uint8_t f)
{
	return f == NFPROTO_IPV4 || f == NFPROTO_IPV6 ||
	       f == NFPROTO_BRIDGE || f == NFPROTO_ARP;
}

static int check_opts(const struct linx_nft_log_opts *o, struct linx_error *err)
{
	const char *op = "log.open";

	if (!o)
		return linx_error_param(err, op, "opts",
					"opts: required (group)");
	if (o->group == 0)
		return linx_error_param(err, op, "group",
					"group: must be 1..65535");
	if (o->copy != LINX_NFT_COPY_NONE && o->copy != LINX_NFT_COPY_META &&
	    o->copy != LINX_NFT_COPY_PACKET)
		return linx_error_param(err, op, "copy",
					"copy: none, meta or packet");
	if (o->snaplen > 0xffff)
		return linx_error_param(err, op, "snaplen",
					"snaplen: at most 65535 bytes");
	if (o->snaplen && o->copy != LINX_NFT_COPY_PACKET)
		return linx_error_param(err, op, "snaplen",
					"snaplen: only with copy packet");
	if (o->qthreshold > QTHRESH_MAX)
		return linx_error_param(err, op, "qthreshold",
					"qthreshold: must be 1..1024");
	if (o->flags & ~KNOWN_FLAGS)
		return linx_error_param(err, op, "flags",
					"flags: unknown bits 0x%x (seq, "
					"seq_global, conntrack)",
					(unsigned)(o->flags & ~KNOWN_FLAGS));
	if (o->rcvbuf < 0)
		return linx_error_param(err, op, "rcvbuf",
					"rcvbuf: must be >= 0 (0: 4 MiB)");
	if (o->n_families > NFT_ARRAY_SIZE(o->families))
		return linx_error_param(err, op, "families",
					"families: at most 4");
	for (unsigned i = 0; i < o->n_families; i++)
		if (!family_ok(o->families[i]))
			return linx_error_param(err, op, "families",
						"families: %u is not ipv4, "
						"ipv6, bridge or arp",
						o->families[i]);
	return 0;
}

int linx_nft_log_open(const struct linx_ns_target *netns,
		      const struct linx_nft_log_opts *opts,
		      struct linx_nft_log **ret, struct linx_error *err)
{
	static const uint8_t default_families[] = { NFPROTO_IPV4,
						    NFPROTO_IPV6 };
	const uint8_t *fams = default_families;
	unsigned n_fams = 2;
	struct log_cfg c = { 0 };
	struct linx_nft_log *l;
	int r;

	if (!ret)
		return linx_error_param(err, "log.open", "ret", "no output");
	r = check_opts(opts, err);
	if (r < 0)
		return r;
	if (opts->n_families) {
		fams = opts->families;
		n_fams = opts->n_families;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return linx_error_set(err, ENOMEM, "log.open", NULL);
	r = pthread_mutex_init(&l->lock, NULL);
	if (r) {
		free(l);
		return linx_error_set(err, r, "log.open", NULL);
	}
	l->group = opts->group;
	r = nft_socket_open(netns, NULL, 0, opts->rcvbuf, &l->s, err);
	if (r < 0) {
		pthread_mutex_destroy(&l->lock);
		free(l);
		return r;
	}
	/* The family's default logger becomes nfnetlink_log (what the
	 * spec asks; "log group N" rules do not need it, see log.md). */
	for (unsigned i = 0; i < n_fams && r >= 0; i++) {
		struct log_cfg pf = { .cmd = NFULNL_CFG_CMD_PF_BIND };

		r = log_config(l->s, fams[i], 0, &pf, "PF_BIND", err);
	}
	if (r < 0)
		goto fail;
	c.cmd = NFULNL_CFG_CMD_BIND;
	c.set_mode = true;
	c.copy = (uint8_t)opts->copy;
	c.range = opts->copy == LINX_NFT_COPY_PACKET
			  ? (opts->snaplen ? opts->snaplen : 0xffff)
			  : 0;
	/* The kernel counts in 1/100 s; round up so 1 ms is not 0. */
	c.timeout = (uint32_t)(((uint64_t)opts->timeout_ms + 9) / 10);
	c.qthresh = opts->qthreshold ? opts->qthreshold : 1;
	c.set_flags = true;
	c.flags = opts->flags;
	r = log_config(l->s, NFPROTO_UNSPEC, l->group, &c, "BIND", err);
	if (r < 0)
		goto fail;
	*ret = l;
	return 0;
fail:
	linx_nft_close(l->s);
	pthread_mutex_destroy(&l->lock);
	free(l);
	return r;
}

void linx_nft_log_close(struct linx_nft_log *l)
{
	struct log_cfg c = { .cmd = NFULNL_CFG_CMD_UNBIND };

	if (!l)
		return;
	/* The kernel also frees the instance when the socket goes
	 * (NETLINK_URELEASE); unbinding first makes the group free at
	 * once, whatever else holds the fd. */
	(void)log_config(l->s, NFPROTO_UNSPEC, l->group, &c, "UNBIND", NULL);
	linx_nft_close(l->s);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

int linx_nft_log_fd(const struct linx_nft_log *l)
{
	return l ? l->s->fd : -EINVAL;
}

/* ---- packets -------------------------------------------------------------- */

static const struct linx_nl_policy pkt_policy[NFULA_MAX + 1] = {
	[NFULA_PACKET_HDR] = { LINX_NL_MIN,
			       sizeof(struct nfulnl_msg_packet_hdr) },
	[NFULA_MARK] = { LINX_NL_U32, 0 },
	[NFULA_TIMESTAMP] = { LINX_NL_MIN,
			      sizeof(struct nfulnl_msg_packet_timestamp) },
	[NFULA_IFINDEX_INDEV] = { LINX_NL_U32, 0 },
	[NFULA_IFINDEX_OUTDEV] = { LINX_NL_U32, 0 },
	[NFULA_IFINDEX_PHYSINDEV] = { LINX_NL_U32, 0 },
	[NFULA_IFINDEX_PHYSOUTDEV] = { LINX_NL_U32, 0 },
	[NFULA_HWADDR] = { LINX_NL_MIN, 4 },
	[NFULA_PAYLOAD] = { LINX_NL_ANY, 0 },
	[NFULA_PREFIX] = { LINX_NL_ANY, 0 },
	[NFULA_UID] = { LINX_NL_U32, 0 },
	[NFULA_SEQ] = { LINX_NL_U32, 0 },
	[NFULA_SEQ_GLOBAL] = { LINX_NL_U32, 0 },
	[NFULA_GID] = { LINX_NL_U32, 0 },
	[NFULA_HWTYPE] = { LINX_NL_U16, 0 },
	[NFULA_HWHEADER] = { LINX_NL_ANY, 0 },
	[NFULA_HWLEN] = { LINX_NL_U16, 0 },
	[NFULA_CT] = { LINX_NL_NESTED, 0 },
	[NFULA_CT_INFO] = { LINX_NL_U32, 0 },
	[NFULA_VLAN] = { LINX_NL_NESTED, 0 },
	[NFULA_L2HDR] = { LINX_NL_ANY, 0 },
};

static void put_be32(struct linx_value *ev, const char *key,
		     const struct nlattr *a)
{
	if (a)
		linx_map_put_uint(ev, key, be32toh(linx_nl_u32(a, 0)));
}

static void put_bytes(struct linx_value *ev, const char *key,
		      const struct nlattr *a)
{
	if (a)
		linx_map_put_bytes(ev, key, mnl_attr_get_payload(a),
				   mnl_attr_get_payload_len(a));
}

int nft_log_event_build(const struct nlmsghdr *nlh, uint16_t group,
			struct linx_value *ret)
{
	const struct nlattr *tb[NFULA_MAX + 1];
	const struct nfgenmsg *nfg = linx_nl_msg_header(nlh, sizeof(*nfg));
	const char *fam;
	int r;

	*ret = linx_value_nil();
	if (!nfg)
		return -EBADMSG;
	linx_nl_parse_msg(nlh, sizeof(*nfg), pkt_policy, NFULA_MAX, tb);
	*ret = linx_value_map();
	linx_map_put_uint(ret, "group", group);
	fam = nft_sym_name(nft_families, nfg->nfgen_family);
	if (fam)
		linx_map_put_cstring(ret, "family", fam);
	else
		linx_map_put_uint(ret, "family", nfg->nfgen_family);
	if (tb[NFULA_PREFIX]) {
		const char *p = mnl_attr_get_payload(tb[NFULA_PREFIX]);
		size_t n = strnlen(p, mnl_attr_get_payload_len(tb[NFULA_PREFIX]));

		/* A rule without a prefix sends "": the spec's nil. */
		if (n)
			nft_put_text(ret, "prefix", p, n);
	}
	if (tb[NFULA_PACKET_HDR]) {
		const struct nfulnl_msg_packet_hdr *h =
			mnl_attr_get_payload(tb[NFULA_PACKET_HDR]);
		const char *hook = nft_hook_name(nfg->nfgen_family, h->hook);

		linx_map_put_uint(ret, "hook", h->hook);
		if (hook)
			linx_map_put_cstring(ret, "hook_name", hook);
		linx_map_put_uint(ret, "hw_protocol", be16toh(h->hw_protocol));
	}
	put_be32(ret, "mark", tb[NFULA_MARK]);
	put_be32(ret, "indev", tb[NFULA_IFINDEX_INDEV]);
	put_be32(ret, "outdev", tb[NFULA_IFINDEX_OUTDEV]);
	put_be32(ret, "physindev", tb[NFULA_IFINDEX_PHYSINDEV]);
	put_be32(ret, "physoutdev", tb[NFULA_IFINDEX_PHYSOUTDEV]);
	if (tb[NFULA_HWADDR]) {
		const struct nfulnl_msg_packet_hw *hw =
			mnl_attr_get_payload(tb[NFULA_HWADDR]);
		size_t have = mnl_attr_get_payload_len(tb[NFULA_HWADDR]) - 4;
		size_t n = be16toh(hw->hw_addrlen);

		if (n > sizeof(hw->hw_addr))
			n = sizeof(hw->hw_addr);
		if (n > have)
			n = have;
		linx_map_put_bytes(ret, "hwaddr", hw->hw_addr, n);
	}
	put_be32(ret, "uid", tb[NFULA_UID]);
	put_be32(ret, "gid", tb[NFULA_GID]);
	put_be32(ret, "seq", tb[NFULA_SEQ]);
	put_be32(ret, "seq_global", tb[NFULA_SEQ_GLOBAL]);
	if (tb[NFULA_TIMESTAMP]) {
		/* Two be64 in an attribute only 4-byte aligned: copied. */
		struct nfulnl_msg_packet_timestamp ts;
		struct linx_value t = linx_value_map();

		memcpy(&ts, mnl_attr_get_payload(tb[NFULA_TIMESTAMP]),
		       sizeof(ts));
		linx_map_put_uint(&t, "sec", be64toh(ts.sec));
		linx_map_put_uint(&t, "usec", be64toh(ts.usec));
		linx_map_put(ret, "timestamp", &t);
	}
	if (tb[NFULA_HWTYPE])
		linx_map_put_uint(ret, "hwtype",
				  be16toh(linx_nl_u16(tb[NFULA_HWTYPE], 0)));
	if (tb[NFULA_HWLEN])
		linx_map_put_uint(ret, "hwlen",
				  be16toh(linx_nl_u16(tb[NFULA_HWLEN], 0)));
	put_bytes(ret, "hwheader", tb[NFULA_HWHEADER]);
	put_bytes(ret, "l2hdr", tb[NFULA_L2HDR]);
	/* The conntrack entry (flag conntrack) in ctnetlink's attributes,
	 * kept as they come: decoding them is ctnetlink's business. */
	put_bytes(ret, "ct", tb[NFULA_CT]);
	put_be32(ret, "ct_info", tb[NFULA_CT_INFO]);
	if (tb[NFULA_VLAN]) {
		static const struct linx_nl_policy vp[NFULA_VLAN_TCI + 1] = {
			[NFULA_VLAN_PROTO] = { LINX_NL_U16, 0 },
			[NFULA_VLAN_TCI] = { LINX_NL_U16, 0 },
		};
		const struct nlattr *vt[NFULA_VLAN_TCI + 1];
		struct linx_value v = linx_value_map();

		linx_nl_parse_nested(tb[NFULA_VLAN], vp, NFULA_VLAN_TCI, vt);
		if (vt[NFULA_VLAN_PROTO])
			linx_map_put_uint(&v, "proto",
					  be16toh(linx_nl_u16(vt[NFULA_VLAN_PROTO], 0)));
		if (vt[NFULA_VLAN_TCI])
			linx_map_put_uint(&v, "tci",
					  be16toh(linx_nl_u16(vt[NFULA_VLAN_TCI], 0)));
		linx_map_put(ret, "vlan", &v);
	}
	put_bytes(ret, "payload", tb[NFULA_PAYLOAD]);
	r = linx_value_status(ret);
	if (r < 0) {
		linx_value_clear(ret);
		return -ENOMEM;
	}
	return 0;
}

static int resync_event(struct linx_nft_log *l, struct linx_value *ret)
{
	*ret = linx_value_map();
	linx_map_put_cstring(ret, "op", "resync");
	linx_map_put_uint(ret, "group", l->group);
	return linx_value_status(ret) < 0 ? -ENOMEM : 1;
}

/* The next packet of the datagram being walked: 1 with *ret, 0 at its
 * end, -errno. */
static int walk(struct linx_nft_log *l, struct linx_value *ret)
{
	while (l->pos < l->len) {
		const struct nlmsghdr *nlh =
			(const void *)(l->s->io.buf + l->pos);
		size_t rem = l->len - l->pos;
		int r;

		if (!linx_nl_msg_ok(nlh, rem)) {
			l->pos = l->len;
			break;
		}
		linx_nl_msg_next(nlh, &rem);
		l->pos = l->len - rem;
		if (nlh->nlmsg_type != LOG_TYPE(NFULNL_MSG_PACKET))
			continue; /* DONE of a batch, ACKs, ... */
		r = nft_log_event_build(nlh, l->group, ret);
		if (r == -EBADMSG)
			continue;
		return r < 0 ? r : 1;
	}
	return 0;
}

int linx_nft_log_next(struct linx_nft_log *l, struct linx_value *ret,
		      struct linx_error *err)
{
	ssize_t n;
	int r;

	if (!l || !ret)
		return linx_error_param(err, "log.next", "log",
					"missing argument");
	pthread_mutex_lock(&l->lock);
	pthread_mutex_lock(&l->s->lock);
	for (;;) {
		r = walk(l, ret);
		if (r != 0)
			break;
		n = linx_nl_recv(&l->s->io, MSG_DONTWAIT);
		l->pos = l->len = 0;
		if (n == -EAGAIN) {
			r = 0;
			break;
		}
		if (n == -EMSGSIZE)
			(void)recv(l->s->fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC);
		if (n == -ENOBUFS || n == -EMSGSIZE) {
			r = resync_event(l, ret);
			break;
		}
		if (n < 0) {
			r = (int)n;
			break;
		}
		l->len = (size_t)n;
	}
	pthread_mutex_unlock(&l->s->lock);
	pthread_mutex_unlock(&l->lock);
	if (r < 0)
		return linx_error_set(err, -r, "log.next", "%s",
				      linx_strerror(-r));
	return r;
}
