/* SPDX-License-Identifier: MIT */
/*
 * nf_tables in a fresh network namespace, side by side in one run:
 *
 *   load   a 100,000-element interval set, and 10,000 rules in 100 chains:
 *          linx_nft_push() against `nft -f` and against a raw libnftnl
 *          batch (the floor: the same messages built with libnftnl and
 *          sent with libmnl, nothing else);
 *   pull   both back: linx_nft_pull() against `nft -j list ruleset`;
 *   reconcile  a pass that changes 1% of the rules against replacing the
 *          whole ruleset: steady (alternating two rulesets on one socket,
 *          each pass after our own previous one) and cold (the first pass
 *          after a replace); and the steady pass against its own patch
 *          applied alone (diffed before the clock starts: the kernel's
 *          share and the encoding of the changed rules, the pass's floor).
 *
 * Medians of BENCH_RUNS runs (default 5); the ratios are what to read, the
 * machine being shared.  Targets (issue 11): loading at least 2x faster
 * than nft -f and within 1.3x of the floor; pulling at least 2x faster
 * than nft -j; the 1% pass at least 10x faster than the replacement.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linx/nft.h>

#include "bench-util.h"

#define N_ELEMS 100000
#define N_CHAINS 100
#define N_RULES 10000
#define MAX_RUNS 31

static int runs = 5;
static char dir[] = "/tmp/linx-bench-nft-XXXXXX";

/* ---- the workloads as nft text and as values -------------------------------- */

/* Every other /24 from 10.0.0.0: 100,000 disjoint intervals. */
static void prefix(unsigned i, char *buf, size_t cap)
{
	unsigned n = i * 2;

	snprintf(buf, cap, "%u.%u.%u.0/24", 10 + (n >> 16), (n >> 8) & 255,
		 n & 255);
}

static void write_set_text(const char *path)
{
	FILE *f = fopen(path, "w");
	char p[32];

	if (!f)
		exit(1);
	fprintf(f, "table ip bset {\n set s {\n  type ipv4_addr\n"
		   "  flags interval\n  elements = {\n");
	for (unsigned i = 0; i < N_ELEMS; i++) {
		prefix(i, p, sizeof(p));
		fprintf(f, "   %s%s\n", p, i + 1 < N_ELEMS ? "," : "");
	}
	fprintf(f, "  }\n }\n}\n");
	fclose(f);
}

/* Rule r (0..N_RULES-1) of chain r / per-chain: tcp dport PORT counter
 * accept, tagged; `shift` moves the port (the 1% change). */
static unsigned port_of(unsigned r, unsigned shift)
{
	return 1 + r + shift;
}

static void write_rules_text(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned per = N_RULES / N_CHAINS;

	if (!f)
		exit(1);
	fprintf(f, "table inet brules {\n");
	for (unsigned c = 0; c < N_CHAINS; c++) {
		fprintf(f, " chain c%u {\n", c);
		for (unsigned k = 0; k < per; k++) {
			unsigned r = c * per + k;

			fprintf(f, "  tcp dport %u counter accept comment "
				   "\"tag:r%u\"\n",
				port_of(r, 0), r);
		}
		fprintf(f, " }\n");
	}
	fprintf(f, "}\n");
	fclose(f);
}

static void put_map_str(struct linx_value *m, const char *k, const char *v)
{
	linx_map_put_cstring(m, k, v);
}

static struct linx_value set_value(void)
{
	struct linx_value rs = linx_value_map(), tables = linx_value_list();
	struct linx_value t = linx_value_map(), sets = linx_value_list();
	struct linx_value s = linx_value_map(), flags = linx_value_list();
	struct linx_value el = linx_value_list();
	char p[32];

	linx_value_reserve(&el, N_ELEMS);
	for (unsigned i = 0; i < N_ELEMS; i++) {
		prefix(i, p, sizeof(p));
		linx_list_push_cstring(&el, p);
	}
	put_map_str(&s, "name", "s");
	put_map_str(&s, "key_type", "ipv4_addr");
	linx_list_push_cstring(&flags, "interval");
	linx_map_put(&s, "flags", &flags);
	linx_map_put(&s, "elements", &el);
	linx_list_push(&sets, &s);
	put_map_str(&t, "family", "ip");
	put_map_str(&t, "name", "bset");
	linx_map_put(&t, "sets", &sets);
	linx_list_push(&tables, &t);
	linx_map_put(&rs, "tables", &tables);
	return rs;
}

