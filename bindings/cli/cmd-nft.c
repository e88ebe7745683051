/* SPDX-License-Identifier: MIT */
/*
 * linx nft SUBCOMMAND ...: nf_tables rulesets as JSON files, through the
 * nft plugin's verbs (plugins/nft/verbs.c), found at run time like every
 * other verb.  The value schema is docs/nft/schema.md.
 *
 *   pull [--netns T] [--family F] [--table NAME] [--set NAME]   nft.pull
 *   push FILE|- [--netns T] [--mode M] [--retries N] [--hold]   nft.push
 *   diff FROM|--pulled TO [--netns T]                nft.pull?, nft.diff
 *   apply PATCH|- [--netns T] [--genid N]                       nft.apply
 *   validate FILE|-                                          nft.validate
 *   gen [--netns T]                                           nft.get_gen
 *
 * Every call goes through a one-call socket (the verbs' `netns`
 * argument), except `push --hold`.  A table with the "owner" flag belongs
 * to the netlink socket that created it and the kernel deletes it when
 * that socket closes (NFT_TABLE_F_OWNER, include/uapi/linux/netfilter/
 * nf_tables.h).  A one-shot `linx` closes its sockets when it exits, so
 * a push of an owner table would be undone the moment it succeeded: a
 * plain push refuses such a ruleset before anything is sent, as a usage
 * error naming the table and --hold.  With --hold the command opens a
 * socket (nft.open), pushes through it (`sock`), prints the report, and
 * then holds the socket - and so the tables - until SIGTERM or SIGINT,
 * when it closes the socket (the kernel deletes the owner tables) and
 * exits 0.  If the process dies any other way the kernel closes the
 * socket all the same: owner tables never outlive their holder, which is
 * what the flag is for.  docs/nft/cli.md says more.
 *
 * Output: pull, push, diff and gen print one JSON document; validate and
 * apply print nothing on success.  Exit status: 0, 1 when a verb failed
 * (an invalid ruleset, a kernel refusal), 2 for a usage error (options,
 * a file that cannot be read or is not a JSON object, an owner table
 * without --hold).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Options, as bits saying which a subcommand takes. */
enum {
	O_NETNS = 1u << 0,
	O_FAMILY = 1u << 1,
	O_TABLE = 1u << 2,
	O_SET = 1u << 3,
	O_MODE = 1u << 4,
	O_RETRIES = 1u << 5,
	O_GENID = 1u << 6,
	O_HOLD = 1u << 7,
	O_PULLED = 1u << 8,
};

struct nft_cmd {
	struct cli *cli;
	/* "nft push", for messages. */
	char what[32];
	const char *netns, *family, *table, *set, *mode, *retries, *genid;
	bool hold, pulled;
	/* The options given, as O_* bits. */
	unsigned given;
};

struct nft_sub {
	const char *name;
	/* After "linx nft NAME". */
	const char *synopsis;
	const char *summary;
	unsigned opts;
	/* File arguments taken. */
	int nfiles;
	int (*run)(struct nft_cmd *c, char **files);
};

static const struct nft_sub subs[];

/* ---- usage --------------------------------------------------------------- */

