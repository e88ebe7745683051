/* SPDX-License-Identifier: MIT */
/*
 * The rtnl diff (linx/rtnl-reconcile.h): desired and observed addresses
 * and routes brought to one keyed form, and the ops between them - routes
 * two-way (owned by rtm_protocol), addresses three-way (owned through
 * last_applied).  Pure: nothing here talks to the kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/neighbour.h>

#include "rtnl-reconcile.h"

/* ---- links ------------------------------------------------------------- */

int rtnl_rc_links_add(struct rc_links *l, int32_t index, const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct rc_link *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].index = index;
	snprintf(l->v[l->n].name, IFNAMSIZ, "%s", name);
	l->n++;
	return 0;
}

void rtnl_rc_links_free(struct rc_links *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *rtnl_rc_link_name(const struct rc_links *l, int32_t index)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (l->v[i].index == index)
			return l->v[i].name;
	return NULL;
}

static bool link_index(const struct rc_links *l, const char *name,
		       int32_t *ret)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strncmp(l->v[i].name, name, IFNAMSIZ) == 0) {
			*ret = l->v[i].index;
			return true;
		}
	return false;
}

void rtnl_rc_set_free(struct rc_set *s)
{
	free(s->addrs);
	free(s->routes);
	free(s->neighs);
	free(s->rules);
	memset(s, 0, sizeof(*s));
}

/* ---- keys -------------------------------------------------------------- */

static const char *family_text(uint8_t family)
{
	return family == AF_INET6 ? "inet6" : "inet";
}

static int cmp_ip(const struct linx_rtnl_ip *a, const struct linx_rtnl_ip *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int addr_cmp(const struct rc_addr *a, const struct rc_addr *b)
{
	int c = a->index < b->index ? -1 : a->index > b->index;

	if (!c)
		c = cmp_u32(a->family, b->family);
	if (!c)
		c = cmp_u32(a->prefixlen, b->prefixlen);
	if (!c)
		c = memcmp(a->address.addr, b->address.addr,
			   sizeof(a->address.addr));
	return c;
}

static int route_cmp(const struct rc_route *a, const struct rc_route *b)
{
	int c = cmp_u32(a->table, b->table);

	if (!c)
		c = cmp_u32(a->family, b->family);
	if (!c)
		c = cmp_u32(a->dst_len, b->dst_len);
	if (!c)
		c = memcmp(a->dst.addr, b->dst.addr, sizeof(a->dst.addr));
	if (!c)
		c = cmp_u32(a->metric, b->metric);
	return c;
}

static int neigh_cmp(const struct rc_neigh *a, const struct rc_neigh *b)
{
	int c = a->index < b->index ? -1 : a->index > b->index;

	return c ? c : cmp_ip(&a->dst, &b->dst);
}

static int rule_cmp(const struct rc_rule *a, const struct rc_rule *b)
{
	int c = cmp_u32(a->priority, b->priority);

	if (!c)
		c = cmp_u32(a->family, b->family);
	if (!c)
		c = cmp_u32(a->src_len, b->src_len);
	if (!c)
		c = cmp_ip(&a->src, &b->src);
	if (!c)
		c = cmp_u32(a->dst_len, b->dst_len);
	if (!c)
		c = cmp_ip(&a->dst, &b->dst);
	if (!c)
		c = cmp_u32(a->has_fwmark, b->has_fwmark);
	if (!c && a->has_fwmark)
		c = cmp_u32(a->fwmark, b->fwmark);
	if (!c)
		c = cmp_u32(a->table, b->table);
	return c;
}

static int neigh_pcmp(const void *a, const void *b)
{
	return neigh_cmp(*(const struct rc_neigh *const *)a,
			 *(const struct rc_neigh *const *)b);
}

static int rule_pcmp(const void *a, const void *b)
{
	return rule_cmp(*(const struct rc_rule *const *)a,
			*(const struct rc_rule *const *)b);
}

static int addr_pcmp(const void *a, const void *b)
{
	return addr_cmp(*(const struct rc_addr *const *)a,
			*(const struct rc_addr *const *)b);
}

static int route_pcmp(const void *a, const void *b)
{
	return route_cmp(*(const struct rc_route *const *)a,
			 *(const struct rc_route *const *)b);
}

static void ip_text(const struct linx_rtnl_ip *ip, char *buf, size_t cap)
{
	linx_rtnl_ip_format(ip, buf, cap);
}

void rtnl_rc_addr_key(const struct rc_addr *a, char *buf, size_t cap)
{
	char ip[LINX_RTNL_ADDRSTRLEN];

	ip_text(&a->address, ip, sizeof(ip));
	snprintf(buf, cap, "ifindex %d %s %s/%u", a->index,
		 family_text(a->family), ip, a->prefixlen);
}

static void route_dst_text(const struct rc_route *r, char *buf, size_t cap)
{
	char ip[LINX_RTNL_ADDRSTRLEN];

	if (r->dst_len == 0) {
		snprintf(buf, cap, "default");
		return;
	}
	ip_text(&r->dst, ip, sizeof(ip));
	snprintf(buf, cap, "%s/%u", ip, r->dst_len);
}

void rtnl_rc_route_key(const struct rc_route *r, char *buf, size_t cap)
{
	char dst[LINX_RTNL_ADDRSTRLEN + 8] = "";

	route_dst_text(r, dst, sizeof(dst));
	snprintf(buf, cap, "table %u %s %s metric %u", r->table,
		 family_text(r->family), dst, r->metric);
}

void rtnl_rc_neigh_key(const struct rc_neigh *n, char *buf, size_t cap)
{
	char ip[LINX_RTNL_ADDRSTRLEN];

	ip_text(&n->dst, ip, sizeof(ip));
	snprintf(buf, cap, "ifindex %d %s %s", n->index, family_text(n->family),
		 ip);
}

static void rule_sel_text(const struct linx_rtnl_ip *ip, uint8_t len,
			  char *buf, size_t cap)
{
	char a[LINX_RTNL_ADDRSTRLEN];

	if (!ip->family) {
		snprintf(buf, cap, "all");
		return;
	}
	ip_text(ip, a, sizeof(a));
	snprintf(buf, cap, "%s/%u", a, len);
}

void rtnl_rc_rule_key(const struct rc_rule *r, char *buf, size_t cap)
{
	char from[LINX_RTNL_ADDRSTRLEN + 8], to[LINX_RTNL_ADDRSTRLEN + 8];
	char mark[32] = "";

	rule_sel_text(&r->src, r->src_len, from, sizeof(from));
	rule_sel_text(&r->dst, r->dst_len, to, sizeof(to));
	if (r->has_fwmark)
		snprintf(mark, sizeof(mark), " fwmark %#x", r->fwmark);
	snprintf(buf, cap, "priority %u %s from %s to %s%s table %u",
		 r->priority, family_text(r->family), from, to, mark, r->table);
}

void rtnl_rc_op_key(const struct rc_op *op, char *buf, size_t cap)
{
	switch (op->kind) {
	case RC_ADDR:
		rtnl_rc_addr_key(op->item, buf, cap);
		break;
	case RC_ROUTE:
		rtnl_rc_route_key(op->item, buf, cap);
		break;
	case RC_NEIGH:
		rtnl_rc_neigh_key(op->item, buf, cap);
		break;
	default:
		rtnl_rc_rule_key(op->item, buf, cap);
		break;
	}
}

/* ---- values of items and ops --------------------------------------------- */

static void put_ip(struct linx_value *m, const char *key,
		   const struct linx_rtnl_ip *ip)
{
	char buf[LINX_RTNL_ADDRSTRLEN];

	ip_text(ip, buf, sizeof(buf));
	linx_map_put_cstring(m, key, buf);
}

static struct linx_value addr_value(const struct rc_addr *a)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, "family", family_text(a->family));
	put_ip(&m, "address", &a->address);
	linx_map_put_uint(&m, "prefixlen", a->prefixlen);
	if (a->dev[0])
		linx_map_put_cstring(&m, "dev", a->dev);
	linx_map_put_int(&m, "ifindex", a->index);
	return m;
}

