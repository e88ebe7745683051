/* SPDX-License-Identifier: MIT */
/*
 * Starting a session: validate the request (before any system call),
 * prepare every descriptor the child will need in the agent - so stdio
 * paths resolve in the host's mount namespace - and clone.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "agent.h"
#include "wire.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define MAX_ARGS 65536

/* CLONE_NEW* for each LINX_NS_KIND_* (include/uapi/linux/sched.h). */
static const uint64_t ns_clone_flag[LINX_NS_KIND_COUNT] = {
	[LINX_NS_KIND_USER] = CLONE_NEWUSER, [LINX_NS_KIND_CGROUP] = CLONE_NEWCGROUP,
	[LINX_NS_KIND_IPC] = CLONE_NEWIPC,   [LINX_NS_KIND_UTS] = CLONE_NEWUTS,
	[LINX_NS_KIND_NET] = CLONE_NEWNET,   [LINX_NS_KIND_MNT] = CLONE_NEWNS,
	[LINX_NS_KIND_TIME] = CLONE_NEWTIME, [LINX_NS_KIND_PID] = CLONE_NEWPID,
};

struct clone_args0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls;
};

struct prep {
	struct child_cfg cfg;
	int pty_master;
	int cmd_w, status_r;
	uint32_t ns_mask;
	bool linger, auto_proceed;
	uint32_t grace_ms;
	struct winsize ws;
	bool have_ws;
};

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void prep_free(struct prep *p)
{
	strv_free(p->cfg.argv);
	strv_free(p->cfg.envp);
	free(p->cfg.cwd);
	for (int i = 0; i < 3; i++)
		if (p->cfg.stdio[i] >= 0)
			close(p->cfg.stdio[i]);
	if (p->cfg.pty_slave >= 0)
		close(p->cfg.pty_slave);
	if (p->pty_master >= 0)
		close(p->pty_master);
	if (p->cfg.cmd_fd >= 0)
		close(p->cfg.cmd_fd);
	if (p->cfg.status_fd >= 0)
		close(p->cfg.status_fd);
	if (p->cmd_w >= 0)
		close(p->cmd_w);
	if (p->status_r >= 0)
		close(p->status_r);
	linx_ns_pin_close(&p->cfg.pin);
}

/* ---- validation (no system calls) ---------------------------------------- */

static int bad(struct linx_error *e, const char *param, const char *fmt, ...)
	LINX_PRINTF(3, 4);
static int bad(struct linx_error *e, const char *param, const char *fmt, ...)
{
	char msg[LINX_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return linx_error_param(e, "malformed_request", param, "%s", msg);
}

/* A list of strings or bytes without NUL; NULL-terminated copy. */
static int strv_from(const struct linx_value *v, const char *param,
		     char ***ret, struct linx_error *e)
{
	char **out;

	if (v->type != LINX_LIST || v->len > MAX_ARGS)
		return bad(e, param, "%s must be a list of strings", param);
	out = calloc(v->len + 1, sizeof(char *));
	if (!out)
		return linx_error_set(e, ENOMEM, "malformed_request", NULL);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *s = &v->items[i];

		if ((s->type != LINX_STRING && s->type != LINX_BYTES) ||
		    memchr(s->str, '\0', s->len)) {
			strv_free(out);
			return bad(e, param,
				   "%s[%u] must be a string without NUL "
				   "bytes",
				   param, i);
		}
		out[i] = strndup(s->str, s->len);
		if (!out[i]) {
			strv_free(out);
			return linx_error_set(e, ENOMEM, "malformed_request",
					      NULL);
		}
	}
	*ret = out;
	return 0;
}

static bool get_bool(const struct linx_value *m, const char *key)
{
	const struct linx_value *v = linx_map_get(m, key);

	return v && v->type == LINX_BOOL && v->b;
}

static int parse_ns(const struct linx_value *v, uint32_t *ret,
		    struct linx_error *e)
{
	uint32_t mask = 0;
	char bad_names[256] = "";
	size_t blen = 0;

	if (v->type != LINX_LIST)
		return bad(e, "namespaces", "namespaces must be a list");
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *s = &v->items[i];
		int kind = -1;

