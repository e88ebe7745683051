/* SPDX-License-Identifier: MIT */
/*
 * The agent: clones workloads, parks them at the checkpoint, and reports
 * their lives over one framed control channel (include/linx/process.h).
 * agent_main() (agent-main.h) is all of it; linx-agent.c is the program
 * around it, and `linx spawn` forks and calls it instead of exec'ing that
 * program (agent_fork(), fork.c).
 *
 * Fds 0-2 stay what the host gave, so "inherit" stdio means the host's.
 *
 * When the control channel closes (the host exited or closed it), every
 * session that does not linger is ended: parked children are discarded,
 * running workloads get SIGTERM and, after their grace period, SIGKILL.
 * The agent exits once the last workload is reaped, killing any orphan it
 * adopted as a child subreaper.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent-main.h"
#include "agent.h"
#include "wire.h"

struct agent agent = { .in_fd = -1, .out_fd = -1, .sig_fd = -1,
		       .self_pidfd = -1 };

int64_t agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- events ----------------------------------------------------------------- */

struct linx_value event(const char *name, uint64_t id)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, LINX_WK_EV, name);
	linx_map_put_uint(&m, LINX_WK_ID, id);
	return m;
}

/* The host is gone: nobody to tell any more. */
static void host_gone(void)
{
	agent.out_dead = true;
	outbuf_free(&agent.out);
}

void emit(struct linx_value *msg)
{
	uint8_t small[512];
	void *buf = small;
	size_t len = 0;
	int r;

	/* Events are small: encode on the stack, the heap only for big
	 * ones (PTY output, results). */
	r = agent.out_dead ? -EPIPE
			   : linx_proto_encode_to(msg, small, sizeof(small),
						  &len, NULL);
	if (r == -ENOBUFS) {
		buf = NULL;
		r = linx_proto_encode(msg, &buf, &len, NULL);
	}
	linx_value_clear(msg);
	if (r < 0)
		return;
	/* Events of one loop turn go out in one write (flush_events), so a
	 * host reading "spawned" and "ready" wakes once; a big backlog is
	 * pushed early. */
	if (outbuf_append(&agent.out, buf, len) < 0 ||
	    (outbuf_pending(&agent.out) > (1u << 16) &&
	     outbuf_flush(&agent.out, agent.out_fd) < 0))
		host_gone();
	if (buf != small)
		free(buf);
}

static void flush_events(void)
{
	if (!agent.out_dead && outbuf_pending(&agent.out) &&
	    outbuf_flush(&agent.out, agent.out_fd) < 0)
		host_gone();
}

void emit_error(uint64_t id, const struct linx_error *err)
{
	struct linx_value ev = event(LINX_WE_ERROR, id);
	struct linx_error e = *err;

	/* Every error event names its stage; the agent's own is "agent". */
	if (!e.op[0])
		snprintf(e.op, sizeof(e.op), "agent");
	linx_error_to_value(&e, &ev);
	emit(&ev);
}

void emit_reject(uint64_t id, const char *op, int code, const char *reason,
		 const char *fmt, ...)
{
	struct linx_value ev = event(LINX_WE_REJECT, id);
	struct linx_error e;
	va_list ap;

	/* The error shape (no stage: a refusal happens before any), plus
	 * the refused op and a reason word. */
	linx_error_clear(&e);
	e.code = code;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof(e.message), fmt, ap);
	va_end(ap);
	linx_error_to_value(&e, &ev);
	linx_map_put_cstring(&ev, LINX_WK_OP, op);
	linx_map_put_cstring(&ev, LINX_WK_REASON, reason);
	emit(&ev);
}

/* ---- requests ------------------------------------------------------------------ */

static void on_request(const struct linx_value *m)
{
	const struct linx_value *op = linx_map_get(m, LINX_WK_OP);
	uint64_t id = 0;

	if (!op || op->type != LINX_STRING ||
	    !linx_value_get_u64(linx_map_get(m, LINX_WK_ID), &id)) {
		emit_reject(id, "?", EINVAL, "malformed_request",
			    "a request needs a string \"op\" and an integer "
			    "\"id\"");
		return;
	}
	if (strcmp(op->str, LINX_WO_SPAWN) == 0)
		start_session(m, false, id);
	else if (strcmp(op->str, LINX_WO_ENTER) == 0)
		start_session(m, true, id);
	else
		session_request(m, op->str, id);
}

