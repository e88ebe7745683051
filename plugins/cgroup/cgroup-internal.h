/* SPDX-License-Identifier: MIT */
/*
 * Shared by the cgroup plugin's files; not installed.
 *
 * Included first by every file of the plugin: in a module build
 * (LINX_PLUGIN_MODULE) <linx/plugin.h> turns the core calls below into
 * calls through the host table.
 */
#ifndef LINX_CGROUP_INTERNAL_H
#define LINX_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/cgroup.h>
#include <linx/plugin.h>

/* Internal helpers are hidden in every build. */
#define CG_HIDDEN __attribute__((visibility("hidden")))

/* Interface files (Documentation/admin-guide/cgroup-v2.rst). */
#define CG_FILE_PROCS "cgroup.procs"
#define CG_FILE_SUBTREE_CONTROL "cgroup.subtree_control"
#define CG_FILE_FREEZE "cgroup.freeze"
#define CG_FILE_EVENTS "cgroup.events"

/* Largest file linx_cgroup_read() returns (the value model's limit). */
#define CG_READ_MAX LINX_VALUE_MAX_LEN

/* ---- errors ---------------------------------------------------------------
 *
 * The core's setters (plugin ABI 1.1) under the plugin's names.  Both
 * return the negative errno even when err is NULL.
 */

/* Record errno `code` for operation `op` on `object`. */
#define cg_fail linx_error_set_object

/* Record a refused argument: EINVAL, op "validate", param `param`. */
#define cg_refuse(err, param, object, ...)                                   \
	linx_error_param_object(err, EINVAL, "validate", param, object,       \
				__VA_ARGS__)

/* (error.c) */
/* "<dir>/<file>" into buf (truncated to fit), for error objects. */
CG_HIDDEN const char *cg_join(char *buf, size_t cap, const char *dir,
			      const char *file);

/* ---- paths (path.c) ------------------------------------------------------ */

/* Syntax only: absolute, normalised, short enough.  `param` names the
 * argument in the error. */
CG_HIDDEN int cg_path_check(const char *path, const char *param,
			    struct linx_error *err);

/* An interface-file name: not empty, no '/', not "." or "..", at most
 * NAME_MAX bytes. */
CG_HIDDEN int cg_file_check(const char *file, struct linx_error *err);

/* A controller name: [a-z_]+, at most LINX_CGROUP_CONTROLLER_NAME_MAX. */
CG_HIDDEN int cg_controller_check(const char *name, const char *param,
				  struct linx_error *err);

/*
 * Check `path`, open the directory O_PATH|O_DIRECTORY|O_CLOEXEC and make
 * sure it is on cgroup2.  Returns the descriptor (the caller closes it),
 * or a negative errno: EINVAL/"validate" for a refused path, otherwise the
 * open's errno with op `op` and, as the error's object, `path`/`file` (the
 * interface file the caller was after; `path` itself when file is NULL).
 */
CG_HIDDEN int cg_dir_open(const char *path, const char *file, const char *op,
			  struct linx_error *err);

/*
 * The same for the parent of `path`; *ret_name points at the last
 * component inside `path`.  The root ("/") has no parent: refused.
 */
CG_HIDDEN int cg_parent_open(const char *path, const char *op,
			     const char **ret_name, struct linx_error *err);

/* Is the filesystem behind `fd` cgroup2?  0, or the refusal. */
CG_HIDDEN int cg_fd_check_cgroup2(int fd, const char *path,
				  struct linx_error *err);

/* ---- interface files (file.c) -------------------------------------------- */

/*
 * Read all of `file` under `dfd` into a malloc'd NUL-terminated buffer
 * (untrimmed).  Returns 0 or a negative errno; sets no error (callers
 * decide whether a missing file is an error).
 */
CG_HIDDEN int cg_read_at(int dfd, const char *file, char **ret_buf,
			 size_t *ret_len);

/*
 * Write `len` bytes of `value` to `file` under `dfd` in one write(2).
 * On failure records errno with op `op` and object "<path>/<file>".
 */
CG_HIDDEN int cg_write_at(int dfd, const char *path, const char *file,
			  const char *value, size_t len, const char *op,
			  struct linx_error *err);

/* open(file, O_WRONLY) / write / close with the error recorded as above. */
CG_HIDDEN int cg_write_file(const char *path, const char *file,
			    const char *value, size_t len, const char *op,
			    struct linx_error *err);

/* ---- parsing (parse.c, stats.c, freeze.c) --------------------------------- */

/*
 * Parse a decimal unsigned 64-bit number filling exactly [s, s + len):
 * digits only, no sign, no overflow.
 */
CG_HIDDEN bool cg_parse_u64(const char *s, size_t len, uint64_t *ret);

/*
 * Parse the "key value" lines of a flat-keyed file (cpu.stat,
 * cgroup.events) and hand each pair to `fn`.  Lines without a space are
 * skipped.
 */
typedef void cg_kv_fn(const char *key, size_t key_len, const char *value,
		      size_t value_len, void *arg);
CG_HIDDEN void cg_parse_flat_keyed(const char *buf, size_t len, cg_kv_fn *fn,
				   void *arg);

/* Fill the cpu fields of *stats from cpu.stat's text. */
CG_HIDDEN void cg_parse_cpu_stat(const char *buf, size_t len,
				 struct linx_cgroup_stats *stats);

/* A single-value file ("123\n"): *ret and true, or false if malformed. */
CG_HIDDEN bool cg_parse_single_u64(const char *buf, size_t len,
				   uint64_t *ret);

/* cgroup.events' "frozen" value: 0 or 1, or -EBADMSG if missing. */
CG_HIDDEN int cg_parse_frozen(const char *buf, size_t len);

#endif /* LINX_CGROUP_INTERNAL_H */
