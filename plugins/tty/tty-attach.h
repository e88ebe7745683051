/* SPDX-License-Identifier: MIT */
/*
 * The attach loop's internals (static library only: it calls the process
 * API, which the plugin host table does not carry).
 */
#ifndef LINX_TTY_ATTACH_H
#define LINX_TTY_ATTACH_H

#include <signal.h>

#include "tty-internal.h"

/* One attach's share of the SIGWINCH handler (winch.c). */
struct tty_winch {
	int rfd, wfd; /* the pipe the handler writes to */
	int slot;
	sigset_t mask; /* the thread's mask before, put back after */
};

/* Install (first user) the handler, open the pipe, unblock SIGWINCH in
 * the calling thread.  Errors: op "pipe", "signal". */
int tty_winch_register(struct tty_winch *w, struct linx_error *err);
/* Undo all of it; the last user puts the previous disposition back. */
void tty_winch_unregister(struct tty_winch *w);
/* Did a SIGWINCH arrive since the last call?  Drains the pipe. */
bool tty_winch_take(struct tty_winch *w);

#endif
