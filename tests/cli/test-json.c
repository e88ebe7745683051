/* SPDX-License-Identifier: MIT */
/*
 * The value <-> JSON mapping of the CLI (bindings/cli/json-value.c),
 * in-process: every value type renders as documented, what JSON cannot
 * say goes through the $uint/$bytes/$map tags and reads back as itself,
 * and bad input (reals, malformed tags, deep nesting, NUL, invalid
 * UTF-8) is refused with a message naming where.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "linx-test.h"

static char *dump(const struct linx_value *v)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = cli_value_to_json(v, why);
	char *s;

	ck_assert_msg(j != NULL, "to_json failed: %s", why);
	s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	json_decref(j);
	ck_assert_ptr_nonnull(s);
	return s;
}

static void assert_dump(const struct linx_value *v, const char *want)
{
	char *s = dump(v);

	ck_assert_str_eq(s, want);
	free(s);
}

/*
 * Read text with the one-pass reader (cli_json_read), which the CLI uses,
 * and check it agrees with the jansson path (parse, then convert) on
 * success and on the value built.  Returns the reader's status and
 * message.
 */
static int load(const char *text, struct linx_value *ret,
		char why[CLI_JSON_ERR_MAX])
{
	char why2[CLI_JSON_ERR_MAX];
	json_t *j = cli_json_parse(text, strlen(text), why2);
	struct linx_value ref = linx_value_nil();
	int r, r2 = j ? cli_json_to_value(j, 0, &ref, why2) : -EINVAL;

	json_decref(j);
	r = cli_json_read(text, strlen(text), 0, ret, why);
	ck_assert_msg((r < 0) == (r2 < 0), "%s: reader %d (%s), jansson %d (%s)",
		      text, r, why, r2, why2);
	if (r >= 0)
		ck_assert_msg(linx_value_equal(ret, &ref), "%s: values differ",
			      text);
	else
		ck_assert_int_eq(ret->type, LINX_NIL);
	linx_value_clear(&ref);
	return r;
}

/* Both readers agree on `text`, whatever it is. */
static void agree(const char *text, size_t len)
{
	char why[CLI_JSON_ERR_MAX], why2[CLI_JSON_ERR_MAX];
	json_t *j = cli_json_parse(text, len, why2);
	struct linx_value v, ref = linx_value_nil();
	int r2 = j ? cli_json_to_value(j, 0, &ref, why2) : -EINVAL;
	int r = cli_json_read(text, len, 0, &v, why);

	json_decref(j);
	/* jansson takes a NUL byte after a document for its end; the reader
	 * refuses it, as any byte after the document. */
	if (memchr(text, '\0', len) && r < 0 && r2 >= 0)
		r2 = -EINVAL;
	ck_assert_msg((r < 0) == (r2 < 0), "%.*s: reader %d (%s), jansson %d "
					   "(%s)",
		      (int)len, text, r, why, r2, why2);
	if (r >= 0)
		ck_assert(linx_value_equal(&v, &ref));
	ck_assert_msg(r >= 0 || why[0], "no message for %.*s", (int)len, text);
	linx_value_clear(&v);
	linx_value_clear(&ref);
}

static void assert_refused(const char *text, const char *needle)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v;

	ck_assert_int_lt(load(text, &v, why), 0);
	ck_assert_int_eq(v.type, LINX_NIL);
	ck_assert_msg(strstr(why, needle), "\"%s\" not in \"%s\"", needle, why);
}

START_TEST(scalars)
{
	struct linx_value v;

	assert_dump(&(struct linx_value){ .type = LINX_NIL }, "null");
	assert_dump(&(struct linx_value){ .type = LINX_BOOL, .b = true },
		    "true");
	v = linx_value_int(INT64_MIN);
	assert_dump(&v, "-9223372036854775808");
	v = linx_value_uint(INT64_MAX);
	assert_dump(&v, "9223372036854775807");
	v = linx_value_uint((uint64_t)INT64_MAX + 1);
	assert_dump(&v, "{\"$uint\":\"9223372036854775808\"}");
	v = linx_value_uint(UINT64_MAX);
	assert_dump(&v, "{\"$uint\":\"18446744073709551615\"}");
	ck_assert_int_eq(linx_value_cstring(&v, "h\xc3\xa9llo"), 0);
	assert_dump(&v, "\"h\xc3\xa9llo\"");
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_bytes(&v, "\x00\xff\x10", 3), 0);
	assert_dump(&v, "{\"$bytes\":\"00ff10\"}");
	linx_value_clear(&v);
	ck_assert_int_eq(linx_value_bytes(&v, "", 0), 0);
	assert_dump(&v, "{\"$bytes\":\"\"}");
	linx_value_clear(&v);
}
END_TEST

