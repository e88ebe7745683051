/* SPDX-License-Identifier: MIT */
/*
 * The loader: finding a plugin on the search path, checking its
 * descriptor, copying its records at the host's sizes, running its init
 * and publishing its verbs (verb-table.c).  Opening the file and checking
 * it is plugin-file.c's.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry-internal.h"

#define MAX_VERBS_PER_PLUGIN 4096

/* Struct sizes each ABI minor defined, for checking a plugin built against
 * an older minor.  Append a row with every minor bump. */
static const struct {
	uint32_t plugin, verb, param, host;
} abi_sizes[LINX_ABI_MINOR + 1] = {
	/* 1.0: 47 host services; no state pointers. */
	[0] = { 88, 56, sizeof(struct linx_param), 8 + 47 * sizeof(void *) },
	[1] = { sizeof(struct linx_plugin), sizeof(struct linx_verb),
		sizeof(struct linx_param), sizeof(struct linx_host) },
};

/* ---- names -------------------------------------------------------------- */

bool linx__ident_valid(const char *s)
{
	if (!s || !(*s >= 'a' && *s <= 'z'))
		return false;
	for (size_t n = 0; *s; s++, n++) {
		if (n >= MAX_NAME)
			return false;
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	}
	return true;
}

/* "<plugin>.<part>[.<part>...]", each part an identifier. */
static bool valid_verb_name(const char *name, const char *plugin)
{
	size_t plen = strlen(plugin);
	const char *p;

	if (!name || strlen(name) >= MAX_NAME ||
	    strncmp(name, plugin, plen) != 0 || name[plen] != '.')
		return false;
	p = name + plen + 1;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char part[MAX_NAME];

		memcpy(part, p, n);
		part[n] = '\0';
		if (!linx__ident_valid(part))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

/* ---- descriptor checks --------------------------------------------------- */

int linx__refuse(struct linx_error *err, int code, const char *file,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	linx_error_setv(err, code, "load", fmt, ap);
	va_end(ap);
	linx_error_object(err, file);
	return linx_error_prefix(err, "plugin %s refused", file);
}

static int check_abi(const struct linx_plugin *d, const char *file,
		     struct linx_error *err)
{
	if (d->abi_major != LINX_ABI_MAJOR)
		return linx__refuse(err, ENOEXEC, file,
			      "built for plugin ABI %u.%u, this liblinx "
			      "provides ABI %u.%u (the major must match)",
			      d->abi_major, d->abi_minor, LINX_ABI_MAJOR,
			      LINX_ABI_MINOR);
	if (d->abi_minor > LINX_ABI_MINOR)
		return linx__refuse(err, ENOEXEC, file,
			      "built for plugin ABI %u.%u, newer than this "
			      "liblinx's %u.%u",
			      d->abi_major, d->abi_minor, LINX_ABI_MAJOR,
			      LINX_ABI_MINOR);
	if (d->plugin_size != abi_sizes[d->abi_minor].plugin ||
	    d->verb_size != abi_sizes[d->abi_minor].verb ||
	    d->param_size != abi_sizes[d->abi_minor].param ||
	    d->host_size != abi_sizes[d->abi_minor].host ||
	    d->value_size != sizeof(struct linx_value) ||
	    d->error_size != sizeof(struct linx_error))
		return linx__refuse(err, ENOEXEC, file,
			      "struct sizes (plugin %u, verb %u, param %u, "
			      "host %u, value %u, error %u) do not match ABI "
			      "%u.%u",
			      d->plugin_size, d->verb_size, d->param_size,
			      d->host_size, d->value_size, d->error_size,
			      d->abi_major, d->abi_minor);
	return 0;
}

static int check_params(const struct linx_plugin *d, const struct linx_verb *v,
			const char *file, struct linx_error *err)
{
	if (v->n_params > LINX_MAX_PARAMS)
		return linx__refuse(err, EINVAL, file,
			      "verb %s has %u parameters, at most %u allowed",
			      v->name, v->n_params, LINX_MAX_PARAMS);
	if (v->n_params && !v->params)
		return linx__refuse(err, EINVAL, file,
			      "verb %s declares %u parameters but no table",
			      v->name, v->n_params);
	for (uint32_t i = 0; i < v->n_params; i++) {
		const struct linx_param *p = (const void *)((const char *)v->params +
							    (size_t)i * d->param_size);

		if (!linx__ident_valid(p->name))
			return linx__refuse(err, EINVAL, file,
				      "verb %s: parameter %u has a missing or "
				      "malformed name",
				      v->name, i);
		if (!p->doc)
			return linx__refuse(err, EINVAL, file,
				      "verb %s: parameter %s has no doc",
				      v->name, p->name);
		if (!p->types || (p->types & ~LINX_TM_ANY))
			return linx__refuse(err, EINVAL, file,
				      "verb %s: parameter %s has no valid type",
				      v->name, p->name);
		if (p->flags & ~LINX_PARAM_KNOWN_FLAGS)
			return linx__refuse(err, EINVAL, file,
				      "verb %s: parameter %s has unknown flags "
				      "%#x",
				      v->name, p->name, p->flags);
		for (uint32_t k = 0; k < i; k++) {
			const struct linx_param *q =
				(const void *)((const char *)v->params +
					       (size_t)k * d->param_size);

			if (strcmp(p->name, q->name) == 0)
				return linx__refuse(err, EINVAL, file,
					      "verb %s: duplicate parameter %s",
					      v->name, p->name);
		}
	}
	return 0;
}

/* Everything a descriptor must have; reads records with the plugin's own
 * stride. */
static int check_descriptor(const struct linx_plugin *d, const char *file,
			    struct linx_error *err)
{
	int r = check_abi(d, file, err);

	if (r < 0)
		return r;
	if (!linx__ident_valid(d->name))
		return linx__refuse(err, EINVAL, file,
			      "descriptor has a missing or malformed name");
	if (!d->version || !d->version[0] || !d->summary || !d->summary[0])
		return linx__refuse(err, EINVAL, file,
			      "descriptor of %s lacks a version or summary",
			      d->name);
	if (!d->init)
		return linx__refuse(err, EINVAL, file,
			      "descriptor of %s has no init function (write it "
			      "with LINX_PLUGIN_DEFINE)",
			      d->name);
	if (!d->verbs || d->n_verbs == 0 || d->n_verbs > MAX_VERBS_PER_PLUGIN)
		return linx__refuse(err, EINVAL, file,
			      "descriptor of %s has no verb table", d->name);
	for (uint32_t i = 0; i < d->n_verbs; i++) {
		const struct linx_verb *v = (const void *)((const char *)d->verbs +
							   (size_t)i * d->verb_size);

		if (!v->name)
			return linx__refuse(err, EINVAL, file, "verb %u has no name",
				      i);
		if (!valid_verb_name(v->name, d->name))
			return linx__refuse(err, EINVAL, file,
				      "verb \"%s\" is malformed or outside the "
				      "plugin's prefix \"%s.\"",
				      v->name, d->name);
		if (!v->summary || !v->summary[0] || !v->fn)
			return linx__refuse(err, EINVAL, file,
				      "verb %s lacks a summary or a function",
				      v->name);
		if (v->flags & ~LINX_VERB_KNOWN_FLAGS)
			return linx__refuse(err, EINVAL, file,
				      "verb %s has unknown flags %#x", v->name,
				      v->flags);
		r = check_params(d, v, file, err);
		if (r < 0)
			return r;
		for (uint32_t k = 0; k < i; k++) {
			const struct linx_verb *o =
				(const void *)((const char *)d->verbs +
					       (size_t)k * d->verb_size);

			if (strcmp(o->name, v->name) == 0)
				return linx__refuse(err, EEXIST, file,
					      "duplicate verb %s", v->name);
		}
	}
	return 0;
}

static void loaded_free(struct loaded *l)
{
	if (!l)
		return;
	free(l->file);
	free(l->verbs);
	free(l->params);
	free(l);
}

/* Copy the verb and parameter records at host size. */
static struct loaded *loaded_new(const struct linx_plugin *d, const char *file)
{
	struct loaded *l = calloc(1, sizeof(*l));
	size_t n_params = 0, at = 0;

	if (!l)
		return NULL;
	for (uint32_t i = 0; i < d->n_verbs; i++)
		n_params += ((const struct linx_verb *)(const void *)((const char *)d->verbs +
								      (size_t)i * d->verb_size))
				    ->n_params;
	memcpy(&l->desc, d, d->plugin_size);
	l->file = strdup(file);
	l->verbs = calloc(d->n_verbs, sizeof(*l->verbs));
	l->params = calloc(n_params ? n_params : 1, sizeof(*l->params));
	if (!l->file || !l->verbs || !l->params) {
		loaded_free(l);
		return NULL;
	}
	for (uint32_t i = 0; i < d->n_verbs; i++) {
		const char *src = (const char *)d->verbs + (size_t)i * d->verb_size;
		struct linx_verb *v = &l->verbs[i];

		memcpy(v, src, d->verb_size);
		for (uint32_t k = 0; k < v->n_params; k++)
			memcpy(&l->params[at + k],
			       (const char *)v->params + (size_t)k * d->param_size,
			       d->param_size);
		v->params = v->n_params ? &l->params[at] : NULL;
		v->state = NULL; /* the host's field, whatever the plugin wrote */
		at += v->n_params;
	}
	l->desc.verbs = l->verbs;
	return l;
}

/* init, then (ABI 1.1) init_state; on failure undo what ran, and fill
 * `err` (never NULL here) naming the file. */
static int init_plugin(struct loaded *l, struct linx_error *err)
{
	const struct linx_plugin *d = &l->desc;
	int r;

	/* init gets a clean struct to fill: what the caller's held must not
	 * pass for init's reason. */
	linx_error_clear(err);
	r = d->init(linx_host_services(), err);
	if (r >= 0 && d->init_state) {
		r = d->init_state(linx_host_services(), &l->state, err);
		if (r < 0 && d->fini)
			d->fini();
	}
	if (r >= 0) {
		for (uint32_t i = 0; i < d->n_verbs; i++)
			l->verbs[i].state = l->state;
		return 0;
	}
	if (err->code == 0)
		linx_error_set(err, r, "load", NULL);
	linx__strlcpy(err->op, "load", sizeof(err->op));
	linx_error_object(err, l->file);
	return linx_error_prefix(err, "plugin %s (%s): init failed", d->name,
				 l->file);
}

static void fini_plugin(struct loaded *l)
{
	if (l->desc.fini_state)
		l->desc.fini_state(l->state);
	if (l->desc.fini)
		l->desc.fini();
}

void linx__loaded_release(struct loaded *l)
{
	fini_plugin(l);
	loaded_free(l);
}

/* Check, init and publish a descriptor.  Called locked. */
static int add_locked(struct linx_registry *reg, const struct linx_plugin *d,
		      const char *file, bool *ret_init_ran,
		      struct linx_error *err)
{
	struct snapshot *old = linx__table_current(reg), *next;
	struct linx_error local;
	struct loaded *dup, *l;
	int r = check_descriptor(d, file, err);

	if (r < 0)
		return r;
	dup = linx__table_plugin(old, d->name);
	if (dup)
		return linx__refuse(err, EEXIST, file,
			      "a plugin named %s is already loaded from %s",
			      d->name, dup->file);
	l = loaded_new(d, file);
	if (!l)
		return linx_error_set(err, ENOMEM, "load", NULL);
	*ret_init_ran = true;
	r = init_plugin(l, err ? err : &local);
	if (r < 0) {
		loaded_free(l);
		return r;
	}
	next = linx__table_extend(old, l);
	if (!next) {
		fini_plugin(l);
		loaded_free(l);
		return linx_error_set(err, ENOMEM, "load", NULL);
	}
	next->prev = old;
	atomic_store_explicit(&reg->snap, next, memory_order_release);
	return 0;
}

int linx_registry_add_static(struct linx_registry *reg,
			     const struct linx_plugin *plugin,
			     struct linx_error *err)
{
	bool init_ran = false;
	int r;

	if (!reg || !plugin)
		return linx_error_param(err, "load", reg ? "plugin" : "reg",
					"no %s", reg ? "plugin" : "registry");
	pthread_mutex_lock(&reg->lock);
	r = add_locked(reg, plugin, STATIC_FILE, &init_ran, err);
	pthread_mutex_unlock(&reg->lock);
	return r;
}

static int load_file_locked(struct linx_registry *reg, const char *path,
			    const char *expect_name, struct linx_error *err)
{
	const struct linx_plugin *const *entry;
	const struct linx_plugin *d;
	bool init_ran = false;
	char fd_path[64];
	void *dl;
	int r;
	/* Load what was checked, not whatever the path names by now. */
	_cleanup_close_ int fd = linx__plugin_open(
		path, !(reg->flags & LINX_REGISTRY_UNCHECKED), fd_path,
		sizeof(fd_path), err);

	if (fd < 0)
		return fd;
	dl = dlopen(fd_path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		const char *why = dlerror();

		return linx__refuse(err, ENOEXEC, path, "dlopen: %s",
			      why ? why : "unknown error");
	}
	entry = dlsym(dl, LINX_PLUGIN_SYMBOL_NAME);
	if (!entry || !*entry) {
		dlclose(dl);
		return linx__refuse(err, ENOEXEC, path,
			      "no %s symbol (not a Linx plugin?)",
			      LINX_PLUGIN_SYMBOL_NAME);
	}
	d = *entry;
	/* Every refusal below is formatted into `err` before dlclose(): the
	 * descriptor and every string it points to live in the object, so
	 * nothing may read them once it is unmapped. */
	if (expect_name && d->abi_major == LINX_ABI_MAJOR &&
	    (!d->name || strcmp(d->name, expect_name) != 0))
		r = linx__refuse(err, EINVAL, path,
			   "file is named for plugin %s but declares %s",
			   expect_name, d->name ? d->name : "no name");
	else
		r = add_locked(reg, d, path, &init_ran, err);
	/* Refused before init ran: safe to unmap.  After init the plugin may
	 * have left state behind, so it stays mapped (plugins never unload). */
	if (r < 0 && !init_ran)
		dlclose(dl);
	return r;
}

int linx_registry_load_file(struct linx_registry *reg, const char *path,
			    struct linx_error *err)
{
	int r;

	if (!reg || !path || !*path)
		return linx_error_param(err, "load", reg ? "path" : "reg",
					"no %s", reg ? "path" : "registry");
	pthread_mutex_lock(&reg->lock);
	r = load_file_locked(reg, path, NULL, err);
	pthread_mutex_unlock(&reg->lock);
	return r;
}

/* The file for plugin `name` in `dir`: <dir>/<name>.so, or
 * <dir>/<name>/<name>.so (the build tree's layout). */
static bool plugin_file(const char *dir, const char *name, char *buf,
			size_t cap)
{
	struct stat st;

	if ((size_t)snprintf(buf, cap, "%s/%s.so", dir, name) < cap &&
	    stat(buf, &st) == 0 && S_ISREG(st.st_mode))
		return true;
	if ((size_t)snprintf(buf, cap, "%s/%s/%s.so", dir, name, name) < cap &&
	    stat(buf, &st) == 0 && S_ISREG(st.st_mode))
		return true;
	return false;
}

/* Iterate over the search path; fn returns > 0 to stop. */
static int for_each_dir(const char *path, int (*fn)(const char *dir, void *),
			void *arg)
{
	const char *p = path;

	while (p && *p) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char dir[PATH_MAX];

		if (n > 0 && n < sizeof(dir)) {
			int r;

			memcpy(dir, p, n);
			dir[n] = '\0';
			r = fn(dir, arg);
			if (r != 0)
				return r;
		}
		p = colon ? colon + 1 : NULL;
	}
	return 0;
}

