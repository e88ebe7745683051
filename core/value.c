/* SPDX-License-Identifier: MIT */
/*
 * The value tree: constructors, containers, copying and freeing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *linx_type_name(unsigned type)
{
	static const char *const names[LINX_TYPE_COUNT] = {
		[LINX_NIL] = "nil",	  [LINX_BOOL] = "bool",
		[LINX_INT] = "int",	  [LINX_UINT] = "uint",
		[LINX_BYTES] = "bytes",	  [LINX_STRING] = "string",
		[LINX_LIST] = "list",	  [LINX_MAP] = "map",
		[LINX_HANDLE] = "handle",
	};

	return type < LINX_TYPE_COUNT ? names[type] : "invalid";
}

/*
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF.  NUL is refused too, so a valid string is also a C string.
 */
bool linx_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	if (!s)
		return len == 0;
	/* A leading run of ASCII without NUL, eight bytes at a time: most
	 * strings are ASCII, and every string and key built is checked. */
	while (len - i >= 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if ((w & 0x8080808080808080ull) ||
		    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
			break;
		i += 8;
	}
	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp, min;
		size_t n;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static char *dup_bytes(const void *data, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return NULL;
	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	return p;
}

int linx_value_string(struct linx_value *ret, const char *s, size_t len)
{
	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (len > LINX_VALUE_MAX_LEN)
		return -E2BIG;
	if (!linx_utf8_valid(s, len))
		return -EINVAL;
	ret->str = dup_bytes(s, len);
	if (!ret->str)
		return -ENOMEM;
	ret->type = LINX_STRING;
	ret->len = (uint32_t)len;
	return 0;
}

int linx_value_cstring(struct linx_value *ret, const char *s)
{
	if (!ret)
		return -EINVAL;
	if (!s) {
		*ret = linx_value_nil();
		return -EINVAL;
	}
	return linx_value_string(ret, s, strlen(s));
}

int linx_value_bytes(struct linx_value *ret, const void *data, size_t len)
{
	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (len > LINX_VALUE_MAX_LEN)
		return -E2BIG;
	if (!data && len)
		return -EINVAL;
	ret->bytes = (uint8_t *)dup_bytes(data, len);
	if (!ret->bytes)
		return -ENOMEM;
	ret->type = LINX_BYTES;
	ret->len = (uint32_t)len;
	return 0;
}

struct linx_value linx_value_handle(struct linx_handle *h)
{
	struct linx_value v = { .type = LINX_HANDLE };

	if (!h)
		return linx_value_nil();
	v.handle = linx_handle_ref(h);
	return v;
}

void linx__value_poison(struct linx_value *v, int code)
{
	v->flags |= code == -ENOMEM  ? LINX_VALUE_F_POISON_NOMEM
		    : code == -ELOOP ? LINX_VALUE_F_POISON_DEEP
				     : LINX_VALUE_F_POISON_INVAL;
}

/*
 * Maps larger than MAP_INDEX_MIN slots carry a hash index of their keys in
 * the same allocation, right after the pairs: `slots` uint32 entries
 * (index + 1, 0 empty), open addressing, at least twice the capacity.  It
 * is trusted only while it covers every pair (`reserved2`, the number of
 * pairs indexed, equals `len`): code that appends pairs in place after a
 * reserve (the decoder, the NIF) leaves it stale, lookups then scan, and
 * the next linx_map_put() rebuilds it.  So building a large map with
 * linx_map_put() is linear, not quadratic.
 */
#define MAP_INDEX_MIN 16

static uint32_t hash_key(const char *k, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)k[i]) * 16777619u;
	return h;
}

static size_t index_slots(size_t cap)
{
	size_t slots = 32;

	if (cap <= MAP_INDEX_MIN)
		return 0;
	while (slots < cap * 2)
		slots <<= 1;
	return slots;
}

static uint32_t *map_index(const struct linx_value *m)
{
	if (m->cap <= MAP_INDEX_MIN)
		return NULL;
	return (uint32_t *)(void *)((char *)m->pairs +
				    (size_t)m->cap * sizeof(struct linx_pair));
}