START_TEST(containers_keep_order_and_escape_tags)
{
	struct linx_value m = linx_value_map(), l = linx_value_list();
	struct linx_value tagged = linx_value_map();

	linx_map_put_int(&m, "zeta", 1);
	linx_map_put_int(&m, "alpha", 2);
	linx_list_push_cstring(&l, "x");
	linx_list_push_int(&l, -3);
	linx_map_put(&m, "list", &l);
	ck_assert_int_eq(linx_value_status(&m), 0);
	assert_dump(&m, "{\"zeta\":1,\"alpha\":2,\"list\":[\"x\",-3]}");
	/* A real map {"$bytes": ...} must not read back as bytes. */
	linx_map_put_cstring(&tagged, "$bytes", "not hex");
	assert_dump(&tagged, "{\"$map\":{\"$bytes\":\"not hex\"}}");
	/* With a second key it is unambiguous and stays plain. */
	linx_map_put_int(&tagged, "other", 1);
	assert_dump(&tagged, "{\"$bytes\":\"not hex\",\"other\":1}");
	linx_value_clear(&m);
	linx_value_clear(&tagged);
}
END_TEST

static void noop_destroy(void *p)
{
	(void)p;
}

START_TEST(handle_is_a_description)
{
	static const struct linx_handle_type type = { "test.thing",
						      noop_destroy };
	struct linx_handle *h = linx_handle_new(&type, (void *)&type);
	struct linx_value v = linx_value_handle(h);

	assert_dump(&v, "\"<handle test.thing>\"");
	linx_value_clear(&v);
	linx_handle_unref(h);
}
END_TEST

START_TEST(round_trip)
{
	static const char *const texts[] = {
		"null",
		"[true,false,0,-1,9223372036854775807]",
		"{\"$uint\":\"18446744073709551615\"}",
		"{\"$bytes\":\"\"}",
		"{\"$bytes\":\"deadbeef00\"}",
		"{\"$map\":{\"$uint\":\"1\"}}",
		"{\"$map\":{\"$map\":{}}}",
		"{\"a\":{\"b\":[{\"$bytes\":\"01\"},{}]},\"c\":\"\xe2\x82\xac\"}",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char why[CLI_JSON_ERR_MAX];
		struct linx_value v, again;
		char *s;

		ck_assert_msg(load(texts[i], &v, why) == 0, "%s: %s", texts[i],
			      why);
		s = dump(&v);
		ck_assert_str_eq(s, texts[i]);
		ck_assert_int_eq(load(s, &again, why), 0);
		ck_assert(linx_value_equal(&v, &again));
		free(s);
		linx_value_clear(&v);
		linx_value_clear(&again);
	}
}
END_TEST

START_TEST(input_types)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v;

	ck_assert_int_eq(load("{\"$uint\":5}", &v, why), 0);
	ck_assert_int_eq(v.type, LINX_UINT);
	ck_assert_uint_eq(v.u, 5);
	ck_assert_int_eq(load("{\"$bytes\":\"ABcd\"}", &v, why), 0);
	ck_assert_int_eq(v.type, LINX_BYTES);
	ck_assert_int_eq(v.len, 2);
	ck_assert_int_eq(v.bytes[0], 0xab);
	ck_assert_int_eq(v.bytes[1], 0xcd);
	linx_value_clear(&v);
	/* An unknown $-key is an ordinary map. */
	ck_assert_int_eq(load("{\"$other\":1}", &v, why), 0);
	ck_assert_int_eq(v.type, LINX_MAP);
	linx_value_clear(&v);
	ck_assert_int_eq(load("-9223372036854775808", &v, why), 0);
	ck_assert_int_eq(v.type, LINX_INT);
	ck_assert(v.i == INT64_MIN);
}
END_TEST

