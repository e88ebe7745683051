/* SPDX-License-Identifier: MIT */
/*
 * A session's life in the agent: requests from the host, frames from the
 * child, reaping, and exactly one terminal event.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "agent.h"
#include "wire.h"

/* Stop reading PTYs while this much output waits for the host. */
#define OUT_HIGH_WATER (8u << 20)

struct session *session_find(uint64_t id)
{
	for (struct session *s = agent.sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

/*
 * The workload and the middle child of an enter are our own children (the
 * former through CLONE_PARENT), and a child's pid cannot be reused before
 * its parent reaps it (wait(2)): until then kill(2) reaches exactly it,
 * which spares a pidfd per session.  After the reap, nothing is sent.
 */
static int send_signal(struct session *s, int sig)
{
	if (s->reaped) {
		errno = ESRCH;
		return -1;
	}
	if (s->pid > 0)
		return kill(s->pid, sig);
	if (s->helper > 0)
		return kill(s->helper, sig);
	errno = ESRCH;
	return -1;
}

static void close_cmd(struct session *s)
{
	if (s->cmd_fd >= 0)
		close(s->cmd_fd);
	s->cmd_fd = -1;
	outbuf_free(&s->cmd_out);
}

static void send_cmd(struct session *s, struct linx_value *msg)
{
	void *buf = NULL;
	size_t len = 0;
	int r;

	if (s->cmd_fd < 0 || linx_proto_encode(msg, &buf, &len, NULL) < 0) {
		linx_value_clear(msg);
		return;
	}
	linx_value_clear(msg);
	r = outbuf_write(&s->cmd_out, s->cmd_fd, buf, len);
	free(buf);
	if (r == -ENOMEM)
		emit_reject(s->id, LINX_WO_CALL, ENOMEM, "nomem", "out of memory");
	else if (r < 0)
		close_cmd(s); /* the child is gone; the reap will tell */
}

void session_cmd_writable(struct session *s)
{
	if (s->cmd_fd >= 0 && outbuf_flush(&s->cmd_out, s->cmd_fd) < 0)
		close_cmd(s);
}

void session_kill(struct session *s, bool abort)
{
	if (linx_process_stage_terminal(s->stage))
		return;
	if (s->stage < LINX_PROCESS_RUNNING) {
		/* Never let it reach execve: EOF on its command pipe, and
		 * SIGKILL in case a verb keeps it busy. */
		s->aborting = abort || !s->proceed_sent;
		close_cmd(s);
	}
	send_signal(s, SIGKILL);
}

static void do_proceed(struct session *s)
{
	/* An empty frame (child.c): nothing for the child to decode. */
	static const uint8_t empty[LINX_PROTO_HEADER];

	s->proceed_sent = true;
	if (s->cmd_fd >= 0 &&
	    outbuf_write(&s->cmd_out, s->cmd_fd, empty, sizeof(empty)) < 0)
		close_cmd(s); /* the child is gone or unreachable: the reap
			       * will tell */
}

static void flush_signals(struct session *s)
{
	for (unsigned i = 0; i < s->n_signals; i++)
		send_signal(s, s->signals[i]);
	s->n_signals = 0;
}

static void set_running(struct session *s)
{
	struct linx_value ev;

	if (s->stage >= LINX_PROCESS_RUNNING)
		return;
	s->stage = LINX_PROCESS_RUNNING;
	ev = event(LINX_WE_RUNNING, s->id);
	emit(&ev);
	flush_signals(s);
}

/* ---- requests ------------------------------------------------------------- */

static void req_call(struct session *s, const struct linx_value *msg)
{
	const struct linx_value *verb = linx_map_get(msg, LINX_WK_VERB);
	const struct linx_value *args = linx_map_get(msg, LINX_WK_ARGS);
	const struct linx_verb *vb = NULL;
	struct linx_value ev, copy = linx_value_nil();
	struct linx_error e;
	uint64_t ref = 0;
	int r;

	linx_error_clear(&e);
	linx_value_get_u64(linx_map_get(msg, LINX_WK_REF), &ref);
	if (ref & PLAN_REF) {
		r = linx_error_param(&e, "call", "ref",
				     "refs from 2^63 up are the agent's own");
	} else if (!verb || verb->type != LINX_STRING) {
		r = linx_error_param(&e, "call", "verb", "no verb named");
	} else {
		/* Resolve here, in the agent: loading the plugin here means
		 * later children are born with it, and only the agent knows
		 * a host-side verb must not run in the child.  The arguments
		 * are validated once, by linx_call() in the child: its
		 * refusal (a param error) leaves it parked. */
		r = linx_registry_find(agent.reg, verb->str, &vb, &e);
		if (r >= 0 && !(vb->flags & LINX_VERB_CHILD)) {
			linx_error_set(&e, EPERM, "call",
				       "%s is not a child-side verb; call it "
				       "from the host",
				       verb->str);
			r = linx_error_object(&e, verb->str);
		}
	}
	if (r < 0) {
		ev = event(LINX_WE_RESULT, s->id);
		linx_map_put_uint(&ev, LINX_WK_REF, ref);
		linx_error_to_value(&e, &ev);
		emit(&ev);
		return;
	}
	if (args && linx_value_copy(&copy, args) < 0) {
		emit_reject(s->id, LINX_WO_CALL, ENOMEM, "nomem", "out of memory");
		return;
	}
	session_send_call(s, ref, verb->str, &copy);
}

void session_send_call(struct session *s, uint64_t ref, const char *verb,
		       struct linx_value *args)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, LINX_WK_T, LINX_WT_CALL);
	linx_map_put_uint(&m, LINX_WK_REF, ref);
	linx_map_put_cstring(&m, LINX_WK_VERB, verb);
	linx_map_put(&m, LINX_WK_ARGS, args);
	send_cmd(s, &m);
}

