/* SPDX-License-Identifier: MIT */
/*
 * `linx nft` against the real nft plugin, each test in a network
 * namespace of its own, with nft(8) and jq(1) as the oracle: a pushed
 * file is what `nft -j list ruleset` shows, pull prints it back (tags,
 * comments, priorities), diff of two files gives the expected ops, apply
 * (guarded by a generation or not) changes the kernel, validate reports
 * the schema's errors, an owner table is refused without --hold and held
 * with it until SIGTERM/SIGINT, usage errors exit 2.
 *
 * Built twice.  Without NFT_EXPRS: rules made of verdicts only (accept,
 * drop, return), which the plugin encodes today.  With NFT_EXPRS
 * (cli/nft-exprs): the cases that need the full expression codec (jump,
 * payload matches, pulled expressions compared); that executable skips
 * while the plugin still says "pending" for them.
 */
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"
#include "linx-test.h"

#ifndef PLUGIN_DIR
#error PLUGIN_DIR must be defined
#endif

static char dir[64];

static char *path_of(const char *name)
{
	char *p;

	ck_assert_int_ge(asprintf(&p, "%s/%s", dir, name), 0);
	return p;
}

/* Write `text` to DIR/name; returns the path (caller frees). */
static char *write_file(const char *name, const char *text)
{
	char *p = path_of(name);
	FILE *f = fopen(p, "we");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	return p;
}

