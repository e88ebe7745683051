/* SPDX-License-Identifier: MIT */
/*
 * Links: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK with struct ifinfomsg and
 * IFLA_* attributes (include/uapi/linux/rtnetlink.h, if_link.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <string.h>
#include <unistd.h>

#include "rtnl-internal.h"

bool linx_rtnl_link_is_up(const struct linx_rtnl_link *link)
{
	return link && (link->flags & IFF_UP);
}

/* What each IFLA_* we read must look like (include/uapi/linux/if_link.h).
 * Names are read up to their first NUL, terminated or not; link-layer
 * addresses may be empty.  IFLA_LINKINFO and IFLA_STATS64 have decoders
 * of their own. */
static const struct linx_nl_policy link_policy[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = { LINX_NL_ANY, 0 },
	[IFLA_MTU] = { LINX_NL_U32, 0 },
	[IFLA_MIN_MTU] = { LINX_NL_U32, 0 },
	[IFLA_MAX_MTU] = { LINX_NL_U32, 0 },
	[IFLA_ADDRESS] = { LINX_NL_MAX, LINX_RTNL_LLADDR_MAX },
	[IFLA_BROADCAST] = { LINX_NL_MAX, LINX_RTNL_LLADDR_MAX },
	[IFLA_PERM_ADDRESS] = { LINX_NL_MAX, LINX_RTNL_LLADDR_MAX },
	[IFLA_LINK] = { LINX_NL_U32, 0 },
	[IFLA_LINK_NETNSID] = { LINX_NL_U32, 0 },
	[IFLA_MASTER] = { LINX_NL_U32, 0 },
	[IFLA_NET_NS_PID] = { LINX_NL_U32, 0 },
	[IFLA_OPERSTATE] = { LINX_NL_U8, 0 },
	[IFLA_LINKMODE] = { LINX_NL_U8, 0 },
	[IFLA_CARRIER] = { LINX_NL_U8, 0 },
	[IFLA_TXQLEN] = { LINX_NL_U32, 0 },
	[IFLA_GROUP] = { LINX_NL_U32, 0 },
	[IFLA_PROMISCUITY] = { LINX_NL_U32, 0 },
	[IFLA_NUM_TX_QUEUES] = { LINX_NL_U32, 0 },
	[IFLA_NUM_RX_QUEUES] = { LINX_NL_U32, 0 },
	[IFLA_QDISC] = { LINX_NL_ANY, 0 },
	[IFLA_IFALIAS] = { LINX_NL_ANY, 0 },
	[IFLA_LINKINFO] = { LINX_NL_ANY, 0 },
	[IFLA_STATS64] = { LINX_NL_ANY, 0 },
};

