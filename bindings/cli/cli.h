/* SPDX-License-Identifier: MIT */
/*
 * The `linx` command: what its source files share.
 *
 * main.c parses the global options and dispatches to a command through
 * the table in commands.c.  A command is one file (cmd-<name>.c) exposing
 * one entry function; adding one is a table entry plus that file.
 *
 * Output conventions every command follows: results go to stdout as JSON
 * (json-out.c), errors to stderr as one line through report.c, and the
 * command returns one of the exit statuses below.
 */
#ifndef LINX_CLI_H
#define LINX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include <linx/linx.h>

/* Exit statuses (documented in docs/cli/README.md). */
enum {
	CLI_EXIT_OK = 0,
	/* A verb, a plugin load or the output failed. */
	CLI_EXIT_FAILED = 1,
	/* The command line is wrong: unknown command or option, malformed
	 * argument or JSON, unknown verb or plugin, or arguments the verb's
	 * schema rejects before the verb runs. */
	CLI_EXIT_USAGE = 2,
};

/* State shared by every command. */
struct cli {
	/* Directories prepended to the search path (--plugin-path), or
	 * NULL. */
	const char *plugin_path;
	/* -p/--pretty: indented JSON instead of one compact line. */
	bool pretty;
	/* The command being run ("call"), for error messages. */
	const char *command;
	/* Created on first use by cli_registry(). */
	struct linx_registry *reg;
};

