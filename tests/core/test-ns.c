/* SPDX-License-Identifier: MIT */
/*
 * Namespace entry (core/ns.c) against the live kernel: sockets opened in
 * another process's network namespace (checked with SIOCGSKNS), functions
 * run in another process's namespaces on a thread or in a forked helper,
 * error stages, and pid-reuse protection inside a private pid namespace.
 *
 * Every namespace here belongs to a child the test creates; the host's are
 * only read.  Needs root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linx-test.h"

/* ---- children ----------------------------------------------------------- */

typedef void child_setup(void);

static void set_test_hostname(void)
{
	if (sethostname("linx-ns-test", strlen("linx-ns-test")) < 0)
		_exit(2);
}

static char mnt_dir[64];

/* In a fresh mount namespace: a tmpfs with a marker file. */
static void mount_marker(void)
{
	char path[128];
	int fd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", mnt_dir, "tmpfs", 0, NULL) < 0)
		_exit(2);
	snprintf(path, sizeof(path), "%s/marker", mnt_dir);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		_exit(2);
	close(fd);
}

/*
 * A child that unshares `flags`, runs `setup`, reports ready and sleeps
 * until killed.  With CLONE_NEWPID the child itself is created in the new
 * pid namespace (it is its pid 1), so /proc/<pid>/ns/pid is that one.
 */
static pid_t spawn(int flags, child_setup *setup)
{
	int fds[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	if (flags & CLONE_NEWPID)
		pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL,
				     NULL, NULL, 0);
	else
		pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		if ((flags & ~CLONE_NEWPID) && unshare(flags & ~CLONE_NEWPID) < 0)
			_exit(1);
		if (setup)
			setup();
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ck_assert_msg(read(fds[0], &c, 1) == 1, "child could not set up "
						"namespaces %#x",
		      flags);
	close(fds[0]);
	return pid;
}

static void ns_id(const char *path, struct stat *st)
{
	ck_assert_msg(stat(path, st) == 0, "stat %s: %s", path,
		      strerror(errno));
}

static bool same_file(int fd, const char *path)
{
	struct stat x, y;

	ck_assert_int_eq(fstat(fd, &x), 0);
	ns_id(path, &y);
	return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* The calling thread's namespaces, to prove they never change. */
struct ns_snapshot {
	struct stat st[LINX_NS_KIND_COUNT];
	bool have[LINX_NS_KIND_COUNT];
};

static void snapshot(struct ns_snapshot *s)
{
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/thread-self/ns/%s",
			 linx_ns_kind_name(k));
		s->have[k] = stat(path, &s->st[k]) == 0;
	}
}

static void assert_unchanged(const struct ns_snapshot *before)
{
	struct ns_snapshot now;

	snapshot(&now);
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
		ck_assert(now.have[k] == before->have[k]);
		ck_assert_msg(!now.have[k] ||
				      now.st[k].st_ino == before->st[k].st_ino,
			      "the calling thread's %s namespace changed",
			      linx_ns_kind_name(k));
	}
}

static void pid_ns_path(char *buf, size_t cap, pid_t pid, const char *kind)
{
	snprintf(buf, cap, "/proc/%d/ns/%s", (int)pid, kind);
}

/* ---- sockets ------------------------------------------------------------ */

static void check_socket_in(int fd, pid_t pid)
{
	char path[64];
	int nsfd = ioctl(fd, SIOCGSKNS);

	ck_assert_msg(nsfd >= 0, "SIOCGSKNS: %s", strerror(errno));
	pid_ns_path(path, sizeof(path), pid, "net");
	ck_assert_msg(same_file(nsfd, path),
		      "socket is not in the network namespace of %d", pid);
	ck_assert(!same_file(nsfd, "/proc/self/ns/net"));
	close(nsfd);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
}

START_TEST(socket_by_pid)
{
	pid_t child = spawn(CLONE_NEWNET, NULL);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	struct ns_snapshot before;
	struct linx_error err;
	int fd;

	snapshot(&before);
	fd = linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err);
	linx_assert_ok(fd, &err);
	check_socket_in(fd, child);
	assert_unchanged(&before);
	close(fd);
	/* a netlink socket too (what the rtnl plugin opens) */
	fd = linx_ns_socket(&t, AF_NETLINK, SOCK_RAW, 0 /* NETLINK_ROUTE */,
			    &err);
	linx_assert_ok(fd, &err);
	check_socket_in(fd, child);
	close(fd);
	assert_unchanged(&before);
	linx_test_reap(child);
}
END_TEST