static void setup(void)
{
	linx_test_require(linx_test_have("nft") && linx_test_have("jq"),
			  "nft and jq are the oracle");
	cli_plugin_path = PLUGIN_DIR;
	linx_test_private_netns();
	snprintf(dir, sizeof(dir), "/tmp/linx-nft-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	free(linx_test_sh(NULL, "rm -rf %s", dir));
}

/* `cmd` (sh) must succeed; returns its stdout. */
static char *sh_out(const char *cmd)
{
	int status;
	char *out = linx_test_sh(&status, "%s", cmd);

	ck_assert_msg(status == 0, "%s: status %d: %s", cmd, status, out);
	return out;
}

static void sh_is(const char *cmd, const char *want)
{
	char *out = sh_out(cmd);

	ck_assert_msg(strcmp(out, want) == 0, "%s:\n got: %s\nwant: %s", cmd,
		      out, want);
	free(out);
}

/* The rules of inet lx as nft shows them: "chain comment verdict". */
#define NFT_RULES                                                            \
	"nft -j list ruleset | jq -r '.nftables[] | select(.rule) | .rule | "  \
	"\"\\(.chain) \\(.comment) \\(.expr[0] | keys[0])\"'"

static void run_ok(struct cli_out *r)
{
	ck_assert_msg(r->status == 0, "status %d: %s", r->status, r->err);
	ck_assert_str_eq(r->err, "");
}

static void push_file(const char *file)
{
	struct cli_out r;

	cli_run(&r, "nft", "push", file);
	run_ok(&r);
	cli_out_free(&r);
}

#ifndef NFT_EXPRS

/* A base chain with a priority, a policy, tagged and commented rules, a
 * regular chain, a table comment. */
static const char r1_json[] =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"lx\", \"comment\": "
	"\"cli test\",\n"
	" \"chains\": [{\"name\": \"input\", \"type\": \"filter\", \"hook\": "
	"\"input\",\n"
	"   \"priority\": -10, \"policy\": \"drop\", \"rules\": [\n"
	"     {\"tag\": \"a\", \"exprs\": [\"accept\"]},\n"
	"     {\"tag\": \"b\", \"comment\": \"the end\", \"exprs\": "
	"[\"drop\"]}]},\n"
	"  {\"name\": \"c\", \"rules\": [{\"tag\": \"r\", \"exprs\": "
	"[\"return\"]}]}]}]}\n";

/* r1 plus a rule between a and b and a chain d. */
static const char r2_json[] =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"lx\", \"comment\": "
	"\"cli test\",\n"
	" \"chains\": [{\"name\": \"input\", \"type\": \"filter\", \"hook\": "
	"\"input\",\n"
	"   \"priority\": -10, \"policy\": \"drop\", \"rules\": [\n"
	"     {\"tag\": \"a\", \"exprs\": [\"accept\"]},\n"
	"     {\"tag\": \"n\", \"exprs\": [\"accept\"]},\n"
	"     {\"tag\": \"b\", \"comment\": \"the end\", \"exprs\": "
	"[\"drop\"]}]},\n"
	"  {\"name\": \"c\", \"rules\": [{\"tag\": \"r\", \"exprs\": "
	"[\"return\"]}]},\n"
	"  {\"name\": \"d\"}]}]}\n";

static const char owner_json[] =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"held\", \"flags\": "
	"[\"owner\"],\n"
	" \"chains\": [{\"name\": \"out\", \"type\": \"filter\", \"hook\": "
	"\"output\", \"priority\": 0,\n"
	"   \"rules\": [{\"tag\": \"ok\", \"exprs\": [\"accept\"]}]}]}]}\n";

static const char r1_rules[] = "input tag:a accept\n"
			       "input tag:b the end drop\n"
			       "c tag:r return\n";

START_TEST(push_then_nft_agrees)
{
	struct cli_out r;
	json_t *rep;
	char *r1;

	setup();
	r1 = write_file("r1.json", r1_json);
	cli_run(&r, "nft", "push", r1);
	run_ok(&r);
	rep = cli_out_json(&r);
	ck_assert_str_eq(json_string_value(json_object_get(rep, "mode")),
			 "replace");
	ck_assert_int_eq(json_integer_value(json_object_get(rep, "attempts")),
			 1);
	json_decref(rep);
	cli_out_free(&r);

	sh_is(NFT_RULES, r1_rules);
	sh_is("nft -j list chain inet lx input | jq -r '.nftables[] | "
	      "select(.chain) | .chain | \"\\(.type) \\(.hook) \\(.prio) "
	      "\\(.policy)\"'",
	      "filter input -10 drop\n");
	/* nft 1.0.6's JSON has no table comment: the text has. */
	sh_is("nft list table inet lx | grep -c '^\tcomment \"cli test\"$'",
	      "1\n");

	/* Again from stdin, in reconcile mode: same kernel state. */
	cli_run_stdin(&r, r1_json, "nft", "push", "-", "--mode", "reconcile");
	run_ok(&r);
	rep = cli_out_json(&r);
	ck_assert_str_eq(json_string_value(json_object_get(rep, "mode")),
			 "reconcile");
	ck_assert(json_is_object(json_object_get(rep, "patch")));
	json_decref(rep);
	cli_out_free(&r);
	sh_is(NFT_RULES, r1_rules);
	free(r1);
	teardown();
}
END_TEST

/* What pull prints, as "tag|comment" per rule and the chain's fields. */
static void check_pulled(json_t *rs)
{
	json_t *t, *in, *rules;

	ck_assert_int_eq(json_array_size(json_object_get(rs, "tables")), 1);
	t = json_array_get(json_object_get(rs, "tables"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(t, "family")),
			 "inet");
	ck_assert_str_eq(json_string_value(json_object_get(t, "name")), "lx");
	ck_assert_str_eq(json_string_value(json_object_get(t, "comment")),
			 "cli test");
	ck_assert(json_is_integer(json_object_get(t, "handle")));
	ck_assert_int_eq(json_array_size(json_object_get(t, "chains")), 2);
	in = json_array_get(json_object_get(t, "chains"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(in, "name")),
			 "input");
	ck_assert_str_eq(json_string_value(json_object_get(in, "hook")),
			 "input");
	ck_assert_int_eq(json_integer_value(json_object_get(in, "priority")),
			 -10);
	ck_assert_str_eq(json_string_value(json_object_get(in, "policy")),
			 "drop");
	rules = json_object_get(in, "rules");
	ck_assert_int_eq(json_array_size(rules), 2);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(rules, 0), "tag")),
			 "a");
	ck_assert_ptr_null(json_object_get(json_array_get(rules, 0),
					   "comment"));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(rules, 1), "tag")),
			 "b");
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(rules, 1), "comment")),
			 "the end");
	ck_assert(json_is_integer(
		json_object_get(json_array_get(rules, 1), "handle")));
}

