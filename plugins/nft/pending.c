/* SPDX-License-Identifier: MIT */
/* TEMPORARY: stand-ins until set.c, data.c, object.c and flowtable.c
 * land (expr.c and verdict.c have). */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "nft-internal.h"

int nft_set_check(uint8_t family, const char *table,
		  const struct linx_value *s, struct linx_error *err)
{
	(void)family, (void)table, (void)s;
	return linx_error_set(err, EOPNOTSUPP, "validate", "sets: pending");
}
int nft_object_check(uint8_t family, const char *table,
		     const struct linx_value *o, struct linx_error *err)
{
	(void)family, (void)table, (void)o;
	return linx_error_set(err, EOPNOTSUPP, "validate", "objects: pending");
}
int nft_flowtable_check(uint8_t family, const char *table,
			const struct linx_value *f, struct linx_error *err)
{
	(void)family, (void)table, (void)f;
	return linx_error_set(err, EOPNOTSUPP, "validate", "flowtables: pending");
}
int nft_set_put(struct nft_enc *e, const struct linx_value *s, uint16_t flags)
{
	(void)e, (void)s, (void)flags;
	return -EOPNOTSUPP;
}
int nft_setelem_put(struct nft_enc *e, const struct linx_value *s,
		    const struct linx_value *elements, uint16_t msg)
{
	(void)e, (void)s, (void)elements, (void)msg;
	return -EOPNOTSUPP;
}
int nft_object_put(struct nft_enc *e, const struct linx_value *o,
		   uint16_t flags)
{
	(void)e, (void)o, (void)flags;
	return -EOPNOTSUPP;
}
int nft_flowtable_put(struct nft_enc *e, const struct linx_value *f,
		      uint16_t flags)
{
	(void)e, (void)f, (void)flags;
	return -EOPNOTSUPP;
}
int nft_set_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		  bool *anonymous, struct linx_value *ret)
{
	(void)nlh, (void)w, (void)anonymous, (void)ret;
	return -EOPNOTSUPP;
}
int nft_setelem_parse(const struct nlmsghdr *nlh, const struct linx_value *set,
		      struct nft_where *w, struct linx_value *elements)
{
	(void)nlh, (void)set, (void)w, (void)elements;
	return -EOPNOTSUPP;
}
int nft_setelem_merge(const struct linx_value *set, struct linx_value *elements)
{
	(void)set, (void)elements;
	return 0;
}
int nft_object_parse(const struct nlmsghdr *nlh, struct nft_where *w,
		     struct linx_value *ret)
{
	(void)nlh, (void)w, (void)ret;
	return -EOPNOTSUPP;
}
int nft_flowtable_parse(const struct nlmsghdr *nlh, struct nft_where *w,
			struct linx_value *ret)
{
	(void)nlh, (void)w, (void)ret;
	return -EOPNOTSUPP;
}
void nft_set_put_delete(struct nft_batch *bt, uint8_t family,
			const char *table, const char *set)
{
	(void)bt, (void)family, (void)table, (void)set;
}
void nft_object_put_delete(struct nft_batch *bt, uint8_t family,
			   const char *table, const struct linx_value *o)
{
	(void)bt, (void)family, (void)table, (void)o;
}
void nft_flowtable_put_delete(struct nft_batch *bt, uint8_t family,
			      const char *table, const char *name)
{
	(void)bt, (void)family, (void)table, (void)name;
}
int nft_keytype_from_value(const struct linx_value *v, bool allow_verdict,
			   const char *what, struct nft_keytype *ret,
			   struct linx_error *err)
{
	(void)v, (void)allow_verdict, (void)what, (void)ret, (void)err;
	return -EOPNOTSUPP;
}
int nft_data_from_value(const struct nft_keytype *kt, const struct linx_value *v,
			uint8_t *out, uint32_t *len, uint8_t *end,
			bool *is_interval, const char *what,
			struct linx_error *err)
{
	(void)kt, (void)v, (void)out, (void)len, (void)end, (void)is_interval,
		(void)what, (void)err;
	return -EOPNOTSUPP;
}
