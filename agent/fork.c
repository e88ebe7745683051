/* SPDX-License-Identifier: MIT */
/*
 * An agent forked from its host rather than exec'd (agent-main.h): a
 * socketpair, fork(2), agent_main() in the child, and the host's end
 * handed to the library with linx_agent_connect(), which from then on
 * owns the descriptor and reaps the child.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent-main.h"

int agent_fork(struct linx_agent **ret, const char *preload,
	       struct linx_error *err)
{
	int sv[2], e;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return linx_error_set(err, errno, "socketpair", NULL);
	pid = fork();
	if (pid == 0)
		_exit(agent_main(sv[1], sv[1], preload));
	e = errno;
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return linx_error_set(err, e, "spawn_agent", "fork: %s",
				      linx_strerror(e));
	}
	return linx_agent_connect(ret, sv[0], pid, err);
}