static void index_insert(struct linx_value *m, uint32_t i)
{
	uint32_t *idx = map_index(m);
	size_t mask = index_slots(m->cap) - 1;
	size_t h = hash_key(m->pairs[i].key, m->pairs[i].key_len) & mask;

	while (idx[h])
		h = (h + 1) & mask;
	idx[h] = i + 1;
}

static void index_rebuild(struct linx_value *m)
{
	uint32_t *idx = map_index(m);

	m->reserved2 = 0;
	if (!idx)
		return;
	memset(idx, 0, index_slots(m->cap) * sizeof(*idx));
	for (uint32_t i = 0; i < m->len; i++)
		index_insert(m, i);
	m->reserved2 = m->len;
}

/*
 * Containers record their depth in `reserved` (depth - 1, so a fresh
 * container is right at zero): a scalar or an empty container is depth 1,
 * a container one more than its deepest child, as the codec counts.  The
 * builders refuse to nest past LINX_VALUE_MAX_DEPTH, so the recursive
 * clear, copy, compare and encode of any tree built through this API are
 * bounded, instead of overflowing the stack on a tree a million deep.
 */
static unsigned depth_of(const struct linx_value *v)
{
	return v->type == LINX_LIST || v->type == LINX_MAP ? v->reserved + 1u
							   : 1u;
}

/* Can `child` go into `parent`?  -ELOOP if the result would be too deep;
 * otherwise record the parent's new depth. */
static int adopt_depth(struct linx_value *parent,
		       const struct linx_value *child)
{
	unsigned d = depth_of(child);

	if (d + 1 > LINX_VALUE_MAX_DEPTH)
		return -ELOOP;
	if (d > parent->reserved)
		parent->reserved = (uint16_t)d;
	return 0;
}

void linx__map_reindex(struct linx_value *m)
{
	unsigned depth = 0;

	if (!m || m->type != LINX_MAP)
		return;
	index_rebuild(m);
	/* The in-place fillers bound their depth themselves; record it
	 * (saturated, should one not). */
	for (uint32_t i = 0; i < m->len; i++)
		if (depth_of(&m->pairs[i].value) > depth)
			depth = depth_of(&m->pairs[i].value);
	m->reserved = (uint16_t)(depth < UINT16_MAX ? depth : UINT16_MAX);
}

/* Make room for one more element in a list or map. */
static int grow(struct linx_value *c, size_t elem_size, size_t want)
{
	size_t cap;
	void *p;

	if (want <= c->cap)
		return 0;
	if (want > LINX_VALUE_MAX_LEN)
		return -E2BIG;
	cap = c->cap ? (size_t)c->cap * 2 : 4;
	if (cap < want)
		cap = want;
	if (cap > LINX_VALUE_MAX_LEN)
		cap = LINX_VALUE_MAX_LEN;
	p = realloc(c->type == LINX_LIST ? (void *)c->items : (void *)c->pairs,
		    cap * elem_size +
			    (c->type == LINX_MAP ? index_slots(cap) * 4 : 0));
	if (!p)
		return -ENOMEM;
	if (c->type == LINX_LIST) {
		c->items = p;
		c->cap = (uint32_t)cap;
	} else {
		/* The index moved with the capacity: lay it out again. */
		c->pairs = p;
		c->cap = (uint32_t)cap;
		index_rebuild(c);
	}
	return 0;
}

int linx_value_reserve(struct linx_value *c, size_t n)
{
	int r;

	if (!c || (c->type != LINX_LIST && c->type != LINX_MAP))
		return -EINVAL;
	/* Checked before adding: len + n must not wrap to a small size. */
	if (n > LINX_VALUE_MAX_LEN - c->len) {
		linx__value_poison(c, -E2BIG);
		return -E2BIG;
	}
	r = grow(c,
		 c->type == LINX_LIST ? sizeof(struct linx_value)
				      : sizeof(struct linx_pair),
		 (size_t)c->len + n);
	if (r < 0)
		linx__value_poison(c, r);
	return r;
}

/* Carry a moved child's poison up into its new parent. */
static void inherit_poison(struct linx_value *parent,
			   const struct linx_value *child)
{
	parent->flags |= child->flags & LINX_VALUE_F_POISON;
}

