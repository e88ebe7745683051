/* SPDX-License-Identifier: MIT */
/*
 * Namespace entry: pinning a target process, joining its namespaces on a
 * throwaway thread or in a forked helper, and opening sockets inside a
 * network namespace.  See include/linx/ns.h for the contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include "internal.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const char *const kind_names[LINX_NS_KIND_COUNT] = {
	[LINX_NS_KIND_USER] = "user", [LINX_NS_KIND_CGROUP] = "cgroup",
	[LINX_NS_KIND_IPC] = "ipc",   [LINX_NS_KIND_UTS] = "uts",
	[LINX_NS_KIND_NET] = "net",   [LINX_NS_KIND_MNT] = "mnt",
	[LINX_NS_KIND_TIME] = "time", [LINX_NS_KIND_PID] = "pid",
};

/* setns(2) nstype for each kind (include/uapi/linux/sched.h). */
static const int kind_clone_flag[LINX_NS_KIND_COUNT] = {
	[LINX_NS_KIND_USER] = CLONE_NEWUSER, [LINX_NS_KIND_CGROUP] = CLONE_NEWCGROUP,
	[LINX_NS_KIND_IPC] = CLONE_NEWIPC,   [LINX_NS_KIND_UTS] = CLONE_NEWUTS,
	[LINX_NS_KIND_NET] = CLONE_NEWNET,   [LINX_NS_KIND_MNT] = CLONE_NEWNS,
	[LINX_NS_KIND_TIME] = CLONE_NEWTIME, [LINX_NS_KIND_PID] = CLONE_NEWPID,
};

const char *linx_ns_kind_name(unsigned kind)
{
	return kind < LINX_NS_KIND_COUNT ? kind_names[kind] : NULL;
}

int linx_ns_kind_from_name(const char *name)
{
	for (unsigned k = 0; name && k < LINX_NS_KIND_COUNT; k++)
		if (strcmp(kind_names[k], name) == 0)
			return (int)k;
	return -1;
}

static int kind_from_clone_flag(int flag)
{
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++)
		if (kind_clone_flag[k] == flag)
			return (int)k;
	return -1;
}

/* ---- targets ------------------------------------------------------------ */

int linx_ns_target_from_value(const struct linx_value *v, const char *param,
			      struct linx_ns_target *ret,
			      struct linx_error *err)
{
	int64_t pid;

	if (!ret)
		return linx_error_param(err, "validate", "ret", "no output");
	*ret = (struct linx_ns_target)LINX_NS_TARGET_SELF_INIT;
	if (!param)
		param = "in";
	if (!v || v->type == LINX_NIL)
		return 0;
	if (v->type == LINX_MAP) {
		const struct linx_value *p = linx_map_get(v, "pid");
		const struct linx_value *f = linx_map_get(v, "path");

		/* The key says what the value is: {"pid": "/x"} is not a
		 * path, nor {"path": 12} a pid. */
		if (v->len != 1 || (!p && !f) ||
		    (p && p->type != LINX_INT && p->type != LINX_UINT) ||
		    (f && (f->type != LINX_STRING || f->str[0] != '/')))
			return linx_error_param(err, "validate", param,
						"parameter \"%s\": a map target "
						"is {\"pid\": N} or "
						"{\"path\": \"/...\"}",
						param);
		return linx_ns_target_from_value(p ? p : f, param, ret, err);
	}
	if (v->type == LINX_INT || v->type == LINX_UINT) {
		if (!linx_value_get_i64(v, &pid) || pid <= 0 || pid > INT_MAX)
			return linx_error_param(err, "validate", param,
						"parameter \"%s\": a pid must be "
						"a positive integer",
						param);
		ret->kind = LINX_NS_TARGET_PID;
		ret->pid = (pid_t)pid;
		return 0;
	}
	if (v->type == LINX_STRING) {
		if (strcmp(v->str, "self") == 0)
			return 0;
		if (v->str[0] != '/' || v->len >= PATH_MAX)
			return linx_error_param(err, "validate", param,
						"parameter \"%s\": expected "
						"\"self\", a pid or an absolute "
						"namespace file path, got \"%s\"",
						param, v->str);
		ret->kind = LINX_NS_TARGET_PATH;
		ret->path = v->str;
		return 0;
	}
	return linx_error_param(err, "validate", param,
				"parameter \"%s\": a namespace target is "
				"\"self\", a pid or a path, not a %s",
				param, linx_type_name(v->type));
}