START_TEST(socket_by_path)
{
	pid_t child = spawn(CLONE_NEWNET, NULL);
	char path[64], bound[] = "/tmp/linx-netns-XXXXXX";
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PATH };
	struct ns_snapshot before;
	struct linx_error err;
	int fd, tmp;

	/* The bind mount below lives in a private mount namespace, entered
	 * before the snapshot of this thread's namespaces. */
	linx_test_private_mounts();
	snapshot(&before);
	pid_ns_path(path, sizeof(path), child, "net");
	t.path = path;
	fd = linx_ns_socket(&t, AF_INET6, SOCK_STREAM, 0, &err);
	linx_assert_ok(fd, &err);
	check_socket_in(fd, child);
	close(fd);

	/* A bind-mounted namespace file, as `ip netns add` makes under
	 * /run/netns. */
	tmp = mkstemp(bound);
	ck_assert_int_ge(tmp, 0);
	close(tmp);
	ck_assert_msg(mount(path, bound, NULL, MS_BIND, NULL) == 0,
		      "bind %s: %s", path, strerror(errno));
	linx_test_reap(child); /* the mount keeps the namespace alive */
	t.path = bound;
	fd = linx_ns_socket(&t, AF_UNIX, SOCK_DGRAM, 0, &err);
	linx_assert_ok(fd, &err);
	{
		int nsfd = ioctl(fd, SIOCGSKNS);

		ck_assert_int_ge(nsfd, 0);
		ck_assert(same_file(nsfd, bound));
		close(nsfd);
	}
	close(fd);
	assert_unchanged(&before);
	umount2(bound, MNT_DETACH);
	unlink(bound);
}
END_TEST

START_TEST(socket_self)
{
	struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct linx_error err;
	int nsfd, fd;

	fd = linx_ns_socket(&self, AF_INET, SOCK_DGRAM, 0, &err);
	linx_assert_ok(fd, &err);
	nsfd = ioctl(fd, SIOCGSKNS);
	ck_assert(same_file(nsfd, "/proc/self/ns/net"));
	close(nsfd);
	close(fd);
	fd = linx_ns_socket(NULL, AF_INET, SOCK_DGRAM, 0, &err);
	linx_assert_ok(fd, &err);
	close(fd);
	/* the socket call's own failure crosses back */
	ck_assert_int_eq(linx_ns_socket(NULL, 12345, SOCK_DGRAM, 0, &err),
			 -EAFNOSUPPORT);
	ck_assert_str_eq(err.op, "socket");
}
END_TEST

/* ---- running functions inside ------------------------------------------- */

struct where {
	pid_t pid;
	pid_t tid;
};

static int report(void *arg, struct linx_value *ret, struct linx_error *err)
{
	struct where *w = arg;
	char host[128];

	(void)err;
	if (w) {
		w->pid = getpid();
		w->tid = gettid();
	}
	if (gethostname(host, sizeof(host)) < 0)
		return linx_error_set(err, errno, "gethostname", NULL);
	*ret = linx_value_map();
	linx_map_put_cstring(ret, "hostname", host);
	linx_map_put_int(ret, "pid", getpid());
	linx_map_put_int(ret, "uid", getuid());
	{
		struct stat st;
		struct linx_value ids = linx_value_list();

		for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
			char path[64];

			snprintf(path, sizeof(path), "/proc/thread-self/ns/%s",
				 linx_ns_kind_name(k));
			linx_list_push_uint(&ids, stat(path, &st) == 0
							  ? st.st_ino
							  : 0);
		}
		linx_map_put(ret, "ns", &ids);
	}
	return 0;
}

static uint64_t ns_ino(const struct linx_value *res, unsigned kind)
{
	return linx_map_get(res, "ns")->items[kind].u;
}

static uint64_t proc_ns_ino(pid_t pid, const char *kind)
{
	char path[64];
	struct stat st;

	pid_ns_path(path, sizeof(path), pid, kind);
	ns_id(path, &st);
	return st.st_ino;
}

START_TEST(run_thread_uts)
{
	pid_t child = spawn(CLONE_NEWUTS, set_test_hostname);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	struct where w = { 0 };
	struct linx_value res;
	struct ns_snapshot before;
	struct linx_error err;
	char host[128];

	snapshot(&before);
	linx_assert_ok(linx_ns_run(&t, LINX_NS_UTS, 0, report, &w, &res, &err),
		       &err);
	ck_assert_str_eq(linx_map_get(&res, "hostname")->str, "linx-ns-test");
	ck_assert_uint_eq(ns_ino(&res, LINX_NS_KIND_UTS),
			  proc_ns_ino(child, "uts"));
	/* on a thread of this process, not this thread */
	ck_assert_int_eq(w.pid, getpid());
	ck_assert_int_ne(w.tid, gettid());
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	ck_assert_str_ne(host, "linx-ns-test");
	assert_unchanged(&before);
	linx_value_clear(&res);
	linx_test_reap(child);
}
END_TEST

