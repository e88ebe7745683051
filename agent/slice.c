/* SPDX-License-Identifier: MIT */
/*
 * The agent's scheduling slice.
 *
 * The agent works in short bursts, woken by its host, its children and
 * their deaths, and it is on the critical path of every spawn.  Under the
 * EEVDF scheduler (Linux 6.6+) a task woken on a busy CPU waits until the
 * running task has used its slice - base_slice scaled by the CPU count,
 * 1.4 ms on the 2-CPU machines these numbers come from - unless it asked
 * for a shorter one: sched_setattr(2) with sched_runtime on a
 * SCHED_OTHER/SCHED_BATCH task sets its slice (Linux 6.12+), and a woken
 * task with a shorter slice preempts (the PREEMPT_SHORT feature).  That
 * is what a workload's execve(2) does to the agent: closing the child's
 * status pipe wakes the agent on the CPU the workload keeps running on,
 * and with the default slice `running` reached the host only when the
 * workload blocked or exited.
 *
 * The request changes when the agent runs, not how much: its weight (nice)
 * stays what the host gave it.  Kernels without custom slices ignore
 * sched_runtime for these policies.  The child gives the slice it
 * inherited back before execve, so workloads get the host's.
 */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "agent.h"

/* include/uapi/linux/sched/types.h, up to SCHED_ATTR_SIZE_VER1; declared
 * here because that header collides with <sched.h>'s struct sched_param. */
struct agent_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

#define AGENT_SLICE_NS 100000u /* 0.1 ms, the kernel's minimum */
#ifndef SCHED_FLAG_RESET_ON_FORK
#define SCHED_FLAG_RESET_ON_FORK 0x01
#endif

static bool fair(uint32_t policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH;
}

static int get_attr(struct agent_sched_attr *a)
{
	memset(a, 0, sizeof(*a));
	return (int)syscall(SYS_sched_getattr, 0, a, sizeof(*a), 0);
}

/* Set the slice, keeping policy, nice and reset-on-fork; leave utilization
 * clamps alone (their flags are not passed). */
static int set_slice(struct agent_sched_attr *a, uint64_t ns)
{
	a->size = sizeof(*a);
	a->sched_flags &= SCHED_FLAG_RESET_ON_FORK;
	a->sched_runtime = ns;
	return (int)syscall(SYS_sched_setattr, 0, a, 0);
}

void slice_init(void)
{
	struct agent_sched_attr a;

	if (get_attr(&a) < 0 || !fair(a.sched_policy))
		return;
	agent.host_slice_ns = a.sched_runtime;
	if (a.sched_runtime > AGENT_SLICE_NS &&
	    set_slice(&a, AGENT_SLICE_NS) == 0)
		agent.slice_changed = true;
}

void slice_restore(void)
{
	struct agent_sched_attr a;

	/* Read first: the host may have reniced the parked child. */
	if (!agent.slice_changed || get_attr(&a) < 0 || !fair(a.sched_policy))
		return;
	set_slice(&a, agent.host_slice_ns);
}
