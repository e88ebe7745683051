/* SPDX-License-Identifier: MIT */
/*
 * The caps plugin's verbs.  Capability sets travel as lists of names.
 * drop_bounding, set_thread_sets and set_ambient change the calling
 * thread, so they are child-side verbs (LINX_VERB_CHILD): linx-agent runs
 * them inside the workload parked at the checkpoint.
 */
#include <linx/plugin.h> /* first: host-table routing in module builds */

#include <errno.h>
#include <string.h>

#include <linx/caps.h>

/* A list of names -> mask; unknown names are refused (a parameter error,
 * so a parked child stays parked). */
static int names_to_mask(const struct linx_value *v, const char *param,
			 uint64_t *ret, struct linx_error *err)
{
	uint64_t mask = 0;

	if (!v || v->type != LINX_LIST)
		return linx_error_param(err, "validate", param,
					"%s must be a list of capability names",
					param);
	for (uint32_t i = 0; i < v->len; i++) {
		const struct linx_value *s = &v->items[i];
		int bit = s->type == LINX_STRING ? linx_caps_from_name(s->str)
						 : -1;

		if (bit < 0)
			return linx_error_param(
				err, "validate", param,
				"bad_capability: %s[%u] \"%s\" is not a "
				"capability name",
				param, i,
				s->type == LINX_STRING ? s->str : "(not a string)");
		mask |= 1ull << bit;
	}
	*ret = mask;
	return 0;
}

static struct linx_value mask_to_names(uint64_t mask)
{
	struct linx_value list = linx_value_list();

	/* Bits past the names table (a newer kernel) are left out. */
	for (unsigned b = 0; b < LINX_CAPS_KNOWN; b++)
		if (mask & (1ull << b))
			linx_list_push_cstring(&list, linx_caps_name(b));
	return list;
}

static const struct linx_param read_params[] = {
	{ "pid", LINX_TM_INT | LINX_TM_UINT | LINX_TM_STRING,
	  LINX_PARAM_REQUIRED, "pid, or \"self\"" },
};

static int caps_read(const struct linx_call *call, struct linx_value *ret,
		     struct linx_error *err)
{
	const struct linx_value *v = linx_call_arg(call, 0);
	struct linx_caps_state st;
	struct linx_value l;
	int64_t pid = 0;
	int r;

	if (v->type == LINX_STRING) {
		if (strcmp(v->str, "self") != 0)
			return linx_error_param(err, "validate", "pid",
						"pid must be a positive "
						"integer or \"self\"");
	} else if (!linx_value_get_i64(v, &pid) || pid <= 0 || pid > INT32_MAX) {
		return linx_error_param(err, "validate", "pid",
					"pid must be a positive integer or "
					"\"self\"");
	}
	r = linx_caps_read((pid_t)pid, &st, err);
	if (r < 0)
		return r;
	*ret = linx_value_map();
	l = mask_to_names(st.effective);
	linx_map_put(ret, "effective", &l);
	l = mask_to_names(st.permitted);
	linx_map_put(ret, "permitted", &l);
	l = mask_to_names(st.inheritable);
	linx_map_put(ret, "inheritable", &l);
	l = mask_to_names(st.bounding);
	linx_map_put(ret, "bounding", &l);
	l = mask_to_names(st.ambient);
	linx_map_put(ret, "ambient", &l);
	return 0;
}

static int caps_supported(const struct linx_call *call, struct linx_value *ret,
			  struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = linx_value_bool(linx_caps_supported());
	return 0;
}

static int caps_names(const struct linx_call *call, struct linx_value *ret,
		      struct linx_error *err)
{
	(void)call;
	(void)err;
	*ret = mask_to_names(linx_caps_all());
	return 0;
}

static const struct linx_param list_params[] = {
	{ "caps", LINX_TM_LIST, LINX_PARAM_REQUIRED, "capability names" },
};

