/* SPDX-License-Identifier: MIT */
/*
 * Sets, maps and verdict maps (nft-internal.h): the value checks, the
 * NEWSET / NEWSETELEM messages, and the decoding of the kernel's set and
 * element messages.
 *
 * Elements are encoded the way nftables 1.0.6 does, so that `nft list`
 * shows our sets exactly as it shows its own (docs/nft/sets.md):
 * interval sets without concatenation get a start element and an end
 * element (key = last + 1, flagged NFT_SET_ELEM_INTERVAL_END), an end
 * element at 0 in front when the first interval does not start there,
 * and an "open" flag in the element userdata instead of an end when an
 * interval reaches the largest key; concatenated intervals carry their
 * closing key in NFTA_SET_ELEM_KEY_END.  Host-order components (mark,
 * iface_index) are big-endian in interval sets.
 */
#include <endian.h>
#include <errno.h>
#include <libnftnl/udata.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

#define SET_F_AUTO_MERGE 0x80000000u /* not a kernel flag: userdata */
#define COMMENT_MAX 128 /* nftables' limit on comments */
#define UDATA_MAX 256 /* NFT_USERDATA_MAXLEN */
/* nftables' byte order numbers in the set userdata. */
#define BYTEORDER_INVALID 0
#define BYTEORDER_HOST 1
#define BYTEORDER_BIG 2
/* Close an element message once its list passes this many bytes; one
 * element is far below 4 KiB, so a list stays under the 64 KiB an
 * attribute can hold. */
#define CHUNK_BYTES 60000
/* NFT_SET_EXPR_MAX (include/net/netfilter/nf_tables.h): a set carries at
 * most two expressions, and each element the same kinds. */
#define SET_EXPR_MAX 2

static const struct nft_sym set_flags[] = {
	{ "constant", NFT_SET_CONSTANT },
	{ "interval", NFT_SET_INTERVAL },
	{ "timeout", NFT_SET_TIMEOUT },
	{ "dynamic", NFT_SET_EVAL },
	{ "auto_merge", SET_F_AUTO_MERGE },
	{ NULL, 0 },
};

static const struct nft_sym set_policies[] = {
	{ "performance", NFT_SET_POL_PERFORMANCE },
	{ "memory", NFT_SET_POL_MEMORY },
	{ NULL, 0 },
};

/* A set declaration read from its value. */
struct set_decl {
	const char *name;
	bool anonymous, is_map;
	struct nft_keytype key, data;
	/* a map whose values are intervals (nft's `: interval ipv4_addr`,
	 * what `snat to ip saddr map { 10.0.0.0/8 : 192.168.1.0/24 }`
	 * reads): each value the first and last of a range, back to back */
	bool data_interval;
	uint32_t flags; /* NFT_SET_* and SET_F_AUTO_MERGE */
	bool has_timeout, has_gc, has_size, has_policy;
	uint64_t timeout, gc, size;
	uint32_t policy;
	const char *comment;
	/* key_typeof, data_typeof (checked against the types), or NULL */
	const struct linx_value *key_typeof, *data_typeof;
	const struct linx_value *elements;
	const struct linx_value *exprs; /* NULL or a list of 1..2 */
	char object[96]; /* "inet/fw/set blocklist" */
};

/* One element read from its value: the key (and its last value for
 * intervals), in register order as it goes on the wire. */
struct elem {
	uint8_t key[NFT_DATA_VALUE_MAXLEN], end[NFT_DATA_VALUE_MAXLEN];
	bool interval;
	const struct linx_value *value; /* map data, NULL for sets */
	bool has_timeout, has_expires;
	uint64_t timeout, expires; /* ms; expires: the time left */
	const char *comment;
	const struct linx_value *exprs; /* the element's own, or NULL */
};

/* A map element's value as its data's bytes: with data_interval the
 * range's first and last (a prefix, a range, or one value for both). */
static int map_data(const struct set_decl *d, const struct linx_value *v,
		    uint8_t *out, uint32_t *len, const char *kind,
		    struct linx_error *err)
{
	uint8_t end[NFT_DATA_VALUE_MAXLEN];
	bool iv = false;
	int rc;

	rc = nft_data_from_value(&d->data, v, out, len,
				 d->data_interval ? end : NULL,
				 d->data_interval ? &iv : NULL, kind, err);
	if (rc || !d->data_interval)
		return rc;
	memcpy(out + *len, iv ? end : out, *len);
	*len *= 2;
	return 0;
}

static const char *set_kind(const struct set_decl *d)
{
	return d->is_map ? "bad_map" : "bad_set";
}

static const char *elem_kind(const struct set_decl *d)
{
	return d->is_map ? "bad_map_element" : "bad_set_element";
}

static const char *family_name(uint8_t family)
{
	const char *n = nft_sym_name(nft_families, family);

	return n ? n : "?";
}

/* Re-tag an error reported by a helper (which names a generic kind) with
 * the set's identity. */
static int retag(struct linx_error *err, const char *kind, const char *object,
		 const char *prefix)
{
	char detail[LINX_ERROR_MESSAGE_MAX];
	const char *msg, *colon;

	if (!err)
		return -EINVAL;
	msg = err->message;
	colon = strstr(msg, ": ");

	snprintf(detail, sizeof(detail), "%.64s%.400s", prefix ? prefix : "",
		 colon ? colon + 2 : msg);
	return nft_bad(err, kind, object, "%s", detail);
}

/* key_typeof / data_typeof: selectors that nft(8) prints instead of the
 * type (typeof.c); `kt` NULL when the set has no such type. */
static int read_typeof(const struct linx_value *s, const char *key,
		       const struct nft_keytype *kt, const char *what,
		       const struct set_decl *d, const struct linx_value **ret,
		       struct linx_error *err)
{
	const struct linx_value *v = linx_map_get(s, key);
	const char *why;

	*ret = NULL;
	if (!v || v->type == LINX_NIL)
		return 0;
	if (!kt)
		return nft_bad(err, what, d->object, "%s: only for maps", key);
	if (nft_typeof_check(v, kt, &why) < 0)
		return nft_bad(err, what, d->object, "%s: %s", key, why);
	*ret = v;
	return 0;
}

/* The expressions a set may hold: the kernel's stateful ones (it refuses
 * any expression without NFT_EXPR_STATEFUL in a set). */
static const char *const set_expr_kinds[] = {
	"counter", "quota", "limit", "connlimit", "last", NULL,
};

static const char *expr_name(const struct linx_value *x)
{
	const struct linx_value *n =
		x->type == LINX_MAP ? linx_map_get(x, "expr") : NULL;

	return n && n->type == LINX_STRING ? n->str : NULL;
}

/* A set's or an element's "exprs"; `where` says which ("", "element 3:
 * "), `kind` tags the error. */
static int check_exprs(const struct set_decl *d, const struct linx_value *xs,
		       const char *kind, const char *where,
		       struct linx_error *err)
{
	char prefix[48];
	int rc;

	if (xs->len > SET_EXPR_MAX)
		return nft_bad(err, kind, d->object,
			       "%sexprs: at most %d expressions", where,
			       SET_EXPR_MAX);
	for (uint32_t i = 0; i < xs->len; i++) {
		const char *n = expr_name(&xs->items[i]);
		bool ok = false;

		for (const char *const *k = set_expr_kinds; n && *k && !ok; k++)
			ok = strcmp(n, *k) == 0;
		if (!ok)
			return nft_bad(err, kind, d->object,
				       "%sexprs: expression %u: %s is not one "
				       "a set holds (counter, quota, limit, "
				       "connlimit, last)",
				       where, i, n ? n : "(no expr)");
	}
	rc = nft_set_exprs_put(NULL, xs, NFTA_SET_EXPR, NFTA_SET_EXPRESSIONS,
			       err);
	if (rc == 0 || !err)
		return rc;
	snprintf(prefix, sizeof(prefix), "%sexprs: ", where);
	return retag(err, kind, d->object, prefix);
}

