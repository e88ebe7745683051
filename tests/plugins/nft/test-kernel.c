/* SPDX-License-Identifier: MIT */
/*
 * The kernel-facing guarantees: the generation guard and reconcile's
 * retries against a concurrent writer, owner and persist tables, a
 * 100,000-element set both ways, pulls that stay whole while the ruleset
 * changes under them, and the errors of a caller without CAP_NET_ADMIN.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nft-test.h"

static const char *const tagged =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
	" \"chains\": [{\"name\": \"c\", \"rules\": ["
	" {\"tag\": \"a\", \"exprs\": [{\"expr\": \"counter\"}, \"accept\"]},"
	" {\"tag\": \"b\", \"exprs\": [\"%s\"]}]}]}]}";

START_TEST(a_stale_generation_is_refused)
{
	struct linx_nft *s = nt_setup();
	struct linx_error err = { 0 };
	struct linx_value cur, want, patch;
	struct linx_nft_gen gen;
	char json[512];

	nt_require_oracle();
	snprintf(json, sizeof(json), tagged, "drop");
	nt_push(s, json, LINX_NFT_REPLACE);
	linx_assert_ok(linx_nft_pull(s, NULL, &cur, &gen, &err), &err);
	snprintf(json, sizeof(json), tagged, "accept");
	want = nt_json(json);
	linx_assert_ok(linx_nft_diff(&cur, &want, &patch, &err), &err);
	/* Another writer commits after our pull. */
	free(nt_sh_ok("nft add table ip other"));
	ck_assert_int_eq(linx_nft_apply(s, &patch, &gen.id, &err), -ERESTART);
	ck_assert_str_eq(err.op, "batch_begin");
	ck_assert_msg(strstr(err.message, "generation"), "%s", err.message);
	/* Nothing of the patch was applied. */
	{
		char *out = nt_sh_ok("nft list chain inet mine c | grep -c "
				     "'drop comment'");

		ck_assert_str_eq(out, "1\n");
		free(out);
	}
	linx_value_clear(&cur), linx_value_clear(&want);
	linx_value_clear(&patch);
	linx_nft_close(s);
}
END_TEST

static const char *const three =
	"{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
	" \"chains\": [{\"name\": \"c\", \"rules\": ["
	" {\"tag\": \"a\", \"exprs\": [{\"expr\": \"counter\"}, \"accept\"]},"
	" {\"tag\": \"%s\", \"exprs\": [\"%s\"]},"
	" {\"tag\": \"z\", \"exprs\": [\"return\"]}]}]}]}";

/* One reconcile pass of three(tag, verdict); whether it used the cache. */
static bool pass(struct linx_nft *s, const char *tag, const char *verdict)
{
	struct linx_nft_push_opts o = { .mode = LINX_NFT_RECONCILE };
	struct linx_error err = { 0 };
	struct linx_value want, report;
	const struct linx_value *c;
	char json[1024];
	bool cached;

	snprintf(json, sizeof(json), three, tag, verdict);
	want = nt_json(json);
	linx_assert_ok(linx_nft_push(s, &want, &o, &report, &err), &err);
	c = linx_map_get(&report, "cached");
	ck_assert(c && c->type == LINX_BOOL);
	cached = c->b;
	linx_value_clear(&report);
	linx_value_clear(&want);
	return cached;
}

/* The kernel holds three(tag, verdict), in order, nothing else. */
static void holds(struct linx_nft *s, const char *tag, const char *verdict)
{
	struct linx_value cur = nt_pull(s), want, patch;
	struct linx_error err = { 0 };
	const struct linx_value *ops;
	char json[1024];

	snprintf(json, sizeof(json), three, tag, verdict);
	want = nt_json(json);
	linx_assert_ok(linx_nft_diff(&cur, &want, &patch, &err), &err);
	ops = linx_map_get(&patch, "ops");
	ck_assert_msg(ops && ops->len == 0, "not converged: %s",
		      nt_to_json(&patch));
	linx_value_clear(&cur), linx_value_clear(&want);
	linx_value_clear(&patch);
	/* The diff above is the plugin's own: nft must see the same. */
	char *out = nt_sh_ok("nft list chain inet mine c"), *a, *b, *z;

	snprintf(json, sizeof(json), "%s comment \"tag:%s\"", verdict, tag);
	a = strstr(out, "accept comment \"tag:a\"");
	b = strstr(out, json);
	z = strstr(out, "return comment \"tag:z\"");
	ck_assert_msg(a && b && z && a < b && b < z, "%s", out);
	free(out);
}

