/* SPDX-License-Identifier: MIT */
/*
 * Shared by the rtnl verb files (verbs*.c): the handles, the argument
 * readers and the per-call socket in verbs.c, one file per object kind,
 * the table in verbs.c.  Not installed.
 */
#ifndef LINX_RTNL_VERBS_H
#define LINX_RTNL_VERBS_H

#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl-value.h"

/* Internal names, prefixed so that the static library exports only
 * linx_* (rtnl-symbols.h, tests/plugins/rtnl/test-exports.sh). */
#define arg linx_rtnl__verb_arg
#define arg_enum linx_rtnl__verb_arg_enum
#define arg_family linx_rtnl__verb_arg_family
#define arg_ip linx_rtnl__verb_arg_ip
#define arg_prefix linx_rtnl__verb_arg_prefix
#define arg_str linx_rtnl__verb_arg_str
#define arg_target linx_rtnl__verb_arg_target
#define arg_u32 linx_rtnl__verb_arg_u32
#define ctx_close linx_rtnl__verb_ctx_close
#define ctx_open linx_rtnl__verb_ctx_open
#define mon_destroy linx_rtnl__verb_mon_destroy
#define mon_type linx_rtnl__verb_mon_type
#define nomem linx_rtnl__verb_nomem
#define list_result linx_rtnl__verb_list_result
#define parse_addr linx_rtnl__verb_parse_addr
#define parse_route linx_rtnl__verb_parse_route
#define parse_rule linx_rtnl__verb_parse_rule
#define v_addr_change linx_rtnl__verb_addr_change
#define v_addr_list linx_rtnl__verb_addr_list
#define v_batch linx_rtnl__verb_batch
#define v_link_create_ipvlan linx_rtnl__verb_link_create_ipvlan
#define v_link_create_macvlan linx_rtnl__verb_link_create_macvlan
#define v_link_create_simple linx_rtnl__verb_link_create_simple
#define v_link_create_veth linx_rtnl__verb_link_create_veth
#define v_link_create_vlan linx_rtnl__verb_link_create_vlan
#define v_link_get linx_rtnl__verb_link_get
#define v_link_list linx_rtnl__verb_link_list
#define v_link_modify linx_rtnl__verb_link_modify
#define v_monitor_close linx_rtnl__verb_monitor_close
#define v_monitor_open linx_rtnl__verb_monitor_open
#define v_monitor_read linx_rtnl__verb_monitor_read
#define v_neigh_change linx_rtnl__verb_neigh_change
#define v_neigh_list linx_rtnl__verb_neigh_list
#define v_route_change linx_rtnl__verb_route_change
#define v_route_get linx_rtnl__verb_route_get
#define v_route_list linx_rtnl__verb_route_list
#define v_rule_change linx_rtnl__verb_rule_change
#define v_rule_list linx_rtnl__verb_rule_list
#define v_stats linx_rtnl__verb_stats
#define v_observe linx_rtnl__verb_observe
#define v_diff linx_rtnl__verb_diff
#define v_reconcile linx_rtnl__verb_reconcile
#define rc_p_observe linx_rtnl__verb_p_observe
#define rc_p_diff linx_rtnl__verb_p_diff
#define rc_p_reconcile linx_rtnl__verb_p_reconcile

/* ---- handles ---------------------------------------------------------------- */

struct sock_handle {
	pthread_rwlock_t lock;
	struct linx_rtnl *s;
};

struct mon_handle {
	pthread_rwlock_t lock;
	struct linx_rtnl_monitor *m;
};

/* Arguments come from a call, or from one op map of rtnl.batch. */
struct args {
	const struct linx_call *call;
	const struct linx_value *map;
	const char *op;
};

#define ARGS(call_, op_) { .call = (call_), .map = NULL, .op = (op_) }

/* ---- the socket of a call ------------------------------------------------- */

struct ctx {
	struct sock_handle *h;
	struct linx_rtnl *s;
};

/* verbs.c */
const struct linx_value *arg(const struct args *a, const char *name);
int arg_enum(const struct args *a, const char *name,
	     int (*from_name)(const char *), int *ret,
	     struct linx_error *err);
