/* SPDX-License-Identifier: MIT */
/*
 * The seccomp plugin: build errors, the data form round trip, the exported
 * program and the syscall groups checked against scmp_sys_resolver, empty
 * lists refused, and filters installed in workloads: errno, kill, a group
 * closing the mkdirat gap, an allow-list, the x32 and i386 side doors
 * (each its own meson test, skipped where the machine lacks the entry),
 * and the no_new_privs rule.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linx/caps.h>
#include <linx/seccomp.h>

#include "proc-test.h"

extern const struct linx_plugin linx_plugin_seccomp;

static const struct linx_seccomp_action ALLOW = { LINX_SECCOMP_ALLOW, 0 };
static const struct linx_seccomp_action KILL = { LINX_SECCOMP_KILL_PROCESS, 0 };
static const struct linx_seccomp_action EACCES_ACT = { LINX_SECCOMP_ERRNO,
						       EACCES };

START_TEST(build_errors)
{
	static const char *const typo[] = { "read", "not_a_real_syscall" };
	static const char *const dup[] = { "read", "write", "read" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_seccomp_action bad = { 99, 0 }, big = { LINX_SECCOMP_ERRNO,
							     5000 };
	struct linx_error err;

	ck_assert_int_eq(linx_seccomp_allow_list(typo, 2, KILL, 0, &f, &err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "unknown_syscall"));
	ck_assert_ptr_nonnull(strstr(err.message, "not_a_real_syscall"));
	ck_assert_int_eq(linx_seccomp_allow_list(dup, 3, KILL, 0, &f, &err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate_rule"));
	ck_assert_int_eq(linx_seccomp_allow_list(typo, 1, bad, 0, &f, &err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "bad_action"));
	ck_assert_int_eq(linx_seccomp_deny_list(typo, 1, big, ALLOW, 0, &f,
						&err),
			 -EINVAL);
	ck_assert_int_eq(linx_seccomp_allow_list(typo, 1, KILL, 1u << 30, &f,
						 &err),
			 -EINVAL);
	ck_assert_ptr_null(f);
	ck_assert_str_eq(linx_seccomp_arch(), "x86_64");
	ck_assert(linx_seccomp_supported());
}
END_TEST

START_TEST(rules_round_trip)
{
	struct linx_seccomp_rule rules[] = {
		{ .syscall = "read", .action = ALLOW },
		{ .syscall = "ptrace", .action = EACCES_ACT },
		{ .syscall = "kexec_load", .action = KILL },
		{ .syscall = "socket", .action = { LINX_SECCOMP_ERRNO, 97 },
		  .n_cmps = 1,
		  .cmps = { { 0, LINX_SECCOMP_NE, 1, 0 } } },
		{ .syscall = "ioctl", .action = { LINX_SECCOMP_LOG, 0 },
		  .n_cmps = 1,
		  .cmps = { { 1, LINX_SECCOMP_MASKED_EQ, 0x5400, 0xff00 } } },
	};
	struct linx_seccomp_filter *f = NULL, *g = NULL;
	struct linx_value v1, v2;
	struct linx_error err;
	size_t l1, l2;
	const void *b1, *b2;

	linx_assert_ok(linx_seccomp_filter_new(rules, 5, ALLOW,
					       LINX_SECCOMP_ARCH_X86_64, &f,
					       &err),
		       &err);
	linx_assert_ok(linx_seccomp_filter_to_value(f, &v1, &err), &err);
	ck_assert_str_eq(linx_map_get(&v1, "default")->str, "allow");
	{
		/* Known errnos render by name, others by number. */
		const struct linx_value *r = linx_map_get(&v1, "rules");
		const struct linx_value *a1 = linx_map_get(&r->items[1], "action");
		const struct linx_value *a3 = linx_map_get(&r->items[3], "action");

		ck_assert_str_eq(linx_map_get(a1, "errno")->str, "eacces");
		ck_assert_str_eq(linx_map_get(a3, "errno")->str, "eafnosupport");
		ck_assert_ptr_nonnull(linx_map_get(&r->items[4], "args"));
		ck_assert_ptr_null(linx_map_get(&r->items[0], "args"));
	}
	linx_assert_ok(linx_seccomp_filter_from_value(&v1, &g, &err), &err);
	linx_assert_ok(linx_seccomp_filter_to_value(g, &v2, &err), &err);
	ck_assert(linx_value_equal(&v1, &v2));
	/* The same rules compile to the same program. */
	b1 = linx_seccomp_filter_bpf(f, &l1);
	b2 = linx_seccomp_filter_bpf(g, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert(memcmp(b1, b2, l1) == 0);
	linx_value_clear(&v1);
	linx_value_clear(&v2);
	linx_seccomp_filter_free(f);
	linx_seccomp_filter_free(g);
}
END_TEST

