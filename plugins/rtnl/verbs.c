/* SPDX-License-Identifier: MIT */
/*
 * The rtnl plugin's verbs: thin adapters from value arguments to the typed
 * API (include/linx/rtnl.h) and from its structs to value results
 * (value.c).  Documented in docs/rtnl/README.md.  This file holds the
 * handles, the argument readers, rtnl.open/close and the verb table; the
 * verbs of each object kind are in verbs-<kind>.c (verbs.h).
 *
 * Every verb but rtnl.open and the monitor's takes either `sock`, a handle
 * from rtnl.open (one socket reused across calls, the fast path), or
 * `netns`, a namespace target for which a socket is opened for the call.
 *
 * Handles may be used from several threads at once: each handle holds a
 * read-write lock; calls take it shared (the socket's own mutex then
 * serialises their requests), rtnl.close / rtnl.monitor.close take it
 * exclusive, so a handle is never closed under a call in progress.
 */
#include "verbs.h"

static void sock_destroy(void *p)
{
	struct sock_handle *h = p;

	linx_rtnl_close(h->s);
	pthread_rwlock_destroy(&h->lock);
	free(h);
}

void mon_destroy(void *p)
{
	struct mon_handle *h = p;

	linx_rtnl_monitor_close(h->m);
	pthread_rwlock_destroy(&h->lock);
	free(h);
}

static const struct linx_handle_type sock_type = { "rtnl.socket",
						   sock_destroy };
const struct linx_handle_type mon_type = { "rtnl.monitor",
						  mon_destroy };

/* ---- arguments ------------------------------------------------------------ */


const struct linx_value *arg(const struct args *a, const char *name)
{
	const struct linx_value *v;

	if (a->map) {
		v = linx_map_get(a->map, name);
		return v && v->type != LINX_NIL ? v : NULL;
	}
	for (unsigned i = 0; i < a->call->verb->n_params; i++)
		if (strcmp(a->call->verb->params[i].name, name) == 0) {
			v = a->call->args[i];
			return v && v->type != LINX_NIL ? v : NULL;
		}
	return NULL;
}

