/* SPDX-License-Identifier: MIT */
/*
 * One nf_tables notification into the monitor's event value
 * (docs/nft/monitor.md):
 *
 *   {"op": "new_rule", "gen": id, "proc_pid": n, "proc_name": s,
 *    "family": "inet", "table": s, "chain": s, "set": s,
 *    "entity": VALUE}
 *
 * The identity (family, table, chain, set, the handle) is read here from
 * the attributes every kind carries; "entity" is the object's value in
 * the schema of docs/nft/schema.md, from the object kinds' own decoders
 * (entity_full() is the one place that calls them), or, where one is
 * missing, the identity alone (entity_identity()).  Set elements need
 * their set's declaration to be typed: the monitor keeps the
 * declarations it sees in a cache and asks the kernel for the others.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-listen.h"

enum kind { K_TABLE, K_CHAIN, K_RULE, K_SET, K_SETELEM, K_OBJ, K_FLOWTABLE };

/* What one message type is, and where its identity lives. */
struct msg_desc {
	const char *op;
	enum kind kind;
	uint16_t a_table, a_name, a_handle;
	const char *name_key; /* top-level key of the name, or NULL */
};

static const struct msg_desc descs[] = {
#define T(m, op, k, t, n, h, key) [NFT_MSG_##m] = { op, k, t, n, h, key }
	T(NEWTABLE, "new_table", K_TABLE, NFTA_TABLE_NAME, 0, NFTA_TABLE_HANDLE,
	  NULL),
	T(DELTABLE, "del_table", K_TABLE, NFTA_TABLE_NAME, 0, NFTA_TABLE_HANDLE,
	  NULL),
	T(NEWCHAIN, "new_chain", K_CHAIN, NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME,
	  NFTA_CHAIN_HANDLE, "chain"),
	T(DELCHAIN, "del_chain", K_CHAIN, NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME,
	  NFTA_CHAIN_HANDLE, "chain"),
	T(NEWRULE, "new_rule", K_RULE, NFTA_RULE_TABLE, NFTA_RULE_CHAIN,
	  NFTA_RULE_HANDLE, "chain"),
	T(DELRULE, "del_rule", K_RULE, NFTA_RULE_TABLE, NFTA_RULE_CHAIN,
	  NFTA_RULE_HANDLE, "chain"),
	T(NEWSET, "new_set", K_SET, NFTA_SET_TABLE, NFTA_SET_NAME,
	  NFTA_SET_HANDLE, "set"),
	T(DELSET, "del_set", K_SET, NFTA_SET_TABLE, NFTA_SET_NAME,
	  NFTA_SET_HANDLE, "set"),
	T(NEWSETELEM, "new_set_element", K_SETELEM, NFTA_SET_ELEM_LIST_TABLE,
	  NFTA_SET_ELEM_LIST_SET, 0, "set"),
	T(DELSETELEM, "del_set_element", K_SETELEM, NFTA_SET_ELEM_LIST_TABLE,
	  NFTA_SET_ELEM_LIST_SET, 0, "set"),
	T(NEWOBJ, "new_obj", K_OBJ, NFTA_OBJ_TABLE, NFTA_OBJ_NAME,
	  NFTA_OBJ_HANDLE, NULL),
	T(DELOBJ, "del_obj", K_OBJ, NFTA_OBJ_TABLE, NFTA_OBJ_NAME,
	  NFTA_OBJ_HANDLE, NULL),
	T(NEWFLOWTABLE, "new_flowtable", K_FLOWTABLE, NFTA_FLOWTABLE_TABLE,
	  NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HANDLE, NULL),
	T(DELFLOWTABLE, "del_flowtable", K_FLOWTABLE, NFTA_FLOWTABLE_TABLE,
	  NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HANDLE, NULL),
#undef T
};

/* Attribute numbers of the identities are all below this. */
#define ID_MAX 31

int nft_put_text(struct linx_value *map, const char *key, const char *s,
		 size_t len)
{
	if (linx_utf8_valid(s, len))
		return linx_map_put_string(map, key, s, len);
	return linx_map_put_bytes(map, key, s, len);
}

