/* SPDX-License-Identifier: MIT */
/*
 * The ruleset monitor against the kernel, with nft(8) as the writer:
 * events for every object kind, grouped by generation and stamped with
 * the committer ("nft"); since_gen and set_min_gen; a resync after an
 * overflow; a monitor in another process's namespace; the verbs.  Each
 * test runs in a network namespace it creates.  Plus, without a kernel,
 * hand-made and malformed notifications through the event decoder.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linx/nft.h>
#include <linx/plugin.h>

#include "linx-test.h"
#include "nft-listen.h"

extern const struct linx_plugin linx_plugin_nft;

static void nft_ok(const char *fmt, ...) LINX_PRINTF(1, 2);
static void nft_ok(const char *fmt, ...)
{
	char *cmd = NULL, *out;
	va_list ap;
	int status;

	va_start(ap, fmt);
	ck_assert(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	out = linx_test_sh(&status, "%s 2>&1", cmd);
	ck_assert_msg(status == 0, "failed (%d): %s\n%s", status, cmd, out);
	free(out);
	free(cmd);
}

static const char *str_of(const struct linx_value *ev, const char *key)
{
	const struct linx_value *v = linx_map_get(ev, key);

	return v && v->type == LINX_STRING ? v->str : NULL;
}

static bool uint_of(const struct linx_value *ev, const char *key,
		    uint64_t *ret)
{
	const struct linx_value *v = linx_map_get(ev, key);

	return v && linx_value_get_u64(v, ret);
}

/* Read events into `list` until `gens` new_gen events came (or a
 * resync, when stop_at_resync), or 5 s passed.  Returns the number of
 * new_gen events seen. */
static unsigned collect(struct linx_nft_monitor *m, unsigned gens,
			struct linx_value *list)
{
	unsigned seen = 0;
	struct pollfd pfd = { .fd = linx_nft_monitor_fd(m), .events = POLLIN };

	for (int round = 0; round < 500 && seen < gens;) {
		struct linx_value ev;
		struct linx_error err;
		int r = linx_nft_monitor_next(m, &ev, &err);

		linx_assert_ok(r, &err);
		if (r == 0) {
			if (poll(&pfd, 1, 10) == 0)
				round++;
			continue;
		}
		if (str_of(&ev, "op") && !strcmp(str_of(&ev, "op"), "new_gen"))
			seen++;
		ck_assert_int_eq(linx_list_push(list, &ev), 0);
	}
	return seen;
}

static struct linx_nft_monitor *mon_open(uint32_t since, int rcvbuf)
{
	struct linx_nft_monitor_opts o = { .rcvbuf = rcvbuf,
					   .since_gen = since };
	struct linx_nft_monitor *m;
	struct linx_error err;

	linx_assert_ok(linx_nft_monitor_open(NULL, &o, &m, &err), &err);
	return m;
}

/* The first event of `list` with op `op` (and `key` == `val` if key). */
static const struct linx_value *find(const struct linx_value *list,
				     const char *op, const char *key,
				     const char *val)
{
	for (uint32_t i = 0; i < list->len; i++) {
		const struct linx_value *ev = &list->items[i];
		const char *o = str_of(ev, "op");

		if (!o || strcmp(o, op))
			continue;
		if (!key || (str_of(ev, key) && !strcmp(str_of(ev, key), val)))
			return ev;
	}
	return NULL;
}

static const char *ruleset =
	"table inet t {\n"
	"  set s { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }\n"
	"  counter cnt { }\n"
	"  quota q { over 10 mbytes }\n"
	"  chain c1 { type filter hook input priority 0; policy accept;\n"
	"    ip saddr @s counter accept; }\n"
	"  chain c2 { }\n"
	"}\n";

