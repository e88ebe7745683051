/* SPDX-License-Identifier: MIT */
/*
 * Decoded objects as value trees, for the verbs.  Keys and spellings
 * follow `ip -j` (iproute2) where it has them: ifindex, ifname, flags,
 * mtu, operstate, link_type, address, dst, gateway, dev, table,
 * protocol, scope, lladdr, state, priority, src/srclen ...  Raw numbers
 * ride alongside under their own names (table_id, oif, ...).  Builders
 * move values into maps, which poison on failure; the caller checks
 * linx_value_status() once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-value.h"

static int cmp_name(const void *a, const void *b)
{
	const struct rtnl_name *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

int rtnl_names_load(struct linx_rtnl *s, struct rtnl_names *ret,
		    struct linx_error *err)
{
	struct linx_rtnl_link *links;
	size_t n;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = linx_rtnl_link_list(s, &links, &n, err);
	if (r < 0)
		return r;
	ret->v = calloc(n ? n : 1, sizeof(*ret->v));
	if (!ret->v) {
		free(links);
		return linx_error_set(err, ENOMEM, "link.list", NULL);
	}
	for (size_t i = 0; i < n; i++) {
		ret->v[i].index = links[i].index;
		memcpy(ret->v[i].name, links[i].name, IFNAMSIZ);
	}
	ret->n = n;
	free(links);
	qsort(ret->v, ret->n, sizeof(*ret->v), cmp_name);
	return 0;
}

void rtnl_names_free(struct rtnl_names *names)
{
	free(names->v);
	names->v = NULL;
	names->n = 0;
}

const char *rtnl_names_find(const struct rtnl_names *names, int32_t index)
{
	struct rtnl_name key = { .index = index }, *hit;

	if (!names || !names->n)
		return NULL;
	hit = bsearch(&key, names->v, names->n, sizeof(key), cmp_name);
	return hit ? hit->name : NULL;
}

static void put_ip(struct linx_value *m, const char *key,
		   const struct linx_rtnl_ip *ip)
{
	char buf[LINX_RTNL_ADDRSTRLEN];

	linx_rtnl_ip_format(ip, buf, sizeof(buf));
	linx_map_put_cstring(m, key, buf);
}

static void put_ll(struct linx_value *m, const char *key,
		   const struct linx_rtnl_lladdr *ll)
{
	char buf[LINX_RTNL_ADDRSTRLEN];

	linx_rtnl_lladdr_format(ll, buf, sizeof(buf));
	linx_map_put_cstring(m, key, buf);
}

/* A name when known, else the decimal number, as ip prints them. */
static void put_name_or_num(struct linx_value *m, const char *key,
			    const char *name, uint32_t v)
{
	char num[16];

	if (!name) {
		snprintf(num, sizeof(num), "%u", v);
		name = num;
	}
	linx_map_put_cstring(m, key, name);
}

static void put_str_list(struct linx_value *m, const char *key,
			 const char *const *names, size_t n)
{
	struct linx_value list = linx_value_list();

	for (size_t i = 0; i < n; i++)
		linx_list_push_cstring(&list, names[i]);
	linx_map_put(m, key, &list);
}

/* ---- links ---------------------------------------------------------------- */

/* print_link_flags() order in iproute2's ip/ipaddress.c. */
static const unsigned iff_order[] = {
	IFF_LOOPBACK, IFF_BROADCAST, IFF_POINTOPOINT, IFF_MULTICAST,
	IFF_NOARP,    IFF_ALLMULTI,  IFF_PROMISC,     IFF_MASTER,
	IFF_SLAVE,    IFF_DEBUG,     IFF_DYNAMIC,     IFF_AUTOMEDIA,
	IFF_PORTSEL,  IFF_NOTRAILERS, IFF_UP,	      IFF_LOWER_UP,
	IFF_DORMANT,  IFF_ECHO,
};

static void link_flags(struct linx_value *m, uint32_t flags)
{
	const char *names[40];
	size_t n = 0;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		names[n++] = "NO-CARRIER";
	for (size_t i = 0; i < RTNL_ARRAY_SIZE(iff_order); i++)
		if (flags & iff_order[i])
			names[n++] = linx_rtnl_iff_name(
				(unsigned)__builtin_ctz(iff_order[i]));
	put_str_list(m, "flags", names, n);
}

