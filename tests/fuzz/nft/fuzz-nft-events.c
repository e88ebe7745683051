/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target over the listeners' decoders: the input is a datagram (any
 * number of netlink messages) and every message goes through the
 * monitor's event decoder, with a set cache carried across the messages
 * of the input as the monitor carries it, and through the NFLOG packet
 * decoder.  Seeds: real notifications and NFLOG datagrams recorded in
 * network namespaces of their own (corpus-events, corpus-log), plus the
 * dump corpus of fuzz-nft-decode (dumped objects look like
 * notifications).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nft-listen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nft_setcache cache = { 0 };
	void *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh;
	size_t rem = size;
	uint32_t gen = 1, pid = 2;

	if (!buf)
		return 0;
	memcpy(buf, data, size); /* aligned, as a receive buffer is */
	for (nlh = buf; linx_nl_msg_ok(nlh, rem);
	     nlh = linx_nl_msg_next(nlh, &rem)) {
		struct linx_value v;

		if (nft_event_build(nlh, &gen, &pid, "fuzz", &cache, &v) == 0)
			linx_value_clear(&v);
		nft_setcache_note(&cache, nlh);
		if (nft_log_event_build(nlh, 7, &v) == 0)
			linx_value_clear(&v);
	}
	nft_setcache_fini(&cache);
	free(buf);
	return 0;
}
