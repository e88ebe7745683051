/* SPDX-License-Identifier: MIT */
/*
 * The expression decoder on the kernel's own messages: in a fresh network
 * namespace, nft(8) loads one rule of each kind, a GETRULE dump reads it
 * back, and the decoded expressions must be the value we would have
 * written for that rule (with what the kernel adds: counters' counts,
 * lookups' flags), and must encode again to the same value.  Rules this
 * kernel cannot load (a module missing) are reported and skipped.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "linx-test.h"
#include "nft-internal.h"

static struct linx_value J(const char *text)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value v;
	int r = cli_json_read(text, strlen(text), 0, &v, why);

	ck_assert_msg(r == 0, "bad test JSON %s: %s", text, why);
	return v;
}

static char *show(const struct linx_value *v)
{
	char why[CLI_JSON_ERR_MAX];
	json_t *j = cli_value_to_json(v, why);
	char *s = j ? json_dumps(j, JSON_COMPACT) : strdup(why);

	json_decref(j);
	return s;
}

/* nft syntax, then the value the kernel's dump must decode to. */
#define L4TCP                                                                \
	"{\"expr\":\"meta\",\"key\":\"l4proto\",\"dreg\":1},"                 \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"06\"}},"
#define NFIP                                                                 \
	"{\"expr\":\"meta\",\"key\":\"nfproto\",\"dreg\":1},"                 \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"02\"}},"
#define CMP(hex) "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"" hex "\"}},"
/* The last expression of a rule: no comma. */
#define CMP1(hex) "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"" hex "\"}}"
#define DPORT                                                                \
	"{\"expr\":\"payload\",\"dreg\":1,\"base\":\"transport\",\"offset\":2," \
	"\"len\":2},"
#define ACCEPT "{\"expr\":\"immediate\",\"dreg\":0,\"verdict\":\"accept\"}"
#define DROP "{\"expr\":\"immediate\",\"dreg\":0,\"verdict\":\"drop\"}"