START_TEST(the_reconcile_cache)
{
	struct linx_nft *s = nt_setup();
	char *out;

	nt_require_oracle();
	/* Creating the table is not a rule op: no cache yet. */
	ck_assert(!pass(s, "b", "drop"));
	/* A full pull with nothing to do leaves a cache. */
	ck_assert(!pass(s, "b", "drop"));
	holds(s, "b", "drop");
	/* Hits: a replacement, then a deletion and a creation that use the
	 * handles the kernel echoed for the previous passes. */
	ck_assert(pass(s, "b", "accept"));
	holds(s, "b", "accept");
	ck_assert(pass(s, "b", "drop"));
	holds(s, "b", "drop");
	ck_assert(pass(s, "y", "continue"));
	holds(s, "y", "continue");
	ck_assert(pass(s, "b", "accept"));
	holds(s, "b", "accept");
	ck_assert(pass(s, "b", "accept"));
	holds(s, "b", "accept");

	/* Another writer deletes our rule "a" and adds a table of its own:
	 * the generation moved, so the pass pulls, puts "a" back and
	 * leaves the other table alone. */
	free(nt_sh_ok("nft delete rule inet mine c handle $(nft -a list chain "
		      "inet mine c | sed -n 's/.*tag:a.*# handle //p')"));
	free(nt_sh_ok("nft add table ip other"));
	ck_assert(!pass(s, "b", "accept"));
	holds(s, "b", "accept");
	out = nt_sh_ok("nft list tables");
	ck_assert_msg(strstr(out, "table ip other"), "%s", out);
	free(out);
	/* And the cache is back. */
	ck_assert(pass(s, "b", "drop"));
	holds(s, "b", "drop");
	linx_nft_close(s);
}
END_TEST

/* A cold pass over what the library itself pushed sends nothing, also
 * for rules written in sugar whose kernel form differs (field payloads,
 * lookups of named and anonymous sets, whose flags the kernel reports as
 * [] where the rule left them out). */
START_TEST(a_cold_pass_over_its_own_push_changes_nothing)
{
	static const char *const json =
		"{\"tables\": [{\"family\": \"inet\", \"name\": \"sug\","
		" \"sets\": [{\"name\": \"ports\", \"key_type\": \"inet_service\","
		"  \"elements\": [22, 80]}],"
		" \"chains\": [{\"name\": \"c\", \"rules\": ["
		" {\"tag\": \"named\", \"exprs\": [{\"expr\": \"payload\","
		"  \"field\": \"tcp_dport\"}, {\"expr\": \"lookup\","
		"  \"set\": \"ports\", \"sreg\": 1}, \"accept\"]},"
		" {\"tag\": \"anon\", \"exprs\": [{\"expr\": \"payload\","
		"  \"field\": \"tcp_dport\"}, {\"expr\": \"set_literal\","
		"  \"key_type\": \"inet_service\", \"elements\": [1, 2]},"
		"  {\"expr\": \"counter\"}, \"drop\"]},"
		" {\"tag\": \"map\", \"exprs\": [{\"expr\": \"payload\","
		"  \"field\": \"tcp_dport\"}, {\"expr\": \"set_literal\","
		"  \"key_type\": \"inet_service\", \"data_type\": \"verdict\","
		"  \"dreg\": 0, \"elements\": [{\"key\": 3, \"value\": \"drop\"}]}]}"
		"]}]}]}";
	struct linx_nft *s = nt_setup(), *cold;
	struct linx_nft_push_opts o = { .mode = LINX_NFT_RECONCILE };
	struct linx_error err = { 0 };
	struct linx_value want = nt_json(json), report;
	const struct linx_value *ops;

	nt_push(s, json, LINX_NFT_REPLACE);
	linx_assert_ok(linx_nft_open(NULL, &cold, &err), &err);
	linx_assert_ok(linx_nft_push(cold, &want, &o, &report, &err), &err);
	ops = linx_map_get(linx_map_get(&report, "patch"), "ops");
	ck_assert_msg(ops && ops->type == LINX_LIST && ops->len == 0, "%s",
		      nt_to_json(&report));
	linx_value_clear(&report);
	linx_value_clear(&want);
	linx_nft_close(cold);
	linx_nft_close(s);
}
END_TEST

