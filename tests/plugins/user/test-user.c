/* SPDX-License-Identifier: MIT */
/*
 * The user plugin: map validation (no system call), maps written at the
 * checkpoint and checked with `id` inside and /proc/<pid>/uid_map outside,
 * write-once, a gone pid, reading back, and the verbs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linx/user.h>

#include "proc-test.h"

extern const struct linx_plugin linx_plugin_user;

START_TEST(validation)
{
	struct linx_user_map m[LINX_USER_MAP_MAX + 1];
	struct linx_error err;

	ck_assert_int_eq(linx_user_map_validate(NULL, 0, "uid", &err), -EINVAL);
	ck_assert_str_eq(err.param, "uid");
	ck_assert_ptr_nonnull(strstr(err.message, "empty"));
	m[0] = (struct linx_user_map){ 0, 1000, 0 };
	ck_assert_int_eq(linx_user_map_validate(m, 1, "uid", &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "bad_entry"));
	m[0] = (struct linx_user_map){ 0, 4294967290u, 100 };
	ck_assert_int_eq(linx_user_map_validate(m, 1, "uid", &err), -EINVAL);
	m[0] = (struct linx_user_map){ 0, 1000, 10 };
	m[1] = (struct linx_user_map){ 5, 5000, 10 };
	ck_assert_int_eq(linx_user_map_validate(m, 2, "uid", &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "overlap"));
	m[1] = (struct linx_user_map){ 100, 1005, 1 };
	ck_assert_int_eq(linx_user_map_validate(m, 2, "gid", &err), -EINVAL);
	ck_assert_str_eq(err.param, "gid");
	m[1] = (struct linx_user_map){ 10, 100000, 65536 };
	linx_assert_ok(linx_user_map_validate(m, 2, "uid", &err), &err);
	for (unsigned i = 0; i <= LINX_USER_MAP_MAX; i++)
		m[i] = (struct linx_user_map){ i, 10000 + i, 1 };
	linx_assert_ok(linx_user_map_validate(m, LINX_USER_MAP_MAX, "uid", &err),
		       &err);
	ck_assert_int_eq(linx_user_map_validate(m, LINX_USER_MAP_MAX + 1, "uid",
						&err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "too_many"));
	/* Nothing reaches the kernel on a bad map, even for a bogus pid. */
	m[0].length = 0;
	ck_assert_int_eq(linx_user_set_uid_map(99999999, m, 1, &err), -EINVAL);
	ck_assert_str_eq(err.op, "bad_map");
}
END_TEST

static const char *const ID_ARGV[] = {
	"/bin/sh", "-c", "test \"$(id -u):$(id -g)\" = \"$LINX_WANT\"", NULL
};

static struct linx_process *spawn_id(struct linx_agent *a, const char *want)
{
	static char env0[64];
	static const char *env[3];
	struct linx_spawn_options o = { .argv = ID_ARGV,
					.namespaces = LINX_NS_USER | LINX_NS_PID,
					.env = env };

	snprintf(env0, sizeof(env0), "LINX_WANT=%s", want);
	env[0] = env0;
	env[1] = "PATH=/usr/bin:/bin";
	env[2] = NULL;
	return pt_spawn_opts(a, &o);
}

static char *slurp(const char *fmt, pid_t pid)
{
	char path[64];
	int st;

	snprintf(path, sizeof(path), fmt, (int)pid);
	return linx_test_sh(&st, "cat %s", path);
}

