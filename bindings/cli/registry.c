/* SPDX-License-Identifier: MIT */
/*
 * The CLI's one registry, and loading plugins: every plugin on the search
 * path for `linx plugins` and `linx verbs` (each refusal kept for the
 * listing), or one by name.  The core walks the search path and checks
 * every plugin; the CLI only reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct linx_registry *cli_registry(struct cli *cli)
{
	struct linx_error err;
	char *path = NULL;

	if (cli->reg)
		return cli->reg;
	if (linx_registry_new(&cli->reg, 0, &err) < 0) {
		cli->reg = NULL;
		cli_report("registry", &err);
		return NULL;
	}
	if (!cli->plugin_path)
		return cli->reg;
	if (asprintf(&path, "%s:%s", cli->plugin_path,
		     linx_registry_path(cli->reg)) < 0) {
		cli_oom("registry");
		goto fail;
	}
	if (linx_registry_set_path(cli->reg, path, &err) < 0) {
		cli_report("registry", &err);
		goto fail;
	}
	free(path);
	return cli->reg;
fail:
	free(path);
	linx_registry_free(cli->reg);
	cli->reg = NULL;
	return NULL;
}

bool cli_plugin_name_valid(const char *name)
{
	if (!(*name >= 'a' && *name <= 'z'))
		return false;
	for (const char *s = name; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

struct load_ctx {
	json_t *refused;
	int error;
};

static void refusal(void *arg, const char *name, const char *file,
		    const struct linx_error *err)
{
	struct load_ctx *c = arg;
	json_t *e;

	if (!c->refused || c->error)
		return;
	e = json_pack("{s:s, s:o, s:o}", "name", name, "file",
		      cli_json_text(file), "error", cli_error_json(err));
	if (!e || json_array_append_new(c->refused, e) < 0)
		c->error = -ENOMEM;
}

int cli_load_all(struct cli *cli, json_t *refused)
{
	struct load_ctx c = { .refused = refused };
	struct linx_error err;

	if (!cli_registry(cli))
		return -EIO;
	if (linx_registry_load_all(cli->reg, refusal, &c, &err) == -ENOMEM ||
	    c.error < 0) {
		cli_oom(cli->command);
		return -ENOMEM;
	}
	return 0;
}

int cli_load_plugin(struct cli *cli, const char *name)
{
	struct linx_error err;
	int r;

	if (!cli_plugin_name_valid(name)) {
		cli_usage_error(cli->command,
				"\"%s\" is not a plugin name ([a-z][a-z0-9_]*)",
				cli_short(name));
		return CLI_EXIT_USAGE;
	}
	if (!cli_registry(cli))
		return CLI_EXIT_FAILED;
	r = linx_registry_load(cli->reg, name, &err);
	if (r == -EINVAL && strcmp(err.param, "name") == 0) {
		/* A name the core will not take (too long, for one). */
		cli_usage_error(cli->command,
				"\"%s\" is not a plugin name (%s)",
				cli_short(name), "[a-z][a-z0-9_]*, at most 127 "
						 "characters");
		return CLI_EXIT_USAGE;
	}
	if (r == -ENOENT && strcmp(err.object, name) == 0) {
		/* Not on the path at all (the error names the plugin; a
		 * refusal names its file): a usage error. */
		cli_usage_error(cli->command,
				"no plugin \"%s\" on the search path (%s)", name,
				linx_registry_path(cli->reg));
		return CLI_EXIT_USAGE;
	}
	if (r < 0) {
		cli_report(cli->command, &err);
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}