static const char *const obj_kinds[] = {
	[NFT_OBJECT_COUNTER] = "counter",     [NFT_OBJECT_QUOTA] = "quota",
	[NFT_OBJECT_CT_HELPER] = "ct_helper", [NFT_OBJECT_LIMIT] = "limit",
	[NFT_OBJECT_CONNLIMIT] = "connlimit", [NFT_OBJECT_TUNNEL] = "tunnel",
	[NFT_OBJECT_CT_TIMEOUT] = "ct_timeout",
	[NFT_OBJECT_SECMARK] = "secmark",     [NFT_OBJECT_CT_EXPECT] = "ct_expect",
	[NFT_OBJECT_SYNPROXY] = "synproxy",
};

static void put_name(struct linx_value *map, const char *key, const char *s)
{
	nft_put_text(map, key, s, strlen(s));
}

/* ---- element messages ------------------------------------------------------ */

static const struct linx_nl_policy elist_pol[NFTA_SET_ELEM_LIST_MAX + 1] = {
	[NFTA_SET_ELEM_LIST_TABLE] = { LINX_NL_STRING, 0 },
	[NFTA_SET_ELEM_LIST_SET] = { LINX_NL_STRING, 0 },
	[NFTA_SET_ELEM_LIST_ELEMENTS] = { LINX_NL_NESTED, 0 },
};

/* The element list of an element message, or NULL. */
static const struct nlattr *elem_list(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];

	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), elist_pol,
			      NFTA_SET_ELEM_LIST_MAX, tb) < 0)
		return NULL;
	return tb[NFTA_SET_ELEM_LIST_ELEMENTS];
}

bool nft_setelem_same_run(const struct nlmsghdr *a, const struct nlmsghdr *b)
{
	const struct nlattr *ta[NFTA_SET_ELEM_LIST_MAX + 1];
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];
	const struct nfgenmsg *fa = linx_nl_msg_header(a, sizeof(*fa));
	const struct nfgenmsg *fb = linx_nl_msg_header(b, sizeof(*fb));
	uint8_t msg = a->nlmsg_type & 0xff;

	if (a->nlmsg_type != b->nlmsg_type || !fa || !fb ||
	    (a->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES ||
	    (msg != NFT_MSG_NEWSETELEM && msg != NFT_MSG_DELSETELEM) ||
	    fa->nfgen_family != fb->nfgen_family || fa->res_id != fb->res_id)
		return false;
	linx_nl_parse_msg(a, sizeof(*fa), elist_pol, NFTA_SET_ELEM_LIST_MAX, ta);
	linx_nl_parse_msg(b, sizeof(*fb), elist_pol, NFTA_SET_ELEM_LIST_MAX, tb);
	for (unsigned i = NFTA_SET_ELEM_LIST_TABLE; i <= NFTA_SET_ELEM_LIST_SET;
	     i++)
		if (!ta[i] || !tb[i] ||
		    strcmp(mnl_attr_get_str(ta[i]), mnl_attr_get_str(tb[i])))
			return false;
	return true;
}

/* Elements without the set's declaration: keys as the kernel's bytes,
 * interval ends marked. */
static int setelem_raw(const struct nlmsghdr *const *msgs, size_t n,
		       struct linx_value *ret)
{
	static const struct linx_nl_policy elem_pol[NFTA_SET_ELEM_FLAGS + 1] = {
		[NFTA_SET_ELEM_KEY] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_ELEM_FLAGS] = { LINX_NL_U32, 0 },
	};
	static const struct linx_nl_policy data_pol[NFTA_DATA_VALUE + 1] = {
		[NFTA_DATA_VALUE] = { LINX_NL_ANY, 0 },
	};
	struct linx_value elems = linx_value_list();

	for (size_t i = 0; i < n; i++) {
		const struct nlattr *list = elem_list(msgs[i]);
		const struct nlattr *a;

		for (a = list ? mnl_attr_get_payload(list) : NULL;
		     a && mnl_attr_ok(a, (int)((const char *)list +
					       mnl_attr_get_len(list) -
					       (const char *)a));
		     a = mnl_attr_next(a)) {
			const struct nlattr *et[NFTA_SET_ELEM_FLAGS + 1];
			const struct nlattr *dt[NFTA_DATA_VALUE + 1];
			const struct nlattr *k;
			struct linx_value e;

			if ((mnl_attr_get_type(a) & NLA_TYPE_MASK) !=
			    NFTA_LIST_ELEM)
				continue;
			linx_nl_parse_nested(a, elem_pol, NFTA_SET_ELEM_FLAGS,
					     et);
			e = linx_value_map();
			if (et[NFTA_SET_ELEM_KEY]) {
				linx_nl_parse_nested(et[NFTA_SET_ELEM_KEY],
						     data_pol, NFTA_DATA_VALUE,
						     dt);
				k = dt[NFTA_DATA_VALUE];
				if (k)
					linx_map_put_bytes(
						&e, "key",
						mnl_attr_get_payload(k),
						mnl_attr_get_payload_len(k));
			}
			if (be32toh(linx_nl_u32(et[NFTA_SET_ELEM_FLAGS], 0)) &
			    NFT_SET_ELEM_INTERVAL_END)
				linx_map_put_bool(&e, "end", true);
			linx_list_push(&elems, &e);
		}
	}
	*ret = linx_value_map();
	linx_map_put(ret, "elements", &elems);
	return linx_value_status(ret);
}

