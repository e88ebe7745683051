/* SPDX-License-Identifier: MIT */
/*
 * The `in` target: reading and writing another process's view of its
 * namespaced knobs, by pid and by namespace file, through a throwaway
 * thread (net, uts) or the forked helper (user, pid), checked with
 * nsenter(1) + sysctl(8); vanished targets; why the mount namespace is
 * not joined; and no leaked descriptor, thread or process.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sysctl-test.h"

static struct linx_ns_target by_pid(pid_t pid)
{
	return (struct linx_ns_target){ .kind = LINX_NS_TARGET_PID,
					.pid = pid };
}

static struct linx_ns_target by_path(const char *path)
{
	return (struct linx_ns_target){ .kind = LINX_NS_TARGET_PATH,
					.path = path };
}

static char *nsenter(pid_t pid, const char *flags)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "nsenter -t %d %s", (int)pid, flags);
	return buf;
}

/*
 * Fork a child that unshares `flags`, runs `setup` (which returns false on
 * failure) and waits to be killed.  With CLONE_NEWPID the child forks once
 * more so the waiting process runs inside the new pid namespace (as its
 * pid 1); the pid returned is always the waiting process's.
 */
static pid_t spawn(int flags, bool (*setup)(void))
{
	int fds[2];
	pid_t pid, target = 0;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t me = 0;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		if (unshare(flags) < 0)
			_exit(1);
		if (flags & CLONE_NEWPID) {
			me = fork();
			if (me < 0)
				_exit(1);
			if (me > 0) {
				/* the middle process: wait for the init */
				close(fds[1]);
				waitpid(me, NULL, 0);
				_exit(0);
			}
			/* getppid() is 0 for a namespace's init: the pipe's
			 * writer is checked by the parent instead */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		}
		if (setup && !setup())
			_exit(1);
		me = (flags & CLONE_NEWPID) ? 0 : getpid();
		/* the host pid of a pid-ns init is learned by the parent */
		if (write(fds[1], &me, sizeof(me)) != sizeof(me))
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ck_assert_msg(read(fds[0], &target, sizeof(target)) == sizeof(target),
		      "child could not set up its namespaces (%#x)", flags);
	close(fds[0]);
	if (flags & CLONE_NEWPID) {
		/* the only child of the middle process */
		char path[64], line[64];
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
			 (int)pid, (int)pid);
		f = fopen(path, "re");
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		fclose(f);
		target = (pid_t)atoi(line);
		ck_assert_int_gt(target, 0);
	}
	return target;
}