START_TEST(run_thread_mnt)
{
	pid_t child;
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID };
	struct ns_snapshot before;
	struct linx_value res;
	struct linx_error err;
	char marker[128];
	struct where w;

	strcpy(mnt_dir, "/tmp/linx-mnt-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(mnt_dir));
	child = spawn(CLONE_NEWNS, mount_marker);
	t.pid = child;
	snprintf(marker, sizeof(marker), "%s/marker", mnt_dir);
	ck_assert_int_ne(access(marker, F_OK), 0); /* not visible here */
	snapshot(&before);
	linx_assert_ok(linx_ns_run(&t, LINX_NS_MNT | LINX_NS_NET, 0, report,
				   &w, &res, &err),
		       &err);
	ck_assert_uint_eq(ns_ino(&res, LINX_NS_KIND_MNT),
			  proc_ns_ino(child, "mnt"));
	ck_assert_int_eq(w.pid, getpid());
	assert_unchanged(&before);
	ck_assert_int_ne(access(marker, F_OK), 0);
	linx_value_clear(&res);
	linx_test_reap(child);
	rmdir(mnt_dir);
}
END_TEST

static int check_marker(void *arg, struct linx_value *ret,
			struct linx_error *err)
{
	(void)arg;
	(void)err;
	{
		char marker[128];

		snprintf(marker, sizeof(marker), "%s/marker", mnt_dir);
		*ret = linx_value_bool(access(marker, F_OK) == 0);
	}
	return 0;
}

START_TEST(run_sees_target_mounts)
{
	pid_t child;
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID };
	struct linx_value res;
	struct linx_error err;

	strcpy(mnt_dir, "/tmp/linx-mnt-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(mnt_dir));
	child = spawn(CLONE_NEWNS, mount_marker);
	t.pid = child;
	linx_assert_ok(linx_ns_run(&t, LINX_NS_MNT, 0, check_marker, NULL, &res,
				   &err),
		       &err);
	ck_assert(res.type == LINX_BOOL && res.b);
	linx_assert_ok(linx_ns_run(&t, LINX_NS_MNT, LINX_NS_RUN_FORK,
				   check_marker, NULL, &res, &err),
		       &err);
	ck_assert(res.type == LINX_BOOL && res.b);
	linx_test_reap(child);
	rmdir(mnt_dir);
}
END_TEST

static pid_t user_child;

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	ck_assert_msg(write(fd, text, strlen(text)) == (ssize_t)strlen(text),
		      "write %s: %s", path, strerror(errno));
	close(fd);
}

/* Map host uid/gid 0 to 1000 inside, so that getuid() there proves the
 * user namespace was joined. */
static void map_root_to_1000(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	write_file(path, "1000 0 1\n");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	write_file(path, "1000 0 1\n");
}

START_TEST(run_fork_user)
{
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID };
	struct ns_snapshot before;
	struct linx_value res;
	struct linx_error err;
	struct where w = { 0 };

	user_child = spawn(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWUTS, NULL);
	map_root_to_1000(user_child);
	t.pid = user_child;
	snapshot(&before);
	/* user first, then the namespaces that user namespace owns */
	linx_assert_ok(linx_ns_run(&t, LINX_NS_USER | LINX_NS_NET | LINX_NS_UTS,
				   0, report, &w, &res, &err),
		       &err);
	ck_assert_int_eq(linx_map_get(&res, "uid")->i, 1000);
	ck_assert_uint_eq(ns_ino(&res, LINX_NS_KIND_USER),
			  proc_ns_ino(user_child, "user"));
	ck_assert_uint_eq(ns_ino(&res, LINX_NS_KIND_NET),
			  proc_ns_ino(user_child, "net"));
	/* in a forked helper: its pid, and nothing written back to us */
	ck_assert_int_ne(linx_map_get(&res, "pid")->i, getpid());
	ck_assert_int_eq(w.pid, 0);
	assert_unchanged(&before);
	ck_assert_int_eq(getuid(), 0);
	linx_value_clear(&res);
	linx_test_reap(user_child);
}
END_TEST

START_TEST(run_fork_pid)
{
	pid_t child = spawn(CLONE_NEWPID, NULL);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	struct linx_value res;
	struct linx_error err;
	int64_t inner;

	linx_assert_ok(linx_ns_run(&t, LINX_NS_PID, 0, report, NULL, &res,
				   &err),
		       &err);
	inner = linx_map_get(&res, "pid")->i;
	/* pid 1 is the target; the function ran as one of the next few */
	ck_assert_msg(inner > 1 && inner < 10, "pid inside: %lld",
		      (long long)inner);
	ck_assert_uint_eq(ns_ino(&res, LINX_NS_KIND_PID),
			  proc_ns_ino(child, "pid"));
	linx_value_clear(&res);
	linx_test_reap(child);
}
END_TEST

/* A tree built inside crosses back intact; so does an error. */
static int build_tree(void *arg, struct linx_value *ret,
		      struct linx_error *err)
{
	struct linx_value list = linx_value_list();

