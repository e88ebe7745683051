/* SPDX-License-Identifier: MIT */
/*
 * linx/error.h - the error model shared by every Linx call.
 *
 * A failing call returns a negative errno and, when the caller passed a
 * struct linx_error, fills it in.  The struct has a fixed size and holds no
 * pointers, so it can be filled between clone(2) and execve(2) (where malloc
 * is off limits) and written across a pipe as raw bytes.
 *
 * Conventions:
 *   - `err` is always the last parameter and may be NULL.
 *   - On failure `err->code` is a positive errno, never 0 (an unknown cause
 *     is reported as EIO).  On success `err` is left untouched.
 *   - Every text field is NUL-terminated and silently truncated to fit.
 */
#ifndef LINX_ERROR_H
#define LINX_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>

LINX_BEGIN_DECLS

#define LINX_ERROR_OP_MAX 32
#define LINX_ERROR_PARAM_MAX 32
#define LINX_ERROR_OBJECT_MAX 512
#define LINX_ERROR_MESSAGE_MAX 512
#define LINX_ERROR_EXTACK_MAX 256

struct linx_error {
	/* Positive errno (EINVAL, ENODEV, ...); 0 while no error is set. */
	int32_t code;
	/* Byte offset into the request the kernel's extended ACK pointed at,
	 * or -1.  Only netlink plugins set it. */
	int32_t extack_offset;
	/* What failed: a verb-level operation ("read", "create") or a stage
	 * ("open_ns_net", "setns_user", "validate", "load"). */
	char op[LINX_ERROR_OP_MAX];
	/* For argument errors: the name of the offending parameter. */
	char param[LINX_ERROR_PARAM_MAX];
	/* The thing acted upon: a path, a key, an interface name. */
	char object[LINX_ERROR_OBJECT_MAX];
	/* Human-readable explanation, including any context added with
	 * linx_error_prefix(). */
	char message[LINX_ERROR_MESSAGE_MAX];
	/* The kernel's extended-ACK text (NLMSGERR_ATTR_MSG), if any. */
	char extack[LINX_ERROR_EXTACK_MAX];
};

/* Reset `err` to "no error".  Accepts NULL. */
LINX_API void linx_error_clear(struct linx_error *err);

/*
 * Record a failure: errno `code` (sign ignored; 0 becomes EIO), the
 * operation `op` (may be NULL) and a printf-style message (may be NULL, in
 * which case strerror's text is used).  Replaces whatever `err` held, except
 * that `object` and `param` are cleared.
 *
 * Returns -code (already negative), so a call site can write
 *     return linx_error_set(err, ENOENT, "read", "no such key");
 * Accepts err == NULL and then only computes the return value.
 * Messages are formatted without allocating or locking, so every error
 * function is async-signal-safe (usable between clone and execve).  The
 * formats understood - as printf(3) renders them - are the conversions
 * %% %c %s %d %i %u %o %x %X, the flags '-' '0' '#', a width and a
 * precision (digits or '*') and the lengths hh h l ll j z t.  At anything
 * else (%p, %m, %n, floating point, wide characters, '+' or ' ') the rest
 * of the format is copied as written and no further argument is read.
 */
LINX_API int linx_error_set(struct linx_error *err, int code, const char *op,
			    const char *fmt, ...) LINX_PRINTF(4, 5);
LINX_API int linx_error_setv(struct linx_error *err, int code, const char *op,
			     const char *fmt, va_list ap) LINX_PRINTF(4, 0);

/* Like linx_error_set() but for a bad argument: also records `param`.
 * The code is always EINVAL. */
LINX_API int linx_error_param(struct linx_error *err, const char *op,
			      const char *param, const char *fmt, ...)
	LINX_PRINTF(4, 5);

/*
 * ABI 1.1 (also for plugins through the host table).
 *
 * linx_error_set() that also records `object` (a path, key or name the
 * failure concerns; NULL leaves it empty) in one call.
 */