static void print_usage(FILE *out)
{
	fprintf(out, "usage: linx nft SUBCOMMAND [ARGS...]\n\n"
		     "nf_tables rulesets as JSON (docs/nft/schema.md), "
		     "through the nft plugin's verbs.\n\n");
	for (const struct nft_sub *s = subs; s->name; s++)
		fprintf(out, "  linx nft %s %s\n      %s\n", s->name,
			s->synopsis, s->summary);
	fprintf(out,
		"\nIn nftables' own language (docs/nft/lang.md):\n"
		"  linx nft load FILE [--netns T] [--check]\n"
		"      Parse, validate and push (the file's tables replaced "
		"atomically).\n"
		"  linx nft check FILE\n"
		"      Parse and validate only (as nft -c -f).\n"
		"  linx nft apply-text FILE [--netns T]\n"
		"      Parse and push in reconcile mode.\n"
		"  linx nft diff-text FILE [--netns T]\n"
		"      What apply-text would change, as a diff of nftables "
		"text.\n"
		"  linx nft show [--netns T]\n"
		"      The live ruleset as nftables text.\n"
		"  linx nft format FILE|-\n"
		"      FILE in the canonical layout.\n");
	fprintf(out,
		"\n"
		"FILE is a path, or - for stdin.  --netns T is a pid or a "
		"namespace file\n"
		"(default: linx's own network namespace).\n"
		"A table with the \"owner\" flag lives only as long as the "
		"socket that made it:\n"
		"push refuses one unless --hold keeps the socket (and the "
		"table) until SIGTERM\n"
		"or SIGINT.  `linx verbs nft` lists the verbs behind these "
		"commands.\n"
		"Exit status: 0 success, 1 a verb failed (invalid ruleset, "
		"kernel refusal),\n"
		"2 usage error.\n");
}

/* ---- helpers ------------------------------------------------------------- */

static int usage_error(struct nft_cmd *c, const char *fmt, ...)
	LINX_PRINTF(2, 3);

static int usage_error(struct nft_cmd *c, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_usage_error(c->what, "%s", msg);
	return CLI_EXIT_USAGE;
}

static const struct linx_verb *find_verb(struct nft_cmd *c, const char *name)
{
	const struct linx_verb *v;
	struct linx_error err;

	if (linx_registry_find(c->cli->reg, name, &v, &err) < 0) {
		cli_usage_error(c->what,
				"the nft plugin on the search path has no "
				"verb %s",
				name);
		return NULL;
	}
	return v;
}

/*
 * A verb's argument map, with `netns` when --netns was given (typed by
 * the verb's schema as on the command line: a pid is an integer, a path a
 * string).  *ret_verb is the verb.  0 or an exit status.
 */
static int verb_args(struct nft_cmd *c, const char *name, bool netns,
		     const struct linx_verb **ret_verb, struct linx_value *map)
{
	char *arg = NULL;
	int status;

	*map = linx_value_map();
	*ret_verb = find_verb(c, name);
	if (!*ret_verb)
		return CLI_EXIT_USAGE;
	if (!netns || !c->netns)
		return 0;
	if (asprintf(&arg, "netns=%s", c->netns) < 0)
		return cli_oom(c->what);
	status = cli_args_parse(c->cli, *ret_verb, 1, &arg, map);
	free(arg);
	return status;
}

/* `*val` moved into `map`; 0 or an exit status. */
static int put(struct nft_cmd *c, struct linx_value *map, const char *key,
	       struct linx_value *val)
{
	return linx_map_put(map, key, val) < 0 ? cli_oom(c->what) : 0;
}

static int put_str(struct nft_cmd *c, struct linx_value *map, const char *key,
		   const char *s)
{
	if (!s)
		return 0;
	return linx_map_put_cstring(map, key, s) < 0 ? cli_oom(c->what) : 0;
}

/*
 * Call the verb; `args` is cleared.  A failure is reported and is status
 * 1 whatever its kind: the arguments were built here, so what the verb
 * refuses is the content of a file or the kernel's answer, not the
 * command line (`linx call` says the same of a fault inside a document,
 * cmd-call.c).
 */
static int invoke(const struct linx_verb *v,
		  struct linx_value *args, struct linx_value *ret)
{
	struct linx_error err;
	int r;

	*ret = linx_value_nil();
	r = linx_call_verb(v, args, ret, 0, &err);
	linx_value_clear(args);
	if (r < 0) {
		cli_report(v->name, &err);
		return CLI_EXIT_FAILED;
	}
	return 0;
}

/* A JSON object from a file or stdin, as a value one level below the
 * argument map. */
static int read_doc(struct nft_cmd *c, const char *path,
		    struct linx_value *ret)
{
	char why[CLI_JSON_ERR_MAX];
	size_t len = 0;
	char *text = cli_read_file(path, &len);
	int r;

