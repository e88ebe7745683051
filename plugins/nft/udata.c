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

struct find {
	uint8_t type;
	const char *s;
	uint32_t len;
};

static int find_cb(const struct nftnl_udata *attr, void *data)
{
	struct find *f = data;

	if (nftnl_udata_type(attr) != f->type)
		return MNL_CB_OK;
	f->s = nftnl_udata_get(attr);
	f->len = nftnl_udata_len(attr);
	return MNL_CB_OK;
}

bool nft_comment_parse(const struct nlattr *a, uint8_t type, char *out,
		       size_t cap)
{
	struct find f = { .type = type };
	size_t n;

	out[0] = 0;
	if (!a)
		return false;
	if (nftnl_udata_parse(mnl_attr_get_payload(a),
			      mnl_attr_get_payload_len(a), find_cb, &f) < 0 ||
	    !f.s || f.len == 0)
		return false;
	/* The stored string includes its NUL; stop at the first one. */
	n = strnlen(f.s, f.len);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, f.s, n);
	out[n] = 0;
	return true;
}
