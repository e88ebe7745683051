/* SPDX-License-Identifier: MIT */
/*
 * The shape check of an `in` target.  (Every sysctl failure carries the
 * errno, the operation, the procfs path as its object and a message naming
 * the key (linx/sysctl.h): sysctl_fail() and sysctl_fail_param() in
 * sysctl-internal.h, the core's setters.)
 */
#include <errno.h>
#include <string.h>

#include "sysctl-internal.h"

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
