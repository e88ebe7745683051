/* SPDX-License-Identifier: MIT */
/*
 * linx/plugin.h - the plugin ABI.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * LINX_PLUGIN_SYMBOL, a pointer to its descriptor (struct linx_plugin).
 * Write the descriptor with LINX_PLUGIN_DEFINE(); never by hand.
 *
 * The descriptor carries the plugin ABI version it was compiled against
 * (LINX_ABI_MAJOR/MINOR, independent of the release number) and the sizes of
 * the shared structs; the loader checks all of them on every load and
 * refuses a mismatch.  Compatibility rules:
 *   - a different major is refused;
 *   - a plugin built against a newer minor than the host is refused;
 *   - structs grow only at the end; an older plugin's shorter verb and
 *     parameter records are read with its own stride and zero-extended.
 *
 * The host passes a table of services (struct linx_host) to the plugin's
 * init, so a plugin has no link-time dependency on liblinx.  Build a plugin
 * module with LINX_PLUGIN_MODULE defined (before including any Linx header)
 * and the core functions it calls - linx_error_set(), linx_map_put_int(),
 * linx_ns_run() ... - are redirected through that table.  Built without it,
 * the same sources link against liblinx directly (static registration, as
 * the tests do).
 *
 * Verb naming: a plugin named "foo" may only define verbs named "foo.*".
 * That is what lets the core find the plugin for an unknown verb without
 * loading every plugin: the file for "foo.bar" is <dir>/foo.so.
 */
#ifndef LINX_PLUGIN_H
#define LINX_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include <linx/common.h>
#include <linx/error.h>
#include <linx/ns.h>
#include <linx/reconcile.h>
#include <linx/value.h>

LINX_BEGIN_DECLS

#define LINX_ABI_MAJOR 1
/* 1.1: per-registry plugin state (init_state/fini_state, linx_call_state),
 * host services for schema validation, errors naming an object or a
 * parameter, and bulk map building. */
#define LINX_ABI_MINOR 1

/* The one exported symbol.  Its name is defined here and nowhere else. */
#define LINX_PLUGIN_SYMBOL linx_plugin_descriptor
#define LINX_PLUGIN_SYMBOL_NAME LINX_STRINGIFY(LINX_PLUGIN_SYMBOL)

/* At most this many parameters per verb (the core validates into a fixed
 * array on the stack). */
#define LINX_MAX_PARAMS 16

/* ---- parameters ------------------------------------------------------- */

#define LINX_PARAM_REQUIRED 0x1u
/* With LINX_TM_INT/UINT: the value must be >= 0 (uint accepted, negative
 * int refused). */
#define LINX_PARAM_NONNEG 0x2u
/* With LINX_TM_LIST: every element must be an int or uint. */
#define LINX_PARAM_INT_LIST 0x4u
#define LINX_PARAM_KNOWN_FLAGS 0x7u

struct linx_param {
	const char *name;  /* [a-z][a-z0-9_]*, unique within the verb */
	uint32_t types;	   /* LINX_TM_* mask of accepted value types */
	uint32_t flags;	   /* LINX_PARAM_* */
	const char *doc;   /* one line */
};

/* ---- verbs ------------------------------------------------------------ */

/* The verb may block (sleep, wait on the kernel, do unbounded I/O).
 * Bindings run such verbs off their latency-sensitive threads (the NIF
 * uses dirty I/O schedulers). */
#define LINX_VERB_BLOCKING 0x1u
/* The verb must run inside a child parked at the checkpoint (it changes
 * the calling thread's own state: capabilities, seccomp).  The core refuses
 * it unless the caller passes LINX_CALL_IN_CHILD. */
#define LINX_VERB_CHILD 0x2u
#define LINX_VERB_KNOWN_FLAGS 0x3u

struct linx_call;

/*
 * A verb's implementation.  The core has already validated the arguments
 * against the schema; linx_call_arg(call, i) is the value of parameter i
 * (NULL when an optional one was not given).  On success the verb stores
 * its result in *ret (initially nil; leaving it nil is fine) and returns
 * >= 0.  On failure it returns a negative errno with `err` filled; the core
 * frees whatever *ret holds.
 */
