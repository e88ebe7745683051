/* SPDX-License-Identifier: MIT */
/*
 * Expressions through the kernel: a rule of each kind pushed by Linx into
 * a fresh network namespace, the same rules loaded with `nft -f` into a
 * second one, and nftables itself must list both tables alike (the rule
 * text and the bytecode of `nft --debug=netlink`); then the rules Linx
 * pulls back are the values it pushed.  Rules this kernel refuses (a
 * module missing) are left out of both sides, with a note.
 */
#include <check.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "nft-test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define L4TCP                                                                \
	"{\"expr\":\"meta\",\"key\":\"l4proto\",\"dreg\":1},"                 \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"06\"}},"
#define NFIP                                                                 \
	"{\"expr\":\"meta\",\"key\":\"nfproto\",\"dreg\":1},"                 \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"02\"}},"
#define CMP(hex)                                                             \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"" hex \
	"\"}}"
#define DPORT                                                                \
	"{\"expr\":\"payload\",\"dreg\":1,\"base\":\"transport\",\"offset\":2," \
	"\"len\":2},"
#define ACCEPT "{\"expr\":\"immediate\",\"dreg\":0,\"verdict\":\"accept\"}"
#define DROP "{\"expr\":\"immediate\",\"dreg\":0,\"verdict\":\"drop\"}"

/* Each rule: its chain, nft's syntax, and our value in the canonical
 * form a pull gives back. */