START_TEST(verbs_and_errno_names)
{
	const struct linx_plugin *plugins[] = { &linx_plugin_seccomp };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	struct linx_value args = linx_value_map(), res, res2, l = linx_value_list(),
			  act = linx_value_map();
	struct linx_error err;
	const struct linx_value *rules;

	linx_list_push_cstring(&l, "ptrace");
	linx_map_put(&args, "syscalls", &l);
	linx_map_put_cstring(&act, "errno", "eacces");
	linx_map_put(&args, "deny_action", &act);
	linx_assert_ok(linx_call(reg, "seccomp.deny_list", &args, &res, 0, &err),
		       &err);
	ck_assert_str_eq(linx_map_get(&res, "arch")->str, "x86_64");
	ck_assert_uint_eq(linx_map_get(&res, "bpf")->len % 8, 0);
	rules = linx_map_get(&res, "rules");
	ck_assert_str_eq(
		linx_map_get(linx_map_get(&linx_map_get(rules, "rules")->items[0],
					  "action"),
			     "errno")
			->str,
		"eacces");
	linx_value_clear(&args);
	/* to_rules gives back the rules; from_rules rebuilds the program. */
	args = linx_value_map();
	linx_value_copy(&l, &res);
	linx_map_put(&args, "filter", &l);
	linx_assert_ok(linx_call(reg, "seccomp.to_rules", &args, &res2, 0, &err),
		       &err);
	ck_assert(linx_value_equal(&res2, rules));
	linx_value_clear(&args);
	args = linx_value_map();
	l = linx_value_nil();
	linx_value_copy(&l, linx_map_get(&res2, "rules"));
	linx_map_put(&args, "rules", &l);
	linx_value_copy(&l, linx_map_get(&res2, "default"));
	linx_map_put(&args, "default", &l);
	linx_value_clear(&res2);
	linx_assert_ok(linx_call(reg, "seccomp.from_rules", &args, &res2, 0,
				 &err),
		       &err);
	ck_assert(linx_value_equal(linx_map_get(&res2, "bpf"),
				   linx_map_get(&res, "bpf")));
	linx_value_clear(&args);
	linx_value_clear(&res);
	linx_value_clear(&res2);
	/* A raw program has no rules to give back. */
	args = linx_value_map();
	l = linx_value_map();
	linx_map_put_bytes(&l, "bpf", "\0\0\0\0\0\0\0\0", 8);
	linx_map_put(&args, "filter", &l);
	ck_assert_int_eq(linx_call(reg, "seccomp.to_rules", &args, &res, 0, &err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "no_rules"));
	linx_value_clear(&args);
	/* install is for the parked child only. */
	args = linx_value_map();
	linx_map_put_bytes(&args, "bpf", "\0\0\0\0\0\0\0\0", 8);
	ck_assert_int_eq(linx_call(reg, "seccomp.install", &args, &res, 0, &err),
			 -EPERM);
	linx_value_clear(&args);
	linx_registry_free(reg);
}
END_TEST

