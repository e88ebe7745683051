/* SPDX-License-Identifier: MIT */
/*
 * The flat reconcile engine (linx/reconcile.h): three-way diff of a
 * {key: value} desired state against what a subsystem reads, and a
 * best-effort pass that applies it and reports.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linx/reconcile.h>

#include "internal.h"

static bool flat_same(const struct linx_reconcile_flat *f, const char *key,
		      const char *observed, const char *rendered)
{
	return f->same ? f->same(f->ctx, key, observed, rendered)
		       : linx_reconcile_same_text(observed, rendered);
}

struct linx_value linx_reconcile_error_value(const struct linx_error *e)
{
	struct linx_value v = linx_value_map();
	int code = e && e->code ? e->code : EIO;
	const char *name = linx_errno_name(code);

	linx_map_put_cstring(&v, "errno", name ? name : "unknown");
	linx_map_put_int(&v, "code", code);
	linx_map_put_cstring(&v, "op", e && e->op[0] ? e->op : "unknown");
	linx_map_put_cstring(&v, "message",
			     e && e->message[0] ? e->message
						: linx_strerror(code));
	if (e && e->param[0])
		linx_map_put_cstring(&v, "param", e->param);
	if (e && e->object[0])
		linx_map_put_cstring(&v, "object", e->object);
	return v;
}

/* ---- inputs ------------------------------------------------------------ */

static bool is_nil(const struct linx_value *v)
{
	return !v || v->type == LINX_NIL;
}

static int check_last_applied(const struct linx_value *last,
			      struct linx_error *err)
{
	if (is_nil(last))
		return 0;
	if (last->type != LINX_MAP)
		return linx_error_param(err, "validate", "last_applied",
					"last_applied must be a map, not %s",
					linx_type_name(last->type));
	for (uint32_t i = 0; i < last->len; i++) {
		const struct linx_value *rec = &last->pairs[i].value;
		const struct linx_value *orig = linx_map_get(rec, "original");

		if (rec->type != LINX_MAP || !linx_map_get(rec, "applied"))
			return linx_error_param(err, "validate",
						"last_applied",
						"last_applied[\"%s\"] must be "
						"{applied, original}",
						last->pairs[i].key);
		if (orig && orig->type != LINX_NIL &&
		    orig->type != LINX_STRING)
			return linx_error_param(err, "validate",
						"last_applied",
						"last_applied[\"%s\"].original "
						"must be a string or nil",
						last->pairs[i].key);
	}
	return 0;
}

static int check_desired(const struct linx_value *desired,
			 struct linx_error *err)
{
	if (!desired || desired->type != LINX_MAP)
		return linx_error_param(err, "validate", "desired",
					"desired must be a map of key to "
					"value");
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of `m`, sorted, in a malloc'd array (borrowed strings). */
static const char **sorted_keys(const struct linx_value *m, size_t *ret_n)
{
	const char **keys;
	size_t n = is_nil(m) ? 0 : m->len;

	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		return NULL;
	for (size_t i = 0; i < n; i++)
		keys[i] = m->pairs[i].key;
	qsort(keys, n, sizeof(*keys), cmp_keys);
	*ret_n = n;
	return keys;
}

/* ---- ops --------------------------------------------------------------- */

static struct linx_value op_value(const char *kind, const char *key,
				  const struct linx_value *value)
{
	struct linx_value op = linx_value_map(), copy = linx_value_nil();

	linx_map_put_cstring(&op, "op", kind);
	linx_map_put_cstring(&op, "key", key);
	if (value) {
		if (linx_value_copy(&copy, value) < 0)
			copy = linx_value_nil();
		linx_map_put(&op, "value", &copy);
	}
	return op;
}

static const char *original_of(const struct linx_value *last, const char *key)
{
	const struct linx_value *rec = is_nil(last) ? NULL
						    : linx_map_get(last, key);
	const struct linx_value *orig = rec ? linx_map_get(rec, "original")
					    : NULL;

	return orig && orig->type == LINX_STRING ? orig->str : NULL;
}

/* Append to `ops` the ops for `desired` against `observed`.  `rendered`
 * (optional) receives each desired key's rendering, in sorted key order. */
static int diff(const struct linx_reconcile_flat *f,
		const struct linx_value *observed,
		const struct linx_value *desired,
		const struct linx_value *last, uint32_t flags,
		struct linx_value *ops, struct linx_error *err)
{
	const char **keys;
	size_t n = 0;
	int r = 0;

