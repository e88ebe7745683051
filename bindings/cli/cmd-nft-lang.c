/* SPDX-License-Identifier: MIT */
/*
 * linx nft SUBCOMMAND for rulesets written in nftables' own language
 * (docs/nft/lang.md), beside cmd-nft.c's JSON subcommands:
 *
 *   load FILE [--netns T] [--check]   parse, validate, push (replace)
 *   check FILE                        parse and validate (= load --check)
 *   apply-text FILE [--netns T]       parse, push in reconcile mode
 *   diff-text FILE [--netns T]        the live tables of FILE against FILE,
 *                                     as a line diff of canonical text
 *   show [--netns T]                  pull and print as nftables text
 *   format FILE|-                     print FILE in the canonical layout
 *
 * cli_cmd_nft() hands these names to cli_cmd_nft_lang() (the hook is
 * cli_nft_lang_sub()).  Messages follow `nft -f`: a syntax error prints
 * "FILE:LINE:COL: Error: MESSAGE", the source line and a caret, and
 * exits 1; a usage error exits 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct lang_cmd {
	struct cli *cli;
	char what[32];
	const char *netns;
	bool check;
};

static const char *const lang_subs[] = { "load", "check", "apply-text",
					 "diff-text", "show", "format", NULL };

bool cli_nft_lang_sub(const char *name)
{
	for (size_t i = 0; lang_subs[i]; i++)
		if (strcmp(lang_subs[i], name) == 0)
			return true;
	return false;
}

static int usage(struct lang_cmd *c, const char *fmt, ...)
	LINX_PRINTF(2, 3);
static int usage(struct lang_cmd *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error(c->what, "%s", msg);
	return CLI_EXIT_USAGE;
}

/* Call `verb` with `args` (cleared afterwards).  `rs`, unless NULL, is
 * lent to the argument map as "ruleset" and taken back after the call: a
 * ruleset of 10,000 rules is not copied for a verb that only reads it. */
static int call_lending(struct lang_cmd *c, const char *verb,
			struct linx_value *args, struct linx_value *rs,
			struct linx_value *ret, struct linx_error *err)
{
	const struct linx_verb *v;
	int r;

	*ret = linx_value_nil();
	if (linx_registry_find(c->cli->reg, verb, &v, err) < 0) {
		linx_value_clear(args);
		return -ENOENT;
	}
	r = rs ? linx_map_put(args, "ruleset", rs) : 0;
	if (r < 0) {
		linx_error_set(err, -r, verb, "the ruleset cannot be passed "
			       "on (%s)", strerror(-r));
	} else {
		r = linx_call_verb(v, args, ret, 0, err);
		if (rs)
			linx_map_take(args, "ruleset", rs);
	}
	linx_value_clear(args);
	return r;
}

static int call(struct lang_cmd *c, const char *verb, struct linx_value *args,
		struct linx_value *ret, struct linx_error *err)
{
	return call_lending(c, verb, args, NULL, ret, err);
}

/* The argument map of `verb` with --netns typed by the verb's schema (a
 * pid is an integer, a path a string), as on the command line. */
static struct linx_value args_netns(struct lang_cmd *c, const char *verb)
{
	struct linx_value a = linx_value_map();
	const struct linx_verb *v;
	struct linx_error err;
	char *arg = NULL;

	if (!c->netns || linx_registry_find(c->cli->reg, verb, &v, &err) < 0)
		return a;
	if (asprintf(&arg, "netns=%s", c->netns) >= 0 &&
	    cli_args_parse(c->cli, v, 1, &arg, &a) != 0) {
		linx_value_clear(&a);
		a = linx_value_map();
		linx_map_put_cstring(&a, "netns", c->netns);
	}
	free(arg);
	return a;
}

/* "FILE:LINE:COL: msg" with the line of FILE and a caret, as nft does. */
static void report_parse(struct lang_cmd *c, const char *path,
			 const struct linx_error *err)
{
	unsigned line = 0, col = 0;
	const char *m = err->message;
	const char *p = strstr(m, ": ");
	char *text = NULL;
	size_t len = 0;

	/* the message is "file:line:col: text"; the file may contain ':' */
	while (p) {
		const char *q = p;
		while (q > m && q[-1] != ':')
			q--;
		const char *r = q > m ? q - 1 : q;
		while (r > m && r[-1] != ':')
			r--;
		if (sscanf(r, "%u:%u:", &line, &col) == 2)
			break;
		p = strstr(p + 2, ": ");
	}
	if (!p || !line) {
		fprintf(stderr, "linx %s: %s\n", c->what, m);
		return;
	}
	fprintf(stderr, "%.*s: Error: %s\n", (int)(p - m), m, p + 2);
	if (path && strcmp(path, "-") && (text = cli_read_file(path, &len))) {
		const char *s = text, *end = text + len;
		for (unsigned l = 1; l < line && s < end; s++)
			if (*s == '\n')
				l++;
		const char *e = s;
		while (e < end && *e != '\n')
			e++;
		fprintf(stderr, "%.*s\n", (int)(e - s), s);
		for (unsigned i = 1; i < col && s + i - 1 < e; i++)
			fputc(s[i - 1] == '\t' ? '\t' : ' ', stderr);
		fputs("^\n", stderr);
	}
	free(text);
}

