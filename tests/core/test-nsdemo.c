/* SPDX-License-Identifier: MIT */
/*
 * The nsdemo guide fixture (tests/fixtures/guide/nsdemo.c), loaded from
 * LINX_PLUGIN_PATH as any third-party plugin: namespace targets are
 * honoured (a netns and a UTS namespace this test creates, by pid and by
 * path; bad targets refused naming the parameter) and handles are released
 * (the socket closes with the last reference, no fd left behind).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "linx-test.h"

#ifndef NSDEMO_DIR
#error NSDEMO_DIR must be defined
#endif

static struct linx_registry *nsdemo_registry(void)
{
	struct linx_registry *reg;
	struct linx_error err;

	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_set_path(reg, NSDEMO_DIR, &err), &err);
	return reg;
}

#define HOSTNAME "nsdemo-target"

/* A child in a fresh network and UTS namespace, given its own hostname by
 * an independent tool (nsenter from util-linux); reap with
 * linx_test_reap(). */
static pid_t spawn_target(void)
{
	pid_t pid = linx_test_spawn_in_ns(CLONE_NEWNET | CLONE_NEWUTS);
	int status = -1;

	free(linx_test_sh(&status, "nsenter -t %d -u hostname %s", (int)pid,
			  HOSTNAME));
	ck_assert_msg(status == 0, "nsenter could not set the hostname");
	return pid;
}

static uint64_t ns_inode(pid_t pid, const char *kind)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kind);
	ck_assert_msg(stat(path, &st) == 0, "stat %s", path);
	return (uint64_t)st.st_ino;
}

/* Call `verb` with one argument `param` = *target (moved in). */
static int call1(struct linx_registry *reg, const char *verb,
		 const char *param, struct linx_value *target,
		 struct linx_value *ret, struct linx_error *err)
{
	struct linx_value args = linx_value_map();
	int r;

	if (target)
		linx_map_put(&args, param, target);
	r = linx_call(reg, verb, &args, ret, 0, err);
	linx_value_clear(&args);
	return r;
}

