/* SPDX-License-Identifier: MIT */
/*
 * The registry: the object front-ends hold - its search path, the plugins
 * loaded into it (loader.c) and their verbs (verb-table.c) - and the
 * lookups and calls that go through it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry-internal.h"

bool linx__in_build_tree(void)
{
#ifdef LINX_BUILD_CORE_DIR
	Dl_info info;
	char lib[PATH_MAX], core[PATH_MAX];
	char *slash;

	if (!dladdr((void *)linx_version, &info) || !info.dli_fname)
		return false;
	if (!realpath(info.dli_fname, lib) ||
	    !realpath(LINX_BUILD_CORE_DIR, core))
		return false;
	slash = strrchr(lib, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return strcmp(lib, core) == 0;
#else
	return false;
#endif
}

/* The build tree's plugin directory, if this liblinx runs from the build
 * tree. */
static const char *build_tree_plugins(void)
{
#ifdef LINX_BUILD_PLUGIN_DIR
	if (linx__in_build_tree())
		return LINX_BUILD_PLUGIN_DIR;
#endif
	return NULL;
}

/* $LINX_PLUGIN_UNCHECKED set to anything but "" or "0".  secure_getenv(3):
 * a set-user-ID program ignores it. */
static bool unchecked_by_env(void)
{
	const char *v = secure_getenv(LINX_PLUGIN_UNCHECKED_ENV);

	return v && *v && strcmp(v, "0") != 0;
}

int linx_registry_new(struct linx_registry **ret, uint32_t flags,
		      struct linx_error *err)
{
	struct linx_registry *reg;
	char *path = NULL;
	int r;

	if (!ret)
		return linx_error_param(err, "registry", "ret", "no output");
	*ret = NULL;
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return linx_error_set(err, ENOMEM, "registry", NULL);
	pthread_mutex_init(&reg->lock, NULL);
	reg->flags = flags;
	if (unchecked_by_env())
		reg->flags |= LINX_REGISTRY_UNCHECKED;
	atomic_init(&reg->snap, NULL);
	if (!(flags & LINX_REGISTRY_NO_SEARCH)) {
		const char *env = secure_getenv(LINX_PLUGIN_PATH_ENV);
		const char *build = build_tree_plugins();

		if (asprintf(&path, "%s%s%s%s%s", env && *env ? env : "",
			     env && *env ? ":" : "", build ? build : "",
			     build ? ":" : "", LINX_PLUGIN_INSTALL_DIR) < 0)
			path = NULL;
		if (!path) {
			linx_registry_free(reg);
			return linx_error_set(err, ENOMEM, "registry", NULL);
		}
	}
	r = linx_registry_set_path(reg, path, err);
	free(path);
	if (r < 0) {
		linx_registry_free(reg);
		return r;
	}
	*ret = reg;
	return 0;
}

void linx_registry_free(struct linx_registry *reg)
{
	struct snapshot *s;

	if (!reg)
		return;
	s = linx__table_current(reg);
	if (s) {
		for (size_t i = s->n_plugins; i-- > 0;)
			linx__loaded_release(s->plugins[i]);
	}
	while (s) {
		struct snapshot *prev = s->prev;

		linx__table_free(s);
		s = prev;
	}
	pthread_mutex_destroy(&reg->lock);
	for (struct path_text *p = atomic_load(&reg->paths), *prev; p;
	     p = prev) {
		prev = p->prev;
		free(p);
	}
	free(reg);
}

int linx_registry_set_path(struct linx_registry *reg, const char *dirs,
			   struct linx_error *err)
{
	struct path_text *p;
	size_t n;

	if (!reg)
		return linx_error_param(err, "registry", "reg", "no registry");
	n = strlen(dirs ? dirs : "");
	p = malloc(sizeof(*p) + n + 1);
	if (!p)
		return linx_error_set(err, ENOMEM, "registry", NULL);
	memcpy(p->text, dirs ? dirs : "", n + 1);
	pthread_mutex_lock(&reg->lock);
	p->prev = atomic_load(&reg->paths);
	reg->path = p->text;
	atomic_store_explicit(&reg->paths, p, memory_order_release);
	pthread_mutex_unlock(&reg->lock);
	return 0;
}

const char *linx_registry_path(const struct linx_registry *reg)
{
	struct path_text *p;

	if (!reg)
		return NULL;
	p = atomic_load_explicit(&((struct linx_registry *)reg)->paths,
				 memory_order_acquire);
	return p ? p->text : "";
}

const struct linx_plugin *linx_registry_plugin(const struct linx_registry *reg,
					       size_t i, const char **ret_file)
{
	const struct snapshot *s = reg ? linx__table_current(reg) : NULL;

	if (!s || i >= s->n_plugins)
		return NULL;
	if (ret_file)
		*ret_file = s->plugins[i]->file;
	return &s->plugins[i]->desc;
}

const struct linx_verb *linx_registry_verb(const struct linx_registry *reg,
					   size_t i)
{
	const struct snapshot *s = reg ? linx__table_current(reg) : NULL;

	return s && i < s->n_verbs ? s->sorted[i] : NULL;
}

int linx_registry_find(struct linx_registry *reg, const char *name,
		       const struct linx_verb **ret, struct linx_error *err)
{
	const struct linx_verb *v;
	char prefix[MAX_NAME];
	const char *dot;
	struct linx_error load_err;
	uint32_t hash;
	int r;

	if (!reg || !ret)
		return linx_error_param(err, "find", reg ? "ret" : "reg",
					"no %s", reg ? "output" : "registry");
	if (!name || !*name || linx__table_hash(name, &hash) >= MAX_NAME)
		return linx_error_param(err, "find", "verb",
					"missing or over-long verb name");
	v = linx__table_find(linx__table_current(reg), name, hash);
	if (v) {
		*ret = v;
		return 0;
	}
	/* Not loaded yet: the prefix names the plugin. */
	dot = strchr(name, '.');
	if (!dot || dot == name || (size_t)(dot - name) >= sizeof(prefix))
		goto unknown;
	memcpy(prefix, name, (size_t)(dot - name));
	prefix[dot - name] = '\0';
	if (!linx__ident_valid(prefix))
		goto unknown;
	pthread_mutex_lock(&reg->lock);
	r = linx__load_by_name_locked(reg, prefix, &load_err);
	pthread_mutex_unlock(&reg->lock);
	if (r < 0 && load_err.code != ENOENT) {
		/* The plugin exists but was refused: that is the news. */
		if (err)
			*err = load_err;
		return r;
	}
	v = linx__table_find(linx__table_current(reg), name, hash);
	if (v) {
		*ret = v;
		return 0;
	}
unknown:
	linx_error_set(err, ENOENT, "find", "unknown verb \"%s\"", name);
	return linx_error_object(err, name);
}

int linx_call(struct linx_registry *reg, const char *verb,
	      const struct linx_value *args, struct linx_value *ret,
	      uint32_t flags, struct linx_error *err)
{
	const struct linx_verb *v;
	int r;

	if (ret)
		*ret = linx_value_nil();
	r = linx_registry_find(reg, verb, &v, err);
	if (r < 0)
		return r;
	return linx_call_verb(v, args, ret, flags, err);
}

const char *linx_version(void)
{
	return LINX_VERSION_STRING;
}
