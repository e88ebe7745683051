/* SPDX-License-Identifier: MIT */
/*
 * The rtnl reconcile verbs (linx/rtnl-reconcile.h, docs/reconcile/):
 *
 *   rtnl.observe   {sock | netns}                   -> {links, addresses,
 *                                                routes, neighbours, rules}
 *   rtnl.diff      {observed, desired, last_applied?, protocol?} -> [op]
 *   rtnl.reconcile {sock | netns, desired, last_applied?, protocol?}
 *                                                    -> report
 */
#include "verbs.h"

#include "rtnl-reconcile.h"

#define TM_TARGET                                                            \
	(LINX_TM_NIL | LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING |         \
	 LINX_TM_MAP)
#define P_SOCK_NETNS                                                         \
	{ "sock", LINX_TM_HANDLE, 0,                                         \
	  "an rtnl.socket from rtnl.open (else netns is used)" },            \
	{                                                                    \
		"netns", TM_TARGET, 0,                                       \
			"network namespace for a one-call socket: \"self\" " \
			"(default), a pid, a path, {pid} or {path}"          \
	}
#define P_DESIRED                                                            \
	{ "desired", LINX_TM_MAP, LINX_PARAM_REQUIRED,                       \
	  "{links: [name], addresses: [{dev, address}], routes: [{dst, "    \
	  "gateway?, dev?, "                                                 \
	  "table?, metric?}], neighbours: [{dev, dst, lladdr}], rules: "     \
	  "[{priority, table, from?, to?, fwmark?}]}" }
#define P_LAST                                                               \
	{ "last_applied", LINX_TM_MAP | LINX_TM_NIL, 0,                      \
	  "what the previous pass returned (default: nothing owned)" }
#define P_PROTOCOL                                                           \
	{ "protocol", LINX_TM_STRING | LINX_TM_INT | LINX_TM_UINT, 0,        \
	  "route owner tag, a name or 1..255 (default 76)" }

const struct linx_param rc_p_observe[2] = { P_SOCK_NETNS };
const struct linx_param rc_p_diff[4] = {
	{ "observed", LINX_TM_MAP, LINX_PARAM_REQUIRED,
	  "{links, addresses, routes, neighbours, rules} as rtnl.observe "
	  "returns it" },
	P_DESIRED,
	P_LAST,
	P_PROTOCOL,
};
const struct linx_param rc_p_reconcile[5] = {
	P_SOCK_NETNS,
	P_DESIRED,
	P_LAST,
	P_PROTOCOL,
};

int v_observe(const struct linx_call *call, struct linx_value *ret,
	      struct linx_error *err)
{
	struct args a = ARGS(call, "observe");
	struct ctx c;
	int r = ctx_open(&a, &c, err);

	if (r < 0)
		return r;
	r = linx_rtnl_observe(c.s, ret, err);
	ctx_close(&c);
	return r;
}

int v_diff(const struct linx_call *call, struct linx_value *ret,
	   struct linx_error *err)
{
	struct args a = ARGS(call, "diff");
	int protocol, r;

	r = arg_enum(&a, "protocol", linx_rtnl_protocol_from_name, &protocol,
		     err);
	if (r < 0)
		return r;
	return linx_rtnl_reconcile_diff(arg(&a, "observed"),
					arg(&a, "desired"),
					arg(&a, "last_applied"), protocol, ret,
					err);
}

int v_reconcile(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	struct args a = ARGS(call, "reconcile");
	int protocol, r;
	struct ctx c;

	r = arg_enum(&a, "protocol", linx_rtnl_protocol_from_name, &protocol,
		     err);
	if (r < 0)
		return r;
	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_reconcile(c.s, arg(&a, "desired"),
				arg(&a, "last_applied"), protocol, ret, err);
	ctx_close(&c);
	return r;
}
