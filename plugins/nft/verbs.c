/* SPDX-License-Identifier: MIT */
/*
 * The nft plugin's verbs: thin adapters from value arguments to the typed
 * API (include/linx/nft.h).  Documented in docs/nft/README.md.
 *
 *   nft.supported     {}                          -> bool
 *   nft.open          {netns?}                    -> nft.socket handle
 *   nft.close         {sock}                      -> nil
 *   nft.get_gen       {sock|netns}                -> {id, proc_pid, proc_name}
 *   nft.validate      {ruleset, mode?}            -> nil
 *   nft.parse         {text, file, values}        -> ruleset
 *   nft.format        {ruleset}                   -> text
 *   nft.fill_holes    {ruleset, values}           -> ruleset
 *   nft.pull          {sock|netns, family?, table?, set?, reset?,
 *                      with_gen?}  -> ruleset | set | {ruleset, genid}
 *   nft.push          {sock|netns, ruleset, mode?, retries?} -> report
 *   nft.diff          {from, to}                  -> patch
 *   nft.apply         {sock|netns, patch, genid?} -> nil
 *   nft.create_table  {sock|netns, name, family?, flags?} -> nil
 *   nft.delete        {sock|netns, family, table, chain?, handle?, set?,
 *                      object?, kind?, flowtable?} -> nil
 *   nft.set.add / nft.set.delete {sock|netns, family, table, set,
 *                      elements}                  -> nil
 *   nft.reconcile     {sock|netns, desired, last_applied?} -> report
 *                      (linx/reconcile.h's shape; `linx reconcile nft`)
 *
 * Every verb that talks to the kernel takes either `sock` (a handle from
 * nft.open: one socket reused across calls, and the owner of the tables
 * created with the owner flag) or `netns` (a socket opened for the call
 * and closed after it).  An owner table made through a one-call socket
 * would vanish as the call returns, so those calls refuse the owner flag
 * (EINVAL) and nft.create_table defaults to it only with `sock`.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "nft-internal.h"
#include "verbs-monitor.h"

struct sock_handle {
	pthread_rwlock_t lock;
	struct linx_nft *s;
};

static void sock_destroy(void *p)
{
	struct sock_handle *h = p;

	linx_nft_close(h->s);
	pthread_rwlock_destroy(&h->lock);
	free(h);
}

static const struct linx_handle_type sock_type = { "nft.socket",
						   sock_destroy };

/* The socket of a call: the handle's (read-locked) or a one-call one. */
struct ctx {
	struct sock_handle *h;
	struct linx_nft *s;
};

static int ctx_open(const char *op, const struct linx_value *sv,
		    const struct linx_value *nv, struct ctx *c,
		    struct linx_error *err)
{
	struct linx_ns_target t;
	int r;

	memset(c, 0, sizeof(*c));
	if (sv && nv)
		return linx_error_param(err, op, "netns",
					"give either sock or netns, not both");
	if (sv) {
		c->h = linx_handle_get(sv->handle, &sock_type);
		if (!c->h)
			return linx_error_param(err, op, "sock",
						"sock: not an nft.socket handle");
		pthread_rwlock_rdlock(&c->h->lock);
		if (!c->h->s) {
			pthread_rwlock_unlock(&c->h->lock);
			c->h = NULL;
			return linx_error_set(err, EBADF, op,
					      "the socket was closed");
		}
		c->s = c->h->s;
		return 0;
	}
	r = linx_ns_target_from_value(nv, "netns", &t, err);
	if (r < 0)
		return r;
	return linx_nft_open(&t, &c->s, err);
}

static void ctx_close(struct ctx *c)
{
	if (c->h)
		pthread_rwlock_unlock(&c->h->lock);
	else
		linx_nft_close(c->s);
}

static const struct linx_value *argv_(const struct linx_call *call, unsigned i)
{
	const struct linx_value *v = linx_call_arg(call, i);

	return v && v->type != LINX_NIL ? v : NULL;
}

