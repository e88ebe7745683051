/* SPDX-License-Identifier: MIT */
/*
 * linx/cgroup.h - cgroup v2: create cgroups, place processes, set limits,
 * freeze and thaw, read counters.
 *
 * The cgroup is named by its absolute path (the path is the handle; there
 * is no object to open or free).  Every call checks the path before it
 * touches anything:
 *
 *   - it must be absolute and normalised: no empty, "." or ".." component
 *     (so no "//" and no trailing "/"), shorter than PATH_MAX, components
 *     at most NAME_MAX bytes;
 *   - the cgroup directory (for create and destroy: its parent) is opened
 *     once with O_PATH and must be on a cgroup2 filesystem (fstatfs(2)
 *     f_type == CGROUP2_SUPER_MAGIC, <linux/magic.h>); everything after
 *     that is done relative to that descriptor, so a path swapped for a
 *     symlink or a bind mount between the check and the use cannot
 *     redirect a write outside the hierarchy.  cgroup v1 hierarchies are
 *     refused like any other filesystem.
 *
 * A refused argument is EINVAL with err->op "validate", err->param naming
 * the argument ("path", "file", "controllers", "pid", "bytes", "max",
 * "quota", "period") and a message saying why; nothing has been written
 * at that point.  A failure from the kernel carries its errno, err->op
 * naming the operation ("create", "destroy", "add_process", "read",
 * "write", "stats", "freeze", "thaw") and err->object naming the
 * directory or interface file acted on.  The typed setters and
 * linx_cgroup_enable_controllers() report kernel failures with op
 * "write", like linx_cgroup_write().
 *
 * Every function is thread-safe and holds no state between calls; every
 * descriptor it opens is O_CLOEXEC and closed before it returns.
 *
 * References: Documentation/admin-guide/cgroup-v2.rst, cgroups(7).
 */
#ifndef LINX_CGROUP_H
#define LINX_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/reconcile.h>

LINX_BEGIN_DECLS

/* "No limit": the kernel's "max".  Accepted by the three setters. */
#define LINX_CGROUP_MAX UINT64_MAX

/*
 * cpu.max bounds, in microseconds, from kernel/sched/core.c
 * (min_cfs_quota_period, max_cfs_quota_period, max_cfs_runtime with
 * BW_SHIFT 20 from kernel/sched/sched.h): the period must lie in
 * [1 ms, 1 s], a finite quota in [1 ms, 2^44 - 1 us].  The default period
 * is the kernel's (Documentation/admin-guide/cgroup-v2.rst, "cpu.max").
 */
#define LINX_CGROUP_CPU_PERIOD_DEFAULT_US 100000u
#define LINX_CGROUP_CPU_PERIOD_MIN_US 1000u
#define LINX_CGROUP_CPU_PERIOD_MAX_US 1000000u
#define LINX_CGROUP_CPU_QUOTA_MIN_US 1000u
#define LINX_CGROUP_CPU_QUOTA_MAX_US ((UINT64_C(1) << 44) - 1)

/*
 * Largest finite pids.max: kernel/cgroup/pids.c refuses values >= PIDS_MAX,
 * which is PID_MAX_LIMIT + 1, and PID_MAX_LIMIT is 4 * 1024 * 1024 on
 * 64-bit kernels (include/linux/threads.h).
 */
#define LINX_CGROUP_PIDS_MAX_LIMIT 4194304u

/* How long freeze and thaw wait for cgroup.events by default. */
#define LINX_CGROUP_FREEZE_TIMEOUT_DEFAULT_MS 5000u

/* Longest controller name accepted ("hugetlb", "net_prio" ...). */
#define LINX_CGROUP_CONTROLLER_NAME_MAX 64u

/* The statically registrable plugin (verbs "cgroup.*"), for
 * linx_registry_add_static(); see linx/plugin.h. */
struct linx_plugin;
extern const struct linx_plugin linx_plugin_cgroup;

/*
 * Create the cgroup `path` (mkdir; the parent must exist, nothing is
 * created recursively).  Idempotent: a cgroup that already exists is
 * success.  An existing entry that is not a directory (an interface file
 * such as ".../cgroup.procs") is EEXIST.
 */
int linx_cgroup_create(const char *path, struct linx_error *err);

/*
 * Remove the cgroup `path` (rmdir).  EBUSY while it still holds a process
 * or a child cgroup; ENOENT if it does not exist (not idempotent, so the
 * caller can tell "removed now" from "was already gone").
 */
int linx_cgroup_destroy(const char *path, struct linx_error *err);