int arg_family(const struct args *a, uint8_t *ret,
	       struct linx_error *err);
int arg_ip(const struct args *a, const char *name, bool required,
	   struct linx_rtnl_ip *ret, struct linx_error *err);
int arg_prefix(const struct args *a, const char *name,
	       const char *prefix_name, bool allow_default,
	       bool required, struct linx_rtnl_ip *ret, uint8_t *ret_len,
	       struct linx_error *err);
const char *arg_str(const struct args *a, const char *name);
int arg_target(const struct args *a, const char *name,
	       struct linx_ns_target *ret, struct linx_error *err);
int arg_u32(const struct args *a, const char *name, uint32_t max,
	    bool *ret_has, uint32_t *ret, struct linx_error *err);
void ctx_close(struct ctx *c);
int ctx_open(const struct args *a, struct ctx *c, struct linx_error *err);
void mon_destroy(void *p);
extern const struct linx_handle_type mon_type;
int nomem(struct linx_error *err, const char *op, int r);
/* Converts one listed object into v, or returns false to leave it out
 * (family: the caller's filter, 0 for all). */
typedef bool (*list_conv)(const void *item, uint8_t family,
			  const struct rtnl_names *names, struct linx_value *v);
/* The tail every list verb shares: the n objects of `size` bytes at items
 * become the result list through conv; frees items and names' contents;
 * ENOMEM (named after a->op) when the list could not be built. */
int list_result(const struct args *a, void *items, size_t n, size_t size,
		list_conv conv, uint8_t family, struct rtnl_names *names,
		struct linx_value *ret, struct linx_error *err);

/* verbs-link.c */
int v_link_create_ipvlan(const struct linx_call *call,
			 struct linx_value *ret, struct linx_error *err);
int v_link_create_macvlan(const struct linx_call *call,
			  struct linx_value *ret, struct linx_error *err);
int v_link_create_simple(const struct linx_call *call,
			 struct linx_value *ret, struct linx_error *err);
int v_link_create_veth(const struct linx_call *call,
		       struct linx_value *ret, struct linx_error *err);
int v_link_create_vlan(const struct linx_call *call,
		       struct linx_value *ret, struct linx_error *err);
int v_link_get(const struct linx_call *call, struct linx_value *ret,
	       struct linx_error *err);
int v_link_list(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err);
int v_link_modify(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err);

/* verbs-addr.c */
int parse_addr(const struct args *a, struct linx_rtnl_addr_spec *spec,
	       struct linx_error *err);
int v_addr_change(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err);
int v_addr_list(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err);

/* verbs-route.c */
int parse_route(const struct args *a, bool is_default,
		struct linx_rtnl_route_spec *spec,
		struct linx_error *err);
int v_route_change(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int v_route_get(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err);
int v_route_list(const struct linx_call *call, struct linx_value *ret,
		 struct linx_error *err);

/* verbs-neigh.c */
int v_neigh_change(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int v_neigh_list(const struct linx_call *call, struct linx_value *ret,
		 struct linx_error *err);

/* verbs-rule.c */
int parse_rule(const struct args *a, struct linx_rtnl_rule_spec *spec,
	       struct linx_error *err);
int v_rule_change(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err);
int v_rule_list(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err);

/* verbs-monitor.c */
int v_monitor_close(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err);
int v_monitor_open(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int v_monitor_read(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err);
int v_stats(const struct linx_call *call, struct linx_value *ret,
	    struct linx_error *err);

/* verbs-batch.c */
int v_batch(const struct linx_call *call, struct linx_value *ret,
	    struct linx_error *err);

/* verbs-reconcile.c */
extern const struct linx_param rc_p_observe[2];
extern const struct linx_param rc_p_diff[4];
extern const struct linx_param rc_p_reconcile[5];
int v_observe(const struct linx_call *call, struct linx_value *ret,
	      struct linx_error *err);
int v_diff(const struct linx_call *call, struct linx_value *ret,
	   struct linx_error *err);
int v_reconcile(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err);

#endif /* LINX_RTNL_VERBS_H */