#define LINK_FIELD(attr, how, member, bit)                                   \
	RTNL_FIELD(attr, RTNL_READ_##how, struct linx_rtnl_link, member,      \
		   LINX_RTNL_LINK_HAS_##bit)

/* Where each validated attribute goes. */
static const struct rtnl_field link_fields[] = {
	RTNL_FIELD(IFLA_IFNAME, RTNL_READ_STR, struct linx_rtnl_link, name, 0),
	RTNL_FIELD(IFLA_QDISC, RTNL_READ_STR, struct linx_rtnl_link, qdisc, 0),
	RTNL_FIELD(IFLA_IFALIAS, RTNL_READ_STR, struct linx_rtnl_link, alias,
		   0),
	LINK_FIELD(IFLA_MTU, U32, mtu, MTU),
	LINK_FIELD(IFLA_MIN_MTU, U32, min_mtu, MIN_MTU),
	LINK_FIELD(IFLA_MAX_MTU, U32, max_mtu, MAX_MTU),
	LINK_FIELD(IFLA_ADDRESS, LLADDR, address, ADDRESS),
	LINK_FIELD(IFLA_BROADCAST, LLADDR, broadcast, BROADCAST),
	LINK_FIELD(IFLA_PERM_ADDRESS, LLADDR, perm_address, PERM_ADDRESS),
	LINK_FIELD(IFLA_LINK, U32, link, LINK),
	LINK_FIELD(IFLA_LINK_NETNSID, U32, link_netnsid, LINK_NETNSID),
	LINK_FIELD(IFLA_MASTER, U32, master, MASTER),
	LINK_FIELD(IFLA_NET_NS_PID, U32, net_ns_pid, NET_NS_PID),
	LINK_FIELD(IFLA_OPERSTATE, U8, operstate, OPERSTATE),
	LINK_FIELD(IFLA_LINKMODE, U8, linkmode, LINKMODE),
	LINK_FIELD(IFLA_CARRIER, U8, carrier, CARRIER),
	LINK_FIELD(IFLA_TXQLEN, U32, txqlen, TXQLEN),
	LINK_FIELD(IFLA_GROUP, U32, group, GROUP),
	LINK_FIELD(IFLA_PROMISCUITY, U32, promiscuity, PROMISCUITY),
	LINK_FIELD(IFLA_NUM_TX_QUEUES, U32, num_tx_queues, QUEUES),
	LINK_FIELD(IFLA_NUM_RX_QUEUES, U32, num_rx_queues, QUEUES),
};

/* The fixed header. */
static void link_header(const struct ifinfomsg *ifi, struct linx_rtnl_link *ret)
{
	ret->family = ifi->ifi_family;
	ret->type = ifi->ifi_type;
	ret->index = ifi->ifi_index;
	ret->flags = ifi->ifi_flags;
	ret->change = ifi->ifi_change;
}

/* The nested and structured attributes. */
static int link_nested(const struct nlattr *const *tb,
		       struct linx_rtnl_link *ret)
{
	if (tb[IFLA_LINKINFO]) {
		if (rtnl_linkinfo_decode(tb[IFLA_LINKINFO], &ret->linkinfo) < 0)
			return -EBADMSG;
		ret->present |= LINX_RTNL_LINK_HAS_LINKINFO;
	}
	if (tb[IFLA_STATS64]) {
		rtnl_stats64_decode(mnl_attr_get_payload(tb[IFLA_STATS64]),
				    mnl_attr_get_payload_len(tb[IFLA_STATS64]),
				    &ret->stats64);
		ret->present |= LINX_RTNL_LINK_HAS_STATS64;
	}
	return 0;
}

int linx_rtnl_link_decode(const struct nlmsghdr *nlh,
			  struct linx_rtnl_link *ret)
{
	const struct ifinfomsg *ifi = rtnl_msg_header(nlh, sizeof(*ifi));
	const struct nlattr *tb[IFLA_MAX + 1];

	if (!ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->link_netnsid = -1;
	if (!ifi)
		return -EBADMSG;
	link_header(ifi, ret);
	/* Any attribute of the wrong shape makes the message malformed. */
	if (linx_nl_parse_msg(nlh, sizeof(*ifi), link_policy, IFLA_MAX, tb) != 0)
		return -EBADMSG;
	if (rtnl_read_fields(tb, link_fields, RTNL_ARRAY_SIZE(link_fields),
			     ret->family, ret, &ret->present) < 0)
		return -EBADMSG;
	return link_nested(tb, ret);
}

static int link_decode_cb(const struct nlmsghdr *nlh, void *obj)
{
	return linx_rtnl_link_decode(nlh, obj);
}

int linx_rtnl_link_list(struct linx_rtnl *s, struct linx_rtnl_link **ret,
			size_t *ret_n, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct rtnl_array arr;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int r;

	if (!s || !ret || !ret_n)
		return linx_error_param(err, "link.list", "sock",
					"missing argument");
	nlh = rtnl_req(buf, RTM_GETLINK, NLM_F_DUMP, sizeof(*ifi), (void **)&ifi);
	ifi->ifi_family = AF_UNSPEC;
	rtnl_array_init(&arr, sizeof(struct linx_rtnl_link), RTM_NEWLINK,
			link_decode_cb);
	r = rtnl_dump(s, nlh, &arr, "link.list", err);
	if (r < 0)
		return r;
	rtnl_array_take(&arr, ret, ret_n);
	return 0;
}

int linx_rtnl_link_get(struct linx_rtnl *s, const char *name, int32_t index,
		       struct linx_rtnl_link *ret, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct linx_rtnl_link link;
	struct rtnl_one one;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	char what[32];
	int r;

	if (!s || !ret)
		return linx_error_param(err, "link.get", "sock",
					"missing argument");
	if (name) {
		r = rtnl_check_ifname(name, "name", "link.get", err);
		if (r < 0)
			return r;
	} else if (index <= 0) {
		return linx_error_param(err, "link.get", "index",
					"a name or a positive index is needed");
	}
	nlh = rtnl_req(buf, RTM_GETLINK, 0, sizeof(*ifi), (void **)&ifi);
	ifi->ifi_family = AF_UNSPEC;
	if (name)
		rtnl_put_str(nlh, IFLA_IFNAME, name);
	else
		ifi->ifi_index = index;
	rtnl_one_init(&one, RTM_NEWLINK, link_decode_cb, &link);
	r = rtnl_talk(s, nlh, &one.sink, "link.get", err);
	if (!name)
		snprintf(what, sizeof(what), "%d", (int)index);
	if (r == -ENODEV && !name) {
		return linx_error_set_object(err, ENODEV, "link.get", what,
					     "no interface with index %d",
					     (int)index);
	}
	if (r < 0)
		return rtnl_enodev(err, r, name, NULL);
	if (!one.got) {
		return linx_error_set_object(err, ENODEV, "link.get",
					     name ? name : what,
					     "no such interface \"%s\"",
					     name ? name : what);
	}
	*ret = link;
	return 0;
}

/* Send a link request that names `name`; map ENODEV to its name. */
static int link_talk(struct linx_rtnl *s, struct nlmsghdr *nlh,
		     const char *op, const char *name, struct linx_error *err)
{
	int r = rtnl_talk(s, nlh, NULL, op, err);

	if (r == -EEXIST && err && !err->extack[0]) {
		return linx_error_set_object(err, EEXIST, op, name,
					     "interface \"%s\" already exists",
					     name);
	}
	if (r < 0 && r != -ENODEV && err)
		linx_error_object(err, name);
	return rtnl_enodev(err, r, name, NULL);
}

static int check_create(struct linx_rtnl *s, const char *name, const char *op,
			struct linx_error *err)
{
	if (!s)
		return linx_error_param(err, op, "sock", "no socket");
	return rtnl_check_ifname(name, "name", op, err);
}

/* Start an RTM_NEWLINK that creates `name` of `kind`; returns the
 * IFLA_INFO_DATA nest opened if `data` (else NULL after closing the
 * linkinfo nest itself is the caller's job via the returned linkinfo). */
static struct nlmsghdr *create_req(void *buf, const char *name,
				   const char *kind, int32_t parent,
				   struct nlattr **ret_linkinfo)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = rtnl_req(buf, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi),
					(void **)&ifi);

	ifi->ifi_family = AF_UNSPEC;
	rtnl_put_str(nlh, IFLA_IFNAME, name);
	if (parent > 0)
		rtnl_put_u32(nlh, IFLA_LINK, (uint32_t)parent);
	*ret_linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	rtnl_put_str(nlh, IFLA_INFO_KIND, kind);
	return nlh;
}

