/* SPDX-License-Identifier: MIT */
/*
 * The cgroup typed API on the live kernel, using only what every cgroup2
 * hierarchy has (no controller): lifecycle, placement, raw files, freeze,
 * the core cpu.stat counters, controller delegation failures, and every
 * path refusal.  Each test mounts its own cgroup2 in a private mount
 * namespace and removes the cgroups it creates.
 *
 * Tests that want a cgroup *without* controllers nest it one level under
 * a parent whose cgroup.subtree_control stays empty: then nothing the
 * root delegates (the VM lane enables memory, pids and cpu there) reaches
 * it, and the results are the same on every machine.
 *
 * Oracles: /proc/<pid>/cgroup and /proc/<pid>/stat, `cat` and `awk` on
 * the interface files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linx/cgroup.h>

#include "cgroup-test.h"

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ---- lifecycle ----------------------------------------------------------- */

START_TEST(create_is_idempotent)
{
	struct linx_error err;
	char *cg;
	int r;

	cgt_mount();
	cg = cgt_name(NULL, "idem");
	linx_assert_ok(linx_cgroup_create(cg, &err), &err);
	ck_assert(exists(cg));
	linx_assert_ok(linx_cgroup_create(cg, &err), &err);
	/* a cgroup directory has the core files */
	free(cgt_cat(cg, "cgroup.procs"));
	linx_assert_ok(linx_cgroup_destroy(cg, &err), &err);
	ck_assert(!exists(cg));
	r = linx_cgroup_destroy(cg, &err);
	cgt_assert_err(r, err, ENOENT, "destroy");
	ck_assert_str_eq(err.object, cg);
	free(cg);
	cgt_unmount();
}
END_TEST

