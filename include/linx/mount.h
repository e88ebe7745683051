/* SPDX-License-Identifier: MIT */
/*
 * linx/mount.h - mounts in any process's mount namespace, the mount table
 * as data, and a workload's own root filesystem.
 *
 * ---- where a call acts ---------------------------------------------------
 *
 * Every operation takes an `in` target (linx/ns.h): NULL or self is the
 * caller's mount namespace; a pid or an nsfs path is that namespace.  The
 * work is done on a throwaway thread that unshares its filesystem context
 * (CLONE_FS: the kernel refuses to join a mount namespace while it is
 * shared, and the caller's cwd and root must not move) and then joins the
 * target, so no long-lived thread ever changes namespace.  The target is
 * pinned first (linx_ns_pin), so a recycled pid fails with ESRCH.  A
 * "proc" mount `in` a pid also enters that pid's pid namespace and mounts
 * from a child forked there, so the new /proc shows the target's pids.
 *
 * ---- paths -------------------------------------------------------------
 *
 * Paths are absolute (or, with `root`, relative to it), at most PATH_MAX
 * bytes, without NUL.  A mount target is resolved inside the target
 * namespace with openat2(2) RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS:
 * a symlink anywhere in it is refused (ELOOP), because a container's
 * filesystem is not the caller's to trust.  With `root`, resolution is
 * RESOLVE_BENEATH that directory as well: ".." or an absolute symlink
 * cannot leave it (EXDEV).  The mount is then made on the descriptor
 * (through /proc/thread-self/fd when procfs is there), not on the path
 * string again, so the checked object is the one mounted on.  Sources of
 * binds and moves are the caller's choice and follow symlinks.
 *
 * `create` makes the target first if it does not exist, without following
 * symlinks: a directory for a filesystem, or for a bind of a directory; an
 * empty file for a bind of anything else (a device node onto a fresh
 * tmpfs, say).  Parents must exist.
 *
 * ---- errors ----------------------------------------------------------------
 *
 * Functions return 0 or a negative errno and fill `err`: err->op is the
 * spec's operation - "mount", "umount", "pivot_root", "create",
 * "mount_setattr", "open_tree", "move_mount", "open_pidns", "setns_pid",
 * "fork", "read" (mountinfo), or a namespace-entry stage of linx/ns.h -
 * or "validate" for a refused argument (err->param names it: "flags",
 * "target", "in", ...); err->object is the path concerned.  Flag names
 * that are not flags are refused as {bad_flag, name} ("bad_flag" in the
 * message).
 *
 * Ownership: ret_* outputs belong to the caller (free with the matching
 * _free function); inputs are only read.
 */
#ifndef LINX_MOUNT_H
#define LINX_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

/* ---- flags ------------------------------------------------------------ */

/*
 * The mount(2) flags by the spec's names: "ro", "nosuid", "nodev",
 * "noexec", "sync", "remount", "mandlock", "dirsync", "noatime",
 * "nodiratime", "bind", "move", "rec", "silent", "private", "shared",
 * "slave", "unbindable", "relatime", "strictatime", "lazytime" and
 * "rdonly" (an alias of "ro").  Returns the MS_* value, or 0 for an
 * unknown name.
 */
LINX_API unsigned long linx_mount_flag(const char *name);

/* The name of one MS_* bit (the first of its aliases), or NULL. */
LINX_API const char *linx_mount_flag_name(unsigned long flag);

/* umount2(2) flags by name: "force", "detach", "expire", "no_follow";
 * 0 for an unknown name. */
LINX_API int linx_mount_umount_flag(const char *name);

/* ---- operations --------------------------------------------------------- */

struct linx_mount_opts {
	unsigned long flags; /* MS_* (see linx_mount_flag) */
	const char *data;    /* filesystem options; NULL or "": none */
	bool create;	     /* create the target first */
	bool reserved0[7];
	const char *root; /* resolve the target beneath this directory */
	const struct linx_ns_target *in; /* NULL: the caller's namespace */
};

/* mount(2) of `fstype` from `source` (NULL or "": none) on `target`. */
LINX_API int linx_mount(const char *source, const char *target,
			const char *fstype, const struct linx_mount_opts *o,
			struct linx_error *err);

/* Bind `source` on `target` (MS_REC in o->flags: the whole tree).  A
 * read-only bind (MS_RDONLY) is made with the follow-up remount the kernel
 * needs, and so are nosuid, nodev and noexec. */
LINX_API int linx_mount_bind(const char *source, const char *target,
			     const struct linx_mount_opts *o,
			     struct linx_error *err);

/* Change the flags of the mount at `target` (MS_REMOUNT | o->flags; add
 * MS_BIND to change only the mount's own flags, as for a bind). */
LINX_API int linx_mount_remount(const char *target,
				const struct linx_mount_opts *o,
				struct linx_error *err);

/* Move the mount at `source` to `target` (EINVAL when `source` is not a
 * mount point or its parent is shared). */
LINX_API int linx_mount_move(const char *source, const char *target,
			     const struct linx_mount_opts *o,
			     struct linx_error *err);

/* Change the propagation of `target`: one of MS_PRIVATE, MS_SHARED,
 * MS_SLAVE, MS_UNBINDABLE, optionally with MS_REC. */
LINX_API int linx_mount_propagation(const char *target, unsigned long flags,
				    const struct linx_ns_target *in,
				    struct linx_error *err);

