/* SPDX-License-Identifier: MIT */
/*
 * diff and patch: the minimal set of operations that turns one ruleset
 * value (pulled: rules carry handles) into another, as a value that can
 * be inspected, serialised and applied (docs/nft/patch.md).
 *
 * Identity: tables by (family, name), chains, sets, flowtables by name in
 * their table, objects by (kind, name), rules by tag (else by position),
 * set elements by value.  Scope: only the tables of the desired ruleset;
 * others are never touched.  Equality is decided on the wire: two rules
 * are equal when they encode to the same bytes (kernel-kept counters
 * aside), so sugar in the desired value and the kernel's canonical form
 * compare equal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

/* The operation kinds, in the order a patch applies them.  Rules are
 * created before they are replaced: a created rule is placed before a
 * kept rule's handle, which a replacement retires. */
enum op_kind {
	OP_DELETE_RULE,
	OP_DELETE_SET_ELEMENTS,
	OP_DELETE_CHAIN,
	OP_DELETE_SET,
	OP_DELETE_OBJECT,
	OP_DELETE_FLOWTABLE,
	OP_DELETE_TABLE,
	OP_CREATE_TABLE,
	OP_CREATE_OBJECT,
	OP_UPDATE_OBJECT,
	OP_CREATE_SET,
	OP_CREATE_FLOWTABLE,
	OP_CREATE_CHAIN,
	OP_ADD_SET_ELEMENTS,
	OP_CREATE_RULE,
	OP_REPLACE_RULE,
	OP_KINDS,
};

static const char *const op_names[OP_KINDS] = {
	[OP_DELETE_RULE] = "delete_rule",
	[OP_DELETE_SET_ELEMENTS] = "delete_set_elements",
	[OP_DELETE_CHAIN] = "delete_chain",
	[OP_DELETE_SET] = "delete_set",
	[OP_DELETE_OBJECT] = "delete_object",
	[OP_DELETE_FLOWTABLE] = "delete_flowtable",
	[OP_DELETE_TABLE] = "delete_table",
	[OP_CREATE_TABLE] = "create_table",
	[OP_CREATE_OBJECT] = "create_object",
	[OP_UPDATE_OBJECT] = "update_object",
	[OP_CREATE_SET] = "create_set",
	[OP_CREATE_FLOWTABLE] = "create_flowtable",
	[OP_CREATE_CHAIN] = "create_chain",
	[OP_ADD_SET_ELEMENTS] = "add_set_elements",
	[OP_CREATE_RULE] = "create_rule",
	[OP_REPLACE_RULE] = "replace_rule",
};

struct differ {
	struct linx_value ops[OP_KINDS]; /* one list per kind */
	struct linx_error *err;
	const char *family;
	const char *table;
	/* The desired table's sets: which of them carry expressions. */
	const struct linx_value *sets;
	/* Two batches reused for every encoding comparison. */
	struct nft_batch scratch[2];
	struct nft_kept *kept; /* NULL: not recorded */
};

static const struct linx_value *get(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);

	return v && v->type != LINX_NIL ? v : NULL;
}

static const struct linx_value *list_of(const struct linx_value *m,
					const char *k)
{
	const struct linx_value *v = get(m, k);

	return v && v->type == LINX_LIST ? v : NULL;
}

