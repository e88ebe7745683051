/* SPDX-License-Identifier: MIT */
/*
 * Erlang terms -> struct linx_value, for a verb's arguments.
 *
 *   nil / true / false       -> nil / bool
 *   integer                  -> int (or uint above INT64_MAX)
 *   binary                   -> string if valid UTF-8 without NUL, else bytes
 *   {:bytes, binary}         -> bytes, whatever the binary holds
 *   list                     -> list (proper lists only)
 *   map                      -> map; keys are binaries or atoms, read as text
 *   Linx handle resource     -> handle (a new reference)
 *
 * With the :nft shape (Linx.Native.call/3), any other atom crosses as the
 * string of its text, as the names of Linx.Netfilter's structs do.
 *
 * Anything else (other atoms, floats, tuples, pids, ports, funs, other
 * references, bitstrings, improper lists, integers beyond 64 bits) is
 * refused with EINVAL and a message naming where in the arguments it sits.
 * The converter never trusts sizes: it walks lists cell by cell rather than
 * asking for their length, stops at the budget (struct nif_budget) and at
 * NIF_MAX_DEPTH, and never creates an atom.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h" /* the core is linked in: linx__map_reindex, keys */
#include "nif.h"

/* Longest atom text: 255 characters of up to 4 UTF-8 bytes (erl(1)). */
#define ATOM_TEXT_MAX (255 * 4 + 1)
/* How much of one map key is quoted in an error message. */
#define PATH_KEY_QUOTE 40

struct path_seg {
	const char *key; /* NULL for a list index */
	size_t key_len;
	size_t index;
};

/*
 * The text of the atoms met last, by term, for the :nft shape: a ruleset
 * names a few dozen atoms (keys and enumerations) tens of thousands of
 * times, and reading an atom's text is a table lookup and a copy.
 * Direct-mapped; atom 0 is no atom term, so a zeroed slot is empty.
 */
#define ATOM_CACHE_SLOTS 64
#define ATOM_CACHE_TEXT 40

struct atom_slot {
	ERL_NIF_TERM atom;
	size_t len;
	char text[ATOM_CACHE_TEXT];
};

struct conv {
	ErlNifEnv *env;
	const struct nif_atoms *atoms;
	struct nif_budget *budget;
	struct linx_error *err;
	unsigned depth;
	bool atoms_as_text; /* the :nft shape: atoms cross as their text */
	/* Where the converter is, for error messages: segs[0..depth). */
	struct path_seg segs[NIF_MAX_DEPTH + 1];
	struct atom_slot atom_cache[ATOM_CACHE_SLOTS]; /* when atoms_as_text */
};

/* Length of the longest prefix of s[0..len) that is at most `cap` bytes and
 * does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t cap)
{
	if (len <= cap)
		return len;
	while (cap > 0 && ((unsigned char)s[cap] & 0xc0) == 0x80)
		cap--;
	return cap;
}

/*
 * The text of an atom as UTF-8, into buf; returns its length or -1.
 * ERL_NIF_UTF8 exists from NIF 2.17 (OTP 26); before that an atom is read
 * as Latin-1 (atoms outside Latin-1 cannot be read) and re-encoded.
 */
static int atom_text(ErlNifEnv *env, ERL_NIF_TERM t, char *buf, size_t cap)
{
#if ERL_NIF_MAJOR_VERSION > 2 ||                                             \
	(ERL_NIF_MAJOR_VERSION == 2 && ERL_NIF_MINOR_VERSION >= 17)
	int n = enif_get_atom(env, t, buf, (unsigned)cap, ERL_NIF_UTF8);

	return n > 0 ? n - 1 : -1;
#else
	unsigned char latin1[256];
	int n = enif_get_atom(env, t, (char *)latin1, sizeof(latin1),
			      ERL_NIF_LATIN1);
	size_t at = 0;

	if (n <= 0)
		return -1;
	for (int i = 0; i < n - 1; i++) {
		if (at + 3 > cap)
			return -1;
		if (latin1[i] < 0x80) {
			buf[at++] = (char)latin1[i];
		} else {
			buf[at++] = (char)(0xc0 | (latin1[i] >> 6));
			buf[at++] = (char)(0x80 | (latin1[i] & 0x3f));
		}
	}
	buf[at] = '\0';
	return (int)at;
#endif
}

/* atom_text() through the conversion's cache: *text is either `buf` or
 * a slot, valid until the next call. */
