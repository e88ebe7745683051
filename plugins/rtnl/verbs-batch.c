/* SPDX-License-Identifier: MIT */
/*
 * The rtnl verbs on rtnl.batch (see verbs.c and docs/rtnl/README.md).
 */
#include "verbs.h"

/* ---- batch ---------------------------------------------------------------- */

extern const struct linx_verb rtnl_verbs[];
extern const size_t rtnl_verbs_n;

/* The verb an op is checked against.  A batch is mostly one op over and
 * over (100,000 route.add), so the last one found is kept: the lookup then
 * costs one strcmp instead of a scan of the verb table per op.  With it
 * the schema an op map is validated against (linx_verb_validate()):
 * "op", then the verb's parameters but sock and netns, which belong to
 * the batch itself. */
struct op_cache {
	const char *op; /* borrowed from the previous op's value */
	const struct linx_verb *verb;
	struct linx_verb schema;
	struct linx_param params[LINX_MAX_PARAMS];
};

static void op_schema(struct op_cache *c, const struct linx_verb *v)
{
	uint32_t n = 0;

	c->params[n++] = (struct linx_param){ "op", LINX_TM_STRING,
					      LINX_PARAM_REQUIRED, "the op" };
	for (uint32_t j = 0; j < v->n_params && n < LINX_MAX_PARAMS; j++)
		if (strcmp(v->params[j].name, "sock") &&
		    strcmp(v->params[j].name, "netns"))
			c->params[n++] = v->params[j];
	c->schema = (struct linx_verb){ .name = v->name, .params = c->params,
					.n_params = n };
}

static const struct linx_verb *find_op(struct op_cache *c, const char *op)
{
	if (c->op && strcmp(c->op, op) == 0)
		return c->verb;
	c->op = NULL;
	c->verb = NULL;
	for (size_t i = 0; i < rtnl_verbs_n; i++)
		/* every name is "rtnl." + the op */
		if (strcmp(rtnl_verbs[i].name + 5, op) == 0) {
			c->op = op;
			c->verb = &rtnl_verbs[i];
		}
	if (c->verb)
		op_schema(c, c->verb);
	return c->verb;
}

/* Check an op map's keys and types against the schema of the verb of the
 * same name (rtnl.<op>), as a single call of that verb would be. */
static int check_op(struct op_cache *cache, const struct linx_value *map,
		    const char *op, size_t index, struct linx_error *err)
{
	const struct linx_value *slots[LINX_MAX_PARAMS];
	struct linx_error e;

	if (!find_op(cache, op))
		return linx_error_param(err, "batch", "ops",
					"ops[%zu]: unknown op \"%.40s\"", index,
					op);
	if (linx_verb_validate(&cache->schema, map, slots, &e) < 0)
		return linx_error_param(err, "batch", "ops", "ops[%zu]: %s",
					index, e.message);
	return 0;
}

static int batch_add(struct linx_rtnl_batch *b, struct op_cache *cache,
		     const struct linx_value *map, size_t index,
		     struct linx_error *err)
{
	const struct linx_value *opv = linx_map_get(map, "op");
	struct args a = { .map = map };
	const char *op;
	int r;

