/* SPDX-License-Identifier: MIT */
#include "tty-test.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void tp_open(struct test_pty *t)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };

	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ck_assert_int_ge(t->master, 0);
	ck_assert(grantpt(t->master) == 0 && unlockpt(t->master) == 0);
	ck_assert(ptsname_r(t->master, t->slave, sizeof(t->slave)) == 0);
	ck_assert(ioctl(t->master, TIOCSWINSZ, &ws) == 0);
}

pid_t tp_fork_ctty(struct test_pty *t, int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int slave;

		/* Gone with the test, whatever happens to it: a child left
		 * behind would keep an agent and its workloads alive. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		slave = open(t->slave, O_RDWR | O_CLOEXEC);
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			_exit(126);
		close(t->master);
		_exit(fn(arg));
	}
	return pid;
}

bool tp_read_until(int master, char *buf, size_t cap, size_t *len,
		   const char *want)
{
	buf[*len] = 0;
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

struct termios tp_termios(const struct test_pty *t)
{
	struct termios tio;

	ck_assert(tcgetattr(t->master, &tio) == 0);
	return tio;
}

bool tp_is_raw(const struct termios *t)
{
	return !(t->c_lflag & (ICANON | ECHO | ISIG | IEXTEN)) &&
	       !(t->c_iflag & (ICRNL | IXON | BRKINT)) &&
	       !(t->c_oflag & OPOST) && (t->c_cflag & CSIZE) == CS8 &&
	       t->c_cc[VMIN] == 1 && t->c_cc[VTIME] == 0;
}

bool tp_termios_equal(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)) == 0;
}

bool tp_wait_raw(const struct test_pty *t, bool raw)
{
	for (int i = 0; i < 1000; i++) {
		struct termios tio = tp_termios(t);

		if (tp_is_raw(&tio) == raw)
			return true;
		usleep(10000);
	}
	return false;
}

int tp_wait_child(pid_t pid)
{
	for (int i = 0; i < 3000; i++) {
		int status;
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}
