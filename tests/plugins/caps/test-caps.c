/* SPDX-License-Identifier: MIT */
/*
 * The caps plugin: names, reading checked against capsh --decode, and the
 * child-side verbs on a parked workload, checked in /proc/<pid>/status, with
 * getpcaps, and by an operation needing a dropped capability failing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linx/caps.h>

#include "proc-test.h"

extern const struct linx_plugin linx_plugin_caps;

#define BIT(c) (1ull << (c))
enum { NET_BIND = 10, NET_ADMIN = 12, SETPCAP = 8, SYS_CHROOT = 18,
       SYS_ADMIN = 21 };

START_TEST(names)
{
	uint64_t m = 0;
	struct linx_error err;

	ck_assert_str_eq(linx_caps_name(NET_ADMIN), "cap_net_admin");
	ck_assert_str_eq(linx_caps_name(40), "cap_checkpoint_restore");
	ck_assert_ptr_null(linx_caps_name(LINX_CAPS_KNOWN));
	ck_assert_int_eq(linx_caps_from_name("cap_net_admin"), NET_ADMIN);
	ck_assert_int_eq(linx_caps_from_name("CAP_NET_ADMIN"), NET_ADMIN);
	ck_assert_int_eq(linx_caps_from_name("net_admin"), NET_ADMIN);
	ck_assert_int_eq(linx_caps_from_name("cap_bogus"), -1);
	linx_assert_ok(linx_caps_parse("cap_net_bind_service,sys_chroot", &m,
				       &err),
		       &err);
	ck_assert_uint_eq(m, BIT(NET_BIND) | BIT(SYS_CHROOT));
	ck_assert_int_eq(linx_caps_parse("cap_chown,cap_bogus", &m, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "caps");
	ck_assert_ptr_nonnull(strstr(err.message, "bad_capability"));
	ck_assert(linx_caps_supported());
}
END_TEST

START_TEST(read_matches_capsh)
{
	const struct linx_plugin *plugins[] = { &linx_plugin_caps };
	struct linx_registry *reg;
	struct linx_caps_state st;
	struct linx_value args = linx_value_map(), res;
	struct linx_error err;
	char *want, *got;
	int status;

	linx_test_require(linx_test_have("capsh"), "capsh (libcap2-bin) missing");
	linx_assert_ok(linx_caps_read(1, &st, &err), &err);
	/* Our names for pid 1's bounding set, against capsh's. */
	want = linx_test_sh(&status, "capsh --decode=%llx | sed 's/.*=//'",
			    (unsigned long long)st.bounding);
	reg = linx_test_registry(plugins, 1);
	linx_map_put_int(&args, "pid", 1);
	linx_assert_ok(linx_call(reg, "caps.read", &args, &res, 0, &err), &err);
	{
		const struct linx_value *b = linx_map_get(&res, "bounding");
		size_t len = 0;

		got = calloc(1, 4096);
		for (uint32_t i = 0; i < b->len; i++)
			len += (size_t)snprintf(got + len, 4096 - len, "%s%s",
						i ? "," : "", b->items[i].str);
		strcat(got, "\n");
	}
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
	linx_value_clear(&res);
	linx_value_clear(&args);
	/* A gone pid. */
	ck_assert_int_eq(linx_caps_read(99999999, &st, &err), -ENOENT);
	ck_assert_str_eq(err.object, "/proc/99999999/status");
	linx_registry_free(reg);
}
END_TEST

static struct linx_process *parked(struct linx_agent *a, const char *const *argv)
{
	struct linx_process *p = pt_spawn(a, 0, argv);

	pt_wait_stage(p, LINX_PROCESS_READY);
	return p;
}

static const char *const CHROOT_ARGV[] = { "/usr/sbin/chroot", "/", "/bin/true",
					   NULL };

START_TEST(dropped_bounding_cap_is_gone)
{
	struct linx_agent *a = pt_agent();
	struct linx_process *p = parked(a, CHROOT_ARGV);
	struct linx_process *q = parked(a, CHROOT_ARGV);
	struct linx_caps_state st;
	struct linx_process_result res;
	struct linx_error err;

	/* Control: root may chroot. */
	linx_assert_ok(linx_process_proceed(q, &err), &err);
	ck_assert_int_eq(pt_result(q).value, 0);
	linx_assert_ok(linx_caps_process_drop_bounding(p, BIT(SYS_CHROOT), &err),
		       &err);
	linx_assert_ok(linx_caps_read(linx_process_host_pid(p, NULL), &st, &err),
		       &err);
	ck_assert(!(st.bounding & BIT(SYS_CHROOT)));
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	/* chroot(2) now fails with EPERM, whatever root says. */
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_ne(res.value, 0);
	linx_process_free(p);
	linx_process_free(q);
	linx_agent_free(a);
}
END_TEST