/* A reconcile pass checks a rule's expressions only when it compares
 * the rule by encoding or sends it; an invalid one must still fail the
 * whole pass before anything is sent, with validate's own error. */
static void refused_like_validate(struct linx_nft *s, const char *json)
{
	struct linx_error verr = { 0 };
	struct linx_value want = nt_json(json), report;

	ck_assert_int_lt(linx_nft_validate(&want, &verr), 0);
	/* Replace mode, too, leaves expressions to its encoder. */
	for (int m = 0; m < 2; m++) {
		struct linx_nft_push_opts o = {
			.mode = m ? LINX_NFT_REPLACE : LINX_NFT_RECONCILE
		};
		struct linx_error err = { 0 };

		ck_assert_int_lt(linx_nft_push(s, &want, &o, &report, &err), 0);
		ck_assert_int_eq(err.code, verr.code);
		ck_assert_str_eq(err.op, verr.op);
		ck_assert_str_eq(err.param, verr.param);
		ck_assert_str_eq(err.object, verr.object);
		ck_assert_str_eq(err.message, verr.message);
	}
	linx_value_clear(&want);
}

START_TEST(reconcile_checks_the_rules_it_sends)
{
	static const char *const bad_b =
		"{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
		" \"chains\": [{\"name\": \"c\", \"rules\": ["
		" {\"tag\": \"a\", \"exprs\": [{\"expr\": \"counter\"},"
		" \"accept\"]},"
		" {\"tag\": \"b\", \"exprs\": [{\"expr\": \"meta\","
		" \"key\": \"no-such-key\", \"dreg\": 1}, \"drop\"]},"
		" {\"tag\": \"z\", \"exprs\": [\"return\"]}]}]}]}";
	static const char *const bad_new =
		"{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
		" \"chains\": [{\"name\": \"c\", \"rules\": ["
		" {\"tag\": \"a\", \"exprs\": [{\"expr\": \"counter\"},"
		" \"accept\"]},"
		" {\"tag\": \"b\", \"exprs\": [\"drop\"]},"
		" {\"tag\": \"n\", \"exprs\": [{\"expr\": \"payload\","
		" \"base\": \"network\", \"offset\": 12, \"len\": 4,"
		" \"dreg\": 99}]},"
		" {\"tag\": \"z\", \"exprs\": [\"return\"]}]}]}]}";
	struct linx_nft *s = nt_setup();

	nt_require_oracle();
	pass(s, "b", "drop");
	pass(s, "b", "drop");
	ck_assert(pass(s, "b", "accept")); /* the cache is in use */
	/* A changed rule (compared by encoding) and a new one (sent). */
	refused_like_validate(s, bad_b);
	holds(s, "b", "accept");
	pass(s, "b", "accept");
	refused_like_validate(s, bad_new);
	holds(s, "b", "accept");
	/* Sets' elements, which replace mode also leaves to its encoder:
	 * a bad element, and overlapping intervals. */
	refused_like_validate(s,
		"{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
		" \"sets\": [{\"name\": \"s\", \"key_type\": \"ipv4_addr\","
		" \"elements\": [\"10.0.0.1\", \"10.0.0\"]}]}]}");
	holds(s, "b", "accept");
	refused_like_validate(s,
		"{\"tables\": [{\"family\": \"inet\", \"name\": \"mine\","
		" \"sets\": [{\"name\": \"s\", \"key_type\": \"ipv4_addr\","
		" \"flags\": [\"interval\"],"
		" \"elements\": [\"10.0.0.0/8\", \"10.1.0.0/16\"]}]}]}");
	holds(s, "b", "accept");
	/* And the socket goes on. */
	pass(s, "b", "drop");
	holds(s, "b", "drop");
	linx_nft_close(s);
}
END_TEST

