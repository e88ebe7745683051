/* SPDX-License-Identifier: MIT */
/*
 * One rtnl reconcile pass (linx/rtnl-reconcile.h): observe, check the
 * desired state, diff (diff.c), apply stage by stage through batches, and
 * report in the shape every reconciler shares (linx/reconcile.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/neighbour.h>

#include <linx/reconcile.h>

#include "rtnl-reconcile.h"

/* ---- observing ---------------------------------------------------------- */

static int load_links(struct linx_rtnl *s, struct rc_links *ret,
		      struct linx_error *err)
{
	struct linx_rtnl_link *links = NULL;
	size_t n = 0;
	int r = linx_rtnl_link_list(s, &links, &n, err);

	for (size_t i = 0; r >= 0 && i < n; i++)
		if (rtnl_rc_links_add(ret, links[i].index, links[i].name) < 0)
			r = linx_error_set(err, ENOMEM, "reconcile", NULL);
	free(links);
	return r;
}

/* The kernel's lists, as the dumps return them. */
struct dumps {
	struct linx_rtnl_link *links;
	struct linx_rtnl_addr *addrs;
	struct linx_rtnl_route *routes;
	struct linx_rtnl_neigh *neighs;
	struct linx_rtnl_rule *rules;
	size_t nl, na, nr, nn, nu;
};

/* Dumps links (if asked), addresses, routes, neighbours and rules (if
 * asked), in that order, stopping at the first error. */
static int dumps_load(struct linx_rtnl *s, bool want_links, bool want_neighs,
		      bool want_rules, struct dumps *d, struct linx_error *err)
{
	int r = 0;

	if (want_links)
		r = linx_rtnl_link_list(s, &d->links, &d->nl, err);
	if (r >= 0)
		r = linx_rtnl_addr_list(s, NULL, &d->addrs, &d->na, err);
	if (r >= 0)
		r = linx_rtnl_route_list(s, AF_UNSPEC, 0, &d->routes, &d->nr,
					 err);
	if (r >= 0 && want_neighs)
		r = linx_rtnl_neigh_list(s, NULL, &d->neighs, &d->nn, err);
	if (r >= 0 && want_rules)
		r = linx_rtnl_rule_list(s, AF_UNSPEC, &d->rules, &d->nu, err);
	return r;
}

static void dumps_free(struct dumps *d)
{
	free(d->links);
	free(d->addrs);
	free(d->routes);
	free(d->neighs);
	free(d->rules);
}

static void set_dev(char *dev, const struct rc_links *links, int32_t index)
{
	const char *name = rtnl_rc_link_name(links, index);

	if (name)
		snprintf(dev, IFNAMSIZ, "%s", name);
}

static bool ip_family(uint8_t family)
{
	return family == AF_INET || family == AF_INET6;
}

/* Each of these fills `x` and says true, or leaves it and says false for
 * an item the diff does not compare. */
static bool state_addr(const struct linx_rtnl_addr *a,
		       const struct rc_links *links, struct rc_addr *x)
{
	if (!ip_family(a->family))
		return false;
	x->family = a->family;
	x->prefixlen = a->prefixlen;
	x->scope = a->scope;
	x->index = a->index;
	/* The interface's own address: IFA_LOCAL where there is one
	 * (IPv4), else IFA_ADDRESS (IPv6). */
	x->address = a->present & LINX_RTNL_ADDR_HAS_LOCAL ? a->local
							   : a->address;
	set_dev(x->dev, links, a->index);
	return true;
}

static bool state_route(const struct linx_rtnl_route *rt,
			const struct rc_links *links, uint8_t protocol,
			struct rc_route *x)
{
	if (rt->protocol != protocol || !ip_family(rt->family))
		return false;
	x->family = rt->family;
	x->dst_len = rt->dst_len;
	x->protocol = rt->protocol;
	x->table = linx_rtnl_route_table(rt);
	x->metric = rt->present & LINX_RTNL_ROUTE_HAS_PRIORITY ? rt->priority
							       : 0;
	if (rt->dst_len)
		x->dst = rt->dst;
	if (rt->present & LINX_RTNL_ROUTE_HAS_GATEWAY)
		x->gateway = rt->gateway;
	if (rt->present & LINX_RTNL_ROUTE_HAS_OIF) {
		x->oif = rt->oif;
		set_dev(x->dev, links, rt->oif);
	}
	return true;
}