/*
 * Move process `pid` (all its threads; later children follow) into the
 * cgroup by writing it to cgroup.procs.  `pid` must be > 0: the kernel
 * reads 0 as "the writer", which would move the caller.  The pid is read
 * in the writer's pid namespace.  The kernel refuses (EBUSY) a cgroup
 * that has domain controllers (memory, io ...) enabled in its
 * cgroup.subtree_control: the no-internal-processes rule.
 */
int linx_cgroup_add_process(const char *path, pid_t pid,
				     struct linx_error *err);

/*
 * Enable `n` controllers for the children of `path` by writing "+<name>"
 * to its cgroup.subtree_control, one write per controller, so that a
 * refused name does not undo the others (the kernel rejects a whole
 * multi-name write if one name is bad).
 *
 * Every name is checked first ([a-z_]+, at most
 * LINX_CGROUP_CONTROLLER_NAME_MAX bytes); one malformed name refuses the
 * call before anything is written.
 *
 * Returns the number of controllers the kernel refused (0: all were
 * accepted, or n == 0), or a negative errno when nothing could be tried
 * (bad arguments, the cgroup or its cgroup.subtree_control cannot be
 * opened).  `failures`, if not NULL, is an array of `n` errors filled in
 * the order of `controllers`: failures[i].code is 0 for an accepted
 * controller, else the kernel's errno with op "write", object the
 * cgroup.subtree_control path and a message naming the controller
 * (typically EINVAL: no such controller; ENOENT: not listed in
 * cgroup.controllers, i.e. not delegated by the parent or bound to a v1
 * hierarchy; EBUSY: the cgroup holds processes and the controller is a
 * domain one - threaded controllers such as pids and cpu may be enabled
 * beside processes).
 */
int linx_cgroup_enable_controllers(const char *path,
					    const char *const *controllers,
					    size_t n,
					    struct linx_error *failures,
					    struct linx_error *err);

/*
 * Set memory.max to `bytes`, or to "max" for LINX_CGROUP_MAX.  The kernel
 * rounds the limit down to a whole page (read it back with
 * linx_cgroup_read()).  Needs the memory controller enabled in the
 * parent's cgroup.subtree_control; without it the file does not exist and
 * the call fails with ENOENT.
 */
int linx_cgroup_set_memory_max(const char *path, uint64_t bytes,
					struct linx_error *err);

/*
 * Set pids.max to `max` processes, or to "max" for LINX_CGROUP_MAX.
 * `max` must be at most LINX_CGROUP_PIDS_MAX_LIMIT.  Needs the pids
 * controller (ENOENT otherwise).
 */
int linx_cgroup_set_pids_max(const char *path, uint64_t max,
				      struct linx_error *err);

/*
 * Set cpu.max: the cgroup may run `quota_us` microseconds per `period_us`
 * (quota > period means more than one CPU).  `quota_us` LINX_CGROUP_MAX
 * removes the limit.  `period_us` 0 means LINX_CGROUP_CPU_PERIOD_DEFAULT_US.
 * Both are checked against the kernel's bounds above before writing; a
 * quota below cpu.max.burst is still refused by the kernel (EINVAL).
 * Needs the cpu controller (ENOENT otherwise).
 */
int linx_cgroup_set_cpu_max(const char *path, uint64_t quota_us,
				     uint64_t period_us,
				     struct linx_error *err);

/*
 * Freeze (thaw) the cgroup and its descendants: write "1" ("0") to
 * cgroup.freeze, then wait until cgroup.events reports "frozen 1"
 * ("frozen 0"), sleeping in poll(2) on cgroup.events, which kernfs wakes
 * on every change.  Waits at most `timeout_ms` (0: check once, do not
 * wait), then fails with ETIMEDOUT; the request stays written, so the
 * cgroup keeps converging (call linx_cgroup_thaw() to give up a freeze).
 * A cgroup stays frozen while an ancestor is frozen, so thawing it then
 * times out.  The root cgroup has no cgroup.freeze (ENOENT).
 * Both are idempotent.
 */
int linx_cgroup_freeze(const char *path, uint32_t timeout_ms,
				struct linx_error *err);
int linx_cgroup_thaw(const char *path, uint32_t timeout_ms,
			      struct linx_error *err);

/*
 * Read interface file `file` (a plain name: not empty, no '/', not "." or
 * "..") of the cgroup, with leading and trailing white space removed.
 * On success *ret_value is a NUL-terminated string allocated with
 * malloc(3) and owned by the caller (free(3)); *ret_len, if ret_len is
 * not NULL, is its length.  Files of 64 MiB - 1 bytes or more are
 * refused (EFBIG).
 */