		if (s->type == LINX_STRING)
			kind = strcmp(s->str, "mount") == 0
				       ? LINX_NS_KIND_MNT
				       : linx_ns_kind_from_name(s->str);
		if (kind < 0) {
			blen += (size_t)snprintf(
				bad_names + blen,
				blen < sizeof(bad_names) ? sizeof(bad_names) - blen : 0,
				"%s%s", blen ? ", " : "",
				s->type == LINX_STRING ? s->str : "(not a string)");
			if (blen >= sizeof(bad_names))
				blen = sizeof(bad_names) - 1;
			continue;
		}
		mask |= 1u << kind;
	}
	if (bad_names[0])
		return bad(e, "namespaces", "bad_namespaces: %s", bad_names);
	*ret = mask;
	return 0;
}

/* stdio kinds: -1 inherit, -2 devnull, 0..2 index into paths (connect). */
struct stdio_req {
	int kind[3];
	const char *path[3];
	bool pty;
};

static int parse_stdio_one(const struct linx_value *v, int fd,
			   struct stdio_req *r, struct linx_error *e)
{
	if (!v || v->type == LINX_NIL ||
	    (v->type == LINX_STRING && strcmp(v->str, LINX_WS_INHERIT) == 0)) {
		r->kind[fd] = -1;
		return 0;
	}
	if (v->type == LINX_STRING && strcmp(v->str, LINX_WS_DEVNULL) == 0) {
		r->kind[fd] = -2;
		return 0;
	}
	if (v->type == LINX_MAP && v->len == 1) {
		const struct linx_value *p = linx_map_get(v, LINX_WK_CONNECT_UNIX);

		if (p && (p->type == LINX_STRING || p->type == LINX_BYTES) &&
		    p->len > 0 && p->len < sizeof(((struct sockaddr_un *)0)->sun_path) &&
		    !memchr(p->str, '\0', p->len)) {
			r->kind[fd] = fd;
			r->path[fd] = p->str;
			return 0;
		}
	}
	return bad(e, "stdio",
		   "stdio for fd %d must be \"inherit\", \"devnull\" or "
		   "{\"connect_unix\": path} (a PTY is all-or-nothing: "
		   "\"pty\")",
		   fd);
}

static int parse_stdio(const struct linx_value *v, struct stdio_req *r,
		       struct linx_error *e)
{
	static const char *const names[3] = { LINX_WK_STDIN, LINX_WK_STDOUT,
					       LINX_WK_STDERR };

	r->kind[0] = r->kind[1] = r->kind[2] = -1;
	if (!v || v->type == LINX_NIL)
		return 0;
	if (v->type == LINX_STRING) {
		if (strcmp(v->str, LINX_WS_PTY) == 0) {
			r->pty = true;
			return 0;
		}
		for (int fd = 0; fd < 3; fd++) {
			int rc = parse_stdio_one(v, fd, r, e);

			if (rc < 0)
				return rc;
		}
		return 0;
	}
	if (v->type != LINX_MAP)
		return bad(e, "stdio", "stdio must be a string or a map");
	for (uint32_t i = 0; i < v->len; i++) {
		int fd;

		for (fd = 0; fd < 3; fd++)
			if (strcmp(v->pairs[i].key, names[fd]) == 0)
				break;
		if (fd == 3)
			return bad(e, "stdio",
				   "unknown stdio key \"%s\" (stdin, stdout "
				   "or stderr)",
				   v->pairs[i].key);
		if (parse_stdio_one(&v->pairs[i].value, fd, r, e) < 0)
			return -EINVAL;
	}
	return 0;
}

/* What to run: argv (required), env and cwd. */
static int parse_command(const struct linx_value *m, struct prep *p,
			 struct linx_error *e)
{
	const struct linx_value *v;
	int r;

	v = linx_map_get(m, LINX_WK_ARGV);
	if (!v || v->type != LINX_LIST || v->len == 0)
		return bad(e, "argv", "argv_required: argv must be a non-empty "
				      "list whose first element is the "
				      "executable's path");
	r = strv_from(v, LINX_WK_ARGV, &p->cfg.argv, e);
	if (r < 0)
		return r;
	if (!p->cfg.argv[0][0])
		return bad(e, "argv", "argv_required: argv[0] is empty");
	v = linx_map_get(m, LINX_WK_ENV);
	if (v && v->type != LINX_NIL) {
		r = strv_from(v, LINX_WK_ENV, &p->cfg.envp, e);
		if (r < 0)
			return r;
	}
	v = linx_map_get(m, LINX_WK_CWD);
	if (v && v->type != LINX_NIL) {
		if ((v->type != LINX_STRING && v->type != LINX_BYTES) ||
		    !v->len || memchr(v->str, '\0', v->len))
			return bad(e, "cwd", "cwd must be a non-empty path");
		p->cfg.cwd = strndup(v->str, v->len);
		if (!p->cfg.cwd)
			return linx_error_set(e, ENOMEM, "malformed_request",
					      NULL);
	}
	return 0;
}

