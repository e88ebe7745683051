/* SPDX-License-Identifier: MIT */
/*
 * Rules: checks, the NEWRULE message (with the anonymous sets of its set
 * literals before it) and the decoder.  A rule's tag and comment travel
 * in its userdata as nftables' comment TLV: "tag:NAME" or "tag:NAME
 * COMMENT" (docs/nft/schema.md), so nft shows and keeps them.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libnftnl/udata.h>

#include "nft-internal.h"

#define TAG_PREFIX "tag:"
#define TAG_MAX 64
#define ANON_MAX 32 /* set literals in one rule */

static bool tag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static bool tag_valid(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > TAG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!tag_char(t[i]))
			return false;
	return true;
}

/* The userdata comment text of a rule, "" for none. */
static void rule_comment_text(const struct linx_value *r, char *out,
			      size_t cap)
{
	const struct linx_value *t = linx_map_get(r, "tag");
	const struct linx_value *c = linx_map_get(r, "comment");
	bool has_t = t && t->type == LINX_STRING;
	bool has_c = c && c->type == LINX_STRING && c->len > 0;

	if (has_t && has_c)
		snprintf(out, cap, TAG_PREFIX "%s %s", t->str, c->str);
	else if (has_t)
		snprintf(out, cap, TAG_PREFIX "%s", t->str);
	else if (has_c)
		snprintf(out, cap, "%s", c->str);
	else
		out[0] = 0;
}

int nft_rule_check(const struct nft_enc *e, const char *object,
		   const struct linx_value *r)
{
	const struct linx_value *exprs;
	const char *tag, *comment;
	bool has_tag, has_comment;
	size_t n;
	int rc;

	if (!r || r->type != LINX_MAP)
		return nft_bad(e->err, "bad_rule", object, "expected a map");
	if ((rc = nft_get_str(r, "tag", "bad_rule", &has_tag, &tag, e->err)) <
		    0 ||
	    (rc = nft_get_str(r, "comment", "bad_rule", &has_comment, &comment,
			      e->err)) < 0 ||
	    (rc = nft_get_list(r, "exprs", "bad_rule", &exprs, e->err)) < 0)
		return linx_error_object(e->err, object);
	if (!exprs)
		return nft_bad(e->err, "bad_rule", object, "exprs: required");
	if (has_tag && !tag_valid(tag))
		return nft_bad(e->err, "bad_rule", object,
			       "bad_tag: %s (1..%d of A-Z a-z 0-9 _ . -)", tag,
			       TAG_MAX);
	if (has_comment && !has_tag &&
	    strncmp(comment, TAG_PREFIX, strlen(TAG_PREFIX)) == 0)
		return nft_bad(e->err, "bad_rule", object,
			       "comment: \"" TAG_PREFIX "\" starts a tag; "
			       "use the tag field");
	/* The userdata comment rule_comment_text() writes, measured rather
	 * than printed: this runs for each of 10,000 rules. */
	n = has_tag ? strlen(TAG_PREFIX) + strlen(tag) : 0;
	if (has_comment && comment[0])
		n += (has_tag ? 1 : 0) + strlen(comment);
	if (n + 1 > NFTNL_UDATA_COMMENT_MAXLEN)
		return nft_bad(e->err, "bad_rule", object,
			       "comment: longer than %d bytes",
			       NFTNL_UDATA_COMMENT_MAXLEN - 1);
	if (!e->no_exprs && (rc = nft_exprs_check(e, exprs)) < 0)
		return linx_error_object(e->err, object);
	return 0;
}

int nft_rule_put(struct nft_enc *e, const struct linx_value *r,
		 uint16_t flags)
{
	struct nft_msgbuf *b = &e->bt->buf;
	const struct linx_value *exprs = linx_map_get(r, "exprs");
	const struct linx_value *h = linx_map_get(r, "handle");
	const struct linx_value *pos = linx_map_get(r, "position");
	char text[2 * NFTNL_UDATA_COMMENT_MAXLEN];
	struct nft_anon anons[ANON_MAX];
	uint64_t u;
	size_t off;
	int n;

	n = nft_exprs_emit_anon_sets(e, exprs, anons, ANON_MAX);
	if (n < 0)
		return n;
	/* Placement: the caller's (e->has_position: before the rule with
	 * that handle, or after it with NLM_F_APPEND), else the value's
	 * "position" (after that handle), else the end of the chain. */
	if (!e->has_position && !(flags & NLM_F_REPLACE))
		flags |= NLM_F_APPEND;
	off = nft_batch_msg(e->bt, NFT_MSG_NEWRULE, NLM_F_CREATE | flags,
			    e->family, "newrule", "%s/%s/%s#%u",
			    nft_sym_name(nft_families, e->family), e->table,
			    e->chain, e->rule_index);
	nft_put_strz(b, NFTA_RULE_TABLE, e->table);
	nft_put_strz(b, NFTA_RULE_CHAIN, e->chain);
	if ((flags & NLM_F_REPLACE) && h && linx_value_get_u64(h, &u))
		nft_put_be64(b, NFTA_RULE_HANDLE, u);
	else if (e->has_position)
		nft_put_be64(b, NFTA_RULE_POSITION, e->position);
	else if (pos && linx_value_get_u64(pos, &u))
		nft_put_be64(b, NFTA_RULE_POSITION, u);
	if (nft_exprs_put(e, exprs, anons, (size_t)n) < 0)
		return -EINVAL;
	rule_comment_text(r, text, sizeof(text));
	nft_put_comment(b, NFTA_RULE_USERDATA, NFTNL_UDATA_RULE_COMMENT, text);
	nft_msg_end(b, off);
	return 0;
}