static const char *arg_s(const struct linx_call *call, unsigned i)
{
	const struct linx_value *v = argv_(call, i);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static int nomem(struct linx_error *err, const char *op)
{
	return linx_error_set(err, ENOMEM, op, "cannot build the result");
}

/* Owner tables die with a one-call socket: refuse them there. */
static bool has_owner(const struct linx_value *flags)
{
	for (uint32_t i = 0; flags && flags->type == LINX_LIST &&
			     i < flags->len;
	     i++)
		if (flags->items[i].type == LINX_STRING &&
		    strcmp(flags->items[i].str, "owner") == 0)
			return true;
	return false;
}

static int refuse_owner(const char *op, const struct linx_value *ruleset,
			struct linx_error *err)
{
	const struct linx_value *tl = linx_map_get(ruleset, "tables");

	for (uint32_t i = 0; tl && tl->type == LINX_LIST && i < tl->len; i++)
		if (has_owner(linx_map_get(&tl->items[i], "flags")))
			return linx_error_param(err, op, "ruleset",
						"owner tables need a socket "
						"that outlives the call: open "
						"one with nft.open and pass "
						"it as sock");
	return 0;
}

/* ---- the verbs -------------------------------------------------------------- */

enum { S_SOCK, S_NETNS };

static int v_supported(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_nft_supported());
	return 0;
}

static int v_open(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err)
{
	struct linx_ns_target t;
	struct linx_handle *handle;
	struct sock_handle *h;
	int r = linx_ns_target_from_value(argv_(call, 0), "netns", &t, err);

	if (r < 0)
		return r;
	h = calloc(1, sizeof(*h));
	if (!h)
		return linx_error_set(err, ENOMEM, "open", NULL);
	pthread_rwlock_init(&h->lock, NULL);
	r = linx_nft_open(&t, &h->s, err);
	if (r < 0) {
		pthread_rwlock_destroy(&h->lock);
		free(h);
		return r;
	}
	handle = linx_handle_new(&sock_type, h);
	if (!handle) {
		sock_destroy(h);
		return linx_error_set(err, ENOMEM, "open", NULL);
	}
	*ret = linx_value_handle(handle);
	linx_handle_unref(handle);
	return 0;
}

static int v_close(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const struct linx_value *sv = argv_(call, 0);
	struct sock_handle *h = sv ? linx_handle_get(sv->handle, &sock_type)
				   : NULL;

	(void)ret;
	if (!h)
		return linx_error_param(err, "close", "sock",
					"sock: not an nft.socket handle");
	pthread_rwlock_wrlock(&h->lock);
	linx_nft_close(h->s);
	h->s = NULL;
	pthread_rwlock_unlock(&h->lock);
	return 0;
}

static int v_get_gen(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	struct linx_nft_gen g;
	struct ctx c;
	int r = ctx_open("get_gen", argv_(call, S_SOCK), argv_(call, S_NETNS),
			 &c, err);

	if (r < 0)
		return r;
	r = linx_nft_get_gen(c.s, &g, err);
	ctx_close(&c);
	if (r < 0)
		return r;
	*ret = linx_value_map();
	linx_map_put_uint(ret, "id", g.id);
	linx_map_put_uint(ret, "proc_pid", g.proc_pid);
	linx_map_put_cstring(ret, "proc_name", g.proc_name);
	return linx_value_status(ret) < 0 ? nomem(err, "get_gen") : 0;
}

static int v_validate(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	const char *mode = arg_s(call, 1);
	int r;

	(void)ret;
	if (mode && strcmp(mode, "reconcile") != 0 &&
	    strcmp(mode, "replace") != 0)
		return linx_error_param(err, "validate", "mode",
					"mode: replace or reconcile");
	r = linx_nft_validate(argv_(call, 0), err);
	/* What a reconcile push refuses before any system call: a chain
	 * of several rules with an untagged one (docs/nft/patch.md). */
	if (r >= 0 && mode && strcmp(mode, "reconcile") == 0)
		r = nft_reconcile_check(argv_(call, 0), err);
	return r;
}

enum {
	PULL_SOCK,
	PULL_NETNS,
	PULL_FAMILY,
	PULL_TABLE,
	PULL_SET,
	PULL_RESET,
	PULL_WITH_GEN
};