/*
 * Fields of a window size (struct winsize, ioctl_tty(2): unsigned short
 * each) from `m` into `ws`.  A field `m` does not give keeps its value in
 * `ws`; one out of 0..65535, or not an integer, is refused (EINVAL naming
 * it) rather than truncated, and `ws` is then left as it was.
 */
int winsize_from(const struct linx_value *m, const char *op,
		 struct winsize *ws, struct linx_error *e)
{
	static const char *const names[4] = { LINX_WK_ROWS, LINX_WK_COLS,
					      LINX_WK_XPIXEL, LINX_WK_YPIXEL };
	unsigned short *const field[4] = { &ws->ws_row, &ws->ws_col,
					   &ws->ws_xpixel, &ws->ws_ypixel };
	unsigned short got[4];

	for (int i = 0; i < 4; i++) {
		const struct linx_value *v = linx_map_get(m, names[i]);
		uint64_t x;

		got[i] = *field[i];
		if (!v || v->type == LINX_NIL)
			continue;
		if (!linx_value_get_u64(v, &x) || x > USHRT_MAX)
			return linx_error_param(e, op, names[i],
						"%s must be an integer "
						"0..%u",
						names[i], USHRT_MAX);
		got[i] = (unsigned short)x;
	}
	for (int i = 0; i < 4; i++)
		*field[i] = got[i];
	return 0;
}

static void req_winsize(struct session *s, const struct linx_value *msg)
{
	struct winsize ws = { 0 };
	struct linx_error e;

	/* Start from the current size: a field not given is kept. */
	if (ioctl(s->pty_fd, TIOCGWINSZ, &ws) < 0) {
		emit_reject(s->id, LINX_WO_WINSIZE, errno, "ioctl",
			    "TIOCGWINSZ: %s", linx_strerror(errno));
		return;
	}
	if (winsize_from(msg, LINX_WO_WINSIZE, &ws, &e) < 0) {
		emit_reject(s->id, LINX_WO_WINSIZE, e.code, "bad_winsize", "%s",
			    e.message);
		return;
	}
	/* TIOCSWINSZ on the master: the kernel sends SIGWINCH to the
	 * terminal's foreground process group (ioctl_tty(2)). */
	if (ioctl(s->pty_fd, TIOCSWINSZ, &ws) < 0)
		emit_reject(s->id, LINX_WO_WINSIZE, errno, "ioctl",
			    "TIOCSWINSZ: %s", linx_strerror(errno));
}

