/* SPDX-License-Identifier: MIT */
/*
 * `linx reconcile` against the real plugins, each test in a network
 * namespace of its own with a veth pair: one pass heals drift made with
 * ip(8) and sysctl(8) and keeps last_applied in the state file; --watch
 * reacts to an ip change and stops cleanly on SIGTERM, and reopens a
 * monitor that died, with a full pass; the state file is absent or
 * valid whenever the loop is killed; the diff of what `ip -j` shows
 * (links, addresses, routes, neighbours, rules) equals the diff of what
 * rtnl.observe reads; sysctl, cgroup and nf_tables drift healed too.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli-run.h"
#include "linx-test.h"

#ifndef PLUGIN_DIR
#error PLUGIN_DIR must be defined
#endif

static char dir[64], desired[96], state[96];

static const char desired_json[] =
	"{\"addresses\": [{\"dev\": \"d0\", \"address\": \"10.0.0.2/24\"}],\n"
	" \"routes\": [{\"dst\": \"10.50.0.0/24\", \"gateway\": \"10.0.0.1\"},\n"
	"            {\"dst\": \"10.60.0.0/24\", \"gateway\": \"10.0.0.1\",\n"
	"             \"table\": 100},\n"
	"            [\"default\", \"10.0.0.1\"]]}\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
	int status;

	cli_plugin_path = PLUGIN_DIR;
	linx_test_private_netns();
	free(linx_test_sh(&status, "ip link add d0 type veth peer name d1 && "
				   "ip link set d0 up && ip link set d1 up"));
	ck_assert_int_eq(status, 0);
	snprintf(dir, sizeof(dir), "/tmp/linx-reconcile-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(desired, sizeof(desired), "%s/desired.json", dir);
	snprintf(state, sizeof(state), "%s/state.json", dir);
	write_file(desired, desired_json);
}

static void teardown(void)
{
	free(linx_test_sh(NULL, "rm -rf %s", dir));
}

static void sh_ok(const char *cmd)
{
	int status;
	char *out = linx_test_sh(&status, "%s", cmd);

	ck_assert_msg(status == 0, "%s: %s", cmd, out);
	free(out);
}

/* The protocol-76 routes per ip, "dst gateway table" sorted. */
static char *our_routes(void)
{
	int status;
	char *out = linx_test_sh(&status,
				 "ip -j route show table all | jq -r '.[] | "
				 "select(.protocol == \"76\") | \"\\(.dst) "
				 "\\(.gateway // \"-\") \\(.table // \"main\")\"' "
				 "| LC_ALL=C sort");

	ck_assert_int_eq(status, 0);
	return out;
}

static const char want_routes[] = "10.50.0.0/24 10.0.0.1 main\n"
				  "10.60.0.0/24 10.0.0.1 100\n"
				  "default 10.0.0.1 main\n";

static json_int_t applied(const json_t *rep)
{
	return (json_int_t)json_array_size(json_object_get(rep, "applied"));
}

static json_t *load_state(void)
{
	json_error_t e;
	json_t *j = json_load_file(state, 0, &e);

	ck_assert_msg(j, "state file: %s", e.text);
	return j;
}

