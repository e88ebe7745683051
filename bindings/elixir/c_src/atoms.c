/* SPDX-License-Identifier: MIT */
/*
 * The atoms the NIF uses, all made once at load time.
 *
 * The atom table is never garbage collected, so the NIF makes atoms only
 * from fixed tables compiled into it: these names, and the errno names of
 * the core's list (core/errno-list.h via linx_errno_name).  Everything a
 * caller or the kernel controls becomes a binary.
 */
#include <string.h>

#include "nif.h"

void nif_atoms_init(ErlNifEnv *env, struct nif_atoms *a)
{
#define ATOM(field, text) a->field = enif_make_atom(env, text)
	ATOM(ok, "ok");
	ATOM(error, "error");
	ATOM(nil, "nil");
	ATOM(true_, "true");
	ATOM(false_, "false");
	ATOM(unknown, "unknown");
	ATOM(bytes, "bytes");
	ATOM(errno_, "errno");
	ATOM(code, "code");
	ATOM(op, "op");
	ATOM(param, "param");
	ATOM(object, "object");
	ATOM(message, "message");
	ATOM(extack, "extack");
	ATOM(name, "name");
	ATOM(summary, "summary");
	ATOM(flags, "flags");
	ATOM(params, "params");
	ATOM(types, "types");
	ATOM(doc, "doc");
	ATOM(result_doc, "result_doc");
	ATOM(version, "version");
	ATOM(file, "file");
	ATOM(blocking, "blocking");
	ATOM(child, "child");
	ATOM(required, "required");
	ATOM(nonneg, "nonneg");
	ATOM(int_list, "int_list");
	ATOM(nft, "nft");
#undef ATOM
	for (int code = 0; code < NIF_ERRNO_ATOMS; code++) {
		const char *name = code ? linx_errno_name(code) : NULL;

		a->errnos[code] = name ? enif_make_atom(env, name) : a->unknown;
	}
}

ERL_NIF_TERM nif_errno_atom(const struct nif_atoms *a, int code)
{
	if (code < 0)
		code = -code;
	return code < NIF_ERRNO_ATOMS ? a->errnos[code] : a->unknown;
}