START_TEST(pull_prints_what_was_pushed)
{
	struct cli_out r;
	json_t *rs;
	char *r1, *cmd;
	pid_t other;

	setup();
	r1 = write_file("r1.json", r1_json);
	push_file(r1);
	free(sh_out("nft add table ip foreign"));

	cli_run(&r, "nft", "pull", "--family", "inet");
	run_ok(&r);
	rs = cli_out_json(&r);
	check_pulled(rs);
	json_decref(rs);
	cli_out_free(&r);

	/* The whole ruleset has the foreign table too; one table alone is
	 * the same as the family. */
	cli_run(&r, "nft", "pull");
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "\"name\":\"foreign\""), "%s", r.out);
	cli_out_free(&r);
	cli_run(&r, "-p", "nft", "pull", "--family=inet", "--table", "lx");
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "\n  \"tables\": [\n"), "not pretty: %s",
		      r.out);
	rs = cli_out_json(&r);
	check_pulled(rs);
	json_decref(rs);
	cli_out_free(&r);

	cli_run(&r, "nft", "pull", "--family", "inet", "--table", "nosuch");
	cli_assert_error(&r, 1, "nft.pull: enoent");
	cli_out_free(&r);

	/* Another network namespace, by pid and by path: pushed there, not
	 * here. */
	other = linx_test_spawn_in_ns(CLONE_NEWNET);
	ck_assert_int_ge(asprintf(&cmd, "%d", (int)other), 0);
	cli_run(&r, "nft", "push", r1, "--netns", cmd);
	run_ok(&r);
	cli_out_free(&r);
	free(cmd);
	ck_assert_int_ge(asprintf(&cmd, "/proc/%d/ns/net", (int)other), 0);
	cli_run(&r, "nft", "pull", "--netns", cmd);
	run_ok(&r);
	rs = cli_out_json(&r);
	check_pulled(rs);
	json_decref(rs);
	cli_out_free(&r);
	free(cmd);
	ck_assert_int_ge(asprintf(&cmd,
				  "nsenter -t %d -n nft list tables | sort",
				  (int)other),
			 0);
	sh_is(cmd, "table inet lx\n");
	free(cmd);
	sh_is("nft list tables | sort", "table inet lx\ntable ip foreign\n");
	linx_test_reap(other);
	free(r1);
	teardown();
}
END_TEST

/* The ops of a patch as "op chain tag" lines. */
static char *ops_of(const char *patch)
{
	char *p = write_file("patch.json", patch), *out, *cmd;

	ck_assert_int_ge(asprintf(&cmd,
				  "jq -r '.ops[] | \"\\(.op) \\(.chain | "
				  "if type == \"object\" then .name else . "
				  "end) \\(.rule.tag // \"-\")\"' %s",
				  p),
			 0);
	out = sh_out(cmd);
	free(cmd);
	free(p);
	return out;
}

START_TEST(diff_of_two_files)
{
	struct cli_out r;
	char *r1, *r2, *ops;

	setup();
	r1 = write_file("r1.json", r1_json);
	r2 = write_file("r2.json", r2_json);
	cli_run(&r, "nft", "diff", r1, r2);
	run_ok(&r);
	ops = ops_of(r.out);
	ck_assert_str_eq(ops, "create_chain d -\ncreate_rule input n\n");
	free(ops);
	cli_out_free(&r);

	/* The other way round, FROM on stdin: the chain and rule go. */
	cli_run_stdin(&r, r2_json, "nft", "diff", "-", r1);
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "\"delete_chain\""), "%s", r.out);
	ck_assert_msg(strstr(r.out, "\"delete_rule\""), "%s", r.out);
	cli_out_free(&r);

	/* Equal rulesets: nothing to do. */
	cli_run(&r, "nft", "diff", r1, r1);
	run_ok(&r);
	ck_assert_str_eq(r.out, "{\"ops\":[]}\n");
	cli_out_free(&r);
	free(r1);
	free(r2);
	teardown();
}
END_TEST

