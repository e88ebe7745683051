/* SPDX-License-Identifier: MIT */
/*
 * The host side of the checkpoint protocol: starting linx-agent, sending it
 * requests and routing its events to sessions.  See include/linx/process.h.
 *
 * The host keeps a mirror of each session's stage so that calls which make
 * no sense in the current stage (proceed before ready, abort once running,
 * anything once terminal) are refused here, without a round trip; the agent
 * enforces the same rules for front-ends that speak the wire directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include <linx/process.h>

#include <linx/plan.h>

#include "internal.h"
#include "wire.h"

extern char **environ;

#define HELLO_TIMEOUT_MS 10000
#define DEFAULT_GRACE_MS 2000

struct event_node {
	struct event_node *next;
	struct linx_process_event ev;
};

struct linx_process {
	struct linx_agent *agent; /* NULL once detached */
	struct linx_process *next; /* in agent->sessions */
	uint64_t id;
	uint32_t stage;
	bool enter, pty;
	bool proceed_sent, abort_sent;
	pid_t host_pid, child_pid;
	bool has_result;
	struct linx_process_result result;
	struct event_node *head, *tail;
	/* the child-side call in flight */
	uint64_t call_ref;
	bool call_done;
	int call_rc;
	struct linx_value call_value;
	struct linx_error call_err;
	uint32_t namespaces; /* spawn: LINX_NS_* created */
};

struct linx_agent {
	pid_t pid;
	int fd;
	bool dead;
	uint64_t next_id;
	uint8_t *rbuf;
	size_t rlen, rcap;
	struct linx_process *sessions;
};

static const char *const stage_names[] = {
	[LINX_PROCESS_STARTING] = "starting", [LINX_PROCESS_SPAWNED] = "spawned",
	[LINX_PROCESS_READY] = "ready",	      [LINX_PROCESS_RUNNING] = "running",
	[LINX_PROCESS_EXITED] = "exited",     [LINX_PROCESS_SIGNALED] = "signaled",
	[LINX_PROCESS_ABORTED] = "aborted",   [LINX_PROCESS_ERRORED] = "errored",
};

const char *linx_process_stage_name(unsigned stage)
{
	return stage < LINX_ARRAY_SIZE(stage_names) ? stage_names[stage] : NULL;
}

void linx_process_event_clear(struct linx_process_event *ev)
{
	if (!ev)
		return;
	free(ev->data);
	memset(ev, 0, sizeof(*ev));
}

/* ---- time --------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left before `deadline` (-1: none), for poll(2). */
static int remaining(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	return left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* ---- finding the agent ------------------------------------------------- */

/* The agent built next to this liblinx, when liblinx runs from the build
 * tree (as the plugin loader decides). */
static const char *build_tree_agent(void)
{
#ifdef LINX_BUILD_AGENT_PATH
	if (linx__in_build_tree())
		return LINX_BUILD_AGENT_PATH;
#endif
	return NULL;
}

static const char *agent_path(const struct linx_agent_options *opts)
{
	const char *env = getenv(LINX_AGENT_ENV);
	const char *build;

	if (opts && opts->path)
		return opts->path;
	if (env && *env)
		return env;
	build = build_tree_agent();
	if (build && access(build, X_OK) == 0)
		return build;
	return LINX_AGENT_INSTALL_PATH;
}

/* ---- sending ------------------------------------------------------------ */

static int send_msg(struct linx_agent *a, struct linx_value *msg,
		    struct linx_error *err)
{
	void *buf = NULL;
	size_t len = 0, off = 0;
	int r;

	if (!a || a->dead) {
		linx_value_clear(msg);
		return linx_error_set(err, ENOTCONN, "send",
				      "the agent is gone");
	}
	r = linx_value_status(msg);
	if (r < 0) {
		linx_value_clear(msg);
		return linx_error_set(err, r, "send",
				      "could not build the request");
	}
	r = linx_proto_encode(msg, &buf, &len, err);
	linx_value_clear(msg);
	if (r < 0)
		return r;
	while (off < len) {
		ssize_t n = send(a->fd, (char *)buf + off, len - off,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			a->dead = true;
			return linx_error_set(err, e == EPIPE ? ENOTCONN : e,
					      "send",
					      "writing to the agent: %s",
					      linx_strerror(e));
		}
		off += (size_t)n;
	}
	free(buf);
	return 0;
}

static struct linx_value request(const char *op, uint64_t id)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, LINX_WK_OP, op);
	linx_map_put_uint(&m, LINX_WK_ID, id);
	return m;
}

/* ---- receiving ---------------------------------------------------------- */

static struct linx_process *find(struct linx_agent *a, uint64_t id)
{
	for (struct linx_process *p = a->sessions; p; p = p->next)
		if (p->id == id)
			return p;
	return NULL;
}

static int64_t get_int(const struct linx_value *m, const char *key)
{
	int64_t v = 0;

	linx_value_get_i64(linx_map_get(m, key), &v);
	return v;
}

static const char *get_str(const struct linx_value *m, const char *key)
{
	const struct linx_value *v = linx_map_get(m, key);

	return v && (v->type == LINX_STRING || v->type == LINX_BYTES) ? v->str
									: NULL;
}