const char *arg_str(const struct args *a, const char *name)
{
	const struct linx_value *v = arg(a, name);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

int arg_u32(const struct args *a, const char *name, uint32_t max,
	    bool *ret_has, uint32_t *ret, struct linx_error *err)
{
	const struct linx_value *v = arg(a, name);
	uint64_t u;

	*ret_has = false;
	if (!v)
		return 0;
	if (!linx_value_get_u64(v, &u) || u > max)
		return linx_error_param(err, a->op, name,
					"%s: expected an integer 0..%u", name,
					max);
	*ret_has = true;
	*ret = (uint32_t)u;
	return 0;
}

int arg_ip(const struct args *a, const char *name, bool required,
	   struct linx_rtnl_ip *ret, struct linx_error *err)
{
	const char *s = arg_str(a, name);

	memset(ret, 0, sizeof(*ret));
	if (!s) {
		if (required)
			return linx_error_param(err, a->op, name,
						"%s: an IP address is required",
						name);
		return 0;
	}
	if (linx_rtnl_ip_parse(s, ret, err) < 0)
		return linx_error_param(err, a->op, name,
					"%s: \"%.64s\" is not an IPv4 or IPv6 "
					"address",
					name, s);
	return 0;
}

/* "10.0.0.0/24", a bare address (with `prefix_name` giving the length,
 * else the full length), or "default" when allowed. */
int arg_prefix(const struct args *a, const char *name,
	       const char *prefix_name, bool allow_default,
	       bool required, struct linx_rtnl_ip *ret, uint8_t *ret_len,
	       struct linx_error *err)
{
	const char *s = arg_str(a, name);
	uint32_t plen;
	bool has;
	int r;

	memset(ret, 0, sizeof(*ret));
	*ret_len = 0;
	if (!s) {
		if (required)
			return linx_error_param(err, a->op, name,
						"%s is required", name);
		return 0;
	}
	if (allow_default && strcmp(s, "default") == 0)
		return 0;
	if (linx_rtnl_prefix_parse(s, ret, ret_len, err) < 0)
		return linx_error_param(err, a->op, name,
					"%s: \"%.64s\" is not an address or a "
					"prefix (a.b.c.d/len)",
					name, s);
	if (prefix_name) {
		r = arg_u32(a, prefix_name, 128, &has, &plen, err);
		if (r < 0)
			return r;
		if (has) {
			if (strchr(s, '/'))
				return linx_error_param(err, a->op, prefix_name,
							"prefix given twice");
			if (plen > linx_rtnl_ip_len(ret) * 8)
				return linx_error_param(err, a->op, prefix_name,
							"prefix length %u too "
							"long",
							plen);
			*ret_len = (uint8_t)plen;
		}
	}
	return 0;
}

int arg_family(const struct args *a, uint8_t *ret,
	       struct linx_error *err)
{
	const char *s = arg_str(a, "family");

	*ret = AF_UNSPEC;
	if (!s)
		return 0;
	if (!strcmp(s, "inet") || !strcmp(s, "ipv4") || !strcmp(s, "4"))
		*ret = AF_INET;
	else if (!strcmp(s, "inet6") || !strcmp(s, "ipv6") || !strcmp(s, "6"))
		*ret = AF_INET6;
	else if (strcmp(s, "all") != 0 && strcmp(s, "unspec") != 0)
		return linx_error_param(err, a->op, "family",
					"family is \"inet\", \"inet6\" or "
					"\"all\"");
	return 0;
}

/* A number or a name from a table (protocol, scope, type). */
int arg_enum(const struct args *a, const char *name,
	     int (*from_name)(const char *), int *ret,
	     struct linx_error *err)
{
	const struct linx_value *v = arg(a, name);
	uint64_t u;

	*ret = -1;
	if (!v)
		return 0;
	if (v->type == LINX_STRING) {
		*ret = from_name(v->str);
		if (*ret < 0)
			return linx_error_param(err, a->op, name,
						"%s: unknown name \"%.32s\"",
						name, v->str);
		return 0;
	}
	if (!linx_value_get_u64(v, &u) || u > 255)
		return linx_error_param(err, a->op, name,
					"%s: a name or a number 0..255", name);
	*ret = (int)u;
	return 0;
}

int arg_target(const struct args *a, const char *name,
	       struct linx_ns_target *ret, struct linx_error *err)
{
	return linx_ns_target_from_value(arg(a, name), name, ret, err);
}


int ctx_open(const struct args *a, struct ctx *c, struct linx_error *err)
{
	const struct linx_value *sv = arg(a, "sock");
	const struct linx_value *nv = arg(a, "netns");
	struct linx_ns_target t;
	int r;

	memset(c, 0, sizeof(*c));
	if (sv && nv)
		return linx_error_param(err, a->op, "netns",
					"give either sock or netns, not both");
	if (sv) {
		c->h = linx_handle_get(sv->handle, &sock_type);
		if (!c->h)
			return linx_error_param(err, a->op, "sock",
						"sock: not an rtnl.socket "
						"handle");
		pthread_rwlock_rdlock(&c->h->lock);
		if (!c->h->s) {
			pthread_rwlock_unlock(&c->h->lock);
			c->h = NULL;
			return linx_error_set(err, EBADF, a->op,
					      "the socket was closed");
		}
		c->s = c->h->s;
		return 0;
	}
	r = linx_ns_target_from_value(nv, "netns", &t, err);
	if (r < 0)
		return r;
	return linx_rtnl_open(&t, &c->s, err);
}

void ctx_close(struct ctx *c)
{
	if (c->h)
		pthread_rwlock_unlock(&c->h->lock);
	else
		linx_rtnl_close(c->s);
	c->h = NULL;
	c->s = NULL;
}

int nomem(struct linx_error *err, const char *op, int r)
{
	return linx_error_set(err, r == -EINVAL ? EINVAL : ENOMEM, op,
			      "cannot build the result");
}

int list_result(const struct args *a, void *items, size_t n, size_t size,
		list_conv conv, uint8_t family, struct rtnl_names *names,
		struct linx_value *ret, struct linx_error *err)
{
	int r;

	*ret = linx_value_list();
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		if (conv((const char *)items + i * size, family, names, &v))
			linx_list_push(ret, &v);
	}
	free(items);
	rtnl_names_free(names);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a->op, r) : 0;
}


/* ---- rtnl.open / rtnl.close --------------------------------------------------- */

