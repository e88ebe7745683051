/* SPDX-License-Identifier: MIT */
/*
 * The nftables language against nftables itself, file by file: our
 * corpus (lang/) and every example nftables ships.
 *   - `nft -c -f FILE` and linx_nft_parse_file() + validate agree on
 *     accept or reject (Linx may refuse a feature it names as
 *     unsupported; it may accept includes nft cannot resolve, since it
 *     resolves them relative to the including file);
 *   - FILE loaded with `nft -f` into one fresh network namespace and with
 *     `linx nft load` into another gives the same `nft --debug=netlink
 *     list ruleset` (the bytecode) and the same `nft -j list ruleset`;
 *   - `linx nft show` of the second, loaded with `nft -f` into a third,
 *     gives the same again.
 * Every namespace is made with `unshare -rn`, never the host's.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nft-test.h"

/* check(3) drops a failure message longer than a few KB ("Message string
 * too long"): the command output goes to stderr, the assertion keeps a
 * short message. `cond` is evaluated once. */
#define CHECK_OR_DUMP(cond, output, ...)                                     \
	do {                                                                 \
		bool ok_ = (cond);                                           \
		if (!ok_)                                                    \
			fprintf(stderr, "=== output\n%s\n", (output));        \
		ck_assert_msg(ok_, __VA_ARGS__);                             \
	} while (0)


#ifndef LINX_CLI
#error LINX_CLI must name the built linx binary
#endif
#ifndef NFT_PLUGIN_DIR
#error NFT_PLUGIN_DIR must name the directory of the built nft.so
#endif
#ifndef LANG_DIR
#error LANG_DIR must name tests/plugins/nft/lang
#endif
#define EXAMPLES "/usr/share/doc/nftables/examples"

/* nft -j without handles and metainfo, keys sorted. */
#define JSON_NORM                                                           \
	"nft -j list ruleset | jq -S -c '[.nftables[] | "                    \
	"select(.metainfo | not)] | walk(if type == \"object\" then "       \
	"del(.handle) else . end) | sort'"
#define BYTECODE                                                            \
	"nft --debug=netlink list ruleset 2>&1 | sed -e 's/ handle [0-9]*//' " \
	"-e 's/__set[0-9]*/__set/g' -e 's/__map[0-9]*/__map/g' | grep -v '^$' | " \
	"sed -E 's/^((ip|ip6|inet|arp|bridge|netdev) [^ ]+ [^ ]+)( [0-9]+)+$/\\1/' | " \
	NT_RANGE_AS_CMPS

/* Run `sh -c cmd` in a fresh user+network namespace; stdout+stderr into
 * *out (malloc'd); returns the exit status. */
