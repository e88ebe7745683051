/* SPDX-License-Identifier: MIT */
/*
 * Shared by the registry (registry.c), the loader (loader.c, plugin-file.c)
 * and the verb table (verb-table.c); not installed.
 */
#ifndef LINX_CORE_REGISTRY_INTERNAL_H
#define LINX_CORE_REGISTRY_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "internal.h"

#define STATIC_FILE "(static)"
#define MAX_NAME 128

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

/* ---- verb-table.c: immutable snapshots, replaced on every load ---------- */

/* The current snapshot (NULL before the first load). */
struct snapshot *linx__table_current(const struct linx_registry *reg);
/* The verb named `name` (hash from linx__table_hash), or NULL. */
const struct linx_verb *linx__table_find(const struct snapshot *s,
					 const char *name, uint32_t hash);
/* Hash and length of `name` in one pass, stopping at MAX_NAME. */
size_t linx__table_hash(const char *name, uint32_t *ret_hash);
/* The successor of `old` with `add` appended (NULL: out of memory). */
struct snapshot *linx__table_extend(const struct snapshot *old,
				    struct loaded *add);
void linx__table_free(struct snapshot *s);
/* The loaded plugin named `name`, or NULL. */
struct loaded *linx__table_plugin(const struct snapshot *s, const char *name);

/* ---- loader.c ------------------------------------------------------------ */

/* [a-z][a-z0-9_]*, shorter than MAX_NAME. */
bool linx__ident_valid(const char *s);
/* Refuse plugin `file`: code, op "load", object `file`, message prefixed
 * "plugin <file> refused: ".  Returns -code. */
int linx__refuse(struct linx_error *err, int code, const char *file,
		 const char *fmt, ...) LINX_PRINTF(4, 5);
/* Load the plugin named `name` from the search path unless loaded.
 * Called with reg->lock held. */
int linx__load_by_name_locked(struct linx_registry *reg, const char *name,
			      struct linx_error *err);
/* fini_state and fini, then free (registry teardown). */
void linx__loaded_release(struct loaded *l);

/* ---- plugin-file.c ------------------------------------------------------- */

/*
 * Open plugin file `path` and check it (provenance unless !checked); on
 * success returns the descriptor (owned by the caller) and writes to
 * ret_name the name to dlopen() it by.  Refusals as linx__refuse().
 */
int linx__plugin_open(const char *path, bool checked, char *ret_name,
		      size_t cap, struct linx_error *err);

#endif /* LINX_CORE_REGISTRY_INTERNAL_H */