static void push_event(struct linx_process *p, struct event_node *n)
{
	if (p->tail)
		p->tail->next = n;
	else
		p->head = n;
	p->tail = n;
}

static void finish(struct linx_process *p, uint32_t stage, int32_t value,
		   const struct linx_error *e)
{
	p->stage = stage;
	p->has_result = true;
	p->result.stage = stage;
	p->result.value = value;
	if (e)
		p->result.error = *e;
	else
		linx_error_clear(&p->result.error);
}

/* A `result` for the pending call or setup. */
static void route_result(struct linx_process *p, const struct linx_value *m)
{
	uint64_t ref = 0;

	linx_value_get_u64(linx_map_get(m, LINX_WK_REF), &ref);
	if (ref != p->call_ref || p->call_done)
		return;
	p->call_done = true;
	if (linx_map_get(m, LINX_WK_ERRNO)) {
		linx_error_from_value(m, &p->call_err);
		p->call_rc = -p->call_err.code;
	} else {
		const struct linx_value *v = linx_map_get(m, LINX_WK_VALUE);

		p->call_rc = 0;
		if (v && linx_value_copy(&p->call_value, v) < 0)
			p->call_rc = linx_error_set(&p->call_err, ENOMEM, "call",
						    NULL);
	}
}

/* The host mirror normally prevents rejects; a pending call or setup
 * that was refused must still complete. */
static void route_reject(struct linx_process *p, const struct linx_value *m)
{
	const char *op = get_str(m, LINX_WK_OP);

	if (p->call_ref && !p->call_done && op &&
	    (strcmp(op, LINX_WO_CALL) == 0 || strcmp(op, LINX_WO_SETUP) == 0)) {
		p->call_done = true;
		linx_error_from_value(m, &p->call_err);
		p->call_rc = -p->call_err.code;
	}
}

/* Take a PTY_OUT event's decoded buffer instead of copying it. */
static void take_data(struct linx_process_event *ev, struct linx_value *m)
{
	struct linx_value *d = (struct linx_value *)linx_map_get(m, LINX_WK_DATA);

	if (d && (d->type == LINX_BYTES || d->type == LINX_STRING) && d->len) {
		ev->data = d->bytes;
		ev->len = d->len;
		d->type = LINX_NIL;
		d->bytes = NULL;
		d->len = 0;
	}
}

static void advance(struct linx_process *p, uint32_t stage)
{
	if (p->stage < stage)
		p->stage = stage;
}

/* Fill `ev` from a lifecycle event and move the session's stage along.
 * false if the event name is not one of them. */
static bool lifecycle_event(struct linx_process *p, const char *name,
			    struct linx_value *m, struct linx_process_event *ev)
{
	if (strcmp(name, LINX_WE_SPAWNED) == 0) {
		p->host_pid = (pid_t)get_int(m, LINX_WK_HOST_PID);
		advance(p, LINX_PROCESS_SPAWNED);
		ev->type = LINX_PROCESS_EV_SPAWNED;
		ev->value = p->host_pid;
	} else if (strcmp(name, LINX_WE_READY) == 0) {
		p->host_pid = (pid_t)get_int(m, LINX_WK_HOST_PID);
		p->child_pid = (pid_t)get_int(m, LINX_WK_CHILD_PID);
		advance(p, LINX_PROCESS_READY);
		ev->type = LINX_PROCESS_EV_READY;
		ev->value = p->host_pid;
		ev->child_pid = p->child_pid;
	} else if (strcmp(name, LINX_WE_RUNNING) == 0) {
		advance(p, LINX_PROCESS_RUNNING);
		ev->type = LINX_PROCESS_EV_RUNNING;
	} else if (strcmp(name, LINX_WE_EXITED) == 0) {
		ev->type = LINX_PROCESS_EV_EXITED;
		ev->value = (int32_t)get_int(m, LINX_WK_CODE);
		finish(p, LINX_PROCESS_EXITED, ev->value, NULL);
	} else if (strcmp(name, LINX_WE_SIGNALED) == 0) {
		ev->type = LINX_PROCESS_EV_SIGNALED;
		ev->value = (int32_t)get_int(m, LINX_WK_SIGNUM);
		finish(p, LINX_PROCESS_SIGNALED, ev->value, NULL);
	} else if (strcmp(name, LINX_WE_ABORTED) == 0) {
		ev->type = LINX_PROCESS_EV_ABORTED;
		finish(p, LINX_PROCESS_ABORTED, 0, NULL);
	} else if (strcmp(name, LINX_WE_ERROR) == 0) {
		ev->type = LINX_PROCESS_EV_ERROR;
		linx_error_from_value(m, &ev->error);
		ev->value = ev->error.code;
		finish(p, LINX_PROCESS_ERRORED, ev->value, &ev->error);
	} else if (strcmp(name, LINX_WE_PTY_OUT) == 0) {
		ev->type = LINX_PROCESS_EV_PTY_OUT;
		take_data(ev, m);
	} else {
		return false;
	}
	return true;
}

