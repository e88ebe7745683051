/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint plan (linx/plan.h): one order, one set of errors and one
 * rollback for every front-end that sets up a parked workload.
 *
 * A step is a function over the plan's key; host-side steps call verbs
 * through the registry, child-side ones (caps, seccomp) go through the
 * session.  The shape of the whole plan is checked before the first step,
 * so a typo in the last key never leaves the first steps applied.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <linx/plan.h>

#include "internal.h"

#define PLAN_OP "plan"

struct plan_run {
	struct linx_registry *reg;
	const struct linx_value *plan;
	struct linx_process_plan *state;
	pid_t pid;
	struct linx_value child_calls; /* [{verb, args}] */
};

/* ---- shape ------------------------------------------------------------- */

static int bad(struct linx_error *err, const char *key, const char *object,
	       const char *fmt, ...) LINX_PRINTF(4, 5);
static int bad(struct linx_error *err, const char *key, const char *object,
	       const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = linx_error_param_objectv(err, EINVAL, PLAN_OP, key, object, fmt,
				     ap);
	va_end(ap);
	return r;
}

static bool is_type(const struct linx_value *v, unsigned type)
{
	return v && v->type == type;
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

/* A non-empty list of non-blank strings: a restricting list that names
 * nothing would restrict nothing. */
static int check_names(const struct linx_value *v, const char *key,
		       const char *what, struct linx_error *err)
{
	if (!is_type(v, LINX_LIST))
		return bad(err, key, NULL, "%s is a list of %s", what, what);
	if (v->len == 0)
		return bad(err, key, NULL,
			   "empty list of %s (a list that names nothing "
			   "would restrict nothing)", what);
	for (uint32_t i = 0; i < v->len; i++)
		if (!is_type(&v->items[i], LINX_STRING) ||
		    blank(v->items[i].str))
			return bad(err, key, NULL,
				   "element %u of %s is not a name", i, what);
	return 0;
}

/* Check that a map has only keys from `known` (NULL-terminated). */
static int check_keys(const struct linx_value *m, const char *key,
		      const char *const *known, struct linx_error *err)
{
	if (!is_type(m, LINX_MAP))
		return bad(err, key, NULL, "%s must be a map", key);
	for (uint32_t i = 0; i < m->len; i++) {
		const char *k = m->pairs[i].key;
		size_t j = 0;

		while (known[j] && strcmp(known[j], k) != 0)
			j++;
		if (!known[j])
			return bad(err, key, k, "unknown key \"%s\" in %s", k,
				   key);
	}
	return 0;
}

static int check_idmap(const struct linx_value *v, const char *key,
		       struct linx_error *err)
{
	if (!is_type(v, LINX_LIST) || v->len == 0)
		return bad(err, key, NULL,
			   "%s is a non-empty list of [inside, outside, "
			   "count]", key);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *e = &v->items[i];
		uint64_t n;

		if (!is_type(e, LINX_LIST) || e->len != 3)
			return bad(err, key, NULL,
				   "element %u is not [inside, outside, count]",
				   i);
		for (uint32_t j = 0; j < 3; j++)
			if (!linx_value_get_u64(&e->items[j], &n) ||
			    n > UINT32_MAX)
				return bad(err, key, NULL,
					   "element %u holds a value that is "
					   "not a 32-bit id", i);
	}
	return 0;
}

/* A limit: a non-negative integer or the string "max". */
static bool limit_ok(const struct linx_value *v)
{
	uint64_t n;

	return linx_value_get_u64(v, &n) ||
	       (is_type(v, LINX_STRING) && strcmp(v->str, "max") == 0);
}