static struct linx_value route_value(const struct rc_route *r,
				     uint8_t protocol)
{
	struct linx_value m = linx_value_map();
	char dst[LINX_RTNL_ADDRSTRLEN + 8] = "";

	route_dst_text(r, dst, sizeof(dst));
	linx_map_put_cstring(&m, "family", family_text(r->family));
	linx_map_put_cstring(&m, "dst", dst);
	if (r->gateway.family)
		put_ip(&m, "gateway", &r->gateway);
	if (r->dev[0])
		linx_map_put_cstring(&m, "dev", r->dev);
	if (r->oif)
		linx_map_put_int(&m, "oif", r->oif);
	linx_map_put_uint(&m, "table", r->table);
	linx_map_put_uint(&m, "metric", r->metric);
	linx_map_put_uint(&m, "protocol", protocol);
	return m;
}

static struct linx_value neigh_value(const struct rc_neigh *n)
{
	struct linx_value m = linx_value_map();
	char ll[LINX_RTNL_ADDRSTRLEN];

	linx_map_put_cstring(&m, "family", family_text(n->family));
	put_ip(&m, "dst", &n->dst);
	if (n->lladdr.len) {
		linx_rtnl_lladdr_format(&n->lladdr, ll, sizeof(ll));
		linx_map_put_cstring(&m, "lladdr", ll);
	}
	if (n->dev[0])
		linx_map_put_cstring(&m, "dev", n->dev);
	linx_map_put_int(&m, "ifindex", n->index);
	return m;
}

static struct linx_value rule_value(const struct rc_rule *r)
{
	struct linx_value m = linx_value_map();
	char buf[LINX_RTNL_ADDRSTRLEN + 8];

	linx_map_put_cstring(&m, "family", family_text(r->family));
	linx_map_put_uint(&m, "priority", r->priority);
	rule_sel_text(&r->src, r->src_len, buf, sizeof(buf));
	linx_map_put_cstring(&m, "from", buf);
	rule_sel_text(&r->dst, r->dst_len, buf, sizeof(buf));
	linx_map_put_cstring(&m, "to", buf);
	if (r->has_fwmark)
		linx_map_put_uint(&m, "fwmark", r->fwmark);
	linx_map_put_uint(&m, "table", r->table);
	return m;
}

int rtnl_rc_op_value(const struct rc_op *op, uint8_t protocol,
		     struct linx_value *ret)
{
	static const char *const ops[] = { "create", "update", "delete" };
	static const char *const kinds[] = { "address", "route", "neighbour",
					     "rule" };
	struct linx_value m = linx_value_map(), v;
	char key[RC_KEY_MAX];

	linx_map_put_cstring(&m, "op", ops[op->op]);
	rtnl_rc_op_key(op, key, sizeof(key));
	if (op->kind == RC_ADDR) {
		v = addr_value(op->item);
	} else if (op->kind == RC_NEIGH) {
		v = neigh_value(op->item);
	} else if (op->kind == RC_RULE) {
		v = rule_value(op->item);
	} else {
		const struct rc_route *r = op->item;

		v = route_value(r, op->op == RC_DELETE ? r->protocol
						       : protocol);
	}
	linx_map_put_cstring(&m, "kind", kinds[op->kind]);
	linx_map_put_cstring(&m, "key", key);
	linx_map_put(&m, "value", &v);
	*ret = m;
	return linx_value_status(ret);
}

/* ---- the desired state ----------------------------------------------------- */

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

static const char *str_of(const struct linx_value *v)
{
	return v && v->type == LINX_STRING ? v->str : NULL;
}

static bool is_absent(const struct linx_value *v)
{
	return !v || v->type == LINX_NIL;
}

/* An optional unsigned field: 0 absent, 1 read, -1 not a number <= max. */
static int get_u32(const struct linx_value *v, uint32_t max, uint32_t *ret)
{
	uint64_t u;

	if (is_absent(v))
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

static int family_of(const char *s, uint8_t *ret)
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
	    !link_index(links, dev, ret))
		return bad(err, ENODEV, "bad_interface", dev,
			   "desired.%s[%u]: no such interface \"%.32s\"", what,
			   i, dev);
	return 0;
}