/* Is the child parked at the checkpoint, free to take a request? */
static bool is_parked(const struct session *s)
{
	return s->stage == LINX_PROCESS_READY && !s->proceed_sent &&
	       !s->aborting;
}

static bool past_checkpoint(const struct session *s)
{
	return s->proceed_sent || s->stage >= LINX_PROCESS_RUNNING;
}

static void op_proceed(struct session *s, const struct linx_value *msg,
		       const char *op)
{
	(void)msg;
	if (past_checkpoint(s))
		emit_reject(s->id, op, EALREADY, "running", "already released");
	else if (!is_parked(s))
		emit_reject(s->id, op, EAGAIN, "not_ready",
			    "the child is not parked");
	else
		do_proceed(s);
}

static void op_abort(struct session *s, const struct linx_value *msg,
		     const char *op)
{
	(void)msg;
	if (past_checkpoint(s))
		emit_reject(s->id, op, EBUSY, "running",
			    "past the checkpoint; use a signal");
	else if (is_parked(s))
		session_kill(s, true);
	else
		s->abort_pending = true; /* fires at ready */
}

static void op_kill(struct session *s, const struct linx_value *msg,
		    const char *op)
{
	(void)msg;
	(void)op;
	session_kill(s, false);
}

static void op_signal(struct session *s, const struct linx_value *msg,
		      const char *op)
{
	int64_t sig = 0;

	if (!linx_value_get_i64(linx_map_get(msg, LINX_WK_SIGNUM), &sig) ||
	    sig <= 0 || sig >= NSIG)
		emit_reject(s->id, op, EINVAL, "bad_signal",
			    "signum must be 1..%d", NSIG - 1);
	else if (s->stage == LINX_PROCESS_RUNNING)
		send_signal(s, (int)sig);
	else if (s->n_signals >= MAX_BUFFERED_SIGNALS)
		emit_reject(s->id, op, ENOBUFS, "too_many_signals",
			    "at most %d signals are buffered",
			    MAX_BUFFERED_SIGNALS);
	else
		s->signals[s->n_signals++] = (int)sig;
}

/* call and setup: only while parked. */
static void op_at_checkpoint(struct session *s, const struct linx_value *msg,
			     const char *op)
{
	if (past_checkpoint(s))
		emit_reject(s->id, op, EBUSY, "running", "past the checkpoint");
	else if (!is_parked(s))
		emit_reject(s->id, op, EAGAIN, "not_ready",
			    "the child is not parked");
	else if (strcmp(op, LINX_WO_CALL) == 0)
		req_call(s, msg);
	else
		plan_request(s, msg);
}

static void op_pty(struct session *s, const struct linx_value *msg,
		   const char *op)
{
	const struct linx_value *d = linx_map_get(msg, LINX_WK_DATA);

	if (s->pty_fd < 0)
		emit_reject(s->id, op, ENOTTY, "no_pty",
			    "the session has no PTY");
	else if (strcmp(op, LINX_WO_WINSIZE) == 0)
		req_winsize(s, msg);
	else if (!d || (d->type != LINX_BYTES && d->type != LINX_STRING))
		emit_reject(s->id, op, EINVAL, "bad_data", "data must be bytes");
	else if (outbuf_append(&s->pty_in, d->bytes, d->len) < 0)
		emit_reject(s->id, op, ENOMEM, "nomem", "out of memory");
	else
		session_pty_writable(s);
}