/* Fill IFLA_NET_NS_PID / IFLA_NET_NS_FD for a target; *ret_fd receives an
 * fd to close after the request (or -1). */
static int put_netns(struct nlmsghdr *nlh, const struct linx_ns_target *t,
		     const char *op, const char *param, int *ret_fd,
		     struct linx_error *err)
{
	*ret_fd = -1;
	if (!t || t->kind == LINX_NS_TARGET_SELF)
		return 0;
	if (t->kind == LINX_NS_TARGET_PID) {
		if (t->pid <= 0)
			return linx_error_param(err, op, param,
						"a pid must be positive");
		rtnl_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)t->pid);
		return 0;
	}
	/* Not open(2): a FIFO would block the call, and a regular file or
	 * another kind of namespace would get the kernel's bare EINVAL. */
	*ret_fd = linx_ns_open_path(t->path, LINX_NS_KIND_NET, param, err);
	if (*ret_fd < 0) {
		int r = *ret_fd;

		*ret_fd = -1;
		return r;
	}
	rtnl_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)*ret_fd);
	return 0;
}

int linx_rtnl_link_create_veth(struct linx_rtnl *s, const char *name,
			       const char *peer_name,
			       const struct linx_ns_target *peer_netns,
			       struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *op = "link.create_veth";
	struct nlattr *info, *data, *peer;
	struct ifinfomsg *pifi;
	struct nlmsghdr *nlh;
	int r, fd;

	r = check_create(s, name, op, err);
	if (r >= 0)
		r = rtnl_check_ifname(peer_name, "peer", op, err);
	if (r < 0)
		return r;
	nlh = create_req(buf, name, "veth", 0, &info);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* VETH_INFO_PEER holds a whole ifinfomsg, then IFLA_* of the peer
	 * (veth_newlink(), drivers/net/veth.c). */
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	memset(pifi, 0, sizeof(*pifi));
	rtnl_put_str(nlh, IFLA_IFNAME, peer_name);
	r = put_netns(nlh, peer_netns, op, "peer_netns", &fd, err);
	if (r < 0)
		return r;
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	r = link_talk(s, nlh, op, name, err);
	if (fd >= 0)
		close(fd);
	return r;
}