static const struct {
	const char *chain;
	const char *nft;
	const char *exprs;
} rules[] = {
	{ "c", "tcp dport 22 counter accept",
	  "[" L4TCP DPORT CMP("0016") ","
	  "{\"expr\":\"counter\",\"bytes\":0,\"packets\":0}," ACCEPT "]" },
	{ "c", "meta mark 0x10 ct state established,related jump c2",
	  "[{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1}," CMP("10000000")
	  ",{\"expr\":\"ct\",\"key\":\"state\",\"dreg\":1},"
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"op\":\"bool\","
	  "\"len\":4,\"mask\":{\"$bytes\":\"06000000\"},"
	  "\"xor\":{\"$bytes\":\"00000000\"}},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"neq\","
	  "\"data\":{\"$bytes\":\"00000000\"}},"
	  "{\"expr\":\"immediate\",\"dreg\":0,\"verdict\":{\"jump\":\"c2\"}}]" },
	{ "c", "log prefix \"in: \" group 2 drop",
	  "[{\"expr\":\"log\",\"prefix\":\"in: \",\"group\":2}," DROP "]" },
	{ "c", "log level warn flags tcp sequence,options",
	  "[{\"expr\":\"log\",\"level\":\"warn\","
	  "\"flags\":[\"tcp_seq\",\"tcp_opt\"]}]" },
	{ "c", "limit rate 10/second burst 5 packets",
	  "[{\"expr\":\"limit\",\"rate\":10,\"unit\":\"second\",\"burst\":5,"
	  "\"type\":\"packets\",\"flags\":[]}]" },
	{ "c", "limit rate over 1 mbytes/minute",
	  "[{\"expr\":\"limit\",\"rate\":1048576,\"unit\":\"minute\","
	  "\"burst\":0,\"type\":\"bytes\",\"flags\":[\"inv\"]}]" },
	{ "c", "tcp dport 1000-2000 reject with tcp reset",
	  "[" L4TCP DPORT
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"gte\","
	  "\"data\":{\"$bytes\":\"03e8\"}},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"lte\","
	  "\"data\":{\"$bytes\":\"07d0\"}},"
	  "{\"expr\":\"reject\",\"type\":\"tcp_reset\"}]" },
	{ "c", "reject with icmpx admin-prohibited",
	  "[{\"expr\":\"reject\",\"type\":\"icmpx_unreach\",\"code\":3}]" },
	{ "c", "tcp dport != 1000-2000 drop",
	  "[" L4TCP DPORT
	  "{\"expr\":\"range\",\"sreg\":1,\"op\":\"neq\","
	  "\"from\":{\"$bytes\":\"03e8\"},\"to\":{\"$bytes\":\"07d0\"}}," DROP
	  "]" },
	{ "c", "fib daddr type local drop",
	  "[{\"expr\":\"fib\",\"flags\":[\"daddr\"],\"result\":\"addrtype\","
	  "\"dreg\":1}," CMP("02000000") "," DROP "]" },
	{ "c", "ip saddr 10.16.0.0/12 drop",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"op\":\"bool\","
	  "\"len\":4,\"mask\":{\"$bytes\":\"fff00000\"},"
	  "\"xor\":{\"$bytes\":\"00000000\"}}," CMP("0a100000") "," DROP "]" },
	{ "c", "ip6 daddr ::1 accept",
	  "[{\"expr\":\"meta\",\"key\":\"nfproto\",\"dreg\":1},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"0a\"}},"
	  "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\",\"offset\":24,"
	  "\"len\":16}," CMP("00000000000000000000000000000001") "," ACCEPT
	  "]" },
	{ "c", "meta mark set 0x5",
	  "[{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"05000000\"}},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "meta iifname \"lo\" accept",
	  "[{\"expr\":\"meta\",\"key\":\"iifname\",\"dreg\":1},"
	  CMP("6c6f0000000000000000000000000000") "," ACCEPT "]" },
	{ "c", "quota over 100 bytes",
	  "[{\"expr\":\"quota\",\"bytes\":100,\"consumed\":0,"
	  "\"flags\":[\"inv\"]}]" },
	{ "c", "ct mark set meta mark",
	  "[{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1},"
	  "{\"expr\":\"ct\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "ct original ip saddr 1.2.3.4",
	  "[{\"expr\":\"ct\",\"key\":\"ip_saddr\",\"dreg\":1,"
	  "\"direction\":\"original\"}," CMP("01020304") "]" },
	{ "c", "tcp option maxseg size 1400",
	  "[{\"expr\":\"exthdr\",\"dreg\":1,\"type\":2,\"offset\":2,\"len\":2,"
	  "\"op\":\"tcpopt\",\"flags\":[]}," CMP("0578") "]" },
	{ "c", "numgen inc mod 2 0",
	  "[{\"expr\":\"numgen\",\"dreg\":1,\"modulus\":2,\"type\":\"inc\","
	  "\"offset\":0}," CMP("00000000") "]" },
	{ "c", "meta l4proto tcp socket transparent 1",
	  "[" L4TCP "{\"expr\":\"socket\",\"key\":\"transparent\","
	  "\"dreg\":1}," CMP("01") "]" },
	{ "c", "queue num 3 bypass",
	  "[{\"expr\":\"queue\",\"num\":3,\"total\":1,"
	  "\"flags\":[\"bypass\"]}]" },
	{ "c", "goto c2", "[{\"expr\":\"immediate\",\"dreg\":0,"
			  "\"verdict\":{\"goto\":\"c2\"}}]" },
	{ "n", "ip daddr 1.2.3.4 tcp dport 80 dnat ip to 10.0.0.1:8080",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
	  "\"offset\":16,\"len\":4}," CMP("01020304") "," L4TCP DPORT
	  CMP("0050") ","
	  "{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"0a000001\"}},"
	  "{\"expr\":\"immediate\",\"dreg\":2,\"data\":{\"$bytes\":\"1f90\"}},"
	  "{\"expr\":\"nat\",\"type\":\"dnat\",\"family\":\"ip\","
	  "\"reg_addr_min\":1,\"reg_proto_min\":2}]" },
	{ "n", "tcp dport 80 redirect to :8080",
	  "[" L4TCP DPORT CMP("0050") ","
	  "{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"1f90\"}},"
	  "{\"expr\":\"redir\",\"reg_proto_min\":1}]" },
	{ "p", "masquerade random",
	  "[{\"expr\":\"masq\",\"flags\":[\"random\"]}]" },
	{ "p", "meta l4proto tcp masquerade to :1000-2000 fully-random",
	  "[" L4TCP "{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"03e8\"}},{\"expr\":\"immediate\",\"dreg\":2,"
	  "\"data\":{\"$bytes\":\"07d0\"}},{\"expr\":\"masq\","
	  "\"flags\":[\"fully_random\"],\"reg_proto_min\":1,"
	  "\"reg_proto_max\":2}]" },
	{ "p", "snat ip to 5.5.5.5 random,persistent",
	  "[{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"05050505\"}},"
	  "{\"expr\":\"nat\",\"type\":\"snat\",\"family\":\"ip\","
	  "\"reg_addr_min\":1,\"flags\":[\"random\",\"persistent\"]}]" },
	{ "r", "notrack", "[{\"expr\":\"notrack\"}]" },
	{ "c", "tcp dport set 8080",
	  "[" L4TCP "{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"1f90\"}},{\"expr\":\"payload\","
	  "\"sreg\":1,\"base\":\"transport\",\"offset\":2,\"len\":2,"
	  "\"csum_type\":\"inet\",\"csum_offset\":16,\"csum_flags\":[]}]" },
	{ "c", "meta mark set ct mark >> 8",
	  "[{\"expr\":\"ct\",\"key\":\"mark\",\"dreg\":1},"
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"op\":\"rshift\","
	  "\"len\":4,\"data\":{\"$bytes\":\"08000000\"}},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "tcp option maxseg size set 1360",
	  "[{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"0550\"}},{\"expr\":\"exthdr\","
	  "\"sreg\":1,\"type\":2,\"offset\":2,\"len\":2,"
	  "\"op\":\"tcpopt\"}]" },
	{ "c", "ct count over 10",
	  "[{\"expr\":\"connlimit\",\"count\":10,\"flags\":[\"inv\"]}]" },
	{ "c", "meta secpath exists",
	  "[{\"expr\":\"meta\",\"key\":\"secpath\",\"dreg\":1},"
	  CMP("01") "]" },
	{ "c", "ipsec in reqid 1",
	  "[{\"expr\":\"xfrm\",\"key\":\"reqid\",\"dir\":\"in\","
	  "\"spnum\":0,\"dreg\":1}," CMP("01000000") "]" },
	{ "c", "meta mark set numgen random mod 4 offset 10",
	  "[{\"expr\":\"numgen\",\"dreg\":1,\"modulus\":4,"
	  "\"type\":\"random\",\"offset\":10},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "meta mark set jhash ip saddr mod 2",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":2,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"hash\",\"sreg\":2,\"dreg\":1,\"len\":4,"
	  "\"modulus\":2,\"type\":\"jhash\"},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "osf ttl skip name \"Linux\"",
	  "[{\"expr\":\"osf\",\"dreg\":1,\"ttl\":2},"
	  CMP("4c696e75780000000000000000000000") "]" },
	{ "r", "ct zone set 3",
	  "[{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"0300\"}},"
	  "{\"expr\":\"ct\",\"key\":\"zone\",\"sreg\":1}]" },
	{ "r", "fib saddr . iif oif missing drop",
	  "[{\"expr\":\"fib\",\"flags\":[\"saddr\",\"iif\",\"present\"],"
	  "\"result\":\"oif\",\"dreg\":1}," CMP("00000000") "," DROP "]" },
	{ "r", "meta l4proto tcp tproxy ip to 1.2.3.4:50080",
	  "[" L4TCP "{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"01020304\"}},{\"expr\":\"immediate\","
	  "\"dreg\":2,\"data\":{\"$bytes\":\"c3a0\"}},"
	  "{\"expr\":\"tproxy\",\"family\":\"ip\",\"reg_addr\":1,"
	  "\"reg_port\":2}]" },
	/* Set literals: an anonymous set (or map) and a lookup. */
	{ "c", "tcp dport { 22, 80 } accept",
	  "[" L4TCP DPORT "{\"expr\":\"set_literal\","
	  "\"key_type\":\"inet_service\",\"elements\":[22,80],"
	  "\"sreg\":1,\"flags\":[]}," ACCEPT "]" },
	{ "c", "ip saddr != { 10.0.0.0/8, 192.168.1.1 } drop",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},{\"expr\":\"set_literal\","
	  "\"key_type\":\"ipv4_addr\",\"elements\":[\"10.0.0.0/8\","
	  "\"192.168.1.1\"],\"sreg\":1,\"flags\":[\"inv\"]}," DROP "]" },
	{ "c", "tcp dport vmap { 22 : accept, 23 : drop }",
	  "[" L4TCP DPORT "{\"expr\":\"set_literal\","
	  "\"key_type\":\"inet_service\",\"data_type\":\"verdict\","
	  "\"elements\":[{\"key\":22,\"value\":\"accept\"},"
	  "{\"key\":23,\"value\":\"drop\"}],\"sreg\":1,\"dreg\":0,"
	  "\"flags\":[]}]" },
};