static int desired_addr(const struct linx_value *v, uint32_t i,
			const struct rc_links *links, struct rc_addr *ret,
			struct linx_error *err)
{
	static const char *const keys[] = { "dev", "address", "prefix", NULL };
	const char *dev = NULL, *text = NULL, *unknown;
	uint32_t plen = 0;
	int has_plen = 0;
	uint8_t len;

	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	if (v->type == LINX_LIST && v->len == 3) {
		dev = str_of(&v->items[0]);
		text = str_of(&v->items[1]);
		has_plen = get_u32(&v->items[2], 128, &plen);
		if (has_plen == 0)
			has_plen = -1;
	} else if (v->type == LINX_MAP) {
		if (!only_keys(v, keys, &unknown))
			return bad(err, EINVAL, "bad_address", NULL,
				   "desired.addresses[%u]: unknown field "
				   "\"%.32s\" (dev, address, prefix)",
				   i, unknown);
		dev = str_of(linx_map_get(v, "dev"));
		text = str_of(linx_map_get(v, "address"));
		has_plen = get_u32(linx_map_get(v, "prefix"), 128, &plen);
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
	if (has_plen) {
		if (strchr(text, '/'))
			return bad(err, EINVAL, "bad_address", text,
				   "desired.addresses[%u]: prefix length "
				   "given twice",
				   i);
		if (plen > linx_rtnl_ip_len(&ret->address) * 8)
			return bad(err, EINVAL, "bad_family", text,
				   "desired.addresses[%u]: /%u is too long "
				   "for %s",
				   i, plen, family_text(ret->address.family));
		len = (uint8_t)plen;
	}
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
		   str_of(&v->items[0]) &&
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
	if (!str_of(f->dst))
		goto shape;
	return 0;
shape:
	return bad(err, EINVAL, "bad_route", NULL,
		   "desired.routes[%u]: {dst, gateway?, dev?, table?, metric?} "
		   "or [dst, prefixlen, gateway, {options}?] or "
		   "[\"default\", gateway, {options}?]",
		   i);
}

static int desired_route(const struct linx_value *v, uint32_t i,
			 const struct rc_links *links, struct rc_route *ret,
			 struct linx_error *err)
{
	struct route_fields f;
	const char *dst, *gw, *fam;
	uint8_t family = 0, len = 0;
	uint32_t plen = 0;
	int r, has_plen;

