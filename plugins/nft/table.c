/* SPDX-License-Identifier: MIT */
/*
 * Tables: validation of a table value and everything under it, the
 * NEWTABLE message, and the decoder of table messages.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libnftnl/udata.h>

#include "nft-internal.h"

int nft_family_from_value(const struct linx_value *map, const char *what,
			  uint8_t *ret, struct linx_error *err)
{
	const char *f;
	int64_t v;
	int r = nft_get_str(map, "family", what, NULL, &f, err);

	if (r < 0)
		return r;
	if (!nft_sym_val(nft_families, f, &v))
		return nft_bad(err, what, NULL,
			       "family: unknown family %s (ip, ip6, inet, arp, "
			       "bridge, netdev)",
			       f);
	*ret = (uint8_t)v;
	return 0;
}

/* A name of 1..max-1 bytes (the kernel's limits count the NUL). */
int nft_name_check(const struct linx_value *map, const char *what,
		   size_t max, const char **ret, struct linx_error *err)
{
	size_t n;
	int r = nft_get_str(map, "name", what, NULL, ret, err);

	if (r < 0)
		return r;
	n = strlen(*ret);
	if (n == 0 || n >= max)
		return nft_bad(err, what, *ret,
			       "name: must be 1..%zu bytes long", max - 1);
	return 0;
}

/* Names must be unique within a list of entities. */
static int unique_names(const struct linx_value *list, const char *what,
			const char *object, struct linx_error *err)
{
	struct nft_strset seen;
	int r = 0;

	if (!list || list->len < 2)
		return 0;
	if (nft_strset_init(&seen, list->len) < 0)
		return linx_error_set(err, ENOMEM, what, NULL);
	for (uint32_t i = 0; i < list->len && r == 0; i++) {
		const struct linx_value *a = linx_map_get(&list->items[i], "name");

		if (a && a->type == LINX_STRING &&
		    nft_strset_add(&seen, a->str) == 0)
			r = nft_bad(err, what, object, "duplicate_name: %s",
				    a->str);
	}
	nft_strset_fini(&seen);
	return r;
}

static int check_children(uint8_t family, const char *name,
			  const struct linx_value *t, unsigned flags,
			  struct linx_error *err)
{
	const struct linx_value *chains, *sets, *objs, *fts;
	char obj[NFT_TABLE_MAXNAMELEN + 16];
	int r;

	snprintf(obj, sizeof(obj), "%s/%s",
		 nft_sym_name(nft_families, family), name);
	if ((r = nft_get_list(t, "chains", "bad_table", &chains, err)) < 0 ||
	    (r = nft_get_list(t, "sets", "bad_table", &sets, err)) < 0 ||
	    (r = nft_get_list(t, "objects", "bad_table", &objs, err)) < 0 ||
	    (r = nft_get_list(t, "flowtables", "bad_table", &fts, err)) < 0)
		return linx_error_object(err, obj);
	if ((r = unique_names(chains, "bad_table", obj, err)) < 0 ||
	    (r = unique_names(sets, "bad_table", obj, err)) < 0 ||
	    (r = unique_names(fts, "bad_table", obj, err)) < 0)
		return r;
	for (uint32_t i = 0; chains && i < chains->len; i++)
		if ((r = nft_chain_check(family, name, &chains->items[i],
					 flags, err)) < 0)
			return r;
	for (uint32_t i = 0; sets && i < sets->len; i++)
		if ((r = nft_set_check(family, name, &sets->items[i], flags,
					 err)) < 0)
			return r;
	for (uint32_t i = 0; objs && i < objs->len; i++) {
		const struct linx_value *o = &objs->items[i];
		const struct linx_value *k = linx_map_get(o, "kind");
		const struct linx_value *n = linx_map_get(o, "name");

		if ((r = nft_object_check(family, name, o, err)) < 0)
			return r;
		/* Objects are unique by (kind, name). */
		for (uint32_t j = 0; j < i; j++) {
			const struct linx_value *o2 = &objs->items[j];

			if (linx_value_equal(k, linx_map_get(o2, "kind")) &&
			    linx_value_equal(n, linx_map_get(o2, "name")))
				return nft_bad(err, "bad_table", obj,
					       "duplicate_object: %s %s",
					       k->str, n->str);
		}
	}
	for (uint32_t i = 0; fts && i < fts->len; i++)
		if ((r = nft_flowtable_check(family, name, &fts->items[i],
					     err)) < 0)
			return r;
	return 0;
}

