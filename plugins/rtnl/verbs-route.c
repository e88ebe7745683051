/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on routes (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

/* ---- routes --------------------------------------------------------------- */

int parse_route(const struct args *a, bool is_default,
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

static bool route_conv(const void *item, uint8_t family,
			const struct rtnl_names *names, struct linx_value *v)
{
	(void)family;
	rtnl_value_route(item, names, v);
	return true;
}

int v_route_list(const struct linx_call *call, struct linx_value *ret,
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
	return list_result(&a, routes, n, sizeof(*routes), route_conv, family,
			   &names, ret, err);
}

int v_route_get(const struct linx_call *call, struct linx_value *ret,
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

int v_route_change(const struct linx_call *call, struct linx_value *ret,
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
