/* SPDX-License-Identifier: MIT */
/*
 * The desired state of the rtnl reconciler (linx/rtnl-reconcile.h),
 * checked whole and brought to the keyed form the diff compares:
 * interface names resolved, prefixes parsed, defaults filled in (table
 * 254, the kernel's default metric).  Anything wrong is an error naming
 * the entry, before a pass writes anything.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/neighbour.h>

#include "rtnl-reconcile.h"

static int bad(struct linx_error *err, int code, const char *op,
	       const char *object, const char *fmt, ...) LINX_PRINTF(5, 6);

static int bad(struct linx_error *err, int code, const char *op,
	       const char *object, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_param_objectv(err, code, op, "desired", object, fmt,
				     ap);
	va_end(ap);
	return r;
}

/* An optional unsigned field: 0 absent, 1 read, -1 not a number <= max. */
int rc_u32(const struct linx_value *v, uint32_t max, uint32_t *ret)
{
	uint64_t u;

	if (rc_absent(v))
		return 0;
	if (!linx_value_get_u64(v, &u) || u > max)
		return -1;
	*ret = (uint32_t)u;
	return 1;
}

static bool only_keys(const struct linx_value *m, const char *const *keys,
		      const char **ret_bad)
{
	for (uint32_t i = 0; i < m->len; i++) {
		size_t k;

		for (k = 0; keys[k]; k++)
			if (strcmp(m->pairs[i].key, keys[k]) == 0)
				break;
		if (!keys[k]) {
			*ret_bad = m->pairs[i].key;
			return false;
		}
	}
	return true;
}

