/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark here needs: clocks, medians, and failing loudly
 * (a benchmark that cannot set itself up prints why and exits 1).
 * Header-only; messages carry the program's name.
 */
#ifndef LINX_BENCH_UTIL_H
#define LINX_BENCH_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linx/error.h>

static inline double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline double bench_now_us(void)
{
	return bench_now_ms() * 1e3;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n) (sorted in place; the mean of the middle two
 * for an even n). */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline void bench_die(const char *what, const struct linx_error *err)
{
	char buf[1024];

	linx_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		buf);
	exit(1);
}

static inline void bench_sh(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "%s: command failed: %s\n",
			program_invocation_short_name, cmd);
		exit(1);
	}
}

/* Run a shell command that must succeed; its wall time in ms. */
static inline double bench_sh_timed(const char *cmd)
{
	double t = bench_now_ms();

	bench_sh(cmd);
	return bench_now_ms() - t;
}

#endif
