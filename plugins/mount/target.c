/* SPDX-License-Identifier: MIT */
/*
 * Paths: checked as text, resolved without symlinks inside the target
 * namespace, created without following any, and handed to mount(2) as the
 * descriptor that was checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount-internal.h"

#define RESOLVE_STRICT (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

int mount_check_path(const char *path, const char *param, bool relative_ok,
		     struct linx_error *err)
{
	size_t len;

	if (!path || !*path)
		return linx_error_param(err, "validate", param,
					"%s: an empty path", param);
	len = strnlen(path, PATH_MAX);
	if (len >= PATH_MAX)
		return linx_error_param_object(err, ENAMETOOLONG, "validate",
					       param, NULL,
					       "%s is PATH_MAX bytes or longer",
					       param);
	if (!relative_ok && path[0] != '/')
		return linx_error_param_object(err, EINVAL, "validate", param,
					       path, "%s must be absolute",
					       param);
	return 0;
}

static int openat2_strict(int dirfd, const char *path, uint64_t flags,
			  uint64_t resolve)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.resolve = resolve,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

static int resolve_error(int r, const char *what, const char *path,
			 struct linx_error *err)
{
	if (r == -ELOOP)
		return linx_error_set_object(err, ELOOP, "validate", path,
					     "%s %s goes through a symlink, "
					     "which is not followed",
					     what, path);
	if (r == -EXDEV)
		return linx_error_set_object(err, EXDEV, "validate", path,
					     "%s %s leaves its root", what,
					     path);
	if (r == -ENOSYS)
		return linx_error_set_object(err, ENOSYS, "validate", path,
					     "openat2(2) is missing (Linux "
					     "5.6 or later is needed)");
	return linx_error_set_object(err, -r, "validate", path, "%s %s: %s",
				     what, path, linx_strerror(-r));
}

/* The directory resolution starts from, and the path relative to it. */
static int start_point(const char *target, const char *root,
		       const char **ret_rel, uint64_t *ret_resolve,
		       struct linx_error *err)
{
	int fd;

	*ret_resolve = RESOLVE_STRICT;
	*ret_rel = target;
	if (!root)
		return AT_FDCWD;
	fd = openat2_strict(AT_FDCWD, root, O_PATH | O_DIRECTORY,
			    RESOLVE_STRICT);
	if (fd < 0)
		return resolve_error(fd, "root", root, err);
	*ret_resolve |= RESOLVE_BENEATH;
	while (**ret_rel == '/')
		(*ret_rel)++;
	if (!**ret_rel)
		*ret_rel = ".";
	return fd;
}

/* Create the last component of `rel` below `start`. */
static int create_leaf(int start, const char *rel, uint64_t resolve, bool dir,
		       struct linx_error *err)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(rel, '/'), *leaf;
	int pfd, r = 0;

	if (slash) {
		size_t n = (size_t)(slash - rel);

		memcpy(parent, rel, n);
		parent[n ? n : 1] = '\0';
		if (!n)
			parent[0] = '/';
		leaf = slash + 1;
	} else {
		strcpy(parent, ".");
		leaf = rel;
	}
	if (!*leaf || strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0)
		return linx_error_set_object(err, EINVAL, "create", rel,
					     "cannot create %s", rel);
	pfd = openat2_strict(start, parent, O_PATH | O_DIRECTORY, resolve);
	if (pfd < 0)
		return resolve_error(pfd, "the parent of", rel, err);
	if (dir) {
		if (mkdirat(pfd, leaf, 0755) < 0 && errno != EEXIST)
			r = -errno;
	} else {
		int fd = openat(pfd, leaf,
				O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY |
					O_CLOEXEC,
				0644);

		if (fd >= 0)
			close(fd);
		else if (errno != EEXIST)
			r = -errno;
	}
	close(pfd);
	if (r < 0)
		return linx_error_set_object(err, -r, "create", rel,
					     "create %s: %s", rel,
					     linx_strerror(-r));
	return 0;
}

int mount_open_target(const char *target, const char *root, bool create,
		      bool dir, struct linx_error *err)
{
	const char *rel;
	uint64_t resolve;
	int start = start_point(target, root, &rel, &resolve, err), fd;

	if (start < 0 && start != AT_FDCWD)
		return start;
	fd = openat2_strict(start, rel, O_PATH, resolve);
	if (fd == -ENOENT && create) {
		int r = create_leaf(start, rel, resolve, dir, err);

		if (r < 0) {
			if (start >= 0)
				close(start);
			return r;
		}
		fd = openat2_strict(start, rel, O_PATH, resolve);
	}
	if (start >= 0)
		close(start);
	if (fd < 0)
		return resolve_error(fd, "target", target, err);
	return fd;
}

const char *mount_fd_path(int fd, const char *fallback, char *buf, size_t cap)
{
	struct statfs sf;

	if (statfs("/proc/thread-self/fd", &sf) < 0 ||
	    sf.f_type != PROC_SUPER_MAGIC)
		return fallback;
	snprintf(buf, cap, "/proc/thread-self/fd/%d", fd);
	return buf;
}
