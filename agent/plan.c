/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint plan, run by the agent (linx/plan.h; the `setup` request
 * of docs/process/protocol.md).  Every front-end - the C API, `linx
 * spawn`, the Elixir Port - sends the plan here, so one piece of code
 * decides the order, the errors and the rollback.
 *
 * Host-side steps (maps, cgroup, sysctls, network, and computing the
 * capability and syscall lists) run at once, through the agent's own
 * registry.  The child-side calls they queue (caps.drop_bounding,
 * seccomp.install) then go to the parked child one at a time, with refs
 * of the agent's own (PLAN_REF), and the host hears one result at the
 * end.  A failure ends the session with that error; a cgroup the plan
 * created is removed once the workload is gone (or, if an escaped process
 * keeps it busy, when the agent exits and every process it adopted is).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <linx/plan.h>

#include "agent.h"
#include "wire.h"

#define PLAN_OP "plan"

struct plan_exec {
	uint64_t host_ref;	  /* the host's ref for the one result */
	struct linx_value calls;  /* child-side calls: [{verb, args}] */
	uint32_t next;		  /* index of the call in flight */
	bool running;		  /* child calls still to come */
	char *cgroup;		  /* created by the plan */
	/* The nft socket in the workload's netns that pushed its ruleset:
	 * held until the session ends, so that owner tables live exactly
	 * as long as the session. */
	struct linx_value nft_sock;
};

/* Cgroups that were still busy when their session ended. */
static char **leftover;
static size_t n_leftover;

struct plan_run {
	struct session *session;
	struct plan_exec *exec;
	const struct linx_value *plan;
	pid_t pid;
};

static bool is_type(const struct linx_value *v, unsigned type)
{
	return v && v->type == type;
}

/* ---- host-side steps -------------------------------------------------- */

/* Call a host-side verb; `args` is consumed.  A failure keeps the verb's
 * error, prefixed with the verb's name. */
static int host_verb(const char *verb,
		     struct linx_value *args, struct linx_value *ret,
		     struct linx_error *err)
{
	struct linx_value res = linx_value_nil();
	int r = linx_call(agent.reg, verb, args, &res, 0, err);

	linx_value_clear(args);
	if (r < 0)
		return linx_error_prefix(err, "%s", verb);
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
	linx_list_push(&run->exec->calls, &call);
	if (linx_value_status(&run->exec->calls) < 0)
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
	return host_verb("user.setup_maps", &args, NULL, err);
}

static struct linx_value path_args(const char *path)
{
	struct linx_value args = linx_value_map();

	linx_map_put_cstring(&args, "path", path);
	return args;
}

/* Set one limit: the verb's `param` from the plan's value. */
static int set_limit(const char *path, const char *verb,
		     const char *param, const struct linx_value *v,
		     struct linx_error *err)
{
	struct linx_value args = path_args(path), copy;

	linx_value_copy(&copy, v);
	linx_map_put(&args, param, &copy);
	return host_verb(verb, &args, NULL, err);
}

