/* SPDX-License-Identifier: MIT */
/*
 * Desired state for sysctls: the flat reconcile engine (linx/reconcile.h)
 * over /proc/sys, in any namespace.
 *
 * Values are compared as the kernel prints them, blanks collapsed:
 * [4, 4, 1, 7] holds when kernel.printk reads "4\t4\t1\t7", 1 when
 * net.ipv4.ip_forward reads "1".  Writes go through linx_sysctl_write(),
 * so every check it makes (no newline, a value the knob can hold) applies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linx/reconcile.h>

#include "sysctl-internal.h"

static int copy(const char *s, char **ret, struct linx_error *err)
{
	*ret = strdup(s);
	return *ret ? 0 : linx_error_set(err, ENOMEM, "reconcile", NULL);
}

/* How a desired value is written: an integer, a string, or integers
 * separated by one space.  malloc'd into *ret. */
static int render(void *ctx, const char *key, const struct linx_value *v,
		  char **ret, struct linx_error *err)
{
	struct sysctl_key k;
	char num[32], *buf;
	size_t len = 0, cap;
	int r;

	(void)ctx;
	r = sysctl_key_init(&k, key, "desired", err);
	if (r < 0)
		return r;
	switch (v ? v->type : LINX_NIL) {
	case LINX_INT:
		snprintf(num, sizeof(num), "%" PRId64, v->i);
		return copy(num, ret, err);
	case LINX_UINT:
		snprintf(num, sizeof(num), "%" PRIu64, v->u);
		return copy(num, ret, err);
	case LINX_STRING:
		if (memchr(v->str, '\n', v->len))
			return sysctl_fail_param(err, EINVAL, "desired", k.path,
						 "desired[\"%s\"]: a value "
						 "with a newline",
						 key);
		return copy(v->str, ret, err);
	case LINX_LIST:
		if (v->len == 0)
			break;
		cap = (size_t)v->len * 22 + 1;
		buf = malloc(cap);
		if (!buf)
			return linx_error_set(err, ENOMEM, "reconcile", NULL);
		for (uint32_t i = 0; i < v->len; i++) {
			const struct linx_value *e = &v->items[i];

			if (e->type == LINX_INT)
				len += (size_t)snprintf(buf + len, cap - len,
							"%s%" PRId64,
							i ? " " : "", e->i);
			else if (e->type == LINX_UINT)
				len += (size_t)snprintf(buf + len, cap - len,
							"%s%" PRIu64,
							i ? " " : "", e->u);
			else {
				free(buf);
				return sysctl_fail_param(
					err, EINVAL, "desired", k.path,
					"desired[\"%s\"]: a list must hold "
					"integers only",
					key);
			}
		}
		*ret = buf;
		return 0;
	default:
		break;
	}
	return sysctl_fail_param(err, EINVAL, "desired", k.path,
				 "desired[\"%s\"]: an integer, a string or a "
				 "non-empty list of integers",
				 key);
}

static int read_key(void *ctx, const char *key, char **ret,
		    struct linx_error *err)
{
	struct sysctl_key k;
	size_t len;
	int r = sysctl_key_init(&k, key, "key", err);

	if (r < 0)
		return r;
	return sysctl_read_raw(&k, ctx, ret, &len, err);
}

static int write_key(void *ctx, const char *key, const char *text,
		     struct linx_error *err)
{
	return linx_sysctl_write(key, ctx, text, err);
}

static void engine(struct linx_reconcile_flat *f,
		   const struct linx_ns_target *in)
{
	static const struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;

	*f = (struct linx_reconcile_flat){
		.render = render,
		.read = read_key,
		.write = write_key,
		.ctx = (void *)(in ? in : &self),
	};
}

int linx_sysctl_reconcile(const struct linx_value *desired,
			  const struct linx_value *last_applied,
			  const struct linx_ns_target *in, uint32_t flags,
			  struct linx_value *ret_report,
			  struct linx_error *err)
{
	struct linx_reconcile_flat f;

	engine(&f, in);
	return linx_reconcile_flat_pass(&f, desired, last_applied, flags,
					ret_report, err);
}

int linx_sysctl_reconcile_diff(const struct linx_value *observed,
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

int linx_sysctl_observe(const char *const *keys, size_t n,
			const struct linx_ns_target *in,
			struct linx_value *ret, struct linx_error *err)
{
	static const struct linx_ns_target self = LINX_NS_TARGET_SELF_INIT;
	struct linx_value seen;
	int r;

	if (!ret || (n && !keys))
		return linx_error_param(err, "validate", "keys",
					"no keys or no output");
	for (size_t i = 0; i < n; i++) {
		struct sysctl_key k;

		r = sysctl_key_init(&k, keys[i], "keys", err);
		if (r < 0)
			return r;
	}
	seen = linx_value_map();
	for (size_t i = 0; i < n; i++) {
		struct linx_error ignored;
		char *text = NULL;

		/* Unreadable keys are left out: a reconcile pass then
		 * writes them and the write reports the real error. */
		if (read_key((void *)(in ? in : &self), keys[i], &text,
			     &ignored) >= 0 &&
		    linx_utf8_valid(text, strlen(text)) &&
		    !linx_map_get(&seen, keys[i]))
			linx_map_put_cstring(&seen, keys[i], text);
		free(text);
	}
	r = linx_value_status(&seen);
	if (r < 0) {
		linx_value_clear(&seen);
		return linx_error_set(err, -r, "observe", NULL);
	}
	*ret = seen;
	return 0;
}
