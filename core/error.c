/* SPDX-License-Identifier: MIT */
/*
 * The error model: filling struct linx_error and naming errnos.
 *
 * Nothing here allocates, locks or prints: the agent fills errors in a
 * freshly cloned child, before execve(2).  The exception is the pair that
 * converts an error to and from a value (linx_error_to_value() and
 * linx_error_from_value(), at the end), which builds maps.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "errno-list.h"
#include "internal.h"
#include "wire.h"

struct errno_entry {
	int code;
	const char *name;
};

/* Canonical names indexed by value, from the one list. */
#define LINX_ERRNO_BY_CODE(c, n) [c] = n,
#define LINX_ERRNO_SKIP(c, n)
static const char *const errno_names[] = {
	LINX_ERRNO_LIST(LINX_ERRNO_BY_CODE, LINX_ERRNO_SKIP)
};

/* Every name, aliases included, for parsing. */
#define LINX_ERRNO_ENTRY(c, n) { c, n },
static const struct errno_entry errno_entries[] = {
	LINX_ERRNO_LIST(LINX_ERRNO_ENTRY, LINX_ERRNO_ENTRY)
};

/* |code| without negating INT_MIN (which has no positive counterpart and
 * is no errno). */
static unsigned magnitude(int code)
{
	return code < 0 ? 0u - (unsigned)code : (unsigned)code;
}

const char *linx_errno_name(int code)
{
	unsigned c = magnitude(code);

	if (c >= LINX_ARRAY_SIZE(errno_names))
		return NULL;
	return errno_names[c];
}

int linx_errno_from_name(const char *name)
{
	if (!name)
		return 0;
	for (size_t i = 0; i < LINX_ARRAY_SIZE(errno_entries); i++)
		if (strcmp(errno_entries[i].name, name) == 0)
			return errno_entries[i].code;
	return 0;
}

const char *linx_strerror(int code)
{
	unsigned c = magnitude(code);
	const char *desc = c <= INT_MAX ? strerrordesc_np((int)c) : NULL;

	return desc ? desc : "unknown error";
}

void linx__strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n;

	if (cap == 0)
		return;
	if (!src)
		src = "";
	n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void linx_error_clear(struct linx_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->extack_offset = -1;
}

static int normalise(int code)
{
	unsigned c = magnitude(code);

	return c == 0 || c > INT_MAX ? EIO : (int)c;
}

int linx_error_setv(struct linx_error *err, int code, const char *op,
		    const char *fmt, va_list ap)
{
	char op_copy[LINX_ERROR_OP_MAX], message[LINX_ERROR_MESSAGE_MAX];

	code = normalise(code);
	if (!err)
		return -code;
	/* Render into locals first: `op` and the arguments may point into
	 * *err itself ("%s", err->message when wrapping an error). */
	linx__strlcpy(op_copy, op, sizeof(op_copy));
	if (fmt)
		linx__vformat(message, sizeof(message), fmt, ap);
	else
		linx__strlcpy(message, linx_strerror(code), sizeof(message));
	linx_error_clear(err);
	err->code = code;
	memcpy(err->op, op_copy, sizeof(err->op));
	memcpy(err->message, message, sizeof(err->message));
	return -code;
}

int linx_error_set(struct linx_error *err, int code, const char *op,
		   const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_setv(err, code, op, fmt, ap);
	va_end(ap);
	return r;
}

int linx_error_param(struct linx_error *err, const char *op,
		     const char *param, const char *fmt, ...)
{
	char param_copy[LINX_ERROR_PARAM_MAX];
	va_list ap;
	int r;

	linx__strlcpy(param_copy, param, sizeof(param_copy));
	va_start(ap, fmt);
	r = linx_error_setv(err, EINVAL, op, fmt, ap);
	va_end(ap);
	if (err)
		memcpy(err->param, param_copy, sizeof(err->param));
	return r;
}

int linx_error_set_object(struct linx_error *err, int code, const char *op,
			  const char *object, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_setv(err, code, op, fmt, ap);
	va_end(ap);
	if (err && object)
		linx__strlcpy(err->object, object, sizeof(err->object));
	return r;
}

int linx_error_param_objectv(struct linx_error *err, int code, const char *op,
			     const char *param, const char *object,
			     const char *fmt, va_list ap)
{
	char param_copy[LINX_ERROR_PARAM_MAX];
	char object_copy[LINX_ERROR_OBJECT_MAX];
	int r;

	/* Copied first: either may point into *err itself. */
	linx__strlcpy(param_copy, param ? param : "", sizeof(param_copy));
	linx__strlcpy(object_copy, object ? object : "", sizeof(object_copy));
	r = linx_error_setv(err, code ? code : EINVAL, op, fmt, ap);
	if (err) {
		memcpy(err->param, param_copy, sizeof(err->param));
		memcpy(err->object, object_copy, sizeof(err->object));
	}
	return r;
}

int linx_error_param_object(struct linx_error *err, int code, const char *op,
			    const char *param, const char *object,
			    const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_param_objectv(err, code, op, param, object, fmt, ap);
	va_end(ap);
	return r;
}

int linx_error_object(struct linx_error *err, const char *object)
{
	if (!err)
		return -EIO;
	linx__strlcpy(err->object, object, sizeof(err->object));
	/* Record what is returned: an error never carries code 0. */
	err->code = normalise(err->code);
	return -err->code;
}

