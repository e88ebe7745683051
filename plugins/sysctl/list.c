/* SPDX-License-Identifier: MIT */
/*
 * Listing: walk /proc/sys, or a subtree of it, and read every knob.
 *
 * The walk opens each directory and file beneath its parent with the same
 * guards as a single read (procfs.c: no symlinks, no mount crossing), so it
 * never leaves the sysctl tree.  Knobs that cannot be read are skipped: the
 * result is what the caller can see, not everything that exists.  Write-only
 * knobs (vm.drop_caches, net.ipv4.route.flush) refuse the open with EACCES,
 * net.ipv6.conf.*.stable_secret reads as EIO until set, the BPF hardening
 * knobs answer EPERM without CAP_SYS_ADMIN, and an interface's directory can
 * vanish mid-walk (ENOENT).  Running out of memory or descriptors, or a
 * value beyond LINX_SYSCTL_READ_MAX, ends the walk with an error instead.
 *
 * Across namespaces the walk runs where linx_ns_run() puts it, and its
 * (relative path, value) pairs travel back as one value (the forked helper
 * cannot hand back pointers).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysctl-internal.h"

/* The sysctl tree is about six levels deep (net.ipv4.neigh.default.*);
 * anything deeper than this is not a sysctl tree. */
#define WALK_MAX_DEPTH 32

struct walk {
	struct linx_sysctl_entry *v;
	size_t n, cap;
	/* Relative path of the node being visited. */
	char rel[PATH_MAX];
	size_t rel_len;
};

static bool skippable(int e)
{
	switch (e) {
	case EACCES:
	case EPERM:
	case EIO:
	case ENOENT:
	case ENOTDIR:
	case EISDIR:
	case EINVAL:
	case ENODEV:
	case ENXIO:
	case EOPNOTSUPP:
	case EXDEV: /* a mount point below /proc/sys */
	case ELOOP: /* a symlink */
		return true;
	default:
		return false;
	}
}

static void walk_free(struct walk *w)
{
	linx_sysctl_list_free(w->v, w->n);
	w->v = NULL;
	w->n = w->cap = 0;
}

/* Add an entry for `rel` (relative path) with `len` bytes of value.  The
 * entry's three strings share one allocation, headed by the key. */
