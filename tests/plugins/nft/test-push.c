/* SPDX-License-Identifier: MIT */
/*
 * push and pull of tables, chains and rules, read back with `nft -j`;
 * replace is atomic and idempotent; owner tables go with their socket;
 * errors name the message that failed.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nft-test.h"

static const char *const basic =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"fw\","
	" \"comment\": \"linx test\","
	" \"chains\": ["
	"  {\"name\": \"input\", \"type\": \"filter\", \"hook\": \"input\","
	"   \"priority\": {\"name\": \"filter\", \"offset\": -10},"
	"   \"policy\": \"accept\", \"rules\": ["
	"    {\"tag\": \"to_extras\", \"comment\": \"see extras\","
	"     \"exprs\": [{\"jump\": \"extras\"}]},"
	"    {\"tag\": \"last\", \"exprs\": [\"accept\"]}]},"
	"  {\"name\": \"extras\", \"comment\": \"regular\", \"rules\": ["
	"    {\"exprs\": [\"return\"]}]}]}]}";

START_TEST(push_replace_then_nft_sees_it)
{
	struct linx_nft *s = nt_setup();
	char *out;

	nt_require_oracle();
	nt_push(s, basic, LINX_NFT_REPLACE);
	out = nt_sh_ok("nft -j list ruleset | jq -c '[.nftables[] | "
		       "select(.chain) | .chain | [.name, .hook, .prio, "
		       ".policy]]'");
	ck_assert_str_eq(out, "[[\"input\",\"input\",-10,\"accept\"],"
			      "[\"extras\",null,null,null]]\n");
	free(out);
	out = nt_sh_ok("nft -j list ruleset | jq -c '[.nftables[] | "
		       "select(.rule) | .rule | [.chain, .comment, "
		       "(.expr[0] | keys[0])]]'");
	ck_assert_str_eq(out,
			 "[[\"input\",\"tag:to_extras see extras\",\"jump\"],"
			 "[\"input\",\"tag:last\",\"accept\"],"
			 "[\"extras\",null,\"return\"]]\n");
	free(out);
	/* Again: replaced, not doubled. */
	nt_push(s, basic, LINX_NFT_REPLACE);
	out = nt_sh_ok("nft -j list ruleset | jq '[.nftables[] | "
		       "select(.rule)] | length'");
	ck_assert_str_eq(out, "3\n");
	free(out);
	linx_nft_close(s);
}
END_TEST

START_TEST(pull_gives_back_the_tags)
{
	struct linx_nft *s = nt_setup();
	struct linx_value rs;
	char *json;

	nt_push(s, basic, LINX_NFT_REPLACE);
	rs = nt_pull(s);
	json = nt_to_json(&rs);
	ck_assert_msg(strstr(json, "\"tag\":\"to_extras\",\"comment\":"
				   "\"see extras\"") ||
			      strstr(json, "\"comment\":\"see extras\""),
		      "%s", json);
	ck_assert_msg(strstr(json, "\"tag\":\"last\""), "%s", json);
	ck_assert_msg(strstr(json, "\"priority\":-10"), "%s", json);
	ck_assert_msg(strstr(json, "\"comment\":\"linx test\""), "%s", json);
	free(json);
	linx_value_clear(&rs);
	linx_nft_close(s);
}
END_TEST

START_TEST(a_failed_batch_names_its_message_and_changes_nothing)
{
	struct linx_nft *s = nt_setup();
	struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };
	struct linx_error err = { 0 };
	/* A jump to a chain that does not exist: the kernel refuses the
	 * third message of the table. */
	struct linx_value rs = nt_json(
		"{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		" \"chains\": [{\"name\": \"c\", \"rules\": ["
		"  {\"exprs\": [\"accept\"]},"
		"  {\"exprs\": [{\"jump\": \"nowhere\"}]}]}]}]}");
	char *out;

	nt_require_oracle();
	ck_assert_int_lt(linx_nft_push(s, &rs, &o, NULL, &err), 0);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_str_eq(err.op, "newrule");
	ck_assert_str_eq(err.object, "ip/t/c#1");
	out = nt_sh_ok("nft -j list ruleset | jq '[.nftables[] | "
		       "select(.table)] | length'");
	ck_assert_str_eq(out, "0\n");
	free(out);
	linx_value_clear(&rs);
	linx_nft_close(s);
}
END_TEST

