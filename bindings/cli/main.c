/* SPDX-License-Identifier: MIT */
/*
 * linx - call Linx verbs from the shell.
 *
 *     linx [-p] [--plugin-path DIRS] COMMAND [ARGS...]
 *
 * A front-end over the core's registry and verb table (linx/linx.h): it
 * links liblinx only and finds plugins at run time on the search path.
 * See docs/cli/README.md.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_print_usage(FILE *out)
{
	fprintf(out,
		"usage: linx [OPTIONS] COMMAND [ARGS...]\n"
		"\n"
		"Call Linx verbs (kernel-interface primitives) from the shell; "
		"results are JSON.\n"
		"\n"
		"Commands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  linx %s%s%s\n      %s\n", c->name,
			c->synopsis[0] ? " " : "", c->synopsis, c->summary);
	fprintf(out,
		"\n"
		"Options (before or after the command):\n"
		"  -p, --pretty            indent the JSON output\n"
		"  --plugin-path DIRS      search these directories "
		"(colon-separated) first\n"
		"  -h, --help              this text, or a command's synopsis\n"
		"  --version               print the versions and exit\n"
		"\n"
		"Arguments: name=value is typed by the verb's schema (an "
		"integer, true/false\n"
		"or a string); name:=JSON passes any JSON value.\n"
		"Plugins are searched in $%s, the build tree, then %s.\n"
		"Exit status: 0 success, 1 the call failed, 2 usage error.\n",
		LINX_PLUGIN_PATH_ENV, "the install directory");
}

static void print_version(void)
{
	printf("linx %s (liblinx %s, plugin ABI %d.%d)\n", LINX_VERSION_STRING,
	       linx_version(), LINX_ABI_MAJOR, LINX_ABI_MINOR);
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct cli_command *cmd;
	int i, status;

	/* A closed stdout (`linx monitor ... | head -1`) is then seen as
	 * EPIPE by the writer (json-out.c) instead of killing us between
	 * a plugin's open and close.  A command that execs must restore
	 * SIG_DFL for its child. */
	signal(SIGPIPE, SIG_IGN);

	for (i = 1; i < argc && cli_is_option(argv[i]); i++) {
		int r;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--version") == 0) {
			print_version();
			return CLI_EXIT_OK;
		}
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			cli_print_usage(stdout);
			return CLI_EXIT_OK;
		}
		r = cli_global_option(&cli, argc, argv, &i);
		if (r < 0)
			return CLI_EXIT_USAGE;
		if (r == 0)
			return cli_unknown_option(&cli, argv[i]);
	}
	if (i >= argc) {
		cli_usage_error(NULL, "no command given (see linx --help)");
		return CLI_EXIT_USAGE;
	}
	cmd = cli_command_find(argv[i]);
	if (!cmd) {
		cli_usage_error(NULL, "unknown command \"%s\" (see linx --help)",
				cli_short(argv[i]));
		return CLI_EXIT_USAGE;
	}
	cli.command = cmd->name;
	status = cmd->run(&cli, argc - i - 1, argv + i + 1);
	linx_registry_free(cli.reg);
	return status;
}
