/* SPDX-License-Identifier: MIT */
/*
 * The dispatch NIF: one entry point that calls any Linx verb by name.
 *
 *   call(Verb :: binary(), Args :: map() | nil) ->
 *       {ok, Result} | {error, #{errno, code, op, param, object, message,
 *                                extack}}
 *   call(Verb, Args, Shape :: nil | nft): the same, the result shaped
 *       (term_nft.c)
 *
 * Scheduling (erl_nif(3), "Long-running NIFs"):
 *   - a verb without LINX_VERB_BLOCKING runs right here, on the regular
 *     scheduler that called the NIF: lookup, conversion and call take a
 *     microsecond or so;
 *   - a LINX_VERB_BLOCKING verb is checked and its arguments converted
 *     here, then the call is rescheduled onto a dirty I/O scheduler, so a
 *     slow kernel never stalls Erlang processes;
 *   - arguments too big to convert within a few microseconds (the quick
 *     budget in nif.h) are converted on a dirty scheduler instead: dirty
 *     I/O for blocking verbs, dirty CPU for the rest.
 *
 * The names given to enif_schedule_nif() are fixed strings: the VM turns
 * them into atoms, so a verb name must never be passed there.
 *
 * The registry lives as long as the VM.  Handles held by Erlang processes
 * may outlive this library's module (their destructors run the plugins'
 * destroy functions), and plugins are never unloaded, so neither the
 * registry nor the plugins' state is ever torn down.
 */
#include <limits.h>
#include <string.h>

#include "nif.h"

/* A checked call on its way to a dirty scheduler. */
struct prepared {
	const struct linx_verb *verb;
	struct linx_value args;
	enum nif_shape shape;
};

void nif_prepared_dtor(ErlNifEnv *env, void *obj)
{
	struct prepared *p = obj;

	(void)env;
	linx_value_clear(&p->args);
}

static ERL_NIF_TERM make_string(ErlNifEnv *env, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	ERL_NIF_TERM t;
	unsigned char *p = enif_make_new_binary(env, len, &t);

	if (!p)
		return nif_priv(env)->atoms.nil;
	if (len)
		memcpy(p, s, len);
	return t;
}

/*
 * Make `err` safe to read without the 1.4 KiB memset of linx_error_clear():
 * every path that reports a failure fills it through linx_error_set(),
 * which clears it first; this only makes the fields empty strings in case
 * one is read anyway.  (Measured: two full clears were 7% of a trivial
 * call.)
 */
static void error_init(struct linx_error *err)
{
	err->code = 0;
	err->extack_offset = -1;
	err->op[0] = err->param[0] = err->object[0] = '\0';
	err->message[0] = err->extack[0] = '\0';
}

static ERL_NIF_TERM error_term(ErlNifEnv *env, struct linx_error *err,
			       const char *object)
{
	if (object && !err->object[0])
		linx_error_object(err, object);
	return nif_error_term(env, err);
}

/* Copy a verb name out of a binary, refusing what no verb can be called
 * before it reaches the registry. */
static int get_verb_name(ErlNifEnv *env, ERL_NIF_TERM t, char *buf,
			 size_t cap, struct linx_error *err)
{
	ErlNifBinary bin;

	if (!enif_inspect_binary(env, t, &bin))
		return linx_error_param(err, "call", "verb",
					"the verb name must be a binary");
	if (bin.size == 0 || bin.size >= cap)
		return linx_error_param(err, "call", "verb",
					"a verb name has 1 to %zu bytes",
					cap - 1);
	for (size_t i = 0; i < bin.size; i++) {
		unsigned char ch = bin.data[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '.'))
			return linx_error_param(
				err, "call", "verb",
				"a verb name is made of a-z, 0-9, '_' and '.' "
				"(\"plugin.action\")");
	}
	memcpy(buf, bin.data, bin.size);
	buf[bin.size] = '\0';
	return 0;
}

