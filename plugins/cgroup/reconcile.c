/* SPDX-License-Identifier: MIT */
/*
 * Desired state for one cgroup's limits: the flat reconcile engine
 * (linx/reconcile.h) over its interface files.
 *
 * Limits only: the cgroup must exist, and creating it, enabling
 * controllers or moving processes stay with the caller (a missing file is
 * an ordinary failure in the report, retried on the next pass).  Values
 * compare as the kernel prints them, blanks collapsed, with one more rule:
 * cpu.max given as a quota alone ("max", 50000) holds whatever the period
 * is, since writing a quota alone leaves the period as it was
 * (Documentation/admin-guide/cgroup-v2.rst, "cpu.max").
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/reconcile.h>

#include "cgroup-internal.h"

static int copy(const char *s, char **ret, struct linx_error *err)
{
	*ret = strdup(s);
	return *ret ? 0 : linx_error_set(err, ENOMEM, "reconcile", NULL);
}

static int bad_value(const char *file, struct linx_error *err)
{
	return linx_error_param(err, "validate", "desired",
				"desired[\"%s\"]: an integer, \"max\", a "
				"string, or a list of integers",
				file);
}

/* An integer, a string ("max", "50000 100000", any file's raw syntax),
 * or integers separated by one space ([50000, 100000] for cpu.max). */
static int render(void *ctx, const char *file, const struct linx_value *v,
		  char **ret, struct linx_error *err)
{
	char num[32], *buf;
	size_t len = 0, cap;
	int r;

	(void)ctx;
	r = cg_file_check(file, err);
	if (r < 0)
		return linx_error_param(err, "validate", "desired",
					"desired: \"%s\" is not an interface "
					"file name",
					file);
	switch (v ? v->type : LINX_NIL) {
	case LINX_INT:
		if (v->i < 0)
			return bad_value(file, err);
		snprintf(num, sizeof(num), "%" PRId64, v->i);
		return copy(num, ret, err);
	case LINX_UINT:
		snprintf(num, sizeof(num), "%" PRIu64, v->u);
		return copy(num, ret, err);
	case LINX_STRING:
		if (v->len == 0 || memchr(v->str, '\n', v->len))
			return bad_value(file, err);
		return copy(v->str, ret, err);
	case LINX_LIST:
		if (v->len == 0)
			return bad_value(file, err);
		cap = (size_t)v->len * 22 + 1;
		buf = malloc(cap);
		if (!buf)
			return linx_error_set(err, ENOMEM, "reconcile", NULL);
		for (uint32_t i = 0; i < v->len; i++) {
			const struct linx_value *e = &v->items[i];
			uint64_t u;

			if (!linx_value_get_u64(e, &u)) {
				free(buf);
				return bad_value(file, err);
			}
			len += (size_t)snprintf(buf + len, cap - len,
						"%s%" PRIu64, i ? " " : "", u);
		}
		*ret = buf;
		return 0;
	default:
		return bad_value(file, err);
	}
}

/* The first blank-separated word of `s`, its length in *ret_len. */
static const char *first_word(const char *s, size_t *ret_len)
{
	s += strspn(s, " \t\n");
	*ret_len = strcspn(s, " \t\n");
	return s;
}

/* The engine's comparison, but for cpu.max given as a quota alone. */
static bool same(void *ctx, const char *file, const char *observed,
		 const char *rendered)
{
	size_t ol, rl;
	const char *o, *w;

	(void)ctx;
	if (strcmp(file, "cpu.max") == 0) {
		w = first_word(rendered, &rl);
		if (!w[rl + strspn(w + rl, " \t\n")]) {
			/* A quota alone: the period is not ours. */
			o = first_word(observed, &ol);
			return ol == rl && memcmp(o, w, rl) == 0;
		}
	}
	return linx_reconcile_same_text(observed, rendered);
}

static int read_file(void *ctx, const char *file, char **ret,
		     struct linx_error *err)
{
	size_t len;

	return linx_cgroup_read(ctx, file, ret, &len, err);
}

static int write_file(void *ctx, const char *file, const char *text,
		      struct linx_error *err)
{
	return linx_cgroup_write(ctx, file, text, err);
}

static void engine(struct linx_reconcile_flat *f, const char *path)
{
	*f = (struct linx_reconcile_flat){
		.render = render,
		.same = same,
		.read = read_file,
		.write = write_file,
		.ctx = (void *)path,
	};
}

int linx_cgroup_reconcile(const char *path, const struct linx_value *desired,
			  const struct linx_value *last_applied, uint32_t flags,
			  struct linx_value *ret_report,
			  struct linx_error *err)
{
	struct linx_reconcile_flat f;
	int r = cg_path_check(path, "path", err);

	if (r < 0)
		return r;
	engine(&f, path);
	return linx_reconcile_flat_pass(&f, desired, last_applied, flags,
					ret_report, err);
}

int linx_cgroup_reconcile_diff(const struct linx_value *observed,
			       const struct linx_value *desired,
			       const struct linx_value *last_applied,
			       uint32_t flags, struct linx_value *ret_ops,
			       struct linx_error *err)
{
	struct linx_reconcile_flat f;

	engine(&f, NULL);
	return linx_reconcile_flat_diff(&f, observed, desired, last_applied,
					flags, ret_ops, err);
}