START_TEST(one_pass_heals_and_keeps_state)
{
	struct cli_out r;
	json_t *rep, *st;
	char *routes;

	setup();
	cli_run(&r, "reconcile", "rtnl", desired, "--state", state);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	rep = cli_out_json(&r);
	ck_assert(json_is_true(json_object_get(rep, "converged")));
	ck_assert_int_eq(applied(rep), 4);
	json_decref(rep);
	cli_out_free(&r);
	routes = our_routes();
	ck_assert_str_eq(routes, want_routes);
	free(routes);
	st = load_state();
	ck_assert_str_eq(json_string_value(json_object_get(st, "subsystem")),
			 "rtnl");
	ck_assert_int_eq(json_array_size(json_object_get(
				 json_object_get(st, "last_applied"),
				 "addresses")),
			 1);
	json_decref(st);

	/* Drift with ip: one route gone, one gateway changed, one of our
	 * addresses dropped from the desired state (the state file knows it
	 * is ours). */
	sh_ok("ip route del 10.50.0.0/24 && "
	      "ip route replace default via 10.0.0.9 proto 76 && "
	      "ip addr add 10.9.9.3/24 dev d0");
	cli_run(&r, "reconcile", "rtnl", desired, "--state", state);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	rep = cli_out_json(&r);
	ck_assert_int_eq(applied(rep), 2);
	json_decref(rep);
	cli_out_free(&r);
	routes = our_routes();
	ck_assert_str_eq(routes, want_routes);
	free(routes);

	/* A second pass is a no-op; the foreign 10.9.9.3 is still there. */
	cli_run(&r, "reconcile", "rtnl", desired, "--state", state);
	ck_assert_int_eq(r.status, 0);
	rep = cli_out_json(&r);
	ck_assert(json_is_true(json_object_get(rep, "converged")));
	ck_assert_int_eq(applied(rep), 0);
	json_decref(rep);
	cli_out_free(&r);
	sh_ok("ip -j addr show dev d0 | jq -e '[.[].addr_info[].local] | "
	      "index(\"10.9.9.3\") != null' >/dev/null");

	/* Without our address in the desired state, the state file makes
	 * the next pass remove it, and only it. */
	write_file(desired, "{\"addresses\": []}");
	cli_run(&r, "reconcile", "rtnl", desired, "--state", state);
	ck_assert_int_eq(r.status, 0);
	rep = cli_out_json(&r);
	/* the address and the three routes */
	ck_assert_int_eq(applied(rep), 4);
	json_decref(rep);
	cli_out_free(&r);
	sh_ok("ip -j addr show dev d0 | jq -e '[.[].addr_info[] | "
	      "select(.scope == \"global\") | .local] == [\"10.9.9.3\"]' "
	      ">/dev/null");
	teardown();
}
END_TEST

START_TEST(a_pass_that_does_not_converge_exits_1)
{
	struct cli_out r;
	json_t *rep;

	setup();
	sh_ok("ip addr add 10.0.0.2/24 dev d0 && "
	      "ip route add 10.50.0.0/24 via 10.0.0.1 proto static");
	cli_run(&r, "reconcile", "rtnl", desired);
	ck_assert_int_eq(r.status, 1);
	rep = cli_out_json(&r);
	ck_assert(json_is_false(json_object_get(rep, "converged")));
	ck_assert_int_eq(json_array_size(json_object_get(rep, "failed")), 1);
	json_decref(rep);
	cli_out_free(&r);

	/* A bad desired state: refused, exit 1, one line on stderr. */
	write_file(desired, "{\"addresses\": [[\"nope0\", \"10.0.0.2\", 24]]}");
	cli_run(&r, "reconcile", "rtnl", desired);
	cli_assert_error(&r, 1, "no such interface \"nope0\"");
	cli_out_free(&r);
	teardown();
}
END_TEST

static const char nft_desired[] =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"lx\","
	" \"chains\": [{\"name\": \"input\", \"type\": \"filter\","
	" \"hook\": \"input\", \"priority\": 0, \"rules\": ["
	" {\"tag\": \"first\", \"exprs\": [\"accept\"]},"
	" {\"tag\": \"second\", \"exprs\": [\"drop\"]}]}]}]}";

/* The rules of inet lx as "tag:first accept,tag:second drop". */
static char *nft_rules(void)
{
	int status;
	char *out = linx_test_sh(&status,
				 "nft -j list ruleset | jq -r '[.nftables[] | "
				 "select(.rule) | .rule | \"\\(.comment) "
				 "\\(.expr[0] | keys[0])\"] | join(\",\")'");

	ck_assert_int_eq(status, 0);
	return out;
}

