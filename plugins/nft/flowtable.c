/* SPDX-License-Identifier: MIT */
/*
 * Flowtables (nft-internal.h): the fast path for established flows.  A
 * flowtable hooks ingress (the only hook the kernel offers them) of its
 * devices at a priority; flags ask for hardware offload or counters.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nft-internal.h"

#define DEVICES_MAX 256
#define IFNAMSIZ_NFT 16

static const struct nft_sym flowtable_flags[] = {
	{ "hw_offload", NFT_FLOWTABLE_HW_OFFLOAD },
	{ "counter", NFT_FLOWTABLE_COUNTER },
	{ NULL, 0 },
};

struct ft_decl {
	const char *name;
	bool has_hook;
	int32_t priority;
	const struct linx_value *devices;
	uint32_t flags;
	char object[96];
};

/* An integer, a priority name, or {"name": n, "offset": k}.  Flowtables
 * take the netdev family's names ("filter" = 0). */
static int read_priority(const struct ft_decl *d, const struct linx_value *v,
			 int32_t *ret, struct linx_error *err)
{
	const struct linx_value *n, *o;
	int64_t i, off = 0;

	if (linx_value_get_i64(v, &i) && i >= INT32_MIN && i <= INT32_MAX) {
		*ret = (int32_t)i;
		return 0;
	}
	if (v->type == LINX_STRING &&
	    nft_priority_num(NFPROTO_NETDEV, v->str, ret))
		return 0;
	if (v->type == LINX_MAP) {
		n = linx_map_get(v, "name");
		o = linx_map_get(v, "offset");
		if (n && n->type == LINX_STRING &&
		    nft_priority_num(NFPROTO_NETDEV, n->str, ret) &&
		    (!o || (linx_value_get_i64(o, &off) && off >= -100000 &&
			    off <= 100000))) {
			*ret += (int32_t)off;
			return 0;
		}
	}
	return nft_bad(err, "bad_flowtable", d->object,
		       "priority: an integer, \"filter\" or {\"name\": "
		       "\"filter\", \"offset\": n}");
}

static int read_ft(uint8_t family, const char *table,
		   const struct linx_value *f, struct ft_decl *d,
		   struct linx_error *err)
{
	const struct linx_value *prio, *fl;
	const char *hook;
	bool has;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!f || f->type != LINX_MAP)
		return nft_bad(err, "bad_flowtable", NULL, "expected a map");
	rc = nft_get_str(f, "name", "bad_flowtable", NULL, &d->name, err);
	if (rc)
		return rc;
	if (!*d->name || strlen(d->name) >= NFT_NAME_MAXLEN)
		return nft_bad(err, "bad_flowtable", NULL, "name: 1..%d bytes",
			       NFT_NAME_MAXLEN - 1);
	snprintf(d->object, sizeof(d->object), "%s/%s/flowtable %s",
		 nft_sym_name(nft_families, family)
			 ? nft_sym_name(nft_families, family)
			 : "?",
		 table ? table : "?", d->name);
	rc = nft_get_str(f, "hook", "bad_flowtable", &has, &hook, err);
	if (rc)
		return nft_bad(err, "bad_flowtable", d->object,
			       "hook: expected a string");
	if (has && strcmp(hook, "ingress") != 0)
		return nft_bad(err, "bad_flowtable", d->object,
			       "hook: flowtables hook ingress only, not %s",
			       hook);
	prio = linx_map_get(f, "priority");
	if (prio && prio->type == LINX_NIL)
		prio = NULL;
	if (prio && (rc = read_priority(d, prio, &d->priority, err)))
		return rc;
	if (has != !!prio)
		return nft_bad(err, "bad_flowtable", d->object,
			       "hook and priority go together");
	d->has_hook = has;
	rc = nft_get_list(f, "devices", "bad_flowtable", &d->devices, err);
	if (rc)
		return nft_bad(err, "bad_flowtable", d->object,
			       "devices: expected a list of names");
	if (d->devices && d->devices->len > DEVICES_MAX)
		return nft_bad(err, "bad_flowtable", d->object,
			       "devices: at most %d", DEVICES_MAX);
	for (uint32_t i = 0; d->devices && i < d->devices->len; i++) {
		const struct linx_value *dv = &d->devices->items[i];

		if (dv->type != LINX_STRING || dv->len == 0 ||
		    dv->len >= IFNAMSIZ_NFT)
			return nft_bad(err, "bad_flowtable", d->object,
				       "devices: %u: an interface name of "
				       "1..15 bytes", i);
	}
	if (d->devices && d->devices->len && !d->has_hook)
		return nft_bad(err, "bad_flowtable", d->object,
			       "devices need hook and priority");
	fl = linx_map_get(f, "flags");
	if (nft_flags_from_value(flowtable_flags, fl, "bad_flowtable",
				 &d->flags, err))
		return nft_bad(err, "bad_flowtable", d->object,
			       "flags: hw_offload, counter");
	return 0;
}

