/* SPDX-License-Identifier: MIT */
/*
 * The mapping between Linx values (linx/value.h) and JSON, in both
 * directions.  docs/cli/README.md documents it for users; in short:
 *
 *   nil <-> null, bool <-> true/false, int <-> integer, string <-> string,
 *   list <-> array, map <-> object (key order kept);
 *   uint <= INT64_MAX  -> integer;
 *   uint >  INT64_MAX <-> {"$uint": "<decimal>"}  (jansson's json_int_t is
 *                          a signed 64-bit long long, and a double would
 *                          lose the low bits);
 *   bytes             <-> {"$bytes": "<hex>"};
 *   handle             -> "<handle TYPE>" (output only: a handle names an
 *                          object inside this process and means nothing
 *                          once it exits);
 *   a map whose only key is one of those tags <-> {"$map": {...}}, so every
 *   value has exactly one JSON form and reads back as itself.
 *
 * Input only: a tag value may also be written as a JSON integer
 * ({"$uint": 5}), and hex digits may be upper-case.  JSON reals are
 * refused: Linx values have no floating point.
 *
 * Both directions stop at LINX_VALUE_MAX_DEPTH, the depth the value codec
 * accepts, so nothing the CLI builds is refused later for its depth and a
 * hostile input cannot exhaust the stack.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define TAG_UINT "$uint"
#define TAG_BYTES "$bytes"
#define TAG_MAP "$map"

static bool is_tag(const char *key)
{
	return strcmp(key, TAG_UINT) == 0 || strcmp(key, TAG_BYTES) == 0 ||
	       strcmp(key, TAG_MAP) == 0;
}

/* ---- where we are, as a JSON pointer (RFC 6901) ------------------------- */

struct where {
	char path[256];
	size_t len;
	bool truncated;
	char *why; /* CLI_JSON_ERR_MAX bytes */
};

static size_t where_push_key(struct where *w, const char *key)
{
	size_t old = w->len;

	if (w->len + 1 >= sizeof(w->path)) {
		w->truncated = true;
		return old;
	}
	w->path[w->len++] = '/';
	for (const char *k = key; *k; k++) {
		/* "~" is written "~0" and "/" "~1" (RFC 6901 section 3) */
		const char *esc = *k == '~' ? "~0" : *k == '/' ? "~1" : NULL;
		size_t n = esc ? 2 : 1;

		if (w->len + n >= sizeof(w->path)) {
			w->truncated = true;
			break;
		}
		memcpy(w->path + w->len, esc ? esc : k, n);
		w->len += n;
	}
	w->path[w->len] = '\0';
	return old;
}

static size_t where_push_index(struct where *w, size_t i)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%zu", i);
	return where_push_key(w, buf);
}

