/* SPDX-License-Identifier: MIT */
/*
 * The nftables language without a kernel: rules compile to the
 * expressions nftables 1.0.6 generates (taken from nft --debug=netlink),
 * every corpus file round-trips (parse(format(x)) == x and format is a
 * fixed point), errors point where nft points, holes fill with typed
 * values, includes stay inside their root, and no input crashes the
 * parser.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nft-test.h"

#ifndef LANG_DIR
#error LANG_DIR must name tests/plugins/nft/lang
#endif
#define EXAMPLES "/usr/share/doc/nftables/examples"

static struct linx_value parse_ok(const char *text)
{
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	int r = linx_nft_parse(text, strlen(text), NULL, &rs, &pe, &err);

	ck_assert_msg(r == 0, "parse failed: %s\n%s", err.message, text);
	return rs;
}

/* The exprs of the only rule of the only chain. */
static char *rule_json(const char *family, const char *rule)
{
	char text[2048];
	struct linx_value rs;

	/* what the rules refer to comes after the rule's chain */
	snprintf(text, sizeof(text),
		 "table %s t {\n chain c {\n  %s\n }\n chain other {\n }\n"
		 " counter cnt {\n }\n}\n",
		 family, rule);
	rs = parse_ok(text);
	const struct linx_value *t = &linx_map_get(&rs, "tables")->items[0];
	const struct linx_value *c = &linx_map_get(t, "chains")->items[0];
	const struct linx_value *r = &linx_map_get(c, "rules")->items[0];
	char *s = nt_to_json(linx_map_get(r, "exprs"));
	linx_value_clear(&rs);
	return s;
}

#define L4TCP                                                               \
	"{\"expr\":\"meta\",\"key\":\"l4proto\",\"dreg\":1},"                  \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"06\"}},"
#define NFIP                                                                \
	"{\"expr\":\"meta\",\"key\":\"nfproto\",\"dreg\":1},"                  \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"02\"}},"
#define NF6                                                                 \
	"{\"expr\":\"meta\",\"key\":\"nfproto\",\"dreg\":1},"                  \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"0a\"}},"
#define X6(type, off, len, flags)                                           \
	"{\"expr\":\"exthdr\",\"dreg\":1,\"type\":" #type ",\"offset\":" #off \
	",\"len\":" #len ",\"op\":\"ipv6\",\"flags\":[" flags "]},"
#define PL(base, off, len)                                                  \
	"{\"expr\":\"payload\",\"dreg\":1,\"base\":\"" base "\",\"offset\":" #off \
	",\"len\":" #len "},"
#define CMP(op, hex)                                                        \
	"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"" op "\",\"data\":{\"$bytes\":\"" hex "\"}}"

/* Each from `nft --debug=netlink` of the same rule (nftables 1.0.6). */
static const char *const vectors[][3] = {
	{ "inet", "tcp dport 22 accept",
	  "[" L4TCP PL("transport", 2, 2) CMP("eq", "0016") ",\"accept\"]" },
	{ "ip", "ip saddr 10.0.0.0/8 counter drop",
	  "[" PL("network", 12, 1) CMP("eq", "0a")
	  ",{\"expr\":\"counter\"},\"drop\"]" },
	{ "inet", "ip saddr 10.16.0.0/12 drop",
	  "[" NFIP PL("network", 12, 4)
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":4,"
	  "\"mask\":{\"$bytes\":\"fff00000\"},\"xor\":{\"$bytes\":\"00000000\"}},"
	  CMP("eq", "0a100000") ",\"drop\"]" },
	{ "inet", "ct state established,related accept",
	  "[{\"expr\":\"ct\",\"key\":\"state\",\"dreg\":1},"
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":4,"
	  "\"mask\":{\"$bytes\":\"06000000\"},\"xor\":{\"$bytes\":\"00000000\"}},"
	  CMP("neq", "00000000") ",\"accept\"]" },
	{ "inet", "iifname \"eth*\" drop",
	  "[{\"expr\":\"meta\",\"key\":\"iifname\",\"dreg\":1}," CMP("eq", "657468")
	  ",\"drop\"]" },
	{ "inet", "tcp dport 1000-2000 drop",
	  "[" L4TCP PL("transport", 2, 2) CMP("gte", "03e8") "," CMP("lte", "07d0")
	  ",\"drop\"]" },
	{ "inet", "tcp dport != 1000-2000 drop",
	  "[" L4TCP PL("transport", 2, 2)
	  "{\"expr\":\"range\",\"sreg\":1,\"op\":\"neq\",\"from\":{\"$bytes\":"
	  "\"03e8\"},\"to\":{\"$bytes\":\"07d0\"}},\"drop\"]" },
	{ "inet", "tcp dport { 22, 80 } accept",
	  "[" L4TCP PL("transport", 2, 2)
	  "{\"expr\":\"set_literal\",\"key_type\":\"inet_service\","
	  "\"elements\":[22,80],\"sreg\":1},\"accept\"]" },
	{ "inet", "meta mark set 0x10",
	  "[{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"10000000\"}},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	{ "ip", "tcp dport 80 dnat to 10.0.0.1:8080",
	  "[" L4TCP PL("transport", 2, 2) CMP("eq", "0050") ","
	  "{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"0a000001\"}},"
	  "{\"expr\":\"immediate\",\"dreg\":2,\"data\":{\"$bytes\":\"1f90\"}},"
	  "{\"expr\":\"nat\",\"type\":\"dnat\",\"family\":\"ip\","
	  "\"reg_addr_min\":1,\"reg_proto_min\":2}]" },
	{ "inet", "tcp dport 80 redirect to :8080",
	  "[" L4TCP PL("transport", 2, 2) CMP("eq", "0050") ","
	  "{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"1f90\"}},"
	  "{\"expr\":\"redir\",\"reg_proto_min\":1}]" },
	{ "inet", "limit rate 10/second accept",
	  "[{\"expr\":\"limit\",\"rate\":10,\"unit\":\"second\",\"burst\":5,"
	  "\"type\":\"packets\",\"flags\":[]},\"accept\"]" },
	{ "inet", "reject with tcp reset",
	  "[" L4TCP "{\"expr\":\"reject\",\"type\":\"tcp_reset\",\"code\":0}]" },
	{ "inet", "reject",
	  "[{\"expr\":\"reject\",\"type\":\"icmpx_unreach\",\"code\":1}]" },
	{ "ip", "reject",
	  "[{\"expr\":\"reject\",\"type\":\"icmp_unreach\",\"code\":3}]" },
	{ "inet", "ether saddr 02:00:00:00:00:01 accept",
	  "[{\"expr\":\"meta\",\"key\":\"iiftype\",\"dreg\":1}," CMP("eq", "0100")
	  "," PL("link", 6, 6) CMP("eq", "020000000001") ",\"accept\"]" },
	{ "bridge", "ip saddr 1.2.3.4 drop",
	  "[{\"expr\":\"meta\",\"key\":\"protocol\",\"dreg\":1},"
	  CMP("eq", "0800") "," PL("network", 12, 4) CMP("eq", "01020304")
	  ",\"drop\"]" },
	{ "inet", "tcp dport 22 jump other",
	  "[" L4TCP PL("transport", 2, 2) CMP("eq", "0016")
	  ",{\"jump\":\"other\"}]" },
	{ "inet", "counter name \"cnt\"",
	  "[{\"expr\":\"objref\",\"type\":\"counter\",\"name\":\"cnt\"}]" },
	/* a set of one element is its plain match, as nft makes it */
	{ "inet", "tcp dport { 22 } accept",
	  "[" L4TCP PL("transport", 2, 2) CMP("eq", "0016") ",\"accept\"]" },
	{ "ip", "ip saddr != { 10.0.0.0/8 } drop",
	  "[" PL("network", 12, 1) CMP("neq", "0a") ",\"drop\"]" },
	/* host order, compared in network order after a byteorder */
	{ "inet", "meta mark 0x1ff-0x200 drop",
	  "[{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1},"
	  "{\"expr\":\"byteorder\",\"sreg\":1,\"dreg\":1,\"op\":\"hton\","
	  "\"len\":4,\"size\":4}," CMP("gte", "000001ff") ","
	  CMP("lte", "00000200") ",\"drop\"]" },
	/* MSS clamping: no dependency for the option or the route, the
	 * route's host-order MSS turned to network order for the write */
	{ "inet", "tcp option maxseg size set rt mtu",
	  "[{\"expr\":\"rt\",\"key\":\"tcpmss\",\"dreg\":1},"
	  "{\"expr\":\"byteorder\",\"sreg\":1,\"dreg\":1,\"op\":\"hton\","
	  "\"len\":2,\"size\":2},{\"expr\":\"exthdr\",\"sreg\":1,"
	  "\"type\":2,\"offset\":2,\"len\":2,\"op\":\"tcpopt\"}]" },
	{ "ip", "tcp option sack-perm missing drop",
	  "[{\"expr\":\"exthdr\",\"dreg\":1,\"type\":4,\"offset\":0,"
	  "\"len\":1,\"op\":\"tcpopt\",\"flags\":[\"present\"]},"
	  CMP("eq", "00") ",\"drop\"]" },
	/* raw payloads: no dependency; bits not whole bytes masked,
	 * their value shifted into place; @th,16,16 is th dport */
	{ "inet", "@th,96,32 0x2112a442",
	  "[" PL("transport", 12, 4) CMP("eq", "2112a442") "]" },
	{ "inet", "udp dport 3478 @th,64,16 1",
	  "[{\"expr\":\"meta\",\"key\":\"l4proto\",\"dreg\":1},"
	  CMP("eq", "11") "," PL("transport", 2, 2) CMP("eq", "0d96") ","
	  PL("transport", 8, 2) CMP("eq", "0001") "]" },
	{ "ip", "@nh,0,4 4",
	  "[" PL("network", 0, 1)
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":1,"
	  "\"mask\":{\"$bytes\":\"f0\"},\"xor\":{\"$bytes\":\"00\"}},"
	  CMP("eq", "40") "]" },
	{ "ip", "@th,60,8 != 0x12",
	  "[" PL("transport", 7, 2)
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":2,"
	  "\"mask\":{\"$bytes\":\"0ff0\"},\"xor\":{\"$bytes\":\"0000\"}},"
	  CMP("neq", "0120") "]" },
	{ "ip", "@th,16,16 http",
	  "[" PL("transport", 2, 2) CMP("eq", "0050") "]" },
	/* a raw payload's anonymous set carries its typeof, as nft writes
	 * it (it lists the elements by it, in hex); a vmap's does not */
	{ "ip", "@nh,96,32 { 0x0a000001, 0x0a000002 } drop",
	  "[" PL("network", 12, 4)
	  "{\"expr\":\"set_literal\",\"key_type\":\"integer/32\","
	  "\"key_typeof\":\"@nh,96,32\",\"elements\":[167772161,"
	  "167772162],\"sreg\":1},\"drop\"]" },
	{ "inet", "@ll,0,48 != { 0x010203040506, 0x1-0x2 }",
	  "[" PL("link", 0, 6)
	  "{\"expr\":\"set_literal\",\"key_type\":\"integer/48\","
	  "\"key_typeof\":\"@ll,0,48\",\"elements\":[{\"range\":[1,2]},"
	  "1108152157446],\"sreg\":1,\"flags\":[\"inv\"]}]" },
	{ "ip", "@nh,72,8 vmap { 6 : accept }",
	  "[" PL("network", 9, 1)
	  "{\"expr\":\"set_literal\",\"key_type\":\"integer/8\","
	  "\"data_type\":\"verdict\",\"elements\":[{\"key\":6,"
	  "\"value\":\"accept\"}],\"sreg\":1,\"dreg\":0}]" },
	/* a raw range: two compares, as nft 1.0.6 (1.1 uses a range) */
	{ "ip", "@ll,0,8 0x1-0x3",
	  "[" PL("link", 0, 1) CMP("gte", "01") "," CMP("lte", "03") "]" },
	{ "inet", "meta pkttype set broadcast",
	  "[{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"01\"}},"
	  "{\"expr\":\"meta\",\"key\":\"pkttype\",\"sreg\":1}]" },
	/* a set of one wildcard is its compare, of the prefix */
	{ "inet", "iifname != { \"eth*\" } drop",
	  "[{\"expr\":\"meta\",\"key\":\"iifname\",\"dreg\":1}," CMP("neq", "657468")
	  ",\"drop\"]" },
	/* adjacent raw matches merge as fields do */
	{ "ip", "@th,256,64 0x646973736f6c7665 @th,320,8 0x3a",
	  "[" PL("transport", 32, 9) CMP("eq", "646973736f6c76653a") "]" },
	{ "ip", "@nh,8,8 set 4",
	  "[{\"expr\":\"immediate\",\"dreg\":1,\"data\":{\"$bytes\":\"04\"}},"
	  "{\"expr\":\"payload\",\"sreg\":1,\"base\":\"network\","
	  "\"offset\":1,\"len\":1,\"csum_type\":\"none\","
	  "\"csum_offset\":0,\"csum_flags\":[]}]" },
	/* icmp after an explicit l4proto: no nfproto dependency */
	{ "inet", "meta l4proto icmp icmp type echo-request accept",
	  "[{\"expr\":\"meta\",\"key\":\"l4proto\",\"dreg\":1},"
	  CMP("eq", "01") "," PL("transport", 0, 1) CMP("eq", "08")
	  ",\"accept\"]" },
	/* IPv6 extension headers: the IPv6 check goes first in the rule,
	 * ahead of what came before the header; frag frag-off masked and
	 * its value shifted in place */
	{ "inet", "meta mark 1 frag frag-off 100 drop",
	  "[" NF6 "{\"expr\":\"meta\",\"key\":\"mark\",\"dreg\":1},"
	  CMP("eq", "01000000") "," X6(44, 2, 2, "")
	  "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":2,"
	  "\"mask\":{\"$bytes\":\"fff8\"},\"xor\":{\"$bytes\":\"0000\"}},"
	  CMP("eq", "0320") ",\"drop\"]" },
	{ "ip6", "exthdr hbh exists srh sid[2] ::2 drop",
	  "[" X6(0, 0, 1, "\"present\"") CMP("eq", "01") "," X6(43, 24, 16, "")
	  CMP("eq", "00000000000000000000000000000002") ",\"drop\"]" },
	{ "bridge", "mh type binding-update",
	  "[" PL("link", 12, 2) CMP("eq", "86dd") "," X6(135, 2, 1, "")
	  CMP("eq", "05") "]" },
	/* a range: two compares, as nft 1.0.6 (1.1 uses a range) */
	{ "ip6", "hbh hdrlength 0-2 accept",
	  "[" X6(0, 1, 1, "") CMP("gte", "00") "," CMP("lte", "02")
	  ",\"accept\"]" },
	{ "netdev", "dst nexthdr tcp",
	  "[{\"expr\":\"meta\",\"key\":\"protocol\",\"dreg\":1},"
	  CMP("eq", "86dd") "," X6(60, 0, 1, "") CMP("eq", "06") "]" },
	/* an explicit IPv6 match first: no second check */
	{ "inet", "meta nfproto ipv6 rt seg-left 0",
	  "[" NF6 X6(43, 3, 1, "") CMP("eq", "00") "]" },
	/* jhash: dependencies, the loads from register 2 in 4-byte slots
	 * (reg 13 is NFT_REG32_05), the padded slots hashed */
	{ "inet", "meta mark set jhash ip saddr . tcp dport mod 4 seed 0x1",
	  "[" NFIP L4TCP
	  "{\"expr\":\"payload\",\"dreg\":2,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"payload\",\"dreg\":13,\"base\":\"transport\","
	  "\"offset\":2,\"len\":2},"
	  "{\"expr\":\"hash\",\"sreg\":2,\"dreg\":1,\"len\":8,"
	  "\"modulus\":4,\"seed\":1,\"offset\":0,\"type\":\"jhash\"},"
	  "{\"expr\":\"meta\",\"key\":\"mark\",\"sreg\":1}]" },
	/* a generator's map gives the value of a meta or ct key */
	{ "ip", "meta priority set numgen inc mod 2 map { 0 : 1:1, 1 : 1:2 }",
	  "[{\"expr\":\"numgen\",\"dreg\":1,\"modulus\":2,"
	  "\"type\":\"inc\",\"offset\":0},"
	  "{\"expr\":\"set_literal\",\"key_type\":\"host_integer/32\","
	  "\"data_type\":\"classid\",\"elements\":[{\"key\":0,"
	  "\"value\":65537},{\"key\":1,\"value\":65538}],\"sreg\":1,"
	  "\"dreg\":1},{\"expr\":\"meta\",\"key\":\"priority\",\"sreg\":1}]" },
	/* a concatenation's map gives the value too: the key loaded as
	 * for a lookup, the map into register 1 */
	{ "ip", "ct mark set ip saddr . tcp dport map { 10.0.0.1 . 22 : 0x1 }",
	  "[" L4TCP PL("network", 12, 4)
	  "{\"expr\":\"payload\",\"dreg\":9,\"base\":\"transport\","
	  "\"offset\":2,\"len\":2},"
	  "{\"expr\":\"set_literal\",\"key_type\":[\"ipv4_addr\","
	  "\"inet_service\"],\"data_type\":\"mark\",\"elements\":"
	  "[{\"key\":[\"10.0.0.1\",22],\"value\":1}],\"sreg\":1,"
	  "\"dreg\":1},{\"expr\":\"ct\",\"key\":\"mark\",\"sreg\":1}]" },
	/* @th,0,16 is th sport in a key too, with no dependency */
	{ "inet", "@th,0,16 . ip saddr { 22 . 10.0.0.1 }",
	  "[" NFIP PL("transport", 0, 2)
	  "{\"expr\":\"payload\",\"dreg\":9,\"base\":\"network\","
	  "\"offset\":12,\"len\":4},"
	  "{\"expr\":\"set_literal\",\"key_type\":[\"inet_service\","
	  "\"ipv4_addr\"],\"elements\":[[22,\"10.0.0.1\"]],\"sreg\":1}]" },
	/* the flow offload statement, in both of nft's spellings */
	{ "inet", "flow add @ft accept",
	  "[{\"expr\":\"flow_offload\",\"flowtable\":\"ft\"},\"accept\"]" },
	{ "ip", "ip protocol tcp flow offload @f-1 counter",
	  "[" PL("network", 9, 1) CMP("eq", "06") ","
	  "{\"expr\":\"flow_offload\",\"flowtable\":\"f-1\"},"
	  "{\"expr\":\"counter\"}]" },
	/* numgen's host-order value ordered in network order */
	{ "ip", "numgen random mod 10 offset 1 < 5 accept",
	  "[{\"expr\":\"numgen\",\"dreg\":1,\"modulus\":10,"
	  "\"type\":\"random\",\"offset\":1},"
	  "{\"expr\":\"byteorder\",\"sreg\":1,\"dreg\":1,\"op\":\"hton\","
	  "\"len\":4,\"size\":4}," CMP("lt", "00000005") ",\"accept\"]" },
};

START_TEST(compiles_like_nftables)
{
	char *got = rule_json(vectors[_i][0], vectors[_i][1]);
	struct linx_value a = nt_json(got), b = nt_json(vectors[_i][2]);

	ck_assert_msg(linx_value_equal(&a, &b), "%s\n got  %s\n want %s",
		      vectors[_i][1], got, vectors[_i][2]);
	linx_value_clear(&a);
	linx_value_clear(&b);
	free(got);
}
END_TEST

/* ---- round trips over the corpus ------------------------------------------- */

static char *fmt(const struct linx_value *rs)
{
	char *text;
	size_t len;
	struct linx_error err;

	linx_assert_ok(linx_nft_format(rs, &text, &len, &err), &err);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

/* Tables in (family, name) order, as the formatter writes them. */
static int cmp_tables(const void *a, const void *b)
{
	const struct linx_value *x = a, *y = b;
	int r = strcmp(linx_map_get(x, "family")->str,
		       linx_map_get(y, "family")->str);

	return r ? r : strcmp(linx_map_get(x, "name")->str,
			      linx_map_get(y, "name")->str);
}

static void sort_tables(struct linx_value *rs)
{
	struct linx_value *t = (struct linx_value *)linx_map_get(rs, "tables");

	if (t->len > 1)
		qsort(t->items, t->len, sizeof(*t->items), cmp_tables);
}

/* Returns whether the file parsed. */
static bool roundtrip_file(const char *path)
{
	struct linx_value a, b;
	struct linx_nft_parse_error pe;
	struct linx_error err;

	if (linx_nft_parse_file(path, NULL, &a, &pe, &err) < 0)
		return false;
	char *t1 = fmt(&a);
	int r = linx_nft_parse(t1, strlen(t1), NULL, &b, &pe, &err);
	if (r != 0)
		fprintf(stderr, "%s\n", t1);
	ck_assert_msg(r == 0, "%s: the formatted text does not parse: %s",
		      path, err.message);
	sort_tables(&a);
	if (!linx_value_equal(&a, &b)) {
		char *ja = nt_to_json(&a), *jb = nt_to_json(&b);
		fprintf(stderr, "%s\n%s\n%s\n", t1, ja, jb);
		ck_abort_msg("%s: parse(format(x)) != x (see stderr)", path);
	}
	char *t2 = fmt(&b);
	if (strcmp(t1, t2) != 0) {
		fprintf(stderr, "%s\n----\n%s\n", t1, t2);
		ck_abort_msg("%s: format is not a fixed point", path);
	}
	free(t1);
	free(t2);
	linx_value_clear(&a);
	linx_value_clear(&b);
	return true;
}

static unsigned roundtrip_dir(const char *dir, unsigned *total)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned ok = 0;
	char path[1024];

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".nft") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(*total)++;
		if (roundtrip_file(path))
			ok++;
		else
			fprintf(stderr, "not parsed (unsupported): %s\n", path);
	}
	closedir(d);
	return ok;
}