static const struct {
	const char *chain; /* "c" filter input, "n" nat prerouting, ... */
	const char *rule;
	const char *value;
} rules[] = {
	{ "c", "tcp dport 22 counter accept",
	  "[" L4TCP DPORT CMP("0016")
	  "{\"expr\":\"counter\",\"bytes\":0,\"packets\":0}," ACCEPT "]" },
	{ "c", "meta mark 0x10 ct state established,related jump c2",
	  "[{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1}," CMP("10000000")
	  "{\"expr\":\"ct\",\"key\":\"state\",\"dreg\":1},"
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"op\":\"bool\","
	  "\"len\":4,\"mask\":{\"$bytes\":\"06000000\"},"
	  "\"xor\":{\"$bytes\":\"00000000\"}},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"neq\","
	  "\"data\":{\"$bytes\":\"00000000\"}},"
	  "{\"expr\":\"immediate\",\"dreg\":0,\"verdict\":{\"jump\":\"c2\"}}]" },
	{ "c", "log prefix \\\"x\\\" group 2 drop",
	  "[{\"expr\":\"log\",\"prefix\":\"x\",\"group\":2}," DROP "]" },
	{ "c", "limit rate 10/second burst 5 packets",
	  "[{\"expr\":\"limit\",\"rate\":10,\"unit\":\"second\",\"burst\":5,"
	  "\"type\":\"packets\",\"flags\":[]}]" },
	{ "c", "tcp dport 1000-2000 reject with tcp reset",
	  "[" L4TCP DPORT
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"gte\",\"data\":{\"$bytes\":\"03e8\"}},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"lte\",\"data\":{\"$bytes\":\"07d0\"}},"
	  "{\"expr\":\"reject\",\"type\":\"tcp_reset\"}]" },
	{ "c", "tcp dport != 1000-2000 drop",
	  "[" L4TCP DPORT
	  "{\"expr\":\"range\",\"sreg\":1,\"op\":\"neq\","
	  "\"from\":{\"$bytes\":\"03e8\"},\"to\":{\"$bytes\":\"07d0\"}}," DROP
	  "]" },
	{ "c", "queue num 3 bypass",
	  "[{\"expr\":\"queue\",\"num\":3,\"total\":1,"
	  "\"flags\":[\"bypass\"]}]" },
	{ "c", "fib daddr type local drop",
	  "[{\"expr\":\"fib\",\"flags\":[\"daddr\"],\"result\":\"addrtype\","
	  "\"dreg\":1}," CMP("02000000") DROP "]" },
	{ "c", "ip saddr 10.16.0.0/12 drop",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"op\":\"bool\","
	  "\"len\":4,\"mask\":{\"$bytes\":\"fff00000\"},"
	  "\"xor\":{\"$bytes\":\"00000000\"}}," CMP("0a100000") DROP "]" },
	{ "c", "meta mark set 0x5",
	  "[{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"05000000\"}},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "quota over 100 bytes",
	  "[{\"expr\":\"quota\",\"bytes\":100,\"consumed\":0,"
	  "\"flags\":[\"inv\"]}]" },
	{ "c", "tcp dport @ports accept",
	  "[" L4TCP DPORT
	  "{\"expr\":\"lookup\",\"set\":\"ports\",\"sreg\":1,\"flags\":[]},"
	  ACCEPT "]" },
	{ "c", "ct mark set meta mark",
	  "[{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1},"
	  "{\"expr\":\"ct\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "c", "ct original ip saddr 1.2.3.4",
	  "[{\"expr\":\"ct\",\"key\":\"ip_saddr\",\"dreg\":1,"
	  "\"direction\":\"original\"}," CMP1("01020304") "]" },
	{ "c", "tcp option maxseg size 1400",
	  "[{\"expr\":\"exthdr\",\"dreg\":1,\"type\":2,\"offset\":2,"
	  "\"len\":2,\"flags\":[],\"op\":\"tcpopt\"},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
	  "\"data\":{\"$bytes\":\"0578\"}}]" },
	{ "c", "update @m1 { ip saddr limit rate 10/second }",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"dynset\",\"sreg_key\":1,\"op\":\"update\","
	  "\"timeout\":0,\"set\":\"m1\",\"flags\":[],"
	  "\"exprs\":[{\"expr\":\"limit\",\"rate\":10,"
	  "\"unit\":\"second\",\"burst\":5,\"type\":\"packets\","
	  "\"flags\":[]}]}]" },
	{ "c", "counter name \\\"cnt\\\"",
	  "[{\"expr\":\"objref\",\"type\":\"counter\",\"name\":\"cnt\"}]" },
	{ "c", "numgen inc mod 2 0",
	  "[{\"expr\":\"numgen\",\"dreg\":1,\"modulus\":2,\"type\":\"inc\","
	  "\"offset\":0},"
	  "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
	  "\"data\":{\"$bytes\":\"00000000\"}}]" },
	{ "c", "jhash ip saddr mod 10 seed 0x3 0",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":2,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"hash\",\"sreg\":2,\"dreg\":1,\"len\":4,"
	  "\"modulus\":10,\"seed\":3,\"type\":\"jhash\"},"
	  CMP1("00000000") "]" },
	{ "c", "meta l4proto tcp socket transparent 1",
	  "[" L4TCP "{\"expr\":\"socket\",\"key\":\"transparent\","
	  "\"dreg\":1}," CMP1("01") "]" },
	{ "n", "ip daddr 1.2.3.4 tcp dport 80 dnat ip to 10.0.0.1:8080",
	  "[" NFIP "{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
	  "\"offset\":16,\"len\":4}," CMP("01020304") L4TCP DPORT CMP("0050")
	  "{\"expr\":\"immediate\",\"dreg\":1,"
	  "\"data\":{\"$bytes\":\"0a000001\"}},"
	  "{\"expr\":\"immediate\",\"dreg\":2,\"data\":{\"$bytes\":\"1f90\"}},"
	  "{\"expr\":\"nat\",\"type\":\"dnat\",\"family\":\"ip\","
	  "\"reg_addr_min\":1,\"reg_proto_min\":2}]" },
	{ "p", "masquerade random",
	  "[{\"expr\":\"masq\",\"flags\":[\"random\"]}]" },
	{ "r", "notrack", "[{\"expr\":\"notrack\"}]" },
};

/* What nftables 1.1 (Debian 13) encodes where it differs from nftables
 * 1.0 and Linx: one range expression for a range match, where the others
 * emit cmp gte and cmp lte (nft-test.h, NT_RANGE_AS_CMPS). */
static const struct {
	const char *rule;
	const char *value;
} nft11[] = {
	{ "tcp dport 1000-2000 reject with tcp reset",
	  "[" L4TCP DPORT
	  "{\"expr\":\"range\",\"sreg\":1,\"op\":\"eq\","
	  "\"from\":{\"$bytes\":\"03e8\"},\"to\":{\"$bytes\":\"07d0\"}},"
	  "{\"expr\":\"reject\",\"type\":\"tcp_reset\"}]" },
};

/* Is `got` what nftables 1.1 encodes for `rule`? */
static bool nft11_form(const char *rule, const struct linx_value *got)
{
	for (size_t i = 0; i < NFT_ARRAY_SIZE(nft11); i++) {
		if (strcmp(nft11[i].rule, rule) == 0) {
			struct linx_value want = J(nft11[i].value);
			bool same = linx_value_equal(got, &want);

			linx_value_clear(&want);
			return same;
		}
	}
	return false;
}