START_TEST(apply_a_patch_of_the_live_ruleset)
{
	struct cli_out r;
	json_t *g;
	json_int_t gen;
	char *r1, *r2, *patch, genid[32];

	setup();
	r1 = write_file("r1.json", r1_json);
	r2 = write_file("r2.json", r2_json);
	push_file(r1);

	cli_run(&r, "nft", "gen");
	run_ok(&r);
	g = cli_out_json(&r);
	gen = json_integer_value(json_object_get(g, "id"));
	ck_assert_int_gt(gen, 0);
	ck_assert_int_eq(json_integer_value(json_object_get(g, "proc_pid")) > 0,
			 1);
	json_decref(g);
	cli_out_free(&r);

	/* nft.pull with_gen: the ruleset and the generation it was read at,
	 * the same as nft gen's while nobody commits. */
	cli_run(&r, "call", "nft.pull", "family=inet", "with_gen=true");
	run_ok(&r);
	g = cli_out_json(&r);
	ck_assert_int_eq(json_integer_value(json_object_get(g, "genid")), gen);
	ck_assert_msg(json_is_array(json_object_get(
			      json_object_get(g, "ruleset"), "tables")),
		      "%s", r.out);
	json_decref(g);
	cli_out_free(&r);

	cli_run(&r, "nft", "diff", "--pulled", r2);
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "\"create_chain\""), "%s", r.out);
	patch = write_file("live.json", r.out);
	cli_out_free(&r);

	/* Guarded by the generation it was computed at: applied, nothing
	 * printed. */
	snprintf(genid, sizeof(genid), "%lld", (long long)gen);
	cli_run(&r, "nft", "apply", patch, "--genid", genid);
	run_ok(&r);
	ck_assert_str_eq(r.out, "");
	cli_out_free(&r);
	sh_is(NFT_RULES, "input tag:a accept\n"
			 "input tag:n accept\n"
			 "input tag:b the end drop\n"
			 "c tag:r return\n");
	sh_is("nft list chains inet | grep -c 'chain d '", "1\n");

	/* The same generation again is stale now: refused, nothing done. */
	cli_run(&r, "nft", "apply", patch, "--genid", genid);
	cli_assert_error(&r, 1, "nft.apply: erestart");
	cli_out_free(&r);

	/* Unguarded, from stdin: the patch of r2 -> r1 undoes it. */
	push_file(r2);
	cli_run(&r, "nft", "diff", "--pulled", r1);
	run_ok(&r);
	free(patch);
	patch = strdup(r.out);
	cli_out_free(&r);
	cli_run_stdin(&r, patch, "nft", "apply", "-");
	run_ok(&r);
	cli_out_free(&r);
	sh_is(NFT_RULES, r1_rules);
	sh_is("nft list chains inet | grep -c 'chain d ' || true", "0\n");

	free(patch);
	free(r1);
	free(r2);
	teardown();
}
END_TEST

