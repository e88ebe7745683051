/* SPDX-License-Identifier: MIT */
/*
 * linx/process.h - the checkpoint protocol and its host-side C API.
 *
 * A workload is started by linx-agent, a small single-threaded program that
 * clone(2)s it into the namespaces asked for and parks it between clone and
 * execve(2) - the checkpoint.  While it is parked the host decides its
 * identity (user maps), resources, network, privileges and syscall surface;
 * proceed releases it and it execs with every constraint in force.
 *
 * One agent serves many sessions over one control channel, so starting a
 * workload never pays for starting a program.  A session that fails never
 * disturbs another.
 *
 * ---- the wire ----------------------------------------------------------
 *
 * Frames are a 4-byte big-endian length followed by that many bytes of a
 * value encoded with the core codec (value.h) - exactly Erlang's
 * {packet, 4}, so the Elixir binding drives the agent through a Port.  Every
 * message is a map with string keys.  By default the agent reads requests
 * on fd 3 and writes events on fd 4 (Erlang's nouse_stdio convention),
 * leaving 0-2 for the workloads' inherited stdio.
 *
 * Requests (host -> agent), key "op":
 *   spawn   {id, argv, env?, cwd?, namespaces?, stdio?, no_new_privs?,
 *            linger?, kill_grace_ms?, winsize?, auto_proceed?}
 *   enter   {id, target, namespaces?, ...same as spawn}
 *   proceed {id}          abort {id}          kill {id}
 *   signal  {id, signum}  call {id, ref, verb, args?}
 *   pty_write {id, data}  winsize {id, rows?, cols?, xpixel?, ypixel?}
 * Events (agent -> host), key "ev":
 *   hello {version, pid}
 *   spawned {id, host_pid}   ready {id, host_pid, child_pid}   running {id}
 *   exited {id, code}  signaled {id, signum}  aborted {id}
 *   error {id, errno, errno_name, stage, message}      (the four terminals)
 *   pty_out {id, data}
 *   result {id, ref, value} or {id, ref, errno, stage, message, param}
 *   reject {id, op, errno, reason, message}
 * docs/process/protocol.md describes every field.
 *
 * ---- child-side verbs --------------------------------------------------
 *
 * `call` runs a verb flagged LINX_VERB_CHILD inside the parked child (caps,
 * seccomp).  A failure whose error names a parameter (err->param set) is a
 * refusal: the child stays parked.  Any other failure is fatal: the child
 * exits and the session ends with `error`, stage = the verb's err->op
 * ("cap_drop_bounding", ...).  A verb whose result is a map holding
 * "at_exec": {"verb": V, "args": A} asks the agent to call V(A) in the
 * child as the very last step before execve (seccomp uses it so that its
 * filter screens nothing but the workload).
 *
 * ---- threading ---------------------------------------------------------
 *
 * A struct linx_agent and its sessions are used by one thread at a time
 * (the caller serialises).  Starting the agent uses posix_spawn(3), which
 * is safe in a multi-threaded host.
 */
#ifndef LINX_PROCESS_H
#define LINX_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

/* ---- framing ------------------------------------------------------------ */

/* Bytes in the length prefix. */
#define LINX_PROTO_HEADER 4
/* Largest payload either side accepts; a bigger frame is a protocol error
 * (the stream cannot be resynchronised, so the reader gives up). */
#define LINX_PROTO_FRAME_MAX (16u * 1024 * 1024)
/* PTY bytes travel in frames of at most this many bytes of data. */
#define LINX_PROTO_PTY_CHUNK (64u * 1024)

/*
 * Encode `msg` as one frame (header + payload) into `buf`.  Does not
 * allocate (usable in a cloned child).  -ENOBUFS if `cap` is too small,
 * with the needed size in *ret_len; -EMSGSIZE past LINX_PROTO_FRAME_MAX.
 */
LINX_API int linx_proto_encode_to(const struct linx_value *msg, void *buf,
				  size_t cap, size_t *ret_len,
				  struct linx_error *err);

/* Encode into a new malloc'd buffer owned by the caller (free()). */
LINX_API int linx_proto_encode(const struct linx_value *msg, void **ret_buf,
			       size_t *ret_len, struct linx_error *err);

/*
 * Look at the start of a byte stream.  Returns 0 if `len` bytes do not yet
 * hold a whole frame (*ret_used = 0, *ret_msg untouched), 1 if a frame was
 * decoded into *ret_msg (owned by the caller) and *ret_used bytes can be
 * dropped.  -EMSGSIZE for a length beyond LINX_PROTO_FRAME_MAX (fatal for
 * the stream); -EBADMSG for a payload that does not decode or is not a map
 * (*ret_used still tells how many bytes to skip, so the stream goes on).
 */