/* Route one decoded event.  Returns 1 if it was a session event. */
static int route(struct linx_agent *a, struct linx_value *m)
{
	const char *ev = get_str(m, LINX_WK_EV);
	struct linx_process *p;
	struct event_node *n;
	uint64_t id = 0;

	if (!ev)
		return 0;
	linx_value_get_u64(linx_map_get(m, LINX_WK_ID), &id);
	p = find(a, id);
	if (!p)
		return 0; /* a freed session's late events, or hello */
	if (strcmp(ev, LINX_WE_RESULT) == 0) {
		route_result(p, m);
		return 1;
	}
	if (strcmp(ev, LINX_WE_REJECT) == 0) {
		route_reject(p, m);
		return 1;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return 1; /* the stage below is still tracked */
	if (!lifecycle_event(p, ev, m, &n->ev)) {
		free(n);
		return 0;
	}
	if (linx_process_stage_terminal(p->stage) && p->call_ref &&
	    !p->call_done) {
		/* The session ended under a pending call. */
		p->call_done = true;
		if (p->stage == LINX_PROCESS_ERRORED)
			p->call_err = p->result.error;
		else
			linx_error_set(&p->call_err, ESRCH, "call",
				       "the session ended during the call");
		p->call_rc = -p->call_err.code;
	}
	push_event(p, n);
	return 1;
}

/*
 * The channel is gone: the agent exited without ending every session.
 * Each live session still gets exactly one terminal event - an error with
 * stage "agent_died" whose message carries the agent's exit status.
 */
static int agent_died(struct linx_agent *a)
{
	int status = 0, ended = 0;

	if (a->pid > 0) {
		while (waitpid(a->pid, &status, 0) < 0 && errno == EINTR)
			;
		a->pid = 0; /* reaped */
	}
	for (struct linx_process *p = a->sessions; p; p = p->next) {
		struct event_node *n;

		if (linx_process_stage_terminal(p->stage))
			continue;
		n = calloc(1, sizeof(*n));
		if (!n)
			continue;
		linx_error_set(&n->ev.error, EPIPE, "agent_died",
			       "linx-agent %s %d before the session ended",
			       WIFSIGNALED(status) ? "was killed by signal"
						   : "exited with status",
			       WIFSIGNALED(status) ? WTERMSIG(status)
						   : WEXITSTATUS(status));
		n->ev.type = LINX_PROCESS_EV_ERROR;
		n->ev.value = EPIPE;
		finish(p, LINX_PROCESS_ERRORED, EPIPE, &n->ev.error);
		if (p->call_ref && !p->call_done) {
			p->call_done = true;
			p->call_err = n->ev.error;
			p->call_rc = -EPIPE;
		}
		push_event(p, n);
		ended++;
	}
	return ended;
}

/* Everything in rbuf that forms whole frames. */
static int drain_frames(struct linx_agent *a, struct linx_error *err)
{
	size_t off = 0;
	int routed = 0;

	for (;;) {
		struct linx_value m = linx_value_nil();
		size_t used = 0;
		int r = linx_proto_decode(a->rbuf + off, a->rlen - off, &used,
					  &m, err);

		if (r == -EMSGSIZE) {
			a->dead = true;
			return r;
		}
		off += used;
		if (r == 0)
			break;
		if (r > 0) {
			routed += route(a, &m);
			linx_value_clear(&m);
		}
	}
	memmove(a->rbuf, a->rbuf + off, a->rlen - off);
	a->rlen -= off;
	return routed;
}

/*
 * Read what the agent has sent: with `block`, wait for at least one byte
 * (a blocking recv(2) is one system call where poll(2) + recv(2) were
 * two).  A read that does not fill the buffer took everything queued on
 * the socket (unix(7) stream reads copy queued data up to the length
 * asked), so only a full buffer is read again.  Returns bytes read (0 if
 * nothing was there), or -ENOTCONN at EOF.
 */
static int read_some(struct linx_agent *a, bool block, struct linx_error *err)
{
	int total = 0;

	for (;;) {
		size_t room;
		ssize_t n;

		if (a->rcap - a->rlen < 65536) {
			size_t cap = a->rcap ? a->rcap * 2 : 131072;
			uint8_t *nb = realloc(a->rbuf, cap);

			if (!nb)
				return linx_error_set(err, ENOMEM, "dispatch",
						      NULL);
			a->rbuf = nb;
			a->rcap = cap;
		}
		room = a->rcap - a->rlen;
		n = recv(a->fd, a->rbuf + a->rlen, room,
			 block && !total ? 0 : MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return total;
		if (n <= 0) {
			a->dead = true;
			if (total)
				return total;
			return linx_error_set(err, n == 0 ? ENOTCONN : errno,
					      "dispatch",
					      "the agent closed the channel");
		}
		a->rlen += (size_t)n;
		total += (int)n;
		if ((size_t)n < room || total > (int)(4 * LINX_PROTO_FRAME_MAX))
			return total;
	}
}

/* Route what was read; the agent's death ends every session left. */
static int route_read(struct linx_agent *a, int r, struct linx_error *err)
{
	int routed;

	if (r < 0 && !a->dead)
		return r;
	routed = r < 0 ? 0 : drain_frames(a, err);
	if (a->dead) {
		/* What it sent was routed above; now the end. */
		return (routed > 0 ? routed : 0) + agent_died(a);
	}
	return routed;
}

int linx_agent_dispatch(struct linx_agent *a, int timeout_ms,
			struct linx_error *err)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	if (!a)
		return linx_error_param(err, "dispatch", "agent", "no agent");
	for (;;) {
		struct pollfd pfd = { .fd = a->fd, .events = POLLIN };
		int r;

		if (a->dead)
			return linx_error_set(err, ENOTCONN, "dispatch",
					      "the agent is gone");
		if (timeout_ms < 0) {
			/* Without a deadline, sleep in recv(2) itself.  If
			 * the caller made the descriptor non-blocking, recv
			 * says EAGAIN and poll(2) does the waiting. */
			r = read_some(a, true, err);
			if (r == 0) {
				r = poll(&pfd, 1, -1);
				if (r < 0 && errno != EINTR)
					return linx_error_set(err, errno,
							      "dispatch", NULL);
				continue;
			}
		} else {
			r = poll(&pfd, 1, remaining(deadline));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return linx_error_set(err, errno, "dispatch",
						      NULL);
			if (r == 0)
				return 0;
			r = read_some(a, false, err);
		}
		r = route_read(a, r, err);
		if (r != 0 || a->dead)
			return r;
		if (remaining(deadline) == 0)
			return 0;
	}
}

/* ---- the agent ---------------------------------------------------------- */

static int wait_hello(struct linx_agent *a, struct linx_error *err)
{
	int64_t deadline = now_ms() + HELLO_TIMEOUT_MS;

	for (;;) {
		struct pollfd pfd = { .fd = a->fd, .events = POLLIN };
		struct linx_value m = linx_value_nil();
		size_t used = 0;
		int r = poll(&pfd, 1, remaining(deadline));

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return linx_error_set(err, ETIMEDOUT, "hello",
					      "the agent did not greet within "
					      "%d ms",
					      HELLO_TIMEOUT_MS);
		r = read_some(a, false, err);
		if (r < 0)
			return linx_error_set(err, ENOTCONN, "hello",
					      "the agent exited before its "
					      "greeting");
		r = linx_proto_decode(a->rbuf, a->rlen, &used, &m, err);
		if (r < 0)
			return linx_error_set(err, EPROTO, "hello",
					      "bad greeting from the agent");
		if (r == 0)
			continue;
		memmove(a->rbuf, a->rbuf + used, a->rlen - used);
		a->rlen -= used;
		r = get_str(&m, LINX_WK_EV) && strcmp(get_str(&m, LINX_WK_EV), "hello") == 0;
		linx_value_clear(&m);
		if (!r)
			return linx_error_set(err, EPROTO, "hello",
					      "the agent did not greet first");
		return drain_frames(a, err) < 0 ? -EPROTO : 0;
	}
}

int linx_agent_start(struct linx_agent **ret,
		     const struct linx_agent_options *opts,
		     struct linx_error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct linx_agent *a;
	const char *path = agent_path(opts);
	const char *argv[8];
	sigset_t none, all;
	int sv[2], r, n = 0;

	if (!ret)
		return linx_error_param(err, "spawn_agent", "ret", "no output");
	*ret = NULL;
	if (opts && (opts->flags || opts->reserved))
		return linx_error_param(err, "spawn_agent", "flags",
					"unknown agent flags");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return linx_error_set(err, errno, "socketpair", NULL);
	/* Keep the agent's end above 4 so the dup2 onto 3 and 4 below always
	 * creates fresh descriptors without FD_CLOEXEC. */
	if (sv[1] <= 4) {
		int high = fcntl(sv[1], F_DUPFD_CLOEXEC, 10);

		close(sv[1]);
		sv[1] = high;
		if (high < 0) {
			close(sv[0]);
			return linx_error_set(err, errno, "socketpair", NULL);
		}
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		close(sv[0]);
		close(sv[1]);
		return linx_error_set(err, ENOMEM, "spawn_agent", NULL);
	}
	a->fd = sv[0];
	a->next_id = 1;
	argv[n++] = path;
	if (opts && opts->preload && *opts->preload) {
		argv[n++] = "--preload";
		argv[n++] = opts->preload;
	}
	argv[n] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 4);
	posix_spawnattr_init(&attr);
	/* Start the agent with no blocked signals and default dispositions,
	 * whatever the host (the BEAM, a test runner) set up. */
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF);
	r = posix_spawn(&a->pid, path, &fa, &attr, (char *const *)argv,
			environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(sv[1]);
	if (r != 0) {
		close(a->fd);
		free(a);
		linx_error_set(err, r, "spawn_agent", "cannot run %s: %s",
			       path, linx_strerror(r));
		return linx_error_object(err, path);
	}
	r = wait_hello(a, err);
	if (r < 0) {
		linx_error_object(err, path);
		linx_agent_free(a);
		return r;
	}
	*ret = a;
	return 0;
}

