/* SPDX-License-Identifier: MIT */
/*
 * Comments in userdata, in the TLV layout nftables uses (libnftnl's udata
 * helpers), so `nft list ruleset` shows what we wrote and we read back
 * what nft wrote.
 */
#include <errno.h>
#include <string.h>

#include <libnftnl/udata.h>

#include "nft-internal.h"

int nft_comment_check(const char *comment, const char *what,
		      const char *object, struct linx_error *err)
{
	size_t n = strlen(comment);

	/* nftables stores the NUL too and refuses longer comments. */
	if (n + 1 > NFTNL_UDATA_COMMENT_MAXLEN)
		return nft_bad(err, what, object,
			       "comment: longer than %d bytes",
			       NFTNL_UDATA_COMMENT_MAXLEN - 1);
	return 0;
}

void nft_put_comment(struct nft_msgbuf *b, uint16_t attr, uint8_t type,
		     const char *comment)
{
	struct nftnl_udata_buf *u;

	if (!comment || !*comment)
		return;
	u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	if (!u) {
		if (!b->error)
			b->error = -ENOMEM;
		return;
	}
	if (!nftnl_udata_put_strz(u, type, comment)) {
		if (!b->error)
			b->error = -EMSGSIZE;
	} else
		nft_put(b, attr, nftnl_udata_buf_data(u),
			nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
}

bool nft_comment_parse(const struct nlattr *a, uint8_t type, char *out,
		       size_t cap)
{
	const uint8_t *p, *end, *s = NULL;
	size_t n, len = 0;

	out[0] = 0;
	if (!a)
		return false;
	/* {type u8, len u8, value} entries, walked within the attribute:
	 * libnftnl's iterator trusts each entry's length, so a corrupted
	 * one would carry a reader past the payload. */
	p = mnl_attr_get_payload(a);
	end = p + mnl_attr_get_payload_len(a);
	while (end - p >= 2 && end - p - 2 >= p[1]) {
		if (p[0] == type) {
			s = p + 2;
			len = p[1];
		}
		p += 2 + p[1];
	}
	if (!s || len == 0)
		return false;
	/* The stored string includes its NUL; stop at the first one. */
	n = strnlen((const char *)s, len);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = 0;
	return true;
}
