/* SPDX-License-Identifier: MIT */
/*
 * Verb validation and dispatch (core/verb.c) and the registry under
 * concurrency (core/registry.c), with a plugin defined in this file and
 * registered statically.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linx-test.h"

/* ---- the test plugin ---------------------------------------------------- */

enum {
	P_NAME,	  /* string, required */
	P_COUNT,  /* int */
	P_SIZE,	  /* uint */
	P_NONNEG, /* int|uint, >= 0 */
	P_IDS,	  /* list of integers */
	P_BLOB,	  /* bytes */
	P_TEXT,	  /* string */
	P_MAYBE,  /* int or nil: nil is a value here */
	P_ANY,	  /* anything */
	P_SIGNED, /* int, >= 0 */
	P_COUNT_PARAMS
};

static const struct linx_param echo_params[] = {
	[P_NAME] = { "name", LINX_TM_STRING, LINX_PARAM_REQUIRED, "a name" },
	[P_COUNT] = { "count", LINX_TM_INT, 0, "a signed count" },
	[P_SIZE] = { "size", LINX_TM_UINT, 0, "an unsigned size" },
	[P_NONNEG] = { "nonneg", LINX_TM_INT | LINX_TM_UINT, LINX_PARAM_NONNEG,
		       "any integer >= 0" },
	[P_IDS] = { "ids", LINX_TM_LIST, LINX_PARAM_INT_LIST, "integers" },
	[P_BLOB] = { "blob", LINX_TM_BYTES, 0, "raw bytes" },
	[P_TEXT] = { "text", LINX_TM_STRING, 0, "text" },
	[P_MAYBE] = { "maybe", LINX_TM_INT | LINX_TM_NIL, 0, "int or nil" },
	[P_ANY] = { "any", LINX_TM_ANY, 0, "anything" },
	[P_SIGNED] = { "signed_nonneg", LINX_TM_INT, LINX_PARAM_NONNEG,
		       "int >= 0" },
};

/* Returns {param name: type name} for every argument it was given. */
static int echo(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	(void)err;
	*ret = linx_value_map();
	for (unsigned i = 0; i < call->verb->n_params; i++) {
		const struct linx_value *a = linx_call_arg(call, i);

		if (a)
			linx_map_put_cstring(ret, call->verb->params[i].name,
					     linx_type_name(a->type));
	}
	return 0;
}

static const struct linx_param add_params[] = {
	{ "a", LINX_TM_INT, LINX_PARAM_REQUIRED, "first" },
	{ "b", LINX_TM_INT, LINX_PARAM_REQUIRED, "second" },
	{ "c", LINX_TM_INT, 0, "third" },
};

static int add(const struct linx_call *call, struct linx_value *ret,
	       struct linx_error *err)
{
	int64_t a = 0, b = 0, c = 0;

	(void)err;
	linx_value_get_i64(linx_call_arg(call, 0), &a);
	linx_value_get_i64(linx_call_arg(call, 1), &b);
	linx_value_get_i64(linx_call_arg(call, 2), &c);
	*ret = linx_value_int(a + b + c);
	return 7; /* positive: still success */
}

static int in_child(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(true);
	return 0;
}

/* Fails without saying why, after leaving a partial result behind. */
static int silent_fail(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_list();
	linx_list_push_cstring(ret, "partial");
	return -ENOTSUP;
}

/* Builds a result in which one put failed. */
static int poisoned(const struct linx_call *call, struct linx_value *ret,
		    struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_map();
	linx_map_put_int(ret, "ok", 1);
	linx_map_put_cstring(ret, "bad", "\xc0\xaf");
	return 0;
}

/* A verb can rely on having an error struct to fill. */
static int needs_err(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	(void)call;
	(void)ret;
	if (!err)
		return -EFAULT;
	err->code = EXDEV;
	snprintf(err->message, sizeof(err->message), "filled directly");
	return -EXDEV;
}