static int check_cgroup(const struct linx_value *cg, struct linx_error *err)
{
	static const char *const keys[] = { "path", "memory_max", "pids_max",
					    "cpu_max", NULL };
	static const char *const cpu_keys[] = { "quota", "period", NULL };
	const struct linx_value *v;
	uint64_t n;
	int r = check_keys(cg, "cgroup", keys, err);

	if (r < 0)
		return r;
	v = linx_map_get(cg, "path");
	if (!is_type(v, LINX_STRING) || !v->len)
		return bad(err, "cgroup", "path", "cgroup needs a path");
	if ((v = linx_map_get(cg, "memory_max")) && !limit_ok(v))
		return bad(err, "cgroup", "memory_max",
			   "memory_max is a byte count or \"max\"");
	if ((v = linx_map_get(cg, "pids_max")) && !limit_ok(v))
		return bad(err, "cgroup", "pids_max",
			   "pids_max is a count or \"max\"");
	if (!(v = linx_map_get(cg, "cpu_max")))
		return 0;
	if ((r = check_keys(v, "cgroup", cpu_keys, err)) < 0)
		return r;
	if (!linx_map_get(v, "quota") || !limit_ok(linx_map_get(v, "quota")))
		return bad(err, "cgroup", "cpu_max",
			   "cpu_max needs a quota (microseconds or \"max\")");
	if (linx_map_get(v, "period") &&
	    !linx_value_get_u64(linx_map_get(v, "period"), &n))
		return bad(err, "cgroup", "cpu_max",
			   "the cpu_max period is in microseconds");
	return 0;
}

static int check_sysctls(const struct linx_value *plan,
			 struct linx_error *err)
{
	const struct linx_value *v = linx_map_get(plan, "hostname");

	if (v && (!is_type(v, LINX_STRING) || !v->len))
		return bad(err, "hostname", NULL, "hostname is a string");
	v = linx_map_get(plan, "sysctls");
	if (!v)
		return 0;
	if (!is_type(v, LINX_MAP))
		return bad(err, "sysctls", NULL,
			   "sysctls is a map of key to value");
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *val = &v->pairs[i].value;
		int64_t n;

		if (!is_type(val, LINX_STRING) && !linx_value_get_i64(val, &n))
			return bad(err, "sysctls", v->pairs[i].key,
				   "the value of %s is not a string or an "
				   "integer", v->pairs[i].key);
	}
	return 0;
}

static int check_network(const struct linx_value *net, uint32_t namespaces,
			 bool enter, struct linx_error *err)
{
	static const char *const keys[] = { "links", "addresses", "gateway",
					    NULL };
	const struct linx_value *v;
	int r = check_keys(net, "network", keys, err);

	if (r < 0)
		return r;
	/* Configuring "the workload's" network without a network namespace
	 * of its own would reconfigure the caller's. */
	if (!enter && !(namespaces & LINX_NS_NET))
		return bad(err, "network", NULL,
			   "the network steps need the workload's own "
			   "network namespace (\"net\")");
	if ((v = linx_map_get(net, "links")) &&
	    (r = check_names(v, "network", "links", err)) < 0)
		return r;
	if ((v = linx_map_get(net, "gateway")) && !is_type(v, LINX_STRING))
		return bad(err, "network", "gateway",
			   "the gateway is an address string");
	if (!(v = linx_map_get(net, "addresses")))
		return 0;
	if (!is_type(v, LINX_LIST))
		return bad(err, "network", "addresses",
			   "addresses is a list of {dev, address}");
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *a = &v->items[i];

		if (!is_type(linx_map_get(a, "dev"), LINX_STRING) ||
		    !is_type(linx_map_get(a, "address"), LINX_STRING) ||
		    a->len != 2)
			return bad(err, "network", "addresses",
				   "address %u is not {dev, address}", i);
	}
	return 0;
}

/* {"keep": [...]} or {"drop": [...]}, or for seccomp {"allow": [...]} or
 * {"deny": [...], "deny_action": A}: exactly one list. */
static int check_either(const struct linx_value *m, const char *key,
			const char *a, const char *b,
			const char *const *keys, struct linx_error *err)
{
	const struct linx_value *va, *vb;
	int r = check_keys(m, key, keys, err);

	if (r < 0)
		return r;
	va = linx_map_get(m, a);
	vb = linx_map_get(m, b);
	if (!va == !vb)
		return bad(err, key, NULL, "%s takes exactly one of %s and %s",
			   key, a, b);
	return check_names(va ? va : vb, key, va ? a : b, err);
}

