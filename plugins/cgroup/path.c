/* SPDX-License-Identifier: MIT */
/*
 * Which paths the plugin acts on, and opening them.
 *
 * A cgroup is named by its path, so the path is where a mistake would
 * escape the hierarchy: a relative path depends on the caller's cwd, a
 * ".." walks out of the mount, and a path on cgroup v1, tmpfs or any other
 * filesystem would turn "write memory.max" into a write somewhere else.
 * The path is therefore checked as text first, then the directory is
 * opened once (O_PATH) and its filesystem checked with fstatfs(2); the
 * interface files are then opened relative to that descriptor, so what
 * was checked is what is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cgroup-internal.h"

int cg_path_check(const char *path, const char *param, struct linx_error *err)
{
	size_t len;
	const char *comp;

	if (!path)
		return cg_refuse(err, param, NULL, "no cgroup path given");
	len = strnlen(path, PATH_MAX);
	if (len == 0)
		return cg_refuse(err, param, path, "the cgroup path is empty");
	if (len >= PATH_MAX)
		return cg_refuse(err, param, NULL,
				 "the cgroup path is longer than PATH_MAX (%d)",
				 PATH_MAX);
	if (path[0] != '/')
		return cg_refuse(err, param, path,
				 "the cgroup path must be absolute");
	if (len == 1)
		return 0; /* "/" itself; its filesystem is checked on open */
	/* Every component between two slashes (or the end) must be a real
	 * name: no "//", no trailing "/", no "." or "..". */
	for (comp = path + 1;;) {
		const char *slash = strchr(comp, '/');
		size_t n = slash ? (size_t)(slash - comp) : strlen(comp);

		if (n == 0)
			return cg_refuse(err, param, path,
					 "the cgroup path is not normalised: "
					 "it has an empty component (\"//\" "
					 "or a trailing \"/\")");
		if ((n == 1 && comp[0] == '.') ||
		    (n == 2 && comp[0] == '.' && comp[1] == '.'))
			return cg_refuse(err, param, path,
					 "the cgroup path is not normalised: "
					 "it has a \"%.*s\" component",
					 (int)n, comp);
		if (n > NAME_MAX)
			return cg_refuse(err, param, path,
					 "a component of the cgroup path is "
					 "longer than NAME_MAX (%d)",
					 NAME_MAX);
		if (!slash)
			return 0;
		comp = slash + 1;
	}
}

int cg_file_check(const char *file, struct linx_error *err)
{
	size_t len;

	if (!file)
		return cg_refuse(err, "file", NULL, "no interface file given");
	len = strnlen(file, NAME_MAX + 1);
	if (len == 0)
		return cg_refuse(err, "file", file,
				 "the interface file name is empty");
	if (len > NAME_MAX)
		return cg_refuse(err, "file", NULL,
				 "the interface file name is longer than "
				 "NAME_MAX (%d)",
				 NAME_MAX);
	if (strchr(file, '/'))
		return cg_refuse(err, "file", file,
				 "the interface file must be a plain name in "
				 "the cgroup directory, without '/'");
	if (strcmp(file, ".") == 0 || strcmp(file, "..") == 0)
		return cg_refuse(err, "file", file,
				 "\"%s\" is not an interface file", file);
	return 0;
}

int cg_controller_check(const char *name, const char *param,
			struct linx_error *err)
{
	size_t len;

	if (!name)
		return cg_refuse(err, param, NULL, "no controller name given");
	len = strnlen(name, LINX_CGROUP_CONTROLLER_NAME_MAX + 1);
	if (len == 0)
		return cg_refuse(err, param, name,
				 "the controller name is empty");
	if (len > LINX_CGROUP_CONTROLLER_NAME_MAX)
		return cg_refuse(err, param, NULL,
				 "the controller name is longer than %u bytes",
				 LINX_CGROUP_CONTROLLER_NAME_MAX);
	/* Kernel controller names (cgroup_subsys_name[] from
	 * include/linux/cgroup_subsys.h) are lower-case words with '_'.
	 * Anything else could smuggle a second "+x"/"-x" token into
	 * cgroup.subtree_control, which splits its input on white space. */
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || c == '_'))
			return cg_refuse(err, param, name,
					 "controller \"%s\" is not a "
					 "controller name: only a-z and '_' "
					 "are allowed",
					 name);
	}
	return 0;
}

int cg_fd_check_cgroup2(int fd, const char *path, struct linx_error *err)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return cg_fail(err, errno, "validate", path,
			       "cannot tell which filesystem %s is on: %s",
			       path, linx_strerror(errno));
	if (sfs.f_type == CGROUP2_SUPER_MAGIC)
		return 0;
	if (sfs.f_type == CGROUP_SUPER_MAGIC)
		return cg_refuse(err, "path", path,
				 "%s is on a cgroup v1 hierarchy; only "
				 "cgroup v2 (cgroup2) is supported",
				 path);
	return cg_refuse(err, "path", path,
			 "%s is not on a cgroup2 filesystem (f_type %#lx)",
			 path, (unsigned long)sfs.f_type);
}

/* Open `path` as a directory, O_PATH, and check its filesystem.  `what`
 * describes it in messages ("cgroup", "parent directory"), `object` is
 * what errors name. */
static int open_checked(const char *path, const char *op, const char *what,
			const char *object, struct linx_error *err)
{
	int fd, r;

	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return cg_fail(err, e, op, object,
				       "%s %s does not exist", what, path);
		if (e == ENOTDIR)
			return cg_fail(err, e, op, object,
				       "%s %s is not a directory", what, path);
		return cg_fail(err, e, op, object, "cannot open %s %s: %s",
			       what, path, linx_strerror(e));
	}
	r = cg_fd_check_cgroup2(fd, path, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int cg_dir_open(const char *path, const char *file, const char *op,
		struct linx_error *err)
{
	char object[PATH_MAX];
	int r = cg_path_check(path, "path", err);

	if (r < 0)
		return r;
	/* An error names the interface file the call would have used, as
	 * it does when the directory exists and the file is what fails
	 * (the spec's Linx.Cgroup.Error path). */
	if (file)
		cg_join(object, sizeof(object), path, file);
	return open_checked(path, op, "cgroup", file ? object : path, err);
}

int cg_parent_open(const char *path, const char *op, const char **ret_name,
		   struct linx_error *err)
{
	char parent[PATH_MAX];
	const char *slash;
	size_t n;
	int r;

	r = cg_path_check(path, "path", err);
	if (r < 0)
		return r;
	slash = strrchr(path, '/');
	if (slash[1] == '\0')
		return cg_refuse(err, "path", path,
				 "\"/\" is not a cgroup that can be created "
				 "or removed");
	n = (size_t)(slash - path);
	if (n == 0) {
		parent[0] = '/';
		n = 1;
	} else {
		memcpy(parent, path, n);
	}
	parent[n] = '\0';
	r = open_checked(parent, op, "parent directory", path, err);
	if (r < 0)
		return r;
	*ret_name = slash + 1;
	return r;
}
