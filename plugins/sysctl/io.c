/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing one sysctl, here or inside another process's
 * namespaces.
 *
 * For the caller's own namespaces the file is opened and read on the calling
 * thread.  For a target, linx_ns_run() (linx/ns.h) joins the one namespace
 * the key belongs to (scope.c) on a throwaway thread - or in a forked helper
 * for a user or pid namespace - and the I/O runs there; a read's bytes come
 * back as a value, since the helper's memory is not ours.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysctl-internal.h"

/* ---- namespace entry ----------------------------------------------------- */

/* Operations this plugin reports itself; anything else in err->op after a
 * failed run comes from the namespace entry. */
static bool own_op(const char *op)
{
	static const char *const ops[] = { "read",  "write",    "list",
					   "parse", "validate" };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i]) == 0)
			return true;
	return false;
}

int sysctl_run(const struct sysctl_key *k, const struct linx_ns_target *in,
	       uint32_t want, linx_ns_fn *fn, void *arg,
	       struct linx_value *ret, struct linx_error *err)
{
	struct linx_error local;
	int r;

	if (!err) /* the op is needed below */
		err = &local;
	if (in->kind == LINX_NS_TARGET_PATH && want == 0) {
		/* A global key reads the same in every namespace, so nothing
		 * is joined; the file must still be a namespace (the core
		 * refuses a path whose type is not wanted, hence ALL). */
		struct linx_ns_pin pin;

		r = linx_ns_pin(in, LINX_NS_ALL, &pin, err);
		if (r >= 0) {
			linx_ns_pin_close(&pin);
			if (ret)
				*ret = linx_value_nil();
			r = fn(arg, ret, err);
		}
	} else {
		r = linx_ns_run(in, want, 0, fn, arg, ret, err);
	}
	if (r < 0 && !own_op(err->op)) {
		/* Keep the stage and errno, point at the sysctl. */
		linx_error_object(err, k->path);
		linx_error_prefix(err, "sysctl %s", k->key);
	}
	return r;
}

/* ---- failures ------------------------------------------------------------- */

/* Explain an errno from opening, reading or writing the key's file. */
static int open_failed(const struct sysctl_key *k, const char *op, int e,
		       struct linx_error *err)
{
	switch (e) {
	case ENOENT:
		return sysctl_fail(err, e, op, k->path,
				   "sysctl %s: no such key", k->key);
	case ENOTDIR:
		return sysctl_fail(err, ENOENT, op, k->path,
				   "sysctl %s: no such key (a leading part "
				   "of it is a knob, not a directory)",
				   k->key);
	case EACCES:
	case EPERM:
		return sysctl_fail(err, e, op, k->path,
				   "sysctl %s: permission denied for %s", k->key,
				   op);
	case EXDEV:
		return sysctl_fail(err, e, op, k->path,
				   "sysctl %s: not a kernel knob (another "
				   "filesystem is mounted below " SYSCTL_ROOT
				   ")",
				   k->key);
	case EISDIR:
		return sysctl_fail(err, e, op, k->path,
				   "sysctl %s is a directory of knobs, not a "
				   "knob (list it instead)",
				   k->key);
	case EIO:
		return sysctl_fail(err, e, op, k->path,
				   "sysctl %s: the kernel gives no value for "
				   "%s (%s)",
				   k->key, op, linx_strerror(e));
	default:
		return sysctl_fail(err, e, op, k->path, "sysctl %s: %s: %s",
				   k->key, op, linx_strerror(e));
	}
}

static int root_failed(const struct sysctl_key *k, const char *op, int e,
		       struct linx_error *err)
{
	if (e == ENOTSUP)
		return sysctl_fail(err, e, op, SYSCTL_ROOT,
				   "sysctl %s: " SYSCTL_ROOT " is not procfs",
				   k->key);
	return sysctl_fail(err, e, op, SYSCTL_ROOT,
			   "sysctl %s: cannot open " SYSCTL_ROOT
			   " (is procfs mounted on /proc?): %s",
			   k->key, linx_strerror(e));
}

/* Open the key's file with `flags`, or fail with op `op`. */
static int open_key(const struct sysctl_key *k, int flags, const char *op,
		    struct linx_error *err)
{
	int fd = sysctl_open_key(k->path, flags);