START_TEST(program_matches_scmp_sys_resolver)
{
	static const char *const deny[] = { "getpid" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_error err;
	const struct sock_filter *insn;
	size_t len;
	char *out;
	int status, nr;
	bool arch_checked = false, nr_checked = false;

	linx_test_require(linx_test_have("scmp_sys_resolver"),
			  "scmp_sys_resolver (package seccomp) missing");
	out = linx_test_sh(&status, "scmp_sys_resolver getpid");
	nr = atoi(out);
	free(out);
	linx_assert_ok(linx_seccomp_deny_list(deny, 1, EACCES_ACT, ALLOW, 0, &f,
					      &err),
		       &err);
	insn = linx_seccomp_filter_bpf(f, &len);
	for (size_t i = 0; i < len / 8; i++) {
		if (insn[i].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
		    insn[i].k == AUDIT_ARCH_X86_64)
			arch_checked = true;
		if (insn[i].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
		    insn[i].k == (unsigned)nr)
			nr_checked = true;
	}
	ck_assert(arch_checked);
	ck_assert(nr_checked);
	/* The last instruction answers for a foreign arch: kill the
	 * process (SECCOMP_RET_KILL_PROCESS). */
	ck_assert_uint_eq(insn[len / 8 - 1].code, BPF_RET | BPF_K);
	ck_assert_uint_eq(insn[len / 8 - 1].k, 0x80000000u);
	linx_seccomp_filter_free(f);
}
END_TEST

/* seccomp.syscalls against scmp_sys_resolver, for both architectures
 * (each direction, names the two tables disagree on would show). */
START_TEST(syscall_table_matches_scmp_sys_resolver)
{
	static const char *const arches[] = { "x86_64", "aarch64" };
	static const char *const names[] = { "read", "openat", "seccomp",
					     "clone3", "execve", "pidfd_open" };
	const struct linx_plugin *plugins[] = { &linx_plugin_seccomp };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	struct linx_error err;

	linx_test_require(linx_test_have("scmp_sys_resolver"),
			  "scmp_sys_resolver (package seccomp) missing");
	for (size_t a = 0; a < 2; a++) {
		struct linx_value args = linx_value_map(), res;

		linx_map_put_cstring(&args, "arch", arches[a]);
		linx_assert_ok(linx_call(reg, "seccomp.syscalls", &args, &res,
					 0, &err),
			       &err);
		ck_assert_uint_gt(res.len, 250);
		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
			char *out;
			int status;
			int64_t nr = -1;

			out = linx_test_sh(&status, "scmp_sys_resolver -a %s %s",
					   arches[a], names[i]);
			linx_value_get_i64(linx_map_get(&res, names[i]), &nr);
			ck_assert_msg(nr == atoi(out), "%s on %s: %" PRId64
				      " here, %s from scmp_sys_resolver",
				      names[i], arches[a], nr, out);
			free(out);
		}
		linx_value_clear(&res);
		linx_value_clear(&args);
	}
	{
		struct linx_value args = linx_value_map(), res;

		linx_map_put_cstring(&args, "arch", "vax");
		ck_assert_int_eq(linx_call(reg, "seccomp.syscalls", &args, &res,
					   0, &err),
				 -EINVAL);
		ck_assert_str_eq(err.param, "arch");
		linx_value_clear(&args);
	}
	linx_registry_free(reg);
}
END_TEST

/* Run the probe in `mode` under filter `f`; return the result. */
static struct linx_process_result run_probe(struct linx_seccomp_filter *f,
					    const char *mode, bool nnp)
{
	const char *argv[] = { PROBE, mode, NULL };
	struct linx_spawn_options o = { .argv = argv, .no_new_privs = nnp };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn_opts(a, &o);
	struct linx_process_result res;
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	if (f)
		linx_assert_ok(linx_seccomp_process_install(p, f, &err), &err);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	linx_process_free(p);
	linx_agent_free(a);
	return res;
}