typedef int linx_verb_fn(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err);

struct linx_verb {
	const char *name;    /* "<plugin>.<object>.<action>", [a-z0-9_.] */
	const char *summary; /* one line */
	const struct linx_param *params;
	uint32_t n_params;
	uint32_t flags; /* LINX_VERB_* */
	linx_verb_fn *fn;
	const char *result_doc; /* one line describing the result (optional) */
	void *data;		/* for the verb's own use, via call->verb */
	/* ABI 1.1.  Set by the host in its copy of the table: the state the
	 * plugin's init_state returned for the registry the verb was found
	 * in.  Leave it out of the plugin's table; read it with
	 * linx_call_state(). */
	void *state;
};

/* `.params` and `.n_params` of a verb from one array, counted:
 *   { .name = "foo.bar", LINX_PARAMS(bar_params), .fn = bar }  */
#define LINX_PARAMS(array)                                                   \
	.params = (array), .n_params = (uint32_t)(sizeof(array) / sizeof((array)[0]))

struct linx_call {
	const struct linx_verb *verb;
	/* Indexed like verb->params; NULL for an absent optional. */
	const struct linx_value *const *args;
	uint32_t flags; /* LINX_CALL_* given by the caller */
	uint32_t reserved;
};

static inline const struct linx_value *
linx_call_arg(const struct linx_call *call, unsigned i)
{
	return i < call->verb->n_params ? call->args[i] : NULL;
}

/* ABI 1.1: the plugin's state for the registry this call came through
 * (what init_state stored; NULL without one, or for a verb called outside
 * a registry). */
static inline void *linx_call_state(const struct linx_call *call)
{
	return call->verb->state;
}

/*
 * Only the validation step of a call: check `args` (a map, or NULL/nil for
 * none) against `verb`'s schema and fill slots[0..verb->n_params) (NULL
 * for absent optionals; borrowed from `args`).  `slots` must have room for
 * LINX_MAX_PARAMS entries.  EINVAL with err->op "validate" and err->param
 * naming the parameter.  A plugin that takes nested argument maps (a batch
 * of operations) validates each against a schema of its own with it:
 * build a struct linx_verb with the name, params and n_params to check
 * against (fn unused).  ABI 1.1 for plugins.
 */
LINX_API int linx_verb_validate(const struct linx_verb *verb,
				const struct linx_value *args,
				const struct linx_value **slots,
				struct linx_error *err);

/* ---- host services ------------------------------------------------------
 *
 * Append-only: new services go at the end with a minor bump.  Each member
 * is named after, and has exactly the type of, the public function it
 * points to.
 */
#define LINX_HOST_MEMBER(fn) __typeof__(fn) *fn

