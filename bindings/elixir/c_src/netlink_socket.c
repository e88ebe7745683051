/* SPDX-License-Identifier: MIT */
/*
 * The native half of Linx.Netlink.Socket (Elixir module
 * Linx.Netlink.Socket.Native, through Linx.Native):
 *
 *   nl_open_in_netns(Path :: binary(), Protocol :: integer()) ->
 *       {ok, Fd} | {error, {open | setns | socket | thread, Errno}}
 *   nl_bind(Fd, Groups) -> ok | {error, Errno}
 *   nl_close_fd(Fd) -> ok
 *
 * setns(2) changes the namespace of the calling thread only.  Doing it on a
 * BEAM scheduler thread would leave every process later scheduled there in
 * the wrong network namespace, so nl_open_in_netns starts a thread of its
 * own, which enters the namespace, opens the socket and exits; the socket
 * stays bound to the namespace it was created in, and its descriptor is
 * handed back for :socket.open/1 to adopt.  The NIF waits for that thread,
 * so it runs on a dirty I/O scheduler.
 *
 * Descriptors are plain integers here: after nl_open_in_netns the caller
 * owns the fd and must either have :socket adopt it or nl_close_fd it.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "nif.h"

struct nl_open_job {
	char path[PATH_MAX];
	int protocol;
	int fd;		/* result */
	int err;	/* errno of the failing stage */
	const char *stage;
};

static void *nl_open_thread(void *arg)
{
	struct nl_open_job *job = arg;
	int nsfd, fd;

	nsfd = open(job->path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		job->err = errno;
		job->stage = "open";
		return NULL;
	}
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		job->err = errno;
		job->stage = "setns";
		close(nsfd);
		return NULL;
	}
	close(nsfd);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, job->protocol);
	if (fd < 0) {
		job->err = errno;
		job->stage = "socket";
		return NULL;
	}
	job->fd = fd;
	return NULL;
}

static ERL_NIF_TERM stage_error(ErlNifEnv *env, const char *stage, int err)
{
	return enif_make_tuple2(env, nif_priv(env)->atoms.error,
				enif_make_tuple2(env, enif_make_atom(env, stage),
						 enif_make_int(env, err)));
}

ERL_NIF_TERM nif_nl_open_in_netns(ErlNifEnv *env, int argc,
				  const ERL_NIF_TERM argv[])
{
	struct nl_open_job job;
	pthread_attr_t attr;
	pthread_t tid;
	ErlNifBinary bin;
	int rc;

	(void)argc;
	memset(&job, 0, sizeof(job));
	job.fd = -1;
	if (!enif_inspect_binary(env, argv[0], &bin) || bin.size == 0 ||
	    bin.size >= sizeof(job.path) || memchr(bin.data, 0, bin.size) ||
	    !enif_get_int(env, argv[1], &job.protocol) || job.protocol < 0)
		return enif_make_badarg(env);
	memcpy(job.path, bin.data, bin.size);
	job.path[bin.size] = '\0';

	/* A small stack: the thread only makes four system calls. */
	if ((rc = pthread_attr_init(&attr)) != 0)
		return stage_error(env, "thread", rc);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	rc = pthread_create(&tid, &attr, nl_open_thread, &job);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		return stage_error(env, "thread", rc);
	if ((rc = pthread_join(tid, NULL)) != 0)
		return stage_error(env, "thread", rc);
	if (job.fd < 0)
		return stage_error(env, job.stage, job.err);
	return enif_make_tuple2(env, nif_priv(env)->atoms.ok,
				enif_make_int(env, job.fd));
}

/* Whether `fd` is a netlink socket.  These functions take a bare integer
 * from Elixir: anything else (the VM's own pipes, its epoll descriptor, a
 * distribution socket) is refused as a bad argument, so that no call can
 * close or rebind a descriptor the VM relies on. */
static bool is_netlink_fd(int fd)
{
	int domain = 0;
	socklen_t len = sizeof(domain);

	return fd >= 0 &&
	       getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
	       domain == AF_NETLINK;
}

ERL_NIF_TERM nif_nl_bind(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[])
{
	struct sockaddr_nl sa;
	unsigned int groups;
	int fd;

	(void)argc;
	if (!enif_get_int(env, argv[0], &fd) || !is_netlink_fd(fd) ||
	    !enif_get_uint(env, argv[1], &groups))
		return enif_make_badarg(env);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_pid = 0; /* the kernel picks a port id */
	sa.nl_groups = groups;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return enif_make_tuple2(env, nif_priv(env)->atoms.error,
					enif_make_int(env, errno));
	return nif_priv(env)->atoms.ok;
}

ERL_NIF_TERM nif_nl_close_fd(ErlNifEnv *env, int argc,
			     const ERL_NIF_TERM argv[])
{
	int fd;

	(void)argc;
	if (!enif_get_int(env, argv[0], &fd) || !is_netlink_fd(fd))
		return enif_make_badarg(env);
	close(fd);
	return nif_priv(env)->atoms.ok;
}

/* nl_cloexec(Fd) -> ok | {error, Errno}: sets FD_CLOEXEC.  :socket.open/1
 * adopts a descriptor by dup(2), which drops the flag the socket was
 * created with. */
ERL_NIF_TERM nif_nl_cloexec(ErlNifEnv *env, int argc,
			    const ERL_NIF_TERM argv[])
{
	int fd, flags;

	(void)argc;
	if (!enif_get_int(env, argv[0], &fd) || !is_netlink_fd(fd))
		return enif_make_badarg(env);
	flags = fcntl(fd, F_GETFD);
	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
		return enif_make_tuple2(env, nif_priv(env)->atoms.error,
					enif_make_int(env, errno));
	return nif_priv(env)->atoms.ok;
}
