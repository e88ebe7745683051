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
 *             --tmpfs /tmp -- /bin/true (starts its own agent each time)
 *   linx lib  the same plan through one running agent: spawn, setup,
 *             proceed, wait - what a runtime built on the library pays
 *
 * Target: at most the cost of the fastest reference (bwrap or unshare).
 *
 *   bench-rootfs LINX BUSYBOX_ROOT_SCRIPT     LINX_BENCH_RUNS=N (default 40)
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linx/plan.h>
#include <linx/process.h>

#include "bench-util.h"

extern char **environ;

/* Run argv to completion; microseconds, or -1 if it failed. */
static double run(char *const *argv)
{
	double t0 = bench_now_us();
	pid_t pid;
	int st;

	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return bench_now_us() - t0;
}

static double run_lib(struct linx_agent *a, const struct linx_value *plan)
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
	return ok ? bench_now_us() - t0 : -1;
}

static bool have(const char *path)
{
	return access(path, X_OK) == 0;
}

int main(int argc, char **argv)
{
	char root[] = "/tmp/linx-bench-root-XXXXXX", cmd[512];
	const char *env = getenv("LINX_BENCH_RUNS");
	int runs = env ? atoi(env) : 40, st;
	struct linx_value plan = linx_value_map(), rf = linx_value_map();
	struct linx_value tmpfs = linx_value_list(), t = linx_value_map();
	struct linx_agent *a;
	struct linx_error err;
	double *v[4], med[4];
	const char *names[4] = { "bwrap", "unshare", "linx cli", "linx lib" };
	bool on[4];

	if (argc != 3 || runs < 1) {
		fprintf(stderr, "usage: bench-rootfs LINX BUSYBOX_ROOT\n");
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
	char *bwrap[] = { "/usr/bin/bwrap", "--unshare-pid", "--bind", root,
			  "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs",
			  "/tmp", "/bin/true", NULL };
	char *unshare[] = { "/usr/bin/unshare", "--mount", "--pid", "--fork",
			    "--root", root, "--mount-proc", "/bin/true", NULL };
	char *linx[] = { argv[1], "spawn", "--ns", "mount,pid", "--rootfs",
			 root, "--mount-proc", "--tmpfs", "/tmp", "--",
			 "/bin/true", NULL };

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
	on[0] = have(bwrap[0]);
	on[1] = have(unshare[0]);
	on[2] = on[3] = true;
	for (int k = 0; k < 4; k++)
		v[k] = calloc((size_t)runs, sizeof(double));
	for (int i = 0; i < runs; i++) {
		for (int k = 0; k < 4; k++) {
			if (!on[k])
				continue;
			v[k][i] = k == 0   ? run(bwrap)
				  : k == 1 ? run(unshare)
				  : k == 2 ? run(linx)
					   : run_lib(a, &plan);
			if (v[k][i] < 0) {
				fprintf(stderr, "%s failed; dropped\n",
					names[k]);
				on[k] = false;
			}
		}
	}
	printf("rootfs: busybox root + /proc + /dev + tmpfs, %d runs, "
	       "medians\n", runs);
	for (int k = 0; k < 4; k++) {
		med[k] = on[k] ? bench_median(v[k], runs) : -1;
		if (on[k])
			printf("  %-9s %8.0f us\n", names[k], med[k]);
		else
			printf("  %-9s (not run: missing or failed)\n",
			       names[k]);
	}
	{
		double best = -1;

		for (int k = 0; k < 2; k++)
			if (on[k] && (best < 0 || med[k] < best))
				best = med[k];
		if (best > 0)
			printf("  ratio to the fastest reference: linx cli "
			       "%.2fx, linx lib %.2fx (target <= 1.0x)\n",
			       med[2] / best, med[3] / best);
	}
	linx_value_clear(&plan);
	linx_agent_free(a);
	for (int k = 0; k < 4; k++)
		free(v[k]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : 1;
}