static const char *const chains_nft =
	"  chain c2 { }\n"
	"  chain c { type filter hook input priority 0; }\n"
	"  chain n { type nat hook prerouting priority -100; }\n"
	"  chain p { type nat hook postrouting priority 100; }\n"
	"  chain r { type filter hook prerouting priority -300; }\n";

static const char *const chains_json[][2] = {
	{ "c2", "" },
	{ "c", "\"type\":\"filter\",\"hook\":\"input\",\"priority\":0," },
	{ "n", "\"type\":\"nat\",\"hook\":\"prerouting\",\"priority\":-100," },
	{ "p", "\"type\":\"nat\",\"hook\":\"postrouting\",\"priority\":100," },
	{ "r", "\"type\":\"filter\",\"hook\":\"prerouting\","
	       "\"priority\":-300," },
};

/* The bytecode without what legitimately differs: the rules' handles
 * and positions ("inet x c 28 26") and the anonymous sets' numbers (the
 * two sides create their objects in different orders). */
/* The anonymous sets' elements, one a line, sorted: a hash set lists them
 * in its own order. */
#define ELEMENTS                                                             \
	"grep '^.element' | tr '\\t' '\\n' | grep element | sort"
#define BYTECODE_NORMALIZE                                                   \
	"grep -v '^inet (null)' | grep -v '^.element' | "                    \
	"sed -e 's/^\\(inet x [a-z0-9]*\\) [0-9 ]*$/\\1/' "                  \
	"-e 's/__set[0-9]*/__set/g' -e 's/__map[0-9]*/__map/g' | "           \
	NT_RANGE_AS_CMPS

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/linx-nft-expr-push-XXXXXX");
	int fd = mkstemp(path);
	size_t n = strlen(text);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	return path;
}

