/* SPDX-License-Identifier: MIT */
/*
 * Single-object operations: create a table, delete any object, add or
 * delete some elements of a set.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nft-internal.h"

static int family_num(const char *family, const char *op, uint8_t *ret,
		      struct linx_error *err)
{
	int64_t f;

	if (!family || !nft_sym_val(nft_families, family, &f))
		return linx_error_param(err, op, "family",
					"family: ip, ip6, inet, arp, bridge or "
					"netdev");
	*ret = (uint8_t)f;
	return 0;
}

static int send_locked(struct linx_nft *s, struct nft_batch *bt,
		       struct linx_error *err)
{
	int r;

	pthread_mutex_lock(&s->lock);
	r = nft_batch_send(s, bt, NULL, err);
	pthread_mutex_unlock(&s->lock);
	return r;
}

int linx_nft_create_table(struct linx_nft *s, const char *family,
			  const char *name, const struct linx_value *flags,
			  struct linx_error *err)
{
	struct linx_value t = linx_value_map(), f = linx_value_nil();
	struct nft_batch bt;
	struct nft_enc e;
	uint8_t fam = 0;
	int r;

	if (!s)
		return linx_error_param(err, "create_table", "sock",
					"no socket");
	if ((r = family_num(family, "create_table", &fam, err)) < 0)
		return r;
	if (!name)
		return linx_error_param(err, "create_table", "name", "missing");
	linx_map_put_cstring(&t, "family", family);
	linx_map_put_cstring(&t, "name", name);
	if (flags && flags->type != LINX_NIL) {
		linx_value_copy(&f, flags);
		linx_map_put(&t, "flags", &f);
	}
	if ((r = nft_table_check(&t, &fam, 0, err)) < 0) {
		linx_value_clear(&t);
		return r;
	}
	nft_batch_init(&bt);
	e = (struct nft_enc){ .bt = &bt, .family = fam, .table = name,
			      .err = err };
	r = nft_table_put(&e, &t, NLM_F_EXCL);
	if (r == 0)
		r = send_locked(s, &bt, err);
	if (r < 0 && err && err->code) {
		snprintf(err->op, sizeof(err->op), "create_table");
		linx_error_object(err, name);
	}
	nft_batch_fini(&bt);
	linx_value_clear(&t);
	return r;
}

static const char *opt_str(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

int linx_nft_delete(struct linx_nft *s, const struct linx_value *what,
		    struct linx_error *err)
{
	const char *table, *chain, *set, *obj, *ft;
	const struct linx_value *h;
	struct nft_batch bt;
	uint64_t handle;
	uint8_t fam = 0;
	int r;

	if (!s)
		return linx_error_param(err, "delete", "sock", "no socket");
	if (!what || what->type != LINX_MAP)
		return linx_error_param(err, "delete", "what",
					"expected {family, table, ...}");
	if ((r = family_num(opt_str(what, "family"), "delete", &fam, err)) < 0)
		return r;
	if (!(table = opt_str(what, "table")))
		return linx_error_param(err, "delete", "table", "missing");
	chain = opt_str(what, "chain");
	set = opt_str(what, "set");
	obj = opt_str(what, "object");
	ft = opt_str(what, "flowtable");
	h = linx_map_get(what, "handle");
	if (!!chain + !!set + !!obj + !!ft > 1)
		return linx_error_param(err, "delete", "what",
					"name one object: chain (with handle "
					"for a rule), set, object or flowtable");
	nft_batch_init(&bt);
	if (h && h->type != LINX_NIL) {
		if (!chain || !linx_value_get_u64(h, &handle)) {
			nft_batch_fini(&bt);
			return linx_error_param(err, "delete", "handle",
						"a rule is named by chain and "
						"handle (an integer)");
		}
		nft_rule_put_delete(&bt, fam, table, chain, handle);
	} else if (chain)
		nft_chain_put_ref(&bt, NFT_MSG_DELCHAIN, fam, table, chain);
	else if (set)
		nft_set_put_delete(&bt, fam, table, set);
	else if (obj) {
		struct linx_value o = linx_value_map();

		if (!opt_str(what, "kind")) {
			nft_batch_fini(&bt);
			linx_value_clear(&o);
			return linx_error_param(err, "delete", "kind",
						"an object is named by kind "
						"and name");
		}
		linx_map_put_cstring(&o, "kind", opt_str(what, "kind"));
		linx_map_put_cstring(&o, "name", obj);
		nft_object_put_delete(&bt, fam, table, &o);
		linx_value_clear(&o);
	} else if (ft)
		nft_flowtable_put_delete(&bt, fam, table, ft);
	else
		nft_table_put_ref(&bt, NFT_MSG_DELTABLE, 0, fam, table);
	r = send_locked(s, &bt, err);
	nft_batch_fini(&bt);
	return r;
}

/* ---- elements of one set ------------------------------------------------ */

