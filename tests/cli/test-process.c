/* SPDX-License-Identifier: MIT */
/*
 * `linx spawn` / `linx enter` end to end: exit statuses, and the headline
 * composition - a fresh user/pid/net namespace, mapped root, a reduced
 * capability set and a seccomp filter - observed from outside through
 * /proc and getpcaps while the workload runs.
 */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linx-test.h"

#if !defined(CLI) || !defined(PROBE)
#error CLI and PROBE must be defined
#endif

static int run(const char *args)
{
	int status;
	char *out = linx_test_sh(&status, "%s %s", CLI, args);

	free(out);
	return status;
}

static int run_fmt(const char *fmt, ...) LINX_PRINTF(1, 2);
static int run_fmt(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return run(buf);
}

START_TEST(exit_statuses)
{
	ck_assert_int_eq(run("spawn -- /bin/sh -c 'exit 7'"), 7);
	ck_assert_int_eq(run("spawn -- /bin/sh -c 'kill -TERM $$'"), 128 + 15);
	ck_assert_int_eq(run("spawn -- /nonexistent 2>/dev/null"), 125);
	ck_assert_int_eq(run("spawn --ns typo -- /bin/true 2>/dev/null"), 2);
	ck_assert_int_eq(run("spawn 2>/dev/null"), 2);
	ck_assert_int_eq(run("spawn --caps-keep bogus -- /bin/true 2>/dev/null"),
			 125);
	ck_assert_int_eq(run("spawn --seccomp-deny nosuchcall -- /bin/true "
			     "2>/dev/null"),
			 125);
	/* Inside: root, pid 1, its own hostname space. */
	ck_assert_int_eq(run("spawn --ns user,pid,uts,mount --uid-map 0:0:1 -- "
			     "/bin/sh -c 'test $(id -u) = 0 && test $$ = 1'"),
			 0);
	/* A denied syscall gets its errno. */
	ck_assert_int_eq(run("spawn --seccomp-deny mkdir --seccomp-errno eacces "
			     "-- /bin/mkdir /tmp/linx-cli-denied 2>/dev/null"),
			 1);
	ck_assert_int_ne(access("/tmp/linx-cli-denied", F_OK), 0);
}
END_TEST

/*
 * The command forks its agent rather than exec'ing linx-agent
 * (bindings/cli/agent-fork.c).  The fork starts from the CLI's own state,
 * which ignores SIGPIPE: the workload must still get every signal at its
 * default and none blocked.  The agent must be reaped, not orphaned (we
 * are a subreaper here, so an orphan would come to us).  $LINX_AGENT
 * still names a program to exec instead.
 */
START_TEST(forked_agent)
{
	int st;

	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	ck_assert_int_eq(
		run("spawn -- /usr/bin/awk '/^Sig(Blk|Ign):/ && "
		    "$2 != \"0000000000000000\" { bad = 1 } END { exit bad }' "
		    "/proc/self/status"),
		0);
	ck_assert_int_eq(run("spawn --ns mount,pid -- /bin/true"), 0);
	ck_assert_int_eq(waitpid(-1, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	{
		char *out = linx_test_sh(&st, "LINX_AGENT=/nonexistent %s "
					      "spawn -- /bin/true 2>&1",
					 CLI);

		ck_assert_int_eq(st, 125);
		ck_assert_msg(strstr(out, "/nonexistent"), "%s", out);
		free(out);
	}
}
END_TEST

/* A restricting flag whose list names nothing is a usage error: the
 * workload never runs (it would otherwise run unrestricted). */
START_TEST(empty_restriction_lists_are_usage_errors)
{
	static const char *const flags[] = {
		"--seccomp-deny ''",	"--seccomp-deny ,",
		"--seccomp-deny ' '",	"--seccomp-deny read,",
		"--seccomp-allow ''",	"--seccomp-allow read,,write",
		"--caps-drop ''",	"--caps-drop ,",
		"--caps-keep ''",	"--uid-map ''",
		"--gid-map ,",		"--ns ''",
	};
	char marker[] = "/tmp/linx-cli-failopen-XXXXXX";
	int fd = mkstemp(marker);

	ck_assert_int_ge(fd, 0);
	close(fd);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		unlink(marker);
		ck_assert_msg(run_fmt("spawn %s -- /bin/touch %s 2>/dev/null",
				      flags[i], marker) == 2,
			      "%s is not a usage error", flags[i]);
		ck_assert_msg(access(marker, F_OK) != 0,
			      "the workload ran with %s", flags[i]);
	}
}
END_TEST

START_TEST(seccomp_allow_list)
{
	/* What the static probe needs to start and exit (execve is added by
	 * the CLI); getpid is not in it. */
	const char *list = "brk,arch_prctl,set_tid_address,set_robust_list,"
			   "rseq,prlimit64,readlinkat,readlink,getrandom,"
			   "mprotect,uname,exit_group,exit,mmap,munmap,"
			   "newfstatat,fstat,write";

	ck_assert_int_eq(run_fmt("spawn --seccomp-allow %s -- %s ok", list,
				 PROBE),
			 0);
	ck_assert_int_eq(run_fmt("spawn --seccomp-allow %s -- %s native", list,
				 PROBE),
			 128 + SIGSYS);
}
END_TEST

START_TEST(pty_relay)
{
	int status;
	char *out = linx_test_sh(&status, "echo hello | %s spawn --pty -- "
					  "/bin/sh -c 'read x; echo got-$x'",
				 CLI);

	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "got-hello"), "output: %s", out);
	free(out);
}
END_TEST