/* Can this tree encode anonymous sets yet (set.c)? */
static bool linx_has_sets(struct linx_nft *s)
{
	struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };
	struct linx_error err = { 0 };
	struct linx_value rs = nt_json(
		"{\"tables\":[{\"family\":\"inet\",\"name\":\"probe\","
		"\"chains\":[{\"name\":\"c\",\"rules\":[{\"exprs\":["
		"{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1},"
		"{\"expr\":\"set_literal\",\"key_type\":\"mark\","
		"\"elements\":[1,2]}]}]}]}]}");
	int r = linx_nft_push(s, &rs, &o, NULL, &err);

	linx_value_clear(&rs);
	if (r == 0)
		free(nt_sh_ok("nft delete table inet probe"));
	else
		printf("set literals left out: %d %s\n", r, err.message);
	return r == 0;
}

/* Any value as compact JSON (malloc'd). */
static char *any_json(const struct linx_value *v)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = cli_value_to_json(v, why);
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	json_decref(j);
	ck_assert_msg(s != NULL, "to JSON: %s", why);
	return s;
}

/* Equal expression lists, but a set literal's elements in any order
 * (a hash set dumps them in its own). */
static bool same_exprs(const struct linx_value *a, const struct linx_value *b)
{
	if (a->type != LINX_LIST || b->type != LINX_LIST || a->len != b->len)
		return false;
	for (uint32_t i = 0; i < a->len; i++) {
		const struct linx_value *x = &a->items[i], *y = &b->items[i];
		const struct linx_value *ex = linx_map_get(x, "elements");
		const struct linx_value *ey = linx_map_get(y, "elements");

		if (!ex || !ey) {
			if (!linx_value_equal(x, y))
				return false;
			continue;
		}
		if (x->len != y->len || ex->type != LINX_LIST ||
		    ey->type != LINX_LIST || ex->len != ey->len)
			return false;
		for (uint32_t k = 0; k < x->len; k++) {
			const struct linx_pair *p = &x->pairs[k];

			if (strcmp(p->key, "elements") != 0 &&
			    !linx_value_equal(&p->value,
					      linx_map_get(y, p->key)))
				return false;
		}
		/* As JSON: an element's integers may come back unsigned. */
		for (uint32_t k = 0; k < ex->len; k++) {
			char *jx = any_json(&ex->items[k]);
			bool found = false;

			for (uint32_t m = 0; m < ey->len && !found; m++) {
				char *jy = any_json(&ey->items[m]);

				found = strcmp(jx, jy) == 0;
				free(jy);
			}
			free(jx);
			if (!found)
				return false;
		}
	}
	return true;
}

