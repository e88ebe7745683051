/* SPDX-License-Identifier: MIT */
/*
 * struct linx_value -> Erlang terms, for results; struct linx_error ->
 * the error map.
 *
 *   nil / bool        -> nil / true / false
 *   int / uint        -> integer
 *   string / bytes    -> binary
 *   list              -> list
 *   map               -> map with binary keys (never atoms: keys come from
 *                        plugins and the kernel; the Elixir wrappers turn
 *                        the keys they know into struct fields)
 *   handle            -> a resource term holding a reference
 *
 * With NIF_SHAPE_NFT, the lists of expressions and of set elements inside
 * become the binding's structs on the way (term_nft.c).
 */
#include <string.h>

#include "nif.h"

static int make_binary(ErlNifEnv *env, const void *data, size_t len,
		       ERL_NIF_TERM *ret)
{
	unsigned char *p = enif_make_new_binary(env, len, ret);

	if (!p)
		return -ENOMEM;
	if (len)
		memcpy(p, data, len);
	return 0;
}

/* Map key `k` as a binary, made once per conversion (struct nif_key_slot). */
static int key_term(struct nif_out *o, const char *k, size_t len,
		    ERL_NIF_TERM *ret)
{
	size_t h = len ? (len * 31u + (unsigned char)k[0] * 7u +
			  (unsigned char)k[len - 1])
		       : 0;
	struct nif_key_slot *s = &o->keys[h & (NIF_KEY_CACHE - 1)];

	if (!o->keys_ready) {
		memset(o->keys, 0, sizeof(o->keys));
		o->keys_ready = true;
	}
	if (s->key && s->len == len && memcmp(s->key, k, len) == 0) {
		*ret = s->term;
		return 0;
	}
	if (make_binary(o->env, k, len, ret) < 0)
		return -ENOMEM;
	s->key = k;
	s->len = len;
	s->term = *ret;
	return 0;
}

#define out nif_out

static int out_list(struct nif_out *o, const struct linx_value *v,
		    unsigned depth, ERL_NIF_TERM *ret)
{
	ERL_NIF_TERM list = enif_make_list(o->env, 0);

	/* Built from the end, so no intermediate array is needed. */
	for (uint32_t i = v->len; i-- > 0;) {
		ERL_NIF_TERM item;
		int r = out(o, &v->items[i], depth + 1, &item);

		if (r < 0)
			return r;
		list = enif_make_list_cell(o->env, item, list);
	}
	*ret = list;
	return 0;
}

static int out_map(struct nif_out *o, const struct linx_value *v, unsigned depth,
		   ERL_NIF_TERM *ret)
{
	ERL_NIF_TERM *keys, *vals;
	int r = 0;

	if (v->len == 0) {
		*ret = enif_make_new_map(o->env);
		return 0;
	}
	keys = enif_alloc(sizeof(*keys) * 2 * (size_t)v->len);
	if (!keys)
		return linx_error_set(o->err, ENOMEM, "result", NULL);
	vals = keys + v->len;
	for (uint32_t i = 0; r >= 0 && i < v->len; i++) {
		const struct linx_pair *p = &v->pairs[i];

		r = key_term(o, p->key, p->key_len, &keys[i]);
		if (r < 0)
			r = linx_error_set(o->err, ENOMEM, "result", NULL);
		else if (o->nft)
			r = nif_nft_pair(o, p, depth + 1, &vals[i]);
		else
			r = out(o, &p->value, depth + 1, &vals[i]);
	}
	/* Fails only on duplicate keys, which the value model excludes. */
	if (r >= 0 &&
	    !enif_make_map_from_arrays(o->env, keys, vals, v->len, ret))
		r = linx_error_set(o->err, EINVAL, "result",
				   "the result has a map with duplicate keys");
	enif_free(keys);
	return r;
}

int nif_out(struct nif_out *o, const struct linx_value *v, unsigned depth,
	    ERL_NIF_TERM *ret)
{
	if (nif_poisoned(v))
		return NIF_POISONED;
	if (depth >= NIF_MAX_DEPTH)
		return linx_error_set(o->err, ELOOP, "result",
				      "the result is nested deeper than %u "
				      "levels",
				      NIF_MAX_DEPTH);
	switch (v->type) {
	case LINX_NIL:
		*ret = o->atoms->nil;
		return 0;
	case LINX_BOOL:
		*ret = v->b ? o->atoms->true_ : o->atoms->false_;
		return 0;
	case LINX_INT:
		*ret = enif_make_int64(o->env, (ErlNifSInt64)v->i);
		return 0;
	case LINX_UINT:
		*ret = enif_make_uint64(o->env, (ErlNifUInt64)v->u);
		return 0;
	case LINX_STRING:
	case LINX_BYTES:
		if (make_binary(o->env, v->str, v->len, ret) < 0)
			return linx_error_set(o->err, ENOMEM, "result", NULL);
		return 0;
	case LINX_LIST:
		return out_list(o, v, depth, ret);
	case LINX_MAP:
		return out_map(o, v, depth, ret);
	case LINX_HANDLE:
		*ret = nif_handle_make(o->env, v->handle);
		return 0;
	default:
		return linx_error_set(o->err, EINVAL, "result",
				      "the result holds a value of unknown "
				      "type %u",
				      v->type);
	}
}

int nif_value_to_term(ErlNifEnv *env, const struct linx_value *v,
		      enum nif_shape shape, ERL_NIF_TERM *ret,
		      struct linx_error *err)
{
	struct nif_out o; /* not zeroed whole: keys[] is, when first used */

	o.env = env;
	o.atoms = &nif_priv(env)->atoms;
	o.nft = shape == NIF_SHAPE_NFT ? &nif_priv(env)->nft : NULL;
	o.err = err;
	o.keys_ready = false;
	return out(&o, v, 0, ret);
}

/* A text field of struct linx_error as a binary; nil when empty and
 * `empty_nil`. */
static ERL_NIF_TERM field(ErlNifEnv *env, const struct nif_atoms *a,
			  const char *s, size_t cap, bool empty_nil)
{
	size_t len = strnlen(s, cap);
	ERL_NIF_TERM t;

	if (len == 0 && empty_nil)
		return a->nil;
	if (make_binary(env, s, len, &t) < 0)
		return a->nil;
	return t;
}

ERL_NIF_TERM nif_error_term(ErlNifEnv *env, const struct linx_error *err)
{
	const struct nif_atoms *a = &nif_priv(env)->atoms;
	int code = err->code > 0 ? err->code : EIO;
	ERL_NIF_TERM keys[] = { a->errno_, a->code,   a->op,	 a->param,
				a->object, a->message, a->extack };
	ERL_NIF_TERM vals[] = {
		nif_errno_atom(a, code),
		enif_make_int(env, code),
		field(env, a, err->op, sizeof(err->op), false),
		field(env, a, err->param, sizeof(err->param), true),
		field(env, a, err->object, sizeof(err->object), true),
		field(env, a, err->message, sizeof(err->message), false),
		field(env, a, err->extack, sizeof(err->extack), true),
	};
	ERL_NIF_TERM map;

	if (!enif_make_map_from_arrays(env, keys, vals,
				       sizeof(keys) / sizeof(keys[0]), &map))
		map = enif_make_new_map(env);
	return enif_make_tuple2(env, a->error, map);
}