START_TEST(validate_reports_the_schema_errors)
{
	static const struct {
		const char *json, *needle;
	} bad[] = {
		{ "{\"tables\": [{\"family\": \"arp\", \"name\": \"x\", "
		  "\"chains\": [{\"name\": \"c\", \"type\": \"nat\", \"hook\": "
		  "\"input\", \"priority\": 0}]}]}",
		  "bad_chain: type_not_valid_for_family" },
		{ "{\"tables\": [{\"family\": \"netdev\", \"name\": \"x\", "
		  "\"chains\": [{\"name\": \"c\", \"type\": \"filter\", "
		  "\"hook\": \"ingress\", \"priority\": 0}]}]}",
		  "bad_chain: device_required_for_hook" },
		{ "{\"tables\": [{\"family\": \"inet\", \"name\": \"x\", "
		  "\"chains\": [{\"name\": \"c\", \"rules\": [{\"tag\": \"t\", "
		  "\"exprs\": [\"accept\"]}, {\"tag\": \"t\", \"exprs\": "
		  "[\"drop\"]}]}]}]}",
		  "bad_rule: duplicate_tag" },
		{ "{\"tables\": [{\"family\": \"inet6\", \"name\": \"x\"}]}",
		  "bad_table" },
	};
	struct cli_out r;
	char *f;

	setup();
	f = write_file("good.json", r1_json);
	cli_run(&r, "nft", "validate", f);
	run_ok(&r);
	ck_assert_str_eq(r.out, "");
	cli_out_free(&r);
	free(f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = write_file("bad.json", bad[i].json);
		cli_run(&r, "nft", "validate", f);
		cli_assert_error(&r, 1, bad[i].needle);
		ck_assert_msg(strstr(r.err,
				     "linx: nft.validate: einval (22): "),
			      "%s", r.err);
		cli_out_free(&r);
		/* push checks the same before sending anything */
		cli_run(&r, "nft", "push", f);
		cli_assert_error(&r, 1, bad[i].needle);
		cli_out_free(&r);
		free(f);
	}
	cli_run_stdin(&r, bad[0].json, "nft", "validate", "-");
	cli_assert_error(&r, 1, "bad_chain");
	cli_out_free(&r);
	sh_is("nft list tables", "");
	teardown();
}
END_TEST

/* `linx call nft.validate`: a value the verb refuses is a failed call
 * (status 1, as `linx nft validate` gives), a missing or mistyped
 * parameter a usage error (status 2). */
START_TEST(call_validate_exit_statuses)
{
	struct cli_out r;

	setup();
	cli_run(&r, "call", "nft.validate",
		"ruleset:={\"tables\": [{\"family\": \"arp\", \"name\": "
		"\"x\", \"chains\": [{\"name\": \"c\", \"type\": \"nat\", "
		"\"hook\": \"input\", \"priority\": 0}]}]}");
	cli_assert_error(&r, 1, "bad_chain: type_not_valid_for_family");
	cli_out_free(&r);
	cli_run(&r, "call", "nft.validate",
		"ruleset:={\"tables\": [{\"family\": \"inet\", \"name\": "
		"\"x\", \"chains\": [{\"name\": \"c\", \"rules\": "
		"[{\"exprs\": [{\"expr\": \"dnat_to\", \"addr\": "
		"\"10.0.0.300\"}]}]}]}]}");
	cli_assert_error(&r, 1, "bad_expr");
	ck_assert_msg(strstr(r.err, "addr"), "%s", r.err);
	cli_out_free(&r);
	cli_run(&r, "call", "nft.validate",
		"--json", "{\"ruleset\": {\"tables\": [{\"family\": "
		"\"inet6\", \"name\": \"x\"}]}}");
	cli_assert_error(&r, 1, "bad_table");
	cli_out_free(&r);
	cli_run(&r, "call", "nft.validate",
		"ruleset:={\"tables\": [{\"family\": \"inet\", \"name\": "
		"\"x\", \"chains\": [{\"name\": \"c\", \"rules\": "
		"[{\"exprs\": [{\"expr\": \"dnat_to\", \"addr\": "
		"\"10.0.0.3\", \"port\": 80}]}]}]}]}");
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	cli_out_free(&r);
	/* the schema's refusals stay usage errors */
	cli_run(&r, "call", "nft.validate");
	cli_assert_error(&r, 2, "ruleset");
	cli_out_free(&r);
	cli_run(&r, "call", "nft.validate", "ruleset=text", "colour=red");
	cli_assert_error(&r, 2, "colour");
	cli_out_free(&r);
	teardown();
}
END_TEST

