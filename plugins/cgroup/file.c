/* SPDX-License-Identifier: MIT */
/*
 * Interface files: reading one whole, writing one value.
 *
 * cgroupfs files are kernfs files: a read is generated on demand by the
 * kernel (seq_file), and a write is parsed as one unit per write(2) call,
 * so a value must go in a single write and is never split.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-internal.h"

int cg_read_at(int dfd, const char *file, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd;

	fd = openat(dfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		/* Keep one byte for the NUL; grow up to CG_READ_MAX. */
		if (len + 1 == cap) {
			char *nbuf;

			if (cap >= CG_READ_MAX) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			cap = cap * 2 > CG_READ_MAX ? CG_READ_MAX : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

/* A hint for the usual reason a knob is missing. */
static const char *missing_hint(const char *file)
{
	static const struct {
		const char *prefix;
		const char *hint;
	} hints[] = {
		{ "memory.", "; is the memory controller enabled in the "
			     "parent's cgroup.subtree_control?" },
		{ "pids.", "; is the pids controller enabled in the parent's "
			   "cgroup.subtree_control?" },
		{ "cpu.", "; is the cpu controller enabled in the parent's "
			  "cgroup.subtree_control?" },
		{ "cgroup.freeze", "; the root cgroup has none" },
	};

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strncmp(file, hints[i].prefix, strlen(hints[i].prefix)) ==
		    0)
			return hints[i].hint;
	return "";
}

int cg_write_at(int dfd, const char *path, const char *file,
		const char *value, size_t len, const char *op,
		struct linx_error *err)
{
	char object[PATH_MAX];
	ssize_t n;
	int fd, e;

	fd = openat(dfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		e = errno;
		cg_join(object, sizeof(object), path, file);
		if (e == ENOENT)
			return cg_fail(err, e, op, object,
				       "%s does not exist in %s%s", file, path,
				       missing_hint(file));
		return cg_fail(err, e, op, object, "cannot open %s: %s",
			       object, linx_strerror(e));
	}
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	e = errno;
	close(fd);
	if (n < 0) {
		cg_join(object, sizeof(object), path, file);
		return cg_fail(err, e, op, object,
			       "the kernel refused \"%.*s\": %s",
			       len > 64 ? 64 : (int)len, value,
			       linx_strerror(e));
	}
	if ((size_t)n != len) {
		cg_join(object, sizeof(object), path, file);
		return cg_fail(err, EIO, op, object,
			       "short write: %zd of %zu bytes", n, len);
	}
	return 0;
}

int cg_write_file(const char *path, const char *file, const char *value,
		  size_t len, const char *op, struct linx_error *err)
{
	int dfd, r;

	dfd = cg_dir_open(path, file, op, err);
	if (dfd < 0)
		return dfd;
	r = cg_write_at(dfd, path, file, value, len, op, err);
	close(dfd);
	return r;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' ||
	       c == '\f';
}

int linx_cgroup_read(const char *path, const char *file, char **ret_value,
		     size_t *ret_len, struct linx_error *err)
{
	char object[PATH_MAX];
	size_t len, start = 0;
	char *buf;
	int dfd, r;

	r = cg_file_check(file, err);
	if (r < 0)
		return r;
	if (!ret_value)
		return cg_refuse(err, "ret_value", NULL, "no output given");
	dfd = cg_dir_open(path, file, "read", err);
	if (dfd < 0)
		return dfd;
	r = cg_read_at(dfd, file, &buf, &len);
	close(dfd);
	if (r < 0) {
		cg_join(object, sizeof(object), path, file);
		if (r == -ENOENT)
			return cg_fail(err, -r, "read", object,
				       "%s does not exist in %s%s", file, path,
				       missing_hint(file));
		if (r == -EFBIG)
			return cg_fail(err, -r, "read", object,
				       "%s is %u bytes or larger", object,
				       (unsigned)CG_READ_MAX - 1);
		return cg_fail(err, -r, "read", object, "cannot read %s: %s",
			       object, linx_strerror(-r));
	}
	/* cgroupfs values end in a newline nobody wants; trim both ends as
	 * the spec's read/2 does. */
	while (len > 0 && is_space(buf[len - 1]))
		len--;
	while (start < len && is_space(buf[start]))
		start++;
	if (start > 0)
		memmove(buf, buf + start, len - start);
	len -= start;
	buf[len] = '\0';
	*ret_value = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int linx_cgroup_write(const char *path, const char *file, const char *value,
		      struct linx_error *err)
{
	int r;

	r = cg_file_check(file, err);
	if (r < 0)
		return r;
	if (!value)
		return cg_refuse(err, "value", NULL, "no value given");
	return cg_write_file(path, file, value, strlen(value), "write", err);
}