static void where_pop(struct where *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

static int fail(struct where *w, int code, const char *fmt, ...)
	LINX_PRINTF(3, 4);

static int fail(struct where *w, int code, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (w->len) {
		int r = snprintf(w->why, CLI_JSON_ERR_MAX, "at %s%s: ", w->path,
				 w->truncated ? "..." : "");

		n = r < 0 ? 0 : (size_t)r;
		if (n >= CLI_JSON_ERR_MAX)
			n = CLI_JSON_ERR_MAX - 1;
	}
	va_start(ap, fmt);
	vsnprintf(w->why + n, CLI_JSON_ERR_MAX - n, fmt, ap);
	va_end(ap);
	return -code;
}

/* ---- value -> JSON ------------------------------------------------------ */

static json_t *to_json(const struct linx_value *v, unsigned depth,
		       struct where *w);

static json_t *bytes_to_json(const struct linx_value *v, struct where *w)
{
	static const char digits[] = "0123456789abcdef";
	json_t *j, *hex;
	char *buf;

	if (v->len && !v->bytes) {
		fail(w, EINVAL, "bytes value without data");
		return NULL;
	}
	buf = malloc((size_t)v->len * 2 + 1);
	if (!buf) {
		fail(w, ENOMEM, "out of memory");
		return NULL;
	}
	for (uint32_t i = 0; i < v->len; i++) {
		buf[2 * i] = digits[v->bytes[i] >> 4];
		buf[2 * i + 1] = digits[v->bytes[i] & 0xf];
	}
	buf[(size_t)v->len * 2] = '\0';
	hex = json_stringn_nocheck(buf, (size_t)v->len * 2);
	free(buf);
	j = hex ? json_pack("{s:o}", TAG_BYTES, hex) : NULL;
	if (!j)
		fail(w, ENOMEM, "out of memory");
	return j;
}

static json_t *map_to_json(const struct linx_value *v, unsigned depth,
			   struct where *w)
{
	json_t *obj = json_object(), *wrapped;

	if (!obj || (v->len && !v->pairs)) {
		json_decref(obj);
		fail(w, obj ? EINVAL : ENOMEM, "malformed map");
		return NULL;
	}
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_pair *p = &v->pairs[i];
		size_t old;
		json_t *child;

		if (!p->key) {
			json_decref(obj);
			fail(w, EINVAL, "map key %u missing", i);
			return NULL;
		}
		old = where_push_key(w, p->key);
		child = to_json(&p->value, depth + 1, w);
		where_pop(w, old);
		/* json_object_set_new() checks the key is UTF-8 and frees
		 * the child on failure. */
		if (!child || json_object_set_new(obj, p->key, child) < 0) {
			if (child)
				fail(w, EINVAL, "map key is not valid UTF-8");
			json_decref(obj);
			return NULL;
		}
	}
	if (v->len != 1 || !is_tag(v->pairs[0].key))
		return obj;
	/* A real map that would read back as a tag: escape it. */
	wrapped = json_pack("{s:o}", TAG_MAP, obj);
	if (!wrapped)
		fail(w, ENOMEM, "out of memory");
	return wrapped;
}

static json_t *to_json(const struct linx_value *v, unsigned depth,
		       struct where *w)
{
	json_t *j = NULL;

	if (depth > LINX_VALUE_MAX_DEPTH) {
		fail(w, ELOOP, "nested deeper than %u levels",
		     LINX_VALUE_MAX_DEPTH);
		return NULL;
	}
	switch (v->type) {
	case LINX_NIL:
		j = json_null();
		break;
	case LINX_BOOL:
		j = json_boolean(v->b);
		break;
	case LINX_INT:
		j = json_integer(v->i);
		break;
	case LINX_UINT:
		if (v->u <= (uint64_t)INT64_MAX) {
			j = json_integer((json_int_t)v->u);
		} else {
			char dec[24];

			snprintf(dec, sizeof(dec), "%" PRIu64, v->u);
			j = json_pack("{s:s}", TAG_UINT, dec);
		}
		break;
	case LINX_BYTES:
		return bytes_to_json(v, w);
	case LINX_STRING:
		if (!v->str) {
			fail(w, EINVAL, "string value without data");
			return NULL;
		}
		/* Checks UTF-8 again: a plugin could have built the node by
		 * hand, bypassing linx_value_string(). */
		j = json_stringn(v->str, v->len);
		if (!j) {
			fail(w, EINVAL, "string is not valid UTF-8");
			return NULL;
		}
		return j;
	case LINX_LIST:
		if (v->len && !v->items) {
			fail(w, EINVAL, "malformed list");
			return NULL;
		}
		j = json_array();
		for (uint32_t i = 0; j && i < v->len; i++) {
			size_t old = where_push_index(w, i);
			json_t *child = to_json(&v->items[i], depth + 1, w);

			where_pop(w, old);
			if (!child || json_array_append_new(j, child) < 0) {
				json_decref(j);
				return NULL;
			}
		}
		break;
	case LINX_MAP:
		return map_to_json(v, depth, w);
	case LINX_HANDLE: {
		const struct linx_handle_type *t =
			v->handle ? linx_handle_type_of(v->handle) : NULL;
		char desc[160];

		snprintf(desc, sizeof(desc), "<handle %s>",
			 t && t->name ? t->name : "?");
		/* The type name comes from a plugin: check it. */
		j = json_string(desc);
		if (!j)
			j = json_string("<handle>");
		break;
	}
	default:
		fail(w, EINVAL, "invalid value type %u", v->type);
		return NULL;
	}
	if (!j)
		fail(w, ENOMEM, "out of memory");
	return j;
}