int linx_list_push(struct linx_value *list, struct linx_value *val)
{
	int r;

	if (!list || list->type != LINX_LIST || !val) {
		linx_value_clear(val);
		return -EINVAL;
	}
	/* A list inside itself is a cycle: clearing it would never end. */
	if (val == list) {
		linx__value_poison(list, -EINVAL);
		return -EINVAL;
	}
	r = adopt_depth(list, val);
	if (r == 0)
		r = grow(list, sizeof(struct linx_value), (size_t)list->len + 1);
	if (r < 0) {
		linx_value_clear(val);
		linx__value_poison(list, r);
		return r;
	}
	inherit_poison(list, val);
	list->items[list->len++] = *val;
	*val = linx_value_nil();
	return 0;
}

int linx_list_push_int(struct linx_value *list, int64_t i)
{
	struct linx_value v = linx_value_int(i);

	return linx_list_push(list, &v);
}

int linx_list_push_uint(struct linx_value *list, uint64_t u)
{
	struct linx_value v = linx_value_uint(u);

	return linx_list_push(list, &v);
}

int linx_list_push_cstring(struct linx_value *list, const char *s)
{
	struct linx_value v;
	int r = linx_value_cstring(&v, s);

	if (r < 0) {
		if (list && list->type == LINX_LIST)
			linx__value_poison(list, r);
		return r;
	}
	return linx_list_push(list, &v);
}

static struct linx_pair *find_pair(const struct linx_value *map,
				   const char *key, size_t key_len)
{
	const uint32_t *idx = map_index(map);

	if (idx && map->reserved2 == map->len) {
		size_t mask = index_slots(map->cap) - 1;

		for (size_t h = hash_key(key, key_len) & mask; idx[h];
		     h = (h + 1) & mask) {
			struct linx_pair *p = &map->pairs[idx[h] - 1];

			if (p->key_len == key_len &&
			    memcmp(p->key, key, key_len) == 0)
				return p;
		}
		return NULL;
	}
	for (uint32_t i = 0; i < map->len; i++) {
		struct linx_pair *p = &map->pairs[i];

		/* the first byte before a call to memcmp() */
		if (p->key_len == key_len &&
		    (key_len == 0 || (p->key[0] == key[0] &&
				      memcmp(p->key, key, key_len) == 0)))
			return p;
	}
	return NULL;
}

/*
 * A small map's lookup by C string, without measuring it first: a verb
 * looks up each of its parameters in turn (most of them absent), so this
 * runs several times per op of a bulk call.  Stored keys hold no NUL, so a
 * shorter `key` differs at its NUL before the walk passes its end.
 */
static struct linx_pair *scan_pair(const struct linx_value *map,
				   const char *key)
{
	struct linx_pair *p = map->pairs, *end = p + map->len;
	char c0 = key[0];

	for (; p < end; p++) {
		const char *k = p->key;
		uint32_t j, n;

		/* most pairs differ at the first byte (a hand-built pair
		 * without a key matches nothing) */
		if (!k || k[0] != c0)
			continue;
		if (c0 == '\0')
			return p; /* the empty key */
		n = p->key_len;
		for (j = 1; j < n && k[j] == key[j]; j++)
			;
		if (j == n && key[n] == '\0')
			return p;
	}
	return NULL;
}

const struct linx_value *linx_map_get(const struct linx_value *map,
				      const char *key)
{
	const struct linx_pair *p;

	if (!map || map->type != LINX_MAP || !key)
		return NULL;
	if (map_index(map) && map->reserved2 == map->len)
		p = find_pair(map, key, strlen(key));
	else
		p = scan_pair(map, key);
	return p ? &p->value : NULL;
}

int linx_map_take(struct linx_value *map, const char *key,
		  struct linx_value *ret)
{
	struct linx_value *v;

	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (!map || map->type != LINX_MAP || !key)
		return -EINVAL;
	v = (struct linx_value *)linx_map_get(map, key);
	if (!v)
		return -ENOENT;
	*ret = *v;
	*v = linx_value_nil();
	return 0;
}

int linx_map_put(struct linx_value *map, const char *key,
		 struct linx_value *val)
{
	struct linx_pair *p;
	size_t key_len;
	char *k;
	int r;