static int read_decl(uint8_t family, const char *table,
		     const struct linx_value *s, bool with_elements,
		     struct set_decl *d, struct linx_error *err)
{
	const struct linx_value *kt, *dt, *fl;
	const char *what;
	bool has;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!s || s->type != LINX_MAP)
		return nft_bad(err, "bad_set", NULL, "expected a map");
	dt = linx_map_get(s, "data_type");
	d->is_map = dt && dt->type != LINX_NIL;
	what = set_kind(d);
	rc = nft_get_bool(s, "anonymous", what, &d->anonymous, err);
	if (rc)
		return rc;
	rc = nft_get_str(s, "name", what, d->anonymous ? &has : NULL,
			 &d->name, err);
	if (rc)
		return rc;
	if (!d->name || (d->anonymous && !has))
		d->name = "__set%d";
	if (!*d->name || strlen(d->name) >= NFT_SET_MAXNAMELEN)
		return nft_bad(err, what, NULL, "name: 1..%d bytes",
			       NFT_SET_MAXNAMELEN - 1);
	snprintf(d->object, sizeof(d->object), "%s/%s/set %s",
		 family_name(family), table ? table : "?", d->name);

	kt = linx_map_get(s, "key_type");
	if (!kt || kt->type == LINX_NIL)
		return nft_bad(err, what, d->object, "key_type: required");
	if (nft_keytype_from_value(kt, false, what, &d->key, err))
		return retag(err, what, d->object, "key_type: ");
	if (d->is_map &&
	    nft_keytype_from_value(dt, true, what, &d->data, err))
		return retag(err, what, d->object, "data_type: ");
	if ((rc = nft_get_bool(s, "data_interval", what, &d->data_interval,
			       err)))
		return retag(err, what, d->object, NULL);
	if (d->data_interval &&
	    (!d->is_map || d->data.verdict || d->data.object ||
	     d->data.n != 1 || 2 * d->data.len > NFT_DATA_VALUE_MAXLEN))
		return nft_bad(err, what, d->object,
			       "data_interval: only for a map whose data is "
			       "one type, not a verdict or an object");
	if ((rc = read_typeof(s, "key_typeof", &d->key, what, d,
			      &d->key_typeof, err)) ||
	    (rc = read_typeof(s, "data_typeof", d->is_map ? &d->data : NULL,
			      what, d, &d->data_typeof, err)))
		return rc;
	/* what nft would list as a plain integer in network order */
	if (!d->key_typeof && nft_keytype_has_host_integer(&d->key))
		return nft_bad(err, what, d->object,
			       "key_typeof: required for a host_integer "
			       "in a concatenation (its byte order is "
			       "kept there only)");
	if (d->is_map && !d->data_typeof &&
	    nft_keytype_has_host_integer(&d->data))
		return nft_bad(err, what, d->object,
			       "data_typeof: required for a host_integer "
			       "in a concatenation (its byte order is "
			       "kept there only)");

	fl = linx_map_get(s, "flags");
	if (nft_flags_from_value(set_flags, fl, what, &d->flags, err))
		return retag(err, what, d->object, NULL);
	if ((rc = nft_get_u64(s, "timeout", UINT64_MAX / 2, what,
			      &d->has_timeout, &d->timeout, err)) ||
	    (rc = nft_get_u64(s, "gc_interval", UINT32_MAX, what, &d->has_gc,
			      &d->gc, err)) ||
	    (rc = nft_get_u64(s, "size", UINT32_MAX, what, &d->has_size,
			      &d->size, err)))
		return retag(err, what, d->object, NULL);
	if ((d->has_timeout || d->has_gc) && !(d->flags & NFT_SET_TIMEOUT))
		return nft_bad(err, what, d->object,
			       "timeout and gc_interval need the timeout flag");
	{
		const char *pol = NULL;
		int64_t p;

		rc = nft_get_str(s, "policy", what, &d->has_policy, &pol, err);
		if (rc)
			return retag(err, what, d->object, NULL);
		if (d->has_policy) {
			if (!nft_sym_val(set_policies, pol, &p))
				return nft_bad(err, what, d->object,
					       "policy: performance or memory, "
					       "not %s", pol);
			d->policy = (uint32_t)p;
		}
	}
	rc = nft_get_str(s, "comment", what, &has, &d->comment, err);
	if (rc)
		return retag(err, what, d->object, NULL);
	if (has && strlen(d->comment) > COMMENT_MAX)
		return nft_bad(err, what, d->object,
			       "comment: at most %d bytes", COMMENT_MAX);
	if (!has)
		d->comment = NULL;
	rc = nft_get_list(s, "exprs", what, &d->exprs, err);
	if (rc)
		return retag(err, what, d->object, NULL);
	if (d->exprs && d->exprs->len == 0)
		d->exprs = NULL; /* none */
	if (d->exprs && (rc = check_exprs(d, d->exprs, what, "", err)))
		return rc;
	if (with_elements) {
		rc = nft_get_list(s, "elements", what, &d->elements, err);
		if (rc)
			return retag(err, what, d->object, NULL);
	}
	return 0;
}

/* An element's own expressions: the set's kinds in the set's order
 * (the kernel refuses others); an element without them gets copies of
 * the set's from the kernel. */
static int read_elem_exprs(const struct set_decl *d,
			   const struct linx_value *v, uint32_t i,
			   struct elem *el, struct linx_error *err)
{
	const char *kind = elem_kind(d);
	char where[32];
	int rc;

	rc = nft_get_list(v, "exprs", kind, &el->exprs, err);
	if (rc)
		return retag(err, kind, d->object, NULL);
	if (el->exprs && el->exprs->len == 0)
		el->exprs = NULL;
	if (!el->exprs)
		return 0;
	snprintf(where, sizeof(where), "element %u: ", i);
	/* an anonymous set's elements may carry their own (nft writes
	 * `ip saddr { 1.1.1.1 counter, 2.2.2.2 }`): the kernel checks them
	 * against the set's only when it has some */
	if (!d->exprs && d->anonymous)
		return check_exprs(d, el->exprs, kind, where, err);
	if (!d->exprs)
		return nft_bad(err, kind, d->object,
			       "element %u: exprs in a set without exprs", i);
	if (el->exprs->len != d->exprs->len)
		return nft_bad(err, kind, d->object,
			       "element %u: exprs: %u expressions, the set "
			       "has %u",
			       i, el->exprs->len, d->exprs->len);
	for (uint32_t k = 0; k < el->exprs->len; k++) {
		const char *a = expr_name(&el->exprs->items[k]);
		const char *b = expr_name(&d->exprs->items[k]);

		if (a && b && strcmp(a, b) != 0)
			return nft_bad(err, kind, d->object,
				       "element %u: exprs: expression %u is "
				       "a %s, the set's a %s",
				       i, k, a, b);
	}
	return check_exprs(d, el->exprs, kind, where, err);
}

/* Read element number `i`. `need_value`: a map element must carry its
 * data (not for deletions). */
static int read_elem(const struct set_decl *d, const struct linx_value *v,
		     uint32_t i, bool need_value, struct elem *el,
		     struct linx_error *err)
{
	const char *kind = elem_kind(d);
	const struct linx_value *key = v;
	bool interval_set = d->flags & NFT_SET_INTERVAL;
	uint32_t len;
	bool has;
	int rc;