START_TEST(nft_reconcile_heals_drift_and_releases_tables)
{
	struct cli_out r;
	char *out;

	setup();
	linx_test_require(linx_test_have("nft") && linx_test_have("jq"),
			  "nft and jq are the oracle");
	sh_ok("nft add table ip foreign");
	write_file(desired, nft_desired);
	cli_run(&r, "reconcile", "nft", desired, "--state", state);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_msg(strstr(r.out, "\"converged\":true"), "%s", r.out);
	cli_out_free(&r);
	out = nft_rules();
	ck_assert_str_eq(out, "tag:first accept,tag:second drop\n");
	free(out);

	/* Nothing to do: nothing applied. */
	cli_run(&r, "reconcile", "nft", desired, "--state", state);
	ck_assert_msg(strstr(r.out, "\"applied\":[]"), "%s", r.out);
	cli_out_free(&r);

	/* Drift made by nft: the first rule deleted, put back in place. */
	sh_ok("h=$(nft -a list chain inet lx input | "
	      "sed -n 's/.*tag:first.*handle \\([0-9]*\\).*/\\1/p'); "
	      "nft delete rule inet lx input handle $h");
	cli_run(&r, "reconcile", "nft", desired, "--state", state);
	ck_assert_msg(strstr(r.out, "\"create_rule\""), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\"before\""), "%s", r.out);
	cli_out_free(&r);
	out = nft_rules();
	ck_assert_str_eq(out, "tag:first accept,tag:second drop\n");
	free(out);

	/* The table leaves the desired state: the state file says it was
	 * ours, so it goes; the foreign table stays. */
	write_file(desired, "{\"tables\": []}");
	cli_run(&r, "reconcile", "nft", desired, "--state", state);
	ck_assert_msg(r.status == 0, "%s", r.err);
	cli_out_free(&r);
	out = linx_test_sh(NULL, "nft -j list tables | jq -r "
				 "'[.nftables[] | select(.table) | "
				 ".table.name] | join(\",\")'");
	ck_assert_str_eq(out, "foreign\n");
	free(out);

	cli_run(&r, "reconcile", "frob", desired);
	cli_assert_error(&r, 2, "frob: not available: no plugin");
	cli_out_free(&r);
	cli_run(&r, "reconcile", "rtnl");
	cli_assert_error(&r, 2, "missing DESIRED.json");
	cli_out_free(&r);
	cli_run(&r, "reconcile", "rtnl", desired, "--interval", "10");
	cli_assert_error(&r, 2, "need --watch");
	cli_out_free(&r);
	teardown();
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The next report line, waiting at most until `deadline`; NULL when
 * none came in time. */
static json_t *next_report(int fd, double deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	json_error_t e;
	json_t *j;
	char *line;
	int left = (int)((deadline - now_s()) * 1000);

	if (left <= 0 || poll(&p, 1, left) <= 0)
		return NULL;
	line = cli_read_line(fd);
	if (!line)
		return NULL;
	j = json_loads(line, 0, &e);
	ck_assert_msg(j, "not JSON: %s", line);
	free(line);
	return j;
}

