/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the C tests.
 *
 * Tests run under check in fork mode: each START_TEST body runs in its own
 * process, so a test can unshare(2) namespaces freely and they vanish with
 * it.  Tests that mutate kernel state must do so only inside namespaces
 * they created (linx_test_private_netns(), linx_test_private_mounts(), ...).
 *
 * Skipping: check has no per-test skip, so a test *binary* skips as a
 * whole: main() calls linx_test_require*(), which exits 77 (meson's SKIP)
 * with the reason on stderr.  When LINX_TEST_NO_SKIP=1 (the VM lane sets
 * it) a skip is turned into a failure: there, every test must run.
 */
#ifndef LINX_TEST_H
#define LINX_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <linx/linx.h>

#define LINX_TEST_SKIP_CODE 77

/* Whether LINX_TEST_NO_SKIP=1 (the VM lane): what would be skipped must
 * run, and fail if it cannot. */
bool linx_test_no_skip(void);
/* Exit 77 (or 1 under LINX_TEST_NO_SKIP=1) after printing why. */
void linx_test_skip(const char *fmt, ...) __attribute__((noreturn))
	LINX_PRINTF(1, 2);

/* Skip unless running as root. */
void linx_test_require_root(void);

/* Skip unless `cond`, with a reason. */
void linx_test_require(bool cond, const char *fmt, ...) LINX_PRINTF(2, 3);

/* Is a cgroup2 controller available at the root of a cgroup2 hierarchy?
 * (Used to decide skips; the VM lane has them all.) */
bool linx_test_cgroup2_has_controller(const char *controller);

/* Can the kernel create links of this kind (e.g. "dummy", "macvlan")?
 * Probed in a throwaway network namespace. */
bool linx_test_link_kind_supported(const char *kind);

/* Move the calling test process into a fresh network namespace with
 * loopback up.  Fails the test on error. */
void linx_test_private_netns(void);

/* Move the calling test process into a private mount namespace (all
 * mounts made private, so nothing propagates back). */
void linx_test_private_mounts(void);

/* In a private mount namespace, mount a cgroup2 hierarchy on a fresh
 * temporary directory and return its path (static buffer).  The directory
 * is removed when the test process exits; cgroups created below it are
 * the test's to remove.  Once per test process. */
const char *linx_test_mount_cgroup2(void);

/* Run `cmd` with /bin/sh, return its stdout (malloc'd, caller frees) and
 * store the exit status in *status (may be NULL).  Fails the test if the
 * command cannot be started. */
char *linx_test_sh(int *status, const char *fmt, ...) LINX_PRINTF(2, 3);

/* Is `prog` on PATH? */
bool linx_test_have(const char *prog);

/* Fork a child that unshares `clone_flags` and then sleeps until killed;
 * returns its pid once it has unshared.  Use for "another process's
 * namespaces" targets.  Kill with linx_test_reap(). */
pid_t linx_test_spawn_in_ns(int clone_flags);
void linx_test_reap(pid_t pid);

/* Number of open fds of this process (for leak checks). */
int linx_test_count_fds(void);

/* Number of threads of this process once it has settled at `want`: a
 * thread that pthread_join() has returned for can still be listed for a
 * moment while the kernel finishes its exit, so this waits (up to 2 s) for
 * the count to reach `want` and returns it.  A leaked thread never
 * settles, so a leak check still fails. */
int linx_test_count_threads_settled(int want);

/* Machine features a test may depend on, probed in a forked child so a
 * fault cannot take the test down.
 *
 * linx_test_has_ia32_entry(): does `int 0x80` reach the kernel's i386
 * syscall table (IA32 emulation, CONFIG_IA32_EMULATION and not
 * ia32_emulation=0)?  Some hypervisors and kernels have no such entry:
 * the instruction then faults with SIGSEGV even with no filter.
 *
 * linx_test_has_x32_entry(): can a syscall with __X32_SYSCALL_BIT
 * (arch/x86/include/uapi/asm/unistd.h) be issued without the process
 * dying?  Without CONFIG_X86_X32_ABI it returns ENOSYS, which is enough
 * for a seccomp filter to see it.
 *
 * Both are false on other architectures. */
bool linx_test_has_ia32_entry(void);
bool linx_test_has_x32_entry(void);

/* A registry with only the given static plugins (no search path). */
struct linx_registry *linx_test_registry(const struct linx_plugin *const *plugins,
					 size_t n);

/* ck_assert with the error printed on failure. */
#define linx_assert_ok(expr, errp)                                           \
	do {                                                                 \
		int r_ = (expr);                                             \
		if (r_ < 0) {                                                \
			char buf_[2048];                                     \
			linx_error_format((errp), buf_, sizeof(buf_));       \
			ck_abort_msg("%s failed (%d): %s", #expr, r_, buf_); \
		}                                                            \
	} while (0)

/* Print the kernel release (so a log says where the tests ran), run a
 * suite in fork mode and return the process exit code. */
int linx_test_run_suite(Suite *s);

#endif /* LINX_TEST_H */
