/* SPDX-License-Identifier: MIT */
/*
 * mount.rootfs: a workload's own filesystem, made inside the parked child
 * (LINX_VERB_CHILD) in its own mount namespace, in the order a container
 * runtime uses:
 *
 *   1. the whole tree private, so nothing propagates back to the host;
 *   2. the new root bound onto itself (pivot_root wants a mount point);
 *   3. proc, then a minimal /dev (a tmpfs with null, zero, full, random,
 *      urandom and tty bound from the host, its own devpts instance with
 *      ptmx, a tmpfs on shm, and the fd/stdin/stdout/stderr links);
 *   4. the caller's binds (sources are host paths, read before the pivot),
 *      tmpfs mounts and other mounts, in that order;
 *   5. pivot_root into it, the old root detached, cwd "/";
 *   6. the root read-only if asked (its own mount only: proc, /dev and the
 *      tmpfs mounts stay writable).
 *
 * Every target is resolved beneath the new root without symlinks
 * (mount_open_target with a root), so a hostile image cannot redirect a
 * mount to the host.  Without "path" the same mounts are made relative to
 * the current root and there is no pivot.
 *
 * Devices are bound rather than created: mknod is not allowed in a user
 * namespace, and a bind works with or without one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount-internal.h"

struct rootfs {
	const char *root; /* NULL: "/" without a pivot */
};

static int in_root(const struct rootfs *rf, const char *fstype,
		   const char *source, const char *target, unsigned long flags,
		   const char *data, struct linx_error *err)
{
	struct linx_mount_opts o = { .flags = flags, .data = data,
				     .create = true, .root = rf->root };

	if (flags & MS_BIND) {
		o.flags &= ~(unsigned long)MS_BIND;
		return linx_mount_bind(source, target, &o, err);
	}
	return linx_mount(source, target, fstype, &o, err);
}

static const char *const host_devices[] = {
	"null", "zero", "full", "random", "urandom", "tty",
};

static int make_dev(const struct rootfs *rf, struct linx_error *err)
{
	static const struct {
		const char *link, *to;
	} links[] = {
		{ "/dev/ptmx", "pts/ptmx" },	     { "/dev/fd", "/proc/self/fd" },
		{ "/dev/stdin", "/proc/self/fd/0" }, { "/dev/stdout", "/proc/self/fd/1" },
		{ "/dev/stderr", "/proc/self/fd/2" },
	};
	char host[64], target[64], buf[PATH_MAX * 2];
	int r;

	r = in_root(rf, "tmpfs", "tmpfs", "/dev", MS_NOSUID | MS_NOEXEC,
		    "mode=755,size=65536k", err);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(host_devices); i++) {
		snprintf(host, sizeof(host), "/dev/%s", host_devices[i]);
		snprintf(target, sizeof(target), "/dev/%s", host_devices[i]);
		/* A host without a controlling-terminal device (no /dev/tty
		 * in a minimal sandbox) is not a reason to fail. */
		if (access(host, F_OK) != 0)
			continue;
		r = in_root(rf, NULL, host, target, MS_BIND, NULL, err);
	}
	if (r == 0)
		r = in_root(rf, "devpts", "devpts", "/dev/pts",
			    MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620",
			    err);
	if (r == 0)
		r = in_root(rf, "tmpfs", "shm", "/dev/shm",
			    MS_NOSUID | MS_NODEV, "mode=1777", err);
	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(links); i++) {
		snprintf(buf, sizeof(buf), "%s%s", rf->root ? rf->root : "",
			 links[i].link);
		if (symlink(links[i].to, buf) < 0 && errno != EEXIST)
			r = linx_error_set_object(err, errno, "create", buf,
						  "symlink %s", buf);
	}
	return r;
}