int rc_family_of(const char *s, uint8_t *ret)
{
	if (!strcmp(s, "inet") || !strcmp(s, "ipv4") || !strcmp(s, "4"))
		*ret = AF_INET;
	else if (!strcmp(s, "inet6") || !strcmp(s, "ipv6") || !strcmp(s, "6"))
		*ret = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

static int resolve(const struct rc_links *links, const char *dev,
		   const char *what, uint32_t i, int32_t *ret,
		   struct linx_error *err)
{
	if (strlen(dev) == 0 || strlen(dev) >= IFNAMSIZ ||
	    !rc_link_index(links, dev, ret))
		return bad(err, ENODEV, "bad_interface", dev,
			   "desired.%s[%u]: no such interface \"%.32s\"", what,
			   i, dev);
	return 0;
}

/* A prefix length given apart from the address `text` (has_plen), against
 * the address parsed from it: not also in the text, not past its family's
 * bits.  `list` and `op` name the desired list and the error. */
static int apart_prefix(const char *text, int has_plen, uint32_t plen,
			const struct linx_rtnl_ip *ip, const char *list,
			const char *op, uint32_t i, uint8_t *len,
			struct linx_error *err)
{
	if (!has_plen)
		return 0;
	if (strchr(text, '/'))
		return bad(err, EINVAL, op, text,
			   "desired.%s[%u]: prefix length given twice", list,
			   i);
	if (plen > linx_rtnl_ip_len(ip) * 8)
		return bad(err, EINVAL, "bad_family", text,
			   "desired.%s[%u]: /%u is too long for %s", list, i,
			   plen, rc_family_name(ip->family));
	*len = (uint8_t)plen;
	return 0;
}

static int desired_addr(const struct linx_value *v, uint32_t i,
			const struct rc_links *links, struct rc_addr *ret,
			struct linx_error *err)
{
	static const char *const keys[] = { "dev", "address", "prefix", NULL };
	const char *dev = NULL, *text = NULL, *unknown;
	uint32_t plen = 0;
	int has_plen = 0, r;
	uint8_t len;

	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	if (v->type == LINX_LIST && v->len == 3) {
		dev = rc_str(&v->items[0]);
		text = rc_str(&v->items[1]);
		has_plen = rc_u32(&v->items[2], 128, &plen);
		if (has_plen == 0)
			has_plen = -1;
	} else if (v->type == LINX_MAP) {
		if (!only_keys(v, keys, &unknown))
			return bad(err, EINVAL, "bad_address", NULL,
				   "desired.addresses[%u]: unknown field "
				   "\"%.32s\" (dev, address, prefix)",
				   i, unknown);
		dev = rc_str(linx_map_get(v, "dev"));
		text = rc_str(linx_map_get(v, "address"));
		has_plen = rc_u32(linx_map_get(v, "prefix"), 128, &plen);
	}
	if (!dev || !text || has_plen < 0)
		return bad(err, EINVAL, "bad_address", NULL,
			   "desired.addresses[%u]: {dev, address, prefix?} or "
			   "[interface, address, prefixlen]",
			   i);
	if (linx_rtnl_prefix_parse(text, &ret->address, &len, NULL) < 0)
		return bad(err, EINVAL, "bad_address", text,
			   "desired.addresses[%u]: \"%.64s\" is not an IPv4 "
			   "or IPv6 address",
			   i, text);
	r = apart_prefix(text, has_plen, plen, &ret->address, "addresses",
			 "bad_address", i, &len, err);
	if (r < 0)
		return r;
	ret->family = ret->address.family;
	ret->prefixlen = len;
	snprintf(ret->dev, IFNAMSIZ, "%s", dev);
	return resolve(links, dev, "addresses", i, &ret->index, err);
}

/* Host bits set under the prefix ("10.50.0.1/24")? */
static bool host_bits(const struct linx_rtnl_ip *ip, uint8_t len)
{
	size_t n = linx_rtnl_ip_len(ip);

	for (size_t b = len; b < n * 8; b++)
		if (ip->addr[b / 8] & (0x80 >> (b % 8)))
			return true;
	return false;
}

/* The fields of a route entry, from either form. */
struct route_fields {
	const struct linx_value *dst, *prefix, *gateway, *dev, *table,
		*metric, *family;
};

static int route_fields(const struct linx_value *v, uint32_t i,
			struct route_fields *f, struct linx_error *err)
{
	static const char *const keys[] = { "dst", "prefix", "gateway", "dev",
					    "table", "metric", "family",
					    NULL };
	static const char *const opt_keys[] = { "dev", "table", "metric",
						"family", NULL };
	const struct linx_value *opts = NULL;
	const char *unknown;

	memset(f, 0, sizeof(*f));
	if (v->type == LINX_MAP) {
		if (!only_keys(v, keys, &unknown))
			return bad(err, EINVAL, "bad_route", NULL,
				   "desired.routes[%u]: unknown field "
				   "\"%.32s\"",
				   i, unknown);
		f->dst = linx_map_get(v, "dst");
		f->prefix = linx_map_get(v, "prefix");
		f->gateway = linx_map_get(v, "gateway");
		opts = v;
	} else if (v->type == LINX_LIST && v->len >= 2 &&
		   rc_str(&v->items[0]) &&
		   !strcmp(v->items[0].str, "default")) {
		if (v->len > 3)
			goto shape;
		f->dst = &v->items[0];
		f->gateway = &v->items[1];
		opts = v->len == 3 ? &v->items[2] : NULL;
	} else if (v->type == LINX_LIST && (v->len == 3 || v->len == 4)) {
		f->dst = &v->items[0];
		f->prefix = &v->items[1];
		f->gateway = &v->items[2];
		opts = v->len == 4 ? &v->items[3] : NULL;
	} else {
		goto shape;
	}
	if (opts && opts != v) {
		if (opts->type != LINX_MAP)
			goto shape;
		if (!only_keys(opts, opt_keys, &unknown))
			return bad(err, EINVAL, "bad_route", NULL,
				   "desired.routes[%u]: unknown option "
				   "\"%.32s\" (dev, table, metric, family)",
				   i, unknown);
	}
	if (opts) {
		f->dev = linx_map_get(opts, "dev");
		f->table = linx_map_get(opts, "table");
		f->metric = linx_map_get(opts, "metric");
		f->family = linx_map_get(opts, "family");
	}
	if (!rc_str(f->dst))
		goto shape;
	return 0;
shape:
	return bad(err, EINVAL, "bad_route", NULL,
		   "desired.routes[%u]: {dst, gateway?, dev?, table?, metric?} "
		   "or [dst, prefixlen, gateway, {options}?] or "
		   "[\"default\", gateway, {options}?]",
		   i);
}

/* The route's gateway, dev and family are strings; `family` is the one
 * asked for (0 when none). */
static int route_strings(const struct route_fields *f, uint32_t i,
			 uint8_t *family, struct linx_error *err)
{
	const char *fam = rc_str(f->family);

	if ((!rc_absent(f->gateway) && !rc_str(f->gateway)) ||
	    (!rc_absent(f->dev) && !rc_str(f->dev)) ||
	    (!rc_absent(f->family) && !fam))
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: gateway, dev and family are "
			   "strings",
			   i);
	if (fam && rc_family_of(fam, family) < 0)
		return bad(err, EINVAL, "bad_family", fam,
			   "desired.routes[%u]: family \"%.16s\" is not inet "
			   "or inet6",
			   i, fam);
	return 0;
}