START_TEST(corpus_roundtrips)
{
	unsigned total = 0, ok = roundtrip_dir(LANG_DIR, &total);

	ck_assert_msg(ok == total && total >= 3, "%u of %u of our corpus", ok,
		      total);
	total = 0;
	ok = roundtrip_dir(EXAMPLES, &total);
	fprintf(stderr, "nftables examples parsed and round-tripped: %u of %u\n",
		ok, total);
}
END_TEST

/* ---- errors --------------------------------------------------------------- */

static const struct {
	const char *text;
	unsigned line, col;
	const char *msg;
} broken[] = {
	/* set statements: two at most (NFT_SET_EXPR_MAX), no named objects */
	{ "table ip t {\n set s {\n  type ipv4_addr\n  counter\n  counter\n"
	  "  counter\n }\n}\n",
	  6, 3, "a set has at most two statements" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n  counter name c\n }\n}\n",
	  4, 11, "unsupported feature: named objects" },
	/* nft: conflicting protocols specified: ether vs. vlan */
	{ "table bridge t {\n chain c {\n  meta protocol ip vlan id 4\n }\n}\n",
	  3, 20, "conflicting protocols specified: ether vs. vlan" },
	{ "table inet t {\n chain c {\n  arp saddr ip 1.2.3.4\n }\n}\n", 3, 3,
	  "conflicting protocols specified: inet vs. arp" },
	{ "table bridge t {\n chain c {\n  vlan pcp 8\n }\n}\n", 3, 12,
	  "value out of range (at most 7)" },
	{ "table bridge t {\n chain c {\n  vlan id 4096\n }\n}\n", 3, 11,
	  "value 4096 exceeds valid range 0-4095" },
	{ "table bridge t {\n chain c {\n  vlan pcp { 1, 2 }\n }\n}\n", 3, 12,
	  "unsupported feature: sets of vlan pcp" },
	{ "table arp t {\n chain c {\n  arp saddr ipv4 1.2.3.4\n }\n}\n", 3,
	  13, "unexpected" },
	/* nft: 3:15-15: syntax error, unexpected junk */
	{ "table inet t {\n  chain c {\n    tcp dport ? accept\n  }\n}\n", 3, 15,
	  "unexpected character '?'" },
	/* nft: 1:7-9: syntax error, unexpected string (family) */
	{ "table inet t {\n chain c {\n  tcp dprt 22\n }\n}\n", 3, 7,
	  "unsupported feature: tcp dprt" },
	{ "table inet t {\n chain c {\n  ip saddr 10.0.0.1/33 drop\n }\n}\n", 3,
	  12, "prefix length out of range" },
	{ "table inet t {\n chain c {\n  iifname \"eth0 drop\n }\n}\n", 3, 11,
	  "unterminated string" },
	{ "table inet t {\n chain c {\n  accept drop\n }\n}\n", 3, 10,
	  "statement after a verdict" },
	{ "table inet t {\n chain c {\n  tcp dport $nope accept\n }\n}\n", 0, 0,
	  NULL /* a hole: fine without values */ },
	{ "table inet t {\n chain c {\n  ip saddr 10.0.0.1 ip6 daddr ::1\n }\n}\n",
	  3, 21, "conflicting protocols" },
	{ "table inet t {\n chain c {\n  jump\n }\n}\n", 3, 7,
	  "unexpected end of statement" },
	{ "table inet t {\n chain c {\n  tcp dport 70000\n }\n}\n", 3, 13,
	  "value out of range" },
	{ "table inet t {\n chain c {\n", 3, 1, "unexpected end of file" },
	{ "/* open", 1, 1, "unterminated comment" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n  elements = { 10.0.0.0/8 }\n"
	  " }\n}\n", 4, 16, "needs flags interval" },
	/* ct timeout, ct expectation and synproxy objects */
	{ "table ip t {\n synproxy p {\n  mss 70000\n }\n}\n", 3, 7,
	  "mss out of range" },
	{ "table ip t {\n synproxy p {\n  mss 1460 wscale 7 timestamp timestamp\n"
	  " }\n}\n",
	  3, 31, "timestamp given twice" },
	/* nft's order and nft's pair: mss, then wscale */
	{ "table ip t {\n synproxy p {\n  wscale 7\n  mss 1460\n }\n}\n", 3, 3,
	  "unexpected 'wscale', expecting mss" },
	{ "table ip t {\n synproxy p {\n  mss 1460\n }\n}\n", 4, 2,
	  "expecting wscale" },
	/* a ct timeout's, ct expectation's, synproxy's or flowtable's last
	 * line ends with a separator too, as in nft */
	{ "table ip t {\n synproxy p { mss 1460; wscale 7 }\n}\n", 2, 34,
	  "expecting newline or semicolon" },
	{ "table ip t {\n flowtable f { hook ingress priority 0; devices = { lo }"
	  " }\n}\n",
	  2, 58, "expecting newline or semicolon" },
	{ "table ip t {\n ct timeout w {\n  protocol tcp\n"
	  "  policy = { replied : 1 }\n }\n}\n", 4, 14,
	  "replied is not a tcp state" },
	{ "table ip t {\n ct timeout w {\n  policy = { replied : 1 }\n"
	  "  protocol tcp\n }\n}\n", 5, 2, "replied is not a tcp state" },
	{ "table ip t {\n ct timeout w {\n  protocol udp\n"
	  "  policy = { replied : 1, replied : 2 }\n }\n}\n", 4, 27,
	  "state replied given twice" },
	{ "table ip t {\n ct timeout w {\n  protocol udp\n }\n}\n", 4, 2,
	  "missing policy" },
	{ "table ip t {\n ct expectation e {\n  protocol tcp\n  dport 21\n"
	  "  size 300\n }\n}\n", 5, 8, "size out of range" },
	{ "table ip t {\n ct expectation e {\n  protocol tcp\n  dport 21\n"
	  "  size 3\n }\n}\n", 6, 2, "missing timeout" },
	{ "table ip t {\n ct expectation e {\n  protocol icmp\n }\n}\n", 3, 12,
	  "tcp or udp" },
	{ "table ip t {\n chain c {\n  ct timeout set { \"a\" }\n }\n}\n", 3,
	  18, "unsupported feature: ct timeout set from a set" },
	{ "table ip t {\n chain c {\n  synproxy map\n }\n}\n", 3, 12,
	  "unsupported feature: synproxy map" },
	/* nft: socket cgroupv2 (needs a cgroup path at compile time): not in
	 * the language */
	{ "table ip t {\n chain c {\n  socket cgroupv2 level 1 \"x\"\n }\n}\n",
	  3, 10, "unsupported feature: socket cgroupv2" },
	/* nft: 3:3-15: Transparent proxy support requires transport
	 * protocol match */
	{ "table ip t {\n chain c {\n  tproxy to :80\n }\n}\n", 3, 3,
	  "needs a transport protocol match" },
	/* nft: ip or ip6 must be specified with address for inet tables. */
	{ "table inet t {\n chain c {\n  meta l4proto tcp tproxy to 1.2.3.4\n"
	  " }\n}\n", 3, 20, "needs ip or ip6" },
	/* nft: conflicting protocols specified: ip vs. ip6 */
	{ "table ip t {\n chain c {\n  meta l4proto tcp tproxy ip6 to :1\n"
	  " }\n}\n", 3, 20, "tproxy ip6 in an ip table" },
	/* nft: conflicting protocols specified: ip vs. unknown */
	{ "table inet t {\n chain c {\n  ip protocol tcp tproxy to :80\n"
	  " }\n}\n", 3, 19, "the rule matched ip packets" },
	/* nft: BUG: unknown expression type range (an assertion) */
	{ "table ip t {\n chain c {\n  meta l4proto tcp tproxy to 10.0.0.0/8\n"
	  " }\n}\n", 3, 30, "not a prefix or a range" },
	{ "table bridge t {\n chain c {\n  meta l4proto tcp tproxy to :1\n"
	  " }\n}\n", 3, 20, "tproxy is not available in bridge tables" },
	/* nft: Value 2 exceeds valid range 0-1 */
	{ "table ip t {\n chain c {\n  socket transparent 2\n }\n}\n", 3, 22,
	  "exceeds valid range 0-1" },
	{ "table ip t {\n chain c {\n  socket mark . meta mark { 1 . 2 }\n"
	  " }\n}\n", 3, 15, "unsupported feature: socket in a concatenation" },
	/* nft: invalid ttl option */
	{ "table ip t {\n chain c {\n  osf ttl strict name \"Linux\"\n }\n}\n",
	  3, 11, "unexpected" },
	{ "table ip t {\n chain c {\n  osf name { \"Linux\", \"Windows\" }\n"
	  " }\n}\n", 3, 12, "unsupported feature: sets of this type" },
	/* nft truncates it to 4464 */
	{ "table ip t {\n chain c {\n  synproxy mss 70000\n }\n}\n", 3, 16,
	  "mss out of range" },
	{ "table ip t {\n chain c {\n  comment \"tag:bad tag!\" accept\n }\n}\n", 0,
	  0, NULL },
	{ "table ip t {\n chain c {\n  accept comment \"tag:b@d\"\n }\n}\n", 3, 18,
	  "a tag is" },
	/* nft: 3:3-13: Could not process rule: Operation not supported (the
	 * kernel takes a policy for base chains only); a fuzzer found that
	 * the formatter, which prints it only with the hook, lost it */
	{ "table ip t {\n chain c {\n  policy drop\n  accept\n }\n}\n", 3, 3,
	  "policy: only base chains" },
	/* nft: 3:15-23: conflicting protocols specified: udp vs. tcp (a
	 * second fuzzer finding: the formatter could not keep both) */
	{ "table ip t {\n chain c {\n  udp dport 1 tcp dport 2 accept\n }\n}\n",
	  3, 15, "conflicting protocols specified: udp vs. tcp" },
	/* nft: 3:40-48 */
	{ "table ip t {\n chain c {\n  dnat udp dport map { 1 : 1.1.1.1 } : "
	  "tcp dport map { 1 : 2 }\n }\n}\n",
	  3, 40, "udp vs. tcp" },
	{ "table ip t {\n chain c {\n  meta l4proto udp tcp dport 2\n }\n}\n", 3,
	  20, "udp vs. tcp" },
	/* nft: Could not process rule: Invalid argument (the kernel's
	 * NFT_REJECT_ICMPX_MAX is 3) */
	{ "table inet t {\n chain c {\n  reject with icmpx type 7\n }\n}\n", 3,
	  26, "expecting a reject type" },
	{ "table ip t {\n chain c {\n  reject with icmpx host-unreachable\n"
	  " }\n}\n", 3, 21, "abstracted ICMP unreachable not supported" },
	/* nft compares a concatenation with a value too; we only look
	 * one up in a set */
	{ "table ip t {\n chain c {\n  ip saddr . tcp dport 1.2.3.4 . 22\n }\n}\n",
	  3, 24, "unsupported feature: a concatenation outside a set" },
	/* nft: 3:26-32: invalid data type, expected concatenation of (IPv4
	 * address, internet network service); we point at what is missing */
	{ "table ip t {\n chain c {\n  ip saddr . tcp dport { 1.2.3.4 } drop\n }\n}\n",
	  3, 34, "expecting '.'" },
	{ "table ip6 t {\n set s {\n  type ipv6_addr . ipv6_addr . ipv6_addr . "
	  "ipv6_addr . ipv6_addr\n }\n}\n",
	  3, 56, "at most 64 bytes" },
	/* nft's typeof of an interface kind: a 16-byte string, which the
	 * plugin's set types do not have */
	{ "table ip t {\n set s {\n  typeof ipsec in reqid\n }\n}\n", 3, 10,
	  "unsupported feature: ipsec in keys, concatenations, typeof" },
	/* nft: 3:14-16: Range has zero or negative size (numerically: the
	 * bytes are host order), at the range's start */
	{ "table ip t {\n chain c {\n  meta skuid 512-3 accept\n }\n}\n", 3, 14,
	  "Range has zero or negative size" },
	{ "table ip t {\n chain c {\n  tcp dport { 22-21 } accept\n }\n}\n", 3,
	  15, "Range has zero or negative size" },
	{ "table ip t {\n chain c {\n  ct state 0x1f-0x10\n }\n}\n", 3, 12,
	  "Range has zero or negative size" },
	{ "table ip t {\n chain c {\n  iifname eth0 oifname accept\n }\n}\n",
	  3, 24, "syntax error, unexpected 'accept'" },
	{ "table ip t {\n chain c {\n  ip saddr 10.0.0.300 accept\n }\n}\n",
	  3, 12, "invalid IPv4 address: an octet above 255" },
	/* commands: what a load (which replaces the declared tables)
	 * cannot express is refused */
	{ "delete table inet nope\n", 1, 1,
	  "unsupported feature: delete of a table the input does not "
	  "declare again" },
	{ "table inet t { chain c { }; }\nflush chain inet u c\n", 2, 18,
	  "unsupported feature: flush in a table this input does not "
	  "declare" },
	{ "table inet t\ndelete table inet t\nadd chain inet t c\n", 3, 16,
	  "no such table inet t" },
	{ "table inet t { chain c { }; }\ndelete rule inet t c handle 3\n", 2,
	  8, "unsupported feature: delete rule" },
	/* sets inside sets are flattened, to a depth */
	{ "table ip t {\n chain c {\n  ip saddr { { { { { { { { { { { { { { "
	  "{ { { { { { 1.2.3.4 } } } } } } } } } } } } } } } } } } } } drop\n"
	  " }\n}\n",
	  3, 46, "nested deeper than 16" },
	/* nft: 2:6-6: auto-merge only works with interval sets */
	{ "table ip t {\n set s {\n  type ipv4_addr\n  auto-merge\n }\n}\n",
	  4, 3, "auto-merge only works with interval sets" },
	/* nft -c refuses both (3:19: unexpected -; 3:21: not a bitmask) */
	{ "table inet t {\n chain c {\n  tcp dport 22, 80-90 accept\n }\n}\n",
	  3, 17, "a prefix or range in a list" },
	{ "table inet t {\n chain c {\n  ip saddr 10.0.0.0/8, 1.2.3.4\n }\n}\n",
	  3, 22, "a prefix in a list" },
	{ "table ip t {\n chain c {\n  meta nftrace set tcp dport map "
	  "{ 80 : 1 }\n }\n}\n",
	  3, 20, "unsupported feature: meta nftrace set from a map" },
	/* its width needs a typeof, and esp spi has none we write */
	{ "table ip t {\n chain c {\n  ip ttl . esp spi { 1 . 1 }\n }\n}\n",
	  3, 12, "unsupported feature: esp spi in a concatenation with an "
		 "integer" },
	/* nft: 3:3-8: syntax error, unexpected typeof */
	{ "table ip t {\n set s {\n  type mark\n  typeof meta mark\n }\n}\n",
	  4, 3, "type given twice" },
	{ "table ip t {\n set s {\n  typeof ip saddr . ip7 daddr\n }\n}\n", 3,
	  21, "expecting a selector" },
	/* set statements: nft -f gets these refused by the kernel
	 * (constant: EBUSY; a timeout without flags timeout: EOPNOTSUPP;
	 * no such set: ENOENT); we say why, at the reference */
	{ "table ip t {\n set s {\n  type ipv4_addr\n  flags constant\n }\n"
	  " chain c {\n  add @s { ip saddr }\n }\n}\n",
	  7, 7, "set s is constant" },
	{ "table ip t {\n chain c {\n  add @nope { ip saddr }\n }\n}\n", 3, 7,
	  "set nope does not exist" },
	/* the set comes after the chain: the error still points at the rule */
	{ "table ip t {\n chain c {\n  add @s { ip saddr timeout 1s }\n }\n"
	  " set s {\n  type ipv4_addr\n  flags dynamic\n }\n}\n",
	  3, 21, "set s has no flags timeout" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n }\n"
	  " chain c {\n  add @s { tcp dport }\n }\n}\n",
	  6, 12, "does not match the type of set s" },
	{ "table ip t {\n map m {\n  type ipv4_addr : inet_service\n }\n"
	  " chain c {\n  add @m { ip saddr : tcp dport }\n }\n}\n",
	  6, 23, "unsupported feature: a payload as a map statement's value" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n }\n chain c {\n"
	  "  update @s { ip saddr counter counter counter }\n }\n}\n",
	  6, 40, "at most two statements" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n }\n chain c {\n"
	  "  update @s { ip saddr counter name x }\n }\n}\n",
	  6, 32, "unsupported feature: named objects in a set statement" },
	{ "table ip t {\n chain c {\n  meta cpu set 1\n }\n}\n",
	  3, 12, "meta cpu set (the kernel does not write it)" },
	{ "table ip t {\n chain c {\n  ct bytes set 1\n }\n}\n",
	  3, 12, "ct bytes set (the kernel does not write it)" },
	{ "table ip t {\n chain c {\n  ip saddr map { 1.1.1.1 : 1 }\n }\n}\n",
	  3, 12, "unsupported feature: map lookups in matches" },
	/* nft: 2:8-10: syntax error, unexpected fwd, expecting string */
	{ "table inet t {\n chain fwd {\n }\n}\n", 2, 8,
	  "syntax error, unexpected fwd" },
	{ "table inet counter {\n}\n", 1, 12, "unexpected counter" },
	{ "table inet t {\n chain c {\n  jump ip\n }\n}\n", 3, 8,
	  "unexpected ip" },
	/* nft: 3:18-21: transport protocol mapping is only valid after
	 * transport protocol match */
	{ "table ip t {\n chain c {\n  redirect to :8080\n }\n}\n", 3, 16,
	  "transport protocol mapping is only valid after" },
	/* nft: Wrong rate format (it has no gbytes) */
	{ "table ip t {\n chain c {\n  quota over 1 gbytes\n }\n}\n", 3, 16,
	  "expecting a byte unit" },
	/* masks. nft takes an ordering; the language does not yet */
	/* a map's range value runs upwards, as a key's does */
	{ "table ip t {\n chain c {\n  type nat hook postrouting priority 100\n"
	  "  snat ip to ip saddr map { 10.0.0.0/8 : 10.0.0.9-10.0.0.1 }\n }\n}\n",
	  4, 42, "Range has zero or negative size" },
	/* the bridge port's keys exist in bridge tables only */
	{ "table inet t {\n chain c {\n  meta ibrname \"br0\" accept\n }\n}\n",
	  3, 3, "meta ibrname is only in the bridge family" },
	{ "table netdev t {\n chain c {\n  meta ibrpvid 1\n }\n}\n", 3, 3,
	  "meta ibrpvid is only in the bridge family" },
	/* operators on a value: nft's precedence, constants not shifted,
	 * an outermost ^ only where nft can move it */
	{ "table ip t {\n chain c {\n  meta mark ^ 0x1 { 0x2 }\n }\n}\n", 3, 19,
	  "unsupported feature: an outermost ^ before a set" },
	{ "table ip t {\n chain c {\n  meta mark & 0xff ^ 0x1 < 3\n }\n}\n", 3,
	  28, "an outermost ^ before a set, a map or an ordering" },
	{ "table ip t {\n chain c {\n  meta mark & 0xff == $y\n }\n}\n", 3,
	  23, "unsupported feature: a variable after &, ^ or |" },
	{ "table ip t {\n chain c {\n  meta mark << 8 == 0x100\n }\n}\n", 3,
	  13, "unsupported feature: a shift in a match" },
	{ "table ip t {\n chain c {\n  meta mark & 0xff00 >> 8 == 1\n }\n}\n", 3,
	  22, "unsupported feature: shifting a constant" },
	{ "table ip t {\n chain c {\n  meta mark set ct mark & 0xff << 8\n }\n}\n",
	  3, 32, "unsupported feature: shifting a constant" },
	{ "table ip t {\n chain c {\n  meta mark set (ct mark & 0xff\n }\n}\n", 3,
	  32, "expecting ')'" },
	{ "table ip t {\n chain c {\n  meta mark set (tcp dport)\n }\n}\n", 3, 18,
	  "expecting a meta or ct key" },
	{ "table ip t {\n chain c {\n  ip saddr & 255.255.0.0 == 10.0.0.0/8\n }\n}\n",
	  3, 29, "a masked match takes plain values" },
	{ "table ip t {\n chain c {\n  meta mark | ((((((((((((((((((1)))))))))))))))))) == 1\n }\n}\n",
	  3, 31, "expression nested too deeply" },
	{ "table ip t {\n chain c {\n  ip saddr & 10.0.0.0/8 == 1.2.3.4\n }\n"
	  "}\n",
	  3, 14, "a masked match takes plain values" },
	{ "table ip t {\n chain c {\n  meta mark set ct mark | 1.2.3.4\n }\n}\n",
	  3, 27, "expecting a value" },
	/* nft: 3:3-14, the same words */
	{ "table ip t {\n chain c {\n  meta nfproto ipv4 accept\n }\n}\n", 3, 3,
	  "meta nfproto is only useful in the inet family" },
	/* meters. nft: 3:32-36: syntax error, unexpected limit */
	{ "table ip t {\n chain c {\n  meter x { ip saddr counter limit rate "
	  "1/second }\n }\n}\n",
	  3, 30, "a meter has one statement" },
	/* nft: syntax error, unexpected '}' */
	{ "table ip t {\n chain c {\n  meter x { ip saddr }\n }\n}\n", 3, 22,
	  "expecting a statement" },
	/* nft -f: the kernel refuses the second set of the name (EEXIST, and
	 * EOPNOTSUPP for a second meter); we say so at the name */
	{ "table ip t {\n set s {\n  type ipv4_addr\n }\n chain c {\n"
	  "  meter s { ip saddr counter }\n }\n}\n",
	  6, 9, "table already has a set of that name" },
	{ "table ip t {\n chain c {\n  meter s { ip saddr counter }\n }\n"
	  " set s {\n  type ipv4_addr\n }\n}\n",
	  3, 9, "table already has a set of that name" },
	{ "table ip t {\n chain c {\n  meter x { ip saddr counter }\n"
	  "  meter x { ip daddr counter }\n }\n}\n",
	  4, 9, "declared twice" },
	{ "table ip t {\n chain c {\n  meter x { ip saddr counter : meta mark "
	  "}\n }\n}\n",
	  3, 30, "expecting '}'" },
	/* TCP options and rt: nft 1.0.6 loads `window count set 3` and
	 * the kernel refuses it (EOPNOTSUPP: it writes 2 and 4 bytes) */
	{ "table ip t {\n chain c {\n  tcp option window count set 3\n }\n}\n",
	  3, 21, "the kernel writes 2- and 4-byte TCP option fields only" },
	{ "table ip t {\n chain c {\n  tcp option timestamp tsval set rt mtu\n"
	  " }\n}\n",
	  3, 37, "rt mtu is 2 bytes" },
	{ "table ip t {\n chain c {\n  tcp option bogus exists\n }\n}\n", 3,
	  14, "unknown TCP option bogus" },
	{ "table ip t {\n chain c {\n  tcp option 256 missing\n }\n}\n", 3,
	  14, "a TCP option kind is 0 to 255" },
	{ "table ip t {\n chain c {\n  tcp option mptcp subtype 16\n }\n}\n", 3,
	  28, "value out of range: 16 (a 4-bit field)" },
	/* nft: 3:3-16: ip6 nexthop will not match */
	{ "table ip t {\n chain c {\n  rt ip6 nexthop fe80::1\n }\n}\n", 3, 3,
	  "never matches in a table of family ip" },
	/* nft 1.0.6 compares only the first byte of the prefix */
	{ "table ip t {\n chain c {\n  rt ip nexthop 10.0.0.0/8\n }\n}\n", 3,
	  17, "unsupported feature: sets and prefixes of rt ip nexthop" },
	{ "table inet t {\n chain c {\n  rt nexthop 10.0.0.1\n }\n}\n", 3, 6,
	  "write rt ip nexthop or rt ip6 nexthop" },
	/* nft 1.0.6: Segmentation fault */
	{ "table ip t {\n chain c {\n  tcp option window count 7, 14\n }\n"
	  "}\n",
	  3, 28, "a list of TCP option values" },
	{ "table ip t {\n chain c {\n  rt mtu set 1400\n }\n}\n", 3, 10,
	  "rt mtu cannot be set" },
	/* IPv6 extension headers: IPv6 only, nft's indexes, no writes */
	{ "table ip t {\n chain c {\n  exthdr hbh exists\n }\n}\n", 3, 3,
	  "cannot use exthdr with ip" },
	{ "table arp t {\n chain c {\n  frag id 1\n }\n}\n", 3, 3,
	  "cannot use exthdr with arp" },
	{ "table inet t {\n chain c {\n  ip saddr 10.0.0.1 hbh nexthdr 6\n"
	  " }\n}\n",
	  3, 21, "cannot use exthdr with ip" },
	{ "table inet t {\n chain c {\n  meta nfproto ipv4 exthdr frag "
	  "missing\n }\n}\n",
	  3, 21, "cannot use exthdr with ip" },
	{ "table netdev t {\n chain c {\n  ether type arp mh type 1\n }\n}\n",
	  3, 18, "cannot use exthdr with arp" },
	{ "table inet t {\n chain c {\n  exthdr hbh exists ip saddr 1.2.3.4\n"
	  " }\n}\n",
	  3, 21, "conflicting protocols" },
	{ "table bridge t {\n chain c {\n  vlan id 5 exthdr hbh exists\n"
	  " }\n}\n",
	  3, 13, "behind a VLAN tag" },
	/* IPv4 options: IPv4 only, no writes, no concatenations */
	{ "table ip6 t {\n chain c {\n  ip option rr exists\n }\n}\n", 3, 3,
	  "cannot use exthdr with ip6" },
	{ "table inet t {\n chain c {\n  ip6 saddr ::1 ip option ra exists\n"
	  " }\n}\n",
	  3, 17, "cannot use exthdr with ip6" },
	{ "table bridge t {\n chain c {\n  arp htype 1 ip option rr exists\n"
	  " }\n}\n",
	  3, 15, "cannot use exthdr with arp" },
	{ "table ip t {\n chain c {\n  ip option rr ptr set 3\n }\n}\n", 3,
	  20, "ip option rr ptr cannot be set" },
	{ "table ip t {\n chain c {\n  ip option rr type . ip saddr "
	  "{ 7 . 1.2.3.4 }\n }\n}\n",
	  3, 21, "IPv4 option fields in a concatenation" },
	{ "table ip t {\n chain c {\n  ip option nop exists\n }\n}\n", 3, 13,
	  "lsrr, rr, ssrr or ra" },
	{ "table ip t {\n chain c {\n  ip option ra ptr 1\n }\n}\n", 3, 16,
	  "unknown field of ip option ra: ptr" },
	{ "table netdev t {\n chain c {\n  vlan id 5 ip option ra exists\n"
	  " }\n}\n",
	  3, 13, "behind a VLAN tag" },
	/* SCTP chunks: nft's names, no writes, no concatenations */
	{ "table inet t {\n chain c {\n  sctp chunk ping exists\n }\n}\n", 3,
	  14, "an SCTP chunk type" },
	{ "table inet t {\n chain c {\n  sctp chunk data seqno 1\n }\n}\n", 3,
	  19, "unknown field of sctp chunk data: seqno" },
	{ "table inet t {\n chain c {\n  sctp chunk data tsn set 1\n }\n}\n",
	  3, 23, "sctp chunk data tsn cannot be set" },
	{ "table inet t {\n chain c {\n  sctp chunk data tsn . sctp dport "
	  "{ 1 . 2 }\n }\n}\n",
	  3, 23, "SCTP chunk fields in a concatenation" },
	{ "table inet t {\n chain c {\n  sctp chunk data tsn 1, 2\n }\n}\n",
	  3, 24, "a list of SCTP chunk values" },
	/* maps of ranges: declared `: interval T`, read by a nat after
	 * their declaration, for one address type */
	{ "table ip t {\n map m { type ipv4_addr : ipv4_addr; elements = { "
	  "1.2.3.4 : 10.0.0.0/8 } }\n}\n",
	  2, 61, "needs a map of `interval` values" },
	{ "table ip t {\n map m { type ipv4_addr : interval inet_service; }\n"
	  "}\n",
	  2, 27, "interval values other than one address type" },
	{ "table ip t {\n chain c {\n  snat ip prefix to ip saddr map @m\n }\n"
	  " map m { type ipv4_addr : ipv4_addr; }\n}\n",
	  3, 34, "prefix to a map of single addresses" },
	{ "table ip t {\n chain c {\n  meta l4proto tcp snat ip to ip saddr map "
	  "@m : 80\n }\n map m { type ipv4_addr : interval ipv4_addr; }\n}\n",
	  3, 44, "a port after a map of address ranges" },
	{ "table ip t {\n chain c {\n  snat ip prefix to 10.0.0.0/8\n }\n}\n",
	  3, 11, "prefix to anything but a map of prefixes" },
	{ "table ip t {\n chain c {\n  meta l4proto tcp snat ip to ip saddr map "
	  "{ 10.0.0.0/8 : 1.2.3.0/24 } : 80\n }\n}\n",
	  3, 72, "a port after a map of address ranges" },
	/* a redirect's port from a map needs the protocol matched first */
	{ "table ip t {\n chain c {\n  redirect to :tcp dport map { 80 : "
	  "8080 }\n }\n}\n",
	  3, 16, "transport protocol mapping is only valid after" },
	{ "table ip t {\n chain c {\n  meta l4proto tcp redirect to 8080\n"
	  " }\n}\n",
	  3, 32, "expecting ':'" },
	/* add element to a set or map of concatenated type */
	{ "table inet t {\n set s { type ipv4_addr . inet_service; }\n}\n"
	  "add element inet t s { 1.2.3.4 }\n",
	  4, 32, "expecting '.'" },
	{ "table inet t {\n map m { type ipv4_addr : ipv4_addr . "
	  "inet_service; }\n}\nadd element inet t m { 1.2.3.4 : 5.6.7.8 }\n",
	  4, 42, "expecting '.'" },
	/* a field of some ICMP messages after a match of another type */
	{ "table ip t {\n chain c {\n  icmp type echo-request icmp mtu 1500\n"
	  " }\n}\n",
	  3, 26, "incompatible icmp match: rule has 8, need 3" },
	{ "table ip6 t {\n chain c {\n  icmpv6 type packet-too-big icmpv6 id "
	  "1\n }\n}\n",
	  3, 30, "incompatible icmpv6 match: rule has 2, need 128 or 129" },
	{ "table ip t {\n chain c {\n  icmp id 1 icmp mtu 1500\n }\n}\n", 3,
	  13, "incompatible icmp match: rule has 0 and 8, need 3" },
	/* raw TCP option fields: nft's limits (kind, offset), whole bytes
	 * of at most 8 here */
	{ "table inet t {\n chain c {\n  tcp option @256,8,8 1\n }\n}\n",
	  3, 14, "a TCP option kind is 0 to 255" },
	{ "table inet t {\n chain c {\n  tcp option @30,4,4 1\n }\n}\n",
	  3, 18, "unsupported feature: a TCP option field not in whole bytes" },
	{ "table inet t {\n chain c {\n  tcp option @30,8,80 1\n }\n}\n",
	  3, 18, "unsupported feature: a TCP option field over 8 bytes" },
	{ "table inet t {\n chain c {\n  tcp option @30,328,8 1\n }\n}\n",
	  3, 18, "offset out of range: 328 bits (0-320)" },
	{ "table inet t {\n chain c {\n  tcp option @30,8,136 1\n }\n}\n",
	  3, 20, "length out of range: 136 bits (1-128)" },
	{ "table inet t {\n chain c {\n  tcp option @x,8,8 1\n }\n}\n", 3,
	  14, "expecting a TCP option kind" },
	{ "table inet t {\n chain c {\n  tcp option @30,8,8 set 1\n }\n}\n",
	  3, 14, "cannot be set: the kernel writes 2- and 4-byte" },
	{ "table inet t {\n chain c {\n  tcp option @30,16,8 . tcp dport "
	  "{ 1 . 2 }\n }\n}\n",
	  3, 23, "TCP options in a concatenation" },
	/* ipsec (xfrm): the kernel keeps 6 states a packet; no writes, no
	 * concatenations (nft's typeof of them is not verified) */
	{ "table inet t {\n chain c {\n  ipsec in spnum 6 spi 1\n }\n}\n",
	  3, 18, "spnum 6: a packet has at most 6 IPsec states" },
	{ "table inet t {\n chain c {\n  ipsec sideways reqid 1\n }\n}\n",
	  3, 9, "expecting in or out" },
	{ "table inet t {\n chain c {\n  ipsec in ip foo 1\n }\n}\n", 3,
	  15, "expecting saddr or daddr" },
	{ "table inet t {\n chain c {\n  ipsec out mark 1\n }\n}\n", 3, 13,
	  "expecting reqid, spi, ip or ip6" },
	{ "table inet t {\n chain c {\n  ipsec in reqid set 1\n }\n}\n", 3,
	  18, "ipsec in reqid cannot be set" },
	{ "table inet t {\n chain c {\n  ipsec in reqid . ipsec in spi "
	  "{ 1 . 2 }\n }\n}\n",
	  3, 18, "unsupported feature: ipsec in a concatenation" },
	{ "table inet t {\n chain c {\n  ipsec in reqid 10.0.0.1\n }\n}\n",
	  3, 18, "expecting a value" },
	{ "table ip6 t {\n chain c {\n  rt0 addr[3] ::1\n }\n}\n", 3, 12,
	  "rt0 addr index out of range: 3 (1 or 2)" },
	{ "table ip6 t {\n chain c {\n  srh sid[0] ::1\n }\n}\n", 3, 11,
	  "srh sid index out of range: 0" },
	{ "table ip6 t {\n chain c {\n  srh sid[4294967298] ::1\n"
	  " }\n}\n",
	  3, 11, "srh sid index out of range" },
	{ "table ip6 t {\n chain c {\n  rt0 addr ::1\n }\n}\n", 3, 7,
	  "rt0 addr needs an index" },
	{ "table ip6 t {\n chain c {\n  srh sid[x] ::1\n }\n}\n", 3, 11,
	  "an index (1 or 2)" },
	{ "table ip6 t {\n chain c {\n  srh sid[1 ::1\n }\n}\n", 3, 13,
	  "']'" },
	{ "table ip6 t {\n chain c {\n  rt0 reserved 1\n }\n}\n", 3, 7,
	  "unknown field of rt0: reserved" },
	{ "table ip6 t {\n chain c {\n  rt2 addr ::1\n }\n}\n", 3, 3,
	  "unsupported feature: rt2" },
	{ "table ip6 t {\n chain c {\n  hbh\n }\n}\n", 3, 6, "a field" },
	{ "table ip6 t {\n chain c {\n  frag\n }\n}\n", 3, 7, "a field" },
	{ "table ip6 t {\n chain c {\n  exthdr ah exists\n }\n}\n", 3, 10,
	  "hbh, rt, frag, dst or mh" },
	{ "table ip6 t {\n chain c {\n  exthdr frag\n }\n}\n", 3, 14,
	  "exists or missing" },
	{ "table ip6 t {\n chain c {\n  exthdr frag 1\n }\n}\n", 3, 15,
	  "exists or missing" },
	{ "table ip6 t {\n chain c {\n  frag frag-off 8192\n }\n}\n", 3, 17,
	  "value out of range: 8192 (a 13-bit field)" },
	/* nft 1.0.6: Segmentation fault (frag id), "not bitmask" */
	{ "table ip6 t {\n chain c {\n  frag id 1, 2\n }\n}\n", 3, 12,
	  "a list of frag id values: write it as a set" },
	{ "table ip6 t {\n chain c {\n  mh type 1, 2\n }\n}\n", 3, 12,
	  "a list of mh type values" },
	{ "table ip6 t {\n chain c {\n  mh type bogus\n }\n}\n", 3, 11,
	  "a value" },
	{ "table ip6 t {\n chain c {\n  hbh nexthdr set 6\n }\n}\n", 3, 15,
	  "hbh nexthdr cannot be set" },
	{ "table ip6 t {\n chain c {\n  frag id & 0xff == 3\n }\n}\n", 3, 11,
	  "unsupported feature: masking frag id" },
	{ "table ip6 t {\n chain c {\n  srh sid[1] 2001:db8::/32\n }\n}\n",
	  3, 14, "unsupported feature: a prefix of srh sid[1]" },
	{ "table ip6 t {\n chain c {\n  frag frag-off vmap { 1 : drop }\n"
	  " }\n}\n",
	  3, 17, "unsupported feature: a verdict map of frag frag-off" },
	{ "table ip6 t {\n chain c {\n  hbh nexthdr . tcp dport { 6 . 22 }\n"
	  " }\n}\n",
	  3, 15, "unsupported feature: IPv6 extension header fields in a "
		 "concatenation" },
	{ "table ip6 t {\n chain c {\n  tcp dport . hbh nexthdr { 22 . 6 }\n"
	  " }\n}\n",
	  3, 15, "unsupported feature: IPv6 extension header fields in keys" },
	{ "table ip6 t {\n set s {\n  typeof mh type\n }\n}\n", 3, 10,
	  "unsupported feature: IPv6 extension header fields in keys" },
	{ "table ip6 t {\n set s {\n  type ipv6_addr\n }\n chain c {\n"
	  "  add @s { srh sid[1] }\n }\n}\n",
	  6, 12, "unsupported feature: IPv6 extension header fields in keys" },
	/* numgen and hashes: nft 1.0.6 passes mod 0 and a last value past
	 * 32 bits to the kernel (ERANGE, EOVERFLOW) */
	{ "table ip t {\n chain c {\n  numgen inc mod 0 0\n }\n}\n",
	  3, 18, "mod 0: the modulus is at least 1" },
	{ "table ip t {\n chain c {\n  numgen inc mod 4294967296 0\n }\n}\n",
	  3, 18, "the modulus out of range" },
	{ "table ip t {\n chain c {\n  numgen inc mod 2 offset 4294967295 0\n"
	  " }\n}\n",
	  3, 27, "offset 4294967295 + mod 2 goes past 32 bits" },
	/* nft: syntax error, unexpected number, expecting mod */
	{ "table ip t {\n chain c {\n  numgen inc 0\n }\n}\n",
	  3, 14, "expecting mod" },
	{ "table ip t {\n chain c {\n  numgen foo mod 2 0\n }\n}\n",
	  3, 10, "expecting inc or random" },
	{ "table ip t {\n chain c {\n  meta mark set jhash mod 2\n }\n}\n",
	  3, 23, "expecting a selector" },
	/* nft: syntax error, unexpected seed */
	{ "table ip t {\n chain c {\n  symhash mod 2 seed 1 0\n }\n}\n",
	  3, 17, "unexpected 'seed'" },
	/* nft cuts the seed to 32 bits silently */
	{ "table ip t {\n chain c {\n  jhash ip saddr mod 2 seed 4294967296 0\n"
	  " }\n}\n",
	  3, 29, "the seed out of range" },
	/* nft: Value 12 exceeds valid range 0-11 */
	{ "table ip t {\n chain c {\n  numgen inc mod 2 offset 10 12\n }\n}\n",
	  3, 30, "value 12 exceeds valid range 0-11" },
	{ "table ip t {\n chain c {\n  symhash mod 10 3-10\n }\n}\n",
	  3, 20, "value 10 exceeds valid range 0-9" },
	/* nft aborts: its registers end there */
	{ "table ip6 t {\n chain c {\n  jhash ip6 saddr . ip6 daddr . ip6 saddr"
	  " . ip6 daddr mod 2 0\n }\n}\n",
	  3, 45, "jhash takes at most 48 bytes" },
	{ "table ip t {\n chain c {\n  ct zone set numgen inc mod 2\n }\n}\n",
	  3, 15, "unsupported feature: ct zone set from numgen" },
	/* nft's grammar wants a literal number there */
	{ "define N = 1\ntable ip t {\n chain c {\n"
	  "  meta mark set numgen inc mod 4 offset $N\n }\n}\n",
	  4, 41, "unexpected '$', expecting number" },
	/* bit fields: the value must fit the field's bits */
	{ "table ip t {\n chain c {\n  ip dscp 64\n }\n}\n",
	  3, 11, "value out of range: 64 (a 6-bit field)" },
	{ "table ip t {\n chain c {\n  ip ecn 4\n }\n}\n",
	  3, 10, "value out of range" },
	{ "table ip6 t {\n chain c {\n  ip6 flowlabel 0x100000\n }\n}\n",
	  3, 17, "value out of range" },
	{ "table ip t {\n chain c {\n  ip dscp & 0x3 == 1\n }\n}\n",
	  3, 11, "unsupported feature: masking ip dscp" },
	/* nft keys anonymous sets of it `dscp` of 2 bytes */
	{ "table ip6 t {\n chain c {\n  ip6 dscp { cs1, ef }\n }\n}\n",
	  3, 12, "unsupported feature: sets of ip6 dscp" },
	/* one-byte bit fields are keys; a wider one nft 1.1 turns to host
	 * order first, and an integer one needs a typeof */
	{ "table ip6 t {\n chain c {\n  ip6 dscp . ip6 saddr { cs1 . ::1 }\n"
	  " }\n}\n",
	  3, 3, "unsupported feature: ip6 dscp in a key" },
	{ "table ip t {\n chain c {\n  ip saddr . ip version { 10.0.0.1 . 4 }\n"
	  " }\n}\n",
	  3, 14, "unsupported feature: ip version in a concatenation with an "
		 "integer" },
	{ "table ip t {\n chain c {\n  iifname & 0xff . tcp dport { 1 . 22 }\n"
	  " }\n}\n",
	  3, 11, "unsupported feature: operators on meta iifname in a key" },
	{ "table ip t {\n chain c {\n  ip saddr . tcp dport >> 2 { 1.1.1.1 . 1 }\n"
	  " }\n}\n",
	  3, 24, "unsupported feature: a shift in a match" },
	{ "table ip t {\n chain c {\n  ip dscp $d\n }\n}\n",
	  3, 11, "unsupported feature: a variable for ip dscp" },
	/* payload writes: constants, or for whole bytes a field of the same
	 * type or a map's value, of the fields that round trip */
	{ "table ip t {\n chain c {\n  ip ttl set ip ttl\n }\n}\n",
	  3, 14, "unsupported feature: ip ttl set from an expression (a bit "
		 "field)" },
	{ "table ip t {\n chain c {\n  tcp dport set meta mark\n }\n}\n",
	  3, 17, "datatype mismatch: expected inet_service, expression has "
		 "type mark" },
	{ "table ip t {\n chain c {\n  udp sport set tcp dport\n }\n}\n",
	  3, 17, "conflicting protocols specified: udp vs. tcp" },
	{ "table ip t {\n chain c {\n  tcp dport set tcp sport >> 1\n }\n}\n",
	  3, 27, "unsupported feature: shifting a header field" },
	{ "table ip t {\n chain c {\n  tcp dport set { 1, 2 }\n }\n}\n",
	  3, 17, "unsupported feature: tcp dport set from anything but a "
		 "constant" },
	{ "table ip t {\n chain c {\n  ip saddr set 10.0.0.0/8\n }\n}\n",
	  3, 16, "a write takes one value, not a prefix" },
	{ "table ip t {\n chain c {\n  ip dscp set 64\n }\n}\n",
	  3, 15, "value out of range: 64 (a 6-bit field)" },
	{ "table ip t {\n chain c {\n  ip protocol set 17\n }\n}\n",
	  3, 3, "unsupported feature: writing ip protocol" },
	{ "table ip t {\n chain c {\n  icmp type set echo-reply\n }\n}\n",
	  3, 3, "unsupported feature: writing icmp type" },
	{ "table bridge t {\n chain c {\n  ether type set 0x0800\n }\n}\n",
	  3, 3, "unsupported feature: writing ether type" },
	{ "table bridge t {\n chain c {\n  vlan id set 5\n }\n}\n",
	  3, 3, "unsupported feature: writing vlan id" },
	/* conntrack keys */
	{ "table inet t {\n chain c {\n  ct original saddr 10.0.0.1\n }\n}\n",
	  3, 15, "needs an ip or ip6 table" },
	{ "table ip t {\n chain c {\n  ct original proto-src 22\n }\n}\n",
	  3, 25, "Can't parse symbolic invalid expressions" },
	/* ct protocol is the transport's only where the table's family
	 * fixes the network protocol */
	{ "table inet t {\n chain c {\n  ct protocol udp ct reply proto-dst "
	  "53\n }\n}\n",
	  3, 38, "Can't parse symbolic invalid expressions" },
	{ "table ip t {\n chain c {\n  ct original ip saddr . ct original "
	  "proto-dst { 1.2.3.4 . 22 }\n }\n}\n",
	  3, 26, "Can't parse symbolic invalid expressions" },
	/* a lookup's key against its set's type, in nft's words */
	{ "table ip t {\n set sp { type inet_service; }\n chain c {\n"
	  "  ip saddr @sp accept\n }\n}\n",
	  4, 12, "datatype mismatch, expected ipv4_addr, expression has type "
		 "inet_service" },
	{ "table ip t {\n map mv { type ipv4_addr : verdict; }\n chain c {\n"
	  "  tcp dport vmap @mv\n }\n}\n",
	  4, 18, "datatype mismatch, map expects ipv4_addr, mapping "
		 "expression has type inet_service" },
	{ "table ip t {\n set c2 { type ipv4_addr . inet_service; }\n"
	  " chain c {\n  tcp dport . ip saddr @c2\n }\n}\n",
	  4, 24, "expected inet_service . ipv4_addr, expression has type "
		 "ipv4_addr . inet_service" },
	{ "table ip t {\n set s { typeof ct original proto-dst; }\n}\n",
	  2, 17, "unsupported feature: typeof ct original proto-dst" },
	{ "table ip t {\n set s { typeof ct original saddr; }\n}\n",
	  2, 17, "unsupported feature: typeof ct original saddr" },
	{ "table ip t {\n chain c {\n  ct reply ip6 saddr ::1\n }\n}\n",
	  3, 3, "conflicting protocols specified: ip vs. ip6" },
	{ "table ip t {\n chain c {\n  ct event new\n }\n}\n",
	  3, 6, "ct event is only set" },
	{ "table ip t {\n chain c {\n  ct event set bogus\n }\n}\n",
	  3, 16, "unexpected" },
	{ "table ip t {\n chain c {\n  ct expiration 5x\n }\n}\n",
	  3, 17, "bad time unit" },
	{ "table ip t {\n chain c {\n  ct helper \"a-very-long-helper-name\"\n"
	  " }\n}\n",
	  3, 13, "name length out of range" },
	{ "table ip t {\n chain c {\n  ct bytes { 1, 2 }\n }\n}\n",
	  3, 12, "unsupported feature: sets of this type" },
	{ "table ip t {\n chain c {\n  ct original saddr set 10.0.0.1\n }\n}\n",
	  3, 21, "unsupported feature: setting ct original keys" },
	{ "table ip t {\n chain c {\n  ct label foo\n }\n}\n",
	  3, 12, "a label number" },
	{ "table ip t {\n chain c {\n  ct label 128\n }\n}\n",
	  3, 12, "label out of range" },
	{ "table ip t {\n chain c {\n  ct label { 1, 2 }\n }\n}\n",
	  3, 12, "ct label takes one label number" },
	/* meta priority: hex halves of 16 bits */
	{ "table ip t {\n chain c {\n  meta priority 1:10000\n }\n}\n",
	  3, 19, "bad classid" },
	{ "table ip t {\n chain c {\n  meta priority set xyz:1\n }\n}\n",
	  3, 21, "a hex number" },
	{ "table ip t {\n chain c {\n  meta ipsec maybe\n }\n}\n",
	  3, 14, "unexpected" },
	/* meta time: a local date, or seconds since the epoch */
	{ "table ip t {\n chain c {\n  meta time \"2024-13-01\"\n }\n}\n",
	  3, 13, "bad date" },
	{ "table ip t {\n chain c {\n  meta time \"2024-01-01 10\"\n }\n}\n",
	  3, 13, "bad date" },
	{ "table ip t {\n chain c {\n  meta time \"1960-01-01\"\n }\n}\n",
	  3, 13, "date out of range" },
	{ "table ip t {\n chain c {\n  meta time 18446744074\n }\n}\n",
	  3, 13, "date out of range" },
	{ "table ip t {\n chain c {\n  meta time Monday\n }\n}\n",
	  3, 13, "a date" },
	/* dup and fwd */
	{ "table inet t {\n chain c {\n  dup to 10.0.0.1\n }\n}\n",
	  3, 3, "unsupported feature: dup in an inet table" },
	{ "table ip t {\n chain c {\n  fwd to \"lo\"\n }\n}\n",
	  3, 3, "fwd is only available in netdev tables" },
	{ "table ip t {\n chain c {\n  dup to 10.0.0.0/8\n }\n}\n",
	  3, 10, "an address, not a prefix" },
	{ "table ip t {\n chain c {\n  dup to ::1\n }\n}\n",
	  3, 10, "expecting an IPv4 address" },
	{ "table netdev t {\n chain c {\n  fwd ip to 10.0.0.1\n }\n}\n",
	  3, 21, "expecting device" },
	{ "table netdev t {\n chain c {\n  dup to \"linx-no-such0\"\n }\n}\n",
	  3, 10, "interface does not exist: linx-no-such0" },
	{ "table netdev t {\n chain c {\n  fwd into \"lo\"\n }\n}\n",
	  3, 7, "expecting to" },
	{ "table ip t {\n chain c {\n  meta hour \"25:00\"\n }\n}\n",
	  3, 13, "bad hour" },
	{ "table ip t {\n chain c {\n  meta hour \"10:00x\"\n }\n}\n",
	  3, 13, "bad hour" },
	{ "table ip t {\n chain c {\n  meta day 7\n }\n}\n",
	  3, 12, "day out of range" },
	{ "table ip t {\n chain c {\n  meta day \"Funday\"\n }\n}\n",
	  3, 12, "unexpected" },
	/* nft: redefinition of symbol 'p' (define in a block sees the
	 * defines around it; redefine is the way to hide one) */
	{ "define p = 1\ntable ip t {\n define p = 2\n}\n", 3, 9,
	  "redefinition of symbol 'p'" },
	{ "table ip t {\n define p = 1\n chain c {\n  define p = 2\n }\n}\n",
	  4, 10, "redefinition of symbol 'p'" },
	{ "table ip t {\n chain c {\n  include \"x.nft\"\n }\n}\n", 3, 3,
	  "include is not allowed here (no root directory)" },
	{ "include \"/etc/*.conf\"\n", 1, 1,
	  "include is not allowed here (no root directory)" },
	{ "table ip t {\n set s {\n  type mark\n  define p = 1 }\n}\n", 4, 16,
	  "newline or semicolon" },
	/* nft: unexpected string with a trailing asterisk */
	{ "table ip t {\n chain c {\n  jump c*\n }\n}\n",
	  3, 8, "unexpected wildcard c*" },
	{ "define n = t*\ntable ip $n {\n}\n",
	  1, 12, "unexpected wildcard t*" },
	/* nft: User does not exist / Group does not exist, at the name */
	{ "table ip t {\n chain c {\n  meta skuid linx-no-such-user\n }\n}\n",
	  3, 14, "user does not exist: linx-no-such-user" },
	{ "table ip t {\n chain c {\n  meta skgid { root, nogrp-x }\n }\n}\n",
	  3, 22, "group does not exist: nogrp-x" },
	{ "define u = \"linx-no-such-user\"\ntable ip t {\n chain c {\n"
	  "  meta skuid $u\n }\n}\n",
	  1, 12, "user does not exist: linx-no-such-user" },
	/* interface name wildcards: not in a concatenation, and a named
	 * set holding one is an interval set */
	{ "table ip t {\n chain c {\n  iifname . oifname { \"eth*\" . \"lo\" }\n"
	  " }\n}\n",
	  3, 23, "unsupported feature: a wildcard in a concatenation" },
	{ "table ip t {\n set s {\n  type ifname\n  elements = { \"lo\", \"eth*\" }\n"
	  " }\n}\n",
	  4, 22, "a prefix or range needs flags interval" },
	{ "table ip t {\n chain c {\n  iifname { \"eth*\"-\"lo\" }\n }\n}\n",
	  3, 19, "a wildcard cannot start a range" },
	/* nat maps of ADDR . PORT: nft's own checks */
	{ "table ip t {\n chain c {\n  dnat to ip daddr map { 10.0.0.2 : "
	  "10.0.0.3 . 80 }\n }\n}\n",
	  3, 11, "transport protocol mapping is only valid after transport "
		 "protocol match" },
	{ "table ip t {\n chain c {\n  tcp dport 1 dnat to ip daddr map { "
	  "10.0.0.2 : 10.0.0.3 . 80, 10.0.0.4 : 10.0.0.5 }\n }\n}\n",
	  3, 23, "every value of the map must be ADDR . PORT" },
	{ "table ip t {\n chain c {\n  tcp dport 1 dnat ip addr . port to "
	  "10.0.0.1\n }\n}\n",
	  3, 38, "expecting a map lookup" },
	/* named maps of ADDR . PORT (concat-data-maps.nft): the port
	 * needs a transport match, the map declared before or after the
	 * rule; other concatenated data, ranges in it, a port after it */
	{ "table ip t {\n map m {\n  type ipv4_addr : ipv4_addr . "
	  "inet_service\n }\n chain c {\n  dnat to ip saddr map @m\n }\n}\n",
	  6, 11, "transport protocol mapping is only valid after transport "
		 "protocol match" },
	{ "table ip t {\n chain c {\n  dnat to ip saddr map @m\n }\n map m {\n"
	  "  type ipv4_addr : ipv4_addr . inet_service\n }\n}\n",
	  3, 11, "transport protocol mapping is only valid after transport "
		 "protocol match" },
	{ "table ip t {\n map m {\n  type inet_service : ipv4_addr . "
	  "ipv4_addr\n }\n chain c {\n  dnat to tcp dport map @m\n }\n}\n",
	  6, 25, "unsupported feature: nat ip from a map whose data is not "
		 "ipv4_addr . inet_service" },
	{ "table inet t {\n map m {\n  type inet_service : ipv4_addr . "
	  "inet_service\n }\n chain c {\n  dnat ip6 to tcp dport map @m\n"
	  " }\n}\n",
	  6, 29, "unsupported feature: nat ip6 from a map whose data is not "
		 "ipv6_addr . inet_service" },
	{ "table ip t {\n map m {\n  type inet_service : ipv4_addr . "
	  "inet_service\n  elements = { 80 : 10.0.0.0/24 . 80 }\n }\n}\n",
	  4, 21, "unsupported feature: ranges and prefixes in a map's "
		 "concatenated data" },
	{ "table ip t {\n map m {\n  typeof tcp dport : ip ttl . ip daddr\n"
	  " }\n}\n",
	  3, 22, "unsupported feature: typeof ip ttl in a map's "
		 "concatenated data" },
	/* nft -c: 4:3-6 and 3:20-23, conflicting protocols */
	{ "table ip t {\n chain c {\n  type nat hook postrouting priority 0\n"
	  "  snat ip6 to 2001:db8::1\n }\n}\n",
	  4, 3, "conflicting protocols specified: ip vs. ip6. You must "
		"specify ip or ip6 family in nat statement" },
	{ "table ip6 t {\n chain c {\n  meta l4proto udp snat ip to udp dport "
	  "map { 80 : 10.0.0.1 . 8080 }\n }\n}\n",
	  3, 20, "conflicting protocols specified: ip6 vs. ip. You must "
		 "specify ip or ip6 family in nat statement" },
	{ "table ip t {\n map m {\n  type ipv4_addr : ipv4_addr\n }\n"
	  " chain c {\n  tcp dport 1 dnat ip addr . port to ip saddr map @m\n"
	  " }\n}\n",
	  6, 51, "map m does not give ADDR . PORT" },
	{ "table ip t {\n chain c {\n  dnat to tcp dport map @m : 80\n }\n"
	  " map m {\n  type inet_service : ipv4_addr . inet_service\n }\n}\n",
	  3, 25, "map m gives the port too: no port after it" },
	/* the older set statement: an op, a key, the set */
	{ "table ip t {\n chain c {\n  set frob ip saddr @s\n }\n}\n",
	  3, 7, "expecting add, update or delete" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n }\n chain c {\n"
	  "  set add ip saddr drop\n }\n}\n",
	  6, 20, "expecting a set reference" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n }\n chain c {\n"
	  "  set add ip saddr { 1.2.3.4 } @s\n }\n}\n",
	  6, 20, "expecting a set reference" },
	/* raw payload expressions: nft's own limits, at the number */
	{ "table ip t {\n chain c {\n  @th,0,0 1\n }\n}\n",
	  3, 9, "raw payload length out of range: 0 bits (1-128)" },
	{ "table ip t {\n chain c {\n  @th,0,129 1\n }\n}\n",
	  3, 9, "raw payload length out of range: 129 bits" },
	{ "table ip t {\n chain c {\n  @xx,1,2 1\n }\n}\n",
	  3, 3, "unknown raw payload base: xx" },
	/* in concatenations raw payloads are integers (concat-integers.nft),
	 * in whole bytes only; alone in a key or a typeof only the two nft
	 * makes typed fields (th sport, th dport) */
	{ "table ip t {\n chain c {\n  ip saddr . @nh,4,4 { 1.1.1.1 . 1 }\n"
	  " }\n}\n",
	  3, 14, "unsupported feature: a raw payload not in whole bytes" },
	{ "table ip t {\n chain c {\n  @nh,4,4 . ip saddr { 1 . 1.1.1.1 }\n"
	  " }\n}\n",
	  3, 3, "unsupported feature: a raw payload not in whole bytes" },
	{ "table ip t {\n set s {\n  typeof ip saddr . @th,0,4\n }\n}\n", 3,
	  21, "unsupported feature: typeof @th,0,4" },
	{ "table ip t {\n chain c {\n  ip saddr . @th,0,0 { 1.1.1.1 . 1 }\n"
	  " }\n}\n",
	  3, 20, "raw payload length out of range" },
	{ "table ip t {\n chain c {\n  @nh,2048,8 1\n }\n}\n",
	  3, 7, "raw payload offset out of range" },
	{ "table ip t {\n chain c {\n  @nh,4,128 1\n }\n}\n",
	  3, 7, "spans more than 16 bytes" },
	{ "table ip t {\n chain c {\n  @nh,4,4 16\n }\n}\n",
	  3, 11, "value out of range: 16 (a 4-bit field)" },
	{ "table ip t {\n chain c {\n  @nh,96,32 10.0.0.1\n }\n}\n",
	  3, 13, "unexpected" },
	/* a host-order integer in a concatenation (host-concat.nft):
	 * not in a set literal with ranges, whose typeof nft 1.0.6 writes
	 * empty (it lists it wrong), nor in a map's concatenated data,
	 * whose elements nft cannot load; and only with its typeof (meta
	 * len has none) */
	{ "table ip t {\n chain c {\n  ip saddr . meta cpu { 1.1.1.1 . 1-2 }\n"
	  " }\n}\n",
	  3, 14, "unsupported feature: a host-order integer in a set literal "
		 "with ranges" },
	{ "table ip t {\n chain c {\n  ct zone . ip saddr vmap { 1 . 1.1.1.0/24"
	  " : accept }\n }\n}\n",
	  3, 3, "unsupported feature: a host-order integer in a set literal "
		"with ranges" },
	{ "table ip t {\n map m {\n  typeof ip saddr : ct zone . meta cpu\n"
	  " }\n}\n",
	  3, 21, "unsupported feature: typeof ct zone in a map's concatenated "
		 "data" },
	{ "table ip t {\n chain c {\n  ct id . ip saddr { 1 . 1.1.1.1 }"
	  "\n }\n}\n",
	  3, 3, "unsupported feature: ct id in a concatenation with an "
		"integer" },
	/* nft 1.0.6 reads a bare list as flags: "Basetype of type integer
	 * is not bitmask", at the first value */
	{ "table ip t {\n chain c {\n  @nh,96,32 1, 3\n }\n}\n",
	  3, 13, "a list of @nh,96,32 values: write it as a set" },
	{ "table ip t {\n chain c {\n  @nh,4,4 1, 3\n }\n}\n",
	  3, 11, "a list of @nh,4,4 values: write it as a set" },
	{ "table ip t {\n chain c {\n  @nh,96,32 { 10.0.0.1 }\n }\n}\n",
	  3, 15, "unexpected" },
	{ "table ip t {\n chain c {\n  @nh,96 1\n }\n}\n",
	  3, 10, "unexpected number 1, expecting ','" },
	{ "table ip t {\n chain c {\n  @nh,0,64 0x1ffffffffffffffff\n }\n}\n",
	  3, 12, "value out of range: 0x1ffffffffffffffff" },
	{ "table ip t {\n chain c {\n  @nh,x,8 1\n }\n}\n",
	  3, 7, "unexpected" },
	/* an ingress chain without its device, at its type line, where
	 * nft 1.0.6 refuses it (nft 1.1 leaves it to the kernel, and 6.x
	 * kernels take one; the spec refuses it: device_required_for_hook) */
	{ "table netdev t {\n chain c {\n  type filter hook ingress priority 0\n"
	  " }\n}\n",
	  3, 3, "missing device" },
	/* flow: add or offload, then @ and the flowtable (nft's syntax
	 * errors at the same places); its old meter spelling is not taken */
	{ "table ip t {\n chain c {\n  flow @ft\n }\n}\n", 3, 8,
	  "expecting add or offload" },
	{ "table ip t {\n chain c {\n  flow add ft\n }\n}\n", 3, 12,
	  "expecting @ and a flowtable name" },
	{ "table ip t {\n chain c {\n  flow\n }\n}\n", 3, 7,
	  "expecting add or offload" },
	{ "table ip t {\n chain c {\n  tcp dport 22 acept flow add @ft\n"
	  " }\n}\n",
	  3, 22, "" },
	{ "table ip t {\n chain c {\n  flow table m { ip saddr counter }\n"
	  " }\n}\n",
	  3, 8, "unsupported feature: flow table" },
	/* an objref through a map this input does not declare: the kind
	 * of the statement is the map's type, which is not here */
	{ "table ip t {\n chain c {\n  counter name ip saddr map @m\n }\n}\n",
	  3, 29, "no map of objects in this input" },
	{ "table ip t {\n map m { type ipv4_addr : mark; }\n chain c {\n"
	  "  counter name ip saddr map @m\n }\n}\n",
	  4, 29, "no map of objects in this input" },
	/* a priority name outside the hooks nft (1.1) allows it in: at
	 * `priority`, as nft points */
	{ "table ip t {\n chain c {\n  type filter hook forward priority "
	  "dstnat\n }\n}\n",
	  3, 28, "invalid priority expression value in this context" },
	{ "table inet t {\n chain c {\n  type nat hook prerouting priority "
	  "srcnat + 5\n }\n}\n",
	  3, 28, "invalid priority expression value in this context" },
	{ "table bridge t {\n chain c {\n  type filter hook input priority "
	  "out\n }\n}\n",
	  3, 26, "invalid priority expression value in this context" },
	{ "table bridge t {\n chain c {\n  type filter hook prerouting "
	  "priority srcnat\n }\n}\n",
	  3, 31, "invalid priority expression value in this context" },
	/* inet nat: the family the rule matched, or ip/ip6 with an address */
	{ "table inet t {\n chain c {\n  ip daddr 10.0.0.1 snat ip6 to ::1\n"
	  " }\n}\n",
	  3, 21, "conflicting protocols specified: ip vs. ip6" },
	{ "table inet t {\n chain c {\n  tcp dport 22 dnat to 10.0.0.1\n"
	  " }\n}\n",
	  3, 16, "ip or ip6 must be specified with address for inet tables" },
	/* a device name the formatter could not write back (fuzzer) */
	{ "table netdev t {\n chain c {\n  type filter hook ingress device "
	  "\"l\002o\" priority 0\n }\n}\n",
	  3, 35, "a control character in an interface name" },
	{ "table netdev t {\n chain c {\n  type filter hook ingress device "
	  "\"lo*\" priority 0\n }\n}\n",
	  3, 35, "unsupported feature: a wildcard device name" },
	/* a mark's shift: 0 to 31 bits */
	{ "table ip t {\n chain c {\n  meta mark set ct mark >> 32\n }\n}\n",
	  3, 28, "a shift out of range (at most 31)" },
	/* a comment ends its rule, as in nft */
	{ "table inet t {\n chain c {\n  tcp dport 22 counter comment \"ssh\" "
	  "accept\n }\n}\n",
	  3, 38, "expecting newline or semicolon" },
	/* masked flags into a set: == or != only */
	{ "table inet t {\n chain c {\n  tcp flags & (syn|ack) < { syn }\n"
	  " }\n}\n",
	  3, 27, "a set needs == or !=" },
	/* a verdict map's intervals do not merge; nft refuses an overlap */
	{ "table ip t {\n chain c {\n  ip saddr vmap { 10.0.0.0/8 : accept, "
	  "0.0.0.0/0 : drop }\n }\n}\n",
	  3, 17, "conflicting intervals specified" },
	/* `device NAME` runs into `priority` on its line, as in nft */
	{ "table netdev t {\n chain c {\n  type filter hook ingress device lo;"
	  " priority 0\n }\n}\n",
	  3, 37, "expecting priority" },
};

