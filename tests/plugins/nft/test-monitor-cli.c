/* SPDX-License-Identifier: MIT */
/*
 * `linx monitor nft [--netns TARGET]`: the built CLI streams ruleset
 * events as JSON lines, from its own namespace or another process's.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "linx-test.h"

#ifndef LINX_CLI
#error LINX_CLI must name the built linx binary
#endif
#ifndef NFT_PLUGIN_DIR
#error NFT_PLUGIN_DIR must name the directory of the built nft.so
#endif

/* Start `linx monitor nft --count N [--netns T]`; its stdout in *out. */
static pid_t cli_start(unsigned count, const char *netns, int *out)
{
	char n[16];
	int p[2];
	pid_t pid;

	snprintf(n, sizeof(n), "%u", count);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		setenv("LINX_PLUGIN_PATH", NFT_PLUGIN_DIR, 1);
		if (netns)
			execl(LINX_CLI, "linx", "monitor", "nft", "--count", n,
			      "--netns", netns, (char *)NULL);
		else
			execl(LINX_CLI, "linx", "monitor", "nft", "--count", n,
			      (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*out = p[0];
	return pid;
}

/*
 * Commit with `cmd_fmt` (up to two %d: a counter) until the CLI has printed
 * `count` lines and exited (it may subscribe after the first commits).
 * Returns the output; asserts exit status 0.
 */
static char *drive(pid_t pid, int fd, const char *cmd_fmt)
{
	size_t len = 0, cap = 65536;
	char *buf = calloc(1, cap);
	int status, i = 0;
	bool eof = false;

	ck_assert_ptr_nonnull(buf);
	for (int round = 0; round < 100; round++) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char cmd[256];
		ssize_t n;
		int st;
		char *o;

		snprintf(cmd, sizeof(cmd), cmd_fmt, i, i);
		i++;
		o = linx_test_sh(&st, "%s 2>&1", cmd);
		ck_assert_msg(st == 0, "%s: %s", cmd, o);
		free(o);
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0) {
			eof = true;
			break;
		}
		len += (size_t)n;
	}
	if (!eof) /* it never had its count: stop it, then fail below */
		kill(pid, SIGTERM);
	close(fd);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "linx monitor nft: status 0x%x, output:\n%s", status, buf);
	ck_assert_msg(eof, "linx monitor nft never printed its count:\n%s", buf);
	return buf;
}

/* Every line a JSON object; count those with op `op`. */
static unsigned count_op(const char *text, const char *op, unsigned *lines)
{
	unsigned n = 0;
	char *copy = strdup(text), *save = NULL;

	*lines = 0;
	for (char *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(l, 0, &e);

		ck_assert_msg(json_is_object(j), "not a JSON object: %s", l);
		(*lines)++;
		if (!strcmp(json_string_value(json_object_get(j, "op")), op)) {
			n++;
			ck_assert_str_eq(json_string_value(json_object_get(
						 j, "proc_name")),
					 "nft");
		}
		json_decref(j);
	}
	free(copy);
	return n;
}

START_TEST(own_netns)
{
	unsigned lines;
	int fd;
	pid_t pid;
	char *out;

	linx_test_private_netns();
	pid = cli_start(4, NULL, &fd);
	out = drive(pid, fd, "nft add table ip t%d");
	ck_assert_uint_ge(count_op(out, "new_table", &lines), 1);
	ck_assert_uint_eq(lines, 4);
	free(out);
}
END_TEST

START_TEST(other_netns)
{
	char target[32], cmd[128];
	unsigned lines;
	int fd;
	pid_t ns, pid;
	char *out;

	linx_test_private_netns();
	ns = linx_test_spawn_in_ns(CLONE_NEWNET);
	snprintf(target, sizeof(target), "%d", (int)ns);
	pid = cli_start(4, target, &fd);
	/* Commits in the test's namespace too: they must not show. */
	snprintf(cmd, sizeof(cmd),
		 "nft add table ip mine%%d && nsenter --net=/proc/%d/ns/net "
		 "nft add table ip theirs%%d",
		 (int)ns);
	out = drive(pid, fd, cmd);
	ck_assert_uint_ge(count_op(out, "new_table", &lines), 1);
	ck_assert_ptr_null(strstr(out, "\"mine"));
	ck_assert_ptr_nonnull(strstr(out, "\"theirs"));
	free(out);
	linx_test_reap(ns);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-monitor-cli");
	TCase *tc = tcase_create("cli");

	linx_test_require_root();
	linx_test_require(system("command -v nft >/dev/null 2>&1") == 0 &&
				  system("command -v nsenter >/dev/null 2>&1") ==
					  0,
			  "needs nft(8) and nsenter(1)");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, own_netns);
	tcase_add_test(tc, other_netns);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