	memset(el, 0, sizeof(*el));
	if (v->type == LINX_MAP && linx_map_get(v, "key")) {
		key = linx_map_get(v, "key");
		el->value = linx_map_get(v, "value");
		if (el->value && el->value->type == LINX_NIL)
			el->value = NULL;
		rc = nft_get_u64(v, "timeout", UINT64_MAX / 2, kind,
				 &el->has_timeout, &el->timeout, err);
		if (rc == 0)
			rc = nft_get_u64(v, "expires", UINT64_MAX / 2, kind,
					 &el->has_expires, &el->expires, err);
		if (rc == 0)
			rc = nft_get_str(v, "comment", kind, &has, &el->comment,
					 err);
		if (rc)
			return retag(err, kind, d->object, NULL);
		if (!has)
			el->comment = NULL;
		else if (strlen(el->comment) > COMMENT_MAX)
			return nft_bad(err, kind, d->object,
				       "element %u: comment: at most %d bytes",
				       i, COMMENT_MAX);
		if (el->has_timeout && !(d->flags & NFT_SET_TIMEOUT))
			return nft_bad(err, kind, d->object,
				       "element %u: timeout in a set without "
				       "the timeout flag", i);
		/* the kernel counts the time left from a timeout: the
		 * element's, else the set's (EOPNOTSUPP without one) */
		uint64_t tmo = el->has_timeout ? el->timeout
				   : (d->flags & NFT_SET_TIMEOUT) && d->has_timeout
					   ? d->timeout
					   : 0;
		if (el->has_expires && !tmo)
			return nft_bad(err, kind, d->object,
				       "element %u: expires without a timeout "
				       "(the element's or the set's)", i);
		if (el->has_expires && el->expires > tmo) /* ERANGE */
			return nft_bad(err, kind, d->object,
				       "element %u: expires after its timeout",
				       i);
		rc = read_elem_exprs(d, v, i, el, err);
		if (rc)
			return rc;
	}
	rc = nft_data_from_value(&d->key, key, el->key, &len,
				 interval_set ? el->end : NULL, &el->interval,
				 kind, err);
	if (rc) {
		char prefix[32];

		snprintf(prefix, sizeof(prefix), "element %u: ", i);
		return retag(err, kind, d->object, prefix);
	}
	if (interval_set) {
		nft_data_interval_order(&d->key, el->key);
		nft_data_interval_order(&d->key, el->end);
	}
	if (!d->is_map) {
		if (el->value)
			return nft_bad(err, kind, d->object,
				       "element %u: a value in a set", i);
		return 0;
	}
	if (!el->value) {
		if (!need_value)
			return 0;
		return nft_bad(err, kind, d->object,
			       "element %u: a map element is {\"key\": K, "
			       "\"value\": V}", i);
	}
	if (d->data.verdict) {
		rc = nft_verdict_check(el->value, err);
		if (rc && !err)
			return rc;
		if (rc) {
			char detail[LINX_ERROR_MESSAGE_MAX];
			const char *m = err->message;
			const char *c = strstr(m, ": ");

			snprintf(detail, sizeof(detail), "%.400s",
				 c ? c + 2 : m);
			return nft_bad(err, "bad_map", d->object,
				       "bad_element: %u: bad_verdict: %s", i,
				       detail);
		}
		return 0;
	}
	{
		uint8_t scratch[NFT_DATA_VALUE_MAXLEN];

		rc = map_data(d, el->value, scratch, &len, kind, err);
		if (rc) {
			char prefix[32];

			snprintf(prefix, sizeof(prefix), "element %u: value: ",
				 i);
			return retag(err, kind, d->object, prefix);
		}
	}
	return 0;
}

/* Keys are zero past their length, so whole buffers compare as keys. */
static int elem_cmp(const void *x, const void *y)
{
	const struct elem *a = x, *b = y;

	return memcmp(a->key, b->key, sizeof(a->key));
}

/* Plain interval sets: sort by start and refuse overlaps. */
static int sort_intervals(const struct set_decl *d, struct elem *els,
			  uint32_t n, struct linx_error *err)
{
	qsort(els, n, sizeof(*els), elem_cmp);
	for (uint32_t i = 1; i < n; i++)
		if (memcmp(els[i].key, els[i - 1].end, d->key.len) <= 0)
			return nft_bad(err, elem_kind(d), d->object,
				       "overlapping intervals");
	return 0;
}

int nft_set_check(uint8_t family, const char *table,
		  const struct linx_value *s, unsigned check,
		  struct linx_error *err)
{
	struct set_decl d;
	struct elem *els;
	int rc = read_decl(family, table, s, true, &d, err);

	/* put_elements() reads every element with the same checks (and
	 * sorts intervals the same way) before its messages go out. */
	if (rc || !d.elements || d.elements->len == 0 ||
	    (check & NFT_CHECK_NO_ELEMS))
		return rc;
	els = calloc(d.elements->len, sizeof(*els));
	if (!els)
		return -ENOMEM;
	for (uint32_t i = 0; i < d.elements->len && rc == 0; i++)
		rc = read_elem(&d, &d.elements->items[i], i, true, &els[i],
			       err);
	if (rc == 0 && (d.flags & NFT_SET_INTERVAL) && d.key.n == 1)
		rc = sort_intervals(&d, els, d.elements->len, err);
	free(els);
	return rc;
}

/* ---- encoding --------------------------------------------------------------- */

static uint32_t byteorder_of(const struct nft_keytype *kt,
			     const struct linx_value *typeof_sel)
{
	bool host;

	if (kt->verdict || kt->n != 1)
		return BYTEORDER_INVALID;
	/* one byte has no order, but nft writes its typeof's */
	if (kt->t[0]->len == 1)
		return nft_typeof_one_byte_host(typeof_sel, &host)
			       ? (host ? BYTEORDER_HOST : BYTEORDER_BIG)
			       : BYTEORDER_INVALID;
	return kt->t[0]->host_order ? BYTEORDER_HOST : BYTEORDER_BIG;
}