/* ---- the set cache ---------------------------------------------------------- */

static bool same_set(const struct nft_cset *c, const struct nft_where *w)
{
	return c->w.family == w->family && !strcmp(c->w.table, w->table) &&
	       !strcmp(c->w.set, w->set);
}

static struct nft_cset *cache_find(struct nft_setcache *c,
				   const struct nft_where *w)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (same_set(&c->a[i], w))
			return &c->a[i];
	return NULL;
}

static void cache_drop_at(struct nft_setcache *c, size_t i)
{
	linx_value_clear(&c->a[i].v);
	linx_value_clear(&c->a[i].elements);
	c->a[i] = c->a[--c->n];
}

/* Keep a copy of a set's declaration (replacing one of the same name). */
static void cache_put(struct nft_setcache *c, const struct nft_where *w,
		      bool anonymous, const struct linx_value *set)
{
	struct nft_cset *e = cache_find(c, w);

	if (e) {
		linx_value_clear(&e->v);
		linx_value_clear(&e->elements);
	} else {
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			struct nft_cset *a = realloc(c->a, cap * sizeof(*a));

			if (!a)
				return; /* a cache miss later, no more */
			c->a = a;
			c->cap = cap;
		}
		e = &c->a[c->n++];
	}
	e->w = *w;
	e->anonymous = anonymous;
	e->elements = linx_value_list();
	if (linx_value_copy(&e->v, set) < 0) {
		linx_value_clear(&e->elements);
		c->n--;
	}
}

static void cache_drop(struct nft_setcache *c, const struct nft_where *w,
		       bool whole_table)
{
	for (size_t i = 0; c && i < c->n;) {
		const struct nft_cset *e = &c->a[i];

		if (e->w.family == w->family && !strcmp(e->w.table, w->table) &&
		    (whole_table || !strcmp(e->w.set, w->set)))
			cache_drop_at(c, i);
		else
			i++;
	}
}

void nft_setcache_fini(struct nft_setcache *c)
{
	while (c->n)
		cache_drop_at(c, c->n - 1);
	free(c->a);
	c->a = NULL;
	c->cap = 0;
}

void nft_setcache_note(struct nft_setcache *c, const struct nlmsghdr *nlh)
{
	static const struct linx_nl_policy pol[NFTA_SET_NAME + 1] = {
		[NFTA_SET_TABLE] = { LINX_NL_STRING, 0 },
		[NFTA_SET_NAME] = { LINX_NL_STRING, 0 },
	};
	const struct nlattr *tb[NFTA_SET_NAME + 1];
	const struct nfgenmsg *nfg = linx_nl_msg_header(nlh, sizeof(*nfg));
	uint8_t msg = nlh->nlmsg_type & 0xff;
	struct nft_where w = { 0 };

	if (!c || !nfg ||
	    (msg != NFT_MSG_NEWSET && msg != NFT_MSG_DELSET &&
	     msg != NFT_MSG_DELTABLE))
		return;
	/* NFTA_TABLE_NAME and NFTA_SET_TABLE are both attribute 1. */
	linx_nl_parse_msg(nlh, sizeof(*nfg), pol, NFTA_SET_NAME, tb);
	w.family = nfg->nfgen_family;
	linx_nl_str(tb[NFTA_SET_TABLE], w.table, sizeof(w.table));
	linx_nl_str(tb[NFTA_SET_NAME], w.set, sizeof(w.set));
	cache_drop(c, &w, msg == NFT_MSG_DELTABLE);
}

