/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint protocol end to end, through linx-agent: every lifecycle
 * event, the terminal outcomes, buffered signals, the abort table, wait
 * with a timeout, validation before any system call, namespaces (compared
 * with /proc/<pid>/ns), and one session's failure not disturbing another.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc-test.h"

static const char *const TRUE_ARGV[] = { "/bin/true", NULL };
static const char *const SLEEP_ARGV[] = { "/bin/sleep", "60", NULL };

START_TEST(full_lifecycle_events)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, TRUE_ARGV);
	struct linx_process_event ev;
	struct linx_process_result res;
	struct linx_error err;

	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_SPAWNED);
	ck_assert_int_gt(ev.value, 0);
	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_READY);
	/* No pid namespace: the child's view is the host's. */
	ck_assert_int_eq(ev.child_pid, ev.value);
	ck_assert_int_eq(linx_process_host_pid(p, NULL), ev.value);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_expect(p, LINX_PROCESS_EV_RUNNING);
	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_EXITED);
	ck_assert_int_eq(ev.value, 0);
	/* Exactly one terminal event: nothing follows. */
	ck_assert_int_eq(linx_process_event_next(p, &ev), 0);
	/* wait works after the event was consumed, and again. */
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(exit_code_and_signal)
{
	static const char *const exit3[] = { "/bin/sh", "-c", "exit 3", NULL };
	static const char *const selfkill[] = { "/bin/sh", "-c", "kill -USR1 $$",
						NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, exit3);
	struct linx_process *q = pt_spawn(a, 0, selfkill);
	struct linx_process_result res;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	pt_wait_stage(q, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	linx_assert_ok(linx_process_proceed(q, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 3);
	res = pt_result(q);
	ck_assert_int_eq(res.stage, LINX_PROCESS_SIGNALED);
	ck_assert_int_eq(res.value, SIGUSR1);
	linx_process_free(p);
	linx_process_free(q);
	linx_agent_free(a);
}
END_TEST

START_TEST(execve_error_stage)
{
	static const char *const argv[] = { "/this/does/not/exist", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, argv);
	struct linx_process_event ev;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_expect(p, LINX_PROCESS_EV_SPAWNED);
	pt_expect(p, LINX_PROCESS_EV_READY);
	/* No "running": execve never succeeded. */
	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_ERROR);
	ck_assert_int_eq(ev.value, ENOENT);
	ck_assert_str_eq(ev.error.op, "execve");
	/* The whole error crosses both hops (child -> agent -> host), the
	 * object the child named included. */
	ck_assert_str_eq(ev.error.object, "/this/does/not/exist");
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_ERRORED);
	ck_assert_str_eq(pt_result(p).error.object, "/this/does/not/exist");
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(chdir_error_stage)
{
	struct linx_spawn_options o = { .argv = TRUE_ARGV,
					.cwd = "/nonexistent-linx-dir" };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn_opts(a, &o);
	struct linx_process_result res;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_ERRORED);
	ck_assert_int_eq(res.value, ENOENT);
	ck_assert_str_eq(res.error.op, "chdir");
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(invalid_options_refused_before_sending)
{
	static const char *const empty[] = { NULL };
	struct linx_agent *a = pt_agent();
	struct linx_spawn_options o = { .argv = empty };
	struct linx_process *p = NULL;
	struct linx_error err;
	int children = pt_count_children(linx_agent_pid(a));

	ck_assert_int_eq(linx_process_spawn(a, &o, &p, &err), -EINVAL);
	ck_assert_str_eq(err.param, "argv");
	ck_assert_ptr_null(p);
	o.argv = NULL;
	ck_assert_int_eq(linx_process_spawn(a, &o, &p, &err), -EINVAL);
	o.argv = TRUE_ARGV;
	o.namespaces = 1u << 20;
	ck_assert_int_eq(linx_process_spawn(a, &o, &p, &err), -EINVAL);
	ck_assert_str_eq(err.param, "namespaces");
	o.namespaces = 0;
	o.stdio[1].kind = LINX_STDIO_CONNECT_UNIX;
	ck_assert_int_eq(linx_process_spawn(a, &o, &p, &err), -EINVAL);
	ck_assert_str_eq(err.param, "stdio");
	ck_assert_int_eq(linx_process_spawn(NULL, &o, &p, &err), -EINVAL);
	ck_assert_int_eq(linx_process_enter(a, 0, &o, &p, &err), -EINVAL);
	/* Names: "mount" is the spec's spelling of mnt. */
	{
		uint32_t mask = 0;

		linx_assert_ok(linx_process_ns_parse("net,mount,pid", &mask,
						     &err),
			       &err);
		ck_assert_uint_eq(mask, LINX_NS_NET | LINX_NS_MNT | LINX_NS_PID);
		ck_assert_int_eq(linx_process_ns_parse("net,typo", &mask, &err),
				 -EINVAL);
		ck_assert_ptr_nonnull(strstr(err.message, "typo"));
	}
	/* Nothing was cloned. */
	ck_assert_int_eq(pt_count_children(linx_agent_pid(a)), children);
	linx_agent_free(a);
}
END_TEST

START_TEST(signals_buffered_until_running)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_process_event ev;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	/* A SIGTERM at the checkpoint does not touch the parked child... */
	linx_assert_ok(linx_process_signal(p, SIGTERM, &err), &err);
	ck_assert(!pt_pid_gone(linx_process_host_pid(p, NULL)));
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_expect(p, LINX_PROCESS_EV_SPAWNED);
	pt_expect(p, LINX_PROCESS_EV_READY);
	pt_expect(p, LINX_PROCESS_EV_RUNNING);
	/* ...it lands the moment the workload runs. */
	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_SIGNALED);
	ck_assert_int_eq(ev.value, SIGTERM);
	ck_assert_int_eq(linx_process_signal(p, SIGTERM, &err), -ESRCH);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;
	char st = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && strrchr(buf, ')'))
		st = strrchr(buf, ')')[2];
	fclose(f);
	return st;
}

