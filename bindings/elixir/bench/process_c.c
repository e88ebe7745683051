/* SPDX-License-Identifier: MIT */
/*
 * The C side of the Elixir process benchmark (bench/process.exs): spawn to
 * exit of /bin/true through the C API, one agent for every spawn, as
 * Linx.Process uses one agent for every session.
 *
 *   process-c AGENT ITERATIONS
 *   process-c AGENT -
 *
 * Starts AGENT, warms it up, then times ITERATIONS spawns, each from
 * linx_process_spawn (auto_proceed) to linx_process_wait's exit status,
 * and prints one line per spawn: the time in microseconds.  The session is
 * freed outside the timed part, as the Elixir side stops its session
 * outside its own.
 *
 * With "-" it spawns once per line read from stdin, answering each with
 * the time, so that the caller can pair every C spawn with an Elixir one
 * taken moments apart; at end of input, or a line "q", it prints "cpu N":
 * this process's user + system time per spawn, in microseconds (warm-up
 * excluded), and exits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <linx/process.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int one_spawn(struct linx_agent *a, double *us, struct linx_error *err)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_spawn_options so = { .argv = argv, .auto_proceed = true };
	struct linx_process_result res;
	struct linx_process *p = NULL;
	double t0 = now_us();
	int r = linx_process_spawn(a, &so, &p, err);

	if (r >= 0)
		r = linx_process_wait(p, 30000, &res, err);
	*us = now_us() - t0;
	if (r >= 0 && (res.stage != LINX_PROCESS_EXITED || res.value != 0)) {
		linx_error_set(err, EPROTO, "bench", "/bin/true did not exit 0");
		r = -1;
	}
	linx_process_free(p);
	return r;
}

static double cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* One spawn per line of stdin, its time back on stdout at once. */
static int paired(struct linx_agent *a, struct linx_error *err)
{
	char line[64];
	double c0 = cpu_us(), us;
	long n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin) && line[0] != 'q') {
		if (one_spawn(a, &us, err) < 0)
			return -1;
		printf("%.1f\n", us);
		n++;
	}
	printf("cpu %.1f\n", n ? (cpu_us() - c0) / (double)n : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	struct linx_agent_options ao = { 0 };
	struct linx_agent *a = NULL;
	struct linx_error err;
	bool pairs = argc > 2 && strcmp(argv[2], "-") == 0;
	long n = argc > 2 ? atol(argv[2]) : 0;
	double us;

	if (argc != 3 || (n <= 0 && !pairs)) {
		fprintf(stderr, "usage: %s AGENT ITERATIONS|-\n", argv[0]);
		return 2;
	}
	ao.path = argv[1];
	if (linx_agent_start(&a, &ao, &err) < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[1], err.op, err.message);
		return 1;
	}
	for (int i = 0; i < 20; i++)
		if (one_spawn(a, &us, &err) < 0)
			goto fail;
	if (pairs) {
		if (paired(a, &err) < 0)
			goto fail;
		linx_agent_free(a);
		return 0;
	}
	for (long i = 0; i < n; i++) {
		if (one_spawn(a, &us, &err) < 0)
			goto fail;
		printf("%.1f\n", us);
	}
	linx_agent_free(a);
	return 0;
fail:
	fprintf(stderr, "spawn: %s: %s\n", err.op, err.message);
	linx_agent_free(a);
	return 1;
}
