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

int rtnl_socket_reserve(struct linx_rtnl *s, size_t want)
{
	char *buf;
	size_t cap = s->cap ? s->cap : 256;

	if (want <= s->cap)
		return 0;
	if (want > RTNL_RECV_MAX)
		return -EMSGSIZE;
	while (cap < want)
		cap *= 2;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	free(s->buf);
	s->buf = buf;
	s->cap = cap;
	s->stats.recv_size = cap;
	return 0;
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
	s->portid = mnl_socket_get_portid(s->nl);
	/* Sequence numbers start from a per-socket value so that replies to
	 * a previous socket's requests cannot match (0 is for unsolicited
	 * messages). */
	s->seq = 1;
	if (rtnl_socket_reserve(s, RTNL_RECV_DEFAULT) < 0) {
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
	free(s->buf);
	free(s);
}

int linx_rtnl_fd(const struct linx_rtnl *s)
{
	return s ? s->fd : -EINVAL;
}

int linx_rtnl_set_recv_size(struct linx_rtnl *s, size_t bytes,
			    struct linx_error *err)
{
	char *buf;

	if (!s)
		return linx_error_param(err, "set_recv_size", "sock",
					"no socket");
	if (bytes < 256 || bytes > RTNL_RECV_MAX)
		return linx_error_param(err, "set_recv_size", "bytes",
					"receive buffer must be 256 bytes to "
					"64 MiB");
	buf = malloc(bytes);
	if (!buf)
		return linx_error_set(err, ENOMEM, "set_recv_size", NULL);
	pthread_mutex_lock(&s->lock);
	free(s->buf);
	s->buf = buf;
	s->cap = bytes;
	s->stats.recv_size = bytes;
	pthread_mutex_unlock(&s->lock);
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
	*ret = s->stats;
	pthread_mutex_unlock(&s->lock);
}

void linx_rtnl_free(void *list)
{
	free(list);
}