static struct linx_value expr_map(const char *name)
{
	struct linx_value e = linx_value_map();

	put_map_str(&e, "expr", name);
	return e;
}

static void push_rule_exprs(struct linx_value *exprs, unsigned port)
{
	struct linx_value e;
	uint8_t proto = IPPROTO_TCP;
	uint16_t be = htobe16((uint16_t)port);

	e = expr_map("meta");
	put_map_str(&e, "key", "l4proto");
	linx_map_put_uint(&e, "dreg", 1);
	linx_list_push(exprs, &e);
	e = expr_map("cmp");
	put_map_str(&e, "op", "eq");
	linx_map_put_uint(&e, "sreg", 1);
	linx_map_put_bytes(&e, "data", &proto, 1);
	linx_list_push(exprs, &e);
	e = expr_map("payload");
	put_map_str(&e, "base", "transport");
	linx_map_put_uint(&e, "offset", 2);
	linx_map_put_uint(&e, "len", 2);
	linx_map_put_uint(&e, "dreg", 1);
	linx_list_push(exprs, &e);
	e = expr_map("cmp");
	put_map_str(&e, "op", "eq");
	linx_map_put_uint(&e, "sreg", 1);
	linx_map_put_bytes(&e, "data", &be, 2);
	linx_list_push(exprs, &e);
	e = expr_map("counter");
	linx_list_push(exprs, &e);
	linx_list_push_cstring(exprs, "accept");
}

/* The 10,000 rules; rules with r % 100 == 7 get `shift` on their port. */
static struct linx_value rules_value(unsigned shift)
{
	struct linx_value rs = linx_value_map(), tables = linx_value_list();
	struct linx_value t = linx_value_map(), chains = linx_value_list();
	unsigned per = N_RULES / N_CHAINS;
	char name[32];

	for (unsigned c = 0; c < N_CHAINS; c++) {
		struct linx_value ch = linx_value_map(), rules = linx_value_list();

		snprintf(name, sizeof(name), "c%u", c);
		put_map_str(&ch, "name", name);
		linx_value_reserve(&rules, per);
		for (unsigned k = 0; k < per; k++) {
			unsigned r = c * per + k;
			struct linx_value rule = linx_value_map();
			struct linx_value exprs = linx_value_list();

			snprintf(name, sizeof(name), "r%u", r);
			put_map_str(&rule, "tag", name);
			push_rule_exprs(&exprs, port_of(r, r % 100 == 7 ? shift
									: 0));
			linx_map_put(&rule, "exprs", &exprs);
			linx_list_push(&rules, &rule);
		}
		linx_map_put(&ch, "rules", &rules);
		linx_list_push(&chains, &ch);
	}
	put_map_str(&t, "family", "inet");
	put_map_str(&t, "name", "brules");
	linx_map_put(&t, "chains", &chains);
	linx_list_push(&tables, &t);
	linx_map_put(&rs, "tables", &tables);
	return rs;
}

/* ---- the floor: the same batches through libnftnl ----------------------------- */

struct floor {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char *buf;
	size_t cap;
};

static void floor_open(struct floor *f)
{
	f->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!f->nl || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("floor socket");
		exit(1);
	}
	f->portid = mnl_socket_get_portid(f->nl);
	f->seq = 1;
	f->cap = 64u << 20;
	f->buf = malloc(f->cap);
	if (!f->buf)
		exit(1);
	{
		int sz = 64 << 20;

		setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_SNDBUFFORCE,
			   &sz, sizeof(sz));
		setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_RCVBUFFORCE,
			   &sz, sizeof(sz));
	}
}