LINX_API int linx_proto_decode(const void *buf, size_t len, size_t *ret_used,
			       struct linx_value *ret_msg,
			       struct linx_error *err);

/* ---- namespaces by name ------------------------------------------------- */

/*
 * Parse namespace names ("net", "mount" or "mnt", "pid", "uts", "ipc",
 * "user", "cgroup", "time") separated by commas into LINX_NS_* bits.
 * EINVAL naming the first unknown one.
 */
LINX_API int linx_process_ns_parse(const char *names, uint32_t *ret_mask,
				   struct linx_error *err);

/* ---- the agent ---------------------------------------------------------- */

struct linx_agent;
struct linx_process;

/* Environment variable naming the agent executable (overrides the build
 * tree and install locations). */
#define LINX_AGENT_ENV "LINX_AGENT"

struct linx_agent_options {
	/* The linx-agent executable; NULL: $LINX_AGENT, then the build tree's
	 * agent (for binaries run from it), then the installed one. */
	const char *path;
	/* Plugins the agent loads before it clones anything, so parked
	 * children have them without loading (comma-separated, or NULL). */
	const char *preload;
	uint32_t flags; /* reserved, 0 */
	uint32_t reserved;
};

/*
 * Start an agent and connect to it.  The agent inherits the caller's fds
 * 0-2 and environment (what "inherit" stdio and env mean for workloads).
 * *ret is owned by the caller (linx_agent_free).  Stage names in err->op:
 * "socketpair", "spawn_agent", "hello".
 */
LINX_API int linx_agent_start(struct linx_agent **ret,
			      const struct linx_agent_options *opts,
			      struct linx_error *err);

/*
 * Take over an agent started some other way: `fd` is the host's end of a
 * connected stream socket whose other end the agent serves (requests and
 * events on one descriptor), `pid` the agent if it is the caller's child
 * (reaped by linx_agent_free and when it dies), or 0.  Waits for the
 * agent's greeting, as linx_agent_start does.  fd and pid are the
 * library's whatever the outcome: on failure fd is closed and pid reaped.
 * *ret is owned by the caller (linx_agent_free).  Used by `linx spawn`,
 * which forks its agent (agent/agent-main.h).
 * Stage names in err->op: "connect", "hello".
 */
LINX_API int linx_agent_connect(struct linx_agent **ret, int fd, pid_t pid,
				struct linx_error *err);

/*
 * Close the control channel and reap the agent.  Per the agent's rules
 * every non-lingering workload is terminated (SIGTERM, its grace period,
 * SIGKILL) and parked children are discarded; this call waits for the
 * agent to exit.  Sessions still held become detached (their calls fail
 * with ENOTCONN) and must still be freed.  Accepts NULL.
 */
LINX_API void linx_agent_free(struct linx_agent *agent);

/* The agent's pid, and a descriptor to poll for readability in an event
 * loop (then call linx_agent_dispatch with timeout 0).  Every call that
 * waits (linx_process_wait*, linx_agent_dispatch, the synchronous calls)
 * reads the channel itself and queues what it finds: drain the sessions'
 * events after such a call and before polling again, or events it queued
 * will sit unseen until the agent next writes. */
LINX_API pid_t linx_agent_pid(const struct linx_agent *agent);
LINX_API int linx_agent_fd(const struct linx_agent *agent);

/*
 * Read and route whatever events the agent has sent, waiting up to
 * `timeout_ms` (0: do not wait, -1: forever) for the first one.  Returns
 * the number of events routed, 0 on timeout, or a negative errno
 * (-ENOTCONN once the agent is gone).  If the agent dies, every session
 * that had not ended gets its one terminal event: ERROR with stage
 * "agent_died" (errno EPIPE; the message gives the agent's exit status).
 */
LINX_API int linx_agent_dispatch(struct linx_agent *agent, int timeout_ms,
				 struct linx_error *err);

/* ---- sessions ----------------------------------------------------------- */

enum linx_stdio_kind {
	LINX_STDIO_INHERIT = 0,
	LINX_STDIO_DEVNULL = 1,
	LINX_STDIO_CONNECT_UNIX = 2, /* `path`: resolved by the agent, in the
				      * host's mount namespace */
};

struct linx_stdio {
	uint32_t kind; /* enum linx_stdio_kind */
	uint32_t reserved;
	const char *path;
};