START_TEST(watch_heals_an_ip_change_and_stops_on_sigterm)
{
	const char *argv[] = { "reconcile", "rtnl", desired, "--watch",
			       "--interval", "60000", "--debounce", "500",
			       "--state", state, NULL };
	json_t *rep;
	double t0;
	char *routes;
	bool healed = false;
	int fd;
	pid_t pid;

	setup();
	pid = cli_spawn(&fd, NULL, argv);
	rep = next_report(fd, now_s() + 10);
	ck_assert_msg(rep, "no first pass");
	ck_assert_str_eq(json_string_value(json_object_get(rep, "trigger")),
			 "start");
	ck_assert(json_is_true(json_object_get(rep, "converged")));
	json_decref(rep);

	/* The timer is a minute away: only the monitor can wake the loop. */
	t0 = now_s();
	sh_ok("ip route del 10.50.0.0/24");
	while (!healed && (rep = next_report(fd, t0 + 10))) {
		healed = applied(rep) > 0 &&
			 json_is_true(json_object_get(rep, "converged"));
		if (healed)
			ck_assert_str_eq(json_string_value(json_object_get(
						 rep, "trigger")),
					 "event");
		json_decref(rep);
	}
	ck_assert_msg(healed, "not healed within 10 s");
	routes = our_routes();
	ck_assert_str_eq(routes, want_routes);
	free(routes);

	/* A burst (two deletes from one ip) is debounced into one pass.
	 * First let the pass woken by the heal's own changes go by.  (The
	 * window is 500 ms: under the VM lane's emulation 50 ms could split
	 * the two deletes of one `ip -batch`.) */
	while ((rep = next_report(fd, now_s() + 1.5)))
		json_decref(rep);
	t0 = now_s();
	sh_ok("printf 'route del 10.50.0.0/24\\nroute del 10.60.0.0/24 "
	      "table 100\\n' | ip -batch -");
	healed = false;
	while (!healed && (rep = next_report(fd, t0 + 10))) {
		json_int_t n = applied(rep);

		healed = n > 0;
		if (healed)
			ck_assert_int_eq(n, 2);
		json_decref(rep);
	}
	ck_assert_msg(healed, "burst not healed within 10 s");
	routes = our_routes();
	ck_assert_str_eq(routes, want_routes);
	free(routes);

	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(cli_wait(pid), 0);
	close(fd);
	teardown();
}
END_TEST

/* A state file, if there is one, is whole: valid JSON owning our
 * address. */
static void assert_state_whole(int run, bool must_exist)
{
	json_t *st, *addrs;

	if (!must_exist && access(state, F_OK) != 0)
		return;
	st = load_state();
	addrs = json_object_get(json_object_get(st, "last_applied"),
				"addresses");
	ck_assert_msg(json_is_array(addrs) && json_array_size(addrs) == 1,
		      "run %d: a state without our address", run);
	json_decref(st);
}

/* The state file is replaced by rename(2): whenever the loop dies, it
 * holds a whole state, old or new.  Kills land anywhere: during start-up
 * and the first pass (from no state file at all, or from one), and among
 * the later passes, each rewriting it. */
START_TEST(the_state_file_survives_sigkill)
{
	const char *argv[] = { "reconcile", "rtnl", desired, "--watch",
			       "--interval", "1", "--state", state, NULL };

	setup();
	srand((unsigned)getpid());
	for (int i = 0; i < 40; i++) {
		bool early = i % 2 == 0;
		int fd, wstatus;
		pid_t pid;

		if (i % 4 == 0)
			unlink(state);
		assert_state_whole(i, false);
		pid = cli_spawn(&fd, NULL, argv);
		if (!early) {
			json_t *first = next_report(fd, now_s() + 30);

			ck_assert_msg(first, "run %d: no first pass", i);
			json_decref(first);
		}
		usleep((useconds_t)(rand() % (early ? 40000 : 30000)));
		ck_assert_int_eq(kill(pid, SIGKILL), 0);
		ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
		close(fd);
		/* After a first pass the file must be there. */
		assert_state_whole(i, !early || i % 4 != 0);
	}
	teardown();
}
END_TEST

/* A monitor that dies is closed, reopened and followed by a full pass
 * ("resync"), and the reopened one wakes the loop on the next change.
 * Nothing outside the process can break its netlink socket, so the
 * test-only hook stands in for the failure: with
 * LINX_RECONCILE_TEST_HOOKS=1, SIGUSR1 makes the next monitor read fail. */
