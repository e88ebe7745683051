/* SPDX-License-Identifier: MIT */
#include "linx-test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

bool linx_test_no_skip(void)
{
	const char *no_skip = getenv("LINX_TEST_NO_SKIP");

	return no_skip && strcmp(no_skip, "1") == 0;
}

void linx_test_skip(const char *fmt, ...)
{
	bool forbidden = linx_test_no_skip();
	va_list ap;

	fprintf(stderr, forbidden ? "FAIL (skipping is not allowed here): "
				  : "SKIP: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(forbidden ? 1 : LINX_TEST_SKIP_CODE);
}

void linx_test_require_root(void)
{
	if (geteuid() != 0)
		linx_test_skip("needs root (namespaces, mounts)");
}

void linx_test_require(bool cond, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (cond)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	linx_test_skip("%s", buf);
}

bool linx_test_cgroup2_has_controller(const char *controller)
{
	/* Look in a throwaway child with its own mount namespace so the
	 * probe leaves nothing behind. */
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return false;
	if (pid == 0) {
		char dir[] = "/tmp/linx-cg-probe-XXXXXX", path[256], buf[512];
		FILE *f;

		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    !mkdtemp(dir))
			_exit(1);
		if (mount("cgroup2", dir, "cgroup2", 0, NULL) < 0) {
			rmdir(dir);
			_exit(1);
		}
		snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
		f = fopen(path, "re");
		buf[0] = '\0';
		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = '\0';
			fclose(f);
		}
		umount2(dir, MNT_DETACH);
		rmdir(dir);
		for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n"))
			if (strcmp(tok, controller) == 0)
				_exit(0);
		_exit(1);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool linx_test_link_kind_supported(const char *kind)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return false;
	if (pid == 0) {
		char cmd[256];
		int devnull = open("/dev/null", O_WRONLY);

		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		if (strcmp(kind, "macvlan") == 0 || strcmp(kind, "ipvlan") == 0 ||
		    strcmp(kind, "vlan") == 0)
			snprintf(cmd, sizeof(cmd),
				 "ip link add p0 type veth peer name p1 && "
				 "ip link add probe0 link p0 type %s%s",
				 kind, strcmp(kind, "vlan") == 0 ? " id 10" : "");
		else
			snprintf(cmd, sizeof(cmd), "ip link add probe0 type %s",
				 kind);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void linx_test_private_netns(void)
{
	struct ifreq ifr = { 0 };
	int fd;

	ck_assert_msg(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s",
		      strerror(errno));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	strcpy(ifr.ifr_name, "lo");
	ck_assert(ioctl(fd, SIOCGIFFLAGS, &ifr) == 0);
	ifr.ifr_flags |= IFF_UP;
	ck_assert(ioctl(fd, SIOCSIFFLAGS, &ifr) == 0);
	close(fd);
}

void linx_test_private_mounts(void)
{
	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare(CLONE_NEWNS): %s",
		      strerror(errno));
	ck_assert_msg(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0,
		      "make / private: %s", strerror(errno));
}

static char cgroup2_dir[64];

/* The mount dies with the test's mount namespace, but the directory was
 * made in the shared /tmp: take it away when the test process exits. */
static void remove_cgroup2_dir(void)
{
	if (!cgroup2_dir[0])
		return;
	umount2(cgroup2_dir, MNT_DETACH);
	rmdir(cgroup2_dir);
	cgroup2_dir[0] = '\0';
}

const char *linx_test_mount_cgroup2(void)
{
	char *dir = cgroup2_dir;

	ck_assert_msg(!dir[0], "cgroup2 is already mounted at %s", dir);
	linx_test_private_mounts();
	strcpy(dir, "/tmp/linx-cgroup2-XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	atexit(remove_cgroup2_dir);
	ck_assert_msg(mount("cgroup2", dir, "cgroup2", 0, NULL) == 0,
		      "mount cgroup2 on %s: %s", dir, strerror(errno));
	return dir;
}

char *linx_test_sh(int *status, const char *fmt, ...)
{
	char *cmd = NULL, *out = NULL;
	size_t len = 0, cap = 0;
	FILE *p;
	va_list ap;
	int st;

	va_start(ap, fmt);
	ck_assert(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	p = popen(cmd, "re");
	ck_assert_msg(p != NULL, "popen %s: %s", cmd, strerror(errno));
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			out = realloc(out, cap);
			ck_assert(out != NULL);
		}
		n = fread(out + len, 1, cap - len - 1, p);
		if (n == 0)
			break;
		len += n;
	}
	out[len] = '\0';
	st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	free(cmd);
	return out;
}

bool linx_test_have(const char *prog)
{
	int status;
	char *out = linx_test_sh(&status, "command -v %s >/dev/null 2>&1", prog);

	free(out);
	return status == 0;
}

pid_t linx_test_spawn_in_ns(int clone_flags)
{
	int fds[2];
	pid_t pid;
	char c;

	ck_assert(pipe2(fds, O_CLOEXEC) == 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		if (clone_flags && unshare(clone_flags) < 0)
			_exit(1);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ck_assert_msg(read(fds[0], &c, 1) == 1,
		      "child could not unshare %#x", clone_flags);
	close(fds[0]);
	return pid;
}

void linx_test_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int linx_test_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert(d != NULL);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the DIR's own fd */
}

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;

	ck_assert(d != NULL);
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2; /* "." and ".." */
}

int linx_test_count_threads_settled(int want)
{
	int n = count_threads();

	for (int i = 0; i < 200 && n != want; i++) {
		usleep(10 * 1000);
		n = count_threads();
	}
	return n;
}

struct linx_registry *linx_test_registry(const struct linx_plugin *const *plugins,
					 size_t n)
{
	struct linx_registry *reg;
	struct linx_error err;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	for (size_t i = 0; i < n; i++)
		linx_assert_ok(linx_registry_add_static(reg, plugins[i], &err),
			       &err);
	return reg;
}

int linx_test_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	struct utsname u;
	int failed;

	/* Say where the tests ran: the same suite runs on the host's kernel
	 * and in the VM lane's (tests/vm/README). */
	if (uname(&u) == 0)
		printf("kernel: %s %s %s\n", u.sysname, u.release, u.machine);
	fflush(stdout);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* Run fn in a forked child; true if the child exited with status 0 (a
 * fault or a signal counts as "no"). */
static bool probe_in_child(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(fn());
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int ia32_getpid(void)
{
#if defined(__x86_64__)
	long r;

	/* getpid is 20 in the i386 table (arch/x86/entry/syscalls/
	 * syscall_32.tbl). */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r == (long)getpid() ? 0 : 1;
#else
	return 1;
#endif
}

static int x32_getpid(void)
{
#if defined(__x86_64__)
	long r = syscall(0x40000000L | SYS_getpid);

	return r >= 0 || errno == ENOSYS ? 0 : 1;
#else
	return 1;
#endif
}

bool linx_test_has_ia32_entry(void)
{
	return probe_in_child(ia32_getpid);
}

bool linx_test_has_x32_entry(void)
{
	return probe_in_child(x32_getpid);
}
