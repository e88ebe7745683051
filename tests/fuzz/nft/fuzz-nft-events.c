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
	/* The whole input as one run of element messages, as the monitor
	 * builds them (only a true run is taken along). */
	{
		const struct nlmsghdr *run[64];
		size_t n = 0;

		for (nlh = buf; n < 64 && linx_nl_msg_ok(nlh, rem);
		     nlh = linx_nl_msg_next(nlh, &rem))
			if (n == 0 || nft_setelem_same_run(run[0], nlh))
				run[n++] = nlh;
		if (n) {
			struct linx_value v;

			if (nft_event_build(run, n, &gen, &pid, "fuzz", &cache,
					    &v) == 0)
				linx_value_clear(&v);
		}
		rem = size;
	}
	for (nlh = buf; linx_nl_msg_ok(nlh, rem);
	     nlh = linx_nl_msg_next(nlh, &rem)) {
		struct linx_value v;

		if (nft_event_build(&nlh, 1, &gen, &pid, "fuzz", &cache, &v) ==
		    0)
			linx_value_clear(&v);
		nft_setcache_note(&cache, nlh);
		if (nft_log_event_build(nlh, 7, &v) == 0)
			linx_value_clear(&v);
	}
	nft_setcache_fini(&cache);
	free(buf);
	return 0;
}
