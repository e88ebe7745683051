/* SPDX-License-Identifier: MIT */
/*
 * The attach loop (linx_tty_attach) between a pseudo-terminal the test
 * owns and PTY workloads run by the agent.  A child makes the test's pty
 * its controlling terminal and attaches with the defaults (/dev/tty, raw);
 * the test types on the master side and reads what the workload printed,
 * and watches the terminal's modes through the master:
 *   raw while attached, restored exactly after an exit, a SIGTERM, a
 *   crash (SIGSEGV) and a detach; the window size seeded and followed
 *   (SIGWINCH) with the caller's own handler and mask untouched; the
 *   detach keys split across reads, a held prefix forwarded, detaching
 *   disabled, detach and attach again; refusals; and `linx spawn --pty
 *   --detach-keys`.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linx/tty.h>

#include "proc-test.h"
#include "tty-test.h"

#define W_LINES                                                              \
	"stty -ixon; echo ready; while read x; do printf %s \"$x\" | "        \
	"od -An -tx1; done; echo bye"

struct attach_case {
	const char *const *argv;
	int attaches;
	bool keys_disabled;
	bool check_signals;
};

enum { REP_PID = 1, REP_ATTACH, REP_SIGNALS };

struct report {
	int32_t kind, r;
	uint32_t how;
	int32_t value;
	int32_t extra;
	char op[LINX_ERROR_OP_MAX];
};

static int rep[2], go[2];
static atomic_int winch_count;

static void count_winch(int sig)
{
	(void)sig;
	atomic_fetch_add(&winch_count, 1);
}

static void send_report(const struct report *r)
{
	(void)!write(rep[1], r, sizeof(*r));
}

static bool signals_as_before(const sigset_t *mask_before)
{
	struct sigaction now;
	sigset_t mask;

	sigaction(SIGWINCH, NULL, &now);
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&mask, s) != sigismember(mask_before, s))
			return false;
	return !(now.sa_flags & SA_SIGINFO) && now.sa_handler == count_winch;
}

/* The child: session leader on the test's pty.  Start a PTY workload,
 * report its pid, attach as many times as asked, report each result. */
static int attach_child(void *arg)
{
	const struct attach_case *c = arg;
	struct linx_spawn_options so = { .argv = c->argv, .pty = true };
	struct report rp = { .kind = REP_PID };
	struct linx_agent *a = NULL;
	struct linx_process *p = NULL;
	struct linx_error err;
	sigset_t before;

	if (linx_agent_start(&a, NULL, &err) < 0 ||
	    linx_process_spawn(a, &so, &p, &err) < 0 ||
	    linx_process_wait_stage(p, LINX_PROCESS_READY, 20000, &err) !=
		    LINX_PROCESS_READY ||
	    linx_process_proceed(p, &err) < 0)
		return 20;
	rp.value = linx_process_host_pid(p, NULL);
	send_report(&rp);
	if (c->check_signals) {
		struct sigaction sa = { .sa_handler = count_winch };
		sigset_t block;

		sigemptyset(&sa.sa_mask);
		sigaction(SIGWINCH, &sa, NULL);
		sigemptyset(&block);
		sigaddset(&block, SIGWINCH);
		sigaddset(&block, SIGUSR2);
		pthread_sigmask(SIG_BLOCK, &block, NULL);
		pthread_sigmask(SIG_SETMASK, NULL, &before);
	}
	for (int i = 0; i < c->attaches; i++) {
		struct linx_tty_attach_opts o;
		struct linx_tty_attach_result res = { 0 };

		/* Again only when the test has looked at the terminal. */
		if (i > 0 && read(go[0], &rp, 1) != 1)
			return 21;
		linx_tty_attach_opts_init(&o);
		if (c->keys_disabled)
			o.detach_keys = NULL;
		memset(&err, 0, sizeof(err));
		rp = (struct report){ .kind = REP_ATTACH };
		rp.r = linx_tty_attach(a, p, &o, &res, &err);
		rp.how = res.how;
		rp.value = res.value;
		memcpy(rp.op, err.op, sizeof(rp.op));
		send_report(&rp);
	}
	if (c->check_signals) {
		rp = (struct report){ .kind = REP_SIGNALS };
		rp.r = signals_as_before(&before);
		rp.value = atomic_load(&winch_count);
		send_report(&rp);
	}
	linx_process_free(p);
	linx_agent_free(a);
	return 0;
}

