/* SPDX-License-Identifier: MIT */
/*
 * cgroup.reconcile against real cgroups in a cgroup2 mount of the test's
 * own.  The knobs every cgroup has (cgroup.max.descendants,
 * cgroup.max.depth) run everywhere; pids.max and cpu.max when those
 * controllers can be enabled (the VM lane has them).  Drift is made by
 * writing the interface files directly, and checked by reading them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linx/cgroup.h>

#include "cgroup-test.h"

static const struct linx_value *get(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);

	ck_assert_msg(v != NULL, "no \"%s\"", k);
	return v;
}

/* The file's text, first line (static buffer). */
static const char *cat(const char *cg, const char *file)
{
	static char buf[128];
	char *out = linx_test_sh(NULL, "cat %s/%s", cg, file);

	snprintf(buf, sizeof(buf), "%s", out);
	buf[strcspn(buf, "\n")] = '\0';
	free(out);
	return buf;
}

START_TEST(limits_converge_and_drift_heals)
{
	struct linx_value desired = linx_value_map(), report, report2;
	struct linx_error err;
	char *parent, *cg;

	cgt_mount();
	parent = cgt_create(NULL, "rec");
	cg = cgt_create(parent, "leaf");
	linx_map_put_int(&desired, "cgroup.max.descendants", 5);
	linx_map_put_cstring(&desired, "cgroup.max.depth", "max");
	linx_assert_ok(linx_cgroup_reconcile(cg, &desired, NULL, 0, &report,
					     &err),
		       &err);
	ck_assert(get(&report, "converged")->b);
	/* max.depth already held "max": only descendants was written. */
	ck_assert_uint_eq(get(&report, "applied")->len, 1);
	ck_assert_str_eq(cat(cg, "cgroup.max.descendants"), "5");
	/* Drift, written straight into the file. */
	free(linx_test_sh(NULL, "echo 2 > %s/cgroup.max.descendants; "
				"echo 3 > %s/cgroup.max.depth",
			  cg, cg));
	linx_assert_ok(linx_cgroup_reconcile(cg, &desired,
					     get(&report, "last_applied"), 0,
					     &report2, &err),
		       &err);
	ck_assert(get(&report2, "converged")->b);
	ck_assert_uint_eq(get(&report2, "applied")->len, 2);
	ck_assert_str_eq(cat(cg, "cgroup.max.descendants"), "5");
	ck_assert_str_eq(cat(cg, "cgroup.max.depth"), "max");
	linx_value_clear(&report2);
	/* And released with revert: the originals come back. */
	linx_value_clear(&desired);
	desired = linx_value_map();
	linx_assert_ok(linx_cgroup_reconcile(cg, &desired,
					     get(&report, "last_applied"),
					     LINX_RECONCILE_REVERT_ON_RELEASE,
					     &report2, &err),
		       &err);
	ck_assert_str_eq(cat(cg, "cgroup.max.descendants"), "max");
	ck_assert_uint_eq(get(&report2, "last_applied")->len, 0);
	linx_value_clear(&report2);
	linx_value_clear(&report);
	linx_value_clear(&desired);
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

/* A controller's file that is not there (controller not enabled) is one
 * failure among successes, and the cgroup itself is never created. */
START_TEST(missing_files_fail_alone)
{
	struct linx_value desired = linx_value_map(), report;
	const struct linx_value *failed;
	struct linx_error err;
	char *parent, *cg, gone[4096];

	cgt_mount();
	parent = cgt_create(NULL, "recfail");
	cg = cgt_create(parent, "leaf");
	linx_map_put_int(&desired, "nosuch.max", 10);
	linx_map_put_int(&desired, "cgroup.max.descendants", 3);
	linx_assert_ok(linx_cgroup_reconcile(cg, &desired, NULL, 0, &report,
					     &err),
		       &err);
	ck_assert(!get(&report, "converged")->b);
	failed = get(&report, "failed");
	ck_assert_uint_eq(failed->len, 1);
	ck_assert_str_eq(get(get(&failed->items[0], "error"), "errno")->str,
			 "enoent");
	ck_assert_str_eq(cat(cg, "cgroup.max.descendants"), "3");
	linx_value_clear(&report);
	snprintf(gone, sizeof(gone), "%s/absent", parent);
	linx_assert_ok(linx_cgroup_reconcile(gone, &desired, NULL, 0, &report,
					     &err),
		       &err);
	ck_assert_uint_eq(get(&report, "failed")->len, 2);
	ck_assert_int_ne(access(gone, F_OK), 0);
	linx_value_clear(&report);
	/* Malformed: refused before anything is written. */
	linx_map_put_int(&desired, "../escape", 1);
	ck_assert_int_eq(linx_cgroup_reconcile(cg, &desired, NULL, 0, &report,
					       &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "desired");
	linx_value_clear(&desired);
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

/* Values compare normalised: "max" against max, a quota alone against
 * cpu.max's "quota period". */
START_TEST(values_compare_normalised)
{
	struct linx_value observed = linx_value_map(), desired = linx_value_map(),
			  ops, pair = linx_value_list();
	struct linx_error err;

	linx_map_put_cstring(&observed, "cpu.max", "max 100000\n");
	linx_map_put_cstring(&observed, "memory.max", "max\n");
	linx_map_put_cstring(&observed, "pids.max", "64\n");
	linx_map_put_cstring(&observed, "cpu.weight", "100\n");
	linx_map_put_cstring(&desired, "cpu.max", "max");
	linx_map_put_cstring(&desired, "memory.max", "max");
	linx_map_put_uint(&desired, "pids.max", 64);
	linx_map_put_int(&desired, "cpu.weight", 100);
	linx_assert_ok(linx_cgroup_reconcile_diff(&observed, &desired, NULL, 0,
						  &ops, &err),
		       &err);
	ck_assert_uint_eq(ops.len, 0);
	linx_value_clear(&ops);
	/* [quota, period] is compared whole. */
	linx_list_push_int(&pair, 50000);
	linx_list_push_int(&pair, 100000);
	linx_value_clear(&desired);
	desired = linx_value_map();
	linx_map_put(&desired, "cpu.max", &pair);
	linx_assert_ok(linx_cgroup_reconcile_diff(&observed, &desired, NULL, 0,
						  &ops, &err),
		       &err);
	ck_assert_uint_eq(ops.len, 1);
	linx_value_clear(&ops);
	linx_value_clear(&observed);
	observed = linx_value_map();
	linx_map_put_cstring(&observed, "cpu.max", "50000 100000\n");
	linx_assert_ok(linx_cgroup_reconcile_diff(&observed, &desired, NULL, 0,
						  &ops, &err),
		       &err);
	ck_assert_uint_eq(ops.len, 0);
	linx_value_clear(&ops);
	linx_value_clear(&observed);
	linx_value_clear(&desired);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup-reconcile");
	TCase *tc = tcase_create("reconcile");

	linx_test_require_root();
	tcase_add_test(tc, limits_converge_and_drift_heals);
	tcase_add_test(tc, missing_files_fail_alone);
	tcase_add_test(tc, values_compare_normalised);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
