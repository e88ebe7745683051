/* SPDX-License-Identifier: MIT */
/*
 * Chains: the shape and family rules of base and regular chains, the
 * NEWCHAIN message and the decoder.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnftnl/udata.h>

#include "nft-internal.h"

#ifndef NFTA_HOOK_DEVS
#define NFTA_HOOK_DEVS 4
#endif

/* A priority value: an integer, a name ("filter"), "name+N" / "name-N",
 * or {"name": s, "offset": n}.  Names resolve per family. */
int nft_priority_from_value(uint8_t family, const struct linx_value *v,
			    const char *what, const char *object,
			    int32_t *ret, struct linx_error *err)
{
	char name[32];
	const char *s = NULL;
	int64_t i, off = 0;
	int32_t base;

	if (linx_value_get_i64(v, &i)) {
		if (i < INT32_MIN || i > INT32_MAX)
			return nft_bad(err, what, object,
				       "priority: out of range");
		*ret = (int32_t)i;
		return 0;
	}
	if (v->type == LINX_MAP) {
		const struct linx_value *n = linx_map_get(v, "name");
		const struct linx_value *o = linx_map_get(v, "offset");

		if (!n || n->type != LINX_STRING ||
		    (o && !linx_value_get_i64(o, &off)))
			return nft_bad(err, what, object,
				       "priority: expected {name, offset}");
		s = n->str;
		snprintf(name, sizeof(name), "%s", s);
	} else if (v->type == LINX_STRING) {
		size_t n = strcspn(v->str, "+-");
		char *end;

		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, v->str, n);
		name[n] = 0;
		while (n > 0 && name[n - 1] == ' ')
			name[--n] = 0;
		if (v->str[strcspn(v->str, "+-")]) {
			const char *p = v->str + strcspn(v->str, "+-");

			errno = 0;
			off = strtoll(p, &end, 10);
			if (errno || *end)
				return nft_bad(err, what, object,
					       "priority: bad offset in %s",
					       v->str);
		}
	} else
		return nft_bad(err, what, object,
			       "priority: expected an integer or a name");
	if (!nft_priority_num(family, name, &base))
		return nft_bad(err, what, object,
			       "priority: unknown name %s for family %s", name,
			       nft_sym_name(nft_families, family));
	if (off < INT32_MIN - (int64_t)base || off > INT32_MAX - (int64_t)base)
		return nft_bad(err, what, object, "priority: out of range");
	*ret = base + (int32_t)off;
	return 0;
}

static bool hook_allowed(uint8_t family, const char *type, const char *hook)
{
	static const char *const nat_hooks[] = { "prerouting", "input",
						 "output", "postrouting",
						 NULL };
	if (strcmp(type, "nat") == 0) {
		if (family != NFPROTO_IPV4 && family != NFPROTO_IPV6 &&
		    family != NFPROTO_INET)
			return false;
		for (const char *const *h = nat_hooks; *h; h++)
			if (strcmp(*h, hook) == 0)
				return true;
		return false;
	}
	if (strcmp(type, "route") == 0)
		/* The spec says ip and ip6; the kernel also has an inet
		 * route type (nft_chain_route.c). */
		return (family == NFPROTO_IPV4 || family == NFPROTO_IPV6 ||
			family == NFPROTO_INET) &&
		       strcmp(hook, "output") == 0;
	return true;
}

static int check_rules(uint8_t family, const char *table, const char *obj,
		       const struct linx_value *rules, bool exprs,
		       struct linx_error *err)
{
	struct nft_enc e = {
		.family = family, .table = table, .err = err,
		.no_exprs = !exprs,
	};
	struct nft_strset tags;
	int r = 0;

	if (!rules || rules->len == 0)
		return 0;
	if (nft_strset_init(&tags, rules->len) < 0)
		return linx_error_set(err, ENOMEM, "bad_rule", NULL);
	for (uint32_t i = 0; i < rules->len && r == 0; i++) {
		const struct linx_value *rule = &rules->items[i];
		const struct linx_value *tag;

		if ((r = nft_rule_check(&e, obj, rule)) < 0)
			break;
		tag = linx_map_get(rule, "tag");
		if (tag && tag->type == LINX_STRING &&
		    nft_strset_add(&tags, tag->str) == 0)
			r = nft_bad(err, "bad_rule", obj, "duplicate_tag: %s",
				    tag->str);
	}
	nft_strset_fini(&tags);
	return r;
}