static bool state_neigh(const struct linx_rtnl_neigh *nb,
			const struct rc_links *links, struct rc_neigh *x)
{
	if (!ip_family(nb->family) || !(nb->present & LINX_RTNL_NEIGH_HAS_DST))
		return false;
	x->family = nb->family;
	x->state = nb->state;
	x->index = nb->ifindex;
	x->dst = nb->dst;
	if (nb->present & LINX_RTNL_NEIGH_HAS_LLADDR)
		x->lladdr = nb->lladdr;
	set_dev(x->dev, links, nb->ifindex);
	return true;
}

static bool state_rule(const struct linx_rtnl_rule *ru, struct rc_rule *x)
{
	if (!ip_family(ru->family))
		return false;
	x->family = ru->family;
	x->priority = ru->present & LINX_RTNL_RULE_HAS_PRIORITY ? ru->priority
								: 0;
	if (ru->present & LINX_RTNL_RULE_HAS_SRC) {
		x->src = ru->src;
		x->src_len = ru->src_len;
	}
	if (ru->present & LINX_RTNL_RULE_HAS_DST) {
		x->dst = ru->dst;
		x->dst_len = ru->dst_len;
	}
	x->has_fwmark = ru->present & LINX_RTNL_RULE_HAS_FWMARK;
	x->fwmark = ru->fwmark;
	x->table = ru->action == FR_ACT_TO_TBL ? linx_rtnl_rule_table(ru) : 0;
	return true;
}

/* The dumps in the diff's form; `set` has room for every item. */
static void state_fill(const struct dumps *d, const struct rc_links *links,
		       uint8_t protocol, struct rc_set *set)
{
	for (size_t i = 0; i < d->na; i++)
		if (state_addr(&d->addrs[i], links, &set->addrs[set->n_addrs]))
			set->n_addrs++;
	for (size_t i = 0; i < d->nr; i++)
		if (state_route(&d->routes[i], links, protocol,
				&set->routes[set->n_routes]))
			set->n_routes++;
	for (size_t i = 0; i < d->nn; i++)
		if (state_neigh(&d->neighs[i], links,
				&set->neighs[set->n_neighs]))
			set->n_neighs++;
	for (size_t i = 0; i < d->nu; i++)
		if (state_rule(&d->rules[i], &set->rules[set->n_rules]))
			set->n_rules++;
}

/* What the diff compares; routes only those carrying `protocol` (the diff
 * would drop the others anyway).  Neighbours and rules are read only when
 * something of theirs is desired or owned: a pass over addresses and
 * routes does not pay for an ARP table dump. */
static int load_state(struct linx_rtnl *s, const struct rc_links *links,
		      uint8_t protocol, bool want_neighs, bool want_rules,
		      struct rc_set *ret, struct linx_error *err)
{
	struct dumps d = { 0 };
	struct rc_set set = { 0 };
	int r;

	r = dumps_load(s, false, want_neighs, want_rules, &d, err);
	if (r < 0)
		goto out;
	set.addrs = calloc(d.na ? d.na : 1, sizeof(*set.addrs));
	set.routes = calloc(d.nr ? d.nr : 1, sizeof(*set.routes));
	set.neighs = calloc(d.nn ? d.nn : 1, sizeof(*set.neighs));
	set.rules = calloc(d.nu ? d.nu : 1, sizeof(*set.rules));
	if (!set.addrs || !set.routes || !set.neighs || !set.rules) {
		r = linx_error_set(err, ENOMEM, "reconcile", NULL);
		goto out;
	}
	state_fill(&d, links, protocol, &set);
	*ret = set;
	set = (struct rc_set){ 0 };
out:
	rtnl_rc_set_free(&set);
	dumps_free(&d);
	return r;
}