START_TEST(a_dead_monitor_is_reopened_with_a_resync)
{
	const char *argv[] = { "reconcile", "rtnl", desired, "--watch",
			       "--interval", "60000", "--debounce", "50",
			       NULL };
	json_t *rep;
	double t0;
	char *routes;
	bool healed = false, resync = false;
	int fd;
	pid_t pid;

	setup();
	ck_assert_int_eq(setenv("LINX_RECONCILE_TEST_HOOKS", "1", 1), 0);
	pid = cli_spawn(&fd, NULL, argv);
	ck_assert_int_eq(unsetenv("LINX_RECONCILE_TEST_HOOKS"), 0);
	rep = next_report(fd, now_s() + 10);
	ck_assert_msg(rep, "no first pass");
	ck_assert(json_is_true(json_object_get(rep, "converged")));
	json_decref(rep);
	/* The pass woken by the first pass's own changes goes by. */
	while ((rep = next_report(fd, now_s() + 0.5)))
		json_decref(rep);

	/* The timer is a minute away: a "resync" pass comes from the
	 * reopen alone.  (The kernel's own late notifications, IPv6
	 * addresses leaving the tentative state, may wake "event" passes
	 * meanwhile.) */
	t0 = now_s();
	ck_assert_int_eq(kill(pid, SIGUSR1), 0);
	while (!resync && (rep = next_report(fd, t0 + 10))) {
		resync = !strcmp(json_string_value(json_object_get(rep,
								   "trigger")),
				 "resync");
		if (resync) {
			ck_assert(json_is_true(json_object_get(rep,
							       "converged")));
			ck_assert_int_eq(applied(rep), 0);
		}
		json_decref(rep);
	}
	ck_assert_msg(resync, "no resync pass within 10 s of the monitor's "
			      "death");

	/* The new monitor hears ip. */
	t0 = now_s();
	sh_ok("ip route del 10.50.0.0/24");
	while (!healed && (rep = next_report(fd, t0 + 10))) {
		healed = applied(rep) > 0 &&
			 json_is_true(json_object_get(rep, "converged"));
		if (healed)
			ck_assert_str_eq(json_string_value(json_object_get(
						 rep, "trigger")),
					 "event");
		json_decref(rep);
	}
	ck_assert_msg(healed, "not healed within 10 s after the reopen");
	routes = our_routes();
	ck_assert_str_eq(routes, want_routes);
	free(routes);

	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(cli_wait(pid), 0);
	close(fd);
	teardown();
}
END_TEST

/* rtnl.diff fed with what ip -j shows gives the same ops as fed with
 * rtnl.observe, and they are the ops that heal the drift. */