/* Run a checked call and build the reply.  Consumes `args`. */
static ERL_NIF_TERM run(ErlNifEnv *env, const struct linx_verb *verb,
			struct linx_value *args, enum nif_shape shape)
{
	struct linx_value res = linx_value_nil();
	struct linx_error err;
	ERL_NIF_TERM t;
	int r;

	error_init(&err);
	r = linx_call_verb(verb, args, &res, LINX_CALL_RESULT_UNCHECKED, &err);
	linx_value_clear(args);
	if (r < 0)
		return error_term(env, &err, verb->name);
	r = nif_value_to_term(env, &res, shape, &t, &err);
	if (r == NIF_POISONED)
		r = linx_call_check_result(verb, &res, &err);
	linx_value_clear(&res);
	if (r < 0)
		return error_term(env, &err, verb->name);
	return enif_make_tuple2(env, nif_priv(env)->atoms.ok, t);
}

static int find_verb(ErlNifEnv *env, ERL_NIF_TERM name_term,
		     const struct linx_verb **ret, struct linx_error *err)
{
	char name[NIF_VERB_NAME_MAX];
	int r = get_verb_name(env, name_term, name, sizeof(name), err);

	if (r < 0)
		return r;
	return linx_registry_find(nif_priv(env)->reg, name, ret, err);
}

/* The second half of a blocking call, on a dirty I/O scheduler. */
static ERL_NIF_TERM call_dirty(ErlNifEnv *env, int argc,
			       const ERL_NIF_TERM argv[])
{
	struct prepared *p;
	struct linx_value args;

	(void)argc;
	if (!enif_get_resource(env, argv[0], nif_priv(env)->prepared_type,
			       (void **)&p))
		return enif_make_badarg(env);
	args = p->args;
	p->args = linx_value_nil();
	return run(env, p->verb, &args, p->shape);
}

/* A call whose arguments exceeded the quick budget, on a dirty scheduler:
 * the whole call again, with the full budget. */
static ERL_NIF_TERM call_large(ErlNifEnv *env, int argc,
			       const ERL_NIF_TERM argv[])
{
	struct nif_budget budget = {
		.max_nodes = NIF_FULL_NODES,
		.max_bytes = NIF_FULL_BYTES,
	};
	enum nif_shape shape = NIF_SHAPE_PLAIN;
	const struct linx_verb *verb;
	struct linx_value args;
	struct linx_error err;

	linx_error_clear(&err);
	if (find_verb(env, argv[0], &verb, &err) < 0)
		return error_term(env, &err, NULL);
	/* nif_call() checked the shape already. */
	if (argc > 2)
		nif_get_shape(env, argv[2], &shape, &err);
	if (nif_term_to_args(env, argv[1], shape, &budget, &args, &err) < 0)
		return error_term(env, &err, verb->name);
	return run(env, verb, &args, shape);
}

static ERL_NIF_TERM nif_call(ErlNifEnv *env, int argc,
			     const ERL_NIF_TERM argv[])
{
	struct nif_priv *priv = nif_priv(env);
	struct nif_budget budget = {
		.max_nodes = NIF_QUICK_NODES,
		.max_bytes = NIF_QUICK_BYTES,
		.quick = true,
	};
	enum nif_shape shape = NIF_SHAPE_PLAIN;
	const struct linx_verb *verb;
	struct linx_value args;
	struct linx_error err;
	struct prepared *p;
	ERL_NIF_TERM t;
	int r;

	error_init(&err);
	if (find_verb(env, argv[0], &verb, &err) < 0)
		return error_term(env, &err, NULL);
	if (argc > 2 && nif_get_shape(env, argv[2], &shape, &err) < 0)
		return error_term(env, &err, verb->name);
	r = nif_term_to_args(env, argv[1], shape, &budget, &args, &err);
	if (r == NIF_NEEDS_DIRTY)
		return enif_schedule_nif(env, "call_large",
					 (verb->flags & LINX_VERB_BLOCKING)
						 ? ERL_NIF_DIRTY_JOB_IO_BOUND
						 : ERL_NIF_DIRTY_JOB_CPU_BOUND,
					 call_large, argc, argv);
	if (r < 0)
		return error_term(env, &err, verb->name);
	if (!(verb->flags & LINX_VERB_BLOCKING))
		return run(env, verb, &args, shape);

	p = enif_alloc_resource(priv->prepared_type, sizeof(*p));
	if (!p) {
		linx_value_clear(&args);
		linx_error_set(&err, ENOMEM, "call", NULL);
		return error_term(env, &err, verb->name);
	}
	p->verb = verb;
	p->args = args;
	p->shape = shape;
	t = enif_make_resource(env, p);
	enif_release_resource(p);
	return enif_schedule_nif(env, "call_dirty", ERL_NIF_DIRTY_JOB_IO_BOUND,
				 call_dirty, 1, &t);
}