	(void)arg;
	(void)err;
	*ret = linx_value_map();
	linx_list_push_int(&list, INT64_MIN);
	linx_list_push_uint(&list, UINT64_MAX);
	linx_list_push_cstring(&list, "\xe2\x82\xac");
	linx_map_put(ret, "list", &list);
	linx_map_put_bytes(ret, "bytes", "\0\1\2", 3);
	linx_map_put_nil(ret, "nil");
	return 5;
}

static int fail_inside(void *arg, struct linx_value *ret,
		       struct linx_error *err)
{
	(void)arg;
	*ret = linx_value_map(); /* dropped on failure */
	linx_map_put_int(ret, "partial", 1);
	linx_error_set(err, ENOTRECOVERABLE, "inside", "failed in pid %d",
		       (int)getpid());
	return linx_error_object(err, "the object");
}

START_TEST(results_and_errors_cross)
{
	pid_t child = spawn(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	static const uint32_t flags[] = { 0, LINX_NS_RUN_FORK };
	struct linx_value expect, res;
	struct linx_error err;

	ck_assert_int_eq(build_tree(NULL, &expect, NULL), 5);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET | LINX_NS_UTS,
					     flags[i], build_tree, NULL, &res,
					     &err),
				 5);
		ck_assert(linx_value_equal(&res, &expect));
		linx_value_clear(&res);

		ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, flags[i],
					     fail_inside, NULL, &res, &err),
				 -ENOTRECOVERABLE);
		ck_assert_int_eq(err.code, ENOTRECOVERABLE);
		ck_assert_str_eq(err.op, "inside");
		ck_assert_str_eq(err.object, "the object");
		ck_assert_msg(strncmp(err.message, "failed in pid ", 14) == 0,
			      "%s", err.message);
		ck_assert_int_eq(res.type, LINX_NIL);
	}
	linx_value_clear(&expect);
	linx_test_reap(child);
}
END_TEST

/* A function that returns a handle cannot cross a pipe: a clear error. */
static void nothing(void *p)
{
	(void)p;
}

static int return_handle(void *arg, struct linx_value *ret,
			 struct linx_error *err)
{
	static const struct linx_handle_type type = { "test", nothing };
	struct linx_handle *h = linx_handle_new(&type, NULL);

	(void)arg;
	(void)err;
	*ret = linx_value_handle(h);
	linx_handle_unref(h);
	return 0;
}

START_TEST(helper_refuses_handles)
{
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_ns_run(NULL, 0, LINX_NS_RUN_FORK, return_handle,
				     NULL, &res, &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "handle"), "%s", err.message);
	ck_assert_int_eq(res.type, LINX_NIL);
}
END_TEST

START_TEST(shared_namespaces_skipped)
{
	pid_t child = spawn(0, NULL); /* shares everything with us */
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	struct linx_ns_pin pin;
	struct linx_value res;
	struct linx_error err;
	struct where w;

	linx_assert_ok(linx_ns_pin(&t, LINX_NS_ALL, &pin, &err), &err);
	ck_assert_int_eq(pin.mask, 0);
	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++)
		ck_assert_int_eq(pin.fds[k], -1);
	ck_assert_int_eq(pin.pid, child);
	ck_assert_int_ge(pin.procfd, 0);
	linx_ns_pin_close(&pin);
	ck_assert_int_eq(pin.procfd, -1);
	/* nothing to join (the user namespace too): runs right here */
	linx_assert_ok(linx_ns_run(&t, LINX_NS_ALL, 0, report, &w, &res, &err),
		       &err);
	ck_assert_int_eq(w.tid, gettid());
	linx_value_clear(&res);
	linx_test_reap(child);

	/* a child that unshared only uts: only uts is opened */
	child = spawn(CLONE_NEWUTS, NULL);
	t.pid = child;
	linx_assert_ok(linx_ns_pin(&t, LINX_NS_ALL, &pin, &err), &err);
	ck_assert_int_eq(pin.mask, LINX_NS_UTS);
	ck_assert_int_ge(pin.fds[LINX_NS_KIND_UTS], 0);
	ck_assert(fcntl(pin.fds[LINX_NS_KIND_UTS], F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(pin.procfd, F_GETFD) & FD_CLOEXEC);
	linx_ns_pin_close(&pin);
	linx_ns_pin_close(&pin); /* twice is fine */
	linx_ns_pin_close(NULL);
	linx_test_reap(child);
}
END_TEST

