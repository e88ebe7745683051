/* SPDX-License-Identifier: MIT */
/*
 * The expression tables shared by the encoder and the decoder (expr.c,
 * expr-table.c); not installed.  One table per kernel expression lists
 * its attributes in the order nftables writes them; the encoder walks the
 * table writing the fields a value has, the decoder walks it reading the
 * attributes a message has, so both directions agree by construction.
 */
#ifndef LINX_NFT_EXPR_H
#define LINX_NFT_EXPR_H

#include "nft-internal.h"

enum nft_fkind {
	NFT_F_INT, /* unsigned integer of `width` bytes (1: u8, else BE) */
	NFT_F_REG, /* register number, BE32 */
	NFT_F_STR, /* string, sent with its NUL (width 1: without); read
		    * either way */
	NFT_F_ENUM, /* `width` bytes, named by `sym` (unknown: integer) */
	NFT_F_FLAGS, /* `width` bytes, bits named by `sym`; 0 is omitted */
	NFT_F_DATA, /* bytes in a NFTA_DATA_VALUE nest */
	NFT_F_VERDICT, /* a verdict in a NFTA_DATA_VERDICT nest */
	NFT_F_EXPRS, /* nested expressions: `attr` a list, `attr2` one */
};

struct nft_field {
	uint16_t attr;
	uint8_t kind; /* enum nft_fkind */
	uint8_t width; /* INT, ENUM, FLAGS: 1, 2, 4 or 8 bytes */
	const char *name; /* the value's key */
	const struct nft_sym *sym; /* ENUM, FLAGS */
	uint16_t attr2; /* EXPRS: the single-expression attribute */
	bool required; /* the value must have it (encoder side) */
	/* ENUM: other names accepted on input (nft(8)'s keywords). */
	const struct nft_sym *alias;
	/* FLAGS: 0 is neither sent nor reported, always ("") or when the
	 * named field is present, where the kernel refuses a 0 it reports
	 * itself (exthdr writes, osf); NFT_ZERO_UNSENT: 0 is not sent, as
	 * nftables leaves it out, but reported as the kernel reports it
	 * (a lookup's [], so that a pulled rule encodes as it was written). */
	const char *zero_omit;
};

#define NFT_ZERO_UNSENT "-"

struct nft_exprdef {
	const char *name; /* NFTA_EXPR_NAME */
	uint16_t max; /* NFTA_x_MAX */
	const struct nft_field *fields;
	size_t n_fields;
	/* nat, masq, redir: the NF_NAT_RANGE_* flag bits nftables adds when
	 * the registers are given (the kernel reports them back). */
	bool nat_flags;
};

/* The table of `name`, or NULL. */
const struct nft_exprdef *nft_exprdef_find(const char *name);

/* payload's named fields: {"expr": "payload", "field": "tcp_dport"}. */
struct nft_payload_field {
	const char *name;
	uint32_t base, offset, len;
};
const struct nft_payload_field *nft_payload_field_find(const char *name);

#endif /* LINX_NFT_EXPR_H */
