/* SPDX-License-Identifier: MIT */
/*
 * The rtnl plugin's verbs: thin adapters from value arguments to the typed
 * API (include/linx/rtnl.h) and from its structs to value results
 * (value.c).  Documented in docs/rtnl/README.md.
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
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-value.h"

/* ---- handles ---------------------------------------------------------------- */

struct sock_handle {
	pthread_rwlock_t lock;
	struct linx_rtnl *s;
};

struct mon_handle {
	pthread_rwlock_t lock;
	struct linx_rtnl_monitor *m;
};

static void sock_destroy(void *p)
{
	struct sock_handle *h = p;

	linx_rtnl_close(h->s);
	pthread_rwlock_destroy(&h->lock);
	free(h);
}

static void mon_destroy(void *p)
{
	struct mon_handle *h = p;

	linx_rtnl_monitor_close(h->m);
	pthread_rwlock_destroy(&h->lock);
	free(h);
}

static const struct linx_handle_type sock_type = { "rtnl.socket",
						   sock_destroy };
static const struct linx_handle_type mon_type = { "rtnl.monitor",
						  mon_destroy };

/* ---- arguments ------------------------------------------------------------ */

/* Arguments come from a call, or from one op map of rtnl.batch. */
struct args {
	const struct linx_call *call;
	const struct linx_value *map;
	const char *op;
};

static const struct linx_value *arg(const struct args *a, const char *name)
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

