/* SPDX-License-Identifier: MIT */
/*
 * sysctl.reconcile against the live kernel, in a network and UTS
 * namespace of the test's own, with procps' sysctl(8) as the oracle and
 * the drift maker.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/sysctl.h>

#include "linx-test.h"

extern const struct linx_plugin linx_plugin_sysctl;

static const struct linx_value *get(const struct linx_value *m, const char *k)
{
	const struct linx_value *v = linx_map_get(m, k);

	ck_assert_msg(v != NULL, "no \"%s\"", k);
	return v;
}

/* What sysctl(8) says, trailing newline dropped (static buffer). */
static const char *oracle(const char *key)
{
	static char buf[256];
	char *out = linx_test_sh(NULL, "sysctl -n %s", key);

	snprintf(buf, sizeof(buf), "%s", out);
	buf[strcspn(buf, "\n")] = '\0';
	free(out);
	return buf;
}

static struct linx_value desired_state(void)
{
	struct linx_value d = linx_value_map(), l = linx_value_list();

	linx_map_put_int(&d, "net.ipv4.ip_forward", 1);
	linx_list_push_int(&l, 0);
	linx_list_push_int(&l, 0);
	linx_map_put(&d, "net.ipv4.ping_group_range", &l);
	linx_map_put_cstring(&d, "kernel.hostname", "web-1");
	return d;
}

START_TEST(drift_is_healed_and_a_second_pass_is_a_no_op)
{
	struct linx_value desired, report, report2;
	struct linx_error err;
	char *out;

	linx_test_private_netns();
	ck_assert_int_eq(unshare(CLONE_NEWUTS), 0);
	desired = desired_state();
	linx_assert_ok(linx_sysctl_reconcile(&desired, NULL, NULL, 0, &report,
					     &err),
		       &err);
	ck_assert(get(&report, "converged")->b);
	ck_assert_uint_eq(get(&report, "applied")->len, 3);
	ck_assert_str_eq(oracle("net.ipv4.ip_forward"), "1");
	ck_assert_str_eq(oracle("net.ipv4.ping_group_range"), "0\t0");
	ck_assert_str_eq(oracle("kernel.hostname"), "web-1");
	/* Converged: nothing to do. */
	linx_assert_ok(linx_sysctl_reconcile(&desired,
					     get(&report, "last_applied"), NULL,
					     0, &report2, &err),
		       &err);
	ck_assert(get(&report2, "converged")->b);
	ck_assert_uint_eq(get(&report2, "applied")->len, 0);
	linx_value_clear(&report2);
	/* Someone else changes a knob; the next pass puts it back. */
	free(linx_test_sh(NULL, "sysctl -qw net.ipv4.ip_forward=0"));
	linx_assert_ok(linx_sysctl_reconcile(&desired,
					     get(&report, "last_applied"), NULL,
					     0, &report2, &err),
		       &err);
	ck_assert_uint_eq(get(&report2, "applied")->len, 1);
	ck_assert_str_eq(get(&get(&report2, "applied")->items[0], "key")->str,
			 "net.ipv4.ip_forward");
	ck_assert_str_eq(oracle("net.ipv4.ip_forward"), "1");
	/* The original is the value before the first pass. */
	out = (char *)get(get(get(&report2, "last_applied"),
			      "net.ipv4.ip_forward"),
			  "original")
		      ->str;
	ck_assert_str_eq(out, "0");
	linx_value_clear(&report2);
	linx_value_clear(&report);
	linx_value_clear(&desired);
}
END_TEST