int linx_plan_check(const struct linx_value *plan, uint32_t namespaces,
		    bool enter, struct linx_error *err)
{
	static const char *const keys[] = { "uid_map", "gid_map", "cgroup",
					    "hostname", "sysctls", "network",
					    "caps", "seccomp", NULL };
	static const char *const caps_keys[] = { "keep", "drop", NULL };
	static const char *const seccomp_keys[] = { "allow", "deny",
						    "deny_action", NULL };
	const struct linx_value *v;
	int r;

	if (!plan || plan->type == LINX_NIL)
		return 0;
	if ((r = check_keys(plan, "plan", keys, err)) < 0)
		return r;
	if ((v = linx_map_get(plan, "uid_map")) &&
	    (r = check_idmap(v, "uid_map", err)) < 0)
		return r;
	if ((v = linx_map_get(plan, "gid_map"))) {
		if ((r = check_idmap(v, "gid_map", err)) < 0)
			return r;
		if (!linx_map_get(plan, "uid_map"))
			return bad(err, "gid_map", NULL,
				   "a gid_map needs a uid_map");
	}
	if ((v = linx_map_get(plan, "cgroup")) &&
	    (r = check_cgroup(v, err)) < 0)
		return r;
	if ((r = check_sysctls(plan, err)) < 0)
		return r;
	if ((v = linx_map_get(plan, "network")) &&
	    (r = check_network(v, namespaces, enter, err)) < 0)
		return r;
	if ((v = linx_map_get(plan, "caps")) &&
	    (r = check_either(v, "caps", "keep", "drop", caps_keys, err)) < 0)
		return r;
	if ((v = linx_map_get(plan, "seccomp"))) {
		if ((r = check_either(v, "seccomp", "allow", "deny",
				      seccomp_keys, err)) < 0)
			return r;
		if (linx_map_get(v, "deny_action") && !linx_map_get(v, "deny"))
			return bad(err, "seccomp", "deny_action",
				   "deny_action goes with a deny list");
	}
	return 0;
}

/* ---- steps --------------------------------------------------------------- */

/* Call a host-side verb; `args` is consumed.  A failure keeps the verb's
 * error, prefixed with the verb's name. */
static int host_verb(struct plan_run *run, const char *verb,
		     struct linx_value *args, struct linx_value *ret,
		     struct linx_error *err)
{
	struct linx_value res = linx_value_nil();
	int r = linx_call(run->reg, verb, args, &res, 0, err);

	linx_value_clear(args);
	if (r < 0)
		return linx_error_prefix(err, "%s: ", verb);
	if (ret)
		*ret = res;
	else
		linx_value_clear(&res);
	return 0;
}

/* Queue a child-side verb: it runs after every host-side step, in the
 * parked child.  `args` is consumed. */
static int child_verb(struct plan_run *run, const char *verb,
		      struct linx_value *args, struct linx_error *err)
{
	struct linx_value call = linx_value_map();

	linx_map_put_cstring(&call, "verb", verb);
	linx_map_put(&call, "args", args);
	linx_list_push(&run->child_calls, &call);
	if (linx_value_status(&run->child_calls) < 0)
		return linx_error_set(err, ENOMEM, PLAN_OP, NULL);
	return 0;
}

static int step_maps(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *uid = linx_map_get(run->plan, "uid_map");
	const struct linx_value *gid = linx_map_get(run->plan, "gid_map");
	struct linx_value args = linx_value_map(), u, g;

	if (!uid)
		return 0;
	linx_value_copy(&u, uid);
	linx_value_copy(&g, gid ? gid : uid);
	linx_map_put_int(&args, "pid", run->pid);
	linx_map_put(&args, "uid", &u);
	linx_map_put(&args, "gid", &g);
	if (linx_value_status(&args) < 0) {
		linx_value_clear(&args);
		return linx_error_set(err, ENOMEM, PLAN_OP, NULL);
	}
	return host_verb(run, "user.setup_maps", &args, NULL, err);
}

static struct linx_value path_args(const char *path)
{
	struct linx_value args = linx_value_map();

