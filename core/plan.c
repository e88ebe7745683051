/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint plan (linx/plan.h): its shape, checked here without
 * touching the system.  The steps themselves run in the agent
 * (agent/plan.c), which linx_process_setup() asks over the protocol
 * (core/process.c), so every front-end gets one order, one set of errors
 * and one rollback.  The whole plan is checked before the first step, so
 * a typo in the last key never leaves the first steps applied.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <linx/plan.h>

#include "internal.h"

#define PLAN_OP "plan"

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

static int check_rootfs(const struct linx_value *rf, uint32_t namespaces,
			bool enter, struct linx_error *err)
{
	static const char *const keys[] = { "path",  "proc",   "dev",
					    "binds", "tmpfs",  "mounts",
					    "readonly", NULL };
	const struct linx_value *v;
	int r = check_keys(rf, "rootfs", keys, err);

	if (r < 0)
		return r;
	/* Mounting in an entered process's namespace, or in the caller's,
	 * would change theirs. */
	if (enter || !(namespaces & LINX_NS_MNT))
		return bad(err, "rootfs", NULL,
			   "the filesystem steps need the workload's own "
			   "mount namespace (\"mount\")%s",
			   enter ? ", which an entered process does not have"
				 : "");
	if ((v = linx_map_get(rf, "path")) &&
	    (!is_type(v, LINX_STRING) || v->str[0] != '/'))
		return bad(err, "rootfs", "path",
			   "the root is an absolute path");
	for (const char *const *k = keys + 1; *k; k++) {
		bool list = strcmp(*k, "binds") == 0 ||
			    strcmp(*k, "tmpfs") == 0 ||
			    strcmp(*k, "mounts") == 0;

		if ((v = linx_map_get(rf, *k)) &&
		    !is_type(v, list ? LINX_LIST : LINX_BOOL))
			return bad(err, "rootfs", *k, "%s is a %s", *k,
				   list ? "list" : "bool");
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
					    "rootfs", "caps", "seccomp", "nft",
					    NULL };
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
	if ((v = linx_map_get(plan, "rootfs")) &&
	    (r = check_rootfs(v, namespaces, enter, err)) < 0)
		return r;
	if ((v = linx_map_get(plan, "nft"))) {
		/* The ruleset itself is checked by the nft plugin; here its
		 * shape, and that it lands in the workload's own netns. */
		if (!is_type(v, LINX_MAP) ||
		    !is_type(linx_map_get(v, "tables"), LINX_LIST))
			return bad(err, "nft", NULL,
				   "a ruleset: {\"tables\": [...]}");
		if (!enter && !(namespaces & LINX_NS_NET))
			return bad(err, "nft", NULL,
				   "a firewall for the workload needs its own "
				   "network namespace (\"net\")");
	}
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

