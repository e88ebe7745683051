/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on statistics and the monitor (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

/* ---- statistics ------------------------------------------------------------ */

int v_stats(const struct linx_call *call, struct linx_value *ret,
	    struct linx_error *err)
{
	bool get = strcmp(call->verb->name, "rtnl.stats.get") == 0;
	struct args a = ARGS(call, get ? "stats.get" : "stats.list");
	struct rtnl_names names = { 0 };
	struct linx_rtnl_stats one, *all = NULL;
	struct ctx c;
	size_t n = 0;
	int r;

	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	if (get)
		r = linx_rtnl_stats_get(c.s, arg_str(&a, "dev"), &one, err);
	else
		r = linx_rtnl_stats_list(c.s, &all, &n, err);
	if (r >= 0)
		(void)rtnl_names_load(c.s, &names, NULL);
	ctx_close(&c);
	if (r < 0)
		return r;
	if (get) {
		r = rtnl_value_stats(&one, &names, ret);
	} else {
		*ret = linx_value_list();
		for (size_t i = 0; i < n; i++) {
			struct linx_value v;

			rtnl_value_stats(&all[i], &names, &v);
			linx_list_push(ret, &v);
		}
		free(all);
		r = linx_value_status(ret);
	}
	rtnl_names_free(&names);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

/* ---- monitor ---------------------------------------------------------------- */

int v_monitor_open(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	struct args a = ARGS(call, "monitor.open");
	const struct linx_value *groups = arg(&a, "groups");
	unsigned g[64];
	size_t ng = 0;
	uint32_t rcvbuf = 0;
	struct linx_ns_target t;
	struct mon_handle *h;
	struct linx_handle *handle;
	bool has;
	int r;

	r = arg_target(&a, "netns", &t, err);
	if (r >= 0)
		r = arg_u32(&a, "rcvbuf", 1u << 30, &has, &rcvbuf, err);
	if (r < 0)
		return r;
	for (uint32_t i = 0; groups && i < groups->len; i++) {
		const struct linx_value *v = &groups->items[i];
		uint64_t u;

		if (v->type == LINX_STRING) {
			r = linx_rtnl_group_parse(v->str, g + ng,
						  RTNL_ARRAY_SIZE(g) - ng);
			if (r < 0)
				return linx_error_param(
					err, a.op, "groups",
					"groups: unknown group \"%.32s\" (link, "
					"address, route, neighbour, rule, "
					"ipv4_route, ...)",
					v->str);
			ng += (size_t)r;
		} else if (linx_value_get_u64(v, &u) && u > 0 && u < 1024 &&
			   ng < RTNL_ARRAY_SIZE(g)) {
			g[ng++] = (unsigned)u;
		} else {
			return linx_error_param(err, a.op, "groups",
						"groups: names or RTNLGRP_* "
						"numbers");
		}
	}
	if (groups && ng == 0)
		return linx_error_param(err, a.op, "groups",
					"groups: an empty list");
	h = calloc(1, sizeof(*h));
	if (!h)
		return linx_error_set(err, ENOMEM, a.op, NULL);
	pthread_rwlock_init(&h->lock, NULL);
	r = linx_rtnl_monitor_open(&t, g, ng, rcvbuf, &h->m, err);
	if (r < 0) {
		pthread_rwlock_destroy(&h->lock);
		free(h);
		return r;
	}
	handle = linx_handle_new(&mon_type, h);
	if (!handle) {
		mon_destroy(h);
		return linx_error_set(err, ENOMEM, a.op, NULL);
	}
	*ret = linx_value_handle(handle);
	linx_handle_unref(handle);
	return 0;
}

static struct mon_handle *mon_arg(const struct args *a, struct linx_error *err)
{
	const struct linx_value *mv = arg(a, "monitor");
	struct mon_handle *h = mv ? linx_handle_get(mv->handle, &mon_type)
				  : NULL;

	if (!h)
		linx_error_param(err, a->op, "monitor",
				 "monitor: not an rtnl.monitor handle");
	return h;
}

int v_monitor_read(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	struct args a = ARGS(call, "monitor.read");
	struct mon_handle *h = mon_arg(&a, err);
	struct linx_rtnl_event *ev = NULL;
	uint32_t timeout = 0, max = 0;
	size_t n = 0;
	bool has;
	int r;

	if (!h)
		return -EINVAL;
	r = arg_u32(&a, "timeout_ms", INT32_MAX, &has, &timeout, err);
	if (r >= 0)
		r = arg_u32(&a, "max", 1u << 20, &has, &max, err);
	if (r < 0)
		return r;
	pthread_rwlock_rdlock(&h->lock);
	if (!h->m)
		r = linx_error_set(err, EBADF, a.op, "the monitor was closed");
	else
		r = linx_rtnl_monitor_read(h->m, (int)timeout, max, &ev, &n,
					   err);
	pthread_rwlock_unlock(&h->lock);
	if (r < 0)
		return r;
	*ret = linx_value_list();
	for (size_t i = 0; i < n; i++) {
		struct linx_value v;

		rtnl_value_event(&ev[i], &v);
		linx_list_push(ret, &v);
	}
	free(ev);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}

int v_monitor_close(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	struct args a = ARGS(call, "monitor.close");
	struct mon_handle *h = mon_arg(&a, err);

	(void)ret;
	if (!h)
		return -EINVAL;
	pthread_rwlock_wrlock(&h->lock);
	linx_rtnl_monitor_close(h->m);
	h->m = NULL;
	pthread_rwlock_unlock(&h->lock);
	return 0;
}