int nft_chain_check(uint8_t family, const char *table,
		    const struct linx_value *c, unsigned check,
		    struct linx_error *err)
{
	const char *name, *type = NULL, *hook = NULL, *policy = NULL, *comment;
	const struct linx_value *prio, *rules, *devs;
	bool has_type, has_hook, has_policy, has_comment, has_dev;
	const char *dev;
	char obj[NFT_TABLE_MAXNAMELEN + NFT_CHAIN_MAXNAMELEN + 16];
	uint32_t flags, hooknum;
	int32_t p;
	int r;

	if (!c || c->type != LINX_MAP)
		return nft_bad(err, "bad_chain", table, "expected a map");
	if ((r = nft_name_check(c, "bad_chain", NFT_CHAIN_MAXNAMELEN, &name,
				err)) < 0)
		return r;
	snprintf(obj, sizeof(obj), "%s/%s/%s",
		 nft_sym_name(nft_families, family), table, name);
	if ((r = nft_get_str(c, "type", "bad_chain", &has_type, &type, err)) <
		    0 ||
	    (r = nft_get_str(c, "hook", "bad_chain", &has_hook, &hook, err)) <
		    0 ||
	    (r = nft_get_str(c, "policy", "bad_chain", &has_policy, &policy,
			     err)) < 0 ||
	    (r = nft_get_str(c, "comment", "bad_chain", &has_comment, &comment,
			     err)) < 0 ||
	    (r = nft_get_str(c, "device", "bad_chain", &has_dev, &dev, err)) <
		    0 ||
	    (r = nft_get_list(c, "devices", "bad_chain", &devs, err)) < 0 ||
	    (r = nft_get_list(c, "rules", "bad_chain", &rules, err)) < 0 ||
	    (r = nft_flags_from_value(nft_chain_flags, linx_map_get(c, "flags"),
				      "bad_chain", &flags, err)) < 0)
		return linx_error_object(err, obj);
	prio = linx_map_get(c, "priority");
	if (prio && prio->type == LINX_NIL)
		prio = NULL;
	if (has_type || has_hook || prio) {
		int64_t t;

		if (!has_type || !has_hook || !prio)
			return nft_bad(err, "bad_chain", obj,
				       "incomplete_base_chain: a base chain "
				       "needs type, hook and priority");
		if (!nft_sym_val(nft_chain_types, type, &t))
			return nft_bad(err, "bad_chain", obj,
				       "unknown_type: %s", type);
		if (!nft_hook_num(family, hook, &hooknum))
			return nft_bad(err, "bad_chain", obj,
				       "hook_not_valid_for_family: %s in %s",
				       hook,
				       nft_sym_name(nft_families, family));
		if (!hook_allowed(family, type, hook))
			return nft_bad(err, "bad_chain", obj,
				       "type_not_valid_for_family: %s %s in "
				       "%s",
				       type, hook,
				       nft_sym_name(nft_families, family));
		if ((strcmp(hook, "ingress") == 0 ||
		     strcmp(hook, "egress") == 0) &&
		    !has_dev && (!devs || devs->len == 0))
			return nft_bad(err, "bad_chain", obj,
				       "device_required_for_hook: %s", hook);
		if ((r = nft_priority_from_value(family, prio, "bad_chain",
						 obj, &p, err)) < 0)
			return r;
	} else if (has_policy || has_dev || devs)
		return nft_bad(err, "bad_chain", obj,
			       "%s: only base chains have one",
			       has_policy ? "policy" : "device");
	if (has_policy && strcmp(policy, "accept") != 0 &&
	    strcmp(policy, "drop") != 0)
		return nft_bad(err, "bad_chain", obj,
			       "policy: expected accept or drop, got %s",
			       policy);
	if (has_dev && devs)
		return nft_bad(err, "bad_chain", obj,
			       "device: give device or devices, not both");
	for (uint32_t i = 0; devs && i < devs->len; i++)
		if (devs->items[i].type != LINX_STRING ||
		    devs->items[i].len == 0 || devs->items[i].len >= 16)
			return nft_bad(err, "bad_chain", obj,
				       "devices: expected interface names");
	if (has_dev && (strlen(dev) == 0 || strlen(dev) >= 16))
		return nft_bad(err, "bad_chain", obj,
			       "device: expected an interface name");
	if (has_comment &&
	    (r = nft_comment_check(comment, "bad_chain", obj, err)) < 0)
		return r;
	return check_rules(family, table, obj, rules,
			   !(check & NFT_CHECK_NO_EXPRS), err);
}