static int create_simple(struct linx_rtnl *s, const char *name,
			 const char *kind, const char *op,
			 struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct nlattr *info;
	struct nlmsghdr *nlh;
	int r = check_create(s, name, op, err);

	if (r < 0)
		return r;
	nlh = create_req(buf, name, kind, 0, &info);
	mnl_attr_nest_end(nlh, info);
	r = link_talk(s, nlh, op, name, err);
	if (r == -EOPNOTSUPP && err)
		/* No driver for the kind (module absent, no autoload). */
		linx_error_prefix(err, "link kind \"%s\" is not available", kind);
	return r;
}

int linx_rtnl_link_create_bridge(struct linx_rtnl *s, const char *name,
				 struct linx_error *err)
{
	return create_simple(s, name, "bridge", "link.create_bridge", err);
}

int linx_rtnl_link_create_dummy(struct linx_rtnl *s, const char *name,
				struct linx_error *err)
{
	return create_simple(s, name, "dummy", "link.create_dummy", err);
}

/* Common part of macvlan, ipvlan and vlan: a parent and IFLA_INFO_DATA
 * with one or two attributes. */
static int create_on_parent(struct linx_rtnl *s, const char *name,
			    const char *parent, const char *kind,
			    const char *op, uint16_t t1, size_t l1,
			    const void *v1, uint16_t t2, size_t l2,
			    const void *v2, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;
	int32_t pindex;
	int r = check_create(s, name, op, err);

	if (r >= 0)
		r = rtnl_check_ifname(parent, "parent", op, err);
	if (r < 0)
		return r;
	r = rtnl_ifindex(s, parent, "parent interface", op, &pindex, err);
	if (r < 0)
		return r;
	nlh = create_req(buf, name, kind, pindex, &info);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	rtnl_put(nlh, t1, l1, v1);
	if (l2)
		rtnl_put(nlh, t2, l2, v2);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	r = link_talk(s, nlh, op, name, err);
	if (r == -EOPNOTSUPP && err)
		linx_error_prefix(err, "link kind \"%s\" is not available", kind);
	return r;
}

int linx_rtnl_link_create_macvlan(struct linx_rtnl *s, const char *name,
				  const char *parent, uint32_t mode,
				  struct linx_error *err)
{
	if (!linx_rtnl_macvlan_mode_name(mode))
		return linx_error_param(err, "link.create_macvlan", "mode",
					"unknown macvlan mode %u", mode);
	return create_on_parent(s, name, parent, "macvlan",
				"link.create_macvlan", IFLA_MACVLAN_MODE,
				sizeof(mode), &mode, 0, 0, NULL, err);
}