/* Which rules this kernel accepts: each tried alone in netns `pid`. */
static void probe(pid_t pid, bool *ok)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		char text[2048];
		char *path, *out;
		int status;

		snprintf(text, sizeof(text), "table inet probe {\n%s}\n"
					     "add rule inet probe %s %s\n"
					     "delete table inet probe\n",
			 chains_nft, rules[i].chain, rules[i].nft);
		path = write_tmp(text);
		out = linx_test_sh(&status, "nsenter -t %d -n nft -f %s 2>&1",
				   (int)pid, path);
		ok[i] = status == 0;
		if (!ok[i])
			printf("left out (this kernel refuses it): %s: %s",
			       rules[i].nft, out);
		unlink(path);
		free(path);
		free(out);
	}
}

/* nftables lists table inet x here (pushed by Linx) and in `other`'s
 * network namespace (loaded by nft -f) alike, as text and as bytecode;
 * our bytecode (the caller frees it), for further checks. */
static char *nft_sees_alike(pid_t other)
{
	char *ours, *theirs;

	ours = nt_sh_ok("nft list table inet x | sed 's/ handle [0-9]*//'");
	theirs = nt_sh_ok("nsenter -t %d -n nft list table inet x | "
			  "sed 's/ handle [0-9]*//'",
			  (int)other);
	ck_assert_msg(strcmp(ours, theirs) == 0, "Linx:\n%s\nnft:\n%s", ours,
		      theirs);
	free(ours);
	free(theirs);
	ours = nt_sh_ok("nft --debug=netlink list table inet x 2>&1 | "
			BYTECODE_NORMALIZE);
	theirs = nt_sh_ok("nsenter -t %d -n nft --debug=netlink list table "
			  "inet x 2>&1 | " BYTECODE_NORMALIZE,
			  (int)other);
	ck_assert_msg(strcmp(ours, theirs) == 0, "Linx:\n%s\nnft:\n%s", ours,
		      theirs);
	free(theirs);
	return ours;
}

