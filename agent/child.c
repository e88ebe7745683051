/* SPDX-License-Identifier: MIT */
/*
 * The cloned child, from clone(2) to execve(2).
 *
 * The agent is single-threaded, so the child is an ordinary copy of it:
 * malloc, the codec and the plugin registry all work here.  It must not use
 * raise(3) or pthread_kill(3) (the raw clone3 leaves glibc's cached thread
 * id pointing at the agent).
 *
 * The way from clone to execve for a child that is simply released is
 * kept to syscall(2) and this file's own code.  fork does not copy the
 * page-table entries of file mappings, so in a fresh child every page of
 * libc's text it runs is one more page fault: calling prctl, poll,
 * sigprocmask, execve and qsort cost eight (page_fault_user tracepoint),
 * syscall(2) alone costs one.  glibc's posix_spawn child makes its system
 * calls directly for the same reason of being in a fresh fork.
 *
 * Frames to the agent (status pipe, closed by execve thanks to O_CLOEXEC):
 *   {t: "ready", pid}           parked; pid is our own view
 *   {t: "pid", pid}             (enter's middle child) the workload's pid
 *   {t: "result", ref, value}   a call succeeded
 *   {t: "result", ref, errno, stage, message, param}   it failed
 *   {t: "error", errno, stage, message}               fatal; we exit next
 * Frames from the agent (command pipe; EOF means abort):
 *   {t: "call", ref, verb, args}
 *   an empty frame (length 0)     proceed
 * Proceed is empty so that the release path decodes nothing: every page
 * the child writes after clone(2) costs it a copy-on-write fault.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "wire.h"

extern char **environ;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

int write_frame(int fd, struct linx_value *msg)
{
	void *buf = NULL;
	size_t len = 0, off = 0;
	int r = linx_proto_encode(msg, &buf, &len, NULL);

	linx_value_clear(msg);
	if (r < 0)
		return r;
	while (off < len) {
		ssize_t n = write(fd, (char *)buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return -EPIPE;
		}
		off += (size_t)n;
	}
	free(buf);
	return 0;
}

/* The frame {t, ref?, the error's keys}.  A map that could not grow
 * would be dropped whole: it is rebuilt saying at least what failed. */
static struct linx_value error_frame(const char *t, const uint64_t *ref,
				     const struct linx_error *e)
{
	struct linx_error named = *e;

	if (!named.op[0])
		memcpy(named.op, "child", sizeof("child"));
	for (int pass = 0;; pass++) {
		struct linx_value m = linx_value_map();

		linx_map_put_cstring(&m, LINX_WK_T, t);
		if (ref)
			linx_map_put_uint(&m, LINX_WK_REF, *ref);
		if (linx_error_to_value(&named, &m) >= 0 || pass)
			return m;
		linx_value_clear(&m);
		named.message[0] = named.param[0] = '\0';
		named.object[0] = named.extack[0] = '\0';
	}
}

static void __attribute__((noreturn)) die(const struct child_cfg *cfg,
					  const struct linx_error *e,
					  int status)
{
	struct linx_value m = error_frame(LINX_WT_ERROR, NULL, e);

	write_frame(cfg->status_fd, &m);
	_exit(status);
}

static void __attribute__((noreturn)) die_errno(const struct child_cfg *cfg,
						int code, const char *stage,
						const char *what)
{
	struct linx_error e;

	linx_error_set(&e, code, stage, "%s: %s", what, linx_strerror(code));
	die(cfg, &e, 1);
}

/*
 * The command pipe's reader.  One read(2) into a buffer on the stack takes
 * whatever the agent has written - usually one whole frame - and keeps any
 * bytes past it for the next call; only a frame bigger than the buffer
 * needs the heap.
 */
struct cmd_reader {
	size_t len;
	uint8_t buf[512];
};

/* Read one frame, blocking: 1 with *ret set, 2 for proceed (an empty
 * frame), 0 at EOF, <0 on error. */
