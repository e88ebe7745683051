/* SPDX-License-Identifier: MIT */
/*
 * Verdicts (nft-internal.h): "accept", "drop", "continue", "return",
 * {"jump": chain}, {"goto": chain}, {"queue": n}, written as
 * NFTA_DATA_VERDICT {NFTA_VERDICT_CODE, NFTA_VERDICT_CHAIN} inside the
 * caller's attribute and read back from it.  A queue verdict carries its
 * number in the upper 16 bits of the code (NF_QUEUE_NR()), as the kernel
 * accepts it in nft_verdict_init().
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "nft-internal.h"

/* The verdicts that stand alone as a string. */
static const struct nft_sym plain[] = {
	{ "accept", NF_ACCEPT },     { "drop", NF_DROP },
	{ "continue", NFT_CONTINUE }, { "return", NFT_RETURN },
	{ "break", NFT_BREAK },	     { NULL, 0 },
};

/* Read a verdict value into a code and a chain (NULL); bad_verdict. */
static int verdict_read(const struct linx_value *v, int32_t *code,
			const char **chain, struct linx_error *err)
{
	const struct linx_pair *p;
	int64_t c;
	uint64_t q;

	*chain = NULL;
	if (!v)
		return nft_bad(err, "bad_verdict", NULL, "missing");
	if (v->type == LINX_STRING) {
		if (!nft_sym_val(plain, v->str, &c))
			return nft_bad(err, "bad_verdict", NULL,
				       "unknown verdict: %s", v->str);
		*code = (int32_t)c;
		return 0;
	}
	if (v->type != LINX_MAP || v->len != 1)
		return nft_bad(err, "bad_verdict", NULL,
			       "expected a verdict name or a one-key map "
			       "(jump, goto, queue), got %s",
			       linx_type_name(v->type));
	p = &v->pairs[0];
	if (strcmp(p->key, "jump") == 0 || strcmp(p->key, "goto") == 0) {
		if (p->value.type != LINX_STRING || p->value.len == 0 ||
		    p->value.len >= NFT_CHAIN_MAXNAMELEN)
			return nft_bad(err, "bad_verdict", NULL,
				       "%s: expected a chain name (1..%d bytes)",
				       p->key, NFT_CHAIN_MAXNAMELEN - 1);
		*code = p->key[0] == 'j' ? NFT_JUMP : NFT_GOTO;
		*chain = p->value.str;
		return 0;
	}
	if (strcmp(p->key, "queue") == 0) {
		if (!linx_value_get_u64(&p->value, &q) || q > UINT16_MAX)
			return nft_bad(err, "bad_verdict", NULL,
				       "queue: expected a queue number 0..65535");
		*code = (int32_t)(((uint32_t)q << 16) | NF_QUEUE);
		return 0;
	}
	return nft_bad(err, "bad_verdict", NULL, "unknown verdict: %s",
		       p->key);
}

int nft_verdict_check(const struct linx_value *v, struct linx_error *err)
{
	const char *chain;
	int32_t code;

	return verdict_read(v, &code, &chain, err);
}

int nft_verdict_put(struct nft_msgbuf *b, uint16_t type,
		    const struct linx_value *v, struct linx_error *err)
{
	size_t outer, inner;
	const char *chain;
	int32_t code;
	int r = verdict_read(v, &code, &chain, err);

	if (r < 0)
		return r;
	outer = nft_nest_begin(b, type);
	inner = nft_nest_begin(b, NFTA_DATA_VERDICT);
	nft_put_be32(b, NFTA_VERDICT_CODE, (uint32_t)code);
	if (chain)
		nft_put_strz(b, NFTA_VERDICT_CHAIN, chain);
	nft_nest_end(b, inner);
	nft_nest_end(b, outer);
	return b->error;
}

static const struct linx_nl_policy data_policy[NFTA_DATA_MAX + 1] = {
	[NFTA_DATA_VERDICT] = { LINX_NL_NESTED, 0 },
};

static const struct linx_nl_policy verdict_policy[NFTA_VERDICT_MAX + 1] = {
	[NFTA_VERDICT_CODE] = { LINX_NL_U32, 0 },
	[NFTA_VERDICT_CHAIN] = { LINX_NL_STRING, 0 },
};

/* -EBADMSG also when the nest holds no verdict (a data value, say). */
int nft_verdict_parse(const struct nlattr *nest, struct linx_value *ret)
{
	const struct nlattr *tb[NFTA_DATA_MAX + 1];
	const struct nlattr *vb[NFTA_VERDICT_MAX + 1];
	struct linx_value v = linx_value_nil();
	char chain[NFT_CHAIN_MAXNAMELEN];
	const char *name;
	int32_t code;
	int r;

	*ret = linx_value_nil();
	if (!nest)
		return -EINVAL;
	if (linx_nl_parse_nested(nest, data_policy, NFTA_DATA_MAX, tb) != 0 ||
	    !tb[NFTA_DATA_VERDICT])
		return -EBADMSG;
	if (linx_nl_parse_nested(tb[NFTA_DATA_VERDICT], verdict_policy,
				 NFTA_VERDICT_MAX, vb) != 0 ||
	    !vb[NFTA_VERDICT_CODE])
		return -EBADMSG;
	code = (int32_t)be32toh(linx_nl_u32(vb[NFTA_VERDICT_CODE], 0));
	if (code == NFT_JUMP || code == NFT_GOTO) {
		if (!vb[NFTA_VERDICT_CHAIN])
			return -EBADMSG;
		linx_nl_str(vb[NFTA_VERDICT_CHAIN], chain, sizeof(chain));
		v = linx_value_map();
		r = linx_map_put_cstring(&v, code == NFT_JUMP ? "jump" : "goto",
					 chain);
	} else if (code >= 0 && ((uint32_t)code & NF_VERDICT_MASK) == NF_QUEUE) {
		v = linx_value_map();
		r = linx_map_put_int(&v, "queue", (uint32_t)code >> 16);
	} else if ((name = nft_sym_name(plain, code)) != NULL) {
		r = linx_value_cstring(&v, name);
	} else {
		return -EBADMSG;
	}
	if (r < 0 || (r = linx_value_status(&v)) < 0) {
		linx_value_clear(&v);
		return r == -EINVAL ? -EBADMSG : r;
	}
	*ret = v;
	return 0;
}