static int v_open(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err)
{
	struct args a = ARGS(call, "open");
	struct linx_ns_target t;
	struct sock_handle *h;
	struct linx_handle *handle;
	int r = arg_target(&a, "netns", &t, err);

	if (r < 0)
		return r;
	h = calloc(1, sizeof(*h));
	if (!h)
		return linx_error_set(err, ENOMEM, "open", NULL);
	pthread_rwlock_init(&h->lock, NULL);
	r = linx_rtnl_open(&t, &h->s, err);
	if (r < 0) {
		pthread_rwlock_destroy(&h->lock);
		free(h);
		return r;
	}
	handle = linx_handle_new(&sock_type, h);
	if (!handle) {
		sock_destroy(h);
		return linx_error_set(err, ENOMEM, "open", NULL);
	}
	*ret = linx_value_handle(handle);
	linx_handle_unref(handle); /* the value holds its own reference */
	return 0;
}

static int v_close(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	struct args a = ARGS(call, "close");
	const struct linx_value *sv = arg(&a, "sock");
	struct sock_handle *h = sv ? linx_handle_get(sv->handle, &sock_type)
				   : NULL;

	(void)ret;
	if (!h)
		return linx_error_param(err, "close", "sock",
					"sock: not an rtnl.socket handle");
	pthread_rwlock_wrlock(&h->lock);
	linx_rtnl_close(h->s);
	h->s = NULL;
	pthread_rwlock_unlock(&h->lock);
	return 0;
}


/* ---- the table -------------------------------------------------------------- */

#define TM_TARGET                                                            \
	(LINX_TM_NIL | LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING |         \
	 LINX_TM_MAP)
#define P_SOCK                                                               \
	{ "sock", LINX_TM_HANDLE, 0,                                         \
	  "an rtnl.socket from rtnl.open (else netns is used)" },            \
	{                                                                    \
		"netns", TM_TARGET, 0,                                       \
			"network namespace for a one-call socket: \"self\" " \
			"(default), a pid, a path, {pid} or {path}"          \
	}
#define P_REQ LINX_PARAM_REQUIRED
#define P_NUM (LINX_TM_INT | LINX_TM_UINT)
#define P_NAMENUM (LINX_TM_STRING | LINX_TM_INT | LINX_TM_UINT)