	r = route_fields(v, i, &f, err);
	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	ret->pos = i;
	dst = f.dst->str;
	gw = str_of(f.gateway);
	fam = str_of(f.family);
	if ((!is_absent(f.gateway) && !gw) || (!is_absent(f.dev) &&
					       !str_of(f.dev)) ||
	    (!is_absent(f.family) && !fam))
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: gateway, dev and family are "
			   "strings",
			   i);
	if (fam && family_of(fam, &family) < 0)
		return bad(err, EINVAL, "bad_family", fam,
			   "desired.routes[%u]: family \"%.16s\" is not inet "
			   "or inet6",
			   i, fam);
	has_plen = get_u32(f.prefix, 128, &plen);
	if (has_plen < 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: the prefix length is an "
			   "integer 0..128",
			   i);
	if (strcmp(dst, "default") != 0) {
		if (linx_rtnl_prefix_parse(dst, &ret->dst, &len, NULL) < 0)
			return bad(err, EINVAL, "bad_address", dst,
				   "desired.routes[%u]: \"%.64s\" is not an "
				   "address or a prefix",
				   i, dst);
		if (has_plen) {
			if (strchr(dst, '/'))
				return bad(err, EINVAL, "bad_route", dst,
					   "desired.routes[%u]: prefix length "
					   "given twice",
					   i);
			if (plen > linx_rtnl_ip_len(&ret->dst) * 8)
				return bad(err, EINVAL, "bad_family", dst,
					   "desired.routes[%u]: /%u is too "
					   "long for %s",
					   i, plen,
					   family_text(ret->dst.family));
			len = (uint8_t)plen;
		}
		if (host_bits(&ret->dst, len))
			return bad(err, EINVAL, "bad_address", dst,
				   "desired.routes[%u]: %.64s has bits set "
				   "past /%u",
				   i, dst, len);
		if (family && family != ret->dst.family)
			return bad(err, EINVAL, "bad_family", dst,
				   "desired.routes[%u]: %.64s is not %s", i,
				   dst, family_text(family));
		family = ret->dst.family;
	} else if (has_plen && plen != 0) {
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: a default route has prefix "
			   "length 0",
			   i);
	}
	if (gw) {
		if (linx_rtnl_ip_parse(gw, &ret->gateway, NULL) < 0)
			return bad(err, EINVAL, "bad_address", gw,
				   "desired.routes[%u]: gateway \"%.64s\" is "
				   "not an IPv4 or IPv6 address",
				   i, gw);
		if (family && family != ret->gateway.family)
			return bad(err, EINVAL, "bad_family", gw,
				   "desired.routes[%u]: gateway %.64s is not "
				   "%s like the destination",
				   i, gw, family_text(family));
		family = ret->gateway.family;
	} else if (is_absent(f.dev)) {
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: a gateway or a dev is "
			   "needed",
			   i);
	}
	ret->family = family ? family : AF_INET;
	ret->dst_len = len;
	if (len == 0)
		memset(&ret->dst, 0, sizeof(ret->dst));
	ret->table = RT_TABLE_MAIN;
	if (get_u32(f.table, UINT32_MAX, &ret->table) < 0 || ret->table == 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: table is 1..4294967295", i);
	/* The kernel's defaults when no RTA_PRIORITY is given: 0 for IPv4,
	 * IP6_RT_PRIO_USER (1024) for IPv6 (include/net/ip6_route.h). */
	ret->metric = ret->family == AF_INET6 ? 1024 : 0;
	if (get_u32(f.metric, UINT32_MAX, &ret->metric) < 0)
		return bad(err, EINVAL, "bad_route", NULL,
			   "desired.routes[%u]: metric is 0..4294967295", i);
	if (str_of(f.dev)) {
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
		dev = str_of(&v->items[0]);
		dst = str_of(&v->items[1]);
		ll = str_of(&v->items[2]);
	} else if (v->type == LINX_MAP) {
		if (!only_keys(v, keys, &unknown))
			return bad(err, EINVAL, "bad_neighbour", NULL,
				   "desired.neighbours[%u]: unknown field "
				   "\"%.32s\" (dev, dst, lladdr)",
				   i, unknown);
		dev = str_of(linx_map_get(v, "dev"));
		dst = str_of(linx_map_get(v, "dst"));
		ll = str_of(linx_map_get(v, "lladdr"));
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
	const char *s = str_of(v);

	memset(ip, 0, sizeof(*ip));
	*len = 0;
	if (is_absent(v) || (s && !strcmp(s, "all")))
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
	if (get_u32(linx_map_get(v, "priority"), UINT32_MAX,
		    &ret->priority) <= 0)
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: priority 0..4294967295 is "
			   "required",
			   i);
	if (get_u32(linx_map_get(v, "table"), UINT32_MAX, &ret->table) <= 0 ||
	    ret->table == 0)
		return bad(err, EINVAL, "bad_rule", NULL,
			   "desired.rules[%u]: table 1..4294967295 is required",
			   i);
	r = get_u32(linx_map_get(v, "fwmark"), UINT32_MAX, &ret->fwmark);
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
	fam = str_of(linx_map_get(v, "family"));
	if (!is_absent(linx_map_get(v, "family")) &&
	    (!fam || family_of(fam, &family) < 0))
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

static const struct linx_value *desired_list(const struct linx_value *d,
					     const char *key, int *r,
					     struct linx_error *err)
{
	const struct linx_value *l = linx_map_get(d, key);

	if (is_absent(l))
		return NULL;
	if (l->type != LINX_LIST)
		*r = bad(err, EINVAL, "bad_desired", NULL,
			 "desired.%s must be a list", key);
	return l->type == LINX_LIST ? l : NULL;
}

/* Two entries with one key: the desired state contradicts itself (or
 * says the same thing twice, which is refused too, to keep keys unique). */
static int duplicates(const struct rc_set *s, struct linx_error *err)
{
	size_t n = s->n_addrs > s->n_routes ? s->n_addrs : s->n_routes;

	n = n > s->n_neighs ? n : s->n_neighs;
	n = n > s->n_rules ? n : s->n_rules;
	const void **p = malloc((n ? n : 1) * sizeof(*p));
	int r = 0;

	if (!p)
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	for (size_t i = 0; i < s->n_addrs; i++)
		p[i] = &s->addrs[i];
	qsort(p, s->n_addrs, sizeof(*p), addr_pcmp);
	for (size_t i = 1; i < s->n_addrs && r == 0; i++)
		if (addr_cmp(p[i - 1], p[i]) == 0) {
			const struct rc_addr *a = p[i - 1], *b = p[i];

			r = bad(err, EINVAL, "bad_address", NULL,
				"desired.addresses[%u] and [%u] are the same "
				"address",
				a->pos < b->pos ? a->pos : b->pos,
				a->pos < b->pos ? b->pos : a->pos);
		}
	for (size_t i = 0; i < s->n_routes && r == 0; i++)
		p[i] = &s->routes[i];
	if (r == 0)
		qsort(p, s->n_routes, sizeof(*p), route_pcmp);
	for (size_t i = 1; i < s->n_routes && r == 0; i++)
		if (route_cmp(p[i - 1], p[i]) == 0) {
			const struct rc_route *a = p[i - 1], *b = p[i];

			r = bad(err, EINVAL, "bad_route", NULL,
				"desired.routes[%u] and [%u] are the same "
				"route (table, destination and metric)",
				a->pos < b->pos ? a->pos : b->pos,
				a->pos < b->pos ? b->pos : a->pos);
		}
	for (size_t i = 0; i < s->n_neighs && r == 0; i++)
		p[i] = &s->neighs[i];
	if (r == 0)
		qsort(p, s->n_neighs, sizeof(*p), neigh_pcmp);
	for (size_t i = 1; i < s->n_neighs && r == 0; i++)
		if (neigh_cmp(p[i - 1], p[i]) == 0) {
			const struct rc_neigh *a = p[i - 1], *b = p[i];

			r = bad(err, EINVAL, "bad_neighbour", NULL,
				"desired.neighbours[%u] and [%u] are the same "
				"neighbour",
				a->pos < b->pos ? a->pos : b->pos,
				a->pos < b->pos ? b->pos : a->pos);
		}
	for (size_t i = 0; i < s->n_rules && r == 0; i++)
		p[i] = &s->rules[i];
	if (r == 0)
		qsort(p, s->n_rules, sizeof(*p), rule_pcmp);
	for (size_t i = 1; i < s->n_rules && r == 0; i++)
		if (rule_cmp(p[i - 1], p[i]) == 0) {
			const struct rc_rule *a = p[i - 1], *b = p[i];

			r = bad(err, EINVAL, "bad_rule", NULL,
				"desired.rules[%u] and [%u] are the same rule",
				a->pos < b->pos ? a->pos : b->pos,
				a->pos < b->pos ? b->pos : a->pos);
		}
	free(p);
	return r;
}

int rtnl_rc_desired(const struct linx_value *desired,
		    const struct rc_links *links, struct rc_set *ret,
		    struct linx_error *err)
{
	static const char *const keys[] = { "addresses", "routes",
					    "neighbours", "rules", NULL };
	const struct linx_value *addrs, *routes, *neighs, *rules;
	struct rc_set s = { 0 };
	const char *unknown;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	if (!desired || desired->type != LINX_MAP)
		return bad(err, EINVAL, "bad_desired", NULL,
			   "desired is a map {addresses, routes}");
	if (!only_keys(desired, keys, &unknown))
		return bad(err, EINVAL, "bad_desired", NULL,
			   "desired: unknown key \"%.32s\" (addresses, "
			   "routes, neighbours, rules)",
			   unknown);
	addrs = desired_list(desired, "addresses", &r, err);
	routes = desired_list(desired, "routes", &r, err);
	neighs = desired_list(desired, "neighbours", &r, err);
	rules = desired_list(desired, "rules", &r, err);
	if (r < 0)
		return r;
	s.addrs = calloc(addrs && addrs->len ? addrs->len : 1,
			 sizeof(*s.addrs));
	s.routes = calloc(routes && routes->len ? routes->len : 1,
			  sizeof(*s.routes));
	s.neighs = calloc(neighs && neighs->len ? neighs->len : 1,
			  sizeof(*s.neighs));
	s.rules = calloc(rules && rules->len ? rules->len : 1,
			 sizeof(*s.rules));
	if (!s.addrs || !s.routes || !s.neighs || !s.rules) {
		rtnl_rc_set_free(&s);
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	}
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
		r = duplicates(&s, err);
	if (r < 0) {
		rtnl_rc_set_free(&s);
		return r;
	}
	*ret = s;
	return 0;
}

/* ---- ownership --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int rtnl_rc_owned(const struct linx_value *last, const char ***ret,
		  size_t *ret_n, struct linx_error *err)
{
	static const char *const lists[] = { "addresses", "neighbours",
					     "rules" };
	const struct linx_value *l[3] = { NULL, NULL, NULL };
	const char **v;
	size_t n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (is_absent(last))
		return 0;
	if (last->type != LINX_MAP)
		return linx_error_param(err, "validate", "last_applied",
					"last_applied is a map {addresses, "
					"neighbours, rules: [key]}");
	for (int k = 0; k < 3; k++) {
		l[k] = linx_map_get(last, lists[k]);
		if (is_absent(l[k])) {
			l[k] = NULL;
			continue;
		}
		if (l[k]->type != LINX_LIST)
			return linx_error_param(err, "validate",
						"last_applied",
						"last_applied.%s is a list of "
						"keys",
						lists[k]);
		n += l[k]->len;
	}
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	n = 0;
	for (int k = 0; k < 3; k++)
		for (uint32_t i = 0; l[k] && i < l[k]->len; i++) {
			if (l[k]->items[i].type != LINX_STRING) {
				free(v);
				return linx_error_param(
					err, "validate", "last_applied",
					"last_applied.%s[%u] is not a key "
					"string",
					lists[k], i);
			}
			v[n++] = l[k]->items[i].str;
		}
	qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}

int rtnl_rc_protocol(int protocol, uint8_t *ret, struct linx_error *err)
{
	if (protocol < 0) {
		*ret = LINX_RTNL_RECONCILE_PROTOCOL;
		return 0;
	}
	/* RTPROT_UNSPEC (0) would match every route on delete. */
	if (protocol == 0 || protocol > 255)
		return linx_error_param(err, "validate", "protocol",
					"protocol is 1..255 (the route owner "
					"tag)");
	*ret = (uint8_t)protocol;
	return 0;
}