/* The declaration of the set an element message is for: cached, else
 * asked of the kernel once.  NULL when unknown. */
static struct nft_cset *cache_get(struct nft_setcache *c,
				  const struct nft_where *w)
{
	struct nft_cset *e = cache_find(c, w);
	struct linx_value set;
	bool anonymous = false;
	int r;

	if (e || !c || c->no_decoder || !c->lookup)
		return e;
	r = c->lookup(c->arg, w, &anonymous, &set);
	if (r == -EOPNOTSUPP)
		c->no_decoder = true;
	if (r < 0)
		return NULL;
	cache_put(c, w, anonymous, &set);
	linx_value_clear(&set);
	return cache_find(c, w);
}

/* nft_dec's view of the anonymous sets: the cached declaration with the
 * elements seen so far (they come in the same commit, before the rule
 * that uses them). */
static const struct linx_value *anon_set(const struct nft_dec *d,
					 const char *name)
{
	struct nft_where w = { .family = d->family };
	struct nft_cset *e;
	struct linx_value copy;

	snprintf(w.table, sizeof(w.table), "%s", d->table ? d->table : "");
	snprintf(w.set, sizeof(w.set), "%s", name);
	e = cache_find(d->arg, &w);
	if (!e || !e->anonymous)
		return NULL;
	if (linx_value_copy(&copy, &e->elements) < 0 ||
	    linx_map_put(&e->v, "elements", &copy) < 0)
		return NULL;
	return &e->v;
}

/* ---- the entity ---------------------------------------------------------- */

static int setelem_decode(const struct nlmsghdr *const *msgs, size_t n,
			  struct nft_where *w, struct nft_setcache *c,
			  struct linx_value *ret)
{
	struct nft_cset *e = cache_get(c, w);
	struct linx_value elems = linx_value_list();
	struct nft_where w2;
	int r = 0;

	if (!e)
		return -EOPNOTSUPP;
	for (size_t i = 0; i < n && r >= 0; i++)
		r = nft_setelem_parse(msgs[i], &e->v, &w2, &elems);
	if (r < 0) {
		linx_value_clear(&elems);
		return r;
	}
	/* The kernel notifies each element in its own message, an
	 * interval's start and end apart: the run of messages of one set
	 * in one commit is merged as a whole. */
	(void)nft_setelem_merge(&e->v, &elems);
	if (e->anonymous &&
	    (msgs[0]->nlmsg_type & 0xff) == NFT_MSG_NEWSETELEM) {
		for (uint32_t i = 0; i < elems.len; i++) {
			struct linx_value copy;

			if (linx_value_copy(&copy, &elems.items[i]) == 0)
				linx_list_push(&e->elements, &copy);
		}
	}
	*ret = linx_value_map();
	linx_map_put(ret, "elements", &elems);
	return linx_value_status(ret);
}

/*
 * The entity through the object kinds' decoders (table.c ...), keeping
 * the set cache current.  -EOPNOTSUPP when a decoder is not there (or
 * the set of an element is unknown): the caller falls back to the
 * identity; other errors mean a message the decoder refused.
 */
static int entity_full(const struct nlmsghdr *const *msgs, size_t n,
		       enum kind k, struct nft_where *w,
		       struct nft_setcache *c, struct linx_value *ret)
{
	const struct nlmsghdr *nlh = msgs[0];
	bool del = (nlh->nlmsg_type & 0xff) == NFT_MSG_DELTABLE ||
		   (nlh->nlmsg_type & 0xff) == NFT_MSG_DELSET;
	struct nft_dec dec = { .family = w->family, .table = w->table,
			       .anon_set = c ? anon_set : NULL, .arg = c };
	struct nft_where w2;
	bool anonymous = false;
	int r;

	switch (k) {
	case K_TABLE:
		if (del)
			cache_drop(c, w, true);
		return nft_table_parse(nlh, &w2, ret);
	case K_CHAIN:
		return nft_chain_parse(nlh, &w2, ret);
	case K_RULE:
		return nft_rule_parse(&dec, nlh, &w2, ret);
	case K_SET:
		if (del)
			cache_drop(c, w, false);
		r = nft_set_parse(nlh, &w2, &anonymous, ret);
		if (r == -EOPNOTSUPP && c)
			c->no_decoder = true;
		if (r == 0 && !del && c)
			cache_put(c, w, anonymous, ret);
		return r;
	case K_SETELEM:
		return setelem_decode(msgs, n, w, c, ret);
	case K_OBJ:
		return nft_object_parse(nlh, &w2, ret);
	case K_FLOWTABLE:
		return nft_flowtable_parse(nlh, &w2, ret);
	}
	return -EOPNOTSUPP;
}