	linx_map_put_cstring(&args, "path", path);
	return args;
}

/* Set one limit: the verb's `param` from the plan's value. */
static int set_limit(struct plan_run *run, const char *path, const char *verb,
		     const char *param, const struct linx_value *v,
		     struct linx_error *err)
{
	struct linx_value args = path_args(path), copy;

	linx_value_copy(&copy, v);
	linx_map_put(&args, param, &copy);
	return host_verb(run, verb, &args, NULL, err);
}

static int set_cpu_max(struct plan_run *run, const char *path,
		       const struct linx_value *cpu, struct linx_error *err)
{
	struct linx_value args = path_args(path), q, p;

	linx_value_copy(&q, linx_map_get(cpu, "quota"));
	linx_map_put(&args, "quota", &q);
	if (linx_map_get(cpu, "period")) {
		linx_value_copy(&p, linx_map_get(cpu, "period"));
		linx_map_put(&args, "period", &p);
	}
	return host_verb(run, "cgroup.set_cpu_max", &args, NULL, err);
}

/* Create the cgroup (remembering whether it existed), set its limits and
 * move the parked workload in. */
static int step_cgroup(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *cg = linx_map_get(run->plan, "cgroup"), *v;
	const char *path;
	struct linx_value args;
	struct stat st;
	bool existed;
	int r;

	if (!cg)
		return 0;
	path = linx_map_get(cg, "path")->str;
	existed = stat(path, &st) == 0;
	args = path_args(path);
	if ((r = host_verb(run, "cgroup.create", &args, NULL, err)) < 0)
		return r;
	if (!existed && !(run->state->cgroup = strdup(path)))
		return linx_error_set(err, ENOMEM, PLAN_OP, NULL);
	if ((v = linx_map_get(cg, "memory_max")) &&
	    (r = set_limit(run, path, "cgroup.set_memory_max", "bytes", v,
			   err)) < 0)
		return r;
	if ((v = linx_map_get(cg, "pids_max")) &&
	    (r = set_limit(run, path, "cgroup.set_pids_max", "max", v, err)) < 0)
		return r;
	if ((v = linx_map_get(cg, "cpu_max")) &&
	    (r = set_cpu_max(run, path, v, err)) < 0)
		return r;
	args = path_args(path);
	linx_map_put_int(&args, "pid", run->pid);
	return host_verb(run, "cgroup.add_process", &args, NULL, err);
}

/* Refuse a sysctl whose namespace the workload would share with the
 * caller: the write would change the caller's system, not the workload's.
 * An entered process shares nothing it was not asked to join, so the
 * check is for spawned sessions only. */
static int check_owner(struct plan_run *run, const char *key,
		       struct linx_error *err)
{
	struct linx_value args = linx_value_map(), owners;
	int r;

	linx_map_put_cstring(&args, "key", key);
	if ((r = host_verb(run, "sysctl.namespaces", &args, &owners, err)) < 0)
		return r;
	if (owners.len == 0)
		r = linx_error_param_object(err, EPERM, PLAN_OP, "sysctls", key,
					    "%s is a global knob, not one per "
					    "namespace: writing it would "
					    "change this system", key);
	for (uint32_t i = 0; i < owners.len && r == 0; i++) {
		uint32_t bit = 0;
		const char *ns = owners.items[i].str;

		if (linx_process_ns_parse(ns, &bit, NULL) < 0 ||
		    !(run->state->namespaces & bit))
			r = linx_error_param_object(
				err, EPERM, PLAN_OP, "namespaces", ns,
				"%s belongs to the %s namespace, which the "
				"workload would share with this system: the "
				"write would change this system, not the "
				"workload's; add %s to its namespaces",
				key, ns, ns);
	}
	linx_value_clear(&owners);
	return r;
}

