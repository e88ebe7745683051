/* SPDX-License-Identifier: MIT */
/*
 * Weak stand-ins for the verdict codec (nft-internal.h), which belongs to
 * the expressions code (verdict.c).  They exist so the set code on this
 * branch links and its vmap tests run before that lands; the real,
 * strong definitions replace these at link time, after which this file
 * can simply be deleted.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "nft-internal.h"

#define WEAK __attribute__((weak))

static int verdict_split(const struct linx_value *v, int32_t *code,
			 const char **chain, uint32_t *queue)
{
	int64_t c;

	*chain = NULL;
	*queue = 0;
	if (v && v->type == LINX_STRING) {
		if (!nft_sym_val(nft_verdicts, v->str, &c) || c == NFT_JUMP ||
		    c == NFT_GOTO || c == NF_QUEUE)
			return -EINVAL;
		*code = (int32_t)c;
		return 0;
	}
	if (v && v->type == LINX_MAP && v->len == 1) {
		const struct linx_pair *p = &v->pairs[0];
		uint64_t q;

		if ((strcmp(p->key, "jump") == 0 ||
		     strcmp(p->key, "goto") == 0) &&
		    p->value.type == LINX_STRING && p->value.len > 0 &&
		    p->value.len < NFT_CHAIN_MAXNAMELEN) {
			*code = p->key[0] == 'j' ? NFT_JUMP : NFT_GOTO;
			*chain = p->value.str;
			return 0;
		}
		if (strcmp(p->key, "queue") == 0 &&
		    linx_value_get_u64(&p->value, &q) && q <= UINT16_MAX) {
			*code = NF_QUEUE;
			*queue = (uint32_t)q;
			return 0;
		}
	}
	return -EINVAL;
}

WEAK int nft_verdict_check(const struct linx_value *v, struct linx_error *err)
{
	int32_t code;
	const char *chain;
	uint32_t q;

	if (verdict_split(v, &code, &chain, &q) < 0)
		return nft_bad(err, "bad_verdict", NULL, "not_a_verdict");
	return 0;
}

WEAK int nft_verdict_put(struct nft_msgbuf *b, uint16_t type,
			 const struct linx_value *v, struct linx_error *err)
{
	int32_t code;
	const char *chain;
	uint32_t q;
	size_t outer, inner;

	if (verdict_split(v, &code, &chain, &q) < 0)
		return nft_bad(err, "bad_verdict", NULL, "not_a_verdict");
	if (code == NF_QUEUE)
		code = (int32_t)((q << NF_VERDICT_QBITS) | NF_QUEUE);
	outer = nft_nest_begin(b, type);
	inner = nft_nest_begin(b, NFTA_DATA_VERDICT);
	nft_put_be32(b, NFTA_VERDICT_CODE, (uint32_t)code);
	if (chain)
		nft_put_strz(b, NFTA_VERDICT_CHAIN, chain);
	nft_nest_end(b, inner);
	nft_nest_end(b, outer);
	return 0;
}

WEAK int nft_verdict_parse(const struct nlattr *nest, struct linx_value *ret)
{
	static const struct linx_nl_policy data_pol[NFTA_DATA_MAX + 1] = {
		[NFTA_DATA_VERDICT] = { LINX_NL_NESTED, 0 },
	};
	static const struct linx_nl_policy v_pol[NFTA_VERDICT_MAX + 1] = {
		[NFTA_VERDICT_CODE] = { LINX_NL_U32, 0 },
		[NFTA_VERDICT_CHAIN] = { LINX_NL_STRING, 0 },
	};
	const struct nlattr *td[NFTA_DATA_MAX + 1], *tv[NFTA_VERDICT_MAX + 1];
	char chain[NFT_CHAIN_MAXNAMELEN];
	const char *name;
	int32_t code;

	*ret = linx_value_nil();
	linx_nl_parse_nested(nest, data_pol, NFTA_DATA_MAX, td);
	if (!td[NFTA_DATA_VERDICT])
		return -EBADMSG;
	linx_nl_parse_nested(td[NFTA_DATA_VERDICT], v_pol, NFTA_VERDICT_MAX,
			     tv);
	if (!tv[NFTA_VERDICT_CODE])
		return -EBADMSG;
	code = (int32_t)be32toh(linx_nl_u32(tv[NFTA_VERDICT_CODE], 0));
	if (code == NFT_JUMP || code == NFT_GOTO) {
		if (!tv[NFTA_VERDICT_CHAIN])
			return -EBADMSG;
		linx_nl_str(tv[NFTA_VERDICT_CHAIN], chain, sizeof(chain));
		*ret = linx_value_map();
		linx_map_put_cstring(ret, code == NFT_JUMP ? "jump" : "goto",
				     chain);
		return linx_value_status(ret);
	}
	if ((code & NF_VERDICT_MASK) == NF_QUEUE) {
		*ret = linx_value_map();
		linx_map_put_uint(ret, "queue",
				  (uint32_t)code >> NF_VERDICT_QBITS);
		return linx_value_status(ret);
	}
	name = nft_sym_name(nft_verdicts, code);
	if (!name)
		return -EBADMSG;
	return linx_value_cstring(ret, name);
}
