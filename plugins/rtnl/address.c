/* SPDX-License-Identifier: MIT */
/*
 * Interface addresses: RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR with struct
 * ifaddrmsg and IFA_* attributes (include/uapi/linux/if_addr.h).  The
 * family always comes from the address itself.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <string.h>

#include "rtnl-internal.h"

/* What each IFA_* we read must look like (include/uapi/linux/if_addr.h).
 * Addresses are checked when read, against the family; a label is read
 * up to its first NUL. */
static const struct linx_nl_policy addr_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { LINX_NL_ANY, 0 },
	[IFA_LOCAL] = { LINX_NL_ANY, 0 },
	[IFA_BROADCAST] = { LINX_NL_ANY, 0 },
	[IFA_LABEL] = { LINX_NL_ANY, 0 },
	/* The full 32-bit flags; ifa_flags has the low 8. */
	[IFA_FLAGS] = { LINX_NL_U32, 0 },
	[IFA_CACHEINFO] = { LINX_NL_MIN, sizeof(struct ifa_cacheinfo) },
#ifdef IFA_PROTO
	[IFA_PROTO] = { LINX_NL_U8, 0 },
#endif
};

#define ADDR_FIELD(attr, how, member, bit)                                   \
	RTNL_FIELD(attr, RTNL_READ_##how, struct linx_rtnl_addr, member, bit)

static const struct rtnl_field addr_fields[] = {
	ADDR_FIELD(IFA_ADDRESS, IP, address, LINX_RTNL_ADDR_HAS_ADDRESS),
	ADDR_FIELD(IFA_LOCAL, IP, local, LINX_RTNL_ADDR_HAS_LOCAL),
	ADDR_FIELD(IFA_BROADCAST, IP, broadcast, LINX_RTNL_ADDR_HAS_BROADCAST),
	ADDR_FIELD(IFA_LABEL, STR, label, LINX_RTNL_ADDR_HAS_LABEL),
	ADDR_FIELD(IFA_FLAGS, U32, flags, 0),
#ifdef IFA_PROTO
	ADDR_FIELD(IFA_PROTO, U8, proto, LINX_RTNL_ADDR_HAS_PROTO),
#endif
};

int linx_rtnl_addr_decode(const struct nlmsghdr *nlh,
			  struct linx_rtnl_addr *ret)
{
	const struct ifaddrmsg *ifa = rtnl_msg_header(nlh, sizeof(*ifa));
	const struct nlattr *tb[IFA_MAX + 1];

	if (!ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	if (!ifa)
		return -EBADMSG;
	ret->family = ifa->ifa_family;
	ret->prefixlen = ifa->ifa_prefixlen;
	ret->scope = ifa->ifa_scope;
	ret->flags = ifa->ifa_flags;
	ret->index = (int32_t)ifa->ifa_index;
	if (linx_nl_parse_msg(nlh, sizeof(*ifa), addr_policy, IFA_MAX, tb) != 0 ||
	    rtnl_read_fields(tb, addr_fields, RTNL_ARRAY_SIZE(addr_fields),
			     ret->family, ret, &ret->present) < 0)
		return -EBADMSG;
	if (tb[IFA_CACHEINFO]) {
		struct ifa_cacheinfo ci;

		memcpy(&ci, mnl_attr_get_payload(tb[IFA_CACHEINFO]), sizeof(ci));
		ret->preferred_lft = ci.ifa_prefered;
		ret->valid_lft = ci.ifa_valid;
		ret->present |= LINX_RTNL_ADDR_HAS_CACHEINFO;
	}
	return 0;
}

static int addr_decode_cb(const struct nlmsghdr *nlh, void *obj)
{
	return linx_rtnl_addr_decode(nlh, obj);
}

static bool keep_index(const void *obj, const void *arg)
{
	return ((const struct linx_rtnl_addr *)obj)->index == *(const int32_t *)arg;
}

int linx_rtnl_addr_list(struct linx_rtnl *s, const char *dev,
			struct linx_rtnl_addr **ret, size_t *ret_n,
			struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct rtnl_array arr;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int32_t index = 0;
	int r;

	if (!s || !ret || !ret_n)
		return linx_error_param(err, "address.list", "sock",
					"missing argument");
	if (dev) {
		r = rtnl_ifindex(s, dev, NULL, "address.list", &index, err);
		if (r < 0)
			return r;
	}
	nlh = rtnl_req(buf, RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa), (void **)&ifa);
	ifa->ifa_family = AF_UNSPEC;
	/* With strict checking the kernel filters on ifa_index
	 * (inet_valid_dump_ifaddr_req(), net/ipv4/devinet.c); we filter
	 * again in case it did not. */
	ifa->ifa_index = (uint32_t)index;
	rtnl_array_init(&arr, sizeof(struct linx_rtnl_addr), RTM_NEWADDR,
			addr_decode_cb);
	if (dev) {
		arr.keep = keep_index;
		arr.keep_arg = &index;
	}
	r = rtnl_dump(s, nlh, &arr, "address.list", err);
	if (r < 0)
		return r;
	rtnl_array_take(&arr, ret, ret_n);
	return 0;
}

int rtnl_build_addr(struct nlmsghdr *nlh, unsigned op,
		    const struct linx_rtnl_addr_spec *spec, int32_t ifindex,
		    const char *opname, struct linx_error *err)
{
	const struct linx_rtnl_ip *addr = &spec->address;
	size_t alen = linx_rtnl_ip_len(addr);
	bool add = op == LINX_RTNL_OP_ADDR_ADD;
	struct ifaddrmsg *ifa;

	if (!alen)
		return linx_error_param(err, opname, "address",
					"an IPv4 or IPv6 address is required");
	if (spec->prefixlen > alen * 8)
		return linx_error_param(err, opname, "prefix",
					"prefix length %u is too long for "
					"%s",
					spec->prefixlen,
					alen == 4 ? "IPv4" : "IPv6");
	if (linx_rtnl_ip_len(&spec->peer) &&
	    spec->peer.family != addr->family)
		return linx_error_param(err, opname, "peer",
					"peer and address families differ");
	/* IPv6 has no broadcast, and an IPv4 address with an IPv6
	 * broadcast would be added with none at all. */
	if (linx_rtnl_ip_len(&spec->broadcast) &&
	    (addr->family != AF_INET || spec->broadcast.family != AF_INET))
		return linx_error_param(err, opname, "broadcast",
					addr->family == AF_INET
						? "an IPv4 address takes an "
						  "IPv4 broadcast address"
						: "IPv6 addresses have no "
						  "broadcast address");
	if (spec->scope > 255)
		return linx_error_param(err, opname, "scope", "bad scope");
	rtnl_req(nlh, add ? RTM_NEWADDR : RTM_DELADDR,
		 add ? NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*ifa),
		 (void **)&ifa);
	ifa->ifa_family = addr->family;
	ifa->ifa_prefixlen = spec->prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = spec->scope >= 0 ? (uint8_t)spec->scope : 0;
	ifa->ifa_flags = (uint8_t)spec->flags;
	/* As ip-address(8): IFA_LOCAL is the interface's address, and
	 * IFA_ADDRESS the peer on a point-to-point link, else the same. */
	rtnl_put_ip(nlh, IFA_LOCAL, addr);
	rtnl_put_ip(nlh, IFA_ADDRESS,
		    linx_rtnl_ip_len(&spec->peer) ? &spec->peer : addr);
	if (add && addr->family == AF_INET) {
		struct linx_rtnl_ip brd = spec->broadcast;

		if (spec->broadcast_auto && spec->prefixlen < 31) {
			brd = *addr;
			for (unsigned bit = spec->prefixlen; bit < 32; bit++)
				brd.addr[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		}
		if (linx_rtnl_ip_len(&brd) == 4)
			rtnl_put_ip(nlh, IFA_BROADCAST, &brd);
		if (spec->label && spec->label[0]) {
			if (strlen(spec->label) >= IFNAMSIZ)
				return linx_error_param(err, opname, "label",
							"label longer than %d "
							"bytes",
							IFNAMSIZ - 1);
			rtnl_put_str(nlh, IFA_LABEL, spec->label);
		}
	}
	if (add && spec->flags > 0xff)
		rtnl_put_u32(nlh, IFA_FLAGS, spec->flags);
	return 0;
}

static int addr_change(struct linx_rtnl *s, unsigned op,
		       const struct linx_rtnl_addr_spec *spec,
		       struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	const char *opname = op == LINX_RTNL_OP_ADDR_ADD ? "address.add"
							  : "address.delete";
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	char obj[LINX_RTNL_ADDRSTRLEN];
	int32_t index = 0;
	int r;

	if (!s || !spec)
		return linx_error_param(err, opname, s ? "spec" : "sock",
					"missing argument");
	if (spec->dev) {
		r = rtnl_ifindex(s, spec->dev, NULL, opname, &index, err);
		if (r < 0)
			return r;
	} else if (spec->ifindex > 0) {
		index = spec->ifindex;
	} else {
		return linx_error_param(err, opname, "dev",
					"an interface is required");
	}
	r = rtnl_build_addr(nlh, op, spec, index, opname, err);
	if (r < 0)
		return r;
	r = rtnl_talk(s, nlh, NULL, opname, err);
	if (r < 0) {
		rtnl_prefix_text(&spec->address, spec->prefixlen, 0, obj,
				 sizeof(obj));
		if (r == -EADDRNOTAVAIL && err && !err->extack[0])
			linx_error_set(err, EADDRNOTAVAIL, opname,
				       "address %s is not on the interface",
				       obj);
		linx_error_object(err, obj);
	}
	return r;
}

int linx_rtnl_addr_add(struct linx_rtnl *s,
		       const struct linx_rtnl_addr_spec *spec,
		       struct linx_error *err)
{
	return addr_change(s, LINX_RTNL_OP_ADDR_ADD, spec, err);
}

int linx_rtnl_addr_delete(struct linx_rtnl *s,
			  const struct linx_rtnl_addr_spec *spec,
			  struct linx_error *err)
{
	return addr_change(s, LINX_RTNL_OP_ADDR_DELETE, spec, err);
}
