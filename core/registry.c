/* SPDX-License-Identifier: MIT */
/*
 * The plugin registry: finding, checking and loading plugins, and the verb
 * table lookups go through.
 *
 * Lookups are lock-free: the verb table is an immutable snapshot that a
 * load replaces atomically.  Old snapshots are kept until the registry is
 * freed (there is one per plugin load, so a handful), which is what makes a
 * reader that still holds one safe without reference counting.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define STATIC_FILE "(static)"
#define MAX_VERBS_PER_PLUGIN 4096
#define MAX_NAME 128

#if __SIZEOF_POINTER__ == 8
#define LINX_ELF_CLASS ELFCLASS64
#else
#define LINX_ELF_CLASS ELFCLASS32
#endif

struct loaded {
	/* The plugin's descriptor copied at the host's size (an older
	 * plugin's is zero-extended), its verbs pointing at `verbs`. */
	struct linx_plugin desc;
	/* What init_state stored for this registry (ABI 1.1). */
	void *state;
	char *file;
	/* The plugin's verb and parameter records, copied at the host's
	 * struct sizes (an older plugin's records are zero-extended). */
	struct linx_verb *verbs;
	struct linx_param *params;
};

struct snapshot {
	struct snapshot *prev; /* older snapshots, freed with the registry */
	size_t n_plugins;
	struct loaded **plugins;
	size_t n_verbs;
	const struct linx_verb **sorted; /* by name */
	uint32_t mask;
	const struct linx_verb **slots; /* open addressing, by name hash */
};

/* A search path.  Replaced ones are kept until the registry is freed, so
 * a string linx_registry_path() handed out stays valid even if another
 * thread sets a new path (set_path is a set-up call: a handful at most). */
struct path_text {
	struct path_text *prev;
	char text[];
};

struct linx_registry {
	pthread_mutex_t lock; /* serialises loads and path changes */
	uint32_t flags;
	char *path; /* == current path_text's text */
	_Atomic(struct path_text *) paths;
	_Atomic(struct snapshot *) snap;
};

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

static bool valid_ident(const char *s)
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
		if (!valid_ident(part))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

/* ---- snapshots ------------------------------------------------------------ */

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static int cmp_verbs(const void *a, const void *b)
{
	const struct linx_verb *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static const struct linx_verb *snap_find(const struct snapshot *s,
					 const char *name, uint32_t hash)
{
	if (!s || !s->slots)
		return NULL;
	for (uint32_t h = hash & s->mask;; h = (h + 1) & s->mask) {
		const struct linx_verb *v = s->slots[h];

		if (!v)
			return NULL;
		if (strcmp(v->name, name) == 0)
			return v;
	}
}

/* hash_name() and the length in one pass, stopping at MAX_NAME: the
 * lookup of a verb by name is on every linx_call(). */
static size_t hash_name_len(const char *s, uint32_t *ret_hash)
{
	uint32_t h = 2166136261u;
	size_t n = 0;

	while (s[n] && n < MAX_NAME)
		h = (h ^ (uint8_t)s[n++]) * 16777619u;
	*ret_hash = h;
	return n;
}

static void snap_free(struct snapshot *s)
{
	if (!s)
		return;
	free(s->plugins);
	free(s->sorted);
	free(s->slots);
	free(s);
}

/* Build the successor of `old` with `add` appended.  Called locked. */
static struct snapshot *snap_extend(const struct snapshot *old,
				    struct loaded *add)
{
	size_t np = (old ? old->n_plugins : 0) + 1;
	size_t nv = (old ? old->n_verbs : 0) + add->desc.n_verbs;
	uint32_t size = 16;
	struct snapshot *s = calloc(1, sizeof(*s));

	while (size < nv * 2)
		size <<= 1;
	if (!s)
		return NULL;
	s->plugins = malloc(np * sizeof(*s->plugins));
	s->sorted = malloc(nv * sizeof(*s->sorted));
	s->slots = calloc(size, sizeof(*s->slots));
	if (!s->plugins || !s->sorted || !s->slots) {
		snap_free(s);
		return NULL;
	}
	if (old) {
		memcpy(s->plugins, old->plugins,
		       old->n_plugins * sizeof(*s->plugins));
		memcpy(s->sorted, old->sorted, old->n_verbs * sizeof(*s->sorted));
	}
	s->plugins[np - 1] = add;
	for (uint32_t i = 0; i < add->desc.n_verbs; i++)
		s->sorted[nv - add->desc.n_verbs + i] = &add->verbs[i];
	s->n_plugins = np;
	s->n_verbs = nv;
	qsort(s->sorted, nv, sizeof(*s->sorted), cmp_verbs);
	s->mask = size - 1;
	for (size_t i = 0; i < nv; i++) {
		uint32_t h = hash_name(s->sorted[i]->name) & s->mask;

		while (s->slots[h])
			h = (h + 1) & s->mask;
		s->slots[h] = s->sorted[i];
	}
	return s;
}

static struct snapshot *current(const struct linx_registry *reg)
{
	return atomic_load_explicit(
		&((struct linx_registry *)reg)->snap, memory_order_acquire);
}

static struct loaded *find_plugin(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; s && i < s->n_plugins; i++)
		if (strcmp(s->plugins[i]->desc.name, name) == 0)
			return s->plugins[i];
	return NULL;
}