/* A destination other than "default" into ret->dst and *len; `family`
 * is checked against it and then becomes its family. */
static int route_prefix(const char *dst, int has_plen, uint32_t plen,
			uint32_t i, uint8_t *family, uint8_t *len,
			struct rc_route *ret, struct linx_error *err)
{
	int r;

	if (linx_rtnl_prefix_parse(dst, &ret->dst, len, NULL) < 0)
		return bad(err, EINVAL, "bad_address", dst,
			   "desired.routes[%u]: \"%.64s\" is not an "
			   "address or a prefix",
			   i, dst);
	r = apart_prefix(dst, has_plen, plen, &ret->dst, "routes",
			 "bad_route", i, len, err);
	if (r < 0)
		return r;
	if (host_bits(&ret->dst, *len))
		return bad(err, EINVAL, "bad_address", dst,
			   "desired.routes[%u]: %.64s has bits set "
			   "past /%u",
			   i, dst, *len);
	if (*family && *family != ret->dst.family)
		return bad(err, EINVAL, "bad_family", dst,
			   "desired.routes[%u]: %.64s is not %s", i, dst,
			   rc_family_name(*family));
	*family = ret->dst.family;
	return 0;
}

/* The destination and its prefix length (either in dst or apart). */
static int route_dst(const struct route_fields *f, uint32_t i,
		     uint8_t *family, uint8_t *len, struct rc_route *ret,
		     struct linx_error *err)
{
	const char *dst = f->dst->str;
	uint32_t plen = 0;
	int has_plen = rc_u32(f->prefix, 128, &plen);

	if (has_plen < 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: the prefix length is an "
			   "integer 0..128",
			   i);
	if (strcmp(dst, "default") != 0)
		return route_prefix(dst, has_plen, plen, i, family, len, ret,
				    err);
	if (has_plen && plen != 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: a default route has prefix "
			   "length 0",
			   i);
	return 0;
}

/* The gateway, of the destination's family; without one a dev is
 * needed. */
static int route_gateway(const struct route_fields *f, uint32_t i,
			 uint8_t *family, struct rc_route *ret,
			 struct linx_error *err)
{
	const char *gw = rc_str(f->gateway);

	if (!gw) {
		if (rc_absent(f->dev))
			return bad(err, EINVAL, "bad_route", NULL,
				   "desired.routes[%u]: a gateway or a dev is "
				   "needed",
				   i);
		return 0;
	}
	if (linx_rtnl_ip_parse(gw, &ret->gateway, NULL) < 0)
		return bad(err, EINVAL, "bad_address", gw,
			   "desired.routes[%u]: gateway \"%.64s\" is "
			   "not an IPv4 or IPv6 address",
			   i, gw);
	if (*family && *family != ret->gateway.family)
		return bad(err, EINVAL, "bad_family", gw,
			   "desired.routes[%u]: gateway %.64s is not "
			   "%s like the destination",
			   i, gw, rc_family_name(*family));
	*family = ret->gateway.family;
	return 0;
}

