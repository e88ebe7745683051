/* SPDX-License-Identifier: MIT */
/*
 * linx/linx.h - the host side: plugin registry and verb dispatch.
 *
 * A registry is a set of loaded plugins and their verbs.  Front-ends (the
 * `linx` CLI, the Elixir NIF, the agent) create one, then call verbs by
 * name with a map of arguments:
 *
 *     struct linx_registry *reg;
 *     struct linx_error err;
 *     struct linx_value args = linx_value_map(), res = linx_value_nil();
 *     linx_registry_new(&reg, 0, &err);
 *     linx_map_put_cstring(&args, "key", "kernel.ostype");
 *     if (linx_call(reg, "sysctl.read", &args, &res, 0, &err) < 0) ...
 *
 * Plugins are found on a search path, in order: the directories in
 * $LINX_PLUGIN_PATH (colon-separated), the build tree's plugin directory
 * (only for binaries run from the build tree), then the install directory
 * (<libdir>/linx/plugins).  The plugin for verb "foo.bar" is the first
 * "foo.so" on that path; it is loaded the first time one of its verbs is
 * looked up, or explicitly.  Plugins are never unloaded.
 *
 * A registry is safe to use from several threads at once: lookups and
 * calls take a read lock, loading a plugin a write lock.  Verbs themselves
 * must be thread-safe (each plugin documents its handles' rules).
 */
#ifndef LINX_LINX_H
#define LINX_LINX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/plugin.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

struct linx_registry;

/* Environment variable holding extra plugin directories. */
#define LINX_PLUGIN_PATH_ENV "LINX_PLUGIN_PATH"

/* Environment variable that, set to anything but "" or "0", turns the
 * provenance checks off like LINX_REGISTRY_UNCHECKED (for developers who
 * load a plugin from a tree they do not own; docs/core/plugins.md).
 * Ignored, like LINX_PLUGIN_PATH, by set-user-ID programs. */
#define LINX_PLUGIN_UNCHECKED_ENV "LINX_PLUGIN_UNCHECKED"

/* Registry flags. */
/* Ignore $LINX_PLUGIN_PATH and the default directories: only plugins added
 * with linx_registry_add_static() / _load_file() exist (for tests). */
#define LINX_REGISTRY_NO_SEARCH 0x1u
/* Skip the provenance checks: load a plugin file even if it, or a
 * directory above it, is owned by someone other than root or the
 * effective uid, or writable by group or others.  Every other check
 * stays.  Without it such a file is refused with EPERM. */
#define LINX_REGISTRY_UNCHECKED 0x2u

/* Create a registry.  *ret is owned by the caller (linx_registry_free). */
LINX_API int linx_registry_new(struct linx_registry **ret, uint32_t flags,
			       struct linx_error *err);

/* Call every loaded plugin's fini and free the registry.  Accepts NULL.
 * Plugin objects stay mapped (never unloaded). */
LINX_API void linx_registry_free(struct linx_registry *reg);

/* Replace the search path with `dirs` (colon-separated; NULL or "" for
 * none).  Plugins already loaded stay. */
LINX_API int linx_registry_set_path(struct linx_registry *reg,
				    const char *dirs, struct linx_error *err);

/* The directories searched, colon-separated.  Borrowed; valid for the
 * registry's life (a replaced path is kept until the registry is freed). */
LINX_API const char *linx_registry_path(const struct linx_registry *reg);

/*
 * Register a plugin linked into the program (its descriptor is
 * linx_plugin_<name>, see LINX_PLUGIN_DEFINE).  Same checks as a file.
 * The descriptor must outlive the registry.
 */
LINX_API int linx_registry_add_static(struct linx_registry *reg,
				      const struct linx_plugin *plugin,
				      struct linx_error *err);

/*
 * Load the plugin in file `path`.  Refused, with an error naming the file:
 * a missing LINX_PLUGIN_SYMBOL, an ABI major other than LINX_ABI_MAJOR or a
 * newer minor, struct sizes that do not match, an incomplete descriptor
 * (missing name, version, summary or verbs; a verb without a name, summary
 * or function; a malformed parameter), a verb outside the plugin's name
 * prefix, a duplicate verb, a plugin name already registered (the error
 * names both files), or an init (or init_state) that fails.  Before any of
 * that the file itself (ENOEXEC): not a regular file, not a sound ELF
 * object (truncated, foreign); and (EPERM, unless LINX_REGISTRY_UNCHECKED)
 * a file, or a directory above it, owned by someone other than root or the
 * effective uid, or writable by group or others without the sticky bit
 * (docs/core/plugins.md).  The file is opened once and that descriptor is
 * what gets loaded.
 */
