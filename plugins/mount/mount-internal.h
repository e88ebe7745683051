/* SPDX-License-Identifier: MIT */
/*
 * The mount plugin's internals (not installed).
 */
#ifndef LINX_MOUNT_INTERNAL_H
#define LINX_MOUNT_INTERNAL_H

#include <linx/mount.h>
#include <linx/plugin.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Check a path argument: absolute unless `relative_ok`, no NUL (the
 * caller gives a C string), shorter than PATH_MAX, not empty. */
int mount_check_path(const char *path, const char *param, bool relative_ok,
		     struct linx_error *err);

/* Resolve `target` (beneath `root` if not NULL) without following any
 * symlink, creating it first if asked: a directory if `dir`, else an
 * empty file.  Returns an O_PATH descriptor or a negative errno. */
int mount_open_target(const char *target, const char *root, bool create,
		      bool dir, struct linx_error *err);

/* The path mount(2) should be given for a descriptor: its
 * /proc/thread-self/fd link when procfs is there, else `fallback` (the
 * path that was just resolved without symlinks). */
const char *mount_fd_path(int fd, const char *fallback, char *buf,
			  size_t cap);

/* Run fn(arg) in the mount namespace of `in` (see linx/mount.h); `ns`
 * adds namespaces (LINX_NS_PID for proc). */
int mount_run_in(const struct linx_ns_target *in, uint32_t ns,
		 int (*fn)(void *arg, struct linx_error *err), void *arg,
		 struct linx_error *err);

/* Flags as a value: a list of names -> MS_* bits ({bad_flag, name}). */
int mount_flags_from_value(const struct linx_value *v, const char *param,
			   unsigned long *ret, struct linx_error *err);

/* mount.rootfs (rootfs.c): the workload's filesystem, in the child. */
int mount_rootfs(const struct linx_value *args, struct linx_error *err);

#endif
