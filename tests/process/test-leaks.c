/* SPDX-License-Identifier: MIT */
/*
 * No leaks, ever: a host killed with SIGKILL leaves nothing behind (the
 * agent ends every workload, parked or running, and the orphans they
 * made); an agent killed with SIGKILL takes its workloads with it; a
 * lingering workload is the one exception, on request; 1,000 spawn cycles
 * grow neither fds, processes nor memory; every descriptor is
 * close-on-exec; the raw wire refuses malformed requests; and an agent
 * handed over with linx_agent_connect is closed and reaped whatever
 * happens.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc-test.h"

#ifndef AGENT_PATH
#error AGENT_PATH must be defined
#endif

extern char **environ;

static const char *const SLEEP_ARGV[] = { "/bin/sleep", "60", NULL };

static struct linx_process *running(struct linx_agent *a,
				    struct linx_spawn_options *o)
{
	struct linx_process *p = pt_spawn_opts(a, o);
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	pt_wait_stage(p, LINX_PROCESS_RUNNING);
	return p;
}

/* First child listed in /proc/<pid>/task/<pid>/children, or 0. */
static pid_t first_child(pid_t pid)
{
	char path[96], buf[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid,
		 (int)pid);
	for (int i = 0; i < 1000; i++) {
		f = fopen(path, "re");
		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = '\0';
			fclose(f);
		}
		if (atoi(buf) > 0)
			return (pid_t)atoi(buf);
		usleep(5000);
	}
	return 0;
}

/*
 * In a forked "host": start an agent and some sessions, report their pids
 * through `fd`, then wait to be killed.  pids[0] is the agent.
 */
enum { N_PIDS = 7 };

static void __attribute__((noreturn)) host_main(int fd, bool linger)
{
	static const char *const trapper[] = {
		"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.2; done", NULL
	};
	static const char *const parent[] = { "/bin/sh", "-c",
					      "sleep 300 & wait", NULL };
	struct linx_spawn_options plain = { .argv = SLEEP_ARGV };
	struct linx_spawn_options in_ns = { .argv = SLEEP_ARGV,
					    .namespaces = LINX_NS_PID |
							  LINX_NS_NET };
	struct linx_spawn_options stubborn = { .argv = trapper,
					       .kill_grace_ms = 200 };
	struct linx_spawn_options tree = { .argv = parent };
	struct linx_spawn_options pty = { .argv = SLEEP_ARGV, .pty = true };
	struct linx_agent *a = pt_agent();
	struct linx_process *parked = pt_spawn_opts(a, &plain);
	struct linx_process *r1, *r2, *r3, *r4;
	pid_t pids[N_PIDS];

	plain.linger = linger;
	r1 = running(a, &plain);
	r2 = running(a, &in_ns);
	r3 = running(a, &stubborn);
	r4 = running(a, &tree);
	running(a, &pty);
	pt_wait_stage(parked, LINX_PROCESS_READY);
	pids[0] = linx_agent_pid(a);
	pids[1] = linx_process_host_pid(parked, NULL);
	pids[2] = linx_process_host_pid(r1, NULL);
	pids[3] = linx_process_host_pid(r2, NULL);
	pids[4] = linx_process_host_pid(r3, NULL);
	pids[5] = linx_process_host_pid(r4, NULL);
	/* The grandchild the shell forked: an orphan-to-be. */
	pids[6] = first_child(pids[5]);
	if (write(fd, pids, sizeof(pids)) != sizeof(pids))
		_exit(1);
	for (;;)
		pause();
}

static void start_host(bool linger, pid_t *ret_host, pid_t *pids)
{
	int fds[2];
	pid_t host;

	ck_assert(pipe2(fds, O_CLOEXEC) == 0);
	host = fork();
	ck_assert_int_ge(host, 0);
	if (host == 0) {
		close(fds[0]);
		host_main(fds[1], linger);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], pids, N_PIDS * sizeof(pid_t)),
			 (ssize_t)(N_PIDS * sizeof(pid_t)));
	close(fds[0]);
	for (int i = 0; i < N_PIDS; i++)
		ck_assert_msg(pids[i] > 0 && !pt_pid_gone(pids[i]),
			      "pid %d of the host missing", i);
	*ret_host = host;
}

