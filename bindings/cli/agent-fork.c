/* SPDX-License-Identifier: MIT */
/*
 * The agent of one `linx spawn` or `linx enter`: forked, not exec'd.
 *
 * The command needs an agent for exactly one workload, and starting it is
 * on the workload's critical path.  linx_agent_start() posix_spawns
 * linx-agent: a second program start (exec, dynamic linking, relocation)
 * that cost about a third of a whole `linx spawn --rootfs` (see
 * docs/process/performance.md).  The agent is also a function
 * (agent/agent-main.h, linked in), so we fork and call it instead, and
 * hand our end of the channel to the library (linx_agent_connect): the
 * rest of the session is the library's code, exactly as with an exec'd
 * agent.
 *
 * The fork is safe because we have one thread (nothing here starts one)
 * and the child becomes the agent at once: agent_main() closes every
 * descriptor but 0-2 and the channel, resets signal dispositions and
 * mask, and the child leaves with _exit(2), never touching our stdio
 * buffers or atexit handlers.
 *
 * $LINX_AGENT still names a program to run instead (a debugging build of
 * the agent, say): then linx_agent_start() does what it always did.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linx/process.h>

#include "agent-main.h"
#include "cmd-process.h"

int cli_agent_start(struct linx_agent **ret, struct linx_error *err)
{
	const char *path = getenv(LINX_AGENT_ENV);
	int sv[2];
	pid_t pid;

	if (path && *path)
		return linx_agent_start(ret, NULL, err);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return linx_error_set(err, errno, "socketpair", NULL);
	pid = fork();
	if (pid == 0)
		_exit(agent_main(sv[1], sv[1], getenv("LINX_AGENT_PRELOAD")));
	close(sv[1]);
	if (pid < 0) {
		int e = errno;

		close(sv[0]);
		return linx_error_set(err, e, "spawn_agent", "fork: %s",
				      linx_strerror(e));
	}
	return linx_agent_connect(ret, sv[0], pid, err);
}