START_TEST(buffered_signals_keep_their_order)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_process *q = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_error err;
	pid_t pp, qp;

	pt_wait_stage(p, LINX_PROCESS_READY);
	pt_wait_stage(q, LINX_PROCESS_READY);
	pp = linx_process_host_pid(p, NULL);
	qp = linx_process_host_pid(q, NULL);
	/* CONT then STOP leaves a workload stopped; STOP then CONT leaves
	 * it running: only in-order delivery gives both results. */
	linx_assert_ok(linx_process_signal(p, SIGCONT, &err), &err);
	linx_assert_ok(linx_process_signal(p, SIGSTOP, &err), &err);
	linx_assert_ok(linx_process_signal(q, SIGSTOP, &err), &err);
	linx_assert_ok(linx_process_signal(q, SIGCONT, &err), &err);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	linx_assert_ok(linx_process_proceed(q, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	pt_wait_stage(q, LINX_PROCESS_RUNNING);
	for (int i = 0; i < 2000 && proc_state(pp) != 'T'; i++)
		usleep(5000);
	ck_assert_int_eq(proc_state(pp), 'T');
	ck_assert_int_ne(proc_state(qp), 'T');
	linx_assert_ok(linx_process_signal(p, SIGKILL, &err), &err);
	linx_assert_ok(linx_process_signal(q, SIGKILL, &err), &err);
	ck_assert_int_eq(pt_result(p).value, SIGKILL);
	ck_assert_int_eq(pt_result(q).value, SIGKILL);
	linx_process_free(p);
	linx_process_free(q);
	linx_agent_free(a);
}
END_TEST

START_TEST(abort_table)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p, *q, *r;
	struct linx_process_event ev;
	struct linx_process_result res;
	struct linx_error err;
	pid_t pid;

	/* At ready: immediate; the child never runs. */
	p = pt_spawn(a, 0, SLEEP_ARGV);
	pt_wait_stage(p, LINX_PROCESS_READY);
	pid = linx_process_host_pid(p, NULL);
	linx_assert_ok(linx_process_abort(p, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_ABORTED);
	ck_assert(pt_wait_gone(pid));
	pt_expect(p, LINX_PROCESS_EV_SPAWNED);
	pt_expect(p, LINX_PROCESS_EV_READY);
	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_ABORTED);
	/* Already terminal: no_process. */
	ck_assert_int_eq(linx_process_abort(p, &err), -ESRCH);
	ck_assert_int_eq(linx_process_proceed(p, &err), -ESRCH);

	/* Before ready: buffered, fires at the checkpoint. */
	q = pt_spawn(a, 0, SLEEP_ARGV);
	linx_assert_ok(linx_process_abort(q, &err), &err);
	ck_assert_int_eq(pt_result(q).stage, LINX_PROCESS_ABORTED);

	/* Running: refused, the workload is untouched. */
	r = pt_spawn(a, 0, SLEEP_ARGV);
	pt_wait_stage(r, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(r, &err), &err);
	ck_assert_int_eq(linx_process_abort(r, &err), -EBUSY);
	pt_wait_stage(r, LINX_PROCESS_RUNNING);
	ck_assert_int_eq(linx_process_abort(r, &err), -EBUSY);
	ck_assert(!pt_pid_gone(linx_process_host_pid(r, NULL)));
	linx_assert_ok(linx_process_signal(r, SIGKILL, &err), &err);
	ck_assert_int_eq(pt_result(r).stage, LINX_PROCESS_SIGNALED);

	linx_process_free(p);
	linx_process_free(q);
	linx_process_free(r);
	linx_agent_free(a);
}
END_TEST

