/* SPDX-License-Identifier: MIT */
/*
 * make-corpus DIR FILE.nft...: records real nf_tables messages as fuzz
 * seeds.  In a fresh network namespace it loads each file with `nft -f`,
 * then dumps tables, chains, rules, sets, set elements, objects and
 * flowtables with a raw netlink socket and writes every datagram the
 * kernel sends to DIR/<file>-<kind>-<n>.  Needs root.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20];

static void save(const char *dir, const char *base, const char *kind, int n,
		 const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%s-%d", dir, base, kind, n);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* One dump of `msg`, optionally narrowed to a table and set. */
static void dump(struct mnl_socket *nl, const char *dir, const char *base,
		 const char *kind, uint16_t msg, const char *table,
		 const char *set, uint8_t family)
{
	char req[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct nfgenmsg *g;
	uint32_t seq = (uint32_t)time(NULL), portid = mnl_socket_get_portid(nl);
	int n = 0, r;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	if (table)
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, table);
	if (set)
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, set);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("sendto");
		exit(1);
	}
	do {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (len < 0) {
			perror("recv");
			exit(1);
		}
		save(dir, base, kind, n++, buf, (size_t)len);
		r = mnl_cb_run(buf, (size_t)len, seq, portid, NULL, NULL);
	} while (r > 0);
}

static uint8_t family_num(const char *f)
{
	static const struct {
		const char *name;
		uint8_t num;
	} t[] = { { "ip", NFPROTO_IPV4 },     { "ip6", NFPROTO_IPV6 },
		  { "inet", NFPROTO_INET },   { "arp", NFPROTO_ARP },
		  { "bridge", NFPROTO_BRIDGE }, { "netdev", NFPROTO_NETDEV } };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].name, f) == 0)
			return t[i].num;
	return NFPROTO_UNSPEC;
}

/* The elements of every set nft lists (anonymous ones included). */
static void dump_elements(struct mnl_socket *nl, const char *dir,
			  const char *base)
{
	FILE *p = popen("nft -j list ruleset | jq -r '.nftables[] | "
			"select(.set or .map) | (.set // .map) | "
			"\"\\(.family) \\(.table) \\(.name)\"'",
			"r");
	char fam[16], table[256], set[256], kind[300];
	int n = 0;

	if (!p)
		return;
	while (fscanf(p, "%15s %255s %255s", fam, table, set) == 3) {
		snprintf(kind, sizeof(kind), "elems%d", n++);
		dump(nl, dir, base, kind, NFT_MSG_GETSETELEM, table, set,
		     family_num(fam));
	}
	pclose(p);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s DIR FILE.nft...\n", argv[0]);
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		perror("unshare");
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
		const char *base = strrchr(argv[i], '/');
		char cmd[1024];

		base = base ? base + 1 : argv[i];
		if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
			return 1;
		if (system("nft flush ruleset") != 0)
			return 1;
		snprintf(cmd, sizeof(cmd), "nft -f '%s' 2>/dev/null", argv[i]);
		if (system(cmd) != 0) {
			fprintf(stderr, "skipped (not accepted): %s\n", argv[i]);
			mnl_socket_close(nl);
			continue;
		}
		dump(nl, argv[1], base, "tables", NFT_MSG_GETTABLE, NULL, NULL,
		     NFPROTO_UNSPEC);
		dump(nl, argv[1], base, "chains", NFT_MSG_GETCHAIN, NULL, NULL,
		     NFPROTO_UNSPEC);
		dump(nl, argv[1], base, "rules", NFT_MSG_GETRULE, NULL, NULL,
		     NFPROTO_UNSPEC);
		dump(nl, argv[1], base, "sets", NFT_MSG_GETSET, NULL, NULL,
		     NFPROTO_UNSPEC);
		dump(nl, argv[1], base, "objs", NFT_MSG_GETOBJ, NULL, NULL,
		     NFPROTO_UNSPEC);
		dump(nl, argv[1], base, "flowtables", NFT_MSG_GETFLOWTABLE,
		     NULL, NULL, NFPROTO_UNSPEC);
		dump_elements(nl, argv[1], base);
		mnl_socket_close(nl);
	}
	return 0;
}