json_t *cli_value_to_json(const struct linx_value *v,
			  char why[CLI_JSON_ERR_MAX])
{
	struct where w = { .why = why };

	why[0] = '\0';
	if (!v) {
		fail(&w, EINVAL, "no value");
		return NULL;
	}
	return to_json(v, 1, &w);
}

/* ---- JSON -> value ------------------------------------------------------ */

static int from_json(const json_t *j, struct linx_value *ret, unsigned depth,
		     bool tags, struct where *w);

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int tagged_bytes(const json_t *arg, struct linx_value *ret,
			struct where *w)
{
	const char *hex = json_string_value(arg);
	size_t len = json_string_length(arg), n;
	uint8_t *buf;
	int r;

	if (!hex)
		return fail(w, EINVAL, "%s takes a string of hex digits",
			    TAG_BYTES);
	if (len % 2)
		return fail(w, EINVAL, "%s: odd number of hex digits",
			    TAG_BYTES);
	n = len / 2;
	if (n > LINX_VALUE_MAX_LEN)
		return fail(w, E2BIG, "%s: more than %u bytes", TAG_BYTES,
			    LINX_VALUE_MAX_LEN);
	buf = malloc(n ? n : 1);
	if (!buf)
		return fail(w, ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(buf);
			return fail(w, EINVAL,
				    "%s: \"%.2s\" at offset %zu is not a hex "
				    "byte",
				    TAG_BYTES, hex + 2 * i, 2 * i);
		}
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	r = linx_value_bytes(ret, buf, n);
	free(buf);
	if (r < 0)
		return fail(w, -r, "%s: %s", TAG_BYTES, strerror(-r));
	return 0;
}

static int tagged_uint(const json_t *arg, struct linx_value *ret,
		       struct where *w)
{
	const char *s = json_string_value(arg);
	uint64_t u = 0;

	if (json_is_integer(arg)) {
		json_int_t i = json_integer_value(arg);

		if (i < 0)
			return fail(w, ERANGE, "%s must not be negative",
				    TAG_UINT);
		*ret = linx_value_uint((uint64_t)i);
		return 0;
	}
	if (!s || !*s)
		return fail(w, EINVAL,
			    "%s takes a decimal string or a non-negative "
			    "integer",
			    TAG_UINT);
	for (const char *p = s; *p; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (*p < '0' || *p > '9')
			return fail(w, EINVAL, "%s: \"%.40s\" is not a "
					       "decimal number",
				    TAG_UINT, s);
		if (u > (UINT64_MAX - d) / 10)
			return fail(w, ERANGE,
				    "%s: %.40s does not fit in 64 bits",
				    TAG_UINT, s);
		u = u * 10 + d;
	}
	*ret = linx_value_uint(u);
	return 0;
}

static int object_from_json(const json_t *j, struct linx_value *ret,
			    unsigned depth, bool tags, struct where *w)
{
	const char *key;
	json_t *child;
	int r;

	if (tags && json_object_size(j) == 1) {
		void *it = json_object_iter((json_t *)j);
		const char *tag = json_object_iter_key(it);
		const json_t *arg = json_object_iter_value(it);

		if (strcmp(tag, TAG_BYTES) == 0)
			return tagged_bytes(arg, ret, w);
		if (strcmp(tag, TAG_UINT) == 0)
			return tagged_uint(arg, ret, w);
		if (strcmp(tag, TAG_MAP) == 0) {
			if (!json_is_object(arg))
				return fail(w, EINVAL, "%s takes an object",
					    TAG_MAP);
			return object_from_json(arg, ret, depth, false, w);
		}
	}
	*ret = linx_value_map();
	r = linx_value_reserve(ret, json_object_size(j));
	if (r < 0) {
		linx_value_clear(ret);
		return fail(w, -r, "object too large: %s", strerror(-r));
	}
	json_object_foreach((json_t *)j, key, child) {
		struct linx_value v = linx_value_nil();
		size_t old = where_push_key(w, key);

		r = from_json(child, &v, depth + 1, true, w);
		if (r >= 0) {
			r = linx_map_put(ret, key, &v);
			if (r < 0)
				fail(w, -r, "cannot store key: %s",
				     strerror(-r));
		}
		where_pop(w, old);
		if (r < 0) {
			linx_value_clear(ret);
			return r;
		}
	}
	return 0;
}

