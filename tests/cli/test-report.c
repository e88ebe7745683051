/* SPDX-License-Identifier: MIT */
/*
 * The error line (bindings/cli/report.c): "linx: WHAT: ename (N): ...",
 * the object when the message lacks it, the kernel's extended ACK, the
 * exit status chosen from the error's stage, and control characters
 * neutralised.  In-process, with stderr captured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "linx-test.h"

static FILE *capture;

static void capture_start(void)
{
	capture = tmpfile();
	ck_assert_ptr_nonnull(capture);
	fflush(stderr);
	ck_assert_int_ge(dup2(fileno(capture), STDERR_FILENO), 0);
}

/* What was written to stderr since capture_start(). */
static char *captured(void)
{
	static char buf[4096];
	size_t n;

	fflush(stderr);
	rewind(capture);
	n = fread(buf, 1, sizeof(buf) - 1, capture);
	buf[n] = '\0';
	return buf;
}

START_TEST(verb_error_with_object_and_extack)
{
	struct linx_error err;

	capture_start();
	linx_error_set(&err, EEXIST, "create", "link already exists");
	linx_error_object(&err, "veth0");
	linx_error_extack(&err, "Attribute already present", 24);
	ck_assert_int_eq(cli_report("rtnl.link.add", &err), CLI_EXIT_FAILED);
	ck_assert_str_eq(captured(),
			 "linx: rtnl.link.add: eexist (17): veth0: link already "
			 "exists; kernel says: Attribute already present\n");
}
END_TEST

START_TEST(object_not_repeated)
{
	struct linx_error err;

	capture_start();
	/* the message already names the object, and the verb prefix the
	 * core puts on validation messages is not printed twice */
	linx_error_param(&err, "validate", "a",
			 "example.add: missing required parameter \"a\"");
	linx_error_object(&err, "example.add");
	ck_assert_int_eq(cli_report("example.add", &err), CLI_EXIT_USAGE);
	linx_error_set(&err, ENOENT, "read", "no such key kernel.nope");
	linx_error_object(&err, "kernel.nope");
	ck_assert_int_eq(cli_report("sysctl.read", &err), CLI_EXIT_FAILED);
	ck_assert_str_eq(captured(),
			 "linx: example.add: einval (22): missing required "
			 "parameter \"a\"\n"
			 "linx: sysctl.read: enoent (2): no such key "
			 "kernel.nope\n");
}
END_TEST

START_TEST(status_follows_the_stage)
{
	struct linx_error err;

	capture_start();
	linx_error_set(&err, ENOENT, "find", "unknown verb \"x.y\"");
	ck_assert_int_eq(cli_report("x.y", &err), CLI_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(captured(), "(linx verbs lists them)"));
	linx_error_set(&err, ENOEXEC, "load", "plugin /p/x.so refused");
	ck_assert_int_eq(cli_report("x.y", &err), CLI_EXIT_FAILED);
	linx_error_set(&err, EPERM, "call", "runs inside a parked child");
	ck_assert_int_eq(cli_report("caps.set", &err), CLI_EXIT_FAILED);
}
END_TEST

START_TEST(odd_errors_still_make_a_line)
{
	struct linx_error err;

	capture_start();
	linx_error_clear(&err);
	/* code 0 (a verb that forgot to set one) reads as EIO */
	ck_assert_int_eq(cli_report("v.x", &err), CLI_EXIT_FAILED);
	linx_error_set(&err, 4000, "op", NULL);
	err.message[0] = '\0';
	cli_report("v.y", &err);
	linx_error_set(&err, EINVAL, "op", "bad\x1b[31mred\n");
	cli_report("v.\x07z", &err);
	ck_assert_str_eq(captured(), "linx: v.x: eio (5): Input/output error\n"
				     "linx: v.y: unknown (4000): unknown "
				     "error\n"
				     "linx: v.?z: einval (22): bad?[31mred?\n");
}
END_TEST

START_TEST(error_as_json)
{
	struct linx_error err;
	json_t *j;

	linx_error_set(&err, ENODEV, "op", "no such device \xff");
	linx_error_object(&err, "eth\xfe");
	j = cli_error_json(&err);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "errno")),
			 "enodev");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "code")), 19);
	ck_assert_str_eq(json_string_value(json_object_get(j, "message")),
			 "no such device ?");
	ck_assert_str_eq(json_string_value(json_object_get(j, "object")),
			 "eth?");
	json_decref(j);
}
END_TEST

START_TEST(long_text_is_shortened)
{
	char *s = malloc(1000);

	memset(s, 'x', 999);
	s[999] = '\0';
	ck_assert_uint_eq(strlen(cli_short(s)), 83);
	ck_assert_str_eq(cli_short("short") , "short");
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, verb_error_with_object_and_extack);
	tcase_add_test(tc, object_not_repeated);
	tcase_add_test(tc, status_follows_the_stage);
	tcase_add_test(tc, odd_errors_still_make_a_line);
	tcase_add_test(tc, error_as_json);
	tcase_add_test(tc, long_text_is_shortened);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
