/* SPDX-License-Identifier: MIT */
/*
 * Limits that need the memory, pids and cpu controllers, and proof that
 * the kernel enforces what the setters wrote:
 *   - a workload at pids.max cannot fork (EAGAIN), counted in pids.events;
 *   - a workload over memory.max is OOM-killed, counted in memory.events;
 *   - a spinning workload under cpu.max is throttled (cpu.stat);
 *   - the values read back as written (in the kernel's syntax);
 *   - enable_controllers lets the valid names land next to a bad one.
 *
 * This host binds those controllers to cgroup v1, so main() skips here;
 * the VM lane (Debian's 6.12 kernel, cgroup2 with every controller,
 * LINX_TEST_NO_SKIP=1) runs it.  There main() enables memory, pids and cpu
 * in the hierarchy root's cgroup.subtree_control (the only way a cgroup
 * gets them) and, at the end, disables again those it enabled.  Processes
 * go only into leaf cgroups (the no-internal-processes rule).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linx/cgroup.h>

#include "cgroup-test.h"

static const char *const controllers[] = { "memory", "pids", "cpu" };
#define N_CONTROLLERS 3

/* ---- a workload driven over a pipe ----------------------------------------
 *
 * The child waits for a command byte, does it and answers with an int:
 *   'f' fork once (the grandchild exits at once): 0 or the errno
 *   'm' map and touch 256 MiB, page by page: 0 if it survived
 */
struct workload {
	pid_t pid;
	int cmd;   /* write end */
	int reply; /* read end */
};

static void workload_main(int cmd, int reply)
{
	char c;

	while (read(cmd, &c, 1) == 1) {
		int result = 0;

		if (c == 'f') {
			pid_t p = fork();

			if (p < 0) {
				result = errno;
			} else if (p == 0) {
				_exit(0);
			} else {
				waitpid(p, NULL, 0);
			}
		} else if (c == 'm') {
			size_t len = 256u << 20;
			long page = sysconf(_SC_PAGESIZE);
			char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (mem == MAP_FAILED) {
				result = errno;
			} else {
				for (size_t off = 0; off < len;
				     off += (size_t)page)
					mem[off] = 1;
				munmap(mem, len);
			}
		}
		if (write(reply, &result, sizeof(result)) != sizeof(result))
			_exit(1);
	}
	_exit(0);
}

static struct workload workload_start(void)
{
	struct workload w;
	int to_child[2], from_child[2];
	pid_t parent = getpid();

	ck_assert(pipe2(to_child, O_CLOEXEC) == 0);
	ck_assert(pipe2(from_child, O_CLOEXEC) == 0);
	w.pid = fork();
	ck_assert_int_ge(w.pid, 0);
	if (w.pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(to_child[1]);
		close(from_child[0]);
		workload_main(to_child[0], from_child[1]);
	}
	close(to_child[0]);
	close(from_child[1]);
	w.cmd = to_child[1];
	w.reply = from_child[0];
	return w;
}

/* Send `c`; returns the child's answer, or -1 if it died instead. */
static int workload_do(struct workload *w, char c)
{
	int result;

	ck_assert_int_eq(write(w->cmd, &c, 1), 1);
	if (read(w->reply, &result, sizeof(result)) != sizeof(result))
		return -1;
	return result;
}

static void workload_stop(struct workload *w)
{
	close(w->cmd);
	close(w->reply);
	cgt_kill(w->pid);
}

/* ---- fixtures ------------------------------------------------------------ */

/* Mount, and check the root delegates what main() enabled. */
static const char *limits_mount(void)
{
	const char *mnt = cgt_mount();
	char *value = cgt_cat(mnt, "cgroup.subtree_control");

	for (size_t i = 0; i < N_CONTROLLERS; i++)
		ck_assert_msg(strstr(value, controllers[i]),
			      "root does not delegate %s: \"%s\"",
			      controllers[i], value);
	free(value);
	return mnt;
}

