/* SPDX-License-Identifier: MIT */
/*
 * The childdemo guide fixture (tests/fixtures/guide/childdemo.c): child-side verbs
 * called through the process API inside a workload parked at the
 * checkpoint.  What a verb does now is seen in /proc/<pid>/status while
 * the child waits; what it defers with "at_exec" happens only after
 * proceed, after the release steps (cwd applied) and before execve; a
 * refused argument keeps the child parked; a failure at exec ends the
 * session with the verb's stage.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc-test.h"

#ifndef CHILDDEMO_DIR
#error CHILDDEMO_DIR must be defined
#endif

/* The "Name:" line of /proc/<pid>/status, into buf. */
static const char *comm_of(pid_t pid, char *buf, size_t cap)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	buf[0] = '\0';
	f = fopen(path, "re");
	ck_assert_msg(f != NULL, "open %s", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Name:\t%255[^\n]", buf) == 1)
			break;
	fclose(f);
	(void)cap;
	return buf;
}

static struct linx_process *parked_in(struct linx_agent *a,
				      const char *const *argv, const char *cwd)
{
	struct linx_spawn_options o = { .argv = argv, .cwd = cwd };
	struct linx_process *p = pt_spawn_opts(a, &o);

	pt_wait_stage(p, LINX_PROCESS_READY);
	return p;
}

static struct linx_value mark_args(const char *path, const char *text)
{
	struct linx_value args = linx_value_map();

	linx_map_put_cstring(&args, "path", path);
	linx_map_put_cstring(&args, "text", text);
	return args;
}

/* A fresh directory under /tmp; removed by the caller. */
static char *tmpdir(void)
{
	char *d = strdup("/tmp/linx-childdemo-XXXXXX");

	ck_assert(d && mkdtemp(d));
	return d;
}

static void tmpdir_remove(char *dir, const char *file)
{
	unlink(file);
	rmdir(dir);
	free(dir);
}

START_TEST(now_and_at_exec)
{
	static const char *const argv[] = { "/bin/sleep", "60", NULL };
	struct linx_agent *a = pt_agent();
	char *dir = tmpdir(), marker[256], want[512], got[512] = "", buf[256];
	struct linx_process *p = parked_in(a, argv, dir);
	pid_t pid = linx_process_host_pid(p, NULL);
	struct linx_value args = linx_value_map(), ret;
	const struct linx_value *at;
	struct linx_error err;
	FILE *f;

	/* Now: the parked child renames itself. */
	linx_map_put_cstring(&args, "name", "parked-demo");
	linx_assert_ok(linx_process_call(p, "childdemo.comm", &args, NULL, &err),
		       &err);
	linx_value_clear(&args);
	ck_assert_str_eq(comm_of(pid, buf, sizeof(buf)), "parked-demo");
	/* Deferred: the call answers with the step, and nothing happens
	 * yet. */
	snprintf(marker, sizeof(marker), "%s/marker", dir);
	args = mark_args(marker, "hello");
	linx_assert_ok(linx_process_call(p, "childdemo.marker", &args, &ret,
					 &err),
		       &err);
	linx_value_clear(&args);
	at = linx_map_get(&ret, "at_exec");
	ck_assert_ptr_nonnull(at);
	ck_assert_str_eq(linx_map_get(at, "verb")->str, "childdemo.write");
	linx_value_clear(&ret);
	ck_assert_int_eq(access(marker, F_OK), -1);
	/* Proceed: the marker is written by the child itself, in the cwd
	 * the workload gets, just before execve - which then resets the
	 * name to the program's. */
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	f = fopen(marker, "re");
	ck_assert_msg(f != NULL, "no marker after proceed");
	ck_assert_ptr_nonnull(fgets(got, sizeof(got), f));
	fclose(f);
	snprintf(want, sizeof(want), "hello %d %s\n", (int)pid, dir);
	ck_assert_str_eq(got, want);
	ck_assert_str_eq(comm_of(pid, buf, sizeof(buf)), "sleep");
	linx_assert_ok(linx_process_signal(p, SIGKILL, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_SIGNALED);
	linx_process_free(p);
	linx_agent_free(a);
	tmpdir_remove(dir, marker);
}
END_TEST

START_TEST(refusals_keep_the_child_parked)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = parked_in(a, argv, NULL);
	pid_t pid = linx_process_host_pid(p, NULL);
	struct linx_value args = linx_value_map();
	struct linx_process_info info;
	struct linx_registry *reg;
	struct linx_error err;
	char buf[256], before[256];

	comm_of(pid, before, sizeof(before));
	/* Too long for the kernel's comm: refused, nothing changed. */
	linx_map_put_cstring(&args, "name", "a-name-of-twenty-bytes");
	ck_assert_int_eq(linx_process_call(p, "childdemo.comm", &args, NULL,
					   &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "name");
	linx_value_clear(&args);
	ck_assert_str_eq(comm_of(pid, buf, sizeof(buf)), before);
	/* Checked at call time, not at exec. */
	args = mark_args("relative/marker", "x");
	ck_assert_int_eq(linx_process_call(p, "childdemo.marker", &args, NULL,
					   &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "path");
	linx_value_clear(&args);
	/* A schema error (missing argument) too. */
	ck_assert_int_eq(linx_process_call(p, "childdemo.comm", NULL, NULL,
					   &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "name");
	linx_process_info(p, &info, NULL);
	ck_assert_int_eq(info.stage, LINX_PROCESS_READY);
	/* Still parked and usable: a good call, then the workload runs. */
	args = linx_value_map();
	linx_map_put_cstring(&args, "name", "still-here");
	linx_assert_ok(linx_process_call(p, "childdemo.comm", &args, NULL, &err),
		       &err);
	ck_assert_str_eq(comm_of(pid, buf, sizeof(buf)), "still-here");
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(pt_result(p).value, 0);
	linx_process_free(p);
	linx_agent_free(a);
	/* On the host, a child-side verb is refused outright. */
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, CHILDDEMO_DIR, &err), &err);
	{
		struct linx_value ret;

		ck_assert_int_eq(linx_call(reg, "childdemo.comm", &args, &ret,
					   0, &err),
				 -EPERM);
	}
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

START_TEST(failure_at_exec_ends_the_session)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_agent *a = pt_agent();
	char *dir = tmpdir(), marker[256];
	struct linx_process *p = parked_in(a, argv, NULL);
	struct linx_value args;
	struct linx_process_result res;
	struct linx_error err;
	int fd;

	/* The file exists: the deferred write (O_EXCL) will fail. */
	snprintf(marker, sizeof(marker), "%s/taken", dir);
	fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	args = mark_args(marker, "late");
	linx_assert_ok(linx_process_call(p, "childdemo.marker", &args, NULL,
					 &err),
		       &err);
	linx_value_clear(&args);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_ERRORED);
	ck_assert_int_eq(res.value, EEXIST);
	ck_assert_str_eq(res.error.op, "childdemo_write");
	/* The object does not cross the wire today; the message names it. */
	ck_assert_ptr_nonnull(strstr(res.error.message, marker));
	linx_process_free(p);
	linx_agent_free(a);
	tmpdir_remove(dir, marker);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("childdemo");
	TCase *tc = tcase_create("childdemo");

	linx_test_require_root();
	/* The agent, and the children it clones, find the fixture here. */
	setenv(LINX_PLUGIN_PATH_ENV, CHILDDEMO_DIR, 1);
	tcase_add_test(tc, now_and_at_exec);
	tcase_add_test(tc, refusals_keep_the_child_parked);
	tcase_add_test(tc, failure_at_exec_ends_the_session);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