static int atom_text_cached(struct conv *c, ERL_NIF_TERM t, char *buf,
			    size_t cap, const char **text)
{
	struct atom_slot *slot;
	int n;

	*text = buf;
	if (!c->atoms_as_text)
		return atom_text(c->env, t, buf, cap);
	slot = &c->atom_cache[(t ^ (t >> 7) ^ (t >> 13)) % ATOM_CACHE_SLOTS];
	if (slot->atom == t) {
		*text = slot->text;
		return (int)slot->len;
	}
	n = atom_text(c->env, t, buf, cap);
	if (n >= 0 && (size_t)n < sizeof(slot->text)) {
		slot->atom = t;
		slot->len = (size_t)n;
		memcpy(slot->text, buf, (size_t)n + 1);
	}
	return n;
}

/* Long paths keep their first and last segments: "value[0][0]...[0][0]". */
#define PATH_HEAD_SEGS 4
#define PATH_TAIL_SEGS 2

static void render_path(const struct conv *c, char *buf, size_t cap)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < c->depth && at < cap; i++) {
		const struct path_seg *s = &c->segs[i];
		int n;

		if (c->depth > PATH_HEAD_SEGS + PATH_TAIL_SEGS + 1 &&
		    i >= PATH_HEAD_SEGS && i < c->depth - PATH_TAIL_SEGS) {
			if (i == PATH_HEAD_SEGS)
				at += (size_t)snprintf(buf + at, cap - at, "...");
			continue;
		}
		if (s->key) {
			size_t klen = utf8_cut(s->key, s->key_len,
					       PATH_KEY_QUOTE);

			n = snprintf(buf + at, cap - at, "%s%.*s%s",
				     i ? "." : "", (int)klen, s->key,
				     klen < s->key_len ? "..." : "");
		} else {
			n = snprintf(buf + at, cap - at, "[%zu]", s->index);
		}
		if (n < 0)
			break;
		at += (size_t)n;
	}
}

static int fail(struct conv *c, int code, const char *fmt, ...)
	LINX_PRINTF(3, 4);

static int fail(struct conv *c, int code, const char *fmt, ...)
{
	char path[256], what[256];
	va_list ap;

	if (code == NIF_NEEDS_DIRTY)
		return code;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	render_path(c, path, sizeof(path));
	if (c->depth == 0)
		linx_error_set(c->err, code, "convert", "arguments: %s", what);
	else
		linx_error_set(c->err, code, "convert", "argument %s: %s",
			       path, what);
	/* The top-level key is the parameter at fault. */
	if (c->err && c->depth > 0 && c->segs[0].key) {
		size_t n = utf8_cut(c->segs[0].key, c->segs[0].key_len,
				    sizeof(c->err->param) - 1);

		memcpy(c->err->param, c->segs[0].key, n);
		c->err->param[n] = '\0';
	}
	return -code;
}

/* Account for `nodes` values and `bytes` payload bytes. */
static inline int charge(struct conv *c, size_t nodes, size_t bytes)
{
	struct nif_budget *b = c->budget;

	if (bytes > NIF_FULL_BYTES || nodes > NIF_FULL_NODES)
		return fail(c, E2BIG, "too large (a call's arguments are "
				      "limited to %u values and %u bytes)",
			    NIF_FULL_NODES, NIF_FULL_BYTES);
	b->nodes += nodes;
	b->bytes += bytes;
	if (b->nodes <= b->max_nodes && b->bytes <= b->max_bytes)
		return 0;
	if (b->quick)
		return NIF_NEEDS_DIRTY;
	return fail(c, E2BIG, "too large (a call's arguments are limited to "
			      "%u values and %u bytes)",
		    NIF_FULL_NODES, NIF_FULL_BYTES);
}

static const char *term_kind(ErlNifEnv *env, ERL_NIF_TERM t)
{
	switch (enif_term_type(env, t)) {
	case ERL_NIF_TERM_TYPE_ATOM:
		return "an atom";
	case ERL_NIF_TERM_TYPE_BITSTRING:
		return "a bitstring that is not a whole number of bytes";
	case ERL_NIF_TERM_TYPE_FLOAT:
		return "a float";
	case ERL_NIF_TERM_TYPE_FUN:
		return "a fun";
	case ERL_NIF_TERM_TYPE_INTEGER:
		return "an integer outside the 64-bit range";
	case ERL_NIF_TERM_TYPE_LIST:
		return "a list";
	case ERL_NIF_TERM_TYPE_MAP:
		return "a map";
	case ERL_NIF_TERM_TYPE_PID:
		return "a pid";
	case ERL_NIF_TERM_TYPE_PORT:
		return "a port";
	case ERL_NIF_TERM_TYPE_REFERENCE:
		return "a reference that is not a Linx handle";
	case ERL_NIF_TERM_TYPE_TUPLE:
		return "a tuple";
	default:
		return "an unknown term";
	}
}

