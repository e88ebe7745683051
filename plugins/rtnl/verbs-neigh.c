/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on neighbours (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

/* ---- neighbours ----------------------------------------------------------- */

static bool neigh_conv(const void *item, uint8_t family,
			const struct rtnl_names *names, struct linx_value *v)
{
	const struct linx_rtnl_neigh *x = item;

	if (family && x->family != family)
		return false;
	rtnl_value_neigh(item, names, v);
	return true;
}

int v_neigh_list(const struct linx_call *call, struct linx_value *ret,
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
	return list_result(&a, nb, n, sizeof(*nb), neigh_conv, family,
			   &names, ret, err);
}

int v_neigh_change(const struct linx_call *call, struct linx_value *ret,
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