static void linkinfo_value(struct linx_value *m,
			   const struct linx_rtnl_linkinfo *li)
{
	struct linx_value info = linx_value_map(), data = linx_value_map();

	if (li->kind[0])
		linx_map_put_cstring(&info, "info_kind", li->kind);
	if (li->slave_kind[0])
		linx_map_put_cstring(&info, "info_slave_kind", li->slave_kind);
	if (li->has_data) {
		switch (li->kind_id) {
		case LINX_RTNL_KIND_VETH:
			if (li->data.veth.has_peer) {
				linx_map_put_int(&data, "peer_index",
						 li->data.veth.peer_index);
				linx_map_put_cstring(&data, "peer",
						     li->data.veth.peer_name);
			}
			break;
		case LINX_RTNL_KIND_MACVLAN:
			put_name_or_num(&data, "mode",
					linx_rtnl_macvlan_mode_name(
						li->data.macvlan.mode),
					li->data.macvlan.mode);
			linx_map_put_uint(&data, "flags", li->data.macvlan.flags);
			break;
		case LINX_RTNL_KIND_IPVLAN:
			put_name_or_num(&data, "mode",
					linx_rtnl_ipvlan_mode_name(
						li->data.ipvlan.mode),
					li->data.ipvlan.mode);
			linx_map_put_uint(&data, "flags", li->data.ipvlan.flags);
			break;
		case LINX_RTNL_KIND_VLAN:
			linx_map_put_cstring(&data, "protocol",
					     li->data.vlan.protocol == 0x88a8
						     ? "802.1ad"
						     : "802.1Q");
			linx_map_put_uint(&data, "id", li->data.vlan.id);
			linx_map_put_uint(&data, "flags", li->data.vlan.flags);
			break;
		case LINX_RTNL_KIND_BRIDGE: {
			const struct linx_rtnl_bridge *b = &li->data.bridge;

			linx_map_put_uint(&data, "forward_delay", b->forward_delay);
			linx_map_put_uint(&data, "hello_time", b->hello_time);
			linx_map_put_uint(&data, "max_age", b->max_age);
			linx_map_put_uint(&data, "ageing_time", b->ageing_time);
			linx_map_put_uint(&data, "stp_state", b->stp_state);
			linx_map_put_uint(&data, "priority", b->priority);
			linx_map_put_uint(&data, "vlan_filtering",
					  b->vlan_filtering);
			break;
		}
		default:
			break;
		}
		linx_map_put(&info, "info_data", &data);
	}
	linx_value_clear(&data);
	linx_map_put(m, "linkinfo", &info);
}