START_TEST(owner_table_refused_without_hold)
{
	struct cli_out r;
	char *f;

	setup();
	f = write_file("owner.json", owner_json);
	cli_run(&r, "nft", "push", f);
	cli_assert_error(&r, 2, "table inet/held has the owner flag");
	ck_assert_msg(strstr(r.err, "--hold"), "%s", r.err);
	cli_out_free(&r);
	cli_run(&r, "nft", "push", f, "--mode", "reconcile");
	cli_assert_error(&r, 2, "owner flag");
	cli_out_free(&r);
	sh_is("nft list tables", "");

	/* What `linx call` gets from the verb itself (no socket can be
	 * given on the command line): EINVAL, status 1. */
	cli_run(&r, "call", "nft.push",
		"ruleset:={\"tables\": [{\"family\": \"inet\", \"name\": "
		"\"held\", \"flags\": [\"owner\"]}]}");
	cli_assert_error(&r, 1, "owner tables need a socket that outlives");
	cli_out_free(&r);
	sh_is("nft list tables", "");
	free(f);
	teardown();
}
END_TEST

/* Wait up to `ms` for a line on fd; NULL if none came. */
static char *line_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) <= 0)
		return NULL;
	return cli_read_line(fd);
}

static void hold_until(int sig)
{
	const char *argv[] = { "nft", "push", NULL, "--hold", NULL };
	char *f, *line, *out;
	int fd, efd, status;
	pid_t pid;

	f = write_file("owner.json", owner_json);
	argv[2] = f;
	pid = cli_spawn(&fd, &efd, argv);
	line = line_within(fd, 10000);
	ck_assert_msg(line, "no report from push --hold");
	ck_assert_msg(strstr(line, "\"mode\":\"replace\""), "%s", line);
	free(line);

	/* Held: the table is there, with its chain, and it is not ours to
	 * delete (the kernel refuses other sockets). */
	sh_is("nft list tables", "table inet held\n");
	/* (nft 1.0.6 prints table flags in JSON as garbage: the text.) */
	sh_is("nft list table inet held | grep -c '^\tflags owner$'", "1\n");
	out = linx_test_sh(&status, "nft delete table inet held 2>&1");
	ck_assert_int_ne(status, 0);
	free(out);
	/* Still there a little later: the process holds it, it does not
	 * exit on its own. */
	usleep(200 * 1000);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	sh_is("nft list tables", "table inet held\n");

	ck_assert_int_eq(kill(pid, sig), 0);
	ck_assert_int_eq(cli_wait(pid), 0);
	sh_is("nft list tables", "");
	line = cli_read_line(efd);
	ck_assert_msg(!line, "stderr: %s", line);
	close(fd);
	close(efd);
	free(f);
}

START_TEST(hold_keeps_owner_table_until_sigterm)
{
	setup();
	hold_until(SIGTERM);
	teardown();
}
END_TEST

START_TEST(hold_ends_on_sigint_and_fails_fast)
{
	const char *argv[] = { "nft", "push", NULL, "--hold", NULL };
	char *f, *line;
	int fd, efd;
	pid_t pid;

	setup();
	hold_until(SIGINT);

	/* A push that fails does not hold anything: exit 1 at once. */
	f = write_file("bad.json",
		       "{\"tables\": [{\"family\": \"arp\", \"name\": \"x\", "
		       "\"flags\": [\"owner\"], \"chains\": [{\"name\": \"c\", "
		       "\"type\": \"nat\", \"hook\": \"input\", \"priority\": "
		       "0}]}]}");
	argv[2] = f;
	pid = cli_spawn(&fd, &efd, argv);
	ck_assert_int_eq(cli_wait(pid), 1);
	line = cli_read_line(efd);
	ck_assert_msg(line && strstr(line, "bad_chain"), "%s", line);
	free(line);
	close(fd);
	close(efd);
	sh_is("nft list tables", "");
	free(f);
	teardown();
}
END_TEST

