/* SPDX-License-Identifier: MIT */
/*
 * linx/ns.h - acting inside another process's namespaces.
 *
 * Two primitives, both safe to use from a multi-threaded host such as the
 * Erlang VM:
 *
 *   linx_ns_socket()  opens a socket inside a target's network namespace on
 *                     a throwaway thread: no long-lived thread ever changes
 *                     namespace, and the socket stays bound to that netns
 *                     for its whole life.
 *   linx_ns_run()     runs a function inside a target's namespaces and
 *                     returns its result and error.  Namespaces a thread may
 *                     join (net, uts, ipc, mnt, cgroup) are entered on a
 *                     throwaway thread; user, pid and time need a
 *                     single-threaded caller, so when any of those is
 *                     involved the function runs in a short-lived forked
 *                     helper and its result crosses back over a pipe.
 *
 * The target is pinned before anything is joined: /proc/<pid> is opened
 * once (and checked against a pidfd), and each namespace file is opened
 * relative to that directory, so a pid that is recycled mid-way makes the
 * call fail with ESRCH instead of mixing two processes' namespaces.
 * Namespaces the caller already shares are skipped (setns(2) into one's
 * own user namespace fails with EINVAL).
 *
 * Error stages (err->op): "open_ns" (the process could not be pinned),
 * "open_ns_<kind>", "setns_<kind>", "unshare", "thread", "fork", "pipe",
 * and whatever the function itself reports.
 */
#ifndef LINX_NS_H
#define LINX_NS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

/* Namespace kinds, in the order they are entered: user first (so the rest
 * are joined with the capabilities it grants), pid last (it only affects
 * children). */
enum linx_ns_kind {
	LINX_NS_KIND_USER = 0,
	LINX_NS_KIND_CGROUP,
	LINX_NS_KIND_IPC,
	LINX_NS_KIND_UTS,
	LINX_NS_KIND_NET,
	LINX_NS_KIND_MNT,
	LINX_NS_KIND_TIME,
	LINX_NS_KIND_PID,
	LINX_NS_KIND_COUNT
};

#define LINX_NS_USER (1u << LINX_NS_KIND_USER)
#define LINX_NS_CGROUP (1u << LINX_NS_KIND_CGROUP)
#define LINX_NS_IPC (1u << LINX_NS_KIND_IPC)
#define LINX_NS_UTS (1u << LINX_NS_KIND_UTS)
#define LINX_NS_NET (1u << LINX_NS_KIND_NET)
#define LINX_NS_MNT (1u << LINX_NS_KIND_MNT)
#define LINX_NS_TIME (1u << LINX_NS_KIND_TIME)
#define LINX_NS_PID (1u << LINX_NS_KIND_PID)
#define LINX_NS_ALL ((1u << LINX_NS_KIND_COUNT) - 1u)
/* What a thread may join; anything else needs the forked helper. */
#define LINX_NS_THREAD_OK                                                    \
	(LINX_NS_NET | LINX_NS_UTS | LINX_NS_IPC | LINX_NS_MNT | LINX_NS_CGROUP)

/* "user", "cgroup", "ipc", "uts", "net", "mnt", "time", "pid" (the names of
 * the files in /proc/<pid>/ns), or NULL. */
LINX_API const char *linx_ns_kind_name(unsigned kind);
/* Parse one of those names; -1 if unknown. */
LINX_API int linx_ns_kind_from_name(const char *name);

enum linx_ns_target_kind {
	LINX_NS_TARGET_SELF = 0, /* the caller's own namespaces */
	LINX_NS_TARGET_PID = 1,	 /* every requested namespace of a process */
	LINX_NS_TARGET_PATH = 2, /* one namespace file (/run/netns/x, ...) */
};

struct linx_ns_target {
	uint32_t kind; /* enum linx_ns_target_kind */
	pid_t pid;     /* LINX_NS_TARGET_PID */
	const char *path; /* LINX_NS_TARGET_PATH; borrowed, not owned */
};

#define LINX_NS_TARGET_SELF_INIT { .kind = LINX_NS_TARGET_SELF }

/*
 * Read a target from a verb argument `v` (may be NULL: self):
 *   nil or "self"           -> self
 *   int/uint N (N > 0)      -> pid N
 *   "/absolute/path"        -> path
 *   map {"pid": N} or {"path": "/p"} -> the same
 * `ret->path` points into `v`, which must outlive the target.  Errors are
 * EINVAL naming `param`.
 */
LINX_API int linx_ns_target_from_value(const struct linx_value *v,
				       const char *param,
				       struct linx_ns_target *ret,
				       struct linx_error *err);

/* "self", "pid 1234" or "path /run/netns/x", snprintf-style. */
LINX_API size_t linx_ns_target_describe(const struct linx_ns_target *t,
					char *buf, size_t cap);