static int v_pull(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err)
{
	struct linx_nft_scope scope = {
		.family = arg_s(call, PULL_FAMILY),
		.table = arg_s(call, PULL_TABLE),
		.set = arg_s(call, PULL_SET),
	};
	const struct linx_value *rv = argv_(call, PULL_RESET);
	const struct linx_value *gv = argv_(call, PULL_WITH_GEN);
	bool reset = rv && rv->type == LINX_BOOL && rv->b;
	bool with_gen = gv && gv->type == LINX_BOOL && gv->b;
	struct linx_nft_gen gen;
	struct linx_value rs;
	struct ctx c;
	int r;

	if (scope.table && !scope.family)
		return linx_error_param(err, "pull", "family",
					"a table scope needs its family");
	r = ctx_open("pull", argv_(call, PULL_SOCK), argv_(call, PULL_NETNS),
		     &c, err);
	if (r < 0)
		return r;
	r = reset ? linx_nft_pull_reset(c.s, &scope, &rs, &gen, err)
		  : linx_nft_pull(c.s, &scope, &rs, &gen, err);
	ctx_close(&c);
	if (r < 0)
		return r;
	if (!with_gen) {
		*ret = rs;
		return 0;
	}
	/* {ruleset, genid}: the generation the ruleset was read at, for
	 * nft.apply's genid guard after an nft.diff */
	*ret = linx_value_map();
	linx_map_put(ret, "ruleset", &rs);
	linx_map_put_uint(ret, "genid", gen.id);
	return linx_value_status(ret) < 0 ? nomem(err, "pull") : 0;
}

enum { PUSH_SOCK, PUSH_NETNS, PUSH_RULESET, PUSH_MODE, PUSH_RETRIES };

static int v_push(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err)
{
	struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };
	const char *mode = arg_s(call, PUSH_MODE);
	const struct linx_value *rv = argv_(call, PUSH_RETRIES);
	uint64_t retries = 0;
	struct ctx c;
	int r;

	if (mode && strcmp(mode, "reconcile") == 0)
		o.mode = LINX_NFT_RECONCILE;
	else if (mode && strcmp(mode, "replace") != 0)
		return linx_error_param(err, "push", "mode",
					"mode: replace or reconcile");
	if (rv && (!linx_value_get_u64(rv, &retries) || retries > 100))
		return linx_error_param(err, "push", "retries",
					"retries: 0..100");
	o.retries = (unsigned)retries;
	if (!argv_(call, PUSH_SOCK) &&
	    (r = refuse_owner("push", argv_(call, PUSH_RULESET), err)) < 0)
		return r;
	r = ctx_open("push", argv_(call, PUSH_SOCK), argv_(call, PUSH_NETNS),
		     &c, err);
	if (r < 0)
		return r;
	r = linx_nft_push(c.s, argv_(call, PUSH_RULESET), &o, ret, err);
	ctx_close(&c);
	return r;
}

static int v_diff(const struct linx_call *call, struct linx_value *ret,
		  struct linx_error *err)
{
	return linx_nft_diff(argv_(call, 0), argv_(call, 1), ret, err);
}

enum { APPLY_SOCK, APPLY_NETNS, APPLY_PATCH, APPLY_GENID };

static int v_apply(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const struct linx_value *gv = argv_(call, APPLY_GENID);
	uint64_t gen = 0;
	uint32_t g32;
	struct ctx c;
	int r;

	(void)ret;
	if (gv && (!linx_value_get_u64(gv, &gen) || gen > UINT32_MAX))
		return linx_error_param(err, "apply", "genid",
					"genid: a 32-bit generation");
	g32 = (uint32_t)gen;
	r = ctx_open("apply", argv_(call, APPLY_SOCK), argv_(call, APPLY_NETNS),
		     &c, err);
	if (r < 0)
		return r;
	r = linx_nft_apply(c.s, argv_(call, APPLY_PATCH), gv ? &g32 : NULL,
			   err);
	ctx_close(&c);
	return r;
}

enum { CT_SOCK, CT_NETNS, CT_NAME, CT_FAMILY, CT_FLAGS };

