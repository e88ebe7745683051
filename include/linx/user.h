/* SPDX-License-Identifier: MIT */
/*
 * linx/user.h - user-namespace identity: uid_map, gid_map, setgroups.
 *
 * The three write-once files under /proc/<pid>/ decide who a process in a
 * user namespace is, inside versus outside (user_namespaces(7)).  They are
 * written from the host while the workload is parked at the checkpoint, so
 * these are ordinary host-side functions taking the workload's host pid.
 *
 * Maps are validated before anything is written: at least one entry, a
 * length of at least 1, no range running past 2^32 - 1 (the id -1 is not
 * an id), no two ranges overlapping on either side, and at most
 * LINX_USER_MAP_MAX entries (the kernel's limit since Linux 4.15).  Such
 * mistakes fail with EINVAL and err->param naming the map, op "bad_map"
 * and a message saying which rule ("empty", "bad_entry", "overlap",
 * "too_many").  Kernel refusals keep the kernel's errno, op names the step
 * ("set_uid_map", "set_gid_map", "deny_setgroups", "read_uid_map",
 * "read_gid_map") and err->object the /proc path.
 */
#ifndef LINX_USER_H
#define LINX_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linx/common.h>
#include <linx/error.h>

LINX_BEGIN_DECLS

/* UID_GID_MAP_MAX_EXTENTS in include/linux/user_namespace.h. */
#define LINX_USER_MAP_MAX 340

struct linx_user_map {
	uint32_t inside;  /* first id inside the namespace */
	uint32_t outside; /* first id in the parent namespace */
	uint32_t length;  /* number of ids, >= 1 */
};

/* Check a map as described above (no system call).  `param` names it in
 * errors ("uid", "gid"). */
int linx_user_map_validate(const struct linx_user_map *maps, size_t n,
			   const char *param, struct linx_error *err);

/* Write /proc/<pid>/uid_map (or gid_map) in one write(2). */
int linx_user_set_uid_map(pid_t pid, const struct linx_user_map *maps,
			  size_t n, struct linx_error *err);
int linx_user_set_gid_map(pid_t pid, const struct linx_user_map *maps,
			  size_t n, struct linx_error *err);

/* Write "deny" to /proc/<pid>/setgroups (idempotent).  An unprivileged
 * caller must do this before writing gid_map. */
int linx_user_deny_setgroups(pid_t pid, struct linx_error *err);

enum linx_user_setgroups {
	LINX_USER_SETGROUPS_DENY = 0, /* write "deny" first (default) */
	LINX_USER_SETGROUPS_SKIP = 1, /* leave setgroups alone */
};

/*
 * deny_setgroups (unless skipped), set_uid_map, set_gid_map: the usual
 * sequence.  Both maps are validated before the first write.  Steps that
 * succeeded are not undone (the maps are write-once); err->op names the
 * step that failed.
 */
int linx_user_setup_maps(pid_t pid, const struct linx_user_map *uid,
			 size_t n_uid, const struct linx_user_map *gid,
			 size_t n_gid, enum linx_user_setgroups setgroups,
			 struct linx_error *err);

/*
 * Read and parse /proc/<pid>/uid_map (gid_map); pid 0 means the caller.
 * *ret is a malloc'd array owned by the caller (free()), NULL with
 * *ret_n == 0 for a namespace whose map is not written yet.  Lines that
 * are not three numbers are skipped.
 */
int linx_user_read_uid_map(pid_t pid, struct linx_user_map **ret,
			   size_t *ret_n, struct linx_error *err);
int linx_user_read_gid_map(pid_t pid, struct linx_user_map **ret,
			   size_t *ret_n, struct linx_error *err);

/* True if /proc/self/uid_map exists (the kernel has user namespaces). */
bool linx_user_supported(void);

LINX_END_DECLS

#endif /* LINX_USER_H */