int linx_agent_connect(struct linx_agent **ret, int fd, pid_t pid,
		       struct linx_error *err)
{
	struct linx_agent *a = NULL;
	int type = 0, r;
	socklen_t len = sizeof(type);

	if (ret)
		*ret = NULL;
	/* A stream: frames are read as a byte stream (a datagram socket
	 * would cut them at its own boundaries). */
	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
	    type != SOCK_STREAM)
		r = linx_error_param(err, "connect", "fd",
				     "fd must be a connected stream socket");
	else if (pid < 0)
		r = linx_error_param(err, "connect", "pid",
				     "pid must be the agent's, or 0");
	else if (!ret)
		r = linx_error_param(err, "connect", "ret", "no output");
	else if (!(a = calloc(1, sizeof(*a))))
		r = linx_error_set(err, ENOMEM, "connect", NULL);
	else
		r = 0;
	if (r < 0) {
		/* Ours whatever happens: closing the channel ends the agent,
		 * and then it is reaped. */
		if (fd >= 0)
			close(fd);
		if (pid > 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		return r;
	}
	a->fd = fd;
	a->pid = pid;
	a->next_id = 1;
	r = wait_hello(a, err);
	if (r < 0) {
		linx_agent_free(a);
		return r;
	}
	*ret = a;
	return 0;
}

