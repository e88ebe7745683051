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

/* Addresses and routes as the diff sees them; routes only those carrying
 * `protocol` (the diff would drop the others anyway). */
static int load_state(struct linx_rtnl *s, const struct rc_links *links,
		      uint8_t protocol, struct rc_set *ret,
		      struct linx_error *err)
{
	struct linx_rtnl_addr *addrs = NULL;
	struct linx_rtnl_route *routes = NULL;
	size_t na = 0, nr = 0;
	struct rc_set set = { 0 };
	int r;

	r = linx_rtnl_addr_list(s, NULL, &addrs, &na, err);
	if (r >= 0)
		r = linx_rtnl_route_list(s, AF_UNSPEC, 0, &routes, &nr, err);
	if (r < 0)
		goto out;
	set.addrs = calloc(na ? na : 1, sizeof(*set.addrs));
	set.routes = calloc(nr ? nr : 1, sizeof(*set.routes));
	if (!set.addrs || !set.routes) {
		r = linx_error_set(err, ENOMEM, "reconcile", NULL);
		goto out;
	}
	for (size_t i = 0; i < na; i++) {
		const struct linx_rtnl_addr *a = &addrs[i];
		struct rc_addr *x = &set.addrs[set.n_addrs];
		const char *name = rtnl_rc_link_name(links, a->index);

		if (a->family != AF_INET && a->family != AF_INET6)
			continue;
		x->family = a->family;
		x->prefixlen = a->prefixlen;
		x->scope = a->scope;
		x->index = a->index;
		/* The interface's own address: IFA_LOCAL where there is one
		 * (IPv4), else IFA_ADDRESS (IPv6). */
		x->address = a->present & LINX_RTNL_ADDR_HAS_LOCAL ? a->local
								   : a->address;
		if (name)
			snprintf(x->dev, IFNAMSIZ, "%s", name);
		set.n_addrs++;
	}
	for (size_t i = 0; i < nr; i++) {
		const struct linx_rtnl_route *rt = &routes[i];
		struct rc_route *x = &set.routes[set.n_routes];
		const char *name;

		if (rt->protocol != protocol ||
		    (rt->family != AF_INET && rt->family != AF_INET6))
			continue;
		x->family = rt->family;
		x->dst_len = rt->dst_len;
		x->protocol = rt->protocol;
		x->table = linx_rtnl_route_table(rt);
		x->metric = rt->present & LINX_RTNL_ROUTE_HAS_PRIORITY
				    ? rt->priority
				    : 0;
		if (rt->dst_len)
			x->dst = rt->dst;
		if (rt->present & LINX_RTNL_ROUTE_HAS_GATEWAY)
			x->gateway = rt->gateway;
		if (rt->present & LINX_RTNL_ROUTE_HAS_OIF) {
			x->oif = rt->oif;
			name = rtnl_rc_link_name(links, rt->oif);
			if (name)
				snprintf(x->dev, IFNAMSIZ, "%s", name);
		}
		set.n_routes++;
	}
	*ret = set;
	set = (struct rc_set){ 0 };
out:
	rtnl_rc_set_free(&set);
	free(addrs);
	free(routes);
	return r;
}

int linx_rtnl_observe(struct linx_rtnl *s, struct linx_value *ret,
		      struct linx_error *err)
{
	struct linx_rtnl_link *links = NULL;
	struct linx_rtnl_addr *addrs = NULL;
	struct linx_rtnl_route *routes = NULL;
	struct rtnl_names names = { 0 };
	size_t nl = 0, na = 0, nr = 0;
	struct linx_value m, ll, al, rl;
	int r;

