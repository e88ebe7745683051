/* SPDX-License-Identifier: MIT */
/*
 * sysctl read and write throughput: Linx's typed API and the verb table
 * against the floor, a bare open(2)/read(2)/close(2) of the same file, in
 * the same process, side by side.  The cases run interleaved, ROUNDS times
 * each, so that load from elsewhere on a shared machine hits them alike;
 * printed are each case's median ns/op and the median of its per-round
 * ratio to the floor measured in the same round.  Cross-namespace cases (a
 * throwaway thread for a network namespace, the forked helper for a user
 * namespace) are printed against the read floor for scale.
 *
 * Writes go only to a network namespace the benchmark unshares for itself
 * (net.ipv4.ip_forward); without root it measures reads only.
 *
 *   meson test -C build --benchmark sysctl   (or run the binary)
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linx/linx.h>
#include <linx/sysctl.h>

#define ROUNDS 41
#define KEY "net.ipv4.ip_forward"
#define PATH "/proc/sys/net/ipv4/ip_forward"

struct bench {
	const char *name;
	int (*op)(void *ctx);
	void *ctx;
	unsigned iters;		  /* per round */
	int floor;		  /* index of the case it is compared with */
	bool failed;
	double ns[ROUNDS], ratio[ROUNDS];
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v)
{
	double s[ROUNDS];

	memcpy(s, v, sizeof(s));
	qsort(s, ROUNDS, sizeof(s[0]), cmp_double);
	return s[ROUNDS / 2];
}

/* One round of one case: mean ns/op over b->iters calls. */
static void run_once(struct bench *b, int round)
{
	double t0 = now_ns();

	for (unsigned i = 0; i < b->iters && !b->failed; i++)
		if (b->op(b->ctx) < 0)
			b->failed = true;
	b->ns[round] = (now_ns() - t0) / b->iters;
}

/* `cases` may be a slice of `base`, which the floor indices refer to. */
static void run_group(struct bench *base, struct bench *cases, int n)
{
	for (int c = 0; c < n; c++) /* warm up */
		for (unsigned i = 0; i < cases[c].iters / 10 + 1; i++)
			if (cases[c].op(cases[c].ctx) < 0)
				cases[c].failed = true;
	for (int r = 0; r < ROUNDS; r++)
		for (int c = 0; c < n; c++)
			run_once(&cases[c], r);
	for (int r = 0; r < ROUNDS; r++)
		for (int c = 0; c < n; c++)
			cases[c].ratio[r] =
				cases[c].ns[r] / base[cases[c].floor].ns[r];
}

/* ---- the floor ---------------------------------------------------------- */

static int raw_read(void *ctx)
{
	char buf[4096];
	int fd = open(PATH, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	(void)ctx;
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int raw_write(void *ctx)
{
	int fd = open(PATH, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	(void)ctx;
	if (fd < 0)
		return -errno;
	n = write(fd, "0", 1);
	close(fd);
	return n == 1 ? 0 : -EIO;
}

/* ---- typed API ------------------------------------------------------------ */

static int typed_read(void *ctx)
{
	const struct linx_ns_target *in = ctx;
	char *v;
	int r = linx_sysctl_read(KEY, in, &v, NULL, NULL);

	if (r >= 0)
		free(v);
	return r;
}

static int typed_read_int(void *ctx)
{
	int64_t v;

	return linx_sysctl_read_int(KEY, ctx, &v, NULL);
}

static int typed_write_int(void *ctx)
{
	return linx_sysctl_write_int(KEY, ctx, 0, NULL);
}

static int typed_read_user(void *ctx)
{
	int64_t v;

	return linx_sysctl_read_int("user.max_user_namespaces", ctx, &v, NULL);
}

/* ---- verb table ----------------------------------------------------------- */

struct verb_ctx {
	const struct linx_verb *verb;
	struct linx_value args;
};

static int verb_call(void *p)
{
	struct verb_ctx *c = p;
	struct linx_value res = linx_value_nil();
	int r = linx_call_verb(c->verb, &c->args, &res, 0, NULL);

	linx_value_clear(&res);
	return r;
}

static int verb_setup(struct linx_registry *reg, struct verb_ctx *c,
		      const char *verb, bool write)
{
	struct linx_error err;
	int r = linx_registry_find(reg, verb, &c->verb, &err);

	if (r < 0) {
		fprintf(stderr, "%s: %s\n", verb, err.message);
		return r;
	}
	c->args = linx_value_map();
	linx_map_put_cstring(&c->args, "key", KEY);
	if (write)
		linx_map_put_int(&c->args, "value", 0);
	return 0;
}

/* ---- targets -------------------------------------------------------------- */

static pid_t spawn(int flags)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(flags) < 0 || write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &c, 1) != 1) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	return pid;
}

