/* SPDX-License-Identifier: MIT */
/*
 * linx plugins, verbs, help, --version, --help and the global options,
 * run as a program against the fixture plugins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-run.h"
#include "linx-test.h"

static const json_t *find_named(const json_t *array, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(array, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));

		if (n && strcmp(n, name) == 0)
			return e;
	}
	return NULL;
}

static char *fixture_file(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s.so", FIXTURE_DIR, name);
	return path;
}

START_TEST(plugins_lists_loaded_and_refused)
{
	static const struct {
		const char *name, *errno_name;
	} refused[] = {
		{ "badmajor", "enoexec" },   { "missingfield", "einval" },
		{ "dupverb", "eexist" },     { "wrongprefix", "einval" },
		{ "initfails", "eopnotsupp" }, { "notaplugin", "enoexec" },
	};
	struct cli_out r;
	const json_t *p, *list;
	json_t *j;

	int fds = linx_test_count_fds();

	cli_plugin_path = FIXTURE_DIR;
	cli_run(&r, "plugins");
	/* the harness itself leaks nothing */
	ck_assert_int_eq(linx_test_count_fds(), fds);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.err, "");
	/* compact: one line */
	ck_assert_ptr_eq(strchr(r.out, '\n'), r.out + r.out_len - 1);
	j = cli_out_json(&r);
	ck_assert(json_is_string(json_object_get(j, "path")));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(j, "path")),
				     FIXTURE_DIR));
	list = json_object_get(j, "plugins");
	p = find_named(list, "example");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(json_string_value(json_object_get(p, "version")),
			 "1.0.0");
	ck_assert_str_eq(json_string_value(json_object_get(p, "summary")),
			 "an example out-of-tree plugin");
	ck_assert_str_eq(json_string_value(json_object_get(p, "file")),
			 fixture_file("example"));
	ck_assert_int_eq(json_integer_value(json_object_get(p, "verbs")), 3);

	list = json_object_get(j, "refused");
	ck_assert_int_eq(json_array_size(list), 6);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const json_t *e = find_named(list, refused[i].name), *err;

		ck_assert_msg(e != NULL, "%s not reported", refused[i].name);
		ck_assert_str_eq(json_string_value(json_object_get(e, "file")),
				 fixture_file(refused[i].name));
		err = json_object_get(e, "error");
		ck_assert_str_eq(json_string_value(json_object_get(err, "errno")),
				 refused[i].errno_name);
		ck_assert_int_gt(json_integer_value(json_object_get(err, "code")),
				 0);
		ck_assert_ptr_nonnull(strstr(
			json_string_value(json_object_get(err, "message")),
			refused[i].name));
		/* refused plugins are not listed as loaded */
		ck_assert_ptr_null(find_named(json_object_get(j, "plugins"),
					      refused[i].name));
	}
	json_decref(j);
	cli_out_free(&r);
}
END_TEST

START_TEST(plugins_pretty_and_plugin_path_option)
{
	struct cli_out r;
	json_t *j;

	/* Nothing in the environment; --plugin-path supplies the fixtures,
	 * after the command as well as before it. */
	cli_plugin_path = "";
	cli_run(&r, "plugins", "-p", "--plugin-path", FIXTURE_DIR);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\n  \"plugins\": ["));
	j = cli_out_json(&r);
	ck_assert_ptr_nonnull(find_named(json_object_get(j, "plugins"),
					 "example"));
	/* prepended: the fixtures come first */
	ck_assert_int_eq(strncmp(json_string_value(json_object_get(j, "path")),
				 FIXTURE_DIR ":", strlen(FIXTURE_DIR ":")),
			 0);
	json_decref(j);
	cli_out_free(&r);

	cli_run(&r, "--plugin-path=" FIXTURE_DIR, "--pretty", "plugins");
	ck_assert_int_eq(r.status, 0);
	j = cli_out_json(&r);
	ck_assert_ptr_nonnull(find_named(json_object_get(j, "plugins"),
					 "example"));
	json_decref(j);
	cli_out_free(&r);

	cli_run(&r, "plugins", "--plugin-path");
	cli_assert_error(&r, 2, "--plugin-path needs a value");
	cli_out_free(&r);
	cli_run(&r, "plugins", "--plugin-path=");
	cli_assert_error(&r, 2, "empty directory list");
	cli_out_free(&r);
	cli_run(&r, "plugins", "extra");
	cli_assert_error(&r, 2, "unexpected argument \"extra\"");
	cli_out_free(&r);
}
END_TEST