/* Reap what came to us (we are a subreaper) until pid is gone. */
static bool reap_until_gone(pid_t pid)
{
	for (int i = 0; i < 3000; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (pt_pid_gone(pid))
			return true;
		usleep(5000);
	}
	return false;
}

START_TEST(host_killed_nothing_survives)
{
	pid_t host, pids[N_PIDS];

	/* Orphans come to us, so "gone" means exited, not reparented. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	start_host(false, &host, pids);
	kill(host, SIGKILL);
	waitpid(host, NULL, 0);
	for (int i = N_PIDS - 1; i >= 0; i--)
		ck_assert_msg(reap_until_gone(pids[i]),
			      "pid %d (#%d) survived its host", (int)pids[i], i);
}
END_TEST

START_TEST(agent_killed_workloads_die)
{
	struct linx_spawn_options plain = { .argv = SLEEP_ARGV };
	struct linx_spawn_options in_ns = { .argv = SLEEP_ARGV,
					    .namespaces = LINX_NS_PID };
	struct linx_agent *a = pt_agent();
	struct linx_process *parked = pt_spawn_opts(a, &plain);
	struct linx_process *r1 = running(a, &plain);
	struct linx_process *r2 = running(a, &in_ns);
	pid_t pids[3];

	pt_wait_stage(parked, LINX_PROCESS_READY);
	pids[0] = linx_process_host_pid(parked, NULL);
	pids[1] = linx_process_host_pid(r1, NULL);
	pids[2] = linx_process_host_pid(r2, NULL);
	kill(linx_agent_pid(a), SIGKILL);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(pt_wait_gone(pids[i]),
			      "workload %d outlived the agent", i);
	/* The host notices: every session ends with "agent_died". */
	{
		struct linx_process_result res = pt_result(r1);

		ck_assert_int_eq(res.stage, LINX_PROCESS_ERRORED);
		ck_assert_str_eq(res.error.op, "agent_died");
		ck_assert_int_eq(pt_result(parked).stage, LINX_PROCESS_ERRORED);
		ck_assert_int_eq(linx_process_signal(r2, 9, NULL), -ESRCH);
	}
	linx_process_free(parked);
	linx_process_free(r1);
	linx_process_free(r2);
	linx_agent_free(a);
}
END_TEST

START_TEST(linger_survives_the_host)
{
	pid_t host, pids[N_PIDS];

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	start_host(true, &host, pids);
	kill(host, SIGKILL);
	waitpid(host, NULL, 0);
	/* Every session but the lingering one (#2) ends... */
	for (int i = 1; i < N_PIDS - 1; i++)
		if (i != 2)
			ck_assert_msg(reap_until_gone(pids[i]), "#%d survived",
				      i);
	/* ...the agent stays for it, and so does the orphan the killed
	 * shell left (#6): the agent kills adopted orphans when it leaves,
	 * which it does with the last lingering workload. */
	ck_assert(!pt_pid_gone(pids[2]));
	ck_assert(!pt_pid_gone(pids[0]));
	kill(pids[2], SIGKILL);
	ck_assert(reap_until_gone(pids[2]));
	ck_assert(reap_until_gone(pids[0]));
	ck_assert(reap_until_gone(pids[6]));
}
END_TEST

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void cycle(struct linx_agent *a, bool pty)
{
	static const char *const argv[] = { "/bin/true", NULL };
	struct linx_spawn_options o = { .argv = argv, .pty = pty };
	struct linx_process *p = pt_spawn_opts(a, &o);
	struct linx_error err;

	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	ck_assert_int_eq(pt_result(p).stage, LINX_PROCESS_EXITED);
	linx_process_free(p);
}