/* Table and metric, with the kernel's defaults. */
static int route_numbers(const struct route_fields *f, uint32_t i,
			 struct rc_route *ret, struct linx_error *err)
{
	ret->table = RT_TABLE_MAIN;
	if (rc_u32(f->table, UINT32_MAX, &ret->table) < 0 || ret->table == 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: table is 1..4294967295", i);
	/* The kernel's defaults when no RTA_PRIORITY is given: 0 for IPv4,
	 * IP6_RT_PRIO_USER (1024) for IPv6 (include/net/ip6_route.h). */
	ret->metric = ret->family == AF_INET6 ? 1024 : 0;
	if (rc_u32(f->metric, UINT32_MAX, &ret->metric) < 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: metric is 0..4294967295", i);
	return 0;
}

static int desired_route(const struct linx_value *v, uint32_t i,
			 const struct rc_links *links, struct rc_route *ret,
			 struct linx_error *err)
{
	struct route_fields f;
	uint8_t family = 0, len = 0;
	int r;

	r = route_fields(v, i, &f, err);
	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	r = route_strings(&f, i, &family, err);
	if (r >= 0)
		r = route_dst(&f, i, &family, &len, ret, err);
	if (r >= 0)
		r = route_gateway(&f, i, &family, ret, err);
	if (r < 0)
		return r;
	ret->family = family ? family : AF_INET;
	ret->dst_len = len;
	if (len == 0)
		memset(&ret->dst, 0, sizeof(ret->dst));
	r = route_numbers(&f, i, ret, err);
	if (r < 0)
		return r;
	if (rc_str(f.dev)) {
		snprintf(ret->dev, IFNAMSIZ, "%s", f.dev->str);
		return resolve(links, f.dev->str, "routes", i, &ret->oif, err);
	}
	return 0;
}

static int desired_neigh(const struct linx_value *v, uint32_t i,
			 const struct rc_links *links, struct rc_neigh *ret,
			 struct linx_error *err)
{
	static const char *const keys[] = { "dev", "dst", "lladdr", NULL };
	const char *dev = NULL, *dst = NULL, *ll = NULL, *unknown;

	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	if (v->type == LINX_LIST && v->len == 3) {
		dev = rc_str(&v->items[0]);
		dst = rc_str(&v->items[1]);
		ll = rc_str(&v->items[2]);
	} else if (v->type == LINX_MAP) {
		if (!only_keys(v, keys, &unknown))
			return bad(err, EINVAL, "bad_neighbour", NULL,
				   "desired.neighbours[%u]: unknown field "
				   "\"%.32s\" (dev, dst, lladdr)",
				   i, unknown);
		dev = rc_str(linx_map_get(v, "dev"));
		dst = rc_str(linx_map_get(v, "dst"));
		ll = rc_str(linx_map_get(v, "lladdr"));
	}
	if (!dev || !dst || !ll)
		return bad(err, EINVAL, "bad_neighbour", NULL,
			   "desired.neighbours[%u]: {dev, dst, lladdr} or "
			   "[interface, address, lladdr]",
			   i);
	if (linx_rtnl_ip_parse(dst, &ret->dst, NULL) < 0)
		return bad(err, EINVAL, "bad_address", dst,
			   "desired.neighbours[%u]: \"%.64s\" is not an IPv4 "
			   "or IPv6 address",
			   i, dst);
	if (linx_rtnl_lladdr_parse(ll, &ret->lladdr, NULL) < 0)
		return bad(err, EINVAL, "bad_lladdr", ll,
			   "desired.neighbours[%u]: \"%.64s\" is not a "
			   "link-layer address",
			   i, ll);
	ret->family = ret->dst.family;
	ret->state = NUD_PERMANENT;
	snprintf(ret->dev, IFNAMSIZ, "%s", dev);
	return resolve(links, dev, "neighbours", i, &ret->index, err);
}

/* "10.0.0.0/8", a bare address (full length), or "all"/absent: any. */
static int rule_selector(const struct linx_value *v, struct linx_rtnl_ip *ip,
			 uint8_t *len)
{
	const char *s = rc_str(v);

	memset(ip, 0, sizeof(*ip));
	*len = 0;
	if (rc_absent(v) || (s && !strcmp(s, "all")))
		return 0;
	if (!s || linx_rtnl_prefix_parse(s, ip, len, NULL) < 0 ||
	    host_bits(ip, *len))
		return -EINVAL;
	return 0;
}

static int desired_rule(const struct linx_value *v, uint32_t i,
			struct rc_rule *ret, struct linx_error *err)
{
	static const char *const keys[] = { "priority", "from", "to", "fwmark",
					    "table", "family", NULL };
	const char *unknown, *fam;
	uint8_t family = 0;
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	if (v->type != LINX_MAP)
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: {priority, table, from?, to?, "
			   "fwmark?, family?}",
			   i);
	if (!only_keys(v, keys, &unknown))
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: unknown field \"%.32s\"", i,
			   unknown);
	/* The kernel picks a priority when none is given; an identity
	 * cannot be left to it. */
	if (rc_u32(linx_map_get(v, "priority"), UINT32_MAX,
		    &ret->priority) <= 0)
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: priority 0..4294967295 is "
			   "required",
			   i);
	if (rc_u32(linx_map_get(v, "table"), UINT32_MAX, &ret->table) <= 0 ||
	    ret->table == 0)
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: table 1..4294967295 is required",
			   i);
	r = rc_u32(linx_map_get(v, "fwmark"), UINT32_MAX, &ret->fwmark);
	if (r < 0)
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: fwmark is 0..4294967295", i);
	ret->has_fwmark = r > 0;
	if (rule_selector(linx_map_get(v, "from"), &ret->src, &ret->src_len) <
		    0 ||
	    rule_selector(linx_map_get(v, "to"), &ret->dst, &ret->dst_len) < 0)
		return bad(err, EINVAL, "bad_address", NULL,
			   "desired.rules[%u]: from and to are prefixes "
			   "(a.b.c.d/len, no bits past it) or \"all\"",
			   i);
	fam = rc_str(linx_map_get(v, "family"));
	if (!rc_absent(linx_map_get(v, "family")) &&
	    (!fam || rc_family_of(fam, &family) < 0))
		return bad(err, EINVAL, "bad_family", fam,
			   "desired.rules[%u]: family is inet or inet6", i);
	if ((family && ret->src.family && ret->src.family != family) ||
	    (family && ret->dst.family && ret->dst.family != family) ||
	    (ret->src.family && ret->dst.family &&
	     ret->src.family != ret->dst.family))
		return bad(err, EINVAL, "bad_family", NULL,
			   "desired.rules[%u]: from, to and family disagree",
			   i);
	ret->family = family		 ? family
		      : ret->src.family ? ret->src.family
		      : ret->dst.family ? ret->dst.family
					 : AF_INET;
	/* "::/0" selects everything, like no selector (which is what the
	 * kernel dumps back). */
	if (ret->src_len == 0)
		memset(&ret->src, 0, sizeof(ret->src));
	if (ret->dst_len == 0)
		memset(&ret->dst, 0, sizeof(ret->dst));
	return 0;
}

