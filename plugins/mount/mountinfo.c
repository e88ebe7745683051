/* SPDX-License-Identifier: MIT */
/*
 * /proc/<pid>/mountinfo as data (proc_pid_mountinfo(5)):
 *
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *   (1)(2)(3)  (4)   (5)   (6)        (7)...  (8)(9)  (10)      (11)
 *
 * The kernel escapes space, tab, newline and backslash in paths as \ooo.
 * Anything that does not have this shape is skipped: the parser is fed
 * whatever a file holds and must never fail on it (it is fuzzed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mount-internal.h"

/* Largest mountinfo read: far beyond a real table (each line is ~100
 * bytes; a million mounts). */
#define MOUNTINFO_MAX (256u << 20)

#define MAX_FIELDS 64

/* Split `line` (modified in place) at spaces; returns the field count or
 * -1 if there are too many. */
static int split(char *line, char **f)
{
	int n = 0;

	for (char *p = line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == MAX_FIELDS)
			return -1;
		f[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

/* Decode \ooo escapes into a new string. */
static char *unescape(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static bool parse_u32(const char *s, uint32_t *ret)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*ret = (uint32_t)v;
	return true;
}

static bool parse_device(const char *s, uint32_t *maj, uint32_t *min)
{
	char buf[32];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (!colon || n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_u32(buf, maj) && parse_u32(colon + 1, min);
}

/* One optional field ("shared:1"); unknown tags are ignored. */
static void parse_optional(const char *f, struct linx_mount_entry *e)
{
	static const struct {
		const char *tag;
		uint32_t kind;
	} tags[] = {
		{ "shared:", LINX_MOUNT_SHARED },
		{ "master:", LINX_MOUNT_MASTER },
		{ "propagate_from:", LINX_MOUNT_PROPAGATE_FROM },
	};
	uint32_t group;

	if (e->n_propagation >= LINX_MOUNT_PROPAGATION_MAX)
		return;
	if (strcmp(f, "unbindable") == 0) {
		e->propagation[e->n_propagation].kind = LINX_MOUNT_UNBINDABLE;
		e->propagation[e->n_propagation++].group = 0;
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(tags); i++) {
		size_t n = strlen(tags[i].tag);

		if (strncmp(f, tags[i].tag, n) == 0 &&
		    parse_u32(f + n, &group)) {
			e->propagation[e->n_propagation].kind = tags[i].kind;
			e->propagation[e->n_propagation++].group = group;
			return;
		}
	}
}

static void entry_clear(struct linx_mount_entry *e)
{
	free(e->root);
	free(e->mount_point);
	free(e->mount_options);
	free(e->fstype);
	free(e->source);
	free(e->super_options);
	memset(e, 0, sizeof(*e));
}

/* One line into *e: 1 parsed, 0 skipped, -ENOMEM. */
static int parse_line(char *line, struct linx_mount_entry *e)
{
	char *f[MAX_FIELDS];
	int n = split(line, f), sep = -1;

	memset(e, 0, sizeof(*e));
	if (n < 9)
		return 0;
	for (int i = 6; i < n; i++)
		if (strcmp(f[i], "-") == 0) {
			sep = i;
			break;
		}
	/* fstype and source follow the separator; super options may be
	 * absent on odd filesystems. */
	if (sep < 0 || n - sep < 3)
		return 0;
	if (!parse_u32(f[0], &e->mount_id) || !parse_u32(f[1], &e->parent_id) ||
	    !parse_device(f[2], &e->major, &e->minor))
		return 0;
	for (int i = 6; i < sep; i++)
		parse_optional(f[i], e);
	e->root = unescape(f[3]);
	e->mount_point = unescape(f[4]);
	e->mount_options = strdup(f[5]);
	e->fstype = strdup(f[sep + 1]);
	e->source = unescape(f[sep + 2]);
	e->super_options = strdup(n > sep + 3 ? f[sep + 3] : "");
	if (!e->root || !e->mount_point || !e->mount_options || !e->fstype ||
	    !e->source || !e->super_options) {
		entry_clear(e);
		return -ENOMEM;
	}
	return 1;
}

void linx_mount_entries_free(struct linx_mount_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++)
		entry_clear(&e[i]);
	free(e);
}

int linx_mount_parse(const char *text, size_t len,
		     struct linx_mount_entry **ret, size_t *ret_n,
		     struct linx_error *err)
{
	struct linx_mount_entry *v = NULL;
	size_t n = 0, cap = 0, pos = 0;
	char *line = NULL;
	size_t line_cap = 0;
	int r = 0;

	while (pos < len && r >= 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t l = (nl ? (size_t)(nl - text) : len) - pos;

		if (l + 1 > line_cap) {
			char *nb = realloc(line, l + 1);

			if (!nb) {
				r = -ENOMEM;
				break;
			}
			line = nb;
			line_cap = l + 1;
		}
		memcpy(line, text + pos, l);
		line[l] = '\0';
		pos += l + 1;
		/* A NUL inside a line makes it end early: the rest of that
		 * line is garbage and the shortened line is judged as is. */
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			struct linx_mount_entry *nv =
				realloc(v, nc * sizeof(*v));

			if (!nv) {
				r = -ENOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		r = parse_line(line, &v[n]);
		if (r == 1)
			n++;
	}
	free(line);
	if (r < 0) {
		linx_mount_entries_free(v, n);
		return linx_error_set(err, ENOMEM, "read", NULL);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The whole file: procfs files have no size, so read until EOF. */
static int slurp(const char *path, char **ret, size_t *ret_len,
		 struct linx_error *err)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), r = 0;

	if (fd < 0 || !buf) {
		r = fd < 0 ? errno : ENOMEM;
		free(buf);
		if (fd >= 0)
			close(fd);
		return linx_error_set_object(err, r, "read", path, "%s: %s",
					     path, linx_strerror(r));
	}
	for (;;) {
		ssize_t got;

		if (len == cap) {
			char *nb = cap < MOUNTINFO_MAX ? realloc(buf, cap * 2)
						       : NULL;

			if (!nb) {
				r = cap < MOUNTINFO_MAX ? ENOMEM : EFBIG;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = errno;
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (r) {
		free(buf);
		return linx_error_set_object(err, r, "read", path, "%s: %s",
					     path, linx_strerror(r));
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

int linx_mount_list(pid_t pid, const char *path,
		    struct linx_mount_entry **ret, size_t *n,
		    struct linx_error *err)
{
	char own[64], *text = NULL;
	size_t len = 0;
	int r;

	if (pid < 0)
		return linx_error_param(err, "validate", "pid",
					"a pid is positive (0: the caller)");
	if (path && (r = mount_check_path(path, "path", false, err)) < 0)
		return r;
	if (!path) {
		if (pid)
			snprintf(own, sizeof(own), "/proc/%d/mountinfo",
				 (int)pid);
		else
			snprintf(own, sizeof(own), "/proc/self/mountinfo");
		path = own;
	}
	if ((r = slurp(path, &text, &len, err)) < 0)
		return r;
	r = linx_mount_parse(text, len, ret, n, err);
	free(text);
	return r;
}

/* Paths are bytes to the kernel: a string when they are UTF-8. */
static void put_text(struct linx_value *m, const char *key, const char *s)
{
	size_t len = strlen(s);

	if (linx_utf8_valid(s, len))
		linx_map_put_string(m, key, s, len);
	else
		linx_map_put_bytes(m, key, s, len);
}

int linx_mount_entry_value(const struct linx_mount_entry *e,
			   struct linx_value *ret)
{
	static const char *const kinds[] = {
		[LINX_MOUNT_SHARED] = "shared",
		[LINX_MOUNT_MASTER] = "master",
		[LINX_MOUNT_PROPAGATE_FROM] = "propagate_from",
	};
	struct linx_value prop = linx_value_list();
	char dev[32];

	snprintf(dev, sizeof(dev), "%u:%u", e->major, e->minor);
	for (uint32_t i = 0; i < e->n_propagation; i++) {
		uint32_t k = e->propagation[i].kind;

		if (k == LINX_MOUNT_UNBINDABLE) {
			linx_list_push_cstring(&prop, "unbindable");
		} else if (k < ARRAY_SIZE(kinds) && kinds[k]) {
			struct linx_value m = linx_value_map();

			linx_map_put_uint(&m, kinds[k], e->propagation[i].group);
			linx_list_push(&prop, &m);
		}
	}
	*ret = linx_value_map();
	linx_map_put_uint(ret, "mount_id", e->mount_id);
	linx_map_put_uint(ret, "parent_id", e->parent_id);
	linx_map_put_cstring(ret, "device", dev);
	put_text(ret, "root", e->root);
	put_text(ret, "mount_point", e->mount_point);
	put_text(ret, "mount_options", e->mount_options);
	linx_map_put(ret, "propagation", &prop);
	put_text(ret, "fstype", e->fstype);
	put_text(ret, "source", e->source);
	put_text(ret, "super_options", e->super_options);
	return linx_value_status(ret);
}