struct linx_host {
	uint32_t size; /* sizeof(struct linx_host) in the host */
	uint16_t abi_major;
	uint16_t abi_minor;
	/* ABI 1.0 */
	LINX_HOST_MEMBER(linx_error_clear);
	LINX_HOST_MEMBER(linx_error_set);
	LINX_HOST_MEMBER(linx_error_setv);
	LINX_HOST_MEMBER(linx_error_param);
	LINX_HOST_MEMBER(linx_error_object);
	LINX_HOST_MEMBER(linx_error_prefix);
	LINX_HOST_MEMBER(linx_error_extack);
	LINX_HOST_MEMBER(linx_errno_name);
	LINX_HOST_MEMBER(linx_strerror);
	LINX_HOST_MEMBER(linx_value_string);
	LINX_HOST_MEMBER(linx_value_cstring);
	LINX_HOST_MEMBER(linx_value_bytes);
	LINX_HOST_MEMBER(linx_value_handle);
	LINX_HOST_MEMBER(linx_utf8_valid);
	LINX_HOST_MEMBER(linx_list_push);
	LINX_HOST_MEMBER(linx_list_push_int);
	LINX_HOST_MEMBER(linx_list_push_uint);
	LINX_HOST_MEMBER(linx_list_push_cstring);
	LINX_HOST_MEMBER(linx_value_reserve);
	LINX_HOST_MEMBER(linx_map_put);
	LINX_HOST_MEMBER(linx_map_put_nil);
	LINX_HOST_MEMBER(linx_map_put_bool);
	LINX_HOST_MEMBER(linx_map_put_int);
	LINX_HOST_MEMBER(linx_map_put_uint);
	LINX_HOST_MEMBER(linx_map_put_cstring);
	LINX_HOST_MEMBER(linx_map_put_string);
	LINX_HOST_MEMBER(linx_map_put_bytes);
	LINX_HOST_MEMBER(linx_map_get);
	LINX_HOST_MEMBER(linx_value_clear);
	LINX_HOST_MEMBER(linx_value_copy);
	LINX_HOST_MEMBER(linx_value_status);
	LINX_HOST_MEMBER(linx_value_equal);
	LINX_HOST_MEMBER(linx_type_name);
	LINX_HOST_MEMBER(linx_value_encode_to);
	LINX_HOST_MEMBER(linx_value_encode);
	LINX_HOST_MEMBER(linx_value_decode);
	LINX_HOST_MEMBER(linx_handle_new);
	LINX_HOST_MEMBER(linx_handle_ref);
	LINX_HOST_MEMBER(linx_handle_unref);
	LINX_HOST_MEMBER(linx_handle_get);
	LINX_HOST_MEMBER(linx_handle_type_of);
	LINX_HOST_MEMBER(linx_ns_target_from_value);
	LINX_HOST_MEMBER(linx_ns_target_describe);
	LINX_HOST_MEMBER(linx_ns_pin);
	LINX_HOST_MEMBER(linx_ns_pin_close);
	LINX_HOST_MEMBER(linx_ns_socket);
	LINX_HOST_MEMBER(linx_ns_run);
	/* ABI 1.1 (loader): what plugins used to re-implement. */
	LINX_HOST_MEMBER(linx_verb_validate);
	LINX_HOST_MEMBER(linx_error_set_object);
	LINX_HOST_MEMBER(linx_error_param_object);
	LINX_HOST_MEMBER(linx_error_param_objectv);
	LINX_HOST_MEMBER(linx_map_put_many);
	/* ABI 1.1: namespaces named by path, opened one checked way. */
	LINX_HOST_MEMBER(linx_ns_open_path);
	/* ABI 1.1: the flat reconcile engine (linx/reconcile.h). */
	LINX_HOST_MEMBER(linx_reconcile_flat_diff);
	LINX_HOST_MEMBER(linx_reconcile_flat_pass);
	LINX_HOST_MEMBER(linx_reconcile_error_value);
};

/* ---- the descriptor ----------------------------------------------------- */

struct linx_plugin {
	/* The fields up to host_size never move: the loader checks them
	 * before it reads anything else. */
	uint32_t abi_major;
	uint32_t abi_minor;
	uint32_t plugin_size; /* sizeof(struct linx_plugin) */
	uint32_t verb_size;   /* sizeof(struct linx_verb) */
	uint32_t param_size;  /* sizeof(struct linx_param) */
	uint32_t value_size;  /* sizeof(struct linx_value) */
	uint32_t error_size;  /* sizeof(struct linx_error) */
	uint32_t host_size;   /* sizeof(struct linx_host) */

	const char *name;    /* [a-z][a-z0-9_]*; the verb prefix */
	const char *version; /* the plugin's release, free form */
	const char *summary; /* one line */

	/* Called once per registry that loads the plugin, before any verb.
	 * Returns >= 0, or a negative errno with `err` filled (the plugin is
	 * then refused).  The host table outlives every call. */
	int (*init)(const struct linx_host *host, struct linx_error *err);
	/* Called when that registry is freed.  May be NULL. */
	void (*fini)(void);

	const struct linx_verb *verbs;
	uint32_t n_verbs;
	uint32_t reserved;