/*
 * A pinned target: the process is held by a pidfd and an open /proc/<pid>
 * directory, and the namespace files wanted (and not shared with the
 * caller) are open.  Every fd is O_CLOEXEC.
 */
struct linx_ns_pin {
	int pidfd;  /* -1 for a path target or without pidfd support */
	int procfd; /* /proc/<pid>, -1 for a path target */
	pid_t pid;
	uint32_t mask; /* namespaces to enter: bit set <=> fds[kind] open */
	int fds[LINX_NS_KIND_COUNT];
};

/*
 * Pin `t` and open the namespaces in `want` (LINX_NS_* bits) that differ
 * from the calling thread's.  For a path target, the file's namespace type
 * must be in `want` (else EINVAL).  For self, nothing is opened.
 * On success *ret must be released with linx_ns_pin_close(); on failure
 * nothing is left open.
 */
LINX_API int linx_ns_pin(const struct linx_ns_target *t, uint32_t want,
			 struct linx_ns_pin *ret, struct linx_error *err);

/* The two halves of linx_ns_pin(), for callers that pin a process early and
 * open its namespaces later (the namespaces then still come from the pinned
 * process, or the call fails with ESRCH if it is gone). */
LINX_API int linx_ns_pin_process(const struct linx_ns_target *t,
				 struct linx_ns_pin *ret,
				 struct linx_error *err);
LINX_API int linx_ns_pin_open(struct linx_ns_pin *pin, uint32_t want,
			      struct linx_error *err);

/*
 * Join the namespaces of `pin` selected by `kinds` (LINX_NS_* bits; only
 * those open in the pin are joined), user first and pid last, on the
 * calling thread.  Joining a pid namespace affects only children created
 * afterwards (setns(2)).  Stages: "unshare", "setns_<kind>".  Meant for a
 * single-threaded child (linx-agent); linx_ns_run() is the safe wrapper
 * for everyone else.
 */
LINX_API int linx_ns_pin_enter(const struct linx_ns_pin *pin, uint32_t kinds,
			       struct linx_error *err);

/*
 * Open the namespace file at `path` for setns(2) or IFLA_NET_NS_FD, the
 * one checked way to take a namespace by path.  The path must be absolute;
 * the file is looked at through an O_PATH descriptor first, so a FIFO,
 * device or socket is never opened for real (no blocking, no side
 * effects), and it must be an nsfs file whose NS_GET_NSTYPE is `kind`
 * (LINX_NS_KIND_*).  Returns an O_RDONLY|O_CLOEXEC fd owned by the caller,
 * or a negative errno: EINVAL naming `param` (the caller's parameter, for
 * the message) for anything that is not a namespace of that kind, the
 * open(2) errno otherwise (ENOENT, EACCES ...), with err->object = path.
 */
LINX_API int linx_ns_open_path(const char *path, unsigned kind,
			       const char *param, struct linx_error *err);

/* Close everything a pin holds; accepts NULL and a zeroed/closed pin. */
LINX_API void linx_ns_pin_close(struct linx_ns_pin *pin);

/* An initialised, empty pin (all fds -1). */
LINX_API void linx_ns_pin_init(struct linx_ns_pin *pin);

/*
 * Open socket(domain, type | SOCK_CLOEXEC, protocol) in the network
 * namespace of `t`.  Returns the fd (owned by the caller) or a negative
 * errno.  The calling thread's namespaces are never changed.
 */
LINX_API int linx_ns_socket(const struct linx_ns_target *t, int domain,
			    int type, int protocol, struct linx_error *err);

/*
 * The function linx_ns_run() runs inside the target.  It fills `ret` (nil
 * on entry) and returns >= 0, or returns a negative errno with `err`
 * filled.  When it runs in the forked helper it must stick to what is safe
 * after fork() in a multi-threaded program (file and socket I/O, malloc
 * via glibc), and `ret` must not contain handles (it is encoded to cross
 * the pipe).
 */
typedef int linx_ns_fn(void *arg, struct linx_value *ret,
		       struct linx_error *err);

/* Flags for linx_ns_run(). */
/* Always use the forked helper, even if a thread would do. */
#define LINX_NS_RUN_FORK 0x1u

/*
 * Run fn(arg) inside the namespaces `want` of `t` (joining only those not
 * shared; for self, fn runs directly on the calling thread).  Returns fn's
 * return value, with *ret and *err as fn left them, or a negative errno
 * from the entry itself.  `ret` may be NULL if fn produces no value.
 */
LINX_API int linx_ns_run(const struct linx_ns_target *t, uint32_t want,
			 uint32_t flags, linx_ns_fn *fn, void *arg,
			 struct linx_value *ret, struct linx_error *err);

/* Is namespace `kind` of the calling thread the same as the one open at
 * `fd`?  Compares device and inode. */
LINX_API bool linx_ns_fd_is_current(int fd, unsigned kind);

LINX_END_DECLS

#endif /* LINX_NS_H */
