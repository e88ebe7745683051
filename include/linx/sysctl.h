/* SPDX-License-Identifier: MIT */
/*
 * linx/sysctl.h - kernel tunables: the files under /proc/sys.
 *
 * A sysctl is named by a key in dot form ("net.ipv4.ip_forward"), which maps
 * to a file below /proc/sys by turning dots into slashes.  procfs is the only
 * interface (the sysctl(2) system call was removed in Linux 5.5).
 *
 * Per-namespace routing.  The kernel resolves a sysctl against the namespaces
 * of the task that opens the file, not against the path: net.* follows the
 * network namespace, kernel.hostname and kernel.domainname the UTS namespace,
 * the SysV IPC limits and fs.mqueue.* the IPC namespace, user.* the user
 * namespace and kernel.ns_last_pid the pid namespace.  Every call takes an
 * `in` target (see linx/ns.h): NULL or self means the caller's namespaces; a
 * pid or a namespace file means "as that process / namespace sees it".  Only
 * the namespace that owns the key is joined (linx_sysctl_key_namespaces());
 * a key that no namespace owns (vm.*, most of kernel.*) is global and is read
 * in place, after checking that the target exists.  The mount namespace is
 * never joined: /proc/sys values do not depend on it (see
 * docs/sysctl/README.md).
 *
 * Errors.  Every function returns >= 0 on success or a negative errno, and
 * fills `err` (which may be NULL) on failure:
 *   - err->op: "validate" (a bad key, value or target, refused before any
 *     I/O), "read", "write", "list", "parse" (read_int/read_ints content that
 *     is not integers), or a namespace-entry stage from linx/ns.h ("open_ns",
 *     "open_ns_<kind>", "setns_<kind>", "unshare", "thread", "fork", "pipe");
 *   - err->param: "key", "value", "prefix" or "in" for a refused argument;
 *   - err->object: the resolved procfs path ("/proc/sys/net/ipv4/ip_forward")
 *     once the key is valid;
 *   - err->message names the key.
 *
 * Values are never silently truncated.  Values that the kernel would cut
 * short are refused with E2BIG before anything is written (see
 * linx_sysctl_value_max()); a write the kernel only partly consumes is
 * reported as E2BIG too.  Reads always return the whole file.
 *
 * Ownership: every pointer returned through a ret_* parameter is owned by
 * the caller and released with free() (or linx_sysctl_list_free() for a
 * list).  ret_* outputs are written only on success.  Inputs are only read.
 */
#ifndef LINX_SYSCTL_H
#define LINX_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/reconcile.h>

LINX_BEGIN_DECLS

/* Longest key accepted, in bytes (real keys are well under 100). */
#define LINX_SYSCTL_KEY_MAX 255
/* Room for "/proc/sys/" + the longest key + NUL. */
#define LINX_SYSCTL_PATH_MAX (sizeof("/proc/sys/") + LINX_SYSCTL_KEY_MAX)
/* Largest file a read accepts; a bigger one fails with EFBIG.  No sysctl
 * comes close (the biggest are a few KiB). */
#define LINX_SYSCTL_READ_MAX (1u << 20)

/* ---- keys ---------------------------------------------------------------- */

/* Is `key` a well-formed dot-form key: [A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*,
 * at most LINX_SYSCTL_KEY_MAX bytes?  Such a key cannot name anything
 * outside /proc/sys: no slashes, no empty, "." or ".." components. */
bool linx_sysctl_key_valid(const char *key);

/* Like linx_sysctl_key_valid() but explains a refusal: EINVAL with op
 * "validate", param "key" and a message saying what is wrong where. */
int linx_sysctl_key_validate(const char *key, struct linx_error *err);

/*
 * Write the procfs path of `key` ("/proc/sys/net/ipv4/ip_forward") into
 * `buf` (`cap` bytes, LINX_SYSCTL_PATH_MAX always suffices).  Returns the
 * path's length, or -EINVAL for a bad key, -ENOBUFS if `cap` is too small.
 */
