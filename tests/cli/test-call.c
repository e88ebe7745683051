/* SPDX-License-Identifier: MIT */
/*
 * linx call against the example fixture: typed name=value arguments,
 * name:=JSON, --json (inline and on stdin), results as JSON, and every
 * kind of failure reported as one "linx: VERB: ename (N): ..." line with
 * the documented exit status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-run.h"
#include "linx-test.h"

/* Run a call expected to succeed; returns its parsed stdout. */
#define call_ok(...)                                                         \
	({                                                                   \
		struct cli_out r_;                                           \
		json_t *j_;                                                  \
		cli_run(&r_, "call", __VA_ARGS__);                           \
		ck_assert_msg(r_.status == 0, "status %d: %s", r_.status,    \
			      r_.err);                                       \
		ck_assert_str_eq(r_.err, "");                                \
		j_ = cli_out_json(&r_);                                      \
		cli_out_free(&r_);                                           \
		j_;                                                          \
	})

static void assert_int_result(json_t *j, json_int_t want)
{
	ck_assert_msg(json_is_integer(j), "not an integer");
	ck_assert_int_eq(json_integer_value(j), want);
	json_decref(j);
}

START_TEST(add_with_typed_arguments)
{
	struct cli_out r;

	cli_run(&r, "call", "example.add", "a=1", "b=2");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "3\n");
	ck_assert_str_eq(r.err, "");
	cli_out_free(&r);
	assert_int_result(call_ok("example.add", "a=-5", "b=2", "c=10"), 7);
	assert_int_result(call_ok("example.add", "a=9223372036854775806",
				  "b=1"),
			  INT64_MAX);
	/* options after the verb, "--" before arguments */
	assert_int_result(call_ok("example.add", "-p", "--", "a=1", "b=1"), 2);
}
END_TEST

START_TEST(json_arguments)
{
	json_t *j;
	struct cli_out r;

	assert_int_result(call_ok("example.add", "a:=40", "b:=2"), 42);
	assert_int_result(call_ok("example.add", "--json",
				  "{\"a\": 1, \"b\": 2, \"c\": 3}"),
			  6);
	assert_int_result(call_ok("example.add", "--json={\"a\": 1}", "b=5"),
			  6);
	/* a uint written with the tag fits a uint parameter */
	j = call_ok("example.greet", "name=w",
		    "times:={\"$uint\":\"2\"}");
	ck_assert_int_eq(json_array_size(json_object_get(j, "greetings")), 2);
	json_decref(j);

	cli_run_stdin(&r, "{\"name\": \"stdin\", \"times\": 2}", "call",
		      "example.greet", "--json", "-");
	ck_assert_msg(r.status == 0, "%s", r.err);
	j = cli_out_json(&r);
	ck_assert_str_eq(json_string_value(json_object_get(j, "name")),
			 "stdin");
	ck_assert_int_eq(json_array_size(json_object_get(j, "greetings")), 2);
	json_decref(j);
	cli_out_free(&r);
}
END_TEST

START_TEST(structured_result)
{
	struct cli_out r;
	json_t *j = call_ok("example.greet", "name=world", "times=3");

	ck_assert_str_eq(json_string_value(json_object_get(j, "name")),
			 "world");
	ck_assert_int_eq(json_array_size(json_object_get(j, "greetings")), 3);
	ck_assert_str_eq(json_string_value(
				 json_array_get(json_object_get(j, "greetings"),
						0)),
			 "hello");
	json_decref(j);

	cli_run(&r, "call", "example.greet", "name=w", "times=1");
	/* compact, in insertion order, like ip -j */
	ck_assert_str_eq(r.out, "{\"name\":\"w\",\"greetings\":[\"hello\"]}\n");
	cli_out_free(&r);
	cli_run(&r, "-p", "call", "example.greet", "name=w", "times=1");
	ck_assert_str_eq(r.out, "{\n  \"name\": \"w\",\n  \"greetings\": [\n"
				"    \"hello\"\n  ]\n}\n");
	cli_out_free(&r);
	/* UTF-8 passes through untouched */
	j = call_ok("example.greet", "name=J\xc3\xb6rg");
	ck_assert_str_eq(json_string_value(json_object_get(j, "name")),
			 "J\xc3\xb6rg");
	json_decref(j);
}
END_TEST

