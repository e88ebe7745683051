/* SPDX-License-Identifier: MIT */
/*
 * The reconciler's working form (diff.c, reconcile.c): desired and
 * observed addresses and routes as flat items keyed the same way, and the
 * ops between them.  Not installed.
 */
#ifndef LINX_RTNL_RECONCILE_INTERNAL_H
#define LINX_RTNL_RECONCILE_INTERNAL_H

#include <linx/rtnl-reconcile.h>

#include "rtnl-value.h"

enum { RC_ADDR, RC_ROUTE, RC_NEIGH, RC_RULE, RC_LINK };
enum { RC_CREATE, RC_UPDATE, RC_DELETE };

/* Room for a key: "ifindex 2147483647 inet6 <46>/128" or
 * "table 4294967295 inet6 <46>/128 metric 4294967295". */
#define RC_KEY_MAX 192

struct rc_addr {
	uint8_t family;
	uint8_t prefixlen;
	uint8_t scope;
	int32_t index;
	uint32_t pos; /* index in the desired list, for messages */
	struct linx_rtnl_ip address;
	char dev[IFNAMSIZ]; /* "" when unknown */
};

struct rc_route {
	uint8_t family;
	uint8_t dst_len;
	uint8_t protocol;
	uint32_t table;
	uint32_t metric;
	uint32_t pos;
	struct linx_rtnl_ip dst;     /* all zero for a default route */
	struct linx_rtnl_ip gateway; /* family 0: none */
	int32_t oif;		     /* 0: none (desired: any) */
	char dev[IFNAMSIZ];
};

struct rc_neigh {
	uint8_t family;
	uint16_t state; /* NUD_* (observed) */
	int32_t index;
	uint32_t pos;
	struct linx_rtnl_ip dst;
	struct linx_rtnl_lladdr lladdr;
	char dev[IFNAMSIZ];
};

struct rc_rule {
	uint8_t family;
	uint8_t src_len, dst_len;
	bool has_fwmark;
	uint32_t fwmark;
	uint32_t priority;
	uint32_t table;
	uint32_t pos;
	struct linx_rtnl_ip src, dst; /* family 0: any */
};

/* A link, for its existence alone: the key is the name. */
struct rc_lnk {
	int32_t index; /* observed; 0 in the desired state */
	uint32_t pos;
	char name[IFNAMSIZ];
};

struct rc_set {
	struct rc_lnk *links;
	size_t n_links;
	struct rc_addr *addrs;
	size_t n_addrs;
	struct rc_route *routes;
	size_t n_routes;
	struct rc_neigh *neighs;
	size_t n_neighs;
	struct rc_rule *rules;
	size_t n_rules;
};

/* Interface names and indices. */
struct rc_link {
	int32_t index;
	char name[IFNAMSIZ];
};
struct rc_links {
	struct rc_link *v;
	size_t n, cap;
};

struct rc_op {
	uint8_t kind;  /* RC_ADDR, RC_ROUTE, RC_NEIGH, RC_RULE, RC_LINK */
	uint8_t op;    /* RC_CREATE, RC_UPDATE, RC_DELETE */
	uint8_t stage; /* 0..4, the apply order */
	const void *item; /* desired (create, update) or observed (delete) */
};
struct rc_ops {
	struct rc_op *v;
	size_t n;
};

/* 0: link, address, neighbour and rule creates; 1: route creates and
 * updates; 2: route deletes; 3: rule, neighbour and address deletes;
 * 4: link deletes.  Link ops are never applied (reconcile.c). */
#define RC_STAGES 5

static inline const char *rc_str(const struct linx_value *v)
{
	return v && v->type == LINX_STRING ? v->str : NULL;
}

static inline bool rc_absent(const struct linx_value *v)
{
	return !v || v->type == LINX_NIL;
}

/* "inet" or "inet6". */
const char *rc_family_name(uint8_t family);
/* "inet"/"ipv4"/"4" or "inet6"/"ipv6"/"6"; -EINVAL otherwise. */
int rc_family_of(const char *s, uint8_t *ret);
/* An optional unsigned field: 0 absent, 1 read, -1 not a number <= max. */
int rc_u32(const struct linx_value *v, uint32_t max, uint32_t *ret);

int rtnl_rc_links_add(struct rc_links *l, int32_t index, const char *name);
bool rc_link_index(const struct rc_links *l, const char *name,
			int32_t *ret);
void rtnl_rc_links_free(struct rc_links *l);
const char *rtnl_rc_link_name(const struct rc_links *l, int32_t index);

void rtnl_rc_set_free(struct rc_set *s);

/* Check and normalise the whole desired state (names resolved through
 * `links`); nothing is half-accepted.  `links_exist`: a desired link
 * missing from `links` is an error (a pass), else a create op (the
 * diff). */
int rtnl_rc_desired(const struct linx_value *desired,
		    const struct rc_links *links, bool links_exist,
		    struct rc_set *ret, struct linx_error *err);
/* EINVAL when two desired items share a key (desired.c calls it). */
int rtnl_rc_unique(const struct rc_set *s, struct linx_error *err);
/* Observed state given as values (observed.c): the links (from "links"
 * and the ifname of "addresses") first, then the items. */
int rtnl_rc_observed_links(const struct linx_value *o,
			   struct rc_links *links, struct linx_error *err);
int rtnl_rc_observed_set(const struct linx_value *o,
			 const struct rc_links *links, struct rc_set *ret,
			 struct linx_error *err);
/* The owned keys of last_applied (links, addresses, neighbours and rules:
 * their key texts never collide, a link name has no blank), sorted
 * (borrowed strings). */
int rtnl_rc_owned(const struct linx_value *last_applied, const char ***ret,
		  size_t *ret_n, struct linx_error *err);
/* A protocol argument: < 0 the default, else 1..255. */
int rtnl_rc_protocol(int protocol, uint8_t *ret, struct linx_error *err);

int rtnl_rc_diff(const struct rc_set *desired, const struct rc_set *observed,
		 uint8_t protocol, const char *const *owned, size_t n_owned,
		 struct rc_ops *ret, struct linx_error *err);

void rtnl_rc_addr_key(const struct rc_addr *a, char *buf, size_t cap);
void rtnl_rc_route_key(const struct rc_route *r, char *buf, size_t cap);
void rtnl_rc_neigh_key(const struct rc_neigh *n, char *buf, size_t cap);
void rtnl_rc_rule_key(const struct rc_rule *r, char *buf, size_t cap);
/* The observed links as the diff's set: every link of `links`. */
int rtnl_rc_link_set(const struct rc_links *links, struct rc_set *set);
/* The key of an op's item. */
void rtnl_rc_op_key(const struct rc_op *op, char *buf, size_t cap);
/* {op, kind, key, value}; returns linx_value_status(). */
int rtnl_rc_op_value(const struct rc_op *op, uint8_t protocol,
		     struct linx_value *ret);

#endif /* LINX_RTNL_RECONCILE_INTERNAL_H */
