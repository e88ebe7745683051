/* SPDX-License-Identifier: MIT */
/*
 * The agent as a function.  linx-agent (linx-agent.c) is this and its
 * command line; a front-end that needs one agent for one workload and
 * starts on the critical path - `linx spawn` - forks and calls it in the
 * child instead of exec'ing linx-agent, which saves a program start
 * (exec, dynamic linking, relocation: about 0.5 ms of the 10 ms a
 * `linx spawn --rootfs` takes on the development VM).
 *
 * The calling process becomes the agent, for good:
 *  - it must be single-threaded (a fork of a single-threaded process, or
 *    the main() of one) - the agent clones workloads from itself;
 *  - in_fd and out_fd (they may be the same descriptor, a socket) are the
 *    control channel; every other descriptor above 2 is closed, so the
 *    caller's are not held open;
 *  - signal dispositions are reset to the default and the mask is the
 *    agent's own, whatever the caller had;
 *  - the result is the exit status, to pass to _exit(2) (not exit(3): a
 *    forked child must not flush its parent's stdio buffers or run its
 *    atexit handlers).  On a broken start (no signalfd, no memory) it
 *    calls _exit itself.
 */
#ifndef LINX_AGENT_MAIN_H
#define LINX_AGENT_MAIN_H

#include <linx/process.h>

/* Serve the control channel until it closes and the last workload is
 * gone; `preload`: plugins to load first (comma-separated, or NULL). */
int agent_main(int in_fd, int out_fd, const char *preload);

/*
 * Fork an agent from the calling process and connect to it (fork.c): what
 * linx_agent_start() gives, without the exec.  The caller must be
 * single-threaded (see above); the agent inherits its fds 0-2, environment
 * and working directory.  *ret is the caller's (linx_agent_free, which
 * ends and reaps the agent).  Stage names in err->op: "socketpair",
 * "spawn_agent", "hello".
 */
int agent_fork(struct linx_agent **ret, const char *preload,
	       struct linx_error *err);

#endif /* LINX_AGENT_MAIN_H */