START_TEST(the_diff_agrees_with_ip)
{
	static const char observed_from_ip[] =
		"jq -n --argjson l \"$(ip -j link)\" --argjson a \"$(ip -j addr)\" "
		"--argjson r4 \"$(ip -j -4 route show table all)\" "
		"--argjson r6 \"$(ip -j -6 route show table all)\" "
		"--argjson nb \"$(ip -j neigh)\" "
		"--argjson u4 \"$(ip -j -4 rule)\" "
		"--argjson u6 \"$(ip -j -6 rule)\" "
		"--slurpfile d %s --slurpfile s %s "
		"'{observed: {links: ($l | map({ifindex, ifname})), "
		"addresses: [$a[] | .ifindex as $i | .ifname as $n | "
		".addr_info[] | {ifindex: $i, ifname: $n, local, prefixlen, scope}], "
		"routes: (($r4 | map(. + {family: \"inet\"})) + "
		"($r6 | map(. + {family: \"inet6\"}))), neighbours: $nb, "
		"rules: (($u4 | map(. + {family: \"inet\"})) + "
		"($u6 | map(. + {family: \"inet6\"})))}, "
		"desired: ($d[0] + {links: [\"d0\", \"x9\"]}), "
		"last_applied: $s[0].last_applied}'";
	static const char ops_jq[] =
		"jq -r '.[] | \"\\(.op) \\(.key) \\(.value.gateway // \"-\")\"' | "
		"LC_ALL=C sort";
	struct cli_out r;
	char *from_ip, *from_observe, *cmd;
	int status;

	setup();
	write_file(desired,
		   "{\"links\": [\"d0\", \"d1\"],\n"
		   " \"addresses\": [{\"dev\": \"d0\", \"address\": "
		   "\"10.0.0.2/24\"}],\n"
		   " \"routes\": [{\"dst\": \"10.50.0.0/24\", \"gateway\": "
		   "\"10.0.0.1\"},\n"
		   "  {\"dst\": \"10.60.0.0/24\", \"gateway\": \"10.0.0.1\", "
		   "\"table\": 100}, [\"default\", \"10.0.0.1\"]],\n"
		   " \"neighbours\": [[\"d0\", \"10.0.0.1\", "
		   "\"02:00:00:00:00:01\"]],\n"
		   " \"rules\": [{\"priority\": 100, \"from\": \"10.0.0.0/24\", "
		   "\"table\": 100}, {\"priority\": 101, \"to\": \"fd00::/64\", "
		   "\"table\": 100}]}\n");
	cli_run(&r, "reconcile", "rtnl", desired, "--state", state);
	ck_assert_int_eq(r.status, 0);
	cli_out_free(&r);
	sh_ok("ip rule del priority 100 && ip rule add priority 99 table 9 && "
	      "ip neigh replace 10.0.0.1 lladdr 02:00:00:00:00:02 dev d0 "
	      "nud permanent && ip -6 rule del priority 101 && "
	      "ip route del 10.60.0.0/24 table 100 && "
	      "ip route replace default via 10.0.0.9 proto 76 && "
	      "ip route add 10.70.0.0/24 via 10.0.0.1 proto 76 && "
	      "ip route add 10.80.0.0/24 via 10.0.0.1 proto static && "
	      "ip addr add 10.0.0.7/24 dev d0 && "
	      "ip link add x0 type veth peer name x1");
	/* Now d0 and x9 are desired: x9 is missing (create), d1 is owned
	 * and no longer desired (delete), x0 and x1 are someone else's. */

	ck_assert_int_gt(asprintf(&cmd, observed_from_ip, desired, state), 0);
	from_ip = linx_test_sh(&status, "%s | LINX_PLUGIN_PATH=%s %s call "
					"rtnl.diff --json - | %s",
			       cmd, PLUGIN_DIR, LINX_CLI, ops_jq);
	ck_assert_int_eq(status, 0);
	free(cmd);
	from_observe = linx_test_sh(
		&status,
		"LINX_PLUGIN_PATH=%s %s call rtnl.observe | "
		"jq --slurpfile d %s --slurpfile s %s "
		"'{observed: ., desired: ($d[0] + {links: [\"d0\", \"x9\"]}), "
		"last_applied: $s[0].last_applied}' | "
		"LINX_PLUGIN_PATH=%s %s call rtnl.diff --json - | %s",
		PLUGIN_DIR, LINX_CLI, desired, state, PLUGIN_DIR, LINX_CLI,
		ops_jq);
	ck_assert_int_eq(status, 0);
	ck_assert_str_eq(from_ip, from_observe);
	{
		char *neigh = linx_test_sh(
			&status, "ip -j link show d0 | jq -r '\"update "
				 "ifindex \\(.[0].ifindex) inet 10.0.0.1 -\"'");
		char *want = NULL;

		ck_assert_int_gt(
			asprintf(&want,
				 "create priority 100 inet from 10.0.0.0/24 "
				 "to all table 100 -\n"
				 "create priority 101 inet6 from all to "
				 "fd00::/64 table 100 -\n"
				 "create table 100 inet 10.60.0.0/24 metric 0 "
				 "10.0.0.1\n"
				 "create x9 -\n"
				 "delete d1 -\n"
				 "delete table 254 inet 10.70.0.0/24 metric 0 "
				 "10.0.0.1\n"
				 "%s"
				 "update table 254 inet default metric 0 "
				 "10.0.0.1\n",
				 neigh),
			0);
		ck_assert_str_eq(from_ip, want);
		free(neigh);
		free(want);
	}
	free(from_ip);
	free(from_observe);
	teardown();
}
END_TEST