/* Read the terminal's master side until `want` has appeared in what it
 * printed (the buffer accumulates across calls); false on EOF/timeout. */
static bool pty_read_until(int master, char *buf, size_t cap, size_t *len,
			   const char *want)
{
	while (!strstr(buf, want)) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 10000) <= 0 || *len + 1 >= cap)
			return false;
		n = read(master, buf + *len, cap - 1 - *len);
		if (n <= 0)
			return false;
		*len += (size_t)n;
		buf[*len] = 0;
	}
	return true;
}

/* --pty on a real terminal: the workload starts with our size and follows
 * it when our terminal is resized (SIGWINCH relayed to its PTY). */
START_TEST(pty_follows_our_window_size)
{
	struct winsize small = { .ws_row = 24, .ws_col = 80 };
	struct winsize big = { .ws_row = 50, .ws_col = 132 };
	char buf[65536] = "";
	size_t len = 0;
	bool resized = false;
	int master, status;
	pid_t cli;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(master, 0);
	ck_assert(grantpt(master) == 0 && unlockpt(master) == 0);
	ck_assert(ioctl(master, TIOCSWINSZ, &small) == 0);
	cli = fork();
	ck_assert_int_ge(cli, 0);
	if (cli == 0) {
		/* The CLI as session leader on the terminal, so a resize
		 * signals it. */
		int slave;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			_exit(126);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		execl(CLI, CLI, "spawn", "--pty", "--", "/bin/sh", "-c",
		      "stty size; while read x; do stty size; done", (char *)0);
		_exit(127);
	}
	ck_assert_msg(pty_read_until(master, buf, sizeof(buf), &len, "24 80"),
		      "before the resize: %s", buf);
	ck_assert(ioctl(master, TIOCSWINSZ, &big) == 0);
	/* Each line we type makes the workload print its size again; the
	 * resize is relayed before the line, so one should do. */
	for (int i = 0; i < 3 && !resized; i++) {
		ck_assert(write(master, "x\r", 2) == 2);
		resized = pty_read_until(master, buf, sizeof(buf), &len,
					 "50 132");
	}
	ck_assert_msg(resized, "after the resize: %s", buf);
	/* ^D ends the workload's loop (its PTY is in canonical mode). */
	ck_assert(write(master, "\x04", 1) == 1);
	ck_assert_int_eq(waitpid(cli, &status, 0), cli);
	close(master);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* Start the CLI with -v; return its pid and the workload's host pid. */
static pid_t start_cli(const char *const *argv, pid_t *ret_workload)
{
	int fds[2];
	pid_t cli;
	FILE *f;
	char line[256];

	ck_assert(pipe(fds) == 0);
	cli = fork();
	ck_assert_int_ge(cli, 0);
	if (cli == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(CLI, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	*ret_workload = 0;
	while (fgets(line, sizeof(line), f)) {
		int pid;

		if (sscanf(line, "linx: workload parked: host pid %d", &pid) == 1)
			*ret_workload = pid;
		if (strncmp(line, "linx: released", 14) == 0)
			break;
		ck_assert_msg(strncmp(line, "linx: workload", 14) == 0,
			      "CLI says: %s", line);
	}
	fclose(f);
	ck_assert_int_gt(*ret_workload, 0);
	return cli;
}

static char *proc_file(pid_t pid, const char *name)
{
	int status;

	return linx_test_sh(&status, "cat /proc/%d/%s", (int)pid, name);
}

START_TEST(headline_observed_from_outside)
{
	static const char *const argv[] = {
		CLI, "spawn", "-v", "--ns", "user,pid,net", "--uid-map", "0:0:1",
		"--caps-keep", "net_bind_service", "--seccomp-deny",
		"ptrace,kexec_load", "--no-new-privs", "--", "/bin/sleep", "60",
		NULL
	};
	pid_t cli, pid;
	char *s, *out;
	int status;
	bool execd = false;

	linx_test_require(linx_test_have("getpcaps"), "getpcaps missing");
	cli = start_cli(argv, &pid);
	for (int i = 0; i < 2000 && !execd; i++) {
		s = proc_file(pid, "comm");
		execd = strcmp(s, "sleep\n") == 0;
		free(s);
		if (!execd)
			usleep(5000);
	}
	ck_assert(execd);
	/* Identity: root inside is our uid outside. */
	s = proc_file(pid, "uid_map");
	ck_assert_msg(strstr(s, "0") && sscanf(s, "%*u %*u %d", &status) == 1 &&
			      status == 1,
		      "uid_map: %s", s);
	free(s);
	/* Namespaces: fresh user, pid and net. */
	out = linx_test_sh(&status, "for k in user pid net; do "
				    "test $(readlink /proc/%d/ns/$k) != "
				    "$(readlink /proc/self/ns/$k) || echo same-$k; "
				    "done",
			   (int)pid);
	ck_assert_str_eq(out, "");
	free(out);
	/* Privileges: only cap_net_bind_service, as getpcaps sees it. */
	out = linx_test_sh(&status, "getpcaps %d", (int)pid);
	ck_assert_msg(strstr(out, "cap_net_bind_service=ep") &&
			      !strstr(out, "sys_admin"),
		      "getpcaps: %s", out);
	free(out);
	s = proc_file(pid, "status");
	ck_assert_ptr_nonnull(strstr(s, "CapBnd:\t0000000000000400"));
	/* Syscalls: a filter is on, with no_new_privs. */
	ck_assert_ptr_nonnull(strstr(s, "Seccomp:\t2"));
	ck_assert_ptr_nonnull(strstr(s, "NoNewPrivs:\t1"));
	free(s);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(cli, &status, 0), cli);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 128 + SIGKILL);
}
END_TEST

START_TEST(enter_a_running_workload)
{
	static const char *const argv[] = { CLI, "spawn", "-v", "--ns", "net,uts",
					    "--", "/bin/sleep", "60", NULL };
	pid_t cli, pid;
	char cmd[512];
	int status;

	cli = start_cli(argv, &pid);
	/* Only lo in there: the target's network namespace. */
	snprintf(cmd, sizeof(cmd),
		 "enter %d -- /bin/sh -c 'test $(ip -o link | wc -l) = 1 "
		 "&& test $(readlink /proc/self/ns/net) = "
		 "$(readlink /proc/%d/ns/net)'",
		 (int)pid, (int)pid);
	ck_assert_int_eq(run(cmd), 0);
	/* --ns narrows it: the uts namespace stays ours. */
	snprintf(cmd, sizeof(cmd), "enter %d --ns net -- /bin/sh -c "
				   "'test $(readlink /proc/self/ns/uts) = "
				   "$(readlink /proc/%d/ns/uts)'",
		 (int)pid, (int)getpid());
	ck_assert_int_eq(run(cmd), 0);
	ck_assert_int_eq(run("enter 99999999 -- /bin/true 2>/dev/null"), 125);
	kill(pid, SIGKILL);
	waitpid(cli, &status, 0);
}
END_TEST

/* Resources and tunables decided at the checkpoint: the workload sees its
 * own hostname and sysctl, runs in the cgroup it was given, and the cgroup
 * spawn created is gone afterwards. */
START_TEST(cgroup_and_sysctls_at_checkpoint)
{
	const char *root = linx_test_mount_cgroup2();
	char cg[256], *out;
	int status;

	snprintf(cg, sizeof(cg), "%s/linx-spawn-%d", root, (int)getpid());
	out = linx_test_sh(&status,
			   "%s spawn --ns uts,net,mount --hostname ckpt "
			   "--sysctl net.ipv4.ip_forward=1 --cgroup %s -- "
			   "/bin/sh -c 'cat /proc/sys/kernel/hostname "
			   "/proc/sys/net/ipv4/ip_forward; grep ^0:: "
			   "/proc/self/cgroup'",
			   CLI, cg);
	ck_assert_msg(status == 0, "spawn failed: %s", out);
	ck_assert_msg(strstr(out, "ckpt\n1\n0::/linx-spawn-"), "output: %s",
		      out);
	free(out);
	ck_assert_msg(access(cg, F_OK) != 0, "%s was not removed", cg);
}
END_TEST

/* A sysctl the workload would share with us is refused before anything
 * is written, and so is a global one. */
START_TEST(sysctl_shared_namespace_refused)
{
	char before[64], after[64], *out;
	int status;
	FILE *f;

	linx_test_private_netns();
	f = fopen("/proc/sys/net/ipv4/ip_forward", "re");
	ck_assert(f && fgets(before, sizeof(before), f));
	fclose(f);
	out = linx_test_sh(&status, "%s spawn --sysctl net.ipv4.ip_forward=%c "
				    "-- /bin/true 2>&1",
			   CLI, before[0] == '1' ? '0' : '1');
	ck_assert_int_eq(status, 125);
	ck_assert_msg(strstr(out, "add --ns net"), "%s", out);
	free(out);
	f = fopen("/proc/sys/net/ipv4/ip_forward", "re");
	ck_assert(f && fgets(after, sizeof(after), f));
	fclose(f);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(run("spawn --ns net --sysctl vm.swappiness=1 -- "
			     "/bin/true 2>/dev/null"),
			 125);
	ck_assert_int_eq(run("spawn --memory-max 1 -- /bin/true 2>/dev/null"),
			 2);
}
END_TEST

/* Network decided at the checkpoint: an interface moved in from our
 * namespace, addressed and up, with a default route - as ip(8) inside the
 * workload sees it.  Without a network namespace of its own it is refused:
 * that would reconfigure ours. */
START_TEST(network_at_checkpoint)
{
	char *out;
	int status;

	linx_test_private_netns();
	out = linx_test_sh(&status, "ip link add host0 type veth peer name "
				    "ct0 && ip addr add 10.0.0.1/24 dev host0 "
				    "&& ip link set host0 up");
	ck_assert_int_eq(status, 0);
	free(out);
	out = linx_test_sh(&status,
			   "%s spawn --ns net,mount --link ct0 --ip "
			   "ct0=10.0.0.5/24 --gateway 10.0.0.1 -- /bin/sh -c "
			   "'ip -j -4 addr show dev ct0 | jq -r "
			   "\".[0].operstate, .[0].addr_info[0].local, "
			   ".[0].addr_info[0].prefixlen\"; ip -j route show "
			   "default | jq -r \".[0].gateway\"; ip -j link show "
			   "lo | jq -r \".[0].flags | index(\\\"UP\\\") != "
			   "null\"'",
			   CLI);
	ck_assert_msg(status == 0, "spawn failed: %s", out);
	ck_assert_str_eq(out, "UP\n10.0.0.5\n24\n10.0.0.1\ntrue\n");
	free(out);
	/* ct0 left our namespace, and when the workload's namespace died
	 * with it the kernel took the whole veth pair: nothing is left (the
	 * kernel dismantles namespaces asynchronously, hence the wait). */
	ck_assert_int_ne(system("ip link show ct0 >/dev/null 2>&1"), 0);
	for (int i = 0; i < 100; i++) {
		if (system("ip link show host0 >/dev/null 2>&1") != 0)
			break;
		usleep(50 * 1000);
	}
	ck_assert_int_ne(system("ip link show host0 >/dev/null 2>&1"), 0);
	ck_assert_int_eq(run("spawn --ip ct0=10.0.0.6/24 -- /bin/true "
			     "2>/dev/null"),
			 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-process");
	TCase *tc = tcase_create("cli");

	linx_test_require_root();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exit_statuses);
	tcase_add_test(tc, forked_agent);
	tcase_add_test(tc, empty_restriction_lists_are_usage_errors);
	tcase_add_test(tc, seccomp_allow_list);
	tcase_add_test(tc, pty_relay);
	tcase_add_test(tc, pty_follows_our_window_size);
	tcase_add_test(tc, headline_observed_from_outside);
	tcase_add_test(tc, enter_a_running_workload);
	tcase_add_test(tc, cgroup_and_sysctls_at_checkpoint);
	tcase_add_test(tc, sysctl_shared_namespace_refused);
	tcase_add_test(tc, network_at_checkpoint);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