START_TEST(errors_point_at_the_mistake)
{
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	const char *t = broken[_i].text;
	int r = linx_nft_parse(t, strlen(t), NULL, &rs, &pe, &err);

	if (!broken[_i].msg) {
		linx_value_clear(&rs);
		return;
	}
	ck_assert_msg(r == -EINVAL, "accepted: %s", t);
	ck_assert_int_eq(rs.type, LINX_NIL);
	ck_assert_msg(pe.line == broken[_i].line && pe.column == broken[_i].col &&
			      strstr(pe.message, broken[_i].msg),
		      "%s\n got %u:%u %s", t, pe.line, pe.column, pe.message);
	ck_assert_str_eq(pe.file, "nofile");
	ck_assert_str_eq(err.op, "parse");
	char buf[1024];
	linx_nft_parse_error_format(&pe, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "^\n") && strstr(buf, "| "), "%s", buf);
}
END_TEST

/* With check_refs (linx nft check, load): every chain, set and object a
 * rule names exists in its table, or an error at the name, where nft -f
 * gets ENOENT from the kernel ("No such file or directory"). */
START_TEST(references_must_exist)
{
	static const struct {
		const char *text;
		uint32_t line, col;
		const char *msg;
	} refs[] = {
		{ "table ip t {\n chain c {\n  jump nope\n }\n}\n", 3, 8,
		  "chain nope does not exist" },
		{ "table ip t {\n chain c {\n  ip saddr @s drop\n }\n}\n", 3,
		  12, "set s does not exist" },
		{ "table ip t {\n counter k {\n }\n chain c {\n  quota name "
		  "\"k\"\n }\n}\n",
		  5, 14, "quota k does not exist" },
		{ "table ip t {\n set s {\n  type ipv4_addr\n }\n}\n"
		  "table ip u {\n chain c {\n  ip saddr @s\n }\n}\n",
		  8, 12, "set s does not exist" },
		{ "table ip t {\n map m {\n  type ipv4_addr : verdict\n"
		  "  elements = { 1.2.3.4 : jump x }\n }\n}\n",
		  4, 31, "chain x does not exist" },
		/* a flowtable: of the rule's own table */
		{ "table inet t {\n chain c {\n  flow add @ft\n }\n}\n", 3,
		  12, "flowtable ft does not exist" },
		{ "table ip t {\n flowtable ft {\n  hook ingress priority 0\n"
		  " }\n}\ntable ip6 t {\n chain c {\n  flow offload @ft\n"
		  " }\n}\n",
		  8, 16, "flowtable ft does not exist" },
	};
	struct linx_nft_parse_opts o = { .check_refs = true };

	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		struct linx_value rs;
		struct linx_nft_parse_error pe;
		struct linx_error err;
		const char *t = refs[i].text;

		ck_assert_int_eq(linx_nft_parse(t, strlen(t), &o, &rs, &pe,
						&err),
				 -EINVAL);
		ck_assert_msg(pe.line == refs[i].line &&
				      pe.column == refs[i].col &&
				      strstr(pe.message, refs[i].msg),
			      "%s\n got %u:%u %s", t, pe.line, pe.column,
			      pe.message);
		/* without the option, a fragment may refer to anything */
		ck_assert_int_eq(linx_nft_parse(t, strlen(t), NULL, &rs, &pe,
						&err),
				 0);
		linx_value_clear(&rs);
	}
	/* declared after the rule that names them: fine */
	const char *ok = "table ip t {\n chain c {\n  jump d\n  ip saddr @s\n"
			 "  counter name \"k\"\n  flow add @ft\n }\n chain d {\n"
			 " }\n set s {\n  type ipv4_addr\n }\n counter k {\n }\n"
			 " flowtable ft {\n  hook ingress priority 0\n }\n}\n";
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	ck_assert_int_eq(linx_nft_parse(ok, strlen(ok), &o, &rs, &pe, &err), 0);
	linx_value_clear(&rs);
}
END_TEST