static const char base_ruleset[] =
	"table inet t {\n"
	"  set ports { type inet_service; elements = { 22, 80 } }\n"
	"  set m1 { type ipv4_addr; flags dynamic; }\n"
	"  counter cnt { packets 0 bytes 0 }\n"
	"  chain c2 { }\n"
	"  chain c { type filter hook input priority 0; }\n"
	"  chain n { type nat hook prerouting priority 0; }\n"
	"  chain p { type nat hook postrouting priority 100; }\n"
	"  chain r { type filter hook prerouting priority -300; }\n"
	"}\n";

struct dump {
	struct linx_value rules; /* list of decoded expression lists */
	int error;
};

static int on_rule(void *arg, const struct nlmsghdr *nlh)
{
	static const struct linx_nl_policy pol[NFTA_RULE_MAX + 1] = {
		[NFTA_RULE_EXPRESSIONS] = { LINX_NL_NESTED, 0 },
	};
	const struct nlattr *tb[NFTA_RULE_MAX + 1];
	struct dump *d = arg;
	struct linx_value v;
	int r;

	if (linx_nl_parse_msg(nlh, sizeof(struct nfgenmsg), pol,
			      NFTA_RULE_MAX, tb) != 0 ||
	    !tb[NFTA_RULE_EXPRESSIONS])
		return -EBADMSG;
	r = nft_exprs_parse(NULL, tb[NFTA_RULE_EXPRESSIONS], &v);
	if (r < 0) {
		d->error = r;
		return r;
	}
	return linx_list_push(&d->rules, &v);
}

/* Every rule of the netns, decoded (GETRULE dump, family inet). */
static struct linx_value dump_rules(void)
{
	struct linx_nl_conn c;
	struct linx_nl_result res;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct dump d = { linx_value_list(), 0 };
	char buf[256] __attribute__((aligned(4)));
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID), 0);
	linx_nl_conn_init(&c, mnl_socket_get_fd(nl),
			  mnl_socket_get_portid(nl), 0);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NFT_TYPE(NFT_MSG_GETRULE);
	nlh->nlmsg_flags = NLM_F_DUMP;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_INET;
	nfg->version = NFNETLINK_V0;
	ck_assert_int_eq(linx_nl_request(&c, nlh, on_rule, NULL, &d, 3, &res),
			 0);
	ck_assert_int_eq(d.error, 0);
	linx_nl_conn_fini(&c);
	mnl_socket_close(nl);
	return d.rules;
}

/* A lookup sent without flags (as nftables sends it, and the encoder
 * does) decodes without them; the kernel reports such a lookup with
 * "flags": [].  Put that back, so that a round trip compares with the
 * kernel's own view. */
static void lookup_flags_as_the_kernel(struct linx_value *exprs)
{
	for (uint32_t i = 0; i < exprs->len; i++) {
		struct linx_value *x = &exprs->items[i];
		const struct linx_value *n = linx_map_get(x, "expr");

		if (n && n->type == LINX_STRING && strcmp(n->str, "lookup") == 0 &&
		    !linx_map_get(x, "flags")) {
			struct linx_value none = linx_value_list();

			ck_assert_int_eq(linx_map_put(x, "flags", &none), 0);
		}
	}
}

/* `text` loaded with nft -f (from a temporary file) into the current
 * network namespace; nft's output, *status its exit status. */
static char *load_with_nft(const char *text, int *status)
{
	char path[] = "/tmp/linx-nft-expr-XXXXXX";
	size_t n = strlen(text);
	int fd = mkstemp(path);
	char *out;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	out = linx_test_sh(status, "nft -f %s 2>&1", path);
	unlink(path);
	return out;
}

