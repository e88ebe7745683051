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

/*
 * A shell filter for `nft --debug=netlink` output.  nftables 1.1 (Debian
 * 13) encodes a range match (`tcp dport 1-2`) as one range expression,
 * where nftables 1.0 (Debian 12) and Linx emit `cmp gte` then `cmp lte`
 * on the same register; the kernel runs both alike (docs/nft/expressions.md).
 * Bytecode comparisons pipe both sides through this, so either form of
 * either side compares as the pair.  `range neq` is one expression in
 * every version and stays.
 */
#define NT_RANGE_AS_CMPS                                                     \
	"awk '$1 == \"[\" && $2 == \"range\" && $3 == \"eq\" { "                \
	"n = (NF - 6) / 2; a = \"\"; b = \"\"; "                                \
	"for (i = 0; i < n; i++) { a = a \" \" $(6 + i); "                     \
	"b = b \" \" $(6 + n + i) } "                                          \
	"print \"  [ cmp gte reg \" $5 a \" ]\"; "                              \
	"print \"  [ cmp lte reg \" $5 b \" ]\"; next } { print }'"

#endif