START_TEST(bad_input_names_the_place)
{
	assert_refused("{\"a\":[1,2.5]}", "at /a/1: 2.5: floating-point");
	assert_refused("{\"a/b~c\":1e3}", "at /a~1b~0c:");
	assert_refused("{\"$bytes\":\"abc\"}", "odd number");
	assert_refused("{\"$bytes\":\"zz\"}", "\"zz\" at offset 0");
	assert_refused("{\"$bytes\":12}", "string of hex digits");
	assert_refused("{\"$uint\":-1}", "must not be negative");
	assert_refused("{\"$uint\":\"18446744073709551616\"}",
		       "does not fit in 64 bits");
	assert_refused("{\"$uint\":\"12a\"}", "not a decimal");
	assert_refused("{\"$uint\":\"\"}", "decimal string");
	assert_refused("{\"$map\":[1]}", "takes an object");
	assert_refused("[{\"x\":{\"$uint\":true}}]", "at /0/x:");
}
END_TEST

static char *nested(unsigned depth)
{
	char *s = malloc(2 * depth + 2);

	for (unsigned i = 0; i < depth; i++) {
		s[i] = '[';
		s[2 * depth - 1 - i] = ']';
	}
	s[2 * depth] = '\0';
	return s;
}

START_TEST(depth_limit)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v, *chain;
	char *ok = nested(LINX_VALUE_MAX_DEPTH);
	char *deep = nested(LINX_VALUE_MAX_DEPTH + 1);

	ck_assert_int_eq(load(ok, &v, why), 0);
	linx_value_clear(&v);
	assert_refused(deep, "nested deeper than 64");
	free(ok);
	free(deep);

	/* The same bound on output, for a result 70 deep that a plugin made
	 * by hand (the builders would have refused it). */
	chain = calloc(70, sizeof(*chain));
	for (int i = 0; i < 70; i++) {
		chain[i] = linx_value_list();
		if (i < 69) {
			chain[i].items = &chain[i + 1];
			chain[i].len = chain[i].cap = 1;
		}
	}
	ck_assert_ptr_null(cli_value_to_json(&chain[0], why));
	ck_assert_ptr_nonnull(strstr(why, "nested deeper"));
	free(chain); /* one allocation, not a tree: no linx_value_clear */
}
END_TEST

START_TEST(strict_parsing)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v;
	json_t *j;

	ck_assert_ptr_null(cli_json_parse("{\"a\":1,\"a\":2}", 13, why));
	ck_assert_ptr_nonnull(strstr(why, "duplicate"));
	ck_assert_ptr_null(cli_json_parse("\"\xff\"", 3, why));
	ck_assert_ptr_null(cli_json_parse("\"a\\u0000b\"", 10, why));
	ck_assert_ptr_null(cli_json_parse("{} x", 4, why));
	ck_assert_ptr_null(cli_json_parse("18446744073709551615", 20, why));
	ck_assert_ptr_nonnull(strstr(why, "{\"$uint\": \"...\"}"));
	ck_assert_ptr_null(cli_json_parse("", 0, why));
	ck_assert_ptr_nonnull(strstr(why, "invalid JSON"));
	/* A NUL that reaches the converter some other way is refused too. */
	j = json_stringn("a\0b", 3);
	ck_assert_int_lt(cli_json_to_value(j, 0, &v, why), 0);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	json_decref(j);
}
END_TEST

START_TEST(broken_nodes_do_not_crash)
{
	char why[CLI_JSON_ERR_MAX];
	char bad[] = "\xff\xfe";
	struct linx_value s = { .type = LINX_STRING, .len = 2, .str = bad };
	struct linx_value t = { .type = 42 };
	struct linx_value l = { .type = LINX_LIST, .len = 3, .items = NULL };

	ck_assert_ptr_null(cli_value_to_json(&s, why));
	ck_assert_ptr_nonnull(strstr(why, "UTF-8"));
	ck_assert_ptr_null(cli_value_to_json(&t, why));
	ck_assert_ptr_nonnull(strstr(why, "invalid value type"));
	ck_assert_ptr_null(cli_value_to_json(&l, why));
	ck_assert_ptr_null(cli_value_to_json(NULL, why));
	ck_assert_int_lt(cli_json_to_value(NULL, 0, &s, why), 0);
}
END_TEST

START_TEST(text_is_made_valid)
{
	json_t *j = cli_json_text("ok\xff\xc3\xa9\xe2\x82");

	ck_assert_str_eq(json_string_value(j), "ok?\xc3\xa9??");
	json_decref(j);
}
END_TEST