static int refuse(struct conv *c, ERL_NIF_TERM t)
{
	char atom[ATOM_TEXT_MAX];

	if (enif_is_atom(c->env, t) &&
	    atom_text(c->env, t, atom, sizeof(atom)) >= 0)
		return fail(c, EINVAL,
			    "cannot pass the atom :%.64s (only nil, true and "
			    "false; pass text as a binary)",
			    atom);
	return fail(c, EINVAL,
		    "cannot pass %s (verbs take nil, booleans, integers, "
		    "binaries, lists, maps and Linx handles)",
		    term_kind(c->env, t));
}

static int convert(struct conv *c, ERL_NIF_TERM t, struct linx_value *ret);

static int convert_binary(struct conv *c, ERL_NIF_TERM t,
			  struct linx_value *ret)
{
	ErlNifBinary bin;
	int r;

	if (!enif_inspect_binary(c->env, t, &bin))
		return refuse(c, t);
	r = charge(c, 1, bin.size);
	if (r < 0)
		return r;
	r = linx_value_string(ret, (const char *)bin.data, bin.size);
	if (r == -EINVAL)
		r = linx_value_bytes(ret, bin.data, bin.size);
	if (r < 0)
		return fail(c, -r, "cannot copy a binary of %zu bytes",
			    bin.size);
	return 0;
}

static int convert_integer(struct conv *c, ERL_NIF_TERM t,
			   struct linx_value *ret)
{
	ErlNifSInt64 i;
	ErlNifUInt64 u;
	int r = charge(c, 1, 0);

	if (r < 0)
		return r;
	if (enif_get_int64(c->env, t, &i)) {
		*ret = linx_value_int((int64_t)i);
		return 0;
	}
	if (enif_get_uint64(c->env, t, &u)) {
		*ret = linx_value_uint((uint64_t)u);
		return 0;
	}
	return refuse(c, t);
}

static int convert_list(struct conv *c, ERL_NIF_TERM t,
			struct linx_value *ret)
{
	ERL_NIF_TERM head, tail = t;
	struct path_seg *seg = &c->segs[c->depth];
	size_t i = 0;
	int r = charge(c, 1, 0);

	if (r < 0)
		return r;
	*ret = linx_value_list();
	*seg = (struct path_seg){ .key = NULL };
	c->depth++;
	for (; enif_get_list_cell(c->env, tail, &head, &tail); i++) {
		struct linx_value item = linx_value_nil();

		seg->index = i;
		r = convert(c, head, &item);
		if (r >= 0) {
			r = linx_list_push(ret, &item);
			if (r < 0)
				r = fail(c, -r, "cannot grow a list");
		}
		if (r < 0)
			goto out;
	}
	if (!enif_is_empty_list(c->env, tail)) {
		seg->index = i;
		r = fail(c, EINVAL, "an improper list (its tail is not [])");
		goto out;
	}
	r = 0;
out:
	c->depth--;
	if (r < 0)
		linx_value_clear(ret);
	return r;
}

/* Read a map key as text.  `buf` receives atom text (binary keys point
 * into the binary); `*is_atom` says which it was. */
static int map_key(struct conv *c, ERL_NIF_TERM key, char *buf, size_t cap,
		   const char **ret, size_t *ret_len, bool *is_atom)
{
	ErlNifBinary bin;

	if (enif_inspect_binary(c->env, key, &bin)) {
		*ret = (const char *)bin.data;
		*ret_len = bin.size;
		*is_atom = false;
	} else if (enif_is_atom(c->env, key)) {
		const char *text;
		int n = atom_text_cached(c, key, buf, cap, &text);

		if (n < 0)
			return fail(c, EINVAL,
				    "a map key is an atom that cannot be read "
				    "as text");
		/* The key outlives the conversion of its value, which may
		 * reuse the cache slot. */
		if (text != buf)
			memcpy(buf, text, (size_t)n + 1);
		*ret = buf;
		*ret_len = (size_t)n;
		*is_atom = true;
	} else {
		return fail(c, EINVAL,
			    "a map key is %s (keys must be binaries or atoms)",
			    term_kind(c->env, key));
	}
	if (!linx_utf8_valid(*ret, *ret_len))
		return fail(c, EINVAL,
			    "a map key is not valid UTF-8 or contains NUL");
	return charge(c, 0, *ret_len);
}