/* nop(_, _) -> ok: an empty NIF of the same arity, the benchmark's floor. */
static ERL_NIF_TERM nif_nop(ErlNifEnv *env, int argc,
			    const ERL_NIF_TERM argv[])
{
	(void)argc;
	(void)argv;
	return nif_priv(env)->atoms.ok;
}

static ERL_NIF_TERM flag_list(ErlNifEnv *env, const ERL_NIF_TERM *atoms,
			      const uint32_t *bits, size_t n, uint32_t flags)
{
	ERL_NIF_TERM list = enif_make_list(env, 0);

	for (size_t i = n; i-- > 0;)
		if (flags & bits[i])
			list = enif_make_list_cell(env, atoms[i], list);
	return list;
}

static ERL_NIF_TERM describe_param(ErlNifEnv *env, const struct linx_param *p)
{
	const struct nif_atoms *a = &nif_priv(env)->atoms;
	const ERL_NIF_TERM flag_atoms[] = { a->required, a->nonneg,
					    a->int_list };
	const uint32_t flag_bits[] = { LINX_PARAM_REQUIRED, LINX_PARAM_NONNEG,
				       LINX_PARAM_INT_LIST };
	ERL_NIF_TERM keys[] = { a->name, a->types, a->flags, a->doc };
	ERL_NIF_TERM vals[] = {
		make_string(env, p->name),
		enif_make_uint(env, p->types),
		flag_list(env, flag_atoms, flag_bits, 3, p->flags),
		make_string(env, p->doc),
	};
	ERL_NIF_TERM map;

	if (!enif_make_map_from_arrays(env, keys, vals, 4, &map))
		return a->nil;
	return map;
}

/* verbs() -> [#{name, summary, flags, params, result_doc}], by name. */
static ERL_NIF_TERM nif_verbs(ErlNifEnv *env, int argc,
			      const ERL_NIF_TERM argv[])
{
	const struct nif_atoms *a = &nif_priv(env)->atoms;
	const ERL_NIF_TERM flag_atoms[] = { a->blocking, a->child };
	const uint32_t flag_bits[] = { LINX_VERB_BLOCKING, LINX_VERB_CHILD };
	struct linx_registry *reg = nif_priv(env)->reg;
	ERL_NIF_TERM list = enif_make_list(env, 0);
	const struct linx_verb *v;
	size_t n = 0;

	(void)argc;
	(void)argv;
	while (linx_registry_verb(reg, n))
		n++;
	while (n-- > 0) {
		ERL_NIF_TERM params = enif_make_list(env, 0), map;
		ERL_NIF_TERM keys[] = { a->name, a->summary, a->flags,
					a->params, a->result_doc };
		ERL_NIF_TERM vals[5];

		v = linx_registry_verb(reg, n);
		if (!v)
			continue;
		for (uint32_t i = v->n_params; i-- > 0;)
			params = enif_make_list_cell(
				env, describe_param(env, &v->params[i]),
				params);
		vals[0] = make_string(env, v->name);
		vals[1] = make_string(env, v->summary);
		vals[2] = flag_list(env, flag_atoms, flag_bits, 2, v->flags);
		vals[3] = params;
		vals[4] = v->result_doc ? make_string(env, v->result_doc)
					: a->nil;
		if (enif_make_map_from_arrays(env, keys, vals, 5, &map))
			list = enif_make_list_cell(env, map, list);
	}
	return list;
}