static int in_netns(char **out, const char *cmd)
{
	char *full = NULL, tmpl[] = "/tmp/linx-lang-kXXXXXX",
	     script[] = "/tmp/linx-lang-sXXXXXX";
	int fd = mkstemp(tmpl), sfd = mkstemp(script), st;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(sfd, 0);
	close(fd);
	/* the commands go in a script: no quoting through sh -c */
	ck_assert_int_eq(write(sfd, cmd, strlen(cmd)), (ssize_t)strlen(cmd));
	close(sfd);
	/* as root a plain new netns (nft raises its socket buffers with
	 * SO_SNDBUFFORCE, which a user namespace does not allow) */
	ck_assert_int_ge(asprintf(&full, "unshare %s -- sh -e %s > %s 2>&1",
				  geteuid() == 0 ? "-n" : "-rn", script, tmpl),
			 0);
	st = system(full);
	free(full);
	unlink(script);
	FILE *f = fopen(tmpl, "r");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	for (size_t k; f && (k = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
		n += k;
		if (n + 1 == cap) {
			buf = realloc(buf, cap *= 2);
			ck_assert_ptr_nonnull(buf);
		}
	}
	buf[n] = 0;
	if (f)
		fclose(f);
	unlink(tmpl);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bytecode listing with the elements of each set in sorted order: a
 * hash set lists them in its hash order, which its random seed decides. */
static char *sort_elements(const char *in)
{
	size_t n = strlen(in), k = 0, cap = 1024, m = 0;
	char *work = strdup(in), *out = malloc(n + 2), **lines;

	ck_assert(work && out);
	lines = malloc(cap * sizeof(*lines));
	/* one element per line */
	for (char *p = work; (p = strstr(p, "]\telement"));)
		p[1] = '\n', p += 2;
	for (char *s = strtok(work, "\n"); s; s = strtok(NULL, "\n")) {
		if (k == cap)
			lines = realloc(lines, (cap *= 2) * sizeof(*lines));
		lines[k++] = s;
	}
	for (size_t i = 0; i < k;) {
		size_t j = i;
		while (j < k && strstr(lines[j], "element ") &&
		       (lines[j][0] == '\t' || lines[j][0] == 'e'))
			j++;
		if (j > i) {
			qsort(lines + i, j - i, sizeof(*lines), cmp_str);
			for (; i < j; i++) {
				const char *l = lines[i] + (lines[i][0] == '\t');
				m += (size_t)sprintf(out + m, "\t%s\n", l);
			}
		} else {
			m += (size_t)sprintf(out + m, "%s\n", lines[i++]);
		}
	}
	out[m] = 0;
	free(lines);
	free(work);
	return out;
}

static char *sort_lines(const char *in)
{
	char *e = sort_elements(in), **lines = NULL, *out;
	size_t k = 0, cap = 0, m = 0;

	for (char *s = strtok(e, "\n"); s; s = strtok(NULL, "\n")) {
		if (k == cap)
			lines = realloc(lines, (cap = cap ? cap * 2 : 1024) *
						       sizeof(*lines));
		lines[k++] = s;
	}
	qsort(lines, k, sizeof(*lines), cmp_str);
	out = malloc(strlen(in) + k + 2);
	for (size_t i = 0; i < k; i++)
		m += (size_t)sprintf(out + m, "%s\n", lines[i]);
	out[m] = 0;
	free(lines);
	free(e);
	return out;
}

struct tally {
	unsigned files, both_ok, both_refused, linx_unsupported, linx_only;
	unsigned kernel_lacks; /* nft's text is fine, this kernel refuses */
};

/* Whether nft -c's output says the kernel, not the language, refused
 * (a module this machine lacks: bridge meta keys, queue, flowtables). */
static bool kernel_refused(const char *out)
{
	return strstr(out, "Could not process rule: Operation not supported") ||
	       strstr(out, "Could not process rule: No such file or directory");
}

/* A secmark object needs an LSM that resolves its context (SELinux):
 * whether this machine has one, probed once.  No kernel of ours is
 * promised one, the VM lane's included, so a file that declares such an
 * object skips without it even where skips are failures. */
static bool secmark_works(void)
{
	static int known = -1;

	if (known < 0) {
		char *out = NULL;
		known = in_netns(&out, "nft add table ip linx_probe\n"
				       "nft add secmark ip linx_probe s '{ "
				       "\"system_u:object_r:ssh_server_packet_t:"
				       "s0\" }'\n") == 0;
		free(out);
	}
	return known;
}

/* Whether the file at path declares a secmark object. */
static bool declares_secmark(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		const char *l = line + strspn(line, " \t");
		found = strncmp(l, "secmark ", 8) == 0;
	}
	if (f)
		fclose(f);
	return found;
}

static void one_file(const char *path, struct tally *t)
{
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	char *out, *a, *b, *c, *ja, *jb;
	char cmd[4096];
	int linx_ok, nft_ok;

	/* Files where nft 1.1 (Debian 13) loads differently from nft 1.0.6
	 * (Debian 12), which Linx follows: a meter is a named dynamic set
	 * and `update @set` there, an anonymous set bound to the rule here;
	 * a UDP port write updates the checksum through the pseudo-header
	 * flag there, with an inet checksum at offset 6 here (writes.nft,
	 * write-exprs.nft); and an hour or day range across midnight or the
	 * week's end is refused there, and the rest of it, negated, here
	 * (time-wrap.nft). */
	if ((strstr(path, "/meter.nft") || strstr(path, "/writes.nft") ||
	     strstr(path, "/write-exprs.nft") ||
	     strstr(path, "/time-wrap.nft") ||
	     strstr(path, "/legacy-dynset.nft")) &&
	    system("nft --version | grep -q ' v1\\.0\\.'") != 0) {
		fprintf(stderr, "SKIP %s: nft is not 1.0.x, whose "
				"bytecode this file follows\n",
			path);
		return;
	}
	t->files++;
	linx_ok = linx_nft_parse_file(path, NULL, &rs, &pe, &err) == 0 &&
		  linx_nft_validate(&rs, &err) == 0;
	linx_value_clear(&rs);
	snprintf(cmd, sizeof(cmd), "cd /tmp && nft -c -f %s", path);
	nft_ok = in_netns(&out, cmd) == 0;
	if (linx_ok && !nft_ok && declares_secmark(path) && !secmark_works()) {
		fprintf(stderr, "SKIP %s: no LSM here resolves a secmark "
				"context (nft -c refuses it too)\n",
			path);
		free(out);
		t->kernel_lacks++;
		return;
	}
	if (linx_ok && !nft_ok && kernel_refused(out) && !linx_test_no_skip()) {
		fprintf(stderr, "SKIP %s: this kernel refuses it, nft's text "
				"is fine (the VM lane runs it)\n",
			path);
		free(out);
		t->kernel_lacks++;
		return;
	}
	free(out);
	if (!linx_ok && !nft_ok) {
		t->both_refused++;
		return;
	}
	if (!linx_ok) {
		ck_assert_msg(strstr(err.message, "unsupported feature") ||
				      strstr(err.message, "interface does not "
							  "exist"),
			      "%s: nft accepts it, Linx refuses: %s", path,
			      err.message);
		fprintf(stderr, "  %s: %s\n", path, err.message);
		t->linx_unsupported++;
		return;
	}
	if (!nft_ok) {
		/* nft resolves includes on its include path, Linx relative to
		 * the including file */
		FILE *f = fopen(path, "r");
		char line[512];
		bool includes = false;
		while (f && fgets(line, sizeof(line), f))
			includes = includes || strncmp(line, "include", 7) == 0;
		if (f)
			fclose(f);
		ck_assert_msg(includes, "%s: Linx accepts it, nft -c refuses", path);
		t->linx_only++;
		return;
	}
	t->both_ok++;
	snprintf(cmd, sizeof(cmd),
		 "cd /tmp && nft -f %s && " BYTECODE " && echo ==== && " JSON_NORM "\n",
		 path);
	CHECK_OR_DUMP(in_netns(&a, cmd) == 0, a, "%s: nft -f failed", path);
	snprintf(cmd, sizeof(cmd),
		 "%s nft load %s && " BYTECODE " && echo ==== && " JSON_NORM
		 " && echo ==== && %s nft show\n",
		 LINX_CLI, path, LINX_CLI);
	CHECK_OR_DUMP(in_netns(&b, cmd) == 0, b, "%s: linx nft load failed",
		      path);
	/* split off the shown text */
	char *shown = strstr(b, "====");
	shown = shown ? strstr(shown + 4, "====") : NULL;
	ck_assert_ptr_nonnull(shown);
	*shown = 0;
	shown += 5;
	char tmpl[] = "/tmp/linx-lang-showXXXXXX";
	int fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, shown, strlen(shown)), (ssize_t)strlen(shown));
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "nft -f %s && " BYTECODE " && echo ==== && " JSON_NORM "\n",
		 tmpl);
	int st = in_netns(&c, cmd);
	if (st != 0)
		fprintf(stderr, "=== linx nft show\n%s\n", shown);
	CHECK_OR_DUMP(st == 0, c, "%s: nft -f of linx nft show failed", path);
	unlink(tmpl);
	ja = sort_elements(a);
	jb = sort_elements(b);
	if (strcmp(ja, jb) != 0)
		fprintf(stderr, "=== nft -f\n%s\n=== linx nft load\n%s\n", ja, jb);
	ck_assert_msg(strcmp(ja, jb) == 0, "%s: nft -f and linx nft load differ",
		      path);
	free(jb);
	/* the text lists tables in (family, name) order, so nft creates
	 * them in that order: compare the lines, not their order */
	free(ja);
	ja = sort_lines(a);
	jb = sort_lines(c);
	if (strcmp(ja, jb) != 0)
		fprintf(stderr, "=== nft -f\n%s\n=== shown, reloaded\n%s\n", ja, jb);
	ck_assert_msg(strcmp(ja, jb) == 0,
		      "%s: linx nft show reloaded by nft -f differs", path);
	free(ja);
	free(jb);
	free(a);
	free(b);
	free(c);
	/* reconcile: the file against what loading it left in the kernel
	 * is no change at all (nothing recreated on a steady pass) */
	snprintf(cmd, sizeof(cmd),
		 "%s nft load %s && %s call nft.parse path=%s | "
		 "jq -c '.ruleset // .' > %s.want && %s nft diff --pulled %s.want; "
		 "rm -f %s.want\n",
		 LINX_CLI, path, LINX_CLI, path, tmpl, LINX_CLI, tmpl, tmpl);
	CHECK_OR_DUMP(in_netns(&a, cmd) == 0, a, "%s: diff failed", path);
	CHECK_OR_DUMP(strstr(a, "{\"ops\":[]}") != NULL, a,
		      "%s: a reconcile against its own load changes", path);
	free(a);
}