void linx_agent_free(struct linx_agent *a)
{
	if (!a)
		return;
	for (struct linx_process *p = a->sessions; p; p = p->next)
		p->agent = NULL;
	if (a->fd >= 0)
		close(a->fd);
	if (a->pid > 0)
		while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR)
			;
	free(a->rbuf);
	free(a);
}

pid_t linx_agent_pid(const struct linx_agent *a)
{
	return a ? a->pid : -EINVAL;
}

int linx_agent_fd(const struct linx_agent *a)
{
	return a ? a->fd : -EINVAL;
}

/* ---- sessions ----------------------------------------------------------- */

static bool has_nul(const char *s, size_t max)
{
	return strnlen(s, max) >= max;
}

static int put_strv(struct linx_value *m, const char *key,
		    const char *const *v, struct linx_error *err)
{
	struct linx_value list = linx_value_list();

	for (size_t i = 0; v[i]; i++) {
		struct linx_value b;

		if (linx_value_bytes(&b, v[i], strlen(v[i])) < 0) {
			linx_value_clear(&list);
			return linx_error_set(err, ENOMEM, "validate", NULL);
		}
		linx_list_push(&list, &b);
	}
	return linx_map_put(m, key, &list);
}

static int check_opts(const struct linx_spawn_options *o,
		      struct linx_error *err)
{
	if (!o)
		return linx_error_param(err, "validate", "opts", "no options");
	if (!o->argv || !o->argv[0] || !o->argv[0][0])
		return linx_error_param(err, "validate", "argv",
					"argv is required (argv_required): "
					"argv[0] is the executable's path");
	if (o->namespaces & ~LINX_NS_ALL)
		return linx_error_param(err, "validate", "namespaces",
					"unknown namespace bits %#x "
					"(bad_namespaces)",
					o->namespaces & ~LINX_NS_ALL);
	for (size_t i = 0; o->argv[i]; i++)
		if (has_nul(o->argv[i], LINX_PROTO_FRAME_MAX))
			return linx_error_param(err, "validate", "argv",
						"argv[%zu] is too long", i);
	for (size_t i = 0; o->env && o->env[i]; i++)
		if (!strchr(o->env[i], '='))
			return linx_error_param(err, "validate", "env",
						"env[%zu] is not KEY=VALUE", i);
	if (o->cwd && !o->cwd[0])
		return linx_error_param(err, "validate", "cwd", "empty cwd");
	for (int i = 0; i < 3 && !o->pty; i++) {
		const struct linx_stdio *s = &o->stdio[i];

		if (s->kind > LINX_STDIO_CONNECT_UNIX)
			return linx_error_param(err, "validate", "stdio",
						"fd %d: unknown stdio kind %u",
						i, s->kind);
		if (s->kind == LINX_STDIO_CONNECT_UNIX &&
		    (!s->path || !s->path[0] || strlen(s->path) >= 108))
			return linx_error_param(err, "validate", "stdio",
						"fd %d: connect_unix needs a "
						"socket path shorter than 108 "
						"bytes",
						i);
	}
	return 0;
}

static struct linx_value stdio_value(const struct linx_stdio *s)
{
	struct linx_value v = linx_value_nil();

	if (s->kind == LINX_STDIO_DEVNULL) {
		linx_value_cstring(&v, LINX_WS_DEVNULL);
	} else if (s->kind == LINX_STDIO_CONNECT_UNIX) {
		v = linx_value_map();
		linx_map_put_cstring(&v, LINX_WK_CONNECT_UNIX, s->path);
	} else {
		linx_value_cstring(&v, LINX_WS_INHERIT);
	}
	return v;
}

static int build_start(struct linx_value *m, const struct linx_spawn_options *o,
		       struct linx_error *err)
{
	struct linx_value ns = linx_value_list(), stdio;
	int r;