/* DELRULE by handle. */
void nft_rule_put_delete(struct nft_batch *bt, uint8_t family,
			 const char *table, const char *chain, uint64_t handle)
{
	size_t off = nft_batch_msg(bt, NFT_MSG_DELRULE, 0, family, "delrule",
				   "%s/%s/%s handle %llu",
				   nft_sym_name(nft_families, family), table,
				   chain, (unsigned long long)handle);

	nft_put_strz(&bt->buf, NFTA_RULE_TABLE, table);
	nft_put_strz(&bt->buf, NFTA_RULE_CHAIN, chain);
	nft_put_be64(&bt->buf, NFTA_RULE_HANDLE, handle);
	nft_msg_end(&bt->buf, off);
}

static const struct linx_nl_policy rule_policy[NFTA_RULE_MAX + 1] = {
	[NFTA_RULE_TABLE] = { LINX_NL_STRING, 0 },
	[NFTA_RULE_CHAIN] = { LINX_NL_STRING, 0 },
	[NFTA_RULE_HANDLE] = { LINX_NL_U64, 0 },
	[NFTA_RULE_EXPRESSIONS] = { LINX_NL_NESTED, 0 },
	[NFTA_RULE_POSITION] = { LINX_NL_U64, 0 },
	[NFTA_RULE_USERDATA] = { LINX_NL_ANY, 0 },
};

/* Split "tag:NAME rest" into tag and comment. */
static void put_comment(struct linx_value *ret, const char *text)
{
	size_t p = strlen(TAG_PREFIX), n = 0;
	char tag[TAG_MAX + 1];

	if (strncmp(text, TAG_PREFIX, p) == 0) {
		while (n < TAG_MAX && tag_char(text[p + n]))
			n++;
		if (n > 0 && (text[p + n] == 0 || text[p + n] == ' ')) {
			memcpy(tag, text + p, n);
			tag[n] = 0;
			linx_map_put_cstring(ret, "tag", tag);
			text += p + n;
			if (*text == ' ')
				text++;
		}
	}
	if (*text)
		linx_map_put_cstring(ret, "comment", text);
}

int nft_rule_parse(const struct nft_dec *d, const struct nlmsghdr *nlh,
		   struct nft_where *w, struct linx_value *ret)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	const struct nfgenmsg *g = linx_nl_msg_header(nlh, sizeof(*g));
	char text[NFTNL_UDATA_COMMENT_MAXLEN + 1];
	struct linx_value exprs = linx_value_nil();
	struct nft_dec local;
	int r;

	*ret = linx_value_nil();
	if (!g || linx_nl_parse_msg(nlh, sizeof(*g), rule_policy,
				    NFTA_RULE_MAX, tb) < 0 ||
	    !tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN])
		return -EBADMSG;
	memset(w, 0, sizeof(*w));
	w->family = g->nfgen_family;
	linx_nl_str(tb[NFTA_RULE_TABLE], w->table, sizeof(w->table));
	linx_nl_str(tb[NFTA_RULE_CHAIN], w->chain, sizeof(w->chain));
	local = d ? *d : (struct nft_dec){ 0 };
	local.family = w->family;
	local.table = w->table;
	if (tb[NFTA_RULE_EXPRESSIONS]) {
		r = nft_exprs_parse(&local, tb[NFTA_RULE_EXPRESSIONS], &exprs);
		if (r < 0)
			return r;
	} else
		exprs = linx_value_list();
	*ret = linx_value_map();
	linx_map_put(ret, "exprs", &exprs);
	if (nft_comment_parse(tb[NFTA_RULE_USERDATA], NFTNL_UDATA_RULE_COMMENT,
			      text, sizeof(text)))
		put_comment(ret, text);
	if (tb[NFTA_RULE_HANDLE])
		linx_map_put_uint(ret, "handle",
				  be64toh(linx_nl_u64(tb[NFTA_RULE_HANDLE], 0)));
	return nft_built(ret);
}
