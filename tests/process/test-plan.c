/* SPDX-License-Identifier: MIT */
/*
 * The checkpoint plan (linx/plan.h): a malformed plan is refused before
 * anything happens; a good one is applied in the parked child and seen
 * from outside; a failing step leaves nothing behind; and `linx spawn`
 * reports exactly the errors a C caller gets for the same plan.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linx/linx.h>
#include <linx/plan.h>

#include "proc-test.h"

#ifndef CLI
#error CLI must be defined
#endif

static struct linx_value strings(const char *const *names)
{
	struct linx_value l = linx_value_list();

	for (; *names; names++)
		linx_list_push_cstring(&l, *names);
	return l;
}

/* {key: {which: [names...]}} */
static void put_either(struct linx_value *plan, const char *key,
		       const char *which, const char *const *names)
{
	struct linx_value m = linx_value_map(), l = strings(names);

	linx_map_put(&m, which, &l);
	linx_map_put(plan, key, &m);
}

static void put_idmap(struct linx_value *plan, const char *key, int n)
{
	struct linx_value l = linx_value_list(), e = linx_value_list();

	for (int i = 0; i < n; i++)
		linx_list_push_uint(&e, 0);
	linx_list_push(&l, &e);
	linx_map_put(plan, key, &l);
}

static void put_cgroup(struct linx_value *plan, const char *path,
		       const char *limit, struct linx_value *value)
{
	struct linx_value cg = linx_value_map();

	if (path)
		linx_map_put_cstring(&cg, "path", path);
	if (limit)
		linx_map_put(&cg, limit, value);
	linx_map_put(plan, "cgroup", &cg);
}

static void expect_refused(const struct linx_value *plan, uint32_t ns,
			   const char *param, const char *object)
{
	struct linx_error err;

	linx_error_clear(&err);
	ck_assert_int_eq(linx_plan_check(plan, ns, false, &err), -EINVAL);
	ck_assert_str_eq(err.op, "plan");
	ck_assert_msg(strcmp(err.param, param) == 0,
		      "param %s, expected %s (%s)", err.param, param,
		      err.message);
	if (object)
		ck_assert_str_eq(err.object, object);
}

START_TEST(malformed_plans_refused_before_anything)
{
	static const char *const none[] = { NULL };
	static const char *const blank[] = { " ", NULL };
	static const char *const ptrace[] = { "ptrace", NULL };
	struct linx_value plan = linx_value_int(3), v;
	struct linx_error err;

	expect_refused(&plan, 0, "plan", NULL);
	plan = linx_value_map();
	linx_map_put_bool(&plan, "uid_mapp", true);
	expect_refused(&plan, 0, "plan", "uid_mapp");
	linx_value_clear(&plan);

	plan = linx_value_map();
	put_idmap(&plan, "uid_map", 2);
	expect_refused(&plan, 0, "uid_map", NULL);
	linx_value_clear(&plan);
	plan = linx_value_map();
	put_idmap(&plan, "gid_map", 3);
	expect_refused(&plan, 0, "gid_map", NULL);
	linx_value_clear(&plan);

	plan = linx_value_map();
	v = linx_value_uint(1);
	put_cgroup(&plan, NULL, "pids_max", &v);
	expect_refused(&plan, 0, "cgroup", "path");
	linx_value_clear(&plan);
	plan = linx_value_map();
	linx_value_cstring(&v, "lots");
	put_cgroup(&plan, "/sys/fs/cgroup/x", "memory_max", &v);
	expect_refused(&plan, 0, "cgroup", "memory_max");
	linx_value_clear(&plan);

	/* The network of a workload without its own network namespace is
	 * ours: refused, unless the session enters another process. */
	plan = linx_value_map();
	v = linx_value_map();
	linx_map_put_cstring(&v, "gateway", "10.0.0.1");
	linx_map_put(&plan, "network", &v);
	expect_refused(&plan, LINX_NS_USER, "network", NULL);
	ck_assert_int_eq(linx_plan_check(&plan, LINX_NS_NET, false, &err), 0);
	ck_assert_int_eq(linx_plan_check(&plan, 0, true, &err), 0);
	linx_value_clear(&plan);

	/* Restricting lists that name nothing, or both halves at once. */
	plan = linx_value_map();
	put_either(&plan, "caps", "keep", none);
	expect_refused(&plan, 0, "caps", NULL);
	linx_value_clear(&plan);
	plan = linx_value_map();
	put_either(&plan, "seccomp", "deny", blank);
	expect_refused(&plan, 0, "seccomp", NULL);
	linx_value_clear(&plan);
	plan = linx_value_map();
	v = linx_value_map();
	{
		struct linx_value a = strings(ptrace), d = strings(ptrace);

		linx_map_put(&v, "allow", &a);
		linx_map_put(&v, "deny", &d);
	}
	linx_map_put(&plan, "seccomp", &v);
	expect_refused(&plan, 0, "seccomp", NULL);
	linx_value_clear(&plan);

	plan = linx_value_map();
	v = linx_value_map();
	linx_map_put_bool(&v, "kernel.domainname", true);
	linx_map_put(&plan, "sysctls", &v);
	expect_refused(&plan, 0, "sysctls", "kernel.domainname");
	linx_value_clear(&plan);

	/* Nothing to do is fine. */
	plan = linx_value_nil();
	ck_assert_int_eq(linx_plan_check(&plan, 0, false, &err), 0);
	plan = linx_value_map();
	ck_assert_int_eq(linx_plan_check(&plan, 0, false, &err), 0);
}
END_TEST

