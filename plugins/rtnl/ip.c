/* SPDX-License-Identifier: MIT */
/*
 * IP and link-layer addresses: parsing and printing (inet_pton(3),
 * inet_ntop(3)).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-internal.h"

size_t linx_rtnl_ip_len(const struct linx_rtnl_ip *ip)
{
	if (!ip)
		return 0;
	return ip->family == AF_INET ? 4 : ip->family == AF_INET6 ? 16 : 0;
}

int linx_rtnl_ip_parse(const char *s, struct linx_rtnl_ip *ret,
		       struct linx_error *err)
{
	struct linx_rtnl_ip ip = { 0 };

	if (!s || !ret)
		return linx_error_param(err, "parse", "ip", "missing argument");
	if (inet_pton(AF_INET, s, ip.addr) == 1)
		ip.family = AF_INET;
	else if (inet_pton(AF_INET6, s, ip.addr) == 1)
		ip.family = AF_INET6;
	else
		return linx_error_param(err, "parse", "ip",
					"\"%.64s\" is not an IPv4 or IPv6 "
					"address",
					s);
	*ret = ip;
	return 0;
}

int linx_rtnl_prefix_parse(const char *s, struct linx_rtnl_ip *ret,
			   uint8_t *ret_len, struct linx_error *err)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash;
	struct linx_rtnl_ip ip;
	unsigned long len;
	char *end;
	int r;

	if (!s || !ret || !ret_len)
		return linx_error_param(err, "parse", "prefix",
					"missing argument");
	slash = strchr(s, '/');
	if (!slash) {
		r = linx_rtnl_ip_parse(s, &ip, err);
		if (r < 0)
			return r;
		*ret = ip;
		*ret_len = (uint8_t)(linx_rtnl_ip_len(&ip) * 8);
		return 0;
	}
	if ((size_t)(slash - s) >= sizeof(buf))
		return linx_error_param(err, "parse", "prefix",
					"\"%.64s\" is not a prefix", s);
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	r = linx_rtnl_ip_parse(buf, &ip, err);
	if (r < 0)
		return r;
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || errno ||
	    len > linx_rtnl_ip_len(&ip) * 8)
		return linx_error_param(err, "parse", "prefix",
					"\"%.64s\": bad prefix length", s);
	*ret = ip;
	*ret_len = (uint8_t)len;
	return 0;
}

size_t linx_rtnl_ip_format(const struct linx_rtnl_ip *ip, char *buf,
			   size_t cap)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!ip || !linx_rtnl_ip_len(ip) ||
	    !inet_ntop(ip->family, ip->addr, tmp, sizeof(tmp)))
		tmp[0] = '\0';
	return (size_t)snprintf(buf, cap, "%s", tmp);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int linx_rtnl_lladdr_parse(const char *s, struct linx_rtnl_lladdr *ret,
			   struct linx_error *err)
{
	struct linx_rtnl_lladdr ll = { 0 };
	const char *p = s;

	if (!s || !ret)
		return linx_error_param(err, "parse", "mac", "missing argument");
	for (;;) {
		int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);

		if (hi < 0 || lo < 0 || ll.len == LINX_RTNL_LLADDR_MAX)
			goto bad;
		ll.addr[ll.len++] = (uint8_t)(hi << 4 | lo);
		p += 2;
		if (*p == '\0')
			break;
		if (*p != ':')
			goto bad;
		p++;
	}
	*ret = ll;
	return 0;
bad:
	return linx_error_param(err, "parse", "mac",
				"\"%.64s\" is not a link-layer address "
				"(aa:bb:cc:dd:ee:ff)",
				s);
}

size_t linx_rtnl_lladdr_format(const struct linx_rtnl_lladdr *ll, char *buf,
			       size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[LINX_RTNL_LLADDR_MAX * 3 + 1];
	size_t n = 0;

	for (unsigned i = 0; ll && i < ll->len && i < LINX_RTNL_LLADDR_MAX; i++) {
		if (i)
			tmp[n++] = ':';
		tmp[n++] = hex[ll->addr[i] >> 4];
		tmp[n++] = hex[ll->addr[i] & 15];
	}
	tmp[n] = '\0';
	return (size_t)snprintf(buf, cap, "%s", tmp);
}

void rtnl_prefix_text(const struct linx_rtnl_ip *ip, uint8_t len,
		      uint8_t family, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	if (!ip || !linx_rtnl_ip_len(ip)) {
		snprintf(buf, cap, "%s", len == 0 ? "default" : "?");
		(void)family;
		return;
	}
	linx_rtnl_ip_format(ip, a, sizeof(a));
	snprintf(buf, cap, "%s/%u", a, len);
}
