/* SPDX-License-Identifier: MIT */
/*
 * A workload in a busybox root with /proc, /dev and a tmpfs on /tmp, side
 * by side in one run (interleaved round-robin, medians):
 *
 *   bwrap     bwrap --unshare-pid --bind ROOT / --proc /proc --dev /dev
 *             --tmpfs /tmp /bin/true
 *   unshare   unshare --mount --pid --fork --root ROOT --mount-proc
 *             /bin/true (it has no /dev or tmpfs option: less work)
 *   linx cli  linx spawn --ns mount,pid --rootfs ROOT --mount-proc
 *             --tmpfs /tmp -- /bin/true (forks its own agent each time)
 *   cli exec  the same with $LINX_AGENT set: the CLI exec's linx-agent
 *             through linx_agent_start(), as it did before it forked
 *   linx lib  the same plan through one running agent: spawn, setup,
 *             proceed, wait - what a runtime built on the library pays
 *   linx -V   `linx --version`: the CLI starting and exiting, the part of
 *             any `linx spawn` that no agent design can remove
 *
 * Wall time, and CPU time (user + system of the command and everything
 * it waited for, from wait4(2); not for linx lib, whose workloads are the
 * long-lived agent's children).  This machine has no hardware counters
 * to count instructions with, so CPU time is the second measure.
 *
 * Target: at most the cost of the fastest reference (bwrap or unshare).
 * docs/process/performance.md ("linx spawn --rootfs") has the numbers and
 * where the CLI's time goes.
 *
 *   bench-rootfs LINX BUSYBOX_ROOT_SCRIPT LINX_AGENT
 *                                          LINX_BENCH_RUNS=N (default 40)
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linx/plan.h>
#include <linx/process.h>

#include "bench-util.h"

extern char **environ;

struct sample {
	double wall, cpu; /* microseconds; -1: failed */
};

static double cpu_us(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e6 +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec);
}

/* Run argv to completion in `env` (stdout to /dev/null if quiet). */
static struct sample run(char *const *argv, char *const *env, bool quiet)
{
	posix_spawn_file_actions_t fa;
	struct sample s = { -1, -1 };
	double t0 = bench_now_us();
	struct rusage ru;
	pid_t pid;
	int st, r;

	posix_spawn_file_actions_init(&fa);
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
						 0);
	r = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return s;
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return s;
	s.wall = bench_now_us() - t0;
	s.cpu = cpu_us(&ru);
	return s;
}

static struct sample run_lib(struct linx_agent *a,
			     const struct linx_value *plan)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_spawn_options o = {
		.argv = argv, .namespaces = LINX_NS_MNT | LINX_NS_PID,
	};
	struct linx_process *p = NULL;
	struct linx_process_result res;
	struct linx_error err;
	double t0 = bench_now_us();
	int ok;

	ok = linx_process_spawn(a, &o, &p, &err) == 0 &&
	     linx_process_wait_stage(p, LINX_PROCESS_READY, -1, &err) ==
		     LINX_PROCESS_READY &&
	     linx_process_setup(p, plan, &err) == 0 &&
	     linx_process_proceed(p, &err) == 0 &&
	     linx_process_wait(p, -1, &res, &err) == 0 &&
	     res.stage == LINX_PROCESS_EXITED && res.value == 0;
	if (!ok)
		fprintf(stderr, "linx lib: %s\n", err.message);
	linx_process_free(p);
	return (struct sample){ ok ? bench_now_us() - t0 : -1, 0 };
}

static bool have(const char *path)
{
	return access(path, X_OK) == 0;
}

/* environ plus one more "KEY=VALUE" (the strings are not copied). */
static char **env_plus(char *extra)
{
	size_t n = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		exit(1);
	memcpy(env, environ, n * sizeof(*env));
	env[n] = extra;
	return env;
}

enum { BWRAP, UNSHARE, CLI, CLI_EXEC, LIB, START, COLUMNS };

static const char *const names[COLUMNS] = {
	"bwrap", "unshare", "linx cli", "cli exec", "linx lib", "linx -V",
};

