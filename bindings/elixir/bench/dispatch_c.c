/* SPDX-License-Identifier: MIT */
/*
 * The C side of the Elixir dispatch benchmark (bench/dispatch.exs): the
 * cost of calling a trivial verb from C, to set against the same call
 * through the NIF.  Linked with the same core objects as the NIF.
 *
 *   dispatch-c PLUGIN.so [ITERATIONS [RUNS]]
 *
 * Prints one line per measurement, "<name> <median ns per call>", where
 * the median is over RUNS runs of ITERATIONS calls:
 *   c_call       linx_call() with the argument map built once
 *   c_build_call the argument map built, called and freed every time (what
 *                the NIF does on each call, minus the term conversion)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linx/linx.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void build_args(struct linx_value *args)
{
	*args = linx_value_map();
	linx_map_put_int(args, "a", 1);
	linx_map_put_int(args, "b", 2);
	linx_map_put_int(args, "c", 3);
}

static int one_call(struct linx_registry *reg, const struct linx_value *args,
		    struct linx_error *err)
{
	struct linx_value res = linx_value_nil();
	int r = linx_call(reg, "example.add", args, &res, 0, err);

	if (r >= 0 && (res.type != LINX_INT || res.i != 6))
		r = -1;
	linx_value_clear(&res);
	return r;
}

int main(int argc, char **argv)
{
	long iterations = argc > 2 ? atol(argv[2]) : 1000000;
	long runs = argc > 3 ? atol(argv[3]) : 7;
	struct linx_registry *reg;
	struct linx_value args;
	struct linx_error err;
	double *t_call, *t_build;

	if (argc < 2 || iterations <= 0 || runs <= 0) {
		fprintf(stderr, "usage: %s PLUGIN.so [ITERATIONS [RUNS]]\n",
			argv[0]);
		return 2;
	}
	if (linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err) < 0 ||
	    linx_registry_load_file(reg, argv[1], &err) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], err.message);
		return 1;
	}
	t_call = calloc((size_t)runs, sizeof(double));
	t_build = calloc((size_t)runs, sizeof(double));
	if (!t_call || !t_build)
		return 1;
	build_args(&args);
	for (long i = 0; i < 1000; i++) /* warm up */
		one_call(reg, &args, &err);
	for (long run = 0; run < runs; run++) {
		double t0 = now_ns();

		for (long i = 0; i < iterations; i++)
			if (one_call(reg, &args, &err) < 0)
				return 1;
		t_call[run] = (now_ns() - t0) / (double)iterations;

		t0 = now_ns();
		for (long i = 0; i < iterations; i++) {
			struct linx_value a;

			build_args(&a);
			if (one_call(reg, &a, &err) < 0)
				return 1;
			linx_value_clear(&a);
		}
		t_build[run] = (now_ns() - t0) / (double)iterations;
	}
	qsort(t_call, (size_t)runs, sizeof(double), cmp_double);
	qsort(t_build, (size_t)runs, sizeof(double), cmp_double);
	printf("c_call %.1f\n", t_call[runs / 2]);
	printf("c_build_call %.1f\n", t_build[runs / 2]);
	linx_value_clear(&args);
	linx_registry_free(reg);
	free(t_call);
	free(t_build);
	return 0;
}