/* The other side of the priority-name check: every name in the hooks nft
 * 1.1 allows it in (dstnat for output and srcnat for input are new in
 * 1.1; the kernel takes any number anywhere), kept by name. */
START_TEST(priority_names_in_their_hooks)
{
	static const char *const ok[][3] = {
		{ "ip", "nat hook output", "dstnat" },
		{ "ip6", "nat hook input", "srcnat" },
		{ "inet", "filter hook prerouting", "dstnat" },
		{ "inet", "nat hook postrouting", "srcnat" },
		{ "ip", "filter hook forward", "security" },
		{ "bridge", "filter hook output", "out" },
		{ "bridge", "filter hook prerouting", "dstnat" },
		{ "bridge", "filter hook postrouting", "srcnat" },
		{ "bridge", "filter hook forward", "filter" },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text),
			 "table %s t {\n chain c {\n  type %s priority %s\n"
			 " }\n}\n",
			 ok[i][0], ok[i][1], ok[i][2]);
		struct linx_value rs = parse_ok(text);
		const struct linx_value *c = linx_map_get(
			&linx_map_get(&linx_map_get(&rs, "tables")->items[0],
				      "chains")
				 ->items[0],
			"priority");
		ck_assert_msg(c && c->type == LINX_STRING &&
				      strcmp(c->str, ok[i][2]) == 0,
			      "%s", text);
		linx_value_clear(&rs);
	}
	/* a value may name a priority in any hook (the kernel gets a
	 * number); where nft would refuse the name, the formatter writes
	 * the number, so its text reads back */
	static const char *const by_number[][4] = {
		{ "ip", "forward", "\"dstnat\"", "priority -100\n" },
		{ "inet", "prerouting", "{\"name\":\"srcnat\",\"offset\":5}",
		  "priority 105\n" },
		{ "bridge", "input", "\"out\"", "priority 100\n" },
		{ "bridge", "output", "{\"name\":\"dstnat\",\"offset\":-1}",
		  "priority -301\n" },
		{ "ip", "output", "\"dstnat\"", "priority dstnat\n" },
	};
	for (size_t i = 0; i < sizeof(by_number) / sizeof(by_number[0]); i++) {
		char json[512];
		snprintf(json, sizeof(json),
			 "{\"tables\":[{\"family\":\"%s\",\"name\":\"t\","
			 "\"chains\":[{\"name\":\"c\",\"type\":\"filter\","
			 "\"hook\":\"%s\",\"priority\":%s}]}]}",
			 by_number[i][0], by_number[i][1], by_number[i][2]);
		struct linx_value rs = nt_json(json);
		char *t = fmt(&rs);
		struct linx_value back;
		struct linx_nft_parse_error pe;
		struct linx_error err;
		ck_assert_msg(strstr(t, by_number[i][3]), "%s", t);
		linx_assert_ok(linx_nft_parse(t, strlen(t), NULL, &back, &pe,
					      &err),
			       &err);
		free(t);
		linx_value_clear(&rs);
		linx_value_clear(&back);
	}
}
END_TEST

