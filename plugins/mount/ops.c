/* SPDX-License-Identifier: MIT */
/*
 * The operations: each is a function that runs inside the target mount
 * namespace (mount_run_in), resolves its target there and calls the
 * kernel once (twice for a read-only bind).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mount-internal.h"

/* Flags mount(2) accepts with MS_BIND that a bind does not apply until a
 * remount. */
#define BIND_REMOUNT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define PROPAGATION_FLAGS (MS_PRIVATE | MS_SHARED | MS_SLAVE | MS_UNBINDABLE)

struct op {
	const char *source, *target, *fstype, *data, *root, *put_old;
	unsigned long flags;
	bool create, dir;
	int umount_flags;
	uint64_t set, clear;
	bool recursive;
	int userns_fd;
	/* what the function reports */
	const char *what;
};

struct trampoline {
	int (*fn)(void *arg, struct linx_error *err);
	void *arg;
};

static int trampoline(void *arg, struct linx_value *ret,
		      struct linx_error *err)
{
	struct trampoline *t = arg;

	(void)ret;
	return t->fn(t->arg, err);
}

int mount_run_in(const struct linx_ns_target *in, uint32_t ns,
		 int (*fn)(void *arg, struct linx_error *err), void *arg,
		 struct linx_error *err)
{
	static const struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct trampoline t = { fn, arg };

