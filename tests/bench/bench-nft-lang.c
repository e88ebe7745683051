/* SPDX-License-Identifier: MIT */
/*
 * The nftables language against nft(8), side by side in one run, in a
 * fresh network namespace (issue 12, item 7):
 *
 *   parse         linx_nft_parse_file() against `nft -c -f`, for a
 *                 10,000-rule file and a 100,000-element set file;
 *   parse+push    linx_nft_parse_file() + linx_nft_push() against
 *                 `nft -f`, same files;
 *   format        linx_nft_pull() + linx_nft_format() of the loaded
 *                 10,000 rules against `nft list ruleset`, with and
 *                 without the inline sets (2,000 anonymous sets, each a
 *                 dump of its own for both, which the kernel answers in
 *                 time linear in the table's sets: see
 *                 docs/nft/performance.md).
 *
 * nft runs as a process (what a user runs); Linx in-process, and also as
 * `linx nft load` when BENCH_LINX names the CLI.  Medians of BENCH_RUNS
 * runs (default 5).  Targets: parse+push at least 2x faster than nft -f,
 * format at least 2x faster than nft list ruleset.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linx/nft.h>

#include "bench-util.h"

#define N_RULES 10000
#define N_CHAINS 100
#define N_ELEMS 100000

static int runs = 5;
static char rules_path[] = "/tmp/linx-bench-rulesXXXXXX";
static char set_path[] = "/tmp/linx-bench-setXXXXXX";
static char plain_path[] = "/tmp/linx-bench-plainXXXXXX";

/* `sets`: every fifth rule matches an inline set (an anonymous set in the
 * kernel, which costs the kernel far more than a rule). */
static void gen_rules(char *path, bool sets)
{
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!f) {
		perror("bench-nft-lang: rules file");
		exit(1);
	}
	fprintf(f, "table inet bench {\n");
	for (int c = 0; c < N_CHAINS; c++) {
		fprintf(f, "  chain c%d {\n", c);
		if (c == 0)
			fprintf(f, "    type filter hook input priority 0\n"
				   "    policy accept\n\n");
		for (int r = 0; r < N_RULES / N_CHAINS; r++) {
			int i = c * (N_RULES / N_CHAINS) + r;
			switch (i % 5) {
			case 0:
				fprintf(f, "    tcp dport %d counter accept\n",
					1 + i % 60000);
				break;
			case 1:
				fprintf(f, "    ip saddr 10.%d.%d.0/24 drop\n",
					(i / 256) % 256, i % 256);
				break;
			case 2:
				fprintf(f, "    iifname \"veth%d\" ct state "
					   "established,related accept\n", i);
				break;
			case 3:
				if (sets)
					fprintf(f, "    udp dport { %d, %d } meta "
						   "mark set 0x%x\n",
						i % 60000 + 1, i % 60000 + 2, i);
				else
					fprintf(f, "    udp dport %d meta mark set "
						   "0x%x\n", i % 60000 + 1, i);
				break;
			default:
				fprintf(f, "    ip6 saddr 2001:db8::%x tcp dport "
					   "1000-2000 log prefix \"r%d \" drop\n",
					i, i);
			}
		}
		fprintf(f, "  }\n");
	}
	fprintf(f, "}\n");
	fclose(f);
}

static void gen_files(void)
{
	gen_rules(rules_path, true);
	gen_rules(plain_path, false);
	int fd = mkstemp(set_path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		perror("bench-nft-lang: set file");
		exit(1);
	}
	fprintf(f, "table inet bset {\n  set s {\n    type ipv4_addr\n"
		   "    elements = {\n");
	for (int i = 0; i < N_ELEMS; i++)
		fprintf(f, "      10.%d.%d.%d%s\n", i >> 16, (i >> 8) & 255,
			i & 255, i + 1 < N_ELEMS ? "," : "");
	fprintf(f, "    }\n  }\n}\n");
	fclose(f);
}

static void sh(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "bench-nft-lang: failed: %s\n", cmd);
		exit(1);
	}
}

static double time_sh(const char *cmd)
{
	double t = bench_now_ms();

	sh(cmd);
	return bench_now_ms() - t;
}

static double linx_parse(const char *path, struct linx_value *rs)
{
	struct linx_nft_parse_error pe;
	struct linx_error err;
	double t = bench_now_ms();

	if (linx_nft_parse_file(path, NULL, rs, &pe, &err) < 0)
		bench_die("parse", &err);
	return bench_now_ms() - t;
}

