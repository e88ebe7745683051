/* SPDX-License-Identifier: MIT */
/*
 * rtnl reconcile benchmark (issue 14, item 7), in a fresh network
 * namespace with a veth pair:
 *
 *   desired: ROUTES host routes (table 100, via 10.0.0.1) and ADDRS
 *   addresses on d0 (10.0.0.2/24 and /32s);
 *
 *   per run, a 1% drift made with `ip -batch` (routes deleted, routes
 *   repointed, addresses deleted), then
 *     one linx_rtnl_reconcile() pass that heals it, against
 *     replacing everything with `ip -batch` (address replace + route
 *     replace for every desired item), back to back;
 *   medians over RUNS runs and their ratio (target: the pass >= 10x
 *   faster);
 *
 *   the loop: `linx reconcile rtnl --watch` with a one-minute timer, so
 *   only the monitor wakes it; from the moment an `ip route del` has
 *   returned to the report line saying it converged again, median over
 *   REACTIONS changes.
 *
 * Usage: bench-reconcile LINX PLUGIN_DIR [routes] [addrs] [runs]
 *        (root; defaults 10000, 1000, 7)
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linx/rtnl-reconcile.h>

#include "bench-util.h"

#define TABLE 100
#define REACTIONS 9

static unsigned n_routes = 10000, n_addrs = 1000;
static int runs = 7;
static char dir[64];

/* Route i: 10.(128 + i/65536).(i/256).(i%256)/32; address i (i >= 1):
 * 10.100.(i/256).(i%256)/32; address 0 is 10.0.0.2/24. */
static void route_dst(unsigned i, char *buf, size_t cap)
{
	snprintf(buf, cap, "10.%u.%u.%u/32", 128 + i / 65536, (i / 256) % 256,
		 i % 256);
}

static void addr_text(unsigned i, char *buf, size_t cap)
{
	if (i == 0)
		snprintf(buf, cap, "10.0.0.2/24");
	else
		snprintf(buf, cap, "10.100.%u.%u/32", i / 256, i % 256);
}

static struct linx_value desired_value(void)
{
	struct linx_value d = linx_value_map(), al = linx_value_list(),
			  rl = linx_value_list();
	char buf[64];

	linx_value_reserve(&al, n_addrs);
	linx_value_reserve(&rl, n_routes);
	for (unsigned i = 0; i < n_addrs; i++) {
		struct linx_value a = linx_value_map();

		addr_text(i, buf, sizeof(buf));
		linx_map_put_cstring(&a, "dev", "d0");
		linx_map_put_cstring(&a, "address", buf);
		linx_list_push(&al, &a);
	}
	for (unsigned i = 0; i < n_routes; i++) {
		struct linx_value r = linx_value_map();

		route_dst(i, buf, sizeof(buf));
		linx_map_put_cstring(&r, "dst", buf);
		linx_map_put_cstring(&r, "gateway", "10.0.0.1");
		linx_map_put_uint(&r, "table", TABLE);
		linx_list_push(&rl, &r);
	}
	linx_map_put(&d, "addresses", &al);
	linx_map_put(&d, "routes", &rl);
	if (linx_value_status(&d) < 0) {
		fprintf(stderr, "bench-reconcile: out of memory\n");
		exit(1);
	}
	return d;
}

/* The same desired state as JSON, for the CLI. */
static void write_desired_json(const char *path)
{
	FILE *f = fopen(path, "we");
	char buf[64];

	if (!f) {
		perror(path);
		exit(1);
	}
	fputs("{\"addresses\": [", f);
	for (unsigned i = 0; i < n_addrs; i++) {
		addr_text(i, buf, sizeof(buf));
		fprintf(f, "%s{\"dev\": \"d0\", \"address\": \"%s\"}",
			i ? "," : "", buf);
	}
	fputs("],\n \"routes\": [", f);
	for (unsigned i = 0; i < n_routes; i++) {
		route_dst(i, buf, sizeof(buf));
		fprintf(f,
			"%s{\"dst\": \"%s\", \"gateway\": \"10.0.0.1\", "
			"\"table\": %u}\n",
			i ? "," : "", buf, TABLE);
	}
	fputs("]}\n", f);
	fclose(f);
}

/* Replacing everything, the way a script without a diff would. */
static void write_replace_batch(const char *path)
{
	FILE *f = fopen(path, "we");
	char buf[64];

	if (!f) {
		perror(path);
		exit(1);
	}
	for (unsigned i = 0; i < n_addrs; i++) {
		addr_text(i, buf, sizeof(buf));
		fprintf(f, "address replace %s dev d0\n", buf);
	}
	for (unsigned i = 0; i < n_routes; i++) {
		route_dst(i, buf, sizeof(buf));
		fprintf(f, "route replace %s via 10.0.0.1 table %u proto 76\n",
			buf, TABLE);
	}
	fclose(f);
}