struct getset {
	struct linx_value set;
};

static int on_set(void *arg, const struct nlmsghdr *nlh)
{
	struct getset *g = arg;
	struct nft_where w;
	bool anon;

	if (nlh->nlmsg_type != NFT_TYPE(NFT_MSG_NEWSET))
		return 0;
	linx_value_clear(&g->set);
	return nft_set_parse(nlh, &w, &anon, &g->set) < 0 ? -EBADMSG : 0;
}

/* The declaration of one set (GETSET, not a dump). */
int nft_get_set_locked(struct linx_nft *s, uint8_t family, const char *table,
		       const char *set, struct linx_value *ret,
		       struct linx_error *err)
{
	struct getset g = { linx_value_nil() };
	struct linx_nl_result res;
	struct nft_msgbuf b;
	size_t off;
	int r;

	nft_msgbuf_init(&b);
	off = nft_msg_begin(&b, NFT_TYPE(NFT_MSG_GETSET), 0, 0, family, 0);
	nft_put_strz(&b, NFTA_SET_TABLE, table);
	nft_put_strz(&b, NFTA_SET_NAME, set);
	nft_msg_end(&b, off);
	if (b.error) {
		nft_msgbuf_fini(&b);
		return linx_error_set(err, ENOMEM, "getset", NULL);
	}
	r = linx_nl_request(&s->io, nft_msg_at(&b, off), on_set, NULL, &g, 0,
			    &res);
	nft_msgbuf_fini(&b);
	if (r < 0) {
		linx_value_clear(&g.set);
		r = nft_nl_error(&res, "getset", err);
		linx_error_object(err, set);
		return r;
	}
	*ret = g.set;
	return 0;
}

int linx_nft_set_elements(struct linx_nft *s, bool add, const char *family,
			  const char *table, const char *set,
			  const struct linx_value *elements,
			  struct linx_error *err)
{
	const char *op = add ? "newsetelem" : "delsetelem";
	struct linx_value decl = linx_value_nil();
	struct nft_batch bt;
	struct nft_enc e;
	uint8_t fam = 0;
	int r;

	if (!s)
		return linx_error_param(err, op, "sock", "no socket");
	if ((r = family_num(family, op, &fam, err)) < 0)
		return r;
	if (!table || !set)
		return linx_error_param(err, op, !table ? "table" : "set",
					"missing");
	if (!elements || elements->type != LINX_LIST)
		return linx_error_param(err, op, "elements",
					"expected a list");
	pthread_mutex_lock(&s->lock);
	r = nft_get_set_locked(s, fam, table, set, &decl, err);
	if (r == 0) {
		nft_batch_init(&bt);
		e = (struct nft_enc){ .bt = &bt, .family = fam, .table = table,
				      .err = err };
		r = nft_setelem_put(&e, &decl, elements,
				    add ? NFT_MSG_NEWSETELEM
					: NFT_MSG_DELSETELEM);
		if (r == 0)
			r = nft_batch_send(s, &bt, NULL, err);
		nft_batch_fini(&bt);
	}
	pthread_mutex_unlock(&s->lock);
	linx_value_clear(&decl);
	return r;
}