static const struct linx_verb schema_verbs[] = {
	{ .name = "schema.echo", .summary = "Echo argument types",
	  .params = echo_params, .n_params = P_COUNT_PARAMS, .fn = echo },
	{ .name = "schema.add", .summary = "Add", .params = add_params,
	  .n_params = 3, .fn = add },
	{ .name = "schema.child.only", .summary = "Runs in a parked child",
	  .flags = LINX_VERB_CHILD, .fn = in_child },
	{ .name = "schema.silent_fail", .summary = "Fails without an error",
	  .fn = silent_fail },
	{ .name = "schema.poisoned", .summary = "Returns a poisoned result",
	  .fn = poisoned },
	{ .name = "schema.needs_err", .summary = "Fills err by hand",
	  .fn = needs_err },
};

LINX_PLUGIN_DEFINE(schema, "1.0.0", "schema validation tests", NULL, NULL,
		   schema_verbs);

/* A verb with one parameter too many. */
static const struct linx_param many_params[LINX_MAX_PARAMS + 1] = {
#define P(n) { "p" #n, LINX_TM_INT, 0, "p" }
	P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8),
	P(9), P(10), P(11), P(12), P(13), P(14), P(15), P(16),
#undef P
};

static const struct linx_verb toomany_verbs[] = {
	{ .name = "toomany.verb", .summary = "17 parameters",
	  .params = many_params, .n_params = LINX_MAX_PARAMS + 1, .fn = echo },
};

LINX_PLUGIN_DEFINE(toomany, "1.0.0", "too many parameters", NULL, NULL,
		   toomany_verbs);

/* Exactly LINX_MAX_PARAMS is fine. */
static const struct linx_verb maxparams_verbs[] = {
	{ .name = "maxparams.verb", .summary = "16 parameters",
	  .params = many_params, .n_params = LINX_MAX_PARAMS, .fn = echo },
};

LINX_PLUGIN_DEFINE(maxparams, "1.0.0", "the most parameters", NULL, NULL,
		   maxparams_verbs);

static struct linx_registry *registry(void)
{
	static const struct linx_plugin *const plugins[] = {
		&linx_plugin_schema,
	};

	return linx_test_registry(plugins, 1);
}

/* Call schema.echo with `args`; expect a validation error naming `param`. */
static void expect_invalid(struct linx_registry *reg, const char *verb,
			   struct linx_value *args, const char *param,
			   const char *msg_part)
{
	struct linx_value res = linx_value_int(3);
	struct linx_error err;
	int r = linx_call(reg, verb, args, &res, 0, &err);

	ck_assert_msg(r == -EINVAL, "expected -EINVAL for %s, got %d (%s)",
		      param, r, err.message);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, param);
	ck_assert_str_eq(err.object, verb);
	/* "args" is the argument map itself, not a parameter to name */
	if (strcmp(param, "args") != 0)
		ck_assert_msg(strstr(err.message, param),
			      "message does not name %s: %s", param,
			      err.message);
	if (msg_part)
		ck_assert_msg(strstr(err.message, msg_part),
			      "expected \"%s\" in \"%s\"", msg_part,
			      err.message);
	ck_assert_int_eq(res.type, LINX_NIL);
	linx_value_clear(args);
}

static struct linx_value echo_ok(struct linx_registry *reg,
				 struct linx_value *args)
{
	struct linx_value res;
	struct linx_error err;

	linx_assert_ok(linx_call(reg, "schema.echo", args, &res, 0, &err),
		       &err);
	linx_value_clear(args);
	return res;
}

static struct linx_value named(void)
{
	struct linx_value a = linx_value_map();

	ck_assert_int_eq(linx_map_put_cstring(&a, "name", "n"), 0);
	return a;
}

/* ---- validation --------------------------------------------------------- */

