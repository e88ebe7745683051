/* SPDX-License-Identifier: MIT */
/*
 * Typed wrappers that run the child-side verbs on a parked session.  Only
 * in the static library: a plugin module cannot call the process API.
 */
#include <linx/caps.h>
#include <linx/process.h>

static struct linx_value names(uint64_t mask)
{
	struct linx_value list = linx_value_list();

	for (unsigned b = 0; b < LINX_CAPS_KNOWN; b++)
		if (mask & (1ull << b))
			linx_list_push_cstring(&list, linx_caps_name(b));
	return list;
}

static int call(struct linx_process *p, const char *verb,
		struct linx_value *args, struct linx_error *err)
{
	int r = linx_value_status(args);

	if (r >= 0)
		r = linx_process_call(p, verb, args, NULL, err);
	else
		r = linx_error_set(err, r, "call", "cannot build arguments");
	linx_value_clear(args);
	return r;
}

int linx_caps_process_drop_bounding(struct linx_process *p, uint64_t caps,
				    struct linx_error *err)
{
	struct linx_value args = linx_value_map(), l = names(caps);

	linx_map_put(&args, "caps", &l);
	return call(p, "caps.drop_bounding", &args, err);
}

int linx_caps_process_set_thread_sets(struct linx_process *p,
				      uint64_t effective, uint64_t permitted,
				      uint64_t inheritable,
				      struct linx_error *err)
{
	struct linx_value args = linx_value_map(), l;

	l = names(effective);
	linx_map_put(&args, "effective", &l);
	l = names(permitted);
	linx_map_put(&args, "permitted", &l);
	l = names(inheritable);
	linx_map_put(&args, "inheritable", &l);
	return call(p, "caps.set_thread_sets", &args, err);
}

int linx_caps_process_set_ambient(struct linx_process *p, uint64_t caps,
				  struct linx_error *err)
{
	struct linx_value args = linx_value_map(), l = names(caps);

	linx_map_put(&args, "caps", &l);
	return call(p, "caps.set_ambient", &args, err);
}