/* The objects a reconcile pass keeps, updates or recreates. */
static const char *const objects_json =
	"{\"tables\": [{\"family\": \"ip\", \"name\": \"obj\","
	" \"objects\": ["
	"  {\"kind\": \"quota\", \"name\": \"q\", \"bytes\": %s},"
	"  {\"kind\": \"counter\", \"name\": \"c\"},"
	"  {\"kind\": \"limit\", \"name\": \"l\", \"rate\": %s,"
	"   \"unit\": \"second\"},"
	"  {\"kind\": \"ct_helper\", \"name\": \"h\", \"type\": \"%s\","
	"   \"protocol\": \"%s\"},"
	"  {\"kind\": \"synproxy\", \"name\": \"s\", \"mss\": %s,"
	"   \"wscale\": 7},"
	"  {\"kind\": \"ct_timeout\", \"name\": \"tm\", \"protocol\": \"tcp\","
	"   \"policy\": {\"established\": %s}}],"
	" \"chains\": [{\"name\": \"c\", \"rules\": ["
	"  {\"tag\": \"q\", \"exprs\": [{\"expr\": \"objref\","
	"   \"type\": \"quota\", \"name\": \"q\"}]},"
	"  {\"tag\": \"c\", \"exprs\": [{\"expr\": \"objref\","
	"   \"type\": \"counter\", \"name\": \"c\"}]}]}]}]}";

/* One reconcile pass of objects_json; the ops of its patch, as text. */
static char *objects_pass(struct linx_nft *s, const char *quota,
			  const char *rate, const char *proto, const char *mss,
			  const char *est)
{
	struct linx_nft_push_opts o = { .mode = LINX_NFT_RECONCILE };
	struct linx_error err = { 0 };
	struct linx_value want, report;
	const struct linx_value *patch, *ops;
	char json[4096], *out = calloc(1, 1024);

	/* ftp's helper is TCP's, tftp's UDP's */
	snprintf(json, sizeof(json), objects_json, quota, rate,
		 strcmp(proto, "tcp") ? "tftp" : "ftp", proto, mss, est);
	want = nt_json(json);
	linx_assert_ok(linx_nft_push(s, &want, &o, &report, &err), &err);
	patch = linx_map_get(&report, "patch");
	ops = patch ? linx_map_get(patch, "ops") : NULL;
	ck_assert(ops && ops->type == LINX_LIST);
	for (uint32_t i = 0; i < ops->len; i++) {
		const struct linx_value *op = linx_map_get(&ops->items[i], "op");
		const struct linx_value *ob =
			linx_map_get(&ops->items[i], "object");
		const struct linx_value *n = ob ? linx_map_get(ob, "name") : NULL;

		snprintf(out + strlen(out), 1024 - strlen(out), "%s%s:%s",
			 i ? " " : "", op->str, n ? n->str : "-");
	}
	linx_value_clear(&report);
	linx_value_clear(&want);
	return out;
}

START_TEST(reconcile_updates_changed_objects)
{
	struct linx_nft *s = nt_setup();
	char *ops, *out;

	nt_require_oracle();
	free(objects_pass(s, "26214400", "10", "tcp", "1460", "100"));
	/* The kernel reports defaults nobody sent (a limit's burst, every
	 * timeout state, l3proto): a second pass has nothing to do. */
	ops = objects_pass(s, "26214400", "10", "tcp", "1460", "100");
	ck_assert_msg(!ops[0], "spurious ops: %s", ops);
	free(ops);
	/* A quota and a synproxy object are updated in place (the rule
	 * using the quota keeps it); a limit, a ct helper and a ct timeout
	 * are deleted and created again. */
	ops = objects_pass(s, "52428800", "20", "udp", "1400", "200");
	ck_assert_str_eq(ops, "delete_object:l delete_object:h "
			      "delete_object:tm create_object:l "
			      "create_object:h create_object:tm "
			      "update_object:q update_object:s");
	free(ops);
	out = nt_sh_ok("nft list table ip obj");
	ck_assert_msg(strstr(out, "50 mbytes") && strstr(out, "rate 20/second") &&
			      strstr(out, "protocol udp") &&
			      strstr(out, "mss 1400") &&
			      /* nftables 1.1 prints the time as 3m20s */
			      (strstr(out, "established : 200") ||
			       strstr(out, "established : 3m20s")),
		      "%s", out);
	free(out);
	ops = objects_pass(s, "52428800", "20", "udp", "1400", "200");
	ck_assert_msg(!ops[0], "not converged: %s", ops);
	free(ops);
	linx_nft_close(s);
}
END_TEST

