/* SPDX-License-Identifier: MIT */
/*
 * Opening a plugin file: one open(), every check on that descriptor (a
 * regular file, out of reach of other users, a sound ELF object), and a
 * name under which dlopen() loads exactly that descriptor.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "registry-internal.h"

#if __SIZEOF_POINTER__ == 8
#define LINX_ELF_CLASS ELFCLASS64
#else
#define LINX_ELF_CLASS ELFCLASS32
#endif

/*
 * The checks dlopen() does not make.  glibc maps each PT_LOAD segment from
 * the file as its program header says (elf(5)); a segment that ends past
 * the end of a truncated file is mapped anyway and the first touch of it
 * raises SIGBUS in the loading process.  So the headers are read from the
 * open descriptor and every segment must lie inside the file.
 */
static int check_elf(int fd, const struct stat *st, const char *path,
		     struct linx_error *err)
{
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph;
	uint64_t size = (uint64_t)st->st_size, end;

	if (size < sizeof(eh) || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return linx__refuse(err, ENOEXEC, path,
			      "not an ELF object (%llu bytes)",
			      (unsigned long long)size);
	if (eh.e_ident[EI_CLASS] != LINX_ELF_CLASS ||
	    eh.e_phentsize != sizeof(ph) || eh.e_phnum == 0 ||
	    eh.e_phnum == PN_XNUM)
		return linx__refuse(err, ENOEXEC, path,
			      "malformed ELF: wrong class or program header "
			      "table for this host");
	end = (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(ph);
	if (eh.e_phoff > size || end > size)
		return linx__refuse(err, ENOEXEC, path,
			      "truncated ELF: program headers end at %llu, "
			      "past the file's %llu bytes",
			      (unsigned long long)end, (unsigned long long)size);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph))) !=
		    sizeof(ph))
			return linx__refuse(err, ENOEXEC, path,
				      "truncated ELF: cannot read program "
				      "header %u", i);
		if (ph.p_type != PT_LOAD)
			continue;
		end = (uint64_t)ph.p_offset + (uint64_t)ph.p_filesz;
		if (end < ph.p_offset || end > size)
			return linx__refuse(err, ENOEXEC, path,
				      "truncated ELF: segment %u ends at %llu, "
				      "past the file's %llu bytes",
				      i, (unsigned long long)end,
				      (unsigned long long)size);
	}
	return 0;
}

/* ---- provenance ------------------------------------------------------------
 *
 * A plugin runs with all of the loading process's privileges, so the file
 * and every directory above it must be out of reach of anyone the process
 * does not already trust (docs/core/plugins.md, "Who may provide a
 * plugin").  Trusted owners: root, the effective uid, and - only while
 * this liblinx runs from its own build tree - the owner of the library
 * file itself (whoever can rewrite liblinx.so already runs code here).
 * Neither the file nor a directory may be writable by group or others; a
 * directory may be if its sticky bit is set (then only an entry's owner,
 * checked too, can rename or remove it: unlink(2), EPERM).
 */

static bool trusted_owner(uid_t uid)
{
	if (uid == 0 || uid == geteuid())
		return true;
#ifdef LINX_BUILD_CORE_DIR
	if (linx__in_build_tree()) {
		Dl_info info;
		struct stat st;

		if (dladdr((void *)linx_version, &info) && info.dli_fname &&
		    stat(info.dli_fname, &st) == 0 && st.st_uid == uid)
			return true;
	}
#endif
	return false;
}