static int write_sysctl(struct plan_run *run, const char *key,
			const struct linx_value *value, struct linx_error *err)
{
	struct linx_value args = linx_value_map();
	char num[24];
	int64_t n = 0;
	int r;

	if (!run->state->enter && (r = check_owner(run, key, err)) < 0)
		return r;
	linx_map_put_cstring(&args, "key", key);
	if (value->type == LINX_STRING) {
		linx_map_put_string(&args, "value", value->str, value->len);
	} else {
		linx_value_get_i64(value, &n);
		snprintf(num, sizeof(num), "%lld", (long long)n);
		linx_map_put_cstring(&args, "value", num);
	}
	linx_map_put_int(&args, "in", run->pid);
	return host_verb(run, "sysctl.write", &args, NULL, err);
}

static int step_sysctls(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *host = linx_map_get(run->plan, "hostname");
	const struct linx_value *all = linx_map_get(run->plan, "sysctls");
	int r = 0;

	if (host && (r = write_sysctl(run, "kernel.hostname", host, err)) < 0)
		return r;
	for (uint32_t i = 0; all && i < all->len && r == 0; i++)
		r = write_sysctl(run, all->pairs[i].key, &all->pairs[i].value,
				 err);
	return r;
}

/* An rtnl verb in the workload's network namespace. */
static int rtnl_in(struct plan_run *run, const char *verb,
		   struct linx_value *args, struct linx_error *err)
{
	linx_map_put_int(args, "netns", run->pid);
	return host_verb(run, verb, args, NULL, err);
}

static int link_up(struct plan_run *run, const char *name,
		   struct linx_error *err)
{
	struct linx_value args = linx_value_map();

	linx_map_put_cstring(&args, "name", name);
	return rtnl_in(run, "rtnl.link.set_up", &args, err);
}

static int step_network(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *net = linx_map_get(run->plan, "network");
	const struct linx_value *links, *addrs, *gw;
	struct linx_value args;
	int r;

	if (!net)
		return 0;
	links = linx_map_get(net, "links");
	for (uint32_t i = 0; links && i < links->len; i++) {
		args = linx_value_map();
		linx_map_put_cstring(&args, "name", links->items[i].str);
		linx_map_put_int(&args, "to", run->pid);
		if ((r = host_verb(run, "rtnl.link.move_to_netns", &args, NULL,
				   err)) < 0)
			return r;
	}
	if ((r = link_up(run, "lo", err)) < 0)
		return r;
	addrs = linx_map_get(net, "addresses");
	for (uint32_t i = 0; addrs && i < addrs->len; i++) {
		const char *dev = linx_map_get(&addrs->items[i], "dev")->str;

		args = linx_value_map();
		linx_map_put_cstring(&args, "dev", dev);
		linx_map_put_cstring(&args, "address",
				     linx_map_get(&addrs->items[i], "address")
					     ->str);
		if ((r = rtnl_in(run, "rtnl.address.add", &args, err)) < 0 ||
		    (r = link_up(run, dev, err)) < 0)
			return r;
	}
	if (!(gw = linx_map_get(net, "gateway")))
		return 0;
	args = linx_value_map();
	linx_map_put_cstring(&args, "gateway", gw->str);
	return rtnl_in(run, "rtnl.route.add_default", &args, err);
}

/* Does capability `full` ("cap_net_admin", as caps.names gives it) match
 * `given`, with or without its "cap_" prefix, in any case? */
static bool cap_matches(const char *full, const char *given)
{
	if (strncasecmp(given, "cap_", 4) != 0)
		full += 4;
	return strcasecmp(full, given) == 0;
}

/* Is `full` one of the names given? */
static bool cap_in(const struct linx_value *given, const char *full)
{
	for (uint32_t j = 0; j < given->len; j++)
		if (cap_matches(full, given->items[j].str))
			return true;
	return false;
}

/* Does the given name match one of the kernel's names? */
static bool cap_known(const struct linx_value *all, const char *given)
{
	for (uint32_t i = 0; i < all->len; i++)
		if (cap_matches(all->items[i].str, given))
			return true;
	return false;
}

/* Every capability the kernel knows, less the kept ones.  A kept name that
 * is not a capability must not pass silently. */
static int keep_to_drop(struct plan_run *run, const struct linx_value *keep,
			struct linx_value *ret_drop, struct linx_error *err)
{
	struct linx_value none = linx_value_nil(), all;
	int r = host_verb(run, "caps.names", &none, &all, err);