START_TEST(bogus_targets)
{
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = INT_MAX };
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -ENOENT);
	ck_assert_str_eq(err.op, "open_ns");
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, 0, report, NULL, &res,
				     &err),
			 -ENOENT);
	ck_assert_str_eq(err.op, "open_ns");

	/* a file that is not a namespace */
	t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PATH,
				     .path = "/etc/hostname" };
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.op, "open_ns");
	ck_assert_str_eq(err.object, "/etc/hostname");
	ck_assert_msg(strstr(err.message, "not a namespace"), "%s",
		      err.message);
	t.path = "/";
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	t.path = "/nonexistent/ns";
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -ENOENT);
	t.path = "relative/path";
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	t.path = NULL;
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	/* a namespace of the wrong type */
	t.path = "/proc/self/ns/uts";
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "uts namespace"), "%s", err.message);
	/* an unknown target kind and unknown namespace bits */
	t = (struct linx_ns_target){ .kind = 9, .pid = 1 };
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PID, .pid = -4 };
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_ns_run(NULL, 1u << 20, 0, report, NULL, &res,
				     &err),
			 -EINVAL);
	ck_assert_int_eq(linx_ns_run(NULL, 0, 0, NULL, NULL, &res, &err),
			 -EINVAL);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

static int noop(void *arg, struct linx_value *ret, struct linx_error *err)
{
	(void)arg;
	(void)err;
	*ret = linx_value_int(1);
	return 0;
}

/* The function always gets somewhere to put its value and its error,
 * whatever the caller passed. */
START_TEST(fn_gets_ret_and_err)
{
	pid_t child = spawn(CLONE_NEWNET, NULL);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };

	for (uint32_t flags = 0; flags <= LINX_NS_RUN_FORK; flags++) {
		ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, flags,
					     fail_inside, NULL, NULL, NULL),
				 -ENOTRECOVERABLE);
		ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, flags, noop,
					     NULL, NULL, NULL),
				 0);
	}
	ck_assert_int_eq(linx_ns_run(NULL, 0, 0, fail_inside, NULL, NULL,
				     NULL),
			 -ENOTRECOVERABLE);
	linx_test_reap(child);
}
END_TEST

/* A FIFO must be refused at once, not waited on (opening a FIFO for
 * reading blocks until a writer comes). */
START_TEST(fifo_path_refused)
{
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PATH };
	char fifo[] = "/tmp/linx-fifo-XXXXXX";
	struct linx_error err;
	int tmp;

	tmp = mkstemp(fifo);
	ck_assert_int_ge(tmp, 0);
	close(tmp);
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	t.path = fifo;
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "not a namespace"), "%s",
		      err.message);
	unlink(fifo);
}
END_TEST

/* The checked opener for namespace paths: nothing that is not a namespace
 * of the asked kind is opened for real, and every refusal names the
 * caller's parameter. */
START_TEST(open_path_checks_the_file)
{
	char dir[] = "/tmp/linx-nspath-XXXXXX", fifo[96], file[96];
	struct linx_error err;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* A FIFO would block open(2) until a writer came: the alarm fails
	 * the test instead of hanging it. */
	alarm(5);
	ck_assert_int_eq(linx_ns_open_path(fifo, LINX_NS_KIND_NET, "to", &err),
			 -EINVAL);
	alarm(0);
	ck_assert_str_eq(err.param, "to");
	ck_assert_str_eq(err.object, fifo);
	ck_assert_msg(strstr(err.message, "not a namespace file but a FIFO"),
		      "%s", err.message);
	ck_assert_int_eq(linx_ns_open_path(file, LINX_NS_KIND_NET, "to", &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "a regular file"), "%s", err.message);
	ck_assert_int_eq(linx_ns_open_path(dir, LINX_NS_KIND_NET, "to", &err),
			 -EINVAL);
	ck_assert_msg(strstr(err.message, "a directory"), "%s", err.message);
	ck_assert_int_eq(linx_ns_open_path("/proc/self/ns/mnt",
					   LINX_NS_KIND_NET, "peer_netns", &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "peer_netns");
	ck_assert_msg(strstr(err.message, "mnt namespace"), "%s", err.message);
	ck_assert_int_eq(linx_ns_open_path("relative/net", LINX_NS_KIND_NET,
					   "to", &err),
			 -EINVAL);
	snprintf(file, sizeof(file), "%s/missing", dir);
	ck_assert_int_eq(linx_ns_open_path(file, LINX_NS_KIND_NET, "to", &err),
			 -ENOENT);
	ck_assert_int_eq(linx_ns_open_path("/proc/self/ns/net", 99, "to", &err),
			 -EINVAL);
	/* The right kind opens, readable for setns(2). */
	fd = linx_ns_open_path("/proc/self/ns/net", LINX_NS_KIND_NET, "to",
			       &err);
	linx_assert_ok(fd, &err);
	ck_assert(linx_ns_fd_is_current(fd, LINX_NS_KIND_NET));
	close(fd);
	unlink(fifo);
	snprintf(file, sizeof(file), "%s/file", dir);
	unlink(file);
	rmdir(dir);
}
END_TEST

/* Without CAP_SYS_ADMIN setns(2) fails: the stage and errno come back. */
START_TEST(setns_failure_reported)
{
	pid_t child = spawn(CLONE_NEWNET, NULL);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct linx_value res;
	struct linx_error err;

	/* this test runs in its own forked process: dropping the
	 * capability here affects nothing else */
	ck_assert_int_eq(syscall(SYS_capget, &h, d), 0);
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	ck_assert_int_eq(syscall(SYS_capset, &h, d), 0);
	ck_assert_int_eq(linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err),
			 -EPERM);
	ck_assert_str_eq(err.op, "setns_net");
	ck_assert_msg(strstr(err.message, "net namespace"), "%s", err.message);
	ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, 0, noop, NULL, &res,
				     &err),
			 -EPERM);
	ck_assert_str_eq(err.op, "setns_net");
	ck_assert_int_eq(res.type, LINX_NIL);
	ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, LINX_NS_RUN_FORK, noop,
				     NULL, &res, &err),
			 -EPERM);
	ck_assert_str_eq(err.op, "setns_net");
	linx_test_reap(child);
}
END_TEST

