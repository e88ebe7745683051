/* SPDX-License-Identifier: MIT */
/*
 * The binary codec for value trees.
 *
 * Wire form (docs/core/codec.md has the full description):
 *
 *   node   := tag payload
 *   0x00 nil | 0x01 false | 0x02 true
 *   0x03 int    varint(zigzag(i))
 *   0x04 uint   varint(u)
 *   0x05 bytes  varint(len) byte*len
 *   0x06 string varint(len) byte*len        (UTF-8, no NUL)
 *   0x07 list   varint(n) node*n
 *   0x08 map    varint(n) (varint(klen) key node)*n   (unique keys)
 *
 * varint is unsigned LEB128 in its shortest form.  The decoder treats its
 * input as hostile: every length is checked against what remains before
 * anything is read or allocated.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum {
	TAG_NIL = 0x00,
	TAG_FALSE = 0x01,
	TAG_TRUE = 0x02,
	TAG_INT = 0x03,
	TAG_UINT = 0x04,
	TAG_BYTES = 0x05,
	TAG_STRING = 0x06,
	TAG_LIST = 0x07,
	TAG_MAP = 0x08,
};

/* ---- encoding ----------------------------------------------------------- */

struct writer {
	uint8_t *buf;
	size_t cap;
	size_t len; /* bytes needed so far, even past cap */
};

static void w_bytes(struct writer *w, const void *p, size_t n)
{
	if (w->len <= w->cap && n <= w->cap - w->len && n)
		memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void w_byte(struct writer *w, uint8_t b)
{
	w_bytes(w, &b, 1);
}

static void w_varint(struct writer *w, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	w_bytes(w, tmp, n);
}

static int encode_node(struct writer *w, const struct linx_value *v,
		       unsigned depth, struct linx_error *err)
{
	if (depth > LINX_VALUE_MAX_DEPTH)
		return linx_error_set(err, ELOOP, "encode",
				      "value nested deeper than %u levels",
				      LINX_VALUE_MAX_DEPTH);
	if (v->flags & LINX_VALUE_F_POISON)
		return linx_error_set(err, EINVAL, "encode",
				      "value was not built completely");
	switch (v->type) {
	case LINX_NIL:
		w_byte(w, TAG_NIL);
		return 0;
	case LINX_BOOL:
		w_byte(w, v->b ? TAG_TRUE : TAG_FALSE);
		return 0;
	case LINX_INT:
		w_byte(w, TAG_INT);
		/* zig-zag: small magnitudes of either sign stay short */
		w_varint(w, ((uint64_t)v->i << 1) ^ (uint64_t)(v->i >> 63));
		return 0;
	case LINX_UINT:
		w_byte(w, TAG_UINT);
		w_varint(w, v->u);
		return 0;
	case LINX_BYTES:
	case LINX_STRING:
		w_byte(w, v->type == LINX_BYTES ? TAG_BYTES : TAG_STRING);
		w_varint(w, v->len);
		w_bytes(w, v->str, v->len);
		return 0;
	case LINX_LIST:
		w_byte(w, TAG_LIST);
		w_varint(w, v->len);
		for (uint32_t i = 0; i < v->len; i++) {
			int r = encode_node(w, &v->items[i], depth + 1, err);

			if (r < 0)
				return r;
		}
		return 0;
	case LINX_MAP:
		w_byte(w, TAG_MAP);
		w_varint(w, v->len);
		for (uint32_t i = 0; i < v->len; i++) {
			const struct linx_pair *p = &v->pairs[i];
			int r;

			w_varint(w, p->key_len);
			w_bytes(w, p->key, p->key_len);
			r = encode_node(w, &p->value, depth + 1, err);
			if (r < 0)
				return r;
		}
		return 0;
	case LINX_HANDLE:
		return linx_error_set(err, EINVAL, "encode",
				      "a handle is process-local and cannot "
				      "be encoded");
	default:
		return linx_error_set(err, EINVAL, "encode",
				      "invalid value type %u", v->type);
	}
}

int linx_value_encode_to(const struct linx_value *v, void *buf, size_t cap,
			 size_t *ret_len, struct linx_error *err)
{
	struct writer w = { .buf = buf, .cap = buf ? cap : 0 };
	int r;

	if (!v)
		return linx_error_param(err, "encode", "value", "no value");
	r = encode_node(&w, v, 1, err);
	if (r < 0)
		return r;
	if (ret_len)
		*ret_len = w.len;
	if (w.len > w.cap)
		return linx_error_set(err, ENOBUFS, "encode",
				      "encoding needs %zu bytes, buffer has %zu",
				      w.len, w.cap);
	return 0;
}

int linx_value_encode(const struct linx_value *v, void **ret_buf,
		      size_t *ret_len, struct linx_error *err)
{
	size_t need = 0;
	void *buf;
	int r;

	if (!ret_buf || !ret_len)
		return linx_error_param(err, "encode", "ret", "no output");
	r = linx_value_encode_to(v, NULL, 0, &need, NULL);
	if (r < 0 && r != -ENOBUFS)
		return linx_value_encode_to(v, NULL, 0, &need, err);
	buf = malloc(need ? need : 1);
	if (!buf)
		return linx_error_set(err, ENOMEM, "encode", NULL);
	r = linx_value_encode_to(v, buf, need, &need, err);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	*ret_len = need;
	return 0;
}

/* ---- decoding ----------------------------------------------------------- */

struct reader {
	const uint8_t *p;
	size_t len;
	size_t pos;
	struct linx_error *err;
};

static int bad(struct reader *r, const char *what)
{
	return linx_error_set(r->err, EBADMSG, "decode", "%s at offset %zu",
			      what, r->pos);
}

static size_t remaining(const struct reader *r)
{
	return r->len - r->pos;
}

static int r_varint(struct reader *r, uint64_t *ret)
{
	uint64_t v = 0;

	for (unsigned shift = 0, i = 0;; i++, shift += 7) {
		uint8_t b;

		if (r->pos >= r->len)
			return bad(r, "truncated varint");
		b = r->p[r->pos++];
		if (i == 9 && b > 1)
			return bad(r, "varint overflows 64 bits");
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			/* A zero final byte after the first means a longer
			 * encoding than needed: not canonical. */
			if (b == 0 && i > 0)
				return bad(r, "over-long varint");
			*ret = v;
			return 0;
		}
	}
}