static void reap(pid_t pid)
{
	pid_t parent = 0;
	char path[64];
	FILE *f;

	/* For a pid-ns init, kill its waiting parent as well. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%*d %*s %*c %d", &parent) != 1)
			parent = 0;
		fclose(f);
	}
	kill(pid, SIGKILL);
	if (parent > 0 && parent != getpid())
		linx_test_reap(parent);
	else
		linx_test_reap(pid);
}

START_TEST(net_and_uts_by_pid)
{
	static const int64_t rmem[] = { 4096, 65536, 4194304 };
	pid_t pid = spawn(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	struct linx_ns_target t = by_pid(pid);
	char *host_fwd, *host_name, *value, *o;
	struct linx_sysctl_entry *e;
	struct linx_error err;
	int64_t fwd, *v;
	size_t n;
	bool found = false;
	int status;

	host_fwd = sysctl_test_oracle(NULL, "net.ipv4.ip_forward");
	host_name = sysctl_test_oracle(NULL, "kernel.hostname");

	linx_assert_ok(linx_sysctl_read_int("net.ipv4.ip_forward", &t, &fwd,
					    &err),
		       &err);
	o = sysctl_test_oracle(nsenter(pid, "-n"), "net.ipv4.ip_forward");
	ck_assert_int_eq(fwd, atoi(o));
	free(o);
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t,
					     fwd ? 0 : 1, &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-n"), "net.ipv4.ip_forward",
			     fwd ? "0" : "1");
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t, 1,
					     &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-n"), "net.ipv4.ip_forward", "1");
	linx_assert_ok(linx_sysctl_write_ints("net.ipv4.tcp_rmem", &t, rmem, 3,
					      &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-n"), "net.ipv4.tcp_rmem",
			     "4096\t65536\t4194304");
	linx_assert_ok(linx_sysctl_read_ints("net.ipv4.tcp_rmem", &t, &v, &n,
					     &err),
		       &err);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(v, rmem, sizeof(rmem)) == 0);
	free(v);

	linx_assert_ok(linx_sysctl_write("kernel.hostname", &t, "ct0", &err),
		       &err);
	o = linx_test_sh(&status, "%s hostname", nsenter(pid, "-u"));
	sysctl_test_trim(o);
	ck_assert_str_eq(o, "ct0");
	free(o);
	linx_assert_ok(linx_sysctl_read("kernel.hostname", &t, &value, NULL,
					&err),
		       &err);
	ck_assert_str_eq(value, "ct0");
	free(value);

	/* Listing the child's view. */
	linx_assert_ok(linx_sysctl_list("net.ipv4", &t, &e, &n, &err), &err);
	ck_assert_uint_gt(n, 50);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(e[i].key, "net.ipv4.ip_forward") == 0) {
			ck_assert_str_eq(e[i].value, "1");
			ck_assert_str_eq(e[i].path,
					 "/proc/sys/net/ipv4/ip_forward");
			found = true;
		}
		if (i)
			ck_assert(strcmp(e[i - 1].key, e[i].key) < 0);
	}
	ck_assert(found);
	linx_sysctl_list_free(e, n);
	linx_assert_ok(linx_sysctl_list("kernel.hostname", &t, &e, &n, &err),
		       &err);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(e[0].value, "ct0");
	linx_sysctl_list_free(e, n);

	/* A global knob reads the same from anywhere. */
	linx_assert_ok(linx_sysctl_read("kernel.ostype", &t, &value, NULL, &err),
		       &err);
	ck_assert_str_eq(value, "Linux");
	free(value);
	/* Refusals still come first. */
	sysctl_assert_error(linx_sysctl_write("kernel.hostname", &t,
					      "0123456789012345678901234567890"
					      "1234567890123456789012345678901"
					      "234",
					      &err),
			    &err, E2BIG, "validate", "value");

	/* The host did not move. */
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", host_fwd);
	sysctl_assert_oracle(NULL, "kernel.hostname", host_name);
	free(host_fwd);
	free(host_name);
	reap(pid);
}
END_TEST