/* The dumps as the map {links, addresses, routes, neighbours, rules}. */
static struct linx_value observe_value(const struct dumps *d,
				       const struct rtnl_names *names)
{
	struct linx_value m = linx_value_map(), ll = linx_value_list(),
			  al = linx_value_list(), rl = linx_value_list(),
			  nbl = linx_value_list(), rul = linx_value_list();
	struct linx_value v;

	linx_value_reserve(&ll, d->nl);
	linx_value_reserve(&al, d->na);
	linx_value_reserve(&rl, d->nr);
	for (size_t i = 0; i < d->nl; i++) {
		rtnl_value_link(&d->links[i], names, &v);
		linx_list_push(&ll, &v);
	}
	for (size_t i = 0; i < d->na; i++) {
		rtnl_value_addr(&d->addrs[i], names, &v);
		linx_list_push(&al, &v);
	}
	for (size_t i = 0; i < d->nr; i++) {
		rtnl_value_route(&d->routes[i], names, &v);
		linx_list_push(&rl, &v);
	}
	for (size_t i = 0; i < d->nn; i++) {
		rtnl_value_neigh(&d->neighs[i], names, &v);
		linx_list_push(&nbl, &v);
	}
	for (size_t i = 0; i < d->nu; i++) {
		rtnl_value_rule(&d->rules[i], &v);
		linx_list_push(&rul, &v);
	}
	linx_map_put(&m, "links", &ll);
	linx_map_put(&m, "addresses", &al);
	linx_map_put(&m, "routes", &rl);
	linx_map_put(&m, "neighbours", &nbl);
	linx_map_put(&m, "rules", &rul);
	return m;
}

int linx_rtnl_observe(struct linx_rtnl *s, struct linx_value *ret,
		      struct linx_error *err)
{
	struct dumps d = { 0 };
	struct rtnl_names names = { 0 };
	struct linx_value m;
	int r;

	if (!s || !ret)
		return linx_error_param(err, "observe", s ? "ret" : "sock",
					"missing argument");
	r = dumps_load(s, true, true, true, &d, err);
	if (r >= 0)
		(void)rtnl_names_load(s, &names, NULL);
	if (r < 0)
		goto out;
	m = observe_value(&d, &names);
	r = linx_value_status(&m);
	if (r < 0) {
		linx_value_clear(&m);
		r = linx_error_set(err, ENOMEM, "observe", NULL);
	} else {
		*ret = m;
	}
out:
	rtnl_names_free(&names);
	dumps_free(&d);
	return r;
}

/* ---- applying ------------------------------------------------------------ */

enum { DONE_NOT_RUN, DONE_OK, DONE_FAILED };

struct pass {
	struct linx_rtnl *s;
	uint8_t protocol;
	const struct rc_ops *ops;
	uint8_t *done;		/* per op */
	struct linx_error *errs; /* per op, when DONE_FAILED */
	bool stopped;
};

static void route_spec(const struct rc_route *r, uint8_t protocol,
		       bool delete, struct linx_rtnl_route_spec *spec)
{
	*spec = (struct linx_rtnl_route_spec)LINX_RTNL_ROUTE_SPEC_INIT;
	spec->family = r->family;
	if (r->dst_len)
		spec->dst = r->dst;
	spec->dst_len = r->dst_len;
	spec->table = r->table;
	spec->protocol = protocol;
	spec->has_metric = true;
	spec->metric = r->metric;
	/* A delete names the route by its key and owner alone. */
	if (!delete) {
		spec->gateway = r->gateway;
		spec->oif = r->oif;
	}
}

static void addr_spec(const struct rc_addr *a,
		      struct linx_rtnl_addr_spec *spec)
{
	*spec = (struct linx_rtnl_addr_spec)LINX_RTNL_ADDR_SPEC_INIT;
	spec->ifindex = a->index;
	spec->address = a->address;
	spec->prefixlen = a->prefixlen;
}

static void rule_spec(const struct rc_rule *r,
		      struct linx_rtnl_rule_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->family = r->family;
	spec->from = r->src;
	spec->from_len = r->src_len;
	spec->to = r->dst;
	spec->to_len = r->dst_len;
	spec->has_fwmark = r->has_fwmark;
	spec->fwmark = r->fwmark;
	spec->table = r->table;
	spec->has_priority = true;
	spec->priority = r->priority;
}

/* Queue the batch entries of one op: one, or two for a neighbour update
 * (the batch adds with NLM_F_EXCL, so the old entry goes first). */