static int check_owner_mode(const struct stat *st, const char *what,
			    const char *path, struct linx_error *err)
{
	mode_t others = st->st_mode & (S_IWGRP | S_IWOTH);

	if (!trusted_owner(st->st_uid))
		return linx__refuse(err, EPERM, path,
			      "%s is owned by uid %u, neither root nor the "
			      "effective uid %u (set %s=1 to load it anyway)",
			      what, (unsigned)st->st_uid, (unsigned)geteuid(),
			      LINX_PLUGIN_UNCHECKED_ENV);
	if (others && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return linx__refuse(err, EPERM, path,
			      "%s is writable by %s (mode %04o) (set %s=1 to "
			      "load it anyway)",
			      what,
			      others == S_IWOTH   ? "others"
			      : others == S_IWGRP ? "its group"
						  : "its group and others",
			      (unsigned)(st->st_mode & 07777),
			      LINX_PLUGIN_UNCHECKED_ENV);
	return 0;
}

/*
 * Check the opened file and, walking down from "/" without following
 * symlinks, every directory of the path the file really has now
 * (/proc/self/fd/N); then that the walk arrives at the very file opened.
 */
static int check_provenance(int fd, const struct stat *st, const char *path,
			    struct linx_error *err)
{
	char link[64], real[PATH_MAX], *at, *slash;
	struct stat dst;
	ssize_t n;
	int r = check_owner_mode(st, "the file", path, err);
	_cleanup_close_ int dir = -1;

	if (r < 0)
		return r;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, real, sizeof(real) - 1);
	if (n <= 0 || (size_t)n >= sizeof(real) - 1 || real[0] != '/')
		return linx__refuse(err, EPERM, path,
			      "cannot tell where the file lives (%s)",
			      n < 0 ? linx_strerror(errno) : "no path");
	real[n] = '\0';
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (at = real + 1;; at = slash + 1) {
		int next;

		if (dir < 0 || fstat(dir, &dst) < 0)
			return linx__refuse(err, EPERM, path, "cannot check %s: %s",
				      real, linx_strerror(errno));
		if (dst.st_uid != st->st_uid || (dst.st_mode & (S_IWGRP | S_IWOTH))) {
			char what[PATH_MAX + 16];

			snprintf(what, sizeof(what), "directory %.*s",
				 at - real > 1 ? (int)(at - real - 1) : 1, real);
			r = check_owner_mode(&dst, what, path, err);
			if (r < 0)
				return r;
		}
		slash = strchr(at, '/');
		if (!slash)
			break;
		*slash = '\0';
		next = openat(dir, at, O_PATH | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC);
		*slash = '/';
		close(dir);
		dir = next;
	}
	if (fstatat(dir, at, &dst, AT_SYMLINK_NOFOLLOW) < 0 ||
	    dst.st_dev != st->st_dev || dst.st_ino != st->st_ino)
		return linx__refuse(err, EPERM, path,
			      "the file was moved while it was checked");
	return 0;
}

/*
 * Open a plugin file for loading: a regular file (O_NONBLOCK, so a FIFO
 * planted on the path cannot block us), then checked on that descriptor.
 * Returns the fd, owned by the caller.
 */
static int open_plugin(const char *path, bool checked, struct linx_error *err)
{
	struct stat st;
	int r;
	_cleanup_close_ int fd =
		open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return linx__refuse(err, errno == ENOENT ? ENOEXEC : errno, path,
			      "open: %s", linx_strerror(errno));
	if (fstat(fd, &st) < 0)
		return linx__refuse(err, errno, path, "fstat: %s",
			      linx_strerror(errno));
	if (!S_ISREG(st.st_mode))
		return linx__refuse(err, ENOEXEC, path, "not a regular file");
	r = checked ? check_provenance(fd, &st, path, err) : 0;
	if (r < 0)
		return r;
	r = check_elf(fd, &st, path, err);
	if (r < 0)
		return r;
	return LINX_TAKE_FD(fd);
}

static int name_in_use(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	return info->dlpi_name && strcmp(info->dlpi_name, arg) == 0;
}

/*
 * The name to dlopen() the checked descriptor by: /proc/self/fd/N.  The
 * dynamic loader matches a name against the objects already loaded before
 * it opens anything (glibc's _dl_map_object), and plugins stay loaded
 * after their descriptor is closed, so "/proc/self/fd/5" may already name
 * an earlier plugin.  Then move the descriptor to a number whose name is
 * free.  Whoever held that number before us had finished its dlopen()
 * before closing it, so the check cannot race another registry.
 */
static int fd_load_name(int *fd, char *buf, size_t cap)
{
	for (;;) {
		int moved;

		snprintf(buf, cap, "/proc/self/fd/%d", *fd);
		if (!dl_iterate_phdr(name_in_use, buf))
			return 0;
		moved = fcntl(*fd, F_DUPFD_CLOEXEC, *fd + 1);
		if (moved < 0)
			return -errno;
		close(*fd);
		*fd = moved;
	}
}

int linx__plugin_open(const char *path, bool checked, char *ret_name,
		      size_t cap, struct linx_error *err)
{
	int r;
	_cleanup_close_ int fd = open_plugin(path, checked, err);

	if (fd < 0)
		return fd;
	r = fd_load_name(&fd, ret_name, cap);
	if (r < 0)
		return linx__refuse(err, -r, path,
				    "cannot name the descriptor: %s",
				    linx_strerror(-r));
	return LINX_TAKE_FD(fd);
}