/* ---- descriptor checks ---------------------------------------------------- */

static int refuse(struct linx_error *err, int code, const char *file,
		  const char *fmt, ...) LINX_PRINTF(4, 5);

static int refuse(struct linx_error *err, int code, const char *file,
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
		return refuse(err, ENOEXEC, file,
			      "built for plugin ABI %u.%u, this liblinx "
			      "provides ABI %u.%u (the major must match)",
			      d->abi_major, d->abi_minor, LINX_ABI_MAJOR,
			      LINX_ABI_MINOR);
	if (d->abi_minor > LINX_ABI_MINOR)
		return refuse(err, ENOEXEC, file,
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
		return refuse(err, ENOEXEC, file,
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
		return refuse(err, EINVAL, file,
			      "verb %s has %u parameters, at most %u allowed",
			      v->name, v->n_params, LINX_MAX_PARAMS);
	if (v->n_params && !v->params)
		return refuse(err, EINVAL, file,
			      "verb %s declares %u parameters but no table",
			      v->name, v->n_params);
	for (uint32_t i = 0; i < v->n_params; i++) {
		const struct linx_param *p = (const void *)((const char *)v->params +
							    (size_t)i * d->param_size);

		if (!valid_ident(p->name))
			return refuse(err, EINVAL, file,
				      "verb %s: parameter %u has a missing or "
				      "malformed name",
				      v->name, i);
		if (!p->doc)
			return refuse(err, EINVAL, file,
				      "verb %s: parameter %s has no doc",
				      v->name, p->name);
		if (!p->types || (p->types & ~LINX_TM_ANY))
			return refuse(err, EINVAL, file,
				      "verb %s: parameter %s has no valid type",
				      v->name, p->name);
		if (p->flags & ~LINX_PARAM_KNOWN_FLAGS)
			return refuse(err, EINVAL, file,
				      "verb %s: parameter %s has unknown flags "
				      "%#x",
				      v->name, p->name, p->flags);
		for (uint32_t k = 0; k < i; k++) {
			const struct linx_param *q =
				(const void *)((const char *)v->params +
					       (size_t)k * d->param_size);

			if (strcmp(p->name, q->name) == 0)
				return refuse(err, EINVAL, file,
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
	if (!valid_ident(d->name))
		return refuse(err, EINVAL, file,
			      "descriptor has a missing or malformed name");
	if (!d->version || !d->version[0] || !d->summary || !d->summary[0])
		return refuse(err, EINVAL, file,
			      "descriptor of %s lacks a version or summary",
			      d->name);
	if (!d->init)
		return refuse(err, EINVAL, file,
			      "descriptor of %s has no init function (write it "
			      "with LINX_PLUGIN_DEFINE)",
			      d->name);
	if (!d->verbs || d->n_verbs == 0 || d->n_verbs > MAX_VERBS_PER_PLUGIN)
		return refuse(err, EINVAL, file,
			      "descriptor of %s has no verb table", d->name);
	for (uint32_t i = 0; i < d->n_verbs; i++) {
		const struct linx_verb *v = (const void *)((const char *)d->verbs +
							   (size_t)i * d->verb_size);

		if (!v->name)
			return refuse(err, EINVAL, file, "verb %u has no name",
				      i);
		if (!valid_verb_name(v->name, d->name))
			return refuse(err, EINVAL, file,
				      "verb \"%s\" is malformed or outside the "
				      "plugin's prefix \"%s.\"",
				      v->name, d->name);
		if (!v->summary || !v->summary[0] || !v->fn)
			return refuse(err, EINVAL, file,
				      "verb %s lacks a summary or a function",
				      v->name);
		if (v->flags & ~LINX_VERB_KNOWN_FLAGS)
			return refuse(err, EINVAL, file,
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
				return refuse(err, EEXIST, file,
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

/* Check, init and publish a descriptor.  Called locked. */
static int add_locked(struct linx_registry *reg, const struct linx_plugin *d,
		      const char *file, bool *ret_init_ran,
		      struct linx_error *err)
{
	struct snapshot *old = current(reg), *next;
	struct linx_error local;
	struct loaded *dup, *l;
	int r = check_descriptor(d, file, err);

	if (r < 0)
		return r;
	dup = find_plugin(old, d->name);
	if (dup)
		return refuse(err, EEXIST, file,
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
	next = snap_extend(old, l);
	if (!next) {
		fini_plugin(l);
		loaded_free(l);
		return linx_error_set(err, ENOMEM, "load", NULL);
	}
	next->prev = old;
	atomic_store_explicit(&reg->snap, next, memory_order_release);
	return 0;
}

/* ---- public API ----------------------------------------------------------- */

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
	/* secure_getenv(3): a set-user-ID program ignores it. */
	{
		const char *unchecked = secure_getenv(LINX_PLUGIN_UNCHECKED_ENV);

		if (unchecked && *unchecked && strcmp(unchecked, "0") != 0)
			reg->flags |= LINX_REGISTRY_UNCHECKED;
	}
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
	s = current(reg);
	if (s) {
		for (size_t i = s->n_plugins; i-- > 0;) {
			fini_plugin(s->plugins[i]);
			loaded_free(s->plugins[i]);
		}
	}
	while (s) {
		struct snapshot *prev = s->prev;

		snap_free(s);
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

/*
 * The checks dlopen() does not make.  glibc maps each PT_LOAD segment from
 * the file as its program header says (elf(5)); a segment that ends past
 * the end of a truncated file is mapped anyway and the first touch of it
 * raises SIGBUS in the loading process.  So the headers are read from the
 * open descriptor and every segment must lie inside the file.
 */
static int check_elf(int fd, const struct stat *st, const char *path,
		     struct linx_error *err)
{
	ElfW(Ehdr) eh;
	ElfW(Phdr) ph;
	uint64_t size = (uint64_t)st->st_size, end;

	if (size < sizeof(eh) || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		return refuse(err, ENOEXEC, path,
			      "not an ELF object (%llu bytes)",
			      (unsigned long long)size);
	if (eh.e_ident[EI_CLASS] != LINX_ELF_CLASS ||
	    eh.e_phentsize != sizeof(ph) || eh.e_phnum == 0 ||
	    eh.e_phnum == PN_XNUM)
		return refuse(err, ENOEXEC, path,
			      "malformed ELF: wrong class or program header "
			      "table for this host");
	end = (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(ph);
	if (eh.e_phoff > size || end > size)
		return refuse(err, ENOEXEC, path,
			      "truncated ELF: program headers end at %llu, "
			      "past the file's %llu bytes",
			      (unsigned long long)end, (unsigned long long)size);
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph))) !=
		    sizeof(ph))
			return refuse(err, ENOEXEC, path,
				      "truncated ELF: cannot read program "
				      "header %u", i);
		if (ph.p_type != PT_LOAD)
			continue;
		end = (uint64_t)ph.p_offset + (uint64_t)ph.p_filesz;
		if (end < ph.p_offset || end > size)
			return refuse(err, ENOEXEC, path,
				      "truncated ELF: segment %u ends at %llu, "
				      "past the file's %llu bytes",
				      i, (unsigned long long)end,
				      (unsigned long long)size);
	}
	return 0;
}

/* ---- provenance ------------------------------------------------------------
 *
 * A plugin runs with all of the loading process's privileges, so the file
 * and every directory above it must be out of reach of anyone the process
 * does not already trust (docs/core/plugins.md, "Who may provide a
 * plugin").  Trusted owners: root, the effective uid, and - only while
 * this liblinx runs from its own build tree - the owner of the library
 * file itself (whoever can rewrite liblinx.so already runs code here).
 * Neither the file nor a directory may be writable by group or others; a
 * directory may be if its sticky bit is set (then only an entry's owner,
 * checked too, can rename or remove it: unlink(2), EPERM).
 */

static bool trusted_owner(uid_t uid)
{
	if (uid == 0 || uid == geteuid())
		return true;
#ifdef LINX_BUILD_CORE_DIR
	if (linx__in_build_tree()) {
		Dl_info info;
		struct stat st;

		if (dladdr((void *)linx_version, &info) && info.dli_fname &&
		    stat(info.dli_fname, &st) == 0 && st.st_uid == uid)
			return true;
	}
#endif
	return false;
}

static int check_owner_mode(const struct stat *st, const char *what,
			    const char *path, struct linx_error *err)
{
	mode_t others = st->st_mode & (S_IWGRP | S_IWOTH);

	if (!trusted_owner(st->st_uid))
		return refuse(err, EPERM, path,
			      "%s is owned by uid %u, neither root nor the "
			      "effective uid %u (set %s=1 to load it anyway)",
			      what, (unsigned)st->st_uid, (unsigned)geteuid(),
			      LINX_PLUGIN_UNCHECKED_ENV);
	if (others && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return refuse(err, EPERM, path,
			      "%s is writable by %s (mode %04o) (set %s=1 to "
			      "load it anyway)",
			      what,
			      others == S_IWOTH   ? "others"
			      : others == S_IWGRP ? "its group"
						  : "its group and others",
			      (unsigned)(st->st_mode & 07777),
			      LINX_PLUGIN_UNCHECKED_ENV);
	return 0;
}

/*
 * Check the opened file and, walking down from "/" without following
 * symlinks, every directory of the path the file really has now
 * (/proc/self/fd/N); then that the walk arrives at the very file opened.
 */
static int check_provenance(int fd, const struct stat *st, const char *path,
			    struct linx_error *err)
{
	char link[64], real[PATH_MAX], *at, *slash;
	struct stat dst;
	ssize_t n;
	int r = check_owner_mode(st, "the file", path, err);
	_cleanup_close_ int dir = -1;

	if (r < 0)
		return r;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, real, sizeof(real) - 1);
	if (n <= 0 || (size_t)n >= sizeof(real) - 1 || real[0] != '/')
		return refuse(err, EPERM, path,
			      "cannot tell where the file lives (%s)",
			      n < 0 ? linx_strerror(errno) : "no path");
	real[n] = '\0';
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (at = real + 1;; at = slash + 1) {
		int next;

		if (dir < 0 || fstat(dir, &dst) < 0)
			return refuse(err, EPERM, path, "cannot check %s: %s",
				      real, linx_strerror(errno));
		if (dst.st_uid != st->st_uid || (dst.st_mode & (S_IWGRP | S_IWOTH))) {
			char what[PATH_MAX + 16];

			snprintf(what, sizeof(what), "directory %.*s",
				 at - real > 1 ? (int)(at - real - 1) : 1, real);
			r = check_owner_mode(&dst, what, path, err);
			if (r < 0)
				return r;
		}
		slash = strchr(at, '/');
		if (!slash)
			break;
		*slash = '\0';
		next = openat(dir, at, O_PATH | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC);
		*slash = '/';
		close(dir);
		dir = next;
	}
	if (fstatat(dir, at, &dst, AT_SYMLINK_NOFOLLOW) < 0 ||
	    dst.st_dev != st->st_dev || dst.st_ino != st->st_ino)
		return refuse(err, EPERM, path,
			      "the file was moved while it was checked");
	return 0;
}

/*
 * Open a plugin file for loading: a regular file (O_NONBLOCK, so a FIFO
 * planted on the path cannot block us), then checked on that descriptor.
 * Returns the fd, owned by the caller.
 */
static int open_plugin(const char *path, bool checked, struct linx_error *err)
{
	struct stat st;
	int r;
	_cleanup_close_ int fd =
		open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return refuse(err, errno == ENOENT ? ENOEXEC : errno, path,
			      "open: %s", linx_strerror(errno));
	if (fstat(fd, &st) < 0)
		return refuse(err, errno, path, "fstat: %s",
			      linx_strerror(errno));
	if (!S_ISREG(st.st_mode))
		return refuse(err, ENOEXEC, path, "not a regular file");
	r = checked ? check_provenance(fd, &st, path, err) : 0;
	if (r < 0)
		return r;
	r = check_elf(fd, &st, path, err);
	if (r < 0)
		return r;
	return LINX_TAKE_FD(fd);
}

static int name_in_use(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	return info->dlpi_name && strcmp(info->dlpi_name, arg) == 0;
}

/*
 * The name to dlopen() the checked descriptor by: /proc/self/fd/N.  The
 * dynamic loader matches a name against the objects already loaded before
 * it opens anything (glibc's _dl_map_object), and plugins stay loaded
 * after their descriptor is closed, so "/proc/self/fd/5" may already name
 * an earlier plugin.  Then move the descriptor to a number whose name is
 * free.  Whoever held that number before us had finished its dlopen()
 * before closing it, so the check cannot race another registry.
 */
static int fd_load_name(int *fd, char *buf, size_t cap)
{
	for (;;) {
		int moved;

		snprintf(buf, cap, "/proc/self/fd/%d", *fd);
		if (!dl_iterate_phdr(name_in_use, buf))
			return 0;
		moved = fcntl(*fd, F_DUPFD_CLOEXEC, *fd + 1);
		if (moved < 0)
			return -errno;
		close(*fd);
		*fd = moved;
	}
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
	_cleanup_close_ int fd = open_plugin(
		path, !(reg->flags & LINX_REGISTRY_UNCHECKED), err);

	if (fd < 0)
		return fd;
	/* Load what was checked, not whatever the path names by now. */
	r = fd_load_name(&fd, fd_path, sizeof(fd_path));
	if (r < 0)
		return refuse(err, -r, path, "cannot name the descriptor: %s",
			      linx_strerror(-r));
	dl = dlopen(fd_path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		const char *why = dlerror();

		return refuse(err, ENOEXEC, path, "dlopen: %s",
			      why ? why : "unknown error");
	}
	entry = dlsym(dl, LINX_PLUGIN_SYMBOL_NAME);
	if (!entry || !*entry) {
		dlclose(dl);
		return refuse(err, ENOEXEC, path,
			      "no %s symbol (not a Linx plugin?)",
			      LINX_PLUGIN_SYMBOL_NAME);
	}
	d = *entry;
	/* Every refusal below is formatted into `err` before dlclose(): the
	 * descriptor and every string it points to live in the object, so
	 * nothing may read them once it is unmapped. */
	if (expect_name && d->abi_major == LINX_ABI_MAJOR &&
	    (!d->name || strcmp(d->name, expect_name) != 0))
		r = refuse(err, EINVAL, path,
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

static int load_by_name_locked(struct linx_registry *reg, const char *name,
			       struct linx_error *err)
{
	struct find_ctx c = { .name = name };

	if (find_plugin(current(reg), name))
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
	if (!valid_ident(name))
		return linx_error_param(err, "load", "name",
					"malformed plugin name \"%s\"",
					name ? name : "(null)");
	pthread_mutex_lock(&reg->lock);
	r = load_by_name_locked(reg, name, err);
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
		if (!valid_ident(name) || !plugin_file(dir, name, file, sizeof(file)) ||
		    seen_before(c, name))
			continue;
		if (find_plugin(current(c->reg), name))
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

const struct linx_plugin *linx_registry_plugin(const struct linx_registry *reg,
					       size_t i, const char **ret_file)
{
	const struct snapshot *s = reg ? current(reg) : NULL;

	if (!s || i >= s->n_plugins)
		return NULL;
	if (ret_file)
		*ret_file = s->plugins[i]->file;
	return &s->plugins[i]->desc;
}

const struct linx_verb *linx_registry_verb(const struct linx_registry *reg,
					   size_t i)
{
	const struct snapshot *s = reg ? current(reg) : NULL;

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
	if (!name || !*name || hash_name_len(name, &hash) >= MAX_NAME)
		return linx_error_param(err, "find", "verb",
					"missing or over-long verb name");
	v = snap_find(current(reg), name, hash);
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
	if (!valid_ident(prefix))
		goto unknown;
	pthread_mutex_lock(&reg->lock);
	r = load_by_name_locked(reg, prefix, &load_err);
	pthread_mutex_unlock(&reg->lock);
	if (r < 0 && load_err.code != ENOENT) {
		/* The plugin exists but was refused: that is the news. */
		if (err)
			*err = load_err;
		return r;
	}
	v = snap_find(current(reg), name, hash);
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