LINX_API int linx_error_set_object(struct linx_error *err, int code,
				   const char *op, const char *object,
				   const char *fmt, ...) LINX_PRINTF(5, 6);

/*
 * A bad argument with the errno that fits it (EINVAL, E2BIG, ERANGE...;
 * 0 means EINVAL): records `op`, `param` and `object` (either may be
 * NULL).  Returns -code.
 */
LINX_API int linx_error_param_object(struct linx_error *err, int code,
				     const char *op, const char *param,
				     const char *object, const char *fmt, ...)
	LINX_PRINTF(6, 7);
LINX_API int linx_error_param_objectv(struct linx_error *err, int code,
				      const char *op, const char *param,
				      const char *object, const char *fmt,
				      va_list ap) LINX_PRINTF(6, 0);

/* Set the `object` field (a path, key or name the failure concerns).
 * Returns -err->code (or -EIO if err is NULL) for tail calls. */
LINX_API int linx_error_object(struct linx_error *err, const char *object);

/* Prepend context to the message: "mount /proc" + ": " + old message
 * (just the context when the message is empty; fmt gives no ": ").
 * Keeps code, op and object.  Returns -err->code. */
LINX_API int linx_error_prefix(struct linx_error *err, const char *fmt, ...)
	LINX_PRINTF(2, 3);

/* Store the kernel's extended-ACK text and offset (netlink plugins). */
LINX_API void linx_error_extack(struct linx_error *err, const char *text,
				int32_t offset);

/*
 * The symbolic, lower-case name of an errno: "enodev" for ENODEV.
 * Returns NULL for a value outside the table.  The table is generated from
 * one X-macro list (core/errno-list.h), which also feeds
 * linx_errno_from_name().
 */
LINX_API const char *linx_errno_name(int code);

/* Inverse of linx_errno_name(): "enodev" -> ENODEV, or 0 if unknown.
 * Case-sensitive; accepts only the lower-case names. */
LINX_API int linx_errno_from_name(const char *name);

/* The English description of an errno ("No such device"), or "unknown
 * error".  Unlike strerror(3) it does no locale lookup and never
 * allocates, so it is safe in a forked child of a multi-threaded program. */
LINX_API const char *linx_strerror(int code);

/*
 * Render the error as one line: "op: object: message (ename)".  Writes at
 * most `cap` bytes including the NUL and returns the length the full text
 * would have had (snprintf semantics).
 */
LINX_API size_t linx_error_format(const struct linx_error *err, char *buf,
				  size_t cap);

struct linx_value;

/*
 * An error as a value: the one shape every Linx wire and binding uses
 * (the checkpoint protocol's error, reject and result events,
 * docs/process/protocol.md).  Adds to the map `map` (so that an event can
 * carry it beside its own keys):
 *   errno         integer, the positive errno (0 is reported as EIO)
 *   errno_name    its name, "enodev" (linx_errno_name(), or "unknown")
 *   stage         err->op, when set
 *   message       err->message
 *   param, object when set
 *   extack        the kernel's extended-ACK text, when set, and
 *   extack_offset its offset, when >= 0
 * Text is a string, or bytes when it is not valid UTF-8.  Returns 0, or
 * -EINVAL if `map` is not a map or err is NULL, or the map's
 * linx_value_status() (-ENOMEM ...) if it could not grow; the caller owns
 * `map` in every case.  Allocates: not for a child between clone and exec.
 */
LINX_API int linx_error_to_value(const struct linx_error *err,
				 struct linx_value *map);

/*
 * The inverse: fill `ret` from such a map (other keys ignored).  The
 * errno is taken from the integer `errno`, or from `errno_name` if that
 * is absent or not a positive integer; neither gives EIO.  Missing text
 * fields are empty, a missing offset -1; over-long text is truncated to
 * the struct's fields.  Returns 0, or -EINVAL (ret then holds EIO) if
 * `map` is not a map.  Does not allocate.
 */
LINX_API int linx_error_from_value(const struct linx_value *map,
				   struct linx_error *ret);

LINX_END_DECLS

#endif /* LINX_ERROR_H */
