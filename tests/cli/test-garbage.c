/* SPDX-License-Identifier: MIT */
/*
 * Garbage in, errors out: very long arguments, invalid UTF-8 in every
 * position, JSON nested far beyond any limit, non-object --json, oversized
 * stdin, and random bytes as arguments.  Every run must end with exit
 * status 0, 1 or 2 and never by a signal or a sanitizer report (cli-run.c
 * checks both on every run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-run.h"
#include "linx-test.h"

/* Below the kernel's limit for one argument (MAX_ARG_STRLEN, 128 KiB). */
#define LONG_ARG 100000

static char *repeat(const char *prefix, char c, size_t n)
{
	size_t p = strlen(prefix);
	/* room for a short suffix the caller may strcat */
	char *s = malloc(p + n + 8);

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, p);
	memset(s + p, c, n);
	s[p + n] = '\0';
	return s;
}

START_TEST(very_long_arguments)
{
	struct cli_out r;
	char *name = repeat("name=", 'x', LONG_ARG);
	char *verb = repeat("example.", 'a', LONG_ARG);
	char *param = repeat("", 'p', LONG_ARG);
	char *cmd = repeat("", 'c', LONG_ARG);
	char *opt = repeat("--", 'o', LONG_ARG);
	json_t *j;

	/* a long value is just a value */
	cli_run(&r, "call", "example.greet", name);
	ck_assert_msg(r.status == 0, "%s", r.err);
	j = cli_out_json(&r);
	ck_assert_int_eq(strlen(json_string_value(json_object_get(j, "name"))),
			 LONG_ARG);
	json_decref(j);
	cli_out_free(&r);

	cli_run(&r, "call", verb);
	cli_assert_error(&r, 2, "over-long verb name");
	cli_out_free(&r);
	cli_run(&r, "help", verb);
	cli_assert_error(&r, 2, "over-long verb name");
	cli_out_free(&r);
	strcat(param, "=1");
	cli_run(&r, "call", "example.add", param);
	cli_assert_error(&r, 2, "malformed parameter name");
	cli_out_free(&r);
	cli_run(&r, cmd);
	cli_assert_error(&r, 2, "unknown command");
	cli_out_free(&r);
	cli_run(&r, "call", opt);
	cli_assert_error(&r, 2, "unknown option");
	cli_out_free(&r);
	cli_run(&r, "verbs", cmd);
	cli_assert_error(&r, 2, "is not a plugin name");
	cli_out_free(&r);
	cli_run(&r, "monitor", cmd);
	cli_assert_error(&r, 2, "is not a plugin name");
	cli_out_free(&r);
	cli_run(&r, "--plugin-path", cmd, "call", "example.add", "a=1", "b=1");
	ck_assert_int_eq(r.status, 0);
	cli_out_free(&r);
	free(name);
	free(verb);
	free(param);
	free(cmd);
	free(opt);
}
END_TEST