/*
 * :a and "a" in one map would be one key of the plugin's map.  Checked
 * after the fact, and only for a map that has keys of both kinds: making
 * a binary of every atom key to look it up would put garbage on the
 * caller's heap for each of the tens of thousands of maps of a ruleset.
 */
static int check_collisions(struct conv *c, ERL_NIF_TERM map)
{
	ErlNifMapIterator it;
	ERL_NIF_TERM key, val;
	int r = 0;

	if (!enif_map_iterator_create(c->env, map, &it,
				      ERL_NIF_MAP_ITERATOR_FIRST))
		return fail(c, ENOMEM, "cannot iterate over a map");
	for (; r == 0 && enif_map_iterator_get_pair(c->env, &it, &key, &val);
	     enif_map_iterator_next(c->env, &it)) {
		char text[ATOM_TEXT_MAX];
		ERL_NIF_TERM as_bin, ignored;
		unsigned char *data;
		int n;

		if (!enif_is_atom(c->env, key))
			continue;
		n = atom_text(c->env, key, text, sizeof(text));
		if (n < 0)
			continue; /* refused while converting */
		data = enif_make_new_binary(c->env, (size_t)n, &as_bin);
		if (!data) {
			r = fail(c, ENOMEM, "out of memory");
			break;
		}
		memcpy(data, text, (size_t)n);
		if (enif_get_map_value(c->env, map, as_bin, &ignored))
			r = fail(c, EINVAL,
				 "the map has both the atom :%.64s and the "
				 "binary \"%.64s\" as keys",
				 text, text);
	}
	enif_map_iterator_destroy(c->env, &it);
	return r;
}

/* The keys of an expression whose binaries are raw data, never text
 * (Linx.Netfilter.Expr's byte keys). */
static bool byte_key(const char *k, size_t len)
{
	static const char *const keys[] = { "data", "mask", "xor",
					    "from", "to",   "raw" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i]) == len && memcmp(keys[i], k, len) == 0)
			return true;
	return false;
}

/* A map's pair, filled in place: `key` is copied (or pooled). */
static int put_pair(struct conv *c, struct linx_value *m, const char *key,
		    size_t key_len, struct linx_value *v)
{
	struct linx_pair *pair;
	char *copy = linx__key_dup(key, key_len);

	if (!copy || m->len >= m->cap) {
		linx__key_free(copy);
		linx_value_clear(v);
		return fail(c, ENOMEM, "out of memory");
	}
	/*
	 * Filled in place rather than with linx_map_put(), which looks for an
	 * existing key first and would make a large map quadratic.  Keys are
	 * unique by construction: an Erlang map has distinct keys, and
	 * check_collisions() refuses an atom whose text is also a binary key.
	 */
	pair = &m->pairs[m->len++];
	pair->key = copy;
	pair->key_len = (uint32_t)key_len;
	pair->reserved = 0;
	pair->value = *v;
	return 0;
}

/*
 * A map, into *ret.  With `expr` (the name of a Linx.Netfilter.Expr whose
 * data map is `t`, or nil), the plugin's expression map: "expr" => the
 * name first, then the data's pairs, binaries under the byte keys as
 * bytes (as Linx.Netfilter.Expr.to_c/1 marks them).
 */