START_TEST(pushed_rules_are_nfts_rules_and_pull_back)
{
	struct linx_nft *s = nt_setup();
	bool ok[ARRAY_SIZE(rules)];
	char *nft_text, *json, *path, *ours, *theirs, *a, *b;
	size_t tlen = 0, jlen = 0, cap = 1 << 16;
	struct linx_value rs, pulled;
	const struct linx_value *tables, *chains;
	pid_t other;
	size_t seen = 0;

	nt_require_oracle();
	linx_test_require(linx_test_have("nsenter"), "nsenter not on PATH");
	other = linx_test_spawn_in_ns(CLONE_NEWNET);
	probe(other, ok);
	if (!linx_has_sets(s))
		for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
			if (strstr(rules[i].exprs, "set_literal"))
				ok[i] = false;

	/* nftables' side, in the other namespace. */
	nft_text = malloc(cap);
	tlen += (size_t)snprintf(nft_text + tlen, cap - tlen,
				 "table inet x {\n%s}\n", chains_nft);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (ok[i])
			tlen += (size_t)snprintf(nft_text + tlen, cap - tlen,
						 "add rule inet x %s %s\n",
						 rules[i].chain, rules[i].nft);
	path = write_tmp(nft_text);
	free(nt_sh_ok("nsenter -t %d -n nft -f %s", (int)other, path));
	unlink(path);
	free(path);

	/* Ours, in this one. */
	json = malloc(cap);
	jlen += (size_t)snprintf(json + jlen, cap - jlen,
				 "{\"tables\":[{\"family\":\"inet\","
				 "\"name\":\"x\",\"chains\":[");
	for (size_t c = 0; c < ARRAY_SIZE(chains_json); c++) {
		bool first = true;

		jlen += (size_t)snprintf(json + jlen, cap - jlen,
					 "%s{\"name\":\"%s\",%s\"rules\":[",
					 c ? "," : "", chains_json[c][0],
					 chains_json[c][1]);
		for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
			if (!ok[i] || strcmp(rules[i].chain, chains_json[c][0]))
				continue;
			jlen += (size_t)snprintf(json + jlen, cap - jlen,
						 "%s{\"exprs\":%s}",
						 first ? "" : ",", rules[i].exprs);
			first = false;
		}
		jlen += (size_t)snprintf(json + jlen, cap - jlen, "]}");
	}
	jlen += (size_t)snprintf(json + jlen, cap - jlen, "]}]}");
	ck_assert_uint_lt(jlen, cap);
	nt_push(s, json, LINX_NFT_REPLACE);

	/* nftables reads both alike: the text, then the bytecode. */
	free(nft_sees_alike(other));
	ours = nt_sh_ok("nft --debug=netlink list table inet x 2>&1 | "
			ELEMENTS);
	theirs = nt_sh_ok("nsenter -t %d -n nft --debug=netlink list table "
			  "inet x 2>&1 | " ELEMENTS,
			  (int)other);
	ck_assert_msg(strcmp(ours, theirs) == 0, "Linx:\n%s\nnft:\n%s", ours,
		      theirs);
	free(ours);
	free(theirs);

	/* Pulled back: the values pushed, rule by rule. */
	pulled = nt_pull(s);
	tables = linx_map_get(&pulled, "tables");
	ck_assert_ptr_nonnull(tables);
	ck_assert_uint_eq(tables->len, 1);
	chains = linx_map_get(&tables->items[0], "chains");
	ck_assert_ptr_nonnull(chains);
	rs = nt_json(json);
	for (uint32_t c = 0; c < chains->len; c++) {
		const struct linx_value *name =
			linx_map_get(&chains->items[c], "name");
		const struct linx_value *got =
			linx_map_get(&chains->items[c], "rules");
		const struct linx_value *want = NULL;
		const struct linx_value *wc = linx_map_get(
			&linx_map_get(&rs, "tables")->items[0], "chains");

		for (uint32_t k = 0; k < wc->len; k++)
			if (strcmp(linx_map_get(&wc->items[k], "name")->str,
				   name->str) == 0)
				want = linx_map_get(&wc->items[k], "rules");
		ck_assert_ptr_nonnull(want);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(got->len, want->len);
		for (uint32_t r = 0; r < got->len; r++) {
			const struct linx_value *ge =
				linx_map_get(&got->items[r], "exprs");
			const struct linx_value *we =
				linx_map_get(&want->items[r], "exprs");

			a = nt_to_json(ge);
			b = nt_to_json(we);
			ck_assert_msg(same_exprs(ge, we),
				      "chain %s rule %u:\n  pulled %s\n  pushed %s",
				      name->str, r, a, b);
			free(a);
			free(b);
			seen++;
		}
	}
	{
		size_t want_n = 0;

		for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
			want_n += ok[i];
		ck_assert_uint_eq(seen, want_n);
		printf("%zu of %zu rules pushed, listed alike by nft and "
		       "pulled back unchanged\n",
		       seen, ARRAY_SIZE(rules));
	}
	linx_value_clear(&rs);
	linx_value_clear(&pulled);
	free(json);
	free(nft_text);
	linx_test_reap(other);
	linx_nft_close(s);
}
END_TEST

/* dnat_to / snat_to, and redir / masq with ports: pushed as nft -f loads
 * `dnat ip to A:P`, `redirect to :P`, `masquerade to :P-Q` (the same
 * bytecode, listed alike), pulled back as the immediates and the nat,
 * and a reconcile of the sugar against its own pulled form does
 * nothing. */
#define NAT_L4TCP_DPORT(hex)                                                 \
	L4TCP DPORT CMP(hex) ","
/* Tags: `T` is "" or a tag key ("\"tag\":\"a\","); a reconcile needs
 * them in a chain of several rules. */