START_TEST(released_keys_are_left_or_reverted)
{
	struct linx_value desired, report, report2, report3, only;
	struct linx_error err;

	linx_test_private_netns();
	ck_assert_int_eq(unshare(CLONE_NEWUTS), 0);
	free(linx_test_sh(NULL, "hostname before"));
	desired = desired_state();
	linx_assert_ok(linx_sysctl_reconcile(&desired, NULL, NULL, 0, &report,
					     &err),
		       &err);
	/* hostname leaves the desired set: released, left as it is. */
	only = linx_value_map();
	linx_map_put_int(&only, "net.ipv4.ip_forward", 1);
	linx_assert_ok(linx_sysctl_reconcile(&only, get(&report, "last_applied"),
					     NULL, 0, &report2, &err),
		       &err);
	ck_assert_str_eq(oracle("kernel.hostname"), "web-1");
	ck_assert_ptr_null(linx_map_get(get(&report2, "last_applied"),
					"kernel.hostname"));
	/* With revert_on_release, the original comes back. */
	linx_assert_ok(linx_sysctl_reconcile(&only, get(&report, "last_applied"),
					     NULL,
					     LINX_RECONCILE_REVERT_ON_RELEASE,
					     &report3, &err),
		       &err);
	ck_assert_str_eq(oracle("kernel.hostname"), "before");
	ck_assert_str_eq(oracle("net.ipv4.ping_group_range"), "1\t0");
	linx_value_clear(&report3);
	linx_value_clear(&report2);
	linx_value_clear(&report);
	linx_value_clear(&only);
	linx_value_clear(&desired);
}
END_TEST

START_TEST(a_failure_does_not_starve_the_rest)
{
	struct linx_value desired = linx_value_map(), report;
	const struct linx_value *failed;
	struct linx_error err;

	linx_test_private_netns();
	linx_map_put_cstring(&desired, "net.ipv4.ip_forward", "not-a-number");
	linx_map_put_int(&desired, "net.ipv4.ip_default_ttl", 42);
	linx_map_put_int(&desired, "net.ipv4.no_such_knob", 1);
	linx_assert_ok(linx_sysctl_reconcile(&desired, NULL, NULL, 0, &report,
					     &err),
		       &err);
	ck_assert(!get(&report, "converged")->b);
	ck_assert_str_eq(oracle("net.ipv4.ip_default_ttl"), "42");
	failed = get(&report, "failed");
	ck_assert_uint_eq(failed->len, 2);
	ck_assert_str_eq(get(get(&failed->items[0], "error"), "errno")->str,
			 "einval");
	ck_assert_str_eq(get(get(&failed->items[1], "error"), "errno")->str,
			 "enoent");
	linx_value_clear(&report);
	linx_value_clear(&desired);
	/* A malformed desired state is refused before anything is written. */
	desired = linx_value_map();
	linx_map_put_int(&desired, "net.ipv4.ip_default_ttl", 7);
	linx_map_put_cstring(&desired, "net.ipv4.ip_forward", "1\n0");
	ck_assert_int_eq(linx_sysctl_reconcile(&desired, NULL, NULL, 0, &report,
					       &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "desired");
	ck_assert_str_eq(oracle("net.ipv4.ip_default_ttl"), "42");
	linx_value_clear(&desired);
}
END_TEST

/* The verb, with the target given as another process's namespaces. */
START_TEST(verb_in_another_namespace)
{
	struct linx_plugin const *plugins[] = { &linx_plugin_sysctl };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	pid_t child = linx_test_spawn_in_ns(CLONE_NEWNET);
	struct linx_value args = linx_value_map(), desired = linx_value_map(),
			  res = linx_value_nil();
	struct linx_error err;
	char *out;

	linx_map_put_int(&desired, "net.ipv4.ip_forward", 1);
	linx_map_put(&args, "desired", &desired);
	linx_map_put_int(&args, "in", child);
	linx_assert_ok(linx_call(reg, "sysctl.reconcile", &args, &res, 0, &err),
		       &err);
	ck_assert(get(&res, "converged")->b);
	out = linx_test_sh(NULL, "nsenter -t %d -n sysctl -n net.ipv4.ip_forward",
			   (int)child);
	ck_assert_str_eq(out, "1\n");
	free(out);
	linx_value_clear(&res);
	linx_value_clear(&args);
	linx_test_reap(child);
	linx_registry_free(reg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysctl-reconcile");
	TCase *tc = tcase_create("reconcile");

	linx_test_require_root();
	tcase_add_test(tc, drift_is_healed_and_a_second_pass_is_a_no_op);
	tcase_add_test(tc, released_keys_are_left_or_reverted);
	tcase_add_test(tc, a_failure_does_not_starve_the_rest);
	tcase_add_test(tc, verb_in_another_namespace);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