/* Send the batch and read until the last message's ACK. */
static void floor_send(struct floor *f, struct mnl_nlmsg_batch *b,
		       uint32_t last_seq)
{
	static char rbuf[65536];
	ssize_t n;
	int r = MNL_CB_OK;

	if (mnl_socket_sendto(f->nl, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0) {
		perror("floor sendto");
		exit(1);
	}
	do {
		n = mnl_socket_recvfrom(f->nl, rbuf, sizeof(rbuf));
		if (n < 0) {
			perror("floor recv");
			exit(1);
		}
		r = mnl_cb_run(rbuf, (size_t)n, last_seq, f->portid, NULL,
			       NULL);
	} while (r == MNL_CB_OK);
	if (r < 0) {
		perror("floor batch");
		exit(1);
	}
}

static struct mnl_nlmsg_batch *floor_begin(struct floor *f)
{
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(f->buf, f->cap);

	nftnl_batch_begin(mnl_nlmsg_batch_current(b), f->seq++);
	mnl_nlmsg_batch_next(b);
	return b;
}

static uint32_t floor_end(struct floor *f, struct mnl_nlmsg_batch *b)
{
	uint32_t last = f->seq - 1;

	nftnl_batch_end(mnl_nlmsg_batch_current(b), f->seq++);
	mnl_nlmsg_batch_next(b);
	return last;
}

static void floor_table(struct floor *f, struct mnl_nlmsg_batch *b,
			uint16_t family, const char *name)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nlh = nftnl_table_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
					  NFT_MSG_NEWTABLE, family,
					  NLM_F_CREATE, f->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	mnl_nlmsg_batch_next(b);
	nftnl_table_free(t);
}

static double floor_set(struct floor *f)
{
	double t0 = bench_now_ms();
	struct mnl_nlmsg_batch *b = floor_begin(f);
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;
	uint32_t last;
	unsigned per_msg = 1024;

	floor_table(f, b, NFPROTO_IPV4, "bset");
	nftnl_set_set_str(s, NFTNL_SET_TABLE, "bset");
	nftnl_set_set_str(s, NFTNL_SET_NAME, "s");
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_INTERVAL);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, 7);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, 4);
	nftnl_set_set_u32(s, NFTNL_SET_ID, 1);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_IPV4);
	nlh = nftnl_set_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
					NFT_MSG_NEWSET, NFPROTO_IPV4,
					NLM_F_CREATE, f->seq++);
	nftnl_set_nlmsg_build_payload(nlh, s);
	mnl_nlmsg_batch_next(b);
	nftnl_set_free(s);
	for (unsigned i = 0; i < N_ELEMS; i += per_msg) {
		struct nftnl_set *es = nftnl_set_alloc();

		nftnl_set_set_str(es, NFTNL_SET_TABLE, "bset");
		nftnl_set_set_str(es, NFTNL_SET_NAME, "s");
		for (unsigned k = i; k < i + per_msg && k < N_ELEMS; k++) {
			unsigned n = k * 2;
			uint32_t start = htonl(((10u + (n >> 16)) << 24) |
					       (((n >> 8) & 255) << 16) |
					       ((n & 255) << 8));
			uint32_t end = htonl(ntohl(start) + 256);
			struct nftnl_set_elem *e = nftnl_set_elem_alloc();
			struct nftnl_set_elem *x = nftnl_set_elem_alloc();

			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &start, 4);
			nftnl_set_elem_set(x, NFTNL_SET_ELEM_KEY, &end, 4);
			nftnl_set_elem_set_u32(x, NFTNL_SET_ELEM_FLAGS,
					       NFT_SET_ELEM_INTERVAL_END);
			nftnl_set_elem_add(es, e);
			nftnl_set_elem_add(es, x);
		}
		nlh = nftnl_set_elem_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
						     NFT_MSG_NEWSETELEM,
						     NFPROTO_IPV4,
						     NLM_F_CREATE |
							     (i + per_msg >= N_ELEMS
								      ? NLM_F_ACK
								      : 0),
						     f->seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, es);
		mnl_nlmsg_batch_next(b);
		nftnl_set_free(es);
	}
	last = floor_end(f, b);
	floor_send(f, b, last);
	mnl_nlmsg_batch_stop(b);
	return bench_now_ms() - t0;
}

static void floor_expr_cmp(struct nftnl_rule *r, const void *data,
			   uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nftnl_rule_add_expr(r, e);
}

