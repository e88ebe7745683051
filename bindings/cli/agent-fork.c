/* SPDX-License-Identifier: MIT */
/*
 * The agent of one `linx spawn` or `linx enter`: forked, not exec'd.
 *
 * The command needs an agent for exactly one workload, and starting it is
 * on the workload's critical path.  linx_agent_start() posix_spawns
 * linx-agent: a program start (exec, dynamic linking, relocation) on top
 * of the process.  The agent is also a function, linked in
 * (agent/agent-main.h), so agent_fork() forks and runs it and hands the
 * channel to the library: the rest of the session is the library's code,
 * exactly as with an exec'd agent.  That saves about 0.5 ms of 10; the
 * agent process itself still costs about 2.5 ms, most of it fork and
 * copy-on-write faults (docs/process/performance.md, "linx spawn
 * --rootfs").
 *
 * The fork is safe because we have one thread (nothing here starts one).
 * $LINX_AGENT still names a program to run instead (a debugging build of
 * the agent, say), and $LINX_AGENT_PRELOAD is honoured as linx-agent
 * honours it.
 */
#include <stdlib.h>

#include <linx/process.h>

#include "agent-main.h"
#include "cmd-process.h"

int cli_agent_start(struct linx_agent **ret, struct linx_error *err)
{
	const char *path = getenv(LINX_AGENT_ENV);

	if (path && *path)
		return linx_agent_start(ret, NULL, err);
	return agent_fork(ret, getenv("LINX_AGENT_PRELOAD"), err);
}
