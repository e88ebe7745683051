/* SPDX-License-Identifier: MIT */
/* TEMPORARY: stand-ins until expr.c and verdict.c land.  Only
 * verdict-only rules (plain verdict names). */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "nft-internal.h"

int nft_exprs_check(const struct nft_enc *e, const struct linx_value *exprs)
{
	for (uint32_t i = 0; i < exprs->len; i++)
		if (exprs->items[i].type != LINX_STRING)
			return nft_bad(e->err, "bad_expr", NULL,
				       "pending: only verdict names");
		else if (nft_verdict_check(&exprs->items[i], e->err) < 0)
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