static int v_create_table(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	const struct linx_value *flags = argv_(call, CT_FLAGS);
	const char *family = arg_s(call, CT_FAMILY);
	struct linx_value owner = linx_value_list();
	struct ctx c;
	int r;

	(void)ret;
	if (!flags && argv_(call, CT_SOCK)) {
		/* The spec's default: the table belongs to the socket. */
		linx_list_push_cstring(&owner, "owner");
		flags = &owner;
	} else if (!argv_(call, CT_SOCK) && has_owner(flags)) {
		linx_value_clear(&owner);
		return linx_error_param(err, "create_table", "flags",
					"owner tables need a socket that "
					"outlives the call (sock)");
	}
	r = ctx_open("create_table", argv_(call, CT_SOCK),
		     argv_(call, CT_NETNS), &c, err);
	if (r == 0) {
		r = linx_nft_create_table(c.s, family ? family : "inet",
					  arg_s(call, CT_NAME), flags, err);
		ctx_close(&c);
	}
	linx_value_clear(&owner);
	return r;
}

enum { DEL_SOCK, DEL_NETNS };

static int v_delete(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	struct linx_value what = linx_value_map();
	struct ctx c;
	int r;

	(void)ret;
	/* The identity fields, as one map for the typed API. */
	for (unsigned i = 2; i < call->verb->n_params; i++) {
		const struct linx_value *v = argv_(call, i);
		struct linx_value copy;

		if (!v)
			continue;
		linx_value_copy(&copy, v);
		linx_map_put(&what, call->verb->params[i].name, &copy);
	}
	if (linx_value_status(&what) < 0) {
		linx_value_clear(&what);
		return nomem(err, "delete");
	}
	r = ctx_open("delete", argv_(call, DEL_SOCK), argv_(call, DEL_NETNS),
		     &c, err);
	if (r == 0) {
		r = linx_nft_delete(c.s, &what, err);
		ctx_close(&c);
	}
	linx_value_clear(&what);
	return r;
}

enum { EL_SOCK, EL_NETNS, EL_FAMILY, EL_TABLE, EL_SET, EL_ELEMENTS };

static int elements(const struct linx_call *call, bool add,
		    struct linx_error *err)
{
	struct ctx c;
	int r = ctx_open(add ? "newsetelem" : "delsetelem",
			 argv_(call, EL_SOCK), argv_(call, EL_NETNS), &c, err);

	if (r < 0)
		return r;
	r = linx_nft_set_elements(c.s, add, arg_s(call, EL_FAMILY),
				  arg_s(call, EL_TABLE), arg_s(call, EL_SET),
				  argv_(call, EL_ELEMENTS), err);
	ctx_close(&c);
	return r;
}

static int v_set_add(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	(void)ret;
	return elements(call, true, err);
}

static int v_set_delete(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	(void)ret;
	return elements(call, false, err);
}

enum { RC_SOCK, RC_NETNS, RC_DESIRED, RC_LAST };

/* The ids of the desired tables: what the next pass may release. */
static void managed_tables(const struct linx_value *desired,
			   struct linx_value *ret)
{
	const struct linx_value *tl = linx_map_get(desired, "tables");
	struct linx_value ids = linx_value_list();

	for (uint32_t i = 0; tl && tl->type == LINX_LIST && i < tl->len; i++) {
		char buf[300];

		snprintf(buf, sizeof(buf), "%s/%s",
			 linx_map_get(&tl->items[i], "family")->str,
			 linx_map_get(&tl->items[i], "name")->str);
		linx_list_push_cstring(&ids, buf);
	}
	*ret = linx_value_map();
	linx_map_put(ret, "tables", &ids);
}

/*
 * One reconcile pass in the report shape of linx/reconcile.h.  The
 * ruleset is converged with a reconcile push (tags, generation guard);
 * last_applied lists the tables a pass managed, so a table that leaves
 * the desired state is deleted by the next pass - and one that was never
 * desired is never touched.  A push is all-or-nothing: a kernel refusal
 * is one failed entry and nothing is applied.
 */
