/* SPDX-License-Identifier: MIT */
/*
 * Freezing and thawing (cgroup-v2.rst, "Core Interface Files",
 * cgroup.freeze and cgroup.events).
 *
 * Writing cgroup.freeze only asks: the kernel then stops each task at its
 * next return to user space, and reports completion by switching the
 * "frozen" key of cgroup.events.  So the call writes, then waits for that
 * key.  It waits in poll(2), not in a sleep loop: kernfs wakes pollers of
 * a file on every kernfs_notify() with POLLPRI|POLLERR
 * (kernfs_generic_poll() in fs/kernfs/file.c), and cgroup.events is
 * notified whenever "populated" or "frozen" changes.
 *
 * No change is missed: cgroup.events is opened before cgroup.freeze is
 * written, and each read of it records the event count the file had when
 * it was generated, so a change between our read and poll(2) makes poll
 * return at once.
 *
 * A change can be late, though: cgroup_file_notify() (kernel/cgroup/
 * cgroup.c) sends at most one notification per file every
 * CGROUP_FILE_NOTIFY_MIN_INTV (10 ms) and defers the rest to a timer,
 * while the file's contents are already current.  In a freeze right after
 * a thaw (or the other way round) the wake-up would then come up to 10 ms
 * after the fact.  So each poll is also bounded by a short timeout that
 * starts at 1 ms and doubles up to that interval, and the file is re-read
 * after it: prompt in the common case, a handful of reads per 10 ms in a
 * long wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h> /* PATH_MAX */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup-internal.h"

/* Bounds of the re-read interval, see above. */
#define CG_REREAD_FIRST_MS 1
#define CG_REREAD_MAX_MS 10

struct frozen_arg {
	int value; /* -EBADMSG until a "frozen" line is seen */
};

static void frozen_line(const char *key, size_t key_len, const char *value,
			size_t value_len, void *arg)
{
	struct frozen_arg *a = arg;

	if (key_len == 6 && memcmp(key, "frozen", 6) == 0 && value_len == 1 &&
	    (value[0] == '0' || value[0] == '1'))
		a->value = value[0] - '0';
}

int cg_parse_frozen(const char *buf, size_t len)
{
	struct frozen_arg a = { .value = -EBADMSG };

	cg_parse_flat_keyed(buf, len, frozen_line, &a);
	return a.value;
}

/* Read cgroup.events from the start (which also re-arms poll) and return
 * the frozen state, or a negative errno. */
static int read_frozen(int efd)
{
	char buf[256];
	ssize_t n;

	do
		n = pread(efd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return cg_parse_frozen(buf, (size_t)n);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int set_frozen(const char *path, int want, uint32_t timeout_ms,
		      struct linx_error *err)
{
	const char *op = want ? "freeze" : "thaw";
	char object[PATH_MAX];
	int64_t deadline;
	int dfd, efd, r, reread_ms = CG_REREAD_FIRST_MS;

	dfd = cg_dir_open(path, CG_FILE_FREEZE, op, err);
	if (dfd < 0)
		return dfd;
	efd = openat(dfd, CG_FILE_EVENTS, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (efd < 0) {
		int e = errno;

		close(dfd);
		cg_join(object, sizeof(object), path, CG_FILE_EVENTS);
		return cg_fail(err, e, op, object, "cannot open %s: %s",
			       object, linx_strerror(e));
	}
	r = cg_write_at(dfd, path, CG_FILE_FREEZE, want ? "1" : "0", 1, op,
			err);
	close(dfd);
	if (r < 0)
		goto out;

	cg_join(object, sizeof(object), path, CG_FILE_EVENTS);
	deadline = now_ns() + (int64_t)timeout_ms * 1000000;
	for (;;) {
		struct pollfd pfd = { .fd = efd, .events = POLLPRI };
		int64_t left;
		int ms;

		r = read_frozen(efd);
		if (r == want) {
			r = 0;
			break;
		}
		if (r < 0) {
			r = cg_fail(err, -r, op, object,
				    r == -EBADMSG
					    ? "%s has no \"frozen\" key"
					    : "cannot read %s",
				    object);
			break;
		}
		left = deadline - now_ns();
		if (left <= 0) {
			r = cg_fail(err, ETIMEDOUT, op, object,
				    "%s still reports \"frozen %d\" after %u "
				    "ms%s",
				    object, !want, timeout_ms,
				    want ? ""
					 : " (an ancestor cgroup may be "
					   "frozen)");
			break;
		}
		/* Round up so the last wait does not spin at 0 ms. */
		left = (left + 999999) / 1000000;
		ms = left > reread_ms ? reread_ms : (int)left;
		if (reread_ms < CG_REREAD_MAX_MS)
			reread_ms = reread_ms * 2 > CG_REREAD_MAX_MS
					    ? CG_REREAD_MAX_MS
					    : reread_ms * 2;
		if (poll(&pfd, 1, ms) < 0 && errno != EINTR) {
			r = cg_fail(err, errno, op, object,
				    "poll on %s failed: %s", object,
				    linx_strerror(errno));
			break;
		}
	}
out:
	close(efd);
	return r;
}

int linx_cgroup_freeze(const char *path, uint32_t timeout_ms,
		       struct linx_error *err)
{
	return set_frozen(path, 1, timeout_ms, err);
}

int linx_cgroup_thaw(const char *path, uint32_t timeout_ms,
		     struct linx_error *err)
{
	return set_frozen(path, 0, timeout_ms, err);
}
