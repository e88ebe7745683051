/* SPDX-License-Identifier: MIT */
/*
 * Linx.Netfilter's structs built during the conversion of an nft verb's
 * result, so that a pull of tens of thousands of rules is not converted
 * twice (plugin value -> string-keyed terms -> structs, in Elixir).
 *
 * Only the bulk is shaped here; the rest of the structure (tables, chains,
 * rules, sets, events, patch ops) stays string-keyed and Elixir makes its
 * structs, a few per table or per rule.  In a map of that structure:
 *
 *   "exprs" => list     each item an expression:
 *       a map with "expr" => "immediate" and "verdict"
 *                        -> %Expr{name: :immediate, data: verdict}
 *       a map with "expr" => NAME (a string)
 *                        -> %Expr{name: atom(NAME), data: %{atom(k) => v'}}
 *                           for every other pair, v' as below
 *       a string, or a map without "expr"
 *                        -> %Expr{name: :immediate, data: verdict}
 *   "elements" => list  each item a set element (element, below)
 *
 * An expression's attribute k with value v becomes:
 *   k an enumeration key (Names' list) and v a string -> atom(v)
 *   k an enumeration key or "flags", v a list         -> strings -> atom
 *   "verdict"                                         -> verdict(v)
 *   "elements", a list                                -> element per item
 *   anything else                                     -> v, plainly
 *
 *   verdict: "accept" | "drop" | "continue" | "return" -> %Verdict{kind:}
 *            a map with "jump", "goto" or "queue" (first found, in that
 *            order) -> %Verdict{kind:, target:}; anything else -> nil
 *   element: a map with "range" => [lo, hi] -> {:range, lo', hi'}
 *            a map with "key" -> %{atom(k) => e'} where "value" is a
 *              verdict when it is one, else an element, "exprs" a list of
 *              expressions, anything else an element
 *            a list -> each item an element; anything else plainly
 *
 * atom(s) is the binding's atom for s when s is in Linx.Netfilter.Names'
 * fixed table and s itself otherwise: no atom is ever made from a result.
 */
#include <string.h>

#include "nif.h"