static int v_reconcile(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	const struct linx_value *desired = argv_(call, RC_DESIRED);
	const struct linx_value *last = argv_(call, RC_LAST);
	const struct linx_value *release = NULL;
	struct linx_value rep = linx_value_nil(), la, applied, failed;
	struct linx_error perr = { 0 };
	struct ctx c;
	int r;

	if ((r = nft_validate(desired, NFT_CHECK_NO_EXPRS, err)) < 0)
		return r;
	if (last) {
		release = linx_map_get(last, "tables");
		if (last->type != LINX_MAP ||
		    (release && release->type != LINX_LIST))
			return linx_error_param(err, "reconcile",
						"last_applied",
						"last_applied: {\"tables\": "
						"[\"family/name\"]}");
	}
	if (!argv_(call, RC_SOCK) &&
	    (r = refuse_owner("reconcile", desired, err)) < 0)
		return r;
	r = ctx_open("reconcile", argv_(call, RC_SOCK), argv_(call, RC_NETNS),
		     &c, err);
	if (r < 0)
		return r;
	/* Expressions are checked as the pass encodes them (see
	 * nft_reconcile_checked); an invalid ruleset is still the verb's
	 * error, not a failed entry of the report. */
	r = nft_reconcile_pass(c.s, desired, release, 3, &rep, &perr);
	ctx_close(&c);
	if (r < 0 && r != -ERESTART && linx_nft_validate(desired, err) < 0) {
		linx_value_clear(&rep);
		return -err->code;
	}
	applied = linx_value_list();
	failed = linx_value_list();
	if (r == 0) {
		const struct linx_value *p = linx_map_get(&rep, "patch");
		const struct linx_value *ops = p ? linx_map_get(p, "ops") : NULL;

		if (ops)
			linx_value_copy(&applied, ops);
		managed_tables(desired, &la);
	} else {
		struct linx_value f = linx_value_map(), op = linx_value_map();
		struct linx_value ev = linx_reconcile_error_value(&perr);

		linx_map_put_cstring(&op, "op", "push");
		linx_map_put(&f, "op", &op);
		linx_map_put(&f, "error", &ev);
		linx_list_push(&failed, &f);
		if (last)
			linx_value_copy(&la, last);
		else
			la = linx_value_map();
	}
	*ret = linx_value_map();
	linx_map_put_bool(ret, "converged", r == 0);
	linx_map_put(ret, "applied", &applied);
	linx_map_put(ret, "failed", &failed);
	{
		struct linx_value pending = linx_value_list();

		linx_map_put(ret, "pending", &pending);
	}
	linx_map_put(ret, "last_applied", &la);
	if (r == 0)
		linx_map_put_uint(ret, "gen",
				  linx_map_get(&rep, "gen")->u);
	linx_value_clear(&rep);
	return linx_value_status(ret) < 0 ? nomem(err, "reconcile") : 0;
}

/* ---- the table -------------------------------------------------------------- */

#define TM_TARGET                                                            \
	(LINX_TM_NIL | LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING |         \
	 LINX_TM_MAP)
#define P_SOCK                                                               \
	{ "sock", LINX_TM_HANDLE, 0,                                         \
	  "an nft.socket from nft.open (else netns is used)" },              \
	{                                                                    \
		"netns", TM_TARGET, 0,                                       \
			"network namespace for a one-call socket: \"self\" " \
			"(default), a pid, a path, {pid} or {path}"          \
	}
#define P_REQ LINX_PARAM_REQUIRED
#define P_NUM (LINX_TM_INT | LINX_TM_UINT)

