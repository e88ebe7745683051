/* SPDX-License-Identifier: MIT */
/*
 * The cgroup plugin's parsers and name checks, without a kernel: what a
 * newer kernel or a malformed file could hand stats() and freeze(), and
 * which paths, file names and controller names are refused as text.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup-internal.h"
#include "linx-test.h"

#define S(lit) (lit), (sizeof(lit) - 1)

START_TEST(u64_strict)
{
	uint64_t v = 7;

	ck_assert(cg_parse_u64(S("0"), &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(cg_parse_u64(S("18446744073709551615"), &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	v = 7;
	ck_assert(!cg_parse_u64(S("18446744073709551616"), &v));
	ck_assert(!cg_parse_u64(S("99999999999999999999999"), &v));
	ck_assert(!cg_parse_u64(S(""), &v));
	ck_assert(!cg_parse_u64(S("-1"), &v));
	ck_assert(!cg_parse_u64(S("+1"), &v));
	ck_assert(!cg_parse_u64(S(" 1"), &v));
	ck_assert(!cg_parse_u64(S("1 "), &v));
	ck_assert(!cg_parse_u64(S("0x10"), &v));
	ck_assert(!cg_parse_u64(S("1.5"), &v));
	ck_assert(!cg_parse_u64(S("max"), &v));
	ck_assert_uint_eq(v, 7); /* untouched on failure */
}
END_TEST

START_TEST(single_value_files)
{
	uint64_t v;

	ck_assert(cg_parse_single_u64(S("4096\n"), &v));
	ck_assert_uint_eq(v, 4096);
	ck_assert(cg_parse_single_u64(S("4096"), &v));
	ck_assert(!cg_parse_single_u64(S("max\n"), &v));
	ck_assert(!cg_parse_single_u64(S("\n"), &v));
	ck_assert(!cg_parse_single_u64(S(""), &v));
	ck_assert(!cg_parse_single_u64(S("12\n\n"), &v));
	ck_assert(!cg_parse_single_u64(S("12 34\n"), &v));
}
END_TEST

START_TEST(cpu_stat_known_and_unknown)
{
	/* 6.x with the cpu controller, plus lines from the future */
	static const char text[] = "usage_usec 1234567\n"
				   "user_usec 1000000\n"
				   "system_usec 234567\n"
				   "core_sched.force_idle_usec 0\n"
				   "nr_periods 10\n"
				   "nr_throttled 3\n"
				   "throttled_usec 4242\n"
				   "nr_bursts 0\n"
				   "burst_usec 0\n"
				   "some_future_counter 18446744073709551615\n"
				   "a_line_without_value\n"
				   "\n"
				   "weird line with spaces 1\n";
	struct linx_cgroup_stats s;

	memset(&s, 0, sizeof(s));
	cg_parse_cpu_stat(text, sizeof(text) - 1, &s);
	ck_assert_uint_eq(s.present, LINX_CGROUP_STAT_CPU_USEC |
					     LINX_CGROUP_STAT_CPU_USER_USEC |
					     LINX_CGROUP_STAT_CPU_SYSTEM_USEC |
					     LINX_CGROUP_STAT_CPU_NR_THROTTLED |
					     LINX_CGROUP_STAT_CPU_THROTTLED_USEC);
	ck_assert_uint_eq(s.cpu_usec, 1234567);
	ck_assert_uint_eq(s.cpu_user_usec, 1000000);
	ck_assert_uint_eq(s.cpu_system_usec, 234567);
	ck_assert_uint_eq(s.cpu_nr_throttled, 3);
	ck_assert_uint_eq(s.cpu_throttled_usec, 4242);
	ck_assert_uint_eq(s.memory_current, 0);
}
END_TEST

START_TEST(cpu_stat_without_cpu_controller)
{
	static const char text[] = "usage_usec 5\nuser_usec 3\nsystem_usec "
				   "2\nnice_usec 0\n";
	struct linx_cgroup_stats s;

	memset(&s, 0, sizeof(s));
	cg_parse_cpu_stat(text, sizeof(text) - 1, &s);
	ck_assert_uint_eq(s.present, LINX_CGROUP_STAT_CPU_USEC |
					     LINX_CGROUP_STAT_CPU_USER_USEC |
					     LINX_CGROUP_STAT_CPU_SYSTEM_USEC);
}
END_TEST

START_TEST(cpu_stat_malformed_values_are_left_out)
{
	/* Each bad value drops only its own field. */
	static const char text[] = "usage_usec 12x\n"
				   "user_usec -1\n"
				   "system_usec 99999999999999999999999\n"
				   "nr_throttled \n"
				   "throttled_usec 7"; /* no final newline */
	struct linx_cgroup_stats s;

	memset(&s, 0, sizeof(s));
	cg_parse_cpu_stat(text, sizeof(text) - 1, &s);
	ck_assert_uint_eq(s.present, LINX_CGROUP_STAT_CPU_THROTTLED_USEC);
	ck_assert_uint_eq(s.cpu_throttled_usec, 7);
	ck_assert_uint_eq(s.cpu_usec, 0);
	ck_assert_uint_eq(s.cpu_system_usec, 0);
}
END_TEST