static const char *arg_str(const struct args *a, const char *name)
{
	const struct linx_value *v = arg(a, name);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static int arg_u32(const struct args *a, const char *name, uint32_t max,
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

static int arg_ip(const struct args *a, const char *name, bool required,
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
static int arg_prefix(const struct args *a, const char *name,
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

static int arg_family(const struct args *a, uint8_t *ret,
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
static int arg_enum(const struct args *a, const char *name,
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

static int arg_target(const struct args *a, const char *name,
		      struct linx_ns_target *ret, struct linx_error *err)
{
	return linx_ns_target_from_value(arg(a, name), name, ret, err);
}

/* ---- the socket of a call ------------------------------------------------- */

struct ctx {
	struct sock_handle *h;
	struct linx_rtnl *s;
};

static int ctx_open(const struct args *a, struct ctx *c, struct linx_error *err)
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

static void ctx_close(struct ctx *c)
{
	if (c->h)
		pthread_rwlock_unlock(&c->h->lock);
	else
		linx_rtnl_close(c->s);
	c->h = NULL;
	c->s = NULL;
}

static int nomem(struct linx_error *err, const char *op, int r)
{
	return linx_error_set(err, r == -EINVAL ? EINVAL : ENOMEM, op,
			      "cannot build the result");
}

#define ARGS(call_, op_) { .call = (call_), .map = NULL, .op = (op_) }

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

/* ---- links ---------------------------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
	const struct rtnl_name *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

static void names_from_links(const struct linx_rtnl_link *links, size_t n,
			     struct rtnl_names *names)
{
	names->v = malloc((n ? n : 1) * sizeof(*names->v));
	names->n = 0;
	if (!names->v)
		return; /* names are a nicety: go without them */
	for (size_t i = 0; i < n; i++) {
		names->v[i].index = links[i].index;
		memcpy(names->v[i].name, links[i].name, IFNAMSIZ);
	}
	names->n = n;
	/* Dumps come in index order on recent kernels, not on older ones. */
	qsort(names->v, n, sizeof(*names->v), name_cmp);
}

static int v_link_list(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	struct args a = ARGS(call, "link.list");
	struct linx_rtnl_link *links = NULL;
	struct rtnl_names names = { 0 };
	struct ctx c;
	size_t n = 0;
	int r;

	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_link_list(c.s, &links, &n, err);
	ctx_close(&c);
	if (r < 0)
		return r;
	names_from_links(links, n, &names);
	*ret = linx_value_list();
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		rtnl_value_link(&links[i], &names, &v);
		linx_list_push(ret, &v);
	}
	free(links);
	rtnl_names_free(&names);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_link_get(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	struct args a = ARGS(call, "link.get");
	const char *name = arg_str(&a, "name");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_link link;
	uint32_t index = 0;
	struct ctx c;
	bool has;
	int r;

	r = arg_u32(&a, "index", INT32_MAX, &has, &index, err);
	if (r < 0)
		return r;
	if (!name == !has)
		return linx_error_param(err, a.op, "name",
					"give either name or index");
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_link_get(c.s, name, (int32_t)index, &link, err);
	if (r >= 0 && (link.master || link.link))
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	r = rtnl_value_link(&link, &names, ret);
	rtnl_names_free(&names);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_link_create_veth(const struct linx_call *call,
			      struct linx_value *ret, struct linx_error *err)
{
	struct args a = ARGS(call, "link.create_veth");
	struct linx_ns_target peer_ns;
	struct ctx c;
	int r;

	(void)ret;
	r = arg_target(&a, "peer_netns", &peer_ns, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_link_create_veth(c.s, arg_str(&a, "name"),
				       arg_str(&a, "peer"), &peer_ns, err);
	ctx_close(&c);
	return r;
}

static int v_link_create_simple(const struct linx_call *call,
				struct linx_value *ret, struct linx_error *err)
{
	bool bridge = strcmp(call->verb->name, "rtnl.link.create_bridge") == 0;
	struct args a = ARGS(call, bridge ? "link.create_bridge"
					  : "link.create_dummy");
	struct ctx c;
	int r;

	(void)ret;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = bridge ? linx_rtnl_link_create_bridge(c.s, arg_str(&a, "name"), err)
		   : linx_rtnl_link_create_dummy(c.s, arg_str(&a, "name"), err);
	ctx_close(&c);
	return r;
}

static int v_link_create_macvlan(const struct linx_call *call,
				 struct linx_value *ret, struct linx_error *err)
{
	struct args a = ARGS(call, "link.create_macvlan");
	const char *mode_s = arg_str(&a, "mode");
	uint32_t mode = MACVLAN_MODE_BRIDGE;
	struct ctx c;
	int r;

	(void)ret;
	if (mode_s && linx_rtnl_macvlan_mode_from_name(mode_s, &mode) < 0)
		return linx_error_param(err, a.op, "mode",
					"mode: private, vepa, bridge, passthru "
					"or source");
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_link_create_macvlan(c.s, arg_str(&a, "name"),
					  arg_str(&a, "parent"), mode, err);
	ctx_close(&c);
	return r;
}

static int v_link_create_ipvlan(const struct linx_call *call,
				struct linx_value *ret, struct linx_error *err)
{
	struct args a = ARGS(call, "link.create_ipvlan");
	const char *mode_s = arg_str(&a, "mode"), *flag_s = arg_str(&a, "flag");
	uint16_t mode = IPVLAN_MODE_L3, flags = 0;
	struct ctx c;
	int r;

	(void)ret;
	if (mode_s && linx_rtnl_ipvlan_mode_from_name(mode_s, &mode) < 0)
		return linx_error_param(err, a.op, "mode", "mode: l2, l3 or l3s");
	if (flag_s) {
		if (!strcmp(flag_s, "private"))
			flags = IPVLAN_F_PRIVATE;
		else if (!strcmp(flag_s, "vepa"))
			flags = IPVLAN_F_VEPA;
		else if (strcmp(flag_s, "bridge") != 0)
			return linx_error_param(err, a.op, "flag",
						"flag: bridge, private or vepa");
	}
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_link_create_ipvlan(c.s, arg_str(&a, "name"),
					 arg_str(&a, "parent"), mode, flags,
					 err);
	ctx_close(&c);
	return r;
}

static int v_link_create_vlan(const struct linx_call *call,
			      struct linx_value *ret, struct linx_error *err)
{
	struct args a = ARGS(call, "link.create_vlan");
	uint32_t id = 0;
	struct ctx c;
	bool has;
	int r;

	(void)ret;
	r = arg_u32(&a, "id", 4094, &has, &id, err);
	if (r < 0)
		return r;
	if (id == 0)
		return linx_error_param(err, a.op, "id",
					"a VLAN id is 1..4094");
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_link_create_vlan(c.s, arg_str(&a, "name"),
				       arg_str(&a, "parent"), (uint16_t)id, err);
	ctx_close(&c);
	return r;
}

/* set_up, set_down, set_mtu, set_address, set_name, set_master, delete,
 * move_to_netns: one adapter, told apart by the verb's name. */
static int v_link_modify(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err)
{
	const char *verb = call->verb->name + strlen("rtnl.");
	struct args a = ARGS(call, verb);
	const char *name = arg_str(&a, "name");
	struct linx_rtnl_lladdr mac;
	struct linx_ns_target t;
	uint32_t mtu = 0;
	struct ctx c;
	bool has;
	int r = 0;

	(void)ret;
	if (!strcmp(verb, "link.set_mtu")) {
		r = arg_u32(&a, "mtu", UINT32_MAX, &has, &mtu, err);
	} else if (!strcmp(verb, "link.set_address")) {
		if (linx_rtnl_lladdr_parse(arg_str(&a, "address"), &mac, err) < 0)
			r = linx_error_param(err, a.op, "address",
					     "address: a MAC such as "
					     "02:00:00:00:00:01");
	} else if (!strcmp(verb, "link.move_to_netns")) {
		r = arg_target(&a, "to", &t, err);
	}
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	if (!strcmp(verb, "link.set_up"))
		r = linx_rtnl_link_set_up(c.s, name, true, err);
	else if (!strcmp(verb, "link.set_down"))
		r = linx_rtnl_link_set_up(c.s, name, false, err);
	else if (!strcmp(verb, "link.set_mtu"))
		r = linx_rtnl_link_set_mtu(c.s, name, mtu, err);
	else if (!strcmp(verb, "link.set_address"))
		r = linx_rtnl_link_set_address(c.s, name, &mac, err);
	else if (!strcmp(verb, "link.set_name"))
		r = linx_rtnl_link_set_name(c.s, name, arg_str(&a, "new_name"),
					    err);
	else if (!strcmp(verb, "link.set_master"))
		r = linx_rtnl_link_set_master(c.s, name, arg_str(&a, "master"),
					      err);
	else if (!strcmp(verb, "link.delete"))
		r = linx_rtnl_link_delete(c.s, name, err);
	else
		r = linx_rtnl_link_move_to_netns(c.s, name, &t, err);
	ctx_close(&c);
	return r;
}

/* ---- addresses ------------------------------------------------------------ */

static const struct {
	const char *name;
	uint32_t bit;
} addr_flag_names[] = {
	{ "nodad", IFA_F_NODAD },
	{ "noprefixroute", IFA_F_NOPREFIXROUTE },
	{ "optimistic", IFA_F_OPTIMISTIC },
	{ "home", IFA_F_HOMEADDRESS },
	{ "mngtmpaddr", IFA_F_MANAGETEMPADDR },
	{ "autojoin", IFA_F_MCAUTOJOIN },
};

static int parse_addr(const struct args *a, struct linx_rtnl_addr_spec *spec,
		      struct linx_error *err)
{
	const struct linx_value *flags = arg(a, "flags");
	const char *brd = arg_str(a, "broadcast");
	uint8_t plen;
	int r;

	*spec = (struct linx_rtnl_addr_spec)LINX_RTNL_ADDR_SPEC_INIT;
	spec->dev = arg_str(a, "dev");
	if (!spec->dev)
		return linx_error_param(err, a->op, "dev", "dev is required");
	r = arg_prefix(a, "address", "prefix", false, true, &spec->address,
		       &plen, err);
	if (r < 0)
		return r;
	spec->prefixlen = plen;
	r = arg_ip(a, "peer", false, &spec->peer, err);
	if (r < 0)
		return r;
	if (brd && !strcmp(brd, "+"))
		spec->broadcast_auto = true;
	else if ((r = arg_ip(a, "broadcast", false, &spec->broadcast, err)) < 0)
		return r;
	r = arg_enum(a, "scope", linx_rtnl_scope_from_name, &spec->scope, err);
	if (r < 0)
		return r;
	spec->label = arg_str(a, "label");
	for (uint32_t i = 0; flags && i < flags->len; i++) {
		const struct linx_value *f = &flags->items[i];
		size_t k;

		for (k = 0; k < RTNL_ARRAY_SIZE(addr_flag_names); k++)
			if (f->type == LINX_STRING &&
			    !strcmp(f->str, addr_flag_names[k].name))
				break;
		if (k == RTNL_ARRAY_SIZE(addr_flag_names))
			return linx_error_param(err, a->op, "flags",
						"flags: nodad, noprefixroute, "
						"optimistic, home, mngtmpaddr "
						"or autojoin");
		spec->flags |= addr_flag_names[k].bit;
	}
	return 0;
}

static int v_addr_list(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	struct args a = ARGS(call, "address.list");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_addr *addrs = NULL;
	uint8_t family;
	struct ctx c;
	size_t n = 0;
	int r;

	r = arg_family(&a, &family, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_addr_list(c.s, arg_str(&a, "dev"), &addrs, &n, err);
	if (r >= 0)
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		if (family && addrs[i].family != family)
			continue;
		rtnl_value_addr(&addrs[i], &names, &v);
		linx_list_push(ret, &v);
	}
	free(addrs);
	rtnl_names_free(&names);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_addr_change(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err)
{
	bool add = strcmp(call->verb->name, "rtnl.address.add") == 0;
	struct args a = ARGS(call, add ? "address.add" : "address.delete");
	struct linx_rtnl_addr_spec spec;
	struct ctx c;
	int r;

	(void)ret;
	r = parse_addr(&a, &spec, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = add ? linx_rtnl_addr_add(c.s, &spec, err)
		: linx_rtnl_addr_delete(c.s, &spec, err);
	ctx_close(&c);
	return r;
}

/* ---- routes --------------------------------------------------------------- */

static int parse_route(const struct args *a, bool is_default,
		       struct linx_rtnl_route_spec *spec,
		       struct linx_error *err)
{
	const struct linx_value *onlink = arg(a, "onlink");
	uint32_t v;
	bool has;
	int r, type;

	*spec = (struct linx_rtnl_route_spec)LINX_RTNL_ROUTE_SPEC_INIT;
	if (!is_default) {
		r = arg_prefix(a, "dst", "prefix", true, true, &spec->dst,
			       &spec->dst_len, err);
		if (r < 0)
			return r;
	}
	r = arg_ip(a, "gateway", is_default && !arg(a, "dev"), &spec->gateway,
		   err);
	if (r < 0)
		return r;
	r = arg_ip(a, "source", false, &spec->prefsrc, err);
	if (r < 0)
		return r;
	spec->dev = arg_str(a, "dev");
	r = arg_u32(a, "table", UINT32_MAX, &has, &spec->table, err);
	if (r < 0)
		return r;
	if (has && spec->table == 0)
		return linx_error_param(err, a->op, "table",
					"table is 1..4294967295");
	r = arg_u32(a, "metric", UINT32_MAX, &spec->has_metric, &spec->metric,
		    err);
	if (r < 0)
		return r;
	r = arg_enum(a, "protocol", linx_rtnl_protocol_from_name,
		     &spec->protocol, err);
	if (r < 0)
		return r;
	r = arg_enum(a, "scope", linx_rtnl_scope_from_name, &spec->scope, err);
	if (r < 0)
		return r;
	r = arg_enum(a, "type", linx_rtnl_route_type_from_name, &type, err);
	if (r < 0)
		return r;
	spec->type = type > 0 ? (uint8_t)type : 0;
	r = arg_family(a, &spec->family, err);
	if (r < 0)
		return r;
	spec->onlink = onlink && onlink->type == LINX_BOOL && onlink->b;
	(void)v;
	return 0;
}

static int v_route_list(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	struct args a = ARGS(call, "route.list");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_route *routes = NULL;
	uint32_t table = 0;
	uint8_t family;
	struct ctx c;
	size_t n = 0;
	bool has;
	int r;

	r = arg_family(&a, &family, err);
	if (r >= 0)
		r = arg_u32(&a, "table", UINT32_MAX, &has, &table, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_route_list(c.s, family, table, &routes, &n, err);
	if (r >= 0)
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		rtnl_value_route(&routes[i], &names, &v);
		linx_list_push(ret, &v);
	}
	free(routes);
	rtnl_names_free(&names);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_route_get(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	struct args a = ARGS(call, "route.get");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_route route;
	struct linx_rtnl_ip dst;
	struct ctx c;
	int r;

	r = arg_ip(&a, "dst", true, &dst, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_route_get(c.s, &dst, &route, err);
	if (r >= 0)
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	r = rtnl_value_route(&route, &names, ret);
	rtnl_names_free(&names);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_route_change(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	const char *verb = call->verb->name + strlen("rtnl.");
	struct args a = ARGS(call, verb);
	bool is_default = strstr(verb, "_default") != NULL;
	struct linx_rtnl_route_spec spec;
	struct ctx c;
	int r;

	(void)ret;
	r = parse_route(&a, is_default, &spec, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	if (!strncmp(verb, "route.add", 9))
		r = linx_rtnl_route_add(c.s, &spec, err);
	else if (!strcmp(verb, "route.replace"))
		r = linx_rtnl_route_replace(c.s, &spec, err);
	else
		r = linx_rtnl_route_delete(c.s, &spec, err);
	ctx_close(&c);
	return r;
}

/* ---- neighbours ----------------------------------------------------------- */

static int v_neigh_list(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	struct args a = ARGS(call, "neighbour.list");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_neigh *nb = NULL;
	uint8_t family;
	struct ctx c;
	size_t n = 0;
	int r;

	r = arg_family(&a, &family, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_neigh_list(c.s, arg_str(&a, "dev"), &nb, &n, err);
	if (r >= 0)
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		if (family && nb[i].family != family)
			continue;
		rtnl_value_neigh(&nb[i], &names, &v);
		linx_list_push(ret, &v);
	}
	free(nb);
	rtnl_names_free(&names);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_neigh_change(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	bool add = strcmp(call->verb->name, "rtnl.neighbour.add") == 0;
	struct args a = ARGS(call, add ? "neighbour.add" : "neighbour.delete");
	const struct linx_value *replace = arg(&a, "replace");
	struct linx_rtnl_lladdr mac;
	struct linx_rtnl_ip ip;
	struct ctx c;
	int r;

	(void)ret;
	r = arg_ip(&a, "ip", true, &ip, err);
	if (r < 0)
		return r;
	if (add && linx_rtnl_lladdr_parse(arg_str(&a, "mac"), &mac, err) < 0)
		return linx_error_param(err, a.op, "mac",
					"mac: a link-layer address such as "
					"02:00:00:00:00:01");
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = add ? linx_rtnl_neigh_add(c.s, arg_str(&a, "dev"), &ip, &mac,
				      replace && replace->type == LINX_BOOL &&
					      replace->b,
				      err)
		: linx_rtnl_neigh_delete(c.s, arg_str(&a, "dev"), &ip, err);
	ctx_close(&c);
	return r;
}

/* ---- rules ---------------------------------------------------------------- */

static int rule_action_from_name(const char *name)
{
	static const char *const names[] = {
		[FR_ACT_TO_TBL] = "to_tbl",	  [FR_ACT_GOTO] = "goto",
		[FR_ACT_NOP] = "nop",		  [FR_ACT_BLACKHOLE] = "blackhole",
		[FR_ACT_UNREACHABLE] = "unreachable",
		[FR_ACT_PROHIBIT] = "prohibit",
	};

	for (size_t i = 1; i < RTNL_ARRAY_SIZE(names); i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	if (!strcmp(name, "table"))
		return FR_ACT_TO_TBL;
	return -1;
}

static int parse_rule(const struct args *a, struct linx_rtnl_rule_spec *spec,
		      struct linx_error *err)
{
	bool has;
	int r, action;

	memset(spec, 0, sizeof(*spec));
	r = arg_prefix(a, "from", NULL, false, false, &spec->from,
		       &spec->from_len, err);
	if (r >= 0)
		r = arg_prefix(a, "to", NULL, false, false, &spec->to,
			       &spec->to_len, err);
	if (r >= 0)
		r = arg_u32(a, "fwmark", UINT32_MAX, &spec->has_fwmark,
			    &spec->fwmark, err);
	if (r >= 0)
		r = arg_u32(a, "fwmask", UINT32_MAX, &spec->has_fwmask,
			    &spec->fwmask, err);
	if (r >= 0)
		r = arg_u32(a, "table", UINT32_MAX, &has, &spec->table, err);
	if (r >= 0)
		r = arg_u32(a, "priority", UINT32_MAX, &spec->has_priority,
			    &spec->priority, err);
	if (r >= 0)
		r = arg_family(a, &spec->family, err);
	if (r >= 0)
		r = arg_enum(a, "action", rule_action_from_name, &action, err);
	if (r < 0)
		return r;
	spec->action = action > 0 ? (uint8_t)action : 0;
	spec->iif = arg_str(a, "iif");
	spec->oif = arg_str(a, "oif");
	return 0;
}

static int v_rule_list(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	struct args a = ARGS(call, "rule.list");
	struct linx_rtnl_rule *rules = NULL;
	uint8_t family;
	struct ctx c;
	size_t n = 0;
	int r;

	r = arg_family(&a, &family, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_rule_list(c.s, family, &rules, &n, err);
	ctx_close(&c);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		rtnl_value_rule(&rules[i], &v);
		linx_list_push(ret, &v);
	}
	free(rules);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_rule_change(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err)
{
	bool add = strcmp(call->verb->name, "rtnl.rule.add") == 0;
	struct args a = ARGS(call, add ? "rule.add" : "rule.delete");
	struct linx_rtnl_rule_spec spec;
	struct ctx c;
	int r;

	(void)ret;
	r = parse_rule(&a, &spec, err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = add ? linx_rtnl_rule_add(c.s, &spec, err)
		: linx_rtnl_rule_delete(c.s, &spec, err);
	ctx_close(&c);
	return r;
}

/* ---- statistics ------------------------------------------------------------ */

static int v_stats(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	bool get = strcmp(call->verb->name, "rtnl.stats.get") == 0;
	struct args a = ARGS(call, get ? "stats.get" : "stats.list");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_stats one, *all = NULL;
	struct ctx c;
	size_t n = 0;
	int r;

	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	if (get)
		r = linx_rtnl_stats_get(c.s, arg_str(&a, "dev"), &one, err);
	else
		r = linx_rtnl_stats_list(c.s, &all, &n, err);
	if (r >= 0)
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	if (get) {
		r = rtnl_value_stats(&one, &names, ret);
	} else {
		*ret = linx_value_list();
		for (size_t i = 0; i < n; i++) {
			struct linx_value v;

			rtnl_value_stats(&all[i], &names, &v);
			linx_list_push(ret, &v);
		}
		free(all);
		r = linx_value_status(ret);
	}
	rtnl_names_free(&names);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

/* ---- monitor ---------------------------------------------------------------- */

static int v_monitor_open(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	struct args a = ARGS(call, "monitor.open");
	const struct linx_value *groups = arg(&a, "groups");
	unsigned g[64];
	size_t ng = 0;
	uint32_t rcvbuf = 0;
	struct linx_ns_target t;
	struct mon_handle *h;
	struct linx_handle *handle;
	bool has;
	int r;

	r = arg_target(&a, "netns", &t, err);
	if (r >= 0)
		r = arg_u32(&a, "rcvbuf", 1u << 30, &has, &rcvbuf, err);
	if (r < 0)
		return r;
	for (uint32_t i = 0; groups && i < groups->len; i++) {
		const struct linx_value *v = &groups->items[i];
		uint64_t u;

		if (v->type == LINX_STRING) {
			r = linx_rtnl_group_parse(v->str, g + ng,
						  RTNL_ARRAY_SIZE(g) - ng);
			if (r < 0)
				return linx_error_param(
					err, a.op, "groups",
					"groups: unknown group \"%.32s\" (link, "
					"address, route, neighbour, rule, "
					"ipv4_route, ...)",
					v->str);
			ng += (size_t)r;
		} else if (linx_value_get_u64(v, &u) && u > 0 && u < 1024 &&
			   ng < RTNL_ARRAY_SIZE(g)) {
			g[ng++] = (unsigned)u;
		} else {
			return linx_error_param(err, a.op, "groups",
						"groups: names or RTNLGRP_* "
						"numbers");
		}
	}
	if (groups && ng == 0)
		return linx_error_param(err, a.op, "groups",
					"groups: an empty list");
	h = calloc(1, sizeof(*h));
	if (!h)
		return linx_error_set(err, ENOMEM, a.op, NULL);
	pthread_rwlock_init(&h->lock, NULL);
	r = linx_rtnl_monitor_open(&t, g, ng, rcvbuf, &h->m, err);
	if (r < 0) {
		pthread_rwlock_destroy(&h->lock);
		free(h);
		return r;
	}
	handle = linx_handle_new(&mon_type, h);
	if (!handle) {
		mon_destroy(h);
		return linx_error_set(err, ENOMEM, a.op, NULL);
	}
	*ret = linx_value_handle(handle);
	linx_handle_unref(handle);
	return 0;
}

static struct mon_handle *mon_arg(const struct args *a, struct linx_error *err)
{
	const struct linx_value *mv = arg(a, "monitor");
	struct mon_handle *h = mv ? linx_handle_get(mv->handle, &mon_type)
				  : NULL;

	if (!h)
		linx_error_param(err, a->op, "monitor",
				 "monitor: not an rtnl.monitor handle");
	return h;
}

static int v_monitor_read(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	struct args a = ARGS(call, "monitor.read");
	struct mon_handle *h = mon_arg(&a, err);
	struct linx_rtnl_event *ev = NULL;
	uint32_t timeout = 0, max = 0;
	size_t n = 0;
	bool has;
	int r;

	if (!h)
		return -EINVAL;
	r = arg_u32(&a, "timeout_ms", INT32_MAX, &has, &timeout, err);
	if (r >= 0)
		r = arg_u32(&a, "max", 1u << 20, &has, &max, err);
	if (r < 0)
		return r;
	pthread_rwlock_rdlock(&h->lock);
	if (!h->m)
		r = linx_error_set(err, EBADF, a.op, "the monitor was closed");
	else
		r = linx_rtnl_monitor_read(h->m, (int)timeout, max, &ev, &n,
					   err);
	pthread_rwlock_unlock(&h->lock);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		rtnl_value_event(&ev[i], &v);
		linx_list_push(ret, &v);
	}
	free(ev);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

static int v_monitor_close(const struct linx_call *call, struct linx_value *ret,
			   struct linx_error *err)
{
	struct args a = ARGS(call, "monitor.close");
	struct mon_handle *h = mon_arg(&a, err);

	(void)ret;
	if (!h)
		return -EINVAL;
	pthread_rwlock_wrlock(&h->lock);
	linx_rtnl_monitor_close(h->m);
	h->m = NULL;
	pthread_rwlock_unlock(&h->lock);
	return 0;
}

/* ---- batch ---------------------------------------------------------------- */

extern const struct linx_verb rtnl_verbs[];
extern const size_t rtnl_verbs_n;

/* Check an op map's keys and types against the schema of the verb of the
 * same name (rtnl.<op>); sock and netns belong to the batch itself. */
static int check_op(const struct linx_value *map, const char *op, size_t index,
		    struct linx_error *err)
{
	char verb[64];
	const struct linx_verb *v = NULL;

	snprintf(verb, sizeof(verb), "rtnl.%s", op);
	for (size_t i = 0; i < rtnl_verbs_n; i++)
		if (!strcmp(rtnl_verbs[i].name, verb))
			v = &rtnl_verbs[i];
	if (!v)
		return linx_error_param(err, "batch", "ops",
					"ops[%zu]: unknown op \"%.40s\"", index,
					op);
	for (uint32_t k = 0; k < map->len; k++) {
		const struct linx_pair *p = &map->pairs[k];
		const struct linx_param *param = NULL;

		if (!strcmp(p->key, "op"))
			continue;
		for (uint32_t j = 0; j < v->n_params; j++)
			if (!strcmp(v->params[j].name, p->key))
				param = &v->params[j];
		if (!param || !strcmp(p->key, "sock") ||
		    !strcmp(p->key, "netns"))
			return linx_error_param(err, "batch", "ops",
						"ops[%zu]: %s takes no \"%.32s\"",
						index, op, p->key);
		if (!(param->types & LINX_TM(p->value.type)))
			return linx_error_param(err, "batch", "ops",
						"ops[%zu]: \"%s\" has the wrong "
						"type (%s)",
						index, p->key,
						linx_type_name(p->value.type));
	}
	for (uint32_t j = 0; j < v->n_params; j++)
		if ((v->params[j].flags & LINX_PARAM_REQUIRED) &&
		    !linx_map_get(map, v->params[j].name))
			return linx_error_param(err, "batch", "ops",
						"ops[%zu]: %s needs \"%s\"",
						index, op, v->params[j].name);
	return 0;
}

static int batch_add(struct linx_rtnl_batch *b, const struct linx_value *map,
		     size_t index, struct linx_error *err)
{
	const struct linx_value *opv = linx_map_get(map, "op");
	struct args a = { .map = map };
	const char *op;
	int r;

	if (map->type != LINX_MAP || !opv || opv->type != LINX_STRING)
		return linx_error_param(err, "batch", "ops",
					"ops[%zu]: a map with a string \"op\"",
					index);
	op = opv->str;
	a.op = op;
	r = check_op(map, op, index, err);
	if (r < 0)
		return r;
	if (!strncmp(op, "route.", 6)) {
		struct linx_rtnl_route_spec spec;
		bool def = strstr(op, "_default") != NULL;
		unsigned code = !strncmp(op, "route.add", 9)
					? LINX_RTNL_OP_ROUTE_ADD
				: !strcmp(op, "route.replace")
					? LINX_RTNL_OP_ROUTE_REPLACE
					: LINX_RTNL_OP_ROUTE_DELETE;

		r = parse_route(&a, def, &spec, err);
		if (r >= 0)
			r = linx_rtnl_batch_route(b, code, &spec, err);
	} else if (!strncmp(op, "address.", 8)) {
		struct linx_rtnl_addr_spec spec;

		r = parse_addr(&a, &spec, err);
		if (r >= 0)
			r = linx_rtnl_batch_addr(b,
						 !strcmp(op, "address.add")
							 ? LINX_RTNL_OP_ADDR_ADD
							 : LINX_RTNL_OP_ADDR_DELETE,
						 &spec, err);
	} else if (!strncmp(op, "neighbour.", 10)) {
		bool add = !strcmp(op, "neighbour.add");
		struct linx_rtnl_lladdr mac = { 0 };
		struct linx_rtnl_ip ip;

		r = arg_ip(&a, "ip", true, &ip, err);
		if (r >= 0 && add &&
		    linx_rtnl_lladdr_parse(arg_str(&a, "mac"), &mac, err) < 0)
			r = -EINVAL;
		if (r >= 0)
			r = linx_rtnl_batch_neigh(b,
						  add ? LINX_RTNL_OP_NEIGH_ADD
						      : LINX_RTNL_OP_NEIGH_DELETE,
						  arg_str(&a, "dev"), &ip, &mac,
						  err);
	} else if (!strncmp(op, "rule.", 5)) {
		struct linx_rtnl_rule_spec spec;

		r = parse_rule(&a, &spec, err);
		if (r >= 0)
			r = linx_rtnl_batch_rule(b,
						 !strcmp(op, "rule.add")
							 ? LINX_RTNL_OP_RULE_ADD
							 : LINX_RTNL_OP_RULE_DELETE,
						 &spec, err);
	} else if (!strcmp(op, "link.delete") || !strcmp(op, "link.set_up") ||
		   !strcmp(op, "link.set_down") || !strcmp(op, "link.set_mtu")) {
		uint32_t mtu = 0;
		bool has;
		unsigned code = !strcmp(op, "link.delete")
					? LINX_RTNL_OP_LINK_DELETE
				: !strcmp(op, "link.set_up")
					? LINX_RTNL_OP_LINK_SET_UP
				: !strcmp(op, "link.set_down")
					? LINX_RTNL_OP_LINK_SET_DOWN
					: LINX_RTNL_OP_LINK_SET_MTU;

		r = arg_u32(&a, "mtu", UINT32_MAX, &has, &mtu, err);
		if (r >= 0)
			r = linx_rtnl_batch_link(b, code, arg_str(&a, "name"),
						 mtu, err);
	} else {
		r = linx_error_param(err, "batch", "ops",
				     "ops[%zu]: \"%.40s\" cannot be batched",
				     index, op);
	}
	if (r < 0 && err && !strstr(err->message, "ops["))
		linx_error_prefix(err, "ops[%zu] (%s)", index, op);
	return r;
}

static int v_batch(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	struct args a = ARGS(call, "batch");
	const struct linx_value *ops = arg(&a, "ops");
	struct linx_value errors = linx_value_list();
	struct linx_rtnl_batch *b = NULL;
	struct linx_error e;
	size_t nfail;
	struct ctx c;
	int r;

	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_batch_new(c.s, &b, err);
	for (uint32_t i = 0; r >= 0 && ops && i < ops->len; i++)
		r = batch_add(b, &ops->items[i], i, err);
	if (r >= 0) {
		r = linx_rtnl_batch_run(b, &e);
		/* Per-op failures are results; only a transport failure
		 * fails the verb. */
		if (r < 0 && linx_rtnl_batch_failures(b) == 0) {
			if (err)
				*err = e;
		} else {
			r = 0;
		}
	}
	ctx_close(&c);
	if (r < 0) {
		linx_rtnl_batch_free(b);
		return r;
	}
	nfail = linx_rtnl_batch_failures(b);
	for (size_t k = 0; k < nfail; k++) {
		struct linx_value m = linx_value_map();
		size_t index;

		linx_rtnl_batch_failure(b, k, &index, &e);
		linx_map_put_uint(&m, "index", index);
		linx_map_put_cstring(&m, "op", e.op);
		linx_map_put_cstring(&m, "errno", linx_errno_name(e.code));
		linx_map_put_int(&m, "code", e.code);
		linx_map_put_cstring(&m, "message", e.message);
		if (e.extack[0])
			linx_map_put_cstring(&m, "extack", e.extack);
		linx_list_push(&errors, &m);
	}
	*ret = linx_value_map();
	linx_map_put_uint(ret, "count", linx_rtnl_batch_size(b));
	linx_map_put_uint(ret, "failed", nfail);
	linx_map_put(ret, "errors", &errors);
	linx_rtnl_batch_free(b);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
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
	{ .name = "rtnl." n, .summary = s, .params = p,                      \
	  .n_params = RTNL_ARRAY_SIZE(p), .flags = (f), .fn = fn_,           \
	  .result_doc = res }
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
};
const size_t rtnl_verbs_n = RTNL_ARRAY_SIZE(rtnl_verbs);

LINX_PLUGIN_DEFINE(rtnl, "0.1.0",
		   "rtnetlink: links, addresses, routes, neighbours, rules, "
		   "stats, monitor",
		   NULL, NULL, rtnl_verbs);