static void control_readable(void)
{
	ssize_t n = inbuf_read(&agent.in, agent.in_fd);
	size_t off = 0;

	for (;;) {
		struct linx_value m = linx_value_nil();
		struct linx_error e;
		size_t used = 0;
		int r = linx_proto_decode(agent.in.data + off,
					  agent.in.len - off, &used, &m, &e);

		if (r == -EMSGSIZE) {
			/* No way to find the next frame: give up the
			 * channel as if the host had closed it. */
			linx_error_set(&e, EMSGSIZE, "request_too_big",
				       "a frame exceeded %u bytes",
				       LINX_PROTO_FRAME_MAX);
			emit_error(0, &e);
			agent.in_closed = true;
			off = agent.in.len;
			break;
		}
		off += used;
		if (r == 0)
			break;
		if (r < 0) {
			emit_reject(0, "?", EINVAL, "malformed_request",
				    "undecodable frame: %s", e.message);
			continue;
		}
		on_request(&m);
		linx_value_clear(&m);
	}
	inbuf_consume(&agent.in, off);
	if (n == 0 || (n < 0 && n != -EAGAIN))
		agent.in_closed = true;
}

/* ---- signals and orphans ------------------------------------------------------- */

static void signals_readable(void)
{
	struct signalfd_siginfo si;

	while (read(agent.sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT ||
		    si.ssi_signo == SIGHUP)
			agent.in_closed = true;
	}
	sessions_reap();
}

/*
 * SIGKILL every child listed in /proc/self/task/<tid>/children (proc(5)).
 * The file is read to its end in chunks, a pid split between two chunks
 * carried over, so no number of children is too many.  The agent has one
 * thread, the only one children can have.  Returns how many were listed,
 * or -1 if the list cannot be read.
 */
static int kill_children(void)
{
	char path[64], buf[4096 + 16];
	size_t carry = 0;
	int fd, found = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
		 (int)getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf + carry, 4096);
		size_t len, start = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			found = found ? found : -1;
			break;
		}
		len = carry + (size_t)n;
		for (size_t i = 0; i < len; i++) {
			if (buf[i] != ' ' && buf[i] != '\n')
				continue;
			if (i > start) {
				buf[i] = '\0';
				kill((pid_t)atoi(buf + start), SIGKILL);
				found++;
			}
			start = i + 1;
		}
		/* A pid is at most 7 digits (PID_MAX_LIMIT, 4194304). */
		carry = len - start;
		if (carry > 15)
			carry = 0;
		memmove(buf, buf + start, carry);
		if (n == 0)
			break;
	}
	if (carry) {
		buf[carry] = '\0';
		kill((pid_t)atoi(buf), SIGKILL);
		found++;
	}
	close(fd);
	return found;
}

/*
 * Kill and reap every descendant left: the orphans we adopted as a child
 * subreaper, and theirs, which come to us as each of their parents dies
 * (PR_SET_CHILD_SUBREAPER, prctl(2)).  Each round kills whatever is listed
 * now and reaps whatever died; a child killed but not yet dead, or one
 * adopted since the listing, is caught by the next round.  Done when
 * waitpid(2) says ECHILD.  Never a blocking wait: a child adopted after
 * the listing would never be signalled and the wait would never end.  A
 * child that cannot die (uninterruptible sleep) is left to the next
 * reaper after SWEEP_BOUND_MS, so that the agent always exits.
 */
#define SWEEP_BOUND_MS 10000

static void sweep_orphans(void)
{
	int64_t deadline = agent_now_ms() + SWEEP_BOUND_MS;

	for (;;) {
		struct signalfd_siginfo si;
		struct pollfd pfd = { .fd = agent.sig_fd, .events = POLLIN };
		pid_t r;

		kill_children();
		while ((r = waitpid(-1, NULL, WNOHANG | __WALL)) > 0)
			;
		if (r < 0 && errno != EINTR)
			break; /* ECHILD: nobody left */
		if (agent_now_ms() >= deadline)
			break;
		/* Wake at the next death (SIGCHLD is read on sig_fd), or
		 * soon in any case to list late adoptions. */
		poll(&pfd, 1, 20);
		while (read(agent.sig_fd, &si, sizeof(si)) == sizeof(si))
			;
	}
}

/* ---- setup ------------------------------------------------------------------------ */

static int move_fd(int fd)
{
	int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);

	if (nfd < 0)
		_exit(2);
	return nfd;
}