int linx_sysctl_key_path(const char *key, char *buf, size_t cap,
				  struct linx_error *err);

/* The namespaces (LINX_NS_* bits from linx/ns.h) the kernel resolves `key`
 * against: LINX_NS_NET for net.*, LINX_NS_UTS for kernel.hostname, ... and
 * 0 for a global key (or an invalid one). */
uint32_t linx_sysctl_key_namespaces(const char *key);

/*
 * The most bytes the kernel stores for a string written to `key`, for the
 * knobs whose handler (proc_dostring() and friends) would otherwise cut a
 * longer value silently: 64 for kernel.hostname (__NEW_UTS_LEN), 127 for
 * kernel.core_pattern, ...  Every other key gets the generic limit, one
 * page minus one byte: the kernel's integer parsers look no further.
 */
size_t linx_sysctl_value_max(const char *key);

/* Does this system expose /proc/sys (procfs mounted, kernel/ostype there)? */
bool linx_sysctl_supported(void);

/* ---- reading -------------------------------------------------------------- */

/*
 * Read `key` in the namespaces of `in` (NULL: the caller's).  *ret_value
 * receives the whole file with trailing whitespace (the kernel's newline)
 * removed, NUL-terminated; *ret_len (if ret_len is not NULL) its length.
 * The bytes are returned as the kernel produced them and need not be UTF-8.
 * Errors: op "read" (ENOENT: no such key, EACCES, EIO for a knob that cannot
 * be read, EFBIG past LINX_SYSCTL_READ_MAX), "validate", namespace stages.
 */
int linx_sysctl_read(const char *key, const struct linx_ns_target *in,
			      char **ret_value, size_t *ret_len,
			      struct linx_error *err);

/* Read `key` as one decimal integer.  Content that is not exactly one
 * integer fails with EINVAL, one that does not fit with ERANGE, both with
 * op "parse". */
int linx_sysctl_read_int(const char *key,
				  const struct linx_ns_target *in,
				  int64_t *ret_value, struct linx_error *err);
/* The same for unsigned knobs above INT64_MAX (kernel.shmmax, ...);
 * a negative value is ERANGE. */
int linx_sysctl_read_uint(const char *key,
				   const struct linx_ns_target *in,
				   uint64_t *ret_value, struct linx_error *err);

/* Read `key` as integers separated by whitespace (kernel.printk,
 * net.ipv4.tcp_rmem).  *ret_values is a malloc'd array of *ret_count
 * elements (NULL and 0 for an empty file), owned by the caller. */
int linx_sysctl_read_ints(const char *key,
				   const struct linx_ns_target *in,
				   int64_t **ret_values, size_t *ret_count,
				   struct linx_error *err);

/* ---- writing -------------------------------------------------------------- */

/*
 * Write the string `value` to `key`, in one write(2), without a trailing
 * newline (an empty string is written as a lone newline, which the kernel
 * reads as "empty"; writing nothing would change nothing).  Refused before
 * any I/O: a value with a newline (the kernel stops at the first one and
 * drops the rest) - EINVAL, param "value"; a value longer than
 * linx_sysctl_value_max() - E2BIG, param "value".  Errors from the kernel
 * have op "write"; a write the kernel consumes only partly (more values than
 * the knob holds) is E2BIG.
 */
int linx_sysctl_write(const char *key, const struct linx_ns_target *in,
			       const char *value, struct linx_error *err);

/* The same for `len` bytes that need not be NUL-terminated; a NUL byte
 * inside is refused like a newline (the kernel would stop there). */
int linx_sysctl_write_bytes(const char *key,
				     const struct linx_ns_target *in,
				     const void *value, size_t len,
				     struct linx_error *err);

/* Write an integer, rendered in decimal. */
int linx_sysctl_write_int(const char *key,
				   const struct linx_ns_target *in,
				   int64_t value, struct linx_error *err);
int linx_sysctl_write_uint(const char *key,
				    const struct linx_ns_target *in,
				    uint64_t value, struct linx_error *err);

