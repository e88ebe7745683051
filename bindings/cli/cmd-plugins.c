/* SPDX-License-Identifier: MIT */
/*
 * linx plugins: load everything on the search path and describe it.
 *
 *   {"path": "DIR:DIR...",
 *    "plugins": [{"name", "version", "summary", "file", "verbs": N}...],
 *    "refused": [{"name", "file", "error": {"errno", "code", "message",
 *                                            "object"}}...]}
 *
 * A refused plugin is part of the answer, not a failure of the listing:
 * the exit status is 0 whatever the plugins did.
 */
#include "cli.h"

static json_t *plugin_json(const struct linx_plugin *p, const char *file)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:I}", "name",
			 cli_json_text(p->name), "version",
			 cli_json_text(p->version), "summary",
			 cli_json_text(p->summary), "file", cli_json_text(file),
			 "verbs", (json_int_t)p->n_verbs);
}

int cli_cmd_plugins(struct cli *cli, int argc, char **argv)
{
	json_t *out = NULL, *plugins = json_array(), *refused = json_array();
	const struct linx_plugin *p;
	const char *file;
	int status = CLI_EXIT_FAILED, npos;

	if (!cli_parse(cli, argc, argv, NULL, &npos, &status))
		goto out;
	if (npos > 0) {
		cli_usage_error(cli->command, "unexpected argument \"%s\"",
				cli_short(argv[0]));
		status = CLI_EXIT_USAGE;
		goto out;
	}
	if (!plugins || !refused) {
		status = cli_oom(cli->command);
		goto out;
	}
	if (cli_load_all(cli, refused) < 0)
		goto out;
	for (size_t i = 0; (p = linx_registry_plugin(cli->reg, i, &file));
	     i++) {
		if (json_array_append_new(plugins, plugin_json(p, file)) < 0) {
			status = cli_oom(cli->command);
			goto out;
		}
	}
	out = json_pack("{s:o, s:O, s:O}", "path",
			cli_json_text(linx_registry_path(cli->reg)), "plugins",
			plugins, "refused", refused);
	status = out ? cli_print_json(cli, out) : cli_oom(cli->command);
out:
	json_decref(out);
	json_decref(plugins);
	json_decref(refused);
	return status;
}