START_TEST(thousand_cycles_no_growth)
{
	struct linx_agent *a = pt_agent();
	pid_t apid = linx_agent_pid(a);
	int fds0, afds0;
	long rss0, arss0, rss1, arss1;

	for (int i = 0; i < 50; i++)
		cycle(a, i % 2);
	fds0 = linx_test_count_fds();
	afds0 = pt_count_fds_of(apid);
	rss0 = rss_kb(getpid());
	arss0 = rss_kb(apid);
	for (int i = 0; i < 1000; i++)
		cycle(a, i % 2);
	rss1 = rss_kb(getpid());
	arss1 = rss_kb(apid);
	ck_assert_int_eq(linx_test_count_fds(), fds0);
	ck_assert_int_eq(pt_count_fds_of(apid), afds0);
	ck_assert_int_eq(pt_count_children(apid), 0);
	/* Allocator noise is fine; growth per cycle is not.  (Under
	 * AddressSanitizer freed memory sits in a quarantine by design, so
	 * RSS says nothing there; LeakSanitizer checks the agent at exit.) */
#ifndef __SANITIZE_ADDRESS__
	ck_assert_msg(arss1 - arss0 < 512, "agent RSS %ld -> %ld kB", arss0,
		      arss1);
	ck_assert_msg(rss1 - rss0 < 512, "host RSS %ld -> %ld kB", rss0, rss1);
#endif
	fprintf(stderr, "1000 cycles: host fds %d, agent fds %d, host RSS %ld"
			"->%ld kB, agent RSS %ld->%ld kB\n",
		fds0, afds0, rss0, rss1, arss0, arss1);
	linx_agent_free(a);
	ck_assert_int_eq(linx_test_count_fds(), fds0 - 1);
}
END_TEST

/* The soft limit on descriptors is often 1024 and a parked session holds
 * two in the agent: the agent takes the hard limit, and the workloads
 * still get the soft limit their host had. */
START_TEST(many_parked_under_a_low_soft_limit)
{
	enum { N = 200, SOFT = 256 };
	static const char *const argv[] = {
		"/bin/sh", "-c", "test \"$(ulimit -n)\" = 256", NULL
	};
	struct linx_process *p[N];
	struct rlimit rl;
	struct linx_agent *a;
	char *limits;
	int status;

	ck_assert(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	linx_test_require(rl.rlim_max >= 4 * N,
			  "the hard limit on descriptors is below 800");
	rl.rlim_cur = SOFT;
	ck_assert(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	a = pt_agent();
	/* prlimit(1) reads it; soft and hard are the same now */
	limits = linx_test_sh(&status, "prlimit --nofile -o SOFT,HARD -n "
				       "--pid %d", (int)linx_agent_pid(a));
	ck_assert_msg(status == 0 && strstr(limits, " 256") == NULL,
		      "the agent kept the soft limit: %s", limits);
	free(limits);
	for (int i = 0; i < N; i++)
		p[i] = pt_spawn(a, 0, argv);
	for (int i = 0; i < N; i++)
		pt_wait_stage(p[i], LINX_PROCESS_READY);
	for (int i = 0; i < N; i++) {
		struct linx_error err;

		linx_assert_ok(linx_process_proceed(p[i], &err), &err);
	}
	for (int i = 0; i < N; i++) {
		struct linx_process_result r = pt_result(p[i]);

		ck_assert_msg(r.stage == LINX_PROCESS_EXITED && r.value == 0,
			      "session %d: stage %u value %d (1: the workload "
			      "saw another limit)", i, r.stage, r.value);
		linx_process_free(p[i]);
	}
	linx_agent_free(a);
}
END_TEST

static bool fd_is_cloexec(pid_t pid, const char *fd)
{
	char path[512], line[128];
	FILE *f;
	unsigned long flags = 0;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, fd);
	f = fopen(path, "re");
	if (!f)
		return true; /* closed meanwhile */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1)
			break;
	fclose(f);
	return flags & O_CLOEXEC;
}

START_TEST(every_descriptor_cloexec)
{
	struct linx_spawn_options pty = { .argv = SLEEP_ARGV, .pty = true };
	struct linx_agent *a = pt_agent();
	struct linx_process *p = pt_spawn_opts(a, &pty);
	struct linx_process *q = running(a, &(struct linx_spawn_options){
						    .argv = SLEEP_ARGV });
	pid_t apid = linx_agent_pid(a), qp = linx_process_host_pid(q, NULL);
	char path[64], fds[1024];
	struct dirent *de;
	DIR *d;

	pt_wait_stage(p, LINX_PROCESS_READY);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)apid);
	d = opendir(path);
	ck_assert(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) <= 2)
			continue;
		ck_assert_msg(fd_is_cloexec(apid, de->d_name),
			      "agent fd %s is not close-on-exec", de->d_name);
	}
	closedir(d);
	/* A running workload holds exactly its stdio.  "running" is
	 * reported at execve, while the dynamic loader may still hold a
	 * library open (a loaded host can keep it there for seconds): count
	 * once sleep(1) is asleep. */
	ck_assert_msg(pt_wait_asleep(qp), "the workload never went to sleep");
	ck_assert_msg(pt_count_fds_of(qp) == 3, "workload fds: %s",
		      pt_describe_fds(qp, fds, sizeof(fds)));
	linx_process_free(p);
	linx_process_free(q);
	linx_agent_free(a);
}
END_TEST