/* The one-pass reader against jansson on the corner cases of the JSON
 * grammar and of the mapping, then on many mutations of them. */
START_TEST(reader_agrees_with_jansson)
{
	static const char *const texts[] = {
		"null", "true", "false", "0", "-0", "7", "-12",
		"9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "-9223372036854775809",
		"18446744073709551616", "99999999999999999999999", "01", "-",
		"1.", "1.5", "1e3", "1E+3", "-2.5e-3", ".5", "+1", "[]", "{}",
		"[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}",
		"\"\"", "\"abc\"", "\"\\u00e9\\n\\t\\\"\\\\\\/\"",
		"\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"",
		"\"\\ud83dx\"", "\"\\u12\"", "\"\\x\"", "\"a\tb\"",
		"\"\\u0000\"", "\"\xc3\xa9\"", "\"\xc3\"", "\"\xed\xa0\x80\"",
		"\"abc", "[1 2]", "{\"a\":1 \"b\":2}", " [ 1 , { } ] ",
		"{\"$uint\":\"18446744073709551615\"}", "{\"$uint\":5}",
		"{\"$uint\":-1}", "{\"$uint\":\"\"}", "{\"$uint\":\"1a\"}",
		"{\"$uint\":\"18446744073709551616\"}", "{\"$uint\":null}",
		"{\"$uint\":1,\"x\":2}", "{\"$bytes\":\"00ff\"}",
		"{\"$bytes\":\"0\"}", "{\"$bytes\":\"zz\"}", "{\"$bytes\":1}",
		"{\"$bytes\":\"\"}", "{\"$map\":{\"$uint\":\"5\"}}",
		"{\"$map\":{\"$uint\":{\"$uint\":\"5\"}}}", "{\"$map\":1}",
		"{\"$map\":{}}", "{\"$map\":{\"a\":1},\"b\":2}",
		"{\"$map\":{\"$bytes\":\"00\"},\"b\":{\"$uint\":1}}",
		"{\"$map\":{\"a\":1}", "{\"$map\":{\"a\":[}}", "{\"$other\":1}",
		"{\"a\":1,\"a\":2}", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
		"[{\"op\":\"route.add\",\"dst\":\"10.0.0.1/32\",\"table\":100}]",
		"{} x", "", " ", "nul", "truex", "[1]]",
		/* nested "$map"s, whose look-aheads are remembered */
		"{\"$map\":{\"a\":{\"$map\":{\"$uint\":1}}}}",
		"[{\"$map\":{\"x\":1}},{\"$map\":{\"y\":2},\"z\":3}]",
		"{\"$map\":{\"$map\":{\"$map\":{\"b\":1},\"c\":2}}}",
		"{\"$map\":{\"k\":[{\"$map\":{\"$bytes\":\"00\"}},"
		"{\"$map\":{\"a\":1},\"b\":{\"$map\":{}}}]}}",
	};
	uint32_t seed = 42;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		agree(texts[i], strlen(texts[i]));
	/* Mutations: replace, drop or duplicate one byte, many times. */
	for (int round = 0; round < 20000; round++) {
		const char *t = texts[round % (sizeof(texts) / sizeof(texts[0]))];
		size_t n = strlen(t), at;
		char buf[256];
		static const char alphabet[] = "{}[]\",:01-e.\\u$ a\xff\x00";

		if (n == 0 || n >= sizeof(buf) - 1)
			continue;
		memcpy(buf, t, n);
		seed = seed * 1103515245u + 12345u;
		at = (seed >> 8) % n;
		switch ((seed >> 4) % 3) {
		case 0:
			buf[at] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			break;
		case 1:
			memmove(buf + at, buf + at + 1, n - at - 1);
			n--;
			break;
		default:
			memmove(buf + at + 1, buf + at, n - at);
			n++;
			break;
		}
		agree(buf, n);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-json");
	TCase *tc = tcase_create("mapping");

	tcase_add_test(tc, scalars);
	tcase_add_test(tc, containers_keep_order_and_escape_tags);
	tcase_add_test(tc, handle_is_a_description);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, input_types);
	tcase_add_test(tc, bad_input_names_the_place);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, strict_parsing);
	tcase_add_test(tc, broken_nodes_do_not_crash);
	tcase_add_test(tc, text_is_made_valid);
	tcase_add_test(tc, reader_agrees_with_jansson);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