	keys = sorted_keys(desired, &n);
	if (!keys)
		return linx_error_set(err, ENOMEM, "diff", NULL);
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct linx_value *want = linx_map_get(desired, keys[i]);
		const struct linx_value *have = linx_map_get(observed, keys[i]);
		char *text = NULL;

		r = f->render(f->ctx, keys[i], want, &text, err);
		if (r < 0)
			break;
		if (!have || have->type != LINX_STRING ||
		    !flat_same(f, keys[i], have->str, text)) {
			struct linx_value op = op_value("set", keys[i], want);

			linx_list_push(ops, &op);
		}
		free(text);
	}
	free(keys);
	if (r < 0)
		return r;
	keys = sorted_keys(last, &n);
	if (!keys)
		return linx_error_set(err, ENOMEM, "diff", NULL);
	for (size_t i = 0; i < n; i++) {
		const char *orig = original_of(last, keys[i]);
		struct linx_value op, o;

		if (linx_map_get(desired, keys[i]))
			continue;
		if ((flags & LINX_RECONCILE_REVERT_ON_RELEASE) && orig) {
			linx_value_cstring(&o, orig);
			op = op_value("revert", keys[i], &o);
			linx_value_clear(&o);
		} else {
			op = op_value("release", keys[i], NULL);
		}
		linx_list_push(ops, &op);
	}
	free(keys);
	return linx_value_status(ops) < 0
		       ? linx_error_set(err, ENOMEM, "diff", NULL)
		       : 0;
}

int linx_reconcile_flat_diff(const struct linx_reconcile_flat *f,
			     const struct linx_value *observed,
			     const struct linx_value *desired,
			     const struct linx_value *last_applied,
			     uint32_t flags, struct linx_value *ret_ops,
			     struct linx_error *err)
{
	struct linx_value ops;
	int r;

	if (!f || !f->render || !ret_ops)
		return linx_error_param(err, "validate", "engine",
					"no subsystem or no output");
	if (flags & ~LINX_RECONCILE_REVERT_ON_RELEASE)
		return linx_error_param(err, "validate", "flags",
					"unknown flags %#x", flags);
	if (!is_nil(observed) && observed->type != LINX_MAP)
		return linx_error_param(err, "validate", "observed",
					"observed must be a map of key to "
					"string");
	r = check_desired(desired, err);
	if (r >= 0)
		r = check_last_applied(last_applied, err);
	if (r < 0)
		return r;
	ops = linx_value_list();
	r = diff(f, observed, desired, last_applied, flags, &ops, err);
	if (r < 0) {
		linx_value_clear(&ops);
		return r;
	}
	*ret_ops = ops;
	return 0;
}

/* ---- a pass ------------------------------------------------------------ */

struct pass {
	const struct linx_reconcile_flat *f;
	const struct linx_value *desired, *last, *observed;
	struct linx_value applied, failed, owned;
};

/* Record `key` as ours with its ownership record: the value we hold it
 * at, and what it held before we first touched it (kept from the previous
 * record, else what we read this pass, else nil). */
static void own(struct pass *p, const char *key)
{
	const struct linx_value *want = linx_map_get(p->desired, key);
	const struct linx_value *prev = is_nil(p->last)
						? NULL
						: linx_map_get(p->last, key);
	const struct linx_value *seen = linx_map_get(p->observed, key);
	struct linx_value rec = linx_value_map(), v = linx_value_nil();

	if (linx_value_copy(&v, want) < 0)
		v = linx_value_nil();
	linx_map_put(&rec, "applied", &v);
	v = linx_value_nil();
	if (prev) {
		const struct linx_value *orig = linx_map_get(prev, "original");

		if (orig && linx_value_copy(&v, orig) < 0)
			v = linx_value_nil();
	} else if (seen && seen->type == LINX_STRING) {
		linx_value_cstring(&v, seen->str);
	}
	linx_map_put(&rec, "original", &v);
	linx_map_put(&p->owned, key, &rec);
}

/* Keep the previous record of `key` unchanged (a failed write). */
static void keep(struct pass *p, const char *key)
{
	const struct linx_value *prev = is_nil(p->last)
						? NULL
						: linx_map_get(p->last, key);
	struct linx_value v = linx_value_nil();

	if (prev && linx_value_copy(&v, prev) == 0)
		linx_map_put(&p->owned, key, &v);
}

static void record_failure(struct pass *p, struct linx_value *op,
			   const struct linx_error *e)
{
	struct linx_value f = linx_value_map(), ev = linx_reconcile_error_value(e);

	linx_map_put(&f, "op", op);
	linx_map_put(&f, "error", &ev);
	linx_list_push(&p->failed, &f);
}