START_TEST(netns_target_is_honoured)
{
	struct linx_registry *reg = nsdemo_registry();
	pid_t pid = spawn_target();
	uint64_t want = ns_inode(pid, "net");
	struct linx_value t, ret;
	struct linx_error err;
	char path[64];

	ck_assert_uint_ne(want, ns_inode(getpid(), "net"));
	/* Self (no argument): our own netns. */
	linx_assert_ok(call1(reg, "nsdemo.netns.inode", "netns", NULL, &ret,
			     &err),
		       &err);
	ck_assert_uint_eq(ret.u, ns_inode(getpid(), "net"));
	/* By pid. */
	t = linx_value_int(pid);
	linx_assert_ok(call1(reg, "nsdemo.netns.inode", "netns", &t, &ret,
			     &err),
		       &err);
	ck_assert_int_eq(ret.type, LINX_UINT);
	ck_assert_uint_eq(ret.u, want);
	/* By namespace file path. */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	linx_value_cstring(&t, path);
	linx_assert_ok(call1(reg, "nsdemo.netns.inode", "netns", &t, &ret,
			     &err),
		       &err);
	ck_assert_uint_eq(ret.u, want);
	/* A relative path is a refused argument naming the parameter. */
	linx_value_cstring(&t, "proc/1/ns/net");
	ck_assert_int_eq(call1(reg, "nsdemo.netns.inode", "netns", &t, &ret,
			       &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "netns");
	linx_test_reap(pid);
	linx_registry_free(reg);
}
END_TEST

START_TEST(uts_target_is_honoured)
{
	struct linx_registry *reg = nsdemo_registry();
	pid_t pid = spawn_target();
	struct linx_value t = linx_value_int(pid), ret;
	struct linx_error err;
	char own[256];

	ck_assert(gethostname(own, sizeof(own)) == 0);
	ck_assert_str_ne(own, HOSTNAME);
	linx_assert_ok(call1(reg, "nsdemo.uts.hostname", "in", &t, &ret, &err),
		       &err);
	ck_assert_int_eq(ret.type, LINX_STRING);
	ck_assert_str_eq(ret.str, HOSTNAME);
	linx_value_clear(&ret);
	linx_assert_ok(call1(reg, "nsdemo.uts.hostname", "in", NULL, &ret,
			     &err),
		       &err);
	ck_assert_str_eq(ret.str, own);
	linx_value_clear(&ret);
	/* A map target of the wrong shape names "in". */
	t = linx_value_map();
	linx_map_put_cstring(&t, "pid", "one");
	ck_assert_int_eq(call1(reg, "nsdemo.uts.hostname", "in", &t, &ret,
			       &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "in");
	/* A process that is gone cannot be entered. */
	linx_test_reap(pid);
	t = linx_value_int(pid);
	ck_assert_int_lt(call1(reg, "nsdemo.uts.hostname", "in", &t, &ret,
			       &err),
			 0);
	linx_registry_free(reg);
}
END_TEST

/* Call `verb` {sock: a new reference to *h}. */
static int call_sock(struct linx_registry *reg, const char *verb,
		     const struct linx_value *h, struct linx_value *ret,
		     struct linx_error *err)
{
	struct linx_value ref;

	ck_assert_int_eq(linx_value_copy(&ref, h), 0);
	return call1(reg, verb, "sock", &ref, ret, err);
}

START_TEST(handle_is_consumed_and_released)
{
	struct linx_registry *reg = nsdemo_registry();
	pid_t pid = spawn_target();
	struct linx_value t = linx_value_int(pid), h, info;
	struct linx_error err;
	int before, fd;

	/* Load the plugin first, so the count sees only the handle's fd. */
	linx_assert_ok(call1(reg, "nsdemo.netns.inode", "netns", NULL, &info,
			     &err),
		       &err);
	before = linx_test_count_fds();
	linx_assert_ok(call1(reg, "nsdemo.sock.open", "netns", &t, &h, &err),
		       &err);
	ck_assert_int_eq(h.type, LINX_HANDLE);
	ck_assert_str_eq(linx_handle_type_of(h.handle)->name, "nsdemo.sock");
	ck_assert_int_eq(linx_test_count_fds(), before + 1);
	/* A second verb consumes it: the socket lives in the target netns,
	 * and its fd is ours to poll while the handle is open. */
	linx_assert_ok(call_sock(reg, "nsdemo.sock.info", &h, &info, &err),
		       &err);
	ck_assert_uint_eq(linx_map_get(&info, "netns_inode")->u,
			  ns_inode(pid, "net"));
	fd = (int)linx_map_get(&info, "fd")->i;
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	linx_value_clear(&info);
	/* The last reference closes it. */
	linx_value_clear(&h);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
	ck_assert_int_eq(linx_test_count_fds(), before);
	linx_test_reap(pid);
	linx_registry_free(reg);
}
END_TEST

static void forget(void *ptr)
{
	(void)ptr;
}

START_TEST(handle_close_and_misuse)
{
	struct linx_registry *reg = nsdemo_registry();
	struct linx_value h, other, ret;
	struct linx_error err;
	int before;

	linx_assert_ok(call1(reg, "nsdemo.netns.inode", "netns", NULL, &ret,
			     &err),
		       &err);
	before = linx_test_count_fds();
	linx_assert_ok(call1(reg, "nsdemo.sock.open", "netns", NULL, &h, &err),
		       &err);
	/* Close releases the fd at once; the handle lives on, and using it
	 * is EBADF, not a crash. */
	linx_assert_ok(call_sock(reg, "nsdemo.sock.close", &h, &ret, &err),
		       &err);
	ck_assert_int_eq(linx_test_count_fds(), before);
	ck_assert_int_eq(call_sock(reg, "nsdemo.sock.info", &h, &ret, &err),
			 -EBADF);
	/* Closing twice is harmless. */
	linx_assert_ok(call_sock(reg, "nsdemo.sock.close", &h, &ret, &err),
		       &err);
	/* Not a handle: refused by the schema.  A handle of another type:
	 * refused by the plugin, naming the parameter. */
	other = linx_value_int(3);
	ck_assert_int_eq(call1(reg, "nsdemo.sock.info", "sock", &other, &ret,
			       &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "sock");
	{
		static const struct linx_handle_type foreign = { "test.foreign",
								 forget };
		static int dummy;
		struct linx_handle *fh = linx_handle_new(&foreign, &dummy);

		ck_assert_ptr_nonnull(fh);
		other = linx_value_handle(fh);
		linx_handle_unref(fh);
		ck_assert_int_eq(call1(reg, "nsdemo.sock.info", "sock", &other,
				       &ret, &err),
				 -EINVAL);
		ck_assert_str_eq(err.param, "sock");
		ck_assert_ptr_nonnull(strstr(err.message, "nsdemo.sock"));
	}
	linx_value_clear(&h);
	ck_assert_int_eq(linx_test_count_fds(), before);
	linx_registry_free(reg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nsdemo");
	TCase *tc = tcase_create("nsdemo");

	linx_test_require_root();
	tcase_add_test(tc, netns_target_is_honoured);
	tcase_add_test(tc, uts_target_is_honoured);
	tcase_add_test(tc, handle_is_consumed_and_released);
	tcase_add_test(tc, handle_close_and_misuse);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
