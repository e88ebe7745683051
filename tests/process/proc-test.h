/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the process/agent tests: start an agent, spawn with a
 * short option list, collect events and PTY output.
 */
#ifndef LINX_PROC_TEST_H
#define LINX_PROC_TEST_H

#include <linx/process.h>

#include "linx-test.h"

/* Generous bound for one event; the tests never measure time. */
#define EV_TIMEOUT_MS 20000

struct linx_agent *pt_agent(void);
/* Spawn argv (NULL-terminated list of strings) with `ns` and flags. */
struct linx_process *pt_spawn_opts(struct linx_agent *a,
				   struct linx_spawn_options *o);
struct linx_process *pt_spawn(struct linx_agent *a, uint32_t ns,
			      const char *const *argv);
/* Wait for the stage and fail the test if it is not reached. */
void pt_wait_stage(struct linx_process *p, unsigned stage);
/* The next event (dispatching as needed); fails on timeout. */
void pt_next_event(struct linx_process *p, struct linx_process_event *ev);
/* Assert the next event is of `type`. */
void pt_expect(struct linx_process *p, unsigned type);
/* Wait for the terminal result. */
struct linx_process_result pt_result(struct linx_process *p);
/* Collect PTY output until it contains `needle` (returns all of it,
 * malloc'd) or the session ends. */
char *pt_pty_until(struct linx_process *p, const char *needle);
/* Is the process gone (no such pid, or a zombie we cannot see)? */
bool pt_pid_gone(pid_t pid);
/* Wait (bounded) until pid is gone. */
bool pt_wait_gone(pid_t pid);
/* Namespace inode of /proc/<pid>/ns/<kind> (0 if unreadable). */
unsigned long pt_ns_ino(pid_t pid, const char *kind);
/* Number of entries in /proc/<pid>/fd. */
int pt_count_fds_of(pid_t pid);
/* Wait (bounded by EV_TIMEOUT_MS) until pid is blocked in nanosleep(2)
 * or clock_nanosleep(2), per /proc/<pid>/syscall: a sleep(1) workload
 * past its start-up.  False if it never got there or is gone. */
bool pt_wait_asleep(pid_t pid);
/* "fd -> target" for each descriptor of pid, space-separated, into buf
 * (for a failure message). Returns buf. */
const char *pt_describe_fds(pid_t pid, char *buf, size_t len);
/* Children of pid (from /proc/<pid>/task/<pid>/children). */
int pt_count_children(pid_t pid);

#endif