static int read_frame(int fd, struct cmd_reader *rd, struct linx_value *ret)
{
	uint32_t n;
	uint8_t *big;
	size_t got;
	int r;

	while (rd->len < LINX_PROTO_HEADER) {
		ssize_t k = read(fd, rd->buf + rd->len, sizeof(rd->buf) - rd->len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return rd->len == 0 && k == 0 ? 0 : -EPIPE;
		rd->len += (size_t)k;
	}
	n = (uint32_t)rd->buf[0] << 24 | (uint32_t)rd->buf[1] << 16 |
	    (uint32_t)rd->buf[2] << 8 | rd->buf[3];
	if (n > LINX_PROTO_FRAME_MAX)
		return -EMSGSIZE;
	if (n == 0) {
		rd->len -= LINX_PROTO_HEADER;
		if (rd->len)
			memmove(rd->buf, rd->buf + LINX_PROTO_HEADER, rd->len);
		return 2;
	}
	if (LINX_PROTO_HEADER + (size_t)n <= sizeof(rd->buf)) {
		while (rd->len < LINX_PROTO_HEADER + (size_t)n) {
			ssize_t k = read(fd, rd->buf + rd->len,
					 sizeof(rd->buf) - rd->len);

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				return -EPIPE;
			rd->len += (size_t)k;
		}
		r = linx_value_decode(rd->buf + LINX_PROTO_HEADER, n, ret, NULL);
		rd->len -= LINX_PROTO_HEADER + (size_t)n;
		memmove(rd->buf, rd->buf + LINX_PROTO_HEADER + n, rd->len);
		return r < 0 ? r : 1;
	}
	/* A big frame: what the buffer holds is its beginning and nothing
	 * beyond it, so the rest is read straight into the heap. */
	big = malloc(n);
	if (!big)
		return -ENOMEM;
	got = rd->len - LINX_PROTO_HEADER;
	memcpy(big, rd->buf + LINX_PROTO_HEADER, got);
	rd->len = 0;
	while (got < n) {
		ssize_t k = read(fd, big + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(big);
			return -EPIPE;
		}
		got += (size_t)k;
	}
	r = linx_value_decode(big, n, ret, NULL);
	free(big);
	return r < 0 ? r : 1;
}

/* ---- the agent's death -------------------------------------------------- */

/*
 * Die with the agent: PR_SET_PDEATHSIG, then make sure the agent did not
 * die before the prctl took effect.  getppid() cannot tell in a new pid
 * namespace (the parent is outside it: 0), so look at the agent's pidfd,
 * which becomes readable when it exits.
 */
static void die_with_agent(void)
{
	struct pollfd pfd = { .fd = agent.self_pidfd, .events = POLLIN };
	struct timespec now = { 0, 0 };

	if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		_exit(1);
	if (agent.self_pidfd >= 0 &&
	    syscall(SYS_ppoll, &pfd, 1, &now, NULL, 0) != 0)
		_exit(1);
}

/* Close every descriptor the child does not need: the agent's control
 * channel and other sessions' pipes must not be held by a parked child.
 * (They are all O_CLOEXEC anyway; this is about the checkpoint window.) */
static void close_others(const struct child_cfg *cfg)
{
	int keep[8 + LINX_NS_KIND_COUNT], n = 0, from = 3;

	keep[n++] = cfg->cmd_fd;
	keep[n++] = cfg->status_fd;
	keep[n++] = agent.self_pidfd;
	keep[n++] = cfg->pty_slave;
	for (int i = 0; i < 3; i++)
		keep[n++] = cfg->stdio[i];
	for (int k = 0; k < LINX_NS_KIND_COUNT; k++)
		keep[n++] = cfg->pin.fds[k];
	/* A dozen numbers: insertion sort (see the top of this file on what
	 * a call into another page of libc costs here). */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (int i = 0; i < n; i++) {
		if (keep[i] < from)
			continue;
		if (keep[i] > from)
			syscall(SYS_close_range, from, keep[i] - 1, 0);
		from = keep[i] + 1;
	}
	syscall(SYS_close_range, from, ~0U, 0);
}

/* The agent's own descriptor limit is not the workload's.  Lowering a
 * soft limit needs no privilege and leaves open descriptors alone. */
static void restore_nofile(void)
{
	if (agent.nofile_raised)
		setrlimit(RLIMIT_NOFILE, &agent.nofile);
}

/* ---- at the checkpoint -------------------------------------------------- */

struct deferred {
	struct linx_value calls; /* list of {verb, args} */
};

static void run_call(struct child_cfg *cfg, struct deferred *d,
		     const struct linx_value *msg)
{
	const struct linx_value *verb = linx_map_get(msg, LINX_WK_VERB);
	const struct linx_value *args = linx_map_get(msg, LINX_WK_ARGS);
	const struct linx_value *ref = linx_map_get(msg, LINX_WK_REF);
	struct linx_value res = linx_value_nil(), reply = linx_value_map();
	struct linx_error e;
	uint64_t r64 = 0;
	int r;

	linx_error_clear(&e);
	linx_value_get_u64(ref, &r64);
	linx_map_put_cstring(&reply, LINX_WK_T, LINX_WT_RESULT);
	linx_map_put_uint(&reply, LINX_WK_REF, r64);
	if (!verb || verb->type != LINX_STRING)
		r = linx_error_param(&e, "call", "verb", "no verb named");
	else
		r = linx_call(agent.reg, verb->str, args, &res,
			      LINX_CALL_IN_CHILD, &e);
	if (r < 0) {
		bool refusal = e.param[0] != '\0' || e.code == ENOENT;

		linx_value_clear(&reply);
		reply = error_frame(LINX_WT_RESULT, &r64, &e);
		write_frame(cfg->status_fd, &reply);
		/* A refused argument leaves the child parked; a kernel
		 * failure ends the session before execve. */
		if (!refusal)
			die(cfg, &e, 1);
		return;
	}
	if (res.type == LINX_MAP) {
		const struct linx_value *at = linx_map_get(&res, LINX_WK_AT_EXEC);

		if (at && at->type == LINX_MAP) {
			struct linx_value copy;

			if (linx_value_copy(&copy, at) < 0)
				die_errno(cfg, ENOMEM, "call", "at_exec");
			linx_list_push(&d->calls, &copy);
		}
	}
	linx_map_put(&reply, LINX_WK_VALUE, &res);
	if (linx_value_status(&reply) < 0) {
		/* A result that cannot be encoded still answers. */
		linx_value_clear(&reply);
		reply = linx_value_map();
		linx_map_put_cstring(&reply, LINX_WK_T, LINX_WT_RESULT);
		linx_map_put_uint(&reply, LINX_WK_REF, r64);
	}
	write_frame(cfg->status_fd, &reply);
}

/* Serve the host's calls until proceed; EOF on the command pipe means the
 * session was aborted. */
static void park(struct child_cfg *cfg, struct deferred *d)
{
	struct cmd_reader rd;

	rd.len = 0;
	for (;;) {
		struct linx_value msg = linx_value_nil();
		const struct linx_value *t;
		int r = read_frame(cfg->cmd_fd, &rd, &msg);

		if (r == 2)
			return;
		if (r <= 0)
			_exit(0);
		t = linx_map_get(&msg, LINX_WK_T);
		if (t && t->type == LINX_STRING && strcmp(t->str, LINX_WT_CALL) == 0)
			run_call(cfg, d, &msg);
		linx_value_clear(&msg);
	}
}

/* ---- release -------------------------------------------------------------- */

static void plumb_stdio(const struct child_cfg *cfg)
{
	if (cfg->pty) {
		/* A new session with the PTY as its controlling terminal
		 * (setsid(2), TIOCSCTTY in ioctl_tty(2)). */
		if (setsid() < 0)
			die_errno(cfg, errno, "stdio", "setsid");
		if (ioctl(cfg->pty_slave, TIOCSCTTY, 0) < 0)
			die_errno(cfg, errno, "stdio", "TIOCSCTTY");
		for (int fd = 0; fd < 3; fd++)
			if (dup2(cfg->pty_slave, fd) < 0)
				die_errno(cfg, errno, "stdio", "dup2");
		return;
	}
	for (int fd = 0; fd < 3; fd++)
		if (cfg->stdio[fd] >= 0 && dup2(cfg->stdio[fd], fd) < 0)
			die_errno(cfg, errno, "stdio", "dup2");
}

/* The workload starts with no blocked signals and default dispositions.
 * The agent reset every disposition when it started and changed none
 * since (it blocks what it must not die of), so unblocking everything is
 * all there is to undo: the signal mask survives execve(2).  The kernel's
 * sigset is 8 bytes (rt_sigprocmask(2)). */
static void reset_signals(void)
{
	uint64_t none = 0;

	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
}

static void run_deferred(struct child_cfg *cfg, struct deferred *d)
{
	for (uint32_t i = 0; i < d->calls.len; i++) {
		const struct linx_value *c = &d->calls.items[i];
		const struct linx_value *verb = linx_map_get(c, LINX_WK_VERB);
		struct linx_value res = linx_value_nil();
		struct linx_error e;

		linx_error_clear(&e);
		if (!verb || verb->type != LINX_STRING) {
			linx_error_set(&e, EINVAL, "at_exec",
				       "an at_exec entry names no verb");
			die(cfg, &e, 1);
		}
		if (linx_call(agent.reg, verb->str, linx_map_get(c, LINX_WK_ARGS),
			      &res, LINX_CALL_IN_CHILD, &e) < 0)
			die(cfg, &e, 1);
		linx_value_clear(&res);
	}
}

static void __attribute__((noreturn)) release(struct child_cfg *cfg,
					      struct deferred *d)
{
	plumb_stdio(cfg);
	if (cfg->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die_errno(cfg, errno, "no_new_privs", "prctl(PR_SET_NO_NEW_PRIVS)");
	if (cfg->cwd && chdir(cfg->cwd) < 0) {
		struct linx_error e;

		linx_error_set(&e, errno, "chdir", "chdir %s: %s", cfg->cwd,
			       linx_strerror(errno));
		die(cfg, &e, 1);
	}
	reset_signals();
	slice_restore();
	/* Last: whatever a verb asked to run just before execve (a seccomp
	 * filter screens every syscall after it, so nothing but execve
	 * follows). */
	run_deferred(cfg, d);
	syscall(SYS_execve, cfg->argv[0], cfg->argv,
		cfg->envp ? cfg->envp : environ);
	{
		struct linx_error e;
		int code = errno;

		linx_error_set(&e, code, "execve", "execve %s: %s",
			       cfg->argv[0], linx_strerror(code));
		linx_error_object(&e, cfg->argv[0]);
		die(cfg, &e, 127);
	}
}

/* ---- entry points ------------------------------------------------------- */

static void __attribute__((noreturn)) workload(struct child_cfg *cfg)
{
	struct deferred d = { .calls = linx_value_list() };
	/* A spawned child was announced ready at clone time; one that
	 * entered namespaces says so once it is in them, with its pid
	 * there. */
	if (cfg->enter) {
		struct linx_value m = linx_value_map();

		linx_map_put_cstring(&m, LINX_WK_T, LINX_WT_READY);
		linx_map_put_int(&m, LINX_WK_PID, getpid());
		if (write_frame(cfg->status_fd, &m) < 0)
			_exit(1);
	}
	park(cfg, &d);
	release(cfg, &d);
}

void child_main(struct child_cfg *cfg)
{
	die_with_agent();
	close_others(cfg);
	restore_nofile();
	if (cfg->enter) {
		struct linx_error e;

		linx_error_clear(&e);
		if (linx_ns_pin_enter(&cfg->pin, cfg->enter_mask, &e) < 0)
			die(cfg, &e, 1);
	}
	workload(cfg);
}

/* The clone3(2) arguments this file uses (CLONE_ARGS_SIZE_VER0). */
struct clone_args0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls;
};

void child_enter_main(struct child_cfg *cfg)
{
	struct clone_args0 args = { .flags = CLONE_PARENT };
	struct linx_value m;
	struct linx_error e;
	pid_t pid;

	die_with_agent();
	close_others(cfg);
	restore_nofile();
	linx_error_clear(&e);
	if (linx_ns_pin_enter(&cfg->pin, cfg->enter_mask, &e) < 0)
		die(cfg, &e, 1);
	/* setns(2) into a pid namespace applies to children only: the
	 * workload is our child, made the agent's child with CLONE_PARENT so
	 * the agent reaps it and it dies with the agent. */
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		die_errno(cfg, errno, "fork", "clone3 into the pid namespace");
	if (pid == 0) {
		die_with_agent();
		workload(cfg);
	}
	m = linx_value_map();
	linx_map_put_cstring(&m, LINX_WK_T, LINX_WT_PID);
	linx_map_put_int(&m, LINX_WK_PID, pid);
	write_frame(cfg->status_fd, &m);
	_exit(0);
}