	if (!map || map->type != LINX_MAP || !val) {
		linx_value_clear(val);
		return -EINVAL;
	}
	if (val == map) {
		linx__value_poison(map, -EINVAL);
		return -EINVAL;
	}
	key_len = key ? strlen(key) : 0;
	if (!key || key_len > LINX_VALUE_MAX_LEN ||
	    !linx_utf8_valid(key, key_len)) {
		linx_value_clear(val);
		linx__value_poison(map, -EINVAL);
		return -EINVAL;
	}
	/* Replacing a deep value by a shallow one leaves the recorded depth
	 * high: a bound, never an under-estimate. */
	r = adopt_depth(map, val);
	if (r < 0) {
		linx_value_clear(val);
		linx__value_poison(map, r);
		return r;
	}
	/* Pairs appended in place since the last put: index them first. */
	if (map_index(map) && map->reserved2 != map->len)
		index_rebuild(map);
	p = find_pair(map, key, key_len);
	if (p) {
		linx_value_clear(&p->value);
		inherit_poison(map, val);
		p->value = *val;
		*val = linx_value_nil();
		return 0;
	}
	r = map->len < map->cap
		    ? 0
		    : grow(map, sizeof(struct linx_pair), (size_t)map->len + 1);
	k = r < 0 ? NULL : linx__key_dup(key, key_len);
	if (!k) {
		linx_value_clear(val);
		r = r < 0 ? r : -ENOMEM;
		linx__value_poison(map, r);
		return r;
	}
	inherit_poison(map, val);
	p = &map->pairs[map->len++];
	p->key = k;
	p->key_len = (uint32_t)key_len;
	p->reserved = 0;
	p->value = *val;
	*val = linx_value_nil();
	if (map_index(map) && map->reserved2 == map->len - 1) {
		index_insert(map, map->len - 1);
		map->reserved2 = map->len;
	}
	return 0;
}

int linx_map_put_many(struct linx_value *map, struct linx_map_entry *entries,
		      size_t n)
{
	int r = 0;

	if (n && !entries)
		return -EINVAL;
	if (!map || map->type != LINX_MAP)
		r = -EINVAL;
	else if (n)
		r = linx_value_reserve(map, n);
	for (size_t i = 0; i < n; i++) {
		int q;

		if (r < 0) {
			linx_value_clear(&entries[i].value);
			continue;
		}
		q = linx_map_put(map, entries[i].key, &entries[i].value);
		if (q < 0)
			r = q;
	}
	return r;
}

int linx_map_put_nil(struct linx_value *map, const char *key)
{
	struct linx_value v = linx_value_nil();

	return linx_map_put(map, key, &v);
}

int linx_map_put_bool(struct linx_value *map, const char *key, bool b)
{
	struct linx_value v = linx_value_bool(b);

	return linx_map_put(map, key, &v);
}

int linx_map_put_int(struct linx_value *map, const char *key, int64_t i)
{
	struct linx_value v = linx_value_int(i);

	return linx_map_put(map, key, &v);
}

int linx_map_put_uint(struct linx_value *map, const char *key, uint64_t u)
{
	struct linx_value v = linx_value_uint(u);

	return linx_map_put(map, key, &v);
}

/* Build with `make`, then put; a failed build poisons the map. */
static int put_built(struct linx_value *map, const char *key, int made,
		     struct linx_value *v)
{
	if (made < 0) {
		if (map && map->type == LINX_MAP)
			linx__value_poison(map, made);
		return made;
	}
	return linx_map_put(map, key, v);
}

int linx_map_put_string(struct linx_value *map, const char *key,
			const char *s, size_t len)
{
	struct linx_value v;

	return put_built(map, key, linx_value_string(&v, s, len), &v);
}

int linx_map_put_cstring(struct linx_value *map, const char *key,
			 const char *s)
{
	struct linx_value v;

	if (!s)
		return linx_map_put_nil(map, key);
	return put_built(map, key, linx_value_cstring(&v, s), &v);
}

int linx_map_put_bytes(struct linx_value *map, const char *key,
		       const void *data, size_t len)
{
	struct linx_value v;

	return put_built(map, key, linx_value_bytes(&v, data, len), &v);
}