static struct linx_process *parked(struct linx_agent *a, uint32_t ns,
				   const char *const *argv)
{
	struct linx_process *p = pt_spawn(a, ns, argv);

	pt_wait_stage(p, LINX_PROCESS_READY);
	return p;
}

static char *status_of(pid_t pid)
{
	int st;

	return linx_test_sh(&st, "cat /proc/%d/status", (int)pid);
}

START_TEST(plan_applied_at_checkpoint)
{
	static const char *const argv[] = { "/bin/sleep", "60", NULL };
	static const char *const keep[] = { "NET_BIND_SERVICE", NULL };
	static const char *const deny[] = { "ptrace", "kexec_load", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p;
	struct linx_value plan = linx_value_map();
	struct linx_error err;
	char *s, *out;
	pid_t pid;
	int st;

	p = parked(a, LINX_NS_USER | LINX_NS_PID | LINX_NS_UTS | LINX_NS_NET,
		   argv);
	pid = linx_process_host_pid(p, NULL);
	{
		struct linx_value l = linx_value_list(), e = linx_value_list();

		linx_list_push_uint(&e, 0);
		linx_list_push_uint(&e, 0);
		linx_list_push_uint(&e, 1);
		linx_list_push(&l, &e);
		linx_map_put(&plan, "uid_map", &l);
	}
	linx_map_put_cstring(&plan, "hostname", "planned");
	put_either(&plan, "caps", "keep", keep);
	put_either(&plan, "seccomp", "deny", deny);
	ck_assert_msg(linx_process_setup(p, &plan, &err) == 0, "%s",
		      err.message);
	/* Once only, and only while parked. */
	ck_assert_int_eq(linx_process_setup(p, &plan, &err), -EBUSY);
	ck_assert_int_eq(linx_process_proceed(p, &err), 0);
	ck_assert_int_eq(linx_process_wait_stage(p, LINX_PROCESS_RUNNING,
						 EV_TIMEOUT_MS, &err),
			 LINX_PROCESS_RUNNING);
	ck_assert_int_eq(linx_process_setup(p, &plan, &err), -EBUSY);

	s = status_of(pid);
	ck_assert_msg(strstr(s, "CapBnd:\t0000000000000400"), "%s", s);
	ck_assert_msg(strstr(s, "Seccomp:\t2"), "%s", s);
	free(s);
	out = linx_test_sh(&st, "awk '{print $1, $2, $3}' /proc/%d/uid_map",
			   (int)pid);
	ck_assert_str_eq(out, "0 0 1\n");
	free(out);
	out = linx_test_sh(&st, "nsenter -t %d -u hostname", (int)pid);
	ck_assert_str_eq(out, "planned\n");
	free(out);
	linx_process_signal(p, SIGKILL, NULL);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_SIGNALED);
	linx_value_clear(&plan);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* A step that fails after the cgroup was made: the workload never runs
 * and the cgroup is gone; a cgroup that existed before stays. */
START_TEST(failed_step_rolls_back)
{
	static const char *const argv[] = { "/bin/true", NULL };
	static const char *const bogus[] = { "net_bind_service", "bogus", NULL };
	const char *root = linx_test_mount_cgroup2();
	struct linx_agent *a;
	struct linx_process *p;
	struct linx_value plan = linx_value_map();
	struct linx_process_result res;
	struct linx_error err;
	char cg[256];

	a = pt_agent();
	snprintf(cg, sizeof(cg), "%s/plan-rollback-%d", root, (int)getpid());
	put_cgroup(&plan, cg, NULL, NULL);
	put_either(&plan, "caps", "keep", bogus);
	p = parked(a, 0, argv);
	ck_assert_int_eq(linx_process_setup(p, &plan, &err), -EINVAL);
	ck_assert_str_eq(err.param, "caps");
	ck_assert_str_eq(err.object, "bogus");
	ck_assert_ptr_nonnull(strstr(err.message, "bad_capability"));
	/* The session ends with the same error. */
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_ERRORED);
	ck_assert_str_eq(res.error.message, err.message);
	ck_assert_str_eq(res.error.object, "bogus");
	ck_assert_msg(access(cg, F_OK) != 0, "%s left behind", cg);
	linx_process_free(p);

	/* The same with a cgroup that was there: it is not ours to remove. */
	ck_assert_int_eq(mkdir(cg, 0755), 0);
	p = parked(a, 0, argv);
	ck_assert_int_eq(linx_process_setup(p, &plan, &err), -EINVAL);
	ck_assert_int_eq(access(cg, F_OK), 0);
	/* The kernel may take a moment to see the reaped workload gone. */
	for (int i = 0; i < 500 && rmdir(cg) < 0 && errno == EBUSY; i++)
		usleep(2000);
	ck_assert_int_ne(access(cg, F_OK), 0);
	linx_process_free(p);
	linx_value_clear(&plan);
	linx_agent_free(a);
}
END_TEST