static const char *str_of(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = get(m, k);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

/* A copy of `m` without the keys in `drop` (NULL-terminated). */
static int copy_without(const struct linx_value *m, const char *const *drop,
			struct linx_value *ret)
{
	*ret = linx_value_map();
	for (uint32_t i = 0; i < m->len; i++) {
		const struct linx_pair *p = &m->pairs[i];
		struct linx_value c;
		bool skip = false;

		for (const char *const *d = drop; *d; d++)
			skip |= strcmp(*d, p->key) == 0;
		if (skip)
			continue;
		if (linx_value_copy(&c, &p->value) < 0)
			return -ENOMEM;
		linx_map_put(ret, p->key, &c);
	}
	return nft_built(ret);
}

/* A new op {op, family, table, ...} appended to its kind's list; returns
 * the op map for the caller to finish (NULL when out of memory). */
static struct linx_value *new_op(struct differ *d, enum op_kind k)
{
	struct linx_value op = linx_value_map();
	struct linx_value *list = &d->ops[k];

	linx_map_put_cstring(&op, "op", op_names[k]);
	linx_map_put_cstring(&op, "family", d->family);
	linx_map_put_cstring(&op, "table", d->table);
	if (linx_list_push(list, &op) < 0)
		return NULL;
	return &list->items[list->len - 1];
}

static int put_copy(struct linx_value *op, const char *key,
		    const struct linx_value *v, const char *const *drop)
{
	struct linx_value c;
	int r = drop ? copy_without(v, drop, &c) : linx_value_copy(&c, v);

	if (r < 0)
		return r;
	return linx_map_put(op, key, &c);
}

static const char *const no_children[] = { "chains", "sets", "objects",
					   "flowtables", "handle", "use",
					   NULL };
static const char *const no_rules[] = { "rules", "handle", "use", NULL };
static const char *const no_elements[] = { "elements", "handle", NULL };
static const char *const no_handle[] = { "handle", NULL };

/* ---- rules ------------------------------------------------------------------ */

static bool dropped(const char *key, const char *const *drop)
{
	for (; drop && *drop; drop++)
		if ((*drop)[0] == key[0] && strcmp(*drop, key) == 0)
			return true;
	return false;
}

/*
 * The rule without what the kernel keeps for itself (counter and quota
 * state, the handle, a position): its encoding is its identity for
 * comparison.  A cold reconcile pass compares 10,000 rules this way, so
 * this is a view, not a copy: the pairs and expressions of `r` are
 * borrowed (bitwise), and only a counter or quota stripped of its state
 * is a copy of its own.  rule_view_free() releases what the view owns.
 */
struct rule_view {
	struct linx_value map;	 /* pairs borrowed from the rule */
	struct linx_value exprs; /* items borrowed, but owned[i] */
	bool *owned;
};

static void rule_view_free(struct rule_view *v)
{
	for (uint32_t i = 0; v->owned && i < v->exprs.len; i++)
		if (v->owned[i])
			linx_value_clear(&v->exprs.items[i]);
	free(v->exprs.items);
	free(v->map.pairs);
	free(v->owned);
	memset(v, 0, sizeof(*v));
}

static int rule_view(const struct linx_value *r, struct rule_view *v)
{
	static const char *const drop[] = { "handle", "position", "exprs",
					    NULL };
	static const char *const state[] = { "packets", "bytes", NULL };
	static const char *const quota_state[] = { "consumed", "used", NULL };
	const struct linx_value *exprs = list_of(r, "exprs");
	uint32_t n = exprs ? exprs->len : 0;

	memset(v, 0, sizeof(*v));
	v->map.type = LINX_MAP;
	v->exprs.type = LINX_LIST;
	v->map.pairs = calloc(r->len + 1, sizeof(*v->map.pairs));
	v->exprs.items = calloc(n ? n : 1, sizeof(*v->exprs.items));
	v->owned = calloc(n ? n : 1, sizeof(*v->owned));
	if (!v->map.pairs || !v->exprs.items || !v->owned) {
		rule_view_free(v);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct linx_value *e = &exprs->items[i];
		const char *name = e->type == LINX_MAP ? str_of(e, "expr") : NULL;
		const char *const *strip =
			!name			      ? NULL
			: strcmp(name, "counter") == 0 ? state
			: strcmp(name, "quota") == 0   ? quota_state
						       : NULL;

		if (strip) {
			if (copy_without(e, strip, &v->exprs.items[i]) < 0) {
				v->exprs.len = i + 1;
				v->owned[i] = true;
				rule_view_free(v);
				return -ENOMEM;
			}
			v->owned[i] = true;
		} else {
			v->exprs.items[i] = *e;
		}
	}
	v->exprs.len = v->exprs.cap = n;
	for (uint32_t i = 0; i < r->len; i++)
		if (!dropped(r->pairs[i].key, drop))
			v->map.pairs[v->map.len++] = r->pairs[i];
	v->map.pairs[v->map.len].key = "exprs";
	v->map.pairs[v->map.len].key_len = 5;
	v->map.pairs[v->map.len].value = v->exprs;
	v->map.len++;
	v->map.cap = v->map.len;
	return 0;
}

/* Encode a rule into `bt` (reset first) for comparison. */
static int rule_encode(struct differ *d, struct nft_batch *bt,
		       const struct linx_value *rule)
{
	struct rule_view c;
	struct nft_enc e = { .bt = bt, .table = d->table, .chain = "",
			     .err = d->err };
	int64_t fam = 0;
	int r;

	/* Reuse the memory: keep the buffer and the origins array. */
	nft_msgbuf_reset(&bt->buf);
	bt->n = 0;
	bt->next_set_id = 0;
	bt->error = 0;
	nft_sym_val(nft_families, d->family, &fam);
	e.family = (uint8_t)fam;
	if (rule->type != LINX_MAP || rule_view(rule, &c) < 0)
		return -ENOMEM;
	r = nft_rule_put(&e, &c.map, 0);
	rule_view_free(&c);
	if (r == 0 && (bt->error || bt->buf.error))
		r = bt->error ? bt->error : bt->buf.error;
	return r;
}


static bool exprs_struct_equal(const struct linx_value *a,
			       const struct linx_value *b);

/* Maps `a` and `b` equal as values once the keys in `drop` are left out
 * of both; "exprs" (with exprs true) compares as an expression list. */
static bool map_equal_without(const struct linx_value *a,
			      const struct linx_value *b,
			      const char *const *drop, bool exprs)
{
	uint32_t na = 0, nb = 0;

	if (a->type != LINX_MAP || b->type != LINX_MAP)
		return false;
	for (uint32_t i = 0; i < b->len; i++)
		nb += !dropped(b->pairs[i].key, drop);
	for (uint32_t i = 0; i < a->len; i++) {
		const struct linx_pair *p = &a->pairs[i];
		const struct linx_value *o;

		if (dropped(p->key, drop))
			continue;
		na++;
		/* Same position first: maps built alike keep their order.
		 * Lengths before bytes: 10,000 rules, a few keys each. */
		if (i < b->len && b->pairs[i].key_len == p->key_len &&
		    memcmp(b->pairs[i].key, p->key, p->key_len) == 0)
			o = &b->pairs[i].value;
		else if (!(o = linx_map_get(b, p->key)))
			return false;
		if (exprs && p->key_len == 5 && memcmp(p->key, "exprs", 5) == 0 ?
			    !exprs_struct_equal(&p->value, o) :
			    !linx_value_equal(&p->value, o))
			return false;
	}
	return na == nb;
}

/* What the kernel reports for a field a ruleset may leave out, or what
 * it leaves out of what a ruleset says: no flags (a lookup's, a dynset's
 * or a limit's 0 comes back as []), a dynset's timeout 0 (none) and its
 * "expr" flag (implied by its expressions, never reported), a bitwise's
 * op "bool" (the default), a tcp reset's code 0, a hash's or numgen's
 * offset 0 (sent, as nft sends it, and not reported), a syslog log's
 * level warn. Either way the kernel
 * holds the same rule. */
static bool kernel_default(const char *expr, const struct linx_pair *p)
{
	const struct linx_value *v = &p->value;

	if (p->key_len == 5 && memcmp(p->key, "flags", 5) == 0) {
		if (v->type != LINX_LIST)
			return false;
		for (uint32_t i = 0; i < v->len; i++)
			if (strcmp(expr, "dynset") != 0 ||
			    v->items[i].type != LINX_STRING ||
			    strcmp(v->items[i].str, "expr") != 0)
				return false;
		return true;
	}
	if (p->key_len == 7 && memcmp(p->key, "timeout", 7) == 0)
		return (v->type == LINX_INT && v->i == 0) ||
		       (v->type == LINX_UINT && v->u == 0);
	if (p->key_len == 2 && memcmp(p->key, "op", 2) == 0)
		return strcmp(expr, "bitwise") == 0 && v->type == LINX_STRING &&
		       strcmp(v->str, "bool") == 0;
	if (p->key_len == 6 && memcmp(p->key, "offset", 6) == 0)
		return (strcmp(expr, "hash") == 0 ||
			strcmp(expr, "numgen") == 0) &&
		       ((v->type == LINX_INT && v->i == 0) ||
			(v->type == LINX_UINT && v->u == 0));
	/* a log to syslog: the kernel logs at warn when told no level,
	 * and reports it */
	if (p->key_len == 5 && memcmp(p->key, "level", 5) == 0)
		return strcmp(expr, "log") == 0 && v->type == LINX_STRING &&
		       strcmp(v->str, "warn") == 0;
	if (p->key_len == 4 && memcmp(p->key, "code", 4) == 0)
		return strcmp(expr, "reject") == 0 &&
		       ((v->type == LINX_INT && v->i == 0) ||
			(v->type == LINX_UINT && v->u == 0));
	return false;
}

/* Two elements of an anonymous set: equal as values, or the same but
 * for the state of their statements (an element's counter as the kernel
 * lists it, {"key": k, "exprs": [counter]} against the desired one). */
static bool element_equal(const struct linx_value *a,
			  const struct linx_value *b)
{
	static const char *const same[] = { "key", "comment", "timeout",
					    "expires", "value", NULL };
	static const char *const known[] = { "key", "comment", "timeout",
					     "expires", "value", "exprs",
					     NULL };

	if (linx_value_equal(a, b))
		return true;
	if (a->type != LINX_MAP || b->type != LINX_MAP ||
	    !get(a, "exprs") || !get(b, "exprs"))
		return false;
	for (size_t i = 0; same[i]; i++) {
		const struct linx_value *x = get(a, same[i]), *y = get(b, same[i]);
		if ((x || y) && !linx_value_equal(x, y))
			return false;
	}
	for (uint32_t i = 0; i < a->len; i++)
		if (!dropped(a->pairs[i].key, known))
			return false;
	for (uint32_t i = 0; i < b->len; i++)
		if (!dropped(b->pairs[i].key, known))
			return false;
	return exprs_struct_equal(get(a, "exprs"), get(b, "exprs"));
}

/* The elements of an anonymous set, in any order: the kernel lists a
 * hash set's in its own. Quadratic, so only for sets a rule writes
 * inline (a few hundred elements at most); larger ones must match in
 * order. */
static bool elements_equal(const struct linx_value *a,
			   const struct linx_value *b)
{
	if (linx_value_equal(a, b))
		return true;
	if (a->type != LINX_LIST || b->type != LINX_LIST || a->len != b->len ||
	    a->len > 1024)
		return false;
	for (uint32_t i = 0; i < a->len; i++) {
		uint32_t j = 0;
		while (j < b->len && !element_equal(&a->items[i], &b->items[j]))
			j++;
		if (j == b->len)
			return false;
	}
	return true;
}

static bool is_state(const char *expr, const char *key)
{
	if (strcmp(expr, "counter") == 0)
		return strcmp(key, "packets") == 0 || strcmp(key, "bytes") == 0;
	if (strcmp(expr, "quota") == 0)
		return strcmp(key, "consumed") == 0 || strcmp(key, "used") == 0;
	return false;
}

/* Whether `a`'s pairs are in `b`, the kernel's state and defaults aside;
 * `n` counts the pairs compared. Nested expressions (a dynset's) go
 * through the same comparison. */
static bool expr_pairs_in(const struct linx_value *a, const struct linx_value *b,
			  const char *expr, uint32_t *n)
{
	for (uint32_t i = 0; i < a->len; i++) {
		const struct linx_pair *p = &a->pairs[i];
		const struct linx_value *o = get(b, p->key);

		if (is_state(expr, p->key) || (!o && kernel_default(expr, p)))
			continue;
		if (!o)
			return false;
		(*n)++;
		bool same;
		if (p->key_len == 5 && memcmp(p->key, "exprs", 5) == 0)
			same = exprs_struct_equal(&p->value, o);
		else if (p->key_len == 8 && memcmp(p->key, "elements", 8) == 0 &&
			 strcmp(expr, "set_literal") == 0)
			same = elements_equal(&p->value, o);
		else
			same = linx_value_equal(&p->value, o);
		if (!same) {
			struct linx_pair q = { .key = p->key,
					       .key_len = p->key_len };
			q.value = *o;
			if (!(kernel_default(expr, p) &&
			      kernel_default(expr, &q)))
				return false;
		}
	}
	return true;
}

/* A verdict written as sugar ("drop", {"jump": "c"}) and the kernel's
 * immediate into the verdict register that it stands for. */
static bool verdict_sugar_of(const struct linx_value *sugar,
			     const struct linx_value *imm)
{
	const struct linx_value *dreg = get(imm, "dreg");
	const struct linx_value *v = get(imm, "verdict");
	const char *name = str_of(imm, "expr");

	if (sugar->type == LINX_MAP && get(sugar, "expr"))
		return false;
	return name && strcmp(name, "immediate") == 0 && imm->len == 3 &&
	       dreg && dreg->type == LINX_INT && dreg->i == 0 && v &&
	       linx_value_equal(sugar, v);
}

static bool expr_equal(const struct linx_value *x, const struct linx_value *y)
{
	const char *name;
	uint32_t nx = 0, ny = 0;

	/* Equal as values is the common case, and the cheapest. */
	if (linx_value_equal(x, y))
		return true;
	if (verdict_sugar_of(x, y) || verdict_sugar_of(y, x))
		return true;
	if (x->type != LINX_MAP || y->type != LINX_MAP)
		return false;
	name = str_of(x, "expr");
	if (!name || !str_of(y, "expr") || strcmp(name, str_of(y, "expr")))
		return false;
	return expr_pairs_in(x, y, name, &nx) && expr_pairs_in(y, x, name, &ny) &&
	       nx == ny;
}

static bool exprs_struct_equal(const struct linx_value *a,
			       const struct linx_value *b)
{
	if (a->type != LINX_LIST || b->type != LINX_LIST || a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++)
		if (!expr_equal(&a->items[i], &b->items[i]))
			return false;
	return true;
}

bool nft_rule_identical(const struct linx_value *a,
			const struct linx_value *b)
{
	static const char *const drop[] = { "handle", "position", NULL };

	return map_equal_without(a, b, drop, false);
}

static const struct linx_value *find_named(const struct linx_value *list,
					   const char *name);

/*
 * A copy of rule `r` without the expressions of its set statements on
 * sets that carry expressions of their own (`*stripped` says whether
 * there were any): the kernel does not report those (nft_dynset_dump()
 * dumps a dynset's expressions only for a set without; with one they
 * are the set's kinds, checked when the rule was added), so a pulled
 * rule never has them and they are no difference.
 */
static int strip_dynset_exprs(const struct differ *d,
			      const struct linx_value *r,
			      struct linx_value *ret, bool *stripped)
{
	static const char *const drop[] = { "exprs", NULL };
	const struct linx_value *xs = list_of(r, "exprs");
	struct linx_value *items;
	int rc;

	*stripped = false;
	*ret = linx_value_nil();
	for (uint32_t i = 0; xs && d->sets && i < xs->len; i++) {
		const struct linx_value *e = &xs->items[i], *s, *se;
		const char *name = e->type == LINX_MAP ? str_of(e, "expr") : NULL;
		const char *set = name ? str_of(e, "set") : NULL;

		if (!set || strcmp(name, "dynset") != 0 || !get(e, "exprs"))
			continue;
		s = find_named(d->sets, set);
		se = s ? list_of(s, "exprs") : NULL;
		if (!se || se->len == 0)
			continue;
		if (!*stripped) {
			rc = linx_value_copy(ret, r);
			if (rc < 0)
				return rc;
			*stripped = true;
		}
		items = (struct linx_value *)list_of(ret, "exprs");
		struct linx_value c;
		if (copy_without(&items->items[i], drop, &c) < 0) {
			linx_value_clear(ret);
			*stripped = false;
			return -ENOMEM;
		}
		linx_value_clear(&items->items[i]);
		items->items[i] = c;
	}
	return 0;
}

/* Equal rules: the same structure (handle, position and the kernel's
 * counter state aside) is enough; when the structures differ (sugar in
 * one, the kernel's canonical form in the other), the encodings decide,
 * written into the differ's two scratch batches. */
static int rules_equal(struct differ *d, const struct linx_value *a,
		       const struct linx_value *b, bool *ret)
{
	static const char *const drop[] = { "handle", "position", NULL };
	int r;

	if (map_equal_without(a, b, drop, true)) {
		*ret = true;
		return 0;
	}
	{
		struct linx_value sa, sb;
		bool xa, xb;

		r = strip_dynset_exprs(d, a, &sa, &xa);
		if (r == 0)
			r = strip_dynset_exprs(d, b, &sb, &xb);
		else
			xb = false, sb = linx_value_nil();
		if (r == 0 && (xa || xb))
			r = rules_equal(d, xa ? &sa : a, xb ? &sb : b, ret);
		linx_value_clear(&sa);
		linx_value_clear(&sb);
		if (r < 0 || xa || xb)
			return r;
	}
	r = rule_encode(d, &d->scratch[0], a);
	if (r == 0)
		r = rule_encode(d, &d->scratch[1], b);
	*ret = r == 0 && d->scratch[0].buf.len == d->scratch[1].buf.len &&
	       memcmp(d->scratch[0].buf.data, d->scratch[1].buf.data,
		      d->scratch[0].buf.len) == 0;
	return r;
}

static bool all_tagged(const struct linx_value *rules)
{
	for (uint32_t i = 0; rules && i < rules->len; i++)
		if (!str_of(&rules->items[i], "tag"))
			return false;
	return true;
}

static int op_rule(struct differ *d, enum op_kind k, const char *chain,
		   const struct linx_value *rule, const struct linx_value *handle,
		   const char *pos_kind, const struct linx_value *pos_handle)
{
	struct linx_value *op = new_op(d, k);

	if (!op)
		return -ENOMEM;
	linx_map_put_cstring(op, "chain", chain);
	if (handle) {
		struct linx_value h;

		linx_value_copy(&h, handle);
		linx_map_put(op, "handle", &h);
	}
	if (rule && put_copy(op, "rule", rule, (const char *const[]){
							"handle", NULL }) < 0)
		return -ENOMEM;
	if (pos_kind && !pos_handle)
		linx_map_put_cstring(op, "position", pos_kind);
	else if (pos_kind) {
		struct linx_value p = linx_value_map(), h;

		linx_value_copy(&h, pos_handle);
		linx_map_put(&p, pos_kind, &h);
		linx_map_put(op, "position", &p);
	}
	return nft_built(op);
}

/* Untagged chains: equal lists or everything recreated. */
static int diff_rules_positional(struct differ *d, const char *chain,
				 const struct linx_value *cur,
				 const struct linx_value *want)
{
	uint32_t nc = cur ? cur->len : 0, nw = want ? want->len : 0;
	bool same = nc == nw;
	int r;

	for (uint32_t i = 0; same && i < nw; i++)
		if ((r = rules_equal(d, &cur->items[i], &want->items[i],
				     &same)) < 0)
			return r;
	if (same)
		return 0;
	for (uint32_t i = 0; i < nc; i++)
		if ((r = op_rule(d, OP_DELETE_RULE, chain, NULL,
				 get(&cur->items[i], "handle"), NULL, NULL)) <
		    0)
			return r;
	for (uint32_t i = 0; i < nw; i++)
		if ((r = op_rule(d, OP_CREATE_RULE, chain, &want->items[i],
				 NULL, "append", NULL)) < 0)
			return r;
	return 0;
}

/* ---- what a diff kept ------------------------------------------------------ */

void nft_kept_free(struct nft_kept *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		free(k->a[i].match);
	free(k->a);
	memset(k, 0, sizeof(*k));
}

const struct nft_kept_chain *nft_kept_find(struct nft_kept *k,
					   const struct linx_value *want)
{
	for (size_t i = 0; k && i < k->n; i++) {
		size_t j = (k->next + i) % k->n;

		if (k->a[j].want == want) {
			k->next = j + 1;
			return &k->a[j];
		}
	}
	return NULL;
}

/* A new entry for a tagged chain, every rule not kept (-1) until the
 * comparison says otherwise. */
static int kept_add(struct differ *d, const struct linx_value *want,
		    const struct linx_value *cur, uint32_t nw)
{
	struct nft_kept *k = d->kept;
	struct nft_kept_chain *e;

	if (!k || !want)
		return 0;
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 64;
		void *a = realloc(k->a, cap * sizeof(*k->a));

		if (!a)
			return -ENOMEM;
		k->a = a;
		k->cap = cap;
	}
	e = &k->a[k->n];
	e->match = malloc((nw ? nw : 1) * sizeof(*e->match));
	if (!e->match)
		return -ENOMEM;
	for (uint32_t i = 0; i < nw; i++)
		e->match[i] = -1;
	e->want = want;
	e->cur = cur;
	k->n++;
	return 0;
}

