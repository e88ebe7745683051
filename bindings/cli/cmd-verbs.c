/* SPDX-License-Identifier: MIT */
/*
 * linx verbs [PLUGIN]: the verb table as JSON, sorted by name.
 *
 *   [{"name": "example.add", "plugin": "example", "summary": "...",
 *     "flags": ["blocking", "child"],
 *     "params": [{"name": "a", "types": ["int"], "required": true,
 *                 "flags": ["nonneg", "int_list"], "doc": "..."}...],
 *     "result": "..." or null}...]
 *
 * Without PLUGIN every plugin on the search path is loaded; refused ones
 * are counted in a warning on stderr (`linx plugins` says why).
 */
#include <string.h>

#include "cli.h"

static json_t *flag_names(uint32_t flags, const uint32_t *bits,
			  const char *const *names, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if ((flags & bits[i]) &&
		    json_array_append_new(a, json_string(names[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *param_json(const struct linx_param *p)
{
	static const uint32_t bits[] = { LINX_PARAM_NONNEG,
					 LINX_PARAM_INT_LIST };
	static const char *const names[] = { "nonneg", "int_list" };

	return json_pack("{s:o, s:o, s:b, s:o, s:o}", "name",
			 cli_json_text(p->name), "types",
			 cli_types_json(p->types), "required",
			 (p->flags & LINX_PARAM_REQUIRED) != 0, "flags",
			 flag_names(p->flags, bits, names, 2), "doc",
			 cli_json_text(p->doc ? p->doc : ""));
}

static json_t *verb_json(const struct linx_verb *v)
{
	static const uint32_t bits[] = { LINX_VERB_BLOCKING, LINX_VERB_CHILD };
	static const char *const names[] = { "blocking", "child" };
	const char *dot = strchr(v->name, '.');
	json_t *params = json_array();

	for (uint32_t i = 0; params && i < v->n_params; i++)
		if (json_array_append_new(params, param_json(&v->params[i])) <
		    0) {
			json_decref(params);
			params = NULL;
		}
	return json_pack("{s:o, s:s%, s:o, s:o, s:o, s:o}", "name",
			 cli_json_text(v->name), "plugin", v->name,
			 dot ? (size_t)(dot - v->name) : strlen(v->name),
			 "summary", cli_json_text(v->summary), "flags",
			 flag_names(v->flags, bits, names, 2), "params", params,
			 "result",
			 v->result_doc ? cli_json_text(v->result_doc)
				       : json_null());
}

int cli_cmd_verbs(struct cli *cli, int argc, char **argv)
{
	const char *plugin = NULL;
	json_t *verbs = NULL, *refused = NULL;
	const struct linx_verb *v;
	size_t plen = 0;
	int status, npos;

	if (!cli_parse(cli, argc, argv, NULL, &npos, &status))
		return status;
	if (npos > 1) {
		cli_usage_error(cli->command, "unexpected argument \"%s\"",
				cli_short(argv[1]));
		return CLI_EXIT_USAGE;
	}
	if (npos == 1) {
		plugin = argv[0];
		plen = strlen(plugin);
		status = cli_load_plugin(cli, plugin);
		if (status != CLI_EXIT_OK)
			return status;
	} else {
		refused = json_array();
		if (!refused)
			return cli_oom(cli->command);
		if (cli_load_all(cli, refused) < 0) {
			json_decref(refused);
			return CLI_EXIT_FAILED;
		}
		if (json_array_size(refused))
			cli_usage_error(cli->command,
					"warning: %zu plugin%s refused (linx "
					"plugins says why)",
					json_array_size(refused),
					json_array_size(refused) == 1 ? " was"
								      : "s were");
		json_decref(refused);
	}
	verbs = json_array();
	if (!verbs)
		return cli_oom(cli->command);
	for (size_t i = 0; (v = linx_registry_verb(cli->reg, i)); i++) {
		if (plugin &&
		    (strncmp(v->name, plugin, plen) != 0 || v->name[plen] != '.'))
			continue;
		if (json_array_append_new(verbs, verb_json(v)) < 0) {
			json_decref(verbs);
			return cli_oom(cli->command);
		}
	}
	status = cli_print_json(cli, verbs);
	json_decref(verbs);
	return status;
}