START_TEST(valid_call)
{
	struct linx_registry *reg = registry();
	struct linx_value a = named(), res, list = linx_value_list();

	linx_map_put_int(&a, "count", -3);
	linx_map_put_uint(&a, "size", 3);
	linx_map_put_uint(&a, "nonneg", UINT64_MAX);
	linx_list_push_int(&list, -1);
	linx_list_push_uint(&list, UINT64_MAX);
	linx_map_put(&a, "ids", &list);
	linx_map_put_bytes(&a, "blob", "\0\xff", 2);
	linx_map_put_cstring(&a, "text", "t");
	linx_map_put_nil(&a, "maybe");
	linx_map_put_bool(&a, "any", true);
	linx_map_put_int(&a, "signed_nonneg", 0);
	res = echo_ok(reg, &a);
	ck_assert_int_eq(res.len, P_COUNT_PARAMS);
	ck_assert_str_eq(linx_map_get(&res, "maybe")->str, "nil");
	ck_assert_str_eq(linx_map_get(&res, "nonneg")->str, "uint");
	linx_value_clear(&res);

	/* an int parameter takes a uint that fits, and vice versa */
	a = named();
	linx_map_put_uint(&a, "count", (uint64_t)INT64_MAX);
	linx_map_put_int(&a, "size", INT64_MAX);
	linx_map_put_int(&a, "nonneg", 0);
	/* a string is fine where bytes are expected */
	linx_map_put_cstring(&a, "blob", "text as bytes");
	res = echo_ok(reg, &a);
	ck_assert_str_eq(linx_map_get(&res, "count")->str, "uint");
	ck_assert_str_eq(linx_map_get(&res, "blob")->str, "string");
	linx_value_clear(&res);

	/* an empty int list */
	a = named();
	list = linx_value_list();
	linx_map_put(&a, "ids", &list);
	res = echo_ok(reg, &a);
	linx_value_clear(&res);
	linx_registry_free(reg);
}
END_TEST

START_TEST(missing_unknown_mistyped)
{
	struct linx_registry *reg = registry();
	struct linx_value a;

	a = linx_value_map();
	expect_invalid(reg, "schema.echo", &a, "name",
		       "missing required parameter");
	expect_invalid(reg, "schema.echo", NULL, "name", "missing required");
	a = linx_value_nil();
	expect_invalid(reg, "schema.echo", &a, "name", "missing required");
	/* nil for a required parameter that does not take nil: missing */
	a = linx_value_map();
	linx_map_put_nil(&a, "name");
	expect_invalid(reg, "schema.echo", &a, "name", "missing required");

	a = named();
	linx_map_put_int(&a, "colour", 1);
	expect_invalid(reg, "schema.echo", &a, "colour", "unknown parameter");
	a = named();
	linx_map_put_int(&a, "Name", 1); /* names are case-sensitive */
	expect_invalid(reg, "schema.echo", &a, "Name", "expected one of: name");

	a = named();
	linx_map_put_cstring(&a, "count", "12");
	expect_invalid(reg, "schema.echo", &a, "count",
		       "expected int, got string");
	a = linx_value_map();
	linx_map_put_int(&a, "name", 1);
	expect_invalid(reg, "schema.echo", &a, "name",
		       "expected string, got int");
	a = named();
	linx_map_put_bool(&a, "ids", true);
	expect_invalid(reg, "schema.echo", &a, "ids", "expected list");
	a = named();
	linx_map_put_int(&a, "blob", 1);
	expect_invalid(reg, "schema.echo", &a, "blob", "expected bytes");
	a = named();
	linx_map_put_cstring(&a, "maybe", "x");
	expect_invalid(reg, "schema.echo", &a, "maybe", "expected nil|int");
	linx_registry_free(reg);
}
END_TEST

START_TEST(optional_nil_is_absent)
{
	struct linx_registry *reg = registry();
	struct linx_value a = named(), res;

	linx_map_put_nil(&a, "count");
	linx_map_put_nil(&a, "ids");
	linx_map_put_nil(&a, "text");
	res = echo_ok(reg, &a);
	ck_assert_int_eq(res.len, 1); /* only name */
	ck_assert_ptr_null(linx_map_get(&res, "count"));
	linx_value_clear(&res);
	linx_registry_free(reg);
}
END_TEST