/* ---- the raw wire ----------------------------------------------------------- */

struct raw {
	pid_t pid;
	int fd;
	uint8_t buf[1 << 16];
	size_t len;
};

static void raw_start(struct raw *r)
{
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)AGENT_PATH, NULL };
	int sv[2];

	ck_assert(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 4);
	ck_assert(posix_spawn(&r->pid, AGENT_PATH, &fa, NULL, argv, environ) ==
		  0);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	r->fd = sv[0];
	r->len = 0;
}

static void raw_send(struct raw *r, struct linx_value *m)
{
	void *buf;
	size_t len;
	struct linx_error err;

	linx_assert_ok(linx_proto_encode(m, &buf, &len, &err), &err);
	ck_assert_int_eq(write(r->fd, buf, len), (ssize_t)len);
	free(buf);
	linx_value_clear(m);
}

/* The next event; fails at EOF. */
static void raw_recv(struct raw *r, struct linx_value *m)
{
	for (;;) {
		size_t used = 0;
		int rc = linx_proto_decode(r->buf, r->len, &used, m, NULL);
		ssize_t n;

		if (rc > 0) {
			memmove(r->buf, r->buf + used, r->len - used);
			r->len -= used;
			return;
		}
		n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
		ck_assert_msg(n > 0, "agent closed the channel");
		r->len += (size_t)n;
	}
}

static const char *ev_name(const struct linx_value *m)
{
	const struct linx_value *v = linx_map_get(m, "ev");

	return v && v->type == LINX_STRING ? v->str : "";
}

static struct linx_value spawn_req(uint64_t id)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, "op", "spawn");
	linx_map_put_uint(&m, "id", id);
	return m;
}

static void expect_error(struct raw *r, uint64_t id, const char *stage,
			 const char *in_message)
{
	struct linx_value ev;
	uint64_t got = 0;

	raw_recv(r, &ev);
	ck_assert_str_eq(ev_name(&ev), "error");
	linx_value_get_u64(linx_map_get(&ev, "id"), &got);
	ck_assert_uint_eq(got, id);
	ck_assert_str_eq(linx_map_get(&ev, "stage")->str, stage);
	ck_assert_int_eq(linx_map_get(&ev, "errno")->i, EINVAL);
	ck_assert_msg(strstr(linx_map_get(&ev, "message")->str, in_message),
		      "message: %s", linx_map_get(&ev, "message")->str);
	linx_value_clear(&ev);
}

START_TEST(raw_wire_validation)
{
	struct raw r;
	struct linx_value m, ev, argv, ns;
	static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff };
	static const uint8_t garbage[] = { 0, 0, 0, 2, 0x42, 0x42 };
	int status;

	raw_start(&r);
	raw_recv(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "hello");
	linx_value_clear(&ev);

	/* No argv. */
	m = spawn_req(1);
	raw_send(&r, &m);
	expect_error(&r, 1, "malformed_request", "argv_required");

	/* A NUL byte inside an argument. */
	m = spawn_req(2);
	argv = linx_value_list();
	{
		struct linx_value b;

		linx_value_bytes(&b, "/bin/tr\0ue", 10);
		linx_list_push(&argv, &b);
	}
	linx_map_put(&m, "argv", &argv);
	raw_send(&r, &m);
	expect_error(&r, 2, "malformed_request", "NUL");

	/* An unknown namespace. */
	m = spawn_req(3);
	argv = linx_value_list();
	linx_list_push_cstring(&argv, "/bin/true");
	linx_map_put(&m, "argv", &argv);
	ns = linx_value_list();
	linx_list_push_cstring(&ns, "net");
	linx_list_push_cstring(&ns, "typo");
	linx_map_put(&m, "namespaces", &ns);
	raw_send(&r, &m);
	expect_error(&r, 3, "malformed_request", "bad_namespaces: typo");

	/* An unknown op and an undecodable frame are rejected; the channel
	 * goes on. */
	m = linx_value_map();
	linx_map_put_cstring(&m, "op", "frobnicate");
	linx_map_put_uint(&m, "id", 4);
	raw_send(&r, &m);
	raw_recv(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "reject");
	linx_value_clear(&ev);
	ck_assert_int_eq(write(r.fd, garbage, sizeof(garbage)),
			 (ssize_t)sizeof(garbage));
	raw_recv(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "reject");
	ck_assert_str_eq(linx_map_get(&ev, "reason")->str, "malformed_request");
	linx_value_clear(&ev);

	/* Nothing was cloned for any of it. */
	ck_assert_int_eq(pt_count_children(r.pid), 0);

	/* A frame too big to skip ends the channel; the agent leaves. */
	ck_assert_int_eq(write(r.fd, huge, sizeof(huge)), 4);
	raw_recv(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "error");
	ck_assert_str_eq(linx_map_get(&ev, "stage")->str, "request_too_big");
	linx_value_clear(&ev);
	ck_assert_int_eq(waitpid(r.pid, &status, 0), r.pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(r.fd);
}
END_TEST