static void report(int runs, const bool *on, double *const *wall,
		   double *const *cpu)
{
	double med[COLUMNS], cmed[COLUMNS], best = -1, cbest = -1;

	printf("rootfs: busybox root + /proc + /dev + tmpfs, %d runs, "
	       "medians\n", runs);
	printf("  %-9s %9s %9s\n", "", "wall us", "cpu us");
	for (int k = 0; k < COLUMNS; k++) {
		med[k] = on[k] ? bench_median(wall[k], runs) : -1;
		cmed[k] = on[k] ? bench_median(cpu[k], runs) : -1;
		if (!on[k])
			printf("  %-9s (not run: missing or failed)\n",
			       names[k]);
		else if (k == LIB)
			printf("  %-9s %9.0f %9s\n", names[k], med[k], "-");
		else
			printf("  %-9s %9.0f %9.0f\n", names[k], med[k],
			       cmed[k]);
	}
	for (int k = BWRAP; k <= UNSHARE; k++) {
		if (on[k] && (best < 0 || med[k] < best))
			best = med[k];
		if (on[k] && (cbest < 0 || cmed[k] < cbest))
			cbest = cmed[k];
	}
	if (best <= 0)
		return;
	printf("  ratio to the fastest reference (target <= 1.0x):\n"
	       "    wall: linx cli %.2fx, cli exec %.2fx, linx lib %.2fx, "
	       "linx -V %.2fx\n",
	       med[CLI] / best, med[CLI_EXEC] / best, med[LIB] / best,
	       med[START] / best);
	printf("    cpu:  linx cli %.2fx, cli exec %.2fx, linx -V %.2fx\n",
	       cmed[CLI] / cbest, cmed[CLI_EXEC] / cbest, cmed[START] / cbest);
	/* What a CLI costs at best: its own start and exit, plus the
	 * library's spawn. */
	printf("  linx cli - (linx lib + linx -V): %.0f us\n",
	       med[CLI] - med[LIB] - med[START]);
}

int main(int argc, char **argv)
{
	char root[] = "/tmp/linx-bench-root-XXXXXX", cmd[512], agent_env[600];
	const char *env = getenv("LINX_BENCH_RUNS");
	int runs = env ? atoi(env) : 40, st;
	struct linx_value plan = linx_value_map(), rf = linx_value_map();
	struct linx_value tmpfs = linx_value_list(), t = linx_value_map();
	struct linx_agent *a;
	struct linx_error err;
	double *wall[COLUMNS], *cpu[COLUMNS];
	char **exec_env;
	bool on[COLUMNS];

	if (argc != 4 || runs < 1) {
		fprintf(stderr, "usage: bench-rootfs LINX BUSYBOX_ROOT "
				"LINX_AGENT\n");
		return 2;
	}
	if (!mkdtemp(root))
		return 1;
	snprintf(cmd, sizeof(cmd), "%s %s", argv[2], root);
	st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("SKIP: no busybox root (busybox-static)\n");
		return 77;
	}
	snprintf(agent_env, sizeof(agent_env), "%s=%s", LINX_AGENT_ENV,
		 argv[3]);
	exec_env = env_plus(agent_env);
	char *bwrap[] = { "/usr/bin/bwrap", "--unshare-pid", "--bind", root,
			  "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs",
			  "/tmp", "/bin/true", NULL };
	char *unshare[] = { "/usr/bin/unshare", "--mount", "--pid", "--fork",
			    "--root", root, "--mount-proc", "/bin/true", NULL };
	char *linx[] = { argv[1], "spawn", "--ns", "mount,pid", "--rootfs",
			 root, "--mount-proc", "--tmpfs", "/tmp", "--",
			 "/bin/true", NULL };
	char *version[] = { argv[1], "--version", NULL };

	linx_map_put_cstring(&rf, "path", root);
	linx_map_put_bool(&rf, "proc", true);
	linx_map_put_bool(&rf, "dev", true);
	linx_map_put_cstring(&t, "target", "/tmp");
	linx_list_push(&tmpfs, &t);
	linx_map_put(&rf, "tmpfs", &tmpfs);
	linx_map_put(&plan, "rootfs", &rf);
	if (linx_agent_start(&a, NULL, &err) < 0) {
		fprintf(stderr, "agent: %s\n", err.message);
		return 1;
	}
	for (int k = 0; k < COLUMNS; k++) {
		on[k] = true;
		wall[k] = calloc((size_t)runs, sizeof(double));
		cpu[k] = calloc((size_t)runs, sizeof(double));
	}
	on[BWRAP] = have(bwrap[0]);
	on[UNSHARE] = have(unshare[0]);
	for (int i = 0; i < runs; i++) {
		for (int k = 0; k < COLUMNS; k++) {
			struct sample x;

			if (!on[k])
				continue;
			x = k == BWRAP	    ? run(bwrap, environ, false)
			    : k == UNSHARE  ? run(unshare, environ, false)
			    : k == CLI	    ? run(linx, environ, false)
			    : k == CLI_EXEC ? run(linx, exec_env, false)
			    : k == LIB	    ? run_lib(a, &plan)
					    : run(version, environ, true);
			if (x.wall < 0) {
				fprintf(stderr, "%s failed; dropped\n",
					names[k]);
				on[k] = false;
			}
			wall[k][i] = x.wall;
			cpu[k][i] = x.cpu;
		}
	}
	report(runs, on, wall, cpu);
	linx_value_clear(&plan);
	linx_agent_free(a);
	for (int k = 0; k < COLUMNS; k++) {
		free(wall[k]);
		free(cpu[k]);
	}
	free(exec_env);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : 1;
}