START_TEST(by_namespace_path)
{
	pid_t pid = spawn(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	char net[64], uts[64], pinned[] = "/tmp/linx-sysctl-ns-XXXXXX";
	struct linx_ns_target t;
	struct linx_error err;
	char *value, *host_fwd;
	int fd;

	host_fwd = sysctl_test_oracle(NULL, "net.ipv4.ip_forward");
	snprintf(net, sizeof(net), "/proc/%d/ns/net", (int)pid);
	snprintf(uts, sizeof(uts), "/proc/%d/ns/uts", (int)pid);
	t = by_path(net);
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t, 1,
					     &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-n"), "net.ipv4.ip_forward", "1");
	linx_assert_ok(linx_sysctl_read("net.ipv4.ip_forward", &t, &value, NULL,
					&err),
		       &err);
	ck_assert_str_eq(value, "1");
	free(value);
	/* A global knob needs no particular namespace. */
	linx_assert_ok(linx_sysctl_read("kernel.ostype", &t, &value, NULL,
					&err),
		       &err);
	ck_assert_str_eq(value, "Linux");
	free(value);
	/* A net namespace says nothing about kernel.hostname. */
	sysctl_assert_error(linx_sysctl_read("kernel.hostname", &t, &value,
					     NULL, &err),
			    &err, EINVAL, "open_ns", NULL);
	ck_assert_str_eq(err.object, "/proc/sys/kernel/hostname");
	t = by_path(uts);
	linx_assert_ok(linx_sysctl_write("kernel.hostname", &t, "ct-path",
					 &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-u"), "kernel.hostname", "ct-path");
	/* Not a namespace file, no such file. */
	t = by_path("/etc/hostname");
	sysctl_assert_error(linx_sysctl_read("net.ipv4.ip_forward", &t, &value,
					     NULL, &err),
			    &err, EINVAL, "open_ns", NULL);
	sysctl_assert_error(linx_sysctl_read("kernel.ostype", &t, &value, NULL,
					     &err),
			    &err, EINVAL, "open_ns", NULL);
	t = by_path("/nonexistent/linx/ns");
	sysctl_assert_error(linx_sysctl_read("net.ipv4.ip_forward", &t, &value,
					     NULL, &err),
			    &err, ENOENT, "open_ns", NULL);

	/* A namespace pinned by a bind mount outlives its process. */
	linx_test_private_mounts();
	fd = mkstemp(pinned);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(mount(net, pinned, NULL, MS_BIND, NULL), 0);
	reap(pid);
	t = by_path(pinned);
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t, 0,
					     &err),
		       &err);
	linx_assert_ok(linx_sysctl_read("net.ipv4.ip_forward", &t, &value, NULL,
					&err),
		       &err);
	ck_assert_str_eq(value, "0");
	free(value);
	umount2(pinned, MNT_DETACH);
	unlink(pinned);
	sysctl_assert_oracle(NULL, "net.ipv4.ip_forward", host_fwd);
	free(host_fwd);
}
END_TEST

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* user.* lives in the user namespace, which a multi-threaded process
 * cannot join: the forked helper does the I/O.  A second thread makes sure
 * this process is multi-threaded, as a NIF host would be. */
START_TEST(user_ns_through_helper)
{
	pid_t pid = spawn(CLONE_NEWUSER | CLONE_NEWNET, NULL);
	struct linx_ns_target t = by_pid(pid);
	struct linx_sysctl_entry *e;
	struct linx_error err;
	char *host, *o;
	pthread_t thread;
	int64_t v;
	size_t n;

	ck_assert_int_eq(pthread_create(&thread, NULL, idle, NULL), 0);
	host = sysctl_test_oracle(NULL, "user.max_user_namespaces");
	linx_assert_ok(linx_sysctl_read_int("user.max_user_namespaces", &t, &v,
					    &err),
		       &err);
	o = sysctl_test_oracle(nsenter(pid, "-U --preserve-credentials"), "user.max_user_namespaces");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(v, strtoll(o, NULL, 10));
	free(o);
	linx_assert_ok(linx_sysctl_write_int("user.max_user_namespaces", &t,
					     1234, &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-U --preserve-credentials"), "user.max_user_namespaces",
			     "1234");
	linx_assert_ok(linx_sysctl_read_int("user.max_user_namespaces", &t, &v,
					    &err),
		       &err);
	ck_assert_int_eq(v, 1234);
	/* The whole user subtree as the child sees it. */
	linx_assert_ok(linx_sysctl_list("user", &t, &e, &n, &err), &err);
	ck_assert_uint_gt(n, 5);
	for (size_t i = 0; i < n; i++) {
		o = sysctl_test_oracle(nsenter(pid, "-U --preserve-credentials"), e[i].key);
		ck_assert_ptr_nonnull(o);
		ck_assert_str_eq(e[i].value, o);
		free(o);
	}
	linx_sysctl_list_free(e, n);
	/* net.* in a netns owned by the child's user namespace: only the
	 * netns is joined, on a thread, with the host's privileges. */
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t, 1,
					     &err),
		       &err);
	sysctl_assert_oracle(nsenter(pid, "-n"), "net.ipv4.ip_forward", "1");
	sysctl_assert_oracle(NULL, "user.max_user_namespaces", host);
	free(host);
	reap(pid);
}
END_TEST

/* kernel.ns_last_pid answers for the pid namespace the reader runs in:
 * the helper forks into the target's, and its own pid there is the last
 * one allocated. */
START_TEST(pid_ns_last_pid)
{
	pid_t pid = spawn(CLONE_NEWPID, NULL);
	struct linx_ns_target t = by_pid(pid);
	struct linx_error err;
	int64_t first, v;

	linx_assert_ok(linx_sysctl_read_int("kernel.ns_last_pid", &t, &first,
					    &err),
		       &err);
	ck_assert_int_ge(first, 2); /* pid 1 is the child itself */
	ck_assert_int_lt(first, 100);
	linx_assert_ok(linx_sysctl_read_int("kernel.ns_last_pid", &t, &v,
					    &err),
		       &err);
	ck_assert_int_eq(v, first + 1);
	linx_assert_ok(linx_sysctl_write_int("kernel.ns_last_pid", &t, 500,
					     &err),
		       &err);
	linx_assert_ok(linx_sysctl_read_int("kernel.ns_last_pid", &t, &v,
					    &err),
		       &err);
	ck_assert_int_eq(v, 501);
	reap(pid);
}
END_TEST

/* The spec's example: a target that is gone is ENOENT at "open_ns", with
 * the sysctl's path, whatever the key. */
