/* SPDX-License-Identifier: MIT */
/*
 * The NETLINK_NETFILTER socket: opened inside a network namespace through
 * the core's linx_ns_socket() and pinned there; batches sent in one
 * sendmsg with an acknowledgement collected per message; dumps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nft-internal.h"

bool linx_nft_supported(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