struct linx_winsize {
	uint16_t rows, cols, xpixel, ypixel;
};

struct linx_spawn_options {
	/* Required: argv[0] is the executable's path (no $PATH lookup);
	 * NULL-terminated.  Elements may be any bytes but NUL. */
	const char *const *argv;
	/* NULL: inherit the agent's environment.  Else "KEY=VALUE" strings,
	 * NULL-terminated. */
	const char *const *env;
	/* chdir(2) target just before execve; NULL: the agent's cwd. */
	const char *cwd;
	/* Spawn: LINX_NS_* namespaces to create.  Enter: the target's
	 * namespaces to join, 0 meaning all of them. */
	uint32_t namespaces;
	/* Stdio for fds 0, 1, 2 (ignored when pty is set). */
	struct linx_stdio stdio[3];
	/* A PTY shared by 0-2; the workload is its session leader and the
	 * PTY its controlling terminal.  Output arrives as PTY_OUT events. */
	bool pty;
	/* Apply prctl(PR_SET_NO_NEW_PRIVS) before execve. */
	bool no_new_privs;
	/* Keep the workload running if the host closes the control channel
	 * (the agent then lives on until it exits). */
	bool linger;
	/* Let the agent proceed by itself at the checkpoint. */
	bool auto_proceed;
	/* SIGTERM -> SIGKILL grace when the host goes away; 0: 2000 ms. */
	uint32_t kill_grace_ms;
	/* Initial PTY window size (when pty and rows or cols != 0). */
	struct linx_winsize winsize;
	uint32_t reserved[4];
};

enum linx_process_stage {
	LINX_PROCESS_STARTING = 0, /* request sent, no host pid yet */
	LINX_PROCESS_SPAWNED,	   /* host pid known, not yet parked */
	LINX_PROCESS_READY,	   /* parked at the checkpoint */
	LINX_PROCESS_RUNNING,	   /* execve succeeded */
	LINX_PROCESS_EXITED,	   /* terminal: exit code */
	LINX_PROCESS_SIGNALED,	   /* terminal: killed by a signal */
	LINX_PROCESS_ABORTED,	   /* terminal: discarded at the checkpoint */
	LINX_PROCESS_ERRORED,	   /* terminal: a pre-exec failure */
};

/* "starting", "spawned", ..., "errored"; NULL if out of range. */
LINX_API const char *linx_process_stage_name(unsigned stage);

static inline bool linx_process_stage_terminal(unsigned stage)
{
	return stage >= LINX_PROCESS_EXITED;
}

/* How a session ended. */
struct linx_process_result {
	uint32_t stage; /* EXITED, SIGNALED, ABORTED or ERRORED */
	int32_t value;	/* exit code, signal number, or errno */
	/* ERRORED: the failure; err.op is the stage name ("execve",
	 * "clone", "setns_net", "seccomp_install", ...). */
	struct linx_error error;
};

enum linx_process_event_type {
	LINX_PROCESS_EV_SPAWNED = 1, /* value: host pid */
	LINX_PROCESS_EV_READY,	     /* value: host pid; child_pid */
	LINX_PROCESS_EV_RUNNING,
	LINX_PROCESS_EV_EXITED,	  /* value: exit code */
	LINX_PROCESS_EV_SIGNALED, /* value: signal number */
	LINX_PROCESS_EV_ERROR,	  /* value: errno; error, stage */
	LINX_PROCESS_EV_ABORTED,
	LINX_PROCESS_EV_PTY_OUT, /* data, len */
};

struct linx_process_event {
	uint32_t type; /* enum linx_process_event_type */
	int32_t value;
	pid_t child_pid;
	uint32_t reserved;
	/* PTY_OUT: malloc'd bytes owned by the event (see _event_clear). */
	void *data;
	size_t len;
	/* ERROR: what failed (err.op is the stage). */
	struct linx_error error;
};

/* Free what an event owns and zero it.  Accepts NULL. */
LINX_API void linx_process_event_clear(struct linx_process_event *ev);

/*
 * Start a session: the agent clones argv into fresh `namespaces` and parks
 * it.  Invalid options (no argv, unknown namespace bits, a connect_unix
 * without a path...) are refused here with EINVAL before anything is sent.
 * Failures after that arrive as an ERROR event.  *ret is owned by the
 * caller (linx_process_free).
 */
LINX_API int linx_process_spawn(struct linx_agent *agent,
				const struct linx_spawn_options *opts,
				struct linx_process **ret,
				struct linx_error *err);

