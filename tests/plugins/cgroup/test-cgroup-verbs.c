/* SPDX-License-Identifier: MIT */
/*
 * The cgroup verbs: the contract the bindings are written against (names,
 * flags, parameters, result shapes), schema and argument refusals, and
 * the same verbs through the loadable module found on the search path.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linx/cgroup.h>

#include "cgroup-test.h"

#ifndef CGROUP_PLUGIN_DIR
#error CGROUP_PLUGIN_DIR must be defined
#endif

static struct linx_registry *reg;

static void setup_static(void)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_cgroup };

	reg = linx_test_registry(plugins, 1);
}

static void teardown_static(void)
{
	linx_registry_free(reg);
	reg = NULL;
}

/* Call `verb` with `args` (consumed), asserting success; returns the
 * result (caller clears). */
static struct linx_value call_ok(const char *verb, struct linx_value *args)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err;

	linx_assert_ok(linx_call(reg, verb, args, &res, 0, &err), &err);
	linx_value_clear(args);
	return res;
}

/* Call expecting failure with `code` and op `op` (and param if not
 * NULL).  Consumes args. */
static void call_fails(const char *verb, struct linx_value *args, int code,
		       const char *op, const char *param)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err;
	char buf[2048];
	int r = linx_call(reg, verb, args, &res, 0, &err);

	linx_error_format(&err, buf, sizeof(buf));
	ck_assert_msg(r == -code && err.code == code && strcmp(err.op, op) == 0,
		      "%s: expected %s/%d, got %d: %s", verb, op, code, r, buf);
	if (param)
		ck_assert_msg(strcmp(err.param, param) == 0,
			      "%s: param \"%s\", expected \"%s\"", verb,
			      err.param, param);
	ck_assert_int_eq(res.type, LINX_NIL);
	linx_value_clear(args);
}

static struct linx_value path_args(const char *path)
{
	struct linx_value args = linx_value_map();

	linx_map_put_cstring(&args, "path", path);
	return args;
}

START_TEST(verb_table_contract)
{
	static const struct {
		const char *name;
		uint32_t flags;
		const char *params; /* name:R (required) or name:O */
	} want[] = {
		{ "cgroup.add_process", 0, "path:R pid:R" },
		{ "cgroup.create", 0, "path:R" },
		{ "cgroup.destroy", 0, "path:R" },
		{ "cgroup.diff", 0,
		  "observed:R desired:R last_applied:O revert_on_release:O" },
		{ "cgroup.enable_controllers", 0, "path:R controllers:R" },
		{ "cgroup.freeze", LINX_VERB_BLOCKING, "path:R timeout_ms:O" },
		{ "cgroup.read", 0, "path:R file:R" },
		{ "cgroup.reconcile", LINX_VERB_BLOCKING,
		  "path:R desired:R last_applied:O revert_on_release:O" },
		{ "cgroup.set_cpu_max", 0, "path:R quota:R period:O" },
		{ "cgroup.set_memory_max", 0, "path:R bytes:R" },
		{ "cgroup.set_pids_max", 0, "path:R max:R" },
		{ "cgroup.stats", 0, "path:R" },
		{ "cgroup.supported", 0, "" },
		{ "cgroup.thaw", LINX_VERB_BLOCKING, "path:R timeout_ms:O" },
		{ "cgroup.write", 0, "path:R file:R value:R" },
	};
	size_t n = 0;

	for (const struct linx_verb *v; (v = linx_registry_verb(reg, n));
	     n++) {
		char params[256] = "";
		size_t len = 0;

		ck_assert_uint_lt(n, sizeof(want) / sizeof(want[0]));
		ck_assert_str_eq(v->name, want[n].name);
		ck_assert_uint_eq(v->flags, want[n].flags);
		ck_assert_ptr_nonnull(v->summary);
		for (uint32_t i = 0; i < v->n_params; i++)
			len += (size_t)snprintf(
				params + len, sizeof(params) - len, "%s%s:%c",
				i ? " " : "", v->params[i].name,
				(v->params[i].flags & LINX_PARAM_REQUIRED)
					? 'R'
					: 'O');
		ck_assert_str_eq(params, want[n].params);
	}
	ck_assert_uint_eq(n, sizeof(want) / sizeof(want[0]));
}
END_TEST

