/* SPDX-License-Identifier: MIT */
/*
 * The monitor: a NETLINK_ROUTE socket subscribed to multicast groups
 * (RTNLGRP_*, include/uapi/linux/rtnetlink.h) whose notifications are
 * decoded by the same decoders as the dumps.
 *
 * Multicast is lossy: when the socket's receive queue is full the kernel
 * drops notifications and the next read fails with ENOBUFS (netlink(7)).
 * That is reported as a RESYNC event, in order, and reading goes on.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "rtnl-internal.h"

struct linx_rtnl_monitor {
	struct linx_rtnl *s;
};

const unsigned linx_rtnl_monitor_default_groups[] = {
	RTNLGRP_LINK,	    RTNLGRP_NEIGH,	RTNLGRP_IPV4_IFADDR,
	RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
	RTNLGRP_IPV4_RULE,  RTNLGRP_IPV6_RULE,
};
const size_t linx_rtnl_monitor_default_groups_n =
	RTNL_ARRAY_SIZE(linx_rtnl_monitor_default_groups);

int linx_rtnl_group_parse(const char *name, unsigned *ret, size_t cap)
{
	static const struct {
		const char *name;
		unsigned g1, g2;
	} t[] = {
		{ "link", RTNLGRP_LINK, 0 },
		{ "neigh", RTNLGRP_NEIGH, 0 },
		{ "neighbour", RTNLGRP_NEIGH, 0 },
		{ "ipv4_ifaddr", RTNLGRP_IPV4_IFADDR, 0 },
		{ "ipv6_ifaddr", RTNLGRP_IPV6_IFADDR, 0 },
		{ "ipv4_route", RTNLGRP_IPV4_ROUTE, 0 },
		{ "ipv6_route", RTNLGRP_IPV6_ROUTE, 0 },
		{ "ipv4_rule", RTNLGRP_IPV4_RULE, 0 },
		{ "ipv6_rule", RTNLGRP_IPV6_RULE, 0 },
		{ "address", RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR },
		{ "route", RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE },
		{ "rule", RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE },
	};

	for (size_t i = 0; name && ret && i < RTNL_ARRAY_SIZE(t); i++) {
		size_t n = t[i].g2 ? 2 : 1;

		if (strcmp(t[i].name, name) != 0)
			continue;
		if (cap < n)
			return -ENOBUFS;
		ret[0] = t[i].g1;
		if (n == 2)
			ret[1] = t[i].g2;
		return (int)n;
	}
	return -EINVAL;
}

static const char *const event_names[] = {
	[LINX_RTNL_EVENT_UNKNOWN] = "unknown",
	[LINX_RTNL_EVENT_NEW_LINK] = "new_link",
	[LINX_RTNL_EVENT_DEL_LINK] = "del_link",
	[LINX_RTNL_EVENT_NEW_ADDR] = "new_addr",
	[LINX_RTNL_EVENT_DEL_ADDR] = "del_addr",
	[LINX_RTNL_EVENT_NEW_ROUTE] = "new_route",
	[LINX_RTNL_EVENT_DEL_ROUTE] = "del_route",
	[LINX_RTNL_EVENT_NEW_NEIGH] = "new_neigh",
	[LINX_RTNL_EVENT_DEL_NEIGH] = "del_neigh",
	[LINX_RTNL_EVENT_NEW_RULE] = "new_rule",
	[LINX_RTNL_EVENT_DEL_RULE] = "del_rule",
	[LINX_RTNL_EVENT_RESYNC] = "resync",
};

const char *linx_rtnl_event_kind_name(unsigned kind)
{
	return kind < RTNL_ARRAY_SIZE(event_names) ? event_names[kind] : NULL;
}

int linx_rtnl_event_decode(const struct nlmsghdr *nlh,
			   struct linx_rtnl_event *ret)
{
	if (!nlh || !ret)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->nlmsg_type = nlh->nlmsg_type;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ret->kind = nlh->nlmsg_type == RTM_NEWLINK ? LINX_RTNL_EVENT_NEW_LINK
							   : LINX_RTNL_EVENT_DEL_LINK;
		return linx_rtnl_link_decode(nlh, &ret->resource.link);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ret->kind = nlh->nlmsg_type == RTM_NEWADDR ? LINX_RTNL_EVENT_NEW_ADDR
							   : LINX_RTNL_EVENT_DEL_ADDR;
		return linx_rtnl_addr_decode(nlh, &ret->resource.addr);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		ret->kind = nlh->nlmsg_type == RTM_NEWROUTE
				    ? LINX_RTNL_EVENT_NEW_ROUTE
				    : LINX_RTNL_EVENT_DEL_ROUTE;
		return linx_rtnl_route_decode(nlh, &ret->resource.route);
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		ret->kind = nlh->nlmsg_type == RTM_NEWNEIGH
				    ? LINX_RTNL_EVENT_NEW_NEIGH
				    : LINX_RTNL_EVENT_DEL_NEIGH;
		return linx_rtnl_neigh_decode(nlh, &ret->resource.neigh);
	case RTM_NEWRULE:
	case RTM_DELRULE:
		ret->kind = nlh->nlmsg_type == RTM_NEWRULE ? LINX_RTNL_EVENT_NEW_RULE
							   : LINX_RTNL_EVENT_DEL_RULE;
		return linx_rtnl_rule_decode(nlh, &ret->resource.rule);
	default:
		ret->kind = LINX_RTNL_EVENT_UNKNOWN;
		return 0;
	}
}

int linx_rtnl_monitor_open(const struct linx_ns_target *netns,
			   const unsigned *groups, size_t n, size_t rcvbuf,
			   struct linx_rtnl_monitor **ret,
			   struct linx_error *err)
{
	struct linx_rtnl_monitor *mon;
	int r;

	if (!ret)
		return linx_error_param(err, "monitor.open", "ret", "no output");
	if (n > 64 || (n && !groups))
		return linx_error_param(err, "monitor.open", "groups",
					"bad group list");
	for (size_t i = 0; i < n; i++)
		if (groups[i] == 0 || groups[i] > 1024)
			return linx_error_param(err, "monitor.open", "groups",
						"bad rtnetlink group %u",
						groups[i]);
	if (n == 0) {
		groups = linx_rtnl_monitor_default_groups;
		n = linx_rtnl_monitor_default_groups_n;
	}
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return linx_error_set(err, ENOMEM, "monitor.open", NULL);
	r = rtnl_socket_open(netns, (unsigned)n, groups,
			     rcvbuf ? rcvbuf : RTNL_RCVBUF, &mon->s, err);
	if (r < 0) {
		free(mon);
		return r;
	}
	*ret = mon;
	return 0;
}

void linx_rtnl_monitor_close(struct linx_rtnl_monitor *mon)
{
	if (!mon)
		return;
	linx_rtnl_close(mon->s);
	free(mon);
}

int linx_rtnl_monitor_fd(const struct linx_rtnl_monitor *mon)
{
	return mon ? mon->s->fd : -EINVAL;
}

struct events {
	struct linx_rtnl_event *items;
	size_t n, cap;
};

static struct linx_rtnl_event *event_slot(struct events *ev)
{
	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 16;
		struct linx_rtnl_event *items =
			realloc(ev->items, cap * sizeof(*items));

		if (!items)
			return NULL;
		ev->items = items;
		ev->cap = cap;
	}
	return &ev->items[ev->n];
}

/* Drain what is queued without blocking.  0 when the queue is empty. */
static int drain(struct linx_rtnl *s, struct events *ev, size_t max,
		 struct linx_error *err)
{
	while (!max || ev->n < max) {
		const struct nlmsghdr *nlh;
		ssize_t n;
		size_t rem;

		/* Whole datagrams from the kernel only (lib/netlink). */
		n = linx_nl_recv(&s->io, MSG_DONTWAIT);
		if (n == -EAGAIN) /* == EWOULDBLOCK on Linux */
			return 0;
		if (n == -ENOBUFS) {
			struct linx_rtnl_event *e = event_slot(ev);

			/* Notifications were dropped: the consumer must
			 * re-read its state. */
			if (!e)
				return linx_error_set(err, ENOMEM,
						      "monitor.read", NULL);
			memset(e, 0, sizeof(*e));
			e->kind = LINX_RTNL_EVENT_RESYNC;
			ev->n++;
			continue;
		}
		if (n == -EMSGSIZE)
			return linx_error_set(err, ENOMEM, "monitor.read",
					      NULL);
		if (n < 0)
			return linx_error_set(err, (int)-n, "monitor.read",
					      "recvmsg: %s",
					      linx_strerror((int)-n));
		rem = (size_t)n;
		for (nlh = (const void *)s->io.buf; rtnl_msg_ok(nlh, rem);
		     nlh = rtnl_msg_next(nlh, &rem)) {
			struct linx_rtnl_event *e;

			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue; /* NOOP, ERROR, DONE, OVERRUN */
			e = event_slot(ev);
			if (!e)
				return linx_error_set(err, ENOMEM,
						      "monitor.read", NULL);
			if (linx_rtnl_event_decode(nlh, e) < 0) {
				/* Undecodable: keep it as an unknown
				 * notification rather than lose the wake-up. */
				uint16_t type = nlh->nlmsg_type;

				memset(e, 0, sizeof(*e));
				e->kind = LINX_RTNL_EVENT_UNKNOWN;
				e->nlmsg_type = type;
			}
			ev->n++;
		}
	}
	return 0;
}