static void run_dir(const char *dir, struct tally *t)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];

	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".nft") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		one_file(path, t);
	}
	closedir(d);
}

static void require_tools(void)
{
	linx_test_require(system("command -v nft >/dev/null && command -v jq "
				 ">/dev/null") == 0,
			  "nft and jq are needed on PATH");
	linx_test_require(system(geteuid() == 0
					 ? "unshare -n -- nft list ruleset "
					   ">/dev/null 2>&1"
					 : "unshare -rn -- nft list ruleset "
					   ">/dev/null 2>&1") == 0,
			  "unshare -rn with nft does not work here");
}

START_TEST(our_corpus_both_ways)
{
	struct tally t = { 0 };

	run_dir(LANG_DIR, &t);
	fprintf(stderr, "corpus: %u files, %u identical both ways, %u this "
			"kernel refuses\n",
		t.files, t.both_ok, t.kernel_lacks);
	ck_assert_uint_eq(t.both_ok + t.kernel_lacks, t.files);
}
END_TEST

START_TEST(nftables_examples_both_ways)
{
	struct tally t = { 0 };

	run_dir(EXAMPLES, &t);
	fprintf(stderr,
		"examples: %u files: %u identical both ways, %u refused by "
		"both, %u refused by Linx as unsupported, %u only Linx "
		"resolves (includes)\n",
		t.files, t.both_ok, t.both_refused, t.linx_unsupported,
		t.linx_only);
}
END_TEST