	*ret_drop = linx_value_list();
	if (r < 0)
		return r;
	for (uint32_t j = 0; j < keep->len && r == 0; j++)
		if (!cap_known(&all, keep->items[j].str))
			r = linx_error_param_object(
				err, EINVAL, PLAN_OP, "caps",
				keep->items[j].str,
				"unknown capability \"%s\" (bad_capability)",
				keep->items[j].str);
	for (uint32_t i = 0; i < all.len && r == 0; i++)
		if (!cap_in(keep, all.items[i].str))
			linx_list_push_cstring(ret_drop, all.items[i].str);
	linx_value_clear(&all);
	if (r == 0 && linx_value_status(ret_drop) < 0)
		r = linx_error_set(err, ENOMEM, PLAN_OP, NULL);
	if (r < 0)
		linx_value_clear(ret_drop);
	return r;
}

static int step_caps(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *caps = linx_map_get(run->plan, "caps");
	const struct linx_value *keep;
	struct linx_value drop, args;
	int r;

	if (!caps)
		return 0;
	if ((keep = linx_map_get(caps, "keep"))) {
		if ((r = keep_to_drop(run, keep, &drop, err)) < 0)
			return r;
	} else {
		linx_value_copy(&drop, linx_map_get(caps, "drop"));
	}
	/* Keeping every capability leaves nothing to drop (the verb refuses
	 * an empty list). */
	if (drop.len == 0) {
		linx_value_clear(&drop);
		return 0;
	}
	args = linx_value_map();
	linx_map_put(&args, "caps", &drop);
	return child_verb(run, "caps.drop_bounding", &args, err);
}

static int step_seccomp(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *sc = linx_map_get(run->plan, "seccomp");
	const struct linx_value *allow, *action, *bpf;
	struct linx_value args, list, filter;
	const char *verb;
	bool has_execve = false;
	int r;

	if (!sc)
		return 0;
	allow = linx_map_get(sc, "allow");
	linx_value_copy(&list, allow ? allow : linx_map_get(sc, "deny"));
	for (uint32_t i = 0; allow && i < list.len; i++)
		has_execve |= strcmp(list.items[i].str, "execve") == 0;
	/* The filter is installed before execve: an allow list without it
	 * would kill the workload before it starts. */
	if (allow && !has_execve)
		linx_list_push_cstring(&list, "execve");
	verb = allow ? "seccomp.allow_list" : "seccomp.deny_list";
	args = linx_value_map();
	linx_map_put(&args, "syscalls", &list);
	if ((action = linx_map_get(sc, "deny_action"))) {
		struct linx_value copy;

		linx_value_copy(&copy, action);
		linx_map_put(&args, "deny_action", &copy);
	}
	if ((r = host_verb(run, verb, &args, &filter, err)) < 0)
		return r;
	bpf = linx_map_get(&filter, "bpf");
	args = linx_value_map();
	if (is_type(bpf, LINX_BYTES))
		linx_map_put_bytes(&args, "bpf", bpf->bytes, bpf->len);
	linx_value_clear(&filter);
	if (!linx_map_get(&args, "bpf")) {
		linx_value_clear(&args);
		return linx_error_set(err, EPROTO, PLAN_OP,
				      "%s returned no program", verb);
	}
	return child_verb(run, "seccomp.install", &args, err);
}

/* ---- setup and teardown ------------------------------------------------- */

static int (*const steps[])(struct plan_run *, struct linx_error *) = {
	step_maps, step_cgroup, step_sysctls, step_network, step_caps,
	step_seccomp,
};

int linx__plan_host(struct linx_registry *reg, const struct linx_value *plan,
		    pid_t pid, struct linx_process_plan *state,
		    struct linx_value *ret_child_calls, struct linx_error *err)
{
	struct plan_run run = { .reg = reg, .plan = plan, .state = state,
				.pid = pid };
	int r = 0;