int linx_cgroup_read(const char *path, const char *file,
			      char **ret_value, size_t *ret_len,
			      struct linx_error *err);

/*
 * Write `value` to interface file `file` as is, in a single write(2) (the
 * unit cgroupfs parses).  No newline is added or needed.
 */
int linx_cgroup_write(const char *path, const char *file,
			       const char *value, struct linx_error *err);

/* ---- desired state ------------------------------------------------------ */

/*
 * One reconcile pass (linx/reconcile.h) over the limits of the existing
 * cgroup `path`: `desired` = {FILE: int | "max" | string | [int]}
 * ("memory.max": 268435456, "cpu.max": [50000, 100000], "pids.max":
 * "max").  Every file of desired and last_applied is read, the ops are
 * applied best-effort, and *ret_report (owned by the caller) tells what
 * was applied, what failed (a missing controller's file, say) and the
 * last_applied for the next pass.  The cgroup is never created, and no
 * controller enabled or process moved.  flags:
 * LINX_RECONCILE_REVERT_ON_RELEASE.  cpu.max given as a quota alone
 * holds whatever the period is.  Returns 0 also when ops failed; EINVAL
 * for a bad path or a malformed desired/last_applied, before any I/O.
 */
int linx_cgroup_reconcile(const char *path, const struct linx_value *desired,
			  const struct linx_value *last_applied, uint32_t flags,
			  struct linx_value *ret_report,
			  struct linx_error *err);

/* The ops alone, from an `observed` {FILE: string} map: pure, no I/O. */
int linx_cgroup_reconcile_diff(const struct linx_value *observed,
			       const struct linx_value *desired,
			       const struct linx_value *last_applied,
			       uint32_t flags, struct linx_value *ret_ops,
			       struct linx_error *err);

/* Bits of struct linx_cgroup_stats.present. */
#define LINX_CGROUP_STAT_CPU_USEC (1u << 0)
#define LINX_CGROUP_STAT_CPU_USER_USEC (1u << 1)
#define LINX_CGROUP_STAT_CPU_SYSTEM_USEC (1u << 2)
#define LINX_CGROUP_STAT_CPU_NR_THROTTLED (1u << 3)
#define LINX_CGROUP_STAT_CPU_THROTTLED_USEC (1u << 4)
#define LINX_CGROUP_STAT_MEMORY_CURRENT (1u << 5)
#define LINX_CGROUP_STAT_MEMORY_PEAK (1u << 6)
#define LINX_CGROUP_STAT_PIDS_CURRENT (1u << 7)

/*
 * A snapshot of a cgroup's counters.  A field is valid only if its bit is
 * set in `present` (otherwise it is 0): a bit is clear when the file it
 * comes from does not exist (controller not enabled for this cgroup,
 * kernel too old), cannot be read, or holds a value that is not a
 * decimal number fitting 64 bits.
 */
struct linx_cgroup_stats {
	uint32_t present; /* LINX_CGROUP_STAT_* */
	uint32_t reserved;
	uint64_t cpu_usec;	     /* cpu.stat usage_usec */
	uint64_t cpu_user_usec;	     /* cpu.stat user_usec */
	uint64_t cpu_system_usec;    /* cpu.stat system_usec */
	uint64_t cpu_nr_throttled;   /* cpu.stat nr_throttled (cpu ctrl) */
	uint64_t cpu_throttled_usec; /* cpu.stat throttled_usec (cpu ctrl) */
	uint64_t memory_current;     /* memory.current, bytes */
	uint64_t memory_peak;	     /* memory.peak, bytes (Linux >= 5.19) */
	uint64_t pids_current;	     /* pids.current */
};

/*
 * Read the counters above into *ret.  Lines of cpu.stat it does not know
 * are ignored, so newer kernels' counters do not disturb it.  Fails only
 * when the cgroup directory itself cannot be opened (ENOENT, EACCES ...,
 * op "stats") or the path is refused; *ret is written only on success.
 */
int linx_cgroup_stats(const char *path,
			       struct linx_cgroup_stats *ret,
			       struct linx_error *err);

/*
 * Is the cgroup v2 unified hierarchy mounted at /sys/fs/cgroup, i.e. does
 * /sys/fs/cgroup/cgroup.controllers exist?  A hybrid host (v1
 * controllers under /sys/fs/cgroup, cgroup2 at /sys/fs/cgroup/unified)
 * answers false, although every other call works on its cgroup2 mount.
 */
bool linx_cgroup_supported(void);

LINX_END_DECLS

#endif /* LINX_CGROUP_H */