struct find_ctx {
	const char *name;
	char file[PATH_MAX];
};

static int find_in_dir(const char *dir, void *arg)
{
	struct find_ctx *c = arg;

	return plugin_file(dir, c->name, c->file, sizeof(c->file)) ? 1 : 0;
}

int linx__load_by_name_locked(struct linx_registry *reg, const char *name,
			       struct linx_error *err)
{
	struct find_ctx c = { .name = name };

	if (linx__table_plugin(linx__table_current(reg), name))
		return 0;
	if (for_each_dir(reg->path, find_in_dir, &c) <= 0) {
		linx_error_set(err, ENOENT, "load",
			       "no plugin \"%s\" on the search path (%s)", name,
			       reg->path[0] ? reg->path : "empty");
		return linx_error_object(err, name);
	}
	return load_file_locked(reg, c.file, name, err);
}

int linx_registry_load(struct linx_registry *reg, const char *name,
		       struct linx_error *err)
{
	int r;

	if (!reg)
		return linx_error_param(err, "load", "reg", "no registry");
	if (!linx__ident_valid(name))
		return linx_error_param(err, "load", "name",
					"malformed plugin name \"%s\"",
					name ? name : "(null)");
	pthread_mutex_lock(&reg->lock);
	r = linx__load_by_name_locked(reg, name, err);
	pthread_mutex_unlock(&reg->lock);
	return r;
}