/* Device groups and realms by name, from iproute2's tables as nft reads
 * them: the same rule as the number the table gives. */
START_TEST(iproute2_names)
{
	static const char *const files[][2] = {
		{ "/etc/iproute2/group", "/usr/share/iproute2/group" },
		{ "/etc/iproute2/rt_realms", "/usr/share/iproute2/rt_realms" },
	};
	static const char *const rules[][2] = {
		{ "meta oifgroup", "default" },
		{ "meta rtclassid", "cosmos" },
	};
	for (size_t i = 0; i < 2; i++) {
		if (access(files[i][0], R_OK) != 0 &&
		    access(files[i][1], R_OK) != 0) {
			fprintf(stderr, "SKIP iproute2_names: no %s (iproute2 "
					"is not installed)\n",
				files[i][0]);
			continue;
		}
		char rule[64], a[160], b[160];
		snprintf(rule, sizeof(rule), "%s %s accept", rules[i][0],
			 rules[i][1]);
		snprintf(a, sizeof(a), "table ip t {\n chain c {\n  %s\n }\n}\n",
			 rule);
		snprintf(rule, sizeof(rule), "%s 0 accept", rules[i][0]);
		snprintf(b, sizeof(b), "table ip t {\n chain c {\n  %s\n }\n}\n",
			 rule);
		struct linx_value ra = parse_ok(a), rb = parse_ok(b);
		ck_assert_msg(linx_value_equal(&ra, &rb), "%s", a);
		linx_value_clear(&ra);
		linx_value_clear(&rb);
	}
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	const char *t = "table ip t {\n chain c {\n  meta iifgroup no-such-group"
			"\n }\n}\n";
	ck_assert_int_eq(linx_nft_parse(t, strlen(t), NULL, &rs, &pe, &err),
			 -EINVAL);
}
END_TEST

/* Interface indexes print as names only where the formatter is told the
 * namespace the ruleset is from (lo is index 1 in every namespace). */
START_TEST(format_interface_names)
{
	struct linx_value rs = parse_ok("table netdev t {\n chain c {\n"
					"  iif 1 fwd to 1\n  oif 99999 accept\n"
					" }\n}\n");
	struct linx_ns_target here = LINX_NS_TARGET_SELF_INIT;
	struct linx_nft_format_opts o = { .netns = &here };
	struct linx_error err;
	char *text;

	linx_assert_ok(linx_nft_format_with(&rs, &o, &text, NULL, &err), &err);
	ck_assert_msg(strstr(text, "    iif \"lo\" fwd to \"lo\"\n") &&
			      strstr(text, "    oif 99999 accept\n"),
		      "%s", text);
	free(text);
	text = fmt(&rs);
	ck_assert_msg(strstr(text, "    iif 1 fwd to 1\n"), "%s", text);
	free(text);
	linx_value_clear(&rs);
}
END_TEST

/* The spec's escapes in strings; any other backslash is itself, as in
 * nft (which has no escapes), and the formatter writes it as it is. */
START_TEST(backslashes_in_strings)
{
	struct linx_value rs = parse_ok(
		"table ip t {\n chain c {\n"
		"  counter comment \"C:\\path\\x\"\n"
		"  log prefix \"a\\\\b\\\"c\\td\\\\\"\n }\n}\n");
	const struct linx_value *rules =
		linx_map_get(&linx_map_get(&linx_map_get(&rs, "tables")->items[0],
					   "chains")->items[0],
			     "rules");
	char *text;

	ck_assert_str_eq(linx_map_get(&rules->items[0], "comment")->str,
			 "C:\\path\\x");
	text = fmt(&rs);
	ck_assert_msg(strstr(text, "comment \"C:\\path\\x\"\n") &&
			      strstr(text, "log prefix \"a\\b\\\"c\\td\\\\\"\n"),
		      "%s", text);
	struct linx_value again = parse_ok(text);
	ck_assert(linx_value_equal(&rs, &again));
	free(text);
	linx_value_clear(&again);
	linx_value_clear(&rs);
}
END_TEST

/* A slash in an interface name is part of the name (nft takes any
 * string), not a prefix: the set needs no interval flag to print. */
START_TEST(interface_names_with_a_slash)
{
	struct linx_value rs = parse_ok("table inet t {\n set s {\n"
					"  typeof iifname . ip saddr\n"
					"  elements = { \"vrf/red\" . 10.0.0.1 }\n"
					" }\n set n {\n  type ifname\n"
					"  elements = { \"a/b\" }\n }\n}\n");
	char *text = fmt(&rs);
	struct linx_value back = parse_ok(text);

	ck_assert_msg(strstr(text, "elements = { \"vrf/red\" . 10.0.0.1 }") &&
			      strstr(text, "elements = { \"a/b\" }") &&
			      !strstr(text, "unsupported"),
		      "%s", text);
	ck_assert(linx_value_equal(&rs, &back));
	free(text);
	linx_value_clear(&rs);
	linx_value_clear(&back);
}
END_TEST

/* A shorter host-order key into a mark (the kernel zeroes the rest of
 * the register), as nft takes it: ct zone by 1.0.6 as well, the typed
 * keys by 1.1; a big-endian one only with nft 1.1's byteorder, so not. */
START_TEST(shorter_keys_into_a_mark)
{
	static const char *const text =
		"table inet t {\n  chain c {\n"
		"    meta mark set ct zone\n"
		"    ct mark set ct zone\n"
		"    meta mark set meta l4proto\n"
		"    ct mark set meta iiftype\n"
		"  }\n}\n";
	static const char *const be =
		"table inet t {\n chain c {\n  meta mark set meta protocol\n"
		" }\n}\n";
	struct linx_value rs = parse_ok(text), back;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	char *t = fmt(&rs);

	ck_assert_msg(strstr(t, text + strlen("table inet t {\n")), "%s", t);
	back = parse_ok(t);
	ck_assert(linx_value_equal(&rs, &back));
	linx_value_clear(&back);
	ck_assert_int_eq(linx_nft_parse(be, strlen(be), NULL, &back, &pe, &err),
			 -EINVAL);
	ck_assert_msg(pe.line == 3 && pe.column == 22 &&
			      strstr(pe.message, "setting meta mark from this"),
		      "%u:%u %s", pe.line, pe.column, pe.message);
	free(t);
	linx_value_clear(&rs);
}
END_TEST

START_TEST(error_rendering)
{
	struct linx_nft_parse_error pe = { .line = 42, .column = 14 };
	char buf[512];

	snprintf(pe.file, sizeof(pe.file), "fw.nft");
	snprintf(pe.message, sizeof(pe.message), "unexpected character '?'");
	snprintf(pe.snippet, sizeof(pe.snippet), "    tcp dport ? accept");
	linx_nft_parse_error_format(&pe, buf, sizeof(buf));
	ck_assert_str_eq(buf, "fw.nft:42:14: unexpected character '?'\n"
			      "|\n"
			      "|     tcp dport ? accept\n"
			      "|              ^\n");
}
END_TEST

/* ---- holes ------------------------------------------------------------------ */

START_TEST(holes_fill_typed)
{
	const char *src = "table inet t {\n chain c {\n"
			  "  ip saddr $src tcp dport $port iifname $dev "
			  "meta mark $m accept\n  ip6 daddr $dst accept\n }\n}\n";
	struct linx_value values = nt_json(
		"{\"src\":\"10.1.2.3\",\"port\":443,\"dev\":\"eth0\","
		"\"m\":16,\"dst\":\"fe80::1\"}");
	struct linx_nft_parse_opts o = { .values = &values };
	struct linx_value holes, direct, filled, bad;
	struct linx_nft_parse_error pe;
	struct linx_error err;

	holes = parse_ok(src);
	char *hj = nt_to_json(&holes);
	ck_assert_msg(strstr(hj, "{\"hole\":\"src\",\"type\":\"ipv4_addr\"}") &&
			      strstr(hj, "\"integer/16\"") &&
			      strstr(hj, "\"host_integer/32\"") &&
			      strstr(hj, "\"ifname\""),
		      "%s", hj);
	free(hj);
	linx_assert_ok(linx_nft_parse(src, strlen(src), &o, &direct, &pe, &err),
		       &err);
	linx_assert_ok(linx_nft_fill_holes(&holes, &values, &filled, &err), &err);
	ck_assert(linx_value_equal(&direct, &filled));
	/* the holes survive formatting */
	char *t = fmt(&holes);
	ck_assert_msg(strstr(t, "ip saddr $src") && strstr(t, "tcp dport $port"),
		      "%s", t);
	free(t);
	/* mismatches name the hole */
	struct linx_value wrong = nt_json("{\"src\":\"fe80::1\",\"port\":443,"
					  "\"dev\":\"eth0\",\"m\":1,\"dst\":\"::1\"}");
	ck_assert_int_eq(linx_nft_fill_holes(&holes, &wrong, &bad, &err), -EINVAL);
	ck_assert_msg(strstr(err.message, "$src") && strstr(err.message, "IPv4"),
		      "%s", err.message);
	linx_value_clear(&wrong);
	wrong = nt_json("{\"src\":\"1.2.3.4\",\"port\":70000,\"dev\":\"eth0\","
			"\"m\":1,\"dst\":\"::1\"}");
	ck_assert_int_eq(linx_nft_fill_holes(&holes, &wrong, &bad, &err), -EINVAL);
	ck_assert_msg(strstr(err.message, "$port"), "%s", err.message);
	linx_value_clear(&wrong);
	wrong = nt_json("{\"src\":\"1.2.3.4\",\"port\":1,\"dev\":\"0123456789abcdefg\","
			"\"m\":1,\"dst\":\"::1\"}");
	ck_assert_int_eq(linx_nft_parse(src, strlen(src),
					&(struct linx_nft_parse_opts){ .values = &wrong },
					&bad, &pe, &err),
			 -EINVAL);
	ck_assert_msg(strstr(pe.message, "$dev") && pe.line == 3, "%s",
		      pe.message);
	ck_assert_int_eq(linx_nft_fill_holes(&holes, NULL, &bad, &err), -EINVAL);
	linx_value_clear(&wrong);
	linx_value_clear(&values);
	linx_value_clear(&holes);
	linx_value_clear(&direct);
	linx_value_clear(&filled);
}
END_TEST

START_TEST(defines_substitute)
{
	struct linx_value a = parse_ok(
		"define ports = { 22, 80 }\ndefine lan = \"eth1\"\n"
		"define both = $lan\n"
		"table inet t { chain c { iifname $both tcp dport $ports accept; }; }");
	struct linx_value b = parse_ok(
		"table inet t { chain c { iifname \"eth1\" tcp dport { 22, 80 } "
		"accept; }; }");
	ck_assert(linx_value_equal(&a, &b));
	linx_value_clear(&a);
	linx_value_clear(&b);
}
END_TEST

/* A define in a table or chain block holds until its closing brace, as
 * nft scopes it; a redefine there hides the outer one until then (a
 * define of a name seen is an error: the catalogue above). */