size_t linx_ns_target_describe(const struct linx_ns_target *t, char *buf,
			       size_t cap)
{
	if (!t || t->kind == LINX_NS_TARGET_SELF)
		return linx__format(buf, cap, "self");
	if (t->kind == LINX_NS_TARGET_PID)
		return linx__format(buf, cap, "pid %d", (int)t->pid);
	return linx__format(buf, cap, "path %s", t->path ? t->path : "");
}

/* ---- pinning ------------------------------------------------------------ */

void linx_ns_pin_init(struct linx_ns_pin *pin)
{
	if (!pin)
		return;
	pin->pidfd = -1;
	pin->procfd = -1;
	pin->pid = 0;
	pin->mask = 0;
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++)
		pin->fds[k] = -1;
}

void linx_ns_pin_close(struct linx_ns_pin *pin)
{
	if (!pin)
		return;
	if (pin->pidfd >= 0)
		close(pin->pidfd);
	if (pin->procfd >= 0)
		close(pin->procfd);
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++)
		if (pin->fds[k] >= 0)
			close(pin->fds[k]);
	linx_ns_pin_init(pin);
}

bool linx_ns_fd_is_current(int fd, unsigned kind)
{
	char path[64];
	struct stat a, b;

	if (kind >= LINX_NS_KIND_COUNT || fstat(fd, &a) < 0)
		return false;
	linx__format(path, sizeof(path), "/proc/thread-self/ns/%s",
		     kind_names[kind]);
	if (stat(path, &b) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Is the pinned process still running?  Lookups under a /proc/<pid>
 * directory fail once its process has been reaped, even if the number is
 * reused.  A process that has exited but is not reaped yet (a zombie) still
 * has its /proc directory but no namespaces left; its pidfd is readable
 * from the moment it exits (pidfd_open(2)), which tells it apart.
 */
static bool pin_alive(const struct linx_ns_pin *pin)
{
	struct pollfd p = { .fd = pin->pidfd, .events = POLLIN };

	if (faccessat(pin->procfd, "stat", F_OK, 0) != 0)
		return false;
	return pin->pidfd < 0 || poll(&p, 1, 0) == 0;
}

static int gone(struct linx_error *err, const char *op, pid_t pid)
{
	return linx_error_set(err, ESRCH, op,
			      "process %d exited while its namespaces were "
			      "being opened",
			      (int)pid);
}

int linx_ns_pin_process(const struct linx_ns_target *t,
			struct linx_ns_pin *ret, struct linx_error *err)
{
	char path[64];
	int fd;

	if (!ret)
		return linx_error_param(err, "open_ns", "ret", "no output");
	linx_ns_pin_init(ret);
	if (!t || t->kind == LINX_NS_TARGET_SELF || t->kind == LINX_NS_TARGET_PATH)
		return 0;
	if (t->kind != LINX_NS_TARGET_PID || t->pid <= 0)
		return linx_error_param(err, "open_ns", "in",
					"invalid namespace target");
	linx__format(path, sizeof(path), "/proc/%d", (int)t->pid);
	ret->procfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ret->procfd < 0) {
		int e = errno;

		linx_error_set(err, e, "open_ns", "cannot open %s: %s", path,
			       e == ENOENT ? "no such process" : linx_strerror(e));
		return linx_error_object(err, path);
	}
	ret->pid = t->pid;
	/* A pidfd taken now refers to the process behind procfd if that
	 * process is still there afterwards: its pid cannot have been reused
	 * while it existed. */
	fd = (int)syscall(SYS_pidfd_open, t->pid, 0);
	if (fd < 0 && errno == ESRCH) {
		linx_ns_pin_close(ret);
		return gone(err, "open_ns", t->pid);
	}
	ret->pidfd = fd; /* -1 without pidfd support: procfd alone pins */
	if (!pin_alive(ret)) {
		pid_t pid = ret->pid;

		linx_ns_pin_close(ret);
		return gone(err, "open_ns", pid);
	}
	return 0;
}

/* What a file that is not a namespace is, for the message. */
static const char *file_kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return "unreadable";
	switch (st.st_mode & S_IFMT) {
	case S_IFIFO: return "a FIFO";
	case S_IFDIR: return "a directory";
	case S_IFREG: return "a regular file";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFLNK: return "a symbolic link";
	default: return "another kind of file";
	}
}

/*
 * The one place a namespace named by path is opened.  Look before opening
 * for real: open(O_RDONLY) of a FIFO blocks until a writer comes, and
 * opening a device can have effects.  An O_PATH fd opens nothing; only an
 * nsfs file is then reopened (setns(2) and NS_GET_NSTYPE refuse O_PATH
 * fds), and its type must be one of `want`.
 */