	*ret = linx_value_nil();
	if (!text) {
		int e = errno;

		cli_usage_error(c->what, "%s: %s",
				strcmp(path, "-") ? cli_short(path) : "stdin",
				strerror(e));
		return e == ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	r = cli_json_read(text, len, 1, ret, why);
	free(text);
	if (r < 0) {
		cli_usage_error(c->what, "%s: %s",
				strcmp(path, "-") ? cli_short(path) : "stdin",
				why);
		return r == -ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	if (ret->type != LINX_MAP) {
		linx_value_clear(ret);
		return usage_error(c, "%s: expected a JSON object",
				   strcmp(path, "-") ? cli_short(path)
						     : "stdin");
	}
	return 0;
}

static int print_result(struct nft_cmd *c, struct linx_value *res)
{
	int status = cli_print_value(c->cli, res);

	linx_value_clear(res);
	return status;
}

/* A decimal number in 0..max into *ret (as a uint value). */
static int parse_uint(struct nft_cmd *c, const char *opt, const char *text,
		      uint64_t max, struct linx_value *ret)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(text, &end, 10);
	if (!*text || *end || errno || text[0] == '-' || n > max) {
		cli_usage_error(c->what,
				"%s: \"%s\" is not a number in 0..%llu", opt,
				cli_short(text), (unsigned long long)max);
		return CLI_EXIT_USAGE;
	}
	*ret = linx_value_uint(n);
	return 0;
}

/* ---- pull, gen, validate, diff, apply ------------------------------------ */

static int do_pull(struct nft_cmd *c, char **files)
{
	const struct linx_verb *v;
	struct linx_value args, res;
	int status;

	(void)files;
	if (c->table && !c->family)
		return usage_error(c, "--table needs --family");
	if (c->set && !c->table)
		return usage_error(c, "--set needs --table and --family");
	status = verb_args(c, "nft.pull", true, &v, &args);
	if (!status)
		status = put_str(c, &args, "family", c->family);
	if (!status)
		status = put_str(c, &args, "table", c->table);
	if (!status)
		status = put_str(c, &args, "set", c->set);
	if (!status)
		status = invoke(v, &args, &res);
	linx_value_clear(&args);
	return status ? status : print_result(c, &res);
}

static int do_gen(struct nft_cmd *c, char **files)
{
	const struct linx_verb *v;
	struct linx_value args, res;
	int status;

	(void)files;
	status = verb_args(c, "nft.get_gen", true, &v, &args);
	if (!status)
		status = invoke(v, &args, &res);
	linx_value_clear(&args);
	return status ? status : print_result(c, &res);
}

/* Run `verb` with the document of files[0] as `key` (and the options the
 * subcommand takes); `print` says whether the result goes to stdout. */
static int with_doc(struct nft_cmd *c, const char *verb, bool netns,
		    const char *key, const char *path, struct linx_value *extra,
		    const char *extra_key, bool print)
{
	const struct linx_verb *v;
	struct linx_value args, doc, res;
	int status;

	status = verb_args(c, verb, netns, &v, &args);
	if (!status)
		status = read_doc(c, path, &doc);
	if (!status)
		status = put(c, &args, key, &doc);
	if (!status && extra && extra->type != LINX_NIL)
		status = put(c, &args, extra_key, extra);
	if (!status)
		status = invoke(v, &args, &res);
	linx_value_clear(&args);
	if (status)
		return status;
	if (print)
		return print_result(c, &res);
	linx_value_clear(&res);
	return 0;
}

static int do_validate(struct nft_cmd *c, char **files)
{
	return with_doc(c, "nft.validate", false, "ruleset", files[0], NULL,
			NULL, false);
}

static int do_apply(struct nft_cmd *c, char **files)
{
	struct linx_value genid = linx_value_nil();
	int status = 0;

	if (c->genid)
		status = parse_uint(c, "--genid", c->genid, UINT32_MAX, &genid);
	if (!status)
		status = with_doc(c, "nft.apply", true, "patch", files[0],
				  &genid, "genid", false);
	return status;
}

static int do_diff(struct nft_cmd *c, char **files)
{
	const struct linx_verb *v, *pull;
	struct linx_value args, pargs, from, to, res;
	const char *to_path = files[c->pulled ? 0 : 1];
	int status;

	if (c->netns && !c->pulled)
		return usage_error(c, "--netns goes with --pulled (the live "
				      "ruleset as FROM)");
	if (!c->pulled && strcmp(files[0], "-") == 0 &&
	    strcmp(files[1], "-") == 0)
		return usage_error(c, "FROM and TO cannot both be stdin");
	status = verb_args(c, "nft.diff", false, &v, &args);
	if (status)
		return status;
	if (c->pulled) {
		/* The whole ruleset: the patch is scoped to the tables of
		 * TO anyway (linx/nft.h). */
		status = verb_args(c, "nft.pull", true, &pull, &pargs);
		if (!status)
			status = invoke(pull, &pargs, &from);
		linx_value_clear(&pargs);
	} else {
		status = read_doc(c, files[0], &from);
	}
	if (!status)
		status = put(c, &args, "from", &from);
	if (!status)
		status = read_doc(c, to_path, &to);
	if (!status)
		status = put(c, &args, "to", &to);
	if (!status)
		status = invoke(v, &args, &res);
	linx_value_clear(&args);
	return status ? status : print_result(c, &res);
}

/* ---- push ---------------------------------------------------------------- */

/* The first table of `ruleset` with the owner flag, as "family/name"
 * into buf; false when there is none. */
static bool owner_table(const struct linx_value *ruleset, char *buf,
			size_t cap)
{
	const struct linx_value *tl = linx_map_get(ruleset, "tables");

	for (uint32_t i = 0; tl && tl->type == LINX_LIST && i < tl->len; i++) {
		const struct linx_value *t = &tl->items[i];
		const struct linx_value *fl = linx_map_get(t, "flags");
		const struct linx_value *fam = linx_map_get(t, "family");
		const struct linx_value *name = linx_map_get(t, "name");

		for (uint32_t k = 0; fl && fl->type == LINX_LIST && k < fl->len;
		     k++) {
			if (fl->items[k].type != LINX_STRING ||
			    strcmp(fl->items[k].str, "owner") != 0)
				continue;
			snprintf(buf, cap, "%s/%s",
				 fam && fam->type == LINX_STRING ? fam->str
								 : "?",
				 name && name->type == LINX_STRING ? name->str
								   : "?");
			return true;
		}
	}
	return false;
}

/* Close the held socket; failures are not the user's concern (the
 * handle's release closes it anyway). */
static void close_sock(struct nft_cmd *c, struct linx_value *sock)
{
	const struct linx_verb *v = find_verb(c, "nft.close");
	struct linx_value args = linx_value_map(), res = linx_value_nil();
	struct linx_error err;

	if (v && linx_map_put(&args, "sock", sock) == 0)
		(void)linx_call_verb(v, &args, &res, 0, &err);
	linx_value_clear(&args);
	linx_value_clear(&res);
	linx_value_clear(sock);
}

/*
 * The push itself: through a one-call socket, or with --hold through one
 * opened here, printed, and held until SIGTERM or SIGINT.  The signals
 * are blocked from before the socket exists to the end, and taken with
 * sigwait(2): one that arrives during the push waits for it, then ends
 * the hold at once.
 */
static int push(struct nft_cmd *c, struct linx_value *ruleset,
		struct linx_value *mode, struct linx_value *retries)
{
	const struct linx_verb *v, *open;
	struct linx_value args, oargs, sock = linx_value_nil(), copy, res;
	int status, sig;