START_TEST(integer_ranges)
{
	struct linx_registry *reg = registry();
	struct linx_value a, list;

	a = named();
	linx_map_put_int(&a, "size", -1);
	expect_invalid(reg, "schema.echo", &a, "size", "must not be negative");
	a = named();
	linx_map_put_int(&a, "size", INT64_MIN);
	expect_invalid(reg, "schema.echo", &a, "size", "negative");
	a = named();
	linx_map_put_uint(&a, "count", (uint64_t)INT64_MAX + 1);
	expect_invalid(reg, "schema.echo", &a, "count", "out of range");
	a = named();
	linx_map_put_uint(&a, "count", UINT64_MAX);
	expect_invalid(reg, "schema.echo", &a, "count", "out of range");
	a = named();
	linx_map_put_int(&a, "nonneg", -1);
	expect_invalid(reg, "schema.echo", &a, "nonneg", "negative");
	a = named();
	linx_map_put_int(&a, "signed_nonneg", -5);
	expect_invalid(reg, "schema.echo", &a, "signed_nonneg", "negative");
	a = named();
	linx_map_put_uint(&a, "signed_nonneg", UINT64_MAX);
	expect_invalid(reg, "schema.echo", &a, "signed_nonneg",
		       "out of range");

	/* INT_LIST: every element an integer */
	a = named();
	list = linx_value_list();
	linx_list_push_int(&list, 1);
	linx_list_push_cstring(&list, "2");
	linx_map_put(&a, "ids", &list);
	expect_invalid(reg, "schema.echo", &a, "ids",
		       "element 1 is a string");
	a = named();
	list = linx_value_list();
	linx_list_push_int(&list, 1);
	linx_map_put(&a, "ids", &list);
	list = linx_value_nil();
	ck_assert_int_eq(linx_list_push(
				 (struct linx_value *)linx_map_get(&a, "ids"),
				 &list),
			 0);
	expect_invalid(reg, "schema.echo", &a, "ids", "element 1 is a nil");
	linx_registry_free(reg);
}
END_TEST

START_TEST(bytes_are_not_strings)
{
	struct linx_registry *reg = registry();
	struct linx_value a = named();

	linx_map_put_bytes(&a, "text", "ab", 2);
	expect_invalid(reg, "schema.echo", &a, "text",
		       "expected string, got bytes");
	a = linx_value_map();
	linx_map_put_bytes(&a, "name", "\xff", 1);
	expect_invalid(reg, "schema.echo", &a, "name", "not valid UTF-8");
	linx_registry_free(reg);
}
END_TEST

START_TEST(args_not_a_map)
{
	struct linx_registry *reg = registry();
	struct linx_value a = linx_value_list();

	linx_list_push_cstring(&a, "name");
	expect_invalid(reg, "schema.echo", &a, "args",
		       "arguments must be a map, got list");
	a = linx_value_int(1);
	expect_invalid(reg, "schema.add", &a, "args", "got int");
	ck_assert_int_eq(linx_value_cstring(&a, "a=1"), 0);
	expect_invalid(reg, "schema.add", &a, "args", "got string");
	linx_registry_free(reg);
}
END_TEST

/* Arguments whose building failed are not silently used short. */
START_TEST(poisoned_args_refused)
{
	struct linx_registry *reg = registry();
	struct linx_value a = named(), res;
	struct linx_error err;

	ck_assert_int_eq(linx_map_put_cstring(&a, "text", "\xff"), -EINVAL);
	ck_assert_int_eq(linx_call(reg, "schema.echo", &a, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, "args");
	ck_assert_int_eq(res.type, LINX_NIL);
	linx_value_clear(&a);
	a = named();
	a.flags |= LINX_VALUE_F_POISON_NOMEM;
	ck_assert_int_eq(linx_call(reg, "schema.echo", &a, &res, 0, &err),
			 -ENOMEM);
	ck_assert_str_eq(err.op, "validate");
	linx_value_clear(&a);
	a = named();
	a.flags |= LINX_VALUE_F_POISON_DEEP;
	ck_assert_int_eq(linx_call(reg, "schema.echo", &a, &res, 0, &err),
			 -ELOOP);
	ck_assert_str_eq(err.op, "validate");
	linx_value_clear(&a);
	linx_registry_free(reg);
}
END_TEST

/* ---- dispatch ----------------------------------------------------------- */

START_TEST(positive_return_is_success)
{
	struct linx_registry *reg = registry();
	struct linx_value a = linx_value_map(), res;
	struct linx_error err;

	linx_map_put_int(&a, "a", 40);
	linx_map_put_uint(&a, "b", 2);
	ck_assert_int_eq(linx_call(reg, "schema.add", &a, &res, 0, &err), 0);
	ck_assert_int_eq(res.i, 42);
	linx_value_clear(&a);
	linx_registry_free(reg);
}
END_TEST

START_TEST(child_verbs)
{
	struct linx_registry *reg = registry();
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_call(reg, "schema.child.only", NULL, &res, 0,
				   &err),
			 -EPERM);
	ck_assert_str_eq(err.op, "call");
	ck_assert_str_eq(err.object, "schema.child.only");
	ck_assert_msg(strstr(err.message, "parked"), "%s", err.message);
	ck_assert_int_eq(res.type, LINX_NIL);
	linx_assert_ok(linx_call(reg, "schema.child.only", NULL, &res,
				 LINX_CALL_IN_CHILD, &err),
		       &err);
	ck_assert(res.b);
	linx_registry_free(reg);
}
END_TEST

