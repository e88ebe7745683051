/* SPDX-License-Identifier: MIT */
/*
 * Rulesets nobody here wrote, both ways.  Every example nftables ships
 * (/usr/share/doc/nftables/examples) that this kernel accepts, and our
 * own corpus (rulesets/, covering the checklist), is loaded with `nft -f`
 * in one network namespace, pulled by Linx, pushed by Linx into a second
 * namespace, and the two compared by nftables itself: `nft -j list
 * ruleset` field by field (handles aside) and the bytecode `nft
 * --debug=netlink list ruleset` prints.  Then Linx pulls the copy and
 * must get the same value back.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nft-test.h"

/* Interfaces the examples name, as veth pairs in both namespaces, left
 * down: no traffic (IPv6 neighbour discovery) then moves the counters
 * of one namespace and not the other's. */
#define LINKS                                                                \
	"ip link add eth0 type veth peer name eth1 && "                      \
	"ip link add bond0 type veth peer name bond1 && "                    \
	"ip link add eth2 type veth peer name wlan0"

/* nft -j without what differs legitimately: handles, the metainfo, the
 * time left to elements.  No double quotes: it also runs inside
 * in_b()'s sh -c "...". */
#define NORMALIZE                                                            \
	"jq -S -c '[.nftables[] | select(.metainfo | not)] | "               \
	"del(..|.handle?) | del(..|.expires?)'"
/* The bytecode, without handles and blank lines. */
#define BYTECODE                                                             \
	"nft --debug=netlink list ruleset 2>&1 | sed -e 's/ handle [0-9]*//' " \
	"-e 's/__set[0-9]*/__set/g' -e 's/__map[0-9]*/__map/g' | "           \
	"grep -v '^$' | sed -E 's/ expires [0-9a-z]+//g' | sort"

static char *in_b(pid_t b, const char *cmd)
{
	return nt_sh_ok("nsenter -t %d -n sh -c \"%s\"", (int)b, cmd);
}

static struct linx_value strip_handles(const struct linx_value *v)
{
	struct linx_value out;

	if (v->type == LINX_MAP) {
		out = linx_value_map();
		for (uint32_t i = 0; i < v->len; i++) {
			struct linx_value c;

			if (strcmp(v->pairs[i].key, "handle") == 0 ||
			    strcmp(v->pairs[i].key, "use") == 0 ||
			    strcmp(v->pairs[i].key, "expires") == 0)
				continue;
			c = strip_handles(&v->pairs[i].value);
			linx_map_put(&out, v->pairs[i].key, &c);
		}
		return out;
	}
	if (v->type == LINX_LIST) {
		out = linx_value_list();
		for (uint32_t i = 0; i < v->len; i++) {
			struct linx_value c = strip_handles(&v->items[i]);

			linx_list_push(&out, &c);
		}
		return out;
	}
	linx_value_copy(&out, v);
	return out;
}

/* Load `path` in A, copy it through Linx to B, compare.  Returns false
 * when nft itself refuses the file here. */
