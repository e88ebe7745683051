/* SPDX-License-Identifier: MIT */
/*
 * The cgroup v2 limits the VM lane exists for, exercised through the
 * kernel's own files with no Linx code: a workload over pids.max cannot
 * fork, one over memory.max is OOM-killed and counted in memory.events,
 * cpu.max throttling shows in cpu.stat, cgroup.freeze stops and resumes a
 * running workload (Documentation/admin-guide/cgroup-v2.rst).
 *
 * It tells a VM that boots but does not enforce limits apart from a bug in
 * the cgroup plugin, whose own tests check the same behaviours through
 * Linx.  Each test mounts cgroup2 in a private mount namespace and works
 * in a child cgroup it removes.  Hosts without these controllers skip
 * (this project's machines have only hugetlb); the VM lane has them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linx-test.h"

static const char *const needed[] = { "cpu", "memory", "pids" };

struct cg {
	char path[PATH_MAX];
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void cg_write(const struct cg *cg, const char *file, const char *val)
{
	char path[PATH_MAX + 64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", cg->path, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	n = write(fd, val, strlen(val));
	ck_assert_msg(n == (ssize_t)strlen(val), "write %s to %s: %s", val,
		      path, strerror(errno));
	close(fd);
}

/* The value of "KEY VALUE" in a flat-keyed file (cpu.stat,
 * memory.events, cgroup.events...), or -1. */
static long long cg_key(const struct cg *cg, const char *file, const char *key)
{
	char path[PATH_MAX + 64], line[256];
	long long v = -1;
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", cg->path, file);
	f = fopen(path, "re");
	ck_assert_msg(f != NULL, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* A fresh child cgroup of a private cgroup2 mount, with the controllers
 * this test needs enabled for it by the hierarchy's root. */
static struct cg cg_create(const char *name)
{
	const char *root = linx_test_mount_cgroup2();
	char path[PATH_MAX], enabled[256] = "";
	struct cg cg;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	f = fopen(path, "re");
	ck_assert(f != NULL);
	if (!fgets(enabled, sizeof(enabled), f))
		enabled[0] = '\0';
	fclose(f);
	for (size_t i = 0; i < sizeof(needed) / sizeof(*needed); i++)
		ck_assert_msg(strstr(enabled, needed[i]),
			      "controller %s is not enabled in %s (\"%s\")",
			      needed[i], path, enabled);
	snprintf(cg.path, sizeof(cg.path), "%s/%s-%d", root, name, (int)getpid());
	ck_assert_msg(mkdir(cg.path, 0755) == 0, "mkdir %s: %s", cg.path,
		      strerror(errno));
	return cg;
}

static void cg_remove(const struct cg *cg)
{
	ck_assert_msg(rmdir(cg->path) == 0, "rmdir %s: %s", cg->path,
		      strerror(errno));
}

/* Fork a child that joins `cg` (writing 0 to cgroup.procs moves the
 * writer) and then runs `body`, which must not return.  Returns once the
 * child is inside. */
static pid_t spawn_in(const struct cg *cg, void (*body)(void *), void *arg)
{
	char path[PATH_MAX + 32], c = 0;
	int fds[2];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->path);
	ck_assert(pipe2(fds, O_CLOEXEC) == 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CLOEXEC);

		close(fds[0]);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(120);
		close(fd);
		if (write(fds[1], "x", 1) != 1)
			_exit(121);
		close(fds[1]);
		body(arg);
		_exit(122);
	}
	close(fds[1]);
	ck_assert_msg(read(fds[0], &c, 1) == 1, "child could not join %s",
		      cg->path);
	close(fds[0]);
	return pid;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	return status;
}

static void fork_once(void *arg)
{
	pid_t pid;

	(void)arg;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		_exit(1); /* the limit did not hold */
	}
	_exit(errno == EAGAIN ? 0 : 2);
}

START_TEST(pids_max_stops_fork)
{
	struct cg cg = cg_create("linx-pids");
	int status;

	/* The child itself is the one process pids.max allows. */
	cg_write(&cg, "pids.max", "1");
	status = reap(spawn_in(&cg, fork_once, NULL));
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "fork over pids.max: status %#x (exit 1: it succeeded, "
		      "2: not EAGAIN)", status);
	ck_assert_int_ge(cg_key(&cg, "pids.events", "max"), 1);
	cg_remove(&cg);
}
END_TEST