/* Read a length and check it against what is left, scaled by the smallest
 * possible size of one element. */
static int r_length(struct reader *r, size_t min_elem, uint32_t *ret)
{
	uint64_t n;
	int e = r_varint(r, &n);

	if (e < 0)
		return e;
	if (n > LINX_VALUE_MAX_LEN)
		return bad(r, "length over limit");
	if (n > remaining(r) / min_elem)
		return bad(r, "length beyond end of input");
	*ret = (uint32_t)n;
	return 0;
}

static uint32_t hash_key(const char *k, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)k[i]) * 16777619u;
	return h;
}

/* Duplicate-key check: linear for small maps, a hash set for big ones so a
 * hostile input cannot make decoding quadratic. */
struct keyset {
	uint32_t *slots; /* index+1, 0 = empty */
	uint32_t mask;
};

static bool keyset_insert(struct keyset *ks, const struct linx_value *map,
			  uint32_t idx)
{
	const struct linx_pair *p = &map->pairs[idx];
	uint32_t h = hash_key(p->key, p->key_len) & ks->mask;

	for (;; h = (h + 1) & ks->mask) {
		const struct linx_pair *o;

		if (!ks->slots[h]) {
			ks->slots[h] = idx + 1;
			return true;
		}
		o = &map->pairs[ks->slots[h] - 1];
		if (o->key_len == p->key_len &&
		    memcmp(o->key, p->key, p->key_len) == 0)
			return false;
	}
}

static int decode_node(struct reader *r, struct linx_value *ret,
		       unsigned depth);

static int decode_str(struct reader *r, bool is_string, char **ret,
		      uint32_t *ret_len)
{
	uint32_t n;
	char *s;
	int e = r_length(r, 1, &n);

	if (e < 0)
		return e;
	if (is_string && !linx_utf8_valid((const char *)r->p + r->pos, n))
		return bad(r, "string is not valid UTF-8 or contains NUL");
	s = malloc((size_t)n + 1);
	if (!s)
		return linx_error_set(r->err, ENOMEM, "decode", NULL);
	memcpy(s, r->p + r->pos, n);
	s[n] = '\0';
	r->pos += n;
	*ret = s;
	*ret_len = n;
	return 0;
}

/* A map key: as a string, but pooled when the schemas use it. */
static int decode_key(struct reader *r, char **ret, uint32_t *ret_len)
{
	uint32_t n;
	int e = r_length(r, 1, &n);

	if (e < 0)
		return e;
	if (!linx_utf8_valid((const char *)r->p + r->pos, n))
		return bad(r, "string is not valid UTF-8 or contains NUL");
	*ret = linx__key_dup((const char *)r->p + r->pos, n);
	if (!*ret)
		return linx_error_set(r->err, ENOMEM, "decode", NULL);
	r->pos += n;
	*ret_len = n;
	return 0;
}

