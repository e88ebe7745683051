/* SPDX-License-Identifier: MIT */
/*
 * What one `linx` invocation costs, next to what any process costs.
 *
 * Each case spawns the program RUNS times (stdout and stderr to
 * /dev/null) and reports two medians, each with its ratio to the
 * reference, /bin/true: wall-clock time, which on a shared machine is
 * mostly waiting to be scheduled, and the CPU time (user + system, from
 * wait4(2)) the process itself used, which is the CLI's own price:
 * loading liblinx and jansson, finding and dlopen()ing plugins,
 * converting arguments and result.
 *
 *   bench-cli LINX FIXTURE_DIR [RUNS]
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

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

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Median wall and CPU microseconds to run argv to completion. */
static int median_run(char *const argv[], int runs, double *ret_wall,
		      double *ret_cpu)
{
	double *wall = calloc((size_t)runs, sizeof(*wall));
	double *cpu = calloc((size_t)runs, sizeof(*cpu));
	posix_spawn_file_actions_t fa;
	int r = 0;

	if (!wall || !cpu) {
		free(wall);
		free(cpu);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (int i = 0; i < runs && r == 0; i++) {
		double start = now_us();
		struct rusage ru;
		int status;
		pid_t pid;

		if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
		    wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-cli: %s failed\n", argv[0]);
			r = -1;
			break;
		}
		wall[i] = now_us() - start;
		cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
			 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	}
	posix_spawn_file_actions_destroy(&fa);
	if (r == 0) {
		*ret_wall = median(wall, runs);
		*ret_cpu = median(cpu, runs);
	}
	free(wall);
	free(cpu);
	return r;
}

int main(int argc, char **argv)
{
	int runs = argc > 3 ? atoi(argv[3]) : 51;
	char *linx = argc > 1 ? argv[1] : NULL;
	struct {
		const char *label;
		char *argv[8];
	} cases[] = {
		{ "reference: /bin/true", { "/bin/true", NULL } },
		{ "linx --version", { linx, "--version", NULL } },
		{ "linx call example.add a=1 b=2",
		  { linx, "call", "example.add", "a=1", "b=2", NULL } },
		{ "linx call example.greet --json ...",
		  { linx, "call", "example.greet", "--json",
		    "{\"name\":\"x\",\"times\":100}", NULL } },
		{ "linx verbs example", { linx, "verbs", "example", NULL } },
		{ "linx plugins (7 fixture files)", { linx, "plugins", NULL } },
	};
	double ref_wall = 0, ref_cpu = 0;

	if (argc < 3 || runs < 1) {
		fprintf(stderr, "usage: bench-cli LINX FIXTURE_DIR [RUNS]\n");
		return 2;
	}
	setenv("LINX_PLUGIN_PATH", argv[2], 1);
	printf("%-36s %9s %6s %9s %6s  (medians of %d runs)\n", "case",
	       "wall us", "ratio", "cpu us", "ratio", runs);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double wall, cpu;

		if (median_run(cases[i].argv, runs, &wall, &cpu) < 0)
			return 1;
		if (i == 0) {
			ref_wall = wall;
			/* rusage ticks can round a tiny process down to 0 */
			ref_cpu = cpu > 0 ? cpu : 1;
		}
		printf("%-36s %9.0f %5.1fx %9.0f %5.1fx\n", cases[i].label,
		       wall, wall / ref_wall, cpu, cpu / ref_cpu);
	}
	return 0;
}