int nft_chain_put(struct nft_enc *e, const struct linx_value *c,
		  uint16_t flags)
{
	struct nft_msgbuf *b = &e->bt->buf;
	const struct linx_value *v;
	const char *name = linx_map_get(c, "name")->str;
	uint32_t cflags = 0;
	size_t off;

	off = nft_batch_msg(e->bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE | flags,
			    e->family, "newchain", "%s/%s/%s",
			    nft_sym_name(nft_families, e->family), e->table,
			    name);
	nft_put_strz(b, NFTA_CHAIN_TABLE, e->table);
	nft_put_strz(b, NFTA_CHAIN_NAME, name);
	v = linx_map_get(c, "hook");
	if (v && v->type == LINX_STRING) {
		const struct linx_value *dev = linx_map_get(c, "device");
		const struct linx_value *devs = linx_map_get(c, "devices");
		uint32_t hooknum = 0;
		int32_t prio = 0;
		size_t nest;

		nft_hook_num(e->family, v->str, &hooknum);
		nft_priority_from_value(e->family, linx_map_get(c, "priority"),
					"bad_chain", NULL, &prio, e->err);
		nest = nft_nest_begin(b, NFTA_CHAIN_HOOK);
		nft_put_be32(b, NFTA_HOOK_HOOKNUM, hooknum);
		nft_put_be32(b, NFTA_HOOK_PRIORITY, (uint32_t)prio);
		if (dev && dev->type == LINX_STRING)
			nft_put_strz(b, NFTA_HOOK_DEV, dev->str);
		else if (devs && devs->type == LINX_LIST && devs->len == 1)
			nft_put_strz(b, NFTA_HOOK_DEV, devs->items[0].str);
		else if (devs && devs->type == LINX_LIST) {
			size_t dn = nft_nest_begin(b, NFTA_HOOK_DEVS);

			for (uint32_t i = 0; i < devs->len; i++)
				nft_put_strz(b, NFTA_DEVICE_NAME,
					     devs->items[i].str);
			nft_nest_end(b, dn);
		}
		nft_nest_end(b, nest);
		nft_put_strz(b, NFTA_CHAIN_TYPE,
			     linx_map_get(c, "type")->str);
		v = linx_map_get(c, "policy");
		if (v && v->type == LINX_STRING)
			nft_put_be32(b, NFTA_CHAIN_POLICY,
				     strcmp(v->str, "drop") == 0 ? NF_DROP
								 : NF_ACCEPT);
	}
	nft_flags_from_value(nft_chain_flags, linx_map_get(c, "flags"),
			     "bad_chain", &cflags, e->err);
	if (cflags)
		nft_put_be32(b, NFTA_CHAIN_FLAGS, cflags);
	v = linx_map_get(c, "comment");
	if (v && v->type == LINX_STRING)
		nft_put_comment(b, NFTA_CHAIN_USERDATA,
				NFTNL_UDATA_CHAIN_COMMENT, v->str);
	nft_msg_end(b, off);
	return 0;
}

/* A message naming one chain (DELCHAIN). */
void nft_chain_put_ref(struct nft_batch *bt, uint16_t msg, uint8_t family,
		       const char *table, const char *chain)
{
	size_t off = nft_batch_msg(bt, msg, 0, family, "delchain",
				   "%s/%s/%s",
				   nft_sym_name(nft_families, family), table,
				   chain);

	nft_put_strz(&bt->buf, NFTA_CHAIN_TABLE, table);
	nft_put_strz(&bt->buf, NFTA_CHAIN_NAME, chain);
	nft_msg_end(&bt->buf, off);
}

static const struct linx_nl_policy chain_policy[NFTA_CHAIN_MAX + 1] = {
	[NFTA_CHAIN_TABLE] = { LINX_NL_STRING, 0 },
	[NFTA_CHAIN_HANDLE] = { LINX_NL_U64, 0 },
	[NFTA_CHAIN_NAME] = { LINX_NL_STRING, 0 },
	[NFTA_CHAIN_HOOK] = { LINX_NL_NESTED, 0 },
	[NFTA_CHAIN_POLICY] = { LINX_NL_U32, 0 },
	[NFTA_CHAIN_USE] = { LINX_NL_U32, 0 },
	[NFTA_CHAIN_TYPE] = { LINX_NL_STRING, 0 },
	[NFTA_CHAIN_FLAGS] = { LINX_NL_U32, 0 },
	[NFTA_CHAIN_USERDATA] = { LINX_NL_ANY, 0 },
};

static const struct linx_nl_policy hook_policy[NFTA_HOOK_MAX + 1] = {
	[NFTA_HOOK_HOOKNUM] = { LINX_NL_U32, 0 },
	[NFTA_HOOK_PRIORITY] = { LINX_NL_U32, 0 },
	[NFTA_HOOK_DEV] = { LINX_NL_STRING, 0 },
	[NFTA_HOOK_DEVS] = { LINX_NL_NESTED, 0 },
};

