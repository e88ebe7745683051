/* SPDX-License-Identifier: MIT */
/*
 * Attributes: building requests and reading untrusted replies.
 *
 * Decoders validate a message's attributes into a table with a policy
 * (linx_nl_parse_msg(), lib/netlink: lengths checked, unknown types
 * skipped, the walk stopping at the first attribute that overruns the
 * message), then copy the entries through a field table
 * (rtnl_read_fields() below).  The rtnl_get_* readers check a payload's
 * length themselves, for attributes no policy has seen.
 */
#include <errno.h>
#include <string.h>

#include "rtnl-internal.h"

struct nlmsghdr *rtnl_req(void *buf, uint16_t type, uint16_t flags,
			  size_t hdr_len, void **ret_hdr)
{
	struct nlmsghdr *nlh;
	void *hdr;

	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr_len));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	hdr = mnl_nlmsg_put_extra_header(nlh, hdr_len);
	if (ret_hdr)
		*ret_hdr = hdr;
	return nlh;
}

bool rtnl_put(struct nlmsghdr *nlh, uint16_t type, size_t len,
	      const void *data)
{
	return mnl_attr_put_check(nlh, RTNL_REQ_MAX, type, len, data);
}

bool rtnl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	return mnl_attr_put_u8_check(nlh, RTNL_REQ_MAX, type, v);
}

bool rtnl_put_u16(struct nlmsghdr *nlh, uint16_t type, uint16_t v)
{
	return mnl_attr_put_u16_check(nlh, RTNL_REQ_MAX, type, v);
}

bool rtnl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	return mnl_attr_put_u32_check(nlh, RTNL_REQ_MAX, type, v);
}

bool rtnl_put_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	return mnl_attr_put_strz_check(nlh, RTNL_REQ_MAX, type, s);
}

bool rtnl_put_ip(struct nlmsghdr *nlh, uint16_t type,
		 const struct linx_rtnl_ip *ip)
{
	return rtnl_put(nlh, type, linx_rtnl_ip_len(ip), ip->addr);
}

const void *rtnl_msg_header(const struct nlmsghdr *nlh, size_t len)
{
	return linx_nl_msg_header(nlh, len);
}

bool rtnl_get_u8(const struct nlattr *a, uint8_t *ret)
{
	if (mnl_attr_get_payload_len(a) < sizeof(uint8_t))
		return false;
	*ret = mnl_attr_get_u8(a);
	return true;
}

bool rtnl_get_u16(const struct nlattr *a, uint16_t *ret)
{
	if (mnl_attr_get_payload_len(a) < sizeof(uint16_t))
		return false;
	memcpy(ret, mnl_attr_get_payload(a), sizeof(*ret));
	return true;
}

bool rtnl_get_u32(const struct nlattr *a, uint32_t *ret)
{
	if (mnl_attr_get_payload_len(a) < sizeof(uint32_t))
		return false;
	memcpy(ret, mnl_attr_get_payload(a), sizeof(*ret));
	return true;
}

bool rtnl_get_s32(const struct nlattr *a, int32_t *ret)
{
	if (mnl_attr_get_payload_len(a) < sizeof(int32_t))
		return false;
	memcpy(ret, mnl_attr_get_payload(a), sizeof(*ret));
	return true;
}

void rtnl_get_str(const struct nlattr *a, char *dst, size_t cap)
{
	linx_nl_str(a, dst, cap);
}

bool rtnl_get_ip(const struct nlattr *a, uint8_t family,
		 struct linx_rtnl_ip *ret)
{
	size_t n = mnl_attr_get_payload_len(a);

	memset(ret, 0, sizeof(*ret));
	if ((family == AF_INET && n == 4) || (family == AF_INET6 && n == 16)) {
		ret->family = family;
		memcpy(ret->addr, mnl_attr_get_payload(a), n);
		return true;
	}
	return false;
}