static int add_entry(struct walk *w, const char *rel, size_t rel_len,
		     const char *value, size_t len)
{
	static const char root[] = SYSCTL_ROOT "/";
	struct linx_sysctl_entry *e;
	char *block;

	if (w->n == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 256;
		struct linx_sysctl_entry *nv =
			realloc(w->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		w->v = nv;
		w->cap = ncap;
	}
	block = malloc((rel_len + 1) + (sizeof(root) - 1 + rel_len + 1) +
		       (len + 1));
	if (!block)
		return -ENOMEM;
	e = &w->v[w->n++];
	e->key = block;
	for (size_t i = 0; i < rel_len; i++)
		e->key[i] = rel[i] == '/' ? '.' : rel[i];
	e->key[rel_len] = '\0';
	e->path = e->key + rel_len + 1;
	memcpy(e->path, root, sizeof(root) - 1);
	memcpy(e->path + sizeof(root) - 1, rel, rel_len);
	e->path[sizeof(root) - 1 + rel_len] = '\0';
	e->value = e->path + sizeof(root) + rel_len;
	memcpy(e->value, value, len);
	e->value[len] = '\0';
	e->value_len = len;
	return 0;
}

/* Read the knob open at `fd` (taken) and record it under w->rel. */
static int take_file(struct walk *w, int fd)
{
	char *value;
	size_t len;
	int r;

	r = sysctl_read_fd(fd, &value, &len);
	close(fd);
	if (r < 0)
		return skippable(-r) ? 0 : r;
	r = add_entry(w, w->rel, w->rel_len, value, len);
	free(value);
	return r;
}

/* Visit the directory open at `dfd` (taken), whose path is w->rel. */
static int walk_dir(struct walk *w, int dfd, unsigned depth)
{
	size_t base = w->rel_len;
	struct dirent *de;
	DIR *d;
	int r = 0;

	d = fdopendir(dfd);
	if (!d) {
		r = -errno;
		close(dfd);
		return skippable(-r) ? 0 : r;
	}
	for (;;) {
		unsigned char type;
		size_t at = base, nl;
		int fd;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno && !skippable(errno))
				r = -errno;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		nl = strlen(de->d_name);
		if (base + 1 + nl >= sizeof(w->rel))
			continue;
		if (base)
			w->rel[at++] = '/';
		memcpy(w->rel + at, de->d_name, nl + 1);
		w->rel_len = at + nl;
		type = de->d_type;
		if (type == DT_UNKNOWN) {
			struct stat st;

			if (fstatat(dirfd(d), de->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) == 0)
				type = S_ISDIR(st.st_mode)   ? DT_DIR
				       : S_ISREG(st.st_mode) ? DT_REG
							     : DT_UNKNOWN;
		}
		if (type == DT_DIR && depth < WALK_MAX_DEPTH) {
			fd = sysctl_open_beneath(dirfd(d), de->d_name,
						 O_RDONLY | O_DIRECTORY);
			if (fd >= 0)
				r = walk_dir(w, fd, depth + 1);
			else if (!skippable(-fd))
				r = fd;
		} else if (type == DT_REG) {
			fd = sysctl_open_beneath(dirfd(d), de->d_name,
						 O_RDONLY);
			if (fd >= 0)
				r = take_file(w, fd);
			else if (!skippable(-fd))
				r = fd;
		}
		if (r < 0)
			break; /* w->rel names the node that failed */
		w->rel_len = base;
		w->rel[base] = '\0';
	}
	closedir(d);
	return r;
}

static int list_failed(const struct sysctl_key *k, const struct walk *w,
		       int e, struct linx_error *err)
{
	if (e == EFBIG)
		return sysctl_fail(err, e, "list", k->path,
				   "sysctl %s: %s is larger than %u bytes",
				   k->key, w->rel, LINX_SYSCTL_READ_MAX);
	return sysctl_fail(err, e, "list", k->path,
			   "sysctl %s: the walk failed at %s: %s", k->key,
			   w->rel[0] ? w->rel : SYSCTL_ROOT, linx_strerror(e));
}

/* Walk in the current namespaces.  `k->rel` empty means the whole tree. */
static int list_here(const struct sysctl_key *k, struct walk *w,
		     struct linx_error *err)
{
	struct stat st;
	int root, fd, r;

	root = sysctl_root_open();
	if (root < 0)
		return sysctl_fail(err, -root, "list", SYSCTL_ROOT,
				   "sysctl %s: cannot open " SYSCTL_ROOT
				   ": %s",
				   k->key, linx_strerror(-root));
	fd = sysctl_open_beneath(root, k->rel[0] ? k->rel : ".", O_RDONLY);
	close(root);
	if (fd < 0) {
		if (fd == -ENOENT || fd == -ENOTDIR)
			return sysctl_fail(err, ENOENT, "list", k->path,
					   "sysctl %s: no such key or subtree",
					   k->key);
		return sysctl_fail(err, -fd, "list", k->path,
				   "sysctl %s: cannot open: %s", k->key,
				   linx_strerror(-fd));
	}
	strcpy(w->rel, k->rel);
	w->rel_len = strlen(k->rel);
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
	} else if (S_ISDIR(st.st_mode)) {
		r = walk_dir(w, fd, 0);
	} else {
		/* A leaf: its own read error is the answer. */
		char *value;
		size_t len;

		r = sysctl_read_fd(fd, &value, &len);
		close(fd);
		if (r >= 0) {
			r = add_entry(w, w->rel, w->rel_len, value, len);
			free(value);
		}
	}
	if (r < 0) {
		walk_free(w);
		return list_failed(k, w, -r, err);
	}
	return 0;
}