START_TEST(invalid_utf8_everywhere)
{
	struct cli_out r;

	cli_run(&r, "\xff\xfe");
	cli_assert_error(&r, 2, "unknown command");
	/* control characters from the command line are not echoed raw */
	cli_out_free(&r);
	cli_run(&r, "\x1b[2J");
	cli_assert_error(&r, 2, "unknown command \"?[2J\"");
	cli_out_free(&r);
	cli_run(&r, "call", "example.\xc3\x28");
	cli_assert_error(&r, 2, "unknown verb");
	cli_out_free(&r);
	cli_run(&r, "call", "\xe2\x82.add");
	cli_assert_error(&r, 2, "unknown verb");
	cli_out_free(&r);
	cli_run(&r, "call", "example.add", "\xc0\xaf=1");
	cli_assert_error(&r, 2, "malformed parameter name");
	cli_out_free(&r);
	cli_run(&r, "call", "example.greet", "name=\xed\xa0\x80");
	cli_assert_error(&r, 2, "not valid UTF-8");
	cli_out_free(&r);
	cli_run(&r, "call", "example.greet", "name:=\"\xff\"");
	cli_assert_error(&r, 2, "invalid JSON");
	cli_out_free(&r);
	cli_run(&r, "call", "example.greet", "--json", "{\"name\":\"\xf8\x88\"}");
	cli_assert_error(&r, 2, "invalid JSON");
	cli_out_free(&r);
	cli_run(&r, "call", "example.greet", "--json",
		"{\"na\\u0000me\":\"x\"}");
	cli_assert_error(&r, 2, "invalid JSON");
	cli_out_free(&r);
	cli_run(&r, "verbs", "\xff");
	cli_assert_error(&r, 2, "is not a plugin name");
	cli_out_free(&r);
	cli_run(&r, "help", "\xff");
	cli_assert_error(&r, 2, "is not a plugin name");
	cli_out_free(&r);
	cli_run(&r, "monitor", "ticker", "log=\xff");
	cli_assert_error(&r, 2, "parameter \"log\": expected string, got bytes");
	cli_out_free(&r);
	cli_run(&r, "--plugin-path", "/\xff", "call", "example.add", "a=1",
		"b=2");
	ck_assert_int_eq(r.status, 0);
	cli_out_free(&r);
}
END_TEST

static char *nested(const char *prefix, size_t depth)
{
	size_t p = strlen(prefix);
	/* room for a closing brace the caller may add */
	char *s = malloc(p + 2 * depth + 2);

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, p);
	memset(s + p, '[', depth);
	memset(s + p + depth, ']', depth);
	s[p + 2 * depth] = '\0';
	return s;
}

START_TEST(deeply_nested_json)
{
	static const size_t depths[] = { 65, 1000, 2047, 2049, 50000 };
	struct cli_out r;

	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		char *arg = nested("a:=", depths[i]);
		char *doc = nested("{\"a\":", depths[i]);

		cli_run(&r, "call", "example.add", arg, "b=1");
		cli_assert_error(&r, 2, "parameter \"a\": ");
		ck_assert_msg(strstr(r.err, "nested deeper than 64") ||
				      strstr(r.err, "maximum parsing depth"),
			      "%s", r.err);
		cli_out_free(&r);

		strcat(doc, "}");
		cli_run_stdin(&r, doc, "call", "example.add", "--json", "-");
		cli_assert_error(&r, 2, "--json: ");
		cli_out_free(&r);
		free(arg);
		free(doc);
	}
	/* the deepest the value model allows (64 levels, the argument map
	 * being the first) still goes through to the core, which then
	 * rejects the type by name; one more is refused before */
	{
		char *arg = nested("a:=", 63);

		cli_run(&r, "call", "example.add", arg, "b=1");
		cli_assert_error(&r, 2, "parameter \"a\": expected int, got "
					"list");
		cli_out_free(&r);
		free(arg);
		arg = nested("a:=", 64);
		cli_run(&r, "call", "example.add", arg, "b=1");
		cli_assert_error(&r, 2, "parameter \"a\": ");
		ck_assert_msg(strstr(r.err, "nested deeper than 64"), "%s",
			      r.err);
		cli_out_free(&r);
		free(arg);
	}
}
END_TEST

START_TEST(json_that_is_not_arguments)
{
	static const char *const docs[] = { "1",     "-1",  "null", "true",
					    "[]",    "\"\"", "1e999", "{",
					    "}",     "{}{}", "/* */{}", "'a'" };
	struct cli_out r;

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		cli_run(&r, "call", "example.add", "--json", docs[i]);
		cli_assert_error(&r, 2, "--json: ");
		cli_out_free(&r);
	}
	/* an empty object is valid: the core then misses a and b */
	cli_run(&r, "call", "example.add", "--json", "{}");
	cli_assert_error(&r, 2, "missing required parameter \"a\"");
	cli_out_free(&r);
}
END_TEST