	r = put_strv(m, LINX_WK_ARGV, o->argv, err);
	if (r >= 0 && o->env)
		r = put_strv(m, LINX_WK_ENV, o->env, err);
	if (r < 0)
		return r;
	if (o->cwd)
		linx_map_put_bytes(m, LINX_WK_CWD, o->cwd, strlen(o->cwd));
	/* Only what differs from the agent's defaults goes on the wire (no
	 * namespaces - for enter: all of the target's -, inherited stdio,
	 * false flags, a 2 s grace): every key is encoded here, decoded and
	 * looked up in the agent, on the path of every spawn. */
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++)
		if (o->namespaces & (1u << k))
			linx_list_push_cstring(&ns, linx_ns_kind_name(k));
	if (o->namespaces)
		linx_map_put(m, LINX_WK_NAMESPACES, &ns);
	else
		linx_value_clear(&ns);
	if (o->pty) {
		linx_value_cstring(&stdio, LINX_WS_PTY);
		if (o->winsize.rows || o->winsize.cols) {
			struct linx_value ws = linx_value_map();

			linx_map_put_uint(&ws, LINX_WK_ROWS, o->winsize.rows);
			linx_map_put_uint(&ws, LINX_WK_COLS, o->winsize.cols);
			linx_map_put_uint(&ws, LINX_WK_XPIXEL, o->winsize.xpixel);
			linx_map_put_uint(&ws, LINX_WK_YPIXEL, o->winsize.ypixel);
			linx_map_put(m, LINX_WK_WINSIZE, &ws);
		}
	} else if (o->stdio[0].kind || o->stdio[1].kind || o->stdio[2].kind) {
		static const char *const names[3] = { LINX_WK_STDIN,
						      LINX_WK_STDOUT,
						      LINX_WK_STDERR };

		stdio = linx_value_map();
		for (int i = 0; i < 3; i++) {
			struct linx_value v;

			if (o->stdio[i].kind == LINX_STDIO_INHERIT)
				continue;
			v = stdio_value(&o->stdio[i]);
			linx_map_put(&stdio, names[i], &v);
		}
	} else {
		stdio = linx_value_nil();
	}
	if (stdio.type != LINX_NIL)
		linx_map_put(m, LINX_WK_STDIO, &stdio);
	if (o->no_new_privs)
		linx_map_put_bool(m, LINX_WK_NO_NEW_PRIVS, true);
	if (o->linger)
		linx_map_put_bool(m, LINX_WK_LINGER, true);
	if (o->auto_proceed)
		linx_map_put_bool(m, LINX_WK_AUTO_PROCEED, true);
	if (o->kill_grace_ms && o->kill_grace_ms != DEFAULT_GRACE_MS)
		linx_map_put_uint(m, LINX_WK_KILL_GRACE_MS, o->kill_grace_ms);
	return 0;
}

static int start(struct linx_agent *a, bool enter, pid_t target,
		 const struct linx_spawn_options *o, struct linx_process **ret,
		 struct linx_error *err)
{
	struct linx_process *p;
	struct linx_value m;
	int r;

	if (!ret)
		return linx_error_param(err, "validate", "ret", "no output");
	*ret = NULL;
	if (!a)
		return linx_error_param(err, "validate", "agent", "no agent");
	r = check_opts(o, err);
	if (r < 0)
		return r;
	if (enter && target <= 0)
		return linx_error_param(err, "validate", "target",
					"the target must be a positive pid");
	if (a->dead)
		return linx_error_set(err, ENOTCONN, "send",
				      "the agent is gone");
	p = calloc(1, sizeof(*p));
	if (!p)
		return linx_error_set(err, ENOMEM, "spawn", NULL);
	p->id = a->next_id++;
	p->enter = enter;
	p->pty = o->pty;
	p->namespaces = o->namespaces;
	m = request(enter ? LINX_WO_ENTER : LINX_WO_SPAWN, p->id);
	if (enter)
		linx_map_put_int(&m, LINX_WK_TARGET, target);
	r = build_start(&m, o, err);
	if (r < 0) {
		linx_value_clear(&m);
		free(p);
		return r;
	}
	r = send_msg(a, &m, err);
	if (r < 0) {
		free(p);
		return r;
	}
	p->agent = a;
	p->next = a->sessions;
	a->sessions = p;
	*ret = p;
	return 0;
}

int linx_process_spawn(struct linx_agent *a,
		       const struct linx_spawn_options *opts,
		       struct linx_process **ret, struct linx_error *err)
{
	return start(a, false, 0, opts, ret, err);
}

int linx_process_enter(struct linx_agent *a, pid_t target,
		       const struct linx_spawn_options *opts,
		       struct linx_process **ret, struct linx_error *err)
{
	return start(a, true, target, opts, ret, err);
}