START_TEST(verb_fails_silently)
{
	struct linx_registry *reg = registry();
	struct linx_value res;
	struct linx_error err;

	linx_error_set(&err, EEXIST, "stale", "an older error");
	ck_assert_int_eq(linx_call(reg, "schema.silent_fail", NULL, &res, 0,
				   &err),
			 -ENOTSUP);
	ck_assert_int_eq(err.code, ENOTSUP);
	ck_assert_str_eq(err.op, "schema.silent_fail");
	ck_assert_str_eq(err.message, strerrordesc_np(ENOTSUP));
	ck_assert_int_eq(res.type, LINX_NIL); /* partial result freed */
	/* without an error struct */
	ck_assert_int_eq(linx_call(reg, "schema.silent_fail", NULL, &res, 0,
				   NULL),
			 -ENOTSUP);
	linx_registry_free(reg);
}
END_TEST

START_TEST(verb_poisoned_result)
{
	struct linx_registry *reg = registry();
	const struct linx_verb *verb;
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_call(reg, "schema.poisoned", NULL, &res, 0, &err),
			 -EINVAL);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_str_eq(err.op, "schema.poisoned");
	ck_assert_msg(strstr(err.message, "could not build its result"), "%s",
		      err.message);
	ck_assert_int_eq(res.type, LINX_NIL);

	/* Unchecked, the caller gets the marked result and checks it with the
	 * same function, to the same error. */
	linx_assert_ok(linx_call(reg, "schema.poisoned", NULL, &res,
				 LINX_CALL_RESULT_UNCHECKED, &err),
		       &err);
	ck_assert(res.flags & LINX_VALUE_F_POISON);
	linx_assert_ok(linx_registry_find(reg, "schema.poisoned", &verb, &err),
		       &err);
	ck_assert_int_eq(linx_call_check_result(verb, &res, &err), -EINVAL);
	ck_assert_str_eq(err.op, "schema.poisoned");
	ck_assert_msg(strstr(err.message, "could not build its result"), "%s",
		      err.message);
	ck_assert_int_eq(res.type, LINX_NIL);
	/* a complete result passes */
	res = linx_value_int(1);
	ck_assert_int_eq(linx_call_check_result(verb, &res, &err), 0);
	ck_assert_int_eq(linx_call_check_result(NULL, &res, &err), -EINVAL);
	linx_registry_free(reg);
}
END_TEST

/* Verbs always get an error struct, even when the caller passed none. */
START_TEST(verb_gets_err)
{
	struct linx_registry *reg = registry();
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_call(reg, "schema.needs_err", NULL, &res, 0,
				   NULL),
			 -EXDEV);
	ck_assert_int_eq(linx_call(reg, "schema.needs_err", NULL, &res, 0,
				   &err),
			 -EXDEV);
	ck_assert_str_eq(err.message, "filled directly");
	linx_registry_free(reg);
}
END_TEST

/* A successful call leaves the caller's error struct as it was. */
START_TEST(success_leaves_err_alone)
{
	struct linx_registry *reg = registry();
	struct linx_value a = named(), res;
	struct linx_error err, before;

	linx_error_set(&err, ENOENT, "earlier", "kept");
	before = err;
	linx_assert_ok(linx_call(reg, "schema.echo", &a, &res, 0, &err), &err);
	ck_assert_mem_eq(&err, &before, sizeof(err));
	linx_value_clear(&res);
	linx_value_clear(&a);
	linx_registry_free(reg);
}
END_TEST