START_TEST(every_kind_grouped)
{
	struct linx_value list = linx_value_list();
	struct linx_nft_monitor *m;
	const struct linx_value *ev, *gen_ev;
	uint64_t gen = 0, g, pid, rule = 0;
	char path[] = "/tmp/linx-nft-monXXXXXX";
	int fd;

	linx_test_private_netns();
	m = mon_open(0, 0);
	{
		/* The 4 MiB default (the kernel reports it doubled). */
		int got = 0;
		socklen_t len = sizeof(got);

		ck_assert_int_eq(getsockopt(linx_nft_monitor_fd(m), SOL_SOCKET,
					    SO_RCVBUF, &got, &len),
				 0);
		ck_assert_int_ge(got, 4 * 1024 * 1024);
	}
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert(write(fd, ruleset, strlen(ruleset)) == (ssize_t)strlen(ruleset));
	close(fd);
	nft_ok("nft -f %s", path);
	unlink(path);
	ck_assert_uint_eq(collect(m, 1, &list), 1);

	/* One commit: every entity, then its new_gen, all stamped alike. */
	gen_ev = &list.items[list.len - 1];
	ck_assert_str_eq(str_of(gen_ev, "op"), "new_gen");
	ck_assert(uint_of(gen_ev, "gen", &gen));
	ck_assert_str_eq(str_of(gen_ev, "proc_name"), "nft");
	ck_assert(uint_of(gen_ev, "proc_pid", &pid) && pid > 0);
	ev = linx_map_get(gen_ev, "entity");
	ck_assert(uint_of(ev, "id", &g) && g == gen);
	for (uint32_t i = 0; i < list.len; i++) {
		ck_assert(uint_of(&list.items[i], "gen", &g));
		ck_assert_uint_eq(g, gen);
		ck_assert_str_eq(str_of(&list.items[i], "proc_name"), "nft");
	}

	ev = find(&list, "new_table", "table", "t");
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str_of(ev, "family"), "inet");
	ck_assert_str_eq(str_of(linx_map_get(ev, "entity"), "name"), "t");
	ev = find(&list, "new_chain", "chain", "c1");
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str_of(ev, "table"), "t");
	ck_assert(uint_of(linx_map_get(ev, "entity"), "handle", &g));
	ck_assert_ptr_nonnull(find(&list, "new_chain", "chain", "c2"));
	ev = find(&list, "new_rule", "chain", "c1");
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str_of(ev, "table"), "t");
	ck_assert(uint_of(linx_map_get(ev, "entity"), "handle", &rule));
	ck_assert_ptr_nonnull(find(&list, "new_set", "set", "s"));
	ev = find(&list, "new_set_element", "set", "s");
	ck_assert_ptr_nonnull(ev);
	ck_assert_ptr_nonnull(linx_map_get(linx_map_get(ev, "entity"),
					   "elements"));
	ev = find(&list, "new_obj", "table", "t");
	ck_assert_ptr_nonnull(ev);
	/* Kernel order: the table comes before what it holds. */
	ck_assert_str_eq(str_of(&list.items[0], "op"), "new_table");
	linx_value_clear(&list);

	/* Deletions, one commit each; their groups in commit order. */
	list = linx_value_list();
	nft_ok("nft delete rule inet t c1 handle %llu",
	       (unsigned long long)rule);
	nft_ok("nft delete element inet t s '{ 10.0.0.2 }'");
	nft_ok("nft delete counter inet t cnt");
	nft_ok("nft delete table inet t");
	ck_assert_uint_eq(collect(m, 4, &list), 4);
	ck_assert_ptr_nonnull(find(&list, "del_rule", "chain", "c1"));
	ck_assert_ptr_nonnull(find(&list, "del_set_element", "set", "s"));
	ck_assert_ptr_nonnull(find(&list, "del_obj", NULL, NULL));
	ck_assert_ptr_nonnull(find(&list, "del_table", "table", "t"));
	ck_assert_ptr_nonnull(find(&list, "del_chain", "chain", "c2"));
	ck_assert_ptr_nonnull(find(&list, "del_set", "set", "s"));
	{
		uint64_t last = gen, cur = 0;
		unsigned gens = 0;

		/* Generations strictly increase from group to group, and
		 * each group ends with its own new_gen. */
		for (uint32_t i = 0; i < list.len; i++) {
			ck_assert(uint_of(&list.items[i], "gen", &g));
			if (!cur)
				cur = g;
			ck_assert_uint_eq(g, cur);
			if (!strcmp(str_of(&list.items[i], "op"), "new_gen")) {
				ck_assert_uint_gt(g, last);
				last = g;
				cur = 0;
				gens++;
			}
		}
		ck_assert_uint_eq(gens, 4);
	}
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
}
END_TEST