struct cli_command {
	const char *name;
	/* Synopsis after "linx NAME", for --help. */
	const char *synopsis;
	/* One line. */
	const char *summary;
	/*
	 * Run with the arguments after the command name (argv[0] is the
	 * first of them, not the command).  Returns a CLI_EXIT_* status and
	 * has reported any error itself.
	 */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* commands.c: the table, NULL-terminated by a zeroed entry. */
extern const struct cli_command cli_commands[];
const struct cli_command *cli_command_find(const char *name);

/* One entry function per command (cmd-<name>.c). */
int cli_cmd_plugins(struct cli *cli, int argc, char **argv);
int cli_cmd_verbs(struct cli *cli, int argc, char **argv);
int cli_cmd_help(struct cli *cli, int argc, char **argv);
int cli_cmd_call(struct cli *cli, int argc, char **argv);
int cli_cmd_batch(struct cli *cli, int argc, char **argv);
int cli_cmd_monitor(struct cli *cli, int argc, char **argv);
int cli_cmd_spawn(struct cli *cli, int argc, char **argv);
int cli_cmd_enter(struct cli *cli, int argc, char **argv);
int cli_cmd_reconcile(struct cli *cli, int argc, char **argv);
int cli_cmd_nft(struct cli *cli, int argc, char **argv);
/* linx nft load|check|apply-text|diff-text|show|format (cmd-nft-lang.c):
 * cli_cmd_nft() passes argv from the subcommand on when
 * cli_nft_lang_sub(argv[0]). */
bool cli_nft_lang_sub(const char *name);
int cli_cmd_nft_lang(struct cli *cli, int argc, char **argv);

/* main.c: the general help text (also `linx help` with no argument). */
void cli_print_usage(FILE *out);

/* ---- registry (registry.c) ------------------------------------------- */

/* The registry, with --plugin-path prepended to the search path.  NULL
 * after reporting the error (the caller exits CLI_EXIT_FAILED). */
struct linx_registry *cli_registry(struct cli *cli);

/*
 * Load every plugin on the search path (linx_registry_load_all()); every
 * refused plugin is appended to `refused` (when not NULL) as
 * {"name", "file", "error": {...}}.  Returns 0 or a negative errno
 * (out of memory) after reporting it.
 */
int cli_load_all(struct cli *cli, json_t *refused);

/*
 * Load plugin `name` for a command.  Returns CLI_EXIT_OK, CLI_EXIT_USAGE
 * (a malformed name, or no such plugin on the search path) or
 * CLI_EXIT_FAILED (the plugin was refused), having reported the error.
 */
int cli_load_plugin(struct cli *cli, const char *name);

/* Is `name` a well-formed plugin name ([a-z][a-z0-9_]*)? */
bool cli_plugin_name_valid(const char *name);

/* ---- command-line options (options.c) -------------------------------- */

/*
 * Handle a global option found among a command's arguments: -p/--pretty
 * and --plugin-path DIRS (or --plugin-path=DIRS).  `*i` indexes argv[]
 * and is advanced past a separate option argument.  Returns 1 if the
 * option was consumed, 0 if it is not a global option, 2 if it was
 * -h/--help and the command's synopsis has been printed (the command then
 * exits CLI_EXIT_OK), or -1 after reporting a usage error.
 */
int cli_global_option(struct cli *cli, int argc, char **argv, int *i);

/* A command's own option. */
struct cli_option {
	const char *name;	/* "--json" */
	const char *short_name; /* "-n", or NULL */
	/* Where the option's value goes (every command option takes one). */
	const char **value;
};

/*
 * Walk a command's arguments: global options, the command's own `opts`
 * (zero-terminated; may be NULL), "--" (everything after it is
 * positional) and positional arguments, which are moved to the front of
 * argv in their order; *ret_npos receives their count.
 * Returns true to go on, or false with *ret_status set when the command
 * must stop: a usage error (reported) or -h/--help (synopsis printed,
 * status CLI_EXIT_OK).
 */
bool cli_parse(struct cli *cli, int argc, char **argv,
	       const struct cli_option *opts, int *ret_npos, int *ret_status);

/* Report "unknown option" for argv[i] of the current command. */
int cli_unknown_option(struct cli *cli, const char *arg);

/* Is `arg` an option (starts with '-' and is not just "-")? */
static inline bool cli_is_option(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0';
}

/* ---- arguments (args.c) ---------------------------------------------- */

/*
 * Turn command-line arguments into a verb's argument map (`*map` must be
 * a map; entries are added to it):
 *   name=text   typed by the verb's schema (see args.c);
 *   name:=JSON  converted with the JSON mapping (json-value.c).
 * A name given twice (or already in the map) is a usage error.
 * Returns 0, or CLI_EXIT_USAGE / CLI_EXIT_FAILED after reporting.
 */
int cli_args_parse(struct cli *cli, const struct linx_verb *verb, int argc,
		   char **argv, struct linx_value *map);

/* ---- JSON <-> value (json-value.c) ------------------------------------- */

/* Longest error text the JSON conversions produce. */
#define CLI_JSON_ERR_MAX 512

/*
 * Convert a value tree to JSON (new reference, or NULL with `why`
 * filled: out of memory, a tree nested deeper than LINX_VALUE_MAX_DEPTH,
 * or a node that breaks the value invariants).
 */
json_t *cli_value_to_json(const struct linx_value *v,
			  char why[CLI_JSON_ERR_MAX]);

/*
 * Convert JSON to a value tree that will sit `outer` containers deep (0
 * for a whole document, 1 for one argument of the argument map): the
 * whole tree must stay within LINX_VALUE_MAX_DEPTH.  On failure returns a
 * negative errno, leaves *ret nil and writes into `why` what is wrong and
 * where (a JSON pointer such as "/addrs/2").
 */
int cli_json_to_value(const json_t *j, unsigned outer, struct linx_value *ret,
		      char why[CLI_JSON_ERR_MAX]);

/*
 * Read `len` bytes of JSON text straight into a value tree, in one pass:
 * the same language and the same tree as cli_json_parse() followed by
 * cli_json_to_value() (`outer` likewise), without the JSON document in
 * between.  On failure returns a negative errno (-EINVAL for malformed
 * text, -ELOOP, -ERANGE, -E2BIG, -ENOMEM), leaves *ret nil and writes into
 * `why` what is wrong: "invalid JSON: ... (line L, column C)" or a JSON
 * pointer and the reason.
 */
int cli_json_read(const char *text, size_t len, unsigned outer,
		  struct linx_value *ret, char why[CLI_JSON_ERR_MAX]);

/* Parse `len` bytes of JSON text (strictly: no duplicate keys, no NUL
 * in strings, any top-level value).  NULL with `why` filled on error. */
json_t *cli_json_parse(const char *text, size_t len,
		       char why[CLI_JSON_ERR_MAX]);

/* read(2) from stdin, retrying EINTR and waiting (poll) when stdin was
 * inherited non-blocking: > 0 bytes read, 0 at end of file, -1 with
 * errno on error.  (cmd-call.c) */
ssize_t cli_read_stdin(void *buf, size_t len);

/* The whole of file `path`, or of stdin for "-", NUL-terminated (the
 * length without it in *ret_len).  NULL with errno set.  Caller frees.
 * (file.c) */
char *cli_read_file(const char *path, size_t *ret_len);

/* ---- output (json-out.c) --------------------------------------------- */

/* Print `j` on stdout followed by a newline, compact or indented per
 * --pretty, and flush.  Returns 0, or CLI_EXIT_FAILED after reporting a
 * write error (quietly for EPIPE: the reader has gone). */
int cli_print_json(struct cli *cli, const json_t *j);

/* Print the result of a verb.  Consumes nothing. */
int cli_print_value(struct cli *cli, const struct linx_value *v);

/* A JSON string for text that should be UTF-8 but comes from outside
 * (a file name, a truncated message): invalid bytes become '?'.  NULL
 * only when out of memory. */
json_t *cli_json_text(const char *s);

/* Type names of a mask, as a JSON array of strings. */
json_t *cli_types_json(uint32_t types);

/* ---- errors (report.c) ------------------------------------------------- */

/* Command-line text for quoting in a message: `s` itself, or its first
 * bytes and "..." when it is long, so the rest of the message survives.
 * Returns one of a few static buffers, reused in turn. */
const char *cli_short(const char *s);

/* "linx: WHAT: text" on stderr. */
void cli_usage_error(const char *what, const char *fmt, ...)
	LINX_PRINTF(2, 3);

/*
 * Report a Linx error as "linx: WHAT: ename (N): message", adding
 * "; kernel says: ..." when the kernel gave an extended ACK, and return
 * the exit status it deserves: CLI_EXIT_USAGE for an unknown verb and for
 * arguments the core rejected before the verb ran (err->op "validate"),
 * CLI_EXIT_FAILED otherwise.
 */
int cli_report(const char *what, const struct linx_error *err);

/* The same error as a JSON object {"errno", "code", "message"}. */
json_t *cli_error_json(const struct linx_error *err);

/* Out of memory in the CLI itself: report and return CLI_EXIT_FAILED. */
int cli_oom(const char *what);

#endif /* LINX_CLI_H */