static const struct linx_param p_open[] = {
	{ "netns", TM_TARGET, 0,
	  "network namespace: \"self\" (default), a pid, a path, {pid} or "
	  "{path}" },
};
static const struct linx_param p_close[] = {
	{ "sock", LINX_TM_HANDLE, P_REQ, "the nft.socket to close" },
};
static const struct linx_param p_sock[] = { P_SOCK };
static const struct linx_param p_format[] = {
	{ "ruleset", LINX_TM_ANY, P_REQ, "a ruleset (docs/nft/schema.md)" },
	{ "netns", TM_TARGET, 0,
	  "the namespace the ruleset is from: interface indexes print as "
	  "its names (default: none, numbers)" },
};
static const struct linx_param p_validate[] = {
	{ "ruleset", LINX_TM_ANY, P_REQ, "a ruleset (docs/nft/schema.md)" },
	{ "mode", LINX_TM_NIL | LINX_TM_STRING, 0,
	  "replace (default) or reconcile: also require the tags a "
	  "reconcile push needs" },
};
static const struct linx_param p_pull[] = {
	[PULL_SOCK] = P_SOCK,
	[PULL_FAMILY] = { "family", LINX_TM_STRING, 0,
			  "only this family (ip, ip6, inet, arp, bridge, "
			  "netdev)" },
	[PULL_TABLE] = { "table", LINX_TM_STRING, 0,
			 "only this table (needs family); ENOENT if absent" },
	[PULL_SET] = { "set", LINX_TM_STRING, 0,
		       "only this set with its elements (needs table)" },
	[PULL_RESET] = { "reset", LINX_TM_BOOL, 0,
			 "zero the counters and quotas read (default false)" },
	[PULL_WITH_GEN] = { "with_gen", LINX_TM_BOOL, 0,
			    "return {ruleset, genid}: the generation read at, "
			    "for nft.apply's guard (default false)" },
};
static const struct linx_param p_push[] = {
	[PUSH_SOCK] = P_SOCK,
	[PUSH_RULESET] = { "ruleset", LINX_TM_ANY, P_REQ,
			   "a ruleset (docs/nft/schema.md)" },
	[PUSH_MODE] = { "mode", LINX_TM_STRING, 0,
			"replace (default) or reconcile" },
	[PUSH_RETRIES] = { "retries", P_NUM, LINX_PARAM_NONNEG,
			   "reconcile: generation races retried (default 3)" },
};
static const struct linx_param p_diff[] = {
	{ "from", LINX_TM_ANY, P_REQ, "the current ruleset (pulled)" },
	{ "to", LINX_TM_ANY, P_REQ, "the desired ruleset" },
};
static const struct linx_param p_apply[] = {
	[APPLY_SOCK] = P_SOCK,
	[APPLY_PATCH] = { "patch", LINX_TM_ANY, P_REQ,
			  "a patch from nft.diff" },
	[APPLY_GENID] = { "genid", P_NUM, LINX_PARAM_NONNEG,
			  "apply only if the ruleset is still at this "
			  "generation (else ERESTART)" },
};
static const struct linx_param p_create_table[] = {
	[CT_SOCK] = P_SOCK,
	[CT_NAME] = { "name", LINX_TM_STRING, P_REQ, "table name" },
	[CT_FAMILY] = { "family", LINX_TM_STRING, 0, "default inet" },
	[CT_FLAGS] = { "flags", LINX_TM_LIST, 0,
		       "owner, persist, dormant; default [owner] with sock, "
		       "[] without" },
};
static const struct linx_param p_delete[] = {
	[DEL_SOCK] = P_SOCK,
	{ "family", LINX_TM_STRING, P_REQ, "the table's family" },
	{ "table", LINX_TM_STRING, P_REQ, "the table (alone: delete it)" },
	{ "chain", LINX_TM_STRING, 0, "a chain (with handle: one rule)" },
	{ "handle", P_NUM, LINX_PARAM_NONNEG, "a rule's handle" },
	{ "set", LINX_TM_STRING, 0, "a set or map" },
	{ "object", LINX_TM_STRING, 0, "a stateful object (with kind)" },
	{ "kind", LINX_TM_STRING, 0, "the object's kind" },
	{ "flowtable", LINX_TM_STRING, 0, "a flowtable" },
};
static const struct linx_param p_elements[] = {
	[EL_SOCK] = P_SOCK,
	[EL_FAMILY] = { "family", LINX_TM_STRING, P_REQ, "the table's family" },
	[EL_TABLE] = { "table", LINX_TM_STRING, P_REQ, "the table" },
	[EL_SET] = { "set", LINX_TM_STRING, P_REQ, "the set or map" },
	[EL_ELEMENTS] = { "elements", LINX_TM_LIST, P_REQ,
			  "elements as in the schema" },
};

static const struct linx_param p_reconcile[] = {
	[RC_SOCK] = P_SOCK,
	[RC_DESIRED] = { "desired", LINX_TM_MAP, P_REQ,
			 "the desired ruleset (docs/nft/schema.md)" },
	[RC_LAST] = { "last_applied", LINX_TM_NIL | LINX_TM_MAP, 0,
		      "what the previous pass returned (default: none)" },
};