static const struct {
	const char *op;
	void (*fn)(struct session *s, const struct linx_value *msg,
		   const char *op);
	bool waits_for_setup; /* refused while a setup's calls run */
} session_ops[] = {
	{ LINX_WO_PROCEED, op_proceed, true },
	{ LINX_WO_ABORT, op_abort, false },
	{ LINX_WO_KILL, op_kill, false },
	{ LINX_WO_SIGNAL, op_signal, false },
	{ LINX_WO_CALL, op_at_checkpoint, true },
	{ LINX_WO_SETUP, op_at_checkpoint, true },
	{ LINX_WO_PTY_WRITE, op_pty, false },
	{ LINX_WO_WINSIZE, op_pty, false },
};

void session_request(const struct linx_value *msg, const char *op,
		     uint64_t id)
{
	struct session *s = session_find(id);

	if (!s) {
		emit_reject(id, op, ESRCH, "no_process",
			    "no session %llu (ended, or never started)",
			    (unsigned long long)id);
		return;
	}
	for (size_t i = 0; i < sizeof(session_ops) / sizeof(session_ops[0]);
	     i++) {
		if (strcmp(op, session_ops[i].op) != 0)
			continue;
		if (session_ops[i].waits_for_setup && plan_busy(s))
			emit_reject(id, op, EBUSY, "setup_running",
				    "the session's setup is still running");
		else
			session_ops[i].fn(s, msg, op);
		return;
	}
	emit_reject(id, op, EINVAL, "unknown_op", "unknown op \"%s\"", op);
}

/* ---- frames from the child ----------------------------------------------- */

void session_on_ready(struct session *s)
{
	struct linx_value ev = event(LINX_WE_READY, s->id);

	s->stage = LINX_PROCESS_READY;
	linx_map_put_int(&ev, LINX_WK_HOST_PID, s->pid);
	linx_map_put_int(&ev, LINX_WK_CHILD_PID, s->child_pid);
	emit(&ev);
	if (s->abort_pending)
		session_kill(s, true);
	else if (s->auto_proceed)
		do_proceed(s);
}

static void on_frame(struct session *s, const struct linx_value *m)
{
	const struct linx_value *t = linx_map_get(m, LINX_WK_T);
	int64_t v = 0;

	if (!t || t->type != LINX_STRING)
		return;
	if (strcmp(t->str, LINX_WT_READY) == 0) {
		linx_value_get_i64(linx_map_get(m, LINX_WK_PID), &v);
		if (s->ready_seen)
			return; /* spawn: announced at clone time */
		s->child_pid = (pid_t)v;
		s->ready_seen = true;
		if (s->pid > 0)
			session_on_ready(s);
	} else if (strcmp(t->str, LINX_WT_PID) == 0) {
		struct linx_value ev = event(LINX_WE_SPAWNED, s->id);

		linx_value_get_i64(linx_map_get(m, LINX_WK_PID), &v);
		s->pid = (pid_t)v;
		s->stage = LINX_PROCESS_SPAWNED;
		linx_map_put_int(&ev, LINX_WK_HOST_PID, s->pid);
		emit(&ev);
		if (s->ready_seen)
			session_on_ready(s);
	} else if (strcmp(t->str, LINX_WT_RESULT) == 0) {
		struct linx_value ev;

		if (plan_on_result(s, m))
			return;
		ev = event(LINX_WE_RESULT, s->id);

		for (uint32_t i = 0; i < m->len; i++) {
			struct linx_value copy;

			if (strcmp(m->pairs[i].key, LINX_WK_T) == 0 ||
			    linx_value_copy(&copy, &m->pairs[i].value) < 0)
				continue;
			linx_map_put(&ev, m->pairs[i].key, &copy);
		}
		emit(&ev);
	} else if (strcmp(t->str, LINX_WT_ERROR) == 0) {
		if (!s->error)
			s->error = malloc(sizeof(*s->error));
		if (!s->error)
			return; /* reported as an unexplained death */
		/* All of it, param, object and extended ACK included. */
		linx_error_from_value(m, s->error);
		if (!s->error->op[0])
			memcpy(s->error->op, "child", sizeof("child"));
		s->have_error = true;
	}
}