/* ---- the diff ------------------------------------------------------------------ */

struct op_list {
	struct rc_op *v;
	size_t n, cap;
};

static int push(struct op_list *l, uint8_t kind, uint8_t op, uint8_t stage,
		const void *item)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct rc_op *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct rc_op){ kind, op, stage, item };
	return 0;
}

static bool route_same(const struct rc_route *want, const struct rc_route *have)
{
	if (cmp_ip(&want->gateway, &have->gateway) != 0)
		return false;
	return want->oif == 0 || want->oif == have->oif;
}

static bool neigh_same(const struct rc_neigh *want, const struct rc_neigh *have)
{
	return (have->state & NUD_PERMANENT) &&
	       want->lladdr.len == have->lladdr.len &&
	       memcmp(want->lladdr.addr, have->lladdr.addr, want->lladdr.len) ==
		       0;
}

static bool owned(const char *const *keys, size_t n, const char *key)
{
	return n && bsearch(&key, keys, n, sizeof(*keys), cmp_str) != NULL;
}

int rtnl_rc_diff(const struct rc_set *desired, const struct rc_set *observed,
		 uint8_t protocol, const char *const *owned_keys,
		 size_t n_owned, struct rc_ops *ret, struct linx_error *err)
{
	struct op_list stage[RC_STAGES] = { 0 };
	size_t nd = desired->n_addrs + desired->n_routes + desired->n_neighs +
		    desired->n_rules;
	size_t no = observed->n_addrs + observed->n_routes +
		    observed->n_neighs + observed->n_rules;
	const void **d = malloc((nd ? nd : 1) * sizeof(*d));
	const void **o = malloc((no ? no : 1) * sizeof(*o));
	size_t n, m, i, j, total = 0;
	int r = 0;

	ret->v = NULL;
	ret->n = 0;
	if (!d || !o)
		goto nomem;

	/* Addresses, three-way; the kernel manages link-local ones. */
	for (n = 0; n < desired->n_addrs; n++)
		d[n] = &desired->addrs[n];
	for (i = m = 0; i < observed->n_addrs; i++)
		if (observed->addrs[i].scope == RT_SCOPE_UNIVERSE)
			o[m++] = &observed->addrs[i];
	qsort(d, n, sizeof(*d), addr_pcmp);
	qsort(o, m, sizeof(*o), addr_pcmp);
	for (i = j = 0; r == 0 && (i < n || j < m);) {
		int c = i == n ? 1 : j == m ? -1 : addr_cmp(d[i], o[j]);
		char key[RC_KEY_MAX];

		if (c < 0) {
			r = push(&stage[0], RC_ADDR, RC_CREATE, 0, d[i++]);
		} else if (c > 0) {
			rtnl_rc_addr_key(o[j], key, sizeof(key));
			if (owned(owned_keys, n_owned, key))
				r = push(&stage[3], RC_ADDR, RC_DELETE, 3,
					 o[j]);
			j++;
		} else {
			i++, j++;
		}
	}

	/* Neighbours, three-way; an entry the kernel learnt with the right
	 * address is made permanent (an update). */
	for (n = 0; n < desired->n_neighs; n++)
		d[n] = &desired->neighs[n];
	for (m = 0; m < observed->n_neighs; m++)
		o[m] = &observed->neighs[m];
	qsort(d, n, sizeof(*d), neigh_pcmp);
	qsort(o, m, sizeof(*o), neigh_pcmp);
	for (i = j = 0; r == 0 && (i < n || j < m);) {
		int c = i == n ? 1 : j == m ? -1 : neigh_cmp(d[i], o[j]);
		char key[RC_KEY_MAX];

		if (c < 0) {
			r = push(&stage[0], RC_NEIGH, RC_CREATE, 0, d[i++]);
		} else if (c > 0) {
			rtnl_rc_neigh_key(o[j], key, sizeof(key));
			if (owned(owned_keys, n_owned, key))
				r = push(&stage[3], RC_NEIGH, RC_DELETE, 3,
					 o[j]);
			j++;
		} else {
			if (!neigh_same(d[i], o[j]))
				r = push(&stage[0], RC_NEIGH, RC_UPDATE, 0,
					 d[i]);
			i++, j++;
		}
	}

	/* Rules, three-way (the kernel's own rules are never owned). */
	for (n = 0; n < desired->n_rules; n++)
		d[n] = &desired->rules[n];
	for (m = 0; m < observed->n_rules; m++)
		o[m] = &observed->rules[m];
	qsort(d, n, sizeof(*d), rule_pcmp);
	qsort(o, m, sizeof(*o), rule_pcmp);
	for (i = j = 0; r == 0 && (i < n || j < m);) {
		int c = i == n ? 1 : j == m ? -1 : rule_cmp(d[i], o[j]);
		char key[RC_KEY_MAX];

		if (c < 0) {
			r = push(&stage[0], RC_RULE, RC_CREATE, 0, d[i++]);
		} else if (c > 0) {
			rtnl_rc_rule_key(o[j], key, sizeof(key));
			if (owned(owned_keys, n_owned, key))
				r = push(&stage[3], RC_RULE, RC_DELETE, 3,
					 o[j]);
			j++;
		} else {
			i++, j++;
		}
	}

	/* Routes, two-way: only those carrying our tag are ours. */
	for (n = 0; n < desired->n_routes; n++)
		d[n] = &desired->routes[n];
	for (i = m = 0; i < observed->n_routes; i++)
		if (observed->routes[i].protocol == protocol)
			o[m++] = &observed->routes[i];
	qsort(d, n, sizeof(*d), route_pcmp);
	qsort(o, m, sizeof(*o), route_pcmp);
	for (i = j = 0; r == 0 && (i < n || j < m);) {
		int c = i == n ? 1 : j == m ? -1 : route_cmp(d[i], o[j]);

		if (c < 0) {
			r = push(&stage[1], RC_ROUTE, RC_CREATE, 1, d[i++]);
		} else if (c > 0) {
			r = push(&stage[2], RC_ROUTE, RC_DELETE, 2, o[j++]);
		} else {
			if (!route_same(d[i], o[j]))
				r = push(&stage[1], RC_ROUTE, RC_UPDATE, 1,
					 d[i]);
			i++, j++;
		}
	}
	if (r < 0)
		goto nomem;

	for (int s = 0; s < RC_STAGES; s++)
		total += stage[s].n;
	ret->v = malloc((total ? total : 1) * sizeof(*ret->v));
	if (!ret->v)
		goto nomem;
	for (int s = 0; s < RC_STAGES; s++) {
		if (stage[s].n)
			memcpy(ret->v + ret->n, stage[s].v,
			       stage[s].n * sizeof(*ret->v));
		ret->n += stage[s].n;
		free(stage[s].v);
	}
	free(d);
	free(o);
	return 0;
nomem:
	for (int s = 0; s < RC_STAGES; s++)
		free(stage[s].v);
	free(d);
	free(o);
	return linx_error_set(err, ENOMEM, "diff", NULL);
}