/* Elements of a set created before the monitor: its declaration is
 * asked of the kernel (or, without a set decoder, the keys stay raw). */
START_TEST(elements_of_older_set)
{
	struct linx_value list = linx_value_list();
	struct linx_nft_monitor *m;
	const struct linx_value *ev, *el;

	linx_test_private_netns();
	nft_ok("nft add table ip old");
	nft_ok("nft add set ip old s '{ type ipv4_addr; }'");
	m = mon_open(0, 0);
	nft_ok("nft add element ip old s '{ 192.0.2.7 }'");
	nft_ok("nft add element ip old s '{ 192.0.2.8 }'");
	ck_assert_uint_eq(collect(m, 2, &list), 2);
	ev = find(&list, "new_set_element", "set", "s");
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str_of(ev, "table"), "old");
	el = linx_map_get(linx_map_get(ev, "entity"), "elements");
	ck_assert_ptr_nonnull(el);
	ck_assert_uint_eq(el->len, 1);
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
}
END_TEST

/* An interval's start and end come in separate messages: one event per
 * set and commit carries them together, merged into a range where the
 * set decoder is there. */
START_TEST(interval_elements_one_event)
{
	struct linx_value list = linx_value_list();
	struct linx_nft_monitor *m;
	const struct linx_value *el = NULL, *first;
	unsigned n = 0;

	linx_test_private_netns();
	nft_ok("nft add table inet iv");
	nft_ok("nft add set inet iv ports '{ type inet_service; flags "
	       "interval; }'");
	m = mon_open(0, 0);
	nft_ok("nft add element inet iv ports '{ 100-200, 300-400 }'");
	ck_assert_uint_eq(collect(m, 1, &list), 1);
	for (uint32_t i = 0; i < list.len; i++)
		if (!strcmp(str_of(&list.items[i], "op"), "new_set_element")) {
			n++;
			el = linx_map_get(linx_map_get(&list.items[i], "entity"),
					  "elements");
		}
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_nonnull(el);
	first = &el->items[0];
	if (first->type == LINX_MAP && linx_map_get(first, "range")) {
		const struct linx_value *r = linx_map_get(first, "range");
		uint64_t lo, hi;

		ck_assert_uint_eq(el->len, 2);
		ck_assert(linx_value_get_u64(&r->items[0], &lo) && lo == 100);
		ck_assert(linx_value_get_u64(&r->items[1], &hi) && hi == 200);
	} else {
		/* Raw keys: the starts and the ends, the ends marked. */
		unsigned ends = 0;

		for (uint32_t i = 0; i < el->len; i++)
			if (linx_map_get(&el->items[i], "end"))
				ends++;
		ck_assert_uint_ge(el->len, 4);
		ck_assert_uint_ge(ends, 2);
	}
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
}
END_TEST

/* Flowtables need CONFIG_NF_FLOW_TABLE(_INET): probed, else skipped. */
START_TEST(flowtable_events)
{
	struct linx_value list = linx_value_list();
	struct linx_nft_monitor *m;
	const struct linx_value *ev;
	int status;
	char *out;

	linx_test_private_netns();
	nft_ok("ip link add v0 type veth peer name v1");
	nft_ok("nft add table inet ft");
	m = mon_open(0, 0);
	out = linx_test_sh(&status, "nft add flowtable inet ft f "
				    "'{ hook ingress priority 0; devices = "
				    "{ v0 }; }' 2>&1");
	free(out);
	if (status != 0) {
		/* This kernel has no flowtables; the VM lane has. */
		fprintf(stderr, "flowtable_events: flowtables unsupported "
				"here, not checked\n");
		linx_nft_monitor_close(m);
		return;
	}
	nft_ok("nft delete flowtable inet ft f");
	ck_assert_uint_eq(collect(m, 2, &list), 2);
	ev = find(&list, "new_flowtable", "table", "ft");
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str_of(linx_map_get(ev, "entity"), "name"), "f");
	ck_assert_ptr_nonnull(find(&list, "del_flowtable", "table", "ft"));
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
}
END_TEST