int linx_rtnl_monitor_read(struct linx_rtnl_monitor *mon, int timeout_ms,
			   size_t max, struct linx_rtnl_event **ret,
			   size_t *ret_n, struct linx_error *err)
{
	struct events ev = { 0 };
	struct pollfd pfd;
	int r;

	if (!mon || !ret || !ret_n)
		return linx_error_param(err, "monitor.read", "monitor",
					"missing argument");
	if (timeout_ms < -1)
		return linx_error_param(err, "monitor.read", "timeout_ms",
					"timeout must be >= -1");
	pfd.fd = mon->s->fd;
	pfd.events = POLLIN;
	for (;;) {
		r = poll(&pfd, 1, timeout_ms);
		if (r >= 0 || errno != EINTR)
			break;
	}
	if (r < 0)
		return linx_error_set(err, errno, "monitor.read", "poll: %s",
				      linx_strerror(errno));
	if (r > 0) {
		pthread_mutex_lock(&mon->s->lock);
		r = drain(mon->s, &ev, max, err);
		pthread_mutex_unlock(&mon->s->lock);
		if (r < 0) {
			free(ev.items);
			return r;
		}
	}
	if (ev.n == 0) {
		free(ev.items);
		ev.items = NULL;
	}
	*ret = ev.items;
	*ret_n = ev.n;
	return 0;
}