START_TEST(call_arguments)
{
	struct linx_registry *reg = registry();
	struct linx_value res = linx_value_int(1);
	struct linx_error err;
	const struct linx_verb *v;

	ck_assert_int_eq(linx_call(reg, "schema.add", NULL, NULL, 0, &err),
			 -EINVAL);
	ck_assert_int_eq(linx_call(NULL, "schema.add", NULL, &res, 0, &err),
			 -EINVAL);
	ck_assert_int_eq(res.type, LINX_NIL);
	ck_assert_int_eq(linx_call(reg, "schema", NULL, &res, 0, &err),
			 -ENOENT);
	ck_assert_int_eq(linx_call(reg, "schema.", NULL, &res, 0, &err),
			 -ENOENT);
	ck_assert_int_eq(linx_call(reg, ".add", NULL, &res, 0, &err), -ENOENT);
	ck_assert_int_eq(linx_call_verb(NULL, NULL, &res, 0, &err), -EINVAL);
	ck_assert_int_eq(linx_registry_find(reg, "schema.add", NULL, &err),
			 -EINVAL);
	linx_assert_ok(linx_registry_find(reg, "schema.add", &v, &err), &err);
	ck_assert_int_eq(linx_call_verb(v, NULL, NULL, 0, &err), -EINVAL);
	{
		char long_name[300];

		memset(long_name, 'a', sizeof(long_name) - 1);
		long_name[sizeof(long_name) - 1] = '\0';
		ck_assert_int_eq(linx_call(reg, long_name, NULL, &res, 0, &err),
				 -EINVAL);
	}
	ck_assert_int_eq(linx_verb_validate(NULL, NULL, NULL, &err), -EINVAL);
	linx_registry_free(reg);
}
END_TEST

/* linx_call_verb() takes any verb, not only registered ones: a verb that
 * would overflow the argument slots, or has no function, is refused. */
START_TEST(unregistered_verb_checked)
{
	struct linx_verb bad = toomany_verbs[0];
	const struct linx_value *slots[LINX_MAX_PARAMS];
	struct linx_value res;
	struct linx_error err;

	ck_assert_int_eq(linx_call_verb(&bad, NULL, &res, 0, &err), -EINVAL);
	ck_assert_int_eq(linx_verb_validate(&bad, NULL, slots, &err), -EINVAL);
	bad = schema_verbs[1];
	bad.fn = NULL;
	ck_assert_int_eq(linx_call_verb(&bad, NULL, &res, 0, &err), -EINVAL);
	bad = schema_verbs[1];
	bad.params = NULL;
	ck_assert_int_eq(linx_call_verb(&bad, NULL, &res, 0, &err), -EINVAL);
}
END_TEST

/* ---- registration ------------------------------------------------------- */

START_TEST(too_many_params_refused)
{
	struct linx_registry *reg;
	struct linx_error err;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	ck_assert_int_eq(linx_registry_add_static(reg, &linx_plugin_toomany,
						  &err),
			 -EINVAL);
	ck_assert_str_eq(err.op, "load");
	ck_assert_msg(strstr(err.message, "17 parameters"), "%s", err.message);
	ck_assert_ptr_null(linx_registry_plugin(reg, 0, NULL));
	linx_assert_ok(linx_registry_add_static(reg, &linx_plugin_maxparams,
						&err),
		       &err);
	linx_registry_free(reg);
}
END_TEST

static const struct linx_param bad_name_params[] = {
	{ "Bad", LINX_TM_INT, 0, "doc" },
};
static const struct linx_param dup_params[] = {
	{ "x", LINX_TM_INT, 0, "doc" },
	{ "x", LINX_TM_INT, 0, "doc" },
};
static const struct linx_param no_doc_params[] = {
	{ "x", LINX_TM_INT, 0, NULL },
};
static const struct linx_param no_type_params[] = {
	{ "x", 0, 0, "doc" },
};
static const struct linx_param bad_type_params[] = {
	{ "x", 1u << 20, 0, "doc" },
};
static const struct linx_param bad_flag_params[] = {
	{ "x", LINX_TM_INT, 0x80, "doc" },
};