START_TEST(argument_errors_name_the_parameter)
{
	struct cli_out r;

	cli_run(&r, "call", "example.add", "a=1");
	cli_assert_error(&r, 2, "linx: example.add: einval (22): missing "
				"required parameter \"b\"");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a=1", "b=2", "d=3");
	cli_assert_error(&r, 2, "linx: example.add: einval (22): unknown "
				"parameter \"d\"");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a=one", "b=2");
	cli_assert_error(&r, 2, "linx: example.add: einval (22): parameter "
				"\"a\": expected int, got string");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a:=[1]", "b=2");
	cli_assert_error(&r, 2, "linx: example.add: einval (22): parameter "
				"\"a\": expected int, got list");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a=18446744073709551615", "b=2");
	cli_assert_error(&r, 2, "einval (22): parameter \"a\" is out of range");
	cli_out_free(&r);
	cli_run(&r, "call", "example.greet", "name=x", "times=-1");
	cli_assert_error(&r, 2, "einval (22): parameter \"times\" must not be "
				"negative");
	cli_out_free(&r);
	cli_run(&r, "call", "example.greet", "name=\xff");
	cli_assert_error(&r, 2, "parameter \"name\": expected string, got "
				"bytes (not valid UTF-8");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a=1", "a=2", "b=3");
	cli_assert_error(&r, 2, "linx: example.add: parameter \"a\" given "
				"twice");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "--json", "{\"a\":1}", "a=1");
	cli_assert_error(&r, 2, "parameter \"a\" given twice");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a", "b=1");
	cli_assert_error(&r, 2, "malformed argument \"a\" (expected name=value "
				"or name:=JSON)");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "A=1");
	cli_assert_error(&r, 2, "malformed parameter name in \"A=1\"");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a:={", "b=1");
	cli_assert_error(&r, 2, "parameter \"a\": invalid JSON");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a:=1.5", "b=1");
	cli_assert_error(&r, 2, "floating-point");
	cli_out_free(&r);
}
END_TEST

START_TEST(verb_failures)
{
	struct cli_out r;

	cli_run(&r, "call", "example.fail", "errno=19");
	cli_assert_error(&r, 1, "linx: example.fail: enodev (19): example: "
				"failing on request\n");
	cli_out_free(&r);
	cli_run(&r, "call", "example.fail", "errno=13");
	cli_assert_error(&r, 1, "linx: example.fail: eacces (13): ");
	cli_out_free(&r);
	/* the plugin's own argument check runs after the core's */
	cli_run(&r, "call", "example.greet", "name=x", "times=1001");
	cli_assert_error(&r, 1, "linx: example.greet: einval (22): at most "
				"1000 greetings");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "a=9223372036854775807", "b=1");
	cli_assert_error(&r, 1, "linx: example.add: erange (34): sum does "
				"not fit");
	cli_out_free(&r);
}
END_TEST

START_TEST(unknown_verbs_and_plugins)
{
	struct cli_out r;

	cli_run(&r, "call", "example.nope", "a=1");
	cli_assert_error(&r, 2, "linx: example.nope: enoent (2): unknown verb "
				"\"example.nope\"");
	cli_out_free(&r);
	cli_run(&r, "call", "nosuch.verb");
	cli_assert_error(&r, 2, "unknown verb \"nosuch.verb\"");
	cli_out_free(&r);
	cli_run(&r, "call", "noverb");
	cli_assert_error(&r, 2, "unknown verb \"noverb\"");
	cli_out_free(&r);
	/* a plugin that exists but is refused: that is the news */
	cli_run(&r, "call", "initfails.noop");
	cli_assert_error(&r, 1, "linx: initfails.noop: eopnotsupp (95): plugin "
				"initfails");
	cli_out_free(&r);
	cli_run(&r, "call");
	cli_assert_error(&r, 2, "linx: call: missing VERB");
	cli_out_free(&r);
}
END_TEST

START_TEST(json_option_errors)
{
	struct cli_out r;

	cli_run(&r, "call", "example.add", "--json", "[1,2]");
	cli_assert_error(&r, 2, "--json: expected an object of arguments, got "
				"an array");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "--json", "\"a=1\"");
	cli_assert_error(&r, 2, "got a string");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "--json", "{\"a\":1,}");
	cli_assert_error(&r, 2, "--json: invalid JSON");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "--json", "{\"a\":1,\"a\":2}");
	cli_assert_error(&r, 2, "duplicate");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "--json", "{\"$bytes\":\"00\"}");
	cli_assert_error(&r, 2, "got a tagged bytes");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "--json");
	cli_assert_error(&r, 2, "--json needs a value");
	cli_out_free(&r);
	cli_run_stdin(&r, "", "call", "example.add", "--json", "-");
	cli_assert_error(&r, 2, "--json: invalid JSON");
	cli_out_free(&r);
	cli_run_stdin(&r, "{\"a\": 1, \"b\": 2.0}", "call", "example.add",
		      "--json", "-");
	cli_assert_error(&r, 2, "--json: at /b: 2: floating-point");
	cli_out_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-call");
	TCase *tc = tcase_create("call");

	tcase_add_test(tc, add_with_typed_arguments);
	tcase_add_test(tc, json_arguments);
	tcase_add_test(tc, structured_result);
	tcase_add_test(tc, argument_errors_name_the_parameter);
	tcase_add_test(tc, verb_failures);
	tcase_add_test(tc, unknown_verbs_and_plugins);
	tcase_add_test(tc, json_option_errors);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