int nft_flowtable_check(uint8_t family, const char *table,
			const struct linx_value *f, struct linx_error *err)
{
	struct ft_decl d;

	return read_ft(family, table, f, &d, err);
}

int nft_flowtable_put(struct nft_enc *e, const struct linx_value *f,
		      uint16_t flags)
{
	struct nft_msgbuf *b = &e->bt->buf;
	struct ft_decl d;
	size_t off, hook, devs;
	int rc = read_ft(e->family, e->table, f, &d, e->err);

	if (rc)
		return rc;
	off = nft_batch_msg(e->bt, NFT_MSG_NEWFLOWTABLE, NLM_F_CREATE | flags,
			    e->family, "newflowtable", "%s", d.object);
	nft_put_strz(b, NFTA_FLOWTABLE_TABLE, e->table);
	nft_put_strz(b, NFTA_FLOWTABLE_NAME, d.name);
	if (d.has_hook) {
		hook = nft_nest_begin(b, NFTA_FLOWTABLE_HOOK);
		nft_put_be32(b, NFTA_FLOWTABLE_HOOK_NUM, NF_NETDEV_INGRESS);
		nft_put_be32(b, NFTA_FLOWTABLE_HOOK_PRIORITY,
			     (uint32_t)d.priority);
		if (d.devices && d.devices->len) {
			devs = nft_nest_begin(b, NFTA_FLOWTABLE_HOOK_DEVS);
			for (uint32_t i = 0; i < d.devices->len; i++)
				nft_put_strz(b, NFTA_DEVICE_NAME,
					     d.devices->items[i].str);
			nft_nest_end(b, devs);
		}
		nft_nest_end(b, hook);
	}
	if (d.flags)
		nft_put_be32(b, NFTA_FLOWTABLE_FLAGS, d.flags);
	nft_msg_end(b, off);
	return b->error ? b->error : e->bt->error;
}

void nft_flowtable_put_delete(struct nft_batch *bt, uint8_t family,
			      const char *table, const char *name)
{
	size_t off = nft_batch_msg(
		bt, NFT_MSG_DELFLOWTABLE, 0, family, "delflowtable",
		"%s/%s/flowtable %s",
		nft_sym_name(nft_families, family)
			? nft_sym_name(nft_families, family)
			: "?",
		table, name);

	nft_put_strz(&bt->buf, NFTA_FLOWTABLE_TABLE, table);
	nft_put_strz(&bt->buf, NFTA_FLOWTABLE_NAME, name);
	nft_msg_end(&bt->buf, off);
}