static const struct linx_param p_open[] = {
	{ "netns", TM_TARGET, 0,
	  "network namespace: \"self\" (default), a pid, a path, {pid} or "
	  "{path}" },
};
static const struct linx_param p_close[] = {
	{ "sock", LINX_TM_HANDLE, P_REQ, "the rtnl.socket to close" },
};
static const struct linx_param p_only_sock[] = { P_SOCK };
static const struct linx_param p_link_get[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, 0, "interface name" },
	{ "index", P_NUM, LINX_PARAM_NONNEG, "interface index (instead of name)" },
};
static const struct linx_param p_name[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "interface name" },
};
static const struct linx_param p_veth[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "name of the first end" },
	{ "peer", LINX_TM_STRING, P_REQ, "name of the other end" },
	{ "peer_netns", TM_TARGET, 0,
	  "create the peer directly in this namespace (pid or path)" },
};
static const struct linx_param p_macvlan[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "new interface name" },
	{ "parent", LINX_TM_STRING, P_REQ, "parent interface" },
	{ "mode", LINX_TM_STRING, 0,
	  "bridge (default), private, vepa, passthru or source" },
};
static const struct linx_param p_ipvlan[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "new interface name" },
	{ "parent", LINX_TM_STRING, P_REQ, "parent interface" },
	{ "mode", LINX_TM_STRING, 0, "l3 (default), l2 or l3s" },
	{ "flag", LINX_TM_STRING, 0, "bridge (default), private or vepa" },
};
static const struct linx_param p_vlan[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "new interface name" },
	{ "parent", LINX_TM_STRING, P_REQ, "parent interface" },
	{ "id", P_NUM, P_REQ | LINX_PARAM_NONNEG, "802.1Q VLAN id, 1..4094" },
};
static const struct linx_param p_set_mtu[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "interface name" },
	{ "mtu", P_NUM, P_REQ | LINX_PARAM_NONNEG, "new MTU" },
};
static const struct linx_param p_set_address[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "interface name" },
	{ "address", LINX_TM_STRING, P_REQ, "MAC address, aa:bb:cc:dd:ee:ff" },
};
static const struct linx_param p_set_name[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "current interface name" },
	{ "new_name", LINX_TM_STRING, P_REQ, "new interface name" },
};
static const struct linx_param p_set_master[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "interface name" },
	{ "master", LINX_TM_STRING | LINX_TM_NIL, 0,
	  "bridge or bond to enslave to; absent or \"\" releases" },
};
static const struct linx_param p_move[] = {
	P_SOCK,
	{ "name", LINX_TM_STRING, P_REQ, "interface name" },
	{ "to", TM_TARGET & ~LINX_TM_NIL, P_REQ,
	  "target network namespace: a pid, a path, {pid} or {path}" },
};
static const struct linx_param p_list_dev[] = {
	P_SOCK,
	{ "dev", LINX_TM_STRING, 0, "only this interface" },
	{ "family", LINX_TM_STRING, 0, "inet, inet6 or all (default)" },
};
static const struct linx_param p_addr[] = {
	P_SOCK,
	{ "dev", LINX_TM_STRING, P_REQ, "interface name" },
	{ "address", LINX_TM_STRING, P_REQ,
	  "address, with /prefix or with the prefix parameter" },
	{ "prefix", P_NUM, LINX_PARAM_NONNEG,
	  "prefix length (default: from address, else full length)" },
	{ "peer", LINX_TM_STRING, 0, "peer address (point-to-point)" },
	{ "broadcast", LINX_TM_STRING, 0,
	  "IPv4 broadcast address, or \"+\" to derive it" },
	{ "scope", P_NAMENUM, 0, "global (default), site, link, host or 0..255" },
	{ "label", LINX_TM_STRING, 0, "IPv4 address label" },
	{ "flags", LINX_TM_LIST, 0,
	  "list of: nodad, noprefixroute, optimistic, home, mngtmpaddr, "
	  "autojoin" },
};
static const struct linx_param p_route_list[] = {
	P_SOCK,
	{ "family", LINX_TM_STRING, 0, "inet, inet6 or all (default)" },
	{ "table", P_NUM, LINX_PARAM_NONNEG, "only this table (default: all)" },
};
static const struct linx_param p_route_get[] = {
	P_SOCK,
	{ "dst", LINX_TM_STRING, P_REQ, "destination address to resolve" },
};
#define P_ROUTE_OPTS                                                         \
	{ "gateway", LINX_TM_STRING, 0, "next-hop address" },                \
		{ "dev", LINX_TM_STRING, 0, "output interface" },            \
		{ "source", LINX_TM_STRING, 0, "preferred source (prefsrc)" }, \
		{ "table", P_NUM, LINX_PARAM_NONNEG, "table (default main, 254)" }, \
		{ "protocol", P_NAMENUM, 0,                                  \
		  "origin: boot (default on add), static, kernel, ra, dhcp, " \
		  "or 0..255" },                                             \
		{ "metric", P_NUM, LINX_PARAM_NONNEG, "metric (RTA_PRIORITY)" }, \
		{ "scope", P_NAMENUM, 0, "global, link, host, ... or 0..255" }, \
		{ "type", LINX_TM_STRING, 0,                                 \
		  "unicast (default), blackhole, unreachable, prohibit, "    \
		  "local, ..." },                                            \
		{ "family", LINX_TM_STRING, 0,                               \
		  "inet or inet6 when no address says it" },                 \
		{ "onlink", LINX_TM_BOOL, 0, "gateway is on-link (RTNH_F_ONLINK)" }
static const struct linx_param p_route[] = {
	P_SOCK,
	{ "dst", LINX_TM_STRING, P_REQ,
	  "destination: a.b.c.d/len, an address, or \"default\"" },
	{ "prefix", P_NUM, LINX_PARAM_NONNEG, "prefix length when dst has none" },
	P_ROUTE_OPTS,
};
static const struct linx_param p_route_default[] = {
	P_SOCK,
	P_ROUTE_OPTS,
};
static const struct linx_param p_neigh[] = {
	P_SOCK,
	{ "dev", LINX_TM_STRING, P_REQ, "interface name" },
	{ "ip", LINX_TM_STRING, P_REQ, "IPv4 (ARP) or IPv6 (NDP) address" },
	{ "mac", LINX_TM_STRING, P_REQ, "link-layer address" },
	{ "replace", LINX_TM_BOOL, 0, "replace an existing entry" },
};
static const struct linx_param p_neigh_del[] = {
	P_SOCK,
	{ "dev", LINX_TM_STRING, P_REQ, "interface name" },
	{ "ip", LINX_TM_STRING, P_REQ, "IPv4 or IPv6 address" },
};
static const struct linx_param p_rule_list[] = {
	P_SOCK,
	{ "family", LINX_TM_STRING, 0, "inet, inet6 or all (default)" },
};
#define P_RULE_OPTS(table_flags)                                             \
	{ "from", LINX_TM_STRING, 0, "source prefix, a.b.c.d/len" },         \
		{ "to", LINX_TM_STRING, 0, "destination prefix" },           \
		{ "fwmark", P_NUM, LINX_PARAM_NONNEG, "firewall mark" },     \
		{ "fwmask", P_NUM, LINX_PARAM_NONNEG, "mask for fwmark" },   \
		{ "iif", LINX_TM_STRING, 0, "input interface name" },        \
		{ "oif", LINX_TM_STRING, 0, "output interface name" },       \
		{ "table", P_NUM, (table_flags) | LINX_PARAM_NONNEG,         \
		  "routing table to consult, 1..4294967295" },               \
		{ "priority", P_NUM, LINX_PARAM_NONNEG, "rule priority (preference)" }, \
		{ "family", LINX_TM_STRING, 0,                               \
		  "inet (default) or inet6 when no prefix says it" },        \
		{ "action", LINX_TM_STRING, 0,                               \
		  "to_tbl (default), blackhole, unreachable, prohibit, nop" }