START_TEST(verbs_of_example)
{
	struct cli_out r;
	const json_t *add, *params, *a, *c;
	json_t *j;

	cli_run(&r, "verbs", "example");
	ck_assert_msg(r.status == 0, "%s", r.err);
	j = cli_out_json(&r);
	ck_assert(json_is_array(j));
	ck_assert_int_eq(json_array_size(j), 3);
	/* sorted by name */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0),
							   "name")),
			 "example.add");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 2),
							   "name")),
			 "example.greet");
	add = find_named(j, "example.add");
	ck_assert_str_eq(json_string_value(json_object_get(add, "plugin")),
			 "example");
	ck_assert_str_eq(json_string_value(json_object_get(add, "summary")),
			 "Add two or three integers");
	ck_assert_str_eq(json_string_value(json_object_get(add, "result")),
			 "int: the sum");
	ck_assert_int_eq(json_array_size(json_object_get(add, "flags")), 0);
	params = json_object_get(add, "params");
	ck_assert_int_eq(json_array_size(params), 3);
	a = json_array_get(params, 0);
	ck_assert_str_eq(json_string_value(json_object_get(a, "name")), "a");
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(a, "types"), 0)),
			 "int");
	ck_assert(json_is_true(json_object_get(a, "required")));
	ck_assert_str_eq(json_string_value(json_object_get(a, "doc")),
			 "first addend");
	c = json_array_get(params, 2);
	ck_assert(json_is_false(json_object_get(c, "required")));
	ck_assert(json_is_null(json_object_get(find_named(j, "example.greet"),
					       "result")));
	json_decref(j);
	cli_out_free(&r);
}
END_TEST

START_TEST(verbs_flags_and_all_plugins)
{
	struct cli_out r;
	const json_t *read, *flags;
	json_t *j;

	/* Every plugin: the refusals are a warning, not a failure. */
	cli_run(&r, "verbs");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "6 plugins were refused"));
	j = cli_out_json(&r);
	ck_assert_ptr_nonnull(find_named(j, "example.add"));
	read = find_named(j, "ticker.monitor.read");
	ck_assert_ptr_nonnull(read);
	flags = json_object_get(read, "flags");
	ck_assert_int_eq(json_array_size(flags), 1);
	ck_assert_str_eq(json_string_value(json_array_get(flags, 0)),
			 "blocking");
	ck_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(json_array_get(
							 json_object_get(read,
									 "params"),
							 0),
						 "types"),
				 0)),
			 "handle");
	json_decref(j);
	cli_out_free(&r);

	cli_run(&r, "verbs", "nosuch");
	cli_assert_error(&r, 2, "no plugin \"nosuch\" on the search path");
	cli_out_free(&r);
	cli_run(&r, "verbs", "badmajor");
	cli_assert_error(&r, 1, "verbs: enoexec (8): plugin ");
	cli_out_free(&r);
	cli_run(&r, "verbs", "Example");
	cli_assert_error(&r, 2, "is not a plugin name");
	cli_out_free(&r);
	cli_run(&r, "verbs", "example", "ticker");
	cli_assert_error(&r, 2, "unexpected argument \"ticker\"");
	cli_out_free(&r);
}
END_TEST