/* Where to run it: the namespaces to create (spawn) or join (enter: all
 * of the target's by default), and for enter the target. */
static int parse_namespaces(const struct linx_value *m, bool enter,
			    struct prep *p, pid_t *target,
			    struct linx_error *e)
{
	const struct linx_value *v;
	int64_t i64;
	int r;

	v = linx_map_get(m, LINX_WK_NAMESPACES);
	if (v && v->type != LINX_NIL) {
		r = parse_ns(v, &p->ns_mask, e);
		if (r < 0)
			return r;
	} else if (enter) {
		p->ns_mask = LINX_NS_ALL;
	}
	if (enter && p->ns_mask == 0)
		p->ns_mask = LINX_NS_ALL;
	if (enter) {
		v = linx_map_get(m, LINX_WK_TARGET);
		if (!linx_value_get_i64(v, &i64) || i64 <= 0 || i64 > INT_MAX)
			return bad(e, "target",
				   "target must be a positive pid");
		*target = (pid_t)i64;
	}
	return 0;
}

/* Its stdio, and the PTY's first window size. */
static int parse_terminal(const struct linx_value *m, struct prep *p,
			  struct stdio_req *sr, struct linx_error *e)
{
	const struct linx_value *v;
	int r;

	r = parse_stdio(linx_map_get(m, LINX_WK_STDIO), sr, e);
	if (r < 0)
		return r;
	v = linx_map_get(m, LINX_WK_WINSIZE);
	if (v && v->type != LINX_NIL) {
		if (v->type != LINX_MAP)
			return bad(e, "winsize", "winsize must be a map");
		r = winsize_from(v, "malformed_request", &p->ws, e);
		if (r < 0)
			return r;
		p->have_ws = true;
	}
	return 0;
}

/* How the session lives and ends: no_new_privs, linger, auto_proceed and
 * the kill grace period. */
static int parse_lifecycle(const struct linx_value *m, struct prep *p,
			   struct linx_error *e)
{
	const struct linx_value *v;

	p->cfg.nnp = get_bool(m, LINX_WK_NO_NEW_PRIVS);
	p->linger = get_bool(m, LINX_WK_LINGER);
	p->auto_proceed = get_bool(m, LINX_WK_AUTO_PROCEED);
	p->grace_ms = 2000;
	v = linx_map_get(m, LINX_WK_KILL_GRACE_MS);
	if (v) {
		uint64_t g;

		if (!linx_value_get_u64(v, &g) || g > 3600000)
			return bad(e, "kill_grace_ms",
				   "kill_grace_ms must be 0..3600000");
		p->grace_ms = (uint32_t)g;
	}
	return 0;
}

/* The whole request, group by group, in the order the errors were always
 * reported in. */
static int parse_request(const struct linx_value *m, bool enter,
			 struct prep *p, struct stdio_req *sr, pid_t *target,
			 struct linx_error *e)
{
	int r = parse_command(m, p, e);

	if (r >= 0)
		r = parse_namespaces(m, enter, p, target, e);
	if (r >= 0)
		r = parse_terminal(m, p, sr, e);
	if (r >= 0)
		r = parse_lifecycle(m, p, e);
	return r;
}

/* ---- preparation (system calls, in the agent) --------------------------- */

static int open_stdio(struct prep *p, const struct stdio_req *sr,
		      struct linx_error *e)
{
	for (int fd = 0; fd < 3 && !sr->pty; fd++) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int s;