START_TEST(cpu_stat_key_must_match_exactly)
{
	static const char text[] = "usage_usec_total 1\n"
				   "usage 2\n"
				   "xusage_usec 3\n"
				   "USAGE_USEC 4\n"
				   " usage_usec 5\n";
	struct linx_cgroup_stats s;

	memset(&s, 0, sizeof(s));
	cg_parse_cpu_stat(text, sizeof(text) - 1, &s);
	ck_assert_uint_eq(s.present, 0);
	/* empty input, a lone newline, binary junk */
	cg_parse_cpu_stat("", 0, &s);
	cg_parse_cpu_stat("\n", 1, &s);
	cg_parse_cpu_stat("\0\0 \0\n\xff\xfe", 7, &s);
	ck_assert_uint_eq(s.present, 0);
}
END_TEST

START_TEST(cgroup_events_frozen)
{
	ck_assert_int_eq(cg_parse_frozen(S("populated 1\nfrozen 1\n")), 1);
	ck_assert_int_eq(cg_parse_frozen(S("populated 0\nfrozen 0\n")), 0);
	ck_assert_int_eq(cg_parse_frozen(S("frozen 1")), 1);
	ck_assert_int_eq(cg_parse_frozen(S("populated 1\n")), -EBADMSG);
	ck_assert_int_eq(cg_parse_frozen(S("frozen 2\n")), -EBADMSG);
	ck_assert_int_eq(cg_parse_frozen(S("frozen 10\n")), -EBADMSG);
	ck_assert_int_eq(cg_parse_frozen(S("frozenx 1\n")), -EBADMSG);
	ck_assert_int_eq(cg_parse_frozen(S("")), -EBADMSG);
}
END_TEST

START_TEST(path_syntax)
{
	static const char *const good[] = {
		"/", "/sys/fs/cgroup", "/sys/fs/cgroup/a.b", "/a/...", "/a/.b",
		"/a/b..", "/a b/c",
	};
	static const char *const bad[] = {
		"",	 "a",	    "a/b",  "./a",  "//",	"/a//b",
		"/a/",	 "/a/.",    "/a/..", "/./a", "/../a", "/a/./b",
		"/a/../b", "~/x",
	};
	struct linx_error err;
	char *p;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int r = cg_path_check(good[i], "path", &err);

		ck_assert_msg(r == 0, "\"%s\" refused: %s", good[i],
			      err.message);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = cg_path_check(bad[i], "path", &err);

		ck_assert_msg(r == -EINVAL, "\"%s\" accepted", bad[i]);
		ck_assert_str_eq(err.op, "validate");
		ck_assert_str_eq(err.param, "path");
		ck_assert(err.message[0] != '\0');
	}
	ck_assert_int_eq(cg_path_check(NULL, "path", &err), -EINVAL);
	ck_assert_int_eq(cg_path_check("rel", "path", NULL), -EINVAL);
	p = malloc(PATH_MAX + 1);
	memset(p, 'x', PATH_MAX);
	p[0] = '/';
	for (int i = 200; i < PATH_MAX; i += 200)
		p[i] = '/';
	p[PATH_MAX - 1] = '\0'; /* PATH_MAX - 1 bytes: the longest allowed */
	ck_assert_int_eq(cg_path_check(p, "path", &err), 0);
	p[PATH_MAX - 1] = 'x';
	p[PATH_MAX] = '\0';
	ck_assert_int_eq(cg_path_check(p, "path", &err), -EINVAL);
	free(p);
}
END_TEST

START_TEST(file_and_controller_names)
{
	static const char *const good_files[] = { "cgroup.procs", "memory.max",
						  "x", "...", ".hidden" };
	static const char *const bad_files[] = { "", ".", "..", "a/b", "/" };
	static const char *const good_ctl[] = { "memory", "net_cls", "cpu",
						"_" };
	static const char *const bad_ctl[] = { "",	   "+cpu",  "-cpu",
					       "cpu pids", "Cpu",   "cpu1",
					       "cpu\n",	   "c.p.u", "é" };
	struct linx_error err;

	for (size_t i = 0; i < sizeof(good_files) / sizeof(*good_files); i++)
		ck_assert_int_eq(cg_file_check(good_files[i], &err), 0);
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(*bad_files); i++) {
		ck_assert_int_eq(cg_file_check(bad_files[i], &err), -EINVAL);
		ck_assert_str_eq(err.param, "file");
	}
	ck_assert_int_eq(cg_file_check(NULL, &err), -EINVAL);
	for (size_t i = 0; i < sizeof(good_ctl) / sizeof(*good_ctl); i++)
		ck_assert_int_eq(cg_controller_check(good_ctl[i], "c", &err),
				 0);
	for (size_t i = 0; i < sizeof(bad_ctl) / sizeof(*bad_ctl); i++) {
		ck_assert_int_eq(cg_controller_check(bad_ctl[i], "c", &err),
				 -EINVAL);
		ck_assert_str_eq(err.op, "validate");
		ck_assert_str_eq(err.param, "c");
	}
	ck_assert_int_eq(cg_controller_check(NULL, "c", &err), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup-parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, u64_strict);
	tcase_add_test(tc, single_value_files);
	tcase_add_test(tc, cpu_stat_known_and_unknown);
	tcase_add_test(tc, cpu_stat_without_cpu_controller);
	tcase_add_test(tc, cpu_stat_malformed_values_are_left_out);
	tcase_add_test(tc, cpu_stat_key_must_match_exactly);
	tcase_add_test(tc, cgroup_events_frozen);
	tcase_add_test(tc, path_syntax);
	tcase_add_test(tc, file_and_controller_names);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