/* plugins() -> [#{name, version, summary, file}], in load order. */
static ERL_NIF_TERM nif_plugins(ErlNifEnv *env, int argc,
				const ERL_NIF_TERM argv[])
{
	const struct nif_atoms *a = &nif_priv(env)->atoms;
	struct linx_registry *reg = nif_priv(env)->reg;
	ERL_NIF_TERM list = enif_make_list(env, 0);
	size_t n = 0;

	(void)argc;
	(void)argv;
	while (linx_registry_plugin(reg, n, NULL))
		n++;
	while (n-- > 0) {
		const char *file = NULL;
		const struct linx_plugin *p = linx_registry_plugin(reg, n, &file);
		ERL_NIF_TERM keys[] = { a->name, a->version, a->summary,
					a->file };
		ERL_NIF_TERM vals[4], map;

		if (!p)
			continue;
		vals[0] = make_string(env, p->name);
		vals[1] = make_string(env, p->version);
		vals[2] = make_string(env, p->summary);
		vals[3] = make_string(env, file);
		if (enif_make_map_from_arrays(env, keys, vals, 4, &map))
			list = enif_make_list_cell(env, map, list);
	}
	return list;
}

/* load_plugin(Path :: binary()) -> ok | {error, Map}.  Runs on a dirty
 * I/O scheduler (dlopen reads the file). */
static ERL_NIF_TERM nif_load_plugin(ErlNifEnv *env, int argc,
				    const ERL_NIF_TERM argv[])
{
	struct linx_error err;
	ErlNifBinary bin;
	char path[PATH_MAX];

	(void)argc;
	linx_error_clear(&err);
	if (!enif_inspect_binary(env, argv[0], &bin) || bin.size == 0 ||
	    bin.size >= sizeof(path) || memchr(bin.data, 0, bin.size)) {
		linx_error_param(&err, "load", "path",
				 "a plugin path is a non-empty binary without "
				 "NUL, shorter than PATH_MAX");
		return nif_error_term(env, &err);
	}
	memcpy(path, bin.data, bin.size);
	path[bin.size] = '\0';
	if (linx_registry_load_file(nif_priv(env)->reg, path, &err) < 0)
		return nif_error_term(env, &err);
	return nif_priv(env)->atoms.ok;
}

/* plugin_path() -> binary(): the directories searched for plugins. */
static ERL_NIF_TERM nif_plugin_path(ErlNifEnv *env, int argc,
				    const ERL_NIF_TERM argv[])
{
	(void)argc;
	(void)argv;
	return make_string(env, linx_registry_path(nif_priv(env)->reg));
}

/* errno_code(Atom) -> integer() | nil, from the core's table.  Reads the
 * atom's text; never creates one. */
static ERL_NIF_TERM nif_errno_code(ErlNifEnv *env, int argc,
				   const ERL_NIF_TERM argv[])
{
	char name[32];
	int code;

	(void)argc;
	if (enif_get_atom(env, argv[0], name, sizeof(name), ERL_NIF_LATIN1) <= 0)
		return nif_priv(env)->atoms.nil;
	code = linx_errno_from_name(name);
	return code > 0 ? enif_make_int(env, code) : nif_priv(env)->atoms.nil;
}

/* errno_name(Code) -> atom(): `unknown` outside the table. */
static ERL_NIF_TERM nif_errno_name(ErlNifEnv *env, int argc,
				   const ERL_NIF_TERM argv[])
{
	int code;

	(void)argc;
	if (!enif_get_int(env, argv[0], &code) || code <= 0)
		return nif_priv(env)->atoms.unknown;
	return nif_errno_atom(&nif_priv(env)->atoms, code);
}