START_TEST(vanished_target)
{
	struct linx_sysctl_entry *e;
	struct linx_ns_target t;
	struct linx_error err;
	char *value;
	int64_t v;
	size_t n;
	pid_t gone = fork();

	ck_assert_int_ge(gone, 0);
	if (gone == 0)
		_exit(0);
	linx_test_reap(gone);
	for (int i = 0; i < 2; i++) {
		t = by_pid(i ? gone : SYSCTL_TEST_NO_PID);
		sysctl_assert_error(linx_sysctl_write("kernel.hostname", &t,
						      "x", &err),
				    &err, ENOENT, "open_ns", NULL);
		ck_assert_str_eq(err.object, "/proc/sys/kernel/hostname");
		ck_assert_msg(strstr(err.message, "kernel.hostname"), "%s",
			      err.message);
		sysctl_assert_error(linx_sysctl_read("net.ipv4.ip_forward", &t,
						     &value, NULL, &err),
				    &err, ENOENT, "open_ns", NULL);
		sysctl_assert_error(linx_sysctl_read_int("kernel.ostype", &t,
							 &v, &err),
				    &err, ENOENT, "open_ns", NULL);
		sysctl_assert_error(linx_sysctl_read_int(
					    "user.max_user_namespaces", &t, &v,
					    &err),
				    &err, ENOENT, "open_ns", NULL);
		sysctl_assert_error(linx_sysctl_list(NULL, &t, &e, &n, &err),
				    &err, ENOENT, "open_ns", NULL);
		ck_assert_str_eq(err.object, "/proc/sys");
	}
}
END_TEST

/* Plant a fake /proc/sys in the child's own mount namespace. */
static bool plant_fake_proc_sys(void)
{
	int fd;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("linx-fake", "/proc/sys", "tmpfs", 0, NULL) < 0 ||
	    mkdir("/proc/sys/net", 0755) < 0 ||
	    mkdir("/proc/sys/net/ipv4", 0755) < 0)
		return false;
	fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, "42\n", 3) != 3)
		return false;
	close(fd);
	return true;
}

/* Leave the child without a procfs: an empty tmpfs over /proc (unmounting
 * is not enough where the root filesystem itself shows something there,
 * as the VM lane's 9p root does). */
static bool drop_proc(void)
{
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	       mount("linx-empty", "/proc", "tmpfs", 0, NULL) == 0;
}

/*
 * Why the mount namespace is not joined: /proc/sys values follow the
 * reader's net/uts/ipc/user/pid namespaces whatever /proc it goes
 * through, so joining the target's mounts can only lose (a container
 * without /proc) or lie (a container's own files on /proc/sys).
 */
START_TEST(mount_ns_not_joined)
{
	pid_t decoy = spawn(CLONE_NEWNS | CLONE_NEWNET, plant_fake_proc_sys);
	pid_t bare = spawn(CLONE_NEWNS | CLONE_NEWNET, drop_proc);
	struct linx_ns_target t = by_pid(decoy);
	struct linx_error err;
	char *value, *o;
	int status;

	/* What joining the mounts too would have read: */
	o = linx_test_sh(&status, "%s cat /proc/sys/net/ipv4/ip_forward",
			 nsenter(decoy, "-n -m"));
	sysctl_test_trim(o);
	ck_assert_str_eq(o, "42");
	free(o);
	/* What Linx reads: the child's network namespace's real value. */
	linx_assert_ok(linx_sysctl_read("net.ipv4.ip_forward", &t, &value, NULL,
					&err),
		       &err);
	o = sysctl_test_oracle(nsenter(decoy, "-n"), "net.ipv4.ip_forward");
	ck_assert_str_eq(value, o);
	ck_assert_str_ne(value, "42");
	free(o);
	free(value);
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t, 1,
					     &err),
		       &err);
	sysctl_assert_oracle(nsenter(decoy, "-n"), "net.ipv4.ip_forward", "1");

	/* No procfs in the target (an empty /proc): still fine. */
	o = linx_test_sh(&status, "%s ls /proc/sys 2>&1",
			 nsenter(bare, "-m"));
	ck_assert_int_ne(status, 0);
	free(o);
	t = by_pid(bare);
	linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &t, 1,
					     &err),
		       &err);
	sysctl_assert_oracle(nsenter(bare, "-n"), "net.ipv4.ip_forward", "1");
	reap(decoy);
	reap(bare);
}
END_TEST