/* The first counter's packets in the first rule of table ip cnt chain c,
 * and the counter object's, from a pull. */
static void counts(const struct linx_value *rs, uint64_t *rule_pk,
		   uint64_t *obj_pk)
{
	const struct linx_value *t =
		&linx_map_get(rs, "tables")->items[0];
	const struct linx_value *r =
		&linx_map_get(&linx_map_get(t, "chains")->items[0],
			      "rules")->items[0];
	const struct linx_value *e = &linx_map_get(r, "exprs")->items[0];
	const struct linx_value *o = &linx_map_get(t, "objects")->items[0];

	ck_assert(linx_value_get_u64(linx_map_get(e, "packets"), rule_pk));
	ck_assert(linx_value_get_u64(linx_map_get(o, "packets"), obj_pk));
}

START_TEST(a_reset_pull_zeroes_what_it_read)
{
	struct linx_nft *s = nt_setup();
	struct linx_nft_scope sc = { "ip", "cnt", NULL };
	struct linx_error err = { 0 };
	struct linx_value rs = nt_json(
		"{\"tables\": [{\"family\": \"ip\", \"name\": \"cnt\","
		" \"objects\": [{\"kind\": \"counter\", \"name\": \"k\","
		"  \"packets\": 7, \"bytes\": 700}],"
		" \"chains\": [{\"name\": \"c\", \"rules\": ["
		"  {\"exprs\": [{\"expr\": \"counter\", \"packets\": 5,"
		"   \"bytes\": 500}, \"accept\"]}]}]}]}");
	struct linx_value got;
	uint64_t rule_pk, obj_pk;
	int r;

	nt_require_oracle();
	linx_assert_ok(linx_nft_push(s, &rs, NULL, NULL, &err), &err);
	r = linx_nft_pull_reset(s, &sc, &got, NULL, &err);
	if (r == -EOPNOTSUPP) {
		/* Before Linux 6.2: the objects were reset, not the rules,
		 * and the error says so. */
		ck_assert_msg(strstr(err.message, "6.2"), "%s", err.message);
		linx_assert_ok(linx_nft_pull(s, &sc, &got, NULL, &err), &err);
		counts(&got, &rule_pk, &obj_pk);
		ck_assert_uint_eq(rule_pk, 5);
		ck_assert_uint_eq(obj_pk, 0);
		linx_value_clear(&got);
		linx_nft_close(s);
		linx_value_clear(&rs);
		return;
	}
	linx_assert_ok(r, &err);
	counts(&got, &rule_pk, &obj_pk);
	ck_assert_uint_eq(rule_pk, 5);
	ck_assert_uint_eq(obj_pk, 7);
	linx_value_clear(&got);
	/* What a plain pull, and nft, see afterwards. */
	linx_assert_ok(linx_nft_pull(s, &sc, &got, NULL, &err), &err);
	counts(&got, &rule_pk, &obj_pk);
	ck_assert_uint_eq(rule_pk, 0);
	ck_assert_uint_eq(obj_pk, 0);
	linx_value_clear(&got);
	/* A plain pull reads without zeroing. */
	linx_assert_ok(linx_nft_push(s, &rs, NULL, NULL, &err), &err);
	linx_assert_ok(linx_nft_pull(s, &sc, &got, NULL, &err), &err);
	linx_value_clear(&got);
	linx_assert_ok(linx_nft_pull(s, &sc, &got, NULL, &err), &err);
	counts(&got, &rule_pk, &obj_pk);
	ck_assert_uint_eq(rule_pk, 5);
	ck_assert_uint_eq(obj_pk, 7);
	linx_value_clear(&got);
	linx_value_clear(&rs);
	linx_nft_close(s);
}
END_TEST

struct writer {
	volatile int stop;
	int done;
};