/* A link name as the kernel takes one (dev_valid_name()): 1..15 bytes,
 * not "." or "..", no '/', ':' or blank. */
static bool link_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ' ' ||
		    (s[i] >= '\t' && s[i] <= '\r'))
			return false;
	return true;
}

/* "eth0" or {"ifname": "eth0"}.  With `exist`, a link that is not there
 * is refused like an unknown interface anywhere else: links are not
 * created here. */
static int desired_link(const struct linx_value *v, uint32_t i,
			const struct rc_links *links, bool exist,
			struct rc_lnk *ret, struct linx_error *err)
{
	static const char *const keys[] = { "ifname", NULL };
	const char *name = rc_str(v), *unknown;
	int32_t index;

	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	if (v->type == LINX_MAP) {
		if (!only_keys(v, keys, &unknown))
			return bad(err, EINVAL, "bad_link", NULL,
				   "desired.links[%u]: unknown field \"%.32s\" "
				   "(ifname)",
				   i, unknown);
		name = rc_str(linx_map_get(v, "ifname"));
	}
	if (!name)
		return bad(err, EINVAL, "bad_link", NULL,
			   "desired.links[%u]: an interface name or {ifname}",
			   i);
	if (!link_name_valid(name))
		return bad(err, EINVAL, "bad_link", name,
			   "desired.links[%u]: \"%.32s\" is not an interface "
			   "name",
			   i, name);
	snprintf(ret->name, IFNAMSIZ, "%s", name);
	if (exist && !rc_link_index(links, name, &index))
		return bad(err, ENODEV, "bad_interface", name,
			   "desired.links[%u]: no such interface \"%s\" "
			   "(reconcile does not create links)",
			   i, name);
	return 0;
}