START_TEST(owner_tables_go_with_their_socket)
{
	struct linx_nft *s = nt_setup(), *s2 = NULL;
	struct linx_error err = { 0 };
	char *out;

	nt_require_oracle();
	nt_push(s, "{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
		   " \"flags\": [\"owner\"]},"
		   " {\"family\": \"inet\", \"name\": \"kept\"}]}",
		LINX_NFT_REPLACE);
	out = nt_sh_ok("nft -j list tables | jq -c '[.nftables[] | "
		       "select(.table) | .table.name]'");
	ck_assert_str_eq(out, "[\"mine\",\"kept\"]\n");
	free(out);
	/* Another socket may not touch an owned table. */
	linx_assert_ok(linx_nft_open(NULL, &s2, &err), &err);
	{
		struct linx_value rs = nt_json(
			"{\"tables\": [{\"family\": \"inet\", \"name\": "
			"\"mine\"}]}");
		struct linx_nft_push_opts o = { 0 };

		ck_assert_int_lt(linx_nft_push(s2, &rs, &o, NULL, &err), 0);
		ck_assert_int_eq(err.code, EPERM);
		linx_value_clear(&rs);
	}
	linx_nft_close(s2);
	linx_nft_close(s);
	out = nt_sh_ok("nft -j list tables | jq -c '[.nftables[] | "
		       "select(.table) | .table.name]'");
	ck_assert_str_eq(out, "[\"kept\"]\n");
	free(out);
}
END_TEST

START_TEST(get_gen_names_the_committer)
{
	struct linx_nft *s = nt_setup();
	struct linx_error err = { 0 };
	struct linx_nft_gen g1, g2;
	char *out;

	nt_require_oracle();
	linx_assert_ok(linx_nft_get_gen(s, &g1, &err), &err);
	out = nt_sh_ok("nft add table ip probe");
	free(out);
	linx_assert_ok(linx_nft_get_gen(s, &g2, &err), &err);
	ck_assert_uint_gt(g2.id, g1.id);
	/* The kernel names the process that asks (nf_tables_fill_gen_info
	 * uses the current task), not the last committer: the monitor's
	 * NEWGEN events carry the committer. */
	ck_assert_uint_eq(g2.proc_pid, (uint32_t)getpid());
	ck_assert_str_eq(g2.proc_name, "test-nft-push");
	linx_nft_close(s);
}
END_TEST

/* The anonymous sets of a replaced table go out with their numbers
 * spelled out (docs/nft/performance.md): the names the kernel would have
 * picked, a second replace reuses them, a reconcile that adds one lets
 * the kernel pick, and a named set that took a "__" name makes the push
 * fall back to the templates. */
#define ANON_RULE(port, extra)                                               \
	"{\"tag\": \"r" #port "\", \"exprs\": [{\"expr\": \"payload\","       \
	" \"field\": \"tcp_dport\"}, {\"expr\": \"set_literal\","              \
	"  \"key_type\": \"inet_service\","                                    \
	"  \"elements\": [" #port ", " #port "0]" extra "}, \"accept\"]}"
#define ANON_MAP_RULE                                                        \
	"{\"tag\": \"m\", \"exprs\": [{\"expr\": \"payload\","                \
	" \"field\": \"tcp_dport\"}, {\"expr\": \"set_literal\","              \
	"  \"key_type\": \"inet_service\", \"data_type\": \"mark\", \"dreg\": 1,"                              \
	"  \"elements\": [{\"key\": 22, \"value\": 7}]},"                      \
	" {\"expr\": \"meta\", \"key\": \"mark\", \"sreg\": 1}]}"
#define ANON_TABLE(sets, rules)                                              \
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"a\", \"sets\": ["   \
	sets "], \"chains\": [{\"name\": \"c\", \"rules\": [" rules "]}]}]}"

static char *anon_names(void)
{
	return nt_sh_ok("nft --debug=netlink list table inet a | grep lookup | "
			"grep -o 'set __[a-z]*[0-9]*' | tr '\\n' ' '");
}