/* ---- observed state given as values (linx_rtnl_reconcile_diff) ----------------- */

static int table_of(const struct linx_value *m, uint32_t *ret)
{
	const struct linx_value *v = linx_map_get(m, "table_id");
	const char *s;
	char *end;

	*ret = RT_TABLE_MAIN;
	if (get_u32(v, UINT32_MAX, ret) > 0)
		return 0;
	v = linx_map_get(m, "table");
	if (is_absent(v))
		return 0;
	if (get_u32(v, UINT32_MAX, ret) > 0)
		return 0;
	s = str_of(v);
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "main"))
		*ret = RT_TABLE_MAIN;
	else if (!strcmp(s, "local"))
		*ret = RT_TABLE_LOCAL;
	else if (!strcmp(s, "default"))
		*ret = RT_TABLE_DEFAULT;
	else {
		unsigned long u = strtoul(s, &end, 10);

		if (!*s || *end || u > UINT32_MAX)
			return -EINVAL;
		*ret = (uint32_t)u;
	}
	return 0;
}

/* A name ("kernel", "static") or a number, maybe as text ("76"). */
static int number_or_name(const struct linx_value *v,
			  int (*from_name)(const char *), uint32_t max,
			  uint32_t *ret)
{
	const char *s = str_of(v);
	char *end;

	if (get_u32(v, max, ret) > 0)
		return 0;
	if (!s)
		return -EINVAL;
	if (from_name) {
		int k = from_name(s);

		if (k >= 0) {
			*ret = (uint32_t)k;
			return 0;
		}
	}
	*ret = (uint32_t)strtoul(s, &end, 10);
	return *s && !*end && *ret <= max ? 0 : -EINVAL;
}

static int observed_route(const struct linx_value *v, const struct rc_links *l,
			  struct rc_route *ret)
{
	const char *dst = str_of(linx_map_get(v, "dst"));
	const char *gw = str_of(linx_map_get(v, "gateway"));
	const char *fam = str_of(linx_map_get(v, "family"));
	const char *dev = str_of(linx_map_get(v, "dev"));
	const struct linx_value *p = linx_map_get(v, "protocol");
	uint32_t u = 0;
	uint8_t len = 0, family = 0;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP || !dst)
		return -EINVAL;
	if (fam && family_of(fam, &family) < 0)
		return -EINVAL;
	if (strcmp(dst, "default") != 0) {
		if (linx_rtnl_prefix_parse(dst, &ret->dst, &len, NULL) < 0)
			return -EINVAL;
		family = ret->dst.family;
	}
	if (gw) {
		if (linx_rtnl_ip_parse(gw, &ret->gateway, NULL) < 0)
			return -EINVAL;
		family = family ? family : ret->gateway.family;
	}
	ret->family = family ? family : AF_INET;
	ret->dst_len = len;
	if (len == 0)
		memset(&ret->dst, 0, sizeof(ret->dst));
	if (table_of(v, &ret->table) < 0)
		return -EINVAL;
	if (get_u32(linx_map_get(v, "metric"), UINT32_MAX, &ret->metric) < 0)
		return -EINVAL;
	/* ip omits the protocol of "boot" routes. */
	u = RTPROT_BOOT;
	if (!is_absent(p) &&
	    number_or_name(p, linx_rtnl_protocol_from_name, 255, &u) < 0)
		return -EINVAL;
	ret->protocol = (uint8_t)u;
	if (get_u32(linx_map_get(v, "oif"), INT32_MAX, &u) > 0)
		ret->oif = (int32_t)u;
	else if (dev)
		(void)link_index(l, dev, &ret->oif);
	if (dev)
		snprintf(ret->dev, IFNAMSIZ, "%s", dev);
	else if (ret->oif && rtnl_rc_link_name(l, ret->oif))
		snprintf(ret->dev, IFNAMSIZ, "%s",
			 rtnl_rc_link_name(l, ret->oif));
	return 0;
}