static int decode_list(struct reader *r, struct linx_value *ret,
		       unsigned depth)
{
	uint32_t n;
	int e = r_length(r, 1, &n);

	if (e < 0)
		return e;
	*ret = linx_value_list();
	/* Reserve what the input can justify, capped: memory grows with what
	 * is actually decoded, not with what a header claims. */
	if (n && linx_value_reserve(ret, n < 4096 ? n : 4096) < 0)
		return linx_error_set(r->err, ENOMEM, "decode", NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct linx_value item;

		e = decode_node(r, &item, depth + 1);
		if (e < 0) {
			linx_value_clear(&item);
			return e;
		}
		e = linx_list_push(ret, &item);
		if (e < 0)
			return linx_error_set(r->err, -e, "decode", NULL);
	}
	return 0;
}

static int decode_map(struct reader *r, struct linx_value *ret,
		      unsigned depth)
{
	struct keyset ks = { 0 };
	uint32_t n;
	int e = r_length(r, 2, &n);

	if (e < 0)
		return e;
	*ret = linx_value_map();
	if (n && linx_value_reserve(ret, n < 4096 ? n : 4096) < 0)
		return linx_error_set(r->err, ENOMEM, "decode", NULL);
	if (n > 8) {
		uint32_t size = 16;

		while (size < n * 2)
			size <<= 1;
		ks.slots = calloc(size, sizeof(*ks.slots));
		if (!ks.slots)
			return linx_error_set(r->err, ENOMEM, "decode", NULL);
		ks.mask = size - 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct linx_pair *p;
		char *key;
		uint32_t key_len = 0;
		size_t key_pos = r->pos;
		bool dup = false;

		e = decode_key(r, &key, &key_len);
		if (e < 0)
			goto out;
		if (linx_value_reserve(ret, 1) < 0) {
			linx__key_free(key);
			e = linx_error_set(r->err, ENOMEM, "decode", NULL);
			goto out;
		}
		/* Append in place: keys are validated already, and a fresh
		 * node must not go through linx_map_put's replace rule. */
		p = &ret->pairs[ret->len];
		p->key = key;
		p->key_len = key_len;
		p->reserved = 0;
		p->value = linx_value_nil();
		ret->len++;
		if (ks.slots) {
			dup = !keyset_insert(&ks, ret, ret->len - 1);
		} else {
			for (uint32_t k = 0; k + 1 < ret->len && !dup; k++)
				dup = ret->pairs[k].key_len == key_len &&
				      memcmp(ret->pairs[k].key, key, key_len) ==
					      0;
		}
		if (dup) {
			r->pos = key_pos;
			e = bad(r, "duplicate map key");
			goto out;
		}
		e = decode_node(r, &p->value, depth + 1);
		if (e < 0)
			goto out;
	}
	linx__map_reindex(ret);
	e = 0;
out:
	free(ks.slots);
	return e;
}

static int decode_node(struct reader *r, struct linx_value *ret,
		       unsigned depth)
{
	uint64_t u;
	uint8_t tag;
	int e;

	*ret = linx_value_nil();
	if (depth > LINX_VALUE_MAX_DEPTH)
		return bad(r, "nesting too deep");
	if (r->pos >= r->len)
		return bad(r, "truncated input");
	tag = r->p[r->pos++];
	switch (tag) {
	case TAG_NIL:
		return 0;
	case TAG_FALSE:
	case TAG_TRUE:
		*ret = linx_value_bool(tag == TAG_TRUE);
		return 0;
	case TAG_INT:
		e = r_varint(r, &u);
		if (e < 0)
			return e;
		*ret = linx_value_int((int64_t)(u >> 1) ^ -(int64_t)(u & 1));
		return 0;
	case TAG_UINT:
		e = r_varint(r, &u);
		if (e < 0)
			return e;
		*ret = linx_value_uint(u);
		return 0;
	case TAG_BYTES:
	case TAG_STRING:
		e = decode_str(r, tag == TAG_STRING, &ret->str, &ret->len);
		if (e < 0)
			return e;
		ret->type = tag == TAG_STRING ? LINX_STRING : LINX_BYTES;
		return 0;
	case TAG_LIST:
		return decode_list(r, ret, depth);
	case TAG_MAP:
		return decode_map(r, ret, depth);
	default:
		r->pos--;
		return bad(r, "unknown tag");
	}
}

int linx_value_decode(const void *buf, size_t len, struct linx_value *ret,
		      struct linx_error *err)
{
	struct reader r = { .p = buf, .len = len, .err = err };
	int e;

	if (!ret)
		return linx_error_param(err, "decode", "ret", "no output");
	*ret = linx_value_nil();
	if (!buf && len)
		return linx_error_param(err, "decode", "buf", "no input");
	e = decode_node(&r, ret, 1);
	if (e >= 0 && r.pos != r.len)
		e = bad(&r, "trailing bytes");
	if (e < 0)
		linx_value_clear(ret);
	return e;
}