	if (!s || !ret)
		return linx_error_param(err, "observe", s ? "ret" : "sock",
					"missing argument");
	r = linx_rtnl_link_list(s, &links, &nl, err);
	if (r >= 0)
		r = linx_rtnl_addr_list(s, NULL, &addrs, &na, err);
	if (r >= 0)
		r = linx_rtnl_route_list(s, AF_UNSPEC, 0, &routes, &nr, err);
	if (r >= 0)
		(void)rtnl_names_load(s, &names, NULL);
	if (r < 0)
		goto out;
	m = linx_value_map();
	ll = linx_value_list();
	al = linx_value_list();
	rl = linx_value_list();
	linx_value_reserve(&ll, nl);
	linx_value_reserve(&al, na);
	linx_value_reserve(&rl, nr);
	for (size_t i = 0; i < nl; i++) {
		struct linx_value v;

		rtnl_value_link(&links[i], &names, &v);
		linx_list_push(&ll, &v);
	}
	for (size_t i = 0; i < na; i++) {
		struct linx_value v;

		rtnl_value_addr(&addrs[i], &names, &v);
		linx_list_push(&al, &v);
	}
	for (size_t i = 0; i < nr; i++) {
		struct linx_value v;

		rtnl_value_route(&routes[i], &names, &v);
		linx_list_push(&rl, &v);
	}
	linx_map_put(&m, "links", &ll);
	linx_map_put(&m, "addresses", &al);
	linx_map_put(&m, "routes", &rl);
	r = linx_value_status(&m);
	if (r < 0) {
		linx_value_clear(&m);
		r = linx_error_set(err, ENOMEM, "observe", NULL);
	} else {
		*ret = m;
	}
out:
	rtnl_names_free(&names);
	free(links);
	free(addrs);
	free(routes);
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

static int add_op(struct linx_rtnl_batch *b, const struct rc_op *op,
		  uint8_t protocol, struct linx_error *err)
{
	if (op->kind == RC_ADDR) {
		struct linx_rtnl_addr_spec spec;

		addr_spec(op->item, &spec);
		return linx_rtnl_batch_addr(b,
					    op->op == RC_CREATE
						    ? LINX_RTNL_OP_ADDR_ADD
						    : LINX_RTNL_OP_ADDR_DELETE,
					    &spec, err);
	} else {
		struct linx_rtnl_route_spec spec;
		unsigned code = op->op == RC_CREATE   ? LINX_RTNL_OP_ROUTE_ADD
				: op->op == RC_UPDATE ? LINX_RTNL_OP_ROUTE_REPLACE
						      : LINX_RTNL_OP_ROUTE_DELETE;

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
	size_t built = start, nfail;
	struct linx_error e;
	int r;

	r = linx_rtnl_batch_new(p->s, &b, err);
	if (r < 0)
		return r;
	for (; built < end; built++) {
		linx_error_clear(&e);
		if (add_op(b, &p->ops->v[built], p->protocol, &e) < 0) {
			p->done[built] = DONE_FAILED;
			p->errs[built] = e;
			break;
		}
	}
	if (built > start) {
		r = linx_rtnl_batch_run(b, &e);
		if (r < 0 && linx_rtnl_batch_failures(b) == 0) {
			/* The transport failed: which ops the kernel took is
			 * unknown.  The next pass will see. */
			p->done[start] = DONE_FAILED;
			p->errs[start] = e;
			p->stopped = true;
			linx_rtnl_batch_free(b);
			return 0;
		}
		for (size_t k = start; k < built; k++)
			p->done[k] = DONE_OK;
		nfail = linx_rtnl_batch_failures(b);
		for (size_t k = 0; k < nfail; k++) {
			size_t index;

			linx_rtnl_batch_failure(b, k, &index, &e);
			p->done[start + index] = DONE_FAILED;
			p->errs[start + index] = e;
		}
	}
	linx_rtnl_batch_free(b);
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

/* ---- the report -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The addresses we own after the pass: every desired one now present
 * (already there or created), and every owned one we meant to delete but
 * did not manage to.  A sorted list of keys. */
static int owned_after(const struct pass *p, const struct rc_set *want,
		       struct linx_value *ret)
{
	size_t cap = want->n_addrs + p->ops->n + 1, n = 0;
	char (*buf)[RC_KEY_MAX] = calloc(cap, RC_KEY_MAX);
	char **keys = calloc(cap, sizeof(*keys));
	uint8_t *not_there = calloc(want->n_addrs + 1, 1);
	int r = -ENOMEM;

	*ret = linx_value_list();
	if (!buf || !keys || !not_there)
		goto out;
	for (size_t i = 0; i < p->ops->n; i++) {
		const struct rc_op *op = &p->ops->v[i];

		if (op->kind != RC_ADDR || p->done[i] == DONE_OK)
			continue;
		if (op->op == RC_CREATE) {
			not_there[(const struct rc_addr *)op->item -
				  want->addrs] = 1;
		} else {
			keys[n] = buf[n];
			rtnl_rc_addr_key(op->item, keys[n], RC_KEY_MAX);
			n++;
		}
	}
	for (size_t i = 0; i < want->n_addrs; i++) {
		if (not_there[i])
			continue;
		keys[n] = buf[n];
		rtnl_rc_addr_key(&want->addrs[i], keys[n], RC_KEY_MAX);
		n++;
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	linx_value_reserve(ret, n);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(keys[i], keys[i - 1]) != 0)
			linx_list_push_cstring(ret, keys[i]);
	r = linx_value_status(ret);
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
			  owned, m = linx_value_map();
	bool first_failure = true;
	int r;

	if (owned_after(p, want, &owned) < 0) {
		linx_value_clear(&owned);
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
	linx_map_put(&last, "addresses", &owned);
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
		r = rtnl_rc_desired(desired, &links, &want, err);
	if (r >= 0)
		r = load_state(s, &links, proto, &have, err);
	if (r >= 0)
		r = rtnl_rc_diff(&want, &have, proto, keys, n_keys, &ops, err);
	if (r < 0)
		goto out;
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
