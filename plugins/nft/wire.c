/* SPDX-License-Identifier: MIT */
/*
 * Building nfnetlink messages into one growable buffer (nft-internal.h):
 * headers, big-endian attributes, nests, and the batch with the identity
 * of each message for error reports.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-internal.h"

void nft_msgbuf_init(struct nft_msgbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void nft_msgbuf_fini(struct nft_msgbuf *b)
{
	free(b->data);
	nft_msgbuf_init(b);
}

void nft_msgbuf_reset(struct nft_msgbuf *b)
{
	b->len = 0;
	b->error = 0;
	b->count = 0;
}

/* Room for `n` more bytes, zeroed; NULL (and b->error) when impossible. */
static void *grow(struct nft_msgbuf *b, size_t n)
{
	void *p;

	if (b->error)
		return NULL;
	if (n > NFT_RECV_MAX || b->len + n > NFT_RECV_MAX) {
		b->error = -EMSGSIZE;
		return NULL;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *d;

		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d) {
			b->error = -ENOMEM;
			return NULL;
		}
		b->data = d;
		b->cap = cap;
	}
	/* Not zeroed: every writer below fills what it takes (a 100,000
	 * element batch is a million attributes). */
	p = b->data + b->len;
	b->len += n;
	return p;
}

size_t nft_msg_begin(struct nft_msgbuf *b, uint16_t type, uint16_t flags,
		     uint32_t seq, uint8_t family, uint16_t res_id)
{
	size_t off = b->len;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	nlh = grow(b, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*nfg)));
	if (!nlh)
		return off;
	memset(nlh, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*nfg)));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	nfg = (struct nfgenmsg *)((char *)nlh + MNL_NLMSG_HDRLEN);
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htobe16(res_id);
	b->count++;
	return off;
}

void nft_msg_end(struct nft_msgbuf *b, size_t off)
{
	size_t len = b->len - off;

	if (b->error)
		return;
	if (len > UINT32_MAX) {
		b->error = -EMSGSIZE;
		return;
	}
	nft_msg_at(b, off)->nlmsg_len = (uint32_t)len;
}

void nft_put(struct nft_msgbuf *b, uint16_t type, const void *data,
	     size_t len)
{
	struct nlattr *a;

	if (len > UINT16_MAX - MNL_ATTR_HDRLEN) {
		if (!b->error)
			b->error = -EMSGSIZE;
		return;
	}
	a = grow(b, MNL_ALIGN(MNL_ATTR_HDRLEN + len));
	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = (uint16_t)(MNL_ATTR_HDRLEN + len);
	if (len)
		memcpy((char *)a + MNL_ATTR_HDRLEN, data, len);
	/* the padding up to the next attribute */
	memset((char *)a + MNL_ATTR_HDRLEN + len, 0,
	       MNL_ALIGN(MNL_ATTR_HDRLEN + len) - (MNL_ATTR_HDRLEN + len));
}

void nft_put_u8(struct nft_msgbuf *b, uint16_t type, uint8_t v)
{
	nft_put(b, type, &v, 1);
}

void nft_put_be16(struct nft_msgbuf *b, uint16_t type, uint16_t v)
{
	uint16_t be = htobe16(v);

	nft_put(b, type, &be, sizeof(be));
}

void nft_put_be32(struct nft_msgbuf *b, uint16_t type, uint32_t v)
{
	uint32_t be = htobe32(v);

	nft_put(b, type, &be, sizeof(be));
}

void nft_put_be64(struct nft_msgbuf *b, uint16_t type, uint64_t v)
{
	uint64_t be = htobe64(v);

	nft_put(b, type, &be, sizeof(be));
}

void nft_put_strz(struct nft_msgbuf *b, uint16_t type, const char *s)
{
	nft_put(b, type, s, strlen(s) + 1);
}

size_t nft_nest_begin(struct nft_msgbuf *b, uint16_t type)
{
	size_t off = b->len;
	struct nlattr *a = grow(b, MNL_ATTR_HDRLEN);

	if (a) {
		a->nla_type = type | NLA_F_NESTED;
		a->nla_len = MNL_ATTR_HDRLEN; /* nft_nest_end() sets it */
	}
	return off;
}

void nft_nest_end(struct nft_msgbuf *b, size_t off)
{
	size_t len = b->len - off;

	if (b->error)
		return;
	if (len > UINT16_MAX) {
		b->error = -EMSGSIZE;
		return;
	}
	((struct nlattr *)(b->data + off))->nla_len = (uint16_t)len;
}

/* ---- batches ------------------------------------------------------------- */

void nft_batch_init(struct nft_batch *bt)
{
	memset(bt, 0, sizeof(*bt));
	nft_msgbuf_init(&bt->buf);
}

void nft_batch_fini(struct nft_batch *bt)
{
	nft_msgbuf_fini(&bt->buf);
	free(bt->origins);
	nft_batch_init(bt);
}

size_t nft_batch_msg(struct nft_batch *bt, uint16_t msg, uint16_t flags,
		     uint8_t family, const char *op, const char *objfmt, ...)
{
	struct nft_origin *o;
	va_list ap;

	if (bt->n == bt->cap && !bt->error) {
		size_t cap = bt->cap ? bt->cap * 2 : 64;
		struct nft_origin *no = realloc(bt->origins, cap * sizeof(*no));

		if (!no)
			bt->error = -ENOMEM;
		else {
			bt->origins = no;
			bt->cap = cap;
		}
	}
	if (bt->error || bt->buf.error) {
		if (!bt->error)
			bt->error = bt->buf.error;
		return bt->buf.len;
	}
	o = &bt->origins[bt->n++];
	o->op = op;
	va_start(ap, objfmt);
	vsnprintf(o->object, sizeof(o->object), objfmt, ap);
	va_end(ap);
	/* Sequence numbers are filled in when the batch is sent. */
	return nft_msg_begin(&bt->buf, NFT_TYPE(msg), flags, 0, family, 0);
}
