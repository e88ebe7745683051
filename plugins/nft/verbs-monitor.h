/* SPDX-License-Identifier: MIT */
/*
 * The verbs of the ruleset monitor and of NFLOG (verbs-monitor.c), as
 * entries for the plugin's table in verbs.c: NFT_LISTEN_VERBS.
 */
#ifndef LINX_NFT_VERBS_MONITOR_H
#define LINX_NFT_VERBS_MONITOR_H

#include "nft-internal.h"

extern const struct linx_param nft_p_mon_open[3];
extern const struct linx_param nft_p_mon_next[2];
extern const struct linx_param nft_p_mon_read[3];
extern const struct linx_param nft_p_mon_min_gen[2];
extern const struct linx_param nft_p_mon_close[1];
extern const struct linx_param nft_p_log_open[9];
extern const struct linx_param nft_p_log_next[2];
extern const struct linx_param nft_p_log_close[1];

int nft_v_mon_open(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int nft_v_mon_next(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int nft_v_mon_read(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int nft_v_mon_min_gen(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err);
int nft_v_mon_close(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err);
int nft_v_log_open(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int nft_v_log_next(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int nft_v_log_close(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err);

#define NFT_LISTEN_VERB(n, s, p, f, fn_, res)                                \
	{ .name = "nft." n, .summary = s, LINX_PARAMS(p), .flags = (f),       \
	  .fn = fn_, .result_doc = res }

#define NFT_LISTEN_VERBS                                                     \
	NFT_LISTEN_VERB("monitor.open",                                      \
			"Subscribe to ruleset changes (NFNLGRP_NFTABLES)",   \
			nft_p_mon_open, LINX_VERB_BLOCKING, nft_v_mon_open,  \
			"handle nft.monitor"),                               \
	NFT_LISTEN_VERB("monitor.next",                                      \
			"The next ruleset event, waiting up to timeout_ms",  \
			nft_p_mon_next, LINX_VERB_BLOCKING, nft_v_mon_next,  \
			"event map, or nil when none came"),                 \
	NFT_LISTEN_VERB("monitor.read",                                      \
			"The events ready, waiting up to timeout_ms for a "  \
			"first one (linx monitor nft)",                      \
			nft_p_mon_read, LINX_VERB_BLOCKING, nft_v_mon_read,  \
			"list of event maps"),                               \
	NFT_LISTEN_VERB("monitor.set_min_gen",                               \
			"Drop events of generations <= gen from now on",     \
			nft_p_mon_min_gen, 0, nft_v_mon_min_gen, "nil"),     \
	NFT_LISTEN_VERB("monitor.close", "Close a ruleset monitor",          \
			nft_p_mon_close, 0, nft_v_mon_close, "nil"),         \
	NFT_LISTEN_VERB("log.open",                                          \
			"Bind an NFLOG group and receive its packets",       \
			nft_p_log_open, LINX_VERB_BLOCKING, nft_v_log_open,  \
			"handle nft.log"),                                   \
	NFT_LISTEN_VERB("log.next",                                          \
			"The next logged packet, waiting up to timeout_ms",  \
			nft_p_log_next, LINX_VERB_BLOCKING, nft_v_log_next,  \
			"packet event map, or nil when none came"),          \
	NFT_LISTEN_VERB("log.close", "Unbind the group and close",           \
			nft_p_log_close, LINX_VERB_BLOCKING,                 \
			nft_v_log_close, "nil")

#endif /* LINX_NFT_VERBS_MONITOR_H */