static int open_ns_path(const char *path, uint32_t want, const char *param,
			int *ret_kind, struct linx_error *err)
{
	_cleanup_close_ int path_fd = -1;
	char self_fd[32];
	struct statfs sfs;
	int fd, type, kind;

	if (!path || path[0] != '/')
		return linx_error_param(err, "open_ns", param,
					"%s: a namespace path must be absolute",
					param);
	path_fd = open(path, O_PATH | O_CLOEXEC);
	if (path_fd < 0) {
		int e = errno;

		linx_error_set(err, e, "open_ns", "%s: cannot open %s: %s",
			       param, path, linx_strerror(e));
		return linx_error_object(err, path);
	}
	if (fstatfs(path_fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC) {
		linx_error_param(err, "open_ns", param,
				 "%s: %s is not a namespace file but %s",
				 param, path, file_kind(path_fd));
		return linx_error_object(err, path);
	}
	linx__format(self_fd, sizeof(self_fd), "/proc/self/fd/%d", path_fd);
	fd = open(self_fd, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		linx_error_set(err, e, "open_ns", "%s: cannot open %s: %s",
			       param, path, linx_strerror(e));
		return linx_error_object(err, path);
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	kind = type < 0 ? -1 : kind_from_clone_flag(type);
	if (kind < 0 || !(want & (1u << kind))) {
		close(fd);
		if (kind < 0)
			linx_error_param(err, "open_ns", param,
					 "%s: %s is not a namespace file",
					 param, path);
		else
			linx_error_param(err, "open_ns", param,
					 "%s: %s is a %s namespace, not the "
					 "kind this parameter takes",
					 param, path, kind_names[kind]);
		return linx_error_object(err, path);
	}
	*ret_kind = kind;
	return fd;
}

int linx_ns_open_path(const char *path, unsigned kind, const char *param,
		      struct linx_error *err)
{
	int got;

	if (kind >= LINX_NS_KIND_COUNT)
		return linx_error_param(err, "open_ns", "kind",
					"unknown namespace kind %u", kind);
	return open_ns_path(path, 1u << kind, param ? param : "path", &got,
			    err);
}

static int open_path_target(const struct linx_ns_target *t, uint32_t want,
			    struct linx_ns_pin *pin, struct linx_error *err)
{
	int kind = -1;
	int fd = open_ns_path(t->path, want, "in", &kind, err);

	if (fd < 0)
		return fd;
	if (linx_ns_fd_is_current(fd, (unsigned)kind)) {
		close(fd);
		return 0;
	}
	pin->fds[kind] = fd;
	pin->mask |= 1u << kind;
	return 0;
}

int linx_ns_pin_open(struct linx_ns_pin *pin, uint32_t want,
		     struct linx_error *err)
{
	if (!pin)
		return linx_error_param(err, "open_ns", "pin", "no pin");
	if (pin->procfd < 0)
		return 0; /* self */
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
		char op[LINX_ERROR_OP_MAX], rel[16];
		int fd;

		if (!(want & (1u << k)) || pin->fds[k] >= 0)
			continue;
		linx__format(rel, sizeof(rel), "ns/%s", kind_names[k]);
		linx__format(op, sizeof(op), "open_ns_%s", kind_names[k]);
		fd = openat(pin->procfd, rel, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;

			if (!pin_alive(pin))
				return gone(err, op, pin->pid);
			linx_error_set(err, e, op,
				       "cannot open /proc/%d/%s: %s",
				       (int)pin->pid, rel, linx_strerror(e));
			return -e;
		}
		if (linx_ns_fd_is_current(fd, k)) {
			close(fd);
			continue;
		}
		pin->fds[k] = fd;
		pin->mask |= 1u << k;
	}
	/* Opened relative to procfd, so every fd came from the pinned
	 * process; one last check that it had not already exited. */
	if (!pin_alive(pin))
		return gone(err, "open_ns", pin->pid);
	return 0;
}

int linx_ns_pin(const struct linx_ns_target *t, uint32_t want,
		struct linx_ns_pin *ret, struct linx_error *err)
{
	int r;

	if (!ret)
		return linx_error_param(err, "open_ns", "ret", "no output");
	if (want & ~LINX_NS_ALL) {
		linx_ns_pin_init(ret);
		return linx_error_param(err, "open_ns", "want",
					"unknown namespace bits %#x", want);
	}
	r = linx_ns_pin_process(t, ret, err);
	if (r < 0)
		return r;
	if (t && t->kind == LINX_NS_TARGET_PATH)
		r = open_path_target(t, want, ret, err);
	else
		r = linx_ns_pin_open(ret, want, err);
	if (r < 0)
		linx_ns_pin_close(ret);
	return r;
}

/* ---- entering ----------------------------------------------------------- */

/* Join the pinned namespaces, in kind order.  Called on a throwaway thread,
 * in the forked helper or in the agent's child, never on a caller's
 * thread. */
int linx_ns_pin_enter(const struct linx_ns_pin *pin, uint32_t kinds,
		      struct linx_error *err)
{
	if (!pin)
		return linx_error_param(err, "setns", "pin", "no pin");
	if ((pin->mask & kinds & LINX_NS_MNT) && unshare(CLONE_FS) < 0)
		return linx_error_set(err, errno, "unshare",
				      "unshare(CLONE_FS) before joining a "
				      "mount namespace: %s",
				      linx_strerror(errno));
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
		char op[LINX_ERROR_OP_MAX];

		if (!(pin->mask & kinds & (1u << k)))
			continue;
		if (setns(pin->fds[k], kind_clone_flag[k]) == 0)
			continue;
		linx__format(op, sizeof(op), "setns_%s", kind_names[k]);
		return linx_error_set(err, errno, op,
				      "cannot join the %s namespace of %s%d: %s",
				      kind_names[k], pin->pid ? "pid " : "fd ",
				      pin->pid ? (int)pin->pid : pin->fds[k],
				      linx_strerror(errno));
	}
	return 0;
}