static void setup(int in, int out, const char *preload)
{
	struct linx_error e;
	sigset_t set;

	agent.in_fd = move_fd(in);
	agent.out_fd = move_fd(out);
	/* Whatever else the host let us inherit is not ours to hold (a
	 * pipe kept open here could hide an EOF from its owner): keep 0-2
	 * for "inherit" stdio and the control channel, close the rest. */
	{
		int lo = agent.in_fd < agent.out_fd ? agent.in_fd : agent.out_fd;
		int hi = agent.in_fd < agent.out_fd ? agent.out_fd : agent.in_fd;

		syscall(SYS_close_range, 3, lo - 1, 0);
		if (hi > lo + 1)
			syscall(SYS_close_range, lo + 1, hi - 1, 0);
		syscall(SYS_close_range, hi + 1, ~0U, 0);
	}
	/* Each parked session holds two descriptors here and the soft limit
	 * is often 1024: take the hard limit (we poll(2), never select(2)).
	 * Children get the soft limit we were given back before anything
	 * else (child.c), so workloads see the host's. */
	if (getrlimit(RLIMIT_NOFILE, &agent.nofile) == 0 &&
	    agent.nofile.rlim_cur < agent.nofile.rlim_max) {
		struct rlimit raised = { agent.nofile.rlim_max,
					 agent.nofile.rlim_max };

		agent.nofile_raised = setrlimit(RLIMIT_NOFILE, &raised) == 0;
	}
	fcntl(agent.in_fd, F_SETFL, fcntl(agent.in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(agent.out_fd, F_SETFL, fcntl(agent.out_fd, F_GETFL) | O_NONBLOCK);
	/* Start from default dispositions whatever our host had ignored
	 * (ignored signals survive execve(2), and workloads would inherit
	 * them).  Through the system call: glibc's signal(3) refuses the two
	 * real-time signals it keeps for itself (32 and 33), and its
	 * posix_spawn(3) - how linx_agent_start() runs us - leaves those two
	 * ignored.  An all-zero struct sigaction is SIG_DFL, no flags, an
	 * empty mask, whatever the architecture's layout (rt_sigaction(2)). */
	for (int sig = 1; sig < NSIG; sig++) {
		static const uint64_t dfl[4];

		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, dfl, NULL, sizeof(uint64_t));
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	agent.sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	/* A host that goes away must not kill us mid-write: SIGPIPE is
	 * blocked rather than ignored (write(2) then fails with EPIPE and the
	 * signal stays pending, unread), so that every disposition stays the
	 * default and a child only has its mask to reset before execve. */
	sigaddset(&set, SIGPIPE);
	/* Exactly these blocked, whatever mask we were started or forked
	 * with. */
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (agent.sig_fd < 0)
		_exit(2);
	/* Orphans of our workloads come to us, so nothing outlives us
	 * unreaped (PR_SET_CHILD_SUBREAPER, prctl(2)). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* Children watch this to know whether we died before their
	 * PR_SET_PDEATHSIG took effect.  pidfds are always close-on-exec. */
	agent.self_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	slice_init();
	if (linx_registry_new(&agent.reg, 0, &e) < 0)
		_exit(2);
	if (preload) {
		char *copy = strdup(preload), *save = NULL;

		for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
		     t = strtok_r(NULL, ",", &save))
			linx_registry_load(agent.reg, t, &e);
		free(copy);
	}
}

static void say_hello(void)
{
	struct linx_value hello = event(LINX_WE_HELLO, 0);

	linx_map_put_cstring(&hello, LINX_WK_VERSION, linx_version());
	linx_map_put_int(&hello, LINX_WK_PID, getpid());
	emit(&hello);
	flush_events();
}

/* ---- the event loop ------------------------------------------------------------ */

/*
 * What one turn polls: the signalfd, the control channel and its output
 * (slots 0, 1, 2, always present, a descriptor of -1 when idle), then the
 * sessions' descriptors, each with the session it belongs to in `who`.
 * Grown, never shrunk: the loop allocates nothing in the steady state.
 */
struct pollset {
	struct pollfd *pfds;
	struct session **who;
	size_t n, have;
};

enum { POLL_SIGNALS, POLL_CONTROL_IN, POLL_CONTROL_OUT, POLL_SESSIONS };

static void pollset_reserve(struct pollset *ps, size_t cap)
{
	struct pollfd *np;
	struct session **nw;

	if (cap <= ps->have)
		return;
	np = realloc(ps->pfds, cap * sizeof(*ps->pfds));
	if (!np)
		_exit(3);
	ps->pfds = np;
	nw = realloc(ps->who, cap * sizeof(*ps->who));
	if (!nw)
		_exit(3);
	ps->who = nw;
	ps->have = cap;
}

static void pollset_add(struct pollset *ps, struct session *s, int fd,
			short events)
{
	ps->who[ps->n] = s;
	ps->pfds[ps->n++] = (struct pollfd){ .fd = fd, .events = events };
}

static void pollset_build(struct pollset *ps)
{
	size_t cap = POLL_SESSIONS;

	for (struct session *s = agent.sessions; s; s = s->next)
		cap += 3;
	pollset_reserve(ps, cap);
	memset(ps->who, 0, cap * sizeof(*ps->who));
	ps->n = 0;
	pollset_add(ps, NULL, agent.sig_fd, POLLIN);
	/* Shutting down: no new requests. */
	pollset_add(ps, NULL, agent.in_closed ? -1 : agent.in_fd, POLLIN);
	pollset_add(ps, NULL,
		    outbuf_pending(&agent.out) && !agent.out_dead
			    ? agent.out_fd
			    : -1,
		    POLLOUT);
	for (struct session *s = agent.sessions; s; s = s->next) {
		if (s->status_fd >= 0)
			pollset_add(ps, s, s->status_fd, POLLIN);
		if (s->cmd_fd >= 0 && outbuf_pending(&s->cmd_out))
			pollset_add(ps, s, s->cmd_fd, POLLOUT);
		if (s->pty_fd >= 0) {
			short ev = 0;

			if (session_pty_wants_read(s))
				ev |= POLLIN;
			if (outbuf_pending(&s->pty_in))
				ev |= POLLOUT;
			pollset_add(ps, s, s->pty_fd, ev);
		}
	}
}

/* Hand each ready descriptor of the turn to its owner. */
static void pollset_dispatch(const struct pollset *ps)
{
	const struct pollfd *pfds = ps->pfds;

	if (pfds[POLL_CONTROL_OUT].revents &&
	    outbuf_flush(&agent.out, agent.out_fd) < 0)
		host_gone();
	if (pfds[POLL_CONTROL_IN].revents)
		control_readable();
	for (size_t i = POLL_SESSIONS; i < ps->n; i++) {
		struct session *s = ps->who[i];
		short re = pfds[i].revents;

		if (!re || linx_process_stage_terminal(s->stage))
			continue;
		if (pfds[i].fd == s->status_fd)
			session_status_readable(s);
		else if (pfds[i].fd == s->cmd_fd)
			session_cmd_writable(s);
		else if (pfds[i].fd == s->pty_fd) {
			if (re & POLLOUT)
				session_pty_writable(s);
			if (re & (POLLIN | POLLHUP | POLLERR))
				session_pty_readable(s);
		}
	}
	if (pfds[POLL_SIGNALS].revents)
		signals_readable();
}

/* Until the control channel has closed and the last session is gone. */
static void run(void)
{
	struct pollset ps = { 0 };

	for (;;) {
		if (agent.in_closed) {
			sessions_shutdown();
			if (!agent.sessions)
				break;
		}
		flush_events();
		pollset_build(&ps);
		if (poll(ps.pfds, ps.n, sessions_next_timeout()) < 0 &&
		    errno != EINTR)
			_exit(3);
		pollset_dispatch(&ps);
		sessions_timers();
		sessions_collect();
	}
	free(ps.pfds);
	free(ps.who);
}

/* Tell the host what remains (if it still listens), then go. */
static void finish(void)
{
	if (!agent.out_dead && outbuf_pending(&agent.out)) {
		fcntl(agent.out_fd, F_SETFL,
		      fcntl(agent.out_fd, F_GETFL) & ~O_NONBLOCK);
		outbuf_flush(&agent.out, agent.out_fd);
	}
	sweep_orphans();
	plans_shutdown();
	linx_registry_free(agent.reg);
	inbuf_free(&agent.in);
	outbuf_free(&agent.out);
}

int agent_main(int in_fd, int out_fd, const char *preload)
{
	setup(in_fd, out_fd, preload);
	say_hello();
	run();
	finish();
	return 0;
}