int rtnl_value_link(const struct linx_rtnl_link *l,
		    const struct rtnl_names *names, struct linx_value *ret)
{
	struct linx_value m = linx_value_map();
	const char *name;

	linx_map_put_int(&m, "ifindex", l->index);
	linx_map_put_cstring(&m, "ifname", l->name);
	link_flags(&m, l->flags);
	if (l->present & LINX_RTNL_LINK_HAS_MTU)
		linx_map_put_uint(&m, "mtu", l->mtu);
	if (l->present & LINX_RTNL_LINK_HAS_MIN_MTU)
		linx_map_put_uint(&m, "min_mtu", l->min_mtu);
	if (l->present & LINX_RTNL_LINK_HAS_MAX_MTU)
		linx_map_put_uint(&m, "max_mtu", l->max_mtu);
	if (l->qdisc[0])
		linx_map_put_cstring(&m, "qdisc", l->qdisc);
	if (l->present & LINX_RTNL_LINK_HAS_MASTER) {
		name = rtnl_names_find(names, l->master);
		if (name)
			linx_map_put_cstring(&m, "master", name);
		linx_map_put_int(&m, "master_index", l->master);
	}
	if (l->present & LINX_RTNL_LINK_HAS_OPERSTATE)
		put_name_or_num(&m, "operstate",
				linx_rtnl_operstate_name(l->operstate),
				l->operstate);
	if (l->present & LINX_RTNL_LINK_HAS_LINKMODE)
		linx_map_put_cstring(&m, "linkmode",
				     l->linkmode ? "DORMANT" : "DEFAULT");
	if (l->present & LINX_RTNL_LINK_HAS_GROUP)
		put_name_or_num(&m, "group", l->group ? NULL : "default",
				l->group);
	if (l->present & LINX_RTNL_LINK_HAS_TXQLEN)
		linx_map_put_uint(&m, "txqlen", l->txqlen);
	put_name_or_num(&m, "link_type", linx_rtnl_link_type_name(l->type),
			l->type);
	if (l->present & LINX_RTNL_LINK_HAS_ADDRESS)
		put_ll(&m, "address", &l->address);
	if (l->present & LINX_RTNL_LINK_HAS_BROADCAST)
		put_ll(&m, "broadcast", &l->broadcast);
	if (l->present & LINX_RTNL_LINK_HAS_PERM_ADDRESS)
		put_ll(&m, "permaddr", &l->perm_address);
	if ((l->present & LINX_RTNL_LINK_HAS_LINK) && l->link) {
		/* A parent in another namespace is only known by index. */
		name = (l->present & LINX_RTNL_LINK_HAS_LINK_NETNSID)
			       ? NULL
			       : rtnl_names_find(names, l->link);
		if (name)
			linx_map_put_cstring(&m, "link", name);
		linx_map_put_int(&m, "link_index", l->link);
	}
	if (l->present & LINX_RTNL_LINK_HAS_LINK_NETNSID)
		linx_map_put_int(&m, "link_netnsid", l->link_netnsid);
	if (l->present & LINX_RTNL_LINK_HAS_PROMISCUITY)
		linx_map_put_uint(&m, "promiscuity", l->promiscuity);
	if (l->present & LINX_RTNL_LINK_HAS_CARRIER)
		linx_map_put_bool(&m, "carrier", l->carrier != 0);
	if (l->present & LINX_RTNL_LINK_HAS_QUEUES) {
		linx_map_put_uint(&m, "num_tx_queues", l->num_tx_queues);
		linx_map_put_uint(&m, "num_rx_queues", l->num_rx_queues);
	}
	if (l->alias[0])
		linx_map_put_cstring(&m, "ifalias", l->alias);
	if (l->present & LINX_RTNL_LINK_HAS_LINKINFO)
		linkinfo_value(&m, &l->linkinfo);
	*ret = m;
	return linx_value_status(ret);
}

/* ---- addresses ------------------------------------------------------------ */

