/* SPDX-License-Identifier: MIT */
/*
 * linx batch PLUGIN [--chunk N] [name=value | name:=JSON]... < ops.jsonl
 *
 * Streams JSON lines from stdin, one op per line ({"op": "route.add",
 * ...}), into the plugin's batch verb (PLUGIN.batch {ops, ...the
 * arguments given here}), N ops per call, so memory stays bounded for any
 * input size.  docs/cli/README.md ("Bulk input") documents the contract;
 * in short:
 *
 *   - an op the kernel refuses does not stop the others (as in the batch
 *     verb itself): it is printed on stdout as a JSON line
 *     {"line", "op", "errno", "code", "message", "extack"};
 *   - a line that is not a JSON object, or an op the batch verb refuses
 *     before sending (unknown op, wrong parameter), stops the input there:
 *     every op on the lines before it is applied, none from it on;
 *   - a last line {"count", "failed"} says how many ops were sent and how
 *     many of them failed;
 *   - exit status 0 when every op was applied, 1 when some failed (or the
 *     batch verb failed), 2 for a usage error (bad line or op included).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Ops per call to the batch verb: large enough that the per-call costs
 * (socket, name resolution) vanish, small enough to keep memory low
 * (a route op is about 400 bytes as a value tree, in 8 allocations).
 * 2048 ops (under 1 MB) stay in the CPU's caches from parsing to sending
 * to freeing; 8192 did not, and cost 10-15% more user time for 100k
 * routes (perf stat, 20 runs each; tests/bench/bench-bulk.c). */
#define CHUNK_DEFAULT 2048
#define CHUNK_MAX (1u << 20)

struct batch {
	struct cli *cli;
	const struct linx_verb *verb;
	/* The verb's arguments: those given on the command line, and "ops"
	 * put in for each call. */
	struct linx_value args;
	struct linx_value ops;
	/* Input line of each op of the current chunk. */
	unsigned long *lines;
	size_t chunk;
	unsigned long count, failed;
	int status;
};

/* "ops[N]" in a batch verb's error: the op it refused (the convention of
 * rtnl.batch, docs/rtnl/README.md "Batches").  -1 if not there. */
static long op_index(const struct linx_error *err)
{
	const char *s = strstr(err->message, "ops[");
	char *end;
	long i;

	if (!s)
		return -1;
	i = strtol(s + 4, &end, 10);
	return end > s + 4 && *end == ']' && i >= 0 ? i : -1;
}

/* Print the failures of one call as JSON lines, with input line numbers. */
static int print_failures(struct batch *b, const struct linx_value *res)
{
	const struct linx_value *errs = linx_map_get(res, "errors");
	char why[CLI_JSON_ERR_MAX];

	if (!errs || errs->type != LINX_LIST)
		return 0;
	for (uint32_t i = 0; i < errs->len; i++) {
		const struct linx_value *e = &errs->items[i];
		const struct linx_value *idx = linx_map_get(e, "index");
		json_t *j = cli_value_to_json(e, why), *line;
		int64_t k;
		int r;

		line = json_object();
		if (!j || !line) {
			json_decref(j);
			json_decref(line);
			return cli_oom(b->cli->command);
		}
		if (idx && linx_value_get_i64(idx, &k) && k >= 0 &&
		    (size_t)k < b->ops.len)
			json_object_set_new(line, "line",
					    json_integer((json_int_t)
							 b->lines[k]));
		json_object_del(j, "index");
		json_object_update(line, j);
		json_decref(j);
		r = cli_print_json(b->cli, line);
		json_decref(line);
		if (r)
			return r;
	}
	return 0;
}

/* Keep only the first n ops of the chunk. */
static int keep_first(struct batch *b, size_t n)
{
	struct linx_value kept = linx_value_list();
	int r = linx_value_reserve(&kept, n ? n : 1);

	for (size_t i = 0; r >= 0 && i < n; i++)
		r = linx_list_push(&kept, &b->ops.items[i]);
	linx_value_clear(&b->ops);
	b->ops = kept;
	return r < 0 ? cli_oom(b->cli->command) : 0;
}

/*
 * Free the ops of the chunk but keep the list's array for the next one.
 * Besides saving an allocation, this keeps malloc's fast path for the next
 * chunk: a large allocation while the freed ops fill malloc's fast bins
 * makes it coalesce them all, and every small allocation of the next chunk
 * then takes the slow path (a fifth of linx batch's own work).
 */