	if (fd >= 0)
		return fd;
	if (fd == -ENOTSUP || (fd == -ENOENT && access(SYSCTL_ROOT, F_OK) < 0))
		return root_failed(k, op, -fd, err);
	return open_failed(k, op, -fd, err);
}

/* ---- reading ------------------------------------------------------------- */

static int read_here(const struct sysctl_key *k, char **ret_value,
		     size_t *ret_len, struct linx_error *err)
{
	int fd, r;

	fd = open_key(k, O_RDONLY, "read", err);
	if (fd < 0)
		return fd;
	r = sysctl_read_fd(fd, ret_value, ret_len);
	close(fd);
	if (r == -EFBIG)
		return sysctl_fail(err, EFBIG, "read", k->path,
				   "sysctl %s: the value is larger than %u "
				   "bytes",
				   k->key, LINX_SYSCTL_READ_MAX);
	if (r < 0)
		return open_failed(k, "read", -r, err);
	return 0;
}

struct read_job {
	const struct sysctl_key *k;
};

static int read_in_ns(void *arg, struct linx_value *ret,
		      struct linx_error *err)
{
	struct read_job *job = arg;
	char *value;
	size_t len;
	int r;

	r = read_here(job->k, &value, &len, err);
	if (r < 0)
		return r;
	r = linx_value_bytes(ret, value, len);
	free(value);
	if (r < 0)
		return sysctl_fail(err, -r, "read", job->k->path,
				   "sysctl %s: cannot hold the value: %s",
				   job->k->key, linx_strerror(-r));
	return 0;
}

int sysctl_read_raw(const struct sysctl_key *k,
		    const struct linx_ns_target *in, char **ret_value,
		    size_t *ret_len, struct linx_error *err)
{
	struct linx_value v = linx_value_nil();
	struct read_job job = { .k = k };
	char *copy;
	int r;

	if (sysctl_target_is_self(in))
		return read_here(k, ret_value, ret_len, err);
	r = sysctl_run(k, in, linx_sysctl_key_namespaces(k->key), read_in_ns,
		       &job, &v, err);
	if (r < 0)
		return r;
	if (v.type != LINX_BYTES) {
		linx_value_clear(&v);
		return sysctl_fail(err, EPROTO, "read", k->path,
				   "sysctl %s: the namespace helper returned "
				   "no value",
				   k->key);
	}
	/* The value's storage belongs to the core's allocator: copy. */
	copy = malloc((size_t)v.len + 1);
	if (!copy) {
		linx_value_clear(&v);
		return sysctl_fail(err, ENOMEM, "read", k->path,
				   "sysctl %s: out of memory", k->key);
	}
	memcpy(copy, v.bytes, v.len);
	copy[v.len] = '\0';
	*ret_value = copy;
	*ret_len = v.len;
	linx_value_clear(&v);
	return 0;
}

/* Validate what every public entry point shares. */
static int begin(struct sysctl_key *k, const char *key,
		 const struct linx_ns_target *in, const void *ret,
		 struct linx_error *err)
{
	int r = sysctl_key_init(k, key, "key", err);

	if (r < 0)
		return r;
	r = sysctl_target_check(in, err);
	if (r < 0)
		return r;
	if (!ret)
		return linx_error_param(err, "validate", "ret",
					"sysctl %s: no place for the result",
					key);
	return 0;
}