int linx_error_prefix(struct linx_error *err, const char *fmt, ...)
{
	char message[LINX_ERROR_MESSAGE_MAX];
	size_t n;
	va_list ap;

	if (!err)
		return -EIO;
	err->code = normalise(err->code);
	/* Rendered aside: the arguments may point into *err, the message
	 * itself included. */
	va_start(ap, fmt);
	n = linx__vformat(message, sizeof(message), fmt, ap);
	va_end(ap);
	/* no dangling ": " when there is nothing to follow it */
	if (n < sizeof(message) - 1 && err->message[0])
		linx__format(message + n, sizeof(message) - n, ": %s",
			     err->message);
	memcpy(err->message, message, sizeof(err->message));
	return -err->code;
}

void linx_error_extack(struct linx_error *err, const char *text,
		       int32_t offset)
{
	if (!err)
		return;
	linx__strlcpy(err->extack, text, sizeof(err->extack));
	err->extack_offset = offset;
}

size_t linx_error_format(const struct linx_error *err, char *buf, size_t cap)
{
	size_t olen;
	const char *name;
	bool object;

	if (!err || err->code == 0)
		return linx__format(buf, cap, "no error");
	name = linx_errno_name(err->code);
	/* Messages often start with what they are about ("sysctl.read:
	 * unknown parameter"): say it once. */
	olen = strnlen(err->object, sizeof(err->object));
	object = olen && !(strncmp(err->message, err->object, olen) == 0 &&
			   err->message[olen] == ':');
	return linx__format(buf, cap, "%s%s%s%s%s (%s %d)%s%s",
			    err->op, err->op[0] ? ": " : "",
			    object ? err->object : "", object ? ": " : "",
			    err->message,
			    name ? name : "errno", err->code,
			    err->extack[0] ? "; kernel says: " : "",
			    err->extack);
}

/* ---- errors as values ---------------------------------------------------- */

/* A text field of at most `cap` bytes: a string if it is valid UTF-8 (the
 * usual case), else bytes, so that one odd path does not poison the map. */
static void put_text(struct linx_value *map, const char *key,
		     const char *text, size_t cap)
{
	size_t len = strnlen(text, cap);

	if (linx_utf8_valid(text, len))
		linx_map_put_string(map, key, text, len);
	else
		linx_map_put_bytes(map, key, text, len);
}

int linx_error_to_value(const struct linx_error *err, struct linx_value *map)
{
	const char *name;
	int code;

	if (!err || !map || map->type != LINX_MAP)
		return -EINVAL;
	code = normalise(err->code);
	name = linx_errno_name(code);
	linx_map_put_int(map, LINX_WK_ERRNO, code);
	linx_map_put_cstring(map, LINX_WK_ERRNO_NAME, name ? name : "unknown");
	if (err->op[0])
		put_text(map, LINX_WK_STAGE, err->op, sizeof(err->op));
	put_text(map, LINX_WK_MESSAGE, err->message, sizeof(err->message));
	if (err->param[0])
		put_text(map, LINX_WK_PARAM, err->param, sizeof(err->param));
	if (err->object[0])
		put_text(map, LINX_WK_OBJECT, err->object,
			 sizeof(err->object));
	if (err->extack[0]) {
		put_text(map, LINX_WK_EXTACK, err->extack,
			 sizeof(err->extack));
		if (err->extack_offset >= 0)
			linx_map_put_int(map, LINX_WK_EXTACK_OFFSET,
					 err->extack_offset);
	}
	return linx_value_status(map);
}

/* The text of map[key] if it is a string or bytes, else "". */
static void get_text(const struct linx_value *map, const char *key,
		     char *dst, size_t cap)
{
	const struct linx_value *v = linx_map_get(map, key);
	size_t len;

	if (!v || (v->type != LINX_STRING && v->type != LINX_BYTES))
		return;
	len = v->len < cap ? v->len : cap - 1;
	memcpy(dst, v->bytes, len);
	dst[len] = '\0';
}

int linx_error_from_value(const struct linx_value *map,
			  struct linx_error *ret)
{
	const struct linx_value *v;
	int64_t code = 0;

	if (!ret)
		return -EINVAL;
	linx_error_clear(ret);
	if (!map || map->type != LINX_MAP) {
		ret->code = EIO;
		linx__strlcpy(ret->message, "not an error map",
			      sizeof(ret->message));
		return -EINVAL;
	}
	/* The integer is authoritative; the name serves readers that have
	 * only it (an errno number differs between architectures). */
	if (!linx_value_get_i64(linx_map_get(map, LINX_WK_ERRNO), &code) ||
	    code <= 0 || code > INT_MAX) {
		v = linx_map_get(map, LINX_WK_ERRNO_NAME);
		code = v && v->type == LINX_STRING ? linx_errno_from_name(v->str)
						   : 0;
	}
	ret->code = normalise((int)code);
	get_text(map, LINX_WK_STAGE, ret->op, sizeof(ret->op));
	get_text(map, LINX_WK_MESSAGE, ret->message, sizeof(ret->message));
	get_text(map, LINX_WK_PARAM, ret->param, sizeof(ret->param));
	get_text(map, LINX_WK_OBJECT, ret->object, sizeof(ret->object));
	get_text(map, LINX_WK_EXTACK, ret->extack, sizeof(ret->extack));
	if (!ret->extack[0] ||
	    !linx_value_get_i64(linx_map_get(map, LINX_WK_EXTACK_OFFSET),
				&code) ||
	    code < 0 || code > INT32_MAX)
		code = -1;
	ret->extack_offset = (int32_t)code;
	return 0;
}