static void assert_reads(const char *cg, const char *file, const char *want)
{
	struct linx_error err;
	char *value, *oracle;

	linx_assert_ok(linx_cgroup_read(cg, file, &value, NULL, &err), &err);
	ck_assert_msg(strcmp(value, want) == 0, "%s: \"%s\", expected \"%s\"",
		      file, value, want);
	oracle = cgt_slurp(cg, file);
	ck_assert_str_eq(oracle, want);
	free(oracle);
	free(value);
}

/* ---- tests --------------------------------------------------------------- */

START_TEST(values_read_back)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_cgroup };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	struct linx_value args, res = linx_value_nil();
	long page = sysconf(_SC_PAGESIZE);
	struct linx_error err;
	char want[64], *cg;

	limits_mount();
	cg = cgt_create(NULL, "readback");

	linx_assert_ok(linx_cgroup_set_memory_max(cg, 32u << 20, &err), &err);
	assert_reads(cg, "memory.max", "33554432");
	/* rounded down to a page */
	linx_assert_ok(linx_cgroup_set_memory_max(cg, (32u << 20) + 100, &err),
		       &err);
	assert_reads(cg, "memory.max", "33554432");
	snprintf(want, sizeof(want), "%ld", 3 * page);
	linx_assert_ok(linx_cgroup_set_memory_max(cg, 3 * (uint64_t)page + 1,
						  &err),
		       &err);
	assert_reads(cg, "memory.max", want);
	linx_assert_ok(linx_cgroup_set_memory_max(cg, LINX_CGROUP_MAX, &err),
		       &err);
	assert_reads(cg, "memory.max", "max");

	linx_assert_ok(linx_cgroup_set_pids_max(cg, 10, &err), &err);
	assert_reads(cg, "pids.max", "10");
	linx_assert_ok(linx_cgroup_set_pids_max(cg, 0, &err), &err);
	assert_reads(cg, "pids.max", "0");
	linx_assert_ok(linx_cgroup_set_pids_max(cg, LINX_CGROUP_PIDS_MAX_LIMIT,
						&err),
		       &err);
	assert_reads(cg, "pids.max", "4194304");
	linx_assert_ok(linx_cgroup_set_pids_max(cg, LINX_CGROUP_MAX, &err),
		       &err);
	assert_reads(cg, "pids.max", "max");

	linx_assert_ok(linx_cgroup_set_cpu_max(cg, 50000, 100000, &err), &err);
	assert_reads(cg, "cpu.max", "50000 100000");
	linx_assert_ok(linx_cgroup_set_cpu_max(cg, 25000, 0, &err), &err);
	assert_reads(cg, "cpu.max", "25000 100000");
	/* more than one CPU's worth, at the period bounds */
	linx_assert_ok(linx_cgroup_set_cpu_max(cg, 2000000, 1000000, &err),
		       &err);
	assert_reads(cg, "cpu.max", "2000000 1000000");
	linx_assert_ok(linx_cgroup_set_cpu_max(cg, 1000, 1000, &err), &err);
	assert_reads(cg, "cpu.max", "1000 1000");
	linx_assert_ok(linx_cgroup_set_cpu_max(cg, LINX_CGROUP_MAX, 200000,
					       &err),
		       &err);
	assert_reads(cg, "cpu.max", "max 200000");
	linx_assert_ok(linx_cgroup_set_cpu_max(cg, LINX_CGROUP_MAX, 0, &err),
		       &err);
	assert_reads(cg, "cpu.max", "max 100000");

	/* the same through the verbs */
	args = linx_value_map();
	linx_map_put_cstring(&args, "path", cg);
	linx_map_put_uint(&args, "bytes", 64u << 20);
	linx_assert_ok(linx_call(reg, "cgroup.set_memory_max", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	assert_reads(cg, "memory.max", "67108864");
	args = linx_value_map();
	linx_map_put_cstring(&args, "path", cg);
	linx_map_put_cstring(&args, "max", "max");
	linx_assert_ok(linx_call(reg, "cgroup.set_pids_max", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	assert_reads(cg, "pids.max", "max");
	args = linx_value_map();
	linx_map_put_cstring(&args, "path", cg);
	linx_map_put_uint(&args, "quota", 30000);
	linx_assert_ok(linx_call(reg, "cgroup.set_cpu_max", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	assert_reads(cg, "cpu.max", "30000 100000");
	args = linx_value_map();
	linx_map_put_cstring(&args, "path", cg);
	linx_map_put_cstring(&args, "quota", "max");
	linx_map_put_uint(&args, "period", 50000);
	linx_assert_ok(linx_call(reg, "cgroup.set_cpu_max", &args, &res, 0,
				 &err),
		       &err);
	linx_value_clear(&args);
	assert_reads(cg, "cpu.max", "max 50000");

	linx_registry_free(reg);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(pids_max_stops_fork)
{
	struct linx_cgroup_stats s;
	struct linx_error err;
	struct workload w;
	uint64_t events;
	char *cg;

	limits_mount();
	cg = cgt_create(NULL, "pids");
	w = workload_start();
	linx_assert_ok(linx_cgroup_add_process(cg, w.pid, &err), &err);
	/* under no limit it can fork */
	ck_assert_int_eq(workload_do(&w, 'f'), 0);

	linx_assert_ok(linx_cgroup_set_pids_max(cg, 1, &err), &err);
	linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
	ck_assert(s.present & LINX_CGROUP_STAT_PIDS_CURRENT);
	ck_assert_uint_eq(s.pids_current, 1);
	/* fork(2): EAGAIN when the pids limit is reached */
	ck_assert_int_eq(workload_do(&w, 'f'), EAGAIN);
	ck_assert_int_eq(workload_do(&w, 'f'), EAGAIN);
	ck_assert(cgt_awk_key(cg, "pids.events", "max", &events));
	ck_assert_uint_ge(events, 2);

	linx_assert_ok(linx_cgroup_set_pids_max(cg, LINX_CGROUP_MAX, &err),
		       &err);
	ck_assert_int_eq(workload_do(&w, 'f'), 0);
	workload_stop(&w);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(memory_max_ooms)
{
	struct linx_cgroup_stats s;
	struct linx_error err;
	struct workload w;
	uint64_t kills = 0;
	char *cg, swap[PATH_MAX];
	int status, r;

	limits_mount();
	cg = cgt_create(NULL, "memory");
	linx_assert_ok(linx_cgroup_set_memory_max(cg, 32u << 20, &err), &err);
	/* with swap the workload would be swapped out instead of killed */
	snprintf(swap, sizeof(swap), "%s/memory.swap.max", cg);
	if (access(swap, F_OK) == 0)
		linx_assert_ok(linx_cgroup_write(cg, "memory.swap.max", "0",
						 &err),
			       &err);
	w = workload_start();
	linx_assert_ok(linx_cgroup_add_process(cg, w.pid, &err), &err);
	/* touching 256 MiB under a 32 MiB ceiling: the memcg OOM killer */
	r = workload_do(&w, 'm');
	ck_assert_msg(r == -1, "workload survived (answer %d)", r);
	ck_assert_int_eq(waitpid(w.pid, &status, 0), w.pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGKILL);
	ck_assert(cgt_awk_key(cg, "memory.events", "oom_kill", &kills));
	ck_assert_uint_ge(kills, 1);
	linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
	ck_assert(s.present & LINX_CGROUP_STAT_MEMORY_CURRENT);
	ck_assert(s.present & LINX_CGROUP_STAT_MEMORY_PEAK);
	ck_assert_uint_gt(s.memory_peak, 16u << 20);
	close(w.cmd);
	close(w.reply);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(cpu_max_throttles)
{
	volatile uint64_t *counter = cgt_shared_counter();
	struct linx_cgroup_stats s;
	struct linx_error err;
	uint64_t v;
	char *cg;
	pid_t pid;

	limits_mount();
	cg = cgt_create(NULL, "cpu");
	/* 1 ms per 10 ms: throttled in every period it spins through */
	linx_assert_ok(linx_cgroup_set_cpu_max(cg, 1000, 10000, &err), &err);
	pid = cgt_spawn_spinner(counter);
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	/* a bounded wait for the kernel to report it, not a timing test */
	for (int i = 0; i < 1500; i++) {
		linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
		if ((s.present & LINX_CGROUP_STAT_CPU_NR_THROTTLED) &&
		    s.cpu_nr_throttled > 0 &&
		    (s.present & LINX_CGROUP_STAT_CPU_THROTTLED_USEC) &&
		    s.cpu_throttled_usec > 0)
			break;
		usleep(20000);
	}
	ck_assert(s.present & LINX_CGROUP_STAT_CPU_NR_THROTTLED);
	ck_assert_uint_gt(s.cpu_nr_throttled, 0);
	ck_assert_uint_gt(s.cpu_throttled_usec, 0);
	ck_assert(cgt_awk_key(cg, "cpu.stat", "nr_throttled", &v));
	ck_assert_uint_ge(v, s.cpu_nr_throttled);
	cgt_kill(pid);
	/* The counters may still move after the workload is gone (the
	 * period timer accounts throttled periods late), so the snapshot
	 * must lie between two readings of the file taken around it. */
	{
		static const char *const keys[] = { "nr_throttled",
						     "throttled_usec",
						     "usage_usec" };
		uint64_t lo[3], hi[3];

		for (int i = 0; i < 3; i++)
			ck_assert(cgt_awk_key(cg, "cpu.stat", keys[i], &lo[i]));
		linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
		for (int i = 0; i < 3; i++)
			ck_assert(cgt_awk_key(cg, "cpu.stat", keys[i], &hi[i]));
		ck_assert(lo[0] <= s.cpu_nr_throttled &&
			  s.cpu_nr_throttled <= hi[0]);
		ck_assert(lo[1] <= s.cpu_throttled_usec &&
			  s.cpu_throttled_usec <= hi[1]);
		ck_assert(lo[2] <= s.cpu_usec && s.cpu_usec <= hi[2]);
	}
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(stats_with_controllers)
{
	struct linx_cgroup_stats s;
	struct linx_error err;
	uint64_t v;
	char *cg;
	pid_t pid;

	limits_mount();
	cg = cgt_create(NULL, "stats");
	pid = cgt_spawn_sleeper();
	linx_assert_ok(linx_cgroup_add_process(cg, pid, &err), &err);
	linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
	ck_assert_uint_eq(s.present, 0xffu); /* every field */
	ck_assert_uint_eq(s.pids_current, 1);
	ck_assert_uint_eq(s.cpu_nr_throttled, 0);
	ck_assert(cgt_awk_key(cg, "cpu.stat", "nr_throttled", &v));
	ck_assert_uint_eq(v, 0);
	cgt_kill(pid);
	linx_assert_ok(linx_cgroup_stats(cg, &s, &err), &err);
	ck_assert_uint_eq(s.pids_current, 0);
	cgt_destroy(cg);
	cgt_unmount();
}
END_TEST

START_TEST(enable_controllers_partial_lands_the_valid_ones)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_cgroup };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	const char *const names[] = { "nosuch", "memory", "pids" };
	struct linx_value args, list, res = linx_value_nil();
	struct linx_error err, failures[3];
	char *parent, *leaf, *value;
	pid_t pid;
	int r;

	limits_mount();
	parent = cgt_create(NULL, "ctl");
	r = linx_cgroup_enable_controllers(parent, names, 3, failures, &err);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(failures[0].code, EINVAL);
	ck_assert_str_eq(failures[0].op, "write");
	ck_assert_int_eq(failures[1].code, 0);
	ck_assert_int_eq(failures[2].code, 0);
	value = cgt_cat(parent, "cgroup.subtree_control");
	ck_assert_str_eq(value, "memory pids");
	free(value);

	/* the verb: one failure entry, cpu lands */
	args = linx_value_map();
	linx_map_put_cstring(&args, "path", parent);
	list = linx_value_list();
	linx_list_push_cstring(&list, "cpu");
	linx_list_push_cstring(&list, "nosuch");
	linx_map_put(&args, "controllers", &list);
	linx_assert_ok(linx_call(reg, "cgroup.enable_controllers", &args, &res,
				 0, &err),
		       &err);
	ck_assert_uint_eq(res.len, 1);
	ck_assert_str_eq(linx_map_get(&res.items[0], "controller")->str,
			 "nosuch");
	ck_assert_str_eq(linx_map_get(&res.items[0], "errno")->str, "einval");
	linx_value_clear(&res);
	linx_value_clear(&args);
	value = cgt_cat(parent, "cgroup.subtree_control");
	ck_assert_str_eq(value, "cpu memory pids");
	free(value);

	/* the leaf below gets them */
	leaf = cgt_create(parent, "leaf");
	linx_assert_ok(linx_cgroup_set_memory_max(leaf, 16u << 20, &err),
		       &err);
	linx_assert_ok(linx_cgroup_set_pids_max(leaf, 5, &err), &err);
	linx_assert_ok(linx_cgroup_set_cpu_max(leaf, 10000, 0, &err), &err);

	/* no internal processes: a cgroup that delegates takes none */
	pid = cgt_spawn_sleeper();
	r = linx_cgroup_add_process(parent, pid, &err);
	cgt_assert_err(r, err, EBUSY, "add_process");
	/* and a populated one cannot start delegating */
	linx_assert_ok(linx_cgroup_add_process(leaf, pid, &err), &err);
	{
		const char *one[] = { "memory" };

		r = linx_cgroup_enable_controllers(leaf, one, 1, failures,
						   &err);
		ck_assert_int_eq(r, 1);
		ck_assert_int_eq(failures[0].code, EBUSY);
	}
	cgt_kill(pid);

	linx_registry_free(reg);
	cgt_destroy(leaf);
	cgt_destroy(parent);
	cgt_unmount();
}
END_TEST

/* ---- main: delegate at the root for the run, undo afterwards --------------- */

static char root_mnt[] = "/tmp/linx-cg-limits-XXXXXX";
static char root_before[256];

static int root_write(const char *value)
{
	char p[PATH_MAX];
	int fd, r = 0;

	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", root_mnt);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static void root_setup(void)
{
	char p[PATH_MAX];
	ssize_t n;
	int fd;

	/* main's own mount namespace: tests inherit it and unshare again */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    !mkdtemp(root_mnt) ||
	    mount("cgroup2", root_mnt, "cgroup2", 0, NULL) < 0) {
		perror("mount cgroup2");
		exit(1);
	}
	snprintf(p, sizeof(p), "%s/cgroup.subtree_control", root_mnt);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, root_before, sizeof(root_before) - 1);
	if (fd >= 0)
		close(fd);
	root_before[n > 0 ? n : 0] = '\0';
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		char tok[32];
		int r;

		snprintf(tok, sizeof(tok), "+%s", controllers[i]);
		r = root_write(tok);
		if (r < 0) {
			fprintf(stderr, "enable %s at the root: %s\n",
				controllers[i], strerror(-r));
			exit(1);
		}
	}
}

static void root_restore(void)
{
	for (size_t i = 0; i < N_CONTROLLERS; i++) {
		char tok[32];

		if (strstr(root_before, controllers[i]))
			continue;
		snprintf(tok, sizeof(tok), "-%s", controllers[i]);
		if (root_write(tok) < 0)
			fprintf(stderr, "note: could not disable %s at the "
					"root again\n",
				controllers[i]);
	}
	umount2(root_mnt, MNT_DETACH);
	rmdir(root_mnt);
}

int main(void)
{
	Suite *s = suite_create("cgroup-limits");
	TCase *tc;
	int r;

	linx_test_require_root();
	for (size_t i = 0; i < N_CONTROLLERS; i++)
		linx_test_require(
			linx_test_cgroup2_has_controller(controllers[i]),
			"the cgroup2 %s controller is not available here (this "
			"host binds it to a cgroup v1 hierarchy); these tests "
			"run in the VM lane",
			controllers[i]);
	cgt_init();
	root_setup();

	tc = tcase_create("limits");
	tcase_add_test(tc, values_read_back);
	tcase_add_test(tc, pids_max_stops_fork);
	tcase_add_test(tc, memory_max_ooms);
	tcase_add_test(tc, cpu_max_throttles);
	tcase_add_test(tc, stats_with_controllers);
	tcase_add_test(tc, enable_controllers_partial_lands_the_valid_ones);
	suite_add_tcase(s, tc);

	r = cgt_run(s);
	root_restore();
	return r;
}