/* ---- target parsing ----------------------------------------------------- */

START_TEST(target_from_value)
{
	struct linx_ns_target t;
	struct linx_value v, m;
	struct linx_error err;
	char buf[64];

	linx_assert_ok(linx_ns_target_from_value(NULL, "in", &t, &err), &err);
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_SELF);
	v = linx_value_nil();
	linx_assert_ok(linx_ns_target_from_value(&v, "in", &t, &err), &err);
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_SELF);
	ck_assert_int_eq(linx_value_cstring(&v, "self"), 0);
	linx_assert_ok(linx_ns_target_from_value(&v, "in", &t, &err), &err);
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_SELF);
	linx_value_clear(&v);
	v = linx_value_int(42);
	linx_assert_ok(linx_ns_target_from_value(&v, "in", &t, &err), &err);
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_PID);
	ck_assert_int_eq(t.pid, 42);
	ck_assert_uint_eq(linx_ns_target_describe(&t, buf, sizeof(buf)), 6);
	ck_assert_str_eq(buf, "pid 42");
	v = linx_value_uint(43);
	linx_assert_ok(linx_ns_target_from_value(&v, "in", &t, &err), &err);
	ck_assert_int_eq(t.pid, 43);
	ck_assert_int_eq(linx_value_cstring(&v, "/run/netns/x"), 0);
	linx_assert_ok(linx_ns_target_from_value(&v, "in", &t, &err), &err);
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_PATH);
	ck_assert_str_eq(t.path, "/run/netns/x");
	linx_ns_target_describe(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "path /run/netns/x");
	linx_value_clear(&v);
	linx_ns_target_describe(NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "self");

	m = linx_value_map();
	linx_map_put_int(&m, "pid", 7);
	linx_assert_ok(linx_ns_target_from_value(&m, "in", &t, &err), &err);
	ck_assert_int_eq(t.pid, 7);
	linx_value_clear(&m);
	m = linx_value_map();
	linx_map_put_cstring(&m, "path", "/p");
	linx_assert_ok(linx_ns_target_from_value(&m, "in", &t, &err), &err);
	ck_assert_str_eq(t.path, "/p");
	linx_value_clear(&m);

	/* refusals name the parameter */
	v = linx_value_int(0);
	ck_assert_int_eq(linx_ns_target_from_value(&v, "netns", &t, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "netns");
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_SELF);
	v = linx_value_int(-1);
	ck_assert_int_eq(linx_ns_target_from_value(&v, "in", &t, &err),
			 -EINVAL);
	v = linx_value_uint((uint64_t)INT_MAX + 1);
	ck_assert_int_eq(linx_ns_target_from_value(&v, "in", &t, &err),
			 -EINVAL);
	v = linx_value_bool(true);
	ck_assert_int_eq(linx_ns_target_from_value(&v, "in", &t, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_value_cstring(&v, "netns1"), 0);
	ck_assert_int_eq(linx_ns_target_from_value(&v, "in", &t, &err),
			 -EINVAL);
	linx_value_clear(&v);
	m = linx_value_map();
	ck_assert_int_eq(linx_ns_target_from_value(&m, "in", &t, &err),
			 -EINVAL);
	linx_map_put_int(&m, "pid", 1);
	linx_map_put_cstring(&m, "path", "/p");
	ck_assert_int_eq(linx_ns_target_from_value(&m, "in", &t, &err),
			 -EINVAL);
	linx_value_clear(&m);
	m = linx_value_map();
	linx_map_put_int(&m, "other", 1);
	ck_assert_int_eq(linx_ns_target_from_value(&m, "in", &t, &err),
			 -EINVAL);
	linx_value_clear(&m);
	ck_assert_int_eq(linx_ns_target_from_value(NULL, "in", NULL, &err),
			 -EINVAL);
}
END_TEST

