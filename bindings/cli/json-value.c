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

/* One step of the way down, kept on the reader's stack: the one-pass
 * reader spells the pointer out only for an error, instead of once per
 * member of every op. */
struct frame {
	const struct frame *up;
	const char *key; /* NULL: an array element */
	size_t index;
};

struct where {
	char path[256];
	size_t len;
	bool truncated;
	char *why; /* CLI_JSON_ERR_MAX bytes */
	const struct frame *top; /* if set, the path (see spell_out()) */
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
	char buf[24], *p = buf + sizeof(buf);

	/* by hand: this runs for every element of a bulk list */
	*--p = '\0';
	do {
		*--p = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	return where_push_key(w, p);
}

static void where_pop(struct where *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

static void spell_out(struct where *w, const struct frame *f)
{
	if (!f)
		return;
	spell_out(w, f->up);
	if (f->key)
		where_push_key(w, f->key);
	else
		where_push_index(w, f->index);
}

static int fail(struct where *w, int code, const char *fmt, ...)
	LINX_PRINTF(3, 4);

static int fail(struct where *w, int code, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (w->top) {
		w->len = 0;
		w->truncated = false;
		w->path[0] = '\0';
		spell_out(w, w->top);
	}
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

/* ---- JSON text -> value, in one pass ------------------------------------
 *
 * The bulk path (`linx call --json -`, `linx batch`): the text is read
 * straight into a value tree, with no intermediate JSON document.  Going
 * through jansson cost three trees' worth of allocation per op (jansson's
 * nodes, its hashtables, then the value) and was five times the kernel's
 * work for 100k route additions (issue 9, item 11).
 *
 * It accepts exactly what cli_json_parse() + cli_json_to_value() accept
 * (RFC 8259 JSON, no duplicate keys, no NUL, no reals, integers within
 * int64, the "$" tags) and builds the same value; tests/cli/test-json.c
 * checks the two against each other.  Syntax errors read "invalid JSON:
 * ... (line L, column C)", as jansson's do; errors in a well-formed
 * document name a JSON pointer, as cli_json_to_value()'s do.
 */

/* What a look-ahead learnt about an object whose first key is "$map":
 * whether it ends after that member (see read_object()). */
struct seen {
	size_t pos; /* offset of its '{' */
	bool one;   /* one member only */
};

struct reader {
	const char *start, *p, *end;
	struct where w;
	/* Every "$map"-first object a look-ahead has passed, in order of
	 * position, so nested ones are never scanned twice: without it,
	 * {"$map": {"x": {"$map": ...}}} chains cost depth x length. */
	struct seen *seen;
	size_t n_seen, cap_seen;
	/* Unescaped string contents, reused (grown) from string to string. */
	char *buf;
	size_t cap;
};

static int syntax(struct reader *rd, const char *fmt, ...) LINX_PRINTF(2, 3);

static int syntax(struct reader *rd, const char *fmt, ...)
{
	int line = 1, col = 1;
	size_t n;
	va_list ap;
	int r;

	for (const char *q = rd->start; q < rd->p && q < rd->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	r = snprintf(rd->w.why, CLI_JSON_ERR_MAX, "invalid JSON: ");
	n = r < 0 ? 0 : (size_t)r;
	va_start(ap, fmt);
	r = vsnprintf(rd->w.why + n, CLI_JSON_ERR_MAX - n, fmt, ap);
	va_end(ap);
	n += r < 0 ? 0 : (size_t)r;
	if (n < CLI_JSON_ERR_MAX)
		snprintf(rd->w.why + n, CLI_JSON_ERR_MAX - n,
			 " (line %d, column %d)", line, col);
	return -EINVAL;
}

static void skip_ws(struct reader *rd)
{
	while (rd->p < rd->end && (*rd->p == ' ' || *rd->p == '\n' ||
				   *rd->p == '\t' || *rd->p == '\r'))
		rd->p++;
}

static int read_value(struct reader *rd, struct linx_value *ret,
		      unsigned depth, bool tags);

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static int buf_room(struct reader *rd, size_t need)
{
	char *grown;
	size_t ncap;

	if (need <= rd->cap)
		return 0;
	ncap = rd->cap ? rd->cap : 256;
	while (ncap < need)
		ncap *= 2;
	grown = realloc(rd->buf, ncap);
	if (!grown)
		return fail(&rd->w, ENOMEM, "out of memory");
	rd->buf = grown;
	rd->cap = ncap;
	return 0;
}

/*
 * A string at rd->p (the opening quote).  *ret_s points into the input when
 * the string has no escapes, else into rd->buf; either way it is valid
 * UTF-8 without NUL, but not NUL-terminated.
 */
static int read_string(struct reader *rd, const char **ret_s, size_t *ret_len)
{
	const char *s = ++rd->p, *q = s;
	unsigned char high = 0;
	size_t n = 0;
	int r;

	while (q < rd->end && *q != '"' && *q != '\\' &&
	       (unsigned char)*q >= 0x20)
		high |= (unsigned char)*q++;
	if (q < rd->end && *q == '"') {
		/* ASCII needs no further check */
		if (high & 0x80 && !linx_utf8_valid(s, (size_t)(q - s)))
			return syntax(rd, "string is not valid UTF-8");
		*ret_s = s;
		*ret_len = (size_t)(q - s);
		rd->p = q + 1;
		return 0;
	}
	/* Escapes: unescaping never lengthens (\uXXXX is 6 bytes for at most
	 * 3; a surrogate pair 12 for 4), so the rest of the input bounds the
	 * buffer. */
	r = buf_room(rd, (size_t)(rd->end - s) + 1);
	if (r < 0)
		return r;
	for (q = s;; q++) {
		unsigned c;

		if (q >= rd->end) {
			rd->p = q;
			return syntax(rd, "unterminated string");
		}
		c = (unsigned char)*q;
		if (c == '"')
			break;
		if (c < 0x20) {
			rd->p = q;
			return syntax(rd, "control character 0x%02x in a "
					  "string",
				      c);
		}
		if (c != '\\') {
			rd->buf[n++] = (char)c;
			continue;
		}
		if (++q >= rd->end) {
			rd->p = q;
			return syntax(rd, "unterminated string");
		}
		switch (*q) {
		case '"': case '\\': case '/':
			rd->buf[n++] = *q;
			continue;
		case 'b': rd->buf[n++] = '\b'; continue;
		case 'f': rd->buf[n++] = '\f'; continue;
		case 'n': rd->buf[n++] = '\n'; continue;
		case 'r': rd->buf[n++] = '\r'; continue;
		case 't': rd->buf[n++] = '\t'; continue;
		case 'u':
			break;
		default:
			rd->p = q;
			return syntax(rd, "invalid escape '\\%c'", *q);
		}
		c = rd->end - q > 4 ? (unsigned)hex4(q + 1) : (unsigned)-1;
		if (c == (unsigned)-1) {
			rd->p = q;
			return syntax(rd, "invalid \\u escape");
		}
		q += 4;
		if (c >= 0xdc00 && c <= 0xdfff) {
			rd->p = q;
			return syntax(rd, "lone low surrogate \\u%04X", c);
		}
		if (c >= 0xd800 && c <= 0xdbff) {
			int lo = rd->end - q > 6 && q[1] == '\\' && q[2] == 'u'
					 ? hex4(q + 3)
					 : -1;

			if (lo < 0xdc00 || lo > 0xdfff) {
				rd->p = q;
				return syntax(rd, "unpaired high surrogate "
						  "\\u%04X",
					      c);
			}
			c = 0x10000 + ((c - 0xd800) << 10) +
			    ((unsigned)lo - 0xdc00);
			q += 6;
		}
		if (c == 0) {
			rd->p = q;
			/* the same refusal as jansson without JSON_ALLOW_NUL */
			return syntax(rd, "\\u0000 is not allowed: a string "
					  "cannot contain a NUL byte");
		}
		if (c < 0x80) {
			rd->buf[n++] = (char)c;
		} else if (c < 0x800) {
			rd->buf[n++] = (char)(0xc0 | c >> 6);
			rd->buf[n++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			rd->buf[n++] = (char)(0xe0 | c >> 12);
			rd->buf[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			rd->buf[n++] = (char)(0x80 | (c & 0x3f));
		} else {
			rd->buf[n++] = (char)(0xf0 | c >> 18);
			rd->buf[n++] = (char)(0x80 | (c >> 12 & 0x3f));
			rd->buf[n++] = (char)(0x80 | (c >> 6 & 0x3f));
			rd->buf[n++] = (char)(0x80 | (c & 0x3f));
		}
	}
	if (!linx_utf8_valid(rd->buf, n))
		return syntax(rd, "string is not valid UTF-8");
	rd->p = q + 1;
	*ret_s = rd->buf;
	*ret_len = n;
	return 0;
}

/* A number: an integer within int64 becomes an int; anything else is
 * refused, reals by name (Linx values have no floating point). */
static int read_number(struct reader *rd, struct linx_value *ret)
{
	const char *s = rd->p, *q = s;
	bool neg = false, real = false;
	uint64_t u = 0;
	bool over = false;

	if (q < rd->end && *q == '-') {
		neg = true;
		q++;
	}
	if (q >= rd->end || *q < '0' || *q > '9') {
		rd->p = q;
		return syntax(rd, "invalid number");
	}
	if (*q == '0' && q + 1 < rd->end && q[1] >= '0' && q[1] <= '9') {
		rd->p = q;
		return syntax(rd, "invalid number (leading zero)");
	}
	for (; q < rd->end && *q >= '0' && *q <= '9'; q++) {
		unsigned d = (unsigned)(*q - '0');

		if (u > (UINT64_MAX - d) / 10)
			over = true;
		else
			u = u * 10 + d;
	}
	if (q < rd->end && *q == '.') {
		real = true;
		if (++q >= rd->end || *q < '0' || *q > '9') {
			rd->p = q;
			return syntax(rd, "invalid number");
		}
		while (q < rd->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < rd->end && (*q == 'e' || *q == 'E')) {
		real = true;
		q++;
		if (q < rd->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= rd->end || *q < '0' || *q > '9') {
			rd->p = q;
			return syntax(rd, "invalid number");
		}
		while (q < rd->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (real) {
		/* Shown as jansson's reader showed it (%g); the span is a
		 * well-formed JSON number, which strtod() accepts. */
		char num[64];
		size_t n = (size_t)(q - s) < sizeof(num) ? (size_t)(q - s)
							 : sizeof(num) - 1;

		memcpy(num, s, n);
		num[n] = '\0';
		rd->p = q;
		return fail(&rd->w, EINVAL,
			    "%g: floating-point numbers are not supported "
			    "(Linx values have integers only)",
			    strtod(num, NULL));
	}
	if (over || (!neg && u > (uint64_t)INT64_MAX) ||
	    (neg && u > (uint64_t)INT64_MAX + 1)) {
		rd->p = s;
		return syntax(rd, "%s integer too big; write integers above "
				  "9223372036854775807 as {\"$uint\": \"...\"}",
			      neg ? "negative" : "an");
	}
	rd->p = q;
	*ret = linx_value_int(neg ? (int64_t)(0 - u) : (int64_t)u);
	return 0;
}

static int read_literal(struct reader *rd, const char *word,
			struct linx_value v, struct linx_value *ret)
{
	size_t n = strlen(word);

	if ((size_t)(rd->end - rd->p) < n || memcmp(rd->p, word, n) != 0)
		return syntax(rd, "unexpected character '%c'",
			      *rd->p >= 0x20 && *rd->p < 0x7f ? *rd->p : '?');
	rd->p += n;
	*ret = v;
	return 0;
}

/* Record a "$map"-first object at `pos` (in position order: the
 * look-aheads run forward).  *ret_i gets its slot. */
static int seen_add(struct reader *rd, size_t pos, size_t *ret_i)
{
	if (rd->n_seen && rd->seen[rd->n_seen - 1].pos >= pos) {
		*ret_i = SIZE_MAX; /* already known */
		return 0;
	}
	if (rd->n_seen == rd->cap_seen) {
		size_t ncap = rd->cap_seen ? rd->cap_seen * 2 : 16;
		struct seen *grown = realloc(rd->seen, ncap * sizeof(*grown));

		if (!grown)
			return fail(&rd->w, ENOMEM, "out of memory");
		rd->seen = grown;
		rd->cap_seen = ncap;
	}
	rd->seen[rd->n_seen] = (struct seen){ .pos = pos };
	*ret_i = rd->n_seen++;
	return 0;
}

/* Does the "$map"-first object at `pos` have one member?  -1 if no
 * look-ahead has passed it. */
static int seen_find(const struct reader *rd, size_t pos)
{
	size_t lo = 0, hi = rd->n_seen;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rd->seen[mid].pos == pos)
			return rd->seen[mid].one;
		if (rd->seen[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Skip one well-formed value without building it (for the "$map"
 * look-ahead below); depth-bounded like read_value(). */
static int skip_value(struct reader *rd, unsigned depth)
{
	struct linx_value v;
	int r;

	skip_ws(rd);
	if (rd->p >= rd->end)
		return syntax(rd, "unexpected end of input");
	if (depth > LINX_VALUE_MAX_DEPTH)
		return fail(&rd->w, ELOOP, "nested deeper than %u levels",
			    LINX_VALUE_MAX_DEPTH);
	if (*rd->p == '{' || *rd->p == '[') {
		char close = *rd->p == '{' ? '}' : ']';

		rd->p++;
		skip_ws(rd);
		if (rd->p < rd->end && *rd->p == close) {
			rd->p++;
			return 0;
		}
		size_t pos = (size_t)(rd->p - 1 - rd->start), mark = SIZE_MAX;

		for (bool first = true;; first = false) {
			if (close == '}') {
				const char *k;
				size_t kn;

				skip_ws(rd);
				if (rd->p >= rd->end || *rd->p != '"')
					return syntax(rd, "expected a key");
				r = read_string(rd, &k, &kn);
				if (r < 0)
					return r;
				if (first && kn == strlen(TAG_MAP) &&
				    memcmp(k, TAG_MAP, kn) == 0) {
					r = seen_add(rd, pos, &mark);
					if (r < 0)
						return r;
				}
				skip_ws(rd);
				if (rd->p >= rd->end || *rd->p != ':')
					return syntax(rd, "expected ':'");
				rd->p++;
			}
			r = skip_value(rd, depth + 1);
			if (r < 0)
				return r;
			skip_ws(rd);
			if (first && mark != SIZE_MAX)
				rd->seen[mark].one = rd->p < rd->end &&
						     *rd->p == '}';
			if (rd->p < rd->end && *rd->p == ',') {
				rd->p++;
				continue;
			}
			if (rd->p < rd->end && *rd->p == close) {
				rd->p++;
				return 0;
			}
			return syntax(rd, "expected ',' or '%c'", close);
		}
	}
	r = read_value(rd, &v, depth, false);
	linx_value_clear(&v);
	return r;
}

/* A one-key object {"$tag": arg} whose arg has been read into *arg. */
static int apply_tag(struct reader *rd, const char *tag,
		     struct linx_value *arg, struct linx_value *ret)
{
	int r = 0;

	if (strcmp(tag, TAG_UINT) == 0) {
		if (arg->type == LINX_INT) {
			if (arg->i < 0)
				r = fail(&rd->w, ERANGE,
					 "%s must not be negative", TAG_UINT);
			else
				*ret = linx_value_uint((uint64_t)arg->i);
		} else {
			json_t *j = arg->type == LINX_STRING
					    ? json_stringn_nocheck(arg->str,
								   arg->len)
					    : json_null();

			/* the rare form: share tagged_uint()'s checks */
			r = j ? tagged_uint(j, ret, &rd->w)
			      : fail(&rd->w, ENOMEM, "out of memory");
			json_decref(j);
		}
	} else {
		json_t *j = arg->type == LINX_STRING
				    ? json_stringn_nocheck(arg->str, arg->len)
				    : json_null();

		r = j ? tagged_bytes(j, ret, &rd->w)
		      : fail(&rd->w, ENOMEM, "out of memory");
		json_decref(j);
	}
	linx_value_clear(arg);
	return r;
}

static int read_object(struct reader *rd, struct linx_value *ret,
		       unsigned depth, bool tags)
{
	char small[64], *key = small;
	size_t pos = (size_t)(rd->p - rd->start);
	int r = 0;

	*ret = linx_value_map();
	rd->p++;
	skip_ws(rd);
	if (rd->p < rd->end && *rd->p == '}') {
		rd->p++;
		return 0;
	}
	for (;;) {
		struct linx_value v = linx_value_nil();
		const char *k;
		struct frame fr;
		size_t kn;
		bool tag_map = false, member_tags = true;

		skip_ws(rd);
		if (rd->p >= rd->end || *rd->p != '"') {
			r = syntax(rd, "expected a string as object key");
			break;
		}
		r = read_string(rd, &k, &kn);
		if (r < 0)
			break;
		if (kn >= sizeof(small)) {
			if (key != small)
				free(key);
			key = malloc(kn + 1);
			if (!key) {
				key = small;
				r = fail(&rd->w, ENOMEM, "out of memory");
				break;
			}
		}
		memcpy(key, k, kn);
		key[kn] = '\0';
		skip_ws(rd);
		if (rd->p >= rd->end || *rd->p != ':') {
			r = syntax(rd, "expected ':' after an object key");
			break;
		}
		rd->p++;
		if (strlen(key) != kn) {
			r = syntax(rd, "object key contains a NUL byte");
			break;
		}
		/* {"$map": {...}}: the inner object's own keys are literal.
		 * Whether this is that form depends on the object ending
		 * after this member: look ahead (rare, so the extra pass is
		 * cheap). */
		if (tags && ret->len == 0 && strcmp(key, TAG_MAP) == 0) {
			const char *save = rd->p;
			int one = seen_find(rd, pos);

			skip_ws(rd);
			tag_map = rd->p < rd->end && *rd->p == '{';
			if (tag_map && one >= 0) {
				tag_map = one;
			} else if (tag_map) {
				r = skip_value(rd, depth + 1);
				if (r < 0)
					break;
				skip_ws(rd);
				tag_map = rd->p < rd->end && *rd->p == '}';
			}
			rd->p = save;
			member_tags = !tag_map;
		}
		if (tag_map) {
			/* the map replaces the tag object: same depth */
			linx_value_clear(ret);
			skip_ws(rd);
			r = read_object(rd, ret, depth, false);
			if (r < 0)
				break;
			skip_ws(rd);
			rd->p++; /* the '}' seen above */
			break;
		}
		fr = (struct frame){ .up = rd->w.top, .key = key };
		rd->w.top = &fr;
		r = read_value(rd, &v, depth + 1, member_tags);
		if (r >= 0) {
			uint32_t before = ret->len;

			/* A put replaces an existing key: one that did not
			 * add a pair found a duplicate (the lookup the put
			 * does anyway, instead of one more). */
			r = linx_map_put(ret, key, &v);
			if (r < 0)
				fail(&rd->w, -r, "cannot store key: %s",
				     strerror(-r));
			else if (ret->len == before)
				r = syntax(rd, "duplicate object key");
		}
		rd->w.top = fr.up;
		if (r < 0)
			break;
		skip_ws(rd);
		if (rd->p < rd->end && *rd->p == ',') {
			rd->p++;
			continue;
		}
		if (rd->p < rd->end && *rd->p == '}') {
			rd->p++;
			if (tags && ret->len == 1 &&
			    (strcmp(ret->pairs[0].key, TAG_UINT) == 0 ||
			     strcmp(ret->pairs[0].key, TAG_BYTES) == 0)) {
				struct linx_value arg = ret->pairs[0].value;

				ret->pairs[0].value = linx_value_nil();
				strcpy(small, ret->pairs[0].key);
				linx_value_clear(ret);
				r = apply_tag(rd, small, &arg, ret);
			} else if (tags && ret->len == 1 &&
				   strcmp(ret->pairs[0].key, TAG_MAP) == 0) {
				/* an object there took the branch above */
				r = fail(&rd->w, EINVAL, "%s takes an object",
					 TAG_MAP);
			}
			break;
		}
		r = syntax(rd, "expected ',' or '}' after an object member");
		break;
	}
	if (key != small)
		free(key);
	if (r < 0)
		linx_value_clear(ret);
	return r;
}

static int read_array(struct reader *rd, struct linx_value *ret,
		      unsigned depth)
{
	int r = 0;

	*ret = linx_value_list();
	rd->p++;
	skip_ws(rd);
	if (rd->p < rd->end && *rd->p == ']') {
		rd->p++;
		return 0;
	}
	for (;;) {
		struct linx_value v;
		struct frame fr = { .up = rd->w.top, .index = ret->len };

		rd->w.top = &fr;
		r = read_value(rd, &v, depth + 1, true);
		if (r >= 0) {
			r = linx_list_push(ret, &v);
			if (r < 0)
				fail(&rd->w, -r, "cannot store element: %s",
				     strerror(-r));
		}
		rd->w.top = fr.up;
		if (r < 0)
			break;
		skip_ws(rd);
		if (rd->p < rd->end && *rd->p == ',') {
			rd->p++;
			continue;
		}
		if (rd->p < rd->end && *rd->p == ']') {
			rd->p++;
			break;
		}
		r = syntax(rd, "expected ',' or ']' after an array element");
		break;
	}
	if (r < 0)
		linx_value_clear(ret);
	return r;
}

static int read_value(struct reader *rd, struct linx_value *ret,
		      unsigned depth, bool tags)
{
	const char *s;
	size_t n;
	int r;

	*ret = linx_value_nil();
	skip_ws(rd);
	if (rd->p >= rd->end)
		return syntax(rd, "unexpected end of input");
	if (depth > LINX_VALUE_MAX_DEPTH)
		return fail(&rd->w, ELOOP, "nested deeper than %u levels",
			    LINX_VALUE_MAX_DEPTH);
	switch (*rd->p) {
	case '{':
		return read_object(rd, ret, depth, tags);
	case '[':
		return read_array(rd, ret, depth);
	case '"':
		r = read_string(rd, &s, &n);
		if (r < 0)
			return r;
		r = linx_value_string(ret, s, n);
		if (r < 0)
			return fail(&rd->w, -r, "%s", strerror(-r));
		return 0;
	case 'n':
		return read_literal(rd, "null", linx_value_nil(), ret);
	case 't':
		return read_literal(rd, "true", linx_value_bool(true), ret);
	case 'f':
		return read_literal(rd, "false", linx_value_bool(false), ret);
	default:
		if (*rd->p == '-' || (*rd->p >= '0' && *rd->p <= '9'))
			return read_number(rd, ret);
		return syntax(rd, "unexpected character '%c'",
			      *rd->p >= 0x20 && *rd->p < 0x7f ? *rd->p : '?');
	}
}

int cli_json_read(const char *text, size_t len, unsigned outer,
		  struct linx_value *ret, char why[CLI_JSON_ERR_MAX])
{
	struct reader rd = {
		.start = text, .p = text, .end = text + len,
		.w = { .why = why },
	};
	int r;

	why[0] = '\0';
	if (!ret)
		return -EINVAL;
	*ret = linx_value_nil();
	if (!text)
		return fail(&rd.w, EINVAL, "no JSON text");
	if (outer >= LINX_VALUE_MAX_DEPTH)
		return fail(&rd.w, ELOOP, "nested deeper than %u levels",
			    LINX_VALUE_MAX_DEPTH);
	r = read_value(&rd, ret, 1 + outer, true);
	if (r >= 0) {
		skip_ws(&rd);
		if (rd.p < rd.end) {
			linx_value_clear(ret);
			r = syntax(&rd, "end of file expected");
		}
	}
	free(rd.buf);
	free(rd.seen);
	return r;
}