/* 1% drift, different items each run: a third of it routes deleted, a
 * third routes repointed, a third addresses deleted (at least one each). */
static unsigned write_drift(const char *path, int run)
{
	unsigned nr = n_routes / 100 / 2, na = n_addrs / 100, n = 0;
	FILE *f = fopen(path, "we");
	char buf[64];

	if (!f) {
		perror(path);
		exit(1);
	}
	nr = nr ? nr : 1;
	for (unsigned k = 0; k < nr; k++) {
		unsigned i = (k * 97 + (unsigned)run * 13) % n_routes;

		route_dst(i, buf, sizeof(buf));
		fprintf(f, "route del %s table %u\n", buf, TABLE);
		n++;
	}
	for (unsigned k = 0; k < nr; k++) {
		unsigned i = (k * 89 + 5000 + (unsigned)run * 17) % n_routes;

		route_dst(i, buf, sizeof(buf));
		fprintf(f, "route replace %s via 10.0.0.3 table %u proto 76\n",
			buf, TABLE);
		n++;
	}
	for (unsigned k = 0; k < (na ? na : 1); k++) {
		unsigned i = 1 + (k * 31 + (unsigned)run * 7) % (n_addrs - 1);

		addr_text(i, buf, sizeof(buf));
		fprintf(f, "address del %s dev d0\n", buf);
		n++;
	}
	fclose(f);
	return n;
}

static struct linx_value one_pass(struct linx_rtnl *s,
				  const struct linx_value *d,
				  const struct linx_value *last, double *ms,
				  uint32_t *ret_applied)
{
	struct linx_value rep;
	struct linx_error err;
	const struct linx_value *c;
	double t = bench_now_ms();

	if (linx_rtnl_reconcile(s, d, last, -1, &rep, &err) < 0)
		bench_die("reconcile", &err);
	*ms = bench_now_ms() - t;
	c = linx_map_get(&rep, "converged");
	if (!c || !c->b) {
		fprintf(stderr, "bench-reconcile: a pass did not converge\n");
		exit(1);
	}
	*ret_applied = linx_map_get(&rep, "applied")->len;
	return rep;
}

/* ---- the loop's reaction ------------------------------------------------------ */

/* One line of the loop's output, waiting at most `ms`; NULL on timeout. */
static char *read_line(int fd, int ms)
{
	static char buf[1 << 16];
	static size_t len;
	double deadline = bench_now_ms() + ms;

	for (;;) {
		char *nl = memchr(buf, '\n', len);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int left;

		if (nl) {
			size_t k = (size_t)(nl - buf) + 1;
			char *line = strndup(buf, k - 1);

			memmove(buf, buf + k, len - k);
			len -= k;
			return line;
		}
		left = (int)(deadline - bench_now_ms());
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return NULL;
		if (len == sizeof(buf))
			len = 0; /* an enormous line: not one we look at */
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n <= 0)
			return NULL;
		len += (size_t)n;
	}
}

static bool healed(const char *line)
{
	return strstr(line, "\"converged\":true") &&
	       !strstr(line, "\"applied\":[]");
}