	/* ABI 1.1: per-registry state.  Called after init, once per registry
	 * that loads the plugin: store the state in *ret_state (verbs read it
	 * with linx_call_state()), or return a negative errno with `err`
	 * filled to refuse the load.  fini_state(state) is called when that
	 * registry is freed, before fini.  Either may be NULL; write them with
	 * LINX_PLUGIN_DEFINE_STATE. */
	int (*init_state)(const struct linx_host *host, void **ret_state,
			  struct linx_error *err);
	void (*fini_state)(void *state);
};

/*
 * Define a plugin's descriptor.
 *
 *   LINX_PLUGIN_DEFINE(sysctl, "0.1.0", "kernel tunables under /proc/sys",
 *                      sysctl_init, NULL, sysctl_verbs);
 *
 * `init` and `fini` may be NULL; `verbs` must be an array (its length is
 * taken with sizeof).  Defines `linx_plugin_<name>` (hidden; statically
 * registrable) and, in a module build, the exported LINX_PLUGIN_SYMBOL and
 * the host-table pointer the redirections below use.
 */
#define LINX_PLUGIN_DESCRIPTOR_(pname, pversion, psummary, pinit, pfini,     \
				pverbs, pinit_state, pfini_state)            \
	static int linx_plugin_init_##pname(const struct linx_host *host,     \
					    struct linx_error *err)           \
	{                                                                     \
		int (*user_init)(const struct linx_host *,                    \
				 struct linx_error *) = pinit;                \
		LINX_PLUGIN_SET_HOST_(host);                                  \
		return user_init ? user_init(host, err) : 0;                  \
	}                                                                     \
	LINX_PLUGIN_DESCRIPTOR_VISIBILITY_                                    \
	const struct linx_plugin linx_plugin_##pname = {                      \
		.abi_major = LINX_ABI_MAJOR,                                  \
		.abi_minor = LINX_ABI_MINOR,                                  \
		.plugin_size = sizeof(struct linx_plugin),                    \
		.verb_size = sizeof(struct linx_verb),                        \
		.param_size = sizeof(struct linx_param),                      \
		.value_size = sizeof(struct linx_value),                      \
		.error_size = sizeof(struct linx_error),                      \
		.host_size = sizeof(struct linx_host),                        \
		.name = #pname,                                               \
		.version = pversion,                                          \
		.summary = psummary,                                          \
		.init = linx_plugin_init_##pname,                             \
		.fini = pfini,                                                \
		.verbs = pverbs,                                              \
		.n_verbs = sizeof(pverbs) / sizeof((pverbs)[0]),              \
		.init_state = pinit_state,                                    \
		.fini_state = pfini_state,                                    \
	}

#ifdef LINX_PLUGIN_MODULE

/* Set by the generated init; read by the redirections. */
extern const struct linx_host *linx_plugin_host
	__attribute__((visibility("hidden")));

#define LINX_PLUGIN_SET_HOST_(h) (linx_plugin_host = (h))
/* In a module only LINX_PLUGIN_SYMBOL is exported, whatever the flags. */
#define LINX_PLUGIN_DESCRIPTOR_VISIBILITY_ __attribute__((visibility("hidden")))

#define LINX_PLUGIN_DEFINE_(pname, pversion, psummary, pinit, pfini, pverbs, \
			    pinit_state, pfini_state)                        \
	__attribute__((visibility("hidden"))) const struct linx_host         \
		*linx_plugin_host;                                            \
	LINX_PLUGIN_DESCRIPTOR_(pname, pversion, psummary, pinit, pfini,     \
				pverbs, pinit_state, pfini_state);            \
	LINX_EXPORT const struct linx_plugin *const LINX_PLUGIN_SYMBOL =      \
		&linx_plugin_##pname

/* Redirect every host service through the table:
 * `linx_map_put_int(m, "k", 1)` becomes `(linx_plugin_host->
 * linx_map_put_int)(m, "k", 1)`.  Function-like macros, so they only
 * expand before "(": a struct tag of the same name (struct linx_ns_pin)
 * is left alone, and taking a service's address fails to link (-z defs)
 * instead of silently pointing somewhere else. */
