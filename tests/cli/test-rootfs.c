/* SPDX-License-Identifier: MIT */
/*
 * `linx spawn --rootfs`: a busybox root (Debian's busybox-static, see
 * tests/fixtures/busybox-root) entered from the CLI.  The workload sees
 * its root and the mounts it was given, and nothing of the host; its table
 * read from inside is the one findmnt(8) shows from outside; read-only
 * parts are read-only; symlinks in the image cannot send a mount to the
 * host.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linx/mount.h>

#include "linx-test.h"

#if !defined(CLI) || !defined(BUSYBOX_ROOT)
#error CLI and BUSYBOX_ROOT must be defined
#endif

static char root[64] = "/tmp/linx-rootfs-XXXXXX";
static char host[64] = "/tmp/linx-rootfs-host-XXXXXX";

static pid_t main_pid;

/* At the exit of main only: each test runs in a forked child, whose exit
 * runs the atexit handlers too. */
static void cleanup(void)
{
	char cmd[256];

	if (getpid() != main_pid)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root, host);
	if (system(cmd) != 0)
		return;
}

/* The mount points in a mountinfo text, one per line, sorted. */
static char *mount_points(const char *text)
{
	struct linx_mount_entry *e;
	struct linx_error err;
	size_t n, len = 0;
	char *out;

	linx_assert_ok(linx_mount_parse(text, strlen(text), &e, &n, &err),
		       &err);
	out = calloc(n + 1, 256);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, 256, "%s\n",
					e[i].mount_point);
	linx_mount_entries_free(e, n);
	return out;
}

START_TEST(the_workload_sees_only_its_root)
{
	char *out, *points;
	int st;

	out = linx_test_sh(&st,
			   "%s spawn --ns mount,pid,uts --rootfs %s "
			   "--mount-proc --tmpfs /tmp:1m --bind %s:/data:ro "
			   "-- /bin/cat /proc/self/mountinfo",
			   CLI, root, host);
	ck_assert_msg(st == 0, "spawn failed: %s", out);
	points = mount_points(out);
	free(out);
	ck_assert_str_eq(points, "/\n/proc\n/dev\n/dev/null\n/dev/zero\n"
				 "/dev/full\n/dev/random\n/dev/urandom\n"
				 "/dev/tty\n/dev/pts\n/dev/shm\n/data\n/tmp\n");
	free(points);
	/* pid 1 is the workload: /proc is its pid namespace's */
	out = linx_test_sh(&st, "%s spawn --ns mount,pid --rootfs %s "
				"--mount-proc -- /bin/cat /proc/1/cmdline",
			   CLI, root);
	ck_assert_int_eq(st, 0);
	ck_assert_str_eq(out, "/bin/cat");
	free(out);
}
END_TEST

/* The table from inside, and findmnt --task from outside. */
START_TEST(inside_and_outside_agree)
{
	char *out, *inside, *outside, log[128], mi[128];
	int st;
	pid_t pid = 0;

	linx_test_require(linx_test_have("findmnt"), "findmnt missing");
	snprintf(log, sizeof(log), "%s/log", host);
	snprintf(mi, sizeof(mi), "%s/mi", host);
	out = linx_test_sh(&st,
			   "%s spawn -v --ns mount,pid,net --rootfs %s "
			   "--mount-proc --bind %s:/out -- /bin/sh -c 'cat "
			   "/proc/self/mountinfo > /out/mi.tmp && mv "
			   "/out/mi.tmp /out/mi; exec sleep 30' >/dev/null 2>%s & ",
			   CLI, root, host, log);
	free(out);
	for (int i = 0; i < 1000 && access(mi, F_OK) != 0; i++)
		usleep(10 * 1000);
	ck_assert_int_eq(access(mi, F_OK), 0);
	out = linx_test_sh(&st, "sed -n 's/.*host pid \\([0-9]*\\).*/\\1/p' "
				"%s", log);
	pid = atoi(out);
	free(out);
	ck_assert_int_gt(pid, 0);
	out = linx_test_sh(&st, "cat %s", mi);
	inside = mount_points(out);
	free(out);
	outside = linx_test_sh(&st, "findmnt -n -l -o TARGET --task %d",
			       (int)pid);
	ck_assert_str_eq(outside, inside);
	free(inside);
	free(outside);
	kill(pid, SIGKILL);
}
END_TEST

START_TEST(read_only_parts)
{
	char *out;
	int st;

	out = linx_test_sh(&st,
			   "%s spawn --ns mount --rootfs %s --ro-root "
			   "--tmpfs /tmp --bind %s:/data:ro -- /bin/sh -c "
			   "'touch /x 2>/dev/null && echo root-rw; touch "
			   "/tmp/x && echo tmp-rw; touch /data/y 2>/dev/null "
			   "&& echo data-rw; cat /data/hello'",
			   CLI, root, host);
	ck_assert_int_eq(st, 0);
	ck_assert_str_eq(out, "tmp-rw\nhello from the host\n");
	free(out);
}
END_TEST

/* An image's symlinks point into the image, never to the host. */
START_TEST(symlinks_in_the_image_refused)
{
	char link[128];
	int st;
	char *out;

	snprintf(link, sizeof(link), "%s/evil", root);
	ck_assert_int_eq(symlink("/etc", link), 0);
	out = linx_test_sh(&st, "%s spawn --ns mount --rootfs %s --bind "
				"%s:/evil/linx-escape -- /bin/true 2>&1",
			   CLI, root, host);
	ck_assert_int_eq(st, 125);
	ck_assert_msg(strstr(out, "symlink"), "%s", out);
	free(out);
	ck_assert_int_ne(access("/etc/linx-escape", F_OK), 0);
	out = linx_test_sh(&st, "%s spawn --ns mount --rootfs %s --tmpfs "
				"/evil -- /bin/true 2>&1",
			   CLI, root);
	ck_assert_int_eq(st, 125);
	free(out);
	out = linx_test_sh(&st, "%s spawn --ns mount --rootfs %s --tmpfs "
				"/../../../etc -- /bin/true 2>&1",
			   CLI, root);
	ck_assert_int_eq(st, 125);
	free(out);
	unlink(link);
	/* Without a mount namespace of its own: a usage error. */
	out = linx_test_sh(&st, "%s spawn --rootfs %s -- /bin/true 2>&1", CLI,
			   root);
	ck_assert_int_eq(st, 2);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-rootfs");
	TCase *tc = tcase_create("rootfs");
	char cmd[512], hello[128];
	FILE *f;
	int st;

	linx_test_require_root();
	main_pid = getpid();
	linx_test_require(mkdtemp(root) && mkdtemp(host), "mkdtemp");
	atexit(cleanup);
	snprintf(cmd, sizeof(cmd), "%s %s", BUSYBOX_ROOT, root);
	st = system(cmd);
	linx_test_require(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			  "no busybox root (busybox-static could not be had: "
			  "see tests/fixtures/busybox-root)");
	snprintf(hello, sizeof(hello), "%s/hello", host);
	f = fopen(hello, "we");
	linx_test_require(f != NULL, "cannot write %s", hello);
	fputs("hello from the host\n", f);
	fclose(f);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_workload_sees_only_its_root);
	tcase_add_test(tc, inside_and_outside_agree);
	tcase_add_test(tc, read_only_parts);
	tcase_add_test(tc, symlinks_in_the_image_refused);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
