/* SPDX-License-Identifier: MIT */
/*
 * The files under /proc/sys: opening them without escaping the tree, and
 * reading and writing them the way the kernel's sysctl handlers expect.
 *
 * Opening.  A single knob is opened by its absolute path with openat2(2)
 * and RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, and the file must then be
 * on procfs (fstatfs(2), PROC_SUPER_MAGIC from include/uapi/linux/magic.h).
 * With the key grammar (key.c: no "..", no slash, no empty component) the
 * lexical path already stays below /proc/sys, no symlink can redirect it,
 * and a foreign filesystem mounted below /proc/sys (binfmt_misc on
 * /proc/sys/fs/binfmt_misc) or over it is refused: the guarantees of
 * RESOLVE_BENEATH from a /proc/sys directory fd, for two system calls
 * instead of five (measured: that variant cost 1.5x a bare open/read/close,
 * this one 1.0x).  A walk (list.c) does open each directory and file beneath
 * its parent with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV), starting from /proc/sys checked
 * to be procfs, so it never enters a mount.  Kernels before 5.6 (or seccomp
 * profiles that hide openat2) get openat(2) with O_NOFOLLOW.
 *
 * Reading.  A sysctl read handler formats the whole value on every read(2)
 * at offset 0, but copies only what fits in the caller's buffer, and the
 * integer handlers return nothing at all for a read at a non-zero offset
 * (__do_proc_dointvec() in kernel/sysctl.c: "if (... (*ppos && !write))
 * return 0").  Reading a long vector in two pieces therefore silently loses
 * its tail.  So a read is always one pread(2) at offset 0; if it fills the
 * buffer, the buffer is doubled and the read starts over, up to
 * LINX_SYSCTL_READ_MAX.
 *
 * Writing.  A value is written with a single write(2) at offset 0.  With the
 * default kernel.sysctl_writes_strict=1 a second write at a non-zero offset
 * would be ignored by the integer handlers, so a short write is never
 * continued: it is reported (io.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysctl-internal.h"

/* Set once openat2 turned out to be unavailable; racing threads at worst
 * both try it once. */
static int openat2_missing;

/* Keep `fd` if it is on procfs: the fd, or (closing it) -errno, or
 * `foreign` when it is on another filesystem. */
static int keep_if_procfs(int fd, int foreign)
{
	struct statfs st;

	if (fstatfs(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (st.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return foreign;
	}
	return fd;
}

int sysctl_root_open(void)
{
	int fd = open(SYSCTL_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return keep_if_procfs(fd, -ENOTSUP);
}

static int openat2_guarded(int dirfd, const char *path, int flags,
			   uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = resolve,
	};
	int fd;

	if (!__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED)) {
		do
			fd = (int)syscall(SYS_openat2, dirfd, path, &how,
					  sizeof(how));
		while (fd < 0 && errno == EINTR);
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS)
			return -errno;
		__atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED);
	}
	/* Fallback: the key grammar rules out "..", and O_NOFOLLOW refuses a
	 * symlink in the last component. */
	fd = openat(dirfd, path, flags | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

int sysctl_open_beneath(int dirfd, const char *rel, int flags)
{
	return openat2_guarded(dirfd, rel, flags,
			       RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
				       RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
}

/* Why is `path` not usable?  -ENOENT/-ENOTSUP when /proc/sys itself is
 * missing or not procfs, else `e`. */
static int diagnose(int e)
{
	int root = sysctl_root_open();

	if (root < 0)
		return root;
	close(root);
	return e;
}

int sysctl_open_key(const char *path, int flags)
{
	int fd;

	fd = openat2_guarded(AT_FDCWD, path, flags,
			     RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		return fd == -ENOENT ? diagnose(fd) : fd;
	fd = keep_if_procfs(fd, -EXDEV);
	return fd == -EXDEV ? diagnose(fd) : fd;
}

size_t sysctl_trim(char *s, size_t len)
{
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' ||
		       s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\v' || s[len - 1] == '\f'))
		len--;
	s[len] = '\0';
	return len;
}

int sysctl_read_fd(int fd, char **ret, size_t *ret_len)
{
	/* Most values are a few bytes: read them on the stack and copy. */
	char stack[4096], *buf = stack, *out;
	size_t cap = sizeof(stack), len;
	ssize_t n;

	for (;;) {
		n = pread(fd, buf, cap, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			if (buf != stack)
				free(buf);
			return -e;
		}
		if ((size_t)n < cap)
			break;
		if (cap >= LINX_SYSCTL_READ_MAX) {
			if (buf != stack)
				free(buf);
			return -EFBIG;
		}
		cap *= 2;
		if (buf != stack)
			free(buf);
		buf = malloc(cap);
		if (!buf)
			return -ENOMEM;
	}
	len = sysctl_trim(buf, (size_t)n);
	if (buf == stack) {
		out = malloc(len + 1);
		if (!out)
			return -ENOMEM;
		memcpy(out, buf, len + 1);
	} else {
		out = realloc(buf, len + 1);
		if (!out)
			out = buf;
	}
	*ret = out;
	*ret_len = len;
	return 0;
}

long sysctl_write_fd(int fd, const char *data, size_t len)
{
	ssize_t n;

	do
		n = write(fd, data, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

bool linx_sysctl_supported(void)
{
	/* kernel.ostype predates namespaces and every config option. */
	int fd = sysctl_open_key(SYSCTL_ROOT "/kernel/ostype", O_RDONLY);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