#define LINX_HOST_(fn) (linx_plugin_host->fn)
#define linx_error_clear(...) LINX_HOST_(linx_error_clear)(__VA_ARGS__)
#define linx_error_set(...) LINX_HOST_(linx_error_set)(__VA_ARGS__)
#define linx_error_setv(...) LINX_HOST_(linx_error_setv)(__VA_ARGS__)
#define linx_error_param(...) LINX_HOST_(linx_error_param)(__VA_ARGS__)
#define linx_error_object(...) LINX_HOST_(linx_error_object)(__VA_ARGS__)
#define linx_error_prefix(...) LINX_HOST_(linx_error_prefix)(__VA_ARGS__)
#define linx_error_extack(...) LINX_HOST_(linx_error_extack)(__VA_ARGS__)
#define linx_errno_name(...) LINX_HOST_(linx_errno_name)(__VA_ARGS__)
#define linx_strerror(...) LINX_HOST_(linx_strerror)(__VA_ARGS__)
#define linx_value_string(...) LINX_HOST_(linx_value_string)(__VA_ARGS__)
#define linx_value_cstring(...) LINX_HOST_(linx_value_cstring)(__VA_ARGS__)
#define linx_value_bytes(...) LINX_HOST_(linx_value_bytes)(__VA_ARGS__)
#define linx_value_handle(...) LINX_HOST_(linx_value_handle)(__VA_ARGS__)
#define linx_utf8_valid(...) LINX_HOST_(linx_utf8_valid)(__VA_ARGS__)
#define linx_list_push(...) LINX_HOST_(linx_list_push)(__VA_ARGS__)
#define linx_list_push_int(...) LINX_HOST_(linx_list_push_int)(__VA_ARGS__)
#define linx_list_push_uint(...) LINX_HOST_(linx_list_push_uint)(__VA_ARGS__)
#define linx_list_push_cstring(...) LINX_HOST_(linx_list_push_cstring)(__VA_ARGS__)
#define linx_value_reserve(...) LINX_HOST_(linx_value_reserve)(__VA_ARGS__)
#define linx_map_put(...) LINX_HOST_(linx_map_put)(__VA_ARGS__)
#define linx_map_put_nil(...) LINX_HOST_(linx_map_put_nil)(__VA_ARGS__)
#define linx_map_put_bool(...) LINX_HOST_(linx_map_put_bool)(__VA_ARGS__)
#define linx_map_put_int(...) LINX_HOST_(linx_map_put_int)(__VA_ARGS__)
#define linx_map_put_uint(...) LINX_HOST_(linx_map_put_uint)(__VA_ARGS__)
#define linx_map_put_cstring(...) LINX_HOST_(linx_map_put_cstring)(__VA_ARGS__)
#define linx_map_put_string(...) LINX_HOST_(linx_map_put_string)(__VA_ARGS__)
#define linx_map_put_bytes(...) LINX_HOST_(linx_map_put_bytes)(__VA_ARGS__)
#define linx_map_get(...) LINX_HOST_(linx_map_get)(__VA_ARGS__)
#define linx_value_clear(...) LINX_HOST_(linx_value_clear)(__VA_ARGS__)
#define linx_value_copy(...) LINX_HOST_(linx_value_copy)(__VA_ARGS__)
#define linx_value_status(...) LINX_HOST_(linx_value_status)(__VA_ARGS__)
#define linx_value_equal(...) LINX_HOST_(linx_value_equal)(__VA_ARGS__)
#define linx_type_name(...) LINX_HOST_(linx_type_name)(__VA_ARGS__)
#define linx_value_encode_to(...) LINX_HOST_(linx_value_encode_to)(__VA_ARGS__)
#define linx_value_encode(...) LINX_HOST_(linx_value_encode)(__VA_ARGS__)
#define linx_value_decode(...) LINX_HOST_(linx_value_decode)(__VA_ARGS__)
#define linx_handle_new(...) LINX_HOST_(linx_handle_new)(__VA_ARGS__)
#define linx_handle_ref(...) LINX_HOST_(linx_handle_ref)(__VA_ARGS__)
#define linx_handle_unref(...) LINX_HOST_(linx_handle_unref)(__VA_ARGS__)
#define linx_handle_get(...) LINX_HOST_(linx_handle_get)(__VA_ARGS__)
#define linx_handle_type_of(...) LINX_HOST_(linx_handle_type_of)(__VA_ARGS__)
#define linx_ns_target_from_value(...) LINX_HOST_(linx_ns_target_from_value)(__VA_ARGS__)
#define linx_ns_target_describe(...) LINX_HOST_(linx_ns_target_describe)(__VA_ARGS__)
#define linx_ns_pin(...) LINX_HOST_(linx_ns_pin)(__VA_ARGS__)
#define linx_ns_pin_close(...) LINX_HOST_(linx_ns_pin_close)(__VA_ARGS__)
#define linx_ns_socket(...) LINX_HOST_(linx_ns_socket)(__VA_ARGS__)
#define linx_ns_run(...) LINX_HOST_(linx_ns_run)(__VA_ARGS__)
#define linx_verb_validate(...) LINX_HOST_(linx_verb_validate)(__VA_ARGS__)
#define linx_error_set_object(...) LINX_HOST_(linx_error_set_object)(__VA_ARGS__)
#define linx_error_param_object(...) LINX_HOST_(linx_error_param_object)(__VA_ARGS__)
#define linx_error_param_objectv(...) LINX_HOST_(linx_error_param_objectv)(__VA_ARGS__)
#define linx_map_put_many(...) LINX_HOST_(linx_map_put_many)(__VA_ARGS__)
#define linx_ns_open_path(...) LINX_HOST_(linx_ns_open_path)(__VA_ARGS__)
#define linx_reconcile_flat_diff(...) LINX_HOST_(linx_reconcile_flat_diff)(__VA_ARGS__)
#define linx_reconcile_flat_pass(...) LINX_HOST_(linx_reconcile_flat_pass)(__VA_ARGS__)
#define linx_reconcile_error_value(...) LINX_HOST_(linx_reconcile_error_value)(__VA_ARGS__)

