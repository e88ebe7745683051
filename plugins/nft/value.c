/* SPDX-License-Identifier: MIT */
/*
 * Reading fields of value maps with errors in the spec's value-level shape
 * (nft_bad(): EINVAL, param = the tag such as "bad_chain").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "nft-internal.h"

int nft_bad(struct linx_error *err, const char *kind, const char *object,
	    const char *fmt, ...)
{
	char detail[LINX_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return linx_error_param_object(err, EINVAL, "validate", kind,
				       object && *object ? object : NULL,
				       "%s: %s", kind, detail);
}

static const struct linx_value *field(const struct linx_value *map,
				      const char *key)
{
	const struct linx_value *v = linx_map_get(map, key);

	return v && v->type != LINX_NIL ? v : NULL;
}

static int missing(bool *has, const char *key, const char *what,
		   struct linx_error *err)
{
	if (has) {
		*has = false;
		return 0;
	}
	return nft_bad(err, what, NULL, "%s: required", key);
}

int nft_get_str(const struct linx_value *map, const char *key,
		const char *what, bool *has, const char **ret,
		struct linx_error *err)
{
	const struct linx_value *v = field(map, key);

	if (!v)
		return missing(has, key, what, err);
	if (v->type != LINX_STRING)
		return nft_bad(err, what, NULL, "%s: expected a string, got %s",
			       key, linx_type_name(v->type));
	if (has)
		*has = true;
	*ret = v->str;
	return 0;
}

int nft_get_u64(const struct linx_value *map, const char *key, uint64_t max,
		const char *what, bool *has, uint64_t *ret,
		struct linx_error *err)
{
	const struct linx_value *v = field(map, key);
	uint64_t u;

	if (!v)
		return missing(has, key, what, err);
	if (!linx_value_get_u64(v, &u) || u > max)
		return nft_bad(err, what, NULL,
			       "%s: expected an integer 0..%llu", key,
			       (unsigned long long)max);
	if (has)
		*has = true;
	*ret = u;
	return 0;
}

int nft_get_i64(const struct linx_value *map, const char *key, int64_t min,
		int64_t max, const char *what, bool *has, int64_t *ret,
		struct linx_error *err)
{
	const struct linx_value *v = field(map, key);
	int64_t i;

	if (!v)
		return missing(has, key, what, err);
	if (!linx_value_get_i64(v, &i) || i < min || i > max)
		return nft_bad(err, what, NULL,
			       "%s: expected an integer %lld..%lld", key,
			       (long long)min, (long long)max);
	if (has)
		*has = true;
	*ret = i;
	return 0;
}

int nft_get_bool(const struct linx_value *map, const char *key,
		 const char *what, bool *ret, struct linx_error *err)
{
	const struct linx_value *v = field(map, key);

	if (!v)
		return 0;
	if (v->type != LINX_BOOL)
		return nft_bad(err, what, NULL, "%s: expected a boolean", key);
	*ret = v->b;
	return 0;
}

int nft_get_list(const struct linx_value *map, const char *key,
		 const char *what, const struct linx_value **ret,
		 struct linx_error *err)
{
	const struct linx_value *v = field(map, key);

	*ret = NULL;
	if (!v)
		return 0;
	if (v->type != LINX_LIST)
		return nft_bad(err, what, NULL, "%s: expected a list, got %s",
			       key, linx_type_name(v->type));
	*ret = v;
	return 0;
}