static void put_set_udata(struct nft_msgbuf *b, const struct set_decl *d)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(UDATA_MAX);

	if (!u) {
		if (!b->error)
			b->error = -ENOMEM;
		return;
	}
	nftnl_udata_put_u32(u, NFTNL_UDATA_SET_KEYBYTEORDER,
			    byteorder_of(&d->key, d->key_typeof));
	if (d->is_map && !d->data.object)
		nftnl_udata_put_u32(u, NFTNL_UDATA_SET_DATABYTEORDER,
				    byteorder_of(&d->data, d->data_typeof));
	if (d->flags & SET_F_AUTO_MERGE)
		nftnl_udata_put_u32(u, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
	/* nftables' order: the typeof TLVs come before the map's */
	if ((d->key_typeof &&
	     nft_typeof_put(u, NFTNL_UDATA_SET_KEY_TYPEOF, d->key_typeof)) ||
	    (d->data_typeof &&
	     nft_typeof_put(u, NFTNL_UDATA_SET_DATA_TYPEOF, d->data_typeof))) {
		if (!b->error)
			b->error = -EMSGSIZE;
	}
	if (d->is_map)
		nftnl_udata_put_u32(u, NFTNL_UDATA_SET_DATA_INTERVAL,
				    d->data_interval);
	if (d->comment &&
	    !nftnl_udata_put_strz(u, NFTNL_UDATA_SET_COMMENT, d->comment)) {
		if (!b->error)
			b->error = -EMSGSIZE;
	}
	nft_put(b, NFTA_SET_USERDATA, nftnl_udata_buf_data(u),
		nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

/* An anonymous set's size: nftables counts the elements as sent, which
 * for a plain interval set is up to a start and an end per interval and
 * the end marker at 0 (this is that bound; the kernel uses the size to
 * choose the set's backend). */
static uint32_t anon_size(const struct set_decl *d)
{
	uint32_t n = d->elements ? d->elements->len : 0;

	if ((d->flags & NFT_SET_INTERVAL) && d->key.n == 1)
		return 2 * n + 1;
	return n;
}

static void put_set_msg(struct nft_enc *e, const struct set_decl *d,
			uint16_t flags, uint32_t id)
{
	struct nft_msgbuf *b = &e->bt->buf;
	uint32_t kflags = d->flags & ~SET_F_AUTO_MERGE;
	size_t off, desc;

	if (d->is_map)
		kflags |= d->data.object ? NFT_SET_OBJECT : NFT_SET_MAP;
	if (d->key.n > 1)
		kflags |= NFT_SET_CONCAT;
	if (d->anonymous)
		kflags |= NFT_SET_ANONYMOUS;
	/* the kernel takes NFTA_SET_EXPRESSIONS only with this flag, and
	 * nftables sets it for a list (not for a lone NFTA_SET_EXPR) */
	if (d->exprs && d->exprs->len > 1)
		kflags |= NFT_SET_EXPR;
	off = nft_batch_msg(e->bt, NFT_MSG_NEWSET, NLM_F_CREATE | flags,
			    e->family, "newset", "%s", d->object);
	nft_put_strz(b, NFTA_SET_TABLE, e->table);
	nft_put_strz(b, NFTA_SET_NAME, d->name);
	nft_put_be32(b, NFTA_SET_FLAGS, kflags);
	nft_put_be32(b, NFTA_SET_KEY_TYPE, d->key.id);
	nft_put_be32(b, NFTA_SET_KEY_LEN, d->key.len);
	if (d->is_map && d->data.object) {
		nft_put_be32(b, NFTA_SET_OBJ_TYPE, d->data.object);
	} else if (d->is_map) {
		nft_put_be32(b, NFTA_SET_DATA_TYPE, d->data.id);
		nft_put_be32(b, NFTA_SET_DATA_LEN,
			     d->data.len * (d->data_interval ? 2 : 1));
	}
	if (d->has_policy)
		nft_put_be32(b, NFTA_SET_POLICY, d->policy);
	nft_put_be32(b, NFTA_SET_ID, id);
	/* A meter's set (anonymous, filled by the rule) has a size only
	 * when it was given one, as nftables sends it. */
	bool literal = d->anonymous && !(d->flags & NFT_SET_EVAL);
	if (d->has_size || d->key.n > 1 || literal) {
		desc = nft_nest_begin(b, NFTA_SET_DESC);
		if (d->has_size)
			nft_put_be32(b, NFTA_SET_DESC_SIZE, (uint32_t)d->size);
		else if (literal)
			nft_put_be32(b, NFTA_SET_DESC_SIZE, anon_size(d));
		if (d->key.n > 1) {
			size_t concat = nft_nest_begin(b, NFTA_SET_DESC_CONCAT);

			for (unsigned i = 0; i < d->key.n; i++) {
				size_t f = nft_nest_begin(b, NFTA_LIST_ELEM);

				nft_put_be32(b, NFTA_SET_FIELD_LEN,
					     d->key.t[i]->len);
				nft_nest_end(b, f);
			}
			nft_nest_end(b, concat);
		}
		nft_nest_end(b, desc);
	}
	if (d->has_timeout)
		nft_put_be64(b, NFTA_SET_TIMEOUT, d->timeout);
	if (d->has_gc)
		nft_put_be32(b, NFTA_SET_GC_INTERVAL, (uint32_t)d->gc);
	put_set_udata(b, d);
	/* checked by read_decl() */
	if (d->exprs)
		nft_set_exprs_put(b, d->exprs, NFTA_SET_EXPR,
				  NFTA_SET_EXPRESSIONS, NULL);
	nft_msg_end(b, off);
}

/* Element messages, started and closed as their lists fill up. */
struct elem_writer {
	struct nft_enc *e;
	const struct set_decl *d;
	uint16_t msg, flags;
	uint32_t set_id; /* 0: by name only */
	bool open;
	size_t msg_off, list_off;
};

static void writer_close(struct elem_writer *w)
{
	struct nft_msgbuf *b = &w->e->bt->buf;

	if (!w->open)
		return;
	nft_nest_end(b, w->list_off);
	nft_msg_end(b, w->msg_off);
	w->open = false;
}

static void writer_need(struct elem_writer *w)
{
	struct nft_msgbuf *b = &w->e->bt->buf;

	if (w->open && b->len - w->list_off < CHUNK_BYTES)
		return;
	writer_close(w);
	w->msg_off = nft_batch_msg(w->e->bt, w->msg, w->flags, w->e->family,
				   w->msg == NFT_MSG_NEWSETELEM ? "newsetelem"
								: "delsetelem",
				   "%s", w->d->object);
	nft_put_strz(b, NFTA_SET_ELEM_LIST_TABLE, w->e->table);
	nft_put_strz(b, NFTA_SET_ELEM_LIST_SET, w->d->name);
	if (w->set_id)
		nft_put_be32(b, NFTA_SET_ELEM_LIST_SET_ID, w->set_id);
	w->list_off = nft_nest_begin(b, NFTA_SET_ELEM_LIST_ELEMENTS);
	w->open = true;
}

static void put_data(struct nft_msgbuf *b, uint16_t type, const uint8_t *d,
		     uint32_t len)
{
	size_t n = nft_nest_begin(b, type);

	nft_put(b, NFTA_DATA_VALUE, d, len);
	nft_nest_end(b, n);
}

/* One element: `key` (and `key_end`), the element's extras when `el`,
 * kernel flags, and the interval-open userdata flag. */
static int put_elem(struct elem_writer *w, const uint8_t *key,
		    const uint8_t *key_end, const struct elem *el,
		    uint32_t kflags, bool open_end)
{
	struct nft_msgbuf *b = &w->e->bt->buf;
	const struct set_decl *d = w->d;
	size_t off;
	int rc = 0;

	writer_need(w);
	off = nft_nest_begin(b, NFTA_LIST_ELEM);
	if (kflags)
		nft_put_be32(b, NFTA_SET_ELEM_FLAGS, kflags);
	if (el && el->has_timeout)
		nft_put_be64(b, NFTA_SET_ELEM_TIMEOUT, el->timeout);
	if (el && el->has_expires)
		nft_put_be64(b, NFTA_SET_ELEM_EXPIRATION, el->expires);
	put_data(b, NFTA_SET_ELEM_KEY, key, d->key.len);
	if (key_end)
		put_data(b, NFTA_SET_ELEM_KEY_END, key_end, d->key.len);
	if (el && el->value && d->is_map && w->msg == NFT_MSG_NEWSETELEM) {
		if (d->data.object) {
			/* checked by read_elem(): a name */
			nft_put_strz(b, NFTA_SET_ELEM_OBJREF, el->value->str);
		} else if (d->data.verdict) {
			rc = nft_verdict_put(b, NFTA_SET_ELEM_DATA, el->value,
					     w->e->err);
		} else {
			uint8_t data[NFT_DATA_VALUE_MAXLEN];
			uint32_t len;

			rc = map_data(d, el->value, data, &len, elem_kind(d),
				      w->e->err);
			if (rc == 0)
				put_data(b, NFTA_SET_ELEM_DATA, data, len);
		}
	}
	if ((el && el->comment) || open_end) {
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(UDATA_MAX);

		if (!u)
			return -ENOMEM;
		if (el && el->comment)
			nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT,
					     el->comment);
		if (open_end)
			nftnl_udata_put_u32(u, NFTNL_UDATA_SET_ELEM_FLAGS,
					    NFTNL_SET_ELEM_F_INTERVAL_OPEN);
		nft_put(b, NFTA_SET_ELEM_USERDATA, nftnl_udata_buf_data(u),
			nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	/* checked by read_elem(); last, as libnftnl writes them */
	if (rc == 0 && el && el->exprs && w->msg == NFT_MSG_NEWSETELEM)
		nft_set_exprs_put(b, el->exprs, NFTA_SET_ELEM_EXPR,
				  NFTA_SET_ELEM_EXPRESSIONS, NULL);
	nft_nest_end(b, off);
	return rc;
}

/* Big-endian increment; false when it wraps (all ones). */
static bool be_inc(uint8_t *a, uint32_t len)
{
	for (uint32_t i = len; i-- > 0;)
		if (++a[i] != 0)
			return true;
	return false;
}

static bool be_dec(uint8_t *a, uint32_t len)
{
	for (uint32_t i = len; i-- > 0;)
		if (a[i]-- != 0)
			return true;
	return false;
}

static bool all_zero(const uint8_t *a, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		if (a[i])
			return false;
	return true;
}


/* Plain interval sets: sorted starts and ends, as nftables sends them. */
static int put_intervals(struct elem_writer *w, struct elem *els, uint32_t n,
			 bool zero_end)
{
	const struct set_decl *d = w->d;
	uint32_t len = d->key.len;
	uint8_t next[NFT_DATA_VALUE_MAXLEN];
	int rc;

	rc = sort_intervals(d, els, n, w->e->err);
	if (rc)
		return rc;
	if (zero_end && n && !all_zero(els[0].key, len)) {
		memset(next, 0, len);
		rc = put_elem(w, next, NULL, NULL, NFT_SET_ELEM_INTERVAL_END,
			      false);
		if (rc)
			return rc;
	}
	for (uint32_t i = 0; i < n; i++) {
		bool open;

		memcpy(next, els[i].end, len);
		open = !be_inc(next, len);
		rc = put_elem(w, els[i].key, NULL, &els[i], 0, open);
		if (rc)
			return rc;
		if (open)
			break;
		/* Also when the next interval starts right here, in a named
		 * set: nftables sends both, and deleting one of two adjacent
		 * intervals then finds its end.  An anonymous set is never
		 * changed, and nftables leaves that end out. */
		if (d->anonymous && i + 1 < n &&
		    memcmp(next, els[i + 1].key, len) == 0)
			continue;
		rc = put_elem(w, next, NULL, NULL, NFT_SET_ELEM_INTERVAL_END,
			      false);
		if (rc)
			return rc;
	}
	return 0;
}

static int put_elements(struct nft_enc *e, const struct set_decl *d,
			const struct linx_value *list, uint16_t msg,
			uint16_t flags, uint32_t set_id, bool zero_end)
{
	struct elem_writer w = {
		.e = e, .d = d, .msg = msg, .flags = flags, .set_id = set_id,
	};
	bool plain_intervals = (d->flags & NFT_SET_INTERVAL) && d->key.n == 1;
	bool concat_intervals = (d->flags & NFT_SET_INTERVAL) && d->key.n > 1;
	struct elem *els;
	int rc = 0;

	if (!list || list->len == 0)
		return 0;
	els = calloc(list->len, sizeof(*els));
	if (!els)
		return -ENOMEM;
	for (uint32_t i = 0; i < list->len && rc == 0; i++)
		rc = read_elem(d, &list->items[i], i,
			       msg == NFT_MSG_NEWSETELEM, &els[i], e->err);
	if (rc == 0 && plain_intervals)
		rc = put_intervals(&w, els, list->len, zero_end);
	for (uint32_t i = 0; rc == 0 && !plain_intervals && i < list->len;
	     i++)
		rc = put_elem(&w, els[i].key,
			      concat_intervals ? els[i].end : NULL, &els[i], 0,
			      false);
	writer_close(&w);
	free(els);
	if (rc)
		return rc;
	if (e->bt->buf.error)
		return e->bt->buf.error;
	return e->bt->error;
}

int nft_set_put(struct nft_enc *e, const struct linx_value *s, uint16_t flags)
{
	struct set_decl d;
	uint32_t id;
	int rc = read_decl(e->family, e->table, s, true, &d, e->err);

	if (rc)
		return rc;
	id = ++e->bt->next_set_id;
	put_set_msg(e, &d, flags, id);
	return put_elements(e, &d, d.elements, NFT_MSG_NEWSETELEM,
			    NLM_F_CREATE | (flags & NLM_F_EXCL), id, true);
}

int nft_setelem_put(struct nft_enc *e, const struct linx_value *s,
		    const struct linx_value *elements, uint16_t msg)
{
	struct set_decl d;
	int rc;

	if (msg != NFT_MSG_NEWSETELEM && msg != NFT_MSG_DELSETELEM)
		return -EINVAL;
	rc = read_decl(e->family, e->table, s, false, &d, e->err);
	if (rc)
		return rc;
	if (elements && elements->type != LINX_LIST)
		return nft_bad(e->err, elem_kind(&d), d.object,
			       "elements: expected a list");
	return put_elements(e, &d, elements, msg,
			    msg == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0, 0,
			    false);
}

void nft_set_put_delete(struct nft_batch *bt, uint8_t family,
			const char *table, const char *set)
{
	size_t off = nft_batch_msg(bt, NFT_MSG_DELSET, 0, family, "delset",
				   "%s/%s/set %s", family_name(family), table,
				   set);

	nft_put_strz(&bt->buf, NFTA_SET_TABLE, table);
	nft_put_strz(&bt->buf, NFTA_SET_NAME, set);
	nft_msg_end(&bt->buf, off);
}

/* ---- decoding --------------------------------------------------------------- */

static uint32_t get_be32(const struct nlattr *a)
{
	return be32toh(linx_nl_u32(a, 0));
}

static uint64_t get_be64(const struct nlattr *a)
{
	return be64toh(linx_nl_u64(a, 0));
}

/* Userdata TLVs {type u8, len u8, value}, walked within bounds (the
 * libnftnl iterator trusts the lengths it reads). */
struct udata_view {
	const uint8_t *v[8];
	uint8_t len[8];
};

static void udata_read(const struct nlattr *a, struct udata_view *u)
{
	const uint8_t *p, *end;

	memset(u, 0, sizeof(*u));
	if (!a)
		return;
	p = mnl_attr_get_payload(a);
	end = p + mnl_attr_get_payload_len(a);
	while (end - p >= 2 && end - p - 2 >= p[1]) {
		if (p[0] < 8) {
			u->v[p[0]] = p + 2;
			u->len[p[0]] = p[1];
		}
		p += 2 + p[1];
	}
}

static bool udata_str(const struct udata_view *u, unsigned type,
		      struct linx_value *map, const char *key)
{
	const uint8_t *s = u->v[type];
	size_t n;

	if (!s || u->len[type] == 0)
		return false;
	n = strnlen((const char *)s, u->len[type]);
	if (!linx_utf8_valid((const char *)s, n))
		return false;
	return linx_map_put_string(map, key, (const char *)s, n) == 0;
}

static bool udata_u32(const struct udata_view *u, unsigned type, uint32_t *ret)
{
	if (!u->v[type] || u->len[type] != 4)
		return false;
	memcpy(ret, u->v[type], 4);
	return true;
}

static void where_set(struct nft_where *w, const struct nlmsghdr *nlh,
		      const struct nlattr *table, const struct nlattr *set)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

	memset(w, 0, sizeof(*w));
	w->family = g->nfgen_family;
	linx_nl_str(table, w->table, sizeof(w->table));
	linx_nl_str(set, w->set, sizeof(w->set));
}

/* The field lengths of NFTA_SET_DESC_CONCAT, which the kernel reports
 * for sets created with them: 0 when there are none or too many. */
static unsigned concat_fields(const struct nlattr *nest, uint32_t *fields)
{
	static const struct linx_nl_policy pol[NFTA_SET_FIELD_MAX + 1] = {
		[NFTA_SET_FIELD_LEN] = { LINX_NL_U32, 0 },
	};
	const struct nlattr *a, *tf[NFTA_SET_FIELD_MAX + 1];
	unsigned n = 0;

	if (!nest)
		return 0;
	mnl_attr_for_each_nested(a, nest) {
		if (n == NFT_CONCAT_MAX)
			return 0;
		if (linx_nl_parse_nested(a, pol, NFTA_SET_FIELD_MAX, tf) < 0 ||
		    !tf[NFTA_SET_FIELD_LEN])
			return 0;
		fields[n++] = get_be32(tf[NFTA_SET_FIELD_LEN]);
	}
	return n;
}

int nft_set_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		  bool *anonymous, struct linx_value *ret)
{
	static const struct linx_nl_policy pol[NFTA_SET_MAX + 1] = {
		[NFTA_SET_TABLE] = { LINX_NL_STRING, 0 },
		[NFTA_SET_NAME] = { LINX_NL_STRING, 0 },
		[NFTA_SET_FLAGS] = { LINX_NL_U32, 0 },
		[NFTA_SET_KEY_TYPE] = { LINX_NL_U32, 0 },
		[NFTA_SET_KEY_LEN] = { LINX_NL_U32, 0 },
		[NFTA_SET_DATA_TYPE] = { LINX_NL_U32, 0 },
		[NFTA_SET_DATA_LEN] = { LINX_NL_U32, 0 },
		[NFTA_SET_POLICY] = { LINX_NL_U32, 0 },
		[NFTA_SET_DESC] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_TIMEOUT] = { LINX_NL_U64, 0 },
		[NFTA_SET_GC_INTERVAL] = { LINX_NL_U32, 0 },
		[NFTA_SET_USERDATA] = { LINX_NL_ANY, 0 },
		[NFTA_SET_HANDLE] = { LINX_NL_U64, 0 },
		[NFTA_SET_OBJ_TYPE] = { LINX_NL_U32, 0 },
		[NFTA_SET_EXPR] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_EXPRESSIONS] = { LINX_NL_NESTED, 0 },
	};
	static const struct linx_nl_policy desc_pol[NFTA_SET_DESC_MAX + 1] = {
		[NFTA_SET_DESC_SIZE] = { LINX_NL_U32, 0 },
		[NFTA_SET_DESC_CONCAT] = { LINX_NL_NESTED, 0 },
	};
	const struct nlattr *tb[NFTA_SET_MAX + 1], *td[NFTA_SET_DESC_MAX + 1];
	struct nft_keytype kt, dt;
	struct udata_view u;
	struct linx_value v;
	uint32_t flags, merge = 0;
	const char *pol_name;

	*ret = linx_value_nil();
	*anonymous = false;
	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), pol, NFTA_SET_MAX,
			      tb) < 0)
		return -EBADMSG;
	if (!tb[NFTA_SET_TABLE] || !tb[NFTA_SET_NAME] || !tb[NFTA_SET_KEY_LEN])
		return -EBADMSG;
	where_set(w, nlh, tb[NFTA_SET_TABLE], tb[NFTA_SET_NAME]);
	flags = get_be32(tb[NFTA_SET_FLAGS]);
	if (tb[NFTA_SET_DESC])
		linx_nl_parse_nested(tb[NFTA_SET_DESC], desc_pol,
				     NFTA_SET_DESC_MAX, td);
	else
		memset(td, 0, sizeof(td));
	uint32_t fields[NFT_CONCAT_MAX];
	unsigned nfields = concat_fields(td[NFTA_SET_DESC_CONCAT], fields);
	if (nft_keytype_from_wire(get_be32(tb[NFTA_SET_KEY_TYPE]),
				  get_be32(tb[NFTA_SET_KEY_LEN]), fields,
				  nfields, &kt) < 0)
		return -EBADMSG;
	/* nftables' mark of a map whose values are ranges, each twice its
	 * type's length */
	udata_read(tb[NFTA_SET_USERDATA], &u);
	uint32_t data_iv = 0;
	udata_u32(&u, NFTNL_UDATA_SET_DATA_INTERVAL, &data_iv);
	uint32_t dlen = tb[NFTA_SET_DATA_LEN] ? get_be32(tb[NFTA_SET_DATA_LEN])
					      : 0;
	if (data_iv && (dlen % 2 || !(flags & NFT_SET_MAP)))
		data_iv = 0;
	if ((flags & NFT_SET_MAP) &&
	    (!tb[NFTA_SET_DATA_TYPE] ||
	     nft_keytype_from_wire(get_be32(tb[NFTA_SET_DATA_TYPE]),
				   data_iv ? dlen / 2 : dlen, NULL, 0,
				   &dt) < 0))
		return -EBADMSG;
	if (flags & NFT_SET_OBJECT) {
		if (!tb[NFTA_SET_OBJ_TYPE])
			return -EBADMSG;
		memset(&dt, 0, sizeof(dt));
		dt.object = get_be32(tb[NFTA_SET_OBJ_TYPE]);
		if (!dt.object)
			return -EBADMSG;
	}
	*anonymous = flags & NFT_SET_ANONYMOUS;
	/* nftables keys host-order values (ct zone, meta cpu, numgen) with
	 * plain integers and says so only in the byte order */
	uint32_t order;
	if (udata_u32(&u, NFTNL_UDATA_SET_KEYBYTEORDER, &order) &&
	    order == BYTEORDER_HOST)
		nft_keytype_host_integer(&kt);
	if ((flags & NFT_SET_MAP) &&
	    udata_u32(&u, NFTNL_UDATA_SET_DATABYTEORDER, &order) &&
	    order == BYTEORDER_HOST)
		nft_keytype_host_integer(&dt);

	/* before the types: it gives integer components their widths */
	struct linx_value key_typeof = linx_value_nil();
	if (u.v[NFTNL_UDATA_SET_KEY_TYPEOF])
		nft_typeof_parse(u.v[NFTNL_UDATA_SET_KEY_TYPEOF],
				 u.len[NFTNL_UDATA_SET_KEY_TYPEOF], &kt,
				 &key_typeof);

	/* the data's too (a concatenation with ip ttl or ct zone) */
	struct linx_value data_typeof = linx_value_nil();
	if ((flags & NFT_SET_MAP) && u.v[NFTNL_UDATA_SET_DATA_TYPEOF])
		nft_typeof_parse(u.v[NFTNL_UDATA_SET_DATA_TYPEOF],
				 u.len[NFTNL_UDATA_SET_DATA_TYPEOF], &dt,
				 &data_typeof);

	*ret = linx_value_map();
	linx_map_put_cstring(ret, "name", w->set);
	nft_keytype_to_value(&kt, &v);
	linx_map_put(ret, "key_type", &v);
	if (flags & (NFT_SET_MAP | NFT_SET_OBJECT)) {
		nft_keytype_to_value(&dt, &v);
		linx_map_put(ret, "data_type", &v);
		if (data_iv)
			linx_map_put_bool(ret, "data_interval", true);
	}
	flags &= ~(uint32_t)(NFT_SET_MAP | NFT_SET_OBJECT | NFT_SET_CONCAT |
			     NFT_SET_ANONYMOUS | NFT_SET_EXPR);
	if (udata_u32(&u, NFTNL_UDATA_SET_MERGE_ELEMENTS, &merge) && merge)
		flags |= SET_F_AUTO_MERGE;
	if (flags) {
		nft_flags_to_value(set_flags, flags, &v);
		linx_map_put(ret, "flags", &v);
	}
	if (tb[NFTA_SET_TIMEOUT])
		linx_map_put_uint(ret, "timeout", get_be64(tb[NFTA_SET_TIMEOUT]));
	if (tb[NFTA_SET_GC_INTERVAL])
		linx_map_put_uint(ret, "gc_interval",
				  get_be32(tb[NFTA_SET_GC_INTERVAL]));
	if (tb[NFTA_SET_DESC]) {
		/* a set literal's size is its element count; a meter's
		 * (anonymous, filled by its rule) is configuration */
		if (td[NFTA_SET_DESC_SIZE] &&
		    (!*anonymous || (flags & NFT_SET_EVAL)))
			linx_map_put_uint(ret, "size",
					  get_be32(td[NFTA_SET_DESC_SIZE]));
	}
	if (tb[NFTA_SET_POLICY]) {
		pol_name = nft_sym_name(set_policies,
					get_be32(tb[NFTA_SET_POLICY]));
		if (pol_name)
			linx_map_put_cstring(ret, "policy", pol_name);
	}
	if (tb[NFTA_SET_EXPR] || tb[NFTA_SET_EXPRESSIONS]) {
		int rc = nft_set_exprs_parse(tb[NFTA_SET_EXPR],
					     tb[NFTA_SET_EXPRESSIONS], &v);

		if (rc < 0) {
			linx_value_clear(&key_typeof);
			linx_value_clear(&data_typeof);
			linx_value_clear(ret);
			return rc == -ENOMEM ? rc : -EBADMSG;
		}
		linx_map_put(ret, "exprs", &v);
	}
	udata_str(&u, NFTNL_UDATA_SET_COMMENT, ret, "comment");
	if (key_typeof.type != LINX_NIL)
		linx_map_put(ret, "key_typeof", &key_typeof);
	if (data_typeof.type != LINX_NIL)
		linx_map_put(ret, "data_typeof", &data_typeof);
	if (tb[NFTA_SET_HANDLE])
		linx_map_put_uint(ret, "handle", get_be64(tb[NFTA_SET_HANDLE]));
	if (*anonymous)
		linx_map_put_bool(ret, "anonymous", true);
	return nft_built(ret);
}

