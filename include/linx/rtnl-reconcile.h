/* SPDX-License-Identifier: MIT */
/*
 * linx/rtnl-reconcile.h - desired state for addresses and routes in one
 * network namespace: observe, diff, and one ordered pass.
 *
 * The library holds nothing between passes: what the reconciler owns is
 * `last_applied`, returned in the report and handed back by the caller
 * (linx/reconcile.h describes the shared report).  The rtnl verbs
 * rtnl.observe, rtnl.diff and rtnl.reconcile are thin adapters over these
 * functions; docs/reconcile/README.md has examples.
 *
 * ---- values ------------------------------------------------------------
 *
 *   desired   {"links": [LINK], "addresses": [ADDR], "routes": [ROUTE],
 *              "neighbours": [NEIGH], "rules": [RULE]}     (all optional)
 *   LINK      "eth0" or {"ifname": "eth0"}: an interface expected to exist
 *   ADDR      {"dev": "eth0", "address": "10.0.0.2/24"}  (or "prefix": 24)
 *             ["eth0", "10.0.0.2", 24]
 *   ROUTE     {"dst": "10.50.0.0/24" | "default", "gateway"?, "dev"?,
 *              "table"? (254), "metric"? (0 IPv4, 1024 IPv6),
 *              "family"? ("inet" | "inet6", for a default without gateway)}
 *             ["10.50.0.0", 24, "10.0.0.1"], [..., {"table": 100}],
 *             ["default", "10.0.0.1"], ["default", "10.0.0.1", {...}]
 *   NEIGH     {"dev": "eth0", "dst": "10.0.0.1", "lladdr": "02:..."}
 *             ["eth0", "10.0.0.1", "02:00:00:00:00:01"]   (permanent)
 *   RULE      {"priority": 100, "table": 100, "from"?: "10.0.0.0/24",
 *              "to"?: PREFIX, "fwmark"?: N, "family"?: "inet6"}
 *   last_applied  {"links": [KEY], "addresses": [KEY],
 *                  "neighbours": [KEY], "rules": [KEY]}
 *   op        {"op": "create" | "update" | "delete",
 *              "kind": "link" | "address" | "route" | "neighbour" | "rule",
 *              "key": KEY, "value": ITEM}
 *             create/update carry the desired item, delete the observed
 *             one (it is what the kernel has).
 *
 * Identity (KEY) and what may change in place:
 *   link     "eth0" (its name)                         nothing: existence
 *            only
 *   route    "table 254 inet 10.50.0.0/24 metric 0"   gateway, and the
 *            interface when the desired route names one (-> "update",
 *            applied as a replace)
 *   address  "ifindex 3 inet 10.0.0.2/24"              nothing
 *   neighbour "ifindex 3 inet 10.0.0.1"                the link-layer
 *            address, and being permanent (-> delete + add)
 *   rule     "priority 100 inet from 10.0.0.0/24 to all table 100"
 *            (fwmark 0x1 after the selectors when given)  nothing
 *
 * Ownership.  Routes are owned two-way through rtm_protocol: every route
 * installed carries `protocol` (LINX_RTNL_RECONCILE_PROTOCOL unless told
 * otherwise), and only observed routes with that tag are compared - a
 * connected, DHCP or hand-made route is invisible and never deleted.
 * Links, addresses, neighbours and rules carry no owner, so they are
 * three-way:
 * an observed one is deleted only if it is not desired and its key is in
 * last_applied, so what someone else added is never removed.  Link-local
 * and host addresses (scope other than global) are never considered.
 *
 * Interfaces are named in the desired state and resolved to indices from
 * a fresh link list on every pass; links themselves are never created or
 * deleted here.  The diff shows a desired link that is missing as a
 * create and an owned one no longer desired as a delete; a pass refuses
 * the first (ENODEV, as any unknown interface) and releases the second
 * (left in place, dropped from last_applied).
 */
#ifndef LINX_RTNL_RECONCILE_H
#define LINX_RTNL_RECONCILE_H

#include <linx/common.h>
#include <linx/error.h>
#include <linx/rtnl.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

/* The default route owner tag: 76, 'L'. */
#define LINX_RTNL_RECONCILE_PROTOCOL 76

/*
 * What the reconciler compares, read from the kernel in one go:
 * {"links", "addresses", "routes", "neighbours", "rules"}, each a list as
 * the rtnl.*.list verbs return them.  *ret is owned by the caller.
 */
int linx_rtnl_observe(struct linx_rtnl *sock, struct linx_value *ret,
		      struct linx_error *err);

/*
 * The ops that converge `observed` (as linx_rtnl_observe() returns it, or
 * hand-made: addresses need ifindex, local or address, prefixlen; routes
 * dst, protocol and optionally family, table or table_id, metric,
 * gateway, oif or dev; links ifindex and ifname, and must be given when
 * links are desired) on `desired`, given
 * `last_applied` (NULL or nil: nothing owned).  Pure.  Interface names in
 * `desired` are resolved through observed links (and the ifname of
 * observed addresses).  protocol: the owner tag, < 0 for the default.
 * Ops come in apply order: link creates, address (neighbour, rule)
 * creates, route creates and updates, route deletes, address (neighbour,
 * rule) deletes, link deletes; each group in key order.  *ret_ops is
 * owned by the caller.  Errors as linx_rtnl_reconcile() for the desired
 * state; EINVAL naming "observed" or "last_applied" for those.
 */
int linx_rtnl_reconcile_diff(const struct linx_value *observed,
			     const struct linx_value *desired,
			     const struct linx_value *last_applied,
			     int protocol, struct linx_value *ret_ops,
			     struct linx_error *err);

/*
 * One pass in the socket's namespace: list links, check and resolve the
 * whole desired state, list addresses and routes (and neighbours and
 * rules when any are desired or owned), diff, and apply in order through
 * batches, one per stage: address, neighbour and rule creates (and
 * neighbour updates); route creates and replaces; route deletes; rule,
 * neighbour and address deletes.  Ops of one stage do not
 * depend on each other and go in one batch; the first stage with a
 * failure ends the pass: its first failed op is `failed` (with the
 * kernel's error), its other unapplied ops and every later stage are
 * `pending`.  The next pass re-diffs and finishes.
 *
 * Returns 0 with *ret_report set (the shape of linx/reconcile.h) whether
 * or not an op failed.  A desired state that cannot be applied fails
 * before anything is written: EINVAL (op "bad_address", "bad_route",
 * "bad_family", "bad_neighbour", "bad_lladdr", "bad_rule", "bad_link",
 * param "desired") or ENODEV (op "bad_interface", object the name: an
 * interface an item names, or a desired link, missing).  Other errors
 * come from reading the kernel.  Links are never created or deleted: no
 * link op is ever applied or reported; last_applied.links lists the
 * desired links.
 */
int linx_rtnl_reconcile(struct linx_rtnl *sock,
			const struct linx_value *desired,
			const struct linx_value *last_applied, int protocol,
			struct linx_value *ret_report,
			struct linx_error *err);

LINX_END_DECLS

#endif /* LINX_RTNL_RECONCILE_H */