/* The gen of the first new_gen in a fresh collection of one commit. */
static uint64_t commit_gen(struct linx_nft_monitor *m, const char *cmd)
{
	struct linx_value list = linx_value_list();
	uint64_t g = 0;

	nft_ok("%s", cmd);
	ck_assert_uint_eq(collect(m, 1, &list), 1);
	ck_assert(uint_of(&list.items[list.len - 1], "gen", &g));
	linx_value_clear(&list);
	return g;
}

START_TEST(since_gen_and_min_gen)
{
	struct linx_value list = linx_value_list();
	struct linx_nft_monitor *m, *m2;
	uint64_t g0, g;

	linx_test_private_netns();
	m = mon_open(0, 0);
	g0 = commit_gen(m, "nft add table ip a");

	/* since_gen = g0 + 1: the next commit (g0 + 1) is dropped, the
	 * one after it delivered. */
	m2 = mon_open((uint32_t)g0 + 1, 0);
	nft_ok("nft add table ip b");
	nft_ok("nft add table ip c");
	ck_assert_uint_eq(collect(m2, 1, &list), 1);
	ck_assert_ptr_null(find(&list, "new_table", "table", "b"));
	ck_assert_ptr_nonnull(find(&list, "new_table", "table", "c"));
	for (uint32_t i = 0; i < list.len; i++) {
		ck_assert(uint_of(&list.items[i], "gen", &g));
		ck_assert_uint_gt(g, g0 + 1);
	}
	linx_value_clear(&list);

	/* set_min_gen on events already queued: m saw b and c arrive but
	 * nobody read them; a floor at b's generation hides b. */
	usleep(100 * 1000);
	ck_assert_int_eq(linx_nft_monitor_set_min_gen(m, (uint32_t)g0 + 1), 0);
	list = linx_value_list();
	ck_assert_uint_eq(collect(m, 1, &list), 1);
	ck_assert_ptr_null(find(&list, "new_table", "table", "b"));
	ck_assert_ptr_nonnull(find(&list, "new_table", "table", "c"));
	linx_value_clear(&list);
	ck_assert_int_eq(linx_nft_monitor_set_min_gen(NULL, 1), -EINVAL);
	linx_nft_monitor_close(m);
	linx_nft_monitor_close(m2);
}
END_TEST

/* The recipe of monitor.md: open, pull, set_min_gen(pulled gen): what
 * the snapshot holds is not replayed, what comes after flows. */
START_TEST(snapshot_and_tail)
{
	struct linx_value list = linx_value_list(), rs;
	struct linx_nft_monitor *m;
	struct linx_nft *s;
	struct linx_nft_gen gen;
	struct linx_error err;
	uint64_t g;

	linx_test_private_netns();
	m = mon_open(0, 0);
	nft_ok("nft add table ip before");
	linx_assert_ok(linx_nft_open(NULL, &s, &err), &err);
	linx_assert_ok(linx_nft_pull(s, NULL, &rs, &gen, &err), &err);
	linx_value_clear(&rs);
	linx_nft_close(s);
	ck_assert_int_eq(linx_nft_monitor_set_min_gen(m, gen.id), 0);
	nft_ok("nft add table ip after");
	ck_assert_uint_eq(collect(m, 1, &list), 1);
	ck_assert_ptr_null(find(&list, "new_table", "table", "before"));
	ck_assert_ptr_nonnull(find(&list, "new_table", "table", "after"));
	for (uint32_t i = 0; i < list.len; i++) {
		ck_assert(uint_of(&list.items[i], "gen", &g));
		ck_assert_uint_gt(g, gen.id);
	}
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
}
END_TEST

