/* SPDX-License-Identifier: MIT */
/*
 * The rtnetlink socket: opened inside a network namespace through the
 * core's linx_ns_socket() (a throwaway thread does the setns(2)), bound,
 * and configured once.  See include/linx/rtnl.h for the threading rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtnl-internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Options from include/uapi/linux/netlink.h; older headers may lack the
 * newest ones, and older kernels refuse them (ENOPROTOOPT), which we
 * accept: they only improve diagnostics. */
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static void set_flag(int fd, int opt)
{
	int one = 1;

	/* Best effort, see above. */
	(void)setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one));
}

/* Ask for `want` bytes: the FORCE variant first (root may exceed
 * net.core.rmem_max), then the plain one; report what we got. */
static int set_buf(int fd, int force_opt, int opt, int want)
{
	int got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, force_opt, &want, sizeof(want)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, opt, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, opt, &got, &len) < 0)
		got = 0;
	return got;
}

int rtnl_socket_open(const struct linx_ns_target *netns, unsigned groups_n,
		     const unsigned *groups, size_t rcvbuf,
		     struct linx_rtnl **ret, struct linx_error *err)
{
	struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct linx_rtnl *s;
	int fd, r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return linx_error_set(err, ENOMEM, "socket", NULL);
	s->fd = -1;
	s->dump_retries = RTNL_DUMP_RETRIES_DEFAULT;
	r = pthread_mutex_init(&s->lock, NULL);
	if (r != 0) {
		free(s);
		return linx_error_set(err, r, "socket", NULL);
	}
	fd = linx_ns_socket(netns ? netns : &self, AF_NETLINK, SOCK_RAW,
			    NETLINK_ROUTE, err);
	if (fd < 0) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return fd;
	}
	s->fd = fd;
	/* libmnl adopts the fd (mnl_socket_fdopen, libmnl >= 1.0.3) and
	 * closes it in mnl_socket_close(). */
	s->nl = mnl_socket_fdopen(fd);
	if (!s->nl) {
		r = linx_error_set(err, errno, "socket",
				   "cannot adopt the netlink socket: %s",
				   linx_strerror(errno));
		close(fd);
		goto fail;
	}
	set_flag(fd, NETLINK_EXT_ACK);
	set_flag(fd, NETLINK_CAP_ACK);
	if (groups_n == 0)
		set_flag(fd, NETLINK_GET_STRICT_CHK);
	s->rcvbuf = set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF,
			    rcvbuf ? (int)rcvbuf : RTNL_RCVBUF);
	s->sndbuf = set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, RTNL_SNDBUF);
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = linx_error_set(err, errno, "bind", "bind(AF_NETLINK): %s",
				   linx_strerror(errno));
		goto fail;
	}
	for (unsigned i = 0; i < groups_n; i++) {
		int g = (int)groups[i];

		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g,
			       sizeof(g)) < 0) {
			r = linx_error_set(err, errno, "subscribe",
					   "cannot join rtnetlink group %u: %s",
					   groups[i], linx_strerror(errno));
			goto fail;
		}
	}
	linx_nl_conn_init(&s->io, fd, mnl_socket_get_portid(s->nl),
			  RTNL_RECV_MAX);
	/* Sequence numbers start from a per-socket value so that replies to
	 * a previous socket's requests cannot match (0 is for unsolicited
	 * messages). */
	s->io.seq = 1;
	if (linx_nl_conn_reserve(&s->io, RTNL_RECV_DEFAULT) < 0) {
		r = linx_error_set(err, ENOMEM, "socket", NULL);
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	linx_rtnl_close(s);
	return r;
}

int linx_rtnl_open(const struct linx_ns_target *netns, struct linx_rtnl **ret,
		   struct linx_error *err)
{
	if (!ret)
		return linx_error_param(err, "open", "ret", "no output");
	return rtnl_socket_open(netns, 0, NULL, 0, ret, err);
}

void linx_rtnl_close(struct linx_rtnl *s)
{
	if (!s)
		return;
	if (s->nl)
		mnl_socket_close(s->nl);
	pthread_mutex_destroy(&s->lock);
	linx_nl_conn_fini(&s->io);
	free(s);
}

int linx_rtnl_fd(const struct linx_rtnl *s)
{
	return s ? s->fd : -EINVAL;
}

int linx_rtnl_set_recv_size(struct linx_rtnl *s, size_t bytes,
			    struct linx_error *err)
{
	int r;

	if (!s)
		return linx_error_param(err, "set_recv_size", "sock",
					"no socket");
	if (bytes < 256 || bytes > RTNL_RECV_MAX)
		return linx_error_param(err, "set_recv_size", "bytes",
					"receive buffer must be 256 bytes to "
					"64 MiB");
	pthread_mutex_lock(&s->lock);
	r = linx_nl_conn_set_buffer(&s->io, bytes);
	pthread_mutex_unlock(&s->lock);
	if (r < 0)
		return linx_error_set(err, -r, "set_recv_size", NULL);
	return 0;
}

int linx_rtnl_set_dump_retries(struct linx_rtnl *s, unsigned retries,
			       struct linx_error *err)
{
	if (!s)
		return linx_error_param(err, "set_dump_retries", "sock",
					"no socket");
	pthread_mutex_lock(&s->lock);
	s->dump_retries = retries;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

void linx_rtnl_engine_stats(struct linx_rtnl *s,
			    struct linx_rtnl_stats_engine *ret)
{
	if (!s || !ret)
		return;
	pthread_mutex_lock(&s->lock);
	ret->requests = s->io.stats.requests;
	ret->datagrams = s->io.stats.datagrams;
	ret->truncations = s->io.stats.truncations;
	ret->dump_retries = s->io.stats.dump_restarts;
	ret->stale = s->io.stats.stale;
	ret->recv_size = s->io.cap;
	pthread_mutex_unlock(&s->lock);
}

void linx_rtnl_free(void *list)
{
	free(list);
}