int linx_rtnl_link_create_ipvlan(struct linx_rtnl *s, const char *name,
				 const char *parent, uint16_t mode,
				 uint16_t flags, struct linx_error *err)
{
	if (!linx_rtnl_ipvlan_mode_name(mode))
		return linx_error_param(err, "link.create_ipvlan", "mode",
					"unknown ipvlan mode %u", mode);
	return create_on_parent(s, name, parent, "ipvlan",
				"link.create_ipvlan", IFLA_IPVLAN_MODE,
				sizeof(mode), &mode, IFLA_IPVLAN_FLAGS,
				flags ? sizeof(flags) : 0, &flags, err);
}

int linx_rtnl_link_create_vlan(struct linx_rtnl *s, const char *name,
			       const char *parent, uint16_t id,
			       struct linx_error *err)
{
	if (id < 1 || id > 4094)
		return linx_error_param(err, "link.create_vlan", "id",
					"a VLAN id is 1..4094, not %u", id);
	return create_on_parent(s, name, parent, "vlan", "link.create_vlan",
				IFLA_VLAN_ID, sizeof(id), &id, 0, 0, NULL, err);
}

int rtnl_build_link_set(struct nlmsghdr *nlh, unsigned op, const char *dev,
			uint32_t value, const char *opname,
			struct linx_error *err)
{
	struct ifinfomsg *ifi;
	int r = rtnl_check_ifname(dev, "dev", opname, err);

	if (r < 0)
		return r;
	/* Identified by name: rtnl_setlink()/rtnl_dellink() look up
	 * IFLA_IFNAME when ifi_index is 0 (net/core/rtnetlink.c). */
	rtnl_req(nlh, op == LINX_RTNL_OP_LINK_DELETE ? RTM_DELLINK : RTM_NEWLINK,
		 0, sizeof(*ifi), (void **)&ifi);
	ifi->ifi_family = AF_UNSPEC;
	rtnl_put_str(nlh, IFLA_IFNAME, dev);
	switch (op) {
	case LINX_RTNL_OP_LINK_DELETE:
		break;
	case LINX_RTNL_OP_LINK_SET_UP:
	case LINX_RTNL_OP_LINK_SET_DOWN:
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = op == LINX_RTNL_OP_LINK_SET_UP ? IFF_UP : 0;
		break;
	case LINX_RTNL_OP_LINK_SET_MTU:
		if (value == 0)
			return linx_error_param(err, opname, "mtu",
						"an MTU must be positive");
		rtnl_put_u32(nlh, IFLA_MTU, value);
		break;
	default:
		return linx_error_param(err, opname, "op",
					"not a link operation: %u", op);
	}
	return 0;
}

static int link_set(struct linx_rtnl *s, const char *name, unsigned op,
		    uint32_t value, const char *opname, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	int r;

	if (!s)
		return linx_error_param(err, opname, "sock", "no socket");
	r = rtnl_build_link_set(nlh, op, name, value, opname, err);
	if (r < 0)
		return r;
	return link_talk(s, nlh, opname, name, err);
}

int linx_rtnl_link_delete(struct linx_rtnl *s, const char *name,
			  struct linx_error *err)
{
	return link_set(s, name, LINX_RTNL_OP_LINK_DELETE, 0, "link.delete",
			err);
}

int linx_rtnl_link_set_up(struct linx_rtnl *s, const char *name, bool up,
			  struct linx_error *err)
{
	return link_set(s, name,
			up ? LINX_RTNL_OP_LINK_SET_UP : LINX_RTNL_OP_LINK_SET_DOWN,
			0, up ? "link.set_up" : "link.set_down", err);
}