START_TEST(overflow_resync)
{
	struct linx_value list = linx_value_list();
	struct linx_nft_monitor *m;
	char path[] = "/tmp/linx-nft-monXXXXXX";
	FILE *f;
	int fd;
	bool resync = false;
	unsigned events = 0;

	linx_test_private_netns();
	/* The smallest buffer the kernel allows (it doubles and floors
	 * the request, socket(7)). */
	m = mon_open(0, 1);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "table ip big {\n chain c {\n");
	for (int i = 0; i < 2000; i++)
		fprintf(f, "  tcp dport %d accept\n", 1000 + i);
	fprintf(f, " }\n}\n");
	fclose(f);
	/* 2,000 notifications in one commit, none read meanwhile. */
	nft_ok("nft -f %s", path);
	for (int i = 0; i < 20; i++)
		nft_ok("nft add table ip x%d", i);
	unlink(path);

	/* The loss comes out as a resync, in order, and reading goes on:
	 * later commits still arrive whole. */
	collect(m, 1000, &list); /* runs until quiet */
	for (uint32_t i = 0; i < list.len; i++) {
		if (!strcmp(str_of(&list.items[i], "op"), "resync")) {
			resync = true;
			ck_assert_uint_eq(list.items[i].len, 1);
		} else {
			events++;
		}
	}
	ck_assert_msg(resync, "no resync among %u events", list.len);
	fprintf(stderr, "overflow_resync: %u of 2062 events kept, then a "
			"resync\n", events);
	ck_assert_uint_lt(events, 2000 + 2 + 40);
	linx_value_clear(&list);

	list = linx_value_list();
	nft_ok("nft add table ip after");
	ck_assert_uint_eq(collect(m, 1, &list), 1);
	ck_assert_ptr_nonnull(find(&list, "new_table", "table", "after"));
	/* Nothing of the commits cut by the loss is stamped with the
	 * generation of this one. */
	ck_assert_uint_eq(list.len, 2);
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
}
END_TEST

/* A monitor in another process's namespace sees that namespace only. */
START_TEST(other_netns)
{
	struct linx_value list = linx_value_list();
	struct linx_ns_target t = { .kind = LINX_NS_TARGET_PID };
	struct linx_nft_monitor *m;
	struct linx_error err;
	pid_t pid;

	linx_test_private_netns();
	pid = linx_test_spawn_in_ns(CLONE_NEWNET);
	t.pid = pid;
	linx_assert_ok(linx_nft_monitor_open(&t, NULL, &m, &err), &err);
	nft_ok("nft add table ip here");
	nft_ok("nsenter --net=/proc/%d/ns/net nft add table ip there", pid);
	ck_assert_uint_eq(collect(m, 1, &list), 1);
	ck_assert_ptr_nonnull(find(&list, "new_table", "table", "there"));
	ck_assert_ptr_null(find(&list, "new_table", "table", "here"));
	linx_value_clear(&list);
	linx_nft_monitor_close(m);
	linx_test_reap(pid);
}
END_TEST

START_TEST(bad_arguments)
{
	struct linx_nft_monitor_opts o = { .rcvbuf = -1 };
	struct linx_nft_monitor *m = NULL;
	struct linx_value v;
	struct linx_error err;

	ck_assert_int_eq(linx_nft_monitor_open(NULL, NULL, NULL, &err), -EINVAL);
	ck_assert_int_eq(linx_nft_monitor_open(NULL, &o, &m, &err), -EINVAL);
	ck_assert_str_eq(err.param, "rcvbuf");
	ck_assert_int_eq(linx_nft_monitor_next(NULL, &v, &err), -EINVAL);
	ck_assert_int_eq(linx_nft_monitor_fd(NULL), -EINVAL);
	linx_nft_monitor_close(NULL);
}
END_TEST

/* ---- the verbs -------------------------------------------------------------- */

static struct linx_value call_ok(struct linx_registry *reg, const char *verb,
				 struct linx_value *args)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err;

	linx_assert_ok(linx_call(reg, verb, args, &res, 0, &err), &err);
	linx_value_clear(args);
	return res;
}

