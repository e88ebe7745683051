/* SPDX-License-Identifier: MIT */
/*
 * linx/seccomp.h - syscall filters: build (libseccomp), export, install.
 *
 * A filter is a list of rules - a syscall name, an action and optional
 * argument comparisons - plus a default action, compiled to a classic BPF
 * program (seccomp(2), Documentation/userspace-api/seccomp_filter.rst).
 * Building is plain host-side work; installing acts on the calling thread
 * and never comes off, so a workload gets its filter inside the child
 * parked at the checkpoint, as the very last step before execve(2): the
 * filter screens the workload's execve itself and nothing of the agent's
 * (so an allow-list must allow execve).
 *
 * Architectures: a filter allows only the ABIs it is built for (by default
 * the native one) and kills the process on any other.  On x86_64 that
 * includes the x32 ABI (syscall numbers with bit 30 set, AUDIT_ARCH_X86_64)
 * and i386 (int 0x80, AUDIT_ARCH_I386): a deny-list built for x86_64 cannot
 * be bypassed by calling the same syscall through another ABI.
 *
 * Names are exact: denying "mkdir" leaves "mkdirat", "open" leaves
 * "openat" (what glibc's open() calls), "clone" leaves "clone3", "stat"
 * leaves "newfstatat" and "statx".  A deny-list meant to stop an action
 * must name every syscall that performs it; the named groups below do
 * that for the usual sets.
 *
 * Groups: wherever a syscall name is taken (rules, allow and deny lists,
 * the data form), "@name" stands for a group of syscalls
 * (linx_seccomp_groups() lists them: "@mount", "@file-system",
 * "@privileged" ...).  A group member this machine's libseccomp does not
 * know is skipped; a syscall named explicitly must be known.  An explicit
 * rule for a syscall takes precedence over a group's, and among groups the
 * first that names a syscall wins; filter_to_value() reports the expanded
 * rules.  An unknown group is "unknown_group".
 *
 * Restriction lists are never empty: a list of no syscalls (or one whose
 * groups all expand to nothing here) is "empty_list", so a missing list
 * cannot silently mean "no filter".
 *
 * Errors are EINVAL with err->param set and a message starting with the
 * reason: "unknown_syscall", "unknown_group", "empty_list", "bad_action",
 * "duplicate_rule", "bad_rule", "bad_arch"; E2BIG for a program past BPF_MAXINSNS.  Install failures use
 * the stages "seccomp_no_new_privs" and "seccomp_install".
 */
#ifndef LINX_SECCOMP_H
#define LINX_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

enum linx_seccomp_action_kind {
	LINX_SECCOMP_ALLOW = 0,
	LINX_SECCOMP_ERRNO,	   /* fail with errno_value */
	LINX_SECCOMP_KILL_PROCESS, /* SIGSYS, the whole process */
	LINX_SECCOMP_KILL_THREAD,
	LINX_SECCOMP_TRAP, /* deliver SIGSYS */
	LINX_SECCOMP_LOG,  /* allow, and log */
};

struct linx_seccomp_action {
	uint32_t kind;	      /* enum linx_seccomp_action_kind */
	uint32_t errno_value; /* LINX_SECCOMP_ERRNO: 0..4095 */
};

enum linx_seccomp_op {
	LINX_SECCOMP_EQ = 1,
	LINX_SECCOMP_NE,
	LINX_SECCOMP_LT,
	LINX_SECCOMP_LE,
	LINX_SECCOMP_GT,
	LINX_SECCOMP_GE,
	LINX_SECCOMP_MASKED_EQ, /* (arg & mask) == value */
};

struct linx_seccomp_cmp {
	uint32_t arg; /* 0..5 */
	uint32_t op;  /* enum linx_seccomp_op */
	uint64_t value;
	uint64_t mask; /* LINX_SECCOMP_MASKED_EQ only */
};

#define LINX_SECCOMP_MAX_CMPS 6

struct linx_seccomp_rule {
	const char *syscall; /* "read", "openat" ... (this arch's names) */
	struct linx_seccomp_action action;
	uint32_t n_cmps;
	struct linx_seccomp_cmp cmps[LINX_SECCOMP_MAX_CMPS];
};

/* ABIs a filter allows; 0 means the native one only. */
#define LINX_SECCOMP_ARCH_X86_64 0x1u
#define LINX_SECCOMP_ARCH_X86 0x2u /* i386 */
#define LINX_SECCOMP_ARCH_X32 0x4u
#define LINX_SECCOMP_ARCH_AARCH64 0x8u

struct linx_seccomp_filter;