/* umount2(2) with MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW. */
LINX_API int linx_mount_umount(const char *target, int flags,
			       const struct linx_ns_target *in,
			       struct linx_error *err);

/*
 * pivot_root(2) to `new_root`, the old root going to `put_old` (a
 * directory under new_root), on a thread of its own (unshare(CLONE_FS),
 * then chdir(new_root)): the caller's cwd and root never move.  put_old
 * NULL stacks the old root on the new one (pivot_root(".", ".")) and
 * detaches it, which needs no directory.  EINVAL when new_root is not a
 * mount point, is on the same mount as the current root, or when either
 * is shared (see pivot_root(2)).
 */
LINX_API int linx_mount_pivot_root(const char *new_root, const char *put_old,
				   const struct linx_ns_target *in,
				   struct linx_error *err);

/*
 * The new mount API (beyond the spec): change a mount's attributes with
 * mount_setattr(2).  `set` and `clear` are MOUNT_ATTR_* bits; `recursive`
 * applies them to the whole tree atomically (a recursive read-only bind,
 * which mount(2) cannot make).  EINVAL from kernels without it is ENOSYS.
 */
LINX_API int linx_mount_setattr(const char *target, uint64_t set,
				uint64_t clear, bool recursive,
				const struct linx_ns_target *in,
				struct linx_error *err);

/*
 * An idmapped bind: clone the tree at `source` (open_tree(2)), map its
 * ownership through the user namespace `userns` (a pid, whose user
 * namespace is used, or an nsfs path; MOUNT_ATTR_IDMAP) and attach it at
 * `target` (move_mount(2)).  The filesystem must support idmapped mounts
 * (tmpfs from Linux 6.3, ext4, xfs, btrfs...); EINVAL otherwise.
 */
LINX_API int linx_mount_bind_idmapped(const char *source, const char *target,
				      const struct linx_ns_target *userns,
				      bool recursive,
				      const struct linx_mount_opts *o,
				      struct linx_error *err);

/*
 * The new mount API for a filesystem (beyond the spec): fsopen(2) of
 * `fstype`, each option of `data` ("size=64m,mode=755,noswap") set with
 * fsconfig(2), the superblock created, fsmount(2) with MOUNT_ATTR_* `attrs`,
 * and move_mount(2) onto `target` (resolved as everywhere here).  An
 * option the filesystem refuses fails at that option, with the
 * filesystem's own message in err->message ("tmpfs: Bad value for
 * 'size'"), err->op "fsconfig".  o->flags and o->data are not used.
 */
LINX_API int linx_mount_fsmount(const char *fstype, const char *source,
				const char *data, uint64_t attrs,
				const char *target,
				const struct linx_mount_opts *o,
				struct linx_error *err);

/* ---- the mount table ---------------------------------------------------- */

enum linx_mount_propagation_kind {
	LINX_MOUNT_SHARED = 1,	       /* shared:N */
	LINX_MOUNT_MASTER = 2,	       /* master:N (a slave) */
	LINX_MOUNT_PROPAGATE_FROM = 3, /* propagate_from:N */
	LINX_MOUNT_UNBINDABLE = 4,     /* unbindable */
};

#define LINX_MOUNT_PROPAGATION_MAX 4

struct linx_mount_entry {
	uint32_t mount_id, parent_id;
	uint32_t major, minor;
	char *root;	     /* unescaped */
	char *mount_point;   /* unescaped */
	char *mount_options; /* raw: "rw,relatime" */
	char *fstype;
	char *source; /* unescaped; "none" stays "none" */
	char *super_options; /* raw */
	uint32_t n_propagation;
	struct {
		uint32_t kind; /* enum linx_mount_propagation_kind */
		uint32_t group;
	} propagation[LINX_MOUNT_PROPAGATION_MAX];
};

/*
 * Parse mountinfo text (proc_pid_mountinfo(5)).  Malformed lines, and
 * optional fields of an unknown tag, are skipped - never an error, never
 * a crash.  Octal escapes (\040 \011 \012 \134, any \ooo) in root, mount
 * point and source are decoded.  *ret is an array of *n entries owned by
 * the caller (linx_mount_entries_free).  ENOMEM only.
 */
LINX_API int linx_mount_parse(const char *text, size_t len,
			      struct linx_mount_entry **ret, size_t *n,
			      struct linx_error *err);

/* The mount table of the calling process (pid 0), of process `pid`, or in
 * the file at `path` (NULL unless reading a saved mountinfo).  A plain
 * read: no namespace is joined.  ENOENT, EACCES, ESRCH as the kernel
 * reports them (err->op "read"). */
LINX_API int linx_mount_list(pid_t pid, const char *path,
			     struct linx_mount_entry **ret, size_t *n,
			     struct linx_error *err);

LINX_API void linx_mount_entries_free(struct linx_mount_entry *e, size_t n);

/* An entry as a value: {mount_id, parent_id, device: "maj:min", root,
 * mount_point, mount_options, propagation: [{shared: N} | {master: N} |
 * {propagate_from: N} | "unbindable"], fstype, source, super_options}. */
LINX_API int linx_mount_entry_value(const struct linx_mount_entry *e,
				    struct linx_value *ret);

LINX_END_DECLS

#endif /* LINX_MOUNT_H */