static void *write_loop(void *arg)
{
	struct writer *w = arg;
	int status;

	for (int i = 0; i < 300 && !w->stop; i++) {
		free(linx_test_sh(&status, "nft add rule ip other c counter"));
		if (status == 0)
			w->done++;
	}
	return NULL;
}

START_TEST(reconcile_converges_beside_another_writer)
{
	struct linx_nft *s = nt_setup();
	struct linx_nft_push_opts o = { .mode = LINX_NFT_RECONCILE,
					.retries = 50 };
	struct linx_error err = { 0 };
	struct writer w = { 0 };
	unsigned attempts = 0;
	pthread_t th;
	char json[512], *out;

	nt_require_oracle();
	free(nt_sh_ok("nft add table ip other && nft add chain ip other c"));
	snprintf(json, sizeof(json), tagged, "drop");
	nt_push(s, json, LINX_NFT_REPLACE);
	ck_assert_int_eq(pthread_create(&th, NULL, write_loop, &w), 0);
	for (int i = 0; i < 200; i++) {
		struct linx_value want, rep;

		snprintf(json, sizeof(json), tagged, i % 2 ? "drop" : "accept");
		want = nt_json(json);
		linx_assert_ok(linx_nft_push(s, &want, &o, &rep, &err), &err);
		attempts += (unsigned)linx_map_get(&rep, "attempts")->u - 1;
		linx_value_clear(&rep);
		linx_value_clear(&want);
	}
	w.stop = 1;
	pthread_join(th, NULL);
	fprintf(stderr, "generation races retried: %u\n", attempts);
	/* Our table converged on the last desired state (i = 199: drop)... */
	out = nt_sh_ok("nft list chain inet mine c | grep -c 'drop comment'");
	ck_assert_str_eq(out, "1\n");
	free(out);
	/* ...and every rule the other writer added is still there. */
	out = nt_sh_ok("nft -j list chain ip other c | jq '[.nftables[] | "
		       "select(.rule)] | length'");
	ck_assert_int_eq(atoi(out), w.done);
	free(out);
	linx_nft_close(s);
}
END_TEST

START_TEST(owner_and_persist)
{
	struct linx_nft *s = nt_setup();
	struct linx_error err = { 0 };
	struct linx_value flags = nt_json("[\"owner\", \"persist\"]");
	struct linx_value owner = nt_json("[\"owner\"]");
	char *out;
	int r;

	nt_require_oracle();
	linx_assert_ok(linx_nft_create_table(s, "inet", "tmp", &owner, &err),
		       &err);
	/* Created twice: EEXIST, op create_table. */
	ck_assert_int_eq(linx_nft_create_table(s, "inet", "tmp", &owner, &err),
			 -EEXIST);
	ck_assert_str_eq(err.op, "create_table");
	r = linx_nft_create_table(s, "inet", "kept", &flags, &err);
	if (r == -EINVAL || r == -EOPNOTSUPP)
		fprintf(stderr, "persist: refused by this kernel (%s)\n",
			err.message);
	linx_nft_close(s);
	out = nt_sh_ok("nft -j list tables | jq -c '[.nftables[] | "
		       "select(.table) | .table.name]'");
	ck_assert_str_eq(out, r == 0 ? "[\"kept\"]\n" : "[]\n");
	free(out);
	linx_value_clear(&flags);
	linx_value_clear(&owner);
}
END_TEST

