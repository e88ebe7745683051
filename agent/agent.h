/* SPDX-License-Identifier: MIT */
/*
 * linx-agent internals.  The agent is one thread and one poll(2) loop:
 *
 *   main.c     the control channel, the loop, shutdown
 *   session.c  requests that act on a session, events, reaping
 *   start.c    preparing and cloning a workload (spawn and enter)
 *   child.c    the code that runs in the cloned child, up to execve
 *   buf.c      byte queues for non-blocking descriptors
 *   slice.c    the agent's scheduling slice
 *   plan.c     the checkpoint plan (setup requests)
 *
 * Nothing here is a library: it may exit, but it never prints (errors go
 * to the host as events).
 */
#ifndef LINX_AGENT_H
#define LINX_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <linx/linx.h>
#include <linx/process.h>

/* ---- buf.c --------------------------------------------------------------- */

struct outbuf {
	uint8_t *data;
	size_t off, len, cap; /* pending bytes are data[off, len) */
};

struct inbuf {
	uint8_t *data;
	size_t len, cap;
};

static inline size_t outbuf_pending(const struct outbuf *b)
{
	return b->len - b->off;
}
int outbuf_append(struct outbuf *b, const void *p, size_t n);
/* Write n bytes to fd after what is queued, queueing what it does not
 * take now: 0, -ENOMEM, or a negative errno from write(2). */
int outbuf_write(struct outbuf *b, int fd, const void *p, size_t n);
/* Write what the fd takes without blocking: 0 (maybe partial), or a
 * negative errno (EPIPE...). */
int outbuf_flush(struct outbuf *b, int fd);
void outbuf_free(struct outbuf *b);
/* Read what is there: >0 bytes, 0 at EOF, -EAGAIN, or -errno. */
ssize_t inbuf_read(struct inbuf *b, int fd);
void inbuf_consume(struct inbuf *b, size_t n);
void inbuf_free(struct inbuf *b);

/* ---- sessions ------------------------------------------------------------ */

#define MAX_BUFFERED_SIGNALS 64

struct session {
	struct session *next;
	uint64_t id;
	uint32_t stage; /* enum linx_process_stage */
	bool enter;
	bool linger, auto_proceed;
	bool abort_pending; /* abort asked before ready */
	bool proceed_sent;
	bool aborting;	  /* abort or kill in progress */
	bool term_sent;	  /* SIGTERM sent at shutdown */
	bool have_error;  /* a pre-exec failure waits for the reap */
	bool reaped;
	bool ready_seen;  /* ready frame came (maybe before the pid) */
	pid_t pid;	  /* the workload, host view; 0 until known */
	pid_t helper;	  /* enter with a pid namespace: the middle child */
	pid_t child_pid;  /* the workload's own view */
	int wstatus;
	int cmd_fd;	  /* to the child (non-blocking), -1 once closed */
	struct outbuf cmd_out;
	int status_fd;	  /* from the child, -1 at EOF */
	struct inbuf status_in;
	int pty_fd;	  /* master, -1 without a PTY */
	struct outbuf pty_in;
	uint32_t grace_ms;
	int64_t kill_deadline; /* SIGKILL after this (ms), 0: none */
	int signals[MAX_BUFFERED_SIGNALS];
	unsigned n_signals;
	/* The child's fatal error, once it sent one (kept off the struct so
	 * that a session is a small allocation). */
	struct linx_error *error;
	uint32_t namespaces;	/* spawn: LINX_NS_* created */
	struct plan_exec *plan; /* setup requested (plan.c) */
};

/* What the child needs, prepared by the agent before clone. */
struct child_cfg {
	bool enter;
	bool pty;
	bool nnp;
	char **argv;
	char **envp; /* NULL: inherit */
	char *cwd;
	int stdio[3]; /* fd to dup2 onto 0-2, -1: inherit */
	int pty_slave;
	int cmd_fd;    /* read end */
	int status_fd; /* write end */
	struct linx_ns_pin pin;
	uint32_t enter_mask;
};

/* ---- the agent's state (main.c) --------------------------------------- */

struct agent {
	int in_fd, out_fd;
	bool in_closed, out_dead;
	struct inbuf in;
	struct outbuf out;
	int sig_fd;
	int self_pidfd; /* the children watch it to detect our death */
	uint64_t host_slice_ns; /* the slice we started with (slice.c) */
	bool slice_changed;
	/* RLIMIT_NOFILE as we were started with; raised to the hard limit
	 * for ourselves (nofile_raised), put back in every child (child.c). */
	struct rlimit nofile;
	bool nofile_raised;
	struct linx_registry *reg;
	struct session *sessions;
};

extern struct agent agent;

int64_t agent_now_ms(void);

/* Queue an event for the host (consumes *msg). */
void emit(struct linx_value *msg);
struct linx_value event(const char *name, uint64_t id);
void emit_error(uint64_t id, const struct linx_error *err);
void emit_reject(uint64_t id, const char *op, int code, const char *reason,
		 const char *fmt, ...) LINX_PRINTF(5, 6);

/* ---- session.c ---------------------------------------------------------- */

struct session *session_find(uint64_t id);
struct winsize;
int winsize_from(const struct linx_value *m, const char *op,
		 struct winsize *ws, struct linx_error *e);
void session_request(const struct linx_value *msg, const char *op,
		     uint64_t id);
void session_status_readable(struct session *s);
void session_pty_readable(struct session *s);
void session_pty_writable(struct session *s);
void session_cmd_writable(struct session *s);
void sessions_reap(void);
void sessions_shutdown(void);
void sessions_timers(void);
int sessions_next_timeout(void);
/* Drop sessions that emitted their terminal event. */
void sessions_collect(void);
void session_kill(struct session *s, bool abort);
void session_on_ready(struct session *s);
/* Send a call frame to the parked child (consumes *args). */
void session_send_call(struct session *s, uint64_t ref, const char *verb,
		       struct linx_value *args);

/* ---- plan.c ------------------------------------------------------------- */

/* Refs of the agent's own child calls (a host's call may not use them). */
#define PLAN_REF (1ull << 63)

void plan_request(struct session *s, const struct linx_value *msg);
/* A result frame from the child: true if it answered one of the plan's
 * calls (the host must not see it). */
bool plan_on_result(struct session *s, const struct linx_value *m);
/* The child calls of a setup are still going. */
bool plan_busy(const struct session *s);
/* The session ended: answer a pending setup, remove its cgroup. */
void plan_session_end(struct session *s);
/* At exit, with every adopted process gone: remove the cgroups that were
 * still busy when their session ended. */
void plans_shutdown(void);
bool session_pty_wants_read(const struct session *s);

/* ---- start.c ------------------------------------------------------------ */

void start_session(const struct linx_value *msg, bool enter, uint64_t id);

/* ---- slice.c ------------------------------------------------------------ */

/* Ask for a short scheduling slice (at startup). */
void slice_init(void);
/* In the child before execve: give back the slice the agent started with. */
void slice_restore(void);

/* ---- child.c ------------------------------------------------------------ */

void child_main(struct child_cfg *cfg) __attribute__((noreturn));
/* The middle child of an enter with a pid namespace. */
void child_enter_main(struct child_cfg *cfg) __attribute__((noreturn));

/* Frames between the agent and its children use the same framing. */
int write_frame(int fd, struct linx_value *msg);

#endif /* LINX_AGENT_H */
