/* SPDX-License-Identifier: MIT */
/*
 * SIGWINCH for the attach loops: a handler that writes a byte to the pipe
 * of every attach in progress, then passes the signal on to the handler
 * the process had before.  It is installed by the first attach and the
 * previous disposition put back by the last, so the caller's own signal
 * handling is the same after an attach as before it.
 *
 * A handler, not signalfd(2): signalfd only sees a signal that every
 * thread blocks, and a library cannot block a signal in threads it does
 * not own.  The handler runs on whichever thread the kernel picks.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "tty-attach.h"

#define WINCH_SLOTS 32

/* Write ends of the pipes, stored +1 so that 0 (static init) is free. */
static _Atomic int slots[WINCH_SLOTS];
/* Handlers running now: a pipe is closed only when none is. */
static _Atomic int in_handler;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned users;
static struct sigaction previous;

static void on_winch(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	atomic_fetch_add(&in_handler, 1);
	for (int i = 0; i < WINCH_SLOTS; i++) {
		int fd = atomic_load(&slots[i]) - 1;
		ssize_t n;

		if (fd >= 0)
			n = write(fd, "w", 1); /* full pipe: a wake is due */
		(void)n;
	}
	atomic_fetch_sub(&in_handler, 1);
	if (previous.sa_flags & SA_SIGINFO) {
		if (previous.sa_sigaction)
			previous.sa_sigaction(sig, si, uc);
	} else if (previous.sa_handler != SIG_DFL &&
		   previous.sa_handler != SIG_IGN) {
		previous.sa_handler(sig);
	}
	errno = saved;
}

int tty_winch_register(struct tty_winch *w, struct linx_error *err)
{
	int fds[2], slot = -1, r = 0;
	sigset_t winch;

	w->rfd = w->wfd = -1;
	w->slot = -1;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return linx_error_set(err, errno, "pipe", "SIGWINCH pipe: %s",
				      linx_strerror(errno));
	pthread_mutex_lock(&lock);
	for (int i = 0; i < WINCH_SLOTS && slot < 0; i++)
		if (atomic_load(&slots[i]) == 0)
			slot = i;
	if (slot < 0) {
		r = linx_error_set(err, EBUSY, "signal",
				   "more than %d attaches at once",
				   WINCH_SLOTS);
	} else if (users == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_winch;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		/* Read the old disposition first: the handler may run the
		 * moment it is installed, and chains to `previous`. */
		if (sigaction(SIGWINCH, NULL, &previous) < 0 ||
		    sigaction(SIGWINCH, &sa, NULL) < 0)
			r = linx_error_set(err, errno, "signal",
					   "sigaction(SIGWINCH): %s",
					   linx_strerror(errno));
	}
	if (r == 0) {
		users++;
		atomic_store(&slots[slot], fds[1] + 1);
	}
	pthread_mutex_unlock(&lock);
	if (r < 0) {
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	w->rfd = fds[0];
	w->wfd = fds[1];
	w->slot = slot;
	/* Delivered to this thread too, whatever the caller's mask. */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	pthread_sigmask(SIG_UNBLOCK, &winch, &w->mask);
	return 0;
}

void tty_winch_unregister(struct tty_winch *w)
{
	if (w->slot < 0)
		return;
	pthread_sigmask(SIG_SETMASK, &w->mask, NULL);
	pthread_mutex_lock(&lock);
	atomic_store(&slots[w->slot], 0);
	if (--users == 0)
		sigaction(SIGWINCH, &previous, NULL);
	pthread_mutex_unlock(&lock);
	/* A handler on another thread may have read the slot just before it
	 * was cleared: let it finish before the descriptor can be reused. */
	while (atomic_load(&in_handler) > 0)
		sched_yield();
	close(w->rfd);
	close(w->wfd);
	w->rfd = w->wfd = w->slot = -1;
}

bool tty_winch_take(struct tty_winch *w)
{
	char buf[64];
	bool got = false;

	while (read(w->rfd, buf, sizeof(buf)) > 0)
		got = true;
	return got;
}