START_TEST(help_for_a_verb)
{
	struct cli_out r;

	cli_run(&r, "help", "example.add");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "example.add - Add two or three "
					    "integers\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: linx call example.add "
					    "a=INT b=INT [c=INT]\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  a     int   required  first "
					    "addend\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  c     int   optional  third "
					    "addend (default 0)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "Result: int: the sum\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "Flags: none\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "Plugin: example 1.0.0 ("));
	cli_out_free(&r);

	cli_run(&r, "help", "ticker.monitor.read");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "Flags: blocking"));
	ck_assert_ptr_nonnull(strstr(r.out, "monitor:=HANDLE"));
	ck_assert_ptr_nonnull(strstr(r.out, "Result: list of {seq, big, raw}"));
	cli_out_free(&r);

	cli_run(&r, "help", "example.greet");
	ck_assert_ptr_nonnull(strstr(r.out, "Result: (not documented)"));
	ck_assert_ptr_nonnull(strstr(r.out, "[times=UINT]"));
	cli_out_free(&r);

	cli_run(&r, "help", "example.nope");
	cli_assert_error(&r, 2, "unknown verb \"example.nope\"");
	cli_out_free(&r);
}
END_TEST

START_TEST(help_for_plugins_and_commands)
{
	struct cli_out r;

	cli_run(&r, "help", "example");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "example 1.0.0 - an example "
					    "out-of-tree plugin"));
	ck_assert_ptr_nonnull(strstr(r.out, "  example.fail "));
	cli_out_free(&r);

	cli_run(&r, "help", "call");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: linx call VERB"));
	cli_out_free(&r);

	cli_run(&r, "call", "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: linx call VERB"));
	cli_out_free(&r);

	cli_run(&r, "help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: linx [OPTIONS] COMMAND"));
	cli_out_free(&r);

	cli_run(&r, "help", "nosuch");
	cli_assert_error(&r, 2, "no plugin \"nosuch\"");
	cli_out_free(&r);
}
END_TEST

START_TEST(version_help_and_usage_errors)
{
	struct cli_out r;
	char want[64];

	snprintf(want, sizeof(want), "linx %s (liblinx %s, plugin ABI %d.%d)\n",
		 LINX_VERSION_STRING, linx_version(), LINX_ABI_MAJOR,
		 LINX_ABI_MINOR);
	cli_run(&r, "--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
	cli_out_free(&r);

	cli_run(&r, "--help");
	ck_assert_int_eq(r.status, 0);
	for (const char *const *c = (const char *const[]){
		     "plugins", "verbs", "help", "call", "monitor",
		     "--plugin-path", "--pretty", "Exit status", NULL };
	     *c; c++)
		ck_assert_msg(strstr(r.out, *c), "--help lacks %s", *c);
	cli_out_free(&r);

	cli_run(&r, "frobnicate");
	cli_assert_error(&r, 2, "unknown command \"frobnicate\"");
	cli_out_free(&r);
	cli_run(&r, "--frob");
	cli_assert_error(&r, 2, "unknown option \"--frob\"");
	cli_out_free(&r);
	cli_run(&r, "call", "--frob", "example.add");
	cli_assert_error(&r, 2, "call: unknown option \"--frob\"");
	cli_out_free(&r);
	cli_run(&r, "-p");
	cli_assert_error(&r, 2, "no command given");
	cli_out_free(&r);
	cli_run(&r, "--", "--version");
	cli_assert_error(&r, 2, "unknown command \"--version\"");
	cli_out_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-commands");
	TCase *tc = tcase_create("commands");

	tcase_add_test(tc, plugins_lists_loaded_and_refused);
	tcase_add_test(tc, plugins_pretty_and_plugin_path_option);
	tcase_add_test(tc, verbs_of_example);
	tcase_add_test(tc, verbs_flags_and_all_plugins);
	tcase_add_test(tc, help_for_a_verb);
	tcase_add_test(tc, help_for_plugins_and_commands);
	tcase_add_test(tc, version_help_and_usage_errors);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