static void unlink_session(struct linx_process *p)
{
	struct linx_process **pp;

	if (!p->agent)
		return;
	for (pp = &p->agent->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->agent = NULL;
}

void linx_process_free(struct linx_process *p)
{
	if (!p)
		return;
	if (p->agent && !p->agent->dead &&
	    !linx_process_stage_terminal(p->stage)) {
		struct linx_value m = request(LINX_WO_KILL, p->id);

		send_msg(p->agent, &m, NULL);
	}
	unlink_session(p);
	while (p->head) {
		struct event_node *n = p->head;

		p->head = n->next;
		linx_process_event_clear(&n->ev);
		free(n);
	}
	linx_value_clear(&p->call_value);
	free(p);
}

/* Common guards: a session that still has its agent and is not over. */
static int live(const struct linx_process *p, const char *op,
		struct linx_error *err)
{
	if (!p)
		return linx_error_param(err, op, "proc", "no session");
	if (linx_process_stage_terminal(p->stage))
		return linx_error_set(err, ESRCH, op,
				      "the session has ended (no_process)");
	if (!p->agent || p->agent->dead)
		return linx_error_set(err, ENOTCONN, op, "the agent is gone");
	return 0;
}

int linx_process_proceed(struct linx_process *p, struct linx_error *err)
{
	struct linx_value m;
	int r = live(p, "proceed", err);

	if (r < 0)
		return r;
	if (p->proceed_sent || p->stage >= LINX_PROCESS_RUNNING)
		return linx_error_set(err, EALREADY, "proceed",
				      "the session was already released");
	if (p->abort_sent)
		return linx_error_set(err, ESRCH, "proceed",
				      "the session is being aborted");
	if (p->stage < LINX_PROCESS_READY)
		return linx_error_set(err, EAGAIN, "proceed",
				      "the child has not reached the "
				      "checkpoint (not_ready)");
	m = request(LINX_WO_PROCEED, p->id);
	r = send_msg(p->agent, &m, err);
	if (r >= 0)
		p->proceed_sent = true;
	return r;
}

int linx_process_abort(struct linx_process *p, struct linx_error *err)
{
	struct linx_value m;
	int r = live(p, "abort", err);

	if (r < 0)
		return r;
	if (p->proceed_sent || p->stage >= LINX_PROCESS_RUNNING)
		return linx_error_set(err, EBUSY, "abort",
				      "the workload is past the checkpoint "
				      "(running); use a signal");
	if (p->abort_sent)
		return 0;
	m = request(LINX_WO_ABORT, p->id);
	r = send_msg(p->agent, &m, err);
	if (r >= 0)
		p->abort_sent = true;
	return r;
}

int linx_process_signal(struct linx_process *p, int signum,
			struct linx_error *err)
{
	struct linx_value m;
	int r = live(p, "signal", err);

	if (r < 0)
		return r;
	if (signum <= 0 || signum >= 65)
		return linx_error_param(err, "signal", "signum",
					"invalid signal number %d", signum);
	m = request(LINX_WO_SIGNAL, p->id);
	linx_map_put_int(&m, LINX_WK_SIGNUM, signum);
	return send_msg(p->agent, &m, err);
}

int linx_process_wait_stage(struct linx_process *p, unsigned stage,
			    int timeout_ms, struct linx_error *err)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	if (!p)
		return linx_error_param(err, "wait", "proc", "no session");
	while (p->stage < stage && !linx_process_stage_terminal(p->stage)) {
		int r;

		if (!p->agent)
			return linx_error_set(err, ENOTCONN, "wait",
					      "the agent is gone");
		r = linx_agent_dispatch(p->agent, remaining(deadline), err);
		if (r < 0)
			return r;
		if (r == 0 && remaining(deadline) == 0 &&
		    p->stage < stage && !linx_process_stage_terminal(p->stage))
			return linx_error_set(err, ETIMEDOUT, "wait",
					      "still %s after %d ms",
					      linx_process_stage_name(p->stage),
					      timeout_ms);
	}
	return (int)p->stage;
}

int linx_process_wait(struct linx_process *p, int timeout_ms,
		      struct linx_process_result *ret, struct linx_error *err)
{
	int r = linx_process_wait_stage(p, LINX_PROCESS_EXITED, timeout_ms,
					err);

	if (r < 0)
		return r;
	if (ret)
		*ret = p->result;
	return 0;
}

int linx_process_info(const struct linx_process *p,
		      struct linx_process_info *ret, struct linx_error *err)
{
	if (!p || !ret)
		return linx_error_param(err, "info", "proc", "no session");
	memset(ret, 0, sizeof(*ret));
	ret->enter = p->enter;
	ret->pty = p->pty;
	ret->stage = p->stage;
	ret->host_pid = p->host_pid;
	ret->child_pid = p->child_pid;
	ret->has_result = p->has_result;
	if (p->has_result)
		ret->result = p->result;
	return 0;
}

pid_t linx_process_host_pid(const struct linx_process *p,
			    struct linx_error *err)
{
	if (!p)
		return linx_error_param(err, "host_pid", "proc", "no session");
	if (p->host_pid <= 0)
		return linx_error_set(err, EAGAIN, "host_pid",
				      "the agent has not reported the pid "
				      "yet (not_ready)");
	return p->host_pid;
}

int linx_process_event_next(struct linx_process *p,
			    struct linx_process_event *ret)
{
	struct event_node *n;

	if (!p || !ret || !p->head)
		return 0;
	n = p->head;
	p->head = n->next;
	if (!p->head)
		p->tail = NULL;
	*ret = n->ev;
	free(n);
	return 1;
}

