/* SPDX-License-Identifier: MIT */
/*
 * A NETLINK_NETFILTER socket for the listeners (monitor.c, log.c), opened
 * in a network namespace through the core's linx_ns_socket() and joined
 * to multicast groups.
 *
 * Interim: socket.c's nft_socket_open() does the same for every socket
 * of the plugin; once it is on this branch, nft_listen_open() and
 * nft_listen_close() become nft_socket_open() and linx_nft_close() and
 * this file goes.  Same signature, so the switch is a rename.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "nft-listen.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Ask for `want` bytes: the FORCE variant first (root may exceed
 * net.core.rmem_max), then the plain one; report what we got. */
static int set_rcvbuf(int fd, int want)
{
	int got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) < 0)
		got = 0;
	return got;
}

int nft_listen_open(const struct linx_ns_target *netns, const unsigned *groups,
		    unsigned n_groups, int rcvbuf, struct linx_nft **ret,
		    struct linx_error *err)
{
	struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	struct linx_nft *s;
	int one = 1, r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return linx_error_set(err, ENOMEM, "socket", NULL);
	s->fd = -1;
	r = pthread_mutex_init(&s->lock, NULL);
	if (r != 0) {
		free(s);
		return linx_error_set(err, r, "socket", NULL);
	}
	s->fd = linx_ns_socket(netns ? netns : &self, AF_NETLINK, SOCK_RAW,
			       NETLINK_NETFILTER, err);
	if (s->fd < 0) {
		r = s->fd;
		pthread_mutex_destroy(&s->lock);
		free(s);
		return r;
	}
	/* Best effort: only better diagnostics (netlink(7)). */
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	s->rcvbuf = set_rcvbuf(s->fd, rcvbuf > 0 ? rcvbuf : NFT_RCVBUF);
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0) {
		r = linx_error_set(err, errno, "bind", "bind(AF_NETLINK): %s",
				   linx_strerror(errno));
		goto fail;
	}
	for (unsigned i = 0; i < n_groups; i++) {
		int g = (int)groups[i];

		if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g,
			       sizeof(g)) < 0) {
			r = linx_error_set(err, errno, "subscribe",
					   "cannot join nfnetlink group %u: %s",
					   groups[i], linx_strerror(errno));
			goto fail;
		}
	}
	linx_nl_conn_init(&s->io, s->fd, sa.nl_pid, NFT_RECV_MAX);
	s->io.seq = 1;
	if (linx_nl_conn_reserve(&s->io, NFT_RECV_DEFAULT) < 0) {
		r = linx_error_set(err, ENOMEM, "socket", NULL);
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	nft_listen_close(s);
	return r;
}

void nft_listen_close(struct linx_nft *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	linx_nl_conn_fini(&s->io);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int nft_wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec start, now;
	int left = timeout_ms, r;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		r = poll(&pfd, 1, left);
		if (r >= 0)
			return r > 0 ? 1 : 0;
		if (errno != EINTR)
			return -errno;
		if (timeout_ms < 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms -
		       (int)((now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
	}
}