static void empty_ops(struct batch *b)
{
	if (b->ops.type != LINX_LIST || (b->ops.flags & LINX_VALUE_F_POISON)) {
		linx_value_clear(&b->ops);
		b->ops = linx_value_list();
		return;
	}
	for (uint32_t i = 0; i < b->ops.len; i++)
		linx_value_clear(&b->ops.items[i]);
	b->ops.len = 0;
}

/* Call the batch verb on the chunk; the ops stay in b->ops. */
static int call(struct batch *b, struct linx_value *res,
		struct linx_error *err)
{
	int r = linx_map_put(&b->args, "ops", &b->ops);

	b->ops = linx_value_list();
	if (r < 0)
		return linx_error_set(err, -r, "batch",
				      "cannot build the arguments");
	r = linx_call_verb(b->verb, &b->args, res, 0, err);
	/* Take the ops back (a move; "ops" stays, as nil, until the next
	 * put replaces it). */
	for (uint32_t i = 0; i < b->args.len; i++)
		if (strcmp(b->args.pairs[i].key, "ops") == 0) {
			b->ops = b->args.pairs[i].value;
			b->args.pairs[i].value = linx_value_nil();
		}
	return r;
}

/* Count and print the outcome of a call that sent `sent` ops. */
static int account(struct batch *b, const struct linx_value *res, size_t sent)
{
	const struct linx_value *v = linx_map_get(res, "failed");
	int64_t n;

	b->count += sent;
	if (v && linx_value_get_i64(v, &n) && n > 0)
		b->failed += (unsigned long)n;
	return print_failures(b, res);
}

/*
 * Send the ops of the chunk.  An op the verb refused before sending stops
 * the batch: the ops before it are sent on their own (the verb validates
 * every op before it sends any, so nothing went out the first time), then
 * the refusal is reported against its line.
 */
static int flush(struct batch *b)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err, refused;
	size_t sent = b->ops.len;
	long bad;
	int r = 0;

	if (!sent)
		return 0;
	if (call(b, &res, &err) >= 0) {
		r = account(b, &res, sent);
		goto next;
	}
	bad = op_index(&err);
	if (bad < 0 || (size_t)bad >= sent) {
		r = b->status = cli_report(b->verb->name, &err);
		goto next;
	}
	refused = err;
	linx_error_prefix(&refused, "line %lu", b->lines[bad]);
	r = keep_first(b, (size_t)bad);
	if (!r && b->ops.len) {
		if (call(b, &res, &err) >= 0)
			r = account(b, &res, (size_t)bad);
		else
			cli_report(b->verb->name, &err);
	}
	/* a usage error, as when the verb is called directly */
	cli_report(b->verb->name, &refused);
	r = b->status = CLI_EXIT_USAGE;
next:
	linx_value_clear(&res);
	empty_ops(b);
	if (!r && linx_value_reserve(&b->ops, b->chunk) < 0)
		r = cli_oom(b->cli->command);
	return r;
}

/* One input line (without its newline). */
static int add_line(struct batch *b, const char *s, size_t len,
		    unsigned long line)
{
	char why[CLI_JSON_ERR_MAX];
	struct linx_value op;
	size_t i = 0;
	int r;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	if (i == len)
		return 0; /* blank lines are allowed (and counted) */
	/* The op sits in the ops list of the argument map: two levels. */
	r = cli_json_read(s, len, 2, &op, why);
	if (r >= 0 && op.type != LINX_MAP) {
		snprintf(why, sizeof(why),
			 "expected an object {\"op\": ..., ...}, got %s",
			 op.type == LINX_LIST ? "an array"
					      : linx_type_name(op.type));
		linx_value_clear(&op);
		r = -EINVAL;
	}
	if (r < 0) {
		int st = flush(b);

		if (!st) {
			cli_usage_error(b->verb->name, "line %lu: %s", line,
					why);
			b->status = r == -ENOMEM ? CLI_EXIT_FAILED
						 : CLI_EXIT_USAGE;
		}
		return b->status ? b->status : st;
	}
	b->lines[b->ops.len] = line;
	r = linx_list_push(&b->ops, &op);
	if (r < 0)
		return cli_oom(b->cli->command);
	if (b->ops.len >= b->chunk)
		return flush(b);
	return 0;
}

/* Read stdin line by line; the buffer grows only for a line longer than
 * it, up to the largest string a value may hold. */
