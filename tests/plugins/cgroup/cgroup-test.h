/* SPDX-License-Identifier: MIT */
/*
 * Fixtures for the cgroup plugin's tests.
 *
 * cgroup2 is a single hierarchy: a test's own cgroup2 mount (in its
 * private mount namespace) shows the same tree as the machine's, so every
 * cgroup a test creates is a real kernel object that outlives the test
 * process.  Hence:
 *   - names are unique per run: "linx-test-cg-<run>-<test>-<n>", <run>
 *     being the pid of the test binary's main();
 *   - a test removes what it made (killing what is inside first);
 *   - check does not run teardown when a test fails (it _exit()s), so
 *     main() ends with cgt_janitor(), which removes anything of this run
 *     left over and reports it: leftovers after a passing suite are a
 *     leak and fail the binary.
 */
#ifndef LINX_CGROUP_TEST_H
#define LINX_CGROUP_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "linx-test.h"

/* Remember the run id; call first thing in main(). */
void cgt_init(void);

/* In a fresh private mount namespace, mount cgroup2 and return its path
 * (linx_test_mount_cgroup2()). */
const char *cgt_mount(void);

/* Unmount what cgt_mount() mounted and remove its directory. */
void cgt_unmount(void);

/* A new unique cgroup path under `parent` (NULL: the mount root), not yet
 * created; `tag` is a short word for humans.  malloc'd. */
char *cgt_name(const char *parent, const char *tag);

/* cgt_name() + linx_cgroup_create(), asserting success. */
char *cgt_create(const char *parent, const char *tag);

/* Kill everything in the subtree at `path` (cgroup.kill), wait until it is
 * empty and rmdir it, children first.  Returns 0 or -errno; never fails
 * the test itself (the janitor uses it too). */
int cgt_remove_tree(const char *path);

/* Remove, asserting success, and free `path`. */
void cgt_destroy(char *path);

/* After the suite: remove leftovers of this run.  Returns how many
 * top-level cgroups were left over, or -1 if the check itself failed. */
int cgt_janitor(void);

/* main() tail: run the suite, then the janitor; leftovers after a passing
 * suite turn the result into a failure. */
int cgt_run(Suite *s);

/* A child that sleeps until killed (dies with the test: PDEATHSIG). */
pid_t cgt_spawn_sleeper(void);

/* A child that spins, incrementing *counter (shared memory from
 * cgt_shared_counter()). */
pid_t cgt_spawn_spinner(volatile uint64_t *counter);
volatile uint64_t *cgt_shared_counter(void);

/* SIGKILL and reap. */
void cgt_kill(pid_t pid);

/* Wait up to `ms` milliseconds for *counter to move past `from`. */
bool cgt_counter_moves(volatile uint64_t *counter, uint64_t from,
		       unsigned ms);

/* `cat <path>/<file>` through the shell (the oracle), trailing newline
 * removed.  malloc'd. */
char *cgt_cat(const char *path, const char *file);

/* The same with open(2)/read(2), no shell: cheaper where a test reads
 * many files (the VM lane emulates the CPU). */
char *cgt_slurp(const char *path, const char *file);

/* The value of `key` in the flat-keyed file <path>/<file>, read with awk;
 * false if the key is missing. */
bool cgt_awk_key(const char *path, const char *file, const char *key,
		 uint64_t *ret);

/* The third field of /proc/<pid>/stat (the state letter). */
char cgt_proc_state(pid_t pid);

/* Assert an error's fields. */
#define cgt_assert_err(r, err, ecode, eop)                                   \
	do {                                                                 \
		char b_[2048];                                               \
		linx_error_format(&(err), b_, sizeof(b_));                   \
		ck_assert_msg((r) == -(ecode) && (err).code == (ecode) &&    \
				      strcmp((err).op, (eop)) == 0,          \
			      "expected %s/%d, got r=%d: %s", (eop),         \
			      (ecode), (r), b_);                             \
	} while (0)

#endif /* LINX_CGROUP_TEST_H */
