/* SPDX-License-Identifier: MIT */
/*
 * Verb dispatch: check arguments against a verb's schema, then call it.
 *
 * Validation is the core's job so that every front-end (CLI, NIF, agent)
 * gets the same answers and a verb never sees an argument of the wrong
 * type: a missing, unknown or mistyped parameter is EINVAL naming it.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

size_t linx_type_mask_format(uint32_t types, char *buf, size_t cap)
{
	size_t len = 0;

	if (cap)
		buf[0] = '\0';
	/* int and uint read as one "integer" to users */
	if ((types & (LINX_TM_INT | LINX_TM_UINT)) ==
	    (LINX_TM_INT | LINX_TM_UINT))
		types &= ~LINX_TM_UINT;
	for (unsigned t = 0; t < LINX_TYPE_COUNT; t++) {
		if (!(types & LINX_TM(t)))
			continue;
		len += linx__format(len < cap ? buf + len : NULL,
				    len < cap ? cap - len : 0, "%s%s",
				    len ? "|" : "", linx_type_name(t));
	}
	return len;
}

/* Does integer `v` fit a parameter that takes integers?  Sets *why on
 * refusal.  A non-negative int is fine for a uint parameter and a uint up
 * to INT64_MAX for an int one: front-ends cannot always tell them apart. */
static bool int_fits(const struct linx_param *p, const struct linx_value *v,
		     const char **why)
{
	if (v->type == LINX_INT) {
		if (v->i >= 0)
			return true;
		if ((p->flags & LINX_PARAM_NONNEG) ||
		    !(p->types & LINX_TM_INT)) {
			*why = "must not be negative";
			return false;
		}
		return true;
	}
	if ((p->types & LINX_TM_UINT) || v->u <= INT64_MAX)
		return true;
	*why = "is out of range for a signed 64-bit integer";
	return false;
}

static bool is_int(const struct linx_value *v)
{
	return v->type == LINX_INT || v->type == LINX_UINT;
}

static int type_error(const struct linx_verb *verb, const struct linx_param *p,
		      const struct linx_value *v, struct linx_error *err)
{
	char want[96];

	linx_type_mask_format(p->types, want, sizeof(want));
	linx_error_param(err, "validate", p->name,
			 "%s: parameter \"%s\": expected %s, got %s%s",
			 verb->name, p->name, want, linx_type_name(v->type),
			 v->type == LINX_BYTES && (p->types & LINX_TM_STRING)
				 ? " (not valid UTF-8, or contains NUL)"
				 : "");
	return linx_error_object(err, verb->name);
}

static int check_value(const struct linx_verb *verb,
		       const struct linx_param *p, const struct linx_value *v,
		       struct linx_error *err)
{
	const char *why = NULL;

	switch (v->type) {
	case LINX_INT:
	case LINX_UINT:
		if (!(p->types & (LINX_TM_INT | LINX_TM_UINT)))
			return type_error(verb, p, v, err);
		if (!int_fits(p, v, &why)) {
			linx_error_param(err, "validate", p->name,
					 "%s: parameter \"%s\" %s", verb->name,
					 p->name, why);
			return linx_error_object(err, verb->name);
		}
		return 0;
	case LINX_STRING:
		/* A string is also acceptable where bytes are. */
		if (p->types & (LINX_TM_STRING | LINX_TM_BYTES))
			return 0;
		return type_error(verb, p, v, err);
	case LINX_LIST:
		if (!(p->types & LINX_TM_LIST))
			return type_error(verb, p, v, err);
		if (p->flags & LINX_PARAM_INT_LIST) {
			for (uint32_t i = 0; i < v->len; i++) {
				if (is_int(&v->items[i]))
					continue;
				linx_error_param(
					err, "validate", p->name,
					"%s: parameter \"%s\": element %u is "
					"a %s, expected an integer",
					verb->name, p->name, i,
					linx_type_name(v->items[i].type));
				return linx_error_object(err, verb->name);
			}
		}
		return 0;
	default:
		if (v->type < LINX_TYPE_COUNT && (p->types & LINX_TM(v->type)))
			return 0;
		return type_error(verb, p, v, err);
	}
}