START_TEST(create_errors)
{
	struct linx_error err;
	char *cg, *deep, *file;
	int r;

	cgt_mount();
	cg = cgt_create(NULL, "cerr");
	/* parent missing: nothing is created recursively */
	deep = cgt_name(cg, "missing");
	ck_assert(asprintf(&file, "%s/child", deep) > 0);
	r = linx_cgroup_create(file, &err);
	cgt_assert_err(r, err, ENOENT, "create");
	ck_assert_str_eq(err.object, file);
	ck_assert(!exists(deep));
	free(file);
	/* an interface file is not an existing cgroup */
	ck_assert(asprintf(&file, "%s/cgroup.procs", cg) > 0);
	r = linx_cgroup_create(file, &err);
	cgt_assert_err(r, err, EEXIST, "create");
	free(file);
	free(deep);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(destroy_busy_while_populated)
{
	struct linx_error err;
	char *cg, *child;
	pid_t pid;
	int r;

	cgt_mount();
	cg = cgt_create(NULL, "busy");
	pid = cgt_spawn_sleeper();
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	r = linx_cgroup_destroy(cg, &err);
	cgt_assert_err(r, err, EBUSY, "destroy");
	ck_assert_str_eq(err.object, cg);
	ck_assert(exists(cg));
	cgt_kill(pid);
	linx_assert_ok(linx_cgroup_destroy(cg, &err), &err);

	/* a child cgroup keeps it busy too */
	linx_assert_ok(linx_cgroup_create(cg, &err), &err);
	child = cgt_create(cg, "child");
	r = linx_cgroup_destroy(cg, &err);
	cgt_assert_err(r, err, EBUSY, "destroy");
	cgt_destroy(child);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(add_process_moves_it)
{
	struct linx_error err;
	char *cg, *procs, *proc, want[PATH_MAX + 8], pidstr[16];
	const char *mnt = cgt_mount();
	pid_t pid;
	int status;

	cg = cgt_create(NULL, "move");
	pid = cgt_spawn_sleeper();
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	/* /proc/<pid>/cgroup names it relative to the hierarchy root, which
	 * is our mount's root */
	proc = linx_test_sh(&status, "grep '^0::' /proc/%d/cgroup", (int)pid);
	snprintf(want, sizeof(want), "0::%s\n", cg + strlen(mnt));
	ck_assert_str_eq(proc, want);
	free(proc);
	procs = cgt_cat(cg, "cgroup.procs");
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	ck_assert_str_eq(procs, pidstr);
	free(procs);
	/* moving it again is fine */
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	cgt_kill(pid);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(add_process_errors)
{
	struct linx_error err;
	char *cg, *object;
	int r;

	cgt_mount();
	cg = cgt_create(NULL, "adderr");
	/* 0 would mean "the writer" to the kernel: refused before */
	r = linx_cgroup_add_process(cg, 0, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "pid");
	r = linx_cgroup_add_process(cg, -4, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	/* above any pid_max: no such process */
	r = linx_cgroup_add_process(cg, 0x3fffffff, &err);
	cgt_assert_err(r, err, ESRCH, "add_process");
	ck_assert(asprintf(&object, "%s/cgroup.procs", cg) > 0);
	ck_assert_str_eq(err.object, object);
	free(object);
	object = cgt_cat(cg, "cgroup.procs");
	ck_assert_str_eq(object, "");
	free(object);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

/* ---- read / write -------------------------------------------------------- */

START_TEST(read_matches_the_files)
{
	static const char *const files[] = {
		"cgroup.type",	  "cgroup.events", "cgroup.max.depth",
		"cgroup.stat",	  "cpu.stat",	   "cgroup.controllers",
		"cgroup.freeze",
	};
	struct linx_error err;
	char *cg, *value;
	size_t len;

	cgt_mount();
	cg = cgt_create(NULL, "read");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *oracle = cgt_cat(cg, files[i]);

		linx_assert_ok(linx_cgroup_read(cg, files[i], &value, &len,
						&err),
			       &err);
		ck_assert_msg(strcmp(value, oracle) == 0,
			      "%s: linx \"%s\", cat \"%s\"", files[i], value,
			      oracle);
		ck_assert_uint_eq(len, strlen(value));
		free(value);
		free(oracle);
	}
	linx_assert_ok(linx_cgroup_read(cg, "cgroup.type", &value, NULL, &err),
		       &err);
	ck_assert_str_eq(value, "domain");
	free(value);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(write_reaches_the_file)
{
	struct linx_error err;
	char *cg, *value, *object;
	int r;

	cgt_mount();
	cg = cgt_create(NULL, "write");
	linx_assert_ok(linx_cgroup_write(cg, "cgroup.max.descendants", "7",
					 &err),
		       &err);
	value = cgt_cat(cg, "cgroup.max.descendants");
	ck_assert_str_eq(value, "7");
	free(value);
	/* a trailing newline is the caller's business and harmless */
	linx_assert_ok(linx_cgroup_write(cg, "cgroup.max.depth", "3\n", &err),
		       &err);
	linx_assert_ok(linx_cgroup_read(cg, "cgroup.max.depth", &value, NULL,
					&err),
		       &err);
	ck_assert_str_eq(value, "3");
	free(value);
	linx_assert_ok(linx_cgroup_write(cg, "cgroup.max.depth", "max", &err),
		       &err);
	value = cgt_cat(cg, "cgroup.max.depth");
	ck_assert_str_eq(value, "max");
	free(value);

	/* the kernel's refusal comes back as a "write" failure */
	r = linx_cgroup_write(cg, "cgroup.max.depth", "bogus", &err);
	cgt_assert_err(r, err, EINVAL, "write");
	ck_assert(asprintf(&object, "%s/cgroup.max.depth", cg) > 0);
	ck_assert_str_eq(err.object, object);
	ck_assert_str_eq(err.param, "");
	free(object);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(missing_files)
{
	struct linx_error err;
	char *parent, *cg, *value = NULL;
	int r;

	cgt_mount();
	parent = cgt_create(NULL, "nomem");
	cg = cgt_create(parent, "leaf");
	r = linx_cgroup_read(cg, "no.such.file", &value, NULL, &err);
	cgt_assert_err(r, err, ENOENT, "read");
	ck_assert_ptr_null(value);
	r = linx_cgroup_write(cg, "no.such.file", "1", &err);
	cgt_assert_err(r, err, ENOENT, "write");
	/* no memory controller here: memory.max does not exist, and the
	 * message says what to do about it */
	r = linx_cgroup_set_memory_max(cg, 1 << 20, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	ck_assert_msg(strstr(err.message, "memory controller"), "%s",
		      err.message);
	r = linx_cgroup_set_pids_max(cg, 10, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_set_cpu_max(cg, 50000, 100000, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	/* a missing cgroup */
	cgt_destroy(cg);
	cg = cgt_name(parent, "gone");
	r = linx_cgroup_read(cg, "cgroup.procs", &value, NULL, &err);
	cgt_assert_err(r, err, ENOENT, "read");
	/* The error names the interface file, not the directory. */
	ck_assert_ptr_nonnull(strstr(err.object, cg));
	ck_assert_str_eq(err.object + strlen(cg), "/cgroup.procs");
	r = linx_cgroup_write(cg, "cgroup.procs", "1", &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_add_process(cg, getpid(), &err);
	cgt_assert_err(r, err, ENOENT, "add_process");
	free(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(bad_file_names_refused)
{
	static const char *const bad[] = {
		"", ".", "..", "a/b", "../cgroup.procs", "/cgroup.procs",
		"cgroup.procs/",
	};
	struct linx_error err;
	char *cg, *value = NULL, longname[NAME_MAX + 2];
	int r;

	cgt_mount();
	cg = cgt_create(NULL, "badfile");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = linx_cgroup_read(cg, bad[i], &value, NULL, &err);
		cgt_assert_err(r, err, EINVAL, "validate");
		ck_assert_str_eq(err.param, "file");
		r = linx_cgroup_write(cg, bad[i], "1", &err);
		cgt_assert_err(r, err, EINVAL, "validate");
		ck_assert_str_eq(err.param, "file");
	}
	r = linx_cgroup_read(cg, NULL, &value, NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	r = linx_cgroup_read(cg, longname, &value, NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	r = linx_cgroup_write(cg, "cgroup.procs", NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "value");
	r = linx_cgroup_read(cg, "cgroup.procs", NULL, NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_ptr_null(value);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

/* ---- freeze / thaw ------------------------------------------------------- */

START_TEST(freeze_stops_a_running_process)
{
	volatile uint64_t *counter = cgt_shared_counter();
	struct linx_error err;
	char *cg, *events;
	uint64_t frozen_at;
	pid_t pid;

	cgt_mount();
	cg = cgt_create(NULL, "freeze");
	pid = cgt_spawn_spinner(counter);
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	ck_assert(cgt_counter_moves(counter, *counter, 5000));

	linx_assert_ok(linx_cgroup_freeze(cg, 5000, &err), &err);
	/* the call returned only once the kernel said so */
	events = cgt_cat(cg, "cgroup.events");
	ck_assert_msg(strstr(events, "frozen 1"), "%s", events);
	free(events);
	/* a spinner is 'R'; a frozen task sleeps in the freezer trap */
	ck_assert_int_ne(cgt_proc_state(pid), 'R');
	frozen_at = *counter;
	usleep(100 * 1000);
	ck_assert_uint_eq(*counter, frozen_at);
	/* idempotent */
	linx_assert_ok(linx_cgroup_freeze(cg, 5000, &err), &err);

	linx_assert_ok(linx_cgroup_thaw(cg, 5000, &err), &err);
	events = cgt_cat(cg, "cgroup.events");
	ck_assert_msg(strstr(events, "frozen 0"), "%s", events);
	free(events);
	ck_assert(cgt_counter_moves(counter, frozen_at, 5000));
	linx_assert_ok(linx_cgroup_thaw(cg, 5000, &err), &err);

	cgt_kill(pid);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(freeze_empty_and_zero_timeout)
{
	struct linx_error err;
	char *cg, *value;

	cgt_mount();
	cg = cgt_create(NULL, "frzempty");
	/* an empty cgroup is frozen as soon as it is asked: no waiting */
	linx_assert_ok(linx_cgroup_freeze(cg, 0, &err), &err);
	value = cgt_cat(cg, "cgroup.freeze");
	ck_assert_str_eq(value, "1");
	free(value);
	linx_assert_ok(linx_cgroup_thaw(cg, 0, &err), &err);
	value = cgt_cat(cg, "cgroup.freeze");
	ck_assert_str_eq(value, "0");
	free(value);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(thaw_times_out_under_a_frozen_parent)
{
	struct linx_error err;
	char *parent, *child, *object;
	int r;

	cgt_mount();
	parent = cgt_create(NULL, "frzparent");
	linx_assert_ok(linx_cgroup_freeze(parent, 5000, &err), &err);
	child = cgt_create(parent, "child");
	/* the child is frozen through its parent; thawing it alone cannot
	 * complete */
	r = linx_cgroup_thaw(child, 100, &err);
	cgt_assert_err(r, err, ETIMEDOUT, "thaw");
	ck_assert(asprintf(&object, "%s/cgroup.events", child) > 0);
	ck_assert_str_eq(err.object, object);
	free(object);
	ck_assert_msg(strstr(err.message, "ancestor"), "%s", err.message);
	linx_assert_ok(linx_cgroup_thaw(parent, 5000, &err), &err);
	linx_assert_ok(linx_cgroup_thaw(child, 5000, &err), &err);
	cgt_destroy(child);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(freeze_errors)
{
	struct linx_error err;
	const char *mnt = cgt_mount();
	char *cg;
	int r;

	/* the root cgroup cannot be frozen: it has no cgroup.freeze */
	r = linx_cgroup_freeze(mnt, 100, &err);
	cgt_assert_err(r, err, ENOENT, "freeze");
	cg = cgt_name(NULL, "nofreeze");
	r = linx_cgroup_freeze(cg, 100, &err);
	cgt_assert_err(r, err, ENOENT, "freeze");
	ck_assert_ptr_nonnull(strstr(err.object, cg));
	ck_assert_str_eq(err.object + strlen(cg), "/cgroup.freeze");
	r = linx_cgroup_thaw(cg, 100, &err);
	cgt_assert_err(r, err, ENOENT, "thaw");
	free(cg);
	cgt_unmount();
}
END_TEST

/* ---- stats --------------------------------------------------------------- */

START_TEST(stats_match_cpu_stat)
{
	volatile uint64_t *counter = cgt_shared_counter();
	struct linx_cgroup_stats s, again;
	struct linx_error err;
	char *parent, *cg;
	uint64_t v;
	pid_t pid;

	cgt_mount();
	parent = cgt_create(NULL, "stats");
	cg = cgt_create(parent, "leaf");
	pid = cgt_spawn_spinner(counter);
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	/* let it burn some CPU, then stop it so the counters hold still */
	for (int i = 0; i < 500; i++) {
		linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
		if ((s.present & LINX_CGROUP_STAT_CPU_USEC) &&
		    s.cpu_usec > 20000)
			break;
		usleep(10000);
	}
	cgt_kill(pid);

	linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
	ck_assert(cgt_awk_key(cg, "cpu.stat", "usage_usec", &v));
	ck_assert(s.present & LINX_CGROUP_STAT_CPU_USEC);
	ck_assert_uint_eq(s.cpu_usec, v);
	ck_assert_uint_gt(s.cpu_usec, 0);
	ck_assert(cgt_awk_key(cg, "cpu.stat", "user_usec", &v));
	ck_assert(s.present & LINX_CGROUP_STAT_CPU_USER_USEC);
	ck_assert_uint_eq(s.cpu_user_usec, v);
	ck_assert(cgt_awk_key(cg, "cpu.stat", "system_usec", &v));
	ck_assert(s.present & LINX_CGROUP_STAT_CPU_SYSTEM_USEC);
	ck_assert_uint_eq(s.cpu_system_usec, v);
	/* nothing is delegated to the leaf: the cpu controller's lines are
	 * not in cpu.stat, and memory.* / pids.* do not exist */
	ck_assert(!cgt_awk_key(cg, "cpu.stat", "nr_throttled", &v));
	ck_assert(!(s.present & LINX_CGROUP_STAT_CPU_NR_THROTTLED));
	ck_assert(!(s.present & LINX_CGROUP_STAT_CPU_THROTTLED_USEC));
	ck_assert(!(s.present & LINX_CGROUP_STAT_MEMORY_CURRENT));
	ck_assert(!(s.present & LINX_CGROUP_STAT_MEMORY_PEAK));
	ck_assert(!(s.present & LINX_CGROUP_STAT_PIDS_CURRENT));
	ck_assert_uint_eq(s.cpu_nr_throttled, 0);
	ck_assert_uint_eq(s.memory_current, 0);
	ck_assert_uint_eq(s.pids_current, 0);
	ck_assert_uint_eq(s.present, LINX_CGROUP_STAT_CPU_USEC |
					     LINX_CGROUP_STAT_CPU_USER_USEC |
					     LINX_CGROUP_STAT_CPU_SYSTEM_USEC);
	/* stable once nothing runs */
	linx_assert_ok(linx_cgroup_stats(cg, &again, &err), &err);
	ck_assert_mem_eq(&s, &again, sizeof(s));
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(stats_of_a_missing_cgroup)
{
	struct linx_cgroup_stats s;
	struct linx_error err;
	char *cg;
	int r;

	cgt_mount();
	cg = cgt_name(NULL, "nostats");
	memset(&s, 0xa5, sizeof(s));
	r = linx_cgroup_stats(cg, &s, &err);
	cgt_assert_err(r, err, ENOENT, "stats");
	ck_assert_str_eq(err.object, cg);
	/* untouched on failure */
	ck_assert_uint_eq(s.present, 0xa5a5a5a5u);
	r = linx_cgroup_stats(cg, NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	free(cg);
	cgt_unmount();
}
END_TEST

/* ---- controllers --------------------------------------------------------- */

START_TEST(enable_controllers_reports_each_refusal)
{
	const char *const names[] = { "nosuch", "hugetlb", "nosuch_either" };
	struct linx_error err, failures[3];
	char *parent, *cg, *object, *value;
	int r;

	cgt_mount();
	parent = cgt_create(NULL, "ctl");
	cg = cgt_create(parent, "leaf");
	ck_assert(asprintf(&object, "%s/cgroup.subtree_control", cg) > 0);
	r = linx_cgroup_enable_controllers(cg, names, 3, failures, &err);
	ck_assert_int_eq(r, 3);
	/* unknown to the kernel */
	ck_assert_int_eq(failures[0].code, EINVAL);
	ck_assert_str_eq(failures[0].op, "write");
	ck_assert_str_eq(failures[0].object, object);
	ck_assert_msg(strstr(failures[0].message, "\"nosuch\""), "%s",
		      failures[0].message);
	/* real, but the parent delegates nothing */
	ck_assert_int_eq(failures[1].code, ENOENT);
	ck_assert_str_eq(failures[1].op, "write");
	ck_assert_msg(strstr(failures[1].message, "cgroup.controllers"), "%s",
		      failures[1].message);
	ck_assert_int_eq(failures[2].code, EINVAL);
	value = cgt_cat(cg, "cgroup.subtree_control");
	ck_assert_str_eq(value, "");
	free(value);
	/* without a failure array, only the count */
	r = linx_cgroup_enable_controllers(cg, names, 1, NULL, &err);
	ck_assert_int_eq(r, 1);
	/* nothing asked, nothing refused */
	ck_assert_int_eq(linx_cgroup_enable_controllers(cg, NULL, 0, NULL,
							&err),
			 0);
	free(object);
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(enable_controllers_refuses_bad_names_first)
{
	static const char *const bad[] = {
		"", "+memory", "-memory", "memory cpu", "Memory", "cpu\n",
		"pids2", "memory/x",
	};
	struct linx_error err, failures[2];
	char *cg, *gone;
	int r;

	cgt_mount();
	cg = cgt_create(NULL, "ctlbad");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* a good name before the bad one is not written either */
		const char *names[2] = { "nosuch", bad[i] };

		failures[0].code = 12345;
		r = linx_cgroup_enable_controllers(cg, names, 2, failures,
						   &err);
		cgt_assert_err(r, err, EINVAL, "validate");
		ck_assert_str_eq(err.param, "controllers");
		ck_assert_int_eq(failures[0].code, 12345);
	}
	{
		const char *names[1] = { NULL };

		r = linx_cgroup_enable_controllers(cg, names, 1, NULL, &err);
		cgt_assert_err(r, err, EINVAL, "validate");
	}
	r = linx_cgroup_enable_controllers(cg, NULL, 1, NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	gone = cgt_name(NULL, "ctlgone");
	{
		const char *names[1] = { "pids" };

		r = linx_cgroup_enable_controllers(gone, names, 1, NULL, &err);
		cgt_assert_err(r, err, ENOENT, "write");
	}
	free(gone);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

/* ---- refusals ------------------------------------------------------------ */

/* Every entry point with `path`; each must refuse with EINVAL/"validate"
 * and param "path". */
static void assert_every_call_refuses(const char *path, const char *why)
{
	const char *names[1] = { "pids" };
	struct linx_cgroup_stats s;
	struct linx_error err;
	char *value = NULL;
	int r[12], i = 0;

	r[i++] = linx_cgroup_create(path, &err);
	r[i++] = linx_cgroup_destroy(path, &err);
	r[i++] = linx_cgroup_add_process(path, 0x3fffffff, &err);
	r[i++] = linx_cgroup_enable_controllers(path, names, 1, NULL, &err);
	r[i++] = linx_cgroup_set_memory_max(path, 1 << 20, &err);
	r[i++] = linx_cgroup_set_pids_max(path, 10, &err);
	r[i++] = linx_cgroup_set_cpu_max(path, 50000, 0, &err);
	r[i++] = linx_cgroup_freeze(path, 0, &err);
	r[i++] = linx_cgroup_thaw(path, 0, &err);
	r[i++] = linx_cgroup_read(path, "cgroup.procs", &value, NULL, &err);
	r[i++] = linx_cgroup_write(path, "linx-nosuch", "1", &err);
	r[i++] = linx_cgroup_stats(path, &s, &err);
	ck_assert_ptr_null(value);
	for (int k = 0; k < i; k++)
		ck_assert_msg(r[k] == -EINVAL, "%s: call %d returned %d", why,
			      k, r[k]);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, "path");
	r[0] = linx_cgroup_create(path, &err);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, "path");
	r[0] = linx_cgroup_write(path, "linx-nosuch", "1", &err);
	ck_assert_str_eq(err.op, "validate");
	ck_assert_str_eq(err.param, "path");
}

/*
 * `path` does not exist, under a directory that is not cgroup2: create
 * and destroy check the parent and refuse; the calls that act on the
 * directory itself find nothing to check and answer ENOENT - either way
 * nothing is written.
 */
static void assert_missing_child_refused(const char *path)
{
	const char *names[1] = { "pids" };
	struct linx_cgroup_stats s;
	struct linx_error err;
	char *value = NULL;
	int r;

	r = linx_cgroup_create(path, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "path");
	r = linx_cgroup_destroy(path, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	r = linx_cgroup_add_process(path, 0x3fffffff, &err);
	cgt_assert_err(r, err, ENOENT, "add_process");
	r = linx_cgroup_enable_controllers(path, names, 1, NULL, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_set_memory_max(path, 1 << 20, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_freeze(path, 0, &err);
	cgt_assert_err(r, err, ENOENT, "freeze");
	r = linx_cgroup_read(path, "cgroup.procs", &value, NULL, &err);
	cgt_assert_err(r, err, ENOENT, "read");
	ck_assert_ptr_null(value);
	r = linx_cgroup_write(path, "linx-nosuch", "1", &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_stats(path, &s, &err);
	cgt_assert_err(r, err, ENOENT, "stats");
}

START_TEST(malformed_paths_refused)
{
	const char *mnt = cgt_mount();
	char buf[PATH_MAX + 64], *p;
	const char *fmts[] = {
		"%s/../x",   "%s/./x", "%s//x", "%s/x/",   "%s/x/..",
		"%s/x/.",    "%s/..",  "%s/",   "%s/a/../b",
	};
	struct linx_error err;
	int r;

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		snprintf(buf, sizeof(buf), fmts[i], mnt);
		assert_every_call_refuses(buf, buf);
	}
	assert_every_call_refuses("", "empty");
	assert_every_call_refuses("sys/fs/cgroup/x", "relative");
	assert_every_call_refuses("x", "relative");
	assert_every_call_refuses(mnt + 1, "relative mount path");
	/* too long */
	p = malloc(PATH_MAX + 16);
	memset(p, 'a', PATH_MAX + 15);
	p[0] = '/';
	p[PATH_MAX + 15] = '\0';
	assert_every_call_refuses(p, "too long");
	/* a component over NAME_MAX */
	snprintf(p, PATH_MAX, "%s/", mnt);
	memset(p + strlen(p), 'b', NAME_MAX + 1);
	p[strlen(mnt) + 1 + NAME_MAX + 1] = '\0';
	assert_every_call_refuses(p, "long component");
	free(p);
	/* NULL */
	r = linx_cgroup_create(NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "path");
	r = linx_cgroup_read(NULL, "cgroup.procs", &p, NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	/* the message says why */
	r = linx_cgroup_create("relative/x", &err);
	ck_assert_msg(strstr(err.message, "absolute"), "%s", err.message);
	snprintf(buf, sizeof(buf), "%s/a/../b", mnt);
	r = linx_cgroup_create(buf, &err);
	ck_assert_msg(strstr(err.message, "\"..\""), "%s", err.message);
	ck_assert_str_eq(err.object, buf);
	/* "/" has no parent to create it in, and is not cgroup2 */
	r = linx_cgroup_create("/", &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	r = linx_cgroup_destroy("/", &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	r = linx_cgroup_stats("/", NULL, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	cgt_unmount();
}
END_TEST

START_TEST(paths_outside_cgroup2_refused)
{
	struct linx_error err;
	char tmp[] = "/tmp/linx-cg-outside-XXXXXX", buf[PATH_MAX];
	int r;

	cgt_mount();
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	/* a directory on tmpfs or ext4: the check is on the filesystem */
	assert_every_call_refuses(tmp, "tmp dir");
	snprintf(buf, sizeof(buf), "%s/linx-should-not-exist", tmp);
	assert_missing_child_refused(buf);
	ck_assert(!exists(buf));
	r = linx_cgroup_read(tmp, "cgroup.procs", &(char *){ NULL }, NULL,
			     &err);
	ck_assert_msg(strstr(err.message, "not on a cgroup2 filesystem"),
		      "%s", err.message);
	ck_assert_int_eq(r, -EINVAL);
	rmdir(tmp);
	/* /sys/fs/cgroup itself (a tmpfs on a hybrid host; cgroup2 on a
	 * unified host, which has no cgroup v1 to test then) */
	if (!linx_cgroup_supported()) {
		assert_every_call_refuses("/sys/fs/cgroup", "/sys/fs/cgroup");
		assert_missing_child_refused(
			"/sys/fs/cgroup/linx-should-not-exist");
		ck_assert(!exists("/sys/fs/cgroup/linx-should-not-exist"));
	}
	cgt_unmount();
}
END_TEST

START_TEST(cgroup_v1_refused_before_any_write)
{
	static const char *const v1[] = { "/sys/fs/cgroup/memory",
					  "/sys/fs/cgroup/pids",
					  "/sys/fs/cgroup/cpu" };
	struct linx_error err;
	int tested = 0, r;

	/* Only on a host that has v1 hierarchies (this one); the VM lane
	 * is unified and has none. */
	for (size_t i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
		char child[PATH_MAX];
		char *before, *after;
		int st;

		if (!exists(v1[i]))
			continue;
		before = linx_test_sh(&st, "find %s -maxdepth 1 | sort", v1[i]);
		assert_every_call_refuses(v1[i], v1[i]);
		snprintf(child, sizeof(child), "%s/linx-should-not-exist-%d",
			 v1[i], (int)getpid());
		assert_missing_child_refused(child);
		if (exists(child)) {
			/* never leave anything in the host's v1 tree */
			rmdir(child);
			ck_abort_msg("%s was created", child);
		}
		after = linx_test_sh(&st, "find %s -maxdepth 1 | sort", v1[i]);
		ck_assert_str_eq(before, after);
		free(before);
		free(after);
		r = linx_cgroup_read(v1[i], "cgroup.procs", &(char *){ NULL },
				     NULL, &err);
		ck_assert_int_eq(r, -EINVAL);
		ck_assert_msg(strstr(err.message, "cgroup v1"), "%s",
			      err.message);
		tested++;
	}
	if (tested == 0 && !linx_cgroup_supported())
		ck_abort_msg("no cgroup v1 hierarchy found on a hybrid host");
}
END_TEST

START_TEST(limit_values_refused_before_any_write)
{
	struct linx_error err;
	char *parent, *cg;
	int r;

	cgt_mount();
	parent = cgt_create(NULL, "limits");
	cg = cgt_create(parent, "leaf");
	/* had these reached the kernel, the missing files would answer
	 * ENOENT/"write"; they are refused before */
	r = linx_cgroup_set_cpu_max(cg, 999, 100000, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "quota");
	r = linx_cgroup_set_cpu_max(cg, LINX_CGROUP_CPU_QUOTA_MAX_US + 1, 0,
				    &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "quota");
	r = linx_cgroup_set_cpu_max(cg, 0, 0, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	r = linx_cgroup_set_cpu_max(cg, 50000, 999, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "period");
	r = linx_cgroup_set_cpu_max(cg, 50000, 1000001, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "period");
	/* the period is checked for "max" too */
	r = linx_cgroup_set_cpu_max(cg, LINX_CGROUP_MAX, 999, &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	r = linx_cgroup_set_pids_max(cg, LINX_CGROUP_PIDS_MAX_LIMIT + 1ull,
				     &err);
	cgt_assert_err(r, err, EINVAL, "validate");
	ck_assert_str_eq(err.param, "max");
	/* the bounds themselves pass validation (and reach the kernel) */
	r = linx_cgroup_set_cpu_max(cg, LINX_CGROUP_CPU_QUOTA_MIN_US,
				    LINX_CGROUP_CPU_PERIOD_MAX_US, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_set_cpu_max(cg, LINX_CGROUP_CPU_QUOTA_MAX_US,
				    LINX_CGROUP_CPU_PERIOD_MIN_US, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	r = linx_cgroup_set_pids_max(cg, LINX_CGROUP_PIDS_MAX_LIMIT, &err);
	cgt_assert_err(r, err, ENOENT, "write");
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

START_TEST(supported_follows_the_spec)
{
	struct stat st;

	ck_assert(linx_cgroup_supported() ==
		  (stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0));
	/* this machine is hybrid: the spec's test says no, although
	 * /sys/fs/cgroup/unified works; the VM lane is unified */
	if (stat("/sys/fs/cgroup/unified/cgroup.controllers", &st) == 0)
		ck_assert(!linx_cgroup_supported());
}
END_TEST

/* ---- hygiene ------------------------------------------------------------- */

START_TEST(no_fd_leaks_and_errno_without_err)
{
	const char *names[2] = { "nosuch", "pids" };
	struct linx_error failures[2];
	struct linx_cgroup_stats s;
	char *parent, *cg, *gone, *value;
	int before, after;
	pid_t pid;

	cgt_mount();
	/* nested, so nothing the root delegates reaches it: "+pids" stays a
	 * refusal even where the root enables pids (pids is a threaded
	 * controller and may be enabled beside processes) */
	parent = cgt_create(NULL, "fds");
	cg = cgt_create(parent, "leaf");
	gone = cgt_name(NULL, "fdsgone");
	pid = cgt_spawn_sleeper();
	before = linx_test_count_fds();
	for (int round = 0; round < 3; round++) {
		/* err NULL: the right errno still comes back */
		ck_assert_int_eq(linx_cgroup_create(cg, NULL), 0);
		ck_assert_int_eq(linx_cgroup_add_process(cg, pid, NULL), 0);
		ck_assert_int_eq(linx_cgroup_destroy(cg, NULL), -EBUSY);
		ck_assert_int_eq(linx_cgroup_destroy(gone, NULL), -ENOENT);
		ck_assert_int_eq(linx_cgroup_read(gone, "cgroup.procs", &value,
						  NULL, NULL),
				 -ENOENT);
		ck_assert_int_eq(linx_cgroup_read(cg, "cgroup.procs", &value,
						  NULL, NULL),
				 0);
		free(value);
		ck_assert_int_eq(linx_cgroup_write(cg, "cgroup.max.depth", "x",
						   NULL),
				 -EINVAL);
		ck_assert_int_eq(linx_cgroup_write(cg, "nosuch", "x", NULL),
				 -ENOENT);
		ck_assert_int_eq(linx_cgroup_stats(cg, &s, NULL), 0);
		ck_assert_int_eq(linx_cgroup_stats(gone, &s, NULL), -ENOENT);
		ck_assert_int_eq(linx_cgroup_enable_controllers(
					 cg, names, 2, failures, NULL),
				 2);
		ck_assert_int_eq(linx_cgroup_enable_controllers(
					 gone, names, 2, failures, NULL),
				 -ENOENT);
		ck_assert_int_eq(linx_cgroup_freeze(cg, 5000, NULL), 0);
		ck_assert_int_eq(linx_cgroup_thaw(cg, 5000, NULL), 0);
		ck_assert_int_eq(linx_cgroup_freeze(gone, 0, NULL), -ENOENT);
		ck_assert_int_eq(linx_cgroup_set_memory_max(cg, 1, NULL),
				 -ENOENT);
		ck_assert_int_eq(linx_cgroup_set_pids_max(cg, 1, NULL),
				 -ENOENT);
		ck_assert_int_eq(linx_cgroup_set_cpu_max(cg, 1, 0, NULL),
				 -EINVAL);
		ck_assert_int_eq(linx_cgroup_create("/tmp/x", NULL), -EINVAL);
		ck_assert_int_eq(linx_cgroup_create("rel", NULL), -EINVAL);
	}
	after = linx_test_count_fds();
	ck_assert_int_eq(before, after);
	cgt_kill(pid);
	free(gone);
	cgt_destroy(cg);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc;

	linx_test_require_root();
	cgt_init();

	tc = tcase_create("lifecycle");
	tcase_add_test(tc, create_is_idempotent);
	tcase_add_test(tc, create_errors);
	tcase_add_test(tc, destroy_busy_while_populated);
	tcase_add_test(tc, add_process_moves_it);
	tcase_add_test(tc, add_process_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_test(tc, read_matches_the_files);
	tcase_add_test(tc, write_reaches_the_file);
	tcase_add_test(tc, missing_files);
	tcase_add_test(tc, bad_file_names_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("freeze");
	tcase_add_test(tc, freeze_stops_a_running_process);
	tcase_add_test(tc, freeze_empty_and_zero_timeout);
	tcase_add_test(tc, thaw_times_out_under_a_frozen_parent);
	tcase_add_test(tc, freeze_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("stats");
	tcase_add_test(tc, stats_match_cpu_stat);
	tcase_add_test(tc, stats_of_a_missing_cgroup);
	suite_add_tcase(s, tc);

	tc = tcase_create("controllers");
	tcase_add_test(tc, enable_controllers_reports_each_refusal);
	tcase_add_test(tc, enable_controllers_refuses_bad_names_first);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_test(tc, malformed_paths_refused);
	tcase_add_test(tc, paths_outside_cgroup2_refused);
	tcase_add_test(tc, cgroup_v1_refused_before_any_write);
	tcase_add_test(tc, limit_values_refused_before_any_write);
	tcase_add_test(tc, supported_follows_the_spec);
	suite_add_tcase(s, tc);

	tc = tcase_create("hygiene");
	tcase_add_test(tc, no_fd_leaks_and_errno_without_err);
	suite_add_tcase(s, tc);

	return cgt_run(s);
}