/* Tagged chains: kept rules (matched by tag, in an order that agrees with
 * the desired one) are replaced in place when they changed; the others
 * are deleted and created where they belong. */
static int diff_rules_tagged(struct differ *d, const char *chain,
			     const struct linx_value *cur,
			     const struct linx_value *want)
{
	uint32_t nc = cur ? cur->len : 0, nw = want ? want->len : 0;
	int64_t *match = calloc(nw ? nw : 1, sizeof(*match)); /* cur index */
	bool *kept_cur = calloc(nc ? nc : 1, sizeof(*kept_cur));
	const char **ctag = calloc(nc ? nc : 1, sizeof(*ctag));
	int64_t last = -1;
	struct nft_strset by_tag = { 0 };
	int r = 0;

	if (!match || !kept_cur || !ctag) {
		r = -ENOMEM;
		goto out;
	}
	/* The common case, a pass after the caller changed some rules in
	 * place: the tags line up one for one.  `want` is validated, so
	 * its tags are unique, and so are the current ones that equal
	 * them: the index below would match each rule with its namesake
	 * at the same position.  No hashing for 10,000 rules. */
	bool aligned = nc == nw;

	for (uint32_t j = 0; j < nc; j++) {
		ctag[j] = str_of(&cur->items[j], "tag");
		if (aligned) {
			const char *w = str_of(&want->items[j], "tag");

			aligned = ctag[j] && w && strcmp(ctag[j], w) == 0;
		}
	}
	if (aligned) {
		for (uint32_t i = 0; i < nw; i++) {
			match[i] = i;
			kept_cur[i] = true;
		}
		goto matched;
	}
	/* The current rules by tag: a chain of 10,000 rules must not cost
	 * 50 million comparisons.  Untagged rules match nothing; tags the
	 * kernel holds twice (another writer's doing) take the first-come
	 * scan below. */
	bool indexed = nft_strset_init(&by_tag, nc) == 0;
	for (uint32_t j = 0; indexed && j < nc; j++)
		indexed = !ctag[j] || nft_strset_put(&by_tag, ctag[j], j) == 1;
	for (uint32_t i = 0; i < nw; i++) {
		const char *tag = str_of(&want->items[i], "tag");
		uint32_t j;

		match[i] = -1;
		if (indexed) {
			if (tag && nft_strset_get(&by_tag, tag, &j) &&
			    !kept_cur[j] && (int64_t)j > last) {
				match[i] = j;
				kept_cur[j] = true;
				last = j;
			}
			continue;
		}
		for (j = 0; j < nc; j++) {
			const char *t = ctag[j];

			if (t && strcmp(t, tag) == 0 && !kept_cur[j]) {
				if ((int64_t)j > last) {
					match[i] = j;
					kept_cur[j] = true;
					last = j;
				}
				break;
			}
		}
	}
matched:
	r = kept_add(d, want, cur, nw);
	for (uint32_t j = 0; j < nc && r == 0; j++)
		if (!kept_cur[j])
			r = op_rule(d, OP_DELETE_RULE, chain, NULL,
				    get(&cur->items[j], "handle"), NULL, NULL);
	for (uint32_t i = 0; i < nw && r == 0; i++) {
		bool same;

		if (match[i] >= 0) {
			const struct linx_value *c = &cur->items[match[i]];

			r = rules_equal(d, c, &want->items[i], &same);
			if (r == 0 && !same)
				r = op_rule(d, OP_REPLACE_RULE, chain,
					    &want->items[i], get(c, "handle"),
					    NULL, NULL);
			if (r == 0 && same && d->kept)
				d->kept->a[d->kept->n - 1].match[i] = match[i];
			continue;
		}
		/* Before the next kept rule, else at the end. */
		const struct linx_value *next = NULL;

		for (uint32_t k = i + 1; k < nw && !next; k++)
			if (match[k] >= 0)
				next = get(&cur->items[match[k]], "handle");
		r = op_rule(d, OP_CREATE_RULE, chain, &want->items[i], NULL,
			    next ? "before" : "append", next);
	}
out:
	nft_strset_fini(&by_tag);
	free(match);
	free(kept_cur);
	free(ctag);
	return r;
}