/* strcmp(a, b) == 0 for the short identifiers parameters are named with;
 * inline, since a libc strcmp call costs more than the compare itself. */
static inline bool name_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* The parameter named `key`, or NULL.  Front-ends tend to pass arguments
 * in schema order, so the search starts after the previous match (*hint)
 * and wraps around: in-order arguments cost one compare each. */
static inline const struct linx_param *
find_param(const struct linx_param *params, uint32_t n, const char *key,
	   uint32_t *hint, uint32_t *ret_index)
{
	uint32_t i = *hint < n ? *hint : 0;

	for (uint32_t k = 0; k < n; k++, i = i + 1 < n ? i + 1 : 0) {
		const char *name = params[i].name;

		if (name[0] == key[0] && name_eq(name, key)) {
			*hint = i + 1;
			*ret_index = i;
			return &params[i];
		}
	}
	return NULL;
}

static int unknown_param(const struct linx_verb *verb, const char *name,
			 struct linx_error *err)
{
	char list[256];
	size_t len = 0;

	list[0] = '\0';
	for (uint32_t i = 0; i < verb->n_params && len < sizeof(list); i++)
		len += linx__format(list + len, sizeof(list) - len, "%s%s",
				    i ? ", " : "", verb->params[i].name);
	linx_error_param(err, "validate", name,
			 "%s: unknown parameter \"%s\" (%s%s)", verb->name,
			 name, verb->n_params ? "expected one of: " : "",
			 verb->n_params ? list : "the verb takes none");
	return linx_error_object(err, verb->name);
}

/* The arguments as a whole: a map, built completely.  A put that failed
 * while the front-end built it left it short of an argument: do not run
 * the verb without it.  Poison travels up on every move, so the root's
 * flags are enough. */
static int check_args_shape(const struct linx_verb *verb,
			    const struct linx_value *args,
			    struct linx_error *err)
{
	if (args->flags & LINX_VALUE_F_POISON)
		return linx_error_param_object(
			err,
			args->flags & LINX_VALUE_F_POISON_NOMEM	 ? ENOMEM
			: args->flags & LINX_VALUE_F_POISON_DEEP ? ELOOP
								 : EINVAL,
			"validate", "args", verb->name,
			"%s: the argument map was not built completely",
			verb->name);
	if (args->type != LINX_MAP)
		return linx_error_param_object(
			err, EINVAL, "validate", "args", verb->name,
			"%s: arguments must be a map, got %s", verb->name,
			linx_type_name(args->type));
	return 0;
}

int linx_verb_validate(const struct linx_verb *verb,
		       const struct linx_value *args,
		       const struct linx_value **slots, struct linx_error *err)
{
	const struct linx_param *params;
	uint32_t required = 0, n_params;

	if (!verb || !slots)
		return linx_error_param(err, "validate", "verb", "no verb");
	/* The loader refuses such verbs, but linx_call_verb() accepts any
	 * struct linx_verb, and the slots are a LINX_MAX_PARAMS array. */
	if (verb->n_params > LINX_MAX_PARAMS || (verb->n_params && !verb->params))
		return linx_error_param(err, "validate", "verb",
					"verb %s has a malformed parameter "
					"table (%u parameters, at most %u)",
					verb->name ? verb->name : "(unnamed)",
					verb->n_params, LINX_MAX_PARAMS);
	/* Locals: with -fno-strict-aliasing every store to slots[] would
	 * otherwise make the compiler reload these from memory. */
	params = verb->params;
	n_params = verb->n_params;
	/* One pass over the schema: clear the slots and note which
	 * parameters are required (at most LINX_MAX_PARAMS bits). */
	for (uint32_t i = 0; i < n_params; i++) {
		slots[i] = NULL;
		if (params[i].flags & LINX_PARAM_REQUIRED)
			required |= 1u << i;
	}
	if (args && args->type != LINX_NIL) {
		const struct linx_pair *pairs = args->pairs;
		uint32_t hint = 0, n_args = args->len;
		int shape = check_args_shape(verb, args, err);

		if (shape < 0)
			return shape;

		for (uint32_t a = 0; a < n_args; a++) {
			const struct linx_pair *pair = &pairs[a];
			const struct linx_param *p;
			uint32_t i = 0;
			int r;

			p = find_param(params, n_params, pair->key, &hint, &i);
			if (!p)
				return unknown_param(verb, pair->key, err);
			/* nil for an optional that does not take nil is the
			 * same as leaving it out */
			if (pair->value.type == LINX_NIL &&
			    !(p->types & LINX_TM_NIL))
				continue;
			r = check_value(verb, p, &pair->value, err);
			if (r < 0)
				return r;
			slots[i] = &pair->value;
			required &= ~(1u << i);
		}
	}
	if (required) {
		/* the first missing one, in schema order */
		const char *name = params[__builtin_ctz(required)].name;

		linx_error_param(err, "validate", name,
				 "%s: missing required parameter \"%s\"",
				 verb->name, name);
		return linx_error_object(err, verb->name);
	}
	return 0;
}