static const struct linx_param drop_params[] = {
	{ "caps", LINX_TM_LIST, LINX_PARAM_REQUIRED,
	  "capability names to drop (non-empty)" },
};

static int drop_bounding(const struct linx_call *call, struct linx_value *ret,
			 struct linx_error *err)
{
	const struct linx_value *caps = linx_call_arg(call, 0);
	uint64_t mask;
	int r = names_to_mask(caps, "caps", &mask, err);

	(void)ret;
	/* Dropping nothing is never what a caller restricting the workload
	 * meant (an empty --caps-drop once ran it with every capability):
	 * refuse it.  The sets verbs differ: there an empty list is the
	 * strictest answer, "none". */
	if (r >= 0 && caps->len == 0)
		return linx_error_param(err, "validate", "caps",
					"empty_list: caps names no capability "
					"to drop");
	return r < 0 ? r : linx_caps_drop_bounding(mask, err);
}

static int set_ambient(const struct linx_call *call, struct linx_value *ret,
		       struct linx_error *err)
{
	uint64_t mask;
	int r = names_to_mask(linx_call_arg(call, 0), "caps", &mask, err);

	(void)ret;
	return r < 0 ? r : linx_caps_set_ambient(mask, err);
}

enum { TS_EFF, TS_PRM, TS_INH };
static const struct linx_param thread_params[] = {
	[TS_EFF] = { "effective", LINX_TM_LIST, LINX_PARAM_REQUIRED,
		     "effective set (names)" },
	[TS_PRM] = { "permitted", LINX_TM_LIST, LINX_PARAM_REQUIRED,
		     "permitted set (names)" },
	[TS_INH] = { "inheritable", LINX_TM_LIST, LINX_PARAM_REQUIRED,
		     "inheritable set (names)" },
};

static int set_thread_sets(const struct linx_call *call, struct linx_value *ret,
			   struct linx_error *err)
{
	uint64_t e, p, i;
	int r;

	(void)ret;
	r = names_to_mask(linx_call_arg(call, TS_EFF), "effective", &e, err);
	if (r >= 0)
		r = names_to_mask(linx_call_arg(call, TS_PRM), "permitted", &p,
				  err);
	if (r >= 0)
		r = names_to_mask(linx_call_arg(call, TS_INH), "inheritable",
				  &i, err);
	return r < 0 ? r : linx_caps_set_thread_sets(e, p, i, err);
}

static const struct linx_verb verbs[] = {
	{ .name = "caps.read",
	  .summary = "Read a process's five capability sets",
	  .params = read_params, .n_params = 1, .fn = caps_read,
	  .result_doc = "{effective, permitted, inheritable, bounding, "
			"ambient}: lists of names" },
	{ .name = "caps.supported",
	  .summary = "Whether capabilities are inspectable here",
	  .fn = caps_supported, .result_doc = "bool" },
	{ .name = "caps.names",
	  .summary = "Every capability the running kernel knows",
	  .fn = caps_names, .result_doc = "list of names" },
	{ .name = "caps.drop_bounding",
	  .summary = "Drop capabilities from the parked child's bounding set",
	  .params = drop_params, .n_params = 1, .fn = drop_bounding,
	  .flags = LINX_VERB_CHILD },
	{ .name = "caps.set_thread_sets",
	  .summary = "Set the parked child's effective, permitted and "
		     "inheritable sets",
	  .params = thread_params, .n_params = 3, .fn = set_thread_sets,
	  .flags = LINX_VERB_CHILD },
	{ .name = "caps.set_ambient",
	  .summary = "Make the parked child's ambient set exactly these",
	  .params = list_params, .n_params = 1, .fn = set_ambient,
	  .flags = LINX_VERB_CHILD },
};

LINX_PLUGIN_DEFINE(caps, "0.1.0", "capability sets: read, and shrink at the "
				  "checkpoint",
		   NULL, NULL, verbs);