static void apply(struct pass *p, struct linx_value *op)
{
	const char *kind = linx_map_get(op, "op")->str;
	const char *key = linx_map_get(op, "key")->str;
	struct linx_error e;
	char *text = NULL;
	int r = 0;

	linx_error_clear(&e);
	if (strcmp(kind, "release") == 0) {
		linx_list_push(&p->applied, op);
		return;
	}
	if (strcmp(kind, "set") == 0)
		r = p->f->render(p->f->ctx, key, linx_map_get(p->desired, key),
				 &text, &e);
	else
		text = strdup(linx_map_get(op, "value")->str);
	if (r >= 0 && !text)
		r = linx_error_set(&e, ENOMEM, "write", NULL);
	if (r >= 0)
		r = p->f->write(p->f->ctx, key, text, &e);
	free(text);
	if (r < 0) {
		keep(p, key);
		record_failure(p, op, &e);
		return;
	}
	if (strcmp(kind, "set") == 0)
		own(p, key);
	linx_list_push(&p->applied, op);
}

/* Read every key of desired and last_applied. */
static struct linx_value observe(const struct linx_reconcile_flat *f,
				 const struct linx_value *desired,
				 const struct linx_value *last)
{
	struct linx_value seen = linx_value_map();
	const struct linx_value *maps[2] = { desired, last };

	for (size_t m = 0; m < 2; m++) {
		for (uint32_t i = 0; !is_nil(maps[m]) && i < maps[m]->len;
		     i++) {
			const char *key = maps[m]->pairs[i].key;
			struct linx_error e;
			char *text = NULL;

			if (linx_map_get(&seen, key))
				continue;
			/* Text that is not UTF-8 cannot be a string value;
			 * the key is then unobserved, as an unreadable one. */
			if (f->read(f->ctx, key, &text, &e) >= 0 && text &&
			    linx_utf8_valid(text, strlen(text)))
				linx_map_put_cstring(&seen, key, text);
			free(text);
		}
	}
	return seen;
}

int linx_reconcile_flat_pass(const struct linx_reconcile_flat *f,
			     const struct linx_value *desired,
			     const struct linx_value *last_applied,
			     uint32_t flags, struct linx_value *ret_report,
			     struct linx_error *err)
{
	struct linx_value ops = linx_value_nil(), observed, report, pending;
	struct pass p;
	int r;

	if (!f || !f->render || !f->read || !f->write || !ret_report)
		return linx_error_param(err, "validate", "engine",
					"no subsystem or no output");
	/* Every input checked, every desired value rendered, before the
	 * first read: a malformed desired state changes nothing. */
	r = linx_reconcile_flat_diff(f, NULL, desired, last_applied, flags,
				     &ops, err);
	linx_value_clear(&ops);
	if (r < 0)
		return r;
	observed = observe(f, desired, last_applied);
	r = linx_reconcile_flat_diff(f, &observed, desired, last_applied,
				     flags, &ops, err);
	if (r < 0) {
		linx_value_clear(&observed);
		return r;
	}
	p = (struct pass){ .f = f, .desired = desired, .last = last_applied,
			   .observed = &observed,
			   .applied = linx_value_list(),
			   .failed = linx_value_list(),
			   .owned = linx_value_map() };
	/* Keys already converged are ours too. */
	for (uint32_t i = 0; i < desired->len; i++) {
		bool needs_op = false;

		for (uint32_t j = 0; j < ops.len && !needs_op; j++)
			needs_op = strcmp(linx_map_get(&ops.items[j], "key")->str,
					  desired->pairs[i].key) == 0;
		if (!needs_op)
			own(&p, desired->pairs[i].key);
	}
	for (uint32_t i = 0; i < ops.len; i++)
		apply(&p, &ops.items[i]);
	linx_value_clear(&ops);
	linx_value_clear(&observed);
	report = linx_value_map();
	pending = linx_value_list();
	linx_map_put_bool(&report, "converged", p.failed.len == 0);
	linx_map_put(&report, "applied", &p.applied);
	linx_map_put(&report, "failed", &p.failed);
	linx_map_put(&report, "pending", &pending);
	linx_map_put(&report, "last_applied", &p.owned);
	if (linx_value_status(&report) < 0) {
		linx_value_clear(&report);
		return linx_error_set(err, ENOMEM, "reconcile", NULL);
	}
	*ret_report = report;
	return 0;
}
