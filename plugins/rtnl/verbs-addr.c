/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on addresses (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

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

int parse_addr(const struct args *a, struct linx_rtnl_addr_spec *spec,
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

static bool addr_conv(const void *item, uint8_t family,
			const struct rtnl_names *names, struct linx_value *v)
{
	const struct linx_rtnl_addr *x = item;

	if (family && x->family != family)
		return false;
	rtnl_value_addr(item, names, v);
	return true;
}

int v_addr_list(const struct linx_call *call, struct linx_value *ret,
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
	return list_result(&a, addrs, n, sizeof(*addrs), addr_conv, family,
			   &names, ret, err);
}

int v_addr_change(const struct linx_call *call, struct linx_value *ret,
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
