/* SPDX-License-Identifier: MIT */
/*
 * Bulk input from the shell (issue 9, item 11): adding 100k routes, in a
 * fresh network namespace, side by side in the same run:
 *
 *   C API         linx_rtnl_batch_route() x N + linx_rtnl_batch_run()
 *   linx batch    `linx batch rtnl < ops.jsonl` (one op per line)
 *   linx call     `linx call rtnl.batch --json - < ops.json` (one document)
 *   ip -batch     `ip -batch routes.txt`
 *
 * The shell contenders include starting the process, loading the plugin
 * and reading the file, as a user would pay them.  The routes are removed
 * (untimed, through the C API) after each contender, and the contenders
 * take turns going first.  Medians over RUNS runs; the ratios against the
 * C API are printed both as the ratio of medians and as the median of the
 * per-run ratios (each run's contenders measured back to back: the
 * steadier figure on a shared machine).  Target: linx batch within 1.5x
 * of the C API.
 *
 * The CPU time each contender used (user + system: the C API's own, a
 * shell contender's children's) is printed too, with its ratio: on a
 * machine shared with other work it moves much less than the wall clock,
 * which also counts the time spent waiting for a CPU.
 *
 * Usage: bench-bulk LINX PLUGIN_DIR [routes] [runs]
 *        (root; defaults 100000 and 5)
 */
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <linx/rtnl.h>

#include "bench-util.h"

#define TABLE 100
#define MAX_RUNS 16

enum { C_API, BATCH, CALL, IPBATCH, N_CONTENDERS };
static const char *const names[N_CONTENDERS] = {
	"C API", "linx batch", "linx call --json -", "ip -batch",
};

static unsigned n_routes = 100000;
static int runs = 5;

static double tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

/* CPU time used so far by this process or its children: user + system,
 * and system alone in *sys */
static double cpu_ms(int who, double *sys)
{
	struct rusage ru;

	getrusage(who, &ru);
	*sys = tv_ms(ru.ru_stime);
	return tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
}

/* 10.(i/65536).(i/256).(i%256)/32 */
static void route_dst(unsigned i, uint8_t out[4])
{
	out[0] = 10;
	out[1] = (uint8_t)(i / 65536);
	out[2] = (uint8_t)(i / 256);
	out[3] = (uint8_t)i;
}

static double c_api(struct linx_rtnl *s, unsigned op)
{
	struct linx_rtnl_batch *b;
	struct linx_error err;
	double t = bench_now_ms();

	if (linx_rtnl_batch_new(s, &b, &err) < 0)
		bench_die("batch", &err);
	for (unsigned i = 0; i < n_routes; i++) {
		struct linx_rtnl_route_spec r = LINX_RTNL_ROUTE_SPEC_INIT;

		r.dst.family = AF_INET;
		route_dst(i, r.dst.addr);
		r.dst_len = 32;
		r.dev = "b0";
		r.table = TABLE;
		if (linx_rtnl_batch_route(b, op, &r, &err) < 0)
			bench_die("batch_route", &err);
	}
	if (linx_rtnl_batch_run(b, &err) < 0)
		bench_die("batch_run", &err);
	linx_rtnl_batch_free(b);
	return bench_now_ms() - t;
}

/* The same routes in the three input forms. */
static void write_inputs(const char *jsonl, const char *json, const char *ip)
{
	FILE *fl = fopen(jsonl, "we"), *fj = fopen(json, "we");
	FILE *fi = fopen(ip, "we");

	if (!fl || !fj || !fi) {
		perror("bench-bulk: writing inputs");
		exit(1);
	}
	fputs("{\"ops\": [", fj);
	for (unsigned i = 0; i < n_routes; i++) {
		uint8_t d[4];
		char op[160];

		route_dst(i, d);
		snprintf(op, sizeof(op),
			 "{\"op\": \"route.add\", \"dst\": \"%u.%u.%u.%u/32\", "
			 "\"dev\": \"b0\", \"table\": %d}",
			 d[0], d[1], d[2], d[3], TABLE);
		fprintf(fl, "%s\n", op);
		fprintf(fj, "%s%s", i ? ", " : "", op);
		fprintf(fi, "route add %u.%u.%u.%u/32 dev b0 table %d\n", d[0],
			d[1], d[2], d[3], TABLE);
	}
	fputs("]}\n", fj);
	if (fclose(fl) || fclose(fj) || fclose(fi)) {
		perror("bench-bulk: writing inputs");
		exit(1);
	}
}

