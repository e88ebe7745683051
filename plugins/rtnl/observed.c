/* SPDX-License-Identifier: MIT */
/*
 * Observed state given as values (rtnl.diff): what rtnl.observe returns,
 * or what `ip -j` prints, read into the keyed form the diff compares.
 * Lenient about spelling (a table or protocol by name or number, as text
 * or integer), strict about what the diff needs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/neighbour.h>

#include "rtnl-reconcile.h"
static int table_of(const struct linx_value *m, uint32_t *ret)
{
	const struct linx_value *v = linx_map_get(m, "table_id");
	const char *s;
	char *end;

	*ret = RT_TABLE_MAIN;
	if (rc_u32(v, UINT32_MAX, ret) > 0)
		return 0;
	v = linx_map_get(m, "table");
	if (rc_absent(v))
		return 0;
	if (rc_u32(v, UINT32_MAX, ret) > 0)
		return 0;
	s = rc_str(v);
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
	const char *s = rc_str(v);
	char *end;

	if (rc_u32(v, max, ret) > 0)
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
	const char *dst = rc_str(linx_map_get(v, "dst"));
	const char *gw = rc_str(linx_map_get(v, "gateway"));
	const char *fam = rc_str(linx_map_get(v, "family"));
	const char *dev = rc_str(linx_map_get(v, "dev"));
	const struct linx_value *p = linx_map_get(v, "protocol");
	uint32_t u = 0;
	uint8_t len = 0, family = 0;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP || !dst)
		return -EINVAL;
	if (fam && rc_family_of(fam, &family) < 0)
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
	if (rc_u32(linx_map_get(v, "metric"), UINT32_MAX, &ret->metric) < 0)
		return -EINVAL;
	/* ip omits the protocol of "boot" routes. */
	u = RTPROT_BOOT;
	if (!rc_absent(p) &&
	    number_or_name(p, linx_rtnl_protocol_from_name, 255, &u) < 0)
		return -EINVAL;
	ret->protocol = (uint8_t)u;
	if (rc_u32(linx_map_get(v, "oif"), INT32_MAX, &u) > 0)
		ret->oif = (int32_t)u;
	else if (dev)
		(void)rc_link_index(l, dev, &ret->oif);
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
	const char *text = rc_str(linx_map_get(v, "local"));
	const char *name = rc_str(linx_map_get(v, "ifname"));
	const struct linx_value *scope = linx_map_get(v, "scope");
	uint32_t u;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP)
		return -EINVAL;
	if (!text)
		text = rc_str(linx_map_get(v, "address"));
	if (!text || linx_rtnl_ip_parse(text, &ret->address, NULL) < 0)
		return -EINVAL;
	ret->family = ret->address.family;
	if (rc_u32(linx_map_get(v, "prefixlen"),
		    (uint32_t)linx_rtnl_ip_len(&ret->address) * 8, &u) <= 0)
		return -EINVAL;
	ret->prefixlen = (uint8_t)u;
	if (rc_u32(linx_map_get(v, "ifindex"), INT32_MAX, &u) > 0)
		ret->index = (int32_t)u;
	else if (!name || !rc_link_index(l, name, &ret->index))
		return -EINVAL;
	u = RT_SCOPE_UNIVERSE;
	if (!rc_absent(scope) &&
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
	const char *dst = rc_str(linx_map_get(v, "dst"));
	const char *ll = rc_str(linx_map_get(v, "lladdr"));
	const char *dev = rc_str(linx_map_get(v, "dev"));
	const struct linx_value *st = linx_map_get(v, "state");
	uint32_t u;

	memset(ret, 0, sizeof(*ret));
	if (v->type != LINX_MAP || !dst ||
	    linx_rtnl_ip_parse(dst, &ret->dst, NULL) < 0)
		return -EINVAL;
	ret->family = ret->dst.family;
	if (ll && linx_rtnl_lladdr_parse(ll, &ret->lladdr, NULL) < 0)
		return -EINVAL;
	if (rc_u32(linx_map_get(v, "ifindex"), INT32_MAX, &u) > 0)
		ret->index = (int32_t)u;
	else if (!dev || !rc_link_index(l, dev, &ret->index))
		return -EINVAL;
	/* ["PERMANENT"] as the list verb and ip -j print it, or NUD_* */
	if (st && st->type == LINX_LIST) {
		for (uint32_t i = 0; i < st->len; i++)
			if (rc_str(&st->items[i]) &&
			    !strcmp(st->items[i].str, "PERMANENT"))
				ret->state |= NUD_PERMANENT;
	} else if (rc_str(st)) {
		if (!strcmp(st->str, "PERMANENT"))
			ret->state = NUD_PERMANENT;
	} else if (rc_u32(st, 0xffff, &u) > 0) {
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
	const char *s = rc_str(linx_map_get(v, ip_key));
	uint32_t u;

	memset(ip, 0, sizeof(*ip));
	*len = 0;
	if (!s || !strcmp(s, "all"))
		return 0;
	if (linx_rtnl_prefix_parse(s, ip, len, NULL) < 0)
		return -EINVAL;
	if (!strchr(s, '/') &&
	    rc_u32(linx_map_get(v, len_key),
		    (uint32_t)linx_rtnl_ip_len(ip) * 8, &u) > 0)
		*len = (uint8_t)u;
	return 0;
}

static int observed_rule(const struct linx_value *v, struct rc_rule *ret)
{
	const struct linx_value *mark = linx_map_get(v, "fwmark");
	const char *fam = rc_str(linx_map_get(v, "family"));
	uint8_t family = 0;
	char *end;

	memset(ret, 0, sizeof(*ret));
	/* Rules of another family, printed by number - the multicast
	 * routing tables' (RTNL_FAMILY_IPMR 128, RTNL_FAMILY_IP6MR 129,
	 * listed where ipmr is built in) - are not unicast policy: skipped,
	 * as the pass skips them, and as ip(8) does not show them. */
	if (v->type == LINX_MAP && fam && rc_family_of(fam, &family) < 0 &&
	    fam[0] && strspn(fam, "0123456789") == strlen(fam))
		return 1;
	if (v->type != LINX_MAP ||
	    rc_u32(linx_map_get(v, "priority"), UINT32_MAX, &ret->priority) <
		    0 ||
	    observed_selector(v, "src", "srclen", &ret->src, &ret->src_len) <
		    0 ||
	    observed_selector(v, "dst", "dstlen", &ret->dst, &ret->dst_len) <
		    0 ||
	    (fam && rc_family_of(fam, &family) < 0) ||
	    table_of(v, &ret->table) < 0)
		return -EINVAL;
	if (rc_str(mark)) {
		unsigned long u = strtoul(mark->str, &end, 0);

		if (!*mark->str || *end || u > UINT32_MAX)
			return -EINVAL;
		ret->fwmark = (uint32_t)u;
		ret->has_fwmark = true;
	} else if (rc_u32(mark, UINT32_MAX, &ret->fwmark) > 0) {
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

int rtnl_rc_observed_links(const struct linx_value *o,
			   struct rc_links *links, struct linx_error *err)
{
	const struct linx_value *l = observed_list(o, "links");
	const struct linx_value *a = observed_list(o, "addresses");
	const struct linx_value *lists[2] = { l, a };
	const char *const names[2] = { "links", "addresses" };

	for (int k = 0; k < 2; k++)
		for (uint32_t i = 0; lists[k] && i < lists[k]->len; i++) {
			const struct linx_value *m = &lists[k]->items[i];
			const char *name = m->type == LINX_MAP
						   ? rc_str(linx_map_get(
							     m, "ifname"))
						   : NULL;
			uint32_t index;

			if (!name ||
			    rc_u32(linx_map_get(m, "ifindex"), INT32_MAX,
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

int rtnl_rc_observed_set(const struct linx_value *o,
			 const struct rc_links *links, struct rc_set *ret,
			 struct linx_error *err)
{
	const struct linx_value *lk = observed_list(o, "links");
	const struct linx_value *a = observed_list(o, "addresses");
	const struct linx_value *rt = observed_list(o, "routes");
	const struct linx_value *nb = observed_list(o, "neighbours");
	const struct linx_value *ru = observed_list(o, "rules");
	struct rc_set s = { 0 };

	s.links = calloc(lk && lk->len ? lk->len : 1, sizeof(*s.links));
	s.addrs = calloc(a && a->len ? a->len : 1, sizeof(*s.addrs));
	s.routes = calloc(rt && rt->len ? rt->len : 1, sizeof(*s.routes));
	s.neighs = calloc(nb && nb->len ? nb->len : 1, sizeof(*s.neighs));
	s.rules = calloc(ru && ru->len ? ru->len : 1, sizeof(*s.rules));
	if (!s.links || !s.addrs || !s.routes || !s.neighs || !s.rules) {
		rtnl_rc_set_free(&s);
		return linx_error_set(err, ENOMEM, "diff", NULL);
	}
	/* What exists is what "links" lists (rtnl_rc_observed_links()
	 * checked each entry); the ifname of an address only names. */
	for (uint32_t i = 0; lk && i < lk->len; i++) {
		struct rc_lnk *l = &s.links[s.n_links++];
		uint32_t index = 0;

		(void)rc_u32(linx_map_get(&lk->items[i], "ifindex"), INT32_MAX,
			     &index);
		l->index = (int32_t)index;
		l->pos = i;
		snprintf(l->name, IFNAMSIZ, "%s",
			 rc_str(linx_map_get(&lk->items[i], "ifname")));
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

		if (nb->items[i].type == LINX_MAP && !rc_str(dst))
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
	for (uint32_t i = 0; ru && i < ru->len; i++) {
		int r = observed_rule(&ru->items[i], &s.rules[s.n_rules]);

		if (r == 0)
			s.n_rules++;
		if (r < 0) {
			rtnl_rc_set_free(&s);
			return linx_error_param(err, "validate", "observed",
						"observed.rules[%u]: {priority, "
						"src?, dst?, fwmark?, table?, "
						"family?}",
						i);
		}
	}
	*ret = s;
	return 0;
}