int nft_flowtable_parse(const struct nlmsghdr *nlh, struct nft_where *w,
			struct linx_value *ret)
{
	static const struct linx_nl_policy pol[NFTA_FLOWTABLE_MAX + 1] = {
		[NFTA_FLOWTABLE_TABLE] = { LINX_NL_STRING, 0 },
		[NFTA_FLOWTABLE_NAME] = { LINX_NL_STRING, 0 },
		[NFTA_FLOWTABLE_HOOK] = { LINX_NL_NESTED, 0 },
		[NFTA_FLOWTABLE_USE] = { LINX_NL_U32, 0 },
		[NFTA_FLOWTABLE_HANDLE] = { LINX_NL_U64, 0 },
		[NFTA_FLOWTABLE_FLAGS] = { LINX_NL_U32, 0 },
	};
	static const struct linx_nl_policy hpol[NFTA_FLOWTABLE_HOOK_MAX + 1] = {
		[NFTA_FLOWTABLE_HOOK_NUM] = { LINX_NL_U32, 0 },
		[NFTA_FLOWTABLE_HOOK_PRIORITY] = { LINX_NL_U32, 0 },
		[NFTA_FLOWTABLE_HOOK_DEVS] = { LINX_NL_NESTED, 0 },
	};
	const struct nlattr *tb[NFTA_FLOWTABLE_MAX + 1];
	const struct nlattr *th[NFTA_FLOWTABLE_HOOK_MAX + 1], *a;
	const struct nfgenmsg *g;
	char name[NFT_NAME_MAXLEN];
	struct linx_value v;
	uint32_t flags;

	*ret = linx_value_nil();
	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), pol,
			      NFTA_FLOWTABLE_MAX, tb) < 0)
		return -EBADMSG;
	if (!tb[NFTA_FLOWTABLE_TABLE] || !tb[NFTA_FLOWTABLE_NAME])
		return -EBADMSG;
	g = mnl_nlmsg_get_payload(nlh);
	memset(w, 0, sizeof(*w));
	w->family = g->nfgen_family;
	linx_nl_str(tb[NFTA_FLOWTABLE_TABLE], w->table, sizeof(w->table));
	linx_nl_str(tb[NFTA_FLOWTABLE_NAME], name, sizeof(name));

	*ret = linx_value_map();
	linx_map_put_cstring(ret, "name", name);
	if (tb[NFTA_FLOWTABLE_HOOK]) {
		linx_nl_parse_nested(tb[NFTA_FLOWTABLE_HOOK], hpol,
				     NFTA_FLOWTABLE_HOOK_MAX, th);
		if (th[NFTA_FLOWTABLE_HOOK_NUM]) {
			uint32_t num =
				be32toh(linx_nl_u32(th[NFTA_FLOWTABLE_HOOK_NUM], 0));

			if (num == NF_NETDEV_INGRESS)
				linx_map_put_cstring(ret, "hook", "ingress");
			else
				linx_map_put_uint(ret, "hook", num);
		}
		if (th[NFTA_FLOWTABLE_HOOK_PRIORITY])
			linx_map_put_int(
				ret, "priority",
				(int32_t)be32toh(linx_nl_u32(
					th[NFTA_FLOWTABLE_HOOK_PRIORITY], 0)));
		if (th[NFTA_FLOWTABLE_HOOK_DEVS]) {
			v = linx_value_list();
			mnl_attr_for_each_nested(a,
						 th[NFTA_FLOWTABLE_HOOK_DEVS]) {
				char dev[IFNAMSIZ_NFT];

				if ((a->nla_type & NLA_TYPE_MASK) !=
					    NFTA_DEVICE_NAME ||
				    mnl_attr_get_payload_len(a) == 0)
					continue;
				linx_nl_str(a, dev, sizeof(dev));
				if (linx_utf8_valid(dev, strlen(dev)))
					linx_list_push_cstring(&v, dev);
			}
			linx_map_put(ret, "devices", &v);
		}
	}
	flags = be32toh(linx_nl_u32(tb[NFTA_FLOWTABLE_FLAGS], 0));
	if (flags) {
		nft_flags_to_value(flowtable_flags, flags, &v);
		linx_map_put(ret, "flags", &v);
	}
	if (tb[NFTA_FLOWTABLE_HANDLE])
		linx_map_put_uint(ret, "handle",
				  be64toh(linx_nl_u64(tb[NFTA_FLOWTABLE_HANDLE],
						      0)));
	return nft_built(ret);
}
