/* SPDX-License-Identifier: MIT */
/*
 * Error objects for the cgroup calls: the path acted on (the spec's
 * Linx.Cgroup.Error: errno, operation, path).  cg_fail() and cg_refuse()
 * are the core's setters (cgroup-internal.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cgroup-internal.h"

const char *cg_join(char *buf, size_t cap, const char *dir, const char *file)
{
	snprintf(buf, cap, "%s/%s", dir ? dir : "", file ? file : "");
	return buf;
}
