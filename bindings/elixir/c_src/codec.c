/* SPDX-License-Identifier: MIT */
/*
 * The core value codec (docs/core/codec.md) for Erlang terms:
 *
 *   encode(Term) -> {ok, Binary} | {error, Map}
 *   decode(Binary) -> {ok, Term} | {error, Map}
 *
 * Terms cross as they do for verb arguments and results (term_in.c,
 * term_out.c): an encoded map's keys may be atoms or binaries, a decoded
 * map's keys are always binaries, and decoding never creates an atom, so
 * bytes from another process (the checkpoint agent's events) can be
 * decoded safely.  The decoder bounds everything it reads (lengths against
 * the input, nesting against LINX_VALUE_MAX_DEPTH) and never reads outside
 * the binary; anything malformed is an {error, Map} with errno ebadmsg.
 *
 * Scheduling: a term within the quick budget of nif.h is encoded on the
 * calling scheduler, a larger one on a dirty CPU scheduler; likewise an
 * input above NIF_QUICK_DECODE bytes is decoded on a dirty CPU scheduler.
 */
#include <string.h>

#include "nif.h"

static ERL_NIF_TERM encode_with(ErlNifEnv *env, ERL_NIF_TERM term,
				struct nif_budget *budget, bool *needs_dirty)
{
	struct linx_value v;
	struct linx_error err;
	ErlNifBinary bin;
	size_t need = 0;
	ERL_NIF_TERM t;
	int r;

	linx_error_clear(&err);
	r = nif_term_to_value(env, term, budget, &v, &err);
	if (r == NIF_NEEDS_DIRTY) {
		*needs_dirty = true;
		return 0;
	}
	if (r < 0)
		return nif_error_term(env, &err);
	/* Measure, then write straight into the binary. */
	r = linx_value_encode_to(&v, NULL, 0, &need, NULL);
	if (r < 0 && r != -ENOBUFS) {
		linx_value_encode_to(&v, NULL, 0, &need, &err);
		linx_value_clear(&v);
		return nif_error_term(env, &err);
	}
	if (!enif_alloc_binary(need, &bin)) {
		linx_value_clear(&v);
		linx_error_set(&err, ENOMEM, "encode", NULL);
		return nif_error_term(env, &err);
	}
	r = linx_value_encode_to(&v, bin.data, bin.size, &need, &err);
	linx_value_clear(&v);
	if (r < 0) {
		enif_release_binary(&bin);
		return nif_error_term(env, &err);
	}
	t = enif_make_binary(env, &bin);
	return enif_make_tuple2(env, nif_priv(env)->atoms.ok, t);
}

static ERL_NIF_TERM encode_dirty(ErlNifEnv *env, int argc,
				 const ERL_NIF_TERM argv[])
{
	struct nif_budget budget = {
		.max_nodes = NIF_FULL_NODES,
		.max_bytes = NIF_FULL_BYTES,
	};
	bool dirty = false;

	(void)argc;
	return encode_with(env, argv[0], &budget, &dirty);
}

ERL_NIF_TERM nif_codec_encode(ErlNifEnv *env, int argc,
			      const ERL_NIF_TERM argv[])
{
	struct nif_budget budget = {
		.max_nodes = NIF_QUICK_NODES,
		.max_bytes = NIF_QUICK_BYTES,
		.quick = true,
	};
	bool dirty = false;
	ERL_NIF_TERM t = encode_with(env, argv[0], &budget, &dirty);

	if (dirty)
		return enif_schedule_nif(env, "encode_dirty",
					 ERL_NIF_DIRTY_JOB_CPU_BOUND,
					 encode_dirty, argc, argv);
	return t;
}

static ERL_NIF_TERM decode_now(ErlNifEnv *env, int argc,
			       const ERL_NIF_TERM argv[])
{
	struct linx_value v = linx_value_nil();
	enum nif_shape shape = NIF_SHAPE_PLAIN;
	struct linx_error err;
	ErlNifBinary bin;
	ERL_NIF_TERM t;
	int r;

	linx_error_clear(&err);
	if (!enif_inspect_binary(env, argv[0], &bin)) {
		linx_error_param(&err, "decode", "bytes",
				 "decode/1 takes a binary");
		return nif_error_term(env, &err);
	}
	if (argc > 1 && nif_get_shape(env, argv[1], &shape, &err) < 0)
		return nif_error_term(env, &err);
	r = linx_value_decode(bin.data, bin.size, &v, &err);
	if (r < 0)
		return nif_error_term(env, &err);
	r = nif_value_to_term(env, &v, shape, &t, &err);
	if (r == NIF_POISONED)
		r = linx_error_set(&err, EBADMSG, "decode",
				   "the decoded value is incomplete");
	linx_value_clear(&v);
	if (r < 0)
		return nif_error_term(env, &err);
	return enif_make_tuple2(env, nif_priv(env)->atoms.ok, t);
}

ERL_NIF_TERM nif_codec_decode(ErlNifEnv *env, int argc,
			      const ERL_NIF_TERM argv[])
{
	ErlNifBinary bin;

	if (enif_inspect_binary(env, argv[0], &bin) &&
	    bin.size > NIF_QUICK_DECODE)
		return enif_schedule_nif(env, "decode_dirty",
					 ERL_NIF_DIRTY_JOB_CPU_BOUND,
					 decode_now, argc, argv);
	return decode_now(env, argc, argv);
}
