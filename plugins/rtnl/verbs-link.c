/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on links (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

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

int v_link_list(const struct linx_call *call, struct linx_value *ret,
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

int v_link_get(const struct linx_call *call, struct linx_value *ret,
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

int v_link_create_veth(const struct linx_call *call,
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

int v_link_create_simple(const struct linx_call *call,
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

int v_link_create_macvlan(const struct linx_call *call,
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

int v_link_create_ipvlan(const struct linx_call *call,
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

int v_link_create_vlan(const struct linx_call *call,
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
int v_link_modify(const struct linx_call *call, struct linx_value *ret,
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