/* Send a request that the agent answers with a `result` for our ref
 * (call, setup) and wait for it. */
static int round_trip(struct linx_process *p, struct linx_value *m,
		      struct linx_value *ret, struct linx_error *err)
{
	int r;

	p->call_ref++;
	p->call_done = false;
	p->call_rc = 0;
	linx_value_clear(&p->call_value);
	linx_error_clear(&p->call_err);
	linx_map_put_uint(m, LINX_WK_REF, p->call_ref);
	r = send_msg(p->agent, m, err);
	if (r < 0)
		return r;
	while (!p->call_done) {
		if (!p->agent)
			return linx_error_set(err, ENOTCONN, "call",
					      "the agent is gone");
		r = linx_agent_dispatch(p->agent, -1, err);
		if (r < 0)
			return r;
	}
	if (p->call_rc < 0) {
		if (err)
			*err = p->call_err;
		return p->call_rc;
	}
	if (ret) {
		*ret = p->call_value;
		p->call_value = linx_value_nil();
	} else {
		linx_value_clear(&p->call_value);
	}
	return 0;
}

/* Requests that need the child parked at the checkpoint. */
static int parked(const struct linx_process *p, const char *op,
		  struct linx_error *err)
{
	int r = live(p, op, err);

	if (r < 0)
		return r;
	if (p->proceed_sent || p->stage >= LINX_PROCESS_RUNNING)
		return linx_error_set(err, EBUSY, op,
				      "the workload is past the checkpoint "
				      "(running)");
	if (p->stage < LINX_PROCESS_READY || p->abort_sent)
		return linx_error_set(err, EAGAIN, op,
				      "the child is not parked at the "
				      "checkpoint (not_ready)");
	return 0;
}

int linx_process_call(struct linx_process *p, const char *verb,
		      const struct linx_value *args, struct linx_value *ret,
		      struct linx_error *err)
{
	struct linx_value m, copy = linx_value_nil();
	int r = parked(p, "call", err);

	if (ret)
		*ret = linx_value_nil();
	if (r < 0)
		return r;
	if (!verb || !*verb)
		return linx_error_param(err, "call", "verb", "no verb");
	if (args && linx_value_copy(&copy, args) < 0)
		return linx_error_set(err, ENOMEM, "call", NULL);
	m = request(LINX_WO_CALL, p->id);
	linx_map_put_cstring(&m, LINX_WK_VERB, verb);
	linx_map_put(&m, LINX_WK_ARGS, &copy);
	return round_trip(p, &m, ret, err);
}

int linx_process_setup(struct linx_process *p, const struct linx_value *plan,
		       struct linx_error *err)
{
	struct linx_value m, copy = linx_value_nil();
	int r = parked(p, "setup", err);

	if (r < 0)
		return r;
	/* The agent checks it again; refusing here saves the round trip
	 * and gives the same error. */
	r = linx_plan_check(plan, p->namespaces, p->enter, err);
	if (r < 0)
		return r;
	if (plan && linx_value_copy(&copy, plan) < 0)
		return linx_error_set(err, ENOMEM, "setup", NULL);
	m = request(LINX_WO_SETUP, p->id);
	linx_map_put(&m, LINX_WK_PLAN, &copy);
	return round_trip(p, &m, NULL, err);
}

int linx_process_pty_write(struct linx_process *p, const void *data,
			   size_t len, struct linx_error *err)
{
	int r = live(p, "pty_write", err);

	if (r < 0)
		return r;
	if (!p->pty)
		return linx_error_set(err, ENOTTY, "pty_write",
				      "the session has no PTY (no_pty)");
	if (!data && len)
		return linx_error_param(err, "pty_write", "data", "no data");
	for (size_t off = 0; off < len; off += LINX_PROTO_PTY_CHUNK) {
		size_t n = len - off < LINX_PROTO_PTY_CHUNK
				   ? len - off
				   : LINX_PROTO_PTY_CHUNK;
		struct linx_value m = request(LINX_WO_PTY_WRITE, p->id);

		linx_map_put_bytes(&m, LINX_WK_DATA, (const char *)data + off, n);
		r = send_msg(p->agent, &m, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int linx_process_pty_set_winsize(struct linx_process *p,
				 const struct linx_winsize *ws,
				 struct linx_error *err)
{
	struct linx_value m;
	int r = live(p, "pty_winsize", err);

	if (r < 0)
		return r;
	if (!ws)
		return linx_error_param(err, "pty_winsize", "ws", "no size");
	if (!p->pty)
		return linx_error_set(err, ENOTTY, "pty_winsize",
				      "the session has no PTY (no_pty)");
	m = request(LINX_WO_WINSIZE, p->id);
	linx_map_put_uint(&m, LINX_WK_ROWS, ws->rows);
	linx_map_put_uint(&m, LINX_WK_COLS, ws->cols);
	linx_map_put_uint(&m, LINX_WK_XPIXEL, ws->xpixel);
	linx_map_put_uint(&m, LINX_WK_YPIXEL, ws->ypixel);
	return send_msg(p->agent, &m, err);
}
