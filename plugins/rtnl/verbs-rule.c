/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on rules (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

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

int parse_rule(const struct args *a, struct linx_rtnl_rule_spec *spec,
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

static bool rule_conv(const void *item, uint8_t family,
			const struct rtnl_names *names, struct linx_value *v)
{
	(void)family;
	(void)names;
	rtnl_value_rule(item, v);
	return true;
}

int v_rule_list(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	struct args a = ARGS(call, "rule.list");
	struct rtnl_names names = { 0 };
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
	return list_result(&a, rules, n, sizeof(*rules), rule_conv, family,
			   &names, ret, err);
}

int v_rule_change(const struct linx_call *call, struct linx_value *ret,
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