START_TEST(defines_in_blocks)
{
	struct linx_value a = parse_ok(
		"define p = 22\n"
		"table ip a {\n redefine p = 23\n define q = 80\n"
		" chain c {\n  redefine q = 443\n  tcp dport { $p, $q } accept\n"
		" }\n chain d {\n  tcp dport $q accept\n }\n}\n"
		"table ip b {\n chain c {\n  tcp dport $p accept\n }\n}\n");
	struct linx_value b = parse_ok(
		"table ip a {\n chain c {\n  tcp dport { 23, 443 } accept\n"
		" }\n chain d {\n  tcp dport 80 accept\n }\n}\n"
		"table ip b {\n chain c {\n  tcp dport 22 accept\n }\n}\n");
	ck_assert(linx_value_equal(&a, &b));
	linx_value_clear(&a);
	linx_value_clear(&b);
}
END_TEST

/* ---- includes ---------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(includes_stay_in_their_root)
{
	char dir[] = "/tmp/linx-nft-lang-XXXXXX", p[512], q[512];
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/main.nft", dir);
	write_file(p, "define x = 22\ninclude \"sub/chain.nft\"\n");
	snprintf(p, sizeof(p), "%s/sub/chain.nft", dir);
	write_file(p, "include \"more.nft\"\n");
	snprintf(p, sizeof(p), "%s/sub/more.nft", dir);
	write_file(p, "table inet t { chain c { tcp dport $x accept; }; }\n");
	snprintf(p, sizeof(p), "%s/main.nft", dir);
	linx_assert_ok(linx_nft_parse_file(p, NULL, &rs, &pe, &err), &err);
	ck_assert_uint_eq(linx_map_get(&rs, "tables")->len, 1);
	linx_value_clear(&rs);

	/* out of the root */
	snprintf(p, sizeof(p), "%s/sub/esc.nft", dir);
	write_file(p, "include \"../main.nft\"\n");
	snprintf(q, sizeof(q), "%s/sub", dir);
	ck_assert_int_eq(linx_nft_parse_file(
				 p, &(struct linx_nft_parse_opts){ .root_dir = q },
				 &rs, &pe, &err),
			 -EINVAL);
	ck_assert_msg(strstr(pe.message, "escapes the root"), "%s", pe.message);
	ck_assert_int_eq(pe.line, 1);
	ck_assert_int_eq(pe.column, 9);

	/* itself, forever: the depth limit */
	snprintf(p, sizeof(p), "%s/loop.nft", dir);
	write_file(p, "include \"loop.nft\"\n");
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.message, "nested deeper"), "%s", pe.message);

	/* a missing file */
	snprintf(p, sizeof(p), "%s/missing.nft", dir);
	write_file(p, "\n\ninclude \"nope.nft\"\n");
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_int_eq(pe.line, 3);
	ck_assert_msg(strstr(pe.message, "nope.nft"), "%s", pe.message);

	/* text without a root: no includes at all */
	const char *t = "include \"/etc/passwd\"\n";
	ck_assert_int_eq(linx_nft_parse(t, strlen(t), NULL, &rs, &pe, &err),
			 -EINVAL);
	free(nt_sh_ok("rm -rf %s", dir));
}
END_TEST

/* nft takes `include` wherever a line can be: the included lines stand
 * in the block, with the same checks as at the top level. */
START_TEST(includes_in_blocks)
{
	char dir[] = "/tmp/linx-nft-lang-XXXXXX", p[512];
	struct linx_value rs, want;
	struct linx_nft_parse_error pe;
	struct linx_error err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/main.nft", dir);
	write_file(p, "table inet t {\n include \"defs.nft\"\n"
		      " include \"chain.nft\"\n"
		      " set s {\n  type ipv4_addr\n  include \"elems.nft\"\n }\n"
		      " map m {\n  include \"mtype.nft\"; elements = { 1 : 2 }\n"
		      " }\n}\n");
	snprintf(p, sizeof(p), "%s/defs.nft", dir);
	write_file(p, "define port = 22");
	snprintf(p, sizeof(p), "%s/chain.nft", dir);
	write_file(p, "chain c {\n include \"rules.nft\"\n}\n");
	snprintf(p, sizeof(p), "%s/rules.nft", dir);
	write_file(p, "tcp dport $port accept\n\nudp dport 53 accept");
	snprintf(p, sizeof(p), "%s/elems.nft", dir);
	write_file(p, "flags interval\nelements = { 10.0.0.0/8 }\n");
	snprintf(p, sizeof(p), "%s/mtype.nft", dir);
	write_file(p, "type mark : mark\n");
	snprintf(p, sizeof(p), "%s/main.nft", dir);
	linx_assert_ok(linx_nft_parse_file(p, NULL, &rs, &pe, &err), &err);
	want = parse_ok("table inet t {\n chain c {\n  tcp dport 22 accept\n"
			"  udp dport 53 accept\n }\n set s {\n"
			"  type ipv4_addr\n  flags interval\n"
			"  elements = { 10.0.0.0/8 }\n }\n map m {\n"
			"  type mark : mark; elements = { 1 : 2 }\n }\n}\n");
	ck_assert(linx_value_equal(&rs, &want));
	linx_value_clear(&rs);
	linx_value_clear(&want);

	/* the same root rule and depth limit as at the top level */
	snprintf(p, sizeof(p), "%s/esc.nft", dir);
	write_file(p, "table ip t {\n set s {\n  type ipv4_addr\n"
		      "  include \"/etc/passwd\"\n }\n}\n");
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.message, "escapes the root"), "%s", pe.message);
	ck_assert_int_eq(pe.line, 4);
	ck_assert_int_eq(pe.column, 11);
	snprintf(p, sizeof(p), "%s/loop.nft", dir);
	write_file(p, "table ip t {\n include \"loop-in.nft\"\n}\n");
	snprintf(p, sizeof(p), "%s/loop-in.nft", dir);
	write_file(p, "include \"loop-in.nft\"\n");
	snprintf(p, sizeof(p), "%s/loop.nft", dir);
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.message, "nested deeper"), "%s", pe.message);
	/* an error in an included line names that file */
	snprintf(p, sizeof(p), "%s/bad.nft", dir);
	write_file(p, "table ip t {\n chain c {\n  include \"bad-in.nft\"\n }\n}\n");
	snprintf(p, sizeof(p), "%s/bad-in.nft", dir);
	write_file(p, "accept\n  tcp dport ? accept\n");
	snprintf(p, sizeof(p), "%s/bad.nft", dir);
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.file, "bad-in.nft") && pe.line == 2 &&
			      pe.column == 13,
		      "%s:%u:%u %s", pe.file, pe.line, pe.column, pe.message);
	/* `include` needs its own line there too */
	snprintf(p, sizeof(p), "%s/same.nft", dir);
	write_file(p, "table ip t {\n include \"defs.nft\" }\n");
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(pe.line == 2 && pe.column == 21, "%u:%u %s", pe.line,
		      pe.column, pe.message);
	free(nt_sh_ok("rm -rf %s", dir));
}
END_TEST

/* include with a wildcard: the matches in sorted order, directories
 * left out, none at all is fine; each match passes the checks of a
 * single include. */
START_TEST(includes_with_wildcards)
{
	char dir[] = "/tmp/linx-nft-lang-XXXXXX", p[512];
	struct linx_value rs, want;
	struct linx_nft_parse_error pe;
	struct linx_error err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* a directory whose name is a pattern itself: taken as it is */
	snprintf(p, sizeof(p), "%s/d[1]", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/d[1]/conf.d", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/d[1]/conf.d/30-dir.nft", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/d[1]/conf.d/20-b.nft", dir);
	write_file(p, "redefine port = 2\n");
	snprintf(p, sizeof(p), "%s/d[1]/conf.d/10-a.nft", dir);
	write_file(p, "define port = 1\n");
	snprintf(p, sizeof(p), "%s/d[1]/conf.d/1.rules", dir);
	write_file(p, "tcp dport $port accept");
	snprintf(p, sizeof(p), "%s/d[1]/conf.d/2.rules", dir);
	write_file(p, "udp dport $port accept\n");
	snprintf(p, sizeof(p), "%s/d[1]/main.nft", dir);
	write_file(p, "include \"conf.d/*.nft\"\n"
		      "include \"./conf.d/../conf.d/none*.nft\"\n"
		      "table ip t {\n chain c {\n  include \"conf.d/?.rules\"\n"
		      "  include \"conf.d/none-*\"\n }\n}\n");
	linx_assert_ok(linx_nft_parse_file(p, NULL, &rs, &pe, &err), &err);
	want = parse_ok("table ip t {\n chain c {\n  tcp dport 2 accept\n"
			"  udp dport 2 accept\n }\n}\n");
	ck_assert(linx_value_equal(&rs, &want));
	linx_value_clear(&rs);
	linx_value_clear(&want);

	/* a match outside the root, through a symbolic link */
	snprintf(p, sizeof(p), "%s/d[1]/conf.d/40-out.nft", dir);
	ck_assert_int_eq(symlink("/etc/hostname", p), 0);
	snprintf(p, sizeof(p), "%s/d[1]/main.nft", dir);
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.message, "escapes the root") &&
			      strstr(pe.message, "40-out.nft") && pe.line == 1 &&
			      pe.column == 9,
		      "%u:%u %s", pe.line, pe.column, pe.message);
	/* outside the root as text: refused whether anything is there or
	 * not, and so is a pattern that could match ".." */
	static const char *const outside[] = {
		"/nonexistent-linx-dir/*.nft", "/nonexistent-linx-dir/a.nft",
		"/etc/host*", "/etc/hostname", "../*.nft", "conf.d/../../x.nft",
		".*/self.nft", "conf.d/.?/x",
	};
	for (size_t i = 0; i < sizeof(outside) / sizeof(*outside); i++) {
		snprintf(p, sizeof(p), "%s/d[1]/out.nft", dir);
		char text[128];
		snprintf(text, sizeof(text), "include \"%s\"\n", outside[i]);
		write_file(p, text);
		ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err),
				 -EINVAL);
		ck_assert_msg(strstr(pe.message, "escapes the root") &&
				      pe.line == 1 && pe.column == 9,
			      "%s: %u:%u %s", outside[i], pe.line, pe.column,
			      pe.message);
	}
	/* a file matching its own pattern: the depth limit */
	snprintf(p, sizeof(p), "%s/self.nft", dir);
	write_file(p, "include \"s*.nft\"\n");
	ck_assert_int_eq(linx_nft_parse_file(p, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.message, "nested deeper"), "%s", pe.message);
	free(nt_sh_ok("rm -rf '%s'", dir));
}
END_TEST

/* The ruleset in JSON formats to text holding `marker` (a comment for
 * what has no nft text, or what must print beside it). */
static void assert_formats_with(const char *json, const char *marker)
{
	struct linx_value rs = nt_json(json);
	char *t = fmt(&rs);

	ck_assert_msg(strstr(t, marker), "no \"%s\" in:\n%s", marker, t);
	free(t);
	linx_value_clear(&rs);
}

/* ---- the formatter on values nobody parsed ---------------------------------- */

START_TEST(unrenderable_becomes_a_comment)
{
	struct linx_value rs = nt_json(
		"{\"tables\":[{\"family\":\"inet\",\"name\":\"t\",\"chains\":[{"
		"\"name\":\"c\",\"type\":\"filter\",\"hook\":\"input\","
		"\"priority\":0,\"rules\":["
		"{\"exprs\":[{\"expr\":\"mystery\",\"raw\":{\"$bytes\":\"\"}}]},"
		"{\"exprs\":[\"accept\"],\"tag\":\"ok\",\"comment\":\"x\"}]}]}]}");
	char *t = fmt(&rs);
	struct linx_value back;
	struct linx_nft_parse_error pe;
	struct linx_error err;

	ck_assert_msg(strstr(t, "# <unsupported expression: mystery") &&
			      strstr(t, "accept comment \"tag:ok x\""),
		      "%s", t);
	linx_assert_ok(linx_nft_parse(t, strlen(t), NULL, &back, &pe, &err), &err);
	free(t);
	linx_value_clear(&rs);
	linx_value_clear(&back);
	/* a flowtable name `@` cannot carry unquoted */
	assert_formats_with(
		"{\"tables\":[{\"family\":\"inet\",\"name\":\"t\","
		"\"chains\":[{\"name\":\"c\",\"rules\":[{\"exprs\":["
		"{\"expr\":\"flow_offload\",\"flowtable\":\"f t\"}]}]}]}]}",
		"# <unsupported expression: flow_offload");
	/* a fanout to one queue: `queue fanout` for queue 0, which nft
	 * takes; to any other, no text nft takes */
	static const char *const fanouts =
		"{\"tables\":[{\"family\":\"ip\",\"name\":\"t\","
		"\"chains\":[{\"name\":\"c\",\"rules\":["
		"{\"exprs\":[{\"expr\":\"queue\",\"num\":0,\"total\":1,"
		"\"flags\":[\"fanout\"]}]},"
		"{\"exprs\":[{\"expr\":\"queue\",\"num\":5,\"total\":1,"
		"\"flags\":[\"fanout\",\"bypass\"]}]}]}]}]}";
	assert_formats_with(fanouts, "    queue fanout\n");
	assert_formats_with(fanouts, "# <unsupported expression: queue");
	/* ip dscp against a named set without the shift down to its
	 * value (what Linx sent before): no text reads back to it */
	assert_formats_with(
		"{\"tables\":[{\"family\":\"ip\",\"name\":\"t\","
		"\"sets\":[{\"name\":\"s\",\"key_type\":\"dscp\"}],"
		"\"chains\":[{\"name\":\"c\",\"rules\":[{\"exprs\":["
		"{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","
		"\"offset\":1,\"len\":1},"
		"{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":1,"
		"\"mask\":{\"$bytes\":\"fc\"},\"xor\":{\"$bytes\":\"00\"}},"
		"{\"expr\":\"lookup\",\"sreg\":1,\"set\":\"s\"}]}]}]}]}",
		"# <unsupported expression: lookup");
	/* icmpx in an ip6 table: the kernel takes it, nft -f does not */
	assert_formats_with(
		"{\"tables\":[{\"family\":\"ip6\",\"name\":\"t\","
		"\"chains\":[{\"name\":\"c\",\"rules\":[{\"exprs\":["
		"{\"expr\":\"reject\",\"type\":\"icmpx_unreach\","
		"\"code\":3}]}]}]}]}",
		"# <unsupported expression: reject");
	/* not a ruleset */
	struct linx_value n = linx_value_int(3);
	char *x;
	ck_assert_int_eq(linx_nft_format(&n, &x, NULL, &err), -EINVAL);
}
END_TEST

/* The sugar forms a binding builds (Linx.Netfilter.Expr dnat_to/3 ...) are
 * written as the expressions the encoder expands them into: the same
 * text as the nft statement they stand for. */
/* Option writes the kernel refuses (1 byte) and an IPv6 extension header
 * in a rule not shown to be IPv6 have no text the parser takes back:
 * comments, never wrong text. */
START_TEST(unparsable_options_become_comments)
{
	struct linx_value rs = nt_json(
		"{\"tables\":[{\"family\":\"inet\",\"name\":\"t\",\"chains\":[{"
		"\"name\":\"c\",\"rules\":["
		"{\"exprs\":[{\"expr\":\"immediate\",\"dreg\":1,"
		"\"data\":{\"$bytes\":\"03\"}},{\"expr\":\"exthdr\",\"sreg\":1,"
		"\"type\":3,\"offset\":2,\"len\":1,\"op\":\"tcpopt\"}]},"
		"{\"exprs\":[{\"expr\":\"exthdr\",\"dreg\":1,\"type\":0,"
		"\"offset\":0,\"len\":1,\"op\":\"ipv6\",\"flags\":[\"present\"]},"
		"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
		"\"data\":{\"$bytes\":\"01\"}}]},"
		"{\"exprs\":[{\"expr\":\"exthdr\",\"dreg\":1,\"type\":2,"
		"\"offset\":0,\"len\":1,\"op\":\"tcpopt\",\"flags\":[\"present\"]},"
		"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
		"\"data\":{\"$bytes\":\"00\"}}]}]}]}]}");
	char *t = fmt(&rs);
	struct linx_value back;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	const char *a = strstr(t, "# <unsupported");

	ck_assert_msg(a && strstr(a + 1, "# <unsupported") &&
			      strstr(t, "tcp option maxseg missing"),
		      "%s", t);
	linx_assert_ok(linx_nft_parse(t, strlen(t), NULL, &back, &pe, &err), &err);
	free(t);
	linx_value_clear(&rs);
	linx_value_clear(&back);
}
END_TEST

/* IPv6 extension headers print as nft lists them: the IPv6 check the
 * parser puts first is left out, rt0 addresses are srh sids (the same
 * bytes), frag-off is shifted back down; a header in a rule not shown to
 * be IPv6 stays a comment, since the parser would add the check. */
START_TEST(exthdrs_print_as_nft_lists_them)
{
	static const char *const lines[][2] = {
		{ "inet", "exthdr hbh exists drop" },
		{ "inet", "meta mark 0x1 frag frag-off 100 drop" },
		{ "inet", "tcp dport 22 exthdr frag missing" },
		{ "inet", "meta nfproto ipv6 counter packets 0 bytes 0 frag id 3" },
		{ "ip6", "frag more-fragments 1 frag reserved2 2" },
		{ "ip6", "mh type { binding-refresh-request, "
			 "home-agent-switch-message, 13 }" },
		{ "ip6", "srh sid[2] ::2 srh tag 4660" },
		{ "ip6", "hbh nexthdr != tcp dst hdrlength > 3" },
		{ "bridge", "rt type 2 drop" },
		{ "bridge", "vlan id 5 vlan type ip6 exthdr mh exists" },
		{ "netdev", "ether type ip6 frag id 3" },
		{ "netdev", "exthdr dst missing" },
	};
	char text[512];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(text, sizeof(text), "table %s t {\n  chain c {\n"
					     "    %s\n  }\n}\n",
			 lines[i][0], lines[i][1]);
		struct linx_value rs = parse_ok(text);
		char *t = fmt(&rs);
		ck_assert_msg(strstr(t, lines[i][1]), "%s\n%s", lines[i][1], t);
		free(t);
		linx_value_clear(&rs);
	}
	/* rt0 addr[1] is srh sid[1] to nft */
	struct linx_value rs = parse_ok("table ip6 t { chain c { rt0 addr[1] "
					"::1; }; }");
	char *t = fmt(&rs);
	ck_assert_msg(strstr(t, "srh sid[1] ::1"), "%s", t);
	free(t);
	linx_value_clear(&rs);
	/* no IPv6 check in an inet table: a comment */
	assert_formats_with(
		"{\"tables\":[{\"family\":\"inet\",\"name\":\"t\","
		"\"chains\":[{\"name\":\"c\",\"rules\":[{\"exprs\":["
		"{\"expr\":\"exthdr\",\"dreg\":1,\"type\":44,"
		"\"offset\":4,\"len\":4,\"op\":\"ipv6\",\"flags\":[]},"
		"{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
		"\"data\":{\"$bytes\":\"00000003\"}}]}]}]}]}",
		"# <unsupported expression: exthdr");
	/* a header nft has no name for, and bits outside frag-off */
	rs = nt_json("{\"tables\":[{\"family\":\"ip6\",\"name\":\"t\","
		     "\"chains\":[{\"name\":\"c\",\"rules\":[{\"exprs\":["
		     "{\"expr\":\"exthdr\",\"dreg\":1,\"type\":51,"
		     "\"offset\":0,\"len\":1,\"op\":\"ipv6\","
		     "\"flags\":[\"present\"]},"
		     "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
		     "\"data\":{\"$bytes\":\"01\"}}]},{\"exprs\":["
		     "{\"expr\":\"exthdr\",\"dreg\":1,\"type\":44,"
		     "\"offset\":2,\"len\":2,\"op\":\"ipv6\",\"flags\":[]},"
		     "{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":2,"
		     "\"mask\":{\"$bytes\":\"fff8\"},\"xor\":{\"$bytes\":\"0000\"}},"
		     "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\","
		     "\"data\":{\"$bytes\":\"0321\"}}]}]}]}]}");
	t = fmt(&rs);
	const char *a = strstr(t, "# <unsupported expression: exthdr");
	ck_assert_msg(a && strstr(a + 1, "# <unsupported expression: "),
		      "%s", t);
	free(t);
	linx_value_clear(&rs);
}
END_TEST