		if (sr->kind[fd] == -1)
			continue;
		if (sr->kind[fd] == -2) {
			p->cfg.stdio[fd] = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (p->cfg.stdio[fd] < 0)
				return linx_error_set(e, errno, "stdio",
						      "open /dev/null: %s",
						      linx_strerror(errno));
			continue;
		}
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			return linx_error_set(e, errno, "stdio", "socket: %s",
					      linx_strerror(errno));
		p->cfg.stdio[fd] = s;
		memcpy(sa.sun_path, sr->path[fd], strlen(sr->path[fd]));
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			linx_error_set(e, errno, "stdio",
				       "fd %d: connect to %s: %s", fd,
				       sr->path[fd], linx_strerror(errno));
			return linx_error_object(e, sr->path[fd]);
		}
	}
	return 0;
}

static int open_pty(struct prep *p, struct linx_error *e)
{
	char name[64];
	int fl;

	p->pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->pty_master < 0)
		return linx_error_set(e, errno, "posix_openpt", NULL);
	if (grantpt(p->pty_master) < 0 || unlockpt(p->pty_master) < 0)
		return linx_error_set(e, errno, "ptsetup", NULL);
	if (ptsname_r(p->pty_master, name, sizeof(name)) != 0)
		return linx_error_set(e, errno, "ptsname", NULL);
	p->cfg.pty_slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p->cfg.pty_slave < 0)
		return linx_error_set(e, errno, "pts_open", "open %s: %s", name,
				      linx_strerror(errno));
	if (p->have_ws) {
		ioctl(p->pty_master, TIOCSWINSZ, &p->ws);
	}
	fl = fcntl(p->pty_master, F_GETFL);
	fcntl(p->pty_master, F_SETFL, fl | O_NONBLOCK);
	return 0;
}

/* Pin the target and open the namespaces to join.  With no explicit list,
 * every namespace file the target has is joined. */
static int pin_target(struct prep *p, pid_t target, bool all,
		      struct linx_error *e)
{
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = target };
	uint32_t want = p->ns_mask;
	int r;

	r = linx_ns_pin_process(&t, &p->cfg.pin, e);
	if (r < 0) {
		/* Name the first namespace we could not open, as a per-kind
		 * stage ("open_ns_user" for a bogus pid). */
		for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
			if (want & (1u << k)) {
				snprintf(e->op, sizeof(e->op), "open_ns_%s",
					 linx_ns_kind_name(k));
				break;
			}
		}
		return r;
	}
	if (all) {
		for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
			char rel[16];

			snprintf(rel, sizeof(rel), "ns/%s", linx_ns_kind_name(k));
			if (faccessat(p->cfg.pin.procfd, rel, F_OK, 0) < 0 &&
			    errno == ENOENT)
				want &= ~(1u << k);
		}
	}
	return linx_ns_pin_open(&p->cfg.pin, want, e);
}

static struct session *session_new(uint64_t id, const struct prep *p)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->id = id;
	s->cmd_fd = s->status_fd = s->pty_fd = -1;
	s->linger = p->linger;
	s->namespaces = p->ns_mask;
	s->auto_proceed = p->auto_proceed;
	s->grace_ms = p->grace_ms;
	return s;
}

static void prep_init(struct prep *p, bool enter)
{
	memset(p, 0, sizeof(*p));
	linx_ns_pin_init(&p->cfg.pin);
	p->cfg.stdio[0] = p->cfg.stdio[1] = p->cfg.stdio[2] = -1;
	p->cfg.pty_slave = p->pty_master = -1;
	p->cfg.cmd_fd = p->cfg.status_fd = p->cmd_w = p->status_r = -1;
	p->cfg.enter = enter;
}

/* The child's command pipe (it reads) and status pipe (it writes). */
static int open_pipes(struct prep *p, struct linx_error *e)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return linx_error_set(e, errno, "pipe2", NULL);
	p->cfg.cmd_fd = fds[0];
	p->cmd_w = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return linx_error_set(e, errno, "pipe2", NULL);
	p->status_r = fds[0];
	p->cfg.status_fd = fds[1];
	return 0;
}

/* No explicit namespace list: enter joins whatever the target has. */
static bool joins_all(const struct linx_value *msg)
{
	const struct linx_value *ns = linx_map_get(msg, LINX_WK_NAMESPACES);

	return !ns || ns->type == LINX_NIL || ns->len == 0;
}

/* Validate the request, then open every descriptor the child needs. */
static int prepare(const struct linx_value *msg, bool enter, struct prep *p,
		   struct linx_error *e)
{
	struct stdio_req sr;
	pid_t target = 0;
	int r;