/* {"pid": N} takes a pid and {"path": P} a path, nothing else. */
START_TEST(target_map_types)
{
	struct linx_ns_target t;
	struct linx_value m = linx_value_map();
	struct linx_error err;

	linx_map_put_cstring(&m, "pid", "/etc/passwd");
	ck_assert_int_eq(linx_ns_target_from_value(&m, "in", &t, &err),
			 -EINVAL);
	ck_assert_int_eq(t.kind, LINX_NS_TARGET_SELF);
	linx_value_clear(&m);
	m = linx_value_map();
	linx_map_put_int(&m, "path", 12);
	ck_assert_int_eq(linx_ns_target_from_value(&m, "in", &t, &err),
			 -EINVAL);
	linx_value_clear(&m);
	m = linx_value_map();
	linx_map_put_cstring(&m, "pid", "self");
	ck_assert_int_eq(linx_ns_target_from_value(&m, "in", &t, &err),
			 -EINVAL);
	linx_value_clear(&m);
}
END_TEST

START_TEST(kind_names)
{
	static const char *const names[] = { "user", "cgroup", "ipc", "uts",
					     "net", "mnt", "time", "pid" };

	for (unsigned k = 0; k < LINX_NS_KIND_COUNT; k++) {
		char path[64];

		ck_assert_str_eq(linx_ns_kind_name(k), names[k]);
		ck_assert_int_eq(linx_ns_kind_from_name(names[k]), (int)k);
		/* they are the names of the files in /proc/<pid>/ns */
		snprintf(path, sizeof(path), "/proc/self/ns/%s", names[k]);
		ck_assert_msg(access(path, F_OK) == 0, "%s", path);
	}
	ck_assert_ptr_null(linx_ns_kind_name(LINX_NS_KIND_COUNT));
	ck_assert_int_eq(linx_ns_kind_from_name("mount"), -1);
	ck_assert_int_eq(linx_ns_kind_from_name(NULL), -1);
	ck_assert(!linx_ns_fd_is_current(-1, LINX_NS_KIND_NET));
}
END_TEST

/* ---- pid reuse ---------------------------------------------------------- */

/*
 * Runs as pid 1 of a private pid namespace with its own /proc.  Pins pid 2,
 * lets it die and reaps it, makes the next process pid 2 again (through
 * this namespace's own ns_last_pid), and expects linx_ns_pin_open() to
 * refuse instead of opening the newcomer's namespaces.  Returns an exit
 * code; the message goes to stderr.
 */
static int pid_reuse_inside(bool reap)
{
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = 2 };
	struct linx_ns_pin pin, fresh;
	struct linx_error err;
	pid_t victim, newcomer;
	int r, fd;

	/* Its own mount namespace, so the /proc of this pid namespace is
	 * seen only here (the test process keeps its own /proc). */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0) {
		perror("mount proc");
		return 10;
	}
	victim = spawn(CLONE_NEWNET, NULL);
	if (victim != 2) {
		fprintf(stderr, "victim is pid %d, not 2\n", (int)victim);
		return 11;
	}
	if (linx_ns_pin_process(&t, &pin, &err) < 0) {
		fprintf(stderr, "pin: %s\n", err.message);
		return 12;
	}
	kill(victim, SIGKILL);
	if (reap) {
		waitpid(victim, NULL, 0);
		/* the next pid handed out is ns_last_pid + 1 */
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "1", 1) != 1) {
			perror("ns_last_pid");
			return 13;
		}
		close(fd);
		newcomer = spawn(CLONE_NEWNET | CLONE_NEWUTS, NULL);
		if (newcomer != 2) {
			fprintf(stderr, "newcomer is pid %d\n", (int)newcomer);
			return 14;
		}
	} else {
		/* a zombie: dead, not yet reaped */
		siginfo_t si;

		if (waitid(P_PID, (id_t)victim, &si, WEXITED | WNOWAIT) < 0)
			return 15;
		newcomer = 0;
	}
	r = linx_ns_pin_open(&pin, LINX_NS_NET | LINX_NS_UTS, &err);
	if (r != -ESRCH) {
		fprintf(stderr, "pin_open after %s: %d (%s), mask %#x\n",
			reap ? "reuse" : "death", r, err.message, pin.mask);
		return 16;
	}
	if (err.code != ESRCH || !strstr(err.message, "exited")) {
		fprintf(stderr, "error: %s\n", err.message);
		return 17;
	}
	linx_ns_pin_close(&pin);
	if (newcomer) {
		/* pinning afresh reaches the newcomer, whose net differs */
		if (linx_ns_pin(&t, LINX_NS_NET | LINX_NS_UTS, &fresh, &err) <
			    0 ||
		    fresh.mask != (LINX_NS_NET | LINX_NS_UTS)) {
			fprintf(stderr, "fresh pin: %s\n", err.message);
			return 18;
		}
		linx_ns_pin_close(&fresh);
		kill(newcomer, SIGKILL);
		waitpid(newcomer, NULL, 0);
	} else {
		/* the whole pin fails the same way while it is a zombie */
		r = linx_ns_pin(&t, LINX_NS_NET, &fresh, &err);
		if (r != -ESRCH) {
			fprintf(stderr, "pin of a zombie: %d (%s)\n", r,
				err.message);
			return 19;
		}
		waitpid(victim, NULL, 0);
	}
	return 0;
}

