/* SPDX-License-Identifier: MIT */
/*
 * The `linx` command against the real sysctl and cgroup plugins, with
 * sysctl(8) and the cgroup files themselves as the oracles.  Everything
 * that writes runs in namespaces the test made.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-run.h"
#include "linx-test.h"

#ifndef PLUGIN_DIR
#error PLUGIN_DIR must be defined
#endif

static void use_real_plugins(void)
{
	cli_plugin_path = PLUGIN_DIR;
}

/* stdout of a shell command, trailing newline dropped. */
static char *sh_line(const char *fmt, const char *arg)
{
	int status;
	char *out = linx_test_sh(&status, fmt, arg);
	size_t n = strlen(out);

	ck_assert_msg(status == 0, "oracle failed: %s", fmt);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return out;
}

START_TEST(sysctl_read_matches_procps)
{
	static const char *const keys[] = {
		"kernel.ostype", "kernel.osrelease", "net.ipv4.ip_forward",
		"net.ipv4.tcp_rmem", "vm.overcommit_memory", "kernel.pid_max",
		"net.core.somaxconn", "fs.file-max",
	};

	use_real_plugins();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char arg[128], *want = sh_line("sysctl -n %s", keys[i]);
		struct cli_out r;
		json_t *j;

		snprintf(arg, sizeof(arg), "key=%s", keys[i]);
		cli_run(&r, "call", "sysctl.read", arg);
		ck_assert_msg(r.status == 0, "%s: %s", keys[i], r.err);
		j = cli_out_json(&r);
		ck_assert_msg(json_is_string(j), "%s: not a string", keys[i]);
		ck_assert_str_eq(json_string_value(j), want);
		json_decref(j);
		cli_out_free(&r);
		free(want);
	}
}
END_TEST

START_TEST(sysctl_write_in_private_netns)
{
	/* A sentinel left in the namespace we started in. */
	pid_t sentinel = linx_test_spawn_in_ns(0);
	char oracle[128], *host, *inside;
	struct cli_out r;
	json_t *j;

	use_real_plugins();
	snprintf(oracle, sizeof(oracle), "nsenter -t %d -n sysctl -n %%s",
		 (int)sentinel);
	host = sh_line(oracle, "net.ipv4.ip_forward");
	linx_test_private_netns();
	cli_run(&r, "call", "sysctl.write", "key=net.ipv4.ip_forward",
		"value=1");
	ck_assert_msg(r.status == 0, "%s", r.err);
	cli_out_free(&r);
	inside = sh_line("sysctl -n %s", "net.ipv4.ip_forward");
	ck_assert_str_eq(inside, "1");
	cli_run(&r, "call", "sysctl.read_int", "key=net.ipv4.ip_forward");
	j = cli_out_json(&r);
	ck_assert_int_eq(json_integer_value(j), 1);
	json_decref(j);
	cli_out_free(&r);
	free(inside);
	/* The namespace we started in kept its value. */
	inside = sh_line(oracle, "net.ipv4.ip_forward");
	ck_assert_str_eq(inside, host);
	free(inside);
	free(host);
	linx_test_reap(sentinel);
}
END_TEST

START_TEST(sysctl_read_other_namespace)
{
	pid_t pid = linx_test_spawn_in_ns(CLONE_NEWUTS);
	char in[32], *out;
	struct cli_out r;
	json_t *j;
	int status;

	use_real_plugins();
	out = linx_test_sh(&status, "nsenter -t %d -u hostname linx-cli-test",
			   (int)pid);
	ck_assert_int_eq(status, 0);
	free(out);
	snprintf(in, sizeof(in), "in=%d", (int)pid);
	cli_run(&r, "call", "sysctl.read", "key=kernel.hostname", in);
	ck_assert_msg(r.status == 0, "%s", r.err);
	j = cli_out_json(&r);
	ck_assert_str_eq(json_string_value(j), "linx-cli-test");
	json_decref(j);
	cli_out_free(&r);
	linx_test_reap(pid);
}
END_TEST

START_TEST(sysctl_list_prefix)
{
	struct cli_out r;
	json_t *j, *e;
	size_t i, n;
	char *count;

	use_real_plugins();
	linx_test_private_netns();
	cli_run(&r, "call", "sysctl.list", "prefix=net.ipv4.conf.lo");
	ck_assert_msg(r.status == 0, "%s", r.err);
	j = cli_out_json(&r);
	ck_assert(json_is_array(j));
	n = json_array_size(j);
	count = sh_line("sysctl -a -N -r '%s' 2>/dev/null | wc -l",
			"^net\\.ipv4\\.conf\\.lo\\.");
	ck_assert_int_eq(n, strtoul(count, NULL, 10));
	json_array_foreach(j, i, e) {
		const char *key = json_string_value(json_object_get(e, "key"));
		const char *path = json_string_value(json_object_get(e, "path"));
		char want[256];

		ck_assert_ptr_nonnull(key);
		ck_assert_msg(strncmp(key, "net.ipv4.conf.lo.", 17) == 0, "%s",
			      key);
		snprintf(want, sizeof(want), "/proc/sys/net/ipv4/conf/lo/%s",
			 key + 17);
		ck_assert_str_eq(path, want);
	}
	json_decref(j);
	cli_out_free(&r);
	free(count);
}
END_TEST

