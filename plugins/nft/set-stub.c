/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for nft_set_put() while set.c is not in this tree: meson
 * builds this file only when set.c is missing, so it disappears by
 * itself once the sets work is merged.
 */
#include <errno.h>

#include "nft-internal.h"

int nft_set_put(struct nft_enc *e, const struct linx_value *s,
		uint16_t flags)
{
	(void)s;
	(void)flags;
	if (e && e->err)
		linx_error_set(e->err, ENOSYS, "newset",
			       "sets are not built into this tree");
	return -ENOSYS;
}
