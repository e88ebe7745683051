/* SPDX-License-Identifier: MIT */
/*
 * name=value typing by the verb's schema, and name:=JSON
 * (bindings/cli/args.c), in-process against a schema made up here.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "linx-test.h"

static int noop(const struct linx_call *call, struct linx_value *ret,
		struct linx_error *err)
{
	(void)call, (void)ret, (void)err;
	return 0;
}

static const struct linx_param params[] = {
	{ "n", LINX_TM_INT, 0, "int only" },
	{ "u", LINX_TM_UINT, 0, "uint only" },
	{ "ns", LINX_TM_INT | LINX_TM_STRING, 0, "int or string" },
	{ "s", LINX_TM_STRING, 0, "string only" },
	{ "b", LINX_TM_BOOL, 0, "bool" },
	{ "bi", LINX_TM_BOOL | LINX_TM_INT, 0, "bool or int" },
	{ "raw", LINX_TM_BYTES, 0, "bytes" },
	{ "l", LINX_TM_LIST, 0, "list" },
};

static const struct linx_verb verb = {
	.name = "test.verb",
	.summary = "a schema to type against",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.fn = noop,
};

/* Parse one argument; returns the status, the value in *ret (a copy). */
static int parse1(const char *arg, struct linx_value *ret)
{
	struct cli cli = { .command = "call" };
	struct linx_value map = linx_value_map();
	char *argv[] = { (char *)arg, NULL };
	int r = cli_args_parse(&cli, &verb, 1, argv, &map);

	*ret = linx_value_nil();
	if (r == 0) {
		ck_assert_int_eq(map.len, 1);
		ck_assert_int_eq(linx_value_copy(ret, &map.pairs[0].value), 0);
	} else {
		ck_assert_int_eq(map.len, 0);
	}
	linx_value_clear(&map);
	return r;
}

static void assert_type(const char *arg, enum linx_type type)
{
	struct linx_value v;

	ck_assert_msg(parse1(arg, &v) == 0, "%s refused", arg);
	ck_assert_msg(v.type == type, "%s: got %s, want %s", arg,
		      linx_type_name(v.type), linx_type_name(type));
	linx_value_clear(&v);
}

START_TEST(integers_where_the_schema_takes_them)
{
	struct linx_value v;

	ck_assert_int_eq(parse1("n=-42", &v), 0);
	ck_assert_int_eq(v.type, LINX_INT);
	ck_assert_int_eq(v.i, -42);
	ck_assert_int_eq(parse1("n=-9223372036854775808", &v), 0);
	ck_assert(v.i == INT64_MIN);
	ck_assert_int_eq(parse1("u=18446744073709551615", &v), 0);
	ck_assert_int_eq(v.type, LINX_UINT);
	ck_assert(v.u == UINT64_MAX);
	ck_assert_int_eq(parse1("u=007", &v), 0);
	ck_assert_int_eq(v.i, 7);
	/* Not decimal integers: strings, which the core then refuses. */
	assert_type("n=0x10", LINX_STRING);
	assert_type("n=+1", LINX_STRING);
	assert_type("n= 1", LINX_STRING);
	assert_type("n=1.5", LINX_STRING);
	assert_type("n=", LINX_STRING);
	assert_type("n=-", LINX_STRING);
	/* Out of range for an int-only parameter: said so at once. */
	ck_assert_int_eq(parse1("n=18446744073709551616", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("n=-9223372036854775809", &v), CLI_EXIT_USAGE);
	/* ...but a parameter that also takes strings gets the text. */
	assert_type("ns=18446744073709551616", LINX_STRING);
	assert_type("ns=12", LINX_INT);
	assert_type("ns=twelve", LINX_STRING);
	/* A string parameter keeps digits as text. */
	assert_type("s=12", LINX_STRING);
}
END_TEST

START_TEST(bools_and_strings)
{
	struct linx_value v;

	ck_assert_int_eq(parse1("b=true", &v), 0);
	ck_assert_int_eq(v.type, LINX_BOOL);
	ck_assert(v.b);
	ck_assert_int_eq(parse1("b=false", &v), 0);
	ck_assert(!v.b);
	assert_type("b=yes", LINX_STRING);
	assert_type("b=TRUE", LINX_STRING);
	assert_type("bi=1", LINX_INT);
	assert_type("bi=true", LINX_BOOL);
	assert_type("s=true", LINX_STRING);
	/* Everything after the first '=' is the value. */
	ck_assert_int_eq(parse1("s=a=b", &v), 0);
	ck_assert_str_eq(v.str, "a=b");
	linx_value_clear(&v);
	ck_assert_int_eq(parse1("s=", &v), 0);
	ck_assert_str_eq(v.str, "");
	linx_value_clear(&v);
	/* Not UTF-8: bytes, so the core can say what is wrong. */
	assert_type("s=\xff\xfe", LINX_BYTES);
	assert_type("raw=\xff", LINX_BYTES);
	assert_type("raw=text", LINX_STRING);
	/* A list parameter given as text: a string the core refuses. */
	assert_type("l=1,2", LINX_STRING);
	/* Unknown names are typed as strings; the core names them. */
	assert_type("zzz=1", LINX_STRING);
}
END_TEST

START_TEST(json_values)
{
	struct linx_value v;

	ck_assert_int_eq(parse1("l:=[1,\"x\",null]", &v), 0);
	ck_assert_int_eq(v.type, LINX_LIST);
	ck_assert_int_eq(v.len, 3);
	linx_value_clear(&v);
	/* JSON types are explicit: a string stays a string. */
	assert_type("ns:=\"12\"", LINX_STRING);
	assert_type("n:=null", LINX_NIL);
	assert_type("raw:={\"$bytes\":\"00\"}", LINX_BYTES);
	assert_type("u:={\"$uint\":\"18446744073709551615\"}", LINX_UINT);
	ck_assert_int_eq(parse1("l:=[1,", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("l:=1.5", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("l:=", &v), CLI_EXIT_USAGE);
}
END_TEST

START_TEST(malformed_arguments)
{
	struct cli cli = { .command = "call" };
	struct linx_value map = linx_value_map(), v;
	char *twice[] = { "n=1", "n:=2" };

	ck_assert_int_eq(parse1("novalue", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("=1", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1(":=1", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("Bad=1", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("a-b=1", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("1a=1", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(parse1("\xff=1", &v), CLI_EXIT_USAGE);
	ck_assert_int_eq(cli_args_parse(&cli, &verb, 2, twice, &map),
			 CLI_EXIT_USAGE);
	linx_value_clear(&map);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-args");
	TCase *tc = tcase_create("typing");

	tcase_add_test(tc, integers_where_the_schema_takes_them);
	tcase_add_test(tc, bools_and_strings);
	tcase_add_test(tc, json_values);
	tcase_add_test(tc, malformed_arguments);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
