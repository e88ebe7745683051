/* SPDX-License-Identifier: MIT */
/*
 * The mount operations against the live kernel, each test in a private
 * mount namespace of its own (nothing reaches the host's mounts), checked
 * with findmnt(8) and /proc/<pid>/mountinfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linx/linx.h>
#include <linx/mount.h>
#include <linx/process.h>

#include "linx-test.h"

#ifndef MOUNT_MODULE
#error MOUNT_MODULE must be defined
#endif

static char dir[64];

/* A private mount namespace and a fresh directory in it. */
static const char *sandbox(void)
{
	linx_test_private_mounts();
	strcpy(dir, "/tmp/linx-mount-XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	return dir;
}

static char *path(const char *rel)
{
	static char buf[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, rel);
	return buf[i];
}

/* `findmnt -n -o COLUMN TARGET` in our namespace ("" if not a mount). */
static char *findmnt(const char *column, const char *target)
{
	int st;

	return linx_test_sh(&st, "findmnt -n -o %s --mountpoint %s", column,
			    target);
}

static void expect_fstype(const char *target, const char *fstype)
{
	char *out = findmnt("FSTYPE", target), want[64];

	snprintf(want, sizeof(want), "%s\n", fstype);
	ck_assert_msg(strcmp(out, want) == 0, "%s: fstype %s", target, out);
	free(out);
}

static bool has_option(const char *target, const char *opt)
{
	char *out = findmnt("OPTIONS", target), *p;
	bool found = false;

	for (p = strtok(out, ",\n"); p && !found; p = strtok(NULL, ",\n"))
		found = strcmp(p, opt) == 0;
	free(out);
	return found;
}

START_TEST(mount_with_flags_and_data)
{
	struct linx_mount_opts o = { .flags = MS_NOSUID | MS_NODEV | MS_NOEXEC,
				     .data = "size=1m,mode=700" };
	struct linx_error err;
	struct stat st;

	sandbox();
	ck_assert_int_eq(mkdir(path("t"), 0755), 0);
	linx_assert_ok(linx_mount("scratch", path("t"), "tmpfs", &o, &err),
		       &err);
	expect_fstype(path("t"), "tmpfs");
	ck_assert(has_option(path("t"), "nosuid"));
	ck_assert(has_option(path("t"), "nodev"));
	ck_assert(has_option(path("t"), "noexec"));
	ck_assert_int_eq(stat(path("t"), &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	/* remount read-only, then back */
	o = (struct linx_mount_opts){ .flags = MS_RDONLY };
	linx_assert_ok(linx_mount_remount(path("t"), &o, &err), &err);
	ck_assert(has_option(path("t"), "ro"));
	o.flags = 0;
	linx_assert_ok(linx_mount_remount(path("t"), &o, &err), &err);
	ck_assert(has_option(path("t"), "rw"));
	linx_assert_ok(linx_mount_umount(path("t"), 0, NULL, &err), &err);
	ck_assert_int_eq(linx_mount_umount(path("t"), 0, NULL, &err), -EINVAL);
	ck_assert_str_eq(err.op, "umount");
}
END_TEST

/* Every flag by name, each on a fresh tmpfs, as findmnt(8) reports the
 * mount's options. */
START_TEST(every_flag_as_findmnt_sees_it)
{
	static const struct {
		const char *name, *option; /* option NULL: not shown */
	} flags[] = {
		{ "ro", "ro" },		    { "rdonly", "ro" },
		{ "nosuid", "nosuid" },	    { "nodev", "nodev" },
		{ "noexec", "noexec" },	    { "sync", "sync" },
		{ "dirsync", "dirsync" },   { "noatime", "noatime" },
		{ "nodiratime", "nodiratime" }, { "relatime", "relatime" },
		{ "lazytime", "lazytime" }, { "strictatime", NULL },
		{ "silent", NULL },
	};
	struct linx_error err;
	char target[64];

	sandbox();
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct linx_mount_opts o = { .create = true };

		o.flags = linx_mount_flag(flags[i].name);
		ck_assert_msg(o.flags, "%s is not a flag", flags[i].name);
		snprintf(target, sizeof(target), "f%zu", i);
		linx_assert_ok(linx_mount("x", path(target), "tmpfs", &o, &err),
			       &err);
		if (flags[i].option)
			ck_assert_msg(has_option(path(target),
						 flags[i].option),
				      "%s: no %s", flags[i].name,
				      flags[i].option);
	}
	/* strictatime is the absence of relatime and noatime */
	ck_assert(!has_option(path("f11"), "relatime"));
	ck_assert(!has_option(path("f11"), "noatime"));
	/* the names round-trip */
	ck_assert_str_eq(linx_mount_flag_name(MS_NOSUID), "nosuid");
	ck_assert_uint_eq(linx_mount_flag("bogus"), 0);
	ck_assert_int_eq(linx_mount_umount_flag("detach"), MNT_DETACH);
	ck_assert_int_eq(linx_mount_umount_flag("lazy"), 0);
}
END_TEST

START_TEST(read_only_bind_and_create)
{
	struct linx_mount_opts o = { .flags = MS_RDONLY, .create = true };
	struct linx_error err;
	int fd;

	sandbox();
	ck_assert_int_eq(mkdir(path("src"), 0755), 0);
	fd = open(path("file"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* A directory bind creates a directory, a file bind a file. */
	linx_assert_ok(linx_mount_bind(path("src"), path("dst"), &o, &err),
		       &err);
	ck_assert(has_option(path("dst"), "ro"));
	ck_assert_int_eq(mkdir(path("dst/x"), 0755), -1);
	ck_assert_int_eq(errno, EROFS);
	o.flags = 0;
	linx_assert_ok(linx_mount_bind(path("file"), path("fdst"), &o, &err),
		       &err);
	{
		struct stat st;

		ck_assert_int_eq(stat(path("fdst"), &st), 0);
		ck_assert(S_ISREG(st.st_mode));
	}
	/* Without create a missing target is ENOENT, and a bad flag for a
	 * bind is refused before anything. */
	o.create = false;
	ck_assert_int_eq(linx_mount_bind(path("src"), path("nope"), &o, &err),
			 -ENOENT);
	o.flags = MS_MOVE;
	ck_assert_int_eq(linx_mount_bind(path("src"), path("dst"), &o, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "flags");
}
END_TEST

/* Symlinks anywhere in a target are refused; with a root, ".." and
 * absolute links cannot leave it. */
START_TEST(symlink_and_escape_refused)
{
	struct linx_mount_opts o = { .create = true };
	struct linx_error err;

	sandbox();
	ck_assert_int_eq(mkdir(path("real"), 0755), 0);
	ck_assert_int_eq(mkdir(path("root"), 0755), 0);
	ck_assert_int_eq(symlink(path("real"), path("link")), 0);
	ck_assert_int_eq(symlink("/etc", path("root/etc")), 0);
	ck_assert_int_eq(linx_mount("x", path("link/t"), "tmpfs", &o, &err),
			 -ELOOP);
	ck_assert_int_eq(access(path("real/t"), F_OK), -1);
	ck_assert_int_eq(linx_mount("x", path("link"), "tmpfs", &o, &err),
			 -ELOOP);
	/* beneath a root */
	o.root = path("root");
	ck_assert_int_lt(linx_mount("x", "../real/u", "tmpfs", &o, &err), 0);
	ck_assert_int_eq(access(path("real/u"), F_OK), -1);
	ck_assert_int_lt(linx_mount("x", "/etc/linx-escape", "tmpfs", &o, &err),
			 0);
	ck_assert_int_eq(access("/etc/linx-escape", F_OK), -1);
	linx_assert_ok(linx_mount("x", "/inside", "tmpfs", &o, &err), &err);
	expect_fstype(path("root/inside"), "tmpfs");
	/* a relative target without a root, an empty one */
	o.root = NULL;
	ck_assert_int_eq(linx_mount("x", "rel", "tmpfs", &o, &err), -EINVAL);
	ck_assert_str_eq(err.param, "target");
	ck_assert_int_eq(linx_mount("x", "", "tmpfs", &o, &err), -EINVAL);
}
END_TEST

START_TEST(move_and_propagation)
{
	struct linx_mount_opts o = { 0 };
	struct linx_error err;
	char *out;
	int st;
	pid_t child;
	int pipefd[2];

	sandbox();
	ck_assert_int_eq(mkdir(path("a"), 0755), 0);
	ck_assert_int_eq(mkdir(path("b"), 0755), 0);
	linx_assert_ok(linx_mount("x", path("a"), "tmpfs", &o, &err), &err);
	linx_assert_ok(linx_mount_propagation(path("a"), MS_PRIVATE, NULL,
					      &err),
		       &err);
	linx_assert_ok(linx_mount_move(path("a"), path("b"), &o, &err), &err);
	expect_fstype(path("b"), "tmpfs");
	out = findmnt("FSTYPE", path("a"));
	ck_assert_str_eq(out, "");
	free(out);
	/* Shared: a mount made later in one namespace appears in the
	 * other. */
	linx_assert_ok(linx_mount_propagation(path("b"), MS_SHARED, NULL,
					      &err),
		       &err);
	out = linx_test_sh(&st, "grep ' %s ' /proc/self/mountinfo | "
				"grep -c shared:", path("b"));
	ck_assert_str_eq(out, "1\n");
	free(out);
	ck_assert_int_eq(pipe(pipefd), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		char c;

		if (unshare(CLONE_NEWNS) < 0)
			_exit(2);
		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) != 1)
			_exit(3);
		/* Held until the parent has looked at our table. */
		_exit(0);
	}
	close(pipefd[0]);
	usleep(100 * 1000);
	ck_assert_int_eq(mkdir(path("b/sub"), 0755), 0);
	linx_assert_ok(linx_mount("y", path("b/sub"), "tmpfs", &o, &err),
		       &err);
	out = linx_test_sh(&st, "grep -c ' %s ' /proc/%d/mountinfo",
			   path("b/sub"), (int)child);
	ck_assert_str_eq(out, "1\n");
	free(out);
	ck_assert_int_eq(write(pipefd[1], "x", 1), 1);
	close(pipefd[1]);
	waitpid(child, &st, 0);
	ck_assert_int_eq(linx_mount_propagation(path("b"), MS_BIND, NULL, &err),
			 -EINVAL);
}
END_TEST

/* `in` another process's mount namespace: the mount is there, not here. */
START_TEST(in_another_namespace)
{
	struct linx_mount_opts o = { .create = true };
	struct linx_ns_target in = { .kind = LINX_NS_TARGET_PID };
	struct linx_error err;
	char *out;
	int st;

	sandbox();
	in.pid = linx_test_spawn_in_ns(CLONE_NEWNS);
	o.in = &in;
	linx_assert_ok(linx_mount("x", path("inner"), "tmpfs", &o, &err), &err);
	out = linx_test_sh(&st, "grep -c ' %s ' /proc/%d/mountinfo",
			   path("inner"), (int)in.pid);
	ck_assert_str_eq(out, "1\n");
	free(out);
	out = findmnt("FSTYPE", path("inner"));
	ck_assert_str_eq(out, "");
	free(out);
	linx_assert_ok(linx_mount_umount(path("inner"), MNT_DETACH, &in, &err),
		       &err);
	out = linx_test_sh(&st, "grep -c ' %s ' /proc/%d/mountinfo",
			   path("inner"), (int)in.pid);
	ck_assert_str_eq(out, "0\n");
	free(out);
	linx_test_reap(in.pid);
	/* a pid that is gone */
	ck_assert_int_lt(linx_mount("x", path("inner"), "tmpfs", &o, &err), 0);
}
END_TEST

/* `in` a workload parked at the checkpoint (its own mount namespace,
 * before execve): the mount is what it will find when it runs. */
START_TEST(in_a_parked_workload)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_spawn_options so = { .argv = argv,
					 .namespaces = LINX_NS_MNT };
	struct linx_mount_opts o = { .create = true };
	struct linx_ns_target in = { .kind = LINX_NS_TARGET_PID };
	struct linx_agent *a;
	struct linx_process *p;
	struct linx_error err;
	char *out;
	int st;

	sandbox();
	linx_assert_ok(linx_agent_start(&a, NULL, &err), &err);
	linx_assert_ok(linx_process_spawn(a, &so, &p, &err), &err);
	ck_assert_int_eq(linx_process_wait_stage(p, LINX_PROCESS_READY, 20000,
						 &err),
			 LINX_PROCESS_READY);
	in.pid = linx_process_host_pid(p, &err);
	o.in = &in;
	linx_assert_ok(linx_mount("x", path("parked"), "tmpfs", &o, &err),
		       &err);
	out = linx_test_sh(&st, "grep -c ' %s ' /proc/%d/mountinfo",
			   path("parked"), (int)in.pid);
	ck_assert_str_eq(out, "1\n");
	free(out);
	out = findmnt("FSTYPE", path("parked"));
	ck_assert_str_eq(out, "");
	free(out);
	linx_process_abort(p, NULL);
	linx_process_wait(p, 20000, NULL, NULL);
	linx_process_free(p);
	linx_agent_free(a);
}
END_TEST

/* proc `in` a process of another pid namespace shows that namespace. */
START_TEST(proc_in_a_pid_namespace)
{
	struct linx_mount_opts o = { .create = true };
	struct linx_ns_target in = { .kind = LINX_NS_TARGET_PID };
	struct linx_error err;
	char *out, cmd[512];
	int st;

	sandbox();
	linx_test_require(linx_test_have("unshare"), "unshare(1) missing");
	out = linx_test_sh(&st, "unshare --pid --mount --fork --propagation "
				"private sleep 60 >/dev/null 2>&1 & "
				"sleep 0.3; pgrep -P $! sleep");
	in.pid = atoi(out);
	free(out);
	ck_assert_int_gt(in.pid, 0);
	o.in = &in;
	linx_assert_ok(linx_mount("proc", path("proc"), "proc", &o, &err),
		       &err);
	snprintf(cmd, sizeof(cmd), "cat /proc/%d/root%s/1/comm; ls "
				   "/proc/%d/root%s | grep -c '^[0-9]'",
		 (int)in.pid, path("proc"), (int)in.pid, path("proc"));
	out = linx_test_sh(&st, "%s", cmd);
	ck_assert_str_eq(out, "sleep\n1\n");
	free(out);
	kill(in.pid, SIGKILL);
}
END_TEST

START_TEST(pivot_root_into_a_tmpfs)
{
	struct linx_error err;
	pid_t child;
	int st;

	sandbox();
	ck_assert_int_eq(mkdir(path("new"), 0755), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct linx_mount_opts o = { 0 };

		if (unshare(CLONE_NEWNS) < 0 ||
		    linx_mount_propagation("/", MS_PRIVATE | MS_REC, NULL,
					   &err) < 0 ||
		    linx_mount("x", path("new"), "tmpfs", &o, &err) < 0 ||
		    mkdir(path("new/marker"), 0755) < 0)
			_exit(2);
		if (linx_mount_pivot_root(path("new"), NULL, NULL, &err) < 0)
			_exit(3);
		/* Only the tmpfs is left: the marker at /, no /proc, no
		 * old root. */
		_exit(access("/marker", F_OK) == 0 &&
			      access("/etc", F_OK) != 0
		      ? 0
		      : 4);
	}
	ck_assert_int_eq(waitpid(child, &st, 0), child);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	/* Not a mount point (EINVAL, or EBUSY on the root's own mount), and
	 * we are where we were. */
	ck_assert_int_lt(linx_mount_pivot_root(path("new"), NULL, NULL, &err),
			 0);
	ck_assert_str_eq(err.op, "pivot_root");
	ck_assert_int_eq(access("/etc", F_OK), 0);
}
END_TEST

/* The new API: a recursive read-only bind, which mount(2) cannot make. */
START_TEST(recursive_read_only)
{
	struct linx_mount_opts o = { .flags = MS_REC };
	struct linx_error err;

	sandbox();
	ck_assert_int_eq(mkdir(path("src"), 0755), 0);
	ck_assert_int_eq(mkdir(path("src/sub"), 0755), 0);
	ck_assert_int_eq(mkdir(path("dst"), 0755), 0);
	linx_assert_ok(linx_mount("y", path("src/sub"), "tmpfs", &o, &err),
		       &err);
	linx_assert_ok(linx_mount_bind(path("src"), path("dst"), &o, &err),
		       &err);
	linx_assert_ok(linx_mount_setattr(path("dst"), MOUNT_ATTR_RDONLY, 0,
					  true, NULL, &err),
		       &err);
	ck_assert(has_option(path("dst"), "ro"));
	ck_assert(has_option(path("dst/sub"), "ro"));
	ck_assert(has_option(path("src/sub"), "rw"));
	ck_assert_int_eq(linx_mount_setattr(path("dst"), MOUNT_ATTR_IDMAP, 0,
					    false, NULL, &err),
			 -EINVAL);
}
END_TEST

/* The new API for a filesystem: options one by one, a refused one named
 * with the filesystem's own words. */
START_TEST(fsmount_names_the_bad_option)
{
	struct linx_mount_opts o = { .create = true };
	struct linx_error err;
	struct stat st;

	sandbox();
	linx_assert_ok(linx_mount_fsmount("tmpfs", "fsm", "size=1m,mode=0711",
					  MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
					  path("f"), &o, &err),
		       &err);
	expect_fstype(path("f"), "tmpfs");
	ck_assert(has_option(path("f"), "nosuid"));
	ck_assert(has_option(path("f"), "nodev"));
	ck_assert_int_eq(stat(path("f"), &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0711);
	ck_assert_int_eq(linx_mount_fsmount("tmpfs", NULL, "size=lots",
					    0, path("g"), &o, &err),
			 -EINVAL);
	ck_assert_str_eq(err.op, "fsconfig");
	ck_assert_msg(strstr(err.message, "size"), "%s", err.message);
	ck_assert_int_ne(access(path("g/x"), F_OK), 0);
	ck_assert_int_eq(linx_mount_fsmount("nosuchfs", NULL, NULL, 0,
					    path("h"), &o, &err),
			 -ENODEV);
	ck_assert_str_eq(err.op, "fsopen");
}
END_TEST

/* An idmapped bind: files owned by 0 on the source show as the user
 * namespace maps 0, seen from outside. */
START_TEST(idmapped_bind)
{
	struct linx_mount_opts o = { .create = true };
	struct linx_ns_target userns = { .kind = LINX_NS_TARGET_PID };
	struct linx_error err;
	struct stat st;
	char *out;
	int status, r;

	sandbox();
	ck_assert_int_eq(mkdir(path("src"), 0755), 0);
	linx_assert_ok(linx_mount("x", path("src"), "tmpfs", &(struct linx_mount_opts){ 0 }, &err), &err);
	ck_assert_int_eq(mkdir(path("src/owned"), 0755), 0);
	userns.pid = linx_test_spawn_in_ns(CLONE_NEWUSER);
	out = linx_test_sh(&status,
			   "echo '0 100000 65536' > /proc/%d/uid_map && "
			   "echo '0 100000 65536' > /proc/%d/gid_map",
			   (int)userns.pid, (int)userns.pid);
	free(out);
	ck_assert_int_eq(status, 0);
	r = linx_mount_bind_idmapped(path("src"), path("dst"), &userns, false,
				     &o, &err);
	if (r == -EINVAL || r == -ENOSYS) {
		linx_test_reap(userns.pid);
		linx_test_require(false, "idmapped tmpfs not supported here: %s",
				  err.message);
	}
	linx_assert_ok(r, &err);
	ck_assert_int_eq(stat(path("dst/owned"), &st), 0);
	ck_assert_uint_eq(st.st_uid, 100000);
	/* and from inside the user namespace, root's own (the sandbox opened
	 * up so that its root, 100000 here, can walk to it) */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	out = linx_test_sh(&status, "nsenter -U -t %d stat -c %%u %s",
			   (int)userns.pid, path("dst/owned"));
	ck_assert_str_eq(out, "0\n");
	free(out);
	ck_assert_int_eq(stat(path("src/owned"), &st), 0);
	ck_assert_uint_eq(st.st_uid, 0);
	linx_test_reap(userns.pid);
	userns.kind = LINX_NS_TARGET_SELF;
	ck_assert_int_eq(linx_mount_bind_idmapped(path("src"), path("d2"),
						  &userns, false, &o, &err),
			 -EINVAL);
}
END_TEST

/* The verbs through the loaded module: flags by name, bad_flag. */
START_TEST(verbs_through_the_module)
{
	struct linx_registry *reg;
	struct linx_value args = linx_value_map(), res = linx_value_nil();
	struct linx_value flags = linx_value_list();
	struct linx_error err;
	bool found = false;

	sandbox();
	ck_assert_int_eq(mkdir(path("v"), 0755), 0);
	linx_assert_ok(linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err),
		       &err);
	linx_assert_ok(linx_registry_load_file(reg, MOUNT_MODULE, &err), &err);
	linx_list_push_cstring(&flags, "nosuid");
	linx_list_push_cstring(&flags, "bogus");
	linx_map_put_cstring(&args, "target", path("v"));
	linx_map_put_cstring(&args, "fstype", "tmpfs");
	linx_map_put(&args, "flags", &flags);
	ck_assert_int_eq(linx_call(reg, "mount.mount", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "bad_flag"));
	ck_assert_str_eq(err.object, "bogus");
	linx_value_clear(&args);
	args = linx_value_map();
	flags = linx_value_list();
	linx_list_push_cstring(&flags, "nosuid");
	linx_map_put_cstring(&args, "target", path("v"));
	linx_map_put_cstring(&args, "fstype", "tmpfs");
	linx_map_put(&args, "flags", &flags);
	linx_assert_ok(linx_call(reg, "mount.mount", &args, &res, 0, &err),
		       &err);
	linx_value_clear(&args);
	args = linx_value_map();
	linx_assert_ok(linx_call(reg, "mount.list", &args, &res, 0, &err),
		       &err);
	for (uint32_t i = 0; i < res.len; i++) {
		const struct linx_value *mp =
			linx_map_get(&res.items[i], "mount_point");

		found |= strcmp(mp->str, path("v")) == 0 &&
			 strcmp(linx_map_get(&res.items[i], "fstype")->str,
				"tmpfs") == 0;
	}
	ck_assert(found);
	linx_value_clear(&res);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mount");
	TCase *tc = tcase_create("ops");

	linx_test_require_root();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, mount_with_flags_and_data);
	tcase_add_test(tc, every_flag_as_findmnt_sees_it);
	tcase_add_test(tc, read_only_bind_and_create);
	tcase_add_test(tc, symlink_and_escape_refused);
	tcase_add_test(tc, move_and_propagation);
	tcase_add_test(tc, in_another_namespace);
	tcase_add_test(tc, in_a_parked_workload);
	tcase_add_test(tc, proc_in_a_pid_namespace);
	tcase_add_test(tc, pivot_root_into_a_tmpfs);
	tcase_add_test(tc, recursive_read_only);
	tcase_add_test(tc, fsmount_names_the_bad_option);
	tcase_add_test(tc, idmapped_bind);
	tcase_add_test(tc, verbs_through_the_module);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