/* The key or data bytes of an nft_data nest, exactly `len` long. */
static const uint8_t *data_value(const struct nlattr *nest, uint32_t len)
{
	static const struct linx_nl_policy pol[NFTA_DATA_MAX + 1] = {
		[NFTA_DATA_VALUE] = { LINX_NL_ANY, 0 },
	};
	const struct nlattr *tb[NFTA_DATA_MAX + 1];

	if (!nest)
		return NULL;
	linx_nl_parse_nested(nest, pol, NFTA_DATA_MAX, tb);
	if (!tb[NFTA_DATA_VALUE] ||
	    mnl_attr_get_payload_len(tb[NFTA_DATA_VALUE]) != len)
		return NULL;
	return mnl_attr_get_payload(tb[NFTA_DATA_VALUE]);
}

/* The declaration a decoder needs: key and data types, interval. */
static int decl_of(const struct linx_value *set, struct set_decl *d)
{
	struct linx_error err;

	linx_error_clear(&err);
	return read_decl(0, NULL, set, false, d, &err);
}

static int parse_elem(const struct set_decl *d, const struct nlattr *a,
		      struct linx_value *ret)
{
	static const struct linx_nl_policy pol[NFTA_SET_ELEM_MAX + 1] = {
		[NFTA_SET_ELEM_KEY] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_ELEM_DATA] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_ELEM_FLAGS] = { LINX_NL_U32, 0 },
		[NFTA_SET_ELEM_TIMEOUT] = { LINX_NL_U64, 0 },
		[NFTA_SET_ELEM_EXPIRATION] = { LINX_NL_U64, 0 },
		[NFTA_SET_ELEM_USERDATA] = { LINX_NL_ANY, 0 },
		[NFTA_SET_ELEM_KEY_END] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_ELEM_OBJREF] = { LINX_NL_STRING, 0 },
		[NFTA_SET_ELEM_EXPR] = { LINX_NL_NESTED, 0 },
		[NFTA_SET_ELEM_EXPRESSIONS] = { LINX_NL_NESTED, 0 },
	};
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1];
	uint8_t key[NFT_DATA_VALUE_MAXLEN], end[NFT_DATA_VALUE_MAXLEN];
	const uint8_t *k, *ke = NULL;
	bool interval = d->flags & NFT_SET_INTERVAL;
	struct linx_value kv = linx_value_nil(), dv = linx_value_nil();
	struct linx_value xv = linx_value_nil();
	struct udata_view u;
	uint32_t flags;
	int rc;

	*ret = linx_value_nil();
	if (linx_nl_parse_nested(a, pol, NFTA_SET_ELEM_MAX, tb) < 0)
		return -EBADMSG;
	flags = get_be32(tb[NFTA_SET_ELEM_FLAGS]);
	if (flags & NFT_SET_ELEM_CATCHALL)
		return 1; /* no key: not modelled, skipped */
	k = data_value(tb[NFTA_SET_ELEM_KEY], d->key.len);
	if (!k)
		return -EBADMSG;
	memcpy(key, k, d->key.len);
	if (tb[NFTA_SET_ELEM_KEY_END]) {
		ke = data_value(tb[NFTA_SET_ELEM_KEY_END], d->key.len);
		if (!ke)
			return -EBADMSG;
		memcpy(end, ke, d->key.len);
	}
	if (interval) {
		nft_data_interval_order(&d->key, key);
		if (ke)
			nft_data_interval_order(&d->key, end);
	}
	rc = ke ? nft_interval_to_value(&d->key, key, end, &kv)
		: nft_data_to_value(&d->key, key, d->key.len, &kv);
	if (rc)
		return rc == -ENOMEM ? rc : -EBADMSG;
	if (d->is_map && d->data.object && tb[NFTA_SET_ELEM_OBJREF] &&
	    !(flags & NFT_SET_ELEM_INTERVAL_END)) {
		char name[NFT_OBJ_MAXNAMELEN];

		linx_nl_str(tb[NFTA_SET_ELEM_OBJREF], name, sizeof(name));
		rc = linx_value_cstring(&dv, name);
		if (rc) {
			linx_value_clear(&kv);
			return rc == -ENOMEM ? rc : -EBADMSG;
		}
	} else if (d->is_map && !d->data.object && tb[NFTA_SET_ELEM_DATA] &&
		   !(flags & NFT_SET_ELEM_INTERVAL_END)) {
		if (d->data.verdict) {
			rc = nft_verdict_parse(tb[NFTA_SET_ELEM_DATA], &dv);
		} else {
			uint32_t dl = d->data.len * (d->data_interval ? 2 : 1);
			const uint8_t *dd = data_value(tb[NFTA_SET_ELEM_DATA],
						       dl);

			rc = !dd ? -EBADMSG
			     : d->data_interval
				     ? nft_interval_to_value(&d->data, dd,
							     dd + d->data.len,
							     &dv)
				     : nft_data_to_value(&d->data, dd,
							 d->data.len, &dv);
		}
		if (rc) {
			linx_value_clear(&kv);
			return rc == -ENOMEM ? rc : -EBADMSG;
		}
	}
	if (tb[NFTA_SET_ELEM_EXPR] || tb[NFTA_SET_ELEM_EXPRESSIONS]) {
		rc = nft_set_exprs_parse(tb[NFTA_SET_ELEM_EXPR],
					 tb[NFTA_SET_ELEM_EXPRESSIONS], &xv);
		if (rc) {
			linx_value_clear(&kv);
			linx_value_clear(&dv);
			return rc == -ENOMEM ? rc : -EBADMSG;
		}
	}
	udata_read(tb[NFTA_SET_ELEM_USERDATA], &u);
	if (dv.type == LINX_NIL && xv.type == LINX_NIL &&
	    !tb[NFTA_SET_ELEM_TIMEOUT] &&
	    !tb[NFTA_SET_ELEM_EXPIRATION] &&
	    !u.v[NFTNL_UDATA_SET_ELEM_COMMENT] &&
	    !(flags & NFT_SET_ELEM_INTERVAL_END)) {
		*ret = kv;
		return 0;
	}
	*ret = linx_value_map();
	linx_map_put(ret, "key", &kv);
	if (dv.type != LINX_NIL)
		linx_map_put(ret, "value", &dv);
	if (tb[NFTA_SET_ELEM_TIMEOUT])
		linx_map_put_uint(ret, "timeout",
				  get_be64(tb[NFTA_SET_ELEM_TIMEOUT]));
	if (tb[NFTA_SET_ELEM_EXPIRATION])
		linx_map_put_uint(ret, "expires",
				  get_be64(tb[NFTA_SET_ELEM_EXPIRATION]));
	udata_str(&u, NFTNL_UDATA_SET_ELEM_COMMENT, ret, "comment");
	if (xv.type != LINX_NIL)
		linx_map_put(ret, "exprs", &xv);
	if (flags & NFT_SET_ELEM_INTERVAL_END)
		linx_map_put_bool(ret, "end", true);
	return nft_built(ret);
}