int nft_table_check(const struct linx_value *t, uint8_t *family,
		    unsigned check, struct linx_error *err)
{
	const char *name, *comment;
	uint32_t flags;
	bool has;
	int r;

	if (!t || t->type != LINX_MAP)
		return nft_bad(err, "bad_table", NULL, "expected a map");
	if ((r = nft_family_from_value(t, "bad_table", family, err)) < 0 ||
	    (r = nft_name_check(t, "bad_table", NFT_TABLE_MAXNAMELEN, &name,
				err)) < 0 ||
	    (r = nft_flags_from_value(nft_table_flags, linx_map_get(t, "flags"),
				      "bad_table", &flags, err)) < 0 ||
	    (r = nft_get_str(t, "comment", "bad_table", &has, &comment,
			     err)) < 0)
		return r;
	if (has && (r = nft_comment_check(comment, "bad_table", name, err)) < 0)
		return r;
	return check_children(*family, name, t, check, err);
}

int nft_table_put(struct nft_enc *e, const struct linx_value *t,
		  uint16_t flags)
{
	struct nft_msgbuf *b = &e->bt->buf;
	const struct linx_value *fl = linx_map_get(t, "flags");
	const struct linx_value *c = linx_map_get(t, "comment");
	uint32_t tflags = 0;
	size_t off;

	if (nft_flags_from_value(nft_table_flags, fl, "bad_table", &tflags,
				 e->err) < 0)
		return -EINVAL;
	off = nft_batch_msg(e->bt, NFT_MSG_NEWTABLE, NLM_F_CREATE | flags,
			    e->family, "newtable", "%s/%s",
			    nft_sym_name(nft_families, e->family), e->table);
	nft_put_strz(b, NFTA_TABLE_NAME, e->table);
	if (tflags)
		nft_put_be32(b, NFTA_TABLE_FLAGS, tflags);
	if (c && c->type == LINX_STRING)
		nft_put_comment(b, NFTA_TABLE_USERDATA,
				NFTNL_UDATA_TABLE_COMMENT, c->str);
	nft_msg_end(b, off);
	return 0;
}

/* A message that names only the table (DELTABLE, or the NEWTABLE that
 * makes a following delete safe when the table is absent). */
void nft_table_put_ref(struct nft_batch *bt, uint16_t msg, uint16_t flags,
		       uint8_t family, const char *table)
{
	size_t off = nft_batch_msg(bt, msg, flags, family,
				   msg == NFT_MSG_DELTABLE ? "deltable"
							   : "newtable",
				   "%s/%s", nft_sym_name(nft_families, family),
				   table);

	nft_put_strz(&bt->buf, NFTA_TABLE_NAME, table);
	nft_msg_end(&bt->buf, off);
}

static const struct linx_nl_policy table_policy[NFTA_TABLE_MAX + 1] = {
	[NFTA_TABLE_NAME] = { LINX_NL_STRING, 0 },
	[NFTA_TABLE_FLAGS] = { LINX_NL_U32, 0 },
	[NFTA_TABLE_USE] = { LINX_NL_U32, 0 },
	[NFTA_TABLE_HANDLE] = { LINX_NL_U64, 0 },
	[NFTA_TABLE_USERDATA] = { LINX_NL_ANY, 0 },
	[NFTA_TABLE_OWNER] = { LINX_NL_U32, 0 },
};

int nft_table_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		    struct linx_value *ret)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	const struct nfgenmsg *g = linx_nl_msg_header(nlh, sizeof(*g));
	const char *fam;
	char comment[NFTNL_UDATA_COMMENT_MAXLEN + 1];
	struct linx_value flags;

	*ret = linx_value_nil();
	if (!g || linx_nl_parse_msg(nlh, sizeof(*g), table_policy,
				    NFTA_TABLE_MAX, tb) < 0 ||
	    !tb[NFTA_TABLE_NAME])
		return -EBADMSG;
	memset(w, 0, sizeof(*w));
	w->family = g->nfgen_family;
	linx_nl_str(tb[NFTA_TABLE_NAME], w->table, sizeof(w->table));
	fam = nft_sym_name(nft_families, w->family);
	*ret = linx_value_map();
	if (fam)
		linx_map_put_cstring(ret, "family", fam);
	else
		linx_map_put_uint(ret, "family", w->family);
	linx_map_put_cstring(ret, "name", w->table);
	nft_flags_to_value(nft_table_flags,
			   be32toh(linx_nl_u32(tb[NFTA_TABLE_FLAGS], 0)),
			   &flags);
	linx_map_put(ret, "flags", &flags);
	if (nft_comment_parse(tb[NFTA_TABLE_USERDATA],
			      NFTNL_UDATA_TABLE_COMMENT, comment,
			      sizeof(comment)))
		linx_map_put_cstring(ret, "comment", comment);
	if (tb[NFTA_TABLE_HANDLE])
		linx_map_put_uint(ret, "handle",
				  be64toh(linx_nl_u64(tb[NFTA_TABLE_HANDLE], 0)));
	if (tb[NFTA_TABLE_USE])
		linx_map_put_uint(ret, "use",
				  be32toh(linx_nl_u32(tb[NFTA_TABLE_USE], 0)));
	return nft_built(ret);
}
