/* SPDX-License-Identifier: MIT */
/*
 * Options every command accepts, before or after its name:
 *   -p, --pretty           indented JSON
 *   --plugin-path DIRS     directories searched before the default path
 *   -h, --help             the command's synopsis
 * Options are recognised anywhere before "--": a verb argument is always
 * name=value or name:=JSON, and a parameter name starts with a letter, so
 * nothing a command takes as an argument begins with '-'.
 */
#include <string.h>

#include "cli.h"

static int print_command_help(const struct cli *cli)
{
	const struct cli_command *c = cli_command_find(cli->command);

	if (!c) {
		cli_print_usage(stdout);
		return 2;
	}
	printf("usage: linx %s%s%s\n\n%s\n\n"
	       "Options: -p/--pretty, --plugin-path DIRS (see linx --help).\n",
	       c->name, c->synopsis[0] ? " " : "", c->synopsis, c->summary);
	return 2;
}

int cli_global_option(struct cli *cli, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	static const char path_opt[] = "--plugin-path";
	size_t n = sizeof(path_opt) - 1;

	if (strcmp(arg, "-p") == 0 || strcmp(arg, "--pretty") == 0) {
		cli->pretty = true;
		return 1;
	}
	if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
		return print_command_help(cli);
	if (strncmp(arg, path_opt, n) != 0 || (arg[n] && arg[n] != '='))
		return 0;
	if (arg[n] == '=') {
		cli->plugin_path = arg + n + 1;
	} else if (*i + 1 < argc) {
		cli->plugin_path = argv[++*i];
	} else {
		cli_usage_error(cli->command, "%s needs a value (DIRS)",
				path_opt);
		return -1;
	}
	if (!cli->plugin_path[0]) {
		cli_usage_error(cli->command, "%s: empty directory list",
				path_opt);
		return -1;
	}
	if (cli->reg) {
		/* The registry's search path is fixed when it is created. */
		cli_usage_error(cli->command,
				"%s must come before the command's arguments",
				path_opt);
		return -1;
	}
	return 1;
}

int cli_unknown_option(struct cli *cli, const char *arg)
{
	cli_usage_error(cli->command, "unknown option \"%s\" (see linx %s%s"
				      "--help)",
			cli_short(arg), cli->command ? cli->command : "",
			cli->command ? " " : "");
	return CLI_EXIT_USAGE;
}

static const struct cli_option *find_option(const struct cli_option *opts,
					    const char *arg, size_t n)
{
	for (; opts && opts->name; opts++)
		if ((strncmp(arg, opts->name, n) == 0 && !opts->name[n]) ||
		    (opts->short_name && strncmp(arg, opts->short_name, n) == 0 &&
		     !opts->short_name[n]))
			return opts;
	return NULL;
}

bool cli_parse(struct cli *cli, int argc, char **argv,
	       const struct cli_option *opts, int *ret_npos, int *ret_status)
{
	int npos = 0;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq;
		const struct cli_option *o;
		int r;

		if (strcmp(arg, "--") == 0) {
			while (++i < argc)
				argv[npos++] = argv[i];
			break;
		}
		if (!cli_is_option(arg)) {
			argv[npos++] = argv[i];
			continue;
		}
		/* --name=value or --name value */
		eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
		o = find_option(opts, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (o) {
			if (eq) {
				*o->value = eq + 1;
			} else if (i + 1 < argc) {
				*o->value = argv[++i];
			} else {
				cli_usage_error(cli->command,
						"%s needs a value", o->name);
				*ret_status = CLI_EXIT_USAGE;
				return false;
			}
			continue;
		}
		r = cli_global_option(cli, argc, argv, &i);
		if (r == 1)
			continue;
		*ret_status = r == 2 ? CLI_EXIT_OK
			      : r < 0 ? CLI_EXIT_USAGE
				      : cli_unknown_option(cli, arg);
		return false;
	}
	*ret_npos = npos;
	return true;
}