static double floor_rules(struct floor *f)
{
	double t0 = bench_now_ms();
	struct mnl_nlmsg_batch *b = floor_begin(f);
	unsigned per = N_RULES / N_CHAINS;
	struct nlmsghdr *nlh;
	char name[32];
	uint32_t last;

	floor_table(f, b, NFPROTO_INET, "brules");
	for (unsigned c = 0; c < N_CHAINS; c++) {
		struct nftnl_chain *ch = nftnl_chain_alloc();

		snprintf(name, sizeof(name), "c%u", c);
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, "brules");
		nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
		nlh = nftnl_chain_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
						  NFT_MSG_NEWCHAIN,
						  NFPROTO_INET, NLM_F_CREATE,
						  f->seq++);
		nftnl_chain_nlmsg_build_payload(nlh, ch);
		mnl_nlmsg_batch_next(b);
		nftnl_chain_free(ch);
	}
	for (unsigned r = 0; r < N_RULES; r++) {
		struct nftnl_rule *rule = nftnl_rule_alloc();
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(256);
		struct nftnl_expr *e;
		uint8_t proto = IPPROTO_TCP;
		uint16_t port = htons((uint16_t)port_of(r, 0));
		char tag[32];

		snprintf(name, sizeof(name), "c%u", r / per);
		nftnl_rule_set_str(rule, NFTNL_RULE_TABLE, "brules");
		nftnl_rule_set_str(rule, NFTNL_RULE_CHAIN, name);
		e = nftnl_expr_alloc("meta");
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_L4PROTO);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
		nftnl_rule_add_expr(rule, e);
		floor_expr_cmp(rule, &proto, 1);
		e = nftnl_expr_alloc("payload");
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE,
				   NFT_PAYLOAD_TRANSPORT_HEADER);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
		nftnl_rule_add_expr(rule, e);
		floor_expr_cmp(rule, &port, 2);
		nftnl_rule_add_expr(rule, nftnl_expr_alloc("counter"));
		e = nftnl_expr_alloc("immediate");
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
		nftnl_rule_add_expr(rule, e);
		snprintf(tag, sizeof(tag), "tag:r%u", r);
		nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, tag);
		nftnl_rule_set_data(rule, NFTNL_RULE_USERDATA,
				    nftnl_udata_buf_data(u),
				    nftnl_udata_buf_len(u));
		nlh = nftnl_rule_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
						 NFT_MSG_NEWRULE, NFPROTO_INET,
						 NLM_F_CREATE | NLM_F_APPEND |
							 (r + 1 == N_RULES
								  ? NLM_F_ACK
								  : 0),
						 f->seq++);
		nftnl_rule_nlmsg_build_payload(nlh, rule);
		mnl_nlmsg_batch_next(b);
		nftnl_rule_free(rule);
		nftnl_udata_buf_free(u);
	}
	last = floor_end(f, b);
	floor_send(f, b, last);
	mnl_nlmsg_batch_stop(b);
	return bench_now_ms() - t0;
}

/* ---- measurements ----------------------------------------------------------------- */

static void reset(void)
{
	bench_sh("nft flush ruleset");
}

static double linx_push(struct linx_nft *s, const struct linx_value *rs,
			enum linx_nft_mode mode)
{
	struct linx_nft_push_opts o = { .mode = mode };
	struct linx_error err = { 0 };
	double t0 = bench_now_ms();

	if (linx_nft_push(s, rs, &o, NULL, &err) < 0)
		bench_die("push", &err);
	return bench_now_ms() - t0;
}

static double linx_pull(struct linx_nft *s)
{
	struct linx_error err = { 0 };
	struct linx_value v;
	double t0 = bench_now_ms(), t;

	if (linx_nft_pull(s, NULL, &v, NULL, &err) < 0)
		bench_die("pull", &err);
	t = bench_now_ms() - t0;
	linx_value_clear(&v);
	return t;
}

/* linx_nft_apply() of the patch from the kernel's ruleset to `want`,
 * pulled and diffed before the clock starts. */
static double apply_alone(struct linx_nft *s, const struct linx_value *want)
{
	struct linx_error err = { 0 };
	struct linx_value cur, patch;
	double t0, t;

	if (linx_nft_pull(s, NULL, &cur, NULL, &err) < 0 ||
	    linx_nft_diff(&cur, want, &patch, &err) < 0)
		bench_die("diff", &err);
	t0 = bench_now_ms();
	if (linx_nft_apply(s, &patch, NULL, &err) < 0)
		bench_die("apply", &err);
	t = bench_now_ms() - t0;
	linx_value_clear(&cur);
	linx_value_clear(&patch);
	return t;
}

