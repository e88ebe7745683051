/* SPDX-License-Identifier: MIT */
/*
 * linx help [VERB | PLUGIN | COMMAND]: text for people.
 *
 * An argument with a dot is a verb (summary, a usage line, parameters
 * with types, required/optional and doc, flags, result, plugin); without
 * one it is a command of this program (its --help text) or else a
 * plugin, whose verbs are listed with their summaries.  `linx verbs` is
 * the machine-readable counterpart.
 */
#include <string.h>

#include "cli.h"

/* Types as users read them: "int", "int|string", "list of integers". */
static void format_types(const struct linx_param *p, char *buf, size_t cap)
{
	size_t n = linx_type_mask_format(p->types, buf, cap);

	if (n < cap && (p->flags & LINX_PARAM_INT_LIST))
		n += (size_t)snprintf(buf + n, cap - n, " of integers");
	if (n < cap && (p->flags & LINX_PARAM_NONNEG))
		snprintf(buf + n, cap - n, " >= 0");
}

/* Can the parameter be written name=text, or only name:=JSON? */
static bool takes_text(uint32_t types)
{
	return types & (LINX_TM_INT | LINX_TM_UINT | LINX_TM_BOOL |
			LINX_TM_STRING | LINX_TM_BYTES);
}

static void print_usage_line(const struct linx_verb *v)
{
	printf("Usage: linx call %s", v->name);
	for (uint32_t i = 0; i < v->n_params; i++) {
		const struct linx_param *p = &v->params[i];
		bool req = p->flags & LINX_PARAM_REQUIRED;
		char types[96];

		linx_type_mask_format(p->types, types, sizeof(types));
		for (char *c = types; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		printf(" %s%s%s%s%s", req ? "" : "[", p->name,
		       takes_text(p->types) ? "=" : ":=", types, req ? "" : "]");
	}
	putchar('\n');
}

static const struct linx_plugin *plugin_of(struct cli *cli,
					   const struct linx_verb *v,
					   const char **ret_file)
{
	const char *dot = strchr(v->name, '.');
	size_t n = dot ? (size_t)(dot - v->name) : strlen(v->name);
	const struct linx_plugin *p;

	for (size_t i = 0; (p = linx_registry_plugin(cli->reg, i, ret_file));
	     i++)
		if (strncmp(p->name, v->name, n) == 0 && !p->name[n])
			return p;
	return NULL;
}

static int help_verb(struct cli *cli, const char *name)
{
	const struct linx_plugin *plugin;
	const struct linx_verb *v;
	struct linx_error err;
	const char *file = NULL;
	int width = 4, twidth = 4;

	if (!cli_registry(cli))
		return CLI_EXIT_FAILED;
	if (linx_registry_find(cli->reg, name, &v, &err) < 0)
		return cli_report(name, &err);
	printf("%s - %s\n\n", v->name, v->summary);
	print_usage_line(v);
	putchar('\n');
	for (uint32_t i = 0; i < v->n_params; i++) {
		char types[128];
		int n = (int)strlen(v->params[i].name);

		format_types(&v->params[i], types, sizeof(types));
		width = n > width ? n : width;
		twidth = (int)strlen(types) > twidth ? (int)strlen(types)
						     : twidth;
	}
	if (v->n_params) {
		printf("Parameters:\n");
		for (uint32_t i = 0; i < v->n_params; i++) {
			const struct linx_param *p = &v->params[i];
			char types[128];

			format_types(p, types, sizeof(types));
			printf("  %-*s  %-*s  %-8s  %s\n", width, p->name,
			       twidth, types,
			       p->flags & LINX_PARAM_REQUIRED ? "required"
							      : "optional",
			       p->doc ? p->doc : "");
		}
	} else {
		printf("Parameters: none\n");
	}
	printf("\nResult: %s\n", v->result_doc ? v->result_doc
					       : "(not documented)");
	printf("Flags:");
	if (!v->flags)
		printf(" none");
	if (v->flags & LINX_VERB_BLOCKING)
		printf(" blocking (may wait on the kernel)");
	if (v->flags & LINX_VERB_CHILD)
		printf("%s child (runs only inside a process parked at the "
		       "checkpoint; `linx call` cannot run it)",
		       v->flags & LINX_VERB_BLOCKING ? "," : "");
	putchar('\n');
	plugin = plugin_of(cli, v, &file);
	if (plugin)
		printf("Plugin: %s %s (%s)\n", plugin->name, plugin->version,
		       file);
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* The loaded plugin `name`'s header and verbs. */
static int list_plugin(struct cli *cli, const char *name)
{
	const struct linx_plugin *p = NULL;
	const struct linx_verb *v;
	const char *file = NULL;
	size_t n = strlen(name);

	for (size_t i = 0; (p = linx_registry_plugin(cli->reg, i, &file)); i++)
		if (strcmp(p->name, name) == 0)
			break;
	if (!p)
		return CLI_EXIT_FAILED;
	printf("%s %s - %s\n%s\n\nVerbs:\n", p->name, p->version, p->summary,
	       file);
	for (size_t i = 0; (v = linx_registry_verb(cli->reg, i)); i++)
		if (strncmp(v->name, name, n) == 0 && v->name[n] == '.')
			printf("  %-28s %s\n", v->name, v->summary);
	printf("\nlinx help VERB describes one.\n");
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

static int help_plugin(struct cli *cli, const char *name)
{
	int status = cli_load_plugin(cli, name);

	return status != CLI_EXIT_OK ? status : list_plugin(cli, name);
}

/*
 * A command: what `linx COMMAND --help` prints (the synopsis, or the
 * command's own usage text when it has one, as spawn and nft do).  A
 * command named after a plugin (nft) is followed by that plugin's verbs
 * when it loads, since the command shadows `linx help PLUGIN`.
 */
static int help_command(struct cli *cli, const struct cli_command *c)
{
	char opt[] = "--help";
	char *args[] = { opt, NULL };
	struct linx_error err;
	const char *command = cli->command;
	int status;

	cli->command = c->name;
	status = c->run(cli, 1, args);
	cli->command = command;
	if (status != CLI_EXIT_OK || !cli_plugin_name_valid(c->name) ||
	    !cli_registry(cli) ||
	    linx_registry_load(cli->reg, c->name, &err) < 0)
		return status;
	putchar('\n');
	return list_plugin(cli, c->name);
}

int cli_cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *c;
	int status, npos;

	if (!cli_parse(cli, argc, argv, NULL, &npos, &status))
		return status;
	if (npos == 0) {
		cli_print_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (npos > 1) {
		cli_usage_error(cli->command, "unexpected argument \"%s\"",
				cli_short(argv[1]));
		return CLI_EXIT_USAGE;
	}
	if (strchr(argv[0], '.'))
		return help_verb(cli, argv[0]);
	c = cli_command_find(argv[0]);
	if (c)
		return help_command(cli, c);
	return help_plugin(cli, argv[0]);
}