START_TEST(malformed_params_refused)
{
	static const struct {
		const struct linx_param *params;
		const char *why;
	} cases[] = {
		{ bad_name_params, "malformed name" },
		{ dup_params, "duplicate parameter x" },
		{ no_doc_params, "has no doc" },
		{ no_type_params, "no valid type" },
		{ bad_type_params, "no valid type" },
		{ bad_flag_params, "unknown flags" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct linx_verb verb = {
			.name = "bad.verb", .summary = "s",
			.params = cases[i].params,
			.n_params = cases[i].params == dup_params ? 2 : 1,
			.fn = echo,
		};
		struct linx_plugin p = linx_plugin_schema;
		struct linx_registry *reg;
		struct linx_error err;

		p.name = "bad";
		p.verbs = &verb;
		p.n_verbs = 1;
		linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH,
						 &err),
			       &err);
		ck_assert_int_eq(linx_registry_add_static(reg, &p, &err),
				 -EINVAL);
		ck_assert_msg(strstr(err.message, cases[i].why),
			      "expected \"%s\" in \"%s\"", cases[i].why,
			      err.message);
		linx_registry_free(reg);
	}
}
END_TEST

/* init that fails without filling err: a clean error, not stale text. */
static int init_fails_silently(const struct linx_host *host,
			       struct linx_error *err)
{
	(void)host;
	(void)err;
	return -ENOTSUP;
}

static const struct linx_verb quiet_verbs[] = {
	{ .name = "quiet.verb", .summary = "s", .fn = echo },
};

LINX_PLUGIN_DEFINE(quiet, "1.0.0", "init fails silently",
		   init_fails_silently, NULL, quiet_verbs);

START_TEST(init_fails_without_error)
{
	struct linx_registry *reg;
	struct linx_error err;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_error_set(&err, EEXIST, "stale", "an older error");
	ck_assert_int_eq(linx_registry_add_static(reg, &linx_plugin_quiet,
						  &err),
			 -ENOTSUP);
	ck_assert_int_eq(err.code, ENOTSUP);
	ck_assert_str_eq(err.op, "load");
	ck_assert_msg(strstr(err.message, "init failed"), "%s", err.message);
	ck_assert_msg(!strstr(err.message, "older"), "%s", err.message);
	ck_assert_int_eq(linx_registry_add_static(reg, &linx_plugin_quiet,
						  NULL),
			 -ENOTSUP);
	linx_registry_free(reg);
}
END_TEST

