/* SPDX-License-Identifier: MIT */
/* TEMPORARY: stand-ins until expr.c, verdict.c, set.c, data.c, object.c
 * and flowtable.c land.  Only verdict-only rules and empty tables. */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "nft-internal.h"

int nft_verdict_check(const struct linx_value *v, struct linx_error *err)
{
	int64_t c;

	if (v && v->type == LINX_STRING && nft_sym_val(nft_verdicts, v->str, &c))
		return 0;
	return nft_bad(err, "bad_verdict", NULL, "pending");
}

int nft_exprs_check(const struct nft_enc *e, const struct linx_value *exprs)
{
	for (uint32_t i = 0; i < exprs->len; i++)
		if (nft_verdict_check(&exprs->items[i], e->err) < 0)
			return -EINVAL;
	return 0;
}

int nft_exprs_emit_anon_sets(struct nft_enc *e, const struct linx_value *exprs,
			     uint32_t *ids, size_t max)
{
	(void)e, (void)exprs, (void)ids, (void)max;
	return 0;
}

int nft_exprs_put(struct nft_enc *e, const struct linx_value *exprs,
		  const uint32_t *ids, size_t n_ids)
{
	struct nft_msgbuf *b = &e->bt->buf;
	size_t list = nft_nest_begin(b, NFTA_RULE_EXPRESSIONS);

	(void)ids, (void)n_ids;
	for (uint32_t i = 0; i < exprs->len; i++) {
		int64_t code = 0;
		size_t el = nft_nest_begin(b, NFTA_LIST_ELEM), data, d, v;

		nft_sym_val(nft_verdicts, exprs->items[i].str, &code);
		nft_put_strz(b, NFTA_EXPR_NAME, "immediate");
		data = nft_nest_begin(b, NFTA_EXPR_DATA);
		nft_put_be32(b, NFTA_IMMEDIATE_DREG, 0);
		d = nft_nest_begin(b, NFTA_IMMEDIATE_DATA);
		v = nft_nest_begin(b, NFTA_DATA_VERDICT);
		nft_put_be32(b, NFTA_VERDICT_CODE, (uint32_t)(int32_t)code);
		nft_nest_end(b, v);
		nft_nest_end(b, d);
		nft_nest_end(b, data);
		nft_nest_end(b, el);
	}
	nft_nest_end(b, list);
	return 0;
}

int nft_exprs_parse(const struct nft_dec *d, const struct nlattr *list,
		    struct linx_value *ret)
{
	const struct nlattr *a;

	(void)d;
	*ret = linx_value_list();
	mnl_attr_for_each_nested(a, list)
	{
		struct linx_value e = linx_value_map();

		linx_map_put_cstring(&e, "expr", "pending");
		linx_list_push(ret, &e);
	}
	return linx_value_status(ret);
}

int nft_set_check(uint8_t family, const char *table,
		  const struct linx_value *s, struct linx_error *err)
{
	(void)family, (void)table, (void)s;
	return linx_error_set(err, EOPNOTSUPP, "validate", "sets: pending");
}
int nft_object_check(uint8_t family, const char *table,
		     const struct linx_value *o, struct linx_error *err)
{
	(void)family, (void)table, (void)o;
	return linx_error_set(err, EOPNOTSUPP, "validate", "objects: pending");
}
int nft_flowtable_check(uint8_t family, const char *table,
			const struct linx_value *f, struct linx_error *err)
{
	(void)family, (void)table, (void)f;
	return linx_error_set(err, EOPNOTSUPP, "validate", "flowtables: pending");
}
int nft_set_put(struct nft_enc *e, const struct linx_value *s, uint16_t flags)
{
	(void)e, (void)s, (void)flags;
	return -EOPNOTSUPP;
}
int nft_setelem_put(struct nft_enc *e, const struct linx_value *s,
		    const struct linx_value *elements, uint16_t msg)
{
	(void)e, (void)s, (void)elements, (void)msg;
	return -EOPNOTSUPP;
}
int nft_object_put(struct nft_enc *e, const struct linx_value *o,
		   uint16_t flags)
{
	(void)e, (void)o, (void)flags;
	return -EOPNOTSUPP;
}
int nft_flowtable_put(struct nft_enc *e, const struct linx_value *f,
		      uint16_t flags)
{
	(void)e, (void)f, (void)flags;
	return -EOPNOTSUPP;
}
int nft_set_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		  bool *anonymous, struct linx_value *ret)
{
	(void)nlh, (void)w, (void)anonymous, (void)ret;
	return -EOPNOTSUPP;
}
int nft_setelem_parse(const struct nlmsghdr *nlh, const struct linx_value *set,
		      struct nft_where *w, struct linx_value *elements)
{
	(void)nlh, (void)set, (void)w, (void)elements;
	return -EOPNOTSUPP;
}
int nft_setelem_merge(const struct linx_value *set, struct linx_value *elements)
{
	(void)set, (void)elements;
	return 0;
}
int nft_object_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		     struct linx_value *ret)
{
	(void)nlh, (void)w, (void)ret;
	return -EOPNOTSUPP;
}
int nft_flowtable_parse(const struct nlmsghdr *nlh, struct nft_where *w,
			struct linx_value *ret)
{
	(void)nlh, (void)w, (void)ret;
	return -EOPNOTSUPP;
}
void nft_set_put_delete(struct nft_batch *bt, uint8_t family,
			const char *table, const char *set)
{
	(void)bt, (void)family, (void)table, (void)set;
}
void nft_object_put_delete(struct nft_batch *bt, uint8_t family,
			   const char *table, const struct linx_value *o)
{
	(void)bt, (void)family, (void)table, (void)o;
}
void nft_flowtable_put_delete(struct nft_batch *bt, uint8_t family,
			      const char *table, const char *name)
{
	(void)bt, (void)family, (void)table, (void)name;
}
int nft_keytype_from_value(const struct linx_value *v, bool allow_verdict,
			   const char *what, struct nft_keytype *ret,
			   struct linx_error *err)
{
	(void)v, (void)allow_verdict, (void)what, (void)ret, (void)err;
	return -EOPNOTSUPP;
}
int nft_data_from_value(const struct nft_keytype *kt, const struct linx_value *v,
			uint8_t *out, uint32_t *len, uint8_t *end,
			bool *is_interval, const char *what,
			struct linx_error *err)
{
	(void)kt, (void)v, (void)out, (void)len, (void)end, (void)is_interval,
		(void)what, (void)err;
	return -EOPNOTSUPP;
}
