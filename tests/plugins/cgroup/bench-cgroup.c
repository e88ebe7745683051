/* SPDX-License-Identifier: MIT */
/*
 * What the cgroup plugin's checks and waits cost, each measured against a
 * reference doing the same job the plain way, side by side:
 *
 *   create+destroy  linx (text check, O_PATH open, fstatfs, mkdirat/
 *                   unlinkat)           vs  mkdir(2) + rmdir(2)
 *   stats           linx_cgroup_stats() vs  fopen/fscanf of the same
 *                                           four files
 *   freeze+thaw     linx (poll(2) on cgroup.events)
 *                                       vs  write, then re-read
 *                                           cgroup.events every 1 ms
 *
 * Each figure is the median over RUNS runs of ITER operations, in
 * microseconds per operation.  Needs root and cgroup2; runs in a private
 * mount namespace on a cgroup2 mount of its own and removes its cgroups.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linx/cgroup.h>

#define RUNS 7

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void die(const char *what)
{
	fprintf(stderr, "bench-cgroup: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char mnt[] = "/tmp/linx-cg-bench-XXXXXX";
static char cg[256], scratch[256];

/* ---- create + destroy ------------------------------------------------- */

static double run_create_linx(int iter)
{
	double t = now_us();

	for (int i = 0; i < iter; i++)
		if (linx_cgroup_create(scratch, NULL) < 0 ||
		    linx_cgroup_destroy(scratch, NULL) < 0)
			die("linx create/destroy");
	return (now_us() - t) / iter;
}

static double run_create_ref(int iter)
{
	double t = now_us();

	for (int i = 0; i < iter; i++)
		if (mkdir(scratch, 0755) < 0 || rmdir(scratch) < 0)
			die("mkdir/rmdir");
	return (now_us() - t) / iter;
}

/* ---- stats ------------------------------------------------------------ */

static double run_stats_linx(int iter)
{
	struct linx_cgroup_stats s;
	double t = now_us();

	for (int i = 0; i < iter; i++)
		if (linx_cgroup_stats(cg, &s, NULL) < 0)
			die("linx stats");
	return (now_us() - t) / iter;
}

static void ref_read_one(const char *file, unsigned long long *v)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", cg, file);
	f = fopen(p, "re");
	if (!f)
		return;
	if (fscanf(f, "%llu", v) != 1)
		*v = 0;
	fclose(f);
}

static double run_stats_ref(int iter)
{
	double t = now_us();
	char p[512], key[64];
	unsigned long long v, sink = 0;

	snprintf(p, sizeof(p), "%s/cpu.stat", cg);
	for (int i = 0; i < iter; i++) {
		FILE *f = fopen(p, "re");

		if (!f)
			die("fopen cpu.stat");
		while (fscanf(f, "%63s %llu", key, &v) == 2)
			sink += v;
		fclose(f);
		ref_read_one("memory.current", &v);
		ref_read_one("memory.peak", &v);
		ref_read_one("pids.current", &v);
	}
	(void)sink;
	return (now_us() - t) / iter;
}

/* ---- freeze + thaw ------------------------------------------------------ */

static double run_freeze_linx(int iter)
{
	double t = now_us();

	for (int i = 0; i < iter; i++)
		if (linx_cgroup_freeze(cg, 5000, NULL) < 0 ||
		    linx_cgroup_thaw(cg, 5000, NULL) < 0)
			die("linx freeze/thaw");
	return (now_us() - t) / iter;
}

static void ref_set(const char *value, const char *want)
{
	char p[512], buf[256];
	int fd;

	snprintf(p, sizeof(p), "%s/cgroup.freeze", cg);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, 1) != 1)
		die("write cgroup.freeze");
	close(fd);
	snprintf(p, sizeof(p), "%s/cgroup.events", cg);
	for (;;) {
		ssize_t n;

		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open cgroup.events");
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		if (strstr(buf, want))
			return;
		usleep(1000);
	}
}

static double run_freeze_ref(int iter)
{
	double t = now_us();

	for (int i = 0; i < iter; i++) {
		ref_set("1", "frozen 1");
		ref_set("0", "frozen 0");
	}
	return (now_us() - t) / iter;
}

static void compare(const char *what, int iter, double (*linx)(int),
		    double (*ref)(int))
{
	double a[RUNS], b[RUNS];

	for (int r = 0; r < RUNS; r++) {
		a[r] = linx(iter);
		b[r] = ref(iter);
	}
	printf("%-16s linx %9.1f us/op   reference %9.1f us/op   ratio %.2f\n",
	       what, median(a, RUNS), median(b, RUNS),
	       median(a, RUNS) / median(b, RUNS));
}

int main(void)
{
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root\n");
		return 77;
	}
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    !mkdtemp(mnt))
		die("private mount namespace");
	if (mount("cgroup2", mnt, "cgroup2", 0, NULL) < 0) {
		rmdir(mnt);
		fprintf(stderr, "SKIP: cannot mount cgroup2\n");
		return 77;
	}
	snprintf(cg, sizeof(cg), "%s/linx-bench-%d", mnt, (int)getpid());
	snprintf(scratch, sizeof(scratch), "%s/linx-bench-%d-scratch", mnt,
		 (int)getpid());
	if (linx_cgroup_create(cg, NULL) < 0)
		die("create");
	/* one sleeping process, so freezing has a task to stop */
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	if (pid < 0 || linx_cgroup_add_process(cg, pid, NULL) < 0)
		die("add_process");

	printf("cgroup plugin, median of %d runs\n", RUNS);
	compare("create+destroy", 1000, run_create_linx, run_create_ref);
	compare("stats", 2000, run_stats_linx, run_stats_ref);
	compare("freeze+thaw", 300, run_freeze_linx, run_freeze_ref);

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	linx_cgroup_destroy(cg, NULL);
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	return 0;
}