START_TEST(sysctl_errors)
{
	struct cli_out r;

	use_real_plugins();
	cli_run(&r, "call", "sysctl.read", "key=net.ipv4.../etc/passwd");
	cli_assert_error(&r, 2, "linx: sysctl.read: einval (22)");
	cli_out_free(&r);
	cli_run(&r, "call", "sysctl.read", "key=linx.does.not.exist");
	cli_assert_error(&r, 1, "linx: sysctl.read: enoent (2)");
	cli_out_free(&r);
	cli_run(&r, "call", "sysctl.read");
	cli_assert_error(&r, 2, "\"key\"");
	cli_out_free(&r);
}
END_TEST

START_TEST(cgroup_lifecycle)
{
	const char *root = linx_test_mount_cgroup2();
	char path[256], arg[300], file[320];
	struct cli_out r;
	json_t *j;
	char *cat;

	use_real_plugins();
	snprintf(path, sizeof(path), "%s/linx-cli-%d", root, (int)getpid());
	snprintf(arg, sizeof(arg), "path=%s", path);
	cli_run(&r, "call", "cgroup.create", arg);
	ck_assert_msg(r.status == 0, "%s", r.err);
	j = cli_out_json(&r);
	ck_assert_str_eq(json_string_value(j), path);
	json_decref(j);
	cli_out_free(&r);

	cli_run(&r, "call", "cgroup.freeze", arg);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cli_out_free(&r);
	snprintf(file, sizeof(file), "%s/cgroup.freeze", path);
	cat = sh_line("cat %s", file);
	ck_assert_str_eq(cat, "1");
	free(cat);
	cli_run(&r, "call", "cgroup.read", arg, "file=cgroup.freeze");
	j = cli_out_json(&r);
	ck_assert_str_eq(json_string_value(j), "1");
	json_decref(j);
	cli_out_free(&r);
	cli_run(&r, "call", "cgroup.thaw", arg);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cli_out_free(&r);

	cli_run(&r, "call", "cgroup.stats", arg);
	j = cli_out_json(&r);
	ck_assert(json_is_integer(json_object_get(j, "cpu_usec")));
	json_decref(j);
	cli_out_free(&r);

	cli_run(&r, "call", "cgroup.destroy", arg);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cli_out_free(&r);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(cgroup_refuses_outside_cgroup2)
{
	struct cli_out r;

	use_real_plugins();
	cli_run(&r, "call", "cgroup.create", "path=/tmp/linx-not-a-cgroup");
	cli_assert_error(&r, 2, "cgroup2");
	cli_out_free(&r);
	ck_assert_int_ne(access("/tmp/linx-not-a-cgroup", F_OK), 0);
}
END_TEST

/* linx monitor rtnl --netns PID: events from another process's netns,
 * one JSON line each. */
START_TEST(rtnl_monitor_other_netns)
{
	pid_t target = linx_test_spawn_in_ns(CLONE_NEWNET), cli;
	char netns[32], *line, *out;
	int fd, status;
	json_t *j;

	use_real_plugins();
	snprintf(netns, sizeof(netns), "%d", (int)target);
	cli = cli_spawn(&fd, NULL,
			(const char *const[]){ "monitor", "rtnl", "--netns",
					       netns, "groups:=[\"link\"]",
					       "--count", "1", NULL });
	/* The monitor subscribes before it reads, after a start-up whose
	 * length depends on the host: make an event in the target's
	 * namespace (and only there), and another with a new name each
	 * 200 ms until the monitor prints one, instead of guessing how long
	 * the start-up takes.  Every event is a new_link. */
	for (int i = 0; i < 150; i++) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		out = linx_test_sh(&status,
				   "nsenter -t %d -n ip link add mon%d type "
				   "veth peer name mp%d",
				   (int)target, i, i);
		ck_assert_int_eq(status, 0);
		free(out);
		if (poll(&pfd, 1, 200) > 0)
			break;
	}
	line = cli_read_line(fd);
	ck_assert_ptr_nonnull(line);
	j = json_loads(line, 0, NULL);
	ck_assert_msg(j, "not JSON: %s", line);
	ck_assert_str_eq(json_string_value(json_object_get(j, "op")),
			 "new_link");
	json_decref(j);
	free(line);
	ck_assert_int_eq(cli_wait(cli), 0);
	close(fd);
	/* Nothing happened in our own namespace. */
	ck_assert_int_ne(system("ip link show mon0 >/dev/null 2>&1"), 0);
	ck_assert_int_ne(system("ip link show mp0 >/dev/null 2>&1"), 0);
	linx_test_reap(target);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cli-plugins");
	TCase *tc = tcase_create("plugins");

	tcase_add_test(tc, sysctl_read_matches_procps);
	tcase_add_test(tc, sysctl_write_in_private_netns);
	tcase_add_test(tc, sysctl_read_other_namespace);
	tcase_add_test(tc, sysctl_list_prefix);
	tcase_add_test(tc, sysctl_errors);
	tcase_add_test(tc, cgroup_lifecycle);
	tcase_add_test(tc, cgroup_refuses_outside_cgroup2);
	tcase_add_test(tc, rtnl_monitor_other_netns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	linx_test_require_root();
	return linx_test_run_suite(suite());
}
