/* SPDX-License-Identifier: MIT */
/*
 * The rtnl diff (linx/rtnl-reconcile.h): the keys of links (existence
 * only), addresses, routes, neighbours and rules, and the ops between a
 * desired and an observed set of them - routes two-way (owned by
 * rtm_protocol), the rest three-way (owned through last_applied).
 * Pure: nothing here talks to the kernel.  The sets come from desired.c
 * and observed.c (values) or reconcile.c (the kernel).
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

bool rc_link_index(const struct rc_links *l, const char *name,
			int32_t *ret)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strncmp(l->v[i].name, name, IFNAMSIZ) == 0) {
			*ret = l->v[i].index;
			return true;
		}
	return false;
}

int rtnl_rc_link_set(const struct rc_links *links, struct rc_set *set)
{
	set->links = calloc(links->n ? links->n : 1, sizeof(*set->links));
	if (!set->links)
		return -ENOMEM;
	for (size_t i = 0; i < links->n; i++) {
		set->links[i].index = links->v[i].index;
		set->links[i].pos = (uint32_t)i;
		memcpy(set->links[i].name, links->v[i].name, IFNAMSIZ);
	}
	set->n_links = links->n;
	return 0;
}

void rtnl_rc_set_free(struct rc_set *s)
{
	free(s->links);
	free(s->addrs);
	free(s->routes);
	free(s->neighs);
	free(s->rules);
	memset(s, 0, sizeof(*s));
}

/* ---- keys -------------------------------------------------------------- */

const char *rc_family_name(uint8_t family)
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

static int link_cmp(const struct rc_lnk *a, const struct rc_lnk *b)
{
	return strncmp(a->name, b->name, IFNAMSIZ);
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

static int link_pcmp(const void *a, const void *b)
{
	return link_cmp(*(const struct rc_lnk *const *)a,
			*(const struct rc_lnk *const *)b);
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
		 rc_family_name(a->family), ip, a->prefixlen);
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
		 rc_family_name(r->family), dst, r->metric);
}

void rtnl_rc_neigh_key(const struct rc_neigh *n, char *buf, size_t cap)
{
	char ip[LINX_RTNL_ADDRSTRLEN];

	ip_text(&n->dst, ip, sizeof(ip));
	snprintf(buf, cap, "ifindex %d %s %s", n->index,
		 rc_family_name(n->family), ip);
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
		 r->priority, rc_family_name(r->family), from, to, mark,
		 r->table);
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
	case RC_LINK:
		snprintf(buf, cap, "%s",
			 ((const struct rc_lnk *)op->item)->name);
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

static struct linx_value link_value(const struct rc_lnk *l)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, "ifname", l->name);
	if (l->index)
		linx_map_put_int(&m, "ifindex", l->index);
	return m;
}