int linx_call_verb(const struct linx_verb *verb, const struct linx_value *args,
		   struct linx_value *ret, uint32_t flags,
		   struct linx_error *err)
{
	const struct linx_value *slots[LINX_MAX_PARAMS];
	struct linx_error local;
	struct linx_call call;
	int32_t saved_code;
	int r;

	if (!ret)
		return linx_error_param(err, "call", "ret", "no result slot");
	*ret = linx_value_nil();
	if (!verb || !verb->fn)
		return linx_error_param(err, "call", "verb", "no verb%s",
					verb ? " function" : "");
	if ((verb->flags & LINX_VERB_CHILD) && !(flags & LINX_CALL_IN_CHILD)) {
		linx_error_set(err, EPERM, "call",
			       "%s runs inside a process parked at the "
			       "checkpoint; call it through a process session",
			       verb->name);
		return linx_error_object(err, verb->name);
	}
	r = linx_verb_validate(verb, args, slots, err);
	if (r < 0)
		return r;
	call = (struct linx_call){ .verb = verb, .args = slots, .flags = flags };
	/* A verb always gets a struct to fill, and the code is zeroed so a
	 * failure it did not describe can be told apart; the caller's code is
	 * put back on success (err is untouched on success). */
	if (!err) {
		err = &local;
		local.code = 0;
	}
	saved_code = err->code;
	err->code = 0;
	r = verb->fn(&call, ret, err);
	if (r < 0) {
		linx_value_clear(ret);
		/* A verb that forgot to say why still yields a usable error. */
		if (err->code == 0)
			linx_error_set(err, r, verb->name, NULL);
		return r;
	}
	err->code = saved_code;
	if (flags & LINX_CALL_RESULT_UNCHECKED)
		return 0;
	return linx_call_check_result(verb, ret, err);
}

int linx_call_check_result(const struct linx_verb *verb,
			   struct linx_value *ret, struct linx_error *err)
{
	int r;

	if (!verb || !ret)
		return linx_error_param(err, "call", verb ? "ret" : "verb",
					"no %s", verb ? "result" : "verb");
	/* Only containers can hide poison below them; a scalar result with
	 * clean flags (the common case) needs no walk. */
	if (ret->flags == 0 && ret->type < LINX_LIST)
		return 0;
	r = linx_value_status(ret);
	if (r == -ELOOP) {
		linx_value_clear(ret);
		return linx_error_set(err, ELOOP, verb->name,
				      "%s built a result nested deeper than "
				      "%u levels",
				      verb->name, LINX_VALUE_MAX_DEPTH);
	}
	if (r < 0) {
		linx_value_clear(ret);
		return linx_error_set(err, r, verb->name,
				      "%s could not build its result",
				      verb->name);
	}
	return 0;
}