static int open_priv(ErlNifEnv *env, void **priv_data, ERL_NIF_TERM info,
		     ErlNifResourceFlags flags)
{
	struct nif_priv *priv = enif_alloc(sizeof(*priv));
	char path[PATH_MAX * 4];
	struct linx_error err;
	ErlNifBinary bin;

	const ERL_NIF_TERM *parts;
	int arity;

	if (!priv)
		return 1;
	memset(priv, 0, sizeof(*priv));
	nif_atoms_init(env, &priv->atoms);
	if (nif_handle_types_open(env, priv, flags) < 0)
		goto fail;
	/* load_info, built by Linx.Native: {the plugin search path, the
	 * netfilter names, the netfilter enumeration keys}. */
	if (!enif_get_tuple(env, info, &arity, &parts) || arity != 3 ||
	    !nif_nft_init(env, &priv->nft, parts[1], parts[2]))
		goto fail;
	path[0] = '\0';
	if (enif_inspect_binary(env, parts[0], &bin) && bin.size < sizeof(path) &&
	    !memchr(bin.data, 0, bin.size)) {
		memcpy(path, bin.data, bin.size);
		path[bin.size] = '\0';
	}
	if (linx_registry_new(&priv->reg, LINX_REGISTRY_NO_SEARCH, &err) < 0)
		goto fail;
	if (linx_registry_set_path(priv->reg, path, &err) < 0)
		goto fail;
	/* Load every plugin now, at code-load time, so that a first call
	 * never dlopens on a regular scheduler.  A refused plugin does not
	 * stop the others; calling one of its verbs reports why. */
	linx_registry_load_all(priv->reg, NULL, NULL, &err);
	*priv_data = priv;
	return 0;
fail:
	linx_registry_free(priv->reg);
	nif_nft_free(&priv->nft);
	enif_free(priv);
	return 1;
}

static int load(ErlNifEnv *env, void **priv_data, ERL_NIF_TERM info)
{
	return open_priv(env, priv_data, info, ERL_NIF_RT_CREATE);
}

/* A new version of the module loading this library again: take the
 * resource types over (existing handles keep working) and start a fresh
 * registry; the old one stays, as explained at the top. */
static int upgrade(ErlNifEnv *env, void **priv_data, void **old_priv_data,
		   ERL_NIF_TERM info)
{
	(void)old_priv_data;
	return open_priv(env, priv_data, info,
			 ERL_NIF_RT_CREATE | ERL_NIF_RT_TAKEOVER);
}

static ErlNifFunc funcs[] = {
	{ "call", 2, nif_call, 0 },
	{ "call", 3, nif_call, 0 },
	{ "nop", 2, nif_nop, 0 },
	{ "verbs", 0, nif_verbs, 0 },
	{ "plugins", 0, nif_plugins, 0 },
	{ "load_plugin", 1, nif_load_plugin, ERL_NIF_DIRTY_JOB_IO_BOUND },
	{ "plugin_path", 0, nif_plugin_path, 0 },
	{ "handle_type", 1, nif_handle_type, 0 },
	{ "errno_code", 1, nif_errno_code, 0 },
	{ "errno_name", 1, nif_errno_name, 0 },
	{ "encode", 1, nif_codec_encode, 0 },
	{ "decode", 1, nif_codec_decode, 0 },
	{ "decode", 2, nif_codec_decode, 0 },
	{ "nl_open_in_netns", 2, nif_nl_open_in_netns,
	  ERL_NIF_DIRTY_JOB_IO_BOUND },
	{ "nl_bind", 2, nif_nl_bind, 0 },
	{ "nl_close_fd", 1, nif_nl_close_fd, 0 },
	{ "nl_cloexec", 1, nif_nl_cloexec, 0 },
};

ERL_NIF_INIT(Elixir.Linx.Native, funcs, load, NULL, upgrade, NULL)