static int from_json(const json_t *j, struct linx_value *ret, unsigned depth,
		     bool tags, struct where *w)
{
	int r;

	*ret = linx_value_nil();
	if (depth > LINX_VALUE_MAX_DEPTH)
		return fail(w, ELOOP, "nested deeper than %u levels",
			    LINX_VALUE_MAX_DEPTH);
	switch (json_typeof(j)) {
	case JSON_NULL:
		return 0;
	case JSON_TRUE:
		*ret = linx_value_bool(true);
		return 0;
	case JSON_FALSE:
		*ret = linx_value_bool(false);
		return 0;
	case JSON_INTEGER:
		*ret = linx_value_int(json_integer_value(j));
		return 0;
	case JSON_REAL:
		return fail(w, EINVAL,
			    "%g: floating-point numbers are not supported "
			    "(Linx values have integers only)",
			    json_real_value(j));
	case JSON_STRING:
		r = linx_value_string(ret, json_string_value(j),
				      json_string_length(j));
		if (r < 0)
			return fail(w, -r, "%s",
				    r == -EINVAL ? "string contains a NUL "
						   "byte or invalid UTF-8"
						 : strerror(-r));
		return 0;
	case JSON_ARRAY: {
		size_t n = json_array_size(j);

		*ret = linx_value_list();
		r = linx_value_reserve(ret, n);
		if (r < 0) {
			linx_value_clear(ret);
			return fail(w, -r, "array too large: %s",
				    strerror(-r));
		}
		for (size_t i = 0; i < n; i++) {
			struct linx_value v;
			size_t old = where_push_index(w, i);

			r = from_json(json_array_get(j, i), &v, depth + 1,
				      true, w);
			if (r >= 0) {
				r = linx_list_push(ret, &v);
				if (r < 0)
					fail(w, -r, "cannot store element: %s",
					     strerror(-r));
			}
			where_pop(w, old);
			if (r < 0) {
				linx_value_clear(ret);
				return r;
			}
		}
		return 0;
	}
	case JSON_OBJECT:
		return object_from_json(j, ret, depth, tags, w);
	}
	return fail(w, EINVAL, "unknown JSON type");
}

int cli_json_to_value(const json_t *j, unsigned outer, struct linx_value *ret,
		      char why[CLI_JSON_ERR_MAX])
{
	struct where w = { .why = why };

	why[0] = '\0';
	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (!j)
		return fail(&w, EINVAL, "no JSON value");
	if (outer >= LINX_VALUE_MAX_DEPTH)
		return fail(&w, ELOOP, "nested deeper than %u levels",
			    LINX_VALUE_MAX_DEPTH);
	return from_json(j, ret, 1 + outer, true, &w);
}

json_t *cli_json_parse(const char *text, size_t len,
		       char why[CLI_JSON_ERR_MAX])
{
	json_error_t jerr;
	json_t *j;

	why[0] = '\0';
	/* Strict: a duplicate key would silently drop an argument, and a NUL
	 * inside a string cannot be a Linx string (JSON_ALLOW_NUL is off). */
	j = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
		       &jerr);
	if (!j)
		snprintf(why, CLI_JSON_ERR_MAX,
			 "invalid JSON: %s (line %d, column %d)%s", jerr.text,
			 jerr.line, jerr.column,
			 /* jansson's words for an integer beyond json_int_t */
			 strstr(jerr.text, "too big")
				 ? "; write integers above "
				   "9223372036854775807 as {\"$uint\": "
				   "\"...\"}"
				 : "");
	return j;
}