static int set_cpu_max(const char *path,
		       const struct linx_value *cpu, struct linx_error *err)
{
	struct linx_value args = path_args(path), q, p;

	linx_value_copy(&q, linx_map_get(cpu, "quota"));
	linx_map_put(&args, "quota", &q);
	if (linx_map_get(cpu, "period")) {
		linx_value_copy(&p, linx_map_get(cpu, "period"));
		linx_map_put(&args, "period", &p);
	}
	return host_verb("cgroup.set_cpu_max", &args, NULL, err);
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
	if ((r = host_verb("cgroup.create", &args, NULL, err)) < 0)
		return r;
	if (!existed && !(run->exec->cgroup = strdup(path)))
		return linx_error_set(err, ENOMEM, PLAN_OP, NULL);
	if ((v = linx_map_get(cg, "memory_max")) &&
	    (r = set_limit(path, "cgroup.set_memory_max", "bytes", v,
			   err)) < 0)
		return r;
	if ((v = linx_map_get(cg, "pids_max")) &&
	    (r = set_limit(path, "cgroup.set_pids_max", "max", v, err)) < 0)
		return r;
	if ((v = linx_map_get(cg, "cpu_max")) &&
	    (r = set_cpu_max(path, v, err)) < 0)
		return r;
	args = path_args(path);
	linx_map_put_int(&args, "pid", run->pid);
	return host_verb("cgroup.add_process", &args, NULL, err);
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
	if ((r = host_verb("sysctl.namespaces", &args, &owners, err)) < 0)
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
		    !(run->session->namespaces & bit))
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

	if (!run->session->enter && (r = check_owner(run, key, err)) < 0)
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
	return host_verb("sysctl.write", &args, NULL, err);
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
	return host_verb(verb, args, NULL, err);
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
		if ((r = host_verb("rtnl.link.move_to_netns", &args, NULL,
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

/* The workload's firewall: a ruleset pushed in one batch into its network
 * namespace through a socket the session keeps (owner tables vanish with
 * the session). */
static int step_nft(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *rs = linx_map_get(run->plan, "nft");
	struct linx_value args, sock, copy;
	int r;

	if (!rs)
		return 0;
	args = linx_value_map();
	linx_map_put_int(&args, "netns", run->pid);
	if ((r = host_verb("nft.open", &args, &sock, err)) < 0)
		return r;
	args = linx_value_map();
	linx_value_copy(&copy, &sock);
	linx_map_put(&args, "sock", &copy);
	linx_value_copy(&copy, rs);
	linx_map_put(&args, "ruleset", &copy);
	run->exec->nft_sock = sock;
	return host_verb("nft.push", &args, NULL, err);
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
static int keep_to_drop(const struct linx_value *keep,
			struct linx_value *ret_drop, struct linx_error *err)
{
	struct linx_value none = linx_value_nil(), all;
	int r = host_verb("caps.names", &none, &all, err);

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
		if ((r = keep_to_drop(keep, &drop, err)) < 0)
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
	if ((r = host_verb(verb, &args, &filter, err)) < 0)
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

/* The workload's own filesystem, made in the child (mount.rootfs).  It is
 * the last child call: the child loads a plugin when a verb of it is first
 * called, from the host's filesystem, which is gone once it has pivoted.
 * What runs before it cannot hinder it: caps.drop_bounding shrinks only
 * the bounding set (the effective set, which mounting needs, changes at
 * execve) and seccomp.install defers its filter to the execve. */
static int step_rootfs(struct plan_run *run, struct linx_error *err)
{
	const struct linx_value *rf = linx_map_get(run->plan, "rootfs");
	struct linx_value args;

	if (!rf)
		return 0;
	if (linx_value_copy(&args, rf) < 0)
		return linx_error_set(err, ENOMEM, PLAN_OP, NULL);
	return child_verb(run, "mount.rootfs", &args, err);
}

static int (*const steps[])(struct plan_run *, struct linx_error *) = {
	step_maps, step_cgroup,	 step_sysctls, step_network, step_nft,
	step_caps, step_seccomp, step_rootfs,
};

/* ---- the request and the child's answers ------------------------------- */

static void reply(struct session *s, uint64_t ref, const struct linx_error *e)
{
	struct linx_value ev = event(LINX_WE_RESULT, s->id);

	linx_map_put_uint(&ev, LINX_WK_REF, ref);
	if (e)
		linx_error_to_value(e, &ev);
	emit(&ev);
}

/* The plan failed after it started: the host gets the error as the
 * result, and the session ends with it (the parked child is discarded,
 * or has already died of a fatal child-side failure). */
static void fail(struct session *s, const struct linx_error *e)
{
	s->plan->running = false;
	reply(s, s->plan->host_ref, e);
	if (!s->have_error) {
		if (!s->error)
			s->error = malloc(sizeof(*s->error));
		if (s->error) {
			*s->error = *e;
			s->have_error = true;
		}
	}
	session_kill(s, true);
}

static void send_next(struct session *s)
{
	struct plan_exec *x = s->plan;
	const struct linx_value *c = &x->calls.items[x->next];
	struct linx_value args;

	if (linx_value_copy(&args, linx_map_get(c, "args")) < 0) {
		struct linx_error e;

		linx_error_set(&e, ENOMEM, PLAN_OP, NULL);
		fail(s, &e);
		return;
	}
	session_send_call(s, PLAN_REF | x->next,
			  linx_map_get(c, "verb")->str, &args);
}

void plan_request(struct session *s, const struct linx_value *msg)
{
	const struct linx_value *plan = linx_map_get(msg, LINX_WK_PLAN);
	struct plan_run run = { .session = s, .plan = plan, .pid = s->pid };
	struct linx_error e;
	uint64_t ref = 0;
	int r = 0;

	linx_error_clear(&e);
	linx_value_get_u64(linx_map_get(msg, LINX_WK_REF), &ref);
	if (s->plan) {
		linx_error_set(&e, EBUSY, "running",
			       "setup runs once, at the checkpoint");
		reply(s, ref, &e);
		return;
	}
	/* A malformed plan is refused with nothing done: still parked. */
	if (linx_plan_check(plan, s->namespaces, s->enter, &e) < 0) {
		reply(s, ref, &e);
		return;
	}
	if (!(s->plan = calloc(1, sizeof(*s->plan)))) {
		linx_error_set(&e, ENOMEM, PLAN_OP, NULL);
		reply(s, ref, &e);
		return;
	}
	s->plan->host_ref = ref;
	s->plan->calls = linx_value_list();
	run.exec = s->plan;
	for (size_t i = 0; plan && plan->type != LINX_NIL &&
			   i < sizeof(steps) / sizeof(steps[0]) && r == 0; i++)
		r = steps[i](&run, &e);
	if (r < 0) {
		fail(s, &e);
	} else if (s->plan->calls.len == 0) {
		reply(s, ref, NULL);
	} else {
		s->plan->running = true;
		send_next(s);
	}
}

bool plan_busy(const struct session *s)
{
	return s->plan && s->plan->running;
}

bool plan_on_result(struct session *s, const struct linx_value *m)
{
	struct plan_exec *x = s->plan;
	uint64_t ref = 0;

	linx_value_get_u64(linx_map_get(m, LINX_WK_REF), &ref);
	if (!(ref & PLAN_REF))
		return false;
	if (!x || !x->running || (ref & ~PLAN_REF) != x->next)
		return true; /* stale: not ours to forward either */
	if (linx_map_get(m, LINX_WK_ERRNO)) {
		struct linx_error e;
		const char *verb =
			linx_map_get(&x->calls.items[x->next], "verb")->str;

		linx_error_from_value(m, &e);
		linx_error_prefix(&e, "%s", verb);
		fail(s, &e);
		return true;
	}
	if (++x->next < x->calls.len) {
		send_next(s);
		return true;
	}
	x->running = false;
	reply(s, x->host_ref, NULL);
	return true;
}

/* ---- the end ------------------------------------------------------------ */

/* rmdir a cgroup the plan made; the kernel may take a moment to see it
 * empty after the last reap.  Returns false if it stays busy. */
static bool remove_cgroup(const char *path)
{
	for (int i = 0; i < 50; i++) {
		struct linx_value args = linx_value_map(), res;
		int r;

		linx_map_put_cstring(&args, "path", path);
		res = linx_value_nil();
		r = linx_call(agent.reg, "cgroup.destroy", &args, &res, 0, NULL);
		linx_value_clear(&args);
		linx_value_clear(&res);
		if (r != -EBUSY)
			return true;
		nanosleep(&(struct timespec){ .tv_nsec = 2 * 1000 * 1000 },
			  NULL);
	}
	return false;
}

void plan_session_end(struct session *s)
{
	struct plan_exec *x = s->plan;

	if (!x)
		return;
	if (x->running) {
		/* The session ended under a child call. */
		struct linx_error e = { 0 };

		if (s->have_error && s->error)
			e = *s->error;
		else
			linx_error_set(&e, ESRCH, "no_process",
				       "the session ended during setup");
		x->running = false;
		reply(s, x->host_ref, &e);
	}
	if (x->cgroup && !remove_cgroup(x->cgroup)) {
		char **n = realloc(leftover, (n_leftover + 1) * sizeof(*n));

		if (n) {
			leftover = n;
			leftover[n_leftover++] = x->cgroup;
			x->cgroup = NULL;
		}
	}
	free(x->cgroup);
	linx_value_clear(&x->nft_sock);
	linx_value_clear(&x->calls);
	free(x);
	s->plan = NULL;
}

void plans_shutdown(void)
{
	for (size_t i = 0; i < n_leftover; i++) {
		remove_cgroup(leftover[i]);
		free(leftover[i]);
	}
	free(leftover);
	leftover = NULL;
	n_leftover = 0;
}