static int observed_addr(const struct linx_value *v, const struct rc_links *l,
			 struct rc_addr *ret)
{
	const char *text = str_of(linx_map_get(v, "local"));
	const char *name = str_of(linx_map_get(v, "ifname"));
	const struct linx_value *scope = linx_map_get(v, "scope");
	uint32_t u;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP)
		return -EINVAL;
	if (!text)
		text = str_of(linx_map_get(v, "address"));
	if (!text || linx_rtnl_ip_parse(text, &ret->address, NULL) < 0)
		return -EINVAL;
	ret->family = ret->address.family;
	if (get_u32(linx_map_get(v, "prefixlen"),
		    (uint32_t)linx_rtnl_ip_len(&ret->address) * 8, &u) <= 0)
		return -EINVAL;
	ret->prefixlen = (uint8_t)u;
	if (get_u32(linx_map_get(v, "ifindex"), INT32_MAX, &u) > 0)
		ret->index = (int32_t)u;
	else if (!name || !link_index(l, name, &ret->index))
		return -EINVAL;
	u = RT_SCOPE_UNIVERSE;
	if (!is_absent(scope) &&
	    number_or_name(scope, linx_rtnl_scope_from_name, 255, &u) < 0)
		return -EINVAL;
	ret->scope = (uint8_t)u;
	name = name ? name : rtnl_rc_link_name(l, ret->index);
	if (name)
		snprintf(ret->dev, IFNAMSIZ, "%s", name);
	return 0;
}

static int observed_neigh(const struct linx_value *v, const struct rc_links *l,
			  struct rc_neigh *ret)
{
	const char *dst = str_of(linx_map_get(v, "dst"));
	const char *ll = str_of(linx_map_get(v, "lladdr"));
	const char *dev = str_of(linx_map_get(v, "dev"));
	const struct linx_value *st = linx_map_get(v, "state");
	uint32_t u;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP || !dst ||
	    linx_rtnl_ip_parse(dst, &ret->dst, NULL) < 0)
		return -EINVAL;
	ret->family = ret->dst.family;
	if (ll && linx_rtnl_lladdr_parse(ll, &ret->lladdr, NULL) < 0)
		return -EINVAL;
	if (get_u32(linx_map_get(v, "ifindex"), INT32_MAX, &u) > 0)
		ret->index = (int32_t)u;
	else if (!dev || !link_index(l, dev, &ret->index))
		return -EINVAL;
	/* ["PERMANENT"] as the list verb and ip -j print it, or NUD_* */
	if (st && st->type == LINX_LIST) {
		for (uint32_t i = 0; i < st->len; i++)
			if (str_of(&st->items[i]) &&
			    !strcmp(st->items[i].str, "PERMANENT"))
				ret->state |= NUD_PERMANENT;
	} else if (str_of(st)) {
		if (!strcmp(st->str, "PERMANENT"))
			ret->state = NUD_PERMANENT;
	} else if (get_u32(st, 0xffff, &u) > 0) {
		ret->state = (uint16_t)u;
	}
	dev = dev ? dev : rtnl_rc_link_name(l, ret->index);
	if (dev)
		snprintf(ret->dev, IFNAMSIZ, "%s", dev);
	return 0;
}

static int observed_selector(const struct linx_value *v, const char *ip_key,
			     const char *len_key, struct linx_rtnl_ip *ip,
			     uint8_t *len)
{
	const char *s = str_of(linx_map_get(v, ip_key));
	uint32_t u;

	memset(ip, 0, sizeof(*ip));
	*len = 0;
	if (!s || !strcmp(s, "all"))
		return 0;
	if (linx_rtnl_prefix_parse(s, ip, len, NULL) < 0)
		return -EINVAL;
	if (!strchr(s, '/') &&
	    get_u32(linx_map_get(v, len_key),
		    (uint32_t)linx_rtnl_ip_len(ip) * 8, &u) > 0)
		*len = (uint8_t)u;
	return 0;
}

static int observed_rule(const struct linx_value *v, struct rc_rule *ret)
{
	const struct linx_value *mark = linx_map_get(v, "fwmark");
	const char *fam = str_of(linx_map_get(v, "family"));
	uint8_t family = 0;
	char *end;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP ||
	    get_u32(linx_map_get(v, "priority"), UINT32_MAX, &ret->priority) <
		    0 ||
	    observed_selector(v, "src", "srclen", &ret->src, &ret->src_len) <
		    0 ||
	    observed_selector(v, "dst", "dstlen", &ret->dst, &ret->dst_len) <
		    0 ||
	    (fam && family_of(fam, &family) < 0) || table_of(v, &ret->table) < 0)
		return -EINVAL;
	if (str_of(mark)) {
		unsigned long u = strtoul(mark->str, &end, 0);

		if (!*mark->str || *end || u > UINT32_MAX)
			return -EINVAL;
		ret->fwmark = (uint32_t)u;
		ret->has_fwmark = true;
	} else if (get_u32(mark, UINT32_MAX, &ret->fwmark) > 0) {
		ret->has_fwmark = true;
	}
	ret->family = family		 ? family
		      : ret->src.family ? ret->src.family
		      : ret->dst.family ? ret->dst.family
					 : AF_INET;
	if (ret->src_len == 0)
		memset(&ret->src, 0, sizeof(ret->src));
	if (ret->dst_len == 0)
		memset(&ret->dst, 0, sizeof(ret->dst));
	return 0;
}

