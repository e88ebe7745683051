/* SPDX-License-Identifier: MIT */
/*
 * Per-link statistics: RTM_GETSTATS with struct if_stats_msg
 * (include/uapi/linux/rtnetlink.h), asking for IFLA_STATS_LINK_64 only
 * (struct rtnl_link_stats64, include/uapi/linux/if_link.h).
 */
#include <errno.h>
#include <linux/if_link.h>
#include <string.h>

#include "rtnl-internal.h"

/* Only the 64-bit link counters; any length (a newer kernel may send
 * more counters, an older one fewer: rtnl_stats64_decode()). */
static const struct linx_nl_policy stats_policy[IFLA_STATS_MAX + 1] = {
	[IFLA_STATS_LINK_64] = { LINX_NL_ANY, 0 },
};

int linx_rtnl_stats_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_stats *ret)
{
	const struct if_stats_msg *ifsm = rtnl_msg_header(nlh, sizeof(*ifsm));
	const struct nlattr *tb[IFLA_STATS_MAX + 1], *a;

	if (!ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	if (!ifsm)
		return -EBADMSG;
	ret->family = ifsm->family;
	ret->ifindex = (int32_t)ifsm->ifindex;
	ret->filter_mask = ifsm->filter_mask;
	linx_nl_parse_msg(nlh, sizeof(*ifsm), stats_policy, IFLA_STATS_MAX, tb);
	a = tb[IFLA_STATS_LINK_64];
	if (a) {
		rtnl_stats64_decode(mnl_attr_get_payload(a),
				    mnl_attr_get_payload_len(a), &ret->link);
		ret->has_link64 = true;
	}
	return 0;
}

static int stats_decode_cb(const struct nlmsghdr *nlh, void *obj)
{
	return linx_rtnl_stats_decode(nlh, obj);
}

static struct nlmsghdr *stats_req(void *buf, uint16_t flags, int32_t index)
{
	struct if_stats_msg *ifsm;
	struct nlmsghdr *nlh = rtnl_req(buf, RTM_GETSTATS, flags, sizeof(*ifsm),
					(void **)&ifsm);

	ifsm->family = AF_UNSPEC;
	ifsm->ifindex = (uint32_t)index;
	ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	return nlh;
}

int linx_rtnl_stats_get(struct linx_rtnl *s, const char *dev,
			struct linx_rtnl_stats *ret, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct linx_rtnl_stats st;
	struct rtnl_one one;
	int32_t index;
	int r;

	if (!s || !ret)
		return linx_error_param(err, "stats.get", "sock",
					"missing argument");
	r = rtnl_ifindex(s, dev, NULL, "stats.get", &index, err);
	if (r < 0)
		return r;
	rtnl_one_init(&one, RTM_NEWSTATS, stats_decode_cb, &st);
	r = rtnl_talk(s, stats_req(buf, 0, index), &one.sink, "stats.get", err);
	if (r < 0)
		return rtnl_enodev(err, r, dev, NULL);
	if (!one.got)
		return linx_error_set(err, EPROTO, "stats.get",
				      "the kernel sent no statistics");
	*ret = st;
	return 0;
}

int linx_rtnl_stats_list(struct linx_rtnl *s, struct linx_rtnl_stats **ret,
			 size_t *ret_n, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct rtnl_array arr;
	int r;

	if (!s || !ret || !ret_n)
		return linx_error_param(err, "stats.list", "sock",
					"missing argument");
	rtnl_array_init(&arr, sizeof(struct linx_rtnl_stats), RTM_NEWSTATS,
			stats_decode_cb);
	r = rtnl_dump(s, stats_req(buf, NLM_F_DUMP, 0), &arr, "stats.list",
		      err);
	if (r < 0)
		return r;
	rtnl_array_take(&arr, ret, ret_n);
	return 0;
}
