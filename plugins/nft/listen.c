/* SPDX-License-Identifier: MIT */
/*
 * What the listeners (monitor.c, log.c) and their verbs share beyond
 * socket.c's nft_socket_open(): waiting for the socket to be readable.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "nft-listen.h"

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
