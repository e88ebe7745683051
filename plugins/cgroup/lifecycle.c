/* SPDX-License-Identifier: MIT */
/*
 * A cgroup's life: mkdir creates it, writing a pid to cgroup.procs fills
 * it, rmdir removes it once it is empty (cgroup-v2.rst, "Basic
 * Operations"), and the hierarchy is there at all when
 * /sys/fs/cgroup/cgroup.controllers exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup-internal.h"

/* cgroupfs ignores the mode of mkdir(2) and uses its own; pass the usual
 * directory mode anyway so the intent reads plainly. */
#define CG_DIR_MODE 0755

int linx_cgroup_create(const char *path, struct linx_error *err)
{
	const char *name;
	struct stat st;
	int dfd, r = 0;

	dfd = cg_parent_open(path, "create", &name, err);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, name, CG_DIR_MODE) < 0) {
		int e = errno;

		if (e != EEXIST)
			r = cg_fail(err, e, "create", path,
				    "cannot create cgroup %s: %s", path,
				    linx_strerror(e));
		/* Idempotent only for a cgroup: an interface file of the
		 * parent has the same name space. */
		else if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			r = cg_fail(err, errno, "create", path,
				    "%s exists but cannot be examined: %s",
				    path, linx_strerror(errno));
		else if (!S_ISDIR(st.st_mode))
			r = cg_fail(err, EEXIST, "create", path,
				    "%s exists and is not a cgroup (an "
				    "interface file?)",
				    path);
	}
	close(dfd);
	return r;
}

int linx_cgroup_destroy(const char *path, struct linx_error *err)
{
	const char *name;
	int dfd, r = 0;

	dfd = cg_parent_open(path, "destroy", &name, err);
	if (dfd < 0)
		return dfd;
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0) {
		int e = errno;

		if (e == EBUSY)
			r = cg_fail(err, e, "destroy", path,
				    "cgroup %s is not empty: it still holds "
				    "processes or child cgroups",
				    path);
		else if (e == ENOENT)
			r = cg_fail(err, e, "destroy", path,
				    "cgroup %s does not exist", path);
		else
			r = cg_fail(err, e, "destroy", path,
				    "cannot remove cgroup %s: %s", path,
				    linx_strerror(e));
	}
	close(dfd);
	return r;
}

int linx_cgroup_add_process(const char *path, pid_t pid,
			    struct linx_error *err)
{
	char buf[32];
	int len;

	/* cgroup.procs reads "0" as the writing process itself
	 * (cgroup_procs_write_start() in kernel/cgroup/cgroup.c). */
	if (pid <= 0)
		return cg_refuse(err, "pid", path,
				 "pid must be a positive process id, not %ld",
				 (long)pid);
	len = snprintf(buf, sizeof(buf), "%ld", (long)pid);
	return cg_write_file(path, CG_FILE_PROCS, buf, (size_t)len,
			     "add_process", err);
}

bool linx_cgroup_supported(void)
{
	struct stat st;

	/* The spec's test: only the unified hierarchy has this file at its
	 * root (cgroups(7)); on a v1 or hybrid host /sys/fs/cgroup is a
	 * tmpfs of per-controller mounts. */
	return stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
}