static const struct linx_param p_rule_add[] = { P_SOCK, P_RULE_OPTS(0) };
static const struct linx_param p_rule_del[] = { P_SOCK, P_RULE_OPTS(0) };
static const struct linx_param p_stats_get[] = {
	P_SOCK,
	{ "dev", LINX_TM_STRING, P_REQ, "interface name" },
};
static const struct linx_param p_mon_open[] = {
	{ "netns", TM_TARGET, 0, "namespace to watch (default: self)" },
	{ "groups", LINX_TM_LIST, 0,
	  "groups: link, address, route, neighbour, rule, ipv4_route, ... "
	  "(default: all of link/address/route/neighbour/rule, v4+v6)" },
	{ "rcvbuf", P_NUM, LINX_PARAM_NONNEG, "SO_RCVBUF bytes (default 4 MiB)" },
};
static const struct linx_param p_mon_read[] = {
	{ "monitor", LINX_TM_HANDLE, P_REQ, "an rtnl.monitor handle" },
	{ "timeout_ms", P_NUM, LINX_PARAM_NONNEG,
	  "how long to wait for a first event (default 0)" },
	{ "max", P_NUM, LINX_PARAM_NONNEG, "at most this many events (0: all)" },
};
static const struct linx_param p_mon_close[] = {
	{ "monitor", LINX_TM_HANDLE, P_REQ, "the rtnl.monitor to close" },
};
static const struct linx_param p_batch[] = {
	P_SOCK,
	{ "ops", LINX_TM_LIST, P_REQ,
	  "list of maps {op: \"route.add\", ...the op verb's parameters}" },
};

#define VERB(n, s, p, f, fn_, res)                                           \
	{ .name = "rtnl." n, .summary = s, LINX_PARAMS(p), .flags = (f),      \
	  .fn = fn_, .result_doc = res }
#define B LINX_VERB_BLOCKING

