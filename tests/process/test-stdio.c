/* SPDX-License-Identifier: MIT */
/*
 * enter (all namespaces, a subset, a bogus pid), and stdio: /dev/null, an
 * AF_UNIX listener, and the PTY (echo, `stty size` after a window-size
 * change before proceed and while running, large input without loss).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "proc-test.h"

static const char *const SLEEP_ARGV[] = { "/bin/sleep", "60", NULL };

/* A running target in fresh namespaces, for enter. */
static struct linx_process *target(struct linx_agent *a, uint32_t ns)
{
	struct linx_process *t = pt_spawn(a, ns, SLEEP_ARGV);
	struct linx_error err;

	pt_wait_stage(t, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(t, &err), &err);
	pt_wait_stage(t, LINX_PROCESS_RUNNING);
	return t;
}

static struct linx_process *enter(struct linx_agent *a, pid_t pid,
				  uint32_t ns)
{
	struct linx_spawn_options o = { .argv = SLEEP_ARGV, .namespaces = ns };
	struct linx_process *p = NULL;
	struct linx_error err;

	linx_assert_ok(linx_process_enter(a, pid, &o, &p, &err), &err);
	return p;
}

START_TEST(enter_all_namespaces)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *t = target(a, LINX_NS_NET | LINX_NS_UTS |
						   LINX_NS_PID | LINX_NS_IPC |
						   LINX_NS_MNT);
	pid_t tp = linx_process_host_pid(t, NULL), ep;
	struct linx_process *p = enter(a, tp, 0);
	struct linx_process_info info;
	struct linx_error err;
	static const char *const kinds[] = { "net", "uts", "pid", "ipc", "mnt" };

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_process_info(p, &info, NULL);
	ck_assert(info.enter);
	ep = info.host_pid;
	/* In the target's pid namespace: a small pid of its own (the
	 * target is 1), another one on the host. */
	ck_assert_int_gt(info.child_pid, 1);
	ck_assert_int_ne(info.child_pid, ep);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		ck_assert_msg(pt_ns_ino(ep, kinds[i]) == pt_ns_ino(tp, kinds[i]),
			      "%s not joined", kinds[i]);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		ck_assert(pt_ns_ino(ep, kinds[i]) == pt_ns_ino(tp, kinds[i]));
	linx_assert_ok(linx_process_signal(p, SIGKILL, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_SIGNALED);
	linx_process_free(p);
	linx_process_free(t);
	linx_agent_free(a);
}
END_TEST

START_TEST(enter_a_subset)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *t = target(a, LINX_NS_NET | LINX_NS_UTS);
	pid_t tp = linx_process_host_pid(t, NULL), ep;
	struct linx_process *p = enter(a, tp, LINX_NS_NET);
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	ep = linx_process_host_pid(p, NULL);
	ck_assert(pt_ns_ino(ep, "net") == pt_ns_ino(tp, "net"));
	ck_assert(pt_ns_ino(ep, "uts") == pt_ns_ino(getpid(), "uts"));
	ck_assert(pt_ns_ino(ep, "uts") != pt_ns_ino(tp, "uts"));
	linx_assert_ok(linx_process_abort(p, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_ABORTED);
	linx_process_free(p);
	linx_process_free(t);
	linx_agent_free(a);
}
END_TEST

START_TEST(enter_a_user_namespace)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *t = target(a, LINX_NS_USER | LINX_NS_NET);
	pid_t tp = linx_process_host_pid(t, NULL), ep;
	struct linx_process *p = enter(a, tp, 0);
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	ep = linx_process_host_pid(p, NULL);
	ck_assert(pt_ns_ino(ep, "user") == pt_ns_ino(tp, "user"));
	ck_assert(pt_ns_ino(ep, "net") == pt_ns_ino(tp, "net"));
	linx_assert_ok(linx_process_abort(p, &err), &err);
	pt_result(p);
	linx_process_free(p);
	linx_process_free(t);
	linx_agent_free(a);
}
END_TEST