static void maybe_finish(struct session *s);

void session_status_readable(struct session *s)
{
	for (;;) {
		ssize_t n = inbuf_read(&s->status_in, s->status_fd);
		size_t off = 0;

		for (;;) {
			struct linx_value m = linx_value_nil();
			size_t used = 0;
			int r = linx_proto_decode(s->status_in.data + off,
						  s->status_in.len - off, &used,
						  &m, NULL);

			off += used;
			if (r <= 0 && used == 0)
				break;
			if (r > 0)
				on_frame(s, &m);
			linx_value_clear(&m);
		}
		inbuf_consume(&s->status_in, off);
		if (n == -EAGAIN)
			return;
		if (n > 0)
			continue;
		/* EOF (or an error): every copy of the write end is closed.
		 * After proceed without an error, that is execve succeeding
		 * (the pipe is O_CLOEXEC). */
		close(s->status_fd);
		s->status_fd = -1;
		inbuf_free(&s->status_in);
		if (s->proceed_sent && !s->have_error && !s->aborting &&
		    s->pid > 0)
			set_running(s);
		maybe_finish(s);
		return;
	}
}

/* ---- the PTY ---------------------------------------------------------------- */

static void close_pty(struct session *s)
{
	if (s->pty_fd >= 0)
		close(s->pty_fd);
	s->pty_fd = -1;
	outbuf_free(&s->pty_in);
}

/* Up to `reads` reads of the terminal, each an event; with `throttle`,
 * none past the high-water mark of the host's queue. */
static void pty_read(struct session *s, int reads, bool throttle)
{
	uint8_t buf[LINX_PROTO_PTY_CHUNK];

	for (int i = 0; i < reads && s->pty_fd >= 0; i++) {
		ssize_t n = read(s->pty_fd, buf, sizeof(buf));
		struct linx_value ev;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* EIO: every slave descriptor is closed (pty(7)). */
			if (s->reaped || s->stage >= LINX_PROCESS_RUNNING)
				close_pty(s);
			return;
		}
		ev = event(LINX_WE_PTY_OUT, s->id);
		linx_map_put_bytes(&ev, LINX_WK_DATA, buf, (size_t)n);
		emit(&ev);
		if (throttle && outbuf_pending(&agent.out) > OUT_HIGH_WATER)
			return;
	}
}

void session_pty_readable(struct session *s)
{
	/* A bounded number of reads per turn keeps one chatty workload from
	 * starving the others. */
	pty_read(s, 16, true);
}

void session_pty_writable(struct session *s)
{
	int r;

	if (s->pty_fd < 0 || !outbuf_pending(&s->pty_in))
		return;
	r = outbuf_flush(&s->pty_in, s->pty_fd);
	if (r < 0 && r != -EIO)
		outbuf_free(&s->pty_in);
}

bool session_pty_wants_read(const struct session *s)
{
	return s->pty_fd >= 0 && outbuf_pending(&agent.out) <= OUT_HIGH_WATER;
}

/* ---- the end ---------------------------------------------------------------- */