static int parse(struct lang_cmd *c, const char *path, struct linx_value *rs)
{
	/* interface names are the target namespace's */
	struct linx_value a = args_netns(c, "nft.parse");
	struct linx_error err;

	if (strcmp(path, "-") == 0) {
		size_t len = 0;
		char *text = cli_read_file(path, &len);
		if (!text)
			return usage(c, "stdin: %s", strerror(errno));
		linx_map_put_string(&a, "text", text, len);
		linx_map_put_cstring(&a, "file", "stdin");
		free(text);
	} else {
		linx_map_put_cstring(&a, "path", path);
	}
	/* as nft -c: what the kernel would refuse with ENOENT (format
	 * prints what it is given) */
	if (strcmp(c->what, "nft format") != 0) {
		linx_map_put_bool(&a, "check_refs", true);
		linx_map_put_bool(&a, "holes", false);
	}
	if (call(c, "nft.parse", &a, rs, &err) < 0) {
		if (strcmp(err.op, "parse") == 0)
			report_parse(c, path, &err);
		else if (err.code == ENOENT || err.code == EACCES ||
			 err.code == EISDIR || strcmp(err.op, "open") == 0) {
			fprintf(stderr, "linx %s: %s: %s\n", c->what,
				cli_short(path), err.message);
			return CLI_EXIT_USAGE;
		} else
			cli_report(c->what, &err);
		return CLI_EXIT_FAILED;
	}
	return 0;
}

static int validate(struct lang_cmd *c, const char *path,
		    struct linx_value *rs)
{
	struct linx_value a = linx_value_map(), res;
	struct linx_error err;

	if (call_lending(c, "nft.validate", &a, rs, &res, &err) < 0) {
		fprintf(stderr, "%s: Error: %s\n", cli_short(path), err.message);
		return CLI_EXIT_FAILED;
	}
	linx_value_clear(&res);
	return 0;
}

/* `rs` as text; `pulled`: it is the kernel's, and interface indexes are
 * written as the names they have there (--netns T, else here). */
static int format(struct lang_cmd *c, struct linx_value *rs, bool pulled,
		  char **out)
{
	struct linx_value a = linx_value_map(), res;
	struct linx_error err;

	*out = NULL;
	if (pulled) {
		linx_value_clear(&a);
		a = args_netns(c, "nft.format");
		if (!linx_map_get(&a, "netns"))
			linx_map_put_cstring(&a, "netns", "self");
	}
	if (call_lending(c, "nft.format", &a, rs, &res, &err) < 0) {
		cli_report(c->what, &err);
		return CLI_EXIT_FAILED;
	}
	*out = res.type == LINX_STRING ? strdup(res.str) : NULL;
	linx_value_clear(&res);
	return *out ? 0 : cli_oom(c->what);
}

static int push(struct lang_cmd *c, struct linx_value *rs, const char *mode)
{
	struct linx_value a = args_netns(c, "nft.push"), res;
	struct linx_error err;

	linx_map_put(&a, "ruleset", rs);
	linx_map_put_cstring(&a, "mode", mode);
	if (call(c, "nft.push", &a, &res, &err) < 0) {
		cli_report(c->what, &err);
		return CLI_EXIT_FAILED;
	}
	linx_value_clear(&res);
	return 0;
}

static int pull(struct lang_cmd *c, struct linx_value *rs)
{
	struct linx_value a = args_netns(c, "nft.pull");
	struct linx_error err;

	if (call(c, "nft.pull", &a, rs, &err) < 0) {
		cli_report(c->what, &err);
		return CLI_EXIT_FAILED;
	}
	return 0;
}

/* ---- a line diff (LCS, bounded) ------------------------------------------ */

static size_t split(char *s, char ***ret)
{
	size_t n = 0, cap = 64;
	char **v = malloc(cap * sizeof(*v));

	if (!v)
		return 0;
	while (s && *s) {
		if (n == cap) {
			char **nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[n++] = s;
		char *nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = 0;
		s = nl + 1;
	}
	*ret = v;
	return n;
}

static void line_diff(char *a, char *b)
{
	char **x = NULL, **y = NULL;
	size_t n = split(a, &x), m = split(b, &y);

	if (n * m > 16u * 1024 * 1024 || (n && !x) || (m && !y)) {
		for (size_t i = 0; i < n; i++)
			printf("-%s\n", x[i]);
		for (size_t j = 0; j < m; j++)
			printf("+%s\n", y[j]);
		goto out;
	}
	uint32_t *t = calloc((n + 1) * (m + 1), sizeof(*t));
	if (!t)
		goto out;
#define T(i, j) t[(i) * (m + 1) + (j)]
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			T(i, j) = strcmp(x[i], y[j]) == 0
					  ? T(i + 1, j + 1) + 1
					  : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j)
								       : T(i, j + 1));
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && strcmp(x[i], y[j]) == 0) {
			printf(" %s\n", x[i]);
			i++, j++;
		} else if (j < m && (i == n || T(i, j + 1) >= T(i + 1, j))) {
			printf("+%s\n", y[j++]);
		} else {
			printf("-%s\n", x[i++]);
		}
	}