/* The next event that is not "spawned" or "pty_out". */
static void raw_recv_skip(struct raw *r, struct linx_value *m)
{
	for (;;) {
		raw_recv(r, m);
		if (strcmp(ev_name(m), "spawned") != 0 &&
		    strcmp(ev_name(m), "pty_out") != 0)
			return;
		linx_value_clear(m);
	}
}

static struct linx_value winsize_req(uint64_t id, const char *field,
				     uint64_t x)
{
	struct linx_value m = linx_value_map();

	linx_map_put_cstring(&m, "op", "winsize");
	linx_map_put_uint(&m, "id", id);
	linx_map_put_uint(&m, field, x);
	return m;
}

/* Window sizes on the wire: a field out of 0..65535 is refused, naming
 * it, never truncated; a field a request does not give is kept. */
START_TEST(raw_wire_winsize)
{
	struct raw r;
	struct linx_value m, ev, argv, ws;
	char out[256] = "";
	size_t used = 0;

	raw_start(&r);
	raw_recv(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "hello");
	linx_value_clear(&ev);

	for (uint64_t id = 1; id <= 2; id++) {
		m = spawn_req(id);
		argv = linx_value_list();
		linx_list_push_cstring(&argv, "/bin/sh");
		linx_list_push_cstring(&argv, "-c");
		linx_list_push_cstring(&argv, "stty size");
		linx_map_put(&m, "argv", &argv);
		linx_map_put_cstring(&m, "stdio", "pty");
		ws = linx_value_map();
		linx_map_put_uint(&ws, "rows", 24);
		/* 65536 + 80 would be 80 once truncated. */
		linx_map_put_uint(&ws, "cols", id == 1 ? 65616 : 80);
		linx_map_put(&m, "winsize", &ws);
		raw_send(&r, &m);
	}
	expect_error(&r, 1, "malformed_request", "cols");
	raw_recv_skip(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "ready");
	linx_value_clear(&ev);

	m = winsize_req(2, "rows", 65536 + 30);
	raw_send(&r, &m);
	raw_recv(&r, &ev);
	ck_assert_str_eq(ev_name(&ev), "reject");
	ck_assert_int_eq(linx_map_get(&ev, "errno")->i, EINVAL);
	ck_assert_msg(strstr(linx_map_get(&ev, "message")->str, "rows"),
		      "message: %s", linx_map_get(&ev, "message")->str);
	linx_value_clear(&ev);
	/* rows alone keeps cols (80), then cols alone keeps rows (30). */
	m = winsize_req(2, "rows", 30);
	raw_send(&r, &m);
	m = winsize_req(2, "xpixel", 640);
	raw_send(&r, &m);
	m = winsize_req(2, "cols", 100);
	raw_send(&r, &m);
	m = linx_value_map();
	linx_map_put_cstring(&m, "op", "proceed");
	linx_map_put_uint(&m, "id", 2);
	raw_send(&r, &m);
	for (;;) {
		const struct linx_value *d;

		raw_recv(&r, &ev);
		if (strcmp(ev_name(&ev), "exited") == 0)
			break;
		if (strcmp(ev_name(&ev), "running") == 0) {
			linx_value_clear(&ev);
			continue;
		}
		ck_assert_str_eq(ev_name(&ev), "pty_out");
		d = linx_map_get(&ev, "data");
		ck_assert(used + d->len < sizeof(out));
		memcpy(out + used, d->bytes, d->len);
		used += d->len;
		linx_value_clear(&ev);
	}
	ck_assert_int_eq(linx_map_get(&ev, "code")->i, 0);
	linx_value_clear(&ev);
	ck_assert_str_eq(out, "30 100\r\n");
	close(r.fd);
	waitpid(r.pid, NULL, 0);
}
END_TEST