START_TEST(a_hundred_thousand_elements)
{
	struct linx_nft *s = nt_setup();
	struct linx_nft_scope scope = { "ip", "big", "s" };
	struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };
	struct linx_error err = { 0 };
	struct linx_value rs = nt_json(
		"{\"tables\": [{\"family\": \"ip\", \"name\": \"big\","
		" \"sets\": [{\"name\": \"s\", \"key_type\": \"ipv4_addr\"}]}]}");
	struct linx_value *set, el = linx_value_list(), got;
	const struct linx_value *gel;
	char ip[32], *out;

	nt_require_oracle();
	for (unsigned i = 0; i < 100000; i++) {
		snprintf(ip, sizeof(ip), "10.%u.%u.%u", i >> 16, (i >> 8) & 255,
			 i & 255);
		linx_list_push_cstring(&el, ip);
	}
	set = &((struct linx_value *)linx_map_get(
			&linx_map_get(&rs, "tables")->items[0], "sets"))
		       ->items[0];
	linx_map_put(set, "elements", &el);
	linx_assert_ok(linx_nft_push(s, &rs, &o, NULL, &err), &err);
	out = nt_sh_ok("nft -j list set ip big s | jq '[.nftables[] | "
		       "select(.set) | .set.elem[]] | length'");
	ck_assert_str_eq(out, "100000\n");
	free(out);
	linx_assert_ok(linx_nft_pull(s, &scope, &got, NULL, &err), &err);
	gel = linx_map_get(&got, "elements");
	ck_assert_uint_eq(gel->len, 100000);
	linx_value_clear(&got);
	linx_value_clear(&rs);
	linx_nft_close(s);
}
END_TEST

static void *churn(void *arg)
{
	struct writer *w = arg;

	while (!w->stop) {
		free(linx_test_sh(NULL, "nft add rule inet big c counter"));
		w->done++;
	}
	return NULL;
}

START_TEST(pulls_stay_whole_while_the_ruleset_changes)
{
	struct linx_nft *s = nt_setup();
	struct linx_error err = { 0 };
	struct writer w = { 0 };
	pthread_t th;
	int r;

	nt_require_oracle();
	free(nt_sh_ok("nft add table inet big && nft add chain inet big c && "
		      "for i in $(seq 50); do echo \"add rule inet big c "
		      "counter\"; done | nft -f -"));
	ck_assert_int_eq(pthread_create(&th, NULL, churn, &w), 0);
	for (int i = 0; i < 50; i++) {
		struct linx_value v;
		struct linx_nft_gen g;

		/* Whole or refused (EAGAIN after retries), never partial: a
		 * returned pull is one generation's ruleset. */
		r = linx_nft_pull(s, NULL, &v, &g, &err);
		ck_assert_msg(r == 0 || r == -EAGAIN, "%s", err.message);
		if (r == 0) {
			const struct linx_value *t =
				&linx_map_get(&v, "tables")->items[0];
			const struct linx_value *c =
				&linx_map_get(t, "chains")->items[0];

			ck_assert_uint_ge(linx_map_get(c, "rules")->len, 50);
			linx_value_clear(&v);
		}
	}
	w.stop = 1;
	pthread_join(th, NULL);
	linx_nft_close(s);
}
END_TEST

START_TEST(without_cap_net_admin)
{
	pid_t pid;
	int status;

	linx_test_require_root();
	linx_test_private_netns();
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct linx_error err = { 0 };
		struct linx_nft *s = NULL;
		struct linx_value rs = nt_json(
			"{\"tables\": [{\"family\": \"ip\", \"name\": \"t\"}]}");
		struct linx_nft_push_opts o = { 0 };
		struct linx_value v;
		int r;

		/* An ordinary user: the socket opens, nothing else works. */
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		if (linx_nft_open(NULL, &s, &err) < 0)
			_exit(3);
		r = linx_nft_push(s, &rs, &o, NULL, &err);
		if (r != -EPERM || strcmp(err.op, "batch_begin") != 0)
			_exit(4);
		r = linx_nft_pull(s, NULL, &v, NULL, &err);
		if (r != -EPERM)
			_exit(5);
		linx_nft_close(s);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child status %d", status);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-kernel");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_stale_generation_is_refused);
	tcase_add_test(tc, reconcile_converges_beside_another_writer);
	tcase_add_test(tc, the_reconcile_cache);
	tcase_add_test(tc, a_cold_pass_over_its_own_push_changes_nothing);
	tcase_add_test(tc, reconcile_checks_the_rules_it_sends);
	tcase_add_test(tc, reconcile_updates_changed_objects);
	tcase_add_test(tc, a_reset_pull_zeroes_what_it_read);
	tcase_add_test(tc, owner_and_persist);
	tcase_add_test(tc, a_hundred_thousand_elements);
	tcase_add_test(tc, pulls_stay_whole_while_the_ruleset_changes);
	tcase_add_test(tc, without_cap_net_admin);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