/*
 * Write `count` (>= 1) integers, space-separated.  When the knob currently
 * reads as N integers and count > N, the write is refused with E2BIG
 * before anything is written (the kernel would store the first N and stop).
 */
int linx_sysctl_write_ints(const char *key,
				    const struct linx_ns_target *in,
				    const int64_t *values, size_t count,
				    struct linx_error *err);

/* ---- desired state -------------------------------------------------------- */

/*
 * One reconcile pass (linx/reconcile.h) over `desired` = {KEY: int | uint |
 * string | [int]} in the namespaces of `in` (NULL: the caller's): every
 * key of desired and last_applied is read, the ops that converge them are
 * applied best-effort, and *ret_report (owned by the caller) tells what
 * was applied, what failed (with its error), and the last_applied to hand
 * back on the next pass.  flags: LINX_RECONCILE_REVERT_ON_RELEASE.
 * Values compare as the kernel prints them with blanks collapsed, so
 * [4, 4, 1, 7] holds when kernel.printk reads "4\t4\t1\t7".  Returns 0
 * also when ops failed; EINVAL for a malformed desired or last_applied
 * (a bad key, a value with a newline ...), before anything is read.
 */
int linx_sysctl_reconcile(const struct linx_value *desired,
			  const struct linx_value *last_applied,
			  const struct linx_ns_target *in, uint32_t flags,
			  struct linx_value *ret_report,
			  struct linx_error *err);

/* The ops alone, from an `observed` {KEY: string} map: pure, no I/O. */
int linx_sysctl_reconcile_diff(const struct linx_value *observed,
			       const struct linx_value *desired,
			       const struct linx_value *last_applied,
			       uint32_t flags, struct linx_value *ret_ops,
			       struct linx_error *err);

/* Read `n` keys into {KEY: string}; keys that cannot be read (or are not
 * UTF-8) are left out.  *ret is owned by the caller. */
int linx_sysctl_observe(const char *const *keys, size_t n,
			const struct linx_ns_target *in,
			struct linx_value *ret, struct linx_error *err);

/* ---- listing -------------------------------------------------------------- */

struct linx_sysctl_entry {
	/* Dot form.  A leaf whose procfs name contains a dot (an interface
	 * named "eth0.10") gives a key that does not map back to its file:
	 * use `path` to act on such an entry. */
	char *key;
	/* The contents, trimmed like linx_sysctl_read(); NUL-terminated. */
	char *value;
	size_t value_len;
	/* "/proc/sys/..." as the file was found. */
	char *path;
};

/*
 * Walk /proc/sys (prefix NULL) or the subtree named by `prefix`, in the
 * namespaces of `in`, reading every file.  Files and directories that cannot
 * be read (EACCES, EPERM, EIO: write-only or privileged knobs; ENOENT: gone
 * while walking) are skipped silently; mount points below /proc/sys and
 * symlinks are not followed.  A prefix naming a file gives that one entry
 * (or its read error); a missing prefix is ENOENT, op "list".
 *
 * On success *ret_entries is an array of *ret_count entries sorted by key
 * (strcmp order), owned by the caller: release it with
 * linx_sysctl_list_free().  An empty result is NULL and 0.
 */
int linx_sysctl_list(const char *prefix,
			      const struct linx_ns_target *in,
			      struct linx_sysctl_entry **ret_entries,
			      size_t *ret_count, struct linx_error *err);

/* Free what linx_sysctl_list() returned.  Accepts NULL. */
void linx_sysctl_list_free(struct linx_sysctl_entry *entries,
				    size_t count);

/* ---- the plugin ----------------------------------------------------------- */

struct linx_plugin;
/* The plugin's descriptor, for linx_registry_add_static().  Verbs:
 * sysctl.read, sysctl.read_int, sysctl.read_ints, sysctl.write, sysctl.list,
 * sysctl.supported (see docs/sysctl/README.md). */
extern const struct linx_plugin linx_plugin_sysctl;

LINX_END_DECLS

#endif /* LINX_SYSCTL_H */