	/* A pid namespace is entered by a forked helper, whose children
	 * are born in it. */
	return linx_ns_run(in ? in : &self, LINX_NS_MNT | ns,
			   (ns & LINX_NS_PID) ? LINX_NS_RUN_FORK : 0,
			   trampoline, &t, NULL, err);
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* The path to give the kernel for the resolved target, and the text for
 * messages. */
struct resolved {
	int fd;
	char link[64];
	char full[PATH_MAX * 2];
	const char *path;
};

static int resolve(const struct op *o, bool create, bool dir,
		   struct resolved *r, struct linx_error *err)
{
	r->fd = mount_open_target(o->target, o->root, create, dir, err);
	if (r->fd < 0)
		return r->fd;
	if (o->root)
		snprintf(r->full, sizeof(r->full), "%s/%s", o->root,
			 o->target);
	else
		snprintf(r->full, sizeof(r->full), "%s", o->target);
	r->path = mount_fd_path(r->fd, r->full, r->link, sizeof(r->link));
	return 0;
}

static int kernel_error(int code, const char *op, const char *path,
			const char *what, struct linx_error *err)
{
	return linx_error_set_object(err, code, op, path, "%s %s: %s", what,
				     path, linx_strerror(code));
}

/* Is `path` a directory (following symlinks: a bind source may be one)? */
static bool is_dir(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A bind takes nosuid, nodev, noexec and ro only from a remount of the
 * new mount, which is found again: the descriptor resolved before the
 * mount is the directory underneath. */
static int remount_bind(const struct op *o, struct linx_error *err)
{
	struct op again = *o;
	struct resolved r;
	int rc = resolve(&again, false, false, &r, err);

	if (rc < 0)
		return rc;
	if (mount(NULL, r.path, NULL,
		  MS_REMOUNT | MS_BIND | (o->flags & BIND_REMOUNT_FLAGS),
		  NULL) < 0)
		rc = kernel_error(errno, "mount", r.full,
				  "remount of the bind on", err);
	close(r.fd);
	return rc;
}

static int do_mount(void *arg, struct linx_error *err)
{
	struct op *o = arg;
	struct resolved r;
	int rc = resolve(o, o->create, o->dir, &r, err);

	if (rc < 0)
		return rc;
	if (mount(nonempty(o->source), r.path, nonempty(o->fstype), o->flags,
		  nonempty(o->data)) < 0)
		rc = kernel_error(errno, "mount", r.full, o->what, err);
	close(r.fd);
	if (rc == 0 && (o->flags & MS_BIND) && !(o->flags & MS_REMOUNT) &&
	    (o->flags & BIND_REMOUNT_FLAGS))
		rc = remount_bind(o, err);
	return rc;
}

/* A proc mount for another process: fork inside its pid namespace (the
 * helper has joined it, which only its children see) and mount there. */
static int do_mount_in_pidns(void *arg, struct linx_error *err)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return linx_error_set(err, errno, "fork", NULL);
	if (pid == 0) {
		struct linx_error e;

		_exit(do_mount(arg, &e) < 0 ? (e.code & 0xff) : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return linx_error_set(err, errno, "fork", "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return kernel_error(WIFEXITED(status) ? WEXITSTATUS(status) : EIO,
			    "mount", ((struct op *)arg)->target,
			    "mount proc (in the target's pid namespace) on",
			    err);
}

static int check_opts(const struct linx_mount_opts *o, const char *target,
		      struct linx_error *err)
{
	int r = mount_check_path(target, "target", o && o->root, err);

	if (r == 0 && o && o->root)
		r = mount_check_path(o->root, "root", false, err);
	return r;
}

static const struct linx_ns_target *in_of(const struct linx_mount_opts *o)
{
	return o ? o->in : NULL;
}

int linx_mount(const char *source, const char *target, const char *fstype,
	       const struct linx_mount_opts *o, struct linx_error *err)
{
	static const struct linx_mount_opts none;
	const struct linx_ns_target *in;
	struct op op = { 0 };
	int r;

	if (!o)
		o = &none;
	if ((r = check_opts(o, target, err)) < 0)
		return r;
	in = in_of(o);
	op = (struct op){ .source = source, .target = target,
			  .fstype = fstype, .data = o->data, .root = o->root,
			  .flags = o->flags, .create = o->create,
			  .what = "mount on" };
	/* A filesystem goes on a directory; a bind on what its source is. */
	op.dir = (o->flags & MS_BIND) ? is_dir(source) : true;
	if (fstype && strcmp(fstype, "proc") == 0 && in &&
	    in->kind == LINX_NS_TARGET_PID)
		return mount_run_in(in, LINX_NS_PID, do_mount_in_pidns, &op,
				    err);
	return mount_run_in(in, 0, do_mount, &op, err);
}

int linx_mount_bind(const char *source, const char *target,
		    const struct linx_mount_opts *o, struct linx_error *err)
{
	struct linx_mount_opts b = o ? *o : (struct linx_mount_opts){ 0 };
	int r = mount_check_path(source, "source", false, err);

	if (r < 0)
		return r;
	if (b.flags & ~(MS_REC | BIND_REMOUNT_FLAGS | MS_NOATIME |
			MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME |
			MS_SILENT))
		return linx_error_param(err, "validate", "flags",
					"a bind takes rec, ro, nosuid, nodev, "
					"noexec and the atime flags");
	b.flags |= MS_BIND;
	return linx_mount(source, target, NULL, &b, err);
}

int linx_mount_remount(const char *target, const struct linx_mount_opts *o,
		       struct linx_error *err)
{
	struct linx_mount_opts m = o ? *o : (struct linx_mount_opts){ 0 };

	m.flags |= MS_REMOUNT;
	m.create = false;
	return linx_mount(NULL, target, NULL, &m, err);
}

int linx_mount_move(const char *source, const char *target,
		    const struct linx_mount_opts *o, struct linx_error *err)
{
	struct linx_mount_opts m = o ? *o : (struct linx_mount_opts){ 0 };
	int r = mount_check_path(source, "source", false, err);

	if (r < 0)
		return r;
	m.flags = MS_MOVE;
	m.data = NULL;
	return linx_mount(source, target, NULL, &m, err);
}

int linx_mount_propagation(const char *target, unsigned long flags,
			   const struct linx_ns_target *in,
			   struct linx_error *err)
{
	struct linx_mount_opts m = { .flags = flags, .in = in };
	unsigned long kind = flags & PROPAGATION_FLAGS;

	if ((flags & ~(PROPAGATION_FLAGS | MS_REC)) || !kind ||
	    (kind & (kind - 1)))
		return linx_error_param(err, "validate", "flags",
					"one of private, shared, slave, "
					"unbindable, optionally with rec");
	return linx_mount(NULL, target, NULL, &m, err);
}

static int do_umount(void *arg, struct linx_error *err)
{
	struct op *o = arg;
	struct resolved r;
	int rc = resolve(o, false, false, &r, err);

	if (rc < 0)
		return rc;
	/* A descriptor on the mount would keep it busy: the path, checked
	 * just now, and never a final symlink. */
	close(r.fd);
	if (umount2(r.full, o->umount_flags | UMOUNT_NOFOLLOW) < 0)
		rc = kernel_error(errno, "umount", r.full, "umount", err);
	return rc;
}

int linx_mount_umount(const char *target, int flags,
		      const struct linx_ns_target *in, struct linx_error *err)
{
	struct op op = { .target = target, .umount_flags = flags };
	int r = mount_check_path(target, "target", false, err);

	if (r < 0)
		return r;
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return linx_error_param(err, "validate", "flags",
					"umount takes force, detach, expire "
					"and no_follow");
	/* The target is resolved without symlinks anyway. */
	op.umount_flags &= ~UMOUNT_NOFOLLOW;
	return mount_run_in(in, 0, do_umount, &op, err);
}

/* ---- pivot_root ------------------------------------------------------- */

static int do_pivot(void *arg, struct linx_error *err)
{
	struct op *o = arg;
	struct resolved r;
	int rc = resolve(o, false, true, &r, err);

	if (rc < 0)
		return rc;
	if (fchdir(r.fd) < 0)
		rc = linx_error_set_object(err, errno, "chdir", o->target,
					   NULL);
	else if (syscall(SYS_pivot_root, ".", o->put_old ? o->put_old : ".") <
		 0)
		rc = kernel_error(errno, "pivot_root", o->target,
				  "pivot_root to", err);
	/* Stacked: the old root is on top of "."; detach it. */
	else if (!o->put_old && umount2(".", MNT_DETACH) < 0)
		rc = kernel_error(errno, "umount", o->target,
				  "detaching the old root from", err);
	else if (chdir("/") < 0)
		rc = linx_error_set_object(err, errno, "chdir", "/", NULL);
	close(r.fd);
	return rc;
}

struct pivot_job {
	struct op op;
	const struct linx_ns_target *in;
	struct linx_error err;
	int rc;
};

static void *pivot_thread(void *arg)
{
	struct pivot_job *j = arg;

	/* Our own cwd and root, so that the chdir moves nobody else. */
	if (unshare(CLONE_FS) < 0)
		j->rc = linx_error_set(&j->err, errno, "unshare", NULL);
	else
		j->rc = mount_run_in(j->in, 0, do_pivot, &j->op, &j->err);
	return NULL;
}

int linx_mount_pivot_root(const char *new_root, const char *put_old,
			  const struct linx_ns_target *in,
			  struct linx_error *err)
{
	struct pivot_job j = { .op = { .target = new_root,
				       .put_old = put_old },
			       .in = in };
	pthread_t t;
	int r = mount_check_path(new_root, "new_root", false, err);

	if (r == 0 && put_old)
		r = mount_check_path(put_old, "put_old", false, err);
	if (r < 0)
		return r;
	linx_error_clear(&j.err);
	r = pthread_create(&t, NULL, pivot_thread, &j);
	if (r != 0)
		return linx_error_set(err, r, "thread", NULL);
	pthread_join(t, NULL);
	if (j.rc < 0 && err)
		*err = j.err;
	return j.rc;
}

/* ---- the new mount API ------------------------------------------------ */

static int setattr_fd(int fd, const char *path, uint64_t set, uint64_t clear,
		      bool recursive, int userns_fd, struct linx_error *err)
{
	struct mount_attr attr = {
		.attr_set = set,
		.attr_clr = clear,
		.userns_fd = (uint64_t)(userns_fd >= 0 ? userns_fd : 0),
	};
	unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

	if (syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof(attr)) < 0)
		return kernel_error(errno, "mount_setattr", path,
				    "mount_setattr on", err);
	return 0;
}

static int do_setattr(void *arg, struct linx_error *err)
{
	struct op *o = arg;
	struct resolved r;
	int rc = resolve(o, false, false, &r, err);

	if (rc < 0)
		return rc;
	rc = setattr_fd(r.fd, r.full, o->set, o->clear, o->recursive, -1, err);
	close(r.fd);
	return rc;
}

int linx_mount_setattr(const char *target, uint64_t set, uint64_t clear,
		       bool recursive, const struct linx_ns_target *in,
		       struct linx_error *err)
{
	struct op op = { .target = target, .set = set, .clear = clear,
			 .recursive = recursive };
	int r = mount_check_path(target, "target", false, err);

	if (r < 0)
		return r;
	if ((set | clear) & MOUNT_ATTR_IDMAP)
		return linx_error_param(err, "validate", "set",
					"an idmapping is made on a new bind: "
					"linx_mount_bind_idmapped()");
	return mount_run_in(in, 0, do_setattr, &op, err);
}

static int do_bind_idmapped(void *arg, struct linx_error *err)
{
	struct op *o = arg;
	struct resolved r;
	int tree, rc;

	tree = (int)syscall(SYS_open_tree, AT_FDCWD, o->source,
			    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
				    (o->recursive ? AT_RECURSIVE : 0));
	if (tree < 0)
		return kernel_error(errno, "open_tree", o->source, "clone of",
				    err);
	rc = setattr_fd(tree, o->source, MOUNT_ATTR_IDMAP, 0, o->recursive,
			o->userns_fd, err);
	if (rc == 0)
		rc = resolve(o, o->create, is_dir(o->source), &r, err);
	if (rc == 0) {
		if (syscall(SYS_move_mount, tree, "", r.fd, "",
			    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
		    0)
			rc = kernel_error(errno, "move_mount", r.full,
					  "attaching the idmapped tree at",
					  err);
		close(r.fd);
	}
	close(tree);
	return rc;
}

int linx_mount_bind_idmapped(const char *source, const char *target,
			     const struct linx_ns_target *userns,
			     bool recursive, const struct linx_mount_opts *o,
			     struct linx_error *err)
{
	struct op op = { .source = source, .target = target,
			 .recursive = recursive, .userns_fd = -1 };
	struct linx_ns_pin pin;
	int r = mount_check_path(source, "source", false, err);

	if (r == 0)
		r = mount_check_path(target, "target", o && o->root, err);
	if (r < 0)
		return r;
	if (!userns || userns->kind == LINX_NS_TARGET_SELF)
		return linx_error_param(err, "validate", "userns",
					"an idmapped mount needs another "
					"process's user namespace");
	if (o) {
		op.root = o->root;
		op.create = o->create;
	}
	if (userns->kind == LINX_NS_TARGET_PATH) {
		op.userns_fd = linx_ns_open_path(userns->path,
						 LINX_NS_KIND_USER, "userns",
						 err);
		if (op.userns_fd < 0)
			return op.userns_fd;
	} else {
		r = linx_ns_pin(userns, LINX_NS_USER, &pin, err);
		if (r < 0)
			return r;
		op.userns_fd = dup(pin.fds[LINX_NS_KIND_USER]);
		linx_ns_pin_close(&pin);
		if (op.userns_fd < 0)
			return linx_error_set(err, EINVAL, "validate",
					      "the process shares our user "
					      "namespace: nothing to map");
	}
	r = mount_run_in(o ? o->in : NULL, 0, do_bind_idmapped, &op, err);
	close(op.userns_fd);
	return r;
}
