/* SPDX-License-Identifier: MIT */
/*
 * A filesystem through the new mount API: fsopen(2) a context, fsconfig(2)
 * each option, create the superblock, fsmount(2) it with its attributes,
 * move_mount(2) it onto the checked target.  Beyond what mount(2) gives:
 * an option the filesystem rejects is named, with the filesystem's own
 * words (read from the context's message log), instead of a bare EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mount-internal.h"

struct fsm {
	const char *fstype, *source, *data, *target, *root;
	uint64_t attrs;
	bool create;
};

/* The filesystem's last message ("e tmpfs: Bad value for 'size'"). */
static void context_message(int fsfd, char *buf, size_t cap)
{
	ssize_t n;

	buf[0] = '\0';
	for (;;) {
		char line[256];

		n = read(fsfd, line, sizeof(line) - 1);
		if (n <= 0)
			break;
		/* one message per read; drop a trailing newline */
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\0'))
			n--;
		line[n] = '\0';
		/* "e ", "w ", "i " prefixes: keep the text of the last */
		snprintf(buf, cap, "%s", n > 2 ? line + 2 : line);
	}
}

static int fs_error(int fsfd, int code, const char *op, const char *what,
		    const struct fsm *f, struct linx_error *err)
{
	char msg[256];

	context_message(fsfd, msg, sizeof(msg));
	return linx_error_set_object(err, code, op, f->target,
				     "%s (%s on %s): %s", what, f->fstype,
				     f->target,
				     msg[0] ? msg : linx_strerror(code));
}

/* Each "key=value" or "flag" of the data string, then the superblock. */
static int configure(int fsfd, const struct fsm *f, struct linx_error *err)
{
	char opts[4096], *save = NULL;

	if (f->source && *f->source &&
	    syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, "source",
		    f->source, 0) < 0)
		return fs_error(fsfd, errno, "fsconfig", "source", f, err);
	if (f->data && strlen(f->data) >= sizeof(opts))
		return linx_error_param(err, "validate", "data",
					"the options are %zu bytes or more",
					sizeof(opts));
	snprintf(opts, sizeof(opts), "%s", f->data ? f->data : "");
	for (char *o = strtok_r(opts, ",", &save); o;
	     o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		long r;

		if (eq) {
			*eq = '\0';
			r = syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_STRING, o,
				    eq + 1, 0);
		} else {
			r = syscall(SYS_fsconfig, fsfd, FSCONFIG_SET_FLAG, o,
				    NULL, 0);
		}
		if (r < 0) {
			char what[300];

			snprintf(what, sizeof(what), "option \"%s\"", o);
			return fs_error(fsfd, errno, "fsconfig", what, f, err);
		}
	}
	if (syscall(SYS_fsconfig, fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fs_error(fsfd, errno, "fsconfig", "creating the superblock",
				f, err);
	return 0;
}

static int do_fsmount(void *arg, struct linx_error *err)
{
	const struct fsm *f = arg;
	int fsfd, mfd = -1, tfd = -1, r;

	fsfd = (int)syscall(SYS_fsopen, f->fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return linx_error_set_object(err, errno, "fsopen", f->target,
					     "fsopen %s: %s", f->fstype,
					     linx_strerror(errno));
	r = configure(fsfd, f, err);
	if (r == 0) {
		mfd = (int)syscall(SYS_fsmount, fsfd, FSMOUNT_CLOEXEC,
				   (unsigned)f->attrs);
		if (mfd < 0)
			r = fs_error(fsfd, errno, "fsmount", "mounting", f, err);
	}
	if (r == 0) {
		tfd = mount_open_target(f->target, f->root, f->create, true,
					err);
		r = tfd < 0 ? tfd : 0;
	}
	if (r == 0 &&
	    syscall(SYS_move_mount, mfd, "", tfd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		r = linx_error_set_object(err, errno, "move_mount", f->target,
					  "attaching %s at %s: %s", f->fstype,
					  f->target, linx_strerror(errno));
	if (tfd >= 0)
		close(tfd);
	if (mfd >= 0)
		close(mfd);
	close(fsfd);
	return r;
}

int linx_mount_fsmount(const char *fstype, const char *source,
		       const char *data, uint64_t attrs, const char *target,
		       const struct linx_mount_opts *o, struct linx_error *err)
{
	struct fsm f = { .fstype = fstype, .source = source, .data = data,
			 .target = target, .attrs = attrs };
	int r;

	if (!fstype || !*fstype)
		return linx_error_param(err, "validate", "fstype",
					"a filesystem type is needed");
	if ((r = mount_check_path(target, "target", o && o->root, err)) < 0)
		return r;
	if (attrs & ~(uint64_t)(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
				MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME |
				MOUNT_ATTR_NOSYMFOLLOW))
		return linx_error_param(err, "validate", "attrs",
					"fsmount takes ro, nosuid, nodev, "
					"noexec, the atime attributes and "
					"nosymfollow");
	if (o) {
		f.root = o->root;
		f.create = o->create;
	}
	return mount_run_in(o ? o->in : NULL, 0, do_fsmount, &f, err);
}