START_TEST(keep_one_cap_seen_by_getpcaps)
{
	static const char *const argv[] = { "/bin/sleep", "60", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = parked(a, argv);
	pid_t pid = linx_process_host_pid(p, NULL);
	struct linx_caps_state st;
	struct linx_error err;
	char *out;
	int status;

	linx_test_require(linx_test_have("getpcaps"), "getpcaps missing");
	linx_assert_ok(linx_caps_process_drop_bounding(
			       p, linx_caps_all() & ~BIT(NET_BIND), &err),
		       &err);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	linx_assert_ok(linx_caps_read(pid, &st, &err), &err);
	ck_assert_uint_eq(st.bounding, BIT(NET_BIND));
	/* Root's permitted set after execve is its bounding set. */
	ck_assert_uint_eq(st.permitted, BIT(NET_BIND));
	ck_assert_uint_eq(st.effective, BIT(NET_BIND));
	out = linx_test_sh(&status, "getpcaps %d", (int)pid);
	ck_assert_msg(strstr(out, "cap_net_bind_service=ep"), "getpcaps: %s",
		      out);
	free(out);
	linx_assert_ok(linx_process_signal(p, 9, &err), &err);
	pt_result(p);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(thread_sets_and_ambient)
{
	static const char *const argv[] = { "/bin/sleep", "60", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = parked(a, argv);
	pid_t pid = linx_process_host_pid(p, NULL);
	uint64_t keep = BIT(NET_BIND) | BIT(NET_ADMIN);
	struct linx_caps_state st;
	struct linx_error err;

	linx_assert_ok(linx_caps_process_set_thread_sets(p, keep, keep, keep,
							 &err),
		       &err);
	linx_assert_ok(linx_caps_process_set_ambient(p, BIT(NET_BIND), &err),
		       &err);
	/* The parked child's own thread, read from the host. */
	linx_assert_ok(linx_caps_read(pid, &st, &err), &err);
	ck_assert_uint_eq(st.effective, keep);
	ck_assert_uint_eq(st.permitted, keep);
	ck_assert_uint_eq(st.inheritable, keep);
	ck_assert_uint_eq(st.ambient, BIT(NET_BIND));
	linx_assert_ok(linx_process_abort(p, &err), &err);
	pt_result(p);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

START_TEST(refusals_and_failures)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = parked(a, argv);
	struct linx_value args = linx_value_map(), l = linx_value_list();
	struct linx_process_result res;
	struct linx_error err;

	/* An unknown name is refused and the child stays parked. */
	linx_list_push_cstring(&l, "cap_bogus");
	linx_map_put(&args, "caps", &l);
	ck_assert_int_eq(linx_process_call(p, "caps.drop_bounding", &args, NULL,
					   &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "caps");
	linx_value_clear(&args);
	/* An empty drop list is refused, not "drop nothing" (issue 9.5). */
	args = linx_value_map();
	l = linx_value_list();
	linx_map_put(&args, "caps", &l);
	ck_assert_int_eq(linx_process_call(p, "caps.drop_bounding", &args, NULL,
					   &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "caps");
	ck_assert_ptr_nonnull(strstr(err.message, "empty_list"));
	linx_value_clear(&args);
	ck_assert_int_eq(linx_caps_process_drop_bounding(p, 0, &err), -EINVAL);
	ck_assert_str_eq(err.param, "caps");
	/* A host-side verb cannot be called in the child, nor a child
	 * verb on the host. */
	args = linx_value_map();
	linx_map_put_cstring(&args, "pid", "self");
	ck_assert_int_eq(linx_process_call(p, "caps.read", &args, NULL, &err),
			 -EPERM);
	linx_value_clear(&args);
	ck_assert_int_eq(linx_process_call(p, "nosuch.verb", NULL, NULL, &err),
			 -ENOENT);
	{
		struct linx_process_info info;

		linx_process_info(p, &info, NULL);
		ck_assert_int_eq(info.stage, LINX_PROCESS_READY);
	}
	/* A kernel failure ends the session with the verb's stage: ambient
	 * caps must be in the inheritable set. */
	linx_assert_ok(linx_caps_process_set_thread_sets(p, BIT(NET_BIND),
							 BIT(NET_BIND), 0,
							 &err),
		       &err);
	ck_assert_int_eq(linx_caps_process_set_ambient(p, BIT(NET_BIND), &err),
			 -EPERM);
	ck_assert_str_eq(err.op, "cap_set_ambient");
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_ERRORED);
	ck_assert_str_eq(res.error.op, "cap_set_ambient");
	ck_assert_int_eq(res.value, EPERM);
	/* After the end: no_process. */
	ck_assert_int_eq(linx_caps_process_drop_bounding(p, 1, &err), -ESRCH);
	linx_process_free(p);
	/* Once running: refused. */
	p = parked(a, (const char *const[]){ "/bin/sleep", "60", NULL });
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(linx_caps_process_drop_bounding(p, 1, &err), -EBUSY);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("caps");

	linx_test_require_root();
	/* The agent finds the caps module here (the build tree keeps each
	 * plugin in its own folder). */
	setenv(LINX_PLUGIN_PATH_ENV, PLUGIN_PATH, 1);
	tcase_add_test(tc, names);
	tcase_add_test(tc, read_matches_capsh);
	tcase_add_test(tc, dropped_bounding_cap_is_gone);
	tcase_add_test(tc, keep_one_cap_seen_by_getpcaps);
	tcase_add_test(tc, thread_sets_and_ambient);
	tcase_add_test(tc, refusals_and_failures);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