static void report(const char *what, double *ours, double *ref,
		   const char *ref_name, int n)
{
	double a = bench_median(ours, n), b = bench_median(ref, n);

	printf("  %-34s linx %9.1f ms   %-22s %9.1f ms   ratio %.2fx\n", what,
	       a, ref_name, b, b / a);
}

static void lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		exit(1);
	ifr.ifr_flags |= IFF_UP;
	ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
}

int main(void)
{
	double set_l[MAX_RUNS], set_n[MAX_RUNS], set_f[MAX_RUNS];
	double rul_l[MAX_RUNS], rul_n[MAX_RUNS], rul_f[MAX_RUNS];
	double pull_l[MAX_RUNS], pull_n[MAX_RUNS];
	double rec_l[MAX_RUNS], rep_l[MAX_RUNS], st_l[2 * MAX_RUNS];
	double rep2_l[2 * MAX_RUNS], patch_l[MAX_RUNS];
	char set_txt[64], rules_txt[64], cmd[256];
	struct linx_value setv, rulesv, changedv;
	struct linx_error err = { 0 };
	struct linx_nft *s = NULL;
	struct floor f = { 0 };
	const char *env = getenv("BENCH_RUNS");

	if (env)
		runs = atoi(env);
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	if (geteuid() != 0 || system("nft --version >/dev/null 2>&1") != 0) {
		printf("bench-nft: needs root and nft (nftables); skipped\n");
		return 0;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		perror("unshare");
		return 1;
	}
	lo_up();
	if (!mkdtemp(dir))
		return 1;
	snprintf(set_txt, sizeof(set_txt), "%s/set.nft", dir);
	snprintf(rules_txt, sizeof(rules_txt), "%s/rules.nft", dir);
	write_set_text(set_txt);
	write_rules_text(rules_txt);
	setv = set_value();
	rulesv = rules_value(0);
	changedv = rules_value(50000);
	if (linx_nft_open(NULL, &s, &err) < 0)
		bench_die("open", &err);
	floor_open(&f);

	env = getenv("BENCH_NFT_LOAD");
	if (env && atoi(env) > 0) {
		/* Only the two loads through linx, many times: for a
		 * profiler. */
		int n = atoi(env) > MAX_RUNS ? MAX_RUNS : atoi(env);
		for (int i = 0; i < n; i++) {
			reset();
			set_l[i] = linx_push(s, &setv, LINX_NFT_REPLACE);
			reset();
			rul_l[i] = linx_push(s, &rulesv, LINX_NFT_REPLACE);
		}
		printf("load: set median %.1f ms, rules median %.1f ms over "
		       "%d\n", bench_median(set_l, n), bench_median(rul_l, n),
		       n);
		goto done;
	}
	env = getenv("BENCH_NFT_COLD");
	if (env && atoi(env) > 0) {
		/* Only cold reconcile passes (each after a replace). */
		int n = atoi(env) > MAX_RUNS ? MAX_RUNS : atoi(env);
		for (int i = 0; i < n; i++) {
			linx_push(s, &rulesv, LINX_NFT_REPLACE);
			rec_l[i] = linx_push(s, &changedv, LINX_NFT_RECONCILE);
		}
		printf("cold reconcile pass: median %.1f ms over %d\n",
		       bench_median(rec_l, n), n);
		goto done;
	}
	env = getenv("BENCH_NFT_STEADY");
	if (env && atoi(env) > 0) {
		/* Only the steady reconcile pass, many times: for a
		 * profiler (perf record -g bench-nft). */
		int n = atoi(env) > MAX_RUNS ? MAX_RUNS : atoi(env);
		linx_push(s, &rulesv, LINX_NFT_REPLACE);
		linx_push(s, &rulesv, LINX_NFT_RECONCILE);
		int hits = 0;
		for (int i = 0; i < n; i++) {
			struct linx_nft_push_opts o = {
				.mode = LINX_NFT_RECONCILE
			};
			struct linx_value rep;
			const struct linx_value *c;
			double t0 = bench_now_ms();

			if (linx_nft_push(s, i % 2 ? &rulesv : &changedv, &o,
					  &rep, &err) < 0)
				bench_die("push", &err);
			st_l[i] = bench_now_ms() - t0;
			c = linx_map_get(&rep, "cached");
			hits += c && c->type == LINX_BOOL && c->b;
			linx_value_clear(&rep);
		}
		printf("steady reconcile pass: median %.1f ms over %d "
		       "(the cache used %d times)\n",
		       bench_median(st_l, n), n, hits);
		goto done;
	}
	printf("bench-nft: %d elements, %d rules in %d chains, %d runs "
	       "(medians)\n",
	       N_ELEMS, N_RULES, N_CHAINS, runs);
	for (int i = 0; i < runs; i++) {
		reset();
		snprintf(cmd, sizeof(cmd), "nft -f %s", set_txt);
		set_n[i] = bench_sh_timed(cmd);
		reset();
		set_f[i] = floor_set(&f);
		reset();
		set_l[i] = linx_push(s, &setv, LINX_NFT_REPLACE);

		reset();
		snprintf(cmd, sizeof(cmd), "nft -f %s", rules_txt);
		rul_n[i] = bench_sh_timed(cmd);
		reset();
		rul_f[i] = floor_rules(&f);
		reset();
		rul_l[i] = linx_push(s, &rulesv, LINX_NFT_REPLACE);

		/* Both loaded: pull them. */
		linx_push(s, &setv, LINX_NFT_REPLACE);
		pull_n[i] = bench_sh_timed("nft -j list ruleset >/dev/null");
		pull_l[i] = linx_pull(s);

		/* 1% of the rules change: reconcile against replace. */
		rec_l[i] = linx_push(s, &changedv, LINX_NFT_RECONCILE);
		linx_push(s, &rulesv, LINX_NFT_REPLACE);
		rep_l[i] = linx_push(s, &changedv, LINX_NFT_REPLACE);

		/* Steady state: on the same socket, alternate the two
		 * rulesets, each pass a 1% change after our own previous
		 * pass (the first pass, after the replace, is not timed). */
		linx_push(s, &rulesv, LINX_NFT_RECONCILE);
		st_l[2 * i] = linx_push(s, &changedv, LINX_NFT_RECONCILE);
		st_l[2 * i + 1] = linx_push(s, &rulesv, LINX_NFT_RECONCILE);
		rep2_l[2 * i] = rep_l[i];
		rep2_l[2 * i + 1] = rep_l[i];

		/* The floor of a pass: its patch (diffed beforehand) applied
		 * alone, what the kernel and the encoding of the changed
		 * rules cost. */
		patch_l[i] = apply_alone(s, &changedv);
		linx_push(s, &rulesv, LINX_NFT_RECONCILE);
	}
	printf("load (higher ratio = linx faster)\n");
	report("100k-interval set vs nft -f", set_l, set_n, "nft -f", runs);
	report("100k-interval set vs floor", set_l, set_f, "libnftnl floor",
	       runs);
	report("10k rules/100 chains vs nft -f", rul_l, rul_n, "nft -f", runs);
	report("10k rules/100 chains vs floor", rul_l, rul_f,
	       "libnftnl floor", runs);
	printf("pull (both loaded)\n");
	report("whole ruleset", pull_l, pull_n, "nft -j list", runs);
	printf("reconcile: 1%% of the rules changed (higher ratio = reconcile "
	       "faster)\n");
	report("steady pass vs replace", st_l, rep2_l, "replace all",
	       2 * runs);
	report("cold pass (after a replace)", rec_l, rep_l, "replace all",
	       runs);
	printf("  %-34s linx %9.1f ms   %-22s %9.1f ms   ratio %.2fx\n",
	       "steady pass vs its patch alone", bench_median(st_l, 2 * runs),
	       "patch applied", bench_median(patch_l, runs),
	       bench_median(patch_l, runs) / bench_median(st_l, 2 * runs));
done:
	linx_nft_close(s);
	mnl_socket_close(f.nl);
	free(f.buf);
	linx_value_clear(&setv);
	linx_value_clear(&rulesv);
	linx_value_clear(&changedv);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	bench_sh(cmd);
	return 0;
}