struct refusal {
	char name[MAX_NAME];
	char file[PATH_MAX];
	struct linx_error err;
};

struct load_all_ctx {
	struct linx_registry *reg;
	/* Every refusal, reported once the lock is released so the callback
	 * may use the registry. */
	struct refusal *refusals;
	size_t n_refused;
	bool nomem;
	/* Names already seen on an earlier directory: the first wins. */
	char **seen;
	size_t n_seen;
};

static bool seen_before(struct load_all_ctx *c, const char *name)
{
	char **grown;

	for (size_t i = 0; i < c->n_seen; i++)
		if (strcmp(c->seen[i], name) == 0)
			return true;
	grown = realloc(c->seen, (c->n_seen + 1) * sizeof(*grown));
	if (!grown)
		return false;
	c->seen = grown;
	c->seen[c->n_seen] = strdup(name);
	if (c->seen[c->n_seen])
		c->n_seen++;
	return false;
}

static int load_all_in_dir(const char *dir, void *arg)
{
	struct load_all_ctx *c = arg;
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char name[MAX_NAME], file[PATH_MAX];
		const char *base = names[i]->d_name;
		size_t len = strlen(base);

		if (len > 3 && strcmp(base + len - 3, ".so") == 0)
			len -= 3;
		if (len == 0 || len >= sizeof(name)) {
			free(names[i]);
			continue;
		}
		memcpy(name, base, len);
		name[len] = '\0';
		free(names[i]);
		if (!linx__ident_valid(name) || !plugin_file(dir, name, file, sizeof(file)) ||
		    seen_before(c, name))
			continue;
		if (linx__table_plugin(linx__table_current(c->reg), name))
			continue;
		{
			struct refusal *grown;
			struct linx_error e;

			if (load_file_locked(c->reg, file, name, &e) >= 0)
				continue;
			grown = realloc(c->refusals,
					(c->n_refused + 1) * sizeof(*grown));
			if (!grown) {
				c->nomem = true;
				continue;
			}
			c->refusals = grown;
			linx__strlcpy(grown[c->n_refused].name, name, MAX_NAME);
			linx__strlcpy(grown[c->n_refused].file, file, PATH_MAX);
			grown[c->n_refused++].err = e;
		}
	}
	free(names);
	return 0;
}

int linx_registry_load_all(struct linx_registry *reg,
			   linx_refusal_fn *on_refused, void *arg,
			   struct linx_error *err)
{
	struct load_all_ctx c = { .reg = reg };
	int r;

	if (!reg)
		return linx_error_param(err, "load", "reg", "no registry");
	pthread_mutex_lock(&reg->lock);
	for_each_dir(reg->path, load_all_in_dir, &c);
	pthread_mutex_unlock(&reg->lock);
	for (size_t i = 0; i < c.n_refused; i++)
		if (on_refused)
			on_refused(arg, c.refusals[i].name, c.refusals[i].file,
				   &c.refusals[i].err);
	if (c.nomem)
		linx_error_set(err, ENOMEM, "load",
			       "out of memory while loading plugins");
	else if (c.n_refused && err)
		*err = c.refusals[0].err;
	r = c.nomem ? -ENOMEM : (int)c.n_refused;
	for (size_t i = 0; i < c.n_seen; i++)
		free(c.seen[i]);
	free(c.seen);
	free(c.refusals);
	return r;
}