int main(void)
{
	const struct linx_plugin *plugins[] = { &linx_plugin_sysctl };
	struct linx_ns_target net_t, user_t;
	struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct verb_ctx vread, vwrite;
	struct linx_registry *reg;
	struct linx_error err;
	bool root = geteuid() == 0;
	pid_t net = -1, user = -1;
	struct bench cases[16];
	int n = 0, group;

	if (root && unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 1;
	}
	if (linx_registry_new(&reg, LINX_REGISTRY_NO_SEARCH, &err) < 0 ||
	    linx_registry_add_static(reg, plugins[0], &err) < 0) {
		fprintf(stderr, "registry: %s\n", err.message);
		return 1;
	}
	if (verb_setup(reg, &vread, "sysctl.read", false) < 0 ||
	    verb_setup(reg, &vwrite, "sysctl.write", true) < 0)
		return 1;
	if (root) {
		net = spawn(CLONE_NEWNET);
		user = spawn(CLONE_NEWUSER);
	}
	net_t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PID,
					 .pid = net };
	user_t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PID,
					  .pid = user };

#define CASE(name_, op_, ctx_, iters_, floor_)                               \
	cases[n++] = (struct bench){ .name = (name_), .op = (op_),           \
				     .ctx = (ctx_), .iters = (iters_),       \
				     .floor = (floor_) }
	/* Two groups, each interleaved on its own: the cross-namespace cases
	 * (threads, forks) disturb whatever runs right after them. */
	CASE("read: open/read/close (floor)", raw_read, NULL, 300, 0);
	CASE("read: linx_sysctl_read", typed_read, NULL, 300, 0);
	CASE("read: linx_sysctl_read (\"self\" target)", typed_read, &self,
	     300, 0);
	CASE("read: linx_sysctl_read_int", typed_read_int, NULL, 300, 0);
	CASE("read: verb sysctl.read", verb_call, &vread, 300, 0);
	if (root) {
		int w = n;

		CASE("write: open/write/close (floor)", raw_write, NULL, 300,
		     w);
		CASE("write: linx_sysctl_write_int", typed_write_int, NULL,
		     300, w);
		CASE("write: verb sysctl.write", verb_call, &vwrite, 300, w);
	}
	group = n;
	if (net > 0 || user > 0)
		CASE("read: open/read/close (floor)", raw_read, NULL, 100,
		     group);
	if (net > 0) {
		CASE("netns read_int (throwaway thread)", typed_read_int,
		     &net_t, 50, group);
		CASE("netns write_int (throwaway thread)", typed_write_int,
		     &net_t, 50, group);
	}
	if (user > 0)
		CASE("userns read_int (forked helper)", typed_read_user,
		     &user_t, 10, group);
#undef CASE

	run_group(cases, cases, group);
	if (n > group)
		run_group(cases, cases + group, n - group);
	printf("sysctl %s, %d interleaved rounds: median ns/op, and median "
	       "ratio to the floor of the same round\n",
	       KEY, ROUNDS);
	for (int c = 0; c < n; c++) {
		if (c == group)
			printf("in another process's namespaces\n");
		if (cases[c].failed)
			printf("  %-44s  failed\n", cases[c].name);
		else
			printf("  %-44s %10.0f ns/op %8.2fx\n", cases[c].name,
			       median(cases[c].ns), median(cases[c].ratio));
	}
	if (!root)
		printf("  writes and other namespaces: skipped (need root)\n");
	if (net > 0) {
		kill(net, SIGKILL);
		waitpid(net, NULL, 0);
	}
	if (user > 0) {
		kill(user, SIGKILL);
		waitpid(user, NULL, 0);
	}
	linx_value_clear(&vread.args);
	linx_value_clear(&vwrite.args);
	linx_registry_free(reg);
	for (int c = 0; c < n; c++)
		if (cases[c].failed)
			return 1;
	return 0;
}