START_TEST(sugar_prints_as_its_statement)
{
	static const char *const pairs[][2] = {
		{ "{\"expr\":\"dnat_to\",\"addr\":\"10.0.0.1\",\"port\":8080}",
		  "dnat ip to 10.0.0.1:8080" },
		{ "{\"expr\":\"snat_to\",\"addr\":\"fd00::1\"}",
		  "snat ip6 to fd00::1" },
		{ "{\"expr\":\"redir\",\"port\":8080}", "redirect to :8080" },
		{ "{\"expr\":\"masq\",\"port_min\":1000,\"port_max\":2000}",
		  "masquerade to :1000-2000" },
	};
	char json[1024], text[512];

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		/* a port needs the transport protocol matched first */
		snprintf(json, sizeof(json),
			 "{\"tables\":[{\"family\":\"inet\",\"name\":\"t\","
			 "\"chains\":[{\"name\":\"c\",\"type\":\"nat\","
			 "\"hook\":\"prerouting\",\"priority\":-100,"
			 "\"rules\":[{\"exprs\":[{\"expr\":\"meta\",\"key\":"
			 "\"l4proto\",\"dreg\":1},{\"expr\":\"cmp\",\"sreg\":1,"
			 "\"op\":\"eq\",\"data\":{\"$bytes\":\"06\"}},%s],"
			 "\"tag\":\"n\"}]}]}]}",
			 pairs[i][0]);
		snprintf(text, sizeof(text),
			 "table inet t { chain c { type nat hook prerouting "
			 "priority -100; meta l4proto tcp %s comment "
			 "\"tag:n\"; }; }",
			 pairs[i][1]);
		struct linx_value sugar = nt_json(json), parsed = parse_ok(text);
		char *a = fmt(&sugar), *b = fmt(&parsed);

		ck_assert_str_eq(a, b);
		ck_assert_msg(!strstr(a, "unsupported"), "%s", a);
		free(a), free(b);
		linx_value_clear(&sugar), linx_value_clear(&parsed);
	}
	/* one the encoder refuses stays a comment */
	assert_formats_with(
		"{\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"chains\":["
		"{\"name\":\"c\",\"rules\":[{\"exprs\":[{\"expr\":"
		"\"dnat_to\",\"addr\":\"nope\"}]}]}]}]}",
		"# <unsupported expression: dnat_to");
}
END_TEST

/* `typeof` gives the types and keeps its selectors beside them; the
 * formatter prints them back only where they match the types. */
START_TEST(typeof_keeps_its_selectors)
{
	struct linx_value rs = parse_ok(
		"table ip t { map m { typeof ip saddr . tcp dport : meta mark; "
		"elements = { 10.0.0.1 . 22 : 0x10 } }; "
		"set s { typeof iifname; }; }");
	char *t = fmt(&rs), *j = nt_to_json(&rs);

	ck_assert_msg(strstr(j, "\"key_type\":[\"ipv4_addr\",\"inet_service\"],"
				"\"key_typeof\":[\"ip saddr\",\"tcp dport\"],"
				"\"data_type\":\"mark\",\"data_typeof\":"
				"\"meta mark\"") &&
			      strstr(j, "\"key_type\":\"ifname\","
				"\"key_typeof\":\"meta iifname\""),
		      "%s", j);
	ck_assert_msg(strstr(t, "typeof ip saddr . tcp dport : meta mark\n") &&
			      strstr(t, "typeof iifname\n"),
		      "%s", t);
	free(t);
	free(j);
	linx_value_clear(&rs);

	/* plain integers alone: the type integer/N, the selector kept */
	rs = parse_ok("table ip t { set s { typeof ip ttl; elements = { 1, 64 } }; "
		      "map m { typeof meta mark : ip ttl; }; "
		      "set r { typeof @nh,8,8; }; }");
	t = fmt(&rs);
	j = nt_to_json(&rs);
	ck_assert_msg(strstr(j, "\"key_type\":\"integer/8\","
				"\"key_typeof\":\"ip ttl\"") &&
			      strstr(j, "\"data_type\":\"integer/8\","
					"\"data_typeof\":\"ip ttl\"") &&
			      strstr(j, "\"key_type\":\"integer/8\","
					"\"key_typeof\":\"@nh,8,8\""),
		      "%s", j);
	ck_assert_msg(strstr(t, "typeof ip ttl\n") &&
			      strstr(t, "elements = { 1, 64 }\n") &&
			      strstr(t, "typeof meta mark : ip ttl\n") &&
			      strstr(t, "typeof @nh,8,8\n"),
		      "%s", t);
	free(t);
	free(j);
	linx_value_clear(&rs);

	/* selectors that contradict the types (a pulled set nft did not
	 * write, or a value built by hand): the types win */
	static const char *const odd[] = {
		"\"key_type\":\"ipv4_addr\",\"key_typeof\":\"ip6 saddr\"",
		"\"key_type\":\"ipv4_addr\",\"key_typeof\":\"ip nosuch\"",
		"\"key_type\":\"ipv4_addr\",\"key_typeof\":[\"ip saddr\"]",
		"\"key_type\":\"mark\",\"key_typeof\":\"meta mark\","
		"\"data_type\":\"mark\"",
		"\"key_type\":\"mark\",\"key_typeof\":\"meta mark\","
		"\"data_type\":\"mark\",\"data_typeof\":\"verdict\"",
		"\"key_type\":\"mark\",\"key_typeof\":7",
	};
	char json[512];
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"tables\":[{\"family\":\"ip\",\"name\":\"t\","
			 "\"sets\":[{\"name\":\"s\",%s}]}]}", odd[i]);
		struct linx_value v = nt_json(json);
		char *x = fmt(&v);

		ck_assert_msg(strstr(x, "type ") && !strstr(x, "typeof"),
			      "%s\n%s", odd[i], x);
		free(x);
		linx_value_clear(&v);
	}
}
END_TEST

/* Payload writes print only in the layout nft gives them (the parser's):
 * other checksum attributes or masks are no nft text. */
START_TEST(payload_writes_formatter)
{
#define WR(x)                                                             \
	"{\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"chains\":[{"      \
	"\"name\":\"c\",\"rules\":[{\"exprs\":[" x "]}]}]}]}"
#define TTL(mask, csum, flags)                                            \
	"{\"expr\":\"payload\",\"dreg\":1,\"base\":\"network\","           \
	"\"offset\":8,\"len\":2},{\"expr\":\"bitwise\",\"sreg\":1,"        \
	"\"dreg\":1,\"len\":2,\"mask\":{\"$bytes\":\"" mask "\"},"         \
	"\"xor\":{\"$bytes\":\"4000\"}},{\"expr\":\"payload\",\"sreg\":1,"  \
	"\"base\":\"network\",\"offset\":8,\"len\":2,\"csum_type\":\"" csum \
	"\",\"csum_offset\":10,\"csum_flags\":[" flags "]}"
	static const struct {
		const char *json, *want;
	} c[] = {
		{ WR(TTL("00ff", "inet", "")), "ip ttl set 64" },
		{ WR(TTL("00ff", "none", "")), "# <unsupported" },
		{ WR(TTL("00ff", "inet", "\"pseudohdr\"")), "# <unsupported" },
		{ WR(TTL("01ff", "inet", "")), "# <unsupported" },
		/* a 1-byte ttl write: nft widens it for the checksum */
		{ WR("{\"expr\":\"immediate\",\"dreg\":1,"
		     "\"data\":{\"$bytes\":\"40\"}},{\"expr\":\"payload\","
		     "\"sreg\":1,\"base\":\"network\",\"offset\":8,\"len\":1,"
		     "\"csum_type\":\"inet\",\"csum_offset\":10,"
		     "\"csum_flags\":[]}"),
		  "# <unsupported" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct linx_value v = nt_json(c[i].json);
		char *x = fmt(&v);

		ck_assert_msg(strstr(x, c[i].want), "%zu: want %s\n%s", i,
			      c[i].want, x);
		free(x);
		linx_value_clear(&v);
	}
#undef TTL
#undef WR
}
END_TEST

/* A payload load no field of its context is prints raw, as nft lists
 * it, and reads back to the same rule. */
START_TEST(raw_loads_formatter)
{
#define RAW(fam, x)                                                        \
	"{\"tables\":[{\"family\":\"" fam "\",\"name\":\"t\",\"chains\":[{" \
	"\"name\":\"c\",\"rules\":[{\"exprs\":[" x "]}]}]}]}"
#define LD(base, off, len)                                                 \
	"{\"expr\":\"payload\",\"dreg\":1,\"base\":\"" base "\","         \
	"\"offset\":" #off ",\"len\":" #len "},"
#define EQ(hex) "{\"expr\":\"cmp\",\"sreg\":1,\"op\":\"eq\",\"data\":{\"$bytes\":\"" hex "\"}}"
#define AND(m)                                                             \
	"{\"expr\":\"bitwise\",\"sreg\":1,\"dreg\":1,\"len\":1,"         \
	"\"mask\":{\"$bytes\":\"" m "\"},\"xor\":{\"$bytes\":\"00\"}},"
	static const struct {
		const char *json, *want;
	} c[] = {
		{ RAW("ip", LD("transport", 12, 4) EQ("2112a442")),
		  "@th,96,32 0x2112a442" },
		/* the l4proto match is no dependency of a raw load */
		{ RAW("inet", "{\"expr\":\"meta\",\"key\":\"l4proto\",\"dreg\":1},"
			      EQ("11") "," LD("transport", 12, 4) EQ("2112a442")),
		  "meta l4proto udp @th,96,32 0x2112a442" },
		/* no meta iiftype: not an ether field to nft */
		{ RAW("ip", LD("link", 0, 6) EQ("010203040506")),
		  "@ll,0,48 0x10203040506" },
		{ RAW("inet", LD("network", 0, 1) AND("f0") EQ("40")),
		  "@nh,0,8 & 0xf0 == 0x40" },
		{ RAW("inet", LD("transport", 0, 1) AND("f0")
		      "{\"expr\":\"set_literal\",\"key_type\":\"integer/8\","
		      "\"elements\":[16,48],\"sreg\":1}"),
		  "@th,0,4 { 1, 3 }" },
		{ RAW("inet", "{\"expr\":\"immediate\",\"dreg\":1,"
			      "\"data\":{\"$bytes\":\"04\"}},{\"expr\":\"payload\","
			      "\"sreg\":1,\"base\":\"network\",\"offset\":1,\"len\":1,"
			      "\"csum_type\":\"none\",\"csum_offset\":0,"
			      "\"csum_flags\":[]}"),
		  "@nh,8,8 set 0x4" },
		{ RAW("ip", LD("transport", 0, 16) EQ("00000000000000000000000000000001")),
		  "@th,0,128 0x1" },
		/* a set of a raw payload, by its typeof: raw even where the
		 * load is a field's (ip saddr), its elements in hex */
		{ RAW("ip", LD("network", 12, 4)
		      "{\"expr\":\"set_literal\",\"key_type\":\"integer/32\","
		      "\"key_typeof\":\"@nh,96,32\",\"elements\":[{\"range\":"
		      "[167772161,167772415]},184549376],\"sreg\":1}"),
		  "@nh,96,32 { 0xa000001-0xa0000ff, 0xb000000 }" },
		{ RAW("inet", LD("network", 8, 16)
		      "{\"expr\":\"set_literal\",\"key_type\":\"integer/128\","
		      "\"key_typeof\":\"@nh,64,128\",\"elements\":[{\"$bytes\":"
		      "\"00000000000000000000000000000001\"},{\"$bytes\":"
		      "\"0102030405060708090a0b0c0d0e0f10\"}],\"sreg\":1,"
		      "\"flags\":[\"inv\"]}"),
		  "@nh,64,128 != { 0x1, 0x102030405060708090a0b0c0d0e0f10 }" },
		/* a lone interval twice, or it reads back as a range match */
		{ RAW("inet", LD("transport", 8, 2)
		      "{\"expr\":\"set_literal\",\"key_type\":\"integer/16\","
		      "\"key_typeof\":\"@th,64,16\",\"elements\":[{\"range\":"
		      "[1,5]}],\"sreg\":1}"),
		  "@th,64,16 { 0x1-0x5, 0x1-0x5 }" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct linx_value v = nt_json(c[i].json), back;
		struct linx_nft_parse_error pe;
		struct linx_error err;
		char *x = fmt(&v);

		ck_assert_msg(strstr(x, c[i].want) && !strstr(x, "# <"),
			      "%zu: want %s\n%s", i, c[i].want, x);
		linx_assert_ok(linx_nft_parse(x, strlen(x), NULL, &back, &pe,
					      &err),
			       &err);
		char *y = fmt(&back);
		ck_assert_str_eq(x, y);
		free(x);
		free(y);
		linx_value_clear(&v);
		linx_value_clear(&back);
	}
#undef RAW
#undef LD
#undef EQ
#undef AND
}
END_TEST

/* A one-byte meta key in a concatenation looked up in an interval set:
 * nft 1.0.6 turns it to network order with a byteorder that changes
 * nothing (size 2, length 1), nft 1.1 does not; Linx compiles the first
 * and prints both as the same rule. */
START_TEST(one_byte_keys_in_interval_concatenations)
{
	static const char *const rules[] = {
		"meta l4proto . th dport { tcp . 22-23 } accept",
		"meta pkttype . meta mark { host . 0x1-0x2 } accept",
	};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text),
			 "table inet t {\n chain c {\n  %s\n }\n}\n", rules[i]);
		struct linx_value rs = parse_ok(text);
		struct linx_value *tb =
			(struct linx_value *)&linx_map_get(&rs, "tables")->items[0];
		struct linx_value *ch =
			(struct linx_value *)&linx_map_get(tb, "chains")->items[0];
		struct linx_value *ex = (struct linx_value *)linx_map_get(
			&linx_map_get(ch, "rules")->items[0], "exprs");
		const struct linx_value *bo = &ex->items[1];
		const struct linx_value *bl = linx_map_get(bo, "len");
		const struct linx_value *bs = linx_map_get(bo, "size");
		char *a = fmt(&rs);

		ck_assert_str_eq(linx_map_get(bo, "expr")->str, "byteorder");
		ck_assert(bl && bl->i == 1 && bs && bs->i == 2);
		ck_assert_msg(strstr(a, rules[i]), "%s", a);
		/* nft 1.1's bytecode: the same rule */
		linx_value_clear(&ex->items[1]);
		memmove(&ex->items[1], &ex->items[2],
			(ex->len - 2) * sizeof(ex->items[0]));
		ex->len--;
		char *b = fmt(&rs);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
		linx_value_clear(&rs);
	}
}
END_TEST

/* Set statements print as nft lists them, parse back to the same value,
 * and make their set dynamic with nft's size (65535) as nft -f does,
 * even when the set comes after the chain. */
START_TEST(set_statements_roundtrip)
{
	static const char *const rules[] = {
		"add @s { ip saddr }",
		"update @s { ip saddr timeout 30s }",
		"update @s { ip saddr limit rate over 10/second }",
		"update @s { ip saddr counter quota over 100 bytes }",
		"update @s { ip saddr ct count over 5 }",
		"delete @s { ip saddr }",
		"add @c { ip saddr . tcp dport }",
		"add @m { ip saddr : meta mark }",
		"update @m { ip saddr counter : ct mark }",
		"add @c { ip saddr . tcp dport timeout 1h counter }",
	};
	static const char *const maps[] = {
		"meta mark set ip saddr map @m",
		"meta mark set ip saddr map { 10.0.0.1 : 0x1, 10.0.0.2 : 0x2 }",
		"ct mark set tcp dport map { 22 : 0x5 }",
		"ct mark set meta mark map { 0x1 : 0x7 }",
		"dnat to ip daddr map @n",
		"dnat to ip daddr . tcp dport map { 10.0.0.1 . 80 : "
		"192.168.1.1 . 8080 }",
		"tcp dport 22 dnat to ip daddr map { 10.0.0.1 : 10.0.0.2 . 2222 }",
	};
	char text[1024];

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct linx_value rs, back;
		struct linx_nft_parse_error pe;
		struct linx_error err;

		snprintf(text, sizeof(text),
			 "table ip t {\n chain c1 {\n  %s\n }\n"
			 " set s {\n  type ipv4_addr\n  flags timeout\n }\n"
			 " set c {\n  type ipv4_addr . inet_service\n  flags timeout\n }\n"
			 " map m {\n  type ipv4_addr : mark\n  size 10\n }\n}\n",
			 rules[i]);
		linx_assert_ok(linx_nft_parse(text, strlen(text), NULL, &rs, &pe,
					      &err),
			       &err);
		char *t = fmt(&rs);
		ck_assert_msg(strstr(t, rules[i]) && strstr(t, "dynamic") &&
				      !strstr(t, "# <unsupported"),
			      "%s\n->\n%s", rules[i], t);
		ck_assert_msg((strstr(t, "size 65535") != NULL) ==
				      (strstr(rules[i], "@m") == NULL) &&
			      strstr(t, "size 10"),
			      "%s", t);
		linx_assert_ok(linx_nft_parse(t, strlen(t), NULL, &back, &pe,
					      &err),
			       &err);
		ck_assert_msg(linx_value_equal(&rs, &back), "%s", t);
		char *t2 = fmt(&back);
		ck_assert_str_eq(t, t2);
		free(t);
		free(t2);
		linx_value_clear(&rs);
		linx_value_clear(&back);
	}
	/* nft's older spelling is the same statement */
	static const char *const legacy[][2] = {
		{ "set add ip saddr @s", "add @s { ip saddr }" },
		{ "set update ip saddr timeout 30s @s",
		  "update @s { ip saddr timeout 30s }" },
		{ "set delete ip saddr @s", "delete @s { ip saddr }" },
		{ "set add ip saddr . tcp dport @c",
		  "add @c { ip saddr . tcp dport }" },
	};
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		struct linx_value v[2];
		for (int k = 0; k < 2; k++) {
			snprintf(text, sizeof(text),
				 "table ip t {\n chain c1 {\n  %s\n }\n"
				 " set s {\n  type ipv4_addr\n  flags timeout\n }\n"
				 " set c {\n  type ipv4_addr . inet_service\n }\n}\n",
				 legacy[i][k]);
			v[k] = parse_ok(text);
		}
		ck_assert_msg(linx_value_equal(&v[0], &v[1]), "%s", legacy[i][0]);
		linx_value_clear(&v[0]);
		linx_value_clear(&v[1]);
	}
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		struct linx_value rs, back;
		struct linx_nft_parse_error pe;
		struct linx_error err;

		snprintf(text, sizeof(text),
			 "table ip t {\n chain c1 {\n  type nat hook prerouting "
			 "priority -100\n  %s\n }\n"
			 " map m {\n  type ipv4_addr : mark\n }\n"
			 " map n {\n  type ipv4_addr : ipv4_addr\n }\n}\n",
			 maps[i]);
		linx_assert_ok(linx_nft_parse(text, strlen(text), NULL, &rs, &pe,
					      &err),
			       &err);
		char *t = fmt(&rs);
		ck_assert_msg(strstr(t, maps[i]) && !strstr(t, "# <unsupported"),
			      "%s\n->\n%s", maps[i], t);
		linx_assert_ok(linx_nft_parse(t, strlen(t), NULL, &back, &pe,
					      &err),
			       &err);
		ck_assert_msg(linx_value_equal(&rs, &back), "%s", t);
		char *t2 = fmt(&back);
		ck_assert_str_eq(t, t2);
		free(t);
		free(t2);
		linx_value_clear(&rs);
		linx_value_clear(&back);
	}
}
END_TEST

/* A set's statements (each element gets its own) and an element's, with
 * its numbers, before its timeout and comment: the value, the text nft
 * lists, and the way back. */
/* `t`, the formatter's text of `rs` parsed from `text`, is `text` again
 * and parses back to `rs`; frees t, j and rs. */
static void text_is_fixed(const char *text, char *t, char *j,
			  struct linx_value *rs)
{
	struct linx_value back;

	ck_assert_str_eq(t, text);
	back = parse_ok(t);
	ck_assert(linx_value_equal(rs, &back));
	free(t);
	free(j);
	linx_value_clear(&back);
	linx_value_clear(rs);
}

START_TEST(set_exprs_roundtrip)
{
	static const char text[] =
		"table inet t {\n"
		"  set s {\n"
		"    type ipv4_addr\n"
		"    flags timeout\n"
		"    counter limit rate over 10/second\n"
		"    elements = { 10.0.0.1, 10.0.0.2 counter packets 5 bytes 300 "
		"limit rate over 10/second timeout 1m comment \"x\" }\n"
		"  }\n"
		"  map m {\n"
		"    type ipv4_addr : verdict\n"
		"    ct count 3\n"
		"    elements = { 1.2.3.4 ct count 3 : accept }\n"
		"  }\n"
		"  set q {\n"
		"    type ipv4_addr\n"
		"    flags dynamic\n"
		"    quota over 100 bytes\n"
		"  }\n"
		"}\n";
	struct linx_value rs = parse_ok(text);
	char *t = fmt(&rs), *j = nt_to_json(&rs);

	ck_assert_msg(strstr(j, "\"exprs\":[{\"expr\":\"counter\"},{\"expr\":"
				"\"limit\",\"rate\":10,\"unit\":\"second\","
				"\"burst\":5,\"type\":\"packets\",\"flags\":"
				"[\"inv\"]}]") &&
			      strstr(j, "{\"key\":\"10.0.0.2\",\"exprs\":"
					"[{\"expr\":\"counter\",\"bytes\":300,"
					"\"packets\":5},"),
		      "%s", j);
	text_is_fixed(text, t, j, &rs);

	/* a set's own counter prints without its numbers, as nft lists it */
	struct linx_value v = nt_json(
		"{\"tables\":[{\"family\":\"ip\",\"name\":\"t\",\"sets\":"
		"[{\"name\":\"s\",\"key_type\":\"ipv4_addr\",\"exprs\":"
		"[{\"expr\":\"counter\",\"bytes\":0,\"packets\":0}],"
		"\"elements\":[{\"key\":\"10.0.0.1\",\"exprs\":[{\"expr\":"
		"\"counter\",\"bytes\":0,\"packets\":0}]}]}]}]}");
	t = fmt(&v);
	ck_assert_msg(strstr(t, "    counter\n    elements = { 10.0.0.1 counter "
				"packets 0 bytes 0 }\n"),
		      "%s", t);
	free(t);
	linx_value_clear(&v);
	/* what is no set statement cannot be written */
	v = nt_json("{\"tables\":[{\"family\":\"ip\",\"name\":\"t\","
		    "\"sets\":[{\"name\":\"s\",\"key_type\":\"ipv4_addr\","
		    "\"exprs\":[{\"expr\":\"log\"}]}]}]}");
	t = fmt(&v);
	ck_assert_msg(strstr(t, "# <unsupported") && !strstr(t, "log"), "%s", t);
	free(t);
	linx_value_clear(&v);
}
END_TEST

