/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the sysctl plugin's source files; not installed.
 *
 * The same sources build the static library (linked with liblinx) and the
 * loadable module (LINX_PLUGIN_MODULE, core calls through the host table),
 * so this header pulls in plugin.h, which does the redirection.
 */
#ifndef LINX_SYSCTL_INTERNAL_H
#define LINX_SYSCTL_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/plugin.h>
#include <linx/sysctl.h>

#define SYSCTL_ROOT "/proc/sys"

/* A validated key and where it lives.  `rel` is the path below /proc/sys
 * ("net/ipv4/ip_forward"), `path` the absolute one, used in errors. */
struct sysctl_key {
	const char *key;
	char rel[LINX_SYSCTL_KEY_MAX + 1];
	char path[LINX_SYSCTL_PATH_MAX];
};

/* key.c: validate `key` (op "validate", param `param`) and fill *ret. */
int sysctl_key_init(struct sysctl_key *ret, const char *key, const char *param,
		    struct linx_error *err);

/* Set code/op/message and object (the procfs path) in one go; returns
 * -code.  The core's setter (plugin ABI 1.1), under the plugin's name. */
#define sysctl_fail linx_error_set_object
/* The same for a refused argument (op "validate"): also records `param`.
 * Unlike linx_error_param() the code may be other than EINVAL (E2BIG). */
#define sysctl_fail_param(err, code, param, object, ...)                     \
	linx_error_param_object(err, code, "validate", param, object,         \
				__VA_ARGS__)
/* Check an `in` target for shape (op "validate", param "in"). */
int sysctl_target_check(const struct linx_ns_target *in,
			struct linx_error *err);
/* Is `in` the caller itself (no namespace to consider)? */
bool sysctl_target_is_self(const struct linx_ns_target *in);

/* procfs.c: the /proc/sys directory and files beneath it. */
/* Open /proc/sys (O_PATH), checking it is procfs.  fd or -errno. */
int sysctl_root_open(void);
/* Open `rel` beneath the directory `dirfd` without following symlinks or
 * crossing mounts.  fd or -errno. */
int sysctl_open_beneath(int dirfd, const char *rel, int flags);
/* Open the knob at absolute `path` (from a validated key): no symlinks,
 * and the file must be on procfs.  fd or -errno: -EXDEV for a foreign
 * filesystem below /proc/sys, -ENOTSUP if /proc/sys is not procfs. */
int sysctl_open_key(const char *path, int flags);
/* Read the whole file (see the comment in procfs.c for why from offset 0
 * with a growing buffer).  *ret is malloc'd and NUL-terminated, trailing
 * whitespace trimmed.  0 or -errno (-EFBIG past LINX_SYSCTL_READ_MAX). */
int sysctl_read_fd(int fd, char **ret, size_t *ret_len);
/* One write(2) of len bytes; returns the count the kernel took or -errno. */
long sysctl_write_fd(int fd, const char *data, size_t len);

/* number.c: parsing and rendering decimal integers. */
struct sysctl_number {
	bool negative;
	uint64_t magnitude; /* for negative: the absolute value */
};
/* Split `s` on whitespace and parse every token.  *ret_numbers is
 * malloc'd (NULL when there is none).  0, -EINVAL (a token that is not a
 * decimal integer; *ret_bad_token then points into `s`) or -ERANGE (one
 * that needs more than 64 bits), -ENOMEM. */
int sysctl_parse_numbers(const char *s, struct sysctl_number **ret_numbers,
			 size_t *ret_count, const char **ret_bad_token);
/* Convert a parsed number; false if it does not fit. */
bool sysctl_number_to_i64(const struct sysctl_number *n, int64_t *ret);
bool sysctl_number_to_u64(const struct sysctl_number *n, uint64_t *ret);
/* Render in decimal into buf (at least 21 bytes); returns the length. */
size_t sysctl_format_i64(char *buf, int64_t v);
size_t sysctl_format_u64(char *buf, uint64_t v);

/* scope.c: which namespaces a subtree (for list) may touch. */
uint32_t sysctl_prefix_namespaces(const char *rel_prefix);

/* io.c: the shared read/write path, used by the typed API and the verbs. */
/* Both take a validated key and a checked target. */
int sysctl_read_raw(const struct sysctl_key *k,
		    const struct linx_ns_target *in, char **ret_value,
		    size_t *ret_len, struct linx_error *err);
/* Write `len` bytes already checked for content (sysctl_value_check()).
 * `n_values` > 0 marks an integer list of that many elements (enables the
 * vector-length check).  Applies the size limits (limits.c). */
int sysctl_write_raw(const struct sysctl_key *k,
		     const struct linx_ns_target *in, const char *data,
		     size_t len, size_t n_values, struct linx_error *err);
/* Read and parse as integers (op "parse" for content that is not; `one`
 * words the message for a single integer); *ret_numbers is malloc'd. */
int sysctl_read_numbers(const struct sysctl_key *k,
			const struct linx_ns_target *in, bool one,
			struct sysctl_number **ret_numbers, size_t *ret_count,
			struct linx_error *err);
/* Check a string value's content (no NUL, no newline); param "value". */
int sysctl_value_check(const struct sysctl_key *k, const char *data,
		       size_t len, struct linx_error *err);

/* Run fn inside the namespaces `key` needs, with the sysctl error
 * conventions applied to failures of the namespace entry. */
int sysctl_run(const struct sysctl_key *k, const struct linx_ns_target *in,
	       uint32_t want, linx_ns_fn *fn, void *arg,
	       struct linx_value *ret, struct linx_error *err);

/* Trim trailing whitespace in place; returns the new length. */
size_t sysctl_trim(char *s, size_t len);

#endif /* LINX_SYSCTL_INTERNAL_H */