int nft_setelem_parse(const struct nlmsghdr *nlh, const struct linx_value *set,
		      struct nft_where *w, struct linx_value *elements)
{
	static const struct linx_nl_policy pol[NFTA_SET_ELEM_LIST_MAX + 1] = {
		[NFTA_SET_ELEM_LIST_TABLE] = { LINX_NL_STRING, 0 },
		[NFTA_SET_ELEM_LIST_SET] = { LINX_NL_STRING, 0 },
		[NFTA_SET_ELEM_LIST_ELEMENTS] = { LINX_NL_NESTED, 0 },
	};
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1], *a;
	struct set_decl d;
	int rc;

	if (!elements || elements->type != LINX_LIST)
		return -EINVAL;
	if (decl_of(set, &d) < 0)
		return -EINVAL;
	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), pol,
			      NFTA_SET_ELEM_LIST_MAX, tb) < 0)
		return -EBADMSG;
	if (!tb[NFTA_SET_ELEM_LIST_TABLE] || !tb[NFTA_SET_ELEM_LIST_SET])
		return -EBADMSG;
	where_set(w, nlh, tb[NFTA_SET_ELEM_LIST_TABLE],
		  tb[NFTA_SET_ELEM_LIST_SET]);
	if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		return 0;
	mnl_attr_for_each_nested(a, tb[NFTA_SET_ELEM_LIST_ELEMENTS]) {
		struct linx_value el;

		if ((a->nla_type & NLA_TYPE_MASK) != NFTA_LIST_ELEM)
			continue;
		rc = parse_elem(&d, a, &el);
		if (rc < 0)
			return rc;
		if (rc == 0 && linx_list_push(elements, &el) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- folding intervals -------------------------------------------------------- */

struct point {
	uint8_t key[NFT_DATA_VALUE_MAXLEN];
	bool end;
	uint32_t index; /* into the element list */
};

static int point_cmp(const void *x, const void *y)
{
	const struct point *a = x, *b = y;
	int c = memcmp(a->key, b->key, sizeof(a->key));

	if (c)
		return c;
	/* An end at X closes the interval before a start at X opens. */
	return (int)b->end - (int)a->end;
}

static const struct linx_value *elem_key(const struct linx_value *el)
{
	const struct linx_value *k;

	if (el->type == LINX_MAP && (k = linx_map_get(el, "key")))
		return k;
	return el;
}

static bool elem_is_end(const struct linx_value *el)
{
	const struct linx_value *e =
		el->type == LINX_MAP ? linx_map_get(el, "end") : NULL;

	return e && e->type == LINX_BOOL && e->b;
}

/* Replace the key of element `el` (moved out of the old list) with the
 * interval [lo, hi]. */
static int set_interval(const struct set_decl *d, struct linx_value *el,
			uint8_t *lo, uint8_t *hi)
{
	struct linx_value kv;
	int rc;

	nft_data_interval_order(&d->key, lo);
	nft_data_interval_order(&d->key, hi);
	rc = nft_interval_to_value(&d->key, lo, hi, &kv);
	if (rc)
		return rc;
	if (el->type == LINX_MAP && linx_map_get(el, "key"))
		return linx_map_put(el, "key", &kv);
	linx_value_clear(el);
	*el = kv;
	return 0;
}

/* An element and its key (and last key) as the kernel orders them. */
struct sorted {
	uint8_t key[NFT_DATA_VALUE_MAXLEN], end[NFT_DATA_VALUE_MAXLEN];
	uint32_t index;
};

static int sorted_cmp(const void *x, const void *y)
{
	const struct sorted *a = x, *b = y;
	int c = memcmp(a->key, b->key, sizeof(a->key));

	return c ? c : memcmp(a->end, b->end, sizeof(a->end));
}

/* Hash sets dump in an order of their own (it differs between two
 * namespaces holding the same set): put every set's elements in key
 * order, so that a pull is the same wherever it is taken. */
static int sort_elements(const struct set_decl *d, struct linx_value *elements)
{
	bool interval = d->flags & NFT_SET_INTERVAL;
	uint32_t n = elements->len;
	struct linx_value out = linx_value_list();
	struct linx_error err;
	struct sorted *v;
	int rc = 0;

	v = calloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	linx_error_clear(&err);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t l;

		if (nft_data_from_value(&d->key, elem_key(&elements->items[i]),
					v[i].key, &l, interval ? v[i].end : NULL,
					NULL, "bad_set", &err) < 0) {
			free(v);
			return 0; /* not ours to judge: kernel order */
		}
		/* Numeric order for host-order components, as intervals. */
		nft_data_interval_order(&d->key, v[i].key);
		if (interval)
			nft_data_interval_order(&d->key, v[i].end);
		v[i].index = i;
	}
	qsort(v, n, sizeof(*v), sorted_cmp);
	if (linx_value_reserve(&out, n) < 0) {
		free(v);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n && rc == 0; i++)
		rc = linx_list_push(&out, &elements->items[v[i].index]);
	free(v);
	if (rc) {
		linx_value_clear(&out);
		return rc;
	}
	linx_value_clear(elements);
	*elements = out;
	return nft_built(elements);
}

/* One element's first and last key, in the kernel's order. */
struct span {
	uint8_t key[NFT_DATA_VALUE_MAXLEN], end[NFT_DATA_VALUE_MAXLEN];
	uint32_t index;
};

static int span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *b = y;

	return memcmp(a->key, b->key, sizeof(a->key));
}