START_TEST(maps_at_the_checkpoint)
{
	/* Root outside (our uid) is root inside; the rest of the range
	 * comes from elsewhere. */
	struct linx_user_map uid[] = { { 0, 0, 1 }, { 1, 100000, 65535 } };
	struct linx_user_map gid[] = { { 0, 0, 1 }, { 1000, 300000, 1 } };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = spawn_id(a, "0:0");
	struct linx_user_map *back = NULL;
	struct linx_error err;
	size_t n = 0;
	pid_t pid;
	char *text;

	pt_wait_stage(p, LINX_PROCESS_READY);
	pid = linx_process_host_pid(p, NULL);
	/* Not written yet: empty. */
	linx_assert_ok(linx_user_read_uid_map(pid, &back, &n, &err), &err);
	ck_assert_uint_eq(n, 0);
	free(back);
	linx_assert_ok(linx_user_setup_maps(pid, uid, 2, gid, 2,
					    LINX_USER_SETGROUPS_DENY, &err),
		       &err);
	/* The kernel's own rendering, read with cat. */
	text = slurp("/proc/%d/uid_map", pid);
	{
		unsigned in[2], out[2], len[2];

		ck_assert_int_eq(sscanf(text, "%u %u %u %u %u %u", &in[0],
					&out[0], &len[0], &in[1], &out[1],
					&len[1]),
				 6);
		ck_assert_uint_eq(out[0], 0);
		ck_assert_uint_eq(in[1], 1);
		ck_assert_uint_eq(out[1], 100000);
		ck_assert_uint_eq(len[1], 65535);
	}
	free(text);
	text = slurp("/proc/%d/setgroups", pid);
	ck_assert_str_eq(text, "deny\n");
	free(text);
	linx_assert_ok(linx_user_read_gid_map(pid, &back, &n, &err), &err);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(back[1].inside, 1000);
	ck_assert_uint_eq(back[1].outside, 300000);
	free(back);
	/* Write-once. */
	ck_assert_int_eq(linx_user_set_uid_map(pid, uid, 2, &err), -EPERM);
	ck_assert_str_eq(err.op, "set_uid_map");
	ck_assert_ptr_nonnull(strstr(err.object, "/uid_map"));
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	/* `id` inside says root. */
	ck_assert_int_eq(pt_result(p).value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(unmapped_is_nobody)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = spawn_id(a, "65534:65534");
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(pt_result(p).value, 0);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(gone_pid)
{
	struct linx_user_map m = { 0, 1000, 1 };
	struct linx_user_map *back = NULL;
	struct linx_error err;
	size_t n;

	ck_assert_int_eq(linx_user_set_uid_map(99999999, &m, 1, &err), -ENOENT);
	ck_assert_str_eq(err.op, "set_uid_map");
	ck_assert_str_eq(err.object, "/proc/99999999/uid_map");
	ck_assert_int_eq(linx_user_deny_setgroups(99999999, &err), -ENOENT);
	ck_assert_str_eq(err.op, "deny_setgroups");
	ck_assert_int_eq(linx_user_read_gid_map(99999999, &back, &n, &err),
			 -ENOENT);
	ck_assert_str_eq(err.op, "read_gid_map");
	ck_assert(linx_user_supported());
}
END_TEST

START_TEST(verbs)
{
	const struct linx_plugin *plugins[] = { &linx_plugin_user };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	struct linx_value args = linx_value_map(), res, maps, e;
	struct linx_agent *a = pt_agent();
	struct linx_process *p = spawn_id(a, "0:0");
	struct linx_error err;
	pid_t pid;

	linx_map_put_cstring(&args, "pid", "self");
	linx_assert_ok(linx_call(reg, "user.read_uid_map", &args, &res, 0, &err),
		       &err);
	/* The initial namespace maps everything. */
	ck_assert_int_eq(res.len, 1);
	ck_assert_uint_eq(linx_map_get(&res.items[0], "length")->u, 4294967295u);
	linx_value_clear(&res);
	linx_value_clear(&args);

	pt_wait_stage(p, LINX_PROCESS_READY);
	pid = linx_process_host_pid(p, NULL);
	args = linx_value_map();
	linx_map_put_int(&args, "pid", pid);
	maps = linx_value_list();
	e = linx_value_list();
	linx_list_push_int(&e, 0);
	linx_list_push_int(&e, 4000);
	linx_list_push_int(&e, 1);
	linx_list_push(&maps, &e);
	linx_map_put(&args, "uid", &maps);
	linx_map_put_cstring(&args, "setgroups", "sometimes");
	ck_assert_int_eq(linx_call(reg, "user.setup_maps", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "gid"); /* required, checked first */
	maps = linx_value_list();
	e = linx_value_map();
	linx_map_put_uint(&e, "inside", 0);
	linx_map_put_uint(&e, "outside", 4000);
	linx_map_put_uint(&e, "length", 1);
	linx_list_push(&maps, &e);
	linx_map_put(&args, "gid", &maps);
	ck_assert_int_eq(linx_call(reg, "user.setup_maps", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_str_eq(err.op, "bad_setgroups");
	linx_map_put_cstring(&args, "setgroups", "deny");
	linx_assert_ok(linx_call(reg, "user.setup_maps", &args, &res, 0, &err),
		       &err);
	linx_value_clear(&args);
	args = linx_value_map();
	linx_map_put_int(&args, "pid", pid);
	linx_assert_ok(linx_call(reg, "user.read_gid_map", &args, &res, 0, &err),
		       &err);
	ck_assert_uint_eq(linx_map_get(&res.items[0], "outside")->u, 4000);
	linx_value_clear(&res);
	linx_value_clear(&args);
	linx_assert_ok(linx_process_abort(p, &err), &err);
	pt_result(p);
	linx_process_free(p);
	linx_agent_free(a);
	linx_registry_free(reg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("user");
	TCase *tc = tcase_create("user");

	linx_test_require_root();
	tcase_add_test(tc, validation);
	tcase_add_test(tc, maps_at_the_checkpoint);
	tcase_add_test(tc, unmapped_is_nobody);
	tcase_add_test(tc, gone_pid);
	tcase_add_test(tc, verbs);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