START_TEST(sysctl_drift_is_healed)
{
	struct cli_out r;
	json_t *rep;
	char *out;

	setup();
	write_file(desired, "{\"net.ipv4.ip_forward\": 1, "
			    "\"net.ipv4.conf.d0.rp_filter\": 2}");
	cli_run(&r, "reconcile", "sysctl", desired, "--in", "self", "--state",
		state);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	cli_out_free(&r);
	sh_ok("sysctl -qw net.ipv4.ip_forward=0");
	cli_run(&r, "reconcile", "sysctl", desired, "--state", state);
	ck_assert_int_eq(r.status, 0);
	rep = cli_out_json(&r);
	ck_assert_int_eq(applied(rep), 1);
	json_decref(rep);
	cli_out_free(&r);
	out = linx_test_sh(NULL, "sysctl -n net.ipv4.ip_forward "
				 "net.ipv4.conf.d0.rp_filter");
	ck_assert_str_eq(out, "1\n2\n");
	free(out);
	/* the state of one subsystem is not another's */
	cli_run(&r, "reconcile", "rtnl", desired, "--state", state);
	cli_assert_error(&r, 2, "the state of sysctl, not of rtnl");
	cli_out_free(&r);
	teardown();
}
END_TEST

/* A cgroup of the test's own (cgroup2 is one hierarchy: it is a real
 * cgroup, removed before anything is asserted), limits any cgroup has. */
START_TEST(cgroup_drift_is_healed)
{
	const char *mnt;
	char cg[256], file[300];
	struct cli_out r1, r2, r3;
	json_t *rep;
	char *after;
	int st1, st2;

	setup();
	mnt = linx_test_mount_cgroup2();
	snprintf(cg, sizeof(cg), "%s/linx-test-cli-reconcile-%d", mnt,
		 (int)getpid());
	ck_assert_int_eq(mkdir(cg, 0755), 0);
	write_file(desired, "{\"cgroup.max.descendants\": 5, "
			    "\"cgroup.max.depth\": \"max\"}");
	cli_run(&r1, "reconcile", "cgroup", desired, "--path", cg, "--state",
		state);
	snprintf(file, sizeof(file), "%s/cgroup.max.descendants", cg);
	write_file(file, "2\n");
	cli_run(&r2, "reconcile", "cgroup", desired, "--path", cg, "--state",
		state);
	after = linx_test_sh(&st1, "cat %s", file);
	cli_run(&r3, "reconcile", "cgroup", desired, "--path", cg, "--state",
		state);
	st2 = rmdir(cg);

	ck_assert_int_eq(st2, 0);
	ck_assert_msg(r1.status == 0, "status %d: %s", r1.status, r1.err);
	ck_assert_int_eq(r2.status, 0);
	ck_assert_int_eq(st1, 0);
	ck_assert_str_eq(after, "5\n");
	rep = cli_out_json(&r2);
	ck_assert_int_eq(applied(rep), 1);
	json_decref(rep);
	rep = cli_out_json(&r3);
	ck_assert_int_eq(applied(rep), 0);
	json_decref(rep);
	free(after);
	cli_out_free(&r1);
	cli_out_free(&r2);
	cli_out_free(&r3);
	teardown();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli-reconcile");
	TCase *tc = tcase_create("reconcile");

	linx_test_require_root();
	linx_test_require(system("command -v ip >/dev/null 2>&1 && "
				 "command -v jq >/dev/null 2>&1 && "
				 "command -v sysctl >/dev/null 2>&1") == 0,
			  "needs ip, jq and sysctl");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, one_pass_heals_and_keeps_state);
	tcase_add_test(tc, a_pass_that_does_not_converge_exits_1);
	tcase_add_test(tc, nft_reconcile_heals_drift_and_releases_tables);
	tcase_add_test(tc, watch_heals_an_ip_change_and_stops_on_sigterm);
	tcase_add_test(tc, the_state_file_survives_sigkill);
	tcase_add_test(tc, a_dead_monitor_is_reopened_with_a_resync);
	tcase_add_test(tc, the_diff_agrees_with_ip);
	tcase_add_test(tc, sysctl_drift_is_healed);
	tcase_add_test(tc, cgroup_drift_is_healed);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