	run.child_calls = linx_value_list();
	state->reg = reg;
	for (size_t i = 0; i < LINX_ARRAY_SIZE(steps) && r == 0; i++)
		r = steps[i](&run, err);
	if (r < 0)
		linx_value_clear(&run.child_calls);
	*ret_child_calls = run.child_calls;
	return r;
}

static int run_child_calls(struct linx_process *proc,
			   const struct linx_value *calls,
			   struct linx_error *err)
{
	for (uint32_t i = 0; i < calls->len; i++) {
		const struct linx_value *c = &calls->items[i];
		const char *verb = linx_map_get(c, "verb")->str;
		int r = linx_process_call(proc, verb, linx_map_get(c, "args"),
					  NULL, err);

		if (r < 0)
			return linx_error_prefix(err, "%s: ", verb);
	}
	return 0;
}

static int check_parked(struct linx_process *proc,
			const struct linx_process_plan *state,
			struct linx_process_info *info, struct linx_error *err)
{
	int r = linx_process_info(proc, info, err);

	if (r < 0)
		return r;
	if (linx_process_stage_terminal(info->stage))
		return linx_error_set(err, ESRCH, "no_process",
				      "the session has ended");
	if (info->stage < LINX_PROCESS_READY)
		return linx_error_set(err, EAGAIN, "not_ready",
				      "the workload is not parked yet");
	if (info->stage > LINX_PROCESS_READY || state->setup_done)
		return linx_error_set(err, EBUSY, "running",
				      "setup runs once, at the checkpoint");
	return 0;
}

int linx_process_setup(struct linx_process *proc, struct linx_registry *reg,
		       const struct linx_value *plan, struct linx_error *err)
{
	struct linx_process_plan *state;
	struct linx_process_info info;
	struct linx_value calls;
	int r;

	if (!proc)
		return linx_error_param(err, "validate", "proc", "no session");
	if (!reg)
		return linx_error_param(err, "validate", "reg", "no registry");
	state = linx__process_plan(proc);
	if ((r = linx_plan_check(plan, state->namespaces, state->enter,
				 err)) < 0 ||
	    (r = check_parked(proc, state, &info, err)) < 0)
		return r;
	if (!plan || plan->type == LINX_NIL)
		return 0;
	state->setup_done = true;
	r = linx__plan_host(reg, plan, info.host_pid, state, &calls, err);
	if (r == 0)
		r = run_child_calls(proc, &calls, err);
	linx_value_clear(&calls);
	if (r == 0)
		return 0;
	/* Roll back: the workload never runs, and what the plan created
	 * goes with it. */
	linx_process_abort(proc, NULL);
	linx_process_wait(proc, -1, NULL, NULL);
	linx_process_teardown(proc, NULL);
	return r;
}

int linx_process_teardown(struct linx_process *proc, struct linx_error *err)
{
	struct linx_process_plan *state;
	struct linx_process_info info;
	int r = 0;

	if (!proc)
		return linx_error_param(err, "validate", "proc", "no session");
	state = linx__process_plan(proc);
	if (!state->cgroup)
		return 0;
	if ((r = linx_process_info(proc, &info, err)) < 0)
		return r;
	if (!linx_process_stage_terminal(info.stage) &&
	    !linx__process_detached(proc))
		return linx_error_set(err, EBUSY, "running",
				      "the workload has not ended");
	/* The workload has been reaped, but the kernel may take a moment to
	 * mark its cgroup empty. */
	for (int i = 0; i < 100; i++) {
		struct linx_value args = path_args(state->cgroup), res;

		res = linx_value_nil();
		r = linx_call(state->reg, "cgroup.destroy", &args, &res, 0, err);
		linx_value_clear(&args);
		linx_value_clear(&res);
		if (r != -EBUSY)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 2 * 1000 * 1000 },
			  NULL);
	}
	if (r == -ENOENT)
		r = 0;
	if (r == -EBUSY)
		linx_error_set_object(err, EBUSY, "cgroup_destroy",
				      state->cgroup,
				      "the cgroup stays busy; left in place");
	if (r != -EBUSY) {
		free(state->cgroup);
		state->cgroup = NULL;
	}
	return r;
}