/* ---- the nftables language (lang-*.c) ------------------------------------ */

static int v_parse(const struct linx_call *call, struct linx_value *ret,
		   struct linx_error *err)
{
	const struct linx_value *text = argv_(call, 0);
	const struct linx_value *file = argv_(call, 1);
	const struct linx_value *values = argv_(call, 2);
	const struct linx_value *path = argv_(call, 3);
	const struct linx_value *refs = argv_(call, 4);
	struct linx_nft_parse_opts o = { 0 };
	struct linx_nft_parse_error pe;
	struct linx_ns_target ns;
	int r = linx_ns_target_from_value(argv_(call, 5), "netns", &ns, err);

	if (r < 0)
		return r;
	o.netns = &ns;
	o.check_refs = refs && refs->type == LINX_BOOL && refs->b;
	o.no_holes = argv_(call, 6) && argv_(call, 6)->type == LINX_BOOL &&
		     !argv_(call, 6)->b;

	if (path && path->type == LINX_STRING) {
		if (values && values->type == LINX_MAP)
			o.values = values;
		return linx_nft_parse_file(path->str, &o, ret, &pe, err);
	}
	if (!text || text->type != LINX_STRING)
		return linx_error_param(err, "parse", "text",
					"text or path is required");

	if (file && file->type == LINX_STRING)
		o.file = file->str;
	if (values && values->type == LINX_MAP)
		o.values = values;
	/* text only: a verb never reads files, so includes are refused
	 * (no root directory: linx_nft_parse() derives none from a name
	 * without a '/') */
	if (o.file && strchr(o.file, '/'))
		o.file = strrchr(o.file, '/') + 1;
	return linx_nft_parse(text->str, text->len, &o, ret, &pe, err);
}

static int v_format(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	struct linx_nft_format_opts o = { 0 };
	struct linx_ns_target ns;
	char *text = NULL;
	size_t len = 0;
	int r = 0;

	/* interface names from the namespace, when one is given */
	if (argv_(call, 1) && argv_(call, 1)->type != LINX_NIL) {
		r = linx_ns_target_from_value(argv_(call, 1), "netns", &ns, err);
		o.netns = &ns;
	}
	if (r < 0 || (r = linx_nft_format_with(argv_(call, 0), &o, &text, &len,
					       err)) < 0)
		return r;
	r = linx_value_string(ret, text, len);
	free(text);
	return r < 0 ? linx_error_set(err, -r, "format", "out of memory") : 0;
}

static int v_fill_holes(const struct linx_call *call, struct linx_value *ret,
			struct linx_error *err)
{
	return linx_nft_fill_holes(argv_(call, 0), argv_(call, 1), ret, err);
}

static const struct linx_param p_fill_holes[] = {
	{ "ruleset", LINX_TM_MAP, P_REQ, "a parsed ruleset with $holes" },
	{ "values", LINX_TM_MAP, P_REQ,
	  "name -> integer, string or bytes (docs/nft/lang.md)" },
};

static const struct linx_param p_parse[] = {
	{ "text", LINX_TM_NIL | LINX_TM_STRING, 0, "nftables text" },
	{ "file", LINX_TM_NIL | LINX_TM_STRING, 0,
	  "the name errors give (default nofile)" },
	{ "values", LINX_TM_NIL | LINX_TM_MAP, 0,
	  "values of $holes (name -> integer, string or bytes)" },
	{ "path", LINX_TM_NIL | LINX_TM_STRING, 0,
	  "read this file instead of text; includes relative to it, not "
	  "outside its directory" },
	{ "check_refs", LINX_TM_NIL | LINX_TM_BOOL, 0,
	  "refuse jumps, lookups and named objects whose chain, set or "
	  "object is not in the table (as nft -c)" },
	{ "netns", TM_TARGET, 0,
	  "where interface names (iif, oif) are looked up (default: here)" },
	{ "holes", LINX_TM_NIL | LINX_TM_BOOL, 0,
	  "false: an undefined $name is an error, as in nft, not a hole "
	  "(default true)" },
};

