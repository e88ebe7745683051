/* SPDX-License-Identifier: MIT */
/*
 * The uid/gid map files: validation, writing, reading.  The rules come
 * from user_namespaces(7), "User and group ID mappings: uid_map and
 * gid_map".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* First: in a module build it routes core calls through the host table. */
#include <linx/plugin.h>
#include <linx/user.h>

static bool overlaps(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

int linx_user_map_validate(const struct linx_user_map *maps, size_t n,
			   const char *param, struct linx_error *err)
{
	if (!param)
		param = "maps";
	if (!maps || n == 0)
		return linx_error_param(err, "bad_map", param,
					"%s map is empty: give at least one "
					"{inside, outside, length} entry",
					param);
	if (n > LINX_USER_MAP_MAX)
		return linx_error_param(err, "bad_map", param,
					"%s map has %zu entries: too_many (the "
					"kernel takes at most %d)",
					param, n, LINX_USER_MAP_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct linx_user_map *m = &maps[i];

		/* Ids are 32-bit and (uid_t)-1 is never a valid id. */
		if (m->length == 0 ||
		    (uint64_t)m->inside + m->length > UINT32_MAX ||
		    (uint64_t)m->outside + m->length > UINT32_MAX)
			return linx_error_param(
				err, "bad_map", param,
				"%s map entry %zu {%u, %u, %u} is a bad_entry: "
				"the length must be >= 1 and both ranges must "
				"end below 4294967295",
				param, i, m->inside, m->outside, m->length);
		for (size_t j = 0; j < i; j++) {
			const struct linx_user_map *o = &maps[j];

			if (overlaps(m->inside, m->length, o->inside,
				     o->length) ||
			    overlaps(m->outside, m->length, o->outside,
				     o->length))
				return linx_error_param(
					err, "bad_map", param,
					"%s map entries %zu and %zu overlap",
					param, j, i);
		}
	}
	return 0;
}

static int proc_path(char *buf, size_t cap, pid_t pid, const char *file)
{
	if (pid == 0)
		return snprintf(buf, cap, "/proc/self/%s", file);
	return snprintf(buf, cap, "/proc/%d/%s", (int)pid, file);
}

static int write_file(pid_t pid, const char *file, const char *op,
		      const char *text, size_t len, struct linx_error *err)
{
	char path[64];
	ssize_t n;
	int fd, e;

	if (pid < 0)
		return linx_error_param(err, op, "pid", "pid must be positive");
	proc_path(path, sizeof(path), pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		linx_error_set(err, e, op, "open %s: %s", path, linx_strerror(e));
		return linx_error_object(err, path);
	}
	/* The kernel takes a map in a single write(2) only. */
	n = write(fd, text, len);
	e = n < 0 ? errno : (size_t)n != len ? EIO : 0;
	close(fd);
	if (e) {
		linx_error_set(err, e, op, "write %s: %s", path,
			       linx_strerror(e));
		return linx_error_object(err, path);
	}
	return 0;
}

static int set_map(pid_t pid, const char *file, const char *op,
		   const char *param, const struct linx_user_map *maps,
		   size_t n, struct linx_error *err)
{
	/* 3 x 10 digits + 2 spaces + newline per line. */
	char *text;
	size_t len = 0;
	int r;

	r = linx_user_map_validate(maps, n, param, err);
	if (r < 0)
		return r;
	text = malloc(n * 34 + 1);
	if (!text)
		return linx_error_set(err, ENOMEM, op, NULL);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "%u %u %u\n", maps[i].inside,
				       maps[i].outside, maps[i].length);
	r = write_file(pid, file, op, text, len, err);
	free(text);
	return r;
}

int linx_user_set_uid_map(pid_t pid, const struct linx_user_map *maps,
			  size_t n, struct linx_error *err)
{
	return set_map(pid, "uid_map", "set_uid_map", "uid", maps, n, err);
}

int linx_user_set_gid_map(pid_t pid, const struct linx_user_map *maps,
			  size_t n, struct linx_error *err)
{
	return set_map(pid, "gid_map", "set_gid_map", "gid", maps, n, err);
}

int linx_user_deny_setgroups(pid_t pid, struct linx_error *err)
{
	return write_file(pid, "setgroups", "deny_setgroups", "deny", 4, err);
}

int linx_user_setup_maps(pid_t pid, const struct linx_user_map *uid,
			 size_t n_uid, const struct linx_user_map *gid,
			 size_t n_gid, enum linx_user_setgroups setgroups,
			 struct linx_error *err)
{
	int r;

	if (setgroups != LINX_USER_SETGROUPS_DENY &&
	    setgroups != LINX_USER_SETGROUPS_SKIP)
		return linx_error_param(err, "bad_setgroups", "setgroups",
					"setgroups must be deny or skip");
	r = linx_user_map_validate(uid, n_uid, "uid", err);
	if (r >= 0)
		r = linx_user_map_validate(gid, n_gid, "gid", err);
	if (r >= 0 && setgroups == LINX_USER_SETGROUPS_DENY)
		r = linx_user_deny_setgroups(pid, err);
	if (r >= 0)
		r = linx_user_set_uid_map(pid, uid, n_uid, err);
	if (r >= 0)
		r = linx_user_set_gid_map(pid, gid, n_gid, err);
	return r;
}

static int read_map(pid_t pid, const char *file, const char *op,
		    struct linx_user_map **ret, size_t *ret_n,
		    struct linx_error *err)
{
	struct linx_user_map *maps = NULL;
	size_t n = 0, cap = 0;
	char path[64], line[128];
	FILE *f;

	if (!ret || !ret_n)
		return linx_error_param(err, op, "ret", "no output");
	if (pid < 0)
		return linx_error_param(err, op, "pid", "pid must be positive");
	proc_path(path, sizeof(path), pid, file);
	f = fopen(path, "re");
	if (!f) {
		int e = errno;

		linx_error_set(err, e, op, "open %s: %s", path, linx_strerror(e));
		return linx_error_object(err, path);
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long in, out, len;
		char extra;

		/* Forward-compatible: skip what is not three numbers. */
		if (sscanf(line, "%llu %llu %llu %c", &in, &out, &len, &extra) != 3 ||
		    in > UINT32_MAX || out > UINT32_MAX || len > UINT32_MAX ||
		    len == 0)
			continue;
		if (n == cap) {
			struct linx_user_map *nm;

			cap = cap ? cap * 2 : 8;
			nm = realloc(maps, cap * sizeof(*maps));
			if (!nm) {
				free(maps);
				fclose(f);
				return linx_error_set(err, ENOMEM, op, NULL);
			}
			maps = nm;
		}
		maps[n++] = (struct linx_user_map){ (uint32_t)in, (uint32_t)out,
						    (uint32_t)len };
	}
	fclose(f);
	*ret = maps;
	*ret_n = n;
	return 0;
}

int linx_user_read_uid_map(pid_t pid, struct linx_user_map **ret,
			   size_t *ret_n, struct linx_error *err)
{
	return read_map(pid, "uid_map", "read_uid_map", ret, ret_n, err);
}

int linx_user_read_gid_map(pid_t pid, struct linx_user_map **ret,
			   size_t *ret_n, struct linx_error *err)
{
	return read_map(pid, "gid_map", "read_gid_map", ret, ret_n, err);
}

bool linx_user_supported(void)
{
	return access("/proc/self/uid_map", F_OK) == 0;
}