	memset(&sr, 0, sizeof(sr));
	r = parse_request(msg, enter, p, &sr, &target, e);
	if (r < 0)
		return r;
	p->cfg.pty = sr.pty;
	r = open_stdio(p, &sr, e);
	if (r >= 0 && sr.pty)
		r = open_pty(p, e);
	if (r >= 0 && enter)
		r = pin_target(p, target, joins_all(msg), e);
	if (r >= 0)
		r = open_pipes(p, e);
	return r;
}

/*
 * clone3(2) the child: for spawn with the requested namespaces, for enter
 * with none (it joins the pinned ones itself; into a pid namespace
 * through a `middle` child).  Returns in the agent only: the pid, or -1
 * with errno set.
 */
static pid_t clone_child(struct prep *p, bool enter, bool middle)
{
	struct clone_args0 args = { .exit_signal = SIGCHLD };
	pid_t pid;

	if (!enter) {
		for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++)
			if (p->ns_mask & (1u << k))
				args.flags |= ns_clone_flag[k];
	} else {
		p->cfg.enter_mask = p->cfg.pin.mask;
	}
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		if (middle)
			child_enter_main(&p->cfg);
		child_main(&p->cfg);
	}
	return pid;
}

/* The child runs: the session takes the agent's ends of its descriptors,
 * joins the list and, unless the pid is still to come from a middle
 * child, says "spawned". */
static void session_started(struct session *s, struct prep *p, pid_t pid,
			    bool middle)
{
	s->cmd_fd = p->cmd_w;
	s->status_fd = p->status_r;
	s->pty_fd = p->pty_master;
	p->cmd_w = p->status_r = p->pty_master = -1;
	fcntl(s->cmd_fd, F_SETFL, O_NONBLOCK);
	fcntl(s->status_fd, F_SETFL, O_NONBLOCK);
	prep_free(p); /* the agent's copies of the child's descriptors */
	s->next = agent.sessions;
	agent.sessions = s;
	if (!middle) {
		struct linx_value ev = event(LINX_WE_SPAWNED, s->id);

		s->pid = pid;
		s->stage = LINX_PROCESS_SPAWNED;
		linx_map_put_int(&ev, LINX_WK_HOST_PID, pid);
		emit(&ev);
		if (!s->enter) {
			/* A spawned child is parked the moment clone3
			 * returns: its namespaces exist, and whatever is sent
			 * waits in its command pipe.  Its own pid is 1 in a
			 * new pid namespace, else the host's.  Saying so now
			 * spares a round trip through the child. */
			s->child_pid = (p->ns_mask & LINX_NS_PID) ? 1 : pid;
			s->ready_seen = true;
			session_on_ready(s);
		}
	} else {
		/* The workload's pid comes from the middle child. */
		s->helper = pid;
	}
}

void start_session(const struct linx_value *msg, bool enter, uint64_t id)
{
	struct prep p;
	struct session *s = NULL;
	struct linx_error e;
	bool middle;
	pid_t pid;
	int r;

	prep_init(&p, enter);
	linx_error_clear(&e);
	if (session_find(id)) {
		emit_reject(id, enter ? "enter" : "spawn", EEXIST, "duplicate",
			    "session %llu already exists",
			    (unsigned long long)id);
		prep_free(&p);
		return;
	}
	r = prepare(msg, enter, &p, &e);
	if (r >= 0) {
		s = session_new(id, &p);
		if (!s)
			r = linx_error_set(&e, ENOMEM, enter ? "fork" : "clone",
					   NULL);
	}
	if (r < 0) {
		emit_error(id, &e);
		prep_free(&p);
		return;
	}
	s->enter = enter;
	/* Enter into a pid namespace goes through a middle child; otherwise
	 * the child is the workload itself. */
	middle = enter && (p.cfg.pin.mask & LINX_NS_PID);
	pid = clone_child(&p, enter, middle);
	if (pid < 0) {
		linx_error_set(&e, errno, enter ? "fork" : "clone",
			       "%s: %s", enter ? "clone3" : "clone3 with the "
							"requested namespaces",
			       linx_strerror(errno));
		emit_error(id, &e);
		free(s);
		prep_free(&p);
		return;
	}
	session_started(s, &p, pid, middle);
}