int nft_setelem_automerge(const struct linx_value *set,
			  struct linx_value *elements)
{
	struct set_decl d;
	struct span *v;
	struct linx_value out;
	struct linx_error err;
	uint8_t next[NFT_DATA_VALUE_MAXLEN];
	uint32_t n, len, run = 0;
	int rc = 0;

	if (!elements || elements->type != LINX_LIST || decl_of(set, &d) < 0)
		return -EINVAL;
	if (elements->len < 2 || !(d.flags & NFT_SET_INTERVAL) || d.key.n != 1)
		return 0;
	n = elements->len;
	len = d.key.len;
	v = calloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	linx_error_clear(&err);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t l;

		if (nft_data_from_value(&d.key, elem_key(&elements->items[i]),
					v[i].key, &l, v[i].end, NULL, "bad_set",
					&err) < 0) {
			free(v);
			return -EINVAL;
		}
		nft_data_interval_order(&d.key, v[i].key);
		nft_data_interval_order(&d.key, v[i].end);
		v[i].index = i;
	}
	qsort(v, n, sizeof(*v), span_cmp);
	out = linx_value_list();
	for (uint32_t i = 1; i <= n && rc == 0; i++) {
		/* v[i] joins the run when it starts at or before the run's
		 * last key + 1 */
		if (i < n) {
			memcpy(next, v[run].end, len);
			bool open = !be_inc(next, len);
			if (open || memcmp(v[i].key, next, len) <= 0) {
				if (memcmp(v[i].end, v[run].end, len) > 0)
					memcpy(v[run].end, v[i].end, len);
				continue;
			}
		}
		struct linx_value *el = &elements->items[v[run].index];
		if (i - run > 1)
			rc = set_interval(&d, el, v[run].key, v[run].end);
		if (rc == 0)
			rc = linx_list_push(&out, el);
		run = i;
	}
	free(v);
	if (rc) {
		linx_value_clear(&out);
		return rc;
	}
	/* the elements merged into another go with the old list */
	linx_value_clear(elements);
	*elements = out;
	return nft_built(elements);
}