START_TEST(type_mask_format)
{
	char buf[128];

	linx_type_mask_format(LINX_TM_INT | LINX_TM_STRING, buf, sizeof(buf));
	ck_assert_str_eq(buf, "int|string");
	linx_type_mask_format(LINX_TM_INT | LINX_TM_UINT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "int");
	linx_type_mask_format(LINX_TM_UINT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "uint");
	ck_assert_uint_eq(linx_type_mask_format(LINX_TM_ANY, buf, sizeof(buf)),
			  strlen("nil|bool|int|bytes|string|list|map|handle"));
	ck_assert_str_eq(buf, "nil|bool|int|bytes|string|list|map|handle");
	/* snprintf semantics: the full length, a truncated text */
	ck_assert_uint_eq(linx_type_mask_format(LINX_TM_ANY, buf, 5), 41);
	ck_assert_str_eq(buf, "nil|");
	linx_type_mask_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

/* ---- concurrency -------------------------------------------------------- */

#define N_PLUGINS 40
#define N_VERBS 25

struct generated {
	char names[N_VERBS][32];
	struct linx_verb verbs[N_VERBS];
	char name[16];
	struct linx_plugin desc;
};

static struct generated gen[N_PLUGINS];
static atomic_int loaded_count;
static atomic_bool stop;

static void generate(void)
{
	for (int p = 0; p < N_PLUGINS; p++) {
		snprintf(gen[p].name, sizeof(gen[p].name), "gen%d", p);
		for (int v = 0; v < N_VERBS; v++) {
			snprintf(gen[p].names[v], sizeof(gen[p].names[v]),
				 "gen%d.verb%d", p, v);
			gen[p].verbs[v] = schema_verbs[1]; /* add */
			gen[p].verbs[v].name = gen[p].names[v];
		}
		gen[p].desc = linx_plugin_schema;
		gen[p].desc.name = gen[p].name;
		gen[p].desc.verbs = gen[p].verbs;
		gen[p].desc.n_verbs = N_VERBS;
	}
}

static void *loader(void *arg)
{
	struct linx_registry *reg = arg;

	for (int p = 0; p < N_PLUGINS; p++) {
		struct linx_error err;

		if (linx_registry_add_static(reg, &gen[p].desc, &err) < 0)
			return (void *)"add_static failed";
		atomic_store(&loaded_count, p + 1);
	}
	return NULL;
}

static size_t count_plugins(const struct linx_registry *reg)
{
	size_t n = 0;

	while (linx_registry_plugin(reg, n, NULL))
		n++;
	return n;
}

static void *caller(void *arg)
{
	struct linx_registry *reg = arg;
	struct linx_value args = linx_value_map(), res;
	unsigned iter = 0;
	const char *fail = NULL;

	linx_map_put_int(&args, "a", 1);
	linx_map_put_int(&args, "b", 2);
	while (!atomic_load(&stop) && !fail) {
		int n = atomic_load(&loaded_count);
		char name[32];
		struct linx_error err;
		const struct linx_verb *v;
		size_t count = 0;

		/* the static plugin's verb, by name */
		if (linx_call(reg, "schema.add", &args, &res, 0, &err) < 0 ||
		    res.i != 3)
			fail = "schema.add failed";
		/* a verb of a plugin known to be loaded is always found */
		if (n > 0) {
			snprintf(name, sizeof(name), "gen%u.verb%u",
				 iter % (unsigned)n, iter % N_VERBS);
			if (linx_registry_find(reg, name, &v, &err) < 0 ||
			    strcmp(v->name, name) != 0)
				fail = "loaded verb not found";
			else if (linx_call_verb(v, &args, &res, 0, &err) < 0)
				fail = "loaded verb failed";
		}
		/* The sorted table is consistent as long as no load
		 * happened during the walk (each index is read from the
		 * snapshot current at that moment; plugins only ever get
		 * added, so equal plugin counts mean one snapshot). */
		size_t before = count_plugins(reg);
		bool sorted = true;

		for (const struct linx_verb *prev = NULL, *cur;
		     (cur = linx_registry_verb(reg, count)); count++) {
			if (prev && strcmp(prev->name, cur->name) >= 0)
				sorted = false;
			prev = cur;
		}
		if (!sorted && count_plugins(reg) == before)
			fail = "verb table not sorted";
		if (count < (size_t)n * N_VERBS + 1)
			fail = "verb table too short";
		iter++;
	}
	linx_value_clear(&args);
	return (void *)fail;
}

START_TEST(concurrent_calls_and_loads)
{
	struct linx_registry *reg = registry();
	pthread_t callers[3], load;
	void *ret;

	generate();
	atomic_store(&loaded_count, 0);
	atomic_store(&stop, false);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(pthread_create(&callers[i], NULL, caller, reg),
				 0);
	ck_assert_int_eq(pthread_create(&load, NULL, loader, reg), 0);
	ck_assert_int_eq(pthread_join(load, &ret), 0);
	ck_assert_msg(ret == NULL, "%s", (const char *)ret);
	atomic_store(&stop, true);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(pthread_join(callers[i], &ret), 0);
		ck_assert_msg(ret == NULL, "%s", (const char *)ret);
	}
	ck_assert_ptr_null(linx_registry_plugin(reg, N_PLUGINS + 1, NULL));
	ck_assert_ptr_nonnull(linx_registry_plugin(reg, N_PLUGINS, NULL));
	linx_registry_free(reg);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, valid_call);
	tcase_add_test(tc, missing_unknown_mistyped);
	tcase_add_test(tc, optional_nil_is_absent);
	tcase_add_test(tc, integer_ranges);
	tcase_add_test(tc, bytes_are_not_strings);
	tcase_add_test(tc, args_not_a_map);
	tcase_add_test(tc, poisoned_args_refused);
	tcase_add_test(tc, positive_return_is_success);
	tcase_add_test(tc, child_verbs);
	tcase_add_test(tc, verb_fails_silently);
	tcase_add_test(tc, verb_poisoned_result);
	tcase_add_test(tc, verb_gets_err);
	tcase_add_test(tc, success_leaves_err_alone);
	tcase_add_test(tc, call_arguments);
	tcase_add_test(tc, unregistered_verb_checked);
	tcase_add_test(tc, too_many_params_refused);
	tcase_add_test(tc, malformed_params_refused);
	tcase_add_test(tc, init_fails_without_error);
	tcase_add_test(tc, type_mask_format);
	tcase_add_test(tc, concurrent_calls_and_loads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return linx_test_run_suite(suite());
}