/* The identity and the few fields every kind shares: what an event
 * carries when the full decoder is not available. */
static int entity_identity(const struct nlmsghdr *const *msgs, size_t n,
			   enum kind k, const struct msg_desc *d,
			   const struct nlattr **tb, const struct nft_where *w,
			   struct linx_value *ret)
{
	if (k == K_SETELEM)
		return setelem_raw(msgs, n, ret);
	*ret = linx_value_map();
	if (k == K_TABLE)
		put_name(ret, "name", w->table);
	else if (k == K_CHAIN)
		put_name(ret, "name", w->chain);
	else if (k == K_SET)
		put_name(ret, "name", w->set);
	else if (d->a_name && tb[d->a_name])
		put_name(ret, "name", mnl_attr_get_str(tb[d->a_name]));
	if (d->a_handle && tb[d->a_handle])
		linx_map_put_uint(ret, "handle",
				  be64toh(linx_nl_u64(tb[d->a_handle], 0)));
	if (k == K_TABLE && tb[NFTA_TABLE_FLAGS]) {
		struct linx_value flags;

		nft_flags_to_value(nft_table_flags,
				   be32toh(linx_nl_u32(tb[NFTA_TABLE_FLAGS], 0)),
				   &flags);
		linx_map_put(ret, "flags", &flags);
	}
	if (k == K_OBJ && tb[NFTA_OBJ_TYPE]) {
		uint32_t t = be32toh(linx_nl_u32(tb[NFTA_OBJ_TYPE], 0));

		if (t < NFT_ARRAY_SIZE(obj_kinds) && obj_kinds[t])
			linx_map_put_cstring(ret, "kind", obj_kinds[t]);
		else
			linx_map_put_uint(ret, "kind", t);
	}
	return linx_value_status(ret);
}

/* ---- the event ----------------------------------------------------------- */

static int put_stamp(struct linx_value *ev, const uint32_t *gen,
		     const uint32_t *pid, const char *name)
{
	if (gen)
		linx_map_put_uint(ev, "gen", *gen);
	else
		linx_map_put_nil(ev, "gen");
	if (pid)
		linx_map_put_uint(ev, "proc_pid", *pid);
	else
		linx_map_put_nil(ev, "proc_pid");
	if (name)
		nft_put_text(ev, "proc_name", name, strlen(name));
	else
		linx_map_put_nil(ev, "proc_name");
	return linx_value_status(ev);
}

static void put_family(struct linx_value *ev, uint8_t family)
{
	const char *f = nft_sym_name(nft_families, family);

	if (f)
		linx_map_put_cstring(ev, "family", f);
	else
		linx_map_put_uint(ev, "family", family);
}

/* The message's attributes as bytes: what a consumer gets for a kind or
 * a shape this decoder does not know. */
static void put_raw(struct linx_value *ev, const struct nlmsghdr *nlh)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nfgenmsg));

	if (nlh->nlmsg_len > off)
		linx_map_put_bytes(ev, "entity", (const char *)nlh + off,
				   nlh->nlmsg_len - off);
	else
		linx_map_put_bytes(ev, "entity", "", 0);
}

static int gen_event(const uint32_t *gen, const uint32_t *pid,
		     const char *name, struct linx_value *ev)
{
	struct linx_value e = linx_value_map();

	linx_map_put_cstring(ev, "op", "new_gen");
	put_stamp(ev, gen, pid, name);
	/* The spec's shape: %{id, proc_pid, proc_name}. */
	if (gen)
		linx_map_put_uint(&e, "id", *gen);
	else
		linx_map_put_nil(&e, "id");
	if (pid)
		linx_map_put_uint(&e, "proc_pid", *pid);
	else
		linx_map_put_nil(&e, "proc_pid");
	if (name)
		nft_put_text(&e, "proc_name", name, strlen(name));
	else
		linx_map_put_nil(&e, "proc_name");
	linx_map_put(ev, "entity", &e);
	return linx_value_status(ev);
}