int nft_setelem_merge(const struct linx_value *set, struct linx_value *elements)
{
	struct set_decl d;
	struct point *pts;
	struct linx_value out, *items;
	struct linx_error err;
	uint32_t n, len, pending = UINT32_MAX;
	uint8_t lo[NFT_DATA_VALUE_MAXLEN], hi[NFT_DATA_VALUE_MAXLEN];
	int rc = 0;

	if (!elements || elements->type != LINX_LIST)
		return -EINVAL;
	if (decl_of(set, &d) < 0)
		return -EINVAL;
	if (elements->len == 0)
		return 0;
	if (!(d.flags & NFT_SET_INTERVAL) || d.key.n != 1)
		return sort_elements(&d, elements);
	n = elements->len;
	len = d.key.len;
	items = elements->items;
	pts = calloc(n, sizeof(*pts));
	if (!pts)
		return -ENOMEM;
	linx_error_clear(&err);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t l;

		if (nft_data_from_value(&d.key, elem_key(&items[i]),
					pts[i].key, &l, NULL, NULL, "bad_set",
					&err) < 0) {
			free(pts);
			return -EINVAL;
		}
		nft_data_interval_order(&d.key, pts[i].key);
		pts[i].end = elem_is_end(&items[i]);
		pts[i].index = i;
	}
	qsort(pts, n, sizeof(*pts), point_cmp);

	out = linx_value_list();
	for (uint32_t i = 0; i <= n && rc == 0; i++) {
		bool at_end = i == n;

		if (pending != UINT32_MAX) {
			/* Any next point closes the pending interval just
			 * before it; none leaves it open to the largest key. */
			memcpy(lo, pts[pending].key, len);
			if (at_end) {
				memset(hi, 0xff, len);
			} else {
				memcpy(hi, pts[i].key, len);
				be_dec(hi, len);
			}
			rc = set_interval(&d, &items[pts[pending].index], lo,
					  hi);
			if (rc == 0)
				rc = linx_list_push(&out,
						    &items[pts[pending].index]);
			pending = UINT32_MAX;
		}
		if (at_end || rc)
			break;
		if (!pts[i].end)
			pending = i;
	}
	free(pts);
	if (rc) {
		linx_value_clear(&out);
		return rc;
	}
	/* The end markers and anything not moved go with the old list. */
	linx_value_clear(elements);
	*elements = out;
	return nft_built(elements);
}