static const struct linx_value *observed_list(const struct linx_value *o,
					      const char *key)
{
	const struct linx_value *l = linx_map_get(o, key);

	return l && l->type == LINX_LIST ? l : NULL;
}

static int observed_links(const struct linx_value *o, struct rc_links *links,
			  struct linx_error *err)
{
	const struct linx_value *l = observed_list(o, "links");
	const struct linx_value *a = observed_list(o, "addresses");
	const struct linx_value *lists[2] = { l, a };
	const char *const names[2] = { "links", "addresses" };

	for (int k = 0; k < 2; k++)
		for (uint32_t i = 0; lists[k] && i < lists[k]->len; i++) {
			const struct linx_value *m = &lists[k]->items[i];
			const char *name = m->type == LINX_MAP
						   ? str_of(linx_map_get(
							     m, "ifname"))
						   : NULL;
			uint32_t index;

			if (!name ||
			    get_u32(linx_map_get(m, "ifindex"), INT32_MAX,
				    &index) <= 0) {
				if (k == 0)
					return linx_error_param(
						err, "validate", "observed",
						"observed.%s[%u]: {ifindex, "
						"ifname}",
						names[k], i);
				continue;
			}
			if (rtnl_rc_links_add(links, (int32_t)index, name) < 0)
				return linx_error_set(err, ENOMEM, "diff",
						      NULL);
		}
	return 0;
}

static int observed_set(const struct linx_value *o,
			const struct rc_links *links, struct rc_set *ret,
			struct linx_error *err)
{
	const struct linx_value *a = observed_list(o, "addresses");
	const struct linx_value *rt = observed_list(o, "routes");
	const struct linx_value *nb = observed_list(o, "neighbours");
	const struct linx_value *ru = observed_list(o, "rules");
	struct rc_set s = { 0 };

	s.addrs = calloc(a && a->len ? a->len : 1, sizeof(*s.addrs));
	s.routes = calloc(rt && rt->len ? rt->len : 1, sizeof(*s.routes));
	s.neighs = calloc(nb && nb->len ? nb->len : 1, sizeof(*s.neighs));
	s.rules = calloc(ru && ru->len ? ru->len : 1, sizeof(*s.rules));
	if (!s.addrs || !s.routes || !s.neighs || !s.rules) {
		rtnl_rc_set_free(&s);
		return linx_error_set(err, ENOMEM, "diff", NULL);
	}
	for (uint32_t i = 0; a && i < a->len; i++)
		if (observed_addr(&a->items[i], links, &s.addrs[s.n_addrs++]) <
		    0) {
			rtnl_rc_set_free(&s);
			return linx_error_param(err, "validate", "observed",
						"observed.addresses[%u]: "
						"{ifindex | ifname, local, "
						"prefixlen, scope?}",
						i);
		}
	for (uint32_t i = 0; rt && i < rt->len; i++)
		if (observed_route(&rt->items[i], links,
				   &s.routes[s.n_routes++]) < 0) {
			rtnl_rc_set_free(&s);
			return linx_error_param(err, "validate", "observed",
						"observed.routes[%u]: {dst, "
						"protocol?, family?, table?, "
						"metric?, gateway?, oif | dev?}",
						i);
		}
	for (uint32_t i = 0; nb && i < nb->len; i++) {
		/* bridge FDB entries and the like have no IP: not ours */
		const struct linx_value *dst = linx_map_get(&nb->items[i],
							    "dst");

		if (nb->items[i].type == LINX_MAP && !str_of(dst))
			continue;
		if (observed_neigh(&nb->items[i], links,
				   &s.neighs[s.n_neighs++]) < 0) {
			rtnl_rc_set_free(&s);
			return linx_error_param(err, "validate", "observed",
						"observed.neighbours[%u]: "
						"{ifindex | dev, dst, lladdr?, "
						"state?}",
						i);
		}
	}
	for (uint32_t i = 0; ru && i < ru->len; i++)
		if (observed_rule(&ru->items[i], &s.rules[s.n_rules++]) < 0) {
			rtnl_rc_set_free(&s);
			return linx_error_param(err, "validate", "observed",
						"observed.rules[%u]: {priority, "
						"src?, dst?, fwmark?, table?, "
						"family?}",
						i);
		}
	*ret = s;
	return 0;
}

int linx_rtnl_reconcile_diff(const struct linx_value *observed,
			     const struct linx_value *desired,
			     const struct linx_value *last_applied,
			     int protocol, struct linx_value *ret_ops,
			     struct linx_error *err)
{
	struct rc_links links = { 0 };
	struct rc_set want = { 0 }, have = { 0 };
	struct rc_ops ops = { 0 };
	struct linx_value list;
	const char **keys = NULL;
	size_t n_keys = 0;
	uint8_t proto = 0;
	int r;

	if (!ret_ops)
		return linx_error_param(err, "validate", "ret", "no output");
	if (!observed || observed->type != LINX_MAP)
		return linx_error_param(err, "validate", "observed",
					"observed is a map {links, addresses, "
					"routes}");
	r = rtnl_rc_protocol(protocol, &proto, err);
	if (r >= 0)
		r = rtnl_rc_owned(last_applied, &keys, &n_keys, err);
	if (r >= 0)
		r = observed_links(observed, &links, err);
	if (r >= 0)
		r = rtnl_rc_desired(desired, &links, &want, err);
	if (r >= 0)
		r = observed_set(observed, &links, &have, err);
	if (r >= 0)
		r = rtnl_rc_diff(&want, &have, proto, keys, n_keys, &ops, err);
	if (r >= 0) {
		list = linx_value_list();
		linx_value_reserve(&list, ops.n);
		for (size_t i = 0; i < ops.n; i++) {
			struct linx_value v;

			rtnl_rc_op_value(&ops.v[i], proto, &v);
			linx_list_push(&list, &v);
		}
		r = linx_value_status(&list);
		if (r < 0) {
			linx_value_clear(&list);
			r = linx_error_set(err, ENOMEM, "diff", NULL);
		} else {
			*ret_ops = list;
		}
	}
	free(ops.v);
	free(keys);
	rtnl_rc_set_free(&want);
	rtnl_rc_set_free(&have);
	rtnl_rc_links_free(&links);
	return r;
}