int linx_sysctl_read(const char *key, const struct linx_ns_target *in,
		     char **ret_value, size_t *ret_len, struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_key k;
	size_t len;
	char *value;
	int r;

	if (!err)
		err = &local;
	r = begin(&k, key, in, ret_value, err);
	if (r < 0)
		return r;
	r = sysctl_read_raw(&k, in, &value, &len, err);
	if (r < 0)
		return r;
	*ret_value = value;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int sysctl_read_numbers(const struct sysctl_key *k,
			const struct linx_ns_target *in, bool one,
			struct sysctl_number **ret_numbers, size_t *ret_count,
			struct linx_error *err)
{
	const char *bad = NULL;
	char *value;
	size_t len;
	int r;

	r = sysctl_read_raw(k, in, &value, &len, err);
	if (r < 0)
		return r;
	if (strlen(value) != len)
		r = -EINVAL;
	else
		r = sysctl_parse_numbers(value, ret_numbers, ret_count, &bad);
	if (r == -EINVAL)
		sysctl_fail(err, EINVAL, "parse", k->path,
			    "sysctl %s: \"%.80s\" is not %s", k->key, value,
			    one ? "an integer" : "a list of integers");
	else if (r == -ERANGE)
		sysctl_fail(err, ERANGE, "parse", k->path,
			    "sysctl %s: \"%.80s\" holds an integer that does "
			    "not fit in 64 bits",
			    k->key, value);
	else if (r < 0)
		sysctl_fail(err, -r, "parse", k->path, "sysctl %s: %s", k->key,
			    linx_strerror(-r));
	free(value);
	return r;
}

/* What read_int and read_uint share: validate, then read exactly one
 * number.  `err` is not NULL. */
static int read_number(const char *key, const struct linx_ns_target *in,
		       const void *ret_value, struct sysctl_key *k,
		       struct sysctl_number *ret, struct linx_error *err)
{
	struct sysctl_number *nums;
	size_t n;
	int r;

	r = begin(k, key, in, ret_value, err);
	if (r < 0)
		return r;
	r = sysctl_read_numbers(k, in, true, &nums, &n, err);
	if (r < 0)
		return r;
	if (n != 1) {
		free(nums);
		return sysctl_fail(err, EINVAL, "parse", k->path,
				   "sysctl %s holds %zu integers, not one",
				   k->key, n);
	}
	*ret = nums[0];
	free(nums);
	return 0;
}

int linx_sysctl_read_int(const char *key, const struct linx_ns_target *in,
			 int64_t *ret_value, struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_number num;
	struct sysctl_key k;
	int64_t v;
	int r;

	if (!err)
		err = &local;
	r = read_number(key, in, ret_value, &k, &num, err);
	if (r < 0)
		return r;
	if (!sysctl_number_to_i64(&num, &v))
		return sysctl_fail(err, ERANGE, "parse", k.path,
				   "sysctl %s: %s%llu does not fit in a signed "
				   "64-bit integer",
				   key, num.negative ? "-" : "",
				   (unsigned long long)num.magnitude);
	*ret_value = v;
	return 0;
}

int linx_sysctl_read_uint(const char *key, const struct linx_ns_target *in,
			  uint64_t *ret_value, struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_number num;
	struct sysctl_key k;
	uint64_t v;
	int r;

	if (!err)
		err = &local;
	r = read_number(key, in, ret_value, &k, &num, err);
	if (r < 0)
		return r;
	if (!sysctl_number_to_u64(&num, &v))
		return sysctl_fail(err, ERANGE, "parse", k.path,
				   "sysctl %s: -%llu is negative", key,
				   (unsigned long long)num.magnitude);
	*ret_value = v;
	return 0;
}

int linx_sysctl_read_ints(const char *key, const struct linx_ns_target *in,
			  int64_t **ret_values, size_t *ret_count,
			  struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_number *nums;
	struct sysctl_key k;
	int64_t *out = NULL;
	size_t n;
	int r;

	if (!err)
		err = &local;
	r = begin(&k, key, in, ret_values, err);
	if (r < 0)
		return r;
	if (!ret_count)
		return linx_error_param(err, "validate", "ret_count",
					"sysctl %s: no place for the count",
					key);
	r = sysctl_read_numbers(&k, in, false, &nums, &n, err);
	if (r < 0)
		return r;
	if (n) {
		out = malloc(n * sizeof(*out));
		if (!out) {
			free(nums);
			return sysctl_fail(err, ENOMEM, "read", k.path,
					   "sysctl %s: out of memory", key);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (sysctl_number_to_i64(&nums[i], &out[i]))
			continue;
		r = sysctl_fail(err, ERANGE, "parse", k.path,
				"sysctl %s: value %zu (%s%llu) does not fit in "
				"a signed 64-bit integer",
				key, i, nums[i].negative ? "-" : "",
				(unsigned long long)nums[i].magnitude);
		free(out);
		free(nums);
		return r;
	}
	free(nums);
	*ret_values = out;
	*ret_count = n;
	return 0;
}

/* ---- writing --------------------------------------------------------------- */

/* Show at most this much of a refused value in a message. */
#define SHOWN 64

int sysctl_value_check(const struct sysctl_key *k, const char *data,
		       size_t len, struct linx_error *err)
{
	const char *nul, *nl;

	if (!data && len)
		return sysctl_fail_param(err, EINVAL, "value", k->path,
					 "sysctl %s: no value given", k->key);
	if (!len)
		return 0;
	nul = memchr(data, '\0', len);
	nl = memchr(data, '\n', len);
	/* proc_dostring() stops at either and drops the rest, while
	 * reporting the whole write as done (kernel/sysctl.c). */
	if (nul)
		return sysctl_fail_param(err, EINVAL, "value", k->path,
					 "sysctl %s: the value contains a NUL "
					 "byte (at %zu), where the kernel would "
					 "cut it",
					 k->key, (size_t)(nul - data));
	if (nl)
		return sysctl_fail_param(err, EINVAL, "value", k->path,
					 "sysctl %s: the value contains a "
					 "newline (at %zu), where the kernel "
					 "would cut it",
					 k->key, (size_t)(nl - data));
	return 0;
}

/* Refuse a list longer than the vector the knob holds: the integer handlers
 * fill the vector and leave the rest unread (__do_proc_dointvec()), having
 * applied the leading values.  The vector's length is what a read shows;
 * a knob that cannot be read or does not read as integers is not checked
 * here (the short write is still caught afterwards). */
static int check_vector(const struct sysctl_key *k, size_t n_values,
			struct linx_error *err)
{
	struct sysctl_number *nums = NULL;
	char *value = NULL;
	size_t len, have = 0;
	int fd, r;

	fd = sysctl_open_key(k->path, O_RDONLY);
	if (fd < 0)
		return 0;
	r = sysctl_read_fd(fd, &value, &len);
	close(fd);
	if (r < 0)
		return 0;
	if (strlen(value) == len &&
	    sysctl_parse_numbers(value, &nums, &have, NULL) == 0)
		free(nums);
	free(value);
	if (have == 0 || n_values <= have)
		return 0;
	return sysctl_fail_param(err, E2BIG, "value", k->path,
				 "sysctl %s holds %zu integers; writing %zu "
				 "would set the first %zu and drop the rest",
				 k->key, have, n_values, have);
}

static int write_here(const struct sysctl_key *k, const char *data,
		      size_t len, size_t n_values, struct linx_error *err)
{
	long n;
	int fd, r;

	if (n_values > 1) {
		r = check_vector(k, n_values, err);
		if (r < 0)
			return r;
	}
	fd = open_key(k, O_WRONLY, "write", err);
	if (fd < 0)
		return fd;
	/* Writing zero bytes changes nothing; a lone newline is the kernel's
	 * way to say "empty" (and an error for integer knobs). */
	if (len == 0) {
		data = "\n";
		len = 1;
	}
	n = sysctl_write_fd(fd, data, len);
	close(fd);
	if (n < 0) {
		if (n == -EINVAL)
			return sysctl_fail(err, EINVAL, "write", k->path,
					   "sysctl %s: the kernel refused "
					   "\"%.*s\"%s (out of range, or the "
					   "wrong shape for this knob)",
					   k->key, (int)(len < SHOWN ? len : SHOWN),
					   data, len > SHOWN ? "..." : "");
		return open_failed(k, "write", (int)-n, err);
	}
	if ((size_t)n < len)
		return sysctl_fail(err, E2BIG, "write", k->path,
				   "sysctl %s: the kernel took only %ld of %zu "
				   "bytes of \"%.*s\"%s: the knob holds fewer "
				   "values than given, and the leading ones "
				   "were applied",
				   k->key, n, len,
				   (int)(len < SHOWN ? len : SHOWN), data,
				   len > SHOWN ? "..." : "");
	return 0;
}

struct write_job {
	const struct sysctl_key *k;
	const char *data;
	size_t len, n_values;
};

static int write_in_ns(void *arg, struct linx_value *ret,
		       struct linx_error *err)
{
	struct write_job *job = arg;

	(void)ret;
	return write_here(job->k, job->data, job->len, job->n_values, err);
}

int sysctl_write_raw(const struct sysctl_key *k,
		     const struct linx_ns_target *in, const char *data,
		     size_t len, size_t n_values, struct linx_error *err)
{
	struct write_job job = { k, data, len, n_values };
	size_t max = linx_sysctl_value_max(k->key);

	if (len > max)
		return sysctl_fail_param(
			err, E2BIG, "value", k->path,
			"sysctl %s: the value is %zu bytes, but the kernel "
			"keeps at most %zu and would silently drop the rest",
			k->key, len, max);
	if (sysctl_target_is_self(in))
		return write_here(k, data, len, n_values, err);
	return sysctl_run(k, in, linx_sysctl_key_namespaces(k->key),
			  write_in_ns, &job, NULL, err);
}

int linx_sysctl_write_bytes(const char *key, const struct linx_ns_target *in,
			    const void *value, size_t len,
			    struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_key k;
	int r;

	if (!err)
		err = &local;
	r = begin(&k, key, in, "", err);
	if (r < 0)
		return r;
	r = sysctl_value_check(&k, value, len, err);
	if (r < 0)
		return r;
	return sysctl_write_raw(&k, in, value, len, 0, err);
}

int linx_sysctl_write(const char *key, const struct linx_ns_target *in,
		      const char *value, struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_key k;
	int r;

	if (!err)
		err = &local;
	r = begin(&k, key, in, "", err);
	if (r < 0)
		return r;
	if (!value)
		return sysctl_fail_param(err, EINVAL, "value", k.path,
					 "sysctl %s: no value given", key);
	r = sysctl_value_check(&k, value, strlen(value), err);
	if (r < 0)
		return r;
	return sysctl_write_raw(&k, in, value, strlen(value), 0, err);
}

/* Write a number already formatted into `text`. */
static int write_formatted(const char *key, const struct linx_ns_target *in,
			   const char *text, size_t len,
			   struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_key k;
	int r;

	if (!err)
		err = &local;
	r = begin(&k, key, in, "", err);
	if (r < 0)
		return r;
	return sysctl_write_raw(&k, in, text, len, 0, err);
}

int linx_sysctl_write_int(const char *key, const struct linx_ns_target *in,
			  int64_t value, struct linx_error *err)
{
	char buf[24];

	return write_formatted(key, in, buf, sysctl_format_i64(buf, value),
			       err);
}

int linx_sysctl_write_uint(const char *key, const struct linx_ns_target *in,
			   uint64_t value, struct linx_error *err)
{
	char buf[24];

	return write_formatted(key, in, buf, sysctl_format_u64(buf, value),
			       err);
}

int linx_sysctl_write_ints(const char *key, const struct linx_ns_target *in,
			   const int64_t *values, size_t count,
			   struct linx_error *err)
{
	struct linx_error local;
	struct sysctl_key k;
	size_t len = 0;
	char *buf;
	int r;

	if (!err)
		err = &local;
	r = begin(&k, key, in, "", err);
	if (r < 0)
		return r;
	if (count == 0 || !values)
		return sysctl_fail_param(err, EINVAL, "value", k.path,
					 "sysctl %s: the list of integers is "
					 "empty",
					 key);
	/* Each integer takes at most 20 characters and a separator; a list
	 * that long could never fit the size limit anyway. */
	if (count > LINX_SYSCTL_READ_MAX)
		return sysctl_fail_param(err, E2BIG, "value", k.path,
					 "sysctl %s: %zu integers is far beyond "
					 "what a knob holds",
					 key, count);
	buf = malloc(count * 21);
	if (!buf)
		return sysctl_fail(err, ENOMEM, "write", k.path,
				   "sysctl %s: out of memory", key);
	for (size_t i = 0; i < count; i++) {
		if (i)
			buf[len++] = ' ';
		len += sysctl_format_i64(buf + len, values[i]);
	}
	r = sysctl_write_raw(&k, in, buf, len, count, err);
	free(buf);
	return r;
}