/* A cgroup the plan made lives as long as the workload: the agent
 * removes it when the session ends, and only then. */
START_TEST(cgroup_goes_with_the_workload)
{
	static const char *const argv[] = { "/bin/sleep", "60", NULL };
	const char *root = linx_test_mount_cgroup2();
	struct linx_agent *a;
	struct linx_process *p;
	struct linx_value plan = linx_value_map(), v = linx_value_uint(42);
	struct linx_error err;
	char cg[256], *out;
	bool pids;
	int st;

	a = pt_agent();
	snprintf(cg, sizeof(cg), "%s/plan-lifetime-%d", root, (int)getpid());
	/* A limit where this kernel lets us delegate the pids controller
	 * (the VM lane does; some hosts keep it). */
	out = linx_test_sh(&st, "echo +pids > %s/cgroup.subtree_control "
				"2>/dev/null", root);
	free(out);
	pids = st == 0;
	put_cgroup(&plan, cg, pids ? "pids_max" : NULL, &v);
	p = parked(a, 0, argv);
	ck_assert_msg(linx_process_setup(p, &plan, &err) == 0, "%s",
		      err.message);
	out = linx_test_sh(&st, "grep -c . %s/cgroup.procs", cg);
	ck_assert_str_eq(out, "1\n");
	free(out);
	if (pids) {
		out = linx_test_sh(&st, "cat %s/pids.max", cg);
		ck_assert_str_eq(out, "42\n");
		free(out);
	}
	ck_assert_int_eq(linx_process_proceed(p, &err), 0);
	ck_assert_int_eq(linx_process_wait_stage(p, LINX_PROCESS_RUNNING,
						 EV_TIMEOUT_MS, &err),
			 LINX_PROCESS_RUNNING);
	ck_assert_int_eq(access(cg, F_OK), 0);
	linx_process_signal(p, SIGKILL, NULL);
	pt_result(p);
	ck_assert_msg(access(cg, F_OK) != 0, "%s outlived its session", cg);
	linx_value_clear(&plan);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* The error `linx spawn FLAGS` prints after "linx: setup: ". */
static char *cli_setup_error(const char *flags)
{
	char *out, *line, *nl;
	int st;

	out = linx_test_sh(&st, "%s spawn %s -- /bin/true 2>&1", CLI, flags);
	ck_assert_int_eq(st, 125);
	line = strstr(out, "linx: setup: ");
	ck_assert_msg(line, "no setup error in: %s", out);
	line = strdup(line + strlen("linx: setup: "));
	if ((nl = strchr(line, '\n')))
		*nl = '\0';
	free(out);
	return line;
}

static void same_error(struct linx_agent *a, uint32_t ns, struct linx_value *plan, const char *flags)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_process *p = parked(a, ns, argv);
	struct linx_error err;
	char mine[1200], *theirs;

	ck_assert_int_lt(linx_process_setup(p, plan, &err), 0);
	linx_error_format(&err, mine, sizeof(mine));
	theirs = cli_setup_error(flags);
	ck_assert_str_eq(theirs, mine);
	free(theirs);
	linx_process_free(p);
	linx_value_clear(plan);
}

START_TEST(cli_and_c_report_the_same_errors)
{
	static const char *const bogus[] = { "bogus", NULL };
	static const char *const nosuch[] = { "nosuchcall", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_value plan, v;

	plan = linx_value_map();
	put_either(&plan, "caps", "keep", bogus);
	same_error(a, 0, &plan, "--caps-keep bogus");

	plan = linx_value_map();
	put_either(&plan, "seccomp", "deny", nosuch);
	v = linx_value_map();
	linx_map_put_cstring(&v, "errno", "eperm");
	linx_map_put(&plan.pairs[0].value, "deny_action", &v);
	same_error(a, 0, &plan, "--seccomp-deny nosuchcall");

	/* A sysctl of a namespace the workload shares with us. */
	plan = linx_value_map();
	v = linx_value_map();
	linx_map_put_cstring(&v, "net.ipv4.ip_forward", "1");
	linx_map_put(&plan, "sysctls", &v);
	same_error(a, LINX_NS_UTS, &plan,
		   "--ns uts --sysctl net.ipv4.ip_forward=1");
	linx_agent_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("process-plan");
	TCase *tc = tcase_create("plan");

	linx_test_require_root();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, malformed_plans_refused_before_anything);
	tcase_add_test(tc, plan_applied_at_checkpoint);
	tcase_add_test(tc, failed_step_rolls_back);
	tcase_add_test(tc, cgroup_goes_with_the_workload);
	tcase_add_test(tc, cli_and_c_report_the_same_errors);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