/* The pids of this process's children, from every thread's list. */
static void children(char *buf, size_t cap)
{
	struct dirent *de;
	size_t len = 0;
	DIR *d = opendir("/proc/self/task");

	ck_assert_ptr_nonnull(d);
	buf[0] = '\0';
	while ((de = readdir(d))) {
		char path[300];
		FILE *f;
		int c;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children",
			 de->d_name);
		f = fopen(path, "re");
		ck_assert_ptr_nonnull(f);
		while ((c = fgetc(f)) != EOF && len + 1 < cap)
			buf[len++] = (char)c;
		fclose(f);
	}
	closedir(d);
	buf[len] = '\0';
	sysctl_test_trim(buf);
}

/* Many cross-namespace calls leave no descriptor, thread or process. */
START_TEST(no_leaks)
{
	pid_t net = spawn(CLONE_NEWNET | CLONE_NEWUTS, NULL);
	pid_t user = spawn(CLONE_NEWUSER, NULL);
	struct linx_ns_target tn = by_pid(net), tu = by_pid(user);
	struct linx_ns_target gone = by_pid(SYSCTL_TEST_NO_PID);
	struct linx_ns_target path;
	struct linx_sysctl_entry *e;
	struct linx_error err;
	char netpath[64], *value;
	int fds, threads, status;
	int64_t v;
	size_t n;

	snprintf(netpath, sizeof(netpath), "/proc/%d/ns/net", (int)net);
	path = by_path(netpath);
	/* Warm up whatever the C library allocates once. */
	linx_assert_ok(linx_sysctl_read_int("net.ipv4.ip_forward", &tn, &v,
					    &err),
		       &err);
	fds = linx_test_count_fds();
	threads = linx_test_count_threads_settled(1);
	for (int i = 0; i < 200; i++) {
		linx_assert_ok(linx_sysctl_write_int("net.ipv4.ip_forward", &tn,
						     i & 1, &err),
			       &err);
		linx_assert_ok(linx_sysctl_read_int("net.ipv4.ip_forward",
						    &path, &v, &err),
			       &err);
		ck_assert_int_eq(v, i & 1);
		linx_assert_ok(linx_sysctl_read("kernel.hostname", &tn, &value,
						NULL, &err),
			       &err);
		free(value);
		ck_assert_int_lt(linx_sysctl_read("kernel.hostname", &gone,
						  &value, NULL, &err),
				 0);
	}
	for (int i = 0; i < 40; i++) {
		linx_assert_ok(linx_sysctl_write_int("user.max_user_namespaces",
						     &tu, 100 + i, &err),
			       &err);
		linx_assert_ok(linx_sysctl_read_int("user.max_user_namespaces",
						    &tu, &v, &err),
			       &err);
		ck_assert_int_eq(v, 100 + i);
	}
	for (int i = 0; i < 10; i++) {
		linx_assert_ok(linx_sysctl_list("net.ipv4", &tn, &e, &n, &err),
			       &err);
		linx_sysctl_list_free(e, n);
		linx_assert_ok(linx_sysctl_list("user", &tu, &e, &n, &err),
			       &err);
		linx_sysctl_list_free(e, n);
	}
	ck_assert_int_eq(linx_test_count_fds(), fds);
	ck_assert_int_eq(linx_test_count_threads_settled(threads), threads);
	/* No exited helper left unreaped, and no other child alive. */
	ck_assert_int_eq(waitpid(-1, &status, WNOHANG), 0);
	{
		char want[64], have[256];

		snprintf(want, sizeof(want), "%d %d", (int)net, (int)user);
		children(have, sizeof(have));
		ck_assert_msg(strcmp(have, want) == 0,
			      "children: \"%s\", expected \"%s\"", have, want);
	}
	reap(net);
	reap(user);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysctl-ns");
	TCase *tc = tcase_create("ns");

	linx_test_require_root();
	linx_test_require(linx_sysctl_supported(), "no /proc/sys here");
	linx_test_require(sysctl_test_have("sysctl") &&
				  sysctl_test_have("nsenter"),
			  "needs sysctl (procps) and nsenter (util-linux) as "
			  "oracles");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, net_and_uts_by_pid);
	tcase_add_test(tc, by_namespace_path);
	tcase_add_test(tc, user_ns_through_helper);
	tcase_add_test(tc, pid_ns_last_pid);
	tcase_add_test(tc, vanished_target);
	tcase_add_test(tc, mount_ns_not_joined);
	tcase_add_test(tc, no_leaks);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