static int read_lines(struct batch *b)
{
	size_t cap = 1 << 16, len = 0, start = 0;
	unsigned long line = 0;
	char *buf = malloc(cap);
	int r = 0;

	if (!buf)
		return cli_oom(b->cli->command);
	for (;;) {
		ssize_t n;
		char *nl;

		/* complete lines first */
		while ((nl = memchr(buf + start, '\n', len - start))) {
			r = add_line(b, buf + start, (size_t)(nl - buf) - start,
				     ++line);
			start = (size_t)(nl - buf) + 1;
			if (r)
				goto out;
		}
		if (start) {
			memmove(buf, buf + start, len - start);
			len -= start;
			start = 0;
		}
		if (len == cap) {
			char *grown;

			if (cap > LINX_VALUE_MAX_LEN) {
				flush(b);
				cli_usage_error(b->verb->name,
						"line %lu: longer than %u bytes",
						line + 1, LINX_VALUE_MAX_LEN);
				r = b->status = CLI_EXIT_USAGE;
				goto out;
			}
			grown = realloc(buf, cap * 2);
			if (!grown) {
				r = cli_oom(b->cli->command);
				goto out;
			}
			buf = grown;
			cap *= 2;
		}
		n = cli_read_stdin(buf + len, cap - len);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		flush(b);
		cli_usage_error(b->cli->command, "reading stdin: %s",
				strerror(errno));
		r = b->status = CLI_EXIT_FAILED;
		goto out;
	}
	/* a last line without a newline */
	if (len)
		r = add_line(b, buf, len, ++line);
	if (!r)
		r = flush(b);
out:
	free(buf);
	return r;
}

int cli_cmd_batch(struct cli *cli, int argc, char **argv)
{
	const char *chunk_opt = NULL;
	const struct cli_option opts[] = {
		{ "--chunk", NULL, &chunk_opt },
		{ 0 },
	};
	struct batch b = {
		.cli = cli,
		.args = linx_value_map(),
		.ops = linx_value_list(),
		.chunk = CHUNK_DEFAULT,
	};
	struct linx_error err;
	char name[160];
	json_t *sum;
	int status, npos, r;

	if (!cli_parse(cli, argc, argv, opts, &npos, &status))
		return status;
	if (npos == 0) {
		cli_usage_error(cli->command, "missing PLUGIN (whose "
					      "PLUGIN.batch verb takes the "
					      "ops)");
		return CLI_EXIT_USAGE;
	}
	if (chunk_opt) {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(chunk_opt, &end, 10);
		if (errno || end == chunk_opt || *end || chunk_opt[0] == '-' ||
		    n == 0 || n > CHUNK_MAX) {
			cli_usage_error(cli->command,
					"--chunk: \"%s\" is not a number of "
					"ops from 1 to %u",
					cli_short(chunk_opt), CHUNK_MAX);
			return CLI_EXIT_USAGE;
		}
		b.chunk = n;
	}
	status = cli_load_plugin(cli, argv[0]);
	if (status)
		return status;
	snprintf(name, sizeof(name), "%s.batch", argv[0]);
	if (linx_registry_find(cli->reg, name, &b.verb, &err) < 0) {
		cli_usage_error(cli->command, "plugin \"%s\" has no batch verb "
					      "(%s)",
				argv[0], name);
		return CLI_EXIT_USAGE;
	}
	status = cli_args_parse(cli, b.verb, npos - 1, argv + 1, &b.args);
	if (status)
		goto out;
	if (linx_map_get(&b.args, "ops")) {
		cli_usage_error(b.verb->name,
				"ops come from stdin, one per line: do not "
				"pass \"ops\"");
		status = CLI_EXIT_USAGE;
		goto out;
	}
	b.lines = malloc(b.chunk * sizeof(*b.lines));
	if (!b.lines || linx_value_reserve(&b.ops, b.chunk) < 0) {
		status = cli_oom(cli->command);
		goto out;
	}
	r = read_lines(&b);
	sum = json_pack("{s:I,s:I}", "count", (json_int_t)b.count, "failed",
			(json_int_t)b.failed);
	status = sum ? cli_print_json(cli, sum) : cli_oom(cli->command);
	json_decref(sum);
	if (r)
		status = r;
	else if (!status && b.failed)
		status = CLI_EXIT_FAILED;
out:
	free(b.lines);
	linx_value_clear(&b.ops);
	linx_value_clear(&b.args);
	return status;
}