static int add_op(struct linx_rtnl_batch *b, const struct rc_op *op,
		  uint8_t protocol, size_t *ret_entries, struct linx_error *err)
{
	*ret_entries = 1;
	if (op->kind == RC_ADDR) {
		struct linx_rtnl_addr_spec spec;

		addr_spec(op->item, &spec);
		return linx_rtnl_batch_addr(b,
					    op->op == RC_CREATE
						    ? LINX_RTNL_OP_ADDR_ADD
						    : LINX_RTNL_OP_ADDR_DELETE,
					    &spec, err);
	} else if (op->kind == RC_NEIGH) {
		const struct rc_neigh *n = op->item;
		int r = 0;

		if (!n->dev[0])
			return linx_error_set(err, ENODEV, "neighbour",
					      "interface %d has gone",
					      n->index);
		if (op->op != RC_CREATE)
			r = linx_rtnl_batch_neigh(b, LINX_RTNL_OP_NEIGH_DELETE,
						  n->dev, &n->dst, NULL, err);
		if (r >= 0 && op->op != RC_DELETE)
			r = linx_rtnl_batch_neigh(b, LINX_RTNL_OP_NEIGH_ADD,
						  n->dev, &n->dst, &n->lladdr,
						  err);
		*ret_entries = op->op == RC_UPDATE ? 2 : 1;
		return r;
	} else if (op->kind == RC_RULE) {
		struct linx_rtnl_rule_spec spec;

		rule_spec(op->item, &spec);
		return linx_rtnl_batch_rule(b,
					    op->op == RC_CREATE
						    ? LINX_RTNL_OP_RULE_ADD
						    : LINX_RTNL_OP_RULE_DELETE,
					    &spec, err);
	} else {
		struct linx_rtnl_route_spec spec;
		unsigned code = LINX_RTNL_OP_ROUTE_DELETE;

		if (op->op == RC_CREATE)
			code = LINX_RTNL_OP_ROUTE_ADD;
		else if (op->op == RC_UPDATE)
			code = LINX_RTNL_OP_ROUTE_REPLACE;

		route_spec(op->item, protocol, op->op == RC_DELETE, &spec);
		return linx_rtnl_batch_route(b, code, &spec, err);
	}
}

/* Ops [start, end) are one stage: one batch.  An op the batch refuses to
 * build (say, its interface vanished since the link list) fails like one
 * the kernel refuses; the ops before it still go. */
static int run_stage(struct pass *p, size_t start, size_t end,
		     struct linx_error *err)
{
	struct linx_rtnl_batch *b = NULL;
	size_t built = start, nfail, n_entries = 0;
	size_t *entry_op = malloc(2 * (end - start) * sizeof(*entry_op) + 1);
	struct linx_error e;
	int r;

	if (!entry_op)
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	r = linx_rtnl_batch_new(p->s, &b, err);
	if (r < 0) {
		free(entry_op);
		return r;
	}
	for (; built < end; built++) {
		size_t before = linx_rtnl_batch_size(b), k;

		linx_error_clear(&e);
		if (add_op(b, &p->ops->v[built], p->protocol, &k, &e) < 0) {
			p->done[built] = DONE_FAILED;
			p->errs[built] = e;
			/* Half of an update queued: it must not run alone. */
			if (linx_rtnl_batch_size(b) != before) {
				linx_rtnl_batch_free(b);
				b = NULL;
				built = start;
				n_entries = 0;
				(void)linx_rtnl_batch_new(p->s, &b, NULL);
				for (size_t o = start;
				     b && o < end && p->done[o] != DONE_FAILED;
				     o++) {
					(void)add_op(b, &p->ops->v[o],
						     p->protocol, &k, NULL);
					for (size_t x = 0; x < k; x++)
						entry_op[n_entries++] = o;
					built = o + 1;
				}
			}
			break;
		}
		for (size_t x = 0; x < k; x++)
			entry_op[n_entries++] = built;
	}
	if (b && n_entries) {
		r = linx_rtnl_batch_run(b, &e);
		if (r < 0 && linx_rtnl_batch_failures(b) == 0) {
			/* The transport failed: which ops the kernel took is
			 * unknown.  The next pass will see. */
			p->done[start] = DONE_FAILED;
			p->errs[start] = e;
			p->stopped = true;
			linx_rtnl_batch_free(b);
			free(entry_op);
			return 0;
		}
		for (size_t k = start; k < built; k++)
			p->done[k] = DONE_OK;
		nfail = linx_rtnl_batch_failures(b);
		for (size_t k = 0; k < nfail; k++) {
			size_t index, o;

			linx_rtnl_batch_failure(b, k, &index, &e);
			o = entry_op[index];
			if (p->done[o] != DONE_FAILED) {
				p->done[o] = DONE_FAILED;
				p->errs[o] = e;
			}
		}
	}
	linx_rtnl_batch_free(b);
	free(entry_op);
	for (size_t k = start; k < end; k++)
		if (p->done[k] == DONE_FAILED)
			p->stopped = true;
	return 0;
}