static void eat_memory(void *arg)
{
	size_t total = *(size_t *)arg, step = 1 << 20;

	/* Touch every page so the memory is charged, not just reserved. */
	for (size_t used = 0; used < total; used += step) {
		char *p = malloc(step);

		if (!p)
			_exit(3);
		memset(p, 0x5a, step);
	}
	_exit(0);
}

START_TEST(memory_max_oom_kills)
{
	struct cg cg = cg_create("linx-memory");
	size_t want = 256u << 20;
	struct stat st;
	char path[PATH_MAX + 32];
	int status;

	cg_write(&cg, "memory.max", "32M");
	/* No swap to escape into (the file exists with CONFIG_SWAP). */
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg.path);
	if (stat(path, &st) == 0)
		cg_write(&cg, "memory.swap.max", "0");
	status = reap(spawn_in(&cg, eat_memory, &want));
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "256 MiB under memory.max=32M: status %#x, not SIGKILL",
		      status);
	ck_assert_int_ge(cg_key(&cg, "memory.events", "oom_kill"), 1);
	ck_assert_int_ge(cg_key(&cg, "memory.events", "max"), 1);
	cg_remove(&cg);
}
END_TEST

static void spin(void *arg)
{
	volatile unsigned long *counter = arg;

	for (;;)
		(*counter)++;
}

START_TEST(cpu_max_throttles)
{
	struct cg cg = cg_create("linx-cpu");
	unsigned long dummy = 0;
	pid_t pid;

	/* 10 ms of CPU per 100 ms period; a spinning task uses its quota
	 * within one period and is throttled for the rest.  No clock is
	 * asserted: the loop ends when the kernel has counted a throttled
	 * period (check's timeout bounds it). */
	cg_write(&cg, "cpu.max", "10000 100000");
	pid = spawn_in(&cg, spin, &dummy);
	while (cg_key(&cg, "cpu.stat", "nr_throttled") < 1)
		sleep_ms(20);
	/* throttled_usec grows when a throttled period ends. */
	while (cg_key(&cg, "cpu.stat", "throttled_usec") < 1)
		sleep_ms(20);
	ck_assert_int_ge(cg_key(&cg, "cpu.stat", "nr_periods"), 1);
	kill(pid, SIGKILL);
	reap(pid);
	cg_remove(&cg);
}
END_TEST

static void wait_frozen(const struct cg *cg, long want)
{
	/* cgroup.events reports "frozen 1" once every task has stopped. */
	while (cg_key(cg, "cgroup.events", "frozen") != want)
		sleep_ms(10);
}

START_TEST(freeze_and_thaw)
{
	struct cg cg = cg_create("linx-freeze");
	volatile unsigned long *counter;
	unsigned long a, b;
	pid_t pid;

	counter = mmap(NULL, sizeof(*counter), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(counter != MAP_FAILED);
	pid = spawn_in(&cg, spin, (void *)counter);
	while (*counter == 0)
		sleep_ms(10);
	cg_write(&cg, "cgroup.freeze", "1");
	wait_frozen(&cg, 1);
	a = *counter;
	sleep_ms(200);
	b = *counter;
	ck_assert_msg(a == b, "frozen workload ran: %lu -> %lu", a, b);
	cg_write(&cg, "cgroup.freeze", "0");
	wait_frozen(&cg, 0);
	while (*counter == b)
		sleep_ms(10);
	kill(pid, SIGKILL);
	reap(pid);
	ck_assert_int_eq(cg_key(&cg, "cgroup.events", "populated"), 0);
	cg_remove(&cg);
	munmap((void *)counter, sizeof(*counter));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cgroup-enforcement");
	TCase *tc = tcase_create("cgroup-enforcement");

	tcase_add_test(tc, pids_max_stops_fork);
	tcase_add_test(tc, memory_max_oom_kills);
	tcase_add_test(tc, cpu_max_throttles);
	tcase_add_test(tc, freeze_and_thaw);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	linx_test_require_root();
	for (size_t i = 0; i < sizeof(needed) / sizeof(*needed); i++)
		linx_test_require(linx_test_cgroup2_has_controller(needed[i]),
				  "this kernel's cgroup2 hierarchy has no %s "
				  "controller; the VM lane (tests/vm/README) "
				  "runs this test", needed[i]);
	return linx_test_run_suite(suite());
}