	status = verb_args(c, "nft.push", !c->hold, &v, &args);
	if (!status && c->hold) {
		status = verb_args(c, "nft.open", true, &open, &oargs);
		if (!status)
			status = invoke(open, &oargs, &sock);
		linx_value_clear(&oargs);
		if (!status && linx_value_copy(&copy, &sock) < 0)
			status = cli_oom(c->what);
		if (!status)
			status = put(c, &args, "sock", &copy);
	}
	if (!status)
		status = put(c, &args, "ruleset", ruleset);
	if (!status && mode->type != LINX_NIL)
		status = put(c, &args, "mode", mode);
	if (!status && retries->type != LINX_NIL)
		status = put(c, &args, "retries", retries);
	if (!status)
		status = invoke(v, &args, &res);
	linx_value_clear(&args);
	if (!status)
		status = print_result(c, &res);
	if (!status && c->hold) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		while (sigwait(&set, &sig) != 0)
			;
	}
	if (sock.type != LINX_NIL)
		close_sock(c, &sock);
	return status;
}

static int do_push(struct nft_cmd *c, char **files)
{
	struct linx_value ruleset, mode = linx_value_nil(),
				   retries = linx_value_nil();
	sigset_t set;
	char table[300];
	int status = 0;

	if (c->mode && strcmp(c->mode, "replace") != 0 &&
	    strcmp(c->mode, "reconcile") != 0)
		return usage_error(c, "--mode: \"%s\" is not replace or "
				      "reconcile",
				   cli_short(c->mode));
	if (c->retries)
		status = parse_uint(c, "--retries", c->retries, 100, &retries);
	if (!status)
		status = read_doc(c, files[0], &ruleset);
	if (status)
		return status;
	if (!c->hold && owner_table(&ruleset, table, sizeof(table))) {
		linx_value_clear(&ruleset);
		return usage_error(c, "table %s has the owner flag: the kernel "
				      "deletes it when the socket that made "
				      "it closes, and linx closes its "
				      "sockets when it exits; use --hold to "
				      "keep it while linx runs, or drop the "
				      "flag",
				   table);
	}
	if (c->mode && linx_value_cstring(&mode, c->mode) < 0) {
		linx_value_clear(&ruleset);
		return cli_oom(c->what);
	}
	if (c->hold) {
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		/* Left blocked: the command ends after the hold, and a
		 * second signal during the close must not kill it. */
		sigprocmask(SIG_BLOCK, &set, NULL);
	}
	status = push(c, &ruleset, &mode, &retries);
	linx_value_clear(&ruleset);
	linx_value_clear(&mode);
	linx_value_clear(&retries);
	return status;
}