/* secmark objects, and the statements that set a packet's or a
 * connection's security id; the expressions are those nft --debug=netlink
 * prints for this text (this kernel has no LSM to load them: the VM lane
 * or a host with one). */
START_TEST(secmark_objects_roundtrip)
{
	static const char text[] =
		"table inet t {\n"
		"  chain c {\n"
		"    tcp dport 22 meta secmark set \"ssh\"\n"
		"    meta secmark set tcp dport map @secmapping\n"
		"    meta secmark set tcp dport map { 80 : \"ssh\" }\n"
		"    ct state new ct secmark set meta secmark\n"
		"    ct state established,related meta secmark set ct secmark\n"
		"  }\n"
		"  map secmapping {\n"
		"    type inet_service : secmark\n"
		"    elements = { 22 : \"ssh\" }\n"
		"  }\n"
		"  secmark ssh {\n"
		"    \"system_u:object_r:ssh_server_packet_t:s0\"\n"
		"  }\n"
		"}\n";
	struct linx_value rs = parse_ok(text);
	char *t = fmt(&rs), *j = nt_to_json(&rs);

	ck_assert_msg(strstr(j, "{\"expr\":\"objref\",\"type\":\"secmark\","
				"\"name\":\"ssh\"}") &&
			      strstr(j, "{\"expr\":\"meta\",\"key\":\"secmark\","
					"\"dreg\":1},{\"expr\":\"ct\",\"key\":"
					"\"secmark\",\"sreg\":1}") &&
			      strstr(j, "{\"expr\":\"ct\",\"key\":\"secmark\","
					"\"dreg\":1},{\"expr\":\"meta\",\"key\":"
					"\"secmark\",\"sreg\":1}") &&
			      strstr(j, "{\"kind\":\"secmark\",\"name\":\"ssh\","
					"\"context\":\"system_u:object_r:ssh_"
					"server_packet_t:s0\"}"),
		      "%s", j);
	text_is_fixed(text, t, j, &rs);
	/* the context is its one property, and it is required */
	struct linx_nft_parse_error pe;
	struct linx_error err;
	static const char *const bad[] = {
		"table ip t {\n secmark s { }\n}\n",
		"table ip t {\n secmark s { \"a\" \"b\" }\n}\n",
		"table ip t {\n secmark s { \"a\"; \"b\" }\n}\n",
		"table ip t {\n secmark s { counter }\n}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(linx_nft_parse(bad[i], strlen(bad[i]), NULL, &rs,
					     &pe, &err) == -EINVAL,
			      "accepted: %s", bad[i]);
		linx_value_clear(&rs);
	}
}
END_TEST

/* auto-merge: overlapping and adjacent intervals are one, as nft merges
 * them on input; without it they stay apart (or are refused at push). */
/* flush and destroy commands change what the input declared so far. */
START_TEST(commands_change_the_input)
{
	struct linx_value rs = parse_ok(
		"table inet t {\n"
		" set s { type ipv4_addr; elements = { 192.0.2.1 }; }\n"
		" chain a { tcp dport 1 accept; }\n"
		" chain b { tcp dport 2 accept; }\n"
		"}\n"
		"flush set inet t s\n"
		"add element inet t s { 192.0.2.9 }\n"
		"flush table inet t\n"
		"add rule inet t b tcp dport 3 drop\n"
		"table ip u { chain c { counter; }; }\n"
		"destroy table ip u\n"
		"destroy table ip u\n"
		"destroy table ip never\n"
		"table ip never\n"
		"table ip u\n");
	char *t = fmt(&rs);

	ck_assert_msg(strstr(t, "elements = { 192.0.2.9 }") &&
			      !strstr(t, "192.0.2.1") &&
			      !strstr(t, "dport 1") && !strstr(t, "dport 2") &&
			      strstr(t, "tcp dport 3 drop") &&
			      !strstr(t, "counter") && strstr(t, "table ip u {") &&
			      strstr(t, "table ip never {"),
		      "%s", t);
	free(t);
	linx_value_clear(&rs);
}
END_TEST

/* A define of a set used inside another set's braces: nft flattens it. */
START_TEST(nested_sets_flatten)
{
	struct linx_value rs = parse_ok(
		"define lan = { 10.0.0.0/8, 192.168.0.0/16 }\n"
		"define vpn = 100.64.0.1\n"
		"define inside = { $lan, $vpn, { 172.16.0.0/12 } }\n"
		"table ip t {\n chain c {\n  ip saddr $inside accept\n }\n}\n");
	char *t = fmt(&rs);

	ck_assert_msg(strstr(t, "ip saddr { 10.0.0.0/8, 100.64.0.1, "
				"172.16.0.0/12, 192.168.0.0/16 } accept") ||
			      strstr(t, "ip saddr { 10.0.0.0/8, 192.168.0.0/16, "
					"100.64.0.1, 172.16.0.0/12 } accept"),
		      "%s", t);
	free(t);
	linx_value_clear(&rs);
}
END_TEST

START_TEST(auto_merge_merges)
{
	struct linx_value rs = parse_ok(
		"table ip t { set s { type ipv4_addr; flags interval; auto-merge; "
		"elements = { 10.0.1.0/24, 10.0.0.0/24, 10.0.0.5, "
		"192.0.2.9-192.0.2.20, 192.0.2.1-192.0.2.8, 198.51.100.1 } }; }");
	char *t = fmt(&rs);

	ck_assert_msg(strstr(t, "auto-merge\n") &&
			      strstr(t, "elements = { 10.0.0.0/23, "
					"192.0.2.1-192.0.2.20, 198.51.100.1 }"),
		      "%s", t);
	free(t);
	linx_value_clear(&rs);
	rs = parse_ok("table ip t { set s { type ipv4_addr; flags interval; "
		      "elements = { 10.0.1.0/24, 10.0.0.0/24 } }; }");
	t = fmt(&rs);
	ck_assert_msg(!strstr(t, "auto-merge") && strstr(t, "10.0.1.0/24"),
		      "%s", t);
	free(t);
	linx_value_clear(&rs);
}
END_TEST

START_TEST(canonical_layout)
{
	struct linx_value rs = parse_ok(
		"table inet myapp { chain input { type filter hook input "
		"priority 0; policy drop; tcp dport 22 accept; }; }");
	char *t = fmt(&rs);

	ck_assert_str_eq(t, "table inet myapp {\n"
			    "  chain input {\n"
			    "    type filter hook input priority 0\n"
			    "    policy drop\n"
			    "\n"
			    "    tcp dport 22 accept\n"
			    "  }\n"
			    "}\n");
	free(t);
	linx_value_clear(&rs);
}
END_TEST

/* ---- no input crashes it ------------------------------------------------------ */

START_TEST(mutations_never_crash)
{
	static const char pokes[] = "{};\n\"$@/:-.,*#\\0x1 ";
	char path[600];
	unsigned seed = 1;
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	DIR *d = opendir(LANG_DIR);
	struct dirent *e;

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".nft"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", LANG_DIR, e->d_name);
		FILE *f = fopen(path, "r");
		size_t n = fread(buf, 1, cap, f);
		fclose(f);
		for (int it = 0; it < 400; it++) {
			char *m = malloc(n + 1);
			memcpy(m, buf, n);
			for (int k = 0; k < 4; k++) {
				seed = seed * 1103515245 + 12345;
				size_t at = (seed >> 8) % n;
				seed = seed * 1103515245 + 12345;
m[at] = pokes[(seed >> 8) % (sizeof(pokes) - 1)];
			}
			struct linx_value rs;
			struct linx_nft_parse_error pe;
			struct linx_error err;
			int r = linx_nft_parse(m, n, NULL, &rs, &pe, &err);
			ck_assert(r == 0 || r == -EINVAL);
			if (r == 0) {
				char *t;
				linx_assert_ok(linx_nft_format(&rs, &t, NULL, &err), &err);
				free(t);
			}
			linx_value_clear(&rs);
			free(m);
		}
	}
	closedir(d);
	free(buf);
	/* deep nesting and long inputs are bounded */
	size_t big = 1 << 20;
	char *deep = malloc(big);
	memset(deep, '{', big);
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	ck_assert_int_eq(linx_nft_parse(deep, big, NULL, &rs, &pe, &err), -EINVAL);
	memset(deep, '$', big);
	ck_assert_int_eq(linx_nft_parse(deep, big, NULL, &rs, &pe, &err), -EINVAL);
	const char *selfref = "define a = $b\ndefine b = $a\n"
			      "table ip t { chain c { tcp dport $a; }; }";
	ck_assert_int_eq(linx_nft_parse(selfref, strlen(selfref), NULL, &rs, &pe,
					&err),
			 -EINVAL);
	free(deep);
	/* defines that double at each level: bounded, not 2^30 elements */
	char bomb[4096];
	size_t k = (size_t)sprintf(bomb, "define a0 = 1\n");
	for (int i = 1; i <= 30; i++)
		k += (size_t)sprintf(bomb + k, "define a%d = $a%d, $a%d\n", i,
				     i - 1, i - 1);
	k += (size_t)sprintf(bomb + k,
			     "table ip t { chain c { tcp dport { $a30 }; }; }\n");
	ck_assert_int_eq(linx_nft_parse(bomb, k, NULL, &rs, &pe, &err), -EINVAL);
	ck_assert_msg(strstr(pe.message, "expand to more than"), "%s",
		      pe.message);
}
END_TEST

/* ---- the formatter over values nobody parsed -------------------------------- */

static unsigned mut_rand(unsigned *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

/* One random change deep in `v`: a map loses a key, or a node becomes a
 * value of another type (what a hand-built or corrupted value holds). */
static void mutate_value(struct linx_value *v, unsigned *seed)
{
	while ((v->type == LINX_MAP || v->type == LINX_LIST) && v->len &&
	       mut_rand(seed) % 8) {
		uint32_t k = mut_rand(seed) % v->len;
		v = v->type == LINX_MAP ? &v->pairs[k].value : &v->items[k];
	}
	if (v->type == LINX_MAP && v->len && mut_rand(seed) % 2) {
		struct linx_value out;
		char key[256];
		snprintf(key, sizeof(key), "%s",
			 v->pairs[mut_rand(seed) % v->len].key);
		if (linx_map_take(v, key, &out) == 0)
			linx_value_clear(&out);
		return;
	}
	linx_value_clear(v);
	switch (mut_rand(seed) % 8) {
	case 0: *v = linx_value_nil(); break;
	case 1: *v = linx_value_int(-1); break;
	case 2: *v = linx_value_uint(UINT64_MAX); break;
	case 3: linx_value_cstring(v, "x"); break;
	case 4: linx_value_bytes(v, "\xff\x00\x01", 3); break;
	case 5: *v = linx_value_list(); break;
	case 6: *v = linx_value_map(); break;
	default: *v = linx_value_bool(true); break;
	}
}

/* The formatter is a public entry point: any value, not only what the
 * parser or the kernel gives, is formatted or refused, never a crash
 * (the sanitizer build runs this too). */
START_TEST(formatter_takes_any_value)
{
	char path[600];
	unsigned seed = 7, formatted = 0, refused = 0;
	DIR *d = opendir(LANG_DIR);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		struct linx_nft_parse_error pe;
		struct linx_error err;
		struct linx_value rs;

		if (!strstr(e->d_name, ".nft"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", LANG_DIR, e->d_name);
		if (linx_nft_parse_file(path, NULL, &rs, &pe, &err) < 0)
			continue;
		for (int it = 0; it < 150; it++) {
			struct linx_value m;
			char *t = NULL;
			linx_assert_ok(linx_value_copy(&m, &rs), &err);
			for (unsigned k = 1 + mut_rand(&seed) % 3; k > 0; k--)
				mutate_value(&m, &seed);
			int r = linx_nft_format(&m, &t, NULL, &err);
			ck_assert_msg(r == 0 || r == -EINVAL || r == -ENOMEM,
				      "%s: format gave %d", e->d_name, r);
			if (r == 0)
				formatted++;
			else
				refused++;
			free(t);
			linx_value_clear(&m);
		}
		linx_value_clear(&rs);
	}
	closedir(d);
	ck_assert_uint_gt(formatted, 0);
	fprintf(stderr, "formatter: %u mutated values formatted, %u refused\n",
		formatted, refused);
}
END_TEST

/* ---- the round-trip property over generated rulesets ---------------------- */

static const char *const gen_match[] = {
	"tcp dport 22", "udp sport 1-100", "ip saddr 10.0.0.0/8",
	"ip6 daddr ::1", "iifname \"eth*\"", "oifname != \"lo\"",
	"ct state established,related", "ct state != new", "meta mark 0x10",
	"tcp flags & (syn|ack) == syn", "th dport { 1, 2 }",
	"ip daddr != { 1.2.3.4, 5.6.7.0/24 }", "meta l4proto udp",
	"ether saddr 02:00:00:00:00:01", "icmp type echo-request",
	"tcp dport != 1000-2000", "ip saddr 10.16.0.0/12", "ct mark 0x5",
	"meta nfproto ipv6", "tcp sport @ports", "ip ttl < 5",
	"icmpv6 type { echo-request, nd-neighbor-solicit }",
	"ct status dnat", "meta pkttype broadcast", "ip protocol tcp",
	"ct state vmap { established : accept, new : jump c2 }",
	"ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 80 }",
	"meta l4proto . th dport != { tcp . 22 }",
	"iifname . ip6 daddr { \"eth0\" . ::1 }",
	"ether saddr . meta mark { 02:00:00:00:00:01 . 0x1 }",
	"meta mark & 0xff00 == 0x100", "meta mark | 0x10 != 0x30",
	"ct mark & 0xffff < 0x100", "meta mark & 0xff00 { 0x100, 0x200 }",
	"meta mark ^ 0x1 | 0x10 == 0x11", "meta mark & 0xff ^ 0x1 == 0x3",
	"ip saddr & 255.255.0.0 == 10.1.0.0", "tcp option mptcp subtype 2",
	"ip saddr & 255.255.255.0 . tcp dport { 10.0.0.0 . 22 }",
	"ip6 daddr . udp dport & 0xff00 { ::1 . 0x100 }",
};
static const char *const gen_stmt[] = {
	"counter", "log prefix \"x \" level info", "limit rate 5/second",
	"quota 10 mbytes", "meta mark set 0x1", "ct mark set 0x2", "notrack",
	"limit rate over 1 mbytes/second burst 10 kbytes", "counter name cnt",
	"log group 3", "ct mark set meta mark",
	"meta mark set (ct mark & 0xff00) >> 8", "ct mark set meta mark ^ 0x1 | 0x2",
	"ip daddr set ip saddr", "tcp dport set tcp dport map { 80 : 8080 }",
	"ip6 saddr set ip6 daddr & ffff::", "th dport set 53",
	"ether saddr set ether daddr",
};
static const char *const gen_end[] = {
	"accept", "drop", "jump c2", "goto c2", "reject", "return", "",
	"reject with icmpx type admin-prohibited", "queue num 1-2 bypass",
	"comment \"tag:r1 some words\"", "accept comment \"plain\"",
};
static const char *const gen_nat[] = {
	"dnat ip to 10.0.0.1:80", "snat ip to 1.2.3.4-1.2.3.8", "masquerade",
	"redirect to :8080", "masquerade to :1000-2000 random,persistent",
	"dnat ip6 to [fe80::1]:443",
	"meta l4proto tcp dnat ip6 to [fe80::1]-[fe80::9]:443",
	"meta l4proto tcp dnat ip to 10.0.0.1 : numgen inc mod 2 map { 0 : 80, 1 : 81 }",
};

static size_t pick(unsigned *seed, size_t n)
{
	*seed = *seed * 1103515245 + 12345;
	return (*seed >> 8) % n;
}

START_TEST(generated_rulesets_roundtrip)
{
	unsigned seed = 12345, accepted = 0, total = 300;
	char *text = malloc(1 << 16);

	for (unsigned n = 0; n < total; n++) {
		size_t k = 0;
#define R(a) (a)[pick(&seed, sizeof(a) / sizeof((a)[0]))]
		k += (size_t)sprintf(text + k,
				     "table inet t%u {\n set ports { type "
				     "inet_service; elements = { 1, 2 }; }\n"
				     " counter cnt { }\n chain c2 { }\n"
				     " chain c {\n",
				     n);
		for (int r = 0; r < 6; r++) {
			k += (size_t)sprintf(text + k, "  %s %s %s %s\n",
					     R(gen_match), R(gen_match),
					     R(gen_stmt), R(gen_end));
		}
		k += (size_t)sprintf(text + k, " }\n chain n {\n  type nat hook "
					       "prerouting priority dstnat\n"
					       "  %s %s\n }\n}\n",
				     R(gen_match), R(gen_nat));
#undef R
		struct linx_value a, b;
		struct linx_nft_parse_error pe;
		struct linx_error err;
		if (linx_nft_parse(text, k, NULL, &a, &pe, &err) < 0)
			continue;
		accepted++;
		char *t1 = fmt(&a);
		int r = linx_nft_parse(t1, strlen(t1), NULL, &b, &pe, &err);
		if (r < 0)
			fprintf(stderr, "%s\n---\n%s\n", text, t1);
		ck_assert_msg(r == 0, "generated %u: %s", n, err.message);
		if (!linx_value_equal(&a, &b))
			fprintf(stderr, "%s\n---\n%s\n", text, t1);
		ck_assert_msg(linx_value_equal(&a, &b),
			      "generated %u: parse(format(x)) != x", n);
		char *t2 = fmt(&b);
		ck_assert_msg(strcmp(t1, t2) == 0, "generated %u: not a fixed point",
			      n);
		free(t1);
		free(t2);
		linx_value_clear(&a);
		linx_value_clear(&b);
	}
	fprintf(stderr, "generated rulesets: %u of %u parsed and round-tripped\n",
		accepted, total);
	ck_assert_uint_ge(accepted, total / 10);
	free(text);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("nft-lang");
	TCase *tc = tcase_create("lang");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, compiles_like_nftables, 0,
			    sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_test(tc, corpus_roundtrips);
	tcase_add_loop_test(tc, errors_point_at_the_mistake, 0,
			    sizeof(broken) / sizeof(broken[0]));
	tcase_add_test(tc, references_must_exist);
	tcase_add_test(tc, error_rendering);
	tcase_add_test(tc, priority_names_in_their_hooks);
	tcase_add_test(tc, iproute2_names);
	tcase_add_test(tc, format_interface_names);
	tcase_add_test(tc, backslashes_in_strings);
	tcase_add_test(tc, interface_names_with_a_slash);
	tcase_add_test(tc, shorter_keys_into_a_mark);
	tcase_add_test(tc, holes_fill_typed);
	tcase_add_test(tc, defines_substitute);
	tcase_add_test(tc, defines_in_blocks);
	tcase_add_test(tc, includes_stay_in_their_root);
	tcase_add_test(tc, includes_in_blocks);
	tcase_add_test(tc, includes_with_wildcards);
	tcase_add_test(tc, unrenderable_becomes_a_comment);
	tcase_add_test(tc, unparsable_options_become_comments);
	tcase_add_test(tc, exthdrs_print_as_nft_lists_them);
	tcase_add_test(tc, sugar_prints_as_its_statement);
	tcase_add_test(tc, typeof_keeps_its_selectors);
	tcase_add_test(tc, set_statements_roundtrip);
	tcase_add_test(tc, set_exprs_roundtrip);
	tcase_add_test(tc, secmark_objects_roundtrip);
	tcase_add_test(tc, payload_writes_formatter);
	tcase_add_test(tc, raw_loads_formatter);
	tcase_add_test(tc, one_byte_keys_in_interval_concatenations);
	tcase_add_test(tc, auto_merge_merges);
	tcase_add_test(tc, nested_sets_flatten);
	tcase_add_test(tc, commands_change_the_input);
	tcase_add_test(tc, canonical_layout);
	tcase_add_test(tc, mutations_never_crash);
	tcase_add_test(tc, formatter_takes_any_value);
	tcase_add_test(tc, generated_rulesets_roundtrip);
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
