/* SPDX-License-Identifier: MIT */
/*
 * Error helpers: every sysctl failure carries the errno, the operation, the
 * procfs path as its object and a message naming the key (linx/sysctl.h).
 * Also the shape check of an `in` target.
 */
#include <errno.h>
#include <string.h>

#include "sysctl-internal.h"

int sysctl_fail(struct linx_error *err, int code, const char *op,
		const char *object, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_setv(err, code, op, fmt, ap);
	va_end(ap);
	if (err && object)
		linx_error_object(err, object);
	return r;
}

int sysctl_fail_param(struct linx_error *err, int code, const char *param,
		      const char *object, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_setv(err, code, "validate", fmt, ap);
	va_end(ap);
	if (!err)
		return r;
	if (object)
		linx_error_object(err, object);
	/* linx_error_setv() cleared the field; param names are short
	 * literals, but stay within the field regardless. */
	strncpy(err->param, param, sizeof(err->param) - 1);
	err->param[sizeof(err->param) - 1] = '\0';
	return r;
}

bool sysctl_target_is_self(const struct linx_ns_target *in)
{
	return !in || in->kind == LINX_NS_TARGET_SELF;
}

int sysctl_target_check(const struct linx_ns_target *in,
			struct linx_error *err)
{
	if (sysctl_target_is_self(in))
		return 0;
	switch (in->kind) {
	case LINX_NS_TARGET_PID:
		if (in->pid > 0)
			return 0;
		return linx_error_param(err, "validate", "in",
					"namespace target: pid %d is not a "
					"positive process id",
					(int)in->pid);
	case LINX_NS_TARGET_PATH:
		if (in->path && in->path[0] == '/')
			return 0;
		return linx_error_param(err, "validate", "in",
					"namespace target: the path must be "
					"absolute");
	default:
		return linx_error_param(err, "validate", "in",
					"namespace target: unknown kind %u",
					in->kind);
	}
}