/* ---- the command --------------------------------------------------------- */

static const struct nft_sub subs[] = {
	{ "pull", "[--netns T] [--family F [--table NAME [--set NAME]]]",
	  "Print the ruleset (or one family, table or set) as JSON.",
	  O_NETNS | O_FAMILY | O_TABLE | O_SET, 0, do_pull },
	{ "push",
	  "FILE|- [--netns T] [--mode replace|reconcile] [--retries N] "
	  "[--hold]",
	  "Apply a ruleset in one atomic batch and print the report.",
	  O_NETNS | O_MODE | O_RETRIES | O_HOLD, 1, do_push },
	{ "diff", "FROM|--pulled TO [--netns T]",
	  "Print the patch turning FROM (a file, or the live ruleset) into "
	  "TO.",
	  O_NETNS | O_PULLED, 2, do_diff },
	{ "apply", "PATCH|- [--netns T] [--genid N]",
	  "Apply a patch from diff in one batch, only at generation N if "
	  "given.",
	  O_NETNS | O_GENID, 1, do_apply },
	{ "validate", "FILE|-",
	  "Check a ruleset without the kernel: exit 0, or 1 with the error.",
	  0, 1, do_validate },
	{ "gen", "[--netns T]",
	  "Print the ruleset generation {id, proc_pid, proc_name}.", O_NETNS,
	  0, do_gen },
	{ 0 },
};

