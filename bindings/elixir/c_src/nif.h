/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the dispatch NIF's source files.
 *
 * The NIF is one shared object, linx_nif.so, holding the Linx core (linked
 * in statically: plugins reach it through the host table, so they need no
 * liblinx) and the bridge between Erlang terms and the core's value model.
 * It exports nif_init and nothing else.
 */
#ifndef LINX_NIF_H
#define LINX_NIF_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include <erl_nif.h>

#include <linx/linx.h>

/* Errnos below this get an atom made at load time, from the core's fixed
 * table (linx_errno_name); anything else is reported as `unknown`.  No atom
 * is ever made from data a caller or the kernel controls. */
#define NIF_ERRNO_ATOMS 512

/*
 * Limits on what the term converter accepts.  The "quick" budget is what a
 * call may convert on a regular scheduler (a few microseconds of copying);
 * arguments beyond it are converted again on a dirty scheduler against the
 * "full" budget, which bounds memory.  Nesting is bounded the same way
 * everywhere so that recursion stays far from the 320 KiB stack of a dirty
 * scheduler thread (erl(1), +sssdio).
 */
#define NIF_MAX_DEPTH LINX_VALUE_MAX_DEPTH
#define NIF_QUICK_NODES 4096u
#define NIF_QUICK_BYTES (64u * 1024)
#define NIF_FULL_NODES (1024u * 1024)
#define NIF_FULL_BYTES LINX_VALUE_MAX_LEN

/* Longest verb name the registry accepts (core/registry.c MAX_NAME). */
#define NIF_VERB_NAME_MAX 128

struct nif_atoms {
	ERL_NIF_TERM ok, error, nil, true_, false_, unknown;
	/* {:bytes, binary}: a binary passed as bytes even when it is text */
	ERL_NIF_TERM bytes;
	/* error map keys */
	ERL_NIF_TERM errno_, code, op, param, object, message, extack;
	/* verb / plugin descriptions */
	ERL_NIF_TERM name, summary, flags, params, types, doc, result_doc,
		version, file, blocking, child, required, nonneg, int_list;
	/* the shape argument of call/3 and decode/2 */
	ERL_NIF_TERM nft;
	ERL_NIF_TERM errnos[NIF_ERRNO_ATOMS];
};

/*
 * What term_nft.c needs to build Linx.Netfilter's structs: the atoms of
 * the binding's fixed name table (Linx.Netfilter.Names, handed over in
 * load_info) in an open-addressing hash by text, the enumeration keys
 * whose string values become atoms, and the struct atoms.
 */
#define NIF_NFT_SLOTS 2048u /* a power of two, over twice the table */

struct nif_nft_name {
	char *text; /* NULL: free slot */
	size_t len;
	ERL_NIF_TERM atom;
	bool enum_key; /* its string values are enumerations */
};

struct nif_nft {
	struct nif_nft_name slots[NIF_NFT_SLOTS];
	bool ready; /* load_info carried the tables */
	ERL_NIF_TERM struct_, name, data, kind, target, range, immediate;
	ERL_NIF_TERM expr_mod, verdict_mod;
};

/* The library's private data (enif_priv_data). */
struct nif_priv {
	struct linx_registry *reg;
	ErlNifResourceType *handle_type;   /* wraps struct linx_handle */
	ErlNifResourceType *prepared_type; /* a call handed to a dirty scheduler */
	struct nif_atoms atoms;
	struct nif_nft nft;
};

static inline struct nif_priv *nif_priv(ErlNifEnv *env)
{
	return enif_priv_data(env);
}

/* atoms.c */
void nif_atoms_init(ErlNifEnv *env, struct nif_atoms *a);
ERL_NIF_TERM nif_errno_atom(const struct nif_atoms *a, int code);

/* How terms and values are converted: plainly, or for Linx.Netfilter
 * (results: lists of expressions and set elements become its structs;
 * arguments: atoms cross as their text). */
enum nif_shape {
	NIF_SHAPE_PLAIN,
	NIF_SHAPE_NFT,
};

/* ---- term -> value (term_in.c) ------------------------------------------ */

struct nif_budget {
	size_t nodes, bytes;	     /* used so far */
	size_t max_nodes, max_bytes; /* limits */
	bool quick;		     /* running on a regular scheduler */
};

/* Returned by nif_term_to_args() when the quick budget ran out: convert
 * again on a dirty scheduler. */
#define NIF_NEEDS_DIRTY (-EAGAIN)

/*
 * Convert the arguments of a call: a map (keys binaries or atoms) or nil.
 * On failure *ret is nil and err names the offending argument; the result
 * is -EINVAL (a term Linx values cannot represent), -E2BIG (over budget),
 * -ELOOP (nested too deep), -ENOMEM or NIF_NEEDS_DIRTY.
 */
int nif_term_to_args(ErlNifEnv *env, ERL_NIF_TERM term, enum nif_shape shape,
		     struct nif_budget *budget, struct linx_value *ret,
		     struct linx_error *err);

/* The same conversion for any single term (the codec NIFs): the top level
 * may be any convertible term, not only a map. */
int nif_term_to_value(ErlNifEnv *env, ERL_NIF_TERM term,
		      struct nif_budget *budget, struct linx_value *ret,
		      struct linx_error *err);