START_TEST(kernel_dumps_decode_to_our_values)
{
	int status;
	char *out;
	struct linx_value got, want, again;
	struct nft_batch bt;
	struct linx_error err = { 0 };
	struct nft_enc e = { .bt = &bt, .family = NFPROTO_INET, .table = "t",
			       .chain = "c", .err = &err };
	char *a, *b;
	int mismatches = 0;

	linx_test_require_root();
	linx_test_require(linx_test_have("nft"), "nft(8) is not installed");
	linx_test_private_netns();
	out = load_with_nft(base_ruleset, &status);
	linx_test_require(status == 0, "nft cannot load the base ruleset: %s",
			  out);
	free(out);

	for (size_t i = 0; i < NFT_ARRAY_SIZE(rules); i++) {
		out = linx_test_sh(&status,
				   "for c in c n p r; do "
				   "nft flush chain inet t $c || exit 1; done; "
				   "nft add rule inet t %s \"%s\" 2>&1",
				   rules[i].chain, rules[i].rule);
		if (status != 0) {
			printf("skipped (this kernel refuses it): %s: %s",
			       rules[i].rule, out);
			free(out);
			continue;
		}
		free(out);
		got = dump_rules();
		ck_assert_uint_eq(got.len, 1);
		a = show(&got.items[0]);
		printf("%s\n  -> %s\n", rules[i].rule, a);
		if (rules[i].value) {
			want = J(rules[i].value);
			b = show(&want);
			if (!linx_value_equal(&got.items[0], &want) &&
			    !nft11_form(rules[i].rule, &got.items[0])) {
				printf("MISMATCH %s\n  kernel %s\n  wanted %s\n",
				       rules[i].rule, a, b);
				mismatches++;
			}
			free(b);
			linx_value_clear(&want);
		}
		/* What we decode, we can send back, and it decodes the same. */
		nft_batch_init(&bt);
		ck_assert_msg(nft_exprs_check(&e, &got.items[0]) == 0, "%s: %s",
			      rules[i].rule, err.message);
		{
			static const struct linx_nl_policy pol[NFTA_RULE_MAX + 1] = {
				[NFTA_RULE_EXPRESSIONS] = { LINX_NL_NESTED, 0 },
			};
			const struct nlattr *tb[NFTA_RULE_MAX + 1];
			size_t off = nft_batch_msg(&bt, NFT_MSG_NEWRULE, 0,
						   NFPROTO_INET, "newrule", "x");

			ck_assert_int_eq(nft_exprs_put(&e, &got.items[0], NULL, 0),
					 0);
			nft_msg_end(&bt.buf, off);
			ck_assert_int_eq(linx_nl_parse_msg(nft_msg_at(&bt.buf, off),
							   sizeof(struct nfgenmsg),
							   pol, NFTA_RULE_MAX, tb),
					 0);
			ck_assert_int_eq(nft_exprs_parse(NULL,
							 tb[NFTA_RULE_EXPRESSIONS],
							 &again),
					 0);
			lookup_flags_as_the_kernel(&again);
			ck_assert_msg(linx_value_equal(&again, &got.items[0]),
				      "%s: not stable", rules[i].rule);
			linx_value_clear(&again);
		}
		nft_batch_fini(&bt);
		free(a);
		linx_value_clear(&got);
	}
	ck_assert_msg(mismatches == 0, "%d rules decoded differently",
		      mismatches);
}
END_TEST

/* flow add @ft: the kernel's dump of the expression.  Flowtables need
 * nf_flow_table (this machine's kernel has none: ENOENT for the
 * flowtable); the VM lane has it, and there the test must run. */
START_TEST(flow_offload_from_the_kernel)
{
	static const char ruleset[] =
		"table inet t {\n"
		"  flowtable ft { hook ingress priority 0; devices = { lo }; }\n"
		"  chain f { type filter hook forward priority 0;\n"
		"    flow add @ft\n  }\n"
		"}\n";
	struct linx_value got, want;
	struct nft_batch bt;
	struct linx_error err = { 0 };
	struct nft_enc e = { .bt = &bt, .family = NFPROTO_INET, .table = "t",
			       .chain = "f", .err = &err };
	int status;
	char *out;

	linx_test_require_root();
	linx_test_require(linx_test_have("nft"), "nft(8) is not installed");
	linx_test_private_netns();
	out = load_with_nft(ruleset, &status);
	if (status != 0) {
		ck_assert_msg(!linx_test_no_skip(),
			      "nft cannot load a flowtable: %s", out);
		fprintf(stderr, "flow_offload_from_the_kernel: this kernel "
				"has no flowtables (%s), not checked; the VM "
				"lane runs it\n",
			strtok(out, "\n"));
		free(out);
		return;
	}
	free(out);
	got = dump_rules();
	ck_assert_uint_eq(got.len, 1);
	want = J("[{\"expr\":\"flow_offload\",\"flowtable\":\"ft\"}]");
	out = show(&got.items[0]);
	ck_assert_msg(linx_value_equal(&got.items[0], &want), "kernel: %s",
		      out);
	free(out);
	/* what the kernel reports passes the encoder's checks */
	nft_batch_init(&bt);
	ck_assert_msg(nft_exprs_check(&e, &got.items[0]) == 0, "%s",
		      err.message);
	nft_batch_fini(&bt);
	linx_value_clear(&want);
	linx_value_clear(&got);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("nft-expr-kernel");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, kernel_dumps_decode_to_our_values);
	tcase_add_test(tc, flow_offload_from_the_kernel);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