const struct linx_verb rtnl_verbs[] = {
	VERB("open", "Open an rtnetlink socket bound to a network namespace",
	     p_open, B, v_open, "handle rtnl.socket"),
	VERB("close", "Close an rtnetlink socket now", p_close, 0, v_close,
	     "nil"),
	VERB("link.list", "List the links (ip -j link show)", p_only_sock, B,
	     v_link_list, "list of link maps"),
	VERB("link.get", "Get one link by name or index", p_link_get, B,
	     v_link_get, "link map"),
	VERB("link.create_veth", "Create a veth pair", p_veth, B,
	     v_link_create_veth, "nil"),
	VERB("link.create_bridge", "Create a bridge", p_name, B,
	     v_link_create_simple, "nil"),
	VERB("link.create_dummy", "Create a dummy link", p_name, B,
	     v_link_create_simple, "nil"),
	VERB("link.create_macvlan", "Create a macvlan on a parent", p_macvlan,
	     B, v_link_create_macvlan, "nil"),
	VERB("link.create_ipvlan", "Create an ipvlan on a parent", p_ipvlan, B,
	     v_link_create_ipvlan, "nil"),
	VERB("link.create_vlan", "Create an 802.1Q vlan on a parent", p_vlan,
	     B, v_link_create_vlan, "nil"),
	VERB("link.delete", "Delete a link", p_name, B, v_link_modify, "nil"),
	VERB("link.set_up", "Bring a link up", p_name, B, v_link_modify, "nil"),
	VERB("link.set_down", "Bring a link down", p_name, B, v_link_modify,
	     "nil"),
	VERB("link.set_mtu", "Set a link's MTU", p_set_mtu, B, v_link_modify,
	     "nil"),
	VERB("link.set_address", "Set a link's MAC address", p_set_address, B,
	     v_link_modify, "nil"),
	VERB("link.set_name", "Rename a link", p_set_name, B, v_link_modify,
	     "nil"),
	VERB("link.set_master", "Enslave a link to a bridge or bond, or release it",
	     p_set_master, B, v_link_modify, "nil"),
	VERB("link.move_to_netns", "Move a link to another network namespace",
	     p_move, B, v_link_modify, "nil"),
	VERB("address.list", "List addresses (ip -j address show)", p_list_dev,
	     B, v_addr_list, "list of address maps"),
	VERB("address.add", "Add an IPv4 or IPv6 address to a link", p_addr, B,
	     v_addr_change, "nil"),
	VERB("address.delete", "Remove an address from a link", p_addr, B,
	     v_addr_change, "nil"),
	VERB("route.list", "List routes of every table (ip -j route show table all)",
	     p_route_list, B, v_route_list, "list of route maps"),
	VERB("route.get", "The route the kernel would use (ip route get)",
	     p_route_get, B, v_route_get, "route map"),
	VERB("route.add", "Add a route (fails if it exists)", p_route, B,
	     v_route_change, "nil"),
	VERB("route.replace", "Add or replace a route", p_route, B,
	     v_route_change, "nil"),
	VERB("route.delete", "Delete a route", p_route, B, v_route_change,
	     "nil"),
	VERB("route.add_default", "Add the default route via a gateway",
	     p_route_default, B, v_route_change, "nil"),
	VERB("route.delete_default", "Delete the default route",
	     p_route_default, B, v_route_change, "nil"),
	VERB("neighbour.list", "List ARP/NDP entries (ip -j neigh show)",
	     p_list_dev, B, v_neigh_list, "list of neighbour maps"),
	VERB("neighbour.add", "Add a permanent ARP/NDP entry", p_neigh, B,
	     v_neigh_change, "nil"),
	VERB("neighbour.delete", "Delete an ARP/NDP entry", p_neigh_del, B,
	     v_neigh_change, "nil"),
	VERB("rule.list", "List policy-routing rules (ip -j rule show)",
	     p_rule_list, B, v_rule_list, "list of rule maps"),
	VERB("rule.add", "Add a policy-routing rule (table required)",
	     p_rule_add, B, v_rule_change, "nil"),
	VERB("rule.delete", "Delete the rule matching the selectors",
	     p_rule_del, B, v_rule_change, "nil"),
	VERB("stats.get", "64-bit counters of one link (RTM_GETSTATS)",
	     p_stats_get, B, v_stats, "stats map"),
	VERB("stats.list", "64-bit counters of every link", p_only_sock, B,
	     v_stats, "list of stats maps"),
	VERB("monitor.open", "Subscribe to rtnetlink notifications",
	     p_mon_open, B, v_monitor_open, "handle rtnl.monitor"),
	VERB("monitor.read", "Wait for and read notifications", p_mon_read, B,
	     v_monitor_read,
	     "list of {op, type, resource}; op \"resync\" after a loss"),
	VERB("monitor.close", "Close a monitor", p_mon_close, 0,
	     v_monitor_close, "nil"),
	VERB("batch", "Apply many changes with one socket, many per sendmsg",
	     p_batch, B, v_batch, "{count, failed, errors: [{index, op, errno, "
				  "code, message, extack}]}"),
	VERB("observe", "Read links, addresses, routes, neighbours and rules "
			"for a diff",
	     rc_p_observe, B, v_observe,
	     "{links, addresses, routes, neighbours, rules}"),
	VERB("diff", "The ops that would converge observed addresses, "
		     "routes, neighbours and rules on a desired state (no I/O)",
	     rc_p_diff, 0, v_diff, "list of {op, kind, key, value}"),
	VERB("reconcile", "Converge addresses, routes, neighbours and rules "
			  "on a desired state: one ordered, fail-fast pass",
	     rc_p_reconcile, B, v_reconcile,
	     "{converged, applied, failed, pending, last_applied}"),
};
const size_t rtnl_verbs_n = RTNL_ARRAY_SIZE(rtnl_verbs);

LINX_PLUGIN_DEFINE(rtnl, "0.1.0",
		   "rtnetlink: links, addresses, routes, neighbours, rules, "
		   "stats, monitor",
		   NULL, NULL, rtnl_verbs);