LINX_API int linx_registry_load_file(struct linx_registry *reg,
				     const char *path, struct linx_error *err);

/* Load plugin `name` from the search path (no-op if already loaded).
 * ENOENT if no directory has it. */
LINX_API int linx_registry_load(struct linx_registry *reg, const char *name,
				struct linx_error *err);

/* Told about a plugin linx_registry_load_all() refused: its name, its
 * file and why.  Everything is borrowed for the call only. */
typedef void linx_refusal_fn(void *arg, const char *name, const char *file,
			     const struct linx_error *err);

/*
 * Load every plugin found on the search path (the first file of each name
 * wins, as with $PATH).  Plugins that are refused do not stop the others:
 * each refusal is passed to `on_refused` (may be NULL) after loading ends,
 * outside the registry's lock.  Returns the number of refusals (0 if every
 * plugin loaded), `err` describing the first one, or -ENOMEM.
 */
LINX_API int linx_registry_load_all(struct linx_registry *reg,
				    linx_refusal_fn *on_refused, void *arg,
				    struct linx_error *err);

/* Loaded plugins, in load order: the i-th, or NULL past the end.  The
 * descriptor is the registry's copy at this liblinx's struct size (an
 * older plugin's zero-extended; its verbs point at the registry's copies),
 * borrowed for the registry's life.  `ret_file`, if not NULL, receives the file it
 * came from ("(static)" for a static plugin). */
LINX_API const struct linx_plugin *
linx_registry_plugin(const struct linx_registry *reg, size_t i,
		     const char **ret_file);

/* Verbs of loaded plugins, sorted by name: the i-th, or NULL.  Borrowed,
 * valid for the registry's life.  Each call reads the current table: a
 * listing taken while another thread loads a plugin may or may not include
 * its verbs, and may see an entry twice or miss one - list from one thread
 * after loading (linx_registry_load_all) when that matters. */
LINX_API const struct linx_verb *
linx_registry_verb(const struct linx_registry *reg, size_t i);

/* Find a verb, loading its plugin on demand.  ENOENT ("unknown verb") if
 * no plugin provides it.  Returns a borrowed pointer, valid for the
 * registry's life. */
LINX_API int linx_registry_find(struct linx_registry *reg, const char *name,
				const struct linx_verb **ret,
				struct linx_error *err);

/* Call flags. */
/* The caller is a child parked at the checkpoint: LINX_VERB_CHILD verbs
 * are allowed (only the agent passes this). */
#define LINX_CALL_IN_CHILD 0x1u
/* The caller walks the whole result anyway (a binding converting it) and
 * checks it there: linx_call_verb() skips its own walk of the result for
 * values an incomplete build marked (LINX_VALUE_F_POISON), and the caller
 * must call linx_call_check_result() as soon as it meets such a mark. */
#define LINX_CALL_RESULT_UNCHECKED 0x2u

/*
 * Validate `args` (a map, or NULL/nil for no arguments) against the verb's
 * schema and call it.  A missing required parameter, an unknown one, or a
 * value of the wrong type fails with EINVAL (err->op "validate",
 * err->param naming it) before the verb runs.
 *
 * `ret` must point to a nil value or to storage the call may overwrite; on
 * success it holds the result, owned by the caller (linx_value_clear).  On
 * failure it is nil.
 */
LINX_API int linx_call(struct linx_registry *reg, const char *verb,
		       const struct linx_value *args, struct linx_value *ret,
		       uint32_t flags, struct linx_error *err);

/* The same with a verb already found (saves the lookup). */
LINX_API int linx_call_verb(const struct linx_verb *verb,
			    const struct linx_value *args,
			    struct linx_value *ret, uint32_t flags,
			    struct linx_error *err);

/*
 * The check linx_call_verb() makes of a verb's result: a tree some part of
 * which could not be built (out of memory, nested too deep, a rejected
 * string) is cleared and reported as the error it was, ENOMEM first, then
 * ELOOP, then EINVAL, with err's op the verb's name.  Returns 0 for a
 * complete result.  For callers of LINX_CALL_RESULT_UNCHECKED.
 */
LINX_API int linx_call_check_result(const struct linx_verb *verb,
				    struct linx_value *ret,
				    struct linx_error *err);

/* linx_verb_validate(), the validation step alone, is declared in
 * linx/plugin.h: plugins use it too (ABI 1.1). */

/* "int|string"-style rendering of a type mask (for help texts). */
LINX_API size_t linx_type_mask_format(uint32_t types, char *buf, size_t cap);

/* The host-services table this liblinx hands to plugins. */
LINX_API const struct linx_host *linx_host_services(void);

/* Library release, "0.1.0". */
LINX_API const char *linx_version(void);

LINX_END_DECLS

#endif /* LINX_LINX_H */