/* A named group of syscalls.  `members` and `compat` are space-separated
 * names; a member starting with '@' is another group.  `compat` names
 * exist only on 32-bit ABIs (i386): absent from the x86_64 table, they
 * still filter the x86 ABI when a filter admits it. */
struct linx_seccomp_group {
	const char *name; /* "@mount" */
	const char *summary;
	const char *members;
	const char *compat;
};

/* The static table of groups (never freed); *ret_n gets its length. */
const struct linx_seccomp_group *linx_seccomp_groups(size_t *ret_n);

/* The group called name[0..len), or NULL. */
const struct linx_seccomp_group *linx_seccomp_group_find(const char *name,
							  size_t len);

/*
 * Compile `rules` (n >= 1; a rule's syscall may be "@group") with default
 * action `def`.  The rules are copied, groups expanded (the filter keeps
 * them for linx_seccomp_filter_to_value).  *ret is owned by
 * the caller (linx_seccomp_filter_free).
 */
int linx_seccomp_filter_new(const struct linx_seccomp_rule *rules, size_t n,
			    struct linx_seccomp_action def, uint32_t arches,
			    struct linx_seccomp_filter **ret,
			    struct linx_error *err);

/* Every listed syscall (or "@group") allowed, the rest get `def`
 * (typically KILL_PROCESS).  n == 0 is "empty_list". */
int linx_seccomp_allow_list(const char *const *syscalls, size_t n,
			    struct linx_seccomp_action def, uint32_t arches,
			    struct linx_seccomp_filter **ret,
			    struct linx_error *err);

/* Every listed syscall (or "@group") gets `deny` (typically ERRNO
 * EPERM), the rest `def` (typically ALLOW).  n == 0 is "empty_list". */
int linx_seccomp_deny_list(const char *const *syscalls, size_t n,
			   struct linx_seccomp_action deny,
			   struct linx_seccomp_action def, uint32_t arches,
			   struct linx_seccomp_filter **ret,
			   struct linx_error *err);

void linx_seccomp_filter_free(struct linx_seccomp_filter *f);

/* The compiled program: an array of struct sock_filter (8 bytes each),
 * borrowed from the filter. */
const void *linx_seccomp_filter_bpf(const struct linx_seccomp_filter *f,
				    size_t *ret_len);

/*
 * The data form of the rules (the spec's to_rules):
 *   {"default": ACTION, "arches": ["x86_64", ...],
 *    "rules": [{"syscall": "read", "action": ACTION,
 *               "args": [{"arg": 0, "op": "eq", "value": N, "mask": M}]}]}
 * ACTION is "allow", "kill_process", "kill_thread", "trap", "log" or
 * {"errno": "eperm" | N}.  "args" appears only when a rule has
 * comparisons, "mask" only for "masked_eq".  from_value parses the same
 * shape (the spec's from_rules); the two round-trip.
 */
int linx_seccomp_filter_to_value(const struct linx_seccomp_filter *f,
				 struct linx_value *ret,
				 struct linx_error *err);
int linx_seccomp_filter_from_value(const struct linx_value *v,
				   struct linx_seccomp_filter **ret,
				   struct linx_error *err);

/* Parse an "arches" list (["x86_64", "x86", ...]; NULL or nil: 0, the
 * native ABI) into LINX_SECCOMP_ARCH_* bits. */
int linx_seccomp_arches_from_value(const struct linx_value *v, uint32_t *ret,
				   struct linx_error *err);

/* Parse / render one action in that form. */
int linx_seccomp_action_from_value(const struct linx_value *v,
				   struct linx_seccomp_action *ret,
				   struct linx_error *err);

/*
 * Install a BPF program on the calling thread (seccomp(2)
 * SECCOMP_SET_MODE_FILTER).  The kernel demands no_new_privs or
 * CAP_SYS_ADMIN; without the capability, no_new_privs is set first
 * (stage "seccomp_no_new_privs" if that fails).
 */
int linx_seccomp_install_bpf(const void *bpf, size_t len,
			     struct linx_error *err);

/* "x86_64", "aarch64" or "unsupported". */
const char *linx_seccomp_arch(void);

/* True if /proc/self/status has a Seccomp line. */
bool linx_seccomp_supported(void);

/* ---- on a parked session (not available to plugin modules) ----------- */

struct linx_process;

/* Install `f` in the parked child, just before its execve. */
int linx_seccomp_process_install(struct linx_process *proc,
				 const struct linx_seccomp_filter *f,
				 struct linx_error *err);

LINX_END_DECLS

#endif /* LINX_SECCOMP_H */
