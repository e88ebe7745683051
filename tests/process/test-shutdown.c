/* SPDX-License-Identifier: MIT */
/*
 * The agent's shutdown: whatever the workloads leave behind (orphans at
 * any depth, thousands of them, orphans that ignore SIGTERM), once the
 * host closes the channel or is killed with SIGKILL, every descendant is
 * gone and the agent exits.  Each process the workload makes carries a
 * marker in its environment; "gone" means no live process in /proc has
 * it.  The bounds are generous: they only tell a hang from an end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc-test.h"

/* Long enough for 2000 forks on a slow, busy host. */
#ifndef BOUND_MS
#define BOUND_MS 120000
#endif

static char marker[64];

/* Does /proc/<pid>/environ hold `marker` (and the process live)? */
static bool has_marker(const char *pid)
{
	char path[64], buf[8192], state = 0;
	size_t len = strlen(marker);
	ssize_t n;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	/* The state follows the last ')' (proc(5)); a zombie is dead. */
	{
		char line[512], *p;

		p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		if (p && p[1] == ' ')
			state = p[2];
	}
	fclose(f);
	if (state == 0 || state == 'Z' || state == 'X')
		return false;
	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	for (ssize_t i = 0; n > 0 && i + (ssize_t)len <= n; i++)
		if (memcmp(buf + i, marker, len) == 0 &&
		    (i == 0 || buf[i - 1] == '\0'))
			return true;
	return false;
}

static int count_marked(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	ck_assert(d);
	while ((de = readdir(d)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    has_marker(de->d_name))
			n++;
	closedir(d);
	return n;
}

static bool wait_marked(int at_least)
{
	for (int i = 0; i < BOUND_MS / 10; i++) {
		if (count_marked() >= at_least)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

static bool wait_unmarked(void)
{
	for (int i = 0; i < BOUND_MS / 10; i++) {
		if (count_marked() == 0)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/* waitpid(2) with a bound; true if `pid` exited. */
static bool wait_exit(pid_t pid)
{
	for (int i = 0; i < BOUND_MS / 10; i++) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

/*
 * The host: start an agent, run `script` (sh -c) with the marker in its
 * environment, report the agent's pid on `out`, then on a byte from `in`
 * close the agent ('c') or wait to be killed ('k').
 */
static void __attribute__((noreturn)) host_main(const char *script, int in,
						 int out)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	const char *env[] = { "PATH=/usr/bin:/bin", marker, NULL };
	struct linx_spawn_options o = { .argv = argv, .env = env,
					.kill_grace_ms = 200 };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn_opts(a, &o);
	struct linx_error err;
	pid_t apid = linx_agent_pid(a);
	char how = 0;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	if (write(out, &apid, sizeof(apid)) != sizeof(apid))
		_exit(1);
	if (read(in, &how, 1) != 1)
		_exit(1);
	if (how == 'c') {
		/* Close the channel and wait for the agent to exit. */
		linx_agent_free(a);
		linx_process_free(p);
		_exit(0);
	}
	for (;;)
		pause();
}

/* Run `script` until at least `n` marked processes live, end the host
 * (cleanly or by SIGKILL), and check that everything is gone. */
static void run(const char *script, int n, bool kill_host)
{
	int to_host[2], from_host[2];
	pid_t host, apid = 0;
	char how = kill_host ? 'k' : 'c';

	snprintf(marker, sizeof(marker), "LINX_TEST_SHUTDOWN=%d.%d",
		 (int)getpid(), n);
	ck_assert(pipe2(to_host, O_CLOEXEC) == 0);
	ck_assert(pipe2(from_host, O_CLOEXEC) == 0);
	host = fork();
	ck_assert_int_ge(host, 0);
	if (host == 0) {
		close(to_host[1]);
		close(from_host[0]);
		host_main(script, to_host[0], from_host[1]);
	}
	close(to_host[0]);
	close(from_host[1]);
	ck_assert_int_eq(read(from_host[0], &apid, sizeof(apid)),
			 (ssize_t)sizeof(apid));
	close(from_host[0]);
	ck_assert_msg(wait_marked(n), "the workload made %d of %d processes",
		      count_marked(), n);
	ck_assert_int_eq(write(to_host[1], &how, 1), 1);
	close(to_host[1]);
	if (kill_host)
		kill(host, SIGKILL);
	if (!wait_exit(host)) {
		kill(host, SIGKILL);
		waitpid(host, NULL, 0);
		ck_abort_msg("the host hung closing the agent");
	}
	/* The host was the agent's parent: after it, init reaps. */
	ck_assert_msg(pt_wait_gone(apid) || pt_pid_gone(apid),
		      "the agent %d outlived its host", (int)apid);
	ck_assert_msg(wait_unmarked(), "%d descendants survived",
		      count_marked());
}

/* A chain of live parents six deep, each with a sleeping child, orphaned
 * by the workload's exit: killing one re-parents the next level to the
 * agent. */
static const char NESTED[] =
	"f() { sleep 300 & if [ $1 -gt 0 ]; then (f $(($1 - 1))) & fi; "
	"wait; }; f 5 & sleep 0.3; exit 0";

/* 2000 orphans: more than one read of 4 KiB lists. */
static const char MANY[] =
	"i=0; while [ $i -lt 2000 ]; do sleep 300 & i=$((i + 1)); done; "
	"exit 0";

/* Orphans (and the workload) that ignore SIGTERM; ignored signals stay
 * ignored across execve(2). */
static const char STUBBORN[] =
	"trap '' TERM; (sleep 300 & (sleep 300 & wait) & wait) & "
	"exec sleep 300";

/* Each workload, ended by the host closing the channel (even _i) or
 * being killed with SIGKILL (odd _i). */
static const struct {
	const char *script;
	int processes; /* marked processes to wait for before the end */
} cases[] = {
	{ NESTED, 6 },
	{ MANY, 2000 },
	/* The workload ignores SIGTERM too: a close waits out its grace
	 * (200 ms) and then SIGKILLs it. */
	{ STUBBORN, 3 },
};

START_TEST(orphans_all_gone)
{
	run(cases[_i / 2].script, cases[_i / 2].processes, _i % 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("process/shutdown");
	TCase *tc = tcase_create("shutdown");

	linx_test_require_root();
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, orphans_all_gone, 0,
			    2 * (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