static double median(const double *v, int n)
{
	double s[MAX_RUNS];

	memcpy(s, v, sizeof(*v) * (size_t)n);
	qsort(s, (size_t)n, sizeof(*s), bench_cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bench-bulk-XXXXXX", jsonl[64], json[64], ip[64];
	char cmd[N_CONTENDERS][1024];
	double t[N_CONTENDERS][MAX_RUNS], q[N_CONTENDERS][MAX_RUNS];
	double cpu[N_CONTENDERS][MAX_RUNS], sys[N_CONTENDERS][MAX_RUNS];
	struct linx_rtnl *s;
	struct linx_error err;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-bulk LINX PLUGIN_DIR [routes] "
				"[runs]\n");
		return 2;
	}
	if (argc > 3)
		n_routes = (unsigned)strtoul(argv[3], NULL, 10);
	if (argc > 4)
		runs = atoi(argv[4]);
	if (n_routes == 0 || n_routes > 1000000 || runs < 1 ||
	    runs > MAX_RUNS) {
		fprintf(stderr, "bench-bulk: routes 1..1000000, runs 1..%d\n",
			MAX_RUNS);
		return 2;
	}
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "bench-bulk: needs root (a fresh network "
				"namespace)\n");
		return 77;
	}
	if (system("ip link set lo up && ip link add b0 type veth peer name "
		   "b1 && ip link set b0 up && ip link set b1 up") != 0) {
		fprintf(stderr, "bench-bulk: cannot create a veth pair\n");
		return 77;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(jsonl, sizeof(jsonl), "%s/ops.jsonl", dir);
	snprintf(json, sizeof(json), "%s/ops.json", dir);
	snprintf(ip, sizeof(ip), "%s/routes.txt", dir);
	write_inputs(jsonl, json, ip);
	snprintf(cmd[BATCH], sizeof(cmd[BATCH]),
		 "LINX_PLUGIN_PATH='%s' '%s' batch rtnl < %s > /dev/null",
		 argv[2], argv[1], jsonl);
	snprintf(cmd[CALL], sizeof(cmd[CALL]),
		 "LINX_PLUGIN_PATH='%s' '%s' call rtnl.batch --json - < %s "
		 "> /dev/null",
		 argv[2], argv[1], json);
	snprintf(cmd[IPBATCH], sizeof(cmd[IPBATCH]), "ip -batch %s", ip);
	if (linx_rtnl_open(NULL, &s, &err) < 0)
		bench_die("open", &err);

	for (int r = 0; r < runs; r++) {
		for (int k = 0; k < N_CONTENDERS; k++) {
			int c = (r + k) % N_CONTENDERS;
			int who = c == C_API ? RUSAGE_SELF : RUSAGE_CHILDREN;
			double s0, s1, c0 = cpu_ms(who, &s0);

			t[c][r] = c == C_API ? c_api(s, LINX_RTNL_OP_ROUTE_ADD)
					     : bench_sh_timed(cmd[c]);
			cpu[c][r] = cpu_ms(who, &s1) - c0;
			sys[c][r] = s1 - s0;
			/* every contender must have added every route:
			 * deleting them all checks it */
			c_api(s, LINX_RTNL_OP_ROUTE_DELETE);
			/* freeing 100k routes goes through RCU */
			usleep(300 * 1000);
		}
		for (int c = 0; c < N_CONTENDERS; c++)
			q[c][r] = t[c][r] / t[C_API][r];
		fprintf(stderr, "run %d/%d done\n", r + 1, runs);
	}

	printf("bulk benchmark: add %u routes, %d runs; medians in ms, "
	       "ratios to the C API\n",
	       n_routes, runs);
	for (int c = 0; c < N_CONTENDERS; c++)
		printf("  %-20s %8.1f ms  %5.2fx (per-run median %.2fx)%s\n",
		       names[c], median(t[c], runs),
		       median(t[c], runs) / median(t[C_API], runs),
		       median(q[c], runs),
		       c == BATCH ? "  target <= 1.5" : "");
	printf("CPU time (user + system), medians in ms, ratios to the C "
	       "API\n");
	for (int c = 0; c < N_CONTENDERS; c++)
		printf("  %-20s %8.1f ms  %5.2fx (system %.1f ms)\n", names[c],
		       median(cpu[c], runs),
		       median(cpu[c], runs) / median(cpu[C_API], runs),
		       median(sys[c], runs));
	linx_rtnl_close(s);
	unlink(jsonl);
	unlink(json);
	unlink(ip);
	rmdir(dir);
	return 0;
}