#else /* !LINX_PLUGIN_MODULE: linked with liblinx, registered statically */

#define LINX_PLUGIN_SET_HOST_(h) ((void)(h))
#define LINX_PLUGIN_DESCRIPTOR_VISIBILITY_

#define LINX_PLUGIN_DEFINE_(pname, pversion, psummary, pinit, pfini, pverbs, \
			    pinit_state, pfini_state)                        \
	LINX_PLUGIN_DESCRIPTOR_(pname, pversion, psummary, pinit, pfini,     \
				pverbs, pinit_state, pfini_state)

#endif /* LINX_PLUGIN_MODULE */

#define LINX_PLUGIN_DEFINE(pname, pversion, psummary, pinit, pfini, pverbs)  \
	LINX_PLUGIN_DEFINE_(pname, pversion, psummary, pinit, pfini, pverbs,  \
			    NULL, NULL)

/*
 * ABI 1.1: the same with per-registry state instead of init/fini.
 *
 *   static int foo_init_state(const struct linx_host *host, void **ret,
 *                             struct linx_error *err);
 *   static void foo_fini_state(void *state);
 *   LINX_PLUGIN_DEFINE_STATE(foo, "1.0.0", "...", foo_init_state,
 *                            foo_fini_state, foo_verbs);
 */
#define LINX_PLUGIN_DEFINE_STATE(pname, pversion, psummary, pinit_state,     \
				 pfini_state, pverbs)                        \
	LINX_PLUGIN_DEFINE_(pname, pversion, psummary, NULL, NULL, pverbs,    \
			    pinit_state, pfini_state)

LINX_END_DECLS

#endif /* LINX_PLUGIN_H */