static int parse_hook(uint8_t family, const struct nlattr *nest,
		      struct linx_value *ret)
{
	const struct nlattr *tb[NFTA_HOOK_MAX + 1];
	char dev[64];
	uint32_t num;
	const char *h;

	if (linx_nl_parse_nested(nest, hook_policy, NFTA_HOOK_MAX, tb) < 0 ||
	    !tb[NFTA_HOOK_HOOKNUM])
		return -EBADMSG;
	num = be32toh(linx_nl_u32(tb[NFTA_HOOK_HOOKNUM], 0));
	h = nft_hook_name(family, num);
	if (h)
		linx_map_put_cstring(ret, "hook", h);
	else
		linx_map_put_uint(ret, "hook", num);
	linx_map_put_int(ret, "priority",
			 (int32_t)be32toh(linx_nl_u32(tb[NFTA_HOOK_PRIORITY],
						      0)));
	if (tb[NFTA_HOOK_DEVS]) {
		struct linx_value devs = linx_value_list();
		const struct nlattr *a;

		mnl_attr_for_each_nested(a, tb[NFTA_HOOK_DEVS])
		{
			if ((mnl_attr_get_type(a) & NLA_TYPE_MASK) !=
			    NFTA_DEVICE_NAME)
				continue;
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
				continue;
			linx_list_push_cstring(&devs, mnl_attr_get_str(a));
		}
		linx_map_put(ret, "devices", &devs);
	} else if (tb[NFTA_HOOK_DEV]) {
		linx_nl_str(tb[NFTA_HOOK_DEV], dev, sizeof(dev));
		linx_map_put_cstring(ret, "device", dev);
	}
	return 0;
}

int nft_chain_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		    struct linx_value *ret)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1];
	const struct nfgenmsg *g = linx_nl_msg_header(nlh, sizeof(*g));
	char buf[NFT_CHAIN_MAXNAMELEN];
	char comment[NFTNL_UDATA_COMMENT_MAXLEN + 1];
	uint32_t fl;

	*ret = linx_value_nil();
	if (!g || linx_nl_parse_msg(nlh, sizeof(*g), chain_policy,
				    NFTA_CHAIN_MAX, tb) < 0 ||
	    !tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME])
		return -EBADMSG;
	memset(w, 0, sizeof(*w));
	w->family = g->nfgen_family;
	linx_nl_str(tb[NFTA_CHAIN_TABLE], w->table, sizeof(w->table));
	linx_nl_str(tb[NFTA_CHAIN_NAME], w->chain, sizeof(w->chain));
	*ret = linx_value_map();
	linx_map_put_cstring(ret, "name", w->chain);
	if (tb[NFTA_CHAIN_TYPE]) {
		linx_nl_str(tb[NFTA_CHAIN_TYPE], buf, sizeof(buf));
		linx_map_put_cstring(ret, "type", buf);
	}
	if (tb[NFTA_CHAIN_HOOK] &&
	    parse_hook(w->family, tb[NFTA_CHAIN_HOOK], ret) < 0) {
		linx_value_clear(ret);
		return -EBADMSG;
	}
	if (tb[NFTA_CHAIN_POLICY] && tb[NFTA_CHAIN_HOOK]) {
		uint32_t p = be32toh(linx_nl_u32(tb[NFTA_CHAIN_POLICY], 0));

		if (p == NF_DROP)
			linx_map_put_cstring(ret, "policy", "drop");
		else if (p == NF_ACCEPT)
			linx_map_put_cstring(ret, "policy", "accept");
		else
			linx_map_put_uint(ret, "policy", p);
	}
	/* The kernel reports NFT_CHAIN_BASE and NFT_CHAIN_BINDING too; only
	 * what a user sets is kept. */
	fl = be32toh(linx_nl_u32(tb[NFTA_CHAIN_FLAGS], 0)) &
	     NFT_CHAIN_HW_OFFLOAD;
	if (fl) {
		struct linx_value flags;

		nft_flags_to_value(nft_chain_flags, fl, &flags);
		linx_map_put(ret, "flags", &flags);
	}
	if (nft_comment_parse(tb[NFTA_CHAIN_USERDATA],
			      NFTNL_UDATA_CHAIN_COMMENT, comment,
			      sizeof(comment)))
		linx_map_put_cstring(ret, "comment", comment);
	if (tb[NFTA_CHAIN_HANDLE])
		linx_map_put_uint(ret, "handle",
				  be64toh(linx_nl_u64(tb[NFTA_CHAIN_HANDLE], 0)));
	return nft_built(ret);
}