static struct linx_value addr_value(const struct rc_addr *a)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, "family", rc_family_name(a->family));
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
	linx_map_put_cstring(&m, "family", rc_family_name(r->family));
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

	linx_map_put_cstring(&m, "family", rc_family_name(n->family));
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

	linx_map_put_cstring(&m, "family", rc_family_name(r->family));
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
					     "rule", "link" };
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
	} else if (op->kind == RC_LINK) {
		v = link_value(op->item);
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

/* ---- one key, one item -------------------------------------------------- */

/* Two entries with one key: the desired state contradicts itself (or
 * says the same thing twice, which is refused too, to keep keys unique). */
int rtnl_rc_unique(const struct rc_set *s, struct linx_error *err)
{
	size_t n = s->n_addrs > s->n_routes ? s->n_addrs : s->n_routes;

	n = n > s->n_neighs ? n : s->n_neighs;
	n = n > s->n_rules ? n : s->n_rules;
	n = n > s->n_links ? n : s->n_links;
	const void **p = malloc((n ? n : 1) * sizeof(*p));
	int r = 0;

	if (!p)
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	for (size_t i = 0; i < s->n_links; i++)
		p[i] = &s->links[i];
	qsort(p, s->n_links, sizeof(*p), link_pcmp);
	for (size_t i = 1; i < s->n_links && r == 0; i++)
		if (link_cmp(p[i - 1], p[i]) == 0) {
			const struct rc_lnk *a = p[i - 1], *b = p[i];

			r = linx_error_param_object(
				err, EINVAL, "bad_link", "desired", a->name,
				"desired.links[%u] and [%u] are the same link",
				a->pos < b->pos ? a->pos : b->pos,
				a->pos < b->pos ? b->pos : a->pos);
		}
	for (size_t i = 0; i < s->n_addrs && r == 0; i++)
		p[i] = &s->addrs[i];
	if (r == 0)
		qsort(p, s->n_addrs, sizeof(*p), addr_pcmp);
	for (size_t i = 1; i < s->n_addrs && r == 0; i++)
		if (addr_cmp(p[i - 1], p[i]) == 0) {
			const struct rc_addr *a = p[i - 1], *b = p[i];

			r = linx_error_param_object(
				err, EINVAL, "bad_address", "desired", NULL,
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

			r = linx_error_param_object(
				err, EINVAL, "bad_route", "desired", NULL,
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

			r = linx_error_param_object(
				err, EINVAL, "bad_neighbour", "desired", NULL,
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

			r = linx_error_param_object(
				err, EINVAL, "bad_rule", "desired", NULL,
				"desired.rules[%u] and [%u] are the same rule",
				a->pos < b->pos ? a->pos : b->pos,
				a->pos < b->pos ? b->pos : a->pos);
		}
	free(p);
	return r;
}

/* ---- ownership ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int rtnl_rc_owned(const struct linx_value *last, const char ***ret,
		  size_t *ret_n, struct linx_error *err)
{
	static const char *const lists[] = { "links", "addresses",
					     "neighbours", "rules" };
	const struct linx_value *l[4] = { NULL, NULL, NULL, NULL };
	const char **v;
	size_t n = 0;

	*ret = NULL;
	*ret_n = 0;
	if (rc_absent(last))
		return 0;
	if (last->type != LINX_MAP)
		return linx_error_param(err, "validate", "last_applied",
					"last_applied is a map {links, "
					"addresses, neighbours, rules: [key]}");
	for (int k = 0; k < 4; k++) {
		l[k] = linx_map_get(last, lists[k]);
		if (rc_absent(l[k])) {
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
	for (int k = 0; k < 4; k++)
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

/* ---- the diff ----------------------------------------------------------- */

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

static bool route_same(const void *w, const void *h)
{
	const struct rc_route *want = w, *have = h;

	if (cmp_ip(&want->gateway, &have->gateway) != 0)
		return false;
	return want->oif == 0 || want->oif == have->oif;
}

static bool neigh_same(const void *w, const void *h)
{
	const struct rc_neigh *want = w, *have = h;

	return (have->state & NUD_PERMANENT) &&
	       want->lladdr.len == have->lladdr.len &&
	       memcmp(want->lladdr.addr, have->lladdr.addr, want->lladdr.len) ==
		       0;
}

static bool owned(const char *const *keys, size_t n, const char *key)
{
	return n && bsearch(&key, keys, n, sizeof(*keys), cmp_str) != NULL;
}

/* One diff: the ops gathered per stage, and the two sides of the kind
 * being compared as sorted pointer arrays (room for every item). */
struct diff {
	struct op_list stage[RC_STAGES];
	const char *const *owned_keys;
	size_t n_owned;
	const void **d, **o;
	size_t n, m;
};

/* How one kind of item is compared.  `tagged`: every observed item given
 * is ours (routes, by protocol), else only those whose key last_applied
 * owns.  `same`: NULL when a match never needs an update. */
struct diff_kind {
	uint8_t kind;
	uint8_t make_stage, drop_stage;
	bool tagged;
	int (*pcmp)(const void *, const void *);
	bool (*same)(const void *want, const void *have);
};

/* Links: created first, deleted last (a pass applies neither). */
static const struct diff_kind link_kind = { RC_LINK, 0, 4, false,
					    link_pcmp, NULL };
static const struct diff_kind addr_kind = { RC_ADDR, 0, 3, false,
					    addr_pcmp, NULL };
static const struct diff_kind neigh_kind = { RC_NEIGH, 0, 3, false,
					     neigh_pcmp, neigh_same };
static const struct diff_kind rule_kind = { RC_RULE, 0, 3, false,
					    rule_pcmp, NULL };
static const struct diff_kind route_kind = { RC_ROUTE, 1, 2, true,
					     route_pcmp, route_same };

/* An observed item only we have: deleted when it is ours. */
static int diff_drop(struct diff *x, const struct diff_kind *k,
		     const void *have)
{
	struct rc_op op = { k->kind, RC_DELETE, k->drop_stage, have };
	char key[RC_KEY_MAX];

	if (!k->tagged) {
		rtnl_rc_op_key(&op, key, sizeof(key));
		if (!owned(x->owned_keys, x->n_owned, key))
			return 0;
	}
	return push(&x->stage[k->drop_stage], k->kind, RC_DELETE,
		    k->drop_stage, have);
}

/* Walks both sorted sides in step: created what only the desired side
 * has, dropped what only the observed side has, updated a match that
 * differs. */
static int diff_merge(struct diff *x, const struct diff_kind *k)
{
	const void **d = x->d, **o = x->o;
	size_t n = x->n, m = x->m, i, j;
	int r = 0;

	qsort(d, n, sizeof(*d), k->pcmp);
	qsort(o, m, sizeof(*o), k->pcmp);
	for (i = j = 0; r == 0 && (i < n || j < m);) {
		int c = i == n ? 1 : j == m ? -1 : k->pcmp(&d[i], &o[j]);

		if (c < 0) {
			r = push(&x->stage[k->make_stage], k->kind, RC_CREATE,
				 k->make_stage, d[i++]);
		} else if (c > 0) {
			r = diff_drop(x, k, o[j++]);
		} else {
			if (k->same && !k->same(d[i], o[j]))
				r = push(&x->stage[k->make_stage], k->kind,
					 RC_UPDATE, k->make_stage, d[i]);
			i++, j++;
		}
	}
	return r;
}

/* Points v[0..n) at the n items of `size` bytes from `items`. */
static size_t point_at(const void **v, const void *items, size_t n,
		       size_t size)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (const char *)items + i * size;
	return n;
}

/* Links, three-way, by name: present or not. */
static int diff_links(struct diff *x, const struct rc_set *desired,
		      const struct rc_set *observed)
{
	x->n = point_at(x->d, desired->links, desired->n_links,
			sizeof(*desired->links));
	x->m = point_at(x->o, observed->links, observed->n_links,
			sizeof(*observed->links));
	return diff_merge(x, &link_kind);
}

/* Addresses, three-way; the kernel manages link-local ones. */
static int diff_addrs(struct diff *x, const struct rc_set *desired,
		      const struct rc_set *observed)
{
	x->n = point_at(x->d, desired->addrs, desired->n_addrs,
			sizeof(*desired->addrs));
	x->m = 0;
	for (size_t i = 0; i < observed->n_addrs; i++)
		if (observed->addrs[i].scope == RT_SCOPE_UNIVERSE)
			x->o[x->m++] = &observed->addrs[i];
	return diff_merge(x, &addr_kind);
}

/* Neighbours, three-way; an entry the kernel learnt with the right
 * address is made permanent (an update). */
static int diff_neighs(struct diff *x, const struct rc_set *desired,
		       const struct rc_set *observed)
{
	x->n = point_at(x->d, desired->neighs, desired->n_neighs,
			sizeof(*desired->neighs));
	x->m = point_at(x->o, observed->neighs, observed->n_neighs,
			sizeof(*observed->neighs));
	return diff_merge(x, &neigh_kind);
}

/* Rules, three-way (the kernel's own rules are never owned). */
static int diff_rules(struct diff *x, const struct rc_set *desired,
		      const struct rc_set *observed)
{
	x->n = point_at(x->d, desired->rules, desired->n_rules,
			sizeof(*desired->rules));
	x->m = point_at(x->o, observed->rules, observed->n_rules,
			sizeof(*observed->rules));
	return diff_merge(x, &rule_kind);
}

/* Routes, two-way: only those carrying our tag are ours. */
static int diff_routes(struct diff *x, const struct rc_set *desired,
		       const struct rc_set *observed, uint8_t protocol)
{
	x->n = point_at(x->d, desired->routes, desired->n_routes,
			sizeof(*desired->routes));
	x->m = 0;
	for (size_t i = 0; i < observed->n_routes; i++)
		if (observed->routes[i].protocol == protocol)
			x->o[x->m++] = &observed->routes[i];
	return diff_merge(x, &route_kind);
}

/* The stages one after the other into `ret`; the stage lists are freed
 * either way. */
static int diff_join(struct op_list *stage, struct rc_ops *ret)
{
	size_t total = 0;

	for (int s = 0; s < RC_STAGES; s++)
		total += stage[s].n;
	ret->v = malloc((total ? total : 1) * sizeof(*ret->v));
	for (int s = 0; ret->v && s < RC_STAGES; s++) {
		if (stage[s].n)
			memcpy(ret->v + ret->n, stage[s].v,
			       stage[s].n * sizeof(*ret->v));
		ret->n += stage[s].n;
	}
	for (int s = 0; s < RC_STAGES; s++)
		free(stage[s].v);
	return ret->v ? 0 : -ENOMEM;
}

int rtnl_rc_diff(const struct rc_set *desired, const struct rc_set *observed,
		 uint8_t protocol, const char *const *owned_keys,
		 size_t n_owned, struct rc_ops *ret, struct linx_error *err)
{
	struct diff x = { .owned_keys = owned_keys, .n_owned = n_owned };
	size_t nd = desired->n_addrs + desired->n_routes + desired->n_neighs +
		    desired->n_rules + desired->n_links;
	size_t no = observed->n_addrs + observed->n_routes +
		    observed->n_neighs + observed->n_rules + observed->n_links;
	int r = 0;

	x.d = malloc((nd ? nd : 1) * sizeof(*x.d));
	x.o = malloc((no ? no : 1) * sizeof(*x.o));
	ret->v = NULL;
	ret->n = 0;
	if (!x.d || !x.o)
		r = -ENOMEM;
	if (r == 0)
		r = diff_links(&x, desired, observed);
	if (r == 0)
		r = diff_addrs(&x, desired, observed);
	if (r == 0)
		r = diff_neighs(&x, desired, observed);
	if (r == 0)
		r = diff_rules(&x, desired, observed);
	if (r == 0)
		r = diff_routes(&x, desired, observed, protocol);
	if (r == 0)
		r = diff_join(x.stage, ret);
	else
		for (int s = 0; s < RC_STAGES; s++)
			free(x.stage[s].v);
	free(x.d);
	free(x.o);
	if (r < 0)
		return linx_error_set(err, ENOMEM, "diff", NULL);
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
		r = rtnl_rc_observed_links(observed, &links, err);
	if (r >= 0)
		r = rtnl_rc_desired(desired, &links, false, &want, err);
	if (r >= 0 && want.n_links && !linx_map_get(observed, "links"))
		r = linx_error_param(err, "validate", "observed",
				     "observed.links is needed to compare "
				     "desired.links");
	if (r >= 0)
		r = rtnl_rc_observed_set(observed, &links, &have, err);
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