static void run_in_private_pid_ns(bool reap)
{
	pid_t init;
	int status;

	init = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL,
			      NULL, 0);
	ck_assert_int_ge(init, 0);
	if (init == 0)
		_exit(pid_reuse_inside(reap));
	ck_assert_int_eq(waitpid(init, &status, 0), init);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "pid-reuse check failed inside the pid namespace "
		      "(status %#x, see stderr)",
		      status);
}

START_TEST(pid_reuse_refused)
{
	run_in_private_pid_ns(true);
}
END_TEST

START_TEST(zombie_refused)
{
	run_in_private_pid_ns(false);
}
END_TEST

/* ---- leaks -------------------------------------------------------------- */

/* Children of every thread of this process, alive or zombie. */
static int count_children(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300], buf[4096];
		int fd;
		ssize_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children",
			 e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		for (char *tok = strtok(buf, " \n"); tok;
		     tok = strtok(NULL, " \n"))
			n++;
	}
	closedir(d);
	return n;
}

START_TEST(no_leaks_over_many_calls)
{
	pid_t child = spawn(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID, .pid = child };
	struct linx_ns_target bogus = { .kind = LINX_NS_TARGET_PID,
					.pid = INT_MAX };
	int fds = linx_test_count_fds(),
	    threads = linx_test_count_threads_settled(1);
	int children = count_children();
	struct linx_value res;
	struct linx_error err;

	for (int i = 0; i < 1000; i++) {
		int fd = linx_ns_socket(&t, AF_INET, SOCK_DGRAM, 0, &err);
		struct linx_ns_pin pin;

		linx_assert_ok(fd, &err);
		close(fd);
		linx_assert_ok(linx_ns_run(&t, LINX_NS_NET | LINX_NS_UTS, 0,
					   noop, NULL, &res, &err),
			       &err);
		linx_assert_ok(linx_ns_pin(&t, LINX_NS_ALL, &pin, &err), &err);
		linx_ns_pin_close(&pin);
		ck_assert_int_eq(linx_ns_socket(&bogus, AF_INET, SOCK_DGRAM, 0,
						&err),
				 -ENOENT);
		ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET, 0, fail_inside,
					     NULL, &res, &err),
				 -ENOTRECOVERABLE);
		/* the forked helper, every tenth round (it is slower) */
		if (i % 10 == 0) {
			linx_assert_ok(linx_ns_run(&t, LINX_NS_NET,
						   LINX_NS_RUN_FORK, noop,
						   NULL, &res, &err),
				       &err);
			ck_assert_int_eq(linx_ns_run(&t, LINX_NS_NET,
						     LINX_NS_RUN_FORK,
						     fail_inside, NULL, &res,
						     &err),
					 -ENOTRECOVERABLE);
		}
	}
	ck_assert_int_eq(linx_test_count_fds(), fds);
	ck_assert_int_eq(linx_test_count_threads_settled(threads), threads);
	ck_assert_int_eq(count_children(), children);
	linx_test_reap(child);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ns");
	TCase *tc = tcase_create("ns");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, socket_by_pid);
	tcase_add_test(tc, socket_by_path);
	tcase_add_test(tc, socket_self);
	tcase_add_test(tc, run_thread_uts);
	tcase_add_test(tc, run_thread_mnt);
	tcase_add_test(tc, run_sees_target_mounts);
	tcase_add_test(tc, run_fork_user);
	tcase_add_test(tc, run_fork_pid);
	tcase_add_test(tc, results_and_errors_cross);
	tcase_add_test(tc, helper_refuses_handles);
	tcase_add_test(tc, fn_gets_ret_and_err);
	tcase_add_test(tc, shared_namespaces_skipped);
	tcase_add_test(tc, bogus_targets);
	tcase_add_test(tc, fifo_path_refused);
	tcase_add_test(tc, open_path_checks_the_file);
	tcase_add_test(tc, setns_failure_reported);
	tcase_add_test(tc, target_from_value);
	tcase_add_test(tc, target_map_types);
	tcase_add_test(tc, kind_names);
	tcase_add_test(tc, pid_reuse_refused);
	tcase_add_test(tc, zombie_refused);
	tcase_add_test(tc, no_leaks_over_many_calls);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	linx_test_require_root();
	return linx_test_run_suite(suite());
}
