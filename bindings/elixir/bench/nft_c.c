/* SPDX-License-Identifier: MIT */
/*
 * The C side of the Elixir netfilter benchmark (bench/nft.exs): one
 * ruleset pushed and pulled back through the C API, in the network
 * namespace of process PID, to set against the same through the binding.
 *
 *   nft-c PID FILE.nft
 *
 * FILE is parsed first (not timed: the Elixir side parses before its
 * clock starts too), then pushed (linx_nft_push, replace mode) and the
 * whole ruleset pulled (linx_nft_pull).  Prints "push <ms>" and
 * "pull <ms>".  The caller empties the namespace before each run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linx/nft.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct linx_error *err)
{
	char buf[1024];

	linx_error_format(err, buf, sizeof(buf));
	fprintf(stderr, "nft-c: %s: %s\n", what, buf);
	exit(1);
}

int main(int argc, char **argv)
{
	struct linx_ns_target ns = { .kind = LINX_NS_TARGET_PID };
	struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };
	struct linx_value rs, pulled;
	struct linx_error err = { 0 };
	struct linx_nft *s;
	double t0, push, pull;

	if (argc != 3) {
		fprintf(stderr, "usage: nft-c PID FILE.nft\n");
		return 2;
	}
	ns.pid = atoi(argv[1]);
	if (linx_nft_parse_file(argv[2], NULL, &rs, NULL, &err) < 0)
		die("parse", &err);
	if (linx_nft_open(&ns, &s, &err) < 0)
		die("open", &err);

	t0 = now_ms();
	if (linx_nft_push(s, &rs, &o, NULL, &err) < 0)
		die("push", &err);
	push = now_ms() - t0;

	t0 = now_ms();
	if (linx_nft_pull(s, NULL, &pulled, NULL, &err) < 0)
		die("pull", &err);
	pull = now_ms() - t0;

	printf("push %.3f\npull %.3f\n", push, pull);
	linx_value_clear(&pulled);
	linx_value_clear(&rs);
	linx_nft_close(s);
	return 0;
}