/* A generated blocklist of 10,000 intervals, both ways. */
START_TEST(ten_thousand_intervals)
{
	struct tally t = { 0 };
	char path[] = "/tmp/linx-lang-blockXXXXXX";
	int fd;
	FILE *f;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fprintf(f, "table inet block {\n set bad {\n  type ipv4_addr\n"
		   "  flags interval\n  elements = {\n");
	for (unsigned i = 0; i < 10000; i++)
		fprintf(f, "   10.%u.%u.0/%u,\n", i / 200, (i % 200),
			i % 2 ? 24 : 25);
	fprintf(f, "   192.168.0.1-192.168.0.9 }\n }\n"
		   " chain input {\n  type filter hook input priority 0\n"
		   "  ip saddr @bad drop\n }\n}\n");
	fclose(f);
	one_file(path, &t);
	unlink(path);
	ck_assert_uint_eq(t.both_ok, 1);
}
END_TEST

/* Broken inputs where nft -c -f reports a position: Linx reports the
 * same line and column (nft's messages differ in wording). */
static const char *const broken[] = {
	"table inet t {\n  chain c {\n    tcp dport ? accept\n  }\n}\n",
	"table inet t {\n chain c {\n  tcp dprt 22\n }\n}\n",
	"table inet t {\n chain c {\n  ip saddr 10.0.0.1/33 drop\n }\n}\n",
	"table inet t {\n chain c {\n  iifname \"eth0 drop\n }\n}\n",
	"table inet t {\n chain c {\n  accept drop\n }\n}\n",
	"table inet t {\n chain c {\n  ip saddr 10.0.0.1 ip6 daddr ::1\n }\n}\n",
	"table inet t {\n chain c {\n  jump\n }\n}\n",
	"table inet t {\n chain c {\n  tcp dport 70000\n }\n}\n",
	"table inet t {\n chain c {\n",
	"table ip t {\n set s {\n  type ipv4_addr\n  elements = { 10.0.0.0/8 }\n"
	" }\n}\n",
	"table ip t {\n chain c {\n  type filter hook input priority 0; "
	"policy allow;\n }\n}\n",
	"table ip t {\n chain c {\n  meta mark set\n }\n}\n",
	"table ip t {\n chain c {\n  log prefix\n }\n}\n",
	"table ip t {\n chain c {\n  ip saddr 1.2.3.4 ip protocol 300\n }\n}\n",
	"table ip t {\n chain c {\n  udp dport 53 counter drop accept\n }\n}\n",
	"table ip t {\n chain c {\n  meta skuid linx-no-such-user\n }\n}\n",
	"table ip t {\n chain c {\n  meta skgid { root, linx-no-such-group }\n"
	" }\n}\n",
	"define p = 1\ntable ip t {\n define p = 2\n}\n",
	"table ip t {\n chain c {\n  jump c*\n }\n}\n",
	"table ip t {\n include \"/dev/null\" }\n",
	"table ip t {\n set s {\n  type mark\n  define p = 1 }\n}\n",
	/* a dotted quad with an octet above 255: nft tries it as a host
	 * name, at its start */
	"table ip t {\n chain c {\n  ip saddr 10.0.0.300 accept\n }\n}\n",
	/* a reversed range, at its start; a keyword for an interface */
	"table inet t {\n chain c {\n  tcp dport 22-21 accept\n }\n}\n",
	"table inet t {\n chain c {\n  tcp dport { 1, 22-21 } accept\n }\n}\n",
	"table inet t {\n chain c {\n  iifname eth0 oifname accept\n }\n}\n",
	/* a misspelt word: nft takes it for a symbol that a value may follow */
	"table inet t {\n chain c {\n  tcp dport 22 acept\n }\n}\n",
	"table inet t {\n chain c {\n  tcp dport 22 acept drop\n }\n}\n",
	"table inet t {\n chain c {\n  ip saddr 10.0.0.1 dorp counter\n }\n}\n",
	"table inet t {\n chain c {\n  iif lo acpt 1\n }\n}\n",
	/* an unknown priority name: at `priority` */
	"table inet t {\n chain c {\n  type filter hook input priority foo\n"
	" }\n}\n",
	/* a misspelt command word: nft reads it as a table name */
	"tabel inet t {\n}\n",
	/* an empty define: at the end of its line */
	"define x = \ntable inet t {\n}\n",
	/* an undefined variable: at its name, past the '$' */
	"table inet t {\n chain c {\n  tcp dport $nosuch accept\n }\n}\n",
	"table inet t {\n chain c {\n  jump $nosuch\n }\n}\n",
	/* a bare list of what is not a bitmask: refused at its first value */
	"table inet t {\n chain c {\n  tcp dport 22, 80 accept\n }\n}\n",
	"table ip t {\n chain c {\n  ip saddr 1.1.1.1, 2.2.2.2 drop\n }\n}\n",
	"table ip t {\n chain c {\n  meta mark != 1,2 drop\n }\n}\n",
	"table ip t {\n chain c {\n  iifname \"a\", \"b\" drop\n }\n}\n",
	/* flow offload: the word after flow, then the @ */
	"table ip t {\n chain c {\n  flow @ft\n }\n}\n",
	"table ip t {\n chain c {\n  flow add ft\n }\n}\n",
	"table ip t {\n chain c {\n  flow\n }\n}\n",
	"table ip t {\n chain c {\n  tcp dport 22 acept flow add @ft\n }\n}\n",
	/* a lookup in a set of another type: at the reference */
	"table ip t {\n set sp { type inet_service; }\n chain c {\n"
	"  ip saddr @sp accept\n }\n}\n",
	"table ip t {\n map mv { type ipv4_addr : verdict; }\n chain c {\n"
	"  tcp dport vmap @mv\n }\n}\n",
	"table ip t {\n set c2 { type ipv4_addr . inet_service; }\n"
	" chain c {\n  tcp dport . ip saddr @c2\n }\n}\n",
	"table ip t {\n set c2 { type ipv4_addr . inet_service; }\n"
	" chain c {\n  ip saddr @c2\n }\n}\n",
	"table inet t {\n set s4 { type ipv4_addr; }\n chain c {\n"
	"  ip6 saddr @s4\n }\n}\n",
	/* a verdict is no define's value; a variable's name runs on
	 * through '-' (nft's `$low-` in `$low-$high`) */
	"define v = accept\ntable inet t {\n}\n",
	"define low = 1\ntable inet t {\n chain c {\n  tcp dport $low-2 accept"
	"\n }\n}\n",
	/* a jump to a base chain, which the kernel refuses: at the name */
	"table inet t {\n chain c { type filter hook input priority 0; }\n"
	" chain d { jump c; }\n}\n",
	/* nat outside ip, ip6 and inet: at the statement */
	"table bridge t {\n chain c {\n  masquerade\n }\n}\n",
	"table netdev t {\n chain c {\n  udp dport 67 redirect\n }\n}\n",
	"table arp t {\n chain c {\n  redirect to :80\n }\n}\n",
	/* (a ct port without the transport protocol is refused by nft
	 * 1.0.6 and Linx, taken by nft 1.1: test-lang.c checks it) */
	/* conflicting network protocols: at the ct expression */
	"table ip t {\n chain c {\n  ct reply ip6 saddr ::1\n }\n}\n",
	/* a set from another type: at the source (nft's datatype
	 * mismatch), a bare meta key too */
	"table ip t {\n chain c {\n  ct mark set ct status\n }\n}\n",
	"table ip t {\n chain c {\n  meta priority set meta mark\n }\n}\n",
	"table ip t {\n chain c {\n  ct zone set meta mark\n }\n}\n",
	/* queue: fanout to one queue; arguments out of nft's grammar */
	"table ip t {\n chain c {\n  queue fanout num 1\n }\n}\n",
	"table ip t {\n chain c {\n  queue flags fanout to 1\n }\n}\n",
	"table ip t {\n chain c {\n  queue num 1 to 3\n }\n}\n",
	"table ip t {\n chain c {\n  queue flags bypass\n }\n}\n",
	"table ip t {\n chain c {\n  queue num 1-2 flags bypass\n }\n}\n",
	/* icmpx in an ip or ip6 table: at the code */
	"table ip t {\n chain c {\n  reject with icmpx admin-prohibited\n"
	" }\n}\n",
	"table ip6 t {\n chain c {\n  tcp dport 1 reject with icmpx type 3\n"
	" }\n}\n",
};