/*
 * Start a session in the namespaces of process `target` (nsenter, docker
 * exec).  opts->namespaces selects which (0: all the target has); those
 * already shared are skipped, user is joined first and pid last, and the
 * target is pinned (pidfd and /proc/<pid>) before the first setns.
 * Failures name the namespace: "open_ns_user", "setns_net", ...
 */
LINX_API int linx_process_enter(struct linx_agent *agent, pid_t target,
				const struct linx_spawn_options *opts,
				struct linx_process **ret,
				struct linx_error *err);

/*
 * Forget a session.  A workload that is not yet terminal is killed
 * (SIGKILL, reaped by the agent).  Accepts NULL.
 */
LINX_API void linx_process_free(struct linx_process *proc);

/* Release the parked child: it plumbs stdio, applies no_new_privs, cwd and
 * env, and execs.  -EAGAIN ("not_ready") before READY, -EALREADY after a
 * proceed, -ESRCH ("no_process") once terminal. */
LINX_API int linx_process_proceed(struct linx_process *proc,
				  struct linx_error *err);

/* Discard the session without running the workload.  Before READY the
 * abort is buffered and fires at the checkpoint; at READY it is immediate;
 * -EBUSY ("running") once proceed was sent; -ESRCH once terminal. */
LINX_API int linx_process_abort(struct linx_process *proc,
				struct linx_error *err);

/* Send `signum` to the workload.  Before it runs, signals are buffered and
 * delivered in order the moment it does.  -ESRCH once terminal. */
LINX_API int linx_process_signal(struct linx_process *proc, int signum,
				 struct linx_error *err);

/*
 * Wait for the terminal event, up to `timeout_ms` (-1: forever).  On
 * success fills *ret (if not NULL) and returns 0; -ETIMEDOUT leaves the
 * session untouched.  Works before and after the event was read with
 * linx_process_event_next().
 */
LINX_API int linx_process_wait(struct linx_process *proc, int timeout_ms,
			       struct linx_process_result *ret,
			       struct linx_error *err);

/* Wait until the session reaches at least `stage` (or ends).  Returns the
 * stage reached, -ETIMEDOUT, or a negative errno. */
LINX_API int linx_process_wait_stage(struct linx_process *proc,
				     unsigned stage, int timeout_ms,
				     struct linx_error *err);

struct linx_process_info {
	bool enter;	/* created by linx_process_enter */
	bool pty;
	uint16_t reserved;
	uint32_t stage; /* enum linx_process_stage */
	pid_t host_pid;	 /* 0 before SPAWNED */
	pid_t child_pid; /* its own view (1 in a fresh pid ns); 0 before READY */
	bool has_result;
	struct linx_process_result result;
};

/* A snapshot of the session (no I/O). */
LINX_API int linx_process_info(const struct linx_process *proc,
			       struct linx_process_info *ret,
			       struct linx_error *err);

/* The workload's host pid: -EAGAIN ("not_ready") before SPAWNED. */
LINX_API pid_t linx_process_host_pid(const struct linx_process *proc,
				     struct linx_error *err);

/* Pop the oldest queued event into *ret (owned by the caller, see
 * linx_process_event_clear).  Returns 1, or 0 if none is queued (call
 * linx_agent_dispatch to read more). */
LINX_API int linx_process_event_next(struct linx_process *proc,
				     struct linx_process_event *ret);

/*
 * Call child-side verb `verb` (LINX_VERB_CHILD) inside the parked child and
 * wait for its result (*ret, owned by the caller; may be NULL).  Only at
 * READY (-EAGAIN before, -EBUSY after proceed, -ESRCH when terminal).  A
 * refusal (bad argument) leaves the child parked; a kernel failure ends
 * the session, and the error's op is its stage.
 */
LINX_API int linx_process_call(struct linx_process *proc, const char *verb,
			       const struct linx_value *args,
			       struct linx_value *ret, struct linx_error *err);

/* Queue bytes for the workload's PTY (never truncated; large writes are
 * buffered by the agent).  -ENOTTY without a PTY, -ESRCH once terminal. */
LINX_API int linx_process_pty_write(struct linx_process *proc,
				    const void *data, size_t len,
				    struct linx_error *err);

/* Set the PTY window size (before proceed, or while running: the workload
 * gets SIGWINCH).  -ENOTTY without a PTY, -ESRCH once terminal. */
LINX_API int linx_process_pty_set_winsize(struct linx_process *proc,
					  const struct linx_winsize *ws,
					  struct linx_error *err);

LINX_END_DECLS

#endif /* LINX_PROCESS_H */