START_TEST(usage_errors)
{
	struct cli_out r;
	char *bad, *arr, *r1;

	setup();
	bad = write_file("bad.json", "{\"tables\": [\n");
	arr = write_file("arr.json", "[1, 2]\n");
	r1 = write_file("r1.json", r1_json);

	cli_run(&r, "nft", "push", bad);
	cli_assert_error(&r, 2, "invalid JSON");
	cli_out_free(&r);
	cli_run(&r, "nft", "validate", arr);
	cli_assert_error(&r, 2, "expected a JSON object");
	cli_out_free(&r);
	cli_run(&r, "nft", "push", "/nonexistent/r.json");
	cli_assert_error(&r, 2, "/nonexistent/r.json: No such file");
	cli_out_free(&r);
	cli_run(&r, "nft", "diff", r1, "/nonexistent/r.json");
	cli_assert_error(&r, 2, "No such file");
	cli_out_free(&r);
	cli_run_stdin(&r, "not json", "nft", "apply", "-");
	cli_assert_error(&r, 2, "stdin: invalid JSON");
	cli_out_free(&r);

	cli_run(&r, "nft", "pull", "--frob");
	cli_assert_error(&r, 2, "unknown option \"--frob\"");
	cli_out_free(&r);
	cli_run(&r, "nft", "pull", "--genid", "3");
	cli_assert_error(&r, 2, "--genid does not apply here");
	cli_out_free(&r);
	cli_run(&r, "nft", "gen", "--hold");
	cli_assert_error(&r, 2, "--hold does not apply here");
	cli_out_free(&r);
	cli_run(&r, "nft");
	cli_assert_error(&r, 2, "missing SUBCOMMAND");
	cli_out_free(&r);
	cli_run(&r, "nft", "frob");
	cli_assert_error(&r, 2, "unknown subcommand \"frob\"");
	cli_out_free(&r);
	cli_run(&r, "nft", "push");
	cli_assert_error(&r, 2, "missing FILE");
	cli_out_free(&r);
	cli_run(&r, "nft", "diff", r1);
	cli_assert_error(&r, 2, "missing TO");
	cli_out_free(&r);
	cli_run(&r, "nft", "diff", "-", "-");
	cli_assert_error(&r, 2, "cannot both be stdin");
	cli_out_free(&r);
	cli_run(&r, "nft", "diff", r1, r1, "--netns", "1");
	cli_assert_error(&r, 2, "--netns goes with --pulled");
	cli_out_free(&r);
	cli_run(&r, "nft", "pull", "extra");
	cli_assert_error(&r, 2, "unexpected argument \"extra\"");
	cli_out_free(&r);
	cli_run(&r, "nft", "pull", "--table", "lx");
	cli_assert_error(&r, 2, "--table needs --family");
	cli_out_free(&r);
	cli_run(&r, "nft", "push", r1, "--mode", "merge");
	cli_assert_error(&r, 2, "--mode: \"merge\"");
	cli_out_free(&r);
	cli_run(&r, "nft", "apply", r1, "--genid", "-1");
	cli_assert_error(&r, 2, "--genid: \"-1\" is not a number");
	cli_out_free(&r);

	/* A netns that is not there is the verb's error (status 1). */
	cli_run(&r, "nft", "gen", "--netns", "/nonexistent/ns");
	cli_assert_error(&r, 1, "nft.get_gen: enoent");
	cli_out_free(&r);

	/* Help: the command's usage, then the plugin's verbs. */
	cli_run(&r, "help", "nft");
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "usage: linx nft SUBCOMMAND"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "linx nft push FILE|-"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "--hold"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "  nft.push "), "%s", r.out);
	cli_out_free(&r);
	cli_run(&r, "nft", "pull", "--help");
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "usage: linx nft SUBCOMMAND"), "%s", r.out);
	cli_out_free(&r);
	sh_is("nft list tables", "");
	free(bad);
	free(arr);
	free(r1);
	teardown();
}
END_TEST

#else /* NFT_EXPRS */