START_TEST(anonymous_sets_are_named_as_the_kernel_names_them)
{
	struct linx_nft *s = nt_setup();
	const char *three = ANON_TABLE("", ANON_RULE(1, "") "," ANON_MAP_RULE
					   "," ANON_RULE(2, ""));
	char *out, *nft_out;

	nt_require_oracle();
	for (int i = 0; i < 2; i++) {
		nt_push(s, three, LINX_NFT_REPLACE);
		out = anon_names();
		ck_assert_str_eq(out, "set __set0 set __map0 set __set1 ");
		free(out);
	}
	/* nft -f names the same table's sets alike */
	free(nt_sh_ok("nft -f - <<'EOF'\n"
		      "table inet b { chain c {\n"
		      "  tcp dport { 1, 10 } accept\n"
		      "  meta mark set tcp dport map { 22 : 7 }\n"
		      "  tcp dport { 2, 20 } accept\n"
		      "}\n}\nEOF"));
	nft_out = nt_sh_ok("nft --debug=netlink list table inet b | "
			   "grep lookup | grep -o 'set __[a-z]*[0-9]*' | tr '\\n' ' '");
	ck_assert_str_eq(nft_out, "set __set0 set __map0 set __set1 ");
	free(nft_out);
	/* a reconcile adding one: the kernel numbers it */
	nt_push(s,
		ANON_TABLE("", ANON_RULE(1, "") "," ANON_MAP_RULE
				       "," ANON_RULE(2, "") "," ANON_RULE(3, "")),
		LINX_NFT_RECONCILE);
	out = anon_names();
	ck_assert_str_eq(out, "set __set0 set __map0 set __set1 set __set2 ");
	free(out);
	/* a named set called __set0: the templates again */
	nt_push(s,
		ANON_TABLE("{\"name\": \"__set0\", \"key_type\": \"ipv4_addr\"}",
			   ANON_RULE(1, "") "," ANON_RULE(2, "")),
		LINX_NFT_REPLACE);
	out = anon_names();
	ck_assert_str_eq(out, "set __set1 set __set2 ");
	free(out);
	linx_nft_close(s);
}
END_TEST

START_TEST(values_are_checked_before_the_kernel)
{
	struct linx_error err = { 0 };
	static const struct {
		const char *json, *param, *detail;
	} cases[] = {
		{ "{\"tables\": [{\"family\": \"arp\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\", \"type\": \"nat\","
		  " \"hook\": \"input\", \"priority\": 0}]}]}",
		  "bad_chain", "type_not_valid_for_family" },
		{ "{\"tables\": [{\"family\": \"netdev\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\", \"type\": \"filter\","
		  " \"hook\": \"ingress\", \"priority\": 0}]}]}",
		  "bad_chain", "device_required_for_hook: ingress" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\", \"rules\": ["
		  " {\"tag\": \"a\", \"exprs\": []},"
		  " {\"tag\": \"a\", \"exprs\": []}]}]}]}",
		  "bad_rule", "duplicate_tag: a" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\", \"rules\": ["
		  " {\"tag\": \"a\", \"exprs\": []},"
		  " {\"tag\": \"b\", \"exprs\": []},"
		  " {\"tag\": \"c\", \"exprs\": []},"
		  " {\"tag\": \"b\", \"exprs\": []}]}]}]}",
		  "bad_rule", "duplicate_tag: b" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\"}, {\"name\": \"d\"},"
		  " {\"name\": \"c\"}]}]}",
		  "bad_table", "duplicate_name: c" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"sets\": [{\"name\": \"s\", \"key_type\": \"mark\"},"
		  " {\"name\": \"s\", \"key_type\": \"mark\"}]}]}",
		  "bad_table", "duplicate_name: s" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\", \"rules\": ["
		  " {\"tag\": \"a\", \"comment\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", \"exprs\": []}]}]}]}",
		  "bad_rule", "comment: longer than" },
		{ "{\"tables\": [{\"family\": \"ipx\", \"name\": \"t\"}]}",
		  "bad_table", "unknown family" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"\"}]}",
		  "bad_table", "name" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"chains\": [{\"name\": \"c\", \"type\": \"filter\"}]}]}",
		  "bad_chain", "incomplete_base_chain" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\","
		  " \"flags\": [\"bogus\"]}]}",
		  "bad_table", "unknown flag" },
		{ "{\"tables\": [{\"family\": \"ip\", \"name\": \"t\"},"
		  " {\"family\": \"ip\", \"name\": \"t\"}]}",
		  "bad_ruleset", "duplicate_table" },
		{ "[1]", "bad_ruleset", "expected a map" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct linx_value v = nt_json(cases[i].json);

		ck_assert_int_eq(linx_nft_validate(&v, &err), -EINVAL);
		ck_assert_str_eq(err.param, cases[i].param);
		ck_assert_msg(strstr(err.message, cases[i].detail),
			      "case %zu: %s", i, err.message);
		linx_value_clear(&v);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-push");
	TCase *tc = tcase_create("push");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, push_replace_then_nft_sees_it);
	tcase_add_test(tc, pull_gives_back_the_tags);
	tcase_add_test(tc, a_failed_batch_names_its_message_and_changes_nothing);
	tcase_add_test(tc, owner_tables_go_with_their_socket);
	tcase_add_test(tc, get_gen_names_the_committer);
	tcase_add_test(tc, values_are_checked_before_the_kernel);
	tcase_add_test(tc, anonymous_sets_are_named_as_the_kernel_names_them);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