START_TEST(error_positions_match_nft)
{
	char path[] = "/tmp/linx-lang-badXXXXXX", cmd[256], *out;
	int fd = mkstemp(path);
	struct linx_value rs;
	struct linx_nft_parse_error pe;
	struct linx_error err;
	unsigned line = 0, col = 0;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, broken[_i], strlen(broken[_i])),
			 (ssize_t)strlen(broken[_i]));
	close(fd);
	snprintf(cmd, sizeof(cmd), "nft -c -f %s", path);
	ck_assert_msg(in_netns(&out, cmd) != 0, "nft accepts %s", broken[_i]);
	const char *at = strstr(out, path);
	ck_assert_msg(at && sscanf(at + strlen(path), ":%u:%u", &line, &col) == 2,
		      "no position from nft: %s", out);
	/* as `linx nft check` parses: a whole ruleset, as nft -c reads it */
	const struct linx_nft_parse_opts whole = { .check_refs = true,
						   .no_holes = true };
	ck_assert_int_eq(linx_nft_parse_file(path, &whole, &rs, &pe, &err),
			 -EINVAL);
	fprintf(stderr, "nft %u:%u  linx %u:%u %s\n", line, col, pe.line,
		pe.column, pe.message);
	ck_assert_msg(pe.line == line && pe.column == col,
		      "%s\nnft: %s\nlinx: %u:%u %s", broken[_i], out, pe.line,
		      pe.column, pe.message);
	free(out);
	unlink(path);
}
END_TEST