/* Rules beyond bare verdicts: they need the expression codec. */
static const char exprs_json[] =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"lx\",\n"
	" \"chains\": [{\"name\": \"input\", \"type\": \"filter\", \"hook\": "
	"\"input\", \"priority\": 0,\n"
	"   \"policy\": \"accept\",\n"
	"   \"rules\": [{\"tag\": \"j\", \"exprs\": [{\"jump\": \"c\"}]},\n"
	"     {\"tag\": \"g\", \"exprs\": [{\"goto\": \"c\"}]}]},\n"
	"  {\"name\": \"c\", \"rules\": [{\"exprs\": [\"accept\"]}]}]}]}\n";

START_TEST(jump_and_goto_need_the_expression_codec)
{
	struct cli_out r;
	char *f, *g;

	setup();
	f = write_file("exprs.json", exprs_json);
	push_file(f);
	sh_is("nft -j list chain inet lx input | jq -r '.nftables[] | "
	      "select(.rule) | .rule | \"\\(.comment) \\(.expr[0] | "
	      "tostring)\"'",
	      "tag:j {\"jump\":{\"target\":\"c\"}}\n"
	      "tag:g {\"goto\":{\"target\":\"c\"}}\n");

	/* Pulled back, the rules diff to nothing against the file. */
	cli_run(&r, "nft", "pull", "--family", "inet", "--table", "lx");
	run_ok(&r);
	g = write_file("pulled.json", r.out);
	cli_out_free(&r);
	cli_run(&r, "nft", "diff", g, f);
	run_ok(&r);
	ck_assert_str_eq(r.out, "{\"ops\":[]}\n");
	cli_out_free(&r);

	/* And a reconcile push of the same file changes nothing. */
	cli_run(&r, "nft", "push", f, "--mode", "reconcile");
	run_ok(&r);
	ck_assert_msg(strstr(r.out, "\"ops\":[]"), "%s", r.out);
	cli_out_free(&r);
	free(f);
	free(g);
	teardown();
}
END_TEST

/* The plugin's stand-in encoder answers "bad_verdict: pending" for
 * anything but a bare verdict; skip until the codec has landed. */
static bool codec_landed(void)
{
	char *cmd = NULL, buf[512];
	size_t n = 0;
	FILE *p;

	/* Outside a test: no ck_assert (it reports to the runner). */
	if (asprintf(&cmd,
		     "printf '%%s' '%s' | LINX_PLUGIN_PATH=%s %s nft validate "
		     "- 2>&1",
		     exprs_json, PLUGIN_DIR, LINX_CLI) < 0)
		return false;
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	pclose(p);
	return !strstr(buf, "pending");
}

#endif /* NFT_EXPRS */

int main(void)
{
	Suite *s = suite_create("cli-nft");
	TCase *tc = tcase_create("nft");

	linx_test_require_root();
	linx_test_require(system("command -v nft >/dev/null 2>&1 && "
				 "command -v jq >/dev/null 2>&1") == 0,
			  "nft and jq are the oracle");
	tcase_set_timeout(tc, 60);
#ifndef NFT_EXPRS
	tcase_add_test(tc, push_then_nft_agrees);
	tcase_add_test(tc, pull_prints_what_was_pushed);
	tcase_add_test(tc, diff_of_two_files);
	tcase_add_test(tc, apply_a_patch_of_the_live_ruleset);
	tcase_add_test(tc, validate_reports_the_schema_errors);
	tcase_add_test(tc, call_validate_exit_statuses);
	tcase_add_test(tc, owner_table_refused_without_hold);
	tcase_add_test(tc, hold_keeps_owner_table_until_sigterm);
	tcase_add_test(tc, hold_ends_on_sigint_and_fails_fast);
	tcase_add_test(tc, usage_errors);
#else
	linx_test_require(codec_landed(),
			  "the nft plugin's expression codec has not landed "
			  "yet (jump/goto are still \"pending\")");
	tcase_add_test(tc, jump_and_goto_need_the_expression_codec);
#endif
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
