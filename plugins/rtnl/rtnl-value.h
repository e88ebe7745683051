/* SPDX-License-Identifier: MIT */
/*
 * Objects as value trees (value.c), for the verbs.  Not installed.
 */
#ifndef LINX_RTNL_VALUE_H
#define LINX_RTNL_VALUE_H

#include <linx/value.h>

#include "rtnl-internal.h"

/* ifindex -> name, sorted for bsearch; loaded with one link dump. */
struct rtnl_name {
	int32_t index;
	char name[IFNAMSIZ];
};
struct rtnl_names {
	struct rtnl_name *v;
	size_t n;
};
int rtnl_names_load(struct linx_rtnl *s, struct rtnl_names *ret,
		    struct linx_error *err);
void rtnl_names_free(struct rtnl_names *names);
const char *rtnl_names_find(const struct rtnl_names *names, int32_t index);

/* Each fills *ret with a new map and returns linx_value_status(). */
int rtnl_value_link(const struct linx_rtnl_link *l,
		    const struct rtnl_names *names, struct linx_value *ret);
int rtnl_value_addr(const struct linx_rtnl_addr *a,
		    const struct rtnl_names *names, struct linx_value *ret);
int rtnl_value_route(const struct linx_rtnl_route *r,
		     const struct rtnl_names *names, struct linx_value *ret);
int rtnl_value_neigh(const struct linx_rtnl_neigh *n,
		     const struct rtnl_names *names, struct linx_value *ret);
int rtnl_value_rule(const struct linx_rtnl_rule *r, struct linx_value *ret);
int rtnl_value_stats64(const struct linx_rtnl_link_stats64 *st,
		       struct linx_value *ret);
int rtnl_value_stats(const struct linx_rtnl_stats *st,
		     const struct rtnl_names *names, struct linx_value *ret);
int rtnl_value_event(const struct linx_rtnl_event *e, struct linx_value *ret);

#endif /* LINX_RTNL_VALUE_H */