#define NAT_TO_RULES(T1, T2, T3, T4, T5, T6)                                 \
	"{\"tables\":[{\"family\":\"inet\",\"name\":\"x\",\"chains\":["       \
	"{\"name\":\"n\",\"type\":\"nat\",\"hook\":\"prerouting\","          \
	"\"priority\":-100,\"rules\":["                                      \
	"{" T1 "\"exprs\":[" NAT_L4TCP_DPORT("0050")                          \
	"{\"expr\":\"dnat_to\",\"addr\":\"10.0.0.5\",\"port\":80}]},"        \
	"{" T2 "\"exprs\":[" L4TCP                                            \
	"{\"expr\":\"dnat_to\",\"addr\":\"fd00::5\",\"port\":8080}]},"       \
	"{" T3 "\"exprs\":[{\"expr\":\"dnat_to\",\"family\":\"ip\","          \
	"\"addr\":{\"$bytes\":\"0a000006\"}}]},"                             \
	"{" T5 "\"exprs\":[" NAT_L4TCP_DPORT("0051")                          \
	"{\"expr\":\"redir\",\"port\":8080}]}]},"                              \
	"{\"name\":\"p\",\"type\":\"nat\",\"hook\":\"postrouting\","         \
	"\"priority\":100,\"rules\":["                                       \
	"{" T4 "\"exprs\":[{\"expr\":\"snat_to\",\"addr\":\"5.5.5.5\","       \
	"\"flags\":[\"persistent\"]}]},"                                      \
	"{" T6 "\"exprs\":[" L4TCP "{\"expr\":\"masq\",\"port_min\":1000,"     \
	"\"port_max\":2000,\"flags\":[\"fully_random\"]}]}]}]}]}"
#define NAT_TO_RULESET NAT_TO_RULES("", "", "", "", "", "")
#define NAT_TO_TAGGED                                                        \
	NAT_TO_RULES("\"tag\":\"a\",", "\"tag\":\"b\",", "\"tag\":\"c\",",  \
		     "\"tag\":\"d\",", "\"tag\":\"e\",", "\"tag\":\"f\",")

