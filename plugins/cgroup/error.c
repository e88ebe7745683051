/* SPDX-License-Identifier: MIT */
/*
 * Filling struct linx_error for the cgroup calls: the errno, the operation
 * and the path acted on (the spec's Linx.Cgroup.Error: errno, operation,
 * path).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cgroup-internal.h"

int cg_fail(struct linx_error *err, int code, const char *op,
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

int cg_refuse(struct linx_error *err, const char *param, const char *object,
	      const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_setv(err, EINVAL, "validate", fmt, ap);
	va_end(ap);
	if (err) {
		/* There is no linx_error_paramv(); the field is public and
		 * fixed-size, so fill it the way linx_error_param() does. */
		snprintf(err->param, sizeof(err->param), "%s",
			 param ? param : "");
		if (object)
			linx_error_object(err, object);
	}
	return r;
}

const char *cg_join(char *buf, size_t cap, const char *dir, const char *file)
{
	snprintf(buf, cap, "%s/%s", dir ? dir : "", file ? file : "");
	return buf;
}