bool rtnl_get_lladdr(const struct nlattr *a, struct linx_rtnl_lladdr *ret)
{
	size_t n = mnl_attr_get_payload_len(a);

	memset(ret, 0, sizeof(*ret));
	if (n > LINX_RTNL_LLADDR_MAX)
		return false;
	ret->len = (uint8_t)n;
	memcpy(ret->addr, mnl_attr_get_payload(a), n);
	return true;
}

int rtnl_read_fields(const struct nlattr *const *tb,
		     const struct rtnl_field *fields, size_t n,
		     uint8_t family, void *obj, uint32_t *present)
{
	for (size_t i = 0; i < n; i++) {
		const struct rtnl_field *f = &fields[i];
		const struct nlattr *a = tb[f->type];
		char *member = (char *)obj + f->off;

		if (!a)
			continue;
		switch (f->read) {
		case RTNL_READ_U8:
			*(uint8_t *)member = linx_nl_u8(a, 0);
			break;
		case RTNL_READ_U16:
			memcpy(member, mnl_attr_get_payload(a), sizeof(uint16_t));
			break;
		case RTNL_READ_U32:
			memcpy(member, mnl_attr_get_payload(a), sizeof(uint32_t));
			break;
		case RTNL_READ_STR:
			linx_nl_str(a, member, f->size);
			break;
		case RTNL_READ_LLADDR:
			if (!rtnl_get_lladdr(a, (struct linx_rtnl_lladdr *)member))
				return -EBADMSG;
			break;
		case RTNL_READ_IP:
			if (!rtnl_get_ip(a, family, (struct linx_rtnl_ip *)member))
				return -EBADMSG;
			break;
		default:
			break;
		}
		*present |= f->bit;
	}
	return 0;
}

/* ---- interface names -------------------------------------------------------- */

int rtnl_check_ifname(const char *name, const char *param, const char *op,
		      struct linx_error *err)
{
	size_t n;

	if (!name || !name[0])
		return linx_error_param(err, op, param,
					"%s: an interface name is required",
					param);
	n = strnlen(name, IFNAMSIZ);
	if (n >= IFNAMSIZ)
		return linx_error_param(err, op, param,
					"%s: interface name \"%.40s\" is longer "
					"than %d bytes",
					param, name, IFNAMSIZ - 1);
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return linx_error_param(err, op, param,
					"%s: \"%s\" is not a valid interface "
					"name",
					param, name);
	for (size_t i = 0; i < n; i++)
		if (name[i] == '/' || name[i] == ':' || name[i] == ' ' ||
		    name[i] == '\t' || name[i] == '\n')
			return linx_error_param(err, op, param,
						"%s: interface name \"%s\" "
						"contains '/', ':' or "
						"whitespace",
						param, name);
	return 0;
}

int rtnl_enodev(struct linx_error *err, int r, const char *name,
		const char *what)
{
	char op[LINX_ERROR_OP_MAX] = "";

	if (r != -ENODEV || !err)
		return r;
	memcpy(op, err->op, sizeof(op));
	return linx_error_set_object(err, ENODEV, op, name, "no such %s \"%s\"",
				     what ? what : "interface", name);
}

static int index_decode(const struct nlmsghdr *nlh, void *obj)
{
	const struct ifinfomsg *ifi = rtnl_msg_header(nlh, sizeof(*ifi));

	if (!ifi)
		return -EBADMSG;
	*(int32_t *)obj = ifi->ifi_index;
	return 0;
}

struct lladdr_probe {
	int32_t index;
	unsigned len;
};

static const struct linx_nl_policy lladdr_policy[IFLA_ADDRESS + 1] = {
	[IFLA_ADDRESS] = { LINX_NL_ANY, 0 },
};