START_TEST(nat_to_pushes_as_nft_writes_it_and_reconciles_to_nothing)
{
	static const char *const nft_text =
		"table inet x {\n"
		"  chain n { type nat hook prerouting priority -100;\n"
		"    tcp dport 80 dnat ip to 10.0.0.5:80\n"
		"    meta l4proto tcp dnat ip6 to [fd00::5]:8080\n"
		"    dnat ip to 10.0.0.6\n"
		"    tcp dport 81 redirect to :8080\n"
		"  }\n"
		"  chain p { type nat hook postrouting priority 100;\n"
		"    snat ip to 5.5.5.5 persistent\n"
		"    meta l4proto tcp masquerade to :1000-2000 fully-random\n"
		"  }\n"
		"}\n";
	/* The pulled form, rule by rule. */
	static const char *const canonical[] = {
		"[" L4TCP DPORT CMP("0050") ","
		"{\"expr\":\"immediate\",\"dreg\":1,"
		"\"data\":{\"$bytes\":\"0a000005\"}},"
		"{\"expr\":\"immediate\",\"dreg\":2,\"data\":{\"$bytes\":\"0050\"}},"
		"{\"expr\":\"nat\",\"type\":\"dnat\",\"family\":\"ip\","
		"\"reg_addr_min\":1,\"reg_proto_min\":2}]",
		"[" L4TCP "{\"expr\":\"immediate\",\"dreg\":1,"
		"\"data\":{\"$bytes\":\"fd000000000000000000000000000005\"}},"
		"{\"expr\":\"immediate\",\"dreg\":2,\"data\":{\"$bytes\":\"1f90\"}},"
		"{\"expr\":\"nat\",\"type\":\"dnat\",\"family\":\"ip6\","
		"\"reg_addr_min\":1,\"reg_proto_min\":2}]",
		"[{\"expr\":\"immediate\",\"dreg\":1,"
		"\"data\":{\"$bytes\":\"0a000006\"}},"
		"{\"expr\":\"nat\",\"type\":\"dnat\",\"family\":\"ip\","
		"\"reg_addr_min\":1}]",
		"[" L4TCP DPORT CMP("0051") ","
		"{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"1f90\"}},"
		"{\"expr\":\"redir\",\"reg_proto_min\":1}]",
		"[{\"expr\":\"immediate\",\"dreg\":1,"
		"\"data\":{\"$bytes\":\"05050505\"}},"
		"{\"expr\":\"nat\",\"type\":\"snat\",\"family\":\"ip\","
		"\"reg_addr_min\":1,\"flags\":[\"persistent\"]}]",
		"[" L4TCP "{\"expr\":\"immediate\",\"dreg\":1,"
		"\"data\":{\"$bytes\":\"03e8\"}},{\"expr\":\"immediate\",\"dreg\":2,"
		"\"data\":{\"$bytes\":\"07d0\"}},{\"expr\":\"masq\","
		"\"flags\":[\"fully_random\"],\"reg_proto_min\":1,"
		"\"reg_proto_max\":2}]",
	};
	struct linx_nft *s = nt_setup();
	struct linx_nft_push_opts o = { .mode = LINX_NFT_RECONCILE };
	struct linx_error err = { 0 };
	struct linx_value rs, pulled, report = linx_value_nil(), patch;
	const struct linx_value *chains, *ops;
	char *path, *ours;
	size_t k = 0;
	int64_t n;
	pid_t other;

	nt_require_oracle();
	linx_test_require(linx_test_have("nsenter"), "nsenter not on PATH");
	other = linx_test_spawn_in_ns(CLONE_NEWNET);
	path = write_tmp(nft_text);
	free(nt_sh_ok("nsenter -t %d -n nft -f %s", (int)other, path));
	unlink(path);
	free(path);
	nt_push(s, NAT_TO_RULESET, LINX_NFT_REPLACE);

	ours = nft_sees_alike(other);
	/* The kernel reports the maxima and map_ips itself. */
	ck_assert_msg(strstr(ours, "[ nat dnat ip6 addr_min reg 1 addr_max "
				   "reg 1 proto_min reg 2 proto_max reg 2 "
				   "flags 0x3 ]"),
		      "%s", ours);
	free(ours);

	/* Pulled: the canonical form. */
	pulled = nt_pull(s);
	chains = linx_map_get(&linx_map_get(&pulled, "tables")->items[0],
			      "chains");
	for (uint32_t c = 0; c < chains->len; c++) {
		const struct linx_value *crules =
			linx_map_get(&chains->items[c], "rules");

		for (uint32_t r = 0; crules && r < crules->len; r++, k++) {
			struct linx_value want;
			const struct linx_value *got =
				linx_map_get(&crules->items[r], "exprs");
			char *a, *b;

			ck_assert_uint_lt(k, ARRAY_SIZE(canonical));
			want = nt_json(canonical[k]);
			a = nt_to_json(got);
			b = nt_to_json(&want);
			ck_assert_msg(linx_value_equal(got, &want),
				      "rule %zu:\n  pulled %s\n  wanted %s", k,
				      a, b);
			free(a);
			free(b);
			linx_value_clear(&want);
		}
	}
	ck_assert_uint_eq(k, ARRAY_SIZE(canonical));

	/* The sugar against its own pulled form: nothing to do. */
	rs = nt_json(NAT_TO_RULESET);
	linx_assert_ok(linx_nft_diff(&pulled, &rs, &patch, &err), &err);
	ops = linx_map_get(&patch, "ops");
	ck_assert_msg(ops && ops->len == 0, "diff: %s", nt_to_json(&patch));
	/* And a reconcile, which wants tags: the tagged sugar pushed, then
	 * reconciled against what the kernel holds. */
	linx_value_clear(&rs);
	nt_push(s, NAT_TO_TAGGED, LINX_NFT_REPLACE);
	rs = nt_json(NAT_TO_TAGGED);
	linx_assert_ok(linx_nft_push(s, &rs, &o, &report, &err), &err);
	ops = linx_map_get(linx_map_get(&report, "patch"), "ops");
	ck_assert_msg(linx_value_get_i64(linx_map_get(&report, "messages"),
					 &n) &&
			      n == 0 && ops && ops->len == 0,
		      "reconcile: %s", nt_to_json(&report));
	ours = nt_to_json(&report);
	printf("NAT sugar: %zu rules as nft writes them, reconcile "
	       "report %s\n",
	       k, ours);
	free(ours);

	linx_value_clear(&patch);
	linx_value_clear(&report);
	linx_value_clear(&rs);
	linx_value_clear(&pulled);
	linx_test_reap(other);
	linx_nft_close(s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("nft-expr-push");
	TCase *tc = tcase_create("push");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, pushed_rules_are_nfts_rules_and_pull_back);
	tcase_add_test(tc, nat_to_pushes_as_nft_writes_it_and_reconciles_to_nothing);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