static void bench_file(struct linx_nft *s, const char *what,
		       const char *path)
{
	double lp[31], np[31], lpp[31], npp[31], cli[31];
	const char *linx_cli = getenv("BENCH_LINX");
	char cmd[1024];
	struct linx_error err;

	for (int i = 0; i < runs; i++) {
		struct linx_value rs;
		struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };

		lp[i] = linx_parse(path, &rs);
		linx_value_clear(&rs);
		snprintf(cmd, sizeof(cmd), "nft -c -f %s", path);
		np[i] = time_sh(cmd);

		sh("nft flush ruleset");
		double t = bench_now_ms();
		linx_parse(path, &rs);
		if (linx_nft_push(s, &rs, &o, NULL, &err) < 0)
			bench_die("push", &err);
		lpp[i] = bench_now_ms() - t;
		linx_value_clear(&rs);
		sh("nft flush ruleset");
		snprintf(cmd, sizeof(cmd), "nft -f %s", path);
		npp[i] = time_sh(cmd);
		sh("nft flush ruleset");
		cli[i] = 0;
		if (linx_cli) {
			snprintf(cmd, sizeof(cmd), "%s nft load %s", linx_cli,
				 path);
			cli[i] = time_sh(cmd);
			sh("nft flush ruleset");
		}
	}
	double a = bench_median(lp, runs), b = bench_median(np, runs);
	double c = bench_median(lpp, runs), d = bench_median(npp, runs);
	printf("%-14s parse:      linx %8.1f ms   nft -c -f %8.1f ms   "
	       "ratio %.1fx\n",
	       what, a, b, b / a);
	printf("%-14s parse+push: linx %8.1f ms   nft -f    %8.1f ms   "
	       "ratio %.1fx\n",
	       what, c, d, d / c);
	if (linx_cli) {
		double e = bench_median(cli, runs);
		printf("%-14s linx nft load (CLI process) %8.1f ms   ratio "
		       "%.1fx\n",
		       what, e, d / e);
	}
}

static void bench_format(struct linx_nft *s, const char *what,
			 const char *path)
{
	double lf[31], nf[31], pf[31];
	struct linx_error err;
	char cmd[256];
	size_t bytes = 0;

	sh("nft flush ruleset");
	snprintf(cmd, sizeof(cmd), "nft -f %s", path);
	sh(cmd);
	for (int i = 0; i < runs; i++) {
		struct linx_value rs;
		char *text;
		double t = bench_now_ms();

		if (linx_nft_pull(s, NULL, &rs, NULL, &err) < 0)
			bench_die("pull", &err);
		pf[i] = bench_now_ms() - t;
		if (linx_nft_format(&rs, &text, &bytes, &err) < 0)
			bench_die("format", &err);
		lf[i] = bench_now_ms() - t;
		if (strstr(text, "# <unsupported")) {
			fprintf(stderr, "bench-nft-lang: unsupported in the "
					"formatted ruleset\n");
			exit(1);
		}
		free(text);
		linx_value_clear(&rs);
		nf[i] = time_sh("nft list ruleset > /dev/null");
	}
	double a = bench_median(lf, runs), b = bench_median(nf, runs);
	printf("%-14s format:     linx %8.1f ms   nft list  %8.1f ms   "
	       "ratio %.1fx  (%zu bytes)\n",
	       what, a, b, b / a, bytes);
	/* where the time goes: the pull (the kernel's dumps, one per
	 * anonymous set too) and the formatter itself */
	printf("%-14s            of which pull %.1f ms, format %.1f ms\n", "",
	       bench_median(pf, runs), a - bench_median(pf, runs));
	sh("nft flush ruleset");
}

int main(void)
{
	struct linx_nft *s;
	struct linx_error err;
	const char *r = getenv("BENCH_RUNS");

	if (r)
		runs = atoi(r) < 1 ? 1 : atoi(r) > 31 ? 31 : atoi(r);
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("bench-nft-lang: needs root for a network namespace of "
		       "its own; skipped\n");
		return 0;
	}
	if (system("command -v nft >/dev/null") != 0) {
		printf("bench-nft-lang: nft not on PATH; skipped\n");
		return 0;
	}
	gen_files();
	if (linx_nft_open(NULL, &s, &err) < 0)
		bench_die("open", &err);
	printf("runs: %d (medians)\n", runs);
	bench_file(s, "10000 rules", rules_path);
	bench_file(s, "  (no sets)", plain_path);
	bench_file(s, "100000 elems", set_path);
	bench_format(s, "10000 rules", rules_path);
	bench_format(s, "  (no sets)", plain_path);
	linx_nft_close(s);
	unlink(rules_path);
	unlink(plain_path);
	unlink(set_path);
	return 0;
}