/* ---- linx_agent_connect --------------------------------------------------- */

/* An agent started by hand, handed to the library: it works as one from
 * linx_agent_start, and linx_agent_free closes the channel and reaps it. */
START_TEST(connect_an_agent_started_elsewhere)
{
	static const char *const argv[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct linx_process_result res;
	struct linx_agent *a;
	struct linx_process *p;
	struct linx_error err;
	struct raw r;

	raw_start(&r);
	linx_assert_ok(linx_agent_connect(&a, r.fd, r.pid, &err), &err);
	ck_assert_int_eq(linx_agent_pid(a), r.pid);
	ck_assert_int_eq(linx_agent_fd(a), r.fd);
	p = pt_spawn(a, LINX_NS_PID, argv);
	pt_wait_stage(p, LINX_PROCESS_READY);
	linx_assert_ok(linx_process_proceed(p, &err), &err);
	res = pt_result(p);
	ck_assert_int_eq(res.stage, LINX_PROCESS_EXITED);
	ck_assert_int_eq(res.value, 3);
	linx_process_free(p);
	linx_agent_free(a);
	ck_assert_int_eq(fcntl(r.fd, F_GETFD), -1);
	ck_assert_int_eq(waitpid(r.pid, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}
END_TEST

/* Refused or not, the descriptor and the agent are the library's: closed
 * and reaped, never left to the caller. */
START_TEST(connect_refusals_take_what_they_were_given)
{
	struct linx_agent *a = (struct linx_agent *)&a;
	struct linx_error err;
	struct raw r;
	int pfd[2];

	/* Not a socket. */
	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ck_assert_int_eq(linx_agent_connect(&a, pfd[0], 0, &err), -EINVAL);
	ck_assert_ptr_null(a);
	ck_assert_str_eq(err.param, "fd");
	ck_assert_int_eq(fcntl(pfd[0], F_GETFD), -1);
	close(pfd[1]);
	ck_assert_int_eq(linx_agent_connect(&a, -1, 0, &err), -EINVAL);
	/* No output: the live agent is ended and reaped. */
	raw_start(&r);
	ck_assert_int_eq(linx_agent_connect(NULL, r.fd, r.pid, &err), -EINVAL);
	ck_assert_str_eq(err.param, "ret");
	ck_assert_int_eq(fcntl(r.fd, F_GETFD), -1);
	ck_assert_int_eq(waitpid(r.pid, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	/* An agent that dies before its greeting. */
	raw_start(&r);
	kill(r.pid, SIGKILL);
	ck_assert_int_lt(linx_agent_connect(&a, r.fd, r.pid, &err), 0);
	ck_assert_ptr_null(a);
	ck_assert_str_eq(err.op, "hello");
	ck_assert_int_eq(fcntl(r.fd, F_GETFD), -1);
	ck_assert_int_eq(waitpid(r.pid, NULL, WNOHANG), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("process-leaks");
	TCase *tc = tcase_create("leaks");

	linx_test_require_root();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, host_killed_nothing_survives);
	tcase_add_test(tc, agent_killed_workloads_die);
	tcase_add_test(tc, linger_survives_the_host);
	tcase_add_test(tc, thousand_cycles_no_growth);
	tcase_add_test(tc, many_parked_under_a_low_soft_limit);
	tcase_add_test(tc, every_descriptor_cloexec);
	tcase_add_test(tc, raw_wire_validation);
	tcase_add_test(tc, raw_wire_winsize);
	tcase_add_test(tc, connect_an_agent_started_elsewhere);
	tcase_add_test(tc, connect_refusals_take_what_they_were_given);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