static int convert_pairs(struct conv *c, ERL_NIF_TERM t,
			 const ERL_NIF_TERM *expr, struct linx_value *ret)
{
	struct path_seg *seg = &c->segs[c->depth];
	bool has_atom = false, has_binary = false;
	ErlNifMapIterator it;
	size_t size = 0, extra = expr ? 1 : 0;
	int r;

	*ret = linx_value_map();
	if (expr && enif_is_identical(t, c->atoms->nil))
		size = 0;
	else if (expr && !enif_get_map_size(c->env, t, &size))
		return fail(c, EINVAL, "an expression's data must be a map or "
				       "nil, not %s",
			    term_kind(c->env, t));
	else if (!enif_get_map_size(c->env, t, &size))
		return refuse(c, t);
	r = charge(c, 1 + size + extra, 0);
	/* The children are charged again as they are converted; this only
	 * refuses a map whose size alone is over the budget, before
	 * allocating for it. */
	if (r < 0)
		return r;
	c->budget->nodes -= size + extra;
	if (size + extra == 0)
		return 0;
	if (linx_value_reserve(ret, size + extra) < 0)
		return fail(c, ENOMEM, "cannot allocate a map of %zu keys",
			    size + extra);
	c->depth++;
	if (expr) {
		struct linx_value v;

		*seg = (struct path_seg){ .key = "expr", .key_len = 4 };
		r = convert(c, *expr, &v);
		if (r == 0 && v.type != LINX_STRING) {
			linx_value_clear(&v);
			r = fail(c, EINVAL, "an expression's name must be an "
					    "atom or a binary");
		}
		if (r == 0)
			r = put_pair(c, ret, "expr", 4, &v);
		if (r < 0 || size == 0)
			goto out;
	}
	if (!enif_map_iterator_create(c->env, t, &it,
				      ERL_NIF_MAP_ITERATOR_FIRST)) {
		r = fail(c, ENOMEM, "cannot iterate over a map");
		goto out;
	}
	*seg = (struct path_seg){ .key = NULL };
	for (r = 0; r >= 0; enif_map_iterator_next(c->env, &it)) {
		ERL_NIF_TERM key, val;
		char atom[ATOM_TEXT_MAX];
		struct linx_value v = linx_value_nil();
		const char *k = NULL;
		size_t klen = 0;
		bool is_atom = false;
		ErlNifBinary bin;

		if (!enif_map_iterator_get_pair(c->env, &it, &key, &val))
			break;
		/* Until the key is known, errors point at the map itself. */
		c->depth--;
		r = map_key(c, key, atom, sizeof(atom), &k, &klen, &is_atom);
		c->depth++;
		if (r < 0)
			break;
		has_atom |= is_atom;
		has_binary |= !is_atom;
		*seg = (struct path_seg){ .key = k, .key_len = klen };
		if (expr && klen == 4 && memcmp(k, "expr", 4) == 0) {
			r = fail(c, EINVAL, "an expression's data has its own "
					    "\"expr\" key");
			break;
		}
		if (expr && byte_key(k, klen) &&
		    enif_inspect_binary(c->env, val, &bin)) {
			r = charge(c, 1, bin.size);
			if (r == 0 &&
			    linx_value_bytes(&v, bin.data, bin.size) < 0)
				r = fail(c, ENOMEM, "out of memory");
		} else {
			r = convert(c, val, &v);
		}
		if (r < 0)
			break;
		r = put_pair(c, ret, k, klen, &v);
	}
	enif_map_iterator_destroy(c->env, &it);
	if (r >= 0 && has_atom && has_binary) {
		c->depth--;
		r = check_collisions(c, t);
		c->depth++;
	}
out:
	c->depth--;
	if (r < 0) {
		linx_value_clear(ret);
		return r;
	}
	/* Filled in place: index the keys for the verb's lookups and record
	 * the map's depth, as linx_map_put() would have. */
	linx__map_reindex(ret);
	return 0;
}

/*
 * A map.  With the :nft shape, a %Linx.Netfilter.Expr{} crosses as the
 * struct itself when its data needs no conversion in Elixir
 * (Linx.Netfilter.Expr.to_c/1): building the plugin's map here spares the
 * caller's heap an expression map for each of a ruleset's expressions.
 */
static int convert_map(struct conv *c, ERL_NIF_TERM t, struct linx_value *ret)
{
	const struct nif_nft *nft = &nif_priv(c->env)->nft;
	ERL_NIF_TERM mod, name, data;

	if (c->atoms_as_text && nft->ready &&
	    enif_get_map_value(c->env, t, nft->struct_, &mod) &&
	    enif_is_identical(mod, nft->expr_mod) &&
	    enif_get_map_value(c->env, t, nft->name, &name) &&
	    enif_get_map_value(c->env, t, nft->data, &data))
		return convert_pairs(c, data, &name, ret);
	return convert_pairs(c, t, NULL, ret);
}

/* {:bytes, binary}: raw bytes, for the binaries that would pass for text
 * (a one-byte protocol number, an address that happens to be UTF-8). */
static int convert_tuple(struct conv *c, ERL_NIF_TERM t,
			 struct linx_value *ret)
{
	const ERL_NIF_TERM *el;
	ErlNifBinary bin;
	int arity, r;