START_TEST(verbs)
{
	const struct linx_plugin *const plugins[] = { &linx_plugin_nft };
	struct linx_registry *reg = linx_test_registry(plugins, 1);
	struct linx_value args, h, res, ref;
	struct linx_error err;
	bool saw = false;
	int fds = linx_test_count_fds();

	linx_test_private_netns();
	args = linx_value_map();
	linx_map_put_cstring(&args, "netns", "self");
	h = call_ok(reg, "nft.monitor.open", &args);
	ck_assert_int_eq(h.type, LINX_HANDLE);

	/* Nothing yet: nil after the timeout. */
	args = linx_value_map();
	linx_value_copy(&ref, &h);
	linx_map_put(&args, "monitor", &ref);
	linx_map_put_uint(&args, "timeout_ms", 50);
	res = call_ok(reg, "nft.monitor.next", &args);
	ck_assert_int_eq(res.type, LINX_NIL);

	nft_ok("nft add table netdev nd");
	for (int i = 0; i < 20 && !saw; i++) {
		args = linx_value_map();
		linx_value_copy(&ref, &h);
		linx_map_put(&args, "monitor", &ref);
		linx_map_put_uint(&args, "timeout_ms", 200);
		res = call_ok(reg, "nft.monitor.read", &args);
		ck_assert_int_eq(res.type, LINX_LIST);
		for (uint32_t j = 0; j < res.len; j++)
			if (str_of(&res.items[j], "table") &&
			    !strcmp(str_of(&res.items[j], "table"), "nd")) {
				ck_assert_str_eq(str_of(&res.items[j], "family"),
						 "netdev");
				saw = true;
			}
		linx_value_clear(&res);
	}
	ck_assert(saw);

	args = linx_value_map();
	linx_value_copy(&ref, &h);
	linx_map_put(&args, "monitor", &ref);
	linx_map_put_uint(&args, "gen", 5);
	res = call_ok(reg, "nft.monitor.set_min_gen", &args);

	args = linx_value_map();
	linx_value_copy(&ref, &h);
	linx_map_put(&args, "monitor", &ref);
	res = call_ok(reg, "nft.monitor.close", &args);

	/* Closed: a clear error, not a crash. */
	args = linx_value_map();
	linx_value_copy(&ref, &h);
	linx_map_put(&args, "monitor", &ref);
	ck_assert_int_eq(linx_call(reg, "nft.monitor.next", &args, &res, 0,
				   &err),
			 -EBADF);
	linx_value_clear(&args);

	/* A bad since_gen is refused before any socket. */
	args = linx_value_map();
	linx_map_put_int(&args, "since_gen", -1);
	ck_assert_int_eq(linx_call(reg, "nft.monitor.open", &args, &res, 0,
				   &err),
			 -EINVAL);
	linx_value_clear(&args);
	linx_value_clear(&h);
	linx_registry_free(reg);
	ck_assert_int_eq(linx_test_count_fds(), fds);
}
END_TEST

/* ---- the decoder, no kernel --------------------------------------------------- */

static size_t begin(struct nft_msgbuf *b, uint8_t msg, uint8_t family)
{
	return nft_msg_begin(b, NFT_TYPE(msg), 0, 0, family, 0);
}

