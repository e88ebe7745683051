/* SPDX-License-Identifier: MIT */
/*
 * Policy-routing rules: RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE with
 * struct fib_rule_hdr and FRA_* (include/uapi/linux/fib_rules.h).
 */
#include <errno.h>
#include <linux/fib_rules.h>
#include <string.h>

#include "rtnl-internal.h"

uint32_t linx_rtnl_rule_table(const struct linx_rtnl_rule *rule)
{
	if (!rule)
		return 0;
	return (rule->present & LINX_RTNL_RULE_HAS_TABLE) ? rule->table_ext
							  : rule->table;
}

/* The attributes we read (include/uapi/linux/fib_rules.h).  Addresses
 * and names are checked when read: their length depends on the family,
 * and a name need not be terminated (we copy up to the first NUL). */
static const struct linx_nl_policy rule_policy[FRA_MAX + 1] = {
	[FRA_SRC] = { LINX_NL_ANY, 0 },
	[FRA_DST] = { LINX_NL_ANY, 0 },
	[FRA_FWMARK] = { LINX_NL_U32, 0 },
	[FRA_FWMASK] = { LINX_NL_U32, 0 },
	[FRA_PRIORITY] = { LINX_NL_U32, 0 },
	[FRA_TABLE] = { LINX_NL_U32, 0 },
	[FRA_GOTO] = { LINX_NL_U32, 0 },
	[FRA_SUPPRESS_PREFIXLEN] = { LINX_NL_U32, 0 },
	[FRA_PROTOCOL] = { LINX_NL_U8, 0 },
	[FRA_IIFNAME] = { LINX_NL_ANY, 0 },
	[FRA_OIFNAME] = { LINX_NL_ANY, 0 },
};