	if (!enif_get_tuple(c->env, t, &arity, &el) || arity != 2 ||
	    !enif_is_identical(el[0], c->atoms->bytes) ||
	    !enif_inspect_binary(c->env, el[1], &bin))
		return refuse(c, t);
	r = charge(c, 1, bin.size);
	if (r < 0)
		return r;
	r = linx_value_bytes(ret, bin.data, bin.size);
	if (r < 0)
		return fail(c, -r, "cannot copy a binary of %zu bytes",
			    bin.size);
	return 0;
}

/* An atom as the string of its text (the :nft shape). */
static int convert_atom_text(struct conv *c, ERL_NIF_TERM t,
			     struct linx_value *ret)
{
	char buf[ATOM_TEXT_MAX];
	const char *text;
	int n = atom_text_cached(c, t, buf, sizeof(buf), &text);
	int r;

	if (n < 0)
		return fail(c, EINVAL, "an atom that cannot be read as text");
	r = charge(c, 0, (size_t)n);
	if (r < 0)
		return r;
	r = linx_value_string(ret, text, (size_t)n);
	if (r < 0)
		return fail(c, -r, "cannot copy an atom's text");
	return 0;
}

static int convert(struct conv *c, ERL_NIF_TERM t, struct linx_value *ret)
{
	const struct nif_atoms *a = c->atoms;
	struct linx_handle *h;
	int r;

	*ret = linx_value_nil();
	if (c->depth >= NIF_MAX_DEPTH)
		return fail(c, ELOOP, "nested deeper than %u levels",
			    NIF_MAX_DEPTH);
	switch (enif_term_type(c->env, t)) {
	case ERL_NIF_TERM_TYPE_ATOM:
		r = charge(c, 1, 0);
		if (r < 0)
			return r;
		if (enif_is_identical(t, a->nil))
			return 0;
		if (enif_is_identical(t, a->true_)) {
			*ret = linx_value_bool(true);
			return 0;
		}
		if (enif_is_identical(t, a->false_)) {
			*ret = linx_value_bool(false);
			return 0;
		}
		if (c->atoms_as_text)
			return convert_atom_text(c, t, ret);
		return refuse(c, t);
	case ERL_NIF_TERM_TYPE_BITSTRING:
		return convert_binary(c, t, ret);
	case ERL_NIF_TERM_TYPE_INTEGER:
		return convert_integer(c, t, ret);
	case ERL_NIF_TERM_TYPE_LIST:
		return convert_list(c, t, ret);
	case ERL_NIF_TERM_TYPE_MAP:
		return convert_map(c, t, ret);
	case ERL_NIF_TERM_TYPE_TUPLE:
		return convert_tuple(c, t, ret);
	case ERL_NIF_TERM_TYPE_REFERENCE:
		h = nif_handle_get(c->env, t);
		if (!h)
			return refuse(c, t);
		r = charge(c, 1, 0);
		if (r < 0)
			return r;
		*ret = linx_value_handle(h);
		return 0;
	default:
		return refuse(c, t);
	}
}

static int term_to(ErlNifEnv *env, ERL_NIF_TERM term, bool map_only,
		   enum nif_shape shape, struct nif_budget *budget,
		   struct linx_value *ret, struct linx_error *err)
{
	/* About 5 KiB, on the stack: the NIF runs on a scheduler thread
	 * (1 MiB of stack by default, 320 KiB for a dirty one). */
	struct conv c;

	*ret = linx_value_nil();
	c.env = env;
	c.atoms = &nif_priv(env)->atoms;
	c.budget = budget;
	c.err = err;
	c.depth = 0;
	c.atoms_as_text = shape == NIF_SHAPE_NFT;
	if (c.atoms_as_text)
		memset(c.atom_cache, 0, sizeof(c.atom_cache));
	if (map_only && enif_is_identical(term, c.atoms->nil))
		return 0;
	if (map_only && !enif_is_map(env, term))
		return fail(&c, EINVAL, "must be a map (or nil), not %s",
			    term_kind(env, term));
	return convert(&c, term, ret);
}

int nif_term_to_args(ErlNifEnv *env, ERL_NIF_TERM term, enum nif_shape shape,
		     struct nif_budget *budget, struct linx_value *ret,
		     struct linx_error *err)
{
	return term_to(env, term, true, shape, budget, ret, err);
}

int nif_term_to_value(ErlNifEnv *env, ERL_NIF_TERM term,
		      struct nif_budget *budget, struct linx_value *ret,
		      struct linx_error *err)
{
	return term_to(env, term, false, NIF_SHAPE_PLAIN, budget, ret, err);
}