/* ---- chains ----------------------------------------------------------------- */

static int chain_attrs_equal(uint8_t family, const struct linx_value *a,
			     const struct linx_value *b)
{
	static const char *const keys[] = { "type", "hook", "policy", "flags",
					    "comment", NULL };
	const struct linx_value *pa = get(a, "priority"), *pb = get(b, "priority");
	const struct linx_value *da, *db;
	struct linx_value la = linx_value_nil(), lb = linx_value_nil();
	int32_t xa = 0, xb = 0;
	bool eq;

	for (const char *const *k = keys; *k; k++) {
		const struct linx_value *va = get(a, *k), *vb = get(b, *k);

		if (strcmp(*k, "flags") == 0 || strcmp(*k, "policy") == 0) {
			/* Absent and empty, absent and accept are the same. */
			if ((!va || (va->type == LINX_LIST && va->len == 0) ||
			     (va->type == LINX_STRING &&
			      strcmp(va->str, "accept") == 0)) &&
			    (!vb || (vb->type == LINX_LIST && vb->len == 0) ||
			     (vb->type == LINX_STRING &&
			      strcmp(vb->str, "accept") == 0)))
				continue;
		}
		if (!va != !vb || (va && !linx_value_equal(va, vb)))
			return false;
	}
	if (!pa != !pb)
		return false;
	if (pa && (nft_priority_from_value(family, pa, "bad_chain", NULL, &xa,
					   NULL) < 0 ||
		   nft_priority_from_value(family, pb, "bad_chain", NULL, &xb,
					   NULL) < 0 ||
		   xa != xb))
		return false;
	/* device or devices: compare as lists. */
	da = get(a, "devices") ? get(a, "devices") : get(a, "device");
	db = get(b, "devices") ? get(b, "devices") : get(b, "device");
	if (!da != !db)
		return false;
	if (!da)
		return true;
	la = linx_value_list();
	lb = linx_value_list();
	if (da->type == LINX_STRING)
		linx_list_push_cstring(&la, da->str);
	else
		linx_value_copy(&la, da);
	if (db->type == LINX_STRING)
		linx_list_push_cstring(&lb, db->str);
	else
		linx_value_copy(&lb, db);
	eq = linx_value_equal(&la, &lb);
	linx_value_clear(&la);
	linx_value_clear(&lb);
	return eq;
}

static const struct linx_value *find_named(const struct linx_value *list,
					   const char *name)
{
	for (uint32_t i = 0; list && i < list->len; i++) {
		const char *n = str_of(&list->items[i], "name");

		if (n && strcmp(n, name) == 0)
			return &list->items[i];
	}
	return NULL;
}

static int create_chain_whole(struct differ *d, const struct linx_value *c)
{
	const struct linx_value *rules = list_of(c, "rules");
	struct linx_value *op = new_op(d, OP_CREATE_CHAIN);
	int r;

	if (!op || put_copy(op, "chain", c, no_rules) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; rules && i < rules->len; i++)
		if ((r = op_rule(d, OP_CREATE_RULE, str_of(c, "name"),
				 &rules->items[i], NULL, "append", NULL)) < 0)
			return r;
	return 0;
}