/* The CLI: exit codes and messages in the style of nft -f, and the
 * subcommands that talk to the kernel. */
START_TEST(cli_subcommands)
{
	char path[] = "/tmp/linx-lang-cliXXXXXX", cmd[4096], *out;
	int fd = mkstemp(path);
	const char *good = "table inet web {\n chain input {\n"
			   "  type filter hook input priority 0; policy accept;\n"
			   "  tcp dport 80 accept comment \"tag:http\"\n }\n}\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, good, strlen(good)), (ssize_t)strlen(good));
	close(fd);
	/* check and format need no kernel */
	snprintf(cmd, sizeof(cmd), "%s nft check %s && %s nft format %s", LINX_CLI,
		 path, LINX_CLI, path);
	ck_assert_msg(in_netns(&out, cmd) == 0, "%s", out);
	ck_assert_msg(strstr(out, "    tcp dport 80 accept comment \"tag:http\"\n"),
		      "%s", out);
	free(out);
	/* load, show, diff-text, apply-text */
	snprintf(cmd, sizeof(cmd),
		 "%s nft load %s\n"
		 "%s nft show\n"
		 "sed -i 's/dport 80/dport 8080/' %s\n"
		 "echo ==== diff\n"
		 "%s nft diff-text %s\n"
		 "%s nft apply-text %s\n"
		 "echo ==== after\n"
		 "nft list ruleset\n",
		 LINX_CLI, path, LINX_CLI, path, LINX_CLI, path, LINX_CLI, path);
	ck_assert_msg(in_netns(&out, cmd) == 0, "%s", out);
	ck_assert_msg(strstr(out, "table inet web {") &&
			      strstr(out, "-    tcp dport 80 accept comment "
					  "\"tag:http\"") &&
			      strstr(out, "+    tcp dport 8080 accept comment "
					  "\"tag:http\"") &&
			      strstr(strstr(out, "==== after"),
				     "tcp dport 8080 accept comment \"tag:http\""),
		      "%s", out);
	free(out);
	/* a syntax error: exit 1, nft's layout with the caret */
	fd = open(path, O_WRONLY | O_TRUNC);
	const char *bad = "table ip t {\n chain c {\n  tcp dport ? accept\n";
	ck_assert_int_eq(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s nft load %s", LINX_CLI, path);
	ck_assert_int_eq(in_netns(&out, cmd), 1);
	ck_assert_msg(strstr(out, ":3:13: Error: unexpected character '?'\n"
				  "  tcp dport ? accept\n"
				  "            ^\n"),
		      "%s", out);
	free(out);
	/* interface names are the target namespace's: lxd0 is there only
	 * (index 5 behind two veth pairs), as nft run inside it sees it */
	fd = open(path, O_WRONLY | O_TRUNC);
	const char *iif = "table ip t {\n chain c {\n  iif \"lxd0\" accept\n"
			  "  oif \"lo\" accept\n  iif 99 drop\n"
			  "  fib daddr oif { \"lxd0\", 99 } drop\n }\n}\n";
	ck_assert_int_eq(write(fd, iif, strlen(iif)), (ssize_t)strlen(iif));
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "unshare -n sh -c 'ip link add lxa type veth peer name lxb &&"
		 " ip link add lxd0 type veth peer name lxd1 && exec sleep 60' &\n"
		 "P=$!; while [ \"$(nsenter -t $P -n ip -o link | wc -l)\" -lt 5 ];"
		 " do sleep 0.05; done\n"
		 "%s nft load %s --netns $P || echo LOAD FAILED\n"
		 "nsenter -t $P -n nft list ruleset\n"
		 "nsenter -t $P -n nft --debug=netlink list ruleset | grep cmp\n"
		 "echo ==== shown\n"
		 "%s nft show --netns $P\n"
		 "kill $P\n"
		 "echo ==== here\n"
		 "%s nft load --check %s\n",
		 LINX_CLI, path, LINX_CLI, LINX_CLI, path);
	ck_assert_int_eq(in_netns(&out, cmd), 1);
	/* show prints the names nft prints, from the namespace it pulled
	 * from; an index without an interface stays a number, as in nft */
	const char *shown = strstr(out, "==== shown");
	ck_assert_msg(!strstr(out, "LOAD FAILED") &&
			      strstr(out, "iif \"lxd0\" accept") &&
			      strstr(out, "oif \"lo\" accept") &&
			      strstr(out, "cmp eq reg 1 0x00000005") && shown &&
			      strstr(shown, "    iif \"lxd0\" accept\n") &&
			      strstr(shown, "    oif \"lo\" accept\n") &&
			      strstr(shown, "    iif 99 drop\n") &&
			      strstr(shown, "    fib daddr oif { \"lxd0\", 99 } "
					    "drop\n") &&
			      strstr(strstr(out, "==== here"),
				     "interface does not exist: lxd0"),
		      "%s", out);
	free(out);
	/* without a namespace (format reads no kernel) indexes stay numbers,
	 * though lo is 1 here too */
	fd = open(path, O_WRONLY | O_TRUNC);
	const char *num = "table ip t {\n chain c {\n  iif 1 accept\n }\n}\n";
	ck_assert_int_eq(write(fd, num, strlen(num)), (ssize_t)strlen(num));
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s nft format %s", LINX_CLI, path);
	ck_assert_msg(in_netns(&out, cmd) == 0, "%s", out);
	ck_assert_msg(strstr(out, "    iif 1 accept\n"), "%s", out);
	free(out);
	/* usage errors: exit 2 */
	snprintf(cmd, sizeof(cmd), "%s nft load /nonexistent.nft", LINX_CLI);
	ck_assert_int_eq(in_netns(&out, cmd), 2);
	free(out);
	snprintf(cmd, sizeof(cmd), "%s nft format", LINX_CLI);
	ck_assert_int_eq(in_netns(&out, cmd), 2);
	free(out);
	snprintf(cmd, sizeof(cmd), "%s nft show extra", LINX_CLI);
	ck_assert_int_eq(in_netns(&out, cmd), 2);
	free(out);
	unlink(path);
}
END_TEST

int main(void)
{
	require_tools();
	setenv("LINX_PLUGIN_PATH", NFT_PLUGIN_DIR, 1);
	Suite *su = suite_create("nft-lang-kernel");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, our_corpus_both_ways);
	tcase_add_test(tc, nftables_examples_both_ways);
	tcase_add_test(tc, ten_thousand_intervals);
	tcase_add_test(tc, cli_subcommands);
	tcase_add_loop_test(tc, error_positions_match_nft, 0,
			    sizeof(broken) / sizeof(broken[0]));
	suite_add_tcase(su, tc);
	return linx_test_run_suite(su);
}