static void reaction(const char *linx, const char *plugins,
		     const char *desired)
{
	double t[REACTIONS];
	char cmd[256], dst[64], *line;
	int out[2], got = 0;
	pid_t pid;

	if (pipe(out) < 0) {
		perror("pipe");
		exit(1);
	}
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		setenv("LINX_PLUGIN_PATH", plugins, 1);
		execl(linx, linx, "reconcile", "rtnl", desired, "--watch",
		      "--interval", "60000", "--debounce", "20", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	line = read_line(out[0], 60000);
	if (!line) {
		fprintf(stderr, "bench-reconcile: the loop printed nothing\n");
		exit(1);
	}
	free(line);
	for (int k = 0; k < REACTIONS; k++) {
		double t0;

		route_dst((unsigned)k * 1111 % n_routes, dst, sizeof(dst));
		snprintf(cmd, sizeof(cmd), "ip route del %s table %u", dst,
			 TABLE);
		bench_sh(cmd);
		t0 = bench_now_ms();
		while ((line = read_line(out[0], 10000))) {
			bool done = healed(line);

			free(line);
			if (done)
				break;
		}
		if (!line) {
			fprintf(stderr, "bench-reconcile: no heal in 10 s\n");
			break;
		}
		t[got++] = bench_now_ms() - t0;
		/* The pass's own changes wake the loop once more: let that
		 * no-op pass go by. */
		while ((line = read_line(out[0], 300)))
			free(line);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(out[0]);
	if (got) {
		double lo = t[0], hi = t[0];

		for (int k = 1; k < got; k++) {
			lo = t[k] < lo ? t[k] : lo;
			hi = t[k] > hi ? t[k] : hi;
		}
		printf("loop reaction (ip route del -> converged report, "
		       "debounce 20 ms, %u routes + %u addresses desired): "
		       "median %.1f ms (min %.1f, max %.1f, n=%d)\n",
		       n_routes, n_addrs, bench_median(t, got), lo, hi, got);
	}
}

int main(int argc, char **argv)
{
	char drift[96], replace[96], desired[96], cmd[256];
	double *pass_ms, *ip_ms, *noop_ms, *ratio;
	struct linx_value d, rep, last;
	struct linx_rtnl *s;
	struct linx_error err;
	uint32_t applied;
	double cold;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-reconcile LINX PLUGIN_DIR "
				"[routes] [addrs] [runs]\n");
		return 1;
	}
	if (argc > 3)
		n_routes = (unsigned)strtoul(argv[3], NULL, 0);
	if (argc > 4)
		n_addrs = (unsigned)strtoul(argv[4], NULL, 0);
	if (argc > 5)
		runs = atoi(argv[5]);
	if (n_routes < 100 || n_addrs < 2 || runs < 1) {
		fprintf(stderr, "bench-reconcile: at least 100 routes, 2 "
				"addresses, 1 run\n");
		return 1;
	}
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "bench-reconcile: needs root (a fresh netns)\n");
		return 77;
	}
	bench_sh("ip link set lo up && ip link add d0 type veth peer name d1 && "
	   "ip link set d0 up && ip link set d1 up");
	snprintf(dir, sizeof(dir), "/tmp/linx-bench-reconcile-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(drift, sizeof(drift), "%s/drift", dir);
	snprintf(replace, sizeof(replace), "%s/replace", dir);
	snprintf(desired, sizeof(desired), "%s/desired.json", dir);
	write_replace_batch(replace);
	write_desired_json(desired);

	if (linx_rtnl_open(NULL, &s, &err) < 0)
		bench_die("open", &err);
	d = desired_value();
	rep = one_pass(s, &d, NULL, &cold, &applied);
	printf("rtnl reconcile, %u routes + %u addresses, a fresh netns\n",
	       n_routes, n_addrs);
	printf("first pass (everything created, %u ops): %.1f ms\n", applied,
	       cold);
	linx_value_copy(&last, linx_map_get(&rep, "last_applied"));
	linx_value_clear(&rep);

	pass_ms = calloc((size_t)runs, sizeof(double));
	ip_ms = calloc((size_t)runs, sizeof(double));
	noop_ms = calloc((size_t)runs, sizeof(double));
	ratio = calloc((size_t)runs, sizeof(double));
	for (int run = 0; run < runs; run++) {
		unsigned n = write_drift(drift, run);
		double t;

		snprintf(cmd, sizeof(cmd), "ip -batch %s", drift);
		bench_sh(cmd);
		rep = one_pass(s, &d, &last, &pass_ms[run], &applied);
		if (applied != n) {
			fprintf(stderr, "bench-reconcile: drift of %u, healed "
					"with %u ops\n",
				n, applied);
			return 1;
		}
		linx_value_clear(&last);
		linx_value_copy(&last, linx_map_get(&rep, "last_applied"));
		linx_value_clear(&rep);
		rep = one_pass(s, &d, &last, &noop_ms[run], &applied);
		linx_value_clear(&rep);

		/* The same drift, healed by replacing everything. */
		bench_sh(cmd);
		snprintf(cmd, sizeof(cmd), "ip -batch %s", replace);
		t = bench_now_ms();
		bench_sh(cmd);
		ip_ms[run] = bench_now_ms() - t;
		ratio[run] = ip_ms[run] / pass_ms[run];
		rep = one_pass(s, &d, &last, &t, &applied);
		if (applied != 0) {
			fprintf(stderr, "bench-reconcile: ip -batch left %u "
					"ops to do\n",
				applied);
			return 1;
		}
		linx_value_clear(&rep);
	}
	{
		double p = bench_median(pass_ms, runs), i = bench_median(ip_ms, runs);
		double z = bench_median(noop_ms, runs), rr = bench_median(ratio, runs);

		printf("1%% drift (%u ops), medians over %d runs:\n",
		       write_drift(drift, 0), runs);
		printf("  reconcile pass           %8.1f ms\n", p);
		printf("  ip -batch replace-all    %8.1f ms  (%u lines)\n", i,
		       n_routes + n_addrs);
		printf("  converged pass (no-op)   %8.1f ms\n", z);
		printf("  ratio ip/pass: %.1fx of medians, %.1fx median of "
		       "per-run ratios (target >= 10x)\n",
		       i / p, rr);
	}
	linx_value_clear(&last);
	linx_value_clear(&d);
	linx_rtnl_close(s);

	reaction(argv[1], argv[2], desired);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	bench_sh(cmd);
	free(pass_ms);
	free(ip_ms);
	free(noop_ms);
	free(ratio);
	return 0;
}