static int op_named(struct differ *d, enum op_kind k, const char *key,
		    const char *name)
{
	struct linx_value *op = new_op(d, k);

	if (!op)
		return -ENOMEM;
	return linx_map_put_cstring(op, key, name);
}

static int diff_chains(struct differ *d, uint8_t family,
		       const struct linx_value *cur, const struct linx_value *want)
{
	const struct linx_value *cl = list_of(cur, "chains");
	const struct linx_value *wl = list_of(want, "chains");
	int r;

	for (uint32_t i = 0; cl && i < cl->len; i++) {
		const char *n = str_of(&cl->items[i], "name");
		const struct linx_value *w = find_named(wl, n);

		if (!w || !chain_attrs_equal(family, &cl->items[i], w))
			if ((r = op_named(d, OP_DELETE_CHAIN, "chain", n)) < 0)
				return r;
	}
	for (uint32_t i = 0; wl && i < wl->len; i++) {
		const struct linx_value *w = &wl->items[i];
		const char *n = str_of(w, "name");
		const struct linx_value *c = find_named(cl, n);
		const struct linx_value *crules, *wrules;

		if (!c || !chain_attrs_equal(family, c, w)) {
			if ((r = create_chain_whole(d, w)) < 0)
				return r;
			continue;
		}
		crules = list_of(c, "rules");
		wrules = list_of(w, "rules");
		r = all_tagged(wrules)
			    ? diff_rules_tagged(d, n, crules, wrules)
			    : diff_rules_positional(d, n, crules, wrules);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- sets --------------------------------------------------------------------- */

/* An element's identity: its key (and interval end) and data as bytes. */
struct ekey {
	uint8_t b[3 * 64 + 8];
	uint32_t len;
	uint32_t index;
};

static int elem_key(const struct nft_keytype *kt, const struct nft_keytype *dt,
		    const struct linx_value *e, struct ekey *k)
{
	const struct linx_value *key = e, *val = NULL;
	uint8_t end[64];
	uint32_t klen = 0, dlen = 0;
	bool interval = false;

	if (e->type == LINX_MAP && get(e, "key")) {
		key = get(e, "key");
		val = get(e, "value");
	}
	memset(k, 0, sizeof(*k));
	if (nft_data_from_value(kt, key, k->b, &klen, end, &interval, "bad_set",
				NULL) < 0)
		return -EINVAL;
	if (interval) {
		memcpy(k->b + klen, end, klen);
		klen *= 2;
	}
	k->b[klen++] = interval;
	if (val && dt && !dt->verdict) {
		if (nft_data_from_value(dt, val, k->b + klen, &dlen, end,
					&interval, "bad_map", NULL) < 0)
			return -EINVAL;
		klen += dlen;
		/* a data_interval map's range value (its last too) */
		if (interval && 2 * dlen <= 64) {
			memcpy(k->b + klen, end, dlen);
			klen += dlen;
			k->b[klen++] = 1;
		}
	} else if (val) {
		/* Verdicts: compare their canonical value's text. */
		char txt[64];
		size_t n;

		if (val->type == LINX_STRING)
			snprintf(txt, sizeof(txt), "%s", val->str);
		else if (val->type == LINX_MAP && val->len == 1 &&
			 val->pairs[0].value.type == LINX_STRING)
			snprintf(txt, sizeof(txt), "%s %s", val->pairs[0].key,
				 val->pairs[0].value.str);
		else
			snprintf(txt, sizeof(txt), "?");
		n = strlen(txt);
		memcpy(k->b + klen, txt, n);
		klen += (uint32_t)n;
	}
	k->len = klen;
	return 0;
}

static int ekey_cmp(const void *a, const void *b)
{
	const struct ekey *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->b, y->b, x->len);
}

static int set_types(const struct linx_value *s, struct nft_keytype *kt,
		     struct nft_keytype *dt, bool *has_dt)
{
	const struct linx_value *d = get(s, "data_type");

	*has_dt = d != NULL;
	if (nft_keytype_from_value(get(s, "key_type"), false, "bad_set", kt,
				   NULL) < 0)
		return -EINVAL;
	if (d && nft_keytype_from_value(d, true, "bad_map", dt, NULL) < 0)
		return -EINVAL;
	return 0;
}

static bool flags_equal(const struct linx_value *a, const struct linx_value *b)
{
	uint32_t na = a && a->type == LINX_LIST ? a->len : 0;
	uint32_t nb = b && b->type == LINX_LIST ? b->len : 0;

	if (na != nb)
		return false;
	for (uint32_t i = 0; i < na; i++) {
		bool found = false;

		for (uint32_t j = 0; j < nb && !found; j++)
			found = linx_value_equal(&a->items[i], &b->items[j]);
		if (!found)
			return false;
	}
	return true;
}

/* A set's expressions are fixed when it is made, as its types are: they
 * compare as a rule's do, the counter and quota state the kernel keeps
 * aside (an element's expressions are its state and do not count: the
 * elements compare by key and value). */
static bool set_exprs_equal(const struct linx_value *a,
			    const struct linx_value *b)
{
	static const struct linx_value none = { .type = LINX_LIST };

	return exprs_struct_equal(a ? a : &none, b ? b : &none);
}

static bool set_decl_equal(const struct linx_value *a,
			   const struct linx_value *b)
{
	static const char *const keys[] = { "timeout", "gc_interval", NULL };
	struct nft_keytype ka, kb, da, db;
	bool ha, hb;

	if (set_types(a, &ka, &da, &ha) < 0 || set_types(b, &kb, &db, &hb) < 0)
		return false;
	if (ka.id != kb.id || ka.len != kb.len || ha != hb ||
	    (ha && (da.id != db.id || da.len != db.len ||
		    da.verdict != db.verdict)))
		return false;
	const struct linx_value *ia = get(a, "data_interval"),
				*ib = get(b, "data_interval");
	if ((ia && ia->type == LINX_BOOL && ia->b) !=
	    (ib && ib->type == LINX_BOOL && ib->b))
		return false;
	if (!flags_equal(get(a, "flags"), get(b, "flags")) ||
	    !set_exprs_equal(list_of(a, "exprs"), list_of(b, "exprs")))
		return false;
	for (const char *const *k = keys; *k; k++) {
		const struct linx_value *va = get(a, *k), *vb = get(b, *k);
		uint64_t x = 0, y = 0;

		if (va)
			linx_value_get_u64(va, &x);
		if (vb)
			linx_value_get_u64(vb, &y);
		if (x != y)
			return false;
	}
	return true;
}

static int elem_keys(const struct linx_value *s, const struct linx_value *list,
		     struct ekey **ret)
{
	struct nft_keytype kt, dt;
	bool has_dt;
	uint32_t n = list ? list->len : 0;
	struct ekey *k;

	*ret = NULL;
	if (set_types(s, &kt, &dt, &has_dt) < 0)
		return -EINVAL;
	k = calloc(n ? n : 1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (elem_key(&kt, has_dt ? &dt : NULL, &list->items[i], &k[i]) <
		    0) {
			free(k);
			return -EINVAL;
		}
		k[i].index = i;
	}
	qsort(k, n, sizeof(*k), ekey_cmp);
	*ret = k;
	return 0;
}

/* The elements of `from` missing in `other` (both sorted), as an op. */
static int elem_op(struct differ *d, enum op_kind kind,
		   const struct linx_value *decl, const struct linx_value *list,
		   const struct ekey *a, uint32_t na, const struct ekey *b,
		   uint32_t nb)
{
	struct linx_value elems = linx_value_list();
	struct linx_value *op;
	uint32_t j = 0;

	for (uint32_t i = 0; i < na; i++) {
		while (j < nb && ekey_cmp(&b[j], &a[i]) < 0)
			j++;
		if (j < nb && ekey_cmp(&b[j], &a[i]) == 0)
			continue;
		struct linx_value c;

		linx_value_copy(&c, &list->items[a[i].index]);
		linx_list_push(&elems, &c);
	}
	if (elems.len == 0) {
		linx_value_clear(&elems);
		return 0;
	}
	op = new_op(d, kind);
	if (!op || put_copy(op, "set", decl, no_elements) < 0) {
		linx_value_clear(&elems);
		return -ENOMEM;
	}
	return linx_map_put(op, "elements", &elems);
}

static int diff_elements(struct differ *d, const struct linx_value *cur,
			 const struct linx_value *want)
{
	const struct linx_value *cl = list_of(cur, "elements");
	const struct linx_value *wl = list_of(want, "elements");
	struct ekey *ck = NULL, *wk = NULL;
	uint32_t nc = cl ? cl->len : 0, nw = wl ? wl->len : 0;
	int r;

	if ((r = elem_keys(cur, cl, &ck)) < 0 ||
	    (r = elem_keys(want, wl, &wk)) < 0) {
		free(ck);
		return r == -EINVAL
			       ? nft_bad(d->err, "bad_set_element",
					 str_of(want, "name"),
					 "an element does not fit the set's "
					 "type")
			       : r;
	}
	r = elem_op(d, OP_DELETE_SET_ELEMENTS, cur, cl, ck, nc, wk, nw);
	if (r == 0)
		r = elem_op(d, OP_ADD_SET_ELEMENTS, want, wl, wk, nw, ck, nc);
	free(ck);
	free(wk);
	return r;
}

static int diff_sets(struct differ *d, const struct linx_value *cur,
		     const struct linx_value *want)
{
	const struct linx_value *cl = list_of(cur, "sets");
	const struct linx_value *wl = list_of(want, "sets");
	int r;

	for (uint32_t i = 0; cl && i < cl->len; i++) {
		const char *n = str_of(&cl->items[i], "name");
		const struct linx_value *w = find_named(wl, n);

		if (!w || !set_decl_equal(&cl->items[i], w))
			if ((r = op_named(d, OP_DELETE_SET, "set", n)) < 0)
				return r;
	}
	for (uint32_t i = 0; wl && i < wl->len; i++) {
		const struct linx_value *w = &wl->items[i];
		const struct linx_value *c = find_named(cl, str_of(w, "name"));
		struct linx_value *op;

		if (c && set_decl_equal(c, w)) {
			if ((r = diff_elements(d, c, w)) < 0)
				return r;
			continue;
		}
		op = new_op(d, OP_CREATE_SET);
		if (!op || put_copy(op, "set", w, no_handle) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* ---- objects: by identity, then by encoding; flowtables: by identity ---------- */

/*
 * An object's encoding, for comparison, with only the fields `mask` (the
 * desired object) sets: the kernel reports defaults nobody sent (a
 * limit's burst, every state of a ct timeout policy, l3proto), so a field
 * left out of the desired object is the kernel's to choose, and a ct
 * timeout policy compares the states the desired one lists.  The state
 * the kernel keeps (a counter's packets and bytes, a quota's usage) never
 * counts.  Into `bt` (reset first).
 */
static int object_encode(struct differ *d, struct nft_batch *bt,
			 const struct linx_value *o,
			 const struct linx_value *mask)
{
	const char *kind = str_of(mask, "kind");
	bool counter = kind && strcmp(kind, "counter") == 0;
	bool quota = kind && strcmp(kind, "quota") == 0;
	struct nft_enc e = { .bt = bt, .table = d->table, .err = d->err };
	struct linx_value c = linx_value_map();
	int64_t fam = 0;
	int r;

	nft_msgbuf_reset(&bt->buf);
	bt->n = 0;
	bt->error = 0;
	nft_sym_val(nft_families, d->family, &fam);
	e.family = (uint8_t)fam;
	for (uint32_t i = 0; i < o->len; i++) {
		const struct linx_pair *p = &o->pairs[i];
		const struct linx_value *m = get(mask, p->key);
		struct linx_value v;

		/* no flags and empty flags are one setting (a pulled limit
		 * object has none, a parsed one [], nft -f sends a 0) */
		if (strcmp(p->key, "flags") == 0 &&
		    p->value.type == LINX_LIST && p->value.len == 0)
			continue;
		if (!m || strcmp(p->key, "handle") == 0 ||
		    strcmp(p->key, "use") == 0 ||
		    (counter && (strcmp(p->key, "packets") == 0 ||
				 strcmp(p->key, "bytes") == 0)) ||
		    (quota && strcmp(p->key, "used") == 0))
			continue;
		if (strcmp(p->key, "policy") == 0 &&
		    p->value.type == LINX_MAP && m->type == LINX_MAP) {
			v = linx_value_map();
			for (uint32_t k = 0; k < p->value.len; k++) {
				const struct linx_pair *q = &p->value.pairs[k];
				struct linx_value x;

				if (!get(m, q->key))
					continue;
				linx_value_copy(&x, &q->value);
				linx_map_put(&v, q->key, &x);
			}
		} else {
			linx_value_copy(&v, &p->value);
		}
		linx_map_put(&c, p->key, &v);
	}
	r = nft_built(&c) < 0 ? -ENOMEM : nft_object_put(&e, &c, 0);
	linx_value_clear(&c);
	if (r == 0 && (bt->error || bt->buf.error))
		r = bt->error ? bt->error : bt->buf.error;
	return r;
}

/*
 * A kept object whose settings changed.  The kernel updates a quota or a
 * synproxy object in place (NEWOBJ without NLM_F_EXCL: rules that use it
 * keep it); for every other kind the same message succeeds and changes
 * nothing (seen on 6.18), so those are deleted and created again, which
 * the kernel refuses (EBUSY, naming the object) while a rule refers to
 * them.
 */
static int diff_object(struct differ *d, const struct linx_value *cur,
		       const struct linx_value *want)
{
	const char *kind = str_of(want, "kind");
	struct linx_value *op;
	int r;

	/* What the kernel holds may not encode (a kind from a newer
	 * nftables): then it differs.  The desired object was validated. */
	bool cur_ok = object_encode(d, &d->scratch[0], cur, want) == 0;

	if ((r = object_encode(d, &d->scratch[1], want, want)) < 0)
		return r;
	if (cur_ok && d->scratch[0].buf.len == d->scratch[1].buf.len &&
	    memcmp(d->scratch[0].buf.data, d->scratch[1].buf.data,
		   d->scratch[0].buf.len) == 0)
		return 0;
	if (kind && (strcmp(kind, "quota") == 0 ||
		     strcmp(kind, "synproxy") == 0)) {
		op = new_op(d, OP_UPDATE_OBJECT);
		return !op || put_copy(op, "object", want, no_handle) < 0
			       ? -ENOMEM
			       : 0;
	}
	op = new_op(d, OP_DELETE_OBJECT);
	if (!op || put_copy(op, "object", cur, no_handle) < 0)
		return -ENOMEM;
	op = new_op(d, OP_CREATE_OBJECT);
	if (!op || put_copy(op, "object", want, no_handle) < 0)
		return -ENOMEM;
	return 0;
}

static const struct linx_value *find_object(const struct linx_value *list,
					    const struct linx_value *o)
{
	for (uint32_t i = 0; list && i < list->len; i++)
		if (linx_value_equal(get(&list->items[i], "kind"),
				     get(o, "kind")) &&
		    linx_value_equal(get(&list->items[i], "name"),
				     get(o, "name")))
			return &list->items[i];
	return NULL;
}

static int diff_objects(struct differ *d, const struct linx_value *cur,
			const struct linx_value *want)
{
	const struct linx_value *cl = list_of(cur, "objects");
	const struct linx_value *wl = list_of(want, "objects");
	const struct linx_value *cf = list_of(cur, "flowtables");
	const struct linx_value *wf = list_of(want, "flowtables");
	struct linx_value *op;

	for (uint32_t i = 0; cl && i < cl->len; i++)
		if (!find_object(wl, &cl->items[i])) {
			op = new_op(d, OP_DELETE_OBJECT);
			if (!op ||
			    put_copy(op, "object", &cl->items[i], no_handle) < 0)
				return -ENOMEM;
		}
	for (uint32_t i = 0; wl && i < wl->len; i++) {
		const struct linx_value *c = find_object(cl, &wl->items[i]);
		int r;

		if (c) {
			if ((r = diff_object(d, c, &wl->items[i])) < 0)
				return r;
			continue;
		}
		op = new_op(d, OP_CREATE_OBJECT);
		if (!op || put_copy(op, "object", &wl->items[i], no_handle) < 0)
			return -ENOMEM;
	}
	for (uint32_t i = 0; cf && i < cf->len; i++)
		if (!find_named(wf, str_of(&cf->items[i], "name")) &&
		    op_named(d, OP_DELETE_FLOWTABLE, "flowtable",
			     str_of(&cf->items[i], "name")) < 0)
			return -ENOMEM;
	for (uint32_t i = 0; wf && i < wf->len; i++)
		if (!find_named(cf, str_of(&wf->items[i], "name"))) {
			op = new_op(d, OP_CREATE_FLOWTABLE);
			if (!op || put_copy(op, "flowtable", &wf->items[i],
					    no_handle) < 0)
				return -ENOMEM;
		}
	return 0;
}

/* ---- tables ------------------------------------------------------------------- */

static const struct linx_value *find_table(const struct linx_value *rs,
					   const char *family, const char *name)
{
	const struct linx_value *tl = list_of(rs, "tables");

	for (uint32_t i = 0; tl && i < tl->len; i++) {
		const char *f = str_of(&tl->items[i], "family");
		const char *n = str_of(&tl->items[i], "name");

		if (f && n && strcmp(f, family) == 0 && strcmp(n, name) == 0)
			return &tl->items[i];
	}
	return NULL;
}

static int create_table_whole(struct differ *d, const struct linx_value *t)
{
	const struct linx_value *l;
	struct linx_value *op = new_op(d, OP_CREATE_TABLE);
	int r;

	if (!op || put_copy(op, "table_value", t, no_children) < 0)
		return -ENOMEM;
	if ((l = list_of(t, "objects")))
		for (uint32_t i = 0; i < l->len; i++) {
			op = new_op(d, OP_CREATE_OBJECT);
			if (!op || put_copy(op, "object", &l->items[i],
					    no_handle) < 0)
				return -ENOMEM;
		}
	if ((l = list_of(t, "sets")))
		for (uint32_t i = 0; i < l->len; i++) {
			op = new_op(d, OP_CREATE_SET);
			if (!op || put_copy(op, "set", &l->items[i],
					    no_handle) < 0)
				return -ENOMEM;
		}
	if ((l = list_of(t, "flowtables")))
		for (uint32_t i = 0; i < l->len; i++) {
			op = new_op(d, OP_CREATE_FLOWTABLE);
			if (!op || put_copy(op, "flowtable", &l->items[i],
					    no_handle) < 0)
				return -ENOMEM;
		}
	if ((l = list_of(t, "chains")))
		for (uint32_t i = 0; i < l->len; i++)
			if ((r = create_chain_whole(d, &l->items[i])) < 0)
				return r;
	return 0;
}

int linx_nft_diff(const struct linx_value *from, const struct linx_value *to,
		  struct linx_value *patch, struct linx_error *err)
{
	int r;

	if (!patch)
		return linx_error_param(err, "diff", "patch", "no output");
	*patch = linx_value_nil();
	if (!from || from->type != LINX_MAP)
		return nft_bad(err, "bad_ruleset", "from",
			       "expected a ruleset map");
	if ((r = linx_nft_validate(to, err)) < 0)
		return r;
	return nft_diff_validated(from, to, patch, err);
}

int nft_diff_validated(const struct linx_value *from,
		       const struct linx_value *to, struct linx_value *patch,
		       struct linx_error *err)
{
	return nft_diff_kept(from, to, patch, NULL, err);
}

int nft_diff_kept(const struct linx_value *from, const struct linx_value *to,
		  struct linx_value *patch, struct nft_kept *kept,
		  struct linx_error *err)
{
	struct differ d = { .err = err, .kept = kept };
	const struct linx_value *tl;
	struct linx_value ops;
	int r = 0;

	*patch = linx_value_nil();
	if (!from || from->type != LINX_MAP)
		return nft_bad(err, "bad_ruleset", "from",
			       "expected a ruleset map");
	for (int k = 0; k < OP_KINDS; k++)
		d.ops[k] = linx_value_list();
	nft_batch_init(&d.scratch[0]);
	nft_batch_init(&d.scratch[1]);
	tl = list_of(to, "tables");
	for (uint32_t i = 0; tl && i < tl->len && r == 0; i++) {
		const struct linx_value *w = &tl->items[i];
		const struct linx_value *c;
		int64_t fam;

		d.family = str_of(w, "family");
		d.table = str_of(w, "name");
		d.sets = list_of(w, "sets");
		nft_sym_val(nft_families, d.family, &fam);
		c = find_table(from, d.family, d.table);
		if (!c) {
			r = create_table_whole(&d, w);
			continue;
		}
		if ((r = diff_objects(&d, c, w)) < 0 ||
		    (r = diff_sets(&d, c, w)) < 0)
			break;
		r = diff_chains(&d, (uint8_t)fam, c, w);
	}
	nft_batch_fini(&d.scratch[0]);
	nft_batch_fini(&d.scratch[1]);
	if (r < 0) {
		for (int k = 0; k < OP_KINDS; k++)
			linx_value_clear(&d.ops[k]);
		if (err && err->code)
			return -err->code;
		return linx_error_set(err, -r, "diff", NULL);
	}
	ops = linx_value_list();
	for (int k = 0; k < OP_KINDS; k++) {
		for (uint32_t i = 0; i < d.ops[k].len; i++)
			linx_list_push(&ops, &d.ops[k].items[i]);
		linx_value_clear(&d.ops[k]);
	}
	*patch = linx_value_map();
	linx_map_put(patch, "ops", &ops);
	r = linx_value_status(patch);
	if (r < 0) {
		linx_value_clear(patch);
		return linx_error_set(err, -r, "diff", NULL);
	}
	return 0;
}

int nft_reconcile_check(const struct linx_value *ruleset,
			struct linx_error *err)
{
	const struct linx_value *tl = list_of(ruleset, "tables");

	for (uint32_t i = 0; tl && i < tl->len; i++) {
		const struct linx_value *chains = list_of(&tl->items[i], "chains");

		for (uint32_t j = 0; chains && j < chains->len; j++) {
			const struct linx_value *rules =
				list_of(&chains->items[j], "rules");
			char obj[LINX_ERROR_OBJECT_MAX];

			if (!rules || rules->len <= 1 || all_tagged(rules))
				continue;
			snprintf(obj, sizeof(obj), "%s/%s/%s",
				 str_of(&tl->items[i], "family"),
				 str_of(&tl->items[i], "name"),
				 str_of(&chains->items[j], "name"));
			return nft_bad(err, "tag_required", obj,
				       "%s: a chain with more than one rule "
				       "needs a tag on every rule to be "
				       "reconciled",
				       obj);
		}
	}
	return 0;
}

/* ---- applying a patch ------------------------------------------------------------ */

static int op_kind_of(const char *name)
{
	for (int k = 0; k < OP_KINDS; k++)
		if (strcmp(op_names[k], name) == 0)
			return k;
	return -1;
}

static int put_op(struct nft_batch *bt, const struct linx_value *op,
		  uint32_t index, struct linx_error *err)
{
	const char *name = str_of(op, "op"), *fam = str_of(op, "family");
	const char *table = str_of(op, "table"), *chain = str_of(op, "chain");
	struct nft_enc e = { .bt = bt, .table = table, .err = err };
	const struct linx_value *v;
	int64_t f;
	uint64_t h;
	int k;

	if (!name || (k = op_kind_of(name)) < 0)
		return nft_bad(err, "bad_patch", NULL, "ops[%u]: unknown op",
			       index);
	if (!fam || !table || !nft_sym_val(nft_families, fam, &f))
		return nft_bad(err, "bad_patch", NULL,
			       "ops[%u]: family and table required", index);
	e.family = (uint8_t)f;
	switch (k) {
	case OP_DELETE_RULE:
		if (!chain || !get(op, "handle") ||
		    !linx_value_get_u64(get(op, "handle"), &h))
			break;
		nft_rule_put_delete(bt, e.family, table, chain, h);
		return 0;
	case OP_DELETE_CHAIN:
		if (!chain)
			break;
		nft_chain_put_ref(bt, NFT_MSG_DELCHAIN, e.family, table, chain);
		return 0;
	case OP_DELETE_TABLE:
		nft_table_put_ref(bt, NFT_MSG_DELTABLE, 0, e.family, table);
		return 0;
	case OP_DELETE_SET:
		if (!str_of(op, "set"))
			break;
		nft_set_put_delete(bt, e.family, table, str_of(op, "set"));
		return 0;
	case OP_DELETE_OBJECT:
		if (!(v = get(op, "object")))
			break;
		nft_object_put_delete(bt, e.family, table, v);
		return 0;
	case OP_DELETE_FLOWTABLE:
		if (!str_of(op, "flowtable"))
			break;
		nft_flowtable_put_delete(bt, e.family, table,
					 str_of(op, "flowtable"));
		return 0;
	case OP_CREATE_TABLE:
		if (!(v = get(op, "table_value")))
			break;
		return nft_table_put(&e, v, 0);
	case OP_CREATE_OBJECT:
		if (!(v = get(op, "object")))
			break;
		return nft_object_put(&e, v, NLM_F_EXCL);
	case OP_UPDATE_OBJECT:
		/* NEWOBJ on an existing object: the kernel's update */
		if (!(v = get(op, "object")))
			break;
		return nft_object_put(&e, v, 0);
	case OP_CREATE_SET:
		if (!(v = get(op, "set")))
			break;
		return nft_set_put(&e, v, 0);
	case OP_CREATE_FLOWTABLE:
		if (!(v = get(op, "flowtable")))
			break;
		return nft_flowtable_put(&e, v, 0);
	case OP_CREATE_CHAIN:
		if (!(v = get(op, "chain")) || v->type != LINX_MAP)
			break;
		return nft_chain_put(&e, v, 0);
	case OP_ADD_SET_ELEMENTS:
	case OP_DELETE_SET_ELEMENTS:
		if (!(v = get(op, "set")) || !list_of(op, "elements"))
			break;
		return nft_setelem_put(&e, v, list_of(op, "elements"),
				       k == OP_ADD_SET_ELEMENTS
					       ? NFT_MSG_NEWSETELEM
					       : NFT_MSG_DELSETELEM);
	case OP_CREATE_RULE:
	case OP_REPLACE_RULE: {
		const struct linx_value *pos = get(op, "position");
		uint16_t flags = 0;

		if (!chain || !(v = get(op, "rule")))
			break;
		e.chain = chain;
		e.rule_index = index;
		if (k == OP_REPLACE_RULE) {
			struct linx_value r;
			int rc;

			if (!get(op, "handle"))
				break;
			/* The handle to replace travels in the rule. */
			if (copy_without(v, (const char *const[]){ "handle",
								   NULL },
					 &r) < 0)
				return -ENOMEM;
			{
				struct linx_value hv;

				linx_value_copy(&hv, get(op, "handle"));
				linx_map_put(&r, "handle", &hv);
			}
			rc = nft_rule_put(&e, &r, NLM_F_REPLACE);
			linx_value_clear(&r);
			return rc;
		}
		if (pos && pos->type == LINX_MAP && pos->len == 1 &&
		    linx_value_get_u64(&pos->pairs[0].value, &h)) {
			e.has_position = true;
			e.position = h;
			if (strcmp(pos->pairs[0].key, "after") == 0)
				flags |= NLM_F_APPEND;
			else if (strcmp(pos->pairs[0].key, "before") != 0)
				break;
		}
		return nft_rule_put(&e, v, flags);
	}
	}
	return nft_bad(err, "bad_patch", NULL, "ops[%u]: malformed %s", index,
		       name);
}

/* A create_set op whose set is emitted without its elements: a copy of
 * the op with "elements" taken out of its set, and the elements. */
static int split_create_set(const struct linx_value *op,
			    struct linx_value *decl_op,
			    struct linx_value *elements)
{
	const struct linx_value *set = get(op, "set");
	struct linx_value decl, c;
	int r = 0;

	*decl_op = linx_value_nil();
	*elements = linx_value_nil();
	if (!set || set->type != LINX_MAP || !list_of(set, "elements"))
		return 1; /* nothing to split */
	if ((r = linx_value_copy(decl_op, op)) < 0 ||
	    (r = linx_value_copy(elements, list_of(set, "elements"))) < 0)
		goto fail;
	decl = linx_value_map();
	for (uint32_t i = 0; i < set->len; i++) {
		if (strcmp(set->pairs[i].key, "elements") == 0)
			continue;
		if ((r = linx_value_copy(&c, &set->pairs[i].value)) < 0 ||
		    (r = linx_map_put(&decl, set->pairs[i].key, &c)) < 0) {
			linx_value_clear(&decl);
			goto fail;
		}
	}
	if ((r = linx_map_put(decl_op, "set", &decl)) < 0)
		goto fail;
	return 0;
fail:
	linx_value_clear(decl_op);
	linx_value_clear(elements);
	return r;
}

/*
 * The ops in their order, with one exception: the elements of a set
 * created before the patch's last create_chain follow that create_chain
 * (as add_set_elements would), since a verdict map element may jump to
 * a chain the patch creates.
 */
int nft_patch_put(struct nft_batch *bt, const struct linx_value *patch,
		  struct linx_error *err)
{
	const struct linx_value *ops;
	struct linx_value deferred = linx_value_list(); /* ops with elements */
	uint32_t last_chain = UINT32_MAX;
	int r = 0;

	if (!patch || patch->type != LINX_MAP || !(ops = list_of(patch, "ops")))
		return nft_bad(err, "bad_patch", NULL,
			       "expected {\"ops\": [...]}");
	for (uint32_t i = 0; i < ops->len; i++) {
		const char *n = ops->items[i].type == LINX_MAP
					? str_of(&ops->items[i], "op")
					: NULL;

		if (n && op_kind_of(n) == OP_CREATE_CHAIN)
			last_chain = i;
	}
	for (uint32_t i = 0; i < ops->len && r == 0; i++) {
		const struct linx_value *op = &ops->items[i];
		const char *n;

		if (op->type != LINX_MAP) {
			r = nft_bad(err, "bad_patch", NULL,
				    "ops[%u]: expected a map", i);
			break;
		}
		n = str_of(op, "op");
		if (last_chain != UINT32_MAX && i < last_chain && n &&
		    op_kind_of(n) == OP_CREATE_SET) {
			struct linx_value decl_op, els;
			int s = split_create_set(op, &decl_op, &els);

			if (s < 0) {
				r = s;
				break;
			}
			if (s == 0) {
				r = put_op(bt, &decl_op, i, err);
				/* keep the op (its set, now without
				 * elements) and the elements for later */
				if (r == 0) {
					linx_map_put(&decl_op, "elements", &els);
					linx_map_put_cstring(&decl_op, "op",
							     "add_set_elements");
					r = linx_list_push(&deferred, &decl_op);
				} else {
					linx_value_clear(&decl_op);
					linx_value_clear(&els);
				}
				continue;
			}
		}
		r = put_op(bt, op, i, err);
		if (r == 0 && i == last_chain)
			for (uint32_t k = 0; k < deferred.len && r == 0; k++)
				r = put_op(bt, &deferred.items[k], i, err);
	}
	linx_value_clear(&deferred);
	return r;
}

int linx_nft_apply(struct linx_nft *s, const struct linx_value *patch,
		   const uint32_t *genid, struct linx_error *err)
{
	struct nft_batch bt;
	int r;

	if (!s)
		return linx_error_param(err, "apply", "sock", "no socket");
	nft_batch_init(&bt);
	if (genid) {
		bt.genid = *genid;
		bt.has_genid = true;
	}
	r = nft_patch_put(&bt, patch, err);
	if (r == 0) {
		pthread_mutex_lock(&s->lock);
		r = nft_batch_send(s, &bt, NULL, err);
		pthread_mutex_unlock(&s->lock);
	}
	nft_batch_fini(&bt);
	return r;
}