static struct report next_report(int kind)
{
	struct pollfd pfd = { .fd = rep[0], .events = POLLIN };
	struct report r;

	ck_assert_msg(poll(&pfd, 1, 20000) == 1, "no report (kind %d)", kind);
	ck_assert_int_eq(read(rep[0], &r, sizeof(r)), sizeof(r));
	ck_assert_int_eq(r.kind, kind);
	return r;
}

struct run {
	struct test_pty t;
	struct termios before;
	pid_t child, workload;
	char buf[65536];
	size_t len;
};

static void start(struct run *run, struct attach_case *c)
{
	memset(run, 0, sizeof(*run));
	tp_open(&run->t);
	ck_assert(pipe2(rep, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
	run->before = tp_termios(&run->t);
	ck_assert(!tp_is_raw(&run->before));
	run->child = tp_fork_ctty(&run->t, attach_child, c);
	run->workload = next_report(REP_PID).value;
	ck_assert_int_gt(run->workload, 0);
}

static void expect_output(struct run *run, const char *want)
{
	struct pollfd pfd = { .fd = rep[0], .events = POLLIN };
	struct report r = { 0 };

	if (tp_read_until(run->t.master, run->buf, sizeof(run->buf),
			  &run->len, want))
		return;
	/* Say why: an attach that ended early has reported. */
	if (poll(&pfd, 1, 0) == 1 && read(rep[0], &r, sizeof(r)) == sizeof(r))
		ck_abort_msg("waiting for \"%s\", got: %s (report %d: r=%d "
			     "how=%u value=%d op=%s)", want, run->buf, r.kind,
			     r.r, r.how, r.value, r.op);
	ck_abort_msg("waiting for \"%s\", got: %s", want, run->buf);
}

static void type(struct run *run, const char *s)
{
	ck_assert_int_eq(write(run->t.master, s, strlen(s)), strlen(s));
}

static void expect_attach(struct run *run, uint32_t how, int value)
{
	(void)run;
	struct report r = next_report(REP_ATTACH);

	ck_assert_msg(r.r == 0, "attach: %d (%s)", r.r, r.op);
	ck_assert_uint_eq(r.how, how);
	if (how != LINX_TTY_ATTACH_DETACHED)
		ck_assert_int_eq(r.value, value);
}

static void expect_restored(struct run *run)
{
	struct termios now = tp_termios(&run->t);

	ck_assert(tp_termios_equal(&run->before, &now));
}

static void finish(struct run *run)
{
	ck_assert_int_eq(tp_wait_child(run->child), 0);
	expect_restored(run);
	close(run->t.master);
	close(rep[0]);
	close(rep[1]);
	close(go[0]);
	close(go[1]);
}

#define SH(script) ((const char *const[]){ "/bin/sh", "-c", script, NULL })

START_TEST(raw_while_attached_restored_after_exit)
{
	struct attach_case c = {
		.argv = SH("echo ready; read x; echo got-$x; exit 7"),
		.attaches = 1,
	};
	struct run run;
	struct termios during;

	start(&run, &c);
	expect_output(&run, "ready");
	during = tp_termios(&run.t);
	ck_assert(tp_is_raw(&during));
	type(&run, "hi\r");
	expect_output(&run, "got-hi");
	expect_attach(&run, LINX_TTY_ATTACH_EXITED, 7);
	finish(&run);
}
END_TEST

START_TEST(restored_after_sigterm)
{
	struct attach_case c = { .argv = SH("echo ready; exec sleep 60"),
				 .attaches = 1 };
	struct run run;

	start(&run, &c);
	expect_output(&run, "ready");
	ck_assert(tp_wait_raw(&run.t, true));
	ck_assert(kill(run.workload, SIGTERM) == 0);
	expect_attach(&run, LINX_TTY_ATTACH_SIGNALED, SIGTERM);
	expect_restored(&run);
	finish(&run);
}
END_TEST

START_TEST(restored_after_a_crash)
{
	struct attach_case c = { .argv = (const char *const[]){ CRASH, NULL },
				 .attaches = 1 };
	struct run run;

	start(&run, &c);
	expect_output(&run, "ready");
	ck_assert(tp_wait_raw(&run.t, true));
	type(&run, "\r");
	expect_attach(&run, LINX_TTY_ATTACH_SIGNALED, SIGSEGV);
	finish(&run);
}
END_TEST

START_TEST(window_size_seeded_and_followed)
{
	struct attach_case c = {
		.argv = SH("echo ready; read x; stty size; "
			   "while read x; do stty size; done"),
		.attaches = 1,
		.check_signals = true,
	};
	struct winsize big = { .ws_row = 50, .ws_col = 132 };
	struct report sig;
	bool resized = false;
	struct run run;

	start(&run, &c);
	expect_output(&run, "ready");
	ck_assert(tp_wait_raw(&run.t, true));
	type(&run, "\r");
	expect_output(&run, "24 80");
	ck_assert(ioctl(run.t.master, TIOCSWINSZ, &big) == 0);
	for (int i = 0; i < 3 && !resized; i++) {
		type(&run, "x\r");
		resized = tp_read_until(run.t.master, run.buf, sizeof(run.buf),
					&run.len, "50 132");
	}
	ck_assert_msg(resized, "after the resize: %s", run.buf);
	type(&run, "\x04");
	expect_attach(&run, LINX_TTY_ATTACH_EXITED, 0);
	sig = next_report(REP_SIGNALS);
	ck_assert_msg(sig.r, "SIGWINCH disposition or mask not put back");
	ck_assert_int_ge(sig.value, 1); /* our handler was passed it */
	finish(&run);
}
END_TEST

START_TEST(detach_split_across_reads_then_attach_again)
{
	struct attach_case c = { .argv = SH(W_LINES), .attaches = 2 };
	struct run run;

	start(&run, &c);
	expect_output(&run, "ready");
	ck_assert(tp_wait_raw(&run.t, true));
	type(&run, "\x10");
	usleep(200000);
	type(&run, "\x11");
	expect_attach(&run, LINX_TTY_ATTACH_DETACHED, 0);
	/* Detached: the workload runs on, the terminal is ours again. */
	ck_assert_int_eq(kill(run.workload, 0), 0);
	expect_restored(&run);
	/* Attached again: the keys typed before never reached it. */
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert(tp_wait_raw(&run.t, true));
	type(&run, "ab\r");
	expect_output(&run, " 61 62");
	ck_assert_msg(!strstr(run.buf, "10 11"), "output: %s", run.buf);
	type(&run, "\x04");
	expect_output(&run, "bye");
	expect_attach(&run, LINX_TTY_ATTACH_EXITED, 0);
	finish(&run);
}
END_TEST

START_TEST(held_prefix_is_forwarded)
{
	struct attach_case c = { .argv = SH(W_LINES), .attaches = 1 };
	struct run run;

	start(&run, &c);
	expect_output(&run, "ready");
	ck_assert(tp_wait_raw(&run.t, true));
	type(&run, "\x10");
	usleep(200000);
	type(&run, "a\r");
	expect_output(&run, " 10 61");
	type(&run, "\x04");
	expect_attach(&run, LINX_TTY_ATTACH_EXITED, 0);
	finish(&run);
}
END_TEST

START_TEST(detach_keys_disabled)
{
	struct attach_case c = { .argv = SH(W_LINES), .attaches = 1,
				 .keys_disabled = true };
	struct run run;

	start(&run, &c);
	expect_output(&run, "ready");
	ck_assert(tp_wait_raw(&run.t, true));
	type(&run, "\x10\x11\r");
	expect_output(&run, " 10 11");
	type(&run, "\x04");
	expect_attach(&run, LINX_TTY_ATTACH_EXITED, 0);
	finish(&run);
}
END_TEST

/* No terminal at all: the caller's pipes. */
START_TEST(pipes_and_refusals)
{
	struct linx_agent *a = pt_agent();
	struct linx_spawn_options so = {
		.argv = SH("read x; echo got-$x"), .pty = true };
	struct linx_tty_attach_opts o;
	struct linx_tty_attach_result res;
	struct linx_process *p;
	struct linx_error err;
	int in[2], out[2];
	char buf[4096] = "";
	ssize_t n;

	ck_assert(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0);
	p = pt_spawn_opts(a, &so);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(write(in[1], "hi\n", 3), 3);
	close(in[1]);
	linx_tty_attach_opts_init(&o);
	o.input_fd = in[0];
	o.output_fd = out[1];
	linx_assert_ok(linx_tty_attach(a, p, &o, &res, &err), &err);
	ck_assert_uint_eq(res.how, LINX_TTY_ATTACH_EXITED);
	ck_assert_int_eq(res.value, 0);
	close(out[1]);
	n = read(out[0], buf, sizeof(buf) - 1);
	ck_assert_int_gt(n, 0);
	ck_assert_msg(strstr(buf, "got-hi"), "output: %s", buf);
	/* Ended: refused, nothing touched. */
	ck_assert_int_eq(linx_tty_attach(a, p, &o, &res, &err), -ESRCH);
	ck_assert_str_eq(err.op, "no_process");
	linx_process_free(p);
	/* No PTY. */
	p = pt_spawn(a, 0, (const char *const[]){ "/bin/sleep", "60", NULL });
	ck_assert_int_eq(linx_tty_attach(a, p, &o, &res, &err), -ENOTTY);
	ck_assert_str_eq(err.op, "no_pty");
	linx_process_free(p);
	/* Options. */
	p = pt_spawn_opts(a, &so);
	o.detach_keys_len = LINX_TTY_DETACH_KEYS_MAX + 1;
	ck_assert_int_eq(linx_tty_attach(a, p, &o, &res, &err), -EINVAL);
	ck_assert_str_eq(err.param, "detach_keys");
	linx_tty_attach_opts_init(&o);
	o.input_fd = -2;
	ck_assert_int_eq(linx_tty_attach(a, p, &o, &res, &err), -EINVAL);
	linx_process_free(p);
	linx_agent_free(a);
	close(in[0]);
	close(out[0]);
}
END_TEST

/* ---- linx spawn --pty --detach-keys ------------------------------------- */

static const char *const *cli_argv;

static int cli_child(void *arg)
{
	int fd = open(arg, O_RDWR);

	if (fd < 0)
		return 126;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	execv(CLI, (char *const *)cli_argv);
	return 127;
}

START_TEST(cli_detach_keys)
{
	static const char *const argv[] = {
		CLI, "spawn", "-v", "--pty", "--detach-keys", "ctrl-a,d", "--",
		"/bin/sh", "-c", "echo ready; exec sleep 60", NULL
	};
	struct test_pty t;
	char buf[65536] = "", *at;
	size_t len = 0;
	int status, workload = 0;
	pid_t cli;

	tp_open(&t);
	cli_argv = argv;
	cli = tp_fork_ctty(&t, cli_child, t.slave);
	ck_assert_msg(tp_read_until(t.master, buf, sizeof(buf), &len, "ready"),
		      "output: %s", buf);
	at = strstr(buf, "released ");
	ck_assert_msg(at && sscanf(at, "released %d", &workload) == 1,
		      "output: %s", buf);
	ck_assert_int_eq(kill(workload, 0), 0);
	ck_assert(write(t.master, "\x01", 1) == 1);
	usleep(200000);
	ck_assert(write(t.master, "d", 1) == 1);
	ck_assert_msg(tp_read_until(t.master, buf, sizeof(buf), &len,
				    "detached"),
		      "output: %s", buf);
	ck_assert_int_eq(tp_wait_child(cli), 0);
	ck_assert(pt_wait_gone(workload));
	close(t.master);

	/* A sequence that does not parse is a usage error. */
	free(linx_test_sh(&status, "%s spawn --pty --detach-keys ctrl-9 -- "
				   "/bin/true 2>&1",
			  CLI));
	ck_assert_int_eq(status, 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tty-attach");
	TCase *tc = tcase_create("attach");

	linx_test_require_root();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, raw_while_attached_restored_after_exit);
	tcase_add_test(tc, restored_after_sigterm);
	tcase_add_test(tc, restored_after_a_crash);
	tcase_add_test(tc, window_size_seeded_and_followed);
	tcase_add_test(tc, detach_split_across_reads_then_attach_again);
	tcase_add_test(tc, held_prefix_is_forwarded);
	tcase_add_test(tc, detach_keys_disabled);
	tcase_add_test(tc, pipes_and_refusals);
	tcase_add_test(tc, cli_detach_keys);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
