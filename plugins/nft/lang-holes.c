/* SPDX-License-Identifier: MIT */
/*
 * lang-holes.c - runtime values for a parsed ruleset: a `$name` that no
 * define gave stays in a cmp as {"hole": NAME, "type": T}; here a value
 * map fills it, typed: "ipv4_addr", "ipv6_addr" (text or bytes),
 * "ifname" (a string, NUL-padded to 16 bytes), "ether_addr",
 * "integer/N" (big-endian) and "host_integer/N" (host order), N bits.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang-internal.h"

int nftl_lang_hole_bytes(const char *type, const struct linx_value *v,
			uint8_t *out, unsigned *len, char *why, size_t whyn);

int nftl_lang_hole_bytes(const char *type, const struct linx_value *v,
			uint8_t *out, unsigned *len, char *why, size_t whyn)
{
	unsigned bits = 0;
	bool host = false;

	memset(out, 0, 16);
	if (strcmp(type, "ipv4_addr") == 0 || strcmp(type, "ipv6_addr") == 0) {
		bool v6 = type[3] == '6';
		*len = v6 ? 16 : 4;
		if (v->type == LINX_BYTES && v->len == *len) {
			memcpy(out, v->bytes, *len);
			return 0;
		}
		if (v->type == LINX_STRING &&
		    inet_pton(v6 ? AF_INET6 : AF_INET, v->str, out) == 1)
			return 0;
		snprintf(why, whyn, "expected an %s address", v6 ? "IPv6" : "IPv4");
		return -EINVAL;
	}
	if (strcmp(type, "ifname") == 0) {
		*len = 16;
		if (v->type == LINX_STRING && v->len > 0 && v->len < 16) {
			memcpy(out, v->str, v->len);
			return 0;
		}
		snprintf(why, whyn, "expected an interface name of 1 to 15 "
				    "bytes");
		return -EINVAL;
	}
	if (strcmp(type, "ether_addr") == 0) {
		unsigned o[6];
		char end;
		*len = 6;
		if (v->type == LINX_BYTES && v->len == 6) {
			memcpy(out, v->bytes, 6);
			return 0;
		}
		if (v->type == LINX_STRING &&
		    sscanf(v->str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &o[0], &o[1],
			   &o[2], &o[3], &o[4], &o[5], &end) == 6) {
			for (int i = 0; i < 6; i++)
				out[i] = (uint8_t)o[i];
			return 0;
		}
		snprintf(why, whyn, "expected a MAC address");
		return -EINVAL;
	}
	if (sscanf(type, "integer/%u", &bits) != 1) {
		if (sscanf(type, "host_integer/%u", &bits) != 1) {
			snprintf(why, whyn, "unknown hole type %s", type);
			return -EINVAL;
		}
		host = true;
	}
	if (bits % 8 || bits == 0 || bits > 64) {
		snprintf(why, whyn, "unknown hole type %s", type);
		return -EINVAL;
	}
	*len = bits / 8;
	uint64_t u;
	if (v->type == LINX_BYTES && v->len == *len) {
		memcpy(out, v->bytes, *len);
		return 0;
	}
	if (!linx_value_get_u64(v, &u) || (bits < 64 && u >> bits)) {
		snprintf(why, whyn, "expected an integer of %u bits", bits);
		return -EINVAL;
	}
	for (unsigned i = 0; i < *len; i++) {
		unsigned sh = host ? i : *len - 1 - i;
#if __BYTE_ORDER == __BIG_ENDIAN
		if (host)
			sh = *len - 1 - i;
#endif
		out[i] = (uint8_t)(u >> (8 * sh));
	}
	return 0;
}

static int fill(struct linx_value *v, const struct linx_value *values,
		unsigned depth, struct linx_error *err)
{
	if (depth > LINX_VALUE_MAX_DEPTH)
		return 0;
	if (v->type == LINX_LIST) {
		for (uint32_t i = 0; i < v->len; i++) {
			int r = fill(&v->items[i], values, depth + 1, err);
			if (r < 0)
				return r;
		}
		return 0;
	}
	if (v->type != LINX_MAP)
		return 0;
	struct linx_value *d = (struct linx_value *)linx_map_get(v, "data");
	const struct linx_value *ex = linx_map_get(v, "expr");
	if (d && d->type == LINX_MAP && ex && ex->type == LINX_STRING &&
	    linx_map_get(d, "hole")) {
		const struct linx_value *n = linx_map_get(d, "hole");
		const struct linx_value *t = linx_map_get(d, "type");
		const struct linx_value *val;
		uint8_t b[16];
		unsigned len;
		char why[160];

		if (!n || n->type != LINX_STRING || !t || t->type != LINX_STRING)
			return linx_error_param(err, "fill_holes", "hole",
						"a hole needs a name and a type");
		val = values ? linx_map_get(values, n->str) : NULL;
		if (!val)
			return linx_error_param(err, "fill_holes", "hole",
						"no value for $%s", n->str);
		if (nftl_lang_hole_bytes(t->str, val, b, &len, why, sizeof(why)) < 0)
			return linx_error_param(err, "fill_holes", "hole",
						"$%s: %s", n->str, why);
		return linx_map_put_bytes(v, "data", b, len);
	}
	for (uint32_t i = 0; i < v->len; i++) {
		int r = fill(&v->pairs[i].value, values, depth + 1, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int linx_nft_fill_holes(const struct linx_value *ruleset,
			const struct linx_value *values, struct linx_value *ret,
			struct linx_error *err)
{
	int r;

	if (!ret)
		return linx_error_param(err, "fill_holes", "ret", "required");
	*ret = linx_value_nil();
	if (!ruleset || ruleset->type != LINX_MAP)
		return linx_error_param(err, "fill_holes", "ruleset",
					"expected a ruleset map");
	if (values && values->type != LINX_MAP)
		return linx_error_param(err, "fill_holes", "values",
					"expected a map");
	if ((r = linx_value_copy(ret, ruleset)) < 0)
		return linx_error_set(err, -r, "fill_holes", "out of memory");
	r = fill(ret, values, 0, err);
	if (r < 0)
		linx_value_clear(ret);
	return r;
}
