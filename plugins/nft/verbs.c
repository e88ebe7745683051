/* SPDX-License-Identifier: MIT */
/*
 * The nft plugin's verbs: thin adapters from value arguments to the typed
 * API (include/linx/nft.h).  Documented in docs/nft/README.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"
#include "verbs-monitor.h"

static int verb_supported(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_nft_supported());
	return 0;
}

static const struct linx_verb verbs[] = {
	{
		.name = "nft.supported",
		.summary = "Whether nf_tables' netlink socket can be opened "
			   "here (no privilege check)",
		.fn = verb_supported,
		.result_doc = "bool",
	},
	NFT_LISTEN_VERBS,
};

LINX_PLUGIN_DEFINE(nft, "0.1.0",
		   "nf_tables: rulesets as values, push, pull, diff, monitor, "
		   "NFLOG",
		   NULL, NULL, verbs);