#define RULE_FIELD(attr, how, member, bit)                                   \
	RTNL_FIELD(attr, RTNL_READ_##how, struct linx_rtnl_rule, member,      \
		   LINX_RTNL_RULE_HAS_##bit)

static const struct rtnl_field rule_fields[] = {
	RULE_FIELD(FRA_SRC, IP, src, SRC),
	RULE_FIELD(FRA_DST, IP, dst, DST),
	RULE_FIELD(FRA_FWMARK, U32, fwmark, FWMARK),
	RULE_FIELD(FRA_FWMASK, U32, fwmask, FWMASK),
	RULE_FIELD(FRA_PRIORITY, U32, priority, PRIORITY),
	RULE_FIELD(FRA_TABLE, U32, table_ext, TABLE),
	RULE_FIELD(FRA_GOTO, U32, goto_target, GOTO),
	RULE_FIELD(FRA_SUPPRESS_PREFIXLEN, U32, suppress_prefixlen,
		   SUPPRESS_PREFIXLEN),
	RULE_FIELD(FRA_PROTOCOL, U8, protocol, PROTOCOL),
	RULE_FIELD(FRA_IIFNAME, STR, iifname, IIFNAME),
	RULE_FIELD(FRA_OIFNAME, STR, oifname, OIFNAME),
};

int linx_rtnl_rule_decode(const struct nlmsghdr *nlh,
			  struct linx_rtnl_rule *ret)
{
	const struct fib_rule_hdr *frh = rtnl_msg_header(nlh, sizeof(*frh));
	const struct nlattr *tb[FRA_MAX + 1];

	if (!ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	if (!frh)
		return -EBADMSG;
	ret->family = frh->family;
	ret->dst_len = frh->dst_len;
	ret->src_len = frh->src_len;
	ret->tos = frh->tos;
	ret->table = frh->table;
	ret->res1 = frh->res1;
	ret->res2 = frh->res2;
	ret->action = frh->action;
	ret->flags = frh->flags;
	if (linx_nl_parse_msg(nlh, sizeof(*frh), rule_policy, FRA_MAX, tb) != 0)
		return -EBADMSG;
	return rtnl_read_fields(tb, rule_fields, RTNL_ARRAY_SIZE(rule_fields),
				ret->family, ret, &ret->present);
}

static int rule_decode_cb(const struct nlmsghdr *nlh, void *obj)
{
	return linx_rtnl_rule_decode(nlh, obj);
}

int linx_rtnl_rule_list(struct linx_rtnl *s, uint8_t family,
			struct linx_rtnl_rule **ret, size_t *ret_n,
			struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct fib_rule_hdr *frh;
	struct rtnl_array arr;
	struct nlmsghdr *nlh;
	int r;

	if (!s || !ret || !ret_n)
		return linx_error_param(err, "rule.list", "sock",
					"missing argument");
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return linx_error_param(err, "rule.list", "family",
					"family must be inet or inet6");
	nlh = rtnl_req(buf, RTM_GETRULE, NLM_F_DUMP, sizeof(*frh), (void **)&frh);
	frh->family = family;
	rtnl_array_init(&arr, sizeof(struct linx_rtnl_rule), RTM_NEWRULE,
			rule_decode_cb);
	r = rtnl_dump(s, nlh, &arr, "rule.list", err);
	if (r < 0)
		return r;
	rtnl_array_take(&arr, ret, ret_n);
	/* An AF_UNSPEC dump also brings the multicast routing rules
	 * (RTNL_FAMILY_IPMR, IP6MR: `ip mrule`) of kernels built with
	 * them; this is the unicast policy database only, as `ip rule`. */
	size_t kept = 0;
	for (size_t i = 0; i < *ret_n; i++)
		if ((*ret)[i].family == AF_INET || (*ret)[i].family == AF_INET6)
			(*ret)[kept++] = (*ret)[i];
	*ret_n = kept;
	return 0;
}

int rtnl_build_rule(struct nlmsghdr *nlh, unsigned op,
		    const struct linx_rtnl_rule_spec *spec, const char *opname,
		    struct linx_error *err)
{
	bool add = op == LINX_RTNL_OP_RULE_ADD;
	uint8_t ff = spec->from.family, ft = spec->to.family, family;
	struct fib_rule_hdr *frh;

	if (ff && ft && ff != ft)
		return linx_error_param(err, opname, "to",
					"from and to are of different families");
	family = ff ? ff : ft ? ft : spec->family ? spec->family : AF_INET;
	if (family != AF_INET && family != AF_INET6)
		return linx_error_param(err, opname, "family",
					"family must be inet or inet6");
	if ((ff && ff != family) || (ft && ft != family))
		return linx_error_param(err, opname, "family",
					"family does not match the addresses");
	if ((ff && !linx_rtnl_ip_len(&spec->from)) ||
	    (ft && !linx_rtnl_ip_len(&spec->to)))
		return linx_error_param(err, opname, ff ? "from" : "to",
					"bad address");
	if (spec->from_len > (family == AF_INET ? 32 : 128) ||
	    spec->to_len > (family == AF_INET ? 32 : 128) ||
	    (!ff && spec->from_len) || (!ft && spec->to_len))
		return linx_error_param(err, opname, "from",
					"bad prefix length");
	if (add && spec->table == 0 && (!spec->action ||
					spec->action == FR_ACT_TO_TBL))
		return linx_error_param(err, opname, "table",
					"a rule needs a table (1..4294967295)");
	if (spec->iif && rtnl_check_ifname(spec->iif, "iif", opname, err) < 0)
		return -EINVAL;
	if (spec->oif && rtnl_check_ifname(spec->oif, "oif", opname, err) < 0)
		return -EINVAL;
	rtnl_req(nlh, add ? RTM_NEWRULE : RTM_DELRULE,
		 add ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*frh),
		 (void **)&frh);
	frh->family = family;
	frh->src_len = ff ? spec->from_len : 0;
	frh->dst_len = ft ? spec->to_len : 0;
	/* Delete matches only on what is set (rule_find(),
	 * net/core/fib_rules.c): action 0 matches any. */
	frh->action = spec->action ? spec->action : add ? FR_ACT_TO_TBL : 0;
	frh->table = spec->table < 256 ? (uint8_t)spec->table : RT_TABLE_UNSPEC;
	if (spec->table)
		rtnl_put_u32(nlh, FRA_TABLE, spec->table);
	if (ff)
		rtnl_put_ip(nlh, FRA_SRC, &spec->from);
	if (ft)
		rtnl_put_ip(nlh, FRA_DST, &spec->to);
	if (spec->has_fwmark)
		rtnl_put_u32(nlh, FRA_FWMARK, spec->fwmark);
	if (spec->has_fwmask)
		rtnl_put_u32(nlh, FRA_FWMASK, spec->fwmask);
	if (spec->has_priority)
		rtnl_put_u32(nlh, FRA_PRIORITY, spec->priority);
	if (spec->iif)
		rtnl_put_str(nlh, FRA_IIFNAME, spec->iif);
	if (spec->oif)
		rtnl_put_str(nlh, FRA_OIFNAME, spec->oif);
	return 0;
}

static int rule_change(struct linx_rtnl *s, unsigned op,
		       const struct linx_rtnl_rule_spec *spec,
		       struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *opname = op == LINX_RTNL_OP_RULE_ADD ? "rule.add"
							  : "rule.delete";
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	int r;

	if (!s || !spec)
		return linx_error_param(err, opname, s ? "spec" : "sock",
					"missing argument");
	r = rtnl_build_rule(nlh, op, spec, opname, err);
	if (r < 0)
		return r;
	r = rtnl_talk(s, nlh, NULL, opname, err);
	if (r == -ENOENT && err && !err->extack[0])
		linx_error_set(err, ENOENT, opname, "no such rule");
	if (r == -EEXIST && err && !err->extack[0])
		linx_error_set(err, EEXIST, opname, "the rule already exists");
	return r;
}

int linx_rtnl_rule_add(struct linx_rtnl *s,
		       const struct linx_rtnl_rule_spec *spec,
		       struct linx_error *err)
{
	return rule_change(s, LINX_RTNL_OP_RULE_ADD, spec, err);
}

int linx_rtnl_rule_delete(struct linx_rtnl *s,
			  const struct linx_rtnl_rule_spec *spec,
			  struct linx_error *err)
{
	return rule_change(s, LINX_RTNL_OP_RULE_DELETE, spec, err);
}