START_TEST(decode_handmade)
{
	struct nft_msgbuf b;
	struct linx_value ev;
	uint32_t gen = 7, pid = 42;
	uint64_t u;
	size_t off;

	nft_msgbuf_init(&b);
	off = begin(&b, NFT_MSG_NEWRULE, NFPROTO_INET);
	nft_put_strz(&b, NFTA_RULE_TABLE, "t");
	nft_put_strz(&b, NFTA_RULE_CHAIN, "c");
	nft_put_be64(&b, NFTA_RULE_HANDLE, 9);
	nft_msg_end(&b, off);
	ck_assert_int_eq(nft_event_build(&(const struct nlmsghdr *){ nft_msg_at(&b, off) }, 1, &gen, &pid,
					 "nft", NULL, &ev),
			 0);
	ck_assert_str_eq(str_of(&ev, "op"), "new_rule");
	ck_assert_str_eq(str_of(&ev, "family"), "inet");
	ck_assert_str_eq(str_of(&ev, "table"), "t");
	ck_assert_str_eq(str_of(&ev, "chain"), "c");
	ck_assert(uint_of(&ev, "gen", &u) && u == 7);
	ck_assert(uint_of(&ev, "proc_pid", &u) && u == 42);
	ck_assert(uint_of(linx_map_get(&ev, "entity"), "handle", &u) && u == 9);
	linx_value_clear(&ev);

	/* An unknown message type keeps its bytes. */
	nft_msgbuf_reset(&b);
	off = begin(&b, 200, NFPROTO_IPV4);
	nft_put_be32(&b, 1, 0x01020304);
	nft_msg_end(&b, off);
	ck_assert_int_eq(nft_event_build(&(const struct nlmsghdr *){ nft_msg_at(&b, off) }, 1, NULL, NULL, NULL,
					 NULL, &ev),
			 0);
	ck_assert_str_eq(str_of(&ev, "op"), "unknown");
	ck_assert(uint_of(&ev, "type", &u) && u == 200);
	ck_assert_int_eq(linx_map_get(&ev, "entity")->type, LINX_BYTES);
	ck_assert_int_eq(linx_map_get(&ev, "gen")->type, LINX_NIL);
	linx_value_clear(&ev);

	/* Too short for its nfgenmsg: unknown, not a crash. */
	nft_msgbuf_reset(&b);
	off = begin(&b, NFT_MSG_NEWTABLE, NFPROTO_IPV4);
	nft_msg_end(&b, off);
	nft_msg_at(&b, off)->nlmsg_len = sizeof(struct nlmsghdr) + 2;
	ck_assert_int_eq(nft_event_build(&(const struct nlmsghdr *){ nft_msg_at(&b, off) }, 1, NULL, NULL, NULL,
					 NULL, &ev),
			 0);
	ck_assert_str_eq(str_of(&ev, "op"), "unknown");
	linx_value_clear(&ev);

	/* A table name that is not UTF-8 comes back as bytes; an attribute
	 * overrunning the message is left out. */
	nft_msgbuf_reset(&b);
	off = begin(&b, NFT_MSG_DELTABLE, NFPROTO_IPV6);
	nft_put(&b, NFTA_TABLE_NAME, "\xff\xfe", 3);
	nft_put_be64(&b, NFTA_TABLE_HANDLE, 1);
	nft_msg_end(&b, off);
	nft_msg_at(&b, off)->nlmsg_len -= 4;
	ck_assert_int_eq(nft_event_build(&(const struct nlmsghdr *){ nft_msg_at(&b, off) }, 1, NULL, NULL, NULL,
					 NULL, &ev),
			 0);
	ck_assert_str_eq(str_of(&ev, "op"), "del_table");
	ck_assert_str_eq(str_of(&ev, "family"), "ip6");
	ck_assert_int_eq(linx_map_get(&ev, "table")->type, LINX_BYTES);
	ck_assert_ptr_null(linx_map_get(linx_map_get(&ev, "entity"), "handle"));
	linx_value_clear(&ev);
	nft_msgbuf_fini(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-monitor");
	TCase *tc = tcase_create("monitor");

	linx_test_require_root();
	linx_test_require(linx_nft_supported(), "no NETLINK_NETFILTER here");
	linx_test_require(system("command -v nft >/dev/null 2>&1") == 0,
			  "needs nft(8) as the writer");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_kind_grouped);
	tcase_add_test(tc, flowtable_events);
	tcase_add_test(tc, elements_of_older_set);
	tcase_add_test(tc, interval_elements_one_event);
	tcase_add_test(tc, since_gen_and_min_gen);
	tcase_add_test(tc, snapshot_and_tail);
	tcase_add_test(tc, overflow_resync);
	tcase_add_test(tc, other_netns);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, verbs);
	tcase_add_test(tc, decode_handmade);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