/* ---- value -> term (term_out.c) ------------------------------------------ */

/* Returned by the converters for a value marked incomplete
 * (LINX_VALUE_F_POISON): verbs are called with LINX_CALL_RESULT_UNCHECKED,
 * and the conversion, which visits every node anyway, is the check. */
#define NIF_POISONED (-ENOTRECOVERABLE)

static inline bool nif_poisoned(const struct linx_value *v)
{
	return v->flags & LINX_VALUE_F_POISON;
}

/* Convert a verb's result.  Fails with -ELOOP for a tree nested deeper than
 * NIF_MAX_DEPTH, -ENOMEM, and NIF_POISONED (err untouched) when some part
 * of `v` is marked incomplete. */
int nif_value_to_term(ErlNifEnv *env, const struct linx_value *v,
		      enum nif_shape shape, ERL_NIF_TERM *ret,
		      struct linx_error *err);

/* Map keys already made into binaries during one conversion, by text:
 * a result of 10,000 rules repeats a few dozen keys 100,000 times, and a
 * term may appear any number of times in the one it is part of. */
#define NIF_KEY_CACHE 64u /* a power of two */

struct nif_key_slot {
	const char *key; /* borrowed from the value being converted */
	size_t len;
	ERL_NIF_TERM term;
};

/* The converter's state, shared with term_nft.c.  `nft` is NULL when the
 * result is converted plainly. */
struct nif_out {
	ErlNifEnv *env;
	const struct nif_atoms *atoms;
	const struct nif_nft *nft;
	struct linx_error *err;
	bool keys_ready; /* keys[] cleared, at the first map */
	struct nif_key_slot keys[NIF_KEY_CACHE];
};

/* One value, plainly below the top unless o->nft is set. */
int nif_out(struct nif_out *o, const struct linx_value *v, unsigned depth,
	    ERL_NIF_TERM *ret);

/* ---- Linx.Netfilter's structs (term_nft.c) -------------------------------- */

/* Fill priv->nft from load_info's name and enumeration-key lists (atoms);
 * false when they are malformed.  Frees with nif_nft_free(). */
bool nif_nft_init(ErlNifEnv *env, struct nif_nft *nft, ERL_NIF_TERM names,
		  ERL_NIF_TERM enum_keys);
void nif_nft_free(struct nif_nft *nft);

/* A call's shape argument: nil (plain) or :nft, which needs the tables of
 * load_info.  Fails with -EINVAL and err set. */
int nif_get_shape(ErlNifEnv *env, ERL_NIF_TERM t, enum nif_shape *ret,
		  struct linx_error *err);

/* The value of one pair of a map of the ruleset's structure (a table, a
 * chain, a rule, a set, an event, a patch op): "exprs" and "elements"
 * lists are shaped, anything else goes on down. */
int nif_nft_pair(struct nif_out *o, const struct linx_pair *p, unsigned depth,
		 ERL_NIF_TERM *ret);

/* {error, #{errno, code, op, param, object, message, extack}} */
ERL_NIF_TERM nif_error_term(ErlNifEnv *env, const struct linx_error *err);

/* ---- the core codec (codec.c) -------------------------------------------- */

/* Inputs of decode/1 up to this many bytes are decoded on the calling
 * scheduler; larger ones on a dirty CPU scheduler. */
#define NIF_QUICK_DECODE (64u * 1024)

ERL_NIF_TERM nif_codec_encode(ErlNifEnv *env, int argc,
			      const ERL_NIF_TERM argv[]);
ERL_NIF_TERM nif_codec_decode(ErlNifEnv *env, int argc,
			      const ERL_NIF_TERM argv[]);

/* ---- handles (handle.c) -------------------------------------------------- */

/* Destructor of the prepared-call resource (nif.c). */
void nif_prepared_dtor(ErlNifEnv *env, void *obj);

int nif_handle_types_open(ErlNifEnv *env, struct nif_priv *priv,
			  ErlNifResourceFlags flags);
/* A resource term holding a new reference to `h`. */
ERL_NIF_TERM nif_handle_make(ErlNifEnv *env, struct linx_handle *h);
/* The handle inside resource term `t`, or NULL if `t` is not one (borrowed,
 * valid while the term is alive). */
struct linx_handle *nif_handle_get(ErlNifEnv *env, ERL_NIF_TERM t);

/* NIF functions living next to the handle resource. */
ERL_NIF_TERM nif_handle_type(ErlNifEnv *env, int argc,
			     const ERL_NIF_TERM argv[]);

/* ---- netlink sockets in another netns (netlink_socket.c) ---------------- */

ERL_NIF_TERM nif_nl_open_in_netns(ErlNifEnv *env, int argc,
				  const ERL_NIF_TERM argv[]);
ERL_NIF_TERM nif_nl_bind(ErlNifEnv *env, int argc, const ERL_NIF_TERM argv[]);
ERL_NIF_TERM nif_nl_close_fd(ErlNifEnv *env, int argc,
			     const ERL_NIF_TERM argv[]);
ERL_NIF_TERM nif_nl_cloexec(ErlNifEnv *env, int argc,
			    const ERL_NIF_TERM argv[]);

#endif /* LINX_NIF_H */