static uint32_t hash_text(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static const struct nif_nft_name *lookup(const struct nif_nft *nft,
					 const char *s, size_t len)
{
	for (uint32_t i = hash_text(s, len) & (NIF_NFT_SLOTS - 1);;
	     i = (i + 1) & (NIF_NFT_SLOTS - 1)) {
		const struct nif_nft_name *n = &nft->slots[i];

		if (!n->text)
			return NULL;
		if (n->len == len && memcmp(n->text, s, len) == 0)
			return n;
	}
}

static struct nif_nft_name *insert(struct nif_nft *nft, const char *s,
				   size_t len, size_t *count)
{
	uint32_t i = hash_text(s, len) & (NIF_NFT_SLOTS - 1);

	for (;; i = (i + 1) & (NIF_NFT_SLOTS - 1)) {
		struct nif_nft_name *n = &nft->slots[i];

		if (!n->text)
			break;
		if (n->len == len && memcmp(n->text, s, len) == 0)
			return n;
	}
	/* Keep at least half the slots free, so that lookups stay short and
	 * always end at a free slot. */
	if (*count + 1 > NIF_NFT_SLOTS / 2)
		return NULL;
	nft->slots[i].text = enif_alloc(len + 1);
	if (!nft->slots[i].text)
		return NULL;
	memcpy(nft->slots[i].text, s, len);
	nft->slots[i].text[len] = '\0';
	nft->slots[i].len = len;
	(*count)++;
	return &nft->slots[i];
}

/*
 * Add every atom of `list` to the table; with enum_key, mark the atoms of
 * `list` instead, which must all be in the table already (a key the table
 * lacked would become an atom here and stay a binary in Elixir).
 */
static bool add_atoms(ErlNifEnv *env, struct nif_nft *nft, ERL_NIF_TERM list,
		      bool enum_key, size_t *count)
{
	ERL_NIF_TERM head;
	char text[256];

	while (enif_get_list_cell(env, list, &head, &list)) {
		int n = enif_get_atom(env, head, text, sizeof(text),
				      ERL_NIF_LATIN1);
		struct nif_nft_name *e;

		if (n <= 1)
			return false;
		if (enum_key) {
			e = (struct nif_nft_name *)lookup(nft, text,
							  (size_t)n - 1);
			if (!e)
				return false;
			e->enum_key = true;
			continue;
		}
		e = insert(nft, text, (size_t)n - 1, count);
		if (!e)
			return false;
		e->atom = head;
	}
	return enif_is_empty_list(env, list);
}

void nif_nft_free(struct nif_nft *nft)
{
	for (uint32_t i = 0; i < NIF_NFT_SLOTS; i++) {
		enif_free(nft->slots[i].text);
		nft->slots[i].text = NULL;
	}
	nft->ready = false;
}

bool nif_nft_init(ErlNifEnv *env, struct nif_nft *nft, ERL_NIF_TERM names,
		  ERL_NIF_TERM enum_keys)
{
	size_t count = 0;

	/* Atoms are never collected, so keeping these terms is safe. */
	nft->struct_ = enif_make_atom(env, "__struct__");
	nft->name = enif_make_atom(env, "name");
	nft->data = enif_make_atom(env, "data");
	nft->kind = enif_make_atom(env, "kind");
	nft->target = enif_make_atom(env, "target");
	nft->range = enif_make_atom(env, "range");
	nft->immediate = enif_make_atom(env, "immediate");
	nft->expr_mod = enif_make_atom(env, "Elixir.Linx.Netfilter.Expr");
	nft->verdict_mod = enif_make_atom(env, "Elixir.Linx.Netfilter.Verdict");
	if (!add_atoms(env, nft, names, false, &count) ||
	    !add_atoms(env, nft, enum_keys, true, &count)) {
		nif_nft_free(nft);
		return false;
	}
	nft->ready = true;
	return true;
}

int nif_get_shape(ErlNifEnv *env, ERL_NIF_TERM t, enum nif_shape *ret,
		  struct linx_error *err)
{
	const struct nif_priv *priv = nif_priv(env);

	*ret = NIF_SHAPE_PLAIN;
	if (enif_is_identical(t, priv->atoms.nil))
		return 0;
	if (!enif_is_identical(t, priv->atoms.nft))
		return linx_error_param(err, "call", "shape",
					"the shape is nil or :nft");
	if (!priv->nft.ready)
		return linx_error_set(err, EINVAL, "call",
				      "the library was loaded without the "
				      "netfilter name table");
	*ret = NIF_SHAPE_NFT;
	return 0;
}

/* ---- conversion ----------------------------------------------------------- */

/* A string or bytes: a binary on the Elixir side either way. */
static bool is_binary(const struct linx_value *v)
{
	return v->type == LINX_STRING || v->type == LINX_BYTES;
}

static bool is_text(const struct linx_value *v, const char *s)
{
	size_t len = strlen(s);

	return v && is_binary(v) && v->len == len &&
	       memcmp(v->str, s, len) == 0;
}

static bool key_is(const struct linx_pair *p, const char *s)
{
	size_t len = strlen(s);

	return p->key_len == len && memcmp(p->key, s, len) == 0;
}

/* The value of `key` in map m, or NULL: a scan, as the maps shaped here
 * have a handful of pairs. */
static const struct linx_value *find(const struct linx_value *m,
				     const char *key)
{
	size_t len = strlen(key);

	if (m->type != LINX_MAP)
		return NULL;
	for (uint32_t i = 0; i < m->len; i++)
		if (m->pairs[i].key_len == len &&
		    memcmp(m->pairs[i].key, key, len) == 0)
			return &m->pairs[i].value;
	return NULL;
}

static int no_memory(struct nif_out *o)
{
	return linx_error_set(o->err, ENOMEM, "result", NULL);
}

/* s as the binding's atom, or as a binary when the table lacks it. */
static int name_term(struct nif_out *o, const char *s, size_t len,
		     ERL_NIF_TERM *ret)
{
	const struct nif_nft_name *n = lookup(o->nft, s, len);
	unsigned char *p;

	if (n) {
		*ret = n->atom;
		return 0;
	}
	p = enif_make_new_binary(o->env, len, ret);
	if (!p)
		return no_memory(o);
	memcpy(p, s, len);
	return 0;
}

/* Below the shaped parts, values are converted plainly. */
static int plain(struct nif_out *o, const struct linx_value *v,
		 unsigned depth, ERL_NIF_TERM *ret)
{
	const struct nif_nft *saved = o->nft;
	int r;

	o->nft = NULL;
	r = nif_out(o, v, depth, ret);
	o->nft = saved;
	return r;
}

/* The depth limit, and the mark of an incomplete value (nif.h). */
static int depth_check(struct nif_out *o, const struct linx_value *v,
		       unsigned depth)
{
	if (nif_poisoned(v))
		return NIF_POISONED;
	if (depth < NIF_MAX_DEPTH)
		return 0;
	return linx_error_set(o->err, ELOOP, "result",
			      "the result is nested deeper than %u levels",
			      NIF_MAX_DEPTH);
}

static int make_map(struct nif_out *o, ERL_NIF_TERM *keys, ERL_NIF_TERM *vals,
		    size_t n, ERL_NIF_TERM *ret)
{
	if (enif_make_map_from_arrays(o->env, keys, vals, n, ret))
		return 0;
	return linx_error_set(o->err, EINVAL, "result",
			      "the result has a map with duplicate keys");
}

static int make_struct(struct nif_out *o, ERL_NIF_TERM mod, ERL_NIF_TERM k1,
		       ERL_NIF_TERM v1, ERL_NIF_TERM k2, ERL_NIF_TERM v2,
		       ERL_NIF_TERM *ret)
{
	ERL_NIF_TERM keys[] = { o->nft->struct_, k1, k2 };
	ERL_NIF_TERM vals[] = { mod, v1, v2 };

	return make_map(o, keys, vals, 3, ret);
}

/* Each item of a list through `fn`. */
static int each(struct nif_out *o, const struct linx_value *list,
		unsigned depth,
		int (*fn)(struct nif_out *, const struct linx_value *, unsigned,
			  ERL_NIF_TERM *),
		ERL_NIF_TERM *ret)
{
	ERL_NIF_TERM acc = enif_make_list(o->env, 0);
	int r = depth_check(o, list, depth);

	for (uint32_t i = list->len; r >= 0 && i-- > 0;) {
		ERL_NIF_TERM item;

		r = fn(o, &list->items[i], depth + 1, &item);
		if (r >= 0)
			acc = enif_make_list_cell(o->env, item, acc);
	}
	*ret = acc;
	return r;
}

/* Linx.Netfilter.Verdict.from_c/1: the struct, or nil. */
static int verdict(struct nif_out *o, const struct linx_value *v,
		   unsigned depth, ERL_NIF_TERM *ret)
{
	static const char *const simple[] = { "accept", "drop", "continue",
					      "return" };
	static const char *const jumps[] = { "jump", "goto", "queue" };

	*ret = o->atoms->nil;
	if (nif_poisoned(v))
		return NIF_POISONED;
	if (is_binary(v)) {
		for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
			if (is_text(v, simple[i])) {
				ERL_NIF_TERM kind;
				int r = name_term(o, v->str, v->len, &kind);

				if (r < 0)
					return r;
				return make_struct(o, o->nft->verdict_mod,
						   o->nft->kind, kind,
						   o->nft->target,
						   o->atoms->nil, ret);
			}
		return 0;
	}
	if (v->type != LINX_MAP)
		return 0;
	for (size_t i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++) {
		const struct linx_value *t = find(v, jumps[i]);
		ERL_NIF_TERM kind, target;
		int r;

		if (!t)
			continue;
		r = name_term(o, jumps[i], strlen(jumps[i]), &kind);
		if (r >= 0)
			r = plain(o, t, depth + 1, &target);
		if (r < 0)
			return r;
		return make_struct(o, o->nft->verdict_mod, o->nft->kind, kind,
				   o->nft->target, target, ret);
	}
	return 0;
}

static int expression(struct nif_out *o, const struct linx_value *v,
		      unsigned depth, ERL_NIF_TERM *ret);

static int element(struct nif_out *o, const struct linx_value *v,
		   unsigned depth, ERL_NIF_TERM *ret);

/* A list whose string items are names (enumerations, flags). */
static int names(struct nif_out *o, const struct linx_value *v,
		 unsigned depth, ERL_NIF_TERM *ret)
{
	if (is_binary(v))
		return name_term(o, v->str, v->len, ret);
	return plain(o, v, depth, ret);
}

/* Linx.Netfilter.Expr.value_from_c/2. */
static int attribute(struct nif_out *o, const struct linx_pair *p,
		     unsigned depth, ERL_NIF_TERM *ret)
{
	const struct linx_value *v = &p->value;
	const struct nif_nft_name *k = lookup(o->nft, p->key, p->key_len);

	if (k && k->enum_key && is_binary(v))
		return name_term(o, v->str, v->len, ret);
	if (v->type == LINX_LIST && ((k && k->enum_key) || key_is(p, "flags")))
		return each(o, v, depth, names, ret);
	if (key_is(p, "verdict"))
		return verdict(o, v, depth, ret);
	if (v->type == LINX_LIST && key_is(p, "elements"))
		return each(o, v, depth, element, ret);
	return plain(o, v, depth, ret);
}

/* An expression's data: every pair but "expr", keys as names. */
static int expression_data(struct nif_out *o, const struct linx_value *m,
			   unsigned depth, ERL_NIF_TERM *ret)
{
	ERL_NIF_TERM *keys, *vals;
	size_t n = 0;
	int r = depth_check(o, m, depth);

	if (r < 0)
		return r;
	keys = enif_alloc(sizeof(*keys) * 2 * ((size_t)m->len + 1));
	if (!keys)
		return no_memory(o);
	vals = keys + m->len + 1;
	for (uint32_t i = 0; r >= 0 && i < m->len; i++) {
		const struct linx_pair *p = &m->pairs[i];

		if (key_is(p, "expr"))
			continue;
		r = name_term(o, p->key, p->key_len, &keys[n]);
		if (r >= 0)
			r = attribute(o, p, depth + 1, &vals[n]);
		n++;
	}
	if (r >= 0)
		r = make_map(o, keys, vals, n, ret);
	enif_free(keys);
	return r;
}

/* Linx.Netfilter.Expr.from_c/1. */
static int expression(struct nif_out *o, const struct linx_value *v,
		      unsigned depth, ERL_NIF_TERM *ret)
{
	const struct linx_value *name = find(v, "expr");
	const struct linx_value *verd = NULL;
	ERL_NIF_TERM n, data;
	int r;

	if (nif_poisoned(v))
		return NIF_POISONED;
	if (name && is_text(name, "immediate"))
		verd = find(v, "verdict");
	if (is_binary(v) || (v->type == LINX_MAP && !name))
		verd = v;
	if (verd) {
		r = verdict(o, verd, depth, &data);
		n = o->nft->immediate;
	} else if (name && is_binary(name)) {
		r = name_term(o, name->str, name->len, &n);
		if (r >= 0)
			r = expression_data(o, v, depth, &data);
	} else {
		/* Not an expression the plugin makes: left as it is. */
		return plain(o, v, depth, ret);
	}
	if (r < 0)
		return r;
	return make_struct(o, o->nft->expr_mod, o->nft->name, n, o->nft->data,
			   data, ret);
}

/* The value of one pair of an element map (Expr's element_value/2). */
static int element_attribute(struct nif_out *o, const struct linx_pair *p,
			     unsigned depth, ERL_NIF_TERM *ret)
{
	const struct linx_value *v = &p->value;

	if (key_is(p, "value")) {
		int r = verdict(o, v, depth, ret);

		if (r < 0 || !enif_is_identical(*ret, o->atoms->nil))
			return r;
		return element(o, v, depth, ret);
	}
	if (key_is(p, "exprs") && v->type == LINX_LIST)
		return each(o, v, depth, expression, ret);
	return element(o, v, depth, ret);
}

/* Linx.Netfilter.Expr.element_from_c/1. */
static int element(struct nif_out *o, const struct linx_value *v,
		   unsigned depth, ERL_NIF_TERM *ret)
{
	const struct linx_value *range = find(v, "range");
	ERL_NIF_TERM *keys, *vals;
	int r = depth_check(o, v, depth);

	if (r < 0)
		return r;
	if (range && range->type == LINX_LIST && range->len == 2) {
		ERL_NIF_TERM lo, hi;

		if (nif_poisoned(range))
			return NIF_POISONED;
		r = element(o, &range->items[0], depth + 1, &lo);
		if (r >= 0)
			r = element(o, &range->items[1], depth + 1, &hi);
		if (r >= 0)
			*ret = enif_make_tuple3(o->env, o->nft->range, lo, hi);
		return r;
	}
	if (v->type == LINX_LIST)
		return each(o, v, depth, element, ret);
	if (!find(v, "key"))
		return plain(o, v, depth, ret);
	keys = enif_alloc(sizeof(*keys) * 2 * (size_t)v->len);
	if (!keys)
		return no_memory(o);
	vals = keys + v->len;
	for (uint32_t i = 0; r >= 0 && i < v->len; i++) {
		const struct linx_pair *p = &v->pairs[i];

		r = name_term(o, p->key, p->key_len, &keys[i]);
		if (r >= 0)
			r = element_attribute(o, p, depth + 1, &vals[i]);
	}
	if (r >= 0)
		r = make_map(o, keys, vals, v->len, ret);
	enif_free(keys);
	return r;
}

int nif_nft_pair(struct nif_out *o, const struct linx_pair *p, unsigned depth,
		 ERL_NIF_TERM *ret)
{
	const struct linx_value *v = &p->value;

	if (v->type == LINX_LIST && key_is(p, "exprs"))
		return each(o, v, depth, expression, ret);
	if (v->type == LINX_LIST && key_is(p, "elements"))
		return each(o, v, depth, element, ret);
	return nif_out(o, v, depth, ret);
}