void linx_value_clear(struct linx_value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case LINX_STRING:
		free(v->str);
		break;
	case LINX_BYTES:
		free(v->bytes);
		break;
	case LINX_LIST:
		for (uint32_t i = 0; i < v->len; i++)
			linx_value_clear(&v->items[i]);
		free(v->items);
		break;
	case LINX_MAP:
		for (uint32_t i = 0; i < v->len; i++) {
			linx__key_free(v->pairs[i].key);
			linx_value_clear(&v->pairs[i].value);
		}
		free(v->pairs);
		break;
	case LINX_HANDLE:
		linx_handle_unref(v->handle);
		break;
	default:
		break;
	}
	*v = linx_value_nil();
}

/* The worse of two statuses: out of memory, then too deep, then invalid. */
static int worse(int a, int b)
{
	static const int order[] = { -ENOMEM, -ELOOP, -EINVAL };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a < 0 ? a : b;
}

int linx_value_status(const struct linx_value *v)
{
	int r = 0;

	if (!v)
		return -EINVAL;
	if (v->flags & LINX_VALUE_F_POISON_NOMEM)
		return -ENOMEM;
	if (v->flags & LINX_VALUE_F_POISON_DEEP)
		r = -ELOOP;
	else if (v->flags & LINX_VALUE_F_POISON_INVAL)
		r = -EINVAL;
	if (v->type == LINX_LIST) {
		for (uint32_t i = 0; i < v->len && r != -ENOMEM; i++)
			r = worse(r, linx_value_status(&v->items[i]));
	} else if (v->type == LINX_MAP) {
		for (uint32_t i = 0; i < v->len && r != -ENOMEM; i++)
			r = worse(r, linx_value_status(&v->pairs[i].value));
	} else if (v->type >= LINX_TYPE_COUNT) {
		r = worse(r, -EINVAL);
	}
	return r;
}

int linx_value_copy(struct linx_value *ret, const struct linx_value *v)
{
	int r = 0;

	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (!v)
		return -EINVAL;
	switch (v->type) {
	case LINX_NIL:
	case LINX_BOOL:
	case LINX_INT:
	case LINX_UINT:
		*ret = *v;
		ret->flags = 0;
		return 0;
	case LINX_STRING:
		return linx_value_string(ret, v->str, v->len);
	case LINX_BYTES:
		return linx_value_bytes(ret, v->bytes, v->len);
	case LINX_HANDLE:
		*ret = linx_value_handle(v->handle);
		return 0;
	case LINX_LIST:
		*ret = linx_value_list();
		r = linx_value_reserve(ret, v->len);
		for (uint32_t i = 0; r >= 0 && i < v->len; i++) {
			struct linx_value c;

			r = linx_value_copy(&c, &v->items[i]);
			if (r >= 0)
				r = linx_list_push(ret, &c);
		}
		break;
	case LINX_MAP:
		*ret = linx_value_map();
		r = linx_value_reserve(ret, v->len);
		/* The source's keys are unique and valid already: append
		 * rather than put, which would search for each key (and make
		 * copying a map quadratic). */
		for (uint32_t i = 0; r >= 0 && i < v->len; i++) {
			const struct linx_pair *src = &v->pairs[i];
			struct linx_pair *dst = &ret->pairs[ret->len];

			dst->key = linx__key_pooled(src->key)
					   ? src->key
					   : linx__key_dup(src->key,
							   src->key_len);
			if (!dst->key) {
				r = -ENOMEM;
				break;
			}
			dst->key_len = src->key_len;
			dst->reserved = 0;
			r = linx_value_copy(&dst->value, &src->value);
			ret->len++; /* owned now, freed by a clear on failure */
			if (r >= 0)
				inherit_poison(ret, &dst->value);
		}
		break;
	default:
		return -EINVAL;
	}
	if (r < 0) {
		linx_value_clear(ret);
		return r;
	}
	/* A copy of an incomplete tree is incomplete too: keep the mark so
	 * linx_value_status() and the encoder still refuse it. */
	inherit_poison(ret, v);
	linx__map_reindex(ret);
	return 0;
}