START_TEST(verbs_round_trip)
{
	struct linx_value args, res, list;
	const struct linx_value *f;
	char *cg, *parent, *value;
	pid_t pid;

	cgt_mount();
	parent = cgt_create(NULL, "verbs");
	cg = cgt_name(parent, "leaf");

	/* create returns the path, twice */
	for (int i = 0; i < 2; i++) {
		args = path_args(cg);
		res = call_ok("cgroup.create", &args);
		ck_assert_int_eq(res.type, LINX_STRING);
		ck_assert_str_eq(res.str, cg);
		linx_value_clear(&res);
	}

	/* add_process */
	pid = cgt_spawn_sleeper();
	args = path_args(cg);
	linx_map_put_uint(&args, "pid", (uint64_t)pid);
	res = call_ok("cgroup.add_process", &args);
	ck_assert_int_eq(res.type, LINX_NIL);

	/* write (int and string), read */
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "cgroup.max.descendants");
	linx_map_put_int(&args, "value", 4);
	call_ok("cgroup.write", &args);
	value = cgt_cat(cg, "cgroup.max.descendants");
	ck_assert_str_eq(value, "4");
	free(value);
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "cgroup.max.descendants");
	linx_map_put_uint(&args, "value", 5);
	call_ok("cgroup.write", &args);
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "cgroup.max.depth");
	linx_map_put_cstring(&args, "value", "max");
	call_ok("cgroup.write", &args);
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "cgroup.max.descendants");
	res = call_ok("cgroup.read", &args);
	ck_assert_int_eq(res.type, LINX_STRING);
	ck_assert_str_eq(res.str, "5");
	linx_value_clear(&res);

	/* freeze / thaw with and without a timeout */
	args = path_args(cg);
	call_ok("cgroup.freeze", &args);
	value = cgt_cat(cg, "cgroup.events");
	ck_assert_msg(strstr(value, "frozen 1"), "%s", value);
	free(value);
	args = path_args(cg);
	linx_map_put_uint(&args, "timeout_ms", 5000);
	call_ok("cgroup.thaw", &args);
	value = cgt_cat(cg, "cgroup.events");
	ck_assert_msg(strstr(value, "frozen 0"), "%s", value);
	free(value);

	/* stats: every key, uint or nil */
	args = path_args(cg);
	res = call_ok("cgroup.stats", &args);
	ck_assert_int_eq(res.type, LINX_MAP);
	ck_assert_uint_eq(res.len, 8);
	{
		static const char *const keys[] = {
			"cpu_usec",	    "cpu_user_usec",
			"cpu_system_usec",  "cpu_nr_throttled",
			"cpu_throttled_usec", "memory_current",
			"memory_peak",	    "pids_current",
		};
		for (size_t i = 0; i < 8; i++) {
			f = linx_map_get(&res, keys[i]);
			ck_assert_ptr_nonnull(f);
			ck_assert(f->type == LINX_UINT || f->type == LINX_NIL);
		}
		ck_assert_int_eq(linx_map_get(&res, "cpu_usec")->type,
				 LINX_UINT);
		/* nothing delegated to this leaf */
		ck_assert_int_eq(linx_map_get(&res, "memory_current")->type,
				 LINX_NIL);
		ck_assert_int_eq(linx_map_get(&res, "pids_current")->type,
				 LINX_NIL);
	}
	linx_value_clear(&res);

	/* enable_controllers: failures as maps; empty list when none */
	args = path_args(cg);
	list = linx_value_list();
	linx_list_push_cstring(&list, "nosuch");
	linx_list_push_cstring(&list, "hugetlb");
	linx_map_put(&args, "controllers", &list);
	res = call_ok("cgroup.enable_controllers", &args);
	ck_assert_int_eq(res.type, LINX_LIST);
	ck_assert_uint_eq(res.len, 2);
	f = &res.items[0];
	ck_assert_int_eq(f->type, LINX_MAP);
	ck_assert_uint_eq(f->len, 6);
	ck_assert_str_eq(linx_map_get(f, "controller")->str, "nosuch");
	ck_assert_int_eq(linx_map_get(f, "code")->i, EINVAL);
	ck_assert_str_eq(linx_map_get(f, "errno")->str, "einval");
	ck_assert_str_eq(linx_map_get(f, "op")->str, "write");
	ck_assert(asprintf(&value, "%s/cgroup.subtree_control", cg) > 0);
	ck_assert_str_eq(linx_map_get(f, "path")->str, value);
	free(value);
	ck_assert(strstr(linx_map_get(f, "message")->str, "nosuch"));
	f = &res.items[1];
	ck_assert_str_eq(linx_map_get(f, "controller")->str, "hugetlb");
	ck_assert_str_eq(linx_map_get(f, "errno")->str, "enoent");
	linx_value_clear(&res);
	args = path_args(cg);
	list = linx_value_list();
	linx_map_put(&args, "controllers", &list);
	res = call_ok("cgroup.enable_controllers", &args);
	ck_assert_int_eq(res.type, LINX_LIST);
	ck_assert_uint_eq(res.len, 0);
	linx_value_clear(&res);

	/* destroy: EBUSY while populated, then fine */
	args = path_args(cg);
	call_fails("cgroup.destroy", &args, EBUSY, "destroy", NULL);
	cgt_kill(pid);
	args = path_args(cg);
	res = call_ok("cgroup.destroy", &args);
	ck_assert_int_eq(res.type, LINX_NIL);
	args = path_args(cg);
	call_fails("cgroup.destroy", &args, ENOENT, "destroy", NULL);
	args = path_args(cg);
	call_fails("cgroup.stats", &args, ENOENT, "stats", NULL);

	/* supported */
	res = call_ok("cgroup.supported", NULL);
	ck_assert_int_eq(res.type, LINX_BOOL);
	ck_assert(res.b == linx_cgroup_supported());

	free(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

/* On a cgroup directory that does not exist, the error names the
 * interface file the call would have used, as it does when the directory
 * exists and the file is what fails (Linx 0.2.0's Cgroup.Error path). */
START_TEST(missing_cgroup_names_the_interface_file)
{
	static const struct {
		const char *verb, *file;
	} cases[] = {
		{ "cgroup.set_memory_max", "memory.max" },
		{ "cgroup.set_pids_max", "pids.max" },
		{ "cgroup.set_cpu_max", "cpu.max" },
		{ "cgroup.add_process", "cgroup.procs" },
		{ "cgroup.freeze", "cgroup.freeze" },
		{ "cgroup.thaw", "cgroup.freeze" },
		{ "cgroup.read", "memory.current" },
		{ "cgroup.write", "memory.high" },
	};
	char *parent, *gone, want[4096];

	cgt_mount();
	parent = cgt_create(NULL, "vmissing");
	ck_assert(asprintf(&gone, "%s/not-there", parent) > 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct linx_value args = path_args(gone), res = linx_value_nil();
		struct linx_error err;

		if (strcmp(cases[i].verb, "cgroup.set_memory_max") == 0)
			linx_map_put_uint(&args, "bytes", 1 << 20);
		else if (strcmp(cases[i].verb, "cgroup.set_pids_max") == 0)
			linx_map_put_uint(&args, "max", 3);
		else if (strcmp(cases[i].verb, "cgroup.set_cpu_max") == 0)
			linx_map_put_cstring(&args, "quota", "max");
		else if (strcmp(cases[i].verb, "cgroup.add_process") == 0)
			linx_map_put_uint(&args, "pid", (uint64_t)getpid());
		else if (strcmp(cases[i].verb, "cgroup.read") == 0)
			linx_map_put_cstring(&args, "file", cases[i].file);
		else if (strcmp(cases[i].verb, "cgroup.write") == 0) {
			linx_map_put_cstring(&args, "file", cases[i].file);
			linx_map_put_cstring(&args, "value", "max");
		}
		ck_assert_int_eq(linx_call(reg, cases[i].verb, &args, &res, 0,
					   &err),
				 -ENOENT);
		snprintf(want, sizeof(want), "%s/%s", gone, cases[i].file);
		ck_assert_msg(strcmp(err.object, want) == 0,
			      "%s names \"%s\", expected \"%s\"",
			      cases[i].verb, err.object, want);
		linx_value_clear(&args);
		linx_value_clear(&res);
	}
	free(gone);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(limits_through_verbs_reach_the_setters)
{
	struct linx_value args;
	char *parent, *cg;

	cgt_mount();
	parent = cgt_create(NULL, "vlimits");
	cg = cgt_create(parent, "leaf");
	/* valid values pass the verb and reach the (missing) files: ENOENT
	 * from "write" proves the verb forwarded them */
	args = path_args(cg);
	linx_map_put_uint(&args, "bytes", 1 << 20);
	call_fails("cgroup.set_memory_max", &args, ENOENT, "write", NULL);
	args = path_args(cg);
	linx_map_put_cstring(&args, "bytes", "max");
	call_fails("cgroup.set_memory_max", &args, ENOENT, "write", NULL);
	args = path_args(cg);
	linx_map_put_int(&args, "max", 3);
	call_fails("cgroup.set_pids_max", &args, ENOENT, "write", NULL);
	args = path_args(cg);
	linx_map_put_cstring(&args, "quota", "max");
	call_fails("cgroup.set_cpu_max", &args, ENOENT, "write", NULL);
	args = path_args(cg);
	linx_map_put_uint(&args, "quota", 50000);
	linx_map_put_uint(&args, "period", 200000);
	call_fails("cgroup.set_cpu_max", &args, ENOENT, "write", NULL);
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(schema_and_argument_refusals)
{
	struct linx_value args, list;
	char *cg;

	/* never created: every refusal comes before the path is used */
	cgt_mount();
	cg = cgt_name(NULL, "never");

	/* missing, mistyped, unknown */
	args = linx_value_map();
	call_fails("cgroup.create", &args, EINVAL, "validate", "path");
	call_fails("cgroup.create", NULL, EINVAL, "validate", "path");
	args = linx_value_map();
	linx_map_put_int(&args, "path", 3);
	call_fails("cgroup.create", &args, EINVAL, "validate", "path");
	args = path_args(cg);
	linx_map_put_int(&args, "mode", 0755);
	call_fails("cgroup.create", &args, EINVAL, "validate", "mode");
	args = path_args(cg);
	call_fails("cgroup.add_process", &args, EINVAL, "validate", "pid");
	args = path_args(cg);
	linx_map_put_int(&args, "pid", -1);
	call_fails("cgroup.add_process", &args, EINVAL, "validate", "pid");
	args = path_args(cg);
	linx_map_put_cstring(&args, "pid", "1");
	call_fails("cgroup.add_process", &args, EINVAL, "validate", "pid");
	/* what a type cannot say: checked by the verb, before any work */
	args = path_args(cg);
	linx_map_put_uint(&args, "pid", 0);
	call_fails("cgroup.add_process", &args, EINVAL, "validate", "pid");
	args = path_args(cg);
	linx_map_put_uint(&args, "pid", (uint64_t)INT32_MAX + 1);
	call_fails("cgroup.add_process", &args, EINVAL, "validate", "pid");
	args = path_args(cg);
	linx_map_put_cstring(&args, "bytes", "MAX");
	call_fails("cgroup.set_memory_max", &args, EINVAL, "validate",
		   "bytes");
	args = path_args(cg);
	linx_map_put_int(&args, "bytes", -1);
	call_fails("cgroup.set_memory_max", &args, EINVAL, "validate",
		   "bytes");
	args = path_args(cg);
	linx_map_put_cstring(&args, "max", "unlimited");
	call_fails("cgroup.set_pids_max", &args, EINVAL, "validate", "max");
	args = path_args(cg);
	linx_map_put_uint(&args, "max", LINX_CGROUP_PIDS_MAX_LIMIT + 1ull);
	call_fails("cgroup.set_pids_max", &args, EINVAL, "validate", "max");
	args = path_args(cg);
	linx_map_put_cstring(&args, "quota", "half");
	call_fails("cgroup.set_cpu_max", &args, EINVAL, "validate", "quota");
	args = path_args(cg);
	linx_map_put_uint(&args, "quota", 50000);
	linx_map_put_uint(&args, "period", 0);
	call_fails("cgroup.set_cpu_max", &args, EINVAL, "validate", "period");
	args = path_args(cg);
	linx_map_put_uint(&args, "quota", 500);
	call_fails("cgroup.set_cpu_max", &args, EINVAL, "validate", "quota");
	args = path_args(cg);
	linx_map_put_cstring(&args, "quota", "max");
	linx_map_put_cstring(&args, "period", "100000");
	call_fails("cgroup.set_cpu_max", &args, EINVAL, "validate", "period");
	args = path_args(cg);
	linx_map_put_uint(&args, "timeout_ms", (uint64_t)UINT32_MAX + 1);
	call_fails("cgroup.freeze", &args, EINVAL, "validate", "timeout_ms");
	args = path_args(cg);
	linx_map_put_int(&args, "timeout_ms", -5);
	call_fails("cgroup.thaw", &args, EINVAL, "validate", "timeout_ms");
	args = path_args(cg);
	list = linx_value_list();
	linx_list_push_cstring(&list, "memory");
	linx_list_push_int(&list, 1);
	linx_map_put(&args, "controllers", &list);
	call_fails("cgroup.enable_controllers", &args, EINVAL, "validate",
		   "controllers");
	args = path_args(cg);
	list = linx_value_list();
	for (int i = 0; i < 65; i++)
		linx_list_push_cstring(&list, "pids");
	linx_map_put(&args, "controllers", &list);
	call_fails("cgroup.enable_controllers", &args, EINVAL, "validate",
		   "controllers");
	args = path_args(cg);
	list = linx_value_list();
	linx_list_push_cstring(&list, "+pids");
	linx_map_put(&args, "controllers", &list);
	call_fails("cgroup.enable_controllers", &args, EINVAL, "validate",
		   "controllers");
	args = path_args(cg);
	linx_map_put_cstring(&args, "controllers", "memory");
	call_fails("cgroup.enable_controllers", &args, EINVAL, "validate",
		   "controllers");
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "cgroup.procs");
	linx_map_put_bool(&args, "value", true);
	call_fails("cgroup.write", &args, EINVAL, "validate", "value");
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "../cgroup.procs");
	call_fails("cgroup.read", &args, EINVAL, "validate", "file");
	args = path_args(cg);
	linx_map_put_bytes(&args, "file", "cgroup.procs", 12);
	call_fails("cgroup.read", &args, EINVAL, "validate", "file");
	/* paths: relative, "..", outside cgroup2 */
	args = path_args("sys/fs/cgroup/x");
	call_fails("cgroup.create", &args, EINVAL, "validate", "path");
	args = path_args("/sys/fs/cgroup/unified/../memory/x");
	call_fails("cgroup.create", &args, EINVAL, "validate", "path");
	args = path_args("/tmp");
	call_fails("cgroup.stats", &args, EINVAL, "validate", "path");
	args = linx_value_map();
	linx_map_put_cstring(&args, "path", "/tmp");
	call_fails("cgroup.supported", &args, EINVAL, "validate", "path");
	free(cg);
	cgt_unmount();
}
END_TEST

START_TEST(module_from_search_path)
{
	struct linx_registry *mreg;
	struct linx_value args, res = linx_value_nil();
	struct linx_error err;
	const struct linx_plugin *p;
	const char *file = NULL;
	char *cg, *expected;
	int r;

	cgt_mount();
	setenv(LINX_PLUGIN_PATH_ENV, CGROUP_PLUGIN_DIR, 1);
	linx_assert_ok(linx_registry_new(&mreg, 0, &err), &err);
	cg = cgt_name(NULL, "module");
	args = path_args(cg);
	linx_assert_ok(linx_call(mreg, "cgroup.create", &args, &res, 0, &err),
		       &err);
	ck_assert_str_eq(res.str, cg);
	linx_value_clear(&res);
	p = linx_registry_plugin(mreg, 0, &file);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->name, "cgroup");
	ck_assert(asprintf(&expected, "%s/cgroup/cgroup.so",
			   CGROUP_PLUGIN_DIR) > 0);
	ck_assert_str_eq(file, expected);
	free(expected);
	/* host-table calls inside the module: errors and results */
	linx_value_clear(&args);
	args = path_args(cg);
	linx_map_put_cstring(&args, "file", "cgroup.type");
	linx_assert_ok(linx_call(mreg, "cgroup.read", &args, &res, 0, &err),
		       &err);
	ck_assert_str_eq(res.str, "domain");
	linx_value_clear(&res);
	linx_value_clear(&args);
	args = path_args(cg);
	linx_assert_ok(linx_call(mreg, "cgroup.stats", &args, &res, 0, &err),
		       &err);
	ck_assert_int_eq(res.type, LINX_MAP);
	linx_value_clear(&res);
	linx_value_clear(&args);
	args = path_args("/tmp/x");
	r = linx_call(mreg, "cgroup.create", &args, &res, 0, &err);
	ck_assert_int_eq(r, -EINVAL);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, "path");
	linx_value_clear(&args);
	args = path_args(cg);
	linx_assert_ok(linx_call(mreg, "cgroup.destroy", &args, &res, 0, &err),
		       &err);
	r = linx_call(mreg, "cgroup.destroy", &args, &res, 0, &err);
	ck_assert_int_eq(r, -ENOENT);
	ck_assert_str_eq(err.object, cg);
	linx_value_clear(&args);
	linx_registry_free(mreg);
	free(cg);
	cgt_unmount();
}
END_TEST

START_TEST(module_exports_one_symbol)
{
	int status;
	char *out;

	ck_assert_msg(linx_test_have("nm"), "nm (binutils) is needed");
	out = linx_test_sh(&status,
			   "nm -D --defined-only '%s/cgroup/cgroup.so' | "
			   "awk '{ print $3 }'",
			   CGROUP_PLUGIN_DIR);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(out, LINX_PLUGIN_SYMBOL_NAME "\n");
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup-verbs");
	TCase *tc;

	linx_test_require_root();
	cgt_init();

	tc = tcase_create("static");
	tcase_add_checked_fixture(tc, setup_static, teardown_static);
	tcase_add_test(tc, verb_table_contract);
	tcase_add_test(tc, verbs_round_trip);
	tcase_add_test(tc, missing_cgroup_names_the_interface_file);
	tcase_add_test(tc, limits_through_verbs_reach_the_setters);
	tcase_add_test(tc, schema_and_argument_refusals);
	suite_add_tcase(s, tc);

	tc = tcase_create("module");
	tcase_add_test(tc, module_from_search_path);
	tcase_add_test(tc, module_exports_one_symbol);
	suite_add_tcase(s, tc);

	return cgt_run(s);
}