#undef T
	free(t);
out:
	free(x);
	free(y);
}

/* The tables of `pulled` that `want` names, as a ruleset. */
static void only_tables(struct linx_value *pulled, const struct linx_value *want)
{
	const struct linx_value *wt = linx_map_get(want, "tables");
	const struct linx_value *pt = linx_map_get(pulled, "tables");
	struct linx_value keep = linx_value_list(), out = linx_value_map();

	for (uint32_t i = 0; pt && pt->type == LINX_LIST && i < pt->len; i++) {
		const struct linx_value *f = linx_map_get(&pt->items[i], "family");
		const struct linx_value *n = linx_map_get(&pt->items[i], "name");
		for (uint32_t k = 0; wt && k < wt->len && f && n; k++) {
			const struct linx_value *f2 = linx_map_get(&wt->items[k], "family");
			const struct linx_value *n2 = linx_map_get(&wt->items[k], "name");
			if (f2 && n2 && strcmp(f->str, f2->str) == 0 &&
			    strcmp(n->str, n2->str) == 0) {
				struct linx_value cp;
				if (linx_value_copy(&cp, &pt->items[i]) == 0)
					linx_list_push(&keep, &cp);
				break;
			}
		}
	}
	linx_map_put(&out, "tables", &keep);
	linx_value_clear(pulled);
	*pulled = out;
}

/* ---- subcommands ------------------------------------------------------------ */

static int do_sub(struct lang_cmd *c, const char *sub, const char *file)
{
	struct linx_value rs = linx_value_nil(), live = linx_value_nil();
	char *text = NULL, *text2 = NULL;
	int st;

	if (strcmp(sub, "show") == 0) {
		if ((st = pull(c, &rs)) == 0 &&
		    (st = format(c, &rs, true, &text)) == 0)
			fputs(text, stdout);
		goto out;
	}
	if ((st = parse(c, file, &rs)) != 0)
		goto out;
	if (strcmp(sub, "format") == 0) {
		if ((st = format(c, &rs, false, &text)) == 0)
			fputs(text, stdout);
		goto out;
	}
	/* push validates before any system call: only check and diff-text
	 * validate on their own (one pass over the value fewer for load) */
	if ((strcmp(sub, "check") == 0 || c->check ||
	     strcmp(sub, "diff-text") == 0) &&
	    (st = validate(c, file, &rs)) != 0)
		goto out;
	if (strcmp(sub, "check") == 0 || c->check)
		goto out;
	if (strcmp(sub, "load") == 0) {
		st = push(c, &rs, "replace");
	} else if (strcmp(sub, "apply-text") == 0) {
		st = push(c, &rs, "reconcile");
	} else { /* diff-text */
		if ((st = pull(c, &live)) != 0)
			goto out;
		only_tables(&live, &rs);
		/* both sides with the names: the file's were resolved
		 * in that namespace */
		if ((st = format(c, &live, true, &text)) == 0 &&
		    (st = format(c, &rs, true, &text2)) == 0)
			line_diff(text, text2);
	}
out:
	linx_value_clear(&rs);
	linx_value_clear(&live);
	free(text);
	free(text2);
	if (fflush(stdout) != 0 && !st)
		st = CLI_EXIT_FAILED;
	return st;
}

int cli_cmd_nft_lang(struct cli *cli, int argc, char **argv)
{
	struct lang_cmd c = { .cli = cli };
	const char *sub = argv[0], *file = NULL;
	int st;

	snprintf(c.what, sizeof(c.what), "nft %s", sub);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--netns") == 0 && i + 1 < argc)
			c.netns = argv[++i];
		else if (strncmp(argv[i], "--netns=", 8) == 0)
			c.netns = argv[i] + 8;
		else if (strcmp(argv[i], "--check") == 0 &&
			 strcmp(sub, "load") == 0)
			c.check = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage(&c, "unknown option \"%s\"",
				     cli_short(argv[i]));
		else if (!file)
			file = argv[i];
		else
			return usage(&c, "unexpected argument \"%s\"",
				     cli_short(argv[i]));
	}
	if (strcmp(sub, "show") == 0 ? file != NULL : file == NULL)
		return usage(&c, strcmp(sub, "show") == 0
					 ? "show takes no FILE"
					 : "missing FILE");
	if (c.netns && (strcmp(sub, "format") == 0 || strcmp(sub, "check") == 0 ||
			c.check))
		return usage(&c, "--netns does not apply here");
	st = cli_load_plugin(cli, "nft");
	if (st)
		return st;
	return do_sub(&c, sub, file);
}