/* Two values of one type that are not a list or a map. */
/* n bytes at x and y equal: short runs (the names, words and
 * addresses of most trees) in two overlapping loads, without a call. */
static inline bool short_bytes_equal(const void *x, const void *y, uint32_t n)
{
	const unsigned char *p = x, *q = y;
	uint64_t a, b;
	uint32_t c, d;

	if (p == q || n == 0)
		return true;
	if (n > 16)
		return memcmp(p, q, n) == 0;
	if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, q, 8);
		if (a != b)
			return false;
		memcpy(&a, p + n - 8, 8);
		memcpy(&b, q + n - 8, 8);
		return a == b;
	}
	if (n >= 4) {
		memcpy(&c, p, 4);
		memcpy(&d, q, 4);
		if (c != d)
			return false;
		memcpy(&c, p + n - 4, 4);
		memcpy(&d, q + n - 4, 4);
		return c == d;
	}
	return p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1];
}

static inline bool scalar_equal(const struct linx_value *a,
				const struct linx_value *b)
{
	switch (a->type) {
	case LINX_BOOL:
		return a->b == b->b;
	case LINX_INT:
		return a->i == b->i;
	case LINX_UINT:
		return a->u == b->u;
	case LINX_STRING:
	case LINX_BYTES:
		return a->len == b->len &&
		       short_bytes_equal(a->str, b->str, a->len);
	case LINX_HANDLE:
		return a->handle == b->handle;
	case LINX_NIL:
		return true;
	default:
		return false;
	}
}

/* An element of a list or map: its leaves (most of a tree's nodes) are
 * compared here, without a call per leaf; containers recurse. */
/* An int and a uint of the same number: the same integer (JSON and the
 * Erlang codec do not tell them apart, and decoders pick either). */
static inline bool int_uint_equal(const struct linx_value *a,
				  const struct linx_value *b)
{
	if (a->type == LINX_INT && b->type == LINX_UINT)
		return a->i >= 0 && (uint64_t)a->i == b->u;
	if (a->type == LINX_UINT && b->type == LINX_INT)
		return b->i >= 0 && (uint64_t)b->i == a->u;
	return false;
}

static bool tree_equal(const struct linx_value *a,
		       const struct linx_value *b);

/* Forced inline: a tree's leaves are most of its nodes, and a call per
 * leaf was half the cost of comparing two rulesets. */
static inline __attribute__((always_inline)) bool
elem_equal(const struct linx_value *a, const struct linx_value *b)
{
	if (a->type != b->type)
		return int_uint_equal(a, b);
	switch (a->type) {
	case LINX_LIST:
	case LINX_MAP:
		return a->len == b->len && tree_equal(a, b);
	case LINX_STRING:
	case LINX_BYTES:
		return a->len == b->len &&
		       short_bytes_equal(a->str, b->str, a->len);
	case LINX_INT:
	case LINX_UINT:
		return a->u == b->u;
	default:
		return scalar_equal(a, b);
	}
}

/* Two lists or two maps of one type and length. */
static bool tree_equal(const struct linx_value *a, const struct linx_value *b)
{
	if (a->type == LINX_LIST) {
		for (uint32_t i = 0; i < a->len; i++)
			if (!elem_equal(&a->items[i], &b->items[i]))
				return false;
		return true;
	}
	for (uint32_t i = 0; i < a->len; i++) {
		const struct linx_pair *p = &a->pairs[i];
		const struct linx_pair *q = &b->pairs[i];

		/* Maps built or decoded alike keep their keys in the same
		 * order: try the same position before a search, which keeps
		 * the common case linear.  Keys are unique, so a match there
		 * is the match.  Pooled keys compare by address. */
		if (q->key != p->key &&
		    (q->key_len != p->key_len ||
		     memcmp(q->key, p->key, p->key_len) != 0)) {
			q = find_pair(b, p->key, p->key_len);
			if (!q)
				return false;
		}
		if (!elem_equal(&p->value, &q->value))
			return false;
	}
	return true;
}

bool linx_value_equal(const struct linx_value *a, const struct linx_value *b)
{
	if (!a || !b)
		return false;
	return elem_equal(a, b);
}