struct job {
	const struct linx_ns_pin *pin;
	linx_ns_fn *fn;
	void *arg;
	struct linx_value *ret;
	struct linx_error *err;
	int result;
};

static void *thread_main(void *p)
{
	struct job *job = p;

	job->result = linx_ns_pin_enter(job->pin, job->pin->mask, job->err);
	if (job->result >= 0)
		job->result = job->fn(job->arg, job->ret, job->err);
	return NULL;
}

static int run_on_thread(struct job *job)
{
	sigset_t all, old;
	pthread_t thread;
	int r;

	/* The thread must not take the host's signals. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&thread, NULL, thread_main, job);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0)
		return linx_error_set(job->err, r, "thread",
				      "cannot start the namespace thread: %s",
				      linx_strerror(r));
	pthread_join(thread, NULL);
	return job->result;
}

/* What the helper sends back: the error as raw bytes (it is fixed-size and
 * pointer-free for exactly this), the result, then the encoded value. */
struct reply_head {
	struct linx_error err;
	int32_t result;
	uint32_t value_len;
};

static bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Runs in the helper (or its child, for a pid namespace). */
static void __attribute__((noreturn)) helper_finish(struct job *job, int fd)
{
	struct reply_head head = { .result = job->result };
	void *buf = NULL;
	size_t len = 0;

	if (job->result >= 0 && job->ret &&
	    linx_value_encode(job->ret, &buf, &len, job->err) < 0)
		job->result = -job->err->code;
	head.result = job->result;
	head.err = *job->err;
	head.value_len = job->result >= 0 ? (uint32_t)len : 0;
	if (!write_all(fd, &head, sizeof(head)) ||
	    (head.value_len && !write_all(fd, buf, len)))
		_exit(1);
	_exit(0);
}

/* `parent` is the parent's pid as this process sees it: for a child in
 * another pid namespace than its parent that is 0, since getppid(2)
 * reports a parent outside the caller's pid namespace as 0. */
static void helper_die_with(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The parent may have died before the prctl took effect: the child
	 * has then been re-parented to a reaper, whose pid differs. */
	if (getppid() != parent)
		_exit(1);
}

static void __attribute__((noreturn)) helper_main(struct job *job, int fd,
						   pid_t parent)
{
	pid_t child;
	int status;

	helper_die_with(parent);
	job->result = linx_ns_pin_enter(job->pin, job->pin->mask & ~LINX_NS_PID, job->err);
	if (job->result < 0 || !(job->pin->mask & LINX_NS_PID)) {
		if (job->result >= 0)
			job->result = job->fn(job->arg, job->ret, job->err);
		helper_finish(job, fd);
	}
	/* setns(2) into a pid namespace only applies to children. */
	job->result = linx_ns_pin_enter(job->pin, LINX_NS_PID, job->err);
	if (job->result < 0)
		helper_finish(job, fd);
	child = fork();
	if (child < 0) {
		job->result = linx_error_set(job->err, errno, "fork",
					     "cannot fork into the pid "
					     "namespace: %s",
					     linx_strerror(errno));
		helper_finish(job, fd);
	}
	if (child == 0) {
		/* In the target's pid namespace: the helper is outside it. */
		helper_die_with(0);
		job->result = job->fn(job->arg, job->ret, job->err);
		helper_finish(job, fd);
	}
	close(fd);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

static int read_reply(int fd, struct job *job)
{
	struct reply_head head;
	size_t got = 0, want = sizeof(head);
	char *buf = NULL;

	for (int stage = 0; stage < 2; stage++) {
		char *dst = stage == 0 ? (char *)&head : buf;

		while (got < want) {
			ssize_t n = read(fd, dst + got, want - got);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				free(buf);
				return linx_error_set(
					job->err, EPROTO, "fork",
					"namespace helper exited without a "
					"complete reply");
			}
			got += (size_t)n;
		}
		if (stage == 1 || head.value_len == 0)
			break;
		if (head.value_len > LINX_VALUE_MAX_LEN ||
		    !(buf = malloc(head.value_len)))
			return linx_error_set(job->err, ENOMEM, "fork", NULL);
		got = 0;
		want = head.value_len;
	}
	if (job->err)
		*job->err = head.err;
	if (head.result >= 0 && head.value_len && job->ret) {
		int r = linx_value_decode(buf, head.value_len, job->ret,
					  job->err);

		if (r < 0)
			head.result = r;
	}
	free(buf);
	return head.result;
}

static int run_in_helper(struct job *job)
{
	struct linx_error local;
	sigset_t all, old;
	pid_t parent = getpid(), pid;
	int fds[2], r, status;

	if (!job->err)
		job->err = &local;
	linx_error_clear(job->err);
	if (pipe2(fds, O_CLOEXEC) < 0)
		return linx_error_set(job->err, errno, "pipe", NULL);
	/* The helper keeps every signal blocked: it must never run a handler
	 * the host installed. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		helper_main(job, fds[1], parent);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return linx_error_set(job->err, errno, "fork",
				      "cannot fork the namespace helper: %s",
				      linx_strerror(errno));
	}
	r = read_reply(fds[0], job);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return r;
}

int linx_ns_run(const struct linx_ns_target *t, uint32_t want, uint32_t flags,
		linx_ns_fn *fn, void *arg, struct linx_value *ret,
		struct linx_error *err)
{
	struct linx_value local_ret;
	struct linx_error local_err;
	struct linx_ns_pin pin;
	struct job job;
	int r;

	if (!fn)
		return linx_error_param(err, "ns_run", "fn", "no function");
	if (flags & ~LINX_NS_RUN_FORK)
		return linx_error_param(err, "ns_run", "flags",
					"unknown flags %#x", flags);
	/* fn always gets a value slot and an error to fill (it may write
	 * them unconditionally); what the caller did not ask for is
	 * dropped afterwards. */
	if (!ret)
		ret = &local_ret;
	*ret = linx_value_nil();
	if (!err) {
		err = &local_err;
		linx_error_clear(err);
	}
	r = linx_ns_pin(t, want, &pin, err);
	if (r < 0)
		return r;
	job = (struct job){ .pin = &pin, .fn = fn, .arg = arg, .ret = ret,
			    .err = err };
	if (flags & LINX_NS_RUN_FORK)
		r = run_in_helper(&job);
	else if (pin.mask == 0)
		r = fn(arg, ret, err);
	else if (!(pin.mask & ~LINX_NS_THREAD_OK))
		r = run_on_thread(&job);
	else
		r = run_in_helper(&job);
	linx_ns_pin_close(&pin);
	if (r < 0 || ret == &local_ret)
		linx_value_clear(ret);
	return r;
}

struct socket_args {
	int domain, type, protocol;
	int fd;
};

static int open_socket(void *p, struct linx_value *ret, struct linx_error *err)
{
	struct socket_args *a = p;

	(void)ret;
	a->fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->protocol);
	if (a->fd < 0)
		return linx_error_set(err, errno, "socket", "socket(): %s",
				      linx_strerror(errno));
	return 0;
}

int linx_ns_socket(const struct linx_ns_target *t, int domain, int type,
		   int protocol, struct linx_error *err)
{
	struct socket_args a = { domain, type, protocol, -1 };
	struct linx_ns_pin pin;
	struct job job = { .pin = &pin, .fn = open_socket, .arg = &a,
			   .err = err };
	int r;

	r = linx_ns_pin(t, LINX_NS_NET, &pin, err);
	if (r < 0)
		return r;
	r = pin.mask ? run_on_thread(&job) : open_socket(&a, NULL, err);
	linx_ns_pin_close(&pin);
	return r < 0 ? r : a.fd;
}
