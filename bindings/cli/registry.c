/* SPDX-License-Identifier: MIT */
/*
 * The CLI's one registry, and loading every plugin on the search path
 * while keeping every refusal (linx_registry_load_all() counts them but
 * describes only the first; `linx plugins` must list them all).
 *
 * The directory walk mirrors the core's (core/registry.c): in path order,
 * each directory's entries sorted, a candidate is <dir>/<name>.so or the
 * build tree's <dir>/<name>/<name>.so, the first file of each name wins.
 * Loading itself goes through linx_registry_load(name), so the core
 * still picks the file and runs every check.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Longest plugin name the core accepts (core/registry.c, MAX_NAME). */
#define PLUGIN_NAME_MAX 128

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
	size_t n = 0;

	if (!(*name >= 'a' && *name <= 'z'))
		return false;
	for (const char *s = name; *s; s++, n++)
		if (n >= PLUGIN_NAME_MAX ||
		    !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static bool regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool file_in_dir(const char *dir, const char *name, char *buf,
			size_t cap)
{
	if ((size_t)snprintf(buf, cap, "%s/%s.so", dir, name) < cap &&
	    regular_file(buf))
		return true;
	return (size_t)snprintf(buf, cap, "%s/%s/%s.so", dir, name, name) <
		       cap &&
	       regular_file(buf);
}

/* Call fn for each directory of the search path; stops on nonzero. */
static int for_each_dir(const char *path, int (*fn)(const char *, void *),
			void *arg)
{
	for (const char *p = path; p && *p;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char dir[PATH_MAX];

		if (n > 0 && n < sizeof(dir)) {
			int r;

			memcpy(dir, p, n);
			dir[n] = '\0';
			r = fn(dir, arg);
			if (r)
				return r;
		}
		p = colon ? colon + 1 : NULL;
	}
	return 0;
}

struct find_ctx {
	const char *name;
	char *buf;
	size_t cap;
};

static int find_in_dir(const char *dir, void *arg)
{
	struct find_ctx *c = arg;

	return file_in_dir(dir, c->name, c->buf, c->cap) ? 1 : 0;
}

bool cli_plugin_file(struct cli *cli, const char *name, char *buf, size_t cap)
{
	struct find_ctx c = { .name = name, .buf = buf, .cap = cap };

	return cli->reg && cli_plugin_name_valid(name) &&
	       for_each_dir(linx_registry_path(cli->reg), find_in_dir, &c) > 0;
}

struct load_ctx {
	struct cli *cli;
	json_t *refused;
	json_t *seen; /* names met in an earlier directory, as a set */
	int error;
};

static int refusal(struct load_ctx *c, const char *name, const char *file,
		   const struct linx_error *err)
{
	json_t *e = json_pack("{s:s, s:o, s:o}", "name", name, "file",
			      cli_json_text(file), "error",
			      cli_error_json(err));

	if (!e || json_array_append_new(c->refused, e) < 0)
		return -ENOMEM;
	return 0;
}

static int load_in_dir(const char *dir, void *arg)
{
	struct load_ctx *c = arg;
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char name[PLUGIN_NAME_MAX + 1], file[PATH_MAX];
		const char *base = names[i]->d_name;
		size_t len = strlen(base);
		struct linx_error err;

		if (len > 3 && strcmp(base + len - 3, ".so") == 0)
			len -= 3;
		if (c->error || len == 0 || len >= sizeof(name))
			continue;
		memcpy(name, base, len);
		name[len] = '\0';
		if (!cli_plugin_name_valid(name) ||
		    !file_in_dir(dir, name, file, sizeof(file)) ||
		    json_object_get(c->seen, name))
			continue;
		if (json_object_set_new(c->seen, name, json_true()) < 0) {
			c->error = -ENOMEM;
			continue;
		}
		if (linx_registry_load(c->cli->reg, name, &err) < 0 &&
		    c->refused && refusal(c, name, file, &err) < 0)
			c->error = -ENOMEM;
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

int cli_load_all(struct cli *cli, json_t *refused)
{
	struct load_ctx c = { .cli = cli, .refused = refused };

	if (!cli_registry(cli))
		return -EIO;
	c.seen = json_object();
	if (!c.seen) {
		cli_oom(cli->command);
		return -ENOMEM;
	}
	for_each_dir(linx_registry_path(cli->reg), load_in_dir, &c);
	json_decref(c.seen);
	if (c.error < 0)
		cli_oom(cli->command);
	return c.error;
}

int cli_load_plugin(struct cli *cli, const char *name)
{
	char file[PATH_MAX];
	struct linx_error err;

	if (!cli_plugin_name_valid(name)) {
		cli_usage_error(cli->command,
				"\"%s\" is not a plugin name ([a-z][a-z0-9_]*)",
				cli_short(name));
		return CLI_EXIT_USAGE;
	}
	if (!cli_registry(cli))
		return CLI_EXIT_FAILED;
	if (!cli_plugin_file(cli, name, file, sizeof(file))) {
		cli_usage_error(cli->command,
				"no plugin \"%s\" on the search path (%s)", name,
				linx_registry_path(cli->reg));
		return CLI_EXIT_USAGE;
	}
	if (linx_registry_load(cli->reg, name, &err) < 0) {
		cli_report(cli->command, &err);
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}