START_TEST(wait_with_timeout)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_process_result res;
	struct linx_error err;

	/* Before anything was read: the host pid is not known yet. */
	ck_assert_int_eq(linx_process_host_pid(p, &err), -EAGAIN);
	ck_assert_int_eq(linx_process_proceed(p, &err), -EAGAIN);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(linx_process_proceed(p, &err), -EALREADY);
	ck_assert_int_eq(linx_process_wait(p, 100, &res, &err), -ETIMEDOUT);
	/* The session is not affected by the timeout. */
	linx_assert_ok(linx_process_signal(p, SIGKILL, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_SIGNALED);
	ck_assert_int_eq(res.value, SIGKILL);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(info_snapshot)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, LINX_NS_PID, TRUE_ARGV);
	struct linx_process_info info;
	struct linx_error err;

	linx_assert_ok(linx_process_info(p, &info, &err), &err);
	ck_assert_int_eq(info.stage, LINX_PROCESS_STARTING);
	ck_assert(!info.enter);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_info(p, &info, &err), &err);
	ck_assert_int_eq(info.stage, LINX_PROCESS_READY);
	/* pid 1 inside its own pid namespace, another number outside. */
	ck_assert_int_eq(info.child_pid, 1);
	ck_assert_int_gt(info.host_pid, 1);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_result(p);
	linx_assert_ok(linx_process_info(p, &info, &err), &err);
	ck_assert_int_eq(info.stage, LINX_PROCESS_EXITED);
	ck_assert(info.has_result);
	ck_assert_str_eq(linx_process_stage_name(info.stage), "exited");
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(every_namespace_kind)
{
	static const char *const kinds[] = { "net", "mnt", "pid", "uts",
					     "ipc", "user", "cgroup", "time" };
	struct linx_agent *a = pt_agent();
	struct linx_process *p;
	struct linx_error err;
	pid_t pid;

	linx_test_require(pt_ns_ino(getpid(), "time") != 0,
			  "this kernel has no time namespaces");
	p = pt_spawn(a, LINX_NS_ALL, SLEEP_ARGV);
	pt_wait_stage(p, LINX_PROCESS_READY);
	pid = linx_process_host_pid(p, NULL);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		/* A parked child of a new time namespace shows it as
		 * time_for_children until it execs; either differs. */
		const char *k = kinds[i];
		unsigned long mine = pt_ns_ino(getpid(), k);
		unsigned long its = pt_ns_ino(pid, k);

		if (strcmp(k, "time") == 0 && its == mine)
			its = pt_ns_ino(pid, "time_for_children");
		ck_assert_msg(its != 0 && its != mine,
			      "namespace %s not fresh", k);
	}
	linx_assert_ok(linx_process_abort(p, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_ABORTED);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(failure_isolated_to_its_session)
{
	static const char *const bad[] = { "/nonexistent", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *good = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_process *p = pt_spawn(a, 0, bad);
	struct linx_process *q;
	struct linx_error err;
	struct linx_spawn_options o = { .argv = TRUE_ARGV,
					.stdio[0] = { .kind =
							      LINX_STDIO_CONNECT_UNIX,
						      .path = "/nonexistent.sock" } };

	pt_wait_stage(good, LINX_PROCESS_READY);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_ERRORED);
	/* A failure before clone (stdio) is an error event too. */
	q = pt_spawn_opts(a, &o);
	ck_assert_int_eq(pt_result(q).stage, LINX_PROCESS_ERRORED);
	linx_process_info(q, &(struct linx_process_info){ 0 }, NULL);
	{
		struct linx_process_result r = pt_result(q);

		ck_assert_str_eq(r.error.op, "stdio");
		ck_assert_int_eq(r.value, ENOENT);
	}
	/* The parked one never noticed. */
	linx_assert_ok(linx_process_proceed(good, &err), &err);
	pt_wait_stage(good, LINX_PROCESS_RUNNING);
	linx_assert_ok(linx_process_signal(good, SIGKILL, &err), &err);
	ck_assert_int_eq(pt_result(good).stage, LINX_PROCESS_SIGNALED);
	linx_process_free(good);
	linx_process_free(p);
	linx_process_free(q);
	linx_agent_free(a);
}
END_TEST

START_TEST(env_and_cwd_applied)
{
	static const char *const argv[] = {
		"/bin/sh", "-c",
		"test \"$(pwd)\" = / && test \"$LINX_T\" = yes && "
		"test -z \"$HOME\"",
		NULL
	};
	static const char *const env[] = { "LINX_T=yes", "PATH=/bin:/usr/bin",
					   NULL };
	struct linx_spawn_options o = { .argv = argv, .env = env, .cwd = "/" };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn_opts(a, &o);
	struct linx_process_result res;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(auto_proceed_and_no_new_privs)
{
	static const char *const argv[] = {
		"/bin/sh", "-c", "grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status",
		NULL
	};
	struct linx_spawn_options o = { .argv = argv, .auto_proceed = true,
					.no_new_privs = true };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn_opts(a, &o);
	struct linx_process_result res = pt_result(p);

	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* Waiting without a deadline sleeps in recv(2); an event loop may have
 * made the descriptor non-blocking, and waiting must still work. */
START_TEST(wait_on_a_nonblocking_channel)
{
	struct linx_agent *a = pt_agent();
	int fd = linx_agent_fd(a);
	struct linx_process *p;
	struct linx_process_result res;
	struct linx_error err;

	ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
	p = pt_spawn(a, 0, TRUE_ARGV);
	ck_assert_int_eq(linx_process_wait_stage(p, LINX_PROCESS_READY, -1, &err),
			 LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	linx_assert_ok(linx_process_wait(p, -1, &res, &err), &err);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* The agent blocks the signals it reads through a signalfd, and SIGPIPE:
 * none of that may reach the workload (both would survive execve). */
START_TEST(workload_gets_default_signal_state)
{
	static const char *const argv[] = {
		"/usr/bin/awk",
		"/^Sig(Blk|Ign):/ && $2 != \"0000000000000000\" { bad = 1 } "
		"END { exit bad }",
		"/proc/self/status", NULL
	};
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, argv);
	struct linx_process_result res;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* sched_attr up to SCHED_ATTR_SIZE_VER1 (sched_getattr(2)). */
struct sattr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

static struct sattr sched_attr_of(pid_t pid)
{
	struct sattr a;

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(syscall(SYS_sched_getattr, pid, &a, sizeof(a), 0), 0);
	return a;
}

/* The agent asks for a short scheduling slice (agent/slice.c); the
 * workload must get the host's back, and keep a nice value the host gave
 * the parked child. */
START_TEST(workload_gets_host_scheduling)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, SLEEP_ARGV);
	struct sattr host = sched_attr_of(0), agent, work;
	struct linx_error err;
	pid_t pid;

	agent = sched_attr_of(linx_agent_pid(a));
	ck_assert_int_eq(agent.nice, host.nice);
	/* 0.1 ms where the kernel has custom slices (6.12+). */
	ck_assert(agent.runtime == host.runtime || agent.runtime == 100000);
	pt_wait_stage(p, LINX_PROCESS_READY);
	pid = linx_process_host_pid(p, NULL);
	ck_assert_int_eq(setpriority(PRIO_PROCESS, (id_t)pid, host.nice + 3), 0);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	work = sched_attr_of(pid);
	ck_assert_uint_eq(work.runtime, host.runtime);
	ck_assert_int_eq(work.nice, host.nice + 3);
	ck_assert_uint_eq(work.policy, host.policy);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(free_kills_a_live_session)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_process *q = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_error err;
	pid_t pp, qp;

	pt_wait_stage(p, LINX_PROCESS_READY);
	pt_wait_stage(q, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(q, &err), &err);
	pt_wait_stage(q, LINX_PROCESS_RUNNING);
	pp = linx_process_host_pid(p, NULL);
	qp = linx_process_host_pid(q, NULL);
	linx_process_free(p);
	linx_process_free(q);
	ck_assert(pt_wait_gone(pp));
	ck_assert(pt_wait_gone(qp));
	linx_agent_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("process-lifecycle");
	TCase *tc = tcase_create("lifecycle");

	linx_test_require_root();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, full_lifecycle_events);
	tcase_add_test(tc, exit_code_and_signal);
	tcase_add_test(tc, execve_error_stage);
	tcase_add_test(tc, chdir_error_stage);
	tcase_add_test(tc, invalid_options_refused_before_sending);
	tcase_add_test(tc, signals_buffered_until_running);
	tcase_add_test(tc, buffered_signals_keep_their_order);
	tcase_add_test(tc, abort_table);
	tcase_add_test(tc, wait_with_timeout);
	tcase_add_test(tc, info_snapshot);
	tcase_add_test(tc, every_namespace_kind);
	tcase_add_test(tc, failure_isolated_to_its_session);
	tcase_add_test(tc, env_and_cwd_applied);
	tcase_add_test(tc, auto_proceed_and_no_new_privs);
	tcase_add_test(tc, wait_on_a_nonblocking_channel);
	tcase_add_test(tc, workload_gets_default_signal_state);
	tcase_add_test(tc, workload_gets_host_scheduling);
	tcase_add_test(tc, free_kills_a_live_session);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
