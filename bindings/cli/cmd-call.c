/* SPDX-License-Identifier: MIT */
/*
 * linx call VERB [--json OBJECT|-] [name=value | name:=JSON]...
 *
 * Builds the argument map (from --json first, then each assignment; a
 * name given twice is refused), lets the core validate it against the
 * verb's schema (a refusal is a usage error, status 2) and call the verb
 * (see verb_refusal()), and prints the result as JSON.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

ssize_t cli_read_stdin(void *buf, size_t len)
{
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		ssize_t n = read(STDIN_FILENO, buf, len);

		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		/* stdin inherited in non-blocking mode: wait */
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
	}
}

/* Read all of stdin.  The bound is the largest string a value may hold:
 * a document beyond it could not become arguments anyway. */
static char *read_stdin(size_t *ret_len, int *ret_errno)
{
	/* One byte more than allowed, to tell "exactly max" from "more". */
	const size_t limit = (size_t)LINX_VALUE_MAX_LEN + 1;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct stat st;

	/* A file on stdin (the bulk case: `< ops.json`) says how large it
	 * is: one allocation and large reads instead of doubling from 4 KiB
	 * (one byte more, to see the end without growing). */
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0 && (uint64_t)st.st_size < limit) {
		cap = (size_t)st.st_size + 1;
		buf = malloc(cap);
		if (!buf)
			cap = 0;
	}

	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			char *grown;

			if (ncap > limit)
				ncap = limit;
			if (cap == limit) {
				*ret_errno = E2BIG;
				free(buf);
				return NULL;
			}
			grown = realloc(buf, ncap);
			if (!grown) {
				*ret_errno = ENOMEM;
				free(buf);
				return NULL;
			}
			buf = grown;
			cap = ncap;
		}
		n = cli_read_stdin(buf + len, cap - len);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		*ret_errno = errno;
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

/* --json: the whole argument map as one JSON object. */
static int json_object_args(struct cli *cli, const struct linx_verb *verb,
			    const char *opt, struct linx_value *ret)
{
	char why[CLI_JSON_ERR_MAX];
	const char *text = opt;
	char *owned = NULL;
	size_t len = strlen(opt);
	int r;

	if (strcmp(opt, "-") == 0) {
		int e = 0;

		owned = read_stdin(&len, &e);
		if (!owned) {
			cli_usage_error(verb->name, "--json -: reading stdin: %s",
					e == E2BIG ? "input too large"
						   : strerror(e));
			return e == E2BIG ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
		}
		text = owned;
	}
	/* One pass from text to values: this is the bulk path (a batch of
	 * 100k ops arrives here). */
	r = cli_json_read(text, len, 0, ret, why);
	free(owned);
	if (r < 0) {
		cli_usage_error(verb->name, "--json: %s", why);
		return r == -ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
	}
	if (ret->type != LINX_MAP) {
		/* A lone tag such as {"$bytes": "00"} is not a map either. */
		bool tagged = ret->type == LINX_UINT || ret->type == LINX_BYTES;

		if (tagged)
			cli_usage_error(verb->name,
					"--json: expected an object of "
					"arguments, got a tagged %s (wrap it "
					"as {\"$map\": ...} to pass the key "
					"literally)",
					linx_type_name(ret->type));
		else
			cli_usage_error(verb->name,
					"--json: expected an object of "
					"arguments, got %s",
					ret->type == LINX_LIST	   ? "an array"
					: ret->type == LINX_STRING ? "a string"
					: ret->type == LINX_NIL	   ? "null"
								   : "a scalar");
		linx_value_clear(ret);
		return CLI_EXIT_USAGE;
	}
	(void)cli;
	return 0;
}

/*
 * Report what the verb itself refused.  Under op "validate" it is about
 * the command line (status 2) when it names one of the verb's parameters:
 * a malformed sysctl key, a path outside cgroup2.  A fault inside a
 * document is a failed call (status 1), as `linx nft validate` says for
 * the same file: nft.validate and nft.push name the kind of fault
 * (bad_chain, bad_expr, ...) and the object, not a parameter.
 */
static int verb_refusal(const struct linx_verb *verb,
			const struct linx_error *err)
{
	int status = cli_report(verb->name, err);

	if (status != CLI_EXIT_USAGE || strcmp(err->op, "validate") != 0)
		return status;
	for (uint32_t i = 0; i < verb->n_params; i++)
		if (strcmp(verb->params[i].name, err->param) == 0)
			return status;
	return CLI_EXIT_FAILED;
}

int cli_cmd_call(struct cli *cli, int argc, char **argv)
{
	const char *json_opt = NULL;
	const struct cli_option opts[] = {
		{ "--json", NULL, &json_opt },
		{ 0 },
	};
	struct linx_value args = linx_value_map(), res = linx_value_nil();
	const struct linx_value *slots[LINX_MAX_PARAMS];
	const struct linx_verb *verb;
	struct linx_registry *reg;
	struct linx_error err;
	int status, npos;

	if (!cli_parse(cli, argc, argv, opts, &npos, &status))
		return status;
	if (npos == 0) {
		cli_usage_error(cli->command,
				"missing VERB (linx verbs lists them)");
		return CLI_EXIT_USAGE;
	}
	reg = cli_registry(cli);
	if (!reg)
		return CLI_EXIT_FAILED;
	if (linx_registry_find(reg, argv[0], &verb, &err) < 0)
		return cli_report(argv[0], &err);
	if (json_opt) {
		status = json_object_args(cli, verb, json_opt, &args);
		if (status)
			goto out;
	}
	status = cli_args_parse(cli, verb, npos - 1, argv + 1, &args);
	if (status)
		goto out;
	/* The schema check alone first: what it refuses is the command line
	 * (status 2); then the verb. */
	if (linx_verb_validate(verb, &args, slots, &err) < 0)
		status = cli_report(verb->name, &err);
	else if (linx_call_verb(verb, &args, &res, 0, &err) < 0)
		status = verb_refusal(verb, &err);
	else
		status = cli_print_value(cli, &res);
out:
	linx_value_clear(&args);
	linx_value_clear(&res);
	return status;
}