static bool round_trip(struct linx_nft *a, struct linx_nft *b, pid_t bpid,
		       const char *dir, const char *file)
{
	struct linx_nft_push_opts o = { .mode = LINX_NFT_REPLACE };
	struct linx_error err = { 0 };
	struct linx_value va, vb, sa, sb;
	char *ja, *jb, *ca, *cb, *xa, *xb;
	int status;
	char *out;

	free(nt_sh_ok("nft flush ruleset"));
	free(in_b(bpid, "nft flush ruleset"));
	out = linx_test_sh(&status, "cd %s && nft -f %s 2>&1", dir, file);
	free(out);
	if (status != 0)
		return false;
	linx_assert_ok(linx_nft_pull(a, NULL, &va, NULL, &err), &err);
	if (linx_nft_push(b, &va, &o, NULL, &err) < 0) {
		char buf[2048];

		linx_error_format(&err, buf, sizeof(buf));
		ck_abort_msg("%s: push of the pulled ruleset: %s\n%s", file,
			     buf, nt_to_json(&va));
	}
	ja = nt_sh_ok("nft -j list ruleset | " NORMALIZE);
	jb = in_b(bpid, "nft -j list ruleset | " NORMALIZE);
	ck_assert_msg(strcmp(ja, jb) == 0, "%s: nft -j differs\nA: %s\nB: %s",
		      file, ja, jb);
	xa = nt_sh_ok(BYTECODE);
	xb = in_b(bpid, BYTECODE);
	ck_assert_msg(strcmp(xa, xb) == 0,
		      "%s: bytecode differs\nA:\n%s\nB:\n%s", file, xa, xb);
	linx_assert_ok(linx_nft_pull(b, NULL, &vb, NULL, &err), &err);
	sa = strip_handles(&va);
	sb = strip_handles(&vb);
	ca = nt_to_json(&sa);
	cb = nt_to_json(&sb);
	ck_assert_msg(strcmp(ca, cb) == 0, "%s: pulled values differ\nA: %s\nB: %s",
		      file, ca, cb);
	free(ja), free(jb), free(xa), free(xb), free(ca), free(cb);
	linx_value_clear(&va), linx_value_clear(&vb);
	linx_value_clear(&sa), linx_value_clear(&sb);
	return true;
}

/* `stride` > 1 takes one file in that many (by name order). */
static void corpus(const char *dir, int min_accepted, int stride)
{
	struct linx_nft *a = nt_setup(), *b = NULL;
	struct linx_ns_target t;
	struct linx_error err = { 0 };
	struct dirent **names;
	pid_t bpid;
	bool links;
	int n, accepted = 0;

	nt_require_oracle();
	linx_test_require(linx_test_have("nsenter"), "nsenter not on PATH");
	/* Without veth, the rulesets naming devices are not accepted here
	 * and the others still run. */
	links = linx_test_link_kind_supported("veth");
	if (links)
		free(nt_sh_ok(LINKS));
	bpid = linx_test_spawn_in_ns(CLONE_NEWNET);
	if (links)
		free(in_b(bpid, LINKS));
	t = (struct linx_ns_target){ .kind = LINX_NS_TARGET_PID, .pid = bpid };
	linx_assert_ok(linx_nft_open(&t, &b, &err), &err);
	n = scandir(dir, &names, NULL, alphasort);
	linx_test_require(n > 0, "no rulesets in %s", dir);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".nft") == 0 &&
		    i % stride == 0) {
			bool ok = round_trip(a, b, bpid, dir, names[i]->d_name);

			fprintf(stderr, "%s %s\n", ok ? "round trip:" :
							"not accepted here:",
				names[i]->d_name);
			accepted += ok;
		}
		free(names[i]);
	}
	free(names);
	ck_assert_int_ge(accepted, min_accepted);
	linx_nft_close(b);
	linx_nft_close(a);
	linx_test_reap(bpid);
}

START_TEST(nftables_examples)
{
	linx_test_require(access("/usr/share/doc/nftables/examples", R_OK) == 0,
			  "nftables' examples are not installed");
	/* The VM lane (a second kernel, under emulation, several times
	 * slower) takes one example in three; the host sweeps them all. */
	const char *lane = getenv("LINX_TEST_LANE");
	bool vm = lane && strcmp(lane, "vm") == 0;

	corpus("/usr/share/doc/nftables/examples", vm ? 4 : 15, vm ? 3 : 1);
}
END_TEST

START_TEST(our_corpus)
{
	corpus(RULESETS_DIR, 4, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nft-roundtrip");
	TCase *tc = tcase_create("roundtrip");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, nftables_examples);
	tcase_add_test(tc, our_corpus);
	suite_add_tcase(s, tc);
	return linx_test_run_suite(s);
}