struct list_job {
	const struct sysctl_key *k;
};

/* In the target's namespaces: walk, then flatten to
 * [rel0, value0, rel1, value1, ...], all bytes (names need not be UTF-8). */
static int list_in_ns(void *arg, struct linx_value *ret,
		      struct linx_error *err)
{
	struct list_job *job = arg;
	struct walk w = { 0 };
	int r;

	r = list_here(job->k, &w, err);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	linx_value_reserve(ret, 2 * w.n);
	for (size_t i = 0; i < w.n && r >= 0; i++) {
		struct linx_value rel, value;
		const char *p = w.v[i].path + sizeof(SYSCTL_ROOT);

		r = linx_value_bytes(&rel, p, strlen(p));
		if (r >= 0)
			r = linx_list_push(ret, &rel);
		if (r >= 0)
			r = linx_value_bytes(&value, w.v[i].value,
					     w.v[i].value_len);
		if (r >= 0)
			r = linx_list_push(ret, &value);
	}
	walk_free(&w);
	if (r >= 0)
		r = linx_value_status(ret);
	if (r < 0)
		return sysctl_fail(err, -r, "list", job->k->path,
				   "sysctl %s: cannot hold the listing: %s",
				   job->k->key, linx_strerror(-r));
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct linx_sysctl_entry *)a)->key,
		      ((const struct linx_sysctl_entry *)b)->key);
}

int linx_sysctl_list(const char *prefix, const struct linx_ns_target *in,
		     struct linx_sysctl_entry **ret_entries, size_t *ret_count,
		     struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_key k;
	struct walk w = { 0 };
	int r;

	if (!err)
		err = &local;
	if (prefix) {
		r = sysctl_key_init(&k, prefix, "prefix", err);
		if (r < 0)
			return r;
	} else {
		k.key = "(all)";
		k.rel[0] = '\0';
		memcpy(k.path, SYSCTL_ROOT, sizeof(SYSCTL_ROOT));
	}
	r = sysctl_target_check(in, err);
	if (r < 0)
		return r;
	if (!ret_entries || !ret_count)
		return linx_error_param(err, "validate", "ret",
					"sysctl list: no place for the result");
	if (sysctl_target_is_self(in)) {
		r = list_here(&k, &w, err);
		if (r < 0)
			return r;
	} else {
		struct list_job job = { .k = &k };
		struct linx_value v = linx_value_nil();

		r = sysctl_run(&k, in, sysctl_prefix_namespaces(prefix),
			       list_in_ns, &job, &v, err);
		if (r < 0)
			return r;
		if (v.type != LINX_LIST || v.len % 2)
			r = -EPROTO;
		for (uint32_t i = 0; r >= 0 && i < v.len; i += 2) {
			const struct linx_value *rel = &v.items[i];
			const struct linx_value *val = &v.items[i + 1];

			if (rel->type != LINX_BYTES || val->type != LINX_BYTES)
				r = -EPROTO;
			else
				r = add_entry(&w, (const char *)rel->bytes,
					      rel->len,
					      (const char *)val->bytes,
					      val->len);
		}
		linx_value_clear(&v);
		if (r < 0) {
			walk_free(&w);
			return sysctl_fail(err, -r, "list", k.path,
					   "sysctl %s: %s", k.key,
					   linx_strerror(-r));
		}
	}
	if (w.n)
		qsort(w.v, w.n, sizeof(*w.v), by_key);
	*ret_entries = w.v;
	*ret_count = w.n;
	return 0;
}

void linx_sysctl_list_free(struct linx_sysctl_entry *entries, size_t count)
{
	if (!entries)
		return;
	for (size_t i = 0; i < count; i++)
		free(entries[i].key); /* the block with path and value */
	free(entries);
}