static void terminal(struct session *s)
{
	struct linx_value ev;

	/* Whatever the workload wrote before it died is delivered first,
	 * past the high-water mark too (stopping there dropped the rest):
	 * once its writer is gone the terminal holds a few pages at most.
	 * A descendant that kept the terminal open and writes on is cut
	 * off after 64 reads. */
	if (s->pty_fd >= 0) {
		pty_read(s, 64, false);
		close_pty(s);
	}
	/* Nothing of the session stays open once the host hears it ended. */
	close_cmd(s);
	plan_session_end(s);
	if (s->have_error) {
		emit_error(s->id, s->error);
		s->stage = LINX_PROCESS_ERRORED;
		return;
	}
	if (s->aborting && s->stage < LINX_PROCESS_RUNNING) {
		ev = event(LINX_WE_ABORTED, s->id);
		s->stage = LINX_PROCESS_ABORTED;
	} else if (s->pid <= 0) {
		struct linx_error e;

		linx_error_set(&e, EIO, "fork",
			       "the namespace-entry child died before "
			       "reporting the workload");
		emit_error(s->id, &e);
		s->stage = LINX_PROCESS_ERRORED;
		return;
	} else if (WIFSIGNALED(s->wstatus)) {
		ev = event(LINX_WE_SIGNALED, s->id);
		linx_map_put_int(&ev, LINX_WK_SIGNUM, WTERMSIG(s->wstatus));
		s->stage = LINX_PROCESS_SIGNALED;
	} else {
		ev = event(LINX_WE_EXITED, s->id);
		linx_map_put_int(&ev, LINX_WK_CODE, WEXITSTATUS(s->wstatus));
		s->stage = LINX_PROCESS_EXITED;
	}
	emit(&ev);
}

static void maybe_finish(struct session *s)
{
	bool workload_done = s->pid > 0 ? s->reaped : s->helper < 0;

	if (linx_process_stage_terminal(s->stage) || !workload_done ||
	    s->helper > 0 || s->status_fd >= 0)
		return;
	terminal(s);
}

static void session_free(struct session *s)
{
	close_cmd(s);
	close_pty(s);
	if (s->status_fd >= 0)
		close(s->status_fd);
	inbuf_free(&s->status_in);
	plan_session_end(s);
	free(s->error);
	free(s);
}

void sessions_collect(void)
{
	struct session **pp = &agent.sessions;

	while (*pp) {
		struct session *s = *pp;

		if (linx_process_stage_terminal(s->stage)) {
			*pp = s->next;
			session_free(s);
		} else {
			pp = &s->next;
		}
	}
}

void sessions_reap(void)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG | __WALL);

		if (pid <= 0)
			break;
		for (struct session *s = agent.sessions; s; s = s->next) {
			if (s->pid == pid && !s->reaped) {
				s->reaped = true;
				s->wstatus = status;
				/* Take the rest of what it said first. */
				if (s->status_fd >= 0)
					session_status_readable(s);
				maybe_finish(s);
				break;
			}
			if (s->helper == pid) {
				s->helper = -1;
				if (s->status_fd >= 0)
					session_status_readable(s);
				maybe_finish(s);
				break;
			}
		}
		/* Anything else is an orphan we adopted as subreaper. */
	}
}

void sessions_shutdown(void)
{
	int64_t now = agent_now_ms();

	for (struct session *s = agent.sessions; s; s = s->next) {
		if (s->linger || linx_process_stage_terminal(s->stage))
			continue;
		if (s->stage < LINX_PROCESS_RUNNING && !s->proceed_sent) {
			session_kill(s, true);
		} else if (!s->term_sent) {
			s->term_sent = true;
			send_signal(s, SIGTERM);
			s->kill_deadline = now + s->grace_ms;
		}
	}
}

void sessions_timers(void)
{
	int64_t now = agent_now_ms();

	for (struct session *s = agent.sessions; s; s = s->next) {
		if (s->kill_deadline && now >= s->kill_deadline) {
			s->kill_deadline = 0;
			send_signal(s, SIGKILL);
		}
	}
}

/* Milliseconds until the nearest SIGKILL deadline (0 if one has passed),
 * or -1 for none: poll(2)'s timeout. */
int sessions_next_timeout(void)
{
	int64_t now = agent_now_ms(), best = INT64_MAX;

	for (struct session *s = agent.sessions; s; s = s->next)
		if (s->kill_deadline && s->kill_deadline - now < best)
			best = s->kill_deadline - now;
	if (best == INT64_MAX)
		return -1;
	return best <= 0 ? 0 : best > INT32_MAX ? INT32_MAX : (int)best;
}