int nft_event_build(const struct nlmsghdr *const *msgs, size_t n,
		    const uint32_t *gen, const uint32_t *pid, const char *name,
		    struct nft_setcache *cache, struct linx_value *ret)
{
	const struct nlmsghdr *nlh = msgs[0];
	struct linx_nl_policy pol[ID_MAX + 1];
	const struct nlattr *tb[ID_MAX + 1];
	const struct nfgenmsg *nfg;
	const struct msg_desc *d = NULL;
	struct nft_where w;
	struct linx_value ent;
	uint8_t msg = nlh->nlmsg_type & 0xff;
	int r;

	*ret = linx_value_map();
	if (msg == NFT_MSG_NEWGEN) {
		r = gen_event(gen, pid, name, ret);
		goto out;
	}
	if (msg < NFT_ARRAY_SIZE(descs) && descs[msg].op)
		d = &descs[msg];
	nfg = linx_nl_msg_header(nlh, sizeof(*nfg));
	if (!d || !nfg) {
		linx_map_put_cstring(ret, "op", "unknown");
		linx_map_put_uint(ret, "type", msg);
		put_stamp(ret, gen, pid, name);
		if (nfg)
			put_family(ret, nfg->nfgen_family);
		put_raw(ret, nlh);
		r = linx_value_status(ret);
		goto out;
	}
	linx_map_put_cstring(ret, "op", d->op);
	put_stamp(ret, gen, pid, name);
	put_family(ret, nfg->nfgen_family);

	memset(pol, 0, sizeof(pol));
	pol[d->a_table].kind = LINX_NL_STRING;
	if (d->a_name)
		pol[d->a_name].kind = LINX_NL_STRING;
	if (d->a_handle)
		pol[d->a_handle].kind = LINX_NL_U64;
	if (d->kind == K_TABLE)
		pol[NFTA_TABLE_FLAGS].kind = LINX_NL_U32;
	if (d->kind == K_SET)
		pol[NFTA_SET_FLAGS].kind = LINX_NL_U32;
	if (d->kind == K_OBJ)
		pol[NFTA_OBJ_TYPE].kind = LINX_NL_U32;
	if (d->kind == K_SETELEM)
		pol[NFTA_SET_ELEM_LIST_ELEMENTS].kind = LINX_NL_NESTED;
	pol[0].kind = LINX_NL_NONE;
	linx_nl_parse_msg(nlh, sizeof(*nfg), pol, ID_MAX, tb);

	memset(&w, 0, sizeof(w));
	w.family = nfg->nfgen_family;
	linx_nl_str(tb[d->a_table], w.table, sizeof(w.table));
	if (d->kind == K_CHAIN || d->kind == K_RULE)
		linx_nl_str(tb[d->a_name], w.chain, sizeof(w.chain));
	if (d->kind == K_SET || d->kind == K_SETELEM)
		linx_nl_str(tb[d->a_name], w.set, sizeof(w.set));
	if (tb[d->a_table])
		put_name(ret, "table", w.table);
	if (d->name_key && tb[d->a_name])
		put_name(ret, d->name_key,
				     d->kind == K_SET || d->kind == K_SETELEM
					     ? w.set
					     : w.chain);
	if (d->kind == K_SET && tb[NFTA_SET_FLAGS] &&
	    (be32toh(linx_nl_u32(tb[NFTA_SET_FLAGS], 0)) & NFT_SET_ANONYMOUS))
		linx_map_put_bool(ret, "anonymous", true);

	ent = linx_value_nil();
	if (d->kind != K_SETELEM)
		n = 1; /* only element messages come in runs */
	r = entity_full(msgs, n, d->kind, &w, cache, &ent);
	if (r == -EOPNOTSUPP) {
		linx_value_clear(&ent);
		r = entity_identity(msgs, n, d->kind, d, tb, &w, &ent);
	}
	if (r == -ENOMEM) {
		linx_value_clear(&ent);
		goto out;
	}
	if (r < 0) {
		linx_value_clear(&ent);
		put_raw(ret, nlh);
	} else {
		linx_map_put(ret, "entity", &ent);
	}
	r = linx_value_status(ret);
out:
	if (r < 0) {
		linx_value_clear(ret);
		return r == -EINVAL ? -EINVAL : -ENOMEM;
	}
	return 0;
}