static const struct {
	const char *name;
	unsigned bit;
} flag_names[] = {
	{ "--netns", O_NETNS },	    { "--family", O_FAMILY },
	{ "--table", O_TABLE },	    { "--set", O_SET },
	{ "--mode", O_MODE },	    { "--retries", O_RETRIES },
	{ "--genid", O_GENID },	    { "--hold", O_HOLD },
	{ "--pulled", O_PULLED },
};

/* Take the options without a value (--hold, --pulled) out of argv (not
 * past "--"); returns the arguments left.  1 in *ret_help for -h/--help
 * before "--". */
static int take_flags(struct nft_cmd *c, int argc, char **argv,
		      bool *ret_help)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--hold") == 0)
			c->hold = true;
		else if (strcmp(argv[i], "--pulled") == 0)
			c->pulled = true;
		else if (strcmp(argv[i], "-h") == 0 ||
			 strcmp(argv[i], "--help") == 0)
			*ret_help = true;
		else
			argv[n++] = argv[i];
	}
	return n;
}

static bool check_options(struct nft_cmd *c, const struct nft_sub *s)
{
	unsigned extra = c->given & ~s->opts;

	for (size_t i = 0;
	     extra && i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if (extra & flag_names[i].bit) {
			cli_usage_error(c->what,
					"%s does not apply here (see linx nft "
					"--help)",
					flag_names[i].name);
			return false;
		}
	return true;
}

int cli_cmd_nft(struct cli *cli, int argc, char **argv)
{
	struct nft_cmd c = { .cli = cli };
	const struct cli_option opts[] = {
		{ "--netns", NULL, &c.netns },
		{ "--family", NULL, &c.family },
		{ "--table", NULL, &c.table },
		{ "--set", NULL, &c.set },
		{ "--mode", NULL, &c.mode },
		{ "--retries", NULL, &c.retries },
		{ "--genid", NULL, &c.genid },
		{ 0 },
	};
	const struct nft_sub *s;
	bool help = false;
	int status, npos, nfiles;

	snprintf(c.what, sizeof(c.what), "nft");
	/* the subcommands of nftables text: cmd-nft-lang.c */
	if (argc > 0 && cli_nft_lang_sub(argv[0]))
		return cli_cmd_nft_lang(cli, argc, argv);
	argc = take_flags(&c, argc, argv, &help);
	if (help) {
		print_usage(stdout);
		return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
	}
	if (!cli_parse(cli, argc, argv, opts, &npos, &status))
		return status;
	if (npos == 0)
		return usage_error(&c, "missing SUBCOMMAND (%s; see linx nft "
				       "--help)",
				   "pull, push, diff, apply, validate, gen");
	for (s = subs; s->name; s++)
		if (strcmp(s->name, argv[0]) == 0)
			break;
	if (!s->name)
		return usage_error(&c, "unknown subcommand \"%s\" (see linx "
				       "nft --help)",
				   cli_short(argv[0]));
	snprintf(c.what, sizeof(c.what), "nft %s", s->name);
	c.given = (c.netns ? O_NETNS : 0) | (c.family ? O_FAMILY : 0) |
		  (c.table ? O_TABLE : 0) | (c.set ? O_SET : 0) |
		  (c.mode ? O_MODE : 0) | (c.retries ? O_RETRIES : 0) |
		  (c.genid ? O_GENID : 0) | (c.hold ? O_HOLD : 0) |
		  (c.pulled ? O_PULLED : 0);
	if (!check_options(&c, s))
		return CLI_EXIT_USAGE;
	nfiles = s->nfiles - (c.pulled ? 1 : 0);
	if (npos - 1 < nfiles)
		return usage_error(&c, "missing %s",
				   s->run == do_diff ? (npos == 1 && !c.pulled
							? "FROM and TO"
							: "TO")
				   : s->run == do_apply ? "PATCH"
							: "FILE");
	if (npos - 1 > nfiles)
		return usage_error(&c, "unexpected argument \"%s\"",
				   cli_short(argv[1 + nfiles]));
	status = cli_load_plugin(cli, "nft");
	if (status)
		return status;
	return s->run(&c, argv + 1);
}
