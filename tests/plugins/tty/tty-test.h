/* SPDX-License-Identifier: MIT */
/*
 * A pseudo-terminal of the test's own (never the runner's terminal), and a
 * child that makes it its controlling terminal, so that /dev/tty, raw
 * mode and SIGWINCH can be observed from the master side.
 */
#ifndef LINX_TTY_TEST_H
#define LINX_TTY_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <termios.h>

struct test_pty {
	int master;
	char slave[64];
};

/* posix_openpt + grant/unlock, with a 24x80 size. */
void tp_open(struct test_pty *t);
/* Fork a child that starts a session of its own with the slave as its
 * controlling terminal (stdio left as the test's) and runs fn(arg);
 * fn's return is the child's exit status. */
pid_t tp_fork_ctty(struct test_pty *t, int (*fn)(void *arg), void *arg);
/* Read the master until `want` is in what was read (the buffer
 * accumulates across calls; reset *len to start afresh).  False on
 * timeout (10 s) or EOF. */
bool tp_read_until(int master, char *buf, size_t cap, size_t *len,
		   const char *want);
/* The slave's termios, seen through the master (TCGETS on a master reads
 * its slave's settings). */
struct termios tp_termios(const struct test_pty *t);
/* Does the termios have what cfmakeraw(3) clears/sets? */
bool tp_is_raw(const struct termios *t);
bool tp_termios_equal(const struct termios *a, const struct termios *b);
/* Wait (10 s) until the slave is raw (or not). */
bool tp_wait_raw(const struct test_pty *t, bool raw);
/* waitpid with a bound; the exit status, or -1. */
int tp_wait_child(pid_t pid);

#endif