static const struct linx_value *desired_list(const struct linx_value *d,
					     const char *key, int *r,
					     struct linx_error *err)
{
	const struct linx_value *l = linx_map_get(d, key);

	if (rc_absent(l))
		return NULL;
	if (l->type != LINX_LIST)
		*r = bad(err, EINVAL, "bad_desired", NULL,
			 "desired.%s must be a list", key);
	return l->type == LINX_LIST ? l : NULL;
}


int rtnl_rc_desired(const struct linx_value *desired,
		    const struct rc_links *links, bool links_exist,
		    struct rc_set *ret, struct linx_error *err)
{
	static const char *const keys[] = { "links", "addresses", "routes",
					    "neighbours", "rules", NULL };
	const struct linx_value *lnks, *addrs, *routes, *neighs, *rules;
	struct rc_set s = { 0 };
	const char *unknown;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	if (!desired || desired->type != LINX_MAP)
		return bad(err, EINVAL, "bad_desired", NULL,
			   "desired is a map {links, addresses, routes, "
			   "neighbours, rules}");
	if (!only_keys(desired, keys, &unknown))
		return bad(err, EINVAL, "bad_desired", NULL,
			   "desired: unknown key \"%.32s\" (links, "
			   "addresses, routes, neighbours, rules)",
			   unknown);
	lnks = desired_list(desired, "links", &r, err);
	addrs = desired_list(desired, "addresses", &r, err);
	routes = desired_list(desired, "routes", &r, err);
	neighs = desired_list(desired, "neighbours", &r, err);
	rules = desired_list(desired, "rules", &r, err);
	if (r < 0)
		return r;
	s.links = calloc(lnks && lnks->len ? lnks->len : 1, sizeof(*s.links));
	s.addrs = calloc(addrs && addrs->len ? addrs->len : 1,
			 sizeof(*s.addrs));
	s.routes = calloc(routes && routes->len ? routes->len : 1,
			  sizeof(*s.routes));
	s.neighs = calloc(neighs && neighs->len ? neighs->len : 1,
			  sizeof(*s.neighs));
	s.rules = calloc(rules && rules->len ? rules->len : 1,
			 sizeof(*s.rules));
	if (!s.links || !s.addrs || !s.routes || !s.neighs || !s.rules) {
		rtnl_rc_set_free(&s);
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	}
	/* Links first: a missing one is named as itself, not through an
	 * address on it. */
	for (uint32_t i = 0; lnks && i < lnks->len && r == 0; i++)
		r = desired_link(&lnks->items[i], i, links, links_exist,
				 &s.links[s.n_links++], err);
	for (uint32_t i = 0; addrs && i < addrs->len && r == 0; i++)
		r = desired_addr(&addrs->items[i], i, links,
				 &s.addrs[s.n_addrs++], err);
	for (uint32_t i = 0; routes && i < routes->len && r == 0; i++)
		r = desired_route(&routes->items[i], i, links,
				  &s.routes[s.n_routes++], err);
	for (uint32_t i = 0; neighs && i < neighs->len && r == 0; i++)
		r = desired_neigh(&neighs->items[i], i, links,
				  &s.neighs[s.n_neighs++], err);
	for (uint32_t i = 0; rules && i < rules->len && r == 0; i++)
		r = desired_rule(&rules->items[i], i, &s.rules[s.n_rules++],
				 err);
	if (r == 0)
		r = rtnl_rc_unique(&s, err);
	if (r < 0) {
		rtnl_rc_set_free(&s);
		return r;
	}
	*ret = s;
	return 0;
}