static const struct linx_verb verbs[] = {
	{
		.name = "nft.supported",
		.summary = "Whether nf_tables' netlink socket can be opened "
			   "here (no privilege check)",
		.fn = v_supported,
		.result_doc = "bool",
	},
	{
		.name = "nft.open",
		.summary = "Open an nf_tables socket pinned to a network "
			   "namespace (owner of its owner tables)",
		LINX_PARAMS(p_open),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_open,
		.result_doc = "nft.socket handle",
	},
	{
		.name = "nft.close",
		.summary = "Close an nft.socket (its owner tables go with it)",
		LINX_PARAMS(p_close),
		.fn = v_close,
		.result_doc = "nil",
	},
	{
		.name = "nft.get_gen",
		.summary = "The ruleset generation",
		LINX_PARAMS(p_sock),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_get_gen,
		.result_doc = "{id, proc_pid, proc_name}",
	},
	{
		.name = "nft.validate",
		.summary = "Check a ruleset value without the kernel",
		LINX_PARAMS(p_validate),
		.fn = v_validate,
		.result_doc = "nil",
	},
	{
		.name = "nft.parse",
		.summary = "nftables text to a ruleset value (docs/nft/lang.md)",
		LINX_PARAMS(p_parse),
		.fn = v_parse,
		.result_doc = "ruleset",
	},
	{
		.name = "nft.format",
		.summary = "A ruleset value as canonical nftables text",
		LINX_PARAMS(p_format),
		.fn = v_format,
		.result_doc = "string",
	},
	{
		.name = "nft.fill_holes",
		.summary = "Fill the $holes of a parsed ruleset with typed "
			   "values",
		LINX_PARAMS(p_fill_holes),
		.fn = v_fill_holes,
		.result_doc = "ruleset",
	},
	{
		.name = "nft.pull",
		.summary = "Read the ruleset (or a table, or a set) as a value",
		LINX_PARAMS(p_pull),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_pull,
		.result_doc = "{tables: [...]} or a set with its elements; "
			      "with_gen: {ruleset, genid}",
	},
	{
		.name = "nft.push",
		.summary = "Apply a ruleset in one atomic batch (replace the "
			   "named tables, or reconcile them)",
		LINX_PARAMS(p_push),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_push,
		.result_doc = "{mode, messages, attempts, gen?, patch?}",
	},
	{
		.name = "nft.diff",
		.summary = "The patch turning one ruleset into another",
		LINX_PARAMS(p_diff),
		.fn = v_diff,
		.result_doc = "{ops: [...]}",
	},
	{
		.name = "nft.apply",
		.summary = "Apply a patch in one batch, optionally guarded by "
			   "a generation",
		LINX_PARAMS(p_apply),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_apply,
		.result_doc = "nil",
	},
	{
		.name = "nft.create_table",
		.summary = "Create an empty table (owned by sock by default)",
		LINX_PARAMS(p_create_table),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_create_table,
		.result_doc = "nil",
	},
	{
		.name = "nft.delete",
		.summary = "Delete a table, chain, rule, set, object or "
			   "flowtable",
		LINX_PARAMS(p_delete),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_delete,
		.result_doc = "nil",
	},
	{
		.name = "nft.set.add",
		.summary = "Add elements to a set or map",
		LINX_PARAMS(p_elements),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_set_add,
		.result_doc = "nil",
	},
	{
		.name = "nft.set.delete",
		.summary = "Delete elements from a set or map",
		LINX_PARAMS(p_elements),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_set_delete,
		.result_doc = "nil",
	},
	{
		.name = "nft.reconcile",
		.summary = "Converge the desired tables: one reconcile push "
			   "(tags, generation guard)",
		LINX_PARAMS(p_reconcile),
		.flags = LINX_VERB_BLOCKING,
		.fn = v_reconcile,
		.result_doc = "{converged, applied, failed, pending, "
			      "last_applied, gen}",
	},
	NFT_LISTEN_VERBS,
};

LINX_PLUGIN_DEFINE(nft, "0.1.0",
		   "nf_tables: rulesets as values, push, pull, diff, monitor, "
		   "NFLOG",
		   NULL, NULL, verbs);
