/* SPDX-License-Identifier: MIT */
/*
 * Linx handles as NIF resources.
 *
 * A verb that returns a kernel object (a socket, a session) returns a
 * struct linx_handle, reference counted by the core.  The NIF gives Erlang
 * a resource holding one reference; the resource's destructor, run by the
 * garbage collector once no process refers to the term, drops it, and the
 * plugin's destroy function closes the object when the last reference
 * goes.  Passing the term back as an argument hands the verb a new
 * reference, so a handle stays alive for as long as a verb still uses it.
 *
 * The second resource type carries a call from the regular scheduler that
 * checked it to the dirty scheduler that runs it (see nif.c).
 */
#include <string.h>

#include "nif.h"

struct nif_handle {
	struct linx_handle *h;
};

static void handle_dtor(ErlNifEnv *env, void *obj)
{
	struct nif_handle *nh = obj;

	(void)env;
	linx_handle_unref(nh->h);
	nh->h = NULL;
}

int nif_handle_types_open(ErlNifEnv *env, struct nif_priv *priv,
			  ErlNifResourceFlags flags)
{
	priv->handle_type = enif_open_resource_type(
		env, NULL, "linx_handle", handle_dtor, flags, NULL);
	priv->prepared_type = enif_open_resource_type(
		env, NULL, "linx_prepared_call", nif_prepared_dtor, flags, NULL);
	return priv->handle_type && priv->prepared_type ? 0 : -ENOMEM;
}

ERL_NIF_TERM nif_handle_make(ErlNifEnv *env, struct linx_handle *h)
{
	struct nif_priv *priv = nif_priv(env);
	struct nif_handle *nh;
	ERL_NIF_TERM t;

	nh = enif_alloc_resource(priv->handle_type, sizeof(*nh));
	if (!nh)
		return priv->atoms.nil;
	nh->h = linx_handle_ref(h);
	t = enif_make_resource(env, nh);
	/* The term now owns the resource. */
	enif_release_resource(nh);
	return t;
}

struct linx_handle *nif_handle_get(ErlNifEnv *env, ERL_NIF_TERM t)
{
	struct nif_handle *nh;

	if (!enif_get_resource(env, t, nif_priv(env)->handle_type,
			       (void **)&nh))
		return NULL;
	return nh->h;
}

/* handle_type(ref) -> binary() | nil: the type name a plugin gave the
 * handle ("rtnl.socket"), nil for anything that is not a Linx handle. */
ERL_NIF_TERM nif_handle_type(ErlNifEnv *env, int argc,
			     const ERL_NIF_TERM argv[])
{
	const struct linx_handle_type *type;
	struct linx_handle *h;
	unsigned char *data;
	ERL_NIF_TERM t;
	size_t len;

	(void)argc;
	h = nif_handle_get(env, argv[0]);
	type = linx_handle_type_of(h);
	if (!type || !type->name)
		return nif_priv(env)->atoms.nil;
	len = strnlen(type->name, 256);
	data = enif_make_new_binary(env, len, &t);
	if (!data)
		return nif_priv(env)->atoms.nil;
	memcpy(data, type->name, len);
	return t;
}