static int lladdr_decode(const struct nlmsghdr *nlh, void *obj)
{
	const struct ifinfomsg *ifi = rtnl_msg_header(nlh, sizeof(*ifi));
	const struct nlattr *tb[IFLA_ADDRESS + 1];
	struct lladdr_probe *p = obj;

	if (!ifi)
		return -EBADMSG;
	p->index = ifi->ifi_index;
	/* The kernel reports IFLA_ADDRESS with exactly dev->addr_len bytes,
	 * and leaves it out when the device has none (rtnl_fill_ifinfo()). */
	linx_nl_parse_msg(nlh, sizeof(*ifi), lladdr_policy, IFLA_ADDRESS, tb);
	if (tb[IFLA_ADDRESS])
		p->len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
	return 0;
}

int rtnl_check_lladdr(struct linx_rtnl *s, const char *name,
		      const struct linx_rtnl_lladdr *mac, const char *param,
		      const char *op, int32_t *ret_index,
		      struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct lladdr_probe probe = { 0, 0 };
	struct rtnl_one one;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int r;

	r = rtnl_check_ifname(name, "dev", op, err);
	if (r < 0)
		return r;
	nlh = rtnl_req(buf, RTM_GETLINK, 0, sizeof(*ifi), (void **)&ifi);
	ifi->ifi_family = AF_UNSPEC;
	rtnl_put_str(nlh, IFLA_IFNAME, name);
	rtnl_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	rtnl_one_init(&one, RTM_NEWLINK, lladdr_decode, &probe);
	r = rtnl_talk(s, nlh, &one.sink, op, err);
	if (r < 0)
		return rtnl_enodev(err, r, name, NULL);
	if (!one.got || probe.index <= 0) {
		return linx_error_set_object(err, ENODEV, op, name,
					     "no such interface \"%s\"", name);
	}
	/* A longer address would be cut to the device's length by the
	 * kernel (do_setlink(), neigh_add()) and the call would succeed
	 * with an address nobody asked for. */
	if (!mac || mac->len != probe.len) {
		if (probe.len == 0)
			return linx_error_param_object(
				err, EINVAL, op, param, name,
				"\"%s\" has no link-layer address", name);
		return linx_error_param_object(
			err, EINVAL, op, param, name,
			"\"%s\" takes a %u-byte link-layer address, not %u bytes",
			name, probe.len, mac ? mac->len : 0u);
	}
	*ret_index = probe.index;
	return 0;
}

int rtnl_ifindex(struct linx_rtnl *s, const char *name, const char *what,
		 const char *op, int32_t *ret, struct linx_error *err)
{
	char buf[RTNL_REQ_MAX] __attribute__((aligned(4)));
	struct rtnl_one one;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int32_t index = 0;
	int r;

	r = rtnl_check_ifname(name,
			      !what			  ? "dev"
			      : strncmp(what, "parent", 6) == 0 ? "parent"
								: "master",
			      op, err);
	if (r < 0)
		return r;
	nlh = rtnl_req(buf, RTM_GETLINK, 0, sizeof(*ifi), (void **)&ifi);
	ifi->ifi_family = AF_UNSPEC;
	rtnl_put_str(nlh, IFLA_IFNAME, name);
	/* Only the index is wanted: skip statistics and VF info. */
	rtnl_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	rtnl_one_init(&one, RTM_NEWLINK, index_decode, &index);
	r = rtnl_talk(s, nlh, &one.sink, op, err);
	if (r < 0)
		return rtnl_enodev(err, r, name, what);
	if (!one.got || index <= 0) {
		return linx_error_set_object(err, ENODEV, op, name,
					     "no such %s \"%s\"",
					     what ? what : "interface", name);
	}
	*ret = index;
	return 0;
}

int linx_rtnl_link_index(struct linx_rtnl *sock, const char *name,
			 int32_t *ret, struct linx_error *err)
{
	if (!sock || !ret)
		return linx_error_param(err, "link.index", sock ? "ret" : "sock",
					"missing argument");
	return rtnl_ifindex(sock, name, NULL, "link.index", ret, err);
}