START_TEST(enter_bogus_pid)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = enter(a, 99999999, 0);
	struct linx_process_event ev;

	pt_next_event(p, &ev);
	ck_assert_int_eq(ev.type, LINX_PROCESS_EV_ERROR);
	ck_assert_int_eq(ev.value, ENOENT);
	ck_assert_str_eq(ev.error.op, "open_ns_user");
	linx_process_free(p);
	/* A subset names its own first namespace. */
	p = enter(a, 99999999, LINX_NS_NET);
	ck_assert_str_eq(pt_result(p).error.op, "open_ns_net");
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(stdio_devnull)
{
	static const char *const argv[] = {
		"/bin/sh", "-c",
		"test \"$(readlink /proc/self/fd/0)\" = /dev/null && "
		"test \"$(readlink /proc/self/fd/2)\" = /dev/null",
		NULL
	};
	struct linx_spawn_options o = { .argv = argv, .auto_proceed = true };
	struct linx_agent *a = pt_agent();
	struct linx_process *p;
	struct linx_process_result res;

	for (int i = 0; i < 3; i++)
		o.stdio[i].kind = LINX_STDIO_DEVNULL;
	p = pt_spawn_opts(a, &o);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(stdio_connect_unix)
{
	static const char *const argv[] = { "/bin/echo", "hello from a workload",
					    NULL };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct linx_spawn_options o = { .argv = argv, .auto_proceed = true,
					.namespaces = LINX_NS_MNT | LINX_NS_NET };
	struct linx_agent *a;
	struct linx_process *p;
	char buf[128] = "";
	size_t got = 0;
	int lfd, cfd;

	/* The listener lives in the host's mount and network namespaces;
	 * the workload's own namespaces do not matter. */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/linx-test-%d.sock",
		 (int)getpid());
	unlink(sa.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	ck_assert(listen(lfd, 1) == 0);
	o.stdio[1] = (struct linx_stdio){ .kind = LINX_STDIO_CONNECT_UNIX,
					  .path = sa.sun_path };
	a = pt_agent();
	p = pt_spawn_opts(a, &o);
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	ck_assert_int_ge(cfd, 0);
	for (;;) {
		ssize_t n = read(cfd, buf + got, sizeof(buf) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	ck_assert_str_eq(buf, "hello from a workload\n");
	ck_assert_int_eq(pt_result(p).value, 0);
	close(cfd);
	close(lfd);
	unlink(sa.sun_path);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

static struct linx_process *pty_spawn(struct linx_agent *a,
				      const char *const *argv,
				      const struct linx_winsize *ws)
{
	struct linx_spawn_options o = { .argv = argv, .pty = true };

	if (ws)
		o.winsize = *ws;
	return pt_spawn_opts(a, &o);
}

START_TEST(pty_echo)
{
	static const char *const argv[] = { "/bin/echo", "hi", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_process_info info;
	struct linx_error err;
	char *out;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_process_info(p, &info, NULL);
	ck_assert(info.pty);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	out = pt_pty_until(p, "hi\r\n");
	/* Cooked output: LF becomes CRLF. */
	ck_assert_str_eq(out, "hi\r\n");
	free(out);
	ck_assert_int_eq(pt_result(p).value, 0);
	ck_assert_int_eq(linx_process_pty_write(p, "x", 1, &err), -ESRCH);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(pty_controlling_terminal)
{
	/* Session leader (sid == pid) with the PTY as its terminal. */
	static const char *const argv[] = {
		"/bin/sh", "-c",
		"test \"$(ps -o sid= -p $$ | tr -d ' ')\" = $$ && tty && "
		"echo leader-ok",
		NULL
	};
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_error err;
	char *out;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	out = pt_pty_until(p, "leader-ok");
	ck_assert_msg(strstr(out, "/dev/pts/") && strstr(out, "leader-ok"),
		      "output: %s", out);
	free(out);
	ck_assert_int_eq(pt_result(p).value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(pty_cat_writes)
{
	static const char *const argv[] = { "/bin/cat", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_error err;
	char *out;

	/* Input written before proceed waits in the terminal. */
	linx_assert_ok(linx_process_pty_write(p, "x", 1, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	linx_assert_ok(linx_process_pty_write(p, "hello\n", 6, &err), &err);
	/* The terminal echoes the input, then cat writes it back. */
	out = pt_pty_until(p, "xhello\r\nxhello\r\n");
	free(out);
	linx_assert_ok(linx_process_signal(p, SIGKILL, &err), &err);
	ck_assert_int_eq(pt_result(p).value, SIGKILL);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(pty_winsize_before_proceed)
{
	static const char *const argv[] = { "/bin/sh", "-c", "stty size", NULL };
	struct linx_winsize ws = { .rows = 24, .cols = 80 };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_process *q;
	struct linx_error err;
	char *out;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_pty_set_winsize(p, &ws, &err), &err);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	out = pt_pty_until(p, "\r\n");
	ck_assert_str_eq(out, "24 80\r\n");
	free(out);
	pt_result(p);
	/* The same through the spawn option. */
	ws = (struct linx_winsize){ .rows = 42, .cols = 132 };
	q = pty_spawn(a, argv, &ws);
	pt_wait_stage(q, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(q, &err), &err);
	out = pt_pty_until(q, "\r\n");
	ck_assert_str_eq(out, "42 132\r\n");
	free(out);
	pt_result(q);
	linx_process_free(p);
	linx_process_free(q);
	linx_agent_free(a);
}
END_TEST

START_TEST(pty_winsize_while_running)
{
	static const char *const argv[] = {
		"/bin/sh", "-c",
		"trap 'stty size; exit 0' WINCH; echo armed; "
		"while :; do sleep 0.05; done",
		NULL
	};
	struct linx_winsize ws = { .rows = 30, .cols = 100 };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_error err;
	char *out;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	free(pt_pty_until(p, "armed"));
	/* The kernel sends SIGWINCH to the foreground group. */
	linx_assert_ok(linx_process_pty_set_winsize(p, &ws, &err), &err);
	out = pt_pty_until(p, "30 100");
	free(out);
	ck_assert_int_eq(pt_result(p).value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(pty_large_input_without_loss)
{
	enum { N = 4 << 20 };
	static const char *const argv[] = {
		"/bin/sh", "-c",
		"stty raw -echo && echo READY && head -c 4194304 | wc -c",
		NULL
	};
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_error err;
	char *data = malloc(N), *out;

	ck_assert(data);
	for (size_t i = 0; i < N; i++)
		data[i] = (char)('a' + i % 26);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	free(pt_pty_until(p, "READY"));
	/* One call; the agent buffers what the terminal cannot take yet. */
	linx_assert_ok(linx_process_pty_write(p, data, N, &err), &err);
	out = pt_pty_until(p, "4194304");
	free(out);
	ck_assert_int_eq(pt_result(p).value, 0);
	free(data);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* Output the agent queued while the host was not reading, and what the
 * workload wrote last before it exited, all arrive: the agent stops
 * reading the terminal above its high-water mark (8 MiB queued), so the
 * workload ends with its last write waiting in the terminal. */
START_TEST(pty_output_past_the_high_water_mark_without_loss)
{
	enum { N = 24 << 20 };
	static const char *const argv[] = {
		"/bin/sh", "-c", "stty raw -echo && head -c 25165824 /dev/zero",
		NULL
	};
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pty_spawn(a, argv, NULL);
	struct linx_process_info info;
	struct linx_error err;
	size_t got = 0;
	time_t end;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	/* Not reading, then reading slowly: the agent's queue fills up,
	 * and it stops reading the terminal until the queue drains. */
	usleep(1500 * 1000);
	for (end = time(NULL) + 60;;) {
		struct linx_process_event ev;

		if (linx_process_event_next(p, &ev)) {
			if (ev.type == LINX_PROCESS_EV_PTY_OUT)
				got += ev.len;
			linx_process_event_clear(&ev);
			/* A slow reader keeps the queue at the mark. */
			usleep(1000);
			continue;
		}
		linx_process_info(p, &info, NULL);
		if (linx_process_stage_terminal(info.stage))
			break;
		ck_assert_msg(time(NULL) < end, "%zu of %d bytes", got, N);
		linx_process_wait_stage(p, LINX_PROCESS_EXITED, 100, &err);
	}
	ck_assert_int_eq(info.stage, LINX_PROCESS_EXITED);
	ck_assert_msg(got == N, "%zu of %d bytes", got, N);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(no_pty_refused)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn(a, 0, SLEEP_ARGV);
	struct linx_winsize ws = { 1, 1, 0, 0 };
	struct linx_error err;

	ck_assert_int_eq(linx_process_pty_write(p, "x", 1, &err), -ENOTTY);
	ck_assert_int_eq(linx_process_pty_set_winsize(p, &ws, &err), -ENOTTY);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("process-stdio");
	TCase *tc = tcase_create("stdio");

	linx_test_require_root();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, enter_all_namespaces);
	tcase_add_test(tc, enter_a_subset);
	tcase_add_test(tc, enter_a_user_namespace);
	tcase_add_test(tc, enter_bogus_pid);
	tcase_add_test(tc, stdio_devnull);
	tcase_add_test(tc, stdio_connect_unix);
	tcase_add_test(tc, pty_echo);
	tcase_add_test(tc, pty_controlling_terminal);
	tcase_add_test(tc, pty_cat_writes);
	tcase_add_test(tc, pty_winsize_before_proceed);
	tcase_add_test(tc, pty_winsize_while_running);
	tcase_add_test(tc, pty_large_input_without_loss);
	tcase_add_test(tc, pty_output_past_the_high_water_mark_without_loss);
	tcase_add_test(tc, no_pty_refused);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