	if (map->type != LINX_MAP || !opv || opv->type != LINX_STRING)
		return linx_error_param(err, "batch", "ops",
					"ops[%zu]: a map with a string \"op\"",
					index);
	op = opv->str;
	a.op = op;
	r = check_op(cache, map, op, index, err);
	if (r < 0)
		return r;
	if (!strncmp(op, "route.", 6)) {
		struct linx_rtnl_route_spec spec;
		bool def = strstr(op, "_default") != NULL;
		unsigned code = !strncmp(op, "route.add", 9)
					? LINX_RTNL_OP_ROUTE_ADD
				: !strcmp(op, "route.replace")
					? LINX_RTNL_OP_ROUTE_REPLACE
					: LINX_RTNL_OP_ROUTE_DELETE;

		r = parse_route(&a, def, &spec, err);
		if (r >= 0)
			r = linx_rtnl_batch_route(b, code, &spec, err);
	} else if (!strncmp(op, "address.", 8)) {
		struct linx_rtnl_addr_spec spec;

		r = parse_addr(&a, &spec, err);
		if (r >= 0)
			r = linx_rtnl_batch_addr(b,
						 !strcmp(op, "address.add")
							 ? LINX_RTNL_OP_ADDR_ADD
							 : LINX_RTNL_OP_ADDR_DELETE,
						 &spec, err);
	} else if (!strncmp(op, "neighbour.", 10)) {
		bool add = !strcmp(op, "neighbour.add");
		struct linx_rtnl_lladdr mac = { 0 };
		struct linx_rtnl_ip ip;

		r = arg_ip(&a, "ip", true, &ip, err);
		if (r >= 0 && add &&
		    linx_rtnl_lladdr_parse(arg_str(&a, "mac"), &mac, err) < 0)
			r = -EINVAL;
		if (r >= 0)
			r = linx_rtnl_batch_neigh(b,
						  add ? LINX_RTNL_OP_NEIGH_ADD
						      : LINX_RTNL_OP_NEIGH_DELETE,
						  arg_str(&a, "dev"), &ip, &mac,
						  err);
	} else if (!strncmp(op, "rule.", 5)) {
		struct linx_rtnl_rule_spec spec;

		r = parse_rule(&a, &spec, err);
		if (r >= 0)
			r = linx_rtnl_batch_rule(b,
						 !strcmp(op, "rule.add")
							 ? LINX_RTNL_OP_RULE_ADD
							 : LINX_RTNL_OP_RULE_DELETE,
						 &spec, err);
	} else if (!strcmp(op, "link.delete") || !strcmp(op, "link.set_up") ||
		   !strcmp(op, "link.set_down") || !strcmp(op, "link.set_mtu")) {
		uint32_t mtu = 0;
		bool has;
		unsigned code = !strcmp(op, "link.delete")
					? LINX_RTNL_OP_LINK_DELETE
				: !strcmp(op, "link.set_up")
					? LINX_RTNL_OP_LINK_SET_UP
				: !strcmp(op, "link.set_down")
					? LINX_RTNL_OP_LINK_SET_DOWN
					: LINX_RTNL_OP_LINK_SET_MTU;

		r = arg_u32(&a, "mtu", UINT32_MAX, &has, &mtu, err);
		if (r >= 0)
			r = linx_rtnl_batch_link(b, code, arg_str(&a, "name"),
						 mtu, err);
	} else {
		r = linx_error_param(err, "batch", "ops",
				     "ops[%zu]: \"%.40s\" cannot be batched",
				     index, op);
	}
	if (r < 0 && err && !strstr(err->message, "ops["))
		linx_error_prefix(err, "ops[%zu] (%s)", index, op);
	return r;
}

int v_batch(const struct linx_call *call, struct linx_value *ret,
	    struct linx_error *err)
{
	struct args a = ARGS(call, "batch");
	const struct linx_value *ops = arg(&a, "ops");
	struct linx_value errors = linx_value_list();
	struct linx_rtnl_batch *b = NULL;
	struct op_cache cache = { 0 };
	struct linx_error e;
	size_t nfail;
	struct ctx c;
	int r;

	r = ctx_open(&a, &c, err);
	if (r < 0)
		return r;
	r = linx_rtnl_batch_new(c.s, &b, err);
	for (uint32_t i = 0; r >= 0 && ops && i < ops->len; i++)
		r = batch_add(b, &cache, &ops->items[i], i, err);
	if (r >= 0) {
		r = linx_rtnl_batch_run(b, &e);
		/* Per-op failures are results; only a transport failure
		 * fails the verb. */
		if (r < 0 && linx_rtnl_batch_failures(b) == 0) {
			if (err)
				*err = e;
		} else {
			r = 0;
		}
	}
	ctx_close(&c);
	if (r < 0) {
		linx_rtnl_batch_free(b);
		return r;
	}
	nfail = linx_rtnl_batch_failures(b);
	for (size_t k = 0; k < nfail; k++) {
		struct linx_value m = linx_value_map();
		size_t index;

		linx_rtnl_batch_failure(b, k, &index, &e);
		linx_map_put_uint(&m, "index", index);
		linx_map_put_cstring(&m, "op", e.op);
		linx_map_put_cstring(&m, "errno", linx_errno_name(e.code));
		linx_map_put_int(&m, "code", e.code);
		linx_map_put_cstring(&m, "message", e.message);
		if (e.extack[0])
			linx_map_put_cstring(&m, "extack", e.extack);
		linx_list_push(&errors, &m);
	}
	*ret = linx_value_map();
	linx_map_put_uint(ret, "count", linx_rtnl_batch_size(b));
	linx_map_put_uint(ret, "failed", nfail);
	linx_map_put(ret, "errors", &errors);
	linx_rtnl_batch_free(b);
	r = linx_value_status(ret);
	return r < 0 ? nomem(err, a.op, r) : 0;
}