static int apply(struct pass *p, struct linx_error *err)
{
	size_t start = 0;

	while (start < p->ops->n && !p->stopped) {
		size_t end = start;
		int r;

		while (end < p->ops->n &&
		       p->ops->v[end].stage == p->ops->v[start].stage)
			end++;
		r = run_stage(p, start, end, err);
		if (r < 0)
			return r;
		start = end;
	}
	return 0;
}

/* ---- the report --------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The three-way keys we own after the pass: every desired address,
 * neighbour and rule now present (already there, or created), and every
 * owned one we meant to delete but did not get to.  A sorted list of keys
 * per kind, under `name` in `last`. */
static int owned_after(const struct pass *p, int kind, const void *items,
		       size_t n_items, size_t size, const char *name,
		       struct linx_value *last)
{
	size_t cap = n_items + p->ops->n + 1, n = 0;
	char (*buf)[RC_KEY_MAX] = calloc(cap, RC_KEY_MAX);
	char **keys = calloc(cap, sizeof(*keys));
	uint8_t *not_there = calloc(n_items + 1, 1);
	struct linx_value list = linx_value_list();
	int r = -ENOMEM;

	if (!buf || !keys || !not_there)
		goto out;
	for (size_t i = 0; i < p->ops->n; i++) {
		const struct rc_op *op = &p->ops->v[i];

		if (op->kind != kind || p->done[i] == DONE_OK)
			continue;
		if (op->op == RC_CREATE) {
			size_t at = (size_t)((const char *)op->item -
					     (const char *)items);

			not_there[at / size] = 1;
		} else if (op->op == RC_DELETE) {
			keys[n] = buf[n];
			rtnl_rc_op_key(op, keys[n], RC_KEY_MAX);
			n++;
		}
	}
	for (size_t i = 0; i < n_items; i++) {
		struct rc_op op = { .kind = (uint8_t)kind,
				    .item = (const char *)items + i * size };

		if (not_there[i])
			continue;
		keys[n] = buf[n];
		rtnl_rc_op_key(&op, keys[n], RC_KEY_MAX);
		n++;
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	linx_value_reserve(&list, n);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(keys[i], keys[i - 1]) != 0)
			linx_list_push_cstring(&list, keys[i]);
	r = linx_value_status(&list);
	if (r >= 0 && (list.len || kind == RC_ADDR))
		r = linx_map_put(last, name, &list);
	else
		linx_value_clear(&list);
out:
	free(buf);
	free(keys);
	free(not_there);
	return r;
}

static int report(const struct pass *p, const struct rc_set *want,
		  struct linx_value *ret, struct linx_error *err)
{
	struct linx_value applied = linx_value_list(),
			  failed = linx_value_list(),
			  pending = linx_value_list(), last = linx_value_map(),
			  m = linx_value_map();
	bool first_failure = true;
	int r;

