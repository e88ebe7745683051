/* SPDX-License-Identifier: MIT */
/*
 * Delegating controllers to a cgroup's children through
 * cgroup.subtree_control (cgroup-v2.rst, "Enabling and Disabling").
 *
 * The kernel parses a write to that file as a list of "+name"/"-name"
 * tokens and refuses the whole write when one token is bad
 * (cgroup_subtree_control_write() in kernel/cgroup/cgroup.c), so each
 * controller gets its own write: one refusal then costs only that
 * controller, and the caller learns exactly which ones landed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-internal.h"

/* Why the kernel refuses "+name" (cgroup_subtree_control_write() and
 * cgroup_vet_subtree_control_enable()). */
static const char *refusal_reason(int e)
{
	switch (e) {
	case EINVAL:
		return "the kernel knows no such controller";
	case ENOENT:
		return "it is not listed in this cgroup's cgroup.controllers "
		       "(not delegated by the parent, or bound to a cgroup v1 "
		       "hierarchy)";
	case EBUSY:
		return "the cgroup holds processes, and a domain controller "
		       "cannot be enabled beside them (no-internal-processes "
		       "rule)";
	case EOPNOTSUPP:
		return "the controller cannot be enabled in a threaded "
		       "subtree";
	default:
		return linx_strerror(e);
	}
}

int linx_cgroup_enable_controllers(const char *path,
				   const char *const *controllers, size_t n,
				   struct linx_error *failures,
				   struct linx_error *err)
{
	char object[PATH_MAX];
	int dfd, fd, r, refused = 0;

	if (n > 0 && !controllers)
		return cg_refuse(err, "controllers", path,
				 "no controller list given");
	if (n > INT_MAX)
		return cg_refuse(err, "controllers", path,
				 "too many controllers (%zu)", n);
	/* All names first: a malformed one refuses the call before any
	 * write, like every other argument. */
	for (size_t i = 0; i < n; i++) {
		r = cg_controller_check(controllers[i], "controllers", err);
		if (r < 0)
			return r;
	}
	dfd = cg_dir_open(path, CG_FILE_SUBTREE_CONTROL, "write", err);
	if (dfd < 0)
		return dfd;
	cg_join(object, sizeof(object), path, CG_FILE_SUBTREE_CONTROL);
	fd = openat(dfd, CG_FILE_SUBTREE_CONTROL,
		    O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	r = -errno;
	close(dfd);
	if (fd < 0)
		return cg_fail(err, -r, "write", object, "cannot open %s: %s",
			       object, linx_strerror(-r));

	for (size_t i = 0; i < n; i++) {
		char token[LINX_CGROUP_CONTROLLER_NAME_MAX + 2];
		int len = snprintf(token, sizeof(token), "+%s",
				   controllers[i]);
		ssize_t w;
		int e = 0;

		/* kernfs parses each write(2) on its own; the offset of the
		 * open file does not matter. */
		do
			w = write(fd, token, (size_t)len);
		while (w < 0 && errno == EINTR);
		if (w < 0)
			e = errno;
		else if (w != len)
			e = EIO;
		if (failures)
			linx_error_clear(&failures[i]);
		if (e == 0)
			continue;
		refused++;
		if (failures)
			cg_fail(&failures[i], e, "write", object,
				"controller \"%s\" was not enabled: %s",
				controllers[i], refusal_reason(e));
	}
	close(fd);
	return refused;
}
