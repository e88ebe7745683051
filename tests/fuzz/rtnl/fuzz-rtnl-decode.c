/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target over the rtnl decoders: the input is a datagram as the
 * kernel would send it (any number of netlink messages).  Each message
 * goes through every decoder whatever its type (a header of the wrong
 * kind must be refused, never overread), through the error/extended-ACK
 * parser, and its decoded form through the value layer the verbs use.
 *
 * Built two ways (meson.build next to this file): as a libFuzzer target
 * with clang, and into a standalone driver (replay.c) that runs the
 * checked-in corpus as an ordinary test with any compiler.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void to_value(int r, int (*fn)(const void *, struct linx_value *),
		     const void *obj)
{
	struct linx_value v = linx_value_nil();

	if (r == 0)
		fn(obj, &v);
	linx_value_clear(&v);
}

static int link_value(const void *o, struct linx_value *v)
{
	return rtnl_value_link(o, NULL, v);
}
static int addr_value(const void *o, struct linx_value *v)
{
	return rtnl_value_addr(o, NULL, v);
}
static int route_value(const void *o, struct linx_value *v)
{
	return rtnl_value_route(o, NULL, v);
}
static int neigh_value(const void *o, struct linx_value *v)
{
	return rtnl_value_neigh(o, NULL, v);
}
static int rule_value(const void *o, struct linx_value *v)
{
	return rtnl_value_rule(o, v);
}
static int stats_value(const void *o, struct linx_value *v)
{
	return rtnl_value_stats(o, NULL, v);
}
static int event_value(const void *o, struct linx_value *v)
{
	return rtnl_value_event(o, v);
}

static void one(const struct nlmsghdr *nlh)
{
	union {
		struct linx_rtnl_link link;
		struct linx_rtnl_addr addr;
		struct linx_rtnl_route route;
		struct linx_rtnl_neigh neigh;
		struct linx_rtnl_rule rule;
		struct linx_rtnl_stats stats;
		struct linx_rtnl_event event;
	} u;
	struct linx_error err;

	to_value(linx_rtnl_link_decode(nlh, &u.link), link_value, &u.link);
	to_value(linx_rtnl_addr_decode(nlh, &u.addr), addr_value, &u.addr);
	to_value(linx_rtnl_route_decode(nlh, &u.route), route_value, &u.route);
	to_value(linx_rtnl_neigh_decode(nlh, &u.neigh), neigh_value, &u.neigh);
	to_value(linx_rtnl_rule_decode(nlh, &u.rule), rule_value, &u.rule);
	to_value(linx_rtnl_stats_decode(nlh, &u.stats), stats_value, &u.stats);
	to_value(linx_rtnl_event_decode(nlh, &u.event), event_value, &u.event);
	if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE)
		(void)rtnl_parse_error(nlh, "fuzz", &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size, aligned copy: any read past the end is caught by
	 * ASan, and the decoders may assume netlink's 4-byte alignment. */
	uint8_t *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh;
	size_t rem = size;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (nlh = (const void *)buf; rtnl_msg_ok(nlh, rem);
	     nlh = rtnl_msg_next(nlh, &rem))
		one(nlh);
	free(buf);
	return 0;
}