	if (owned_after(p, RC_LINK, want->links, want->n_links,
			sizeof(*want->links), "links", &last) < 0 ||
	    owned_after(p, RC_ADDR, want->addrs, want->n_addrs,
			sizeof(*want->addrs), "addresses", &last) < 0 ||
	    owned_after(p, RC_NEIGH, want->neighs, want->n_neighs,
			sizeof(*want->neighs), "neighbours", &last) < 0 ||
	    owned_after(p, RC_RULE, want->rules, want->n_rules,
			sizeof(*want->rules), "rules", &last) < 0) {
		linx_value_clear(&last);
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	}
	for (size_t i = 0; i < p->ops->n; i++) {
		struct linx_value op;

		rtnl_rc_op_value(&p->ops->v[i], p->protocol, &op);
		if (p->done[i] == DONE_OK) {
			linx_list_push(&applied, &op);
		} else if (p->done[i] == DONE_FAILED && first_failure) {
			struct linx_value f = linx_value_map(),
					  e = linx_reconcile_error_value(
						  &p->errs[i]);

			first_failure = false;
			linx_map_put(&f, "op", &op);
			linx_map_put(&f, "error", &e);
			linx_list_push(&failed, &f);
		} else {
			linx_list_push(&pending, &op);
		}
	}
	linx_map_put_bool(&m, "converged", failed.len == 0 && pending.len == 0);
	linx_map_put(&m, "applied", &applied);
	linx_map_put(&m, "failed", &failed);
	linx_map_put(&m, "pending", &pending);
	linx_map_put(&m, "last_applied", &last);
	r = linx_value_status(&m);
	if (r < 0) {
		linx_value_clear(&m);
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	}
	*ret = m;
	return 0;
}

/* Does last_applied hold a key of this kind?  Rule keys start with
 * "priority", neighbour keys are "ifindex N FAMILY ADDRESS" without the
 * "/len" of an address key (a link's key, its name, has no blank). */
static bool owns(const char *const *keys, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++) {
		bool rule = strncmp(keys[i], "priority ", 9) == 0;
		bool neigh = strncmp(keys[i], "ifindex ", 8) == 0 &&
			     !strchr(keys[i], '/');

		if (kind == RC_RULE ? rule : neigh)
			return true;
	}
	return false;
}

/* Links are never created or deleted by a pass: a missing desired one
 * was refused before (rtnl_rc_desired()), and one no longer desired is
 * released, left as it is.  Their ops leave the list to apply. */
static void drop_link_ops(struct rc_ops *ops)
{
	size_t n = 0;

	for (size_t i = 0; i < ops->n; i++)
		if (ops->v[i].kind != RC_LINK)
			ops->v[n++] = ops->v[i];
	ops->n = n;
}

int linx_rtnl_reconcile(struct linx_rtnl *s, const struct linx_value *desired,
			const struct linx_value *last_applied, int protocol,
			struct linx_value *ret_report, struct linx_error *err)
{
	struct rc_links links = { 0 };
	struct rc_set want = { 0 }, have = { 0 };
	struct rc_ops ops = { 0 };
	struct pass p = { 0 };
	const char **keys = NULL;
	size_t n_keys = 0;
	uint8_t proto = 0;
	int r;

	if (!s || !ret_report)
		return linx_error_param(err, "reconcile", s ? "ret" : "sock",
					"missing argument");
	r = rtnl_rc_protocol(protocol, &proto, err);
	if (r >= 0)
		r = rtnl_rc_owned(last_applied, &keys, &n_keys, err);
	/* Names resolve against this pass's links, and the whole desired
	 * state is checked before anything is read further or written. */
	if (r >= 0)
		r = load_links(s, &links, err);
	if (r >= 0)
		r = rtnl_rc_desired(desired, &links, true, &want, err);
	if (r >= 0)
		r = load_state(s, &links, proto,
			       want.n_neighs || owns(keys, n_keys, RC_NEIGH),
			       want.n_rules || owns(keys, n_keys, RC_RULE),
			       &have, err);
	if (r >= 0 && want.n_links && rtnl_rc_link_set(&links, &have) < 0)
		r = linx_error_set(err, ENOMEM, "reconcile", NULL);
	if (r >= 0)
		r = rtnl_rc_diff(&want, &have, proto, keys, n_keys, &ops, err);
	if (r < 0)
		goto out;
	drop_link_ops(&ops);
	p = (struct pass){ .s = s, .protocol = proto, .ops = &ops };
	p.done = calloc(ops.n + 1, sizeof(*p.done));
	p.errs = calloc(ops.n + 1, sizeof(*p.errs));
	if (!p.done || !p.errs) {
		r = linx_error_set(err, ENOMEM, "reconcile", NULL);
		goto out;
	}
	r = apply(&p, err);
	if (r >= 0)
		r = report(&p, &want, ret_report, err);
out:
	free(p.done);
	free(p.errs);
	free(ops.v);
	free(keys);
	rtnl_rc_set_free(&want);
	rtnl_rc_set_free(&have);
	rtnl_rc_links_free(&links);
	return r;
}