static const struct {
	uint32_t bit;
	const char *name;
} ifa_flags[] = {
	{ IFA_F_SECONDARY, "secondary" },   { IFA_F_NODAD, "nodad" },
	{ IFA_F_OPTIMISTIC, "optimistic" }, { IFA_F_DADFAILED, "dadfailed" },
	{ IFA_F_HOMEADDRESS, "home" },	    { IFA_F_DEPRECATED, "deprecated" },
	{ IFA_F_TENTATIVE, "tentative" },   { IFA_F_PERMANENT, "permanent" },
	{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" },
	{ IFA_F_NOPREFIXROUTE, "noprefixroute" },
	{ IFA_F_MCAUTOJOIN, "autojoin" },   { IFA_F_STABLE_PRIVACY, "stable-privacy" },
};

int rtnl_value_addr(const struct linx_rtnl_addr *a,
		    const struct rtnl_names *names, struct linx_value *ret)
{
	struct linx_value m = linx_value_map(), flags = linx_value_list();
	const char *name = rtnl_names_find(names, a->index);

	linx_map_put_int(&m, "ifindex", a->index);
	if (name)
		linx_map_put_cstring(&m, "ifname", name);
	put_name_or_num(&m, "family", linx_rtnl_family_name(a->family),
			a->family);
	/* As ip-address(8): "local" is the interface's own address,
	 * "address" the peer when there is a distinct one. */
	if (a->present & LINX_RTNL_ADDR_HAS_LOCAL) {
		put_ip(&m, "local", &a->local);
		if ((a->present & LINX_RTNL_ADDR_HAS_ADDRESS) &&
		    memcmp(&a->local, &a->address, sizeof(a->local)) != 0)
			put_ip(&m, "address", &a->address);
	} else if (a->present & LINX_RTNL_ADDR_HAS_ADDRESS) {
		put_ip(&m, "local", &a->address);
	}
	linx_map_put_uint(&m, "prefixlen", a->prefixlen);
	if (a->present & LINX_RTNL_ADDR_HAS_BROADCAST)
		put_ip(&m, "broadcast", &a->broadcast);
	put_name_or_num(&m, "scope", linx_rtnl_scope_name(a->scope), a->scope);
	if (a->present & LINX_RTNL_ADDR_HAS_LABEL)
		linx_map_put_cstring(&m, "label", a->label);
	for (size_t i = 0; i < RTNL_ARRAY_SIZE(ifa_flags); i++)
		if (a->flags & ifa_flags[i].bit)
			linx_list_push_cstring(&flags, ifa_flags[i].name);
	linx_map_put(&m, "flags", &flags);
	if (a->present & LINX_RTNL_ADDR_HAS_CACHEINFO) {
		linx_map_put_uint(&m, "valid_life_time", a->valid_lft);
		linx_map_put_uint(&m, "preferred_life_time", a->preferred_lft);
	}
	if (a->present & LINX_RTNL_ADDR_HAS_PROTO)
		linx_map_put_uint(&m, "proto", a->proto);
	*ret = m;
	return linx_value_status(ret);
}

/* ---- routes --------------------------------------------------------------- */

static void put_prefix(struct linx_value *m, const char *key,
		       const struct linx_rtnl_ip *ip, uint8_t len)
{
	char buf[LINX_RTNL_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN];

	linx_rtnl_ip_format(ip, a, sizeof(a));
	/* ip prints a host route without its /32 or /128. */
	if (len == linx_rtnl_ip_len(ip) * 8)
		snprintf(buf, sizeof(buf), "%s", a);
	else
		snprintf(buf, sizeof(buf), "%s/%u", a, len);
	linx_map_put_cstring(m, key, buf);
}

static void put_table(struct linx_value *m, uint32_t table)
{
	put_name_or_num(m, "table", linx_rtnl_table_name(table), table);
	linx_map_put_uint(m, "table_id", table);
}

int rtnl_value_route(const struct linx_rtnl_route *r,
		     const struct rtnl_names *names, struct linx_value *ret)
{
	struct linx_value m = linx_value_map(), flags = linx_value_list();
	const char *name;

	put_name_or_num(&m, "type", linx_rtnl_route_type_name(r->type), r->type);
	put_name_or_num(&m, "family", linx_rtnl_family_name(r->family),
			r->family);
	if (r->present & LINX_RTNL_ROUTE_HAS_DST)
		put_prefix(&m, "dst", &r->dst, r->dst_len);
	else
		linx_map_put_cstring(&m, "dst", "default");
	linx_map_put_uint(&m, "dst_len", r->dst_len);
	if (r->present & LINX_RTNL_ROUTE_HAS_SRC)
		put_prefix(&m, "src", &r->src, r->src_len);
	if (r->present & LINX_RTNL_ROUTE_HAS_GATEWAY)
		put_ip(&m, "gateway", &r->gateway);
	if (r->present & LINX_RTNL_ROUTE_HAS_OIF) {
		name = rtnl_names_find(names, r->oif);
		if (name)
			linx_map_put_cstring(&m, "dev", name);
		linx_map_put_int(&m, "oif", r->oif);
	}
	if (r->present & LINX_RTNL_ROUTE_HAS_IIF)
		linx_map_put_int(&m, "iif", r->iif);
	put_table(&m, linx_rtnl_route_table(r));
	put_name_or_num(&m, "protocol", linx_rtnl_protocol_name(r->protocol),
			r->protocol);
	put_name_or_num(&m, "scope", linx_rtnl_scope_name(r->scope), r->scope);
	if (r->present & LINX_RTNL_ROUTE_HAS_PREFSRC)
		put_ip(&m, "prefsrc", &r->prefsrc);
	if (r->present & LINX_RTNL_ROUTE_HAS_PRIORITY)
		linx_map_put_uint(&m, "metric", r->priority);
	if (r->tos)
		linx_map_put_uint(&m, "tos", r->tos);
	if (r->present & LINX_RTNL_ROUTE_HAS_MARK)
		linx_map_put_uint(&m, "mark", r->mark);
	if (r->present & LINX_RTNL_ROUTE_HAS_MTU)
		linx_map_put_uint(&m, "mtu", r->mtu);
	if (r->present & LINX_RTNL_ROUTE_HAS_PREF)
		linx_map_put_cstring(&m, "pref",
				     r->pref == 0x3 ? "low"
				     : r->pref == 0x1 ? "high"
						      : "medium");
	/* RTNH_F_* (include/uapi/linux/rtnetlink.h), as ip prints them. */
	if (r->flags & RTNH_F_DEAD)
		linx_list_push_cstring(&flags, "dead");
	if (r->flags & RTNH_F_PERVASIVE)
		linx_list_push_cstring(&flags, "pervasive");
	if (r->flags & RTNH_F_ONLINK)
		linx_list_push_cstring(&flags, "onlink");
	if (r->flags & RTNH_F_OFFLOAD)
		linx_list_push_cstring(&flags, "offload");
	if (r->flags & RTNH_F_LINKDOWN)
		linx_list_push_cstring(&flags, "linkdown");
	if (r->flags & RTNH_F_UNRESOLVED)
		linx_list_push_cstring(&flags, "unresolved");
	linx_map_put(&m, "flags", &flags);
	if (r->present & LINX_RTNL_ROUTE_HAS_MULTIPATH)
		linx_map_put_bool(&m, "multipath", true);
	*ret = m;
	return linx_value_status(ret);
}

/* ---- neighbours ------------------------------------------------------------ */

int rtnl_value_neigh(const struct linx_rtnl_neigh *nb,
		     const struct rtnl_names *names, struct linx_value *ret)
{
	struct linx_value m = linx_value_map(), state = linx_value_list(),
			  flags = linx_value_list();
	const char *name = rtnl_names_find(names, nb->ifindex);

	put_name_or_num(&m, "family", linx_rtnl_family_name(nb->family),
			nb->family);
	if (nb->present & LINX_RTNL_NEIGH_HAS_DST)
		put_ip(&m, "dst", &nb->dst);
	if (name)
		linx_map_put_cstring(&m, "dev", name);
	linx_map_put_int(&m, "ifindex", nb->ifindex);
	if (nb->present & LINX_RTNL_NEIGH_HAS_LLADDR)
		put_ll(&m, "lladdr", &nb->lladdr);
	for (unsigned bit = 0; bit < 8; bit++)
		if (nb->state & (1u << bit))
			linx_list_push_cstring(&state, linx_rtnl_nud_name(bit));
	linx_map_put(&m, "state", &state);
	if (nb->flags & NTF_ROUTER)
		linx_list_push_cstring(&flags, "router");
	if (nb->flags & NTF_PROXY)
		linx_list_push_cstring(&flags, "proxy");
	if (nb->flags & NTF_EXT_LEARNED)
		linx_list_push_cstring(&flags, "extern_learn");
	if (nb->flags & NTF_OFFLOADED)
		linx_list_push_cstring(&flags, "offload");
	linx_map_put(&m, "flags", &flags);
	if (nb->present & LINX_RTNL_NEIGH_HAS_PROBES)
		linx_map_put_uint(&m, "probes", nb->probes);
	*ret = m;
	return linx_value_status(ret);
}

/* ---- rules ----------------------------------------------------------------- */

static const char *rule_action_name(uint8_t a)
{
	switch (a) {
	case FR_ACT_TO_TBL: return "to_tbl";
	case FR_ACT_GOTO: return "goto";
	case FR_ACT_NOP: return "nop";
	case FR_ACT_BLACKHOLE: return "blackhole";
	case FR_ACT_UNREACHABLE: return "unreachable";
	case FR_ACT_PROHIBIT: return "prohibit";
	default: return NULL;
	}
}

int rtnl_value_rule(const struct linx_rtnl_rule *r, struct linx_value *ret)
{
	struct linx_value m = linx_value_map();
	char hex[16];

	put_name_or_num(&m, "family", linx_rtnl_family_name(r->family),
			r->family);
	linx_map_put_uint(&m, "priority",
			  (r->present & LINX_RTNL_RULE_HAS_PRIORITY) ? r->priority
								     : 0);
	if (r->present & LINX_RTNL_RULE_HAS_SRC) {
		put_ip(&m, "src", &r->src);
		linx_map_put_uint(&m, "srclen", r->src_len);
	} else {
		linx_map_put_cstring(&m, "src", "all");
	}
	if (r->present & LINX_RTNL_RULE_HAS_DST) {
		put_ip(&m, "dst", &r->dst);
		linx_map_put_uint(&m, "dstlen", r->dst_len);
	}
	if (r->tos)
		linx_map_put_uint(&m, "tos", r->tos);
	if (r->present & (LINX_RTNL_RULE_HAS_FWMARK | LINX_RTNL_RULE_HAS_FWMASK)) {
		snprintf(hex, sizeof(hex), "%#x", r->fwmark);
		linx_map_put_cstring(&m, "fwmark", hex);
		if ((r->present & LINX_RTNL_RULE_HAS_FWMASK) &&
		    r->fwmask != 0xffffffff) {
			snprintf(hex, sizeof(hex), "%#x", r->fwmask);
			linx_map_put_cstring(&m, "fwmask", hex);
		}
	}
	if (r->present & LINX_RTNL_RULE_HAS_IIFNAME)
		linx_map_put_cstring(&m, "iif", r->iifname);
	if (r->present & LINX_RTNL_RULE_HAS_OIFNAME)
		linx_map_put_cstring(&m, "oif", r->oifname);
	if (r->action == FR_ACT_TO_TBL)
		put_table(&m, linx_rtnl_rule_table(r));
	if (r->present & LINX_RTNL_RULE_HAS_GOTO)
		linx_map_put_uint(&m, "goto", r->goto_target);
	put_name_or_num(&m, "action", rule_action_name(r->action), r->action);
	if (r->present & LINX_RTNL_RULE_HAS_PROTOCOL)
		put_name_or_num(&m, "protocol",
				linx_rtnl_protocol_name(r->protocol),
				r->protocol);
	if (r->present & LINX_RTNL_RULE_HAS_SUPPRESS_PREFIXLEN)
		linx_map_put_uint(&m, "suppress_prefixlength",
				  r->suppress_prefixlen);
	*ret = m;
	return linx_value_status(ret);
}

/* ---- statistics ------------------------------------------------------------ */

int rtnl_value_stats64(const struct linx_rtnl_link_stats64 *st,
		       struct linx_value *ret)
{
	struct linx_value m = linx_value_map();

	for (unsigned i = 0; i < LINX_RTNL_STATS64_COUNTERS; i++) {
		if (i < st->n_counters)
			linx_map_put_uint(&m, linx_rtnl_stats64_name(i),
					  linx_rtnl_stats64_value(st, i));
		else
			linx_map_put_nil(&m, linx_rtnl_stats64_name(i));
	}
	*ret = m;
	return linx_value_status(ret);
}

int rtnl_value_stats(const struct linx_rtnl_stats *st,
		     const struct rtnl_names *names, struct linx_value *ret)
{
	struct linx_value m = linx_value_map(), s64 = linx_value_nil();
	const char *name = rtnl_names_find(names, st->ifindex);

	linx_map_put_int(&m, "ifindex", st->ifindex);
	if (name)
		linx_map_put_cstring(&m, "ifname", name);
	linx_map_put_uint(&m, "filter_mask", st->filter_mask);
	if (st->has_link64) {
		rtnl_value_stats64(&st->link, &s64);
		linx_map_put(&m, "stats64", &s64);
	} else {
		linx_map_put_nil(&m, "stats64");
	}
	*ret = m;
	return linx_value_status(ret);
}

/* ---- events ---------------------------------------------------------------- */

int rtnl_value_event(const struct linx_rtnl_event *e, struct linx_value *ret)
{
	struct linx_value m = linx_value_map(), res = linx_value_nil();

	linx_map_put_cstring(&m, "op", linx_rtnl_event_kind_name(e->kind));
	if (e->kind != LINX_RTNL_EVENT_RESYNC)
		linx_map_put_uint(&m, "type", e->nlmsg_type);
	switch (e->kind) {
	case LINX_RTNL_EVENT_NEW_LINK:
	case LINX_RTNL_EVENT_DEL_LINK:
		rtnl_value_link(&e->resource.link, NULL, &res);
		break;
	case LINX_RTNL_EVENT_NEW_ADDR:
	case LINX_RTNL_EVENT_DEL_ADDR:
		rtnl_value_addr(&e->resource.addr, NULL, &res);
		break;
	case LINX_RTNL_EVENT_NEW_ROUTE:
	case LINX_RTNL_EVENT_DEL_ROUTE:
		rtnl_value_route(&e->resource.route, NULL, &res);
		break;
	case LINX_RTNL_EVENT_NEW_NEIGH:
	case LINX_RTNL_EVENT_DEL_NEIGH:
		rtnl_value_neigh(&e->resource.neigh, NULL, &res);
		break;
	case LINX_RTNL_EVENT_NEW_RULE:
	case LINX_RTNL_EVENT_DEL_RULE:
		rtnl_value_rule(&e->resource.rule, &res);
		break;
	default:
		break;
	}
	linx_map_put(&m, "resource", &res);
	*ret = m;
	return linx_value_status(ret);
}