START_TEST(denied_syscall_gets_errno)
{
	static const char *const deny[] = { "getpid" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_process_result r;
	struct linx_error err;

	r = run_probe(NULL, "native", false);
	ck_assert_int_eq(r.value, 0);
	linx_assert_ok(linx_seccomp_deny_list(deny, 1, EACCES_ACT, ALLOW, 0, &f,
					      &err),
		       &err);
	r = run_probe(f, "native", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(r.value, EACCES);
	linx_seccomp_filter_free(f);
	/* kill_process instead of an errno. */
	linx_assert_ok(linx_seccomp_deny_list(deny, 1, KILL, ALLOW, 0, &f, &err),
		       &err);
	r = run_probe(f, "native", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_SIGNALED);
	ck_assert_int_eq(r.value, SIGSYS);
	linx_seccomp_filter_free(f);
}
END_TEST

/* Every group member is in this architecture's syscall table as the
 * kernel numbers it (scmp_sys_resolver, not our own resolver), every
 * `compat` name is absent from x86_64 but present in the i386 table, and
 * every nested group exists. */
START_TEST(groups_match_the_kernel_table)
{
	size_t n;
	const struct linx_seccomp_group *g = linx_seccomp_groups(&n);

	linx_test_require(linx_test_have("scmp_sys_resolver"),
			  "scmp_sys_resolver (package seccomp) missing");
	ck_assert_uint_ge(n, 12);
	for (size_t i = 0; i < n; i++) {
		char *out;
		int status;

		ck_assert_msg(g[i].name[0] == '@' && *g[i].members,
			      "group %zu", i);
		ck_assert_ptr_eq(linx_seccomp_group_find(g[i].name,
							 strlen(g[i].name)),
				 &g[i]);
		/* One shell per group: each member printed with its number
		 * in the native table, each compat name with the pair. */
		out = linx_test_sh(
			&status,
			"for s in %s; do case $s in @*) echo \"$s\";; *) echo "
			"\"$s $(scmp_sys_resolver -a x86_64 $s)\";; esac; done; "
			"for s in %s; do echo \"compat $s $(scmp_sys_resolver "
			"-a x86_64 $s) $(scmp_sys_resolver -a x86 $s)\"; done",
			g[i].members, g[i].compat);
		ck_assert_int_eq(status, 0);
		for (char *line = strtok(out, "\n"); line;
		     line = strtok(NULL, "\n")) {
			char name[64];
			int nr, nr32;

			if (line[0] == '@') {
				ck_assert_msg(linx_seccomp_group_find(
						      line, strlen(line)) &&
						      strcmp(line, g[i].name),
					      "%s: nested %s", g[i].name, line);
			} else if (sscanf(line, "compat %63s %d %d", name, &nr,
					  &nr32) == 3) {
				ck_assert_msg(nr < 0 && nr32 >= 0,
					      "%s: compat %s is %d on x86_64, "
					      "%d on x86",
					      g[i].name, name, nr, nr32);
			} else {
				ck_assert_msg(sscanf(line, "%63s %d", name,
						     &nr) == 2 &&
						      nr >= 0,
					      "%s: %s is not an x86_64 syscall",
					      g[i].name, line);
			}
		}
		free(out);
	}
}
END_TEST

static bool rules_have(const struct linx_value *v, const char *syscall,
		       const char *action)
{
	const struct linx_value *rules = linx_map_get(v, "rules");

	for (uint32_t i = 0; i < rules->len; i++) {
		const struct linx_value *a =
			linx_map_get(&rules->items[i], "action");

		if (strcmp(linx_map_get(&rules->items[i], "syscall")->str,
			   syscall) == 0)
			return a->type == LINX_STRING ? strcmp(a->str, action) == 0
						      : strcmp(action, "errno") == 0;
	}
	return false;
}

START_TEST(groups_expand_everywhere)
{
	static const char *const mount_group[] = { "@mount" };
	static const char *const nested[] = { "@privileged" };
	static const char *const mixed[] = { "@mount", "@file-system", "mount" };
	static const char *const unknown[] = { "@no-such-group" };
	static const char *const blank[] = { "read", " " };
	struct linx_seccomp_rule rules[] = {
		{ .syscall = "@mount", .action = EACCES_ACT },
		{ .syscall = "mount", .action = KILL },
	};
	struct linx_seccomp_filter *f = NULL;
	struct linx_value v;
	struct linx_error err;

	/* A list: the group's members, each with the list's action. */
	linx_assert_ok(linx_seccomp_deny_list(mount_group, 1, EACCES_ACT, ALLOW,
					      0, &f, &err),
		       &err);
	linx_assert_ok(linx_seccomp_filter_to_value(f, &v, &err), &err);
	ck_assert(rules_have(&v, "mount", "errno"));
	ck_assert(rules_have(&v, "umount2", "errno"));
	ck_assert(rules_have(&v, "move_mount", "errno"));
	/* umount exists only for i386: kept, harmless on x86_64. */
	ck_assert(rules_have(&v, "umount", "errno"));
	ck_assert(!rules_have(&v, "read", "errno"));
	linx_value_clear(&v);
	linx_seccomp_filter_free(f);
	/* Nested groups flatten. */
	linx_assert_ok(linx_seccomp_deny_list(nested, 1, EACCES_ACT, ALLOW, 0,
					      &f, &err),
		       &err);
	linx_assert_ok(linx_seccomp_filter_to_value(f, &v, &err), &err);
	ck_assert(rules_have(&v, "setuid", "errno"));
	ck_assert(rules_have(&v, "kexec_load", "errno")); /* via @reboot */
	ck_assert(rules_have(&v, "iopl", "errno"));	  /* via @raw-io */
	linx_value_clear(&v);
	linx_seccomp_filter_free(f);
	/* Overlaps (mount is in @mount and named alone) are merged, not
	 * duplicate_rule; explicit duplicates still are. */
	linx_assert_ok(linx_seccomp_deny_list(mixed, 3, EACCES_ACT, ALLOW, 0,
					      &f, &err),
		       &err);
	linx_assert_ok(linx_seccomp_filter_to_value(f, &v, &err), &err);
	ck_assert(rules_have(&v, "mkdirat", "errno"));
	ck_assert(rules_have(&v, "openat", "errno"));
	linx_value_clear(&v);
	linx_seccomp_filter_free(f);
	/* Rules: an explicit rule wins over its group's, whatever the order. */
	linx_assert_ok(linx_seccomp_filter_new(rules, 2, ALLOW, 0, &f, &err),
		       &err);
	linx_assert_ok(linx_seccomp_filter_to_value(f, &v, &err), &err);
	ck_assert(rules_have(&v, "mount", "kill_process"));
	ck_assert(rules_have(&v, "pivot_root", "errno"));
	/* The data form takes groups too, and round-trips expanded. */
	{
		struct linx_value in = linx_value_map(), rl = linx_value_list(),
				  r1 = linx_value_map(), v2;
		struct linx_seccomp_filter *g = NULL;

		linx_map_put_cstring(&in, "default", "allow");
		linx_map_put_cstring(&r1, "syscall", "@mount");
		linx_map_put_cstring(&r1, "action", "kill_process");
		linx_list_push(&rl, &r1);
		linx_map_put(&in, "rules", &rl);
		linx_assert_ok(linx_seccomp_filter_from_value(&in, &g, &err),
			       &err);
		linx_assert_ok(linx_seccomp_filter_to_value(g, &v2, &err), &err);
		ck_assert(rules_have(&v2, "fsmount", "kill_process"));
		linx_value_clear(&v2);
		linx_value_clear(&in);
		linx_seccomp_filter_free(g);
	}
	linx_value_clear(&v);
	linx_seccomp_filter_free(f);
	f = NULL;
	/* Errors name the parameter. */
	ck_assert_int_eq(linx_seccomp_deny_list(unknown, 1, EACCES_ACT, ALLOW, 0,
						&f, &err),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "unknown_group"));
	ck_assert_str_eq(err.param, "syscalls");
	ck_assert_int_eq(linx_seccomp_deny_list(blank, 2, EACCES_ACT, ALLOW, 0,
						&f, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "syscalls");
	ck_assert_ptr_null(f);
}
END_TEST

/* Issue 9.5: a restriction list with nothing in it is refused, never
 * built into a filter that restricts nothing. */
START_TEST(empty_lists_are_refused)
{
	static const char *const none[] = { NULL };
	const struct linx_plugin *plugins[] = { &linx_plugin_seccomp };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	static const char *const verbs[] = { "seccomp.deny_list",
					     "seccomp.allow_list",
					     "seccomp.from_rules" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_value args, res;
	struct linx_error err;

	ck_assert_int_eq(linx_seccomp_deny_list(none, 0, EACCES_ACT, ALLOW, 0,
						&f, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "syscalls");
	ck_assert_ptr_nonnull(strstr(err.message, "empty_list"));
	ck_assert_int_eq(linx_seccomp_allow_list(none, 0, KILL, 0, &f, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "syscalls");
	ck_assert_int_eq(linx_seccomp_filter_new(NULL, 0, KILL, 0, &f, &err),
			 -EINVAL);
	ck_assert_str_eq(err.param, "rules");
	ck_assert_ptr_null(f);
	for (size_t i = 0; i < 3; i++) {
		struct linx_value l = linx_value_list();
		bool rules = i == 2;

		args = linx_value_map();
		linx_map_put(&args, rules ? "rules" : "syscalls", &l);
		if (rules)
			linx_map_put_cstring(&args, "default", "kill_process");
		ck_assert_int_eq(linx_call(reg, verbs[i], &args, &res, 0, &err),
				 -EINVAL);
		ck_assert_str_eq(err.param, rules ? "rules" : "syscalls");
		ck_assert_ptr_nonnull(strstr(err.message, "empty_list"));
		linx_value_clear(&args);
	}
	linx_registry_free(reg);
}
END_TEST

/* The gap the groups close, live: denying mkdir leaves mkdirat (the
 * probe's mkdirat gets the kernel's ENOENT), denying @file-system does
 * not (EACCES from the filter). */
START_TEST(a_group_closes_the_at_variant)
{
	static const char *const mkdir_only[] = { "mkdir" };
	static const char *const fs[] = { "@file-system" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_process_result r;
	struct linx_error err;

	r = run_probe(NULL, "mkdirat", false);
	ck_assert_int_eq(r.value, ENOENT);
	linx_assert_ok(linx_seccomp_deny_list(mkdir_only, 1, EACCES_ACT, ALLOW,
					      0, &f, &err),
		       &err);
	r = run_probe(f, "mkdirat", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(r.value, ENOENT);
	linx_seccomp_filter_free(f);
	linx_assert_ok(linx_seccomp_deny_list(fs, 1, EACCES_ACT, ALLOW, 0, &f,
					      &err),
		       &err);
	r = run_probe(f, "mkdirat", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(r.value, EACCES);
	linx_seccomp_filter_free(f);
}
END_TEST

/* Through another ABI the same syscall is not merely "not denied": the
 * process dies.  x32 numbers reach seccomp as AUDIT_ARCH_X86_64 with
 * __X32_SYSCALL_BIT whether or not the kernel has CONFIG_X86_X32_ABI
 * (unfiltered, x32 getpid is ENOSYS or works). */
START_TEST(x32_cannot_bypass)
{
	static const char *const deny[] = { "getpid" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_process_result r;
	struct linx_error err;

	linx_assert_ok(linx_seccomp_deny_list(deny, 1, EACCES_ACT, ALLOW, 0, &f,
					      &err),
		       &err);
	r = run_probe(f, "x32", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_SIGNALED);
	ck_assert_int_eq(r.value, SIGSYS);
	linx_seccomp_filter_free(f);
}
END_TEST

/* int 0x80 enters the i386 table (AUDIT_ARCH_I386).  Needs IA32
 * emulation: main() runs this case alone, as its own meson test, and
 * skips it with the reason where `int 0x80` faults even unfiltered. */
START_TEST(i386_cannot_bypass)
{
	static const char *const deny[] = { "getpid" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_process_result r;
	struct linx_error err;

	r = run_probe(NULL, "i386", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(r.value, 0);
	linx_assert_ok(linx_seccomp_deny_list(deny, 1, EACCES_ACT, ALLOW, 0, &f,
					      &err),
		       &err);
	r = run_probe(f, "i386", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_SIGNALED);
	ck_assert_int_eq(r.value, SIGSYS);
	linx_seccomp_filter_free(f);
	/* Asked for explicitly, i386 is filtered by its own table. */
	linx_assert_ok(linx_seccomp_deny_list(deny, 1, EACCES_ACT, ALLOW,
					      LINX_SECCOMP_ARCH_X86_64 |
						      LINX_SECCOMP_ARCH_X86,
					      &f, &err),
		       &err);
	r = run_probe(f, "i386", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(r.value, EACCES);
	linx_seccomp_filter_free(f);
}
END_TEST

START_TEST(allow_list_kills_the_rest)
{
	/* What the static probe needs from execve to exit. */
	static const char *const allow[] = {
		"execve", "brk", "arch_prctl", "set_tid_address",
		"set_robust_list", "rseq", "prlimit64", "readlinkat",
		"readlink", "getrandom", "mprotect", "uname", "exit_group",
		"exit", "mmap", "munmap", "newfstatat", "fstat", "write",
	};
	struct linx_seccomp_filter *f = NULL;
	struct linx_process_result r;
	struct linx_error err;

	linx_assert_ok(linx_seccomp_allow_list(allow, sizeof(allow) /
							      sizeof(allow[0]),
					       KILL, 0, &f, &err),
		       &err);
	r = run_probe(f, "ok", false);
	ck_assert_msg(r.stage == LINX_PROCESS_EXITED && r.value == 0,
		      "the allow-list does not even let the probe start "
		      "(stage %u value %d)",
		      r.stage, r.value);
	r = run_probe(f, "native", false);
	ck_assert_int_eq(r.stage, LINX_PROCESS_SIGNALED);
	ck_assert_int_eq(r.value, SIGSYS);
	linx_seccomp_filter_free(f);
}
END_TEST

START_TEST(no_new_privs_rule)
{
	static const char *const argv[] = {
		"/bin/sh", "-c", "grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status",
		NULL
	};
	static const char *const deny[] = { "kexec_load" };
	struct linx_seccomp_filter *f = NULL;
	struct linx_agent *a = pt_agent();
	struct linx_process *p;
	struct linx_error err;

	linx_assert_ok(linx_seccomp_deny_list(deny, 1, EACCES_ACT, ALLOW, 0, &f,
					      &err),
		       &err);
	/* With CAP_SYS_ADMIN the kernel needs no no_new_privs... */
	p = pt_spawn(a, 0, argv);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_seccomp_process_install(p, f, &err), &err);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(pt_result(p).value, 1); /* grep found no "1" */
	linx_process_free(p);
	/* ...without it, no_new_privs is set before the filter goes on. */
	p = pt_spawn(a, 0, argv);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_caps_process_drop_bounding(p, 1ull << 21, &err),
		       &err);
	linx_assert_ok(linx_caps_process_set_thread_sets(p, 0, 0, 0, &err),
		       &err);
	linx_assert_ok(linx_seccomp_process_install(p, f, &err), &err);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(pt_result(p).value, 0);
	linx_process_free(p);
	linx_seccomp_filter_free(f);
	linx_agent_free(a);
}
END_TEST

/* `test-seccomp` runs everything that needs no optional ABI entry;
 * `test-seccomp x32` and `test-seccomp i386` run one side door each, so
 * meson reports them as their own tests and a host without that entry
 * shows a SKIP with the reason (a failure in the VM lane, where
 * LINX_TEST_NO_SKIP=1).  x32 needs only the `syscall` instruction and
 * runs nearly everywhere; i386 needs IA32 emulation. */
int main(int argc, char **argv)
{
	Suite *s = suite_create("seccomp");
	TCase *tc = tcase_create("seccomp");
	const char *only = argc > 1 ? argv[1] : "";

	linx_test_require_root();
	setenv(LINX_PLUGIN_PATH_ENV, PLUGIN_PATH, 1);
	if (strcmp(only, "i386") == 0) {
		linx_test_require(linx_test_has_ia32_entry(),
				  "int 0x80 faults with no filter: this "
				  "machine has no IA32 syscall entry, so "
				  "there is no i386 side door to close");
		tcase_add_test(tc, i386_cannot_bypass);
	} else if (strcmp(only, "x32") == 0) {
		linx_test_require(linx_test_has_x32_entry(),
				  "an x32 syscall kills an unfiltered "
				  "process here");
		tcase_add_test(tc, x32_cannot_bypass);
	} else {
		tcase_add_test(tc, build_errors);
		tcase_add_test(tc, rules_round_trip);
		tcase_add_test(tc, verbs_and_errno_names);
		tcase_add_test(tc, program_matches_scmp_sys_resolver);
		tcase_add_test(tc, syscall_table_matches_scmp_sys_resolver);
		tcase_add_test(tc, groups_match_the_kernel_table);
		tcase_add_test(tc, groups_expand_everywhere);
		tcase_add_test(tc, empty_lists_are_refused);
		tcase_add_test(tc, denied_syscall_gets_errno);
		tcase_add_test(tc, a_group_closes_the_at_variant);
		tcase_add_test(tc, allow_list_kills_the_rest);
		tcase_add_test(tc, no_new_privs_rule);
	}
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