static const char *str_of(const struct linx_value *m, const char *key)
{
	const struct linx_value *v = linx_map_get(m, key);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static bool bool_of(const struct linx_value *m, const char *key)
{
	const struct linx_value *v = linx_map_get(m, key);

	return v && v->type == LINX_BOOL && v->b;
}

/* Each element of a list param is a map; `what` names it in errors. */
static int element(const struct linx_value *list, uint32_t i,
		   const char *param, const char *need,
		   struct linx_error *err)
{
	const struct linx_value *e = &list->items[i];

	if (e->type != LINX_MAP || !str_of(e, need))
		return linx_error_param(err, "validate", param,
					"%s[%u] needs a \"%s\"", param, i,
					need);
	return 0;
}

static int do_binds(const struct rootfs *rf, const struct linx_value *l,
		    struct linx_error *err)
{
	int r = 0;

	for (uint32_t i = 0; l && i < l->len && r == 0; i++) {
		const struct linx_value *e = &l->items[i];

		if ((r = element(l, i, "binds", "source", err)) < 0 ||
		    (r = element(l, i, "binds", "target", err)) < 0)
			break;
		r = in_root(rf, NULL, str_of(e, "source"), str_of(e, "target"),
			    MS_BIND | MS_REC |
				    (bool_of(e, "readonly") ? MS_RDONLY : 0),
			    NULL, err);
	}
	return r;
}

static int do_tmpfs(const struct rootfs *rf, const struct linx_value *l,
		    struct linx_error *err)
{
	int r = 0;

	for (uint32_t i = 0; l && i < l->len && r == 0; i++) {
		const struct linx_value *e = &l->items[i];
		const char *size;
		char data[128];

		if ((r = element(l, i, "tmpfs", "target", err)) < 0)
			break;
		size = str_of(e, "size");
		if (size && (strchr(size, ',') || strlen(size) > 32))
			return linx_error_param_object(err, EINVAL, "validate",
						       "tmpfs", size,
						       "a tmpfs size is one "
						       "option (\"64m\")");
		snprintf(data, sizeof(data), "mode=1777%s%s",
			 size ? ",size=" : "", size ? size : "");
		r = in_root(rf, "tmpfs", "tmpfs", str_of(e, "target"),
			    MS_NOSUID | MS_NODEV, data, err);
	}
	return r;
}

static int do_mounts(const struct rootfs *rf, const struct linx_value *l,
		     struct linx_error *err)
{
	int r = 0;

	for (uint32_t i = 0; l && i < l->len && r == 0; i++) {
		const struct linx_value *e = &l->items[i];
		unsigned long flags;

		if ((r = element(l, i, "mounts", "target", err)) < 0 ||
		    (r = mount_flags_from_value(linx_map_get(e, "flags"),
						"mounts", &flags, err)) < 0)
			break;
		r = in_root(rf, str_of(e, "fstype"), str_of(e, "source"),
			    str_of(e, "target"), flags, str_of(e, "data"), err);
	}
	return r;
}

/* pivot_root(".", "."): the old root ends up stacked on the new one and
 * is detached at once; no directory for it is needed. */
static int pivot(const char *root, struct linx_error *err)
{
	if (chdir(root) < 0)
		return linx_error_set_object(err, errno, "chdir", root, NULL);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return linx_error_set_object(err, errno, "pivot_root", root,
					     "pivot_root to %s: %s", root,
					     linx_strerror(errno));
	if (umount2(".", MNT_DETACH) < 0)
		return linx_error_set_object(err, errno, "umount", root,
					     "detaching the old root: %s",
					     linx_strerror(errno));
	if (chdir("/") < 0)
		return linx_error_set_object(err, errno, "chdir", "/", NULL);
	return 0;
}

int mount_rootfs(const struct linx_value *a, struct linx_error *err)
{
	struct rootfs rf = { .root = str_of(a, "path") };
	struct linx_mount_opts self = { .flags = MS_REC };
	int r;

	if (rf.root && (r = mount_check_path(rf.root, "path", false, err)) < 0)
		return r;
	/* 1: nothing we do below may reach the host's namespace. */
	r = linx_mount_propagation("/", MS_PRIVATE | MS_REC, NULL, err);
	/* 2: the new root must be a mount point. */
	if (r == 0 && rf.root)
		r = linx_mount_bind(rf.root, rf.root, &self, err);
	if (r == 0 && bool_of(a, "proc"))
		r = in_root(&rf, "proc", "proc", "/proc",
			    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err);
	if (r == 0 && bool_of(a, "dev"))
		r = make_dev(&rf, err);
	if (r == 0)
		r = do_binds(&rf, linx_map_get(a, "binds"), err);
	if (r == 0)
		r = do_tmpfs(&rf, linx_map_get(a, "tmpfs"), err);
	if (r == 0)
		r = do_mounts(&rf, linx_map_get(a, "mounts"), err);
	if (r == 0 && rf.root)
		r = pivot(rf.root, err);
	if (r == 0 && bool_of(a, "readonly")) {
		struct linx_mount_opts ro = { .flags = MS_BIND | MS_RDONLY };

		r = linx_mount_remount("/", &ro, err);
	}
	return r;
}