int linx_rtnl_link_set_mtu(struct linx_rtnl *s, const char *name, uint32_t mtu,
			   struct linx_error *err)
{
	return link_set(s, name, LINX_RTNL_OP_LINK_SET_MTU, mtu, "link.set_mtu",
			err);
}

/* A modification that needs more than the name: built here. */
static struct nlmsghdr *modify_req(void *buf, const char *name, int32_t index)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh = rtnl_req(buf, RTM_NEWLINK, 0, sizeof(*ifi),
					(void **)&ifi);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	if (name)
		rtnl_put_str(nlh, IFLA_IFNAME, name);
	return nlh;
}

int linx_rtnl_link_set_address(struct linx_rtnl *s, const char *name,
			       const struct linx_rtnl_lladdr *mac,
			       struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *op = "link.set_address";
	struct nlmsghdr *nlh;
	int r;

	if (!s)
		return linx_error_param(err, op, "sock", "no socket");
	r = rtnl_check_ifname(name, "name", op, err);
	if (r < 0)
		return r;
	if (!mac || mac->len == 0 || mac->len > LINX_RTNL_LLADDR_MAX)
		return linx_error_param(err, op, "mac", "no link-layer address");
	{
		int32_t index;

		r = rtnl_check_lladdr(s, name, mac, "mac", op, &index, err);
		if (r < 0)
			return r;
	}
	nlh = modify_req(buf, name, 0);
	rtnl_put(nlh, IFLA_ADDRESS, mac->len, mac->addr);
	return link_talk(s, nlh, op, name, err);
}

int linx_rtnl_link_set_name(struct linx_rtnl *s, const char *name,
			    const char *new_name, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *op = "link.set_name";
	struct nlmsghdr *nlh;
	int32_t index;
	int r;

	if (!s)
		return linx_error_param(err, op, "sock", "no socket");
	r = rtnl_check_ifname(new_name, "new_name", op, err);
	if (r < 0)
		return r;
	/* IFLA_IFNAME carries the new name, so the link goes by index. */
	r = rtnl_ifindex(s, name, NULL, op, &index, err);
	if (r < 0)
		return r;
	nlh = modify_req(buf, new_name, index);
	r = rtnl_talk(s, nlh, NULL, op, err);
	if (r == -EEXIST && err) {
		return linx_error_set_object(err, EEXIST, op, new_name,
					     "interface \"%s\" already exists",
					     new_name);
	}
	if (r < 0 && err)
		linx_error_object(err, name);
	return r;
}

int linx_rtnl_link_set_master(struct linx_rtnl *s, const char *name,
			      const char *master, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *op = "link.set_master";
	struct nlmsghdr *nlh;
	int32_t mindex = 0;
	int r;

	if (!s)
		return linx_error_param(err, op, "sock", "no socket");
	r = rtnl_check_ifname(name, "name", op, err);
	if (r < 0)
		return r;
	if (master && master[0]) {
		r = rtnl_ifindex(s, master, "master interface", op, &mindex,
				 err);
		if (r < 0)
			return r;
	}
	nlh = modify_req(buf, name, 0);
	rtnl_put_u32(nlh, IFLA_MASTER, (uint32_t)mindex);
	return link_talk(s, nlh, op, name, err);
}

int linx_rtnl_link_move_to_netns(struct linx_rtnl *s, const char *name,
				 const struct linx_ns_target *netns,
				 struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *op = "link.move_to_netns";
	struct nlmsghdr *nlh;
	int r, fd;

	if (!s)
		return linx_error_param(err, op, "sock", "no socket");
	r = rtnl_check_ifname(name, "name", op, err);
	if (r < 0)
		return r;
	if (!netns || netns->kind == LINX_NS_TARGET_SELF)
		return linx_error_param(err, op, "netns",
					"a target namespace (pid or path) is "
					"required");
	nlh = modify_req(buf, name, 0);
	r = put_netns(nlh, netns, op, "to", &fd, err);
	if (r < 0)
		return r;
	r = link_talk(s, nlh, op, name, err);
	if (fd >= 0)
		close(fd);
	return r;
}