START_TEST(oversized_and_wide_input)
{
	struct cli_out r;
	size_t big = (size_t)LINX_VALUE_MAX_LEN + 4096, n = 5000, len = 1;
	char *doc = malloc(big + 1);

	ck_assert_ptr_nonnull(doc);
	memset(doc, ' ', big);
	doc[big] = '\0';
	cli_run_argv(&r, doc, big,
		     (const char *const[]){ "call", "example.add", "--json",
					    "-", NULL });
	cli_assert_error(&r, 2, "--json -: reading stdin: input too large");
	cli_out_free(&r);

	/* 5000 keys: converted, then refused by name, quickly */
	doc[0] = '{';
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(doc + len, "%s\"k%zu\":%zu",
				       i ? "," : "", i, i);
	strcpy(doc + len, "}");
	cli_run_argv(&r, doc, len + 1,
		     (const char *const[]){ "call", "example.add", "--json",
					    "-", NULL });
	cli_assert_error(&r, 2, "unknown parameter \"k0\"");
	cli_out_free(&r);
	free(doc);
}
END_TEST

/* xorshift64: a fixed sequence, so a failure can be replayed. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(random_arguments)
{
	static const char *const prefixes[][3] = {
		{ "call", "example.add", NULL },
		{ "call", "example.greet", NULL },
		{ "call", NULL, NULL },
		{ "verbs", NULL, NULL },
		{ "help", NULL, NULL },
		{ NULL, NULL, NULL },
	};
	/* Pieces that reach deeper than pure noise does. */
	static const char *const pieces[] = {
		"a=", "b=", "c:=", "name=", "times=", "--json", "-", "=",
		":=", "{", "}", "[", "\"", "$bytes", "$uint", "$map", "-p",
		"--", "example.", "\xff", "\xc3", "1", "-9", "true", ".",
	};
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	for (int run = 0; run < 150; run++) {
		const char *argv[12] = { 0 };
		char bufs[6][48];
		size_t k = 0, nargs = 1 + next_random(&seed) % 5;
		const char *const *pre =
			prefixes[next_random(&seed) %
				 (sizeof(prefixes) / sizeof(prefixes[0]))];
		struct cli_out r;

		for (; k < 2 && pre[k]; k++)
			argv[k] = pre[k];
		for (size_t a = 0; a < nargs; a++) {
			size_t len = 0, parts = next_random(&seed) % 6;

			for (size_t p = 0; p < parts; p++) {
				uint64_t x = next_random(&seed);

				if (x % 3 == 0) {
					/* a random non-NUL byte */
					if (len < sizeof(bufs[a]) - 1)
						bufs[a][len++] =
							(char)(1 + (x >> 8) % 255);
				} else {
					const char *piece =
						pieces[(x >> 8) %
						       (sizeof(pieces) /
							sizeof(pieces[0]))];
					size_t pl = strlen(piece);

					if (len + pl < sizeof(bufs[a])) {
						memcpy(bufs[a] + len, piece, pl);
						len += pl;
					}
				}
			}
			bufs[a][len] = '\0';
			argv[k++] = bufs[a];
		}
		cli_run_argv(&r, NULL, 0, argv);
		ck_assert_msg(r.status >= 0 && r.status <= 2,
			      "run %d: status %d", run, r.status);
		if (r.status != 0)
			ck_assert_msg(strncmp(r.err, "linx: ", 6) == 0,
				      "run %d: error without prefix: %s", run,
				      r.err);
		cli_out_free(&r);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-garbage");
	TCase *tc = tcase_create("garbage");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, very_long_arguments);
	tcase_add_test(tc, invalid_utf8_everywhere);
	tcase_add_test(tc, deeply_nested_json);
	tcase_add_test(tc, json_that_is_not_arguments);
	tcase_add_test(tc, oversized_and_wide_input);
	tcase_add_test(tc, random_arguments);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
