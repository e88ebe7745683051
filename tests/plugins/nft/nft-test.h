/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the nft tests: a socket in the test's own network
 * namespace, values from JSON text, and nftables itself (`nft -j`,
 * `nft -f`) as the oracle, run in the same namespace.
 */
#ifndef LINX_NFT_TEST_H
#define LINX_NFT_TEST_H

#include <linx/nft.h>

#include "linx-test.h"

/* Enter a fresh netns (lo up) and open a socket in it. */
struct linx_nft *nt_setup(void);
/* Skip unless `nft` and `jq` are on PATH. */
void nt_require_oracle(void);
/* A value from JSON text (fails the test on bad JSON). */
struct linx_value nt_json(const char *text);
/* The value as compact JSON (malloc'd). */
char *nt_to_json(const struct linx_value *v);
/* Run a shell command that must succeed; its stdout (malloc'd). */
char *nt_sh_ok(const char *fmt, ...) LINX_PRINTF(1, 2);
/* Push / pull with the test failing on error. */
void nt_push(struct linx_nft *s, const char *json, enum linx_nft_mode mode);
struct linx_value nt_pull(struct linx_nft *s);

#endif
